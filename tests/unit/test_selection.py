"""`selects`: does a field's selection reach a name beneath it, through fragments — decided once
per field of a parsed document, for every node of the field."""

from __future__ import annotations

from types import SimpleNamespace

from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from api.schema.selection import selects

DOCUMENT = """
fragment F on Query { eligibilityChanges(program: ASD) { edges { cursor } } }
query A { ...F eligibilityChanges(program: ASD) {
  edges { node { eligibility { amountLines { label } } } } } }
query B { ...F }
"""
PATH = ("edges", "node", "eligibility")
LINES = frozenset({"amountLines"})


def _info(nodes, fragments):
    return SimpleNamespace(_raw_info=SimpleNamespace(field_nodes=nodes, fragments=fragments))


def test_two_operations_sharing_a_fragment_are_decided_apart():
    document = parse(DOCUMENT)
    fragments = {d.name.value: d for d in document.definitions
                 if isinstance(d, FragmentDefinitionNode)}
    operations = {d.name.value: d for d in document.definitions
                  if isinstance(d, OperationDefinitionNode)}
    from_fragment = fragments["F"].selection_set.selections[0]
    own = operations["A"].selection_set.selections[1]
    # B's field is the fragment's node alone; A's field merges it with its own
    b = _info([from_fragment], fragments)
    a = _info([from_fragment, own], fragments)
    assert selects(b, PATH, LINES) is False
    assert selects(a, PATH, LINES) is True
    assert selects(b, PATH, LINES) is False  # and B's answer is still its own
