"""Numbers in compiled rules at their edges: `sum` of ints overflowing on the way and
`min`/`max` with a NaN as cel-python (the reference) computes them; a double divided by zero as
CEL specifies, IEEE 754, where cel-python differs (api/programs/cel.py)."""

from __future__ import annotations

import math

import pytest

from api.programs import cel, facts

NAN = "(0.0 * (1.0 / 0.0))"  # CEL has no NaN literal: ∞ · 0


def both(text: str, env: dict | None = None):
    """(compiled, reference): a value, or CelError."""
    results = []
    for evaluate in (cel.prepare(text, facts.TYPES, nullable=facts.NULLABLE).evaluate,
                     lambda e: cel.reference(text, e)):
        try:
            results.append(evaluate(env or {}))
        except cel.CelError:
            results.append(cel.CelError)
    return tuple(results)


@pytest.mark.parametrize("text,expected", [
    ("1.0 / 0.0", math.inf), ("-1.0 / 0.0", -math.inf), ("1.0 / -0.0", -math.inf),
    ("0.0 / 0.0", "nan"), ("-0.0 / 0.0", "nan"), (f"{NAN} / 0.0", "nan"),
    ("(1.0 / 0.0) / 0.0", math.inf),
])
def test_a_double_divided_by_zero_follows_ieee_754_as_cel_specifies(text, expected):
    """Where cel-python answers +∞ whatever the signs (a documented difference)."""
    compiled, reference = both(text)
    assert reference == math.inf
    assert math.isnan(compiled) if expected == "nan" else compiled == expected


def test_a_double_divided_by_a_fact_that_is_zero():
    env = {"household": {"index": -2.5}, "threshold": 0.0}
    assert both("household.index / threshold", env)[0] == -math.inf
    assert both("household.index / threshold < 1.0", env) == (True, False)


@pytest.mark.parametrize("text,expected", [
    ("sum([9223372036854775807, 1, -1])", cel.CelError),
    ("sum([-9223372036854775807, -2, 1])", cel.CelError),
    ("sum([9223372036854775807, -1, 1])", 9223372036854775807),
    ("sum([1, 9223372036854775806])", 9223372036854775807),
    ("sum(household.members.map(m, 9223372036854775807)) > 0 || true", True),
    ("sum(household.members.map(m, 9223372036854775807 - m.age)) > 0", cel.CelError),
])
def test_sum_of_ints_overflows_on_the_way_as_cel_python_adds(text, expected):
    env = {"household": {"members": [{"age": 0}, {"age": 1}, {"age": 2}]}}
    assert both(text, env) == (expected, expected)


@pytest.mark.parametrize("text,expected", [
    (f"max({NAN}, 1.0)", 1.0), (f"max(1.0, {NAN})", "nan"), (f"min({NAN}, 1.0)", 1.0),
    (f"min(1.0, {NAN})", "nan"), (f"max({NAN}, {NAN})", "nan"),
    (f"max({NAN}, 1.0) == 1.0", True), (f"min(1.0, {NAN}) < 2.0", False),
    ("max(0.0, -0.0)", 0.0), ("max(1.0 / 0.0, 5.0)", math.inf), ("min(-7, 3)", -7),
])
def test_min_and_max_with_a_nan_as_cel_python(text, expected):
    compiled, reference = both(text)
    if expected == "nan":
        assert math.isnan(compiled) and math.isnan(reference)
    else:
        assert compiled == reference == expected
        assert type(compiled) is type(reference)


def test_sign_of_a_zero_kept_by_max_as_cel_python():
    """`max(-0.0, 0.0)` is the first, as `a >= b ? a : b`."""
    compiled, reference = both("max(-0.0, 0.0)")
    assert math.copysign(1.0, compiled) == math.copysign(1.0, reference) == -1.0
