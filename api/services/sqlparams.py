"""Positional parameters of a hand-written statement, for either engine: `$1, $2…` on
PostgreSQL, `?` on SQLite, where dates and times are passed as text (as Tortoise stores them
there). Write the statement with `p(value)` where a value goes, then run it with `p.values`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any


class Params:
    def __init__(self, conn) -> None:
        self.postgres = conn.capabilities.dialect == "postgres"
        self.values: list[Any] = []

    def __call__(self, value: Any) -> str:
        """The placeholder of one more value."""
        if not self.postgres and isinstance(value, date):  # a datetime is a date too
            value = str(value)
        self.values.append(value)
        return f"${len(self.values)}" if self.postgres else "?"

    def each(self, values: Iterable[Any]) -> str:
        """Placeholders of several values, comma-separated (for `IN (…)`)."""
        return ", ".join(self(value) for value in values)
