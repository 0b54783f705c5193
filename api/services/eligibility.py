"""Eligibility: is this person's household eligible for a program, one at a time or in bulk.

A bulk question costs the same four SQL queries whatever the number of ids.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tortoise.expressions import Q

from api.errors import BadUserInput, Forbidden
from api.identifiers import is_valid_idcs
from api.models import Household, HouseholdIndex, Membership, Person
from api.principal import Principal
from api.programs.catalogue import catalogue
from api.programs.facts import MemberSituation, Situation
from api.programs.rules import AmountLine, Decision, decider
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
    amount_lines: tuple[AmountLine, ...] | None = None


def check_program_access(principal: Principal, program: str) -> None:
    """Admins ask about any program; a program agency only about its own."""
    if program not in catalogue():
        raise BadUserInput("Unknown program.", field="program")
    if principal.is_admin:
        return
    if principal.has("program_agency") and principal.program == program:
        return
    raise Forbidden("This caller may not ask about this program's eligibility.")


def check_in_force(program: str, on: date) -> None:
    """A program whose first version takes effect after `on` answers nothing yet: a catalogue
    file may be published ahead of the day its decree applies."""
    first = catalogue()[program].versions[0].effective_from
    if first > on:
        raise BadUserInput(f"{program} comes into force on {first.isoformat()}.",
                           field="program")


def checked_ids(principal: Principal, program: str, idcs_list: list[str]) -> list[str]:
    """The distinct ids asked about, sorted, once the caller and every id are checked: a
    malformed id (not 10 digits with a valid check digit) fails the request with
    BAD_USER_INPUT; so does a program not yet in force."""
    check_program_access(principal, program)
    check_in_force(program, clock.today())
    if len(idcs_list) > BULK_MAX:
        raise BadUserInput(f"At most {BULK_MAX} ids per request.", field="idcs")
    for position, idcs in enumerate(idcs_list):
        if not is_valid_idcs(idcs):
            field = "idcs" if len(idcs_list) == 1 else f"idcs[{position}]"
            raise BadUserInput("Malformed IDCS: expected 10 digits whose last is a Luhn check digit.",
                               field=field)
    return sorted(set(idcs_list))


def answer(idcs: str, program: str, situation: Situation, household, formula_version: str | None,
           today, now: datetime, decide_one=None) -> EligibilityAnswer:
    """`decide_one`: `rules.decider(program, today)`, made once per request (looked up here
    when absent)."""
    decision: Decision = (decide_one or decider(program, today))(situation)
    return EligibilityAnswer(idcs, program, decision.eligible, decision.reasons, household,
                             decision.monthly_amount, decision.threshold, formula_version, now,
                             decision.amount_lines)


async def evaluate(principal: Principal, program: str, idcs_list: list[str], *,
                   before_reading=None, as_of: date | None = None) -> list[EligibilityAnswer]:
    """One answer per id, in input order; unknown ids answer NOT_REGISTERED. `as_of`: a past
    day, answered with the program's version in force that day and the household as it was
    then (see `_as_of`)."""
    valid = checked_ids(principal, program, idcs_list)
    now = clock.now()
    today = clock.today()
    on = today if as_of is None else check_as_of(program, as_of, today)
    if before_reading is not None:  # e.g. the program's daily cap on distinct persons
        await before_reading(program, valid)
    if on != today:
        return await _as_of(program, idcs_list, valid, on, now)

    persons = {p.idcs: p for p in await Person.filter(idcs__in=valid)} if valid else {}
    memberships = {
        m.person_id: m
        for m in await Membership.filter(person_id__in=[p.id for p in persons.values()], end_date=None)
    } if persons else {}
    household_ids = sorted({str(m.household_id) for m in memberships.values()})
    households = {str(h.id): h for h in await Household.filter(id__in=household_ids)} if household_ids else {}
    members = await _members(household_ids, Q(end_date=None))

    answers = []
    decide_one = decider(program, today)
    for idcs in idcs_list:
        person = persons.get(idcs)
        membership = memberships.get(person.id) if person else None
        household = households.get(str(membership.household_id)) if membership else None
        situation = _situation(idcs, person, household, members,
                               household.status if household else None,
                               household.index_value if household else None)
        answers.append(answer(idcs, program, situation, household,
                              household.index_formula_version if household else None, today, now,
                              decide_one))
    return answers


def check_as_of(program: str, as_of: date, today: date) -> date:
    if as_of > today:
        raise BadUserInput("`asOf` is a day not after today.", field="asOf")
    try:
        catalogue()[program].version_on(as_of)
    except LookupError:
        raise BadUserInput(f"No version of {program} was in force on {as_of.isoformat()}.",
                           field="asOf") from None
    return as_of


def _open_on(day: date) -> Q:
    """Memberships that were open on that day: begun, and not yet ended (a membership ends on
    its end date)."""
    return Q(start_date__lte=day) & (Q(end_date=None) | Q(end_date__gt=day))


async def _members(household_ids: list[str], open_filter: Q) -> dict[str, list[MemberSituation]]:
    members: dict[str, list[MemberSituation]] = defaultdict(list)
    if household_ids:
        for row in await Membership.filter(open_filter, household_id__in=household_ids
                                           ).order_by("id").values(
            "household_id", "relationship", "schooling", "has_disability", "person__birth_date",
            "person__sex",
        ):
            members[str(row["household_id"])].append(MemberSituation(
                relationship=row["relationship"], birth_date=row["person__birth_date"],
                schooling=row["schooling"], has_disability=row["has_disability"],
                sex=row["person__sex"],
            ))
    return members


def _situation(idcs: str, person, household, members, status: str | None,
               index_value: float | None, *, deceased: bool | None = None) -> Situation:
    return Situation(
        registered=person is not None,
        deceased=bool(person and person.death_date) if deceased is None else deceased,
        has_other_health_coverage=bool(person and person.has_other_health_coverage),
        in_household=household is not None,
        household_status=status,
        index_value=index_value,
        members=tuple(members.get(str(household.id), ())) if household else (),
        idcs=idcs,
        birth_date=person.birth_date if person else None,
        sex=person.sex if person else "",
        nationality=person.nationality if person else "",
        milieu=household.milieu if household else "",
        region=household.region_id if household else "",
        province=household.province_id if household else "",
    )


async def _as_of(program: str, idcs_list: list[str], valid: list[str], day: date,
                 now: datetime) -> list[EligibilityAnswer]:
    """The answers as they would have been given on `day`, from the history the register
    keeps: persons registered by the end of that day, alive that day; the memberships open that
    day; the household's newest index computed by the end of that day (ACTIVE when it had
    one and members; a status is not dated, so a suspension since is not seen); ages that day.
    The nested `household` shows the household as it is now."""
    end_of_day = datetime.combine(day + timedelta(days=1), time(0), clock.REGISTRY_TZ)
    persons = {p.idcs: p for p in await Person.filter(idcs__in=valid,
                                                        registered_at__lt=end_of_day)} \
        if valid else {}
    memberships = {
        m.person_id: m for m in await Membership.filter(
            _open_on(day), person_id__in=[p.id for p in persons.values()])
    } if persons else {}
    household_ids = sorted({str(m.household_id) for m in memberships.values()})
    households = {str(h.id): h for h in await Household.filter(id__in=household_ids)} \
        if household_ids else {}
    members = await _members(household_ids, _open_on(day))
    indices: dict[str, HouseholdIndex] = {}
    if household_ids:
        for row in await HouseholdIndex.filter(household_id__in=household_ids,
                                               computed_at__lt=end_of_day
                                               ).order_by("computed_at", "id"):
            indices[str(row.household_id)] = row  # the newest wins
    answers = []
    decide_one = decider(program, day)
    for idcs in idcs_list:
        person = persons.get(idcs)
        membership = memberships.get(person.id) if person else None
        household = households.get(str(membership.household_id)) if membership else None
        index = indices.get(str(household.id)) if household else None
        status = "ACTIVE" if household is not None and index is not None \
            and members.get(str(household.id)) else ("NOT_SCORED" if household else None)
        situation = _situation(
            idcs, person, household, members, status, index.value if index else None,
            deceased=bool(person and person.death_date and person.death_date <= day))
        answers.append(answer(idcs, program, situation, household,
                              index.formula_version if index else None, day, now,
                              decide_one))
    return answers
