"""Which database the test session runs on, and its creation and removal.

- DATABASE_URL=postgres://…  → a fresh database `sijill_test_<random>` on that server;
- DATABASE_URL=sqlite://…    or SIJILL_TEST_ENGINE=sqlite → a fresh SQLite file;
- nothing set                → PostgreSQL at 127.0.0.1:5432 when it answers, else SQLite.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


async def _answers(url: str) -> bool:
    try:
        conn = await asyncio.wait_for(asyncpg.connect(url), timeout=3)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True


async def choose_server() -> str | None:
    """The PostgreSQL server URL to use, or None for SQLite."""
    if os.environ.get("SIJILL_TEST_ENGINE") == "sqlite":
        return None
    url = os.environ.get("DATABASE_URL")
    if url:
        return url if url.startswith(("postgres://", "postgresql://")) else None
    return LOCAL_POSTGRES if await _answers(LOCAL_POSTGRES) else None


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name, query=""))


class TestDatabase:
    __test__ = False  # a helper, not a test class
    def __init__(self, server: str | None) -> None:
        self.server = server
        self.name = f"sijill_test_{secrets.token_hex(4)}"
        if server is None:
            self._dir = tempfile.TemporaryDirectory(prefix="sijill-test-")
            self.url = "sqlite://" + str(Path(self._dir.name) / "test.db")
        else:
            self.url = _with_db(server, self.name)

    @property
    def engine(self) -> str:
        return "sqlite" if self.server is None else "postgres"

    async def create(self) -> None:
        if self.server is None:
            return
        conn = await asyncpg.connect(_with_db(self.server, "postgres"))
        try:
            await conn.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            await conn.close()

    async def drop(self) -> None:
        if self.server is None:
            self._dir.cleanup()
            return
        conn = await asyncpg.connect(_with_db(self.server, "postgres"))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            await conn.close()


TABLES = [
    "eligibility_changes", "published_answers", "feed_marks",
    "program_lookups", "program_lookup_counts", "idempotency_keys", "rescore_runs", "enrollments", "household_indices", "declarations",
    "memberships", "households", "persons", "rate_buckets",
]
