"""The change feed over GraphQL (`eligibilityChanges`, docs/agencies.md "Following the changes"):
what each write publishes, to whom, in which order, and what `sijill programs apply` adds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from api.models import AuditEvent, EligibilityChange, FeedMark, PublishedAnswer
from api.services import clock, feed
from tests.api.household_helpers import REMOVE, assert_error
from tests.api.test_eligibility import POOR, UPDATE_PERSON, born_aged, household_of

pytestmark = pytest.mark.e2e

AMO, ASD, TAYSSIR = "AMO_TADAMON", "ASD", "TAYSSIR"

CHANGES = """
query($program: ProgramCode!, $after: String, $first: Int) {
  eligibilityChanges(program: $program, after: $after, first: $first) {
    edges { cursor node { sequence at idcs kind cause
                          eligibility { idcs program eligible reasons %s } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
EXTRA = {ASD: "monthlyAmount household { id }", AMO: "household { id }",
         TAYSSIR: "household { id }"}

PATCH = """
mutation($id: ID!, $changes: DeclarationPatchInput!) {
  patchHouseholdDeclaration(householdId: $id, changes: $changes) { id version }
}
"""


async def changes(gql, token, program, after=None, first=None) -> tuple[list[dict], dict]:
    data = await gql.data(CHANGES % EXTRA[program],
                          {"program": program, "after": after, "first": first}, token)
    page = data["eligibilityChanges"]
    return [edge["node"] for edge in page["edges"]], page["pageInfo"]


async def poor_household(gql, admin, children: int = 1) -> dict:
    return await household_of(gql, admin, [(born_aged(8 + i), "IN_SCHOOL", False)
                                           for i in range(children)], **POOR)


async def test_a_registration_publishes_each_member_answer_once_in_order(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    members = [h["_head"], h["_spouse"], *h["_children"]]
    nodes, info = await changes(gql, tokens.program(ASD), ASD)
    # each person's registration (not registered → in no household), then the household's
    registered = [n for n in nodes if n["eligibility"]["reasons"] == ["NO_HOUSEHOLD"]]
    assert [n["idcs"] for n in registered] == members
    assert all(n["kind"] == "REASONS_CHANGED" and n["cause"] == "REGISTRATION"
               for n in registered)
    became = nodes[len(registered):]
    assert sorted(n["idcs"] for n in became) == sorted(members)
    for node in became:
        assert node["kind"] == "BECAME_ELIGIBLE" and node["cause"] == "REGISTRATION"
        assert node["eligibility"]["eligible"] is True
        assert node["eligibility"]["monthlyAmount"] > 0
        assert node["eligibility"]["household"] == {"id": h["id"]}
    sequences = [n["sequence"] for n in nodes]
    assert sequences == sorted(sequences) and len(set(sequences)) == len(sequences)
    assert not info["hasNextPage"]
    # the cursor resumes after the last change seen, and stays put when nothing is new
    again, again_info = await changes(gql, tokens.program(ASD), ASD, after=info["endCursor"])
    assert again == [] and again_info["endCursor"] == info["endCursor"]


async def test_the_feed_pages_with_cursors(gql, tokens):
    await poor_household(gql, tokens.admin())
    every, _ = await changes(gql, tokens.admin(), ASD)
    seen, after = [], None
    while True:
        nodes, info = await changes(gql, tokens.admin(), ASD, after=after, first=2)
        seen += nodes
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert [n["sequence"] for n in seen] == [n["sequence"] for n in every]


async def test_each_edge_cursor_resumes_after_its_change(gql, tokens):
    await poor_household(gql, tokens.admin())
    data = await gql.data(CHANGES % "", {"program": ASD}, tokens.program(ASD))
    edges = data["eligibilityChanges"]["edges"]
    assert len(edges) > 2
    for i, edge in enumerate(edges[:-1]):
        following, _ = await changes(gql, tokens.program(ASD), ASD, after=edge["cursor"], first=1)
        assert [n["sequence"] for n in following] == [edges[i + 1]["node"]["sequence"]]
    assert data["eligibilityChanges"]["pageInfo"]["endCursor"] == edges[-1]["cursor"]


async def test_the_feed_shows_an_amount_with_its_lines_when_asked(gql, tokens):
    await poor_household(gql, tokens.admin(), children=2)
    data = await gql.data(CHANGES % "monthlyAmount amountLines { label amount }",
                          {"program": ASD}, tokens.program(ASD))
    answers = [e["node"]["eligibility"] for e in data["eligibilityChanges"]["edges"]]
    paid = [a for a in answers if a["eligible"]]
    assert paid
    for answer in paid:
        assert answer["amountLines"] and all(line["amount"] > 0 for line in answer["amountLines"])
        assert sum(line["amount"] for line in answer["amountLines"]) == answer["monthlyAmount"]
    assert all(a["amountLines"] is None for a in answers if not a["eligible"])


async def test_a_write_that_changes_no_answer_publishes_nothing(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    before = await EligibilityChange.all().count()
    await gql.data(PATCH, {"id": h["id"], "changes": {"phoneMonthly": 25}}, admin)
    await gql.data(UPDATE_PERSON, {"idcs": h["_spouse"], "input": {"phone": "0611111111"}}, admin)
    assert await EligibilityChange.all().count() == before


async def test_a_member_leaving_changes_their_answer_and_the_amount_of_the_others(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin, children=2)
    _, info = await changes(gql, admin, ASD)
    child = h["_children"][0]
    await gql.data(REMOVE, {"householdId": h["id"], "idcs": child, "reason": "MOVED_OUT",
                            "effectiveDate": clock.today().isoformat()}, admin)
    nodes, _ = await changes(gql, admin, ASD, after=info["endCursor"])
    by_idcs = {n["idcs"]: n for n in nodes}
    assert by_idcs[child]["kind"] == "NO_LONGER_ELIGIBLE"
    assert by_idcs[child]["cause"] == "MEMBER_REMOVED"
    assert by_idcs[child]["eligibility"]["reasons"] == ["NO_HOUSEHOLD"]
    for adult in (h["_head"], h["_spouse"]):  # fewer children: a smaller amount
        assert by_idcs[adult]["kind"] == "AMOUNT_CHANGED"
    assert by_idcs[h["_children"][1]]["kind"] == "AMOUNT_CHANGED"
    assert set(by_idcs) == {child, h["_head"], h["_spouse"], h["_children"][1]}
    # AMO Tadamon pays no amount: only the child's answer changed there
    amo, _ = await changes(gql, admin, AMO)
    assert [(n["idcs"], n["cause"]) for n in amo if n["cause"] == "MEMBER_REMOVED"] == \
        [(child, "MEMBER_REMOVED")]


async def test_a_death_is_published(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    _, info = await changes(gql, admin, AMO)
    await gql.data(UPDATE_PERSON, {"idcs": h["_spouse"],
                                   "input": {"deathDate": clock.today().isoformat()}}, admin)
    nodes, _ = await changes(gql, admin, AMO, after=info["endCursor"])
    assert [(n["idcs"], n["kind"], n["cause"], n["eligibility"]["reasons"]) for n in nodes] == \
        [(h["_spouse"], "NO_LONGER_ELIGIBLE", "DEATH", ["DECEASED", "NO_HOUSEHOLD"])]


async def test_only_the_program_agency_and_admins_read_a_program_feed(gql, tokens):
    await poor_household(gql, tokens.admin())
    body = await gql(CHANGES % EXTRA[AMO], {"program": ASD}, tokens.program(AMO))
    assert_error(body, "FORBIDDEN")
    for token in (tokens.registrar(), tokens.auditor()):
        assert_error(await gql(CHANGES % EXTRA[AMO], {"program": AMO}, token), "FORBIDDEN")


async def test_the_nested_answer_obeys_the_program_grants(gql, tokens):
    """AMO Tadamon's agency may not read monthlyAmount, in the feed as anywhere."""
    await poor_household(gql, tokens.admin())
    body = await gql(CHANGES % "monthlyAmount", {"program": AMO}, tokens.program(AMO))
    assert_error(body, "FORBIDDEN")
    assert "Eligibility.monthlyAmount" in body["errors"][0]["extensions"]["deniedFields"]


async def test_reading_the_feed_is_audited_with_its_subjects(gql, tokens):
    h = await poor_household(gql, tokens.admin())
    nodes, _ = await changes(gql, tokens.program(ASD), ASD)
    record = await AuditEvent.filter(program=ASD).order_by("-sequence").first()
    assert record is not None and record.program == ASD and record.outcome == "ALLOWED"
    assert {h["_head"], h["_spouse"], *h["_children"]} <= set(record.subjects)
    assert len(nodes) > 0


async def test_malformed_and_expired_cursors_are_refused(gql, tokens):
    admin = tokens.admin()
    await poor_household(gql, admin)
    body = await gql(CHANGES % EXTRA[ASD], {"program": ASD, "after": "bm9wZQ=="}, admin)
    assert_error(body, "BAD_USER_INPUT")
    assert body["errors"][0]["extensions"]["field"] == "after"
    body = await gql(CHANGES % EXTRA[ASD], {"program": ASD, "first": 1001}, admin)
    assert_error(body, "BAD_USER_INPUT")
    _, first_page = await changes(gql, admin, ASD, first=1)
    # every change older than the retention is forgotten: a cursor before them has expired
    await EligibilityChange.all().update(at=clock.now() - timedelta(days=91))
    assert await feed.prune() > 0
    body = await gql(CHANGES % EXTRA[ASD], {"program": ASD, "after": first_page["endCursor"]},
                     admin)
    assert_error(body, "BAD_USER_INPUT")
    assert body["errors"][0]["extensions"]["field"] == "after"


async def test_apply_publishes_a_program_new_to_the_feed_then_nothing(gql, tokens):
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    report = await feed.apply()
    # the first run: every program is new to the feed, but the members' answers were
    # published by the registration already: nothing to add
    assert report.changes == 0
    assert set(report.programs) == {AMO, ASD, TAYSSIR}
    # a program whose answers the feed never published: each member's first answer
    await PublishedAnswer.filter(program=TAYSSIR).delete()
    await FeedMark.filter(name__startswith="version:TAYSSIR").delete()
    report = await feed.apply()
    assert report.changes == 3
    nodes, _ = await changes(gql, admin, TAYSSIR)
    new = [n for n in nodes if n["cause"] == "PROGRAM_VERSION"]
    assert sorted(n["idcs"] for n in new) == sorted([h["_head"], h["_spouse"], *h["_children"]])
    assert (await feed.apply()).changes == 0  # idempotent


async def test_apply_publishes_ages_reached(gql, tokens, monkeypatch):
    """A child turning 21 no longer counts for ASD's amount: published the day it happens."""
    admin = tokens.admin()
    today = clock.today()
    turns_21 = (today + timedelta(days=1)).replace(year=today.year - 21) \
        if not (today.month == 2 and today.day == 28) else today.replace(year=today.year - 21,
                                                                          day=27)
    h = await household_of(gql, admin, [(turns_21.isoformat(), "IN_SCHOOL", False),
                                        (born_aged(8), "IN_SCHOOL", False)], **POOR)
    assert (await feed.apply()).changes == 0
    _, info = await changes(gql, admin, ASD)
    tomorrow = today + timedelta(days=1)
    monkeypatch.setattr(clock, "today", lambda: tomorrow)
    report = await feed.apply()
    assert report.programs[ASD].startswith("ages reached")
    nodes, _ = await changes(gql, admin, ASD, after=info["endCursor"])
    assert {n["idcs"] for n in nodes} == {h["_head"], h["_spouse"], *h["_children"]}
    assert {(n["kind"], n["cause"]) for n in nodes} == {("AMOUNT_CHANGED", "AGE_REACHED")}
    assert (await feed.apply()).changes == 0


async def test_a_page_is_audited_even_without_its_answers(gql, tokens):
    h = await poor_household(gql, tokens.admin())
    query = """query { eligibilityChanges(program: ASD) { edges { node { idcs kind } } } }"""
    nodes = (await gql.data(query, None, tokens.program(ASD)))["eligibilityChanges"]["edges"]
    assert nodes
    record = await AuditEvent.filter(program=ASD).order_by("-sequence").first()
    assert {h["_head"], h["_spouse"], *h["_children"]} <= set(record.subjects)


async def test_a_new_reader_starts_from_the_oldest_change_kept(gql, tokens):
    admin = tokens.admin()
    await poor_household(gql, admin)
    await EligibilityChange.filter(idcs__not="").update(at=clock.now() - timedelta(days=91))
    assert await feed.prune() > 0
    h = await poor_household(gql, admin)
    nodes, _ = await changes(gql, admin, ASD)  # no cursor: never "expired"
    assert {n["idcs"] for n in nodes} == {h["_head"], h["_spouse"], *h["_children"]}


async def test_born_on_29_february_counts_a_year_older_on_1_march(gql, tokens):
    from datetime import date

    admin = tokens.admin()
    h = await household_of(gql, admin, [("2012-02-29", "IN_SCHOOL", False)], **POOR)
    found = await feed._households_with_birthdays(date(2025, 2, 27), date(2025, 2, 28))
    assert h["id"] not in found  # 2025 has no 29 February: still 12 on the 28th
    found = await feed._households_with_birthdays(date(2025, 2, 28), date(2025, 3, 1))
    assert h["id"] in found
    found = await feed._households_with_birthdays(date(2028, 2, 28), date(2028, 2, 29))
    assert h["id"] in found


async def test_apply_recomputes_every_answer_of_rules_that_read_the_date(gql, tokens,
                                                                          monkeypatch):
    """A rule reading `today` may answer otherwise any day: the daily run recomputes all."""
    from api.programs.catalogue import Version

    await poor_household(gql, tokens.admin())
    await feed.apply()
    tomorrow = clock.today() + timedelta(days=1)
    monkeypatch.setattr(clock, "today", lambda: tomorrow)
    monkeypatch.setattr(Version, "reads", property(lambda self: frozenset({"today"})))
    report = await feed.apply()
    assert all("today's date" in what for what in report.programs.values())
    assert report.households == 1 and report.changes == 0


async def test_a_write_before_the_daily_run_announces_a_new_program_first_answers(gql, tokens):
    """A program in force since today, before `apply` marked it: the first write to a household
    announces its members' first answers, and apply announces them no second time."""
    admin = tokens.admin()
    h = await poor_household(gql, admin)
    await feed.apply()
    await PublishedAnswer.filter(program=TAYSSIR).delete()  # as if Tayssir were new today
    await FeedMark.filter(name="version:TAYSSIR").delete()
    before = await EligibilityChange.filter(program=TAYSSIR).count()
    await gql.data(PATCH, {"id": h["id"], "changes": {"phoneMonthly": 25}}, admin)
    first = await EligibilityChange.filter(program=TAYSSIR).offset(before)
    assert sorted(c.idcs for c in first) == sorted([h["_head"], h["_spouse"], *h["_children"]])
    assert {c.cause for c in first} == {"DECLARATION_UPDATED"}
    assert (await feed.apply()).changes == 0
