"""The schema as one caller may see it: only the fields it may select, and the types they reach.

Used for `sijill schema export --program P | --role R` (the data contract a partner signs) and to
answer introspection, so that a caller discovers nothing it may not select.
"""

from __future__ import annotations

from collections.abc import Iterable

from graphql import (
    DocumentNode,
    EnumTypeDefinitionNode,
    GraphQLSchema,
    InputObjectTypeDefinitionNode,
    NamedTypeNode,
    ObjectTypeDefinitionNode,
    ScalarTypeDefinitionNode,
    build_ast_schema,
    parse,
    print_schema,
)

Permission = tuple[str, str]


def _named(type_node) -> str:
    while not isinstance(type_node, NamedTypeNode):
        type_node = type_node.type
    return type_node.name.value


def restrict(schema: GraphQLSchema, allowed: Iterable[Permission],
             enum_values: dict[str, set[str]] | None = None) -> GraphQLSchema:
    """`enum_values`: enums to show only some values of (a program's SDL lists only its own
    ProgramCode)."""
    allowed = set(allowed)
    mutation = schema.mutation_type.name if schema.mutation_type else "Mutation"
    document: DocumentNode = parse(print_schema(schema))
    definitions = {d.name.value: d for d in document.definitions if hasattr(d, "name")}

    def granted(type_name: str, field: str) -> bool:
        return (f"{type_name}.{field}", field if type_name == mutation else "read") in allowed

    fields = {
        name: [f for f in d.fields if granted(name, f.name.value)]
        for name, d in definitions.items()
        if isinstance(d, ObjectTypeDefinitionNode)
    }
    # Drop fields whose object type lost every field, until nothing changes.
    changed = True
    while changed:
        changed = False
        live = {name for name, kept in fields.items() if kept}
        for name, kept in fields.items():
            pruned = [
                f for f in kept
                if not isinstance(definitions.get(_named(f.type)), ObjectTypeDefinitionNode)
                or _named(f.type) in live
            ]
            if len(pruned) != len(kept):
                fields[name] = pruned
                changed = True

    # Keep what the roots reach: object types through fields, inputs and enums through arguments.
    reachable: set[str] = set()
    pending = [root for root in ("Query", mutation) if fields.get(root)]
    while pending:
        name = pending.pop()
        if name in reachable or name not in definitions:
            continue
        reachable.add(name)
        node = definitions[name]
        if isinstance(node, ObjectTypeDefinitionNode):
            for f in fields[name]:
                pending.append(_named(f.type))
                pending.extend(_named(a.type) for a in f.arguments or ())
        elif isinstance(node, InputObjectTypeDefinitionNode):
            pending.extend(_named(f.type) for f in node.fields or ())

    kept_definitions = []
    for name, node in definitions.items():
        if name not in reachable:
            continue
        if isinstance(node, ObjectTypeDefinitionNode):
            node = ObjectTypeDefinitionNode(
                name=node.name, description=node.description, interfaces=node.interfaces,
                directives=node.directives, fields=tuple(fields[name]),
            )
        elif isinstance(node, EnumTypeDefinitionNode) and name in (enum_values or {}):
            node = EnumTypeDefinitionNode(
                name=node.name, description=node.description, directives=node.directives,
                values=tuple(v for v in node.values if v.name.value in enum_values[name]))
        elif not isinstance(node, InputObjectTypeDefinitionNode | EnumTypeDefinitionNode
                            | ScalarTypeDefinitionNode):
            continue
        kept_definitions.append(node)
    if "Query" not in reachable:
        # A schema needs a query root: an empty caller still sees `__typename`.
        return build_ast_schema(parse("type Query { _empty: Boolean }"))
    return build_ast_schema(DocumentNode(definitions=tuple(kept_definitions)))


def restricted_sdl(schema: GraphQLSchema, allowed: Iterable[Permission],
                   enum_values: dict[str, set[str]] | None = None) -> str:
    return print_schema(restrict(schema, allowed, enum_values)) + "\n"
