"""CPU per request, per part of the cluster: the figures the capacity model in
docs/operations.md is built from.

Against a cluster started by `deploy/cluster up` (its files in $SIJILL_CLUSTER_DIR), drives one
request type at a time through the load balancer for `--seconds` at `--concurrency`, and reads
the CPU time (user + system, /proc) that each part spent meanwhile: the Sijill nodes' processes,
the primary's PostgreSQL processes, the standby's, PgBouncer, HAProxy, Patroni and etcd. CPU time
per request does not depend much on how busy the machine is (unlike wall time), which is what
lets a two-core machine size a larger one.

    SIJILL_RATE_LIMITS=none deploy/cluster up --seed 1000
    .venv/bin/python bench/capacity.py [--seconds 20] [--concurrency 8] [--scenarios …]

Scenarios: `eligibility` (a program agency, one id), `citizen` (a citizen's own household, its
index and enrollments), `bulk` (100 ids), `household` (a
registrar, the household with its members), `registration` (a registrar: a head, a child and
their household, three requests counted as one registration). Writes
bench/results/capacity-<time>.json and prints a table.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

import asyncpg
import httpx

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy"))

import topology  # noqa: E402

from api.http.auth import mint_token  # noqa: E402
from api.settings import Settings  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
DECLARATION = {"headEducation": "PRIMARY", "headOccupation": "WORKER",
               "housingType": "APARTMENT", "occupancy": "TENANT", "rooms": 2,
               "waterSource": "PIPED", "electricityMonthly": 120, "waterMonthly": 60,
               "phoneMonthly": 100, "butaneBottlesMonthly": 2,
               "assets": ["REFRIGERATOR", "TELEVISION"]}
ELIGIBILITY = ("query($i: String!) { eligibility(program: ASD, idcs: $i) { idcs eligible "
               "reasons monthlyAmount } }")
BULK = ("query($ids: [String!]!) { eligibilities(program: ASD, idcs: $ids) { idcs eligible "
        "reasons monthlyAmount } }")
HOUSEHOLD = ("query($id: ID!) { household(id: $id) { id reference province commune milieu "
             "status size members { relationship person { idcs firstName lastName sex "
             "birthDate } } } }")
CITIZEN = ("{ myHousehold { id status size index { value } enrollments { program } "
           "members { relationship person { idcs firstName } } } }")
PERSON = "mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { idcs } }"
REGISTER = ("mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) "
            "{ id status size } }")


# --- CPU time of the cluster's parts ----------------------------------------------------------

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = defaultdict(list)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            tree[int(fields[1])].append(int(entry))
    return tree


def _tree(pid: int, tree: dict[int, list[int]]) -> list[int]:
    out, stack = [], [pid]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(tree.get(current, ()))
    return out


def _cpu(pid: int) -> float:
    """Seconds of CPU (user + system) the process has used, its reaped children's included."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    utime, stime, cutime, cstime = (int(fields[i]) for i in (11, 12, 13, 14))
    return (utime + stime + cutime + cstime) / TICKS


def parts(directory: Path, top: topology.Topology, primary: str) -> dict[str, list[int]]:
    """The root processes of each part: Sijill nodes, the primary's and the standby's
    PostgreSQL (postmaster), PgBouncer, HAProxy, Patroni (both) and etcd."""

    def pid(name: str) -> int | None:
        try:
            return int((directory / "pids" / f"{name}.pid").read_text())
        except (OSError, ValueError):
            return None

    def postmaster(name: str) -> int | None:
        try:
            return int((directory / name / "data" / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    standby = [n.name for n in top.pg_nodes if n.name != primary]
    found = {
        "sijill": [pid(n.name) for n in top.api_nodes],
        "postgres_primary": [postmaster(primary)],
        "postgres_standby": [postmaster(n) for n in standby],
        "pgbouncer": [pid("pgbouncer")],
        "haproxy": [pid("haproxy")],
        "patroni_etcd": [pid(n.name) for n in top.pg_nodes] + [pid("etcd")],
    }
    return {k: [p for p in v if p] for k, v in found.items()}


def cpu_of(roots: dict[str, list[int]]) -> dict[str, float]:
    tree = _children()
    seen: set[int] = set()
    out = {}
    # PostgreSQL's processes are not Patroni's children in this count: postmasters first
    for part in sorted(roots, key=lambda p: not p.startswith("postgres")):
        total = 0.0
        for root in roots[part]:
            for pid in _tree(root, tree):
                if pid not in seen:
                    seen.add(pid)
                    total += _cpu(pid)
        out[part] = total
    return out


# --- load -------------------------------------------------------------------------------------

class Driver:
    def __init__(self, client: httpx.AsyncClient, tokens: dict[str, str], heads: list[str],
                 households: list[str], province: str) -> None:
        self.client = client
        self.tokens = tokens
        self.heads = heads
        self.households = households
        self.province = province
        self.cins = itertools.count(random.randrange(10**5, 9 * 10**5))
        self.prefix = random.choice(["QA", "QB", "QC", "QD", "QE", "QF"])
        self.failures: dict[str, int] = defaultdict(int)

    async def post(self, token: str, query: str, variables: dict) -> dict | None:
        response = await self.client.post("/graphql", json={"query": query,
                                                            "variables": variables},
                                          headers={"Authorization": f"Bearer {token}"})
        body = response.json()
        if response.status_code != 200 or body.get("errors"):
            code = ((body.get("errors") or [{}])[0].get("extensions") or {}).get("code")
            self.failures[f"{response.status_code} {code}"] += 1
            return None
        return body["data"]

    async def eligibility(self) -> int:
        ok = await self.post(self.tokens["agency"], ELIGIBILITY, {"i": random.choice(self.heads)})
        return 1 if ok else 0

    async def citizen(self) -> int:
        """A citizen looks at their household, its index and enrollments (the portal's page)."""
        return 1 if await self.post(random.choice(self.tokens["citizens"]), CITIZEN, {}) else 0

    async def bulk(self) -> int:
        ids = [random.choice(self.heads) for _ in range(100)]
        return 1 if await self.post(self.tokens["agency"], BULK, {"ids": ids}) else 0

    async def household(self) -> int:
        ok = await self.post(self.tokens["registrar"], HOUSEHOLD,
                             {"id": random.choice(self.households)})
        return 1 if ok else 0

    async def registration(self) -> int:
        token = self.tokens["registrar"]
        cin = f"{self.prefix}{next(self.cins):06d}"
        head = await self.post(token, PERSON, {"input": {
            "firstName": "Karim", "lastName": "Bennani", "sex": "MALE",
            "birthDate": f"{random.randint(1960, 2000)}-0{random.randint(1, 9)}-1{random.randint(0, 9)}",
            "nationality": "MA", "cin": cin}})
        child = await self.post(token, PERSON, {"input": {
            "firstName": _name(), "lastName": _name(), "sex": "FEMALE",
            "birthDate": f"{random.randint(2012, 2019)}-0{random.randint(1, 9)}-1{random.randint(0, 9)}",
            "nationality": "MA"}})
        if not (head and child):
            return 0
        household = await self.post(token, REGISTER, {"input": {
            "declarantIdcs": head["registerPerson"]["idcs"], "province": self.province,
            "commune": "Bench", "milieu": "URBAN", "address": "1 rue du Banc",
            "members": [{"idcs": head["registerPerson"]["idcs"], "relationship": "HEAD"},
                        {"idcs": child["registerPerson"]["idcs"], "relationship": "CHILD",
                         "schooling": "IN_SCHOOL"}],
            "declaration": DECLARATION}})
        return 1 if household else 0


def _name() -> str:
    return "".join(random.choice("bdfhjklmnrstz" if i % 2 == 0 else "aeiou")
                   for i in range(8)).capitalize()


REQUESTS_PER = {"eligibility": 1, "citizen": 1, "bulk": 1, "household": 1, "registration": 3}


async def run_scenario(driver: Driver, name: str, seconds: float, concurrency: int) -> int:
    done = 0
    stop = time.monotonic() + seconds
    call = getattr(driver, name)

    async def worker() -> None:
        nonlocal done
        while time.monotonic() < stop:
            try:
                answered = await call()  # not `done += await …`: that reads `done` first
                done += answered
            except httpx.HTTPError as exc:
                driver.failures[type(exc).__name__] += 1

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done


async def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cluster-dir", default=os.environ.get("SIJILL_CLUSTER_DIR",
                                                                "/tmp/sijill-cluster"))
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--scenarios", default="eligibility,citizen,bulk,household,registration")
    args = parser.parse_args(argv)
    directory = Path(args.cluster_dir)
    top = topology.load()
    secret = (directory / "jwt-secret").read_text().strip()
    settings = Settings(SIJILL_JWT_SECRET=secret)
    primary_url = f"postgres://postgres@127.0.0.1:{top['haproxy']['primary_port']}/{top.database}"
    conn = await asyncpg.connect(primary_url)
    try:
        heads = [r["idcs"] for r in await conn.fetch(
            "SELECT p.idcs FROM persons p JOIN memberships m ON m.person_id = p.id "
            "WHERE m.relationship = 'HEAD' AND m.end_date IS NULL LIMIT 5000")]
        rows = await conn.fetch("SELECT id::text AS id, province_id AS province FROM households "
                                "WHERE status = 'ACTIVE' LIMIT 5000")
        primary = await conn.fetchval("SELECT current_setting('cluster_name', true)")
        port = await conn.fetchval("SELECT current_setting('port')")
    finally:
        await conn.close()
    primary = next((n.name for n in top.pg_nodes if str(n.port) == port), primary)
    province = rows[0]["province"]
    households = [r["id"] for r in rows if r["province"] == province]
    tokens = {
        "agency": mint_token(settings, roles=["program_agency"], subject="capacity-agency",
                             program="ASD", purpose="ELIGIBILITY_CHECK"),
        "registrar": mint_token(settings, roles=["registrar"], subject="capacity-registrar",
                                provinces=[province]),
        "citizens": [mint_token(settings, roles=["citizen"], subject=idcs)
                     for idcs in heads[:300]],
    }
    roots = parts(directory, top, primary)
    results = []
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{top['haproxy']['http_port']}",
                                 timeout=30, limits=limits) as client:
        driver = Driver(client, tokens, heads, households, province)
        for name in args.scenarios.split(","):
            await run_scenario(driver, name, 2, args.concurrency)  # warm
            driver.failures.clear()
            before, began = cpu_of(roots), time.monotonic()
            done = await run_scenario(driver, name, args.seconds, args.concurrency)
            elapsed, after = time.monotonic() - began, cpu_of(roots)
            spent = {part: after[part] - before[part] for part in after}
            results.append({
                "scenario": name, "done": done, "seconds": round(elapsed, 2),
                "per_second": round(done / elapsed, 1),
                "cpu_ms_per": {part: round(1000 * s / max(done, 1), 3)
                               for part, s in spent.items()},
                "cpu_ms_total_per": round(1000 * sum(spent.values()) / max(done, 1), 3),
                "failures": dict(driver.failures),
            })
            print(json.dumps(results[-1]), flush=True)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    path = out / f"capacity-{time.strftime('%Y%m%dT%H%M%S')}.json"
    path.write_text(json.dumps({"concurrency": args.concurrency, "results": results,
                                "cores": os.cpu_count()}, indent=2))
    print("\n| request | answered/s | Sijill | PG primary | PG standby | PgBouncer | HAProxy "
          "| Patroni+etcd | total CPU ms |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        c = r["cpu_ms_per"]
        print(f"| {r['scenario']} | {r['per_second']} | {c['sijill']} | {c['postgres_primary']} "
              f"| {c['postgres_standby']} | {c['pgbouncer']} | {c['haproxy']} "
              f"| {c['patroni_etcd']} | {r['cpu_ms_total_per']} |")
    print(f"\nwritten to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
