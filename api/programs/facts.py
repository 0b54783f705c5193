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

from collections.abc import Callable
from datetime import date
from functools import lru_cache
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
    return builder(frozen(needs))(threshold, on)(situation)


def frozen(needs: dict[str, frozenset[str]]) -> tuple:
    return tuple(sorted((struct, frozenset(names)) for struct, names in needs.items()))


# What each fact field is built from: a Python expression over the situation `s`, a member's
# unpacked fields (`relationship, birth, schooling, disability, sex`), and the day's `year`
# and `md` ((month, day)).
_PERSON = {
    "idcs": "s.idcs",
    "age": "(year - s.birth_date.year - (md < (s.birth_date.month, s.birth_date.day))"
           " if s.birth_date else 0)",
    "sex": "s.sex", "nationality": "s.nationality", "deceased": "s.deceased",
    "hasOtherHealthCoverage": "s.has_other_health_coverage",
}
_MEMBER = {
    "relationship": "relationship",
    "age": "year - birth.year - (md < (birth.month, birth.day))",
    "sex": "sex", "schooling": "schooling", "hasDisability": "disability",
}
_HOUSEHOLD = {
    "index": "s.index_value", "milieu": "s.milieu", "region": "s.region",
    "province": "s.province", "status": "(s.household_status or '')", "size": "len(s.members)",
    "members": "members",
}


@lru_cache(maxsize=256)
def builder(needs: tuple) -> Callable[[float, date], Callable[[Situation], dict]]:
    """`for_day(threshold, on) -> build(situation) -> facts`, generated for these needs (a
    sorted tuple of (struct, fields)) once per program version; `build` is made once per
    request, and builds only the fields read, the members' as one comprehension. A list of
    members read whole (`size(household.members)`) gets every member field."""
    wanted = dict(needs)
    person, household = wanted.get("Person", frozenset()), wanted.get("Household", frozenset())
    member = wanted.get("Member", frozenset()) or frozenset(_MEMBER)
    lines = ["def for_day(threshold, on):",
             "    year, md, today = on.year, (on.month, on.day), on.isoformat()",
             "    def build(s):"]
    if "members" in household:
        item = ", ".join(f"{name!r}: {_MEMBER[name]}" for name in _MEMBER if name in member)
        lines += ["        members = s.members",
                  "        if len(members) > 1:",
                  "            members = sorted(members, key=_BIRTH)  # oldest first, stable",
                  f"        members = [{{{item}}} for relationship, birth, schooling,"
                  " disability, sex in members]"]
    else:
        lines.append("        members = []")
    household_fields = household | {"index", "members"}  # always present, as documented
    person_item = ", ".join(f"{name!r}: {_PERSON[name]}" for name in _PERSON if name in person)
    household_item = ", ".join(f"{name!r}: {_HOUSEHOLD[name]}" for name in _HOUSEHOLD
                               if name in household_fields)
    lines += [f"        return {{'person': {{{person_item}}}, "
              f"'household': {{{household_item}}}, 'threshold': threshold, 'today': today}}",
              "    return build"]
    namespace = {"_BIRTH": _BIRTH, "sorted": sorted, "len": len}
    exec(compile("\n".join(lines), "<facts>", "exec"), namespace)  # noqa: S102 - fixed fragments
    return namespace["for_day"]
