"""Prometheus metrics: per-operation request counts and latency, audit-write latency, and the
PostgreSQL connection pool. Every name and label is listed in docs/operations.md.

Labels are bounded: an operation is labelled by its name only when the document names it with a
valid GraphQL name of at most 64 characters and no run of six digits (an identifier pasted in a
name), and only for the first `MAX_OPERATION_NAMES` names a process sees; unnamed operations are
`anonymous`, the rest `other`. No identifier, query text or variable is ever a label.

Several workers (`sijill run --workers N`) share one view through prometheus-client's
multiprocess mode: with `PROMETHEUS_MULTIPROC_DIR` set before the workers start (`sijill run` sets
and empties it), each worker writes its samples to files there and `/metrics`, whichever worker
answers, adds them up.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from starlette.requests import Request
from starlette.responses import Response

from api.settings import get_settings

# prometheus-client writes its multiprocess files as soon as a metric exists: the directory must.
_multiproc_dir = get_settings().prometheus_multiproc_dir
if _multiproc_dir is not None:
    os.makedirs(_multiproc_dir, exist_ok=True)

# No `*_created` series: multiprocess mode has none, so one worker or several expose the same names.
disable_created_metrics()
REGISTRY = CollectorRegistry(auto_describe=True)

REQUESTS = Counter(
    "sijill_graphql_requests_total", "GraphQL operations by name, type and outcome.",
    ["operation", "operation_type", "outcome"], registry=REGISTRY,
)
LATENCY = Histogram(
    "sijill_graphql_request_seconds", "GraphQL operation latency, audit write included.",
    ["operation", "operation_type"], registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
AUDIT_WRITE = Histogram(
    "sijill_audit_write_seconds", "Time a request waited for its audit record to be durable.",
    registry=REGISTRY, buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1),
)

ANONYMOUS = "anonymous"
OTHER = "other"
MAX_OPERATION_NAMES = 200
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
_DIGITS = re.compile(r"\d{6}")
_names: set[str] = set()


def safe_name(operation: str | None) -> str:
    """The operation name as logs and metrics may show it: `anonymous`, a valid name, `other`."""
    if not operation or operation == ANONYMOUS:
        return ANONYMOUS
    if not _NAME.fullmatch(operation) or _DIGITS.search(operation):
        return OTHER
    return operation


def label(operation: str | None, operation_type: str = "query") -> str:
    """The `operation` label: a safe name among the first MAX_OPERATION_NAMES, else `other`;
    a name that matched no operation of a parsed document (type `unknown`) is `other` too."""
    name = safe_name(operation)
    if name == ANONYMOUS or name in _names:
        return name
    if operation_type == "unknown" or len(_names) >= MAX_OPERATION_NAMES:
        return OTHER
    _names.add(name)
    return name


class PoolGauges:
    """asyncpg's pool under tortoise (opened at the first query), sampled every few seconds and
    on each scrape. With several workers the values are summed over live workers (`livesum`)."""

    INTERVAL = 5.0

    def __init__(self, connection) -> None:
        self.connection = connection
        common = {"registry": REGISTRY, "multiprocess_mode": "livesum"}
        self.size = Gauge("sijill_db_pool_connections",
                          "Connections the pool holds open.", **common)
        self.in_use = Gauge("sijill_db_pool_connections_in_use",
                            "Connections lent to a request or the audit writer.", **common)
        self.idle = Gauge("sijill_db_pool_connections_idle",
                          "Open connections waiting in the pool.", **common)
        self.max = Gauge("sijill_db_pool_max_connections",
                         "Most connections the pool may open (SIJILL_DB_POOL_MAX).", **common)
        self.task: asyncio.Task | None = None

    def sample(self) -> None:
        pool = self.connection._pool
        if pool is None:  # opened at the first query
            self.max.set(self.connection.pool_maxsize)
            return
        size, idle = pool.get_size(), pool.get_idle_size()
        self.size.set(size)
        self.idle.set(idle)
        self.in_use.set(size - idle)
        self.max.set(pool.get_max_size())

    async def _loop(self) -> None:
        while True:
            self.sample()
            await asyncio.sleep(self.INTERVAL)

    def start(self) -> None:
        self.task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        for gauge in (self.size, self.in_use, self.idle, self.max):
            REGISTRY.unregister(gauge)


_pool_gauges: PoolGauges | None = None


@contextlib.asynccontextmanager
async def watching_pool(connection):
    """Export the pool gauges while the app runs, when the connection is tortoise's asyncpg
    client (PostgreSQL); SQLite has one connection and no pool, so nothing is exported."""
    global _pool_gauges
    from tortoise.backends.asyncpg.client import AsyncpgDBClient

    if not isinstance(connection, AsyncpgDBClient) or _pool_gauges is not None:
        yield
        return
    _pool_gauges = PoolGauges(connection)
    _pool_gauges.start()
    try:
        yield
    finally:
        await _pool_gauges.stop()
        _pool_gauges = None


def worker_stopped(settings) -> None:
    """A worker leaving drops its live gauges from the multiprocess sums."""
    if settings.prometheus_multiproc_dir is not None:
        multiprocess.mark_process_dead(os.getpid(), str(settings.prometheus_multiproc_dir))


def exposition(settings) -> bytes:
    if _pool_gauges is not None:
        _pool_gauges.sample()
    if settings.prometheus_multiproc_dir is not None:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, str(settings.prometheus_multiproc_dir))
        return generate_latest(registry)
    return generate_latest(REGISTRY)


async def endpoint(request: Request) -> Response:
    return Response(exposition(request.app.state.settings), media_type=CONTENT_TYPE_LATEST)
