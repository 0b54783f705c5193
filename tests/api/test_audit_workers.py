"""The audit chain across processes: `sijill run --workers 2` on PostgreSQL, 200 concurrent
requests, one gap-free chain (contract §7; appends are serialised by an advisory lock)."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest

from api.models import AuditEvent
from api.services.audit import verify_chain
from tests import factories
from tests.api.household_helpers import small_household

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
REQUESTS = 200

ELIGIBILITY = ("query Elig($i: String!) { eligibility(program: AMO_TADAMON, idcs: $i) "
               "{ eligible household { id } } }")
REGISTER = "mutation Reg($input: RegisterPersonInput!) { registerPerson(input: $input) { idcs } }"
DENIED = "query Peek($i: String!) { person(idcs: $i) { firstName phone } }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
async def server(database, settings, app):
    """`sijill run --workers 2` on the session's test database; stopped whatever happens."""
    if database.engine != "postgres":
        pytest.skip("several workers share one chain through PostgreSQL's advisory lock")
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database.url, "SIJILL_JWT_SECRET": settings.jwt_secret,
           "SIJILL_ENV": settings.env}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "run", "--port", str(port), "--workers", "2"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )

        def server_log() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")[-4000:]

        try:
            await _wait_until_ready(f"http://127.0.0.1:{port}", proc, server_log)
            yield f"http://127.0.0.1:{port}", proc, server_log
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    await asyncio.to_thread(proc.wait, 15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)  # the group of the server started above
                    await asyncio.to_thread(proc.wait, 5)


async def _wait_until_ready(base: str, proc: subprocess.Popen, server_log) -> None:
    deadline = time.monotonic() + 25
    async with httpx.AsyncClient(base_url=base, timeout=2) as client:
        while True:
            assert proc.poll() is None, f"server exited early:\n{server_log()}"
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"server not ready:\n{server_log()}"
            await asyncio.sleep(0.2)


async def test_two_workers_write_one_gap_free_chain(server, gql, tokens):
    started = time.monotonic()
    base, proc, server_log = server
    household = await small_household(gql, tokens.registrar("038"), extra=1)
    amo, registrar = tokens.program("AMO_TADAMON"), tokens.registrar("038")
    last = await AuditEvent.all().order_by("-sequence").first()
    before = last.sequence if last else 0

    def request(client: httpx.AsyncClient, i: int):
        rid = f"workers-{uuid.uuid4().hex}-{i}"
        kind = i % 3
        if kind == 0:
            body, token = {"query": ELIGIBILITY, "variables": {"i": household["_head"]}}, amo
        elif kind == 1:
            body, token = {"query": REGISTER,
                           "variables": {"input": factories.person_input()}}, registrar
        else:
            body, token = {"query": DENIED, "variables": {"i": household["_head"]}}, amo
        headers = {"Authorization": f"Bearer {token}", "X-Request-Id": rid}
        return rid, client.post("/graphql", json=body, headers=headers)

    limits = httpx.Limits(max_connections=REQUESTS + 10, max_keepalive_connections=REQUESTS + 10)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        pairs = [request(client, i) for i in range(REQUESTS)]
        responses = await asyncio.wait_for(
            asyncio.gather(*(coroutine for _, coroutine in pairs)), timeout=40)
    ids = [rid for rid, _ in pairs]

    outcomes = Counter()
    for i, response in enumerate(responses):
        assert response.status_code == 200, (response.status_code, response.text, server_log())
        assert response.headers["x-request-id"] != ids[i]  # the server's own id
        errors = response.json().get("errors")
        code = errors[0]["extensions"]["code"] if errors else None
        assert code == ("FORBIDDEN" if i % 3 == 2 else None), response.json()
        outcomes[code] += 1

    # stop the server: every record was durable before its response left
    proc.terminate()
    await asyncio.to_thread(proc.wait, 15)
    assert proc.returncode is not None

    rows = await AuditEvent.filter(sequence__gt=before).order_by("sequence")
    assert len(rows) == REQUESTS
    assert [r.sequence for r in rows] == list(range(before + 1, before + REQUESTS + 1))
    assert Counter(r.client_request_id for r in rows) == Counter({rid: 1 for rid in ids})
    assert {r.request_id for r in rows} == {r.headers["x-request-id"] for r in responses}
    for previous, row in zip(rows, rows[1:], strict=False):
        assert row.previous_hash == previous.hash, row.sequence
    by_id = {r.client_request_id: r for r in rows}
    for i, rid in enumerate(ids):
        assert by_id[rid].outcome == ("DENIED" if i % 3 == 2 else "ALLOWED")
        assert by_id[rid].operation == ["Elig", "Reg", "Peek"][i % 3]
    status = await verify_chain()
    assert status.valid, status
    assert status.length == before + REQUESTS
    assert time.monotonic() - started < 60
