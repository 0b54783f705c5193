"""A registration scores its household from the facts it holds (members as locked,
declaration as validated) instead of reading them back; the index must be exactly the one
computed from what the database then holds (`scoring.score_household`). Differential, over
generated households: members' ages, milieu, region and every declaration field."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.enums import Asset, Education, HousingType, Occupancy, Occupation, WaterSource
from api.models import HouseholdIndex
from api.services import clock, scoring
from api.services.reference import territory
from tests import factories

pytestmark = pytest.mark.e2e

TODAY = clock.today()
PROVINCES = [p.code for p in territory().provinces]  # every region's milieu factors


def amounts(most: int):
    return st.decimals(min_value=0, max_value=most, places=2, allow_nan=False,
                       allow_infinity=False)


@st.composite
def households(draw):
    rural = draw(st.booleans())
    declaration = {
        "headEducation": draw(st.sampled_from([e.value for e in Education])),
        "headOccupation": draw(st.sampled_from([o.value for o in Occupation])),
        "housingType": draw(st.sampled_from([h.value for h in HousingType])),
        "occupancy": draw(st.sampled_from([o.value for o in Occupancy])),
        "rooms": draw(st.integers(1, 30)),
        "waterSource": draw(st.sampled_from([w.value for w in WaterSource])),
        "electricityMonthly": float(draw(amounts(100_000))),
        "waterMonthly": float(draw(amounts(100_000))),
        "phoneMonthly": float(draw(amounts(100_000))),
        "butaneBottlesMonthly": draw(st.integers(0, 50)),
        "assets": draw(st.lists(st.sampled_from([a.value for a in Asset]), unique=True)),
    }
    if rural:
        declaration["agriculturalLandHectares"] = float(draw(amounts(10_000)))
        declaration["livestockUnits"] = float(draw(amounts(10_000)))
    head_age = draw(st.integers(19, 95))
    # children and adults, away from the 18th birthday (the builders give adults a CIN by year)
    others = draw(st.lists(st.integers(0, 17 * 365) | st.integers(19 * 365, 95 * 365),
                           max_size=5))
    return {"milieu": "RURAL" if rural else "URBAN",
            "province": draw(st.sampled_from(PROVINCES)),
            "declaration": declaration,
            "head_born": date(TODAY.year - head_age, TODAY.month, min(TODAY.day, 28))
            - timedelta(days=1),
            "others_born": [TODAY - timedelta(days=days) for days in others]}


@settings(max_examples=25, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(household=households())
async def test_the_registrations_index_is_the_databases(gql, tokens, household):
    admin = tokens.admin()
    head = await factories.register_person(gql, admin, birthDate=household["head_born"].isoformat())
    members = [{"idcs": head, "relationship": "HEAD"}]
    for born in household["others_born"]:
        idcs = await factories.register_person(gql, admin, birthDate=born.isoformat())
        members.append({"idcs": idcs, "relationship": "OTHER_RELATIVE",
                        "schooling": "NOT_APPLICABLE"})
    data = await gql.data(factories.REGISTER_HOUSEHOLD, {"input": {
        "declarantIdcs": head, "province": household["province"], "commune": "Test",
        "milieu": household["milieu"], "address": "1 rue du Test", "members": members,
        "declaration": household["declaration"]}}, admin)
    household_id = data["registerHousehold"]["id"]
    registered = await HouseholdIndex.get(household_id=household_id, cause="REGISTRATION")
    recomputed = await scoring.score_household(household_id, "PERSON_CORRECTED")
    assert recomputed.value == registered.value
    assert recomputed.contributions() == registered.contributions
    assert registered.components is None  # rows are written with contributions only
    assert recomputed.formula_version == registered.formula_version
