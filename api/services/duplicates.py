"""Possible duplicates of a person over the whole population register (contract §12).

Candidates come from two blocks, each served by indexes that hold the keys, so that only
matching persons are read:
- the same name keys (`persons.first_key`, `last_key`: `matching.name_keys`, from the Latin or
  the Arabic spelling) born within a year either side — spelling variants, a miswritten date
  (index on last_key, first_key, birth_date);
- the same birth date, or that date with day and month swapped, and either key the same —
  a first or a last name spelt beyond recognition by the keys (indexes on birth_date with
  first_key, and with last_key).
Each candidate is scored by `matching.score`; those at or above a threshold are returned, best
first. `registerPerson` without an identity document refuses a LIKELY one (`refuse_likely`).
"""

from __future__ import annotations

from datetime import date, timedelta

from tortoise.connection import get_connection

from api.errors import Conflict
from api.models import Person
from api.principal import Principal
from api.services import audit, matching, scope, validation
from api.services.matching import Identity
from api.services.sqlparams import Params

NAME_BLOCK_DAYS = 366
BLOCK_ROWS = 500  # per block: a bound on the work of one lookup, whatever the register holds
MOST = 20  # matches returned
_FIELDS = ("id", "idcs", "first_name", "last_name", "first_name_ar", "last_name_ar",
           "birth_date", "sex")


def validated(identity: Identity, today, prefix: str = "input") -> Identity:
    """The identity with its names normalised; BAD_USER_INPUT on a malformed one."""
    validation.birth_date(identity.birth_date, f"{prefix}.birthDate", today)
    return Identity(
        first_name=validation.name(identity.first_name, f"{prefix}.firstName", required=True),
        last_name=validation.name(identity.last_name, f"{prefix}.lastName", required=True),
        first_name_ar=validation.name(identity.first_name_ar, f"{prefix}.firstNameAr",
                                      required=False),
        last_name_ar=validation.name(identity.last_name_ar, f"{prefix}.lastNameAr",
                                     required=False),
        birth_date=identity.birth_date, sex=identity.sex,
    )


_BLOCK = "SELECT " + ", ".join(_FIELDS) + " FROM persons WHERE {where} LIMIT {most}"


async def _candidates(identity: Identity) -> list[dict]:
    """The persons of both blocks, in one statement (a union of three index range scans)."""
    firsts, lasts = (sorted(keys) for keys in identity.key_sets())
    born = identity.birth_date
    dates = [born] + ([other] if (other := matching.swapped(born)) else [])
    conn = get_connection("default")  # within a registration, its transaction
    p = Params(conn)
    blocks = []
    if firsts and lasts:
        blocks.append(f"last_key IN ({p.each(lasts)}) AND first_key IN ({p.each(firsts)}) AND "
                      f"birth_date >= {p(born - timedelta(days=NAME_BLOCK_DAYS))} AND "
                      f"birth_date <= {p(born + timedelta(days=NAME_BLOCK_DAYS))}")
    for column, keys in (("first_key", firsts), ("last_key", lasts)):
        if keys:  # each answered by its (birth_date, key) index alone
            blocks.append(f"{column} IN ({p.each(keys)}) AND birth_date IN ({p.each(dates)})")
    if not blocks:
        return []
    sql = " UNION ".join(f"SELECT * FROM ({_BLOCK.format(where=where, most=BLOCK_ROWS)}) AS b{i}"
                         for i, where in enumerate(blocks))
    rows = await conn.execute_query_dict(sql, p.values)
    for row in rows:
        if isinstance(row["birth_date"], str):  # SQLite keeps dates as text
            row["birth_date"] = date.fromisoformat(row["birth_date"])
    return rows


async def matches(identity: Identity, *, at_least: float = matching.POSSIBLE,
                  most: int = MOST) -> list[tuple[str, float]]:
    """(IDCS, score) of the persons scoring at least `at_least` against `identity`, best first
    (equal scores by IDCS)."""
    scored = []
    for row in await _candidates(identity):
        other = Identity(row["first_name"], row["last_name"], row["birth_date"], row["sex"],
                         row["first_name_ar"], row["last_name_ar"])
        value = matching.score(identity, other)
        if value >= at_least:
            scored.append((row["idcs"], value))
    scored.sort(key=lambda pair: (-pair[1], pair[0]))
    return scored[:most]


async def possible_duplicates(principal: Principal, identity: Identity, today
                              ) -> list[tuple[Person, float]]:
    """`possibleDuplicates`: registrars and admins, over the whole register."""
    scope.require_any_role(principal, "admin", "registrar")
    found = await matches(validated(identity, today))
    if not found:
        return []
    persons = {p.idcs: p for p in await Person.filter(idcs__in=[idcs for idcs, _ in found])}
    return [(persons[idcs], value) for idcs, value in found if idcs in persons]


async def lock(conn, identity: Identity) -> None:
    """Serialise registrations that could duplicate each other (same name keys, or same birth
    date) until the transaction ends, so that two concurrent ones cannot both miss the other.
    PostgreSQL: transaction-scoped advisory locks, taken in a fixed order; SQLite serialises
    writers itself."""
    if conn.capabilities.dialect != "postgres":
        return
    first, last = matching.name_keys(identity.first_name, identity.last_name)
    keys = sorted((f"person-match/name/{first} {last}",
                   f"person-match/born/{identity.birth_date.isoformat()}"))
    # both in one statement, always in the same order: two registrations cannot deadlock
    await conn.execute_query("SELECT pg_advisory_xact_lock(hashtext($1)), "
                             "pg_advisory_xact_lock(hashtext($2))", keys)


async def refuse_likely(identity: Identity, *, reveal: bool) -> None:
    """CONFLICT naming the likely duplicates (`candidates`, IDCS) when there are any. Call it
    inside the registering transaction, after `lock`."""
    found = await matches(identity, at_least=matching.LIKELY)
    if not found:
        return
    if reveal:
        for idcs, _value in found:
            audit.record_subject(idcs)  # disclosed: the request's record names them
    raise Conflict(
        "This person may already be registered (same or similar names and birth date). Check "
        "the candidates; if this is another person, register again with "
        "confirmedNotDuplicate: true.",
        field="input", candidates=[idcs for idcs, _ in found] if reveal else None,
    )


async def rekey(conn, *, batch: int = 20_000) -> int:
    """Recompute every person's name keys (`first_key`, `last_key`) in batches of `batch`;
    returns how many persons were keyed. Run by the migration that added the keys, and by any
    later one that changes `matching.key`."""
    postgres = conn.capabilities.dialect == "postgres"
    last, done = 0, 0
    while True:
        p = Params(conn)
        _count, rows = await conn.execute_query(
            f"SELECT id, first_name, last_name FROM persons WHERE id > {p(last)} ORDER BY id "
            f"LIMIT {p(batch)}", p.values)
        if not rows:
            return done
        ids, firsts, lasts = [], [], []
        for row in rows:
            first, last_key = matching.name_keys(row["first_name"], row["last_name"])
            ids.append(row["id"]), firsts.append(first), lasts.append(last_key)
        if postgres:
            await conn.execute_query(
                "UPDATE persons AS p SET first_key = k.f, last_key = k.l FROM unnest("
                "$1::bigint[], $2::text[], $3::text[]) AS k(id, f, l) WHERE p.id = k.id",
                [ids, firsts, lasts])
        else:
            await conn.execute_many("UPDATE persons SET first_key = ?, last_key = ? WHERE id = ?",
                                    list(zip(firsts, lasts, ids, strict=True)))
        last, done = ids[-1], done + len(ids)
