"""Hostile documents are refused within a CPU budget, whatever their shape (contract §6a).

CPU time is measured inside the test with `time.thread_time()` around what the worker does
with a document before it answers (the event loop runs in this thread). On a shared virtual
machine even CPU time is inflated while the host is busy elsewhere (seen here: the same
document costing 26 ms, then 52 ms for a second or two), never deflated: a document's cost is
the least of a few runs spread over time, each of a fresh text (a comment appended, which is
no token) so that no cache answers for it.
"""

from __future__ import annotations

import asyncio
import gc
import json
import time
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.schema import document as limits
from api.schema.schema import schema

CPU_BUDGET_SECONDS = 0.050
MIB = 1024 * 1024


def bomb(levels: int = 30) -> str:
    """Thirty fragments, each spreading the next one twice: 2^30 fields once expanded."""
    fragments = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    return "query { ...F0 } " + " ".join(fragments) + f" fragment F{levels} on Query {{ __typename }}"


def inline_bomb(levels: int = 25) -> str:
    """Spreads inside inline fragments and inside fields."""
    fragments = [f"fragment F{i} on Query {{ ... on Query {{ ...F{i + 1} }} me {{ ...G }} "
                 f"...F{i + 1} }}" for i in range(levels)]
    return ("query { ...F0 } " + " ".join(fragments)
            + f" fragment F{levels} on Query {{ __typename }} fragment G on Viewer {{ subject }}")


def field_bomb(levels: int = 9) -> str:
    """Doubling through fields (depth stays within the limit)."""
    fragments = [f"fragment P{i} on Person {{ household {{ head {{ ...P{i + 1} }} }} "
                 f"a{i}: household {{ head {{ ...P{i + 1} }} }} }}" for i in range(levels)]
    return ('query { person(idcs: "1234567897") { ...P0 } } ' + " ".join(fragments)
            + f" fragment P{levels} on Person {{ idcs }}")


def wide(aliases: int = 20) -> str:
    """A valid document as wide as the token limit allows, each root field aliased: every
    field is checked and validated; it selects what an anonymous caller may not read."""
    person = "idcs cin firstName lastName sex birthDate age deathDate phone"
    household = (f"id reference region province commune milieu address status version size "
                 f"head {{ {person} }} members {{ relationship person {{ {person} }} }} "
                 f"declaration {{ rooms assets }} index {{ value components {{ name }} }}")
    return "query($h: ID!) {" + " ".join(
        f"h{i}: household(id: $h) {{ {household} }}" for i in range(aliases)) + "}"


HOSTILE = {
    "widest valid document, no variables": wide().replace("query($h: ID!)", "").replace(
        "$h", '"1"'),
    "fragment bomb": bomb(),
    "spreads in inline fragments and fields": inline_bomb(),
    "doubling through fields": field_bomb(),
    "many small fragments": "{ ...F0 } " + " ".join(
        f"fragment F{i} on Query {{ __typename ...F{i + 1} }}" for i in range(499))
        + " fragment F499 on Query { __typename }",
    "same field many times": "{" + " me { subject }" * 490 + "}",
    "same leaf many times": "{" + " __typename" * 1990 + "}",
    "long string": '{ person(idcs: "' + "9" * (MIB - 100) + '") { idcs } }',
    "long block string": '{ person(idcs: """' + "x\n" * (MIB // 2 - 100) + '""") { idcs } }',
    "long comment": "#" + "x" * (MIB - 100) + "\n{ __typename }",
    "whitespace": "{" + " " * (MIB - 100) + "__typename }",
    "many operations": " ".join(f"query Q{i} {{ __typename }}" for i in range(20_000)),
    "deep selections": "{" + "me {" * 900 + " subject" + "}" * 901,
    "deep list literal": "{ eligibilities(program: ASD, idcs: " + "[" * 900 + '"1"' + "]" * 900
                         + ") { idcs } }",
    "many tokens": "{" + " __typename" * 90_000 + "}",
    "deep fragment chain": "{ me { ...V0 } } " + " ".join(
        f"fragment V{i} on Viewer {{ ...V{i + 1} }}" for i in range(400))
        + " fragment V400 on Viewer { subject }",
    "fragment cycle": "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
    # each fragment within the parser's nesting limit, the chain of them far past it
    "chain of deeply nested fragments": "{ me { ...N0 } } " + " ".join(
        f"fragment N{i} on Viewer {{ " + "a {" * 140 + f" ...N{i + 1} " + "}" * 140 + " }"
        for i in range(4)) + " fragment N4 on Viewer { subject }",
}

HOSTILE_VARIABLES = {
    "widest valid document": (wide(), {"h": "1"}),
    "wide list": ("query($i: [String!]!) { eligibilities(program: ASD, idcs: $i) { idcs } }",
                  {"i": ["1234567897"] * 70_000}),
    "wide list of wrong types": ("query($i: [String!]!) { eligibilities(program: ASD, idcs: $i) "
                                 "{ idcs } }", {"i": [1] * 200_000}),
    "deep list": ("query($i: [String!]!) { eligibilities(program: ASD, idcs: $i) { idcs } }",
                  {"i": json.loads("[" * 500 + "]" * 500)}),
    "undeclared variables": ("{ __typename }", {f"v{i}": i for i in range(50_000)}),
}


def context():
    return SimpleNamespace(principal=None, response=None, selected_fields=[], denied_fields=[],
                           enforce_field_access=True)


def run(document: str, variables: dict | None = None, operation_name: str | None = None):
    """What the worker does with a document, from its text to its answer or refusal; returns
    (result, CPU seconds). The collector is paused meanwhile: a full pass over the test
    harness's own heap is not the document's cost (the server freezes its startup heap out of
    the collector)."""
    gc.disable()
    try:
        started = time.thread_time()
        result = asyncio.run(schema.execute(document, variable_values=variables,
                                            context_value=context(),
                                            operation_name=operation_name))
        return result, time.thread_time() - started
    finally:
        gc.enable()


@pytest.fixture(autouse=True, scope="module")
def warm():
    """The schema's first execution in a process builds caches: not the documents' cost."""
    run("{ __typename }")
    run("query($i: [String!]!) { eligibilities(program: ASD, idcs: $i) { idcs } }", {"i": []})


def codes(result) -> set[str]:
    return {(e.extensions or {}).get("code") for e in result.errors or []}


def cpu_cost(document: str, variables: dict | None = None, runs: int = 3):
    """(result, CPU seconds) of a document never seen before: the least of `runs` runs, each
    of the document with a different comment appended."""
    results = [run(f"{document}\n#{time.monotonic_ns()}-{i}", variables) for i in range(runs)]
    return results[0][0], min(cpu for _, cpu in results)


ROUNDS = 6


@pytest.fixture(scope="module")
def measured(warm) -> dict[str, tuple]:
    """Every named case, run in ROUNDS interleaved rounds: a spell of contention slows one run
    of each case, not every run of one. name -> (result, least CPU seconds)."""
    cases = {**{name: (text, None) for name, text in HOSTILE.items()},
             **{f"variables: {name}": case for name, case in HOSTILE_VARIABLES.items()}}
    best: dict[str, tuple] = {}
    for round_ in range(ROUNDS):
        for name, (document, variables) in cases.items():
            result, cpu = run(f"{document}\n#{time.monotonic_ns()}-{round_}", variables)
            if name not in best or cpu < best[name][1]:
                best[name] = (result, cpu)
    return best


def test_measures_are_exact_after_expansion():
    document = limits.parse_document(bomb(10))
    operation = limits.select_operation(document, None)
    assert limits.measure(schema._schema, document, operation).fields == 2 ** 10
    nested = limits.parse_document("{ me { ...A } } fragment A on Viewer { a: subject b: roles }")
    size = limits.measure(schema._schema, nested, limits.select_operation(nested, None))
    assert (size.fields, size.aliases, size.depth) == (3, 2, 1)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_document_is_refused_within_the_cpu_budget(name, measured):
    document = HOSTILE[name]
    assert len(document.encode()) <= MIB
    result, cpu = measured[name]
    assert result.errors, name
    assert codes(result) <= {"QUERY_TOO_COMPLEX", "BAD_USER_INPUT", "UNAUTHENTICATED"}, \
        result.errors
    assert cpu < CPU_BUDGET_SECONDS, f"{name}: {cpu * 1000:.1f} ms of CPU before the refusal"


@pytest.mark.parametrize("name", sorted(HOSTILE_VARIABLES))
def test_hostile_variables_are_refused_within_the_cpu_budget(name, measured):
    document, variables = HOSTILE_VARIABLES[name]
    assert len(json.dumps(variables)) <= MIB
    result, cpu = measured[f"variables: {name}"]
    assert result.errors, name
    assert codes(result) <= {"QUERY_TOO_COMPLEX", "BAD_USER_INPUT", "UNAUTHENTICATED"}, \
        result.errors
    assert cpu < CPU_BUDGET_SECONDS, f"{name}: {cpu * 1000:.1f} ms of CPU before the refusal"


def test_the_bomb_is_refused_before_validation():
    result, _ = run(bomb())
    (error,) = result.errors
    assert error.extensions["code"] == "QUERY_TOO_COMPLEX"
    assert error.extensions["maxFields"] == limits.MAX_FIELDS


def test_several_operations_without_a_name_are_refused():
    result, _ = run("query A { __typename } mutation B { enroll(program: ASD, householdId: "
                    '"1") { id } }')
    (error,) = result.errors
    assert error.extensions == {"code": "BAD_USER_INPUT", "field": "operationName"}
    named, _ = run("query A { __typename } query B { __typename }", operation_name="B")
    assert named.data == {"__typename": "Query"}


# ------------------------------------------------------------------ generated documents

NAMES = st.sampled_from(["me", "subject", "roles", "__typename", "programs", "code", "regions",
                         "name", "household", "members", "person", "idcs", "x"])


@st.composite
def hostile_documents(draw) -> str:
    """Fragments that spread each other several times, inside fields and inline fragments,
    with repeated fields, aliases and padding: every shape the limits must see through."""
    count = draw(st.integers(1, 40))
    fan = draw(st.integers(1, 4))
    fragments = []
    for i in range(count):
        parts = []
        for _ in range(draw(st.integers(0, 4))):
            name = draw(NAMES)
            alias = f"a{draw(st.integers(0, 30))}: " if draw(st.booleans()) else ""
            parts.append(alias + name)
        target = f"F{i + 1}" if i + 1 < count else None
        if target:
            wrap = draw(st.sampled_from(["plain", "inline", "field"]))
            spread = " ".join([f"...{target}"] * fan)
            if wrap == "inline":
                spread = f"... on Query {{ {spread} }}"
            elif wrap == "field":
                spread = f"me {{ __typename }} {spread}"
            parts.append(spread)
        fragments.append(f"fragment F{i} on Query {{ {' '.join(parts) or '__typename'} }}")
    padding = " " * draw(st.integers(0, 60_000))
    repeat = " __typename" * draw(st.integers(0, 800))
    return f"query {{ ...F0 {repeat} }}{padding} " + " ".join(fragments)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(document=hostile_documents())
def test_generated_documents_are_answered_or_refused_within_the_cpu_budget(document):
    result, cpu = cpu_cost(document)
    assert cpu < CPU_BUDGET_SECONDS, f"{cpu * 1000:.1f} ms of CPU"
    assert codes(result) <= {"QUERY_TOO_COMPLEX", "BAD_USER_INPUT", "UNAUTHENTICATED"}, \
        result.errors


# ------------------------------------------------------------------ over HTTP



@pytest.mark.e2e
async def test_the_bomb_over_http_leaves_healthz_answering(http, tokens):
    async def bombs(token):
        for _ in range(20):
            response = await http.post("/graphql", json={"query": bomb()},
                                       headers={"Authorization": f"Bearer {token}"})
            assert response.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COMPLEX"

    async def health():
        answers = []
        for _ in range(20):
            answers.append((await http.get("/healthz")).status_code)
            await asyncio.sleep(0)
        return answers

    token = tokens.admin()
    gc.collect()
    started = time.thread_time()
    _, answers = await asyncio.gather(bombs(token), health())
    assert set(answers) == {200}
    # twenty refusals, each with its audit record: far from twenty times the budget
    assert time.thread_time() - started < 20 * CPU_BUDGET_SECONDS
