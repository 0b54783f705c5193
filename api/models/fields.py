"""Column types of the registry's own."""

from __future__ import annotations

import json
from typing import Any

from tortoise import fields


class FloatArrayField(fields.Field[list], list):
    """A list of floats (None allowed in it): `DOUBLE PRECISION[]` on PostgreSQL — 8 bytes a
    number, written and read without text — and JSON text on SQLite."""

    SQL_TYPE = "JSON"

    class _db_postgres:
        SQL_TYPE = "DOUBLE PRECISION[]"

    def _postgres(self) -> bool:
        return self.model._meta.db.capabilities.dialect == "postgres"

    def to_db_value(self, value: Any, instance: Any) -> Any:
        if value is None:
            return None
        values = [None if v is None else float(v) for v in value]
        return values if self._postgres() else json.dumps(values)

    def to_python_value(self, value: Any) -> list[float | None] | None:
        if value is None:
            return None
        if isinstance(value, (str, bytes)):
            value = json.loads(value)
        return [None if v is None else float(v) for v in value]
