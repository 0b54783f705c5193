"""What a field's selection asks for beneath it, through fragments: used by root fields whose
reads depend on what the answer shows. Decided once per field of a parsed document (documents
are parsed once and cached, api/schema/document.py)."""

from __future__ import annotations

from graphql import FieldNode, FragmentSpreadNode, InlineFragmentNode
from strawberry.types import Info

_decided: dict[tuple[tuple[int, ...], tuple[str, ...], frozenset[str]],
               tuple[tuple, bool]] = {}


def _reaches(selection_sets, fragments, path: tuple[str, ...], names: frozenset[str],
             seen: frozenset[str] = frozenset()) -> bool:
    for selection_set in selection_sets:
        if selection_set is None:
            continue
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                name = selection.name.value
                if path:
                    if name == path[0] and _reaches([selection.selection_set], fragments,
                                                    path[1:], names, seen):
                        return True
                elif name in names:
                    return True
            elif isinstance(selection, InlineFragmentNode):
                if _reaches([selection.selection_set], fragments, path, names, seen):
                    return True
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None and fragment.name.value not in seen and _reaches(
                        [fragment.selection_set], fragments, path, names,
                        seen | {fragment.name.value}):
                    return True
    return False


def selects(info: Info, path: tuple[str, ...], names: frozenset[str]) -> bool:
    """Does the field's selection reach one of `names` along the fields of `path` (e.g.
    `household`, then `members`, `head` or `size`)? A directive is not evaluated: a field it
    may skip counts as selected."""
    raw = info._raw_info
    # by every node of the field: two operations of one document may share the first (a
    # fragment's) and differ in the others
    nodes = tuple(raw.field_nodes)
    key = (tuple(map(id, nodes)), path, names)
    decided = _decided.get(key)
    if decided is not None and all(a is b for a, b in zip(decided[0], nodes, strict=True)):
        return decided[1]
    answer = _reaches([n.selection_set for n in nodes], raw.fragments, path, names)
    if len(_decided) > 4096:
        _decided.clear()
    _decided[key] = (nodes, answer)  # the nodes are kept, so their ids are not reused meanwhile
    return answer
