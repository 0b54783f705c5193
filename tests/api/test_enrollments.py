"""Program enrollments over GraphQL: only an eligible household enrols, at most once at a time
per program; ending keeps the record (contract §3, docs/index-and-programs.md "Enrollments")."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import datetime, timedelta

import pytest
from tortoise.exceptions import IntegrityError as OrmIntegrityError

from api.models import Enrollment, Household
from tests import factories
from tests.api.household_helpers import REGISTER_HOUSEHOLD, assert_error, household_input

pytestmark = pytest.mark.e2e

AMO, ASD, TAYSSIR = "AMO_TADAMON", "ASD", "TAYSSIR"

ENROLLMENT_FIELDS = "id program status startedAt endedAt endReason household { id }"

ENROLL = f"""
mutation($program: ProgramCode!, $householdId: ID!) {{
  enroll(program: $program, householdId: $householdId) {{ {ENROLLMENT_FIELDS} }}
}}
"""

END = f"""
mutation($id: ID!, $reason: String!) {{
  endEnrollment(id: $id, reason: $reason) {{ {ENROLLMENT_FIELDS} }}
}}
"""

ENROLLMENTS = """
query($program: ProgramCode!, $status: EnrollmentStatus, $first: Int, $after: String) {
  enrollments(program: $program, status: $status, first: $first, after: $after) {
    edges { cursor node { id program status household { id } } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}
"""

HOUSEHOLD_ENROLLMENTS = """
query($id: ID!) { household(id: $id) { id enrollments { id program status endReason } } }
"""

POOR = {
    "headEducation": "NONE", "headOccupation": "UNEMPLOYED", "housingType": "SHANTY",
    "occupancy": "FREE_OCCUPANT", "rooms": 1, "waterSource": "PUBLIC_TAP",
    "electricityMonthly": 30, "waterMonthly": 0, "phoneMonthly": 20, "butaneBottlesMonthly": 1,
    "assets": [],
}


async def poor_household(gql, admin) -> dict:
    """A one-adult household well under every threshold but Tayssir's child condition."""
    head = await factories.register_person(gql, admin)
    payload = household_input(head, **POOR)
    h = (await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, admin))["registerHousehold"]
    h["_head"] = head
    return h


def parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def assert_recent(ts: str) -> None:
    moment = parse(ts)
    assert moment.tzinfo is not None
    assert abs(datetime.now(moment.tzinfo) - moment) < timedelta(minutes=5), ts


async def enroll(gql, token, program, household_id) -> dict:
    return (await gql.data(ENROLL, {"program": program, "householdId": household_id},
                           token))["enroll"]


# ------------------------------------------------------------------ enroll

@pytest.mark.parametrize("caller", ["admin", "agency"])
async def test_enroll_an_eligible_household(gql, tokens, caller):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    token = admin if caller == "admin" else tokens.program(ASD)
    e = await enroll(gql, token, ASD, h["id"])
    assert uuid.UUID(e["id"])
    assert e["program"] == ASD
    assert e["status"] == "ACTIVE"
    assert e["household"] == {"id": h["id"]}
    assert e["endedAt"] is None and e["endReason"] is None
    assert_recent(e["startedAt"])

    row = await Enrollment.get(id=e["id"])
    household = await Household.get(id=h["id"])
    assert row.status == "ACTIVE" and row.program == ASD
    assert row.index_value == household.index_value
    assert row.formula_version == "v1"
    assert row.threshold == 9.743001
    assert row.enrolled_by == ("admin-1" if caller == "admin" else "agency-ASD")


async def test_enrolling_twice_is_a_conflict(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    await enroll(gql, admin, AMO, h["id"])
    body = await gql(ENROLL, {"program": AMO, "householdId": h["id"]}, tokens.program(AMO))
    assert_error(body, "CONFLICT")
    assert await Enrollment.filter(household_id=h["id"]).count() == 1
    # another program is a separate enrollment
    await enroll(gql, admin, ASD, h["id"])
    assert await Enrollment.filter(household_id=h["id"], status="ACTIVE").count() == 2


async def test_ten_concurrent_enrolls_give_exactly_one_active_enrollment(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    agency = tokens.program(ASD)
    bodies = await asyncio.gather(*[
        gql(ENROLL, {"program": ASD, "householdId": h["id"]}, agency if i % 2 else admin)
        for i in range(10)
    ])
    outcomes = Counter(
        "OK" if not b.get("errors") else b["errors"][0]["extensions"]["code"] for b in bodies
    )
    assert outcomes == Counter({"OK": 1, "CONFLICT": 9}), bodies
    rows = await Enrollment.filter(household_id=h["id"], program=ASD)
    assert len(rows) == 1 and rows[0].status == "ACTIVE"
    winner = next(b for b in bodies if not b.get("errors"))["data"]["enroll"]
    assert str(rows[0].id) == winner["id"]
    # the database has the last word: a second ACTIVE row is refused by the partial unique index
    with pytest.raises(OrmIntegrityError):
        await Enrollment.create(
            id=uuid.uuid4(), program=ASD, household_id=h["id"], status="ACTIVE",
            started_at=rows[0].started_at, enrolled_by="test", index_value=rows[0].index_value,
            threshold=rows[0].threshold, formula_version="v1",
        )
    assert await Enrollment.filter(household_id=h["id"]).count() == 1


async def test_enrolling_an_ineligible_household_is_refused_with_reasons(gql, tokens):
    admin = tokens.admin()
    h = await factories.register_household(gql, admin)  # the worked example: 9.3575 > 9.3264
    body = await gql(ENROLL, {"program": AMO, "householdId": h["id"]}, tokens.program(AMO))
    err = assert_error(body, "BAD_USER_INPUT", "householdId")
    assert "INDEX_ABOVE_THRESHOLD" in err["extensions"]["reasons"]
    assert await Enrollment.all().count() == 0

    single = await poor_household(gql, admin)  # no child: fails Tayssir's rule only
    body = await gql(ENROLL, {"program": TAYSSIR, "householdId": single["id"]}, admin)
    err = assert_error(body, "BAD_USER_INPUT", "householdId")
    assert err["extensions"]["reasons"] == ["NO_QUALIFYING_CHILD"]

    await Household.filter(id=single["id"]).update(status="SUSPENDED")
    body = await gql(ENROLL, {"program": ASD, "householdId": single["id"]}, admin)
    err = assert_error(body, "BAD_USER_INPUT", "householdId")
    assert err["extensions"]["reasons"] == ["HOUSEHOLD_NOT_ACTIVE"]
    assert await Enrollment.all().count() == 0


async def test_enroll_unknown_or_malformed_household(gql, tokens):
    admin = tokens.admin()
    body = await gql(ENROLL, {"program": ASD, "householdId": str(uuid.uuid4())}, admin)
    assert_error(body, "NOT_FOUND")
    body = await gql(ENROLL, {"program": ASD, "householdId": "not-a-uuid"}, admin)
    assert_error(body, "BAD_USER_INPUT", "householdId")


async def test_agency_may_not_enrol_in_another_program(gql, tokens):
    h = await poor_household(gql, tokens.admin())
    body = await gql(ENROLL, {"program": ASD, "householdId": h["id"]}, tokens.program(AMO))
    assert_error(body, "FORBIDDEN")
    for token in (tokens.registrar("038"), tokens.citizen(h["_head"])):
        assert_error(await gql(ENROLL, {"program": ASD, "householdId": h["id"]}, token),
                     "FORBIDDEN")
    assert await Enrollment.all().count() == 0


# ------------------------------------------------------------------ endEnrollment

async def test_end_enrollment_then_enrol_again(gql, tokens):
    admin = tokens.admin()
    agency = tokens.program(ASD)
    h = await poor_household(gql, admin)
    first = await enroll(gql, agency, ASD, h["id"])

    ended = (await gql.data(END, {"id": first["id"], "reason": "  Moved abroad  "}, agency))[
        "endEnrollment"]
    assert ended["id"] == first["id"]
    assert ended["status"] == "ENDED"
    assert ended["endReason"] == "Moved abroad"
    assert_recent(ended["endedAt"])
    assert parse(ended["endedAt"]) >= parse(ended["startedAt"])
    assert ended["startedAt"] == first["startedAt"]

    body = await gql(END, {"id": first["id"], "reason": "again"}, agency)
    assert_error(body, "CONFLICT", "id")
    row = await Enrollment.get(id=first["id"])
    assert row.end_reason == "Moved abroad"  # the second attempt changed nothing

    second = await enroll(gql, agency, ASD, h["id"])
    assert second["id"] != first["id"]
    assert second["status"] == "ACTIVE"
    rows = await Enrollment.filter(household_id=h["id"]).order_by("started_at")
    assert [(str(r.id), r.status) for r in rows] == [(first["id"], "ENDED"),
                                                    (second["id"], "ACTIVE")]

    listed = (await gql.data(HOUSEHOLD_ENROLLMENTS, {"id": h["id"]}, admin))["household"]
    assert listed["enrollments"] == [
        {"id": first["id"], "program": ASD, "status": "ENDED", "endReason": "Moved abroad"},
        {"id": second["id"], "program": ASD, "status": "ACTIVE", "endReason": None},
    ]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
async def test_end_enrollment_needs_a_reason(gql, tokens, reason):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    e = await enroll(gql, admin, ASD, h["id"])
    body = await gql(END, {"id": e["id"], "reason": reason}, admin)
    assert_error(body, "BAD_USER_INPUT", "reason")
    row = await Enrollment.get(id=e["id"])
    assert row.status == "ACTIVE" and row.ended_at is None and row.end_reason is None


async def test_end_unknown_or_malformed_enrollment(gql, tokens):
    admin = tokens.admin()
    assert_error(await gql(END, {"id": str(uuid.uuid4()), "reason": "x"}, admin), "NOT_FOUND")
    assert_error(await gql(END, {"id": "nope", "reason": "x"}, admin), "BAD_USER_INPUT", "id")


async def test_agency_may_not_end_another_programs_enrollment(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    e = await enroll(gql, admin, AMO, h["id"])
    body = await gql(END, {"id": e["id"], "reason": "not mine"}, tokens.program(ASD))
    assert_error(body, "NOT_FOUND")
    for token in (tokens.registrar("038"), tokens.citizen(h["_head"]), tokens.auditor()):
        body = await gql(END, {"id": e["id"], "reason": "x"}, token)
        assert_error(body, "FORBIDDEN")  # the policy grants endEnrollment to no such role
        assert "Mutation.endEnrollment" in body["errors"][0]["extensions"]["deniedFields"]
    row = await Enrollment.get(id=e["id"])
    assert row.status == "ACTIVE" and row.end_reason is None


# ------------------------------------------------------------------ listing

async def test_enrollments_connection_filters_and_pages(gql, tokens):
    admin = tokens.admin()
    agency = tokens.program(ASD)
    households = [await poor_household(gql, admin) for _ in range(5)]
    made = [await enroll(gql, agency, ASD, h["id"]) for h in households]
    for e in made[:2]:
        await gql.data(END, {"id": e["id"], "reason": "Left the program"}, agency)
    other = await enroll(gql, admin, AMO, households[0]["id"])  # another program: not listed

    everything = (await gql.data(ENROLLMENTS, {"program": ASD, "first": 100}, agency))["enrollments"]
    assert everything["totalCount"] == 5
    assert {e["node"]["id"] for e in everything["edges"]} == {e["id"] for e in made}
    assert other["id"] not in {e["node"]["id"] for e in everything["edges"]}
    assert everything["pageInfo"]["hasNextPage"] is False
    assert all(e["node"]["program"] == ASD for e in everything["edges"])

    async def page(status, first, after=None):
        variables = {"program": ASD, "status": status, "first": first, "after": after}
        return (await gql.data(ENROLLMENTS, variables, agency))["enrollments"]

    active_ids = {e["id"] for e in made[2:]}
    p1 = await page("ACTIVE", 2)
    assert p1["totalCount"] == 3
    assert len(p1["edges"]) == 2
    assert p1["pageInfo"]["hasNextPage"] is True
    assert p1["pageInfo"]["endCursor"] == p1["edges"][-1]["cursor"]
    p2 = await page("ACTIVE", 2, p1["pageInfo"]["endCursor"])
    assert p2["totalCount"] == 3
    assert len(p2["edges"]) == 1
    assert p2["pageInfo"]["hasNextPage"] is False
    seen = [e["node"]["id"] for e in p1["edges"] + p2["edges"]]
    assert len(seen) == len(set(seen)) == 3
    assert set(seen) == active_ids
    assert all(e["node"]["status"] == "ACTIVE" for e in p1["edges"] + p2["edges"])

    ended = await page("ENDED", 20)
    assert ended["totalCount"] == 2
    assert {e["node"]["id"] for e in ended["edges"]} == {e["id"] for e in made[:2]}
    assert {e["node"]["household"]["id"] for e in ended["edges"]} == {
        h["id"] for h in households[:2]
    }

    empty = await page("ACTIVE", 0)
    assert empty["edges"] == [] and empty["totalCount"] == 3
    assert empty["pageInfo"]["hasNextPage"] is True and empty["pageInfo"]["endCursor"] is None

    body = await gql(ENROLLMENTS, {"program": ASD, "first": 101}, agency)
    assert_error(body, "BAD_USER_INPUT", "first")
    body = await gql(ENROLLMENTS, {"program": ASD, "after": "garbage"}, agency)
    assert_error(body, "BAD_USER_INPUT", "after")

    listed = (await gql.data(HOUSEHOLD_ENROLLMENTS, {"id": households[0]["id"]}, admin))["household"]
    assert [(e["program"], e["status"]) for e in listed["enrollments"]] == [
        (ASD, "ENDED"), (AMO, "ACTIVE"),
    ]


async def test_agency_may_not_list_another_programs_enrollments(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    await enroll(gql, admin, ASD, h["id"])
    for token in (tokens.program(AMO), tokens.program(TAYSSIR), tokens.registrar("038"),
                  tokens.citizen(h["_head"]), tokens.auditor()):
        body = await gql(ENROLLMENTS, {"program": ASD, "first": 10}, token)
        assert_error(body, "FORBIDDEN")
    own = (await gql.data(ENROLLMENTS, {"program": AMO, "first": 10}, tokens.program(AMO)))
    assert own["enrollments"]["totalCount"] == 0 and own["enrollments"]["edges"] == []
