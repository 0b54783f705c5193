"""Root types and the Schema object."""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated

import strawberry
from strawberry.schema.config import StrawberryConfig
from strawberry.types import Info

from api.policies.enforcer import AccessPolicy, subjects_of
from api.programs.catalogue import catalogue as program_catalogue
from api.programs.catalogue import check_fields
from api.resolvers import auditing, registry
from api.resolvers import programs as program_resolvers
from api.schema import cost
from api.schema.access import DocumentPermissions, FieldAccess, schema_permissions
from api.schema.auditing import (
    AuditChainStatus,
    AuditEvent,
    AuditEventConnection,
    AuditEventEdge,
    AuditFilter,
)
from api.schema.document import CostLimit, DocumentLimits
from api.schema.enums import (
    EnrollmentStatus,
    MemberExitReason,
    ProgramCode,
    Relationship,
    Schooling,
)
from api.schema.errors import TypedErrors
from api.schema.inputs import (
    DeclarationInput,
    HouseholdFilter,
    RegisterHouseholdInput,
    RegisterPersonInput,
    UpdatePersonInput,
)
from api.schema.paging import PageInfo
from api.schema.programs import Eligibility, Program
from api.schema.types import (
    Enrollment,
    EnrollmentConnection,
    EnrollmentEdge,
    Household,
    HouseholdConnection,
    HouseholdEdge,
    Person,
    Province,
    Region,
    Viewer,
)
from api.services import enrollments as enrollment_service
from api.services import households as household_service
from api.services.paging import TotalCount
from api.services.reference import territory

SDL_PATH = Path(__file__).with_name("schema.graphql")


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


@strawberry.type(description="One permission in force: a subject may read a field or call a mutation.")
class FieldGrant:
    subject: str
    field: str
    action: str


def _connection(connection, edge, node, rows, has_next: bool, total: TotalCount, cursor_of):
    """A Relay connection over a keyset page of rows; its total counted if selected."""
    edges = [edge(cursor=cursor_of(r), node=node(row=r)) for r in rows]
    return connection(
        edges=edges,
        page_info=PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
        total=total,
    )


def _programs_in_force() -> int:
    """`programs` returns as many items as the catalogue in force has programs."""
    return len(program_catalogue().codes)


@strawberry.type
class Query:
    @strawberry.field(description="The authenticated caller.")
    def me(self, info: Info) -> Viewer:
        p = info.context.require_principal()
        allowed = access_policy().allowed(subjects_of(p))
        return Viewer(
            subject=p.subject, roles=sorted(p.roles), program=p.program,
            provinces=sorted(p.provinces),
            allowed_fields=sorted(obj for obj, act in allowed if act == "read"),
        )

    @strawberry.field(description="Every (subject, field, action) grant in force.",
                      metadata=cost.at_most(2000))
    def access_policy(self, info: Info) -> list[FieldGrant]:
        info.context.require_principal()
        return [FieldGrant(subject=g.subject, field=g.field, action=g.action)
                for g in access_policy().matrix()]

    @strawberry.field(description="A person of the population register, by IDCS.")
    async def person(self, info: Info, idcs: str) -> Person | None:
        return Person(row=await registry.person(info.context, idcs))

    @strawberry.field(description="A household of the social register, by id.")
    async def household(self, info: Info, id: strawberry.ID) -> Household | None:
        return Household(row=await registry.household(info.context, str(id)))

    @strawberry.field(description="The calling citizen's current household.")
    async def my_household(self, info: Info) -> Household | None:
        row = await registry.my_household(info.context)
        return None if row is None else Household(row=row)

    @strawberry.field(description="Households in the caller's scope, as a Relay connection.",
                      metadata=cost.sized_by("first", default=20, most=100))
    async def households(
        self, info: Info, filter: HouseholdFilter | None = None, first: int | None = 20,
        after: str | None = None,
    ) -> HouseholdConnection:
        if first is None:  # contract §3: `first: Int = 20`, an explicit null means the default
            first = 20
        filters = {}
        if filter is not None:
            filters = {
                "province": filter.province,
                "region": filter.region,
                "milieu": filter.milieu.value if filter.milieu else None,
                "status": filter.status.value if filter.status else None,
            }
        rows, has_next, total = await registry.household_page(
            info.context, filters=filters, first=first, after=after
        )
        return _connection(HouseholdConnection, HouseholdEdge, Household, rows, has_next, total,
                           lambda r: household_service.encode_cursor(str(r.id)))

    @strawberry.field(description="The social programs and their thresholds in force today.",
                      metadata=cost.at_most(_programs_in_force))
    def programs(self) -> list[Program]:
        return [Program(entry=p) for p in program_catalogue().programs.values()]

    @strawberry.field(description="Is this person's household eligible for the program?")
    async def eligibility(
        self, info: Info, program: ProgramCode, idcs: str,
        as_of: Annotated[date | None, strawberry.argument(
            description="A past day: the program's version in force that day and the household "
                        "as it was then. Today when omitted.")] = None,
    ) -> Eligibility:
        return Eligibility(answer=await program_resolvers.eligibility(
            info.context, program.value, idcs, as_of))

    @strawberry.field(description="Bulk eligibility: at most 1000 ids, answers in input order.",
                      metadata=cost.sized_by("idcs", default=0, most=1000))
    async def eligibilities(
        self, info: Info, program: ProgramCode, idcs: list[str],
        as_of: Annotated[date | None, strawberry.argument(
            description="A past day, as for `eligibility`.")] = None,
    ) -> list[Eligibility]:
        answers = await program_resolvers.eligibilities(info.context, program.value, idcs, as_of)
        return [Eligibility(answer=a) for a in answers]

    @strawberry.field(description="Enrollments in a program, as a Relay connection.",
                      metadata=cost.sized_by("first", default=20, most=100))
    async def enrollments(
        self, info: Info, program: ProgramCode, status: EnrollmentStatus | None = None,
        first: int | None = 20, after: str | None = None,
    ) -> EnrollmentConnection:
        rows, has_next, total = await program_resolvers.enrollment_page(
            info.context, program.value, status=status.value if status else None,
            first=20 if first is None else first, after=after,
        )
        return _connection(EnrollmentConnection, EnrollmentEdge, Enrollment, rows, has_next, total,
                           lambda r: enrollment_service.encode_cursor(str(r.id)))

    @strawberry.field(description="The audit log, newest first.",
                      metadata=cost.sized_by("first", default=50, most=100))
    async def audit_events(
        self, info: Info, filter: AuditFilter | None = None, first: int | None = 50,
        after: str | None = None,
    ) -> AuditEventConnection:
        fields = {} if filter is None else {
            "actor": filter.actor, "program": filter.program, "operation": filter.operation,
            "outcome": filter.outcome.value if filter.outcome else None,
            "subject": filter.subject, "from_": filter.from_, "to": filter.to}
        rows, has_next, total = await auditing.audit_events(
            info.context, **fields, first=50 if first is None else first, after=after)
        return _connection(AuditEventConnection, AuditEventEdge, AuditEvent, rows, has_next, total,
                           auditing.audit_event_cursor)

    @strawberry.field(description="Verify the audit hash chain and report where it breaks: "
                                  "the records appended since the last verified point, and one "
                                  "window of 500 older records (a sweep that rehashes the whole "
                                  "log over successive calls).")
    async def audit_chain(self, info: Info) -> AuditChainStatus:
        status = await auditing.audit_chain(info.context)
        return AuditChainStatus(valid=status.valid, length=status.length,
                                head_hash=status.head_hash,
                                first_invalid_sequence=status.first_invalid_sequence)

    @strawberry.field(description="Counts of households and persons by group; counts below 10 "
                                  "are suppressed (null).", metadata=cost.at_most(100))
    async def registry_statistics(self, info: Info, group_by: StatisticsGrouping
                                  ) -> list[RegistryStatistic]:
        rows = await auditing.registry_statistics(info.context, group_by.value)
        return [RegistryStatistic(key=r.key, label=r.label, households=r.households,
                                  persons=r.persons) for r in rows]

    @strawberry.field(description="The 12 regions.", metadata=cost.at_most(12))
    def regions(self, info: Info) -> list[Region]:
        info.context.require_principal()
        return [Region.from_record(r) for r in territory().regions]

    @strawberry.field(description="Prefectures and provinces, all or of one region.",
                      metadata=cost.at_most(75))
    def provinces(self, info: Info, region: str | None = None) -> list[Province]:
        info.context.require_principal()
        return [Province.from_record(p) for p in territory().provinces_of(region)]


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Register a person in the population register; assigns the IDCS.")
    async def register_person(self, info: Info, input: RegisterPersonInput) -> Person:
        row = await registry.register_person(info.context, input.to_data(), input.idempotency_key)
        return Person(row=row)

    @strawberry.mutation(description="Correct a person, set their phone or record their death.")
    async def update_person(self, info: Info, idcs: str, input: UpdatePersonInput) -> Person:
        version = input.expected_version if input.expected_version is not strawberry.UNSET else None
        row = await registry.update_person(info.context, idcs, input.changes(), version)
        return Person(row=row)

    @strawberry.mutation(description="Declare a household with its members and declaration.")
    async def register_household(self, info: Info, input: RegisterHouseholdInput) -> Household:
        row = await registry.register_household(info.context, input.to_data(), input.idempotency_key)
        return Household(row=row)

    @strawberry.mutation(description="Add a registered person to a household.")
    async def add_household_member(
        self, info: Info, household_id: strawberry.ID, idcs: str, relationship: Relationship,
        expected_version: int | None = None, schooling: Schooling = Schooling.NOT_APPLICABLE,
        has_disability: bool = False,
    ) -> Household:
        row = await registry.add_member(
            info.context, str(household_id), idcs, relationship.value, schooling=schooling.value,
            has_disability=has_disability, expected_version=expected_version,
        )
        return Household(row=row)

    @strawberry.mutation(description="End a member's membership; removing the head needs newHeadIdcs.")
    async def remove_household_member(
        self, info: Info, household_id: strawberry.ID, idcs: str, reason: MemberExitReason,
        effective_date: date, new_head_idcs: str | None = None, expected_version: int | None = None,
    ) -> Household:
        row = await registry.remove_member(
            info.context, str(household_id), idcs, reason.value, effective_date,
            new_head_idcs=new_head_idcs, expected_version=expected_version,
        )
        return Household(row=row)


    @strawberry.mutation(description="A new version of the household's declaration; rescored at once.")
    async def update_household_declaration(
        self, info: Info, household_id: strawberry.ID, declaration: DeclarationInput,
        expected_version: int | None = None,
    ) -> Household:
        row = await program_resolvers.update_declaration(
            info.context, str(household_id), declaration.to_data(), expected_version
        )
        return Household(row=row)

    @strawberry.mutation(description="Enrol an eligible household in a program.")
    async def enroll(self, info: Info, program: ProgramCode, household_id: strawberry.ID) -> Enrollment:
        return Enrollment(row=await program_resolvers.enroll(info.context, program.value, str(household_id)))

    @strawberry.mutation(description="End an enrollment, with a reason.")
    async def end_enrollment(self, info: Info, id: strawberry.ID, reason: str) -> Enrollment:
        return Enrollment(row=await program_resolvers.end_enrollment(info.context, str(id), reason))


class SijillSchema(strawberry.Schema):
    def process_errors(self, errors, execution_context=None) -> None:
        """Errors are logged by TypedErrors, without their messages (personal data)."""


def build_schema() -> strawberry.Schema:
    return SijillSchema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(auto_camel_case=True),
        # Factories, not instances: an extension keeps per-request state (its execution
        # context), so a shared instance mixes up concurrent requests.
        extensions=[
            # Parse, operation, limits and validation (bounded caches) before anything runs,
            # whatever the document's shape; the cost once variables are known, after the
            # field check.
            DocumentLimits,
            FieldAccess,
            CostLimit,
            TypedErrors,
        ],
    )


schema = build_schema()
# A program may be granted only fields the schema has: checked here, before anything serves.
check_fields(program_catalogue(), {obj for obj, _ in schema_permissions(schema._schema)})
_policy = AccessPolicy(schema_permissions(schema._schema))
FieldAccess.policy = _policy
FieldAccess.permissions = DocumentPermissions(maxsize=2048)


def access_policy() -> AccessPolicy:
    return _policy


def export_sdl() -> str:
    return schema.as_str() + "\n"
