"""Resolvers of the auditors' queries: the audit log, the state of its hash chain, and the
registry's statistics. They return the services' rows; the schema layer wraps them in GraphQL
types."""

from __future__ import annotations

from api.resolvers.context import RequestContext
from api.services import audit, statistics


async def audit_events(ctx: RequestContext, *, first: int, after: str | None, **filters):
    """(rows, has_next, total) of the log, newest first, filtered (audit.AuditFilters)."""
    ctx.require_principal()
    filters = audit.AuditFilters(**filters)
    return await audit.list_events(filters, first=first, after=after)


def audit_event_cursor(row) -> str:
    return audit.encode_cursor(row.sequence)


async def audit_chain(ctx: RequestContext) -> audit.ChainStatus:
    ctx.require_principal()
    return await audit.chain_status()


async def registry_statistics(ctx: RequestContext, group_by: str):
    ctx.require_principal()
    return await statistics.registry_statistics(group_by)
