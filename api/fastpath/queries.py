"""Hand-written SQL for the fast path: one round trip per top-level field, on PostgreSQL.

Each statement returns the household with its open members (oldest membership first, as the
general path's loader orders them) as an array of records, so that neither eligibility nor
rendering needs another query.
"""

from __future__ import annotations

import logging
from datetime import date

import asyncpg

log = logging.getLogger("sijill.fastpath.sql")

# One open member: the membership, then its person (positions are read by `Member`).
MEMBERS = """
    SELECT array_agg(ROW(m.id, m.relationship, m.schooling, m.has_disability, m.start_date,
                         mp.idcs, mp.cin, mp.residence_card_number, mp.nationality,
                         mp.first_name, mp.last_name, mp.first_name_ar, mp.last_name_ar, mp.sex,
                         mp.birth_date, mp.death_date, mp.phone, mp.has_other_health_coverage,
                         mp.version, mp.registered_at) ORDER BY m.id)
    FROM memberships m JOIN persons mp ON mp.id = m.person_id
    WHERE m.household_id = h.id AND m.end_date IS NULL
"""

HOUSEHOLD_COLUMNS = """
    h.id AS household_id, h.reference, h.region_id, h.province_id, h.commune, h.milieu,
    h.address, h.status, h.version AS household_version, h.registered_at AS household_registered_at,
    h.updated_at AS household_updated_at, h.index_value, h.index_formula_version
"""
HOUSEHOLD_NAMES = ("household_id", "reference", "region_id", "province_id", "commune", "milieu",
                   "address", "status", "household_version", "household_registered_at",
                   "household_updated_at", "index_value", "index_formula_version")

# One row per registered person asked about, as a record (names: ELIGIBILITY_NAMES).
_ELIGIBILITY_ROWS = f"""
ARRAY(SELECT ROW(p.idcs, p.death_date, p.has_other_health_coverage,
                 h.id, h.reference, h.region_id, h.province_id, h.commune, h.milieu, h.address,
                 h.status, h.version, h.registered_at, h.updated_at, h.index_value,
                 h.index_formula_version,
                 CASE WHEN h.id IS NULL THEN NULL ELSE ({MEMBERS}) END)
      FROM persons p
      LEFT JOIN memberships pm ON pm.person_id = p.id AND pm.end_date IS NULL
      LEFT JOIN households h ON h.id = pm.household_id
      WHERE p.idcs = ANY($1::varchar[]))
"""
ELIGIBILITY_NAMES = ("idcs", "death_date", "has_other_health_coverage", *HOUSEHOLD_NAMES,
                     "members")

ELIGIBILITY_SQL = f"SELECT {_ELIGIBILITY_ROWS} AS rows"

# The same read, counting the ids against the program's daily cap in the same statement (see
# sijill_record_lookups in migrations/models/5_*_lookup_counts.py: over the cap it raises and
# the statement records nothing). A one-row SELECT evaluates the function exactly once.
ELIGIBILITY_CAPPED_SQL = f"SELECT sijill_record_lookups($2, $3, $1, $4) AS recorded, {_ELIGIBILITY_ROWS} AS rows"

HOUSEHOLD_SQL = f"""
SELECT {HOUSEHOLD_COLUMNS}, ({MEMBERS}) AS members
FROM households h
WHERE h.id = $1::uuid
"""


async def persons_with_households(conn: asyncpg.Connection, idcs: list[str],
                                  cap: tuple[str, date, int] | None = None) -> dict[str, dict]:
    """The asked persons who are registered, by IDCS, each with its current household (if any).
    With `cap` = (program, day, limit), the ids are also counted against the daily cap (an
    asyncpg error with SQLSTATE lookups.OVER_CAP when over it)."""
    if cap is None:
        sql, args = ELIGIBILITY_SQL, (idcs,)
    else:
        sql, args = ELIGIBILITY_CAPPED_SQL, (idcs, *cap)
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%s: %s", sql.strip(), args)
    row = await conn.fetchrow(sql, *args)
    return {r[0]: dict(zip(ELIGIBILITY_NAMES, r, strict=True)) for r in row["rows"]}


async def household(conn: asyncpg.Connection, household_id: str) -> asyncpg.Record | None:
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%s: %s", HOUSEHOLD_SQL.strip(), household_id)
    return await conn.fetchrow(HOUSEHOLD_SQL, household_id)
