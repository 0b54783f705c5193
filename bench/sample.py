"""Extract a sample file for the load benchmarks from any Sijill database.

    .venv/bin/python bench/sample.py --database-url postgres://postgres@127.0.0.1:5432/sijill \
        [--out bench/data/sample-dev.json] [--persons 5000] [--households 5000]

Writes JSON with `idcs_in_household` (persons in a current household), `idcs_no_household`
(registered, living, in no household), `idcs_unknown` (well-formed IDCS that are not registered) and
`households` (`{id, region, province}`), each drawn at random. Large tables are sampled with
`TABLESAMPLE BERNOULLI`, so extraction stays quick at national scale.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.identifiers import luhn_check_digit  # noqa: E402


async def _estimate(conn: asyncpg.Connection, table: str) -> int:
    estimate = await conn.fetchval("SELECT reltuples::bigint FROM pg_class WHERE relname = $1", table)
    if not estimate or estimate < 0:
        estimate = await conn.fetchval(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
    return int(estimate)


def _percent(wanted: int, rows: int, rarity: float) -> float:
    """Sampling percentage that yields about three times `wanted` matching rows when one row in
    `rarity` matches; the whole table when it is small."""
    if rows < 1_000_000:
        return 100.0
    return min(100.0, 300.0 * rarity * wanted / rows)


async def _sample(conn, table: str, sql: str, wanted: int, rarity: float = 1.0) -> list:
    percent = _percent(wanted, await _estimate(conn, table), rarity)
    rows = await conn.fetch(sql.format(percent=percent), wanted)
    return list(rows)


def unknown_idcs(known: set[str], count: int, rng: random.Random) -> list[str]:
    """Well-formed IDCS (nine digits, not starting with 0, and a Luhn check digit) not in `known`."""
    out: list[str] = []
    while len(out) < count:
        payload = f"{rng.randrange(10**8, 10**9):09d}"
        idcs = payload + str(luhn_check_digit(payload))
        if idcs not in known and idcs not in out:
            out.append(idcs)
    return out


async def extract(url: str, *, persons: int, households: int, seed: int) -> dict:
    rng = random.Random(seed)
    conn = await asyncpg.connect(url)
    try:
        await conn.execute("SELECT setseed($1)", (seed % 1000) / 1000)
        in_household = await _sample(conn, "memberships", """
            SELECT p.idcs FROM memberships m TABLESAMPLE BERNOULLI ({percent})
            JOIN persons p ON p.id = m.person_id
            WHERE m.end_date IS NULL ORDER BY random() LIMIT $1""", persons)
        no_household = await _sample(conn, "persons", """
            SELECT p.idcs FROM persons p TABLESAMPLE BERNOULLI ({percent})
            WHERE p.death_date IS NULL AND NOT EXISTS (SELECT 1 FROM memberships m
                              WHERE m.person_id = p.id AND m.end_date IS NULL)
            ORDER BY random() LIMIT $1""", max(1, persons // 10), rarity=10.0)
        household_rows = await _sample(conn, "households", """
            SELECT h.id::text AS id, h.region_id AS region, h.province_id AS province
            FROM households h TABLESAMPLE BERNOULLI ({percent})
            WHERE h.status <> 'CLOSED' ORDER BY random() LIMIT $1""", households)
        candidates = unknown_idcs(set(), max(1, persons // 10) * 2, rng)
        taken = {r["idcs"] for r in await conn.fetch(
            "SELECT idcs FROM persons WHERE idcs = ANY($1::varchar[])", candidates)}
    finally:
        await conn.close()
    return {
        "idcs_in_household": [r["idcs"] for r in in_household],
        "idcs_no_household": [r["idcs"] for r in no_household],
        "idcs_unknown": [i for i in candidates if i not in taken][: max(1, persons // 10)],
        "households": [{"id": r["id"], "region": r["region"], "province": r["province"]}
                       for r in household_rows],
    }


def write(sample: dict, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(sample, indent=1) + "\n", encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--out", type=Path, default=Path("bench/data/sample-dev.json"))
    parser.add_argument("--persons", type=int, default=5000, help="IDCS in a household")
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    url = args.database_url.replace("postgresql://", "postgres://", 1)
    sample = asyncio.run(extract(url, persons=args.persons, households=args.households,
                                 seed=args.seed))
    write(sample, args.out)
    print(f"{args.out}: {len(sample['idcs_in_household'])} IDCS in a household, "
          f"{len(sample['idcs_no_household'])} without, {len(sample['idcs_unknown'])} unknown, "
          f"{len(sample['households'])} households")
    return 0


if __name__ == "__main__":
    sys.exit(main())
