"""Cost of the field-access check: the same eligibility query with the check on and off.

Runs the real application in-process (ASGI, no network) against a fresh database, alternating
blocks of requests with the check on and off so that machine noise hits both alike, and reports
throughput and latency percentiles for each, plus the check's own cost per request.

    .venv/bin/python bench/access_check.py [--requests 3000] [--database postgres://…/postgres]
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

from api.app import SijillGraphQL, create_app  # noqa: E402
from api.auth import mint_token  # noqa: E402
from api.models import Membership  # noqa: E402
from api.services.migrations import migrate  # noqa: E402
from api.services.seed import seed  # noqa: E402
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
    parser.add_argument("--block", type=int, default=250)
    parser.add_argument("--database", help="PostgreSQL server URL; default: local one or SQLite")
    args = parser.parse_args()

    server = args.database or await choose_server()
    db = TestDatabase(server)
    await db.create()
    try:
        settings = Settings(DATABASE_URL=db.url)
        await migrate(settings, db.url)
        app = create_app(settings)
        check = {"on": True}
        original = SijillGraphQL.get_context

        async def get_context(self, request, response):
            context = await original(self, request, response)
            context.enforce_field_access = check["on"]
            return context

        SijillGraphQL.get_context = get_context
        async with app.router.lifespan_context(app):
            await seed(households=300, seed=1)
            ids = [r["person__idcs"] for r in await Membership.filter(end_date=None).values("person__idcs")]
            token = mint_token(settings, roles=["program_agency"], subject="bench", program="ASD")
            headers = {"Authorization": f"Bearer {token}"}
            rng = random.Random(7)
            timings: dict[str, list[float]] = {"on": [], "off": []}
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                         base_url="http://bench") as client:
                for _ in range(100):  # warm-up: caches, connections
                    await client.post("/graphql", json={"query": QUERY, "variables": {"idcs": ids[0]}},
                                      headers=headers)
                done = 0
                while done < args.requests * 2:
                    mode = "on" if (done // args.block) % 2 == 0 else "off"
                    check["on"] = mode == "on"
                    for _ in range(args.block):
                        body = {"query": QUERY, "variables": {"idcs": rng.choice(ids)}}
                        start = time.perf_counter()
                        response = await client.post("/graphql", json=body, headers=headers)
                        timings[mode].append(time.perf_counter() - start)
                        assert response.status_code == 200 and "errors" not in response.json()
                    done += args.block
        engine = db.engine
    finally:
        SijillGraphQL.get_context = original
        await db.drop()

    print(f"eligibility(program: ASD) with household and members, {args.requests} requests per mode, "
          f"in-process ASGI, {engine}")
    rows = {}
    for mode in ("on", "off"):
        t = timings[mode]
        rows[mode] = (len(t) / sum(t), statistics.median(t) * 1e3, percentile(t, 0.95) * 1e3,
                      percentile(t, 0.99) * 1e3)
        print(f"  checks {mode:3}: {rows[mode][0]:7.1f} req/s  p50 {rows[mode][1]:6.2f} ms  "
              f"p95 {rows[mode][2]:6.2f} ms  p99 {rows[mode][3]:6.2f} ms")
    print(f"  ratio on/off throughput: {rows['on'][0] / rows['off'][0]:.3f}; "
          f"median cost of the check: {rows['on'][1] - rows['off'][1]:.3f} ms per request")


if __name__ == "__main__":
    asyncio.run(main())
