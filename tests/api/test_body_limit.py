"""Request bodies over 1 MiB are refused with 413 before parsing."""

import json

import pytest

from api.http.limits import MAX_BODY_BYTES

pytestmark = pytest.mark.e2e


async def test_declared_oversized_body_is_refused(http, tokens):
    body = json.dumps({"query": "{ programs { code } }", "variables": {"pad": "x" * MAX_BODY_BYTES}})
    response = await http.post("/graphql", content=body,
                               headers={"content-type": "application/json",
                                        "Authorization": f"Bearer {tokens.admin()}"})
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_streamed_oversized_body_is_refused(http, tokens):
    async def chunks():
        for _ in range(20):
            yield b" " * (MAX_BODY_BYTES // 10)

    response = await http.post("/graphql", content=chunks(),
                               headers={"content-type": "application/json",
                                        "Authorization": f"Bearer {tokens.admin()}"})
    assert response.status_code == 413


async def test_body_just_under_the_limit_is_served(http, tokens):
    query = "{ programs { code } }"
    pad = MAX_BODY_BYTES - 200
    body = json.dumps({"query": query + " " * pad})
    assert len(body) < MAX_BODY_BYTES
    response = await http.post("/graphql", content=body,
                               headers={"content-type": "application/json",
                                        "Authorization": f"Bearer {tokens.admin()}"})
    assert response.status_code == 200, response.text
