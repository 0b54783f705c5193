"""Field and row access over HTTP: the ways a denied field might be smuggled into a document,
denials that stop the whole operation (mutations included), filter arguments, row scope,
anonymous callers, the caller's own view of the policy, and policy reloads (contract §4)."""

from __future__ import annotations

import uuid

import pytest

import api.schema.schema as schema_module
from api.models import Enrollment, Person
from api.policies.enforcer import MODEL_FILE, POLICY_FILE, AccessPolicy
from api.schema.access import FieldAccess, schema_permissions
from tests import factories
from tests.api.household_helpers import REGISTER_HOUSEHOLD, household_input, small_household

pytestmark = pytest.mark.e2e

AMO, ASD, TAYSSIR = "AMO_TADAMON", "ASD", "TAYSSIR"

POOR = {
    "headEducation": "NONE", "headOccupation": "UNEMPLOYED", "housingType": "SHANTY",
    "occupancy": "FREE_OCCUPANT", "rooms": 1, "waterSource": "PUBLIC_TAP",
    "electricityMonthly": 30, "waterMonthly": 0, "phoneMonthly": 20, "butaneBottlesMonthly": 1,
    "assets": [],
}


async def poor_household(gql, admin: str) -> dict:
    """A one-adult household under the AMO Tadamon and ASD thresholds; `_head` is its IDCS."""
    head = await factories.register_person(gql, admin, phone="0699887766")
    payload = household_input(head, **POOR)
    household = (await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, admin))["registerHousehold"]
    household["_head"] = head
    return household


def denial(body: dict, code: str = "FORBIDDEN") -> list[str]:
    """Asserts the answer is one field denial and nothing ran; returns its deniedFields."""
    errors = body.get("errors") or []
    assert len(errors) == 1, body
    assert errors[0]["extensions"]["code"] == code, body
    assert body.get("data") is None, body
    denied = errors[0]["extensions"].get("deniedFields")
    assert isinstance(denied, list) and denied == sorted(denied), body
    return denied


def only_error_code(body: dict) -> str:
    errors = body.get("errors") or []
    assert len(errors) == 1, body
    return errors[0]["extensions"]["code"]


# --- smuggling a denied field to a program agency -------------------------------------

ELIGIBILITY_PERSON = """
query($program: ProgramCode!, $idcs: String!) {
  eligibility(program: $program, idcs: $idcs) {
    eligible
    household { members { person { %s } } }
  }
}
"""

NAMED_FRAGMENT = """
query($program: ProgramCode!, $idcs: String!) {
  eligibility(program: $program, idcs: $idcs) { eligible household { members { person { ...Who } } } }
}
fragment Who on Person { idcs phone }
"""

NESTED_FRAGMENTS = """
query($program: ProgramCode!, $idcs: String!) {
  eligibility(program: $program, idcs: $idcs) { ...Elig }
}
fragment Elig on Eligibility { eligible household { ...Hh } }
fragment Hh on Household { members { person { ...Who } } }
fragment Who on Person { idcs phone }
"""

SMUGGLED = {
    "plain": ELIGIBILITY_PERSON % "idcs phone",
    "alias": ELIGIBILITY_PERSON % "idcs p: phone",
    "alias named like a granted field": ELIGIBILITY_PERSON % "idcs firstName: phone",
    "inline fragment": ELIGIBILITY_PERSON % "idcs ... on Person { phone }",
    "inline fragment without type": ELIGIBILITY_PERSON % "idcs ... { phone }",
    "skipped by a directive": ELIGIBILITY_PERSON % "idcs phone @include(if: false)",
    "named fragment": NAMED_FRAGMENT,
    "fragments within fragments": NESTED_FRAGMENTS,
    "twice, aliased": ELIGIBILITY_PERSON % "idcs a: phone b: phone",
}


@pytest.mark.parametrize("how", list(SMUGGLED))
async def test_a_program_cannot_smuggle_the_phone(how, gql, tokens):
    admin, agency = tokens.admin(), tokens.program(AMO)
    household = await poor_household(gql, admin)
    variables = {"program": AMO, "idcs": household["_head"]}

    # control: without the phone, the same path returns the person
    ok = await gql.data(ELIGIBILITY_PERSON % "idcs", variables, agency)
    assert ok["eligibility"]["household"]["members"] == [{"person": {"idcs": household["_head"]}}]

    body = await gql(SMUGGLED[how], variables, agency)
    assert denial(body) == ["Person.phone"]
    assert "0699887766" not in str(body)


async def test_the_phone_is_denied_whatever_the_program(gql, tokens):
    household = await poor_household(gql, tokens.admin())
    for code in (AMO, ASD, TAYSSIR):
        body = await gql(ELIGIBILITY_PERSON % "idcs phone", {"program": code, "idcs": household["_head"]},
                         tokens.program(code))
        assert denial(body) == ["Person.phone"], code


async def test_only_the_operation_that_runs_is_checked(http, tokens, gql):
    household = await poor_household(gql, tokens.admin())
    document = """
    query Granted($idcs: String!) { eligibility(program: AMO_TADAMON, idcs: $idcs) { eligible } }
    query Smuggler($idcs: String!) {
      eligibility(program: AMO_TADAMON, idcs: $idcs) { household { members { person { phone } } } }
    }
    """
    headers = {"Authorization": f"Bearer {tokens.program(AMO)}"}
    variables = {"idcs": household["_head"]}
    granted = (await http.post("/graphql", headers=headers, json={
        "query": document, "variables": variables, "operationName": "Granted"})).json()
    assert granted == {"data": {"eligibility": {"eligible": True}}}
    denied = (await http.post("/graphql", headers=headers, json={
        "query": document, "variables": variables, "operationName": "Smuggler"})).json()
    assert denial(denied) == ["Person.phone"]


async def test_one_denied_field_among_many_granted_denies_the_whole_operation(gql, tokens):
    household = await poor_household(gql, tokens.admin())
    fields = """idcs program eligible reasons threshold formulaVersion evaluatedAt
      household { id reference size members { relationship person { idcs firstName lastName sex
      birthDate %s } } }"""
    query = "query($idcs: String!) { eligibility(program: AMO_TADAMON, idcs: $idcs) { %s } }"
    variables = {"idcs": household["_head"]}
    agency = tokens.program(AMO)

    granted = await gql.data(query % (fields % ""), variables, agency)
    assert granted["eligibility"]["eligible"] is True

    assert denial(await gql(query % (fields % "phone"), variables, agency)) == ["Person.phone"]
    # several denials: each is listed, once, sorted
    several = query % (fields % "phone cin p2: phone").replace(
        "size", "size address index { value }")
    assert denial(await gql(several, variables, agency)) == [
        "Household.address", "Household.index", "Person.cin", "Person.phone", "SocioEconomicIndex.value",
    ]


async def test_a_denied_payload_field_stops_the_mutation_before_it_writes(gql, tokens):
    admin, agency = tokens.admin(), tokens.program(AMO)
    household = await poor_household(gql, admin)
    enroll = """mutation($householdId: ID!) {
      enroll(program: AMO_TADAMON, householdId: $householdId) { id household { %s } } }"""
    variables = {"householdId": household["id"]}

    body = await gql(enroll % "id address", variables, agency)
    assert denial(body) == ["Household.address"]
    assert await Enrollment.all().count() == 0

    # the same call with a granted payload enrols: the denial alone stopped the write
    done = await gql.data(enroll % "id", variables, agency)
    assert done["enroll"]["household"] == {"id": household["id"]}
    assert await Enrollment.all().count() == 1


async def test_a_denied_mutation_writes_nothing(gql, tokens):
    """A program agency may not register persons: refused before the input is even read."""
    registrations = "mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { idcs } }"
    before = await Person.all().count()
    body = await gql(registrations, {"input": factories.person_input()}, tokens.program(ASD))
    assert denial(body) == ["Mutation.registerPerson"]  # Person.idcs itself is granted to ASD
    assert await Person.all().count() == before


# --- filter arguments ---------------------------------------------------------------------------

PROVINCE_GRANT = "p, role:registrar, Household.province, read, allow"


@pytest.fixture
def swap_policy(monkeypatch, tmp_path):
    """Install a policy built from `text` for the server (field checks and me.allowedFields)."""

    def install(text: str) -> AccessPolicy:
        policy_file = tmp_path / "policy.csv"
        policy_file.write_text(text, encoding="utf-8")
        policy = AccessPolicy(schema_permissions(schema_module.schema._schema),
                              model_file=MODEL_FILE, policy_file=policy_file)
        monkeypatch.setattr(FieldAccess, "policy", policy)
        monkeypatch.setattr(schema_module, "_policy", policy)
        return policy

    return install


def real_policy_without(line: str) -> str:
    text = POLICY_FILE.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert line in lines, f"the real policy no longer has {line!r}"
    return "\n".join(entry for entry in lines if entry != line) + "\n"


async def test_filtering_by_a_field_needs_that_field(gql, tokens, swap_policy):
    registrar = tokens.registrar("038")
    await small_household(gql, tokens.admin())
    policy = swap_policy(real_policy_without(PROVINCE_GRANT))
    assert ("Query.households", "read") in policy.grants("role:registrar")
    assert ("Household.province", "read") not in policy.grants("role:registrar")

    literal = await gql('{ households(filter: {province: "038"}) { totalCount } }', token=registrar)
    assert denial(literal) == ["Household.province"]

    variable = await gql("query($f: HouseholdFilter) { households(filter: $f) { totalCount } }",
                         {"f": {"province": "038"}}, registrar)
    assert denial(variable) == ["Household.province"]

    # filtering by a granted field, or not filtering, still answers
    by_milieu = await gql.data("{ households(filter: {milieu: URBAN}) { totalCount } }", token=registrar)
    assert by_milieu["households"]["totalCount"] == 1
    plain = await gql.data("{ households { totalCount edges { node { id } } } }", token=registrar)
    assert plain["households"]["totalCount"] == 1
    # selecting the field is denied too, and the caller's view of its grants says so
    selected = await gql("{ households { edges { node { id province } } } }", token=registrar)
    assert denial(selected) == ["Household.province"]
    me = await gql.data("{ me { allowedFields } }", token=registrar)
    assert "Household.province" not in me["me"]["allowedFields"]
    assert "Household.region" in me["me"]["allowedFields"]


async def test_filtering_by_province_is_fine_under_the_real_policy(gql, tokens):
    await small_household(gql, tokens.admin())
    data = await gql.data('{ households(filter: {province: "038"}) { totalCount } }',
                          token=tokens.registrar("038"))
    assert data["households"]["totalCount"] == 1


# --- programs: no browsing, no other program's data ----------------------------------------

async def test_a_program_asks_only_about_its_own_program(gql, tokens):
    household = await poor_household(gql, tokens.admin())
    asd = tokens.program(ASD)
    own = await gql.data("query($i: String!) { eligibility(program: ASD, idcs: $i) { eligible } }",
                         {"i": household["_head"]}, asd)
    assert own["eligibility"]["eligible"] is True

    other = await gql("query($i: String!) { eligibility(program: AMO_TADAMON, idcs: $i) { eligible } }",
                      {"i": household["_head"]}, asd)
    assert only_error_code(other) == "FORBIDDEN" and other["data"] is None
    bulk = await gql("query($i: [String!]!) { eligibilities(program: AMO_TADAMON, idcs: $i) { eligible } }",
                     {"i": [household["_head"]]}, asd)
    assert only_error_code(bulk) == "FORBIDDEN" and bulk["data"] is None
    listing = await gql("{ enrollments(program: AMO_TADAMON) { totalCount } }", token=asd)
    assert only_error_code(listing) == "FORBIDDEN" and listing["data"] is None
    enrol = await gql("mutation($h: ID!) { enroll(program: AMO_TADAMON, householdId: $h) { id } }",
                      {"h": household["id"]}, asd)
    assert only_error_code(enrol) == "FORBIDDEN"
    assert await Enrollment.all().count() == 0


@pytest.mark.parametrize("code", [AMO, ASD, TAYSSIR])
async def test_programs_cannot_browse(code, gql, tokens):
    household = await poor_household(gql, tokens.admin())
    agency = tokens.program(code)
    by_id = await gql("query($id: ID!) { household(id: $id) { id } }", {"id": household["id"]}, agency)
    assert denial(by_id) == ["Query.household"]
    by_idcs = await gql("query($i: String!) { person(idcs: $i) { idcs } }", {"i": household["_head"]}, agency)
    assert denial(by_idcs) == ["Query.person"]
    listing = await gql("{ households { totalCount } }", token=agency)
    assert denial(listing) == ["HouseholdConnection.totalCount", "Query.households"]
    listing = await gql("{ households { pageInfo { hasNextPage } } }", token=agency)
    assert "Query.households" in denial(listing)
    mine = await gql("{ myHousehold { id } }", token=agency)
    assert denial(mine) == ["Query.myHousehold"]


# --- rows: citizens see their own household only ------------------------------------------------

async def test_a_citizen_reads_its_own_household_and_no_other(gql, tokens):
    admin = tokens.admin()
    own = await poor_household(gql, admin)
    other = await small_household(gql, admin)
    citizen = tokens.citizen(own["_head"])
    query = "query($id: ID!) { household(id: $id) { id address index { value components { name } } } }"

    mine = await gql.data(query, {"id": own["id"]}, citizen)
    assert mine["household"]["id"] == own["id"]
    assert mine["household"]["address"] == "12 rue des Orangers"
    assert isinstance(mine["household"]["index"]["value"], float)
    assert mine["household"]["index"]["components"]

    theirs = await gql(query, {"id": other["id"]}, citizen)
    assert only_error_code(theirs) == "NOT_FOUND"
    assert theirs["data"] == {"household": None}
    # a household that does not exist answers exactly the same
    missing = await gql(query, {"id": str(uuid.uuid4())}, citizen)
    assert only_error_code(missing) == "NOT_FOUND"
    assert missing["errors"][0]["message"] == theirs["errors"][0]["message"]

    person = await gql("query($i: String!) { person(idcs: $i) { idcs } }", {"i": other["_head"]}, citizen)
    assert only_error_code(person) == "NOT_FOUND"
    myself = await gql.data("query($i: String!) { person(idcs: $i) { idcs phone } }",
                            {"i": own["_head"]}, citizen)
    assert myself["person"] == {"idcs": own["_head"], "phone": "0699887766"}
    listing = await gql.data("{ households { totalCount edges { node { id } } } }", token=citizen)
    assert listing["households"]["totalCount"] == 1
    assert [e["node"]["id"] for e in listing["households"]["edges"]] == [own["id"]]
    my_household = await gql.data("{ myHousehold { id } }", token=citizen)
    assert my_household["myHousehold"] == {"id": own["id"]}


# --- anonymous callers --------------------------------------------------------------------------

async def test_anonymous_callers_must_authenticate_for_me(gql):
    response = await gql.raw("{ me { subject } }")
    assert response.status_code == 401
    body = response.json()
    assert denial(body, "UNAUTHENTICATED") == ["Query.me", "Viewer.subject"]


async def test_anonymous_callers_read_the_program_catalogue(gql):
    response = await gql.raw("{ programs { code } }")
    assert response.status_code == 200
    assert response.json() == {"data": {"programs": [{"code": AMO}, {"code": ASD}, {"code": TAYSSIR}]}}


async def test_anonymous_callers_cannot_mix_the_catalogue_with_anything_else(gql):
    response = await gql.raw("{ programs { code } regions { code } }")
    assert response.status_code == 401
    assert denial(response.json(), "UNAUTHENTICATED") == ["Query.regions", "Region.code"]


# --- the caller's own view of the policy ----------------------------------------------------------

async def test_me_allowed_fields_follow_the_program(gql, tokens):
    asd = (await gql.data("{ me { program allowedFields } }", token=tokens.program(ASD)))["me"]
    assert asd["program"] == ASD
    assert "Eligibility.monthlyAmount" in asd["allowedFields"]
    assert "Person.phone" not in asd["allowedFields"]
    assert "Household.province" in asd["allowedFields"]
    assert asd["allowedFields"] == sorted(set(asd["allowedFields"]))
    # mutations are actions, not readable fields
    assert not any(f.startswith("Mutation.") for f in asd["allowedFields"])

    tayssir = (await gql.data("{ me { allowedFields } }", token=tokens.program(TAYSSIR)))["me"]
    assert "Eligibility.monthlyAmount" not in tayssir["allowedFields"]
    assert "Member.schooling" in tayssir["allowedFields"]
    assert "Person.firstName" not in tayssir["allowedFields"]


async def test_me_allowed_fields_match_what_the_server_lets_through(gql, tokens):
    """Every field me.allowedFields lists for ASD on Person can be selected together."""
    household = await poor_household(gql, tokens.admin())
    agency = tokens.program(ASD)
    allowed = (await gql.data("{ me { allowedFields } }", token=agency))["me"]["allowedFields"]
    person_fields = [f.split(".")[1] for f in allowed if f.startswith("Person.")]
    assert person_fields
    query = ELIGIBILITY_PERSON.replace("$program: ProgramCode!, ", "").replace("$program", "ASD")
    data = await gql.data(query % " ".join(person_fields), {"idcs": household["_head"]}, agency)
    person = data["eligibility"]["household"]["members"][0]["person"]
    assert set(person) == set(person_fields)


@pytest.mark.parametrize("caller", ["auditor", "admin"])
async def test_access_policy_is_readable_by_auditors_and_admins(caller, gql, tokens):
    token = getattr(tokens, caller)()
    grants = (await gql.data("{ accessPolicy { subject field action } }", token=token))["accessPolicy"]
    assert {"subject": "program:ASD", "field": "Eligibility.monthlyAmount", "action": "read"} in grants
    assert {"subject": "program:AMO_TADAMON", "field": "Mutation.enroll", "action": "enroll"} in grants
    assert {"subject": "program:TAYSSIR", "field": "Eligibility.monthlyAmount",
            "action": "read"} not in grants
    assert not any(g["subject"].startswith("program:") and g["field"] == "Person.phone" for g in grants)


async def test_access_policy_is_forbidden_to_programs(gql, tokens):
    body = await gql("{ accessPolicy { subject field action } }", token=tokens.program(ASD))
    assert denial(body) == ["FieldGrant.action", "FieldGrant.field", "FieldGrant.subject",
                            "Query.accessPolicy"]


# --- reloads --------------------------------------------------------------------------------------

AMOUNT_DENY = "p, program:ASD, Eligibility.monthlyAmount, read, deny"


async def test_a_policy_reload_changes_the_very_next_request(gql, tokens, swap_policy):
    household = await poor_household(gql, tokens.admin())
    agency = tokens.program(ASD)
    query = "query($i: String!) { eligibility(program: ASD, idcs: $i) { eligible monthlyAmount } }"
    variables = {"i": household["_head"]}
    policy = swap_policy(POLICY_FILE.read_text(encoding="utf-8"))
    first_version = policy.version

    before = await gql.data(query, variables, agency)
    assert before["eligibility"]["eligible"] is True
    assert isinstance(before["eligibility"]["monthlyAmount"], int)

    # the grant comes from the program's file; a deny line of the reviewed policy overrides it
    policy.policy_file.write_text(POLICY_FILE.read_text(encoding="utf-8") + AMOUNT_DENY + "\n",
                                  encoding="utf-8")
    assert (await gql.data(query, variables, agency))["eligibility"]["eligible"]  # not reloaded yet
    FieldAccess.policy.reload()
    assert policy.version != first_version

    assert denial(await gql(query, variables, agency)) == ["Eligibility.monthlyAmount"]
    me = await gql.data("{ me { allowedFields } }", token=agency)
    assert "Eligibility.monthlyAmount" not in me["me"]["allowedFields"]

    policy.policy_file.write_text(POLICY_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    FieldAccess.policy.reload()
    assert policy.version == first_version
    again = await gql.data(query, variables, agency)
    assert again["eligibility"]["monthlyAmount"] == before["eligibility"]["monthlyAmount"]
