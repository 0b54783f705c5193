"""How large the register's households have grown, for the cost of a document.

A document's cost counts each list at the most items it can return. For `Household.members`
that is not the 50 members a household may have, but the most members any household of the
register has had (`registry_extents.household_members`): 12 on the generated national
register. So an agency's 1 000 ids with their households' members cost what such a request can
really read, while a document asking for more than the register can return is refused as
before.

The value is raised in the transaction of the write that makes a household larger than it
(`grow`), and never lowered. Each worker keeps it in memory: read at start, raised at once by
its own writes, and re-read every `REFRESH_SECONDS` (`refresh`), so that a worker learns of
another's raise within that time. Until a worker has read it, it counts the validation maximum.
"""

from __future__ import annotations

import asyncio
import logging

from tortoise.connection import get_connection

from api.models import RegistryExtent
from api.services.sqlparams import Params
from api.services.validation import MAX_MEMBERS

HOUSEHOLD_MEMBERS = "household_members"
REFRESH_SECONDS = 30.0
_known: dict[str, int] = {}  # what the cost counts: the stored value, or a larger own write
_stored: dict[str, int] = {}  # what the database held when last read
log = logging.getLogger("sijill.extents")


def household_members() -> int:
    """The bound of one household's `members` list, for the cost of a document."""
    value = _known.get(HOUSEHOLD_MEMBERS)
    return MAX_MEMBERS if value is None else max(1, min(value, MAX_MEMBERS))


async def refresh() -> None:
    for name, value in await RegistryExtent.all().values_list("name", "value"):
        _stored[name] = value
        _known[name] = max(value, _known.get(name, 0))


async def grow(name: str, value: int) -> None:
    """Raise the extent to `value` if it is below, in the write's transaction. Nothing to do
    (no statement) when the database is known to hold as much already."""
    if value <= _stored.get(name, 0):
        return
    conn = get_connection("default")  # within a write, its transaction
    p = Params(conn)
    await conn.execute_query(f"UPDATE registry_extents SET value = {p(value)} WHERE name = "
                             f"{p(name)} AND value < {p(value)}", p.values)
    # Known here at once; if the transaction rolls back, this worker overcounts until it
    # restarts, which only makes documents cost more.
    _known[name] = max(value, _known.get(name, 0))


LARGEST_HOUSEHOLD = ("SELECT coalesce(max(n), 0) AS most FROM (SELECT count(*) AS n FROM "
                     "memberships WHERE end_date IS NULL GROUP BY household_id) AS s")


async def recount() -> int:
    """Raise the extents to what the register's rows hold (after a bulk load, or the seed)."""
    rows = await get_connection("default").execute_query_dict(LARGEST_HOUSEHOLD)
    most = int(rows[0]["most"])
    await grow(HOUSEHOLD_MEMBERS, most)
    return most


async def keep_fresh(interval: float = REFRESH_SECONDS) -> None:
    """A worker's background task: re-read the extents until cancelled."""
    while True:
        try:
            await refresh()
        except Exception as exc:  # a database hiccup: the last value stands until the next
            log.warning("registry extents not refreshed: %s", type(exc).__name__)
        await asyncio.sleep(interval)
