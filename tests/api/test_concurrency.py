"""Invariants under concurrent writers: one open membership per person, unique CIN,
optimistic versions, no dead person left with an open membership. The database has the last
word; the API answers CONFLICT, never INTERNAL."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from api.models import Household, Membership, Person
from api.services import clock
from tests import factories
from tests.api.household_helpers import (
    ADD_MEMBER,
    REMOVE_MEMBER,
    UPDATE_PERSON,
    adult,
    code_of,
    small_household,
    today,
)

pytestmark = pytest.mark.e2e

ADD = """
mutation($householdId: ID!, $idcs: String!, $relationship: Relationship!, $expectedVersion: Int) {
  addHouseholdMember(householdId: $householdId, idcs: $idcs, relationship: $relationship,
                     expectedVersion: $expectedVersion) { id version size }
}
"""


def _outcomes(bodies: list[dict]) -> Counter:
    """'OK' for a success, else the error code (None when an error carries no code)."""
    out = Counter()
    for body in bodies:
        errors = body.get("errors")
        if not errors:
            out["OK"] += 1
            continue
        assert len(errors) == 1, body
        out[(errors[0].get("extensions") or {}).get("code")] += 1
    return out


def _assert_clean_errors(bodies: list[dict]) -> None:
    for body in bodies:
        for err in body.get("errors") or []:
            code = (err.get("extensions") or {}).get("code")
            assert code is not None, f"error without extensions.code: {err}"
            assert code != "INTERNAL", err
            assert "Traceback" not in err["message"] and "SELECT" not in err["message"].upper()


async def _one_open_membership(idcs: str) -> Membership:
    rows = await Membership.filter(person__idcs=idcs, end_date=None)
    assert len(rows) == 1, rows
    return rows[0]


async def test_100_concurrent_adds_of_one_person_to_the_same_household(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin)
    person = await adult(gql, admin)
    bodies = await asyncio.gather(*[
        gql(ADD, {"householdId": h["id"], "idcs": person, "relationship": "SIBLING"}, admin)
        for _ in range(100)
    ])
    _assert_clean_errors(bodies)
    outcomes = _outcomes(bodies)
    assert outcomes == Counter({"OK": 1, "CONFLICT": 99}), outcomes
    for body in bodies:
        if body.get("errors"):
            assert "already a member" in body["errors"][0]["message"]
    membership = await _one_open_membership(person)
    assert str(membership.household_id) == h["id"]
    assert await Membership.filter(person__idcs=person).count() == 1
    row = await Household.get(id=h["id"])
    assert await Membership.filter(household_id=h["id"], end_date=None).count() == h["size"] + 1
    # each attempt took the row lock and bumped the version before finding the person, but only
    # the committed transactions count: the failed ones rolled back
    assert row.version == h["version"] + 1


async def test_100_concurrent_adds_of_one_person_over_five_households(gql, tokens):
    admin = tokens.admin()
    households = [await small_household(gql, admin) for _ in range(5)]
    person = await adult(gql, admin)
    bodies = await asyncio.gather(*[
        gql(ADD, {"householdId": households[i % 5]["id"], "idcs": person,
                  "relationship": "OTHER_RELATIVE"}, admin)
        for i in range(100)
    ])
    _assert_clean_errors(bodies)
    outcomes = _outcomes(bodies)
    assert outcomes == Counter({"OK": 1, "CONFLICT": 99}), outcomes
    winner = next(b["data"]["addHouseholdMember"] for b in bodies if not b.get("errors"))
    membership = await _one_open_membership(person)
    assert str(membership.household_id) == winner["id"]
    assert await Membership.filter(person__idcs=person).count() == 1
    for h in households:
        row = await Household.get(id=h["id"])
        expected = h["size"] + (1 if h["id"] == winner["id"] else 0)
        assert await Membership.filter(household_id=h["id"], end_date=None).count() == expected
        assert row.version == h["version"] + (1 if h["id"] == winner["id"] else 0)


async def test_concurrent_adds_with_expected_version(gql, tokens):
    """Different persons, same household, same expectedVersion: exactly one wins."""
    admin = tokens.admin()
    h = await small_household(gql, admin)
    persons = [await adult(gql, admin) for _ in range(10)]
    bodies = await asyncio.gather(*[
        gql(ADD, {"householdId": h["id"], "idcs": p, "relationship": "SIBLING",
                  "expectedVersion": h["version"]}, admin)
        for p in persons
    ])
    _assert_clean_errors(bodies)
    assert _outcomes(bodies) == Counter({"OK": 1, "CONFLICT": 9})
    for body in bodies:
        if body.get("errors"):
            assert body["errors"][0]["extensions"].get("field") == "expectedVersion"
    assert await Membership.filter(household_id=h["id"], end_date=None).count() == h["size"] + 1
    assert (await Household.get(id=h["id"])).version == h["version"] + 1


async def test_20_concurrent_registrations_with_the_same_cin(gql, tokens):
    admin = tokens.admin()
    person = factories.person_input(cin="ZZ98765")
    bodies = await asyncio.gather(*[
        gql(factories.REGISTER_PERSON, {"input": person}, admin) for _ in range(20)
    ])
    _assert_clean_errors(bodies)
    assert _outcomes(bodies) == Counter({"OK": 1, "CONFLICT": 19})
    assert await Person.filter(cin="ZZ98765").count() == 1
    winner = next(b["data"]["registerPerson"]["idcs"] for b in bodies if not b.get("errors"))
    assert (await Person.get(cin="ZZ98765")).idcs == winner


async def test_concurrent_remove_and_add_with_the_same_expected_version(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin, extra=2)
    newcomer = await adult(gql, admin)
    leaving = h["_others"][1]
    remove = gql(REMOVE_MEMBER, {"householdId": h["id"], "idcs": leaving, "reason": "MOVED_OUT",
                                 "effectiveDate": today(), "expectedVersion": h["version"]}, admin)
    add = gql(ADD_MEMBER, {"householdId": h["id"], "idcs": newcomer, "relationship": "SIBLING",
                           "expectedVersion": h["version"]}, admin)
    removed, added = await asyncio.gather(remove, add)
    _assert_clean_errors([removed, added])
    codes = sorted([code_of(removed) or "OK", code_of(added) or "OK"])
    assert codes == ["CONFLICT", "OK"], (removed, added)

    row = await Household.get(id=h["id"])
    assert row.version == h["version"] + 1
    open_now = await Membership.filter(household_id=h["id"], end_date=None).count()
    if code_of(removed) is None:  # the removal won: the add changed nothing
        assert open_now == h["size"] - 1
        assert await Membership.filter(person__idcs=newcomer).count() == 0
        assert (await Membership.get(person__idcs=leaving)).end_date == clock.today()
    else:  # the add won: the removal changed nothing
        assert open_now == h["size"] + 1
        assert (await Membership.get(person__idcs=leaving)).end_date is None


async def test_many_concurrent_removals_of_one_member(gql, tokens):
    admin = tokens.admin()
    h = await small_household(gql, admin, extra=2)
    leaving = h["_others"][0]
    bodies = await asyncio.gather(*[
        gql(REMOVE_MEMBER, {"householdId": h["id"], "idcs": leaving, "reason": "MOVED_OUT",
                            "effectiveDate": today()}, admin)
        for _ in range(10)
    ])
    _assert_clean_errors(bodies)
    outcomes = _outcomes(bodies)
    assert outcomes["OK"] == 1 and sum(outcomes.values()) == 10
    # the losers find the person no longer a member
    assert set(outcomes) <= {"OK", "BAD_USER_INPUT", "CONFLICT"}
    rows = await Membership.filter(person__idcs=leaving)
    assert len(rows) == 1 and rows[0].end_date == clock.today()
    assert (await Household.get(id=h["id"])).version == h["version"] + 1


async def test_concurrent_failures_keep_their_error_codes(gql, tokens):
    """Error formatting is per request: concurrent failures each carry their own code."""
    admin = tokens.admin()
    h = await small_household(gql, admin)
    queries = []
    for i in range(30):
        if i % 3 == 0:
            queries.append(gql(ADD, {"householdId": "nope", "idcs": h["_head"],
                                     "relationship": "CHILD"}, admin))
        elif i % 3 == 1:
            queries.append(gql(ADD, {"householdId": h["id"], "idcs": h["_head"],
                                     "relationship": "CHILD"}, admin))
        else:
            queries.append(gql("query { households(first: 500) { totalCount } }", {}, admin))
    bodies = await asyncio.gather(*queries)
    _assert_clean_errors(bodies)
    for i, body in enumerate(bodies):
        expected = ["BAD_USER_INPUT", "CONFLICT", "BAD_USER_INPUT"][i % 3]
        assert code_of(body) == expected, (i, body)


async def test_a_concurrent_death_never_leaves_an_open_membership(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    today = clock.today().isoformat()
    for _round in range(20):
        person = await adult(gql, admin, firstName="Racer")
        add, death = await asyncio.gather(
            gql(ADD, {"householdId": household["id"], "idcs": person,
                      "relationship": "OTHER_RELATIVE"}, admin),
            gql(UPDATE_PERSON, {"idcs": person, "input": {"deathDate": today}}, admin),
        )
        for body in (add, death):
            for err in body.get("errors") or []:
                assert err["extensions"]["code"] in {"BAD_USER_INPUT", "CONFLICT"}, body
        row = await Person.get(idcs=person)
        open_rows = await Membership.filter(person_id=row.id, end_date=None).count()
        assert not (row.death_date is not None and open_rows), (add, death)
    # no one anywhere is dead with an open membership
    dead = await Person.filter(death_date__not_isnull=True).values_list("id", flat=True)
    assert await Membership.filter(person_id__in=list(dead), end_date=None).count() == 0
