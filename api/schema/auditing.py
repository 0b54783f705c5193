"""The audit log and the register's statistics, for auditors: types and root fields."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.errors import BadUserInput
from api.models import AuditEvent as AuditEventRow
from api.resolvers import auditing as audit_resolvers
from api.schema import cost
from api.schema.enums import ProgramCode
from api.schema.paging import PageInfo, connection_of
from api.services import anomalies
from api.services.anomalies import Anomaly
from api.services.paging import TotalCount


@strawberry.enum
class AuditOutcome(Enum):
    ALLOWED = "ALLOWED"
    DENIED = "DENIED"
    ERROR = "ERROR"


@strawberry.type(description="One GraphQL operation as recorded, hash-chained to the previous one.")
class AuditEvent:
    row: strawberry.Private[AuditEventRow]

    @strawberry.field(description="Gap-free position in the log, from 1.")
    def sequence(self) -> int:
        return self.row.sequence

    @strawberry.field
    def at(self) -> datetime:
        return self.row.at

    @strawberry.field(description="The token's `sub`, or `anonymous`.")
    def actor(self) -> str:
        return self.row.actor

    @strawberry.field
    def roles(self) -> list[str]:
        return list(self.row.roles)

    @strawberry.field
    def program(self) -> str | None:
        return self.row.program

    @strawberry.field(description="The token's `purpose` claim.")
    def purpose(self) -> str | None:
        return self.row.purpose

    @strawberry.field(description="Operation name, or `anonymous`.")
    def operation(self) -> str:
        return self.row.operation

    @strawberry.field(description="query, mutation, or unknown when the document did not parse.")
    def operation_type(self) -> str:
        return self.row.operation_type

    @strawberry.field(description='Every "Type.field" the operation selected.')
    def fields(self) -> list[str]:
        return list(self.row.fields_selected)

    @strawberry.field(description="The fields the caller was refused (outcome DENIED).")
    def denied_fields(self) -> list[str]:
        return list(self.row.denied_fields)

    @strawberry.field(description="IDCS and household ids whose data was returned or changed.")
    def subjects(self) -> list[str]:
        return list(self.row.subjects)

    @strawberry.field
    def outcome(self) -> AuditOutcome:
        return AuditOutcome(self.row.outcome)

    @strawberry.field
    def error_code(self) -> str | None:
        return self.row.error_code

    @strawberry.field(description="The server's id of the request, unique; also returned to the "
                                  "caller in the X-Request-Id header.")
    def request_id(self) -> str:
        return self.row.request_id

    @strawberry.field(description="The X-Request-Id the client sent, if any.")
    def client_request_id(self) -> str | None:
        return self.row.client_request_id

    @strawberry.field(description="For refusals before authentication: the client's address.")
    def client_address(self) -> str | None:
        return self.row.client_address

    @strawberry.field(description="For a record aggregating refusals before authentication past "
                                  "the client's limit: how many it stands for (one record per "
                                  "client and minute).")
    def count(self) -> int | None:
        return self.row.count

    @strawberry.field(description="Version of the access policy in force.")
    def policy_version(self) -> str:
        return self.row.policy_version

    @strawberry.field(description="Version of the program catalogue in force (release 1.1).")
    def catalogue_version(self) -> str | None:
        return self.row.catalogue_version

    @strawberry.field
    def previous_hash(self) -> str:
        return self.row.previous_hash

    @strawberry.field(description="SHA-256 over previousHash and the record's canonical JSON.")
    def hash(self) -> str:
        return self.row.hash


@strawberry.type
class AuditEventEdge:
    cursor: str
    node: AuditEvent


@strawberry.type
class AuditEventConnection:
    edges: list[AuditEventEdge]
    page_info: PageInfo
    total: strawberry.Private[TotalCount]

    @strawberry.field
    async def total_count(self) -> int:
        return await self.total.get()


@strawberry.type(description="Result of verifying the hash chain, from the last verified point.")
class AuditChainStatus:
    valid: bool
    length: int = strawberry.field(description="Records verified before the first break.")
    head_hash: str | None
    first_invalid_sequence: int | None


@strawberry.input
class AuditFilter:
    actor: str | None = None
    program: str | None = None
    operation: str | None = None
    outcome: AuditOutcome | None = None
    subject: str | None = strawberry.field(default=None, description="An IDCS or a household id.")
    from_: datetime | None = strawberry.field(default=None, name="from")
    to: datetime | None = None
    request_id: str | None = strawberry.field(default=None, description="The server's request id "
                                              "(the X-Request-Id of the answer).")
    role: str | None = strawberry.field(default=None, description="Records of callers with "
                                        "this role.")
    purpose: str | None = None
    field: str | None = strawberry.field(default=None, description="Records that selected this "
                                         "`Type.field`.")
    operation_type: str | None = strawberry.field(default=None, description="query, mutation or "
                                                  "unknown (a request refused before its "
                                                  "operation was known).")


@strawberry.enum
class StatisticsGrouping(Enum):
    REGION = "REGION"
    PROVINCE = "PROVINCE"
    MILIEU = "MILIEU"
    INDEX_BAND = "INDEX_BAND"


@strawberry.type(description="Counts for one group of the register; a count below 10 is null.")
class RegistryStatistic:
    key: str = strawberry.field(description="Region or province code, milieu, or lower bound "
                                            "of a 0.25-wide index band (NOT_SCORED).")
    label: str
    households: int | None = strawberry.field(description="Households not closed.")
    persons: int | None = strawberry.field(description="Their current living members.")


@strawberry.enum
class AuditGrouping(Enum):
    ACTOR = "ACTOR"
    PROGRAM = "PROGRAM"
    ROLE = "ROLE"
    OUTCOME = "OUTCOME"
    DAY = "DAY"


@strawberry.type(description="How many audit records share the values of the groupings asked "
                             "(the other fields are null).")
class AuditStatistic:
    records: int
    actor: str | None
    program: str | None
    role: str | None
    outcome: AuditOutcome | None
    day: date | None = strawberry.field(description="A UTC day.")


@strawberry.enum(description="What made a day of an actor unusual.")
class AnomalyKind(Enum):
    DISTINCT_SUBJECTS = strawberry.enum_value(
        "DISTINCT_SUBJECTS", description="Far more distinct persons and households read than the "
                                         "actor's own baseline.")
    REFUSALS = strawberry.enum_value(
        "REFUSALS", description="Far more refused requests than the actor's own baseline.")
    OUTSIDE_HOURS = strawberry.enum_value(
        "OUTSIDE_HOURS", description="Lookups by a program's agency outside the hours the "
                                     "program declares.")


@strawberry.type(description="An actor's unusual day in the audit log, with the records behind "
                             "it.")
class AuditAnomaly:
    anomaly: strawberry.Private[Anomaly]

    @strawberry.field
    def kind(self) -> AnomalyKind:
        return AnomalyKind(self.anomaly.kind)

    @strawberry.field(description="The token's `sub`.")
    def actor(self) -> str:
        return self.anomaly.actor

    @strawberry.field(description="For OUTSIDE_HOURS, the program whose hours were left.")
    def program(self) -> str | None:
        return self.anomaly.program

    @strawberry.field(description="A UTC day; for OUTSIDE_HOURS, a day in the program's time "
                                  "zone.")
    def day(self) -> date:
        return self.anomaly.day

    @strawberry.field(description="Distinct subjects read, refusals, or lookups outside the "
                                  "hours, that day.")
    def observed(self) -> int:
        return self.anomaly.observed

    @strawberry.field(description="The median of the actor's daily counts over the days they "
                                  "were active in the 28 before; null without history (and "
                                  "for OUTSIDE_HOURS).")
    def baseline(self) -> float | None:
        return self.anomaly.baseline

    @strawberry.field(description="The count that day had to reach: three times the baseline, "
                                  "and at least 50 subjects or 5 refusals; null for "
                                  "OUTSIDE_HOURS.")
    def threshold(self) -> float | None:
        return self.anomaly.threshold

    @strawberry.field(description="How many audit records are behind it.")
    async def record_count(self, info: Info) -> int:
        return await audit_resolvers.anomaly_record_count(info.context, self.anomaly)

    @strawberry.field(description="The records behind it, in sequence order: the actor's "
                                  "allowed requests that day, their refused ones, or their "
                                  "lookups outside the hours.",
                      metadata=cost.sized_by("first", default=20, most=50))
    async def records(self, info: Info, first: int | None = 20) -> list[AuditEvent]:
        first = 20 if first is None else first
        if not 0 <= first <= 50:
            raise BadUserInput("first must be between 0 and 50.", field="first")
        rows = await audit_resolvers.anomaly_records(info.context, self.anomaly, first)
        return [AuditEvent(row=row) for row in rows]


@strawberry.type(description="A field granted to a program, and how many of its requests "
                             "selected it in the window.")
class FieldUse:
    field: str
    requests: int


@strawberry.type(description="A request by someone else that read or changed your data: who (an "
                             "organisation, never a person's account), why and what.")
class DataAccess:
    row: strawberry.Private[AuditEventRow]

    @strawberry.field
    def at(self) -> datetime:
        return self.row.at

    @strawberry.field(description="The program for a program's agency, else the caller's role "
                                  "(registrar, admin, auditor, citizen).")
    def organisation(self) -> str:
        return self.row.program or (sorted(self.row.roles) or ["unknown"])[0]

    @strawberry.field
    def role(self) -> str:
        return (sorted(self.row.roles) or ["unknown"])[0]

    @strawberry.field(description="The purpose its token declared.")
    def purpose(self) -> str | None:
        return self.row.purpose

    @strawberry.field
    def operation(self) -> str:
        return self.row.operation

    @strawberry.field(description="Every `Type.field` it selected.")
    def fields(self) -> list[str]:
        return sorted(self.row.fields_selected)


@strawberry.type
class DataAccessEdge:
    cursor: str
    node: DataAccess


@strawberry.type
class DataAccessConnection:
    edges: list[DataAccessEdge]
    page_info: PageInfo
    total: strawberry.Private[TotalCount]

    @strawberry.field
    async def total_count(self) -> int:
        return await self.total.get()


@strawberry.type
class AuditingQuery:
    @strawberry.field(description="The audit log, newest first.",
                      metadata=cost.sized_by("first", default=50, most=100))
    async def audit_events(
        self, info: Info, filter: AuditFilter | None = None, first: int | None = 50,
        after: str | None = None,
    ) -> AuditEventConnection:
        fields = {} if filter is None else {
            "actor": filter.actor, "program": filter.program, "operation": filter.operation,
            "outcome": filter.outcome.value if filter.outcome else None,
            "subject": filter.subject, "from_": filter.from_, "to": filter.to,
            "request_id": filter.request_id, "role": filter.role, "purpose": filter.purpose,
            "field": filter.field, "operation_type": filter.operation_type}
        rows, has_next, total = await audit_resolvers.audit_events(
            info.context, **fields, first=50 if first is None else first, after=after)
        return connection_of(AuditEventConnection, AuditEventEdge, AuditEvent, rows, has_next, total,
                           audit_resolvers.audit_event_cursor)

    @strawberry.field(description="Verify the audit hash chain and report where it breaks: "
                                  "the records appended since the last verified point, and one "
                                  "window of 500 older records (a sweep that rehashes the whole "
                                  "log over successive calls).")
    async def audit_chain(self, info: Info) -> AuditChainStatus:
        status = await audit_resolvers.audit_chain(info.context)
        return AuditChainStatus(valid=status.valid, length=status.length,
                                head_hash=status.head_hash,
                                first_invalid_sequence=status.first_invalid_sequence)

    @strawberry.field(description="Counts of households and persons by group; counts below 10 "
                                  "are suppressed (null).", metadata=cost.at_most(100))
    async def registry_statistics(self, info: Info, group_by: StatisticsGrouping
                                  ) -> list[RegistryStatistic]:
        rows = await audit_resolvers.registry_statistics(info.context, group_by.value)
        return [RegistryStatistic(key=r.key, label=r.label, households=r.households,
                                  persons=r.persons) for r in rows]

    @strawberry.field(description="Audit records counted by actor, program, role, outcome and/or "
                                  "day, most records first (at most 10 000 groups).",
                      metadata=cost.at_most(10_000))
    async def audit_statistics(
        self, info: Info, group_by: list[AuditGrouping],
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
    ) -> list[AuditStatistic]:
        rows = await audit_resolvers.audit_statistics(
            info.context, [g.value for g in group_by], from_, to)
        return [AuditStatistic(records=r.records, actor=r.actor, program=r.program, role=r.role,
                               outcome=AuditOutcome(r.outcome) if r.outcome else None, day=r.day)
                for r in rows]

    @strawberry.field(description="For each field granted to the program, how many of its "
                                  "requests selected it: fields never selected come first "
                                  "(candidates for revoking the grant).",
                      metadata=cost.at_most(2000))
    async def access_review(
        self, info: Info, program: ProgramCode,
        from_: Annotated[datetime | None, strawberry.argument(name="from")] = None,
        to: datetime | None = None,
    ) -> list[FieldUse]:
        from api.schema.schema import access_policy  # the policy is built with the schema

        rows = await audit_resolvers.access_review(info.context, program.value, from_, to,
                                                   access_policy())
        return [FieldUse(field=r.field, requests=r.requests) for r in rows]

    @strawberry.field(description="Actors' unusual days between from and to (at most 92 days): "
                                  "distinct subjects read or refusals far above their own "
                                  "baseline, lookups outside a program's declared hours; the "
                                  "most severe first, at most 200.",
                      metadata=cost.at_most(anomalies.MOST))
    async def audit_anomalies(
        self, info: Info, from_: Annotated[datetime, strawberry.argument(name="from")],
        to: datetime,
    ) -> list[AuditAnomaly]:
        found = await audit_resolvers.audit_anomalies(info.context, from_, to)
        return [AuditAnomaly(anomaly=a) for a in found]

    @strawberry.field(description="For a citizen: every access by someone else to your person or "
                                  "to a household you belong or belonged to, newest first.",
                      metadata=cost.sized_by("first", default=20, most=100))
    async def my_data_accesses(self, info: Info, first: int | None = 20,
                               after: str | None = None) -> DataAccessConnection:
        rows, has_next, total = await audit_resolvers.my_data_accesses(
            info.context, first=20 if first is None else first, after=after)
        return connection_of(DataAccessConnection, DataAccessEdge, DataAccess, rows, has_next,
                             total, audit_resolvers.audit_event_cursor)
