"""Check that a baseline answers the read scenarios with the same `data` tree as Sijill.

Sends the same random requests (same variables) to both servers and compares the `data` trees
key order included, time fields (evaluatedAt, …) left out. Exit status 1 on any difference.

    .venv/bin/python bench/compare.py --sample bench/data/sample-dev.json \
        --sijill http://127.0.0.1:8101/graphql --other http://127.0.0.1:8102/graphql \
        [--other-documents bench/postgraphile/documents] [--requests 50]

Both servers must verify tokens with the secret in SIJILL_JWT_SECRET (default: the development one).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scenarios import (  # noqa: E402
    DOCUMENTS,
    SCENARIOS,
    bench_region,
    ids_for,
    load_sample,
    strip_times,
    tokens,
)


def _post(client: httpx.Client, url: str, document: str, variables: dict, token: str) -> dict:
    name = document.split("(")[0].split()[1]
    response = client.post(url, json={"operationName": name, "query": document,
                                      "variables": variables},
                           headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    return response.json()


def _ordered(tree) -> str:
    return json.dumps(tree, ensure_ascii=False)  # keys in the order received


def compare(*, sijill: str, other: str, other_documents: Path, sample: dict, env: dict,
            requests: int, names: list[str], seed: int = 7) -> list[str]:
    """Differences found, as readable lines; empty when the baseline answers alike."""
    region = bench_region(sample)
    keys = tokens(env, region, sample)
    rng = random.Random(seed)
    problems: list[str] = []
    with httpx.Client(timeout=60) as client:
        for name in names:
            scenario = SCENARIOS[name]
            if scenario.writes:
                continue
            ids = ids_for(scenario, sample, region)
            mine = (DOCUMENTS["sijill"] / scenario.document).read_text()
            theirs = (other_documents / scenario.document).read_text()
            for _ in range(requests):
                variables = scenario.variables(ids, rng)
                token = keys[scenario.token]
                if scenario.token_per_request:
                    token = rng.choice(token)
                a = _post(client, sijill, mine, variables, token)
                b = _post(client, other, theirs, variables, token)
                if "errors" in a or "errors" in b:
                    problems.append(f"{name} {variables if not scenario.list_length else '…'}: "
                                    f"errors {a.get('errors')} / {b.get('errors')}")
                elif _ordered(strip_times(a.get("data"))) != _ordered(strip_times(b.get("data"))):
                    problems.append(f"{name}: data differ\n  sijill: {_ordered(a['data'])[:600]}"
                                    f"\n  other:  {_ordered(b['data'])[:600]}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample", type=Path, required=True)
    parser.add_argument("--sijill", required=True, help="Sijill's /graphql URL")
    parser.add_argument("--other", required=True, help="the baseline's /graphql URL")
    parser.add_argument("--other-documents", type=Path, default=DOCUMENTS["bare"])
    parser.add_argument("--requests", type=int, default=50, help="per scenario")
    parser.add_argument("--scenarios",
                        default="eligibility,household,bulk,my-household,households,person")
    args = parser.parse_args()
    env = dict(os.environ)
    problems = compare(sijill=args.sijill, other=args.other, other_documents=args.other_documents,
                       sample=load_sample(args.sample), env=env, requests=args.requests,
                       names=args.scenarios.split(","))
    for line in problems:
        print(line)
    print(f"{len(problems)} difference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
