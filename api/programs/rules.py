"""Applying a program's version in force to a person's situation: one engine for every
program, the rules themselves in the catalogue's files.

The engine's own reasons come first: NOT_REGISTERED (nothing else is said), DECEASED, then
NO_HOUSEHOLD (nothing else is said) or HOUSEHOLD_NOT_ACTIVE (a household not ACTIVE, or not
yet scored). Each criterion of the version follows, in the file's order; one that evaluates
false puts its reason in the answer. A criterion that cannot be evaluated — a fact it reads is
null, such as the index of a household not yet scored, or it is null itself (it reads a
definition that could not be computed) — adds nothing: HOUSEHOLD_NOT_ACTIVE has already said
why. (Release 1.0 answered this way, and its programs answer exactly as before.)
With no reason, the answer is eligible with the program's eligible reason and its amount: the
amount lines in order, each seeing the sum of the lines before as `subtotal`; lines of 0 are
left out of `amountLines`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from api.programs import cel
from api.programs.catalogue import Catalogue, Program, Version, catalogue
from api.programs.facts import Situation, facts

NOT_REGISTERED = "NOT_REGISTERED"
DECEASED = "DECEASED"
NO_HOUSEHOLD = "NO_HOUSEHOLD"
HOUSEHOLD_NOT_ACTIVE = "HOUSEHOLD_NOT_ACTIVE"


class AmountLine(NamedTuple):
    label: str
    amount: int


class Decision(NamedTuple):
    eligible: bool
    reasons: tuple[str, ...]
    threshold: float
    monthly_amount: int | None
    amount_lines: tuple[tuple[str, int], ...] | None = None  # (label, amount), made cheaply


class RuleError(Exception):
    """An expression of an eligible answer failed (an amount that cannot be computed)."""


def decide(program: str | Program, situation: Situation, on: date,
           programs: Catalogue | None = None) -> Decision:
    """Apply the program's version in force on `on` (LookupError before its first)."""
    return decider(program, on, programs)(situation)


def decider(program: str | Program, on: date, programs: Catalogue | None = None
            ) -> Callable[[Situation], Decision]:
    """`decide` for one program and one day, with the version in force looked up once: what a
    bulk question calls for each of its ids."""
    entry = program if isinstance(program, Program) else (programs or catalogue())[program]
    version = entry.version_on(on)
    threshold = version.threshold
    build, check = version.build_facts(threshold, on), version.check_criteria
    compute_amount = version.compute_amount if version.amount_lines else None
    eligible_reason = (entry.eligible_reason,)
    not_registered = Decision(False, (NOT_REGISTERED,), threshold, None)

    def decide_one(situation: Situation) -> Decision:
        if not situation.registered:
            return not_registered
        reasons: list[str] = []
        if situation.deceased:
            reasons.append(DECEASED)
        if not situation.in_household:
            reasons.append(NO_HOUSEHOLD)
            return Decision(False, tuple(reasons), threshold, None)
        if situation.household_status != "ACTIVE" or situation.index_value is None:
            reasons.append(HOUSEHOLD_NOT_ACTIVE)
        env = build(situation)
        failing, failed = check(env)
        if reasons or failing:
            return Decision(False, (*reasons, *failing), threshold, None)
        if failed:
            raise RuleError(f"{entry.code}: an expression failed for an answer with no reason")
        if compute_amount is None:
            return Decision(True, eligible_reason, threshold, None)
        try:
            amount, lines = compute_amount(env)
        except cel.ERRORS as exc:
            raise RuleError(f"{entry.code}: an amount line failed: {exc}") from None
        return Decision(True, eligible_reason, threshold, amount, lines)

    return decide_one


def _amount(program: Program, version: Version, env: dict
            ) -> tuple[int | None, tuple[AmountLine, ...] | None]:
    if not version.amount_lines:
        return None, None
    try:
        return version.compute_amount(env)
    except cel.ERRORS as exc:
        raise RuleError(f"{program.code}: an amount line failed: {exc}") from None


def monthly_amount(program: str, situation: Situation, on: date) -> int | None:
    """The amount the version in force would pay this situation, eligible or not."""
    version = catalogue()[program].version_on(on)
    env = facts(situation, version.threshold, on)  # every fact: a criterion may not read it
    version.check_criteria(env)  # the definitions
    return _amount(catalogue()[program], version, env)[0]


def criterion_holds(program: str, reason: str, situation: Situation, on: date) -> bool:
    """Whether the criterion of that reason holds for this situation."""
    version = catalogue()[program].version_on(on)
    env = facts(situation, version.threshold, on)
    failing, _ = version.check_criteria(env)
    return reason not in failing
