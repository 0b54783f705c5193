"""The two evaluations of a simulation agree: the versions compiled to SQL and evaluated in one
statement (api/programs/sql.py) count every cell of the register as the compiled CEL programs
do member by member (rules.decider, what `eligibility` answers with). Drafts are drawn by
hypothesis from criteria and amount lines that compile, over a generated register with every
status, unscored households, deaths, other coverage, members born on the days around the age
limits and on 29 February."""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tortoise import Tortoise

from api.models import Household, Membership, Person
from api.programs import sql as compile_sql
from api.programs.catalogue import catalogue
from api.programs.rules import RuleError
from api.services import clock, simulation
from api.services.reference import territory

pytestmark = pytest.mark.e2e

CRITERIA = [
    "household.index <= threshold",
    "!person.hasOtherHealthCoverage",
    "household.members.exists(m, m.age >= 6 && m.age <= 15 && m.schooling == 'IN_SCHOOL')",
    "size(household.members) >= 3",
    "household.size <= 4 || household.milieu == 'RURAL'",
    "person.age >= 18",
    "household.members.all(m, m.age < 80)",
    "household.region in ['01', '06', '08']",
    "household.members.exists_one(m, m.relationship == 'HEAD')",
    "size(take(household.members.filter(m, m.age <= 20), 2)) == 2",
    "person.sex == 'FEMALE' || household.index < threshold - 0.5",
    "household.province < '300'",
    "sum(household.members.map(m, m.age)) > 60",
    "person.nationality != 'MA' || person.age % 2 == 0",
    "size(drop(household.members, 1).filter(m, m.hasDisability)) == 0",
    "double(household.size) / 2.0 < household.index - 7.0",
    "size(children) > 0",
    # a member by its index (CEL's error where there is none), mixed criteria, map, conversions
    "household.members[0].age > 30",
    "household.members[1].relationship == 'SPOUSE' || size(household.members) < 2",
    "(household.members[2].age > 10 ? 1 : 0) == 1 || household.size < 3",
    "person.age >= 18 || size(household.members) > 3",
    "person.age < 18 || household.members.exists(m, m.hasDisability)",
    "children.exists(c, c.age < 5) && person.sex == 'FEMALE' || household.index < 9.2",
    "'HEAD' in household.members.map(m, m.relationship)",
    "household.milieu in children.map(c, c.relationship) || size(children.map(c, c.age)) < 2",
    "string(household.size) == '3' || string(person.age < 30) == 'true'",
    "int(household.index * 10.0) % 3 != 1",
    "eldest == 'HEAD' && (headAge > 25 ? person.age != headAge : true)",
    "thirdAge == null || thirdAge > 10",
    "thirdAge != null && string(thirdAge) < '5'",
    # an int divided by zero fails (a double's: PostgreSQL raises, CEL decides)
    "household.size / size(children) >= 1 || person.age > 40",
    "household.size % (size(children) - 1) == 0",
    # predicates, sums and comparisons over values that may fail or be null
    "household.members.exists(m, 60 / m.age > 20)",
    "household.members.all(m, 100 / m.age < 50) || size(household.members) > 4",
    "household.members.exists(m, double(m.age) > household.index)",
    "household.index == null || household.index < threshold",
    "(person.age >= 18 ? thirdRel : 'NONE') == 'SPOUSE'",
    "(person.age >= 18 ? thirdRel : 'NONE') in ['SPOUSE', 'CHILD']",
]
# a definition that fails (no third member): the answers with no reason cannot be given
FAILING = {"thirdAge": "household.members[2].age",
           "thirdRel": "household.members[2].relationship"}
AMOUNTS = [
    "sum(take(children, 3).map(c, c.age <= 5 || c.schooling == 'IN_SCHOOL' ? 250 : 175))",
    "sum(drop(children, 3).map(c, c.age <= 5 || c.schooling == 'IN_SCHOOL' ? 36 : 24))",
    "size(children.filter(c, c.hasDisability)) * 100",
    "max(0, 500 - subtotal)",
    "household.size * 10",
    "size(drop(take(household.members, 4), 1).filter(m, m.sex == 'FEMALE')) * 7",
    "min(subtotal, 1000) / 3",
    "household.members[0].age > 60 ? 100 : 0",
    "int(double(subtotal) * 1.5) - subtotal",
    "'SPOUSE' in household.members.map(m, m.relationship) ? 50 : household.members[1].age",
]
CHILDREN = ("take(household.members.filter(m, m.relationship in ['CHILD', 'GRANDCHILD'] "
            "&& m.age <= 20), 6)")
DRAFTS = st.fixed_dictionaries({
    "threshold": st.sampled_from([9.0, 9.3264284, 9.5, 9.743001, 10.2]),
    "criteria": st.lists(st.sampled_from(CRITERIA), max_size=3, unique=True),
    "amounts": st.lists(st.sampled_from(AMOUNTS), max_size=3),
    "program": st.sampled_from(["AMO_TADAMON", "ASD", "TAYSSIR"]),
    "failing": st.booleans(),
})
DEFINITIONS = {"children": CHILDREN, "eldest": "household.members[0].relationship",
               "headAge": "household.members.filter(m, m.relationship == 'HEAD')[0].age"}


def draft_text(draft: dict) -> str:
    version = {
        "effectiveFrom": "2026-01-01", "legalReference": "draft", "threshold": draft["threshold"],
        "definitions": {**DEFINITIONS, **(FAILING if draft.get("failing") else {})},
        "criteria": [{"reason": f"R{i}", "description": "d", "rule": rule}
                     for i, rule in enumerate(draft["criteria"])
                     if draft.get("failing") or not any(name in rule for name in FAILING)],
    }
    if draft["amounts"]:
        version["amountLines"] = [{"label": f"L{i}", "amount": a}
                                  for i, a in enumerate(draft["amounts"])]
    return json.dumps(version)


async def build_register(seed: int = 7, households: int = 260, first: int = 0) -> None:
    """`households` households of random members (persons numbered from `first` + 1)."""
    rng = random.Random(seed)
    today = clock.today()
    edges = [today.replace(year=today.year - years) + timedelta(days=d)
             for years in (5, 6, 15, 16, 18, 20, 21, 80) for d in (-1, 0, 1)]
    edges += [date(2012, 2, 29), date(2008, 2, 29), date(1956, 2, 29)]
    provinces = [p for p in territory().provinces][:12]
    persons, rows = [], []
    serial = first
    for _ in range(households):
        size = rng.choice((1, 2, 3, 4, 5, 6, 8, 11))
        people = []
        for _ in range(size):
            serial += 1
            birth = rng.choice(edges) if rng.random() < 0.5 else \
                today - timedelta(days=rng.randint(0, 90 * 365))
            people.append(Person(
                idcs=f"{serial:010d}", nationality=rng.choice(("MA", "MA", "MA", "SN")),
                first_name="A", last_name="B", sex=rng.choice(("MALE", "FEMALE")),
                birth_date=birth, registered_by="sim",
                has_other_health_coverage=rng.random() < 0.2,
                death_date=today - timedelta(days=3) if rng.random() < 0.03 else None))
            persons.append(people[-1])
        province = rng.choice(provinces)
        status = rng.choice(("ACTIVE",) * 6 + ("SUSPENDED", "CLOSED"))
        index = None if rng.random() < 0.08 else round(rng.uniform(8.6, 10.6), 7)
        rows.append((uuid.UUID(int=rng.getrandbits(128), version=4), province,
                     rng.choice(("URBAN", "RURAL")), status, index, people))
    await Person.bulk_create(persons, batch_size=1000)
    ids = dict(await Person.filter(registered_by="sim").values_list("idcs", "id"))
    await Household.bulk_create([
        Household(id=hid, reference=f"S-{hid.hex[:16]}", region_id=p.region, province_id=p.code,
                  commune="c", milieu=milieu, address="a", status=status, index_value=index,
                  declarant_id=ids[people[0].idcs], registered_by="sim")
        for hid, p, milieu, status, index, people in rows], batch_size=1000)
    members = []
    relationships = ("CHILD", "CHILD", "GRANDCHILD", "SPOUSE", "PARENT", "SIBLING")
    for hid, _p, _m, _s, _i, people in rows:
        for i, person in enumerate(people):
            members.append(Membership(
                household_id=hid, person_id=ids[person.idcs],
                relationship="HEAD" if i == 0 else rng.choice(relationships),
                schooling=rng.choice(("IN_SCHOOL", "OUT_OF_SCHOOL", "NOT_APPLICABLE")),
                has_disability=rng.random() < 0.15, start_date=date(2020, 1, 1)))
        if len(people) > 2 and rng.random() < 0.2:  # a former member does not count
            members[-1].end_date = date(2024, 1, 1)
            members[-1].exit_reason = "MOVED_OUT"
    await Membership.bulk_create(members, batch_size=1000)


def _dialect() -> str:
    return Tortoise.get_connection("default").capabilities.dialect


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(draft=DRAFTS)
async def test_sql_and_cel_count_every_cell_alike(app, draft):
    if _dialect() != "postgres":
        pytest.skip("the SQL evaluation is PostgreSQL's")
    if not await Household.exists():
        await build_register()
    program = catalogue()[draft["program"]]
    version = simulation.parse_draft(program, draft_text(draft), clock.today())
    found = []
    for path in ("SQL", "CEL"):
        try:
            found.append(await simulation.evaluate(program, version, clock.today(), path=path))
        except RuleError:  # an expression failed for an answer with no reason
            found.append(None)
    by_sql, by_cel = found
    if by_sql is None or by_cel is None:
        assert by_sql is by_cel is None, draft
        event("an expression fails for an answer with no reason")
        return
    event("counted")
    assert by_sql.path == "SQL" and by_cel.path == "CEL"
    assert by_sql.cells == by_cel.cells
    assert by_sql.households == by_cel.households > 0


@pytest.mark.parametrize("rule", [
    "household.size % (size(children) - 1) == 0",  # an int by zero: no reason, the answer fails
    "household.members.exists(m, 60 / m.age > 20)",  # a member's predicate that fails
    "household.index != null && household.index < 9.5",  # a number against null fails
    "size(household.members.filter(m, 12 / m.age > 1)) == 2",  # does not compile: CEL
    "size(children) == 0 || household.size / size(children) >= 2",
    "person.age >= 18 || household.members[1].age < 30",
])
async def test_one_rule_counts_alike(app, rule):
    if _dialect() != "postgres":
        pytest.skip("the SQL evaluation is PostgreSQL's")
    if not await Household.exists():
        await build_register()
    program = catalogue()["ASD"]
    version = simulation.parse_draft(program, draft_text(
        {"threshold": 10.6, "criteria": [rule], "amounts": []}), clock.today())
    found = []
    for path in (None, "CEL"):
        try:
            found.append((await simulation.evaluate(program, version, clock.today(),
                                                    path=path)).cells)
        except RuleError:
            found.append("fails")
    assert found[0] == found[1]


async def test_the_catalogue_compiles_to_sql(app):
    """The programs of the catalogue need no CEL fallback."""
    for program in catalogue().programs.values():
        for version in program.versions:
            compile_sql.compile_version(version, compile_sql.compiler_for(clock.today()))


@pytest.mark.parametrize("rule", [
    "household.members.exists(m, m.age > person.age)",  # a member's predicate reads the person
    "size(take(drop(household.members, 1).filter(m, m.age < 9), 1)) == 1",  # take after such a filter
    "household.members[size(household.members) - 1].age > 30",  # an index that is computed
    "size(household.members.map(m, m.age).filter(a, a > 20)) > 2",  # a filter of a map
    "[1, 2, 3][1] == household.size",  # an item of a list literal
    "size(household.members.filter(m, 12 / m.age > 1)) == 2",  # a filter that may fail
    "(person.age > 1 ? eldest : 'X') == "  # a null, an error: SQL cannot tell them apart
    "(size(household.members) > 2 ? household.members[2].relationship : 'Y')",
])
async def test_what_does_not_compile_is_evaluated_by_cel(app, rule):
    if not await Household.exists():
        await build_register(households=40)
    program = catalogue()["ASD"]
    version = simulation.parse_draft(program, draft_text(
        {"threshold": 9.7, "criteria": [rule], "amounts": []}), clock.today())
    with pytest.raises(compile_sql.NotCompilable):
        compile_sql.compile_version(version, compile_sql.compiler_for(clock.today()))
    found = await simulation.evaluate(program, version, clock.today())
    assert found.path == "CEL"
    if _dialect() == "postgres":
        assert "not compiled to SQL" in found.fallback


async def test_a_statement_that_fails_falls_back_to_cel(app):
    """Zero divided by zero: PostgreSQL raises, CEL answers NaN (and the criterion holds)."""
    if _dialect() != "postgres":
        pytest.skip("the SQL evaluation is PostgreSQL's")
    if not await Household.exists():
        await build_register(households=40)
    program = catalogue()["ASD"]
    version = simulation.parse_draft(program, draft_text(
        {"threshold": 9.7, "criteria": ["0.0 / double(household.size - household.size) != 1.0"],
         "amounts": []}),
        clock.today())
    found = await simulation.evaluate(program, version, clock.today())
    assert found.path == "CEL" and "22012" in found.fallback
