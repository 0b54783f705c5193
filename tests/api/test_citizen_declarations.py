"""What a citizen may declare online: their household with themselves and minors, never an
adult stranger added or another adult registered, and no death recorded."""

from __future__ import annotations

import pytest

from api.models import Membership, Person
from api.services import clock
from tests import factories
from tests.api.household_helpers import (
    ADD,
    REMOVE,
    adult,
    household_input,
    minor,
    open_memberships_of,
    the_error,
)

pytestmark = pytest.mark.e2e

REGISTER_SMALL = """
mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id size } }
"""


async def test_citizen_cannot_add_an_adult_stranger(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    stranger = await adult(gql, admin, firstName="Stranger")
    citizen = tokens.citizen(household["_head"])
    body = await gql(ADD, {"householdId": household["id"], "idcs": stranger,
                           "relationship": "OTHER_RELATIVE"}, citizen)
    the_error(body, "NOT_FOUND", "idcs")  # as for anyone outside the household (§5a)
    assert await Membership.filter(person__idcs=stranger).count() == 0


async def test_citizen_adds_a_minor(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    child = await minor(gql, admin)
    citizen = tokens.citizen(household["_head"])
    body = await gql(ADD, {"householdId": household["id"], "idcs": child,
                           "relationship": "CHILD"}, citizen)
    assert not body.get("errors"), body
    memberships = await open_memberships_of(child)
    assert [str(m.household_id) for m in memberships] == [household["id"]]


async def test_citizen_cannot_record_a_death(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    citizen = tokens.citizen(household["_head"])
    spouse = household["_spouse"]
    body = await gql(REMOVE, {"householdId": household["id"], "idcs": spouse, "reason": "DEATH",
                              "effectiveDate": clock.today().isoformat()}, citizen)
    the_error(body, "FORBIDDEN", "reason")
    person = await Person.get(idcs=spouse)
    assert person.death_date is None
    assert len(await open_memberships_of(spouse)) == 1


async def test_citizen_cannot_register_another_adult(gql, tokens):
    admin = tokens.admin()
    me = await adult(gql, admin, firstName="Karim", sex="MALE", birthDate="1979-04-04")
    other = await adult(gql, admin, birthDate="1982-05-05")
    payload = household_input(me, [(other, "SPOUSE")])
    body = await gql(REGISTER_SMALL, {"input": payload}, tokens.citizen(me))
    the_error(body, "NOT_FOUND", "input.members[1].idcs")
    assert await Membership.filter(person__idcs__in=[me, other]).count() == 0


async def test_citizen_registers_with_a_minor_child(gql, tokens):
    admin = tokens.admin()
    me = await adult(gql, admin, firstName="Karim", sex="MALE", birthDate="1979-04-04")
    child = await minor(gql, admin)
    payload = household_input(me, [(child, "CHILD")])
    data = await gql.data(REGISTER_SMALL, {"input": payload}, tokens.citizen(me))
    assert data["registerHousehold"]["size"] == 2
    assert len(await open_memberships_of(me)) == 1
    assert len(await open_memberships_of(child)) == 1
