"""The change feed (`eligibilityChanges`) and its webhooks: their types and root fields."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry
from strawberry.types import Info

from api.resolvers import feed as feed_resolvers
from api.resolvers import webhooks as webhook_resolvers
from api.schema import cost
from api.schema.enums import ProgramCode
from api.schema.paging import PageInfo
from api.schema.programs import Eligibility
from api.schema.selection import selects
from api.services import audit, feed, webhooks


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
                "the feed), a person's facts corrected, an age reached or the date a rule reads "
                "(the last two published by the daily `sijill programs apply`).")

# a stored value's member, by a dict lookup (a page holds a thousand)
_KINDS = {member.value: member for member in EligibilityChangeKind}
_CAUSES = {member.value: member for member in EligibilityChangeCause}


@strawberry.type(description="One change of a person's answer for a program.")
class EligibilityChange:
    row: strawberry.Private[object]
    answer: strawberry.Private[object]

    def __post_init__(self) -> None:
        audit.record_subject(self.row.idcs)  # read, whether its answer is selected or not

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
        return _KINDS[self.row.kind]

    @strawberry.field
    def cause(self) -> EligibilityChangeCause:
        return _CAUSES[self.row.cause]

    @strawberry.field(description="The answer after the change (its household as it is now).")
    def eligibility(self) -> Eligibility:
        return Eligibility(answer=self.answer)


@strawberry.type
class EligibilityChangeEdge:
    change: strawberry.Private[EligibilityChange]

    @strawberry.field
    def cursor(self) -> str:
        return feed_resolvers.cursor_of(self.change.row)  # made when asked for

    @strawberry.field
    def node(self) -> EligibilityChange:
        return self.change


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
            info.context, program.value, first=100 if first is None else first, after=after,
            with_households=selects(info, ("edges", "node", "eligibility"),
                                    frozenset({"household"})),
            with_amount_lines=selects(info, ("edges", "node", "eligibility"),
                                      frozenset({"amountLines"})))
        edges = [EligibilityChangeEdge(change=EligibilityChange(row=row, answer=answer))
                 for row, answer in rows]
        return EligibilityChangeConnection(
            edges=edges, page_info=PageInfo(
                has_next_page=has_next,
                end_cursor=feed_resolvers.cursor_of(rows[-1][0]) if rows else after))


@strawberry.type(description="Where a program's changes are pushed.")
class Webhook:
    row: strawberry.Private[object]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field
    def program(self) -> ProgramCode:
        return ProgramCode(self.row.program)

    @strawberry.field
    def url(self) -> str:
        return self.row.url

    @strawberry.field(description="False once disabled (after 24 hours of failed deliveries).")
    def active(self) -> bool:
        return self.row.active

    @strawberry.field
    def created_at(self) -> datetime:
        return self.row.created_at

    @strawberry.field(description="The sequence of the last change delivered.")
    def last_delivered_sequence(self) -> int:
        return self.row.last_sequence

    @strawberry.field(description="Since when deliveries fail, while they do.")
    def failing_since(self) -> datetime | None:
        return self.row.failing_since

    @strawberry.field(description="When the next delivery is tried (after a failure: later "
                                  "and later, up to an hour apart).")
    def next_attempt_at(self) -> datetime | None:
        return self.row.next_attempt_at if self.row.active else None

    @strawberry.field
    def disabled_at(self) -> datetime | None:
        return self.row.disabled_at

    @strawberry.field
    def disabled_reason(self) -> str | None:
        return self.row.disabled_reason


@strawberry.type(description="A webhook just created, with its signing secret: shown this once.")
class WebhookCreated:
    row: strawberry.Private[object]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(description="The Standard Webhooks signing secret (`whsec_…`): keep it; "
                                  "it is never shown again.")
    def secret(self) -> str:
        return self.row.secret

    @strawberry.field
    def webhook(self) -> Webhook:
        return Webhook(row=self.row)


@strawberry.type(description="One attempt to deliver a batch of changes.")
class WebhookDelivery:
    row: strawberry.Private[object]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.id))

    @strawberry.field(description="The `webhook-id` header sent (the same batch sent again "
                                  "after a failure has a new one).")
    def message_id(self) -> str:
        return self.row.message_id

    @strawberry.field
    def attempted_at(self) -> datetime:
        return self.row.attempted_at

    @strawberry.field
    def first_sequence(self) -> int:
        return self.row.first_sequence

    @strawberry.field
    def last_sequence(self) -> int:
        return self.row.last_sequence

    @strawberry.field
    def changes(self) -> int:
        return self.row.changes

    @strawberry.field(description="The receiver's HTTP status; null when it could not be "
                                  "reached.")
    def status_code(self) -> int | None:
        return self.row.status_code

    @strawberry.field
    def delivered(self) -> bool:
        return self.row.delivered

    @strawberry.field
    def error(self) -> str | None:
        return self.row.error

    @strawberry.field
    def duration_ms(self) -> int:
        return self.row.duration_ms


@strawberry.type
class WebhookDeliveryEdge:
    cursor: str
    node: WebhookDelivery


@strawberry.type(description="A page of a webhook's delivery attempts, newest first.")
class WebhookDeliveryConnection:
    edges: list[WebhookDeliveryEdge]
    page_info: PageInfo


@strawberry.type
class WebhooksQuery:
    @strawberry.field(description="The webhooks of a program (an agency's own; all programs for "
                                  "an admin who names none), newest first.",
                      metadata=cost.at_most(webhooks.LISTED))
    async def webhooks(self, info: Info, program: ProgramCode | None = None) -> list[Webhook]:
        rows = await webhook_resolvers.list_webhooks(info.context,
                                                     program.value if program else None)
        return [Webhook(row=row) for row in rows]

    @strawberry.field(description="A webhook's delivery attempts, newest first.",
                      metadata=cost.sized_by("first", default=20, most=100))
    async def webhook_deliveries(self, info: Info, webhook_id: strawberry.ID,
                                 first: int | None = 20,
                                 after: str | None = None) -> WebhookDeliveryConnection:
        rows, has_next = await webhook_resolvers.webhook_deliveries(
            info.context, str(webhook_id), first=20 if first is None else first, after=after)
        edges = [WebhookDeliveryEdge(cursor=webhooks.delivery_cursor(r),
                                     node=WebhookDelivery(row=r)) for r in rows]
        return WebhookDeliveryConnection(edges=edges, page_info=PageInfo(
            has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None))


@strawberry.type
class WebhooksMutation:
    @strawberry.mutation(description="Push the program's changes to this URL (in production: "
                                     "https, to a host on the public internet only). An "
                                     "agency's webhook is for its own program; an admin names "
                                     "the program.")
    async def create_webhook(self, info: Info, url: str,
                             program: ProgramCode | None = None) -> WebhookCreated:
        row = await webhook_resolvers.create_webhook(info.context, url,
                                                     program.value if program else None)
        return WebhookCreated(row=row)

    @strawberry.mutation(description="Stop pushing to a webhook, and forget its deliveries.")
    async def delete_webhook(self, info: Info, id: strawberry.ID) -> bool:
        return await webhook_resolvers.delete_webhook(info.context, str(id))
