"""The population register over HTTP: registerPerson, person(idcs), updatePerson."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

import pytest

from api.identifiers import is_valid_idcs, new_idcs
from api.models import IdempotencyRecord, Membership, Person
from api.services import clock
from api.services.validation import age_on
from tests import factories

pytestmark = pytest.mark.e2e

PERSON_FIELDS = """
  idcs cin residenceCardNumber nationality firstName lastName firstNameAr lastNameAr sex
  birthDate age deathDate phone hasOtherHealthCoverage version registeredAt household { id }
"""

REGISTER = f"""
mutation($input: RegisterPersonInput!) {{ registerPerson(input: $input) {{ {PERSON_FIELDS} }} }}
"""

PERSON = f"query($idcs: String!) {{ person(idcs: $idcs) {{ {PERSON_FIELDS} }} }}"

UPDATE = f"""
mutation($idcs: String!, $input: UpdatePersonInput!) {{
  updatePerson(idcs: $idcs, input: $input) {{ {PERSON_FIELDS} }}
}}
"""

HOUSEHOLD = """
query($id: ID!) {
  household(id: $id) {
    id status version size
    head { idcs }
    members { relationship person { idcs } }
  }
}
"""

ADD_MEMBER = """
mutation($id: ID!, $idcs: String!, $rel: Relationship!) {
  addHouseholdMember(householdId: $id, idcs: $idcs, relationship: $rel) { id size }
}
"""


# ---------------------------------------------------------------- helpers


async def count_persons() -> int:
    return await Person.all().count()


def single_error(body: dict, code: str, field: str | None = None) -> dict:
    """The response carries exactly one error with this code (and input path), and no data."""
    errors = body.get("errors") or []
    assert len(errors) == 1, body
    error = errors[0]
    assert error["extensions"]["code"] == code, body
    if field is not None:
        assert error["extensions"].get("field") == field, body
    data = body.get("data")
    assert data is None or all(v is None for v in data.values()), body
    return error


def years_ago(years: int, days: int = 0) -> str:
    today = clock.today()
    try:
        d = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        d = today.replace(year=today.year - years, day=28)
    return (d - timedelta(days=days)).isoformat()


async def register(gql, token, **overrides) -> dict:
    return (await gql.data(REGISTER, {"input": factories.person_input(**overrides)}, token))[
        "registerPerson"
    ]


async def person_row(idcs: str) -> Person:
    return await Person.get(idcs=idcs)


async def household_of(gql, token, household_id: str) -> dict:
    return (await gql.data(HOUSEHOLD, {"id": household_id}, token))["household"]


# ---------------------------------------------------------------- registerPerson: success


async def test_register_person_happy_path(gql, tokens):
    admin = tokens.admin()
    variables = {
        "input": {
            "cin": "BE482913",
            "nationality": "MA",
            "firstName": "Amina",
            "lastName": "Alaoui",
            "firstNameAr": "أمينة",
            "lastNameAr": "العلوي",
            "sex": "FEMALE",
            "birthDate": "1985-06-15",
            "phone": "0612345678",
            "hasOtherHealthCoverage": True,
        }
    }
    before = datetime.now().astimezone()
    person = (await gql.data(REGISTER, variables, admin))["registerPerson"]

    assert is_valid_idcs(person["idcs"])
    assert len(person["idcs"]) == 10 and person["idcs"][0] != "0"
    expected = {
        "cin": "BE482913",
        "residenceCardNumber": None,
        "nationality": "MA",
        "firstName": "Amina",
        "lastName": "Alaoui",
        "firstNameAr": "أمينة",
        "lastNameAr": "العلوي",
        "sex": "FEMALE",
        "birthDate": "1985-06-15",
        "age": age_on(date(1985, 6, 15), clock.today()),
        "deathDate": None,
        "phone": "0612345678",
        "hasOtherHealthCoverage": True,
        "version": 1,
        "household": None,
    }
    assert {k: person[k] for k in expected} == expected
    registered_at = datetime.fromisoformat(person["registeredAt"])
    assert registered_at.tzinfo is not None
    assert abs((registered_at - before).total_seconds()) < 60

    # the row was written once, as returned
    assert await count_persons() == 1
    row = await person_row(person["idcs"])
    assert row.cin == "BE482913"
    assert row.first_name_ar == "أمينة" and row.last_name_ar == "العلوي"
    assert row.birth_date == date(1985, 6, 15)
    assert row.registered_by == "admin-1"

    # and reads back identically
    again = (await gql.data(PERSON, {"idcs": person["idcs"]}, admin))["person"]
    assert again == person


async def test_register_person_defaults_and_normalisation(gql, tokens):
    person = await register(
        gql, tokens.admin(), firstName="  Youssef ", lastName=" Benali", sex="MALE",
        phone="+212 6 12 34 56 78", firstNameAr=None, lastNameAr=None,
    )
    assert person["firstName"] == "Youssef"
    assert person["lastName"] == "Benali"
    assert person["phone"] == "+212612345678"
    assert person["hasOtherHealthCoverage"] is False
    assert person["firstNameAr"] is None and person["lastNameAr"] is None


async def test_register_foreign_adult_with_residence_card(gql, tokens):
    person = await register(gql, tokens.admin(), nationality="FR", residenceCardNumber="AB123456")
    assert person["nationality"] == "FR"
    assert person["residenceCardNumber"] == "AB123456"
    assert person["cin"] is None


async def test_register_minor_without_documents(gql, tokens):
    birth = years_ago(10)
    person = await register(gql, tokens.admin(), birthDate=birth, cin=None,
                            birthCertificateReference="ACTE-2016-0042")
    assert person["cin"] is None and person["residenceCardNumber"] is None
    assert person["age"] == 10
    assert (await person_row(person["idcs"])).birth_certificate_reference == "ACTE-2016-0042"
    foreign_minor = await register(gql, tokens.admin(), birthDate=birth, nationality="ES")
    assert foreign_minor["residenceCardNumber"] is None


async def test_register_person_born_today_and_turning_eighteen_today(gql, tokens):
    admin = tokens.admin()
    newborn = await register(gql, admin, birthDate=clock.today().isoformat())
    assert newborn["age"] == 0
    # 18 today: an adult, so a CIN is needed
    body = await gql(REGISTER, {"input": factories.person_input(birthDate=years_ago(18), cin=None)},
                     admin)
    single_error(body, "BAD_USER_INPUT", "input.cin")
    # 18 tomorrow: still a minor
    minor = await register(gql, admin, birthDate=years_ago(18, days=-1), cin=None)
    assert minor["age"] == 17


async def test_registered_idcs_are_distinct(gql, tokens):
    admin = tokens.admin()
    ids = {(await register(gql, admin))["idcs"] for _ in range(5)}
    assert len(ids) == 5
    assert all(is_valid_idcs(i) for i in ids)


# ---------------------------------------------------------------- registerPerson: every rule


def _adult(**kw):
    return factories.person_input(**kw)


def _future():
    return (clock.today() + timedelta(days=1)).isoformat()


INVALID_INPUTS = [
    ("malformed CIN lower case", lambda: _adult(cin="ab123"), "input.cin"),
    ("malformed CIN too many digits", lambda: _adult(cin="AB1234567"), "input.cin"),
    ("malformed CIN three letters", lambda: _adult(cin="ABC1"), "input.cin"),
    ("CIN with trailing newline", lambda: _adult(cin="AB12345\n"), "input.cin"),
    ("adult national without CIN", lambda: _adult(cin=None), "input.cin"),
    ("foreign adult without residence card", lambda: _adult(nationality="FR"),
     "input.residenceCardNumber"),
    ("foreigner with a CIN", lambda: _adult(nationality="FR", cin="AB123456"), "input.cin"),
    ("national with residence card", lambda: _adult(residenceCardNumber="AB123456"),
     "input.residenceCardNumber"),
    ("malformed residence card", lambda: _adult(nationality="FR", residenceCardNumber="X1"),
     "input.residenceCardNumber"),
    ("birth date in the future", lambda: _adult(birthDate=_future()), "input.birthDate"),
    ("birth date before 1900", lambda: _adult(birthDate="1899-12-31"), "input.birthDate"),
    ("empty first name", lambda: _adult(firstName=""), "input.firstName"),
    ("blank first name", lambda: _adult(firstName="   "), "input.firstName"),
    ("empty last name", lambda: _adult(lastName=""), "input.lastName"),
    ("first name too long", lambda: _adult(firstName="A" * 81), "input.firstName"),
    ("control character in Arabic name", lambda: _adult(lastNameAr="العلوي\x00"),
     "input.lastNameAr"),
    ("bad phone", lambda: _adult(phone="06-12-34"), "input.phone"),
    ("phone with letters", lambda: _adult(phone="06123456ab"), "input.phone"),
    ("nationality Maroc", lambda: _adult(nationality="Maroc"), "input.nationality"),
    ("nationality lower case", lambda: _adult(nationality="ma"), "input.nationality"),
    ("idempotency key too long", lambda: {**_adult(), "idempotencyKey": "k" * 101},
     "input.idempotencyKey"),
    ("empty idempotency key", lambda: {**_adult(), "idempotencyKey": ""}, "input.idempotencyKey"),
]


@pytest.mark.parametrize(("case", "make", "field"), INVALID_INPUTS,
                         ids=[c[0] for c in INVALID_INPUTS])
async def test_register_person_rule_violations(gql, tokens, case, make, field):
    admin = tokens.admin()
    await register(gql, admin)  # an unrelated person already in the register
    body = await gql(REGISTER, {"input": make()}, admin)
    error = single_error(body, "BAD_USER_INPUT", field)
    assert error["message"]
    assert error.get("path") == ["registerPerson"]
    assert await count_persons() == 1
    assert await IdempotencyRecord.all().count() == 0


@pytest.mark.parametrize("birth", ["2023-02-30", "2023-13-01", "15/06/1985", "", "1985-6-15"])
async def test_register_person_impossible_date_variable(gql, tokens, birth):
    response = await gql.raw(REGISTER, {"input": factories.person_input(birthDate=birth, cin="A1")},
                             tokens.admin())
    body = response.json()
    assert response.status_code in (200, 400)
    assert body.get("data") is None
    assert body["errors"], body
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", body
    assert error["extensions"].get("field") == "input.birthDate", body
    assert "Internal error" not in error["message"]
    assert await count_persons() == 0


async def test_register_person_impossible_date_literal(gql, tokens):
    body = await gql(
        'mutation { registerPerson(input: {firstName: "A", lastName: "B", sex: FEMALE, '
        'birthDate: "2023-02-30", nationality: "MA"}) { idcs } }',
        token=tokens.admin(),
    )
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await count_persons() == 0


async def test_register_person_missing_required_input_field(gql, tokens):
    data = factories.person_input()
    del data["lastName"]
    body = await gql(REGISTER, {"input": data}, tokens.admin())
    assert body.get("data") is None
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await count_persons() == 0


async def test_register_person_unknown_sex_enum(gql, tokens):
    body = await gql(REGISTER, {"input": factories.person_input(sex="OTHER")}, tokens.admin())
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert await count_persons() == 0


async def test_duplicate_cin_is_a_conflict(gql, tokens):
    admin = tokens.admin()
    first = await register(gql, admin, cin="K48213")
    body = await gql(REGISTER, {"input": factories.person_input(cin="K48213", firstName="Other")},
                     admin)
    error = single_error(body, "CONFLICT", "input.cin")
    assert "K48213" not in error["message"]  # no personal data echoed
    assert await count_persons() == 1
    assert (await Person.get(cin="K48213")).idcs == first["idcs"]


async def test_duplicate_residence_card_is_a_conflict(gql, tokens):
    admin = tokens.admin()
    await register(gql, admin, nationality="SN", residenceCardNumber="E1234567")
    body = await gql(REGISTER, {"input": factories.person_input(nationality="BE",
                                                                residenceCardNumber="E1234567")},
                     admin)
    single_error(body, "CONFLICT", "input.residenceCardNumber")
    assert await count_persons() == 1


async def test_concurrent_registrations_with_one_cin_create_one_person(gql, tokens):
    admin = tokens.admin()
    bodies = await asyncio.gather(*[
        gql(REGISTER, {"input": factories.person_input(cin="ZZ777777", firstName=f"P{i}")}, admin)
        for i in range(6)
    ])
    winners = [b for b in bodies if not b.get("errors")]
    losers = [b for b in bodies if b.get("errors")]
    assert len(winners) == 1, bodies
    for body in losers:
        single_error(body, "CONFLICT", "input.cin")
    assert await count_persons() == 1


# ---------------------------------------------------------------- idempotency


async def test_idempotent_retry_returns_the_first_result(gql, tokens):
    admin = tokens.admin()
    data = {**factories.person_input(), "idempotencyKey": "guichet-7/2026-03-01/0001"}
    first = (await gql.data(REGISTER, {"input": data}, admin))["registerPerson"]
    second = (await gql.data(REGISTER, {"input": data}, admin))["registerPerson"]
    assert second["idcs"] == first["idcs"]
    assert second == first
    assert await count_persons() == 1
    assert await IdempotencyRecord.all().count() == 1


async def test_idempotency_key_reused_with_different_input_is_a_conflict(gql, tokens):
    admin = tokens.admin()
    data = {**factories.person_input(), "idempotencyKey": "key-1"}
    first = (await gql.data(REGISTER, {"input": data}, admin))["registerPerson"]
    changed = {**data, "firstName": "Fatima"}
    body = await gql(REGISTER, {"input": changed}, admin)
    single_error(body, "CONFLICT", "input.idempotencyKey")
    changed = {**factories.person_input(), "idempotencyKey": "key-1"}  # another person entirely
    single_error(await gql(REGISTER, {"input": changed}, admin), "CONFLICT",
                 "input.idempotencyKey")
    assert await count_persons() == 1
    assert (await Person.first()).idcs == first["idcs"]


async def test_idempotency_keys_belong_to_their_caller(gql, tokens):
    admin = tokens.admin()
    data = {**factories.person_input(birthDate=years_ago(5), cin=None), "idempotencyKey": "shared"}
    first = (await gql.data(REGISTER, {"input": data}, admin))["registerPerson"]
    # another account using the same key does not receive the first caller's result
    other = (await gql.data(REGISTER, {"input": data}, tokens.registrar("038")))["registerPerson"]
    assert other["idcs"] != first["idcs"]
    assert await count_persons() == 2


async def test_concurrent_idempotent_retries_create_one_person(gql, tokens):
    admin = tokens.admin()
    data = {**factories.person_input(), "idempotencyKey": "burst"}
    bodies = await asyncio.gather(*[gql(REGISTER, {"input": data}, admin) for _ in range(5)])
    for body in bodies:
        assert not body.get("errors"), body
    assert len({b["data"]["registerPerson"]["idcs"] for b in bodies}) == 1
    assert await count_persons() == 1


async def test_no_idempotency_key_means_no_record(gql, tokens):
    await register(gql, tokens.admin())
    assert await IdempotencyRecord.all().count() == 0


# ---------------------------------------------------------------- roles


@pytest.mark.parametrize("who", ["citizen", "program_agency", "auditor"])
async def test_only_admins_and_registrars_register_persons(gql, tokens, who):
    admin = tokens.admin()
    existing = await register(gql, admin)
    token = {
        "citizen": lambda: tokens.citizen(existing["idcs"]),
        "program_agency": lambda: tokens.program("ASD"),
        "auditor": tokens.auditor,
    }[who]()
    body = await gql(REGISTER, {"input": factories.person_input()}, token)
    single_error(body, "FORBIDDEN")
    assert await count_persons() == 1


async def test_anonymous_cannot_register(gql):
    response = await gql.raw(REGISTER, {"input": factories.person_input()})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await count_persons() == 0


async def test_registrar_registers_a_person(gql, tokens):
    person = await register(gql, tokens.registrar("038"))
    assert is_valid_idcs(person["idcs"])
    assert (await person_row(person["idcs"])).registered_by == "registrar-1"


# ---------------------------------------------------------------- person(idcs)


async def test_registrar_may_look_up_any_person(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin, province="038", children=0)
    head = household["_head"]
    loose = (await register(gql, admin))["idcs"]

    # a registrar of another province finds the person, but not their household
    elsewhere = tokens.registrar("001")
    found = (await gql.data(PERSON, {"idcs": head}, elsewhere))["person"]
    assert found["idcs"] == head
    assert found["household"] is None
    assert (await gql.data(PERSON, {"idcs": loose}, elsewhere))["person"]["idcs"] == loose

    # the registrar of the household's province sees the household too
    local = (await gql.data(PERSON, {"idcs": head}, tokens.registrar("038")))["person"]
    assert local["household"] == {"id": household["id"]}


async def test_citizen_sees_self_only(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin, children=0)
    me, spouse = household["_head"], household["_spouse"]
    stranger = (await register(gql, admin))["idcs"]
    citizen = tokens.citizen(me)

    own = (await gql.data(PERSON, {"idcs": me}, citizen))["person"]
    assert own["idcs"] == me
    assert own["household"] == {"id": household["id"]}

    for other in (spouse, stranger):
        body = await gql(PERSON, {"idcs": other}, citizen)
        error = single_error(body, "NOT_FOUND")
        assert body["data"] == {"person": None}
        assert other not in error["message"]


async def test_program_agency_and_auditor_cannot_look_up_persons(gql, tokens):
    idcs = (await register(gql, tokens.admin()))["idcs"]
    for token in (tokens.program("ASD"), tokens.program("AMO_TADAMON"), tokens.auditor()):
        body = await gql(PERSON, {"idcs": idcs}, token)
        # out of scope is reported as NOT_FOUND (or, before execution, as a field denial)
        assert body["errors"][0]["extensions"]["code"] in ("NOT_FOUND", "FORBIDDEN"), body
        assert not (body.get("data") or {}).get("person")


async def test_unknown_idcs_is_not_found_like_out_of_scope(gql, tokens):
    admin = tokens.admin()
    existing = (await register(gql, admin))["idcs"]
    unknown = new_idcs()
    while unknown == existing:
        unknown = new_idcs()
    missing = single_error(await gql(PERSON, {"idcs": unknown}, admin), "NOT_FOUND")
    hidden = single_error(await gql(PERSON, {"idcs": existing}, tokens.citizen(unknown)),
                          "NOT_FOUND")
    assert missing["message"] == hidden["message"]  # no way to tell "exists" from "unknown"


@pytest.mark.parametrize("bad", ["123", "7992739873", "abcdefghij", "", "7992739875 "])
async def test_malformed_idcs_is_bad_user_input(gql, tokens, bad):
    single_error(await gql(PERSON, {"idcs": bad}, tokens.admin()), "BAD_USER_INPUT", "idcs")


async def test_person_requires_authentication(gql, tokens):
    idcs = (await register(gql, tokens.admin()))["idcs"]
    response = await gql.raw(PERSON, {"idcs": idcs})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# ------------------------------------------------------------ updatePerson: phone and corrections


async def test_citizen_changes_own_phone(gql, tokens):
    idcs = (await register(gql, tokens.admin()))["idcs"]
    updated = (await gql.data(UPDATE, {"idcs": idcs, "input": {"phone": "+212 700 112 233"}},
                              tokens.citizen(idcs)))["updatePerson"]
    assert updated["phone"] == "+212700112233"
    assert updated["version"] == 2
    row = await person_row(idcs)
    assert row.phone == "+212700112233" and row.version == 2
    assert row.first_name == "Amina"


async def test_citizen_may_not_correct_their_name(gql, tokens):
    idcs = (await register(gql, tokens.admin()))["idcs"]
    changes = {"firstName": "Aminata", "phone": "0600000000"}
    body = await gql(UPDATE, {"idcs": idcs, "input": changes}, tokens.citizen(idcs))
    error = single_error(body, "FORBIDDEN")
    assert "UpdatePersonInput.firstName" in error["extensions"].get("deniedFields", [])
    row = await person_row(idcs)
    assert row.first_name == "Amina" and row.phone == "0612345678" and row.version == 1


async def test_citizen_may_not_update_someone_else(gql, tokens):
    admin = tokens.admin()
    me = (await register(gql, admin))["idcs"]
    other = (await register(gql, admin))["idcs"]
    body = await gql(UPDATE, {"idcs": other, "input": {"phone": "0600000000"}}, tokens.citizen(me))
    single_error(body, "NOT_FOUND")
    assert (await person_row(other)).phone == "0612345678"


@pytest.mark.parametrize("who", ["program_agency", "auditor"])
async def test_programs_and_auditors_may_not_update_persons(gql, tokens, who):
    idcs = (await register(gql, tokens.admin()))["idcs"]
    token = tokens.program("ASD") if who == "program_agency" else tokens.auditor()
    body = await gql(UPDATE, {"idcs": idcs, "input": {"phone": "0600000000"}}, token)
    assert body["errors"][0]["extensions"]["code"] in ("FORBIDDEN", "NOT_FOUND"), body
    assert (await person_row(idcs)).version == 1


async def test_registrar_correction_bumps_version(gql, tokens):
    idcs = (await register(gql, tokens.admin()))["idcs"]
    registrar = tokens.registrar("038")
    first = (await gql.data(UPDATE, {"idcs": idcs, "input": {"firstName": "Aminah",
                                                            "lastNameAr": "العلوى"}},
                            registrar))["updatePerson"]
    assert first["firstName"] == "Aminah"
    assert first["lastNameAr"] == "العلوى"
    assert first["lastName"] == "Alaoui"  # untouched
    assert first["version"] == 2
    second = (await gql.data(UPDATE, {"idcs": idcs, "input": {"lastName": "El Alaoui",
                                                             "expectedVersion": 2}},
                             registrar))["updatePerson"]
    assert second["version"] == 3
    row = await person_row(idcs)
    assert (row.first_name, row.last_name, row.version) == ("Aminah", "El Alaoui", 3)


async def test_stale_expected_version_is_a_conflict(gql, tokens):
    idcs = (await register(gql, tokens.admin()))["idcs"]
    registrar = tokens.registrar("038")
    await gql.data(UPDATE, {"idcs": idcs, "input": {"firstName": "Aminah"}}, registrar)
    body = await gql(UPDATE, {"idcs": idcs, "input": {"firstName": "Amineh", "expectedVersion": 1}},
                     registrar)
    single_error(body, "CONFLICT", "input.expectedVersion")
    row = await person_row(idcs)
    assert (row.first_name, row.version) == ("Aminah", 2)


async def test_concurrent_updates_each_bump_the_version(gql, tokens):
    idcs = (await register(gql, tokens.admin()))["idcs"]
    registrar = tokens.registrar("038")
    bodies = await asyncio.gather(*[
        gql(UPDATE, {"idcs": idcs, "input": {"phone": f"06000000{i:02d}"}}, registrar)
        for i in range(5)
    ])
    for body in bodies:
        assert not body.get("errors"), body
    # five accepted changes: the version moved five times, so a client holding any
    # intermediate version cannot pass an expectedVersion check by accident
    assert (await person_row(idcs)).version == 6
    assert sorted(b["data"]["updatePerson"]["version"] for b in bodies) == [2, 3, 4, 5, 6]


async def test_duplicate_cin_on_update_is_a_conflict(gql, tokens):
    admin = tokens.admin()
    await register(gql, admin, cin="AB111111")
    other = (await register(gql, admin, cin="AB222222"))["idcs"]
    body = await gql(UPDATE, {"idcs": other, "input": {"cin": "AB111111"}}, tokens.registrar("038"))
    single_error(body, "CONFLICT", "input.cin")
    row = await person_row(other)
    assert (row.cin, row.version) == ("AB222222", 1)


async def test_concurrent_updates_to_one_cin_conflict(gql, tokens):
    admin = tokens.admin()
    people = [(await register(gql, admin))["idcs"] for _ in range(4)]
    bodies = await asyncio.gather(*[
        gql(UPDATE, {"idcs": idcs, "input": {"cin": "XY654321"}}, admin) for idcs in people
    ])
    winners = [b for b in bodies if not b.get("errors")]
    assert len(winners) == 1, bodies
    for body in bodies:
        if body.get("errors"):
            single_error(body, "CONFLICT", "input.cin")
    assert await Person.filter(cin="XY654321").count() == 1


async def test_update_rules(gql, tokens):
    admin = tokens.admin()
    idcs = (await register(gql, admin))["idcs"]
    cases = [
        ({"cin": None}, "input.cin"),  # an adult national keeps a CIN
        ({"cin": "ab1"}, "input.cin"),
        ({"firstName": " "}, "input.firstName"),
        ({"phone": "12"}, "input.phone"),
        ({"nationality": "Maroc"}, "input.nationality"),
        ({"birthDate": _future()}, "input.birthDate"),
        ({"birthDate": None}, "input.birthDate"),
        ({"residenceCardNumber": "AB123456"}, "input.residenceCardNumber"),
        ({}, "input"),
    ]
    for changes, field in cases:
        body = await gql(UPDATE, {"idcs": idcs, "input": changes}, admin)
        single_error(body, "BAD_USER_INPUT", field)
    assert (await person_row(idcs)).version == 1


async def test_update_unknown_and_malformed_idcs(gql, tokens):
    admin = tokens.admin()
    single_error(await gql(UPDATE, {"idcs": new_idcs(), "input": {"phone": "0600000000"}}, admin),
                 "NOT_FOUND")
    single_error(await gql(UPDATE, {"idcs": "12345", "input": {"phone": "0600000000"}}, admin),
                 "BAD_USER_INPUT", "idcs")


async def test_registrar_outside_the_household_province_cannot_update(gql, tokens):
    household = await factories.register_household(gql, tokens.admin(), province="038", children=0)
    body = await gql(UPDATE, {"idcs": household["_spouse"], "input": {"phone": "0600000000"}},
                     tokens.registrar("001"))
    single_error(body, "NOT_FOUND")
    assert (await person_row(household["_spouse"])).version == 1


# ---------------------------------------------------------------- updatePerson: death


async def test_death_of_a_member_ends_their_membership(gql, tokens):
    admin = tokens.admin()
    registrar = tokens.registrar("038")
    household = await factories.register_household(gql, admin, children=2)
    spouse = household["_spouse"]
    died = (clock.today() - timedelta(days=3)).isoformat()

    updated = (await gql.data(UPDATE, {"idcs": spouse, "input": {"deathDate": died}},
                              registrar))["updatePerson"]
    assert updated["deathDate"] == died
    assert updated["household"] is None
    assert updated["version"] == 2

    after = await household_of(gql, admin, household["id"])
    assert after["size"] == 3
    assert spouse not in [m["person"]["idcs"] for m in after["members"]]
    assert after["head"]["idcs"] == household["_head"]
    assert after["status"] == "ACTIVE"
    assert after["version"] == household["version"] + 1

    membership = await Membership.get(person__idcs=spouse)
    # the membership began today (the household was registered today): it cannot end before it
    # began, so the recorded end is the later of the two dates
    assert membership.end_date == max(date.fromisoformat(died), membership.start_date)
    assert membership.exit_reason == "DEATH"
    assert (await person_row(spouse)).death_date.isoformat() == died


async def test_age_of_a_deceased_person_is_age_at_death(gql, tokens):
    admin = tokens.admin()
    idcs = (await register(gql, admin, birthDate="1950-06-15"))["idcs"]
    person = (await gql.data(UPDATE, {"idcs": idcs, "input": {"deathDate": "2020-06-14"}},
                             admin))["updatePerson"]
    assert person["age"] == 69


async def test_death_of_the_head_promotes_the_oldest_member(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin, children=2)
    # a parent, older than everyone, joins last: age, not seniority in the household, decides
    grandmother = (await register(gql, admin, birthDate="1950-01-01"))["idcs"]
    await gql.data(ADD_MEMBER, {"id": household["id"], "idcs": grandmother, "rel": "PARENT"}, admin)

    died = clock.today().isoformat()
    await gql.data(UPDATE, {"idcs": household["_head"], "input": {"deathDate": died}}, admin)

    after = await household_of(gql, admin, household["id"])
    assert after["size"] == 4
    assert after["head"]["idcs"] == grandmother
    heads = [m for m in after["members"] if m["relationship"] == "HEAD"]
    assert [h["person"]["idcs"] for h in heads] == [grandmother]
    relationships = {m["person"]["idcs"]: m["relationship"] for m in after["members"]}
    assert relationships[household["_spouse"]] == "SPOUSE"
    assert after["status"] == "ACTIVE"


async def test_death_of_the_head_with_only_the_spouse_left(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin, children=0)
    await gql.data(UPDATE, {"idcs": household["_head"],
                            "input": {"deathDate": clock.today().isoformat()}}, admin)
    after = await household_of(gql, admin, household["id"])
    assert after["head"]["idcs"] == household["_spouse"]
    assert after["members"] == [{"relationship": "HEAD",
                                 "person": {"idcs": household["_spouse"]}}]


async def test_death_of_the_last_member_closes_the_household(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin, children=0)
    today = clock.today().isoformat()
    await gql.data(UPDATE, {"idcs": household["_spouse"], "input": {"deathDate": today}}, admin)
    assert (await household_of(gql, admin, household["id"]))["status"] == "ACTIVE"
    await gql.data(UPDATE, {"idcs": household["_head"], "input": {"deathDate": today}}, admin)
    after = await household_of(gql, admin, household["id"])
    assert after["status"] == "CLOSED"
    assert after["size"] == 0
    assert after["members"] == []
    assert after["head"] is None


async def test_simultaneous_deaths_of_the_last_members_close_the_household(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin, children=1)
    today = clock.today().isoformat()
    members = [household["_head"], household["_spouse"], *household["_children"]]
    bodies = await asyncio.gather(*[
        gql(UPDATE, {"idcs": idcs, "input": {"deathDate": today}}, admin) for idcs in members
    ])
    for body in bodies:
        assert not body.get("errors"), body
    after = await household_of(gql, admin, household["id"])
    assert after["size"] == 0
    assert after["status"] == "CLOSED"


@pytest.mark.parametrize("when", ["before_birth", "future"])
async def test_invalid_death_date_changes_nothing(gql, tokens, when):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin, children=0)
    spouse = household["_spouse"]  # born 1984-02-02
    death = "1984-02-01" if when == "before_birth" else _future()
    body = await gql(UPDATE, {"idcs": spouse, "input": {"deathDate": death}}, admin)
    single_error(body, "BAD_USER_INPUT", "input.deathDate")
    row = await person_row(spouse)
    assert row.death_date is None and row.version == 1
    after = await household_of(gql, admin, household["id"])
    assert after["size"] == 2 and after["version"] == household["version"]
    assert await Membership.filter(person__idcs=spouse, end_date=None).exists()


async def test_failing_update_with_a_death_writes_nothing(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin, children=0)
    head = household["_head"]
    body = await gql(UPDATE, {"idcs": head, "input": {"deathDate": clock.today().isoformat(),
                                                     "phone": "not a phone"}}, admin)
    single_error(body, "BAD_USER_INPUT", "input.phone")
    assert (await person_row(head)).death_date is None
    after = await household_of(gql, admin, household["id"])
    assert after["head"]["idcs"] == head and after["size"] == 2

    # a stale version with a death: nothing either
    body = await gql(UPDATE, {"idcs": head, "input": {"deathDate": clock.today().isoformat(),
                                                     "expectedVersion": 7}}, admin)
    single_error(body, "CONFLICT", "input.expectedVersion")
    after = await household_of(gql, admin, household["id"])
    assert after["head"]["idcs"] == head and after["size"] == 2
    assert after["version"] == household["version"]


async def test_recorded_death_cannot_be_cleared(gql, tokens):
    admin = tokens.admin()
    idcs = (await register(gql, admin))["idcs"]
    await gql.data(UPDATE, {"idcs": idcs, "input": {"deathDate": "2024-01-01"}}, admin)
    body = await gql(UPDATE, {"idcs": idcs, "input": {"deathDate": None}}, admin)
    single_error(body, "BAD_USER_INPUT", "input.deathDate")
    assert (await person_row(idcs)).death_date == date(2024, 1, 1)


REMOVE_MEMBER = """
mutation($id: ID!, $idcs: String!, $date: Date!) {
  removeHouseholdMember(householdId: $id, idcs: $idcs, reason: DEATH, effectiveDate: $date) { id }
}
"""


async def test_death_recorded_twice_at_once_never_fails_internally(gql, tokens):
    """updatePerson(deathDate) and removeHouseholdMember(reason: DEATH) on one person at the same
    time take their row locks in the same order: no deadlock, one clean outcome."""
    admin = tokens.admin()
    today = clock.today().isoformat()
    for _ in range(5):
        household = await factories.register_household(gql, admin, children=1)
        child = household["_children"][0]
        bodies = await asyncio.gather(
            gql(UPDATE, {"idcs": child, "input": {"deathDate": today}}, admin),
            gql(REMOVE_MEMBER, {"id": household["id"], "idcs": child, "date": today}, admin),
        )
        codes = [e["extensions"]["code"] for b in bodies for e in b.get("errors") or []]
        assert "INTERNAL" not in codes, bodies
        assert any(not b.get("errors") for b in bodies), bodies
        assert (await person_row(child)).death_date.isoformat() == today
        assert await Membership.filter(person__idcs=child).count() == 1
        assert not await Membership.filter(person__idcs=child, end_date=None).exists()
        assert (await household_of(gql, admin, household["id"]))["size"] == 2
