"""The access policy version in force across every node (migrations/models/18_*_cluster.py).

The database holds one version of the access policy (which covers the program catalogue: the
programs' `fields` are their grants). With the gate on (`SIJILL_POLICY_GATE`, on by default in
production) a node serves only while its own version is that one:
- `publish` sets it (`sijill policy publish`, run with the release's files; it waits for the
  transactions that checked the previous version, see `sijill_check_policy_version`);
- the first node to start on a database where nothing is published publishes its own
  (`publish_if_none`);
- each worker reads the version in force every `SIJILL_POLICY_CHECK_SECONDS` (`Freshness`):
  when it is not the worker's own, the worker answers 503 and its `/healthz` too, so the load
  balancer sends nothing more to it; and in the second before it notices, the database refuses
  the audit record of any answer decided under the old version (SQLSTATE SJ001), which is
  written before the answer leaves.
With the gate off (a developer's single node) nothing is published or read; the database's
check passes every record while nothing is published.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.connection import get_connection
from tortoise.transactions import in_transaction

log = logging.getLogger("sijill.deployment")

LOCK_KEY = 0x5131_11A1  # sijill_check_policy_version takes it shared
STALE_SQLSTATE = "SJ001"
KIND = "policy"


@dataclass(frozen=True)
class Published:
    version: str
    published_at: datetime
    published_by: str


async def in_force() -> Published | None:
    rows = await get_connection("default").execute_query_dict(
        "SELECT version, published_at, published_by FROM deployment_versions WHERE kind = $1"
        if _postgres() else
        "SELECT version, published_at, published_by FROM deployment_versions WHERE kind = ?",
        [KIND])
    if not rows:
        return None
    row = rows[0]
    at = row["published_at"]
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return Published(row["version"], at, row["published_by"])


async def publish(version: str, by: str) -> Published | None:
    """Make `version` the one in force; returns the one it replaced (None: none was)."""
    now = datetime.now(UTC)
    async with in_transaction() as conn:
        if _postgres():
            # every answer's audit record waits behind a queued exclusive lock: never long
            await conn.execute_query("SET LOCAL lock_timeout = '10s'")
            await conn.execute_query("SELECT pg_advisory_xact_lock($1)", [LOCK_KEY])
        previous = await in_force()  # under the lock: what this publication replaces
        if _postgres():
            await conn.execute_query(
                "INSERT INTO deployment_versions (kind, version, published_at, published_by) "
                "VALUES ($1, $2, $3, $4) ON CONFLICT (kind) DO UPDATE SET "
                "version = EXCLUDED.version, published_at = EXCLUDED.published_at, "
                "published_by = EXCLUDED.published_by", [KIND, version, now, by])
        else:
            await conn.execute_query(
                "INSERT INTO deployment_versions (kind, version, published_at, published_by) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (kind) DO UPDATE SET "
                "version = excluded.version, published_at = excluded.published_at, "
                "published_by = excluded.published_by", [KIND, version, now.isoformat(), by])
    if previous is None or previous.version != version:
        log.info("access policy %s in force (was %s), published by %s", version,
                 previous.version if previous else "none", by)
    return previous


async def publish_if_none(version: str, by: str) -> Published:
    """The version in force; `version` becomes it when none is."""
    current = await in_force()
    if current is None:
        if _postgres():  # with the owner's rights: the service's role only reads the table
            await get_connection("default").execute_query(
                "SELECT sijill_publish_first_policy($1, $2)", [version, by])
        else:
            await get_connection("default").execute_query(
                "INSERT INTO deployment_versions (kind, version, published_at, published_by) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (kind) DO NOTHING",
                [KIND, version, datetime.now(UTC).isoformat(), by])
        current = await in_force()
    assert current is not None
    return current


def is_stale_error(exc: BaseException) -> bool:
    """The database refused a record decided under a policy no longer in force."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if getattr(exc, "sqlstate", None) == STALE_SQLSTATE:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class Freshness:
    """One worker's view: its own version (`own()`, which a reload changes) against the one in
    force, read at most every `interval` seconds. `enabled` False: never stale, nothing read."""

    def __init__(self, own: Callable[[], str], *, interval: float, enabled: bool,
                 node: str) -> None:
        self.own = own
        self.interval = interval
        self.enabled = enabled
        self.node = node
        self.in_force: str | None = None

    @property
    def stale(self) -> bool:
        return self.enabled and self.in_force is not None and self.in_force != self.own()

    async def start(self) -> None:
        if not self.enabled:
            return
        self.in_force = (await publish_if_none(self.own(), self.node)).version
        if self.stale:
            log.warning("this node's access policy %s is not the version in force %s: it "
                        "answers 503 until `sijill policy publish` makes its version the one "
                        "in force", self.own(), self.in_force)

    async def refresh(self) -> None:
        current = await in_force()
        self.in_force = current.version if current else None

    async def keep_fresh(self) -> None:
        if not self.enabled:
            return
        was_stale = self.stale
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.refresh()
            except Exception as exc:  # noqa: BLE001 - the database may be failing over
                log.warning("could not read the access policy in force: %s", type(exc).__name__)
                continue
            if self.stale != was_stale:
                was_stale = self.stale
                if was_stale:
                    log.warning("access policy %s is in force, this node has %s: answering 503",
                                self.in_force, self.own())
                else:
                    log.info("access policy %s in force: serving again", self.in_force)


def _postgres() -> bool:
    return get_connection("default").capabilities.dialect == "postgres"
