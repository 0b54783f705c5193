"""The per-request context handed to every resolver."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.errors import Unauthenticated
from api.principal import Principal
from api.resolvers.loaders import Loaders
from api.services import households


@dataclass
class RequestContext:
    request: Any
    response: Any
    principal: Principal | None
    loaders: Loaders = field(default_factory=Loaders)
    enforce_field_access: bool = True
    selected_fields: list[str] = field(default_factory=list)
    denied_fields: list[str] = field(default_factory=list)
    _citizen_household: Any = field(default=..., repr=False)

    def require_principal(self) -> Principal:
        if self.principal is None:
            if self.response is not None:
                self.response.status_code = 401
            raise Unauthenticated("Authentication required: send `Authorization: Bearer <token>`.")
        return self.principal

    async def citizen_household_id(self) -> str | None:
        """The caller's own household when the caller is a citizen (looked up once per request)."""
        if self._citizen_household is ...:
            principal = self.require_principal()
            self._citizen_household = await households.citizen_household_id(principal)
        return self._citizen_household
