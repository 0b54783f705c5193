"""GET /graphql asking for HTML: the GraphiQL page load has its audit record, and where the page
is not served (GraphiQL off, or a caller without a token in production) the request is answered
as GraphQL, authenticated and audited like any other.

The audit tables are append-only and not emptied between tests: every check works on the
records a test adds (sequences after the last one seen).
"""

from __future__ import annotations

import httpx
import pytest

from api.http.app import create_app
from api.models import AuditEvent
from api.settings import Settings
from tests import production

pytestmark = pytest.mark.e2e


async def last_sequence() -> int:
    row = await AuditEvent.all().order_by("-sequence").first()
    return row.sequence if row else 0


async def records_after(sequence: int) -> list[AuditEvent]:
    return await AuditEvent.filter(sequence__gt=sequence).order_by("sequence")


def client_for(application) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=application),
                             base_url="http://sijill.test")


async def test_get_with_html_accept_is_audited_when_graphiql_is_off(app, database, tokens):
    no_ide = create_app(Settings(DATABASE_URL=database.url, SIJILL_GRAPHIQL=False))
    before = await last_sequence()
    async with client_for(no_ide) as client:
        response = await client.get(
            "/graphql", params={"query": "{ programs { code } }"},
            headers={"accept": "text/html", "Authorization": f"Bearer {tokens.admin()}"},
        )
    rows = await records_after(before)
    assert [r.request_id for r in rows] == [response.headers["x-request-id"]], rows
    assert rows[0].actor == "admin-1"
    assert rows[0].fields_selected and "Query.programs" in rows[0].fields_selected


async def test_get_with_html_accept_needs_a_token_in_production(app, database):
    settings = production.production_settings(DATABASE_URL=database.url)
    prod = create_app(settings)
    before = await last_sequence()
    async with client_for(prod) as client:
        response = await client.get("/graphql", params={"query": "{ programs { code } }"},
                                    headers={"accept": "text/html"})
    assert response.status_code == 401, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "AMO_TADAMON" not in response.text
    rows = await records_after(before)
    assert [(r.actor, r.error_code) for r in rows] == [("anonymous", "UNAUTHENTICATED")]


async def test_graphiql_page_loads_are_recorded(http):
    """Every answer on /graphql has its record (contract §7a), the GraphiQL page included."""
    before = await last_sequence()
    response = await http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()
    rows = await records_after(before)
    assert [(r.operation, r.outcome, r.request_id) for r in rows] == [
        ("graphiql", "ALLOWED", response.headers["x-request-id"])]
