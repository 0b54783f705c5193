"""Resolvers of the auditors' queries: the audit log, the state of its hash chain, and the
registry's statistics. They return the services' rows; the schema layer wraps them in GraphQL
types."""

from __future__ import annotations

from api.policies.enforcer import subjects_of
from api.principal import Principal
from api.programs.catalogue import catalogue
from api.resolvers.context import RequestContext
from api.services import anomalies, audit, audit_reports, statistics


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


async def audit_statistics(ctx: RequestContext, group_by: list[str], start, end):
    ctx.require_principal()
    return await audit_reports.statistics(group_by, start, end)


async def access_review(ctx: RequestContext, program: str, start, end, policy):
    """What the program is granted to read, and how often its requests selected each field."""
    ctx.require_principal()
    agency = Principal(subject="review", roles=frozenset({"program_agency"}), program=program)
    granted = [obj for obj, act in policy.allowed(subjects_of(agency)) if act == "read"]
    return await audit_reports.field_use(program, granted, start, end)


async def my_data_accesses(ctx: RequestContext, *, first: int, after: str | None):
    """The calling citizen's own page of accesses by others (its `sub` is its IDCS). The policy
    grants it to citizens (and to admins, who hold every grant: their `sub` is no IDCS and no
    record names it, so their page is empty)."""
    principal = ctx.require_principal()
    return await audit_reports.data_accesses(
        principal.subject, first=first,
        after=audit.decode_cursor(after) if after is not None else None)


async def audit_anomalies(ctx: RequestContext, start, end) -> list[anomalies.Anomaly]:
    ctx.require_principal()
    return await anomalies.find(start, end, catalogue())


async def anomaly_records(ctx: RequestContext, anomaly: anomalies.Anomaly, first: int):
    """The first `first` audit records behind the anomaly, in sequence order."""
    ctx.require_principal()
    return await anomalies.records_filter(anomaly).limit(first)


async def anomaly_record_count(ctx: RequestContext, anomaly: anomalies.Anomaly) -> int:
    ctx.require_principal()
    return await anomalies.records_filter(anomaly).count()
