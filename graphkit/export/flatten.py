"""Flat records for GraphML, GEXF and CSV: each graph attribute becomes one column of text
or number (the mapping is documented in :mod:`graphkit.export`)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from graphkit.errors import BadArgument

if TYPE_CHECKING:
    import networkx as nx

LIST_SEPARATOR = " | "

NODE_COLUMNS = ("id", "name", "type", "aliases", "aliases_text", "description")
EDGE_COLUMNS = (
    "id", "source", "target", "relation", "date", "end_date", "date_bound", "date_inferred",
    "modality", "role", "origin", "destination", "status", "round", "round_id", "stake",
    "amount_as_stated", "amount_value", "amount_currency", "method", "deal", "note",
    "sources", "sources_text",
)
# Columns a tool should read as numbers even when the exported part holds none.
_NUMERIC_COLUMNS = frozenset({"amount_value"})
# Graph attributes whose flat name differs; GEXF reserves ``end`` for time intervals.
_RENAMED = {"end": "end_date"}
_NUMBERED_KEY = re.compile(r"(.*)/([0-9]+)")


def flat_node(graph: nx.MultiDiGraph, node: str) -> dict:
    """An entity as flat columns (see the module docstring for the mapping).

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_node("alice", name="Alice", type="person", aliases=["张爱丽", "Al"])
    >>> flat_node(graph, "alice")["aliases"], flat_node(graph, "alice")["aliases_text"]
    ('["张爱丽", "Al"]', '张爱丽 | Al')
    """
    record = {"id": node}
    for name, value in graph.nodes[node].items():
        _flatten(name, value, record)
    return record


def flat_edge(source: str, target: str, key: str, attributes: dict) -> dict:
    """An edge as flat columns (see the module docstring for the mapping).

    >>> edge = flat_edge("globex", "acme", "company-invested-in/0",
    ...                  {"relation": "company-invested-in", "end": "2024",
    ...                   "amount": {"as_stated": "10亿美元", "value": 1e9, "currency": "USD"},
    ...                   "sources": [{"doc": "b.txt", "quote": "Globex invested"}]})
    >>> edge["end_date"], edge["amount_value"], edge["sources_text"]
    ('2024', 1000000000.0, '[b.txt] Globex invested')
    """
    record = {"id": key, "source": source, "target": target}
    for name, value in attributes.items():
        _flatten(name, value, record)
    return record


def renamed(name: str) -> str:
    """The flat column name of attribute ``name`` (GEXF keeps ``end`` for time intervals).

    >>> renamed("end"), renamed("role")
    ('end_date', 'role')
    """
    return _RENAMED.get(name, name)


def _flatten(name: str, value, record: dict) -> None:
    column = renamed(name)
    if value is None:
        return
    if isinstance(value, dict):
        for part, part_value in value.items():
            _flatten(f"{column}_{part}", part_value, record)
        return
    if isinstance(value, list | tuple):
        _put(record, column, json_text(value))
        if value:
            _put(record, f"{column}_text",
                 LIST_SEPARATOR.join(item_text(item) for item in value))
        return
    _put(record, column, value)


def _put(record: dict, column: str, value) -> None:
    if column in record:
        raise BadArgument(f"two attributes of {record['id']!r} both become column {column!r}")
    record[column] = value


def json_text(value) -> str:
    """``value`` as JSON text: UTF-8 characters kept, keys sorted.

    >>> json_text({"b": 1, "a": ["张"]})
    '{"a": ["张"], "b": 1}'
    """
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def item_text(item) -> str:
    """One list item for reading: text as is, a citation as ``[doc] quote``.

    >>> item_text({"doc": "a.txt", "quote": "Q"})
    '[a.txt] Q'
    >>> item_text({"doc": "a.txt", "quote": "Q", "attributed_to": "WSJ"})
    '[a.txt] Q (per WSJ)'
    """
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and {"doc", "quote"} <= set(item) <= {"doc", "quote",
                                                                      "attributed_to"}:
        said = f" (per {item['attributed_to']})" if item.get("attributed_to") else ""
        return f"[{item['doc']}] {item['quote']}{said}"
    return json_text(item)


def column_order(known: tuple[str, ...], records: list[dict]) -> list[str]:
    """The ``known`` columns in order, then any other column the records hold, sorted.

    >>> column_order(("id", "name"), [{"id": "a", "zeta": 1, "beta": 2}])
    ['id', 'name', 'beta', 'zeta']
    """
    extra = sorted({column for record in records for column in record} - set(known))
    return [*known, *extra]


def column_type(column: str, records: list[dict]) -> str:
    """``boolean``, ``double`` or ``string``: the one XML type every value of ``column`` fits.

    >>> column_type("stake", [{"stake": 0.5}, {"stake": 2}, {"id": "x"}])
    'double'
    """
    values = [record[column] for record in records if column in record]
    if not values:
        return "double" if column in _NUMERIC_COLUMNS else "string"
    if all(isinstance(value, bool) for value in values):
        return "boolean"
    if all(isinstance(value, int | float) and not isinstance(value, bool) for value in values):
        return "double"
    return "string"


def cell_text(value) -> str:
    """A column value as text: booleans as ``true``/``false``, floats exactly.

    >>> cell_text(True), cell_text(0.1), cell_text("x")
    ('true', '0.1', 'x')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def sorted_nodes(graph: nx.MultiDiGraph) -> list:
    """The nodes sorted by id.

    >>> import networkx as nx
    >>> sorted_nodes(nx.MultiDiGraph([("b", "a")]))
    ['a', 'b']
    """
    return sorted(graph.nodes, key=str)


def sorted_edges(graph: nx.MultiDiGraph) -> list[tuple]:
    """The edges ``(source, target, key, attributes)``, by key (the record id; a
    ``/N`` suffix in numeric order).

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> for index in (10, 2):
    ...     _ = graph.add_edge("a", "b", key=f"r/{index}")
    >>> [key for _, _, key, _ in sorted_edges(graph)]
    ['r/2', 'r/10']
    """
    def order(edge):
        source, target, key, _ = edge
        numbered = _NUMBERED_KEY.fullmatch(str(key))
        if numbered:
            return numbered.group(1), int(numbered.group(2)), str(source), str(target)
        return str(key), -1, str(source), str(target)

    return sorted(graph.edges(keys=True, data=True), key=order)


def flat_tables(graph: nx.MultiDiGraph) -> tuple[list[dict], list[dict]]:
    """Every node and every edge as flat records, in export order.

    >>> import networkx as nx
    >>> flat_tables(nx.MultiDiGraph([("a", "b")]))[1]
    [{'id': 0, 'source': 'a', 'target': 'b'}]
    """
    nodes = [flat_node(graph, node) for node in sorted_nodes(graph)]
    edges = [flat_edge(*edge) for edge in sorted_edges(graph)]
    return nodes, edges
