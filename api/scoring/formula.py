"""The socio-economic index (a proxy means test), computed from a versioned formula file.

index = a[milieu] + r[region] − s[milieu]·ln(n) − c·children − e·elderly + Σ terms

Every term's contribution is kept so a citizen can be told why they scored what they did.
The value is rounded to 7 decimals only at the end.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

FORMULAS_DIR = Path(__file__).resolve().parent / "formulas"
DEFAULT_VERSION = "v1"
DECIMALS = 7


@dataclass(frozen=True)
class MemberFacts:
    birth_date: date


@dataclass(frozen=True)
class HouseholdFacts:
    """What the index depends on: living members, place, and the declaration."""

    milieu: str
    region: str
    members: tuple[MemberFacts, ...]
    declaration: Mapping[str, Any]


@dataclass(frozen=True)
class Component:
    name: str
    contribution: float


@dataclass(frozen=True)
class IndexResult:
    value: float
    formula_version: str
    components: tuple[Component, ...]

    def contributions(self) -> list[float | None]:
        """What the index history stores: each of the formula's terms' contribution, in
        `term_names` order, None for a term the household does not have (an asset it does
        not own, a rural term of an urban household)."""
        listed = {c.name: c.contribution for c in self.components}
        return [listed.get(name) for name in term_names(self.formula_version)]


def term_names(version: str) -> tuple[str, ...]:
    """Every term a formula version can list, in the order `compute_index` lists them: the
    names of a stored row's contributions (so a published formula's terms never change:
    tests/unit/test_formula.py pins v1's)."""
    formula = load_formula(version)
    known = _names_of.get(version)
    if known is None or known[0] is not formula:  # (a formula loaded again: named again)
        known = _names_of[version] = (formula, _term_names(json.dumps(formula)))
    return known[1]


_names_of: dict[str, tuple[dict, tuple[str, ...]]] = {}


@lru_cache(maxsize=16)
def _term_names(formula_json: str) -> tuple[str, ...]:
    f = json.loads(formula_json)
    return (*FIXED_TERMS, *f["logSpending"], *(f"asset:{a}" for a in f["assets"]),
            *f["ruralLog"])


def components_of(version: str, contributions: Iterable[float | None]) -> tuple[Component, ...]:
    """The components a stored row's contributions stand for (`IndexResult.contributions`)."""
    names = term_names(version)
    values = list(contributions)
    if len(values) != len(names):
        raise FormulaError(f"{len(values)} contributions for the {len(names)} terms of "
                           f"formula {version!r}")
    return tuple(Component(name, value) for name, value in zip(names, values, strict=True)
                 if value is not None)


# The terms every household has, in `compute_index`'s order.
FIXED_TERMS = ("intercept", "region", "householdSize", "childrenShare", "elderlyShare",
               "headEducation", "headOccupation", "housingType", "occupancy", "roomsPerPerson",
               "waterSource")


class FormulaError(ValueError):
    """A formula file is missing or malformed."""


@lru_cache(maxsize=16)
def load_formula(version: str = DEFAULT_VERSION) -> dict[str, Any]:
    path = FORMULAS_DIR / f"{version}.json"
    if not path.is_file() or path.parent != FORMULAS_DIR:
        raise FormulaError(f"unknown formula version {version!r}")
    formula = json.loads(path.read_text(encoding="utf-8"))
    if formula.get("version") != version:
        raise FormulaError(f"{path.name} declares version {formula.get('version')!r}")
    return formula


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _number(value: Any) -> float:
    if value is None:
        return 0.0
    return float(value) if not isinstance(value, Decimal) else float(value)


def compute_index(facts: HouseholdFacts, on: date, formula: Mapping[str, Any] | None = None) -> IndexResult:
    """The index of a household on a date. `facts.members` are the living members."""
    f = formula or load_formula()
    n = len(facts.members)
    if n == 0:
        raise ValueError("a household with no living member has no index")
    milieu, d = facts.milieu, facts.declaration
    ages = [age_on(m.birth_date, on) for m in facts.members]
    demo = f["demography"]
    children = sum(1 for a in ages if a <= demo["childMaxAge"]) / n
    elderly = sum(1 for a in ages if a >= demo["elderlyMinAge"]) / n

    parts: list[tuple[str, float]] = [
        ("intercept", f["intercept"][milieu]),
        ("region", f["region"][facts.region]),
        ("householdSize", -f["sizeElasticity"][milieu] * math.log(n)),
        ("childrenShare", demo["childrenShare"] * children),
        ("elderlyShare", demo["elderlyShare"] * elderly),
        ("headEducation", f["headEducation"][milieu][d["head_education"]]),
        ("headOccupation", f["headOccupation"][milieu][d["head_occupation"]]),
        ("housingType", f["housingType"][milieu][d["housing_type"]]),
        ("occupancy", f["occupancy"][milieu][d["occupancy"]]),
    ]
    rooms = f["roomsPerPerson"]
    parts.append(("roomsPerPerson", rooms["coefficient"] * min(rooms["cap"], d["rooms"] / n)))
    parts.append(("waterSource", f["waterSource"][milieu][d["water_source"]]))
    for key, coefficient in f["logSpending"].items():
        parts.append((key, coefficient * math.log1p(_number(d[_snake(key)]))))
    owned = set(d.get("assets") or ())
    for asset, coefficient in f["assets"].items():
        if asset in owned:
            parts.append((f"asset:{asset}", coefficient))
    if milieu == "RURAL":
        for key, coefficient in f["ruralLog"].items():
            parts.append((key, coefficient * math.log1p(_number(d.get(_snake(key))))))

    total = math.fsum(value for _, value in parts)
    return IndexResult(
        value=round(total, DECIMALS),
        formula_version=f["version"],
        components=tuple(Component(name, round(value, DECIMALS) + 0.0) for name, value in parts),
    )


def _snake(camel: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in camel)


def members_from_birth_dates(dates: Iterable[date]) -> tuple[MemberFacts, ...]:
    return tuple(MemberFacts(birth_date=b) for b in dates)
