"""Unique identifiers without a set of those already drawn: each is a bijection of a serial number.

The n-th person of the load gets IDCS `idcs(n)`, the n-th household reference `reference(n)`, and
so on: unique by construction, whatever the scale, in constant memory, and the same for the same
serial on every run. Affine maps modulo the size of each identifier's space scatter consecutive
serials over the whole space.
"""

from __future__ import annotations

import hashlib
import uuid

from api.identifiers import is_sequential, luhn_check_digit

IDCS_SPACE = 9 * 10**8  # nine digits, the first not 0
IDCS_MULTIPLIER = 7**10  # coprime with IDCS_SPACE (no factor 2, 3 or 5)
IDCS_OFFSET = 385_172_649
# Serials [0, PERSONS_LIMIT) are persons; a payload that happens to be a sequential run is
# replaced by the one of serial REPLACEMENTS + n; UNKNOWN + k are valid IDCS nobody holds.
PERSONS_LIMIT = 10**8
REPLACEMENTS = 3 * 10**8
UNKNOWN = 6 * 10**8

CIN_LOW, CIN_SPACE = 10_000, 990_000  # numbers 10000–999999 after the letters
CIN_MULTIPLIER = 7**7  # coprime with CIN_SPACE (2^4·3^2·5^4·11)

CARD_LOW, CARD_SPACE = 10**7, 9 * 10**7  # eight digits
CARD_MULTIPLIER = 7**9
CARD_PREFIXES = ("E", "EE", "F", "G", "K", "W")

REFERENCE_SPACE = 10**9
REFERENCE_MULTIPLIER = 7**10  # no factor 2 or 5


def _idcs_of(serial: int) -> str:
    payload = str(10**8 + (IDCS_MULTIPLIER * serial + IDCS_OFFSET) % IDCS_SPACE)
    return payload + str(luhn_check_digit(payload))


def idcs(serial: int) -> str:
    """The IDCS of the person with this serial (0-based)."""
    if not 0 <= serial < PERSONS_LIMIT:
        raise ValueError(f"person serial out of range: {serial}")
    value = _idcs_of(serial)
    if is_sequential(value[:9]):
        value = _idcs_of(REPLACEMENTS + serial)
    return value


def unknown_idcs(k: int) -> str:
    """A valid IDCS that no generated person holds."""
    value = _idcs_of(UNKNOWN + k)
    return value if not is_sequential(value[:9]) else _idcs_of(UNKNOWN + REPLACEMENTS // 3 + k)


def cin(prefixes: tuple[str, ...], local: int) -> str:
    """The CIN of the `local`-th person of a region whose cards carry `prefixes`: unique within
    the region, and regions' prefixes differ."""
    prefix = prefixes[local % len(prefixes)]
    rank = local // len(prefixes)
    if rank >= CIN_SPACE:
        raise ValueError("too many persons in one region for its CIN prefixes")
    return f"{prefix}{CIN_LOW + (CIN_MULTIPLIER * rank + 17) % CIN_SPACE}"


def residence_card(serial: int) -> str:
    number = CARD_LOW + (CARD_MULTIPLIER * serial + 29) % CARD_SPACE
    return f"{CARD_PREFIXES[serial % len(CARD_PREFIXES)]}{number}"


def reference(region: str, serial: int) -> str:
    return f"RSU-{region}-{(REFERENCE_MULTIPLIER * serial + 480_913_257) % REFERENCE_SPACE:09d}"


def household_id(seed: int, serial: int) -> uuid.UUID:
    digest = hashlib.blake2b(f"{seed}/household/{serial}".encode(), digest_size=16).digest()
    return uuid.UUID(bytes=digest, version=4)
