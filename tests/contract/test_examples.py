"""The documented example operations (docs/examples/) run, in order, against the ASGI app on a
seeded database, each with a token of its role, and answer what they say they answer."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from graphql import FieldNode, OperationDefinitionNode, build_schema, parse, validate

from api.cli import main as sijill
from api.http.app import create_app
from api.seed import seed
from api.settings import Settings
from tests.contract.example_runner import (
    AUDIENCES,
    EXAMPLES_DIR,
    load_examples,
    mismatches,
    persisted_ids,
    report,
    resolve,
    run_examples,
)

MANIFEST = EXAMPLES_DIR / "agency-persisted-documents.json"

pytestmark = pytest.mark.e2e


async def test_every_example_runs_and_answers_as_expected(app, http, settings):
    await seed(households=20, seed=2026)
    outcomes = await run_examples(http, settings)
    out = io.StringIO()
    assert report(outcomes, out), out.getvalue()
    print(out.getvalue())
    assert {o.example.role for o in outcomes} == {"registrar", "program_agency", "citizen",
                                                  "auditor", "analyst"}


async def test_agency_examples_run_by_document_id_in_trusted_documents_mode(app, database):
    """The committed manifest (graphql-codegen's output for docs/examples/agency) is accepted:
    with agencies restricted to it, every example still runs, the agency's by id only."""
    await seed(households=20, seed=2026)
    settings = Settings(DATABASE_URL=database.url, SIJILL_RATE_LIMITS="none",
                        SIJILL_TRUSTED_DOCUMENTS_ROLES="program_agency",
                        SIJILL_TRUSTED_DOCUMENTS_MANIFEST=str(MANIFEST))
    trusted = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=trusted),
                                 base_url="http://t") as client:
        outcomes = await run_examples(
            client, settings, manifest=json.loads(MANIFEST.read_text(encoding="utf-8")),
            trusted_roles=frozenset({"program_agency"}))
    out = io.StringIO()
    assert report(outcomes, out), out.getvalue()


def _shape(document: str) -> tuple:
    """What a document asks for, whatever its field order and layout: operation, variables and
    every selected field path."""
    operation = next(d for d in parse(document).definitions
                     if isinstance(d, OperationDefinitionNode))
    paths = set()

    def walk(selection_set, prefix):
        for s in selection_set.selections if selection_set else ():
            assert isinstance(s, FieldNode)
            path = f"{prefix}.{s.name.value}"
            arguments = sorted((a.name.value, str(a.value.to_dict())) for a in s.arguments or ())
            paths.add((path, tuple(arguments)))
            walk(s.selection_set, path)

    walk(operation.selection_set, "")
    variables = sorted((v.variable.name.value, str(v.type.to_dict()))
                       for v in operation.variable_definitions or ())
    return operation.operation.value, operation.name.value, tuple(variables), frozenset(paths)


def test_the_committed_manifest_matches_the_agency_examples():
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    agency = {e.operation_name: e.document for e in load_examples()
              if e.role == "program_agency"}
    ids = persisted_ids(manifest)
    fix = "regenerate it: bash .ci/examples (graphql-codegen) and commit the manifest"
    assert set(ids) == set(agency), f"{MANIFEST.name} is out of date: {fix}"
    for name, document in agency.items():
        assert _shape(manifest[ids[name]]) == _shape(document), f"{name} changed: {fix}"


def test_every_document_is_used_and_named_uniquely():
    examples = load_examples()
    documents = {p for a in AUDIENCES for p in (EXAMPLES_DIR / a).glob("*.graphql")}
    assert documents == {e.document_path for e in examples}, "a .graphql file no example runs"
    names = {}
    for e in examples:
        assert names.setdefault(e.operation_name, e.document_path) == e.document_path, (
            f"operation name {e.operation_name} is used by two documents")


@pytest.mark.parametrize(
    "example", [e for e in load_examples() if e.role == "program_agency"], ids=lambda e: e.id)
def test_agency_documents_fit_the_program_sdl(example, capsys):
    """A program agency's documents validate against its published per-program SDL."""
    program = example.claims["program"]
    capsys.readouterr()
    sijill(["schema", "export", "--program", program])
    sdl = build_schema(capsys.readouterr().out)
    assert validate(sdl, parse(example.document)) == []


def test_references_and_subset_matching():
    answers = {"a/1": {"data": {"x": {"id": "7", "version": 3, "items": [{"k": "v"}]}}}}
    assert resolve({"n": "${a/1:data.x.version}"}, answers) == {"n": 3}
    assert resolve(["id-${a/1:data.x.id}"], answers) == ["id-7"]
    assert resolve("${a/1:data.x.items.0.k}", answers) == "v"
    with pytest.raises(KeyError):
        resolve("${b/2:data}", answers)
    assert mismatches({"x": {"version": 3}}, answers["a/1"]["data"]) == []
    assert mismatches({"x": {"version": 4}}, answers["a/1"]["data"]) == [
        ".x.version: expected 4, got 3"]
    assert mismatches([{"k": "v"}, {}], [{"k": "v"}])  # lists have the same length
    assert mismatches({"gone": None}, {}) == [".gone: missing"]


def test_example_files_are_well_formed():
    for path in EXAMPLES_DIR.glob("*/*.json"):
        spec = json.loads(path.read_text(encoding="utf-8"))
        assert set(spec) <= {"title", "document", "role", "claims", "variables", "expect"}, path
        assert spec["role"] in {"admin", "registrar", "program_agency", "citizen", "auditor",
                                "analyst"}
        assert "sub" in spec["claims"], path
