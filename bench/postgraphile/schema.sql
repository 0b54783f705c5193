-- The PostGraphile baseline of the load benchmarks: schema `bench_pg`, beside Sijill's tables in
-- the same database, exposing the data of the three read scenarios. Row scopes come from the
-- verified token's claims, which PostGraphile sets as `jwt.claims.*`: a program agency asks about
-- its own program only, a registrar reads households of its provinces only. Idempotent: it drops
-- and recreates the schema (Sijill's own tables are only read).

DROP SCHEMA IF EXISTS bench_pg CASCADE;
CREATE SCHEMA bench_pg;

-- Dated program parameters, as in api/scoring/programs.json.
CREATE TABLE bench_pg.thresholds (
  program text NOT NULL, effective_from date NOT NULL, value double precision NOT NULL,
  PRIMARY KEY (program, effective_from)
);
COMMENT ON TABLE bench_pg.thresholds IS E'@omit';
INSERT INTO bench_pg.thresholds VALUES
  ('AMO_TADAMON', '2022-12-01', 9.3264284),
  ('ASD', '2023-12-01', 9.743001),
  ('TAYSSIR', '2023-12-01', 9.743001);

CREATE TABLE bench_pg.asd_amounts (
  effective_from date PRIMARY KEY, young_or_in_school int NOT NULL, out_of_school int NOT NULL
);
COMMENT ON TABLE bench_pg.asd_amounts IS E'@omit';
INSERT INTO bench_pg.asd_amounts VALUES
  ('2023-12-01', 200, 150), ('2025-01-01', 250, 175), ('2026-01-01', 300, 200);

CREATE TYPE bench_pg.household_summary AS (id uuid, reference text, size int);

CREATE TYPE bench_pg.eligibility AS (
  idcs text,
  program text,
  eligible boolean,
  reasons text[],
  threshold double precision,
  formula_version text,
  household bench_pg.household_summary,
  monthly_amount int
);

-- Bulk eligibility, one answer per id in input order (the programs' rules of domain.md).
CREATE FUNCTION bench_pg.eligibilities(program text, idcs text[])
RETURNS SETOF bench_pg.eligibility LANGUAGE sql STABLE AS $$
WITH params AS (
  SELECT d.today,
         (SELECT t.value FROM bench_pg.thresholds t
          WHERE t.program = $1 AND t.effective_from <= d.today
          ORDER BY t.effective_from DESC LIMIT 1) AS threshold,
         (SELECT a FROM bench_pg.asd_amounts a WHERE a.effective_from <= d.today
          ORDER BY a.effective_from DESC LIMIT 1) AS schedule
  FROM (SELECT (now() AT TIME ZONE 'Africa/Casablanca')::date AS today) d
),
asked AS (
  SELECT a.idcs, a.ord FROM unnest($2) WITH ORDINALITY AS a(idcs, ord)
  WHERE current_setting('jwt.claims.program', true) = $1
),
facts AS (
  SELECT a.ord, a.idcs, p.id AS person_id, p.death_date, p.has_other_health_coverage,
         h.id AS household_id, h.reference, h.status, h.index_value, h.index_formula_version
  FROM asked a
  LEFT JOIN public.persons p ON p.idcs = a.idcs
  LEFT JOIN public.memberships m ON m.person_id = p.id AND m.end_date IS NULL
  LEFT JOIN public.households h ON h.id = m.household_id
),
members AS (
  SELECT m.id, m.household_id, m.relationship, m.schooling, m.has_disability, p.birth_date,
         extract(year FROM age(params.today, p.birth_date))::int AS age
  FROM public.memberships m JOIN public.persons p ON p.id = m.person_id CROSS JOIN params
  WHERE m.end_date IS NULL
    AND m.household_id IN (SELECT household_id FROM facts WHERE household_id IS NOT NULL)
),
per_household AS (
  SELECT household_id, count(*)::int AS size,
         bool_or(age BETWEEN 6 AND 15 AND schooling = 'IN_SCHOOL') AS school_child
  FROM members GROUP BY household_id
),
ranked AS (
  SELECT household_id, has_disability, (age <= 5 OR schooling = 'IN_SCHOOL') AS young_or_in_school,
         row_number() OVER (PARTITION BY household_id ORDER BY birth_date, id) AS rank
  FROM members WHERE relationship IN ('CHILD', 'GRANDCHILD') AND age <= 20
),
amounts AS (
  SELECT r.household_id,
         sum(CASE WHEN r.rank <= 3 THEN
                    CASE WHEN r.young_or_in_school THEN (params.schedule).young_or_in_school
                         ELSE (params.schedule).out_of_school END
                  ELSE CASE WHEN r.young_or_in_school THEN 36 ELSE 24 END END
             + CASE WHEN r.has_disability THEN 100 ELSE 0 END)::int AS amount
  FROM ranked r CROSS JOIN params WHERE r.rank <= 6 GROUP BY r.household_id
),
decided AS (
  SELECT f.*, ph.size, ph.school_child, am.amount, params.threshold,
         CASE
           WHEN f.person_id IS NULL THEN ARRAY['NOT_REGISTERED']
           WHEN f.household_id IS NULL THEN
             array_remove(ARRAY[CASE WHEN f.death_date IS NOT NULL THEN 'DECEASED' END,
                                'NO_HOUSEHOLD'], NULL)
           ELSE array_remove(ARRAY[
             CASE WHEN f.death_date IS NOT NULL THEN 'DECEASED' END,
             CASE WHEN f.status <> 'ACTIVE' OR f.index_value IS NULL THEN 'HOUSEHOLD_NOT_ACTIVE' END,
             CASE WHEN f.index_value > params.threshold THEN 'INDEX_ABOVE_THRESHOLD' END,
             CASE WHEN $1 = 'AMO_TADAMON' AND f.has_other_health_coverage
                  THEN 'OTHER_HEALTH_COVERAGE' END,
             CASE WHEN $1 = 'TAYSSIR' AND NOT coalesce(ph.school_child, false)
                  THEN 'NO_QUALIFYING_CHILD' END], NULL)
         END AS failing
  FROM facts f CROSS JOIN params
  LEFT JOIN per_household ph ON ph.household_id = f.household_id
  LEFT JOIN amounts am ON am.household_id = f.household_id
)
SELECT d.idcs, $1, cardinality(d.failing) = 0,
       CASE WHEN cardinality(d.failing) = 0 THEN ARRAY['INDEX_WITHIN_THRESHOLD'] ELSE d.failing END,
       d.threshold, d.index_formula_version::text,
       CASE WHEN d.household_id IS NULL THEN NULL
            ELSE ROW(d.household_id, d.reference, coalesce(d.size, 0))::bench_pg.household_summary END,
       CASE WHEN cardinality(d.failing) = 0 AND $1 = 'ASD' THEN greatest(coalesce(d.amount, 0), 500) END
FROM decided d ORDER BY d.ord
$$;
COMMENT ON FUNCTION bench_pg.eligibilities(text, text[]) IS E'@simpleCollections only';

CREATE FUNCTION bench_pg.eligibility(program text, idcs text)
RETURNS bench_pg.eligibility LANGUAGE sql STABLE AS $$
  SELECT * FROM bench_pg.eligibilities($1, ARRAY[$2])
$$;

-- Households of the registrar's provinces, with their current members, oldest membership first.
CREATE VIEW bench_pg.households AS
  SELECT id, reference::text, province_id::text AS province, commune::text, milieu::text,
         status::text
  FROM public.households;
COMMENT ON VIEW bench_pg.households IS E'@omit all,many';

CREATE TYPE bench_pg.person_summary AS (
  idcs text, first_name text, last_name text, sex text, birth_date date
);
CREATE TYPE bench_pg.member AS (relationship text, person bench_pg.person_summary);

CREATE FUNCTION bench_pg.household(id uuid)
RETURNS bench_pg.households LANGUAGE sql STABLE AS $$
  SELECT h.* FROM bench_pg.households h
  WHERE h.id = $1
    AND h.province IN (SELECT json_array_elements_text(
          coalesce(nullif(current_setting('jwt.claims.provinces', true), ''), '[]')::json))
$$;

CREATE FUNCTION bench_pg.households_members(h bench_pg.households)
RETURNS SETOF bench_pg.member LANGUAGE sql STABLE AS $$
  SELECT m.relationship::text,
         ROW(p.idcs, p.first_name, p.last_name, p.sex, p.birth_date)::bench_pg.person_summary
  FROM public.memberships m JOIN public.persons p ON p.id = m.person_id
  WHERE m.household_id = h.id AND m.end_date IS NULL
  ORDER BY m.id
$$;
COMMENT ON FUNCTION bench_pg.households_members(bench_pg.households) IS E'@simpleCollections only';

CREATE FUNCTION bench_pg.households_size(h bench_pg.households)
RETURNS int LANGUAGE sql STABLE AS $$
  SELECT count(*)::int FROM public.memberships m WHERE m.household_id = h.id AND m.end_date IS NULL
$$;
