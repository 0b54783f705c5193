"""A mutation and its audit record commit together: no record, no change."""

import pytest

from api.models import AuditEvent, Person
from api.services import audit
from tests import factories

pytestmark = pytest.mark.e2e


async def test_a_mutation_whose_record_cannot_be_written_changes_nothing(gql, tokens, monkeypatch):
    async def broken(records):
        raise RuntimeError("audit storage unavailable")

    before = await Person.all().count()
    monkeypatch.setattr(audit, "append", broken)
    response = await gql.raw(factories.REGISTER_PERSON,
                             {"input": factories.person_input(cin="ZZ999999")}, tokens.admin())
    monkeypatch.undo()
    assert response.status_code == 500
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "INTERNAL"
    assert await Person.all().count() == before  # rolled back with its record
    assert await Person.filter(cin="ZZ999999").count() == 0


async def test_a_mutation_and_its_record_are_both_there(gql, tokens):
    response = await gql.raw(factories.REGISTER_PERSON,
                             {"input": factories.person_input(cin="ZY888888")}, tokens.admin())
    idcs = response.json()["data"]["registerPerson"]["idcs"]
    record = await AuditEvent.get(request_id=response.headers["x-request-id"])
    assert record.operation_type == "mutation" and record.outcome == "ALLOWED"
    assert idcs in record.subjects
    status = await audit.verify_chain()
    assert status.valid
