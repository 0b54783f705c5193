"""Auditors' questions over the whole log, answered in the database (no record leaves it):
how many records by actor, program, role, outcome and day (`auditStatistics`), and which fields
a program is granted but never selected (`accessReview`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from tortoise.connection import get_connection
from tortoise.expressions import Subquery

from api.errors import BadUserInput
from api.models import AuditEvent, AuditSubject, Membership, Person
from api.services import paging
from api.services.audit import _utc, sequence, subject_page
from api.services.sqlparams import Params

GROUPINGS = ("ACTOR", "PROGRAM", "ROLE", "OUTCOME", "DAY")
MAX_GROUPS = 10_000  # rows of one answer; an actor grouping over years could exceed it


@dataclass(frozen=True)
class AuditCount:
    records: int
    actor: str | None = None
    program: str | None = None
    role: str | None = None
    outcome: str | None = None
    day: date | None = None


@dataclass(frozen=True)
class FieldUse:
    field: str
    requests: int


def _window(start: datetime | None, end: datetime | None, p: Params) -> str:
    """` AND at >= … AND at < …`, its values added to `p`."""
    return "".join(f" AND e.at {operator} {p(_utc(bound))}"
                   for bound, operator in ((start, ">="), (end, "<")) if bound is not None)


async def statistics(group_by: list[str], start: datetime | None = None,
                     end: datetime | None = None) -> list[AuditCount]:
    """Records counted by the groupings asked (each at most once, in the order of GROUPINGS in
    the answer's columns), most records first. A record of several roles (before release 1.1's
    one-role tokens) counts once under each; days are UTC days."""
    if not group_by:
        raise BadUserInput("Group by at least one of " + ", ".join(GROUPINGS) + ".",
                           field="groupBy")
    if len(set(group_by)) != len(group_by):
        raise BadUserInput("A grouping is given twice.", field="groupBy")
    if set(group_by) - set(GROUPINGS):
        raise BadUserInput("Group by " + ", ".join(GROUPINGS) + ".", field="groupBy")
    await sequence()
    conn = get_connection("default")
    postgres = conn.capabilities.dialect == "postgres"
    columns = {
        "ACTOR": "e.actor",
        "PROGRAM": "e.program",
        "ROLE": "r.value" if not postgres else "r",
        "OUTCOME": "e.outcome",
        "DAY": "(e.at AT TIME ZONE 'UTC')::date" if postgres else "date(e.at)",
    }
    chosen = [g for g in GROUPINGS if g in group_by]
    source = "audit_events e"
    if "ROLE" in chosen:
        source += (", jsonb_array_elements_text(e.roles) AS r" if postgres
                   else ", json_each(e.roles) AS r")
    p = Params(conn)
    where = "WHERE 1 = 1" + _window(start, end, p)
    select = ", ".join(f"{columns[g]} AS g{i}" for i, g in enumerate(chosen))
    keys = ", ".join(f"g{i}" for i in range(len(chosen)))
    sql = (f"SELECT {select}, count(*) AS records FROM {source} {where} GROUP BY {keys} "
           f"ORDER BY records DESC, {keys} LIMIT {MAX_GROUPS}")
    rows = await conn.execute_query_dict(sql, p.values)
    out = []
    for row in rows:
        values = {g.lower(): row[f"g{i}"] for i, g in enumerate(chosen)}
        if "day" in values and isinstance(values["day"], str):
            values["day"] = date.fromisoformat(values["day"])
        out.append(AuditCount(records=int(row["records"]), **values))
    return out


async def field_use(program: str, granted: list[str], start: datetime | None = None,
                    end: datetime | None = None) -> list[FieldUse]:
    """For each field granted to the program, how many of its requests selected it in the
    window: fields never selected first (candidates for revoking), then by name."""
    await sequence()
    conn = get_connection("default")
    postgres = conn.capabilities.dialect == "postgres"
    p = Params(conn)
    field_rows = ("jsonb_array_elements_text(e.fields) AS f" if postgres
                  else "json_each(e.fields) AS f")
    value = "f" if postgres else "f.value"
    sql = (f"SELECT {value} AS field, count(*) AS requests FROM audit_events e, {field_rows} "
           f"WHERE e.program = {p(program)}" + _window(start, end, p)
           + f" GROUP BY {value}")
    used = {row["field"]: int(row["requests"])
            for row in await conn.execute_query_dict(sql, p.values)}
    uses = [FieldUse(field=name, requests=used.get(name, 0)) for name in sorted(set(granted))]
    return sorted(uses, key=lambda u: (u.requests != 0, u.field))


async def data_accesses(idcs: str, *, first: int, after: int | None):
    """A citizen's transparency page: the records of requests by anyone else that returned or
    changed their person or a household they belong or belonged to, newest first (keyset on
    the sequence): (rows, has_next_page, total count)."""
    paging.check_first(first)
    await sequence()
    subjects = [idcs]
    person = await Person.get_or_none(idcs=idcs)
    if person is not None:
        households = await Membership.filter(person_id=person.id).values_list(
            "household_id", flat=True)
        subjects += sorted({str(h) for h in households})
    query = AuditEvent.filter(outcome="ALLOWED").exclude(actor=idcs)
    total = paging.TotalCount(query.filter(
        sequence__in=Subquery(AuditSubject.filter(subject__in=subjects).values("sequence"))))
    return await subject_page(query, subjects, first=first, after=after, total=total)
