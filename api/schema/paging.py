"""What every paged list of the schema shares."""

from __future__ import annotations

import strawberry


@strawberry.type(description="Relay page information.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None
