"""The change feed: every change of a person's answer for a program, exact and in commit order.

`published_answers` holds, for each household member and each program the feed follows, the
answer last published. A write that can change answers takes a `watch` of the persons it
touches before it changes anything (their published answers; for a person without one, the
answer as it stands before the write), and `publish`es after its change, in its own
transaction: the answers are computed again, and each one that differs in `eligible`,
`reasons` or `monthlyAmount` yields one row of `eligibility_changes` (a transactional outbox:
the change commits with the write, or neither does). Persons in no household keep no published
answer: theirs follows from whether they are registered and alive (NO_HOUSEHOLD, or DECEASED and
NO_HOUSEHOLD), and a write that changes that publishes it like any other.

A change gets its `sequence` after its commit from the sequencer (`sequence`), which numbers every
committed change still without one, in the order of their ids, in one short transaction under
an advisory lock: a reader never sees a later sequence before an earlier one is visible, and the
lock is held for the numbering only, never across a write. Writes of one household are
serialised by the household's row lock, so a person's changes are numbered in the order their
writes committed.

A batch of households decided again (a rescore batch, the daily run) writes its changes
numbered instead, at the end of its transaction (`number_staged`): the batch's changes wait in
a temporary table; just before commit the batch takes the sequencer's lock, held to its commit,
numbers the committed changes still waiting, and inserts its own with the sequences that follow.
Hundreds of thousands of changes are then written once, never rewritten by the sequencer. The
lock is held for that insert and the commit only (a fraction of a second); writers numbering
their own changes meanwhile wait for it, readers do not (they read what is numbered).

The feed follows the programs in force. `apply` (`sijill programs apply`, daily) publishes what
the day changes: a program that came into force or a version taking effect (cause
PROGRAM_VERSION: every member's answer computed again), and ages reached since the last run
(AGE_REACHED: the households with a member whose birthday fell in between). It also forgets
changes past their retention.

Deciding a batch of households again (a rescore, the daily run) is done in SQL on PostgreSQL
(api/services/feed_sql.py: each member's answer computed, compared and published by one
statement per program), by the rule engine in Python elsewhere, and wherever the SQL declines.
"""

from __future__ import annotations

import calendar
import contextvars
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

import orjson
from tortoise import Tortoise
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from api.errors import BadUserInput
from api.models import EligibilityChange, Household, Membership, Person, PublishedAnswer
from api.programs.catalogue import catalogue
from api.programs.facts import MemberSituation, Situation
from api.programs.rules import NOT_REGISTERED, decider
from api.services import clock, feed_sql, paging
from api.services.sqlparams import Params

ADVISORY_LOCK_KEY = 0x5131_FEED
REDO_BATCH = 20_000  # households of a rescore batch decided again at once (one statement)
RETENTION_DAYS = 90
PAGE_MAX = 1000

CAUSES = ("REGISTRATION", "MEMBER_ADDED", "MEMBER_REMOVED", "DEATH", "DECLARATION_UPDATED",
          "RESCORE", "PROGRAM_VERSION", "PERSON_CORRECTED", "AGE_REACHED")
KINDS = ("BECAME_ELIGIBLE", "NO_LONGER_ELIGIBLE", "AMOUNT_CHANGED", "REASONS_CHANGED")


class Answer(NamedTuple):
    """What a change is about: a person's answer for a program."""

    eligible: bool
    reasons: tuple[str, ...]
    monthly_amount: int | None


UNREGISTERED = Answer(False, (NOT_REGISTERED,), None)
# The answer of a program the feed did not follow yet, for a member announced by `apply`.
NO_ANSWER = Answer(False, (), None)


class Evaluated(NamedTuple):
    """A person's answer for a program, with what a change shows beside it."""

    answer: Answer
    idcs: str
    household_id: str | None
    threshold: float
    formula_version: str | None
    amount_lines: tuple | None


def kind_of(before: Answer, after: Answer) -> str:
    if after.eligible and not before.eligible:
        return "BECAME_ELIGIBLE"
    if before.eligible and not after.eligible:
        return "NO_LONGER_ELIGIBLE"
    if before.monthly_amount != after.monthly_amount:
        return "AMOUNT_CHANGED"
    return "REASONS_CHANGED"


def followed(today: date) -> list[str]:
    """The programs the feed follows: those in force."""
    return [code for code, entry in catalogue().programs.items()
            if entry.versions[0].effective_from <= today]


# --- reading the facts and deciding ---------------------------------------------------------

async def members_of(household_ids: Iterable[str]) -> set[int]:
    ids = sorted({str(h) for h in household_ids})
    if not ids:
        return set()
    return set(await Membership.filter(household_id__in=ids, end_date=None
                                       ).values_list("person_id", flat=True))


async def evaluate(person_ids: Iterable[int], programs: list[str], today: date
                   ) -> dict[tuple[str, int], Evaluated]:
    """Each person's answer for each program today, as `eligibility` answers it (one
    statement on PostgreSQL, four queries elsewhere)."""
    ids = sorted(set(person_ids))
    if not ids or not programs:
        return {}
    deciders = {program: decider(program, today) for program in programs}
    out: dict[tuple[str, int], Evaluated] = {}
    for pid, situation, household in await _situations(ids):
        key = str(household.id) if household else None
        formula_version = household.index_formula_version if household else None
        for program, decide in deciders.items():
            decision = decide(situation)
            out[program, pid] = Evaluated(
                Answer(decision.eligible, decision.reasons, decision.monthly_amount),
                situation.idcs, key, decision.threshold, formula_version, decision.amount_lines)
    return out


async def _situations(ids: list[int]) -> list[tuple[int, Situation, Household | None]]:
    """(person id, situation, household row or None) of each registered person of `ids`."""
    from api.services import eligibility

    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect == "postgres":
        _, rows = await conn.execute_query(
            f"SELECT p.id AS person_id, p.idcs, p.death_date, p.has_other_health_coverage, "
            f"p.birth_date, p.sex, p.nationality, h AS household, "
            f"{eligibility.SITUATIONS_SQL} AS situations FROM {eligibility.PERSONS_SQL} "
            "WHERE p.id = ANY($1::int[])", [ids])
        out = []
        for row in rows:
            record = row["household"]
            household = Household._init_from_db(**record) \
                if record is not None and record["id"] is not None else None
            situations = tuple(MemberSituation(*m) for m in row["situations"]) \
                if household else ()
            out.append((row["person_id"], eligibility.situation_of(
                row["idcs"], eligibility.AskedPerson(tuple(row)[1:7]), household, situations,
                household.status if household else None,
                household.index_value if household else None), household))
        return out
    persons = await Person.filter(id__in=ids)
    memberships = {m.person_id: m for m in await Membership.filter(Q(person_id__in=ids),
                                                                   end_date=None)}
    household_ids = sorted({str(m.household_id) for m in memberships.values()})
    households = {str(h.id): h for h in await Household.filter(id__in=household_ids)} \
        if household_ids else {}
    members = await eligibility.member_situations(household_ids, Q(end_date=None))
    out = []
    for person in persons:
        membership = memberships.get(person.id)
        household = households.get(str(membership.household_id)) if membership else None
        key = str(household.id) if household else None
        out.append((person.id, eligibility.situation_of(
            person.idcs, person, household, tuple(members.get(key, ())) if household else (),
            household.status if household else None,
            household.index_value if household else None), household))
    return out


async def published(person_ids: Iterable[int], programs: list[str]
                    ) -> dict[tuple[str, int], Answer]:
    ids = sorted(set(person_ids))
    if not ids or not programs:
        return {}
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect == "postgres":
        _, rows = await conn.execute_query(
            "SELECT program, person_id, eligible, reasons, monthly_amount FROM "
            "published_answers WHERE person_id = ANY($1::int[]) AND program = ANY($2::varchar[])",
            [ids, programs])
        return {(r[0], r[1]): Answer(r[2], _split(r[3]), r[4]) for r in rows}
    return {(row.program, row.person_id): Answer(row.eligible, _split(row.reasons),
                                                 row.monthly_amount)
            for row in await PublishedAnswer.filter(person_id__in=ids, program__in=programs)}


async def published_in(household_ids: list[str], programs: list[str]
                       ) -> dict[tuple[str, int], tuple] | None:
    """On PostgreSQL, the published answers of these households' current members, as
    (eligible, reasons joined by commas, amount) — compared as they are, made Answers only
    for the few that change; None elsewhere (read by person once the members are known)."""
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect != "postgres" or not household_ids:
        return None
    import uuid

    _, rows = await conn.execute_query(
        # the members first, then their answers by the (person, program) key: a join lets
        # the planner scan all the answers of a large register
        "SELECT pa.program, pa.person_id, pa.eligible, pa.reasons, pa.monthly_amount "
        "FROM published_answers pa WHERE pa.person_id = ANY(ARRAY("
        "SELECT m.person_id FROM memberships m WHERE m.household_id = ANY($1::uuid[]) "
        "AND m.end_date IS NULL)) AND pa.program = ANY($2::varchar[])",
        [[uuid.UUID(h) for h in household_ids], programs])
    return {(r[0], r[1]): (r[2], r[3], r[4]) for r in rows}  # (eligible, reasons text, amount)


@lru_cache(maxsize=4096)
def _split(reasons: str) -> tuple[str, ...]:
    return tuple(reasons.split(",")) if reasons else ()


# --- a write: watch, then publish ------------------------------------------------------------

@dataclass
class Watch:
    """The answers of the persons a write may change, as they stood before it."""

    households: set[str]
    persons: set[int]
    before: dict[tuple[str, int], Answer]
    stored: dict[tuple[str, int], Answer]
    programs: list[str]
    today: date


async def watch(*, households: Iterable[str] = (), persons: Iterable[int] = ()) -> Watch:
    """Called inside the write's transaction, once the rows it changes are locked and before
    it changes them."""
    today = clock.today()
    programs = followed(today)
    household_ids = {str(h) for h in households}
    ids = set(persons) | await members_of(household_ids)
    stored = await published(ids, programs)
    before = dict(stored)
    missing = {pid for pid in ids if any((p, pid) not in before for p in programs)}
    if missing:
        # A member without a published answer for a program the daily run has not announced
        # yet (new, or in force since today) had no answer: the write announces the first.
        unannounced = await _unannounced(programs)
        for key, evaluated in (await evaluate(missing, programs, today)).items():
            if key[0] in unannounced and evaluated.household_id is not None:
                before.setdefault(key, NO_ANSWER)
            before.setdefault(key, evaluated.answer)
    return Watch(household_ids, ids, before, stored, programs, today)


async def _unannounced(programs: list[str]) -> set[str]:
    """The programs `apply` has not marked yet (it announces every member's first answer)."""
    conn = Tortoise.get_connection("default")
    rows = await conn.execute_query_dict(
        "SELECT name FROM feed_marks WHERE name LIKE 'version:%'")
    return set(programs) - {row["name"].split(":", 1)[1] for row in rows}


async def publish(seen: Watch, cause: str, *, households: Iterable[str] = (),
                  persons: Iterable[int] = ()) -> int:
    """Called in the write's transaction after its change: the changes of every answer the
    write changed, and the published answers brought up to date. `households`, `persons`:
    more to look at than the watch named (a household or a person the write created; their
    answers before it were: not registered). Returns the number of changes written."""
    seen.households.update(str(h) for h in households)
    ids = seen.persons | set(persons) | await members_of(seen.households)
    if not ids:
        return 0
    after = await evaluate(ids, seen.programs, seen.today)
    in_household = {pid for (_, pid), evaluated in after.items()
                    if evaluated.household_id is not None}
    return await _record(after, seen.before, cause, seen.programs, ids,
                         in_household=in_household, stored=seen.stored)


async def _record(after: dict[tuple[str, int], Evaluated], before: dict[tuple[str, int], Answer],
                  cause: str, programs: list[str], ids: Iterable[int], *,
                  in_household: set[int], default: Answer = UNREGISTERED,
                  silent: bool = False, stored: dict[tuple[str, int], Answer] | None = None,
                  staged: bool = False) -> int:
    """Write the changes from `before` (a missing answer: `default`) to `after`, and bring the
    published answers of `ids` up to date: kept for members of a household, dropped for the
    others. `silent`: the answers are recorded as the baseline, without changes. `stored`: the
    published answers as they are (`before` when omitted): only those that differ are
    written. `staged`: the changes are staged for `number_staged` (PostgreSQL)."""
    stored = before if stored is None else stored
    now = clock.now()
    changes: list[tuple] = []
    keep: list[tuple[str, int, Answer]] = []
    for (program, pid), evaluated in after.items():
        new = evaluated.answer
        old = before.get((program, pid), default)
        if not silent and new != old:
            changes.append((
                program, pid, evaluated.idcs, now, kind_of(old, new), cause, new.eligible,
                ",".join(new.reasons), new.monthly_amount,
                None if evaluated.amount_lines is None
                else json.dumps([list(line) for line in evaluated.amount_lines]),
                evaluated.threshold, evaluated.formula_version, evaluated.household_id))
        if pid in in_household and stored.get((program, pid)) != new:
            keep.append((program, pid, new))
    conn = Tortoise.get_connection("default")
    if changes:
        ids_written = await _insert_changes(conn, changes, staged=staged)
        written = _wrote.get()
        if written is not None and not staged:
            written.append(ids_written)
    stored_persons = {pid for _, pid in stored}
    await _store(conn, keep, [pid for pid in ids if pid not in in_household
                              and pid in stored_persons], programs)
    return len(changes)


_CHANGE_COLUMNS = ("program", "person_id", "idcs", "at", "kind", "cause", "eligible", "reasons",
                   "monthly_amount", "amount_lines", "threshold", "formula_version",
                   "household_id")
_CHANGE_TYPES = ("varchar", "int", "varchar", "timestamptz", "varchar", "varchar", "bool",
                 "varchar", "int", "jsonb", "float8", "varchar", "varchar")


async def _insert_changes(conn, rows: list[tuple], *, staged: bool = False) -> list[int]:
    """Their ids on PostgreSQL (a writer numbers its own changes after its commit); none
    elsewhere (SQLite serialises writers: its sweep finds them at once), nor when `staged`
    (PostgreSQL: into the staging table, numbered by `number_staged`)."""
    columns = ", ".join(_CHANGE_COLUMNS)
    if conn.capabilities.dialect == "postgres":
        arrays = ", ".join(f"${i}::{t}[]" for i, t in enumerate(_CHANGE_TYPES, start=1))
        values = [list(column) for column in zip(*rows, strict=True)]
        if staged:
            await conn.execute_script(feed_sql.STAGE)
            await conn.execute_query(f"INSERT INTO {feed_sql.STAGED} ({columns}) "
                                     f"SELECT * FROM unnest({arrays})", values)
            return []
        inserted = await conn.execute_query_dict(  # (execute_query returns no rows of an INSERT)
            f"INSERT INTO eligibility_changes ({columns}) SELECT * FROM unnest({arrays}) "
            "RETURNING id", values)
        return [row["id"] for row in inserted]
    marks = ", ".join("?" for _ in _CHANGE_COLUMNS)
    await conn.execute_many(f"INSERT INTO eligibility_changes ({columns}) VALUES ({marks})",
                            [[str(v) if isinstance(v, datetime) else v for v in row]
                             for row in rows])
    return []


async def _store(conn, keep: list[tuple[str, int, Answer]], dropped: list[int],
                 programs: list[str]) -> None:
    if dropped:
        await PublishedAnswer.filter(person_id__in=sorted(dropped), program__in=programs).delete()
    if not keep:
        return
    upsert = ("INSERT INTO published_answers (program, person_id, eligible, reasons, "
              "monthly_amount) {} ON CONFLICT (person_id, program) DO UPDATE SET "
              "eligible = excluded.eligible, reasons = excluded.reasons, "
              "monthly_amount = excluded.monthly_amount")
    rows = [(program, pid, answer.eligible, ",".join(answer.reasons), answer.monthly_amount)
            for program, pid, answer in keep]
    if conn.capabilities.dialect == "postgres":
        await conn.execute_query(upsert.format(
            "SELECT * FROM unnest($1::varchar[], $2::int[], $3::bool[], $4::varchar[], "
            "$5::int[])"), [list(column) for column in zip(*rows, strict=True)])
        return
    await conn.execute_many(upsert.format("VALUES (?, ?, ?, ?, ?)"), [list(r) for r in rows])


# --- the sequencer -----------------------------------------------------------------------------

# Whether the current request or command wrote changes (set by `_record`): a mutation that did
# numbers them after its commit, one that did not takes no lock and reads nothing.
_wrote: contextvars.ContextVar[list | None] = contextvars.ContextVar("feed_wrote", default=None)


def start_request() -> None:
    _wrote.set([])  # a list: what a resolver run in a task of its own appends is seen here


def wrote_changes() -> bool:
    return bool(_wrote.get())


def changes_written() -> list[int]:
    """The ids of the changes the current request wrote (PostgreSQL)."""
    return [i for ids in _wrote.get() or () for i in ids]


async def sequence(*, full: bool = True, own: list[int] | None = None,
                   chunk: int = 50_000) -> int:
    """Number every committed change still without a sequence, in id order, in short
    transactions of at most `chunk` changes (on PostgreSQL under the feed's advisory lock);
    returns how many. `full=False`: only if a change newer than every numbered one exists (an
    index lookup on the id, cheap whatever the table holds): what a reader does before reading;
    a change of a transaction that committed after a later one was numbered waits for the next
    full run (the deliverer's, once a minute; `sijill programs apply`). `own`: a writer's
    changes, numbered with every change newer than the newest numbered — index lookups on the
    id, never a walk of the unnumbered ones (which the dead rows of a large rescore slow down
    until vacuumed); out of id order only for other persons than the writer's, whose changes
    its household's lock orders."""
    conn = Tortoise.get_connection("default")
    if own:  # PostgreSQL: one statement (migration 20), run by every mutation that wrote
        # changes after its commit, under the lock until the statement ends
        return (await conn.execute_query_dict(
            "SELECT sijill_number_own($1, $2) AS n", [ADVISORY_LOCK_KEY, own]))[0]["n"]
    if full:
        waiting = bool(await conn.execute_query_dict(
            "SELECT id FROM eligibility_changes WHERE sequence IS NULL LIMIT 1"))
    else:  # the newest id (the primary key's last entry) against the newest numbered
        newest = (await conn.execute_query_dict(
            "SELECT max(id) AS id FROM eligibility_changes"))[0]["id"]
        waiting = newest is not None and newest > await _mark(conn, "sequenced_id")
    if not waiting:
        return 0  # nothing waits: no transaction, no lock
    done = 0
    while True:
        numbered = await _sequence_chunk(chunk, wait=full)
        done += numbered
        if numbered < chunk:
            return done


async def _sequence_chunk(chunk: int, *, wait: bool = True) -> int:
    async with in_transaction() as conn:
        p = Params(conn)
        if p.postgres and wait:
            await conn.execute_query("SELECT pg_advisory_xact_lock($1)", [ADVISORY_LOCK_KEY])
        elif p.postgres and not (await conn.execute_query_dict(
                "SELECT pg_try_advisory_xact_lock($1) AS got", [ADVISORY_LOCK_KEY]))[0]["got"]:
            return 0  # numbering under way (a batch's, held to its commit): read what is numbered
        pending = [row["id"] for row in await conn.execute_query_dict(
            "SELECT id FROM eligibility_changes WHERE sequence IS NULL ORDER BY id "
            f"LIMIT {int(chunk)}")]
        if not pending:
            # every visible change is numbered: the readers' probe starts after the newest
            newest = await conn.execute_query_dict("SELECT max(id) AS id FROM eligibility_changes")
            if newest and newest[0]["id"] is not None:
                await _set_mark(conn, "sequenced_id", int(newest[0]["id"]))
            return 0
        await _number(conn, pending)
        return len(pending)


async def _number(conn, pending: list[int]) -> None:
    """Number these changes (ids in ascending order) after the last sequence (under the lock)."""
    p = Params(conn)
    last = await _mark(conn, "sequenced")
    if p.postgres:
        await conn.execute_query(
            "UPDATE eligibility_changes c SET sequence = $1 + n.ord FROM unnest($2::bigint[]) "
            "WITH ORDINALITY AS n(id, ord) WHERE c.id = n.id", [last, pending])
    else:
        await conn.execute_many(
            "UPDATE eligibility_changes SET sequence = ? WHERE id = ?",
            [[last + i, change_id] for i, change_id in enumerate(pending, start=1)])
    await _set_mark(conn, "sequenced", last + len(pending))
    await _set_mark(conn, "sequenced_id", max(pending[-1], await _mark(conn, "sequenced_id")))


async def number_staged() -> int:
    """At the end of a transaction that staged changes (`_redo_in` on PostgreSQL), just before
    its commit: take the sequencer's lock (held to the commit), number the committed changes
    still waiting and this transaction's own unstaged ones (decided in Python), then insert the
    staged changes with the sequences that follow. Returns how many were staged. A transaction
    that staged changes and commits without this loses them (the table empties at commit);
    it must run in that transaction. With nothing staged it takes no lock. On SQLite, which
    stages nothing (it serialises writers), the transaction's changes are numbered with the
    others waiting."""
    conn = Tortoise.get_connection("default")
    postgres = conn.capabilities.dialect == "postgres"
    if postgres and not (await conn.execute_query_dict(
            "SELECT to_regclass($1) IS NOT NULL AS here", [feed_sql.STAGED]))[0]["here"]:
        return 0  # (the table is made by the first staging on this connection)
    if postgres and not (await conn.execute_query_dict(
            f"SELECT EXISTS (SELECT FROM {feed_sql.STAGED}) AS some"))[0]["some"]:
        return 0
    if postgres:
        await conn.execute_query("SELECT pg_advisory_xact_lock($1)", [ADVISORY_LOCK_KEY])
    pending = [row["id"] for row in await conn.execute_query_dict(
        "SELECT id FROM eligibility_changes WHERE sequence IS NULL ORDER BY id")]
    if pending:
        await _number(conn, pending)
    if not postgres:
        return 0
    columns = ", ".join(_CHANGE_COLUMNS)
    last = await _mark(conn, "sequenced")
    moved = (await conn.execute_query_dict(
        f"WITH i AS (INSERT INTO eligibility_changes (sequence, {columns}) "
        f"SELECT $1 + row_number() OVER (ORDER BY ord), {columns} FROM {feed_sql.STAGED} "
        "ORDER BY ord RETURNING id) SELECT count(*) AS n, max(id) AS newest FROM i",
        [last]))[0]
    await conn.execute_script(f"TRUNCATE {feed_sql.STAGED}")
    if moved["n"]:
        await _set_mark(conn, "sequenced", last + moved["n"])
        await _set_mark(conn, "sequenced_id", max(moved["newest"],
                                                  await _mark(conn, "sequenced_id")))
    return moved["n"]


async def _mark(conn, name: str, default: int = 0) -> int:
    p = Params(conn)
    rows = await conn.execute_query_dict(f"SELECT value FROM feed_marks WHERE name = {p(name)}",
                                         p.values)
    return int(rows[0]["value"]) if rows else default


async def _set_mark(conn, name: str, value: int) -> None:
    p = Params(conn)
    await conn.execute_query(
        f"INSERT INTO feed_marks (name, value) VALUES ({p(name)}, {p(value)}) "
        "ON CONFLICT (name) DO UPDATE SET value = excluded.value", p.values)


# --- reading the feed --------------------------------------------------------------------------

def encode_cursor(sequence_no: int) -> str:
    return paging.encode_cursor("change", sequence_no)


async def changes_page(program: str, *, first: int = 100, after: str | None = None
                       ) -> tuple[list[EligibilityChange], bool]:
    """The program's changes after the cursor, in sequence order (`first` up to 1 000); a
    cursor older than the retained changes is refused."""
    if not 0 <= first <= PAGE_MAX:
        raise BadUserInput(f"`first` is from 0 to {PAGE_MAX}.", field="first")
    since = 0 if after is None else paging.decode_cursor(after, "change", _sequence_number)
    await sequence(full=False)
    conn = Tortoise.get_connection("default")
    if after is not None and since < await _mark(conn, "pruned_through"):
        raise BadUserInput("This cursor is older than the changes kept (90 days): start again "
                           "from the answers of today.", field="after")
    if conn.capabilities.dialect == "postgres":  # rows as tuples: no model per change
        _, records = await conn.execute_query(
            f"SELECT {', '.join(ChangeRow._fields)} FROM eligibility_changes WHERE program = $1 "
            "AND sequence > $2 ORDER BY sequence LIMIT $3", [program, since, first + 1])
        rows = [ChangeRow(*record) for record in records]
    else:
        rows = await EligibilityChange.filter(program=program, sequence__gt=since
                                              ).order_by("sequence").limit(first + 1)
    return rows[:first], len(rows) > first


class ChangeRow(NamedTuple):
    """A change as the feed reads it (the attributes of an EligibilityChange it uses)."""

    sequence: int
    program: str
    idcs: str
    at: datetime
    kind: str
    cause: str
    eligible: bool
    reasons: str
    monthly_amount: int | None
    amount_lines: object
    threshold: float
    formula_version: str | None
    household_id: str | None


def _sequence_number(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


def reasons_of(change: EligibilityChange) -> tuple[str, ...]:
    return _split(change.reasons)


# --- the day's changes: `sijill programs apply` ----------------------------------------------

@dataclass
class ApplyReport:
    programs: dict[str, str] = field(default_factory=dict)  # code → what was done
    households: int = 0
    changes: int = 0
    pruned: int = 0

    def __str__(self) -> str:
        lines = [f"{code}: {what}" for code, what in sorted(self.programs.items())]
        lines.append(f"{self.households} households looked at, {self.changes} changes "
                     f"published, {self.pruned} changes past retention removed")
        return "\n".join(lines)


async def apply(*, baseline: bool = False, retention_days: int = RETENTION_DAYS,
                batch_size: int = 2000) -> ApplyReport:
    """Publish what today changes (idempotent: a second run the same day finds nothing new).
    `baseline`: record every member's answer without publishing changes (a register loaded
    or migrated without the feed)."""
    today = clock.today()
    report = ApplyReport()
    conn = Tortoise.get_connection("default")
    everything: dict[str, str] = {}  # program → cause, for programs whose every answer is redone
    ages: dict[str, date] = {}  # program → the day of its last run
    for code in followed(today):
        version_from = catalogue()[code].version_on(today).effective_from.toordinal()
        seen_version = await _mark(conn, f"version:{code}", -1)
        applied_on = await _mark(conn, f"applied_on:{code}", -1)
        if baseline:
            everything[code] = "BASELINE"
            report.programs[code] = "baseline recorded"
        elif seen_version == -1:
            everything[code] = "NEW"
            report.programs[code] = "new to the feed: every member's answer published"
        elif seen_version != version_from:
            everything[code] = "PROGRAM_VERSION"
            report.programs[code] = (f"version of {date.fromordinal(version_from).isoformat()} "
                                     "in force: every member's answer computed again")
        elif applied_on < today.toordinal() and "today" in catalogue()[code].version_on(
                today).reads:
            # a rule that reads the date itself may answer otherwise any day, for anyone
            everything[code] = "AGE_REACHED"
            report.programs[code] = "its rules read today's date: every member's answer " \
                                    "computed again"
        elif applied_on < today.toordinal():
            ages[code] = date.fromordinal(applied_on)
            report.programs[code] = "ages reached since " + ages[code].isoformat()
        else:
            report.programs[code] = "up to date"
    if everything:
        async for batch in _household_batches(batch_size):
            report.households += len(batch)
            report.changes += await _redo(batch, everything, today)
    if ages:
        since = min(ages.values())
        batch_ids = await _households_with_birthdays(since, today)
        report.households += len(batch_ids)
        for start in range(0, len(batch_ids), batch_size):
            report.changes += await _redo(batch_ids[start:start + batch_size],
                                          {code: "AGE_REACHED" for code in ages}, today)
    async with in_transaction() as tx:
        for code in followed(today):
            version_from = catalogue()[code].version_on(today).effective_from.toordinal()
            await _set_mark(tx, f"version:{code}", version_from)
            await _set_mark(tx, f"applied_on:{code}", today.toordinal())
    await sequence()
    report.pruned = await prune(retention_days)
    return report


async def baseline(household_ids: list[str], batch_size: int = 2000) -> None:
    """Record these households' members' answers as they are, without changes: households
    loaded in bulk (the demo data, a migrated register)."""
    today = clock.today()
    causes = {code: "BASELINE" for code in followed(today)}
    for start in range(0, len(household_ids), batch_size):
        await _redo(household_ids[start:start + batch_size], causes, today)


_INDEX_FIELDS = frozenset({("Household", "index"), ("Household", "status")})
# the fact paths (cel.references) a criterion decided from the index alone may read
_INDEX_FACTS = frozenset({"household.index", "household.status", "threshold", "today"})


def index_criteria(version) -> tuple[tuple[str, object], ...] | None:
    """The criteria whose outcome an index can change, as functions of a minimal environment
    (the household's index and status, the threshold, today); None when the version's
    answers may depend on the index otherwise (a definition or an amount reads it, or a
    criterion reads it beside other facts)."""
    reads_index = [e for _, e in version.definitions] + [line.amount for line in
                                                         version.amount_lines]
    if any(e.fields & _INDEX_FIELDS for e in reads_index):
        return None
    out = []
    for criterion in version.criteria:
        rule = criterion.rule
        if rule.fields & _INDEX_FIELDS:
            if not rule.fields <= _INDEX_FIELDS or not rule.facts <= _INDEX_FACTS:
                return None
            out.append((criterion.reason, rule.evaluate.raw))
    return tuple(out)


def _outcomes(criteria, env: dict) -> tuple:
    """The outcomes of the criteria over `env` (`{"household": {"index", "status"},
    "threshold", "today"}`), an expression that fails counting as an outcome of its own."""
    household = env["household"]
    found: list = [household["status"] == "ACTIVE" and household["index"] is not None]
    for _reason, holds in criteria:
        try:
            found.append(holds(env))
        except Exception:  # noqa: BLE001 - an expression that fails: an outcome of its own
            found.append("error")
    return tuple(found)


async def rescored(moved: dict[str, tuple[float | None, float, str]]) -> int:
    """In a rescore batch's transaction, once its households are scored (`moved`: each one's
    index before and after, and its status, as `scoring.score_batch` answers, read under the
    batch's row locks): the changes of their members' answers (cause RESCORE). Only the
    households whose new index can change an answer are read again: those whose index
    changed across a criterion that reads it (every changed household when a program's rules
    read the index otherwise). The changes are staged: the caller runs `number_staged`
    before its commit."""
    today = clock.today()
    programs = followed(today)
    tests = []
    for code in programs:
        version = catalogue()[code].version_on(today)
        tests.append((code, index_criteria(version), version.threshold))
    iso = today.isoformat()
    # households by the programs whose answers their new index can change: only those
    # programs decide again (a household crossing one program's threshold is not decided
    # again for the others)
    redo: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for hid, (old, new, status) in moved.items():
        if old == new:
            continue
        before = {"household": {"index": old, "status": status}, "today": iso}
        after = {"household": {"index": new, "status": status}, "today": iso}
        changed = []
        for code, criteria, threshold in tests:
            before["threshold"] = after["threshold"] = threshold
            if criteria is None or _outcomes(criteria, before) != _outcomes(criteria, after):
                changed.append(code)
        if changed:
            redo[tuple(changed)].append(hid)
    written = 0
    for codes, hids in redo.items():
        some = {code: "RESCORE" for code in codes}
        for start in range(0, len(hids), REDO_BATCH):
            written += await _redo(hids[start:start + REDO_BATCH], some, today,
                                   transaction=False)
    return written


async def _redo(household_ids: list[str], causes: dict[str, str], today: date, *,
                transaction: bool = True) -> int:
    """Compute again the answers of these households' members for these programs, in one
    transaction (`transaction=False`: in the caller's), and publish what changed."""
    if not transaction:  # a rescore batch: its households are locked already; it numbers
        return await _redo_in(household_ids, causes, today)  # the changes before its commit
    async with in_transaction() as conn:
        # the households' row locks, as every write takes them: a write committing meanwhile
        # is read whole, after its own changes, never half
        await lock_households(conn, household_ids)
        written = await _redo_in(household_ids, causes, today)
        await number_staged()
        return written


async def lock_households(conn, household_ids: list[str]) -> None:
    """Lock the households' rows in id order (PostgreSQL; SQLite serialises writers)."""
    if conn.capabilities.dialect != "postgres" or not household_ids:
        return
    import uuid

    await conn.execute_query(
        'SELECT 1 FROM "households" WHERE "id" = ANY($1::uuid[]) ORDER BY "id" FOR UPDATE',
        [sorted(uuid.UUID(h) for h in household_ids)])


async def _redo_in(household_ids: list[str], causes: dict[str, str], today: date) -> int:
    """Decide the households' members again and stage the changes (PostgreSQL; the caller
    numbers them with `number_staged` before its commit)."""
    staged = await feed_sql.publish(household_ids, causes, today)  # in SQL where it can
    if staged is not None:
        return staged
    written = 0
    programs = sorted(causes)
    raw = await published_in(household_ids, programs)
    # (on PostgreSQL, `after` holds only the answers that differ from the published ones)
    after, ids = await evaluate_households(household_ids, programs, today, raw)
    if not ids:
        return 0
    if raw is None:
        before = await published(ids, programs)
    else:
        before = {key: Answer(found[0], _split(found[1]), found[2])
                  for key in after if (found := raw.get(key)) is not None}
    by_cause: dict[str, list[str]] = defaultdict(list)
    for code, cause in causes.items():
        by_cause[cause].append(code)
    for cause, codes in by_cause.items():
        subset = after if len(by_cause) == 1 else \
            {k: v for k, v in after.items() if k[0] in codes}
        if cause in ("BASELINE", "NEW"):
            # a new program: a member's first answer is a change from no answer; the
            # baseline: recorded as it is, no change
            written += await _record(subset, before, "PROGRAM_VERSION", codes, ids,
                                     in_household=ids, default=NO_ANSWER,
                                     silent=cause == "BASELINE", staged=True)
        else:
            # a member without a published answer (written outside the feed) is recorded
            # as it is now
            known = {k: before.get(k, v.answer) for k, v in subset.items()}
            written += await _record(subset, known, cause, codes, ids, in_household=ids,
                                     stored=before, staged=True)
    return written


# What each fact of a person is read from, in a situation: two members whose facts a version
# reads are the same get the same answer, computed once per household.
# (The columns of a member's row in _HOUSEHOLDS_WITH_MEMBERS.)
_MEMBER_COLUMN = {"idcs": 1, "deceased": 2, "hasOtherHealthCoverage": 3, "age": 4, "sex": 5,
                  "nationality": 6}

_HOUSEHOLDS_WITH_MEMBERS = """
SELECT h AS household, ARRAY(
    SELECT ROW(p.id, p.idcs, p.death_date, p.has_other_health_coverage, p.birth_date, p.sex,
               p.nationality, m.relationship, m.schooling, m.has_disability)
    FROM memberships m JOIN persons p ON p.id = m.person_id
    WHERE m.household_id = h.id AND m.end_date IS NULL ORDER BY m.id) AS members
FROM households h WHERE h.id = ANY($1::uuid[])"""


async def evaluate_households(household_ids: list[str], programs: list[str], today: date,
                              unchanged: dict[tuple[str, int], tuple] | None = None
                              ) -> tuple[dict[tuple[str, int], Evaluated], set[int]]:
    """The answers of these households' current members (and their person ids). On
    PostgreSQL one statement reads them; each program decides once per household for members
    whose facts it reads are the same, and an answer equal to the one `unchanged` holds for
    the member (as `published_in` gives it) is left out."""
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect != "postgres" or not household_ids:
        ids = await members_of(household_ids)
        return await evaluate(ids, programs, today), ids
    import uuid

    _, rows = await conn.execute_query(_HOUSEHOLDS_WITH_MEMBERS,
                                       [[uuid.UUID(h) for h in household_ids]])
    deciders = {}
    signatures = {}
    for program in programs:
        version = catalogue()[program].version_on(today)
        deciders[program] = decider(program, today)
        read = version.needs.get("Person", frozenset())
        signatures[program] = tuple(sorted({_MEMBER_COLUMN[name] for name in read}))
    out: dict[tuple[str, int], Evaluated] = {}
    ids: set[int] = set()
    for row in rows:
        household = row["household"]
        members = row["members"]
        if not members:
            continue
        situations = tuple(MemberSituation(m[7], m[4], m[8], m[9], m[5]) for m in members)
        key, status, index = str(household["id"]), household["status"], household["index_value"]
        formula_version = household["index_formula_version"]
        ids.update(m[0] for m in members)
        for program, decide in deciders.items():
            columns = signatures[program]
            decided: dict[tuple, tuple] = {}
            for m in members:
                signature = (m[2] is None, *(m[c] for c in columns))
                found = decided.get(signature)
                if found is None:
                    decision = decide(Situation(
                        registered=True, deceased=m[2] is not None,
                        has_other_health_coverage=bool(m[3]), in_household=True,
                        household_status=status, index_value=index, members=situations,
                        idcs=m[1], birth_date=m[4], sex=m[5], nationality=m[6],
                        milieu=household["milieu"], region=household["region_id"],
                        province=household["province_id"]))
                    found = decided[signature] = (
                        Answer(decision.eligible, decision.reasons, decision.monthly_amount),
                        decision.threshold, decision.amount_lines,
                        (decision.eligible, ",".join(decision.reasons),
                         decision.monthly_amount))
                if unchanged is not None and unchanged.get((program, m[0])) == found[3]:
                    continue
                out[program, m[0]] = Evaluated(found[0], m[1], key, found[1], formula_version,
                                               found[2])
    return out, ids


async def _household_batches(size: int):
    """The ids of the households not closed, in id order, in batches."""
    last: str | None = None
    while True:
        query = Household.exclude(status="CLOSED").order_by("id").limit(size)
        if last is not None:
            query = query.filter(id__gt=last)
        rows = [str(r) for r in await query.values_list("id", flat=True)]
        if not rows:
            return
        last = rows[-1]
        yield rows


async def _households_with_birthdays(since: date, today: date) -> list[str]:
    """Households with a current member whose birthday (month and day) fell after `since` and
    on or before `today` (29 February counted on 1 March in other years, as ages are)."""
    days = set()
    for d in _days(since, today):
        days.add(f"{d.month:02d}-{d.day:02d}")
        if d.month == 3 and d.day == 1 and not calendar.isleap(d.year):
            days.add("02-29")  # born on 29 February: a year older on 1 March
    if not days:
        return []
    conn = Tortoise.get_connection("default")
    p = Params(conn)
    month_day = "to_char(p.birth_date, 'MM-DD')" if p.postgres \
        else "strftime('%m-%d', p.birth_date)"
    rows = await conn.execute_query_dict(
        "SELECT DISTINCT m.household_id AS id FROM memberships m JOIN persons p ON p.id = "
        f"m.person_id WHERE m.end_date IS NULL AND {month_day} IN ({p.each(sorted(days))})",
        p.values)
    return sorted(str(r["id"]) for r in rows)


def _days(since: date, today: date) -> list[date]:
    if today <= since:
        return []
    span = min((today - since).days, 366)
    return [today - timedelta(days=i) for i in range(span)]


async def prune(retention_days: int = RETENTION_DAYS) -> int:
    """Forget the changes older than the retention (at least 90 days)."""
    retention_days = max(retention_days, RETENTION_DAYS)
    horizon: datetime = clock.now() - timedelta(days=retention_days)
    async with in_transaction() as conn:
        doomed = await EligibilityChange.filter(at__lt=horizon, sequence__not_isnull=True
                                                ).order_by("-sequence").first()
        if doomed is None:
            return 0
        count = await EligibilityChange.filter(sequence__lte=doomed.sequence).delete()
        await _set_mark(conn, "pruned_through", int(doomed.sequence))
        return count


def amount_lines_of(change: EligibilityChange):
    if change.amount_lines is None:
        return None
    lines = change.amount_lines if not isinstance(change.amount_lines, str) \
        else orjson.loads(change.amount_lines)
    return tuple((label, amount) for label, amount in lines)
