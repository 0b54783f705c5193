"""How many items a list field may return, declared beside the field:

    @strawberry.field(description=…, metadata=cost.at_most(20))
    @strawberry.field(description=…, metadata=cost.sized_by("first", default=20, most=100))

The cost of an operation (api/schema/document.py: `operation_cost`) multiplies each field's
sub-selection by that bound; a field that declares none returns one item. The bound travels with
the strawberry field into the GraphQL schema (`GraphQLField.extensions`), so that the measure
reads it from the field it walks — `Household.enrollments` and the root `enrollments` each have
their own, and a new list field is costed where it is written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from graphql import GraphQLField

KEY = "sijill.cost"
_STRAWBERRY = "strawberry-definition"  # strawberry's back-reference in GraphQLField.extensions


@dataclass(frozen=True)
class ListBound:
    """At most `most` items (an int, or a function for a bound that changes, such as the
    catalogue's size); or, with `argument`, as many as that argument says (an int, or the
    length of a list), `default` when it is left out, never more than `most`."""

    most: int | Callable[[], int]
    argument: str | None = None
    default: int = 0

    def maximum(self) -> int:
        return self.most() if callable(self.most) else self.most


def at_most(most: int | Callable[[], int]) -> dict:
    return {KEY: ListBound(most=most)}


def sized_by(argument: str, *, default: int, most: int) -> dict:
    return {KEY: ListBound(most=most, argument=argument, default=default)}


def bound_of(field: GraphQLField) -> ListBound | None:
    """The bound declared on a schema field; None for a field that returns one item (and for
    introspection's own fields)."""
    definition = (field.extensions or {}).get(_STRAWBERRY)
    metadata = getattr(definition, "metadata", None)
    return metadata.get(KEY) if metadata else None
