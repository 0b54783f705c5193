"""Root fields of the registers: persons and households, read and changed, and the territory
they are registered in. Assembled with the other domains' into `Query` and `Mutation`
(api/schema/schema.py)."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from api.resolvers import programs as program_resolvers
from api.resolvers import registry
from api.schema import cost
from api.schema.enums import MemberExitReason, Relationship, Schooling
from api.schema.inputs import (
    DeclarationInput,
    DeclarationPatchInput,
    HouseholdFilter,
    PersonMatchInput,
    RegisterHouseholdInput,
    RegisterPersonInput,
    UpdatePersonInput,
)
from api.schema.paging import connection_of
from api.schema.selection import selects
from api.schema.types import (
    Household,
    HouseholdConnection,
    HouseholdEdge,
    Person,
    PersonMatch,
    Province,
    Region,
)
from api.services import duplicates
from api.services import households as household_service
from api.services.reference import territory


def _shows_members(info: Info) -> bool:
    """Does the answer show the household's members' persons (read with the household)?"""
    return selects(info, (), _MEMBER_FIELDS)


_MEMBER_FIELDS = frozenset({"members", "head"})


@strawberry.type
class RegistryQuery:
    @strawberry.field(description="A person of the population register, by IDCS.")
    async def person(self, info: Info, idcs: str) -> Person | None:
        return Person(row=await registry.person(info.context, idcs))

    @strawberry.field(description="A person found by one identity document: exactly one of "
                                  "cin, residenceCardNumber, birthCertificateReference. Registrars "
                                  "and admins.")
    async def person_by_document(
        self, info: Info, cin: str | None = None, residence_card_number: str | None = None,
        birth_certificate_reference: str | None = None,
    ) -> Person | None:
        return Person(row=await registry.person_by_document(
            info.context, cin=cin, residence_card_number=residence_card_number,
            birth_certificate_reference=birth_certificate_reference))

    @strawberry.field(description="Registered persons who may be the person described (names "
                                  "in either script, birth date, sex), best first: at most 20, "
                                  "scored from 0.75. Registrars and admins, over the whole "
                                  "population register.", metadata=cost.at_most(duplicates.MOST))
    async def possible_duplicates(self, info: Info, input: PersonMatchInput) -> list[PersonMatch]:
        found = await registry.possible_duplicates(info.context, input.to_identity())
        return [PersonMatch(row=row, value=value) for row, value in found]

    @strawberry.field(description="A household of the social register, by its reference "
                                  "(RSU-06-123456789). Registrars (their provinces) and admins.")
    async def household_by_reference(self, info: Info, reference: str) -> Household | None:
        return Household(row=await registry.household_by_reference(
            info.context, reference, with_members=_shows_members(info)))

    @strawberry.field(description="A household of the social register, by id.")
    async def household(self, info: Info, id: strawberry.ID) -> Household | None:
        return Household(row=await registry.household(info.context, str(id),
                                                      with_members=_shows_members(info)))

    @strawberry.field(description="The calling citizen's current household.")
    async def my_household(self, info: Info) -> Household | None:
        row = await registry.my_household(info.context, with_members=_shows_members(info))
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
        return connection_of(HouseholdConnection, HouseholdEdge, Household, rows, has_next, total,
                           lambda r: household_service.encode_cursor(str(r.id)))



@strawberry.type
class TerritoryQuery:
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
class RegistryMutation:
    @strawberry.mutation(description="Register a person in the population register; assigns the IDCS.")
    async def register_person(self, info: Info, input: RegisterPersonInput) -> Person:
        row = await registry.register_person(info.context, input.to_data(), input.idempotency_key,
                                             input.confirmed_not_duplicate)
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

    @strawberry.mutation(description="A new version of the household's declaration with only the "
                                      "fields given changed; rescored at once.")
    async def patch_household_declaration(
        self, info: Info, household_id: strawberry.ID, changes: DeclarationPatchInput,
        expected_version: int | None = None,
    ) -> Household:
        row = await registry.patch_declaration(
            info.context, str(household_id), changes.changes(), expected_version)
        return Household(row=row)
