"""Unusual use of the registry, found in the audit log (`auditAnomalies`): for each day of a
window, the actors who read far more distinct persons and households than they usually do, who
were refused far more often than they usually are, and the lookups of a program's agencies
outside the hours the program declares (its catalogue entry's `hours`).

An actor's **baseline** for a day is the median of their daily counts over the days they were
active in the `HISTORY_DAYS` before it. A day is anomalous when its count exceeds `MULTIPLE`
times the baseline and is at least the kind's floor (so that 12 persons read by someone who
usually reads 3 is not reported). An actor without history has no baseline: any day of theirs
at or above the floor is reported. Days are UTC days, as in `auditStatistics`; a program's hours
are in its own time zone.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from tortoise.connection import get_connection
from tortoise.expressions import Q
from tortoise.functions import Count

from api.errors import BadUserInput
from api.models import AuditEvent
from api.programs.catalogue import Catalogue
from api.services.audit import _utc, sequence
from api.services.sqlparams import Params

HISTORY_DAYS = 28
MULTIPLE = 3.0
FLOORS = {"DISTINCT_SUBJECTS": 50, "REFUSALS": 5}
MAX_WINDOW_DAYS = 92
MOST = 200  # anomalies in one answer, the most severe first


@dataclass(frozen=True)
class Anomaly:
    kind: str  # DISTINCT_SUBJECTS, REFUSALS, OUTSIDE_HOURS
    actor: str
    day: date
    observed: int
    baseline: float | None
    threshold: float | None
    program: str | None = None
    # what selects the records behind it: UTC spans, and the records' filter
    spans: tuple[tuple[datetime, datetime], ...] = ()

    @property
    def severity(self) -> float:
        return self.observed / self.threshold if self.threshold else float(self.observed)


def check_window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    start, end = _utc(start), _utc(end)
    if end <= start:
        raise BadUserInput("`to` must be after `from`.", field="to")
    if end - start > timedelta(days=MAX_WINDOW_DAYS):
        raise BadUserInput(f"A window of at most {MAX_WINDOW_DAYS} days.", field="to")
    return start, end


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), UTC)
    return start, start + timedelta(days=1)


def baseline_anomalies(kind: str, counts: dict[tuple[str, date], int], first_day: date,
                       last_day: date) -> list[Anomaly]:
    """Pure: the anomalies of the days first_day..last_day among per-(actor, day) counts that
    include the HISTORY_DAYS before first_day."""
    by_actor: dict[str, dict[date, int]] = defaultdict(dict)
    for (actor, day), count in counts.items():
        by_actor[actor][day] = count
    found = []
    for actor, days in by_actor.items():
        for day, observed in days.items():
            if not first_day <= day <= last_day:
                continue
            history = [c for d, c in days.items()
                       if day - timedelta(days=HISTORY_DAYS) <= d < day and c > 0]
            baseline = statistics.median(history) if history else None
            threshold = max(MULTIPLE * baseline if baseline is not None else 0, FLOORS[kind])
            if observed >= threshold and (baseline is None or observed > MULTIPLE * baseline):
                found.append(Anomaly(kind=kind, actor=actor, day=day, observed=observed,
                                     baseline=baseline, threshold=threshold,
                                     spans=(_day_bounds(day),)))
    return found


# Records are appended in about the order they are stamped: none stamped in a window is
# appended before a record stamped a day before it.
SEQUENCE_MARGIN = timedelta(days=1)


async def _first_sequence(since: datetime) -> int | None:
    """A sequence below every record stamped from `since` on (read on the `at` index)."""
    return await (AuditEvent.filter(at__gte=since - SEQUENCE_MARGIN).order_by("at")
                  .first().values_list("sequence", flat=True))


# What each count reads: the records of the window, from the window's first sequence on.
SUBJECTS_PER_DAY = ("count(DISTINCT s.subject)",
                    "audit_events e JOIN audit_subjects s ON s.sequence = e.sequence",
                    "e.outcome = 'ALLOWED' AND s.sequence >= :lowest AND e.sequence >= :lowest")
REFUSALS_PER_DAY = ("sum(coalesce(e.count, 1))", "audit_events e",
                    "e.outcome = 'DENIED' AND e.sequence >= :lowest")


async def _daily_counts(count: tuple[str, str, str], since: datetime, until: datetime,
                        lowest: int) -> dict[tuple[str, date], int]:
    """{(actor, UTC day): the count} over the records stamped in [since, until)."""
    what, source, where = count
    conn = get_connection("default")
    postgres = conn.capabilities.dialect == "postgres"
    day = "(e.at AT TIME ZONE 'UTC')::date" if postgres else "date(e.at)"
    p = Params(conn)
    named = {"since": since, "until": until, "lowest": lowest}
    sql = (f"SELECT e.actor AS actor, {day} AS day, {what} AS n FROM {source} "
           f"WHERE e.at >= :since AND e.at < :until AND {where} GROUP BY e.actor, {day}")
    sql = re.sub(r":(since|until|lowest)\b", lambda m: p(named[m.group(1)]), sql)
    out = {}
    for row in await conn.execute_query_dict(sql, p.values):
        value = row["day"]
        out[(row["actor"], value if isinstance(value, date) else date.fromisoformat(value))] = \
            int(row["n"])
    return out


async def _outside_hours(programs: Catalogue, first_day: date, last_day: date) -> list[Anomaly]:
    found = []
    for code in programs.codes:
        hours = programs[code].hours
        if hours is None:
            continue
        day = first_day - timedelta(days=1)  # a local day may begin on the UTC day before
        while day <= last_day + timedelta(days=1):
            spans = hours.outside(day)
            if spans:
                span_filter = Q(*[Q(at__gte=a, at__lt=b) for a, b in spans], join_type="OR")
                rows = await (AuditEvent.filter(span_filter, program=code, operation_type="query")
                              .annotate(n=Count("sequence")).group_by("actor")
                              .values_list("actor", "n"))
                for actor, count in rows:
                    found.append(Anomaly(kind="OUTSIDE_HOURS", actor=actor, day=day,
                                         observed=count, baseline=None, threshold=None,
                                         program=code, spans=tuple(spans)))
            day += timedelta(days=1)
    return [a for a in found if first_day <= a.day <= last_day]


async def find(start: datetime, end: datetime, programs: Catalogue) -> list[Anomaly]:
    """Every anomaly of the UTC days from `start`'s to the day before `end`, the most severe
    first (at most MOST)."""
    start, end = check_window(start, end)
    await sequence()
    first_day, last_day = start.date(), (end - timedelta(microseconds=1)).date()
    since = _day_bounds(first_day - timedelta(days=HISTORY_DAYS))[0]
    until = _day_bounds(last_day)[1]
    lowest = await _first_sequence(since)
    if lowest is None:
        subjects, refusals = {}, {}
    else:
        # the subjects of the window's records only (a block-range index on their sequence)
        subjects = await _daily_counts(SUBJECTS_PER_DAY, since, until, lowest)
        refusals = await _daily_counts(REFUSALS_PER_DAY, since, until, lowest)
    found = (baseline_anomalies("DISTINCT_SUBJECTS", subjects, first_day, last_day)
             + baseline_anomalies("REFUSALS", refusals, first_day, last_day)
             + await _outside_hours(programs, first_day, last_day))
    found.sort(key=lambda a: (-a.severity, a.day, a.kind, a.actor))
    return found[:MOST]


def records_filter(anomaly: Anomaly):
    """The audit records behind an anomaly, as a query (sequence order)."""
    spans = Q(*[Q(at__gte=a, at__lt=b) for a, b in anomaly.spans], join_type="OR")
    query = AuditEvent.filter(spans, actor=anomaly.actor)
    if anomaly.kind == "DISTINCT_SUBJECTS":
        query = query.filter(outcome="ALLOWED")
    elif anomaly.kind == "REFUSALS":
        query = query.filter(outcome="DENIED")
    else:
        query = query.filter(program=anomaly.program, operation_type="query")
    return query.order_by("sequence")
