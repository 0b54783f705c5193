"""Which documents the fast path answers, and how: a plan per (query text, operation name).

A plan exists only for a query whose one top-level field is `eligibility`, `eligibilities` or
`household`, selecting plain fields (no fragments, no directives) from the set the fast path
renders. Every other document, and every document the general path would refuse (syntax,
validation, depth, aliases, tokens), has no plan and goes the general way, which also gives
the errors. Plans are cached in a bounded LRU, like strawberry's parser and validation caches.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from graphql import (
    DocumentNode,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    VariableNode,
    Visitor,
    visit,
)
from graphql.execution.values import get_argument_values, get_variable_values

from api.engine.variables import plain_kind
from api.schema.access import DocumentNeeds, required_permissions
from api.schema.document import (
    MAX_ALIASES,
    MAX_DEPTH,
    check_limits,
    operation_cost,
    parse_document,
    validate_document,
)

# The fields the fast path renders, per type; a field mapped to a type is an object field.
PERSON = frozenset({
    "__typename", "idcs", "cin", "residenceCardNumber", "nationality", "firstName", "lastName",
    "firstNameAr", "lastNameAr", "sex", "birthDate", "age", "deathDate", "phone",
    "hasOtherHealthCoverage", "version", "registeredAt",
})
MEMBER = frozenset({"__typename", "relationship", "schooling", "hasDisability", "since"})
HOUSEHOLD = frozenset({
    "__typename", "id", "reference", "region", "province", "commune", "milieu", "address",
    "status", "version", "registeredAt", "updatedAt", "size",
})
ELIGIBILITY = frozenset({
    "__typename", "idcs", "program", "eligible", "reasons", "monthlyAmount", "threshold",
    "formulaVersion", "evaluatedAt",
})
TYPES: dict[str, tuple[frozenset[str], dict[str, str]]] = {
    "Person": (PERSON, {}),
    "Member": (MEMBER, {"person": "Person"}),
    "Household": (HOUSEHOLD, {"members": "Member"}),
    "Eligibility": (ELIGIBILITY, {"household": "Household"}),
}
ROOTS = {"eligibility": "Eligibility", "eligibilities": "Eligibility", "household": "Household"}


@dataclass(frozen=True)
class Selected:
    key: str  # the response key (alias or name)
    name: str
    children: tuple[Selected, ...] = ()

    def has(self, name: str) -> bool:
        return any(c.name == name for c in self.children)

    def child(self, name: str) -> Selected | None:
        return next((c for c in self.children if c.name == name), None)


@dataclass(frozen=True)
class Plan:
    root: Selected
    document: DocumentNode
    field_node: FieldNode
    operation: OperationDefinitionNode
    operation_name: str | None  # as named in the document, for the audit record
    needs: DocumentNeeds
    # The top-level field's arguments when no variable appears in them (coerced once), and
    # the cost when no variable sizes a list; None: computed per request.
    static_args: dict | None = None
    static_cost: int | None = None
    binding: Binding | None = None  # variables bound without graphql-core's coercion

    @functools.cached_property
    def kind(self) -> str:
        return self.root.name

    @functools.cached_property
    def selected_fields(self) -> list[str]:
        """The `Type.field` names the audit record lists, sorted once per plan (the record copies
        them)."""
        return sorted(obj for obj, _ in self.needs.permissions)

    @functools.cached_property
    def shows_members(self) -> bool:
        """Does the answer show a household's members (else the SQL reads only what the
        eligibility rules need of them)?"""
        if self.kind == "household":
            return self.root.has("members")
        return any(c.name == "household" and c.has("members") for c in self.root.children)


class _NoPlan(Exception):
    pass


def _selection(node: FieldNode, type_name: str, depth: int) -> Selected:
    if node.directives:
        raise _NoPlan("directive")
    leaves, objects = TYPES[type_name]
    name = node.name.value
    key = node.alias.value if node.alias else name
    if node.selection_set is None:
        return Selected(key, name)
    if depth > MAX_DEPTH:
        raise _NoPlan("depth")
    children = []
    for child in node.selection_set.selections:
        if not isinstance(child, FieldNode):
            raise _NoPlan("fragment")
        child_name = child.name.value
        if child.arguments:
            raise _NoPlan("arguments")
        if child_name in objects:
            if child.selection_set is None:
                raise _NoPlan("object without selection")
            children.append(_object(child, objects[child_name], depth + 1))
        elif child_name in leaves:
            if child.selection_set is not None or child.directives:
                raise _NoPlan("leaf with selection")
            children.append(Selected(child.alias.value if child.alias else child_name, child_name))
        else:
            raise _NoPlan(f"{type_name}.{child_name}")
    keys = [c.key for c in children]
    if len(set(keys)) != len(keys):
        # GraphQL merges fields of one response key (`household { id } household { size }`);
        # the general path does that merging.
        raise _NoPlan("repeated response key")
    return Selected(key, name, tuple(children))


def _object(node: FieldNode, type_name: str, depth: int) -> Selected:
    return _selection(node, type_name, depth)


def _aliases(selected: Selected, node: FieldNode) -> int:
    count = 0
    pending = [node]
    while pending:
        current = pending.pop()
        if current.alias is not None:
            count += 1
        if current.selection_set is not None:
            pending.extend(s for s in current.selection_set.selections if isinstance(s, FieldNode))
    return count


def make_plan(schema: GraphQLSchema, query: str, operation_name: str | None) -> Plan | None:
    try:
        document = parse_document(query)
    except GraphQLError:
        return None
    if len(document.definitions) != 1:
        return None
    (operation,) = document.definitions
    if not isinstance(operation, OperationDefinitionNode) \
            or operation.operation is not OperationType.QUERY or operation.directives:
        return None
    if operation_name is not None and (operation.name is None
                                       or operation.name.value != operation_name):
        return None
    try:
        check_limits(schema, document, operation)
    except GraphQLError:
        return None
    if validate_document(schema, document, query):
        return None
    selections = operation.selection_set.selections
    if len(selections) != 1 or not isinstance(selections[0], FieldNode):
        return None
    field = selections[0]
    type_name = ROOTS.get(field.name.value)
    if type_name is None or field.selection_set is None:
        return None
    try:
        root = _selection(field, type_name, 2)
    except _NoPlan:
        return None
    if _aliases(root, field) > MAX_ALIASES:
        return None
    needs = required_permissions(schema, document, operation_name)
    if needs.introspects:
        return None
    static_args = static_cost = binding = None
    if not operation.variable_definitions and not _has_variables(field):
        static_args = get_argument_values(schema.query_type.fields[field.name.value], field, {})
        static_cost = operation_cost(schema, document, operation, {})
    else:
        binding = Binding.of(schema, operation, field)
        if field.name.value != "eligibilities":
            static_cost = operation_cost(schema, document, operation, {})
    return Plan(root=root, document=document, field_node=field, operation=operation,
                operation_name=operation.name.value if operation.name else None, needs=needs,
                static_args=static_args, static_cost=static_cost, binding=binding)


class Binding:
    """The arguments of a plan's field from the request's variables, for the plain shape hot
    documents have: every variable `String!` or `[String!]!` (or `ID`) without a default, each used
    directly as an argument, the other arguments literals. `bind` answers the arguments exactly
    as graphql-core's coercion would (tests/unit/test_fast_path_binding.py compares the two over
    generated variables), or None for anything else — a missing, extra or mistyped variable,
    a null — which graphql-core then coerces (and reports)."""

    __slots__ = ("template", "variables", "names", "lists")

    def __init__(self, template: dict, variables: dict[str, str], lists: frozenset[str]) -> None:
        self.template = template  # the literal and defaulted arguments, coerced
        self.variables = variables  # argument's name → variable's name
        self.names = frozenset(variables.values())
        self.lists = lists  # variables of type [String!]!

    @classmethod
    def of(cls, schema: GraphQLSchema, operation: OperationDefinitionNode,
           field: FieldNode) -> Binding | None:
        lists, names = set(), set()
        for definition in operation.variable_definitions or ():
            kind = plain_kind(definition.type)
            if kind is None or definition.default_value is not None or definition.directives:
                return None
            names.add(definition.variable.name.value)
            if kind == "list":
                lists.add(definition.variable.name.value)
        variables = {}
        for argument in field.arguments or ():
            if isinstance(argument.value, VariableNode):
                variables[argument.name.value] = argument.value.name.value
            elif _holds_variable(argument.value):
                return None
        if set(variables.values()) != names:
            return None
        definition = schema.query_type.fields[field.name.value]
        placeholders = get_variable_values(  # a value of each variable's type, until bound
            schema, operation.variable_definitions,
            {name: [] if name in lists else "" for name in names})
        if isinstance(placeholders, list):
            return None
        try:
            template = get_argument_values(definition, field, placeholders)
        except GraphQLError:
            return None
        if any(definition.args[name].out_name not in (None, name) for name in variables):
            return None
        return cls(template, variables, frozenset(lists))

    def bind(self, values) -> dict | None:
        if type(values) is not dict or values.keys() != self.names:
            return None
        args = dict(self.template)
        for argument, variable in self.variables.items():
            value = values[variable]
            if variable in self.lists:
                if type(value) is not list:
                    return None
                for item in value:
                    if type(item) is not str:
                        return None
                value = list(value)
            elif type(value) is not str:
                return None
            args[argument] = value
        return args


def _holds_variable(node) -> bool:
    if isinstance(node, VariableNode):
        return True
    if isinstance(node, ListValueNode):
        return any(_holds_variable(v) for v in node.values)
    if isinstance(node, ObjectValueNode):
        return any(_holds_variable(f.value) for f in node.fields)
    return False


def _has_variables(field: FieldNode) -> bool:
    class Finder(Visitor):
        found = False

        def enter_variable(self, *_args) -> None:
            Finder.found = True

    finder = Finder()
    for argument in field.arguments or ():
        visit(argument, finder)
    return Finder.found
