"""A request whose root fields run together, one of them failing while another counts a
program's lookups: the failure cancels its sibling midway, and the lookups' write must still end
cleanly — on SQLite, a write torn by the cancellation held the connection's lock and every
request after it waited forever."""

from __future__ import annotations

import asyncio

import pytest

from api.identifiers import new_idcs

pytestmark = pytest.mark.e2e

DOCUMENT = ("query($i: String!) { enrollments(program: AMO_TADAMON, first: 101) { totalCount } "
            "eligibility(program: ASD, idcs: $i) { formulaVersion } }")


async def test_a_cancelled_count_of_lookups_leaves_the_database_usable(http, tokens):
    token = {"Authorization": f"Bearer {tokens.program('ASD')}"}
    for _ in range(5):
        answer = await asyncio.wait_for(http.post(
            "/graphql", json={"query": DOCUMENT, "variables": {"i": new_idcs()}},
            headers=token), 20)
        assert answer.json()["data"] is None
    after = await asyncio.wait_for(http.post(
        "/graphql", json={"query": "{ me { subject } }"}, headers=token), 20)
    assert after.json() == {"data": {"me": {"subject": "agency-ASD"}}}


async def test_a_cancelled_statistics_snapshot_leaves_the_database_usable(http, tokens):
    token = {"Authorization": f"Bearer {tokens.admin()}"}
    document = ("{ enrollments(program: AMO_TADAMON, first: 101) { totalCount } "
                "registryStatistics(groupBy: REGION) { key households } }")
    for _ in range(5):
        answer = await asyncio.wait_for(http.post("/graphql", json={"query": document},
                                                  headers=token), 20)
        assert answer.json()["data"] is None
    after = await asyncio.wait_for(http.post(
        "/graphql", json={"query": "{ me { subject } }"}, headers=token), 20)
    assert after.json() == {"data": {"me": {"subject": "admin-1"}}}
