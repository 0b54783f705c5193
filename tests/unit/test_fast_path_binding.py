"""The fast path binds plain variables (`String!`, `[String!]!`) to its field's arguments
without graphql-core's coercion: over generated variables, whenever it binds, the arguments are
exactly graphql-core's; it binds the usual requests; it leaves everything else to graphql-core."""

from __future__ import annotations

import pytest
from graphql.execution.values import get_argument_values, get_variable_values
from hypothesis import given, settings
from hypothesis import strategies as st

from api.fastpath.plan import make_plan
from api.schema.schema import schema
from tests.unit.test_plain_variables import json_values, names

GRAPHQL = schema._schema

DOCUMENTS = [
    "query E($idcs: String!) { eligibility(program: ASD, idcs: $idcs) { eligible } }",
    "query B($idcs: [String!]!) { eligibilities(program: AMO_TADAMON, idcs: $idcs) { eligible } }",
    "query H($id: ID!) { household(id: $id) { id size } }",
    "query E($a: String!) { eligibility(idcs: $a, program: TAYSSIR) { idcs reasons } }",
]
# Documents whose variables the binding leaves to graphql-core.
NOT_BOUND = [
    'query E($idcs: String! = "1") { eligibility(program: ASD, idcs: $idcs) { eligible } }',
    "query E($i: String!, $d: Date) { eligibility(program: ASD, idcs: $i, asOf: $d) { eligible } }",
    "query B($a: String!) { eligibilities(program: ASD, idcs: [$a]) { eligible } }",
    "query E($p: ProgramCode!, $i: String!) { eligibility(program: $p, idcs: $i) { eligible } }",
]


def coerced(plan, variables):
    """graphql-core's arguments for these variables, or None when it reports an error."""
    values = get_variable_values(GRAPHQL, plan.operation.variable_definitions or (), variables,
                                 max_errors=50)
    if isinstance(values, list):
        return None
    try:
        return get_argument_values(GRAPHQL.query_type.fields[plan.kind], plan.field_node, values)
    except Exception:  # noqa: BLE001 - any refusal counts as "not coerced"
        return None


def plan_of(document):
    plan = make_plan(GRAPHQL, document, None)
    assert plan is not None, document
    return plan


@pytest.mark.parametrize("document", DOCUMENTS)
@settings(max_examples=300, deadline=None)
@given(variables=st.dictionaries(names, json_values | st.lists(st.text(max_size=12), max_size=5),
                                 max_size=3))
def test_a_binding_is_graphql_cores_coercion(document, variables):
    plan = plan_of(document)
    assert plan.binding is not None
    bound = plan.binding.bind(variables)
    if bound is not None:
        assert bound == coerced(plan, variables)


@pytest.mark.parametrize("document", DOCUMENTS)
@settings(max_examples=100, deadline=None)
@given(strings=st.lists(st.text(max_size=12), max_size=20))
def test_the_usual_requests_are_bound(document, strings):
    plan = plan_of(document)
    (name,) = plan.binding.names
    value = strings if name in plan.binding.lists else "".join(strings)
    bound = plan.binding.bind({name: value})
    assert bound is not None
    assert bound == coerced(plan, {name: value})


@pytest.mark.parametrize("document", NOT_BOUND)
def test_other_shapes_are_left_to_graphql_core(document):
    assert plan_of(document).binding is None


@pytest.mark.parametrize("variables", [
    None, {}, {"idcs": None}, {"idcs": 1}, {"idcs": ["1"]}, {"idcs": "1", "extra": 2}, [],
])
def test_anything_else_is_coerced_by_graphql_core(variables):
    plan = plan_of(DOCUMENTS[0])
    assert plan.binding.bind(variables) is None
