"""Webhooks: a program's changes of answers pushed to its agency (docs/agencies.md "Webhooks").

An agency registers a URL; `sijill deliver` (one active deliverer per database: a session
advisory lock) POSTs each webhook the program's changes after its position, in batches, signed
as the Standard Webhooks specification says (`webhook-id`, `webhook-timestamp`,
`webhook-signature: v1,<base64 HMAC-SHA256>`). A 2xx answer moves the position; anything else
is retried with exponential backoff (5 s doubling, at most an hour between attempts) for 24
hours, then the webhook is disabled. Delivery is at least once: the position moves only after
the receiver has answered, so a deliverer killed mid-batch sends the batch again.

In production a URL must be `https` and its host must resolve to public addresses only (no
loopback, private, link-local, multicast or reserved targets); the check is made when the
webhook is created and again at every connection, against the addresses the request then goes
to (the connection is pinned to them: a DNS answer that changes in between cannot send it
elsewhere).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ipaddress
import json
import logging
import secrets
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import httpx
from standardwebhooks.webhooks import Webhook as Signer

from api.errors import BadUserInput, Forbidden, NotFound
from api.models import EligibilityChange, Household, Webhook, WebhookDelivery
from api.principal import Principal
from api.programs.catalogue import catalogue
from api.services import audit, clock, feed, paging
from api.services.eligibility import check_program_access

log = logging.getLogger("sijill.webhooks")

ADVISORY_LOCK_KEY = 0x5131_DE11
BATCH = 100
FIRST_RETRY = timedelta(seconds=5)
LONGEST_WAIT = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=24)
TIMEOUT = 10.0
SWEEP_EVERY = 60.0  # seconds between looks for changes left unnumbered
MAX_WEBHOOKS = 10  # active, per program
LISTED = 100  # the newest, in a list of webhooks


class UnsafeTarget(Exception):
    """The URL may not be called: not https in production, or not a public address."""


# --- the target's address ----------------------------------------------------------------------

# IPv6 prefixes that carry or reach an IPv4 address (NAT64, 6to4, Teredo, IPv4-compatible) or
# are deprecated site-local: a target there could be an internal IPv4 host.
_TUNNELS = tuple(ipaddress.ip_network(n) for n in (
    "64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "2001::/32", "::/96", "fec0::/10"))


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif any(ip in network for network in _TUNNELS):
            return False
    return ip.is_global and not ip.is_multicast


def check_url(url: str, *, production: bool) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL a webhook may have, or UnsafeTarget (nothing resolved)."""
    if len(url) > 2000:
        raise UnsafeTarget("A URL is at most 2000 characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget("Malformed URL.") from exc
    allowed = ("https",) if production else ("https", "http")
    if parts.scheme not in allowed:
        raise UnsafeTarget("The URL must be https." if production else
                           "The URL must be http or https.")
    if not parts.hostname or parts.username or parts.password or parts.fragment:
        raise UnsafeTarget("The URL needs a host, and no credentials or fragment.")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80)


async def resolve_public(host: str, port: int) -> list[str]:
    """The addresses of `host`, all public, or UnsafeTarget."""
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port,
                                                             type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeTarget("The URL's host does not resolve.") from exc
    addresses = sorted({info[4][0] for info in found})
    if not addresses or not all(_public(a) for a in addresses):
        raise UnsafeTarget("The URL's host must resolve to public addresses only.")
    return addresses


# --- the agency's operations -------------------------------------------------------------------

def _program_of(principal: Principal, program: str | None) -> str:
    """An agency's webhooks are its program's; an admin names the program."""
    if principal.has("program_agency") and not principal.is_admin:
        if program is not None and program != principal.program:
            raise Forbidden("An agency manages its own program's webhooks.")
        program = principal.program
    if program is None:
        raise BadUserInput("Name the program whose changes the webhook receives.",
                           field="program")
    check_program_access(principal, program)
    return program


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


async def create(principal: Principal, url: str, program: str | None, *,
                 production: bool) -> Webhook:
    program = _program_of(principal, program)
    try:
        _scheme, host, port = check_url(url, production=production)
        if production:
            await resolve_public(host, port)
    except UnsafeTarget as exc:
        raise BadUserInput(str(exc), field="url") from None
    if await Webhook.filter(program=program, active=True).count() >= MAX_WEBHOOKS:
        raise BadUserInput(f"A program has at most {MAX_WEBHOOKS} active webhooks.",
                           field="url")
    # from the newest numbered change (one committed but not yet numbered gets a later number)
    latest = await EligibilityChange.filter(sequence__not_isnull=True).order_by("-sequence"
                                                                                ).first()
    now = clock.now()
    return await Webhook.create(
        id=uuid.uuid4(), program=program, url=url, secret=new_secret(),
        created_by=principal.subject, purpose=principal.purpose, created_at=now,
        last_sequence=latest.sequence if latest else 0, next_attempt_at=now)


async def list_for(principal: Principal, program: str | None = None) -> list[Webhook]:
    """The newest first."""
    if principal.is_admin and program is None:
        return await Webhook.all().order_by("-created_at").limit(LISTED)
    return await Webhook.filter(program=_program_of(principal, program)
                                ).order_by("-created_at").limit(LISTED)


async def _own(principal: Principal, webhook_id: str, field: str) -> Webhook:
    """`field`: the argument that named it (`id`, `webhookId`), for a malformed id."""
    try:
        key = uuid.UUID(webhook_id)
    except ValueError:
        raise BadUserInput("Malformed webhook id.", field=field) from None
    webhook = await Webhook.get_or_none(id=key)
    if webhook is None or not (principal.is_admin or webhook.program == principal.program):
        raise NotFound("No webhook with this id.")
    return webhook


async def delete(principal: Principal, webhook_id: str) -> bool:
    webhook = await _own(principal, webhook_id, "id")
    await WebhookDelivery.filter(webhook_id=webhook.id).delete()
    await webhook.delete()
    return True


async def deliveries(principal: Principal, webhook_id: str, *, first: int, after: str | None):
    """(attempts newest first, whether more follow)."""
    webhook = await _own(principal, webhook_id, "webhookId")
    paging.check_first(first)
    query = WebhookDelivery.filter(webhook_id=webhook.id)
    if after is not None:
        query = query.filter(id__lt=paging.decode_cursor(after, "delivery", int))
    rows = await query.order_by("-id").limit(first + 1)
    return rows[:first], len(rows) > first


def delivery_cursor(row: WebhookDelivery) -> str:
    return paging.encode_cursor("delivery", row.id)


# --- what a delivery carries --------------------------------------------------------------------

def _granted(program: str) -> frozenset[str]:
    return frozenset(catalogue()[program].fields)


def payload(program: str, changes: list[EligibilityChange],
            households: dict[str, Household]) -> dict:
    """The changes as the feed shows them, each answer with the program's fields only."""
    grants = _granted(program)
    out = []
    for change in changes:
        answer: dict = {}
        values = {
            "idcs": change.idcs, "program": change.program, "eligible": change.eligible,
            "reasons": list(feed.reasons_of(change)), "monthlyAmount": change.monthly_amount,
            "threshold": change.threshold, "formulaVersion": change.formula_version,
            "evaluatedAt": change.at.isoformat(),
            "amountLines": None if change.amount_lines is None else [
                {"label": label, "amount": amount}
                for label, amount in feed.amount_lines_of(change) or ()],
        }
        for name, value in values.items():
            if f"Eligibility.{name}" in grants:
                answer[name] = value
        if "Eligibility.household" in grants:
            household = households.get(change.household_id or "")
            answer["household"] = None if household is None else {
                name: getattr(household, attr) if name != "id" else str(household.id)
                for name, attr in (("id", "id"), ("reference", "reference"))
                if f"Household.{name}" in grants}
        out.append({"sequence": change.sequence, "at": change.at.isoformat(),
                    "idcs": change.idcs, "kind": change.kind, "cause": change.cause,
                    "eligibility": answer})
    return {"program": program, "changes": out,
            "cursor": feed.encode_cursor(changes[-1].sequence) if changes else None}


def delivered_fields(program: str) -> list[str]:
    return sorted({"EligibilityChange.sequence", "EligibilityChange.at", "EligibilityChange.idcs",
                   "EligibilityChange.kind", "EligibilityChange.cause",
                   "EligibilityChange.eligibility"}
                  | {g for g in _granted(program) if g.startswith("Eligibility.")})


# --- the deliverer ------------------------------------------------------------------------------

@dataclass
class Sent:
    status: int | None
    error: str | None


async def post(client: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str], *,
               production: bool) -> Sent:
    """POST the body; in production the connection goes to the public addresses checked now."""
    try:
        scheme, host, port = check_url(url, production=production)
        extensions = {}
        target = url
        if production:
            address = (await resolve_public(host, port))[0]
            parts = urlsplit(url)
            literal = f"[{address}]" if ":" in address else address
            target = urlunsplit(parts._replace(netloc=f"{literal}:{port}"))
            headers = {**headers, "host": parts.netloc}
            extensions = {"sni_hostname": host}
        async with asyncio.timeout(TIMEOUT):  # the whole exchange, not each read
            async with client.stream("POST", target, content=body, headers=headers,
                                     extensions=extensions) as response:
                status = response.status_code  # its body is never read
        return Sent(status, None if 200 <= status < 300
                    else f"the receiver answered {status}")
    except UnsafeTarget as exc:
        return Sent(None, str(exc))
    except TimeoutError:
        return Sent(None, f"no answer within {TIMEOUT:.0f} s")
    except httpx.HTTPError as exc:
        return Sent(None, f"{type(exc).__name__}: {exc}"[:300])


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure in a row: 5 s, 10 s, 20 s… at most an hour."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


async def deliver_due(client: httpx.AsyncClient, *, production: bool, policy_version: str,
                      batch: int = BATCH, now: datetime | None = None,
                      full_sweep: bool = True) -> int:
    """One round: each active webhook due gets its next batch (at most `batch` changes).
    Returns the number of changes delivered. `full_sweep=False`: changes left unnumbered by a
    writer that stopped between its commit and their numbering are not looked for (the loop
    does so once a minute)."""
    await feed.sequence(full=full_sweep)
    now = now or clock.now()
    delivered = 0
    for webhook in await Webhook.filter(active=True, next_attempt_at__lte=now).order_by("id"):
        delivered += await _deliver_one(client, webhook, production=production, batch=batch,
                                        policy_version=policy_version)
    return delivered


async def _deliver_one(client: httpx.AsyncClient, webhook: Webhook, *, production: bool,
                       batch: int, policy_version: str) -> int:
    changes = await EligibilityChange.filter(program=webhook.program,
                                             sequence__gt=webhook.last_sequence
                                             ).order_by("sequence").limit(batch)
    if not changes:
        return 0
    household_ids = sorted({c.household_id for c in changes if c.household_id})
    households = {str(h.id): h for h in await Household.filter(id__in=household_ids)} \
        if household_ids else {}
    message_id = f"msg_{uuid.uuid4().hex}"
    sent_at = clock.now()
    body = json.dumps({"type": "eligibility.changed", "timestamp": sent_at.isoformat(),
                       "data": payload(webhook.program, changes, households)},
                      separators=(",", ":"))
    signature = Signer(webhook.secret).sign(message_id, sent_at, body)
    headers = {"content-type": "application/json", "webhook-id": message_id,
               "webhook-timestamp": str(int(sent_at.timestamp())),
               "webhook-signature": signature, "user-agent": "Sijill-Webhooks/1.1"}
    # recorded before anything leaves: the receiver may hold the data even if the attempt fails
    await _audit(webhook, changes, message_id, policy_version)
    started = time.perf_counter()
    sent = await post(client, webhook.url, body.encode(), headers, production=production)
    duration = int((time.perf_counter() - started) * 1000)
    ok = sent.error is None
    await WebhookDelivery.create(
        webhook_id=webhook.id, message_id=message_id, attempted_at=sent_at,
        first_sequence=changes[0].sequence, last_sequence=changes[-1].sequence,
        changes=len(changes), status_code=sent.status, delivered=ok, error=sent.error,
        duration_ms=duration)
    now = clock.now()
    if ok:
        await Webhook.filter(id=webhook.id, last_sequence__lt=changes[-1].sequence).update(
            last_sequence=changes[-1].sequence, attempts=0, failing_since=None,
            next_attempt_at=now)
        return len(changes)
    attempts = webhook.attempts + 1
    failing_since = webhook.failing_since or sent_at
    if now - failing_since >= GIVE_UP_AFTER:
        await Webhook.filter(id=webhook.id).update(
            active=False, disabled_at=now, attempts=attempts, failing_since=failing_since,
            disabled_reason=f"failing since {failing_since.isoformat()}: {sent.error}"[:300])
        log.warning("webhook disabled after 24 hours of failures", extra={
            "webhook": str(webhook.id), "program": webhook.program})
    else:
        await Webhook.filter(id=webhook.id).update(
            attempts=attempts, failing_since=failing_since,
            next_attempt_at=now + backoff(attempts))
    return 0


async def _audit(webhook: Webhook, changes: list[EligibilityChange], message_id: str,
                 policy_version: str) -> None:
    """A delivery shows the agency persons' answers: recorded as the agency's read."""
    await audit.append([audit.AuditRecord(
        actor=f"webhook:{webhook.id}", roles=["program_agency"], program=webhook.program,
        purpose=webhook.purpose, operation="webhookDelivery", operation_type="delivery",
        fields=delivered_fields(webhook.program), subjects=sorted({c.idcs for c in changes}),
        outcome="ALLOWED", error_code=None,
        request_id=message_id, policy_version=policy_version,
        catalogue_version=catalogue().version)])


async def run(database_url: str, *, production: bool, policy_version: str, poll: float = 1.0,
              stop: asyncio.Event | None = None, batch: int = BATCH,
              transport: httpx.AsyncBaseTransport | None = None) -> None:
    """The delivery loop of `sijill deliver`: waits until it is the database's one active
    deliverer (a session advisory lock on PostgreSQL), then delivers until stopped."""
    stop = stop or asyncio.Event()
    holder = None
    if database_url.startswith(("postgres://", "postgresql://")):
        import asyncpg

        holder = await asyncpg.connect(database_url.split("?", 1)[0])
        while not await holder.fetchval("SELECT pg_try_advisory_lock($1)", ADVISORY_LOCK_KEY):
            log.info("another deliverer is active; waiting")
            try:
                await asyncio.wait_for(stop.wait(), timeout=5)
                await holder.close()
                return
            except TimeoutError:
                continue
    try:
        # no connection kept between deliveries: two webhooks whose hosts share an address
        # never share a TLS session
        async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False,
                                     transport=transport,
                                     limits=httpx.Limits(max_keepalive_connections=0)
                                     ) as client:
            swept = 0.0
            while not stop.is_set():
                sweep = time.monotonic() - swept > SWEEP_EVERY
                if sweep:
                    swept = time.monotonic()
                delivered = await deliver_due(client, production=production, batch=batch,
                                              policy_version=policy_version, full_sweep=sweep)
                if delivered == 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=poll)
    finally:
        if holder is not None:
            await holder.close()
