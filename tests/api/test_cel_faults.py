"""Checking a program never crashes: whatever an expression or a version holds, loading it
gives the program or faults naming their keys, never a Python exception, and a version whose
compiled functions would raise one is a fault at load rather than an error at the first answer
(api/programs/cel.py, api/programs/catalogue.py)."""

from __future__ import annotations

import contextlib
import json
import math
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.programs import catalogue, cel, facts
from tests.api.test_program_by_file import PROGRAM


def prepare(text: str) -> cel.Expression:
    return cel.prepare(text, facts.TYPES, nullable=facts.NULLABLE)


@pytest.mark.parametrize("text,fault", [
    ("1e999 > 1.0", "double literal out of range: 1e999"),
    ("household.index < -1e999", "double literal out of range: -1e999"),
    ("0123 == 1", "integer literal with a leading zero: 0123 (write 123)"),
    ("person.age > -007", "integer literal with a leading zero: -007 (write -7)"),
    ("0 == 00", "integer literal with a leading zero: 00 (write 0)"),
    ("9223372036854775808 > 1", "integer literal out of range"),
    ("'\\U00110000' == person.sex", "string literal not valid"),
])
def test_a_literal_python_cannot_take_is_a_fault(text, fault):
    with pytest.raises(cel.CelCheckError, match=fault.replace("(", r"\(").replace(")", r"\)")):
        prepare(text)


@pytest.mark.parametrize("text", ["0 == -0", "0x1F > 1", "-0x8000000000000000 < 0",
                                  "1e308 > 1.0", "1e-999 == 0.0", "0.5 > 0.25"])
def test_literals_in_range_are_taken(text):
    assert prepare(text).evaluate({}) is True


@pytest.mark.parametrize("text", [
    "(" * 5000 + "1" + ")" * 5000 + " > 0",
    "!" * 5000 + "true",
    "-" * 5000 + "1 > 0",
    "[" * 3000 + "1" + "]" * 3000 + " == []",
    " + ".join(["1"] * 3000) + " > 0",
    "household.members" + ".filter(m, true)" * 2000 + " == []",
])
def test_an_expression_nested_too_deeply_is_a_fault(text):
    with pytest.raises(cel.CelCheckError, match="nested too deeply"):
        prepare(text)


CEL_CHARACTERS = "()[]!-+*/%<>=&|?:.,'\"\\ 0123456789eExuU_abmnt"
CEL_WORDS = ["household", "index", "members", "exists", "size", "threshold", "null", "true",
             "1e999", "0x", "9223372036854775807", "max(", "sum(", "take(", "m", "in", "?",
             "\\U0011", "\\x", "'''", "r'"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.lists(st.one_of(st.sampled_from(CEL_WORDS), st.text(CEL_CHARACTERS, max_size=3)),
                     max_size=20).map("".join))
def test_any_text_is_a_rule_or_a_fault(text):
    try:
        expression = prepare(text)
    except cel.CelCheckError:
        return
    with contextlib.suppress(cel.CelError):
        expression.evaluate({"household": {"index": None, "members": []}, "threshold": 9.0,
                             "person": {}, "today": "2026-01-01"})


def version(threshold=9.0, rule="household.index <= threshold"):
    raw = {"effectiveFrom": "2024-01-01", "legalReference": "r", "threshold": threshold,
           "criteria": [{"reason": "R", "description": "d", "rule": rule}]}
    return catalogue._version(raw, date(2024, 1, 1), "f.json: versions[0]")


@pytest.mark.parametrize("threshold", [math.nan, math.inf, -math.inf])
def test_a_threshold_that_is_not_finite_is_a_fault(threshold):
    made, problems = version(threshold)
    assert made is None
    assert problems == [f"f.json: versions[0].threshold: {threshold} is not a finite number"]


def test_a_file_with_a_nan_threshold_is_refused_naming_the_key(tmp_path):
    """JSON's NaN is a number within the schema's bounds (no comparison with it holds)."""
    program = json.loads(json.dumps(PROGRAM))
    program["versions"][0]["threshold"] = math.nan
    path = tmp_path / f"{PROGRAM['code']}.json"
    path.write_text(json.dumps(program), encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError) as raised:
        catalogue.load(files=[path])
    assert raised.value.faults == [f"{path}: versions[0].threshold: nan is not a finite number"]


def test_a_file_nested_too_deeply_is_refused_naming_the_key(tmp_path):
    program = json.loads(json.dumps(PROGRAM))
    program["versions"][0]["criteria"][0]["rule"] = "(" * 990 + "true" + ")" * 990
    path = tmp_path / f"{PROGRAM['code']}.json"
    path.write_text(json.dumps(program), encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError) as raised:
        catalogue.load(files=[path])
    assert raised.value.faults == [
        f"{path}: versions[0].criteria[0].rule: the expression is nested too deeply"]


def test_a_version_whose_function_python_cannot_compile_is_a_fault_at_load():
    """Each expression compiles alone, but a version's criteria are compiled together into
    one function, which nests one level more: the deepest such rule is refused at load, not
    at the first answer."""
    outcomes = {}
    for depth in range(150, 260):
        made, problems = version(rule="!" * depth + "true")
        outcomes[depth] = problems
        if made is not None:
            made.check_criteria(facts.facts(catalogue.samples(date(2024, 1, 1))[0], 9.0,
                                            date(2024, 1, 1)))
    assert set(map(tuple, outcomes.values())) == {
        (), ("f.json: versions[0]: an expression is nested too deeply",),
        ("f.json: versions[0].criteria[0].rule: the expression is nested too deeply",)}


def test_a_version_that_raises_a_python_error_is_a_fault_at_load(monkeypatch):
    def broken(value):
        raise RuntimeError("broken helper")

    monkeypatch.setitem(cel._NAMESPACE, "_to_string", broken)
    made, problems = version(rule="string(person.age) != ''")
    assert made is None
    assert problems == ["f.json: versions[0]: evaluating it over a sample situation failed: "
                        "RuntimeError: broken helper"]


def test_the_packaged_versions_evaluate_over_the_samples():
    for program in catalogue.load().programs.values():
        for each in program.versions:
            assert catalogue._rehearse(each) is None
