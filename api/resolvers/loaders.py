"""Per-request DataLoaders: one SQL query per kind of object per level, whatever the page size.

The loaders every read goes through (persons, households, open memberships, a person's
membership) run a statement of their own, without the ORM's query building, and build the
model rows exactly as the ORM builds them (`Model._init_from_db`, as its executor does):
tests/api/test_loaders.py requires the same rows as the ORM's queries, over generated keys.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader
from tortoise import Tortoise

from api.models import Declaration, Enrollment, Household, HouseholdIndex, Membership, Person


def _columns(model) -> str:
    return ", ".join(sorted(model._meta.db_fields))


async def _select(model, where: str, keys: list, cast: str, order: str = ""):
    """The model's rows whose `where` column is one of `keys`: `= ANY($1)` on PostgreSQL (one
    statement text, prepared once per connection), `IN (?, …)` on SQLite."""
    conn = Tortoise.get_connection("default")
    table = model._meta.db_table
    if conn.capabilities.dialect == "postgres":
        sql = f"SELECT {_columns(model)} FROM {table} WHERE {where} = ANY($1::{cast}[]){order}"
        values = [list(keys)]
    else:
        sql = (f"SELECT {_columns(model)} FROM {table} "
               f"WHERE {where} IN ({', '.join('?' * len(keys))}){order}")
        values = list(keys)
    _, rows = await conn.execute_query(sql, values)
    return [model._init_from_db(**row) for row in rows]


async def members_with_persons(household_ids: list[str]
                               ) -> dict[str, list[tuple[Membership, Person]]] | None:
    """The households' open memberships with their persons, oldest membership first, in one
    statement on PostgreSQL; None elsewhere (the loaders read them, in two)."""
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect != "postgres" or not household_ids:
        return None
    _, rows = await conn.execute_query(
        "SELECT m AS membership, p AS person FROM memberships m JOIN persons p "
        "ON p.id = m.person_id WHERE m.household_id = ANY($1::uuid[]) AND m.end_date IS NULL "
        "ORDER BY m.id", [[str(h) for h in household_ids]])
    grouped: dict[str, list[tuple[Membership, Person]]] = {str(h): [] for h in household_ids}
    for row in rows:
        membership = Membership._init_from_db(**row["membership"])
        grouped[str(membership.household_id)].append(
            (membership, Person._init_from_db(**row["person"])))
    return grouped


async def household_with_members(household_id: str
                                  ) -> tuple[Household | None, list[tuple[Membership, Person]]] | None:
    """A household with its open memberships and their persons, oldest membership first, in
    one statement on PostgreSQL: (None, []) when there is no such household; None elsewhere
    (the loaders read them)."""
    conn = Tortoise.get_connection("default")
    if conn.capabilities.dialect != "postgres":
        return None
    _, rows = await conn.execute_query(
        "SELECT h AS household, "
        "ARRAY(SELECT m FROM memberships m WHERE m.household_id = h.id AND m.end_date IS NULL "
        "ORDER BY m.id) AS memberships, "
        "ARRAY(SELECT p FROM memberships m JOIN persons p ON p.id = m.person_id "
        "WHERE m.household_id = h.id AND m.end_date IS NULL ORDER BY m.id) AS persons "
        "FROM households h WHERE h.id = $1::uuid", [str(household_id)])
    if not rows:
        return None, []
    row = rows[0]
    return Household._init_from_db(**row["household"]), [
        (Membership._init_from_db(**m), Person._init_from_db(**p))
        for m, p in zip(row["memberships"], row["persons"], strict=True)]


async def _persons(ids: list[int]) -> list[Person | None]:
    rows = {p.id: p for p in await _select(Person, "id", ids, "bigint")}
    return [rows.get(i) for i in ids]


async def _households(ids: list[str]) -> list[Household | None]:
    rows = {str(h.id): h for h in await _select(Household, "id", [str(i) for i in ids],
                                                "uuid")}
    return [rows.get(str(i)) for i in ids]


async def _open_members(household_ids: list[str]) -> list[list[Membership]]:
    grouped: dict[str, list[Membership]] = defaultdict(list)
    rows = await _select(Membership, "end_date IS NULL AND household_id",
                         [str(h) for h in household_ids], "uuid", " ORDER BY id")
    for m in rows:
        grouped[str(m.household_id)].append(m)
    return [grouped.get(str(h), []) for h in household_ids]


PAST_MEMBERS_SHOWN = 100  # Household.pastMembers: the most recent ones
DECLARATIONS_SHOWN = 50  # Household.declarations: the newest versions


async def _past_members(household_ids: list[str]) -> list[list[Membership]]:
    """Ended memberships, the most recently ended first."""
    grouped: dict[str, list[Membership]] = defaultdict(list)
    rows = await Membership.filter(household_id__in=household_ids, end_date__isnull=False
                                   ).order_by("-end_date", "-id")
    for m in rows:
        grouped[str(m.household_id)].append(m)
    return [grouped.get(str(h), [])[:PAST_MEMBERS_SHOWN] for h in household_ids]


async def _declarations(household_ids: list[str]) -> list[list[Declaration]]:
    """Every version, newest first."""
    grouped: dict[str, list[Declaration]] = defaultdict(list)
    for d in await Declaration.filter(household_id__in=household_ids).order_by("-version"):
        grouped[str(d.household_id)].append(d)
    return [grouped.get(str(h), [])[:DECLARATIONS_SHOWN] for h in household_ids]


async def _membership_of_person(person_ids: list[int]) -> list[Membership | None]:
    rows = {m.person_id: m for m in await _select(
        Membership, "end_date IS NULL AND person_id", person_ids, "bigint")}
    return [rows.get(i) for i in person_ids]


async def _current_declaration(household_ids: list[str]) -> list[Declaration | None]:
    latest: dict[str, Declaration] = {}
    for d in await Declaration.filter(household_id__in=household_ids).order_by("version"):
        latest[str(d.household_id)] = d
    return [latest.get(str(h)) for h in household_ids]


async def _index_history(household_ids: list[str]) -> list[list[HouseholdIndex]]:
    grouped: dict[str, list[HouseholdIndex]] = defaultdict(list)
    for row in await HouseholdIndex.filter(household_id__in=household_ids).order_by("computed_at", "id"):
        grouped[str(row.household_id)].append(row)
    return [grouped.get(str(h), []) for h in household_ids]


async def _current_index(household_ids: list[str]) -> list[HouseholdIndex | None]:
    """The newest index row of each household (one query; the history is short)."""
    return [rows[-1] if rows else None for rows in await _index_history(household_ids)]


async def _enrollments(household_ids: list[str]) -> list[list[Enrollment]]:
    grouped: dict[str, list[Enrollment]] = defaultdict(list)
    for row in await Enrollment.filter(household_id__in=household_ids).order_by("started_at", "id"):
        grouped[str(row.household_id)].append(row)
    return [grouped.get(str(h), []) for h in household_ids]


@dataclass
class Loaders:
    person: DataLoader = field(default_factory=lambda: DataLoader(_persons))
    household: DataLoader = field(default_factory=lambda: DataLoader(_households))
    open_members: DataLoader = field(default_factory=lambda: DataLoader(_open_members))
    past_members: DataLoader = field(default_factory=lambda: DataLoader(_past_members))
    declarations: DataLoader = field(default_factory=lambda: DataLoader(_declarations))
    membership_of_person: DataLoader = field(
        default_factory=lambda: DataLoader(_membership_of_person)
    )
    current_declaration: DataLoader = field(
        default_factory=lambda: DataLoader(_current_declaration)
    )
    index_history: DataLoader = field(default_factory=lambda: DataLoader(_index_history))
    current_index: DataLoader = field(default_factory=lambda: DataLoader(_current_index))
    enrollments: DataLoader = field(default_factory=lambda: DataLoader(_enrollments))
    # Households' numbers of open members already known from a read (an eligibility answer).
    member_counts: dict[str, int] = field(default_factory=dict)

    async def member_count(self, household_id: str) -> int:
        """A household's number of open members: known from a read, or its members loaded."""
        known = self.member_counts.get(household_id)
        if known is not None:
            return known
        return len(await self.open_members.load(household_id))

    async def household_shown(self, household_id: str, *, with_members: bool
                              ) -> Household | None:
        """A household by id (a well-formed one); `with_members`: the answer shows its members'
        persons, read with it in one statement where the engine allows and primed here."""
        if with_members:
            read = await household_with_members(household_id)
            if read is not None:
                household, members = read
                if household is not None:
                    self.household.prime(str(household.id), household)
                    self.prime_members_read(str(household.id), members)
                return household
        return await self.household.load(household_id)

    def prime_members_read(self, household_id: str,
                           members: Sequence[tuple[Membership, Person]]) -> None:
        """A household's open members and their persons, read with something else, handed to
        the loaders that would read them again."""
        self.open_members.prime(household_id, [membership for membership, _ in members])
        for membership, person in members:
            self.person.prime(membership.person_id, person)

    async def prime_members(self, household_ids: list[str]) -> None:
        """Read the households' members with their persons at once (the answer shows them),
        so that the level-by-level loads find them."""
        read = await members_with_persons(household_ids)
        for household_id, members in (read or {}).items():
            self.prime_members_read(household_id, members)
