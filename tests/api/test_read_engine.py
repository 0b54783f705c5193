"""The read engine (api/engine/) answers exactly as strawberry does: the same status, headers and
bytes, the same audit record, the same lookups counted against a program's daily cap. A
differential test: generated documents over the whole read schema, for every role, sent twice
over HTTP, first with the engine, then without it (the fast path off on both sides); and a few
written-out documents the engine must answer itself."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    get_named_type,
    is_leaf_type,
)
from graphql.pyutils import Undefined
from hypothesis import (
    HealthCheck,
    currently_in_test_context,
    event,
    given,
    note,
    settings,
)
from hypothesis import strategies as st

from api.http.audit_record import outcome_of
from api.models import AuditEvent, ProgramLookup
from api.policies.enforcer import subjects_of
from api.schema.schema import access_policy, schema
from api.services import clock, feed
from tests import factories
from tests.api.test_eligibility import AMO, ASD, TAYSSIR, household_of, poor_household, unknown_idcs
from tests.api.test_fast_path import last_two_records

pytestmark = pytest.mark.e2e

SCHEMA = schema._schema
QUERY = SCHEMA.query_type
PROGRAMS = (AMO, ASD, TAYSSIR)

# The root fields the engine plans: a document of these alone, without directives, that passes
# admission (parse, validation, limits, field access, variables) is answered by the engine,
# unless it has several root fields one of which is non-null (see several_roots_one_non_null)
# or sends null for a defaulted variable of a non-null argument.
ENGINE_ROOTS = ("person", "household", "myHousehold", "households", "householdByReference",
                "eligibility", "eligibilities", "programs", "regions", "provinces", "me",
                "enrollments", "personByDocument")
# Every call of auditChain verifies the records appended since the previous call and moves the
# verified point: two calls never answer alike. The other audit fields are asked with a window
# that ends before the examples start, so that the record of the first call is not in the second.
UNSTABLE_ROOTS = {"auditChain"}
ROOTS = (*ENGINE_ROOTS,
         *(n for n in QUERY.fields if n not in ENGINE_ROOTS and n not in UNSTABLE_ROOTS))
assert set(ENGINE_ROOTS) <= set(QUERY.fields), "a root field of the engine left the schema"

DEPTH = 4  # selection sets nested below a root field
MAX_ALIASES = 12  # of the document's 20 (api/schema/document.py), fragments spread twice included

ACCEPTS = (None, None, "application/json",
           "application/graphql-response+json, application/json;q=0.9")

# Which values each root argument takes (the pools are built from the registry below); the
# arguments that bound an audit read to the past are always given.
POOL_OF = {
    ("person", "idcs"): "idcs", ("eligibility", "idcs"): "idcs",
    ("eligibilities", "idcs"): "idcs_list",
    ("household", "id"): "household_id", ("householdByReference", "reference"): "reference",
    ("households", "filter"): "household_filter", ("households", "first"): "first",
    ("households", "after"): "household_after",
    ("eligibility", "program"): "program", ("eligibilities", "program"): "program",
    ("eligibility", "asOf"): "as_of", ("eligibilities", "asOf"): "as_of",
    ("enrollments", "program"): "program", ("enrollments", "status"): "enrollment_status",
    ("enrollments", "first"): "first", ("enrollments", "after"): "enrollment_after",
    ("eligibilityChanges", "program"): "program", ("eligibilityChanges", "first"): "first",
    ("eligibilityChanges", "after"): "change_after",
    ("webhooks", "program"): "program", ("webhookDeliveries", "webhookId"): "webhook_id",
    ("webhookDeliveries", "first"): "first", ("webhookDeliveries", "after"): "change_after",
    ("personByDocument", "cin"): "cin", ("personByDocument", "residenceCardNumber"): "card",
    ("personByDocument", "birthCertificateReference"): "birth_reference",
    ("possibleDuplicates", "input"): "person_match", ("provinces", "region"): "region",
    ("registryStatistics", "groupBy"): "statistics_grouping",
    ("auditEvents", "filter"): "audit_filter", ("auditEvents", "first"): "first",
    ("auditEvents", "after"): "audit_after",
    ("auditStatistics", "groupBy"): "audit_groupings", ("auditStatistics", "from"): "audit_from",
    ("auditStatistics", "to"): "audit_to",
    ("accessReview", "program"): "program", ("accessReview", "from"): "audit_from",
    ("accessReview", "to"): "audit_to",
    ("auditAnomalies", "from"): "anomalies_from", ("auditAnomalies", "to"): "anomalies_to",
    ("myDataAccesses", "first"): "first", ("myDataAccesses", "after"): "audit_after",
}
ALWAYS_GIVEN = {("auditEvents", "filter"), ("auditStatistics", "to"), ("accessReview", "to")}


# ------------------------------------------------------------------ the registry

MEMBERS = "id reference province region members { relationship person { idcs cin } }"
REMOVE = """mutation($h: ID!, $i: String!, $d: Date!) { removeHouseholdMember(householdId: $h,
  idcs: $i, reason: MOVED_OUT, effectiveDate: $d) { id } }"""
PATCH = """mutation($h: ID!) { patchHouseholdDeclaration(householdId: $h,
  changes: {rooms: 2, assets: [TELEVISION]}) { id } }"""
ENROLL = "mutation($p: ProgramCode!, $h: ID!) { enroll(program: $p, householdId: $h) { id } }"
END = 'mutation($e: ID!) { endEnrollment(id: $e, reason: "moved abroad") { id } }'


class Caller:
    def __init__(self, name: str, token: str, readable: frozenset[str],
                 program: str | None = None) -> None:
        self.name = name
        self.token = token
        self.readable = readable  # every "Type.field" the caller may select
        self.program = program  # an agency's

    def __repr__(self) -> str:
        return self.name


class World:
    def __init__(self, pools: dict[str, st.SearchStrategy], callers: dict[str, list[Caller]],
                 facts: dict, sqlite: bool) -> None:
        self.pools = pools
        self.callers = callers
        self.facts = facts
        self.sqlite = sqlite

    def __repr__(self) -> str:
        return "World()"


@pytest.fixture
async def world(app, gql, tokens, database) -> World:
    """Three households (two in province 038, one in 001) with a past member, two declarations,
    a current and an ended enrollment; a person in no household, a minor by birth certificate,
    a person who left a household; the callers of every role and what each may read."""
    admin = tokens.admin()
    poor = await poor_household(gql, admin)
    disabled = await household_of(gql, admin, [("2015-03-01", "OUT_OF_SCHOOL", True)],
                                  headEducation="NONE", housingType="SHANTY")
    regular = await factories.register_household(gql, admin, province="001", milieu="RURAL")
    loner = await factories.register_person(gql, admin, nationality="FR", cin=None,
                                            residenceCardNumber="AB12345678")
    minor = await factories.register_person(gql, admin, firstName="Hamza", lastName="Ouardighi",
                                            birthDate="2016-04-12",
                                            birthCertificateReference="Anfa 2016/88")
    left = regular["_spouse"]
    await gql.data(REMOVE, {"h": regular["id"], "i": left, "d": clock.today().isoformat()}, admin)
    await gql.data(PATCH, {"h": poor["id"]}, admin)
    await gql.data(ENROLL, {"p": ASD, "h": poor["id"]}, admin)
    ended = await gql.data(ENROLL, {"p": TAYSSIR, "h": poor["id"]}, admin)
    await gql.data(END, {"e": ended["enroll"]["id"]}, admin)
    await gql.data(ENROLL, {"p": AMO, "h": disabled["id"]}, admin)

    households = [
        (await gql.data("query($h: ID!) { household(id: $h) { " + MEMBERS + " } }",
                        {"h": h["id"]}, admin))["household"]
        for h in (poor, disabled, regular)]
    cins = sorted({m["person"]["cin"] for h in households for m in h["members"]
                   if m["person"]["cin"]})
    page = (await gql.data("{ households(first: 1) { pageInfo { endCursor } } }",
                           None, admin))["households"]
    enrolled = (await gql.data("{ enrollments(program: ASD, first: 1) "
                               "{ pageInfo { endCursor } } }", None, admin))["enrollments"]
    unknown = await unknown_idcs()
    cutoff = datetime.now(UTC)  # every record of the examples is later than this
    midnight = cutoff.replace(hour=0, minute=0, second=0, microsecond=0)
    today = clock.today()

    members = [poor["_head"], poor["_spouse"], *poor["_children"], disabled["_head"],
               disabled["_spouse"], *disabled["_children"], regular["_head"],
               *regular["_children"]]
    idcs = [*members, left, loner, minor, unknown, "12", "abc", "1234567890"]
    regions = sorted({h["region"] for h in households})
    pools = {
        "idcs": st.sampled_from([*members, *members, *idcs]),  # registered ones mostly
        "idcs_list": st.one_of(st.lists(st.sampled_from([*members, left, loner, minor, unknown]),
                                        max_size=5),
                               st.lists(st.sampled_from(idcs), max_size=3)),
        "household_id": st.sampled_from([h["id"] for h in households] + [
            "00000000-0000-4000-8000-000000000000", str(uuid.UUID(int=7, version=4)), "12",
            "abc"]),
        "reference": st.sampled_from([h["reference"] for h in households] + [
            "RSU-06-000000000", "abc"]),
        "household_filter": st.sampled_from([
            None, {}, {"province": "038"}, {"province": "001"}, {"province": "075"},
            {"milieu": "RURAL"}, {"milieu": "URBAN", "province": "038"}, {"region": regions[0]},
            {"status": "ACTIVE"}, {"status": "CLOSED"}, {"province": "abc"}]),
        "first": st.sampled_from([1, 2, 5, 20, None, 0, 100, -1, 101]),
        "household_after": st.sampled_from([None, page["pageInfo"]["endCursor"], "abc", ""]),
        "enrollment_after": st.sampled_from([None, enrolled["pageInfo"]["endCursor"], "abc"]),
        "change_after": st.sampled_from([None, feed.encode_cursor(3), "abc"]),
        "webhook_id": st.sampled_from(["4f6d1b7e-8f0a-4a43-9a57-0f5d6c1e2b3a", "abc"]),
        "program": st.sampled_from(PROGRAMS),
        "as_of": st.sampled_from([None, today.isoformat(), "2024-06-01",
                                  (today - timedelta(days=400)).isoformat(), "2030-01-01"]),
        "enrollment_status": st.sampled_from([None, "ACTIVE", "ENDED"]),
        "cin": st.sampled_from([*cins[:3], "ZZ999999", "12", None]),
        "card": st.sampled_from(["AB12345678", "ZZ00000000", "abc", None]),
        "birth_reference": st.sampled_from(["Anfa 2016/88", "Anfa 1999/1", None]),
        "person_match": st.sampled_from([
            {"firstName": "Amina", "lastName": "Alaoui", "birthDate": "1984-02-02"},
            {"firstName": "Hamza", "lastName": "Ouardighi", "birthDate": "2016-04-12",
             "sex": "MALE"},
            {"firstName": "Youssef", "lastName": "Alaoui", "birthDate": "1980-01-01",
             "firstNameAr": "يوسف", "lastNameAr": "العلوي", "sex": None},
            {"firstName": "Nobody", "lastName": "Atall", "birthDate": "1950-12-31"}]),
        "region": st.sampled_from([None, *regions, "99", "abc"]),
        "statistics_grouping": st.sampled_from(["REGION", "PROVINCE", "MILIEU", "INDEX_BAND"]),
        "audit_filter": st.sampled_from([
            {"to": cutoff.isoformat()},
            {"to": cutoff.isoformat(), "outcome": "ALLOWED", "operationType": "mutation"},
            {"to": cutoff.isoformat(), "subject": poor["_head"]},
            {"to": cutoff.isoformat(), "actor": "admin-1", "field": "Query.household"},
            {"to": cutoff.isoformat(), "from": (cutoff - timedelta(days=1)).isoformat(),
             "role": "admin"}]),
        "audit_after": st.sampled_from([None, "abc"]),
        "audit_groupings": st.lists(st.sampled_from(["ACTOR", "PROGRAM", "ROLE", "OUTCOME",
                                                     "DAY"]), max_size=3, unique=True),
        "audit_from": st.sampled_from([(cutoff - timedelta(days=2)).isoformat(),
                                       (cutoff - timedelta(days=200)).isoformat()]),
        "audit_to": st.sampled_from([cutoff.isoformat()]),
        # Anomalies are found over whole UTC days (a day's records, all of them): their window
        # ends at the start of today, before any record of the examples.
        "anomalies_from": st.sampled_from([(midnight - timedelta(days=2)).isoformat(),
                                           (midnight - timedelta(days=200)).isoformat()]),
        "anomalies_to": st.sampled_from([midnight.isoformat()]),
    }

    async def caller(name: str, token: str) -> Caller:
        principal = await app.state.graphql.verifier.verify(token)
        allowed = access_policy().allowed(subjects_of(principal))
        return Caller(name, token, frozenset(obj for obj, action in allowed if action == "read"),
                      principal.program)

    callers = {
        "admin": [await caller("admin", admin)],
        "registrar": [await caller("registrar 038+001", tokens.registrar("038", "001")),
                      await caller("registrar 038", tokens.registrar("038")),
                      await caller("registrar 001", tokens.registrar("001")),
                      await caller("registrar 075", tokens.registrar("075"))],
        "citizen": [await caller("citizen head", tokens.citizen(poor["_head"])),
                    await caller("citizen child", tokens.citizen(poor["_children"][0])),
                    await caller("citizen alone", tokens.citizen(loner)),
                    await caller("citizen who left", tokens.citizen(left))],
        "agency": [await caller(f"agency {p}", tokens.program(p)) for p in PROGRAMS],
        "auditor": [await caller("auditor", tokens.auditor())],
    }
    facts = {"poor": poor, "disabled": disabled, "regular": regular, "loner": loner,
             "households": households}
    return World(pools, callers, facts, database.engine == "sqlite")


@pytest.fixture
def fixed_clock(world, monkeypatch):
    """The clock stops once the registry is built: evaluatedAt, ages and today's day are the
    same for both answers."""
    now = datetime.now(UTC)
    today = now.astimezone(clock.REGISTRY_TZ).date()
    monkeypatch.setattr(clock, "now", lambda: now)
    monkeypatch.setattr(clock, "today", lambda: today)
    return now


class Faults(logging.Handler):
    """What the engine logs as its own failure (it then leaves the request to strawberry)."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


FAULTS = Faults()


@pytest.fixture
def graphql(app):
    """The view, with the engine and without the fast path (restored after)."""
    view = app.state.graphql
    assert getattr(view, "engine", None) is not None, \
        "the read engine is not wired in: app.state.graphql.engine is None"
    fast_path = view.fast_path
    view.fast_path = None
    logger = logging.getLogger("sijill.engine")
    logger.addHandler(FAULTS)
    yield view
    logger.removeHandler(FAULTS)
    view.fast_path = fast_path


# ------------------------------------------------------------------ both ways

TIMEOUT = 30  # seconds: a request that hangs fails the test rather than the whole run


@dataclass
class Outcome:
    engine: object  # the engine's response
    strawberry: object
    took: int  # how many requests the engine answered: 0 or 1


async def both_ways(http, view, body: dict, token: str, accept: str | None = None, *,
                    root_keys: frozenset[str] = frozenset()) -> Outcome:
    """The same request answered with the engine, then by strawberry; both answers, both audit
    records and the lookups counted must be the same. `root_keys`: the response keys of the
    document's root fields, when there are several."""
    headers = {"Authorization": f"Bearer {token}"}
    if accept is not None:
        headers["Accept"] = accept
    engine = view.engine
    records = await AuditEvent.all().count()
    faults = len(FAULTS.records)
    before = engine.answered
    async with asyncio.timeout(TIMEOUT):
        first = await http.post("/graphql", json=body, headers=headers)
    took = engine.answered - before
    assert len(FAULTS.records) == faults, f"the engine failed: {FAULTS.records[-1].exc_text}"
    looked_up = await ProgramLookup.all().count()
    view.engine = None
    try:
        async with asyncio.timeout(TIMEOUT):
            second = await http.post("/graphql", json=body, headers=headers)
    finally:
        view.engine = engine
    assert await AuditEvent.all().count() == records + 2  # one record each, no more
    with_engine, without = await last_two_records()
    assert first.status_code == second.status_code, (first.text, second.text)
    assert first.headers["content-type"] == second.headers["content-type"]
    if len(root_keys) > 1 and cancelled(second.json()):
        # A non-null root field failed, which nulls the whole answer: graphql-core then leaves
        # its sibling root fields where they are, so which of them had failed too (and are
        # listed), had read their subjects, or had counted a program's lookups, depends on the
        # order their queries came back; strawberry twice gives different answers. What must
        # hold: both answers are nulled by errors of root fields, and each record says what its
        # own answer says.
        tally("an answer nulled by one of several root fields")
        for response, record in ((first, with_engine), (second, without)):
            answer = response.json()
            assert cancelled(answer), response.text
            assert all(e["path"][0] in root_keys for e in answer["errors"]), response.text
            assert _code(record) == outcome_of(answer["errors"], bool(record["denied_fields"]))
        assert _rest(with_engine, "subjects") == _rest(without, "subjects")
        looked_up = None
    elif first.content != second.content:
        # Field errors are listed in the order their fields failed, which for fields resolved
        # concurrently (two root fields that each query the database) is the order their
        # queries came back, under strawberry as under the engine; and the record's code is
        # that of the first error. Anything else must be the same.
        assert in_another_order(first.content, second.content), (first.text, second.text)
        tally("errors listed in another order")
        for response, record in ((first, with_engine), (second, without)):
            assert _code(record) == outcome_of(response.json()["errors"],
                                               bool(record["denied_fields"]))
        assert _rest(with_engine) == _rest(without)
        assert _headers(first) == _headers(second)
    else:
        assert with_engine == without
        assert _headers(first) == _headers(second)
    if looked_up is not None:
        # what the engine's answer counted against the daily cap, strawberry's counts again
        assert await ProgramLookup.all().count() == looked_up
    assert took in (0, 1)
    return Outcome(first, second, took)


def cancelled(answer: dict) -> bool:
    """No data, for errors raised while executing (they have a path)."""
    errors = answer.get("errors") or []
    return answer.get("data") is None and bool(errors) and all("path" in e for e in errors)


def _code(record: dict) -> tuple[str, str | None]:
    return record["outcome"], record["error_code"]


def _rest(record: dict, *also: str) -> dict:
    return {k: v for k, v in record.items() if k not in ("outcome", "error_code", *also)}


def tally(what: str) -> None:
    """Counted in Hypothesis's statistics (--hypothesis-show-statistics), within a test of it."""
    if currently_in_test_context():
        event(what)


def in_another_order(a: bytes, b: bytes) -> bool:
    """The same answer but for the order of two errors or more."""
    x, y = json.loads(a, object_pairs_hook=list), json.loads(b, object_pairs_hook=list)
    if len(a) != len(b) or [k for k, _ in x] != [k for k, _ in y]:
        return False
    for (key, u), (_, v) in zip(x, y, strict=True):
        if key != "errors" and u != v:
            return False
        if key == "errors" and (len(u) < 2 or sorted(map(repr, u)) != sorted(map(repr, v))):
            return False
    return True


def _headers(response) -> dict:
    return {k: v for k, v in response.headers.items() if k != "x-request-id"}


def request_error(body: dict) -> bool:
    """Refused before execution (syntax, validation, limits, field access, variables): no
    error has a path."""
    errors = body.get("errors") or []
    return body.get("data") is None and bool(errors) and not any("path" in e for e in errors)


# ------------------------------------------------------------------ documents

def literal(value, gtype) -> str:
    if value is None:
        return "null"
    if isinstance(gtype, GraphQLNonNull):
        return literal(value, gtype.of_type)
    if isinstance(gtype, GraphQLList):
        return "[" + ", ".join(literal(v, gtype.of_type) for v in value) + "]"
    if isinstance(gtype, GraphQLEnumType):
        return value
    if isinstance(gtype, GraphQLInputObjectType):
        return "{" + ", ".join(f"{k}: {literal(v, gtype.fields[k].type)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


@dataclass
class Document:
    body: dict
    roots: set[str]  # the root fields' names
    keys: set[str]  # their response keys
    forbidding: bool  # drawn from every field, not only the caller's
    may_decline: bool  # a null sent for a defaulted variable of a non-null argument
    features: set[str]


class Builder:
    """One document, drawn piece by piece."""

    def __init__(self, draw, world: World, caller: Caller, forbidding: bool) -> None:
        self.draw = draw
        self.pools = dict(world.pools)
        if caller.program:  # an agency asks of its own program mostly
            self.pools["program"] = st.sampled_from([caller.program] * 3 + list(PROGRAMS))
        self.readable = caller.readable
        self.forbidding = forbidding
        self.definitions: list[str] = []  # variable definitions
        self.variables: dict = {}
        self.fragments: list[tuple[str, str, int, str]] = []  # name, type, depth, text
        self.root_keys: set[str] = set()
        self.roots: set[str] = set()
        self.aliases = 0
        self.counter = 0
        self.may_decline = False
        self.features: set[str] = set()

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def alias(self) -> str:
        self.aliases += 1
        return self.fresh("a")

    # -- selections

    def candidates(self, gtype, depth: int, root: bool) -> list[str]:
        names = []
        for name in (ROOTS if root else gtype.fields):
            definition = gtype.fields[name]
            if not root and any(isinstance(a.type, GraphQLNonNull) and a.default_value is Undefined
                                for a in definition.args.values()):
                continue
            if depth <= 0 and not is_leaf_type(get_named_type(definition.type)):
                continue
            if not self.forbidding and f"{gtype.name}.{name}" not in self.readable:
                continue
            names.append(name)
        return names

    def selection_set(self, gtype, depth: int, root: bool = False) -> str:
        draw = self.draw
        names = self.candidates(gtype, depth, root)
        items: list[str] = []
        if names:
            chosen = self.roots_among(names) if root else self.fields_among(gtype, names)
            for name in chosen:
                items += self.field(gtype, name, depth, root)
        if not items or draw(st.integers(0, 5)) == 0:
            items.insert(draw(st.integers(0, len(items))), "__typename")
            self.features.add("__typename")
        items = self.fragments_in(gtype, depth, items)
        separator = draw(st.sampled_from([" ", "\n  ", ", "]))
        return "{ " + separator.join(items) + " }"

    def fields_among(self, gtype, names: list[str]) -> list[str]:
        """A few of the fields at random; or, one time in three, every leaf field and a few of
        the others (wide answers, whose every value is compared)."""
        draw = self.draw
        leaves = [n for n in names if is_leaf_type(get_named_type(gtype.fields[n].type))]
        if leaves and draw(st.integers(0, 2)) == 0:
            others = [n for n in names if n not in leaves]
            return leaves + (draw(st.lists(st.sampled_from(others), max_size=min(2, len(others)),
                                           unique=True)) if others else [])
        return draw(st.lists(st.sampled_from(names), min_size=1, max_size=min(5, len(names)),
                             unique=True))

    def roots_among(self, names: list[str]) -> list[str]:
        """One root field mostly, two at times; mostly one the engine plans."""
        draw = self.draw
        planned = [n for n in names if n in ENGINE_ROOTS]
        others = [n for n in names if n not in ENGINE_ROOTS]
        chosen: list[str] = []
        for _ in range(draw(st.sampled_from([1, 1, 2]))):
            among = planned if planned and (not others or draw(st.integers(0, 3))) else others
            name = draw(st.sampled_from(among))
            if name not in chosen:
                chosen.append(name)
        return chosen

    def field(self, gtype, name: str, depth: int, root: bool) -> list[str]:
        draw = self.draw
        definition = gtype.fields[name]
        child = get_named_type(definition.type)

        def sub() -> str:
            return "" if is_leaf_type(child) else " " + self.selection_set(child, depth - 1)

        def args() -> str:
            return self.arguments(name, definition) if root else ""

        mode = draw(st.sampled_from(["plain"] * 6 + ["alias", "two aliases", "same key"]))
        if mode in ("alias", "two aliases") and self.aliases >= MAX_ALIASES:
            mode = "plain"
        # A root field with arguments is aliased when its name is already a response key
        # of the root: two `person` of different arguments cannot merge.
        clash = root and bool(definition.args) and name in self.root_keys
        if mode == "two aliases":
            self.features.add("two aliases of one field")
            first, second = self.alias(), self.alias()
            if root:
                self.roots.add(name)
                self.root_keys.update((first, second))
            return [f"{first}: {name}{args()}{sub()}", f"{second}: {name}{args()}{sub()}"]
        alias = self.alias() if mode == "alias" or (clash and self.aliases < MAX_ALIASES) \
            else None
        if clash and alias is None:
            return []
        if alias:
            self.features.add("alias")
        if root:
            self.roots.add(name)
            self.root_keys.add(alias or name)
        prefix = f"{alias}: " if alias else ""
        arguments = args()
        if mode == "same key":
            self.features.add("same response key merged")
            return [f"{prefix}{name}{arguments}{sub()}", f"{prefix}{name}{arguments}{sub()}"]
        return [f"{prefix}{name}{arguments}{sub()}"]

    def fragments_in(self, gtype, depth: int, items: list[str]) -> list[str]:
        """Some of the items moved into a fragment (named or inline, with or without a type
        condition), or a named fragment of this type spread again."""
        draw = self.draw
        reusable = [f for f in self.fragments if f[1] == gtype.name and f[2] <= depth]
        if reusable and draw(st.integers(0, 3)) == 0:
            name = draw(st.sampled_from(reusable))[0]
            items = [*items, f"...{name}"]
            self.features.add("fragment spread twice")
        if not items or draw(st.integers(0, 3)) != 0:
            return items
        count = draw(st.integers(1, len(items)))
        start = draw(st.integers(0, len(items) - count))
        inner = "{ " + " ".join(items[start:start + count]) + " }"
        kind = draw(st.sampled_from(["named", "inline", "inline on type"]))
        if kind == "named":
            name = self.fresh("F")
            self.fragments.append((name, gtype.name, depth,
                                   f"fragment {name} on {gtype.name} {inner}"))
            spread = f"...{name}"
        elif kind == "inline":
            spread = f"... {inner}"
        else:
            spread = f"... on {gtype.name} {inner}"
        self.features.add(f"{kind} fragment")
        return [*items[:start], spread, *items[start + count:]]

    # -- arguments

    def arguments(self, name: str, definition) -> str:
        draw = self.draw
        given = []
        names = list(definition.args)
        if name == "personByDocument":  # exactly one document, mostly
            names = draw(st.sampled_from([["cin"], ["residenceCardNumber"],
                                          ["birthCertificateReference"], ["cin"], [],
                                          ["cin", "residenceCardNumber"]]))
        for arg_name in names:
            arg = definition.args[arg_name]
            optional = not isinstance(arg.type, GraphQLNonNull) \
                or arg.default_value is not Undefined
            always = (name, arg_name) in ALWAYS_GIVEN
            if name != "personByDocument" and optional and not always \
                    and draw(st.integers(0, 2)) == 0:
                continue
            pool = self.pools[POOL_OF[(name, arg_name)]]
            value = draw(pool)
            if always and value is None:
                continue
            given.append(f"{arg_name}: {self.value(arg_name, arg, value, pool, always)}")
        return f"({', '.join(given)})" if given else ""

    def value(self, arg_name: str, arg, value, pool: st.SearchStrategy, always: bool) -> str:
        """The value written in the document, or a variable declared for it."""
        draw = self.draw
        how = draw(st.sampled_from(["literal", "literal", "variable", "variable with default"]))
        if how == "literal":
            return literal(value, arg.type)
        variable = self.fresh(arg_name)
        self.features.add(how)
        if how == "variable":
            self.definitions.append(f"${variable}: {arg.type}")
            if value is not None or always or draw(st.booleans()):
                self.variables[variable] = value
            return f"${variable}"
        nullable = arg.type.of_type if isinstance(arg.type, GraphQLNonNull) else arg.type
        default = value if value is not None else draw(pool.filter(lambda v: v is not None))
        self.definitions.append(f"${variable}: {nullable} = {literal(default, nullable)}")
        sent = draw(st.sampled_from(["default", "value", "value", "null"]))
        if sent == "value":
            self.variables[variable] = value if value is not None else default
        elif sent == "null" and not always:
            self.variables[variable] = None
            if isinstance(arg.type, GraphQLNonNull):
                self.may_decline = True
        return f"${variable}"


@st.composite
def documents(draw, world: World, caller: Caller) -> Document:
    forbidding = draw(st.integers(0, 7)) == 0
    builder = Builder(draw, world, caller, forbidding)
    selection = builder.selection_set(QUERY, DEPTH, root=True)
    name = draw(st.sampled_from([None, None, "Read", "lookUp", "Q_1"]))
    if builder.definitions:
        head = f"query {name or ''}({', '.join(builder.definitions)}) "
    else:
        head = draw(st.sampled_from(["", "query "])) if name is None else f"query {name} "
    operations = [head + selection]
    body: dict = {}
    if name is not None:
        if draw(st.integers(0, 4)) == 0:  # another operation: the name chooses
            other = "query Other { __typename programs { code } }"
            operations.insert(draw(st.integers(0, 1)), other)
            builder.features.add("several operations")
            body["operationName"] = name
        elif draw(st.booleans()):
            body["operationName"] = name
        builder.features.add("operation name")
    fragments = [f[3] for f in builder.fragments]
    parts = operations + fragments if draw(st.booleans()) else fragments + operations
    body["query"] = "\n".join(parts)
    if builder.variables or draw(st.booleans()):
        body["variables"] = builder.variables
    elif draw(st.booleans()):
        body["variables"] = None
    return Document(body, builder.roots, builder.root_keys, forbidding, builder.may_decline,
                    builder.features)


def several_roots_one_non_null(document: Document) -> bool:
    """Several root fields, one of a non-null type: its error would null the whole answer and
    cancel its siblings midway under graphql-core, at a point that depends on scheduling; the
    engine may leave such a document to strawberry."""
    return len(document.keys) > 1 and any(
        isinstance(QUERY.fields[name].type, GraphQLNonNull) for name in document.roots)


async def differ(http, graphql, world: World, data, group: str) -> None:
    caller = data.draw(st.sampled_from(world.callers[group]), label="caller")
    document = data.draw(documents(world, caller), label="document")
    accept = data.draw(st.sampled_from(ACCEPTS), label="accept")
    note(f"{caller.name}: {json.dumps(document.body, ensure_ascii=False)}")
    outcome = await both_ways(http, graphql, document.body, caller.token, accept,
                              root_keys=frozenset(document.keys))
    body = outcome.strawberry.json()
    refused = request_error(body)
    planned = (not refused and not document.may_decline and document.roots <= set(ENGINE_ROOTS)
               and not several_roots_one_non_null(document))
    for feature in document.features:
        event(feature)
    codes = sorted({(e.get("extensions") or {}).get("code") or "?"
                    for e in body.get("errors") or []})
    event(f"refused before execution: {', '.join(codes)}" if refused else
          f"errors in execution: {', '.join(codes)}" if codes else "answered without error")
    event("the engine answered" if outcome.took else "strawberry answered")
    if len(document.keys) > 1:
        event("several root fields")
    if planned:
        assert outcome.took == 1, f"strawberry answered a document the engine plans: {body}"


# As tests/api/test_fuzz_inputs.py: the same examples every run, unless SIJILL_FUZZ_RANDOM is
# set; SIJILL_FUZZ_SCALE multiplies their number.
SCALE = float(os.environ.get("SIJILL_FUZZ_SCALE", "1"))


def examples(count: int):
    return settings(max_examples=max(1, int(count * SCALE)), deadline=None, database=None,
                    derandomize=not os.environ.get("SIJILL_FUZZ_RANDOM"), print_blob=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


@examples(250)
@given(data=st.data())
async def test_admin(http, graphql, world, fixed_clock, data):
    await differ(http, graphql, world, data, "admin")


@examples(250)
@given(data=st.data())
async def test_registrars(http, graphql, world, fixed_clock, data):
    await differ(http, graphql, world, data, "registrar")


@examples(250)
@given(data=st.data())
async def test_citizens(http, graphql, world, fixed_clock, data):
    await differ(http, graphql, world, data, "citizen")


@examples(250)
@given(data=st.data())
async def test_program_agencies(http, graphql, world, fixed_clock, data):
    await differ(http, graphql, world, data, "agency")


@examples(100)
@given(data=st.data())
async def test_auditor(http, graphql, world, fixed_clock, data):
    await differ(http, graphql, world, data, "auditor")


# ------------------------------------------------------------------ written out

def caller_named(world: World, name: str) -> Caller:
    return next(c for group in world.callers.values() for c in group if c.name == name)


async def engine_answers(http, graphql, world, who: str, query: str, variables=None,
                         operation_name: str | None = None) -> dict:
    body = {"query": query, "variables": variables or {}}
    if operation_name:
        body["operationName"] = operation_name
    outcome = await both_ways(http, graphql, body, caller_named(world, who).token)
    assert outcome.took == 1, outcome.strawberry.text
    return outcome.engine.json()


async def test_a_citizens_household(http, graphql, world, fixed_clock):
    answer = await engine_answers(http, graphql, world, "citizen head", """
        { myHousehold { id members { relationship person { idcs firstName age } } size
          index { value components { name contribution } } declaration { rooms assets } } }""")
    household = answer["data"]["myHousehold"]
    assert household["id"] == world.facts["poor"]["id"] and household["size"] == 4
    assert household["declaration"] == {"rooms": 2, "assets": ["TELEVISION"]}


async def test_a_registrars_page_of_households(http, graphql, world, fixed_clock):
    answer = await engine_answers(http, graphql, world, "registrar 038", """
        { households(first: 5) { totalCount edges { cursor node { id reference
          members { person { idcs } } } } pageInfo { hasNextPage endCursor } } }""")
    page = answer["data"]["households"]
    assert page["totalCount"] == 2 and len(page["edges"]) == 2
    assert page["pageInfo"]["hasNextPage"] is False


async def test_a_person_with_household(http, graphql, world, fixed_clock):
    poor = world.facts["poor"]
    for who in ("admin", "registrar 038", "registrar 075"):
        answer = await engine_answers(http, graphql, world, who, """
            query P($i: String!) { person(idcs: $i) { idcs firstName lastName birthDate age
              household { id reference size members { relationship person { idcs } } } } }""",
                                      {"i": poor["_children"][1]}, "P")
        person = answer["data"]["person"]
        assert person["idcs"] == poor["_children"][1]
        assert (person["household"] is None) == (who == "registrar 075")


async def test_fragments(http, graphql, world, fixed_clock):
    poor, regular = world.facts["poor"], world.facts["regular"]
    answer = await engine_answers(http, graphql, world, "admin", """
        query Frag($h: ID!, $r: String! = "REFERENCE") {
          household(id: $h) { ...Home ... on Household { members { ...Member } } }
          other: householdByReference(reference: $r) { ... { ...Home } pastMembers { until
            person { ...Who } } }
        }
        fragment Who on Person { idcs firstName ... on Person { age } }
        fragment Member on Member { relationship person { ...Who household { id } } }
        fragment Home on Household { __typename id size head { ...Who } members { since } }
    """.replace("REFERENCE", regular["reference"]), {"h": poor["id"]})
    assert answer["data"]["household"]["members"][0]["person"]["household"]["id"] == poor["id"]
    assert answer["data"]["other"]["pastMembers"][0]["person"]["idcs"] == regular["_spouse"]


async def test_aliases_and_merged_fields(http, graphql, world, fixed_clock):
    poor, disabled = world.facts["poor"], world.facts["disabled"]
    answer = await engine_answers(http, graphql, world, "registrar 038+001", """
        query($a: ID!, $b: ID!) {
          one: household(id: $a) { id members { relationship } members { person { idcs } }
                                   n: size n: size }
          two: household(id: $b) { ids: members { person { idcs } }
                                   roles: members { relationship schooling } }
          one: household(id: $a) { reference members { person { firstName } } }
        }""", {"a": poor["id"], "b": disabled["id"]})
    one = answer["data"]["one"]
    assert list(one) == ["id", "members", "n", "reference"]
    assert set(one["members"][0]) == {"relationship", "person"}
    assert set(one["members"][0]["person"]) == {"idcs", "firstName"}


async def test_an_eligibility_with_its_household(http, graphql, world, fixed_clock):
    poor = world.facts["poor"]
    answer = await engine_answers(http, graphql, world, f"agency {ASD}", """
        query($i: [String!]!) { eligibilities(program: ASD, idcs: $i) { idcs eligible reasons
          monthlyAmount amountLines { label amount } household { id reference size milieu
          members { relationship schooling hasDisability person { idcs firstName age } } } } }""",
                                  {"i": [poor["_head"], world.facts["loner"], "12"]})
    assert answer["data"] is None  # a non-null root field failed: "12" is no IDCS
    (error,) = answer["errors"]
    assert error["path"] == ["eligibilities"] and error["extensions"]["field"] == "idcs[2]"
    answer = await engine_answers(http, graphql, world, f"agency {ASD}", """
        query($i: String!) { eligibility(program: ASD, idcs: $i) { idcs eligible reasons
          monthlyAmount household { id reference size milieu members { relationship schooling
          hasDisability person { idcs firstName age } } } } }""", {"i": poor["_head"]})
    eligibility = answer["data"]["eligibility"]
    assert eligibility["eligible"] is True and len(eligibility["household"]["members"]) == 4


async def test_an_error_in_one_root_field_and_an_answer_in_the_other(http, graphql, world,
                                                                      fixed_clock):
    poor = world.facts["poor"]
    answer = await engine_answers(http, graphql, world, "admin", """
        query($h: ID!) { person(idcs: "12") { idcs } household(id: $h) { id size } }""",
                                  {"h": poor["id"]})
    assert answer["data"] == {"person": None, "household": {"id": poor["id"], "size": 4}}
    assert [e["path"] for e in answer["errors"]] == [["person"]]
    assert answer["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_programs(http, graphql, world, fixed_clock):
    for who in (f"agency {AMO}", "citizen alone", "auditor"):
        answer = await engine_answers(http, graphql, world, who,
                                      "{ programs { code name criteria { reason rule } } }")
        assert [p["code"] for p in answer["data"]["programs"]] == list(PROGRAMS)


async def test_enrollments_of_an_agency(http, graphql, world, fixed_clock):
    answer = await engine_answers(http, graphql, world, f"agency {TAYSSIR}", """
        { enrollments(program: TAYSSIR) { totalCount edges { node { id status endReason
          household { id } } } } }""")
    (edge,) = answer["data"]["enrollments"]["edges"]
    assert edge["node"]["status"] == "ENDED"
    assert edge["node"]["household"]["id"] == world.facts["poor"]["id"]


DIRECTIVES = [
    "query($i: String!) { person(idcs: $i) { idcs household @include(if: false) { id } } }",
    "query($i: String!, $s: Boolean!) { person(idcs: $i) @skip(if: $s) { idcs } me { subject } }",
    "query($i: String!) { person(idcs: $i) { ...P @include(if: true) } } "
    "fragment P on Person { idcs ... @skip(if: false) { firstName } }",
]


@pytest.mark.parametrize("query", DIRECTIVES)
async def test_documents_with_directives_are_left_to_strawberry(http, graphql, world,
                                                                 fixed_clock, query):
    variables = {"i": world.facts["poor"]["_head"], "s": False}
    if "$s" not in query:
        del variables["s"]
    outcome = await both_ways(http, graphql, {"query": query, "variables": variables},
                              caller_named(world, "admin").token)
    assert outcome.took == 0
    assert outcome.engine.json()["data"]["person"]["idcs"] == variables["i"]
