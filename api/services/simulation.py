"""What-if simulation: a draft version of a program evaluated over the whole register as of
today, beside the version in force, counted by group (contract §13).

Every living current member of every household not closed is asked about, with both versions;
each (province, milieu, index band) cell counts its persons by answer: eligible under both
(`ee`), now only (`en`, lost), the draft only (`ne`, gained), neither (`nn`); a household
costs the amount of its oldest eligible member once a month, under each version.

Two evaluations, equal by test (`tests/api/test_simulation_paths.py`):
- **SQL** (PostgreSQL): both versions compiled to SQL (api/programs/sql.py) and evaluated in
  one statement, set-based, in a read-only snapshot;
- **CEL**: the households streamed in batches and each member decided with the versions'
  compiled CEL programs (rules.decider), when a version does not compile to SQL, on SQLite,
  or when the statement fails (an overflow or a division by zero that CEL answers per person).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import asyncpg
import jsonschema
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from api.programs import catalogue as catalogue_module
from api.programs import sql as compile_sql
from api.programs.catalogue import Program, Version, catalogue
from api.programs.facts import MemberSituation, Situation
from api.programs.rules import RuleError, decider
from api.services import simulation_facts
from api.services import simulation_suppression as suppression
from api.services.simulation_suppression import Figures, Group
from api.services.statistics import BAND_WIDTH
from api.settings import get_settings

BATCH = 20_000
MAX_DEFINITION = 64 * 1024  # characters of a draft version
WORK_MEM = "256MB"  # the statement's sorts and hashes, in memory
AT_ONCE = 2  # simulations evaluated at once by one process; more wait their turn
_turns: dict[int, asyncio.Semaphore] = {}  # per event loop


class DraftError(ValueError):
    """The draft is not a valid version: `key` names the part at fault."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key
        self.message = message


@dataclass
class Cell:
    """One (province, milieu, band) of the register: its persons by answer, its households,
    and what its households cost a month under each version."""

    persons: int = 0
    households: int = 0
    ee: int = 0
    en: int = 0
    ne: int = 0
    nn: int = 0
    cost_now: int = 0
    cost_draft: int = 0

    def add(self, other: Cell) -> None:
        for name in ("persons", "households", "ee", "en", "ne", "nn", "cost_now", "cost_draft"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Evaluation:
    cells: dict[tuple[str, str, int | None], Cell]
    path: str  # "SQL" or "CEL"
    seconds: float
    households: int = 0
    fallback: str | None = None  # why the SQL path was not taken
    copy: simulation_facts.Copy | None = None  # the copy of the register read, if any


@dataclass
class Simulation:
    program: str
    as_of: date
    threshold_now: float | None
    threshold_draft: float
    total: Figures
    groups: list[Group]
    path: str
    seconds: float
    households: int
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ the draft

def parse_draft(program: Program, definition: str, today: date) -> Version:
    """The draft version, checked as a catalogue file's version is; DraftError naming the key
    at fault (`definition.criteria[0].rule`) before any work."""
    try:
        raw = json.loads(definition)
    except (ValueError, RecursionError) as exc:
        raise DraftError("definition", f"not JSON: {str(exc)[:200]}") from None
    schema = catalogue_module.json_schema()
    version_schema = {"$schema": schema["$schema"], "$defs": schema["$defs"],
                      "$ref": "#/$defs/version"}
    validator = jsonschema.Draft202012Validator(
        version_schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        error = errors[0]
        key = catalogue_module._key(error.absolute_path)
        raise DraftError("definition" + ("" if key == "(file)" else
                                         ("" if key.startswith("[") else ".") + key),
                         error.message[:300])
    try:
        effective = date.fromisoformat(raw["effectiveFrom"])
    except ValueError:
        raise DraftError("definition.effectiveFrom", "not a date") from None
    version, problems = catalogue_module._version(raw, effective, "definition")
    if problems:
        key, _, message = problems[0].partition(": ")
        raise DraftError(key, message)
    return version


# ------------------------------------------------------------------ evaluation

def band_of(index: float | None, dialect: str) -> int | None:
    """The index band as registryStatistics computes it: PostgreSQL's CAST of a double to an
    integer rounds half to even, SQLite's truncates."""
    if index is None:
        return None
    scaled = index * int(1 / BAND_WIDTH)
    return round(scaled) if dialect == "postgres" else int(scaled)


_LIVE = """(SELECT m.household_id AS hid, m.id AS mid, p.birth_date,
        h.status, h.index_value, h.milieu, h.region_id AS region, h.province_id AS province,
        {age} AS age, p.sex, p.nationality, p.death_date IS NOT NULL AS deceased,
        p.has_other_health_coverage AS cover, p.idcs,
        m.relationship AS rel, m.schooling AS school, m.has_disability AS disability
      FROM memberships m JOIN persons p ON p.id = m.person_id
      JOIN households h ON h.id = m.household_id
      WHERE m.end_date IS NULL AND h.status <> 'CLOSED'{where}) b"""


def live_rows(today: date, where: str = "") -> str:
    """The members the statement counts, read from the register itself; `where` narrows them
    (conditions on `m.household_id`, starting with AND)."""
    return _LIVE.format(age=compile_sql.birthday_age(today), where=where)


def statement(compiler: compile_sql.Compiler, now: compile_sql.CompiledVersion | None,
              draft: compile_sql.CompiledVersion, rows: str, keep: str | None = None) -> str:
    """One statement: the cells' counts and costs under both versions, over `rows` (a
    subquery of members with the columns api/programs/sql.py evaluates over, ordered by
    nothing in particular). Each household's members are counted by the versions' person
    conditions (c11: both hold, c10: now only, c01: the draft only), its aggregates computed
    alongside (beside each member first, when a person condition reads them); the household
    conditions then decide, once per household, which of those counts are eligible; `keep`,
    a condition on the household's row `g` (its id `hid`), leaves some out.

    A condition is NULL where an expression failed (api/programs/sql.py); when a version may
    fail, `failed_now` and `failed_draft` count the members whose answer has no reason but a
    failed expression (the rule engine refuses to answer them), or whose amount failed."""
    rows = compile_sql.with_windows(compiler, rows)
    if compiler.windowed and compiler.aggregates:
        aggregates = "".join(f", {'BOOL_AND' if c in compiler.booleans else 'MIN'}({c}) AS {c}"
                             for c in compiler.aggregates.values())
    else:
        aggregates = "".join(f", {a} AS {c}" for a, c in compiler.aggregates.items())
    person_now = now.person if now else "FALSE"
    fallible = bool(now and now.fallible) or draft.fallible
    if person_now == draft.person:  # the same person conditions: no member differs
        counts = (f"COUNT(*) FILTER (WHERE {person_now}) AS c11, "
                  "CAST(0 AS BIGINT) AS c10, CAST(0 AS BIGINT) AS c01")
    else:
        counts = f"""COUNT(*) FILTER (WHERE {person_now} AND {draft.person}) AS c11,
        COUNT(*) FILTER (WHERE {person_now} AND ({draft.person}) IS NOT TRUE) AS c10,
        COUNT(*) FILTER (WHERE {draft.person} AND ({person_now}) IS NOT TRUE) AS c01"""
    if fallible:
        counts += f""", COUNT(*) FILTER (WHERE ({person_now}) IS NULL) AS n0,
        COUNT(*) FILTER (WHERE ({draft.person}) IS NULL) AS n1"""
    households = f"""SELECT hid, MIN(status) AS status, MIN(index_value) AS index_value,
        MIN(milieu) AS milieu, MIN(region) AS region, MIN(province) AS province,
        CAST(MIN(index_value) * {int(1 / BAND_WIDTH)} AS INTEGER) AS band,
        COUNT(*) AS persons, {counts}{aggregates}
      FROM {rows} GROUP BY hid"""
    zero = "CAST(0 AS BIGINT)"
    decided = f"""SELECT province, milieu, band, persons, c11, c10, c01{", n0, n1" if fallible else ""},
        {now.household if now else 'FALSE'} AS hn,
        {draft.household} AS hd,
        {(now.amount if now and now.amount else zero)} AS amount_now,
        {draft.amount or zero} AS amount_draft
      FROM ({households}) g{f" WHERE {keep}" if keep else ""}"""
    failed = ""
    if fallible:  # no reason, a failed expression: the condition NULL, the others not FALSE
        failed = """,
        SUM(CASE WHEN hn IS NOT FALSE THEN n0 ELSE 0 END
            + CASE WHEN hn IS NULL THEN c11 + c10 ELSE 0 END
            + CASE WHEN hn AND c11 + c10 > 0 AND amount_now IS NULL THEN 1 ELSE 0 END)
          AS failed_now,
        SUM(CASE WHEN hd IS NOT FALSE THEN n1 ELSE 0 END
            + CASE WHEN hd IS NULL THEN c11 + c01 ELSE 0 END
            + CASE WHEN hd AND c11 + c01 > 0 AND amount_draft IS NULL THEN 1 ELSE 0 END)
          AS failed_draft"""
    return f"""SELECT province, milieu, band, COUNT(*) AS households, SUM(persons) AS persons,
        SUM(CASE WHEN hn AND hd THEN c11 ELSE 0 END) AS ee,
        SUM(CASE WHEN hn THEN (CASE WHEN hd THEN c10 ELSE c10 + c11 END) ELSE 0 END) AS en,
        SUM(CASE WHEN hd THEN (CASE WHEN hn THEN c01 ELSE c01 + c11 END) ELSE 0 END) AS ne,
        COALESCE(SUM(CASE WHEN hn AND c11 + c10 > 0 THEN amount_now END), 0) AS cost_now,
        COALESCE(SUM(CASE WHEN hd AND c11 + c01 > 0 THEN amount_draft END), 0) AS cost_draft{failed}
      FROM ({decided}) d GROUP BY province, milieu, band"""


def _range(part: tuple[str | None, str | None]) -> str:
    low, high = part
    out = f" AND m.household_id >= '{uuid.UUID(low)}'" if low else ""
    return out + (f" AND m.household_id < '{uuid.UUID(high)}'" if high else "")


async def _evaluate_sql(program: Program, draft: Version, today: date,
                        progress: Progress | None = None) -> Evaluation:
    """Both versions in one statement per part of the register (households split by id), the
    parts side by side on their own connections, all in one snapshot (exported by the first);
    their PostgreSQL backends run at a low OS priority when they are on this machine, so that
    a simulation takes only the CPU that registrations and lookups leave.

    The members are read from the copy of the register (api/services/simulation_facts.py)
    when there is one, except the households written since it was taken, which one more
    statement reads from the register itself; without a copy, from the register."""
    started = time.perf_counter()
    now_version = _in_force(program, today)
    compiler = compile_sql.compiler_for(today)
    now = compile_sql.compile_version(now_version, compiler) if now_version else None
    compiled = compile_sql.compile_version(draft, compiler)
    settings = get_settings()
    parts = settings.simulation_connections
    client = Tortoise.get_connection("default")
    connections = []
    try:
        for _ in range(parts):
            connections.append(await simulation_facts.connect())
        for connection in connections:
            await lower_priority(connection, client.host, settings.simulation_nice)
        copy = await simulation_facts.begin(connections[0])
        snapshot = await connections[0].fetchval("SELECT pg_export_snapshot()")
        for connection in connections:
            if connection is not connections[0]:
                await connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                await connection.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            await connection.execute(f"SET LOCAL work_mem = '{WORK_MEM}'; "
                                     "SET LOCAL max_parallel_workers_per_gather = 0")
        # a busy service: many small statements, each connection waiting between them
        share = settings.simulation_busy_share
        chunks = CHUNKS if share < 1 and await service_busy(connections[0]) else 1
        if chunks > 1:
            for connection in connections:  # compiling each small statement costs more
                await connection.execute("SET LOCAL jit = off")
        statements = [[] for _ in connections]
        for i in range(parts):
            for low, high in (sub(part(i, parts), k, chunks) for k in range(chunks)):
                if copy:
                    where = (f" AND f.hid >= '{uuid.UUID(low)}'" if low else "") + \
                            (f" AND f.hid < '{uuid.UUID(high)}'" if high else "")
                    statements[i].append(statement(
                        compiler, now, compiled, simulation_facts.rows(copy, today, where),
                        keep=simulation_facts.NOT_DIRTY if copy.dirty else None))
                else:
                    statements[i].append(statement(compiler, now, compiled,
                                                   live_rows(today, _range((low, high)))))
        if copy and copy.dirty:
            statements[0].append(statement(compiler, now, compiled,
                                           live_rows(today, simulation_facts.DIRTY)))
        if progress:
            read = (f"the copy of {copy.built_at:%Y-%m-%d %H:%M}, {copy.dirty:,} households "
                    "written since read from the register" if copy else "the register")
            progress(f"evaluating in SQL ({parts} statement{'s' if parts > 1 else ''} over "
                     f"{read})", 0, 0)

        async def run(connection, texts):
            rows = []
            for text in texts:
                started_at = time.perf_counter()
                rows += await connection.fetch(text)
                if chunks > 1 and text is not texts[-1] and await service_busy(connection):
                    # wait so that this connection takes `share` of a core while busy
                    await asyncio.sleep((time.perf_counter() - started_at) * (1 / share - 1))
            return rows

        answers = await asyncio.gather(*(run(c, texts)
                                         for c, texts in zip(connections, statements, strict=True)))
    finally:
        for connection in connections:
            await connection.close()
    cells: dict = {}
    households = 0
    if (now and now.fallible) or compiled.fallible:
        for version, column in ((now_version, "failed_now"), (draft, "failed_draft")):
            if any(row[column] for rows in answers for row in rows):
                raise RuleError(f"{program.code}{'' if version is draft else ' in force'}: an "
                                "expression failed for an answer with no reason")
    for rows in answers:
        for row in rows:
            ee, en, ne = int(row["ee"]), int(row["en"]), int(row["ne"])
            persons = int(row["persons"])
            cell = Cell(persons=persons, households=int(row["households"]), ee=ee, en=en, ne=ne,
                        nn=persons - ee - en - ne, cost_now=int(row["cost_now"]),
                        cost_draft=int(row["cost_draft"]))
            key = (row["province"], row["milieu"], row["band"])
            if key in cells:
                cells[key].add(cell)
            else:
                cells[key] = cell
            households += cell.households
    return Evaluation(cells, "SQL", time.perf_counter() - started, households,
                      copy=copy)


CHUNKS = 16  # small statements per connection when the service is busy


async def service_busy(connection) -> bool:
    """Whether other sessions of the database are running statements now (sampled a few
    times over ~40 ms): the service is answering requests."""
    busy = 0
    for _ in range(4):
        await connection.execute("SELECT pg_stat_clear_snapshot()")
        busy += await connection.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND "
            "backend_type = 'client backend' AND datname = current_database() AND "
            "pid <> pg_backend_pid() AND query NOT LIKE '%simulation_facts%' AND "
            "query NOT LIKE 'SELECT province, milieu, band%'") > 0
        await asyncio.sleep(0.01)
    return busy >= 2


def sub(bounds: tuple[str | None, str | None], k: int, chunks: int
        ) -> tuple[str | None, str | None]:
    """The k-th of `chunks` ranges of household ids within `bounds` (a `part`)."""
    if chunks == 1:
        return bounds
    low = uuid.UUID(bounds[0]).int if bounds[0] else 0
    high = uuid.UUID(bounds[1]).int if bounds[1] else 1 << 128

    def bound(j: int) -> str | None:
        if j == 0:
            return bounds[0]
        if j == chunks:
            return bounds[1]
        return str(uuid.UUID(int=low + (high - low) * j // chunks))
    return bound(k), bound(k + 1)


def part(i: int, parts: int) -> tuple[str | None, str | None]:
    """The i-th of `parts` ranges of household ids (UUIDs, random): (from, to), open ends None."""
    def bound(k: int) -> str | None:
        if k in (0, parts):
            return None
        return str(uuid.UUID(int=(k << 128) // parts))
    return bound(i), bound(i + 1)


async def lower_priority(connection, host: str | None, nice: int) -> bool:
    """Give the connection's backend the OS priority `nice`, when it is a PostgreSQL process
    of this machine (a socket or a loopback address, and /proc names it postgres) and this
    process may; False otherwise. Where the kernel groups processes by session (autogroup), a
    nice value only weighs against the session's other processes — the backends answering
    lookups — not against the API's workers: the backend is then also put in a CPU control
    group of the lowest weight (`sijill-simulation`), where this process may create one.
    Never through a transaction pooler: the backend would go on serving other clients."""
    if simulation_facts.pooled():  # the backend is PgBouncer's, and serves other clients' transactions next
        return False
    if not nice or not (host is None or str(host).startswith("/")
                        or host in ("localhost", "127.0.0.1", "::1")):
        return False
    pid = await connection.fetchval("SELECT pg_backend_pid()")
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            if b"postgres" not in cmdline.read():
                return False
        os.setpriority(os.PRIO_PROCESS, pid, nice)
    except OSError:
        return False
    _into_low_cgroup(pid)
    return True


_CGROUPS = (  # (group directory, weight file, lowest weight, file taking a process id)
    ("/sys/fs/cgroup/cpu/sijill-simulation", "cpu.shares", "2", "cgroup.procs"),  # v1
    ("/sys/fs/cgroup/sijill-simulation", "cpu.weight", "1", "cgroup.procs"),  # v2
)


def _into_low_cgroup(pid: int) -> bool:
    for directory, weight, lowest, procs in _CGROUPS:
        parent = os.path.dirname(directory)
        if not os.path.isdir(parent) or not os.access(parent, os.W_OK):
            continue
        try:
            os.makedirs(directory, exist_ok=True)
            with open(os.path.join(directory, weight), "w") as out:
                out.write(lowest)
            with open(os.path.join(directory, procs), "w") as out:
                out.write(str(pid))
            return True
        except OSError:
            continue
    return False


def _in_force(program: Program, today: date) -> Version | None:
    try:
        return program.version_on(today)
    except LookupError:
        return None


_HOUSEHOLDS = {
    "postgres": """SELECT id, status, index_value, milieu, region_id, province_id
                   FROM households WHERE status <> 'CLOSED' AND ($1::uuid IS NULL OR id > $1)
                   ORDER BY id LIMIT $2""",
    "sqlite": """SELECT id, status, index_value, milieu, region_id, province_id
                 FROM households WHERE status <> 'CLOSED' AND (? IS NULL OR id > ?)
                 ORDER BY id LIMIT ?""",
}
_MEMBERS = """SELECT m.household_id, m.relationship, m.schooling, m.has_disability,
       p.birth_date, p.sex, p.nationality, p.death_date, p.has_other_health_coverage, p.idcs
    FROM memberships m JOIN persons p ON p.id = m.person_id
    WHERE m.end_date IS NULL AND m.household_id IN ({ids}) ORDER BY m.household_id, m.id"""


Progress = Callable[[str, int, int], None]  # (stage, households done, households in all)


async def _evaluate_cel(program: Program, draft: Version, today: date,
                        progress: Progress | None = None) -> Evaluation:
    """Each household of the register, in batches, decided member by member with the compiled
    CEL programs of both versions."""
    started = time.perf_counter()
    now_version = _in_force(program, today)
    decide_now = decider(program, today) if now_version else None
    # the draft as if in force today, whatever its effectiveFrom says
    in_force = dataclasses.replace(draft, effective_from=min(draft.effective_from, today))
    draft_program = dataclasses.replace(program, versions=(in_force,))
    decide_draft = decider(draft_program, today)
    reads = _person_reads(now_version, in_force)
    cells: dict = {}
    done = 0
    last = None
    async with in_transaction("default") as conn:
        dialect = conn.capabilities.dialect
        if dialect == "postgres":
            await conn.execute_script(
                "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        total = 0
        if progress:
            _, counted = await conn.execute_query(
                "SELECT COUNT(*) AS n FROM households WHERE status <> 'CLOSED'")
            total = int(counted[0]["n"])
            progress("evaluating with the compiled CEL rules", 0, total)
        while True:
            args = [last, BATCH] if dialect == "postgres" else [last, last, BATCH]
            _, households = await conn.execute_query(_HOUSEHOLDS[dialect], args)
            if not households:
                break
            last = households[-1]["id"]
            ids = [h["id"] for h in households]
            if dialect == "postgres":
                _, members = await conn.execute_query(
                    _MEMBERS.format(ids="SELECT UNNEST($1::uuid[])"), [ids])
            else:
                _, members = await conn.execute_query(
                    _MEMBERS.format(ids=", ".join("?" for _ in ids)), ids)
            by_household: dict = {}
            for m in members:
                by_household.setdefault(str(m["household_id"]), []).append(m)
            for h in households:
                rows = by_household.get(str(h["id"]))
                if rows:
                    _decide_household(h, rows, dialect, decide_now, decide_draft, cells,
                                      reads)
            done += len(households)
            if progress:
                progress("evaluating with the compiled CEL rules", done, total)
    return Evaluation(cells, "CEL", time.perf_counter() - started, done)


# the member's columns each person fact is read from
_PERSON_COLUMNS = {"idcs": "idcs", "age": "birth_date", "sex": "sex",
                   "nationality": "nationality", "deceased": "death_date",
                   "hasOtherHealthCoverage": "has_other_health_coverage"}


def _person_reads(*versions: Version | None) -> tuple[str, ...]:
    """The member columns the versions' rules read of the person asked about."""
    names = set()
    for version in versions:
        if version is not None:
            names |= version.needs.get("Person", frozenset())
    return tuple(sorted(_PERSON_COLUMNS[name] for name in names))


def _decide_household(h, rows, dialect, decide_now, decide_draft, cells, reads) -> None:
    """Each member decided by both versions: once for the members whose facts the rules read
    are alike (ASD reads none of the person's: one decision per household)."""
    situations = tuple(MemberSituation(r["relationship"], _date(r["birth_date"]),
                                       r["schooling"], bool(r["has_disability"]), r["sex"])
                       for r in rows)
    index = h["index_value"]
    key = (h["province_id"], h["milieu"], band_of(index, dialect))
    cell = cells.get(key)
    if cell is None:
        cell = cells[key] = Cell()
    cell.households += 1
    cell.persons += len(rows)
    order = sorted(range(len(rows)), key=lambda i: situations[i].birth_date)
    cost_now = cost_draft = None
    decided: dict[tuple, tuple] = {}  # members whose facts the rules read are alike
    for i in order:
        r = rows[i]
        signature = (r["death_date"] is None, *(r[k] for k in reads))
        found = decided.get(signature)
        if found is None:
            situation = Situation(
                registered=True, deceased=r["death_date"] is not None,
                has_other_health_coverage=bool(r["has_other_health_coverage"]),
                in_household=True, household_status=h["status"], index_value=index,
                members=situations, idcs=r["idcs"], birth_date=_date(r["birth_date"]),
                sex=r["sex"], nationality=r["nationality"], milieu=h["milieu"],
                region=h["region_id"], province=h["province_id"])
            found = decided[signature] = (decide_now(situation) if decide_now else None,
                                          decide_draft(situation))
        now, draft = found
        now_ok = bool(now and now.eligible)
        if now_ok and draft.eligible:
            cell.ee += 1
        elif now_ok:
            cell.en += 1
        elif draft.eligible:
            cell.ne += 1
        else:
            cell.nn += 1
        if now_ok and cost_now is None:
            cost_now = now.monthly_amount or 0
        if draft.eligible and cost_draft is None:
            cost_draft = draft.monthly_amount or 0
    cell.cost_now += cost_now or 0
    cell.cost_draft += cost_draft or 0


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


async def evaluate(program: Program, draft: Version, today: date, *, path: str | None = None,
                   progress: Progress | None = None) -> Evaluation:
    """The register's cells under both versions; `path` forces "SQL" or "CEL"."""
    dialect = Tortoise.get_connection("default").capabilities.dialect
    reason = None
    if path != "CEL" and dialect == "postgres":
        try:
            return await _evaluate_sql(program, draft, today, progress)
        except compile_sql.NotCompilable as exc:
            reason = f"not compiled to SQL: {exc}"
        except asyncpg.PostgresError as exc:
            state = exc.sqlstate or ""
            if state[:2] != "22":  # data exceptions (22…): CEL decides
                raise
            reason = f"the SQL statement failed ({state}): evaluated by CEL"
        if path == "SQL":
            raise compile_sql.NotCompilable(reason)
    elif path == "SQL":
        raise compile_sql.NotCompilable("the SQL evaluation needs PostgreSQL")
    evaluation = await _evaluate_cel(program, draft, today, progress)
    evaluation.fallback = reason
    return evaluation


# ------------------------------------------------------------------ the answer

async def simulate(program_code: str, definition: str, grouping: str, today: date, *,
                   progress: Progress | None = None, path: str | None = None) -> Simulation:
    program = catalogue()[program_code]
    draft = parse_draft(program, definition, today)
    turns = _turns.setdefault(id(asyncio.get_running_loop()), asyncio.Semaphore(AT_ONCE))
    try:
        async with turns:
            evaluation = await evaluate(program, draft, today, path=path, progress=progress)
    except RuleError as exc:
        raise DraftError("definition", f"an expression fails for an eligible answer: {exc}"
                         ) from None
    if progress:
        progress("withholding small counts", evaluation.households, evaluation.households)
    total, groups = suppression.publish(evaluation.cells, grouping)
    now = _in_force(program, today)
    notes = [evaluation.fallback] if evaluation.fallback else []
    if evaluation.copy:
        taken = f"{evaluation.copy.built_at:%Y-%m-%d %H:%M:%S %Z}"
        notes.append(f"read from the copy of the register taken {taken}, and "
                     f"{evaluation.copy.dirty:,} households written since from the register")
    elif evaluation.path == "SQL":
        notes.append("read from the register (no copy: `sijill simulation refresh` makes one)")
    return Simulation(program=program_code, as_of=today,
                      threshold_now=now.threshold if now else None,
                      threshold_draft=draft.threshold, total=total, groups=groups,
                      path=evaluation.path, seconds=evaluation.seconds,
                      households=evaluation.households, notes=notes)


# ------------------------------------------------------------------ output of the CLI

def as_dict(found: Simulation) -> dict:
    def figures(f: Figures) -> dict:
        return {"eligibleNow": f.eligible_now, "eligibleDraft": f.eligible_draft,
                "gained": f.gained, "lost": f.lost, "monthlyCostNow": f.monthly_cost_now,
                "monthlyCostDraft": f.monthly_cost_draft}

    return {"program": found.program, "asOf": found.as_of.isoformat(),
            "thresholdNow": found.threshold_now, "thresholdDraft": found.threshold_draft,
            **figures(found.total), "evaluation": found.path, "households": found.households,
            "seconds": round(found.seconds, 2), "notes": found.notes,
            "groups": [{"key": g.key, "label": g.label, **figures(g.figures)}
                       for g in found.groups]}


def as_table(found: Simulation) -> str:
    def cell(value) -> str:
        return "—" if value is None else f"{value:,}"

    header = ("group", "eligible now", "eligible draft", "gained", "lost", "cost now (MAD)",
              "cost draft (MAD)")
    rows = [(f"{g.key} {g.label}", *(cell(v) for v in dataclasses.astuple(g.figures)))
            for g in found.groups]
    rows.append(("TOTAL", *(cell(v) for v in dataclasses.astuple(found.total))))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"{found.program}: threshold {found.threshold_now} now, {found.threshold_draft} "
             f"in the draft; {found.households:,} households evaluated as of "
             f"{found.as_of} ({found.path}, {found.seconds:.1f} s)"]
    lines += [f"note: {note}" for note in found.notes]
    for row in [header, *rows]:
        lines.append("  ".join(row[0].ljust(widths[0]) if i == 0 else row[i].rjust(widths[i])
                               for i in range(len(row))))
    lines.append("— withheld: a count from 1 to 9, or one that would let such a count be derived")
    return "\n".join(lines)
