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
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphkit.data.dates import parse_date
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


def date_columns(column: str, text: str) -> dict:
    """A partial date as typed columns: first day, last day and precision.

    >>> date_columns("date", "2023-09")
    {'date_start': datetime.date(2023, 9, 1), 'date_end': datetime.date(2023, 9, 30), \
'date_precision': 'month'}
    """
    date = parse_date(text)
    precision = "day" if date.day else "month" if date.month else "year"
    return {f"{column}_start": date.first_day(), f"{column}_end": date.last_day(),
            f"{column}_precision": precision}


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
    from graphkit.errors import BadArgument

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


def moves_table(graph: nx.MultiDiGraph) -> Table:
    """What ``graphkit flow`` counts, one row per counting unit: a named person's move
    (``kind`` ``person``, ``count`` 1) or a cohort (``kind`` ``cohort``, ``count`` its
    people not counted elsewhere), from ``from`` to ``to`` (empty when unknown).  Summing
    ``count`` by ``from`` and ``to`` gives flow's pairs.

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> table = moves_table(load_graph(bundled_data_dir()))
    >>> sum(row["count"] for row in table.rows
    ...     if (row.get("from"), row.get("to")) == ("google", "openai"))
    9
    """
    from graphkit.query.moves import Entities, FlowData, counting_units, unit_order

    data = FlowData.from_graph(graph)
    units, _ = counting_units(data, Entities(data.nodes))
    rows = []
    for unit in sorted(units, key=unit_order):
        record = unit.record
        row = {"kind": record.get("kind"), "count": unit.count, "foundings": unit.foundings}
        for end, ident in (("from", unit.origin), ("to", unit.destination)):
            if ident is not None:
                row[end] = ident
                row[f"{end}_name"] = graph.nodes[ident].get("name", ident) \
                    if ident in graph else ident
        if record.get("kind") == "person":
            row["person"] = record.get("person")
            row["person_name"] = graph.nodes[row["person"]].get("name", row["person"]) \
                if row["person"] in graph else row["person"]
        else:
            row["cohort"] = record.get("cohort")
        extra = {"date": unit.date.text if unit.date is not None else None,
                 "inferred": record.get("inferred"),
                 "people": list(unit.people) or None,
                 "edges": record.get("edges"), "text": record.get("text"),
                 "sources": list(unit.sources) or None}
        rows.append(typed_record(row, {key: value for key, value in extra.items()
                                       if value is not None}))
    return _table("moves", _MOVE_ORDER, rows)


def _table(name: str, known: tuple[str, ...], rows: list[dict], every: bool = False) -> Table:
    """A table of ``rows``: the ``known`` columns in order (all of them with ``every``, else
    those some row fills), then any other column, sorted."""
    present = {column for row in rows for column in row}
    columns = [column for column in known
               if every or column in present or _always(column, name)]
    for column in sorted(present - set(columns)):
        columns.append(column)
    columns = _texts_together(_dates_together(columns))
    types = {column: column_kind(column, rows) for column in columns}
    return Table(name, tuple(columns), types, tuple(rows))


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
    values = [row[column] for row in rows if column in row]
    if not values:
        return _NUMERIC.get(column, STRING)
    if all(isinstance(value, bool) for value in values):
        return BOOLEAN
    numeric = all(isinstance(value, int | float) and not isinstance(value, bool)
                  for value in values)
    if numeric and column in _NUMERIC:
        return _NUMERIC[column]
    if numeric and _QUANTITY.search(column):
        return NUMBER  # amounts and quantities: whole numbers today, fractions tomorrow
    if all(isinstance(value, int) and not isinstance(value, bool) for value in values):
        return INTEGER
    if all(isinstance(value, int | float) and not isinstance(value, bool) for value in values):
        return NUMBER
    if all(isinstance(value, datetime.date) for value in values):
        return DATE
    return STRING
