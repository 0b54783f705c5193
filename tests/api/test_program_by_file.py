"""A new program is one file (contract §9): an illustrative disability-support program, put in
a temporary SIJILL_PROGRAMS_DIR with no Python change, is checked, listed, granted, exported as
SDL, answered by `eligibility` and `eligibilities` (on the fast path and the general path alike)
with its reasons and amount lines, and enrollable — by a server started with that directory, as
an operator would ("a file, a restart")."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

import httpx
import jwt
import pytest

from api.services import clock
from tests import factories
from tests.api.test_audit_workers import ROOT, _wait_until_ready, free_port

pytestmark = pytest.mark.e2e

CODE = "DISABILITY_SUPPORT"
PROGRAM = {
    "code": CODE,
    "name": "Disability support (illustrative)",
    "purposes": ["ELIGIBILITY_CHECK", "ENROLLMENT", "PAYMENT_VERIFICATION"],
    "fields": ["Eligibility.idcs", "Eligibility.program", "Eligibility.eligible",
               "Eligibility.reasons", "Eligibility.household", "Eligibility.monthlyAmount",
               "Eligibility.amountLines", "Eligibility.threshold", "AmountLine.label",
               "AmountLine.amount", "Household.id", "Household.size", "Household.members",
               "Member.relationship", "Member.hasDisability", "Member.person", "Person.idcs"],
    "versions": [{
        "effectiveFrom": "2024-01-01",
        "legalReference": "Illustrative decree n° 0-00-000",
        "threshold": 9.9,
        "criteria": [
            {"reason": "INDEX_ABOVE_THRESHOLD", "description": "Index at most the threshold.",
             "rule": "household.index <= threshold"},
            {"reason": "NO_MEMBER_WITH_DISABILITY",
             "description": "A member of the household has a disability.",
             "rule": "household.members.exists(m, m.hasDisability)"},
        ],
        "amountLines": [
            {"label": "Per member with a disability",
             "amount": "size(household.members.filter(m, m.hasDisability)) * 400"},
        ],
    }],
}

ELIGIBILITY = ("query($i: String!) { eligibility(program: DISABILITY_SUPPORT, idcs: $i) "
               "{ idcs program eligible reasons monthlyAmount threshold "
               "household { id size members { relationship hasDisability person { idcs } } } } }")
BULK = ("query($i: [String!]!) { eligibilities(program: DISABILITY_SUPPORT, idcs: $i) "
        "{ idcs eligible reasons monthlyAmount } }")
LINES = ("query($i: String!) { eligibility(program: DISABILITY_SUPPORT, idcs: $i) "
         "{ eligible monthlyAmount amountLines { label amount } } }")
ENROLL = ("mutation($h: ID!) { enroll(program: DISABILITY_SUPPORT, householdId: $h) "
          "{ id program status } }")


@pytest.fixture
def programs_dir(tmp_path):
    directory = tmp_path / "programs"
    directory.mkdir()
    (directory / f"{CODE}.json").write_text(json.dumps(PROGRAM, indent=2), encoding="utf-8")
    return directory


def sijill(*argv: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "api.cli", *argv], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def agency_token(settings) -> str:
    """Signed here: this test process's own catalogue does not know the new program."""
    now = int(time.time())
    return jwt.encode({"iss": settings.jwt_issuer, "aud": settings.jwt_audience, "iat": now,
                       "exp": now + 600, "sub": "agency-disability", "roles": ["program_agency"],
                       "program": CODE, "purpose": "ELIGIBILITY_CHECK"}, settings.jwt_secret,
                      algorithm="HS256")


class Server:
    def __init__(self, env: dict) -> None:
        self.port = free_port()
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "api.cli", "run", "--port", str(self.port)], cwd=ROOT,
            env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.base = f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-4000:]

    async def stop(self) -> None:
        self.proc.terminate()
        try:
            await asyncio.to_thread(self.proc.wait, 15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def test_the_file_checks_and_lists_and_exports(programs_dir, database):
    env = {**os.environ, "DATABASE_URL": database.url, "SIJILL_PROGRAMS_DIR": str(programs_dir)}
    checked = sijill("programs", "check", env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert CODE in checked.stdout
    listed = sijill("programs", "list", env=env)
    assert CODE in listed.stdout and "threshold 9.9" in listed.stdout
    sdl = sijill("schema", "export", "--program", CODE, env=env)
    assert sdl.returncode == 0, sdl.stderr
    assert "enum ProgramCode {\n  DISABILITY_SUPPORT\n}" in sdl.stdout
    assert "amountLines: [AmountLine!]" in sdl.stdout
    assert "address" not in sdl.stdout and "phone" not in sdl.stdout
    matrix = sijill("policy", "matrix", "--subject", f"program:{CODE}", env=env)
    assert f"program:{CODE},Member.hasDisability,read" in matrix.stdout
    assert f"program:{CODE},Mutation.enroll,enroll" in matrix.stdout  # as every agency
    # without the directory, the program does not exist
    plain = sijill("programs", "list", "--codes", env={**os.environ,
                                                      "DATABASE_URL": database.url})
    assert CODE not in plain.stdout


async def test_a_program_added_by_file_is_answered_enrolled_and_audited(
        programs_dir, database, settings, gql, tokens):
    if database.engine != "postgres":
        pytest.skip("the fast path, compared here with the general path, is PostgreSQL's")
    admin = tokens.admin()
    household = await factories.register_household(gql, admin, children=2)
    child = household["_children"][0]
    await gql.data("mutation($h: ID!, $i: String!) { removeHouseholdMember(householdId: $h, "
                   "idcs: $i, reason: MOVED_OUT, effectiveDate: \"" + clock.today().isoformat()
                   + "\") { id } }", {"h": household["id"], "i": child}, admin)
    await gql.data("mutation($h: ID!, $i: String!) { addHouseholdMember(householdId: $h, "
                   "idcs: $i, relationship: CHILD, hasDisability: true) { id } }",
                   {"h": household["id"], "i": child}, admin)
    alone = await factories.register_household(gql, admin, children=0)

    env = {**os.environ, "DATABASE_URL": database.url, "SIJILL_JWT_SECRET": settings.jwt_secret,
           "SIJILL_PROGRAMS_DIR": str(programs_dir), "SIJILL_RATE_LIMITS": "none"}
    fast, general = Server(env), Server({**env, "SIJILL_FAST_PATH": "false"})
    token = agency_token(settings)
    try:
        await _wait_until_ready(fast.base, fast.proc, fast.output)
        await _wait_until_ready(general.base, general.proc, general.output)
        async with httpx.AsyncClient(timeout=20) as client:
            async def ask(server, query, variables, bearer=token):
                response = await client.post(f"{server.base}/graphql",
                                             json={"query": query, "variables": variables},
                                             headers={"Authorization": f"Bearer {bearer}"})
                return response

            listed = (await ask(fast, "{ programs { code criteria { reason rule } } }",
                                {})).json()["data"]["programs"]
            ours = next(p for p in listed if p["code"] == CODE)
            assert [c["reason"] for c in ours["criteria"]] == ["INDEX_ABOVE_THRESHOLD",
                                                               "NO_MEMBER_WITH_DISABILITY"]

            for server in (fast, general):
                yes = (await ask(server, ELIGIBILITY, {"i": household["_head"]})).json()
                answer = yes["data"]["eligibility"]
                assert answer["eligible"] and answer["reasons"] == ["ELIGIBLE"], yes
                assert answer["monthlyAmount"] == 400 and answer["threshold"] == 9.9
                no = (await ask(server, ELIGIBILITY, {"i": alone["_head"]})).json()
                assert "NO_MEMBER_WITH_DISABILITY" in no["data"]["eligibility"]["reasons"]
            # the fast path answers exactly as the general path, byte for byte
            for query, variables in [(ELIGIBILITY, {"i": household["_head"]}),
                                     (BULK, {"i": [household["_head"], alone["_head"],
                                                   "1234567897"]})]:
                a = await ask(fast, query, variables)
                b = await ask(general, query, variables)
                assert a.status_code == b.status_code == 200
                assert a.content.replace(b"evaluatedAt", b"") == b.content.replace(
                    b"evaluatedAt", b"")
            bulk = (await ask(fast, BULK, {"i": [household["_head"], "1234567897"]})).json()
            assert [a["reasons"] for a in bulk["data"]["eligibilities"]] == [
                ["ELIGIBLE"], ["NOT_REGISTERED"]]
            lines = (await ask(general, LINES, {"i": household["_head"]})).json()
            assert lines["data"]["eligibility"]["amountLines"] == [
                {"label": "Per member with a disability", "amount": 400}]
            # its agency reads only its grants
            denied = (await ask(fast, "query($i: String!) { eligibility(program: "
                                      "DISABILITY_SUPPORT, idcs: $i) { household { address } } }",
                                {"i": household["_head"]})).json()
            assert denied["errors"][0]["extensions"]["deniedFields"] == ["Household.address"]
            enrolled = (await ask(fast, ENROLL, {"h": household["id"]})).json()
            assert enrolled["data"]["enroll"]["program"] == CODE, enrolled
            refused = (await ask(fast, ENROLL, {"h": alone["id"]})).json()
            assert "NO_MEMBER_WITH_DISABILITY" in refused["errors"][0]["extensions"]["reasons"]
    finally:
        await fast.stop()
        await general.stop()
