"""On PostgreSQL an eligibility question is read in one statement (persons, households, members
and the daily cap); elsewhere — SQLite, a transaction, a past day — by four queries. The two
must give the same answers and the same member rows (which the answer's loaders are primed
with): compared over generated questions, on the same register."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.errors import RateLimited
from api.models import ProgramLookupCount
from api.principal import Principal
from api.programs.catalogue import catalogue
from api.services import clock, eligibility
from tests import factories
from tests.api.test_eligibility import household_of, poor_household, unknown_idcs

pytestmark = pytest.mark.e2e

ADMIN = Principal(subject="test-admin", roles=frozenset({"admin"}))
AGENCY = {code: Principal(subject=f"test-{code}", roles=frozenset({"program_agency"}),
                          program=code) for code in catalogue().codes}


@pytest.fixture(autouse=True)
def postgres_only(database):
    if database.engine != "postgres":
        pytest.skip("SQLite always reads with the queries: nothing to compare")


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    now = clock.now()
    monkeypatch.setattr(clock, "now", lambda: now)


@pytest.fixture
async def register(gql, tokens) -> list[str]:
    admin = tokens.admin()
    poor = await poor_household(gql, admin)
    disabled = await household_of(gql, admin, [("2015-03-01", "OUT_OF_SCHOOL", True),
                                               ("2019-07-09", "IN_SCHOOL", False)],
                                  headEducation="NONE", housingType="SHANTY")
    regular = await factories.register_household(gql, admin, province="001", milieu="RURAL")
    alone = await factories.register_person(gql, admin)
    dead = await factories.register_person(gql, admin)
    await gql.data("mutation($i: String!) { updatePerson(idcs: $i, input: {deathDate: "
                   "\"2020-01-01\"}) { idcs } }", {"i": dead}, admin)
    ids = [poor["_head"], *poor["_children"], disabled["_spouse"],
           regular["members"][0]["person"]["idcs"], alone, dead, await unknown_idcs()]
    return ids


def _row(model) -> dict:
    return {name: getattr(model, name) for name in model._meta.db_fields}


def _comparable(answer: eligibility.EligibilityAnswer) -> tuple:
    return (answer.idcs, answer.program, answer.eligible, answer.reasons,
            None if answer.household is None else _row(answer.household),
            answer.monthly_amount, answer.threshold, answer.formula_version,
            answer.evaluated_at, answer.amount_lines,
            None if answer.members is None else [(_row(m), _row(p)) for m, p in answer.members])


@settings(max_examples=40, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
async def test_one_statement_answers_as_the_queries(gql, register, data):
    program = data.draw(st.sampled_from(sorted(catalogue().codes)))
    asked = data.draw(st.lists(st.sampled_from(register), min_size=1, max_size=12))
    with_members = data.draw(st.booleans())
    capped = data.draw(st.booleans())
    caps = {"default": 10_000} if capped else None
    principal = AGENCY[program] if capped else ADMIN
    one = await eligibility.evaluate(principal, program, asked, caps=caps,
                                     with_members=with_members)
    queries = await eligibility.evaluate(principal, program, asked, caps=caps,
                                         with_members=with_members, one_statement=False)
    assert [_comparable(a) for a in one] == [_comparable(a) for a in queries]
    assert [a.idcs for a in one] == asked
    if with_members:
        assert any(a.members for a in one if a.household is not None) \
            or all(a.household is None for a in one)


async def _counted(program: str) -> int:
    counter = await ProgramLookupCount.filter(program=program, day=clock.today()).first()
    return counter.persons if counter else 0


async def test_over_the_cap_the_statement_answers_nothing_and_counts_nothing(gql, register):
    program = "ASD"
    valid = sorted(set(register))
    before = await _counted(program)
    with pytest.raises(RateLimited):
        await eligibility.evaluate(AGENCY[program], program, valid,
                                   caps={"default": before + 2})
    assert await _counted(program) == before
    answers = await eligibility.evaluate(AGENCY[program], program, valid[:2],
                                         caps={"default": before + 2})
    assert len(answers) == 2
    assert await _counted(program) == before + 2


async def test_the_cap_counts_ids_no_one_holds(gql, register):
    """An id asked about counts against the cap whether or not it is registered: the statement
    records it even when no row of persons answers."""
    unknown = await unknown_idcs()
    program = "AMO_TADAMON"
    before = await _counted(program)
    (answer,) = await eligibility.evaluate(AGENCY[program], program, [unknown],
                                           caps={"default": before + 100})
    assert answer.reasons == ("NOT_REGISTERED",)
    assert await _counted(program) == before + 1
