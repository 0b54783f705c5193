"""Run the example operations of docs/examples/ against a Sijill server and check their answers.

Each example is a `.json` file: `role`, token `claims`, `variables` and what to `expect`; its
operation is the sibling `.graphql` file (or the one named by `document`). Audiences run in the
order portal, agency, citizen, auditor, analyst, files in name order within each, so that an example may
use an earlier one's answer: a string `${portal/05-register-household:data.registerHousehold.id}`
is replaced by that value of that example's response (the whole value when the string is only
the reference, keeping numbers numbers). `expect` holds a subset of the response: objects match
on the keys given, lists element by element and of the same length. Without `expect.errors` the
response must have no error.

    python -m tests.contract.example_runner http://127.0.0.1:8121/graphql \
        [--manifest persisted-documents.json --trusted-roles program_agency] [--shapes FILE]

`--shapes FILE` writes the shape of each answer (status, keys, value types, list lengths, error
codes; no value), so that two servers' runs can be compared with `diff` (.ci/image compares the
container image's answers with the checkout's).

With a manifest, the examples of the trusted roles are sent as `{"documentId": <hash>}` (the
document of the manifest with the example's operation name), as a graphql-codegen client does.
Tokens are minted with the settings of the environment (the development secret by default), so
the server must share them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from graphql import OperationDefinitionNode, parse

from api.http.auth import mint_token
from api.settings import Settings, get_settings

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "docs" / "examples"
AUDIENCES = ("portal", "agency", "citizen", "auditor", "analyst")
REFERENCE = re.compile(r"\$\{([^:{}]+):([^{}]+)\}")


@dataclass
class Example:
    id: str  # audience/stem, e.g. portal/01-register-person
    path: Path
    title: str
    role: str
    claims: dict[str, Any]
    variables: dict[str, Any]
    expect: dict[str, Any]
    document_path: Path
    document: str = field(repr=False)

    @property
    def operation_name(self) -> str:
        return operation_name(self.document)


@dataclass
class Outcome:
    example: Example
    status: int
    body: dict[str, Any]
    problems: list[str]
    seconds: float

    @property
    def ok(self) -> bool:
        return not self.problems


def operation_name(document: str) -> str:
    names = [d.name.value for d in parse(document).definitions
             if isinstance(d, OperationDefinitionNode) and d.name]
    if len(names) != 1:
        raise ValueError(f"expected one named operation, found {names}")
    return names[0]


def load_examples(root: Path = EXAMPLES_DIR) -> list[Example]:
    examples = []
    for audience in AUDIENCES:
        for path in sorted((root / audience).glob("*.json")):
            spec = json.loads(path.read_text(encoding="utf-8"))
            document_path = path.with_name(spec.get("document") or path.stem + ".graphql")
            examples.append(Example(
                id=f"{audience}/{path.stem}", path=path, title=spec.get("title", ""),
                role=spec["role"], claims=spec.get("claims", {}),
                variables=spec.get("variables", {}), expect=spec.get("expect", {}),
                document_path=document_path,
                document=document_path.read_text(encoding="utf-8"),
            ))
    return examples


def lookup(value: Any, path: str) -> Any:
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list) else value[part]
    return value


def resolve(value: Any, answers: dict[str, dict]) -> Any:
    """Replace `${example:path}` references by values of earlier answers."""
    if isinstance(value, dict):
        return {k: resolve(v, answers) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, answers) for v in value]
    if not isinstance(value, str) or "${" not in value:
        return value

    def value_of(match: re.Match) -> Any:
        example, path = match.group(1).strip(), match.group(2).strip()
        if example not in answers:
            raise KeyError(f"{match.group(0)}: example {example!r} has not run before this one")
        return lookup(answers[example], path)

    whole = REFERENCE.fullmatch(value)
    if whole:
        return value_of(whole)
    return REFERENCE.sub(lambda m: str(value_of(m)), value)


def mismatches(expected: Any, actual: Any, where: str = "") -> list[str]:
    """How `actual` differs from the subset `expected` (empty when it matches)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where or '.'}: expected an object, got {actual!r}"]
        found = []
        for key, value in expected.items():
            if key not in actual:
                found.append(f"{where}.{key}: missing")
            else:
                found += mismatches(value, actual[key], f"{where}.{key}")
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {len(expected)} item(s), got {actual!r}"]
        return [m for i, (e, a) in enumerate(zip(expected, actual, strict=True))
                for m in mismatches(e, a, f"{where}[{i}]")]
    return [] if expected == actual else [f"{where}: expected {expected!r}, got {actual!r}"]


def token_for(example: Example, settings: Settings, answers: dict[str, dict]) -> str:
    claims = resolve(example.claims, answers)
    return mint_token(settings, roles=[example.role], subject=claims["sub"],
                      program=claims.get("program"), provinces=claims.get("provinces"),
                      **({"purpose": claims["purpose"]} if "purpose" in claims else {}))


def persisted_ids(manifest: dict[str, str]) -> dict[str, str]:
    """Operation name → document id of a persisted-documents manifest."""
    return {operation_name(text): document_id for document_id, text in manifest.items()}


async def run_examples(client: httpx.AsyncClient, settings: Settings, *, path: str = "/graphql",
                       examples: list[Example] | None = None,
                       manifest: dict[str, str] | None = None,
                       trusted_roles: frozenset[str] = frozenset()) -> list[Outcome]:
    ids = persisted_ids(manifest or {})
    answers: dict[str, dict] = {}
    outcomes = []
    for example in examples if examples is not None else load_examples():
        variables = resolve(example.variables, answers)
        body: dict[str, Any] = {"variables": variables, "operationName": example.operation_name}
        if example.role in trusted_roles:
            if example.operation_name not in ids:
                outcomes.append(Outcome(example, 0, {}, [
                    f"operation {example.operation_name} is not in the manifest"], 0.0))
                continue
            body["documentId"] = ids[example.operation_name]
        else:
            body["query"] = example.document
        headers = {"Authorization": f"Bearer {token_for(example, settings, answers)}"}
        started = time.perf_counter()
        response = await client.post(path, json=body, headers=headers)
        seconds = time.perf_counter() - started
        try:
            answer = response.json()
        except ValueError:
            answer = {}
        answers[example.id] = answer
        outcomes.append(Outcome(example, response.status_code, answer,
                                _problems(example, response.status_code, answer, answers),
                                seconds))
    return outcomes


def _problems(example: Example, status: int, answer: dict, answers: dict) -> list[str]:
    expect = resolve(example.expect, answers)
    problems = []
    if "errors" not in expect:
        if status != 200:
            problems.append(f"HTTP {status}")
        if answer.get("errors"):
            problems.append(f"errors: {json.dumps(answer['errors'], ensure_ascii=False)}")
    elif not answer.get("errors"):
        problems.append("expected errors, got none")
    return problems + mismatches(expect, answer)


def report(outcomes: list[Outcome], out=sys.stdout) -> bool:
    for o in outcomes:
        mark = "ok  " if o.ok else "FAIL"
        print(f"{mark} {o.example.id:<38} {o.example.role:<15} {o.seconds * 1000:6.0f} ms  "
              f"{o.example.title}", file=out)
        for problem in o.problems:
            print(f"       {problem}", file=out)
    failed = sum(not o.ok for o in outcomes)
    print(f"{len(outcomes) - failed} of {len(outcomes)} examples passed", file=out)
    return failed == 0


def shape(value: Any) -> Any:
    """The structure of a JSON value without its values: the type of a leaf, each key of an
    object (in order), each item of a list; an error's code is kept (it is its meaning)."""
    if isinstance(value, dict):
        return {key: (item if key == "code" else shape(item)) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


def write_shapes(outcomes: list[Outcome], path: str) -> None:
    lines = [json.dumps({"example": o.example.id, "status": o.status, "ok": o.ok,
                         "answer": shape(o.body)}, ensure_ascii=False) for o in outcomes]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


async def _main(args: argparse.Namespace) -> bool:
    manifest = json.loads(Path(args.manifest).read_text(encoding="utf-8")) if args.manifest \
        else None
    roles = frozenset(r for r in (args.trusted_roles or "").split(",") if r)
    async with httpx.AsyncClient(timeout=30) as client:
        outcomes = await run_examples(client, get_settings(), path=args.url,
                                      manifest=manifest, trusted_roles=roles)
    if args.shapes:
        write_shapes(outcomes, args.shapes)
    return report(outcomes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="the GraphQL endpoint, e.g. http://127.0.0.1:8121/graphql")
    parser.add_argument("--manifest", help="persisted-documents.json to send documents by id")
    parser.add_argument("--trusted-roles", help="roles whose examples are sent by id, e.g. "
                                                "program_agency,citizen")
    parser.add_argument("--shapes", help="write each answer's shape to this file")
    return 0 if asyncio.run(_main(parser.parse_args(argv))) else 1


if __name__ == "__main__":
    sys.exit(main())
