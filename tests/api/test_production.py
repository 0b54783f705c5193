"""Production mode: no anonymous operations, no development secret, no GraphiQL by default."""

import httpx
import pytest

from api.http.app import create_app
from api.settings import Settings
from tests import production

pytestmark = pytest.mark.e2e

SECRET = "a-production-secret-of-enough-length-0123456789"


@pytest.fixture
def production_settings(database) -> Settings:
    return production.production_settings(DATABASE_URL=database.url)


rs256 = production.rs256


async def test_production_refuses_the_development_secret(app, database):
    with pytest.raises(RuntimeError, match="RS256/ES256"):
        create_app(Settings(DATABASE_URL=database.url, SIJILL_ENV="production"))


async def test_production_refuses_hs256_whatever_the_secret(app, database):
    """HS256 with a secret other than the development one was accepted in production."""
    with pytest.raises(RuntimeError, match="RS256/ES256"):
        create_app(Settings(DATABASE_URL=database.url, SIJILL_ENV="production",
                            SIJILL_JWT_SECRET=SECRET))


async def test_production_answers_anonymous_programs_with_401(app, production_settings):
    # `app` keeps the session's database initialised; this second app shares it.
    prod = create_app(production_settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=prod), base_url="http://t") as c:
        anonymous = await c.post("/graphql", json={"query": "{ programs { code } }"})
        assert anonymous.status_code == 401
        assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

        token = rs256(production_settings)
        authenticated = await c.post("/graphql", json={"query": "{ programs { code } }"},
                                     headers={"Authorization": f"Bearer {token}"})
        assert authenticated.status_code == 200
        assert len(authenticated.json()["data"]["programs"]) == 3

        page = await c.get("/graphql", headers={"accept": "text/html"})
        assert "graphiql" not in page.text.lower()


async def test_development_answers_anonymous_programs(gql):
    body = await gql("{ programs { code } }")
    assert [p["code"] for p in body["data"]["programs"]] == ["AMO_TADAMON", "ASD", "TAYSSIR"]
