"""Pages of the records naming given subjects (`auditEvents(filter: {subject})`,
`myDataAccesses`) walk the subjects' index (`audit.subject_page`); they must be exactly the
pages of the plain query, the records filtered by a subquery on the subjects and cut by the
keyset pager. Differential, over generated subjects, filters, page sizes and cursors."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tortoise.expressions import Subquery

from api.models import AuditEvent, AuditSubject
from api.schema.schema import access_policy
from api.services import audit, paging

pytestmark = pytest.mark.e2e

RUN = uuid.uuid4().hex[:8]
ALPHABET = [f"{RUN}-s{i}" for i in range(6)]
ACTORS = [f"{RUN}-a{i}" for i in range(3)]
state: dict = {}


async def records() -> list[int]:
    """About 200 records of this run, each naming 0 to 3 of the alphabet's subjects, some
    refused; written once."""
    if "sequences" not in state:
        rng = random.Random(7)
        batch = [audit.AuditRecord(
            actor=rng.choice(ACTORS), roles=["registrar"], program=None, purpose=None,
            operation="Lookup", operation_type="query", fields=["Query.person"],
            subjects=rng.sample(ALPHABET, rng.choice([0, 1, 1, 2, 3])),
            outcome=rng.choice(["ALLOWED", "ALLOWED", "DENIED"]), error_code=None,
            request_id=uuid.uuid4().hex, policy_version=access_policy().version,
            at=datetime(2023, 1, 1, tzinfo=UTC)) for _ in range(200)]
        state["sequences"] = await audit.append(batch)
    return state["sequences"]


@settings(max_examples=150, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(subjects=st.lists(st.sampled_from(ALPHABET), min_size=1, max_size=3, unique=True),
       first=st.integers(0, 12), cursor=st.integers(-1, 210),
       outcome=st.sampled_from([None, "ALLOWED", "DENIED"]),
       not_actor=st.sampled_from([None, *ACTORS]))
async def test_walking_the_index_gives_the_plain_querys_pages(gql, subjects, first, cursor,
                                                             outcome, not_actor):
    sequences = await records()
    after = None if cursor < 0 else (sequences[min(cursor, len(sequences) - 1)]
                                     if cursor < 200 else sequences[-1] + 1)
    query = AuditEvent.filter(actor__in=ACTORS)
    if outcome is not None:
        query = query.filter(outcome=outcome)
    if not_actor is not None:
        query = query.exclude(actor=not_actor)
    plain = await paging.keyset_page(
        query.filter(sequence__in=Subquery(
            AuditSubject.filter(subject__in=subjects).values("sequence"))),
        key="sequence", first=first, after=after, descending=True)
    walked = await audit.subject_page(query, subjects, first=first, after=after,
                                      total=paging.TotalCount(known=0))
    assert [r.sequence for r in walked[0]] == [r.sequence for r in plain[0]]
    assert walked[1] == plain[1]
