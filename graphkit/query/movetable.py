"""The counting units of talent flow compiled into columns, counted with NumPy.

Inferring the moves from every person's history (:mod:`graphkit.query.moves`) takes seconds at a
million edges, yet depends on the data alone: a window or a company filter only selects
among the moves.  A :class:`MoveTable` holds each counting unit (a named person's move, or a
cohort) as one row of NumPy columns (its ends, count, foundings, date bounds and people) and
keeps each row's full record (the sentence and the quotes) apart, read only for the rows an
answer shows.

The table of a cached dataset is written beside the cache (:func:`store_move_table`) the
first time talent flow is asked for, as data only (:mod:`graphkit.store.packed`, behind a
SHA-256 of its own bytes; each record line checked against its CRC-32 when read), so
later commands read it in milliseconds.  The cache folder is named by the data's content
hash, so the table can never outlive the data it was built from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import orjson

from graphkit.atomic import discard
from graphkit.collector import collector_paused
from graphkit.errors import CacheDamaged
from graphkit.query.moves import (
    COUNT_BOUNDS,
    Entities,
    FlowData,
    Unit,
    counting_units,
    date_span,
    flow_data,
    published_bound,
    unit_order,
)
from graphkit.store.packed import Damaged, checked_line, line_checksums, pack, unpack

TABLE_FILE = "moves.bin"
RECORDS_FILE = "moves.jsonl"
FORMAT_VERSION = 4
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
        codes = set(np.unique(np.concatenate([self.origin[rows], self.destination[rows],
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


def _inferred(data: FlowData) -> tuple[MoveTable, tuple[dict, tuple, list[dict]]]:
    """The moves in ``data`` as a table in memory, and what :func:`_write_table` keeps."""
    with collector_paused():
        entities = Entities(data.nodes)
        units, returns = counting_units(data, entities)
        columns, vocabulary, records = _compile(units, returns, entities, data.sources)
    table = MoveTable(columns, *vocabulary, lambda rows: [records[row] for row in rows], data,
                      data.hedged)
    return table, (columns, vocabulary, records, data.hedged)


def _compile(units: list[Unit], returns: list[dict], entities: Entities,
             registry: dict[str, dict]) -> tuple[dict, tuple, list[dict]]:
    """Columns, vocabulary (ids, entities, cohort ids, members, returns) and records."""
    inferred = {id(unit): position for position, unit in enumerate(units)}
    units = sorted(units, key=unit_order)
    records = [unit.record for unit in units]
    member_people = [[member["person"] for member in record.get("members", ())]
                     for record in records]
    idents: set[str] = {ident for unit in units for ident in (unit.origin, unit.destination)
                        if ident is not None}
    idents.update(person for unit in units for person in unit.people)
    idents.update(person for people in member_people for person in people)
    idents.update(ident for back in returns for ident in (back["person"], back["company"]))
    ids = sorted(idents)
    code = {ident: number for number, ident in enumerate(ids)}
    cohort_ids = sorted({record["cohort"] for record in records if record["kind"] == "cohort"})
    cohort_code = {ident: number for number, ident in enumerate(cohort_ids)}
    earliest, latest = [], []
    for unit in units:
        if unit.date is not None:
            _partial, first, last = date_span(unit.date.text)
            if unit.record.get("date_bound") == "on-or-before":
                first = NO_DAY  # only an upper bound: it may have been any time before
        else:
            first, last = NO_DAY, published_bound(registry, unit.sources) or NO_DAY
        earliest.append(first)
        latest.append(last)
    lengths = [len(unit.people) for unit in units]
    columns = {
        "origin": _int32(-1 if unit.origin is None else code[unit.origin] for unit in units),
        "destination": _int32(-1 if unit.destination is None else code[unit.destination]
                              for unit in units),
        "count": _int32(unit.count for unit in units),
        "foundings": _int32(unit.foundings for unit in units),
        "earliest": _int32(earliest), "latest": _int32(latest),
        "cohort": _int32(cohort_code[record["cohort"]] if record["kind"] == "cohort" else -1
                         for record in records),
        "people_start": np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)]),
        "people": _int32(code[person] for unit in units for person in unit.people),
        "position": _int32(inferred[id(unit)] for unit in units),
        "bound": np.fromiter((COUNT_BOUNDS.index(unit.bound) for unit in units),
                             dtype=np.int8, count=len(units)),
    }
    members = {row: [code[person] for person in people]
               for row, people in enumerate(member_people) if people}
    known = [entities.records([ident]).get(ident) for ident in ids]
    described = [None if entry is None else (entry["name"], entry["type"]) for entry in known]
    return columns, (ids, described, cohort_ids, members, returns), records


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
    return table


def _write_table(folder: Path, columns: dict, vocabulary: tuple, records: list[dict],
                 hedged: list[dict]) -> None:
    from graphkit.atomic import special_kind, write_bytes_atomic

    lines = [orjson.dumps(record) for record in records]
    offsets = np.concatenate([[0], np.cumsum([len(line) + 1 for line in lines],
                                             dtype=np.int64)])
    ids, described, cohort_ids, members, returns = vocabulary
    body = pack({"format": FORMAT_VERSION, "ids": ids, "entities": described,
                 "cohort_ids": cohort_ids,
                 "members": [[row, people] for row, people in sorted(members.items())],
                 "returns": returns, "hedged": hedged},
                {**{f"column:{name}": column for name, column in columns.items()},
                 "offsets": offsets, "checksums": line_checksums(lines)})
    try:
        for name in (RECORDS_FILE, TABLE_FILE):
            if special_kind(folder / name) is not None:  # a folder in the way: ours to clear
                discard(folder / name)
        # The records first: a table on disk always has its records beside it.
        write_bytes_atomic(folder / RECORDS_FILE, b"".join(line + b"\n" for line in lines))
        write_bytes_atomic(folder / TABLE_FILE, body)
    except OSError:
        pass  # a read-only cache: the table lives as long as this process



def _read_table(folder: Path, data: FlowData) -> MoveTable | None:
    """The table written beside the cache, or None when there is none or it is damaged
    (it is data only, checked against its SHA-256; see :mod:`graphkit.store.packed`)."""
    try:
        values, arrays = unpack((folder / TABLE_FILE).read_bytes())
        offsets, checksums = arrays["offsets"], arrays["checksums"]
        if (values["format"] != FORMAT_VERSION
                or (folder / RECORDS_FILE).stat().st_size != int(offsets[-1])
                or len(checksums) != len(offsets) - 1):
            return None
        columns = {name.removeprefix("column:"): column for name, column in arrays.items()
                   if name.startswith("column:")}
        members = {int(row): people for row, people in values["members"]}
        entities = [None if entry is None else tuple(entry) for entry in values["entities"]]
    except (OSError, Damaged, KeyError, TypeError, ValueError):
        return None

    def read(rows: list[int]) -> list[dict]:
        try:
            with open(folder / RECORDS_FILE, "rb") as stream:
                found = []
                for row in rows:
                    stream.seek(int(offsets[row]))
                    line = checked_line(stream.read(int(offsets[row + 1] - offsets[row])),
                                        checksums[row], f"{RECORDS_FILE} record {row}")
                    found.append(orjson.loads(line))
                return found
        except (OSError, Damaged) as error:
            for name in (TABLE_FILE, RECORDS_FILE):
                discard(folder / name)
            raise CacheDamaged(f"the move table in {str(folder)!r} was damaged ({error}); "
                               "it has been removed, and the next command rebuilds it") from None

    return MoveTable(columns, values["ids"], entities, values["cohort_ids"], members,
                     values["returns"], read, data, values["hedged"])
