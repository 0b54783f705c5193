"""PostgreSQL restarted while the service is under load.

During the outage requests fail with a typed error and /healthz answers 503; afterwards the
service recovers by itself; no acknowledged write is lost. Runs a real server process against a
database of its own, and stops/starts the machine's PostgreSQL cluster: it is marked `fault` and
run on its own by .ci/run (`pytest -m fault`), never in the main suite.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx
import pytest

from api.http.auth import mint_token
from api.settings import Settings
from tests.db import TestDatabase, choose_server

pytestmark = pytest.mark.fault

ROOT = Path(__file__).resolve().parents[2]
REGISTER = """mutation R($input: RegisterPersonInput!) { registerPerson(input: $input) { idcs } }"""


def cluster(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]
                   + (["-m", "fast"] if action == "stop" else []), check=True, timeout=60)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_service_survives_a_postgres_restart_and_loses_no_acknowledged_write():
    server_url = await choose_server()
    if server_url is None or not Path("/etc/postgresql").is_dir():
        pytest.skip("needs the local PostgreSQL cluster")
    db = TestDatabase(server_url)
    await db.create()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": db.url, "SIJILL_RATE_LIMITS": "none"}
    subprocess.run([sys.executable, "-m", "api.cli", "migrate"], env=env, cwd=ROOT, check=True,
                   timeout=120, capture_output=True)
    server = subprocess.Popen([sys.executable, "-m", "api.cli", "run", "--port", str(port)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    token = mint_token(Settings(), roles=["admin"], subject="fault-test")
    acknowledged: list[str] = []
    outage_codes: set[str] = set()
    health_during_outage: set[int] = set()
    counter = 0
    try:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            for _ in range(100):
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)

            async def write() -> None:
                nonlocal counter
                counter += 1
                person = {"firstName": "Fault", "lastName": f"Test{counter}", "sex": "MALE",
                          "birthDate": "1980-01-01", "nationality": "MA", "cin": f"FT{counter:06d}"}
                response = await client.post("/graphql", json={"query": REGISTER,
                                                               "variables": {"input": person}},
                                             headers={"Authorization": f"Bearer {token}"})
                body = response.json()
                if response.status_code == 200 and not body.get("errors"):
                    acknowledged.append(body["data"]["registerPerson"]["idcs"])
                else:
                    outage_codes.update(e.get("extensions", {}).get("code") for e in body["errors"])

            async def load(seconds: float) -> None:
                end = time.monotonic() + seconds
                while time.monotonic() < end:
                    await asyncio.gather(*(write() for _ in range(4)))

            await load(2)
            before_outage = len(acknowledged)
            assert before_outage > 0
            cluster("stop")
            try:
                await load(2)
                for _ in range(3):
                    health_during_outage.add((await client.get("/healthz")).status_code)
            finally:
                cluster("start")
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if (await client.get("/healthz")).status_code == 200:
                    break
                await asyncio.sleep(0.5)
            recovered_from = len(acknowledged)
            await load(3)
            assert len(acknowledged) > recovered_from, "the service did not recover by itself"
    finally:
        os.killpg(server.pid, 15)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)

    assert health_during_outage == {503}
    assert outage_codes and outage_codes <= {"INTERNAL"}, outage_codes
    conn = await asyncpg.connect(db.url)
    try:
        stored = {r["idcs"] for r in await conn.fetch("SELECT idcs FROM persons")}
    finally:
        await conn.close()
    await db.drop()
    lost = [i for i in acknowledged if i not in stored]
    assert not lost, f"{len(lost)} acknowledged writes lost"
