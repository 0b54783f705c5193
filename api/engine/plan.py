"""Plans: a query document turned, once, into a tree of the fields to resolve.

A plan is derived from the schema strawberry built: for each selected field, how to resolve it
(the strawberry resolver itself — called directly when it reads only its object, through the
field's GraphQL resolver otherwise), how to complete its value (the GraphQL type's own
`serialize` for leaves), and the merged selection beneath it (fragments, inline fragments and
repeated response keys merged as GraphQL merges them). Nothing is declared twice: a new field of
a type is planned from its strawberry definition.

Only a document every check would let through gets a plan: it parses, its operation is a query,
it is within the limits and valid, it holds no directive and no introspection. Any other
document has no plan (None) and strawberry runs it, errors included.
"""

from __future__ import annotations

import inspect
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    Visitor,
    get_named_type,
    is_leaf_type,
    visit,
)
from graphql.execution.values import get_argument_values

from api.engine.compile import compile_plan
from api.engine.kinds import BASIC, DIRECT, RESOLVER, STRAWBERRY, TYPENAME
from api.engine.variables import PlainVariables
from api.schema.document import (
    OperationCost,
    check_limits,
    parse_document,
    select_operation,
    validate_document,
)


@dataclass(eq=False)
class FieldPlan:
    key: str  # the response key
    name: str
    nodes: list[FieldNode]
    parent: GraphQLObjectType
    definition: GraphQLField | None  # None for __typename
    kind: int
    call: Callable[..., Any] | None = None
    static_args: dict | None = None  # coerced once when no variable appears
    has_args: bool = False
    children: list[FieldPlan] | None = None  # for a field of an object type (or list of them)
    object_type: GraphQLObjectType | None = None
    needs_path: bool = True  # False for a leaf read from its object (a path only on error)
    # For a field of a leaf type (not a list): the type's output coercion, and whether null is
    # refused — completed in place, without the general completion.
    leaf: Callable[[Any], Any] | None = None
    leaf_non_null: bool = False
    # For a field of an object type (not a list): completed in place too, and whether null
    # is refused.
    single_object: bool = False
    non_null: bool = False
    # For a field of an object type whose selected fields all resolve at once: the function
    # compiled for the plan that completes such an object (compile.py).
    compiled: Callable[..., dict] | None = None

    @property
    def return_type(self):
        return self.definition.type


@dataclass(eq=False)
class Plan:
    document: DocumentNode
    operation: OperationDefinitionNode
    fragments: dict[str, FragmentDefinitionNode]
    roots: list[FieldPlan]
    variables_used: bool
    cost: OperationCost  # the operation's cost for a request's variables
    plain: PlainVariables | None  # variables taken as they are, when of the plain shapes
    cache: dict = field(default_factory=dict)  # per-plan decisions (field access)


class _NoPlan(Exception):
    pass


def _collect(type_: GraphQLObjectType, selection_sets: list[SelectionSetNode],
             fragments: dict[str, FragmentDefinitionNode]) -> OrderedDict[str, list[FieldNode]]:
    """The fields of `selection_sets` for an object of `type_`, by response key, in order —
    GraphQL's CollectFields for a document without directives."""
    grouped: OrderedDict[str, list[FieldNode]] = OrderedDict()
    visited: set[str] = set()

    def walk(selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                key = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or condition.name.value == type_.name:
                    walk(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in visited:
                    continue
                visited.add(name)
                fragment = fragments[name]
                if fragment.type_condition.name.value == type_.name:
                    walk(fragment.selection_set)

    for selection_set in selection_sets:
        walk(selection_set)
    return grouped


def _reads_only_its_object(strawberry_field) -> bool:
    resolver = strawberry_field.base_resolver
    if resolver is None or resolver.is_async or strawberry_field.extensions:
        return False
    parameters = list(inspect.signature(resolver.wrapped_func).parameters)
    return parameters == ["self"]


def _field_plan(schema: GraphQLSchema, parent: GraphQLObjectType, key: str,
                nodes: list[FieldNode], fragments) -> FieldPlan:
    name = nodes[0].name.value
    if name == "__typename":
        return FieldPlan(key, name, nodes, parent, None, TYPENAME)
    if name.startswith("__"):
        raise _NoPlan("introspection")
    definition = parent.fields[name]
    strawberry_field = (definition.extensions or {}).get(STRAWBERRY)
    if strawberry_field is None:
        raise _NoPlan(f"{parent.name}.{name} is not a strawberry field")
    has_args = bool(definition.args)
    if has_args:
        kind, call = RESOLVER, definition.resolve
    elif strawberry_field.base_resolver is None and not strawberry_field.extensions \
            and getattr(definition.resolve, "_is_default", False):
        kind, call = BASIC, definition.resolve
    elif _reads_only_its_object(strawberry_field):
        kind, call = DIRECT, strawberry_field.base_resolver.wrapped_func
    else:
        kind, call = RESOLVER, definition.resolve
    plan = FieldPlan(key, name, nodes, parent, definition, kind, call, has_args=has_args)
    if has_args and not any(_holds_variable(n) for n in nodes[0].arguments or ()):
        try:
            plan.static_args = get_argument_values(definition, nodes[0], {})
        except GraphQLError as exc:
            raise _NoPlan("arguments") from exc
    named = get_named_type(definition.type)
    if is_leaf_type(named):
        plan.needs_path = kind == RESOLVER or _is_list(definition.type)
        if not _is_list(definition.type):
            plan.leaf = named.coerce_output_value
            plan.leaf_non_null = isinstance(definition.type, GraphQLNonNull)
        return plan
    if not isinstance(named, GraphQLObjectType):
        raise _NoPlan("abstract type")
    plan.object_type = named
    plan.single_object = not _is_list(definition.type)
    plan.non_null = isinstance(definition.type, GraphQLNonNull)
    plan.children = _children(schema, named, [n.selection_set for n in nodes], fragments)
    return plan


def _is_list(type_) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _children(schema, type_: GraphQLObjectType, selection_sets, fragments) -> list[FieldPlan]:
    return [_field_plan(schema, type_, key, nodes, fragments)
            for key, nodes in _collect(type_, selection_sets, fragments).items()]


def _holds_variable(node) -> bool:
    class Finder(Visitor):
        found = False

        def enter_variable(self, *_args) -> None:
            Finder.found = True

    finder = Finder()
    visit(node, finder)
    return Finder.found


def _has_directive(document: DocumentNode) -> bool:
    class Finder(Visitor):
        found = False

        def enter_directive(self, *_args) -> None:
            Finder.found = True

    visit(document, Finder())
    return Finder.found


def make_plan(schema: GraphQLSchema, query: str, operation_name: str | None) -> Plan | None:
    try:
        document = parse_document(query)
        operation = select_operation(document, operation_name)
        if operation.operation is not OperationType.QUERY:
            return None
        check_limits(schema, document, operation)
    except GraphQLError:
        return None
    if validate_document(schema, document, query) or _has_directive(document):
        return None
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    try:
        roots = _children(schema, schema.query_type, [operation.selection_set], fragments)
    except _NoPlan:
        return None
    compile_plan(roots)
    return Plan(document, operation, fragments, roots,
                variables_used=bool(operation.variable_definitions),
                cost=OperationCost(schema, document, operation),
                plain=PlainVariables.of(schema, operation))


__all__ = ["FieldPlan", "Plan", "make_plan"]
