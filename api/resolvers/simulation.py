"""Resolver of `simulateProgram`: a draft checked before any work, then evaluated."""

from __future__ import annotations

from api.errors import BadUserInput
from api.resolvers.context import RequestContext
from api.services import clock, simulation


async def simulate_program(ctx: RequestContext, program: str, definition: str, group_by: str
                           ) -> simulation.Simulation:
    ctx.require_principal()
    if len(definition) > simulation.MAX_DEFINITION:
        raise BadUserInput(f"a definition is at most {simulation.MAX_DEFINITION} characters",
                           field="definition")
    try:
        return await simulation.simulate(program, definition, group_by, clock.today())
    except simulation.DraftError as exc:
        raise BadUserInput(exc.message, field=exc.key) from None
