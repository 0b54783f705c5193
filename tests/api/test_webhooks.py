"""Webhooks of the change feed (docs/agencies.md "Webhooks"), against a real HTTP receiver on
this machine: signed batches, retries after failures, every change delivered at least once and
in order, nothing lost when the deliverer is killed mid-batch."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from standardwebhooks.webhooks import Webhook as Verifier

from api.models import AuditEvent, EligibilityChange, Webhook
from api.schema.schema import access_policy
from api.services import clock, feed, webhooks
from tests.api.household_helpers import assert_error
from tests.api.test_change_feed import poor_household

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
ASD, AMO = "ASD", "AMO_TADAMON"

CREATE = """
mutation($url: String!, $program: ProgramCode) {
  createWebhook(url: $url, program: $program) { id secret webhook { program url active } }
}
"""
LIST = "{ webhooks { id program url active lastDeliveredSequence } }"
DELIVERIES = """
query($id: ID!) { webhookDeliveries(webhookId: $id, first: 50) {
  edges { node { firstSequence lastSequence changes statusCode delivered error } } } }
"""
DELETE = "mutation($id: ID!) { deleteWebhook(id: $id) }"


class Receiver:
    """An HTTP receiver on 127.0.0.1 that verifies signatures and answers `fail` times 500
    first (then 200); `delay` seconds before answering."""

    def __init__(self, fail: int = 0, delay: float = 0.0) -> None:
        self.fail, self.delay = fail, delay
        self.secret: str | None = None
        self.batches: list[list[dict]] = []
        self.bad_signatures = 0
        self.requests = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.requests += 1
                time.sleep(receiver.delay)
                try:
                    Verifier(receiver.secret).verify(body, dict(self.headers.items()))
                except Exception:
                    receiver.bad_signatures += 1
                    self.send_response(400)
                    self.end_headers()
                    return
                if receiver.fail > 0:
                    receiver.fail -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                receiver.batches.append(json.loads(body)["data"]["changes"])
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/sijill"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def sequences(self) -> list[int]:
        return [change["sequence"] for batch in self.batches for change in batch]

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def receiver():
    made: list[Receiver] = []

    def make(**kwargs) -> Receiver:
        made.append(Receiver(**kwargs))
        return made[-1]

    yield make
    for r in made:
        r.close()


async def created(gql, token, url, program=None) -> dict:
    return (await gql.data(CREATE, {"url": url, "program": program}, token))["createWebhook"]


async def deliver_all(rounds: int = 60) -> None:
    """Delivery rounds as `sijill deliver` runs them, each as if the backoff had elapsed."""
    async with httpx.AsyncClient(timeout=5) as client:
        for _ in range(rounds):
            await webhooks.deliver_due(client, production=False, policy_version=access_policy().version,
                                       batch=3, now=clock.now() + timedelta(days=1))
            if not await Webhook.filter(active=True, last_sequence__lt=await _last()).exists():
                return


async def _last() -> int:
    await feed.sequence()
    last = await EligibilityChange.filter(program=ASD).order_by("-sequence").first()
    return last.sequence if last else 0


async def test_an_agency_manages_its_webhooks(gql, tokens, receiver):
    agency = tokens.program(ASD)
    made = await created(gql, agency, receiver().url)
    assert made["secret"].startswith("whsec_") and made["webhook"]["program"] == ASD
    listed = (await gql.data(LIST, None, agency))["webhooks"]
    assert [w["id"] for w in listed] == [made["id"]]
    assert "secret" not in json.dumps(listed)
    # another program's agency neither sees nor deletes it
    assert (await gql.data(LIST, None, tokens.program(AMO)))["webhooks"] == []
    assert_error(await gql(DELETE, {"id": made["id"]}, tokens.program(AMO)), "NOT_FOUND")
    assert_error(await gql(CREATE, {"url": receiver().url, "program": AMO}, agency),
                 "FORBIDDEN")
    # an admin names the program
    assert_error(await gql(CREATE, {"url": receiver().url}, tokens.admin()), "BAD_USER_INPUT",
                 "program")
    assert (await gql.data(DELETE, {"id": made["id"]}, agency))["deleteWebhook"] is True
    assert (await gql.data(LIST, None, agency))["webhooks"] == []


async def test_a_registrar_may_not_create_one(gql, tokens, receiver):
    assert_error(await gql(CREATE, {"url": receiver().url, "program": ASD},
                           tokens.registrar()), "FORBIDDEN")


async def test_production_refuses_local_and_plain_http_targets(gql, tokens, monkeypatch):
    from api.resolvers import webhooks as webhook_resolvers

    monkeypatch.setattr(webhook_resolvers, "_production", lambda ctx: True)
    for url in ("http://example.org/hook", "https://127.0.0.1/hook", "https://localhost/hook",
                "https://10.0.0.8/hook", "https://169.254.169.254/latest"):
        body = await gql(CREATE, {"url": url}, tokens.program(ASD))
        assert_error(body, "BAD_USER_INPUT", "url")


async def test_changes_reach_a_receiver_that_fails_then_recovers(gql, tokens, receiver):
    target = receiver(fail=3)
    made = await created(gql, tokens.program(ASD), target.url)
    target.secret = made["secret"]
    await poor_household(gql, tokens.admin(), children=2)
    await poor_household(gql, tokens.admin())
    expected = [c.sequence for c in await EligibilityChange.filter(program=ASD
                                                                     ).order_by("sequence")]
    assert len(expected) > 6
    await deliver_all()
    assert target.bad_signatures == 0
    got = target.sequences()
    assert sorted(set(got)) == expected  # every change, at least once
    assert got == sorted(got)  # in order (a batch retried repeats nothing already acknowledged)
    attempts = (await gql.data(DELIVERIES, {"id": made["id"]}, tokens.program(ASD))
                )["webhookDeliveries"]["edges"]
    failed = [a["node"] for a in attempts if not a["node"]["delivered"]]
    assert len(failed) == 3 and all(a["statusCode"] == 500 for a in failed)
    assert (await Webhook.get(id=made["id"])).last_sequence == expected[-1]
    # each delivery is audited as the agency's read, naming its persons
    records = await AuditEvent.filter(operation="webhookDelivery")
    assert len(records) == len(attempts)
    assert {c["idcs"] for batch in target.batches for c in batch} <= \
        {s for r in records for s in r.subjects}


async def test_a_delivery_carries_only_the_program_fields(gql, tokens, receiver):
    target = receiver()
    made = await created(gql, tokens.admin(), target.url, AMO)
    target.secret = made["secret"]
    await poor_household(gql, tokens.admin())
    async with httpx.AsyncClient(timeout=5) as client:
        await webhooks.deliver_due(client, production=False, policy_version=access_policy().version)
    answers = [c["eligibility"] for batch in target.batches for c in batch]
    assert answers and all("monthlyAmount" not in a and "amountLines" not in a
                           for a in answers)
    assert all(set(a) <= {"idcs", "program", "eligible", "reasons", "household", "threshold",
                          "formulaVersion", "evaluatedAt"} for a in answers)


async def test_a_webhook_failing_for_24_hours_is_disabled(gql, tokens, receiver):
    target = receiver(fail=10**6)
    made = await created(gql, tokens.program(ASD), target.url)
    target.secret = made["secret"]
    await poor_household(gql, tokens.admin())
    await Webhook.filter(id=made["id"]).update(
        failing_since=clock.now() - timedelta(hours=24, minutes=1), attempts=30)
    async with httpx.AsyncClient(timeout=5) as client:
        await webhooks.deliver_due(client, production=False, policy_version=access_policy().version,
                                   now=clock.now() + timedelta(hours=2))
    webhook = await Webhook.get(id=made["id"])
    assert not webhook.active and webhook.disabled_at is not None
    assert "500" in webhook.disabled_reason


def _deliverer(database_url: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "api.cli", "deliver", "--poll", "0.2", "--batch-size", "2"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def test_a_deliverer_killed_mid_batch_loses_nothing(gql, tokens, receiver, database):
    if database.engine != "postgres":
        pytest.skip("the deliverer process shares the database: PostgreSQL")
    slow = receiver(delay=1.5)
    made = await created(gql, tokens.program(ASD), slow.url)
    slow.secret = made["secret"]
    await poor_household(gql, tokens.admin(), children=2)
    expected = [c.sequence for c in await EligibilityChange.filter(program=ASD
                                                                     ).order_by("sequence")]
    first = _deliverer(database.url)
    try:
        deadline = time.monotonic() + 60
        while slow.requests < 2 and time.monotonic() < deadline:  # inside its second batch
            await asyncio.sleep(0.05)
        assert slow.requests >= 2, first.stderr.read1().decode() if first.poll() else ""
        first.send_signal(signal.SIGKILL)  # no clean-up: the batch in flight is unacknowledged
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    acknowledged = (await Webhook.get(id=made["id"])).last_sequence
    assert acknowledged < expected[-1]
    slow.delay = 0
    second = _deliverer(database.url)
    try:
        deadline = time.monotonic() + 60
        while (await Webhook.get(id=made["id"])).last_sequence < expected[-1]:
            assert time.monotonic() < deadline, second.stderr.read1().decode()
            await asyncio.sleep(0.1)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(10)
    got = slow.sequences()
    assert sorted(set(got)) == expected  # every change, at least once
    # in order: the batch in flight when the deliverer died comes again, whole, then the rest
    firsts = list(dict.fromkeys(got))
    assert firsts == sorted(firsts)
    assert all([c["sequence"] for c in b] == sorted(c["sequence"] for c in b)
               for b in slow.batches)


async def test_one_deliverer_at_a_time(tokens, database):
    if database.engine != "postgres":
        pytest.skip("the deliverer's lock is PostgreSQL's")
    import asyncpg

    first = _deliverer(database.url)
    probe = await asyncpg.connect(database.url.split("?", 1)[0])
    try:
        deadline = time.monotonic() + 30
        while await probe.fetchval("SELECT pg_try_advisory_lock($1)", webhooks.ADVISORY_LOCK_KEY):
            await probe.execute("SELECT pg_advisory_unlock($1)", webhooks.ADVISORY_LOCK_KEY)
            assert time.monotonic() < deadline, "the deliverer never took its lock"
            await asyncio.sleep(0.1)
        second = _deliverer(database.url)
        await asyncio.sleep(2)
        assert second.poll() is None  # waiting, not delivering beside the first
        first.send_signal(signal.SIGTERM)
        first.wait(10)
        second.send_signal(signal.SIGTERM)
        assert second.wait(15) == 0
    finally:
        for process in (first,):
            if process.poll() is None:
                process.kill()
        await probe.close()


async def test_a_malformed_webhook_id_names_its_argument(gql, tokens):
    agency = tokens.program(ASD)
    assert_error(await gql(DELETE, {"id": "nope"}, agency), "BAD_USER_INPUT", "id")
    assert_error(await gql(DELIVERIES, {"id": "nope"}, agency), "BAD_USER_INPUT", "webhookId")
    assert_error(await gql(CREATE, {"url": "x" * 2001}, agency), "BAD_USER_INPUT", "url")
