"""Scoring households: on every change that affects the index, and in bulk (`sijill rescore`).

The formula in force is the one of the latest rescore run (publishing a version = rescoring
everyone with it), `v1` before any run.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise import Tortoise
from tortoise.transactions import in_transaction

from api.models import Declaration, Household, HouseholdIndex, Membership, RescoreRun
from api.scoring.formula import (
    DEFAULT_VERSION,
    HouseholdFacts,
    IndexResult,
    compute_index,
    load_formula,
    members_from_birth_dates,
)
from api.scoring.sql import age_cutoffs, score_statement
from api.services import clock, feed

DECLARATION_FIELDS = (
    "head_education", "head_occupation", "housing_type", "occupancy", "rooms", "water_source",
    "electricity_monthly", "water_monthly", "phone_monthly", "butane_bottles_monthly", "assets",
    "agricultural_land_hectares", "livestock_units",
)


async def formula_in_force() -> str:
    latest = await RescoreRun.all().order_by("-id").first().values("formula_version")
    return latest["formula_version"] if latest else DEFAULT_VERSION


@dataclass
class _Row:
    id: str
    milieu: str
    region: str


async def _facts_for(households: list[_Row]) -> dict[str, tuple[HouseholdFacts, int, int]]:
    """Facts per household id, with (declaration version, living members); two queries."""
    ids = [h.id for h in households]
    births: dict[str, list[date]] = defaultdict(list)
    for row in await Membership.filter(household_id__in=ids, end_date=None).values(
        "household_id", "person__birth_date"
    ):
        births[str(row["household_id"])].append(row["person__birth_date"])
    declarations: dict[str, dict] = {}
    for row in await Declaration.filter(household_id__in=ids).order_by("version").values(
        "household_id", "version", *DECLARATION_FIELDS
    ):
        declarations[str(row["household_id"])] = row
    out = {}
    for h in households:
        declared = declarations.get(h.id)
        if declared is None or not births[h.id]:
            continue
        facts = HouseholdFacts(
            milieu=h.milieu, region=h.region, members=members_from_birth_dates(births[h.id]),
            declaration=declared,
        )
        out[h.id] = (facts, declared["version"], len(births[h.id]))
    return out


@dataclass(frozen=True)
class Scored:
    """An index computed, and when: what a household row and its history record hold."""

    result: IndexResult
    at: datetime

    def current(self) -> dict[str, Any]:
        """The household row's columns for it."""
        return {"index_value": self.result.value,
                "index_formula_version": self.result.formula_version,
                "index_computed_at": self.at}


async def index_of(facts: HouseholdFacts) -> Scored:
    """The index of a household from facts in hand (a registration has them all: no read back),
    with the formula in force."""
    version = await formula_in_force()
    return Scored(compute_index(facts, clock.today(), load_formula(version)), clock.now())


async def record(household_id: str, scored: Scored, *, declaration_version: int, members: int,
                 cause: str) -> None:
    """The index history's record of a computation, inside the caller's transaction."""
    await HouseholdIndex.create(
        household_id=household_id, value=scored.result.value,
        formula_version=scored.result.formula_version,
        contributions=scored.result.contributions(), declaration_version=declaration_version,
        members_count=members, cause=cause, computed_at=scored.at,
    )


async def score_household(household_id: str, cause: str) -> IndexResult | None:
    """Recompute one household's index from what the database holds, inside the caller's
    transaction; None when it has no living member (a closed household keeps its last index
    as history)."""
    household = await Household.get(id=household_id)
    row = _Row(str(household.id), household.milieu, household.region_id)
    facts = (await _facts_for([row])).get(row.id)
    if facts is None:
        return None
    scored = await index_of(facts[0])
    await record(row.id, scored, declaration_version=facts[1], members=facts[2], cause=cause)
    await Household.filter(id=row.id).update(**scored.current())
    return scored.result


@dataclass
class RescoreReport:
    run_id: int
    formula_version: str
    households: int
    resumed: bool


async def rescore(
    formula_version: str | None = None,
    *,
    batch_size: int = 20_000,
    progress: Callable[[int, int], None] | None = None,
) -> RescoreReport:
    """Recompute every household with living members, in keyset batches of `batch_size`, each
    batch one transaction (on PostgreSQL one set-based statement, see api/scoring/sql.py). The
    latest run, if unfinished and of the same formula, is resumed where it stopped."""
    version = formula_version or await formula_in_force()
    formula = load_formula(version)
    # Only the latest run may be resumed: an unfinished run superseded by a later one (of
    # another version) is stale — households it scored may have been rescored since.
    run = await RescoreRun.all().order_by("-id").first()
    if run is not None and (run.formula_version != version or run.finished_at is not None):
        run = None
    resumed = run is not None
    if run is None:
        run = await RescoreRun.create(formula_version=version, started_at=clock.now())

    async def checkpoint(conn, last: str, done: int) -> None:
        await RescoreRun.filter(id=run.id).using_db(conn).update(
            last_household_id=last, households_done=done
        )

    done = await _score_in_batches(
        formula, cause="RESCORE", batch_size=batch_size, after=run.last_household_id,
        done=run.households_done, checkpoint=checkpoint, progress=progress, publish=True,
    )
    await feed.sequence()
    await RescoreRun.filter(id=run.id).update(finished_at=clock.now())
    return RescoreReport(run_id=run.id, formula_version=version, households=done, resumed=resumed)


async def _score_in_batches(
    formula: dict,
    *,
    cause: str,
    batch_size: int,
    after: str | None = None,
    done: int = 0,
    checkpoint: Callable[[Any, str, int], Awaitable[None]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    publish: bool = False,
) -> int:
    """Score every household that is not closed, in id order after `after`, one transaction per
    batch; `checkpoint(conn, last_id, done)` runs inside each batch's transaction. `publish`:
    each batch also writes the changes of its members' answers (api/services/feed.py).

    On PostgreSQL two batches are scored at once on two connections (two server processes), but
    they commit in order: a batch writes its checkpoint and commits only after the batch before
    it has committed, and rolls back if that one failed. So the checkpoint always marks a prefix
    of the households as done, as with one batch at a time."""
    total = await Household.exclude(status="CLOSED").count()
    if progress:
        progress(done, total)
    dialect = Tortoise.get_connection("default").capabilities.dialect
    lanes = 2 if dialect == "postgres" else 1

    async def run(batch: list[_Row], previous: asyncio.Task | None,
                  previous_started: asyncio.Event | None, started: asyncio.Event,
                  done_after: int) -> int:
        try:
            async with in_transaction() as conn:
                if previous_started is not None:  # batches start in order too
                    await previous_started.wait()
                if previous is not None and previous.done() and previous.exception():
                    raise RuntimeError("an earlier batch failed")
                if publish:  # locked in order, before the next batch starts
                    await _lock_batch(conn, batch)
                started.set()
                moved = await score_batch(batch, formula, cause=cause, conn=conn,
                                          locked=publish)
                if publish:  # the indices before and after, read under the batch's row locks
                    await feed.rescored(moved)
                if previous is not None:
                    await previous  # its failure rolls this batch back
                if publish:  # after the batch before it committed: numbered in commit order
                    await feed.number_staged()
                if checkpoint is not None:
                    await checkpoint(conn, batch[-1].id, done_after)
        finally:
            started.set()
        return done_after

    in_flight: deque[asyncio.Task] = deque()
    previous: asyncio.Task | None = None
    previous_started: asyncio.Event | None = None
    last = after
    try:
        while True:
            query = Household.exclude(status="CLOSED").order_by("id").limit(batch_size)
            if last is not None:
                query = query.filter(id__gt=last)
            batch = [
                _Row(str(r["id"]), r["milieu"], r["region_id"])
                for r in await query.values("id", "milieu", "region_id")
            ]
            if not batch:
                break
            last = batch[-1].id
            done += len(batch)
            started = asyncio.Event()
            previous = asyncio.create_task(run(batch, previous, previous_started, started, done))
            previous_started = started
            in_flight.append(previous)
            while len(in_flight) >= lanes or any(
                t.done() and t.exception() for t in in_flight
            ):
                committed = await in_flight.popleft()
                if progress:
                    progress(committed, total)
        while in_flight:
            committed = await in_flight.popleft()
            if progress:
                progress(committed, total)
    finally:
        for task in in_flight:  # after a failure: let the later batches roll back
            with contextlib.suppress(Exception):
                await task
    return done


async def score_all(
    *, cause: str, batch_size: int = 20_000, progress: Callable[[int, int], None] | None = None
) -> int:
    """Score every household that is not closed with the formula in force, without a rescore
    run (after a bulk load: the generator in bench/ scores what it loaded this way)."""
    formula = load_formula(await formula_in_force())
    return await _score_in_batches(formula, cause=cause, batch_size=batch_size, progress=progress)


async def _lock_batch(conn, batch: list[_Row]) -> None:
    """Lock the batch's households (in id order) before reading their facts: a member or
    declaration change committed between the read and the write would otherwise be overwritten
    by a stale current value. Changes take the same row lock. Nothing to do on SQLite, whose
    writers are serialised."""
    if conn.capabilities.dialect != "postgres":
        return
    await conn.execute_query(
        'SELECT 1 FROM "households" WHERE "id" = ANY($1::uuid[]) ORDER BY "id" FOR UPDATE',
        [[uuid.UUID(r.id) for r in batch]],
    )


# What scoring did to a household: its index before, after, and its status.
Moved = dict[str, tuple[float | None, float, str]]


async def score_batch(batch: list[_Row], formula: dict, *, cause: str, conn,
                      locked: bool = False) -> Moved:
    """Score a batch of households set-based; answers, for each household scored, its index
    before and after and its status (the change feed decides from them whose answers may
    move). On PostgreSQL one statement reads their facts, computes every term, inserts the
    index rows and updates the current values (after `_lock_batch`); elsewhere facts in two
    queries, the formula in Python, a bulk insert and one update. `locked`: the caller holds
    the batch's row locks already (in this transaction)."""
    if not batch:
        return {}
    now = clock.now()
    if not locked:
        await _lock_batch(conn, batch)
    if conn.capabilities.dialect == "postgres":
        children_born_after, elderly_born_by = age_cutoffs(formula, clock.today())
        ids = [uuid.UUID(r.id) for r in batch]
        await conn.execute_script("SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL jit = off")
        _count, rows = await conn.execute_query(
            score_statement(formula),
            [ids, children_born_after, elderly_born_by, formula["version"], cause, now],
        )
        return {str(r[0]): (r[1], r[2], r[3]) for r in rows}
    current = {str(hid): (value, status) for hid, value, status in
               await Household.filter(id__in=[r.id for r in batch]).using_db(conn)
               .values_list("id", "index_value", "status")}
    facts = await _facts_for(batch)
    results = {hid: (compute_index(f, clock.today(), formula), dv, n) for hid, (f, dv, n) in facts.items()}
    await HouseholdIndex.bulk_create(
        [
            HouseholdIndex(
                household_id=hid, value=r.value, formula_version=r.formula_version,
                contributions=r.contributions(), declaration_version=dv, members_count=n,
                cause=cause, computed_at=now,
            )
            for hid, (r, dv, n) in results.items()
        ],
        batch_size=1000,
        using_db=conn,
    )
    await _update_current(conn, [(r.value, r.formula_version, now, hid)
                                 for hid, (r, _dv, _n) in results.items()])
    return {hid: (current[hid][0], r.value, current[hid][1])
            for hid, (r, _dv, _n) in results.items()}


async def score_households(household_ids: list[str], *, cause: str, batch_size: int = 2000) -> int:
    """Score the given households with the formula in force (used after bulk loads)."""
    formula = load_formula(await formula_in_force())
    scored = 0
    for start in range(0, len(household_ids), batch_size):
        ids = household_ids[start : start + batch_size]
        rows = [_Row(str(r["id"]), r["milieu"], r["region_id"])
                for r in await Household.filter(id__in=ids).values("id", "milieu", "region_id")]
        async with in_transaction() as conn:
            scored += len(await score_batch(rows, formula, cause=cause, conn=conn))
    return scored


async def _update_current(conn, rows: Iterable[tuple[float, str, datetime, str]]) -> None:
    rows = list(rows)
    if not rows:
        return
    if conn.capabilities.dialect == "postgres":
        await conn.execute_query(
            'UPDATE "households" AS h SET "index_value" = v.value, '
            '"index_formula_version" = v.version, "index_computed_at" = v.at '
            "FROM unnest($1::float8[], $2::text[], $3::timestamptz[], $4::uuid[]) "
            "AS v(value, version, at, id) WHERE h.id = v.id",
            [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows],
             [uuid.UUID(r[3]) for r in rows]],
        )
    else:
        await conn.execute_many(
            'UPDATE "households" SET "index_value" = ?, "index_formula_version" = ?, '
            '"index_computed_at" = ? WHERE "id" = ?',
            [[r[0], r[1], r[2], r[3]] for r in rows],
        )


__all__ = ["formula_in_force", "rescore", "score_all", "score_household"]
