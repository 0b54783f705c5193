"""The access policy on its own, without HTTP (contract §4, api/policies/).

Every field of the schema must be decided by a policy line; the model denies by default and a
deny line overrides allows; programs inherit the agency grants; decisions are cached per
subject and policy version, and a reload changes them at once. The program rows of the
contract's data-minimisation table are written out literally below: changing a program's
grants means changing this file too, in review.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from api.policies.enforcer import ANONYMOUS, MODEL_FILE, POLICY_FILE, AccessPolicy, subjects_of
from api.principal import Principal
from api.programs.catalogue import Catalogue
from api.schema.access import schema_permissions
from api.schema.schema import schema

UNIVERSE = tuple(schema_permissions(schema._schema))
OBJECTS = {obj for obj, _ in UNIVERSE}
READ = "read"


@pytest.fixture(scope="module")
def policy() -> AccessPolicy:
    """The real policy, as the server builds it."""
    return AccessPolicy(UNIVERSE)


def write_policy(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


NO_PROGRAMS = Catalogue(programs={}, version="none")


def temp_policy(tmp_path: Path, *lines: str) -> AccessPolicy:
    """A policy of these lines alone: no program of the catalogue adds its grants."""
    policy_file = write_policy(tmp_path / "policy.csv", *lines)
    return AccessPolicy(UNIVERSE, model_file=MODEL_FILE, policy_file=policy_file,
                        programs=NO_PROGRAMS)


def principal(*roles: str, program: str | None = None, subject: str = "someone") -> Principal:
    return Principal(subject=subject, roles=frozenset(roles), program=program)


def reads(policy: AccessPolicy, subject: str, *types: str) -> set[str]:
    """The `Type.field` objects of `types` that `subject` may read."""
    return {obj for obj, act in policy.grants(subject)
            if act == READ and obj.split(".", 1)[0] in types}


# --- completeness: no field without a decision ---------------------------------------------

def test_the_universe_is_the_whole_schema():
    assert len(UNIVERSE) == len(set(UNIVERSE))
    # spot checks: reads for ordinary types, the mutation's name as action for mutations
    assert ("Person.phone", READ) in UNIVERSE
    assert ("Household.declaration", READ) in UNIVERSE
    assert ("Query.households", READ) in UNIVERSE
    assert ("Mutation.enroll", "enroll") in UNIVERSE
    assert ("Mutation.registerHousehold", "registerHousehold") in UNIVERSE
    assert not any(obj.startswith("__") for obj in OBJECTS)


def test_every_schema_permission_is_named_by_a_policy_line(policy):
    undecided = sorted(OBJECTS - policy.mentioned_objects())
    assert undecided == [], (
        "fields added to the schema without an access decision in api/policies/policy.csv: "
        f"{undecided}"
    )


def test_the_policy_names_no_field_the_schema_lacks(policy):
    stale = sorted(policy.mentioned_objects() - OBJECTS)
    assert stale == [], f"policy lines for fields that no longer exist: {stale}"


def test_every_policy_line_uses_the_action_of_its_object(policy):
    """A mutation line must use the mutation's name, any other line `read` (else it grants
    nothing and silently leaves the field denied)."""
    actions = dict(UNIVERSE)
    wrong = [rule for rule in policy._enforcer.get_policy() if actions.get(rule[1]) != rule[2]]
    assert wrong == []
    assert {rule[3] for rule in policy._enforcer.get_policy()} <= {"allow", "deny"}


# --- the model -------------------------------------------------------------------------------

def test_default_deny_a_policy_without_lines_grants_nothing(tmp_path):
    empty = temp_policy(tmp_path, "# no lines at all")
    subjects = ["role:admin", "role:registrar", "role:citizen", "role:auditor",
                "role:program_agency", "program:ASD", ANONYMOUS, "role:authenticated"]
    for subject in subjects:
        assert empty.grants(subject) == frozenset(), subject
    assert empty.allowed(subjects) == frozenset()
    assert empty.denied(["role:admin"], UNIVERSE) == sorted(OBJECTS)
    assert empty.matrix() == []


def test_a_field_without_a_line_is_denied_even_to_admin(tmp_path):
    only = temp_policy(tmp_path, "p, role:admin, Person.idcs, read, allow")
    assert only.grants("role:admin") == {("Person.idcs", READ)}
    assert only.denied(["role:admin"], [("Person.idcs", READ), ("Person.phone", READ)]) == [
        "Person.phone"
    ]


def test_deny_overrides_allow(tmp_path):
    pol = temp_policy(
        tmp_path,
        "p, role:registrar, Person.phone, read, allow",
        "p, role:registrar, Person.idcs, read, allow",
        "p, role:registrar, Person.phone, read, deny",
    )
    assert ("Person.phone", READ) not in pol.grants("role:registrar")
    assert ("Person.idcs", READ) in pol.grants("role:registrar")
    assert pol.denied(["role:registrar"], [("Person.phone", READ), ("Person.idcs", READ)]) == [
        "Person.phone"
    ]


def test_deny_on_a_parent_role_overrides_an_allow_on_the_child(tmp_path):
    pol = temp_policy(
        tmp_path,
        "g, program:ASD, role:program_agency",
        "p, program:ASD, Person.phone, read, allow",
        "p, role:program_agency, Person.phone, read, deny",
    )
    assert ("Person.phone", READ) not in pol.grants("program:ASD")


def test_an_allow_for_one_action_grants_no_other(tmp_path):
    pol = temp_policy(tmp_path, "p, role:registrar, Mutation.enroll, read, allow")
    assert ("Mutation.enroll", "enroll") not in pol.grants("role:registrar")


def test_program_subjects_inherit_the_agency_grants(policy):
    agency = policy.grants("role:program_agency")
    assert ("Query.eligibility", READ) in agency
    assert ("Mutation.enroll", "enroll") in agency
    for code in ("AMO_TADAMON", "ASD", "TAYSSIR"):
        own = policy.grants(f"program:{code}")
        assert agency <= own, code
        # ... and through role:program_agency, those of every authenticated caller
        assert policy.grants("role:authenticated") <= own, code
        assert ("Query.me", READ) in own


def test_program_inheritance_in_a_temp_policy(tmp_path):
    pol = temp_policy(
        tmp_path,
        "g, program:ASD, role:program_agency",
        "p, role:program_agency, Query.eligibility, read, allow",
        "p, program:ASD, Eligibility.monthlyAmount, read, allow",
    )
    assert pol.grants("program:ASD") == {("Query.eligibility", READ),
                                         ("Eligibility.monthlyAmount", READ)}
    # a program the policy does not attach to the agency role inherits nothing
    assert pol.grants("program:TAYSSIR") == frozenset()
    # and the parent does not get the child's grants
    assert pol.grants("role:program_agency") == {("Query.eligibility", READ)}


# --- subjects --------------------------------------------------------------------------------

@pytest.mark.parametrize("who, expected", [
    (None, (ANONYMOUS,)),
    (principal("admin"), ("role:admin",)),
    (principal("registrar"), ("role:registrar",)),
    (principal("citizen", subject="1234567897"), ("role:citizen",)),
    (principal("auditor"), ("role:auditor",)),
    (principal("program_agency", program="AMO_TADAMON"), ("program:AMO_TADAMON",)),
    (principal("program_agency", program="ASD"), ("program:ASD",)),
    (principal("program_agency", program="TAYSSIR"), ("program:TAYSSIR",)),
    (principal("program_agency"), ("role:program_agency",)),
    (principal("registrar", "auditor"), ("role:auditor", "role:registrar")),
    (principal("program_agency", "auditor", program="ASD"), ("role:auditor", "program:ASD")),
])
def test_subjects_of(who, expected):
    assert subjects_of(who) == expected


def test_subjects_of_a_program_never_include_another_program():
    subjects = subjects_of(principal("program_agency", program="TAYSSIR"))
    assert not any(s in subjects for s in ("program:ASD", "program:AMO_TADAMON"))


def test_allowed_is_the_union_of_the_subjects_grants(policy):
    both = policy.allowed(["role:auditor", "program:ASD"])
    assert both == policy.grants("role:auditor") | policy.grants("program:ASD")
    assert policy.allowed([]) == frozenset()


def test_allowed_accepts_any_iterable_and_a_generator_does_not_poison_the_cache():
    pol = AccessPolicy(UNIVERSE)  # private instance: its caches start empty
    expected = pol.grants("program:ASD")
    assert pol.allowed(s for s in ["program:ASD"]) == expected
    assert pol.allowed(["program:ASD"]) == expected
    assert pol.allowed(iter(["role:auditor", "program:ASD"])) == expected | pol.grants("role:auditor")
    assert pol.denied((s for s in ["role:admin"]), [("Person.phone", READ)]) == []


def test_reload_also_forgets_the_cached_unions(tmp_path):
    policy_file = write_policy(tmp_path / "policy.csv", "p, role:registrar, Person.phone, read, allow")
    pol = AccessPolicy(UNIVERSE, model_file=MODEL_FILE, policy_file=policy_file)
    assert pol.allowed(["role:registrar", "role:auditor"]) == {("Person.phone", READ)}
    write_policy(policy_file, "p, role:auditor, Person.idcs, read, allow")
    pol.reload()
    assert pol.allowed(["role:registrar", "role:auditor"]) == {("Person.idcs", READ)}


def test_denied_lists_each_object_once_sorted(policy):
    needed = [("Person.phone", READ), ("Household.address", READ), ("Person.idcs", READ),
              ("Household.address", READ)]
    assert policy.denied(["program:ASD"], needed) == ["Household.address", "Person.phone"]


def test_the_policy_names_the_known_subjects(policy):
    assert {"anonymous", "role:admin", "role:registrar", "role:citizen", "role:auditor",
            "role:program_agency", "role:authenticated", "program:AMO_TADAMON", "program:ASD",
            "program:TAYSSIR"} <= set(policy.subjects())


def test_anonymous_reads_only_the_program_catalogue(policy):
    assert policy.grants(ANONYMOUS) == {
        ("Query.programs", READ), ("Program.code", READ), ("Program.name", READ),
        ("Program.threshold", READ), ("Program.thresholdEffectiveFrom", READ),
        ("Program.inForce", READ), ("Program.effectiveFrom", READ),
        ("Program.legalReference", READ), ("Program.purposes", READ),
        ("Program.criteria", READ), ("ProgramCriterion.reason", READ),
        ("ProgramCriterion.description", READ), ("ProgramCriterion.rule", READ),
    }


def test_admin_may_use_every_permission(policy):
    assert policy.grants("role:admin") == frozenset(UNIVERSE)


# --- reload and caching ------------------------------------------------------------------------

def test_reload_changes_answers_at_once_and_the_version(tmp_path):
    policy_file = write_policy(tmp_path / "policy.csv", "p, role:registrar, Person.phone, read, allow")
    pol = AccessPolicy(UNIVERSE, model_file=MODEL_FILE, policy_file=policy_file)
    before = pol.version
    assert ("Person.phone", READ) in pol.grants("role:registrar")  # cached now

    write_policy(policy_file, "p, role:registrar, Person.idcs, read, allow")
    assert ("Person.phone", READ) in pol.grants("role:registrar")  # files are read on reload only
    returned = pol.reload()

    assert pol.version == returned != before
    assert pol.grants("role:registrar") == {("Person.idcs", READ)}
    assert pol.denied(["role:registrar"], [("Person.phone", READ)]) == ["Person.phone"]


def test_the_version_depends_on_the_content_only(tmp_path):
    policy_file = write_policy(tmp_path / "policy.csv", "p, role:registrar, Person.phone, read, allow")
    pol = AccessPolicy(UNIVERSE, model_file=MODEL_FILE, policy_file=policy_file)
    first = pol.version
    assert pol.reload() == first  # same files, same version
    other = write_policy(tmp_path / "other.csv", "p, role:registrar, Person.phone, read, allow")
    assert AccessPolicy(UNIVERSE, model_file=MODEL_FILE, policy_file=other).version == first


def test_the_real_policy_is_the_file_beside_the_model(policy):
    assert policy.policy_file == POLICY_FILE
    assert policy.model_file == MODEL_FILE
    assert len(policy.version) == 16


def test_grants_are_cached_per_subject(tmp_path):
    pol = AccessPolicy(UNIVERSE)  # a private instance: its enforcer may be wrapped safely
    first = pol.grants("program:ASD")
    calls = []
    original = pol._enforcer.get_policy

    def counting(*args):
        calls.append(args)
        return original(*args)

    pol._enforcer.get_policy = counting
    assert pol.grants("program:ASD") is first
    assert pol.allowed(["program:ASD"]) == first
    pol.denied(["program:ASD"], UNIVERSE)
    assert calls == []

    # another subject is computed once (one pass over the policy's lines), then cached
    pol.grants("program:TAYSSIR")
    assert len(calls) == 1
    pol.grants("program:TAYSSIR")
    assert len(calls) == 1


def test_reload_empties_the_cache(tmp_path):
    pol = AccessPolicy(UNIVERSE)
    pol.grants("program:ASD")
    pol.reload()
    calls = []
    original = pol._enforcer.get_policy
    pol._enforcer.get_policy = lambda *args: calls.append(args) or original(*args)
    pol.grants("program:ASD")
    assert len(calls) == 1


# --- contract §4: the programs' rows, written out literally -------------------------------

ELIGIBILITY_BASE = {
    "Eligibility.idcs", "Eligibility.program", "Eligibility.eligible", "Eligibility.reasons",
    "Eligibility.household", "Eligibility.threshold", "Eligibility.formulaVersion",
    "Eligibility.evaluatedAt",
}

CONTRACT_PROGRAM_ROWS = {
    "AMO_TADAMON": ELIGIBILITY_BASE | {
        "Household.id", "Household.reference", "Household.size", "Household.members",
        "Member.person", "Member.relationship",
        "Person.idcs", "Person.firstName", "Person.lastName", "Person.sex", "Person.birthDate",
    },
    "ASD": ELIGIBILITY_BASE | {
        "Eligibility.monthlyAmount", "Eligibility.amountLines",  # every Eligibility field
        "Household.id", "Household.reference", "Household.size", "Household.members",
        "Household.province", "Household.milieu",
        "Member.person", "Member.relationship", "Member.schooling", "Member.hasDisability",
        "Person.idcs", "Person.firstName", "Person.lastName", "Person.sex", "Person.birthDate",
        "Person.age", "Person.deathDate",
    },
    "TAYSSIR": ELIGIBILITY_BASE | {
        "Household.id", "Household.reference", "Household.members",
        "Member.person", "Member.relationship", "Member.schooling",
        "Person.idcs", "Person.sex", "Person.birthDate", "Person.age",
    },
}

NEVER_FOR_PROGRAMS = [
    "Household.declaration", "Household.index", "Household.indexHistory", "Household.address",
    "Person.phone", "Person.cin", "Person.residenceCardNumber",
]


@pytest.mark.parametrize("code", sorted(CONTRACT_PROGRAM_ROWS))
def test_program_reads_are_exactly_the_contract_row(policy, code):
    granted = reads(policy, f"program:{code}", "Eligibility", "Household", "Member", "Person")
    assert granted == CONTRACT_PROGRAM_ROWS[code], {
        "granted beyond the contract": sorted(granted - CONTRACT_PROGRAM_ROWS[code]),
        "missing from the contract row": sorted(CONTRACT_PROGRAM_ROWS[code] - granted),
    }


@pytest.mark.parametrize("code", sorted(CONTRACT_PROGRAM_ROWS))
def test_no_program_reads_declarations_indexes_addresses_phones_or_documents(policy, code):
    granted = {obj for obj, _ in policy.grants(f"program:{code}")}
    assert sorted(granted & set(NEVER_FOR_PROGRAMS)) == []
    # nor anything under the declaration or the index, whatever the path
    assert not any(obj.split(".")[0] in {"Declaration", "SocioEconomicIndex", "IndexComponent"}
                   for obj in granted), code


@pytest.mark.parametrize("code", sorted(CONTRACT_PROGRAM_ROWS))
def test_programs_do_not_browse(policy, code):
    granted = {obj for obj, _ in policy.grants(f"program:{code}")}
    for root in ("Query.person", "Query.household", "Query.households", "Query.myHousehold",
                 "Query.accessPolicy"):
        assert root not in granted, (code, root)
    assert "Query.eligibility" in granted and "Query.enrollments" in granted


def test_only_asd_reads_the_monthly_amount(policy):
    assert ("Eligibility.monthlyAmount", READ) in policy.grants("program:ASD")
    assert ("Eligibility.monthlyAmount", READ) not in policy.grants("program:AMO_TADAMON")
    assert ("Eligibility.monthlyAmount", READ) not in policy.grants("program:TAYSSIR")
    assert ("Eligibility.monthlyAmount", READ) not in policy.grants("role:program_agency")


def test_every_authenticated_caller_reads_me_programs_regions_provinces(policy):
    for subject in ("role:admin", "role:registrar", "role:citizen", "role:auditor",
                    "program:AMO_TADAMON", "program:ASD", "program:TAYSSIR"):
        granted = {obj for obj, _ in policy.grants(subject)}
        assert {"Query.me", "Query.programs", "Query.regions", "Query.provinces",
                "Viewer.allowedFields"} <= granted, subject


def test_auditor_reads_the_policy_and_no_person_or_household(policy):
    granted = {obj for obj, _ in policy.grants("role:auditor")}
    assert {"Query.accessPolicy", "FieldGrant.subject", "FieldGrant.field",
            "FieldGrant.action"} <= granted
    assert not any(obj.split(".")[0] in {"Person", "Household", "Member", "Eligibility",
                                         "Declaration", "SocioEconomicIndex"} for obj in granted)
    assert not any(obj.startswith("Mutation.") for obj in granted)


def test_citizens_read_their_index_and_its_components(policy):
    granted = {obj for obj, _ in policy.grants("role:citizen")}
    assert {"Household.index", "SocioEconomicIndex.value", "SocioEconomicIndex.components",
            "IndexComponent.name", "IndexComponent.contribution"} <= granted
    assert "Mutation.enroll" not in granted and "Mutation.registerPerson" not in granted


def test_grants_computed_from_the_lines_equal_casbins_own_decisions():
    """`AccessPolicy.grants` reads the allow and deny lines of a subject and its roles instead
    of asking Casbin field by field: both give the same grants, for every subject of the real
    policy and the catalogue, a deny line included."""
    from api.policies.enforcer import AccessPolicy
    from api.schema.access import schema_permissions
    from api.schema.schema import schema

    universe = schema_permissions(schema._schema)
    policy = AccessPolicy(universe)
    policy._enforcer.add_policy("program:ASD", "Eligibility.monthlyAmount", "read", "deny")
    policy._grants.clear()
    for subject in policy.subjects():
        expected = {p for p in universe if policy.enforce(subject, p)}
        assert policy.grants(subject) == expected, subject
    assert ("Eligibility.monthlyAmount", "read") not in policy.grants("program:ASD")


def test_policy_matrix_takes_a_bare_program_code_or_role(capsys):
    from api import cli

    assert cli.main(["policy", "matrix", "--subject", "ASD"]) == 0
    bare = capsys.readouterr().out
    assert cli.main(["policy", "matrix", "--subject", "program:ASD"]) == 0
    assert capsys.readouterr().out == bare and "program:ASD,Eligibility.eligible,read" in bare
    assert cli.main(["policy", "matrix", "--subject", "citizen"]) == 0
    assert "role:citizen,Query.myHousehold,read" in capsys.readouterr().out
    assert cli.main(["policy", "matrix", "--subject", "NOPE"]) == 2
    assert "unknown subject 'NOPE'" in capsys.readouterr().err
