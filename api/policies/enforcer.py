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

from api.auth import Principal

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
    ) -> None:
        self.universe = tuple(sorted(set(universe)))
        self.model_file = model_file
        self.policy_file = policy_file
        self._lock = threading.Lock()
        self._grants: dict[str, frozenset[Permission]] = {}
        self._unions: dict[tuple[str, ...], frozenset[Permission]] = {}
        self.reload()

    def reload(self) -> str:
        """Read the files again; answers change at once. Returns the new policy version."""
        model_text = self.model_file.read_text(encoding="utf-8")
        policy_text = self.policy_file.read_text(encoding="utf-8")
        enforcer = casbin.Enforcer(str(self.model_file), str(self.policy_file))
        with self._lock:
            self._enforcer = enforcer
            self.version = hashlib.sha256((model_text + "\0" + policy_text).encode()).hexdigest()[:16]
            self._grants = {}
            self._unions = {}
        return self.version

    def grants(self, subject: str) -> frozenset[Permission]:
        """Every permission of one subject (computed once per policy version)."""
        cached = self._grants.get(subject)
        if cached is not None:
            return cached
        enforcer = self._enforcer
        allowed = frozenset(p for p in self.universe if enforcer.enforce(subject, p[0], p[1]))
        with self._lock:
            if enforcer is self._enforcer:
                self._grants[subject] = allowed
        return allowed

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
