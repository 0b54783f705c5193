"""bench/generate at a small scale: what it loads is a register the API reads back without error,
with the register's invariants and roughly the shares of domain.md, and the same seed gives the
same rows whatever the number of worker processes."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import asyncpg
import pytest
from tortoise import Tortoise

from api.identifiers import CIN_PATTERN, RESIDENCE_CARD_PATTERN, is_valid_idcs
from api.scoring.formula import compute_index, load_formula
from api.services import clock, scoring
from tests.db import TestDatabase

ROOT = Path(__file__).resolve().parents[2]
SCALE = 0.0005  # 1 400 households, 6 800 persons

HOUSEHOLD = """
query($id: ID!) { household(id: $id) {
  id reference region province commune milieu address status version registeredAt size
  head { idcs firstName lastName firstNameAr lastNameAr sex birthDate age cin }
  members { relationship schooling hasDisability since
            person { idcs cin residenceCardNumber nationality sex birthDate age phone
                     hasOtherHealthCoverage registeredAt } }
  declaration { version headEducation headOccupation housingType occupancy rooms waterSource
                electricityMonthly waterMonthly phoneMonthly butaneBottlesMonthly assets
                agriculturalLandHectares livestockUnits declaredAt }
  index { value formulaVersion cause components { name contribution } }
  indexHistory { value formulaVersion cause }
} }
"""
PERSON = """query($idcs: String!) { person(idcs: $idcs) {
  idcs cin residenceCardNumber nationality firstName lastName sex birthDate age deathDate
  household { id size } } }"""
ELIGIBILITY = """query($program: ProgramCode!, $idcs: String!) {
  eligibility(program: $program, idcs: $idcs) { eligible reasons } }"""


def _generate(url: str, sample_dir: Path, *extra: str) -> str:
    async def run() -> str:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "bench" / "generate"), "--database-url", url,
            "--scale", str(SCALE), "--seed", "7", "--sample-dir", str(sample_dir), "--quiet",
            *extra, env={**os.environ, "DATABASE_URL": url},
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), timeout=300)
        assert proc.returncode == 0, err.decode()[-3000:]
        return out.decode()

    return run()


DIGEST = {
    "persons": "SELECT md5(string_agg(p::text, '|' ORDER BY id)) FROM persons p",
    "households": """SELECT md5(string_agg(concat_ws(',', id, reference, commune, milieu, address,
        region_id, province_id, declarant_id, registered_at, index_value), '|' ORDER BY id))
        FROM households""",
    "memberships": "SELECT md5(string_agg(m::text, '|' ORDER BY id)) FROM memberships m",
    "declarations": "SELECT md5(string_agg(d::text, '|' ORDER BY id)) FROM declarations d",
}


async def _digest(url: str) -> dict[str, str]:
    conn = await asyncpg.connect(url)
    try:
        return {table: await conn.fetchval(sql) for table, sql in DIGEST.items()}
    finally:
        await conn.close()


@pytest.fixture
async def generated(app, database, tmp_path):
    if database.engine != "postgres":
        pytest.skip("the generator loads PostgreSQL")
    out = await _generate(database.url, tmp_path)
    sample = json.loads((tmp_path / f"sample-{SCALE:g}.json").read_text(encoding="utf-8"))
    return out, sample


async def test_generated_register_reads_back_and_keeps_its_invariants(generated, gql, tokens):
    out, sample = generated
    assert "loaded 6800 persons, 1400 households" in out
    conn = Tortoise.get_connection("default")

    async def one(sql: str):
        return (await conn.execute_query_dict(sql))[0]

    counts = await one("""SELECT (SELECT count(*) FROM persons) AS persons,
        (SELECT count(*) FROM households) AS households,
        (SELECT count(*) FROM memberships WHERE end_date IS NULL) AS members,
        (SELECT count(DISTINCT person_id) FROM memberships WHERE end_date IS NULL) AS distinct_members,
        (SELECT count(*) FROM declarations) AS declarations,
        (SELECT count(*) FROM household_indices WHERE cause = 'REGISTRATION') AS indices,
        (SELECT count(*) FROM households WHERE index_value IS NOT NULL
            AND index_formula_version = 'v1' AND index_computed_at IS NOT NULL) AS scored""")
    assert counts["persons"] == 6800 and counts["households"] == 1400
    assert counts["members"] == counts["distinct_members"]  # one open membership per person
    assert 1400 * 3.2 < counts["members"] < 1400 * 3.75  # 9.7 M / 2.8 M = 3.46 on average
    assert counts["declarations"] == counts["indices"] == counts["scored"] == 1400

    heads = await one("""SELECT count(*) AS bad FROM (SELECT h.id,
        count(*) FILTER (WHERE m.relationship = 'HEAD') AS heads,
        bool_or(m.person_id = h.declarant_id) AS declarant_member
        FROM households h JOIN memberships m ON m.household_id = h.id AND m.end_date IS NULL
        GROUP BY h.id) x WHERE heads <> 1 OR NOT declarant_member""")
    assert heads["bad"] == 0

    shares = await one("""SELECT avg((milieu = 'RURAL')::int) AS rural,
        avg((index_value <= 9.3264284)::int) AS amo, avg((index_value <= 9.743001)::int) AS asd,
        avg((region_id = '06')::int) AS casablanca FROM households""")
    assert 0.50 < shares["rural"] < 0.62  # 56 %
    assert 0.45 < shares["amo"] < 0.65 and 0.70 < shares["asd"] < 0.88
    assert 0.18 < shares["casablanca"] < 0.24  # 20.9 % of the population

    people = await conn.execute_query_dict(
        "SELECT idcs, cin, residence_card_number, nationality, birth_date FROM persons")
    assert all(is_valid_idcs(p["idcs"]) for p in people)
    adults = [p for p in people if (clock.today() - p["birth_date"]).days > 18 * 366]
    assert all(CIN_PATTERN.fullmatch(p["cin"]) for p in adults if p["nationality"] == "MA")
    assert all(RESIDENCE_CARD_PATTERN.fullmatch(p["residence_card_number"])
               for p in adults if p["nationality"] != "MA")

    # the generated index is the registry's: recomputing it in Python gives the same value
    rows = await conn.execute_query_dict(
        "SELECT id, milieu, region_id, index_value FROM households ORDER BY id LIMIT 200")
    facts = await scoring._facts_for(
        [scoring._Row(str(r["id"]), r["milieu"], r["region_id"]) for r in rows])
    for r in rows:
        expected = compute_index(facts[str(r["id"])][0], clock.today(), load_formula())
        assert abs(r["index_value"] - expected.value) <= 1e-7

    # read back through GraphQL: households by an admin and by a registrar of their province
    admin = tokens.admin()
    assert len(sample["households"]) == 1400 and len(sample["idcs_unknown"]) == 1000
    for h in sample["households"][:60]:
        got = (await gql.data(HOUSEHOLD, {"id": h["id"]}, admin))["household"]
        assert got["region"] == h["region"] and got["province"] == h["province"]
        assert got["size"] == len(got["members"]) >= 1
        assert got["index"]["cause"] == "REGISTRATION"
        scoped = await gql.data(HOUSEHOLD, {"id": h["id"]}, tokens.registrar(h["province"]))
        assert scoped["household"]["id"] == h["id"]
    for idcs in sample["idcs_in_household"][:60]:
        person = (await gql.data(PERSON, {"idcs": idcs}, admin))["person"]
        assert person["household"] is not None and person["deathDate"] is None
    for idcs in sample["idcs_no_household"][:30]:
        person = (await gql.data(PERSON, {"idcs": idcs}, admin))["person"]
        assert person["household"] is None and person["deathDate"] is None
    agency = tokens.program("ASD")
    for idcs in sample["idcs_no_household"][:10]:
        answer = (await gql.data(ELIGIBILITY, {"program": "ASD", "idcs": idcs}, agency))
        assert answer["eligibility"]["reasons"] == ["NO_HOUSEHOLD"]
    for idcs in sample["idcs_unknown"][:10]:
        assert is_valid_idcs(idcs)
        answer = (await gql.data(ELIGIBILITY, {"program": "ASD", "idcs": idcs}, agency))
        assert answer["eligibility"]["reasons"] == ["NOT_REGISTERED"]


async def test_same_seed_same_rows_whatever_the_workers(generated, database, tmp_path):
    other = TestDatabase(database.server)
    await other.create()
    try:
        await _generate(other.url, tmp_path / "other", "--workers", "1")
        assert await _digest(other.url) == await _digest(database.url)
    finally:
        await other.drop()


async def test_refuses_a_database_that_holds_data(generated, database, tmp_path):
    with pytest.raises(AssertionError, match="empty, migrated database"):
        await _generate(database.url, tmp_path)
