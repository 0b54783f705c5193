"""Property-based fuzzing of every input of the API (contract §3 inputs, §5 errors).

Random values are thrown at each input field — unicode of every category (lone surrogates
included), control characters, NUL, emoji, strings up to 10 000 characters, integers of any
size, NaN and infinities, dates from year 1 to 9999, enum-like strings and values of the wrong
JSON type — and the properties are that the API answers with typed errors only: never
INTERNAL, never a 5xx, every error with `extensions.code`, and a failing mutation writes
nothing.

How Hypothesis runs here. pytest-asyncio (1.x, `asyncio_mode = auto`, session-scoped loop)
recognises an `async def` test decorated with `@given` (its `AsyncHypothesisTest` item) and
replaces `test.hypothesis.inner_test` with a synchronous wrapper that runs each example's
coroutine to completion on the session loop. So `@given` is used directly on async tests: every
example runs on the loop that owns the app, its Tortoise connections (asyncpg or SQLite) and
the httpx ASGI client — no thread, no second loop, no `.example()`. Function-scoped fixtures
(`gql`, `tokens`, and the autouse `clean_tables`) are set up once per test, not once per
example, hence `HealthCheck.function_scoped_fixture` is suppressed: the tests treat the
database as shared state across the examples of one test, building what they need lazily in a
per-test `state` dict and never assuming an empty table after the first example.

Examples are derandomized (a fixed sequence, so CI is reproducible) and the example database
is off (nothing written under the work tree). For deeper exploration:
`SIJILL_FUZZ_RANDOM=1 SIJILL_FUZZ_SCALE=10 pytest tests/api/test_fuzz_inputs.py`.

Bodies are serialised here (`json.dumps(..., ensure_ascii=True, allow_nan=True)`) rather than
by httpx, which refuses NaN and cannot encode lone surrogates: the server must cope with both.
"""

from __future__ import annotations

import base64
import json
import os
import random
import string
import uuid
from datetime import date, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.identifiers import is_valid_idcs, luhn_check_digit
from api.models import Declaration, Enrollment, Household, HouseholdIndex, Membership, Person
from tests import factories

pytestmark = pytest.mark.e2e

SCALE = float(os.environ.get("SIJILL_FUZZ_SCALE", "1"))
BODY_LIMIT = 1024 * 1024


def fuzz_settings(examples: int):
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        deadline=None,
        database=None,
        derandomize=not os.environ.get("SIJILL_FUZZ_RANDOM"),
        print_blob=True,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
        ],
    )


CONTRACT_CODES = {"UNAUTHENTICATED", "FORBIDDEN", "BAD_USER_INPUT", "NOT_FOUND", "CONFLICT",
                  "QUERY_TOO_COMPLEX", "RATE_LIMITED", "INTERNAL"}

# ---------------------------------------------------------------- value strategies

TODAY = date.today()

ANY_CHAR = st.characters(exclude_categories=())  # every code point, lone surrogates included
CONTROL = st.characters(categories=["Cc"])
NASTY_STRINGS = [
    "", " ", "   ", "\x00", "a\x00b", "\x00" * 5, "\t", "\n", "\r\n", "\x7f", "\x85", "\u2028",
    "\u202e", "\u200b", "\ufeff", "\ufffd", "\ud800", "\udfff", "a\udc80b", "💥", "👨‍👩‍👧‍👦",
    "🇲🇦", "ﷺ", "ⅫⅫ", "１２３４５６７８９０", "٠١٢٣٤٥٦٧٨٩", "𝔸𝔹", "Ä" * 81, "x" * 121,
    "'; DROP TABLE persons; --", "' OR '1'='1", "%", "_", "%_%", "\\", "\\x00", "$1", "?",
    "null", "None", "NaN", "-1", "0", "1e309", "{}", "[]", "<script>", "../../etc/passwd",
    "MA", "ma", "M A", "AB123456", "AB1234567", "A", "0123456789", "+212612345678",
]


def _huge(draw_char: str, n: int) -> str:
    return draw_char * n


HUGE_STRINGS = st.builds(
    _huge, st.sampled_from(["a", "é", "ش", "𝔸", "😀", "\x00", " ", "9", "\ud800"]),
    st.integers(1_000, 10_000),
)

any_string = st.one_of(
    st.text(ANY_CHAR, max_size=30),
    st.text(max_size=120),
    st.text(CONTROL, min_size=1, max_size=4),
    st.sampled_from(NASTY_STRINGS),
    HUGE_STRINGS,
)

any_int = st.one_of(
    st.integers(-(2**31), 2**31 - 1),
    st.integers(-(2**80), 2**80),
    st.sampled_from([0, -1, 1, 2**31 - 1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63, 10**30]),
)
any_float = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 0.001, 0.005, 99999.995, 100000.0, 100000.01, 1e-300, 1e300,
                     float("nan"), float("inf"), float("-inf"), 2.5, -2.5]),
)
any_number = st.one_of(any_int, any_float)

json_scalar = st.one_of(st.none(), st.booleans(), any_int, any_float, st.text(ANY_CHAR, max_size=12))
any_json = st.recursive(
    json_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(ANY_CHAR, max_size=8), inner, max_size=4),
    ),
    max_leaves=8,
)

BAD_DATES = [
    "2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-1-1", "20240101",
    "2024-01-01T00:00:00", "2024-01-01Z", "+10000-01-01", "-0001-01-01", "0000-00-00",
    "10000-01-01", "1899-12-31", "1900-01-01", "", " 2024-01-01", "2024-01-01\x00", "٢٠٢٤-٠١-٠١",
]
any_date = st.one_of(
    st.dates().map(date.isoformat),  # year 1 to 9999
    st.sampled_from([TODAY, TODAY + timedelta(days=1), TODAY - timedelta(days=1),
                     date(1900, 1, 1), date(1, 1, 1), date(9999, 12, 31)]).map(date.isoformat),
    st.sampled_from(BAD_DATES),
)
offsets = st.integers(-24 * 60 + 1, 24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))
any_datetime = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),
    st.datetimes(timezones=offsets).map(lambda d: d.isoformat()),
    st.sampled_from(["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00",
                     "0001-01-01T00:00:00", "9999-12-31T23:59:59.999999+00:00",
                     "2024-01-01T25:00:00", "2024-01-01 00:00:00Z", "2024-01-01T00:00:00+24:00"]),
    st.sampled_from(BAD_DATES),
)


def idcs_of(payload: int) -> str:
    digits = f"{payload:09d}"
    return digits + str(luhn_check_digit(digits))


valid_idcs = st.integers(0, 10**9 - 1).map(idcs_of)
idcs_like = st.one_of(
    valid_idcs,
    st.from_regex(r"[0-9]{10}", fullmatch=True),  # mostly a wrong check digit
    st.from_regex(r"[0-9]{0,12}", fullmatch=True),
    valid_idcs.map(lambda s: s + "\x00"),
    valid_idcs.map(lambda s: " " + s),
    st.just("١٢٣٤٥٦٧٨٩٠"),
)


def enum_like(values: list[str]):
    return st.one_of(
        st.sampled_from(values),
        st.sampled_from(values).map(str.lower),
        st.sampled_from(values).map(lambda v: v + " "),
        st.from_regex(r"[A-Z][A-Z_]{0,20}", fullmatch=True),
        any_string,
    )


def fuzzed(valid, *specific):
    """A valid value, a value specific to the field's kind, or anything at all."""
    return st.one_of(valid, *specific, any_json)


SEX = ["FEMALE", "MALE"]
RELATIONSHIP = ["HEAD", "SPOUSE", "CHILD", "PARENT", "SIBLING", "GRANDCHILD", "OTHER_RELATIVE",
                "NON_RELATIVE"]
SCHOOLING = ["IN_SCHOOL", "OUT_OF_SCHOOL", "NOT_APPLICABLE"]
EDUCATION = ["NONE", "PRIMARY", "SECONDARY", "HIGHER"]
OCCUPATION = ["UNEMPLOYED", "INACTIVE", "AGRICULTURAL_WORKER", "FARMER", "WORKER",
              "ARTISAN_TRADER", "EMPLOYEE", "EXECUTIVE", "EMPLOYER", "RETIRED"]
HOUSING = ["VILLA", "APARTMENT", "MODERN_HOUSE", "TRADITIONAL_HOUSE", "RURAL_HOUSE", "SHANTY",
           "OTHER"]
OCCUPANCY = ["OWNER", "TENANT", "FREE_OCCUPANT", "OTHER"]
WATER = ["PIPED", "PUBLIC_TAP", "WELL_OR_SPRING", "OTHER"]
ASSETS = ["CAR", "MOTORCYCLE", "REFRIGERATOR", "TELEVISION", "COMPUTER", "WASHING_MACHINE",
          "AIR_CONDITIONER", "INTERNET"]
MILIEU = ["URBAN", "RURAL"]
PROGRAMS = ["AMO_TADAMON", "ASD", "TAYSSIR"]
EXIT_REASONS = ["DEATH", "MOVED_OUT", "MARRIAGE", "DIVORCE", "ERROR_CORRECTION", "OTHER"]
HOUSEHOLD_STATUS = ["ACTIVE", "SUSPENDED", "CLOSED"]
OUTCOMES = ["ALLOWED", "DENIED", "ERROR"]
PROVINCES = ["038", "001", "141", "999", "38", "0380", "", "MA"]

name_text = st.text(string.ascii_letters + "éèçâ -'" + "أبتثجحخدذرزسشصضطظعغفقكلمنهوي", min_size=1,
                    max_size=30)
cin_like = st.one_of(st.from_regex(r"[A-Z]{1,2}[0-9]{1,6}", fullmatch=True),
                     st.from_regex(r"[A-Za-z]{0,3}[0-9]{0,9}", fullmatch=True))
card_like = st.one_of(st.from_regex(r"[A-Z]{1,2}[0-9]{5,8}", fullmatch=True),
                      st.from_regex(r"[A-Za-z]{0,3}[0-9]{0,10}", fullmatch=True))
phone_like = st.one_of(st.from_regex(r"\+?[0-9]{9,15}", fullmatch=True),
                       st.from_regex(r"[0-9 +()-]{0,25}", fullmatch=True))
adult_birth = st.dates(date(1900, 1, 1), date(TODAY.year - 19, 1, 1)).map(date.isoformat)
any_birth = st.dates(date(1900, 1, 1), TODAY).map(date.isoformat)
money = st.one_of(st.integers(0, 100_000), st.floats(0, 100_000, allow_nan=False).map(
    lambda f: round(f, 2)))


def maybe_null(strategy):
    return st.one_of(st.none(), strategy)


PERSON_FIELDS = {
    "firstName": fuzzed(name_text, any_string),
    "lastName": fuzzed(name_text, any_string),
    "sex": fuzzed(st.sampled_from(SEX), enum_like(SEX)),
    "birthDate": fuzzed(st.one_of(adult_birth, any_birth), any_date),
    "nationality": fuzzed(st.sampled_from(["MA", "MA", "FR", "SN"]),
                          st.from_regex(r"[A-Za-z]{1,3}", fullmatch=True), any_string),
}
PERSON_OPTIONAL = {
    "cin": fuzzed(maybe_null(cin_like), any_string),
    "residenceCardNumber": fuzzed(maybe_null(card_like), any_string),
    "firstNameAr": fuzzed(maybe_null(name_text), any_string),
    "lastNameAr": fuzzed(maybe_null(name_text), any_string),
    "phone": fuzzed(maybe_null(phone_like), any_string),
    "hasOtherHealthCoverage": fuzzed(st.booleans()),
    "birthCertificateReference": fuzzed(maybe_null(st.text(max_size=40)), any_string),
    "idempotencyKey": fuzzed(maybe_null(st.text(string.printable, max_size=100)), any_string),
}


@st.composite
def person_inputs(draw):
    """A RegisterPersonInput as variables: every field fuzzed; sometimes a required field is
    dropped or an unknown one added."""
    value = draw(st.fixed_dictionaries(PERSON_FIELDS, optional=PERSON_OPTIONAL))
    if draw(st.integers(0, 9)) == 0:
        value.pop(draw(st.sampled_from(sorted(PERSON_FIELDS))), None)
    if draw(st.integers(0, 14)) == 0:
        value[draw(st.text(ANY_CHAR, max_size=10))] = draw(any_json)
    return value


DECLARATION_FIELDS = {
    "headEducation": fuzzed(st.sampled_from(EDUCATION), enum_like(EDUCATION)),
    "headOccupation": fuzzed(st.sampled_from(OCCUPATION), enum_like(OCCUPATION)),
    "housingType": fuzzed(st.sampled_from(HOUSING), enum_like(HOUSING)),
    "occupancy": fuzzed(st.sampled_from(OCCUPANCY), enum_like(OCCUPANCY)),
    "rooms": fuzzed(st.integers(1, 30), any_number),
    "waterSource": fuzzed(st.sampled_from(WATER), enum_like(WATER)),
    "electricityMonthly": fuzzed(money, any_number),
    "waterMonthly": fuzzed(money, any_number),
    "phoneMonthly": fuzzed(money, any_number),
    "butaneBottlesMonthly": fuzzed(st.integers(0, 50), any_number),
    "assets": fuzzed(st.lists(st.sampled_from(ASSETS), max_size=4),
                     st.lists(enum_like(ASSETS), max_size=10)),
}
DECLARATION_OPTIONAL = {
    "agriculturalLandHectares": fuzzed(maybe_null(st.floats(0, 10_000)), any_number),
    "livestockUnits": fuzzed(maybe_null(st.floats(0, 10_000)), any_number),
}
declaration_inputs = st.fixed_dictionaries(DECLARATION_FIELDS, optional=DECLARATION_OPTIONAL)

member_inputs = st.fixed_dictionaries(
    {"idcs": fuzzed(idcs_like, any_string),
     "relationship": fuzzed(st.sampled_from(RELATIONSHIP), enum_like(RELATIONSHIP))},
    optional={"schooling": fuzzed(st.sampled_from(SCHOOLING), enum_like(SCHOOLING)),
              "hasDisability": fuzzed(st.booleans())},
)

HOUSEHOLD_FIELD_VALUES = {
    "declarantIdcs": fuzzed(idcs_like, any_string),
    "province": fuzzed(st.sampled_from(PROVINCES), any_string),
    "commune": fuzzed(name_text, any_string),
    "milieu": fuzzed(st.sampled_from(MILIEU), enum_like(MILIEU)),
    "address": fuzzed(st.text(max_size=300), any_string),
    "idempotencyKey": fuzzed(maybe_null(st.text(string.printable, max_size=100)), any_string),
    "members": fuzzed(st.lists(member_inputs, max_size=6), st.lists(member_inputs, max_size=60)),
    "declaration": fuzzed(declaration_inputs),
}


def cursor_like(kind: str):
    payloads = st.one_of(
        st.builds(lambda u: f"{kind}:{u}", st.uuids().map(str)),
        st.builds(lambda n: f"{kind}:{n}", any_int),
        st.builds(lambda s: f"{kind}:{s}", st.text(ANY_CHAR, max_size=40)),
        st.builds(lambda k, s: f"{k}:{s}", st.sampled_from(["household", "enrollment", "audit"]),
                  st.text(max_size=40)),
        st.sampled_from([f"{kind}:", f"{kind}:" + "9" * 5000, ":", "", "audit:-1", "audit:0",
                         "audit:1e3", "audit:٣", f"audit:{2**63}", "audit: 5"]),
    )
    encoded = payloads.map(
        lambda p: base64.urlsafe_b64encode(p.encode("utf-8", "surrogatepass")).decode())
    raw_b64 = st.binary(max_size=60).map(lambda b: base64.urlsafe_b64encode(b).decode())
    return st.one_of(encoded, raw_b64, any_string)


# ---------------------------------------------------------------- transport and checks

async def post(gql, query: str, variables=None, token: str | None = None,
               operation_name=None) -> tuple[int, dict | None]:
    """POST /graphql with a body httpx would refuse to build (NaN, lone surrogates)."""
    payload = {"query": query, "variables": variables if variables is not None else {}}
    if operation_name is not None:
        payload["operationName"] = operation_name
    content = json.dumps(payload, ensure_ascii=True, allow_nan=True).encode()
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    response = await gql.http.post("/graphql", content=content, headers=headers)
    assert response.status_code < 500, (response.status_code, response.text[:2000])
    if len(content) > BODY_LIMIT:
        assert response.status_code == 413, response.status_code
        return response.status_code, None
    assert response.status_code == 200, (response.status_code, response.text[:2000])
    return response.status_code, response.json()


def error_codes(body: dict, allowed: set[str]) -> list[str]:
    """Every error has a contract code from `allowed` (never INTERNAL); returns the codes."""
    errors = body.get("errors") or []
    codes = []
    for error in errors:
        code = (error.get("extensions") or {}).get("code")
        assert code in CONTRACT_CODES, error
        assert code != "INTERNAL", error
        assert code in allowed, error
        if code == "BAD_USER_INPUT" and error.get("path"):
            # Raised by a resolver from a service check: it names the input path at fault.
            assert (error.get("extensions") or {}).get("field"), error
        codes.append(code)
    return codes


async def registry_rows() -> dict:
    """Every registry row a mutation may write (not the audit log), for before/after checks."""
    return {
        model.__name__: await model.all().order_by("id").values()
        for model in (Person, Household, Membership, Declaration, HouseholdIndex, Enrollment)
    }


@pytest.fixture
def state() -> dict:
    """Shared by the examples of one test (fixtures are set up once per test)."""
    return {}


# ---------------------------------------------------------------- 1. registerPerson

REGISTER_PERSON = """
mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { idcs firstName } }
"""


@fuzz_settings(80)
@given(value=person_inputs())
async def test_register_person_fuzzed_input_gives_typed_errors_and_writes_nothing(
    gql, tokens, value
):
    before = await Person.all().count()
    status, body = await post(gql, REGISTER_PERSON, {"input": value}, tokens.admin())
    after = await Person.all().count()
    if body is None:  # over the body limit: refused before anything ran
        assert after == before
        return
    if body.get("errors"):
        error_codes(body, {"BAD_USER_INPUT", "CONFLICT"})
        assert not body.get("data"), body
        assert after == before, (value, body)
    else:
        idcs = body["data"]["registerPerson"]["idcs"]
        assert is_valid_idcs(idcs), idcs
        replay = isinstance(value.get("idempotencyKey"), str)
        assert after == before + 1 or (replay and after == before), (before, after)


# ---------------------------------------------------------------- 2. registerHousehold

REGISTER_HOUSEHOLD = """
mutation($input: RegisterHouseholdInput!) {
  registerHousehold(input: $input) { id reference size members { person { idcs } } }
}
"""

HOUSEHOLD_TARGETS = (
    [(k,) for k in HOUSEHOLD_FIELD_VALUES]
    + [("members", i, f) for i in range(3) for f in ("idcs", "relationship", "schooling",
                                                      "hasDisability")]
    + [("declaration", f) for f in [*DECLARATION_FIELDS, *DECLARATION_OPTIONAL]]
)
MEMBER_FIELD_VALUES = {
    "idcs": fuzzed(idcs_like, any_string),
    "relationship": fuzzed(st.sampled_from(RELATIONSHIP), enum_like(RELATIONSHIP)),
    "schooling": fuzzed(st.sampled_from(SCHOOLING), enum_like(SCHOOLING)),
    "hasDisability": fuzzed(st.booleans()),
}


def value_for(target: tuple) -> st.SearchStrategy:
    if target[0] == "declaration" and len(target) == 2:
        return {**DECLARATION_FIELDS, **DECLARATION_OPTIONAL}[target[1]]
    if target[0] == "members" and len(target) == 3:
        return MEMBER_FIELD_VALUES[target[2]]
    return HOUSEHOLD_FIELD_VALUES[target[0]]


async def fresh_members(gql, admin) -> list[str]:
    head = await factories.register_person(gql, admin, firstName="Youssef", sex="MALE",
                                           birthDate="1980-01-01")
    spouse = await factories.register_person(gql, admin, birthDate="1984-02-02")
    child = await factories.register_person(gql, admin, firstName="Sara", birthDate="2015-03-01")
    return [head, spouse, child]


def household_payload(members: list[str]) -> dict:
    head, spouse, child = members
    return {
        "declarantIdcs": head,
        "province": "038",
        "commune": "Anfa",
        "milieu": "URBAN",
        "address": "12 rue des Orangers",
        "members": [
            {"idcs": head, "relationship": "HEAD"},
            {"idcs": spouse, "relationship": "SPOUSE"},
            {"idcs": child, "relationship": "CHILD", "schooling": "IN_SCHOOL"},
        ],
        "declaration": factories.declaration_input(),
    }


def mutate(payload: dict, target: tuple, action: str, value) -> None:
    container, key = payload, target[0]
    for step in target[1:]:
        container, key = container[key], step
    if action == "delete":
        if isinstance(container, dict):
            container.pop(key, None)
    elif action == "extra":
        if isinstance(container, dict):
            container[f"{key}Extra"] = value
    else:
        container[key] = value


@fuzz_settings(60)
@given(
    target=st.sampled_from(HOUSEHOLD_TARGETS),
    action=st.sampled_from(["set", "set", "set", "set", "delete", "extra"]),
    data=st.data(),
)
async def test_register_household_one_fuzzed_field_gives_typed_errors_and_writes_nothing(
    gql, tokens, state, target, action, data
):
    admin = tokens.admin()
    if "members" not in state:
        state["members"] = await fresh_members(gql, admin)
    payload = household_payload(state["members"])
    value = data.draw(value_for(target), label="value")
    mutate(payload, target, action, value)

    before = await registry_rows()
    status, body = await post(gql, REGISTER_HOUSEHOLD, {"input": payload}, admin)
    after = await registry_rows()
    if body is None or body.get("errors"):
        if body is not None:
            error_codes(body, {"BAD_USER_INPUT", "CONFLICT"})
            assert not body.get("data"), body
        assert after == before, (target, action, value, body)
        return
    # The mutation was harmless (a valid value): exactly one household, with its members.
    household = body["data"]["registerHousehold"]
    assert len(after["Household"]) == len(before["Household"]) + 1
    assert len(after["Membership"]) == len(before["Membership"]) + household["size"]
    assert len(after["Declaration"]) == len(before["Declaration"]) + 1
    state.pop("members")  # they now belong to a household: the next example needs others


# ---------------------------------------------------------------- 3. the other mutations

HOUSEHOLD_OUT = "id version status size members { person { idcs } relationship }"
MUTATIONS = {
    "updatePerson": """
        mutation($idcs: String!, $input: UpdatePersonInput!) {
          updatePerson(idcs: $idcs, input: $input) { idcs version deathDate }
        }""",
    "addHouseholdMember": f"""
        mutation($householdId: ID!, $idcs: String!, $relationship: Relationship!,
                 $expectedVersion: Int, $schooling: Schooling!, $hasDisability: Boolean!) {{
          addHouseholdMember(householdId: $householdId, idcs: $idcs, relationship: $relationship,
                             expectedVersion: $expectedVersion, schooling: $schooling,
                             hasDisability: $hasDisability) {{ {HOUSEHOLD_OUT} }}
        }}""",
    "removeHouseholdMember": f"""
        mutation($householdId: ID!, $idcs: String!, $reason: MemberExitReason!,
                 $effectiveDate: Date!, $newHeadIdcs: String, $expectedVersion: Int) {{
          removeHouseholdMember(householdId: $householdId, idcs: $idcs, reason: $reason,
                                effectiveDate: $effectiveDate, newHeadIdcs: $newHeadIdcs,
                                expectedVersion: $expectedVersion) {{ {HOUSEHOLD_OUT} }}
        }}""",
    "updateHouseholdDeclaration": f"""
        mutation($householdId: ID!, $declaration: DeclarationInput!, $expectedVersion: Int) {{
          updateHouseholdDeclaration(householdId: $householdId, declaration: $declaration,
                                     expectedVersion: $expectedVersion) {{ {HOUSEHOLD_OUT} }}
        }}""",
    "enroll": """
        mutation($program: ProgramCode!, $householdId: ID!) {
          enroll(program: $program, householdId: $householdId) { id status }
        }""",
    "endEnrollment": """
        mutation($id: ID!, $reason: String!) {
          endEnrollment(id: $id, reason: $reason) { id status endReason }
        }""",
}

UPDATE_PERSON_FIELDS = {
    "firstName": fuzzed(maybe_null(name_text), any_string),
    "lastName": fuzzed(maybe_null(name_text), any_string),
    "firstNameAr": fuzzed(maybe_null(name_text), any_string),
    "lastNameAr": fuzzed(maybe_null(name_text), any_string),
    "sex": fuzzed(maybe_null(st.sampled_from(SEX)), enum_like(SEX)),
    "birthDate": fuzzed(maybe_null(any_birth), any_date),
    "nationality": fuzzed(maybe_null(st.sampled_from(["MA", "FR"])), any_string),
    "cin": fuzzed(maybe_null(cin_like), any_string),
    "residenceCardNumber": fuzzed(maybe_null(card_like), any_string),
    "phone": fuzzed(maybe_null(phone_like), any_string),
    "hasOtherHealthCoverage": fuzzed(maybe_null(st.booleans())),
    "deathDate": fuzzed(maybe_null(any_birth), any_date),
    "expectedVersion": fuzzed(maybe_null(st.integers(0, 5)), any_int),
}

# Placeholders replaced by the ids of the rows built in the first example.
KNOWN_HOUSEHOLD, KNOWN_PERSON, KNOWN_ENROLLMENT = "@household", "@person", "@enrollment"
household_ref = fuzzed(st.just(KNOWN_HOUSEHOLD), st.uuids().map(str), any_string)
person_ref = fuzzed(st.just(KNOWN_PERSON), idcs_like, any_string)
version_arg = fuzzed(maybe_null(st.integers(0, 5)), any_int)

MUTATION_ARGS = {
    "updatePerson": st.fixed_dictionaries({
        "idcs": person_ref,
        "input": fuzzed(st.fixed_dictionaries({}, optional=UPDATE_PERSON_FIELDS)),
    }),
    "addHouseholdMember": st.fixed_dictionaries({
        "householdId": household_ref, "idcs": person_ref,
        "relationship": fuzzed(st.sampled_from(RELATIONSHIP), enum_like(RELATIONSHIP)),
        "expectedVersion": version_arg,
        "schooling": fuzzed(st.sampled_from(SCHOOLING), enum_like(SCHOOLING)),
        "hasDisability": fuzzed(st.booleans()),
    }),
    "removeHouseholdMember": st.fixed_dictionaries({
        "householdId": household_ref, "idcs": person_ref,
        "reason": fuzzed(st.sampled_from(EXIT_REASONS), enum_like(EXIT_REASONS)),
        "effectiveDate": fuzzed(any_birth, any_date),
        "newHeadIdcs": fuzzed(maybe_null(st.just(KNOWN_PERSON)), idcs_like, any_string),
        "expectedVersion": version_arg,
    }),
    "updateHouseholdDeclaration": st.fixed_dictionaries({
        "householdId": household_ref, "declaration": fuzzed(declaration_inputs),
        "expectedVersion": version_arg,
    }),
    "enroll": st.fixed_dictionaries({
        "program": fuzzed(st.sampled_from(PROGRAMS), enum_like(PROGRAMS)),
        "householdId": household_ref,
    }),
    "endEnrollment": st.fixed_dictionaries({
        "id": fuzzed(st.just(KNOWN_ENROLLMENT), st.uuids().map(str), any_string),
        "reason": fuzzed(st.text(max_size=300), any_string),
    }),
}

POOR = {
    "headEducation": "NONE", "headOccupation": "UNEMPLOYED", "housingType": "SHANTY",
    "occupancy": "FREE_OCCUPANT", "rooms": 1, "waterSource": "PUBLIC_TAP",
    "electricityMonthly": 30, "waterMonthly": 0, "phoneMonthly": 20, "butaneBottlesMonthly": 1,
    "assets": [],
}


async def mutation_fixtures(gql, admin, state: dict) -> dict:
    """A poor household (eligible, enrolled in AMO Tadamon) and a person in no household."""
    if "household" not in state:
        household = await factories.register_household(
            gql, admin, children=1, declaration=factories.declaration_input(**POOR))
        enrolled = await gql.data(MUTATIONS["enroll"], {"program": "AMO_TADAMON",
                                                        "householdId": household["id"]}, admin)
        loner = await factories.register_person(gql, admin, firstName="Omar", sex="MALE")
        state.update(
            household=household["id"], enrollment=enrolled["enroll"]["id"],
            persons=[household["_head"], household["_spouse"], *household["_children"], loner],
        )
    return state


def resolve(value, state: dict, rnd: random.Random):
    if value == KNOWN_HOUSEHOLD:
        return state["household"]
    if value == KNOWN_ENROLLMENT:
        return state["enrollment"]
    if value == KNOWN_PERSON:
        return rnd.choice(state["persons"])
    if isinstance(value, dict):
        return {k: resolve(v, state, rnd) for k, v in value.items()}
    return value


TOKEN_KINDS = ["admin", "admin", "admin", "registrar", "other_registrar", "citizen", "stranger",
               "agency"]


def token_for(tokens, kind: str, state: dict) -> str:
    return {
        "admin": lambda: tokens.admin(),
        "registrar": lambda: tokens.registrar("038"),
        "other_registrar": lambda: tokens.registrar("001"),
        "citizen": lambda: tokens.citizen(state["persons"][0]),
        "stranger": lambda: tokens.citizen(idcs_of(123456780)),
        "agency": lambda: tokens.program("AMO_TADAMON"),
    }[kind]()


@fuzz_settings(80)
@given(
    operation=st.sampled_from(sorted(MUTATIONS)),
    caller=st.sampled_from(TOKEN_KINDS),
    seed=st.integers(0, 2**32),
    data=st.data(),
)
async def test_other_mutations_fuzzed_arguments_give_typed_errors_and_write_nothing(
    gql, tokens, state, operation, caller, seed, data
):
    admin = tokens.admin()
    await mutation_fixtures(gql, admin, state)
    variables = resolve(data.draw(MUTATION_ARGS[operation], label="variables"), state,
                        random.Random(seed))
    before = await registry_rows()
    status, body = await post(gql, MUTATIONS[operation], variables,
                              token_for(tokens, caller, state))
    after = await registry_rows()
    if body is None or body.get("errors"):
        if body is not None:
            error_codes(body, {"BAD_USER_INPUT", "NOT_FOUND", "CONFLICT", "FORBIDDEN"})
            assert not body.get("data"), body
        assert after == before, (operation, variables, body)


# ---------------------------------------------------------------- 4. queries

QUERIES = {
    "person": "query($idcs: String!) { person(idcs: $idcs) { idcs firstName household { id } } }",
    "household": "query($id: ID!) { household(id: $id) { id size members { person { idcs } } } }",
    "households": """
        query($filter: HouseholdFilter, $first: Int, $after: String) {
          households(filter: $filter, first: $first, after: $after) {
            edges { cursor node { id province } } pageInfo { hasNextPage endCursor } totalCount
          }
        }""",
    "eligibility": """
        query($program: ProgramCode!, $idcs: String!) {
          eligibility(program: $program, idcs: $idcs) { idcs eligible reasons threshold }
        }""",
    "eligibilities": """
        query($program: ProgramCode!, $idcs: [String!]!) {
          eligibilities(program: $program, idcs: $idcs) { idcs eligible reasons }
        }""",
    "enrollments": """
        query($program: ProgramCode!, $status: EnrollmentStatus, $first: Int, $after: String) {
          enrollments(program: $program, status: $status, first: $first, after: $after) {
            edges { cursor node { id status } } pageInfo { hasNextPage endCursor } totalCount
          }
        }""",
    "auditEvents": """
        query($filter: AuditFilter, $first: Int, $after: String) {
          auditEvents(filter: $filter, first: $first, after: $after) {
            edges { cursor node { sequence operation outcome } }
            pageInfo { hasNextPage endCursor } totalCount
          }
        }""",
}

page_size = fuzzed(maybe_null(st.integers(0, 100)), any_int)
program_arg = fuzzed(st.sampled_from(PROGRAMS), enum_like(PROGRAMS))


@st.composite
def idcs_lists(draw):
    """0 to 1200 ids: valid ones (known or not) built from a drawn seed — drawing 1200 values
    one by one would overrun Hypothesis' example budget — with a few fuzzed ones spliced in."""
    size = draw(st.one_of(st.integers(0, 10), st.integers(0, 1200),
                          st.sampled_from([999, 1000, 1001, 1200])))
    rnd = random.Random(draw(st.integers(0, 2**32)))
    ids = [KNOWN_PERSON if rnd.random() < 0.1 else idcs_of(rnd.randrange(10**9))
           for _ in range(size)]
    for _ in range(draw(st.integers(0, 3))):
        bad = draw(fuzzed(idcs_like, any_string))
        ids.insert(rnd.randint(0, len(ids)), bad)
    return ids


QUERY_ARGS = {
    "person": st.fixed_dictionaries({"idcs": person_ref}),
    "household": st.fixed_dictionaries({"id": household_ref}),
    "households": st.fixed_dictionaries({}, optional={
        "filter": fuzzed(maybe_null(st.fixed_dictionaries({}, optional={
            "province": fuzzed(maybe_null(st.sampled_from(PROVINCES)), any_string),
            "region": fuzzed(maybe_null(st.sampled_from(["01", "06", "13", "1", ""])), any_string),
            "milieu": fuzzed(maybe_null(st.sampled_from(MILIEU)), enum_like(MILIEU)),
            "status": fuzzed(maybe_null(st.sampled_from(HOUSEHOLD_STATUS)),
                             enum_like(HOUSEHOLD_STATUS)),
        }))),
        "first": page_size,
        "after": fuzzed(maybe_null(cursor_like("household"))),
    }),
    "eligibility": st.fixed_dictionaries({"program": program_arg, "idcs": person_ref}),
    "eligibilities": st.fixed_dictionaries({"program": program_arg,
                                            "idcs": fuzzed(idcs_lists())}),
    "enrollments": st.fixed_dictionaries({"program": program_arg}, optional={
        "status": fuzzed(maybe_null(st.sampled_from(["ACTIVE", "ENDED"])),
                         enum_like(["ACTIVE", "ENDED"])),
        "first": page_size,
        "after": fuzzed(maybe_null(cursor_like("enrollment"))),
    }),
    "auditEvents": st.fixed_dictionaries({}, optional={
        "filter": fuzzed(maybe_null(st.fixed_dictionaries({}, optional={
            "actor": fuzzed(maybe_null(st.sampled_from(["admin-1", "anonymous"])), any_string),
            "program": fuzzed(maybe_null(st.sampled_from(PROGRAMS)), any_string),
            "operation": fuzzed(maybe_null(st.sampled_from(["anonymous", "registerPerson"])),
                                any_string),
            "outcome": fuzzed(maybe_null(st.sampled_from(OUTCOMES)), enum_like(OUTCOMES)),
            "subject": fuzzed(maybe_null(st.just(KNOWN_PERSON)), idcs_like, any_string),
            "from": fuzzed(maybe_null(any_datetime)),
            "to": fuzzed(maybe_null(any_datetime)),
        }))),
        "first": page_size,
        "after": fuzzed(maybe_null(cursor_like("audit"))),
    }),
}


def resolve_deep(value, state: dict, rnd: random.Random):
    if isinstance(value, list):
        return [resolve_deep(v, state, rnd) for v in value]
    if isinstance(value, dict):
        return {k: resolve_deep(v, state, rnd) for k, v in value.items()}
    return resolve(value, state, rnd)


@fuzz_settings(80)
@given(query=st.sampled_from(sorted(QUERIES)), seed=st.integers(0, 2**32), data=st.data())
async def test_queries_fuzzed_arguments_give_typed_errors(gql, tokens, state, query, seed, data):
    admin = tokens.admin()
    await mutation_fixtures(gql, admin, state)
    variables = resolve_deep(data.draw(QUERY_ARGS[query], label="variables"), state,
                             random.Random(seed))
    status, body = await post(gql, QUERIES[query], variables, admin)
    if body is None:
        return
    error_codes(body, {"BAD_USER_INPUT", "NOT_FOUND"})
    if not body.get("errors"):
        result = body["data"][query]
        if query == "eligibilities":
            assert [a["idcs"] for a in result] == variables["idcs"]


# ---------------------------------------------------------------- 5. random documents

TOKENS = [
    "{", "}", "(", ")", "[", "]", ":", "!", "=", "$", "@", "...", "|", "&", ",", "query",
    "mutation", "subscription", "fragment", "on", "true", "false", "null", "__typename",
    "__schema", "__type", "me", "person", "household", "households", "programs", "eligibility",
    "eligibilities", "registerPerson", "idcs", "id", "input", "members", "code", "edges", "node",
    "first", "after", "ProgramCode", "String", "Int", "ID", "AMO_TADAMON", "directive",
    "@include", "@skip", "if", "extend", "schema", "type", "scalar", "1", "-0", "1.5e3",
    "99999999999999999999", '"x"', '"\\u0000"', '"""block"""', '"unterminated', "#comment\n",
    "\u00e9", "a" * 300,
]

token_soup = st.lists(st.sampled_from(TOKENS), min_size=0, max_size=120).map(" ".join)
printable_garbage = st.one_of(
    st.text(string.printable, max_size=400),
    st.text(ANY_CHAR, max_size=200),
    HUGE_STRINGS,
)
nested = st.integers(1, 40).map(lambda n: "{ " + "me { " * n + "subject" + " }" * n + " }")
aliased = st.integers(1, 60).map(
    lambda n: "{ " + " ".join(f"a{i}: __typename" for i in range(n)) + " }")
many_tokens = st.integers(500, 4000).map(lambda n: "{ " + "__typename " * n + "}")
documents = st.one_of(token_soup, printable_garbage, nested, aliased, many_tokens,
                      token_soup.map(lambda s: "{ " + s + " }"),
                      token_soup.map(lambda s: "query Q($x: String) { " + s + " }"))


@fuzz_settings(80)
@given(
    document=documents,
    operation_name=fuzzed(st.none(), any_string),
    variables=st.one_of(st.none(), st.dictionaries(st.text(max_size=5), any_json, max_size=3)),
)
async def test_random_documents_give_request_errors_with_a_code(
    gql, tokens, document, operation_name, variables
):
    status, body = await post(gql, document, variables, tokens.admin(),
                              operation_name=operation_name)
    if body is None:
        return
    if body.get("data") is None:
        # A request error: the document did not parse or validate, or broke a limit.
        assert body.get("errors"), body
        error_codes(body, {"BAD_USER_INPUT", "QUERY_TOO_COMPLEX"})
    else:  # the soup happened to be a valid operation: it ran as the admin
        error_codes(body, {"BAD_USER_INPUT", "NOT_FOUND", "CONFLICT", "QUERY_TOO_COMPLEX"})
