"""Rendering the fast path's rows as the general path renders its objects: same keys in the same
order, same scalar serialisation (ISO dates, enum names, floats as floats), and the same audit
subjects (every person and household the response holds)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from api.fastpath.plan import Selected
from api.services.validation import age_on

# Positions in a member record (see queries.MEMBERS).
(M_ID, M_RELATIONSHIP, M_SCHOOLING, M_DISABILITY, M_START, P_IDCS, P_CIN, P_CARD, P_NATIONALITY,
 P_FIRST, P_LAST, P_FIRST_AR, P_LAST_AR, P_SEX, P_BIRTH, P_DEATH, P_PHONE, P_COVERAGE, P_VERSION,
 P_REGISTERED) = range(20)


def _iso(value):
    return None if value is None else value.isoformat()


PERSON: dict[str, Callable[[tuple, date], Any]] = {
    "__typename": lambda m, today: "Person",
    "idcs": lambda m, today: m[P_IDCS],
    "cin": lambda m, today: m[P_CIN],
    "residenceCardNumber": lambda m, today: m[P_CARD],
    "nationality": lambda m, today: m[P_NATIONALITY],
    "firstName": lambda m, today: m[P_FIRST],
    "lastName": lambda m, today: m[P_LAST],
    "firstNameAr": lambda m, today: m[P_FIRST_AR],
    "lastNameAr": lambda m, today: m[P_LAST_AR],
    "sex": lambda m, today: m[P_SEX],
    "birthDate": lambda m, today: m[P_BIRTH].isoformat(),
    "age": lambda m, today: age_on(m[P_BIRTH], m[P_DEATH] or today),
    "deathDate": lambda m, today: _iso(m[P_DEATH]),
    "phone": lambda m, today: m[P_PHONE],
    "hasOtherHealthCoverage": lambda m, today: m[P_COVERAGE],
    "version": lambda m, today: m[P_VERSION],
    "registeredAt": lambda m, today: m[P_REGISTERED].isoformat(),
}

MEMBER: dict[str, Callable[[tuple], Any]] = {
    "__typename": lambda m: "Member",
    "relationship": lambda m: m[M_RELATIONSHIP],
    "schooling": lambda m: m[M_SCHOOLING],
    "hasDisability": lambda m: m[M_DISABILITY],
    "since": lambda m: m[M_START].isoformat(),
}

HOUSEHOLD: dict[str, Callable[[Any], Any]] = {
    "__typename": lambda h: "Household",
    "id": lambda h: str(h["household_id"]),
    "reference": lambda h: h["reference"],
    "region": lambda h: h["region_id"],
    "province": lambda h: h["province_id"],
    "commune": lambda h: h["commune"],
    "milieu": lambda h: h["milieu"],
    "address": lambda h: h["address"],
    "status": lambda h: h["status"],
    "version": lambda h: h["household_version"],
    "registeredAt": lambda h: h["household_registered_at"].isoformat(),
    "updatedAt": lambda h: h["household_updated_at"].isoformat(),
    "size": lambda h: len(h["members"] or ()),
}


def person(selected: Selected, member: tuple, today: date, subjects: set[str]) -> dict:
    subjects.add(member[P_IDCS])
    return {c.key: PERSON[c.name](member, today) for c in selected.children}


def member(selected: Selected, row: tuple, today: date, subjects: set[str]) -> dict:
    out = {}
    for c in selected.children:
        out[c.key] = person(c, row, today, subjects) if c.name == "person" else MEMBER[c.name](row)
    return out


def household(selected: Selected, row, today: date, subjects: set[str]) -> dict:
    """`row` holds the household columns of queries.HOUSEHOLD_COLUMNS and its `members`."""
    subjects.add(str(row["household_id"]))
    out = {}
    for c in selected.children:
        if c.name == "members":
            out[c.key] = [member(c, m, today, subjects) for m in row["members"] or ()]
        else:
            out[c.key] = HOUSEHOLD[c.name](row)
    return out


def eligibility(selected: Selected, answer, today: date, subjects: set[str]) -> dict:
    """`answer` is a services.eligibility.EligibilityAnswer whose `household` is a fast-path row."""
    subjects.add(answer.idcs)
    out = {}
    for c in selected.children:
        name = c.name
        if name == "household":
            out[c.key] = None if answer.household is None else household(
                c, answer.household, today, subjects)
        elif name == "idcs":
            out[c.key] = answer.idcs
        elif name == "program":
            out[c.key] = answer.program
        elif name == "eligible":
            out[c.key] = answer.eligible
        elif name == "reasons":
            out[c.key] = list(answer.reasons)
        elif name == "monthlyAmount":
            out[c.key] = answer.monthly_amount
        elif name == "threshold":
            out[c.key] = answer.threshold
        elif name == "formulaVersion":
            out[c.key] = answer.formula_version
        elif name == "evaluatedAt":
            out[c.key] = answer.evaluated_at.isoformat()
        else:  # __typename
            out[c.key] = "Eligibility"
    return out
