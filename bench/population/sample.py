"""A file of identifiers for load tests: persons in households, persons in no household, valid
IDCS nobody holds, and households with the region and province a registrar's token must cover.
Drawn from the seed, read back from the loaded database."""

from __future__ import annotations

import json
import random
from pathlib import Path

import asyncpg

from bench.population import identifiers as ids
from bench.population.plan import Plan

IN_HOUSEHOLDS = 10_000
WITHOUT_HOUSEHOLD = 2_000
UNKNOWN = 500
HOUSEHOLDS = 5_000


def _draw(rng: random.Random, low: int, high: int, k: int) -> list[int]:
    """k distinct integers of [low, high), fewer when the range is smaller."""
    return sorted(rng.sample(range(low, high), min(k, max(0, high - low))))


async def build(url: str, plan: Plan) -> dict:
    rng = random.Random(f"{plan.seed}/sample")
    totals = plan.totals
    members = _draw(rng, 1, totals.members + 1, IN_HOUSEHOLDS)
    # a few more than needed: the deceased are left out
    lone = _draw(rng, totals.members + 1, totals.persons + 1, WITHOUT_HOUSEHOLD * 11 // 10)
    households = [ids.household_id(plan.seed, s)
                  for s in _draw(rng, 0, totals.households, HOUSEHOLDS)]
    conn = await asyncpg.connect(url)
    try:
        in_households = await conn.fetch(
            "SELECT idcs FROM persons WHERE id = ANY($1::bigint[]) ORDER BY id", members)
        alone = await conn.fetch(
            "SELECT idcs FROM persons WHERE id = ANY($1::bigint[]) AND death_date IS NULL "
            "ORDER BY id", lone)
        places = await conn.fetch(
            "SELECT id, region_id, province_id FROM households WHERE id = ANY($1::uuid[]) "
            "ORDER BY id", households)
    finally:
        await conn.close()
    return {
        "scale": plan.scale,
        "seed": plan.seed,
        "persons_in_households": [r["idcs"] for r in in_households],
        "persons_without_household": [r["idcs"] for r in alone][:WITHOUT_HOUSEHOLD],
        "unknown_idcs": [ids.unknown_idcs(k) for k in range(UNKNOWN)],
        "households": [{"id": str(r["id"]), "region": r["region_id"],
                        "province": r["province_id"]} for r in places],
    }


def write(sample: dict, folder: Path, scale: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sample-{scale:g}.json"
    path.write_text(json.dumps(sample, indent=1) + "\n", encoding="utf-8")
    return path
