"""The service runs as a database role that may only INSERT and SELECT the audit tables
(contract §7a): an administrator's rewrite needs the owner, and the service's own credentials
cannot change history."""

from __future__ import annotations

import secrets

import asyncpg
import httpx
import pytest

from api.schema.schema import access_policy
from api.services import audit
from api.services.audit import verify_chain
from api.services.dbroles import APPEND_ONLY_TABLES, WRITE_ONLY_TABLES, grants_sql
from tests import factories
from tests.api.test_audit_workers import ROOT, _wait_until_ready, free_port  # noqa: F401
from tests.db import _with_db

pytestmark = pytest.mark.e2e


@pytest.fixture
async def app_role(database, app):
    if database.engine != "postgres":
        pytest.skip("SQLite has no roles: a file's permissions are the whole story")
    role = f"sijill_app_{secrets.token_hex(3)}"
    owner = await asyncpg.connect(database.url)
    try:
        await owner.execute(f"CREATE ROLE {role} LOGIN")
        await owner.execute(grants_sql(role))
        url = _with_db(database.url, database.name).replace("postgres@", f"{role}@", 1)
        yield role, url, owner
    finally:
        await owner.execute(f"REASSIGN OWNED BY {role} TO CURRENT_USER; DROP OWNED BY {role}; "
                            f"DROP ROLE {role}")
        await owner.close()


async def test_the_service_role_cannot_rewrite_the_audit_log(app_role, gql, tokens):
    role, url, owner = app_role
    await gql("query W { me { subject } }", None, tokens.admin())  # at least one record
    service = await asyncpg.connect(url)
    try:
        assert await service.fetchval("SELECT count(*) FROM audit_events") >= 1
        for statement in ("UPDATE audit_events SET actor = 'mallory'",
                          "DELETE FROM audit_events", "TRUNCATE audit_events",
                          "UPDATE audit_subjects SET subject = 'x'",
                          "DELETE FROM audit_verified_points"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
                await service.execute(statement)
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="must be owner"):
            await service.execute("ALTER TABLE audit_events DISABLE TRIGGER USER")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await service.execute("CREATE TABLE forged (id int)")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await service.execute("UPDATE regions SET name = 'x'")
    finally:
        await service.close()


async def test_every_audit_table_is_append_only_for_the_service_role(app_role):
    """A migration adding an audit table must leave it append-only for the service: the grants
    cover every `audit_` table there is."""
    role, _, owner = app_role
    tables = [r["tablename"] for r in await owner.fetch(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename LIKE 'audit%'")]
    assert sorted(tables) == sorted(APPEND_ONLY_TABLES)
    for table in tables:
        allowed = {p for p in ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
                   if await owner.fetchval("SELECT has_table_privilege($1, $2, $3)",
                                           role, table, p)}
        expected = {"INSERT"} if table in WRITE_ONLY_TABLES else {"SELECT", "INSERT"}
        assert allowed == expected, (table, allowed)


async def test_the_service_role_queues_records_it_cannot_read_or_drop(app_role, gql, tokens):
    """A mutation's record waits in `audit_queue` between its commit and its sequencing: the
    service may add to the queue (and see the ids it waits on, nothing else), and only the
    sequencer (running with the owner's rights) empties it into the chain."""
    _, url, owner = app_role
    await factories.register_person(gql, tokens.admin())
    service = await asyncpg.connect(url)
    try:
        for statement in ("SELECT actor, subjects FROM audit_queue", "DELETE FROM audit_queue",
                          "UPDATE audit_queue SET actor = 'mallory'", "TRUNCATE audit_queue"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await service.execute(statement)
        before = await owner.fetchval("SELECT max(sequence) FROM audit_events")
        record = audit.AuditRecord(
            actor="queued-by-the-role", roles=["registrar"], program=None, purpose=None,
            operation="registerPerson", operation_type="mutation", fields=[],
            subjects=["123456789"], outcome="ALLOWED", error_code=None, request_id="r-queued",
            policy_version=access_policy().version)
        queued = await service.fetchval(audit._ENQUEUE, *audit._columns([record]))
        assert await service.fetchval("SELECT sijill_sequence_audit($1)", queued) == 1
        assert await owner.fetchval("SELECT count(*) FROM audit_queue") == 0
        assert await owner.fetchval("SELECT max(sequence) FROM audit_events") == before + 1
        assert await owner.fetchval(
            "SELECT subject FROM audit_subjects WHERE sequence = $1", before + 1) == "123456789"
        assert (await verify_chain()).valid
    finally:
        await service.close()


async def test_the_api_serves_as_the_service_role(app_role, settings, tokens, database):
    """Registrations, lookups, `auditChain` and the audit records all work as the role."""
    import asyncio
    import os
    import signal
    import subprocess
    import sys
    import tempfile

    _, url, _ = app_role
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SIJILL_JWT_SECRET": settings.jwt_secret,
           "SIJILL_RATE_LIMITS": "none"}
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen([sys.executable, "-m", "api.cli", "run", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)

        def server_log() -> str:
            log.seek(0)
            return log.read().decode(errors="replace")[-4000:]

        try:
            base = f"http://127.0.0.1:{port}"
            await _wait_until_ready(base, proc, server_log)
            async with httpx.AsyncClient(base_url=base, timeout=20) as client:
                async def call(query, variables, token):
                    response = await client.post(
                        "/graphql", json={"query": query, "variables": variables},
                        headers={"Authorization": f"Bearer {token}"})
                    body = response.json()
                    assert not body.get("errors"), (body, server_log())
                    return body["data"]

                admin = tokens.admin()
                person = await call("mutation($i: RegisterPersonInput!) { registerPerson(input: "
                                    "$i) { idcs } }", {"i": factories.person_input()}, admin)
                idcs = person["registerPerson"]["idcs"]
                await call("query($i: String!) { eligibility(program: ASD, idcs: $i) "
                           "{ reasons } }", {"i": idcs}, tokens.program("ASD"))
                chain = await call("{ auditChain { valid length } }", None, tokens.auditor())
                assert chain["auditChain"]["valid"], server_log()
        finally:
            proc.terminate()
            try:
                await asyncio.to_thread(proc.wait, 15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
    assert (await verify_chain()).valid


async def test_the_service_role_cannot_create_even_where_everyone_once_could(database, app):
    """A cluster upgraded from before PostgreSQL 15 lets every role create in `public`: the
    grants take that away from the service's role."""
    if database.engine != "postgres":
        pytest.skip("SQLite has no roles")
    role = f"sijill_app_{secrets.token_hex(3)}"
    owner = await asyncpg.connect(database.url)
    try:
        await owner.execute(f"CREATE ROLE {role} LOGIN; GRANT CREATE ON SCHEMA public TO PUBLIC;"
                            f"GRANT CREATE ON SCHEMA public TO {role}")
        await owner.execute(grants_sql(role))
        service = await asyncpg.connect(
            _with_db(database.url, database.name).replace("postgres@", f"{role}@", 1))
        try:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await service.execute("CREATE FUNCTION forged() RETURNS int LANGUAGE sql "
                                      "AS 'SELECT 1'")
        finally:
            await service.close()
    finally:
        await owner.execute(f"REASSIGN OWNED BY {role} TO CURRENT_USER; DROP OWNED BY {role}; "
                            f"DROP ROLE {role}")
        await owner.close()


async def test_the_grants_fail_loudly_when_they_cannot_take_create_away(database, app):
    """Where `public` belongs to someone else and everyone may create there (a cluster from
    before PostgreSQL 15), the owner's revokes take nothing away: the grants stop with the
    one-time step a superuser must take, instead of leaving the role able to create."""
    if database.engine != "postgres":
        pytest.skip("SQLite has no roles")
    role, owner_role = (f"sijill_{kind}_{secrets.token_hex(3)}" for kind in ("app", "own"))
    superuser = await asyncpg.connect(database.url)
    try:
        await superuser.execute(
            f"CREATE ROLE {role} LOGIN; CREATE ROLE {owner_role} LOGIN;"
            f"GRANT CREATE ON SCHEMA public TO PUBLIC;"
            f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {owner_role} WITH GRANT OPTION")
        owner = await asyncpg.connect(
            _with_db(database.url, database.name).replace("postgres@", f"{owner_role}@", 1))
        try:
            with pytest.raises(asyncpg.RaiseError, match="ALTER SCHEMA public OWNER"):
                await owner.execute(grants_sql(role))
        finally:
            await owner.close()
    finally:
        await superuser.execute(
            f"REVOKE CREATE ON SCHEMA public FROM PUBLIC;"
            f"REASSIGN OWNED BY {role}, {owner_role} TO CURRENT_USER;"
            f"DROP OWNED BY {role}, {owner_role}; DROP ROLE {role}; DROP ROLE {owner_role}")
        await superuser.close()


async def test_the_service_role_refreshes_the_simulation_copy_that_others_cannot(app_role,
                                                                                 database):
    """The refresh empties and refills a copy the service's role may not truncate: it runs
    with the owner's rights (SECURITY DEFINER), for the roles granted it, not for PUBLIC."""
    role, url, owner = app_role
    service = await asyncpg.connect(url)
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await service.execute("TRUNCATE simulation_facts_a")
        async with service.transaction(isolation="repeatable_read"):
            assert await service.fetchval("SELECT sijill_refresh_simulation_facts()") >= 0
        assert await service.fetchval("SELECT current FROM simulation_facts_state") in "ab"
    finally:
        await service.close()
    other = f"sijill_other_{secrets.token_hex(3)}"
    await owner.execute(f"CREATE ROLE {other} LOGIN")
    try:
        stranger = await asyncpg.connect(url.replace(f"{role}@", f"{other}@", 1))
        try:
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await stranger.execute("BEGIN ISOLATION LEVEL REPEATABLE READ; "
                                       "SELECT sijill_refresh_simulation_facts()")
        finally:
            await stranger.close()
    finally:
        await owner.execute(f"DROP ROLE {other}")


async def test_the_service_role_cannot_replace_the_access_policy_in_force(app_role):
    """Only the owner publishes a version (`sijill policy publish`); the service's role may read
    it, and publish the first one, never replace or remove one (which would turn the gate off)."""
    _, url, owner = app_role
    await owner.execute("DELETE FROM deployment_versions")
    service = await asyncpg.connect(url)
    try:
        assert await service.fetchval("SELECT sijill_publish_first_policy('aaaa', 'node1')") \
            == "aaaa"
        assert await service.fetchval("SELECT sijill_publish_first_policy('bbbb', 'node2')") \
            == "aaaa"  # never replaced
        for statement in ("UPDATE deployment_versions SET version = 'bbbb'",
                          "DELETE FROM deployment_versions",
                          "INSERT INTO deployment_versions VALUES ('x', 'y', now(), 'z')"):
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
                await service.execute(statement)
        assert await service.fetchval("SELECT version FROM deployment_versions") == "aaaa"
    finally:
        await service.close()
        await owner.execute("DELETE FROM deployment_versions")


async def test_the_grants_can_be_applied_by_the_command_line(database, app):
    """`sijill db grants ROLE --apply` (the production compose file's migrate step) runs the
    same statements on DATABASE_URL as printing them and piping them to psql would."""
    if database.engine != "postgres":
        pytest.skip("SQLite has no roles")
    import os
    import subprocess
    import sys

    role = f"sijill_cli_{secrets.token_hex(3)}"
    owner = await asyncpg.connect(database.url)
    try:
        await owner.execute(f"CREATE ROLE {role} LOGIN")
        result = subprocess.run(
            [sys.executable, "-m", "api.cli", "db", "grants", role, "--apply"],
            env={**os.environ, "DATABASE_URL": database.url}, capture_output=True, text=True,
            timeout=120, check=False)
        assert result.returncode == 0, result.stderr
        assert await owner.fetchval("SELECT has_table_privilege($1, 'persons', 'INSERT')", role)
        assert not await owner.fetchval(
            "SELECT has_table_privilege($1, 'audit_events', 'UPDATE')", role)
        assert not await owner.fetchval(
            "SELECT has_table_privilege($1, 'deployment_versions', 'UPDATE')", role)
    finally:
        await owner.execute(f"REASSIGN OWNED BY {role} TO CURRENT_USER; DROP OWNED BY {role}; "
                            f"DROP ROLE {role}")
        await owner.close()
