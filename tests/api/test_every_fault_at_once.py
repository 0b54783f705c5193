"""Business validation reports every fault of an input at once, each with its full input path
(contract §5a), and nothing is stored."""

from __future__ import annotations

import pytest

from api.models import Household, Person
from tests import factories

pytestmark = pytest.mark.e2e


def faults(body: dict) -> list[tuple[str, str]]:
    assert body["data"] is None, body
    return [(e["extensions"]["code"], e["extensions"].get("field")) for e in body["errors"]]


async def test_a_person_with_several_faults_gets_them_all(gql, tokens):
    before = await Person.all().count()
    body = await gql(factories.REGISTER_PERSON, {"input": factories.person_input(
        firstName="A1\u0000", lastName=" ", phone="12", birthDate="2999-01-01")}, tokens.admin())
    assert sorted(faults(body)) == sorted([
        ("BAD_USER_INPUT", "input.firstName"), ("BAD_USER_INPUT", "input.lastName"),
        ("BAD_USER_INPUT", "input.birthDate"), ("BAD_USER_INPUT", "input.phone")])
    assert all(e["path"] == ["registerPerson"] for e in body["errors"])
    assert await Person.all().count() == before


async def test_one_fault_is_one_error_as_before(gql, tokens):
    body = await gql(factories.REGISTER_PERSON,
                     {"input": factories.person_input(phone="12")}, tokens.admin())
    assert faults(body) == [("BAD_USER_INPUT", "input.phone")]


async def test_a_household_with_several_faults_gets_them_all(gql, tokens):
    admin = tokens.admin()
    head = await factories.register_person(gql, admin, sex="MALE", birthDate="1980-01-01")
    before = await Household.all().count()
    body = await gql(factories.REGISTER_HOUSEHOLD, {"input": {
        "declarantIdcs": head, "province": "038", "commune": " ", "milieu": "URBAN",
        "address": "1 rue", "members": [{"idcs": head, "relationship": "HEAD"}],
        "declaration": factories.declaration_input(rooms=0, electricityMonthly=-5,
                                                   agriculturalLandHectares=3)}}, admin)
    assert sorted(faults(body)) == sorted([
        ("BAD_USER_INPUT", "input.commune"), ("BAD_USER_INPUT", "input.declaration.rooms"),
        ("BAD_USER_INPUT", "input.declaration.electricityMonthly"),
        ("BAD_USER_INPUT", "input.declaration.agriculturalLandHectares")])
    assert await Household.all().count() == before


async def test_a_variable_error_names_the_input_path_where_the_variable_is_used(gql, tokens):
    """`effectiveDate: $d` with an impossible date: the field is `effectiveDate`, the
    argument, not the variable's own name."""
    household = await factories.register_household(gql, tokens.admin())
    body = await gql("mutation($h: ID!, $i: String!, $d: Date!) { removeHouseholdMember("
                     "householdId: $h, idcs: $i, reason: MOVED_OUT, effectiveDate: $d) { id } }",
                     {"h": household["id"], "i": household["_children"][0], "d": "2026-02-30"},
                     tokens.admin())
    assert faults(body) == [("BAD_USER_INPUT", "effectiveDate")]
    nested = await gql('mutation($b: Date!) { registerPerson(input: {firstName: "A", '
                       'lastName: "B", sex: MALE, birthDate: $b, nationality: "MA"}) '
                       "{ idcs } }", {"b": "2020-13-01"}, tokens.admin())
    assert faults(nested) == [("BAD_USER_INPUT", "input.birthDate")]
