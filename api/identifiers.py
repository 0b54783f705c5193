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


def is_valid_idcs(value: str) -> bool:
    return bool(IDCS_PATTERN.fullmatch(value)) and luhn_check_digit(value[:9]) == int(value[9])


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
