"""The read engine takes plain variables (`String!`, `ID!`, `[String!]!`) as they are, without
graphql-core's coercion: over generated variables, whenever it takes them, they are exactly
graphql-core's coerced values; it takes the usual requests; it leaves everything else to
graphql-core."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, parse
from graphql.execution.values import get_variable_values
from hypothesis import given, settings
from hypothesis import strategies as st

from api.engine.variables import PlainVariables
from api.schema.schema import schema

GRAPHQL = schema._schema

DOCUMENTS = [
    "query E($idcs: String!) { eligibility(program: ASD, idcs: $idcs) { eligible } }",
    "query B($idcs: [String!]!) { eligibilities(program: AMO_TADAMON, idcs: $idcs) { eligible } }",
    "query H($id: ID!) { household(id: $id) { id size } }",
    "query P($a: String!, $id: ID!) { person(idcs: $a) { idcs } household(id: $id) { id } }",
    "{ programs { code } }",
]
# Documents whose variables are left to graphql-core.
NOT_TAKEN = [
    'query E($idcs: String! = "1") { eligibility(program: ASD, idcs: $idcs) { eligible } }',
    "query E($i: String!, $d: Date) { eligibility(program: ASD, idcs: $i, asOf: $d) { eligible } }",
    "query E($i: String) { eligibility(program: ASD, idcs: $i) { eligible } }",
    "query E($p: ProgramCode!, $i: String!) { eligibility(program: $p, idcs: $i) { eligible } }",
    "query B($i: [String]!) { eligibilities(program: ASD, idcs: $i) { eligible } }",
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | st.floats(allow_nan=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner,
                                                               max_size=3),
    max_leaves=12,
)
names = st.sampled_from(["idcs", "id", "a", "x"])


def operation_of(document: str) -> OperationDefinitionNode:
    return next(d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode))


def coerced(operation, variables):
    """graphql-core's coerced variables, or None when it reports an error."""
    values = get_variable_values(GRAPHQL, operation.variable_definitions or (),
                                 variables or {}, max_errors=50)
    return None if isinstance(values, list) else values


def same(taken, expected) -> bool:
    """The same values and sources (a signature's wrapping types are new objects each time:
    compared by what they print)."""
    def sources(values):
        return {name: (s.signature.name, str(s.signature.type), s.signature.default, s.value)
                for name, s in values.sources.items()}
    return expected is not None and taken.coerced == expected.coerced \
        and sources(taken) == sources(expected)


@pytest.mark.parametrize("document", DOCUMENTS)
@settings(max_examples=300, deadline=None)
@given(variables=st.none() | st.dictionaries(
    names, json_values | st.lists(st.text(max_size=12), max_size=5), max_size=3))
def test_plain_variables_taken_as_they_are_are_graphql_cores(document, variables):
    operation = operation_of(document)
    plain = PlainVariables.of(GRAPHQL, operation)
    assert plain is not None
    taken = plain.coerce(variables)
    if taken is not None:
        assert same(taken, coerced(operation, variables))


@pytest.mark.parametrize("document", DOCUMENTS[:3])
@settings(max_examples=100, deadline=None)
@given(strings=st.lists(st.text(max_size=12), max_size=20))
def test_the_usual_requests_are_taken(document, strings):
    operation = operation_of(document)
    plain = PlainVariables.of(GRAPHQL, operation)
    (name,) = plain.names
    value = strings if name in plain.lists else "".join(strings)
    taken = plain.coerce({name: value})
    assert taken is not None
    assert same(taken, coerced(operation, {name: value}))


@pytest.mark.parametrize("document", NOT_TAKEN)
def test_other_shapes_are_left_to_graphql_core(document):
    assert PlainVariables.of(GRAPHQL, operation_of(document)) is None


@pytest.mark.parametrize("variables", [
    None, {}, {"idcs": None}, {"idcs": 1}, {"idcs": ["1"]}, {"idcs": "1", "extra": 2}, [],
])
def test_anything_else_is_coerced_by_graphql_core(variables):
    assert PlainVariables.of(GRAPHQL, operation_of(DOCUMENTS[0])).coerce(variables) is None
