"""The feed is exact: after any sequence of writes, replaying each program's feed from the
start gives every person's current answer, and no change repeats the answer it follows
(docs/agencies.md "Following the changes"). Writes drawn by hypothesis, sent over GraphQL as
registrars and registration offices send them, with rescores and daily runs between them."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tortoise import Tortoise

from api.services import clock, feed, scoring
from tests import factories
from tests.api.household_helpers import REGISTER_HOUSEHOLD, REMOVE, household_input
from tests.api.test_eligibility import POOR, UPDATE_PERSON
from tests.db import TABLES

pytestmark = pytest.mark.e2e

PROGRAMS = ("AMO_TADAMON", "ASD", "TAYSSIR")
RICH = {"housingType": "VILLA", "occupancy": "OWNER", "rooms": 8, "electricityMonthly": 1500,
        "phoneMonthly": 900, "assets": ["CAR", "REFRIGERATOR", "TELEVISION", "COMPUTER"],
        "headEducation": "HIGHER", "headOccupation": "EXECUTIVE"}
FEED = """
query($program: ProgramCode!, $after: String) {
  eligibilityChanges(program: $program, after: $after, first: 1000) {
    edges { node { sequence idcs eligibility { eligible reasons monthlyAmount } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
ANSWERS = """
query($program: ProgramCode!, $idcs: [String!]!) {
  eligibilities(program: $program, idcs: $idcs) { idcs eligible reasons monthlyAmount }
}
"""
ADD = """
mutation($householdId: ID!, $idcs: String!, $relationship: Relationship!) {
  addHouseholdMember(householdId: $householdId, idcs: $idcs, relationship: $relationship) { id }
}
"""
PATCH = """
mutation($id: ID!, $changes: DeclarationPatchInput!) {
  patchHouseholdDeclaration(householdId: $id, changes: $changes) { id }
}
"""
HOUSEHOLD = "query($id: ID!) { household(id: $id) { status members { relationship person { idcs } } } }"

AGES = st.sampled_from([2, 6, 12, 17, 20, 21, 35, 50, 70])
WRITES = st.lists(st.one_of(
    st.tuples(st.just("person"), AGES, st.booleans()),
    st.tuples(st.just("household"), st.integers(0, 3), st.booleans()),
    st.tuples(st.just("add"), st.integers(0, 50), st.integers(0, 50)),
    st.tuples(st.just("remove"), st.integers(0, 50), st.sampled_from(["MOVED_OUT", "DEATH"])),
    st.tuples(st.just("coverage"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("birth"), st.integers(0, 50), AGES),
    st.tuples(st.just("death"), st.integers(0, 50), st.just(None)),
    st.tuples(st.just("declare"), st.integers(0, 50), st.booleans()),
    st.tuples(st.just("rescore"), st.just(0), st.just(None)),
    st.tuples(st.just("apply"), st.just(0), st.just(None)),
), min_size=4, max_size=14)


def born(age: int) -> str:
    today = clock.today()
    return (today.replace(year=today.year - age) - timedelta(days=40)).isoformat()


class World:
    def __init__(self, gql, admin: str) -> None:
        self.gql, self.admin = gql, admin
        self.persons: list[str] = []
        self.ages: dict[str, int] = {}
        self.dead: set[str] = set()
        self.households: list[str] = []

    def pick(self, items: list, index: int):
        return items[index % len(items)] if items else None

    async def members(self, household_id: str) -> list[tuple[str, str]]:
        data = await self.gql.data(HOUSEHOLD, {"id": household_id}, self.admin)
        return [(m["person"]["idcs"], m["relationship"]) for m in data["household"]["members"]]

    async def housed(self) -> set[str]:
        out: set[str] = set()
        for hid in self.households:
            out |= {idcs for idcs, _ in await self.members(hid)}
        return out

    async def do(self, write: tuple) -> None:
        kind, a, b = write
        gql, admin = self.gql, self.admin
        if kind == "person":
            idcs = await factories.register_person(gql, admin, birthDate=born(a),
                                                   hasOtherHealthCoverage=b)
            self.persons.append(idcs)
            self.ages[idcs] = a
        elif kind == "household":
            free = [p for p in self.persons if p not in self.dead and p not in await self.housed()]
            heads = [p for p in free if self.ages[p] >= 21]
            if not heads:
                return
            head = heads[0]
            others = [(p, "CHILD") for p in free if p != head][:a]
            payload = household_input(head, others, **(POOR if b else {}))
            body = await gql(REGISTER_HOUSEHOLD, {"input": payload}, admin)
            if not body.get("errors"):
                self.households.append(body["data"]["registerHousehold"]["id"])
        elif kind == "add":
            hid = self.pick(self.households, a)
            free = [p for p in self.persons if p not in self.dead and p not in await self.housed()]
            person = self.pick(free, b)
            if hid and person:
                await gql(ADD, {"householdId": hid, "idcs": person, "relationship": "CHILD"},
                          admin)
        elif kind == "remove":
            hid = self.pick(self.households, a)
            if hid:
                leaving = [i for i, rel in await self.members(hid) if rel != "HEAD"]
                if leaving:
                    body = await gql(REMOVE, {"householdId": hid, "idcs": leaving[0],
                                              "reason": b,
                                              "effectiveDate": clock.today().isoformat()},
                                     admin)
                    if b == "DEATH" and not body.get("errors"):
                        self.dead.add(leaving[0])
        elif kind in ("coverage", "birth", "death"):
            person = self.pick([p for p in self.persons if p not in self.dead], a)
            if person is None:
                return
            change = {"coverage": {"hasOtherHealthCoverage": b},
                      "birth": {"birthDate": born(b or 30)},
                      "death": {"deathDate": clock.today().isoformat()}}[kind]
            body = await gql(UPDATE_PERSON, {"idcs": person, "input": change}, admin)
            if not body.get("errors"):
                if kind == "death":
                    self.dead.add(person)
                if kind == "birth":
                    self.ages[person] = b
        elif kind == "declare":
            hid = self.pick(self.households, a)
            if hid:
                await gql(PATCH, {"id": hid, "changes": POOR if b else RICH}, admin)
        elif kind == "rescore":
            await scoring.rescore()
        elif kind == "apply":
            await feed.apply()


async def replayed(gql, admin: str, program: str) -> dict[str, tuple]:
    """Each person's last answer in the program's feed; fails on a change that repeats the
    answer before it."""
    answers: dict[str, tuple] = {}
    after, last = None, 0
    while True:
        page = (await gql.data(FEED, {"program": program, "after": after}, admin)
                )["eligibilityChanges"]
        for edge in page["edges"]:
            node = edge["node"]
            assert node["sequence"] > last
            last = node["sequence"]
            e = node["eligibility"]
            answer = (e["eligible"], tuple(e["reasons"]), e["monthlyAmount"])
            assert answers.get(node["idcs"]) != answer, f"a change that changes nothing: {node}"
            answers[node["idcs"]] = answer
        if not page["pageInfo"]["hasNextPage"]:
            return answers
        after = page["pageInfo"]["endCursor"]


async def same_answers_both_ways(world: World) -> None:
    """The two readers of answers agree: by person (what a write uses) and by household, one
    decision per alike members (what a rescore and the daily run use on PostgreSQL)."""
    from api.models import Person

    today = clock.today()
    by_household, ids = await feed.evaluate_households(world.households, list(PROGRAMS), today)
    by_person = await feed.evaluate(ids, list(PROGRAMS), today)
    assert by_household == by_person
    assert ids == set(await feed.members_of(world.households))
    assert set(await Person.filter(id__in=sorted(ids)).values_list("idcs", flat=True)) <= \
        set(world.persons)


@settings(max_examples=int(25 * float(os.environ.get("SIJILL_FUZZ_SCALE", "1"))),
          deadline=None, database=None, derandomize=not os.environ.get("SIJILL_FUZZ_RANDOM"),
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(writes=WRITES)
async def test_replaying_the_feed_gives_every_current_answer(gql, tokens, writes):
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script(f"TRUNCATE {', '.join(TABLES)} CASCADE")
    else:
        await conn.execute_script("".join(f"DELETE FROM {t};" for t in TABLES))
    admin = tokens.admin()
    world = World(gql, admin)
    # a household to start from, then the drawn writes
    for write in [("person", 40, False), ("person", 9, False), ("household", 1, True),
                  *writes]:
        await world.do(write)
    await same_answers_both_ways(world)
    for program in PROGRAMS:
        feed_answers = await replayed(gql, admin, program)
        current = (await gql.data(ANSWERS, {"program": program, "idcs": world.persons}, admin)
                   )["eligibilities"]
        for answer in current:
            expected = (answer["eligible"], tuple(answer["reasons"]), answer["monthlyAmount"])
            assert feed_answers.get(answer["idcs"]) == expected, (program, answer["idcs"])
