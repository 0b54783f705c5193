"""Input rules of domain.md: pure functions raising BadUserInput with the input path."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.errors import BadUserInput, ErrorCode
from api.services import validation
from api.services.validation import age_on

TODAY = date(2026, 3, 15)


def raises_on(field: str):
    """Context manager: BadUserInput whose `field` is the given input path."""

    class _Check:
        def __enter__(self):
            self._ctx = pytest.raises(BadUserInput)
            self.info = self._ctx.__enter__()
            return self.info

        def __exit__(self, *exc):
            result = self._ctx.__exit__(*exc)
            err = self.info.value
            assert err.field == field
            assert err.as_extensions() == {"code": ErrorCode.BAD_USER_INPUT.value, "field": field}
            return result

    return _Check()


# ---------------------------------------------------------------- birth date


def test_birth_date_in_the_future_is_refused():
    with raises_on("input.birthDate"):
        validation.birth_date(TODAY + timedelta(days=1), "input.birthDate", TODAY)


def test_birth_date_before_1900_is_refused():
    with raises_on("input.members[0].birthDate"):
        validation.birth_date(date(1899, 12, 31), "input.members[0].birthDate", TODAY)


@pytest.mark.parametrize("born", [date(1900, 1, 1), date(1985, 6, 15), TODAY])
def test_birth_date_within_bounds_is_accepted(born):
    assert validation.birth_date(born, "input.birthDate", TODAY) == born


def test_death_date_rules():
    born = date(1950, 5, 5)
    assert validation.death_date(born, "input.deathDate", born, TODAY) == born
    assert validation.death_date(TODAY, "input.deathDate", born, TODAY) == TODAY
    with raises_on("input.deathDate"):
        validation.death_date(TODAY + timedelta(days=1), "input.deathDate", born, TODAY)
    with raises_on("input.deathDate"):
        validation.death_date(born - timedelta(days=1), "input.deathDate", born, TODAY)


# ---------------------------------------------------------------- age


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2008, 3, 15), date(2026, 3, 14), 17),  # the day before the 18th birthday
        (date(2008, 3, 15), date(2026, 3, 15), 18),  # on the birthday
        (date(2008, 3, 15), date(2026, 3, 16), 18),
        (date(2008, 12, 31), date(2026, 1, 1), 17),
        (date(2008, 1, 1), date(2025, 12, 31), 17),
        (date(2026, 3, 15), date(2026, 3, 15), 0),
        (date(1900, 1, 1), date(2026, 1, 1), 126),
        # born on 29 February: in common years the birthday is reached on 1 March
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2004, 2, 29), date(2024, 2, 28), 19),
        (date(2004, 2, 29), date(2024, 2, 29), 20),
        (date(2004, 2, 29), date(2024, 3, 1), 20),
        (date(2003, 2, 28), date(2024, 2, 29), 21),
    ],
)
def test_age_on(born, on, age):
    assert age_on(born, on) == age


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_age_on_is_whole_years_elapsed(born, on):
    if on < born:
        born, on = on, born
    age = age_on(born, on)
    assert age >= 0
    # the age is the number of completed anniversaries: adding it keeps us on or before `on`
    def anniversary(years: int) -> date:
        try:
            return born.replace(year=born.year + years)
        except ValueError:  # 29 February in a common year: the anniversary is 1 March
            return date(born.year + years, 3, 1)

    assert anniversary(age) <= on
    assert anniversary(age + 1) > on


# ---------------------------------------------------------------- phone


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("0612345678", "0612345678"),
        ("+212612345678", "+212612345678"),
        ("+212 6 12 34 56 78", "+212612345678"),
        ("061234567", "061234567"),  # nine digits
        ("123456789012345", "123456789012345"),  # fifteen digits
        (None, None),
    ],
)
def test_phone_accepted_and_normalised(raw, stored):
    assert validation.phone(raw, "input.phone") == stored


@pytest.mark.parametrize(
    "raw",
    [
        "06123456",  # eight digits
        "1234567890123456",  # sixteen digits
        "06-12-34-56-78",
        "06.12.34.56.78",
        "++212612345678",
        "212+612345678",
        "phone",
        "",
        "0612345678\n",
        "٠٦١٢٣٤٥٦٧٨",  # Arabic-Indic digits
    ],
)
def test_phone_refused(raw):
    with raises_on("input.phone"):
        validation.phone(raw, "input.phone")


# ---------------------------------------------------------------- nationality and names


@pytest.mark.parametrize("value", ["MA", "FR", "SN"])
def test_nationality_accepted(value):
    assert validation.nationality(value, "input.nationality") == value


@pytest.mark.parametrize("value", ["Maroc", "ma", "M", "MAR", "", "M1", "MA\n", "XX", "ZZ", "AA", "UK"])
def test_nationality_refused(value):
    with raises_on("input.nationality"):
        validation.nationality(value, "input.nationality")


def test_names():
    assert validation.name("  Amina ", "input.firstName", required=True) == "Amina"
    assert validation.name("أمينة", "input.firstNameAr", required=False) == "أمينة"
    assert validation.name(None, "input.firstNameAr", required=False) is None
    assert validation.name("   ", "input.firstNameAr", required=False) is None
    for bad in (None, "", "   ", "A" * 81, "Ami\x00na", "Ami\tna"):
        with raises_on("input.firstName"):
            validation.name(bad, "input.firstName", required=True)
    assert validation.name("A" * 80, "input.firstName", required=True) == "A" * 80


def test_idcs_validation():
    assert validation.idcs("7992739875", "idcs") == "7992739875"
    for bad in ("7992739873", "799273987", "abc", "7992739875\n"):
        with raises_on("idcs"):
            validation.idcs(bad, "idcs")


# ---------------------------------------------------------------- bounded amounts


@pytest.mark.parametrize(
    "value",
    [
        float("nan"),
        float("inf"),
        float("-inf"),
        Decimal("NaN"),
        Decimal("sNaN"),
        Decimal("Infinity"),
        -0.01,
        -1,
        Decimal("-0.01"),
        100_000.01,
        100_001,
        Decimal("1E+6"),
        1e308,
    ],
)
def test_bounded_amount_refuses(value):
    with raises_on("input.declaration.electricityMonthly"):
        validation.bounded_amount(value, "input.declaration.electricityMonthly", 0, 100_000)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, Decimal("0.00")),
        (0.0, Decimal("0.00")),
        (-0.0, Decimal("0.00")),
        (120, Decimal("120.00")),
        (99.5, Decimal("99.50")),
        (Decimal("12.34"), Decimal("12.34")),
        (100_000, Decimal("100000.00")),
        (1e-9, Decimal("0.00")),
    ],
)
def test_bounded_amount_accepts_and_quantises(value, expected):
    result = validation.bounded_amount(value, "input.x", 0, 100_000)
    assert isinstance(result, Decimal)
    assert result == expected
    assert result.as_tuple().exponent == -2


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_bounded_amount_result_is_always_finite_and_in_range(value):
    try:
        result = validation.bounded_amount(value, "input.x", 0, 100_000)
    except BadUserInput as err:
        assert err.field == "input.x"
        assert math.isnan(value) or math.isinf(value) or value < 0 or value > 100_000
        return
    assert result.is_finite()
    assert Decimal(0) <= result <= Decimal(100_000)


def test_bounded_int():
    assert validation.bounded_int(1, "input.declaration.rooms", 1, 30) == 1
    assert validation.bounded_int(30, "input.declaration.rooms", 1, 30) == 30
    for bad in (0, 31, -5):
        with raises_on("input.declaration.rooms"):
            validation.bounded_int(bad, "input.declaration.rooms", 1, 30)
