"""The counting units of talent flow compiled into columns, counted with NumPy.

The moves depend on the data alone: a window or a company filter only selects among them.
A :class:`MoveTable` holds each counting unit (a named person's move, or a cohort) as one
row of NumPy columns (its ends, count, foundings, date bounds and people).  The moves are
worked out for every person at once (:mod:`graphkit.query.pairing`), straight into the
columns; a row's full record (its sentence and quotes) is made only when an answer shows
it, from the edges of the move's departure, joining and founding, which the table keeps
(a cohort's record, one of a few, is kept whole).

The table of a cached dataset is written beside the cache (:func:`store_move_table`) the
first time talent flow is asked for, as data only (:func:`graphkit.store.packed.pack_blocks`:
every 4 KiB block of a column behind a SHA-256 of its own), and read back a column at a
time, when a question first needs it: counting the top pairs reads the ends, counts and
people, and only the few ids and names the answer prints (the ids and names are kept as
UTF-8 bytes with their offsets, the ids sorted, so an id's code is found by binary
search).  The edges it names are read from the cache, each checked against its CRC-32.
The cache folder is named by the data's content hash, so the table
can never outlive the data it was built from.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np

from graphkit.atomic import discard
from graphkit.collector import collector_paused
from graphkit.errors import CacheDamaged
from graphkit.query.moves import (
    COUNT_BOUNDS,
    INFERRED,
    Entities,
    FlowData,
    Inference,
    Unit,
    _cohort_units,
    _Event,
    _Move,
    _move_record,
    date_span,
    flow_data,
    published_bound,
)
from graphkit.query.pairing import NONE, distinct
from graphkit.store.packed import Blocks, Damaged, pack_blocks

TABLE_FILE = "movetable.bin"
OLDER_FILES = ("moves.bin", "moves.jsonl")  # tables an older graphkit wrote
FORMAT_VERSION = 7
NO_DAY = 0  # day ordinals start at 1, so 0 can stand for "no bound known"
NOT_HERE = -2  # the code of an id the table never mentions (-1 is "unknown company")

Window = tuple[int | None, int | None]


class MoveTable:
    """Every counting unit as one row of columns; see the module docstring.

    Codes index ``ids``, sorted so that code order is id order; ``-1`` stands for an
    unknown origin or destination.  Rows are in :func:`graphkit.query.moves.unit_order`.

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> table = MoveTable.from_data(load_graph(bundled_data_dir()))
    >>> rows = table.rows_between("openai", "anthropic")
    >>> int(table.count[rows].sum()), table.record(int(rows[0]))["kind"]
    (11, 'cohort')
    """

    def __init__(self, columns: Mapping[str, np.ndarray], ids: Sequence[str],
                 entities: Sequence[tuple[str, str] | None], cohort_ids: list[str],
                 members: dict[int, list[int]], returns: list[dict],
                 records: Callable[[list[int]], list[dict]], data: FlowData,
                 hedged: list[dict] | None = None):
        # Columns: a dict, or a mapping that reads a column when first asked for.
        self._columns = columns
        self.ids = ids if isinstance(ids, Texts) else Texts(ids)
        self.code = _Codes(self.ids)  # id -> code, by binary search (ids are sorted)
        # (name, type) by code; None for an id that is no entity
        self.entities = (entities if isinstance(entities, Described)
                         else Described.of(entities))
        self.cohort_ids = cohort_ids
        self.members = members  # cohort row -> codes of the people named in its members
        self.returns = returns
        self.hedged = hedged or []  # the hedged claims left out (see graphkit.query.moves)
        self._records = records
        # Where the moves came from: every entity, the sources, foundings and investments.
        self.data = data

    origin = property(lambda self: self._columns["origin"])
    destination = property(lambda self: self._columns["destination"])
    count = property(lambda self: self._columns["count"])
    foundings = property(lambda self: self._columns["foundings"])
    earliest = property(lambda self: self._columns["earliest"],
                        doc="first possible day, or NO_DAY")
    latest = property(lambda self: self._columns["latest"], doc="last possible day, or NO_DAY")
    cohort = property(lambda self: self._columns["cohort"],
                      doc="index into cohort_ids, or -1")
    people_start = property(lambda self: self._columns["people_start"])
    people = property(lambda self: self._columns["people"],
                      doc="row r's: people[people_start[r]:people_start[r + 1]]")
    position = property(lambda self: self._columns["position"],
                        doc="in the order units were inferred")
    # How each row's count is bounded: an index into COUNT_BOUNDS ("uncounted": a group
    # of unstated size, whose count is 0).
    bound = property(lambda self: self._columns["bound"])
    # Each row's ordered pair of ends, a number into pair_origin and pair_destination
    # (in the order of their codes); its unordered pair of known ends, a number into
    # link_first and link_second (first < second), or -1 (see _pairs).
    pair = property(lambda self: self._columns["pair"])
    pair_origin = property(lambda self: self._columns["pair_origin"])
    pair_destination = property(lambda self: self._columns["pair_destination"])
    link = property(lambda self: self._columns["link"])
    link_first = property(lambda self: self._columns["link_first"])
    link_second = property(lambda self: self._columns["link_second"])

    def __len__(self) -> int:
        return len(self.bound)  # the smallest column (a byte a row)

    # -- building --------------------------------------------------------------------

    @classmethod
    def from_data(cls, source) -> MoveTable:
        """The table of a NetworkX graph or a :class:`graphkit.query.moves.FlowData`, in memory."""
        return _inferred(flow_data(source))[0]

    # -- reading ---------------------------------------------------------------------

    def record(self, row: int) -> dict:
        """The full record of one row: its sentence, dates, people and quotes."""
        return self._records([row])[0]

    def records(self, rows: Iterable[int]) -> list[dict]:
        """The full records of ``rows``, in that order."""
        return self._records(list(rows))

    def code_of(self, ident: str | None) -> int:
        """The code of ``ident`` (``-1`` for None, the unknown company)."""
        if ident is None:
            return -1
        code = self.ids.index_of(ident)
        return NOT_HERE if code is None else code

    def codes_of(self, idents: Iterable[str]) -> np.ndarray:
        return np.array([self.code_of(ident) for ident in idents], dtype=np.int32)

    def rows_between(self, origin: str | None, destination: str | None) -> np.ndarray:
        """The rows that moved ``origin`` → ``destination`` (None is unknown), any date."""
        return np.flatnonzero((self.origin == self.code_of(origin))
                              & (self.destination == self.code_of(destination)))

    def placement(self, window: Window) -> tuple[np.ndarray, np.ndarray]:
        """Two masks over the rows: ``inside`` the window and ``uncertain`` (the date is
        too coarse to say); see :func:`graphkit.query.moves.placement`, which this mirrors."""
        start, end = window
        if start is None and end is None:
            return np.ones(len(self), dtype=bool), np.zeros(len(self), dtype=bool)
        earliest_known, latest_known = self.earliest != NO_DAY, self.latest != NO_DAY
        out = np.zeros(len(self), dtype=bool)
        inside = np.ones(len(self), dtype=bool)
        if start is not None:
            out |= latest_known & (self.latest < start)
            inside &= earliest_known & (self.earliest >= start)
        if end is not None:
            out |= earliest_known & (self.earliest > end)
            inside &= latest_known & (self.latest <= end)
        inside &= ~out
        return inside, ~(out | inside)

    def people_of(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The people of ``rows``, flattened, and for each the position in ``rows`` it
        belongs to."""
        starts = self.people_start[rows]
        lengths = self.people_start[rows + 1] - starts
        total = int(lengths.sum())
        positions = np.arange(total) + np.repeat(starts - (np.cumsum(lengths) - lengths),
                                                 lengths)
        return self.people[positions], np.repeat(np.arange(len(rows)), lengths)

    def mentioned(self, rows: np.ndarray) -> np.ndarray:
        """Codes of every entity ``rows`` mention (their ends, people and cohort members),
        sorted."""
        seen = np.zeros(len(self.ids) + 1, dtype=bool)  # seen[-1]: the unknown company
        seen[self.origin[rows]] = True
        seen[self.destination[rows]] = True
        seen[self.people_of(rows)[0]] = True
        for row in np.flatnonzero(self.cohort[rows] >= 0).tolist():
            seen[self.members.get(int(rows[row]), [])] = True
        return np.flatnonzero(seen[:-1])

    def entity_records(self, codes: Iterable[int]) -> dict[str, dict]:
        """``{"id", "name", "type"}`` by id of each code that is an entity, in id order."""
        codes = sorted(set(codes.tolist() if isinstance(codes, np.ndarray) else codes))
        found = {}
        for ident, known in zip(self.ids.take(codes), self.entities.take(codes), strict=True):
            if known is not None:
                found[ident] = {"id": ident, "name": known[0], "type": known[1]}
        return found

    def entity_record(self, ident: str) -> dict | None:
        """``{"id", "name", "type"}`` of any entity, mentioned by the table or not."""
        code = self.code.get(ident)
        if code is not None:
            return self.entity_records([code]).get(ident)
        known = self.data.nodes.get(ident)
        return None if known is None else {"id": ident, "name": known["name"],
                                           "type": known["type"]}


class Texts(Sequence):
    """Strings by number: a list, or UTF-8 bytes and their offsets (item ``i`` is
    ``data[offsets[i]:offsets[i + 1]]``), read only where asked (``data`` and ``offsets``
    may be :class:`graphkit.store.packed.BlockArray`).  ``take`` reads many at once.

    >>> texts = Texts.packed(*Texts.encode(["ab", "", "café"]))
    >>> texts[2], len(texts), texts.take([0, 2]), list(texts)
    ('café', 3, ['ab', 'café'], ['ab', '', 'café'])
    """

    def __init__(self, items: list[str] | None = None):
        self._list = items
        self._data = self._offsets = None

    @classmethod
    def packed(cls, data, offsets) -> Texts:
        texts = cls()
        texts._data, texts._offsets = data, offsets
        return texts

    @staticmethod
    def encode(items: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """The bytes and offsets of ``items``, as :meth:`packed` takes them."""
        encoded = [item.encode() for item in items]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum(np.fromiter(map(len, encoded), np.int64, len(encoded)), out=offsets[1:])
        return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets

    def __len__(self) -> int:
        return len(self._list) if self._list is not None else len(self._offsets) - 1

    def __getitem__(self, number):
        if self._list is not None:
            return self._list[number]
        if isinstance(number, slice):
            return [self[item] for item in range(*number.indices(len(self)))]
        if number < 0:
            number += len(self)
        if not 0 <= number < len(self):
            raise IndexError("text number out of range")
        start, end = int(self._offsets[number]), int(self._offsets[number + 1])
        return bytes(self._data[start:end]).decode()

    def tolist(self) -> list[str]:
        """Every item (read at once)."""
        if self._list is None:
            data = bytes(_whole(self._data))
            offsets = _whole(self._offsets).tolist()
            self._list = [data[start:end].decode()
                          for start, end in zip(offsets, offsets[1:], strict=False)]
            self._data = self._offsets = None
        return self._list

    def take(self, numbers: list[int]) -> list[str]:
        """The items ``numbers`` names, in that order (all read at once when they are many)."""
        if self._list is None and len(numbers) > len(self) // 64:
            self.tolist()
        return [self[number] for number in numbers]

    def __iter__(self) -> Iterator[str]:
        return iter(self.tolist())

    def index_of(self, text: str) -> int | None:
        """The number of ``text`` in these sorted items, or None (binary search)."""
        number = bisect.bisect_left(self, text)
        return number if number < len(self) and self[number] == text else None


def _whole(values) -> np.ndarray:
    """A column as a NumPy array (a :class:`graphkit.store.packed.BlockArray` read whole)."""
    if isinstance(values, np.ndarray):
        return values
    return np.asarray(values.whole())


class _Codes(Mapping):
    """id -> code of the sorted ids of a table, by binary search."""

    def __init__(self, ids: Texts):
        self._ids = ids

    def __getitem__(self, ident: str) -> int:
        code = self._ids.index_of(ident) if isinstance(ident, str) else None
        if code is None:
            raise KeyError(ident)
        return code

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class Described(Sequence):
    """``(name, type)`` by code, None for an id that is no entity: names as :class:`Texts`,
    types as a small number each (``-1``: no entity) into ``kinds``."""

    def __init__(self, names: Texts, kind: np.ndarray, kinds: list[str]):
        self.names, self.kind, self.kinds = names, kind, kinds

    @classmethod
    def of(cls, described: Sequence[tuple[str, str] | None]) -> Described:
        kinds = sorted({entry[1] for entry in described if entry is not None})
        number = {kind: code for code, kind in enumerate(kinds)}
        kind = np.array([-1 if entry is None else number[entry[1]] for entry in described],
                        dtype=np.int8)
        return cls(Texts(["" if entry is None else entry[0] for entry in described]),
                   kind, kinds)

    def __len__(self) -> int:
        return len(self.names)

    def __getitem__(self, code: int):
        kind = int(self.kind[code])
        return None if kind < 0 else (self.names[code], self.kinds[kind])

    def take(self, codes: list[int]) -> list[tuple[str, str] | None]:
        many = len(codes) > len(self) // 64
        kind = _whole(self.kind).tolist() if many else None
        names = self.names.take(codes)
        found = []
        for code, name in zip(codes, names, strict=True):
            number = kind[code] if many else int(self.kind[code])
            found.append(None if number < 0 else (name, self.kinds[number]))
        return found

    def __iter__(self):
        return iter(self.take(list(range(len(self)))))


def _inferred(data: FlowData) -> tuple[MoveTable, tuple]:
    """The moves in ``data`` as a table in memory, and what :func:`_write_table` keeps."""
    with collector_paused():
        entities = Entities(data.nodes)
        inference = Inference(data.moves, data.numbered)
        columns, vocabulary, kept = _compile(inference, data, entities)
    table = MoveTable(columns, *vocabulary, _record_reader(columns, vocabulary[0], kept, data),
                      data, data.hedged)
    return table, (columns, vocabulary, kept, data.hedged)


def _compile(inference: Inference, data: FlowData, entities: Entities,
             ) -> tuple[dict, tuple, dict]:
    """Columns, vocabulary (ids, entities, cohort ids, members, returns) and what the
    records are made from (:func:`_record_reader`): the cohorts' records whole, and for
    each named person's move the edges of its departure, joining and founding."""
    paired, ids = inference.paired, inference.ids
    # Cohorts count with their named members' own moves: those moves are made whole.
    named = {member for cohort in data.cohorts if cohort.get("count") is not None
             for member in cohort.get("members", [])}
    code = {ident: number for number, ident in enumerate(ids)}
    members = np.flatnonzero(np.isin(paired.person, [code[person] for person in named
                                                     if person in code]))
    member_moves = [inference.move(int(number)) for number in members]
    cohort_units = _cohort_units(entities, data.cohorts, member_moves)
    also_in = {int(number): sorted(move.also_in)
               for number, move in zip(members, member_moves, strict=True) if move.also_in}
    counted = np.ones(len(paired.person), dtype=bool)
    counted[[int(number) for number, move in zip(members, member_moves, strict=True)
             if move.absorbed_by is not None]] = False
    moves = np.flatnonzero(counted)  # the named people's moves a cohort does not count

    # Each move's date: that of its first dated event (departure, joining, founding).
    events = np.stack([paired.departure[moves], paired.joining[moves],
                       paired.founding[moves]], axis=1)
    text = np.where(events >= 0, inference.date_code[paired.date_edge[np.maximum(events, 0)]],
                    NONE)
    dated = text >= 0
    chosen = np.argmax(dated, axis=1)
    which = events[np.arange(len(moves)), chosen]
    move_text = np.where(dated.any(axis=1), text[np.arange(len(moves)), chosen], NONE)
    before = dated.any(axis=1) & paired.before[which]
    first_day = np.array([date_span(t)[1] for t in inference.texts] + [NO_DAY], np.int64)
    last_day = np.array([date_span(t)[2] for t in inference.texts] + [NO_DAY], np.int64)
    earliest = np.where(before, NO_DAY, first_day[move_text])
    latest = last_day[move_text].copy()
    for row in np.flatnonzero(move_text < 0).tolist():  # undated: by its articles' dates
        move = inference.move(int(moves[row]))
        latest[row] = published_bound(data.sources, _move_record(entities, move)["sources"]) \
            or NO_DAY

    # Units in the order they were inferred: cohorts, then the named people's moves.
    cohort_records = [unit.record for unit in cohort_units]
    texts = sorted({*inference.texts, "9999", *(record["date"] for record in cohort_records
                                                if record["date"])})
    text_rank = {value: number for number, value in enumerate(texts)}
    person_text = np.array([text_rank[value] for value in inference.texts]
                           + [text_rank["9999"]], np.int64)
    cohort_ids = sorted({record["cohort"] for record in cohort_records})
    count = len(cohort_units) + len(moves)
    date_key = np.concatenate([np.array([text_rank[record["date"] or "9999"]
                                         for record in cohort_records], np.int64),
                               person_text[move_text]])
    kind_key = np.concatenate([np.zeros(len(cohort_units), np.int64),
                               np.ones(len(moves), np.int64)])
    id_key = np.concatenate([np.array([cohort_ids.index(record["cohort"])
                                       for record in cohort_records], np.int64),
                             paired.person[moves]])
    order = np.lexsort((np.arange(count), id_key, kind_key, date_key))  # unit_order

    # The ids the table mentions, and each one's code.
    mentioned = {ident for unit in cohort_units for ident in (unit.origin, unit.destination)
                 if ident is not None}
    mentioned.update(person for unit in cohort_units for person in unit.people)
    mentioned.update(member["person"] for record in cohort_records
                     for member in record.get("members", ()))
    returns = inference.returns()
    mentioned.update(ident for back in returns for ident in (back["person"], back["company"]))
    used = distinct(np.concatenate([paired.person[moves], paired.origin[moves],
                                     paired.destination[moves]]))
    used = used[used >= 0]
    used_ids = [ids[number] for number in used.tolist()]  # sorted, as codes are
    recode = np.full(len(ids) + 1, NOT_HERE, dtype=np.int64)  # [-1]: the unknown company
    recode[-1] = -1
    extra = mentioned.difference(used_ids)
    if extra:
        table_ids = sorted(extra.union(used_ids))
        place = {ident: number for number, ident in enumerate(table_ids)}
        recode[used] = np.fromiter(map(place.__getitem__, used_ids), np.int64, len(used_ids))
    else:
        table_ids = used_ids
        recode[used] = np.arange(len(used))
    table_code = {ident: number for number, ident in enumerate(table_ids)} \
        if cohort_units or returns else {}

    def cohort_column(values) -> np.ndarray:
        return np.array(list(values), dtype=np.int64)

    cohort_people = [[table_code[person] for person in unit.people] for unit in cohort_units]
    people_lengths = np.concatenate([cohort_column(map(len, cohort_people)),
                                     np.ones(len(moves), np.int64)])[order]
    people_of = np.concatenate([cohort_column(person for people in cohort_people
                                              for person in people),
                                recode[paired.person[moves]]])
    people_start_unordered = np.concatenate([[0], np.cumsum(np.concatenate([
        cohort_column(map(len, cohort_people)), np.ones(len(moves), np.int64)]))])
    people = _gather(people_of, people_start_unordered, order)

    def both(cohort_values, person_values) -> np.ndarray:
        return np.concatenate([cohort_column(cohort_values),
                               np.asarray(person_values, dtype=np.int64)])[order]

    def end(ident):
        return -1 if ident is None else table_code[ident]

    columns = {
        "origin": both((end(unit.origin) for unit in cohort_units), recode[paired.origin[moves]]),
        "destination": both((end(unit.destination) for unit in cohort_units),
                            recode[paired.destination[moves]]),
        "count": both((unit.count for unit in cohort_units), np.ones(len(moves))),
        "foundings": both((unit.foundings for unit in cohort_units),
                          paired.founding[moves] >= 0),
        "earliest": both((_days(unit)[0] for unit in cohort_units), earliest),
        "latest": both((_days(unit, data.sources)[1] for unit in cohort_units), latest),
        "cohort": both((cohort_ids.index(record["cohort"]) for record in cohort_records),
                       np.full(len(moves), -1)),
        "people_start": np.concatenate([[0], np.cumsum(people_lengths)]),
        "people": people,
        "position": order,
        "bound": both((COUNT_BOUNDS.index(unit.bound) for unit in cohort_units),
                      np.zeros(len(moves))),
        "inferred": both((0 for _unit in cohort_units), paired.inferred[moves]),
    }
    columns.update(_pairs(columns["origin"], columns["destination"], len(table_ids)))
    columns = {name: column.astype(np.int8 if name == "bound" else
                                   np.int64 if name == "people_start" else np.int32)
               for name, column in columns.items()}
    # What each named person's move is made of: its three events' edges, dates, bounds.
    refs = data.refs if data.refs is not None else np.arange(len(data.moves))
    slot_events = np.concatenate([np.full((len(cohort_units), 3), NONE), events])[order]
    slot_events = slot_events.reshape(-1)
    sizes = np.bincount(paired.event, minlength=len(paired.event))
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    taken = np.maximum(slot_events, 0)
    lengths = np.where(slot_events >= 0, _at(sizes, taken), 0)
    slot_start = np.concatenate([[0], np.cumsum(lengths)])
    slot_edges = np.asarray(refs)[paired.merge_order[_gather(
        np.arange(len(paired.merge_order)), offsets, taken, lengths)]]
    slot_date = np.where(slot_events >= 0,
                         _at(inference.date_code, _at(paired.date_edge, taken)), NONE)
    columns.update({
        "slot_start": slot_start.astype(np.int64), "slot_edges": slot_edges.astype(np.int64),
        "slot_date": slot_date.astype(np.int32),
        "slot_before": (_at(paired.before, taken) & (slot_events >= 0)).astype(np.int8),
    })
    row_of = np.empty(count, dtype=np.int64)
    row_of[order] = np.arange(count)
    kept = {
        "texts": inference.texts,
        "cohorts": {int(row_of[number]): record
                    for number, record in enumerate(cohort_records)},
        "also_in": {int(row_of[len(cohort_units) + np.searchsorted(moves, number)]): cohorts
                    for number, cohorts in also_in.items() if counted[number]},
    }
    member_people = {int(row_of[number]): [table_code[member["person"]]
                                           for member in record.get("members", ())]
                     for number, record in enumerate(cohort_records)}
    member_people = {row: people for row, people in member_people.items() if people}
    described = entities.described(table_ids)
    return columns, (table_ids, described, cohort_ids, member_people, returns), kept


def _pairs(origin: np.ndarray, destination: np.ndarray, count: int) -> dict[str, np.ndarray]:
    """Each row's ordered pair of ends (``pair``: a number, in the order of their codes,
    the unknown company's -1 first) and, when both ends are known, its unordered pair
    (``link``, else -1), with the ends of each: counting a window's pairs is then a
    ``bincount``, with nothing to sort.

    >>> found = _pairs(np.array([0, 1, -1, 0]), np.array([1, 0, 1, 1]), 2)
    >>> [found[name].tolist() for name in ("pair", "pair_origin", "pair_destination")]
    [[1, 2, 0, 1], [-1, 0, 1], [1, 1, 0]]
    >>> [found[name].tolist() for name in ("link", "link_first", "link_second")]
    [[0, 0, -1, 0], [0], [1]]
    """
    width = count + 1  # codes shifted by one: the unknown company (-1) is 0
    keys = (origin.astype(np.int64) + 1) * width + destination + 1
    pair_keys = distinct(keys)
    known = (origin >= 0) & (destination >= 0)
    link_keys = (np.minimum(origin, destination).astype(np.int64) * width
                 + np.maximum(origin, destination))
    links = distinct(link_keys[known])
    return {"pair": np.searchsorted(pair_keys, keys),
            "pair_origin": pair_keys // width - 1, "pair_destination": pair_keys % width - 1,
            "link": np.where(known, np.searchsorted(links, link_keys), -1),
            "link_first": links // width, "link_second": links % width}


def _at(values: np.ndarray, which: np.ndarray) -> np.ndarray:
    """``values[which]``, where ``which`` may point at entry 0 of an empty ``values`` (a
    cohort's empty slot when no person moved at all: masked out by the caller)."""
    if len(values) == 0:
        return np.zeros(len(which), dtype=values.dtype)
    return values[which]


def _gather(values: np.ndarray, offsets: np.ndarray, which: np.ndarray,
            lengths: np.ndarray | None = None) -> np.ndarray:
    """``values[offsets[w]:offsets[w] + lengths[w]]`` for each ``w`` of ``which``, joined
    (``lengths`` defaults to each run's whole length)."""
    starts = offsets[which]
    if lengths is None:
        lengths = offsets[which + 1] - starts
    total = int(lengths.sum())
    positions = np.arange(total) + np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    return values[positions]


def _days(unit: Unit, registry: dict | None = None) -> tuple[int, int]:
    """The first and last day a unit's date allows (``NO_DAY`` when unknown)."""
    if unit.date is not None:
        _partial, first, last = date_span(unit.date.text)
        if unit.record.get("date_bound") == "on-or-before":
            first = NO_DAY  # only an upper bound: it may have been any time before
        return first, last
    return NO_DAY, (published_bound(registry or {}, unit.sources) or NO_DAY)


def _record_reader(columns: dict, ids: list[str], kept: dict, data: FlowData,
                   ) -> Callable[[list[int]], list[dict]]:
    """The full records of rows, made when asked for: a cohort's as kept, a named
    person's move from its edges (read from the cache, or the graph's move edges)."""
    entities = Entities(data.nodes)
    texts, cohorts, also_in = kept["texts"], kept["cohorts"], kept["also_in"]
    names = ("slot_start", "slot_edges", "slot_date", "slot_before", "origin", "destination",
             "inferred", "people", "people_start")

    def columns_for(rows: list[int]) -> list:
        """The columns a record is made from: read whole for many rows, else item by item
        (a few blocks of a column kept beside the cache)."""
        if len(rows) > 4096 or not isinstance(columns, _Columns):
            return [columns[name] for name in names]
        return [columns.items_of(name) for name in names]

    def end(code: int) -> str | None:
        return None if code < 0 else ids[code]

    def read(rows: list[int]) -> list[dict]:
        (slot_start, slot_edges, slot_date, slot_before, origin, destination, inferred,
         people, people_start) = columns_for(rows)
        wanted = [row for row in rows if row not in cohorts]
        refs = sorted({ref for row in wanted
                       for ref in slot_edges[slot_start[3 * row]:
                                             slot_start[3 * row + 3]].tolist()})
        edges = dict(zip(refs, data.move_edges(refs), strict=True))
        found = []
        for row in rows:
            if row in cohorts:
                found.append(cohorts[row])
                continue
            events = []
            for slot in range(3 * row, 3 * row + 3):
                reports = [edges[ref]
                           for ref in slot_edges[slot_start[slot]:slot_start[slot + 1]].tolist()]
                code = int(slot_date[slot])
                events.append(_Event(reports, texts[code] if code >= 0 else None,
                                     bool(slot_before[slot])) if reports else None)
            move = _Move(ids[int(people[int(people_start[row])])], end(int(origin[row])),
                         end(int(destination[row])), *events,
                         INFERRED if inferred[row] else None)
            move.also_in = list(also_in.get(row, ()))
            found.append(_move_record(entities, move))
        return found

    return read


def _int32(values: Iterable[int]) -> np.ndarray:
    return np.fromiter(values, dtype=np.int32)


# -- beside the cache -------------------------------------------------------------------


def store_move_table(store, progress: Callable[[str], None] | None = None) -> MoveTable:
    """The move table of a :class:`graphkit.store.cache.Store`: read from beside its cache, or
    built from the cached move edges (and written there) the first time.

    A missing, corrupt or truncated table is rebuilt, never trusted; when the cache folder
    is not writable, the table is built and kept in memory only.

    >>> import os, tempfile
    >>> from graphkit.data.locate import bundled_data_dir
    >>> from graphkit.store.cache import CACHE_ENVIRONMENT, open_store
    >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
    >>> store = open_store(bundled_data_dir())
    >>> built = store_move_table(store)
    >>> again = store_move_table(store)   # read back from the cache
    >>> again.records(again.rows_between("google", "openai")) == \\
    ...     built.records(built.rows_between("google", "openai"))
    True
    """
    folder = Path(store.folder)
    table = _read_table(folder, FlowData.from_store(store, moves=False))
    if table is not None:
        return table
    if progress is not None:
        progress(f"working out who moved where among {store.edge_count:,} edges "
                 "(once per change to the data)")
    table, compiled = _inferred(FlowData.from_store(store))
    _write_table(folder, *compiled)
    for older in OLDER_FILES:
        discard(folder / older)
    return table


def _write_table(folder: Path, columns: dict, vocabulary: tuple, kept: dict,
                 hedged: list[dict]) -> None:
    from graphkit.atomic import special_kind, write_bytes_atomic

    ids, described, cohort_ids, members, returns = vocabulary
    described = described if isinstance(described, Described) else Described.of(described)
    id_data, id_offsets = Texts.encode(ids)
    name_data, name_offsets = Texts.encode(described.names)
    body = pack_blocks(
        {**{f"column:{name}": column for name, column in columns.items()},
         "ids": id_data, "id_offsets": id_offsets, "names": name_data,
         "name_offsets": name_offsets, "kind": np.asarray(described.kind, dtype=np.int8)},
        {"format": FORMAT_VERSION, "kinds": described.kinds, "cohort_ids": cohort_ids,
         "members": [[row, people] for row, people in sorted(members.items())],
         "returns": returns, "hedged": hedged, "texts": kept["texts"],
         "cohorts": [[row, record] for row, record in sorted(kept["cohorts"].items())],
         "also_in": [[row, cohorts] for row, cohorts in sorted(kept["also_in"].items())]})
    try:
        if special_kind(folder / TABLE_FILE) is not None:  # a folder in the way: ours to clear
            discard(folder / TABLE_FILE)
        write_bytes_atomic(folder / TABLE_FILE, body)
    except OSError:
        pass  # a read-only cache: the table lives as long as this process


class _Columns(Mapping):
    """The columns of a table file, each read whole (every block checked) when first asked
    for; :meth:`items_of` gives one to read a few items of without reading the rest."""

    def __init__(self, blocks: Blocks, names: list[str]):
        self._blocks, self._names = blocks, names
        self._read: dict[str, np.ndarray] = {}

    def items_of(self, name: str):
        found = self._read.get(name)
        return found if found is not None else self._column(name)

    def __getitem__(self, name: str) -> np.ndarray:
        found = self._read.get(name)
        if found is None:
            found = self._read[name] = _whole(self._column(name))
        return found

    def _column(self, name: str):
        try:
            return self._blocks.array(f"column:{name}")
        except KeyError:
            raise self._blocks._fail(Damaged(f"no column {name!r}")) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _read_table(folder: Path, data: FlowData) -> MoveTable | None:
    """The table written beside the cache, or None when there is none or its header is
    damaged.  Its columns are read when first used, each block checked against its
    SHA-256 (see :mod:`graphkit.store.packed`): a damaged one removes the file and raises
    :class:`graphkit.errors.CacheDamaged` (the command then runs again, rebuilding it)."""
    path = folder / TABLE_FILE

    def damaged(error: Damaged) -> CacheDamaged:
        discard(path)
        return CacheDamaged(f"the move table {str(path)!r} was damaged ({error}); it has been "
                            "removed, and the next command rebuilds it")

    try:
        stream = open(path, "rb", buffering=0)  # noqa: SIM115 (open while the table lives)
    except OSError:
        return None
    try:
        blocks = Blocks(stream.fileno(), damaged)
        blocks.stream = stream  # closed when the last of its arrays is gone
        blocks.check_length()
        values = blocks.values
        if values["format"] != FORMAT_VERSION:
            stream.close()
            return None
        names = [name.removeprefix("column:") for name in blocks.names
                 if name.startswith("column:")]
        columns = _Columns(blocks, names)
        members = {int(row): people for row, people in values["members"]}
        kept = {"texts": values["texts"],
                "cohorts": {int(row): record for row, record in values["cohorts"]},
                "also_in": {int(row): cohorts for row, cohorts in values["also_in"]}}
        ids = Texts.packed(blocks.array("ids"), blocks.array("id_offsets"))
        entities = Described(Texts.packed(blocks.array("names"), blocks.array("name_offsets")),
                             blocks.array("kind"), list(values["kinds"]))
        reader = _record_reader(columns, ids, kept, data)
        return MoveTable(columns, ids, entities, values["cohort_ids"], members,
                         values["returns"], reader, data, values["hedged"])
    except (OSError, Damaged, KeyError, TypeError, ValueError):
        stream.close()
        return None
