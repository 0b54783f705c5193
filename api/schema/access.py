"""Field-level access: every field a document selects (through fragments, inline fragments and
aliases) and every field it filters by is checked for the caller before anything runs.

The permissions a document needs are derived once per (document, operation) and cached; the
caller's grants come from the policy (cached per subject and policy version). One denial stops
the whole operation with a single FORBIDDEN error listing `extensions.deniedFields`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from threading import Lock

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    GraphQLSchema,
    ObjectValueNode,
    OperationDefinitionNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    execute_sync,
    visit,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from api.errors import ErrorCode
from api.policies.enforcer import AccessPolicy, Permission, subjects_of
from api.schema.restrict import restrict

# Arguments that filter or order by a field: reading through them needs that field's grant.
# A literal object needs the fields it names; a variable needs them all.
ARGUMENT_FIELDS: dict[tuple[str, str, str], dict[str, str] | str] = {
    ("Query", "households", "filter"): {
        "province": "Household.province",
        "region": "Household.region",
        "milieu": "Household.milieu",
        "status": "Household.status",
    },
    ("Query", "enrollments", "status"): "Enrollment.status",
    ("Query", "auditEvents", "filter"): {
        "actor": "AuditEvent.actor",
        "program": "AuditEvent.program",
        "operation": "AuditEvent.operation",
        "outcome": "AuditEvent.outcome",
        "subject": "AuditEvent.subjects",
        "from": "AuditEvent.at",
        "to": "AuditEvent.at",
    },
}


def schema_permissions(schema: GraphQLSchema) -> list[Permission]:
    """Every permission the schema can ask for: reading each field, calling each mutation."""
    out: list[Permission] = []
    mutation = schema.mutation_type.name if schema.mutation_type else None
    for name, gtype in schema.type_map.items():
        if name.startswith("__") or not isinstance(gtype, GraphQLObjectType):
            continue
        for field in gtype.fields:
            out.append((f"{name}.{field}", field if name == mutation else "read"))
    return out


class _Collector(Visitor):
    def __init__(self, type_info: TypeInfo, mutation: str | None) -> None:
        super().__init__()
        self.type_info = type_info
        self.mutation = mutation
        self.needed: set[Permission] = set()
        self.introspects = False

    def enter_field(self, node: FieldNode, *_args) -> None:
        parent = self.type_info.get_parent_type()
        name = node.name.value
        if name in ("__schema", "__type"):
            self.introspects = True
        if parent is None or name.startswith("__") or parent.name.startswith("__"):
            return
        if name not in getattr(parent, "fields", {}):
            return  # no such field: validation reports it (the check runs before validation)
        self.needed.add((f"{parent.name}.{name}", name if parent.name == self.mutation else "read"))
        for argument in node.arguments or ():
            mapping = ARGUMENT_FIELDS.get((parent.name, name, argument.name.value))
            if mapping is None:
                continue
            if isinstance(mapping, str):
                self.needed.add((mapping, "read"))
            elif isinstance(argument.value, ObjectValueNode):
                for item in argument.value.fields:
                    if item.name.value in mapping:
                        self.needed.add((mapping[item.name.value], "read"))
            else:
                self.needed.update((obj, "read") for obj in mapping.values())


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


def _fragments_used(document: DocumentNode, root) -> Iterator[FragmentDefinitionNode]:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    seen: set[str] = set()
    pending = [root]
    while pending:
        node = pending.pop()

        class Spreads(Visitor):
            def enter_fragment_spread(self, spread: FragmentSpreadNode, *_args) -> None:
                target = spread.name.value
                if target not in seen and target in fragments:
                    seen.add(target)
                    pending.append(fragments[target])

        visit(node, Spreads())
    for name in sorted(seen):
        yield fragments[name]


@dataclass(frozen=True)
class DocumentNeeds:
    permissions: frozenset[Permission]
    introspects: bool


def required_permissions(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None
) -> DocumentNeeds:
    operation = _operation(document, operation_name)
    if operation is None:
        return DocumentNeeds(frozenset(), False)
    mutation = schema.mutation_type.name if schema.mutation_type else None
    type_info = TypeInfo(schema)
    collector = _Collector(type_info, mutation)
    visit(operation, TypeInfoVisitor(type_info, collector))
    for fragment in _fragments_used(document, operation):
        type_info = TypeInfo(schema)
        collector.type_info = type_info
        visit(fragment, TypeInfoVisitor(type_info, collector))
    return DocumentNeeds(frozenset(collector.needed), collector.introspects)


class DocumentPermissions:
    """A bounded cache of the permissions each (query text, operation) needs."""

    def __init__(self, maxsize: int = 2048) -> None:
        self.maxsize = maxsize
        self._cache: OrderedDict[tuple[str, str | None], DocumentNeeds] = OrderedDict()
        self._lock = Lock()

    def get(self, schema: GraphQLSchema, query: str, document: DocumentNode,
            operation_name: str | None) -> DocumentNeeds:
        key = (query, operation_name)
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None:
                self._cache.move_to_end(key)
                return hit
        needed = required_permissions(schema, document, operation_name)
        with self._lock:
            self._cache[key] = needed
            if len(self._cache) > self.maxsize:
                self._cache.popitem(last=False)
        return needed


class FieldAccess(SchemaExtension):
    """Checks the whole document for the caller before execution."""

    policy: AccessPolicy
    permissions: DocumentPermissions
    _views: OrderedDict[tuple[str, frozenset[Permission]], GraphQLSchema] = OrderedDict()

    def on_parse(self):
        """Right after the parse, before validation: a document selecting what the caller may
        not read is refused without paying for its validation (a wide document refused for its
        fields costs a fraction of validating it)."""
        ec = self.execution_context
        context = ec.context
        document = ec.graphql_document
        self._needs = None
        if document is not None and getattr(context, "enforce_field_access", True):
            needs = self.permissions.get(ec.schema._schema, ec.query or "", document,
                                         ec.operation_name)
            principal = getattr(context, "principal", None)
            denied = self.policy.denied(subjects_of(principal), needs.permissions)
            context.selected_fields = sorted(obj for obj, _ in needs.permissions)
            if denied:
                context.denied_fields = denied
                if principal is None and context.response is not None:
                    context.response.status_code = 401
                raise _denial(principal, denied)
            self._needs = needs
        yield

    def on_execute(self):
        ec = self.execution_context
        context = ec.context
        document = ec.graphql_document
        needs = self._needs
        if document is not None and needs is not None:
            principal = getattr(context, "principal", None)
            subjects = subjects_of(principal)
            if needs.introspects and needs.permissions:
                ec.result = GraphQLExecutionResult(data=None, errors=[GraphQLError(
                    "Send introspection (__schema, __type) in an operation of its own.",
                    extensions={"code": ErrorCode.BAD_USER_INPUT.value},
                )])
            elif needs.introspects:
                # Introspection answers from the caller's own view of the schema.
                view = self._view(ec.schema._schema, self.policy.allowed(subjects))
                ec.result = execute_sync(view, document, variable_values=ec.variables,
                                         operation_name=ec.operation_name)
        yield

    def _view(self, schema: GraphQLSchema, allowed: frozenset[Permission]) -> GraphQLSchema:
        key = (self.policy.version, allowed)
        view = self._views.get(key)
        if view is None:
            view = restrict(schema, allowed)
            self._views[key] = view
            while len(self._views) > 64:
                self._views.popitem(last=False)
        return view


def _denial(principal, denied: list[str]) -> GraphQLError:
    if principal is None:
        return GraphQLError(
            "Authentication required: send `Authorization: Bearer <token>`.",
            extensions={"code": ErrorCode.UNAUTHENTICATED.value, "deniedFields": denied},
        )
    return GraphQLError(
        "This caller may not select: " + ", ".join(denied) + ".",
        extensions={"code": ErrorCode.FORBIDDEN.value, "deniedFields": denied},
    )
