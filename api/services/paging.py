"""Keyset pages, one way for every list: `first` within bounds, an opaque cursor naming the kind
of row and its key (`household:<uuid>`, `enrollment:<uuid>`, `audit:<sequence>`, base64), and
one more row read than asked for to know whether a next page exists."""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from api.errors import BadUserInput

PAGE_MAX = 100
T = TypeVar("T")


def check_first(first: int) -> None:
    if not 0 <= first <= PAGE_MAX:
        raise BadUserInput(f"`first` is from 0 to {PAGE_MAX}.", field="first")


def encode_cursor(kind: str, key: Any) -> str:
    return base64.urlsafe_b64encode(f"{kind}:{key}".encode()).decode()


def decode_cursor(cursor: str, kind: str, parse: Callable[[str], T]) -> T:
    """The key a cursor of this kind names; BAD_USER_INPUT on `after` for anything else."""
    try:
        found, value = base64.urlsafe_b64decode(cursor.encode()).decode().split(":", 1)
        if found != kind:
            raise ValueError(found)
        return parse(value)
    except (ValueError, UnicodeError) as exc:
        raise BadUserInput("Malformed cursor.", field="after") from exc


def uuid_key(value: str) -> str:
    return str(uuid.UUID(value))


class TotalCount:
    """How many rows a page is cut from, counted only when asked for (a connection's
    `totalCount`), once: a registrar's page of a region's households would otherwise count
    hundreds of thousands of rows for each page of twenty."""

    def __init__(self, query=None, *, known: int | None = None) -> None:
        self._query = query
        self._value = known
        self._lock = asyncio.Lock()  # `totalCount` selected twice resolves concurrently

    async def get(self) -> int:
        async with self._lock:
            if self._value is None:
                self._value = await self._query.count()
        return self._value


def no_rows() -> tuple[list, bool, TotalCount]:
    """The page of a caller who may see no row."""
    return [], False, TotalCount(known=0)


async def keyset_page(query, *, key: str, first: int, after: Any | None,
                      descending: bool = False) -> tuple[list, bool, TotalCount]:
    """(rows, has_next_page, total count) of `query` ordered by `key`, after the row whose key
    is `after` (already decoded); the total is counted when it is asked for."""
    total = TotalCount(query)
    if after is not None:
        query = query.filter(**{f"{key}__{'lt' if descending else 'gt'}": after})
    rows = await query.order_by(f"-{key}" if descending else key).limit(first + 1)
    return rows[:first], len(rows) > first, total
