"""The change feed on a generated register (`bench/generate`, then `sijill programs apply
--baseline`): what a rescore publishes and costs, how fast a page of 1 000 changes is read,
how many changes a webhook receives per second.

1. **Rescores** (in this process, as `sijill rescore` runs them): to a formula whose intercepts
   are lowered by `--shift` (every index moves; the households crossing a program's threshold
   change answers), back to v1 (they change back), then v1 again (nothing moves). Each: wall
   and CPU time, peak memory, changes published.
2. **Feed pages**: a running `sijill run` (one worker) answers `eligibilityChanges(program: ASD,
   first: 1000, after: …)` at random places of the feed, one request at a time; latency at the
   client, p50/p90/p99, and the server's CPU time per page (its processes' user and system
   time, from /proc).
3. **Webhook deliveries**: a webhook of ASD placed at the start of the feed delivers to a local
   receiver (Python's threaded http.server, verifying nothing) for `--deliver-seconds`;
   deliveries and changes per second, batches of 100 and of 1 000.

    .venv/bin/python bench/feed.py --database-url postgres://…/sijill_bench

The rescores leave the register scored with v1, as they found it (with two more index rows per
household).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scenarios import ROOT, bench_env, mint  # noqa: E402
from bench.servers import Server  # noqa: E402

QUERY = """query($after: String) { eligibilityChanges(program: ASD, first: 1000, after: $after) {
  edges { node { sequence at idcs kind cause eligibility { eligible reasons monthlyAmount } } }
  pageInfo { hasNextPage endCursor } } }"""


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--shift", type=float, default=0.35,
                        help="how much the bench formula lowers every intercept")
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--deliver-seconds", type=float, default=20.0)
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--skip-rescores", action="store_true")
    parser.add_argument("--only-rescores", action="store_true")
    parser.add_argument("--steps", default="vbench,v1,v1",
                        help="the formulas rescored, in order (vbench: the shifted one)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results")
    return parser.parse_args(argv)


async def _init(database_url: str):
    from tortoise import Tortoise

    from api.db import tortoise_config
    from api.settings import Settings

    await Tortoise.init(config=tortoise_config(Settings(DATABASE_URL=database_url)))


async def rescores(database_url: str, shift: float, steps: list[str]) -> list[dict]:
    import api.scoring.formula as formula_module
    from api.models import EligibilityChange
    from api.scoring.formula import load_formula
    from api.services import scoring

    folder = Path(tempfile.mkdtemp(prefix="sijill-formulas-"))
    shutil.copy(formula_module.FORMULAS_DIR / "v1.json", folder / "v1.json")
    shifted = json.loads((folder / "v1.json").read_text(encoding="utf-8"))
    shifted["version"] = "vbench"
    shifted["intercept"] = {k: v - shift for k, v in shifted["intercept"].items()}
    (folder / "vbench.json").write_text(json.dumps(shifted), encoding="utf-8")
    formula_module.FORMULAS_DIR = folder
    load_formula.cache_clear()
    await _init(database_url)
    out = []
    for version in steps:
        before = await EligibilityChange.all().count()
        wall, cpu = time.perf_counter(), time.process_time()
        report = await scoring.rescore(version)
        out.append({"formula": version, "households": report.households,
                    "wall_s": round(time.perf_counter() - wall, 1),
                    "cpu_s": round(time.process_time() - cpu, 1),
                    "changes": await EligibilityChange.all().count() - before,
                    "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                          / 1024)})
        print(json.dumps(out[-1]), flush=True)
    shutil.rmtree(folder)
    return out


async def feed_span(database_url: str) -> tuple[int, int]:
    from api.models import EligibilityChange
    from api.services import feed

    await feed.sequence()
    first = await EligibilityChange.filter(program="ASD", sequence__not_isnull=True
                                           ).order_by("sequence").first()
    last = await EligibilityChange.filter(program="ASD", sequence__not_isnull=True
                                          ).order_by("-sequence").first()
    return (first.sequence, last.sequence) if first else (0, 0)


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its descendants, from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    parents, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / ticks
    tree = {pid}
    for _ in range(4):  # the server, its workers, theirs
        tree |= {child for child, parent in parents.items() if parent in tree}
    return sum(cpu.get(p, 0.0) for p in tree)


def pages(url: str, token: str, span: tuple[int, int], count: int, rng,
          server_pid: int | None = None) -> dict:
    from api.services import feed

    times = []
    sizes = []
    cpu_before = tree_cpu_seconds(server_pid) if server_pid else None
    for _ in range(count):
        after = feed.encode_cursor(rng.randint(span[0], max(span[0], span[1] - 1000)))
        body = json.dumps({"query": QUERY, "variables": {"after": after}}).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        times.append((time.perf_counter() - started) * 1000)  # to the last byte received
        answer = json.loads(body)
        assert "errors" not in answer, answer["errors"]
        sizes.append(len(answer["data"]["eligibilityChanges"]["edges"]))
    times.sort()
    found = {"requests": count, "changes_per_page_mean": round(statistics.mean(sizes)),
             "p50_ms": round(times[len(times) // 2], 1),
             "p90_ms": round(times[int(len(times) * 0.9)], 1),
             "p99_ms": round(times[int(len(times) * 0.99)], 1)}
    if server_pid:  # what the machine's noise does not change: the server's CPU per page
        found["server_cpu_ms_per_page"] = round(
            (tree_cpu_seconds(server_pid) - cpu_before) * 1000 / count, 1)
    return found


class _Sink(BaseHTTPRequestHandler):
    received = 0

    def do_POST(self):  # noqa: N802 - http.server's name
        self.rfile.read(int(self.headers["content-length"]))
        type(self).received += 1
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


async def deliveries(database_url: str, seconds: float) -> list[dict]:
    import uuid

    import httpx

    from api.models import Webhook, WebhookDelivery
    from api.services import clock, webhooks

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    out = []
    try:
        for batch in (100, 1000):
            hook = await Webhook.create(
                id=uuid.uuid4(), program="ASD", url=url, secret=webhooks.new_secret(),
                created_by="bench", created_at=clock.now(), last_sequence=0,
                next_attempt_at=clock.now())
            delivered = 0
            started = time.perf_counter()
            async with httpx.AsyncClient(timeout=30) as client:
                while time.perf_counter() - started < seconds:
                    delivered += await webhooks.deliver_due(client, production=False,
                                                            policy_version="bench",
                                                            batch=batch)
            elapsed = time.perf_counter() - started
            attempts = await WebhookDelivery.filter(webhook_id=hook.id).count()
            out.append({"batch": batch, "seconds": round(elapsed, 1),
                        "deliveries_per_s": round(attempts / elapsed, 1),
                        "changes_per_s": round(delivered / elapsed)})
            print(json.dumps(out[-1]), flush=True)
            await WebhookDelivery.filter(webhook_id=hook.id).delete()
            await hook.delete()
    finally:
        server.shutdown()
    return out


def main(argv=None) -> int:
    args = parse_args(argv)
    result: dict = {}
    if not args.skip_rescores:
        result["rescores"] = asyncio.run(rescores(args.database_url, args.shift,
                                                  args.steps.split(",")))
    if args.only_rescores:
        print(json.dumps(result, indent=2))
        return 0

    async def span_and_deliveries():
        await _init(args.database_url)
        return await feed_span(args.database_url), await deliveries(args.database_url,
                                                                    args.deliver_seconds)

    span, result["deliveries"] = asyncio.run(span_and_deliveries())
    env = bench_env(args.database_url, secrets.token_hex(32))
    env.update(SIJILL_LOG_FORMAT="json", SIJILL_GRAPHIQL="false", SIJILL_RATE_LIMITS="none",
               SIJILL_REFUSAL_RATE="none")
    token = mint(env, "--role", "program_agency", "--program", "ASD", "--sub", "bench-feed")
    args.results.mkdir(parents=True, exist_ok=True)
    server = Server("sijill", [str(ROOT / ".venv" / "bin" / "sijill"), "run", "--host",
                               "127.0.0.1", "--port", str(args.port), "--workers", "1"],
                    env, args.port, args.results / "feed-server.log", ROOT)
    server.start(json.dumps({"query": QUERY, "variables": {}}).encode(), token)
    try:
        result["pages"] = pages(server.url, token, span, args.pages, random.Random(7),
                                server.process.pid)
    finally:
        server.stop()
    result["feed_span"] = span
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
