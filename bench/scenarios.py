"""The load scenarios, their documents, tokens and ids, shared by bench/run and bench/compare.py."""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
LOAD = BENCH / "load"
DOCUMENTS = {
    "sijill": LOAD / "documents",
    "bare": LOAD / "documents",  # the bare baseline answers Sijill's own documents
    "before": LOAD / "documents",  # an earlier checkout of Sijill (bench/run --before)
    "postgraphile": BENCH / "postgraphile" / "documents",
}
TERRITORY = ROOT / "api" / "data" / "territory.json"
TIME_FIELDS = {"evaluatedAt", "registeredAt", "updatedAt", "computedAt", "declaredAt", "at"}


@dataclass(frozen=True)
class Scenario:
    name: str
    document: str  # file name under each system's documents directory
    token: str  # key of `tokens()`
    variable: str = ""
    list_length: int = 0  # > 0: the variable is a list of that many random ids
    ids: str = ""  # "persons" or "households"
    writes: bool = False  # registration: Sijill only

    def variables(self, ids: list[str], rng) -> dict:
        if self.list_length:
            return {self.variable: [rng.choice(ids) for _ in range(self.list_length)]}
        return {self.variable: rng.choice(ids)}


SCENARIOS = {
    s.name: s
    for s in (
        Scenario("eligibility", "eligibility.graphql", "amo", "idcs", ids="persons"),
        Scenario("household", "household.graphql", "registrar", "id", ids="households"),
        Scenario("bulk", "bulk.graphql", "asd", "idcs", list_length=1000, ids="persons"),
        Scenario("register", "register-person.graphql", "registrar", writes=True),
    )
}


def load_sample(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def bench_region(sample: dict) -> str:
    """The region with the most sampled households: the registrar's scope."""
    counts = Counter(h["region"] for h in sample["households"])
    if not counts:
        raise SystemExit("the sample has no households")
    return counts.most_common(1)[0][0]


def provinces_of(region: str) -> list[str]:
    territory = json.loads(TERRITORY.read_text(encoding="utf-8"))
    return sorted(p["code"] for p in territory["provinces"] if p["region"] == region)


def ids_for(scenario: Scenario, sample: dict, region: str) -> list[str]:
    if scenario.ids == "persons":
        return sample["idcs_in_household"] + sample["idcs_no_household"] + sample["idcs_unknown"]
    if scenario.ids == "households":
        return [h["id"] for h in sample["households"] if h["region"] == region]
    return []


def mint(env: dict, *args: str) -> str:
    """A token from `sijill token`, signed with the secret in `env`."""
    command = [str(ROOT / ".venv" / "bin" / "sijill"), "token", "--ttl", "86400", *args]
    result = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return result.stdout.strip()


def tokens(env: dict, region: str) -> dict[str, str]:
    provinces = [arg for code in provinces_of(region) for arg in ("--province", code)]
    return {
        "amo": mint(env, "--role", "program_agency", "--program", "AMO_TADAMON", "--sub", "bench-amo"),
        "asd": mint(env, "--role", "program_agency", "--program", "ASD", "--sub", "bench-asd"),
        "registrar": mint(env, "--role", "registrar", "--sub", "bench-registrar", *provinces),
    }


def bench_env(database_url: str, secret: str) -> dict:
    """Environment shared by every server of a run: the database and the JWT secret."""
    env = dict(os.environ)
    env.update({"DATABASE_URL": database_url, "SIJILL_JWT_SECRET": secret})
    return env


def strip_times(value):
    """The `data` tree without time fields, which differ between two answers by nature."""
    if isinstance(value, dict):
        return {k: strip_times(v) for k, v in value.items() if k not in TIME_FIELDS}
    if isinstance(value, list):
        return [strip_times(v) for v in value]
    return value
