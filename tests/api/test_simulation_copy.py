"""Simulations over the copy of the register (api/services/simulation_facts.py) count every cell
as the compiled CEL programs do over the register itself, whatever was written since the copy
was taken: every kind of write is drawn by hypothesis, between refreshes, and the statement
reading the copy plus the households written since must agree with CEL member by member.
Also: a write committed while a refresh runs stays visible, a refresh waits for simulations
still reading the copy it empties, two refreshes at once are refused, and a copy emptied by a
crash (UNLOGGED) or a register emptied at once is not read."""

from __future__ import annotations

import asyncio
import random
import types
from datetime import date, timedelta

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tortoise import Tortoise

from api.models import Household
from api.programs.catalogue import catalogue
from api.programs.rules import RuleError
from api.services import clock, simulation, simulation_facts
from tests.api.test_simulation_paths import DRAFTS, build_register, draft_text

pytestmark = pytest.mark.e2e

WRITES = st.lists(st.tuples(
    st.sampled_from(["member_added", "member_removed", "death", "birth_date_corrected",
                     "sex_corrected", "coverage", "rescored", "unscored", "suspended", "closed",
                     "reopened", "moved", "relationship", "schooling", "disability",
                     "household_registered", "phone_changed", "refresh"]),
    st.integers(min_value=0, max_value=10 ** 6)), min_size=1, max_size=12)


@pytest.fixture
async def postgres(app):
    if Tortoise.get_connection("default").capabilities.dialect != "postgres":
        pytest.skip("only PostgreSQL keeps a copy of the register")


async def _sql(query: str, *args):
    connection = await simulation_facts.connect()
    try:
        return await connection.fetch(query, *args)
    finally:
        await connection.close()


async def _dirty() -> set:
    """The households a simulation would read from the register now."""
    rows = await _sql(f"SELECT household_id FROM {simulation_facts.DIRTY_HOUSEHOLDS} w")
    return {r["household_id"] for r in rows}


async def _fresh_number() -> int:
    """A number above every person's IDCS the tests wrote (they number persons from 1)."""
    found = await _sql("SELECT COALESCE(MAX(CAST(idcs AS BIGINT)), 0) AS n FROM persons")
    return max(int(found[0]["n"]), 5 * 10 ** 8)


async def write(kind: str, pick: int) -> None:
    """One write of the given kind through plain SQL (the triggers see every client alike)."""
    rng = random.Random(pick)
    today = clock.today()
    households = await _sql("SELECT id FROM households ORDER BY id")
    hid = households[pick % len(households)]["id"]
    members = await _sql("SELECT m.id, m.person_id FROM memberships m WHERE m.household_id = $1 "
                         "AND m.end_date IS NULL ORDER BY m.id", hid)
    member = members[pick % len(members)] if members else None
    if kind == "refresh":
        await simulation_facts.refresh_copy()
    elif kind == "member_added":
        person = await _sql(
            "INSERT INTO persons (idcs, nationality, first_name, last_name, sex, birth_date, "
            "has_other_health_coverage, version, registered_at, updated_at, registered_by, "
            "first_key, last_key) VALUES ($1, 'MA', 'N', 'N', 'FEMALE', $2, false, 1, now(), "
            "now(), 'sim', '', '') RETURNING id",
            f"{await _fresh_number() + 1:010d}", today - timedelta(days=rng.randint(0, 30 * 365)))
        await _sql("INSERT INTO memberships (household_id, person_id, relationship, schooling, "
                   "has_disability, start_date, created_at) VALUES ($1, $2, 'CHILD', "
                   "'IN_SCHOOL', $3, $4, now())", hid, person[0]["id"], rng.random() < 0.3,
                   today)
    elif member is None:
        return
    elif kind == "member_removed" and len(members) > 1 and member["id"] != members[0]["id"]:
        await _sql("UPDATE memberships SET end_date = $2, exit_reason = 'MOVED_OUT' "
                   "WHERE id = $1", member["id"], today)
    elif kind == "death":
        await _sql("UPDATE persons SET death_date = $2 WHERE id = $1", member["person_id"], today)
    elif kind == "birth_date_corrected":
        await _sql("UPDATE persons SET birth_date = $2 WHERE id = $1", member["person_id"],
                   today.replace(year=today.year - rng.choice((5, 6, 15, 18, 20, 21, 60))))
    elif kind == "sex_corrected":
        await _sql("UPDATE persons SET sex = CASE sex WHEN 'MALE' THEN 'FEMALE' ELSE 'MALE' END "
                   "WHERE id = $1", member["person_id"])
    elif kind == "coverage":
        await _sql("UPDATE persons SET has_other_health_coverage = NOT has_other_health_coverage "
                   "WHERE id = $1", member["person_id"])
    elif kind == "rescored":
        await _sql("UPDATE households SET index_value = $2 WHERE id = $1", hid,
                   round(rng.uniform(8.6, 10.6), 7))
    elif kind == "unscored":
        await _sql("UPDATE households SET index_value = NULL WHERE id = $1", hid)
    elif kind in ("suspended", "closed", "reopened"):
        status = {"suspended": "SUSPENDED", "closed": "CLOSED", "reopened": "ACTIVE"}[kind]
        await _sql("UPDATE households SET status = $2 WHERE id = $1", hid, status)
    elif kind == "moved":
        await _sql("UPDATE households SET milieu = CASE milieu WHEN 'URBAN' THEN 'RURAL' "
                   "ELSE 'URBAN' END WHERE id = $1", hid)
    elif kind == "relationship" and member["id"] != members[0]["id"]:
        await _sql("UPDATE memberships SET relationship = $2 WHERE id = $1", member["id"],
                   rng.choice(("CHILD", "GRANDCHILD", "SPOUSE", "PARENT")))
    elif kind == "schooling":
        await _sql("UPDATE memberships SET schooling = $2 WHERE id = $1", member["id"],
                   rng.choice(("IN_SCHOOL", "OUT_OF_SCHOOL", "NOT_APPLICABLE")))
    elif kind == "disability":
        await _sql("UPDATE memberships SET has_disability = NOT has_disability WHERE id = $1",
                   member["id"])
    elif kind == "household_registered":
        first = await _fresh_number()
        await build_register(seed=first, households=1, first=first)
    elif kind == "phone_changed":  # read by no rule: the copy still answers for the household
        await _sql("UPDATE persons SET phone = $2 WHERE id = $1", member["person_id"],
                   f"06{rng.randrange(10 ** 8):08d}")


async def both(draft: dict) -> tuple[simulation.Evaluation | None, simulation.Evaluation | None]:
    """The SQL and the CEL evaluation of the draft; None for one that refuses it (an
    expression failed for an answer with no reason)."""
    program = catalogue()[draft["program"]]
    version = simulation.parse_draft(program, draft_text(draft), clock.today())
    found = []
    for path in ("SQL", "CEL"):
        try:
            found.append(await simulation.evaluate(program, version, clock.today(), path=path))
        except RuleError:
            found.append(None)
    return found[0], found[1]


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(draft=DRAFTS, writes=WRITES)
async def test_the_copy_and_the_writes_since_count_as_the_register_does(postgres, draft, writes):
    if not await Household.exists():
        await build_register(households=120)
        await simulation_facts.refresh_copy()
    for kind, pick in writes:
        await write(kind, pick)
    by_sql, by_cel = await both(draft)
    if by_sql is None or by_cel is None:  # both refuse the draft, copy or not
        assert by_sql is by_cel is None
        return
    assert by_sql.copy is not None, "the copy was read"
    assert by_sql.cells == by_cel.cells
    assert by_sql.households == by_cel.households


async def test_only_writes_the_rules_can_see_send_a_household_to_the_register(postgres):
    await build_register(households=30)
    await simulation_facts.refresh_copy()
    assert await _sql("SELECT 1 FROM simulation_dirty") == []
    await write("phone_changed", 3)
    await _sql("UPDATE households SET address = 'elsewhere'")
    await _sql("UPDATE persons SET first_name = 'X'")
    assert await _sql("SELECT 1 FROM simulation_dirty") == []
    await write("death", 3)
    await write("rescored", 4)
    dirty = await _dirty()
    households = [r["id"] for r in await _sql("SELECT id FROM households ORDER BY id")]
    assert dirty == {households[3 % 30], households[4 % 30]}
    by_sql, by_cel = await both({"program": "ASD", "threshold": 9.5, "criteria": [],
                                 "amounts": []})
    assert by_sql.copy.dirty == 2 and by_sql.cells == by_cel.cells


async def test_a_write_committed_during_a_refresh_is_read_from_the_register(postgres):
    """The refresh copies one snapshot; a write committed after it is not in the copy, and
    its household stays among those written since."""
    await build_register(households=30)
    refresher = await simulation_facts.connect()
    writer = await simulation_facts.connect()
    try:
        transaction = refresher.transaction(isolation="repeatable_read")
        await transaction.start()
        await refresher.fetchval("SELECT 1")  # the snapshot is taken here
        person = await writer.fetchval(
            "SELECT person_id FROM memberships WHERE end_date IS NULL ORDER BY id LIMIT 1")
        await writer.execute("UPDATE persons SET death_date = CURRENT_DATE WHERE id = $1",
                             person)
        await refresher.fetchval("SELECT sijill_refresh_simulation_facts()")
        await transaction.commit()
        household = await writer.fetchval(
            "SELECT household_id FROM memberships WHERE person_id = $1", person)
        assert await writer.fetchval(
            "SELECT deceased FROM simulation_facts_a WHERE hid = $1 AND mid = "
            "(SELECT id FROM memberships WHERE person_id = $2)", household, person) is False
        assert await _dirty() == {household}
    finally:
        await refresher.close()
        await writer.close()
    by_sql, by_cel = await both({"program": "AMO_TADAMON", "threshold": 9.5, "criteria": [],
                                 "amounts": []})
    assert by_sql.copy.dirty == 1 and by_sql.cells == by_cel.cells


async def test_a_person_corrected_while_joining_a_household_is_read_from_the_register(postgres):
    """A correction of a person still uncommitted while another writer adds them to a household
    and commits, then a refresh, then the correction commits: the household the person joined
    is read from the register (the person, not their households of the moment, is marked)."""
    await build_register(households=20)
    lone = await _sql(
        "INSERT INTO persons (idcs, nationality, first_name, last_name, sex, birth_date, "
        "has_other_health_coverage, version, registered_at, updated_at, registered_by, "
        "first_key, last_key) VALUES ('7000000001', 'MA', 'L', 'L', 'MALE', DATE '1990-05-05', "
        "false, 1, now(), now(), 'sim', '', '') RETURNING id")
    person = lone[0]["id"]
    household = (await _sql("SELECT id FROM households WHERE status = 'ACTIVE' "
                            "ORDER BY id LIMIT 1"))[0]["id"]
    corrector = await simulation_facts.connect()
    try:
        async with corrector.transaction():
            await corrector.execute(
                "UPDATE persons SET birth_date = CURRENT_DATE - 3 WHERE id = $1", person)
            await _sql("INSERT INTO memberships (household_id, person_id, relationship, "
                       "schooling, has_disability, start_date, created_at) VALUES ($1, $2, "
                       "'CHILD', 'NOT_APPLICABLE', false, CURRENT_DATE, now())",
                       household, person)
            await simulation_facts.refresh_copy()  # sees the member, born in 1990
    finally:
        await corrector.close()
    assert household in await _dirty()
    by_sql, by_cel = await both({"program": "ASD", "threshold": 10.6, "criteria": [],
                                 "amounts": ["size(children) * 100"]})
    assert by_sql.copy is not None and by_sql.cells == by_cel.cells


async def test_a_refresh_waits_for_the_simulations_reading_the_copy_it_empties(postgres):
    await build_register(households=10)
    await simulation_facts.refresh_copy()  # a in use
    reader = await simulation_facts.connect()
    try:
        copy = await simulation_facts.begin(reader)
        assert copy.table == "simulation_facts_a"
        await simulation_facts.refresh_copy()  # b filled and in use: a still read
        refresher = await simulation_facts.connect()
        try:
            await refresher.execute("SET lock_timeout = '300ms'")
            with pytest.raises(asyncpg.LockNotAvailableError, match="lock timeout"):
                await simulation_facts.refresh(refresher)  # would empty a
        finally:
            await refresher.close()
        assert await reader.fetchval("SELECT count(*) FROM simulation_facts_a") > 0
        await reader.execute("ROLLBACK")
    finally:
        await reader.close()
    assert (await simulation_facts.refresh_copy()).members > 0  # a again


async def test_two_refreshes_at_once_are_refused(postgres):
    await build_register(households=10)
    first = await simulation_facts.connect()
    try:
        async with first.transaction(isolation="repeatable_read"):
            await first.fetchval("SELECT sijill_refresh_simulation_facts()")
            with pytest.raises(asyncpg.LockNotAvailableError, match="another session"):
                await simulation_facts.refresh_copy()
    finally:
        await first.close()


async def test_a_copy_lost_or_a_register_emptied_is_not_read(postgres):
    await build_register(households=20)
    await simulation_facts.refresh_copy()
    current = (await _sql("SELECT current FROM simulation_facts_state"))[0]["current"]
    # what a crash does to an UNLOGGED table: empty, while the state still names it
    await _sql(f"DELETE FROM simulation_facts_{current}")
    by_sql, by_cel = await both({"program": "ASD", "threshold": 9.5, "criteria": [],
                                 "amounts": []})
    assert by_sql.copy is None and by_sql.cells == by_cel.cells
    await simulation_facts.refresh_copy()
    await Tortoise.get_connection("default").execute_script(
        "TRUNCATE memberships, households, persons CASCADE")
    state = (await _sql("SELECT current, members FROM simulation_facts_state"))[0]
    assert (state["current"], state["members"]) == (None, 0)


async def test_the_copy_is_read_in_parts_side_by_side(postgres, monkeypatch):
    """Several connections each read a range of households from the copy, and the first the
    households written since: every household is counted once."""
    await build_register(households=80)
    await simulation_facts.refresh_copy()
    await write("rescored", 1)
    await write("member_added", 2)
    for parts in (1, 3):
        monkeypatch.setattr(simulation, "get_settings", lambda parts=parts: _with_parts(parts))
        by_sql, by_cel = await both({"program": "ASD", "threshold": 9.9, "criteria": [],
                                     "amounts": []})
        assert by_sql.copy.dirty == 2
        assert by_sql.cells == by_cel.cells and by_sql.households == by_cel.households


def _with_parts(parts: int):
    from api.settings import get_settings

    return get_settings().model_copy(update={"simulation_connections": parts})


async def test_the_copy_computes_ages_as_birthdays_do(postgres):
    """PostgreSQL's integer age over the copy's YYYYMMDD numbers equals the age in years on the
    birthday, 29 February and births of today included."""
    rng = random.Random(5)
    pairs = []
    for _ in range(3000):
        today = rng.choice([date(2024, 2, 29), date(2025, 2, 28), date(2025, 3, 1),
                            date(2026, 12, 31)]) if rng.random() < 0.3 else \
            date(2026, 1, 1) + timedelta(days=rng.randint(0, 900))
        born = rng.choice([date(2008, 2, 29), date(1960, 3, 1), today]) \
            if rng.random() < 0.3 else today - timedelta(days=rng.randint(0, 100 * 366))
        pairs.append((today, born))
    key = lambda d: d.year * 10000 + d.month * 100 + d.day  # noqa: E731
    rows = await _sql(
        "SELECT ((t - b + 100000000) / 10000 - 10000) AS age "
        "FROM unnest($1::int[], $2::int[]) WITH ORDINALITY AS x(t, b, n) ORDER BY n",
        [key(t) for t, _ in pairs], [key(b) for _, b in pairs])
    for (today, born), row in zip(pairs, rows, strict=True):
        expected = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        assert row["age"] == expected, (today, born)


async def test_a_busy_service_gets_small_statements_and_waits_between_them(postgres,
                                                                           monkeypatch):
    """When the service is busy as a simulation starts, each connection reads its part of the
    register in small statements and waits after each, so as to take a bounded share of a
    core; the answer is the same."""
    await build_register(households=60)
    await simulation_facts.refresh_copy()
    await write("death", 5)
    waits, statements = [], []
    real_sleep, real_fetch = asyncio.sleep, asyncpg.Connection.fetch

    async def busy(connection) -> bool:
        return True

    async def sleep(seconds, *args):
        waits.append(seconds)
        await real_sleep(0)

    async def fetch(self, query, *args, **kwargs):
        if query.startswith("SELECT province, milieu, band"):
            statements.append(query)
        return await real_fetch(self, query, *args, **kwargs)

    monkeypatch.setattr(simulation, "service_busy", busy)
    # the simulation's own asyncio, its sleep counted (patching asyncio.sleep itself would
    # also make every other task's sleep return at once: a minute's sweep would spin)
    own = {name: getattr(asyncio, name) for name in dir(asyncio) if not name.startswith("__")}
    monkeypatch.setattr(simulation, "asyncio", types.SimpleNamespace(**{**own, "sleep": sleep}))
    monkeypatch.setattr(asyncpg.Connection, "fetch", fetch)
    by_sql, by_cel = await both({"program": "ASD", "threshold": 9.9, "criteria": [],
                                 "amounts": ["size(children) * 100"]})
    assert by_sql.cells == by_cel.cells
    parts = simulation.get_settings().simulation_connections
    assert len(statements) == parts * simulation.CHUNKS + 1  # + the households written since
    # after every statement but the last of each connection
    assert len(waits) == len(statements) - parts and all(w >= 0 for w in waits)


async def test_a_session_running_statements_makes_the_service_busy(postgres):
    watcher = await simulation_facts.connect()
    other = await simulation_facts.connect()
    try:
        assert not await simulation.service_busy(watcher)
        running = asyncio.ensure_future(other.execute("SELECT pg_sleep(1)"))
        await asyncio.sleep(0.2)
        assert await simulation.service_busy(watcher)
        await running
    finally:
        await watcher.close()
        await other.close()
