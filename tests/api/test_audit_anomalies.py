"""`auditAnomalies`: actors' unusual days against their own baseline, and lookups outside a
program's declared hours, each with the records behind it. The history is written with the
audit service itself (chained records dated in a past month of their own, by actors of their
own), so the chain stays valid for the other tests."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from api.programs import catalogue as catalogue_module
from api.schema.schema import access_policy
from api.services import anomalies, audit
from api.services.anomalies import baseline_anomalies

pytestmark = pytest.mark.e2e

QUERY = """
query($from: DateTime!, $to: DateTime!) {
  auditAnomalies(from: $from, to: $to) {
    kind actor program day observed baseline threshold recordCount
    records(first: 3) { sequence actor outcome subjects }
  }
}
"""


def record(actor: str, at: datetime, *, subjects=(), outcome="ALLOWED", program=None,
           roles=("registrar",)) -> audit.AuditRecord:
    return audit.AuditRecord(
        actor=actor, roles=list(roles), program=program,
        purpose="ELIGIBILITY_CHECK" if program else None, operation="Lookup",
        operation_type="query", fields=["Query.person"], subjects=list(subjects),
        outcome=outcome, error_code="FORBIDDEN" if outcome == "DENIED" else None,
        request_id=uuid.uuid4().hex, policy_version=access_policy().version, at=at)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def write_history(actor: str, start: date, days: int, per_day: int, *, refusals=0):
    records = []
    for n in range(days):
        day = start + timedelta(days=n)
        records += [record(actor, at(day), subjects=[f"{actor}-{n}-{i}"]) for i in range(per_day)]
        records += [record(actor, at(day, 11), outcome="DENIED") for _ in range(refusals)]
    await audit.append(records)


async def test_an_actor_reading_far_more_than_usual_is_reported_with_the_records(gql, tokens):
    actor = f"registrar-{uuid.uuid4().hex[:8]}"
    start = date(2024, 3, 1)
    await write_history(actor, start, 20, 20)  # 20 distinct subjects a day for 20 days
    heavy = start + timedelta(days=20)
    await audit.append([record(actor, at(heavy), subjects=[f"{actor}-x-{i}", f"{actor}-y-{i}"])
                        for i in range(70)])  # 140 distinct subjects: 7 times the baseline
    normal = heavy + timedelta(days=1)
    await write_history(actor, normal, 1, 25)  # 25: within three times 20
    body = await gql(QUERY, {"from": "2024-03-21T00:00:00Z", "to": "2024-03-23T00:00:00Z"},
                     tokens.auditor())
    mine = [a for a in body["data"]["auditAnomalies"] if a["actor"] == actor]
    assert mine == [{
        "kind": "DISTINCT_SUBJECTS", "actor": actor, "program": None, "day": "2024-03-21",
        "observed": 140, "baseline": 20.0, "threshold": 60.0, "recordCount": 70,
        "records": mine[0]["records"]}], body
    assert [r["actor"] for r in mine[0]["records"]] == [actor] * 3
    assert all(len(r["subjects"]) == 2 for r in mine[0]["records"])


async def test_refusals_above_the_baseline_are_reported(gql, tokens):
    actor = f"agency-{uuid.uuid4().hex[:8]}"
    start = date(2024, 5, 1)
    await write_history(actor, start, 10, 1, refusals=1)
    probing = start + timedelta(days=10)
    await audit.append([record(actor, at(probing), outcome="DENIED") for _ in range(9)])
    body = await gql(QUERY, {"from": "2024-05-11T00:00:00Z", "to": "2024-05-12T00:00:00Z"},
                     tokens.admin())
    mine = [a for a in body["data"]["auditAnomalies"] if a["actor"] == actor]
    assert [(a["kind"], a["observed"], a["baseline"], a["threshold"], a["recordCount"])
            for a in mine] == [("REFUSALS", 9, 1.0, 5.0, 9)]
    assert {r["outcome"] for r in mine[0]["records"]} == {"DENIED"}


async def test_a_new_actor_is_reported_from_the_floor(gql, tokens):
    actor = f"registrar-{uuid.uuid4().hex[:8]}"
    await audit.append([record(actor, at(date(2024, 7, 2)), subjects=[f"{actor}-{i}"])
                        for i in range(60)])
    body = await gql(QUERY, {"from": "2024-07-02T00:00:00Z", "to": "2024-07-03T00:00:00Z"},
                     tokens.auditor())
    mine = [a for a in body["data"]["auditAnomalies"] if a["actor"] == actor]
    assert [(a["observed"], a["baseline"], a["threshold"]) for a in mine] == [(60, None, 50.0)]


async def test_lookups_outside_a_programs_hours(gql, tmp_path):
    entry = json.loads((catalogue_module.PACKAGED_DIR / "TAYSSIR.json").read_text())
    entry["hours"] = {"timezone": "Africa/Casablanca", "days": ["MON", "TUE", "WED", "THU", "FRI"],
                      "from": "08:00", "to": "18:00"}
    (tmp_path / "TAYSSIR.json").write_text(json.dumps(entry))
    programs = catalogue_module.load(files=[tmp_path / "TAYSSIR.json"])
    actor = f"tayssir-{uuid.uuid4().hex[:8]}"
    monday, saturday = date(2024, 9, 2), date(2024, 9, 7)  # Casablanca: UTC+1 that week
    await audit.append([
        record(actor, datetime(2024, 9, 2, 8, 30, tzinfo=UTC), program="TAYSSIR"),  # 09:30 local
        record(actor, datetime(2024, 9, 2, 17, 30, tzinfo=UTC), program="TAYSSIR"),  # 18:30
        record(actor, datetime(2024, 9, 2, 6, 59, tzinfo=UTC), program="TAYSSIR"),  # 07:59
        record(actor, datetime(2024, 9, 7, 12, 0, tzinfo=UTC), program="TAYSSIR"),  # Saturday
    ])
    found = [a for a in await anomalies.find(datetime(2024, 9, 1, tzinfo=UTC),
                                             datetime(2024, 9, 9, tzinfo=UTC), programs)
             if a.actor == actor]
    assert sorted((a.kind, a.program, a.day, a.observed) for a in found) == [
        ("OUTSIDE_HOURS", "TAYSSIR", monday, 2), ("OUTSIDE_HOURS", "TAYSSIR", saturday, 1)]
    behind = await anomalies.records_filter(
        next(a for a in found if a.day == monday)).values_list("at", flat=True)
    assert sorted(t.astimezone(UTC).hour for t in behind) == [6, 17]


async def test_only_auditors_and_admins_and_a_bounded_window(gql, tokens):
    variables = {"from": "2024-01-01T00:00:00Z", "to": "2024-01-02T00:00:00Z"}
    for token in (tokens.registrar(), tokens.citizen("1234567897")):
        body = await gql(QUERY, variables, token)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    too_long = await gql(QUERY, {"from": "2024-01-01T00:00:00Z", "to": "2024-06-01T00:00:00Z"},
                         tokens.auditor())
    assert too_long["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    backwards = await gql(QUERY, {"from": "2024-01-02T00:00:00Z", "to": "2024-01-01T00:00:00Z"},
                          tokens.auditor())
    assert backwards["errors"][0]["extensions"]["field"] == "to"


def test_the_baseline_rule():
    day = date(2024, 1, 30)
    history = {("a", day - timedelta(days=n)): 10 for n in range(1, 29)}
    assert baseline_anomalies("DISTINCT_SUBJECTS", {**history, ("a", day): 30}, day, day) == []
    found = baseline_anomalies("DISTINCT_SUBJECTS", {**history, ("a", day): 51}, day, day)
    assert [(a.observed, a.baseline, a.threshold) for a in found] == [(51, 10, 50)]
    # a day older than the 28 of history does not count towards the baseline
    old = {("a", day - timedelta(days=29)): 1000, ("a", day): 60}
    assert [a.baseline for a in baseline_anomalies("DISTINCT_SUBJECTS", old, day, day)] == [None]
    # below the floor, never
    assert baseline_anomalies("REFUSALS", {("b", day - timedelta(days=1)): 1, ("b", day): 4},
                              day, day) == []
