"""Eligibility: is this person's household eligible for a program, one at a time or in bulk.

A question costs one statement on PostgreSQL whatever the number of ids — the persons, their
households and the households' members, and the program's daily cap counted in the same
statement — and four queries on SQLite (or inside a transaction, or for a past day).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.expressions import Q

from api.errors import BadUserInput, Forbidden
from api.identifiers import is_valid_idcs
from api.models import Household, HouseholdIndex, Membership, Person
from api.principal import Principal
from api.programs.catalogue import catalogue
from api.programs.facts import MemberSituation, Situation
from api.programs.rules import AmountLine, Decision, decider
from api.services import clock, lookups

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
    # The household's open memberships and their persons, oldest membership first, when they
    # were read with it (to be shown without reading them again); None otherwise.
    members: tuple[tuple[Membership, Person], ...] | None = None
    # How many open members the household has, read with the answer; None without a household.
    member_count: int | None = None


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
                   caps: dict[str, int] | None = None, as_of: date | None = None,
                   with_members: bool = False, one_statement: bool = True,
                   ) -> list[EligibilityAnswer]:
    """One answer per id, in input order; unknown ids answer NOT_REGISTERED. `caps`: count the
    ids against the program's daily cap (lookups.py) before anything is answered. `as_of`: a
    past day, answered with the program's version in force that day and the household as it was
    then (see `_as_of`). `with_members`: the answers also hold the households' members as rows
    (the answer shows them). `one_statement`: on PostgreSQL, read everything in one statement
    (False: the queries SQLite runs; tests compare the two)."""
    valid = checked_ids(principal, program, idcs_list)
    now = clock.now()
    today = clock.today()
    on = today if as_of is None else check_as_of(program, as_of, today)
    connection = Tortoise.get_connection("default")
    if on == today and valid and one_statement \
            and connection.capabilities.dialect == "postgres" \
            and not isinstance(connection, TransactionalDBClient):
        read = await _read_in_one_statement(connection, program, valid, today, caps,
                                            with_members)
        return _answers(program, idcs_list, read, today, now)
    if caps is not None:
        await lookups.record(program, valid, caps)
    if on != today:
        return await _as_of(program, idcs_list, valid, on, now)

    persons = {p.idcs: p for p in await Person.filter(idcs__in=valid)} if valid else {}
    memberships = {
        m.person_id: m
        for m in await Membership.filter(person_id__in=[p.id for p in persons.values()], end_date=None)
    } if persons else {}
    household_ids = sorted({str(m.household_id) for m in memberships.values()})
    households = {str(h.id): h for h in await Household.filter(id__in=household_ids)} if household_ids else {}
    members = await member_situations(household_ids, Q(end_date=None))
    shown: dict[str, tuple] = {}
    if with_members and household_ids:
        rows = await Membership.filter(household_id__in=household_ids, end_date=None
                                       ).order_by("id").prefetch_related("person")
        grouped: dict[str, list] = defaultdict(list)
        for m in rows:
            grouped[str(m.household_id)].append((m, m.person))
        shown = {h: tuple(grouped.get(h, ())) for h in household_ids}

    read = {}
    for idcs, person in persons.items():
        membership = memberships.get(person.id)
        household = households.get(str(membership.household_id)) if membership else None
        key = str(household.id) if household else None
        read[idcs] = (person, household, tuple(members.get(key, ())) if household else (),
                      shown.get(key) if household and with_members else None)
    return _answers(program, idcs_list, read, today, now)


def _answers(program: str, idcs_list: list[str], read: dict, today: date,
             now: datetime) -> list[EligibilityAnswer]:
    """`read`: by IDCS, (person, household or None, the members' situations, the members as
    rows or None)."""
    answers = []
    decide_one = decider(program, today)
    for idcs in idcs_list:
        person, household, situations, rows = read.get(idcs, (None, None, (), None))
        situation = situation_of(idcs, person, household, situations,
                               household.status if household else None,
                               household.index_value if household else None)
        result = answer(idcs, program, situation, household,
                        household.index_formula_version if household else None, today, now,
                        decide_one)
        result.members = rows
        result.member_count = len(situations) if household is not None else None
        answers.append(result)
    return answers


# What a rule reads of each member, when the answer does not show the members.
SITUATIONS_SQL = """ARRAY(SELECT ROW(m.relationship, mp.birth_date, m.schooling, m.has_disability,
                                  mp.sex)
                FROM memberships m JOIN persons mp ON mp.id = m.person_id
                WHERE m.household_id = h.id AND m.end_date IS NULL ORDER BY m.id)"""
# The open memberships and their persons, whole (as the ORM reads them), oldest first.
_MEMBERS = """ARRAY(SELECT m FROM memberships m
                WHERE m.household_id = h.id AND m.end_date IS NULL ORDER BY m.id) AS members,
          ARRAY(SELECT mp FROM memberships m JOIN persons mp ON mp.id = m.person_id
                WHERE m.household_id = h.id AND m.end_date IS NULL ORDER BY m.id) AS persons"""
PERSONS_SQL = """persons p
     LEFT JOIN memberships pm ON pm.person_id = p.id AND pm.end_date IS NULL
     LEFT JOIN households h ON h.id = pm.household_id"""


def _statement(capped: bool, with_members: bool) -> str:
    members = _MEMBERS if with_members else f"{SITUATIONS_SQL} AS situations"
    columns = f"""p.idcs, p.death_date, p.has_other_health_coverage, p.birth_date, p.sex,
          p.nationality, h AS household, {members}"""
    if not capped:
        return f"SELECT {columns} FROM {PERSONS_SQL} WHERE p.idcs = ANY($1::varchar[])"
    # The cap first, in a one-row relation every answer joins: it is evaluated once, even when
    # no id is registered (sijill_record_lookups: migrations/models/5_*_lookup_counts.py; over
    # the cap it raises and records nothing).
    return f"""SELECT {columns}
FROM (SELECT sijill_record_lookups($2, $3, $1, $4) AS recorded) cap
LEFT JOIN ({PERSONS_SQL}) ON p.idcs = ANY($1::varchar[])"""


_STATEMENTS = {(capped, shown): _statement(capped, shown)
               for capped in (False, True) for shown in (False, True)}


class AskedPerson:
    """The asked person's facts a rule reads, from the statement's row."""

    __slots__ = ("idcs", "death_date", "has_other_health_coverage", "birth_date", "sex",
                 "nationality")

    def __init__(self, row) -> None:
        (self.idcs, self.death_date, self.has_other_health_coverage, self.birth_date, self.sex,
         self.nationality) = row[0], row[1], row[2], row[3], row[4], row[5]


async def _read_in_one_statement(connection, program: str, valid: list[str], today: date,
                                 caps: dict[str, int] | None, with_members: bool) -> dict:
    args: list = [valid]
    if caps is not None:
        args += [program, today, lookups.cap_of(caps, program)]
    try:
        _, rows = await connection.execute_query(_STATEMENTS[caps is not None, with_members],
                                                 args)
    except asyncpg.PostgresError as exc:
        if getattr(exc, "sqlstate", None) == lookups.OVER_CAP:
            raise lookups.over_cap(program, lookups.cap_of(caps, program)) from None
        raise
    read: dict = {}
    households: dict = {}  # built once per household (several asked persons may share one)
    for row in rows:
        if row["idcs"] is None:  # the cap's row when no id is registered
            continue
        record = row["household"]
        if record is None or record["id"] is None:
            read[row["idcs"]] = (AskedPerson(row), None, (), None)
            continue
        built = households.get(record["id"])
        if built is None:
            household = Household._init_from_db(**record)
            if with_members:
                members = tuple(
                    (Membership._init_from_db(**m), Person._init_from_db(**p))
                    for m, p in zip(row["members"], row["persons"], strict=True))
                situations = tuple(
                    MemberSituation(m.relationship, p.birth_date, m.schooling,
                                    m.has_disability, p.sex) for m, p in members)
            else:
                members = None
                situations = tuple(MemberSituation(*s) for s in row["situations"])
            built = households[record["id"]] = (household, situations, members)
        read[row["idcs"]] = (AskedPerson(row), *built)
    return read


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


async def member_situations(household_ids: list[str], open_filter: Q
                            ) -> dict[str, list[MemberSituation]]:
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


def situation_of(idcs: str, person, household, situations: tuple[MemberSituation, ...],
               status: str | None, index_value: float | None, *,
               deceased: bool | None = None) -> Situation:
    return Situation(
        registered=person is not None,
        deceased=bool(person and person.death_date) if deceased is None else deceased,
        has_other_health_coverage=bool(person and person.has_other_health_coverage),
        in_household=household is not None,
        household_status=status,
        index_value=index_value,
        members=situations if household else (),
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
    members = await member_situations(household_ids, _open_on(day))
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
        situation = situation_of(
            idcs, person, household,
            tuple(members.get(str(household.id), ())) if household else (), status,
            index.value if index else None,
            deceased=bool(person and person.death_date and person.death_date <= day))
        answers.append(answer(idcs, program, situation, household,
                              index.formula_version if index else None, day, now,
                              decide_one))
    return answers
