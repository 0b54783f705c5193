"""The load: chunks generated in worker processes, each streaming its rows with COPY over its
own connection while the other workers generate; then indexes, scoring, checks and statistics.

Memory stays flat whatever the scale: a worker holds one chunk's rows at a time, and the parent
keeps at most two chunks per worker in flight.
"""

from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import date

import asyncpg
from tqdm import tqdm

from api.services import clock
from bench.population import database
from bench.population.plan import Chunk, Plan
from bench.population.rows import COLUMNS, generate

COPY_ORDER = ("persons", "households", "memberships", "declarations")

_worker: dict = {}


def _worker_start(url: str, seed: int, today: date) -> None:
    loop = asyncio.new_event_loop()
    conn = loop.run_until_complete(asyncpg.connect(url))
    loop.run_until_complete(conn.execute(
        "SET session_replication_role = replica; SET synchronous_commit = off"
    ))
    _worker.update(loop=loop, conn=conn, seed=seed, today=today)


def _worker_run(chunk: Chunk) -> tuple[str, int, int]:
    rows = generate(_worker["seed"], chunk, _worker["today"])
    conn: asyncpg.Connection = _worker["conn"]

    async def copy() -> None:
        async with conn.transaction():
            for table in COPY_ORDER:
                records = getattr(rows, table)
                if records:
                    await conn.copy_records_to_table(table, records=records,
                                                     columns=COLUMNS[table])

    _worker["loop"].run_until_complete(copy())
    return chunk.kind, len(rows.households), len(rows.persons)


@dataclass
class Report:
    households: int = 0
    members: int = 0
    persons: int = 0
    timings: dict[str, float] = field(default_factory=dict)


class _Timer:
    def __init__(self, report: Report, name: str, quiet: bool) -> None:
        self.report, self.name, self.quiet = report, name, quiet

    def __enter__(self):
        self.start = time.perf_counter()
        if not self.quiet:
            print(f"{self.name} …", flush=True)

    def __exit__(self, *exc):
        elapsed = time.perf_counter() - self.start
        self.report.timings[self.name] = elapsed
        if not self.quiet:
            print(f"{self.name}: {elapsed:.1f} s", flush=True)


def stream(url: str, plan: Plan, workers: int, quiet: bool) -> None:
    """Generate and COPY every chunk of the plan with `workers` processes."""
    today = clock.today()
    bar_h = tqdm(total=plan.households, unit="household", desc="households", disable=quiet)
    bar_p = tqdm(total=plan.persons, unit="person", desc="persons", disable=quiet)
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_start,
                             initargs=(url, plan.seed, today)) as pool:
        pending = set()
        chunks = plan.chunks()
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < 2 * workers:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                else:
                    pending.add(pool.submit(_worker_run, chunk))
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                _kind, households, persons = future.result()
                bar_h.update(households)
                bar_p.update(persons)
    bar_h.close()
    bar_p.close()


async def _score(url: str, batch_size: int, quiet: bool) -> int:
    from tortoise import Tortoise

    from api.db import tortoise_config
    from api.services import extents
    from api.services.scoring import score_all
    from api.settings import Settings

    await Tortoise.init(config=tortoise_config(Settings(DATABASE_URL=url)))
    bar = tqdm(unit="household", desc="scoring", disable=quiet)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    try:
        await extents.recount()  # rows were copied, not written by the service
        return await score_all(cause="REGISTRATION", batch_size=batch_size, progress=progress)
    finally:
        bar.close()
        await Tortoise.close_connections()


async def _migrate(url: str) -> None:
    from api.services.migrations import migrate
    from api.settings import Settings

    await migrate(Settings(DATABASE_URL=url), url)


def load(url: str, plan: Plan, *, workers: int = 2, score_batch: int = 20_000,
         quiet: bool = False) -> Report:
    report = Report()
    with _Timer(report, "migrate", quiet):
        asyncio.run(_migrate(url))

    async def prepare() -> list[database.Deferred]:
        conn = await asyncpg.connect(url)
        try:
            if not await database.is_empty(conn):
                raise SystemExit("the database already holds persons or households: "
                                 "load into an empty, migrated database")
            return await database.drop_secondary(conn)
        finally:
            await conn.close()

    deferred = asyncio.run(prepare())
    with _Timer(report, "generate and copy", quiet):
        stream(url, plan, workers, quiet)
    report.households = plan.totals.households
    report.members = plan.totals.members
    report.persons = plan.totals.persons

    async def finish() -> None:
        pool = await asyncpg.create_pool(url, min_size=1, max_size=max(2, workers))
        try:
            with _Timer(report, "indexes (persons, memberships, declarations)", quiet):
                await database.restore(pool, [d for d in deferred
                                              if d.table in database.BEFORE_SCORING])
                async with pool.acquire() as conn:
                    await database.move_sequences(conn)
                    await database.analyze(conn)
            with _Timer(report, "scoring", quiet):
                await _score(url, score_batch, quiet)
            with _Timer(report, "indexes (households, household_indices)", quiet):
                await database.restore(pool, [d for d in deferred
                                              if d.table not in database.BEFORE_SCORING])
            with _Timer(report, "analyze", quiet):
                async with pool.acquire() as conn:
                    await conn.execute("VACUUM ANALYZE households")
                    await database.analyze(conn)
            with _Timer(report, "checks", quiet):
                bad = await database.violations(pool, clock.today())  # on or after the ages drawn
            if bad:
                raise SystemExit(f"the loaded register breaks invariants: {bad}")
            with _Timer(report, "simulation copy", quiet):
                async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read"):
                    await conn.fetchval("SELECT sijill_refresh_simulation_facts()")
        finally:
            await pool.close()

    asyncio.run(finish())
    return report


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))
