"""Objects whose fields all resolve at once are completed by functions compiled for the plan
(api/engine/compile.py), which write the plain values of each leaf type themselves and leave the
rest to the general completion. On a schema of every leaf type the registry uses — strings and
their subclasses, ints in and out of range, bools, floats finite or not, enums with an alias,
IDs, lists of strings, a custom scalar (DateTime) — with values of the wrong kind, nulls and
errors where hypothesis puts them, the engine must answer what graphql-core answers: the same
data, and the same errors in the same order (everything here is synchronous, so the order is
fixed)."""

from __future__ import annotations

import asyncio
import zlib
from datetime import UTC, datetime
from enum import Enum

import strawberry
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from api.engine.execute import Run
from api.engine.plan import make_plan

CHOICE = {"salt": 0, "one_in": 0}  # which values are odd: chosen per example (0: none)


class Text(str):
    pass


class Count(int):
    pass


@strawberry.enum
class Color(Enum):
    RED = "red"
    CRIMSON = "red"  # an alias: the same member as RED
    BLUE = "blue"


class _Boom(Exception):
    pass


def _raise():
    raise _Boom("failed")


# the plain value first, then the odd ones (a callable raises)
VALUES = {
    "name": ["x", Text("t"), 1, True, None, 1.5, _raise],
    "maybeName": ["y", None, Text("u"), 2, _raise],
    "count": [1, Count(3), True, 2**31, -(2**31), None, "3", 1.0, 2.5, _raise],
    "ratio": [1.5, float("nan"), float("inf"), 1, True, None, "2.5", _raise],
    "flag": [True, 1, None, "x", 0, _raise],
    "color": [Color.RED, Color.CRIMSON, Color.BLUE, "red", "RED", None, 5, _raise],
    "tags": [["a", "b"], [], ["a", 1], ("a",), None, [None], "ab", [Text("s")], _raise],
    "maybeTags": [["a"], None, [None, "b"], ["a", 2], _raise],
    "ident": ["1", 1, None, 1.5, Text("7"), _raise],
    "when": [datetime(2026, 12, 1, 10, 0, tzinfo=UTC), None, "x", 5, _raise],
}


def _value(field: str, key: str):
    options = VALUES[field]
    one_in = CHOICE["one_in"]
    choice = 0
    if one_in:
        h = zlib.crc32(f"{CHOICE['salt']}:{field}:{key}".encode())
        if h % one_in == 0:
            choice = 1 + (h >> 8) % (len(options) - 1)
    value = options[choice]
    return value() if callable(value) else value


@strawberry.type
class Item:
    key: strawberry.Private[str]

    @strawberry.field
    def name(self) -> str:
        return _value("name", self.key)

    @strawberry.field
    def maybe_name(self) -> str | None:
        return _value("maybeName", self.key)

    @strawberry.field
    def count(self) -> int:
        return _value("count", self.key)

    @strawberry.field
    def ratio(self) -> float | None:
        return _value("ratio", self.key)

    @strawberry.field
    def flag(self) -> bool:
        return _value("flag", self.key)

    @strawberry.field
    def color(self) -> Color | None:
        return _value("color", self.key)

    @strawberry.field
    def tags(self) -> list[str]:
        return _value("tags", self.key)

    @strawberry.field
    def maybe_tags(self) -> list[str | None] | None:
        return _value("maybeTags", self.key)

    @strawberry.field
    def ident(self) -> strawberry.ID:
        return _value("ident", self.key)

    @strawberry.field
    def when(self) -> datetime | None:
        return _value("when", self.key)

    @strawberry.field
    def child(self) -> Item | None:
        return Item(key=self.key + "c") if len(self.key) < 4 else None

    @strawberry.field
    def strict(self) -> Item:
        return Item(key=self.key + "s")

    @strawberry.field
    def children(self) -> list[Item]:
        return [Item(key=f"{self.key}{i}") for i in range(2)]


@strawberry.type
class Query:
    @strawberry.field
    def items(self) -> list[Item]:
        return [Item(key=str(i)) for i in range(3)]

    @strawberry.field
    def maybe_items(self) -> list[Item | None] | None:
        return [Item(key=str(i)) for i in range(3, 5)]


SCHEMA = strawberry.Schema(query=Query)
GRAPHQL = SCHEMA._schema

LEAVES = ["name", "maybeName", "count", "ratio", "flag", "color", "tags", "maybeTags", "ident",
          "when", "__typename", "n: name", "c: count"]


def _selection(depth: int):
    leaves = st.lists(st.sampled_from(LEAVES), min_size=1, max_size=4, unique=True)
    parts = [leaves.map(" ".join)]
    if depth > 0:
        inner = _selection(depth - 1)
        for field in ("child", "strict", "children", "s: strict"):
            parts.append(inner.map(lambda s, f=field: f"{f} {{ {s} }}"))
        parts.append(inner.map(lambda s: f"... on Item {{ strict {{ {s} }} }}"))
    return st.lists(st.one_of(parts), min_size=1, max_size=3).map(" ".join)


DOCUMENTS = st.tuples(st.sampled_from(["items", "maybeItems"]), _selection(2)).map(
    lambda t: f"query {{ {t[0]} {{ {t[1]} }} }}")
CHOICES = st.tuples(st.integers(0, 10**6), st.sampled_from([0, 2, 3, 5, 8]))


def _errors(errors) -> list:
    return [(e.message, list(e.path or ())) for e in errors or ()]


@settings(max_examples=500, deadline=None)
@given(DOCUMENTS, CHOICES)
def test_compiled_objects_complete_as_graphql_does(document, choice):
    CHOICE["salt"], CHOICE["one_in"] = choice

    plan = make_plan(GRAPHQL, document, None)
    assume(plan is not None)  # (over the document limits: strawberry would refuse it)

    async def both():
        data, errors = await Run(GRAPHQL, plan, None, {}).execute()
        expected = await SCHEMA.execute(document)
        return (data, _errors(errors)), (expected.data, _errors(expected.errors))

    got, expected = asyncio.run(both())
    assert got == expected, document


def test_every_object_of_such_a_document_is_compiled():
    plan = make_plan(GRAPHQL, "{ items { name child { count strict { color } } children "
                              "{ tags } } }", None)
    items = plan.roots[0]
    assert items.compiled is not None
    child, children = items.children[1], items.children[2]
    assert child.compiled is not None and children.compiled is not None
    assert child.children[1].compiled is not None
