"""A citizen sees who read their data and why (contract §11): every access by someone else to
their person or to a household they belong or belonged to, newest first, with organisation,
role, purpose, operation and fields — never an officer's account id."""

from __future__ import annotations

import pytest

from tests import factories
from tests.api.household_helpers import REMOVE, today

pytestmark = pytest.mark.e2e

ACCESSES = """
query($first: Int, $after: String) { myDataAccesses(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { at organisation role purpose operation fields } } } }
"""


async def test_a_citizen_sees_who_read_their_data_and_why(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    head = household["_head"]
    citizen = tokens.citizen(head)
    baseline = (await gql.data(ACCESSES, None, citizen))["myDataAccesses"]["totalCount"]
    asd = tokens.make(["program_agency"], "officer-7731", program="ASD",
                      purpose="PAYMENT_VERIFICATION")
    await gql.data("query Check($i: String!) { eligibility(program: ASD, idcs: $i) "
                   "{ eligible } }", {"i": head}, asd)
    await gql.data("query Screen($h: ID!) { household(id: $h) { reference } }",
                   {"h": household["id"]}, tokens.make(["registrar"], "agent-42",
                                                       provinces=["038"]))
    await gql.data("{ myHousehold { reference } }", None, citizen)  # their own: not listed
    page = (await gql.data(ACCESSES, None, citizen))["myDataAccesses"]
    assert page["totalCount"] == baseline + 2
    newest, before = page["edges"][0]["node"], page["edges"][1]["node"]
    assert (newest["organisation"], newest["role"], newest["operation"]) == (
        "registrar", "registrar", "Screen")
    assert "Household.reference" in newest["fields"]
    assert (before["organisation"], before["role"], before["purpose"], before["operation"]) == (
        "ASD", "program_agency", "PAYMENT_VERIFICATION", "Check")
    text = str(page)
    assert "officer-7731" not in text and "agent-42" not in text


async def test_a_former_household_still_counts_and_pages_are_stable(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin, children=1)
    child = household["_children"][0]
    await gql.data(REMOVE, {"householdId": household["id"], "idcs": child,
                            "reason": "MOVED_OUT", "effectiveDate": today()}, admin)
    for _ in range(3):
        await gql.data("query Look($h: ID!) { household(id: $h) { id } }",
                       {"h": household["id"]}, tokens.registrar("038"))
    citizen = tokens.citizen(child)
    first = (await gql.data(ACCESSES, {"first": 2}, citizen))["myDataAccesses"]
    assert [e["node"]["operation"] for e in first["edges"]] == ["Look", "Look"]
    assert first["pageInfo"]["hasNextPage"]
    rest = (await gql.data(ACCESSES, {"first": 100, "after": first["pageInfo"]["endCursor"]},
                           citizen))["myDataAccesses"]
    assert rest["edges"][0]["node"]["operation"] == "Look"
    assert len(first["edges"]) + len(rest["edges"]) == first["totalCount"]


@pytest.mark.parametrize("role", ["registrar", "auditor", "program"])
async def test_only_citizens_have_the_page(gql, tokens, role):
    token = {"registrar": tokens.registrar(), "auditor": tokens.auditor(),
             "program": tokens.program("ASD")}[role]
    body = await gql(ACCESSES, None, token)
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_an_admin_holds_the_grant_and_has_an_empty_page(gql, tokens):
    await factories.register_household(gql, tokens.admin())
    page = (await gql.data(ACCESSES, None, tokens.admin()))["myDataAccesses"]
    assert page == {"totalCount": 0, "pageInfo": {"hasNextPage": False, "endCursor": None},
                    "edges": []}
