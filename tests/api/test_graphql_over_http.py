"""GraphQL over HTTP: media types and status codes (contract §1); a mutation refused over GET
still has its audit record."""

import pytest

from tests.api.household_helpers import ASD, the_record_of

pytestmark = pytest.mark.e2e

GRJ = "application/graphql-response+json"


async def post(http, query, token=None, accept=GRJ, variables=None):
    headers = {"accept": accept, "content-type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return await http.post("/graphql", json={"query": query, "variables": variables or {}},
                           headers=headers)


async def test_success_is_200_in_graphql_response_json(http, tokens):
    response = await post(http, "{ programs { code } }", tokens.admin())
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(GRJ)
    assert "data" in response.json()


@pytest.mark.parametrize("query", [
    "{ programs { code }",          # does not parse
    "{ programs { nope } }",        # does not validate
    "{ " + "a: __typename " * 30 + "}",  # over the alias limit
])
async def test_request_errors_are_400_without_data(http, tokens, query):
    response = await post(http, query, tokens.admin())
    assert response.status_code == 400, response.text
    body = response.json()
    assert "data" not in body and body["errors"]


async def test_field_denial_is_400_without_data(http, tokens):
    response = await post(http, '{ person(idcs: "1234567897") { phone } }', tokens.program("ASD"))
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_field_error_during_execution_is_200_with_data(http, tokens):
    from api.identifiers import luhn_check_digit

    unknown = "123456789" + str(luhn_check_digit("123456789"))
    response = await post(http, 'query($i: String!) { person(idcs: $i) { idcs } }', tokens.admin(),
                          variables={"i": unknown})
    assert response.status_code == 200
    body = response.json()
    assert body["data"] == {"person": None}
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_application_json_keeps_200_for_request_errors(http, tokens):
    response = await post(http, "{ programs { nope } }", tokens.admin(), accept="application/json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")


async def test_missing_token_is_401_in_both_media_types(http):
    for accept in (GRJ, "application/json"):
        response = await post(http, "{ me { subject } }", None, accept=accept)
        assert response.status_code == 401


async def test_get_runs_queries_but_never_mutations(http, tokens):
    headers = {"Authorization": f"Bearer {tokens.admin()}", "accept": "application/json"}
    ok = await http.get("/graphql", params={"query": "{ programs { code } }"}, headers=headers)
    assert ok.status_code == 200 and ok.json()["data"]["programs"]
    refused = await http.get("/graphql", params={
        "query": 'mutation { endEnrollment(id: "x", reason: "y") { id } }'}, headers=headers)
    assert refused.status_code == 405


async def test_field_denial_in_graphql_response_json_is_400_without_data(http, tokens):
    response = await http.post(
        "/graphql", json={"query": '{ person(idcs: "1234567897") { phone } }'},
        headers={"accept": GRJ, "Authorization": f"Bearer {tokens.program(ASD)}"},
    )
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(GRJ)
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_a_mutation_over_get_is_405_and_audited_as_error(http, tokens):
    response = await http.get(
        "/graphql",
        params={"query": 'mutation { endEnrollment(id: "x", reason: "y") { id } }'},
        headers={"accept": GRJ, "Authorization": f"Bearer {tokens.admin()}"},
    )
    assert response.status_code == 405, response.text
    assert response.headers.get("allow") == "POST"
    record = await the_record_of(response)
    assert record.outcome == "ERROR"
    assert record.operation_type == "mutation"
