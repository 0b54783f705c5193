"""Reference data: the 12 regions and 75 prefectures and provinces (contract §3)."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from api.models import Province, Region
from api.services.reference import DATA_FILE

pytestmark = pytest.mark.e2e

REGIONS = "{ regions { code name nameAr } }"
PROVINCES = "query($region: String) { provinces(region: $region) { code name region } }"


@pytest.fixture(scope="module")
def territory_file() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


async def test_twelve_regions_in_code_order(gql, tokens, territory_file):
    regions = (await gql.data(REGIONS, token=tokens.citizen("7992739875")))["regions"]
    assert [r["code"] for r in regions] == [f"{i:02d}" for i in range(1, 13)]
    assert all(r["name"] and r["nameAr"] for r in regions)
    by_code = {r["code"]: r for r in regions}
    assert by_code["06"]["name"] == "Casablanca-Settat"
    assert by_code["04"]["name"] == "Rabat-Salé-Kénitra"
    assert regions == [
        {"code": r["code"], "name": r["name"], "nameAr": r["nameAr"]}
        for r in territory_file["regions"]
    ]


async def test_seventy_five_provinces(gql, tokens, territory_file):
    provinces = (await gql.data(PROVINCES, token=tokens.auditor()))["provinces"]
    assert len(provinces) == 75
    codes = [p["code"] for p in provinces]
    assert len(set(codes)) == 75
    assert all(len(c) == 3 and c.isdigit() for c in codes)
    assert {p["region"] for p in provinces} == {f"{i:02d}" for i in range(1, 13)}
    assert provinces == [
        {"code": p["code"], "name": p["name"], "region": p["region"]}
        for p in territory_file["provinces"]
    ]
    casablanca = next(p for p in provinces if p["code"] == "038")
    assert casablanca == {"code": "038", "name": "Casablanca", "region": "06"}


async def test_provinces_of_one_region(gql, tokens):
    token = tokens.program("ASD")
    casablanca_settat = (await gql.data(PROVINCES, {"region": "06"}, token))["provinces"]
    assert len(casablanca_settat) == 9
    assert {p["region"] for p in casablanca_settat} == {"06"}
    assert "038" in {p["code"] for p in casablanca_settat}
    dakhla = (await gql.data(PROVINCES, {"region": "12"}, token))["provinces"]
    assert len(dakhla) == 2
    everything = (await gql.data(PROVINCES, {"region": None}, token))["provinces"]
    assert len(everything) == 75
    counts = Counter(p["region"] for p in everything)
    for code in [f"{i:02d}" for i in range(1, 13)]:
        some = (await gql.data(PROVINCES, {"region": code}, token))["provinces"]
        assert len(some) == counts[code] > 0


async def test_unknown_region_has_no_provinces(gql, tokens):
    data = await gql.data(PROVINCES, {"region": "99"}, tokens.admin())
    assert data["provinces"] == []


@pytest.mark.parametrize("query", [REGIONS, "{ provinces { code } }"])
async def test_reference_data_needs_authentication(gql, query):
    response = await gql.raw(query)
    assert response.status_code == 401
    body = response.json()
    assert body.get("data") is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("role", ["admin", "registrar", "citizen", "program_agency", "auditor"])
async def test_every_authenticated_role_reads_reference_data(gql, tokens, role):
    token = {
        "admin": tokens.admin,
        "registrar": lambda: tokens.registrar("038"),
        "citizen": lambda: tokens.citizen("7992739875"),
        "program_agency": lambda: tokens.program("TAYSSIR"),
        "auditor": tokens.auditor,
    }[role]()
    data = await gql.data("{ regions { code } provinces { code } }", token=token)
    assert len(data["regions"]) == 12
    assert len(data["provinces"]) == 75


async def test_database_tables_match_the_territory_file(database, app, territory_file):
    regions = await Region.all().order_by("code").values("code", "name", "name_ar")
    assert regions == [
        {"code": r["code"], "name": r["name"], "name_ar": r["nameAr"]}
        for r in sorted(territory_file["regions"], key=lambda r: r["code"])
    ]
    provinces = await Province.all().order_by("code").values("code", "name", "kind", "region_id")
    assert provinces == [
        {"code": p["code"], "name": p["name"], "kind": p["kind"], "region_id": p["region"]}
        for p in sorted(territory_file["provinces"], key=lambda p: p["code"])
    ]
    assert len(regions) == 12
    assert len(provinces) == 75
