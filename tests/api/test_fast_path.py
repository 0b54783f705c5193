"""The fast path answers exactly as the general path does: same bytes, same status and headers,
same audit record; and it leaves to the general path everything it does not answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from api.models import AuditEvent
from api.services import clock
from tests import factories
from tests.api.test_eligibility import AMO, ASD, TAYSSIR, household_of, poor_household, unknown_idcs

pytestmark = pytest.mark.e2e

NOW = datetime(2026, 11, 29, 10, 30, 0, 123456, tzinfo=UTC)

PERSON_ALL = ("__typename idcs cin residenceCardNumber nationality firstName lastName firstNameAr "
              "lastNameAr sex birthDate age deathDate phone hasOtherHealthCoverage version "
              "registeredAt")
HOUSEHOLD_ALL = ("__typename id reference region province commune milieu address status version "
                 "registeredAt updatedAt size members { __typename relationship schooling "
                 "hasDisability since person { %s } }" % PERSON_ALL)

ELIGIBILITY_DOCS = [
    # (program, selection) — each selection within what the program may read
    (AMO, "idcs program eligible reasons threshold formulaVersion evaluatedAt household { id reference size }"),
    (AMO, "eligible"),
    (ASD, "__typename idcs eligible reasons monthlyAmount threshold formulaVersion evaluatedAt "
          "household { id reference size milieu province members { relationship schooling "
          "hasDisability person { idcs firstName lastName sex birthDate age deathDate } } }"),
    (ASD, "ok: eligible amount: monthlyAmount why: reasons home: household { ref: reference n: size }"),
    (TAYSSIR, "idcs eligible reasons household { id members { relationship schooling person { idcs sex birthDate age } } }"),
    (ASD, "eligible monthlyAmount a: household { id } b: household { members { relationship "
          "person { idcs age } } }"),
]


@pytest.fixture(autouse=True)
def postgres_only(database):
    if database.engine != "postgres":
        pytest.skip("the fast path runs on PostgreSQL only (SQLite always takes the general path)")


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def graphql(app):
    return app.state.graphql


async def both_ways(http, graphql, body: dict, token: str) -> tuple:
    """The same request answered by the fast path, then by the general path."""
    headers = {"Authorization": f"Bearer {token}"}
    fast_path = graphql.fast_path
    before = fast_path.answered
    fast = await http.post("/graphql", json=body, headers=headers)
    took_fast = fast_path.answered - before
    graphql.fast_path = None
    try:
        general = await http.post("/graphql", json=body, headers=headers)
    finally:
        graphql.fast_path = fast_path
    return fast, general, took_fast


def record_of(event: AuditEvent) -> dict:
    keep = ("actor", "roles", "program", "purpose", "operation", "operation_type",
            "fields_selected", "denied_fields", "subjects", "outcome", "error_code",
            "policy_version")
    return {k: getattr(event, k) for k in keep}


async def last_two_records() -> tuple[dict, dict]:
    events = await AuditEvent.all().order_by("-sequence").limit(2)
    return record_of(events[1]), record_of(events[0])


async def test_extensions_that_are_not_an_object_go_the_general_way(http, graphql, tokens, registry):
    query = "query($i: String!) { eligibility(program: ASD, idcs: $i) { eligible } }"
    for extensions in ([], False, 0, "", {"persistedQuery": {}}):
        body = {"query": query, "variables": {"i": registry["ids"][0]}, "extensions": extensions}
        await assert_same(http, graphql, body, tokens.program(ASD), fast=False)
    body = {"query": query, "variables": {"i": registry["ids"][0]}, "extensions": {}}
    await assert_same(http, graphql, body, tokens.program(ASD), fast=True)


async def assert_same(http, graphql, body, token, *, fast: bool = True) -> dict:
    a, b, took_fast = await both_ways(http, graphql, body, token)
    assert took_fast == (1 if fast else 0)
    assert a.status_code == b.status_code
    assert a.headers["content-type"] == b.headers["content-type"]
    assert a.content == b.content
    first, second = await last_two_records()
    assert first == second
    return a.json()


@pytest.fixture
async def registry(gql, tokens):
    admin = tokens.admin()
    poor = await poor_household(gql, admin)
    disabled = await household_of(gql, admin, [("2015-03-01", "OUT_OF_SCHOOL", True)],
                                  headEducation="NONE", housingType="SHANTY")
    regular = await factories.register_household(gql, admin, province="001", milieu="RURAL")
    regular["_head"] = regular["members"][0]["person"]["idcs"]
    loner = await factories.register_person(gql, admin, nationality="FR", cin=None,
                                            residenceCardNumber="AB12345678")
    return {
        "households": [poor, disabled, regular],
        "ids": [poor["_head"], *poor["_children"], disabled["_spouse"], regular["_head"], loner,
                await unknown_idcs()],
    }


@pytest.mark.parametrize("program,selection", ELIGIBILITY_DOCS)
async def test_single_eligibility_answers_as_the_general_path(
        http, graphql, tokens, registry, fixed_clock, program, selection):
    query = ("query Check($program: ProgramCode!, $idcs: String!) "
             "{ eligibility(program: $program, idcs: $idcs) { %s } }" % selection)
    for idcs in registry["ids"]:
        await assert_same(http, graphql, {"query": query, "operationName": "Check",
                                          "variables": {"program": program, "idcs": idcs}},
                          tokens.program(program))


@pytest.mark.parametrize("program,selection", ELIGIBILITY_DOCS)
async def test_bulk_eligibility_answers_as_the_general_path(
        http, graphql, tokens, registry, fixed_clock, program, selection):
    ids = registry["ids"] + registry["ids"][:3]  # duplicates keep their places
    literal = ", ".join(f'"{i}"' for i in ids)
    query = "{ eligibilities(program: %s, idcs: [%s]) { %s } }" % (program, literal, selection)
    body = await assert_same(http, graphql, {"query": query}, tokens.program(program))
    assert len(body["data"]["eligibilities"]) == len(ids)


async def test_admin_reads_any_program_the_same_way(http, graphql, tokens, registry, fixed_clock):
    query = ("query($p: ProgramCode!, $i: [String!]!) { eligibilities(program: $p, idcs: $i) "
             "{ idcs eligible reasons monthlyAmount household { %s } } }" % HOUSEHOLD_ALL)
    for program in (AMO, ASD, TAYSSIR):
        await assert_same(http, graphql, {"query": query, "variables": {"p": program,
                                                                        "i": registry["ids"]}},
                          tokens.admin())


async def test_household_with_members_answers_as_the_general_path(http, graphql, tokens, registry):
    query = "query H($id: ID!) { household(id: $id) { %s } }" % HOUSEHOLD_ALL
    for household in registry["households"]:
        body = {"query": query, "variables": {"id": household["id"]}}
        for token in (tokens.admin(), tokens.registrar(household["province"])):
            data = await assert_same(http, graphql, body, token)
            assert data["data"]["household"]["id"] == household["id"]


REFUSED = [
    # (why, token kind, query, variables): each answered by the general path only
    ("field not granted", "AMO",
     'query($i: String!) { eligibility(program: AMO_TADAMON, idcs: $i) { eligible monthlyAmount } }',
     {"i": "ID0"}),
    ("another program", "AMO",
     'query($i: String!) { eligibility(program: ASD, idcs: $i) { eligible } }', {"i": "ID0"}),
    ("malformed IDCS", "ASD",
     'query($i: String!) { eligibility(program: ASD, idcs: $i) { eligible } }', {"i": "1234567890"}),
    ("variable of the wrong type", "ASD",
     'query($i: String!) { eligibility(program: ASD, idcs: $i) { eligible } }', {"i": 12}),
    ("an unused variable not given", "ASD",
     'query($x: Int!) { eligibility(program: ASD, idcs: "ID0") { eligible } }', {}),
    ("missing variable", "ASD",
     'query($i: String!) { eligibility(program: ASD, idcs: $i) { eligible } }', {}),
    ("too many ids", "ASD",
     'query($i: [String!]!) { eligibilities(program: ASD, idcs: $i) { eligible } }',
     {"i": ["ID0"] * 1001}),
    ("a fragment", "ASD",
     'query($i: String!) { eligibility(program: ASD, idcs: $i) { ...F } } '
     'fragment F on Eligibility { eligible }', {"i": "ID0"}),
    ("a directive", "ASD",
     'query($i: String!) { eligibility(program: ASD, idcs: $i) { eligible @include(if: true) } }',
     {"i": "ID0"}),
    ("a repeated object field", "ASD",
     'query($i: String!) { eligibility(program: ASD, idcs: $i) { household { id } '
     'household { reference members { relationship } members { schooling } } } }', {"i": "ID0"}),
    ("null for a defaulted variable", "ASD",
     'query($i: String = "ID0") { eligibility(program: ASD, idcs: $i) { eligible } }', {"i": None}),
    ("two top-level fields", "ASD",
     'query($i: String!) { eligibility(program: ASD, idcs: $i) { eligible } programs { code } }',
     {"i": "ID0"}),
    ("an unknown field", "ASD",
     'query($i: String!) { eligibility(program: ASD, idcs: $i) { eligible nope } }', {"i": "ID0"}),
    ("household out of the registrar's provinces", "REGISTRAR_OTHER",
     'query($h: ID!) { household(id: $h) { id reference } }', {"h": "HH0"}),
    ("malformed household id", "REGISTRAR",
     'query($h: ID!) { household(id: $h) { id } }', {"h": "not-a-uuid"}),
    ("unknown household", "REGISTRAR",
     'query($h: ID!) { household(id: $h) { id } }', {"h": "00000000-0000-4000-8000-000000000000"}),
    ("a program agency browsing a household", "ASD",
     'query($h: ID!) { household(id: $h) { id } }', {"h": "HH0"}),
]


@pytest.mark.parametrize("why,who,query,variables", REFUSED, ids=[r[0] for r in REFUSED])
async def test_what_the_fast_path_does_not_answer_goes_the_general_way(
        http, graphql, tokens, registry, fixed_clock, why, who, query, variables):
    household = registry["households"][0]
    head = household["_head"]
    query = query.replace("ID0", head)
    variables = {k: (head if v == "ID0" else household["id"] if v == "HH0" else
                     [head] * len(v) if isinstance(v, list) else v)
                 for k, v in variables.items()}
    token = {"AMO": tokens.program(AMO), "ASD": tokens.program(ASD),
             "REGISTRAR": tokens.registrar(household["province"]),
             "REGISTRAR_OTHER": tokens.registrar("075")}[who]
    count = await AuditEvent.all().count()
    body = await assert_same(http, graphql, {"query": query, "variables": variables}, token,
                             fast=False)
    if why not in ("a fragment", "a directive", "two top-level fields",
                   "a repeated object field"):
        assert body.get("errors"), body
        assert body["errors"][0]["extensions"]["code"] != "INTERNAL", body
    assert await AuditEvent.all().count() == count + 2  # one record per request, no more


async def test_the_fast_path_counts_agency_lookups_against_the_daily_cap(http, graphql, tokens,
                                                                          registry):
    from api.models import ProgramLookup, ProgramLookupCount

    ids = registry["ids"]
    before = graphql.fast_path.answered
    response = await http.post(
        "/graphql", headers={"Authorization": f"Bearer {tokens.program(ASD)}"},
        json={"query": "query($i: [String!]!) { eligibilities(program: ASD, idcs: $i) { idcs } }",
              "variables": {"i": ids + ids[:2]}})
    assert "errors" not in response.json()
    assert graphql.fast_path.answered == before + 1
    counted = set(await ProgramLookup.filter(program="ASD").values_list("idcs", flat=True))
    assert counted == set(ids)
    assert (await ProgramLookupCount.get(program="ASD")).persons == len(set(ids))


async def test_the_documented_examples_answer_the_same_without_the_fast_path(
        app, http, settings, graphql, fixed_clock):
    """Every example of docs/examples/ in order; each query of the fields the fast path serves
    is asked again of the general path and must get the same bytes (the rest runs once: a
    mutation changes the registry, the audit log grows with every request)."""
    from graphql import OperationDefinitionNode, parse

    from api.fastpath.plan import ROOTS
    from api.seed import seed
    from tests.contract.example_runner import load_examples, resolve, token_for

    await seed(households=20, seed=2026)
    answers: dict[str, dict] = {}
    fast = 0
    for example in load_examples():
        body = {"query": example.document, "operationName": example.operation_name,
                "variables": resolve(example.variables, answers)}
        token = token_for(example, settings, answers)
        operation = next(d for d in parse(example.document).definitions
                         if isinstance(d, OperationDefinitionNode))
        roots = {f.name.value for f in operation.selection_set.selections}
        if operation.operation.value != "query" or not roots <= set(ROOTS):
            response = await http.post("/graphql", json=body,
                                       headers={"Authorization": f"Bearer {token}"})
        else:
            response, general, took_fast = await both_ways(http, graphql, body, token)
            assert response.content == general.content, example.id
            assert response.status_code == general.status_code, example.id
            fast += took_fast
        answers[example.id] = response.json()
    assert fast >= 2  # the agency's eligibility examples, at least


async def test_a_trusted_document_sent_by_id_takes_the_fast_path(app, database, tokens):
    import json

    import httpx

    from api.http.app import create_app
    from api.settings import Settings
    from tests.contract.example_runner import EXAMPLES_DIR, operation_name

    manifest = EXAMPLES_DIR / "agency-persisted-documents.json"
    ids = {operation_name(text): key
           for key, text in json.loads(manifest.read_text(encoding="utf-8")).items()}
    trusted = create_app(Settings(DATABASE_URL=database.url, SIJILL_RATE_LIMITS="none",
                                  SIJILL_TRUSTED_DOCUMENTS_ROLES="program_agency",
                                  SIJILL_TRUSTED_DOCUMENTS_MANIFEST=str(manifest)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=trusted),
                                 base_url="http://t") as client:
        fast_path = trusted.state.graphql.fast_path
        response = await client.post(
            "/graphql", headers={"Authorization": f"Bearer {tokens.program(ASD)}"},
            json={"documentId": ids["Eligibility"],
                  "variables": {"program": "ASD", "idcs": await unknown_idcs()}})
        assert response.json()["data"]["eligibility"]["reasons"] == ["NOT_REGISTERED"]
        assert fast_path.answered == 1


async def test_a_fault_in_the_fast_path_leaves_the_answer_to_the_general_path(
        http, graphql, tokens, registry, monkeypatch):
    query = "query($i: String!) { eligibility(program: ASD, idcs: $i) { idcs eligible } }"
    body = {"query": query, "variables": {"i": registry["ids"][0]}}
    headers = {"Authorization": f"Bearer {tokens.program(ASD)}"}
    expected = (await http.post("/graphql", json=body, headers=headers)).json()

    async def broken(*_args, **_kwargs):
        raise RuntimeError("a fault")

    monkeypatch.setattr(type(graphql.fast_path), "_eligibility", broken)
    answered = graphql.fast_path.answered
    response = await http.post("/graphql", json=body, headers=headers)
    assert response.status_code == 200 and response.json() == expected
    assert graphql.fast_path.answered == answered
    (last,) = await AuditEvent.all().order_by("-sequence").limit(1)
    assert last.outcome == "ALLOWED" and last.subjects == [registry["ids"][0]]
