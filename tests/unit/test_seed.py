"""The demo seed: counts, register invariants, idempotence and reproducibility.

Runs on the session's test database (PostgreSQL or SQLite), emptied before each use.
"""

from __future__ import annotations

from collections import Counter
from contextlib import asynccontextmanager

from tortoise import Tortoise

from api.identifiers import (
    CIN_PATTERN,
    RESIDENCE_CARD_PATTERN,
    is_valid_idcs,
)
from api.models import Declaration, Household, Membership, Person
from api.seed import SeedReport, seed
from api.services import clock
from api.services.reference import territory
from api.services.validation import ADULT_AGE, age_on
from tests.db import TABLES


@asynccontextmanager
async def fresh_database(_name):
    """The session database with every registry table emptied."""
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script(f"TRUNCATE {', '.join(TABLES)} CASCADE")
    else:
        await conn.execute_script("".join(f"DELETE FROM {t};" for t in TABLES))
    yield


async def test_seed_builds_a_consistent_register(app, tmp_path):
    async with fresh_database(tmp_path / "t.db"):
        report = await seed(households=120, seed=7)
        assert report.households == 120
        assert await Household.all().count() == 120
        assert await Declaration.filter(version=1).count() == 120
        assert report.persons == await Person.all().count()
        assert report.members == await Membership.filter(end_date=None).count()
        assert report.persons == report.members + report.persons_without_household
        assert report.persons_without_household > 0
        assert 3.0 <= report.members / report.households <= 5.0

        memberships = await Membership.all().values(
            "household_id", "person_id", "relationship", "end_date", "start_date"
        )
        heads = Counter(m["household_id"] for m in memberships
                        if m["relationship"] == "HEAD" and m["end_date"] is None)
        household_ids = set(await Household.all().values_list("id", flat=True))
        assert set(heads) == household_ids
        assert set(heads.values()) == {1}
        per_person = Counter(m["person_id"] for m in memberships if m["end_date"] is None)
        assert max(per_person.values()) == 1

        today = clock.today()
        persons = await Person.all().values(
            "id", "idcs", "cin", "residence_card_number", "nationality", "birth_date",
            "death_date",
        )
        by_id = {p["id"]: p for p in persons}
        in_household = set(per_person)
        assert len(in_household) == report.members
        deceased = [p for p in persons if p["death_date"] is not None]
        assert deceased
        assert all(p["id"] not in in_household for p in deceased)
        for p in persons:
            assert is_valid_idcs(p["idcs"]), p
            assert p["birth_date"] <= today
            if p["death_date"] is not None:
                assert p["birth_date"] <= p["death_date"] <= today
            on = p["death_date"] or today
            if age_on(p["birth_date"], on) >= ADULT_AGE:
                assert p["cin"] or p["residence_card_number"], p
            else:
                assert p["cin"] is None and p["residence_card_number"] is None, p
            if p["cin"]:
                assert CIN_PATTERN.match(p["cin"]) and p["nationality"] == "MA"
            if p["residence_card_number"]:
                assert RESIDENCE_CARD_PATTERN.match(p["residence_card_number"])
                assert p["nationality"] != "MA"
        for m in memberships:
            assert by_id[m["person_id"]]["birth_date"] <= m["start_date"] <= today

        for h in await Household.all():
            assert h.status == "ACTIVE" and h.registered_by == "seed"
            assert h.reference.startswith(f"RSU-{h.region_id}-")
            assert territory().province(h.province_id).region == h.region_id
            declarant = by_id[h.declarant_id]
            assert age_on(declarant["birth_date"], today) >= ADULT_AGE
        for d in await Declaration.all().prefetch_related("household"):
            rural = d.household.milieu == "RURAL"
            assert (d.agricultural_land_hectares is not None) == rural
            assert (d.livestock_units is not None) == rural
            assert 1 <= d.rooms <= 8 and 0 <= d.butane_bottles_monthly <= 6

        again = await seed(households=120, seed=7)
        assert again == SeedReport(already_seeded=True)
        assert "already holds the demo data" in str(again) and "seeded 120" in str(report)
        assert await Person.all().count() == report.persons
        first_idcs = sorted(p["idcs"] for p in persons)
        first_references = sorted(await Household.all().values_list("reference", flat=True))

    async with fresh_database(tmp_path / "t2.db"):
        again = await seed(households=120, seed=7)
        assert again == report
        assert sorted(await Person.all().values_list("idcs", flat=True)) == first_idcs
        assert sorted(await Household.all().values_list("reference", flat=True)) == (
            first_references
        )


async def test_seed_covers_every_region(app, tmp_path):
    async with fresh_database(tmp_path / "t.db"):
        report = await seed(households=300, seed=11, actor="seed-test")
        assert report.households == 300
        regions = Counter(await Household.all().values_list("region_id", flat=True))
        assert set(regions) == {r.code for r in territory().regions}
        milieux = Counter(await Household.all().values_list("milieu", flat=True))
        assert 0.40 <= milieux["RURAL"] / 300 <= 0.72
