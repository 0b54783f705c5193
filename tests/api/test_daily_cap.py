"""The daily cap on distinct persons a program may look up."""

import httpx
import pytest

from api.http.app import create_app
from api.identifiers import new_idcs
from api.models import AuditEvent, ProgramLookup
from api.services.lookups import parse_caps
from api.settings import Settings

pytestmark = pytest.mark.e2e

BULK = "query Bulk($ids: [String!]!) { eligibilities(program: ASD, idcs: $ids) { idcs eligible } }"


def test_caps_parse_with_a_default():
    assert parse_caps("ASD=3, default=10") == {"ASD": 3, "default": 10}
    assert parse_caps("")["default"] > 0


async def test_a_program_is_refused_past_its_daily_cap_and_the_refusal_is_audited(
        app, database, tokens):
    capped = create_app(Settings(DATABASE_URL=database.url, SIJILL_RATE_LIMITS="none",
                                 SIJILL_PROGRAM_DAILY_PERSONS="ASD=5"))
    token = tokens.program("ASD")
    first, again, more = [new_idcs() for _ in range(4)], None, [new_idcs() for _ in range(2)]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=capped),
                                 base_url="http://t") as client:
        async def ask(ids):
            return await client.post("/graphql", json={"query": BULK, "variables": {"ids": ids}},
                                     headers={"Authorization": f"Bearer {token}"})

        ok = await ask(first)
        assert "errors" not in ok.json() and len(ok.json()["data"]["eligibilities"]) == 4
        again = await ask(first[:2])  # the same persons again do not count twice
        assert "errors" not in again.json()
        refused = await ask(more)  # 4 + 2 distinct > 5
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) == refused.json()["errors"][0][
            "extensions"]["retryAfter"]
        error = refused.json()["errors"][0]
        assert error["extensions"]["code"] == "RATE_LIMITED"
        assert error["extensions"]["retryAfter"] >= 1 and error["extensions"]["limit"] == 5
        assert refused.json()["data"] is None
    assert await ProgramLookup.filter(program="ASD").count() == 4  # the refused ids were not kept
    record = await AuditEvent.get(request_id=refused.headers["x-request-id"])
    assert record.outcome == "ERROR" and record.error_code == "RATE_LIMITED"


async def test_an_enrollment_counts_the_households_members(app, database, tokens, gql):
    """`enroll` returns the household's members: they count against the cap like a lookup."""
    from tests.api.household_helpers import ENROLL_ID, poor_household

    household = await poor_household(gql, tokens.admin())
    capped = create_app(Settings(DATABASE_URL=database.url, SIJILL_RATE_LIMITS="none",
                                 SIJILL_PROGRAM_DAILY_PERSONS="ASD=1"))
    token = tokens.program("ASD")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=capped),
                                 base_url="http://t") as client:
        filler = await client.post("/graphql", json={"query": BULK,
                                                     "variables": {"ids": [new_idcs()]}},
                                   headers={"Authorization": f"Bearer {token}"})
        assert "errors" not in filler.json()
        refused = await client.post(
            "/graphql", json={"query": ENROLL_ID, "variables": {
                "program": "ASD", "householdId": household["id"]}},
            headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 429, refused.text
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    from api.models import Enrollment

    assert await Enrollment.filter(household_id=household["id"]).count() == 0
    assert await ProgramLookup.filter(program="ASD", idcs=household["_head"]).count() == 0


async def test_admins_are_not_counted(gql, tokens):
    await gql.data(BULK, {"ids": [new_idcs() for _ in range(3)]}, tokens.admin())
    assert await ProgramLookup.all().count() == 0


async def test_the_cap_costs_a_constant_number_of_statements(gql, tokens):
    import logging

    counts = []
    for size in (5, 500):
        statements = []

        class Counter(logging.Handler):
            def emit(self, record):
                text = record.getMessage()
                if "program_lookups" in text:
                    statements.append(text)

        logger = logging.getLogger("tortoise.db_client")
        handler, level = Counter(level=logging.DEBUG), logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
        try:
            await gql.data(BULK, {"ids": [new_idcs() for _ in range(size)]}, tokens.program("ASD"))
        finally:
            logger.removeHandler(handler)
            logger.setLevel(level)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 3, counts


async def test_concurrent_requests_never_pass_the_cap_and_the_counter_matches(app, database, tokens):
    import asyncio

    from api.models import ProgramLookupCount

    capped = create_app(Settings(DATABASE_URL=database.url, SIJILL_RATE_LIMITS="none",
                                 SIJILL_PROGRAM_DAILY_PERSONS="ASD=10"))
    token = tokens.program("ASD")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=capped),
                                 base_url="http://t") as client:
        async def ask(ids):
            response = await client.post("/graphql", json={"query": BULK, "variables": {"ids": ids}},
                                         headers={"Authorization": f"Bearer {token}"})
            return "errors" not in response.json()

        batches = [[new_idcs() for _ in range(3)] for _ in range(8)]
        accepted = sum(await asyncio.gather(*(ask(b) for b in batches)))
    assert accepted == 3  # 3 × 3 = 9 ≤ 10; a fourth batch would make 12
    recorded = await ProgramLookup.filter(program="ASD").count()
    counter = await ProgramLookupCount.get(program="ASD")
    assert recorded == counter.persons == 9
