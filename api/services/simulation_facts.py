"""The copy of the register that simulations read (migration 17): one row per current member
of a household not closed, with what the rules read of the member, the person and the
household, ordered by household, birth date and membership. Over it the simulation statement
joins nothing and sorts nothing (the ranks and the per-household counts read the index order).

Exact as of the simulation's snapshot, however old the copy: every write to a membership, to
what the rules read of a person, or to a household's status, index or place adds the household
(or the person) to `simulation_dirty` in its own transaction (triggers), and a simulation
reads those households (and the persons' current households, in its own snapshot) from the
register itself and the others from the copy. The copy only decides how
fast a simulation is: `refresh` rebuilds it (meant for a daily schedule, after `sijill
programs apply`, and after a rescore, which writes every household).

Only PostgreSQL keeps a copy; on SQLite simulations are evaluated by CEL.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime

import asyncpg
from tortoise import Tortoise

# the share of the copy's households written since it was taken above which a simulation
# reads the whole register instead (reading the copy then saves little)
STALE_SHARE = 0.25


@dataclass(frozen=True)
class Copy:
    """The copy a simulation reads, as its snapshot sees it."""

    table: str  # simulation_facts_a or _b
    built_at: datetime
    members: int
    dirty: int  # households written since: read from the register


@dataclass(frozen=True)
class Refreshed:
    members: int
    seconds: float
    built_at: datetime


def pooled() -> bool:
    """The service reaches PostgreSQL through a transaction pooler (PgBouncer): its URL says
    `statement_cache_size=0`. A backend is then shared with other clients' transactions."""
    extra = getattr(Tortoise.get_connection("default"), "extra", {}) or {}
    return str(extra.get("statement_cache_size", "")).strip() == "0"


async def connect() -> asyncpg.Connection:
    """A connection of its own to the service's PostgreSQL database, outside Tortoise's pool
    (through the same pooler, if any: no named prepared statements then)."""
    client = Tortoise.get_connection("default")
    return await asyncpg.connect(user=client.user, password=client.password,
                                 database=client.database, host=client.host, port=client.port,
                                 **({"statement_cache_size": 0} if pooled() else {}))


async def refresh_copy() -> Refreshed | None:
    """`refresh` on a connection of its own; None on SQLite, which keeps no copy."""
    if Tortoise.get_connection("default").capabilities.dialect != "postgres":
        return None
    connection = await connect()
    try:
        return await refresh(connection)
    finally:
        await connection.close()


async def refresh(connection: asyncpg.Connection) -> Refreshed:
    """Rebuild the copy not in use from one snapshot and switch to it (about a minute at seed
    scale). Simulations keep reading the copy in use meanwhile; a second refresh at once is
    refused (`asyncpg.LockNotAvailableError`)."""
    started = time.perf_counter()
    async with connection.transaction(isolation="repeatable_read"):
        members = await connection.fetchval("SELECT sijill_refresh_simulation_facts()")
        built_at = await connection.fetchval(
            "SELECT built_at FROM simulation_facts_state WHERE id = 1")
    return Refreshed(int(members), time.perf_counter() - started, built_at)


async def state(connection: asyncpg.Connection) -> tuple[str | None, datetime | None, int]:
    row = await connection.fetchrow(
        "SELECT current, built_at, members FROM simulation_facts_state WHERE id = 1")
    if row is None:
        return None, None, 0
    return row["current"], row["built_at"], int(row["members"])


async def begin(connection: asyncpg.Connection) -> Copy | None:
    """Begin the simulation's read-only snapshot on `connection` with the copy in use locked
    (a refresh waits before emptying it), and say what to read from it; None when there is
    no usable copy (none built yet, emptied by a crash, or too much written since), the
    snapshot begun all the same."""
    for _ in range(3):
        current, _, _ = await state(connection)
        await connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        if current is None:
            return None
        table = f"simulation_facts_{current}"
        # the lock before the snapshot (taken by the first query): a refresh switching now
        # either committed before it or waits for this transaction
        await connection.execute(f"LOCK TABLE {table} IN ACCESS SHARE MODE")
        seen, built_at, members = await state(connection)
        if seen == current:
            break
        await connection.execute("ROLLBACK")  # switched meanwhile: lock the new one
    else:
        await connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return None
    if members and not await connection.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"):
        return None  # an UNLOGGED table is emptied by a crash: rebuilt by the next refresh
    dirty = int(await connection.fetchval(f"SELECT COUNT(*) FROM {DIRTY_HOUSEHOLDS} w"))
    households = int(await connection.fetchval(
        "SELECT reltuples FROM pg_class WHERE relname = 'households'") or 0)
    if dirty > STALE_SHARE * max(households, 1) and dirty > 1000:
        return None
    return Copy(table, built_at, members, dirty)


_ROWS = """(SELECT f.hid, f.mid, f.birth_date, f.status, f.index_value, f.milieu, f.region,
        f.province, ((CAST({today} AS INT) - f.born + 100000000) / 10000 - 10000) AS age,
        f.sex, f.nationality, f.deceased, f.cover, f.idcs, f.rel, f.school, f.disability
      FROM {table} f WHERE TRUE{where}) b"""


def rows(copy: Copy, today: date, where: str = "") -> str:
    """The copy's members as the simulation statement reads them. The age is the birthday age
    in integer arithmetic: (today − birth) as YYYYMMDD numbers, divided by 10 000 and floored
    (shifted by 10 000 years so that integer division, which truncates, floors)."""
    key = today.year * 10000 + today.month * 100 + today.day
    return _ROWS.format(today=key, table=copy.table, where=where)


# the households written since the copy was taken, in the simulation's snapshot: those marked,
# and those the persons marked belong to now
DIRTY_HOUSEHOLDS = """(SELECT household_id FROM simulation_dirty WHERE household_id IS NOT NULL
    UNION SELECT m.household_id FROM simulation_dirty d
      JOIN memberships m ON m.person_id = d.person_id AND m.end_date IS NULL)"""
# … left out of the copy's counts (a condition on the per-household rows `g`) and read from the
# register (a condition on its memberships `m`)
NOT_DIRTY = f"NOT EXISTS (SELECT 1 FROM {DIRTY_HOUSEHOLDS} w WHERE w.household_id = g.hid)"
DIRTY = f" AND m.household_id IN (SELECT household_id FROM {DIRTY_HOUSEHOLDS} w)"
