"""The auditors' and citizens' reads on a large audit log: `myDataAccesses` for a citizen with
1 000 accesses in a log of 50 million records, and `auditAnomalies` over a week of it.

`--generate` builds the database (`--database-url`, created if missing; it must not be a
register in use): migrated, a small demo register seeded (`sijill seed`, 150 households), then the log written
set-based in PostgreSQL — a year of records, about 137 000 a day, by 1 500 agency, registrar and
citizen accounts, 2 % refused, each naming one person of a population of 13.6 million, and
among them 1 000 accesses by others to each of 100 tracked citizens of the seeded register (to
their person or their household) — with the log's indexes built after the rows. The records
are not chained (their hashes are filler): the database serves reads, not `audit verify`.

The measure starts `sijill run` (one worker) on it and sends, one at a time, each tracked
citizen's `myDataAccesses(first: 20)` (with and without `totalCount`), then `auditAnomalies`
over the last 7 days, and prints the latencies.

    .venv/bin/python bench/audit_log.py --database-url postgres://…/sijill_auditlog --generate
    .venv/bin/python bench/audit_log.py --database-url postgres://…/sijill_auditlog
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import asyncpg  # noqa: E402
import httpx  # noqa: E402
from scenarios import ROOT, bench_env, citizen_token, mint  # noqa: E402
from servers import RssSampler, Server, rss_bytes  # noqa: E402

TRACKED = 100
ACCESSES = 1_000
ACTORS = 1_500
DAYS = 365
POPULATION = 13_600_000
PAGE = """query($first: Int) { myDataAccesses(first: $first) {
  edges { node { at organisation role purpose operation fields } } pageInfo { hasNextPage } } }"""
PAGE_COUNTED = PAGE.replace("pageInfo { hasNextPage }", "pageInfo { hasNextPage } totalCount")
ANOMALIES = """query($from: DateTime!, $to: DateTime!) { auditAnomalies(from: $from, to: $to) {
  kind actor day observed baseline threshold recordCount } }"""
SECONDARY_INDEXES = {
    "idx_audit_event_actor_72fbea": 'ON "audit_events" ("actor", "sequence")',
    "idx_audit_event_at_d387df": 'ON "audit_events" ("at")',
    "idx_audit_event_request_69fae3": 'ON "audit_events" ("request_id")',
    "idx_audit_subje_subject_cc7e2c": 'ON "audit_subjects" ("subject", "sequence")',
}


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/audit_log.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--generate", action="store_true", help="build the log first")
    parser.add_argument("--records", type=int, default=50_000_000)
    parser.add_argument("--chunk", type=int, default=2_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--export-days", type=int, default=0,
                        help="also stream GET /audit/export of the last N days (73: about 10 "
                             "million records) and sample the worker's memory")
    parser.add_argument("--port", type=int, default=8098)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    return parser.parse_args(argv)


def sijill(env: dict, *args: str) -> None:
    subprocess.run([str(ROOT / ".venv" / "bin" / "sijill"), *args], env=env, check=True,
                   cwd=ROOT, stdout=subprocess.DEVNULL)


async def create_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    conn = await asyncpg.connect(f"{base}/postgres")
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def tracked(conn) -> list[tuple[str, str]]:
    """(IDCS, household id) of the tracked citizens: living members of the seeded register,
    each of another household (so that each has exactly the accesses written for them)."""
    rows = await conn.fetch(
        "SELECT DISTINCT ON (m.household_id) p.idcs, m.household_id::text AS household "
        "FROM persons p JOIN memberships m ON m.person_id = p.id AND m.end_date IS NULL "
        "WHERE p.death_date IS NULL ORDER BY m.household_id, p.id LIMIT $1", TRACKED)
    if len(rows) < TRACKED:
        raise SystemExit(f"the seeded register has only {len(rows)} members; seed more")
    return [(r["idcs"], r["household"]) for r in rows]


async def write_log(url: str, records: int, chunk: int) -> None:
    conn = await asyncpg.connect(url)
    try:
        people = await tracked(conn)
        start = await conn.fetchval("SELECT coalesce(max(sequence), 0) FROM audit_events") + 1
        await conn.execute("CREATE TEMP TABLE tracked (slot int PRIMARY KEY, idcs text, household text)")
        await conn.executemany("INSERT INTO tracked VALUES ($1, $2, $3)",
                               [(i, idcs, hh) for i, (idcs, hh) in enumerate(people)])
        for name in SECONDARY_INDEXES:
            await conn.execute(f'DROP INDEX IF EXISTS "{name}"')
        every = records // (TRACKED * ACCESSES)  # one record in `every` names a tracked citizen
        began = time.monotonic()
        for low in range(0, records, chunk):
            high = min(records, low + chunk)
            async with conn.transaction():
                await conn.execute(EVENTS, start, low, high - 1, records, DAYS, ACTORS, every,
                                   POPULATION, TRACKED)
                await conn.execute(SUBJECTS, start, low, high - 1, every, POPULATION, TRACKED)
            print(f"  {high:>11,} records  {time.monotonic() - began:7.0f} s", file=sys.stderr)
        for name, definition in SECONDARY_INDEXES.items():
            t = time.monotonic()
            await conn.execute(f'CREATE INDEX "{name}" {definition}')
            print(f"  index {name}: {time.monotonic() - t:.0f} s", file=sys.stderr)
        await conn.execute("ANALYZE audit_events")
        await conn.execute("ANALYZE audit_subjects")
        size = await conn.fetchval("SELECT pg_size_pretty(pg_total_relation_size('audit_events') "
                                   "+ pg_total_relation_size('audit_subjects'))")
        print(f"  log written in {time.monotonic() - began:.0f} s; {size}", file=sys.stderr)
    finally:
        await conn.close()


# Record n (0-based) of the generated year. One in `every` names a tracked citizen (its person
# for two thirds, its household for a third), by an agency; the others a pseudo-random person.
# Kinds by n % 10: 0–5 an agency's eligibility lookup (ASD, AMO_TADAMON, TAYSSIR), 6–8 a
# registrar reading a person, 9 a citizen reading their own household.
EVENTS = """
INSERT INTO audit_events (sequence, at, actor, roles, program, purpose, operation,
  operation_type, fields, denied_fields, subjects, outcome, error_code, request_id,
  policy_version, previous_hash, hash, catalogue_version)
SELECT $1 + n,
  now() - make_interval(days => $5) + make_interval(secs => n::float8 * $5 * 86400 / $4),
  CASE WHEN k = 9 AND NOT t THEN lpad((n % $8)::text, 10, '0')
       ELSE CASE WHEN k < 6 OR t THEN 'agency-' ELSE 'registrar-' END || (n % $6) END,
  CASE WHEN k < 6 OR t THEN '["program_agency"]'::jsonb WHEN k < 9 THEN '["registrar"]'::jsonb
       ELSE '["citizen"]'::jsonb END,
  CASE WHEN k < 6 OR t THEN (ARRAY['ASD', 'AMO_TADAMON', 'TAYSSIR'])[1 + n % 3] END,
  CASE WHEN k < 6 OR t THEN 'ELIGIBILITY_CHECK' END,
  CASE WHEN k < 6 OR t THEN 'Eligibility' WHEN k < 9 THEN 'Person' ELSE 'MyHousehold' END,
  'query',
  CASE WHEN k < 6 OR t THEN '["Eligibility.eligible", "Eligibility.idcs", "Query.eligibility"]'::jsonb
       WHEN k < 9 THEN '["Person.firstName", "Person.idcs", "Query.person"]'::jsonb
       ELSE '["Household.id", "Query.myHousehold"]'::jsonb END,
  '[]'::jsonb, '[]'::jsonb,
  CASE WHEN n % 50 = 1 AND NOT t THEN 'DENIED' ELSE 'ALLOWED' END,
  CASE WHEN n % 50 = 1 AND NOT t THEN 'FORBIDDEN' END,
  md5(n::text || 'r'), 'bench', md5(n::text) || md5(n::text || 'p'),
  md5(n::text || 'h') || md5(n::text || 'q'), 'bench'
FROM (SELECT n, n % 10 AS k, n % $7 = 0 AND n / $7 < $9 * 1000 AS t
      FROM generate_series($2::bigint, $3::bigint) AS n) AS g
"""
SUBJECTS = """
INSERT INTO audit_subjects (sequence, subject)
SELECT $1 + n,
  CASE WHEN g.n % $4 = 0 AND g.n / $4 < $6 * 1000 THEN
         (SELECT CASE WHEN (n / $4) % 3 = 0 THEN household ELSE idcs END
          FROM tracked WHERE tracked.slot = (g.n / $4) % $6)
       ELSE lpad(((n * 2654435761) % $5)::text, 10, '0') END
FROM generate_series($2::bigint, $3::bigint) AS g(n)
"""


def quantiles(values: list[float]) -> dict:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": round(cuts[49], 1), "p90": round(cuts[89], 1), "p99": round(cuts[98], 1),
            "n": len(values)}


def measure(args, env: dict) -> dict:
    people = asyncio.run(_people(args.database_url))
    admin = mint(env, "--role", "auditor", "--sub", "bench-auditor")
    server = Server("sijill", [str(ROOT / ".venv" / "bin" / "sijill"), "run", "--host",
                               "127.0.0.1", "--port", str(args.port), "--workers", "1"],
                    env, args.port, args.results / "audit-log-server.log", ROOT)
    tokens = {idcs: citizen_token(env, idcs) for idcs, _ in people}
    probe = json.dumps({"query": PAGE, "variables": {"first": 20}}).encode()
    server.start(probe, tokens[people[0][0]])
    out: dict = {}
    try:
        with httpx.Client(timeout=120) as client:
            for name, document in (("page", PAGE), ("page_with_total", PAGE_COUNTED)):
                times, sizes = [], []
                for _round in range(args.rounds):
                    for idcs, _household in people:
                        started = time.perf_counter()
                        body = client.post(server.url, json={"query": document, "variables": {
                            "first": 20}}, headers={"Authorization": f"Bearer {tokens[idcs]}"}
                        ).json()
                        times.append((time.perf_counter() - started) * 1000)
                        if "errors" in body:
                            raise RuntimeError(body["errors"])
                        sizes.append(body["data"]["myDataAccesses"].get("totalCount"))
                out[name] = quantiles(times[len(people):] or times)  # the first round warms up
                if name == "page_with_total":
                    out[name]["accesses_per_citizen"] = sorted(set(sizes))
            now = time.time()
            window = {"from": time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(now - 7 * 86400)),
                      "to": time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(now))}
            started = time.perf_counter()
            body = client.post(server.url, json={"query": ANOMALIES, "variables": window},
                               headers={"Authorization": f"Bearer {admin}"}).json()
            out["anomalies_7_days_s"] = round(time.perf_counter() - started, 1)
            if "errors" in body:
                raise RuntimeError(body["errors"])
            out["anomalies_found"] = len(body["data"]["auditAnomalies"])
        if args.export_days:
            out["export"] = export(server, admin, args.export_days)
    finally:
        server.stop()
    return out


def export(server: Server, token: str, days: int) -> dict:
    """Stream the export of the last `days` days to nowhere, counting lines and bytes, while
    the worker's memory is sampled."""
    now = time.time()
    params = {"from": time.strftime("%Y-%m-%dT00:00:00Z", time.gmtime(now - days * 86400))}
    url = server.url.replace("/graphql", "/audit/export")
    worker = max(server.processes(), key=rss_bytes)
    before = rss_bytes(worker)
    lines = size = 0
    started = time.perf_counter()
    with RssSampler(server, interval=1.0) as sampler, httpx.stream(
            "GET", url, params=params, headers={"Authorization": f"Bearer {token}"},
            timeout=None) as response:
        response.raise_for_status()
        for chunk in response.iter_bytes(1 << 20):
            size += len(chunk)
            lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    mib = 1 << 20
    return {"days": days, "records": lines, "gigabytes": round(size / 1e9, 2),
            "seconds": round(seconds), "records_per_second": round(lines / seconds),
            "worker_rss_mib_before": round(before / mib, 1),
            "worker_rss_mib_peak": round(sampler.max_process / mib, 1),
            "worker_rss_mib_after": round(rss_bytes(worker) / mib, 1)}


async def _people(url: str) -> list[tuple[str, str]]:
    conn = await asyncpg.connect(url)
    try:
        return await tracked(conn)
    finally:
        await conn.close()


async def _records(url: str) -> int:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT count(*) FROM audit_events")
    finally:
        await conn.close()


def main(argv=None) -> int:
    args = parse_args(argv)
    env = bench_env(args.database_url, secrets.token_hex(32))
    env.update(SIJILL_LOG_FORMAT="json", SIJILL_GRAPHIQL="false", SIJILL_RATE_LIMITS="none",
               SIJILL_REFUSAL_RATE="none")
    args.results.mkdir(parents=True, exist_ok=True)
    if args.generate:
        asyncio.run(create_database(args.database_url))
        sijill(env, "migrate")
        sijill(env, "seed", "--households", "150")
        asyncio.run(write_log(args.database_url, args.records, args.chunk))
    result = {"records": asyncio.run(_records(args.database_url)), **measure(args, env)}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
