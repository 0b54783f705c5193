"""Schema suggestions ("Did you mean …?") are for admins only."""

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("document", [
    "{ programs { cod } }",                       # field
    '{ provinces(regio: "06") { code } }',         # argument
    "query($p: ProgramCod!) { programs { code } }",  # type
])
async def test_no_suggestion_for_a_program_agency(gql, tokens, document):
    body = await gql(document, {}, tokens.program("ASD"))
    assert body["errors"], body
    assert all("Did you mean" not in e["message"] for e in body["errors"]), body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_no_suggestion_for_anonymous_callers(gql):
    body = await gql("{ programs { cod } }")
    assert "Did you mean" not in body["errors"][0]["message"]


async def test_admins_keep_suggestions(gql, tokens):
    body = await gql("{ programs { cod } }", {}, tokens.admin())
    assert "Did you mean" in body["errors"][0]["message"]
