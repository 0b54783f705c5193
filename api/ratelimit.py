"""Per-caller rate limiting: a token bucket per caller, sized per role.

Each worker keeps its own buckets (several workers multiply the allowance by their number; a
shared store is the next step when that matters). A refusal is `RATE_LIMITED` with
`extensions.retryAfter` (seconds) and HTTP 429 with `Retry-After`.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from dataclasses import dataclass


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
        rate, _, burst = spec.partition("/")
        rates[role.strip()] = Rate(float(rate), int(burst or max(1, float(rate))))
    return rates


DEFAULT_RATES = "admin=200/400,registrar=50/100,program_agency=200/400,citizen=5/20,auditor=20/40,anonymous=5/10"


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
