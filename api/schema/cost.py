"""A cost limit that counts list sizes, so that one request cannot ask for the whole register.

cost(field) = 1 + size × Σ cost(selected sub-fields), where `size` is how many items a list
field may return: its `first` argument (or default) for connections, the number of ids asked for
bulk eligibility, a fixed bound for the other lists. Fragments are expanded. Variables are read,
so the cost is computed per request (it is cheap: one walk of the operation).
"""

from __future__ import annotations

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    VariableNode,
)
from strawberry.extensions import SchemaExtension

from api.errors import ErrorCode

MAX_COST = 50_000

# List fields whose size comes from an argument: (argument, default, the argument's own maximum).
# A size over its maximum counts as the maximum here: the resolver refuses it as BAD_USER_INPUT.
SIZED_BY_ARGUMENT = {
    "households": ("first", 20, 100),
    "enrollments": ("first", 20, 100),
    "auditEvents": ("first", 50, 100),
    "eligibilities": ("idcs", 0, 1000),
}
# Other list fields and the most items they return.
LIST_BOUNDS = {
    "members": 15,
    "indexHistory": 20,
    "enrollments": 10,
    "components": 30,
    "regions": 12,
    "provinces": 75,
    "programs": 3,
    "accessPolicy": 1500,
    "registryStatistics": 100,
    "allowedFields": 1,
    "roles": 1,
    "assets": 1,
    "reasons": 1,
    "fields": 1,
    "deniedFields": 1,
    "subjects": 1,
}


def _argument_size(node: FieldNode, variables: dict, name: str, default: int) -> int:
    for argument in node.arguments or ():
        if argument.name.value != name:
            continue
        value = argument.value
        if isinstance(value, VariableNode):
            resolved = (variables or {}).get(value.name.value)
        elif isinstance(value, IntValueNode):
            resolved = int(value.value)
        elif isinstance(value, ListValueNode):
            resolved = list(value.values)
        else:
            resolved = None
        if isinstance(resolved, list):
            return len(resolved)
        if isinstance(resolved, int):
            return max(resolved, 0)
        return default
    return default


def operation_cost(document, operation_name: str | None, variables: dict | None) -> int:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next((o for o in operations
                      if operation_name is None or (o.name and o.name.value == operation_name)),
                     None)
    if operation is None:
        return 0
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}

    def selection_cost(selection_set, seen: frozenset[str]) -> int:
        total = 0
        for selection in selection_set.selections if selection_set else ():
            if isinstance(selection, FieldNode):
                total += field_cost(selection, seen)
            elif isinstance(selection, InlineFragmentNode):
                total += selection_cost(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if name in fragments and name not in seen:  # cycles are refused by validation
                    total += selection_cost(fragments[name].selection_set, seen | {name})
        return total

    def field_cost(node: FieldNode, seen: frozenset[str]) -> int:
        name = node.name.value
        if name in SIZED_BY_ARGUMENT:
            argument, default, maximum = SIZED_BY_ARGUMENT[name]
            size = min(_argument_size(node, variables or {}, argument, default), maximum)
        else:
            size = LIST_BOUNDS.get(name, 1)
        return 1 + size * selection_cost(node.selection_set, seen)

    return selection_cost(operation.selection_set, frozenset())


class CostLimit(SchemaExtension):
    max_cost = MAX_COST

    def on_execute(self):
        ec = self.execution_context
        if ec.graphql_document is not None and ec.result is None:
            cost = operation_cost(ec.graphql_document, ec.operation_name, ec.variables)
            if cost > self.max_cost:
                ec.result = GraphQLExecutionResult(data=None, errors=[GraphQLError(
                    f"Query cost {cost} is over the limit of {self.max_cost}: ask for fewer "
                    "items (smaller `first`, fewer ids) or fewer nested lists.",
                    extensions={"code": ErrorCode.QUERY_TOO_COMPLEX.value, "cost": cost,
                                "maxCost": self.max_cost},
                )])
        yield
