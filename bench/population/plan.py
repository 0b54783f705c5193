"""How many households and persons, where, and in which chunks.

At scale 1 the load matches the registers of 2023-09-27 (domain.md): 2.8 M households with
9.7 M members in the social register, 13.6 M persons in the population register (the others in no
household). Households are spread over regions in proportion to their 2024 population, about 56 %
rural (the register over-represents the rural milieu), and sized so that urban and rural
households keep the census ratio 3.7 : 4.4 with 9.7 / 2.8 persons on average.

Work is cut into chunks of one region each; a chunk's persons get consecutive serials, so every
identifier can be derived from a serial in any worker process (bench/population/identifiers.py).
Drawing a chunk's skeleton (milieu, size and province of each household) is cheap and done here,
so the serial bases are known before the chunk is generated; the same seed gives the same plan.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from api.services.reference import territory

HOUSEHOLDS = 2_800_000
MEMBERS = 9_700_000
PERSONS = 13_600_000
RURAL_UPLIFT = 1.5  # 56 % rural in the register against 37 % of the census
URBAN_TO_RURAL_SIZE = 4.4 / 3.7
MAX_HOUSEHOLD_SIZE = 12
HOUSEHOLD_CHUNK = 2_000
PERSON_CHUNK = 10_000

_mean = MEMBERS / HOUSEHOLDS
_urban_mean = _mean / (0.44 + 0.56 * URBAN_TO_RURAL_SIZE)
# Household size = 1 + a Poisson draw of this mean, capped.
MEAN_EXTRA_MEMBERS = {"URBAN": _urban_mean - 1, "RURAL": _urban_mean * URBAN_TO_RURAL_SIZE - 1}


@dataclass
class Chunk:
    kind: str  # "households" or "persons" (persons in no household)
    region: str
    number: int  # the chunk's rank among its region's chunks of its kind
    person_base: int  # serial of the chunk's first person (0-based)
    region_person_base: int  # its rank among the region's persons (CIN numbering)
    household_base: int = 0  # serial of the chunk's first household
    count: int = 0  # persons (kind "persons") or households
    skeleton: list[tuple[str, int, str]] = field(default_factory=list)  # milieu, size, province

    @property
    def persons(self) -> int:
        return sum(s for _m, s, _p in self.skeleton) if self.kind == "households" else self.count


def proportional(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder)."""
    whole = sum(weights)
    quotas = [total * w / whole for w in weights]
    shares = [math.floor(q) for q in quotas]
    for i in sorted(range(len(quotas)), key=lambda i: shares[i] - quotas[i])[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def skeleton(seed: int, region: str, number: int, count: int) -> list[tuple[str, int, str]]:
    t = territory()
    rng = random.Random(f"{seed}/skeleton/{region}/{number}")
    rural_share = min(0.95, (1 - t.region(region).urban_share) * RURAL_UPLIFT)
    provinces = t.provinces_of(region)
    weights = {
        "URBAN": [p.population for p in provinces],
        "RURAL": [p.population * (0.1 if p.kind == "PREFECTURE" else 1.0) for p in provinces],
    }
    out = []
    for _ in range(count):
        milieu = "RURAL" if rng.random() < rural_share else "URBAN"
        size = min(1 + _poisson(rng, MEAN_EXTRA_MEMBERS[milieu]), MAX_HOUSEHOLD_SIZE)
        province = rng.choices(provinces, weights[milieu])[0].code
        out.append((milieu, size, province))
    return out


@dataclass
class Totals:
    households: int = 0
    members: int = 0
    persons: int = 0


class Plan:
    def __init__(self, scale: float, seed: int) -> None:
        if scale <= 0:
            raise ValueError("scale must be positive")
        self.scale = scale
        self.seed = seed
        self.households = max(1, round(HOUSEHOLDS * scale))
        self.persons = max(self.households, round(PERSONS * scale))
        regions = territory().regions
        self.regions = [r.code for r in regions]
        self.population = [r.population for r in regions]
        self.households_by_region = proportional(self.households, self.population)
        self.totals = Totals()
        # (first household serial, region) of each household chunk, to find a household's region
        self.household_chunks: list[tuple[int, str]] = []

    def chunks(self) -> Iterator[Chunk]:
        """Household chunks region by region, then chunks of persons in no household; serial
        bases follow in that order. `totals` is complete once the iterator is exhausted."""
        region_persons = dict.fromkeys(self.regions, 0)
        person, household = 0, 0
        for region, count in zip(self.regions, self.households_by_region, strict=True):
            for number, start in enumerate(range(0, count, HOUSEHOLD_CHUNK)):
                size = min(HOUSEHOLD_CHUNK, count - start)
                chunk = Chunk("households", region, number, person, region_persons[region],
                              household, size, skeleton(self.seed, region, number, size))
                self.household_chunks.append((household, region))
                persons = chunk.persons
                person += persons
                household += size
                region_persons[region] += persons
                yield chunk
        self.totals.households, self.totals.members = household, person
        lone = max(0, self.persons - person)
        for region, count in zip(self.regions, proportional(lone, self.population), strict=True):
            for number, start in enumerate(range(0, count, PERSON_CHUNK)):
                size = min(PERSON_CHUNK, count - start)
                yield Chunk("persons", region, number, person, region_persons[region], count=size)
                person += size
                region_persons[region] += size
        self.totals.persons = person
