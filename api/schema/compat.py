"""Schema compatibility: what a new schema breaks for clients written against a released one.

A released SDL is a file under `api/schema/released/` named for its version (`1.0.graphql`);
the newest is the one the code must stay compatible with. graphql-core decides what is breaking
(a removed field or type, an argument made required, a type changed …) and what is dangerous
(an enum value or an optional argument added: old clients keep working but may meet values
they do not expect).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    GraphQLSchema,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
)

RELEASED_DIR = Path(__file__).with_name("released")
_VERSION = re.compile(r"^(\d+(?:\.\d+)*)\.graphql$")


@dataclass(frozen=True)
class Change:
    kind: str  # graphql-core's change type, e.g. FIELD_REMOVED
    description: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.description}"


@dataclass(frozen=True)
class Compatibility:
    breaking: list[Change]
    dangerous: list[Change]

    @property
    def compatible(self) -> bool:
        return not self.breaking


def released_versions(directory: Path = RELEASED_DIR) -> list[tuple[tuple[int, ...], Path]]:
    """Released SDL files, oldest first, by their numeric version."""
    found = []
    for path in directory.glob("*.graphql"):
        match = _VERSION.match(path.name)
        if match:
            found.append((tuple(int(p) for p in match.group(1).split(".")), path))
    return sorted(found)


def latest_release(directory: Path = RELEASED_DIR) -> Path | None:
    versions = released_versions(directory)
    return versions[-1][1] if versions else None


def compare(old: GraphQLSchema | str, new: GraphQLSchema | str) -> Compatibility:
    """Changes from `old` (the released schema) to `new`; strings are SDL."""
    old_schema = build_schema(old) if isinstance(old, str) else old
    new_schema = build_schema(new) if isinstance(new, str) else new
    return Compatibility(
        breaking=[Change(c.type.name, c.description)
                  for c in find_breaking_changes(old_schema, new_schema)],
        dangerous=[Change(c.type.name, c.description)
                   for c in find_dangerous_changes(old_schema, new_schema)],
    )
