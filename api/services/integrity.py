"""Translate database constraint violations into contract errors.

The database is the last word on uniqueness under concurrency; these messages name the rule
without echoing the conflicting values (they are personal data).
"""

from __future__ import annotations

import asyncpg
from tortoise.exceptions import IntegrityError as OrmIntegrityError

from api.errors import Conflict, RegistryError

# A constraint checked at COMMIT (the deferred one-head trigger) raises asyncpg's own error,
# which Tortoise does not wrap; services catch both.
IntegrityError = (OrmIntegrityError, asyncpg.IntegrityConstraintViolationError)

# (substring of the PostgreSQL constraint name or SQLite column list, message)
_RULES: tuple[tuple[tuple[str, ...], str, str | None], ...] = (
    (("uq_memberships_open_person", "memberships.person_id"),
     "This person is already a member of a household.", None),
    (("uq_memberships_open_head", "memberships.household_id"),
     "A household has exactly one head.", None),
    (("ck_households_one_head",), "A household has exactly one head.", None),
    (("persons_cin_key", "persons.cin"), "A person with this CIN is already registered.",
     "input.cin"),
    (("persons_residence_card_number_key", "persons.residence_card_number"),
     "A person with this residence card number is already registered.",
     "input.residenceCardNumber"),
)


def translate(exc: Exception) -> RegistryError | None:
    text = str(exc)
    for needles, message, field in _RULES:
        if any(n in text for n in needles):
            return Conflict(message, field=field)
    return None


def is_unique_violation_on(exc: Exception, *needles: str) -> bool:
    text = str(exc)
    return any(n in text for n in needles)
