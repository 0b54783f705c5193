"""Finding a person or a household as a registration agent does (contract §12, §5a): by an
identity document, by a household reference, and the IDCS of whoever already holds a document
that a registration repeats."""

from __future__ import annotations

import pytest

from tests import factories
from tests.api.household_helpers import the_record_of

pytestmark = pytest.mark.e2e

BY_DOCUMENT = """
query($cin: String, $card: String, $birth: String) {
  personByDocument(cin: $cin, residenceCardNumber: $card, birthCertificateReference: $birth) {
    idcs firstName
  }
}
"""
BY_REFERENCE = "query($r: String!) { householdByReference(reference: $r) { id reference } }"


def code_and_field(body: dict) -> tuple[str, str | None]:
    error = body["errors"][0]["extensions"]
    return error["code"], error.get("field")


async def test_a_registrar_finds_a_person_by_each_document(gql, tokens):
    admin, registrar = tokens.admin(), tokens.registrar("038")
    adult = await factories.register_person(gql, admin, cin="QA123456")
    resident = await factories.register_person(
        gql, admin, nationality="FR", residenceCardNumber="RC1234567", firstName="Claire")
    child = await factories.register_person(gql, admin, birthDate="2016-05-05",
                                            birthCertificateReference="Casa-Anfa 2016/1234")
    for variables, expected in (({"cin": "QA123456"}, adult), ({"card": "RC1234567"}, resident),
                                ({"birth": "Casa-Anfa 2016/1234"}, child)):
        response = await gql.raw(BY_DOCUMENT, variables, registrar)
        body = response.json()
        assert body["data"]["personByDocument"]["idcs"] == expected, body
        assert expected in (await the_record_of(response)).subjects


async def test_exactly_one_document_is_asked_for(gql, tokens):
    registrar = tokens.registrar()
    none = await gql(BY_DOCUMENT, {}, registrar)
    assert code_and_field(none) == ("BAD_USER_INPUT", "cin")
    two = await gql(BY_DOCUMENT, {"cin": "QA1", "card": "RC1234567"}, registrar)
    assert code_and_field(two) == ("BAD_USER_INPUT", "residenceCardNumber")


async def test_malformed_and_unknown_documents(gql, tokens):
    registrar = tokens.registrar()
    assert code_and_field(await gql(BY_DOCUMENT, {"cin": "12-AB"}, registrar)) == (
        "BAD_USER_INPUT", "cin")
    assert code_and_field(await gql(BY_DOCUMENT, {"card": "x"}, registrar)) == (
        "BAD_USER_INPUT", "residenceCardNumber")
    assert code_and_field(await gql(BY_DOCUMENT, {"birth": " "}, registrar)) == (
        "BAD_USER_INPUT", "birthCertificateReference")
    body = await gql(BY_DOCUMENT, {"cin": "ZZ999999"}, registrar)
    assert body["data"]["personByDocument"] is None
    assert code_and_field(body)[0] == "NOT_FOUND"


async def test_a_birth_certificate_reference_held_by_several_is_a_conflict(gql, tokens):
    admin = tokens.admin()
    first = await factories.register_person(gql, admin, birthDate="2017-01-01",
                                            birthCertificateReference="Rabat 2017/7")
    second = await factories.register_person(gql, admin, birthDate="2017-02-02",
                                             birthCertificateReference="Rabat 2017/7")
    response = await gql.raw(BY_DOCUMENT, {"birth": "Rabat 2017/7"}, tokens.registrar())
    error = response.json()["errors"][0]["extensions"]
    assert error["code"] == "CONFLICT"
    assert sorted(error["existingIdcs"]) == sorted([first, second])
    assert {first, second} <= set((await the_record_of(response)).subjects)


@pytest.mark.parametrize("role", ["program", "citizen", "auditor"])
async def test_only_registrars_and_admins_look_persons_up(gql, tokens, role):
    idcs = await factories.register_person(gql, tokens.admin(), cin="QB123456")
    token = {"program": tokens.program("ASD"), "citizen": tokens.citizen(idcs),
             "auditor": tokens.auditor()}[role]
    body = await gql(BY_DOCUMENT, {"cin": "QB123456"}, token)
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    body = await gql(BY_REFERENCE, {"r": "RSU-06-123456789"}, token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_registrar_finds_a_household_of_its_provinces_by_reference(gql, tokens):
    household = await factories.register_household(gql, tokens.admin(), province="038")
    reference = household["reference"]
    mine = await gql.data(BY_REFERENCE, {"r": reference}, tokens.registrar("038"))
    assert mine["householdByReference"] == {"id": household["id"], "reference": reference}
    lower = await gql.data(BY_REFERENCE, {"r": reference.lower()}, tokens.registrar("038"))
    assert lower["householdByReference"]["id"] == household["id"]
    elsewhere = await gql(BY_REFERENCE, {"r": reference}, tokens.registrar("001"))
    assert elsewhere["data"]["householdByReference"] is None
    assert code_and_field(elsewhere)[0] == "NOT_FOUND"  # out of scope looks like unknown
    unknown = await gql(BY_REFERENCE, {"r": "RSU-06-000000001"}, tokens.registrar("038"))
    assert code_and_field(unknown)[0] == "NOT_FOUND"
    malformed = await gql(BY_REFERENCE, {"r": "RSU-6-12"}, tokens.registrar("038"))
    assert code_and_field(malformed) == ("BAD_USER_INPUT", "reference")


async def test_registering_a_known_cin_names_its_holder(gql, tokens):
    admin, registrar = tokens.admin(), tokens.registrar()
    holder = await factories.register_person(gql, admin, cin="QC123456")
    response = await gql.raw(factories.REGISTER_PERSON,
                             {"input": factories.person_input(cin="QC123456")}, registrar)
    error = response.json()["errors"][0]["extensions"]
    assert (error["code"], error["field"], error["existingIdcs"]) == (
        "CONFLICT", "input.cin", holder)
    assert holder in (await the_record_of(response)).subjects


async def test_correcting_a_cin_to_one_already_held_names_its_holder(gql, tokens):
    admin = tokens.admin()
    holder = await factories.register_person(gql, admin, cin="QD123456")
    other = await factories.register_person(gql, admin, cin="QD654321")
    body = await gql("mutation($i: String!, $c: UpdatePersonInput!) { updatePerson(idcs: $i, "
                     "input: $c) { idcs } }", {"i": other, "c": {"cin": "QD123456"}},
                     tokens.registrar())
    error = body["errors"][0]["extensions"]
    assert (error["code"], error["existingIdcs"]) == ("CONFLICT", holder)
