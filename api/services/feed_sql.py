"""The answers of a batch of households, decided, compared and published in SQL (PostgreSQL):
what a rescore and the daily run do for tens of thousands of households at once.

Each program's version in force is compiled by api/programs/sql.py into one statement that,
for every current member of the batch's households, computes the answer as the rule engine
(api/programs/rules.py) gives it — eligible, reasons in the engine's order, monthly amount and
amount lines — compares it with the published answer, and in the same statement stages one
change for each answer that differs (feed.number_staged numbers them into the feed before the
commit) and brings the published answers up to date: nothing of the answers travels to Python. The caller (api/services/feed.py) decides in Python instead
when a version does not compile, when a statement fails where CEL would answer per person (an
overflow), and when an answer has no reason but a failed expression (the rule engine refuses
it: RuleError). `tests/api/test_feed_sql.py` compares both over generated registers and
versions.
"""

from __future__ import annotations

import json
import uuid
from datetime import date

from tortoise import Tortoise
from tortoise.exceptions import OperationalError
from tortoise.transactions import in_transaction

from api.programs import sql as compile_sql
from api.programs.catalogue import Program, Version, catalogue
from api.programs.rules import DECEASED, HOUSEHOLD_NOT_ACTIVE
from api.services import clock

# The current members of the households of $1, with what the rules read.
_ROWS = """SELECT m.household_id AS hid, m.id AS mid, p.id AS pid, p.birth_date, p.idcs,
        h.status, h.index_value, h.milieu, h.region_id AS region, h.province_id AS province,
        h.index_formula_version AS fv,
        {age} AS age, p.sex, p.nationality, p.death_date IS NOT NULL AS deceased,
        p.has_other_health_coverage AS cover,
        m.relationship AS rel, m.schooling AS school, m.has_disability AS disability
      FROM unnest($1::uuid[]) AS batch(id) JOIN households h ON h.id = batch.id
      JOIN memberships m ON m.household_id = h.id AND m.end_date IS NULL
      JOIN persons p ON p.id = m.person_id"""  # from the ids: index lookups, whatever the plan


def members(today: date) -> str:
    """A query of the current members of the households of $1, with what the rules read."""
    return _ROWS.format(age=compile_sql.birthday_age(today))


def decided(program: Program, version: Version, today: date, rows: str | None = None) -> str:
    """A query of the answers of the members of the households of $1 (`rows`: a relation of
    them as `members` gives, named b): `pid, idcs, hid, fv, eligible, reasons` (joined by
    commas), `amount`, `lines` (JSON) and `fails` (no reason, but an expression failed: the
    rule engine refuses the answer). Raises NotCompilable."""
    compiler = compile_sql.compiler_for(today)
    compiler.windowed = True  # every expression read beside each member
    parts = compile_sql.compile_parts(version, compiler)
    literal = compile_sql.literal
    reasons = [f"CASE WHEN deceased THEN {literal(DECEASED)} END",
               f"CASE WHEN status <> 'ACTIVE' OR index_value IS NULL THEN "
               f"{literal(HOUSEHOLD_NOT_ACTIVE)} END",
               *(f"CASE WHEN ({c.sql}) IS FALSE THEN {literal(c.name)} END"
                 for c in parts.criteria)]
    failed = " OR ".join(f"({t.sql}) IS NULL" for t in (*parts.failures, *parts.criteria))
    values = "".join(f", {line.sql} AS l{i}" for i, line in enumerate(parts.lines))
    rows = compile_sql.with_windows(compiler, rows or f"({members(today)}) b")
    answers = (f"SELECT pid, idcs, hid, fv, concat_ws(',', {', '.join(reasons)}) AS r, "
               f"{failed or 'FALSE'} AS failed{values} FROM {rows}")
    if parts.lines:  # the lines of 0 left out, as rules.py does
        count = range(len(parts.lines))
        amount = "CAST(" + " + ".join(f"l{i}" for i in count) + " AS INTEGER)"
        items = ", ".join(
            f"CASE WHEN l{i} <> 0 THEN '[' || {literal(json.dumps(line.name))} || ',' || "
            f"l{i} || ']' END" for i, line in zip(count, parts.lines, strict=True))
        lines = f"CAST('[' || concat_ws(',', {items}) || ']' AS JSONB)"
        line_failed = " OR ".join(f"l{i} IS NULL" for i in count)
    else:
        amount, lines, line_failed = "CAST(NULL AS INTEGER)", "CAST(NULL AS JSONB)", "FALSE"
    return f"""SELECT pid, idcs, CAST(hid AS TEXT) AS hid, fv, r = '' AS eligible,
        CASE WHEN r = '' THEN {literal(program.eligible_reason)} ELSE r END AS reasons,
        CASE WHEN r = '' THEN {amount} END AS amount,
        CASE WHEN r = '' THEN {lines} END AS lines,
        r = '' AND (failed OR {line_failed}) AS fails
      FROM ({answers}) a"""


# Where a batch's changes wait, in the transaction that decided them, for their sequence
# numbers (feed.number_staged): a temporary table of this connection, emptied at commit.
STAGED = "pg_temp.staged_changes"
STAGE = """CREATE TEMPORARY TABLE IF NOT EXISTS staged_changes (
    ord BIGSERIAL, program VARCHAR(32), person_id INTEGER, idcs VARCHAR(10),
    at TIMESTAMPTZ, kind VARCHAR(20), cause VARCHAR(20), eligible BOOLEAN,
    reasons VARCHAR(400), monthly_amount INTEGER, amount_lines JSONB,
    threshold DOUBLE PRECISION, formula_version VARCHAR(20), household_id VARCHAR(36)
) ON COMMIT DELETE ROWS"""


def publishing(entries: list[tuple[Program, Version, str]], today: date) -> str:
    """One statement (parameters: the households' ids, the time of the changes) for these
    (program, version in force, cause): the members read once, each program's answers as
    `decided` gives them, one change (of that cause) for each that differs from the published
    one, staged (`STAGED`, in the order of the feed, for `feed.number_staged` to number), the
    published answers brought up to date — unless an answer fails, when it writes nothing.
    Answers `fails` (how many) and `staged` (how many changes).

    Two causes are the daily run's for a program the feed did not follow yet (as
    feed._redo_in): NEW, each member's first answer a change from no answer, and BASELINE,
    the answers recorded as they are, with no change; both are recorded as PROGRAM_VERSION.
    Otherwise a member without a published answer gets one, with no change."""
    literal = compile_sql.literal
    ctes = [f"b AS MATERIALIZED ({members(today)})",
            # the members' published answers, by key (OFFSET 0: never a scan of them all),
            # once per member for every program
            "o AS MATERIALIZED (SELECT b.pid, pa.program, pa.eligible, pa.reasons, "
            "pa.monthly_amount FROM b CROSS JOIN LATERAL (SELECT program, eligible, reasons, "
            "monthly_amount FROM published_answers pa WHERE pa.person_id = b.pid OFFSET 0) pa)"]
    writes = []
    for k, (program, version, cause) in enumerate(entries):
        code = literal(program.code)
        changed = {"NEW": "TRUE", "BASELINE": "FALSE"}.get(cause, "known")
        recorded = "PROGRAM_VERSION" if cause in ("NEW", "BASELINE") else cause
        ctes.append(f"d{k} AS ({decided(program, version, today, 'b')})")
        writes.append(f"""c{k} AS (SELECT d.*, pa.pid IS NOT NULL AS known,
                 COALESCE(pa.eligible, FALSE) AS old_eligible, pa.monthly_amount AS old_amount
          FROM d{k} d LEFT JOIN o pa ON pa.pid = d.pid AND pa.program = {code}
          WHERE (SELECT n FROM f) = 0 AND (pa.pid IS NULL
             OR (pa.eligible, pa.reasons, pa.monthly_amount)
                IS DISTINCT FROM (d.eligible, d.reasons, d.amount)))""")
        writes.append(f"""i{k} AS (INSERT INTO {STAGED} (program, person_id, idcs, at,
                kind, cause, eligible, reasons, monthly_amount, amount_lines, threshold,
                formula_version, household_id)
            SELECT {code}, pid, idcs, $2,
                   CASE WHEN eligible AND NOT old_eligible THEN 'BECAME_ELIGIBLE'
                        WHEN old_eligible AND NOT eligible THEN 'NO_LONGER_ELIGIBLE'
                        WHEN old_amount IS DISTINCT FROM amount THEN 'AMOUNT_CHANGED'
                        ELSE 'REASONS_CHANGED' END,
                   {literal(recorded)}, eligible, reasons, amount, lines,
                   {literal(float(version.threshold))}, fv, hid
            FROM c{k} WHERE {changed} ORDER BY pid RETURNING ord)""")
        writes.append(f"""u{k} AS (INSERT INTO published_answers (program, person_id, eligible,
                reasons, monthly_amount)
           SELECT {code}, pid, eligible, reasons, amount FROM c{k}
           ON CONFLICT (person_id, program) DO UPDATE SET eligible = excluded.eligible,
               reasons = excluded.reasons, monthly_amount = excluded.monthly_amount)""")
    failing = " + ".join(f"(SELECT COUNT(*) FROM d{k} WHERE fails)"
                         for k in range(len(entries)))
    ctes += [f"f AS (SELECT {failing} AS n)", *writes]
    staged = " + ".join(f"(SELECT COUNT(*) FROM i{k})" for k in range(len(entries)))
    return ("WITH " + ",\n".join(ctes) +
            f"\nSELECT (SELECT n FROM f) AS fails, {staged} AS staged")


class _Refused(Exception):
    """An answer with no reason but a failed expression, or a statement that failed where
    CEL answers per person: nothing written, the caller decides in Python."""


async def publish(household_ids: list[str], causes: dict[str, str], today: date
                  ) -> int | None:
    """Publish the changes of the answers of these households' members for these programs
    (program → cause) in SQL: how many changes were staged (`STAGED`: numbered and moved into
    the feed by `feed.number_staged`, which the caller runs before its commit), or None —
    having written nothing — when Python must decide (SQLite, a version that does not
    compile, an answer that fails)."""
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect != "postgres" or not household_ids:
        return None
    try:
        entries = [(catalogue()[code], catalogue()[code].version_on(today), cause)
                   for code, cause in sorted(causes.items())]
        text = publishing(entries, today)
    except compile_sql.NotCompilable:
        return None
    ids = sorted({uuid.UUID(h) for h in household_ids})  # each once: one upsert a row
    now = clock.now()
    try:
        async with in_transaction() as savepoint:  # nothing left behind when refused
            # compiling these expressions costs more than running them on a batch
            await savepoint.execute_script("SET LOCAL jit = off")
            await savepoint.execute_script(STAGE)
            rows = await savepoint.execute_query_dict(text, [ids, now])
            if rows[0]["fails"]:
                raise _Refused
            return rows[0]["staged"]
    except _Refused:
        return None
    except OperationalError as exc:
        if not (getattr(exc.__cause__, "sqlstate", None) or "").startswith("22"):
            raise
        return None  # a data exception (an overflow, zero by zero): CEL answers per person
