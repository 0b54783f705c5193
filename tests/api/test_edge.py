"""Every answer on /graphql has its audit record, and refusals before authentication are
limited per client address (contract §7a), in api/http/edge.py."""

from __future__ import annotations

import httpx
import pytest

from api.http import edge
from api.http.app import create_app
from api.models import AuditEvent
from api.settings import Settings

pytestmark = pytest.mark.e2e

GRAPHQL_JSON = {"content-type": "application/json"}


async def last_sequence() -> int:
    last = await AuditEvent.all().order_by("-sequence").first()
    return last.sequence if last else 0


async def records_after(sequence: int) -> list[AuditEvent]:
    return await AuditEvent.filter(sequence__gt=sequence).order_by("sequence")


async def only_record(before: int, response: httpx.Response) -> AuditEvent:
    rows = await records_after(before)
    assert [r.request_id for r in rows] == [response.headers["x-request-id"]], rows
    return rows[0]


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS"])
async def test_other_methods_are_405_and_recorded(http, method):
    before = await last_sequence()
    response = await http.request(method, "/graphql", json={"query": "{ __typename }"})
    assert response.status_code == 405
    row = await only_record(before, response)
    assert (row.outcome, row.error_code, row.actor) == ("ERROR", "HTTP_405", "anonymous")
    assert row.client_address == "127.0.0.1"


async def test_an_oversized_body_is_413_and_recorded(http, tokens):
    before = await last_sequence()
    response = await http.post("/graphql", content=b"x" * (1024 * 1024 + 1),
                               headers={**GRAPHQL_JSON,
                                        "Authorization": f"Bearer {tokens.admin()}"})
    assert response.status_code == 413
    row = await only_record(before, response)
    assert (row.outcome, row.error_code) == ("ERROR", "HTTP_413")


async def test_the_trailing_slash_redirect_is_recorded(http):
    before = await last_sequence()
    response = await http.get("/graphql/", params={"query": "{ __typename }"})
    assert response.status_code == 307
    row = await only_record(before, response)
    assert row.error_code == "HTTP_307"


async def test_oversized_headers_are_431_and_recorded(http):
    before = await last_sequence()
    response = await http.post("/graphql", json={"query": "{ __typename }"},
                               headers={"X-Padding": "y" * 9000})
    assert response.status_code == 431
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    row = await only_record(before, response)
    assert row.error_code == "HTTP_431"


async def test_the_graphiql_page_with_a_bad_token_is_401_and_recorded(http):
    before = await last_sequence()
    response = await http.get("/graphql", headers={"accept": "text/html",
                                                   "Authorization": "Bearer forged"})
    assert response.status_code == 401
    row = await only_record(before, response)
    assert (row.outcome, row.error_code) == ("ERROR", "UNAUTHENTICATED")
    assert row.client_address == "127.0.0.1"


@pytest.mark.parametrize("content_type,status", [
    ("application/json", 200),
    ("APPLICATION/JSON", 200),
    ("Application/Json; charset=utf-8", 200),
    ("application/graphql-response+json", 200),
    ("application/jsonp", 400),
    ("application/json-seq", 400),
    ("text/plain", 400),
    ("application/x-json", 400),
])
async def test_request_media_types_are_matched_exactly(http, tokens, content_type, status):
    response = await http.post("/graphql", content=b'{"query": "{ programs { code } }"}',
                               headers={"content-type": content_type,
                                        "Authorization": f"Bearer {tokens.admin()}"})
    assert response.status_code == status, response.text
    assert "x-request-id" in response.headers


async def test_a_flood_of_invalid_tokens_is_limited_and_recorded_in_aggregate(app, database):
    """1 000 invalid-token requests were all answered 401 and recorded one by one; now the
    client's refusals past its limit are 429 and one aggregated record per minute."""
    limited = create_app(Settings(DATABASE_URL=database.url, SIJILL_REFUSAL_RATE="1/20"))
    before = await last_sequence()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=limited),
                                 base_url="http://t") as client:
        answers = [await client.post("/graphql", json={"query": "{ me { subject } }"},
                                     headers={"Authorization": "Bearer not-a-token"})
                   for _ in range(300)]
        statuses = [a.status_code for a in answers]
        assert statuses[:20] == [401] * 20
        refused = statuses.count(429)
        assert refused >= 250 and set(statuses) == {401, 429}
        assert int(answers[-1].headers["Retry-After"]) >= 1
        assert answers[-1].json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
        # a valid caller from the same address is not affected
        individual = await records_after(before)
        assert len(individual) == statuses.count(401)
        written = await edge.flush_refusals(limited.state.refusals,
                                            limited.state.graphql.record_edge, everything=True)
    assert 1 <= written <= 2  # the run may straddle a minute
    aggregated = [r for r in await records_after(before) if r.count is not None]
    assert len(aggregated) == written
    assert sum(r.count for r in aggregated) == refused
    assert {(r.client_address, r.error_code, r.outcome) for r in aggregated} == {
        ("127.0.0.1", "RATE_LIMITED", "ERROR")}


async def test_authenticated_callers_are_not_limited_by_others_refusals(app, database, tokens):
    limited = create_app(Settings(DATABASE_URL=database.url, SIJILL_REFUSAL_RATE="1/2",
                                  SIJILL_RATE_LIMITS="none"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=limited),
                                 base_url="http://t") as client:
        for _ in range(5):
            await client.post("/graphql", json={"query": "{ me { subject } }"},
                              headers={"Authorization": "Bearer not-a-token"})
        ok = await client.post("/graphql", json={"query": "{ me { subject } }"},
                               headers={"Authorization": f"Bearer {tokens.admin()}"})
    assert ok.status_code == 200 and ok.json()["data"]["me"]["subject"] == "admin-1"


def test_refusal_rates_parse():
    assert edge.parse_refusal_rate("") == edge.DEFAULT_REFUSAL_RATE
    assert edge.parse_refusal_rate("none") is None
    rate = edge.parse_refusal_rate("5/50")
    assert (rate.per_second, rate.burst) == (5.0, 50)


async def test_a_mutation_beside_a_query_without_operation_name_runs_nothing(http, tokens):
    """`mutation A {…} query B {…}` without operationName ran the mutation outside its
    transaction and recorded it as `unknown`: now it is refused before anything runs."""
    from tests import factories

    person = factories.person_input()
    document = ("mutation A($p: RegisterPersonInput!) { registerPerson(input: $p) { idcs } } "
                "query B { programs { code } }")
    before = await last_sequence()
    response = await http.post("/graphql", json={"query": document, "variables": {"p": person}},
                               headers={"Authorization": f"Bearer {tokens.admin()}"})
    body = response.json()
    assert body.get("data") is None
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "operationName"}
    from api.models import Person

    assert await Person.filter(cin=person["cin"]).count() == 0
    row = await only_record(before, response)
    assert (row.operation_type, row.outcome, row.error_code) == ("unknown", "ERROR",
                                                                 "BAD_USER_INPUT")
    named = await http.post("/graphql", json={"query": document, "variables": {"p": person},
                                              "operationName": "A"},
                            headers={"Authorization": f"Bearer {tokens.admin()}"})
    assert named.json()["data"]["registerPerson"]["idcs"]


async def test_an_unhandled_error_is_answered_500_and_recorded(http, tokens, monkeypatch):
    """An exception escaping the application before it answers: a typed 500 with the request
    id, and its audit record (never an unrecorded answer)."""
    from api.http.auth import TokenVerifier

    async def broken(self, token):
        raise RuntimeError("a fault")

    monkeypatch.setattr(TokenVerifier, "verify", broken)
    before = await last_sequence()
    response = await http.post("/graphql", json={"query": "{ me { subject } }"},
                               headers={"Authorization": f"Bearer {tokens.admin()}"})
    assert response.status_code == 500
    assert response.json() == {"errors": [{"message": "Internal error. The request was not "
                                           "completed.", "extensions": {"code": "INTERNAL"}}]}
    row = await only_record(before, response)
    assert (row.outcome, row.error_code) == ("ERROR", "INTERNAL")


@pytest.mark.parametrize("text", ["0/30", "0", "-1/5", "2/0", "inf/3", "x/3", "2/y", "1e400/3", "1e400"])
def test_refusal_rates_must_be_above_zero(text):
    with pytest.raises(ValueError, match="SIJILL_REFUSAL_RATE"):
        edge.parse_refusal_rate(text)


def test_ipv6_clients_are_limited_by_their_64_network():
    assert edge.limit_key("192.0.2.7") == "192.0.2.7"
    assert edge.limit_key("2001:db8:1:2:aaaa::1") == edge.limit_key("2001:db8:1:2:ffff::9") \
        == "2001:db8:1:2::/64"
    assert edge.limit_key("2001:db8:1:3::1") != edge.limit_key("2001:db8:1:2::1")
    assert edge.limit_key("::ffff:192.0.2.7") == "192.0.2.7"  # IPv4 through a dual-stack socket
    assert edge.limit_key("::ffff:192.0.2.8") != edge.limit_key("::ffff:192.0.2.7")
    assert edge.limit_key("::1") == "::1"
    limiter = edge.RefusalLimiter(edge.parse_refusal_rate("1/2"))
    waits = [limiter.take(edge.limit_key(f"2001:db8:1:2::{i}")) for i in range(1, 6)]
    assert waits[:2] == [0.0, 0.0] and all(waits[2:])


async def test_a_flood_of_redirects_is_recorded_in_aggregate(app, database):
    """Answers made at the edge before authentication (the 307 of `/graphql/`, 405…) share the
    client's refusal limit: past it, no record of their own."""
    limited = create_app(Settings(DATABASE_URL=database.url, SIJILL_REFUSAL_RATE="1/5"))
    before = await last_sequence()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=limited),
                                 base_url="http://t") as client:
        for _ in range(40):
            response = await client.get("/graphql/", params={"query": "{ __typename }"})
            assert response.status_code == 307
        assert len(await records_after(before)) <= 10
        written = await edge.flush_refusals(limited.state.refusals,
                                            limited.state.graphql.record_edge, everything=True)
    assert written >= 1
    aggregated = [r for r in await records_after(before) if r.count is not None]
    individual = [r for r in await records_after(before) if r.count is None]
    assert sum(r.count for r in aggregated) + len(individual) == 40


async def test_an_error_while_the_operation_runs_is_answered_500_and_recorded(
        app, http, tokens, monkeypatch):
    async def broken(*_args, **_kwargs):
        raise RuntimeError("a fault")

    # whoever runs it: the read engine, or strawberry
    monkeypatch.setattr(type(app.state.graphql), "_read", broken)
    monkeypatch.setattr(type(app.state.graphql), "_execute", broken)
    before = await last_sequence()
    response = await http.post("/graphql", json={"query": "{ me { subject } }"},
                               headers={"Authorization": f"Bearer {tokens.admin()}"})
    assert response.status_code == 500
    assert response.json()["errors"][0]["extensions"] == {"code": "INTERNAL"}
    row = await only_record(before, response)
    assert (row.outcome, row.error_code, row.actor) == ("ERROR", "INTERNAL", "admin-1")
