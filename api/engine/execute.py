"""Running a plan: the fields of every object resolved level by level, results written straight
into the response's dictionaries.

What GraphQL execution does field by field with an awaitable and a task each, this does in
rounds: every resolver of a round is called (a synchronous one completes at once), the
coroutines of asynchronous resolvers are stepped until each waits on a future — the DataLoaders'
batches of the round, a query — and the round ends waiting for the first of those futures.
A round's loads therefore batch as they do under graphql-core, and no task is made per field.
Errors follow GraphQL's rules: located at their path, a null in place of a nullable field,
propagated to the nearest nullable parent from a non-null one, none reported under a position
already nulled.
"""

from __future__ import annotations

import asyncio
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    located_error,
)
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined, is_awaitable
from graphql.pyutils import inspect as graphql_inspect

from api.engine.compile import Bubble
from api.engine.kinds import BASIC, DIRECT, TYPENAME
from api.engine.plan import FieldPlan, Plan

_Bubble = Bubble  # a null reached a non-null position: the nearest nullable parent becomes null


class Slot:
    """Where an object's (or a list's) value sits, for a null that reaches it later."""

    __slots__ = ("container", "key", "nullable", "parent", "path", "dead")

    def __init__(self, container, key, nullable: bool, parent: Slot | None, path: Path | None):
        self.container = container
        self.key = key
        self.nullable = nullable
        self.parent = parent
        self.path = path
        self.dead = False

    def alive(self) -> bool:
        slot = self
        while slot is not None:
            if slot.dead:
                return False
            slot = slot.parent
        return True


# The owner of what a compiled object's fields hold: nothing under it waits, so no later null
# is looked up from there.
_DETACHED = Slot(None, None, True, None, None)


class _Pending:
    __slots__ = ("coro", "plan", "container", "owner", "path", "future")

    def __init__(self, coro, plan: FieldPlan, container: dict, owner: Slot, path: Path):
        self.coro = coro
        self.plan = plan
        self.container = container
        self.owner = owner  # the slot of the object the field belongs to
        self.path = path
        self.future = None


_cancelled: set[asyncio.Task] = set()  # held until they finish (the loop keeps weak references)


def _cancel(coro, waits_on: asyncio.Future | None = None) -> None:
    """Cancel a resolver's coroutine as a task is cancelled under graphql-core: the future it
    waits on is cancelled (a query under way is then cancelled by its driver), and the coroutine
    runs its cleanup to the end in a task of its own, CancelledError raised where it waits.
    (Closing the coroutine instead would leave its connection in the middle of a query.)"""
    if waits_on is not None and not waits_on.done():
        waits_on.cancel()
        task = asyncio.ensure_future(coro)  # resumed: the cancelled future raises in it
    else:
        task = asyncio.ensure_future(coro)
        task.cancel()
    _cancelled.add(task)
    task.add_done_callback(_finished)


def _finished(task: asyncio.Task) -> None:
    _cancelled.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: a resolver's error after its answer was dropped


class Run:
    def __init__(self, schema: GraphQLSchema, plan: Plan, context: Any, variable_values) -> None:
        self.schema = schema
        self.plan = plan
        self.context = context
        self.variable_values = variable_values
        self.errors: list[GraphQLError] = []
        self.error_positions: set = set()
        self.data: dict | None = {}
        self.root = Slot(None, None, False, None, None)
        self.ready: list[_Pending] = []

    # ------------------------------------------------------------------ the rounds

    async def execute(self) -> tuple[dict | None, list[GraphQLError]]:
        try:
            self.complete_object(self.schema.query_type, self.plan.roots, None, self.data,
                                 self.root, None)
        except _Bubble:  # a non-null root field failed: no data
            self.root.dead = True
        waiting: list[_Pending] = []
        try:
            while self.ready or waiting:
                ready, self.ready = self.ready, []
                for pending in ready:
                    self.step(pending, waiting)
                if self.ready:
                    continue
                if not waiting:
                    break
                futures = {p.future for p in waiting if p.future is not None}
                if futures:
                    await asyncio.wait(futures, return_when=asyncio.FIRST_COMPLETED)
                else:
                    await asyncio.sleep(0)
                still = []
                for pending in waiting:
                    if pending.future is None or pending.future.done():
                        self.ready.append(pending)
                    else:
                        still.append(pending)
                waiting = still
        finally:
            for pending in [*self.ready, *waiting]:
                _cancel(pending.coro, pending.future)
        return (None if self.root.dead else self.data), self.errors

    def step(self, pending: _Pending, waiting: list[_Pending]) -> None:
        if not pending.owner.alive():
            _cancel(pending.coro)  # its object was nulled
            return
        try:
            yielded = pending.coro.send(None)
        except StopIteration as done:
            self.resumed_value(pending, done.value)
            return
        except Exception as exc:
            self.resumed_error(pending, exc)
            return
        if yielded is not None:
            if not asyncio.isfuture(yielded):
                self.resumed_error(pending, RuntimeError(f"cannot wait on {yielded!r}"))
                _cancel(pending.coro)
                return
            # As a task does: the future is taken (another coroutine may await it too).
            yielded._asyncio_future_blocking = False
        pending.future = yielded
        waiting.append(pending)

    def resumed_value(self, pending: _Pending, value: Any) -> None:
        fp, owner = pending.plan, pending.owner
        try:
            pending.container[fp.key] = self.complete_value(
                fp, fp.definition.type, value, pending.path, owner, pending.container, fp.key)
        except Exception as exc:  # a null bubbling from inside its value included: it stops
            # here when the field is nullable, as in complete_object
            if self.field_error(exc, fp, pending.path, pending.container):
                self.null_from(owner, fp, pending.container)

    def resumed_error(self, pending: _Pending, exc: Exception) -> None:
        if self.field_error(exc, pending.plan, pending.path, pending.container):
            self.null_from(pending.owner, pending.plan, pending.container)

    def null_from(self, owner: Slot, fp: FieldPlan, container: dict) -> None:
        """A non-null field of the object at `owner` failed after the object was completed:
        the nearest nullable position above becomes null."""
        if owner is _DETACHED:  # nothing under a compiled object waits
            raise AssertionError("a field under a compiled object was left waiting")
        slot = owner
        while slot is not None and not slot.nullable:
            slot.dead = True
            slot = slot.parent
        if slot is None:
            self.root.dead = True
            self.error_positions.add(None)
            return
        slot.dead = True
        slot.container[slot.key] = None
        self.error_positions.add(slot.path)

    # ------------------------------------------------------------------ errors

    def nulled(self, path: Path | None) -> bool:
        positions = self.error_positions
        while path is not None:
            if path in positions:
                return True
            path = path.prev
        return None in positions

    def field_error(self, exc: Exception, fp: FieldPlan, path: Path, container: dict) -> bool:
        """Record a field's error; True when it must propagate (the field is non-null)."""
        if isinstance(exc, _Bubble):
            if isinstance(fp.definition.type, GraphQLNonNull):
                return True
            container[fp.key] = None
            self.error_positions.add(path)
            return False
        error = located_error(exc, fp.nodes, path.as_list())
        if isinstance(fp.definition.type, GraphQLNonNull):
            if not self.nulled(path):
                self.errors.append(error)
            return True
        container[fp.key] = None
        if not self.nulled(path):
            self.error_positions.add(path)
            self.errors.append(error)
        return False

    # ------------------------------------------------------------------ completion

    def complete_object(self, type_: GraphQLObjectType, fields: list[FieldPlan], source: Any,
                        out: dict, slot: Slot, path: Path | None) -> dict:
        variable_values = self.variable_values
        for fp in fields:
            kind = fp.kind
            if kind == TYPENAME:
                out[fp.key] = type_.name
                continue
            # A leaf read from its object needs its path only for an error.
            field_path = Path(path, fp.key, type_.name) if fp.needs_path else None
            try:
                if kind == BASIC:
                    value = fp.call(source, None)
                elif kind == DIRECT:
                    value = fp.call(source)
                else:
                    if fp.static_args is not None:
                        args = fp.static_args
                    elif fp.has_args:
                        args = get_argument_values(fp.definition, fp.nodes[0], variable_values)
                    else:
                        args = {}
                    info = GraphQLResolveInfo(
                        fp.name, fp.nodes, fp.definition.type, type_, field_path, self.schema,
                        self.plan.fragments, None, self.plan.operation, variable_values,
                        self.context, is_awaitable, None, None)
                    value = fp.call(source, info, **args)
                    if is_awaitable(value):
                        out[fp.key] = None  # its place in the answer, filled when it resolves
                        self.ready.append(_Pending(value, fp, out, slot, field_path))
                        continue
                leaf = fp.leaf
                if leaf is not None and value is not None and value is not Undefined \
                        and not isinstance(value, Exception):
                    coerced = leaf(value)
                    if coerced is not None and coerced is not Undefined:
                        out[fp.key] = coerced
                        continue
                if fp.single_object and value is not None and value is not Undefined \
                        and field_path is not None and not isinstance(value, Exception):
                    # an object: completed as complete_value completes it, its checks made here
                    object_type = fp.object_type
                    if object_type.is_type_of is None or object_type.is_type_of(value, None):
                        compiled = fp.compiled
                        out[fp.key] = compiled(self, value, field_path) \
                            if compiled is not None else self.complete_object(
                                object_type, fp.children, value, {},
                                Slot(out, fp.key, not fp.non_null, slot, field_path), field_path)
                        continue
                out[fp.key] = self.complete_value(fp, fp.definition.type, value, field_path,
                                                  slot, out, fp.key)
            except Exception as exc:
                if field_path is None:
                    field_path = Path(path, fp.key, type_.name)
                if self.field_error(exc, fp, field_path, out):
                    slot.dead = True
                    raise _Bubble from None
        return out

    # ------------------------------------------------------------------ for compiled objects

    def field_failed(self, fp: FieldPlan, exc: Exception, path: Path, out: dict) -> None:
        """A field of a compiled object (at `path`) failed: as in complete_object."""
        if self.field_error(exc, fp, Path(path, fp.key, fp.parent.name), out):
            raise _Bubble from None

    def complete_field_value(self, fp: FieldPlan, value: Any, path: Path, out: dict) -> None:
        """A field's value that a compiled object leaves to the general completion."""
        field_path = Path(path, fp.key, fp.parent.name)
        try:
            out[fp.key] = self.complete_value(fp, fp.definition.type, value, field_path,
                                              _DETACHED, out, fp.key)
        except Exception as exc:
            if self.field_error(exc, fp, field_path, out):
                raise _Bubble from None

    def complete_value(self, fp: FieldPlan, type_, value: Any, path: Path, owner: Slot,
                       container, key, nullable: bool = True) -> Any:
        """The value of `fp` (or an item of it), completed as GraphQL completes it; an object's
        slot is (`container`, `key`): where its dictionary goes."""
        if isinstance(value, Exception):
            raise value
        if isinstance(type_, GraphQLNonNull):
            completed = self.complete_value(fp, type_.of_type, value, path, owner, container,
                                            key, False)
            if completed is None:
                raise TypeError("Cannot return null for non-nullable field"
                                f" {fp.parent}.{fp.name}.")
            return completed
        if value is None or value is Undefined:
            return None
        if isinstance(type_, GraphQLList):
            return self.complete_list(fp, type_, value, path,
                                      Slot(container, key, nullable, owner, path))
        if fp.object_type is None:
            coerced = type_.coerce_output_value(value)
            if coerced is Undefined or coerced is None:
                raise TypeError(
                    f"Expected `{graphql_inspect(type_)}.coerce_output_value("
                    f"{graphql_inspect(value)})` to return non-nullable value, returned:"
                    f" {graphql_inspect(coerced)}")
            return coerced
        if type_.is_type_of is not None and not type_.is_type_of(value, None):
            raise GraphQLError(
                f"Expected value of type '{type_.name}' but got: {graphql_inspect(value)}.",
                fp.nodes)
        if fp.compiled is not None:
            return fp.compiled(self, value, path)
        out: dict = {}
        slot = Slot(container, key, nullable, owner, path)
        return self.complete_object(type_, fp.children, value, out, slot, path)

    @staticmethod
    def leaves(type_, value, nullable: bool) -> list | None:
        """A list of leaves, coerced at once; None when an item needs the general completion
        (an error, or a null where none may be), which then reports it at its path."""
        coerce = type_.coerce_output_value
        out = []
        for item in value:
            if item is None or item is Undefined:
                if not nullable:
                    return None
                out.append(None)
                continue
            if isinstance(item, Exception):
                return None
            try:
                coerced = coerce(item)
            except Exception:
                return None
            if coerced is None or coerced is Undefined:
                return None
            out.append(coerced)
        return out

    def complete_list(self, fp: FieldPlan, type_: GraphQLList, value: Any, path: Path,
                      slot: Slot) -> list:
        """`slot`: where the list goes (its items' objects hang from it)."""
        if isinstance(value, str) or not hasattr(value, "__iter__"):
            raise GraphQLError(
                "Expected Iterable, but did not find one for field"
                f" '{fp.parent}.{fp.name}'.")
        item_type = type_.of_type
        nullable = not isinstance(item_type, GraphQLNonNull)
        named = item_type if nullable else item_type.of_type
        if fp.object_type is None and type(value) in (list, tuple) \
                and not isinstance(named, GraphQLList | GraphQLNonNull):
            coerced = self.leaves(named, value, nullable)
            if coerced is not None:
                return coerced
        # Objects of the item type are completed here, without the general completion's checks
        # of the item's type (the same checks, made once).
        objects = named if isinstance(named, GraphQLObjectType) else None
        is_type_of = objects.is_type_of if objects is not None else None
        compiled = fp.compiled
        out: list = []
        for index, item in enumerate(value):
            item_path = path.add_key(index, None)
            out.append(None)
            try:
                if objects is not None and item is not None and item is not Undefined \
                        and not isinstance(item, Exception) \
                        and (is_type_of is None or is_type_of(item, None)):
                    out[index] = compiled(self, item, item_path) if compiled is not None \
                        else self.complete_object(objects, fp.children, item, {},
                                                  Slot(out, index, nullable, slot, item_path),
                                                  item_path)
                else:
                    out[index] = self.complete_value(fp, item_type, item, item_path, slot, out,
                                                     index)
            except _Bubble:
                if not nullable:
                    raise
                out[index] = None
                self.error_positions.add(item_path)
            except Exception as exc:
                error = located_error(exc, fp.nodes, item_path.as_list())
                if not nullable:
                    if not self.nulled(item_path):
                        self.errors.append(error)
                    raise _Bubble from None
                out[index] = None
                if not self.nulled(item_path):
                    self.error_positions.add(item_path)
                    self.errors.append(error)
        return out
