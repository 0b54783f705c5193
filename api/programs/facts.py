"""The facts program rules are written over (docs/index-and-programs.md), their CEL types, and
how they are built from what the registry reads about a person and their household.

    person     {idcs, age, sex, nationality, deceased, hasOtherHealthCoverage}
    household  {index, milieu, region, province, status, size, members}
    members    [{relationship, age, sex, schooling, hasDisability}], oldest first
    threshold  the version's threshold (double)
    today      the day of the answer, `YYYY-MM-DD` (a string: compare it with `<`, `>=`)

`household.index` is null for a household not yet scored; ages are whole years on the day of
the answer.
"""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from typing import NamedTuple

from api.programs.cel import BOOL, DOUBLE, INT, STRING, ListOf, struct

MEMBER = struct("Member", relationship=STRING, age=INT, sex=STRING, schooling=STRING,
                hasDisability=BOOL)
PERSON = struct("Person", idcs=STRING, age=INT, sex=STRING, nationality=STRING, deceased=BOOL,
                hasOtherHealthCoverage=BOOL)
HOUSEHOLD = struct("Household", index=DOUBLE, milieu=STRING, region=STRING, province=STRING,
                   status=STRING, size=INT, members=ListOf(MEMBER))
TYPES = {"person": PERSON, "household": HOUSEHOLD, "threshold": DOUBLE, "today": STRING}
# The facts that may be null: a comparison or arithmetic reading them can fail.
NULLABLE = frozenset({"household.index"})


_BIRTH = attrgetter("birth_date")


def age_on(birth_date: date, on: date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


class MemberSituation(NamedTuple):  # named tuples: thousands are made per bulk request
    relationship: str
    birth_date: date
    schooling: str
    has_disability: bool
    sex: str = ""


class Situation(NamedTuple):
    """What the registry knows of the person asked about and their household."""

    registered: bool
    deceased: bool = False
    has_other_health_coverage: bool = False
    in_household: bool = False
    household_status: str | None = None
    index_value: float | None = None
    members: tuple[MemberSituation, ...] = ()
    idcs: str = ""
    birth_date: date | None = None
    sex: str = ""
    nationality: str = ""
    milieu: str = ""
    region: str = ""
    province: str = ""


ALL = {"Person": frozenset(dict(PERSON.fields)), "Household": frozenset(dict(HOUSEHOLD.fields)),
       "Member": frozenset(dict(MEMBER.fields))}


def facts(situation: Situation, threshold: float, on: date,
          needs: dict[str, frozenset[str]] = ALL) -> dict:
    """The facts of one answer, with only the fields `needs` names ({"Member": {"age"}, …};
    every field by default): building what no expression reads is most of the cost."""
    person_needs = needs.get("Person", frozenset())
    household_needs = needs.get("Household", frozenset())
    member_needs = needs.get("Member", frozenset())
    person = {}
    if person_needs:
        person = {"idcs": situation.idcs,
                  "age": age_on(situation.birth_date, on) if situation.birth_date else 0,
                  "sex": situation.sex, "nationality": situation.nationality,
                  "deceased": situation.deceased,
                  "hasOtherHealthCoverage": situation.has_other_health_coverage}
    listed = []
    if "members" in household_needs and situation.members:
        year, day = on.year, (on.month, on.day)
        ordered = situation.members if len(situation.members) == 1 else sorted(
            situation.members, key=_BIRTH)  # oldest first, stable
        if member_needs <= {"relationship", "age", "schooling", "hasDisability"}:
            listed = [{"relationship": m.relationship,
                       "age": year - m.birth_date.year - (day < (m.birth_date.month,
                                                                 m.birth_date.day)),
                       "schooling": m.schooling, "hasDisability": m.has_disability}
                      for m in ordered]
        else:
            listed = [{"relationship": m.relationship,
                       "age": year - m.birth_date.year - (day < (m.birth_date.month,
                                                                 m.birth_date.day)),
                       "sex": m.sex, "schooling": m.schooling,
                       "hasDisability": m.has_disability}
                      for m in ordered]
    household = {"index": situation.index_value, "members": listed}
    if household_needs - {"index", "members"}:
        household.update({"milieu": situation.milieu, "region": situation.region,
                          "province": situation.province,
                          "status": situation.household_status or "",
                          "size": len(situation.members)})
    return {"person": person, "household": household, "threshold": threshold,
            "today": on.isoformat()}
