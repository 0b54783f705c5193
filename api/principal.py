"""Who is calling: the principal a verified token establishes (api/http/auth.py), which services,
policies and resolvers act for. It knows nothing of tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("admin", "registrar", "program_agency", "citizen", "auditor", "analyst")


@dataclass(frozen=True)
class Principal:
    """Who is calling, as established by a verified token."""

    subject: str
    roles: frozenset[str]
    program: str | None = None
    provinces: frozenset[str] = frozenset()
    purpose: str | None = None
    claims: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def role(self) -> str:
        """The token's one role (contract §2a: several roles in one token are refused)."""
        (role,) = self.roles
        return role

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles
