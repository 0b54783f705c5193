"""One-line builders of valid registry data, through the public GraphQL API."""

from __future__ import annotations

import itertools
from typing import Any

from api.services import clock

_cin = itertools.count(100000)

REGISTER_PERSON = """
mutation($input: RegisterPersonInput!) { registerPerson(input: $input) { idcs version } }
"""

REGISTER_HOUSEHOLD = """
mutation($input: RegisterHouseholdInput!) {
  registerHousehold(input: $input) { id reference version province region status size
    members { person { idcs } relationship } }
}
"""


def person_input(**overrides: Any) -> dict:
    adult = overrides.get("birthDate", "1985-06-15") <= f"{clock.today().year - 18}-01-01"
    base = {
        "firstName": "Amina",
        "lastName": "Alaoui",
        "firstNameAr": "أمينة",
        "lastNameAr": "العلوي",
        "sex": "FEMALE",
        "birthDate": "1985-06-15",
        "nationality": "MA",
        "phone": "0612345678",
    }
    base.update(overrides)
    if adult and base.get("nationality") == "MA" and "cin" not in overrides:
        base["cin"] = f"AB{next(_cin)}"
    if not base.get("cin") and not base.get("residenceCardNumber"):
        # The builders' persons are distinct people who share the default names: without a
        # document they are registered as confirmed not duplicates unless a test says otherwise.
        base.setdefault("confirmedNotDuplicate", True)
    return base


def declaration_input(**overrides: Any) -> dict:
    base = {
        "headEducation": "PRIMARY",
        "headOccupation": "WORKER",
        "housingType": "APARTMENT",
        "occupancy": "TENANT",
        "rooms": 2,
        "waterSource": "PIPED",
        "electricityMonthly": 120,
        "waterMonthly": 60,
        "phoneMonthly": 100,
        "butaneBottlesMonthly": 2,
        "assets": ["REFRIGERATOR", "TELEVISION"],
    }
    base.update(overrides)
    return base


async def register_person(gql, token: str, **overrides: Any) -> str:
    data = await gql.data(REGISTER_PERSON, {"input": person_input(**overrides)}, token)
    return data["registerPerson"]["idcs"]


async def register_household(gql, token: str, *, province: str = "038", milieu: str = "URBAN",
                             children: int = 2, **overrides: Any) -> dict:
    """A household of two adults and `children` children; returns the registerHousehold payload."""
    head = await register_person(gql, token, firstName="Youssef", sex="MALE", birthDate="1980-01-01")
    spouse = await register_person(gql, token, birthDate="1984-02-02")
    kids = [
        await register_person(gql, token, firstName=f"Child{i}", birthDate=f"{2014 + i % 10}-03-{i + 1:02d}")
        for i in range(children)
    ]
    members = [{"idcs": head, "relationship": "HEAD"}, {"idcs": spouse, "relationship": "SPOUSE"}]
    members += [{"idcs": k, "relationship": "CHILD", "schooling": "IN_SCHOOL"} for k in kids]
    payload = {
        "declarantIdcs": head,
        "province": province,
        "commune": "Anfa",
        "milieu": milieu,
        "address": "12 rue des Orangers",
        "members": members,
        "declaration": declaration_input(),
    }
    payload.update(overrides)
    data = await gql.data(REGISTER_HOUSEHOLD, {"input": payload}, token)
    household = data["registerHousehold"]
    household["_head"], household["_spouse"], household["_children"] = head, spouse, kids
    return household
