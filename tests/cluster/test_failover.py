"""The cluster under faults (contract §14): the whole cluster of deploy/ on this machine,
a steady mix of registrations and eligibility lookups through the load balancer, then the
primary killed (the synchronous standby takes over), a Sijill node killed, and both brought
back. Afterwards every registration a client saw acknowledged is in the database once (the
clients retry with their idempotency key until acknowledged), the audit chain verifies and
holds a record for every answer a client received, no lookup was answered wrongly, and the
error window of each fault is measured and reported.

Marked `cluster`: it starts etcd, two PostgreSQL nodes, HAProxy, PgBouncer and two Sijill nodes
on the ports of deploy/cluster.toml, so .ci/run runs it last, alone (`pytest -m cluster`).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx
import pytest

from api.http.auth import mint_token
from api.settings import Settings
from tests.factories import REGISTER_PERSON, declaration_input, person_input

pytestmark = pytest.mark.cluster

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "deploy" / "cluster"
sys.path.insert(0, str(ROOT / "deploy"))

import topology  # noqa: E402

TOP = topology.load()
LB = f"http://127.0.0.1:{TOP['haproxy']['http_port']}"
PRIMARY = f"postgres://postgres@127.0.0.1:{TOP['haproxy']['primary_port']}/{TOP.database}"
ELIGIBILITY = ("query($i: String!) { eligibility(program: ASD, idcs: $i) "
               "{ eligible reasons monthlyAmount } }")
# the refused window the contract's target allows for a failover of the primary
FAILOVER_TARGET_SECONDS = 15.0


def launcher(directory: Path, *args: str, timeout: float = 300) -> str:
    result = subprocess.run([sys.executable, str(LAUNCHER), *args], cwd=ROOT, timeout=timeout,
                            env={**os.environ, "SIJILL_CLUSTER_DIR": str(directory)},
                            capture_output=True, text=True, check=False)
    if result.returncode:
        logs = directory / "logs"
        tails = "".join(f"\n--- {p.name}\n" + "".join(p.read_text(errors="replace")
                                                        .splitlines(True)[-15:])
                        for p in sorted(logs.glob("*.log"))) if logs.is_dir() else ""
        raise AssertionError(f"deploy/cluster {' '.join(args)} failed:\n{result.stdout}"
                             f"{result.stderr}{tails}")
    return result.stdout


def busy_ports() -> list[int]:
    ports = [TOP["etcd"]["client_port"], TOP["etcd"]["peer_port"], TOP["pgbouncer"]["port"],
             *(TOP["haproxy"][k] for k in ("primary_port", "standby_port", "http_port",
                                           "stats_port")),
             *(p for n in TOP.pg_nodes for p in (n.port, n.api_port)),
             *(n.port for n in TOP.api_nodes)]
    busy = []
    for port in ports:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                busy.append(port)
    return busy


@pytest.fixture(scope="module")
def cluster():
    missing = [t for t in ("etcd", "patroni", "pgbouncer", "haproxy") if not shutil.which(t)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install patroni etcd-server "
                    "pgbouncer haproxy)")
    assert not busy_ports(), f"ports of deploy/cluster.toml in use: {busy_ports()}"
    # PostgreSQL runs as its own user: its directories must be reachable (pytest's are not)
    directory = Path(tempfile.mkdtemp(prefix="sijill-cluster-"))
    directory.chmod(0o755)
    try:
        launcher(directory, "up", "--seed", "40")
        yield directory
    finally:
        launcher(directory, "down", "--keep")


@dataclass
class Load:
    admin: str
    agency: str
    heads: list[str]
    stop: bool = False
    # (sent, answered, kind, ok): a refusal by the rate limit (429) is an answer, not a fault
    events: list[tuple[float, float, str, bool]] = field(default_factory=list)
    limited: int = 0
    acknowledged: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # key: idcs…
    unacknowledged: list[str] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)  # request ids of every answer with data
    expected: dict[str, dict] = field(default_factory=dict)
    wrong: list[tuple[str, dict, dict]] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    cins: itertools.count = field(default_factory=lambda: itertools.count(100000))

    def note(self, sent: float, kind: str, ok: bool, status: int) -> None:
        """When the request was sent and answered, what was asked, whether it was answered."""
        self.statuses[status] = self.statuses.get(status, 0) + 1
        if status == 429:
            self.limited += 1
            return
        self.events.append((sent, time.monotonic(), kind, ok))

    async def post(self, client, token: str, query: str, variables: dict):
        try:
            response = await client.post("/graphql", json={"query": query,
                                                           "variables": variables},
                                         headers={"Authorization": f"Bearer {token}"})
        except httpx.HTTPError:
            return 0, None, None
        try:
            body = response.json()
        except ValueError:
            body = None
        return response.status_code, body, response.headers.get("x-request-id")

    async def registrar(self, client) -> None:
        while not self.stop:
            key = uuid.uuid4().hex
            name = f"Cluster{next(self.cins)}"
            # a child, with no identity document: nothing unique in the row, so only the
            # idempotency key stands between a retried registration and a second person
            person = person_input(firstName=name, birthDate="2016-04-04", idempotencyKey=key)
            given_up = time.monotonic() + 120
            while True:  # the same key until acknowledged: a retry never registers twice
                sent = time.monotonic()
                status, body, request_id = await self.post(client, self.admin, REGISTER_PERSON,
                                                            {"input": person})
                ok = status == 200 and body is not None and not body.get("errors")
                self.note(sent, "write", ok, status)
                if ok:
                    self.acknowledged[key] = (body["data"]["registerPerson"]["idcs"],
                                              request_id, name)
                    self.answered.append(request_id)
                    break
                if time.monotonic() > given_up:
                    self.unacknowledged.append(name)
                    break
                await asyncio.sleep(0.2)

    async def reader(self, client) -> None:
        while not self.stop:
            idcs = random.choice(self.heads)
            sent = time.monotonic()
            status, body, request_id = await self.post(client, self.agency, ELIGIBILITY,
                                                       {"i": idcs})
            data = (body or {}).get("data") or {}
            ok = status == 200 and not (body or {}).get("errors") and data.get("eligibility")
            self.note(sent, "read", bool(ok), status)
            if ok:
                self.answered.append(request_id)
                first = self.expected.setdefault(idcs, data["eligibility"])
                if data["eligibility"] != first:
                    self.wrong.append((idcs, first, data["eligibility"]))
            else:
                await asyncio.sleep(0.1)

    def stall(self, kind: str, start: float, end: float) -> float:
        """The longest time in [start, end) without a request of `kind` answered: requests
        waiting (in PgBouncer, for a primary) count here, not as refusals."""
        done = [t for _, t, k, ok in self.events if k == kind and ok and start <= t < end]
        marks = [start, *done, end]
        return max(b - a for a, b in itertools.pairwise(marks))

    def window(self, kind: str, start: float, end: float) -> float:
        """From the sending of the first request of `kind` refused in [start, end) to the
        first answer sent after the last refused one: how long callers saw refusals (0: none)."""
        failures = sorted(sent for sent, _, k, ok in self.events
                          if k == kind and not ok and start <= sent < end)
        if not failures:
            return 0.0
        after = [done for sent, done, k, ok in self.events
                 if k == kind and ok and sent > failures[-1]]
        return (min(after) if after else end) - failures[0]


async def _heads(count: int = 30) -> list[str]:
    conn = await asyncpg.connect(PRIMARY)
    try:
        rows = await conn.fetch("SELECT p.idcs FROM persons p JOIN memberships m ON "
                                "m.person_id = p.id WHERE m.relationship = 'HEAD' LIMIT $1",
                                count)
    finally:
        await conn.close()
    return [r["idcs"] for r in rows]


async def _settled(load: Load, since: float, timeout: float) -> None:
    """Returns once both kinds of request have failed after `since` and then succeeded five
    times in a row (or, if none failed within 30 s, at once)."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        events = [(k, ok) for t, _, k, ok in load.events if t >= since]
        failed = any(not ok for _, ok in events)
        if not failed and time.monotonic() - began > 30:
            return
        if failed and all(_recovered(events, kind) for kind in ("write", "read")):
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"requests did not recover within {timeout} s")


def _recovered(events: list[tuple[str, bool]], kind: str) -> bool:
    mine = [ok for k, ok in events if k == kind]
    last_failure = max((i for i, ok in enumerate(mine) if not ok), default=-1)
    return len(mine) - last_failure - 1 >= 5


async def test_failover_and_a_lost_node_lose_no_acknowledged_write(cluster: Path):
    secret = (cluster / "jwt-secret").read_text().strip()
    settings = Settings(SIJILL_JWT_SECRET=secret)
    load = Load(admin=mint_token(settings, roles=["admin"], subject="cluster-registrar"),
                agency=mint_token(settings, roles=["program_agency"], subject="cluster-agency",
                                  program="ASD"),
                heads=await _heads())
    assert load.heads
    standby_reads = await _statistics_read_own_writes(load.admin)
    async with httpx.AsyncClient(base_url=LB, timeout=10) as client:
        workers = [asyncio.create_task(load.registrar(client)) for _ in range(4)]
        workers += [asyncio.create_task(load.reader(client)) for _ in range(4)]
        try:
            await asyncio.sleep(5)
            assert any(ok for _, _, k, ok in load.events if k == "write"), "no write succeeded"

            primary_killed = time.monotonic()
            old_primary = _leader()
            await asyncio.to_thread(launcher, cluster, "failover", "--no-wait")
            await _settled(load, primary_killed, 120)
            await asyncio.sleep(3)

            node_killed = time.monotonic()
            await asyncio.to_thread(launcher, cluster, "kill", TOP.api_nodes[0].name)
            await _settled(load, node_killed, 60)
            await asyncio.sleep(3)

            brought_back = time.monotonic()
            await asyncio.to_thread(launcher, cluster, "start", old_primary)
            await asyncio.to_thread(launcher, cluster, "start", TOP.api_nodes[0].name)
            await _settled(load, brought_back, 60)
            await asyncio.sleep(3)
            ended = time.monotonic()
        finally:
            load.stop = True
            await asyncio.wait_for(asyncio.gather(*workers), timeout=180)

    def failures(start: float, end: float) -> int:
        return sum(1 for t, _, _, ok in load.events if not ok and start <= t < end)

    report = {
        "standby_sessions_serving_statistics": standby_reads,
        "failures_failover": failures(primary_killed, node_killed),
        "failures_node_kill": failures(node_killed, brought_back),
        "failures_rejoin": failures(brought_back, ended),
        "writes_acknowledged": len(load.acknowledged),
        "reads_answered": sum(1 for _, _, k, ok in load.events if k == "read" and ok),
        "rate_limited": load.limited,
        "requests": len(load.events),
        "statuses": json.dumps(dict(sorted(load.statuses.items()))),
        "failover_write_window_s": round(load.window("write", primary_killed, node_killed), 2),
        "failover_read_window_s": round(load.window("read", primary_killed, node_killed), 2),
        "node_kill_write_window_s": round(load.window("write", node_killed, brought_back), 2),
        "node_kill_read_window_s": round(load.window("read", node_killed, brought_back), 2),
        "rejoin_write_window_s": round(load.window("write", brought_back, ended), 2),
        "failover_write_stall_s": round(load.stall("write", primary_killed, node_killed), 2),
        "failover_read_stall_s": round(load.stall("read", primary_killed, node_killed), 2),
        "node_kill_write_stall_s": round(load.stall("write", node_killed, brought_back), 2),
        "node_kill_read_stall_s": round(load.stall("read", node_killed, brought_back), 2),
        "rejoin_read_window_s": round(load.window("read", brought_back, ended), 2),
    }
    (cluster / "report.json").write_text(json.dumps(report, indent=2))
    print("\ncluster fault test:", json.dumps(report, indent=2))

    assert not load.wrong, f"lookups answered wrongly: {load.wrong[:3]}"
    assert not load.unacknowledged, f"never acknowledged after 120 s: {load.unacknowledged}"

    conn = await asyncpg.connect(PRIMARY)
    try:
        await conn.execute("SELECT sijill_sequence_audit(NULL)")
        stored = {r["first_name"]: r["n"] for r in await conn.fetch(
            "SELECT first_name, count(*) AS n FROM persons WHERE first_name LIKE 'Cluster%' "
            "GROUP BY first_name")}
        doubled = [name for name, n in stored.items() if n > 1]
        idcs_of = {r["first_name"]: r["idcs"] for r in await conn.fetch(
            "SELECT first_name, idcs FROM persons WHERE first_name LIKE 'Cluster%'")}
        recorded = {r["request_id"] for r in await conn.fetch(
            "SELECT request_id FROM audit_events WHERE request_id = ANY($1::varchar[])",
            load.answered)}
    finally:
        await conn.close()
    lost = [name for _, _, name in load.acknowledged.values() if name not in stored]
    assert not lost, f"{len(lost)} acknowledged registrations lost: {lost[:5]}"
    assert not doubled, f"registered more than once: {doubled[:5]}"
    assert all(idcs_of[name] == idcs for idcs, _, name in load.acknowledged.values())
    unrecorded = [r for r in load.answered if r not in recorded]
    assert not unrecorded, f"{len(unrecorded)} answers without an audit record"

    verify = subprocess.run([str(ROOT / ".venv" / "bin" / "sijill"), "audit", "verify"],
                            env={**os.environ, "DATABASE_URL": PRIMARY}, cwd=ROOT,
                            capture_output=True, text=True, timeout=300, check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr

    assert report["failover_write_window_s"] < FAILOVER_TARGET_SECONDS, report
    assert report["failover_read_window_s"] < FAILOVER_TARGET_SECONDS, report
    # requests that wait (in PgBouncer, for the new primary) are not refused, but bounded
    assert report["failover_write_stall_s"] < 2 * FAILOVER_TARGET_SECONDS, report
    assert report["failover_read_stall_s"] < 2 * FAILOVER_TARGET_SECONDS, report


STATISTICS = "{ registryStatistics(groupBy: MILIEU) { key households } }"
HOUSEHOLD = ("mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) "
             "{ id milieu } }")


async def _statistics_read_own_writes(admin: str) -> int:
    """The register's statistics are read on the synchronous standby (SIJILL_STANDBY_DATABASE_URL
    through PgBouncer and HAProxy's standby port); a household registered just before is
    counted at once (remote_apply). Returns the service's sessions the standby served."""
    standby_port = next(n.port for n in TOP.pg_nodes if n.name != _leader())
    standby = await asyncpg.connect(f"postgres://postgres@127.0.0.1:{standby_port}/postgres")

    async def served_since(moment) -> int:
        """The service's sessions on the standby that ran a statement since `moment`."""
        return await standby.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND usename = $2 "
            "AND query_start >= $3", TOP.database, TOP.app_role, moment)

    async with httpx.AsyncClient(base_url=LB, timeout=30) as client:
        async def post(query: str, variables: dict | None = None) -> dict:
            answer = await client.post("/graphql", json={"query": query,
                                                          "variables": variables or {}},
                                       headers={"Authorization": f"Bearer {admin}"})
            body = answer.json()
            assert answer.status_code == 200 and not body.get("errors"), body
            return body["data"]

        async def urban() -> int:
            rows = (await post(STATISTICS))["registryStatistics"]
            return next(r["households"] for r in rows if r["key"] == "URBAN")

        try:
            began = await standby.fetchval("SELECT now()")
            for _ in range(3):
                before = await urban()
                head = (await post(REGISTER_PERSON, {"input": person_input(
                    firstName="Standby", cin=f"SB{random.randrange(10**5, 10**6)}")}))
                child = (await post(REGISTER_PERSON, {"input": person_input(
                    firstName="Standby", birthDate="2015-03-03")}))
                heads, children = head["registerPerson"], child["registerPerson"]
                await post(HOUSEHOLD, {"input": {
                    "declarantIdcs": heads["idcs"], "province": "038", "commune": "Rabat",
                    "milieu": "URBAN", "address": "1 rue du Cluster",
                    "members": [{"idcs": heads["idcs"], "relationship": "HEAD"},
                                {"idcs": children["idcs"], "relationship": "CHILD",
                                 "schooling": "IN_SCHOOL"}],
                    "declaration": declaration_input()}})
                assert await urban() == before + 1, "the statistics missed a write acknowledged"
            on_standby = await served_since(began)
        finally:
            await standby.close()
    assert on_standby >= 1, "the statistics were not read on the standby"
    return on_standby


def _leader() -> str:
    import urllib.request

    for node in TOP.pg_nodes:
        try:
            with urllib.request.urlopen(  # noqa: S310 - loopback
                    f"http://127.0.0.1:{node.api_port}/cluster", timeout=2) as response:
                for member in json.load(response)["members"]:
                    if member["role"] == "leader":
                        return member["name"]
        except OSError:
            continue
    raise AssertionError("no leader")
