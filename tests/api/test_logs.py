"""Server logs never contain tokens or identity numbers."""

import logging

import pytest

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
