"""Field-level access: every field a document selects (through fragments, inline fragments and
aliases) and every field it filters by is checked for the caller before anything runs.

The permissions a document needs are derived once per (document, operation) and cached; the
caller's grants come from the policy (cached per subject and policy version). One denial stops
the whole operation with a single FORBIDDEN error listing `extensions.deniedFields`.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    execute_sync,
    get_named_type,
)
from graphql import ExecutionResult as GraphQLExecutionResult
from strawberry.extensions import SchemaExtension

from api.errors import ErrorCode
from api.policies.enforcer import AccessPolicy, Permission, subjects_of
from api.programs.catalogue import WITHOUT_PURPOSE, purpose_refused
from api.schema.document import MAX_NESTING
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
        "requestId": "AuditEvent.requestId",
        "role": "AuditEvent.roles",
        "purpose": "AuditEvent.purpose",
        "field": "AuditEvent.fields",
        "operationType": "AuditEvent.operationType",
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


class _Needs:
    """Walks an operation and the fragments it spreads (each once, under its type condition)
    and collects the permissions every field it selects or filters by needs. A direct walk,
    linear in the document: it runs on every new document before validation."""

    def __init__(self, schema: GraphQLSchema, document: DocumentNode) -> None:
        self.schema = schema
        self.mutation = schema.mutation_type.name if schema.mutation_type else None
        self.fragments = {d.name.value: d for d in document.definitions
                          if isinstance(d, FragmentDefinitionNode)}
        self.spread: set[str] = set()
        self.needed: set[Permission] = set()
        self.introspects = False
        self._nesting = 0

    def selection_set(self, node: SelectionSetNode | None, parent) -> None:
        if node is None:
            return
        self._nesting += 1
        if self._nesting > MAX_NESTING:  # the limits refuse such a document before this runs
            raise GraphQLError("The operation nests too deeply.",
                               extensions={"code": ErrorCode.QUERY_TOO_COMPLEX.value})
        for selection in node.selections:
            if isinstance(selection, FieldNode):
                self.field(selection, parent)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                inner = self.schema.get_type(condition.name.value) if condition else parent
                self.selection_set(selection.selection_set, inner)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is not None and name not in self.spread:
                    self.spread.add(name)
                    self.selection_set(fragment.selection_set,
                                       self.schema.get_type(fragment.type_condition.name.value))
        self._nesting -= 1

    def field(self, node: FieldNode, parent) -> None:
        name = node.name.value
        if name in ("__schema", "__type"):
            self.introspects = True
        selectable = isinstance(parent, GraphQLObjectType | GraphQLInterfaceType)
        definition = parent.fields.get(name) if selectable and not name.startswith("__") \
            and not parent.name.startswith("__") else None
        if definition is None:  # introspection, or no such field (validation reports it)
            return
        self.needed.add((f"{parent.name}.{name}",
                         name if parent.name == self.mutation else "read"))
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
        self.selection_set(node.selection_set, get_named_type(definition.type))


def _operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


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
    root = {"query": schema.query_type, "mutation": schema.mutation_type,
            "subscription": schema.subscription_type}[operation.operation.value]
    needs = _Needs(schema, document)
    needs.selection_set(operation.selection_set, root)
    return DocumentNeeds(frozenset(needs.needed), needs.introspects)


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
            allowed_purposes = purpose_refused(principal)
            if allowed_purposes is not None and {
                    obj for obj, _ in needs.permissions
                    if obj.startswith(("Query.", "Mutation."))} - WITHOUT_PURPOSE:
                context.selected_fields = sorted(obj for obj, _ in needs.permissions)
                raise _purpose_required(principal, allowed_purposes)
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


def _purpose_required(principal, allowed: tuple[str, ...]) -> GraphQLError:
    given = "no `purpose`" if principal.purpose is None else f"purpose {principal.purpose!r}"
    return GraphQLError(
        f"This program's token declares {given}: it must declare one of the program's "
        f"purposes ({', '.join(allowed) or 'none'}) to read or change registry data.",
        extensions={"code": ErrorCode.PURPOSE_REQUIRED.value, "allowedPurposes": list(allowed)},
    )


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
