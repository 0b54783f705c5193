"""The loaders every read goes through build their rows from a statement of their own: they must
give exactly the rows the ORM's queries give (every column, in the same order), over generated
keys — known, unknown, repeated, of households with ended memberships."""

from __future__ import annotations

import uuid
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.models import Household, Membership, Person
from api.resolvers import loaders
from api.services import clock
from tests import factories

pytestmark = pytest.mark.e2e


def _row(model) -> dict | None:
    if model is None:
        return None
    return {name: getattr(model, name) for name in model._meta.fields_db_projection}


async def _orm_persons(ids):
    rows = {p.id: p for p in await Person.filter(id__in=ids)}
    return [rows.get(i) for i in ids]


async def _orm_households(ids):
    rows = {str(h.id): h for h in await Household.filter(id__in=ids)}
    return [rows.get(str(i)) for i in ids]


async def _orm_open_members(household_ids):
    grouped = defaultdict(list)
    for m in await Membership.filter(household_id__in=household_ids,
                                     end_date=None).order_by("id"):
        grouped[str(m.household_id)].append(m)
    return [grouped.get(str(h), []) for h in household_ids]


async def _orm_membership_of_person(person_ids):
    rows = {m.person_id: m for m in await Membership.filter(person_id__in=person_ids,
                                                            end_date=None)}
    return [rows.get(i) for i in person_ids]


@pytest.fixture
async def register(gql, tokens) -> dict:
    admin = tokens.admin()
    households = [await factories.register_household(gql, admin) for _ in range(3)]
    # an ended membership: its household keeps the others open
    leaving = households[0]["members"][-1]["person"]["idcs"]
    await gql.data(
        "mutation($h: ID!, $i: String!, $d: Date!) { removeHouseholdMember(householdId: $h, idcs: $i, "
        "reason: MOVED_OUT, effectiveDate: $d) { id } }",
        {"h": households[0]["id"], "i": leaving, "d": clock.today().isoformat()}, admin)
    loner = await factories.register_person(gql, admin)
    idcs = [m["person"]["idcs"] for h in households for m in h["members"]] + [loner]
    person_ids = [p.id for p in await Person.filter(idcs__in=idcs)]
    return {"persons": person_ids + [max(person_ids) + 10_000],
            "households": [h["id"] for h in households] + [str(uuid.uuid4())]}


@settings(max_examples=30, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
async def test_the_loaders_rows_are_the_orms(gql, register, data):
    persons = data.draw(st.lists(st.sampled_from(register["persons"]), min_size=1, max_size=15))
    households = data.draw(st.lists(st.sampled_from(register["households"]), min_size=1,
                                    max_size=6))
    assert [_row(p) for p in await loaders._persons(persons)] == \
        [_row(p) for p in await _orm_persons(persons)]
    assert [_row(h) for h in await loaders._households(households)] == \
        [_row(h) for h in await _orm_households(households)]
    assert [[_row(m) for m in ms] for ms in await loaders._open_members(households)] == \
        [[_row(m) for m in ms] for ms in await _orm_open_members(households)]
    assert [_row(m) for m in await loaders._membership_of_person(persons)] == \
        [_row(m) for m in await _orm_membership_of_person(persons)]


@settings(max_examples=20, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
async def test_members_read_at_once_are_the_loaders(gql, register, data, database):
    """What a household's answer primes its loaders with (one statement on PostgreSQL) is what
    the loaders would have read."""
    households = data.draw(st.lists(st.sampled_from(register["households"]), min_size=1,
                                    max_size=6))
    read = await loaders.members_with_persons(households)
    if database.engine != "postgres":
        assert read is None
        return
    open_members = await _orm_open_members(households)
    for household_id, expected in zip(households, open_members, strict=True):
        got = read[str(household_id)]
        assert [_row(m) for m, _ in got] == [_row(m) for m in expected]
        persons = await _orm_persons([m.person_id for m in expected])
        assert [_row(p) for _, p in got] == [_row(p) for p in persons]


@settings(max_examples=10, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
async def test_a_household_read_with_its_members_is_the_loaders(gql, register, data, database):
    """A household shown with its members (household, myHousehold) is read with them in one
    statement on PostgreSQL: the same household, memberships and persons as the loaders'."""
    household_id = data.draw(st.sampled_from(register["households"]))
    read = await loaders.household_with_members(household_id)
    if database.engine != "postgres":
        assert read is None
        return
    household, members = read
    [expected] = await _orm_households([household_id])
    assert _row(household) == _row(expected)
    [open_members] = await _orm_open_members([household_id])
    assert [_row(m) for m, _ in members] == [_row(m) for m in open_members]
    persons = await _orm_persons([m.person_id for m in open_members])
    assert [_row(p) for _, p in members] == [_row(p) for p in persons]


async def test_the_citizens_household_is_found_by_their_idcs(gql, register, tokens):
    from api.principal import Principal
    from api.services import households
    membership = await Membership.filter(end_date=None).order_by("id").first()
    idcs = (await Person.get(id=membership.person_id)).idcs
    citizen = Principal(subject=idcs, roles=frozenset({"citizen"}))
    assert await households.citizen_household_id(citizen) == str(membership.household_id)
    stranger = Principal(subject="9" * 10, roles=frozenset({"citizen"}))
    assert await households.citizen_household_id(stranger) is None
    left = await Membership.filter(end_date__isnull=False).first()  # left, in no household now
    gone = Principal(subject=(await Person.get(id=left.person_id)).idcs,
                     roles=frozenset({"citizen"}))
    assert await households.citizen_household_id(gone) is None
