"""The daily cap on distinct persons a program may look up (purpose limitation: a program asks
about people it serves, it does not sweep the register).

Each program's lookups are kept per day; a request that would take the day's distinct persons
over the cap is refused whole with RATE_LIMITED (and audited like any refusal). A counter per
(program, day) keeps the check from counting rows; on PostgreSQL one statement records the new
ids and bumps the counter, so concurrent requests are serialised on the counter row only for
that statement, and the cap is exact.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.transactions import in_transaction

from api.errors import RateLimited
from api.models import ProgramLookup, ProgramLookupCount
from api.services import clock

DEFAULT_DAILY_CAP = 500_000
OVER_CAP = "SJ429"  # SQLSTATE raised by sijill_record_lookups


def parse_caps(text: str) -> dict[str, int]:
    """`ASD=200000,AMO_TADAMON=300000,default=500000` → caps per program (`default` for others)."""
    caps = {"default": DEFAULT_DAILY_CAP}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        program, _, value = item.partition("=")
        caps[program.strip()] = int(value)
    return caps


def _seconds_to_midnight() -> int:
    now = datetime.now(clock.REGISTRY_TZ)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((midnight - now).total_seconds()))


def cap_of(caps: dict[str, int], program: str) -> int:
    return caps.get(program, caps.get("default", DEFAULT_DAILY_CAP))


async def record(program: str, idcs: list[str], caps: dict[str, int]) -> None:
    """Count these ids against today's cap for the program; raise RateLimited when over (and
    then count none of them)."""
    cap = cap_of(caps, program)
    today = clock.today()
    asked = sorted(set(idcs))
    if not asked:
        return
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect == "postgres":
        statement = "SELECT sijill_record_lookups($1, $2, $3, $4)"
        try:  # one statement: see the function in migrations/models/5_*_lookup_counts.py
            if isinstance(conn, TransactionalDBClient):
                # within a mutation's transaction: a savepoint, which a refusal leaves usable
                async with in_transaction() as savepoint:
                    await savepoint.execute_query(statement, [program, today, asked, cap])
            else:
                await conn.execute_query(statement, [program, today, asked, cap])
        except asyncpg.PostgresError as exc:
            if getattr(exc, "sqlstate", None) == OVER_CAP:
                raise over_cap(program, cap) from None
            raise
        return
    # SQLite: one writer at a time. The write runs to its end even when the request is
    # cancelled midway (a sibling root field failed): a transaction torn there would keep the
    # connection's lock, and every request after it would wait.
    async def write() -> None:
        async with in_transaction() as conn:  # SQLite: one writer at a time
            known = set(await ProgramLookup.filter(program=program, day=today, idcs__in=asked)
                        .using_db(conn).values_list("idcs", flat=True))
            new = [i for i in asked if i not in known]
            if not new:
                return
            counter = await ProgramLookupCount.filter(program=program, day=today).using_db(conn).first()
            count = counter.persons if counter else 0
            if count + len(new) > cap:
                raise over_cap(program, cap)
            await ProgramLookup.bulk_create(
                [ProgramLookup(program=program, day=today, idcs=i) for i in new],
                batch_size=1000, ignore_conflicts=True, using_db=conn,
            )
            if counter is None:
                await ProgramLookupCount.create(program=program, day=today, persons=len(new),
                                                using_db=conn)
            else:
                await ProgramLookupCount.filter(id=counter.id).using_db(conn).update(
                    persons=count + len(new))

    await asyncio.shield(asyncio.ensure_future(write()))


def over_cap(program: str, cap: int) -> RateLimited:
    return RateLimited(f"Daily cap of {cap} distinct persons for {program} reached.",
                       retryAfter=_seconds_to_midnight(), limit=cap)
