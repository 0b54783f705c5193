"""The access policy: pycasbin over the files beside this module, asked once per subject and
policy version (not per field per row), and reloadable at run time.

Decisions are sets of permissions: a permission is `(object, action)` with object `Type.field`
and action `read`, or `Mutation.name` with the mutation's name as action.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import casbin

from api.principal import Principal
from api.programs.catalogue import Catalogue, catalogue

POLICY_DIR = Path(__file__).resolve().parent
MODEL_FILE = POLICY_DIR / "model.conf"
POLICY_FILE = POLICY_DIR / "policy.csv"
ANONYMOUS = "anonymous"

Permission = tuple[str, str]


def subjects_of(principal: Principal | None) -> tuple[str, ...]:
    """The Casbin subjects a caller acts as: its roles, and its program for an agency."""
    if principal is None:
        return (ANONYMOUS,)
    subjects = []
    for role in sorted(principal.roles):
        if role == "program_agency" and principal.program:
            subjects.append(f"program:{principal.program}")
        else:
            subjects.append(f"role:{role}")
    return tuple(subjects)


@dataclass(frozen=True)
class Grant:
    subject: str
    field: str
    action: str


class AccessPolicy:
    def __init__(
        self,
        universe: Iterable[Permission],
        model_file: Path = MODEL_FILE,
        policy_file: Path = POLICY_FILE,
        programs: Catalogue | None = None,
    ) -> None:
        """`programs`: the catalogue whose programs' `fields` are added as their grants (the
        one in force by default)."""
        self.universe = tuple(sorted(set(universe)))
        self.model_file = model_file
        self.policy_file = policy_file
        self._programs = programs
        self._lock = threading.Lock()
        self._grants: dict[str, frozenset[Permission]] = {}
        self._unions: dict[tuple[str, ...], frozenset[Permission]] = {}
        self.reload()

    def reload(self) -> str:
        """Read the files again; answers change at once. Returns the new policy version (of the
        policy files and the program catalogue, whose `fields` are the programs' grants)."""
        model_text = self.model_file.read_text(encoding="utf-8")
        policy_text = self.policy_file.read_text(encoding="utf-8")
        enforcer = casbin.Enforcer(str(self.model_file), str(self.policy_file))
        programs = self._programs if self._programs is not None else catalogue()
        for program in programs.programs.values():
            enforcer.add_named_grouping_policy("g", f"program:{program.code}",
                                               "role:program_agency")
            enforcer.add_policies([[f"program:{program.code}", field, "read", "allow"]
                                   for field in program.fields])
        with self._lock:
            self._enforcer = enforcer
            self.version = hashlib.sha256((model_text + "\0" + policy_text + "\0"
                                           + programs.version).encode()).hexdigest()[:16]
            self._grants = {}
            self._unions = {}
        return self.version

    def grants(self, subject: str) -> frozenset[Permission]:
        """Every permission of one subject (computed once per policy version). The model is
        RBAC with exact objects and deny-override (model.conf), so the grants are the allow
        lines of the subject and its roles minus their deny lines: one pass over the policy
        instead of one `enforce()` per field (`tests/unit/test_policy.py` holds the two equal)."""
        cached = self._grants.get(subject)
        if cached is not None:
            return cached
        enforcer = self._enforcer
        holders = {subject, *enforcer.get_implicit_roles_for_user(subject)}
        allow, deny = set(), set()
        for rule in enforcer.get_policy():
            sub, obj, act, effect = rule[:4]
            if sub in holders:
                (allow if effect == "allow" else deny).add((obj, act))
        allowed = frozenset(p for p in self.universe if p in allow and p not in deny)
        with self._lock:
            if enforcer is self._enforcer:
                self._grants[subject] = allowed
        return allowed

    def enforce(self, subject: str, permission: Permission) -> bool:
        """Casbin's own decision for one permission (slow: for checks and tests)."""
        return self._enforcer.enforce(subject, permission[0], permission[1])

    def allowed(self, subjects: Iterable[str]) -> frozenset[Permission]:
        """The union of the subjects' grants (cached per combination and policy version)."""
        key = tuple(subjects)
        unions = self._unions
        cached = unions.get(key)
        if cached is None:
            cached = frozenset().union(*(self.grants(s) for s in key))
            with self._lock:
                if unions is self._unions:  # not reloaded meanwhile
                    unions[key] = cached
        return cached

    def denied(self, subjects: Iterable[str], required: Iterable[Permission]) -> list[str]:
        """The objects of `required` that none of `subjects` may use, sorted."""
        if not isinstance(required, frozenset):
            required = frozenset(required)
        missing = required - self.allowed(subjects)
        return sorted({obj for obj, _act in missing}) if missing else []

    def subjects(self) -> list[str]:
        """Every subject the policy names (roles, programs, anonymous)."""
        named = {rule[0] for rule in self._enforcer.get_policy()}
        for child, parent in (tuple(g[:2]) for g in self._enforcer.get_grouping_policy()):
            named.update((child, parent))
        return sorted(named)

    def matrix(self) -> list[Grant]:
        """Every (subject, field, action) grant in force, inherited ones included."""
        return [
            Grant(subject, obj, act)
            for subject in self.subjects()
            for obj, act in sorted(self.grants(subject))
        ]

    def mentioned_objects(self) -> set[str]:
        return {rule[1] for rule in self._enforcer.get_policy()}
