"""A mutation and its audit record commit together: no record, no change. The record names the
mutation's subjects: the household enrolled, the person removed or added."""

import pytest

from api.models import AuditEvent, Person
from api.services import audit, clock
from tests import factories
from tests.api.household_helpers import (
    ADD,
    ASD,
    ENROLL_ID,
    REMOVE,
    adult,
    poor_household,
    the_record_of,
)

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


async def test_enroll_records_the_household_as_subject(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    response = await gql.raw(ENROLL_ID, {"program": ASD, "householdId": h["id"]}, admin)
    assert not response.json().get("errors"), response.json()
    record = await the_record_of(response)
    assert h["id"] in record.subjects


async def test_remove_member_records_the_removed_person(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    leaving = household["_children"][0]
    response = await gql.raw(REMOVE, {"householdId": household["id"], "idcs": leaving,
                                      "reason": "MOVED_OUT", "effectiveDate": clock.today().isoformat()},
                             admin)
    assert not response.json().get("errors"), response.json()
    record = await the_record_of(response)
    assert leaving in record.subjects
    assert household["id"] in record.subjects


async def test_add_member_records_the_added_person(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    joining = await adult(gql, admin, firstName="Newcomer")
    response = await gql.raw(ADD, {"householdId": household["id"], "idcs": joining,
                                   "relationship": "OTHER_RELATIVE"}, admin)
    assert not response.json().get("errors"), response.json()
    record = await the_record_of(response)
    assert joining in record.subjects
