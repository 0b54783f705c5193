"""The committed SDL is the schema the code serves, and it carries the contract's operations."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import GraphQLNonNull, Undefined, build_schema

from api.schema.schema import SDL_PATH, export_sdl, schema

FIX = "run `sijill schema export > api/schema/schema.graphql` and commit the result"

# Operations of contract §3 that this issue implements, with their argument names.
QUERIES = {
    "me": set(),
    "person": {"idcs"},
    "household": {"id"},
    "myHousehold": set(),
    "households": {"filter", "first", "after"},
    "regions": set(),
    "provinces": {"region"},
}
MUTATIONS = {
    "registerPerson": {"input"},
    "registerHousehold": {"input"},
    "addHouseholdMember": {"householdId", "idcs", "relationship", "expectedVersion"},
    "removeHouseholdMember": {
        "householdId", "idcs", "reason", "effectiveDate", "newHeadIdcs", "expectedVersion",
    },
    "updatePerson": {"idcs", "input"},
}
# Arguments the contract marks as required (`!`): every other contract argument is optional.
REQUIRED = {
    ("person", "idcs"), ("household", "id"),
    ("registerPerson", "input"), ("registerHousehold", "input"),
    ("addHouseholdMember", "householdId"), ("addHouseholdMember", "idcs"),
    ("addHouseholdMember", "relationship"),
    ("removeHouseholdMember", "householdId"), ("removeHouseholdMember", "idcs"),
    ("removeHouseholdMember", "reason"), ("removeHouseholdMember", "effectiveDate"),
    ("updatePerson", "idcs"), ("updatePerson", "input"),
}


def test_committed_sdl_matches_the_code():
    committed = Path(SDL_PATH).read_text(encoding="utf-8")
    assert committed == export_sdl(), f"api/schema/schema.graphql is out of date: {FIX}"


def test_sdl_path_is_the_packaged_file():
    root = Path(__file__).resolve().parents[2]
    assert Path(SDL_PATH) == root / "api" / "schema" / "schema.graphql"


def test_committed_sdl_is_valid_graphql():
    parsed = build_schema(Path(SDL_PATH).read_text(encoding="utf-8"))
    assert parsed.query_type is not None and parsed.mutation_type is not None


def _required(arg) -> bool:
    """A client must send it: non-null and without a default."""
    return isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined


@pytest.mark.parametrize(("root", "operations"), [("query", QUERIES), ("mutation", MUTATIONS)])
def test_contract_operations_and_arguments(root, operations):
    gql_schema = schema._schema
    root_type = gql_schema.query_type if root == "query" else gql_schema.mutation_type
    for name, arguments in operations.items():
        assert name in root_type.fields, f"{root} `{name}` of contract §3 is missing"
        field = root_type.fields[name]
        present = set(field.args)
        missing = arguments - present
        assert not missing, f"{root} `{name}` lacks the contract arguments {sorted(missing)}"
        for arg in arguments:
            assert _required(field.args[arg]) == ((name, arg) in REQUIRED), (
                f"{root} `{name}({arg})`: the contract makes it "
                + ("required" if (name, arg) in REQUIRED else "optional")
            )
        # extra arguments are allowed, but never required: a contract client does not send them
        for extra in present - arguments:
            assert not _required(field.args[extra]), f"{root} `{name}({extra})` must be optional"


def test_contract_return_types():
    q = schema._schema.query_type.fields
    m = schema._schema.mutation_type.fields
    assert str(q["me"].type) == "Viewer!"
    assert str(q["person"].type) == "Person"
    assert str(q["household"].type) == "Household"
    assert str(q["myHousehold"].type) == "Household"
    assert str(q["households"].type) == "HouseholdConnection!"
    assert str(q["regions"].type) == "[Region!]!"
    assert str(q["provinces"].type) == "[Province!]!"
    assert str(m["registerPerson"].type) == "Person!"
    assert str(m["registerHousehold"].type) == "Household!"
    assert str(m["addHouseholdMember"].type) == "Household!"
    assert str(m["removeHouseholdMember"].type) == "Household!"
    assert str(m["updatePerson"].type) == "Person!"
    assert str(q["households"].args["filter"].type) == "HouseholdFilter"
    assert str(q["households"].args["after"].type) == "String"
    assert str(q["households"].args["first"].type) == "Int"  # `first: Int = 20`
    assert q["households"].args["first"].default_value == 20
    assert str(m["removeHouseholdMember"].args["effectiveDate"].type) == "Date!"
    assert str(m["removeHouseholdMember"].args["reason"].type) == "MemberExitReason!"
    assert str(m["addHouseholdMember"].args["relationship"].type) == "Relationship!"
    for name in ("addHouseholdMember", "removeHouseholdMember"):
        assert str(m[name].args["expectedVersion"].type) == "Int"
        assert str(m[name].args["householdId"].type) == "ID!"


def test_contract_type_fields():
    types = schema._schema.type_map
    expected = {
        "Viewer": {"subject", "roles", "program", "provinces"},
        "HouseholdConnection": {"edges", "pageInfo", "totalCount"},
        "HouseholdEdge": {"cursor", "node"},
        "PageInfo": {"hasNextPage", "endCursor"},
        "HouseholdFilter": {"province", "region", "milieu", "status"},
        "Region": {"code", "name"},
        "Province": {"code", "name", "region"},
        "Member": {"person", "relationship", "schooling", "hasDisability", "since"},
        "MemberInput": {"idcs", "relationship", "schooling", "hasDisability"},
        "RegisterHouseholdInput": {"declarantIdcs", "province", "commune", "milieu", "address",
                                   "members", "declaration", "idempotencyKey"},
        "DeclarationInput": {"headEducation", "headOccupation", "housingType", "occupancy",
                             "rooms", "waterSource", "electricityMonthly", "waterMonthly",
                             "phoneMonthly", "butaneBottlesMonthly", "assets",
                             "agriculturalLandHectares", "livestockUnits"},
        "RegisterPersonInput": {"cin", "residenceCardNumber", "nationality", "firstName",
                                "lastName", "firstNameAr", "lastNameAr", "sex", "birthDate",
                                "phone", "hasOtherHealthCoverage", "idempotencyKey"},
        "Person": {"idcs", "cin", "residenceCardNumber", "nationality", "firstName", "lastName",
                   "firstNameAr", "lastNameAr", "sex", "birthDate", "age", "deathDate", "phone",
                   "hasOtherHealthCoverage", "household", "registeredAt"},
        "Household": {"id", "reference", "region", "province", "commune", "milieu", "address",
                      "status", "version", "registeredAt", "updatedAt", "head", "members",
                      "size", "declaration"},
    }
    for type_name, fields in expected.items():
        assert type_name in types, type_name
        missing = fields - set(types[type_name].fields)
        assert not missing, f"{type_name} lacks {sorted(missing)}"
    enums = {
        "Relationship": {"HEAD", "SPOUSE", "CHILD", "PARENT", "SIBLING", "GRANDCHILD",
                         "OTHER_RELATIVE", "NON_RELATIVE"},
        "Schooling": {"IN_SCHOOL", "OUT_OF_SCHOOL", "NOT_APPLICABLE"},
        "Milieu": {"URBAN", "RURAL"},
        "HouseholdStatus": {"ACTIVE", "SUSPENDED", "CLOSED"},
        "Sex": {"FEMALE", "MALE"},
        "Asset": {"CAR", "MOTORCYCLE", "REFRIGERATOR", "TELEVISION", "COMPUTER",
                  "WASHING_MACHINE", "AIR_CONDITIONER", "INTERNET"},
    }
    for enum_name, values in enums.items():
        assert set(types[enum_name].values) == values, enum_name
