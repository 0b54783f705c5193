"""Server logs: one JSON object a line, the request id of the X-Request-Id header and the audit
record, and never a token, an identity number, the query text or variables."""

import io
import json
import logging
import urllib.parse

import pytest

from api.models import AuditEvent
from api.observability import logs
from tests import factories

pytestmark = pytest.mark.e2e


async def test_logs_hold_no_token_and_no_identifier(gql, tokens, caplog):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    citizen = tokens.citizen(household["_head"])
    caplog.set_level(logging.DEBUG, logger="sijill")
    await gql("query Mine { myHousehold { members { person { idcs cin phone } } } }", {}, citizen)
    await gql('query Bad { person(idcs: "12345") { idcs } }', {}, citizen)
    await gql("query Boom { person(idcs: $x) { idcs } }", {}, citizen)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Mine" in text  # the request lines are there
    for secret in (citizen, admin, household["_head"], household["_spouse"], *household["_children"]):
        assert secret not in text


@pytest.fixture
def json_lines():
    """Everything logged through the root logger while the test runs, rendered as in production."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.formatter("json"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(previous)


REGISTER = "mutation Reg($input: RegisterPersonInput!) { registerPerson(input: $input) { idcs } }"


async def test_each_line_is_json_with_the_request_id_of_header_and_audit_record(
        gql, http, tokens, json_lines):
    admin = tokens.admin()
    person = factories.person_input()
    registered = await gql.raw(REGISTER, {"input": person}, admin)
    idcs = registered.json()["data"]["registerPerson"]["idcs"]
    citizen = tokens.citizen(idcs)
    lookup = f'query Look {{ person(idcs: "{idcs}") {{ firstName cin }} }}'
    looked = await gql.raw(lookup, {}, admin)
    mine = await gql.raw("query Me { me { subject } }", {}, citizen)
    # a GET carries the query text in its URL: no access log may print it
    get = await http.get("/graphql?" + urllib.parse.urlencode({"query": lookup}),
                         headers={"Authorization": f"Bearer {admin}"})
    refused = await gql.raw("query Nope { programs { code } }", {}, "not-a-token")
    responses = [registered, looked, mine, get, refused]

    # the test client's own lines (httpx prints the URLs it fetches) are not the server's
    lines = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    lines = [line for line in lines if line["logger"] != "httpx"]
    requests = [line for line in lines if line["event"] == "request"]
    by_id = {line["request_id"]: line for line in requests}
    for response in responses:
        rid = response.headers["x-request-id"]
        line = by_id[rid]
        assert line["status"] == response.status_code
        assert set(line) >= {"request_id", "operation", "operation_type", "outcome", "status",
                             "duration_ms", "time", "level", "logger"}
        assert await AuditEvent.filter(request_id=rid).count() == 1
    assert by_id[registered.headers["x-request-id"]]["operation"] == "Reg"
    assert by_id[registered.headers["x-request-id"]]["operation_type"] == "mutation"
    assert by_id[refused.headers["x-request-id"]]["outcome"] == "ERROR"
    assert by_id[refused.headers["x-request-id"]]["status"] == 401

    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    for secret in (admin, citizen, "not-a-token", idcs, person["cin"], person["firstName"],
                   "firstName", "registerPerson", "myHousehold", "RegisterPersonInput"):
        assert secret not in text, secret


def test_library_messages_are_scrubbed_of_tokens_and_identity_numbers(json_lines, tokens):
    token = tokens.admin()
    logging.getLogger("asyncpg.test").error(
        'duplicate key value violates unique constraint: Key (idcs)=(1234567897), cin AB123456, '
        'header Bearer %s', token)
    try:
        raise ValueError("person 1234567897 with K482130")
    except ValueError:
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    lines = [json.loads(line) for line in json_lines.getvalue().splitlines()]
    assert [line["logger"] for line in lines] == ["asyncpg.test", "uvicorn.error"]
    text = json_lines.getvalue()
    for secret in (token, token.split(".")[1], "1234567897", "AB123456", "K482130"):
        assert secret not in text
    assert "[idcs]" in lines[0]["event"] and "[cin]" in lines[0]["event"]
    assert "ValueError" in lines[1]["exception"]  # the traceback is kept, scrubbed


def test_console_format_for_development():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.formatter("console"))
    logger = logging.getLogger("sijill.console-test")
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.INFO)
    try:
        logs.get_logger("sijill.console-test").info("request", request_id="abc", status=200)
    finally:
        logger.removeHandler(handler)
    line = stream.getvalue()
    assert "request" in line and "request_id" in line and "abc" in line
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)
    with pytest.raises(ValueError):
        logs.formatter("xml")
