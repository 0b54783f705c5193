"""A response body is what json.dumps writes (compact, ASCII), whichever writes it: the same
bytes for values without floats, the same value — types and float bits included — for any."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from api.http import jsonbody

TEXT = st.text() | st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F))
NO_FLOATS = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | TEXT
LEAVES = NO_FLOATS | st.floats(allow_nan=False, allow_infinity=False)


def tree(leaves):
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=5)
                        | st.dictionaries(TEXT, inner, max_size=5), max_leaves=30)


def same(a, b) -> bool:
    """Equal, with the same types, and floats to the bit (the sign of a zero included)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


@settings(max_examples=500)
@given(tree(NO_FLOATS))
def test_without_floats_the_body_is_the_bytes_json_dumps_writes(value):
    assert jsonbody.encode(value) == json.dumps(value, separators=(",", ":")).encode("ascii")


@settings(max_examples=500)
@given(tree(LEAVES))
def test_the_body_is_the_value_json_dumps_writes(value):
    body = jsonbody.encode(value)
    assert body.isascii()
    assert same(json.loads(body), json.loads(json.dumps(value)))


def test_text_outside_ascii_is_escaped_as_json_dumps_escapes_it():
    assert jsonbody.encode({"name": "ابراهيم é 😀\x7f"}) == (
        b'{"name":"\\u0627\\u0628\\u0631\\u0627\\u0647\\u064a\\u0645 \\u00e9 '
        b'\\ud83d\\ude00\\u007f"}')
