"""The counting units of talent flow compiled into columns, counted with NumPy.

The moves depend on the data alone: a window or a company filter only selects among them.
A :class:`MoveTable` holds each counting unit (a named person's move, or a cohort) as one
row of NumPy columns (its ends, count, foundings, date bounds and people).  The moves are
worked out for every person at once (:mod:`graphkit.query.pairing`), straight into the
columns; a row's full record (its sentence and quotes) is made only when an answer shows
it, from the edges of the move's departure, joining and founding, which the table keeps
(a cohort's record, one of a few, is kept whole).

The table of a cached dataset is written beside the cache (:func:`store_move_table`) the
first time talent flow is asked for, as data only (:mod:`graphkit.store.packed`, behind a
SHA-256 of its own bytes); the edges it names are read from the cache, each checked
against its CRC-32.  The cache folder is named by the data's content hash, so the table
can never outlive the data it was built from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
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
from graphkit.store.packed import Damaged, pack, unpack

TABLE_FILE = "moves.bin"
FORMAT_VERSION = 5
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

    def __init__(self, columns: Mapping[str, np.ndarray], ids: list[str],
                 entities: list[tuple[str, str] | None], cohort_ids: list[str],
                 members: dict[int, list[int]], returns: list[dict],
                 records: Callable[[list[int]], list[dict]], data: FlowData,
                 hedged: list[dict] | None = None):
        self.origin: np.ndarray = columns["origin"]
        self.destination: np.ndarray = columns["destination"]
        self.count: np.ndarray = columns["count"]
        self.foundings: np.ndarray = columns["foundings"]
        self.earliest: np.ndarray = columns["earliest"]  # first possible day, or NO_DAY
        self.latest: np.ndarray = columns["latest"]  # last possible day, or NO_DAY
        self.cohort: np.ndarray = columns["cohort"]  # index into cohort_ids, or -1
        self.people_start: np.ndarray = columns["people_start"]
        self.people: np.ndarray = columns["people"]  # row r's: people[people_start[r]:...[r+1]]
        self.position: np.ndarray = columns["position"]  # in the order units were inferred
        # How each row's count is bounded: an index into COUNT_BOUNDS ("uncounted": a group
        # of unstated size, whose count is 0).
        self.bound: np.ndarray = columns["bound"]
        self.ids = ids
        self.code = {ident: code for code, ident in enumerate(ids)}
        self.entities = entities  # (name, type) by code; None for an id that is no entity
        self.cohort_ids = cohort_ids
        self.members = members  # cohort row -> codes of the people named in its members
        self.returns = returns
        self.hedged = hedged or []  # the hedged claims left out (see graphkit.query.moves)
        self._records = records
        # Where the moves came from: every entity, the sources, foundings and investments.
        self.data = data

    def __len__(self) -> int:
        return len(self.origin)

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
        return -1 if ident is None else self.code.get(ident, NOT_HERE)

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

    def mentioned(self, rows: np.ndarray) -> set[int]:
        """Codes of every entity ``rows`` mention: their ends, people and cohort members."""
        codes = set(distinct(np.concatenate([self.origin[rows], self.destination[rows],
                                              self.people_of(rows)[0]])).tolist())
        for row in np.flatnonzero(self.cohort[rows] >= 0).tolist():
            codes.update(self.members.get(int(rows[row]), ()))
        codes.discard(-1)
        return codes

    def entity_records(self, codes: Iterable[int]) -> dict[str, dict]:
        """``{"id", "name", "type"}`` by id of each code that is an entity, in id order."""
        found = {}
        for code in sorted(codes):
            known = self.entities[code]
            if known is not None:
                ident = self.ids[code]
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
    slot_start, slot_edges = columns["slot_start"], columns["slot_edges"]
    slot_date, slot_before = columns["slot_date"], columns["slot_before"]
    origin, destination, inferred = (columns["origin"], columns["destination"],
                                     columns["inferred"])
    people, people_start = columns["people"], columns["people_start"]

    def end(code: int) -> str | None:
        return None if code < 0 else ids[code]

    def read(rows: list[int]) -> list[dict]:
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
            move = _Move(ids[people[people_start[row]]], end(origin[row]),
                         end(destination[row]), *events,
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
    discard(folder / "moves.jsonl")  # the records of an older graphkit's table
    return table


def _write_table(folder: Path, columns: dict, vocabulary: tuple, kept: dict,
                 hedged: list[dict]) -> None:
    from graphkit.atomic import special_kind, write_bytes_atomic

    ids, described, cohort_ids, members, returns = vocabulary
    body = pack({"format": FORMAT_VERSION, "ids": ids, "entities": described,
                 "cohort_ids": cohort_ids,
                 "members": [[row, people] for row, people in sorted(members.items())],
                 "returns": returns, "hedged": hedged, "texts": kept["texts"],
                 "cohorts": [[row, record] for row, record in sorted(kept["cohorts"].items())],
                 "also_in": [[row, cohorts] for row, cohorts in sorted(kept["also_in"].items())]},
                {f"column:{name}": column for name, column in columns.items()})
    try:
        if special_kind(folder / TABLE_FILE) is not None:  # a folder in the way: ours to clear
            discard(folder / TABLE_FILE)
        write_bytes_atomic(folder / TABLE_FILE, body)
    except OSError:
        pass  # a read-only cache: the table lives as long as this process


def _read_table(folder: Path, data: FlowData) -> MoveTable | None:
    """The table written beside the cache, or None when there is none or it is damaged
    (it is data only, checked against its SHA-256; see :mod:`graphkit.store.packed`)."""
    try:
        values, arrays = unpack((folder / TABLE_FILE).read_bytes())
        if values["format"] != FORMAT_VERSION:
            return None
        columns = {name.removeprefix("column:"): column for name, column in arrays.items()
                   if name.startswith("column:")}
        members = {int(row): people for row, people in values["members"]}
        entities = [None if entry is None else tuple(entry) for entry in values["entities"]]
        kept = {"texts": values["texts"],
                "cohorts": {int(row): record for row, record in values["cohorts"]},
                "also_in": {int(row): cohorts for row, cohorts in values["also_in"]}}
        ids = values["ids"]
        reader = _record_reader(columns, ids, kept, data)
    except (OSError, Damaged, KeyError, TypeError, ValueError):
        return None

    def read(rows: list[int]) -> list[dict]:
        try:
            return reader(rows)
        except CacheDamaged:
            discard(folder / TABLE_FILE)
            raise

    return MoveTable(columns, ids, entities, values["cohort_ids"], members,
                     values["returns"], read, data, values["hedged"])
