"""A program version's rules compiled to PostgreSQL, for answers over the whole register at once
(simulation): the criteria and the amount of every member of every household in one statement.

What compiles is the part of the CEL subset (api/programs/cel.py) that maps to SQL without
changing its meaning; anything else raises `NotCompilable` and the caller evaluates the
version through its compiled CEL program instead:

- literals (int, double, string, bool; lists only on the right of `in`), `null` against a
  definition or the household's index, the facts
  `person.{age, sex, nationality, deceased, hasOtherHealthCoverage, idcs}`,
  `household.{index, milieu, region, province, status, size}`, `threshold`, `today`, the
  version's definitions (inlined) and `subtotal` in amount lines;
- `! - * / % + -` (`+` of strings is `||`), comparisons (strings compared by code point,
  `COLLATE "C"`), `in` a list literal or what `map` makes of a list of members, `&& || ? :`,
  `double()`, `int()`, `string()` (of an int, a string, a bool), `size`, `max`, `min`;
- lists of members: `household.members` and what `filter`, `take` and `drop` make of it (a
  `take`/`drop` after a `filter` that follows a `take`/`drop` does not compile), read by
  `size`, `exists`, `all`, `exists_one`, `sum(… .map(v, e))` and an index that is a literal
  (`list[1].age`); a member's predicate reads the member and the household, never the person
  asked about. A criterion may read the person and the members at once: the members'
  aggregates are then computed beside each member (windows over the household).

What does not compile: a member's predicate that reads the person asked about, a `filter`,
`sum`, `size` of a `map` or `exists_one` over values that may be null or fail, a comparison
that would have to tell CEL's null from its error, an index that is computed, an item of a list literal, `map`/`filter` of a mapped list, a `take`/`drop` of such a
filtered list, and an amount that reads the person.

Semantics. A SQL NULL stands for CEL's null or error (`Compiler.nulls` says which a value may
be): an index past the members, an int divided by zero, what reads them; comparisons,
arithmetic, `!`, `&&`/`||` (as CEL's commutative errors), `? :`, `in` and conversions pass it on
as CEL does, and the comparisons that tell a null from an error (`== null`, a null string's
equality) compile only where the operand cannot be an error. A criterion that is NULL is one
that failed: the statement counts the answers with no reason and a failed criterion,
definition or amount, and the caller refuses the version as the rule engine does
(`RuleError`). PostgreSQL raises, and the caller falls back to CEL, in only these places: an
int overflow, a double divided by zero (±∞ or NaN in CEL; PostgreSQL orders NaN above every
number), a conversion out of range. Members are ordered oldest first (birth date, then membership), as
the facts are. `tests/api/test_simulation_paths.py` compares both paths over generated
registers and drafts.

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
from api.programs.cel import BOOL, DOUBLE, INT, NULL, STRING, Node
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
_SQL_TYPES = {INT: "BIGINT", DOUBLE: "DOUBLE PRECISION", STRING: "TEXT", BOOL: "BOOLEAN"}
_COMPARISON = {"<": "<", "<=": "<=", ">": ">", ">=": ">=", "==": "=", "!=": "<>"}


def _nonzero(node: Node) -> bool:
    """A literal number other than zero."""
    return node.kind == "literal" and not isinstance(node.value, bool) \
        and isinstance(node.value, int | float) and node.value != 0


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
    booleans: set[str] = field(default_factory=set)  # the aggregates' columns of booleans
    types: dict = field(default_factory=dict)
    windowed: bool = False  # a criterion reads the person and the members' aggregates
    fallible: bool = False  # since the last reset: an expression may fail where SQL answers
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
            if self.nulls(node.args[0], scope):  # a failed condition fails the whole
                return f"(CASE WHEN {c} THEN {y} WHEN NOT {c} THEN {n} END)"
            return f"(CASE WHEN {c} THEN {y} ELSE {n} END)"
        if kind == "binary":
            return self.binary(node, scope, subtotal)
        if kind in ("call", "macro") and scope and \
                node.value not in ("max", "min", "double", "int", "string"):
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
        if target.kind == "index":
            return self.member_at(target, node.value, scope)
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
            return self.member_of(left_node, right_node, scope, subtotal)
        kind = self.type_of(left_node, scope)
        if op in ("==", "!="):
            return self.equal(node, scope, subtotal)
        if op in ("+",) and (kind not in (INT, DOUBLE, STRING)):
            raise NotCompilable("`+` of lists")
        left = self.scalar(left_node, scope, subtotal)
        right = self.scalar(right_node, scope, subtotal)
        if op in ("&&", "||"):
            return f"({left} {'AND' if op == '&&' else 'OR'} {right})"
        if op in _COMPARISON:
            if kind == STRING:
                return f'({left} COLLATE "C" {_COMPARISON[op]} {right})'
            return f"({left} {_COMPARISON[op]} {right})"
        if kind == STRING:
            return f"({left} || {right})"
        if op in ("/", "%") and not _nonzero(right_node) and kind == INT:  # by 0: an error
            self.fallible = True
            return f"({left} {op} NULLIF({right}, 0))"  # (a double's: PostgreSQL raises)
        return f"({left} {_ARITHMETIC[op]} {right})"

    def call(self, node: Node, scope, subtotal) -> str:
        name = node.value
        nodes = ([node.target] if node.target is not None else []) + list(node.args)
        if name == "size":
            if nodes[0].kind == "macro" and nodes[0].value == "map":  # as many as it maps
                if self.nulls(nodes[0].args[0], {**scope, nodes[0].var: "member"}):
                    raise NotCompilable("the size of a map whose values may fail")
                nodes[0] = nodes[0].target
            if self.type_of(nodes[0], scope) == STRING:
                return f"CAST(char_length({self.scalar(nodes[0], scope, subtotal)}) AS BIGINT)"
            members = self.members(nodes[0], scope)
            return self.aggregate(f"COUNT(*) FILTER (WHERE {self.holds(members)})")
        if name == "sum":
            target = nodes[0]
            if target.kind != "macro" or target.value != "map":
                raise NotCompilable("`sum` of a list other than a `map` of members")
            members = self.members(target.target, scope)
            if self.nulls(target.args[0], {**scope, target.var: "member"}):
                raise NotCompilable("a sum of values that may be null or fail")
            value = self.scalar(target.args[0], {**scope, target.var: "member"})
            zero = "CAST(0 AS BIGINT)" if self.type_of(target, scope).item == INT else \
                "CAST(0 AS DOUBLE PRECISION)"
            total = self.aggregate(
                f"SUM(CASE WHEN {self.holds(members)} THEN {value} ELSE {zero} END)")
            if self.type_of(target, scope).item == INT:  # a sum past 64 bits raises
                return f"CAST({total} AS BIGINT)"
            return total
        if name in ("double", "int", "string"):
            return self.convert(name, nodes[0], scope, subtotal)
        if name in ("max", "min"):
            a, b = (self.scalar(n, scope, subtotal) for n in nodes)
            test = f"{a} {'>=' if name == 'max' else '<='} {b}"
            if any(self.nulls(n, scope) for n in nodes):  # a null fails, as in CEL
                return f"(CASE WHEN {test} THEN {a} WHEN NOT ({test}) THEN {b} END)"
            return f"(CASE WHEN {test} THEN {a} ELSE {b} END)"
        raise NotCompilable(f"`{name}()`")

    def quantifier(self, node: Node, scope) -> str:
        members = self.members(node.target, scope)
        inner = {**scope, node.var: "member"}
        body = self.scalar(node.args[0], inner)
        holds = self.holds(members)
        failing = self.nulls(node.args[0], inner)
        if failing and node.value in ("exists", "all"):
            # an item that decides wins, else one that failed fails the whole (as `||`/`&&`)
            decides = body if node.value == "exists" else f"NOT ({body})"
            decided = self.aggregate(f"BOOL_OR({holds} AND {decides})", boolean=True)
            failed = self.aggregate(f"BOOL_OR({holds} AND ({body}) IS NULL)", boolean=True)
            return (f"(CASE WHEN {decided} THEN {'TRUE' if node.value == 'exists' else 'FALSE'}"
                    f" WHEN {failed} THEN NULL ELSE {'FALSE' if node.value == 'exists' else 'TRUE'}"
                    " END)")
        if failing:
            raise NotCompilable(f"`{node.value}` of a predicate that may be null or fail")
        if node.value == "exists":
            found = self.aggregate(f"BOOL_OR({holds} AND {body})", boolean=True)
            return f"COALESCE({found}, FALSE)"
        if node.value == "all":
            found = self.aggregate(f"BOOL_AND(NOT ({holds}) OR {body})", boolean=True)
            return f"COALESCE({found}, TRUE)"
        if node.value == "exists_one":
            return "(" + self.aggregate(f"COUNT(*) FILTER (WHERE {holds} AND {body})") + " = 1)"
        raise NotCompilable(f"`{node.value}`")

    def nulls(self, node: Node, scope) -> str | None:
        """Whether the value's SQL may be NULL, and what CEL has there: None (never NULL),
        "null" (CEL's null, never an error: a definition, the household's index), "error"
        (CEL's error, never its null: a member read by an index past the list, an int divided
        by zero, what turns a null into an error) or "fails" (either)."""
        kind = node.kind
        if kind == "ident":
            if node.value not in scope and node.value in self.definitions:
                return "null" if self.nulls(self.definitions[node.value], {}) else None
            return None
        if kind == "select":
            if node.target.kind == "index":
                return "error"
            if node.target.kind == "ident" and node.target.value == "household" \
                    and node.value == "index" and "household" not in scope:
                return "null"
            return None
        if kind == "index":
            return "error"
        if kind == "binary" and node.value in ("/", "%") and not _nonzero(node.args[1]):
            try:
                if self.type_of(node, scope) == INT:
                    return "error"
            except cel.CelCheckError:
                return "fails"
        if kind == "binary" and node.value in ("==", "!=") and any(
                a.kind == "literal" and a.value is None for a in node.args):
            try:  # a number against null fails unless null (compiled as IS NULL OR NULL)
                numbers = {self.type_of(a, scope) for a in node.args} & {INT, DOUBLE}
            except cel.CelCheckError:
                return "fails"
            return "error" if numbers else None
        if kind == "ternary" and not self.nulls(node.args[0], scope) or \
                kind == "binary" and node.value in ("&&", "||"):
            # the branch taken, as it is; `null && true` is null, `error && true` an error
            branches = node.args[1:] if kind == "ternary" else node.args
            found = {self.nulls(a, scope) for a in branches} - {None}
            if kind == "binary" and len([a for a in branches if self.nulls(a, scope)]) > 1:
                return "fails"  # two nulls: an error
            return None if not found else found.pop() if len(found) == 1 else "fails"
        inner = {**scope, node.var: "member"} if kind == "macro" and node.var else scope
        found = {self.nulls(a, inner) for a in node.args}
        if node.target is not None:
            found.add(self.nulls(node.target, scope))
        found.discard(None)
        if not found:
            return None
        if kind in ("ternary", "macro") or (kind == "binary" and node.value in ("&&", "||")) \
                or (kind == "call" and node.value in ("max", "min")):
            return "fails"  # may pass a null on, or fail
        return "error"  # every other operation fails on a null

    def equal(self, node: Node, scope, subtotal) -> str:
        """`==` and `!=`. CEL's null equals null, is unequal to a string or a bool, and fails
        against a number (as cel-python); SQL's NULL here is CEL's null or error (see
        `nulls`), so a comparison that would tell them apart does not compile."""
        is_equal = node.value == "=="
        types = [self.type_of(n, scope) for n in node.args]
        if NULL in types:  # `x == null`
            other = node.args[1] if types[0] == NULL else node.args[0]
            if types == [NULL, NULL] or self.nulls(other, scope) in ("fails", "error"):
                raise NotCompilable("a value that may fail compared with null")
            value = self.scalar(other, scope, subtotal)
            if self.type_of(other, scope) in (INT, DOUBLE):  # a number against null fails
                self.fallible = True
                return f"({value} IS NULL OR NULL)" if is_equal else \
                    f"({value} IS NOT NULL AND NULL)"
            return f"({value} IS {'' if is_equal else 'NOT '}NULL)"
        classes = {self.nulls(n, scope) for n in node.args} - {None}
        left, right = (self.scalar(n, scope, subtotal) for n in node.args)
        numbers = bool(set(types) & {INT, DOUBLE})
        op = "=" if is_equal else "<>"
        if numbers:  # a null against a number fails, two nulls are equal
            if classes == {"null"} and all(self.nulls(n, scope) for n in node.args):
                return (f"(CASE WHEN {left} IS NULL AND {right} IS NULL THEN "
                        f"{'TRUE' if is_equal else 'FALSE'} ELSE {left} {op} {right} END)")
            if "null" in classes and len(classes) > 1 or \
                    "fails" in classes and all(self.nulls(n, scope) for n in node.args):
                raise NotCompilable("two values that may be null or fail compared")
            return f"({left} {op} {right})"
        if classes <= {"error"}:  # an error fails the comparison: NULL
            return f"({left} {op} {right})"
        if classes == {"null"}:  # a null string or bool is unequal to a value, equal to null
            return f"({left} IS {'NOT ' if is_equal else ''}DISTINCT FROM {right})"
        raise NotCompilable("a string or a bool that may be null or fail compared")

    def member_of(self, item: Node, items: Node, scope, subtotal) -> str:
        """`item in list`: a list literal, or what `map` makes of a list of members."""
        while items.kind == "ident" and items.value not in scope \
                and items.value in self.definitions:
            items = self.definitions[items.value]
        nulls = self.nulls(item, scope)
        if items.kind == "macro" and items.value == "map":
            if nulls:
                raise NotCompilable("a value that may be null looked for among the members")
            members = self.members(items.target, scope)
            reads = self.reads_person, self.reads_members
            self.reads_person = self.reads_members = False
            value = self.scalar(item, scope, subtotal)
            if self.reads_person or self.reads_members:
                raise NotCompilable("the person asked about or an aggregate of the members "
                                    "looked for among the members")
            self.reads_person, self.reads_members = reads
            if self.nulls(items.args[0], {**scope, items.var: "member"}):
                raise NotCompilable("a map of members whose values may be null or fail")
            body = self.scalar(items.args[0], {**scope, items.var: "member"})
            found = self.aggregate(f"BOOL_OR({self.holds(members)} AND {body} = {value})",
                                   boolean=True)
            return f"COALESCE({found}, FALSE)"
        if items.kind != "list":
            raise NotCompilable("`in` a list that is neither a literal nor a map of members")
        if any(self.nulls(a, scope) for a in items.args):
            raise NotCompilable("`in` a list whose items may be null")
        numbers = self.type_of(item, scope) in (INT, DOUBLE)
        if nulls == "fails" and not numbers:
            raise NotCompilable("a string or a bool that may be null or fail looked for")
        left = self.scalar(item, scope, subtotal)
        if not items.args:
            if nulls in ("fails", "error"):
                raise NotCompilable("a value that may fail looked for in an empty list")
            return "FALSE"
        listed = ", ".join(self.scalar(a, scope, subtotal) for a in items.args)
        if nulls == "null" and self.type_of(item, scope) not in (INT, DOUBLE):
            return f"COALESCE({left} IN ({listed}), FALSE)"  # a null string is in no list
        return f"({left} IN ({listed}))"

    def member_at(self, node: Node, name: str, scope) -> str:
        """`list[i].field` for a list of members and a literal `i`: the field of the member of
        that rank, NULL (CEL's error) when there is none."""
        index = node.args[0]
        if index.kind != "literal" or not isinstance(index.value, int) \
                or isinstance(index.value, bool):
            raise NotCompilable("an index that is not a literal")
        if name not in _MEMBER:
            raise NotCompilable(f"member field {name}")
        members = self.members(node.target, scope)
        if members.after:
            raise NotCompilable("an item of a filter of a ranged list")
        self.fallible = True
        kind = _MEMBER_TYPE.field(name)
        position = members.low + index.value
        if index.value < 0 or (members.high is not None and position > members.high):
            return f"CAST(NULL AS {_SQL_TYPES[kind]})"
        rank = members.rank or self.rank(members.base)
        where = f"{rank} = {position}" + (f" AND {members.base}" if members.base else "")
        if kind == BOOL:
            return self.aggregate(f"BOOL_OR({_MEMBER[name]}) FILTER (WHERE {where})",
                                  boolean=True)
        return self.aggregate(f"MAX({_MEMBER[name]}) FILTER (WHERE {where})")

    def convert(self, name: str, node: Node, scope, subtotal) -> str:
        """`double()`, `int()` (towards zero; out of range PostgreSQL raises), `string()`."""
        kind = self.type_of(node, scope)
        value = self.scalar(node, scope, subtotal)
        if name == "double":
            return value if kind == DOUBLE else f"CAST({value} AS DOUBLE PRECISION)"
        if name == "int":
            return value if kind == INT else f"CAST(trunc({value}) AS BIGINT)"
        if kind == STRING:
            return value
        if kind == INT:
            return f"CAST({value} AS TEXT)"
        if kind == BOOL:
            return f"(CASE WHEN {value} THEN 'true' WHEN NOT {value} THEN 'false' END)"
        raise NotCompilable(f"`string()` of a {kind}")

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
            if self.nulls(node.args[0], {node.var: "member"}):  # a null keeps no item, an
                raise NotCompilable("a filter whose predicate may be null or fail")  # error fails
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

    def aggregate(self, expression: str, boolean: bool = False) -> str:
        self.reads_members = True
        if expression not in self.aggregates:
            self.aggregates[expression] = f"{self.prefix}_a{len(self.aggregates)}"
            if boolean:
                self.booleans.add(self.aggregates[expression])
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
    fallible: bool = False  # an expression may fail (NULL) where no reason answers first


def birthday_age(today: date) -> str:
    """The age on `today` of the person's birth date (`p.birth_date`), in years (one more on
    each birthday; born on 29 February: on 1 March in other years)."""
    md = today.month * 100 + today.day
    born = "p.birth_date"
    return (f"(CAST({today.year} AS BIGINT) - CAST(EXTRACT(YEAR FROM {born}) AS BIGINT)"
            f" - CASE WHEN EXTRACT(MONTH FROM {born}) * 100 + EXTRACT(DAY FROM {born})"
            f" > {md} THEN 1 ELSE 0 END)")


def with_windows(compiler: Compiler, rows: str) -> str:
    """`rows` (a subquery of members named `b`, with `hid`, `birth_date` and `mid`) with the
    window columns the compiler asked for: the ranks, and in windowed mode the household
    aggregates beside each member."""
    order = "PARTITION BY hid ORDER BY birth_date, mid"
    if compiler.ranks:
        windows = ", ".join(f"COUNT(*) FILTER (WHERE {p}) OVER w AS {c}"
                            for p, c in compiler.ranks.items())
        rows = (f"(SELECT b.*, {windows} FROM {rows} "
                f"WINDOW w AS ({order} ROWS UNBOUNDED PRECEDING)) r")
    if compiler.windowed and compiler.aggregates:
        over = ", ".join(f"{a} OVER w AS {c}" for a, c in compiler.aggregates.items())
        rows = (f"(SELECT *, {over} FROM {rows} WINDOW w AS ({order} ROWS BETWEEN "
                "UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)) v")
    return rows


def compiler_for(today: date, prefix: str = "x") -> Compiler:
    """One compiler for the versions of one statement: what they compute alike is computed
    once."""
    return Compiler(threshold=0.0, today=today, prefix=prefix)


@dataclass(frozen=True)
class Part:
    """One expression of a version in SQL, and whether it reads the person asked about and
    the household's members (their aggregates)."""

    name: str  # a definition's name, a criterion's reason, an amount line's label
    sql: str
    person: bool
    members: bool


@dataclass(frozen=True)
class Parts:
    """A version's expressions in SQL: `failures` (TRUE, or NULL where a definition fails),
    `criteria` (TRUE, FALSE: its reason, NULL: failed), `lines` (each amount line's value,
    the lines before it summed as `subtotal`)."""

    failures: tuple[Part, ...]
    criteria: tuple[Part, ...]
    lines: tuple[Part, ...]
    fallible: bool


def compile_parts(version: Version, compiler: Compiler) -> Parts:
    """The version's definitions (a failing one fails the answer, as in rules.py), criteria
    and amount lines in SQL; raises NotCompilable."""
    types = dict(_FACT_TYPES)
    definitions = {}
    for name, expression in version.definitions:
        definitions[name] = expression.node
        types[name] = expression.type
    compiler.threshold, compiler.definitions, compiler.types = \
        version.threshold, definitions, types
    compiler.fallible = False

    def part(name: str, node: Node, subtotal: str | None = None) -> Part:
        compiler.reads_person = compiler.reads_members = False
        value = compiler.scalar(node, {}, subtotal)
        return Part(name, value, compiler.reads_person, compiler.reads_members)

    failures = []
    for name, expression in version.definitions:
        if isinstance(expression.type, cel.ListOf):
            if compiler.nulls(expression.node, {}):
                raise NotCompilable(f"{name}: a list whose items may fail")
            continue
        before, compiler.fallible = compiler.fallible, False
        found = part(name, expression.node)
        if compiler.fallible:  # TRUE, or NULL (failed) when it fails
            failures.append(Part(name, f"(({found.sql}) IS NOT NULL OR NULL)", found.person,
                                 found.members))
        compiler.fallible = before or compiler.fallible
    criteria = [part(c.reason, c.rule.node) for c in version.criteria]
    lines: list[Part] = []
    if version.amount_lines:
        compiler.types = {**types, "subtotal": INT}
        for line in version.amount_lines:
            subtotal = "(" + " + ".join(p.sql for p in lines) + ")" if lines else \
                "CAST(0 AS BIGINT)"
            lines.append(part(line.label, line.amount.node, subtotal))
    return Parts(tuple(failures), tuple(criteria), tuple(lines), compiler.fallible)


def compile_version(version: Version, compiler: Compiler) -> CompiledVersion:
    """The version in SQL for counting, the engine's own reasons included, its conditions
    split into the person's and the household's; raises NotCompilable, also for an amount
    that reads the person asked about."""
    parts = compile_parts(version, compiler)
    person = ["NOT deceased"]
    household = ["status = 'ACTIVE'", "index_value IS NOT NULL"]
    for found in (*parts.failures, *parts.criteria):
        if found.person and found.members:
            compiler.windowed = True  # the members' aggregates beside each member
        (person if found.person else household).append(found.sql)
    if any(line.person for line in parts.lines):
        raise NotCompilable("an amount that reads the person asked about")
    amount = "(" + " + ".join(line.sql for line in parts.lines) + ")" if parts.lines else None
    return CompiledVersion(person="(" + " AND ".join(person) + ")",
                           household="(" + " AND ".join(household) + ")", amount=amount,
                           fallible=parts.fallible)
