"""A household's history (contract §12): former members, every version of the declaration, and
changing the declaration field by field."""

from __future__ import annotations

import pytest

from tests import factories
from tests.api.household_helpers import REMOVE, the_record_of, today

pytestmark = pytest.mark.e2e

HISTORY = """
query($id: ID!) { household(id: $id) {
  version size
  pastMembers { person { idcs } relationship since until exitReason }
  declarations { version rooms assets agriculturalLandHectares declaredAt }
  indexHistory { cause }
} }
"""
PATCH = """
mutation($id: ID!, $changes: DeclarationPatchInput!, $v: Int) {
  patchHouseholdDeclaration(householdId: $id, changes: $changes, expectedVersion: $v) {
    id version declaration { version rooms waterSource assets electricityMonthly }
  }
}
"""


def error_of(body: dict) -> tuple[str, str | None]:
    extensions = body["errors"][0]["extensions"]
    return extensions["code"], extensions.get("field")


async def test_former_members_are_listed_with_when_and_why_they_left(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin, children=2)
    fresh = await gql.data(HISTORY, {"id": household["id"]}, admin)
    assert fresh["household"]["pastMembers"] == []
    child = household["_children"][0]
    await gql.data(REMOVE, {"householdId": household["id"], "idcs": child,
                            "reason": "MOVED_OUT", "effectiveDate": today()}, admin)
    after = (await gql.data(HISTORY, {"id": household["id"]}, tokens.registrar("038")))["household"]
    assert after["size"] == 3
    assert after["pastMembers"] == [{"person": {"idcs": child}, "relationship": "CHILD",
                                     "since": today(), "until": today(),
                                     "exitReason": "MOVED_OUT"}]


async def test_a_citizen_may_not_read_former_members(gql, tokens):
    household = await factories.register_household(gql, tokens.admin())
    body = await gql("{ myHousehold { pastMembers { relationship } } }", None,
                     tokens.citizen(household["_head"]))
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    own = await gql.data("{ myHousehold { declarations { version } } }", None,
                         tokens.citizen(household["_head"]))
    assert own["myHousehold"]["declarations"] == [{"version": 1}]


async def test_a_patch_changes_only_the_fields_given_and_rescores(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    response = await gql.raw(PATCH, {"id": household["id"], "changes": {"rooms": 4},
                                     "v": household["version"]}, tokens.registrar("038"))
    patched = response.json()["data"]["patchHouseholdDeclaration"]
    assert patched["declaration"] == {"version": 2, "rooms": 4, "waterSource": "PIPED",
                                      "assets": ["REFRIGERATOR", "TELEVISION"],
                                      "electricityMonthly": 120.0}
    assert patched["version"] == household["version"] + 1
    assert household["id"] in (await the_record_of(response)).subjects
    history = (await gql.data(HISTORY, {"id": household["id"]}, admin))["household"]
    assert [d["version"] for d in history["declarations"]] == [2, 1]
    assert [d["rooms"] for d in history["declarations"]] == [4, 2]
    assert [i["cause"] for i in history["indexHistory"]] == ["REGISTRATION", "DECLARATION_UPDATED"]

    assets = await gql.data(PATCH, {"id": household["id"],
                                    "changes": {"assets": ["CAR"], "waterSource": "WELL_OR_SPRING"}}, admin)
    declaration = assets["patchHouseholdDeclaration"]["declaration"]
    assert (declaration["version"], declaration["rooms"], declaration["assets"],
            declaration["waterSource"]) == (3, 4, ["CAR"], "WELL_OR_SPRING")


async def test_a_patch_is_refused_whole_when_it_is_wrong(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    hid = household["id"]
    assert error_of(await gql(PATCH, {"id": hid, "changes": {}}, admin)) == (
        "BAD_USER_INPUT", "changes")
    assert error_of(await gql(PATCH, {"id": hid, "changes": {"rooms": None}}, admin)) == (
        "BAD_USER_INPUT", "changes.rooms")
    assert error_of(await gql(PATCH, {"id": hid, "changes": {"rooms": 0}}, admin)) == (
        "BAD_USER_INPUT", "changes.rooms")
    assert error_of(await gql(PATCH, {"id": hid, "changes": {"rooms": 3}, "v": 99}, admin))[0] \
        == "CONFLICT"
    assert error_of(await gql(PATCH, {"id": hid, "changes": {"rooms": 3}},
                              tokens.registrar("001")))[0] == "NOT_FOUND"
    history = (await gql.data(HISTORY, {"id": hid}, admin))["household"]
    assert [d["version"] for d in history["declarations"]] == [1]  # nothing was stored


async def test_a_rural_household_keeps_its_land_unless_cleared_where_allowed(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(
        gql, admin, milieu="RURAL",
        declaration=factories.declaration_input(agriculturalLandHectares=2.5, livestockUnits=1))
    body = await gql.data(PATCH, {"id": household["id"], "changes": {"rooms": 3}}, admin)
    assert body["patchHouseholdDeclaration"]["declaration"]["rooms"] == 3
    history = (await gql.data(HISTORY, {"id": household["id"]}, admin))["household"]
    assert history["declarations"][0]["agriculturalLandHectares"] == 2.5
