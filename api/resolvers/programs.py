"""Resolvers of programs, eligibility and enrollments."""

from __future__ import annotations

from datetime import date

from api.models import Enrollment, Household
from api.resolvers.context import RequestContext
from api.services import enrollments, households, lookups
from api.services.eligibility import EligibilityAnswer, evaluate
from api.services.inputs import DeclarationData


async def eligibility(ctx: RequestContext, program: str, idcs: str,
                      as_of: date | None = None, *, with_members: bool = False
                      ) -> EligibilityAnswer:
    (answer,) = await eligibilities(ctx, program, [idcs], as_of, with_members=with_members)
    return answer


async def eligibilities(ctx: RequestContext, program: str, idcs: list[str],
                        as_of: date | None = None, *, with_members: bool = False
                        ) -> list[EligibilityAnswer]:
    """`with_members`: the answer shows the households' members (read with the answers, and
    handed to the request's loaders so that they are not read again). Each household's number
    of members, known from the answers, is handed to the loaders too (its `size`)."""
    principal = ctx.require_principal()
    answers = await evaluate(principal, program, idcs, caps=_caps(ctx, principal), as_of=as_of,
                             with_members=with_members)
    loaders = ctx.loaders
    for answer in answers:
        if answer.household is not None and answer.member_count is not None:
            loaders.member_counts[str(answer.household.id)] = answer.member_count
        if answer.members is not None and answer.household is not None:
            loaders.prime_members_read(str(answer.household.id), answer.members)
    return answers


def _caps(ctx: RequestContext, principal) -> dict[str, int] | None:
    """Program agencies count their lookups against the day's cap (admins do not)."""
    if principal.is_admin or not principal.has("program_agency"):
        return None
    return lookups.parse_caps(ctx.request.app.state.settings.program_daily_persons)


def _daily_cap(ctx: RequestContext, principal):
    caps = _caps(ctx, principal)
    if caps is None:
        return None

    async def check(program: str, ids: list[str]) -> None:
        await lookups.record(program, ids, caps)

    return check


async def enrollment_page(ctx: RequestContext, program: str, *, status: str | None, first: int,
                          after: str | None):
    return await enrollments.list_enrollments(
        ctx.require_principal(), program, status=status, first=first, after=after
    )


async def enroll(ctx: RequestContext, program: str, household_id: str) -> Enrollment:
    """The enrollment shows the household's members: they count against the daily cap."""
    principal = ctx.require_principal()
    return await enrollments.enroll(principal, program, household_id,
                                    before_reading=_daily_cap(ctx, principal))


async def end_enrollment(ctx: RequestContext, enrollment_id: str, reason: str) -> Enrollment:
    return await enrollments.end_enrollment(ctx.require_principal(), enrollment_id, reason)


async def update_declaration(ctx: RequestContext, household_id: str, data: DeclarationData,
                             expected_version: int | None) -> Household:
    row = await households.update_declaration(
        ctx.require_principal(), household_id, data, expected_version=expected_version
    )
    return await Household.get(id=row.id)
