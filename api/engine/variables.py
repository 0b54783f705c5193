"""Variables of the plain shapes the hot documents use — `String!`, `ID!`, `[String!]!`, `[ID!]!`
without a default — taken as they are when they hold exactly strings: graphql-core's coercion
would return the same values after walking a bulk request's thousand ids three times. Anything
else (a missing, extra or mistyped variable, a null, another type) is left to graphql-core,
which coerces it or reports it. tests/unit/test_plain_variables.py compares the two over
generated variables."""

from __future__ import annotations

from graphql import (
    GraphQLSchema,
    ListTypeNode,
    NamedTypeNode,
    NonNullTypeNode,
    OperationDefinitionNode,
)
from graphql.execution.get_variable_signature import (
    GraphQLVariableSignature,
    get_variable_signature,
)
from graphql.execution.values import VariableValues, VariableValueSource

_PLAIN = frozenset({"String", "ID"})  # a JSON string is coerced to itself


class PlainVariables:
    __slots__ = ("names", "lists", "signatures")

    def __init__(self, signatures: dict[str, GraphQLVariableSignature],
                 lists: frozenset[str]) -> None:
        self.signatures = signatures
        self.names = frozenset(signatures)
        self.lists = lists  # the variables of a list type

    @classmethod
    def of(cls, schema: GraphQLSchema,
           operation: OperationDefinitionNode) -> PlainVariables | None:
        """None when a variable of the operation is of another shape, or has a default."""
        signatures, lists = {}, set()
        for definition in operation.variable_definitions or ():
            kind = plain_kind(definition.type)
            if kind is None or definition.default_value is not None or definition.directives:
                return None
            signature = get_variable_signature(schema, definition)
            if not isinstance(signature, GraphQLVariableSignature):
                return None
            signatures[signature.name] = signature
            if kind == "list":
                lists.add(signature.name)
        return cls(signatures, frozenset(lists))

    def coerce(self, values) -> VariableValues | None:
        """The variables as graphql-core coerces them, or None: graphql-core's to do."""
        if values is None:
            values = {}
        if type(values) is not dict or values.keys() != self.names:
            return None
        coerced = {}
        for name, value in values.items():
            if name in self.lists:
                if type(value) is not list:
                    return None
                for item in value:
                    if type(item) is not str:
                        return None
                value = list(value)
            elif type(value) is not str:
                return None
            coerced[name] = value
        return VariableValues(
            {name: VariableValueSource(self.signatures[name], value)
             for name, value in values.items()}, coerced)


def plain_kind(node) -> str | None:
    """"string" for `String!` (or `ID!`), "list" for `[String!]!` (or `[ID!]!`), else None."""
    if not isinstance(node, NonNullTypeNode):
        return None
    inner = node.type
    if isinstance(inner, NamedTypeNode):
        return "string" if inner.name.value in _PLAIN else None
    if isinstance(inner, ListTypeNode) and isinstance(inner.type, NonNullTypeNode) \
            and isinstance(inner.type.type, NamedTypeNode) and inner.type.type.name.value in _PLAIN:
        return "list"
    return None
