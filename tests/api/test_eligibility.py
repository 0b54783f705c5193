"""Programs and eligibility over GraphQL (contract §3, docs/index-and-programs.md "Programs")."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import pytest

from api.identifiers import luhn_check_digit
from api.models import Household, Person
from api.scoring.formula import age_on
from api.services import clock
from tests import factories
from tests.api.household_helpers import REGISTER_HOUSEHOLD, assert_error, household_input

pytestmark = pytest.mark.e2e

AMO, ASD, TAYSSIR = "AMO_TADAMON", "ASD", "TAYSSIR"
THRESHOLDS = {AMO: 9.3264284, ASD: 9.743001, TAYSSIR: 9.743001}
WORKED_EXAMPLE = 9.3575440

PROGRAMS = "{ programs { code name threshold thresholdEffectiveFrom legalReference } }"

# What every program may read (contract §4): no monthlyAmount for AMO Tadamon and Tayssir.
BASE_FIELDS = "idcs program eligible reasons threshold formulaVersion evaluatedAt household { id }"
FIELDS = {AMO: BASE_FIELDS, TAYSSIR: BASE_FIELDS, ASD: BASE_FIELDS + " monthlyAmount"}
ADMIN_FIELDS = BASE_FIELDS + " monthlyAmount"

ELIGIBILITY = """
query($program: ProgramCode!, $idcs: String!) {
  eligibility(program: $program, idcs: $idcs) { %s }
}
"""

ELIGIBILITIES = """
query($program: ProgramCode!, $idcs: [String!]!) {
  eligibilities(program: $program, idcs: $idcs) { %s }
}
"""

UPDATE_PERSON = """
mutation($idcs: String!, $input: UpdatePersonInput!) {
  updatePerson(idcs: $idcs, input: $input) { idcs hasOtherHealthCoverage deathDate }
}
"""

POOR = {
    "headEducation": "NONE", "headOccupation": "UNEMPLOYED", "housingType": "SHANTY",
    "occupancy": "FREE_OCCUPANT", "rooms": 1, "waterSource": "PUBLIC_TAP",
    "electricityMonthly": 30, "waterMonthly": 0, "phoneMonthly": 20, "butaneBottlesMonthly": 1,
    "assets": [],
}


def born_aged(years: int) -> str:
    """A birth date giving `years` today, well away from a birthday."""
    today = clock.today()
    return (today.replace(year=today.year - years) - timedelta(days=100)).isoformat()


def asd_amount_2026(children: list[tuple[str, str, bool]], on: date) -> int:
    """The 2026 ASD schedule by hand: (birth date, schooling, disability) of CHILD members;
    those aged 0–20 count, at most six, oldest first."""
    counted = sorted((c for c in children if age_on(date.fromisoformat(c[0]), on) <= 20),
                     key=lambda c: c[0])[:6]
    total = 0
    for rank, (birth, schooling, disabled) in enumerate(counted, start=1):
        favoured = age_on(date.fromisoformat(birth), on) <= 5 or schooling == "IN_SCHOOL"
        if rank <= 3:
            total += 300 if favoured else 200
        else:
            total += 36 if favoured else 24
        total += 100 if disabled else 0
    return max(total, 500)


async def eligibility(gql, token, program, idcs, fields=None) -> dict:
    query = ELIGIBILITY % (fields or FIELDS[program])
    return (await gql.data(query, {"program": program, "idcs": idcs}, token))["eligibility"]


async def household_of(gql, admin, children: list[tuple[str, str, bool]] | None = None,
                       **declaration) -> dict:
    """Head and spouse (adults under 65) plus CHILD members (birth date, schooling,
    disability); returns the registerHousehold payload with `_head`, `_spouse`, `_children`."""
    head = await factories.register_person(gql, admin, firstName="Youssef", sex="MALE",
                                           birthDate="1980-01-01")
    spouse = await factories.register_person(gql, admin, birthDate="1984-02-02")
    kids = [await factories.register_person(gql, admin, firstName="Child", birthDate=b)
            for b, _s, _d in (children or [])]
    payload = household_input(head, [(spouse, "SPOUSE")], **declaration)
    payload["members"] += [
        {"idcs": k, "relationship": "CHILD", "schooling": s, "hasDisability": d}
        for k, (_b, s, d) in zip(kids, children or [], strict=True)
    ]
    h = (await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, admin))["registerHousehold"]
    h["_head"], h["_spouse"], h["_children"] = head, spouse, kids
    return h


async def poor_household(gql, admin, schooling: str = "IN_SCHOOL") -> dict:
    return await household_of(
        gql, admin, [(born_aged(12), schooling, False), (born_aged(9), schooling, False)], **POOR
    )


def unregistered_idcs() -> str:
    payload = f"{secrets.randbelow(9 * 10**8) + 10**8:09d}"
    return payload + str(luhn_check_digit(payload))


async def unknown_idcs() -> str:
    while True:
        candidate = unregistered_idcs()
        if not await Person.filter(idcs=candidate).exists():
            return candidate


# ------------------------------------------------------------------ programs

async def test_programs_list_the_three_programs_with_their_dated_thresholds(gql, tokens):
    for token in (None, tokens.admin(), tokens.program(ASD), tokens.citizen("1234567897")):
        data = await gql.data(PROGRAMS, token=token)
        by_code = {p["code"]: p for p in data["programs"]}
        assert set(by_code) == {AMO, ASD, TAYSSIR}
        for code, threshold in THRESHOLDS.items():
            assert by_code[code]["threshold"] == threshold
            assert by_code[code]["name"]
            assert by_code[code]["legalReference"]
        assert by_code[AMO]["thresholdEffectiveFrom"] == "2022-12-01"
        assert by_code[ASD]["thresholdEffectiveFrom"] == "2023-12-01"
        assert by_code[TAYSSIR]["thresholdEffectiveFrom"] == "2023-12-01"
        assert "2.23.1068" in by_code[ASD]["legalReference"]


async def test_anonymous_callers_may_not_ask_eligibility(gql, tokens):
    h = await poor_household(gql, tokens.admin())
    body = await gql(ELIGIBILITY % BASE_FIELDS, {"program": ASD, "idcs": h["_head"]})
    assert_error(body, "UNAUTHENTICATED")


# ------------------------------------------------------------------ eligible answers

@pytest.mark.parametrize("program", [AMO, ASD, TAYSSIR])
@pytest.mark.parametrize("caller", ["admin", "agency"])
async def test_poor_household_is_eligible(gql, tokens, program, caller):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    token = admin if caller == "admin" else tokens.program(program)
    fields = ADMIN_FIELDS if caller == "admin" else FIELDS[program]
    for idcs in (h["_head"], h["_spouse"], h["_children"][0]):
        answer = await eligibility(gql, token, program, idcs, fields)
        assert answer["idcs"] == idcs
        assert answer["program"] == program
        assert answer["eligible"] is True
        assert answer["reasons"] == ["INDEX_WITHIN_THRESHOLD"]
        assert answer["threshold"] == THRESHOLDS[program]
        assert answer["formulaVersion"] == "v1"
        assert answer["household"] == {"id": h["id"]}
        assert answer["evaluatedAt"]
        if program == ASD:
            # two children aged 12 and 9, in school: ranks 1–2 at 300 MAD (2026 schedule)
            assert answer["monthlyAmount"] == 600
        elif caller == "admin":
            assert answer["monthlyAmount"] is None
    assert (await Household.get(id=h["id"])).index_value < THRESHOLDS[AMO]


async def test_worked_example_is_above_the_amo_threshold_only(gql, tokens):
    admin = tokens.admin()
    h = await factories.register_household(gql, admin)
    assert abs((await Household.get(id=h["id"])).index_value - WORKED_EXAMPLE) < 1e-6

    amo = await eligibility(gql, tokens.program(AMO), AMO, h["_head"])
    assert amo["eligible"] is False
    assert amo["reasons"] == ["INDEX_ABOVE_THRESHOLD"]
    assert amo["threshold"] == THRESHOLDS[AMO]
    assert amo["household"] == {"id": h["id"]}

    asd = await eligibility(gql, tokens.program(ASD), ASD, h["_head"])
    assert asd["eligible"] is True and asd["reasons"] == ["INDEX_WITHIN_THRESHOLD"]
    # the factory's children: born 2014-03-01 and 2015-03-02, in school
    expected = asd_amount_2026([("2014-03-01", "IN_SCHOOL", False),
                                ("2015-03-02", "IN_SCHOOL", False)], clock.today())
    assert asd["monthlyAmount"] == expected == 600

    tayssir = await eligibility(gql, tokens.program(TAYSSIR), TAYSSIR, h["_head"])
    assert tayssir["eligible"] is True and tayssir["reasons"] == ["INDEX_WITHIN_THRESHOLD"]


async def test_asd_amount_follows_the_2026_schedule(gql, tokens):
    admin = tokens.admin()
    children = [
        (born_aged(19), "OUT_OF_SCHOOL", False),  # rank 1: 200
        (born_aged(17), "IN_SCHOOL", True),  # rank 2: 300 + 100
        (born_aged(12), "OUT_OF_SCHOOL", False),  # rank 3: 200
        (born_aged(10), "IN_SCHOOL", False),  # rank 4: 36
        (born_aged(3), "NOT_APPLICABLE", False),  # rank 5: 36 (aged 0–5)
    ]
    h = await household_of(gql, admin, children, **POOR)
    answer = await eligibility(gql, tokens.program(ASD), ASD, h["_spouse"])
    assert answer["eligible"] is True
    expected = asd_amount_2026(children, clock.today())
    assert expected == 200 + 400 + 200 + 36 + 36
    assert answer["monthlyAmount"] == expected


async def test_asd_amount_floor_for_household_without_children(gql, tokens):
    admin = tokens.admin()
    h = await household_of(gql, admin, [], **POOR)
    answer = await eligibility(gql, tokens.program(ASD), ASD, h["_head"])
    assert answer["eligible"] is True
    assert answer["monthlyAmount"] == 500


# ------------------------------------------------------------------ failing conditions

async def test_other_health_coverage_excludes_from_amo_only(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    changed = await gql.data(UPDATE_PERSON, {"idcs": h["_spouse"],
                                             "input": {"hasOtherHealthCoverage": True}}, admin)
    assert changed["updatePerson"]["hasOtherHealthCoverage"] is True

    amo = await eligibility(gql, tokens.program(AMO), AMO, h["_spouse"])
    assert amo["eligible"] is False
    assert amo["reasons"] == ["OTHER_HEALTH_COVERAGE"]
    # the rule is about the person: the head is still eligible, and so is the spouse for ASD
    assert (await eligibility(gql, tokens.program(AMO), AMO, h["_head"]))["eligible"] is True
    assert (await eligibility(gql, tokens.program(ASD), ASD, h["_spouse"]))["eligible"] is True


async def test_every_failing_condition_is_listed(gql, tokens):
    admin = tokens.admin()
    h = await factories.register_household(gql, admin)  # above the AMO threshold
    await gql.data(UPDATE_PERSON, {"idcs": h["_head"], "input": {"hasOtherHealthCoverage": True}},
                   admin)
    amo = await eligibility(gql, admin, AMO, h["_head"])
    assert amo["eligible"] is False
    assert amo["reasons"] == ["INDEX_ABOVE_THRESHOLD", "OTHER_HEALTH_COVERAGE"]


async def test_tayssir_needs_a_child_aged_6_to_15_in_school(gql, tokens):
    admin = tokens.admin()
    out_of_school = await poor_household(gql, admin, schooling="OUT_OF_SCHOOL")
    answer = await eligibility(gql, tokens.program(TAYSSIR), TAYSSIR, out_of_school["_head"])
    assert answer["eligible"] is False
    assert answer["reasons"] == ["NO_QUALIFYING_CHILD"]
    # the same household is eligible for ASD (out-of-school children: 200 + 200, floor 500)
    asd = await eligibility(gql, tokens.program(ASD), ASD, out_of_school["_head"])
    assert asd["eligible"] is True and asd["monthlyAmount"] == 500

    # in school, but none aged 6–15 (aged 4 and 17)
    wrong_ages = await household_of(
        gql, admin, [(born_aged(4), "IN_SCHOOL", False), (born_aged(17), "IN_SCHOOL", False)],
        **POOR,
    )
    answer = await eligibility(gql, tokens.program(TAYSSIR), TAYSSIR, wrong_ages["_spouse"])
    assert answer["eligible"] is False
    assert answer["reasons"] == ["NO_QUALIFYING_CHILD"]

    no_children = await household_of(gql, admin, [], **POOR)
    answer = await eligibility(gql, tokens.program(TAYSSIR), TAYSSIR, no_children["_head"])
    assert answer["reasons"] == ["NO_QUALIFYING_CHILD"]


async def test_person_in_no_household(gql, tokens):
    admin = tokens.admin()
    loner = await factories.register_person(gql, admin)
    for program in (AMO, ASD, TAYSSIR):
        answer = await eligibility(gql, admin, program, loner, ADMIN_FIELDS)
        assert answer["eligible"] is False
        assert answer["reasons"] == ["NO_HOUSEHOLD"]
        assert answer["household"] is None
        assert answer["formulaVersion"] is None
        assert answer["monthlyAmount"] is None
        assert answer["threshold"] == THRESHOLDS[program]


async def test_unknown_idcs_is_not_registered(gql, tokens):
    ghost = await unknown_idcs()
    answer = await eligibility(gql, tokens.program(ASD), ASD, ghost)
    assert answer == {
        "idcs": ghost, "program": ASD, "eligible": False, "reasons": ["NOT_REGISTERED"],
        "threshold": THRESHOLDS[ASD], "formulaVersion": None,
        "evaluatedAt": answer["evaluatedAt"], "household": None, "monthlyAmount": None,
    }


async def test_deceased_person(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    await gql.data(UPDATE_PERSON, {"idcs": h["_spouse"],
                                   "input": {"deathDate": clock.today().isoformat()}}, admin)
    answer = await eligibility(gql, tokens.program(ASD), ASD, h["_spouse"])
    assert answer["eligible"] is False
    assert "DECEASED" in answer["reasons"]
    # a death ends the membership: the deceased is in no household any more
    assert answer["reasons"] == ["DECEASED", "NO_HOUSEHOLD"]
    assert answer["household"] is None
    # the household itself stays eligible through its living members
    assert (await eligibility(gql, tokens.program(ASD), ASD, h["_head"]))["eligible"] is True


@pytest.mark.parametrize("status", ["SUSPENDED", "CLOSED"])
async def test_household_not_active(gql, tokens, status):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    await Household.filter(id=h["id"]).update(status=status)
    for program in (AMO, ASD, TAYSSIR):
        answer = await eligibility(gql, admin, program, h["_head"], ADMIN_FIELDS)
        assert answer["eligible"] is False
        assert answer["reasons"] == ["HOUSEHOLD_NOT_ACTIVE"]
        assert answer["monthlyAmount"] is None
        assert answer["household"] == {"id": h["id"]}


@pytest.mark.parametrize("bad", ["123", "12345678901", "abcdefghij", "", " 1234567897"])
async def test_malformed_idcs(gql, tokens, bad):
    body = await gql(ELIGIBILITY % BASE_FIELDS, {"program": ASD, "idcs": bad}, tokens.admin())
    assert_error(body, "BAD_USER_INPUT", "idcs")


async def test_wrong_check_digit_is_malformed(gql, tokens):
    valid = unregistered_idcs()
    wrong = valid[:9] + str((int(valid[9]) + 1) % 10)
    body = await gql(ELIGIBILITY % BASE_FIELDS, {"program": ASD, "idcs": wrong},
                     tokens.program(ASD))
    assert_error(body, "BAD_USER_INPUT", "idcs")


# ------------------------------------------------------------------ who may ask

@pytest.mark.parametrize(("agency", "asked"), [(AMO, ASD), (ASD, TAYSSIR), (TAYSSIR, AMO)])
async def test_agency_may_not_ask_about_another_program(gql, tokens, agency, asked):
    h = await poor_household(gql, tokens.admin())
    body = await gql(ELIGIBILITY % BASE_FIELDS, {"program": asked, "idcs": h["_head"]},
                     tokens.program(agency))
    assert_error(body, "FORBIDDEN")
    body = await gql(ELIGIBILITIES % BASE_FIELDS, {"program": asked, "idcs": [h["_head"]]},
                     tokens.program(agency))
    assert_error(body, "FORBIDDEN")


@pytest.mark.parametrize("caller", ["registrar", "citizen", "auditor"])
async def test_other_roles_may_not_ask(gql, tokens, caller):
    h = await poor_household(gql, tokens.admin())
    token = {"registrar": tokens.registrar("038"), "citizen": tokens.citizen(h["_head"]),
             "auditor": tokens.auditor()}[caller]
    for program in (AMO, ASD):
        body = await gql(ELIGIBILITY % BASE_FIELDS, {"program": program, "idcs": h["_head"]}, token)
        assert_error(body, "FORBIDDEN")


# ------------------------------------------------------------------ bulk

async def test_bulk_answers_in_input_order_with_duplicates_and_unknowns(gql, tokens):
    admin = tokens.admin()
    poor = await poor_household(gql, admin)
    rich = await factories.register_household(gql, admin)
    loner = await factories.register_person(gql, admin)
    ghost = await unknown_idcs()
    ids = [rich["_head"], ghost, poor["_head"], loner, poor["_head"], poor["_children"][1], ghost,
           rich["_spouse"]]
    data = await gql.data(ELIGIBILITIES % BASE_FIELDS, {"program": AMO, "idcs": ids},
                          tokens.program(AMO))
    answers = data["eligibilities"]
    assert [a["idcs"] for a in answers] == ids
    assert [(a["eligible"], a["reasons"]) for a in answers] == [
        (False, ["INDEX_ABOVE_THRESHOLD"]),
        (False, ["NOT_REGISTERED"]),
        (True, ["INDEX_WITHIN_THRESHOLD"]),
        (False, ["NO_HOUSEHOLD"]),
        (True, ["INDEX_WITHIN_THRESHOLD"]),
        (True, ["INDEX_WITHIN_THRESHOLD"]),
        (False, ["NOT_REGISTERED"]),
        (False, ["INDEX_ABOVE_THRESHOLD"]),
    ]
    assert [a["household"] and a["household"]["id"] for a in answers] == [
        rich["id"], None, poor["id"], None, poor["id"], poor["id"], None, rich["id"],
    ]
    assert all(a["program"] == AMO for a in answers)

    empty = await gql.data(ELIGIBILITIES % BASE_FIELDS, {"program": AMO, "idcs": []}, admin)
    assert empty["eligibilities"] == []


async def test_bulk_of_1000_is_accepted_and_1001_refused(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    ids = [h["_head"]] * 1000
    data = await gql.data(ELIGIBILITIES % "idcs eligible", {"program": ASD, "idcs": ids}, admin)
    assert len(data["eligibilities"]) == 1000
    assert all(a["eligible"] for a in data["eligibilities"])
    body = await gql(ELIGIBILITIES % "idcs eligible", {"program": ASD, "idcs": ids + [h["_head"]]},
                     admin)
    assert_error(body, "BAD_USER_INPUT", "idcs")


async def test_bulk_with_one_malformed_id_names_its_position(gql, tokens):
    admin = tokens.admin()
    ghost = await unknown_idcs()
    body = await gql(ELIGIBILITIES % "idcs", {"program": ASD, "idcs": [ghost, "12", ghost]}, admin)
    assert_error(body, "BAD_USER_INPUT", "idcs[1]")


async def test_bulk_statement_count_is_constant(gql, tokens, count_queries):
    admin = tokens.admin()
    households = [await poor_household(gql, admin) for _ in range(3)]
    households.append(await factories.register_household(gql, admin))
    known = [i for h in households for i in (h["_head"], h["_spouse"], *h["_children"])]
    known.append(await factories.register_person(gql, admin))  # in no household
    assert len(known) == 17
    unknown = [await unknown_idcs() for _ in range(200)]
    fields = "idcs eligible reasons threshold formulaVersion monthlyAmount household { id }"
    token = tokens.program(ASD)

    async def run(ids: list[str]) -> tuple[int, list[dict], list[str]]:
        count_queries.statements.clear()
        data = await gql.data(ELIGIBILITIES % fields, {"program": ASD, "idcs": ids}, token)
        statements = list(count_queries.statements)
        count_queries.statements.clear()
        return len(statements), data["eligibilities"], statements

    small_ids = [known[0], unknown[0], known[5], known[-1], unknown[1]]
    large_ids = (known + unknown)[:200]
    large_ids[50], large_ids[120] = known[3], unknown[7]  # some duplicates
    small_n, small, small_sql = await run(small_ids)
    large_n, large, large_sql = await run(large_ids)
    print(f"\nSQL statements: eligibilities(5 ids) -> {small_n}, eligibilities(200 ids) -> {large_n}")

    assert [a["idcs"] for a in small] == small_ids
    assert [a["idcs"] for a in large] == large_ids
    assert sum(a["eligible"] for a in large) == 17  # 16 household members + 1 duplicate
    assert sum(a["reasons"] == ["NOT_REGISTERED"] for a in large) == 200 - 17 - 1
    assert sum(a["reasons"] == ["NO_HOUSEHOLD"] for a in large) == 1
    assert small_n == large_n, "\n".join(["5 ids:", *small_sql, "200 ids:", *large_sql])
    assert 0 < large_n <= 4, "\n".join(large_sql)


async def test_a_program_before_its_first_version_is_listed_but_answers_nothing(
        gql, tokens, monkeypatch):
    """A catalogue file may be published ahead of its decree: until its first version takes
    effect the program is listed (`inForce` false, its first version described) and every
    question about it is BAD_USER_INPUT naming the day."""
    h = await poor_household(gql, tokens.admin())
    monkeypatch.setattr(clock, "today", lambda: date(2023, 6, 1))
    data = await gql.data("{ programs { code inForce effectiveFrom threshold "
                          "thresholdEffectiveFrom criteria { reason } } }")
    by_code = {p["code"]: p for p in data["programs"]}
    assert by_code[AMO]["inForce"] is True
    assert by_code[ASD]["inForce"] is False
    assert by_code[ASD]["effectiveFrom"] == by_code[ASD]["thresholdEffectiveFrom"] == "2023-12-01"
    assert by_code[ASD]["threshold"] == THRESHOLDS[ASD] and by_code[ASD]["criteria"]
    for token in (tokens.admin(), tokens.program(ASD)):
        body = await gql(ELIGIBILITY % BASE_FIELDS, {"program": ASD, "idcs": h["_head"]}, token)
        error = assert_error(body, "BAD_USER_INPUT")
        assert error["message"] == "ASD comes into force on 2023-12-01."
        assert error["extensions"]["field"] == "program"
    body = await gql("mutation($h: ID!) { enroll(program: ASD, householdId: $h) { id } }",
                     {"h": h["id"]}, tokens.admin())
    assert assert_error(body, "BAD_USER_INPUT")["message"] == "ASD comes into force on 2023-12-01."
    answered = await gql.data(ELIGIBILITY % "eligible", {"program": AMO, "idcs": h["_head"]},
                              tokens.admin())
    assert answered["eligibility"]["eligible"] is True
