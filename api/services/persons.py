"""The population register: register, look up and correct persons."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from tortoise.transactions import in_transaction

from api import identifiers
from api.errors import BadUserInput, Conflict, Faults, Forbidden, NotFound
from api.models import Household, Membership, Person
from api.principal import Principal
from api.services import (
    audit,
    clock,
    duplicates,
    feed,
    idempotency,
    integrity,
    matching,
    scope,
    scoring,
    validation,
)
from api.services.inputs import PERSON_UPDATABLE, PersonData
from api.services.integrity import IntegrityError
from api.services.matching import Identity

IDCS_ATTEMPTS = 20
CITIZEN_UPDATABLE = {"phone"}
# What program rules read of a person: a change of any of them may change their answers.
ANSWER_FACTS = {"birth_date", "sex", "nationality", "death_date", "has_other_health_coverage"}


def validate_person(data: PersonData, today, prefix: str = "input") -> PersonData:
    """Check a new person's data; returns it normalised. Raises BadUserInput, or InvalidInput
    with every fault when there are several."""
    faults = Faults()
    with faults.check():
        data.first_name = validation.name(data.first_name, f"{prefix}.firstName", required=True)
    with faults.check():
        data.last_name = validation.name(data.last_name, f"{prefix}.lastName", required=True)
    with faults.check():
        data.first_name_ar = validation.name(data.first_name_ar, f"{prefix}.firstNameAr",
                                             required=False)
    with faults.check():
        data.last_name_ar = validation.name(data.last_name_ar, f"{prefix}.lastNameAr",
                                            required=False)
    basis = Faults()  # the nationality and age decide which documents are needed
    with basis.check():
        validation.nationality(data.nationality, f"{prefix}.nationality")
    with basis.check():
        validation.birth_date(data.birth_date, f"{prefix}.birthDate", today)
    faults.found += basis.found
    with faults.check():
        data.phone = validation.phone(data.phone, f"{prefix}.phone")
    if data.birth_certificate_reference is not None:
        with faults.check():
            data.birth_certificate_reference = validation.short_text(
                data.birth_certificate_reference, f"{prefix}.birthCertificateReference",
                max_length=40)
    if not basis.found:
        with faults.check():
            _check_documents(
                nationality=data.nationality,
                birth_date=data.birth_date,
                cin=data.cin,
                residence_card_number=data.residence_card_number,
                today=today,
                prefix=prefix,
            )
    faults.raise_if_any()
    return data


def _check_documents(*, nationality, birth_date, cin, residence_card_number, today, prefix) -> None:
    adult = validation.age_on(birth_date, today) >= validation.ADULT_AGE
    national = nationality == "MA"
    if cin is not None:
        validation.cin(cin, f"{prefix}.cin")
        if not national:
            raise BadUserInput("Only Moroccan nationals hold a CIN.", field=f"{prefix}.cin")
    if residence_card_number is not None:
        validation.residence_card(residence_card_number, f"{prefix}.residenceCardNumber")
        if national:
            raise BadUserInput(
                "Nationals are identified by their CIN, not a residence card.",
                field=f"{prefix}.residenceCardNumber",
            )
    if adult and national and cin is None:
        raise BadUserInput("An adult national needs a CIN.", field=f"{prefix}.cin")
    if adult and not national and residence_card_number is None:
        raise BadUserInput(
            "An adult foreign resident needs a residence card number.",
            field=f"{prefix}.residenceCardNumber",
        )


async def get_by_idcs(idcs: str) -> Person | None:
    return await Person.get_or_none(idcs=idcs)


async def get_person(principal: Principal, idcs: str) -> Person:
    """`person(idcs)`: NOT_FOUND when unknown or out of the caller's scope."""
    validation.idcs(idcs, "idcs")
    if not scope.can_read_person(principal, idcs):
        raise NotFound("No person with this IDCS.")
    person = await get_by_idcs(idcs)
    if person is None:
        raise NotFound("No person with this IDCS.")
    return person


# personByDocument's arguments: the column each looks up, and the check of its value.
DOCUMENTS = {
    "cin": ("cin", validation.cin),
    "residenceCardNumber": ("residence_card_number", validation.residence_card),
    "birthCertificateReference": (
        "birth_certificate_reference",
        lambda value, field: validation.short_text(value, field, max_length=40)),
}


def may_look_up(principal: Principal) -> bool:
    """Who may find a person by a document, and be told who holds a document (contract §5a)."""
    return principal.is_admin or principal.has("registrar")


async def find_by_document(principal: Principal, **documents: str | None) -> Person:
    """`personByDocument`: exactly one of cin, residenceCardNumber, birthCertificateReference;
    registrars and admins (who may read any person by IDCS too). NOT_FOUND when nobody holds
    it; a birth-certificate reference held by several persons (it is not unique across civil
    registry offices) is CONFLICT with their IDCS."""
    if not may_look_up(principal):
        raise NotFound("No person with this document.")
    given = [(argument, value) for argument, value in documents.items() if value is not None]
    if len(given) != 1:
        raise BadUserInput("Give exactly one of cin, residenceCardNumber and "
                           "birthCertificateReference.",
                           field=given[1][0] if len(given) > 1 else "cin")
    (argument, value), = given
    column, check = DOCUMENTS[argument]
    value = check(value, argument)
    found = await Person.filter(**{column: value}).order_by("id").limit(21)
    if not found:
        raise NotFound("No person with this document.")
    if len(found) > 1:
        for person in found[:20]:
            audit.record_subject(person.idcs)  # disclosed: the request's record names them
        raise Conflict("Several persons hold this birth-certificate reference: look them up "
                       "by IDCS.", field=argument,
                       existingIdcs=[p.idcs for p in found[:20]])
    return found[0]


async def _duplicates(cin: str | None, card: str | None, exclude_id: int | None = None, *,
                      reveal: bool = False) -> None:
    """CONFLICT when another person holds the CIN or residence card; with `reveal` (a caller
    who may look persons up) the answer names that person's IDCS (`existingIdcs`)."""
    for value, column, field, what in (
        (cin, "cin", "input.cin", "CIN"),
        (card, "residence_card_number", "input.residenceCardNumber", "residence card number"),
    ):
        if value is None:
            continue
        query = Person.filter(**{column: value})
        if exclude_id is not None:
            query = query.exclude(id=exclude_id)
        holder = await query.first().values("idcs")
        if holder is not None:
            if reveal:
                audit.record_subject(holder["idcs"])  # disclosed: the record names them
            raise Conflict(f"A person with this {what} is already registered.", field=field,
                           existingIdcs=holder["idcs"] if reveal else None)


def identity_of(data: PersonData) -> Identity:
    return Identity(first_name=data.first_name, last_name=data.last_name,
                    birth_date=data.birth_date, sex=data.sex, first_name_ar=data.first_name_ar,
                    last_name_ar=data.last_name_ar)


async def register_person(
    principal: Principal, data: PersonData, *, idempotency_key: str | None = None,
    confirmed_not_duplicate: bool = False,
) -> Person:
    """Without an identity document (a child, say), a likely duplicate of a registered person
    is refused (CONFLICT with `candidates`) unless `confirmed_not_duplicate`."""
    scope.require_any_role(principal, "admin", "registrar")
    key = idempotency.check_key(idempotency_key)
    today = clock.today()
    validate_person(data, today)
    digest = idempotency.request_hash(asdict(data))
    if key is not None:
        previous = await idempotency.previous_result(
            actor=principal.subject, operation="registerPerson", key=key, digest=digest
        )
        if previous is not None:
            return await Person.get(idcs=previous)
    # A CIN or card already held is found by its unique index when the person is inserted
    # (below), not by a query before: the holder is looked up only then, to be named.
    check_duplicates = (data.cin is None and data.residence_card_number is None
                        and not confirmed_not_duplicate)
    for _attempt in range(IDCS_ATTEMPTS):
        idcs = identifiers.new_idcs()
        try:
            async with in_transaction() as conn:
                if check_duplicates:
                    await duplicates.lock(conn, identity_of(data))
                    await duplicates.refuse_likely(identity_of(data), reveal=may_look_up(principal))
                person = await Person.create(
                    idcs=idcs, registered_by=principal.subject, **asdict(data),
                    **matching.key_columns(data.first_name, data.last_name))
                await feed.publish(await feed.watch(), "REGISTRATION", persons=[person.id])
                if key is not None:
                    await idempotency.remember(
                        actor=principal.subject, operation="registerPerson", key=key,
                        digest=digest, result_id=idcs,
                    )
            return person
        except Conflict:
            # a likely duplicate: perhaps a concurrent retry with the same key, which committed
            # first (the lock made us wait for it); then its result is ours
            if key is not None and (previous := await idempotency.previous_result(
                    actor=principal.subject, operation="registerPerson", key=key,
                    digest=digest)) is not None:
                return await Person.get(idcs=previous)
            raise
        except IntegrityError as exc:
            if integrity.is_unique_violation_on(exc, "persons_idcs_key", "persons.idcs"):
                continue  # a fresh random IDCS collided: draw again
            if key is not None:
                # The concurrent retry that committed first collides on the key row or on
                # the person's CIN / card, whichever is inserted first.
                previous = await idempotency.previous_result(
                    actor=principal.subject, operation="registerPerson", key=key, digest=digest
                )
                if previous is not None:
                    return await Person.get(idcs=previous)
            # held by someone else: name the holder
            await _duplicates(data.cin, data.residence_card_number, reveal=may_look_up(principal))
            raise integrity.translate(exc) or exc
    raise Conflict("Could not allocate a fresh IDCS; retry.")


async def current_membership(person_id: int) -> Membership | None:
    return await Membership.get_or_none(person_id=person_id, end_date=None)


async def update_person(
    principal: Principal,
    idcs: str,
    changes: dict[str, Any],
    *,
    expected_version: int | None = None,
) -> Person:
    """Corrections, phone, health coverage, death. A death ends the person's membership."""
    from api.services import households  # a death changes the person's household

    validation.idcs(idcs, "idcs")
    unknown = set(changes) - set(PERSON_UPDATABLE)
    if unknown:
        raise BadUserInput(f"Unknown fields {sorted(unknown)}.", field="input")
    if not changes:
        raise BadUserInput("Nothing to update.", field="input")
    today = clock.today()

    async with in_transaction():
        person = await Person.get_or_none(idcs=idcs)
        if person is None:
            raise NotFound("No person with this IDCS.")
        # Row locks, household first as member updates take them: concurrent updates then
        # neither lose a version bump nor deadlock with removeHouseholdMember.
        membership = await current_membership(person.id)
        household = None
        if membership is not None:
            household = await Household.filter(id=membership.household_id).select_for_update().get()
        person = await Person.filter(id=person.id).select_for_update().get()
        now_member = await current_membership(person.id)  # re-read under the locks
        if (membership is None) != (now_member is None) or (
            membership is not None and str(now_member.household_id) != str(household.id)
        ):
            raise Conflict("The person's household changed meanwhile; retry.")
        membership = now_member
        await _check_update_scope(principal, person, changes, household)
        seen = await feed.watch(households=[household.id] if household else [],
                                persons=[person.id]) if set(changes) & ANSWER_FACTS else None
        _apply_changes(person, changes, today)
        await _duplicates(person.cin, person.residence_card_number, exclude_id=person.id,
                          reveal=may_look_up(principal))
        query = Person.filter(id=person.id)
        if expected_version is not None:
            query = query.filter(version=expected_version)
        try:
            keys = {}
            if {"first_name", "last_name"} & set(changes):
                keys = matching.key_columns(person.first_name, person.last_name)
            updated = await query.update(
                **{f: getattr(person, f) for f in changes}, **keys, version=person.version + 1,
                updated_at=clock.now(),
            )
        except IntegrityError as exc:  # a concurrent update took the same CIN or card
            raise integrity.translate(exc) or exc from exc
        if not updated:
            raise Conflict("Stale expectedVersion: the person was changed meanwhile.",
                           field="input.expectedVersion")
        person.version += 1
        for column, value in keys.items():
            setattr(person, column, value)
        if "death_date" in changes and person.death_date is not None and membership is not None:
            await households.end_membership_for_death(
                principal, membership=membership, household=household, death_date=person.death_date
            )
        elif "birth_date" in changes and membership is not None:
            # Ages feed the index (shares of children and elderly): rescore the household.
            await scoring.score_household(str(household.id), "PERSON_CORRECTED")
        if seen is not None:
            await feed.publish(seen, "DEATH" if "death_date" in changes
                               and person.death_date is not None else "PERSON_CORRECTED")
    return person


async def _check_update_scope(principal: Principal, person: Person, changes, household) -> None:
    if principal.is_admin:
        return
    if principal.has("registrar"):
        if household is None or household.province_id in principal.provinces:
            return
        raise NotFound("No person with this IDCS.")
    if principal.has("citizen") and principal.subject == person.idcs:
        denied = sorted(set(changes) - CITIZEN_UPDATABLE)
        if denied:
            raise Forbidden("Citizens may change only their phone; ask a registrar for corrections.",
                            deniedFields=[f"UpdatePersonInput.{_camel(f)}" for f in denied])
        return
    if principal.has("citizen"):
        raise NotFound("No person with this IDCS.")
    raise Forbidden("This operation needs one of the roles: admin, registrar, citizen.")


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


def _apply_changes(person: Person, changes: dict[str, Any], today) -> None:
    prefix = "input"
    for field, value in changes.items():
        path = f"{prefix}.{_camel(field)}"
        if field in ("first_name", "last_name"):
            value = validation.name(value, path, required=True)
        elif field in ("first_name_ar", "last_name_ar"):
            value = validation.name(value, path, required=False)
        elif field in ("sex", "nationality", "birth_date", "has_other_health_coverage") and value is None:
            raise BadUserInput("This field cannot be cleared.", field=path)
        elif field == "nationality":
            validation.nationality(value, path)
        elif field == "birth_date":
            validation.birth_date(value, path, today)
        elif field == "phone":
            value = validation.phone(value, path)
        elif field == "death_date":
            if value is None:
                if person.death_date is not None:
                    raise BadUserInput("A recorded death cannot be cleared here.", field=path)
            else:
                born = changes.get("birth_date") or person.birth_date
                validation.death_date(value, path, born, today)
        setattr(person, field, value)
    if person.death_date is not None and person.death_date < person.birth_date:
        raise BadUserInput("The death date is before the birth date.", field="input.birthDate")
    _check_documents(
        nationality=person.nationality,
        birth_date=person.birth_date,
        cin=person.cin,
        residence_card_number=person.residence_card_number,
        today=today,
        prefix=prefix,
    )
