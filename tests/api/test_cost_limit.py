"""The cost limit counts list sizes: one request cannot ask for the whole register."""

from types import SimpleNamespace

import pytest
from graphql import parse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.schema.document import MAX_COST, OperationCost, select_operation
from api.schema.document import operation_cost as cost_of
from api.schema.schema import schema
from api.services import extents
from api.services.validation import MAX_MEMBERS

pytestmark = pytest.mark.e2e

NESTED = """query($n: Int) { households(first: $n) { edges { node {
  members { person { household { members { person { idcs firstName lastName } } } } } } } } }"""


def operation_cost(document, name, variables):
    return cost_of(schema._schema, document, select_operation(document, name), variables)


@pytest.fixture
def largest_household(monkeypatch):
    """Set the largest household the register has held, as the cost sees it."""
    def set_to(members: int) -> None:
        monkeypatch.setitem(extents._known, extents.HOUSEHOLD_MEMBERS, members)
        monkeypatch.setitem(extents._stored, extents.HOUSEHOLD_MEMBERS, members)
    return set_to


def test_cost_counts_first_and_bulk_ids():
    document = parse("query($ids: [String!]!) { eligibilities(program: ASD, idcs: $ids) { idcs } }")
    assert operation_cost(document, None, {"ids": ["1"] * 1000}) == 1 + 1000 * 1
    assert operation_cost(parse("{ households(first: 5) { totalCount } }"), None, {}) == 1 + 5


def test_fragments_are_expanded(largest_household):
    largest_household(MAX_MEMBERS)
    document = parse("query { households(first: 10) { ...F } } fragment F on HouseholdConnection "
                     "{ edges { node { members { relationship } } } }")
    # households 1 + 10 × (edges 1 + (node 1 + (members 1 + MAX_MEMBERS × relationship 1)))
    assert operation_cost(document, None, {}) == 1 + 10 * (1 + (1 + (1 + MAX_MEMBERS * 1)))


def test_list_bounds_are_per_type_and_field():
    """`Household.enrollments` (at most a few per household) is not the root `enrollments`
    connection, whose size is its `first`."""
    household = parse('{ household(id: "x") { enrollments { id } } }')
    root = parse("{ enrollments(program: ASD, first: 100) { totalCount } }")
    assert operation_cost(household, None, {}) == 1 + (1 + 10 * 1)
    assert operation_cost(root, None, {}) == 1 + 100 * 1


async def test_deeply_nested_lists_are_refused(gql, tokens, largest_household):
    largest_household(MAX_MEMBERS)  # a register holding a household of 50
    body = await gql(NESTED, {"n": 100}, tokens.admin())
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["cost"] > MAX_COST
    assert body["data"] is None


async def test_a_normal_page_passes(gql, tokens):
    body = await gql("{ households(first: 100) { edges { node { members { person { idcs } } } } } }",
                     {}, tokens.admin())
    assert "errors" not in body, body


async def test_bulk_eligibility_of_1000_ids_with_members_passes(gql, tokens):
    from api.identifiers import new_idcs

    ids = [new_idcs() for _ in range(1000)]
    body = await gql("query($ids: [String!]!) { eligibilities(program: ASD, idcs: $ids) "
                     "{ idcs household { members { person { idcs } } } } }", {"ids": ids},
                     tokens.program("ASD"))
    assert "errors" not in body, body["errors"][:1]
    assert len(body["data"]["eligibilities"]) == 1000


AGENCY_BULK = ("query($ids: [String!]!) { eligibilities(program: ASD, idcs: $ids) { idcs eligible "
               "reasons monthlyAmount household { reference size members { relationship "
               "schooling person { idcs age } } } } }")


def test_members_count_at_the_largest_household_the_register_holds(largest_household):
    """The agencies' documented bulk selection, 1 000 ids with their households' members: what
    it costs follows the register's largest household, not the 50 a household may have."""
    document = parse(AGENCY_BULK)
    ids = {"ids": ["1"] * 1000}
    for members in (12, 20, 30):
        largest_household(members)
        # per id: 4 scalars + household 1 + reference, size 2 + members 1 + members × (2 + 3)
        assert operation_cost(document, None, ids) == 1 + 1000 * (4 + 1 + 2 + 1 + members * 5)
    largest_household(12)  # the generated national register's largest household
    assert operation_cost(document, None, ids) <= MAX_COST
    largest_household(MAX_MEMBERS)
    assert operation_cost(document, None, ids) > MAX_COST


async def test_a_larger_household_raises_the_bound_at_once(gql, tokens, largest_household):
    """A household larger than any before raises the stored extent in its registration's
    transaction (for every worker) and this worker's bound at once."""
    from api.models import RegistryExtent
    from tests import factories

    before = (await RegistryExtent.get(name=extents.HOUSEHOLD_MEMBERS)).value
    assert before < MAX_MEMBERS  # the test register holds no household of 50
    largest_household(1)  # this worker read a small value: the write must not be skipped
    larger = max(before + 1, 2)  # the builder's households have a head and a spouse
    await factories.register_household(gql, tokens.admin(), children=larger - 2)
    assert (await RegistryExtent.get(name=extents.HOUSEHOLD_MEMBERS)).value == larger
    assert extents.household_members() == larger
    assert await extents.recount() == larger  # what the memberships hold


def test_a_variable_left_out_costs_its_default():
    """A variable the request does not send takes the default written in the document; the
    executor runs with it, so the cost counts it (a default of 900 ids is 900 ids)."""
    ids = ", ".join(['"1234567897"'] * 900)
    document = parse(f"query Q($ids: [String!]! = [{ids}], $n: Int = 100) {{ "
                     "eligibilities(program: ASD, idcs: $ids) { idcs } "
                     "households(first: $n) { totalCount } }")
    assert operation_cost(document, None, {}) == (1 + 900) + (1 + 100)
    assert operation_cost(document, None, {"ids": ["1"], "n": 2}) == (1 + 1) + (1 + 2)
    assert operation_cost(document, None, {"n": None}) == (1 + 900) + (1 + 20)


async def test_defaults_cannot_carry_a_request_over_the_cost_limit(gql, tokens,
                                                                   largest_household):
    from api.identifiers import new_idcs

    largest_household(MAX_MEMBERS)

    ids = ", ".join(f'"{new_idcs()}"' for _ in range(900))
    # one root field, as the read engine answers it
    body = await gql(f"query Q($ids: [String!]! = [{ids}]) {{ eligibilities(program: ASD, "
                     "idcs: $ids) { household { members { relationship person { idcs firstName "
                     "} } } } }", {}, tokens.program("ASD"))
    assert body["data"] is None, body
    error = body["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COMPLEX"
    assert error["extensions"]["cost"] > MAX_COST


def test_the_program_list_costs_as_many_items_as_the_catalogue_holds(monkeypatch):
    from api.schema import programs as root

    document = parse("{ programs { code name } }")
    base = operation_cost(document, None, {})
    monkeypatch.setattr(root, "program_catalogue", lambda: SimpleNamespace(codes=("A",) * 40))
    assert operation_cost(document, None, {}) == 1 + 40 * 2 > base


# Lists of objects counted as one item: a connection's edges are sized by the field returning
# the connection (its `first`); a program's criteria and an answer's amount lines are as many as
# the catalogue's version has, a handful.
COUNTED_AS_ONE = {("HouseholdConnection", "edges"), ("EnrollmentConnection", "edges"),
                  ("AuditEventConnection", "edges"), ("DataAccessConnection", "edges"),
                  ("EligibilityChangeConnection", "edges"), ("WebhookDeliveryConnection", "edges"),
                  ("Program", "criteria"),
                  ("Eligibility", "amountLines")}


def test_every_list_of_objects_declares_its_bound_beside_the_field():
    """A new list field is costed where it is written (api/schema/cost.py), or named here."""
    from graphql import GraphQLList, GraphQLObjectType, get_named_type, get_nullable_type

    from api.schema import cost

    unbounded = set()
    for graphql_type in schema._schema.type_map.values():
        if not isinstance(graphql_type, GraphQLObjectType) or graphql_type.name.startswith("__"):
            continue
        for name, field in graphql_type.fields.items():
            returned = get_nullable_type(field.type)
            if (isinstance(returned, GraphQLList)
                    and isinstance(get_named_type(returned), GraphQLObjectType)
                    and cost.bound_of(field) is None):
                unbounded.add((graphql_type.name, name))
    assert unbounded == COUNTED_AS_ONE


_DOCUMENTS = [
    NESTED,
    "query($ids: [String!]!) { eligibilities(program: ASD, idcs: $ids) { idcs "
    "household { members { person { idcs } } } } }",
    "query($ids: [String!] = [\"1\", \"2\"], $n: Int = 7) { eligibilities(program: ASD, "
    "idcs: $ids) { idcs } households(first: $n) { edges { node { ...H } } } } "
    "fragment H on Household { members { relationship } size }",
    "query($n: Int, $m: Int) { a: households(first: $n) { edges { node { ...H } } } "
    "b: households(first: $m) { edges { node { ...H members { person { idcs } } } } } } "
    "fragment H on Household { members { person { idcs } } }",
    "{ regions { code provinces { code } } households(first: 3) { totalCount } }",
]


@settings(max_examples=300, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_cost_remembered_by_sizes_is_the_walks(largest_household, data):
    """The read engine's cost per plan (remembered by the sizes its list fields take) is the
    cost of a full walk, request after request, as variables and the largest household change."""
    document_text = data.draw(st.sampled_from(_DOCUMENTS))
    document = parse(document_text)
    operation = select_operation(document, None)
    remembered = OperationCost(schema._schema, document, operation)
    sizes = st.one_of(st.none(), st.integers(-3, 150))
    for _ in range(data.draw(st.integers(1, 6))):
        largest_household(data.draw(st.integers(1, MAX_MEMBERS)))
        variables = data.draw(st.fixed_dictionaries({}, optional={
            "n": sizes, "m": sizes,
            "ids": st.one_of(st.none(), st.lists(st.just("1"), max_size=1200))}))
        assert remembered(variables) == operation_cost(document, None, variables)
