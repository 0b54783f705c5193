"""Identifiers of the population register: IDCS, CIN and residence card numbers.

Pure functions, no I/O.
"""

from __future__ import annotations

import re
import secrets

IDCS_PATTERN = re.compile(r"^[0-9]{10}$")
CIN_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9]{1,6}$")
# Moroccan residence cards (carte d'immatriculation): one or two letters then 5 to 8 digits.
RESIDENCE_CARD_PATTERN = re.compile(r"^[A-Z]{1,2}[0-9]{5,8}$")


def luhn_check_digit(payload: str) -> int:
    """Luhn check digit for a string of digits (the digit to append)."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:  # rightmost payload digit is doubled
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return (10 - total % 10) % 10


# Each payload digit's Luhn contribution by its position from the right: doubled (less 9) at
# even positions, itself at odd ones.
_DOUBLED = tuple((2 * d - 9 if 2 * d > 9 else 2 * d) for d in range(10))
_ZERO = ord("0")


def is_valid_idcs(value: str) -> bool:
    """Ten digits whose last is the Luhn check digit of the nine before (called for every id
    of a bulk question: one pass, no intermediate strings)."""
    if not IDCS_PATTERN.fullmatch(value):
        return False
    digits = value.encode("ascii")
    total = 0
    for position in range(9):  # position 8 is the rightmost payload digit: doubled
        digit = digits[position] - _ZERO
        total += _DOUBLED[digit] if (8 - position) % 2 == 0 else digit
    return (10 - total % 10) % 10 == digits[9] - _ZERO


def is_sequential(digits: str) -> bool:
    """True for runs such as 123456789, 987654321 or 111111111."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:], strict=False)}
    return len(steps) == 1 and steps <= {0, 1, 9}


def new_idcs() -> str:
    """A fresh IDCS: nine random digits (never a sequential run) and a Luhn check digit."""
    while True:
        payload = f"{secrets.randbelow(10**9):09d}"
        if payload[0] != "0" and not is_sequential(payload):
            return payload + str(luhn_check_digit(payload))


def is_valid_cin(value: str) -> bool:
    return bool(CIN_PATTERN.fullmatch(value))


def is_valid_residence_card(value: str) -> bool:
    return bool(RESIDENCE_CARD_PATTERN.fullmatch(value))
