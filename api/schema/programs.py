"""Types of the index, programs, eligibility and enrollments."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from api.models import Enrollment as EnrollmentRow
from api.models import HouseholdIndex as IndexRow
from api.scoring.programs import ProgramInfo
from api.services import audit, clock
from api.services.eligibility import EligibilityAnswer

if TYPE_CHECKING:
    from api.schema.types import Household


@strawberry.enum
class ProgramCode(Enum):
    AMO_TADAMON = "AMO_TADAMON"
    ASD = "ASD"
    TAYSSIR = "TAYSSIR"


@strawberry.enum
class EnrollmentStatus(Enum):
    ACTIVE = "ACTIVE"
    ENDED = "ENDED"


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

    @strawberry.field(description="Each term's contribution; they add up to the value.")
    def components(self) -> list[IndexComponent]:
        return [IndexComponent(name=c["name"], contribution=c["contribution"])
                for c in self.row.components]


@strawberry.type(description="A social program and its threshold in force today.")
class Program:
    info: strawberry.Private[ProgramInfo]

    @strawberry.field
    def code(self) -> ProgramCode:
        return ProgramCode(self.info.code)

    @strawberry.field
    def name(self) -> str:
        return self.info.name

    @strawberry.field(description="Highest index eligible, in force today.")
    def threshold(self) -> float:
        return self.info.threshold_on(clock.today()).value

    @strawberry.field
    def threshold_effective_from(self) -> date:
        return self.info.threshold_on(clock.today()).effective_from

    @strawberry.field
    def legal_reference(self) -> str:
        return self.info.threshold_on(clock.today()).legal_reference


@strawberry.type(description="Whether a person's household is eligible for a program, and why.")
class Eligibility:
    answer: strawberry.Private[EligibilityAnswer]

    def __post_init__(self) -> None:
        audit.record_subject(self.answer.idcs)

    @strawberry.field
    def idcs(self) -> str:
        return self.answer.idcs

    @strawberry.field
    def program(self) -> ProgramCode:
        return ProgramCode(self.answer.program)

    @strawberry.field
    def eligible(self) -> bool:
        return self.answer.eligible

    @strawberry.field(description="Reason codes: INDEX_WITHIN_THRESHOLD when eligible, else each "
                                  "failing condition.")
    def reasons(self) -> list[str]:
        return list(self.answer.reasons)

    @strawberry.field
    def household(self, info: Info) -> Annotated[Household, strawberry.lazy("api.schema.types")] | None:
        from api.schema.types import Household

        return None if self.answer.household is None else Household(row=self.answer.household)

    @strawberry.field(description="ASD only: monthly amount in dirhams when eligible.")
    def monthly_amount(self) -> int | None:
        return self.answer.monthly_amount

    @strawberry.field(description="The program threshold applied.")
    def threshold(self) -> float:
        return self.answer.threshold

    @strawberry.field(description="Formula version of the household's index.")
    def formula_version(self) -> str | None:
        return self.answer.formula_version

    @strawberry.field
    def evaluated_at(self) -> datetime:
        return self.answer.evaluated_at


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
    async def household(self, info: Info) -> Annotated[Household, strawberry.lazy("api.schema.types")]:
        from api.schema.types import Household

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


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class EnrollmentConnection:
    edges: list[EnrollmentEdge]
    page_info: PageInfo
    total_count: int
