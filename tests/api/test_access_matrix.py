"""The field-level access matrix over HTTP, generated from the schema (contract §4).

For every caller kind and every permission of the schema (`Type.field` read, or a mutation's
call) a minimal document reaching that field from the root is built and sent. The answer must
follow the policy exactly: when everything the document selects is granted, no field is
denied (any other outcome — data, NOT_FOUND, BAD_USER_INPUT, a service-level FORBIDDEN
without deniedFields — is fine); otherwise a single FORBIDDEN error (UNAUTHENTICATED and 401
for anonymous callers) lists exactly the denied `Type.field`s and nothing runs (data null).

The list of permissions and the paths to them come from the live schema, so a field added
to the schema is in the matrix at once.
"""

from __future__ import annotations

import uuid
from collections import deque
from dataclasses import dataclass

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
    is_composite_type,
    is_required_argument,
    is_required_input_field,
    parse,
)

from api.http.auth import TokenVerifier
from api.identifiers import new_idcs
from api.policies.enforcer import subjects_of
from api.schema.access import required_permissions, schema_permissions
from api.schema.schema import access_policy, schema

pytestmark = pytest.mark.e2e

GRAPHQL_SCHEMA = schema._schema
QUERY = GRAPHQL_SCHEMA.query_type.name
MUTATION = GRAPHQL_SCHEMA.mutation_type.name
PERMISSIONS = sorted(schema_permissions(GRAPHQL_SCHEMA))

CALLERS = ["admin", "registrar", "citizen", "auditor", "analyst", "program:AMO_TADAMON", "program:ASD",
           "program:TAYSSIR", "anonymous"]

SCALARS = {
    "String": lambda: '"x"',
    "ID": lambda: f'"{uuid.uuid4()}"',
    "Int": lambda: "1",
    "Float": lambda: "1.0",
    "Boolean": lambda: "false",
    "Date": lambda: '"2020-01-01"',
    "DateTime": lambda: '"2020-01-01T00:00:00+00:00"',
}


def paths_to_types() -> dict[str, list[tuple[str, str]]]:
    """For each object type: the shortest chain of (Type, field) steps from a root that
    reaches it. Query paths are preferred; Mutation only for types no query reaches."""
    best: dict[str, list[tuple[str, str]]] = {}
    for root in (GRAPHQL_SCHEMA.query_type, GRAPHQL_SCHEMA.mutation_type):
        if root.name in best:
            continue
        best[root.name] = []
        queue = deque([root])
        while queue:
            gtype = queue.popleft()
            for name, field in gtype.fields.items():
                target = get_named_type(field.type)
                if isinstance(target, GraphQLObjectType) and target.name not in best:
                    best[target.name] = best[gtype.name] + [(gtype.name, name)]
                    queue.append(target)
    return best


PATHS = paths_to_types()


def literal(gtype, arg_name: str, program: str | None) -> str:
    """A literal of the right type for a required argument or input field."""
    if isinstance(gtype, GraphQLNonNull):
        gtype = gtype.of_type
    if isinstance(gtype, GraphQLList):
        return f"[{literal(gtype.of_type, arg_name, program)}]"
    if isinstance(gtype, GraphQLEnumType):
        if gtype.name == "ProgramCode" and program is not None:
            return program  # the caller's own program: the document then reaches the data
        return next(iter(gtype.values))
    if isinstance(gtype, GraphQLInputObjectType):
        items = [f"{n}: {literal(f.type, n, program)}" for n, f in gtype.fields.items()
                 if is_required_input_field(f)]
        return "{" + ", ".join(items) + "}"
    assert isinstance(gtype, GraphQLScalarType), gtype
    if gtype.name == "String" and "idcs" in arg_name.lower():
        return f'"{new_idcs()}"'
    return SCALARS[gtype.name]()


@dataclass
class Probe:
    target: str  # "Type.field"
    action: str
    document: str
    needed: frozenset[tuple[str, str]]  # every permission the document selects


def build_probe(type_name: str, field_name: str, program: str | None) -> Probe:
    steps = PATHS[type_name] + [(type_name, field_name)]
    root = steps[0][0]
    variables: list[str] = []
    needed: set[tuple[str, str]] = set()
    calls: list[str] = []
    for parent, name in steps:
        field = GRAPHQL_SCHEMA.type_map[parent].fields[name]
        args = []
        for arg_name, arg in field.args.items():
            if not is_required_argument(arg):
                continue
            if parent == MUTATION and isinstance(get_named_type(arg.type), GraphQLInputObjectType):
                # a variable whose value is never sent: the access check runs before the
                # variables are coerced, so a granted call fails on the missing value
                variables.append(f"${arg_name}: {arg.type}")
                args.append(f"{arg_name}: ${arg_name}")
            else:
                args.append(f"{arg_name}: {literal(arg.type, arg_name, program)}")
        calls.append(name + (f"({', '.join(args)})" if args else ""))
        needed.add((f"{parent}.{name}", name if parent == MUTATION else "read"))
    last = GRAPHQL_SCHEMA.type_map[type_name].fields[field_name]
    body = "{ __typename }" if is_composite_type(get_named_type(last.type)) else ""
    for call in reversed(calls):
        body = f"{{ {call} {body} }}"
    operation = "mutation" if root == MUTATION else "query"
    header = f"{operation}({', '.join(variables)})" if variables else operation
    action = field_name if type_name == MUTATION else "read"
    return Probe(f"{type_name}.{field_name}", action, f"{header} {body}", frozenset(needed))


def test_every_object_type_is_reachable_and_probes_are_well_formed():
    objects = {name for name, t in GRAPHQL_SCHEMA.type_map.items()
               if isinstance(t, GraphQLObjectType) and not name.startswith("__")}
    assert objects <= set(PATHS), sorted(objects - set(PATHS))
    for obj, action in PERMISSIONS:
        type_name, field_name = obj.split(".")
        probe = build_probe(type_name, field_name, None)
        assert probe.action == action
        # the server's collector sees exactly the fields the probe was built from
        needs = required_permissions(GRAPHQL_SCHEMA, parse(probe.document), None)
        assert getattr(needs, "permissions", needs) == probe.needed, probe.document
        assert (obj, action) in probe.needed
    print(f"\naccess matrix: {len(PERMISSIONS)} permissions x {len(CALLERS)} callers "
          f"= {len(PERMISSIONS) * len(CALLERS)} requests")


def token_for(tokens, caller: str) -> tuple[str | None, str | None]:
    """(token, program) for a caller kind."""
    if caller == "anonymous":
        return None, None
    if caller.startswith("program:"):
        code = caller.split(":", 1)[1]
        return tokens.program(code), code
    if caller == "registrar":
        return tokens.registrar("038"), None
    if caller == "citizen":
        return tokens.citizen(new_idcs()), None
    return getattr(tokens, caller)(), None


def check(probe: Probe, granted: frozenset, anonymous: bool, status: int, body: dict) -> list[str]:
    """Mismatches between the answer and the policy, as readable lines (empty when right)."""
    expected = sorted({obj for obj, act in probe.needed if (obj, act) not in granted})
    target_granted = (probe.target, probe.action) in granted
    errors = body.get("errors") or []
    denied = sorted({f for e in errors for f in (e.get("extensions") or {}).get("deniedFields", [])})
    where = f"{probe.target} ({'granted' if target_granted else 'not granted'})"
    problems = []
    if expected:
        code = "UNAUTHENTICATED" if anonymous else "FORBIDDEN"
        if not target_granted and probe.target not in denied:
            problems.append(f"{where}: target missing from deniedFields {denied}")
        if denied != expected:
            problems.append(f"{where}: deniedFields {denied}, expected {expected}")
        if [(e.get("extensions") or {}).get("code") for e in errors] != [code]:
            problems.append(f"{where}: expected one {code} error, got {errors}")
        if body.get("data") is not None:
            problems.append(f"{where}: denied yet data {body.get('data')}")
        if status != (401 if anonymous else 200):
            problems.append(f"{where}: HTTP {status}")
    else:
        if probe.target in denied or denied:
            problems.append(f"{where}: granted document denied {denied}")
        internal = [e for e in errors if (e.get("extensions") or {}).get("code") == "INTERNAL"]
        if internal:
            problems.append(f"{where}: INTERNAL error {internal}")
        if not errors and body.get("data") is None:
            problems.append(f"{where}: neither data nor errors: {body}")
    return [f"{p}\n    document: {probe.document}" for p in problems]


@pytest.mark.parametrize("caller", CALLERS)
async def test_access_matrix(caller, gql, tokens, settings):
    token, program = token_for(tokens, caller)
    principal = None if token is None else await TokenVerifier(settings).verify(token)
    granted = access_policy().allowed(subjects_of(principal))
    assert (caller == "anonymous") == (principal is None)

    mismatches: list[str] = []
    sent = denied_count = 0
    for obj, _action in PERMISSIONS:
        type_name, field_name = obj.split(".")
        probe = build_probe(type_name, field_name, program)
        response = await gql.raw(probe.document, token=token)
        body = response.json()
        sent += 1
        denied_count += any(p not in granted for p in probe.needed)
        mismatches += check(probe, granted, principal is None, response.status_code, body)

    print(f"\n{caller}: {sent} requests, {sent - denied_count} granted, {denied_count} denied")
    assert sent == len(PERMISSIONS)
    assert mismatches == [], f"{caller}: {len(mismatches)} mismatches\n" + "\n".join(mismatches)


@pytest.mark.parametrize("document,needs", [
    ("{ ... on HouseholdFilter { province } }", set()),  # an input type: validation refuses it
    ("{ me { ... on Viewer { subject } } }", {"Query.me", "Viewer.subject"}),
    ("{ ...Q } fragment Q on Query { programs { code } }", {"Query.programs", "Program.code"}),
    ("{ __schema { types { name } } programs { code } }", {"Query.programs", "Program.code"}),
    ("{ me { nope { subject } } }", {"Query.me"}),
])
def test_the_permissions_a_document_needs(document, needs):
    found = required_permissions(GRAPHQL_SCHEMA, parse(document), None)
    assert {obj for obj, _ in found.permissions} == needs
