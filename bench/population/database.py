"""What the load does to the database around the COPY streams: secondary indexes and unique
constraints off during the load and rebuilt after, sequences moved past the loaded ids, checks of
the register's invariants, statistics.

COPY sessions run with `session_replication_role = replica`: foreign keys and the deferred
one-head trigger are not fired row by row (the trigger would run one query per member). What they
guard is checked set-based at the end by `violations`, and the unique indexes rebuilt after the
load check every uniqueness rule (IDCS, CIN, card, one open membership per person, one open head
per household).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import asyncpg

LOADED = ("persons", "households", "memberships", "declarations", "household_indices")
# Rebuilt before scoring (it reads them) / after it (it writes these tables).
BEFORE_SCORING = ("persons", "memberships", "declarations")
SEQUENCES = {"persons": "id", "memberships": "id", "declarations": "id"}


@dataclass(frozen=True)
class Deferred:
    table: str
    name: str
    create: str  # the statement that puts it back


async def is_empty(conn: asyncpg.Connection) -> bool:
    return not await conn.fetchval("SELECT EXISTS (SELECT 1 FROM persons)") and not (
        await conn.fetchval("SELECT EXISTS (SELECT 1 FROM households)")
    )


async def drop_secondary(conn: asyncpg.Connection) -> list[Deferred]:
    """Drop the unique constraints (other than primary keys) and the indexes of the loaded
    tables; returns how to put each back."""
    deferred: list[Deferred] = []
    constraints = await conn.fetch(
        """SELECT c.conrelid::regclass::text AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
             FROM pg_constraint c
            WHERE c.contype = 'u' AND c.conrelid::regclass::text = ANY($1::text[])""",
        list(LOADED),
    )
    for c in constraints:
        deferred.append(Deferred(c["tbl"], c["conname"],
                                 f'ALTER TABLE "{c["tbl"]}" ADD CONSTRAINT "{c["conname"]}" '
                                 f'{c["def"]}'))
        await conn.execute(f'ALTER TABLE "{c["tbl"]}" DROP CONSTRAINT "{c["conname"]}"')
    indexes = await conn.fetch(
        """SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = 'public' AND i.tablename = ANY($1::text[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                               WHERE c.conindid = (quote_ident(i.indexname))::regclass)""",
        list(LOADED),
    )
    for i in indexes:
        deferred.append(Deferred(i["tablename"], i["indexname"], i["indexdef"]))
        await conn.execute(f'DROP INDEX "{i["indexname"]}"')
    return deferred


async def restore(pool: asyncpg.Pool, deferred: list[Deferred]) -> None:
    """Rebuild dropped indexes and constraints, as many at once as the pool has connections."""
    import asyncio

    async def one(item: Deferred) -> None:
        async with pool.acquire() as conn:
            await conn.execute("SET maintenance_work_mem = '512MB'")
            await conn.execute(item.create)

    await asyncio.gather(*(one(d) for d in deferred))


async def move_sequences(conn: asyncpg.Connection) -> None:
    for table, column in SEQUENCES.items():
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"GREATEST((SELECT max({column}) FROM {table}), 1))"
        )


CHECKS = {
    "households without exactly one open head": """
        SELECT count(*) FROM households h LEFT JOIN (
            SELECT household_id, count(*) FILTER (WHERE relationship = 'HEAD') AS heads
              FROM memberships WHERE end_date IS NULL GROUP BY household_id) m
          ON m.household_id = h.id
         WHERE h.status <> 'CLOSED' AND coalesce(m.heads, 0) <> 1""",
    "declarants who are not open adult members": """
        SELECT count(*) FROM households h
         WHERE NOT EXISTS (SELECT 1 FROM memberships m JOIN persons p ON p.id = m.person_id
                            WHERE m.household_id = h.id AND m.person_id = h.declarant_id
                              AND m.end_date IS NULL
                              AND p.birth_date <= $1::date - interval '18 years')""",
    "memberships of unknown persons": """
        SELECT count(*) FROM memberships m WHERE NOT EXISTS (
            SELECT 1 FROM persons p WHERE p.id = m.person_id)""",
    "memberships of unknown households": """
        SELECT count(*) FROM memberships m WHERE NOT EXISTS (
            SELECT 1 FROM households h WHERE h.id = m.household_id)""",
    "open memberships of deceased persons": """
        SELECT count(*) FROM memberships m JOIN persons p ON p.id = m.person_id
         WHERE m.end_date IS NULL AND p.death_date IS NOT NULL""",
    "households without a declaration": """
        SELECT count(*) FROM households h WHERE NOT EXISTS (
            SELECT 1 FROM declarations d WHERE d.household_id = h.id)""",
    "declarations of unknown households": """
        SELECT count(*) FROM declarations d WHERE NOT EXISTS (
            SELECT 1 FROM households h WHERE h.id = d.household_id)""",
    "households in a province of another region": """
        SELECT count(*) FROM households h JOIN provinces p ON p.code = h.province_id
         WHERE p.region_id <> h.region_id""",
    "households without a current index": """
        SELECT count(*) FROM households h WHERE h.index_value IS NULL
            OR NOT EXISTS (SELECT 1 FROM household_indices i WHERE i.household_id = h.id)""",
}


async def violations(pool: asyncpg.Pool, today: date) -> dict[str, int]:
    """Each invariant the load skipped checking row by row, with its count of offending rows
    (ages as of the registry's `today`, not the database server's date)."""
    import asyncio

    async def count(sql: str) -> int:
        async with pool.acquire() as conn:
            return await conn.fetchval(sql, *([today] if "$1" in sql else []))

    counts = await asyncio.gather(*(count(sql) for sql in CHECKS.values()))
    return {name: n for name, n in zip(CHECKS, counts, strict=True) if n}


async def analyze(conn: asyncpg.Connection) -> None:
    await conn.execute(f"ANALYZE {', '.join(LOADED)}")
