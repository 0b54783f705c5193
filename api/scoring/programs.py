"""Programs, their dated parameters and their eligibility rules, as pure functions.

Thresholds and amounts are dated: the value in force on a date is the latest whose
`effectiveFrom` is on or before it, so a decision made before a new decree stays explainable.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from api.scoring.formula import age_on

PROGRAMS_FILE = Path(__file__).resolve().parent / "programs.json"
PROGRAM_CODES = ("AMO_TADAMON", "ASD", "TAYSSIR")

NOT_REGISTERED = "NOT_REGISTERED"
NO_HOUSEHOLD = "NO_HOUSEHOLD"
HOUSEHOLD_NOT_ACTIVE = "HOUSEHOLD_NOT_ACTIVE"
DECEASED = "DECEASED"
INDEX_ABOVE_THRESHOLD = "INDEX_ABOVE_THRESHOLD"
OTHER_HEALTH_COVERAGE = "OTHER_HEALTH_COVERAGE"
NO_QUALIFYING_CHILD = "NO_QUALIFYING_CHILD"
INDEX_WITHIN_THRESHOLD = "INDEX_WITHIN_THRESHOLD"


@dataclass(frozen=True)
class Threshold:
    value: float
    effective_from: date
    legal_reference: str


@dataclass(frozen=True)
class ProgramInfo:
    code: str
    name: str
    thresholds: tuple[Threshold, ...]

    def threshold_on(self, on: date) -> Threshold:
        return _in_force(self.thresholds, on)


def _in_force(items: Sequence[Any], on: date) -> Any:
    current = None
    for item in sorted(items, key=lambda i: i.effective_from):
        if item.effective_from <= on:
            current = item
    if current is None:
        raise LookupError(f"no parameter in force on {on.isoformat()}")
    return current


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    return json.loads(PROGRAMS_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def programs() -> dict[str, ProgramInfo]:
    out = {}
    for code in PROGRAM_CODES:
        raw = _raw()[code]
        out[code] = ProgramInfo(
            code=code,
            name=raw["name"],
            thresholds=tuple(
                Threshold(t["value"], date.fromisoformat(t["effectiveFrom"]), t["legalReference"])
                for t in raw["thresholds"]
            ),
        )
    return out


@dataclass(frozen=True)
class MemberSituation:
    relationship: str
    birth_date: date
    schooling: str
    has_disability: bool


@dataclass(frozen=True)
class Situation:
    """What a rule needs to know about the person asked about and their household."""

    registered: bool
    deceased: bool = False
    has_other_health_coverage: bool = False
    in_household: bool = False
    household_status: str | None = None
    index_value: float | None = None
    members: tuple[MemberSituation, ...] = ()


@dataclass(frozen=True)
class Decision:
    eligible: bool
    reasons: tuple[str, ...]
    threshold: float
    monthly_amount: int | None


@lru_cache(maxsize=64)
def threshold_value(program: str, on: date) -> float:
    """The program's threshold in force on a day (the parameters are read once)."""
    return programs()[program].threshold_on(on).value


def decide(program: str, situation: Situation, on: date) -> Decision:
    """Apply a program's rule. Every failing condition is reported, in a stable order."""
    threshold = threshold_value(program, on)
    if not situation.registered:
        return Decision(False, (NOT_REGISTERED,), threshold, None)
    reasons: list[str] = []
    if situation.deceased:
        reasons.append(DECEASED)
    if not situation.in_household:
        reasons.append(NO_HOUSEHOLD)
        return Decision(False, tuple(reasons), threshold, None)
    if situation.household_status != "ACTIVE" or situation.index_value is None:
        # A household is ACTIVE once scored: an unscored one is not active for any program.
        reasons.append(HOUSEHOLD_NOT_ACTIVE)
    if situation.index_value is not None and situation.index_value > threshold:
        reasons.append(INDEX_ABOVE_THRESHOLD)
    if program == "AMO_TADAMON" and situation.has_other_health_coverage:
        reasons.append(OTHER_HEALTH_COVERAGE)
    if program == "TAYSSIR" and not has_school_child(situation.members, on):
        reasons.append(NO_QUALIFYING_CHILD)
    if reasons:
        return Decision(False, tuple(reasons), threshold, None)
    amount = asd_monthly_amount(situation.members, on) if program == "ASD" else None
    return Decision(True, (INDEX_WITHIN_THRESHOLD,), threshold, amount)


def has_school_child(members: Sequence[MemberSituation], on: date) -> bool:
    rules = _raw()["TAYSSIR"]["rules"]
    return any(
        rules["schoolAgeMin"] <= age_on(m.birth_date, on) <= rules["schoolAgeMax"]
        and m.schooling == "IN_SCHOOL"
        for m in members
    )


CHILD_RELATIONSHIPS = ("CHILD", "GRANDCHILD")


@dataclass(frozen=True)
class AmountSchedule:
    effective_from: date
    young_or_in_school: int
    out_of_school: int
    legal_reference: str


@lru_cache(maxsize=64)
def asd_schedule(on: date) -> AmountSchedule:
    schedules = [
        AmountSchedule(date.fromisoformat(a["effectiveFrom"]), a["firstRanks"]["young_or_in_school"],
                       a["firstRanks"]["out_of_school"], a["legalReference"])
        for a in _raw()["ASD"]["amounts"]
    ]
    return _in_force(schedules, on)


def asd_monthly_amount(members: Sequence[MemberSituation], on: date) -> int:
    """ASD monthly amount in dirhams: children aged 0–20 (children and grandchildren of the
    head), at most six, ranked oldest first; ranks 1–3 get the schedule's first-rank amounts,
    ranks 4–6 the later-rank amounts; +100 per counted child with a disability; never less than
    the household floor."""
    rules = _raw()["ASD"]["rules"]
    schedule = asd_schedule(on)
    children = sorted(
        (m for m in members
         if m.relationship in CHILD_RELATIONSHIPS and age_on(m.birth_date, on) <= rules["childMaxAge"]),
        key=lambda m: m.birth_date,
    )[: rules["maxChildren"]]
    total = 0
    for rank, child in enumerate(children, start=1):
        young_or_in_school = (
            age_on(child.birth_date, on) <= rules["youngMaxAge"] or child.schooling == "IN_SCHOOL"
        )
        if rank <= rules["firstRankCount"]:
            total += schedule.young_or_in_school if young_or_in_school else schedule.out_of_school
        else:
            later = rules["laterRanks"]
            total += later["young_or_in_school"] if young_or_in_school else later["out_of_school"]
        if child.has_disability:
            total += rules["disabilitySupplement"]
    return max(total, rules["householdFloor"])
