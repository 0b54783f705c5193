"""The change feed (`eligibilityChanges`): its types and root field."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from api.resolvers import feed as feed_resolvers
from api.schema import cost
from api.schema.enums import ProgramCode
from api.schema.paging import PageInfo
from api.schema.programs import Eligibility
from api.services import feed


@strawberry.enum(description="How a person's answer changed.")
class EligibilityChangeKind(Enum):
    BECAME_ELIGIBLE = "BECAME_ELIGIBLE"
    NO_LONGER_ELIGIBLE = "NO_LONGER_ELIGIBLE"
    AMOUNT_CHANGED = "AMOUNT_CHANGED"
    REASONS_CHANGED = "REASONS_CHANGED"


EligibilityChangeCause = strawberry.enum(
    Enum("EligibilityChangeCause", {cause: cause for cause in feed.CAUSES}),
    description="What changed the answer: a registration, a member added or removed, a death, "
                "a declaration, a rescore, a program version taking effect (or a program new to "
                "the feed), a person's facts corrected, an age reached (published by the daily "
                "`sijill programs apply`).")


@strawberry.type(description="One change of a person's answer for a program.")
class EligibilityChange:
    row: strawberry.Private[object]
    answer: strawberry.Private[object]

    @strawberry.field(description="Position in the program's feed: increasing in commit order.")
    def sequence(self) -> int:
        return self.row.sequence

    @strawberry.field(description="When the change was committed.")
    def at(self) -> datetime:
        return self.row.at

    @strawberry.field
    def idcs(self) -> str:
        return self.row.idcs

    @strawberry.field
    def kind(self) -> EligibilityChangeKind:
        return EligibilityChangeKind(self.row.kind)

    @strawberry.field
    def cause(self) -> EligibilityChangeCause:
        return EligibilityChangeCause(self.row.cause)

    @strawberry.field(description="The answer after the change (its household as it is now).")
    def eligibility(self) -> Eligibility:
        return Eligibility(answer=self.answer)


@strawberry.type
class EligibilityChangeEdge:
    cursor: str
    node: EligibilityChange


@strawberry.type(description="A page of a program's changes, oldest first.")
class EligibilityChangeConnection:
    edges: list[EligibilityChangeEdge]
    page_info: PageInfo


@strawberry.type
class FeedQuery:
    @strawberry.field(
        description="Every change of a person's answer for the program, in commit order, "
                    "after the cursor: at least once, kept 90 days. For the program's agency "
                    "and admins.",
        metadata=cost.sized_by("first", default=100, most=feed.PAGE_MAX))
    async def eligibility_changes(self, info: Info, program: ProgramCode,
                                  after: str | None = None,
                                  first: int | None = 100) -> EligibilityChangeConnection:
        rows, has_next = await feed_resolvers.eligibility_changes(
            info.context, program.value, first=100 if first is None else first, after=after)
        edges = [EligibilityChangeEdge(cursor=feed_resolvers.cursor_of(row),
                                       node=EligibilityChange(row=row, answer=answer))
                 for row, answer in rows]
        return EligibilityChangeConnection(
            edges=edges, page_info=PageInfo(has_next_page=has_next,
                                            end_cursor=edges[-1].cursor if edges else after))
