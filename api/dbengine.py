"""The PostgreSQL engine: Tortoise's asyncpg client with a pool that resets a connection only when
it needs it.

asyncpg's pool runs `SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL;` on
every release. Sijill leaves no session state behind (advisory locks are transaction-scoped, no
LISTEN, no session SET, no cursors outside transactions), so an ordinary release needs no
statement: asyncpg rolls back a transaction left open before calling `reset`.

A connection whose work was interrupted — its caller cancelled (a client that went away, a
sibling field that failed) or an error — may be left in the middle of the extended query
protocol: a statement parsed, the server waiting for the rest, its locks held (a
`TRUNCATE`, a migration, an `ALTER` would wait for them) until someone uses the connection
again. Such a connection gets asyncpg's own reset, a simple query that ends that state, when it
goes back to the pool.
"""

from __future__ import annotations

import weakref
from typing import Any

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient
from tortoise.backends.base.client import PoolConnectionWrapper

_interrupted: weakref.WeakSet[asyncpg.Connection] = weakref.WeakSet()


async def _reset_if_interrupted(connection: asyncpg.Connection) -> None:
    if connection in _interrupted:
        _interrupted.discard(connection)
        await connection.reset()


class _Released(PoolConnectionWrapper):
    """A pooled connection taken for one statement or a few, noted as interrupted when the work
    done with it ended with an exception (cancellation included)."""

    __slots__ = ()

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        if exc_type is not None and self.connection is not None:
            _interrupted.add(getattr(self.connection, "_con", self.connection))
        await super().__aexit__(exc_type, exc_val, exc_tb)


class PooledClient(AsyncpgDBClient):
    async def create_pool(self, **kwargs) -> asyncpg.Pool:
        # `?statement_cache_size=0` in DATABASE_URL (behind PgBouncer's transaction pooling:
        # no named prepared statements) arrives as text
        if "statement_cache_size" in kwargs:
            kwargs["statement_cache_size"] = int(kwargs["statement_cache_size"])
        return await asyncpg.create_pool(None, reset=_reset_if_interrupted, **kwargs)

    def acquire_connection(self) -> PoolConnectionWrapper:
        return _Released(self, self._pool_init_lock)


client_class = PooledClient
