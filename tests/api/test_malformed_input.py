"""Malformed input is refused with a typed error and never fails the request or its audit
record: a NUL in the operation name, oversized token claims, documents past the depth, alias
and token limits, an audit page over 100, an audit cursor out of range, an audit filter or an
endEnrollment reason with a NUL."""

from __future__ import annotations

import asyncio
import base64
import time

import httpx
import jwt
import pytest

from api.models import Enrollment
from tests import factories
from tests.api.household_helpers import (
    ASD,
    ENROLL_ID,
    poor_household,
    records_of,
    the_error,
    the_record_of,
)

pytestmark = pytest.mark.e2e

END_ENROLLMENT = """
mutation($id: ID!, $reason: String!) { endEnrollment(id: $id, reason: $reason) { id status } }
"""

AUDIT_EVENTS = """
query($filter: AuditFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges { cursor node { sequence } }
    totalCount
  }
}
"""


# ------------------------------------------------------------------ operation name and token

async def poison(http) -> httpx.Response:
    return await http.post(
        "/graphql",
        json={"query": "{ me { subject } }", "operationName": "x\u0000"},
        headers={"Authorization": "Bearer not.a.valid.token"},
    )


async def test_a_nul_in_the_operation_name_fails_no_request(gql, tokens):
    admin = tokens.admin()
    alone = await poison(gql.http)
    assert alone.status_code == 401, alone.text
    assert alone.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    record = await the_record_of(alone)
    assert record.operation == "x\ufffd"  # printable in the record, as written

    # Poison requests keep arriving while 20 registrations run, so their audit records share
    # group commits with the registrations' records.
    valid = asyncio.gather(*[
        gql.raw(factories.REGISTER_PERSON, {"input": factories.person_input()}, admin)
        for _ in range(20)
    ])
    poisons: list[httpx.Response] = []

    async def keep_poisoning() -> None:
        while not valid.done() or len(poisons) < 3:
            poisons.append(await poison(gql.http))
            await asyncio.sleep(0.001)

    registered, _ = await asyncio.gather(valid, keep_poisoning())
    assert len(poisons) >= 3
    for response in poisons:
        assert response.status_code == 401, response.text
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert len(await records_of(response)) == 1
    for response in registered:
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body.get("errors"), body
        record = await the_record_of(response)
        assert record.outcome == "ALLOWED"
        assert list(record.subjects) == [body["data"]["registerPerson"]["idcs"]]


@pytest.mark.parametrize("claims", [
    {"sub": "admin-1", "purpose": "p" * 301},
    {"sub": "s" * 121},
], ids=["purpose-301", "sub-121"])
async def test_oversized_token_claims_are_unauthenticated(gql, tokens, claims):
    # signed by hand: mint_token refuses what the server refuses
    now = int(time.time())
    settings = tokens.settings
    token = jwt.encode({"iss": settings.jwt_issuer, "aud": settings.jwt_audience, "iat": now,
                        "exp": now + 600, "roles": ["admin"], **claims},
                       settings.jwt_secret, algorithm="HS256")
    response = await gql.raw("{ programs { code } }", token=token)
    assert response.status_code == 401, response.text
    the_error(response.json(), "UNAUTHENTICATED")
    record = await the_record_of(response)
    assert record.actor == "anonymous"


# ------------------------------------------------------------------ document limits

def _deep_query(levels: int) -> str:
    """person → household → members → person … with `levels` fields nested."""
    chain = ["person(idcs: $i)", "household", "members", "person"]
    fields = [chain[0]] + [chain[1 + (k % 3)] for k in range(levels - 1)]
    body = "idcs" if fields[-1].startswith("person") else (
        "id" if fields[-1] == "household" else "relationship")
    for field in reversed(fields):
        body = f"{field} {{ {body} }}"
    return f"query($i: String!) {{ {body} }}"


@pytest.mark.parametrize("document", [
    _deep_query(12),
    "{ " + " ".join(f"a{i}: __typename" for i in range(21)) + " }",
    "{ " + "__typename " * 2100 + "}",
], ids=["depth", "aliases", "tokens"])
async def test_document_limits_are_query_too_complex(gql, tokens, document):
    response = await gql.raw(document, {"i": "1234567897"}, tokens.admin())
    assert response.status_code == 200, response.text  # application/json: 200 with errors
    body = response.json()
    assert body.get("data") is None
    assert body["errors"], body
    assert {e["extensions"]["code"] for e in body["errors"]} == {"QUERY_TOO_COMPLEX"}, body


# ------------------------------------------------------------------ paging and control characters

async def test_audit_page_of_101_is_refused(gql, tokens):
    body = await gql(AUDIT_EVENTS, {"first": 101}, tokens.auditor())
    the_error(body, "BAD_USER_INPUT", "first")
    ok = await gql(AUDIT_EVENTS, {"first": 100}, tokens.auditor())
    assert not ok.get("errors"), ok


async def test_audit_cursor_out_of_range_is_refused(gql, tokens):
    cursor = base64.urlsafe_b64encode(b"audit:99999999999999999999999").decode()
    body = await gql(AUDIT_EVENTS, {"first": 5, "after": cursor}, tokens.auditor())
    the_error(body, "BAD_USER_INPUT", "after")


async def test_audit_filter_with_a_nul_is_refused(gql, tokens):
    body = await gql(AUDIT_EVENTS, {"filter": {"actor": "admin\u0000"}, "first": 5},
                     tokens.auditor())
    the_error(body, "BAD_USER_INPUT", "filter.actor")


async def test_end_enrollment_reason_with_a_nul_is_refused(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    enrollment = (await gql.data(ENROLL_ID, {"program": ASD, "householdId": h["id"]},
                                 admin))["enroll"]
    body = await gql(END_ENROLLMENT, {"id": enrollment["id"], "reason": "moved\u0000"}, admin)
    the_error(body, "BAD_USER_INPUT", "reason")
    assert (await Enrollment.get(id=enrollment["id"])).status == "ACTIVE"
