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
