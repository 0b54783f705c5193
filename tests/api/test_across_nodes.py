"""What must hold across nodes (contract §14), shown with two apps over one database, each with
its own workers' state: a caller's rate limit is one allowance whatever node answers, and a
node whose access policy is not the version in force answers nothing — neither once it knows
(503, and its /healthz too) nor in the moment before it knows (the database refuses the audit
record of its answer, so the answer never leaves, and a mutation is rolled back)."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import httpx
import pytest
from tortoise import Tortoise

from api.http.app import create_app
from api.models import AuditEvent, Person
from api.schema.schema import access_policy
from api.services import deployment
from api.settings import Settings
from tests import factories

pytestmark = pytest.mark.e2e

PROGRAMS = "{ programs { code } }"


@pytest.fixture
def postgres_only(database):
    if database.engine != "postgres":
        pytest.skip("shared buckets and the policy check live in PostgreSQL")


@pytest.fixture
async def gate(app):
    """The session's node with the gate on (production's default); afterwards off again and
    nothing published, as the rest of the suite runs."""
    freshness = app.state.graphql.freshness
    freshness.enabled = True
    await freshness.start()
    yield freshness
    freshness.enabled = False
    freshness.in_force = None
    await Tortoise.get_connection("default").execute_query("DELETE FROM deployment_versions")


def _node(database, **settings) -> object:
    return create_app(Settings(DATABASE_URL=database.url, SIJILL_REFUSAL_RATE="none",
                               **settings))


async def _ask(app, token: str, query: str = PROGRAMS) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                 base_url="http://node") as client:
        return await client.post("/graphql", json={"query": query},
                                 headers={"Authorization": f"Bearer {token}"})


async def _statuses(nodes, token: str, n: int) -> list[int]:
    return [(await _ask(nodes[i % len(nodes)], token)).status_code for i in range(n)]


@pytest.mark.parametrize("store,allowed", [("database", 4), ("worker", 8)])
async def test_a_callers_allowance_is_one_whatever_node_answers(app, database, tokens,
                                                                postgres_only, store, allowed):
    """Burst 4 at one request per 1 000 s: through two nodes taken in turn, the shared buckets
    allow 4 in all; each worker's own would allow 4 each."""
    await Tortoise.get_connection("default").execute_query("DELETE FROM rate_buckets")
    nodes = [_node(database, SIJILL_RATE_LIMITS="admin=0.001/4", SIJILL_RATE_LIMIT_STORE=store)
             for _ in range(2)]
    token = tokens.make(["admin"], f"admin-{uuid.uuid4().hex[:8]}")
    # (their lifespans are the session app's: one Tortoise per process)
    statuses = await _statuses(nodes, token, 10)
    assert statuses == [200] * allowed + [429] * (10 - allowed)


async def test_the_shared_bucket_refills_by_the_databases_clock(app, database, tokens,
                                                                postgres_only):
    conn = Tortoise.get_connection("default")
    caller = f"clock-{uuid.uuid4().hex[:8]}"

    async def take() -> float:
        return float((await conn.execute_query("SELECT sijill_take_token($1, 2, 3)",
                                               [caller]))[1][0][0])

    assert [await take() for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = await take()
    assert 0 < wait <= 0.5  # one token at two per second
    # a second and a half later by the database's clock: three tokens again, not more
    await conn.execute_query("UPDATE rate_buckets SET at = at - interval '1.5 seconds' "
                             "WHERE caller = $1", [caller])
    assert [await take() for _ in range(4)][:3] == [0.0, 0.0, 0.0]
    assert await take() > 0


async def test_a_node_that_knows_its_policy_is_not_in_force_answers_503_and_fails_health(
        app, http, database, tokens, postgres_only, gate):
    freshness = gate
    assert freshness.in_force == access_policy().version  # published by the first node
    await deployment.publish("0" * 16, "a newer release")
    await freshness.refresh()
    answer = await http.post("/graphql", json={"query": PROGRAMS},
                             headers={"Authorization": f"Bearer {tokens.admin()}"})
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "1"
    assert answer.json()["errors"][0]["extensions"]["code"] == "INTERNAL"
    assert "data" not in answer.json()
    health = await http.get("/healthz")
    assert health.status_code == 503
    assert health.json() == {"status": "stale", "policyVersion": access_policy().version,
                             "inForce": "0" * 16}
    # publishing this node's version brings it back
    await deployment.publish(access_policy().version, "rollback")
    await freshness.refresh()
    assert (await http.get("/healthz")).status_code == 200
    assert (await http.post("/graphql", json={"query": PROGRAMS},
                            headers={"Authorization": f"Bearer {tokens.admin()}"})
            ).status_code == 200


async def test_before_a_node_knows_no_answer_leaves_and_no_write_stays(
        app, http, gql, database, tokens, postgres_only, gate):
    """The node still believes its version is in force: the database refuses its answers'
    audit records, so a read answers 503 without data and a mutation is rolled back."""
    admin = tokens.admin()
    idcs = await factories.register_person(gql, admin)
    await deployment.publish("0" * 16, "a newer release")  # the node has not refreshed
    assert not gate.stale

    read = await http.post("/graphql", json={"query": "query($i: String!) { person(idcs: $i) "
                                                      "{ firstName } }",
                                             "variables": {"i": idcs}},
                           headers={"Authorization": f"Bearer {admin}"})
    assert read.status_code == 503 and "data" not in read.json()
    assert not await AuditEvent.filter(request_id=read.headers["x-request-id"]).exists()

    persons = await Person.all().count()
    registration = await http.post(
        "/graphql", headers={"Authorization": f"Bearer {admin}"},
        json={"query": factories.REGISTER_PERSON, "variables": {"input": factories.person_input()}})
    assert registration.status_code == 503 and "data" not in registration.json()
    assert await Person.all().count() == persons


async def test_a_publication_waits_for_the_answers_checked_under_the_previous_version(
        app, database, postgres_only, gate):
    own = access_policy().version
    dsn = database.url.split("?", 1)[0]
    checker = await asyncpg.connect(dsn)
    try:
        transaction = checker.transaction()
        await transaction.start()
        await checker.execute("SELECT sijill_check_policy_version($1)", [own])
        publication = asyncio.create_task(deployment.publish("0" * 16, "a newer release"))
        done, _ = await asyncio.wait({publication}, timeout=0.5)
        assert not done, "the publication did not wait for a transaction that checked"
        await transaction.commit()
        await asyncio.wait_for(publication, timeout=10)
        # checked after it: refused
        with pytest.raises(asyncpg.PostgresError) as refused:
            await checker.execute("SELECT sijill_check_policy_version($1)", [own])
        assert refused.value.sqlstate == deployment.STALE_SQLSTATE
    finally:
        await checker.close()


async def test_the_first_node_publishes_its_version_and_a_node_without_the_gate_none(
        app, database, postgres_only, gate):
    """The gate fixture's node started on an empty database: its version is in force. A node
    with the gate off (outside production, by default) publishes nothing and is never
    stale; production turns the gate on unless told otherwise."""
    assert (await deployment.in_force()).version == access_policy().version
    await Tortoise.get_connection("default").execute_query("DELETE FROM deployment_versions")
    off = deployment.Freshness(lambda: "another", interval=1, enabled=False, node="dev")
    await off.start()
    assert await deployment.in_force() is None and not off.stale
    assert Settings(SIJILL_ENV="production").policy_gate_enabled
    assert not Settings().policy_gate_enabled
    assert Settings(SIJILL_POLICY_GATE="true").policy_gate_enabled


async def test_a_shared_bucket_that_does_not_answer_leaves_the_decision_to_the_worker(
        app, database, postgres_only):
    """A database that holds the statement (a failover, a lock) costs a request at most the
    limiter's timeout: the worker's bucket decides, and for a few seconds the database is not
    asked; the statement given up on finishes on its own."""
    from api.http import ratelimit

    # a refill too slow to matter (one token in 1 000 s): the token the abandoned statement
    # takes stays taken, however long the machine takes to run it
    limiter = ratelimit.SharedRateLimiter(ratelimit.parse_rates("admin=0.001/100"), shared=True)
    caller = f"held-{uuid.uuid4().hex[:8]}"
    assert await limiter.take(caller, "admin") == 0.0  # the bucket's row exists
    holder = await asyncpg.connect(database.url.split("?", 1)[0])
    try:
        transaction = holder.transaction()
        await transaction.start()
        await holder.execute("SELECT 1 FROM rate_buckets WHERE caller = $1 FOR UPDATE", caller)
        assert await limiter.take(caller, "admin") == 0.0  # waited, then the worker decided
        assert limiter._skip_until > 0
        skipped_from = limiter._skip_until
        assert await limiter.take(caller, "admin") == 0.0
        assert limiter._skip_until == skipped_from  # not asked again meanwhile
        await transaction.rollback()
    finally:
        await holder.close()
    await asyncio.sleep(0.2)  # the statement given up on takes its token once the row is free
    tokens = await Tortoise.get_connection("default").execute_query_dict(
        "SELECT tokens FROM rate_buckets WHERE caller = $1", [caller])
    assert tokens and tokens[0]["tokens"] < 99
