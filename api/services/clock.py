"""The registry's notion of today (Africa/Casablanca), in one place so tests can reason about it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

REGISTRY_TZ = ZoneInfo("Africa/Casablanca")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(REGISTRY_TZ).date()
