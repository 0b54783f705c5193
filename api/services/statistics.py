"""Aggregates of the register for auditors: counts of households and persons by region,
province, milieu or index band. Counts below 10 are suppressed (returned as None), with the
complementary counts that would let one be derived (api/services/suppression.py), so that no
small group can be singled out. Every aggregate of one answer is read from one snapshot of the
register: suppression reasons on counts that add up."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from tortoise import connections

from api.db import connection_config, normalise_url
from api.services.reference import territory
from api.services.suppression import ROOT, Tree, protect
from api.settings import get_settings

log = logging.getLogger("sijill.statistics")
STANDBY = "standby"

BAND_WIDTH = 0.25
GROUPINGS = {
    "REGION": 'h."region_id"',
    "PROVINCE": 'h."province_id"',
    "MILIEU": 'h."milieu"',
    "INDEX_BAND": f'CAST(h."index_value" * {int(1 / BAND_WIDTH)} AS INTEGER)',
}


@dataclass(frozen=True)
class Statistic:
    key: str
    label: str
    households: int | None
    persons: int | None


def label(grouping: str, key) -> tuple[str, str]:
    """(key, label) of a group as the answers show it."""
    if grouping == "REGION":
        region = territory().region(key)
        return key, region.name if region else key
    if grouping == "PROVINCE":
        province = territory().province(key)
        return key, province.name if province else key
    if grouping == "INDEX_BAND":
        if key is None:
            return "NOT_SCORED", "not scored"
        low = int(key) * BAND_WIDTH
        return f"{low:.2f}", f"[{low:.2f}, {low + BAND_WIDTH:.2f})"
    return key, key.title()


@asynccontextmanager
async def _snapshot() -> AsyncIterator:
    """One read-only transaction whose statements all see the register as it was at its first:
    a registration committed between two aggregates would make them disagree, and suppression
    computed on counts that do not add up can give a small one away. PostgreSQL keeps one
    snapshot for the whole transaction only at REPEATABLE READ (READ COMMITTED, its default,
    takes one per statement); a SQLite transaction reads from one snapshot already."""
    standby = _standby_client()
    if standby is not None:
        # the standby (as stale as it is: a synchronous one with remote_apply has applied
        # every acknowledged write); the primary when it cannot start the transaction
        try:
            opened = _transaction(standby)
            conn = await opened.__aenter__()
        except Exception as exc:  # noqa: BLE001 - the primary answers instead
            log.warning("standby unavailable (%s): statistics read on the primary",
                        type(exc).__name__)
        else:
            try:
                yield conn
            except BaseException as exc:
                if not await opened.__aexit__(type(exc), exc, exc.__traceback__):
                    raise
            else:
                await opened.__aexit__(None, None, None)
            return
    async with _transaction(connections.get("default")) as conn:
        yield conn


_standby = None  # the standby's pool, made at the first read


def _standby_client():
    """A client of its own for SIJILL_STANDBY_DATABASE_URL (not one of Tortoise's named
    connections: the models have one database), or None: none is set, or the service's own
    database is not PostgreSQL (a standby of another database would answer for it)."""
    global _standby
    settings = get_settings()
    url = settings.standby_database_url
    if not url or not url.startswith(("postgres://", "postgresql://")) \
            or connections.get("default").capabilities.dialect != "postgres":
        return None
    if _standby is None:
        from api.dbengine import PooledClient

        config = connection_config(normalise_url(url, settings))
        _standby = PooledClient(connection_name=STANDBY, **config["credentials"])
    return _standby


async def close_standby() -> None:
    """At the worker's shutdown (api/http/app.py)."""
    global _standby
    if _standby is not None:
        client, _standby = _standby, None
        await client.close()


@asynccontextmanager
async def _transaction(client) -> AsyncIterator:
    async with client._in_transaction() as conn:
        if conn.capabilities.dialect == "postgres":
            await conn.execute_script(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield conn


async def _counts(conn, expression: str) -> dict:
    sql = (
        f"SELECT {expression} AS k, COUNT(DISTINCT h.\"id\") AS households, "
        'COUNT(m."id") AS persons FROM "households" h '
        'LEFT JOIN "memberships" m ON m."household_id" = h."id" AND m."end_date" IS NULL '
        "WHERE h.\"status\" <> 'CLOSED' GROUP BY k ORDER BY k"
    )
    _, rows = await conn.execute_query(sql)
    return {row["k"]: (row["households"], row["persons"]) for row in rows}


TABLES = {"REGION": "GEOGRAPHY", "PROVINCE": "GEOGRAPHY", "MILIEU": "MILIEU",
          "INDEX_BAND": "INDEX_BAND"}


async def _tree(conn, grouping: str) -> Tree:
    """The grouping's counts as a tree under the register's total, nodes named (kind, key);
    regions and provinces in one tree (a region is the sum of its provinces), so that both
    groupings are protected together against subtraction."""
    counts: dict = {}
    children: dict = {ROOT: []}
    if grouping in ("REGION", "PROVINCE"):
        for code, (households, persons) in (await _counts(conn, GROUPINGS["PROVINCE"])).items():
            region = ("REGION", territory().province(code).region)
            if region not in counts:
                counts[region] = (0, 0)
                children[ROOT].append(region)
                children[region] = []
            counts[region] = (counts[region][0] + households, counts[region][1] + persons)
            counts[("PROVINCE", code)] = (households, persons)
            children[region].append(("PROVINCE", code))
    else:
        for key, value in (await _counts(conn, GROUPINGS[grouping])).items():
            counts[(grouping, key)] = value
            children[ROOT].append((grouping, key))
    counts[ROOT] = (sum(counts[k][0] for k in children[ROOT]),
                    sum(counts[k][1] for k in children[ROOT]))
    return Tree(counts=counts, children=children)


async def registry_statistics(grouping: str) -> list[Statistic]:
    """Households that are not closed, and their current living members, per group; a count
    below 10, and every count that would let one be derived, is withheld (null)."""
    if grouping not in GROUPINGS:
        raise ValueError(grouping)
    # Every table is protected together with the others (they share the register's total),
    # whichever one is asked for: the answer never depends on which was asked before.
    async def read() -> dict:
        async with _snapshot() as conn:
            return {"GEOGRAPHY": await _tree(conn, "REGION"),
                    "MILIEU": await _tree(conn, "MILIEU"),
                    "INDEX_BAND": await _tree(conn, "INDEX_BAND")}

    # The snapshot's transaction runs to its end even when the request is cancelled midway (a
    # sibling root field failed): on SQLite a transaction torn there keeps the connection's lock.
    tables = await asyncio.shield(asyncio.ensure_future(read()))
    hidden = dict(zip(tables, protect(list(tables.values())), strict=True))[TABLES[grouping]]
    tree = tables[TABLES[grouping]]
    nodes = sorted((node for node in tree.counts if node[0] == grouping),
                   key=lambda node: (node[1] is None, node[1] or 0))
    out = []
    for node in nodes:
        key, name = label(grouping, node[1])
        households, persons = tree.counts[node]
        shown = node not in hidden
        out.append(Statistic(key=key, label=name, households=households if shown else None,
                             persons=persons if shown else None))
    return out
