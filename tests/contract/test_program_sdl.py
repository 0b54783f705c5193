"""docs/schema/<PROGRAM>.graphql: the SDL each program's agency may see, generated from the
policies by `sijill schema export --program P`; docs/schema/<role>.graphql the same for the
portals' and auditors' roles (`--role R`). Regenerate with `make schema`."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import build_schema

from api.cli import main
from api.programs.catalogue import catalogue

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = sorted(catalogue().codes)
ROLES = ["analyst", "auditor", "citizen", "registrar"]  # Makefile: PORTAL_ROLES
FIX = "run `make schema` and commit docs/schema/"


def _exported(program: str, capsys) -> str:
    capsys.readouterr()
    assert main(["schema", "export", "--program", program]) == 0
    return capsys.readouterr().out


def test_one_file_per_program_and_portal_role():
    files = sorted(p.stem for p in (ROOT / "docs/schema").glob("*.graphql"))
    assert files == sorted(PROGRAMS + ROLES), (
        f"docs/schema/ does not hold one SDL per program and role: {FIX}")


@pytest.mark.parametrize("role", ROLES)
def test_role_sdl_is_up_to_date(role, capsys):
    committed = (ROOT / "docs/schema" / f"{role}.graphql").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["schema", "export", "--role", role]) == 0
    assert committed == capsys.readouterr().out, (
        f"docs/schema/{role}.graphql is out of date: {FIX}")


def test_role_sdls_hold_what_each_portal_uses():
    def fields(role, type_name="Query"):
        sdl = build_schema((ROOT / "docs/schema" / f"{role}.graphql").read_text("utf-8"))
        return set(sdl.type_map[type_name].fields) if type_name in sdl.type_map else set()
    assert {"person", "household", "households", "personByDocument"} <= fields("registrar")
    assert "registerHousehold" in fields("registrar", "Mutation")
    assert "myHousehold" in fields("citizen") and "personByDocument" not in fields("citizen")
    assert {"auditEvents", "auditChain"} <= fields("auditor")
    assert not fields("auditor", "Mutation")
    assert {"simulateProgram", "registryStatistics"} <= fields("analyst")
    assert not {"person", "household", "eligibility", "auditEvents"} & fields("analyst")
    assert not fields("analyst", "Mutation")


@pytest.mark.parametrize("program", PROGRAMS)
def test_program_sdl_is_up_to_date(program, capsys):
    committed = (ROOT / "docs/schema" / f"{program}.graphql").read_text(encoding="utf-8")
    assert committed == _exported(program, capsys), (
        f"docs/schema/{program}.graphql is out of date: {FIX}")


@pytest.mark.parametrize("program", PROGRAMS)
def test_program_sdl_is_minimal(program):
    sdl = build_schema((ROOT / "docs/schema" / f"{program}.graphql").read_text(encoding="utf-8"))
    query = sdl.query_type.fields
    assert {"eligibility", "eligibilities", "enrollments"} <= set(query)
    assert not {"households", "person", "auditEvents"} & set(query)
    # no program reads the declaration, the index, addresses, phones or document numbers
    assert "declaration" not in sdl.type_map["Household"].fields
    assert "address" not in sdl.type_map["Household"].fields
    assert not {"phone", "cin", "residenceCardNumber"} & set(sdl.type_map["Person"].fields)
    assert set(sdl.mutation_type.fields) == {"enroll", "endEnrollment", "createWebhook",
                                             "deleteWebhook"}


def test_asd_alone_reads_the_monthly_amount():
    def fields(program):
        sdl = build_schema((ROOT / "docs/schema" / f"{program}.graphql").read_text("utf-8"))
        return set(sdl.type_map["Eligibility"].fields)
    assert "monthlyAmount" in fields("ASD")
    assert "monthlyAmount" not in fields("AMO_TADAMON") | fields("TAYSSIR")


@pytest.mark.parametrize("program", PROGRAMS)
def test_program_sdl_names_only_its_own_code(program):
    sdl = build_schema((ROOT / "docs/schema" / f"{program}.graphql").read_text(encoding="utf-8"))
    assert list(sdl.type_map["ProgramCode"].values) == [program]
