"""The load benchmark: Sijill beside a bare Starlette + asyncpg baseline and PostGraphile v4, on
the same database, in the same run, alternating systems round after round. Run it as `bench/run`
(see bench/README.md)."""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import secrets
import string
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from itertools import product
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare import compare  # noqa: E402
from report import aggregate, markdown, ratios  # noqa: E402
from scenarios import (  # noqa: E402
    BENCH,
    DOCUMENTS,
    LOAD,
    ROOT,
    SCENARIOS,
    bench_env,
    bench_region,
    ids_for,
    load_sample,
    provinces_of,
    tokens,
)
from servers import RssSampler, Server  # noqa: E402

SYSTEMS = ("sijill", "bare", "postgraphile")
RESULT = re.compile(r"^RESULT (\{.*\})$", re.MULTILINE)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--sample", type=Path, required=True, help="from bench/sample.py or bench/generate")
    parser.add_argument("--duration", type=int, default=30, help="seconds per run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--bulk-connections", type=int, default=2,
                        help="connections of the bulk scenario (default 2: one per worker)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--scenarios",
                        default="eligibility,household,bulk,register,my-household,households,person")
    parser.add_argument("--systems", default=",".join(SYSTEMS))
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--warmup", type=int, default=5, help="seconds per system and scenario")
    parser.add_argument("--workers", type=int, default=2, help="server processes per system")
    parser.add_argument("--ports", default="8101,8102,8103", help="sijill,bare,postgraphile")
    parser.add_argument("--before", type=Path, metavar="CHECKOUT",
                        help="an earlier checkout of Sijill (with its .venv), measured as system "
                             "`before` in the same run, on port --before-port: figures before "
                             "and after a change under the same conditions")
    parser.add_argument("--before-port", type=int, default=8104)
    parser.add_argument("--compare-requests", type=int, default=10,
                        help="requests per scenario checked alike before measuring (0: skip)")
    parser.add_argument("--results", type=Path, default=BENCH / "results")
    args = parser.parse_args(argv)
    args.scenarios = args.scenarios.split(",")
    args.systems = args.systems.split(",")
    unknown = [s for s in args.scenarios if s not in SCENARIOS] + [
        s for s in args.systems if s not in SYSTEMS]
    if unknown:
        parser.error(f"unknown scenario or system: {', '.join(unknown)}")
    if args.before is not None:
        if not (args.before / ".venv" / "bin" / "sijill").exists():
            parser.error(f"--before {args.before}: no .venv/bin/sijill there (make install)")
        args.systems.append("before")
    args.database_url = args.database_url.replace("postgresql://", "postgres://", 1)
    return args


def servers(args, env: dict, logs: Path) -> dict[str, Server]:
    ports = dict(zip(SYSTEMS, (int(p) for p in args.ports.split(",")), strict=True))
    workers = str(args.workers)
    # As in production (JSON logs, no GraphiQL, the audit and the cap's bookkeeping on), but
    # with the run's HS256 secret that the baselines verify too (production mode itself
    # accepts RS256/ES256 only; the algorithm costs the same on every system).
    sijill_env = dict(env, SIJILL_LOG_FORMAT="json", SIJILL_GRAPHIQL="false",
                      SIJILL_RATE_LIMITS="none", SIJILL_REFUSAL_RATE="none",
                      SIJILL_PROGRAM_DAILY_PERSONS="default=1000000000")
    python = str(ROOT / ".venv" / "bin" / "python")
    commands = {
        "sijill": ([str(ROOT / ".venv" / "bin" / "sijill"), "run", "--host", "127.0.0.1",
                    "--port", str(ports["sijill"]), "--workers", workers], sijill_env),
        "bare": ([python, "-m", "uvicorn", "--app-dir", str(BENCH), "baseline_bare:app",
                  "--host", "127.0.0.1", "--port", str(ports["bare"]), "--workers", workers,
                  "--loop", "uvloop", "--http", "httptools", "--no-access-log",
                  "--log-level", "warning"], env),
        "postgraphile": ([str(BENCH / "postgraphile" / "run"), str(ports["postgraphile"]), workers],
                         env),
    }
    if args.before is not None:
        ports["before"] = args.before_port
        commands["before"] = ([str(args.before / ".venv" / "bin" / "sijill"), "run", "--host",
                               "127.0.0.1", "--port", str(args.before_port), "--workers", workers],
                              {**sijill_env, "SIJILL_ENV": "development"})
    return {name: Server(name, command, server_env, ports[name], logs / f"{name}.log",
                         args.before if name == "before" else ROOT)
            for name, (command, server_env) in commands.items() if name in args.systems}


async def prepare_database(url: str, threads: int, rounds: int) -> list[str]:
    """Load the PostGraphile schema; return two-letter CIN prefixes no person uses yet, enough
    for one per wrk thread per registration run."""
    conn = await asyncpg.connect(url)
    try:
        await conn.execute((BENCH / "postgraphile" / "schema.sql").read_text())
        used = {r[0] for r in await conn.fetch(
            "SELECT DISTINCT left(cin, 2) FROM persons WHERE cin ~ '^[A-Z]{2}'")}
    finally:
        await conn.close()
    free = [a + b for a, b in product(string.ascii_uppercase, repeat=2) if a + b not in used]
    random.shuffle(free)
    needed = threads * (rounds + 1)
    if len(free) < needed:
        raise SystemExit("no unused two-letter CIN prefixes left for registration")
    return free[:needed]


def connections_for(args, scenario) -> int:
    """Bulk checks are a batch job's few requests in flight, not 32 users: `--bulk-connections`."""
    return args.bulk_connections if scenario.list_length else args.connections


def wrk(args, server: Server, script: str, script_args: list[str], duration: int,
        connections: int | None = None) -> dict:
    connections = connections or args.connections
    threads = min(args.threads, connections)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
               "--timeout", "60s", "-s", str(LOAD / script), server.url, "--", *script_args]
    with RssSampler(server) as rss:
        done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120)
    match = RESULT.search(done.stdout)
    if done.returncode != 0 or match is None:
        raise RuntimeError(f"wrk failed on {server.name}: {done.stdout}\n{done.stderr}")
    result = json.loads(match.group(1))
    result.update(rss_max_process=rss.max_process, rss_max_total=rss.max_total)
    return result


def script_for(scenario, system: str, files: dict, prefixes: list[str]) -> tuple[str, list[str]]:
    documents = DOCUMENTS[system]
    if scenario.writes:
        mine = [prefixes.pop() for _ in range(files["threads"])]
        return "register.lua", [str(documents / "register-person.graphql"),
                                str(documents / "register-household.graphql"),
                                files["token:registrar"], files["province"], ",".join(mine)]
    if scenario.token_per_request:
        return "citizen.lua", [str(documents / scenario.document), files[f"token:{scenario.token}"]]
    extra = [str(scenario.list_length)] if scenario.list_length else []
    return "read.lua", [str(documents / scenario.document), files[f"token:{scenario.token}"],
                        files[f"ids:{scenario.ids}"], scenario.variable, *extra]


def write_inputs(work: Path, sample: dict, region: str, keys: dict, threads: int) -> dict:
    files: dict = {"threads": threads, "province": provinces_of(region)[0]}
    for name, token in keys.items():
        path = work / f"token-{name}"
        path.write_text("\n".join(token) + "\n" if isinstance(token, list) else token + "\n")
        files[f"token:{name}"] = str(path)
    for kind in sorted({s.ids for s in SCENARIOS.values() if s.ids}):
        probe = next(s for s in SCENARIOS.values() if s.ids == kind)
        path = work / f"ids-{kind}.txt"
        ids = ids_for(probe, sample, region)
        if not ids:
            raise SystemExit(f"the sample gives no {kind} for region {region}")
        path.write_text("\n".join(ids) + "\n")
        files[f"ids:{kind}"] = str(path)
    return files


def probe_body(system: str) -> bytes:
    document = (DOCUMENTS[system] / "eligibility.graphql").read_text()
    return json.dumps({"operationName": "Eligibility", "query": document,
                       "variables": {"idcs": "0000000000"}}).encode()


def main(argv=None) -> int:
    args = parse_args(argv)
    started = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    sample = load_sample(args.sample)
    region = bench_region(sample)
    env = bench_env(args.database_url, secrets.token_hex(32))
    registering = sum(1 for system in args.systems if system in ("sijill", "before"))
    prefixes = asyncio.run(prepare_database(args.database_url, args.threads,
                                            args.rounds * registering))
    keys = tokens(env, region, sample)
    results_dir = args.results
    results_dir.mkdir(parents=True, exist_ok=True)
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="sijill-bench-") as tmp:
        work = Path(tmp)
        files = write_inputs(work, sample, region, keys, args.threads)
        running = servers(args, env, results_dir / f"{started}-logs")
        try:
            for name, server in running.items():
                print(f"starting {name} on port {server.port}", file=sys.stderr)
                server.start(probe_body(name), keys["amo"])
            check_alike(args, running, sample, env)
            reads = [s for s in args.scenarios if not SCENARIOS[s].writes]
            for name, system in product(reads, running):
                if system not in SCENARIOS[name].systems:
                    continue
                print(f"warm-up {name} on {system}", file=sys.stderr)
                wrk(args, running[system], *script_for(SCENARIOS[name], system, files, prefixes),
                    duration=args.warmup, connections=connections_for(args, SCENARIOS[name]))
            for round_number, name in product(range(1, args.rounds + 1), args.scenarios):
                scenario = SCENARIOS[name]
                for system, server in running.items():
                    if system not in scenario.systems:
                        continue
                    script, script_args = script_for(scenario, system, files, prefixes)
                    connections = connections_for(args, scenario)
                    result = wrk(args, server, script, script_args, args.duration, connections)
                    result.update(scenario=name, system=system, round=round_number,
                                  connections=connections)
                    runs.append(result)
                    print(f"round {round_number} {name} {system}: {result['rps']:.1f} req/s, "
                          f"p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
                          f"errors {result['non2xx']}/{result['graphql_errors']}", file=sys.stderr)
        finally:
            for server in running.values():
                server.stop()
    rows = aggregate(runs)
    ratio_rows = ratios(rows)
    settings = {"started": started, "duration": args.duration, "connections": args.connections,
                "bulk_connections": args.bulk_connections,
                "threads": args.threads, "rounds": args.rounds, "workers": args.workers,
                "sample": str(args.sample), "region": region, "scenarios": args.scenarios,
                "systems": args.systems}
    text = markdown(rows, ratio_rows, settings)
    (results_dir / f"{started}.json").write_text(json.dumps(
        {"settings": settings, "runs": runs, "summary": rows, "ratios": ratio_rows}, indent=1) + "\n")
    (results_dir / f"{started}.md").write_text(text)
    print(text)
    print(f"written {results_dir / (started + '.md')} and .json", file=sys.stderr)
    return 0


def check_alike(args, running: dict[str, Server], sample: dict, env: dict) -> None:
    """A baseline that answers something else than Sijill is no fair comparison: stop."""
    if args.compare_requests <= 0 or "sijill" not in running:
        return
    for system in ("bare", "postgraphile"):
        names = [s for s in args.scenarios
                 if not SCENARIOS[s].writes and system in SCENARIOS[s].systems]
        if system not in running or not names:
            continue
        problems = compare(sijill=running["sijill"].url, other=running[system].url,
                           other_documents=DOCUMENTS[system], sample=sample, env=env,
                           requests=args.compare_requests, names=names)
        if problems:
            raise SystemExit(f"{system} does not answer like Sijill:\n" + "\n".join(problems[:5]))
        print(f"{system} answers like Sijill ({args.compare_requests} requests per scenario)",
              file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
