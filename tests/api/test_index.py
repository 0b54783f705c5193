"""The socio-economic index over GraphQL: computed at registration and on every change that
affects it, kept as history, explained to the citizen (docs/index-and-programs.md)."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest

from api.models import Declaration, Household, HouseholdIndex
from api.scoring.formula import age_on
from api.services import clock
from tests import factories
from tests.api.household_helpers import REGISTER_HOUSEHOLD, assert_error, household_input, minor

pytestmark = pytest.mark.e2e

WORKED_EXAMPLE = 9.3575440
TOL = 1e-6

INDEX_FIELDS = """
  id version size status
  declaration { version assets rooms }
  index { value formulaVersion computedAt cause declarationVersion components { name contribution } }
  indexHistory { value formulaVersion cause declarationVersion }
"""

HOUSEHOLD = f"query($id: ID!) {{ household(id: $id) {{ {INDEX_FIELDS} }} }}"

ADD_MEMBER = f"""
mutation($householdId: ID!, $idcs: String!, $relationship: Relationship!) {{
  addHouseholdMember(householdId: $householdId, idcs: $idcs, relationship: $relationship) {{
    {INDEX_FIELDS} }}
}}
"""

REMOVE_MEMBER = f"""
mutation($householdId: ID!, $idcs: String!, $reason: MemberExitReason!, $effectiveDate: Date!) {{
  removeHouseholdMember(householdId: $householdId, idcs: $idcs, reason: $reason,
                        effectiveDate: $effectiveDate) {{ {INDEX_FIELDS} }}
}}
"""

UPDATE_PERSON = """
mutation($idcs: String!, $input: UpdatePersonInput!) {
  updatePerson(idcs: $idcs, input: $input) { idcs deathDate }
}
"""

UPDATE_DECLARATION = f"""
mutation($householdId: ID!, $declaration: DeclarationInput!, $expectedVersion: Int) {{
  updateHouseholdDeclaration(householdId: $householdId, declaration: $declaration,
                             expectedVersion: $expectedVersion) {{ {INDEX_FIELDS} }}
}}
"""

MY_HOUSEHOLD = """
query { myHousehold { id index { value formulaVersion cause components { name contribution } }
                      indexHistory { cause } } }
"""


def expected_worked_example(n: int, children: int, *, assets_extra: float = 0.0) -> float:
    """Formula v1 by hand for the worked example's declaration (urban, region 06, adults under
    65), with n living members of whom `children` are under 15."""
    return (
        9.05 + 0.05
        - 0.55 * math.log(n)
        - 0.30 * children / n
        + 0.06  # head PRIMARY
        + 0.0  # WORKER
        + 0.18  # APARTMENT
        + 0.0  # TENANT
        + 0.08 * min(3, 2 / n)  # 2 rooms
        + 0.0  # PIPED
        + 0.07 * math.log(121) + 0.04 * math.log(61) + 0.06 * math.log(101) + 0.03 * math.log(3)
        + 0.06 + 0.02  # refrigerator, television
        + assets_extra
    )


async def worked_example_household(gql, token) -> dict:
    """The factory household: urban, province 038 (region 06), two adults, two children under
    15, the worked example's declaration."""
    h = await factories.register_household(gql, token)
    today = clock.today()
    for birth in (date(2014, 3, 1), date(2015, 3, 2)):  # the factory's children
        assert age_on(birth, today) < 15, "factory children are no longer under 15: update the test"
    return h


async def read(gql, token, household_id: str) -> dict:
    return (await gql.data(HOUSEHOLD, {"id": household_id}, token))["household"]


def assert_components_sum(index: dict) -> None:
    total = math.fsum(c["contribution"] for c in index["components"])
    assert abs(total - index["value"]) < TOL, (total, index["value"])


# ------------------------------------------------------------------ registration

async def test_register_household_scores_the_worked_example_at_once(gql, tokens):
    admin = tokens.admin()
    h = await worked_example_household(gql, admin)
    assert h["region"] == "06" and h["size"] == 4 and h["status"] == "ACTIVE"

    got = await read(gql, admin, h["id"])
    index = got["index"]
    assert abs(index["value"] - WORKED_EXAMPLE) < TOL, index["value"]
    assert abs(index["value"] - expected_worked_example(4, 2)) < TOL
    assert index["formulaVersion"] == "v1"
    assert index["cause"] == "REGISTRATION"
    assert index["declarationVersion"] == 1
    assert index["computedAt"]
    assert_components_sum(index)
    components = {c["name"]: c["contribution"] for c in index["components"]}
    assert components["intercept"] == pytest.approx(9.05, abs=1e-9)
    assert components["region"] == pytest.approx(0.05, abs=1e-9)
    assert components["householdSize"] == pytest.approx(-0.7624619, abs=1e-7)
    assert components["childrenShare"] == pytest.approx(-0.15, abs=1e-9)
    assert components["roomsPerPerson"] == pytest.approx(0.04, abs=1e-9)
    assert components["asset:REFRIGERATOR"] == pytest.approx(0.06, abs=1e-9)
    assert components["asset:TELEVISION"] == pytest.approx(0.02, abs=1e-9)
    assert "asset:CAR" not in components

    assert got["indexHistory"] == [
        {"value": index["value"], "formulaVersion": "v1", "cause": "REGISTRATION",
         "declarationVersion": 1},
    ]
    # the household keeps a copy of the newest value
    row = await Household.get(id=h["id"])
    assert abs(row.index_value - WORKED_EXAMPLE) < TOL
    assert row.index_formula_version == "v1"
    assert await HouseholdIndex.filter(household_id=h["id"]).count() == 1


async def test_a_row_written_before_contributions_keeps_its_named_components(gql, tokens):
    """Rows written before migration 19 hold `components` (names and contributions) and no
    `contributions`: the API answers them as they were written, and a newer row from its
    contributions, with the same names."""
    admin = tokens.admin()
    h = await worked_example_household(gql, admin)
    new = await HouseholdIndex.get(household_id=h["id"])
    shown = (await read(gql, admin, h["id"]))["index"]["components"]
    assert new.components is None and new.contributions is not None
    await HouseholdIndex.filter(id=new.id).update(
        contributions=None, components=[{"name": c["name"], "contribution": c["contribution"]}
                                        for c in shown])
    assert (await read(gql, admin, h["id"]))["index"]["components"] == shown


async def test_the_index_history_has_no_foreign_key(app):
    """Migration 19 dropped the history's foreign key to households (checked for every row a
    rescore inserts); the household index stays."""
    from tortoise import Tortoise

    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect == "postgres":
        rows = await conn.execute_query_dict(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'household_indices'::regclass "
            "AND contype = 'f'")
        indexed = await conn.execute_query_dict(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'household_indices'")
    else:
        rows = await conn.execute_query_dict("PRAGMA foreign_key_list('household_indices')")
        indexed = await conn.execute_query_dict(
            "SELECT sql AS indexdef FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'household_indices' AND sql IS NOT NULL")
    assert rows == []
    assert any("household_id" in r["indexdef"] for r in indexed)


# ------------------------------------------------------------------ member changes

async def test_add_member_rescores_with_cause_member_added(gql, tokens):
    admin = tokens.admin()
    h = await worked_example_household(gql, admin)
    baby = await minor(gql, admin, birthDate=f"{clock.today().year - 2}-01-10")
    data = await gql.data(ADD_MEMBER, {"householdId": h["id"], "idcs": baby,
                                       "relationship": "CHILD"}, admin)
    got = data["addHouseholdMember"]
    assert got["size"] == 5
    index = got["index"]
    assert index["cause"] == "MEMBER_ADDED"
    assert abs(index["value"] - expected_worked_example(5, 3)) < TOL
    assert abs(index["value"] - WORKED_EXAMPLE) > 0.1  # a fifth (young) member lowers it
    assert index["value"] < WORKED_EXAMPLE
    assert_components_sum(index)
    assert [e["cause"] for e in got["indexHistory"]] == ["REGISTRATION", "MEMBER_ADDED"]
    assert abs(got["indexHistory"][0]["value"] - WORKED_EXAMPLE) < TOL
    assert got["indexHistory"][-1]["value"] == index["value"]
    assert await HouseholdIndex.filter(household_id=h["id"]).count() == 2


async def test_remove_member_rescores_with_cause_member_removed(gql, tokens):
    admin = tokens.admin()
    h = await worked_example_household(gql, admin)
    child = h["_children"][0]
    data = await gql.data(REMOVE_MEMBER, {
        "householdId": h["id"], "idcs": child, "reason": "MOVED_OUT",
        "effectiveDate": clock.today().isoformat(),
    }, admin)
    got = data["removeHouseholdMember"]
    assert got["size"] == 3
    assert got["index"]["cause"] == "MEMBER_REMOVED"
    assert abs(got["index"]["value"] - expected_worked_example(3, 1)) < TOL
    assert got["index"]["value"] != pytest.approx(WORKED_EXAMPLE, abs=1e-3)
    assert [e["cause"] for e in got["indexHistory"]] == ["REGISTRATION", "MEMBER_REMOVED"]
    row = await Household.get(id=h["id"])
    assert abs(row.index_value - got["index"]["value"]) < TOL


async def test_death_of_a_member_rescores_with_cause_death(gql, tokens):
    admin = tokens.admin()
    h = await worked_example_household(gql, admin)
    data = await gql.data(UPDATE_PERSON, {"idcs": h["_spouse"],
                                          "input": {"deathDate": clock.today().isoformat()}}, admin)
    assert data["updatePerson"]["deathDate"] == clock.today().isoformat()
    got = await read(gql, admin, h["id"])
    assert got["size"] == 3
    assert got["index"]["cause"] == "DEATH"
    assert abs(got["index"]["value"] - expected_worked_example(3, 2)) < TOL
    assert [e["cause"] for e in got["indexHistory"]] == ["REGISTRATION", "DEATH"]


# ------------------------------------------------------------------ declaration updates

async def test_update_declaration_creates_version_2_and_rescores(gql, tokens):
    admin = tokens.admin()
    h = await worked_example_household(gql, admin)
    before = await read(gql, admin, h["id"])
    declaration = factories.declaration_input(assets=["REFRIGERATOR", "TELEVISION", "CAR"])
    data = await gql.data(UPDATE_DECLARATION, {"householdId": h["id"], "declaration": declaration,
                                               "expectedVersion": before["version"]}, admin)
    got = data["updateHouseholdDeclaration"]
    assert got["declaration"]["version"] == 2
    assert sorted(got["declaration"]["assets"]) == ["CAR", "REFRIGERATOR", "TELEVISION"]
    assert got["version"] == before["version"] + 1
    index = got["index"]
    assert index["cause"] == "DECLARATION_UPDATED"
    assert index["declarationVersion"] == 2
    assert abs(index["value"] - before["index"]["value"] - 0.22) < TOL, index["value"]
    assert abs(index["value"] - expected_worked_example(4, 2, assets_extra=0.22)) < TOL
    assert {c["name"]: c["contribution"] for c in index["components"]}["asset:CAR"] == 0.22
    assert_components_sum(index)
    assert [(e["cause"], e["declarationVersion"]) for e in got["indexHistory"]] == [
        ("REGISTRATION", 1), ("DECLARATION_UPDATED", 2),
    ]
    # the old version is kept
    versions = await Declaration.filter(household_id=h["id"]).order_by("version")
    assert [d.version for d in versions] == [1, 2]
    assert sorted(versions[0].assets) == ["REFRIGERATOR", "TELEVISION"]
    assert await Declaration.all().count() == 2


async def test_update_declaration_other_terms_follow_the_formula(gql, tokens):
    admin = tokens.admin()
    h = await worked_example_household(gql, admin)
    # 4 rooms for 4 persons: rooms per person 1 → +0.08·(1 − 0.5); OWNER +0.05
    declaration = factories.declaration_input(rooms=4, occupancy="OWNER")
    got = (await gql.data(UPDATE_DECLARATION, {"householdId": h["id"],
                                               "declaration": declaration}, admin))[
        "updateHouseholdDeclaration"]
    assert abs(got["index"]["value"] - (WORKED_EXAMPLE + 0.04 + 0.05)) < TOL


async def _write_counts(household_id: str) -> tuple[int, int, int]:
    row = await Household.get(id=household_id)
    return (await Declaration.all().count(), await HouseholdIndex.all().count(), row.version)


async def test_update_declaration_rooms_zero_is_refused_and_writes_nothing(gql, tokens):
    admin = tokens.admin()
    h = await worked_example_household(gql, admin)
    before = await _write_counts(h["id"])
    body = await gql(UPDATE_DECLARATION, {"householdId": h["id"],
                                          "declaration": factories.declaration_input(rooms=0)}, admin)
    assert_error(body, "BAD_USER_INPUT", "declaration.rooms")
    assert await _write_counts(h["id"]) == before
    assert before[:2] == (1, 1)


async def test_update_declaration_with_stale_version_is_a_conflict(gql, tokens):
    admin = tokens.admin()
    h = await worked_example_household(gql, admin)
    assert h["version"] == 1
    first = await gql.data(UPDATE_DECLARATION, {
        "householdId": h["id"], "declaration": factories.declaration_input(rooms=3),
        "expectedVersion": 1,
    }, admin)
    assert first["updateHouseholdDeclaration"]["version"] == 2
    before = await _write_counts(h["id"])
    assert before == (2, 2, 2)
    value = (await Household.get(id=h["id"])).index_value

    body = await gql(UPDATE_DECLARATION, {
        "householdId": h["id"], "declaration": factories.declaration_input(assets=["CAR"]),
        "expectedVersion": 1,  # stale: the household is at version 2
    }, admin)
    assert_error(body, "CONFLICT", "expectedVersion")
    assert await _write_counts(h["id"]) == before
    assert (await Household.get(id=h["id"])).index_value == value


# ------------------------------------------------------------------ the citizen's view

async def test_citizen_reads_own_index_and_history(gql, tokens):
    admin = tokens.admin()
    h = await worked_example_household(gql, admin)
    await gql.data(UPDATE_DECLARATION, {"householdId": h["id"],
                                        "declaration": factories.declaration_input(assets=[])}, admin)
    data = await gql.data(MY_HOUSEHOLD, token=tokens.citizen(h["_head"]))
    mine = data["myHousehold"]
    assert mine["id"] == h["id"]
    assert abs(mine["index"]["value"] - (WORKED_EXAMPLE - 0.08)) < TOL
    assert mine["index"]["formulaVersion"] == "v1"
    assert mine["index"]["cause"] == "DECLARATION_UPDATED"
    names = [c["name"] for c in mine["index"]["components"]]
    assert "householdSize" in names and "asset:REFRIGERATOR" not in names
    assert_components_sum(mine["index"])
    assert mine["indexHistory"] == [{"cause": "REGISTRATION"}, {"cause": "DECLARATION_UPDATED"}]

    # a citizen outside any household sees none
    loner = await factories.register_person(gql, admin)
    assert (await gql.data(MY_HOUSEHOLD, token=tokens.citizen(loner)))["myHousehold"] is None


# ------------------------------------------------------------------ the registry's day

async def test_ages_are_counted_on_the_registrys_day(gql, tokens, monkeypatch):
    """Between 23:00 and 24:00 UTC it is already tomorrow in Casablanca: a child whose 15th
    birthday is the registry's today is no longer counted as a child, as eligibility says."""
    frozen = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    local_day = frozen.astimezone(clock.REGISTRY_TZ).date()
    assert local_day == date(2026, 11, 30) != frozen.date()  # precondition: UTC+1 that day
    monkeypatch.setattr(clock, "now", lambda: frozen)
    monkeypatch.setattr(clock, "today", lambda: local_day)

    admin = tokens.admin()
    head = await factories.register_person(gql, admin, birthDate="1980-01-01")
    teen = await minor(gql, admin, birthDate="2011-11-30")  # 15 on 2026-11-30
    payload = household_input(head, [(teen, "CHILD")], housingType="SHANTY", assets=[])
    payload["members"][1]["schooling"] = "IN_SCHOOL"
    h = (await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, admin))["registerHousehold"]

    index = (await read(gql, admin, h["id"]))["index"]
    components = {c["name"]: c["contribution"] for c in index["components"]}
    assert components["childrenShare"] == 0.0, components
    # the same day, Tayssir counts the teenager as 15 (aged 6–15, in school)
    tayssir = await gql.data(
        "query($i: String!) { eligibility(program: TAYSSIR, idcs: $i) { eligible reasons } }",
        {"i": head}, admin,
    )
    assert tayssir["eligibility"] == {"eligible": True, "reasons": ["INDEX_WITHIN_THRESHOLD"]}
