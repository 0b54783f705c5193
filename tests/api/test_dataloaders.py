"""The nested household page is served by a constant number of SQL statements (DataLoaders)."""

from __future__ import annotations

import pytest

from tests.api.household_helpers import small_household

pytestmark = pytest.mark.e2e

PAGE = """
query($first: Int!) {
  households(first: $first) {
    edges { node {
      id reference size
      head { idcs }
      members { relationship person { idcs firstName household { id } } }
      declaration { rooms }
    } }
    totalCount
  }
}
"""

BOUND = 12


async def _count(gql, token, first, count_queries) -> tuple[int, dict, list[str]]:
    count_queries.statements.clear()
    data = await gql.data(PAGE, {"first": first}, token)
    statements = list(count_queries.statements)
    count_queries.statements.clear()
    return len(statements), data["households"], statements


@pytest.mark.parametrize("role", ["admin", "registrar"])
async def test_statement_count_is_independent_of_page_size(gql, tokens, count_queries, role):
    admin = tokens.admin()
    token = admin if role == "admin" else tokens.registrar("038")
    made = [await small_household(gql, admin, extra=2) for _ in range(20)]

    small_n, small_page, small_sql = await _count(gql, token, 5, count_queries)
    large_n, large_page, large_sql = await _count(gql, token, 20, count_queries)
    print(f"\n[{role}] SQL statements: households(first: 5) -> {small_n}, "
          f"households(first: 20) -> {large_n}")

    assert len(small_page["edges"]) == 5 and len(large_page["edges"]) == 20
    assert small_page["totalCount"] == large_page["totalCount"] == 20
    # the answers are complete: every member resolved, with their household
    by_id = {h["id"]: h for h in made}
    for edge in large_page["edges"]:
        node = edge["node"]
        source = by_id[node["id"]]
        assert node["size"] == 3 and len(node["members"]) == 3
        assert node["head"]["idcs"] == source["_head"]
        assert node["declaration"]["rooms"] == 2
        members = {m["person"]["idcs"] for m in node["members"]}
        assert members == {source["_head"], *source["_others"]}
        assert all(m["person"]["household"]["id"] == node["id"] for m in node["members"])

    assert small_n == large_n, "\n".join(["first 5:", *small_sql, "first 20:", *large_sql])
    assert 0 < large_n <= BOUND, "\n".join(large_sql)
