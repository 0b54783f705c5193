"""The bare baseline of the load benchmarks: Starlette + asyncpg, no GraphQL library, no ORM.

It answers the benchmark's own POST /graphql bodies (recognised by `operationName`, variables
taken as sent) with hand-written SQL and returns the same `data` tree as Sijill for those documents,
keys in the same order; `bench/compare.py` checks that it does. It verifies the Bearer token
(HS256, same issuer and audience as Sijill) and applies the same row scopes (a program agency asks
about its own program; a registrar reads households of its provinces; a citizen their own). It writes nothing: no audit
record, no daily-cap bookkeeping. It is the limit of a Python service on this machine.

    DATABASE_URL=postgres://… SIJILL_JWT_SECRET=… .venv/bin/uvicorn --app-dir bench \
        baseline_bare:app --workers 2 --loop uvloop --http httptools --no-access-log --port 8102
"""

from __future__ import annotations

import base64
import os
import sys
import uuid
from collections import defaultdict
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import asyncpg
import jwt
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Pure functions only: the identifier check and the programs' rules that Sijill applies too.
from api.identifiers import is_valid_idcs  # noqa: E402
from api.programs.facts import MemberSituation, Situation  # noqa: E402
from api.programs.rules import decide  # noqa: E402
from api.settings import DEV_JWT_SECRET  # noqa: E402

TZ = ZoneInfo("Africa/Casablanca")
SECRET = os.environ.get("SIJILL_JWT_SECRET", DEV_JWT_SECRET)
ISSUER = os.environ.get("SIJILL_JWT_ISSUER", "sijill-dev")
AUDIENCE = os.environ.get("SIJILL_JWT_AUDIENCE", "sijill")
POOL_SIZE = int(os.environ.get("BENCH_POOL_SIZE", "10"))

PERSONS_WITH_HOUSEHOLD = """
SELECT p.idcs, p.death_date, p.has_other_health_coverage,
       h.id AS household_id, h.reference, h.status, h.index_value, h.index_formula_version
FROM persons p
LEFT JOIN memberships m ON m.person_id = p.id AND m.end_date IS NULL
LEFT JOIN households h ON h.id = m.household_id
WHERE p.idcs = ANY($1::varchar[])
"""

OPEN_MEMBERS = """
SELECT m.household_id, m.relationship, m.schooling, m.has_disability, p.birth_date
FROM memberships m JOIN persons p ON p.id = m.person_id
WHERE m.household_id = ANY($1::uuid[]) AND m.end_date IS NULL
"""

HOUSEHOLD_WITH_MEMBERS = """
SELECT h.id, h.reference, h.province_id, h.commune, h.milieu, h.status,
       m.relationship, p.idcs, p.first_name, p.last_name, p.sex, p.birth_date
FROM households h
LEFT JOIN memberships m ON m.household_id = h.id AND m.end_date IS NULL
LEFT JOIN persons p ON p.id = m.person_id
WHERE h.id = $1 AND h.province_id = ANY($2::varchar[])
ORDER BY m.id
"""


PERSON = """
SELECT p.idcs, p.first_name, p.last_name, p.first_name_ar, p.last_name_ar, p.sex, p.birth_date,
       p.nationality, p.cin, h.id AS household_id, h.reference, h.province_id
FROM persons p
LEFT JOIN memberships m ON m.person_id = p.id AND m.end_date IS NULL
LEFT JOIN households h ON h.id = m.household_id
WHERE p.idcs = $1
"""

MY_HOUSEHOLD = """
SELECT h.id, h.reference, h.province_id, h.commune, h.milieu, h.status,
       m.relationship, p.idcs, p.first_name, p.last_name, p.sex, p.birth_date
FROM households h
LEFT JOIN memberships m ON m.household_id = h.id AND m.end_date IS NULL
LEFT JOIN persons p ON p.id = m.person_id
WHERE h.id = (SELECT m0.household_id FROM memberships m0 JOIN persons p0 ON p0.id = m0.person_id
              WHERE p0.idcs = $1 AND m0.end_date IS NULL)
ORDER BY m.id
"""

HOUSEHOLD_PAGE = """
SELECT id, reference, province_id FROM households
WHERE province_id = ANY($1::varchar[]) AND ($2::uuid IS NULL OR id > $2::uuid)
ORDER BY id LIMIT $3
"""

MEMBERS_OF = """
SELECT m.household_id, m.relationship, p.idcs, p.first_name, p.last_name
FROM memberships m JOIN persons p ON p.id = m.person_id
WHERE m.household_id = ANY($1::uuid[]) AND m.end_date IS NULL
ORDER BY m.id
"""


class GraphQLError(Exception):
    def __init__(self, message: str, code: str, status: int = 200) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


def _json(payload: dict, status: int = 200) -> Response:
    return Response(orjson.dumps(payload), status_code=status, media_type="application/json")


def _claims(request: Request) -> dict:
    header = request.headers.get("authorization", "")
    if not header.startswith("Bearer "):
        raise GraphQLError("Authentication required.", "UNAUTHENTICATED", 401)
    try:
        return jwt.decode(header[7:], SECRET, algorithms=["HS256"], audience=AUDIENCE,
                          issuer=ISSUER, options={"require": ["iss", "aud", "exp", "iat", "sub"]})
    except jwt.PyJWTError as exc:
        raise GraphQLError("Invalid token.", "UNAUTHENTICATED", 401) from exc


def _program_agency(claims: dict, program: str) -> None:
    if "program_agency" not in claims.get("roles", ()) or claims.get("program") != program:
        raise GraphQLError("This caller may not ask about this program's eligibility.", "FORBIDDEN")


async def _decisions(pool, program: str, idcs_list: list[str]):
    """(idcs, person-and-household row or None, open members, decision) per id, in input order."""
    for idcs in idcs_list:
        if not is_valid_idcs(idcs):
            raise GraphQLError("Malformed IDCS.", "BAD_USER_INPUT")
    async with pool.acquire() as conn:
        persons = {r["idcs"]: r for r in await conn.fetch(PERSONS_WITH_HOUSEHOLD, idcs_list)}
        household_ids = list({r["household_id"] for r in persons.values() if r["household_id"]})
        members: dict = defaultdict(list)
        if household_ids:
            for r in await conn.fetch(OPEN_MEMBERS, household_ids):
                members[r["household_id"]].append(MemberSituation(
                    relationship=r["relationship"], birth_date=r["birth_date"],
                    schooling=r["schooling"], has_disability=r["has_disability"]))
    today = datetime.now(TZ).date()
    for idcs in idcs_list:
        row = persons.get(idcs)
        in_household = row is not None and row["household_id"] is not None
        situation = Situation(
            registered=row is not None,
            deceased=bool(row and row["death_date"]),
            has_other_health_coverage=bool(row and row["has_other_health_coverage"]),
            in_household=in_household,
            household_status=row["status"] if in_household else None,
            index_value=row["index_value"] if in_household else None,
            members=tuple(members.get(row["household_id"], ())) if in_household else (),
        )
        yield idcs, row if in_household else None, situation.members, decide(program, situation, today)


async def eligibility(pool, claims: dict, variables: dict) -> dict:
    """`eligibility(program: AMO_TADAMON, idcs)` with the household's id, reference and size."""
    _program_agency(claims, "AMO_TADAMON")
    idcs = variables["idcs"]
    async for _, row, members, decision in _decisions(pool, "AMO_TADAMON", [idcs]):
        household = None
        if row is not None:
            household = {"id": str(row["household_id"]), "reference": row["reference"],
                         "size": len(members)}
        return {"eligibility": {
            "idcs": idcs, "program": "AMO_TADAMON", "eligible": decision.eligible,
            "reasons": list(decision.reasons), "threshold": decision.threshold,
            "formulaVersion": row["index_formula_version"] if row is not None else None,
            "household": household,
        }}
    raise AssertionError("one id, one answer")


async def eligibilities(pool, claims: dict, variables: dict) -> dict:
    """`eligibilities(program: ASD, idcs)`: idcs eligible reasons monthlyAmount, input order."""
    _program_agency(claims, "ASD")
    idcs_list = variables["idcs"]
    if len(idcs_list) > 1000:
        raise GraphQLError("At most 1000 ids per request.", "BAD_USER_INPUT")
    answers = [
        {"idcs": idcs, "eligible": d.eligible, "reasons": list(d.reasons),
         "monthlyAmount": d.monthly_amount}
        async for idcs, _, _, d in _decisions(pool, "ASD", idcs_list)
    ]
    return {"eligibilities": answers}


async def household(pool, claims: dict, variables: dict) -> dict:
    """`household(id)` for a registrar of its province, with its members, oldest first."""
    if "registrar" not in claims.get("roles", ()) and "admin" not in claims.get("roles", ()):
        raise GraphQLError("No household with this id.", "NOT_FOUND")
    provinces = list(claims.get("provinces") or [])
    async with pool.acquire() as conn:
        try:
            rows = await conn.fetch(HOUSEHOLD_WITH_MEMBERS, variables["id"], provinces)
        except (asyncpg.DataError, ValueError) as exc:
            raise GraphQLError("No household with this id.", "NOT_FOUND") from exc
    if not rows:
        raise GraphQLError("No household with this id.", "NOT_FOUND")
    first = rows[0]
    members = [
        {"relationship": r["relationship"], "person": {
            "idcs": r["idcs"], "firstName": r["first_name"], "lastName": r["last_name"],
            "sex": r["sex"], "birthDate": r["birth_date"].isoformat()}}
        for r in rows if r["idcs"] is not None
    ]
    return {"household": {
        "id": str(first["id"]), "reference": first["reference"], "province": first["province_id"],
        "commune": first["commune"], "milieu": first["milieu"], "status": first["status"],
        "size": len(members), "members": members,
    }}


def _registrar(claims: dict) -> list[str] | None:
    """The provinces a registrar reads (None: every province, an admin)."""
    roles = claims.get("roles", ())
    if "admin" in roles:
        return None
    if "registrar" not in roles:
        raise GraphQLError("This caller may not read this.", "FORBIDDEN")
    return list(claims.get("provinces") or [])


async def person(pool, claims: dict, variables: dict) -> dict:
    """`person(idcs)` for a registrar; its current household only if in the registrar's
    provinces."""
    provinces = _registrar(claims)
    idcs = variables["idcs"]
    if not is_valid_idcs(idcs):
        raise GraphQLError("Malformed IDCS.", "BAD_USER_INPUT")
    async with pool.acquire() as conn:
        row = await conn.fetchrow(PERSON, idcs)
    if row is None:
        raise GraphQLError("No person with this IDCS.", "NOT_FOUND")
    household = None
    if row["household_id"] is not None and (provinces is None or row["province_id"] in provinces):
        household = {"id": str(row["household_id"]), "reference": row["reference"]}
    return {"person": {
        "idcs": row["idcs"], "firstName": row["first_name"], "lastName": row["last_name"],
        "firstNameAr": row["first_name_ar"], "lastNameAr": row["last_name_ar"], "sex": row["sex"],
        "birthDate": row["birth_date"].isoformat(), "nationality": row["nationality"],
        "cin": row["cin"], "household": household}}


async def my_household(pool, claims: dict, variables: dict) -> dict:
    """`myHousehold` for a citizen: the household of their open membership, with its members."""
    if "citizen" not in claims.get("roles", ()):
        return {"myHousehold": None}
    async with pool.acquire() as conn:
        rows = await conn.fetch(MY_HOUSEHOLD, claims["sub"])
    if not rows:
        return {"myHousehold": None}
    first = rows[0]
    members = [
        {"relationship": r["relationship"], "person": {
            "idcs": r["idcs"], "firstName": r["first_name"], "lastName": r["last_name"],
            "sex": r["sex"], "birthDate": r["birth_date"].isoformat()}}
        for r in rows if r["idcs"] is not None
    ]
    return {"myHousehold": {
        "id": str(first["id"]), "reference": first["reference"], "province": first["province_id"],
        "commune": first["commune"], "milieu": first["milieu"], "status": first["status"],
        "size": len(members), "members": members,
    }}


def _cursor(household_id) -> str:
    return base64.urlsafe_b64encode(f"household:{household_id}".encode()).decode()


async def households(pool, claims: dict, variables: dict) -> dict:
    """`households(first: 20, after)` for a registrar: a keyset page of its provinces' households
    by id, each with its members."""
    provinces = _registrar(claims)
    if provinces is None:
        raise GraphQLError("The bare baseline pages a registrar's provinces only.", "FORBIDDEN")
    after = variables.get("after")
    key = None
    if after is not None:
        try:
            kind, key = base64.urlsafe_b64decode(after.encode()).decode().split(":", 1)
            if kind != "household":
                raise ValueError(kind)
            key = uuid.UUID(key)
        except ValueError as exc:
            raise GraphQLError("Malformed cursor.", "BAD_USER_INPUT") from exc
    async with pool.acquire() as conn:
        rows = await conn.fetch(HOUSEHOLD_PAGE, provinces, key, 21)
        page = rows[:20]
        members: dict = defaultdict(list)
        if page:
            for r in await conn.fetch(MEMBERS_OF, [r["id"] for r in page]):
                members[r["household_id"]].append({"relationship": r["relationship"], "person": {
                    "idcs": r["idcs"], "firstName": r["first_name"], "lastName": r["last_name"]}})
    return {"households": {
        "pageInfo": {"hasNextPage": len(rows) > 20,
                     "endCursor": _cursor(page[-1]["id"]) if page else None},
        "edges": [{"node": {"id": str(r["id"]), "reference": r["reference"],
                            "province": r["province_id"], "size": len(members[r["id"]]),
                            "members": members[r["id"]]}} for r in page],
    }}


OPERATIONS = {"Eligibility": eligibility, "Eligibilities": eligibilities, "Household": household,
              "Person": person, "MyHousehold": my_household, "Households": households}
NULL_DATA = {"Eligibility": None, "Eligibilities": None, "Household": {"household": None},
             "Person": {"person": None}, "MyHousehold": None, "Households": None}


async def graphql(request: Request) -> Response:
    try:
        body = orjson.loads(await request.body())
        name = body.get("operationName")
        operation = OPERATIONS.get(name)
        if operation is None:
            raise GraphQLError(f"Unknown operation {name!r}.", "BAD_USER_INPUT", 400)
        data = await operation(request.app.state.pool, _claims(request), body.get("variables") or {})
        return _json({"data": data})
    except GraphQLError as exc:
        payload = {"data": NULL_DATA.get(name) if exc.status == 200 else None,
                   "errors": [{"message": str(exc), "extensions": {"code": exc.code}}]}
        return _json(payload, exc.status)
    except orjson.JSONDecodeError:
        return _json({"errors": [{"message": "Invalid JSON body."}]}, 400)


async def _no_reset(connection) -> None:
    """No `RESET ALL`/`UNLISTEN`/… on release: these connections change no session state."""


@asynccontextmanager
async def lifespan(app: Starlette):
    url = os.environ["DATABASE_URL"].replace("postgresql://", "postgres://", 1)
    app.state.pool = await asyncpg.create_pool(url, min_size=POOL_SIZE, max_size=POOL_SIZE,
                                               reset=_no_reset)
    try:
        yield
    finally:
        await app.state.pool.close()


app = Starlette(routes=[Route("/graphql", graphql, methods=["POST"])], lifespan=lifespan)
