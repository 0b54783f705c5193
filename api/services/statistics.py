"""Aggregates of the register for auditors: counts of households and persons by region,
province, milieu or index band. Counts below 10 are suppressed (returned as None) so that no
small group can be singled out."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise import Tortoise

from api.services.reference import territory

SUPPRESS_BELOW = 10
BAND_WIDTH = 0.25
GROUPINGS = {
    "REGION": 'h."region_id"',
    "PROVINCE": 'h."province_id"',
    "MILIEU": 'h."milieu"',
    "INDEX_BAND": f'CAST(h."index_value" * {int(1 / BAND_WIDTH)} AS INTEGER)',
}


@dataclass(frozen=True)
class Statistic:
    key: str
    label: str
    households: int | None
    persons: int | None


def _suppressed(count: int) -> int | None:
    return count if count >= SUPPRESS_BELOW else None


def _label(grouping: str, key) -> tuple[str, str]:
    if grouping == "REGION":
        region = territory().region(key)
        return key, region.name if region else key
    if grouping == "PROVINCE":
        province = territory().province(key)
        return key, province.name if province else key
    if grouping == "INDEX_BAND":
        if key is None:
            return "NOT_SCORED", "not scored"
        low = int(key) * BAND_WIDTH
        return f"{low:.2f}", f"[{low:.2f}, {low + BAND_WIDTH:.2f})"
    return key, key.title()


async def registry_statistics(grouping: str) -> list[Statistic]:
    """Households that are not closed, and their current living members, per group."""
    expression = GROUPINGS[grouping]  # a fixed SQL expression, never caller text
    sql = (
        f"SELECT {expression} AS k, COUNT(DISTINCT h.\"id\") AS households, "
        'COUNT(m."id") AS persons FROM "households" h '
        'LEFT JOIN "memberships" m ON m."household_id" = h."id" AND m."end_date" IS NULL '
        "WHERE h.\"status\" <> 'CLOSED' GROUP BY k ORDER BY k"
    )
    _, rows = await Tortoise.get_connection("default").execute_query(sql)
    out = []
    for row in rows:
        key, label = _label(grouping, row["k"])
        out.append(Statistic(key=key, label=label, households=_suppressed(row["households"]),
                             persons=_suppressed(row["persons"])))
    return out
