"""OpenTelemetry (SIJILL_OTEL_ENABLED): spans for the HTTP request, the GraphQL operation and the
database, and none of them holds the query text, variables or an identity number."""

import urllib.parse

import httpx
import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from api.http.app import create_app
from api.observability import tracing
from api.schema.schema import schema
from api.settings import Settings
from tests import factories

pytestmark = pytest.mark.e2e

LOOKUP = "query Look($i: String!) { person(idcs: $i) { firstName cin household { id } } }"


@pytest.fixture
async def traced(database, app):
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    settings = Settings(DATABASE_URL=database.url, SIJILL_RATE_LIMITS="none",
                        SIJILL_OTEL_ENABLED=True)
    before = schema.extensions
    application = create_app(settings, tracer_provider=provider)  # the session app's database
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=application),
                                     base_url="http://sijill.test") as client:
            yield client, exporter
    finally:
        tracing.teardown(schema)
    assert schema.extensions == before
    assert not tracing.enabled()


def attribute_text(spans) -> str:
    return "\n".join(f"{span.name} {k}={v}" for span in spans
                     for k, v in (span.attributes or {}).items())


async def test_spans_cover_http_graphql_and_database_without_personal_data(
        traced, gql, tokens, database):
    client, exporter = traced
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)  # through the untraced app
    idcs = household["_head"]
    exporter.clear()
    headers = {"Authorization": f"Bearer {admin}", "X-Request-Id": "trace-test-1"}
    posted = await client.post("/graphql", json={"query": LOOKUP, "variables": {"i": idcs}},
                               headers=headers)
    assert posted.json()["data"]["person"]["firstName"]
    inline = f'query Inline {{ person(idcs: "{idcs}") {{ cin }} }}'
    got = await client.get("/graphql?" + urllib.parse.urlencode({"query": inline}),
                           headers={**headers, "X-Request-Id": "trace-test-2"})
    assert got.status_code == 200 and got.json()["data"]["person"]

    spans = exporter.get_finished_spans()
    names = [span.name for span in spans]
    http_spans = [s for s in spans if s.attributes.get("sijill.request_id")]
    assert {s.attributes["sijill.request_id"] for s in http_spans} == {
        posted.headers["x-request-id"], got.headers["x-request-id"]}
    assert "GraphQL Look" in names and "GraphQL Inline" in names
    operation = next(s for s in spans if s.name == "GraphQL Look")
    assert operation.attributes["graphql.operation.type"] == "query"
    assert operation.parent is not None  # under the HTTP span
    assert operation.parent.span_id in {s.context.span_id for s in http_spans}
    assert any(name.startswith("GraphQL Resolving: person") for name in names)
    if database.engine == "postgres":
        db_spans = [s for s in spans if "db.statement" in s.attributes
                    or "db.query.text" in s.attributes]
        # the person lookup's SELECT belongs to the request's trace
        assert any(s.context.trace_id == operation.context.trace_id
                   and "persons" in s.attributes.get("db.statement", "") for s in db_spans), names

    text = attribute_text(spans)
    person_cin = next(m["person"]["cin"] for m in
                      (await gql.data("query H($i: String!) { person(idcs: $i) { household { "
                                      "members { person { cin } } } } }", {"i": idcs}, admin))
                      ["person"]["household"]["members"] if m["person"]["cin"])
    for secret in (idcs, person_cin, admin, "person(idcs", LOOKUP, inline,
                   "graphql.param", "query="):
        assert secret not in text, secret
    for span in spans:
        assert "query" not in span.attributes and "graphql.document" not in span.attributes
