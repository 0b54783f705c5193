"""Per-caller rate limiting: a token bucket per caller, sized per role.

On PostgreSQL the buckets live in the database (`rate_buckets`, `sijill_take_token`:
migrations/models/18_*_cluster.py), so a caller's allowance is the same whatever node or
worker its requests reach. Each worker also keeps its own buckets, asked first: a caller this
worker alone has seen exceed its allowance is refused without a round trip (a flood costs the
database nothing), and if the database cannot answer (a failover) the worker's bucket decides.
On SQLite, or with `SIJILL_RATE_LIMIT_STORE=worker`, only the worker's buckets count.
A refusal is `RATE_LIMITED` with `extensions.retryAfter` (seconds) and HTTP 429 with
`Retry-After`.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import OrderedDict
from dataclasses import dataclass

from tortoise.connection import get_connection

log = logging.getLogger("sijill.ratelimit")


@dataclass(frozen=True)
class Rate:
    per_second: float
    burst: int


def parse_rates(text: str) -> dict[str, Rate]:
    """`role=rate/burst,…`, e.g. `program_agency=50/100,citizen=2/10`; `none`: no limit."""
    rates: dict[str, Rate] = {}
    if text.strip().lower() == "none":
        return rates
    for item in filter(None, (part.strip() for part in text.split(","))):
        role, _, spec = item.partition("=")
        rates[role.strip()] = parse_rate(spec, f"SIJILL_RATE_LIMITS ({role.strip()})")
    return rates


def parse_rate(spec: str, setting: str) -> Rate:
    """`rate/burst`: a rate above zero per second, a burst of at least one (default: the
    rate). Anything else is a setting error, refused at startup."""
    rate, _, burst = spec.strip().partition("/")
    try:
        per_second = float(rate)
        size = int(burst) if burst else max(1, int(per_second))
    except (ValueError, OverflowError):
        raise ValueError(f"{setting}: `{spec}` is not `rate/burst`, e.g. `2/30`.") from None
    if not (0 < per_second < float("inf")) or size < 1:
        raise ValueError(f"{setting}: `{spec}` needs a rate above zero and a burst of at least "
                         "one; `none` turns the limit off.")
    return Rate(per_second, size)


DEFAULT_RATES = "admin=200/400,registrar=50/100,program_agency=200/400,citizen=5/20,auditor=20/40,analyst=2/10,anonymous=5/10"


class RateLimiter:
    def __init__(self, rates: dict[str, Rate], max_callers: int = 100_000) -> None:
        self.rates = rates
        self.max_callers = max_callers
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def take(self, caller: str, role: str | None) -> float:
        """0 when the request may go ahead, else the seconds to wait. `role` None: anonymous."""
        rate = self.rates.get(role or "anonymous")
        if rate is None:
            return 0.0
        now = time.monotonic()
        tokens, last = self._buckets.pop(caller, (float(rate.burst), now))
        tokens = min(rate.burst, tokens + (now - last) * rate.per_second)
        if tokens >= 1:
            self._buckets[caller] = (tokens - 1, now)
            wait = 0.0
        else:
            self._buckets[caller] = (tokens, now)
            wait = (1 - tokens) / rate.per_second
        while len(self._buckets) > self.max_callers:
            self._buckets.popitem(last=False)
        return wait

    @staticmethod
    def retry_after(wait: float) -> int:
        return max(1, math.ceil(wait))

    def refund(self, caller: str, role: str | None) -> None:
        """Give back the token `take` just took (the shared bucket refused the request)."""
        rate = self.rates.get(role or "anonymous")
        if rate is not None and caller in self._buckets:
            tokens, last = self._buckets[caller]
            self._buckets[caller] = (min(rate.burst, tokens + 1), last)


# How long a request waits for the shared bucket before its worker's own decides (a database
# failing over would otherwise hold every request for PgBouncer's whole wait).
SHARED_TIMEOUT = 0.5
# … and for how long after such a failure the worker's buckets decide alone
SKIP_SECONDS = 5.0


def _consume(task: asyncio.Future) -> None:
    """A statement given up on: its outcome is read (and dropped) when it comes."""
    if not task.cancelled():
        task.exception()
# Buckets untouched for this long are full again (no rate refills slower) and are dropped.
IDLE_SECONDS = 600


class SharedRateLimiter:
    """The database's buckets, behind this worker's own (`local`)."""

    def __init__(self, rates: dict[str, Rate], *, shared: bool) -> None:
        self.rates = rates
        self.shared = shared
        self.local = RateLimiter(rates)
        self.idle_seconds = max([IDLE_SECONDS, *(2 * r.burst / r.per_second
                                                 for r in rates.values())])
        self._warned = 0.0
        self._skip_until = 0.0

    async def take(self, caller: str, role: str | None) -> float:
        wait = self.local.take(caller, role)
        rate = self.rates.get(role or "anonymous")
        if wait or rate is None or not self.shared:
            return wait
        now = time.monotonic()
        if now < self._skip_until:  # the database did not answer a moment ago
            return 0.0
        # not wait_for: a cancelled query waits for the server's acknowledgement, which a
        # pooler holding it for a primary that is failing over does not send; the late
        # statement is left to finish (or fail) on its own
        task = asyncio.ensure_future(get_connection("default").execute_query(
            "SELECT sijill_take_token($1, $2, $3)",
            [caller[:200], rate.per_second, float(rate.burst)]))
        done, _ = await asyncio.wait({task}, timeout=SHARED_TIMEOUT)
        problem = None
        if not done:
            task.add_done_callback(_consume)
            problem = "no answer"
        elif task.exception() is not None:
            problem = type(task.exception()).__name__
        if problem is not None:
            self._skip_until = now + SKIP_SECONDS
            if now - self._warned > 10:
                self._warned = now
                log.warning("shared rate limit unavailable (%s): this worker's buckets decide "
                            "for %s s", problem, SKIP_SECONDS)
            return 0.0
        _, rows = task.result()
        shared_wait = float(rows[0][0])
        if shared_wait:
            self.local.refund(caller, role)
        return shared_wait

    retry_after = staticmethod(RateLimiter.retry_after)

    async def sweep(self) -> int:
        """Drop the buckets idle long enough to be full again; returns how many."""
        if not self.shared:
            return 0
        count, _ = await get_connection("default").execute_query(
            "DELETE FROM rate_buckets WHERE at < now() - make_interval(secs => $1)",
            [self.idle_seconds])
        return count

    async def keep_swept(self, every: float = 60.0) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await self.sweep()
            except Exception as exc:  # noqa: BLE001 - next time
                log.warning("rate buckets not swept: %s", type(exc).__name__)
