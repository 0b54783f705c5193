"""A response body is the JSON value json.dumps would write, ASCII only, whichever writes it."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from api.http import jsonbody

LEAVES = (st.none() | st.booleans() | st.integers(-(2**70), 2**70)
          | st.floats(allow_nan=False, allow_infinity=False) | st.text())
VALUES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=5)
                      | st.dictionaries(st.text(), inner, max_size=5), max_leaves=30)


@settings(max_examples=500)
@given(VALUES)
def test_the_body_is_the_value_json_dumps_writes(value):
    body = jsonbody.encode(value)
    assert body.isascii()
    assert json.loads(body) == json.loads(json.dumps(value))


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x7F)))
def test_ascii_text_is_written_as_json_dumps_writes_it(text):
    value = {"data": {"name": text, "n": [1, 2.5, None, True]}}
    assert jsonbody.encode(value) == json.dumps(value, separators=(",", ":")).encode()


def test_text_outside_ascii_is_escaped():
    assert jsonbody.encode({"name": "ابراهيم é"}) == (
        b'{"name":"\\u0627\\u0628\\u0631\\u0627\\u0647\\u064a\\u0645 \\u00e9"}')
