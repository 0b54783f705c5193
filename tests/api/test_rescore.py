"""Publishing a formula version: `rescore` recomputes every household, in restartable batches,
and the new version is the formula in force from the moment the run starts
(docs/index-and-programs.md "Publishing a new formula version"). A corrected birth date
rescores the person's household too."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import sys

import pytest

import api.scoring.formula as formula_module
import api.services.scoring as scoring
from api import cli
from api.models import EligibilityChange, Household, HouseholdIndex, RescoreRun
from api.scoring.formula import load_formula
from api.services import clock
from tests import factories
from tests.api.household_helpers import REGISTER_HOUSEHOLD, UPDATE_PERSON, household_input

pytestmark = pytest.mark.e2e

WORKED_EXAMPLE = 9.3575440
RICH_ASSETS = ["REFRIGERATOR", "TELEVISION", "CAR", "COMPUTER", "INTERNET"]  # +0.40
RICH = WORKED_EXAMPLE + 0.22 + 0.10 + 0.08  # 9.757544: just above the ASD threshold 9.743001
V2_SHIFT = -1.05  # v2: intercepts 8.00 / 7.75 instead of 9.05 / 8.80

ELIGIBILITY = """
query($program: ProgramCode!, $idcs: String!) {
  eligibility(program: $program, idcs: $idcs) { eligible reasons threshold formulaVersion }
}
"""

HOUSEHOLD = """
query($id: ID!) { household(id: $id) {
  index { value formulaVersion cause }
  indexHistory { value formulaVersion cause }
} }
"""


@pytest.fixture
def formula_v2(tmp_path, monkeypatch):
    """A formulas directory holding v1 (copied) and v2 (v1 with intercepts lowered by 1.05)."""
    shutil.copy(formula_module.FORMULAS_DIR / "v1.json", tmp_path / "v1.json")
    v2 = json.loads((tmp_path / "v1.json").read_text(encoding="utf-8"))
    v2["version"] = "v2"
    v2["intercept"] = {"URBAN": 8.00, "RURAL": 7.75}
    (tmp_path / "v2.json").write_text(json.dumps(v2), encoding="utf-8")
    load_formula.cache_clear()
    monkeypatch.setattr(formula_module, "FORMULAS_DIR", tmp_path)
    yield tmp_path
    monkeypatch.undo()
    load_formula.cache_clear()


async def rich_household(gql, admin) -> dict:
    return await factories.register_household(
        gql, admin, declaration=factories.declaration_input(assets=RICH_ASSETS)
    )


async def one_person_household(gql, admin) -> dict:
    head = await factories.register_person(gql, admin)
    h = (await gql.data(REGISTER_HOUSEHOLD, {"input": household_input(head)}, admin))[
        "registerHousehold"]
    h["_head"] = head
    return h


async def test_rescore_with_v2_flips_eligibility(gql, tokens, formula_v2):
    admin = tokens.admin()
    agency = tokens.program("ASD")
    h = await rich_household(gql, admin)
    assert abs((await Household.get(id=h["id"])).index_value - RICH) < 1e-6

    before = (await gql.data(ELIGIBILITY, {"program": "ASD", "idcs": h["_head"]}, agency))[
        "eligibility"]
    assert before == {"eligible": False, "reasons": ["INDEX_ABOVE_THRESHOLD"],
                      "threshold": 9.743001, "formulaVersion": "v1"}
    assert await scoring.formula_in_force() == "v1"

    progress: list[tuple[int, int]] = []
    report = await scoring.rescore("v2", progress=lambda done, total: progress.append((done, total)))
    assert report.formula_version == "v2"
    assert report.households == 1
    assert report.resumed is False
    assert progress[0] == (0, 1) and progress[-1] == (1, 1)

    after = (await gql.data(ELIGIBILITY, {"program": "ASD", "idcs": h["_head"]}, agency))[
        "eligibility"]
    assert after == {"eligible": True, "reasons": ["INDEX_WITHIN_THRESHOLD"],
                     "threshold": 9.743001, "formulaVersion": "v2"}

    got = (await gql.data(HOUSEHOLD, {"id": h["id"]}, admin))["household"]
    assert got["index"]["formulaVersion"] == "v2"
    assert got["index"]["cause"] == "RESCORE"
    assert abs(got["index"]["value"] - (RICH + V2_SHIFT)) < 1e-6
    assert [(e["formulaVersion"], e["cause"]) for e in got["indexHistory"]] == [
        ("v1", "REGISTRATION"), ("v2", "RESCORE"),
    ]
    # the past index keeps its formula version and value: the old decision stays explainable
    assert abs(got["indexHistory"][0]["value"] - RICH) < 1e-6

    run = await RescoreRun.get(id=report.run_id)
    assert run.formula_version == "v2" and run.finished_at is not None
    assert run.households_done == 1

    # v2 is now the formula in force: a household registered afterwards is scored with it
    assert await scoring.formula_in_force() == "v2"
    later = await factories.register_household(gql, admin)
    got = (await gql.data(HOUSEHOLD, {"id": later["id"]}, admin))["household"]
    assert got["index"]["formulaVersion"] == "v2"
    assert got["index"]["cause"] == "REGISTRATION"
    assert abs(got["index"]["value"] - (WORKED_EXAMPLE + V2_SHIFT)) < 1e-6
    amo = (await gql.data(ELIGIBILITY, {"program": "AMO_TADAMON", "idcs": later["_head"]},
                          tokens.program("AMO_TADAMON")))["eligibility"]
    assert amo["eligible"] is True and amo["formulaVersion"] == "v2"


async def test_rescore_skips_closed_households(gql, tokens, formula_v2):
    admin = tokens.admin()
    open_one = await one_person_household(gql, admin)
    closed = await one_person_household(gql, admin)
    await Household.filter(id=closed["id"]).update(status="CLOSED")
    report = await scoring.rescore("v2")
    assert report.households == 1
    assert await HouseholdIndex.filter(household_id=open_one["id"], cause="RESCORE").count() == 1
    assert await HouseholdIndex.filter(household_id=closed["id"], cause="RESCORE").count() == 0
    assert (await Household.get(id=closed["id"])).index_formula_version == "v1"


async def test_rescore_without_version_uses_the_formula_in_force(gql, tokens):
    admin = tokens.admin()
    h = await one_person_household(gql, admin)
    report = await scoring.rescore()
    assert report.formula_version == "v1" and report.households == 1
    rows = await HouseholdIndex.filter(household_id=h["id"]).order_by("id")
    assert [(r.cause, r.formula_version) for r in rows] == [("REGISTRATION", "v1"),
                                                             ("RESCORE", "v1")]
    assert rows[0].value == rows[1].value


async def test_interrupted_rescore_resumes_after_the_last_committed_batch(
    gql, tokens, formula_v2, monkeypatch
):
    admin = tokens.admin()
    households = [await one_person_household(gql, admin) for _ in range(5)]
    ids = sorted(h["id"] for h in households)
    v1_value = (await Household.get(id=ids[0])).index_value

    real_score_batch = scoring.score_batch
    calls: list[list[str]] = []

    async def failing_second_batch(batch, formula, *, cause, conn, locked=False):
        calls.append([row.id for row in batch])
        if len(calls) == 2:
            raise RuntimeError("interrupted")
        return await real_score_batch(batch, formula, cause=cause, conn=conn, locked=locked)

    monkeypatch.setattr(scoring, "score_batch", failing_second_batch)
    with pytest.raises(RuntimeError, match="interrupted"):
        await scoring.rescore("v2", batch_size=2)
    assert len(calls) == 2
    first_batch = calls[0]
    assert len(first_batch) == 2

    # the first batch is committed, the second is not
    rescored = await HouseholdIndex.filter(cause="RESCORE").values_list("household_id", flat=True)
    assert sorted(str(i) for i in rescored) == sorted(first_batch)
    run = await RescoreRun.get(formula_version="v2")
    assert run.finished_at is None
    assert run.households_done == 2
    assert run.last_household_id == first_batch[-1]
    for hid in ids:
        row = await Household.get(id=hid)
        assert row.index_formula_version == ("v2" if hid in first_batch else "v1")

    # run again: it resumes after the first batch
    calls.clear()
    monkeypatch.setattr(scoring, "score_batch", real_score_batch)
    report = await scoring.rescore("v2", batch_size=2)
    assert report.resumed is True
    assert report.run_id == run.id
    assert report.households == 5
    assert await RescoreRun.all().count() == 1
    run = await RescoreRun.get(id=run.id)
    assert run.finished_at is not None
    assert run.households_done == 5
    assert run.last_household_id == ids[-1]

    for hid in ids:
        rows = await HouseholdIndex.filter(household_id=hid, cause="RESCORE", formula_version="v2")
        assert len(rows) == 1, (hid, rows)
        assert abs(rows[0].value - (v1_value + V2_SHIFT)) < 1e-6
        household = await Household.get(id=hid)
        assert household.index_formula_version == "v2"
        assert abs(household.index_value - rows[0].value) < 1e-9

    # a finished run is not resumed: the next one starts afresh
    report = await scoring.rescore("v2", batch_size=2)
    assert report.resumed is False and report.run_id != run.id
    assert await HouseholdIndex.filter(cause="RESCORE").count() == 10


def test_cli_rejects_an_unknown_formula(capsys):
    load_formula.cache_clear()
    assert cli.main(["rescore", "--formula", "nope"]) == 2
    assert "unknown formula version" in capsys.readouterr().err
    # no escaping the formulas directory
    assert cli.main(["rescore", "--formula", "../formulas/v1"]) == 2
    load_formula.cache_clear()


async def test_cli_rescore_runs_against_the_database(gql, tokens, database):
    """`sijill rescore --formula v1` in its own process, on the test database."""
    admin = tokens.admin()
    h = await one_person_household(gql, admin)
    env = {**os.environ, "DATABASE_URL": database.url}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "api.cli", "rescore", "--formula", "v1", "--quiet",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode == 0, err.decode()
    assert "1 households scored with formula v1" in out.decode()
    rows = await HouseholdIndex.filter(household_id=h["id"]).order_by("id")
    assert [r.cause for r in rows] == ["REGISTRATION", "RESCORE"]
    assert (await RescoreRun.all().count()) == 1


async def test_a_superseded_interrupted_run_is_not_resumed(gql, tokens, formula_v2, monkeypatch):
    """v2 interrupted, then v1 run to the end (v1 back in force), then v2 again: the old v2 run
    must not be resumed (it would skip the households its first batch had scored, now back on
    v1, and leave v1 in force)."""
    admin = tokens.admin()
    households = [await one_person_household(gql, admin) for _ in range(3)]
    real_score_batch = scoring.score_batch
    calls = []

    async def failing_second_batch(batch, formula, *, cause, conn, locked=False):
        calls.append(batch)
        if len(calls) == 2:
            raise RuntimeError("interrupted")
        return await real_score_batch(batch, formula, cause=cause, conn=conn, locked=locked)

    monkeypatch.setattr(scoring, "score_batch", failing_second_batch)
    with pytest.raises(RuntimeError):
        await scoring.rescore("v2", batch_size=2)
    monkeypatch.setattr(scoring, "score_batch", real_score_batch)

    assert (await scoring.rescore("v1")).households == 3
    assert await scoring.formula_in_force() == "v1"

    report = await scoring.rescore("v2", batch_size=2)
    assert report.resumed is False
    assert report.households == 3
    assert await scoring.formula_in_force() == "v2"
    for h in households:
        assert (await Household.get(id=h["id"])).index_formula_version == "v2"


ADD_MEMBER = """
mutation($householdId: ID!, $idcs: String!) {
  addHouseholdMember(householdId: $householdId, idcs: $idcs, relationship: SIBLING) { id size }
}
"""


async def test_a_change_during_a_rescore_batch_is_not_overwritten(gql, tokens, monkeypatch):
    """A member added while a rescore batch is under way (its households locked, its facts not
    yet read or its results not yet written): the household's current index must be the one
    with the new member, not the batch's stale value (eligibility answers from the current
    value)."""
    admin = tokens.admin()
    h = await one_person_household(gql, admin)
    newcomer = await factories.register_person(gql, admin)
    real_lock_batch = scoring._lock_batch
    batch_started = asyncio.Event()
    added = asyncio.Event()

    async def slow_lock_batch(conn, batch):
        await real_lock_batch(conn, batch)
        if not batch_started.is_set():  # the rescore batch, not the add's own scoring
            batch_started.set()
            # let the add run: it either completes or waits for the batch's row lock
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(added.wait(), timeout=1.0)

    async def add():
        await batch_started.wait()
        body = await gql(ADD_MEMBER, {"householdId": h["id"], "idcs": newcomer}, admin)
        added.set()
        return body

    monkeypatch.setattr(scoring, "_lock_batch", slow_lock_batch)
    report, body = await asyncio.gather(scoring.rescore("v1"), add())
    monkeypatch.setattr(scoring, "_lock_batch", real_lock_batch)
    assert report.households == 1
    assert not body.get("errors"), body
    assert body["data"]["addHouseholdMember"]["size"] == 2

    rows = await HouseholdIndex.filter(household_id=h["id"]).order_by("computed_at", "id")
    newest = rows[-1]
    assert newest.members_count == 2, [(r.cause, r.members_count) for r in rows]
    household = await Household.get(id=h["id"])
    assert household.index_value == newest.value, (household.index_value, newest.value)
    got = (await gql.data(HOUSEHOLD, {"id": h["id"]}, admin))["household"]
    assert got["index"]["value"] == round(household.index_value, 7)


INDEX = """
query($id: ID!) { household(id: $id) { size index { value cause } indexHistory { value cause } } }
"""


async def index_of(gql, token: str, household_id: str) -> dict:
    return (await gql.data(INDEX, {"id": household_id}, token))["household"]


async def test_a_corrected_birth_date_rescores(gql, tokens):
    admin = tokens.admin()
    household = await factories.register_household(gql, admin)
    before = await index_of(gql, admin, household["id"])
    assert before["size"] == 4
    spouse_age = clock.today().year - 1984
    assert spouse_age < 65
    await gql.data(UPDATE_PERSON, {"idcs": household["_spouse"],
                                   "input": {"birthDate": "1950-01-01"}}, admin)
    after = await index_of(gql, admin, household["id"])
    assert [e["cause"] for e in after["indexHistory"]] == ["REGISTRATION", "PERSON_CORRECTED"]
    assert after["index"]["cause"] == "PERSON_CORRECTED"
    change = after["index"]["value"] - before["index"]["value"]
    assert abs(change - (-0.10 * 1 / 4)) < 1e-6, change


async def test_a_rescore_publishes_the_answers_it_changes_and_no_other(gql, tokens, formula_v2):
    """v2 lowers every index by 1.05: the rich household crosses ASD's threshold (its members
    become eligible), the poor one stays eligible (nothing published for it)."""
    from tests.api.test_change_feed_replay import replayed

    admin = tokens.admin()
    rich = await rich_household(gql, admin)
    poor = await factories.register_household(
        gql, admin, declaration=factories.declaration_input(
            housingType="SHANTY", occupancy="FREE_OCCUPANT", rooms=1, assets=[]))
    published = await EligibilityChange.all().count()
    await scoring.rescore("v2")
    rescored = await EligibilityChange.filter(cause="RESCORE")
    assert await EligibilityChange.all().count() == published + len(rescored)
    members = {rich["_head"], rich["_spouse"], *rich["_children"]}
    asd = [c for c in rescored if c.program == "ASD"]
    assert {c.idcs for c in asd} == members
    assert {c.kind for c in asd} == {"BECAME_ELIGIBLE"}
    assert not {c.idcs for c in rescored} & {poor["_head"], poor["_spouse"], *poor["_children"]}
    for program in ("AMO_TADAMON", "ASD", "TAYSSIR"):
        feed_answers = await replayed(gql, admin, program)
        current = (await gql.data(
            "query($p: ProgramCode!, $i: [String!]!) { eligibilities(program: $p, idcs: $i) "
            "{ idcs eligible reasons monthlyAmount } }",
            {"p": program, "i": sorted(members)}, admin))["eligibilities"]
        for answer in current:
            assert feed_answers[answer["idcs"]] == (
                answer["eligible"], tuple(answer["reasons"]), answer["monthlyAmount"])


def test_the_shipped_programs_are_decided_again_from_the_index_alone():
    """A rescore reads again only the households whose new index crosses a criterion; for
    that, each shipped program's criteria that read the index must be decidable from the
    index alone (`feed.index_criteria` is None otherwise, and every household whose index
    moved would be decided again)."""
    from api.programs.catalogue import catalogue
    from api.services import feed

    today = clock.today()
    for code in feed.followed(today):
        criteria = feed.index_criteria(catalogue()[code].version_on(today))
        assert criteria, code
        assert {reason for reason, _ in criteria} == {"INDEX_ABOVE_THRESHOLD"}, code


async def test_a_rescore_decides_again_only_the_households_whose_index_crosses_a_threshold(
        gql, tokens, formula_v2, monkeypatch):
    """v2 lowers every index by 1.05: every household's index moves, but only the rich one's
    crosses a threshold; the poor one's members are not decided again."""
    from api.services import feed

    admin = tokens.admin()
    rich = await rich_household(gql, admin)
    poor = await factories.register_household(
        gql, admin, declaration=factories.declaration_input(
            housingType="SHANTY", occupancy="FREE_OCCUPANT", rooms=1, assets=[]))
    decided: list[tuple[str, ...]] = []
    real_redo_in = feed._redo_in

    async def spy(household_ids, causes, today):
        decided.append(tuple(household_ids))
        return await real_redo_in(household_ids, causes, today)

    monkeypatch.setattr(feed, "_redo_in", spy)
    before = {h: (await Household.get(id=h)).index_value for h in (rich["id"], poor["id"])}
    await scoring.rescore("v2")
    after = {h: (await Household.get(id=h)).index_value for h in (rich["id"], poor["id"])}
    assert all(before[h] != after[h] for h in before)  # both moved
    assert [set(ids) for ids in decided] == [{rich["id"]}]
