"""The social register: households, their members over time, and their declarations."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import date

from tortoise import Tortoise
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from api.enums import Asset, HouseholdStatus, Milieu, Relationship
from api.errors import BadUserInput, Conflict, Faults, Forbidden, NotFound
from api.models import Declaration, Household, Membership, Person
from api.principal import Principal
from api.scoring.formula import HouseholdFacts, members_from_birth_dates
from api.services import (
    audit,
    clock,
    extents,
    feed,
    idempotency,
    integrity,
    paging,
    scope,
    scoring,
    validation,
)
from api.services.inputs import DeclarationData, HouseholdData
from api.services.integrity import IntegrityError
from api.services.reference import territory
from api.services.sqlparams import Params

REFERENCE_ATTEMPTS = 10
MONEY_MAX = 100_000
RURAL_MAX = 10_000


# ---------------------------------------------------------------- identifiers and scope

def parse_household_id(value: str, field: str = "householdId") -> str:
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, AttributeError, TypeError) as exc:
        raise BadUserInput("Malformed household id.", field=field) from exc


async def citizen_household_id(principal: Principal) -> str | None:
    """The current household of a citizen caller (whose `sub` is their IDCS), if any."""
    if not principal.has("citizen"):
        return None
    conn = Tortoise.get_connection("default")
    p = Params(conn)
    _, rows = await conn.execute_query(
        "SELECT m.household_id FROM memberships m JOIN persons p ON p.id = m.person_id "
        f"WHERE p.idcs = {p(principal.subject)} AND m.end_date IS NULL LIMIT 1", p.values)
    return str(uuid.UUID(str(rows[0]["household_id"]))) if rows else None


async def get_household(principal: Principal, household_id: str, *,
                        own: str | None | object = ...,
                        read: Callable[[str], Awaitable[Household | None]] | None = None
                        ) -> Household:
    """`own`: the caller's own household when already known (a citizen's; None for anyone
    else), looked up here otherwise. `read`: how the row is read by its (well-formed) id, when
    the caller reads more with it (its members)."""
    hid = parse_household_id(household_id, "id")
    household = await (read(hid) if read is not None else Household.get_or_none(id=hid))
    if own is ...:
        own = await citizen_household_id(principal)
    if household is None or not scope.can_read_household(
        principal, household.province_id, str(household.id), own
    ):
        raise NotFound("No household with this id.")
    return household


REFERENCE_FORMAT = "RSU-<region>-<9 digits>"
_REFERENCE = re.compile(r"^RSU-[0-9]{2}-[0-9]{9}$")


async def get_by_reference(principal: Principal, reference: str) -> Household:
    """`householdByReference`: registrars and admins, with the row scope of `household(id)`;
    NOT_FOUND when unknown or out of scope."""
    if not (principal.is_admin or principal.has("registrar")):
        raise NotFound("No household with this reference.")
    value = (reference or "").strip().upper()
    if not _REFERENCE.match(value):
        raise BadUserInput(f"Malformed household reference: {REFERENCE_FORMAT} "
                           "(e.g. RSU-06-123456789).", field="reference")
    household = await Household.get_or_none(reference=value)
    if household is None or not scope.can_read_household(
            principal, household.province_id, str(household.id), None):
        raise NotFound("No household with this reference.")
    return household


def encode_cursor(household_id: str) -> str:
    return paging.encode_cursor("household", household_id)


def decode_cursor(cursor: str) -> str:
    return paging.decode_cursor(cursor, "household", paging.uuid_key)


async def list_households(
    principal: Principal,
    *,
    province: str | None = None,
    region: str | None = None,
    milieu: str | None = None,
    status: str | None = None,
    first: int = 20,
    after: str | None = None,
) -> tuple[list[Household], bool, paging.TotalCount]:
    """A keyset page ordered by id: (rows, has_next_page, total count, counted if asked for)."""
    paging.check_first(first)
    if not scope.can_browse(principal):
        raise Forbidden("This caller may not browse households.")
    own = await citizen_household_id(principal)
    scoped = scope.household_filter(principal, own)
    if scoped is None:
        return paging.no_rows()
    query = Household.filter(scoped)
    if province is not None:
        if territory().province(province) is None:
            raise BadUserInput("Unknown province code.", field="filter.province")
        query = query.filter(province_id=province)
    if region is not None:
        if territory().region(region) is None:
            raise BadUserInput("Unknown region code.", field="filter.region")
        query = query.filter(region_id=region)
    if milieu is not None:
        query = query.filter(milieu=milieu)
    if status is not None:
        query = query.filter(status=status)
    return await paging.keyset_page(query, key="id", first=first,
                                    after=decode_cursor(after) if after is not None else None)


# ---------------------------------------------------------------- validation

def validate_declaration(data: DeclarationData, milieu: str, prefix: str) -> dict:
    """The declaration's values, checked and normalised; every fault reported at once."""
    v = validation
    faults = Faults()
    values = asdict(data)
    with faults.check():
        v.bounded_int(data.rooms, f"{prefix}.rooms", 1, 30)
    with faults.check():
        v.bounded_int(data.butane_bottles_monthly, f"{prefix}.butaneBottlesMonthly", 0, 50)
    for field, path in (
        ("electricity_monthly", "electricityMonthly"),
        ("water_monthly", "waterMonthly"),
        ("phone_monthly", "phoneMonthly"),
    ):
        with faults.check():
            values[field] = v.bounded_amount(getattr(data, field), f"{prefix}.{path}", 0,
                                             MONEY_MAX)
    with faults.check():
        if len(set(data.assets)) != len(data.assets):
            raise BadUserInput("An asset is listed twice.", field=f"{prefix}.assets")
        values["assets"] = sorted(Asset(a).value for a in data.assets)
    for field, path in (
        ("agricultural_land_hectares", "agriculturalLandHectares"),
        ("livestock_units", "livestockUnits"),
    ):
        value = getattr(data, field)
        if value is None:
            continue
        with faults.check():
            if milieu != Milieu.RURAL.value:
                raise BadUserInput("Land and livestock are declared by rural households only.",
                                   field=f"{prefix}.{path}")
            values[field] = v.bounded_amount(value, f"{prefix}.{path}", 0, RURAL_MAX)
    faults.raise_if_any()
    return values


# What a citizen is told about any person outside their household, whatever the reason
# (unregistered, deceased, adult, in another household): contract §5a.
_NOT_ADDABLE = "No person with this IDCS can be added by you."


def _not_addable(field: str) -> NotFound:
    return NotFound(_NOT_ADDABLE, field=field)


async def _load_members(data: HouseholdData, today: date, *,
                        citizen: str | None = None) -> dict[str, Person]:
    """The members' persons. For a citizen declaring online (`citizen`: their IDCS), every
    other member must be a living minor in no household, and any member who is not answers
    the same NOT_FOUND."""
    if not 1 <= len(data.members) <= validation.MAX_MEMBERS:
        raise BadUserInput(f"A household has 1 to {validation.MAX_MEMBERS} members.",
                           field="input.members")
    seen: set[str] = set()
    for i, member in enumerate(data.members):
        validation.idcs(member.idcs, f"input.members[{i}].idcs")
        if member.idcs in seen:
            raise BadUserInput("A person is listed twice.", field=f"input.members[{i}].idcs")
        seen.add(member.idcs)
    heads = [i for i, m in enumerate(data.members) if m.relationship == Relationship.HEAD.value]
    if len(heads) != 1:
        raise BadUserInput("Exactly one member has the relationship HEAD.", field="input.members")
    persons = {p.idcs: p for p in await Person.filter(idcs__in=sorted(seen))}
    if citizen is not None:
        others = [p.id for i, p in persons.items() if i != citizen]
        taken = set(await Membership.filter(person_id__in=others, end_date=None)
                    .values_list("person_id", flat=True)) if others else set()
        for i, member in enumerate(data.members):
            person = persons.get(member.idcs)
            if member.idcs != citizen and (
                    person is None or person.death_date is not None or person.id in taken
                    or validation.age_on(person.birth_date, today) >= validation.ADULT_AGE):
                raise _not_addable(f"input.members[{i}].idcs")
    for i, member in enumerate(data.members):
        person = persons.get(member.idcs)
        if person is None:
            raise BadUserInput("Not in the population register: register the person first.",
                               field=f"input.members[{i}].idcs")
        if person.death_date is not None:
            raise BadUserInput("This person is deceased.", field=f"input.members[{i}].idcs")
    return persons


def _check_declarant(data: HouseholdData, persons: dict[str, Person], today: date) -> Person:
    validation.idcs(data.declarant_idcs, "input.declarantIdcs")
    declarant = persons.get(data.declarant_idcs)
    if declarant is None:
        raise BadUserInput("The declarant must be a member of the household.",
                           field="input.declarantIdcs")
    if validation.age_on(declarant.birth_date, today) < validation.ADULT_AGE:
        raise BadUserInput("The declarant must be an adult (18 or over).",
                           field="input.declarantIdcs")
    return declarant


def _citizen_only(principal: Principal) -> bool:
    return principal.has("citizen") and not (principal.is_admin or principal.has("registrar"))


def _new_reference(region: str) -> str:
    return f"RSU-{region}-{secrets.randbelow(10**9):09d}"


# ---------------------------------------------------------------- registration

async def register_household(
    principal: Principal, data: HouseholdData, *, idempotency_key: str | None = None
) -> Household:
    scope.require_any_role(principal, "admin", "registrar", "citizen")
    key = idempotency.check_key(idempotency_key)
    today = clock.today()
    province = territory().province(data.province)
    if province is None:
        raise BadUserInput("Unknown province code.", field="input.province")
    if not principal.is_admin:
        as_registrar = principal.has("registrar") and data.province in principal.provinces
        as_citizen = principal.has("citizen") and principal.subject == data.declarant_idcs
        if not (as_registrar or as_citizen):
            raise Forbidden("You may not register households in this province or for this declarant.")
    faults = Faults()
    commune = address = declaration = None
    with faults.check():
        commune = validation.short_text(data.commune, "input.commune", max_length=120)
    with faults.check():
        address = validation.short_text(data.address, "input.address", max_length=300)
    with faults.check():
        declaration = validate_declaration(data.declaration, data.milieu, "input.declaration")
    faults.raise_if_any()
    # A citizen declares online for themselves and minors; other adults are added by a
    # registrar, who checks their identity and consent (a citizen could otherwise claim a
    # stranger and read their documents, or learn who is registered).
    persons = await _load_members(
        data, today, citizen=principal.subject if _citizen_only(principal) else None)
    declarant = _check_declarant(data, persons, today)

    digest = idempotency.request_hash(asdict(data))
    if key is not None:
        previous = await idempotency.previous_result(
            actor=principal.subject, operation="registerHousehold", key=key, digest=digest
        )
        if previous is not None:
            return await Household.get(id=previous)
    # A member already in a household is found by the unique index of open memberships when
    # the memberships are inserted (below), not by a query before.
    for _attempt in range(REFERENCE_ATTEMPTS):
        try:
            async with in_transaction():
                locked = await Person.filter(id__in=[p.id for p in persons.values()]
                                             ).select_for_update().order_by("id")
                seen = await feed.watch(persons=[p.id for p in locked])
                for i, member in enumerate(data.members):
                    fresh = next(p for p in locked if p.idcs == member.idcs)
                    if fresh.death_date is not None:
                        if _citizen_only(principal) and member.idcs != principal.subject:
                            raise _not_addable(f"input.members[{i}].idcs")
                        raise BadUserInput("This person is deceased.",
                                           field=f"input.members[{i}].idcs")
                # Scored from what the registration holds (its members as locked, its
                # declaration as validated), not read back after writing them.
                scored = await scoring.index_of(HouseholdFacts(
                    milieu=data.milieu, region=province.region,
                    members=members_from_birth_dates(p.birth_date for p in locked),
                    declaration=declaration))
                household = await Household.create(
                    id=uuid.uuid4(),
                    reference=_new_reference(province.region),
                    region_id=province.region,
                    province_id=province.code,
                    commune=commune,
                    milieu=data.milieu,
                    address=address,
                    status=HouseholdStatus.ACTIVE.value,
                    declarant_id=declarant.id,
                    registered_by=principal.subject,
                    **scored.current(),
                )
                await Membership.bulk_create([
                    Membership(
                        household_id=household.id,
                        person_id=persons[m.idcs].id,
                        relationship=m.relationship,
                        schooling=m.schooling,
                        has_disability=m.has_disability,
                        start_date=today,
                    )
                    for m in data.members
                ])
                await extents.grow(extents.HOUSEHOLD_MEMBERS, len(data.members))
                await Declaration.create(
                    household_id=household.id, version=1, declared_by=principal.subject,
                    **declaration,
                )
                await scoring.record(str(household.id), scored, declaration_version=1,
                                     members=len(data.members), cause="REGISTRATION")
                await feed.publish(seen, "REGISTRATION", households=[household.id])
                if key is not None:
                    await idempotency.remember(
                        actor=principal.subject, operation="registerHousehold", key=key,
                        digest=digest, result_id=str(household.id),
                    )
            return household
        except IntegrityError as exc:
            if integrity.is_unique_violation_on(exc, "households_reference_key", "households.reference"):
                continue
            if key is not None:
                # A concurrent retry with the same key may have committed first: its members'
                # open memberships (not only the key row) then collide with ours.
                previous = await idempotency.previous_result(
                    actor=principal.subject, operation="registerHousehold", key=key, digest=digest
                )
                if previous is not None:
                    return await Household.get(id=previous)
            if _open_membership_taken(exc):
                taken = set(await Membership.filter(
                    person_id__in=[p.id for p in persons.values()], end_date=None
                ).values_list("person_id", flat=True))
                for index, member in enumerate(data.members):
                    if persons[member.idcs].id not in taken:
                        continue
                    if _citizen_only(principal) and member.idcs != principal.subject:
                        # nothing about outsiders: the answer a citizen gets for any of them
                        raise _not_addable(f"input.members[{index}].idcs") from None
                    raise Conflict("This person is already a member of another household.",
                                   field=f"input.members[{index}].idcs") from None
            raise integrity.translate(exc) or exc
    raise Conflict("Could not allocate a household reference; retry.")


def _open_membership_taken(exc: Exception) -> bool:
    return integrity.is_unique_violation_on(exc, "uq_memberships_open_person",
                                            "memberships.person_id")


# ---------------------------------------------------------------- member updates

async def _lock_for_write(
    principal: Principal, household_id: str, expected_version: int | None
) -> Household:
    """Inside a transaction: check scope, bump the version (row lock), or raise."""
    hid = parse_household_id(household_id)
    household = await Household.get_or_none(id=hid)
    own = await citizen_household_id(principal)
    if household is None or not scope.can_read_household(principal, household.province_id, hid, own):
        raise NotFound("No household with this id.")
    if not scope.can_write_household(principal, household.province_id, hid, own):
        raise Forbidden("You may not change this household.")
    if principal.has("citizen") and not (principal.is_admin or principal.has("registrar")):
        await _check_citizen_declarant(principal)
    query = Household.filter(id=hid)
    if expected_version is not None:
        query = query.filter(version=expected_version)
    if not await query.update(version=F("version") + 1, updated_at=clock.now()):
        raise Conflict("Stale expectedVersion: the household was changed meanwhile.",
                       field="expectedVersion")
    await household.refresh_from_db()
    return household


async def _check_citizen_declarant(principal: Principal) -> None:
    person = await Person.get_or_none(idcs=principal.subject)
    if person is None or validation.age_on(person.birth_date, clock.today()) < validation.ADULT_AGE:
        raise Forbidden("Only an adult member may declare changes to the household.")


async def add_member(
    principal: Principal,
    household_id: str,
    idcs: str,
    relationship: str,
    *,
    schooling: str = "NOT_APPLICABLE",
    has_disability: bool = False,
    expected_version: int | None = None,
) -> Household:
    validation.idcs(idcs, "idcs")
    if relationship == Relationship.HEAD.value:
        raise BadUserInput("A household has one head: add the person with another relationship, "
                           "then hand over the headship.", field="relationship")
    try:
        async with in_transaction():
            household = await _lock_for_write(principal, household_id, expected_version)
            if household.status == HouseholdStatus.CLOSED.value:
                raise BadUserInput("This household is closed.", field="householdId")
            # The person's row is locked: a death recorded concurrently waits, or is seen here.
            person = await Person.filter(idcs=idcs).select_for_update().first()
            current = None if person is None else \
                await Membership.get_or_none(person_id=person.id, end_date=None)
            in_this = current is not None and str(current.household_id) == str(household.id)
            if _citizen_only(principal) and not in_this and (
                    person is None or person.death_date is not None or current is not None
                    or validation.age_on(person.birth_date, clock.today())
                    >= validation.ADULT_AGE):
                # the same answer whatever the reason: a citizen learns nothing of outsiders
                raise _not_addable("idcs")
            if person is None:
                raise BadUserInput("Not in the population register: register the person first.",
                                   field="idcs")
            if person.death_date is not None:
                raise BadUserInput("This person is deceased.", field="idcs")
            if current is not None:
                where = "this" if in_this else "another"
                raise Conflict(f"This person is already a member of {where} household.", field="idcs")
            open_count = await Membership.filter(household_id=household.id, end_date=None).count()
            if open_count >= validation.MAX_MEMBERS:
                raise BadUserInput(f"A household has at most {validation.MAX_MEMBERS} members.",
                                   field="householdId")
            audit.record_subject(idcs)
            seen = await feed.watch(households=[household.id], persons=[person.id])
            await Membership.create(
                household_id=household.id, person_id=person.id, relationship=relationship,
                schooling=schooling, has_disability=has_disability, start_date=clock.today(),
            )
            await extents.grow(extents.HOUSEHOLD_MEMBERS, open_count + 1)
            await scoring.score_household(str(household.id), "MEMBER_ADDED")
            await feed.publish(seen, "MEMBER_ADDED")
    except IntegrityError as exc:
        if _citizen_only(principal) and _open_membership_taken(exc):
            raise _not_addable("idcs") from None
        raise integrity.translate(exc) or exc from exc
    return household


async def remove_member(
    principal: Principal,
    household_id: str,
    idcs: str,
    reason: str,
    effective_date: date,
    *,
    new_head_idcs: str | None = None,
    expected_version: int | None = None,
) -> Household:
    validation.idcs(idcs, "idcs")
    if new_head_idcs is not None:
        validation.idcs(new_head_idcs, "newHeadIdcs")
    if effective_date > clock.today():
        raise BadUserInput("The effective date is in the future.", field="effectiveDate")
    try:
        async with in_transaction():
            household = await _lock_for_write(principal, household_id, expected_version)
            open_members = await Membership.filter(household_id=household.id, end_date=None)
            persons = {p.id: p for p in await Person.filter(id__in=[m.person_id for m in open_members])}
            by_idcs = {persons[m.person_id].idcs: m for m in open_members}
            leaving = by_idcs.get(idcs)
            if leaving is None:
                raise BadUserInput("This person is not a current member of the household.",
                                   field="idcs")
            if effective_date < leaving.start_date:
                raise BadUserInput("The effective date is before the membership began.",
                                   field="effectiveDate")
            new_head = None
            if leaving.relationship == Relationship.HEAD.value and len(open_members) > 1:
                if new_head_idcs is None:
                    raise BadUserInput("Removing the head needs newHeadIdcs.", field="newHeadIdcs")
                new_head = by_idcs.get(new_head_idcs)
                if new_head is None or new_head is leaving:
                    raise BadUserInput("The new head must be another current member.",
                                       field="newHeadIdcs")
            elif new_head_idcs is not None:
                raise BadUserInput("newHeadIdcs is only given when the head leaves.",
                                   field="newHeadIdcs")
            if reason == "DEATH" and _citizen_only(principal):
                raise Forbidden("A death is recorded by a registrar.", field="reason")
            audit.record_subject(idcs)
            if new_head is not None:
                audit.record_subject(new_head_idcs)
            seen = await feed.watch(households=[household.id])
            if reason == "DEATH":
                person = persons[leaving.person_id]
                if person.death_date is None:
                    validation.death_date(effective_date, "effectiveDate", person.birth_date,
                                          clock.today())
                    await Person.filter(id=person.id).update(
                        death_date=effective_date, version=F("version") + 1, updated_at=clock.now()
                    )
            await _end(leaving, effective_date, reason)
            if new_head is not None:
                await Membership.filter(id=new_head.id).update(relationship=Relationship.HEAD.value)
            if len(open_members) == 1:
                await _close(household)
            else:
                await scoring.score_household(
                    str(household.id), "DEATH" if reason == "DEATH" else "MEMBER_REMOVED"
                )
            await feed.publish(seen, "DEATH" if reason == "DEATH" else "MEMBER_REMOVED")
    except IntegrityError as exc:
        raise integrity.translate(exc) or exc from exc
    return household


async def _end(membership: Membership, end_date: date, reason: str) -> None:
    await Membership.filter(id=membership.id).update(
        end_date=max(end_date, membership.start_date), exit_reason=reason
    )


async def _close(household: Household) -> None:
    household.status = HouseholdStatus.CLOSED.value
    await Household.filter(id=household.id).update(status=HouseholdStatus.CLOSED.value)


async def end_membership_for_death(
    principal: Principal, *, membership: Membership, household: Household, death_date: date
) -> None:
    """Called inside the transaction recording a death. If the head died, the oldest living
    remaining member becomes head; with no one left the household is closed."""
    await Household.filter(id=household.id).update(version=F("version") + 1, updated_at=clock.now())
    await _end(membership, death_date, "DEATH")
    remaining = await Membership.filter(household_id=household.id, end_date=None)
    if not remaining:
        await _close(household)
        return
    if membership.relationship == Relationship.HEAD.value:
        persons = await Person.filter(id__in=[m.person_id for m in remaining]).order_by("birth_date", "id")
        successor = next(m for m in remaining if m.person_id == persons[0].id)
        await Membership.filter(id=successor.id).update(relationship=Relationship.HEAD.value)
    await scoring.score_household(str(household.id), "DEATH")


__all__ = [
    "add_member",
    "citizen_household_id",
    "get_household",
    "list_households",
    "register_household",
    "remove_member",
]


async def update_declaration(
    principal: Principal,
    household_id: str,
    data: DeclarationData,
    *,
    expected_version: int | None = None,
) -> Household:
    """A new declaration version (older ones are kept); the household is rescored at once."""
    return await _declare(principal, household_id, lambda _latest: data, "declaration",
                          expected_version)


DECLARATION_FIELDS = frozenset(DeclarationData.__dataclass_fields__)
# Fields a patch may set to null: the others are always declared.
CLEARABLE = frozenset({"agricultural_land_hectares", "livestock_units"})


async def patch_declaration(
    principal: Principal,
    household_id: str,
    changes: dict,
    *,
    expected_version: int | None = None,
) -> Household:
    """A new declaration version from the current one with only `changes` applied (snake_case
    field → value; a field left out keeps its value); validated as a whole, then rescored."""
    if not changes:
        raise BadUserInput("Give at least one field to change.", field="changes")
    unknown = set(changes) - DECLARATION_FIELDS
    if unknown:
        raise BadUserInput("Unknown declaration field.", field=f"changes.{sorted(unknown)[0]}")
    for name, value in changes.items():
        if value is None and name not in CLEARABLE:
            raise BadUserInput("This field cannot be cleared; give a value.",
                               field=f"changes.{_camel(name)}")

    def patched(latest: Declaration | None) -> DeclarationData:
        if latest is None:
            raise BadUserInput("This household has no declaration to change: declare it "
                               "whole (updateHouseholdDeclaration).", field="changes")
        current = {name: getattr(latest, name) for name in DECLARATION_FIELDS}
        current["assets"] = list(current["assets"] or [])
        return DeclarationData(**{**current, **changes})

    return await _declare(principal, household_id, patched, "changes", expected_version)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


async def _declare(principal: Principal, household_id: str, build, prefix: str,
                   expected_version: int | None) -> Household:
    """Inside one transaction: lock the household (scope, version), build the new declaration
    from the latest, validate it, store it as the next version and rescore."""
    try:
        async with in_transaction():
            household = await _lock_for_write(principal, household_id, expected_version)
            if household.status == HouseholdStatus.CLOSED.value:
                raise BadUserInput("This household is closed.", field="householdId")
            latest = await Declaration.filter(household_id=household.id).order_by("-version").first()
            values = validate_declaration(build(latest), household.milieu, prefix)
            seen = await feed.watch(households=[household.id])
            await Declaration.create(
                household_id=household.id, version=(latest.version if latest else 0) + 1,
                declared_by=principal.subject, **values,
            )
            await scoring.score_household(str(household.id), "DECLARATION_UPDATED")
            await feed.publish(seen, "DECLARATION_UPDATED")
    except IntegrityError as exc:
        raise integrity.translate(exc) or exc from exc
    return household
