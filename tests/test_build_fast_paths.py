"""The build's fast paths give the careful paths' verdicts: jsonschema-rs before the compiled
Python schema check, and counting keys before the standard library's hunt for a key
written twice in one object."""

from __future__ import annotations

import json

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.data.checks.reading import duplicate_keys, key_count, no_duplicate_keys
from graphkit.data.validation import _fast_validator, _rust_validator, matches_schema

# Strings full of what trips a JSON scanner up: quotes, backslashes, colons, braces.
TRICKY = st.text(alphabet=st.sampled_from('ab:"\\{}[], \n\u00e9\u738b'), max_size=8)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10) | TRICKY,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TRICKY, inner, max_size=4),
    max_leaves=20)


def _keys(value) -> int:
    if isinstance(value, dict):
        return len(value) + sum(map(_keys, value.values()))
    if isinstance(value, list):
        return sum(map(_keys, value))
    return 0


@settings(max_examples=300, deadline=None)
@given(JSON, st.booleans())
def test_key_count_is_the_number_of_keys_written(document, indented):
    data = (json.dumps(document, indent=2, ensure_ascii=False).encode() if indented
            else orjson.dumps(document))
    assert key_count(data) == _keys(document)
    assert no_duplicate_keys(data, orjson.loads(data))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(TRICKY, JSON, min_size=1, max_size=4), st.data())
def test_a_key_written_twice_is_never_missed(document, data):
    """A key repeated in an object (with the same or another value) is caught, as the
    standard library's parser catches it."""
    key = data.draw(st.sampled_from(sorted(document)))
    again = data.draw(JSON)
    text = orjson.dumps(document)[:-1] + b"," + orjson.dumps(key) + b":" + orjson.dumps(again)
    text += b"}"
    parsed = orjson.loads(text)
    assert duplicate_keys(text) == [key]
    assert not no_duplicate_keys(text, parsed)


def _edges(relation: str, edge: dict) -> dict:
    return {"relation": relation, "edges": [edge]}


GOOD = {"id": "a-left-b", "source": "alice", "target": "acme", "date": "2023-05",
        "sources": [{"doc": "001.txt", "quote": "Alice left Acme."}]}
EDITS = st.sampled_from([
    ("id", "a-left-b\n"), ("id", "A-left"), ("id", "a" * 80), ("id", "a" * 81),
    ("source", "alice\n"), ("source", "ålice"), ("date", "2023-5"), ("date", "2023\n"),
    ("date", "２０２３"), ("modality", "rumored"), ("modality", "rumoured"), ("note", ""),
    ("note", 1), ("role", True), ("sources", []), ("sources", [{"doc": "x"}]),
    ("sources", [{"doc": "x", "quote": ""}]), ("extra", 1), ("end", "2022"),
    ("destination", "acme-2"), ("destination", None), ("amount", {"as_stated": "1"}),
])


@settings(max_examples=200, deadline=None)
@given(st.lists(EDITS, max_size=3),
       st.sampled_from(["person-left-company", "company-invested-in", "no-such-relation"]))
def test_the_rust_schema_check_agrees_with_the_python_one(edits, relation):
    edge = dict(GOOD)
    for field, value in edits:
        edge[field] = value
    document = _edges(relation, edge)
    try:
        _fast_validator("edges")(document)
        expected = True
    except Exception:  # noqa: BLE001 - fastjsonschema's JsonSchemaException
        expected = False
    # Never looser than the Python check (only a "no" is asked again) ...
    assert not _rust_validator("edges").is_valid(document) or expected
    # ... so the verdict is the Python check's.
    assert matches_schema("edges", document) is expected
