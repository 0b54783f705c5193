"""registryStatistics: aggregates for auditors, small counts suppressed."""

import pytest

from api.services.seed import seed

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
