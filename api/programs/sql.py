"""A program version's rules compiled to PostgreSQL, for answers over the whole register at once
(simulation): the criteria and the amount of every member of every household in one statement.

What compiles is the part of the CEL subset (api/programs/cel.py) that maps to SQL without
changing its meaning; anything else raises `NotCompilable` and the caller evaluates the
version through its compiled CEL program instead:

- literals (int, double, string, bool; lists only on the right of `in`), the facts
  `person.{age, sex, nationality, deceased, hasOtherHealthCoverage, idcs}`,
  `household.{index, milieu, region, province, status, size}`, `threshold`, `today`, the
  version's definitions (inlined) and `subtotal` in amount lines;
- `! - * / % + -` (`+` of strings is `||`), comparisons (strings compared by code point,
  `COLLATE "C"`), `in` a list literal, `&& || ? :`, `double()` of an int, `size`, `max`, `min`;
- lists of members: `household.members` and what `filter`, `take` and `drop` make of it (a
  `take`/`drop` after a `filter` that follows a `take`/`drop` does not compile), read by
  `size`, `exists`, `all`, `exists_one` and `sum(… .map(v, e))`; a member's predicate reads
  the member and the household, never the person asked about.

Semantics. CEL fails where SQL would answer something else in only these places, and
PostgreSQL raises an error there (the statement fails and the caller falls back to CEL): an int
overflow, a division by zero (int or double; CEL's double division gives ±∞), a conversion out
of range. Members are ordered oldest first (birth date, then membership), as the facts are. A
null can only come from `household.index`, which is not null for any household an answer can
be eligible in (the engine's own reason HOUSEHOLD_NOT_ACTIVE comes first), so SQL's three-valued
logic never decides an answer. `tests/api/test_simulation_paths.py` compares both paths over
generated registers and drafts.

The row the statement evaluates over is a member (the person asked about), with columns
`age, sex, nationality, deceased, cover, idcs` (the person), `rel, school, disability`
(as a member), `status, index_value, milieu, region, province` (the household) and the
window columns this module asks for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from api.programs import cel
from api.programs.catalogue import Version
from api.programs.cel import DOUBLE, INT, STRING, Node
from api.programs.facts import MEMBER as _MEMBER_TYPE
from api.programs.facts import TYPES as _FACT_TYPES


class NotCompilable(Exception):
    """The expression leaves what maps to SQL; the reason says what."""


_PERSON = {"age": "age", "sex": "sex", "nationality": "nationality", "deceased": "deceased",
           "hasOtherHealthCoverage": "cover", "idcs": "idcs"}
_MEMBER = {"relationship": "rel", "age": "age", "sex": "sex", "schooling": "school",
           "hasDisability": "disability"}
_HOUSEHOLD = {"index": "index_value", "milieu": "milieu", "region": "region",
              "province": "province", "status": "status"}
_ARITHMETIC = {"+": "+", "-": "-", "*": "*", "/": "/", "%": "%"}
_COMPARISON = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "=", "!=": "<>"}


def literal(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return f"CAST({value} AS BIGINT)"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NotCompilable("a double that is not finite")
        return f"CAST('{value!r}' AS DOUBLE PRECISION)"
    if isinstance(value, str):
        if "\0" in value:
            raise NotCompilable("a string holding a NUL character")
        return "'" + value.replace("'", "''") + "'"
    raise NotCompilable(f"a literal {value!r}")


@dataclass(frozen=True)
class Members:
    """A list of members: those for which `base` holds, ranked 1, 2, … oldest first (the
    window column `rank`, or every member's position when `base` is None), kept from rank
    `low` to `high` (None: no end), then those for which every `after` predicate holds."""

    base: str | None = None
    rank: str | None = None
    low: int = 1
    high: int | None = None
    after: tuple[str, ...] = ()

    @property
    def ranged(self) -> bool:
        return self.low != 1 or self.high is not None


@dataclass
class Compiler:
    """Compiles expressions of one version; collects the window columns (ranks, over the
    members oldest first) and the household aggregates (over every member) they need."""

    threshold: float
    today: date
    definitions: dict[str, Node] = field(default_factory=dict)
    prefix: str = "x"
    ranks: dict[str, str] = field(default_factory=dict)  # predicate SQL → column
    aggregates: dict[str, str] = field(default_factory=dict)  # aggregate SQL → column
    types: dict = field(default_factory=dict)
    reads_person: bool = False  # since the last reset: the expression read a person fact
    reads_members: bool = False  # … or a household aggregate

    # ---------------------------------------------------------------- scalars

    def scalar(self, node: Node, scope: dict[str, str], subtotal: str | None = None) -> str:
        """SQL for a value. `scope` binds a macro's variable to the member row ("member")."""
        kind = node.kind
        if kind == "literal":
            if node.value is None:
                raise NotCompilable("null")
            return literal(node.value)
        if kind == "ident":
            name = node.value
            if name in scope:
                raise NotCompilable(f"the member `{name}` used whole")
            if name == "threshold":
                return literal(float(self.threshold))
            if name == "today":
                return literal(self.today.isoformat())
            if name == "subtotal" and subtotal is not None:
                return subtotal
            if name in self.definitions:
                return self.scalar(self.definitions[name], scope, subtotal)
            raise NotCompilable(f"`{name}` used whole")
        if kind == "select":
            return self.select(node, scope)
        if kind == "unary":
            operand = self.scalar(node.args[0], scope, subtotal)
            return f"(NOT {operand})" if node.value == "!" else f"(-{operand})"
        if kind == "ternary":
            c, y, n = (self.scalar(a, scope, subtotal) for a in node.args)
            return f"(CASE WHEN {c} THEN {y} ELSE {n} END)"
        if kind == "binary":
            return self.binary(node, scope, subtotal)
        if kind in ("call", "macro") and scope and node.value not in ("max", "min", "double"):
            raise NotCompilable(f"`{node.value}` inside a member's predicate")
        if kind == "call":
            return self.call(node, scope, subtotal)
        if kind == "macro":
            if node.value == "map":
                raise NotCompilable("`map` outside `sum`")
            return self.quantifier(node, scope)
        raise NotCompilable(f"{kind}")

    def select(self, node: Node, scope: dict[str, str]) -> str:
        target = node.target
        if target.kind == "ident" and target.value in scope:
            if node.value not in _MEMBER:
                raise NotCompilable(f"member field {node.value}")
            return _MEMBER[node.value]
        if target.kind == "ident" and target.value == "person":
            if scope:
                raise NotCompilable("a member's predicate reads the person asked about")
            self.reads_person = True
            return _PERSON[node.value]
        if target.kind == "ident" and target.value == "household":
            if node.value == "size":
                if scope:
                    raise NotCompilable("a member's predicate reads the household's size")
                return self.aggregate("COUNT(*)")
            if node.value in _HOUSEHOLD:
                return _HOUSEHOLD[node.value]
        raise NotCompilable(f"`{node.value}` of a computed value")

    def binary(self, node: Node, scope, subtotal) -> str:
        op = node.value
        left_node, right_node = node.args
        if op == "in":
            if right_node.kind != "list":
                raise NotCompilable("`in` a list that is not a literal")
            left = self.scalar(left_node, scope, subtotal)
            if not right_node.args:
                return "FALSE"
            items = ", ".join(self.scalar(a, scope, subtotal) for a in right_node.args)
            return f"({left} IN ({items}))"
        kind = self.type_of(left_node, scope)
        if op in ("+",) and (kind not in (INT, DOUBLE, STRING)):
            raise NotCompilable("`+` of lists")
        left = self.scalar(left_node, scope, subtotal)
        right = self.scalar(right_node, scope, subtotal)
        if op in ("&&", "||"):
            return f"({left} {'AND' if op == '&&' else 'OR'} {right})"
        if op in _COMPARISON:
            if kind == STRING and op not in ("==", "!="):
                return f'({left} COLLATE "C" {_COMPARISON[op]} {right})'
            return f"({left} {_COMPARISON[op]} {right})"
        if kind == STRING:
            return f"({left} || {right})"
        return f"({left} {_ARITHMETIC[op]} {right})"

    def call(self, node: Node, scope, subtotal) -> str:
        name = node.value
        nodes = ([node.target] if node.target is not None else []) + list(node.args)
        if name == "size":
            if self.type_of(nodes[0], scope) == STRING:
                return f"CAST(char_length({self.scalar(nodes[0], scope, subtotal)}) AS BIGINT)"
            members = self.members(nodes[0], scope)
            return self.aggregate(f"COUNT(*) FILTER (WHERE {self.holds(members)})")
        if name == "sum":
            target = nodes[0]
            if target.kind != "macro" or target.value != "map":
                raise NotCompilable("`sum` of a list other than a `map` of members")
            members = self.members(target.target, scope)
            value = self.scalar(target.args[0], {**scope, target.var: "member"})
            zero = "CAST(0 AS BIGINT)" if self.type_of(target, scope).item == INT else \
                "CAST(0 AS DOUBLE PRECISION)"
            total = self.aggregate(
                f"SUM(CASE WHEN {self.holds(members)} THEN {value} ELSE {zero} END)")
            if self.type_of(target, scope).item == INT:  # a sum past 64 bits raises
                return f"CAST({total} AS BIGINT)"
            return total
        if name == "double" and self.type_of(nodes[0], scope) == INT:
            return f"CAST({self.scalar(nodes[0], scope, subtotal)} AS DOUBLE PRECISION)"
        if name in ("max", "min"):
            a, b = (self.scalar(n, scope, subtotal) for n in nodes)
            return f"(CASE WHEN {a} {'>=' if name == 'max' else '<='} {b} THEN {a} ELSE {b} END)"
        raise NotCompilable(f"`{name}()`")

    def quantifier(self, node: Node, scope) -> str:
        members = self.members(node.target, scope)
        body = self.scalar(node.args[0], {**scope, node.var: "member"})
        holds = self.holds(members)
        if node.value == "exists":
            return f"COALESCE({self.aggregate(f'BOOL_OR({holds} AND {body})')}, FALSE)"
        if node.value == "all":
            return f"COALESCE({self.aggregate(f'BOOL_AND(NOT ({holds}) OR {body})')}, TRUE)"
        if node.value == "exists_one":
            return "(" + self.aggregate(f"COUNT(*) FILTER (WHERE {holds} AND {body})") + " = 1)"
        raise NotCompilable(f"`{node.value}`")

    # ---------------------------------------------------------------- lists of members

    def members(self, node: Node, scope) -> Members:
        if scope:
            raise NotCompilable("a list of members inside a member's predicate")
        if node.kind == "select" and node.value == "members" and node.target.kind == "ident" \
                and node.target.value == "household":
            return Members()
        if node.kind == "ident" and node.value in self.definitions:
            return self.members(self.definitions[node.value], scope)
        if node.kind == "macro" and node.value == "filter":
            inner = self.members(node.target, scope)
            predicate = self.scalar(node.args[0], {node.var: "member"})
            if inner.ranged or inner.after:
                return Members(inner.base, inner.rank, inner.low, inner.high,
                               (*inner.after, predicate))
            base = predicate if inner.base is None else f"({inner.base} AND {predicate})"
            return Members(base)
        if node.kind == "call" and node.value in ("take", "drop") and node.target is None:
            inner = self.members(node.args[0], scope)
            count = node.args[1]
            if count.kind != "literal" or not isinstance(count.value, int) \
                    or isinstance(count.value, bool):
                raise NotCompilable(f"`{node.value}` of a count that is not a literal")
            if inner.after:
                raise NotCompilable(f"`{node.value}` after a `filter` of a ranged list")
            n = max(count.value, 0)
            rank = inner.rank or self.rank(inner.base)
            if node.value == "take":
                high = inner.low + n - 1
                if inner.high is not None:
                    high = min(high, inner.high)
                return Members(inner.base, rank, inner.low, high)
            return Members(inner.base, rank, inner.low + n, inner.high)
        raise NotCompilable("a list other than the household's members")

    def rank(self, base: str | None) -> str:
        predicate = base or "TRUE"
        if predicate not in self.ranks:
            self.ranks[predicate] = f"{self.prefix}_r{len(self.ranks)}"
        return self.ranks[predicate]

    @staticmethod
    def holds(members: Members) -> str:
        parts = [members.base] if members.base else []
        if members.ranged:
            parts.append(f"{members.rank} >= {members.low}")
            if members.high is not None:
                parts.append(f"{members.rank} <= {members.high}")
        parts += members.after
        return "(" + " AND ".join(parts) + ")" if parts else "TRUE"

    def aggregate(self, expression: str) -> str:
        self.reads_members = True
        if expression not in self.aggregates:
            self.aggregates[expression] = f"{self.prefix}_a{len(self.aggregates)}"
        return self.aggregates[expression]

    def type_of(self, node: Node, scope):
        env = {**self.types, **{var: _MEMBER_TYPE for var in scope}}
        return cel.check(node, env)


@dataclass(frozen=True)
class CompiledVersion:
    """A version as SQL, its conditions split in two: `person` reads the row (the person asked
    about and the household's own facts), `household` reads the household's own facts and
    its aggregates over the members (the compiler's `aggregates`, over the window columns of
    its `ranks`); an answer is eligible when both hold. `amount` reads what `household`
    reads."""

    person: str
    household: str
    amount: str | None


def compiler_for(today: date, prefix: str = "x") -> Compiler:
    """One compiler for the versions of one statement: what they compute alike is computed
    once."""
    return Compiler(threshold=0.0, today=today, prefix=prefix)


def compile_version(version: Version, compiler: Compiler) -> CompiledVersion:
    """The version in SQL, the engine's own reasons included; raises NotCompilable, also for a
    criterion that reads both the person asked about and an aggregate of the members."""
    types = dict(_FACT_TYPES)
    definitions = {}
    for name, expression in version.definitions:
        definitions[name] = expression.node
        types[name] = expression.type
    compiler.threshold, compiler.definitions, compiler.types = \
        version.threshold, definitions, types
    person = ["NOT deceased"]
    household = ["status = 'ACTIVE'", "index_value IS NOT NULL"]
    for criterion in version.criteria:
        compiler.reads_person = compiler.reads_members = False
        condition = compiler.scalar(criterion.rule.node, {})
        if compiler.reads_person and compiler.reads_members:
            raise NotCompilable(f"{criterion.reason}: a criterion that reads both the person "
                                "asked about and the household's members")
        (person if compiler.reads_person else household).append(condition)
    amount = None
    if version.amount_lines:
        compiler.types = {**types, "subtotal": INT}
        values: list[str] = []
        for line in version.amount_lines:
            compiler.reads_person = False
            subtotal = "(" + " + ".join(values) + ")" if values else "CAST(0 AS BIGINT)"
            values.append(compiler.scalar(line.amount.node, {}, subtotal))
            if compiler.reads_person:
                raise NotCompilable("an amount that reads the person asked about")
        amount = "(" + " + ".join(values) + ")"
    return CompiledVersion(person="(" + " AND ".join(person) + ")",
                           household="(" + " AND ".join(household) + ")", amount=amount)
