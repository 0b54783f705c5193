"""The read engine completes values as graphql-core does, errors included, on a schema made for
it: nested objects nullable and not, lists of them, fields that fail (synchronously and not) at
every depth, so that a null bubbles to the nearest nullable parent. Hypothesis chooses the
document (selections, aliases, fragments) and where the data fails; the engine's answer
(`Run`) must equal strawberry's execution: the same data, and the same errors at the same
paths. (tests/api/test_read_engine.py does the same over the registry's schema, where a
field failing inside a nested object is rare.)"""

from __future__ import annotations

import asyncio

import pytest
import strawberry
from hypothesis import given, settings
from hypothesis import strategies as st

from api.engine.execute import Run
from api.engine.plan import make_plan

FAILING: set[str] = set()  # "kind:id" of the values that raise, chosen per example


def _value(kind: str, key: str, value: int) -> int:
    if f"{kind}:{key}" in FAILING:
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
        return [1, None if f"values:{self.key}" in FAILING else 2]  # type: ignore[list-item]

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
KEYS = ["0", "1", "2", "3", "0c", "2c", "0l", "0s", "1s", "2s", "0cs", "01", "0m1", "2l",
        "2cl", "0cc", "3s", "21", "0cl", "0a1", "2a0", "0ca0"]
FAILURES = st.sets(st.tuples(st.sampled_from(["value", "maybe", "later", "leaf", "strict",
                                               "child", "values", "maybeValues",
                                               "laterLeaves"]), st.sampled_from(KEYS))
                   .map(lambda t: f"{t[0]}:{t[1]}"), max_size=6)


def _errors(errors) -> set:
    return {(e.message, tuple(e.path or ())) for e in errors or ()}


# graphql-core leaves the coroutines of a nulled object's siblings unawaited
@pytest.mark.filterwarnings("ignore:coroutine .* was never awaited:RuntimeWarning")
@settings(max_examples=600, deadline=None)
@given(DOCUMENTS, FAILURES)
def test_the_engine_completes_as_graphql_does(document, failing):
    FAILING.clear()
    FAILING.update(failing)

    async def both():
        plan = make_plan(GRAPHQL, document, None)
        assert plan is not None, document
        data, errors = await Run(GRAPHQL, plan, None, {}).execute()
        expected = await SCHEMA.execute(document)
        return (data, _errors(errors)), (expected.data, _errors(expected.errors))

    got, expected = asyncio.run(both())
    assert got == expected, document
