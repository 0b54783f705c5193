"""Prometheus metrics: per-operation request counts and latency, audit-write latency.

Labels are bounded: the operation name is kept only when the document names it (at most 64
characters, printable), else `anonymous`; no identifier, query text or variable is ever a label.
With several workers, each exposes its own registry (scrape each, or use the multiprocess mode of
prometheus-client).
"""

from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response

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


def label(operation: str) -> str:
    return operation[:64] if operation and operation.isprintable() else "anonymous"


async def endpoint(request: Request) -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
