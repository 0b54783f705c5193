"""A mutation and its audit record commit together: no record, no change. The record names the
mutation's subjects: the household enrolled, the person removed or added."""

import asyncio

import pytest
from tortoise.transactions import in_transaction

from api.models import AuditEvent, AuditQueued, Person
from api.schema.schema import access_policy
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
    monkeypatch.setattr(audit, "enqueue", broken)
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


# ------------------------------------------------------------------ writers in parallel

async def test_concurrent_mutations_each_have_their_record_in_a_gap_free_chain(gql, tokens):
    """Mutations write their records without the chain's lock and are chained after commit:
    every acknowledged one is in the chain once, nothing stays queued, the chain verifies."""
    admin = tokens.admin()
    responses = await asyncio.gather(*(
        gql.raw(factories.REGISTER_PERSON, {"input": factories.person_input()}, admin)
        for _ in range(24)))
    assert all(r.status_code == 200 and not r.json().get("errors") for r in responses)
    ids = [r.headers["x-request-id"] for r in responses]
    records = await AuditEvent.filter(request_id__in=ids)
    assert sorted(r.request_id for r in records) == sorted(ids)
    assert await AuditQueued.all().count() == 0
    status = await audit.verify_chain()
    assert status.valid, status
    sequences = await AuditEvent.all().order_by("sequence").values_list("sequence", flat=True)
    assert list(sequences) == list(range(1, len(sequences) + 1))


async def test_an_open_mutation_does_not_hold_up_other_appends(database, gql, tokens):
    """The lock that orders the chain is not held from a mutation's record to its commit: while
    one transaction holds a queued record uncommitted, other requests' records are appended."""
    if database.engine != "postgres":
        pytest.skip("SQLite serialises writers: a write transaction excludes every other")
    queued = _record("held-open")
    others_done = asyncio.Event()

    async def read_meanwhile():
        response = await gql.raw("{ auditChain { valid } }", None, tokens.auditor())
        assert response.status_code == 200, response.text
        others_done.set()

    held, release = asyncio.Event(), asyncio.Event()

    async def mutation_transaction():  # a task: its transaction is its own, not the request's
        async with in_transaction():
            await audit.enqueue([queued])
            held.set()
            await release.wait()

    task = asyncio.create_task(mutation_transaction())
    await held.wait()
    try:
        # Under a lock held until commit, this would wait for ever (we commit only after it).
        await asyncio.wait_for(read_meanwhile(), timeout=60)
    finally:
        release.set()
        await task
    assert others_done.is_set()
    assert not await AuditEvent.filter(request_id="held-open").exists()  # queued, not chained
    await audit.sequence()
    assert await AuditEvent.filter(request_id="held-open").count() == 1
    assert (await audit.verify_chain()).valid


async def test_a_record_left_queued_is_chained_by_the_next_append(database, gql, tokens):
    """A worker that dies between its mutation's commit and the sequencing leaves the record
    durable in the queue; the next request of anyone chains it before its own."""
    if database.engine != "postgres":
        pytest.skip("on SQLite a mutation's record is chained in its own transaction")
    async with in_transaction():
        await audit.enqueue([_record("orphaned")])
    assert not await AuditEvent.filter(request_id="orphaned").exists()
    response = await gql.raw("{ programs { code } }", None, tokens.admin())
    orphan = await AuditEvent.get(request_id="orphaned")
    mine = await AuditEvent.get(request_id=response.headers["x-request-id"])
    assert orphan.sequence < mine.sequence
    assert await AuditQueued.all().count() == 0
    assert (await audit.verify_chain()).valid


def _record(request_id: str) -> audit.AuditRecord:
    return audit.AuditRecord(
        actor="test-writer", roles=["admin"], program=None, purpose=None,
        operation="registerPerson", operation_type="mutation", fields=["registerPerson.idcs"],
        subjects=["100000009"], outcome="ALLOWED", error_code=None, request_id=request_id,
        policy_version=access_policy().version)
