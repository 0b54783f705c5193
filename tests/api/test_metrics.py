"""GET /metrics: Prometheus text with per-operation counts and latency, audit-write latency."""

import pytest

pytestmark = pytest.mark.e2e


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
