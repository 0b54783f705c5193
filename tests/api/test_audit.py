"""The audit log (contract §7, §3 auditEvents/auditChain): one hash-chained record per operation,
written durably before the response; what it records; how auditors read it; tamper evidence.

The audit tables are append-only and are not emptied between tests: every test works on the
records it adds (sequences after the last one it saw, its own request ids, actors and
operation names).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import importlib
import itertools
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from tortoise import Tortoise

import api.services.audit as audit_service
from api import cli
from api.models import AuditEvent, AuditSubject
from api.programs.catalogue import catalogue as program_catalogue
from api.schema.schema import access_policy
from api.settings import get_settings
from tests import factories
from tests.api.household_helpers import (
    ADD_MEMBER,
    REGISTER_HOUSEHOLD,
    adult,
    household_input,
    small_household,
    the_record_of,
    unregistered_idcs,
)

pytestmark = pytest.mark.e2e

AMO, ASD, TAYSSIR = "AMO_TADAMON", "ASD", "TAYSSIR"

NODE_FIELDS = """
  sequence at actor roles program purpose operation operationType fields deniedFields subjects
  outcome errorCode requestId clientRequestId policyVersion previousHash hash
"""

AUDIT_EVENTS = f"""
query AuditLog($filter: AuditFilter, $first: Int, $after: String) {{
  auditEvents(filter: $filter, first: $first, after: $after) {{
    edges {{ cursor node {{ {NODE_FIELDS} }} }}
    pageInfo {{ hasNextPage endCursor }}
    totalCount
  }}
}}
"""

AUDIT_CHAIN = "query Chain { auditChain { valid length headHash firstInvalidSequence } }"


# ------------------------------------------------------------------------------------ helpers

def unique(prefix: str) -> str:
    """A fresh name, valid as a GraphQL operation name and as a token subject."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


async def post(gql, query: str, variables: dict | None = None, token: str | None = None, *,
               operation_name: str | None = None, request_id: str | None = None,
               authorization: str | None = None):
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if authorization is not None:
        headers["Authorization"] = authorization
    if request_id is not None:
        headers["X-Request-Id"] = request_id
    body: dict = {"query": query, "variables": variables or {}}
    if operation_name is not None:
        body["operationName"] = operation_name
    return await gql.http.post("/graphql", json=body, headers=headers)


async def last_sequence() -> int:
    row = await AuditEvent.all().order_by("-sequence").first()
    return row.sequence if row else 0


async def rows_after(sequence: int) -> list[AuditEvent]:
    return await AuditEvent.filter(sequence__gt=sequence).order_by("sequence")


async def the_one_record(since: int, response) -> AuditEvent:
    """The request left exactly one record, and it carries the response's X-Request-Id."""
    request_id = response.headers.get("x-request-id")
    assert request_id, response.headers
    rows = await rows_after(since)
    assert [r.request_id for r in rows] == [request_id], [(r.sequence, r.request_id) for r in rows]
    return rows[0]


async def audit_page(gql, tokens, filter: dict | None = None, first: int | None = 50,
                     after: str | None = None) -> dict:
    body = await gql(AUDIT_EVENTS, {"filter": filter, "first": first, "after": after},
                     tokens.auditor())
    assert not body.get("errors"), body
    return body["data"]["auditEvents"]


async def audit_nodes(gql, tokens, filter: dict) -> list[dict]:
    """Every event matching the filter, newest first, as the auditor reads them."""
    nodes, after = [], None
    while True:
        page = await audit_page(gql, tokens, filter, first=100, after=after)
        nodes += [e["node"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return nodes
        after = page["pageInfo"]["endCursor"]


async def the_node(gql, tokens, operation: str) -> dict:
    nodes = await audit_nodes(gql, tokens, {"operation": operation})
    assert len(nodes) == 1, nodes
    return nodes[0]


def assert_record(node: dict, **expected) -> None:
    for key, value in expected.items():
        assert node[key] == value, (key, node[key], value, node)
    assert node["policyVersion"] and node["policyVersion"] == access_policy().version
    assert len(node["hash"]) == 64 and len(node["previousHash"]) == 64


def error_code(body: dict) -> str | None:
    errors = body.get("errors") or []
    return (errors[0].get("extensions") or {}).get("code") if errors else None


async def run_cli(argv: list[str]) -> int:
    """`sijill …` in-process, in a worker thread with its own event loop and a fresh context
    (so its Tortoise.init/close_connections do not touch the app's connections)."""
    return await asyncio.to_thread(contextvars.Context().run, cli.main, argv)


@pytest.fixture
def cli_env(monkeypatch, database):
    monkeypatch.setenv("DATABASE_URL", database.url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


async def a_household(gql, tokens) -> dict:
    return await small_household(gql, tokens.registrar("038"), extra=2)


# -------------------------------------------------------- one record per operation, of any kind

async def test_a_query_leaves_one_record(gql, tokens):
    idcs = await factories.register_person(gql, tokens.admin(), firstName="Rachida")
    actor, op = unique("admin"), unique("ReadPerson")
    purpose = "dossier 2026/114 — مراجعة"
    token = tokens.make(["admin"], actor, purpose=purpose)
    before = await last_sequence()
    response = await post(gql, f"query {op}($idcs: String!) {{ person(idcs: $idcs) "
                               "{ firstName lastName } }", {"idcs": idcs}, token)
    assert response.status_code == 200
    assert response.json()["data"]["person"]["firstName"] == "Rachida"
    row = await the_one_record(before, response)

    node = await the_node(gql, tokens, op)
    assert_record(
        node, sequence=row.sequence, actor=actor, roles=["admin"], program=None, purpose=purpose,
        operation=op, operationType="query",
        fields=["Person.firstName", "Person.lastName", "Query.person"],
        deniedFields=[], subjects=[idcs], outcome="ALLOWED", errorCode=None,
        requestId=response.headers["x-request-id"],
    )
    at = datetime.fromisoformat(node["at"])
    assert abs(at - datetime.now(UTC)) < timedelta(minutes=1)


async def test_a_mutation_leaves_one_record(gql, tokens):
    actor, op = unique("registrar"), unique("Enrol")
    token = tokens.make(["registrar"], actor, provinces=["038"], purpose="guichet Anfa")
    before = await last_sequence()
    response = await post(
        gql, f"mutation {op}($input: RegisterPersonInput!) "
             "{ registerPerson(input: $input) { idcs lastName } }",
        {"input": factories.person_input(lastName="Bennani")}, token,
    )
    body = response.json()
    assert not body.get("errors"), body
    idcs = body["data"]["registerPerson"]["idcs"]
    row = await the_one_record(before, response)

    node = await the_node(gql, tokens, op)
    assert_record(
        node, sequence=row.sequence, actor=actor, roles=["registrar"], program=None,
        purpose="guichet Anfa", operation=op, operationType="mutation",
        fields=["Mutation.registerPerson", "Person.idcs", "Person.lastName"],
        deniedFields=[], subjects=[idcs], outcome="ALLOWED", errorCode=None,
        requestId=response.headers["x-request-id"],
    )


@pytest.mark.parametrize("document, denied, fields", [
    ("query {op}($idcs: String!) {{ person(idcs: $idcs) {{ firstName phone }} }}",
     ["Person.phone", "Query.person"],
     ["Person.firstName", "Person.phone", "Query.person"]),
    ("query {op}($idcs: String!) {{ eligibility(program: AMO_TADAMON, idcs: $idcs) {{ eligible "
     "household {{ members {{ person {{ firstName phone }} }} }} }} }}",
     ["Person.phone"],
     ["Eligibility.eligible", "Eligibility.household", "Household.members", "Member.person",
      "Person.firstName", "Person.phone", "Query.eligibility"]),
], ids=["through-person", "through-eligibility"])
async def test_a_denied_query_leaves_one_denied_record(gql, tokens, document, denied, fields):
    household = await a_household(gql, tokens)
    actor, op = unique("agency"), unique("PeekPhone")
    token = tokens.make(["program_agency"], actor, program=AMO, purpose="ELIGIBILITY_CHECK")
    before = await last_sequence()
    response = await post(gql, document.format(op=op), {"idcs": household["_head"]}, token)
    body = response.json()
    assert body.get("data") is None, body
    assert error_code(body) == "FORBIDDEN"
    assert sorted(body["errors"][0]["extensions"]["deniedFields"]) == denied
    assert "0612345678" not in response.text
    row = await the_one_record(before, response)

    node = await the_node(gql, tokens, op)
    assert_record(
        node, sequence=row.sequence, actor=actor, roles=["program_agency"], program=AMO,
        purpose="ELIGIBILITY_CHECK", operation=op, operationType="query", fields=fields,
        deniedFields=denied, subjects=[household["_head"]], outcome="DENIED",
        errorCode="FORBIDDEN", requestId=response.headers["x-request-id"],
    )
    # who tried to read whom: the refused document named the head (contract §7a)
    assert await AuditSubject.filter(sequence=row.sequence).count() == 1


async def test_a_failing_query_leaves_one_error_record(gql, tokens):
    await factories.register_person(gql, tokens.admin())
    missing = await unregistered_idcs()
    actor, op = unique("admin"), unique("Missing")
    before = await last_sequence()
    response = await post(gql, f"query {op}($idcs: String!) {{ person(idcs: $idcs) "
                               "{ idcs firstName } }", {"idcs": missing},
                          tokens.make(["admin"], actor))
    assert error_code(response.json()) == "NOT_FOUND"
    row = await the_one_record(before, response)

    node = await the_node(gql, tokens, op)
    assert_record(
        node, sequence=row.sequence, actor=actor, roles=["admin"], program=None, purpose=None,
        operation=op, operationType="query",
        fields=["Person.firstName", "Person.idcs", "Query.person"],
        deniedFields=[], subjects=[], outcome="ERROR", errorCode="NOT_FOUND",
        requestId=response.headers["x-request-id"],
    )


async def test_a_malformed_document_leaves_one_error_record(gql, tokens):
    actor, op = unique("admin"), unique("Broken")
    before = await last_sequence()
    response = await post(gql, f'query {op} {{ person(idcs: "1") {{ idcs ', None,
                          tokens.make(["admin"], actor, purpose="typo"), operation_name=op)
    assert response.status_code == 200  # application/json: 200 with errors (§1)
    body = response.json()
    assert body.get("data") is None
    assert error_code(body) == "BAD_USER_INPUT"
    row = await the_one_record(before, response)

    node = await the_node(gql, tokens, op)
    assert_record(
        node, sequence=row.sequence, actor=actor, roles=["admin"], program=None, purpose="typo",
        operation=op, operationType="unknown", fields=[], deniedFields=[], subjects=[],
        outcome="ERROR", errorCode="BAD_USER_INPUT",
        requestId=response.headers["x-request-id"],
    )


async def test_an_unnamed_operation_is_recorded_as_anonymous(gql, tokens):
    actor = unique("admin")
    before = await last_sequence()
    response = await post(gql, "{ me { subject } }", None, tokens.make(["admin"], actor))
    assert response.json()["data"]["me"]["subject"] == actor
    row = await the_one_record(before, response)
    assert (row.operation, row.operation_type, row.actor) == ("anonymous", "query", actor)
    assert sorted(row.fields_selected) == ["Query.me", "Viewer.subject"]


async def test_the_chosen_operation_of_a_multi_operation_document_is_recorded(gql, tokens):
    actor, first_op, second_op = unique("admin"), unique("First"), unique("Second")
    document = f"query {first_op} {{ programs {{ code }} }} query {second_op} {{ me {{ subject }} }}"
    before = await last_sequence()
    response = await post(gql, document, None, tokens.make(["admin"], actor),
                          operation_name=second_op)
    assert response.json()["data"] == {"me": {"subject": actor}}
    row = await the_one_record(before, response)
    assert (row.operation, row.operation_type) == (second_op, "query")
    assert sorted(row.fields_selected) == ["Query.me", "Viewer.subject"]


async def test_an_anonymous_request_leaves_one_record(gql, tokens):
    op = unique("Catalogue")
    before = await last_sequence()
    response = await post(gql, f"query {op} {{ programs {{ code name }} }}")
    assert response.status_code == 200
    assert {p["code"] for p in response.json()["data"]["programs"]} == {AMO, ASD, TAYSSIR}
    row = await the_one_record(before, response)

    node = await the_node(gql, tokens, op)
    assert_record(
        node, sequence=row.sequence, actor="anonymous", roles=[], program=None, purpose=None,
        operation=op, operationType="query",
        fields=["Program.code", "Program.name", "Query.programs"],
        deniedFields=[], subjects=[], outcome="ALLOWED", errorCode=None,
        requestId=response.headers["x-request-id"],
    )


@pytest.mark.parametrize("authorization", ["Bearer not.a.jwt", "Basic YWRtaW46YWRtaW4="])
async def test_an_invalid_token_leaves_one_error_record(gql, tokens, authorization):
    op = unique("WithBadToken")
    before = await last_sequence()
    response = await post(gql, f"query {op} {{ me {{ subject roles }} }}",
                          authorization=authorization)
    assert response.status_code == 401
    body = response.json()
    assert body.get("data") is None and error_code(body) == "UNAUTHENTICATED"
    row = await the_one_record(before, response)

    node = await the_node(gql, tokens, op)
    assert_record(
        node, sequence=row.sequence, actor="anonymous", roles=[], program=None, purpose=None,
        operation=op, operationType="query", fields=["Query.me", "Viewer.roles", "Viewer.subject"],
        deniedFields=[], subjects=[], outcome="ERROR", errorCode="UNAUTHENTICATED",
        requestId=response.headers["x-request-id"],
    )


async def test_an_anonymous_request_for_protected_data_is_recorded(gql, tokens):
    op = unique("NoToken")
    before = await last_sequence()
    response = await post(gql, f"query {op} {{ me {{ subject }} }}")
    assert response.status_code == 401
    assert error_code(response.json()) == "UNAUTHENTICATED"
    row = await the_one_record(before, response)
    assert (row.actor, row.operation, row.operation_type) == ("anonymous", op, "query")
    # refused by the field check (nothing granted to anonymous callers): DENIED, 401
    assert (row.outcome, row.error_code) == ("DENIED", "UNAUTHENTICATED")
    assert sorted(row.fields_selected) == ["Query.me", "Viewer.subject"]
    assert sorted(row.denied_fields) == ["Query.me", "Viewer.subject"]
    assert list(row.subjects) == []


async def test_a_client_request_id_is_kept_beside_the_servers_own(gql, tokens):
    """`requestId` is always the server's, unique; the client's X-Request-Id is kept as
    `clientRequestId` (a client-chosen id made request ids non-unique)."""
    request_id = unique("req")
    before = await last_sequence()
    response = await post(gql, "query Ping { programs { code } }", request_id=request_id)
    assert response.headers["x-request-id"] != request_id
    row = await the_one_record(before, response)
    assert row.request_id == response.headers["x-request-id"]
    assert row.client_request_id == request_id
    again = await post(gql, "query Ping { programs { code } }", request_id=request_id)
    assert again.headers["x-request-id"] != response.headers["x-request-id"]
    exported = audit_service.canonical(row.sequence, audit_service.record_of(row))
    assert f'"clientRequestId":"{request_id}"' in exported
    # without one, the server makes a fresh id per request
    first = await post(gql, "query Ping { programs { code } }")
    second = await post(gql, "query Ping { programs { code } }")
    ids = {first.headers["x-request-id"], second.headers["x-request-id"]}
    assert len(ids) == 2 and all(ids)


# ---------------------------------------------------------------------------------- subjects

async def test_reading_a_household_records_it_and_every_member(gql, tokens):
    household = await factories.register_household(gql, tokens.registrar("038"), children=2)
    members = [household["_head"], household["_spouse"], *household["_children"]]
    op = unique("SeeHousehold")
    before = await last_sequence()
    response = await post(
        gql, f"query {op}($id: ID!) {{ household(id: $id) "
             "{ reference members { relationship person { firstName } } } }",
        {"id": household["id"]}, tokens.admin(),
    )
    assert len(response.json()["data"]["household"]["members"]) == 4
    row = await the_one_record(before, response)
    expected = sorted([household["id"], *members])
    assert sorted(row.subjects) == expected
    assert sorted(await AuditSubject.filter(sequence=row.sequence)
                  .values_list("subject", flat=True)) == expected
    assert (await the_node(gql, tokens, op))["subjects"] == expected


async def test_an_eligibility_lookup_records_the_idcs_asked(gql, tokens):
    household = await a_household(gql, tokens)
    before = await last_sequence()
    response = await post(gql, "query Check($idcs: String!) { eligibility(program: AMO_TADAMON, "
                               "idcs: $idcs) { eligible reasons } }",
                          {"idcs": household["_head"]}, tokens.program(AMO))
    assert not response.json().get("errors")
    row = await the_one_record(before, response)
    assert list(row.subjects) == [household["_head"]]
    assert row.outcome == "ALLOWED" and row.program == AMO

    # the household too, when its data is returned
    before = await last_sequence()
    response = await post(gql, "query Check($idcs: String!) { eligibility(program: AMO_TADAMON, "
                               "idcs: $idcs) { eligible household { id } } }",
                          {"idcs": household["_others"][0]}, tokens.program(AMO))
    assert response.json()["data"]["eligibility"]["household"]["id"] == household["id"]
    row = await the_one_record(before, response)
    assert sorted(row.subjects) == sorted([household["_others"][0], household["id"]])


async def test_a_bulk_eligibility_records_every_id(gql, tokens):
    household = await a_household(gql, tokens)
    unknown = await unregistered_idcs()
    asked = [household["_head"], unknown, *household["_others"]]
    before = await last_sequence()
    response = await post(gql, "query Bulk($idcs: [String!]!) { eligibilities(program: ASD, "
                               "idcs: $idcs) { idcs eligible } }", {"idcs": asked},
                          tokens.program(ASD))
    answers = response.json()["data"]["eligibilities"]
    assert [a["idcs"] for a in answers] == asked
    row = await the_one_record(before, response)
    assert sorted(row.subjects) == sorted(asked)
    assert sorted(await AuditSubject.filter(sequence=row.sequence)
                  .values_list("subject", flat=True)) == sorted(asked)


async def test_add_household_member_records_the_household_and_the_person_when_selected(gql,
                                                                                      tokens):
    registrar = tokens.registrar("038")
    household = await a_household(gql, tokens)
    first, second = await adult(gql, registrar), await adult(gql, registrar)

    before = await last_sequence()
    response = await post(
        gql, "mutation AddOne($h: ID!, $i: String!) { addHouseholdMember(householdId: $h, "
             "idcs: $i, relationship: SIBLING) { id version } }",
        {"h": household["id"], "i": first}, registrar,
    )
    assert not response.json().get("errors"), response.json()
    row = await the_one_record(before, response)
    # the household returned, and the person added (changed), even when not selected
    assert sorted(row.subjects) == sorted([household["id"], first])
    assert row.operation_type == "mutation" and row.operation == "AddOne"

    before = await last_sequence()
    response = await post(gql, ADD_MEMBER, {"householdId": household["id"], "idcs": second,
                                            "relationship": "SIBLING"}, registrar)
    members = [m["person"]["idcs"] for m in response.json()["data"]["addHouseholdMember"]["members"]]
    assert second in members and first in members
    row = await the_one_record(before, response)
    assert second in row.subjects
    assert sorted(row.subjects) == sorted({household["id"], household["_head"], *members})


async def test_who_saw_household_x_is_one_query(gql, tokens):
    registrar, admin, amo = tokens.registrar("038"), tokens.admin(), tokens.program(AMO)
    head = await adult(gql, registrar, firstName="Youssef", sex="MALE", birthDate="1975-01-01")
    spouse = await adult(gql, registrar, birthDate="1980-02-02")
    saw: list[str] = []

    def rid() -> str:
        return unique("rid")

    r = rid()
    response = await post(gql, REGISTER_HOUSEHOLD,
                          {"input": household_input(head, [(spouse, "SPOUSE")])}, registrar,
                          request_id=r)
    x = response.json()["data"]["registerHousehold"]["id"]
    saw.append(r)
    other = await a_household(gql, tokens)

    r = rid()  # the admin reads X
    await post(gql, "query($id: ID!) { household(id: $id) { reference } }", {"id": x}, admin,
               request_id=r)
    saw.append(r)
    # the admin reads another household: not X
    await post(gql, "query($id: ID!) { household(id: $id) { reference } }", {"id": other["id"]},
               admin, request_id=rid())
    r = rid()  # an agency's eligibility lookup that returns X
    response = await post(gql, "query($i: String!) { eligibility(program: AMO_TADAMON, idcs: $i) "
                               "{ eligible household { id size } } }", {"i": spouse}, amo,
                          request_id=r)
    assert response.json()["data"]["eligibility"]["household"]["id"] == x
    saw.append(r)
    # a lookup that returns only the person's eligibility, a denied attempt, a miss: not X
    await post(gql, "query($i: String!) { eligibility(program: AMO_TADAMON, idcs: $i) "
                    "{ eligible } }", {"i": head}, amo, request_id=rid())
    denied = await post(gql, "query($i: String!) { eligibility(program: AMO_TADAMON, idcs: $i) "
                             "{ household { id members { person { phone } } } } }", {"i": head},
                        amo, request_id=rid())
    assert error_code(denied.json()) == "FORBIDDEN"
    missing = await post(gql, "query($id: ID!) { household(id: $id) { id } }",
                         {"id": x}, tokens.registrar("001"), request_id=rid())
    assert error_code(missing.json()) == "NOT_FOUND"

    page = await audit_page(gql, tokens, {"subject": x}, first=50)
    assert page["totalCount"] == len(saw)
    assert [e["node"]["clientRequestId"] for e in page["edges"]] == list(reversed(saw))
    assert all(x in e["node"]["subjects"] for e in page["edges"])

    # by IDCS too: the spouse's data was returned by the registration and the lookup above
    spouse_events = await audit_nodes(gql, tokens, {"subject": spouse})
    assert {saw[0], saw[2]} <= {n["clientRequestId"] for n in spouse_events}
    assert all(spouse in n["subjects"] for n in spouse_events)


# ----------------------------------------------------------------------- reading: auditEvents

async def test_audit_events_are_newest_first_with_keyset_pagination(gql, tokens):
    actor = unique("pager")
    token = tokens.make(["registrar"], actor, provinces=["038"])
    for _ in range(7):
        assert not (await gql("query Me { me { subject } }", None, token)).get("errors")
    expected = [r.sequence for r in await AuditEvent.filter(actor=actor).order_by("-sequence")]
    assert len(expected) == 7

    seen, after, has_next = [], None, True
    pages = 0
    while has_next:
        page = await audit_page(gql, tokens, {"actor": actor}, first=3, after=after)
        pages += 1
        assert page["totalCount"] == 7
        edges = page["edges"]
        assert edges and len(edges) <= 3
        assert page["pageInfo"]["endCursor"] == edges[-1]["cursor"]
        seen += [e["node"]["sequence"] for e in edges]
        has_next, after = page["pageInfo"]["hasNextPage"], page["pageInfo"]["endCursor"]
    assert pages == 3
    assert seen == expected  # newest first, no duplicate, no gap

    empty = await audit_page(gql, tokens, {"actor": actor}, first=3,
                             after=audit_service.encode_cursor(min(expected)))
    assert empty["edges"] == [] and empty["pageInfo"] == {"hasNextPage": False, "endCursor": None}
    assert empty["totalCount"] == 7


async def test_unfiltered_pages_are_contiguous_while_the_log_grows(gql, tokens):
    """Every page request appends a record at the head; keyset pages must not shift."""
    top = await last_sequence()
    seen, after = [], None
    for _ in range(3):
        page = await audit_page(gql, tokens, None, first=4, after=after)
        seen += [e["node"]["sequence"] for e in page["edges"]]
        after = page["pageInfo"]["endCursor"]
    assert seen[0] >= top
    assert seen == list(range(seen[0], seen[0] - 12, -1)), seen


async def test_audit_event_filters(gql, tokens):
    household = await a_household(gql, tokens)
    actor, look, peek, broken = unique("agency"), unique("Look"), unique("Peek"), unique("Broken")
    amo = tokens.make(["program_agency"], actor, program=AMO)
    asd = tokens.make(["program_agency"], actor, program=ASD)
    look_query = (f"query {look}($p: ProgramCode!, $i: String!) "
                  "{ eligibility(program: $p, idcs: $i) { eligible } }")
    ids = []
    for token, program, query, name in [
        (amo, AMO, look_query, None),
        (asd, ASD, look_query, None),
        (amo, AMO, f"query {peek}($i: String!) {{ person(idcs: $i) {{ phone }} }}", None),
        (asd, ASD, f"query {broken} {{ eligibility(", broken),
    ]:
        variables = {"i": household["_head"]} | ({"p": program} if query == look_query else {})
        response = await post(gql, query, variables, token, operation_name=name)
        ids.append(response.headers["x-request-id"])
        await asyncio.sleep(0.002)  # distinct timestamps for the from/to filters

    everything = await audit_page(gql, tokens, {"actor": actor})
    assert everything["totalCount"] == 4
    nodes = [e["node"] for e in everything["edges"]]
    assert [n["requestId"] for n in nodes] == list(reversed(ids))  # newest first
    by_id = {n["requestId"]: n for n in nodes}
    assert [by_id[i]["outcome"] for i in ids] == ["ALLOWED", "ALLOWED", "DENIED", "ERROR"]
    assert [by_id[i]["program"] for i in ids] == [AMO, ASD, AMO, ASD]

    async def request_ids(filter: dict) -> list[str]:
        page = await audit_page(gql, tokens, filter)
        assert page["totalCount"] == len(page["edges"])
        return [e["node"]["requestId"] for e in page["edges"]]

    assert await request_ids({"actor": actor, "program": ASD}) == [ids[3], ids[1]]
    assert await request_ids({"program": ASD, "operation": look}) == [ids[1]]
    assert await request_ids({"operation": look}) == [ids[1], ids[0]]
    assert await request_ids({"operation": peek}) == [ids[2]]
    assert await request_ids({"actor": actor, "outcome": "DENIED"}) == [ids[2]]
    assert await request_ids({"actor": actor, "outcome": "ERROR"}) == [ids[3]]
    assert await request_ids({"actor": actor, "outcome": "ALLOWED"}) == [ids[1], ids[0]]
    # from is inclusive, to exclusive
    at = [by_id[i]["at"] for i in ids]
    assert await request_ids({"actor": actor, "from": at[1], "to": at[3]}) == [ids[2], ids[1]]
    assert await request_ids({"actor": actor, "from": at[3]}) == [ids[3]]
    assert await request_ids({"actor": actor, "to": at[0]}) == []
    assert await request_ids({"actor": actor, "to": at[1]}) == [ids[0]]
    # a program filter alone returns only that program's events
    page = await audit_page(gql, tokens, {"program": TAYSSIR}, first=20)
    assert all(e["node"]["program"] == TAYSSIR for e in page["edges"])
    nobody = await audit_page(gql, tokens, {"actor": unique("nobody")})
    assert nobody == {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None},
                      "totalCount": 0}


async def test_audit_events_refuse_bad_arguments(gql, tokens):
    body = await gql(AUDIT_EVENTS, {"after": "not-a-cursor"}, tokens.auditor())
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["field"] == "after"
    body = await gql(AUDIT_EVENTS, {"first": 10_000}, tokens.auditor())
    assert error_code(body) == "BAD_USER_INPUT"


@pytest.mark.parametrize("caller", ["program_agency", "registrar", "citizen"])
async def test_only_auditors_and_admins_read_the_audit_log(gql, tokens, caller):
    token = {"program_agency": tokens.program(AMO), "registrar": tokens.registrar("038"),
             "citizen": tokens.citizen("1234567897")}[caller]
    body = await gql(AUDIT_EVENTS, {}, token)
    assert body.get("data") is None
    assert error_code(body) == "FORBIDDEN"
    assert "Query.auditEvents" in body["errors"][0]["extensions"]["deniedFields"]
    body = await gql(AUDIT_CHAIN, None, token)
    assert error_code(body) == "FORBIDDEN"
    assert "Query.auditChain" in body["errors"][0]["extensions"]["deniedFields"]


async def test_anonymous_callers_cannot_read_the_audit_log(gql):
    response = await gql.raw(AUDIT_EVENTS, {})
    assert response.status_code == 401
    assert error_code(response.json()) == "UNAUTHENTICATED"


async def test_admins_read_the_audit_log(gql, tokens):
    page = (await gql.data(AUDIT_EVENTS, {"first": 2}, tokens.admin()))["auditEvents"]
    assert len(page["edges"]) == 2 and page["totalCount"] >= 2
    assert (await gql.data(AUDIT_CHAIN, None, tokens.admin()))["auditChain"]["valid"] is True


async def test_auditors_read_no_person_or_household(gql, tokens):
    household = await a_household(gql, tokens)
    auditor = tokens.auditor()
    for query, variables in [
        ("query($id: ID!) { household(id: $id) { id } }", {"id": household["id"]}),
        ("query($i: String!) { person(idcs: $i) { idcs } }", {"i": household["_head"]}),
        ("query { households(first: 5) { totalCount } }", {}),
        ("query($i: String!) { eligibility(program: ASD, idcs: $i) { eligible } }",
         {"i": household["_head"]}),
    ]:
        before = await last_sequence()
        response = await gql.raw(query, variables, auditor)
        body = response.json()
        assert body.get("data") is None, body
        assert error_code(body) == "FORBIDDEN", body
        assert household["_head"] not in response.text
        row = await the_one_record(before, response)
        # the refused record names whom the document named (contract §7a)
        named = sorted(v for v in variables.values())
        assert (row.outcome, row.actor, sorted(row.subjects)) == ("DENIED", "auditor-1", named)

    grants = (await gql.data("query { accessPolicy { subject field action } }", None,
                             auditor))["accessPolicy"]
    assert {"subject": "role:auditor", "field": "Query.auditEvents", "action": "read"} in grants
    chain = (await gql.data(AUDIT_CHAIN, None, auditor))["auditChain"]
    assert chain["valid"] is True and chain["firstInvalidSequence"] is None


# ------------------------------------------------------------------ durability before disclosure

async def test_no_record_no_data(gql, tokens, monkeypatch):
    idcs = await factories.register_person(gql, tokens.admin(), firstName="Khadija",
                                           phone="0698765432")
    query = "query Leak($i: String!) { person(idcs: $i) { firstName lastName phone cin } }"

    async def broken_append(records):
        raise RuntimeError("disk full")

    before = await last_sequence()
    monkeypatch.setattr(audit_service, "append", broken_append)
    monkeypatch.setattr(audit_service, "enqueue", broken_append)  # a mutation's record
    response = await post(gql, query, {"i": idcs}, tokens.admin())
    mutation = await post(gql, "mutation Reg($input: RegisterPersonInput!) "
                               "{ registerPerson(input: $input) { idcs firstName } }",
                          {"input": factories.person_input(firstName="Zineb")}, tokens.admin())
    monkeypatch.undo()

    assert response.status_code == 500
    body = response.json()
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["INTERNAL"]
    for secret in ("Khadija", "0698765432", idcs, "disk full", "RuntimeError", "Traceback"):
        assert secret not in response.text
    assert response.headers["x-request-id"]
    assert mutation.status_code == 500
    assert mutation.json()["data"] is None and "Zineb" not in mutation.text
    assert await last_sequence() == before  # nothing was written

    # the writer recovers, and the chain is intact
    after = await post(gql, query, {"i": idcs}, tokens.admin())
    assert after.status_code == 200 and after.json()["data"]["person"]["firstName"] == "Khadija"
    await the_one_record(before, after)
    status = await audit_service.verify_chain()
    assert status.valid and status.length == before + 1


# ------------------------------------------------------------------------------ tamper evidence

def _migration_trigger(name: str) -> str:
    """The SQLite trigger exactly as the audit migration creates it."""
    path = next(Path(__file__).resolve().parents[2].glob("migrations/models/3_*_audit.py"))
    migration = importlib.import_module(f"migrations.models.{path.stem}")
    match = re.search(rf'CREATE TRIGGER IF NOT EXISTS "{name}".*?END;', migration.SQLITE, re.S)
    assert match, name
    return match.group(0)


SQLITE_NO_UPDATE_TRIGGER = _migration_trigger("tg_audit_events_no_update")


async def test_an_altered_record_breaks_the_chain_at_that_sequence(gql, tokens, database, capsys,
                                                                   cli_env):
    conn = Tortoise.get_connection("default")
    verified = unique("verified")
    await gql("query W { me { subject } }", None, tokens.make(["registrar"], verified))
    assert (await gql.data(AUDIT_CHAIN, None, tokens.auditor()))["auditChain"]["valid"] is True
    old = await AuditEvent.get(actor=verified)  # behind the point auditChain has verified
    actors = [unique("witness") for _ in range(3)]
    for actor in actors:
        await gql("query W { me { subject } }", None, tokens.make(["registrar"], actor))
    victim = await AuditEvent.get(actor=actors[1])

    if database.engine == "postgres":
        disable = "ALTER TABLE audit_events DISABLE TRIGGER tg_audit_events_append_only"
        enable = "ALTER TABLE audit_events ENABLE TRIGGER tg_audit_events_append_only"
    else:
        disable = 'DROP TRIGGER "tg_audit_events_no_update"'
        enable = SQLITE_NO_UPDATE_TRIGGER
    await conn.execute_script(disable)
    try:
        await conn.execute_script(
            f"UPDATE audit_events SET actor = 'mallory' WHERE sequence = {victim.sequence}")
        chain = (await gql.data(AUDIT_CHAIN, None, tokens.auditor()))["auditChain"]
        assert chain["valid"] is False
        assert chain["firstInvalidSequence"] == victim.sequence
        assert chain["length"] == victim.sequence - 1
        status = await audit_service.verify_chain()
        assert (status.valid, status.first_invalid_sequence) == (False, victim.sequence)

        capsys.readouterr()
        assert await run_cli(["audit", "verify"]) == 1
        out = capsys.readouterr().out
        assert f"sequence {victim.sequence}" in out and "BROKEN" in out
    finally:
        await conn.execute_script(
            f"UPDATE audit_events SET actor = '{victim.actor}' "
            f"WHERE sequence = {victim.sequence}")
        await conn.execute_script(enable)

    assert (await AuditEvent.get(sequence=victim.sequence)).actor == victim.actor
    chain = (await gql.data(AUDIT_CHAIN, None, tokens.auditor()))["auditChain"]
    assert chain["valid"] is True and chain["firstInvalidSequence"] is None
    assert await run_cli(["audit", "verify"]) == 0
    assert "audit chain valid" in capsys.readouterr().out

    # A record already verified: the full verification recomputes it (`auditChain` finds it
    # when its sweep comes by: test_audit_chain_sweeps_records_behind_its_verified_point)
    await conn.execute_script(disable)
    try:
        await conn.execute_script(
            f"UPDATE audit_events SET actor = 'mallory' WHERE sequence = {old.sequence}")
        assert await run_cli(["audit", "verify"]) == 1
        assert f"sequence {old.sequence}" in capsys.readouterr().out
    finally:
        await conn.execute_script(
            f"UPDATE audit_events SET actor = '{old.actor}' WHERE sequence = {old.sequence}")
        await conn.execute_script(enable)
    # the trigger is back
    with pytest.raises(Exception, match="append-only"):
        await conn.execute_query(
            f"UPDATE audit_events SET actor = 'mallory' WHERE sequence = {victim.sequence}")


async def test_audit_chain_goes_on_from_its_last_verified_point(gql, tokens, count_queries):
    """Each call reads the records appended since the previous one, not the whole log."""
    for _ in range(3):
        await gql("query W { me { subject } }", None, tokens.admin())
    first = (await gql.data(AUDIT_CHAIN, None, tokens.auditor()))["auditChain"]
    point = await audit_service.AuditVerifiedPoint.all().order_by("-sequence").first()
    assert first["valid"] and point.sequence == first["length"]
    assert point.hash == first["headHash"]
    second = (await gql.data(AUDIT_CHAIN, None, tokens.auditor()))["auditChain"]
    assert second["length"] == first["length"] + 1  # the first call's own record, and only it


@contextlib.asynccontextmanager
async def append_only_lifted(database):
    """What the owner of the tables can do: lift the append-only trigger for a while."""
    conn = Tortoise.get_connection("default")
    if database.engine == "postgres":
        disable = "ALTER TABLE audit_events DISABLE TRIGGER tg_audit_events_append_only"
        enable = "ALTER TABLE audit_events ENABLE TRIGGER tg_audit_events_append_only"
    else:
        disable = 'DROP TRIGGER "tg_audit_events_no_update"'
        enable = SQLITE_NO_UPDATE_TRIGGER
    await conn.execute_script(disable)
    try:
        yield conn
    finally:
        await conn.execute_script(enable)


async def edit_behind_the_back(sequence: int, actor: str, database) -> None:
    """Change a record's content, its hashes untouched."""
    async with append_only_lifted(database) as conn:
        await conn.execute_script(
            f"UPDATE audit_events SET actor = '{actor}' WHERE sequence = {sequence}")


async def sweep_calls(gql, tokens) -> list[dict]:
    """`auditChain` called as often as the rest of a pass of the sweep and the next pass may
    take, and once more."""
    point = await audit_service.AuditVerifiedPoint.filter(sequence__gt=0).order_by(
        "-sequence").first()
    calls = 2 * -(-(point.sequence + 10) // audit_service.SWEEP_WINDOW) + 1
    return [(await gql.data(AUDIT_CHAIN, None, tokens.auditor()))["auditChain"]
            for _ in range(calls)]


async def test_audit_chain_sweeps_records_behind_its_verified_point(gql, tokens, database):
    """An old record whose content is changed in place, its hashes left as they were, is
    reported by `auditChain` within two passes of its sweep, and by every call after until it is
    put back."""
    actor = unique("old")
    await gql("query W { me { subject } }", None, tokens.make(["registrar"], actor))
    old = await AuditEvent.get(actor=actor)
    first = (await gql.data(AUDIT_CHAIN, None, tokens.auditor()))["auditChain"]
    assert first["valid"] and first["length"] >= old.sequence  # up to the verified point

    await edit_behind_the_back(old.sequence, "mallory", database)
    try:
        chains = await sweep_calls(gql, tokens)
        found = next((i for i, chain in enumerate(chains) if not chain["valid"]), None)
        assert found is not None, "not reported within two passes of the sweep"
        for chain in chains[found:]:  # the sweep does not move past a broken record
            assert chain["firstInvalidSequence"] == old.sequence, chain
            assert chain["length"] == old.sequence - 1
    finally:
        await edit_behind_the_back(old.sequence, actor, database)
    assert all(chain["valid"] for chain in await sweep_calls(gql, tokens))


async def test_each_audit_chain_call_rehashes_one_window_of_older_records(gql, tokens,
                                                                            monkeypatch):
    """The records appended since the last call, and the next window of the sweep: the cost
    of a call does not grow with the log. The windows go down to the first record, each ending
    where the one before began, then start again at the verified point."""
    for _ in range(3):
        await gql("query W { me { subject } }", None, tokens.admin())
    await audit_service.chain_status()
    head = await last_sequence()
    monkeypatch.setattr(audit_service, "SWEEP_WINDOW", max(2, head // 3))
    hashed = []
    canonical = audit_service.canonical
    monkeypatch.setattr(audit_service, "canonical",
                        lambda sequence, record: hashed.append(sequence) or canonical(sequence,
                                                                                       record))
    windows = []
    for _ in range(8):  # nothing appended meanwhile: only the sweep rehashes
        hashed.clear()
        assert (await audit_service.chain_status()).valid
        windows.append(hashed[:])
    assert all(w == list(range(w[0], w[-1] + 1)) for w in windows), windows
    assert all(len(w) <= audit_service.SWEEP_WINDOW + 1 for w in windows)
    for earlier, later in itertools.pairwise(windows):
        assert later[-1] == (earlier[0] if earlier[0] > 1 else head), (earlier, later)
    assert any(w[0] == 1 for w in windows) and any(w[-1] == head for w in windows[1:])


async def test_a_removed_record_breaks_the_chain(gql, tokens, database):
    """Rewriting the previous hash of the next record to hide the change is caught too."""
    actors = [unique("witness") for _ in range(2)]
    for actor in actors:
        await gql("query W { me { subject } }", None, tokens.make(["registrar"], actor))
    victim = await AuditEvent.get(actor=actors[0])
    async with append_only_lifted(database) as conn:
        try:
            # a forger recomputes the altered record's own hash: the next link no longer matches
            record = audit_service.record_of(victim)
            record.actor = "mallory"
            forged = audit_service.chain_hash(victim.previous_hash,
                                              audit_service.canonical(victim.sequence, record))
            await conn.execute_script(
                f"UPDATE audit_events SET actor = 'mallory', hash = '{forged}' "
                f"WHERE sequence = {victim.sequence}")
            status = await audit_service.verify_chain()
            assert (status.valid, status.first_invalid_sequence) == (False, victim.sequence + 1)
        finally:
            await conn.execute_script(
                f"UPDATE audit_events SET actor = '{victim.actor}', hash = '{victim.hash}' "
                f"WHERE sequence = {victim.sequence}")
    assert (await audit_service.verify_chain()).valid is True


@pytest.mark.parametrize("statement", [
    "UPDATE audit_events SET actor = 'mallory' WHERE sequence = {seq}",
    "UPDATE audit_events SET outcome = 'ALLOWED'",
    "DELETE FROM audit_events WHERE sequence = {seq}",
    "DELETE FROM audit_events",
    "UPDATE audit_subjects SET subject = 'x' WHERE sequence = {seq}",
    "DELETE FROM audit_subjects WHERE sequence = {seq}",
    "DELETE FROM audit_subjects",
    "TRUNCATE audit_events",
    "TRUNCATE audit_subjects",
    "TRUNCATE audit_events, audit_subjects CASCADE",
])
@pytest.mark.parametrize("method", ["execute_query", "execute_script"])
async def test_the_database_refuses_to_rewrite_history(gql, tokens, database, statement, method):
    if statement.startswith("TRUNCATE") and database.engine != "postgres":
        pytest.skip("SQLite has no TRUNCATE (DELETE without WHERE is covered)")
    household = await a_household(gql, tokens)
    await gql("query($id: ID!) { household(id: $id) { id } }", {"id": household["id"]},
              tokens.admin())
    seq = (await AuditSubject.filter(subject=household["id"]).order_by("-sequence").first()).sequence
    events, subjects = await AuditEvent.all().count(), await AuditSubject.all().count()
    victim = await AuditEvent.get(sequence=seq)

    conn = Tortoise.get_connection("default")
    with pytest.raises(Exception, match="append-only"):
        await getattr(conn, method)(statement.format(seq=seq))

    assert await AuditEvent.all().count() == events
    assert await AuditSubject.all().count() == subjects
    assert (await AuditEvent.get(sequence=seq)).actor == victim.actor
    assert await AuditSubject.filter(sequence=seq, subject=household["id"]).exists()


# ------------------------------------------------------------------------------------- export

async def test_export_writes_json_lines_whose_hashes_recompute(gql, tokens, capsys, cli_env):
    await asyncio.sleep(0.01)
    start = datetime.now(UTC)
    actor = unique("تدقيق — contrôle")  # non-ASCII text in the canonical JSON
    token = tokens.make(["program_agency"], actor, program=ASD, purpose="PAYMENT_VERIFICATION")
    household = await a_household(gql, tokens)
    await gql("query E($i: String!) { eligibility(program: ASD, idcs: $i) { eligible } }",
              {"i": household["_head"]}, token)
    await gql("query D($i: String!) { person(idcs: $i) { phone } }", {"i": household["_head"]},
              token)
    await asyncio.sleep(0.01)
    end = datetime.now(UTC)
    await gql("query After { me { subject } }", None, token)  # outside the window

    expected = await AuditEvent.filter(at__gte=start, at__lt=end).order_by("sequence")
    assert len(expected) >= 6  # the household's registrations (4), the two lookups

    capsys.readouterr()
    assert await run_cli(["audit", "export", "--from", start.isoformat(),
                          "--to", end.isoformat()]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert f"exported {len(expected)} audit records" in captured.err
    records = [json.loads(line) for line in lines]
    assert [r["sequence"] for r in records] == [e.sequence for e in expected]
    assert [r["hash"] for r in records] == [e.hash for e in expected]

    for previous, record in zip([None, *records], records, strict=False):
        body = {k: v for k, v in record.items() if k not in ("previousHash", "hash")}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256((record["previousHash"] + canonical).encode("utf-8")).hexdigest()
        assert digest == record["hash"], record
        assert audit_service.chain_hash(record["previousHash"], canonical) == record["hash"]
        if previous is not None:
            assert record["sequence"] == previous["sequence"] + 1
            assert record["previousHash"] == previous["hash"]
        assert start <= datetime.fromisoformat(record["at"]) < end

    mine = [r for r in records if r["actor"] == actor]
    assert [r["outcome"] for r in mine] == ["ALLOWED", "DENIED"]
    assert mine[0]["purpose"] == "PAYMENT_VERIFICATION"
    assert mine[0]["subjects"] == [household["_head"]]
    assert mine[1]["deniedFields"] == ["Person.phone", "Query.person"]
    assert set(records[0]) == {
        "sequence", "at", "actor", "roles", "program", "purpose", "operation", "operationType",
        "fields", "deniedFields", "subjects", "outcome", "errorCode", "requestId",
        "policyVersion", "previousHash", "hash",
        "catalogueVersion",  # release 1.1: present in every record since
    }
    assert records[0]["catalogueVersion"] == program_catalogue().version


async def test_export_of_an_empty_window_is_empty(capsys, cli_env, app):
    capsys.readouterr()
    assert await run_cli(["audit", "export", "--from", "2001-01-01", "--to", "2001-01-02"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "exported 0 audit records" in captured.err


# -------------------------------------------------------------------------------- concurrency

async def test_200_concurrent_requests_leave_200_chained_records(gql, tokens):
    registrar, amo, admin = tokens.registrar("038"), tokens.program(AMO), tokens.admin()
    household = await a_household(gql, tokens)
    before = await last_sequence()

    def request(i: int):
        rid = f"conc-{uuid.uuid4().hex}-{i}"
        kind = i % 4
        if kind == 0:
            return rid, post(gql, "query Elig($i: String!) { eligibility(program: AMO_TADAMON, "
                                  "idcs: $i) { eligible household { id } } }",
                             {"i": household["_head"]}, amo, request_id=rid)
        if kind == 1:
            return rid, post(gql, "mutation Reg($input: RegisterPersonInput!) "
                                  "{ registerPerson(input: $input) { idcs } }",
                             {"input": factories.person_input()}, registrar, request_id=rid)
        if kind == 2:
            return rid, post(gql, "query Peek($i: String!) { person(idcs: $i) { phone } }",
                             {"i": household["_head"]}, amo, request_id=rid)
        return rid, post(gql, "query Read($id: ID!) { household(id: $id) { id size } }",
                         {"id": household["id"]}, admin, request_id=rid)

    pairs = [request(i) for i in range(200)]
    responses = await asyncio.gather(*(coroutine for _, coroutine in pairs))
    ids = [rid for rid, _ in pairs]
    for i, response in enumerate(responses):
        code = error_code(response.json())
        assert code == ("FORBIDDEN" if i % 4 == 2 else None), response.json()

    rows = await rows_after(before)
    assert len(rows) == 200
    assert [r.sequence for r in rows] == list(range(before + 1, before + 201))
    assert sorted(r.client_request_id for r in rows) == sorted(ids)
    assert {r.request_id for r in rows} == {r.headers["x-request-id"] for r in responses}
    by_id = {r.client_request_id: r for r in rows}
    for i, rid in enumerate(ids):
        row = by_id[rid]
        assert row.outcome == ("DENIED" if i % 4 == 2 else "ALLOWED")
        assert row.operation == ["Elig", "Reg", "Peek", "Read"][i % 4]
    for previous, row in zip(rows, rows[1:], strict=False):
        assert row.previous_hash == previous.hash
    status = await audit_service.verify_chain()
    assert status.valid and status.length == before + 200


async def test_a_refused_document_names_its_subjects_in_its_record(gql, tokens):
    """IDCS and household ids in the text of a refused document and in its variables (nested
    too) are the record's subjects; other strings are not."""
    household = await a_household(gql, tokens)
    other = await factories.register_person(gql, tokens.admin())
    literal = household["id"].upper()  # named in the text, in capitals
    query = ('query($f: HouseholdFilter, $x: [String!]!) { household(id: "' + literal + '") '
             '{ id } households(filter: $f) { totalCount } '
             'eligibilities(program: ASD, idcs: $x) { idcs } }')
    response = await gql.raw(query, {"f": {"province": "038"}, "x": [other, "not-an-idcs",
                                                                    "1234567890"]},
                             tokens.program("ASD"))
    assert error_code(response.json()) == "FORBIDDEN"
    record = await the_record_of(response)
    assert record.outcome == "DENIED"
    assert sorted(record.subjects) == sorted([household["id"], other])


async def test_audit_events_filter_by_request_role_purpose_field_and_type(gql, tokens):
    household = await a_household(gql, tokens)
    agency = tokens.make(["program_agency"], unique("filters"), program=ASD,
                         purpose="ENROLLMENT")
    asked = await gql.raw("query Look($i: String!) { eligibility(program: ASD, idcs: $i) "
                          "{ eligible } }", {"i": household["_head"]}, agency)
    request_id = asked.headers["x-request-id"]
    auditor = tokens.auditor()
    query = ("query($f: AuditFilter) { auditEvents(filter: $f, first: 100) { totalCount "
             "edges { node { requestId roles purpose fields operationType } } } }")

    async def found(**filters) -> list[dict]:
        data = await gql.data(query, {"f": filters}, auditor)
        return [e["node"] for e in data["auditEvents"]["edges"]]

    (only,) = await found(requestId=request_id)
    assert only["requestId"] == request_id and only["purpose"] == "ENROLLMENT"
    assert [n["requestId"] for n in await found(purpose="ENROLLMENT")] == [request_id]
    by_role = await found(role="program_agency", purpose="ENROLLMENT")
    assert [n["requestId"] for n in by_role] == [request_id]
    assert await found(role="registrar", requestId=request_id) == []
    by_field = await found(field="Eligibility.eligible", requestId=request_id)
    assert [n["requestId"] for n in by_field] == [request_id]
    assert await found(field="Person.phone", requestId=request_id) == []
    mutations = await found(operationType="mutation")
    assert mutations and all(n["operationType"] == "mutation" for n in mutations)
    assert await found(operationType="query", requestId=request_id) == [only]
    refused = await gql(query, {"f": {"operationType": "delete"}}, auditor)
    assert refused["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT",
                                                  "field": "filter.operationType"}
    quoted = await found(field="it's", role="x'; DROP TABLE audit_events; --")
    assert quoted == []


STATISTICS = """
query($g: [AuditGrouping!]!, $from: DateTime, $to: DateTime) {
  auditStatistics(groupBy: $g, from: $from, to: $to) { records actor program role outcome day }
}
"""


async def test_audit_statistics_count_records_by_what_is_asked(gql, tokens):
    await asyncio.sleep(0.01)
    start = datetime.now(UTC)
    household = await a_household(gql, tokens)
    actor = unique("counted")
    agency = tokens.make(["program_agency"], actor, program=ASD, purpose="ELIGIBILITY_CHECK")
    for _ in range(3):
        await gql("query($i: String!) { eligibility(program: ASD, idcs: $i) { eligible } }",
                  {"i": household["_head"]}, agency)
    await gql("query($i: String!) { person(idcs: $i) { phone } }", {"i": household["_head"]},
              agency)  # refused
    await asyncio.sleep(0.01)
    end = datetime.now(UTC)
    auditor = tokens.auditor()
    window = {"from": start.isoformat(), "to": end.isoformat()}
    rows = (await gql.data(STATISTICS, {"g": ["ACTOR", "OUTCOME"], **window},
                           auditor))["auditStatistics"]
    mine = {r["outcome"]: r["records"] for r in rows if r["actor"] == actor}
    assert mine == {"ALLOWED": 3, "DENIED": 1}
    assert all(r["program"] is None and r["day"] is None for r in rows)
    roles = (await gql.data(STATISTICS, {"g": ["ROLE", "PROGRAM", "DAY"], **window},
                            auditor))["auditStatistics"]
    agency_rows = [r for r in roles if r["role"] == "program_agency"]
    assert agency_rows == [{"records": 4, "actor": None, "program": "ASD",
                            "role": "program_agency", "outcome": None,
                            "day": start.date().isoformat()}] or (
        start.date() != end.date())  # a window across midnight UTC splits the day
    assert sum(r["records"] for r in roles if r["role"] in ("admin", "registrar")) >= 4
    for bad in ([], ["DAY", "DAY"]):
        body = await gql(STATISTICS, {"g": bad}, auditor)
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "groupBy"}
    refused = await gql(STATISTICS, {"g": ["ACTOR"]}, agency)
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_access_review_lists_granted_fields_never_selected_first(gql, tokens):
    await asyncio.sleep(0.01)
    start = datetime.now(UTC)
    household = await a_household(gql, tokens)
    agency = tokens.make(["program_agency"], unique("review"), program=TAYSSIR,
                         purpose="ELIGIBILITY_CHECK")
    for _ in range(2):
        await gql("query($i: String!) { eligibility(program: TAYSSIR, idcs: $i) "
                  "{ idcs eligible } }", {"i": household["_head"]}, agency)
    await asyncio.sleep(0.01)
    review = (await gql.data(
        "query($from: DateTime) { accessReview(program: TAYSSIR, from: $from) "
        "{ field requests } }", {"from": start.isoformat()}, tokens.auditor()))["accessReview"]
    uses = {r["field"]: r["requests"] for r in review}
    assert uses["Query.eligibility"] == 2 and uses["Eligibility.eligible"] == 2
    assert uses["Eligibility.idcs"] == 2
    granted = {g.field for g in access_policy().matrix()
               if g.subject == "program:TAYSSIR" and g.action == "read"}
    assert set(uses) == granted
    unused = [r["field"] for r in review if r["requests"] == 0]
    assert unused and review[: len(unused)] == [r for r in review if r["requests"] == 0]
    assert "Household.size" in unused or "Household.size" not in granted


async def test_the_audit_log_is_exported_over_http_as_json_lines(gql, tokens, http):
    await asyncio.sleep(0.01)
    start = datetime.now(UTC)
    household = await a_household(gql, tokens)
    await asyncio.sleep(0.01)
    end = datetime.now(UTC)
    response = await http.get("/audit/export", params={"from": start.isoformat(),
                                                        "to": end.isoformat()},
                              headers={"Authorization": f"Bearer {tokens.auditor()}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/jsonl")
    records = [json.loads(line) for line in response.text.splitlines()]
    expected = await AuditEvent.filter(at__gte=start, at__lt=end).order_by("sequence")
    assert [r["sequence"] for r in records] == [e.sequence for e in expected] and records
    assert any(household["id"] in r["subjects"] for r in records)
    for record in records:
        body = {k: v for k, v in record.items() if k not in ("previousHash", "hash")}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert audit_service.chain_hash(record["previousHash"], canonical) == record["hash"]
    own = await AuditEvent.get(request_id=response.headers["x-request-id"])
    assert (own.operation, own.outcome, own.actor) == ("auditExport", "ALLOWED", "auditor-1")
    assert own.sequence < records[-1]["sequence"] or own.at >= end  # recorded, outside window


async def test_only_auditors_and_admins_export_and_refusals_are_recorded(gql, tokens, http):
    for token, status, code in ((tokens.registrar("038"), 403, "FORBIDDEN"),
                                (tokens.program("ASD"), 403, "FORBIDDEN"),
                                ("forged", 401, "UNAUTHENTICATED"),
                                (None, 401, "UNAUTHENTICATED")):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = await http.get("/audit/export", headers=headers)
        assert response.status_code == status, (token, response.text)
        assert response.json()["errors"][0]["extensions"]["code"] == code
        record = await AuditEvent.get(request_id=response.headers["x-request-id"])
        assert record.error_code == code
        assert record.outcome == ("DENIED" if code == "FORBIDDEN" else "ERROR")
    bad = await http.get("/audit/export", params={"from": "yesterday"},
                         headers={"Authorization": f"Bearer {tokens.admin()}"})
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "from"}
