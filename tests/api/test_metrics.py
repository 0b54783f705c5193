"""GET /metrics: Prometheus text with per-operation counts and latency, audit-write latency."""

from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.observability import metrics

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_operation_names(monkeypatch):
    """The 200-name cap is per process: the rest of the suite may have used it up."""
    monkeypatch.setattr(metrics, "_names", set())


async def test_metrics_count_operations_by_name_and_outcome(gql, http, tokens):
    await gql("query ListPrograms { programs { code } }", {}, tokens.admin())
    await gql('query Peek { person(idcs: "1234567897") { phone } }', {}, tokens.program("ASD"))
    response = await http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert ('sijill_graphql_requests_total{operation="ListPrograms",operation_type="query",'
            'outcome="ALLOWED"}') in text
    assert 'operation="Peek",operation_type="query",outcome="DENIED"' in text
    assert 'sijill_graphql_request_seconds_bucket{le="0.005",operation="ListPrograms"' in text \
        or 'sijill_graphql_request_seconds_bucket{operation="ListPrograms"' in text
    assert "sijill_audit_write_seconds_count" in text
    assert "1234567897" not in text


DOCUMENTED = {
    # family name (as the parser reports it) -> its labels
    "sijill_graphql_requests": {"operation", "operation_type", "outcome"},
    "sijill_graphql_request_seconds": {"operation", "operation_type"},
    "sijill_audit_write_seconds": set(),
    "sijill_db_pool_connections": set(),
    "sijill_db_pool_connections_in_use": set(),
    "sijill_db_pool_connections_idle": set(),
    "sijill_db_pool_max_connections": set(),
}
POOL = {name for name in DOCUMENTED if name.startswith("sijill_db_pool")}


def families(text: str) -> dict[str, set[str]]:
    """Each sijill family in an exposition with the labels its samples carry (`le` aside)."""
    found: dict[str, set[str]] = {}
    for family in text_string_to_metric_families(text):
        if family.name.startswith("sijill_"):
            labels = found.setdefault(family.name, set())
            for sample in family.samples:
                labels.update(k for k in sample.labels if k != "le")
    return found


async def test_metric_names_and_labels_are_the_documented_ones(gql, http, tokens, database):
    await gql("query ListPrograms { programs { code } }", {}, tokens.admin())
    found = families((await http.get("/metrics")).text)
    expected = dict(DOCUMENTED)
    if database.engine != "postgres":  # SQLite: one connection, no pool, no pool gauges
        expected = {k: v for k, v in expected.items() if k not in POOL}
    assert found == expected
    doc = (ROOT / "docs" / "operations.md").read_text()
    for name in DOCUMENTED:
        assert f"`{name}" in doc, f"{name} is not documented in docs/operations.md"


async def test_pool_gauges_report_the_asyncpg_pool(http, database, settings):
    if database.engine != "postgres":
        pytest.skip("the pool gauges exist on PostgreSQL only")
    values = {s.name: s.value for f in text_string_to_metric_families((await http.get("/metrics")).text)
              for s in f.samples if s.name.startswith("sijill_db_pool")}
    assert values["sijill_db_pool_max_connections"] == settings.db_pool_max
    assert values["sijill_db_pool_connections"] >= 1  # the healthz/test queries opened it
    assert values["sijill_db_pool_connections_in_use"] + values["sijill_db_pool_connections_idle"] \
        == values["sijill_db_pool_connections"]


async def test_unnamed_unknown_and_suspicious_operations_fold_into_fixed_labels(http, tokens):
    admin = {"Authorization": f"Bearer {tokens.admin()}"}
    bodies = [
        {"query": "{ programs { code } }"},                                  # unnamed
        {"query": "query A { programs { code } }", "operationName": "NotInTheDocument"},
        {"query": "query Q1234567897 { programs { code } }"},                # an IDCS in the name
        {"query": "query { programs { code } }", "operationName": "Zz" * 40},  # not parsed as one
    ]
    for body in bodies:
        await http.post("/graphql", json=body, headers=admin)
    text = (await http.get("/metrics")).text
    operations = {s.labels["operation"] for f in text_string_to_metric_families(text)
                  if f.name == "sijill_graphql_requests" for s in f.samples}
    assert {"anonymous", "other"} <= operations
    assert not operations & {"NotInTheDocument", "Q1234567897", "Zz" * 40}
    assert "1234567897" not in text


def test_operation_labels_are_bounded():
    labels = {metrics.label(f"Op{i}") for i in range(metrics.MAX_OPERATION_NAMES + 50)}
    assert len(labels) == metrics.MAX_OPERATION_NAMES + 1
    assert metrics.label("Op0") == "Op0"  # names seen before the cap keep their label
    assert metrics.label("Late") == "other"
    assert metrics.label(None) == metrics.label("") == "anonymous"
    assert metrics.label("Known", "unknown") == "other"
    for bad in ("has space", "a" * 65, "Q1234567897", "é", "x\n"):
        assert metrics.safe_name(bad) == "other", bad
