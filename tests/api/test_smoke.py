import pytest

from tests import factories

pytestmark = pytest.mark.e2e


async def test_admin_registers_a_household_and_reads_it_back(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    assert household["size"] == 4
    data = await gql.data(
        "query($id: ID!) { household(id: $id) { reference head { idcs } members { relationship } } }",
        {"id": household["id"]}, admin,
    )
    assert data["household"]["head"]["idcs"] == household["_head"]
