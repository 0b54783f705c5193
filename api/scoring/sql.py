"""The socio-economic index as one PostgreSQL statement, generated from a formula file.

`compute_index` (formula.py) is the definition; this module writes the same arithmetic in SQL so
that a whole batch of households is scored by the database in one statement: their facts (living
members, ages, the latest declaration) are read, every term computed, the index rows inserted and
the households' current index updated, without a round trip per household.

Same terms, same order, same coefficients (as float8 literals parsed from the same decimal text),
each contribution rounded to 7 decimals and the value rounded once from the unrounded sum. The
one difference: Python adds the terms with `math.fsum` and uses `log1p`, PostgreSQL adds them in
order and computes `ln(1 + x)`; the two agree to the last bit but for a last-digit rounding case
(|difference| <= 1e-7) that the differential test (tests/api/test_index_sql.py) has not seen.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

from api.scoring.formula import _snake, _term_names

MILIEUS = ("URBAN", "RURAL")


def _number(value: float) -> str:
    """A coefficient as a float8 literal: the same double Python parsed from the JSON."""
    return f"({float(value)!r}::float8)"


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _lookup(column: str, table: Mapping[str, float]) -> str:
    branches = " ".join(f"WHEN {_text(k)} THEN {_number(v)}" for k, v in table.items())
    return f"(CASE {column} {branches} END)"


def _by_milieu(column: str, table: Mapping[str, Mapping[str, float]]) -> str:
    branches = " ".join(f"WHEN {_text(m)} THEN {_lookup(column, table[m])}" for m in table)
    return f"(CASE f.milieu {branches} END)"


def _terms(formula: Mapping[str, Any]) -> list[tuple[str, str, str | None]]:
    """(component name, SQL expression of its contribution, SQL condition for it to be listed)
    in the order `compute_index` lists them. An unlisted term contributes nothing."""
    demo = formula["demography"]
    rooms = formula["roomsPerPerson"]
    terms: list[tuple[str, str, str | None]] = [
        ("intercept", _lookup("f.milieu", formula["intercept"]), None),
        ("region", _lookup("f.region_id", formula["region"]), None),
        ("householdSize",
         f"(-{_lookup('f.milieu', formula['sizeElasticity'])} * ln(f.n::float8))", None),
        ("childrenShare", f"({_number(demo['childrenShare'])} * (f.children::float8 / f.n))", None),
        ("elderlyShare", f"({_number(demo['elderlyShare'])} * (f.elderly::float8 / f.n))", None),
        ("headEducation", _by_milieu("f.head_education", formula["headEducation"]), None),
        ("headOccupation", _by_milieu("f.head_occupation", formula["headOccupation"]), None),
        ("housingType", _by_milieu("f.housing_type", formula["housingType"]), None),
        ("occupancy", _by_milieu("f.occupancy", formula["occupancy"]), None),
        ("roomsPerPerson",
         f"({_number(rooms['coefficient'])} * least({_number(rooms['cap'])}, "
         "f.rooms::float8 / f.n))", None),
        ("waterSource", _by_milieu("f.water_source", formula["waterSource"]), None),
    ]
    for key, coefficient in formula["logSpending"].items():
        terms.append((key, f"({_number(coefficient)} * ln(1 + f.{_snake(key)}::float8))", None))
    for asset, coefficient in formula["assets"].items():
        owned = f"(f.assets @> jsonb_build_array({_text(asset)}))"
        terms.append((f"asset:{asset}", _number(coefficient), owned))
    for key, coefficient in formula["ruralLog"].items():
        expression = f"({_number(coefficient)} * ln(1 + coalesce(f.{_snake(key)}, 0)::float8))"
        terms.append((key, expression, "(f.milieu = 'RURAL')"))
    return terms


def _rounded(expression: str) -> str:
    """Python's round(x, 7): the double nearest the multiple of 1e-7 nearest x. (Scaling by 1e7
    is inexact, which can matter only within ~1e-9 of a half-way point.)"""
    return f"(round(({expression}) * 1e7::float8) / 1e7::float8)"


@lru_cache(maxsize=16)
def _statement(formula_key: str, formula_json: str) -> str:
    formula = json.loads(formula_json)
    terms = _terms(formula)
    columns = ",\n           ".join(
        f"{expr if cond is None else f'(CASE WHEN {cond} THEN {expr} ELSE 0::float8 END)'} AS t{i}"
        for i, (_name, expr, cond) in enumerate(terms)
    )
    total = " + ".join(f"t{i}" for i in range(len(terms)))
    # The contributions as the history stores them (formula.IndexResult.contributions): one
    # per term, in the formula's term order, NULL for a term the household does not have.
    if tuple(name for name, _e, _c in terms) != _term_names(formula_json):
        raise AssertionError("the SQL terms are not the formula's terms")
    items = []
    for i, (_name, _e, cond) in enumerate(terms):
        item = f"({_rounded(f't{i}')} + 0)"
        items.append(item if cond is None else
                     f"CASE WHEN {cond.replace('f.', 'p.')} THEN {item} END")
    contributions = "ARRAY[" + ", ".join(items) + "]::float8[]"
    return f"""
WITH ids AS (
    SELECT unnest($1::uuid[]) AS id  -- a custom plan knows how many
), f AS (
    -- every fact by index lookups from the batch's ids: the cost follows the batch, whatever
    -- the planner thinks of id ranges
    SELECT h.id, h.milieu, h.region_id, h.index_value AS old_value, h.status,
           l.n, l.children, l.elderly, d.version AS declared_version,
           d.head_education, d.head_occupation, d.housing_type, d.occupancy, d.rooms,
           d.water_source, d.electricity_monthly, d.water_monthly, d.phone_monthly,
           d.butane_bottles_monthly, d.assets, d.agricultural_land_hectares, d.livestock_units
      FROM ids JOIN households h ON h.id = ids.id
     CROSS JOIN LATERAL (
           SELECT count(*)::int AS n,
                  count(*) FILTER (WHERE p.birth_date > $2::date)::int AS children,
                  count(*) FILTER (WHERE p.birth_date <= $3::date)::int AS elderly
             FROM memberships m JOIN persons p ON p.id = m.person_id
            WHERE m.household_id = h.id AND m.end_date IS NULL) l
      JOIN LATERAL (
           SELECT * FROM declarations d WHERE d.household_id = h.id
            ORDER BY d.version DESC LIMIT 1) d ON true
     WHERE l.n > 0
), p AS MATERIALIZED (
    SELECT f.id, f.milieu, f.assets, f.n, f.declared_version, f.old_value, f.status,
           {columns}
      FROM f
), scored AS (
    SELECT p.id, p.n, p.declared_version, p.old_value, p.status, {_rounded(total)} AS value,
           {contributions} AS contributions
      FROM p
), inserted AS (
    INSERT INTO household_indices
        (household_id, value, formula_version, contributions, declaration_version,
         members_count, cause, computed_at)
    SELECT id, value, $4, contributions, declared_version, n, $5, $6 FROM scored
)
UPDATE households h
   SET index_value = s.value, index_formula_version = $4, index_computed_at = $6
  FROM scored s WHERE h.id = s.id
RETURNING h.id, s.old_value, s.value, s.status
"""  # formula_key only keys the cache


def score_statement(formula: Mapping[str, Any]) -> str:
    """The statement scoring the households whose ids are $1 (uuid[]), with $2 the latest birth
    date of a person over the children's age, $3 the latest birth date of an elderly person,
    $4 the formula version, $5 the cause, $6 the computation time. It answers a row for each
    household scored (those with a living member and a declaration): its id, index before
    and after, and status — what the change feed needs to know whose answers may move,
    without reading the households again. Run it with
    `plan_cache_mode = force_custom_plan` (so the plan is made for the batch's size) and without
    JIT (compiling its expressions costs more than it saves on a batch)."""
    return _statement(formula["version"], json.dumps(formula))  # key order is term order


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


def age_cutoffs(formula: Mapping[str, Any], on: date) -> tuple[date, date]:
    """(latest birth date of someone older than a child, latest birth date of an elderly
    person) on `on`: age_on(b, on) >= k  <=>  b <= `on` moved back k years (28 February for a
    29 February in a common year)."""
    demo = formula["demography"]
    return (_years_before(on, demo["childMaxAge"] + 1), _years_before(on, demo["elderlyMinAge"]))
