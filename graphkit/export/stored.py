"""The tables of a whole dataset straight from its compiled store, a block of rows at a time.

Building the NetworkX graph of a million edges takes minutes and gigabytes, and the tables
(:mod:`graphkit.export.records`) need none of it.  :func:`store_tables` gives the same
tables as :func:`~graphkit.export.records.export_tables` gives from the graph (the same
columns and types, the same rows in the same order) from the store's files:

- the entities, the documents and the record lists (cohorts, figures, rounds, events) are
  read whole (a few hundred thousand rows at most);
- the edges are read in two passes over ``edges.jsonl``: the first learns the columns,
  their types and the order by id without keeping a row, the second makes the rows a block
  at a time, in that order (:class:`StreamedTable`);
- the moves come from the move table cached beside the store
  (:func:`graphkit.query.movetable.store_move_table`), which ``flow`` reads too.

So a Parquet or CSV export of the whole dataset holds one block of edges in memory at a
time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import orjson

from graphkit.export.flatten import _NUMBERED_KEY
from graphkit.export.records import (
    _DOCUMENT_ORDER,
    _EDGE_ORDER,
    _NODE_ORDER,
    _RECORD_ORDER,
    Layout,
    Table,
    moves_table,
    typed_record,
)

BLOCK = 1 << 16  # rows made at a time
_ENDS = ("id", "source", "target")


@dataclass(frozen=True)
class StreamedTable:
    """A table whose rows are made on demand, a block at a time: :attr:`columns` and
    :attr:`types` as a :class:`~graphkit.export.records.Table` has them, :attr:`count`
    rows, and :meth:`chunks` to make them."""

    name: str
    columns: tuple[str, ...]
    types: dict
    count: int
    make: Callable[[], Iterator[list[dict]]]

    def chunks(self) -> Iterator[list[dict]]:
        """The rows, in order, a block at a time."""
        return self.make()


def store_tables(store, moves: bool = True) -> dict[str, Table | StreamedTable]:
    """Every table of the dataset compiled in ``store`` (a
    :class:`graphkit.store.cache.Store`), as :func:`graphkit.export.records.export_tables`
    makes them from its graph, the edges as a :class:`StreamedTable`.

    >>> import os, tempfile
    >>> from graphkit.data.locate import bundled_data_dir
    >>> from graphkit.store.cache import CACHE_ENVIRONMENT, open_store
    >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
    >>> tables = store_tables(open_store(bundled_data_dir()))
    >>> list(tables)
    ['nodes', 'edges', 'documents', 'cohorts', 'events', 'figures', 'rounds', 'moves']
    >>> tables["edges"].count, sum(len(rows) for rows in tables["edges"].chunks())
    (153, 153)
    """
    from graphkit.export.records import _table
    from graphkit.query.movetable import store_move_table

    entities = store.entities()
    names = {ident: record.get("name", ident) for ident, record in entities.items()}
    nodes = [typed_record({"id": ident}, _node_attributes(entities[ident]))
             for ident in sorted(entities)]
    del entities
    tables: dict[str, Table | StreamedTable] = {
        "nodes": _table("nodes", _NODE_ORDER, nodes, every=True),
        "edges": _edge_table(store, names),
    }
    documents = [typed_record({"doc": doc}, {key: value for key, value in meta.items()
                                             if key != "doc"})
                 for doc, meta in sorted(store.sources.items())]
    tables["documents"] = _table("documents", _DOCUMENT_ORDER, documents)
    kinds = {"cohorts": store.cohorts, "figures": store.figures, "rounds": store.rounds,
             "events": store.events}
    for name in sorted(kinds):
        records = kinds[name]
        if records and all(isinstance(item, dict) for item in records):
            rows = [typed_record({"id": item["id"]} if "id" in item else {},
                                 {key: val for key, val in item.items() if key != "id"})
                    for item in records]
            tables[name] = _table(name, _RECORD_ORDER, rows)
    if moves:
        tables["moves"] = moves_table(None, store_move_table(store))
    return tables


def _node_attributes(entity: dict) -> dict:
    """What :func:`graphkit.store.graph.build_graph` keeps of an entity."""
    attributes = {"type": entity["type"], "name": entity["name"],
                  "aliases": list(entity.get("aliases", []))}
    if "description" in entity:
        attributes["description"] = entity["description"]
    return attributes


def _edge_row(record: dict, names: dict) -> dict:
    source, target = record["source"], record["target"]
    first = {"id": record["id"], "source": source, "source_name": names.get(source, source),
             "target": target, "target_name": names.get(target, target)}
    return typed_record(first, {key: value for key, value in record.items()
                                if key not in _ENDS})


def _order_key(record: dict) -> tuple:
    """:func:`graphkit.export.flatten.sorted_edges`'s order."""
    key, source, target = str(record["id"]), str(record["source"]), str(record["target"])
    numbered = _NUMBERED_KEY.fullmatch(key)
    if numbered:
        return numbered.group(1), int(numbered.group(2)), source, target
    return key, -1, source, target


def _edge_table(store, names: dict) -> StreamedTable:
    layout = Layout()
    keys = []
    for lines in store.edge_blocks():
        for line in lines:
            record = orjson.loads(line)
            layout.add(_edge_row(record, names))
            keys.append(_order_key(record))
    order = sorted(range(len(keys)), key=keys.__getitem__)
    del keys
    columns, types = layout.columns("edges", _EDGE_ORDER, every=True)

    def make() -> Iterator[list[dict]]:
        for first in range(0, len(order), BLOCK):
            yield [_edge_row(orjson.loads(line), names)
                   for line in store.edge_lines_at(order[first:first + BLOCK])]

    return StreamedTable("edges", columns, types, len(order), make)
