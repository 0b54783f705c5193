"""What every paged list of the schema shares: page information, and a connection built over a
keyset page of rows (api/services/paging.py)."""

from __future__ import annotations

from collections.abc import Callable

import strawberry

from api.services.paging import TotalCount


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


def connection_of(connection, edge, node, rows: list, has_next: bool, total: TotalCount,
                  cursor_of: Callable):
    """A Relay connection over a keyset page of rows; its total counted if selected."""
    edges = [edge(cursor=cursor_of(r), node=node(row=r)) for r in rows]
    return connection(
        edges=edges,
        page_info=PageInfo(has_next_page=has_next, end_cursor=edges[-1].cursor if edges else None),
        total=total,
    )
