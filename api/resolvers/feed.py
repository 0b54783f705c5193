"""Resolvers of the change feed: a program's changes of answers, for its agency and admins."""

from __future__ import annotations

from api.models import EligibilityChange, Household
from api.resolvers.context import RequestContext
from api.services import feed
from api.services.eligibility import EligibilityAnswer, check_program_access


async def eligibility_changes(ctx: RequestContext, program: str, *, first: int,
                              after: str | None, with_households: bool = True,
                              with_amount_lines: bool = True
                              ) -> tuple[list[tuple[EligibilityChange, EligibilityAnswer]], bool]:
    """(each change with its answer, whether more follow). The answer's household is the
    household as it is now, read when the answer shows it (`with_households`); its amount's
    lines are decoded when it shows them (`with_amount_lines`)."""
    check_program_access(ctx.require_principal(), program)
    rows, has_next = await feed.changes_page(program, first=first, after=after)
    household_ids = sorted({row.household_id for row in rows if row.household_id}) \
        if with_households else []
    households = {str(h.id): h for h in await Household.filter(id__in=household_ids)} \
        if household_ids else {}
    return [(row, answer_of(row, households.get(row.household_id or ""), with_amount_lines))
            for row in rows], has_next


def answer_of(row: EligibilityChange, household: Household | None,
              with_amount_lines: bool = True) -> EligibilityAnswer:
    return EligibilityAnswer(
        idcs=row.idcs, program=row.program, eligible=row.eligible,
        reasons=feed.reasons_of(row), household=household, monthly_amount=row.monthly_amount,
        threshold=row.threshold, formula_version=row.formula_version, evaluated_at=row.at,
        amount_lines=feed.amount_lines_of(row) if with_amount_lines else None)


def cursor_of(row: EligibilityChange) -> str:
    return feed.encode_cursor(row.sequence)
