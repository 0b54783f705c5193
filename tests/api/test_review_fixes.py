"""Regression tests of the review fixes: GraphiQL bypass, audit robustness, document limits,
audit paging and control characters, what citizens may declare online, the person-row lock
against a concurrent death, rescoring on a corrected birth date, audit subjects of member and
enrollment mutations, and GraphQL over HTTP status codes.

The audit tables are append-only and not emptied between tests: every check works on the
records a test adds (sequences after the last one seen, or its responses' X-Request-Id).
"""

from __future__ import annotations

import asyncio
import base64
import time

import httpx
import jwt
import pytest

from api.app import create_app
from api.models import AuditEvent, Enrollment, Membership, Person
from api.services import clock
from api.settings import Settings
from tests import factories, production
from tests.api.household_helpers import (
    REGISTER_HOUSEHOLD,
    adult,
    household_input,
    minor,
    open_memberships_of,
)

pytestmark = pytest.mark.e2e

ASD = "ASD"


ADD = """
mutation($householdId: ID!, $idcs: String!, $relationship: Relationship!) {
  addHouseholdMember(householdId: $householdId, idcs: $idcs, relationship: $relationship) {
    id version
  }
}
"""

REMOVE = """
mutation($householdId: ID!, $idcs: String!, $reason: MemberExitReason!, $effectiveDate: Date!) {
  removeHouseholdMember(householdId: $householdId, idcs: $idcs, reason: $reason,
                        effectiveDate: $effectiveDate) { id version }
}
"""

REGISTER_SMALL = """
mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id size } }
"""

UPDATE_PERSON = """
mutation($idcs: String!, $input: UpdatePersonInput!) {
  updatePerson(idcs: $idcs, input: $input) { idcs deathDate birthDate }
}
"""

ENROLL_ID = """
mutation($program: ProgramCode!, $householdId: ID!) {
  enroll(program: $program, householdId: $householdId) { id }
}
"""

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

INDEX = """
query($id: ID!) { household(id: $id) { size index { value cause } indexHistory { value cause } } }
"""

POOR = {
    "headEducation": "NONE", "headOccupation": "UNEMPLOYED", "housingType": "SHANTY",
    "occupancy": "FREE_OCCUPANT", "rooms": 1, "waterSource": "PUBLIC_TAP",
    "electricityMonthly": 30, "waterMonthly": 0, "phoneMonthly": 20, "butaneBottlesMonthly": 1,
    "assets": [],
}

GRJ = "application/graphql-response+json"


# ------------------------------------------------------------------------------------ helpers

async def last_sequence() -> int:
    row = await AuditEvent.all().order_by("-sequence").first()
    return row.sequence if row else 0


async def records_after(sequence: int) -> list[AuditEvent]:
    return await AuditEvent.filter(sequence__gt=sequence).order_by("sequence")


async def records_of(response: httpx.Response) -> list[AuditEvent]:
    request_id = response.headers.get("x-request-id")
    assert request_id, response.headers
    return await AuditEvent.filter(request_id=request_id)


async def the_record_of(response: httpx.Response) -> AuditEvent:
    rows = await records_of(response)
    assert len(rows) == 1, [(r.sequence, r.operation) for r in rows]
    return rows[0]


def the_error(body: dict, code: str, field: str | None = ...) -> dict:  # type: ignore[assignment]
    errors = body.get("errors") or []
    assert len(errors) == 1, body
    ext = errors[0].get("extensions") or {}
    assert ext.get("code") == code, body
    if field is not ...:
        assert ext.get("field") == field, body
    return errors[0]


def client_for(application) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=application),
                             base_url="http://sijill.test")


async def poor_household(gql, admin: str) -> dict:
    """A one-adult household well under the ASD threshold (9.743001)."""
    head = await factories.register_person(gql, admin)
    payload = household_input(head, **POOR)
    h = (await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, admin))["registerHousehold"]
    h["_head"] = head
    return h


async def index_of(gql, token: str, household_id: str) -> dict:
    return (await gql.data(INDEX, {"id": household_id}, token))["household"]


# ------------------------------------------------------------------ 1. GraphiQL bypass

async def test_get_with_html_accept_is_audited_when_graphiql_is_off(app, database, tokens):
    no_ide = create_app(Settings(DATABASE_URL=database.url, SIJILL_GRAPHIQL=False))
    before = await last_sequence()
    async with client_for(no_ide) as client:
        response = await client.get(
            "/graphql", params={"query": "{ programs { code } }"},
            headers={"accept": "text/html", "Authorization": f"Bearer {tokens.admin()}"},
        )
    rows = await records_after(before)
    assert [r.request_id for r in rows] == [response.headers["x-request-id"]], rows
    assert rows[0].actor == "admin-1"
    assert rows[0].fields_selected and "Query.programs" in rows[0].fields_selected


async def test_get_with_html_accept_needs_a_token_in_production(app, database):
    settings = production.production_settings(DATABASE_URL=database.url)
    prod = create_app(settings)
    before = await last_sequence()
    async with client_for(prod) as client:
        response = await client.get("/graphql", params={"query": "{ programs { code } }"},
                                    headers={"accept": "text/html"})
    assert response.status_code == 401, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert "AMO_TADAMON" not in response.text
    rows = await records_after(before)
    assert [(r.actor, r.error_code) for r in rows] == [("anonymous", "UNAUTHENTICATED")]


async def test_graphiql_page_loads_are_recorded(http):
    """Every answer on /graphql has its record (contract §7a), the GraphiQL page included."""
    before = await last_sequence()
    response = await http.get("/graphql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "graphiql" in response.text.lower()
    rows = await records_after(before)
    assert [(r.operation, r.outcome, r.request_id) for r in rows] == [
        ("graphiql", "ALLOWED", response.headers["x-request-id"])]


# ------------------------------------------------------------------ 2. audit robustness

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


# ------------------------------------------------------------------ 3. document limits

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


# ------------------------------------------------------------------ 4. paging and control chars

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


# ------------------------------------------------------------------ 5. citizens online

async def test_citizen_cannot_add_an_adult_stranger(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    stranger = await adult(gql, admin, firstName="Stranger")
    citizen = tokens.citizen(household["_head"])
    body = await gql(ADD, {"householdId": household["id"], "idcs": stranger,
                           "relationship": "OTHER_RELATIVE"}, citizen)
    the_error(body, "NOT_FOUND", "idcs")  # as for anyone outside the household (§5a)
    assert await Membership.filter(person__idcs=stranger).count() == 0


async def test_citizen_adds_a_minor(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    child = await minor(gql, admin)
    citizen = tokens.citizen(household["_head"])
    body = await gql(ADD, {"householdId": household["id"], "idcs": child,
                           "relationship": "CHILD"}, citizen)
    assert not body.get("errors"), body
    memberships = await open_memberships_of(child)
    assert [str(m.household_id) for m in memberships] == [household["id"]]


async def test_citizen_cannot_record_a_death(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    citizen = tokens.citizen(household["_head"])
    spouse = household["_spouse"]
    body = await gql(REMOVE, {"householdId": household["id"], "idcs": spouse, "reason": "DEATH",
                              "effectiveDate": clock.today().isoformat()}, citizen)
    the_error(body, "FORBIDDEN", "reason")
    person = await Person.get(idcs=spouse)
    assert person.death_date is None
    assert len(await open_memberships_of(spouse)) == 1


async def test_citizen_cannot_register_another_adult(gql, tokens):
    admin = tokens.admin()
    me = await adult(gql, admin, firstName="Karim", sex="MALE", birthDate="1979-04-04")
    other = await adult(gql, admin, birthDate="1982-05-05")
    payload = household_input(me, [(other, "SPOUSE")])
    body = await gql(REGISTER_SMALL, {"input": payload}, tokens.citizen(me))
    the_error(body, "NOT_FOUND", "input.members[1].idcs")
    assert await Membership.filter(person__idcs__in=[me, other]).count() == 0


async def test_citizen_registers_with_a_minor_child(gql, tokens):
    admin = tokens.admin()
    me = await adult(gql, admin, firstName="Karim", sex="MALE", birthDate="1979-04-04")
    child = await minor(gql, admin)
    payload = household_input(me, [(child, "CHILD")])
    data = await gql.data(REGISTER_SMALL, {"input": payload}, tokens.citizen(me))
    assert data["registerHousehold"]["size"] == 2
    assert len(await open_memberships_of(me)) == 1
    assert len(await open_memberships_of(child)) == 1


# ------------------------------------------------------------------ 6. race with a death

async def test_a_concurrent_death_never_leaves_an_open_membership(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    today = clock.today().isoformat()
    for _round in range(20):
        person = await adult(gql, admin, firstName="Racer")
        add, death = await asyncio.gather(
            gql(ADD, {"householdId": household["id"], "idcs": person,
                      "relationship": "OTHER_RELATIVE"}, admin),
            gql(UPDATE_PERSON, {"idcs": person, "input": {"deathDate": today}}, admin),
        )
        for body in (add, death):
            for err in body.get("errors") or []:
                assert err["extensions"]["code"] in {"BAD_USER_INPUT", "CONFLICT"}, body
        row = await Person.get(idcs=person)
        open_rows = await Membership.filter(person_id=row.id, end_date=None).count()
        assert not (row.death_date is not None and open_rows), (add, death)
    # no one anywhere is dead with an open membership
    dead = await Person.filter(death_date__not_isnull=True).values_list("id", flat=True)
    assert await Membership.filter(person_id__in=list(dead), end_date=None).count() == 0


# ------------------------------------------------------------------ 7. corrected birth date

async def test_a_corrected_birth_date_rescores(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    before = await index_of(gql, admin, household["id"])
    assert before["size"] == 4
    spouse_age = clock.today().year - 1984
    assert spouse_age < 65
    await gql.data(UPDATE_PERSON, {"idcs": household["_spouse"],
                                   "input": {"birthDate": "1950-01-01"}}, admin)
    after = await index_of(gql, admin, household["id"])
    assert [e["cause"] for e in after["indexHistory"]] == ["REGISTRATION", "PERSON_CORRECTED"]
    assert after["index"]["cause"] == "PERSON_CORRECTED"
    change = after["index"]["value"] - before["index"]["value"]
    assert abs(change - (-0.10 * 1 / 4)) < 1e-6, change


# ------------------------------------------------------------------ 8. audit subjects

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


# ------------------------------------------------------------------ 9. GraphQL over HTTP

async def test_field_denial_in_graphql_response_json_is_400_without_data(http, tokens):
    response = await http.post(
        "/graphql", json={"query": '{ person(idcs: "1234567897") { phone } }'},
        headers={"accept": GRJ, "Authorization": f"Bearer {tokens.program(ASD)}"},
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(GRJ)
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_mutation_over_get_is_405_and_audited_as_error(http, tokens):
    response = await http.get(
        "/graphql",
        params={"query": 'mutation { endEnrollment(id: "x", reason: "y") { id } }'},
        headers={"accept": GRJ, "Authorization": f"Bearer {tokens.admin()}"},
    )
    assert response.status_code == 405, response.text
    assert response.headers.get("allow") == "POST"
    record = await the_record_of(response)
    assert record.outcome == "ERROR"
    assert record.operation_type == "mutation"
