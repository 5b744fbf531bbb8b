"""Edge lists decoded into typed records instead of dicts, for the checks that trust the
schema (another process checks it: see :func:`graphkit.data.dataset.process_dataset`).

msgspec decodes an edge list into one small record (a ``Struct``) per edge, checking in C
that each has the fields its relation allows, of the types the checks rely on, and keeps
each edge's own bytes (``Raw``): the store's line for an edge is those bytes with its
relation added, so no edge becomes a dict, and no dict becomes JSON again.  A file it
says no to (a field the schema does not allow, a number where a text should be, anything
but an edge list) is read the usual way, with the usual messages.
"""

from __future__ import annotations

import zlib
from array import array
from collections.abc import Sequence
from functools import cache
from operator import attrgetter
from typing import Any

import msgspec
import orjson
from msgspec import UNSET, Raw, Struct, UnsetType

from graphkit.data.dates import day_span
from graphkit.data.relations import RELATIONS, Relation

# The fields any edge may carry besides its ends, id and citations (see
# graphkit.data.schema: _DATED), and those whose type the checks rely on.
_DATED_FIELDS = ("date", "end", "date_inferred", "note", "modality", "date_bound")
_TEXT_FIELDS = ("date", "end")


class _Citation(Struct, gc=False, forbid_unknown_fields=True):
    doc: str
    quote: str
    attributed_to: Any = UNSET


class _Head(Struct, gc=False, forbid_unknown_fields=True):
    relation: str
    edges: list[Raw]
    schema: Any = msgspec.field(name="$schema", default=UNSET)


_HEAD = msgspec.json.Decoder(_Head)


@cache
def _decoder(name: str) -> msgspec.json.Decoder:
    """A decoder of an edge list of the relation ``name`` into typed records."""
    relation = RELATIONS[name]
    optional = [name for name in (*_DATED_FIELDS, *relation.fields)
                if name not in ("id", "source", "target", "sources")]
    texts = {*_TEXT_FIELDS, *relation.entity_fields}
    edge = msgspec.defstruct(
        "Edge", [("id", str), ("source", str), ("target", str), ("sources", list[_Citation]),
                 *((name, str | UnsetType if name in texts else Any, UNSET)
                   for name in dict.fromkeys(optional))],
        gc=False, forbid_unknown_fields=True)
    document = msgspec.defstruct(
        "EdgeList", [("relation", str), ("edges", list[edge]),
                     ("schema", Any, msgspec.field(name="$schema", default=UNSET))],
        gc=False, forbid_unknown_fields=True)
    return msgspec.json.Decoder(document)


class TypedEdges:
    """An edge list as msgspec read it: ``records`` (typed, one per edge, a field left
    out is ``msgspec.UNSET``) and each record's own bytes in the file (``raw``).

    >>> data = b'{"relation": "model-succeeded-by", "edges": [{"id": "e", "source": "a",'
    >>> data += b' "target": "b", "sources": [{"doc": "d.txt", "quote": "q"}]}]}'
    >>> edges = TypedEdges.decode(data)
    >>> edges.relation.name, edges.records[0].target, bytes(edges.raw[0])[:9]
    ('model-succeeded-by', 'b', b'{"id": "e')
    >>> TypedEdges.decode(b'{"relation": "model-succeeded-by", "edges": [{"id": 1}]}') is None
    True
    """

    def __init__(self, relation: Relation, records: list, raw: list):
        self.relation, self.records, self.raw = relation, records, raw

    @classmethod
    def decode(cls, data: bytes) -> TypedEdges | None:
        """The edge list ``data`` (the bytes of a file), or None when it is not one of
        the usual shape (malformed, a relation not known, a field not allowed, a type
        the checks do not expect): then read it the usual way."""
        try:
            head = _HEAD.decode(data)
            relation = RELATIONS.get(head.relation)
            if relation is None:
                return None
            records = _decoder(relation.name).decode(data).edges
        except (msgspec.DecodeError, RecursionError):  # ValidationError is a DecodeError
            return None
        return cls(relation, records, head.edges)

    def record(self, index: int) -> dict:
        """Edge ``index`` as a dict, as orjson reads it from the file (for the careful
        checks and their messages)."""
        return orjson.loads(memoryview(self.raw[index]))

    def kept(self, indices: Sequence[int], pairs: list[tuple] | None = None,
             bounded: bool = True) -> KeptEdges:
        """The edges at ``indices`` (those the checks let through), to be written; their
        ``(date, end)`` pairs, if at hand, and whether one of them has a date bound."""
        if len(indices) == len(self.records):
            return KeptEdges(self.relation.name, self.records, self.raw, pairs, bounded)
        return KeptEdges(self.relation.name, [self.records[index] for index in indices],
                         [self.raw[index] for index in indices], pairs, bounded)


class KeptEdges:
    """Checked edges of one relation, as the store writes them (see
    ``graphkit.store.cache._EdgeWriter``): each one's line, and the fields of its columns.

    >>> edges = TypedEdges.decode(b'{"relation": "model-succeeded-by", "edges": [{"id": "e",'
    ...     b' "source": "a", "target": "b", "sources": [{"doc": "d", "quote": "q"}]}]}')
    >>> block, ends, checksums = edges.kept([0]).lines()
    >>> block[:12], block[-39:]
    (b'{"id": "e", ', b'"q"}],"relation":"model-succeeded-by"}\\n')
    >>> list(ends) == [len(block)], checksums[0] == zlib.crc32(block[:-1])
    (True, True)
    """

    def __init__(self, relation: str, records: list, raw: list,
                 pairs: list[tuple] | None = None, bounded: bool = True):
        self.relation, self.records, self.raw = relation, records, raw
        # Each edge's (date, end), UNSET where it has none, when the checks kept them;
        # whether some edge has a date bound (then the date alone is not its start).
        self.pairs, self.bounded = pairs, bounded

    def __len__(self) -> int:
        return len(self.records)

    def day_spans(self, known: dict) -> list[tuple[int, int]] | None:
        """Each edge's first and last day in effect as far as its dates say (the first day
        of its ``date``, the last of its ``end``: :func:`graphkit.data.dates.day_span`),
        each distinct pair worked out once (``known`` keeps them between calls); None when
        the checks did not give the pairs, or a date bound has its say.

        >>> edges = TypedEdges.decode(b'{"relation": "model-succeeded-by", "edges": [{"id": '
        ...     b'"e", "source": "a", "target": "b", "sources": [], "date": "2023"}]}')
        >>> kept = edges.kept([0], [(edges.records[0].date, edges.records[0].end)], False)
        >>> from datetime import date
        >>> from graphkit.data.dates import UNDATED_END
        >>> [(date.fromordinal(first), last == UNDATED_END) for first, last in kept.day_spans({})]
        [(datetime.date(2023, 1, 1), True)]
        """
        if self.pairs is None or self.bounded:
            return None
        for pair in set(self.pairs).difference(known):
            start, end = unset_as(list(pair), None)
            known[pair] = day_span(start, start)[0], day_span(end, end)[1]
        return list(map(known.__getitem__, self.pairs))

    def field(self, name: str) -> list:
        """Each edge's ``name`` (a date, say), None where it has none."""
        return unset_as(list(map(attrgetter(name), self.records)), None)

    def lines(self) -> tuple[bytes, Any, array]:
        """The edges' lines, each ending in a newline, as one block; where each line ends
        in the block (a NumPy array); each line's CRC-32 (without its newline).

        A line is the edge's bytes in its file with its relation added at the end: what
        orjson makes of it is the edge with its relation, as the checks saw it.  Only
        should an edge's bytes span lines (a file laid out over many lines) is it written
        anew, by orjson."""
        import numpy

        # What goes in place of each edge's closing "}": its relation, then the "}".
        tail = b',"relation":' + orjson.dumps(self.relation) + b"}"
        joined = b"\n".join(self.raw) + b"\n"
        # Each newline ends an edge (a JSON string has none): when each comes right after
        # the edge's "}", the relation goes in before every one of them.
        block = joined.replace(b"}\n", tail + b"\n")
        if (joined.count(b"\n") == len(self.raw)
                and len(block) == len(joined) + len(self.raw) * (len(tail) - 1)):
            lengths = numpy.fromiter(map(len, self.raw), numpy.int64, len(self.raw))
            lengths += len(tail) - 1
            # Each line's CRC-32 from its edge's, without slicing the block a line at a time.
            checksums = array("I", crcs_with_tail(
                numpy.fromiter(map(zlib.crc32, self.raw), numpy.uint32, len(self.raw)),
                ord("}"), tail).tobytes())
        else:
            lines = [orjson.dumps({**orjson.loads(memoryview(raw)), "relation": self.relation})
                     for raw in self.raw]
            block = b"".join(line + b"\n" for line in lines)
            lengths = numpy.fromiter(map(len, lines), numpy.int64, len(lines))
            checksums = array("I", map(zlib.crc32, lines))
        ends = numpy.cumsum(lengths + 1)
        return block, ends, checksums


_REGISTER = 0xFFFFFFFF


@cache
def _crc_table():
    """CRC-32's table (what one byte does to the register) and, by each entry's top byte
    (all 256 differ), the entry's place in it: to take a text's last byte off its CRC."""
    import numpy

    table = numpy.array([zlib.crc32(bytes([byte]), _REGISTER) ^ _REGISTER for byte in range(256)],
                        dtype=numpy.uint32)
    place = numpy.zeros(256, dtype=numpy.uint32)
    place[table >> 24] = numpy.arange(256, dtype=numpy.uint32)
    return table, place


@cache
def _tail_table(tail: bytes):
    """What carrying a CRC-32 on over ``tail`` does to it: an affine map, so the CRC of no
    text carried on, and what each byte of the CRC adds."""
    import numpy

    base = zlib.crc32(tail, 0)
    return base, numpy.array([[zlib.crc32(tail, value << (8 * byte)) ^ base
                               for value in range(256)] for byte in range(4)],
                             dtype=numpy.uint32)


def crcs_with_tail(checksums, last: int, tail: bytes):
    """The CRC-32 of each text whose CRC-32 is in ``checksums`` (a NumPy array) when its
    last byte, ``last``, gives way to ``tail``: a CRC-32 is linear, so its last byte can
    be taken off and ``tail`` carried on, for every text at once.

    >>> import numpy
    >>> texts = [b'{"a":1}', b'{"b":"}"}']
    >>> crcs = numpy.array([zlib.crc32(text) for text in texts], dtype=numpy.uint32)
    >>> crcs_with_tail(crcs, ord("}"), b',"r":2}').tolist() == [
    ...     zlib.crc32(text[:-1] + b',"r":2}') for text in texts]
    True
    """
    import numpy

    table, place = _crc_table()
    register = checksums.astype(numpy.uint32) ^ numpy.uint32(_REGISTER)
    # One byte on: register = table[(before ^ byte) & 0xFF] ^ (before >> 8); back:
    entry = place[register >> 24]
    before = ((register ^ table[entry]) << numpy.uint32(8)) | (entry ^ numpy.uint32(last))
    shorter = before ^ numpy.uint32(_REGISTER)
    base, spread = _tail_table(tail)
    result = numpy.full(len(shorter), base, dtype=numpy.uint32)
    for byte in range(4):
        result ^= spread[byte][(shorter >> numpy.uint32(8 * byte)) & numpy.uint32(0xFF)]
    return result


def unset_as(values: list, absent) -> list:
    """``values`` with each ``msgspec.UNSET`` as ``absent``.

    >>> unset_as([UNSET, "2020"], None)
    [None, '2020']
    """
    return list(map({UNSET: absent}.get, values, values)) if UNSET in values else values

