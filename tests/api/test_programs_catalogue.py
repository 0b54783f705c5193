"""The catalogue's checks (`sijill programs check`, and the refusal to start) and `asOf`
(contract §9)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from api.models import HouseholdIndex, Membership, Person
from api.programs.catalogue import PACKAGED_DIR, json_schema
from api.services import clock
from tests import factories
from tests.api.test_audit_workers import ROOT
from tests.api.test_program_by_file import PROGRAM

pytestmark = pytest.mark.e2e


def sijill(*argv: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api.cli", *argv], cwd=ROOT,
                          env={**os.environ, **(env or {})}, capture_output=True, text=True,
                          timeout=120)


def write(directory, name: str, content) -> None:
    text = content if isinstance(content, str) else json.dumps(content)
    (directory / name).write_text(text, encoding="utf-8")


def with_version(**changes) -> dict:
    program = json.loads(json.dumps(PROGRAM))
    program["versions"][0].update(changes)
    return program


@pytest.mark.parametrize("name,content,fault", [
    ("DISABILITY_SUPPORT.json", "{not json", "(file): not readable as JSON"),
    ("DISABILITY_SUPPORT.json", {**PROGRAM, "purposes": []}, "purposes: [] should be non-empty"),
    ("DISABILITY_SUPPORT.json", {k: v for k, v in PROGRAM.items() if k != "fields"},
     "(file): 'fields' is a required property"),
    ("DISABILITY_SUPPORT.json", {**PROGRAM, "code": "lower"}, "code: 'lower' does not match"),
    ("OTHER.json", PROGRAM, "code: DISABILITY_SUPPORT is in a file named OTHER.json"),
    ("DISABILITY_SUPPORT.json", with_version(criteria=[
        {"reason": "X_Y", "description": "d", "rule": "household.income > 3.0"}]),
     "versions[0].criteria[0].rule: unknown fact `household.income`"),
    ("DISABILITY_SUPPORT.json", with_version(criteria=[
        {"reason": "X_Y", "description": "d", "rule": "household.index <= 9"}]),
     "versions[0].criteria[0].rule: `<=` between a double and a int"),
    ("DISABILITY_SUPPORT.json", with_version(criteria=[
        {"reason": "X_Y", "description": "d", "rule": "household.size"}]),
     "versions[0].criteria[0].rule: gives a int, a bool is expected"),
    ("DISABILITY_SUPPORT.json", with_version(criteria=[
        {"reason": "DECEASED", "description": "d", "rule": "true"}]),
     "versions[0].criteria[0].reason: DECEASED is the engine's own"),
    ("DISABILITY_SUPPORT.json", with_version(monthlyAmount="1"),
     "versions[0]: {"),
    ("DISABILITY_SUPPORT.json", {**PROGRAM, "versions": [PROGRAM["versions"][0],
                                                         PROGRAM["versions"][0]]},
     "versions[1].effectiveFrom: 2024-01-01 is not after the previous version's 2024-01-01"),
    ("DISABILITY_SUPPORT.json", {**PROGRAM, "fields": ["Person.income"]},
     "fields[0]: Person.income is no field of the schema"),
    ("AMO_TADAMON.json", {**PROGRAM, "code": "AMO_TADAMON"},
     "code: AMO_TADAMON is also defined in"),
    ("DISABILITY_SUPPORT.json", {**PROGRAM, "hours": {
        "timezone": "Mars/Olympus", "days": ["MON"], "from": "08:00", "to": "18:00"}},
     "hours.timezone: Mars/Olympus is no IANA time zone"),
    ("DISABILITY_SUPPORT.json", {**PROGRAM, "hours": {
        "timezone": "Africa/Casablanca", "days": ["MON"], "from": "18:00", "to": "08:00"}},
     "hours.to: 08:00 is not after from (18:00)"),
    ("DISABILITY_SUPPORT.json", {**PROGRAM, "hours": {
        "timezone": "Africa/Casablanca", "days": ["MONDAY"], "from": "08:00", "to": "18:00"}},
     "hours.days[0]: 'MONDAY' is not one of"),
])
def test_a_faulty_file_is_named_with_its_key_and_its_fault(tmp_path, name, content, fault):
    write(tmp_path, name, content)
    checked = sijill("programs", "check", str(tmp_path))
    assert checked.returncode == 1, checked.stdout
    line = next(line for line in checked.stdout.splitlines() if name in line)
    assert line.startswith(str(tmp_path / name) + ": "), line
    assert fault in line, line


@pytest.mark.parametrize("grant,refused", [
    ("Person.cin", True), ("Person.residenceCardNumber", True), ("Person.phone", True),
    ("Household.address", True), ("Household.enrollments", True),
    ("Household.declaration", True), ("Household.index", True),
    ("Household.indexHistory", True), ("Query.auditEvents", True), ("Query.auditChain", True),
    ("Query.registryStatistics", True), ("Query.accessPolicy", True),
    ("Mutation.registerPerson", True), ("Declaration.phoneMonthly", True),
    ("Person.firstName", False), ("Person.birthDate", False), ("Household.province", False),
    ("Member.schooling", False), ("Eligibility.evaluatedAt", False),
])
def test_a_program_may_be_granted_only_the_fields_of_its_answers(tmp_path, grant, refused):
    """A program's agencies read the answer and the household it is about: never identity
    documents or contact data, never the audit trail, the statistics or the access policy."""
    write(tmp_path, "DISABILITY_SUPPORT.json", {**PROGRAM, "fields": [*PROGRAM["fields"], grant]})
    checked = sijill("programs", "check", str(tmp_path))
    if not refused:
        assert checked.returncode == 0, checked.stdout
        return
    assert checked.returncode == 1, checked.stdout
    assert checked.stdout.splitlines()[0] == (
        f"{tmp_path / 'DISABILITY_SUPPORT.json'}: fields[{len(PROGRAM['fields'])}]: {grant} "
        "may not be granted to a program")


def test_the_service_refuses_to_start_on_a_faulty_catalogue(tmp_path, database):
    write(tmp_path, "DISABILITY_SUPPORT.json", with_version(threshold="high"))
    started = sijill("run", "--port", "1", env={"SIJILL_PROGRAMS_DIR": str(tmp_path),
                                                "DATABASE_URL": database.url})
    assert started.returncode == 2
    assert "versions[0].threshold: 'high' is not of type 'number'" in started.stderr
    assert "refusing to start" in started.stderr


def test_the_packaged_catalogue_checks_and_its_schema_prints():
    checked = sijill("programs", "check")
    assert checked.returncode == 0 and "AMO_TADAMON, ASD, TAYSSIR" in checked.stdout
    printed = sijill("programs", "schema")
    assert json.loads(printed.stdout) == json_schema()
    for path in PACKAGED_DIR.glob("*.json"):
        assert json.loads(path.read_text())["code"] == path.stem


# ------------------------------------------------------------------ asOf

QUERY = ("query($p: ProgramCode!, $i: String!, $d: Date) { eligibility(program: $p, idcs: $i, "
         "asOf: $d) { eligible reasons monthlyAmount threshold formulaVersion } }")


async def backdate(household: dict, days: int) -> None:
    """As if the household had been registered `days` ago."""
    earlier = clock.today() - timedelta(days=days)
    members = await Membership.filter(household_id=household["id"])
    await Membership.filter(household_id=household["id"]).update(start_date=earlier)
    await Person.filter(id__in=[m.person_id for m in members]).update(
        registered_at=clock.now() - timedelta(days=days))
    await HouseholdIndex.filter(household_id=household["id"]).update(
        computed_at=clock.now() - timedelta(days=days))


async def test_as_of_answers_with_the_household_and_the_version_of_that_day(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(
        gql, admin, children=3,
        declaration=factories.declaration_input(housingType="SHANTY", occupancy="FREE_OCCUPANT",
                                                assets=[], electricityMonthly=10,
                                                headOccupation="UNEMPLOYED"))
    head, child = household["_head"], household["_children"][0]
    await backdate(household, 400)
    today = clock.today()
    now = (await gql.data(QUERY, {"p": "ASD", "i": head}, admin))["eligibility"]
    assert now["eligible"]
    # a child leaves today: the amount falls now, not as of yesterday
    await gql.data("mutation($h: ID!, $i: String!, $d: Date!) { removeHouseholdMember("
                   "householdId: $h, idcs: $i, reason: MOVED_OUT, effectiveDate: $d) { id } }",
                   {"h": household["id"], "i": child, "d": today.isoformat()}, admin)
    after = (await gql.data(QUERY, {"p": "ASD", "i": head}, admin))["eligibility"]
    yesterday = (today - timedelta(days=1)).isoformat()
    before = (await gql.data(QUERY, {"p": "ASD", "i": head, "d": yesterday},
                             admin))["eligibility"]
    assert before["monthlyAmount"] == now["monthlyAmount"] > after["monthlyAmount"]
    # the child was a member yesterday, and is not today
    assert (await gql.data(QUERY, {"p": "ASD", "i": child, "d": yesterday},
                           admin))["eligibility"]["eligible"]
    assert (await gql.data(QUERY, {"p": "ASD", "i": child},
                           admin))["eligibility"]["reasons"] == ["NO_HOUSEHOLD"]
    # a day before anyone was registered
    long_ago = (today - timedelta(days=500)).isoformat()
    assert (await gql.data(QUERY, {"p": "ASD", "i": head, "d": long_ago},
                           admin))["eligibility"]["reasons"] == ["NOT_REGISTERED"]


async def test_as_of_uses_the_amounts_in_force_that_day(gql, tokens):
    """ASD's 2025 schedule paid 250 a child in school where 2026's pays 300."""
    admin = tokens.admin()
    household = await factories.register_household(
        gql, admin, children=3,
        declaration=factories.declaration_input(housingType="SHANTY", occupancy="FREE_OCCUPANT",
                                                assets=[], electricityMonthly=10,
                                                headOccupation="UNEMPLOYED"))
    await backdate(household, (clock.today() - clock.today().replace(2025, 6, 1)).days)
    in_2025 = (await gql.data(QUERY, {"p": "ASD", "i": household["_head"], "d": "2025-06-15"},
                              admin))["eligibility"]
    today = (await gql.data(QUERY, {"p": "ASD", "i": household["_head"]}, admin))["eligibility"]
    assert in_2025["eligible"] and today["eligible"]
    assert today["monthlyAmount"] - in_2025["monthlyAmount"] == 3 * (300 - 250)


@pytest.mark.parametrize("day,fault", [
    ("2999-01-01", "not after today"),
    ("2020-01-01", "No version of ASD was in force on 2020-01-01"),
])
async def test_as_of_refuses_the_future_and_days_before_the_program(gql, tokens, day, fault):
    body = await gql(QUERY, {"p": "ASD", "i": "1234567897", "d": day}, tokens.admin())
    error = body["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "field": "asOf"}
    assert fault in error["message"]
