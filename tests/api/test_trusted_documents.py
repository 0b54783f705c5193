"""Trusted-documents mode: program agencies may run only the documents of a registered manifest
(graphql-codegen's persisted-documents.json), by id or by text; other roles are unaffected;
refusals are typed and audited; a malformed manifest stops the server at startup."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from api.errors import ErrorCode
from api.http.app import create_app
from api.http.trusted_documents import ManifestError, document_hash
from api.models import AuditEvent
from api.settings import Settings
from tests import factories
from tests.api.household_helpers import REGISTER_HOUSEHOLD, household_input

pytestmark = pytest.mark.e2e

MANIFEST = Path(__file__).resolve().parents[2] / "docs/examples/agency-persisted-documents.json"
DOCUMENTS = json.loads(MANIFEST.read_text(encoding="utf-8"))
POOR = {
    "headEducation": "NONE", "headOccupation": "UNEMPLOYED", "housingType": "SHANTY",
    "occupancy": "FREE_OCCUPANT", "rooms": 1, "waterSource": "PUBLIC_TAP",
    "electricityMonthly": 30, "waterMonthly": 0, "phoneMonthly": 20, "butaneBottlesMonthly": 1,
    "assets": [],
}


def _id_of(operation: str) -> str:
    return next(k for k, text in DOCUMENTS.items() if f" {operation}(" in text.split("{")[0])


ELIGIBILITIES = _id_of("Eligibilities")
ENROLL = _id_of("Enroll")
UNKNOWN_IDCS = "0202611299"


@pytest.fixture
async def trusted(app, database):
    application = create_app(Settings(
        DATABASE_URL=database.url, SIJILL_RATE_LIMITS="none",
        SIJILL_TRUSTED_DOCUMENTS_ROLES="program_agency",
        SIJILL_TRUSTED_DOCUMENTS_MANIFEST=str(MANIFEST)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=application),
                                 base_url="http://t") as client:
        yield client


async def _post(client, token: str, body: dict) -> httpx.Response:
    return await client.post("/graphql", json=body, headers={"Authorization": f"Bearer {token}"})


async def _record(response: httpx.Response) -> AuditEvent:
    return await AuditEvent.get(request_id=response.headers["x-request-id"])


def test_every_error_code_fits_the_audit_record():
    limit = AuditEvent._meta.fields_map["error_code"].max_length
    assert all(len(code.value) <= limit for code in ErrorCode)


def test_the_committed_manifest_is_graphql_codegen_output():
    assert len(DOCUMENTS) == 4
    for document_id, text in DOCUMENTS.items():
        assert document_id == "sha256:" + document_hash(text)


async def test_a_registered_document_runs_by_id(trusted, tokens):
    for document_id in (ELIGIBILITIES, ELIGIBILITIES.removeprefix("sha256:")):
        r = await _post(trusted, tokens.program("ASD"), {
            "documentId": document_id,
            "variables": {"program": "ASD", "idcs": [UNKNOWN_IDCS]}})
        assert r.status_code == 200, r.text
        assert r.json()["data"]["eligibilities"][0]["reasons"] == ["NOT_REGISTERED"]
    record = await _record(r)
    assert (record.operation, record.outcome) == ("Eligibilities", "ALLOWED")
    assert "Query.eligibilities" in record.fields_selected


async def test_a_registered_document_runs_by_its_text(trusted, tokens):
    r = await _post(trusted, tokens.program("ASD"), {
        "query": DOCUMENTS[ELIGIBILITIES], "variables": {"program": "ASD", "idcs": [UNKNOWN_IDCS]}})
    assert r.status_code == 200 and not r.json().get("errors"), r.text


async def test_a_registered_mutation_runs_by_id_and_is_audited_as_one(trusted, gql, tokens):
    admin = tokens.admin()
    head = await factories.register_person(gql, admin)
    household = (await gql.data(REGISTER_HOUSEHOLD, {"input": household_input(head, **POOR)},
                                admin))["registerHousehold"]
    r = await _post(trusted, tokens.program("ASD"), {
        "documentId": ENROLL, "variables": {"program": "ASD", "householdId": household["id"]}})
    assert r.json()["data"]["enroll"]["status"] == "ACTIVE", r.text
    record = await _record(r)
    assert (record.operation, record.operation_type, record.outcome) == (
        "Enroll", "mutation", "ALLOWED")
    assert household["id"] in record.subjects


async def test_an_unregistered_document_is_refused_for_a_trusted_role_and_audited(trusted, tokens):
    text = DOCUMENTS[ELIGIBILITIES].replace(" monthlyAmount", "")  # not the registered text
    for body in ({"query": "{ programs { code } }"},
                 {"query": text, "variables": {"program": "ASD", "idcs": [UNKNOWN_IDCS]}},
                 {"variables": {}},
                 [{"documentId": ELIGIBILITIES}]):
        r = await _post(trusted, tokens.program("ASD"), body)
        assert r.status_code == 403, (body, r.text)
        assert r.json()["errors"][0]["extensions"]["code"] == "PERSISTED_DOC_REQUIRED"
        assert "data" not in r.json()
        record = await _record(r)
        assert (record.outcome, record.error_code) == ("ERROR", "PERSISTED_DOC_REQUIRED")
        assert record.actor == "agency-ASD" and record.program == "ASD"


async def test_an_unknown_document_id_is_not_found_and_audited(trusted, tokens):
    for token in (tokens.program("ASD"), tokens.admin()):
        r = await _post(trusted, token, {"documentId": "sha256:" + "0" * 64,
                                         "operationName": "Guess"})
        assert r.status_code == 404
        assert r.json()["errors"][0]["extensions"]["code"] == "PERSISTED_DOC_NOT_FOUND"
        record = await _record(r)
        assert (record.operation, record.error_code) == ("Guess", "PERSISTED_DOC_NOT_FOUND")


async def test_a_document_id_also_works_over_get(trusted, tokens):
    variables = json.dumps({"program": "ASD", "idcs": [UNKNOWN_IDCS]})
    r = await trusted.get("/graphql", params={"documentId": ELIGIBILITIES, "variables": variables},
                          headers={"Authorization": f"Bearer {tokens.program('ASD')}"})
    assert r.status_code == 200 and r.json()["data"]["eligibilities"][0]["eligible"] is False


async def test_other_roles_keep_sending_full_documents(trusted, tokens):
    for token in (tokens.admin(), tokens.registrar("038"), tokens.auditor()):
        r = await _post(trusted, token, {"query": "{ programs { code } regions { code } }"})
        assert r.status_code == 200 and not r.json().get("errors"), r.text
    # and may use a registered id too
    r = await _post(trusted, tokens.admin(), {
        "documentId": ELIGIBILITIES, "variables": {"program": "ASD", "idcs": [UNKNOWN_IDCS]}})
    assert r.json()["data"]["eligibilities"][0]["eligible"] is False


async def test_without_the_mode_agencies_send_any_document(http, tokens):
    r = await _post(http, tokens.program("ASD"), {"query": "{ programs { code } }"})
    assert r.status_code == 200 and r.json()["data"]["programs"]


async def test_an_id_and_a_different_text_together_are_refused(trusted, tokens):
    r = await _post(trusted, tokens.admin(), {"documentId": ELIGIBILITIES,
                                              "query": "{ programs { code } }"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize(("content", "message"), [
    ("[1, 2]", "expected a JSON object"),
    ("{not json", "cannot read a JSON manifest"),
    ('{"abc": "{ programs { code } }"}', "is not a SHA-256"),
    (json.dumps({"sha256:" + "1" * 64: "{ programs { code } }"}), "is not the SHA-256 of"),
    (json.dumps({document_hash("{ programs { code }"): "{ programs { code }"}), "does not parse"),
    (json.dumps({document_hash("{ nothing }"): "{ nothing }"}), "does not validate"),
    (json.dumps({document_hash("type A { b: Int }"): "type A { b: Int }"}), "no operation"),
    (json.dumps({"sha256:" + document_hash("{ x }"): 5}), "is not a string"),
])
def test_a_malformed_manifest_fails_at_startup(tmp_path, content, message):
    manifest = tmp_path / "persisted-documents.json"
    manifest.write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match=message):
        create_app(Settings(SIJILL_TRUSTED_DOCUMENTS_ROLES="program_agency",
                            SIJILL_TRUSTED_DOCUMENTS_MANIFEST=str(manifest)))


def test_the_mode_needs_a_manifest_and_known_roles():
    with pytest.raises(ManifestError, match="needs SIJILL_TRUSTED_DOCUMENTS_MANIFEST"):
        create_app(Settings(SIJILL_TRUSTED_DOCUMENTS_ROLES="citizen"))
    with pytest.raises(ManifestError, match="unknown role"):
        create_app(Settings(SIJILL_TRUSTED_DOCUMENTS_ROLES="agency",
                            SIJILL_TRUSTED_DOCUMENTS_MANIFEST=str(MANIFEST)))
    with pytest.raises(ManifestError, match="cannot read"):
        create_app(Settings(SIJILL_TRUSTED_DOCUMENTS_ROLES="citizen",
                            SIJILL_TRUSTED_DOCUMENTS_MANIFEST="/nonexistent/manifest.json"))
