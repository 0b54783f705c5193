"""Program rules in CEL (Common Expression Language): parsed by cel-python, type-checked here
against the documented facts, and compiled once into Python closures.

Why compiled: measured on the bulk path (1 000 ids, a household of five members per person),
cel-python's interpreter takes about 2 ms per evaluation (its transpiling runner 0.4 ms) and the
Rust-backed `common-expression-language` about 60 µs (most of it converting the facts into CEL
values); a compiled closure takes 1–3 µs, which keeps a bulk request as fast as the rules
written in Python were. cel-python stays the reference: it parses every expression (its Lark
grammar), and `tests/unit/test_cel.py` evaluates generated expressions over generated facts
with both cel-python and the compiled closures and requires the same value or the same error.

The subset compiled is what program rules need, and every expression is checked against it
when the catalogue is loaded (a file outside it is refused, naming the key): literals (int,
double, string, bool, lists), the facts and their fields, list indexing, `!` and unary `-`,
`* / % + -` (int with int, double with double; `+` also joins strings and lists), comparisons
(`< <= > >=` on numbers and strings, `== !=` on any two values of one type), `in` on a list,
`&& ||` (with CEL's commutative errors), `? :`, the macros `exists`, `all`, `exists_one`,
`filter`, `map`, and the functions `size`, `int`, `double`, `string`, plus Sijill's own:

| function | meaning |
|---|---|
| `take(list, n)` | the first `n` items (all when fewer) |
| `drop(list, n)` | all but the first `n` items |
| `sum(list)` | the sum of a list of int (or of double); 0 for an empty list |
| `max(a, b)`, `min(a, b)` | the larger, the smaller of two int (or two double) |

As in CEL, an int is 64-bit and an overflow is an error, integer division truncates towards
zero, a double divided by zero is an infinity, and mixing int and double needs `double()` or
`int()`. An error (a null fact such as the index of an unscored household, a division by zero)
makes the expression fail as a whole; the rule engine decides what a failed criterion means.
"""

from __future__ import annotations

import math
import operator
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
        value = int(text, 0) if "x" not in text.lower() else int(text, 16)
        if not INT_MIN <= value <= INT_MAX:
            raise CelCheckError(f"integer literal out of range: {text}")
        return value
    if kind == "FLOAT_LIT":
        return float(text)
    if kind == "BOOL_LIT":
        return text == "true"
    if kind == "NULL_LIT":
        return None
    if kind in ("STRING_LIT", "MLSTRING_LIT"):
        return str(celstr(token))
    raise CelCheckError(f"{kind.lower().replace('_lit', '')} literals are not supported")


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
        if name == "int" and len(types) == 1 and types[0] in (INT, DOUBLE, STRING):
            return INT
        if name == "double" and len(types) == 1 and types[0] in (INT, DOUBLE, STRING):
            return DOUBLE
        if name == "string" and len(types) == 1 and types[0] in (INT, DOUBLE, STRING, BOOL):
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


# ------------------------------------------------------------------ compiling to closures

Env = dict[str, Any]
Compiled = Callable[[Env], Any]


def _constant(node: Node) -> tuple[bool, Any]:
    """(True, value) for a literal or a list of literals: computed once, not per evaluation."""
    if node.kind == "literal":
        return True, node.value
    if node.kind == "list":
        items = [_constant(a) for a in node.args]
        if all(known for known, _ in items):
            return True, [value for _, value in items]
    return False, None


def _fields(node: Node) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"] when the expression is a plain chain of fields."""
    if node.kind == "ident":
        return [node.value]
    if node.kind == "select":
        base = _fields(node.target)
        return None if base is None else [*base, node.value]
    return None


def _compile_fields(names: list[str]) -> Compiled:
    """A chain of fields read in one closure (the facts are maps; a null on the way is an
    error, as CEL has it)."""
    first, rest = names[0], names[1:]
    if not rest:
        return lambda env: env[first]
    if len(rest) == 1:
        (second,) = rest

        def two(env):
            try:
                return env[first][second]
            except (TypeError, KeyError) as exc:
                raise CelError(f"no field `{second}`") from exc

        return two

    def chain(env):
        value = env[first]
        try:
            for name in rest:
                value = value[name]
        except (TypeError, KeyError) as exc:
            raise CelError("no such field") from exc
        return value

    return chain


def compile_expression(node: Node) -> Compiled:  # noqa: C901 - one branch per node kind
    kind = node.kind
    known, value = _constant(node)
    if known:
        if isinstance(value, list):
            return lambda env: list(value)
        return lambda env: value
    names = _fields(node)
    if names is not None:
        return _compile_fields(names)
    if kind == "index":
        target, index = compile_expression(node.target), compile_expression(node.args[0])

        def at(env):
            items, i = target(env), index(env)
            if not 0 <= i < len(items):
                raise CelError("index out of range")
            return items[i]

        return at
    if kind == "unary":
        operand = compile_expression(node.args[0])
        if node.value == "!":
            return lambda env: not _bool(operand(env))
        return lambda env: _negate(operand(env))
    if kind == "ternary":
        condition, yes, no = (compile_expression(a) for a in node.args)
        return lambda env: yes(env) if _bool(condition(env)) else no(env)
    if kind == "list":
        items = [compile_expression(a) for a in node.args]
        return lambda env: [item(env) for item in items]
    if kind == "binary":
        return _compile_binary(node)
    if kind == "macro":
        return _compile_macro(node)
    if kind == "call":
        return _compile_call(node)
    raise CelCheckError(f"cannot compile {kind}")


def _bool(value) -> bool:
    if value is None or not isinstance(value, bool):
        raise CelError("not a bool")
    return value


def _int(value: int) -> int:
    if not INT_MIN <= value <= INT_MAX:
        raise CelError("integer overflow")
    return value


def _negate(value):
    if value is None:
        raise CelError("no matching overload for -null")
    return _int(-value) if isinstance(value, int) else -value


def _numbers(a, b) -> None:
    if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
        raise CelError("no matching overload")


def _divide(a, b):
    _numbers(a, b)
    if isinstance(a, int):
        if b == 0:
            raise CelError("divide by zero")
        quotient = abs(a) // abs(b)
        return _int(quotient if (a >= 0) == (b >= 0) else -quotient)
    if b == 0:  # IEEE 754, as CEL's doubles
        if a == 0 or a != a:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _modulo(a, b):
    _numbers(a, b)
    if b == 0:
        raise CelError("modulus by zero")
    quotient = abs(a) // abs(b)
    quotient = quotient if (a >= 0) == (b >= 0) else -quotient
    return a - b * quotient


def _plus(a, b):
    if a is None or b is None:
        raise CelError("no matching overload for +")
    if isinstance(a, int) and not isinstance(a, bool):
        return _int(a + b)
    return a + b


def _compare(op: str) -> Callable[[Any, Any], bool]:
    def compare(a, b):
        if a is None or b is None:
            raise CelError(f"no matching overload for {op} with null")
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]

    return compare


# Comparisons with a literal of the same type (the checker guarantees it): only null can fail.
_FAST_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}

_ARITHMETIC = {
    "+": _plus,
    "-": lambda a, b: (_numbers(a, b), _int(a - b) if isinstance(a, int) else a - b)[1],
    "*": lambda a, b: (_numbers(a, b), _int(a * b) if isinstance(a, int) else a * b)[1],
    "/": _divide,
    "%": _modulo,
    "==": lambda a, b: a == b and type(a) is type(b) if None not in (a, b) else a is b,
    "!=": lambda a, b: not (a == b and type(a) is type(b)) if None not in (a, b) else a is not b,
    "in": lambda a, b: any(a == item and type(a) is type(item) for item in b),
}


def _compile_binary(node: Node) -> Compiled:
    op = node.value
    left, right = (compile_expression(a) for a in node.args)
    if op in ("&&", "||"):
        # CEL's logical operators are commutative over errors: `error && false` is false,
        # `error || true` is true; otherwise the error stands.
        decisive = op == "||"

        def logical(env):
            try:
                first = _bool(left(env))
            except CelError:
                if _bool(right(env)) is decisive:
                    return decisive
                raise
            if first is decisive:
                return decisive
            return _bool(right(env))

        return logical
    apply = _compare(op) if op in ("<", "<=", ">", ">=") else _ARITHMETIC[op]
    known, constant = _constant(node.args[1])
    if known and op in _FAST_COMPARE and constant is not None:
        test = _FAST_COMPARE[op]

        def against_constant(env):
            value = left(env)
            if value is None:
                raise CelError(f"no matching overload for {op} with null")
            return test(value, constant)

        return against_constant
    if known and op == "in":
        candidates = [(item, type(item)) for item in constant]

        def within_constant(env):
            value = left(env)
            kind = type(value)
            return any(value == item and kind is item_kind for item, item_kind in candidates)

        return within_constant
    return lambda env: apply(left(env), right(env))


_UNBOUND = object()


def _compile_macro(node: Node) -> Compiled:
    """The macro's variable is bound in the environment itself while its body runs (and the
    previous binding put back after): no copy of the environment per item."""
    target, body, var, name = compile_expression(node.target), compile_expression(
        node.args[0]), node.var, node.value

    def verdicts(env, values):
        previous = env.get(var, _UNBOUND)
        try:
            out = []
            for item in values:
                env[var] = item
                out.append(body(env))
            return out
        finally:
            if previous is _UNBOUND:
                env.pop(var, None)
            else:
                env[var] = previous

    def items(env):
        values = target(env)
        if not isinstance(values, list):
            raise CelError(f"`{name}` on a non-list")
        return values

    if name == "map":
        return lambda env: verdicts(env, items(env))
    if name == "filter":
        def keep(env):
            values = items(env)
            return [item for item, verdict in zip(values, verdicts(env, values), strict=True)
                    if _bool(verdict)]

        return keep
    if name == "exists_one":
        return lambda env: sum(1 for verdict in verdicts(env, items(env)) if _bool(verdict)) == 1

    decisive = name == "exists"

    def quantifier(env):
        error = None
        values = items(env)
        previous = env.get(var, _UNBOUND)
        try:
            for item in values:
                env[var] = item
                try:
                    if _bool(body(env)) is decisive:
                        return decisive
                except CelError as exc:
                    error = exc
        finally:
            if previous is _UNBOUND:
                env.pop(var, None)
            else:
                env[var] = previous
        if error is not None:
            raise error
        return not decisive

    return quantifier


def _compile_call(node: Node) -> Compiled:  # noqa: C901 - one branch per function
    name = node.value
    args = [compile_expression(a) for a in
            (([node.target] if node.target is not None else []) + list(node.args))]
    if name == "size":
        (arg,) = args
        return lambda env: len(arg(env))
    if name == "int":
        (arg,) = args

        def to_int(env):
            value = arg(env)
            if isinstance(value, str):
                try:
                    value = int(value, 10)
                except ValueError as exc:
                    raise CelError("not an integer") from exc
            if isinstance(value, float):
                if value != value or value in (float("inf"), float("-inf")):
                    raise CelError("not a finite number")
                value = int(value)  # truncates towards zero
            return _int(value)

        return to_int
    if name == "double":
        (arg,) = args

        def to_double(env):
            value = arg(env)
            try:
                return float(value)
            except (TypeError, ValueError) as exc:
                raise CelError("not a number") from exc

        return to_double
    if name == "string":
        (arg,) = args

        def to_string(env):
            value = arg(env)
            if isinstance(value, bool):
                return "true" if value else "false"
            return str(value)

        return to_string
    if name in ("take", "drop"):
        items, count = args
        if name == "take":
            return lambda env: items(env)[:max(count(env), 0)]
        return lambda env: items(env)[max(count(env), 0):]
    if name == "sum":
        (items,) = args

        def total(env):
            values = items(env)
            result = 0.0 if values and isinstance(values[0], float) else 0
            for value in values:
                result = _plus(result, value)
            return result

        return total
    if name in ("max", "min"):
        a, b = args
        pick = max if name == "max" else min
        return lambda env: pick(a(env), b(env))
    raise CelCheckError(f"unknown function `{name}`")


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

    @property
    def facts(self) -> set[str]:
        return references(self.node)


def prepare(source: str, env: dict[str, Any], expected=None) -> Expression:
    """Parse, type-check against the facts' types, and compile once."""
    if not isinstance(source, str) or not source.strip():
        raise CelCheckError("an expression is a non-empty string")
    node = parse(source)
    result = check(node, env)
    if expected is not None and result != expected:
        raise CelCheckError(f"gives a {_type_name(result)}, a {_type_name(expected)} is expected")
    return Expression(source=source, node=node, type=result, evaluate=compile_expression(node))
