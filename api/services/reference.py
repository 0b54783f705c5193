"""Reference data: regions and prefectures/provinces, held in memory from the packaged file.

The same file generated the rows of the `regions` and `provinces` tables (migration 1), which
the households table references; a test keeps the two in step.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "territory.json"


@dataclass(frozen=True)
class RegionRecord:
    code: str
    name: str
    name_ar: str
    population: int
    urban_share: float


@dataclass(frozen=True)
class ProvinceRecord:
    code: str
    name: str
    kind: str
    region: str
    population: int


@dataclass(frozen=True)
class Territory:
    regions: tuple[RegionRecord, ...]
    provinces: tuple[ProvinceRecord, ...]

    def province(self, code: str) -> ProvinceRecord | None:
        return self._provinces_by_code().get(code)

    def region(self, code: str) -> RegionRecord | None:
        return next((r for r in self.regions if r.code == code), None)

    def provinces_of(self, region: str | None) -> list[ProvinceRecord]:
        return [p for p in self.provinces if region is None or p.region == region]

    @lru_cache(maxsize=1)  # noqa: B019 - the territory is a process-wide singleton
    def _provinces_by_code(self) -> dict[str, ProvinceRecord]:
        return {p.code: p for p in self.provinces}


@lru_cache(maxsize=1)
def territory() -> Territory:
    raw = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return Territory(
        regions=tuple(
            RegionRecord(r["code"], r["name"], r["nameAr"], r["population2024"], r["urbanShare"])
            for r in raw["regions"]
        ),
        provinces=tuple(
            ProvinceRecord(p["code"], p["name"], p["kind"], p["region"], p["population2024"])
            for p in raw["provinces"]
        ),
    )
