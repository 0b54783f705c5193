"""Input rules of domain.md as pure functions that raise BadUserInput with the input path."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from iso3166 import countries_by_alpha2

from api.errors import BadUserInput
from api.identifiers import is_valid_cin, is_valid_idcs, is_valid_residence_card

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
ADULT_AGE = 18
NAME_MAX = 80
PHONE_PATTERN = re.compile(r"^\+?[0-9]{9,15}$")
NATIONALITY_PATTERN = re.compile(r"^[A-Z]{2}$")
MAX_MEMBERS = 50


def _unstorable(text: str, allowed: str = "") -> bool:
    """Control characters (C0, DEL and C1) and lone surrogates, which UTF-8 cannot encode
    (a JSON body may carry them as \\ud800 escapes; the database driver then fails)."""
    return any(unicodedata.category(c) in ("Cc", "Cs") and c not in allowed for c in text)


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def idcs(value: str, field: str) -> str:
    if not isinstance(value, str) or not is_valid_idcs(value):
        raise BadUserInput(
            "Malformed IDCS: expected 10 digits whose last is a Luhn check digit.", field=field
        )
    return value


def cin(value: str, field: str) -> str:
    if not is_valid_cin(value):
        raise BadUserInput(
            "Malformed CIN: one or two capital letters then 1 to 6 digits (e.g. AB123456).",
            field=field,
        )
    return value


def residence_card(value: str, field: str) -> str:
    if not is_valid_residence_card(value):
        raise BadUserInput(
            "Malformed residence card number: one or two capital letters then 5 to 8 digits.",
            field=field,
        )
    return value


def name(value: str | None, field: str, *, required: bool) -> str | None:
    if value is None:
        if required:
            raise BadUserInput("This name is required.", field=field)
        return None
    stripped = value.strip()
    if required and not stripped:
        raise BadUserInput("This name must not be empty.", field=field)
    if len(stripped) > NAME_MAX:
        raise BadUserInput(f"Names are at most {NAME_MAX} characters.", field=field)
    if _unstorable(stripped):
        raise BadUserInput("Names must not contain control characters or unpaired surrogates.",
                           field=field)
    return stripped or None


def birth_date(value: date, field: str, today: date) -> date:
    if value > today:
        raise BadUserInput("The birth date is in the future.", field=field)
    if value < EARLIEST_BIRTH_DATE:
        raise BadUserInput("The birth date is before 1900-01-01.", field=field)
    return value


def death_date(value: date, field: str, born: date, today: date) -> date:
    if value > today:
        raise BadUserInput("The death date is in the future.", field=field)
    if value < born:
        raise BadUserInput("The death date is before the birth date.", field=field)
    return value


def nationality(value: str, field: str) -> str:
    """An assigned ISO 3166-1 alpha-2 code (`XX` has the right shape and names no country)."""
    if not NATIONALITY_PATTERN.fullmatch(value) or value not in countries_by_alpha2:
        raise BadUserInput("Nationality is an ISO 3166 alpha-2 code such as MA.", field=field)
    return value


def phone(value: str | None, field: str) -> str | None:
    if value is None:
        return None
    compact = value.replace(" ", "")
    if not PHONE_PATTERN.fullmatch(compact):
        raise BadUserInput("Phone numbers are 9 to 15 digits, optionally after '+'.", field=field)
    return compact


def bounded_int(value: int, field: str, low: int, high: int) -> int:
    if not low <= value <= high:
        raise BadUserInput(f"Expected a value from {low} to {high}.", field=field)
    return value


def bounded_amount(value: float | Decimal, field: str, low: float, high: float) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise BadUserInput("Expected a number.", field=field) from exc
    if not amount.is_finite() or not Decimal(str(low)) <= amount <= Decimal(str(high)):
        raise BadUserInput(f"Expected a value from {low:g} to {high:g}.", field=field)
    return amount.quantize(Decimal("0.01"))


def short_text(value: str, field: str, *, max_length: int) -> str:
    stripped = (value or "").strip()
    if not stripped:
        raise BadUserInput("This field must not be empty.", field=field)
    if len(stripped) > max_length:
        raise BadUserInput(f"At most {max_length} characters.", field=field)
    if _unstorable(stripped, allowed="\n"):
        raise BadUserInput("Control characters and unpaired surrogates are not allowed.",
                           field=field)
    return stripped
