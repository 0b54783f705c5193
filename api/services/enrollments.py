"""Program enrollments: only an eligible household enrols, at most once at a time per program."""

from __future__ import annotations

import uuid

from tortoise.transactions import in_transaction

from api.errors import BadUserInput, Conflict, NotFound
from api.models import Enrollment, Household, Membership, Person
from api.principal import Principal
from api.services import clock, eligibility, paging, validation
from api.services.households import parse_household_id
from api.services.integrity import IntegrityError

END_REASON_MAX = 300


async def _head_idcs(household_id: str) -> str | None:
    head = await Membership.filter(household_id=household_id, end_date=None, relationship="HEAD").first()
    if head is None:
        return None
    person = await Person.get(id=head.person_id)
    return person.idcs


async def enroll(principal: Principal, program: str, household_id: str, *,
                 before_reading=None) -> Enrollment:
    """Enrol a household whose head is eligible today; else BAD_USER_INPUT with the reasons.
    `before_reading(program, ids)`, when given, counts the household's current members
    against the program's daily cap before anything about them is read or returned."""
    eligibility.check_program_access(principal, program)
    eligibility.check_in_force(program, clock.today())
    hid = parse_household_id(household_id)
    household = await Household.get_or_none(id=hid)
    if household is None:
        raise NotFound("No household with this id.")
    if before_reading is not None:
        members = await Person.filter(memberships__household_id=hid,
                                      memberships__end_date=None).values_list("idcs", flat=True)
        await before_reading(program, list(members))
    head = await _head_idcs(hid)
    if head is None:
        raise BadUserInput("This household has no living member.", field="householdId",
                           reasons=["HOUSEHOLD_NOT_ACTIVE"])
    (answer,) = await eligibility.evaluate(principal, program, [head])
    if not answer.eligible:
        raise BadUserInput("This household is not eligible for the program.", field="householdId",
                           reasons=list(answer.reasons))
    try:
        async with in_transaction():
            if await Enrollment.filter(household_id=hid, program=program, status="ACTIVE").exists():
                raise Conflict("This household is already enrolled in the program.",
                               field="householdId")
            return await Enrollment.create(
                id=uuid.uuid4(), program=program, household_id=hid, status="ACTIVE",
                started_at=clock.now(), enrolled_by=principal.subject,
                index_value=household.index_value, threshold=answer.threshold,
                formula_version=household.index_formula_version,
            )
    except IntegrityError as exc:
        raise Conflict("This household is already enrolled in the program.",
                       field="householdId") from exc


async def end_enrollment(principal: Principal, enrollment_id: str, reason: str) -> Enrollment:
    try:
        eid = str(uuid.UUID(str(enrollment_id)))
    except ValueError as exc:
        raise BadUserInput("Malformed enrollment id.", field="id") from exc
    reason = validation.short_text(reason, "reason", max_length=END_REASON_MAX)
    enrollment = await Enrollment.get_or_none(id=eid)
    if enrollment is None or not _may_manage(principal, enrollment.program):
        raise NotFound("No enrollment with this id.")
    now = clock.now()
    updated = await Enrollment.filter(id=eid, status="ACTIVE").update(
        status="ENDED", ended_at=now, end_reason=reason
    )
    if not updated:
        raise Conflict("This enrollment has already ended.", field="id")
    await enrollment.refresh_from_db()
    return enrollment


def _may_manage(principal: Principal, program: str) -> bool:
    return principal.is_admin or (principal.has("program_agency") and principal.program == program)


def encode_cursor(enrollment_id: str) -> str:
    return paging.encode_cursor("enrollment", enrollment_id)


def decode_cursor(cursor: str) -> str:
    return paging.decode_cursor(cursor, "enrollment", paging.uuid_key)


async def list_enrollments(
    principal: Principal, program: str, *, status: str | None = None, first: int = 20,
    after: str | None = None,
) -> tuple[list[Enrollment], bool, int]:
    eligibility.check_program_access(principal, program)
    paging.check_first(first)
    query = Enrollment.filter(program=program)
    if status is not None:
        query = query.filter(status=status)
    return await paging.keyset_page(query, key="id", first=first,
                                    after=decode_cursor(after) if after is not None else None)
