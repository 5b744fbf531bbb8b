"""Edge lists decoded into typed records (msgspec) give exactly what the dict path gives:
the same problems, in the same words, and the same edges to the store, whatever the layout
of the file; a file msgspec says no to is read the usual way."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graphkit.data.checks.typed
from graphkit.data.checks.checker import Checker
from graphkit.data.checks.edges import _TYPED_OTHERS
from graphkit.data.checks.fields import OTHER_DATE_FIELDS
from graphkit.data.checks.typed import TypedEdges, _decoder, crcs_with_tail
from graphkit.data.dates import day_span
from graphkit.data.relations import RELATIONS

TINY = Path(__file__).parent / "fixtures" / "tiny"


def _handed_over(directory: Path, typed: bool, monkeypatch) -> tuple[list[str], list]:
    """The problems a checker that trusts the schema finds (as the forked build's does),
    and what it hands the store: each edge as its line reads, and its ends."""
    handed: list = []

    def sink(edges, source, target) -> None:
        if isinstance(edges, list):
            records = [orjson.loads(orjson.dumps(edge)) for edge in edges]
        else:
            block, ends, checksums = edges.lines()
            lines = block.split(b"\n")[:-1]
            assert [len(line) + 1 for line in lines] == [
                int(end) - int(start) for start, end in zip([0, *ends[:-1]], ends, strict=True)]
            assert list(checksums) == [zlib.crc32(line) for line in lines]
            records = [orjson.loads(line) for line in lines]
            assert edges.field("date") == [record.get("date") for record in records]
            # The store's first and last days, from the pairs the checks kept (unless a
            # date bound has its say).
            days = edges.day_spans({})
            assert (days is None) == any("date_bound" in record for record in records)
            assert days is None or days == [
                (day_span(record.get("date"), None)[0], day_span(None, record.get("end"))[1])
                for record in records]
        handed.append((records, list(source), list(target)))

    with monkeypatch.context() as patched:
        if not typed:
            patched.setattr(TypedEdges, "decode", classmethod(lambda cls, data: None))
        checker = Checker(directory, None, trust_schema=True)
        checker.edge_sink = sink
        try:
            checker.run()
        except (KeyError, TypeError, AttributeError, ValueError) as error:
            return [f"tripped: {type(error).__name__}"], handed
    return [str(problem) for problem in checker.problems], handed


def test_every_edge_list_of_the_tiny_data_is_read_typed(tiny_copy, monkeypatch):
    decoded = []
    original = TypedEdges.decode.__func__

    def counting(cls, data):
        decoded.append(original(cls, data) is not None)
        return original(cls, data)

    monkeypatch.setattr(TypedEdges, "decode", classmethod(counting))
    problems, handed = _handed_over(tiny_copy, True, monkeypatch)
    assert problems == [] and decoded and all(decoded)
    assert len(decoded) == len(handed) == len(list(tiny_copy.glob("*-*-*.json")))


def test_only_the_fields_the_typed_check_looks_at_send_an_edge_elsewhere():
    """An edge with a field of OTHER_DATE_FIELDS goes to the careful checks: the typed
    check looks at those of _TYPED_OTHERS, and msgspec says no to the rest."""
    for relation in RELATIONS:
        fields = set(_decoder(relation).type.__struct_fields__)
        assert fields == {"relation", "edges", "schema"}
        edge = _decoder(relation).type.__annotations__["edges"]
        assert not (OTHER_DATE_FIELDS - set(_TYPED_OTHERS)) & set(
            edge.__args__[0].__struct_fields__)


def _layout(document: dict, layout: str) -> bytes:
    if layout == "compact":
        return orjson.dumps(document)
    if layout == "spaced":  # the standard library's separators, \u escapes
        return json.dumps(document).encode()
    if layout == "lines":  # one edge a line
        return ("{" + f'"relation": {json.dumps(document["relation"])}, "edges": [\n'
                + ",\n".join(json.dumps(edge, ensure_ascii=False)
                             for edge in document["edges"]) + "\n]}").encode()
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


SELF, TARGET = "<the source>", "<the target>"  # edits that copy one end
EDGE_FILES = sorted(path.name for path in TINY.glob("*-*-*.json"))
EDITS = st.sampled_from([
    ("source", "alise"), ("source", "acme"), ("target", "zzz"), ("target", "bob"),
    ("source", "m1"), ("date", "2023-02-30"), ("date", "2023/09"), ("date", "1999"),
    ("end", "2017"), ("end", "2030-01"), ("date_bound", "on-or-before"),
    ("date_bound", "circa"), ("origin", "globex"), ("origin", "initek"), ("origin", "alice"),
    ("destination", "acme"), ("destination", "initech"), ("round_id", "no-such-round"),
    ("amount", {"as_stated": "约1亿", "bound": "approximate", "value": 1e8}),
    ("amount", {"as_stated": "1-2亿", "bound": "range", "low": 2e8, "high": 1e8}),
    ("amount", {"as_stated": "1亿", "value": 1e8, "currency": "USD"}),
    ("sources", [{"doc": "c.txt", "quote": "x"}]), ("sources", [{"doc": "a.txt", "quote": " \n"}]),
    ("sources", [{"doc": "a.txt", "quote": "q", "attributed_to": "insiders"},
                 {"doc": "b.txt", "quote": "r"}]),
    ("id", "alice-left-acme"), ("id", "bob-joined-globex"), ("note", "引号\"和\\反斜杠\u2028"),
    ("modality", "reported"), ("role", "CEO"), ("status", "announced"), ("deal", "x"),
    ("published", "2020"), ("extra", 1), ("date", 2020), ("source", None), ("sources", "a.txt"),
    ("target", SELF), ("origin", TARGET), ("destination", TARGET),
])


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(EDGE_FILES), st.integers(0, 5), EDITS),
                      max_size=3),
       layout=st.sampled_from(["compact", "spaced", "lines", "indented"]))
def test_typed_edges_give_what_dicts_give(edits, layout, tmp_path_factory, monkeypatch):
    directory = tmp_path_factory.mktemp("data")
    for path in TINY.glob("*.json"):
        (directory / path.name).write_bytes(path.read_bytes())
    documents = {name: orjson.loads((TINY / name).read_bytes()) for name in EDGE_FILES}
    for name, index, (field, value) in edits:
        records = documents[name]["edges"]
        record = records[index % len(records)]
        if value in (SELF, TARGET):
            record[field] = record.get("source" if value == SELF else "target")
        elif value is None:
            record.pop(field, None)
        else:
            record[field] = value
    for name, document in documents.items():
        (directory / name).write_bytes(_layout(document, layout))
    assert _handed_over(directory, True, monkeypatch) == _handed_over(
        directory, False, monkeypatch)


@pytest.mark.parametrize("data", [
    b'{"relation": "model-succeeded-by", "edges": [1]}',
    b'{"relation": "model-succeeded-by", "edges": {}}',
    b'{"relation": "no-such-relation", "edges": []}',
    b'{"relation": "model-succeeded-by", "edges": [], "extra": 1}',
    b'{"relation": "model-succeeded-by", "edges": [{"id": "e", "source": "a", "target": "b", '
    b'"sources": [{"doc": "d", "quote": "q", "page": 1}]}]}',
    b'{"relation": "model-succeeded-by", "edges": [{"id": "e", "source": "a", "target": "b", '
    b'"sources": [], "date": null}]}',
    b'{"relation": "model-succeeded-by", "edges": [', b"[]", b"",
])
def test_what_is_not_an_edge_list_of_the_usual_shape_is_read_the_usual_way(data):
    assert TypedEdges.decode(data) is None


def test_a_line_is_the_edge_as_written_with_its_relation():
    data = (b'{"relation":"model-succeeded-by","edges":[ {"id":"e","source":"a",\r"target":'
            b'"b","sources":[{"doc":"d","quote":"\\u738b \\"}\\n"}]} ,{"id":"f","source":"a",'
            b'"target":"b","sources":[{"doc":"d","quote":"x"}],"note":"}"}]}')
    edges = TypedEdges.decode(data)
    block, ends, checksums = edges.kept([0, 1]).lines()
    lines = block.split(b"\n")
    assert lines[-1] == b"" and len(lines) == 3 and list(ends) == [
        len(lines[0]) + 1, len(block)]
    assert [orjson.loads(line) for line in lines[:2]] == [
        {**edge, "relation": "model-succeeded-by"}
        for edge in orjson.loads(data)["edges"]]
    assert list(checksums) == [zlib.crc32(line) for line in lines[:2]]
    assert graphkit.data.checks.typed.KeptEdges  # the writer's side of it


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=40), min_size=1, max_size=8), st.integers(0, 255),
       st.binary(max_size=30))
def test_a_checksum_with_a_new_tail_is_the_checksum_of_the_new_text(texts, last, tail):
    import numpy

    texts = [text + bytes([last]) for text in texts]
    crcs = numpy.array([zlib.crc32(text) for text in texts], dtype=numpy.uint32)
    assert crcs_with_tail(crcs, last, tail).tolist() == [
        zlib.crc32(text[:-1] + tail) for text in texts]
