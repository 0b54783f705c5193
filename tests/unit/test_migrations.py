"""The aerich migrations build the schema the models describe, on SQLite and PostgreSQL.

Each test works on its own fresh database. Migrations and schema generation run in a task with
an empty contextvars context, so that their Tortoise context never replaces the session's (the
ASGI app of conftest keeps using the session database).
"""

from __future__ import annotations

import asyncio
import contextvars
import re
import secrets
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from tortoise import context as tortoise_context
from tortoise.backends.base import executor
from tortoise.context import TortoiseContext, get_current_context

from api.db import DEFAULT_MIGRATIONS, tortoise_config
from api.services.migrations import migrate
from api.settings import Settings
from tests.db import _with_db, choose_server

MIGRATION_FILE = re.compile(r"^(\d+)_\d+_\w+\.py$")


def expected_migrations() -> list[str]:
    files = [p.name for p in (Path(DEFAULT_MIGRATIONS) / "models").iterdir()
             if MIGRATION_FILE.match(p.name)]
    return sorted(files, key=lambda name: int(MIGRATION_FILE.match(name).group(1)))


async def isolated(make: Callable[[], Awaitable[Any]]) -> Any:
    """Run a coroutine in a fresh contextvars context (its own Tortoise context), then give the
    session's Tortoise context back its dialect.

    Tortoise contexts hold their own connections, but two pieces of state are process-wide: each
    model's base query and filters (built for the dialect of the last `init`) and the executor's
    cache of INSERT/DELETE statements (keyed by connection name, "default" in both). Running
    SQLite migrations during a PostgreSQL session (or the reverse) would otherwise leave the
    session with the other dialect's SQL.
    """
    saved = dict(executor.EXECUTOR_CACHE)
    executor.EXECUTOR_CACHE.clear()
    # The session app's context is also Tortoise's global fallback. migrate() now opens its own
    # context (test_migrate_leaves_a_running_app_alone checks it), but the fallback stays hidden
    # meanwhile so that nothing here can reach the session's connections by accident.
    fallback = tortoise_context._global_context
    tortoise_context._global_context = None
    loop = asyncio.get_running_loop()
    try:
        return await loop.create_task(make(), context=contextvars.Context())
    finally:
        tortoise_context._global_context = fallback
        executor.EXECUTOR_CACHE.clear()
        executor.EXECUTOR_CACHE.update(saved)
        session = get_current_context()
        if session is not None and session.inited and session.apps is not None:
            session.apps._build_initial_querysets()


async def run_migrations(url: str) -> list[str]:
    return await isolated(lambda: migrate(Settings(DATABASE_URL=url), url))


async def generate_from_models(url: str) -> None:
    async def go() -> None:
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(Settings(DATABASE_URL=url), url))
            await ctx.generate_schemas(safe=False)

    await isolated(go)


def test_migration_files_are_numbered_from_zero():
    names = expected_migrations()
    assert len(names) >= 2
    assert names[0].endswith("_init.py") and names[1].endswith("_territory.py")
    assert [int(MIGRATION_FILE.match(n).group(1)) for n in names] == list(range(len(names)))


# ------------------------------------------------------------------ SQLite

def sqlite_columns(path: Path) -> dict[str, dict[str, tuple]]:
    """Type (a VARCHAR's length left out: SQLite neither enforces nor alters it, so a widened
    column, such as a program code's, has no SQLite migration), not null, pk position."""
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {
            t: {row[1]: (re.sub(r"^VARCHAR\(\d+\)$", "VARCHAR", row[2].upper()), bool(row[3]),
                         row[5])
                for row in db.execute(f'PRAGMA table_info("{t}")')}
            for t in tables
        }


def sqlite_indexes(path: Path) -> set[tuple]:
    """(table, columns, unique, partial) of every index, automatic ones included."""
    out = set()
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for t in tables:
            for _seq, name, unique, _origin, partial in db.execute(f'PRAGMA index_list("{t}")'):
                cols = tuple(r[2] for r in db.execute(f'PRAGMA index_info("{name}")'))
                out.add((t, cols, bool(unique), bool(partial)))
    return out


def sqlite_foreign_keys(path: Path) -> set[tuple]:
    out = set()
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        for t in tables:
            for row in db.execute(f'PRAGMA foreign_key_list("{t}")'):
                out.add((t, row[3], row[2], row[4], row[6]))  # from, table, to, on_delete
    return out


async def test_sqlite_migrations_apply_once_and_match_the_models(tmp_path):
    migrated = tmp_path / "migrated.db"
    generated = tmp_path / "generated.db"
    url = f"sqlite://{migrated}"

    applied = await run_migrations(url)
    assert applied == expected_migrations()
    assert await run_migrations(url) == []

    await generate_from_models(f"sqlite://{generated}")

    got, want = sqlite_columns(migrated), sqlite_columns(generated)
    assert set(got) == set(want), "tables differ between migrations and models"
    for table in want:
        assert got[table] == want[table], f"columns of {table} differ from the models"

    # every index and constraint the models declare exists after migration (which adds more)
    missing = sqlite_indexes(generated) - sqlite_indexes(migrated)
    assert not missing, missing
    assert sqlite_foreign_keys(migrated) == sqlite_foreign_keys(generated)

    with sqlite3.connect(migrated) as db:
        assert db.execute("SELECT count(*) FROM regions").fetchone() == (12,)
        assert db.execute("SELECT count(*) FROM provinces").fetchone() == (75,)
        region = db.execute("SELECT region_id FROM provinces WHERE code = '038'").fetchone()
        assert region == ("06",)
        versions = [r[0] for r in db.execute("SELECT version FROM aerich ORDER BY id")]
        assert versions == expected_migrations()
        partial = {r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '%WHERE%'")}
        assert {"uq_memberships_open_person", "uq_memberships_open_head"} <= partial


# ------------------------------------------------------------------ PostgreSQL

@pytest.fixture
async def postgres_server():
    server = await choose_server()
    if server is None:
        pytest.skip("no PostgreSQL server selected or reachable")
    return server


class FreshPostgres:
    def __init__(self, server: str) -> None:
        self.server = server
        self.name = f"sijill_migr_{secrets.token_hex(4)}"
        self.url = _with_db(server, self.name)

    async def __aenter__(self) -> FreshPostgres:
        conn = await asyncpg.connect(_with_db(self.server, "postgres"))
        try:
            await conn.execute(f'CREATE DATABASE "{self.name}"')
        finally:
            await conn.close()
        return self

    async def __aexit__(self, *exc) -> None:
        conn = await asyncpg.connect(_with_db(self.server, "postgres"))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        finally:
            await conn.close()

    async def connect(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.url)


async def pg_columns(conn: asyncpg.Connection) -> dict[str, dict[str, tuple]]:
    rows = await conn.fetch(
        """SELECT table_name, column_name, data_type, is_nullable, character_maximum_length,
                  numeric_precision, numeric_scale
             FROM information_schema.columns WHERE table_schema = 'public'"""
    )
    out: dict[str, dict[str, tuple]] = {}
    for r in rows:
        out.setdefault(r["table_name"], {})[r["column_name"]] = tuple(r.values())[2:]
    return out


async def pg_constraints(conn: asyncpg.Connection) -> set[tuple]:
    """(table, definition) of primary keys, unique and foreign-key constraints and indexes."""
    constraints = await conn.fetch(
        """SELECT conrelid::regclass::text AS t, pg_get_constraintdef(oid) AS d
             FROM pg_constraint WHERE contype IN ('p', 'u', 'f')
              AND connamespace = 'public'::regnamespace"""
    )
    indexes = await conn.fetch(
        """SELECT tablename AS t, regexp_replace(indexdef, 'INDEX \\S+ ON', 'INDEX ON') AS d
             FROM pg_indexes WHERE schemaname = 'public'"""
    )
    return {(r["t"], r["d"]) for r in [*constraints, *indexes]}


async def test_postgres_migrations_apply_once_and_match_the_models(postgres_server):
    async with FreshPostgres(postgres_server) as migrated, \
            FreshPostgres(postgres_server) as generated:
        applied = await run_migrations(migrated.url)
        assert applied == expected_migrations()
        assert await run_migrations(migrated.url) == []

        await generate_from_models(generated.url)

        a, b = await migrated.connect(), await generated.connect()
        try:
            got, want = await pg_columns(a), await pg_columns(b)
            assert set(got) == set(want), "tables differ between migrations and models"
            for table in want:
                assert got[table] == want[table], f"columns of {table} differ from the models"
            # every constraint and index the models declare exists after migration
            missing = await pg_constraints(b) - await pg_constraints(a)
            assert not missing, missing

            assert await a.fetchval("SELECT count(*) FROM regions") == 12
            assert await a.fetchval("SELECT count(*) FROM provinces") == 75
            rows = await a.fetch("SELECT version FROM aerich ORDER BY id")
            versions = [r["version"] for r in rows]
            assert versions == expected_migrations()
            names = {r["indexname"] for r in await a.fetch("SELECT indexname FROM pg_indexes")}
            assert {"uq_memberships_open_person", "uq_memberships_open_head"} <= names
            trigger = await a.fetchrow(
                "SELECT tgdeferrable, tginitdeferred FROM pg_trigger "
                "WHERE tgname = 'tg_memberships_one_head'")
            assert trigger is not None and trigger["tgdeferrable"] and trigger["tginitdeferred"]
        finally:
            await a.close()
            await b.close()


async def _household_of_two(conn: asyncpg.Connection) -> tuple[str, int, int]:
    """A household with an open HEAD and SPOUSE membership; returns (household id, head
    membership id, spouse membership id)."""
    person_sql = """
        INSERT INTO persons (idcs, nationality, first_name, last_name, sex, birth_date,
                             has_other_health_coverage, version, registered_at, updated_at,
                             registered_by)
        VALUES ($1, 'MA', 'A', 'B', 'FEMALE', DATE '1980-01-01', false, 1, now(), now(), 't')
        RETURNING id"""
    head = await conn.fetchval(person_sql, "1000000001")
    spouse = await conn.fetchval(person_sql, "1000000002")
    hid = await conn.fetchval(
        """INSERT INTO households (id, reference, commune, milieu, address, status, version,
                                   registered_at, updated_at, registered_by, declarant_id,
                                   province_id, region_id)
           VALUES (gen_random_uuid(), 'RSU-06-000000001', 'Anfa', 'URBAN', 'x', 'ACTIVE', 1,
                   now(), now(), 't', $1, '038', '06')
           RETURNING id""",
        head,
    )
    member_sql = """
        INSERT INTO memberships (relationship, schooling, has_disability, start_date, created_at,
                                 household_id, person_id)
        VALUES ($1, 'NOT_APPLICABLE', false, CURRENT_DATE, now(), $2, $3) RETURNING id"""
    async with conn.transaction():
        head_m = await conn.fetchval(member_sql, "HEAD", hid, head)
        spouse_m = await conn.fetchval(member_sql, "SPOUSE", hid, spouse)
    return hid, head_m, spouse_m


async def test_postgres_one_head_is_checked_at_commit(postgres_server):
    async with FreshPostgres(postgres_server) as db:
        await run_migrations(db.url)
        conn = await db.connect()
        try:
            hid, head_m, spouse_m = await _household_of_two(conn)
            end_head = ("UPDATE memberships SET end_date = CURRENT_DATE, "
                        "exit_reason = 'MOVED_OUT' WHERE id = $1")

            # ending the head's membership without naming a new head: the statement passes,
            # the commit fails
            tr = conn.transaction()
            await tr.start()
            await conn.execute(end_head, head_m)
            with pytest.raises(asyncpg.IntegrityConstraintViolationError) as failure:
                await tr.commit()
            assert failure.value.sqlstate == "23514"
            assert failure.value.constraint_name == "ck_households_one_head"
            open_heads = await conn.fetchval(
                "SELECT count(*) FROM memberships WHERE household_id = $1 AND end_date IS NULL "
                "AND relationship = 'HEAD'", hid)
            assert open_heads == 1  # rolled back

            # a member without a head, inserted alone, fails at commit too
            with pytest.raises(asyncpg.IntegrityConstraintViolationError):
                async with conn.transaction():
                    await conn.execute("UPDATE memberships SET relationship = 'SPOUSE' "
                                       "WHERE id = $1", head_m)

            # two open heads are refused at once by the partial unique index
            with pytest.raises(asyncpg.UniqueViolationError) as twice:
                async with conn.transaction():
                    await conn.execute("UPDATE memberships SET relationship = 'HEAD' "
                                       "WHERE id = $1", spouse_m)
            assert twice.value.constraint_name == "uq_memberships_open_head"

            # handing over the headship inside one transaction commits
            async with conn.transaction():
                await conn.execute(end_head, head_m)
                await conn.execute("UPDATE memberships SET relationship = 'HEAD' WHERE id = $1",
                                   spouse_m)
            heads = await conn.fetch(
                "SELECT id FROM memberships WHERE household_id = $1 AND end_date IS NULL "
                "AND relationship = 'HEAD'", hid)
            assert [r["id"] for r in heads] == [spouse_m]

            # ending the last membership leaves a household with no member: allowed
            async with conn.transaction():
                await conn.execute(end_head, spouse_m)
            assert await conn.fetchval(
                "SELECT count(*) FROM memberships WHERE household_id = $1 AND end_date IS NULL",
                hid) == 0
        finally:
            await conn.close()


async def _commit_without_head(url: str) -> tuple[Exception | None, int]:
    """Through Tortoise, as the services write: demote the head inside `in_transaction()`.
    Returns the exception raised and the number of open heads afterwards."""
    from tortoise.transactions import in_transaction

    from api.models import Membership

    conn = await asyncpg.connect(url)
    try:
        hid, head_m, _ = await _household_of_two(conn)
    finally:
        await conn.close()

    async def go() -> Exception | None:
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(Settings(DATABASE_URL=url), url))
            try:
                async with in_transaction():
                    await Membership.filter(id=head_m).update(relationship="SPOUSE")
            except Exception as exc:  # noqa: BLE001 - the type is what is checked
                return exc
            return None

    exc = await isolated(go)
    conn = await asyncpg.connect(url)
    try:
        heads = await conn.fetchval(
            "SELECT count(*) FROM memberships WHERE household_id = $1 AND end_date IS NULL "
            "AND relationship = 'HEAD'", hid)
    finally:
        await conn.close()
    return exc, heads


async def test_postgres_deferred_violation_fails_the_tortoise_transaction(postgres_server):
    from tortoise.exceptions import IntegrityError

    async with FreshPostgres(postgres_server) as db:
        await run_migrations(db.url)
        exc, heads = await _commit_without_head(db.url)
        assert isinstance(exc, IntegrityError | asyncpg.IntegrityConstraintViolationError), exc
        assert heads == 1  # nothing was committed


async def test_postgres_deferred_violation_is_translated_to_conflict(postgres_server):
    from api.errors import Conflict
    from api.services import integrity

    async with FreshPostgres(postgres_server) as db:
        await run_migrations(db.url)
        exc, _ = await _commit_without_head(db.url)
        assert isinstance(exc, integrity.IntegrityError), type(exc)
        assert isinstance(integrity.translate(exc), Conflict)


# ------------------------------------------------------------------ the session is untouched

async def test_session_survives_migrations_of_other_databases(gql, tokens, tmp_path):
    """The session app writes and reads before and after migrating other databases of both
    dialects (the process-wide Tortoise state is given back)."""
    from api.models import Household, Person
    from tests import factories

    admin = tokens.admin()
    before = await factories.register_household(gql, admin, children=0)

    server = await choose_server()
    if server is not None:
        async with FreshPostgres(server) as other:
            assert await run_migrations(other.url) == expected_migrations()
    assert await run_migrations(f"sqlite://{tmp_path / 'other.db'}") == expected_migrations()
    await generate_from_models(f"sqlite://{tmp_path / 'other-generated.db'}")

    after = await factories.register_household(gql, admin, children=1)
    data = await gql.data("query { households(first: 10) { totalCount edges { node { id size } } } "
                          "regions { code } }", {}, admin)
    assert data["households"]["totalCount"] == 2
    assert {e["node"]["id"] for e in data["households"]["edges"]} == {before["id"], after["id"]}
    assert len(data["regions"]) == 12
    assert await Household.all().count() == 2
    assert await Person.all().count() == 5


RUNNING_APP_SCRIPT = r"""
import asyncio, contextvars, json, sys
from tortoise import Tortoise
from api.db import tortoise_config
from api.services.migrations import migrate
from api.settings import Settings

async def main(app_db, other_db):
    app = Settings(DATABASE_URL="sqlite://" + app_db)
    await migrate(app)
    # a running app: Tortoise initialised with a global fallback, as RegisterTortoise does
    await Tortoise.init(config=tortoise_config(app), _enable_global_fallback=True)
    other = "sqlite://" + other_db
    applied = await asyncio.get_running_loop().create_task(
        migrate(Settings(DATABASE_URL=other), other), context=contextvars.Context())
    from api.models import Region
    try:
        regions = await Region.all().count()
    except Exception as exc:
        regions = type(exc).__name__
    finally:
        await Tortoise.close_connections()
    print(json.dumps({"applied": applied, "regions": regions}))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def test_migrate_leaves_a_running_app_alone(tmp_path):
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", RUNNING_APP_SCRIPT, str(tmp_path / "app.db"),
         str(tmp_path / "other.db")],
        capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["applied"] == expected_migrations(), outcome  # the given database migrated
    assert outcome["regions"] == 12, outcome  # and the app's context still answers
