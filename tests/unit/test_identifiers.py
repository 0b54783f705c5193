"""IDCS (Luhn), CIN and residence card formats of the population register (domain.md)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api import identifiers
from api.identifiers import (
    is_sequential,
    is_valid_cin,
    is_valid_idcs,
    is_valid_residence_card,
    luhn_check_digit,
    new_idcs,
)


def reference_luhn_valid(number: str) -> bool:
    """An independent Luhn check over the full number (check digit included)."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2
            d = d // 10 + d % 10
        total += d
    return total % 10 == 0


# ---------------------------------------------------------------- Luhn


def test_luhn_hand_worked_nine_digit_payload():
    # payload 799273987, rightmost digit first: 7 8 9 3 7 2 9 9 7
    # doubled (positions 0,2,4,6,8): 7→14→5, 9→18→9, 7→14→5, 9→18→9, 7→14→5 = 33
    # kept    (positions 1,3,5,7):   8 + 3 + 2 + 9                        = 22
    # total 55 → check digit (10 - 5) % 10 = 5
    assert luhn_check_digit("799273987") == 5
    assert is_valid_idcs("7992739875")
    assert not is_valid_idcs("7992739873")


def test_luhn_textbook_vector():
    # The textbook example: account number 7992739871 has check digit 3 (79927398713).
    assert luhn_check_digit("7992739871") == 3
    assert reference_luhn_valid("79927398713")


@pytest.mark.parametrize(
    ("payload", "check"),
    [
        ("000000000", 0),
        ("000000001", 8),  # 1 doubled = 2 → 8
        ("000000005", 9),  # 5 doubled = 10 → 1 → 9
        ("100000000", 8),  # leftmost of nine is at an even position from the right: doubled
        ("123456789", 7),
    ],
)
def test_luhn_check_digit_vectors(payload, check):
    assert luhn_check_digit(payload) == check
    assert reference_luhn_valid(payload + str(check))


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_luhn_agrees_with_reference_implementation(n):
    payload = f"{n:09d}"
    check = luhn_check_digit(payload)
    assert 0 <= check <= 9
    assert reference_luhn_valid(payload + str(check))
    # exactly one check digit makes the number valid
    assert [d for d in range(10) if reference_luhn_valid(payload + str(d))] == [check]


# ---------------------------------------------------------------- IDCS validity


@pytest.mark.parametrize(
    "value",
    [
        "",
        "799273987",  # nine digits
        "79927398755",  # eleven digits
        "799273987a",
        "79927398 5",
        " 7992739875",
        "7992739875 ",
        "7992739875\n",  # a trailing newline is not part of an identifier
        "٧٩٩٢٧٣٩٨٧٥",  # Arabic-Indic digits are not ASCII digits
        "799-273-987",
    ],
)
def test_malformed_idcs_is_invalid(value):
    assert not is_valid_idcs(value)


def test_new_idcs_is_always_valid_ten_digits_not_sequential():
    seen = set()
    for _ in range(2000):
        value = new_idcs()
        assert len(value) == 10 and value.isascii() and value.isdigit()
        assert value[0] != "0"
        assert is_valid_idcs(value)
        assert reference_luhn_valid(value)
        assert not is_sequential(value[:9])
        seen.add(value)
    assert len(seen) > 1990  # random, not a counter


def test_new_idcs_skips_sequential_and_leading_zero_draws(monkeypatch):
    draws = iter([123456789, 987654321, 111111111, 12345678, 5, 482913057])
    monkeypatch.setattr(identifiers.secrets, "randbelow", lambda bound: next(draws))
    value = new_idcs()
    assert value == "482913057" + str(luhn_check_digit("482913057"))
    assert is_valid_idcs(value)


def test_consecutive_new_idcs_are_not_sequential_numbers():
    a, b = new_idcs(), new_idcs()
    assert abs(int(a[:9]) - int(b[:9])) != 1


@pytest.mark.parametrize(
    ("digits", "sequential"),
    [
        ("123456789", True),
        ("987654321", True),
        ("111111111", True),
        ("890123456", True),  # wraps around
        ("123456780", False),
        ("482913057", False),
        ("112233445", False),
    ],
)
def test_is_sequential(digits, sequential):
    assert is_sequential(digits) is sequential


@settings(max_examples=300)
@given(
    payload=st.integers(min_value=10**8, max_value=10**9 - 1),
    position=st.integers(min_value=0, max_value=9),
    delta=st.integers(min_value=1, max_value=9),
)
def test_flipping_any_single_digit_invalidates_an_idcs(payload, position, delta):
    digits = f"{payload:09d}"
    valid = digits + str(luhn_check_digit(digits))
    assert is_valid_idcs(valid)
    changed = valid[:position] + str((int(valid[position]) + delta) % 10) + valid[position + 1 :]
    assert changed != valid
    assert not is_valid_idcs(changed)


@given(st.integers(min_value=0, max_value=10**9 - 1), st.integers(min_value=0, max_value=8))
def test_swapping_adjacent_distinct_digits_is_mostly_detected(n, i):
    # Luhn detects every adjacent transposition except 09 <-> 90.
    digits = f"{n:09d}"
    valid = digits + str(luhn_check_digit(digits))
    a, b = valid[i], valid[i + 1]
    if a == b or {a, b} == {"0", "9"}:
        return
    swapped = valid[:i] + b + a + valid[i + 2 :]
    assert not is_valid_idcs(swapped)


# ---------------------------------------------------------------- CIN


@pytest.mark.parametrize("value", ["AB123456", "K48213", "A1", "ZZ999999", "BE1", "J123456"])
def test_valid_cin(value):
    assert is_valid_cin(value)


@pytest.mark.parametrize(
    "value",
    [
        "ab123",  # lower case
        "Ab123",
        "ABC1",  # three letters
        "A1234567",  # seven digits
        "AB",  # no digits
        "123456",  # no letters
        "",
        "AB 12345",
        " AB12345",
        "AB12345 ",
        "AB12345\n",
        "AB12A45",
        "A-12345",
        "ÀB12345",
        "AB١٢٣",  # Arabic-Indic digits
    ],
)
def test_invalid_cin(value):
    assert not is_valid_cin(value)


# ---------------------------------------------------------------- residence card


@pytest.mark.parametrize("value", ["A12345", "AB12345678", "E1234567", "XY123456"])
def test_valid_residence_card(value):
    assert is_valid_residence_card(value)


@pytest.mark.parametrize(
    "value",
    [
        "A1234",  # four digits
        "AB123456789",  # nine digits
        "ABC12345",  # three letters
        "a12345",
        "12345678",
        "",
        "A12345\n",
        "A 12345",
    ],
)
def test_invalid_residence_card(value):
    assert not is_valid_residence_card(value)


@settings(max_examples=2000)
@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_the_one_pass_check_equals_the_luhn_digit(value):
    """`is_valid_idcs` checks in one pass what `luhn_check_digit` defines."""
    assert is_valid_idcs(value) == (luhn_check_digit(value[:9]) == int(value[9]))
