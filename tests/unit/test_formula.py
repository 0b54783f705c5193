"""The socio-economic index of domain.md ("The socio-economic index"), formula v1, as pure code."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.enums import Asset, Education, HousingType, Occupancy, Occupation, WaterSource
from api.scoring.formula import (
    FormulaError,
    HouseholdFacts,
    IndexResult,
    components_of,
    compute_index,
    load_formula,
    members_from_birth_dates,
    term_names,
)

ON = date(2026, 3, 15)
V1 = load_formula("v1")


def years_before(on: date, years: int) -> date:
    """The date `years` years before `on` (the birthday on which one turns `years` on `on`)."""
    return on.replace(year=on.year - years)


def born_aged(years: int, on: date = ON) -> date:
    """A birth date giving exactly `years` on `on`, well away from a birthday."""
    return years_before(on, years) - timedelta(days=100)


def declaration(**overrides: Any) -> dict[str, Any]:
    """The worked example's declaration of domain.md, with overrides."""
    d: dict[str, Any] = {
        "head_education": "PRIMARY",
        "head_occupation": "WORKER",
        "housing_type": "APARTMENT",
        "occupancy": "TENANT",
        "rooms": 2,
        "water_source": "PIPED",
        "electricity_monthly": 120,
        "water_monthly": 60,
        "phone_monthly": 100,
        "butane_bottles_monthly": 2,
        "assets": ["REFRIGERATOR", "TELEVISION"],
    }
    d.update(overrides)
    return d


def index(
    milieu: str = "URBAN",
    region: str = "06",
    births: list[date] | None = None,
    on: date = ON,
    **overrides: Any,
) -> IndexResult:
    if births is None:
        births = [born_aged(40), born_aged(38), born_aged(10), born_aged(7)]
    facts = HouseholdFacts(
        milieu=milieu,
        region=region,
        members=members_from_birth_dates(births),
        declaration=declaration(**overrides),
    )
    return compute_index(facts, on)


def component(result: IndexResult, name: str) -> float | None:
    found = [c.contribution for c in result.components if c.name == name]
    assert len(found) <= 1, f"component {name} appears {len(found)} times"
    return found[0] if found else None


def names(result: IndexResult) -> set[str]:
    return {c.name for c in result.components}


# ---------------------------------------------------------------- worked example


def test_worked_example_of_domain_md():
    result = index()
    assert result.value == pytest.approx(9.3575440, abs=1e-6)
    assert result.formula_version == "v1"


def test_worked_example_components_sum_to_the_value_and_are_named():
    result = index()
    assert math.fsum(c.contribution for c in result.components) == pytest.approx(
        result.value, abs=1e-6
    )
    assert {
        "intercept",
        "region",
        "householdSize",
        "childrenShare",
        "elderlyShare",
        "headEducation",
        "headOccupation",
        "housingType",
        "occupancy",
        "roomsPerPerson",
        "waterSource",
        "electricityMonthly",
        "waterMonthly",
        "phoneMonthly",
        "butaneBottlesMonthly",
        "asset:REFRIGERATOR",
        "asset:TELEVISION",
    } <= names(result)
    assert component(result, "intercept") == 9.05
    assert component(result, "region") == 0.05
    assert component(result, "householdSize") == pytest.approx(-0.55 * math.log(4), abs=1e-7)
    assert component(result, "childrenShare") == pytest.approx(-0.15)
    assert component(result, "elderlyShare") == 0
    assert component(result, "headEducation") == 0.06
    assert component(result, "housingType") == 0.18
    assert component(result, "roomsPerPerson") == pytest.approx(0.04)
    assert component(result, "electricityMonthly") == pytest.approx(0.07 * math.log(121), abs=1e-7)
    # no asset not owned, no rural term for an urban household
    assert not any(
        n.startswith("asset:") for n in names(result) - {"asset:REFRIGERATOR", "asset:TELEVISION"}
    )
    assert "agriculturalLandHectares" not in names(result)
    assert "livestockUnits" not in names(result)


def test_contributions_stand_for_the_components_in_the_formulas_term_order():
    result = index()
    stored = result.contributions()
    assert len(stored) == len(term_names(result.formula_version))
    assert components_of(result.formula_version, stored) == result.components
    # a term the household does not have is stored as None, in its place
    names = term_names(result.formula_version)
    listed = {c.name for c in result.components}
    assert [v is None for v in stored] == [n not in listed for n in names]


def test_the_terms_of_v1_never_change():
    """The index history names its stored contributions by the terms of the row's formula
    version: a published version's terms, and their order, are fixed for good."""
    assert term_names("v1") == (
        "intercept", "region", "householdSize", "childrenShare", "elderlyShare",
        "headEducation", "headOccupation", "housingType", "occupancy", "roomsPerPerson",
        "waterSource", "electricityMonthly", "waterMonthly", "phoneMonthly",
        "butaneBottlesMonthly", "asset:CAR", "asset:MOTORCYCLE", "asset:REFRIGERATOR",
        "asset:TELEVISION", "asset:COMPUTER", "asset:WASHING_MACHINE",
        "asset:AIR_CONDITIONER", "asset:INTERNET", "agriculturalLandHectares",
        "livestockUnits")


def test_contributions_of_another_length_are_refused():
    with pytest.raises(FormulaError, match="contributions for the"):
        components_of("v1", [0.5])


# ---------------------------------------------------------------- categorical terms

CATEGORICAL_ENUMS = {
    "headEducation": ("head_education", Education),
    "headOccupation": ("head_occupation", Occupation),
    "housingType": ("housing_type", HousingType),
    "occupancy": ("occupancy", Occupancy),
    "waterSource": ("water_source", WaterSource),
}
MILIEUS = ("URBAN", "RURAL")


@pytest.mark.parametrize("term", sorted(CATEGORICAL_ENUMS))
@pytest.mark.parametrize("milieu", MILIEUS)
def test_formula_covers_every_enum_value(term, milieu):
    _, enum = CATEGORICAL_ENUMS[term]
    assert set(V1[term][milieu]) == {e.value for e in enum}


def test_formula_covers_every_asset_and_both_milieus():
    assert set(V1["assets"]) == {a.value for a in Asset}
    for term in (*CATEGORICAL_ENUMS, "intercept", "sizeElasticity"):
        assert set(V1[term]) == set(MILIEUS), term


# A baseline whose every contribution is a short decimal (one adult: ln 1 = 0; region 09: 0;
# no spending: ln 1 = 0; no asset), so that index differences are exact to float precision.
ZERO_BASELINE = {
    "head_education": "NONE",
    "head_occupation": "WORKER",
    "housing_type": "TRADITIONAL_HOUSE",
    "occupancy": "TENANT",
    "rooms": 1,
    "water_source": "PIPED",
    "electricity_monthly": 0,
    "water_monthly": 0,
    "phone_monthly": 0,
    "butane_bottles_monthly": 0,
    "assets": [],
}


def zero_index(milieu: str, **overrides: Any) -> IndexResult:
    return index(milieu, "09", [born_aged(40)], **{**ZERO_BASELINE, **overrides})


CATEGORICAL_CASES = [
    pytest.param(term, milieu, value, coefficient, id=f"{term}-{milieu}-{value}")
    for term in CATEGORICAL_ENUMS
    for milieu in MILIEUS
    for value, coefficient in V1[term][milieu].items()
]


@pytest.mark.parametrize(("term", "milieu", "value", "coefficient"), CATEGORICAL_CASES)
def test_categorical_value_moves_the_index_by_its_coefficient(term, milieu, value, coefficient):
    key, _ = CATEGORICAL_ENUMS[term]
    baseline_value = ZERO_BASELINE[key]
    baseline = zero_index(milieu)
    result = zero_index(milieu, **{key: value})
    expected = coefficient - V1[term][milieu][baseline_value]
    assert result.value - baseline.value == pytest.approx(expected, abs=1e-9)
    assert component(result, term) == coefficient
    # and the same shift on a realistic household (values rounded to 7 decimals: ±1e-7)
    realistic = index(milieu, **{key: value})
    realistic_base = index(milieu, **{key: baseline_value})
    assert realistic.value - realistic_base.value == pytest.approx(expected, abs=1.01e-7)


ASSET_CASES = [
    pytest.param(milieu, asset, coefficient, id=f"{milieu}-{asset}")
    for milieu in MILIEUS
    for asset, coefficient in V1["assets"].items()
]


@pytest.mark.parametrize(("milieu", "asset", "coefficient"), ASSET_CASES)
def test_owning_an_asset_adds_its_coefficient(milieu, asset, coefficient):
    baseline = zero_index(milieu)
    result = zero_index(milieu, assets=[asset])
    assert result.value - baseline.value == pytest.approx(coefficient, abs=1e-9)
    assert component(result, f"asset:{asset}") == coefficient
    assert not any(n.startswith("asset:") for n in names(baseline))


def test_all_assets_add_up():
    baseline = zero_index("URBAN")
    result = zero_index("URBAN", assets=[a.value for a in Asset])
    assert result.value - baseline.value == pytest.approx(sum(V1["assets"].values()), abs=1e-9)


# ---------------------------------------------------------------- rural-only terms


def test_land_and_livestock_count_only_in_rural_households():
    urban_with = index("URBAN", agricultural_land_hectares=40, livestock_units=12)
    urban_without = index("URBAN")
    assert urban_with.value == urban_without.value
    assert "agriculturalLandHectares" not in names(urban_with)
    assert "livestockUnits" not in names(urban_with)

    rural_with = index("RURAL", agricultural_land_hectares=40, livestock_units=12)
    rural_without = index("RURAL")
    assert component(rural_with, "agriculturalLandHectares") == pytest.approx(
        0.03 * math.log(41), abs=1e-7
    )
    assert component(rural_with, "livestockUnits") == pytest.approx(0.02 * math.log(13), abs=1e-7)
    assert rural_with.value - rural_without.value == pytest.approx(
        0.03 * math.log(41) + 0.02 * math.log(13), abs=1.01e-7
    )


def test_rural_household_without_land_values_gets_zero_rural_terms():
    result = index("RURAL")
    assert component(result, "agriculturalLandHectares") == 0
    assert component(result, "livestockUnits") == 0


def test_farmer_is_zero_urban_and_three_hundredths_rural():
    for milieu, expected in (("URBAN", 0.0), ("RURAL", 0.03)):
        farmer = zero_index(milieu, head_occupation="FARMER")
        worker = zero_index(milieu, head_occupation="WORKER")
        assert component(farmer, "headOccupation") == expected
        assert farmer.value - worker.value == pytest.approx(expected, abs=1e-9)


def test_piped_water_is_zero_urban_and_five_hundredths_rural():
    assert component(zero_index("URBAN", water_source="PIPED"), "waterSource") == 0
    assert component(zero_index("RURAL", water_source="PIPED"), "waterSource") == 0.05


def test_intercept_and_size_elasticity_per_milieu():
    births = [born_aged(40), born_aged(38), born_aged(30)]
    urban, rural = index("URBAN", births=births), index("RURAL", births=births)
    assert component(urban, "intercept") == 9.05
    assert component(rural, "intercept") == 8.80
    assert component(urban, "householdSize") == pytest.approx(-0.55 * math.log(3), abs=1e-7)
    assert component(rural, "householdSize") == pytest.approx(-0.45 * math.log(3), abs=1e-7)


# ---------------------------------------------------------------- rooms per person


def test_rooms_per_person_is_capped_at_three():
    two = [born_aged(40), born_aged(38)]
    assert index(births=two, rooms=12).value == index(births=two, rooms=6).value
    assert index(births=two, rooms=7).value == index(births=two, rooms=6).value
    assert component(index(births=two, rooms=12), "roomsPerPerson") == pytest.approx(0.08 * 3)
    assert index(births=two, rooms=5).value < index(births=two, rooms=6).value
    assert component(index(births=two, rooms=5), "roomsPerPerson") == pytest.approx(0.08 * 2.5)


# ---------------------------------------------------------------- children and elderly shares


def test_child_share_counts_a_fourteen_year_old_until_the_fifteenth_birthday():
    fifteenth_birthday = years_before(ON, 15)
    day_before_birthday = [born_aged(40), fifteenth_birthday + timedelta(days=1)]  # 14 on ON
    on_birthday = [born_aged(40), fifteenth_birthday]  # 15 on ON
    assert component(index(births=day_before_birthday), "childrenShare") == pytest.approx(-0.30 / 2)
    assert component(index(births=on_birthday), "childrenShare") == 0
    assert index(births=day_before_birthday).value == pytest.approx(
        index(births=on_birthday).value - 0.15, abs=1.01e-7
    )


def test_child_share_counts_a_newborn():
    assert component(index(births=[born_aged(30), ON]), "childrenShare") == pytest.approx(-0.15)


def test_elderly_share_counts_from_the_sixty_fifth_birthday():
    sixty_fifth = years_before(ON, 65)
    assert component(index(births=[born_aged(40), sixty_fifth]), "elderlyShare") == pytest.approx(
        -0.05
    )
    assert (
        component(index(births=[born_aged(40), sixty_fifth + timedelta(days=1)]), "elderlyShare")
        == 0
    )
    assert component(index(births=[born_aged(90)]), "elderlyShare") == pytest.approx(-0.10)


def test_shares_are_of_living_members():
    births = [born_aged(70), born_aged(68), born_aged(10), born_aged(3), born_aged(40)]
    result = index(births=births)
    assert component(result, "childrenShare") == pytest.approx(-0.30 * 2 / 5)
    assert component(result, "elderlyShare") == pytest.approx(-0.10 * 2 / 5)


# ---------------------------------------------------------------- regions

REGION_EFFECTS = {  # domain.md
    "01": 0.02,
    "02": -0.01,
    "03": -0.01,
    "04": 0.04,
    "05": -0.03,
    "06": 0.05,
    "07": -0.02,
    "08": -0.05,
    "09": 0.0,
    "10": 0.01,
    "11": 0.04,
    "12": 0.05,
}


def test_formula_has_the_twelve_regions():
    assert set(V1["region"]) == set(REGION_EFFECTS)


@pytest.mark.parametrize(("region", "effect"), sorted(REGION_EFFECTS.items()))
@pytest.mark.parametrize("milieu", MILIEUS)
def test_region_effect(region, effect, milieu):
    births = [born_aged(40)]
    result = index(milieu, region, births, **ZERO_BASELINE)
    baseline = index(milieu, "09", births, **ZERO_BASELINE)
    assert component(result, "region") == effect
    assert result.value - baseline.value == pytest.approx(effect, abs=1e-9)


# ---------------------------------------------------------------- errors


def test_unknown_formula_version_raises_formula_error():
    with pytest.raises(FormulaError):
        load_formula("v999")
    with pytest.raises(FormulaError):
        load_formula("../formulas/v1")
    assert issubclass(FormulaError, ValueError)


def test_household_with_no_member_has_no_index():
    facts = HouseholdFacts(milieu="URBAN", region="06", members=(), declaration=declaration())
    with pytest.raises(ValueError):
        compute_index(facts, ON)


def test_explicit_formula_is_used():
    custom = {**V1, "version": "vTest", "intercept": {"URBAN": 10.05, "RURAL": 8.80}}
    facts = HouseholdFacts(
        milieu="URBAN",
        region="06",
        members=members_from_birth_dates([born_aged(40)]),
        declaration=declaration(),
    )
    default = compute_index(facts, ON)
    result = compute_index(facts, ON, custom)
    assert result.formula_version == "vTest"
    assert result.value - default.value == pytest.approx(1.0, abs=1.01e-7)


# ---------------------------------------------------------------- properties

REGIONS = sorted(REGION_EFFECTS)
SPENDING_KEYS = ("electricity_monthly", "water_monthly", "phone_monthly", "butane_bottles_monthly")
RURAL_KEYS = ("agricultural_land_hectares", "livestock_units")
BOUNDS = {
    "electricity_monthly": 100_000,
    "water_monthly": 100_000,
    "phone_monthly": 100_000,
    "butane_bottles_monthly": 50,
    "agricultural_land_hectares": 10_000,
    "livestock_units": 10_000,
}


def amount(maximum: int) -> st.SearchStrategy:
    return st.one_of(
        st.integers(0, maximum),
        st.decimals(0, maximum, places=2, allow_nan=False, allow_infinity=False),
    )


birth_dates = st.dates(min_value=date(1920, 1, 1), max_value=ON)


@st.composite
def households(draw, min_members: int = 1, max_members: int = 12) -> HouseholdFacts:
    d = {
        "head_education": draw(st.sampled_from([e.value for e in Education])),
        "head_occupation": draw(st.sampled_from([e.value for e in Occupation])),
        "housing_type": draw(st.sampled_from([e.value for e in HousingType])),
        "occupancy": draw(st.sampled_from([e.value for e in Occupancy])),
        "water_source": draw(st.sampled_from([e.value for e in WaterSource])),
        "rooms": draw(st.integers(1, 30)),
        "assets": draw(st.lists(st.sampled_from([a.value for a in Asset]), unique=True)),
    }
    for key in (*SPENDING_KEYS, *RURAL_KEYS):
        d[key] = draw(amount(BOUNDS[key]))
    members = draw(st.lists(birth_dates, min_size=min_members, max_size=max_members))
    return HouseholdFacts(
        milieu=draw(st.sampled_from(MILIEUS)),
        region=draw(st.sampled_from(REGIONS)),
        members=members_from_birth_dates(members),
        declaration=d,
    )


def with_declaration(facts: HouseholdFacts, **changes: Any) -> HouseholdFacts:
    return HouseholdFacts(
        facts.milieu, facts.region, facts.members, {**facts.declaration, **changes}
    )


@settings(deadline=None)
@given(households(), st.integers(1, 30), st.integers(1, 30))
def test_more_rooms_per_person_never_lowers_the_index(facts, rooms_a, rooms_b):
    fewer, more = sorted((rooms_a, rooms_b))
    assert (
        compute_index(with_declaration(facts, rooms=more), ON).value
        >= compute_index(with_declaration(facts, rooms=fewer), ON).value
    )


@settings(deadline=None)
@given(households(), st.sampled_from([a.value for a in Asset]))
def test_adding_an_asset_never_lowers_the_index(facts, asset):
    owned = list(facts.declaration["assets"])
    more = with_declaration(facts, assets=sorted({*owned, asset}))
    assert compute_index(more, ON).value >= compute_index(facts, ON).value


def with_member(facts: HouseholdFacts, birth: date) -> HouseholdFacts:
    return HouseholdFacts(
        facts.milieu,
        facts.region,
        facts.members + members_from_birth_dates([birth]),
        facts.declaration,
    )


@settings(deadline=None)
@given(households(max_members=11))
def test_adding_a_thirty_year_old_with_the_same_spending_never_raises_the_index(facts):
    """Adding an adult lowers the children and elderly shares, which raises the index by at most
    0.30·c/(n(n+1)) ≤ 0.30/(n+1); the size term falls by s·ln(1+1/n) > s/(n+1), and the rooms term
    can only fall. With v1 (s = 0.55 urban, 0.45 rural ≥ 0.30) the index always falls, for any n."""
    before = compute_index(facts, ON).value
    after = compute_index(with_member(facts, born_aged(30)), ON).value
    assert after < before


@pytest.mark.parametrize("milieu", MILIEUS)
def test_adding_an_adult_never_raises_the_index_exhaustively(milieu):
    """Every size 1..12 and every composition (children, elderly, adults), every room count."""
    kid, adult, old = born_aged(8), born_aged(30), born_aged(70)
    worst = -math.inf
    for n in range(1, 13):
        for c in range(n + 1):
            for e in range(n - c + 1):
                births = [kid] * c + [old] * e + [adult] * (n - c - e)
                for rooms in (1, 2, 3, n, 2 * n, 3 * n, 3 * n + 3, 30):
                    before = index(milieu, births=births, rooms=rooms).value
                    after = index(milieu, births=[*births, adult], rooms=rooms).value
                    worst = max(worst, after - before)
    assert worst < 0


@pytest.mark.parametrize("milieu", MILIEUS)
def test_v1_size_elasticity_dominates_the_composition_shares(milieu):
    """The condition that makes the property above hold for every household size: adding one
    member changes a share by at most 1/(n+1), while the size term falls by
    s·ln(1+1/n) > s/(n+1)."""
    demo = V1["demography"]
    assert V1["sizeElasticity"][milieu] >= max(-demo["childrenShare"], -demo["elderlyShare"])


@settings(deadline=None)
@given(households(), st.sampled_from((*SPENDING_KEYS, *RURAL_KEYS)), st.data())
def test_higher_spending_never_lowers_the_index(facts, key, data):
    low = data.draw(amount(BOUNDS[key]))
    high = data.draw(amount(BOUNDS[key]))
    low, high = sorted((low, high))
    assert (
        compute_index(with_declaration(facts, **{key: high}), ON).value
        >= compute_index(with_declaration(facts, **{key: low}), ON).value
    )


@settings(deadline=None)
@given(households())
def test_value_has_at_most_seven_decimals(facts):
    result = compute_index(facts, ON)
    assert Decimal(repr(result.value)).as_tuple().exponent >= -7
    for c in result.components:
        assert Decimal(repr(c.contribution)).as_tuple().exponent >= -7, c


@settings(deadline=None)
@given(households())
def test_components_sum_to_the_value(facts):
    result = compute_index(facts, ON)
    # each component and the value are rounded to 7 decimals (±5e-8 each)
    tolerance = (len(result.components) + 1) * 5e-8 + 1e-12
    assert math.fsum(c.contribution for c in result.components) == pytest.approx(
        result.value, abs=tolerance
    )
