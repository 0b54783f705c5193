"""Programs and eligibility of domain.md ("Programs and eligibility"): the three programs of
release 1.0, now files of the catalogue (api/programs/catalogue/), answered by the one rule
engine exactly as the Python rules they replace did."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from api.programs.catalogue import Program, Version, catalogue
from api.programs.facts import MemberSituation, Situation, facts
from api.programs.rules import (
    DECEASED,
    HOUSEHOLD_NOT_ACTIVE,
    NO_HOUSEHOLD,
    NOT_REGISTERED,
    criterion_holds,
    decide,
    monthly_amount,
)

INDEX_ABOVE_THRESHOLD = "INDEX_ABOVE_THRESHOLD"
INDEX_WITHIN_THRESHOLD = "INDEX_WITHIN_THRESHOLD"
NO_QUALIFYING_CHILD = "NO_QUALIFYING_CHILD"
OTHER_HEALTH_COVERAGE = "OTHER_HEALTH_COVERAGE"


def asd_monthly_amount(members, on):
    """ASD's amount in force on `on` for a household of these members."""
    return monthly_amount("ASD", situation(members=tuple(members)), on)


def has_school_child(members, on):
    """TAYSSIR's qualifying-child criterion."""
    return criterion_holds("TAYSSIR", NO_QUALIFYING_CHILD, situation(members=tuple(members)), on)

ON = date(2026, 3, 15)
AMO, ASD, TAYSSIR = "AMO_TADAMON", "ASD", "TAYSSIR"
AMO_THRESHOLD, ASD_THRESHOLD = 9.3264284, 9.743001
WORKED_EXAMPLE_INDEX = 9.3575440
LOW_INDEX = 9.0


def birthday(years: int, on: date = ON) -> date:
    """The birth date on which one turns exactly `years` on `on`."""
    return on.replace(year=on.year - years)


def aged(years: int, on: date = ON) -> date:
    """A birth date giving `years` on `on`, well away from a birthday."""
    return birthday(years, on) - timedelta(days=100)


def member(
    birth: date, schooling: str = "IN_SCHOOL", disability: bool = False, relationship: str = "CHILD"
) -> MemberSituation:
    return MemberSituation(
        relationship=relationship, birth_date=birth, schooling=schooling, has_disability=disability
    )


def head(years: int = 40, on: date = ON) -> MemberSituation:
    return member(aged(years, on), "NOT_APPLICABLE", relationship="HEAD")


def situation(
    index: float | None = LOW_INDEX, members: tuple[MemberSituation, ...] | None = None, **kw
) -> Situation:
    if members is None:
        members = (head(), member(aged(10)))
    base = dict(
        registered=True,
        in_household=True,
        household_status="ACTIVE",
        index_value=index,
        members=members,
    )
    base.update(kw)
    return Situation(**base)


# ---------------------------------------------------------------- decide(): reason codes


@pytest.mark.parametrize("program", [AMO, ASD, TAYSSIR])
def test_not_registered(program):
    decision = decide(program, Situation(registered=False), ON)
    assert not decision.eligible
    assert decision.reasons == (NOT_REGISTERED,)
    assert decision.monthly_amount is None


@pytest.mark.parametrize("program", [AMO, ASD, TAYSSIR])
def test_no_household(program):
    decision = decide(program, Situation(registered=True, in_household=False), ON)
    assert not decision.eligible
    assert decision.reasons == (NO_HOUSEHOLD,)


@pytest.mark.parametrize("program", [AMO, ASD, TAYSSIR])
def test_suspended_household_is_not_active(program):
    decision = decide(program, situation(household_status="SUSPENDED"), ON)
    assert not decision.eligible
    assert decision.reasons == (HOUSEHOLD_NOT_ACTIVE,)


@pytest.mark.parametrize("program", [AMO, ASD, TAYSSIR])
def test_unscored_household_is_not_active(program):
    decision = decide(program, situation(index=None), ON)
    assert not decision.eligible
    assert decision.reasons == (HOUSEHOLD_NOT_ACTIVE,)


def test_closed_household_is_not_active():
    assert decide(ASD, situation(household_status="CLOSED"), ON).reasons == (HOUSEHOLD_NOT_ACTIVE,)


@pytest.mark.parametrize("program", [AMO, ASD, TAYSSIR])
def test_deceased(program):
    decision = decide(program, situation(deceased=True), ON)
    assert not decision.eligible
    assert decision.reasons == (DECEASED,)


@pytest.mark.parametrize(
    ("program", "threshold"), [(AMO, AMO_THRESHOLD), (ASD, ASD_THRESHOLD), (TAYSSIR, ASD_THRESHOLD)]
)
def test_index_above_threshold(program, threshold):
    decision = decide(program, situation(index=threshold + 1e-7), ON)
    assert not decision.eligible
    assert decision.reasons == (INDEX_ABOVE_THRESHOLD,)
    assert decision.threshold == threshold
    assert decision.monthly_amount is None


@pytest.mark.parametrize(
    ("program", "threshold"), [(AMO, AMO_THRESHOLD), (ASD, ASD_THRESHOLD), (TAYSSIR, ASD_THRESHOLD)]
)
def test_index_equal_to_threshold_is_eligible(program, threshold):
    decision = decide(program, situation(index=threshold), ON)
    assert decision.eligible
    assert decision.reasons == (INDEX_WITHIN_THRESHOLD,)
    assert decision.threshold == threshold


def test_other_health_coverage_excludes_from_amo_tadamon_only():
    covered = situation(has_other_health_coverage=True)
    amo = decide(AMO, covered, ON)
    assert not amo.eligible
    assert amo.reasons == (OTHER_HEALTH_COVERAGE,)
    asd = decide(ASD, covered, ON)
    assert asd.eligible
    assert asd.reasons == (INDEX_WITHIN_THRESHOLD,)
    assert decide(TAYSSIR, covered, ON).eligible


def test_every_failing_condition_is_reported_in_a_stable_order():
    decision = decide(
        AMO,
        situation(
            index=10.0, deceased=True, household_status="SUSPENDED", has_other_health_coverage=True
        ),
        ON,
    )
    assert decision.reasons == (
        DECEASED,
        HOUSEHOLD_NOT_ACTIVE,
        INDEX_ABOVE_THRESHOLD,
        OTHER_HEALTH_COVERAGE,
    )
    decision = decide(TAYSSIR, situation(index=10.0, members=(head(),)), ON)
    assert decision.reasons == (INDEX_ABOVE_THRESHOLD, NO_QUALIFYING_CHILD)
    decision = decide(ASD, Situation(registered=True, deceased=True, in_household=False), ON)
    assert decision.reasons == (DECEASED, NO_HOUSEHOLD)


def test_eligible_answers():
    amo = decide(AMO, situation(), ON)
    assert (amo.eligible, amo.reasons, amo.threshold, amo.monthly_amount) == (
        True,
        (INDEX_WITHIN_THRESHOLD,),
        AMO_THRESHOLD,
        None,
    )
    asd = decide(ASD, situation(), ON)
    assert (asd.eligible, asd.reasons, asd.threshold) == (
        True,
        (INDEX_WITHIN_THRESHOLD,),
        ASD_THRESHOLD,
    )
    assert asd.monthly_amount == 500  # one child in school: 300, raised to the floor
    tayssir = decide(TAYSSIR, situation(), ON)
    assert (tayssir.eligible, tayssir.reasons, tayssir.monthly_amount) == (
        True,
        (INDEX_WITHIN_THRESHOLD,),
        None,
    )


def test_worked_example_is_above_amo_and_below_asd():
    amo = decide(AMO, situation(index=WORKED_EXAMPLE_INDEX), ON)
    assert not amo.eligible
    assert amo.reasons == (INDEX_ABOVE_THRESHOLD,)
    assert decide(ASD, situation(index=WORKED_EXAMPLE_INDEX), ON).eligible
    assert decide(TAYSSIR, situation(index=WORKED_EXAMPLE_INDEX), ON).eligible


# ---------------------------------------------------------------- TAYSSIR qualifying child


@pytest.mark.parametrize(
    ("birth", "schooling", "qualifies"),
    [
        pytest.param(birthday(6), "IN_SCHOOL", True, id="6-on-birthday-in-school"),
        pytest.param(aged(10), "IN_SCHOOL", True, id="10-in-school"),
        pytest.param(
            birthday(16) + timedelta(days=1), "IN_SCHOOL", True, id="15-day-before-16th-birthday"
        ),
        pytest.param(
            birthday(6) + timedelta(days=1), "IN_SCHOOL", False, id="5-day-before-6th-birthday"
        ),
        pytest.param(birthday(16), "IN_SCHOOL", False, id="16-on-birthday"),
        pytest.param(aged(10), "OUT_OF_SCHOOL", False, id="10-out-of-school"),
        pytest.param(aged(10), "NOT_APPLICABLE", False, id="10-not-applicable"),
    ],
)
def test_tayssir_qualifying_child(birth, schooling, qualifies):
    members = (head(), member(birth, schooling))
    assert has_school_child(members, ON) is qualifies
    decision = decide(TAYSSIR, situation(members=members), ON)
    assert decision.eligible is qualifies
    assert decision.reasons == ((INDEX_WITHIN_THRESHOLD,) if qualifies else (NO_QUALIFYING_CHILD,))


def test_tayssir_household_without_children():
    assert decide(TAYSSIR, situation(members=(head(),)), ON).reasons == (NO_QUALIFYING_CHILD,)


def test_no_qualifying_child_is_tayssir_only():
    members = (head(),)
    assert decide(ASD, situation(members=members), ON).eligible
    assert decide(AMO, situation(members=members), ON).eligible


# ---------------------------------------------------------------- dated thresholds


def test_threshold_before_the_first_effective_date_raises():
    with pytest.raises(LookupError):
        catalogue()[ASD].version_on(date(2023, 11, 30))
    assert catalogue()[ASD].version_on(date(2023, 12, 1)).threshold == ASD_THRESHOLD
    with pytest.raises(LookupError):
        catalogue()[AMO].version_on(date(2022, 11, 30))
    assert catalogue()[AMO].version_on(date(2022, 12, 1)).threshold == AMO_THRESHOLD


def test_decide_before_the_first_threshold_raises():
    with pytest.raises(LookupError):
        decide(TAYSSIR, situation(), date(2023, 11, 30))


def test_threshold_in_force_is_the_latest_on_or_before_the_date():
    def version(threshold, day, reference):
        return Version(effective_from=day, legal_reference=reference, threshold=threshold,
                       definitions=(), criteria=(), amount_lines=(), single_amount=False)

    old = version(9.5, date(2024, 1, 1), "old decree")
    new = version(9.9, date(2027, 1, 1), "new decree")
    info = Program(code="TEST", name="test", purposes=(), fields=(), eligible_reason="ELIGIBLE",
                   versions=(old, new), source="test")
    assert info.version_on(date(2026, 12, 31)) == old
    assert info.version_on(date(2027, 1, 1)) == new
    assert info.version_on(date(2030, 6, 1)) == new
    assert info.version_on(date(2024, 1, 1)) == old
    with pytest.raises(LookupError):
        info.version_on(date(2023, 12, 31))


def test_program_parameters_carry_legal_references():
    for info in catalogue().programs.values():
        assert info.versions
        assert all(v.legal_reference for v in info.versions)


# ---------------------------------------------------------------- ASD amounts


def amount(*children: MemberSituation, on: date = ON) -> int:
    return asd_monthly_amount((head(on=on), *children), on)


def test_asd_no_child_gets_the_floor():
    assert amount() == 500
    assert asd_monthly_amount((), ON) == 500


def test_asd_at_most_six_children_oldest_first_youngest_dropped():
    children = [member(aged(years)) for years in range(1, 8)]  # aged 1..7, all young or in school
    # ranks 1-3 (7, 6, 5): 300 each; ranks 4-6 (4, 3, 2): 36 each; the 1-year-old is dropped
    assert amount(*children) == 3 * 300 + 3 * 36
    # a disability of the dropped youngest adds nothing; of the oldest, 100
    youngest_disabled = [*children[1:], member(aged(1), disability=True)]
    assert amount(*youngest_disabled) == 3 * 300 + 3 * 36
    oldest_disabled = [*children[:-1], member(aged(7), disability=True)]
    assert amount(*oldest_disabled) == 3 * 300 + 3 * 36 + 100


def test_asd_ranks_oldest_first():
    # the out-of-school 16-year-old is rank 1 (200), not rank 4 (24)
    children = [
        member(aged(8)),
        member(aged(16), "OUT_OF_SCHOOL"),
        member(aged(10)),
        member(aged(9)),
    ]
    assert amount(*children) == 200 + 300 + 300 + 36


def test_asd_later_ranks_amounts():
    first = [member(aged(15)), member(aged(14)), member(aged(13))]
    later = [
        member(aged(12), "IN_SCHOOL"),
        member(aged(11), "OUT_OF_SCHOOL"),
        member(aged(3), "NOT_APPLICABLE"),
    ]
    assert amount(*first, *later) == 900 + 36 + 24 + 36


def test_asd_out_of_school_sixteen_year_old_at_rank_one():
    younger = [member(aged(10)), member(aged(8))]
    assert amount(member(aged(16), "OUT_OF_SCHOOL"), *younger) == 200 + 600
    assert amount(member(aged(16), "IN_SCHOOL"), *younger) == 300 + 600


def test_asd_young_child_counts_as_young_whatever_the_schooling():
    younger = [member(aged(4), "NOT_APPLICABLE"), member(aged(3), "NOT_APPLICABLE")]
    five = member(birthday(6) + timedelta(days=1), "NOT_APPLICABLE")  # 5, turns 6 tomorrow
    six = member(birthday(6), "NOT_APPLICABLE")  # 6 today
    assert amount(five, *younger) == 900
    assert amount(six, *younger) == 200 + 600
    assert amount(member(birthday(6), "OUT_OF_SCHOOL"), *younger) == 200 + 600


def test_asd_children_count_until_the_twenty_first_birthday():
    younger = [member(aged(10)), member(aged(8))]
    twenty = member(birthday(21) + timedelta(days=1))  # 20, turns 21 tomorrow
    twenty_one = member(birthday(21))  # 21 today
    assert amount(twenty, *younger) == 900
    assert amount(twenty_one, *younger) == 600
    # and the rank freed by the 21-year-old goes to the next child
    four = [member(aged(12)), member(aged(10)), member(aged(8))]
    assert amount(twenty, *four) == 900 + 36
    assert amount(twenty_one, *four) == 900


def test_asd_disability_supplement():
    younger = [member(aged(10)), member(aged(8))]
    assert amount(member(aged(12), disability=True), *younger) == 900 + 100
    assert (
        amount(
            member(aged(12), disability=True), member(aged(10), disability=True), member(aged(8))
        )
        == 900 + 200
    )
    # a disabled child at a later rank still gets the full supplement
    later = [
        member(aged(15)),
        member(aged(14)),
        member(aged(13)),
        member(aged(12), disability=True),
    ]
    assert amount(*later) == 900 + 36 + 100


@pytest.mark.parametrize("relationship", ["SPOUSE", "HEAD"])
def test_asd_spouse_or_head_aged_nineteen_is_not_a_child(relationship):
    younger = [member(aged(10)), member(aged(8))]
    nineteen = member(aged(19), "IN_SCHOOL", relationship=relationship)
    assert asd_monthly_amount((nineteen, *younger), ON) == 600


def test_asd_grandchild_counts():
    younger = [member(aged(10)), member(aged(8))]
    assert amount(member(aged(12), relationship="GRANDCHILD"), *younger) == 900


@pytest.mark.parametrize(
    ("on", "young_or_in_school", "out_of_school"),
    [
        (date(2023, 12, 1), 200, 150),
        (date(2024, 12, 31), 200, 150),
        (date(2025, 1, 1), 250, 175),
        (date(2025, 12, 31), 250, 175),
        (date(2026, 1, 1), 300, 200),
        (date(2030, 1, 1), 300, 200),
    ],
)
def test_asd_schedule_boundaries(on, young_or_in_school, out_of_school):
    assert catalogue()[ASD].version_on(on).legal_reference
    in_school = [member(aged(y, on)) for y in (12, 10, 8)]
    assert amount(*in_school, on=on) == 3 * young_or_in_school
    out = [member(aged(y, on), "OUT_OF_SCHOOL") for y in (14, 12, 10)]
    assert amount(*out, on=on) == max(500, 3 * out_of_school)


def test_asd_schedule_before_the_first_decree_raises():
    with pytest.raises(LookupError):
        catalogue()[ASD].version_on(date(2023, 11, 30))
    with pytest.raises(LookupError):
        asd_monthly_amount((head(),), date(2023, 11, 30))


def test_asd_floor_applies_only_when_the_sum_is_lower():
    on = date(2023, 12, 1)
    assert amount(member(aged(10, on), "OUT_OF_SCHOOL"), on=on) == 500  # 150 → 500
    assert (
        amount(*[member(aged(y, on), "OUT_OF_SCHOOL") for y in (14, 12, 10)], on=on) == 500
    )  # 450
    assert amount(*[member(aged(y, on)) for y in (12, 10, 8)], on=on) == 600  # above the floor
    assert (
        amount(
            *[member(aged(y, on)) for y in (12, 10)], member(aged(8, on), "OUT_OF_SCHOOL"), on=on
        )
        == 550
    )


def test_asd_decision_carries_the_amount():
    members = (head(), *[member(aged(y)) for y in (12, 10, 8)])
    decision = decide(ASD, situation(members=members), ON)
    assert decision.eligible
    assert decision.monthly_amount == 900


# ---------------------------------------------------------------- facts(): only what is read


@pytest.mark.parametrize("needs", [
    {"Household": frozenset({"members"})},           # members counted, none of their fields read
    {"Household": frozenset({"index", "region"})},   # no member read at all
    {"Person": frozenset({"age"})},                  # a program about the person only
    {},
])
def test_facts_with_only_some_types_needed(needs):
    built = facts(situation(), AMO_THRESHOLD, ON, needs)
    assert built["household"]["index"] == LOW_INDEX
    if "members" in needs.get("Household", ()):
        assert len(built["household"]["members"]) == 2
