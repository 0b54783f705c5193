"""How a batch decided again (a rescore batch, the daily run) numbers its changes: in its own
transaction, under the sequencer's lock held to its commit, after every change committed before
it, so the feed's order is the commit order; readers never wait for that lock."""

from __future__ import annotations

import asyncio
import contextvars

import asyncpg
import pytest
from tortoise import Tortoise
from tortoise.transactions import in_transaction

import api.services.scoring as scoring
from api.models import EligibilityChange, FeedMark, Membership, PublishedAnswer
from api.services import clock, feed
from tests import factories
from tests.api.test_rescore import formula_v2, rich_household  # noqa: F401 - a fixture

pytestmark = pytest.mark.e2e

ASD = "ASD"


@pytest.fixture
def postgres_only(database):
    if database.engine != "postgres":
        pytest.skip("batches stage and number their changes on PostgreSQL")


async def _households(gql, admin, n: int) -> list[str]:
    """New households whose members' ASD answers are then forgotten: deciding them again for
    ASD (cause NEW) publishes a change for each."""
    hids = [(await factories.register_household(gql, admin))["id"] for _ in range(n)]
    members = await Membership.filter(household_id__in=hids).values_list("person_id", flat=True)
    await PublishedAnswer.filter(program=ASD, person_id__in=members).delete()
    return hids


async def _newest() -> int:
    return (await EligibilityChange.all().order_by("-id").first()).id


async def _mark(name: str) -> int:
    mark = await FeedMark.get_or_none(name=name)
    return 0 if mark is None else int(mark.value)


async def _unnumbered_change(idcs: str) -> int:
    """A change committed by another writer that has not numbered it yet."""
    async with in_transaction() as conn:
        ids = await feed._insert_changes(conn, [(
            ASD, 1, idcs, clock.now(), "REASONS_CHANGED", "PERSON_CORRECTED", False,
            "NO_HOUSEHOLD", None, None, 9.74, None, None)])
    return ids[0]


async def test_a_batch_writes_its_changes_numbered_after_every_committed_one(
        gql, tokens, postgres_only):
    admin = tokens.admin()
    hids = await _households(gql, admin, 3)
    await feed.sequence()
    before, numbered = await _newest(), await _mark("sequenced")
    waiting = await _unnumbered_change("Z000000001")
    await feed._redo(hids, {ASD: "NEW"}, clock.today())  # every member's answer: a change
    batch = await EligibilityChange.filter(id__gt=before).order_by("id")
    assert batch[0].id == waiting and len(batch) > 4
    # numbered in the batch's transaction (no sequencer ran), the waiting change first,
    # the batch's in the order they were decided, with no gap
    assert [c.sequence for c in batch] == list(range(numbered + 1, numbered + 1 + len(batch)))
    assert await _mark("sequenced") == numbered + len(batch)
    assert await _mark("sequenced_id") == batch[-1].id
    assert not await EligibilityChange.filter(sequence__isnull=True).exists()


async def test_staged_changes_enter_the_feed_only_when_numbered(
        gql, tokens, postgres_only):
    admin = tokens.admin()
    hids = await _households(gql, admin, 2)
    before = await _newest()
    async with in_transaction() as conn:
        staged = await feed._redo_in(hids, {ASD: "NEW"}, clock.today())
        _, rows = await conn.execute_query("SELECT count(*) FROM pg_temp.staged_changes")
        assert rows[0][0] == staged > 0
        assert await EligibilityChange.filter(id__gt=before).count() == 0  # not yet in the feed
        assert await feed.number_staged() == staged
        _, rows = await conn.execute_query("SELECT count(*) FROM pg_temp.staged_changes")
        assert rows[0][0] == 0
    assert await EligibilityChange.filter(id__gt=before, sequence__isnull=False).count() == staged


async def test_rescore_batches_number_their_changes_in_commit_order(
        gql, tokens, formula_v2, postgres_only):  # noqa: F811 - the fixture
    """Batches of one household, scored two at a time: each batch's changes follow those of
    the batch committed before it, so the sequences run in household order."""
    admin = tokens.admin()
    rich = [await rich_household(gql, admin) for _ in range(5)]
    await feed.sequence()
    # (a lane waiting for the lock held by the other would hang: fail instead)
    await asyncio.wait_for(scoring.rescore("v2", batch_size=1), timeout=300)
    changes = await EligibilityChange.filter(cause="RESCORE").order_by("sequence")
    by_household = [c.household_id for c in changes]
    assert set(by_household) == {h["id"] for h in rich}
    assert by_household == sorted(by_household)  # batches go in id order, one lane after another
    assert [c.sequence for c in changes] == list(range(changes[0].sequence,
                                                       changes[0].sequence + len(changes)))


async def test_a_reader_reads_what_is_numbered_while_a_batch_holds_the_lock(
        gql, tokens, database, postgres_only):
    admin = tokens.admin()
    await _households(gql, admin, 1)
    await feed.sequence()
    first, _ = await feed.changes_page(ASD, first=1000)
    holder = await asyncpg.connect(database.url)
    try:
        async with holder.transaction():  # a batch numbering, until its commit
            await holder.execute("SELECT pg_advisory_xact_lock($1)", feed.ADVISORY_LOCK_KEY)
            waiting = await _unnumbered_change("Z000000002")
            # the reader does not wait for the lock: it reads what is numbered
            page, _ = await asyncio.wait_for(feed.changes_page(ASD, first=1000), timeout=60)
            assert [c.sequence for c in page] == [c.sequence for c in first]
            # a writer numbering its own changes waits for the batch's commit
            own = asyncio.ensure_future(feed.sequence(own=[waiting]))
            await asyncio.sleep(0.5)
            assert not own.done()
        await asyncio.wait_for(own, timeout=60)
    finally:
        await holder.close()
    page, _ = await feed.changes_page(ASD, first=1000)
    assert page[-1].sequence == await _mark("sequenced")
    conn = Tortoise.get_connection("default")
    _, rows = await conn.execute_query(
        "SELECT sequence FROM eligibility_changes WHERE id = $1", [waiting])
    assert rows[0][0] == await _mark("sequenced")


async def test_a_writer_numbers_its_changes_after_the_batch_holding_the_lock_commits(
        gql, tokens, database, postgres_only):
    """Between `number_staged` and its commit a batch holds the sequencer's lock: a writer that
    committed meanwhile numbers its change after the batch's, never with the same numbers."""
    admin = tokens.admin()
    hids = await _households(gql, admin, 2)
    await feed.sequence()
    before = await _newest()
    other = await asyncpg.connect(database.url)  # another writer, on its own connection
    try:
        async with in_transaction():
            await feed._redo_in(hids, {ASD: "NEW"}, clock.today())
            assert await feed.number_staged() > 0
            waiting = await other.fetchval(
                "INSERT INTO eligibility_changes (program, person_id, idcs, at, kind, cause, "
                "eligible, reasons, threshold) VALUES ('ASD', 1, 'Z000000003', now(), "
                "'REASONS_CHANGED', 'PERSON_CORRECTED', FALSE, 'NO_HOUSEHOLD', 9.74) "
                "RETURNING id")
            # the writer's own numbering, outside the batch's transaction
            own = asyncio.create_task(feed.sequence(own=[waiting]),
                                      context=contextvars.Context())
            await asyncio.sleep(0.5)
            assert not own.done()  # it waits for the batch's commit
        await asyncio.wait_for(own, timeout=60)
    finally:
        await other.close()
    changes = await EligibilityChange.filter(id__gt=before).order_by("sequence")
    assert changes[-1].id == waiting
    first = changes[0].sequence
    assert [c.sequence for c in changes] == list(range(first, first + len(changes)))
