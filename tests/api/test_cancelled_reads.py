"""A request whose root fields run together, one of them failing while another counts a
program's lookups: the failure cancels its sibling midway, and the lookups' write must still end
cleanly — on SQLite, a write torn by the cancellation held the connection's lock and every
request after it waited forever."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from api.identifiers import new_idcs

pytestmark = pytest.mark.e2e

DOCUMENT = ("query($i: String!) { enrollments(program: AMO_TADAMON, first: 101) { totalCount } "
            "eligibility(program: ASD, idcs: $i) { formulaVersion } }")


async def test_a_cancelled_count_of_lookups_leaves_the_database_usable(http, tokens):
    token = {"Authorization": f"Bearer {tokens.program('ASD')}"}
    for _ in range(5):
        answer = await asyncio.wait_for(http.post(
            "/graphql", json={"query": DOCUMENT, "variables": {"i": new_idcs()}},
            headers=token), 20)
        assert answer.json()["data"] is None
    after = await asyncio.wait_for(http.post(
        "/graphql", json={"query": "{ me { subject } }"}, headers=token), 20)
    assert after.json() == {"data": {"me": {"subject": "agency-ASD"}}}


async def test_a_cancelled_statistics_snapshot_leaves_the_database_usable(http, tokens):
    token = {"Authorization": f"Bearer {tokens.admin()}"}
    document = ("{ enrollments(program: AMO_TADAMON, first: 101) { totalCount } "
                "registryStatistics(groupBy: REGION) { key households } }")
    for _ in range(5):
        answer = await asyncio.wait_for(http.post("/graphql", json={"query": document},
                                                  headers=token), 20)
        assert answer.json()["data"] is None
    after = await asyncio.wait_for(http.post(
        "/graphql", json={"query": "{ me { subject } }"}, headers=token), 20)
    assert after.json() == {"data": {"me": {"subject": "admin-1"}}}


async def test_a_query_cancelled_midway_leaves_no_lock_behind(app, database):
    """A statement whose caller is cancelled between its parse and its execution (a sibling field
    failed, the client went away) must not leave its pooled connection in the middle of the
    protocol: the server would hold the statement's locks until the connection's next use, and a
    TRUNCATE or a migration would wait for them. Cancelled at random points, many times: the
    window is a round trip wide."""
    if database.engine != "postgres":
        pytest.skip("PostgreSQL's extended query protocol")
    import random

    import asyncpg
    from tortoise import Tortoise

    client = Tortoise.get_connection("default")
    monitor = await asyncpg.connect(database.url)
    pick = random.Random(7)

    async def stuck() -> int:
        return await monitor.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND state = 'active' AND wait_event = 'ClientRead'")

    try:
        for i in range(1500):
            # a new text each time: parsed (prepared) before it runs
            task = asyncio.ensure_future(client.execute_query(
                f"SELECT count(*) FROM persons WHERE id > {i}"))
            await asyncio.sleep(pick.random() * 0.002)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            if await stuck():
                await asyncio.sleep(0.3)  # a cancellation on its way ends by itself
                assert not await stuck(), f"a connection left mid-statement after {i + 1} tries"
    finally:
        await monitor.close()


async def test_requests_cancelled_midway_leave_the_database_usable(app, http, gql, tokens,
                                                                 database, monkeypatch):
    """Requests whose callers went away while the read engine waited on their queries (a
    household with its members): each query is cancelled as a task's
    would be, its connection goes back to the pool clean, and the next request is answered."""
    import random

    import asyncpg

    from tests import factories

    admin = {"Authorization": f"Bearer {tokens.admin()}"}
    household = await factories.register_household(gql, tokens.admin())
    document = "query($id: ID!) { household(id: $id) { id size members { person { idcs } } } }"
    pick = random.Random(11)
    body = {"query": document, "variables": {"id": household["id"]}}
    engine = app.state.graphql.engine
    monkeypatch.setattr(app.state.graphql, "fast_path", None)  # the engine answers it
    answered = engine.answered
    began = asyncio.get_running_loop().time()
    await http.post("/graphql", json=body, headers=admin)
    took = asyncio.get_running_loop().time() - began
    assert engine.answered == answered + 1, "the read engine did not answer the document"
    monitor = await asyncpg.connect(database.url) if database.engine == "postgres" else None
    try:
        for _ in range(300):  # cut at a random point of a request's time
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(http.post("/graphql", json=body, headers=admin),
                                       pick.random() * took)
        await asyncio.sleep(0.3)
        if monitor is not None:
            from tortoise import Tortoise

            pool = Tortoise.get_connection("default")._pool
            assert pool.get_idle_size() == pool.get_size(), "a connection never came back"
            assert not await monitor.fetchval(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                "pid <> pg_backend_pid() AND state = 'active' AND wait_event = 'ClientRead'")
    finally:
        if monitor is not None:
            await monitor.close()
    answer = await asyncio.wait_for(http.post(
        "/graphql", json={"query": document, "variables": {"id": household["id"]}},
        headers=admin), 20)
    assert answer.json()["data"]["household"]["id"] == household["id"]
