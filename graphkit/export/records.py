"""Typed tables for the tabular formats (CSV, XLSX, Parquet, the Neo4j bundle): one table per
kind of record, every column of one type.

The tables are ``nodes`` (entities), ``edges`` (one row per claim), ``documents`` (the
source registry) and one table per list of records the dataset keeps beside the graph
(``cohorts`` today; figures, rounds and events as the data model grows): whatever list of
records ``graph.graph`` holds becomes a table of the same name, so no kind is left out.

Columns follow the flat mapping of :mod:`graphkit.export` (lists as JSON plus ``NAME_text``,
objects as ``NAME_KEY``), with one difference: a partial date (``date``, ``end``,
``published``) becomes three typed columns, so spreadsheets and engines never see a mix of
years, months and days in one column:

- ``date_start``: the first day it covers (a :class:`datetime.date`),
- ``date_end``: the last day it covers,
- ``date_precision``: ``year``, ``month`` or ``day``.

``2023-09`` is ``2023-09-01``, ``2023-09-30``, ``month``; the curated text comes back as the
start cut to the precision.  ``end`` is renamed ``end_date`` first (``end_date_start``, ...).
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphkit.data.dates import parse_date
from graphkit.errors import BadArgument
from graphkit.export.flatten import (
    EDGE_COLUMNS,
    LIST_SEPARATOR,
    NODE_COLUMNS,
    item_text,
    json_text,
    renamed,
    sorted_edges,
    sorted_nodes,
)

if TYPE_CHECKING:
    import networkx as nx

# The tables an export may hold (a record kind the data adds later is written too, but an
# export folder holding files of other names is never replaced).
TABLE_NAMES = ("nodes", "edges", "documents", "cohorts", "figures", "rounds", "events",
               "moves")
# Fields holding a partial date, split into start, end and precision.
DATE_FIELDS = frozenset({"date", "end", "published"})
PRECISIONS = ("year", "month", "day")
# Column types: every value of a column is one of these (or missing).
STRING, INTEGER, NUMBER, BOOLEAN, DATE = "string", "integer", "number", "boolean", "date"

_DATE_SUFFIXES = ("_start", "_end", "_precision")
_NODE_ORDER = tuple(column for column in NODE_COLUMNS)

def _with_dates(columns) -> tuple[str, ...]:
    out = []
    for column in columns:
        if column in ("date", "end_date", "published"):
            out.extend(column + suffix for suffix in _DATE_SUFFIXES)
        else:
            out.append(column)
    return tuple(out)


_EDGE_ORDER = _with_dates(("id", "source", "source_name", "target", "target_name",
                           *(column for column in EDGE_COLUMNS
                             if column not in ("id", "source", "target"))))
_RECORD_ORDER = _with_dates(("id", "relation", "entity", "company", "from", "to", "kind",
                             "metric", "count", "count_bound", "size_as_stated", "date",
                             "end_date", "date_bound", "date_inferred", "modality"))
_DOCUMENT_ORDER = _with_dates(("doc", "title", "outlet", "publisher", "language",
                               "published"))
# Columns a reader should see as numbers even when the exported part holds none.
_NUMERIC = {"amount_value": NUMBER, "count": INTEGER}
# The parts of an amount or quantity (``amount_value``, ``quantity_low``, ...).
_QUANTITY = re.compile(r"(^|_)(value|low|high)$")


@dataclass(frozen=True)
class Table:
    """One kind of record: its column names in order, each column's type, and its rows
    (dicts; a missing key is an empty cell)."""

    name: str
    columns: tuple[str, ...]
    types: dict
    rows: tuple[dict, ...]

    @property
    def count(self) -> int:
        return len(self.rows)

    def chunks(self, size: int | None = None) -> Iterator[tuple[dict, ...]]:
        """The rows, in order, ``size`` at a time (as a streamed table gives them), or all
        at once (so a Parquet file of a table held in memory is one row group)."""
        size = size or max(len(self.rows), 1)
        for first in range(0, len(self.rows), size):
            yield self.rows[first:first + size]


def date_columns(column: str, text: str) -> dict:
    """A partial date as typed columns: first day, last day and precision.

    >>> date_columns("date", "2023-09")
    {'date_start': datetime.date(2023, 9, 1), 'date_end': datetime.date(2023, 9, 30), \
'date_precision': 'month'}
    """
    first, last, precision = _date_parts(text)
    return {f"{column}_start": first, f"{column}_end": last, f"{column}_precision": precision}


@functools.lru_cache(maxsize=1 << 14)
def _date_parts(text: str) -> tuple[datetime.date, datetime.date, str]:
    # A million edges hold a few thousand distinct dates: each is parsed once.
    date = parse_date(text)
    precision = "day" if date.day else "month" if date.month else "year"
    return date.first_day(), date.last_day(), precision


def partial_date_text(start: datetime.date | str, precision: str) -> str:
    """The curated partial date back from its start and precision.

    >>> partial_date_text(datetime.date(2023, 9, 1), "month")
    '2023-09'
    """
    text = start.isoformat() if isinstance(start, datetime.date) else str(start)
    return text[:{"year": 4, "month": 7, "day": 10}[precision]]


def typed_record(first: dict, attributes: dict) -> dict:
    """``first`` (the identifying columns) then ``attributes`` as typed flat columns.

    >>> typed_record({"id": "e"}, {"date": "2024", "aliases": ["A", "B"]})["aliases_text"]
    'A | B'
    """
    record = dict(first)
    for name, value in attributes.items():
        _typed(name, value, record)
    return record


def _typed(name: str, value, record: dict) -> None:
    column = renamed(name)
    if value is None:
        return
    if name in DATE_FIELDS and isinstance(value, str):
        try:
            parts = date_columns(column, value)
        except ValueError:
            parts = {column: value}
        for part, part_value in parts.items():
            _put(record, part, part_value)
        return
    if isinstance(value, dict):
        for part, part_value in value.items():
            _typed(f"{column}_{part}", part_value, record)
        return
    if isinstance(value, list | tuple):
        _put(record, column, json_text(value))
        if value:
            _put(record, f"{column}_text", LIST_SEPARATOR.join(item_text(item) for item in value))
        return
    _put(record, column, value)


def _put(record: dict, column: str, value) -> None:
    if column in record:
        owner = record.get("id", record.get("doc"))
        raise BadArgument(f"two attributes of {owner!r} both become column {column!r}")
    record[column] = value


def export_tables(graph: nx.MultiDiGraph, moves: bool = False) -> dict[str, Table]:
    """Every record ``graph`` holds, as typed tables: ``nodes``, ``edges``, ``documents``,
    then each list of records in ``graph.graph`` (``cohorts``, ...), by name; with ``moves``,
    also the ``moves`` table (:func:`moves_table`).

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph(sources={"a.txt": {"title": "T"}}, figures=[],
    ...                         cohorts=[{"id": "c", "count": 3}])
    >>> graph.add_edge("x", "y", key="r/0", relation="r", date="2023")
    'r/0'
    >>> tables = export_tables(graph)
    >>> sorted(tables), tables["edges"].rows[0]["date_precision"]
    (['cohorts', 'documents', 'edges', 'nodes'], 'year')
    """
    nodes = [typed_record({"id": node}, graph.nodes[node]) for node in sorted_nodes(graph)]
    edges = []
    for source, target, key, attributes in sorted_edges(graph):
        first = {"id": key, "source": source,
                 "source_name": graph.nodes[source].get("name", source),
                 "target": target, "target_name": graph.nodes[target].get("name", target)}
        edges.append(typed_record(first, attributes))
    # Entities and edges always have every documented column, so their layout is the same
    # whatever part of the data is exported.
    tables = {"nodes": _table("nodes", _NODE_ORDER, nodes, every=True),
              "edges": _table("edges", _EDGE_ORDER, edges, every=True)}
    registry = graph.graph.get("sources")
    if isinstance(registry, dict):
        documents = [typed_record({"doc": doc}, {key: value for key, value in meta.items()
                                                 if key != "doc"})
                     for doc, meta in sorted(registry.items())]
        tables["documents"] = _table("documents", _DOCUMENT_ORDER, documents)
    for name in sorted(graph.graph):
        value = graph.graph[name]
        # A kind the data holds no record of is left out (no file of column headers only).
        if name != "sources" and isinstance(value, list) and value and all(
                isinstance(item, dict) for item in value):
            records = [typed_record({"id": item["id"]} if "id" in item else {},
                                    {key: val for key, val in item.items() if key != "id"})
                       for item in value]
            tables[name] = _table(name, _RECORD_ORDER, records)
    if moves:
        tables["moves"] = moves_table(graph)
    return tables


_MOVE_ORDER = _with_dates(("kind", "person", "person_name", "cohort", "from", "from_name",
                           "to", "to_name", "count", "foundings", "date", "inferred",
                           "people", "edges", "text", "sources"))


def moves_table(graph: nx.MultiDiGraph, table=None) -> Table:
    """What ``graphkit flow`` counts, one row per counting unit: a named person's move
    (``kind`` ``person``, ``count`` 1) or a cohort (``kind`` ``cohort``, ``count`` its
    people not counted elsewhere), from ``from`` to ``to`` (empty when unknown).  Summing
    ``count`` by ``from`` and ``to`` gives flow's pairs.

    The rows come from the move table ``flow`` counts with
    (:class:`graphkit.query.movetable.MoveTable`): ``table`` when given (the one cached
    beside a store), else the table of ``graph`` worked out in memory.

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> table = moves_table(load_graph(bundled_data_dir()))
    >>> sum(row["count"] for row in table.rows
    ...     if (row.get("from"), row.get("to")) == ("google", "openai"))
    9
    """
    from graphkit.query.movetable import MoveTable

    if table is None:
        table = MoveTable.from_data(graph)
    return _table("moves", _MOVE_ORDER, list(move_rows(table)))


def move_rows(table) -> Iterator[dict]:
    """The rows of :func:`moves_table` from a :class:`graphkit.query.movetable.MoveTable`,
    in its order (:func:`graphkit.query.moves.unit_order`)."""
    import numpy as np

    ids, entities = table.ids, table.entities
    origins, destinations = table.origin.tolist(), table.destination.tolist()
    counts, foundings = table.count.tolist(), table.foundings.tolist()
    starts = table.people_start.tolist()
    people = table.people.tolist()
    names = [ident if entity is None else entity[0]
             for ident, entity in zip(ids, entities, strict=True)]
    codes = {ident: code for code, ident in enumerate(ids)}  # one lookup per row below
    for first in range(0, len(table), 4096):
        rows = range(first, min(first + 4096, len(table)))
        records = table.records(np.arange(rows.start, rows.stop))
        for number, record in zip(rows, records, strict=True):
            row = {"kind": record.get("kind"), "count": counts[number],
                   "foundings": foundings[number]}
            for end, code in (("from", origins[number]), ("to", destinations[number])):
                if code >= 0:
                    row[end] = ids[code]
                    row[f"{end}_name"] = names[code]
            if record.get("kind") == "person":
                person = record.get("person")
                row["person"] = person
                code = codes.get(person)
                row["person_name"] = person if code is None else names[code]
            else:
                row["cohort"] = record.get("cohort")
            named = [ids[code] for code in people[starts[number]:starts[number + 1]]]
            extra = {"date": record.get("date"), "inferred": record.get("inferred"),
                     "people": named or None, "edges": record.get("edges"),
                     "text": record.get("text"), "sources": record.get("sources") or None}
            yield typed_record(row, {key: value for key, value in extra.items()
                                     if value is not None})


def _table(name: str, known: tuple[str, ...], rows: list[dict], every: bool = False) -> Table:
    """A table of ``rows``: the ``known`` columns in order (all of them with ``every``, else
    those some row fills), then any other column, sorted."""
    layout = Layout()
    for row in rows:
        layout.add(row)
    columns, types = layout.columns(name, known, every)
    return Table(name, columns, types, tuple(rows))


_TEXT = (False, False, False, False)  # the flags of a column that can only be text


class Layout:
    """A table's columns and their types, learnt from its rows one at a time, so a table
    can be laid out without holding its rows (see :func:`column_kind` for the types).

    >>> layout = Layout()
    >>> layout.add({"id": "a", "n": 1}); layout.add({"id": "b", "n": 2.5, "z": True})
    >>> layout.columns("t", ("id",))
    (('id', 'n', 'z'), {'id': 'string', 'n': 'number', 'z': 'boolean'})
    """

    def __init__(self):
        self._kinds: dict[str, list[bool]] = {}

    def add(self, row: dict) -> None:
        kinds = self._kinds
        for column, value in row.items():
            flags = kinds.get(column)
            if flags is _TEXT:
                continue  # already text, whatever comes
            if flags is None:
                flags = kinds[column] = [True, True, True, True]
            boolean = isinstance(value, bool)
            number = not boolean and isinstance(value, int | float)
            # every value so far: a boolean, a number, a whole number, a date
            flags[0] = flags[0] and boolean
            flags[1] = flags[1] and number
            flags[2] = flags[2] and number and isinstance(value, int)
            flags[3] = flags[3] and isinstance(value, datetime.date)
            if not any(flags):
                kinds[column] = _TEXT

    def columns(self, name: str, known: tuple[str, ...],
                every: bool = False) -> tuple[tuple[str, ...], dict]:
        """The column names in order and each one's type."""
        present = set(self._kinds)
        columns = [column for column in known
                   if every or column in present or _always(column, name)]
        for column in sorted(present - set(columns)):
            columns.append(column)
        columns = _texts_together(_dates_together(columns))
        return tuple(columns), {column: self.kind(column) for column in columns}

    def kind(self, column: str) -> str:
        """The type of ``column``: the one every value added fits."""
        flags = self._kinds.get(column)
        if flags is None:
            return _NUMERIC.get(column, STRING)
        boolean, numeric, whole, date = flags
        if boolean:
            return BOOLEAN
        if numeric and column in _NUMERIC:
            return _NUMERIC[column]
        if numeric and _QUANTITY.search(column):
            return NUMBER  # amounts and quantities: whole numbers today, fractions tomorrow
        if whole:
            return INTEGER
        if numeric:
            return NUMBER
        if date:
            return DATE
        return STRING


def _always(column: str, table: str) -> bool:
    """The identifying columns are written even for an empty table."""
    return column in {"nodes": ("id", "name", "type"),
                      "edges": ("id", "source", "source_name", "target", "target_name",
                                "relation"),
                      "documents": ("doc",)}.get(table, ("id",))


def _dates_together(columns: list[str]) -> list[str]:
    """Keep each date's start, end and precision side by side, where the date would be."""
    ordered = []
    for column in columns:
        if column in ordered:
            continue
        for suffix in _DATE_SUFFIXES:
            if column.endswith(suffix):
                stem = column.removesuffix(suffix)
                ordered.extend(c for c in (stem + s for s in _DATE_SUFFIXES)
                               if c in columns and c not in ordered)
                break
        else:
            ordered.append(column)
    return ordered


def _texts_together(columns: list[str]) -> list[str]:
    """Put each list's readable ``NAME_text`` right after its JSON column ``NAME``."""
    texts = {column for column in columns
             if column.endswith("_text") and column.removesuffix("_text") in columns}
    ordered = []
    for column in columns:
        if column in texts:
            continue
        ordered.append(column)
        if f"{column}_text" in texts:
            ordered.append(f"{column}_text")
    return ordered


def column_kind(column: str, rows: list[dict] | tuple[dict, ...]) -> str:
    """The one type every value of ``column`` fits: ``boolean``, ``integer``, ``number``,
    ``date`` or ``string``.

    >>> column_kind("n", [{"n": 1}, {"n": 2.5}]), column_kind("n", [{"n": 1}, {}])
    ('number', 'integer')
    """
    layout = Layout()
    for row in rows:
        if column in row:
            layout.add({column: row[column]})
    return layout.kind(column)
