"""The rows of one chunk, as tuples in the column order of `COLUMNS`, ready for COPY.

Households, members and declarations are drawn by the demo seeder's generator
(api/seed.py: compositions, ages, names in both scripts, schooling, disability,
declarations correlated with a wealth draw), with the chunk's skeleton for milieu, size and
province and with identifiers derived from serials instead of drawn and checked against a set.
Each chunk has its own random stream, so a chunk's rows depend only on the seed and the plan.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from api.seed import CIN_PREFIXES, PHONE_SHARE, _Generator
from api.services import matching
from bench.population import identifiers as ids
from bench.population.plan import Chunk

ACTOR = "generator"
DECEASED_SHARE = 0.035  # of the persons in no household (1 % of the population register)
# The seeder's wealth draw, shifted down so that the shares under the program thresholds are
# those of the register (about 55 % of households under AMO Tadamon's, 80 % under ASD's).
WEALTH_FACTOR, WEALTH_SHIFT = 0.9, 0.2

COLUMNS = {
    "persons": (
        "id", "idcs", "cin", "residence_card_number", "birth_certificate_reference",
        "nationality", "first_name", "last_name", "first_name_ar", "last_name_ar", "sex",
        "birth_date", "death_date", "phone", "has_other_health_coverage", "version",
        "registered_at", "updated_at", "registered_by", "first_key", "last_key",
    ),
    "households": (
        "id", "reference", "commune", "milieu", "address", "status", "version", "registered_at",
        "updated_at", "registered_by", "declarant_id", "province_id", "region_id",
    ),
    "memberships": (
        "id", "relationship", "schooling", "has_disability", "start_date", "end_date",
        "exit_reason", "created_at", "household_id", "person_id",
    ),
    "declarations": (
        "id", "version", "head_education", "head_occupation", "housing_type", "occupancy",
        "rooms", "water_source", "electricity_monthly", "water_monthly", "phone_monthly",
        "butane_bottles_monthly", "assets", "agricultural_land_hectares", "livestock_units",
        "declared_at", "declared_by", "household_id",
    ),
}


@dataclass
class ChunkRows:
    persons: list[tuple] = field(default_factory=list)
    households: list[tuple] = field(default_factory=list)
    memberships: list[tuple] = field(default_factory=list)
    declarations: list[tuple] = field(default_factory=list)


class ChunkGenerator(_Generator):
    """The seeder's generator, fed by a chunk: preset milieu/size/province, serial identifiers."""

    def __init__(self, seed: int, chunk: Chunk, today: date) -> None:
        rng = random.Random(f"{seed}/{chunk.kind}/{chunk.region}/{chunk.number}")
        super().__init__(rng, today, {"idcs": set(), "cin": set(), "card": set(),
                                      "reference": set()})
        self.seed, self.chunk = seed, chunk
        # Registration times are capped at the end of yesterday (UTC), not at the load's clock:
        # the same seed on the same day gives the same rows.
        self.latest = datetime.combine(today - timedelta(days=1), time(23, 0), UTC)
        self.prefixes = CIN_PREFIXES.get(chunk.region) or ("A",)
        self.next_person = chunk.person_base
        self.next_local = chunk.region_person_base
        self.household_serial = chunk.household_base
        self._serial = self._local = 0
        self._preset: tuple[str, int, str] = ("URBAN", 1, "")
        self.provinces = {p.code: p for p in self.territory.provinces}

    # identifiers from serials
    def idcs(self) -> str:
        self._serial, self._local = self.next_person, self.next_local
        self.next_person += 1
        self.next_local += 1
        return ids.idcs(self._serial)

    def cin(self, region: str) -> str:
        return ids.cin(self.prefixes, self._local)

    def residence_card(self) -> str:
        return ids.residence_card(self._serial)

    def reference(self, region: str) -> str:
        return ids.reference(region, self.household_serial)

    # the skeleton drawn by the plan
    def milieu(self, region: str) -> str:
        return self._preset[0]

    def size(self, milieu: str) -> int:
        return self._preset[1]

    def province(self, region: str, milieu: str):
        return self.provinces[self._preset[2]]

    def declaration(self, milieu: str, size: int, head_age: int, wealth: float) -> dict:
        return super().declaration(milieu, size, head_age,
                                   max(0.0, wealth * WEALTH_FACTOR - WEALTH_SHIFT))

    def stamp(self, day: date, serial: int) -> datetime:
        moment = datetime.combine(day, time(8 + serial % 9, serial % 60, serial % 59), UTC)
        return min(moment, self.latest)

    def lone_person(self, *, deceased: bool):
        """A person in no household of the chunk's region (the seeder's draw, region fixed)."""
        rng, region = self.rng, self.chunk.region
        provinces = self.territory.provinces_of(region)
        province = rng.choices(provinces, [p.population for p in provinces])[0]
        sex = rng.choice(("MALE", "FEMALE"))
        nationality = self.nationality()
        if not deceased:
            age = rng.randint(18, 80) if rng.random() < 0.8 else rng.randint(0, 17)
            person = self.person(age=age, sex=sex, region=region, province=province.code,
                                 nationality=nationality, phone_share=PHONE_SHARE)
            person.has_other_health_coverage = rng.random() < 0.25
            return person
        died = self.today - timedelta(days=rng.randint(30, 10 * 365))
        age_at_death = rng.randint(45, 95)
        person = self.person(age=age_at_death, sex=sex, region=region, province=province.code,
                             nationality=nationality, phone_share=0.0)
        person.birth_date = self.birth_for_age(age_at_death, on=died)
        person.death_date = died
        return person


def _person_row(person_id: int, p, at: datetime) -> tuple:
    return (
        person_id, p.idcs, p.cin, p.residence_card_number, p.birth_certificate_reference,
        p.nationality, p.first_name, p.last_name, p.first_name_ar, p.last_name_ar, p.sex,
        p.birth_date, p.death_date, p.phone, p.has_other_health_coverage, 1, at, at, ACTOR,
        *matching.name_keys(p.first_name, p.last_name),
    )


def generate(seed: int, chunk: Chunk, today: date) -> ChunkRows:
    g = ChunkGenerator(seed, chunk, today)
    rows = ChunkRows()
    if chunk.kind == "persons":
        deceased = round(chunk.count * DECEASED_SHARE)
        for i in range(chunk.count):
            person_id = g.next_person + 1
            p = g.lone_person(deceased=i < deceased)
            registered = today - timedelta(days=g.rng.randint(0, 4 * 365))
            if p.death_date is not None:
                registered = min(registered, p.death_date)
            rows.persons.append(_person_row(person_id, p, g.stamp(registered, person_id)))
        return rows
    for preset in chunk.skeleton:
        g._preset = preset
        first_person_id = g.next_person + 1
        h = g.household(chunk.region)
        hid = ids.household_id(seed, g.household_serial)
        registered = g.stamp(h.members[0].start_date, g.household_serial)
        for i, m in enumerate(h.members):
            person_id = first_person_id + i
            at = registered if m.start_date == h.members[0].start_date else g.stamp(
                m.start_date, person_id)
            rows.persons.append(_person_row(person_id, m.person, at))
            rows.memberships.append((
                person_id, m.relationship, m.schooling, m.has_disability, m.start_date, None,
                None, at, hid, person_id,
            ))
        rows.households.append((
            hid, h.reference, h.commune, h.milieu, h.address, "ACTIVE", 1, registered,
            registered, ACTOR, first_person_id, h.province, h.region,
        ))
        d = h.declaration
        rows.declarations.append((
            g.household_serial + 1, 1, d["head_education"], d["head_occupation"],
            d["housing_type"], d["occupancy"], d["rooms"], d["water_source"],
            d["electricity_monthly"], d["water_monthly"], d["phone_monthly"],
            d["butane_bottles_monthly"], json.dumps(d["assets"]),
            d["agricultural_land_hectares"], d["livestock_units"], registered, ACTOR, hid,
        ))
        g.household_serial += 1
    return rows
