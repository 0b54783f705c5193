"""Per-caller rate limits: RATE_LIMITED with a retry hint, audited, per caller."""

import httpx
import pytest

from api.http.app import create_app
from api.http.ratelimit import RateLimiter, parse_rates
from api.models import AuditEvent
from api.settings import Settings

pytestmark = pytest.mark.e2e


def test_rates_parse_per_role():
    rates = parse_rates("citizen=2/5, registrar=10/20")
    assert rates["registrar"].per_second == 10 and rates["citizen"].burst == 5
    limiter = RateLimiter(rates)
    assert all(limiter.take("x", "auditor") == 0.0 for _ in range(50))  # no rate: unlimited
    assert parse_rates("none") == {}


def test_bucket_refuses_past_the_burst_and_names_the_wait():
    limiter = RateLimiter(parse_rates("citizen=1/3"))
    assert [limiter.take("a", "citizen") for _ in range(3)] == [0.0, 0.0, 0.0]
    wait = limiter.take("a", "citizen")
    assert 0 < wait <= 1.0
    assert limiter.take("b", "citizen") == 0.0  # another caller has its own bucket


async def test_the_api_answers_429_rate_limited_and_audits_it(app, database, tokens):
    limited = create_app(Settings(DATABASE_URL=database.url, SIJILL_RATE_LIMITS="admin=1/2"))
    token = tokens.admin()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=limited),
                                 base_url="http://t") as client:
        answers = [await client.post("/graphql", json={"query": "{ programs { code } }"},
                                     headers={"Authorization": f"Bearer {token}"})
                   for _ in range(3)]
    assert [a.status_code for a in answers[:2]] == [200, 200]
    refused = answers[2]
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1
    error = refused.json()["errors"][0]
    assert error["extensions"]["code"] == "RATE_LIMITED" and error["extensions"]["retryAfter"] >= 1
    record = await AuditEvent.get(request_id=refused.headers["x-request-id"])
    assert record.outcome == "ERROR" and record.error_code == "RATE_LIMITED"


@pytest.mark.parametrize("text", ["citizen=0/5", "citizen=-2", "citizen=2/0", "citizen=fast"])
def test_a_rate_of_zero_or_nonsense_is_a_setting_error(text):
    with pytest.raises(ValueError, match=r"SIJILL_RATE_LIMITS \(citizen\)"):
        parse_rates(text)
