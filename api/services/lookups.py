"""The daily cap on distinct persons a program may look up (purpose limitation: a program asks
about people it serves, it does not sweep the register).

Each program's lookups are kept per day; a request that would take the day's distinct persons
over the cap is refused whole with RATE_LIMITED (and audited like any refusal). The check is not
serialised across concurrent requests: under a burst the cap may be passed by at most the ids
of the requests in flight, which keeps the hot path free of a global lock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from api.errors import RateLimited
from api.models import ProgramLookup
from api.services import clock

DEFAULT_DAILY_CAP = 500_000


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


async def record(program: str, idcs: list[str], caps: dict[str, int]) -> None:
    """Count these ids against today's cap for the program; raise RateLimited when over."""
    cap = caps.get(program, caps.get("default", DEFAULT_DAILY_CAP))
    today = clock.today()
    asked = sorted(set(idcs))
    if not asked:
        return
    async with in_transaction() as conn:
        known = set(await ProgramLookup.filter(program=program, day=today, idcs__in=asked)
                    .using_db(conn).values_list("idcs", flat=True))
        new = [i for i in asked if i not in known]
        if not new:
            return
        count = await ProgramLookup.filter(program=program, day=today).using_db(conn).count()
        if count + len(new) > cap:
            raise RateLimited(
                f"Daily cap of {cap} distinct persons for {program} reached.",
                retryAfter=_seconds_to_midnight(), limit=cap,
            )
        await ProgramLookup.bulk_create(
            [ProgramLookup(program=program, day=today, idcs=i) for i in new],
            batch_size=1000, ignore_conflicts=True, using_db=conn,
        )
