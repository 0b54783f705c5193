"""The load scenarios, their documents, tokens and ids, shared by bench/run and bench/compare.py."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
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
EVERY_SYSTEM = ("sijill", "before", "bare", "postgraphile")
CITIZENS = 500  # citizens' tokens of the `my-household` scenario, one drawn per request


@dataclass(frozen=True)
class Scenario:
    name: str
    document: str  # file name under each system's documents directory
    token: str  # key of `tokens()`
    variable: str = ""
    list_length: int = 0  # > 0: the variable is a list of that many random ids
    ids: str = ""  # "persons", "known_persons", "households" or "cursors"
    writes: bool = False  # registration: Sijill only
    systems: tuple[str, ...] = EVERY_SYSTEM  # who answers it (PostGraphile: the first three)
    token_per_request: bool = False  # `token` names a list of tokens, one drawn per request

    def variables(self, ids: list[str], rng) -> dict:
        if not self.variable:
            return {}
        if self.list_length:
            return {self.variable: [rng.choice(ids) for _ in range(self.list_length)]}
        return {self.variable: rng.choice(ids)}


SCENARIOS = {
    s.name: s
    for s in (
        Scenario("eligibility", "eligibility.graphql", "amo", "idcs", ids="persons"),
        Scenario("household", "household.graphql", "registrar", "id", ids="households"),
        Scenario("bulk", "bulk.graphql", "asd", "idcs", list_length=1000, ids="persons"),
        Scenario("register", "register-person.graphql", "registrar", writes=True,
                 systems=("sijill", "before")),
        # The reads of portals: a citizen's own household, a registrar's page of households
        # with their members (at a random place in the region's households), a person by IDCS.
        Scenario("my-household", "my-household.graphql", "citizens", token_per_request=True,
                 systems=("sijill", "before", "bare")),
        Scenario("households", "households.graphql", "registrar", "after", ids="cursors",
                 systems=("sijill", "before", "bare")),
        Scenario("person", "person.graphql", "registrar", "idcs", ids="known_persons",
                 systems=("sijill", "before", "bare")),
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
    if scenario.ids == "known_persons":
        return sample["idcs_in_household"] + sample["idcs_no_household"]
    if scenario.ids == "households":
        return [h["id"] for h in sample["households"] if h["region"] == region]
    if scenario.ids == "cursors":  # `after` a household of the region: a page somewhere in it
        return [base64.urlsafe_b64encode(f"household:{h['id']}".encode()).decode()
                for h in sample["households"] if h["region"] == region]
    return []


def mint(env: dict, *args: str) -> str:
    """A token from `sijill token`, signed with the secret in `env`."""
    command = [str(ROOT / ".venv" / "bin" / "sijill"), "token", "--ttl", "86400", *args]
    result = subprocess.run(command, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    return result.stdout.strip()


def tokens(env: dict, region: str, sample: dict | None = None) -> dict:
    """Tokens by name; `citizens` is a list (one citizen's token per sampled member)."""
    provinces = [arg for code in provinces_of(region) for arg in ("--province", code)]
    keys: dict = {
        "amo": mint(env, "--role", "program_agency", "--program", "AMO_TADAMON", "--sub", "bench-amo"),
        "asd": mint(env, "--role", "program_agency", "--program", "ASD", "--sub", "bench-asd"),
        "registrar": mint(env, "--role", "registrar", "--sub", "bench-registrar", *provinces),
    }
    if sample is not None:
        keys["citizens"] = [citizen_token(env, idcs)
                            for idcs in sample["idcs_in_household"][:CITIZENS]]
    return keys


def citizen_token(env: dict, idcs: str) -> str:
    """A citizen's token with the claims `sijill token --role citizen --sub IDCS` gives, signed
    here (hundreds of them: one `sijill token` process each would take minutes)."""
    import jwt

    now = int(time.time())
    return jwt.encode({"iss": env.get("SIJILL_JWT_ISSUER", "sijill-dev"),
                       "aud": env.get("SIJILL_JWT_AUDIENCE", "sijill"), "sub": idcs, "iat": now,
                       "exp": now + 86400, "roles": ["citizen"]},
                      env["SIJILL_JWT_SECRET"], algorithm="HS256")


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
