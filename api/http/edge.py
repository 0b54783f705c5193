"""The outermost layer of the audited routes (`/graphql`, `/audit/export`): request ids, the
header size limit, the limit on refusals before authentication, and an audit record for every
answer the GraphQL view does not record itself (contract §7a).

- Every request gets a server-made, unique request id; a client's `X-Request-Id` is kept as
  `clientRequestId`.
- A header over `MAX_HEADER_BYTES` (or all headers over `MAX_HEADERS_BYTES`) is refused with 431.
- Answers the view never sees — 405 for other methods, 413 for an oversized body, 431, the 307
  of `/graphql/`, the GraphiQL page — are recorded here, before the answer leaves, with
  `errorCode` `HTTP_<status>` when there is no GraphQL error code.
- An exception that escapes the application before its answer has started is answered here:
  500 `INTERNAL` in the GraphQL error shape, with its request id and an audit record (fail
  closed: never an unrecorded answer, never a stack trace).
- Answers before authentication (those above, and 401 for a missing or invalid token) are
  counted per client in a token bucket: an IPv4 address, or an IPv6 address's /64 network (one
  subscriber's allocation, which a single client can rotate through freely). Within it, each refusal has its own record;
  past it, the client is answered 429 and its refusals are recorded as one aggregated record per
  client and minute, with their `count`: a flood of invalid tokens cannot write a row per
  request.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import math
import os
import time
from collections import OrderedDict
from datetime import UTC, datetime

from api.errors import INTERNAL_MESSAGE
from api.http.ratelimit import Rate, parse_rate

log = logging.getLogger("sijill.edge")

AUDITED_PATHS = frozenset({"/graphql", "/graphql/", "/audit/export"})
MAX_HEADER_BYTES = 8 * 1024
MAX_HEADERS_BYTES = 32 * 1024
DEFAULT_REFUSAL_RATE = Rate(per_second=2.0, burst=30)


def parse_refusal_rate(text: str) -> Rate | None:
    """`rate/burst` refusals per second and client (e.g. `2/30`); `none`: no limit."""
    text = text.strip().lower()
    if not text:
        return DEFAULT_REFUSAL_RATE
    if text == "none":
        return None
    return parse_rate(text, "SIJILL_REFUSAL_RATE")


class RefusalLimiter:
    """A token bucket per client address for refusals before authentication, and the count of
    refusals past it per (client, minute), written as aggregated records."""

    def __init__(self, rate: Rate | None, max_clients: int = 100_000) -> None:
        self.rate = rate
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._past: dict[tuple[str, int], int] = {}

    def take(self, client: str) -> float:
        """0 when this refusal is recorded on its own, else the seconds until the next one
        would be (the refusal is then counted in the client's minute)."""
        if self.rate is None:
            return 0.0
        now = time.monotonic()
        tokens, last = self._buckets.pop(client, (float(self.rate.burst), now))
        tokens = min(self.rate.burst, tokens + (now - last) * self.rate.per_second)
        wait = 0.0
        if tokens >= 1:
            tokens -= 1
        else:
            wait = (1 - tokens) / self.rate.per_second
            minute = int(time.time() // 60)
            self._past[(client, minute)] = self._past.get((client, minute), 0) + 1
        self._buckets[client] = (tokens, now)
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return wait

    def due(self, *, everything: bool = False) -> list[tuple[str, int, int]]:
        """(client, minute, count) of the minutes that have ended (all of them at shutdown),
        removed from the counts."""
        current = int(time.time() // 60)
        ended = [key for key in self._past if everything or key[1] < current]
        return [(client, minute, self._past.pop((client, minute))) for client, minute in ended]


def new_request_id() -> str:
    """128 random bits as 32 hex digits (the form of a UUID's hex, without its object)."""
    return os.urandom(16).hex()


def retry_after(wait: float) -> int:
    return max(1, math.ceil(wait))


class Edge:
    """ASGI middleware for the audited routes. `recorder(scope, status, error_code, count=None,
    client=None)` writes one audit record and returns once it is durable."""

    def __init__(self, app, *, recorder, limiter: RefusalLimiter) -> None:
        self.app = app
        self.recorder = recorder
        self.limiter = limiter
        self._flusher: asyncio.Task | None = None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(scope, receive, send)
            return
        if scope["type"] != "http" or scope.get("path") not in AUDITED_PATHS:
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["request_id"] = new_request_id()
        state["refusals"] = self.limiter
        state["received"] = time.perf_counter()
        too_large, state["client_request_id"] = _read_headers(scope)
        if too_large:
            await self.refuse(scope, send, 431, "Request header fields over "
                              f"{MAX_HEADER_BYTES} bytes.", "BAD_USER_INPUT")
            return

        async def recording_send(message) -> None:
            if message["type"] == "http.response.start":
                state["sijill_answer_started"] = True
            if message["type"] == "http.response.start" and not state.get("sijill_audited"):
                state["sijill_audited"] = True
                status = message["status"]
                if status not in (401, 429) and self.limiter.take(client_key(scope)):
                    # past the client's limit: counted in its minute, no record of its own
                    pass
                else:
                    await self.recorder(scope, status, None if status < 300 else f"HTTP_{status}")
                message = {**message, "headers": [*message.get("headers", ()), (
                    b"x-request-id", state["request_id"].encode())]}
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        except Exception:
            log.exception("unhandled error answering request %s", state["request_id"])
            if state.get("sijill_answer_started"):
                raise  # the answer has begun: the server can only close the connection
            await self.fail(scope, send)

    async def fail(self, scope, send) -> None:
        """500 INTERNAL for an error the application did not answer, recorded if the request
        has no record yet (a failing audit store is logged: the answer carries no data)."""
        state = scope["state"]
        if not state.get("sijill_audited"):
            state["sijill_audited"] = True
            try:
                await self.recorder(scope, 500, "INTERNAL")
            except Exception:
                log.exception("audit record of request %s not written", state["request_id"])
        body = json.dumps({"errors": [{"message": INTERNAL_MESSAGE,
                                       "extensions": {"code": "INTERNAL"}}]}).encode()
        await send({"type": "http.response.start", "status": 500, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"x-request-id", state["request_id"].encode())]})
        await send({"type": "http.response.body", "body": body})

    async def refuse(self, scope, send, status: int, message: str, code: str) -> None:
        """An answer made here, before the application: recorded (or counted past the
        client's limit) before it leaves."""
        state = scope["state"]
        state["sijill_audited"] = True
        wait = self.limiter.take(client_key(scope))
        headers = [(b"content-type", b"application/json")]
        if wait:
            status, code = 429, "RATE_LIMITED"
            message = "Too many refused requests from this address: retry later."
            headers.append((b"retry-after", str(retry_after(wait)).encode()))
        else:
            await self.recorder(scope, status, f"HTTP_{status}")
        body = json.dumps({"errors": [{"message": message,
                                       "extensions": {"code": code}}]}).encode()
        headers += [(b"content-length", str(len(body)).encode()),
                    (b"x-request-id", state["request_id"].encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def flush(self, *, everything: bool = False) -> None:
        await flush_refusals(self.limiter, self.recorder, everything=everything)

    async def _lifespan(self, scope, receive, send) -> None:
        async def flushing():
            while True:
                await asyncio.sleep(5)
                await self.flush()

        async def wrapped_send(message):
            if message["type"] == "lifespan.startup.complete":
                self._flusher = asyncio.get_running_loop().create_task(flushing())
            await send(message)

        async def wrapped_receive():
            message = await receive()
            if message["type"] == "lifespan.shutdown" and self._flusher is not None:
                self._flusher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._flusher
                await self.flush(everything=True)
            return message

        await self.app(scope, wrapped_receive, wrapped_send)


async def flush_refusals(limiter: RefusalLimiter, recorder, *, everything: bool = False) -> int:
    """One aggregated record per (client, minute) of refusals past the limit, for the minutes
    that have ended (all of them at shutdown); returns how many were written."""
    written = 0
    for client, minute, count in limiter.due(everything=everything):
        at = datetime.fromtimestamp((minute + 1) * 60, UTC)
        try:
            await recorder(None, 429, "RATE_LIMITED", count=count, client=client, at=at)
            written += 1
        except Exception as exc:  # logged; the counts of the next minutes still go out
            log.error("aggregated refusal record not written (%s)", type(exc).__name__)
    return written


def client_of(scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


def client_key(scope) -> str:
    """Whom the refusal limit counts: the client's IPv4 address, or its IPv6 /64 network."""
    return limit_key(client_of(scope))


def limit_key(address: str) -> str:
    if ":" not in address:
        return address
    try:
        parsed = ipaddress.IPv6Address(address)
    except ValueError:
        return address
    if parsed.ipv4_mapped is not None:  # an IPv4 client seen through a dual-stack socket
        return str(parsed.ipv4_mapped)
    if parsed.is_loopback:
        return str(parsed)
    return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))


def _read_headers(scope) -> tuple[bool, str | None]:
    """In one pass over the headers: whether one (or all) is over the size limit, and the
    client's X-Request-Id (printable ASCII, cut to 64 characters) if it sent one."""
    total = 0
    client_request_id = None
    for name, value in scope.get("headers", ()):
        size = len(name) + len(value)
        if size > MAX_HEADER_BYTES:
            return True, None
        total += size
        if name == b"x-request-id":
            text = value.decode("latin-1")
            client_request_id = text[:64] if text and text.isprintable() and text.isascii() \
                else None
    return total > MAX_HEADERS_BYTES, client_request_id
