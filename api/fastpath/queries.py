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

# One open member: the membership, then its person (positions: render.M_* and render.P_*).
MEMBERS = """
    SELECT array_agg(ROW(m.id, m.relationship, m.schooling, m.has_disability, m.start_date,
                         mp.idcs, mp.cin, mp.residence_card_number, mp.nationality,
                         mp.first_name, mp.last_name, mp.first_name_ar, mp.last_name_ar, mp.sex,
                         mp.birth_date, mp.death_date, mp.phone, mp.has_other_health_coverage,
                         mp.version, mp.registered_at) ORDER BY m.id)
    FROM memberships m JOIN persons mp ON mp.id = m.person_id
    WHERE m.household_id = h.id AND m.end_date IS NULL
"""
# Only what a program's rule reads of each member, when the answer shows no member: fewer
# values to decode (positions: DECISION_SHORT).
MEMBERS_SHORT = """
    SELECT array_agg(ROW(m.relationship, mp.birth_date, m.schooling, m.has_disability, mp.sex)
                     ORDER BY m.id)
    FROM memberships m JOIN persons mp ON mp.id = m.person_id
    WHERE m.household_id = h.id AND m.end_date IS NULL
"""
# Positions of (relationship, birth date, schooling, disability, sex) in a member record.
DECISION_FULL = (1, 14, 2, 3, 13)
DECISION_SHORT = (0, 1, 2, 3, 4)

HOUSEHOLD_COLUMNS = """
    h.id AS household_id, h.reference, h.region_id, h.province_id, h.commune, h.milieu,
    h.address, h.status, h.version AS household_version, h.registered_at AS household_registered_at,
    h.updated_at AS household_updated_at, h.index_value, h.index_formula_version
"""
HOUSEHOLD_NAMES = ("household_id", "reference", "region_id", "province_id", "commune", "milieu",
                   "address", "status", "household_version", "household_registered_at",
                   "household_updated_at", "index_value", "index_formula_version")

# One row per registered person asked about, as a record (names: ELIGIBILITY_NAMES).
def _eligibility_rows(members: str) -> str:
    return f"""
ARRAY(SELECT ROW(p.idcs, p.death_date, p.has_other_health_coverage, p.birth_date, p.sex,
                 p.nationality,
                 h.id, h.reference, h.region_id, h.province_id, h.commune, h.milieu, h.address,
                 h.status, h.version, h.registered_at, h.updated_at, h.index_value,
                 h.index_formula_version,
                 CASE WHEN h.id IS NULL THEN NULL ELSE ({members}) END)
      FROM persons p
      LEFT JOIN memberships pm ON pm.person_id = p.id AND pm.end_date IS NULL
      LEFT JOIN households h ON h.id = pm.household_id
      WHERE p.idcs = ANY($1::varchar[]))
"""


ELIGIBILITY_NAMES = ("idcs", "death_date", "has_other_health_coverage", "birth_date", "sex",
                     "nationality", *HOUSEHOLD_NAMES, "members")

# (full members?, capped?) -> statement. Capped: the same read, counting the ids against the
# program's daily cap in the same statement (see sijill_record_lookups in
# migrations/models/5_*_lookup_counts.py: over the cap it raises and the statement records
# nothing). A one-row SELECT evaluates the function exactly once.
ELIGIBILITY_SQL = {
    (full, capped): ("SELECT sijill_record_lookups($2, $3, $1, $4) AS recorded, " if capped
                     else "SELECT ") + _eligibility_rows(MEMBERS if full else MEMBERS_SHORT)
                    + " AS rows"
    for full in (False, True) for capped in (False, True)
}

HOUSEHOLD_SQL = f"""
SELECT {HOUSEHOLD_COLUMNS}, ({MEMBERS}) AS members
FROM households h
WHERE h.id = $1::uuid
"""


async def persons_with_households(conn: asyncpg.Connection, idcs: list[str],
                                  cap: tuple[str, date, int] | None = None, *,
                                  full_members: bool = True) -> dict[str, dict]:
    """The asked persons who are registered, by IDCS, each with its current household (if any)
    and its members: every field (render.M_*, render.P_*) with `full_members`, else only what
    the rules read (DECISION_SHORT). With `cap` = (program, day, limit), the ids are also
    counted against the daily cap (an asyncpg error with SQLSTATE lookups.OVER_CAP when over
    it)."""
    sql = ELIGIBILITY_SQL[full_members, cap is not None]
    args = (idcs,) if cap is None else (idcs, *cap)
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%s: %s", sql.strip(), args)
    row = await conn.fetchrow(sql, *args)
    return {r[0]: dict(zip(ELIGIBILITY_NAMES, r, strict=True)) for r in row["rows"]}


async def household(conn: asyncpg.Connection, household_id: str) -> asyncpg.Record | None:
    if log.isEnabledFor(logging.DEBUG):
        log.debug("%s: %s", HOUSEHOLD_SQL.strip(), household_id)
    return await conn.fetchrow(HOUSEHOLD_SQL, household_id)
