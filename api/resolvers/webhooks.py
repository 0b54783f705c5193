"""Resolvers of webhooks: an agency's (or an admin's) pushes of a program's changes."""

from __future__ import annotations

from api.resolvers.context import RequestContext
from api.services import webhooks


def _production(ctx: RequestContext) -> bool:
    return ctx.request.app.state.settings.production


async def create_webhook(ctx: RequestContext, url: str, program: str | None):
    return await webhooks.create(ctx.require_principal(), url, program,
                                 production=_production(ctx))


async def list_webhooks(ctx: RequestContext, program: str | None):
    return (await webhooks.list_for(ctx.require_principal(), program))[:webhooks.LISTED]


async def delete_webhook(ctx: RequestContext, webhook_id: str) -> bool:
    return await webhooks.delete(ctx.require_principal(), webhook_id)


async def webhook_deliveries(ctx: RequestContext, webhook_id: str, *, first: int,
                             after: str | None):
    return await webhooks.deliveries(ctx.require_principal(), webhook_id, first=first,
                                     after=after)
