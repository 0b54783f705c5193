"""Helpers shared by the household, concurrency, DataLoader and audit-record tests (not a test
module)."""

from __future__ import annotations

from typing import Any

import httpx

from api.identifiers import new_idcs
from api.models import AuditEvent, Declaration, Household, IdempotencyRecord, Membership, Person
from api.services import clock
from tests import factories

ASD = "ASD"

HOUSEHOLD_FIELDS = """
  id reference region province commune milieu address status version
  size
  head { idcs }
  members { relationship schooling hasDisability since person { idcs } }
  declaration {
    version headEducation headOccupation housingType occupancy rooms waterSource
    electricityMonthly waterMonthly phoneMonthly butaneBottlesMonthly assets
    agriculturalLandHectares livestockUnits
  }
"""

REGISTER_HOUSEHOLD = f"""
mutation($input: RegisterHouseholdInput!) {{
  registerHousehold(input: $input) {{ {HOUSEHOLD_FIELDS} }}
}}
"""

HOUSEHOLD = f"query($id: ID!) {{ household(id: $id) {{ {HOUSEHOLD_FIELDS} }} }}"

MY_HOUSEHOLD = f"query {{ myHousehold {{ {HOUSEHOLD_FIELDS} }} }}"

HOUSEHOLDS = """
query($filter: HouseholdFilter, $first: Int!, $after: String) {
  households(filter: $filter, first: $first, after: $after) {
    edges { cursor node { id province region milieu status } }
    pageInfo { hasNextPage endCursor }
    totalCount
  }
}
"""

ADD_MEMBER = f"""
mutation($householdId: ID!, $idcs: String!, $relationship: Relationship!, $expectedVersion: Int) {{
  addHouseholdMember(householdId: $householdId, idcs: $idcs, relationship: $relationship,
                     expectedVersion: $expectedVersion) {{ {HOUSEHOLD_FIELDS} }}
}}
"""

REMOVE_MEMBER = f"""
mutation($householdId: ID!, $idcs: String!, $reason: MemberExitReason!, $effectiveDate: Date!,
         $newHeadIdcs: String, $expectedVersion: Int) {{
  removeHouseholdMember(householdId: $householdId, idcs: $idcs, reason: $reason,
                        effectiveDate: $effectiveDate, newHeadIdcs: $newHeadIdcs,
                        expectedVersion: $expectedVersion) {{ {HOUSEHOLD_FIELDS} }}
}}
"""

# ADD_MEMBER and REMOVE_MEMBER answer the whole household; ADD and REMOVE only its id and version.
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

ENROLL_ID = """
mutation($program: ProgramCode!, $householdId: ID!) {
  enroll(program: $program, householdId: $householdId) { id }
}
"""

POOR = {
    "headEducation": "NONE", "headOccupation": "UNEMPLOYED", "housingType": "SHANTY",
    "occupancy": "FREE_OCCUPANT", "rooms": 1, "waterSource": "PUBLIC_TAP",
    "electricityMonthly": 30, "waterMonthly": 0, "phoneMonthly": 20, "butaneBottlesMonthly": 1,
    "assets": [],
}

PERSON = "query($idcs: String!) { person(idcs: $idcs) { idcs deathDate household { id } } }"

UPDATE_PERSON = """
mutation($idcs: String!, $input: UpdatePersonInput!) {
  updatePerson(idcs: $idcs, input: $input) { idcs deathDate }
}
"""


def today() -> str:
    return clock.today().isoformat()


def error(body: dict) -> dict:
    """The single error of a failed response, asserting there is exactly one and no data."""
    errors = body.get("errors") or []
    assert len(errors) == 1, body
    data = body.get("data")
    assert data is None or all(v is None for v in data.values()), body
    return errors[0]


def code_of(body: dict) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


def assert_error(body: dict, code: str, field: str | None = ...) -> dict:  # type: ignore[assignment]
    err = error(body)
    ext = err.get("extensions") or {}
    assert ext.get("code") == code, body
    if field is not ...:
        assert ext.get("field") == field, body
    return err


def the_error(body: dict, code: str, field: str | None = ...) -> dict:  # type: ignore[assignment]
    """The single error of a response (data not checked), with its code and field."""
    errors = body.get("errors") or []
    assert len(errors) == 1, body
    ext = errors[0].get("extensions") or {}
    assert ext.get("code") == code, body
    if field is not ...:
        assert ext.get("field") == field, body
    return errors[0]


async def records_of(response: httpx.Response) -> list[AuditEvent]:
    """The audit records of a response, found by its X-Request-Id."""
    request_id = response.headers.get("x-request-id")
    assert request_id, response.headers
    return await AuditEvent.filter(request_id=request_id)


async def the_record_of(response: httpx.Response) -> AuditEvent:
    rows = await records_of(response)
    assert len(rows) == 1, [(r.sequence, r.operation) for r in rows]
    return rows[0]


async def unregistered_idcs() -> str:
    """A well-formed IDCS (valid Luhn digit) that nobody holds."""
    while True:
        candidate = new_idcs()
        if not await Person.filter(idcs=candidate).exists():
            return candidate


async def adult(gql, token: str, **overrides: Any) -> str:
    return await factories.register_person(gql, token, **overrides)


async def minor(gql, token: str, **overrides: Any) -> str:
    overrides.setdefault("birthDate", f"{clock.today().year - 10}-05-05")
    overrides.setdefault("firstName", "Salma")
    return await factories.register_person(gql, token, **overrides)


def household_input(head: str, others: list[tuple[str, str]] | None = None, *,
                    province: str = "038", milieu: str = "URBAN", declarant: str | None = None,
                    **declaration: Any) -> dict:
    members = [{"idcs": head, "relationship": "HEAD"}]
    members += [{"idcs": i, "relationship": r} for i, r in (others or [])]
    return {
        "declarantIdcs": declarant or head,
        "province": province,
        "commune": "Anfa",
        "milieu": milieu,
        "address": "12 rue des Orangers",
        "members": members,
        "declaration": factories.declaration_input(**declaration),
    }


async def small_household(gql, token: str, *, province: str = "038", milieu: str = "URBAN",
                          extra: int = 1) -> dict:
    """A household of one adult head and `extra` adult spouses/relatives; returns the payload
    with `_head` and `_others` (IDCS) added."""
    head = await adult(gql, token, firstName="Youssef", sex="MALE", birthDate="1975-01-01")
    others = [await adult(gql, token, birthDate=f"19{80 + i}-02-02") for i in range(extra)]
    rel = ["SPOUSE"] + ["SIBLING"] * max(0, extra - 1)
    payload = household_input(head, list(zip(others, rel[:extra], strict=True)),
                              province=province, milieu=milieu)
    data = await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, token)
    household = data["registerHousehold"]
    household["_head"], household["_others"] = head, others
    return household


async def counts() -> dict[str, int]:
    return {
        "households": await Household.all().count(),
        "memberships": await Membership.all().count(),
        "declarations": await Declaration.all().count(),
        "idempotency": await IdempotencyRecord.all().count(),
    }


async def open_memberships_of(idcs: str) -> list[Membership]:
    return await Membership.filter(person__idcs=idcs, end_date=None)


async def poor_household(gql, admin: str) -> dict:
    """A one-adult household well under the ASD threshold (9.743001)."""
    head = await factories.register_person(gql, admin)
    payload = household_input(head, **POOR)
    h = (await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, admin))["registerHousehold"]
    h["_head"] = head
    return h
