"""Program rules in CEL (Common Expression Language): parsed by cel-python, type-checked here
against the documented facts, and compiled once into Python closures.

Why compiled: measured on the bulk path (1 000 ids, a household of five members per person),
cel-python's interpreter takes about 2 ms per evaluation (its transpiling runner 0.4 ms) and the
Rust-backed `common-expression-language` about 60 µs (most of it converting the facts into CEL
values); a compiled closure takes 1–3 µs, which keeps a bulk request as fast as the rules
written in Python were. cel-python stays the reference: it parses every expression (its Lark
grammar), and `tests/unit/test_cel.py` and `tests/api/test_cel_nulls.py` evaluate generated
expressions over generated facts (some null) with both cel-python and the compiled closures and
require the same value or the same error.

The subset compiled is what program rules need, and every expression is checked against it
when the catalogue is loaded (a file outside it is refused, naming the key): literals (int,
double, string, bool, lists), the facts and their fields, list indexing, `!` and unary `-`,
`* / % + -` (int with int, double with double; `+` also joins strings and lists), comparisons
(`< <= > >=` on numbers and strings, `== !=` on any two values of one type, `== null` only on
what may be null), `in` on a list, `&& ||` (with CEL's commutative errors), `? :`, the macros
`exists`, `all`, `exists_one`, `filter`, `map`, and the functions `size`, `int`, `double`,
`string`, plus Sijill's own:

| function | meaning |
|---|---|
| `take(list, n)` | the first `n` items (all when fewer) |
| `drop(list, n)` | all but the first `n` items |
| `sum(list)` | the sum of a list of int (or of double); 0 for an empty list |
| `max(a, b)`, `min(a, b)` | the larger, the smaller of two int (or two double) |

As in CEL, an int is 64-bit and an overflow is an error (a `sum` overflows as soon as a partial
sum does), integer division truncates towards zero, and mixing int and double needs `double()`
or `int()`. A double divided by zero follows IEEE 754 as CEL specifies (±∞, or NaN for
`0.0 / 0.0`), where cel-python answers +∞ whatever the signs; `max(a, b)` is
`a >= b ? a : b` (with a NaN, as cel-python). An error (a division by int zero, an overflow, a null where a number is
needed) makes the expression fail as a whole; the rule engine decides what a failed criterion
means.

Null is the value of a fact that may be null (the index of an unscored household) and of a
definition that could not be computed; as in cel-python, a null passes through `? :`, list
items, `map`, and `&&`/`||`/`exists`/`all` when the other operands do not decide (`null &&
false` is false, `null && true` is null, two nulls an error); it fails in comparisons,
arithmetic, `!`, the condition of `? :`, `min`/`max`, `in` and `==` against a number; it is
unequal to a string or a bool. A conversion of a null (`int`, `double`, `string`, `size`) is an
error, where cel-python answers 0, 0.0, "None" and 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import celpy
import lark
from celpy import celtypes
from celpy.celparser import CELParseError, CELParser
from celpy.evaluation import celstr

INT_MIN, INT_MAX = -(2**63), 2**63 - 1


class CelError(Exception):
    """An expression failed while evaluating (CEL's error value)."""


class CelCheckError(Exception):
    """An expression that does not parse, type-check, or leaves the compiled subset."""


# ------------------------------------------------------------------ types

INT, DOUBLE, BOOL, STRING, NULL = "int", "double", "bool", "string", "null"


@dataclass(frozen=True)
class ListOf:
    item: Any  # a type; None for the element of an empty list literal

    def __str__(self) -> str:
        return f"list<{self.item or 'dyn'}>"


@dataclass(frozen=True)
class Struct:
    name: str
    fields: tuple[tuple[str, Any], ...]

    def field(self, name: str):
        return dict(self.fields).get(name)

    def __str__(self) -> str:
        return self.name


def struct(name: str, **fields) -> Struct:
    return Struct(name, tuple(fields.items()))


def _same(a, b) -> bool:
    if isinstance(a, ListOf) and isinstance(b, ListOf):
        return a.item is None or b.item is None or _same(a.item, b.item)
    return a == b


def _type_name(t) -> str:
    return str(t)


# ------------------------------------------------------------------ the syntax tree

@dataclass(frozen=True)
class Node:
    kind: str  # literal, ident, select, index, unary, binary, ternary, list, call, macro
    value: Any = None  # literal value, identifier, field, operator, function name
    args: tuple = ()
    target: Any = None  # receiver of a member call / select / index
    var: str | None = None  # a macro's variable


MACROS = ("exists", "all", "exists_one", "filter", "map")
OPERATORS = {
    "relation_lt": "<", "relation_le": "<=", "relation_gt": ">", "relation_ge": ">=",
    "relation_eq": "==", "relation_ne": "!=", "relation_in": "in",
    "addition_add": "+", "addition_sub": "-",
    "multiplication_mul": "*", "multiplication_div": "/", "multiplication_mod": "%",
}

_parser = None


def parse(text: str) -> Node:
    global _parser
    if _parser is None:  # not through celpy.Environment, which raises the recursion limit
        _parser = CELParser()
    try:
        tree = _parser.parse(text)
    except CELParseError as exc:
        raise CelCheckError(f"syntax error: {str(exc).splitlines()[0][:200]}") from None
    return _convert(tree)


def _children(tree: lark.Tree) -> list:
    return [c for c in tree.children if c is not None]


def _convert(tree) -> Node:  # noqa: C901 - one branch per grammar rule
    if isinstance(tree, lark.Token):
        raise CelCheckError(f"unexpected token {tree!s}")
    rule = tree.data
    kids = _children(tree)
    if rule in ("expr",):
        if len(kids) == 1:
            return _convert(kids[0])
        condition, yes, no = kids
        return Node("ternary", args=(_convert(condition), _convert(yes), _convert(no)))
    if rule in ("conditionalor", "conditionaland"):
        if len(kids) == 1:
            return _convert(kids[0])
        left, right = kids
        return Node("binary", "||" if rule == "conditionalor" else "&&",
                    (_convert(left), _convert(right)))
    if rule in ("relation", "addition", "multiplication"):
        if len(kids) == 1:
            return _convert(kids[0])
        operator_tree, right = kids
        (left,) = _children(operator_tree)
        return Node("binary", OPERATORS[operator_tree.data], (_convert(left), _convert(right)))
    if rule == "unary":
        if len(kids) == 1:
            return _convert(kids[0])
        operator_tree, operand = kids
        return Node("unary", "!" if operator_tree.data == "unary_not" else "-",
                    (_convert(operand),))
    if rule in ("member", "primary", "paren_expr"):
        (only,) = kids
        return _convert(only)
    if rule == "member_dot":
        target, name = kids
        return Node("select", str(name), target=_convert(target))
    if rule == "member_dot_arg":
        target, name, *rest = kids
        args = _exprlist(rest[0]) if rest else ()
        name = str(name)
        if name in MACROS:
            if len(args) != 2 or args[0].kind != "ident":
                raise CelCheckError(f"`{name}` takes a variable and an expression")
            return Node("macro", name, (args[1],), target=_convert(target), var=args[0].value)
        return Node("call", name, args, target=_convert(target))
    if rule == "member_index":
        target, index = kids
        return Node("index", args=(_convert(index),), target=_convert(target))
    if rule == "ident_arg":
        name, *rest = kids
        return Node("call", str(name), _exprlist(rest[0]) if rest else ())
    if rule == "ident":
        (name,) = kids
        return Node("ident", str(name))
    if rule == "list_lit":
        return Node("list", args=_exprlist(kids[0]) if kids else ())
    if rule == "literal":
        (token,) = kids
        return Node("literal", _literal(token))
    raise CelCheckError(f"`{rule.replace('_', ' ')}` is not supported in program rules")


def _exprlist(tree) -> tuple[Node, ...]:
    return tuple(_convert(c) for c in _children(tree))


def _literal(token: lark.Token):
    kind, text = token.type, str(token)
    if kind == "INT_LIT":
        return _int_literal(text)
    if kind == "FLOAT_LIT":
        value = float(text)
        if not math.isfinite(value):  # `1e999`: CEL has no literal for an infinity
            raise CelCheckError(f"double literal out of range: {text}")
        return value
    if kind == "BOOL_LIT":
        return text == "true"
    if kind == "NULL_LIT":
        return None
    if kind in ("STRING_LIT", "MLSTRING_LIT"):
        try:
            return str(celstr(token))
        except ValueError as exc:  # an escape beyond Unicode, such as `\U00110000`
            raise CelCheckError(f"string literal not valid: {str(exc)[:100]}") from None
    raise CelCheckError(f"{kind.lower().replace('_lit', '')} literals are not supported")


def _int_literal(text: str) -> int:
    """A decimal or `0x` literal; a decimal with a leading zero (`0123`) is refused: octal to
    a C reader, 123 to cel-python."""
    try:
        value = int(text, 16) if "x" in text.lower() else int(text, 10)
    except ValueError:
        raise CelCheckError(f"integer literal not valid: {text}") from None
    digits = text.lstrip("-")
    if len(digits) > 1 and digits.startswith("0") and "x" not in digits.lower():
        raise CelCheckError(f"integer literal with a leading zero: {text} (write {value})")
    if not INT_MIN <= value <= INT_MAX:
        raise CelCheckError(f"integer literal out of range: {text}")
    return value


# ------------------------------------------------------------------ type checking

FUNCTIONS = ("size", "int", "double", "string", "take", "drop", "sum", "max", "min")


def check(node: Node, env: dict[str, Any]):
    """The expression's type in an environment {name: type}; raises CelCheckError naming the
    unknown fact or the mismatched operand."""
    kind = node.kind
    if kind == "literal":
        value = node.value
        if value is None:
            return NULL
        return {bool: BOOL, int: INT, float: DOUBLE, str: STRING}[type(value)]
    if kind == "ident":
        if node.value not in env:
            raise CelCheckError(f"unknown fact `{node.value}` (facts: {', '.join(sorted(env))})")
        return env[node.value]
    if kind == "select":
        target = check(node.target, env)
        if not isinstance(target, Struct):
            raise CelCheckError(f"`.{node.value}` on a {_type_name(target)}")
        field = target.field(node.value)
        if field is None:
            names = ", ".join(name for name, _ in target.fields)
            raise CelCheckError(f"unknown fact `{_path(node)}` ({target.name} has: {names})")
        return field
    if kind == "index":
        target = check(node.target, env)
        index = check(node.args[0], env)
        if not isinstance(target, ListOf) or index != INT:
            raise CelCheckError(f"indexing a {_type_name(target)} with a {_type_name(index)}")
        return target.item
    if kind == "unary":
        operand = check(node.args[0], env)
        if node.value == "!" and operand == BOOL:
            return BOOL
        if node.value == "-" and operand in (INT, DOUBLE):
            return operand
        raise CelCheckError(f"`{node.value}` on a {_type_name(operand)}")
    if kind == "binary":
        return _check_binary(node, env)
    if kind == "ternary":
        condition, yes, no = (check(a, env) for a in node.args)
        if condition != BOOL:
            raise CelCheckError(f"the condition of `? :` is a {_type_name(condition)}")
        if not _same(yes, no):
            raise CelCheckError(f"`? :` gives a {_type_name(yes)} or a {_type_name(no)}")
        return yes
    if kind == "list":
        items = [check(a, env) for a in node.args]
        if any(not _same(items[0], t) for t in items[1:]):
            raise CelCheckError("a list literal mixes types")
        return ListOf(items[0] if items else None)
    if kind == "macro":
        target = check(node.target, env)
        if not isinstance(target, ListOf):
            raise CelCheckError(f"`{node.value}` on a {_type_name(target)}")
        body = check(node.args[0], {**env, node.var: target.item})
        if node.value == "map":
            return ListOf(body)
        if body != BOOL:
            raise CelCheckError(f"the predicate of `{node.value}` is a {_type_name(body)}")
        return target if node.value == "filter" else BOOL
    if kind == "call":
        return _check_call(node, env)
    raise CelCheckError(f"unsupported expression ({kind})")


def _check_binary(node: Node, env):
    op = node.value
    left, right = (check(a, env) for a in node.args)
    if op in ("&&", "||"):
        if left == BOOL and right == BOOL:
            return BOOL
    elif op == "in":
        if isinstance(right, ListOf) and (right.item is None or _same(left, right.item)):
            return BOOL
    elif op in ("==", "!="):
        if _same(left, right) or NULL in (left, right):
            return BOOL
    elif op in ("<", "<=", ">", ">="):
        if left == right and left in (INT, DOUBLE, STRING):
            return BOOL
    elif op == "%":
        if left == right == INT:
            return INT
    elif op in ("-", "*", "/"):
        if left == right and left in (INT, DOUBLE):
            return left
    elif op == "+":
        if left == right and left in (INT, DOUBLE, STRING):
            return left
        if isinstance(left, ListOf) and isinstance(right, ListOf) and _same(left, right):
            return left if left.item is not None else right
    raise CelCheckError(f"`{op}` between a {_type_name(left)} and a {_type_name(right)}"
                        + (" (convert with double() or int())"
                           if {left, right} == {INT, DOUBLE} else ""))


def _check_call(node: Node, env):
    name = node.value
    args = ([node.target] if node.target is not None else []) + list(node.args)
    if name not in FUNCTIONS:
        raise CelCheckError(f"unknown function `{name}` (functions: {', '.join(FUNCTIONS)})")
    types = [check(a, env) for a in args]
    if name == "size" and len(types) == 1 and (isinstance(types[0], ListOf)
                                                or types[0] == STRING):
        return INT
    if node.target is None:
        # conversions between numbers, and of an int or a bool to a string (the formats of a
        # double, and the strings a number parses from, differ between CEL implementations)
        if name == "int" and len(types) == 1 and types[0] in (INT, DOUBLE):
            return INT
        if name == "double" and len(types) == 1 and types[0] in (INT, DOUBLE):
            return DOUBLE
        if name == "string" and len(types) == 1 and types[0] in (INT, STRING, BOOL):
            return STRING
        if name in ("take", "drop") and len(types) == 2 and isinstance(types[0], ListOf) \
                and types[1] == INT:
            return types[0]
        if name == "sum" and len(types) == 1 and isinstance(types[0], ListOf) \
                and types[0].item in (INT, DOUBLE, None):
            return types[0].item or INT
        if name in ("max", "min") and len(types) == 2 and types[0] == types[1] \
                and types[0] in (INT, DOUBLE):
            return types[0]
    given = ", ".join(_type_name(t) for t in types)
    raise CelCheckError(f"no `{name}` for ({given})")


def _path(node: Node) -> str:
    if node.kind == "ident":
        return node.value
    if node.kind == "select":
        return f"{_path(node.target)}.{node.value}"
    return "…"


def references(node: Node) -> set[str]:
    """Every fact path the expression reads (`household.members.age` for `m.age` in a macro
    over the members)."""
    found: set[str] = set()

    def walk(n: Node, bound: dict[str, str]) -> str | None:
        if n.kind == "ident":
            path = bound.get(n.value, n.value)
            found.add(path)
            return path
        if n.kind == "select":
            base = walk(n.target, bound)
            if base is None:
                return None
            path = f"{base}.{n.value}"
            found.discard(base)
            found.add(path)
            return path
        if n.kind == "macro":
            base = walk(n.target, bound)
            for child in n.args:
                walk(child, {**bound, n.var: base or "?"})
            return None
        for child in n.args:
            walk(child, bound)
        if n.target is not None:
            walk(n.target, bound)
        return None

    walk(node, {})
    return found


def fields_read(node: Node, env: dict[str, Any]) -> set[tuple[str, str]]:
    """Every (struct, field) the expression reads, e.g. ("Member", "age") for `c.age` over
    any list of members: what the facts must hold for it."""
    found: set[tuple[str, str]] = set()

    def walk(n: Node, scope: dict[str, Any]) -> None:
        if n.kind == "select":
            target = check(n.target, scope)
            if isinstance(target, Struct):
                found.add((target.name, n.value))
        if n.kind == "macro":
            walk(n.target, scope)
            item = check(n.target, scope).item
            for child in n.args:
                walk(child, {**scope, n.var: item})
            return
        for child in n.args:
            walk(child, scope)
        if n.target is not None:
            walk(n.target, scope)

    walk(node, env)
    return found


# ------------------------------------------------------------------ compiling to Python

Env = dict[str, Any]
Compiled = Callable[[Env], Any]

# Python errors that stand for CEL's error value: a null where a number was needed, a division
# by zero, an index out of range, a failed conversion.
ERRORS = (TypeError, KeyError, IndexError, ZeroDivisionError, ValueError, OverflowError,
          CelError)
_ERRORS = ERRORS


def _i(value: int) -> int:
    """An int result, checked against CEL's 64-bit range."""
    if not INT_MIN <= value <= INT_MAX:
        raise CelError("integer overflow")
    return value


def _idiv(a: int, b: int) -> int:
    quotient = abs(a) // abs(b)  # ZeroDivisionError for b == 0
    return _i(quotient if (a >= 0) == (b >= 0) else -quotient)


def _imod(a: int, b: int) -> int:
    quotient = abs(a) // abs(b)
    return a - b * (quotient if (a >= 0) == (b >= 0) else -quotient)


def _fdiv(a: float, b: float) -> float:
    if b == 0:  # IEEE 754, as CEL specifies (cel-python answers +∞ whatever the signs)
        if a == 0 or a != a:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _isum(items: list) -> int:
    """The sum of ints, each partial sum checked against CEL's 64-bit range (as cel-python adds
    them one by one: `[INT_MAX, 1, -1]` overflows)."""
    total = 0
    for value in items:
        total += value
        if not INT_MIN <= total <= INT_MAX:
            raise CelError("integer overflow")
    return total


def _max(a, b):
    """The larger, as cel-python's `a >= b ? a : b`: with a NaN, the second unless the first
    is at least it."""
    return a if a >= b else b


def _min(a, b):
    return a if a <= b else b


def _at(items: list, index: int):
    if not 0 <= index < len(items):
        raise CelError("index out of range")
    return items[index]


def _to_int(value) -> int:
    if isinstance(value, float) and (value != value or value in (math.inf, -math.inf)):
        raise CelError("not a finite number")
    return _i(int(value))  # truncates towards zero


def _to_string(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        raise CelError("no matching overload for string() of null")
    return str(value)


def _eq(a, b) -> bool:
    """`==` between ints or doubles when one may be null: no overload for a null and a number
    (as cel-python has it; a null string or bool is just unequal to a value)."""
    if a is None or b is None:
        if a is b:
            return True
        raise CelError("no matching overload for == with null")
    return a == b


def _ne(a, b) -> bool:
    return not _eq(a, b)


def _in(item, items: list) -> bool:
    """`in` for ints and doubles when the item or the list may hold a null (an error unless
    found, as cel-python compares them), and for doubles (a NaN is in no list)."""
    unmatched = False
    for value in items:
        if value is None or item is None:
            if value is item:
                return True
            unmatched = True
        elif value == item:
            return True
    if unmatched:
        raise CelError("no matching overload for in with null")
    return False


def _not(value) -> bool:
    """`!` of a bool that may be null: no overload for a null."""
    if value is None:
        raise CelError("no matching overload for ! with null")
    return not value


def _test(value) -> bool:
    """The condition of `? :` when it may be null: no overload for a null."""
    if value is None:
        raise CelError("no matching overload for ? : with null")
    return value


def _attempt(evaluate):
    """The value, or the error it raised (CEL's error value)."""
    try:
        return evaluate()
    except _ERRORS as exc:
        return exc


def _combine(odd: list, decisive: bool):
    """What `&&` (decisive False) or `||` (decisive True) make of operands none of which is
    decisive, `odd` those that are no bool (a null, an error): with none, the other bool; one
    is the answer (a null, or its error); two are an error (as cel-python folds them)."""
    if not odd:
        return not decisive
    if len(odd) > 1:
        raise CelError(f"no matching overload for {'||' if decisive else '&&'}")
    if isinstance(odd[0], BaseException):
        raise odd[0]
    return odd[0]


def _logic(first, second, decisive: bool):
    """CEL's `&&`/`||` when the first operand may fail or be null: `error || true` is true,
    `null && false` is false, `null && true` is null."""
    value = _attempt(first)
    if value is decisive:
        return decisive
    if value is (not decisive):
        return second()
    other = _attempt(second)
    if other is decisive:
        return decisive
    return _combine([value] if other is (not decisive) else [value, other], decisive)


def _or(first, second) -> bool:
    return _logic(first, second, True)


def _and(first, second) -> bool:
    return _logic(first, second, False)


def _quantify(items: list, test, decisive: bool) -> bool:
    """`exists` (decisive True) and `all` (decisive False) when the predicate may fail or be
    null: an item that decides wins over the others, as `||`/`&&` over the items."""
    odd = []
    for item in items:
        try:
            value = test(item)
        except _ERRORS as exc:
            value = exc
        if value is decisive:
            return decisive
        if value is not (not decisive):
            odd.append(value)
    return _combine(odd, decisive)


_NAMESPACE = {"_i": _i, "_idiv": _idiv, "_imod": _imod, "_fdiv": _fdiv, "_isum": _isum,
              "_max": _max, "_min": _min, "_at": _at, "_to_int": _to_int,
              "_to_string": _to_string, "_or": _or, "_eq": _eq, "_ne": _ne, "_in": _in,
              "_not": _not, "_test": _test, "_and": _and, "_quantify": _quantify,
              "math": math}


class _Transpiler:
    """CEL, checked, into one Python expression over `env` (the facts and definitions):
    attribute reads are dictionary reads, ints are checked for overflow, and CEL's
    commutative `&&`/`||` and macros fall back to helpers only where an operand may fail or
    be null.

    A macro's variable is in `scope` as (Python name, type, the fact path of its list, may it
    be null)."""

    def __init__(self, types: dict[str, Any], nullable: frozenset[str] = frozenset()) -> None:
        self.types = types
        # what may be null: fact paths, definitions, and `name[]` for a list that may hold one
        self.nullable = nullable
        self.counter = 0

    def path_of(self, node: Node, scope) -> str:
        """The fact path a list comes from (`household.members`), for its items' fields; `?`
        for a computed list."""
        names = []
        while node.kind == "select":
            names.append(node.value)
            node = node.target
        if node.kind != "ident":
            return "?"
        base = scope[node.value][2] if node.value in scope else node.value
        return ".".join([base, *reversed(names)])

    def may_be_null(self, node: Node, scope) -> bool:  # noqa: C901 - one branch per kind
        """Whether the value may be null: a fact or a definition that may be, an item of a
        list that may hold one (a macro's variable included), what passes one on (`? :`,
        `min`/`max`, and as cel-python `&&`, `||`, `exists` and `all`), the literal `null`."""
        kind, args = node.kind, node.args
        if kind == "literal":
            return node.value is None
        if kind == "ident":
            return scope[node.value][3] if node.value in scope else node.value in self.nullable
        if kind == "select":
            return self.path_of(node, scope) in self.nullable
        if kind == "index":
            return self.items_may_be_null(node.target, scope)
        if kind == "ternary":
            return self.may_be_null(args[1], scope) or self.may_be_null(args[2], scope)
        if kind == "binary" and node.value in ("&&", "||"):
            return self.may_be_null(args[0], scope) or self.may_be_null(args[1], scope)
        if kind == "call" and node.value in ("max", "min"):
            return any(self.may_be_null(a, scope) for a in args)
        if kind == "macro" and node.value in ("exists", "all"):
            return self.may_be_null(args[0], self.bind(node, scope, ""))
        return False

    def items_may_be_null(self, node: Node, scope) -> bool:
        """Whether a list may hold a null (a list of lists is taken as one that may)."""
        kind, args = node.kind, node.args
        if kind == "list":
            return any(self.may_be_null(a, scope) for a in args)
        if kind == "ident" and node.value not in scope:
            return f"{node.value}[]" in self.nullable
        if kind == "select":
            return f"{self.path_of(node, scope)}[]" in self.nullable
        if kind == "ternary":
            return self.items_may_be_null(args[1], scope) or self.items_may_be_null(args[2],
                                                                                    scope)
        if kind == "binary":  # `+`
            return self.items_may_be_null(args[0], scope) or self.items_may_be_null(args[1],
                                                                                    scope)
        if kind == "macro":
            if node.value == "map":
                return self.may_be_null(args[0], self.bind(node, scope, ""))
            return self.items_may_be_null(node.target, scope)  # filter
        if kind == "call":  # take, drop
            return self.items_may_be_null(args[0], scope)
        return True

    def bind(self, node: Node, scope, variable: str) -> dict:
        """The scope inside a macro, its variable bound to `variable`."""
        item = self.type_of(node.target, scope).item
        return {**scope, node.var: (variable, item, self.path_of(node.target, scope),
                                    self.items_may_be_null(node.target, scope))}

    def type_of(self, node: Node, scope: dict[str, tuple]):
        return check(node, {**self.types, **{k: v[1] for k, v in scope.items()}})

    def emit(self, node: Node, scope: dict[str, tuple]) -> tuple[str, bool]:  # noqa: C901
        """(Python text, may it fail)."""
        kind = node.kind
        if kind == "literal":
            return repr(node.value), False
        if kind == "ident":
            if node.value in scope:
                return scope[node.value][0], False
            return f"env[{node.value!r}]", False
        if kind == "select":  # a null struct has no field
            target, fails = self.emit(node.target, scope)
            return f"{target}[{node.value!r}]", fails or self.may_be_null(node.target, scope)
        if kind == "index":
            target, a = self.emit(node.target, scope)
            index, b = self.emit(node.args[0], scope)
            return f"_at({target}, {index})", True
        if kind == "list":
            parts = [self.emit(a, scope) for a in node.args]
            return "[" + "".join(p + ", " for p, _ in parts) + "]", any(f for _, f in parts)
        if kind == "unary":
            operand, fails = self.emit(node.args[0], scope)
            null = self.may_be_null(node.args[0], scope)
            if node.value == "!":
                return (f"_not({operand})", True) if null else (f"(not {operand})", fails)
            if self.type_of(node.args[0], scope) == INT:
                return f"_i(-{operand})", True
            return f"(-{operand})", fails or null
        if kind == "ternary":
            (c, cf), (y, yf), (n, nf) = (self.emit(a, scope) for a in node.args)
            if self.may_be_null(node.args[0], scope):
                return f"({y} if _test({c}) else {n})", True
            return f"({y} if {c} else {n})", cf or yf or nf
        if kind == "binary":
            return self.binary(node, scope)
        if kind == "macro":
            return self.macro(node, scope)
        if kind == "call":
            return self.call(node, scope)
        raise CelCheckError(f"cannot compile {kind}")

    def refuse_null_comparison(self, node: Node, scope) -> None:
        """`x == null` (or `!=`) where x is never null: cel-python answers an error (false for
        a string or a bool) whatever the facts, so such a rule is refused."""
        left, right = node.args
        types = self.type_of(left, scope), self.type_of(right, scope)
        if NULL not in types:
            return
        other = right if types[0] == NULL else left
        if not self.may_be_null(other, scope):
            raise CelCheckError(f"`{_path(other)}` ({_type_name(self.type_of(other, scope))}) "
                                f"is never null: comparing it with null says nothing")

    def binary(self, node: Node, scope) -> tuple[str, bool]:  # noqa: C901
        op = node.value
        (left, lf), (right, rf) = (self.emit(a, scope) for a in node.args)
        left_null = self.may_be_null(node.args[0], scope)
        if op in ("&&", "||"):
            if lf or left_null:
                helper = "_and" if op == "&&" else "_or"
                return f"{helper}(lambda: {left}, lambda: {right})", True
            return f"({left} {'and' if op == '&&' else 'or'} {right})", rf
        kind = self.type_of(node.args[0], scope)
        null = left_null or self.may_be_null(node.args[1], scope)
        if op in ("==", "!="):
            self.refuse_null_comparison(node, scope)
            numbers = {kind, self.type_of(node.args[1], scope)} & {INT, DOUBLE}
            if null and numbers:  # a null against a number: no overload (as cel-python)
                return f"{'_eq' if op == '==' else '_ne'}({left}, {right})", True
            return f"({left} {op} {right})", lf or rf
        if op in ("<", "<=", ">", ">="):
            return f"({left} {op} {right})", lf or rf or null  # a null operand fails
        if op == "in":
            if kind == DOUBLE or (kind == INT and (
                    left_null or self.items_may_be_null(node.args[1], scope))):
                return f"_in({left}, {right})", True
            return f"({left} in {right})", lf or rf or self.may_be_null(node.args[1], scope)
        if kind == INT:
            if op == "/":
                return f"_idiv({left}, {right})", True
            if op == "%":
                return f"_imod({left}, {right})", True
            return f"_i({left} {op} {right})", True
        if kind == DOUBLE and op == "/":
            return f"_fdiv({left}, {right})", True
        return f"({left} {op} {right})", lf or rf or null  # doubles, strings, lists

    def macro(self, node: Node, scope) -> tuple[str, bool]:
        target, tf = self.emit(node.target, scope)
        tf = tf or self.may_be_null(node.target, scope)  # a null list cannot be iterated
        self.counter += 1
        variable = f"_v{self.counter}"
        inner = self.bind(node, scope, variable)
        body, bf = self.emit(node.args[0], inner)
        name = node.value
        if name == "map":
            return f"[{body} for {variable} in {target}]", tf or bf
        if name == "filter":  # a null predicate keeps no item, as cel-python
            return f"[{variable} for {variable} in {target} if {body}]", tf or bf
        if name == "exists_one":
            return f"(sum(1 for {variable} in {target} if {body}) == 1)", tf or bf
        if bf or self.may_be_null(node.args[0], inner):
            decisive = name == "exists"
            return f"_quantify({target}, lambda {variable}: {body}, {decisive})", True
        return f"{'any' if name == 'exists' else 'all'}({body} for {variable} in {target})", tf

    def call(self, node: Node, scope) -> tuple[str, bool]:
        name = node.value
        nodes = ([node.target] if node.target is not None else []) + list(node.args)
        parts = [self.emit(a, scope) for a in nodes]
        args = [p for p, _ in parts]
        # a null argument fails (a conversion of a null included: see the module's docstring)
        fails = any(f for _, f in parts) or any(self.may_be_null(a, scope) for a in nodes)
        if name == "size":
            return f"len({args[0]})", fails
        if name == "int":
            return f"_to_int({args[0]})", True
        if name == "double":
            return f"float({args[0]})", True
        if name == "string":
            return f"_to_string({args[0]})", fails
        if name in ("take", "drop"):
            count = args[1] if args[1].isdigit() else f"max({args[1]}, 0)"  # a literal: as is
            return (f"{args[0]}[:{count}]" if name == "take" else f"{args[0]}[{count}:]"), fails
        if name == "sum":
            if self.type_of(nodes[0], scope).item == DOUBLE:
                return f"sum({args[0]}, 0.0)", fails or self.items_may_be_null(nodes[0], scope)
            return f"_isum({args[0]})", True
        if name in ("max", "min"):
            return f"_{name}({args[0]}, {args[1]})", fails
        raise CelCheckError(f"unknown function `{name}`")


def compile_function(source: str, name: str) -> Callable:
    """A function generated from transpiled expressions (api/programs/catalogue.py puts a
    version's expressions in one function), with the helpers in its namespace."""
    namespace = {**_NAMESPACE, "ERRORS": ERRORS}
    exec(compile(source, "<cel>", "exec"), namespace)  # noqa: S102 - text built from the AST
    return namespace[name]


def compile_expression(node: Node, types: dict[str, Any] | None = None,
                       nullable: frozenset[str] = frozenset()) -> Compiled:
    """The expression as one Python function of the environment; CEL's errors raise
    CelError. `nullable`: the fact paths and definitions that may be null (`name[]`: a list
    that may hold one)."""
    transpiler = _Transpiler(types or {}, nullable)
    text, _ = transpiler.emit(node, {})
    code = compile(f"lambda env: {text}", "<cel>", "eval")
    function = eval(code, dict(_NAMESPACE))  # noqa: S307 - text generated above from the AST

    def evaluate(env: Env):
        try:
            return function(env)
        except _ERRORS as exc:
            raise CelError(f"{type(exc).__name__}: {exc}"[:200]) from None

    evaluate.python = text  # for reading what a rule became
    evaluate.raw = function  # raises Python's errors (ERRORS) instead of CelError: hot loops
    evaluate.may_be_null = transpiler.may_be_null(node, {})
    evaluate.null_items = isinstance(check(node, types or {}), ListOf) \
        and transpiler.items_may_be_null(node, {})
    return evaluate


# ------------------------------------------------------------------ the reference evaluator

def _to_python(value):
    if isinstance(value, celtypes.BoolType):
        return bool(value)
    if isinstance(value, celtypes.IntType | celtypes.UintType):
        return int(value)
    if isinstance(value, celtypes.DoubleType):
        return float(value)
    if isinstance(value, celtypes.StringType):
        return str(value)
    if isinstance(value, list | tuple):  # celtypes.ListType, or a plain list from `+`
        return [_to_python(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_python(v) for k, v in value.items()}
    return value


def _cel_take(items, count):
    return celtypes.ListType(list(items)[:max(int(count), 0)])


def _cel_drop(items, count):
    return celtypes.ListType(list(items)[max(int(count), 0):])


def _cel_sum(items):
    values = list(items)
    total = celtypes.DoubleType(0.0) if values and isinstance(
        values[0], celtypes.DoubleType) else celtypes.IntType(0)
    for value in values:
        total = total + value
    return total


def _cel_max(a, b):
    return a if a >= b else b


def _cel_min(a, b):
    return a if a <= b else b


REFERENCE_FUNCTIONS = {"take": _cel_take, "drop": _cel_drop, "sum": _cel_sum, "max": _cel_max,
                       "min": _cel_min}


def reference(text: str, env: Env):
    """The value of an expression as cel-python computes it (slow: for tests and checks);
    raises CelError for CEL's error value."""
    environment = celpy.Environment()
    try:
        program = environment.program(environment.compile(text), functions=REFERENCE_FUNCTIONS)
        value = program.evaluate({k: celpy.json_to_cel(v) for k, v in env.items()})
    except (celpy.CELEvalError, ArithmeticError, ValueError, TypeError) as exc:
        # cel-python lets a few Python errors out (int() of an infinity): CEL's error value
        raise CelError(str(exc)[:200]) from None
    if isinstance(value, celpy.CELEvalError):
        raise CelError(str(value)[:200])
    return _to_python(value)


# ------------------------------------------------------------------ one expression

@dataclass(frozen=True)
class Expression:
    """A checked, compiled expression."""

    source: str
    node: Node
    type: Any
    evaluate: Compiled

    fields: frozenset[tuple[str, str]] = frozenset()  # (struct, field) read
    may_be_null: bool = False  # its value may be null (see _Transpiler.may_be_null)
    null_items: bool = False  # a list that may hold a null

    @property
    def facts(self) -> set[str]:
        return references(self.node)


def prepare(source: str, env: dict[str, Any], expected=None,
            nullable: frozenset[str] = frozenset()) -> Expression:
    """Parse, type-check against the facts' types, and compile once. An expression nested
    deeper than Python's recursion (or its parser) goes is refused, as a fault of the file."""
    if not isinstance(source, str) or not source.strip():
        raise CelCheckError("an expression is a non-empty string")
    try:
        node = parse(source)
        result = check(node, env)
        if expected is not None and result != expected:
            raise CelCheckError(f"gives a {_type_name(result)}, a {_type_name(expected)} "
                                "is expected")
        evaluate = compile_expression(node, env, nullable)
        fields = frozenset(fields_read(node, env))
    except (RecursionError, MemoryError, SyntaxError):
        raise CelCheckError("the expression is nested too deeply") from None
    return Expression(source=source, node=node, type=result, evaluate=evaluate, fields=fields,
                      may_be_null=evaluate.may_be_null, null_items=evaluate.null_items)
