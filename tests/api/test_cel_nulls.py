"""Null values in compiled rules, held equal to cel-python: a fact that may be null (the index of
a household not yet scored) and a definition that may be null (one that could not be computed)
flow through `? :`, `min`/`max`, lists, comparisons, `==`/`!=` with `null`, `!`, `&&`, `||`
and the macros; generated expressions over generated facts, some null, give the same value (a
null included) or an error with both (api/programs/cel.py). The generator also sums ints that
overflow on the way."""

from __future__ import annotations

import functools

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from api.programs import catalogue, cel, facts
from tests.unit.test_cel import MEMBER_STRINGS, STRINGS, fact_values, outcome, same

# Definitions of each type, each null when it could not be computed.
DEFINITIONS = {"gap": cel.INT, "idx": cel.DOUBLE, "label": cel.STRING, "poor": cel.BOOL}
TYPES = {**facts.TYPES, **DEFINITIONS}
NULLABLE = facts.NULLABLE | frozenset(DEFINITIONS)
NULLABLE_LEAVES = {"int": ["gap"], "double": ["idx", "household.index"], "string": ["label"],
                   "bool": ["poor"]}

definition_values = st.fixed_dictionaries({
    "gap": st.one_of(st.none(), st.integers(-3, 3)),
    "idx": st.one_of(st.none(), st.sampled_from([0.0, -0.0, 1.5, 9.0])),
    "label": st.one_of(st.none(), st.sampled_from(["URBAN", ""])),
    "poor": st.one_of(st.none(), st.booleans()),
})


@st.composite
def situations(draw):
    env = {**draw(fact_values), **draw(definition_values)}
    if draw(st.booleans()):  # a household not yet scored
        env["household"] = {**env["household"], "index": None}
    return env


@functools.cache
def expressions(kind: str, depth: int, scope: tuple[tuple[str, str], ...] = (),
                nulls: bool = True) -> st.SearchStrategy[str]:
    """CEL text of the given type (int, double, bool, string, ints, members); `scope`: the
    macro variables, (name, "member" or "int"); `nulls`: whether it may read what may be
    null (a conversion of a null is left out: see the known differences)."""
    members = [v for v, k in scope if k == "member"]
    numbers = [v for v, k in scope if k == "int"]
    leaf = {
        "int": ["person.age", "household.size", "size(household.members)", "0", "1", "-2",
                "9223372036854775807"] + [f"{v}.age" for v in members] + numbers,
        "double": ["household.index", "threshold", "0.5", "2.0", "-1.25", "0.0", "-0.0"],
        "bool": ["true", "false", "person.deceased"] + [f"{v}.hasDisability" for v in members],
        "string": STRINGS[:4] + ["household.milieu", "person.sex"]
        + [f"{v}.{f}" for v in members for f in MEMBER_STRINGS],
        "ints": ["[1, 2, 3]", "[]", "[0]", "[9223372036854775807, 1, -1]"],
        "members": ["household.members"],
    }[kind]
    if not nulls:
        leaf = [t for t in leaf if t != "household.index" and t not in numbers]
    elif kind in NULLABLE_LEAVES:
        leaf = leaf + NULLABLE_LEAVES[kind]
    leaves = st.sampled_from(leaf)
    if depth <= 0:
        return leaves
    d = depth - 1

    def sub(k: str, inner=scope, nullable=nulls):
        return expressions(k, d, inner, nullable)

    member_var = scope + ((f"v{len(scope)}", "member"),)
    int_var = scope + ((f"v{len(scope)}", "int"),)

    def ternary(k: str):
        return st.tuples(sub("bool"), sub(k), sub(k)).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})")

    def extreme(k: str):
        return st.tuples(st.sampled_from(["max", "min"]), sub(k), sub(k)).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})")

    def compare(k: str, operators: list[str]):
        return st.tuples(sub(k), st.sampled_from(operators), sub(k)).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})")

    options = {
        "int": [
            compare("int", ["+", "-", "*", "/", "%"]), sub("int").map(lambda e: f"-({e})"),
            ternary("int"), extreme("int"), sub("ints").map(lambda e: f"sum({e})"),
            sub("ints", nullable=False).map(lambda e: f"size({e})"),
            # a negative index: an error, where cel-python counts from the end
            st.tuples(sub("ints"), st.sampled_from(["0", "1", "3", "size(household.members)"])
                      ).map(lambda t: f"{t[0]}[{t[1]}]"),
            sub("double", nullable=False).map(lambda e: f"int({e})"),
        ],
        "double": [
            compare("double", ["+", "-", "*"]), sub("double").map(lambda e: f"-({e})"),
            # only non-zero divisors: by zero, CEL's IEEE 754 and cel-python's +∞ differ
            st.tuples(sub("double"), st.sampled_from(["0.5", "2.0", "-1.25"])).map(
                lambda t: f"({t[0]} / {t[1]})"),
            ternary("double"), extreme("double"),
            sub("int", nullable=False).map(lambda e: f"double({e})"),
        ],
        "bool": [
            compare("bool", ["&&", "||", "==", "!="]), sub("bool").map(lambda e: f"!({e})"),
            ternary("bool"), compare("int", ["<", "<=", ">", ">=", "==", "!="]),
            compare("double", ["<", "<=", ">", ">=", "==", "!="]),
            compare("string", ["==", "!=", "<"]),
            st.tuples(sub("int"), sub("ints")).map(lambda t: f"({t[0]} in {t[1]})"),
            st.tuples(st.sampled_from(sorted(n for ns in NULLABLE_LEAVES.values() for n in ns)
                                      if nulls else ["null"]),
                      st.sampled_from(["==", "!="]), st.booleans()).map(
                lambda t: f"({t[0]} {t[1]} null)" if t[2] else f"(null {t[1]} {t[0]})"),
            st.tuples(sub("members"), st.sampled_from(["exists", "all", "exists_one"]),
                      sub("bool", member_var)).map(
                lambda t, v=member_var[-1][0]: f"{t[0]}.{t[1]}({v}, {t[2]})"),
            st.tuples(sub("ints"), st.sampled_from(["exists", "all", "exists_one"]),
                      sub("bool", int_var)).map(
                lambda t, v=int_var[-1][0]: f"{t[0]}.{t[1]}({v}, {t[2]})"),
        ],
        "string": [
            compare("string", ["+"]), ternary("string"),
            sub("int", nullable=False).map(lambda e: f"string({e})"),
        ],
        "ints": [
            st.lists(sub("int"), max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
            st.tuples(sub("members"), sub("int", member_var)).map(
                lambda t, v=member_var[-1][0]: f"{t[0]}.map({v}, {t[1]})"),
            st.tuples(sub("ints"), sub("bool", int_var)).map(
                lambda t, v=int_var[-1][0]: f"{t[0]}.filter({v}, {t[1]})"),
            st.tuples(st.sampled_from(["take", "drop"]), sub("ints"), sub("int")).map(
                lambda t: f"{t[0]}({t[1]}, {t[2]})"),
            compare("ints", ["+"]), ternary("ints"),
        ],
        "members": [
            st.tuples(sub("members"), sub("bool", member_var)).map(
                lambda t, v=member_var[-1][0]: f"{t[0]}.filter({v}, {t[1]})"),
            st.tuples(st.sampled_from(["take", "drop"]), sub("members"), sub("int")).map(
                lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        ],
    }[kind]
    return st.one_of(leaves, *options)


def agree(text: str, env: dict) -> None:
    expression = cel.prepare(text, TYPES, nullable=NULLABLE)
    compiled = outcome(lambda: expression.evaluate(env))
    reference = outcome(lambda: cel.reference(text, env))
    assert same(compiled, reference), (text, compiled, reference, expression.evaluate.python)


def refused(text: str) -> bool:
    """Refused by the checker: `x == null` where x is never null (tested below), or what
    reads an item of an empty list literal (its items have no type)."""
    try:
        cel.prepare(text, TYPES, nullable=NULLABLE)
    except cel.CelCheckError as exc:
        if "never null" in str(exc) or "[]" in text:
            return True
        raise
    return False


@settings(max_examples=1000, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data(), kind=st.sampled_from(["int", "double", "bool", "string", "ints"]),
       env=situations())
def test_compiled_expressions_with_nulls_agree_with_cel_python(data, kind, env):
    text = data.draw(expressions(kind, 3))
    assume(not refused(text))
    agree(text, env)


# Shapes the generator above reaches, each held once whatever the draws.
NULL_SHAPES = [
    # a bare definition that may be null, compared: `|| true` forgives its failure
    "(idx > threshold) || true", "(idx > threshold) && false", "(gap < 1) || true",
    "(label < 'a') || true", "!(idx > threshold) || true", "(-idx < 0.0) || true",
    # `? :` passes a null on
    "((poor ? idx : 1.0) > 0.5) || true", "((true ? household.index : 1.0) <= threshold) || true",
    "(true ? gap : 1) == null", "(false ? 1 : gap) != null",
    # `min`/`max` of a null fail, and `min`/`max` with NaN answer as cel-python
    "(max(idx, 1.0) > 0.5) || true", "(min(1, gap) < 0) || true",
    "max(0.0 * (1.0 / 0.0), 1.0)", "max(1.0, 0.0 * (1.0 / 0.0))",
    "min(0.0 * (1.0 / 0.0), 1.0)", "min(1.0, 0.0 * (1.0 / 0.0))",
    # `==`/`!=` with null, and a null int or double compared with a value
    "idx == null", "household.index != null", "null == gap", "label == null", "poor != null",
    "(idx == 1.5) || true", "(gap != 1) || true", "label == 'URBAN'", "poor == true",
    # a null bool through `!`, `&&`, `||`, `? :` and the macros
    "!poor || true", "poor && false", "poor && true", "false || poor", "poor || false",
    "poor || poor", "(poor ? 1 : 2) > 0 || true", "household.members.exists(m, poor)",
    "household.members.all(m, poor || m.age > 3)", "[1].exists(v, poor)",
    "[1, 2].all(v, poor && v == 1)", "[1, 2].exists_one(v, poor)", "[1, 2].filter(v, poor)",
    # lists holding a null
    "[gap][0] == null", "1 in [gap]", "1 in [1, gap]", "2 in [1, gap]", "gap in []",
    "gap in [1]", "[gap, 1].exists(v, v > 0)", "[gap, 1].all(v, v > 0)",
    "sum([gap, 1]) > 0 || true", "size(take([gap], 1)) == 1",
]


@pytest.mark.parametrize("text", NULL_SHAPES)
@pytest.mark.parametrize("null", [True, False])
def test_each_null_shape_agrees_with_cel_python(text, null):
    env = {"household": {"index": None if null else 9.5, "members": [
        {"relationship": "CHILD", "age": 4, "sex": "MALE", "schooling": "NOT_APPLICABLE",
         "hasDisability": False}]}, "threshold": 9.0,
        "gap": None if null else 2, "idx": None if null else 9.5,
        "label": None if null else "URBAN", "poor": None if null else True}
    agree(text, env)


@pytest.mark.parametrize("text", [
    "household.index > threshold", "idx > 1.0", "(poor ? idx : 1.0) > 1.0",
    "max(idx, 1.0) > 1.0", "min(gap, 1) > 0", "[gap][0] > 0", "[gap, 1].exists(v, v > 0)",
    "household.members.map(m, gap).exists(v, v > 0)", "-idx < 0.0",
])
def test_a_comparison_reading_what_may_be_null_is_fallible(text):
    """`|| true` forgives a comparison that failed on a null only if the comparison is known
    to be fallible: through a definition, `? :`, `min`/`max`, an index and a macro's
    variable."""
    expression = cel.prepare(f"({text}) || true", TYPES, nullable=NULLABLE)
    env = {"household": {"index": None, "members": [{"age": 1}]}, "threshold": 9.0,
           "gap": None, "idx": None, "poor": True}
    assert expression.evaluate(env) is True
    assert cel.reference(f"({text}) || true", env) is True


@pytest.mark.parametrize("text", ["person.age == null", "null != household.size",
                                  "threshold == null", "person.sex == null",
                                  "household.members == null", "(1 + 2) != null"])
def test_comparing_with_null_what_is_never_null_is_refused(text):
    """cel-python answers an error (or false, for a string) whatever the facts: such a rule
    says nothing."""
    with pytest.raises(cel.CelCheckError, match="is never null"):
        cel.prepare(text, facts.TYPES, nullable=facts.NULLABLE)


@pytest.mark.parametrize("text", ["household.index == null", "household.index != null",
                                  "null == household.index", "idx == null", "null == null"])
def test_comparing_with_null_what_may_be_null_is_allowed(text):
    cel.prepare(text, TYPES, nullable=NULLABLE)


def version(definitions: dict, criteria: list[str]) -> catalogue.Version:
    raw = {"effectiveFrom": "2024-01-01", "legalReference": "r", "threshold": 9.0,
           "definitions": definitions,
           "criteria": [{"reason": f"R{i}", "description": "d", "rule": rule}
                        for i, rule in enumerate(criteria)]}
    made, problems = catalogue._version(raw, catalogue.date(2024, 1, 1), "test")
    assert not problems, problems
    return made


def test_a_criterion_that_is_null_cannot_be_evaluated():
    """A definition that could not be computed is null; a criterion that is then null is not
    false: it adds no reason, as a criterion that failed."""
    checked = version({"poor": "household.index <= threshold"},
                      ["poor", "poor && true", "!poor", "poor || false", "person.age >= 0"])
    env = {"household": {"index": None}, "threshold": 9.0, "person": {"age": 3}}
    assert checked.check_criteria(env) == ([], True)
    env = {"household": {"index": 9.5}, "threshold": 9.0, "person": {"age": 3}}
    assert checked.check_criteria(env) == (["R0", "R1", "R3"], False)


def test_a_definition_over_a_list_holding_a_null_makes_its_items_nullable():
    checked = version({"ranks": "[household.index, 1.0]"},
                      ["ranks.exists(r, r > threshold) || true", "ranks[0] < 10.0 || true"])
    env = {"household": {"index": None}, "threshold": 9.0}
    assert checked.check_criteria(env) == ([], False)
