"""Completion compiled per plan: for an object whose selected fields all resolve at once (an
attribute or a resolver that reads only its object, nested as deep as that holds), a Python
function written for the plan completes it — straight-line code that reads each field and
writes the plain values of the usual cases (a `str` for `String`, an `int` in range for `Int`,
a member for an enum…) into the answer with no general machinery between.

Anything else a field's value may be — a null, an error, a value needing coercion, a list —
goes to the general completion (`Run.complete_field_value`), and a resolver's exception to the
general error handling (`Run.field_failed`), at the field's place: the answer, its errors and
their order are those of the general completion by construction (tests/unit/
test_engine_completion.py and tests/api/test_read_engine.py compare both with graphql-core's).

No asynchronous field lies under a compiled object, so nothing there waits and no slot is kept
for a later null: a null that must reach the object's parent leaves as `_Bubble`, exactly as
from the general completion.
"""

from __future__ import annotations

import builtins
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLFloat,
    GraphQLID,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLString,
    get_named_type,
    is_leaf_type,
)
from graphql.pyutils import Path, Undefined

from api.engine.kinds import BASIC, DIRECT, STRAWBERRY, TYPENAME

if TYPE_CHECKING:
    from api.engine.plan import FieldPlan

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


class Bubble(Exception):
    """A null reached a non-null position: the nearest nullable parent becomes null."""


def compile_plan(roots: list[FieldPlan]) -> None:
    """Give every field of an object type under `roots` whose object can be completed by a
    compiled function that function (`FieldPlan.compiled`), innermost first."""
    for fp in roots:
        _compile(fp)


def _compile(fp: FieldPlan) -> bool:
    """Compile beneath `fp`; True when `fp` itself (its value, at once) needs no waiting."""
    if fp.kind == TYPENAME:
        return True
    children_sync = all([_compile(child) for child in fp.children or ()])
    if fp.children is not None and children_sync:
        fp.compiled = _object_function(fp)
    return fp.kind in (BASIC, DIRECT) and children_sync


def _object_function(fp: FieldPlan) -> Callable[[Any, Any, Path], dict]:
    namespace: dict[str, Any] = {"Path": Path, "Undefined": Undefined, "Bubble": Bubble,
                                 "Exception": Exception, "isinstance": isinstance,
                                 "type": type, "id": id, "_isfinite": math.isfinite, "_strs": _strs}
    type_name = fp.object_type.name
    lines = ["def complete(run, source, path):", "    out = {}"]
    for index, child in enumerate(fp.children):
        lines += _field_lines(child, index, type_name, namespace)
    lines.append("    return out")
    source = "\n".join(lines)
    code = compile(source, f"<plan {type_name}>", "exec")
    exec(code, namespace)  # noqa: S102 — the source is made above from the schema's names
    function = namespace["complete"]
    function.source = source
    return function


def _field_lines(fp: FieldPlan, index: int, type_name: str, ns: dict) -> list[str]:
    key = repr(fp.key)
    if fp.kind == TYPENAME:
        return [f"    out[{key}] = {type_name!r}"]
    f = f"F{index}"
    ns[f] = fp
    if fp.kind == BASIC:
        strawberry_field = fp.definition.extensions[STRAWBERRY]
        if strawberry_field.default_resolver is builtins.getattr:
            read = f"getattr(source, {strawberry_field.python_name!r})"
            ns["getattr"] = builtins.getattr
        else:
            ns[f"R{index}"] = fp.call
            read = f"R{index}(source, None)"
    else:  # DIRECT
        ns[f"R{index}"] = fp.call
        read = f"R{index}(source)"
    lines = ["    try:", f"        v = {read}", "    except Exception as exc:",
             f"        run.field_failed({f}, exc, path, out)", "    else:"]
    slow = f"run.complete_field_value({f}, v, path, out)"
    body = _value_lines(fp, index, ns, key, slow)
    return lines + ["        " + line for line in body]


def _value_lines(fp: FieldPlan, index: int, ns: dict, key: str, slow: str) -> list[str]:
    type_ = fp.definition.type
    nullable = not isinstance(type_, GraphQLNonNull)
    null = ["if v is None:", f"    out[{key}] = None", "el"] if nullable else [""]
    named = get_named_type(type_)
    if fp.compiled is not None and fp.single_object:
        if fp.object_type.is_type_of is not None:
            return [slow]  # its check (which may fail) made by the general completion
        ns[f"C{index}"] = fp.compiled
        check = "v is not Undefined and not isinstance(v, Exception)"
        if not nullable:
            check = "v is not None and " + check
        return [*null[:-1], f"{null[-1]}if {check}:",
                f"    p = Path(path, {key}, {fp.parent.name!r})",
                "    try:",
                f"        out[{key}] = C{index}(run, v, p)",
                "    except Bubble as exc:",
                f"        run.field_failed(F{index}, exc, path, out)",
                "else:",
                f"    {slow}"]
    if not is_leaf_type(named):
        return [slow]
    item = _list_item(type_)
    if item is not None:  # a list of leaves: of strings, taken as they are
        if not _is_non_null_of(item, GraphQLString):
            return [slow]
        fast = ("type(v) is list and _strs(v)", "v[:]")
    else:
        fast = _fast_leaf(named, index, ns)
    if fast is None:  # the type's own coercion
        ns[f"S{index}"] = named.coerce_output_value
        return [*null[:-1],
                f"{null[-1]}if v is not Undefined and v is not None "
                "and not isinstance(v, Exception):",
                "    try:",
                f"        c = S{index}(v)",
                "    except Exception as exc:",
                f"        run.field_failed(F{index}, exc, path, out)",
                "    else:",
                "        if c is not None and c is not Undefined:",
                f"            out[{key}] = c",
                "        else:",
                f"            {slow}",
                "else:",
                f"    {slow}"]
    check, value = fast
    return [*null[:-1], f"{null[-1]}if {check}:", f"    out[{key}] = {value}", "else:",
            f"    {slow}"]


def _fast_leaf(named, index: int, ns: dict) -> tuple[str, str] | None:
    """(the test that a value is of the plain kind, its output) for a leaf type; None when the
    type's own coercion is to be called."""
    if named is GraphQLString or named is GraphQLID:
        return "type(v) is str", "v"
    if named is GraphQLInt:
        return f"type(v) is int and {_INT_MIN} <= v <= {_INT_MAX}", "v"
    if named is GraphQLBoolean:
        return "type(v) is bool", "v"
    if named is GraphQLFloat:
        return "type(v) is float and _isfinite(v)", "v"
    wrapped = getattr(named, "wrapped_cls", None)
    if isinstance(named, GraphQLEnumType) and wrapped is not None:
        names = _enum_names(named, wrapped)
        ns[f"E{index}"], ns[f"W{index}"] = {id(m): n for m, n in names.items()}, wrapped
        # by the member's identity: a member hashes in Python, an int does not
        return f"type(v) is W{index} and (n := E{index}.get(id(v))) is not None", "n"
    return None


def _enum_names(named: GraphQLEnumType, wrapped) -> dict:
    """Each member's name in the answer, as the type's coercion finds it (the first name whose
    value equals the member's value)."""
    names = {}
    for member in wrapped:
        for name, value in named.values.items():
            if member.value == value.value:
                names[member] = name
                break
    return names


def _list_item(type_):
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return type_.of_type if isinstance(type_, GraphQLList) else None


def _is_non_null_of(type_, named) -> bool:
    return isinstance(type_, GraphQLNonNull) and type_.of_type is named


def _strs(values: list) -> bool:
    """Every item a `str` (a loop: no generator made per list)."""
    for value in values:  # noqa: SIM110
        if type(value) is not str:
            return False
    return True


__all__ = ["Bubble", "compile_plan"]
