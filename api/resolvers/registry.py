"""Resolvers of the registry's queries and mutations. They return model rows; the schema
layer wraps them in GraphQL types."""

from __future__ import annotations

from datetime import date

from api.models import Household, Person
from api.resolvers.context import RequestContext
from api.services import clock, duplicates, households, persons
from api.services.inputs import HouseholdData, PersonData
from api.services.matching import Identity


async def person(ctx: RequestContext, idcs: str) -> Person:
    return await persons.get_person(ctx.require_principal(), idcs)


async def person_by_document(ctx: RequestContext, *, cin: str | None,
                             residence_card_number: str | None,
                             birth_certificate_reference: str | None) -> Person:
    return await persons.find_by_document(
        ctx.require_principal(), cin=cin, residenceCardNumber=residence_card_number,
        birthCertificateReference=birth_certificate_reference)


async def household_by_reference(ctx: RequestContext, reference: str, *,
                                 with_members: bool = False) -> Household:
    row = await households.get_by_reference(ctx.require_principal(), reference)
    return await _shown(ctx, row, with_members)


async def household(ctx: RequestContext, household_id: str, *,
                    with_members: bool = False) -> Household:
    return await households.get_household(
        ctx.require_principal(), household_id, own=await ctx.citizen_household_id(),
        read=_reader(ctx, with_members))


async def my_household(ctx: RequestContext, *, with_members: bool = False) -> Household | None:
    principal = ctx.require_principal()
    own = await ctx.citizen_household_id()
    if not own:
        return None
    return await households.get_household(principal, own, own=own,
                                          read=_reader(ctx, with_members))


def _reader(ctx: RequestContext, with_members: bool):
    """The household read through the request's loaders; `with_members`: the answer shows the
    members' persons, read with it."""
    async def read(household_id: str) -> Household | None:
        return await ctx.loaders.household_shown(household_id, with_members=with_members)
    return read


async def _shown(ctx: RequestContext, row: Household, with_members: bool) -> Household:
    """`with_members`: the answer shows the members' persons: read them with the memberships."""
    if with_members:
        await ctx.loaders.prime_members([str(row.id)])
    return row


async def household_page(ctx: RequestContext, *, filters: dict, first: int, after: str | None):
    return await households.list_households(
        ctx.require_principal(), first=first, after=after, **filters
    )


async def register_person(ctx: RequestContext, data: PersonData, key: str | None,
                          confirmed_not_duplicate: bool = False) -> Person:
    return await persons.register_person(ctx.require_principal(), data, idempotency_key=key,
                                         confirmed_not_duplicate=confirmed_not_duplicate)


async def possible_duplicates(ctx: RequestContext, identity: Identity) -> list[tuple[Person, float]]:
    return await duplicates.possible_duplicates(ctx.require_principal(), identity, clock.today())


async def update_person(ctx: RequestContext, idcs: str, changes: dict, version: int | None) -> Person:
    return await persons.update_person(
        ctx.require_principal(), idcs, changes, expected_version=version
    )


async def register_household(ctx: RequestContext, data: HouseholdData, key: str | None) -> Household:
    return await households.register_household(ctx.require_principal(), data, idempotency_key=key)


async def add_member(ctx: RequestContext, household_id: str, idcs: str, relationship: str, *,
                     schooling: str, has_disability: bool, expected_version: int | None) -> Household:
    row = await households.add_member(
        ctx.require_principal(), household_id, idcs, relationship, schooling=schooling,
        has_disability=has_disability, expected_version=expected_version,
    )
    return await Household.get(id=row.id)


async def remove_member(ctx: RequestContext, household_id: str, idcs: str, reason: str,
                        effective_date: date, *, new_head_idcs: str | None,
                        expected_version: int | None) -> Household:
    row = await households.remove_member(
        ctx.require_principal(), household_id, idcs, reason, effective_date,
        new_head_idcs=new_head_idcs, expected_version=expected_version,
    )
    return await Household.get(id=row.id)


async def patch_declaration(ctx: RequestContext, household_id: str, changes: dict,
                            expected_version: int | None) -> Household:
    row = await households.patch_declaration(
        ctx.require_principal(), household_id, changes, expected_version=expected_version)
    return await Household.get(id=row.id)
