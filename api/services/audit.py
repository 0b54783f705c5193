"""The audit log: one hash-chained record per GraphQL operation, written before the response.

Chain: `hash = SHA-256(previous_hash + canonical JSON of the record)`, `sequence` gap-free from 1.
Only one appender at a time extends the chain: a transaction-scoped advisory lock on PostgreSQL
(SQLite serialises writers itself). Reads' records of concurrent requests are appended together
(group commit, `AuditWriter`). A mutation's record is written in the mutation's transaction
without that lock (`enqueue`, into `audit_queue`) and chained after the commit, with every other
queued record, by one call of the sequencer (`sequence`): the lock is held for the sequencing
only, never across a mutation's work and commit. No caller is answered before its record is
durable.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tortoise.connection import get_connection
from tortoise.exceptions import IntegrityError
from tortoise.expressions import RawSQL, Subquery
from tortoise.transactions import in_transaction

from api.errors import BadUserInput
from api.models import AuditEvent, AuditSubject, AuditVerifiedPoint
from api.services import paging

log = logging.getLogger("sijill.audit")

GENESIS_HASH = "0" * 64
ADVISORY_LOCK_KEY = 0x5131_11A0  # any constant shared by every worker
OUTCOMES = ("ALLOWED", "DENIED", "ERROR")
# Records behind the last verified point that each `auditChain` call rehashes (see `sweep`),
# and the span of one pass in the sequences of the sweep's markers (`_marker`).
SWEEP_WINDOW = 500
SWEEP_PASS = 10**12

# Subjects (IDCS, household ids) whose data the current request returned or changed.
_subjects: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("audit_subjects",
                                                                          default=None)


def start_collecting() -> set[str]:
    subjects: set[str] = set()
    _subjects.set(subjects)
    return subjects


def collected() -> set[str]:
    """A copy of the subjects collected so far."""
    return set(_subjects.get() or ())


def restore(previous: set[str]) -> None:
    """The subjects back to `previous` (what a failed attempt added is forgotten)."""
    subjects = _subjects.get()
    if subjects is not None:
        subjects.clear()
        subjects.update(previous)


def record_subject(value: str | None) -> None:
    subjects = _subjects.get()
    if subjects is not None and value:
        subjects.add(str(value))


@dataclass
class AuditRecord:
    actor: str
    roles: list[str]
    program: str | None
    purpose: str | None
    operation: str
    operation_type: str
    fields: list[str]
    subjects: list[str]
    outcome: str
    error_code: str | None
    request_id: str
    policy_version: str
    denied_fields: list[str] = field(default_factory=list)
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    client_request_id: str | None = None  # the X-Request-Id the client sent, if any
    client_address: str | None = None  # refusals before authentication: who sent them
    count: int | None = None  # an aggregated record: how many refusals it stands for
    catalogue_version: str | None = None  # the program catalogue's, beside the policy's


def _timestamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(sequence: int, record: AuditRecord) -> str:
    """The record as hashed and exported: keys sorted, no spaces, UTF-8."""
    body = {
        "sequence": sequence,
        "at": _timestamp(record.at),
        "actor": record.actor,
        "roles": sorted(record.roles),
        "program": record.program,
        "purpose": record.purpose,
        "operation": record.operation,
        "operationType": record.operation_type,
        "fields": sorted(record.fields),
        "deniedFields": sorted(record.denied_fields),
        "subjects": sorted(record.subjects),
        "outcome": record.outcome,
        "errorCode": record.error_code,
        "requestId": record.request_id,
        "policyVersion": record.policy_version,
    }
    # Keys of release 1.1, present only when set: the records written before keep their hash.
    for key, value in (("clientRequestId", record.client_request_id),
                       ("clientAddress", record.client_address), ("count", record.count),
                       ("catalogueVersion", record.catalogue_version)):
        if value is not None:
            body[key] = value
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def canonical_parts(record: AuditRecord) -> tuple[str, str]:
    """The canonical JSON cut around its sequence number:
    `head + str(sequence) + tail == canonical(sequence, record)` (keys are sorted, so
    `"sequence"` is followed by `"subjects"`; a quote inside a value is escaped)."""
    text = canonical(0, record)
    cut = text.index(',"sequence":0,"subjects":') + len(',"sequence":')
    return text[:cut], text[cut + 1:]


def chain_hash(previous_hash: str, canonical_json: str) -> str:
    return hashlib.sha256((previous_hash + canonical_json).encode("utf-8")).hexdigest()


def record_of(event: AuditEvent) -> AuditRecord:
    return AuditRecord(
        actor=event.actor, roles=list(event.roles), program=event.program, purpose=event.purpose,
        operation=event.operation, operation_type=event.operation_type,
        fields=list(event.fields_selected), subjects=list(event.subjects), outcome=event.outcome,
        denied_fields=list(event.denied_fields),
        error_code=event.error_code, request_id=event.request_id,
        policy_version=event.policy_version, at=event.at,
        client_request_id=event.client_request_id, client_address=event.client_address,
        count=event.count, catalogue_version=event.catalogue_version,
    )


async def append(records: list[AuditRecord]) -> list[int]:
    """Append records in one transaction; returns their sequences."""
    if not records:
        return []
    conn = get_connection("default")  # within a mutation, its transaction
    if conn.capabilities.dialect == "postgres":
        return await _append_postgres(conn, records)
    async with in_transaction() as conn:
        last = await AuditEvent.all().using_db(conn).order_by("-sequence").first().values(
            "sequence", "hash"
        )
        sequence, previous = (last["sequence"], last["hash"]) if last else (0, GENESIS_HASH)
        rows, sequences = [], []
        for record in records:
            sequence += 1
            digest = chain_hash(previous, canonical(sequence, record))
            rows.append((sequence, record, previous, digest))
            sequences.append(sequence)
            previous = digest
        await _insert_orm(conn, rows)
    return sequences


async def enqueue(records: list[AuditRecord]) -> int | None:
    """Write records inside the caller's transaction (a mutation's), taking no lock; once it
    has committed, `sequence(upto=<the id returned>)` chains them. On SQLite, which serialises
    writers anyway, they are appended to the chain at once (and None is returned)."""
    if not records:
        return None
    conn = get_connection("default")
    if conn.capabilities.dialect != "postgres":
        await append(records)
        return None
    rows = await conn.execute_query_dict(_ENQUEUE, list(_columns(records)))
    return max(row["id"] for row in rows)


async def sequence(upto: int | None = None) -> int:
    """Chain every committed queued record, in one short transaction holding the chain's lock;
    returns how many this call chained. With `upto` (the id `enqueue` returned, committed), it
    returns as soon as that record is chained, by this call or by a concurrent one. Called by a
    mutation after its commit, and before the chain is read or verified. A record left queued
    (its worker died between commit and sequencing) is chained by the next call of anyone, or
    by the next group append."""
    conn = get_connection("default")
    if conn.capabilities.dialect != "postgres":
        return 0
    _, rows = await conn.execute_query("SELECT sijill_sequence_audit($1)", [upto])
    return int(rows[0][0])


def _columns(records: list[AuditRecord]) -> tuple[list, ...]:
    columns: tuple[list, ...] = tuple([] for _ in range(20))
    for r in records:
        head, tail = canonical_parts(r)
        for column, value in zip(columns, (
            r.at, r.actor, json.dumps(sorted(r.roles)), r.program, r.purpose, r.operation,
            r.operation_type, json.dumps(sorted(r.fields)), json.dumps(sorted(r.denied_fields)),
            json.dumps(sorted(r.subjects)), r.outcome, r.error_code, r.request_id,
            r.policy_version, head, tail, r.client_request_id, r.client_address, r.count,
            r.catalogue_version,
        ), strict=True):
            column.append(value)
    return columns


async def _append_postgres(conn, records: list[AuditRecord]) -> list[int]:
    """One statement: see sijill_append_audit in migrations/models/8_*_audit_queue.py."""
    _, rows = await conn.execute_query(_APPEND, list(_columns(records)))
    first = rows[0][0]
    return list(range(first, first + len(records)))


_APPEND = "SELECT sijill_append_audit(" + ", ".join(f"${i}" for i in range(1, 21)) + ")"
_ENQUEUE = (
    "INSERT INTO audit_queue (at, actor, roles, program, purpose, operation, operation_type, "
    "fields, denied_fields, subjects, outcome, error_code, request_id, policy_version, head, "
    "tail, client_request_id, client_address, count, catalogue_version) SELECT * FROM unnest("
    "$1::timestamptz[], $2::varchar[], $3::jsonb[], $4::varchar[], $5::varchar[], "
    "$6::varchar[], $7::varchar[], $8::jsonb[], $9::jsonb[], $10::jsonb[], $11::varchar[], "
    "$12::varchar[], $13::varchar[], $14::varchar[], $15::text[], $16::text[], $17::varchar[], "
    "$18::varchar[], $19::int[], $20::varchar[]) RETURNING id")


async def _insert_orm(conn, rows: list[tuple[int, AuditRecord, str, str]]) -> None:
    events, subjects = [], []
    for sequence, record, previous, digest in rows:
        events.append(AuditEvent(
            sequence=sequence, at=record.at, actor=record.actor, roles=sorted(record.roles),
            program=record.program, purpose=record.purpose, operation=record.operation,
            operation_type=record.operation_type, fields_selected=sorted(record.fields),
            denied_fields=sorted(record.denied_fields),
            subjects=sorted(record.subjects), outcome=record.outcome,
            error_code=record.error_code, request_id=record.request_id,
            policy_version=record.policy_version, previous_hash=previous, hash=digest,
            client_request_id=record.client_request_id, client_address=record.client_address,
            count=record.count, catalogue_version=record.catalogue_version,
        ))
        subjects.extend(AuditSubject(sequence=sequence, subject=s) for s in sorted(record.subjects))
    await AuditEvent.bulk_create(events, using_db=conn)
    if subjects:
        await AuditSubject.bulk_create(subjects, batch_size=1000, using_db=conn)


class AuditWriter:
    """Group commit: requests hand their record over and wait until it is durable."""

    def __init__(self, max_batch: int = 256) -> None:
        self.max_batch = max_batch
        self._queue: asyncio.Queue[tuple[AuditRecord, asyncio.Future]] | None = None
        self._task: asyncio.Task | None = None

    async def write(self, record: AuditRecord) -> int:
        if self._task is None or self._task.done():
            self._queue = asyncio.Queue()
            self._task = asyncio.get_running_loop().create_task(self._run(), name="audit-writer")
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        await self._queue.put((record, future))
        return await future

    async def _run(self) -> None:
        assert self._queue is not None
        while True:
            batch = [await self._queue.get()]
            while len(batch) < self.max_batch and not self._queue.empty():
                batch.append(self._queue.get_nowait())
            try:
                sequences = await append([record for record, _ in batch])
            except Exception as exc:
                log.error("audit group append failed (%s): appending one by one",
                          type(exc).__name__)
                await self._one_by_one(batch)
                continue
            for (_, future), sequence in zip(batch, sequences, strict=True):
                if not future.done():
                    future.set_result(sequence)

    @staticmethod
    async def _one_by_one(batch) -> None:
        """After a failed group: each record on its own, so one bad record fails only its own
        request."""
        for record, future in batch:
            try:
                (sequence,) = await append([record])
            except Exception as exc:  # this waiter learns its record was not written
                log.error("audit append failed: %s", type(exc).__name__)
                if not future.done():
                    future.set_exception(exc)
                continue
            if not future.done():
                future.set_result(sequence)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
            self._task = None


# ---------------------------------------------------------------- verification

@dataclass
class ChainStatus:
    valid: bool
    length: int
    head_hash: str | None
    first_invalid_sequence: int | None


async def verify_chain(batch_size: int = 5000, *, start: tuple[int, str] | None = None,
                       end: int | None = None) -> ChainStatus:
    """Recompute every hash in order, from the genesis or from `start` (a sequence and the hash
    of the record there, already verified) to the head, or to `end` included; the first record
    that does not match, or is missing, breaks the chain."""
    previous, expected, last = GENESIS_HASH, 1, None
    if start is not None:
        previous, expected, last = start[1], start[0] + 1, start[1]
    while end is None or expected <= end:
        query = AuditEvent.filter(sequence__gte=expected)
        if end is not None:
            query = query.filter(sequence__lte=end)
        rows = await query.order_by("sequence").limit(batch_size)
        if not rows:
            break
        for event in rows:
            if event.sequence != expected or event.previous_hash != previous:
                return ChainStatus(False, expected - 1, previous, expected)
            digest = chain_hash(previous, canonical(event.sequence, record_of(event)))
            if digest != event.hash:
                return ChainStatus(False, expected - 1, previous, event.sequence)
            previous, expected, last = digest, expected + 1, digest
    if end is not None and expected <= end:
        return ChainStatus(False, expected - 1, previous, expected)
    return ChainStatus(True, expected - 1, last, None)


async def chain_status() -> ChainStatus:
    """The chain's status, verified from the last point a previous call verified (after
    checking that the record there still has the hash it had then), so that each call costs
    the records appended since; plus one window of the sweep over the records before that
    point (`sweep`), so that a record edited in place after it was verified is reported within
    two passes of the sweep. `sijill audit verify` and `sijill audit checkpoint` recompute
    everything, and signed checkpoints (api/services/checkpoints.py) hold the chain to what it
    was."""
    await sequence()
    point = await AuditVerifiedPoint.filter(sequence__gt=0).order_by("-sequence").first()
    start = None
    if point is not None:
        anchor = await AuditEvent.filter(sequence=point.sequence).first()
        if anchor is not None and anchor.hash == point.hash:
            start = (point.sequence, point.hash)
    status = await verify_chain(start=start)
    if start is not None:
        older = await sweep(start[0])
        if not older.valid:  # the earlier break; no point is recorded past it
            return older
    if status.valid and status.head_hash is not None and (
            point is None or status.length > point.sequence):
        await _mark(status.length, status.head_hash)
    return status


async def sweep(limit: int) -> ChainStatus:
    """Rehash the next window of the sweep over the records already verified. A pass goes down
    from the verified point it started at (`limit` when the previous pass ended) to record 1,
    SWEEP_WINDOW records a call, each window ending with the first record of the window before
    (the link between them); the next pass starts from the verified point of then. A window
    that breaks is not marked: every call checks it again, and reports it until it is mended."""
    marker = await AuditVerifiedPoint.filter(sequence__lt=0).order_by("sequence").first()
    pass_no, top = _progress(marker.sequence) if marker is not None else (1, limit)
    bottom = max(1, top - SWEEP_WINDOW)
    previous = GENESIS_HASH
    if bottom > 1:
        row = await AuditEvent.filter(sequence=bottom - 1).first().values("hash")
        if row is None:
            return ChainStatus(False, bottom - 2, None, bottom - 1)
        previous = row["hash"]
    status = await verify_chain(start=(bottom - 1, previous), end=top)
    if status.valid:
        following = (pass_no, bottom) if bottom > 1 else (pass_no + 1, limit)
        await _mark(_marker(*following), status.head_hash)
    return status


def _marker(pass_no: int, top: int) -> int:
    """The sequence of the sweep's marker saying that its next window, in pass `pass_no`, ends
    at record `top`: negative (verified points are positive), and the lower the further the
    sweep has gone (a later pass, or a lower record within one), so the newest sorts first."""
    return -(pass_no * SWEEP_PASS + SWEEP_PASS - top)


def _progress(sequence: int) -> tuple[int, int]:
    """The pass and the record where the next window ends, from a marker's sequence."""
    pass_no, rest = divmod(-sequence, SWEEP_PASS)
    return pass_no, SWEEP_PASS - rest


async def _mark(sequence: int, head_hash: str) -> None:
    """Record a verified point and its hash, or (a negative sequence) where the sweep goes on
    and the hash of the last window's highest record."""
    with contextlib.suppress(IntegrityError):  # another worker recorded it meanwhile
        await AuditVerifiedPoint.create(sequence=sequence, hash=head_hash,
                                        verified_at=datetime.now(UTC))


# ---------------------------------------------------------------- reading

def encode_cursor(sequence: int) -> str:
    return paging.encode_cursor("audit", sequence)


def _sequence(value: str) -> int:
    sequence = int(value)
    if not 1 <= sequence < 2**63:
        raise ValueError(value)
    return sequence


def decode_cursor(cursor: str) -> int:
    return paging.decode_cursor(cursor, "audit", _sequence)


@dataclass
class AuditFilters:
    actor: str | None = None
    program: str | None = None
    operation: str | None = None
    outcome: str | None = None
    subject: str | None = None
    from_: datetime | None = None
    to: datetime | None = None
    request_id: str | None = None
    role: str | None = None  # records whose roles hold it
    purpose: str | None = None
    field: str | None = None  # records whose selected fields hold this `Type.field`
    operation_type: str | None = None


OPERATION_TYPES = ("query", "mutation", "subscription", "unknown")


def _clean(value: str | None, field: str) -> str | None:
    if value is not None and (len(value) > 120 or not value.isprintable()):
        raise BadUserInput("At most 120 printable characters.", field=f"filter.{field}")
    return value


def _utc(bound: datetime | None) -> datetime | None:
    """A bound in UTC; a naive one is read as UTC (the database time zone, as Tortoise would
    read it, without its warning). One whose UTC instant falls outside years 1 to 9999 (such
    as 0001-01-01T00:00:00+14:00), which asyncpg cannot encode, is clamped to the first or
    last representable instant: every record is after, or before, both."""
    if bound is None:
        return None
    if bound.tzinfo is None:
        return bound.replace(tzinfo=UTC)
    try:
        return bound.astimezone(UTC)
    except OverflowError:
        return (datetime.min if bound.year == 1 else datetime.max).replace(tzinfo=UTC)


def _filtered(filters: AuditFilters, *, with_subject: bool = True):
    for name, argument in (("actor", "actor"), ("program", "program"),
                           ("operation", "operation"), ("subject", "subject"),
                           ("request_id", "requestId"), ("role", "role"),
                           ("purpose", "purpose"), ("field", "field")):
        _clean(getattr(filters, name), argument)
    query = AuditEvent.all()
    for name, column in (("actor", "actor"), ("program", "program"), ("operation", "operation"),
                         ("request_id", "request_id"), ("purpose", "purpose")):
        value = getattr(filters, name)
        if value is not None:
            query = query.filter(**{column: value})
    if filters.outcome is not None:
        if filters.outcome not in OUTCOMES:
            raise BadUserInput("Unknown outcome.", field="filter.outcome")
        query = query.filter(outcome=filters.outcome)
    if filters.operation_type is not None:
        if filters.operation_type not in OPERATION_TYPES:
            raise BadUserInput(f"One of {', '.join(OPERATION_TYPES)}.",
                               field="filter.operationType")
        query = query.filter(operation_type=filters.operation_type)
    if filters.role is not None:
        query = _holding(query, "roles", filters.role)
    if filters.field is not None:
        query = _holding(query, "fields", filters.field)
    if filters.subject is not None and with_subject:
        query = query.filter(sequence__in=Subquery(
            AuditSubject.filter(subject=filters.subject).values("sequence")))
    if filters.from_ is not None:
        query = query.filter(at__gte=_utc(filters.from_))
    if filters.to is not None:
        query = query.filter(at__lt=_utc(filters.to))
    return query


def _holding(query, column: str, value: str):
    """Records whose JSON array `column` holds `value`: containment on PostgreSQL (`@>`), the
    array's elements on SQLite (the value is a checked printable string, quoted as SQLite
    quotes: an apostrophe doubled)."""
    if get_connection("default").capabilities.dialect == "postgres":
        attribute = "fields_selected" if column == "fields" else column
        return query.filter(**{f"{attribute}__contains": [value]})
    literal = "'" + value.replace("'", "''") + "'"
    name = f"_holds_{column}"
    return query.annotate(**{name: RawSQL(
        f'EXISTS (SELECT 1 FROM json_each("audit_events"."{column}") WHERE value = {literal})'
    )}).filter(**{name: True})


async def list_events(filters: AuditFilters, *, first: int = 50, after: str | None = None):
    """Newest first, keyset on the sequence: (rows, has_next_page, total_count)."""
    paging.check_first(first)
    await sequence()
    after_key = decode_cursor(after) if after is not None else None
    if filters.subject is not None:
        return await subject_page(_filtered(filters, with_subject=False), [filters.subject],
                                  first=first, after=after_key,
                                  total=paging.TotalCount(_filtered(filters)))
    return await paging.keyset_page(_filtered(filters), key="sequence", first=first,
                                    after=after_key, descending=True)


SUBJECT_BATCH_MOST = 1000


async def subject_page(query, subjects: list[str], *, first: int, after: int | None,
                       total: paging.TotalCount):
    """The page, newest first, of the records of `query` that name any of `subjects`, walking
    the subjects' index (`audit_subjects (subject, sequence)`) downwards in batches and reading
    only the records it names — never the log itself from its newest end, which for a subject
    named once in a million records would read a million to find a page. (rows, has_next_page,
    total)."""
    rows: list[AuditEvent] = []
    below, batch = after, 2 * (first + 1)
    while len(rows) <= first:
        named = AuditSubject.filter(subject__in=subjects)
        if below is not None:
            named = named.filter(sequence__lt=below)
        sequences = await named.order_by("-sequence").limit(batch).values_list("sequence",
                                                                                  flat=True)
        if not sequences:
            break
        candidates = sorted(set(sequences), reverse=True)
        found = {row.sequence: row for row in await query.filter(sequence__in=candidates)}
        rows += [found[n] for n in candidates if n in found]
        if len(sequences) < batch:
            break
        below, batch = sequences[-1], min(2 * batch, SUBJECT_BATCH_MOST)
    return rows[:first], len(rows) > first, total


async def export(start: datetime | None, end: datetime | None, batch_size: int = 5000
                 ) -> AsyncIterator[dict]:
    """Records in sequence order, each with its previous hash and hash, for offline review."""
    query = _filtered(AuditFilters(from_=start, to=end))
    await sequence()
    last = 0
    while True:
        rows = await query.filter(sequence__gt=last).order_by("sequence").limit(batch_size)
        if not rows:
            return
        for event in rows:
            body = json.loads(canonical(event.sequence, record_of(event)))
            body["previousHash"], body["hash"] = event.previous_hash, event.hash
            yield body
            last = event.sequence



