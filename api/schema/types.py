"""Output types. Each wraps a model row; nested objects come from the request's DataLoaders."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import strawberry
from strawberry.types import Info

from api import enums
from api.models import Declaration as DeclarationRow
from api.models import Enrollment as EnrollmentRow
from api.models import Household as HouseholdRow
from api.models import HouseholdIndex as IndexRow
from api.models import Membership as MembershipRow
from api.models import Person as PersonRow
from api.resolvers.loaders import DECLARATIONS_SHOWN, PAST_MEMBERS_SHOWN
from api.schema import cost
from api.schema.enums import (
    Asset,
    Education,
    EnrollmentStatus,
    HouseholdStatus,
    HousingType,
    MemberExitReason,
    Milieu,
    Occupancy,
    Occupation,
    ProgramCode,
    Relationship,
    Schooling,
    Sex,
    WaterSource,
)
from api.schema.paging import PageInfo
from api.scoring.formula import components_of
from api.services import audit, clock, extents, scope
from api.services.paging import TotalCount
from api.services.reference import ProvinceRecord, RegionRecord
from api.services.validation import age_on

if TYPE_CHECKING:
    from api.resolvers.context import RequestContext


@strawberry.type(description="One of the 12 regions.")
class Region:
    code: str
    name: str
    name_ar: str

    @classmethod
    def from_record(cls, r: RegionRecord) -> Region:
        return cls(code=r.code, name=r.name, name_ar=r.name_ar)


@strawberry.type(description="One of the 75 prefectures and provinces.")
class Province:
    code: str
    name: str
    region: str = strawberry.field(description="Code of the region.")

    @classmethod
    def from_record(cls, p: ProvinceRecord) -> Province:
        return cls(code=p.code, name=p.name, region=p.region)


@strawberry.type(description="The authenticated caller.")
class Viewer:
    subject: str
    roles: list[str]
    program: str | None
    provinces: list[str]
    allowed_fields: list[str] = strawberry.field(
        description='Every "Type.field" this caller may select.'
    )


@strawberry.type(description="An entry of the population register.")
class Person:
    row: strawberry.Private[PersonRow]

    def __post_init__(self) -> None:
        audit.record_subject(self.row.idcs)

    @strawberry.field(description="Civil and social digital identifier: 10 digits, Luhn-checked.")
    def idcs(self) -> str:
        return self.row.idcs

    @strawberry.field
    def cin(self) -> str | None:
        return self.row.cin

    @strawberry.field
    def residence_card_number(self) -> str | None:
        return self.row.residence_card_number

    @strawberry.field(description="ISO 3166 alpha-2 code (MA for nationals).")
    def nationality(self) -> str:
        return self.row.nationality

    @strawberry.field
    def first_name(self) -> str:
        return self.row.first_name

    @strawberry.field
    def last_name(self) -> str:
        return self.row.last_name

    @strawberry.field
    def first_name_ar(self) -> str | None:
        return self.row.first_name_ar

    @strawberry.field
    def last_name_ar(self) -> str | None:
        return self.row.last_name_ar

    @strawberry.field
    def sex(self) -> Sex:
        return enums.Sex(self.row.sex)

    @strawberry.field
    def birth_date(self) -> date:
        return self.row.birth_date

    @strawberry.field(description="Age in whole years today, or at death.")
    def age(self) -> int:
        return age_on(self.row.birth_date, self.row.death_date or clock.today())

    @strawberry.field
    def death_date(self) -> date | None:
        return self.row.death_date

    @strawberry.field
    def phone(self) -> str | None:
        return self.row.phone

    @strawberry.field
    def has_other_health_coverage(self) -> bool:
        return self.row.has_other_health_coverage

    @strawberry.field(description="Optimistic-concurrency version, for updatePerson.")
    def version(self) -> int:
        return self.row.version

    @strawberry.field
    def registered_at(self) -> datetime:
        return self.row.registered_at

    @strawberry.field(description="The current household, when the caller may see it.")
    async def household(self, info: Info) -> Household | None:
        ctx: RequestContext = info.context
        membership = await ctx.loaders.membership_of_person.load(self.row.id)
        if membership is None:
            return None
        row = await ctx.loaders.household.load(str(membership.household_id))
        return await visible_household(ctx, row)


async def visible_household(ctx: RequestContext, row: HouseholdRow | None) -> Household | None:
    if row is None:
        return None
    principal = ctx.require_principal()
    own = await ctx.citizen_household_id()
    if not scope.can_read_household(principal, row.province_id, str(row.id), own):
        return None
    return Household(row=row)


@strawberry.type(description="A person's current membership of a household.")
class Member:
    row: strawberry.Private[MembershipRow]

    @strawberry.field
    async def person(self, info: Info) -> Person:
        return Person(row=await info.context.loaders.person.load(self.row.person_id))

    @strawberry.field
    def relationship(self) -> Relationship:
        return enums.Relationship(self.row.relationship)

    @strawberry.field
    def schooling(self) -> Schooling:
        return enums.Schooling(self.row.schooling)

    @strawberry.field
    def has_disability(self) -> bool:
        return self.row.has_disability

    @strawberry.field(description="Date the membership began.")
    def since(self) -> date:
        return self.row.start_date


@strawberry.type(description="A registered person who may be the person looked for.")
class PersonMatch:
    row: strawberry.Private[PersonRow]
    value: strawberry.Private[float]

    @strawberry.field(description="How likely the two are one person, 0 to 1: names (Latin and "
                                  "Arabic spellings, transliteration variants), birth date, sex. "
                                  "From 0.9 registerPerson refuses without confirmation.")
    def score(self) -> float:
        return self.value

    @strawberry.field
    def person(self) -> Person:
        return Person(row=self.row)


@strawberry.type(description="A person who was a member of the household and no longer is.")
class PastMember:
    row: strawberry.Private[MembershipRow]

    @strawberry.field
    async def person(self, info: Info) -> Person:
        return Person(row=await info.context.loaders.person.load(self.row.person_id))

    @strawberry.field(description="Relationship to the head while a member.")
    def relationship(self) -> Relationship:
        return enums.Relationship(self.row.relationship)

    @strawberry.field(description="Date the membership began.")
    def since(self) -> date:
        return self.row.start_date

    @strawberry.field(description="Date the membership ended.")
    def until(self) -> date:
        return self.row.end_date

    @strawberry.field(description="Why it ended.")
    def exit_reason(self) -> MemberExitReason:
        return enums.MemberExitReason(self.row.exit_reason)


@strawberry.type(description="A version of the household's socio-economic declaration.")
class Declaration:
    row: strawberry.Private[DeclarationRow]

    @strawberry.field
    def version(self) -> int:
        return self.row.version

    @strawberry.field
    def head_education(self) -> Education:
        return enums.Education(self.row.head_education)

    @strawberry.field
    def head_occupation(self) -> Occupation:
        return enums.Occupation(self.row.head_occupation)

    @strawberry.field
    def housing_type(self) -> HousingType:
        return enums.HousingType(self.row.housing_type)

    @strawberry.field
    def occupancy(self) -> Occupancy:
        return enums.Occupancy(self.row.occupancy)

    @strawberry.field
    def rooms(self) -> int:
        return self.row.rooms

    @strawberry.field
    def water_source(self) -> WaterSource:
        return enums.WaterSource(self.row.water_source)

    @strawberry.field
    def electricity_monthly(self) -> float:
        return float(self.row.electricity_monthly)

    @strawberry.field
    def water_monthly(self) -> float:
        return float(self.row.water_monthly)

    @strawberry.field
    def phone_monthly(self) -> float:
        return float(self.row.phone_monthly)

    @strawberry.field
    def butane_bottles_monthly(self) -> int:
        return self.row.butane_bottles_monthly

    @strawberry.field
    def assets(self) -> list[Asset]:
        return [enums.Asset(a) for a in self.row.assets]

    @strawberry.field
    def agricultural_land_hectares(self) -> float | None:
        value = self.row.agricultural_land_hectares
        return None if value is None else float(value)

    @strawberry.field
    def livestock_units(self) -> float | None:
        value = self.row.livestock_units
        return None if value is None else float(value)

    @strawberry.field
    def declared_at(self) -> datetime:
        return self.row.declared_at


@strawberry.type(description="A household of the social register.")
class Household:
    row: strawberry.Private[HouseholdRow]

    def __post_init__(self) -> None:
        audit.record_subject(str(self.row.id))

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(description="Human-readable reference, e.g. RSU-06-123456789.")
    def reference(self) -> str:
        return self.row.reference

    @strawberry.field(description="Region code.")
    def region(self) -> str:
        return self.row.region_id

    @strawberry.field(description="Prefecture or province code.")
    def province(self) -> str:
        return self.row.province_id

    @strawberry.field
    def commune(self) -> str:
        return self.row.commune

    @strawberry.field
    def milieu(self) -> Milieu:
        return enums.Milieu(self.row.milieu)

    @strawberry.field
    def address(self) -> str:
        return self.row.address

    @strawberry.field
    def status(self) -> HouseholdStatus:
        return enums.HouseholdStatus(self.row.status)

    @strawberry.field(description="Optimistic-concurrency version, for member updates.")
    def version(self) -> int:
        return self.row.version

    @strawberry.field
    def registered_at(self) -> datetime:
        return self.row.registered_at

    @strawberry.field
    def updated_at(self) -> datetime:
        return self.row.updated_at

    @strawberry.field(description="Current members, oldest membership first.",
                      metadata=cost.at_most(extents.household_members))
    async def members(self, info: Info) -> list[Member]:
        rows = await info.context.loaders.open_members.load(str(self.row.id))
        return [Member(row=m) for m in rows]

    @strawberry.field(description="The member whose relationship is HEAD.")
    async def head(self, info: Info) -> Person | None:
        rows = await info.context.loaders.open_members.load(str(self.row.id))
        head = next((m for m in rows if m.relationship == enums.Relationship.HEAD.value), None)
        if head is None:
            return None
        return Person(row=await info.context.loaders.person.load(head.person_id))

    @strawberry.field(description="Number of current (living) members.")
    async def size(self, info: Info) -> int:
        return await info.context.loaders.member_count(str(self.row.id))

    @strawberry.field(description="Former members, the most recently ended membership first "
                                  f"(at most {PAST_MEMBERS_SHOWN}).",
                      metadata=cost.at_most(PAST_MEMBERS_SHOWN))
    async def past_members(self, info: Info) -> list[PastMember]:
        rows = await info.context.loaders.past_members.load(str(self.row.id))
        return [PastMember(row=m) for m in rows]

    @strawberry.field(description="Every version of the declaration, newest first "
                                  f"(at most {DECLARATIONS_SHOWN}).",
                      metadata=cost.at_most(DECLARATIONS_SHOWN))
    async def declarations(self, info: Info) -> list[Declaration]:
        rows = await info.context.loaders.declarations.load(str(self.row.id))
        return [Declaration(row=r) for r in rows]

    @strawberry.field(description="The current socio-economic declaration.")
    async def declaration(self, info: Info) -> Declaration | None:
        row = await info.context.loaders.current_declaration.load(str(self.row.id))
        return None if row is None else Declaration(row=row)

    @strawberry.field(description="The current socio-economic index, with its components.")
    async def index(self, info: Info) -> SocioEconomicIndex | None:
        row = await info.context.loaders.current_index.load(str(self.row.id))
        return None if row is None else SocioEconomicIndex(row=row)

    @strawberry.field(description="Every index computed for the household, oldest first.",
                      metadata=cost.at_most(20))
    async def index_history(self, info: Info) -> list[SocioEconomicIndex]:
        rows = await info.context.loaders.index_history.load(str(self.row.id))
        return [SocioEconomicIndex(row=r) for r in rows]

    @strawberry.field(description="The household's program enrollments, current and past.",
                      metadata=cost.at_most(10))
    async def enrollments(self, info: Info) -> list[Enrollment]:
        rows = await info.context.loaders.enrollments.load(str(self.row.id))
        return [Enrollment(row=r) for r in rows]


@strawberry.type
class HouseholdEdge:
    cursor: str
    node: Household


@strawberry.type
class HouseholdConnection:
    edges: list[HouseholdEdge]
    page_info: PageInfo
    total: strawberry.Private[TotalCount]

    @strawberry.field
    async def total_count(self) -> int:
        return await self.total.get()


@strawberry.type(description="One term of the index and what it added (or took away).")
class IndexComponent:
    name: str
    contribution: float


@strawberry.type(description="A household's socio-economic index: predicted ln of annual "
                             "consumption per person (MAD). Lower means poorer.")
class SocioEconomicIndex:
    row: strawberry.Private[IndexRow]

    @strawberry.field(description="The index, 7 decimals.")
    def value(self) -> float:
        return round(self.row.value, 7)

    @strawberry.field
    def formula_version(self) -> str:
        return self.row.formula_version

    @strawberry.field
    def computed_at(self) -> datetime:
        return self.row.computed_at

    @strawberry.field(description="Why it was computed: REGISTRATION, MEMBER_ADDED, "
                                  "MEMBER_REMOVED, DEATH, DECLARATION_UPDATED, PERSON_CORRECTED "
                                  "(a member's birth date corrected) or RESCORE.")
    def cause(self) -> str:
        return self.row.cause

    @strawberry.field(description="Version of the declaration it was computed from.")
    def declaration_version(self) -> int:
        return self.row.declaration_version

    @strawberry.field(description="Each term's contribution; they add up to the value.",
                      metadata=cost.at_most(30))
    def components(self) -> list[IndexComponent]:
        if self.row.contributions is not None:
            return [IndexComponent(name=c.name, contribution=c.contribution) for c in
                    components_of(self.row.formula_version, self.row.contributions)]
        return [IndexComponent(name=c["name"], contribution=c["contribution"])
                for c in self.row.components]


@strawberry.type(description="A household's enrollment in a program.")
class Enrollment:
    row: strawberry.Private[EnrollmentRow]

    def __post_init__(self) -> None:
        audit.record_subject(str(self.row.household_id))

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field
    def program(self) -> ProgramCode:
        return ProgramCode(self.row.program)

    @strawberry.field
    async def household(self, info: Info) -> Household:
        return Household(row=await info.context.loaders.household.load(str(self.row.household_id)))

    @strawberry.field
    def status(self) -> EnrollmentStatus:
        return EnrollmentStatus(self.row.status)

    @strawberry.field
    def started_at(self) -> datetime:
        return self.row.started_at

    @strawberry.field
    def ended_at(self) -> datetime | None:
        return self.row.ended_at

    @strawberry.field
    def end_reason(self) -> str | None:
        return self.row.end_reason


@strawberry.type
class EnrollmentEdge:
    cursor: str
    node: Enrollment


@strawberry.type
class EnrollmentConnection:
    edges: list[EnrollmentEdge]
    page_info: PageInfo
    total: strawberry.Private[TotalCount]

    @strawberry.field
    async def total_count(self) -> int:
        return await self.total.get()
