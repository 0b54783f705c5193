"""`sijill run --workers 2`: /metrics adds up both workers (prometheus-client multiprocess mode in
PROMETHEUS_MULTIPROC_DIR), and every line the server writes, uvicorn's included, is JSON."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.models import AuditEvent
from tests import factories
from tests.api.test_audit_workers import _wait_until_ready, free_port

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
LOOKUP = "query ObsLook($i: String!) { person(idcs: $i) { firstName cin } }"
REQUESTS = 40
POOL_MAX = 4


@pytest.fixture
async def server(database, settings, app, tmp_path):
    if database.engine != "postgres":
        pytest.skip("several workers share one database through PostgreSQL")
    port = free_port()
    metrics_dir = tmp_path / "metrics"
    env = {**os.environ, "DATABASE_URL": database.url, "SIJILL_JWT_SECRET": settings.jwt_secret,
           "SIJILL_ENV": settings.env, "SIJILL_LOG_FORMAT": "json", "SIJILL_RATE_LIMITS": "none",
           "SIJILL_DB_POOL_MAX": str(POOL_MAX), "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "run", "--port", str(port), "--workers", "2"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )

        def server_log() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")

        try:
            await _wait_until_ready(f"http://127.0.0.1:{port}", proc, server_log)
            yield f"http://127.0.0.1:{port}", proc, server_log, metrics_dir
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    await asyncio.to_thread(proc.wait, 15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)  # the group of the server started above
                    await asyncio.to_thread(proc.wait, 5)


def samples(text: str, name: str) -> dict[tuple, float]:
    return {tuple(sorted(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples
            if s.name == name}


async def test_two_workers_one_metrics_view_and_json_logs(server, gql, tokens):
    base, proc, server_log, metrics_dir = server
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    idcs = household["_head"]
    ids = [f"obs-{uuid.uuid4().hex}" for _ in range(REQUESTS)]
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        responses = await asyncio.gather(*(
            client.post("/graphql", json={"query": LOOKUP, "variables": {"i": idcs}},
                        headers={"Authorization": f"Bearer {admin}", "X-Request-Id": rid})
            for rid in ids))
        assert all(r.status_code == 200 and r.json()["data"]["person"] for r in responses)
        scrapes = [(await client.get("/metrics")).text for _ in range(6)]

    assert list(metrics_dir.glob("*.db")), "multiprocess mode writes its files there"
    for text in scrapes:  # whichever worker answers, it reports both
        counts = samples(text, "sijill_graphql_requests_total")
        key = (("operation", "ObsLook"), ("operation_type", "query"), ("outcome", "ALLOWED"))
        assert counts[key] == REQUESTS
        latency = samples(text, "sijill_graphql_request_seconds_count")
        assert latency[(("operation", "ObsLook"), ("operation_type", "query"))] == REQUESTS
        assert samples(text, "sijill_db_pool_max_connections")[()] == 2 * POOL_MAX
        assert samples(text, "sijill_audit_write_seconds_count")[()] >= REQUESTS

    proc.terminate()
    await asyncio.to_thread(proc.wait, 15)
    text = server_log()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]  # each one JSON
    started = [line for line in lines if line["event"].startswith("Started server process")]
    assert len(started) == 2 and all(line["logger"] == "uvicorn.error" for line in started)
    request_lines = {line["request_id"]: line for line in lines if line["event"] == "request"}
    for rid, response in zip(ids, responses, strict=True):
        line = request_lines[response.headers["x-request-id"]]  # the server's id
        assert (line["operation"], line["status"], line["outcome"]) == ("ObsLook", 200, "ALLOWED")
        assert await AuditEvent.filter(request_id=line["request_id"],
                                       client_request_id=rid).count() == 1
    for secret in (admin, idcs, "person(idcs", "firstName cin", "/graphql"):
        assert secret not in text, secret
