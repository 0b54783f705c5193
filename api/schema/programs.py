"""The programs, eligibility and enrollments: their types and root fields."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry.types import Info

from api.programs.catalogue import Program as ProgramEntry
from api.programs.catalogue import catalogue as program_catalogue
from api.resolvers import programs as program_resolvers
from api.schema import cost
from api.schema.enums import EnrollmentStatus, ProgramCode
from api.schema.paging import connection_of
from api.schema.selection import selects
from api.schema.types import Enrollment, EnrollmentConnection, EnrollmentEdge, Household
from api.services import audit, clock
from api.services import enrollments as enrollment_service
from api.services.eligibility import EligibilityAnswer


@strawberry.type(description="A condition of a program: when its rule is false, its reason is in "
                             "the answer.")
class ProgramCriterion:
    reason: str
    description: str
    rule: str = strawberry.field(description="The condition, in CEL over the documented facts.")


def _described(entry: ProgramEntry, today: date):
    """The version in force today, or, for a program not yet in force, its first version."""
    first = entry.versions[0]
    return entry.version_on(today) if first.effective_from <= today else first


@strawberry.type(description="A social program and its version in force today (for a program "
                             "not yet in force: its first version, with `inForce` false).")
class Program:
    entry: strawberry.Private[ProgramEntry]

    @strawberry.field
    def code(self) -> ProgramCode:
        return ProgramCode(self.entry.code)

    @strawberry.field
    def name(self) -> str:
        return self.entry.name

    @strawberry.field(description="Whether the program answers today: false for a program "
                                  "published ahead of the day its first version takes effect.")
    def in_force(self) -> bool:
        return self.entry.versions[0].effective_from <= clock.today()

    @strawberry.field(description="The day the version described here took effect (or takes "
                                  "effect).")
    def effective_from(self) -> date:
        return _described(self.entry, clock.today()).effective_from

    @strawberry.field(description="Highest index eligible, in force today.")
    def threshold(self) -> float:
        return _described(self.entry, clock.today()).threshold

    @strawberry.field(description="Since when the threshold in force has been in force.")
    def threshold_effective_from(self) -> date:
        today = clock.today()
        if self.entry.versions[0].effective_from > today:
            return self.entry.versions[0].effective_from
        return self.entry.threshold_since(today)

    @strawberry.field
    def legal_reference(self) -> str:
        return _described(self.entry, clock.today()).legal_reference

    @strawberry.field(description="The purposes an agency token of the program may declare.")
    def purposes(self) -> list[str]:
        return list(self.entry.purposes)

    @strawberry.field(description="The conditions of the version in force today, in order.")
    def criteria(self) -> list[ProgramCriterion]:
        return [ProgramCriterion(reason=c.reason, description=c.description, rule=c.rule.source)
                for c in _described(self.entry, clock.today()).criteria]


@strawberry.type(description="A part of a monthly amount.")
class AmountLine:
    label: str
    amount: int


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
    def household(self, info: Info) -> Household | None:
        return None if self.answer.household is None else Household(row=self.answer.household)

    @strawberry.field(description="Monthly amount in dirhams when eligible, for a program that "
                                  "pays one (ASD).")
    def monthly_amount(self) -> int | None:
        return self.answer.monthly_amount

    @strawberry.field(description="The parts of monthlyAmount (lines of 0 left out); null when "
                                  "there is no amount.")
    def amount_lines(self) -> list[AmountLine] | None:
        if self.answer.amount_lines is None:
            return None
        return [AmountLine(label=label, amount=amount)
                for label, amount in self.answer.amount_lines]

    @strawberry.field(description="The program threshold applied.")
    def threshold(self) -> float:
        return self.answer.threshold

    @strawberry.field(description="Formula version of the household's index.")
    def formula_version(self) -> str | None:
        return self.answer.formula_version

    @strawberry.field
    def evaluated_at(self) -> datetime:
        return self.answer.evaluated_at


def _shows_members(info: Info) -> bool:
    """Does the answer show the households' members (read with the answers, then)?"""
    return selects(info, ("household",), _MEMBER_FIELDS)


_MEMBER_FIELDS = frozenset({"members", "head"})  # `size`: counted with the answer


def _programs_in_force() -> int:
    """`programs` returns as many items as the catalogue in force has programs."""
    return len(program_catalogue().codes)


@strawberry.type
class ProgramsQuery:
    @strawberry.field(description="The social programs and their thresholds in force today.",
                      metadata=cost.at_most(_programs_in_force))
    def programs(self) -> list[Program]:
        return [Program(entry=p) for p in program_catalogue().programs.values()]

    @strawberry.field(description="Is this person's household eligible for the program?")
    async def eligibility(
        self, info: Info, program: ProgramCode, idcs: str,
        as_of: Annotated[date | None, strawberry.argument(
            description="A past day: the program's version in force that day and the household "
                        "as it was then. Today when omitted.")] = None,
    ) -> Eligibility:
        return Eligibility(answer=await program_resolvers.eligibility(
            info.context, program.value, idcs, as_of, with_members=_shows_members(info)))

    @strawberry.field(description="Bulk eligibility: at most 1000 ids, answers in input order.",
                      metadata=cost.sized_by("idcs", default=0, most=1000))
    async def eligibilities(
        self, info: Info, program: ProgramCode, idcs: list[str],
        as_of: Annotated[date | None, strawberry.argument(
            description="A past day, as for `eligibility`.")] = None,
    ) -> list[Eligibility]:
        answers = await program_resolvers.eligibilities(info.context, program.value, idcs, as_of,
                                                        with_members=_shows_members(info))
        return [Eligibility(answer=a) for a in answers]

    @strawberry.field(description="Enrollments in a program, as a Relay connection.",
                      metadata=cost.sized_by("first", default=20, most=100))
    async def enrollments(
        self, info: Info, program: ProgramCode, status: EnrollmentStatus | None = None,
        first: int | None = 20, after: str | None = None,
    ) -> EnrollmentConnection:
        rows, has_next, total = await program_resolvers.enrollment_page(
            info.context, program.value, status=status.value if status else None,
            first=20 if first is None else first, after=after,
        )
        return connection_of(EnrollmentConnection, EnrollmentEdge, Enrollment, rows, has_next, total,
                           lambda r: enrollment_service.encode_cursor(str(r.id)))


@strawberry.type
class ProgramsMutation:
    @strawberry.mutation(description="Enrol an eligible household in a program.")
    async def enroll(self, info: Info, program: ProgramCode, household_id: strawberry.ID) -> Enrollment:
        return Enrollment(row=await program_resolvers.enroll(info.context, program.value, str(household_id)))

    @strawberry.mutation(description="End an enrollment, with a reason.")
    async def end_enrollment(self, info: Info, id: strawberry.ID, reason: str) -> Enrollment:
        return Enrollment(row=await program_resolvers.end_enrollment(info.context, str(id), reason))
