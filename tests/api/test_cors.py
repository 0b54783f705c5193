"""Browser portals on other origins (contract §12): `SIJILL_CORS_ORIGINS` names the origins
whose pages may call the API; preflights of others are refused, and without the setting nothing
changes. The same in a real browser: tests/browser/test_cors_browser.py."""

from __future__ import annotations

import httpx
import pytest

from api.http.app import create_app
from api.http.cors import CorsSettingError, parse_origins
from api.models import AuditEvent
from api.settings import Settings

pytestmark = pytest.mark.e2e

PORTAL = "https://portal.example.ma"
OTHER = "https://elsewhere.example.com"
PREFLIGHT = {"Access-Control-Request-Method": "POST",
             "Access-Control-Request-Headers": "authorization, content-type, x-request-id"}


@pytest.fixture
async def client(app, database):
    portal_app = create_app(Settings(DATABASE_URL=database.url, SIJILL_RATE_LIMITS="none",
                                     SIJILL_REFUSAL_RATE="none",
                                     SIJILL_CORS_ORIGINS=f"{PORTAL}, http://127.0.0.1:5173"))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=portal_app),
                                 base_url="http://sijill.test") as http:
        yield http


async def test_the_preflight_of_a_named_origin_is_answered(client):
    response = await client.options("/graphql", headers={"Origin": PORTAL, **PREFLIGHT})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == PORTAL
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed = response.headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "x-request-id"} <= {
        h.strip() for h in allowed.split(",")}
    assert "access-control-allow-credentials" not in response.headers
    assert int(response.headers["access-control-max-age"]) > 0


async def test_the_preflight_of_another_origin_is_refused(client):
    response = await client.options("/graphql", headers={"Origin": OTHER, **PREFLIGHT})
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


async def test_a_portal_reads_the_answer_and_its_request_id(client, tokens):
    before = await AuditEvent.all().count()
    response = await client.post("/graphql", json={"query": "{ me { subject } }"},
                                 headers={"Origin": PORTAL,
                                          "Authorization": f"Bearer {tokens.admin()}"})
    assert response.status_code == 200 and response.json()["data"]["me"]["subject"] == "admin-1"
    assert response.headers["access-control-allow-origin"] == PORTAL
    exposed = {h.strip().lower()
               for h in response.headers["access-control-expose-headers"].split(",")}
    assert {"x-request-id", "retry-after"} <= exposed
    assert await AuditEvent.all().count() == before + 1  # the request itself is audited as ever


async def test_refusals_of_the_edge_are_readable_by_the_portal(client):
    response = await client.post("/graphql", json={"query": "{ me { subject } }"},
                                 headers={"Origin": PORTAL, "Authorization": "Bearer forged"})
    assert response.status_code == 401
    assert response.headers["access-control-allow-origin"] == PORTAL


async def test_answers_to_other_origins_carry_no_permission(client, tokens):
    response = await client.post("/graphql", json={"query": "{ me { subject } }"},
                                 headers={"Origin": OTHER,
                                          "Authorization": f"Bearer {tokens.admin()}"})
    assert "access-control-allow-origin" not in response.headers


async def test_without_the_setting_a_preflight_is_405_as_before(http):
    response = await http.options("/graphql", headers={"Origin": PORTAL, **PREFLIGHT})
    assert response.status_code == 405
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize("value", ["*", "https://portal.example.ma/", "portal.example.ma",
                                   "ftp://portal.example.ma", "https://portal.example.ma/app",
                                   "https://portal.example.ma:0", "https://portal.example.ma:70000",
                                   "https://user@portal.example.ma", "null"])
def test_what_is_not_an_origin_is_refused_at_startup(value, database):
    with pytest.raises(CorsSettingError):
        parse_origins(value)
    with pytest.raises(CorsSettingError):
        create_app(Settings(DATABASE_URL=database.url, SIJILL_CORS_ORIGINS=value))


def test_origins_are_read_as_a_comma_separated_list():
    assert parse_origins("") == []
    assert parse_origins(" https://Portal.Example.ma ,http://127.0.0.1:5173,, ") == [
        "http://127.0.0.1:5173", "https://portal.example.ma"]
    assert parse_origins("http://[::1]:8080") == ["http://[::1]:8080"]
