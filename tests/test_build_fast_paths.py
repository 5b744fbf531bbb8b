"""The build's fast paths give the careful paths' verdicts: jsonschema-rs before the compiled
Python schema check, and counting keys before the standard library's hunt for a key
written twice in one object."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_validate import CASES, ROOT_PROBLEMS

import graphkit.data.checks.reading
import graphkit.data.dataset
from graphkit.data.checks.checker import Checker
from graphkit.data.dataset import check_dataset, load_dataset
from graphkit.data.locate import bundled_data_dir
from graphkit.store.cache import _write_graph, open_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from generate import generate  # noqa: E402

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



def _escaping_colons(value) -> bytes:
    """``value`` as JSON, each colon in its strings written as the escape \\u003a."""
    if isinstance(value, dict):
        return b"{" + b",".join(_escaping_colons(key) + b":" + _escaping_colons(item)
                                for key, item in value.items()) + b"}"
    if isinstance(value, list):
        return b"[" + b",".join(map(_escaping_colons, value)) + b"]"
    return orjson.dumps(value).replace(b":", b"\\u003a")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(TRICKY, JSON, min_size=1, max_size=4), st.data(), st.booleans())
def test_colons_written_as_escapes_neither_hide_nor_invent_a_key_written_twice(
        document, data, twice):
    """Colons are counted to rule a repeated key out: a colon written as an escape (fewer
    colons in the file than in what was read) must not make up for a key dropped."""
    text = _escaping_colons(document)
    if twice:
        key = data.draw(st.sampled_from(sorted(document)))
        text = text[:-1] + b"," + _escaping_colons(key) + b":" + _escaping_colons(
            data.draw(JSON)) + b"}"
    assert orjson.loads(text) == json.loads(text)
    assert no_duplicate_keys(text, orjson.loads(text)) == (not duplicate_keys(text))
    assert no_duplicate_keys(text, orjson.loads(text)) == (not twice)

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


# -- the streaming build ------------------------------------------------------------------

def _whole_store(directory: Path, folder: Path) -> dict:
    """What the build wrote before it streamed: every edge loaded, then written at once."""
    folder.mkdir()
    _write_graph(load_dataset(directory), folder)
    return _contents(folder)


def _contents(folder: Path) -> dict:
    """The files the graph's half of a build writes (structure.bin with the sizes and
    SHA-256s of the others), by name."""
    return {path.name: path.read_bytes() for path in folder.iterdir()
            if path.name not in ("names.bin", "search.bin", "store.bin", ".lock")}


def _streamed_store(directory: Path, cache: Path, monkeypatch, forked: bool) -> dict:
    monkeypatch.setenv("GRAPHKIT_CACHE", str(cache))
    monkeypatch.setattr(graphkit.data.dataset, "PARALLEL_THRESHOLD", 0 if forked else 1 << 40)
    return _contents(open_store(directory).folder)


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entities=st.integers(8, 80), edges=st.integers(0, 400), seed=st.integers(0, 10**6),
       forked=st.booleans())
def test_the_streamed_store_is_the_store_of_the_whole_dataset(
        entities, edges, seed, forked, tmp_path_factory, monkeypatch):
    base = tmp_path_factory.mktemp("data")
    directory = Path(generate(base, entities, edges, seed)["directory"])
    assert _streamed_store(directory, base / "cache", monkeypatch, forked) == _whole_store(
        directory, base / "whole")


def test_the_streamed_store_of_the_bundled_data(tmp_path, monkeypatch):
    """Events that date when entities begin, date bounds, rounds, cohorts: all in."""
    directory = bundled_data_dir()
    whole = _whole_store(directory, tmp_path / "whole")
    assert _streamed_store(directory, tmp_path / "cache", monkeypatch, False) == whole
    assert _streamed_store(directory, tmp_path / "cache2", monkeypatch, True) == whole


def test_streaming_holds_one_edge_list_at_a_time(tiny_dir):
    """The checker hands each edge list over once checked and keeps none of them."""
    handed = []
    checker = Checker(tiny_dir, None)
    checker.edge_sink = lambda edges, source, target: handed.append(
        (len(edges), len(source), len(target), {edge["relation"] for edge in edges}))
    checker.run()
    assert checker.problems == [] and checker.dataset.edges == []
    assert all(count == sources == targets and len(relations) == 1
               for count, sources, targets, relations in handed)
    assert sum(count for count, *_ in handed) == len(load_dataset(tiny_dir).edges)
    assert len(handed) == len({relation for *_, (relation,) in handed}) > 3


# Every broken copy of the tiny fixture that test_validate.py checks the messages of.
BROKEN = {**CASES, **ROOT_PROBLEMS}


@pytest.mark.parametrize("large", [False, True], ids=["small", "large"])
@pytest.mark.parametrize("case", BROKEN)
def test_streamed_validation_finds_the_same_problems(case, large, tiny_copy, monkeypatch):
    """``validate`` checks one edge list at a time: the problems are exactly those of the
    whole dataset checked at once (for large data: in two processes)."""
    BROKEN[case][0](tiny_copy)
    monkeypatch.setattr(graphkit.data.checks.reading, "PARALLEL_THRESHOLD",
                        0 if large else 1 << 40)
    _, whole = check_dataset(tiny_copy)
    counted = []
    dataset, streamed = check_dataset(tiny_copy, edge_sink=lambda edges, *_: counted.append(
        len(edges)))
    assert streamed == whole and dataset.edges == []
    assert whole or sum(counted) == len(load_dataset(tiny_copy).edges)


def _round_id_of_an_edge(directory: Path) -> None:
    """An investment whose round_id is the id of an edge in an earlier edge list."""
    for path in (Path(__file__).parent / "fixtures" / "records").glob("*.json"):
        shutil.copy(path, directory / path.name)
    invested = directory / "company-invested-in.json"
    document = orjson.loads(invested.read_bytes())
    document["edges"][0]["round_id"] = "acme-developed-m1"  # company-developed-model.json
    invested.write_bytes(orjson.dumps(document))


@pytest.mark.parametrize("case", [*BROKEN, "round id of an edge", "valid"])
def test_streamed_ids_are_told_apart_exactly_even_when_every_hash_collides(
        case, tiny_copy, monkeypatch):
    """Streaming keeps 64-bit hashes of the edge ids: a hash met again is only a hint, and
    the ids themselves decide (here every id hashes alike)."""
    if case == "round id of an edge":
        _round_id_of_an_edge(tiny_copy)
    elif case != "valid":
        BROKEN[case][0](tiny_copy)
    _, whole = check_dataset(tiny_copy)
    monkeypatch.setattr(graphkit.data.checks.reading, "_id_hash", lambda ident: 7)
    _, streamed = check_dataset(tiny_copy, edge_sink=lambda *handed: None)
    assert streamed == whole
    if case == "valid":
        assert whole == []
    if case == "round id of an edge":
        assert [str(problem) for problem in whole] == [
            f"{tiny_copy / 'company-invested-in.json'}:0:round_id: 'acme-developed-m1' is not "
            "a round but another kind of record"]
