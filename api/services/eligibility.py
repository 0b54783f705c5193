"""Eligibility: is this person's household eligible for a program, one at a time or in bulk.

A bulk question costs the same four SQL queries whatever the number of ids.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from api.auth import Principal
from api.errors import BadUserInput, Forbidden
from api.identifiers import is_valid_idcs
from api.models import Household, Membership, Person
from api.scoring.programs import (
    PROGRAM_CODES,
    Decision,
    MemberSituation,
    Situation,
    decide,
)
from api.services import clock

BULK_MAX = 1000


@dataclass
class EligibilityAnswer:
    idcs: str
    program: str
    eligible: bool
    reasons: tuple[str, ...]
    household: Household | None
    monthly_amount: int | None
    threshold: float
    formula_version: str | None
    evaluated_at: datetime


def check_program_access(principal: Principal, program: str) -> None:
    """Admins ask about any program; a program agency only about its own."""
    if program not in PROGRAM_CODES:
        raise BadUserInput("Unknown program.", field="program")
    if principal.is_admin:
        return
    if principal.has("program_agency") and principal.program == program:
        return
    raise Forbidden("This caller may not ask about this program's eligibility.")


def checked_ids(principal: Principal, program: str, idcs_list: list[str]) -> list[str]:
    """The distinct ids asked about, sorted, once the caller and every id are checked: a
    malformed id (not 10 digits with a valid check digit) fails the request with
    BAD_USER_INPUT."""
    check_program_access(principal, program)
    if len(idcs_list) > BULK_MAX:
        raise BadUserInput(f"At most {BULK_MAX} ids per request.", field="idcs")
    for position, idcs in enumerate(idcs_list):
        if not is_valid_idcs(idcs):
            field = "idcs" if len(idcs_list) == 1 else f"idcs[{position}]"
            raise BadUserInput("Malformed IDCS: expected 10 digits whose last is a Luhn check digit.",
                               field=field)
    return sorted(set(idcs_list))


def answer(idcs: str, program: str, situation: Situation, household, formula_version: str | None,
           today, now: datetime) -> EligibilityAnswer:
    decision: Decision = decide(program, situation, today)
    return EligibilityAnswer(
        idcs=idcs, program=program, eligible=decision.eligible, reasons=decision.reasons,
        household=household, monthly_amount=decision.monthly_amount,
        threshold=decision.threshold, formula_version=formula_version, evaluated_at=now,
    )


async def evaluate(principal: Principal, program: str, idcs_list: list[str], *,
                   before_reading=None) -> list[EligibilityAnswer]:
    """One answer per id, in input order; unknown ids answer NOT_REGISTERED."""
    valid = checked_ids(principal, program, idcs_list)
    if before_reading is not None:  # e.g. the program's daily cap on distinct persons
        await before_reading(program, valid)
    now = clock.now()
    today = clock.today()

    persons = {p.idcs: p for p in await Person.filter(idcs__in=valid)} if valid else {}
    memberships = {
        m.person_id: m
        for m in await Membership.filter(person_id__in=[p.id for p in persons.values()], end_date=None)
    } if persons else {}
    household_ids = sorted({str(m.household_id) for m in memberships.values()})
    households = {str(h.id): h for h in await Household.filter(id__in=household_ids)} if household_ids else {}
    members: dict[str, list[MemberSituation]] = defaultdict(list)
    if household_ids:
        for row in await Membership.filter(household_id__in=household_ids, end_date=None).values(
            "household_id", "relationship", "schooling", "has_disability", "person__birth_date"
        ):
            members[str(row["household_id"])].append(MemberSituation(
                relationship=row["relationship"], birth_date=row["person__birth_date"],
                schooling=row["schooling"], has_disability=row["has_disability"],
            ))

    answers = []
    for idcs in idcs_list:
        person = persons.get(idcs)
        membership = memberships.get(person.id) if person else None
        household = households.get(str(membership.household_id)) if membership else None
        situation = Situation(
            registered=person is not None,
            deceased=bool(person and person.death_date),
            has_other_health_coverage=bool(person and person.has_other_health_coverage),
            in_household=household is not None,
            household_status=household.status if household else None,
            index_value=household.index_value if household else None,
            members=tuple(members.get(str(household.id), ())) if household else (),
        )
        answers.append(answer(idcs, program, situation, household,
                              household.index_formula_version if household else None, today, now))
    return answers
