"""How requests reach the read engine: it takes a POST of one JSON operation as strawberry takes
it (a trusted document sent by id, `extensions` empty or left out), leaves anything else to
strawberry, and answers the documented examples as strawberry does. A fault of the engine
itself leaves the answer to strawberry, with the record of what was read."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest

from api.http.app import create_app
from api.models import AuditEvent
from api.services import clock
from api.settings import Settings
from tests import factories
from tests.api.test_eligibility import ASD, unknown_idcs
from tests.api.test_read_engine import (  # noqa: F401 - the engine's view, no fast path
    both_ways,
    graphql,
)
from tests.contract.example_runner import EXAMPLES_DIR, operation_name

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 11, 29, 10, 30, 0, 123456, tzinfo=UTC)
ELIGIBILITY = "query($i: String!) { eligibility(program: ASD, idcs: $i) { idcs eligible } }"


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


async def assert_same(http, view, body: dict, token: str, *, engine: bool) -> None:
    """Answered alike with and without the engine (both_ways compares the bytes, status,
    headers and audit records), by the engine only when `engine`."""
    outcome = await both_ways(http, view, body, token)
    assert outcome.took == (1 if engine else 0), body


async def test_extensions_other_than_an_empty_object_are_left_to_strawberry(
        http, graphql, gql, tokens, fixed_clock):  # noqa: F811
    idcs = (await factories.register_household(gql, tokens.admin()))["_head"]
    for extensions in ([], False, 0, "", {"persistedQuery": {}}):
        body = {"query": ELIGIBILITY, "variables": {"i": idcs}, "extensions": extensions}
        await assert_same(http, graphql, body, tokens.program(ASD), engine=False)
    for extensions in ({}, None):
        body = {"query": ELIGIBILITY, "variables": {"i": idcs}, "extensions": extensions}
        await assert_same(http, graphql, body, tokens.program(ASD), engine=True)


async def test_what_is_not_one_json_operation_is_left_to_strawberry(http, graphql, tokens):  # noqa: F811
    token = tokens.program(ASD)
    idcs = await unknown_idcs()
    bodies = [
        [{"query": ELIGIBILITY, "variables": {"i": idcs}}],  # a batch
        {"query": ELIGIBILITY, "variables": [idcs]},  # variables not an object
        {"query": ELIGIBILITY, "variables": {"i": idcs}, "operationName": 5},
        {"query": 7},
        {"variables": {"i": idcs}},  # no document
    ]
    for body in bodies:
        await assert_same(http, graphql, body, token, engine=False)
    # a GET is strawberry's too
    engine = graphql.engine
    before = engine.answered
    response = await http.get("/graphql", params={"query": "{ programs { code } }"},
                              headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and engine.answered == before


async def test_a_trusted_document_sent_by_id_is_answered_by_the_engine(app, database, tokens):
    manifest = EXAMPLES_DIR / "agency-persisted-documents.json"
    ids = {operation_name(text): key
           for key, text in json.loads(manifest.read_text(encoding="utf-8")).items()}
    trusted = create_app(Settings(DATABASE_URL=database.url, SIJILL_RATE_LIMITS="none",
                                  SIJILL_TRUSTED_DOCUMENTS_ROLES="program_agency",
                                  SIJILL_TRUSTED_DOCUMENTS_MANIFEST=str(manifest)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=trusted),
                                 base_url="http://t") as client:
        engine = trusted.state.graphql.engine
        trusted.state.graphql.fast_path = None
        response = await client.post(
            "/graphql", headers={"Authorization": f"Bearer {tokens.program(ASD)}"},
            json={"documentId": ids["Eligibility"],
                  "variables": {"program": "ASD", "idcs": await unknown_idcs()}})
        assert response.json()["data"]["eligibility"]["reasons"] == ["NOT_REGISTERED"]
        assert engine.answered == 1


async def test_the_documented_examples_answer_the_same_without_the_engine(
        app, http, settings, graphql, fixed_clock):  # noqa: F811
    """Every example of docs/examples/ in order; each query is asked again of strawberry and
    must get the same bytes (a mutation runs once: it changes the registry; so does a read of
    the audit log, which the first answer's own record makes longer)."""
    from graphql import OperationDefinitionNode, parse

    from api.seed import seed
    from tests.contract.example_runner import load_examples, resolve, token_for

    await seed(households=20, seed=2026)
    answers: dict[str, dict] = {}
    answered = 0
    for example in load_examples():
        body = {"query": example.document, "operationName": example.operation_name,
                "variables": resolve(example.variables, answers)}
        token = token_for(example, settings, answers)
        operation = next(d for d in parse(example.document).definitions
                         if isinstance(d, OperationDefinitionNode))
        roots = {f.name.value for f in operation.selection_set.selections}
        if operation.operation.value != "query" or any(r.startswith("audit") for r in roots):
            response = await http.post("/graphql", json=body,
                                       headers={"Authorization": f"Bearer {token}"})
        else:
            outcome = await both_ways(http, graphql, body, token)
            assert outcome.engine.content == outcome.strawberry.content, example.id
            response = outcome.engine
            answered += outcome.took
        answers[example.id] = response.json()
    assert answered == 8, answered  # every query but the audit log's


async def test_a_fault_of_the_engine_leaves_the_answer_to_strawberry(
        http, graphql, gql, tokens, monkeypatch, fixed_clock):  # noqa: F811
    idcs = (await factories.register_household(gql, tokens.admin()))["_head"]
    body = {"query": ELIGIBILITY, "variables": {"i": idcs}}
    headers = {"Authorization": f"Bearer {tokens.program(ASD)}"}
    expected = await http.post("/graphql", json=body, headers=headers)

    from api.engine import execute

    async def broken(self):
        raise RuntimeError("a fault of the engine")

    monkeypatch.setattr(execute.Run, "execute", broken)
    answered = graphql.engine.answered
    response = await http.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200 and response.content == expected.content
    assert graphql.engine.answered == answered
    (last,) = await AuditEvent.all().order_by("-sequence").limit(1)
    assert last.outcome == "ALLOWED" and last.subjects == [idcs]
