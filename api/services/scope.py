"""Row scopes of contract §4: which persons and households a caller may see or change.

Out-of-scope rows are reported as NOT_FOUND by the callers of these functions, never as
"exists but forbidden".
"""

from __future__ import annotations

from tortoise.expressions import Q

from api.errors import Forbidden
from api.principal import Principal


def household_filter(principal: Principal, citizen_household_id: str | None) -> Q | None:
    """A filter on `households` for listing, or None when the caller may see none."""
    if principal.is_admin:
        return Q()
    clauses: list[Q] = []
    if principal.has("registrar") and principal.provinces:
        clauses.append(Q(province_id__in=sorted(principal.provinces)))
    if principal.has("citizen") and citizen_household_id is not None:
        clauses.append(Q(id=citizen_household_id))
    if not clauses:
        return None
    return Q(*clauses, join_type=Q.OR)


def can_read_household(
    principal: Principal, province_code: str, household_id: str, citizen_household_id: str | None
) -> bool:
    if principal.is_admin:
        return True
    if principal.has("registrar") and province_code in principal.provinces:
        return True
    return principal.has("citizen") and citizen_household_id == str(household_id)


def can_read_person(principal: Principal, idcs: str) -> bool:
    """Direct lookup by IDCS (`person(idcs)`): admins and registrars, citizens for themselves."""
    if principal.is_admin or principal.has("registrar"):
        return True
    return principal.has("citizen") and principal.subject == idcs


def can_browse(principal: Principal) -> bool:
    return principal.is_admin or principal.has("registrar") or principal.has("citizen")


def require_any_role(principal: Principal, *roles: str) -> None:
    if not any(principal.has(role) for role in roles):
        raise Forbidden(f"This operation needs one of the roles: {', '.join(roles)}.")


def can_write_household(
    principal: Principal, province_code: str, household_id: str | None, citizen_household_id: str | None
) -> bool:
    """Member updates: admins anywhere, registrars in their provinces, citizens on their own household."""
    if principal.is_admin:
        return True
    if principal.has("registrar") and province_code in principal.provinces:
        return True
    return (
        principal.has("citizen")
        and household_id is not None
        and citizen_household_id == str(household_id)
    )
