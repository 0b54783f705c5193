"""The read engine completes values as graphql-core does, errors included, on a schema made for
it: nested objects nullable and not, lists of them, fields that fail (synchronously and not) at
every depth, so that a null bubbles to the nearest nullable parent. Hypothesis chooses the
document (selections, aliases, fragments) and where the data fails; the engine's answer
(`Run`) must equal strawberry's execution: the same data, and the same errors at the same
paths (outside the parts a null reached). (tests/api/test_read_engine.py does the same over the registry's schema, where a
field failing inside a nested object is rare.)"""

from __future__ import annotations

import asyncio
import zlib

import pytest
import strawberry
from hypothesis import given, settings
from hypothesis import strategies as st

from api.engine.execute import Run
from api.engine.plan import make_plan

FAILING = {"salt": 0, "one_in": 0}  # which values raise: chosen per example (0: none)


def _fails(kind: str, key: str) -> bool:
    one_in = FAILING["one_in"]
    return bool(one_in) and zlib.crc32(f"{FAILING['salt']}:{kind}:{key}".encode()) % one_in == 0


def _value(kind: str, key: str, value: int) -> int:
    if _fails(kind, key):
        raise ValueError(f"{kind} {key} failed")
    return value


@strawberry.type
class Leaf:
    key: strawberry.Private[str]

    @strawberry.field
    def value(self) -> int:
        return _value("value", self.key, len(self.key))

    @strawberry.field
    def maybe(self) -> int | None:
        return _value("maybe", self.key, 1)

    @strawberry.field
    async def later(self) -> int:
        await asyncio.sleep(0)
        return _value("later", self.key, 2)

    @strawberry.field
    def values(self) -> list[int]:
        # a null where the items may not be null: an error at the item's path
        return [1, None if _fails("values", self.key) else 2]  # type: ignore[list-item]

    @strawberry.field
    def maybe_values(self) -> list[int | None] | None:
        return [None, _value("maybeValues", self.key, 3)]


@strawberry.type
class Node:
    key: strawberry.Private[str]

    @strawberry.field
    def name(self) -> str:
        return self.key

    @strawberry.field
    def leaf(self) -> Leaf | None:
        _value("leaf", self.key, 0)
        return Leaf(key=self.key + "l")

    @strawberry.field
    def strict(self) -> Leaf:
        _value("strict", self.key, 0)
        return Leaf(key=self.key + "s")

    @strawberry.field
    def leaves(self) -> list[Leaf]:
        return [Leaf(key=f"{self.key}{i}") for i in range(2)]

    @strawberry.field
    def maybe_leaves(self) -> list[Leaf | None] | None:
        return [Leaf(key=f"{self.key}m{i}") for i in range(2)]

    @strawberry.field
    async def later_leaves(self) -> list[Leaf]:
        await asyncio.sleep(0)
        _value("laterLeaves", self.key, 0)
        return [Leaf(key=f"{self.key}a{i}") for i in range(2)]

    @strawberry.field
    async def child(self) -> Node | None:
        await asyncio.sleep(0)
        _value("child", self.key, 0)
        return Node(key=self.key + "c") if len(self.key) < 4 else None


@strawberry.type
class Query:
    @strawberry.field
    def nodes(self) -> list[Node]:
        return [Node(key=str(i)) for i in range(2)]

    @strawberry.field
    def maybe_nodes(self) -> list[Node] | None:
        return [Node(key=str(i)) for i in range(2, 4)]


SCHEMA = strawberry.Schema(query=Query)
GRAPHQL = SCHEMA._schema

LEAF_FIELDS = ["value", "maybe", "later", "__typename", "values", "maybeValues",
               "v: value", "w: maybe"]


def _leaf_selection():
    return st.lists(st.sampled_from(LEAF_FIELDS), min_size=1, max_size=3, unique=True).map(
        lambda names: " ".join(names))


def _node_selection(depth: int):
    leaf = _leaf_selection()
    parts = [st.just("name"), leaf.map(lambda s: f"leaf {{ {s} }}"),
             leaf.map(lambda s: f"strict {{ {s} }}"), leaf.map(lambda s: f"leaves {{ {s} }}"),
             leaf.map(lambda s: f"maybeLeaves {{ {s} }}"),
             leaf.map(lambda s: f"a: strict {{ {s} }}"),
             leaf.map(lambda s: f"laterLeaves {{ {s} }}"),
             leaf.map(lambda s: f"...F strict {{ {s} }}"),
             leaf.map(lambda s: f"... on Node {{ leaf {{ {s} }} }}")]
    if depth > 0:
        parts.append(_node_selection(depth - 1).map(lambda s: f"child {{ {s} }}"))
    return st.lists(st.one_of(parts), min_size=1, max_size=4).map(lambda items: " ".join(items))


DOCUMENTS = st.tuples(st.sampled_from(["nodes", "maybeNodes"]), _node_selection(2)).map(
    lambda t: f"query {{ {t[0]} {{ {t[1]} }} }}"
              + (" fragment F on Node { name leaf { value } }" if "...F" in t[1] else ""))
# each value fails with a chance of one in `one_in` (0: none), where a salt puts it
FAILURES = st.tuples(st.integers(0, 10**6), st.sampled_from([0, 2, 3, 5, 8, 13]))


def _errors(errors, data) -> set:
    """The errors outside the answer's nulled parts. Under a position a null reached, which
    errors are reported depends on when each side stops the work it no longer needs (graphql-
    core lets some asynchronous siblings finish, the engine cancels them): those are left out."""
    return {(e.message, tuple(e.path or ())) for e in errors or ()
            if _shown(data, (e.path or ())[:-1])}


def _shown(data, path) -> bool:
    value = data
    for key in path:
        if value is None:
            return False
        value = value[key]
    return value is not None


# graphql-core leaves the coroutines of a nulled object's siblings unawaited (and closed late)
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@settings(max_examples=600, deadline=None)
@given(DOCUMENTS, FAILURES)
def test_the_engine_completes_as_graphql_does(document, failing):
    FAILING["salt"], FAILING["one_in"] = failing

    async def both():
        plan = make_plan(GRAPHQL, document, None)
        assert plan is not None, document
        data, errors = await Run(GRAPHQL, plan, None, {}).execute()
        expected = await SCHEMA.execute(document)
        return ((data, _errors(errors, data)),
                (expected.data, _errors(expected.errors, expected.data)))

    got, expected = asyncio.run(both())
    assert got == expected, document
