"""A citizen learns nothing about persons outside their own household (contract §5a): adding a
member or declaring a household online answers the same NOT_FOUND for any outsider, registered
or not, alive or not, adult or not, in a household or not."""

from __future__ import annotations

import pytest

from api.models import Membership
from api.services import clock
from tests import factories
from tests.api.household_helpers import adult, household_input, minor

pytestmark = pytest.mark.e2e

ADD = """
mutation($householdId: ID!, $idcs: String!, $relationship: Relationship!) {
  addHouseholdMember(householdId: $householdId, idcs: $idcs, relationship: $relationship) {
    id size
  }
}
"""
REGISTER = """
mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id size } }
"""
REMOVE = """
mutation($householdId: ID!, $idcs: String!, $effectiveDate: Date!) {
  removeHouseholdMember(householdId: $householdId, idcs: $idcs, reason: DEATH,
                        effectiveDate: $effectiveDate) { id }
}
"""


async def outsiders(gql, admin) -> dict[str, str]:
    """One IDCS of each kind a citizen could probe."""
    from api.identifiers import new_idcs

    deceased_minor = await minor(gql, admin, firstName="Yassine")
    elsewhere = await factories.register_household(gql, admin, children=1)
    dead_household = await factories.register_household(gql, admin, children=1)
    await gql.data(REMOVE, {"householdId": dead_household["id"],
                            "idcs": dead_household["_children"][0],
                            "effectiveDate": clock.today().isoformat()}, admin)
    return {
        "unregistered": new_idcs(),
        "deceased": dead_household["_children"][0],
        "adult without household": await adult(gql, admin, firstName="Stranger"),
        "minor in another household": elsewhere["_children"][0],
        "adult in another household": elsewhere["_head"],
        "free minor registered only": deceased_minor,  # control: addable
    }


def error_of(body: dict) -> dict:
    (error,) = body["errors"]
    return {"message": error["message"], **error["extensions"]}


async def test_adding_a_member_answers_the_same_for_every_outsider(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    citizen = tokens.citizen(household["_head"])
    kinds = await outsiders(gql, admin)
    answers = {}
    for kind, idcs in kinds.items():
        if kind == "free minor registered only":
            continue
        body = await gql(ADD, {"householdId": household["id"], "idcs": idcs,
                               "relationship": "CHILD"}, citizen)
        answers[kind] = error_of(body)
    assert len({tuple(sorted(a.items())) for a in answers.values()}) == 1, answers
    (answer,) = {tuple(sorted(a.items())) for a in answers.values()}
    assert dict(answer)["code"] == "NOT_FOUND" and dict(answer)["field"] == "idcs"
    # registrars still learn why (they check identity at a service centre)
    registrar = tokens.registrar("038")
    body = await gql(ADD, {"householdId": household["id"], "idcs": kinds["deceased"],
                           "relationship": "CHILD"}, registrar)
    assert error_of(body)["code"] == "BAD_USER_INPUT"
    # and a living minor in no household is added
    body = await gql(ADD, {"householdId": household["id"],
                           "idcs": kinds["free minor registered only"],
                           "relationship": "CHILD"}, citizen)
    assert not body.get("errors"), body


async def test_declaring_online_answers_the_same_for_every_outsider(gql, tokens):
    admin = tokens.admin()
    me = await adult(gql, admin, firstName="Karim", sex="MALE", birthDate="1979-04-04")
    kinds = await outsiders(gql, admin)
    answers = {}
    for kind, idcs in kinds.items():
        if kind == "free minor registered only":
            continue
        payload = household_input(me, [(idcs, "CHILD")])
        body = await gql(REGISTER, {"input": payload}, tokens.citizen(me))
        answers[kind] = error_of(body)
    assert len({tuple(sorted(a.items())) for a in answers.values()}) == 1, answers
    assert next(iter(answers.values()))["field"] == "input.members[1].idcs"
    assert await Membership.filter(person__idcs=me).count() == 0


async def test_an_outsider_taken_meanwhile_answers_the_same(gql, tokens, monkeypatch):
    """The checks above run before the write; a household committed between them and the write
    makes the database refuse the membership. A citizen still gets the outsiders' answer, not
    a conflict that says the person is now in a household."""
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    me = await adult(gql, admin, firstName="Karim", sex="MALE", birthDate="1979-04-04")
    elsewhere = await factories.register_household(gql, admin, children=1)
    child = elsewhere["_children"][0]
    expected = error_of(await gql(ADD, {"householdId": household["id"], "idcs": child,
                                        "relationship": "CHILD"}, tokens.citizen(household["_head"])))
    expected_online = error_of(await gql(REGISTER, {"input": household_input(me, [(child, "CHILD")])},
                                         tokens.citizen(me)))
    # the checks see the child free, as they would just before another registration commits
    real_get = Membership.get_or_none

    async def unseen(*args, **kwargs):
        return None if kwargs.get("end_date", 0) is None else await real_get(*args, **kwargs)

    monkeypatch.setattr(Membership, "get_or_none", unseen)
    body = await gql(ADD, {"householdId": household["id"], "idcs": child,
                           "relationship": "CHILD"}, tokens.citizen(household["_head"]))
    assert error_of(body) == expected
    monkeypatch.undo()

    real_filter = Membership.filter

    def none_open(*args, **kwargs):
        query = real_filter(*args, **kwargs)
        if "person_id__in" in kwargs and kwargs.get("end_date", 0) is None:
            none_open.calls += 1
            if none_open.calls <= 1:  # the members' load, before the write
                return real_filter(id=None)
        return query

    none_open.calls = 0
    monkeypatch.setattr(Membership, "filter", none_open)
    body = await gql(REGISTER, {"input": household_input(me, [(child, "CHILD")])},
                     tokens.citizen(me))
    assert error_of(body) == expected_online
    assert none_open.calls == 2  # the write was refused, and who was taken looked up then
    assert await Membership.filter(person__idcs=me).count() == 0
