"""The PostgreSQL engine: Tortoise's asyncpg client with a pool that does not reset connections.

asyncpg's pool runs `SELECT pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL;` on
every release. Sijill leaves no session state behind (advisory locks are transaction-scoped, no
LISTEN, no session SET, no cursors outside transactions), so the release only rolls back a
transaction left open, which asyncpg does before calling `reset`.
"""

from __future__ import annotations

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient


async def _keep_session(connection: asyncpg.Connection) -> None:
    """Nothing to reset (see the module docstring)."""


class PooledClient(AsyncpgDBClient):
    async def create_pool(self, **kwargs) -> asyncpg.Pool:
        return await asyncpg.create_pool(None, reset=_keep_session, **kwargs)


client_class = PooledClient
