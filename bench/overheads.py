"""Cost of the field-access check and of the durable audit record, measured in one run.

Runs the real application in-process (ASGI, no network) against a fresh database, on the general
path (`SIJILL_FAST_PATH=false`: the fast path makes its own policy decision, which the "checks
off" mode cannot switch off; bench/run measures it), and sends the same eligibility query
(household and members) in three modes — everything on; field checks off; audit off —
alternating blocks so that machine noise hits every mode alike. Reports throughput and
latency percentiles per mode and the ratios. `--concurrency` requests are in flight at once (the
audit's group commit only groups concurrent requests).

    .venv/bin/python bench/overheads.py [--requests 2000] [--concurrency 16] [--database URL]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from api.http.app import SijillGraphQL, create_app  # noqa: E402
from api.http.auth import mint_token  # noqa: E402
from api.models import Membership  # noqa: E402
from api.seed import seed  # noqa: E402
from api.services import audit  # noqa: E402
from api.services.migrations import migrate  # noqa: E402
from api.settings import Settings  # noqa: E402
from tests.db import TestDatabase, choose_server  # noqa: E402

QUERY = """query Check($idcs: String!) {
  eligibility(program: ASD, idcs: $idcs) {
    idcs eligible reasons monthlyAmount threshold formulaVersion evaluatedAt
    household { id reference size members { relationship schooling person { idcs birthDate age } } }
  }
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--block", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database", help="PostgreSQL server URL; default: local one or SQLite")
    args = parser.parse_args()

    server = args.database or await choose_server()
    db = TestDatabase(server)
    await db.create()
    try:
        settings = Settings(DATABASE_URL=db.url, SIJILL_FAST_PATH=False)
        await migrate(settings, db.url)
        app = create_app(settings)
        mode = {"checks": True, "audit": True}
        original = SijillGraphQL.get_context
        original_write = audit.AuditWriter.write

        async def get_context(self, request, response):
            context = await original(self, request, response)
            context.enforce_field_access = mode["checks"]
            return context

        async def write(self, record):
            return await original_write(self, record) if mode["audit"] else 0

        SijillGraphQL.get_context = get_context
        audit.AuditWriter.write = write
        async with app.router.lifespan_context(app):
            await seed(households=300, seed=1)
            ids = [r["person__idcs"] for r in await Membership.filter(end_date=None).values("person__idcs")]
            token = mint_token(settings, roles=["program_agency"], subject="bench", program="ASD")
            headers = {"Authorization": f"Bearer {token}"}
            rng = random.Random(7)
            modes = {"all on": (True, True), "checks off": (False, True), "audit off": (True, False)}
            timings: dict[str, list[float]] = {name: [] for name in modes}
            elapsed: dict[str, float] = {name: 0.0 for name in modes}
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                         base_url="http://bench") as client:

                async def one(latencies: list[float]) -> None:
                    body = {"query": QUERY, "variables": {"idcs": rng.choice(ids)}}
                    start = time.perf_counter()
                    response = await client.post("/graphql", json=body, headers=headers)
                    latencies.append(time.perf_counter() - start)
                    assert response.status_code == 200 and "errors" not in response.json()

                for _ in range(100):  # warm-up: caches, connections
                    await one([])
                rounds = max(1, args.requests // args.block)
                for _ in range(rounds):
                    for name, (checks, audited) in modes.items():
                        mode["checks"], mode["audit"] = checks, audited
                        start = time.perf_counter()
                        for _ in range(args.block // args.concurrency):
                            await asyncio.gather(*(one(timings[name])
                                                   for _ in range(args.concurrency)))
                        elapsed[name] += time.perf_counter() - start
        engine = db.engine
    finally:
        SijillGraphQL.get_context = original
        audit.AuditWriter.write = original_write
        await db.drop()

    print(f"eligibility(program: ASD) with household and members: {args.requests} requests per "
          f"mode, {args.concurrency} in flight, in-process ASGI, {engine}")
    rates = {}
    for name, t in timings.items():
        rates[name] = len(t) / elapsed[name]
        print(f"  {name:10}: {rates[name]:7.1f} req/s  p50 {statistics.median(t) * 1e3:7.2f} ms  "
              f"p95 {percentile(t, 0.95) * 1e3:7.2f} ms  p99 {percentile(t, 0.99) * 1e3:7.2f} ms")
    print(f"  field checks: on/off throughput {rates['all on'] / rates['checks off']:.3f}")
    print(f"  audit:        on/off throughput {rates['all on'] / rates['audit off']:.3f}")


if __name__ == "__main__":
    asyncio.run(main())
