"""Possible duplicates of persons registered without an identity document (contract §12):
`possibleDuplicates` over the register in both scripts, and `registerPerson` refusing a likely
duplicate unless `confirmedNotDuplicate`. Each test uses names of its own: the register is
shared by the tests of a run."""

from __future__ import annotations

import asyncio

import pytest
from tortoise import Tortoise

from api.models import Person
from api.services import duplicates, matching
from tests import factories
from tests.api.household_helpers import the_record_of

pytestmark = pytest.mark.e2e

MATCHES = """
query($input: PersonMatchInput!) {
  possibleDuplicates(input: $input) { score person { idcs firstName lastName birthDate } }
}
"""
REGISTER = """
mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { idcs } }
"""


def child(first: str, last: str, born: str, **more) -> dict:
    """A child without a CIN, as a registration agent types it (no confirmation)."""
    return {"firstName": first, "lastName": last, "sex": "MALE", "birthDate": born,
            "nationality": "MA", **more}


async def test_the_same_child_sent_twice_is_refused_naming_the_first(gql, tokens):
    registrar = tokens.registrar("038")
    data = child("Hamza", "Ouardighi", "2016-04-12", firstNameAr="حمزة", lastNameAr="الورديغي",
                 birthCertificateReference="Anfa 2016/88")
    first = await gql.data(REGISTER, {"input": data}, registrar)
    before = await Person.all().count()
    response = await gql.raw(REGISTER, {"input": data}, registrar)
    body = response.json()
    error = body["errors"][0]
    assert error["extensions"]["code"] == "CONFLICT", body
    assert error["extensions"]["candidates"] == [first["registerPerson"]["idcs"]]
    assert await Person.all().count() == before  # nothing registered
    assert first["registerPerson"]["idcs"] in (await the_record_of(response)).subjects
    # another child of the same names and birth date (twins do not share a first name, but
    # homonyms exist): the agent confirms, and the person is registered
    again = await gql.data(REGISTER, {"input": {**data, "confirmedNotDuplicate": True}}, registrar)
    assert again["registerPerson"]["idcs"] != first["registerPerson"]["idcs"]


async def test_spelling_variants_and_a_swapped_date_are_refused_too(gql, tokens):
    registrar = tokens.registrar("038")
    first = (await gql.data(REGISTER, {"input": child(
        "Mohammed", "El Bakkouri", "2015-03-04", firstNameAr="محمد", lastNameAr="البقوري")},
        registrar))["registerPerson"]["idcs"]
    for variant in (child("Muhamad", "Bakkouri", "2015-03-04"),
                    child("Mohamed", "El-Bakouri", "2015-04-03"),
                    child("Mhamed", "Elbakkouri", "2015-03-04", firstNameAr="محمد",
                          lastNameAr="البقوري")):
        body = await gql(REGISTER, {"input": variant}, registrar)
        assert body["errors"][0]["extensions"]["code"] == "CONFLICT", (variant, body)
        assert first in body["errors"][0]["extensions"]["candidates"]


async def test_possible_duplicates_lists_variants_best_first_and_not_others(gql, tokens):
    admin, registrar = tokens.admin(), tokens.registrar("038")
    exact = await factories.register_person(
        gql, admin, firstName="Khadija", lastName="Ait Bouzid", firstNameAr="خديجة",
        lastNameAr="آيت بوزيد", birthDate="2012-07-21", sex="FEMALE")
    variant = await factories.register_person(
        gql, admin, firstName="Khadidja", lastName="Ait Bouzid", birthDate="2012-07-12",
        sex="FEMALE")
    other = await factories.register_person(
        gql, admin, firstName="Salma", lastName="Ait Bouzid", birthDate="2012-07-21",
        sex="FEMALE")
    response = await gql.raw(MATCHES, {"input": {
        "firstName": "Khadija", "lastName": "Ait-Bouzid", "birthDate": "2012-07-21",
        "sex": "FEMALE"}}, registrar)
    found = response.json()["data"]["possibleDuplicates"]
    listed = [m["person"]["idcs"] for m in found]
    assert listed[:2] == [exact, variant], found
    assert other not in listed  # another first name: a sister, not a duplicate
    assert found[0]["score"] >= matching.LIKELY > found[1]["score"] >= matching.POSSIBLE
    assert set(listed) <= set((await the_record_of(response)).subjects)


async def test_arabic_names_alone_find_a_latin_spelling(gql, tokens):
    admin = tokens.admin()
    youssef = await factories.register_person(
        gql, admin, firstName="Youssef", lastName="Chentoufi", firstNameAr="يوسف",
        lastNameAr="الشنتوفي", birthDate="2019-11-30", sex="MALE")
    # Latin spelt differently, Arabic the same: found by the Arabic spelling and the date
    found = await gql.data(MATCHES, {"input": {
        "firstName": "Yusuf", "lastName": "Shentoufi", "firstNameAr": "يوسف",
        "lastNameAr": "الشنتوفي", "birthDate": "2019-11-30"}}, admin)
    assert [m["person"]["idcs"] for m in found["possibleDuplicates"]] == [youssef]


async def test_a_person_with_a_cin_is_never_refused_as_a_duplicate(gql, tokens):
    admin = tokens.admin()
    data = {"firstName": "Rachid", "lastName": "Zemmouri", "sex": "MALE",
            "birthDate": "1979-02-02", "nationality": "MA"}
    await gql.data(REGISTER, {"input": {**data, "cin": "ZM100001"}}, admin)
    # a homonym born the same day with his own CIN: the document tells them apart
    await gql.data(REGISTER, {"input": {**data, "cin": "ZM100002"}}, admin)


async def test_concurrent_copies_register_one_person(gql, tokens):
    registrar = tokens.registrar("038")
    data = child("Ilyas", "Boumediene", "2020-09-09")
    bodies = await asyncio.gather(*(gql(REGISTER, {"input": data}, registrar) for _ in range(5)))
    codes = sorted("OK" if "errors" not in b else b["errors"][0]["extensions"]["code"]
                   for b in bodies)
    assert codes == ["CONFLICT"] * 4 + ["OK"], bodies
    assert await Person.filter(last_name="Boumediene").count() == 1


async def test_a_retry_with_its_idempotency_key_gets_the_first_answer(gql, tokens):
    registrar = tokens.registrar("038")
    data = child("Anas", "Lemrabet", "2021-01-15", idempotencyKey="dup-retry-1")
    first = await gql.data(REGISTER, {"input": data}, registrar)
    again = await gql.data(REGISTER, {"input": data}, registrar)
    assert again == first


async def test_a_corrected_name_is_found_under_the_new_spelling(gql, tokens):
    admin = tokens.admin()
    idcs = await factories.register_person(gql, admin, firstName="Nabil", lastName="Qorchi",
                                           birthDate="2013-05-06", sex="MALE")
    await gql.data("""mutation($idcs: String!) { updatePerson(idcs: $idcs,
        input: {lastName: "Guerchi"}) { version } }""", {"idcs": idcs}, admin)
    person = await Person.get(idcs=idcs)
    assert (person.first_key, person.last_key) == matching.name_keys("Nabil", "Guerchi")
    found = await gql.data(MATCHES, {"input": {"firstName": "Nabil", "lastName": "Guerchi",
                                               "birthDate": "2013-05-06"}}, admin)
    assert idcs in [m["person"]["idcs"] for m in found["possibleDuplicates"]]


async def test_only_registrars_and_admins_search(gql, tokens):
    query = {"input": {"firstName": "Amina", "lastName": "Alaoui", "birthDate": "1985-06-15"}}
    for token in (tokens.citizen("1234567897"), tokens.program("AMO_TADAMON"), tokens.auditor()):
        body = await gql(MATCHES, query, token)
        assert body.get("data") is None or body["data"].get("possibleDuplicates") is None, body
        assert body["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "PURPOSE_REQUIRED"), body


async def test_malformed_input_is_a_typed_error(gql, tokens):
    registrar = tokens.registrar()
    future = await gql(MATCHES, {"input": {"firstName": "A", "lastName": "B",
                                           "birthDate": "2999-01-01"}}, registrar)
    extensions = future["errors"][0]["extensions"]
    assert (extensions["code"], extensions["field"]) == ("BAD_USER_INPUT", "input.birthDate")
    empty = await gql(MATCHES, {"input": {"firstName": " ", "lastName": "B",
                                          "birthDate": "2000-01-01"}}, registrar)
    assert empty["errors"][0]["extensions"]["field"] == "input.firstName"


async def test_rekey_recomputes_every_key(gql, tokens):
    await factories.register_person(gql, tokens.admin(), firstName="Ghizlane", lastName="Tber",
                                    birthDate="2014-02-02")
    await Person.all().update(first_key="", last_key="")
    conn = Tortoise.get_connection("default")
    assert await duplicates.rekey(conn, batch=7) == await Person.all().count()
    for first, last, first_key, last_key in await Person.all().values_list(
            "first_name", "last_name", "first_key", "last_key"):
        assert (first_key, last_key) == matching.name_keys(first, last)
