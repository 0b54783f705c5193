"""Introspection answers from the caller's own view of the schema."""

import pytest
from graphql import build_client_schema

pytestmark = pytest.mark.e2e

INTROSPECTION = """
query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name }
    types { kind name fields(includeDeprecated: true) { name } }
  }
}
"""


def fields_of(body: dict, type_name: str) -> set[str]:
    types = {t["name"]: t for t in body["data"]["__schema"]["types"]}
    return {f["name"] for f in (types[type_name]["fields"] or [])} if type_name in types else set()


async def test_program_introspection_shows_only_its_fields(gql, tokens):
    body = await gql(INTROSPECTION, {}, tokens.program("TAYSSIR"))
    assert "errors" not in body, body
    assert fields_of(body, "Person") == {"idcs", "sex", "birthDate", "age"}
    assert "person" not in fields_of(body, "Query") and "eligibility" in fields_of(body, "Query")
    assert fields_of(body, "Mutation") == {"enroll", "endEnrollment", "createWebhook",
                                           "deleteWebhook"}
    assert fields_of(body, "Declaration") == set()  # the type itself is invisible


async def test_admin_introspection_shows_the_whole_schema(gql, tokens):
    from api.schema.schema import schema

    body = await gql(INTROSPECTION, {}, tokens.admin())
    assert fields_of(body, "Person") == set(schema._schema.type_map["Person"].fields)


async def test_full_introspection_query_builds_a_client_schema(gql, tokens):
    from graphql import get_introspection_query

    body = await gql(get_introspection_query(), {}, tokens.program("ASD"))
    client = build_client_schema(body["data"])
    assert "monthlyAmount" in client.type_map["Eligibility"].fields
    assert "phone" not in client.type_map["Person"].fields


async def test_introspection_mixed_with_data_is_refused(gql, tokens):
    body = await gql("{ programs { code } __schema { types { name } } }", {}, tokens.admin())
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["data"] is None
