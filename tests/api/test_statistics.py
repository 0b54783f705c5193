"""registryStatistics: aggregates for auditors, small counts suppressed."""

import asyncio
import contextvars

import pytest

from api.seed import seed
from api.services.suppression import ROOT

pytestmark = pytest.mark.e2e

QUERY = "query($g: StatisticsGrouping!) { registryStatistics(groupBy: $g) { key label households persons } }"


async def test_counts_by_region_add_up_and_small_groups_are_null(gql, tokens):
    await seed(households=300, seed=3)
    rows = (await gql.data(QUERY, {"g": "REGION"}, tokens.auditor()))["registryStatistics"]
    assert {r["key"] for r in rows} == {f"{i:02d}" for i in range(1, 13)}
    shown = [r for r in rows if r["households"] is not None]
    assert all(r["households"] >= 10 for r in shown)
    hidden = [r for r in rows if r["households"] is None]
    assert hidden, "Dakhla and Laayoune hold fewer than 10 of 300 households"
    from api.models import Household

    assert sum(r["households"] for r in shown) <= await Household.exclude(status="CLOSED").count()


async def test_milieu_and_index_bands(gql, tokens):
    await seed(households=300, seed=4)
    milieu = (await gql.data(QUERY, {"g": "MILIEU"}, tokens.auditor()))["registryStatistics"]
    assert {r["key"] for r in milieu} == {"RURAL", "URBAN"}
    assert sum(r["households"] for r in milieu) == 300
    bands = (await gql.data(QUERY, {"g": "INDEX_BAND"}, tokens.auditor()))["registryStatistics"]
    assert all(r["label"].startswith("[") for r in bands)
    assert sum(r["households"] or 0 for r in bands) <= 300


async def test_a_group_of_fewer_than_ten_is_null(gql, tokens):
    from tests import factories

    await factories.register_household(gql, tokens.admin())
    rows = (await gql.data(QUERY, {"g": "PROVINCE"}, tokens.auditor()))["registryStatistics"]
    assert rows == [{"key": "038", "label": "Casablanca", "households": None, "persons": None}]


@pytest.mark.parametrize("role", ["registrar", "citizen", "program"])
async def test_only_auditors_and_admins_read_statistics(gql, tokens, role):
    token = {"registrar": tokens.registrar("038"), "citizen": tokens.citizen("1234567897"),
             "program": tokens.program("ASD")}[role]
    body = await gql(QUERY, {"g": "REGION"}, token)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_every_aggregate_is_read_from_one_snapshot(gql, tokens, database, monkeypatch):
    """A registration committed between two of the aggregates is seen by none of them: the
    tables protected together add up to one total, as they did when the first was read."""
    if database.engine != "postgres":
        pytest.skip("SQLite serialises the registration behind the statistics' transaction")
    from api.models import Household
    from api.services import statistics
    from tests import factories

    await seed(households=40, seed=5)
    before = await Household.exclude(status="CLOSED").count()
    counts, reads = statistics._counts, []
    elsewhere = contextvars.copy_context()  # another request's: outside the transaction

    async def a_registration_after_the_first_read(*args, **kwargs):
        rows = await counts(*args, **kwargs)
        reads.append(rows)
        if len(reads) == 1:  # committed on another connection, between two reads
            await asyncio.get_running_loop().create_task(
                factories.register_household(gql, tokens.admin()), context=elsewhere)
        return rows

    protected = []
    protect = statistics.protect
    monkeypatch.setattr(statistics, "_counts", a_registration_after_the_first_read)
    monkeypatch.setattr(statistics, "protect", lambda trees: protected.extend(trees) or
                        protect(trees))
    await statistics.registry_statistics("PROVINCE")
    assert len(reads) == 3
    assert await Household.exclude(status="CLOSED").count() == before + 1
    assert [tree.counts[ROOT][0] for tree in protected] == [before] * 3


async def test_the_aggregates_are_read_in_one_repeatable_read_transaction(database, app,
                                                                          monkeypatch):
    """One connection for every read, in a read-only transaction that keeps its snapshot
    (PostgreSQL's default, READ COMMITTED, takes a new one for each statement)."""
    from tortoise.backends.base.client import TransactionalDBClient

    from api.services import statistics

    connections = []
    counts = statistics._counts

    async def on_which_connection(conn, expression):
        connections.append(conn)
        if database.engine == "postgres":
            _, rows = await conn.execute_query(
                "SELECT current_setting('transaction_isolation') AS isolation, "
                "current_setting('transaction_read_only') AS read_only, "
                "pg_backend_pid() AS pid")
            states.append(tuple(rows[0].values()))
        return await counts(conn, expression)

    states: list[tuple] = []
    monkeypatch.setattr(statistics, "_counts", on_which_connection)
    await statistics.registry_statistics("MILIEU")
    assert len(connections) == 3 and all(conn is connections[0] for conn in connections)
    assert isinstance(connections[0], TransactionalDBClient)
    if database.engine == "postgres":
        assert len(set(states)) == 1 and states[0][:2] == ("repeatable read", "on"), states
