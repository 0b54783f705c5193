"""A program agency's token must declare one of its program's purposes (contract §2a): without
one, every operation but `me`, `programs` (and introspection) is refused with PURPOSE_REQUIRED,
HTTP 403 under application/graphql-response+json, and audited as DENIED — on the fast path as on
the general one."""

from __future__ import annotations

import pytest

from api.http.auth import mint_token
from tests import factories
from tests.api.household_helpers import the_record_of

pytestmark = pytest.mark.e2e

ELIGIBILITY = ("query Check($idcs: String!) { eligibility(program: ASD, idcs: $idcs) "
               "{ idcs eligible } }")
GRAPHQL_RESPONSE = {"Accept": "application/graphql-response+json"}


def agency(settings, **claims) -> str:
    return mint_token(settings, roles=["program_agency"], subject="asd-service", program="ASD",
                      **claims)


@pytest.mark.parametrize("purpose", [None, "", "curiosity", "eligibility_check",
                                     "SCHOOL_SUPPORT"])
async def test_without_an_allowed_purpose_data_is_refused(gql, settings, tokens, purpose):
    idcs = await factories.register_person(gql, tokens.admin())
    token = agency(settings, purpose=purpose)
    response = await gql.raw(ELIGIBILITY, {"idcs": idcs}, token, headers=GRAPHQL_RESPONSE)
    assert response.status_code == 403, response.text
    body = response.json()
    assert body.get("data") is None
    error = body["errors"][0]["extensions"]
    assert error["code"] == "PURPOSE_REQUIRED"
    assert error["allowedPurposes"] == ["ELIGIBILITY_CHECK", "ENROLLMENT", "PAYMENT_VERIFICATION"]
    record = await the_record_of(response)
    assert (record.outcome, record.error_code) == ("DENIED", "PURPOSE_REQUIRED")
    # with application/json the status stays 200, as for every GraphQL error there
    plain = await gql.raw(ELIGIBILITY, {"idcs": idcs}, token)
    assert plain.status_code == 200
    assert plain.json()["errors"][0]["extensions"]["code"] == "PURPOSE_REQUIRED"


async def test_bulk_and_mutations_are_refused_too(gql, settings):
    token = agency(settings, purpose=None)
    bulk = await gql("query($ids: [String!]!) { eligibilities(program: ASD, idcs: $ids) "
                     "{ idcs } }", {"ids": ["1234567897"]}, token)
    assert bulk["errors"][0]["extensions"]["code"] == "PURPOSE_REQUIRED"
    enroll = await gql('mutation { enroll(program: ASD, householdId: "00000000-0000-0000-'
                       '0000-000000000000") { id } }', None, token)
    assert enroll["errors"][0]["extensions"]["code"] == "PURPOSE_REQUIRED"


async def test_me_programs_and_introspection_need_no_purpose(gql, settings):
    token = agency(settings, purpose=None)
    me = await gql.data("{ me { subject program } programs { code purposes } }", None, token)
    assert me["me"] == {"subject": "asd-service", "program": "ASD"}
    assert "ELIGIBILITY_CHECK" in next(p for p in me["programs"] if p["code"] == "ASD")["purposes"]
    schema = await gql.data("{ __schema { queryType { name } } }", None, token)
    assert schema["__schema"]["queryType"]["name"] == "Query"


@pytest.mark.parametrize("purpose", ["ELIGIBILITY_CHECK", "ENROLLMENT", "PAYMENT_VERIFICATION"])
async def test_an_allowed_purpose_reads_and_is_recorded(gql, settings, tokens, purpose):
    idcs = await factories.register_person(gql, tokens.admin())
    response = await gql.raw(ELIGIBILITY, {"idcs": idcs}, agency(settings, purpose=purpose))
    assert response.json()["data"]["eligibility"]["idcs"] == idcs
    assert (await the_record_of(response)).purpose == purpose


async def test_other_roles_keep_purpose_as_optional_free_text(gql, settings):
    token = mint_token(settings, roles=["registrar"], subject="agent", provinces=["038"],
                       purpose=None)
    assert (await gql.data("{ households(first: 1) { edges { node { id } } } }", None, token))
