"""What-if simulation of a program's draft version (`simulateProgram`): its types and root
field. Aggregates only: no person or household is ever named."""

from __future__ import annotations

import dataclasses
from datetime import date

import strawberry
from strawberry.types import Info

from api.resolvers import simulation as simulation_resolvers
from api.schema import cost
from api.schema.auditing import StatisticsGrouping
from api.schema.enums import ProgramCode

_SUPPRESSED = " Null when withheld: a count from 1 to 9, or one that would let such a count be derived."


@strawberry.type
class SimulationFigures:
    """The figures both the answer (the whole register) and each of its groups carry."""

    eligible_now: int | None = strawberry.field(
        description="Persons eligible under the version in force today.")
    eligible_draft: int | None = strawberry.field(
        description="Persons eligible under the draft.")
    gained: int | None = strawberry.field(
        description="Persons eligible under the draft and not now.")
    lost: int | None = strawberry.field(
        description="Persons eligible now and not under the draft.")
    monthly_cost_now: int | None = strawberry.field(
        description="Dirhams a month under the version in force: each household with an "
                    "eligible member counted once, with the amount of its oldest eligible member.")
    monthly_cost_draft: int | None = strawberry.field(
        description="Dirhams a month under the draft, counted the same way.")


@strawberry.type(description="The figures of one group (region, province, milieu or index band).")
class SimulationGroup(SimulationFigures):
    key: str = strawberry.field(description="Region or province code, milieu, or lower bound of "
                                            "a 0.25-wide index band (NOT_SCORED).")
    label: str


@strawberry.type(description="A draft version of a program evaluated over the whole register "
                             "as of today, beside the version in force." + _SUPPRESSED)
class ProgramSimulation(SimulationFigures):
    program: ProgramCode
    as_of: date = strawberry.field(description="The day both versions were applied.")
    threshold_now: float | None = strawberry.field(
        description="The threshold in force today (null when no version is in force).")
    threshold_draft: float
    groups: list[SimulationGroup] = strawberry.field(
        description="The figures per group, in the order of their keys.",
        metadata=cost.at_most(100))  # 75 provinces, 12 regions, 2 milieus, index bands
    evaluation: str = strawberry.field(
        description="SQL (both versions compiled to one statement) or CEL (households "
                    "evaluated in batches with the compiled rules).")
    households: int = strawberry.field(description="Households evaluated (not closed).")


def _figures(figures) -> dict:
    return dataclasses.asdict(figures)  # the service's Figures: the same six names


@strawberry.type
class SimulationQuery:
    @strawberry.field(
        description="Evaluate a draft version of the program (one element of a program file's "
                    "`versions`, as JSON text) over the whole register as of today, beside the "
                    "version in force: who gains, who loses, what it costs, per group. For "
                    "program designers (analyst) and admins; counts from 1 to 9 withheld.")
    async def simulate_program(self, info: Info, program: ProgramCode, definition: str,
                               group_by: StatisticsGrouping = StatisticsGrouping.REGION
                               ) -> ProgramSimulation:
        found = await simulation_resolvers.simulate_program(
            info.context, program.value, definition, group_by.value)
        return ProgramSimulation(
            program=program, as_of=found.as_of, threshold_now=found.threshold_now,
            threshold_draft=found.threshold_draft, **_figures(found.total),
            groups=[SimulationGroup(key=g.key, label=g.label, **_figures(g.figures))
                    for g in found.groups],
            evaluation=found.path, households=found.households)
