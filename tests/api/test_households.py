"""registerHousehold, household queries and scopes, pagination, member updates (contract §3-§5)."""

from __future__ import annotations

import asyncio
import base64
import re
import uuid
from datetime import timedelta

import pytest

from api.models import Household, Membership, Person
from api.services import clock
from tests import factories
from tests.api.household_helpers import (
    ADD_MEMBER,
    HOUSEHOLD,
    HOUSEHOLDS,
    MY_HOUSEHOLD,
    PERSON,
    REGISTER_HOUSEHOLD,
    REMOVE_MEMBER,
    UPDATE_PERSON,
    adult,
    assert_error,
    counts,
    household_input,
    minor,
    open_memberships_of,
    small_household,
    today,
    unregistered_idcs,
)

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"^RSU-06-[0-9]{9}$")


# ------------------------------------------------------------------ registerHousehold: happy path

async def test_register_household_round_trips_every_field(gql, tokens):
    admin = tokens.admin()
    head = await adult(gql, admin, firstName="Youssef", sex="MALE", birthDate="1980-01-01")
    spouse = await adult(gql, admin, birthDate="1984-02-02")
    child = await minor(gql, admin)
    payload = household_input(head, declarant=spouse, milieu="URBAN", rooms=3,
                              electricityMonthly=120.5, assets=["TELEVISION", "REFRIGERATOR"])
    payload["members"] = [
        {"idcs": spouse, "relationship": "SPOUSE"},
        {"idcs": head, "relationship": "HEAD"},
        {"idcs": child, "relationship": "CHILD", "schooling": "IN_SCHOOL", "hasDisability": True},
    ]
    data = await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, admin)
    h = data["registerHousehold"]

    assert h["status"] == "ACTIVE"
    assert h["province"] == "038"
    assert h["region"] == "06"  # derived from the province, not given
    assert REFERENCE.match(h["reference"]), h["reference"]
    assert uuid.UUID(h["id"])
    assert h["version"] == 1
    assert h["commune"] == "Anfa" and h["address"] == "12 rue des Orangers"
    assert h["milieu"] == "URBAN"
    assert h["size"] == 3
    assert h["head"] == {"idcs": head}
    members = {m["person"]["idcs"]: m for m in h["members"]}
    assert set(members) == {head, spouse, child}
    assert members[head]["relationship"] == "HEAD"
    assert members[spouse]["relationship"] == "SPOUSE"
    assert members[spouse]["schooling"] == "NOT_APPLICABLE"
    assert members[spouse]["hasDisability"] is False
    assert members[child] == {
        "relationship": "CHILD", "schooling": "IN_SCHOOL", "hasDisability": True,
        "since": today(), "person": {"idcs": child},
    }
    d = h["declaration"]
    assert d["version"] == 1
    assert d["headEducation"] == "PRIMARY" and d["headOccupation"] == "WORKER"
    assert d["housingType"] == "APARTMENT" and d["occupancy"] == "TENANT"
    assert d["rooms"] == 3 and d["waterSource"] == "PIPED"
    assert d["electricityMonthly"] == 120.5
    assert d["waterMonthly"] == 60 and d["phoneMonthly"] == 100
    assert d["butaneBottlesMonthly"] == 2
    assert sorted(d["assets"]) == ["REFRIGERATOR", "TELEVISION"]
    assert d["agriculturalLandHectares"] is None and d["livestockUnits"] is None

    # read back: the same answer from household(id)
    again = (await gql.data(HOUSEHOLD, {"id": h["id"]}, admin))["household"]
    assert again == h
    assert await Household.all().count() == 1
    assert await Membership.filter(household_id=h["id"], end_date=None).count() == 3
    row = await Household.get(id=h["id"])
    assert row.declarant_id == (await Person.get(idcs=spouse)).id


async def test_register_rural_household_with_land_and_livestock(gql, tokens):
    admin = tokens.admin()
    head = await adult(gql, admin)
    payload = household_input(head, province="047", milieu="RURAL",
                              agriculturalLandHectares=2.5, livestockUnits=4)
    h = (await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, admin))["registerHousehold"]
    assert h["region"] == "07"
    assert re.match(r"^RSU-07-[0-9]{9}$", h["reference"])
    assert h["declaration"]["agriculturalLandHectares"] == 2.5
    assert h["declaration"]["livestockUnits"] == 4
    assert h["size"] == 1 and h["head"]["idcs"] == head


# ------------------------------------------------------------------ registerHousehold: failures

@pytest.fixture
async def people(gql, tokens):
    admin = tokens.admin()
    return {
        "head": await adult(gql, admin, firstName="Youssef", sex="MALE", birthDate="1980-01-01"),
        "spouse": await adult(gql, admin, birthDate="1984-02-02"),
        "child": await minor(gql, admin),
    }


async def _expect_failure(gql, token, payload, code, field):
    before = await counts()
    assert before["households"] == 0
    body = await gql(REGISTER_HOUSEHOLD, {"input": payload}, token)
    assert_error(body, code, field)
    assert await Household.all().count() == 0
    assert await Membership.all().count() == 0
    assert await counts() == before


async def test_no_head_is_refused(gql, tokens, people):
    payload = household_input(people["head"], [(people["spouse"], "SPOUSE")])
    payload["members"][0]["relationship"] = "SPOUSE"
    await _expect_failure(gql, tokens.admin(), payload, "BAD_USER_INPUT", "input.members")


async def test_two_heads_are_refused(gql, tokens, people):
    payload = household_input(people["head"], [(people["spouse"], "HEAD")])
    await _expect_failure(gql, tokens.admin(), payload, "BAD_USER_INPUT", "input.members")


async def test_declarant_must_be_a_member(gql, tokens, people):
    outsider = await adult(gql, tokens.admin())
    payload = household_input(people["head"], [(people["spouse"], "SPOUSE")], declarant=outsider)
    await _expect_failure(gql, tokens.admin(), payload, "BAD_USER_INPUT", "input.declarantIdcs")


async def test_declarant_must_be_an_adult(gql, tokens, people):
    payload = household_input(people["head"], [(people["child"], "CHILD")],
                              declarant=people["child"])
    await _expect_failure(gql, tokens.admin(), payload, "BAD_USER_INPUT", "input.declarantIdcs")


async def test_member_must_be_in_the_population_register(gql, tokens, people):
    ghost = await unregistered_idcs()
    payload = household_input(people["head"], [(people["spouse"], "SPOUSE"), (ghost, "CHILD")])
    await _expect_failure(gql, tokens.admin(), payload, "BAD_USER_INPUT", "input.members[2].idcs")


@pytest.mark.parametrize("bad", ["123", "12345678901", "abcdefghij", "1234567890"])
async def test_malformed_member_idcs(gql, tokens, people, bad):
    payload = household_input(people["head"], [(bad, "SPOUSE")])
    await _expect_failure(gql, tokens.admin(), payload, "BAD_USER_INPUT", "input.members[1].idcs")


async def test_same_person_listed_twice(gql, tokens, people):
    payload = household_input(people["head"], [(people["spouse"], "SPOUSE"),
                                               (people["spouse"], "SIBLING")])
    await _expect_failure(gql, tokens.admin(), payload, "BAD_USER_INPUT", "input.members[2].idcs")


@pytest.mark.parametrize("province", ["999", "000", "38", "ABC", ""])
async def test_unknown_province(gql, tokens, people, province):
    payload = household_input(people["head"], province=province)
    await _expect_failure(gql, tokens.admin(), payload, "BAD_USER_INPUT", "input.province")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rooms": 0}, "rooms"),
        ({"rooms": 31}, "rooms"),
        ({"electricityMonthly": -1}, "electricityMonthly"),
        ({"electricityMonthly": -0.01}, "electricityMonthly"),
        ({"electricityMonthly": 100000.01}, "electricityMonthly"),
        ({"waterMonthly": 200000}, "waterMonthly"),
        ({"phoneMonthly": -5}, "phoneMonthly"),
        ({"butaneBottlesMonthly": 51}, "butaneBottlesMonthly"),
        ({"butaneBottlesMonthly": -1}, "butaneBottlesMonthly"),
        ({"agriculturalLandHectares": 1}, "agriculturalLandHectares"),
        ({"livestockUnits": 2}, "livestockUnits"),
    ],
)
async def test_declaration_out_of_bounds(gql, tokens, people, overrides, field):
    payload = household_input(people["head"], milieu="URBAN", **overrides)
    await _expect_failure(gql, tokens.admin(), payload, "BAD_USER_INPUT",
                          f"input.declaration.{field}")


async def test_declaration_bounds_are_inclusive(gql, tokens, people):
    payload = household_input(people["head"], rooms=30, electricityMonthly=100000,
                              butaneBottlesMonthly=50, waterMonthly=0, phoneMonthly=0)
    data = await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, tokens.admin())
    h = data["registerHousehold"]
    assert h["declaration"]["rooms"] == 30
    assert h["declaration"]["electricityMonthly"] == 100000
    assert h["declaration"]["butaneBottlesMonthly"] == 50


async def test_rural_land_over_bound(gql, tokens, people):
    payload = household_input(people["head"], milieu="RURAL", province="047",
                              agriculturalLandHectares=10000.01)
    await _expect_failure(gql, tokens.admin(), payload, "BAD_USER_INPUT",
                          "input.declaration.agriculturalLandHectares")


async def test_person_already_in_another_household_is_a_conflict(gql, tokens):
    admin = tokens.admin()
    first = await small_household(gql, admin)
    taken = first["_others"][0]
    head = await adult(gql, admin)
    before = await counts()
    payload = household_input(head, [(taken, "SPOUSE")])
    body = await gql(REGISTER_HOUSEHOLD, {"input": payload}, admin)
    assert_error(body, "CONFLICT", "input.members[1].idcs")
    assert await counts() == before
    (membership,) = await open_memberships_of(taken)
    assert str(membership.household_id) == first["id"]
    assert await open_memberships_of(head) == []


async def test_deceased_member_is_refused(gql, tokens, people):
    admin = tokens.admin()
    await gql.data(UPDATE_PERSON, {"idcs": people["spouse"], "input": {"deathDate": "2024-01-01"}},
                   admin)
    payload = household_input(people["head"], [(people["spouse"], "SPOUSE")])
    await _expect_failure(gql, admin, payload, "BAD_USER_INPUT", "input.members[1].idcs")


async def test_empty_member_list_is_refused(gql, tokens, people):
    payload = household_input(people["head"])
    payload["members"] = []
    await _expect_failure(gql, tokens.admin(), payload, "BAD_USER_INPUT", "input.members")


async def test_failed_registration_leaves_members_free(gql, tokens, people):
    """After a refused registration, the same persons can be registered in a household."""
    admin = tokens.admin()
    bad = household_input(people["head"], [(people["spouse"], "SPOUSE")], rooms=0)
    assert_error(await gql(REGISTER_HOUSEHOLD, {"input": bad}, admin), "BAD_USER_INPUT")
    good = household_input(people["head"], [(people["spouse"], "SPOUSE")])
    h = (await gql.data(REGISTER_HOUSEHOLD, {"input": good}, admin))["registerHousehold"]
    assert h["size"] == 2


# ------------------------------------------------------------------ row scopes

async def test_registrar_registers_in_own_province_only(gql, tokens):
    registrar = tokens.registrar("038")
    head = await adult(gql, registrar)
    other = await adult(gql, registrar)
    h = (await gql.data(REGISTER_HOUSEHOLD, {"input": household_input(head)}, registrar))[
        "registerHousehold"]
    assert h["province"] == "038"

    before = await counts()
    body = await gql(REGISTER_HOUSEHOLD, {"input": household_input(other, province="047")},
                     registrar)
    assert_error(body, "FORBIDDEN")
    assert await counts() == before
    assert await open_memberships_of(other) == []


async def test_registrar_reads_only_own_provinces(gql, tokens):
    admin = tokens.admin()
    inside = [await small_household(gql, admin, province="038") for _ in range(2)]
    inside.append(await small_household(gql, admin, province="039"))
    outside = await small_household(gql, admin, province="047")
    registrar = tokens.registrar("038", "039")

    got = (await gql.data(HOUSEHOLD, {"id": inside[0]["id"]}, registrar))["household"]
    assert got["id"] == inside[0]["id"]
    assert got["head"]["idcs"] == inside[0]["_head"]

    assert_error(await gql(HOUSEHOLD, {"id": outside["id"]}, registrar), "NOT_FOUND")
    # indistinguishable from an id that does not exist
    missing = await gql(HOUSEHOLD, {"id": str(uuid.uuid4())}, registrar)
    assert_error(missing, "NOT_FOUND")

    page = (await gql.data(HOUSEHOLDS, {"first": 50}, registrar))["households"]
    assert page["totalCount"] == 3
    assert {e["node"]["id"] for e in page["edges"]} == {h["id"] for h in inside}
    assert {e["node"]["province"] for e in page["edges"]} == {"038", "039"}
    assert page["pageInfo"]["hasNextPage"] is False

    only_038 = (await gql.data(HOUSEHOLDS, {"first": 50, "filter": {"province": "038"}},
                               registrar))["households"]
    assert only_038["totalCount"] == 2
    # filtering on a province outside the token does not widen the scope
    foreign = (await gql.data(HOUSEHOLDS, {"first": 50, "filter": {"province": "047"}},
                              registrar))["households"]
    assert foreign["totalCount"] == 0 and foreign["edges"] == []

    # the person of an out-of-scope household may be looked up, but not their household
    person = (await gql.data(PERSON, {"idcs": outside["_head"]}, registrar))["person"]
    assert person["idcs"] == outside["_head"]
    assert person["household"] is None


async def test_citizen_sees_only_own_household(gql, tokens):
    admin = tokens.admin()
    mine = await small_household(gql, admin)
    other = await small_household(gql, admin)
    citizen = tokens.citizen(mine["_others"][0])

    own = (await gql.data(MY_HOUSEHOLD, {}, citizen))["myHousehold"]
    assert own["id"] == mine["id"]
    assert own["head"]["idcs"] == mine["_head"]
    by_id = (await gql.data(HOUSEHOLD, {"id": mine["id"]}, citizen))["household"]
    assert by_id["id"] == mine["id"]

    assert_error(await gql(HOUSEHOLD, {"id": other["id"]}, citizen), "NOT_FOUND")

    page = (await gql.data(HOUSEHOLDS, {"first": 20}, citizen))["households"]
    assert page["totalCount"] == 1
    assert [e["node"]["id"] for e in page["edges"]] == [mine["id"]]


async def test_citizen_without_household(gql, tokens):
    admin = tokens.admin()
    await small_household(gql, admin)
    loner = await adult(gql, admin)
    citizen = tokens.citizen(loner)
    assert (await gql.data(MY_HOUSEHOLD, {}, citizen))["myHousehold"] is None
    page = (await gql.data(HOUSEHOLDS, {"first": 20}, citizen))["households"]
    assert page == {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None},
                    "totalCount": 0}


async def test_program_agency_cannot_browse(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin)
    agency = tokens.program("AMO_TADAMON")
    body = await gql("query($id: ID!) { household(id: $id) { id } }", {"id": h["id"]}, agency)
    assert_error(body, "FORBIDDEN")
    assert body["errors"][0]["extensions"]["deniedFields"] == ["Query.household"]
    body = await gql("query { households(first: 5) { totalCount edges { node { id } } } }", {}, agency)
    assert_error(body, "FORBIDDEN")
    assert "Query.households" in body["errors"][0]["extensions"]["deniedFields"]
    assert body["data"] is None


async def test_auditor_cannot_read_households(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin)
    auditor = tokens.auditor()
    body = await gql("query($id: ID!) { household(id: $id) { id } }", {"id": h["id"]}, auditor)
    assert_error(body, "FORBIDDEN")
    assert body["errors"][0]["extensions"]["deniedFields"] == ["Household.id", "Query.household"]
    body = await gql("query { households(first: 5) { totalCount } }", {}, auditor)
    assert_error(body, "FORBIDDEN")
    assert body["errors"][0]["extensions"]["deniedFields"] == [
        "HouseholdConnection.totalCount", "Query.households"]


# ------------------------------------------------------------------ idempotency

async def test_retry_with_same_idempotency_key_returns_the_first_household(gql, tokens, people):
    admin = tokens.admin()
    payload = household_input(people["head"], [(people["spouse"], "SPOUSE")])
    payload["idempotencyKey"] = "household-retry-1"
    first = (await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, admin))["registerHousehold"]
    second = (await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, admin))["registerHousehold"]
    assert second["id"] == first["id"]
    assert second["reference"] == first["reference"]
    assert await Household.all().count() == 1
    assert await Membership.all().count() == 2

    # the same key with a different input is a conflict, and writes nothing
    changed = dict(payload, declaration=dict(payload["declaration"], rooms=5))
    before = await counts()
    assert_error(await gql(REGISTER_HOUSEHOLD, {"input": changed}, admin), "CONFLICT")
    assert await counts() == before


async def test_concurrent_retries_with_same_key_create_one_household(gql, tokens, people):
    admin = tokens.admin()
    payload = household_input(people["head"], [(people["spouse"], "SPOUSE"),
                                               (people["child"], "CHILD")])
    payload["idempotencyKey"] = "household-burst-1"
    bodies = await asyncio.gather(
        *[gql(REGISTER_HOUSEHOLD, {"input": payload}, admin) for _ in range(10)]
    )
    for body in bodies:
        assert not body.get("errors"), body["errors"]
    ids = {b["data"]["registerHousehold"]["id"] for b in bodies}
    assert len(ids) == 1
    assert await Household.all().count() == 1
    assert await Membership.all().count() == 3
    assert (await counts())["idempotency"] == 1


# ------------------------------------------------------------------ pagination and filters

@pytest.fixture
async def seven(gql, tokens):
    """Seven households: five in 038 (region 06; one rural, one closed), one in 047 (07, rural),
    one in 001 (01)."""
    admin = tokens.admin()
    spec = [("038", "URBAN")] * 4 + [("038", "RURAL"), ("047", "RURAL"), ("001", "URBAN")]
    made = [await small_household(gql, admin, province=p, milieu=m) for p, m in spec]
    closing = made[1]
    for who in (closing["_others"][0], closing["_head"]):
        await gql.data(REMOVE_MEMBER, {"householdId": closing["id"], "idcs": who,
                                       "reason": "MOVED_OUT", "effectiveDate": today()}, admin)
    return made


async def _all_pages(gql, token, first, filt=None):
    seen, after, pages = [], None, 0
    while True:
        page = (await gql.data(HOUSEHOLDS, {"first": first, "after": after, "filter": filt},
                               token))["households"]
        pages += 1
        assert len(page["edges"]) <= first
        seen.extend(e["node"]["id"] for e in page["edges"])
        if page["edges"]:
            assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        if not page["pageInfo"]["hasNextPage"]:
            return seen, page["totalCount"], pages
        after = page["pageInfo"]["endCursor"]
        assert pages < 20


async def test_pagination_walks_every_household_once(gql, tokens, seven):
    admin = tokens.admin()
    ids, total, pages = await _all_pages(gql, admin, 3)
    assert total == 7
    assert pages == 3
    assert len(ids) == len(set(ids)) == 7
    assert set(ids) == {h["id"] for h in seven}

    first = (await gql.data(HOUSEHOLDS, {"first": 3}, admin))["households"]
    assert first["totalCount"] == 7 and len(first["edges"]) == 3
    assert first["pageInfo"]["hasNextPage"] is True
    exact = (await gql.data(HOUSEHOLDS, {"first": 7}, admin))["households"]
    assert len(exact["edges"]) == 7 and exact["pageInfo"]["hasNextPage"] is False
    empty = (await gql.data(HOUSEHOLDS, {"first": 0}, admin))["households"]
    assert empty["edges"] == [] and empty["totalCount"] == 7


@pytest.mark.parametrize(
    ("filt", "expected"),
    [
        ({"milieu": "RURAL"}, {4, 5}),
        ({"milieu": "URBAN"}, {0, 1, 2, 3, 6}),
        ({"province": "038"}, {0, 1, 2, 3, 4}),
        ({"province": "047"}, {5}),
        ({"region": "06"}, {0, 1, 2, 3, 4}),
        ({"region": "01"}, {6}),
        ({"region": "12"}, set()),
        ({"status": "CLOSED"}, {1}),
        ({"status": "ACTIVE"}, {0, 2, 3, 4, 5, 6}),
        ({"province": "038", "milieu": "URBAN", "status": "ACTIVE"}, {0, 2, 3}),
    ],
)
async def test_filters(gql, tokens, seven, filt, expected):
    ids, total, _ = await _all_pages(gql, tokens.admin(), 2, filt)
    assert total == len(expected)
    assert sorted(ids) == sorted(seven[i]["id"] for i in expected)


async def test_filters_are_applied_to_nodes(gql, tokens, seven):
    page = (await gql.data(HOUSEHOLDS, {"first": 20, "filter": {"region": "06"}},
                           tokens.admin()))["households"]
    assert {e["node"]["region"] for e in page["edges"]} == {"06"}
    assert {e["node"]["province"] for e in page["edges"]} == {"038"}


@pytest.mark.parametrize("first", [101, 1000, -1])
async def test_page_size_bounds(gql, tokens, first):
    body = await gql(HOUSEHOLDS, {"first": first}, tokens.admin())
    assert_error(body, "BAD_USER_INPUT", "first")


async def test_page_size_100_is_allowed(gql, tokens):
    page = (await gql.data(HOUSEHOLDS, {"first": 100}, tokens.admin()))["households"]
    assert page["totalCount"] == 0


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "!!!",
        base64.urlsafe_b64encode(b"household:not-a-uuid").decode(),
        base64.urlsafe_b64encode(b"person:" + str(uuid.uuid4()).encode()).decode(),
        base64.urlsafe_b64encode(b"\xff\xfe\xfd").decode(),
        "",
    ],
)
async def test_malformed_cursor(gql, tokens, cursor):
    body = await gql(HOUSEHOLDS, {"first": 5, "after": cursor}, tokens.admin())
    assert_error(body, "BAD_USER_INPUT", "after")


@pytest.mark.parametrize("filt", [{"province": "999"}, {"region": "13"}])
async def test_unknown_filter_codes(gql, tokens, filt):
    body = await gql(HOUSEHOLDS, {"first": 5, "filter": filt}, tokens.admin())
    assert_error(body, "BAD_USER_INPUT")


# ------------------------------------------------------------------ addHouseholdMember

async def test_add_member(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin)
    newcomer = await minor(gql, admin)
    data = await gql.data(ADD_MEMBER, {"householdId": h["id"], "idcs": newcomer,
                                       "relationship": "CHILD", "expectedVersion": h["version"]},
                          admin)
    after = data["addHouseholdMember"]
    assert after["id"] == h["id"]
    assert after["size"] == h["size"] + 1
    assert after["version"] == h["version"] + 1
    added = next(m for m in after["members"] if m["person"]["idcs"] == newcomer)
    assert added["relationship"] == "CHILD" and added["since"] == today()
    assert after["head"]["idcs"] == h["_head"]
    (membership,) = await open_memberships_of(newcomer)
    assert str(membership.household_id) == h["id"]


async def test_add_member_with_stale_version_changes_nothing(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin)
    newcomer = await adult(gql, admin)
    body = await gql(ADD_MEMBER, {"householdId": h["id"], "idcs": newcomer,
                                  "relationship": "SIBLING", "expectedVersion": h["version"] + 5},
                     admin)
    assert_error(body, "CONFLICT", "expectedVersion")
    now = (await gql.data(HOUSEHOLD, {"id": h["id"]}, admin))["household"]
    assert now["version"] == h["version"] and now["size"] == h["size"]
    assert await open_memberships_of(newcomer) == []
    assert await Membership.filter(household_id=h["id"]).count() == h["size"]


async def test_add_member_as_head_is_refused(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin)
    newcomer = await adult(gql, admin)
    body = await gql(ADD_MEMBER, {"householdId": h["id"], "idcs": newcomer, "relationship": "HEAD"},
                     admin)
    assert_error(body, "BAD_USER_INPUT", "relationship")
    assert await open_memberships_of(newcomer) == []
    assert (await Household.get(id=h["id"])).version == h["version"]


async def test_add_member_from_another_household_is_a_conflict(gql, tokens):
    admin = tokens.admin()
    a = await small_household(gql, admin)
    b = await small_household(gql, admin)
    moving = b["_others"][0]
    body = await gql(ADD_MEMBER, {"householdId": a["id"], "idcs": moving,
                                  "relationship": "SIBLING"}, admin)
    assert_error(body, "CONFLICT")
    (membership,) = await open_memberships_of(moving)
    assert str(membership.household_id) == b["id"]
    assert (await Household.get(id=a["id"])).version == a["version"]
    # already a member of this very household
    body = await gql(ADD_MEMBER, {"householdId": a["id"], "idcs": a["_others"][0],
                                  "relationship": "SIBLING"}, admin)
    assert_error(body, "CONFLICT")
    assert await Membership.filter(household_id=a["id"]).count() == a["size"]


async def test_add_member_to_unknown_or_malformed_household(gql, tokens):
    admin = tokens.admin()
    person = await adult(gql, admin)
    body = await gql(ADD_MEMBER, {"householdId": str(uuid.uuid4()), "idcs": person,
                                  "relationship": "CHILD"}, admin)
    assert_error(body, "NOT_FOUND")
    body = await gql(ADD_MEMBER, {"householdId": "not-a-uuid", "idcs": person,
                                  "relationship": "CHILD"}, admin)
    assert_error(body, "BAD_USER_INPUT", "householdId")
    assert await Membership.all().count() == 0


async def test_add_unregistered_or_malformed_person(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin)
    body = await gql(ADD_MEMBER, {"householdId": h["id"], "idcs": await unregistered_idcs(),
                                  "relationship": "CHILD"}, admin)
    assert_error(body, "BAD_USER_INPUT", "idcs")
    body = await gql(ADD_MEMBER, {"householdId": h["id"], "idcs": "1234567890",
                                  "relationship": "CHILD"}, admin)
    assert_error(body, "BAD_USER_INPUT", "idcs")
    assert (await Household.get(id=h["id"])).version == h["version"]


async def test_registrar_outside_province_cannot_add(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin, province="047")
    registrar = tokens.registrar("038")
    newcomer = await adult(gql, registrar)
    body = await gql(ADD_MEMBER, {"householdId": h["id"], "idcs": newcomer,
                                  "relationship": "SIBLING"}, registrar)
    assert_error(body, "NOT_FOUND")
    assert await open_memberships_of(newcomer) == []
    assert (await Household.get(id=h["id"])).version == h["version"]
    # but may in its own province
    mine = await small_household(gql, admin, province="038")
    data = await gql.data(ADD_MEMBER, {"householdId": mine["id"], "idcs": newcomer,
                                       "relationship": "SIBLING"}, registrar)
    assert data["addHouseholdMember"]["size"] == mine["size"] + 1


# ------------------------------------------------------------------ removeHouseholdMember

def _remove_vars(h, idcs, reason="MOVED_OUT", effective=None, **extra):
    return {"householdId": h["id"], "idcs": idcs, "reason": reason,
            "effectiveDate": effective or today(), **extra}


async def test_remove_member_keeps_history(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin, extra=2)
    leaving = h["_others"][1]
    data = await gql.data(REMOVE_MEMBER, _remove_vars(h, leaving, expectedVersion=h["version"]),
                          admin)
    after = data["removeHouseholdMember"]
    assert after["size"] == h["size"] - 1
    assert after["version"] == h["version"] + 1
    assert after["status"] == "ACTIVE"
    assert leaving not in {m["person"]["idcs"] for m in after["members"]}

    rows = await Membership.filter(person__idcs=leaving)
    assert len(rows) == 1  # history kept: the row is ended, not deleted
    assert rows[0].end_date == clock.today()
    assert rows[0].exit_reason == "MOVED_OUT"
    assert str(rows[0].household_id) == h["id"]
    assert await Membership.filter(household_id=h["id"]).count() == 3

    person = (await gql.data(PERSON, {"idcs": leaving}, admin))["person"]
    assert person["household"] is None and person["deathDate"] is None


async def test_removing_head_needs_new_head(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin, extra=2)
    body = await gql(REMOVE_MEMBER, _remove_vars(h, h["_head"]), admin)
    assert_error(body, "BAD_USER_INPUT", "newHeadIdcs")
    assert (await Household.get(id=h["id"])).version == h["version"]
    assert len(await open_memberships_of(h["_head"])) == 1

    # naming someone who is not a current member
    stranger = await adult(gql, admin)
    body = await gql(REMOVE_MEMBER, _remove_vars(h, h["_head"], newHeadIdcs=stranger), admin)
    assert_error(body, "BAD_USER_INPUT", "newHeadIdcs")

    new_head = h["_others"][1]
    data = await gql.data(REMOVE_MEMBER, _remove_vars(h, h["_head"], newHeadIdcs=new_head), admin)
    after = data["removeHouseholdMember"]
    assert after["head"]["idcs"] == new_head
    assert after["size"] == 2
    relationships = {m["person"]["idcs"]: m["relationship"] for m in after["members"]}
    assert relationships == {new_head: "HEAD", h["_others"][0]: "SPOUSE"}
    assert await Membership.filter(household_id=h["id"], end_date=None,
                                   relationship="HEAD").count() == 1


async def test_new_head_only_when_head_leaves(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin, extra=2)
    body = await gql(REMOVE_MEMBER, _remove_vars(h, h["_others"][0], newHeadIdcs=h["_others"][1]),
                     admin)
    assert_error(body, "BAD_USER_INPUT", "newHeadIdcs")


async def test_removing_last_member_closes_household(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin, extra=1)
    step = await gql.data(REMOVE_MEMBER, _remove_vars(h, h["_others"][0]), admin)
    assert step["removeHouseholdMember"]["status"] == "ACTIVE"
    data = await gql.data(REMOVE_MEMBER, _remove_vars(h, h["_head"]), admin)
    after = data["removeHouseholdMember"]
    assert after["status"] == "CLOSED"
    assert after["size"] == 0 and after["members"] == [] and after["head"] is None
    assert (await Household.get(id=h["id"])).status == "CLOSED"
    assert await Membership.filter(household_id=h["id"]).count() == 2
    assert await Membership.filter(household_id=h["id"], end_date=None).count() == 0
    # a closed household takes no new member
    newcomer = await adult(gql, admin)
    body = await gql(ADD_MEMBER, {"householdId": h["id"], "idcs": newcomer,
                                  "relationship": "SPOUSE"}, admin)
    assert_error(body, "BAD_USER_INPUT")


async def test_effective_date_in_future_is_refused(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin)
    tomorrow = (clock.today() + timedelta(days=1)).isoformat()
    body = await gql(REMOVE_MEMBER, _remove_vars(h, h["_others"][0], effective=tomorrow), admin)
    assert_error(body, "BAD_USER_INPUT", "effectiveDate")
    assert len(await open_memberships_of(h["_others"][0])) == 1
    assert (await Household.get(id=h["id"])).version == h["version"]


async def test_remove_non_member_is_refused(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin)
    stranger = await adult(gql, admin)
    body = await gql(REMOVE_MEMBER, _remove_vars(h, stranger), admin)
    assert_error(body, "BAD_USER_INPUT", "idcs")
    assert (await Household.get(id=h["id"])).version == h["version"]


async def test_removal_for_death_records_death_date(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin, extra=2)
    dying = h["_others"][0]
    data = await gql.data(REMOVE_MEMBER, _remove_vars(h, dying, reason="DEATH"), admin)
    assert data["removeHouseholdMember"]["size"] == 2
    person = (await gql.data(PERSON, {"idcs": dying}, admin))["person"]
    assert person["deathDate"] == today()
    assert person["household"] is None
    (row,) = await Membership.filter(person__idcs=dying)
    assert row.exit_reason == "DEATH" and row.end_date == clock.today()
    assert (await Person.get(idcs=dying)).death_date == clock.today()
    # a deceased person cannot join another household
    other = await small_household(gql, admin)
    body = await gql(ADD_MEMBER, {"householdId": other["id"], "idcs": dying,
                                  "relationship": "SIBLING"}, admin)
    assert_error(body, "BAD_USER_INPUT", "idcs")


async def test_removed_person_can_join_another_household(gql, tokens):
    admin = tokens.admin()
    a = await small_household(gql, admin, extra=2)
    b = await small_household(gql, admin)
    moving = a["_others"][1]
    await gql.data(REMOVE_MEMBER, _remove_vars(a, moving, reason="MARRIAGE"), admin)
    data = await gql.data(ADD_MEMBER, {"householdId": b["id"], "idcs": moving,
                                       "relationship": "SPOUSE"}, admin)
    assert moving in {m["person"]["idcs"] for m in data["addHouseholdMember"]["members"]}
    rows = await Membership.filter(person__idcs=moving).order_by("id")
    assert [str(r.household_id) for r in rows] == [a["id"], b["id"]]
    assert rows[0].end_date is not None and rows[1].end_date is None
    person = (await gql.data(PERSON, {"idcs": moving}, admin))["person"]
    assert person["household"]["id"] == b["id"]


async def test_registrar_outside_province_cannot_remove(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin, province="047")
    body = await gql(REMOVE_MEMBER, _remove_vars(h, h["_others"][0]), tokens.registrar("038"))
    assert_error(body, "NOT_FOUND")
    assert len(await open_memberships_of(h["_others"][0])) == 1


async def test_factory_household_still_registers(gql, tokens):
    """The shared factory builds a four-member household through the API."""
    h = await factories.register_household(gql, tokens.admin())
    assert h["size"] == 4 and h["region"] == "06"


async def test_first_null_means_the_default_page_size(gql, tokens):
    """Contract §3: `first: Int = 20` — an explicit null is the default, not an error."""
    admin = tokens.admin()
    for _ in range(2):
        await small_household(gql, admin, extra=0)
    query = "query($first: Int) { households(first: $first) { totalCount edges { cursor } } }"
    body = await gql(query, {"first": None}, admin)
    assert not body.get("errors"), body
    assert body["data"]["households"]["totalCount"] == 2
    assert len(body["data"]["households"]["edges"]) == 2


# ------------------------------------------------------------------ paging without counting

async def test_a_page_counts_its_rows_only_when_total_count_is_asked_for(gql, tokens, caplog):
    """A registrar's page of twenty must not count the region's households (hundreds of
    thousands on the national register) unless the caller selects `totalCount`."""
    import logging

    admin = tokens.admin()
    for _ in range(3):
        await factories.register_household(gql, admin)
    caplog.set_level(logging.DEBUG, logger="tortoise.db_client")

    def counts() -> int:
        return sum("COUNT(" in r.getMessage().upper() for r in caplog.records)

    caplog.clear()
    page = await gql.data("{ households(first: 2) { edges { node { id } } pageInfo { "
                          "hasNextPage } } }", token=admin)
    assert len(page["households"]["edges"]) == 2 and page["households"]["pageInfo"]["hasNextPage"]
    assert counts() == 0
    caplog.clear()
    page = await gql.data("{ households(first: 2) { totalCount a: totalCount } }", token=admin)
    assert page["households"]["totalCount"] == page["households"]["a"] >= 3
    assert counts() == 1  # counted once, however often it is selected
