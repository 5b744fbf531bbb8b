"""Exports for the tools analysts already use: GraphML, GEXF, node-link JSON and CSV.

Every writer returns bytes, so an export is built whole in memory, checked, and only then
written atomically; the same graph always gives the same bytes (nodes sorted by id, edges
by their key ``RELATION/INDEX`` in numeric order, zip entries with fixed timestamps).

Node-link JSON keeps the graph exactly as :func:`graphkit.store.graph.build_graph` makes it
(:func:`read_node_link` loads it back without loss).  GraphML, GEXF and CSV are flat: each
attribute becomes one column of text or number, by these rules:

========================  ==================================================================
graph attribute           flat columns
========================  ==================================================================
node id / edge key        the GraphML and GEXF element ``id``; column ``id`` in CSV
                          (GraphML repeats it as edge data ``edge_id``, because igraph 1.0
                          reads GraphML edge ids wrongly)
``name``                  ``name`` (GEXF: the node ``label``)
``aliases`` (list)        ``aliases``: a JSON array, e.g. ``["张爱丽", "張愛麗"]`` (exact);
                          ``aliases_text``: the items joined by `` | `` (for reading)
``sources`` (list)        ``sources``: a JSON array of ``{"doc", "quote"}`` (exact);
                          ``sources_text``: ``[doc] quote`` items joined by `` | ``
``amount`` (object)       ``amount_as_stated``, ``amount_value`` (a number; GraphML and
                          GEXF declare it ``double``), ``amount_currency``
``date``                  ``date``: as curated (``2023``, ``2023-09`` or ``2023-09-25``)
``end``                   ``end_date`` (renamed: GEXF keeps ``start``/``end`` for time)
every other field         a column of the same name, text as is
========================  ==================================================================

A column with no value is left out of the element (GraphML, GEXF) or left empty (CSV);
graphkit never stores an empty string, so an empty cell always means "not stated" (igraph
fills such gaps with ``""`` or NaN).
JSON text in columns is UTF-8 with sorted keys.  Any other list or nested object follows
the same rules (a list as JSON plus ``NAME_text``, an object as ``NAME_KEY`` columns).

GEXF is dynamic (``timeformat="date"``): an edge starts on the first day of its ``date``
and, when it has an ``end``, ends on the last day of it; an undated edge has no start and
is always present, like every node.  The edge ``label`` is its relation.

CSV is ``nodes.csv`` and ``edges.csv`` (UTF-8 with a byte-order mark, so spreadsheets
detect the encoding; RFC 4180 quoting, so commas, quotes and newlines stay inside their
cell), in a folder or a zip.  ``edges.csv`` adds ``source_name`` and ``target_name``.

XML 1.0 cannot carry most control characters (U+0000-U+001F other than tab, newline and
carriage return, and U+FFFE/U+FFFF): GraphML and GEXF refuse a graph holding one with a
:class:`~graphkit.errors.BadArgument` naming the entity or edge and the field; JSON and CSV
carry them.  Carriage returns are written as ``&#13;`` so XML readers keep them.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.atomic import write_bytes_atomic
from graphkit.data.dates import PartialDate
from graphkit.errors import BadArgument, DataError, Problem, UnknownEntity

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("graphml", "gexf", "json", "csv")
DEFAULT_DIRECTORY = Path("output")
DEFAULT_PATHS = {
    "graphml": DEFAULT_DIRECTORY / "graphkit.graphml",
    "gexf": DEFAULT_DIRECTORY / "graphkit.gexf",
    "json": DEFAULT_DIRECTORY / "graphkit.json",
    "csv": DEFAULT_DIRECTORY / "graphkit-csv",
}
CSV_FILES = ("nodes.csv", "edges.csv")
LIST_SEPARATOR = " | "

NODE_COLUMNS = ("id", "name", "type", "aliases", "aliases_text", "description")
EDGE_COLUMNS = (
    "id", "source", "target", "relation", "date", "end_date", "date_inferred",
    "role", "origin", "destination", "status", "round", "stake",
    "amount_as_stated", "amount_value", "amount_currency", "method", "deal", "note",
    "sources", "sources_text",
)
# Columns a tool should read as numbers even when the exported part holds none.
_NUMERIC_COLUMNS = frozenset({"amount_value"})
# Graph attributes whose flat name differs; GEXF reserves ``end`` for time intervals.
_RENAMED = {"end": "end_date"}

# igraph 1.0 reads GraphML edge ids wrongly (it fills them with node ids), so GraphML also
# carries the edge id as data.
GRAPHML_EDGE_ID = "edge_id"
GRAPHML_NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
GRAPHML_SCHEMA = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
GEXF_NAMESPACE = "http://www.gexf.net/1.2draft"
GEXF_SCHEMA = "http://www.gexf.net/1.2draft/gexf.xsd"
_XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Characters outside XML 1.0's Char production (surrogates cannot reach here from JSON).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_NUMBERED_KEY = re.compile(r"(.*)/([0-9]+)")
# Fixed zip entry time: the earliest a zip can record, so the bytes never depend on the clock.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Exported:
    """What an export wrote: where, in which format, and how many nodes and edges."""

    path: Path
    format: str
    nodes: int
    edges: int


# -- choosing what to export -----------------------------------------------------------------


def ego_network(graph: nx.MultiDiGraph, center: str, depth: int) -> nx.MultiDiGraph:
    """A view of the entities within ``depth`` hops of ``center`` (edges followed either way)
    and every edge among them; nothing is copied.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph([("a", "b"), ("c", "b"), ("c", "d")])
    >>> sorted(ego_network(graph, "a", 2))
    ['a', 'b', 'c']
    """
    if center not in graph:
        raise UnknownEntity(center, [])
    if depth < 0:
        raise BadArgument(f"depth must be 0 or more, not {depth}")
    reached = {center}
    frontier = [center]
    for _ in range(depth):
        following = []
        for node in frontier:
            for neighbour in (*graph.successors(node), *graph.predecessors(node)):
                if neighbour not in reached:
                    reached.add(neighbour)
                    following.append(neighbour)
        if not following:
            break
        frontier = following
    return graph.subgraph(reached)


def export_view(graph: nx.MultiDiGraph, date: PartialDate | None = None,
                relations: Iterable[str] = (), focus: str | None = None,
                depth: int = 1) -> nx.MultiDiGraph:
    """The part of ``graph`` to export: edges in effect at ``date`` (of ``relations``), then,
    with ``focus`` (an entity id), only its ego network of ``depth`` hops over those edges.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_edge("a", "b", key="k/0", relation="r", date="2020")
    'k/0'
    >>> graph.add_edge("b", "c", key="k/1", relation="r", date="2024")
    'k/1'
    >>> sorted(export_view(graph, PartialDate.parse("2022"), focus="b"))
    ['a', 'b']
    """
    from graphkit.store.graph import as_of

    view = as_of(graph, date, tuple(relations))
    return view if focus is None else ego_network(view, focus, depth)


# -- writing ---------------------------------------------------------------------------------


def output_path(export_format: str, out: Path | str | None = None) -> Path:
    """Where an export goes: ``out``, or the default under ``output/``; raise BadArgument
    when the place cannot take this export (a folder where a file goes, or the reverse).

    >>> output_path("graphml")
    PosixPath('output/graphkit.graphml')
    >>> output_path("csv", "exports/graph.zip")
    PosixPath('exports/graph.zip')
    """
    _check_format(export_format)
    if out is not None and str(out) == "":
        raise BadArgument("the output path is empty")
    path = DEFAULT_PATHS[export_format] if out is None else Path(out)
    if export_format == "csv" and not _is_zip(path):
        if path.exists() and not path.is_dir():
            raise BadArgument(f"{str(path)!r} is a file; a csv export without .zip is a folder")
        if path.is_dir():
            foreign = sorted(entry.name for entry in path.iterdir()
                             if entry.name not in CSV_FILES)
            if foreign:
                raise BadArgument(f"refusing to replace folder {str(path)!r}: it holds other "
                                  f"files ({', '.join(foreign[:3])}); choose a new folder")
    elif path.is_dir():
        raise BadArgument(f"{str(path)!r} is a folder; give a file name")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise BadArgument(f"cannot write under {str(parent)!r}: it is a file")
            break
    return path


def export_graph(graph: nx.MultiDiGraph, export_format: str,
                 out: Path | str | None = None) -> Exported:
    """Write ``graph`` as ``export_format`` to ``out`` (default under ``output/``), atomically.

    A csv export is a folder of ``nodes.csv`` and ``edges.csv``, or a zip when ``out``
    ends in ``.zip``.  Nothing is written when the graph cannot be exported.

    >>> import tempfile, networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_node("acme", name="Acme", type="company", aliases=[])
    >>> target = Path(tempfile.mkdtemp()) / "acme.graphml"
    >>> export_graph(graph, "graphml", target).nodes
    1
    """
    path = output_path(export_format, out)
    if export_format == "csv" and not _is_zip(path):
        _write_folder_atomic(path, csv_tables(graph))
    else:
        write_bytes_atomic(path, render(graph, export_format))
    return Exported(path, export_format, graph.number_of_nodes(), graph.number_of_edges())


def render(graph: nx.MultiDiGraph, export_format: str) -> bytes:
    """The bytes of one export file (csv: the zip of both tables).

    >>> import networkx as nx
    >>> render(nx.MultiDiGraph(), "json").startswith(b"{")
    True
    """
    _check_format(export_format)
    writer = {"graphml": graphml_bytes, "gexf": gexf_bytes, "json": node_link_bytes,
              "csv": csv_zip_bytes}
    return writer[export_format](graph)


def _check_format(export_format: str) -> None:
    if export_format not in FORMATS:
        raise BadArgument(f"unknown export format {export_format!r}; use one of "
                          f"{', '.join(FORMATS)}")


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def _write_folder_atomic(folder: Path, files: dict[str, bytes]) -> None:
    """Fill a fresh sibling folder, then swap it in, so no reader sees half an export."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.",
                                    suffix=".tmp"))
    retired = None
    try:
        for name, data in files.items():
            write_bytes_atomic(staging / name, data)
        staging.chmod(0o755)
        if folder.exists():
            # POSIX has no atomic swap of two folders: park the old one, then move in.
            retired = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.",
                                            suffix=".old"))
            os.replace(folder, retired / folder.name)
        os.replace(staging, folder)
    except BaseException:
        if retired is not None and not folder.exists() and (retired / folder.name).exists():
            os.replace(retired / folder.name, folder)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)


# -- node-link JSON --------------------------------------------------------------------------


def node_link_document(graph: nx.MultiDiGraph) -> dict:
    """The node-link form of ``graph`` with every attribute (also readable by
    ``networkx.node_link_graph(document, edges="edges")``).

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph(sources={}, cohorts=[])
    >>> graph.add_edge("a", "b", key="r/0", relation="r")
    'r/0'
    >>> node_link_document(graph)["edges"]
    [{'source': 'a', 'target': 'b', 'key': 'r/0', 'relation': 'r'}]
    """
    nodes = []
    for node in _sorted_nodes(graph):
        attributes = graph.nodes[node]
        if "id" in attributes:
            raise BadArgument(f"entity {node!r} has an attribute named 'id', which node-link "
                              "JSON reserves")
        nodes.append({"id": node, **attributes})
    edges = []
    for source, target, key, attributes in _sorted_edges(graph):
        clash = sorted({"source", "target", "key"} & attributes.keys())
        if clash:
            raise BadArgument(f"edge {key!r} has an attribute named {clash[0]!r}, which "
                              "node-link JSON reserves")
        edges.append({"source": source, "target": target, "key": key, **attributes})
    return {"directed": True, "multigraph": True, "graph": dict(graph.graph),
            "nodes": nodes, "edges": edges}


def node_link_bytes(graph: nx.MultiDiGraph) -> bytes:
    """``graph`` as node-link JSON: sorted keys, two-space indent, UTF-8, final newline.

    >>> import networkx as nx
    >>> node_link_bytes(nx.MultiDiGraph()).splitlines()[1]
    b'  "directed": true,'
    """
    from graphkit.present.output import to_json

    return (to_json(node_link_document(graph)) + "\n").encode("utf-8")


def read_node_link(path: Path | str) -> nx.MultiDiGraph:
    """Load a node-link JSON export back into the graph it was made from; raise
    :class:`~graphkit.errors.DataError` when the file is not one.

    >>> import tempfile, networkx as nx
    >>> graph = nx.MultiDiGraph(cohorts=[])
    >>> graph.add_edge("a", "b", key="r/0", sources=[{"doc": "d", "quote": "q"}])
    'r/0'
    >>> target = Path(tempfile.mkdtemp()) / "g.json"
    >>> _ = export_graph(graph, "json", target)
    >>> nx.utils.edges_equal(read_node_link(target).edges(keys=True, data=True),
    ...                      graph.edges(keys=True, data=True))
    True
    """
    import orjson

    path = Path(path)
    try:
        document = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as error:
        raise DataError([Problem(str(path), "-", "-", f"malformed JSON at line {error.lineno},"
                                 f" column {error.colno}: {error.msg}")]) from None
    except OSError as error:
        raise DataError([Problem(str(path), "-", "-",
                                 f"cannot read: {error.strerror}")]) from None
    return graph_from_node_link(document, str(path))


def graph_from_node_link(document, where: str = "<node-link>") -> nx.MultiDiGraph:
    """The MultiDiGraph a node-link document describes (see :func:`read_node_link`).

    >>> graph_from_node_link({"directed": True, "multigraph": True, "graph": {},
    ...                       "nodes": [{"id": "a", "name": "A"}], "edges": []}).nodes["a"]
    {'name': 'A'}
    """
    import networkx as nx

    problems = _node_link_problems(document, where)
    if problems:
        raise DataError(problems)
    graph = nx.MultiDiGraph(**document["graph"])
    for record in document["nodes"]:
        attributes = dict(record)
        graph.add_node(attributes.pop("id"), **attributes)
    for record in document["edges"]:
        attributes = dict(record)
        source, target = attributes.pop("source"), attributes.pop("target")
        graph.add_edge(source, target, key=attributes.pop("key"), **attributes)
    return graph


def _node_link_problems(document, where: str) -> list[Problem]:
    if not isinstance(document, dict):
        return [Problem(where, "-", "-", "expected a JSON object at the top level")]
    problems = []
    for flag in ("directed", "multigraph"):
        if document.get(flag) is not True:
            problems.append(Problem(where, "-", flag, "graphkit exports are directed "
                                    "multigraphs: expected true"))
    if not isinstance(document.get("graph"), dict):
        problems.append(Problem(where, "-", "graph", "expected an object"))
    nodes, edges = document.get("nodes"), document.get("edges")
    if not isinstance(nodes, list) or not isinstance(edges, list):
        return problems + [Problem(where, "-", name, "expected a list")
                           for name, value in (("nodes", nodes), ("edges", edges))
                           if not isinstance(value, list)]
    seen = set()
    for index, record in enumerate(nodes):
        if not isinstance(record, dict) or not isinstance(record.get("id"), str):
            problems.append(Problem(where, index, "nodes.id", "a node needs a text id"))
        elif record["id"] in seen:
            problems.append(Problem(where, index, "nodes.id", f"duplicate id {record['id']!r}"))
        else:
            seen.add(record["id"])
    keys = set()
    for index, record in enumerate(edges):
        if not isinstance(record, dict):
            problems.append(Problem(where, index, "edges", "an edge must be an object"))
            continue
        for end in ("source", "target"):
            if record.get(end) not in seen:
                problems.append(Problem(where, index, f"edges.{end}",
                                        f"no node {record.get(end)!r}"))
        ends = (record.get("source"), record.get("target"), record.get("key"))
        if not isinstance(record.get("key"), str):
            problems.append(Problem(where, index, "edges.key", "an edge needs a text key"))
        elif ends in keys:
            problems.append(Problem(where, index, "edges.key", f"duplicate key {ends[2]!r}"))
        keys.add(ends)
    return problems


# -- flat records (GraphML, GEXF, CSV) -------------------------------------------------------


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


def _flatten(name: str, value, record: dict) -> None:
    column = _RENAMED.get(name, name)
    if value is None:
        return
    if isinstance(value, dict):
        for part, part_value in value.items():
            _flatten(f"{column}_{part}", part_value, record)
        return
    if isinstance(value, list | tuple):
        _put(record, column, _json_text(value))
        if value:
            _put(record, f"{column}_text",
                 LIST_SEPARATOR.join(_item_text(item) for item in value))
        return
    _put(record, column, value)


def _put(record: dict, column: str, value) -> None:
    if column in record:
        raise BadArgument(f"two attributes of {record['id']!r} both become column {column!r}")
    record[column] = value


def _json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _item_text(item) -> str:
    if isinstance(item, str):
        return item
    if isinstance(item, dict) and set(item) == {"doc", "quote"}:
        return f"[{item['doc']}] {item['quote']}"
    return _json_text(item)


def _columns(known: tuple[str, ...], records: list[dict]) -> list[str]:
    extra = sorted({column for record in records for column in record} - set(known))
    return [*known, *extra]


def _column_type(column: str, records: list[dict]) -> str:
    """``boolean``, ``double`` or ``string``: the one XML type every value of ``column`` fits."""
    values = [record[column] for record in records if column in record]
    if not values:
        return "double" if column in _NUMERIC_COLUMNS else "string"
    if all(isinstance(value, bool) for value in values):
        return "boolean"
    if all(isinstance(value, int | float) and not isinstance(value, bool) for value in values):
        return "double"
    return "string"


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _sorted_nodes(graph: nx.MultiDiGraph) -> list:
    return sorted(graph.nodes, key=str)


def _sorted_edges(graph: nx.MultiDiGraph) -> list[tuple]:
    def order(edge):
        source, target, key, _ = edge
        numbered = _NUMBERED_KEY.fullmatch(str(key))
        if numbered:
            return numbered.group(1), int(numbered.group(2)), str(source), str(target)
        return str(key), -1, str(source), str(target)

    return sorted(graph.edges(keys=True, data=True), key=order)


def _flat_tables(graph: nx.MultiDiGraph) -> tuple[list[dict], list[dict]]:
    nodes = [flat_node(graph, node) for node in _sorted_nodes(graph)]
    edges = [flat_edge(*edge) for edge in _sorted_edges(graph)]
    return nodes, edges


# -- XML (GraphML, GEXF) ---------------------------------------------------------------------


def _check_xml_safe(graph: nx.MultiDiGraph, export_format: str) -> None:
    for node in _sorted_nodes(graph):
        _check_xml_value(export_format, f"entity {node!r}", "id", node)
        for name, value in graph.nodes[node].items():
            _check_xml_value(export_format, f"entity {node!r}", name, value)
    for _, _, key, attributes in _sorted_edges(graph):
        _check_xml_value(export_format, f"edge {key!r}", "id", key)
        for name, value in attributes.items():
            _check_xml_value(export_format, f"edge {key!r}", name, value)


def _check_xml_value(export_format: str, owner: str, field: str, value) -> None:
    if isinstance(value, dict):
        for part, part_value in value.items():
            _check_xml_value(export_format, owner, f"{field}.{part}", part_value)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_xml_value(export_format, owner, f"{field}[{index}]", item)
    elif isinstance(value, str) and (bad := _NOT_XML.search(value)):
        raise BadArgument(
            f"cannot export as {export_format}: {owner} field {field!r} holds the control "
            f"character U+{ord(bad.group()):04X}, which XML 1.0 cannot carry; remove it from "
            "the data, or export as json or csv")


def _xml_bytes(root) -> bytes:
    import xml.etree.ElementTree as ET

    ET.indent(root, space="  ")
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    # ElementTree writes a carriage return in text as is, and XML readers turn it into a
    # newline; as a character reference it survives.  Attribute values are already escaped
    # and markup holds none, so every raw CR left is text.
    return data.replace(b"\r", b"&#13;") + b"\n"


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """``graph`` as GraphML (Gephi, yEd, igraph, NetworkX); the edge key is the edge ``id``.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_edge("a", "b", key="r/0", relation="r")
    'r/0'
    >>> b'<edge id="r/0" source="a" target="b">' in graphml_bytes(graph)
    True
    """
    import xml.etree.ElementTree as ET

    _check_xml_safe(graph, "graphml")
    nodes, edges = _flat_tables(graph)
    root = ET.Element("graphml", {"xmlns": GRAPHML_NAMESPACE, "xmlns:xsi": _XSI,
                                  "xsi:schemaLocation": f"{GRAPHML_NAMESPACE} {GRAPHML_SCHEMA}"})
    for record in edges:
        record[GRAPHML_EDGE_ID] = record["id"]
    keys = {}
    for scope, known, records in (("node", NODE_COLUMNS, nodes),
                                  ("edge", (*EDGE_COLUMNS, GRAPHML_EDGE_ID), edges)):
        structural = {"id"} if scope == "node" else {"id", "source", "target"}
        for column in _columns(known, records):
            if column in structural:
                continue
            keys[scope, column] = f"d{len(keys)}"
            ET.SubElement(root, "key", {"id": keys[scope, column], "for": scope,
                                        "attr.name": column,
                                        "attr.type": _column_type(column, records)})
    container = ET.SubElement(root, "graph", {"id": "graphkit", "edgedefault": "directed"})
    for record in nodes:
        element = ET.SubElement(container, "node", {"id": record["id"]})
        _graphml_data(element, "node", record, keys)
    for record in edges:
        element = ET.SubElement(container, "edge", {"id": record["id"],
                                                    "source": record["source"],
                                                    "target": record["target"]})
        _graphml_data(element, "edge", record, keys)
    return _xml_bytes(root)


def _graphml_data(element, scope: str, record: dict, keys: dict) -> None:
    import xml.etree.ElementTree as ET

    for (key_scope, column), key_id in keys.items():
        if key_scope == scope and column in record:
            ET.SubElement(element, "data", {"key": key_id}).text = _text(record[column])


def gexf_bytes(graph: nx.MultiDiGraph) -> bytes:
    """``graph`` as dynamic GEXF 1.2 for Gephi: edges carry their dates as time intervals.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_edge("a", "b", key="r/0", relation="r", date="2023-02", end="2024")
    'r/0'
    >>> b'label="r" start="2023-02-01" end="2024-12-31"' in gexf_bytes(graph)
    True
    """
    import xml.etree.ElementTree as ET

    _check_xml_safe(graph, "gexf")
    nodes, edges = _flat_tables(graph)
    root = ET.Element("gexf", {"xmlns": GEXF_NAMESPACE, "xmlns:xsi": _XSI,
                               "xsi:schemaLocation": f"{GEXF_NAMESPACE} {GEXF_SCHEMA}",
                               "version": "1.2"})
    ET.SubElement(ET.SubElement(root, "meta"), "creator").text = "graphkit"
    container = ET.SubElement(root, "graph", {"mode": "dynamic", "defaultedgetype": "directed",
                                              "timeformat": "date"})
    attribute_ids = {}
    for scope, known, records, structural in (
            ("node", NODE_COLUMNS, nodes, {"id", "name"}),
            ("edge", EDGE_COLUMNS, edges, {"id", "source", "target"})):
        declared = ET.SubElement(container, "attributes", {"class": scope, "mode": "static"})
        for column in _columns(known, records):
            if column in structural:
                continue
            attribute_ids[scope, column] = str(len(attribute_ids))
            ET.SubElement(declared, "attribute", {"id": attribute_ids[scope, column],
                                                  "title": column,
                                                  "type": _column_type(column, records)})
    node_list = ET.SubElement(container, "nodes")
    for record in nodes:
        element = ET.SubElement(node_list, "node", {"id": record["id"],
                                                    "label": str(record.get("name", record["id"]))})
        _gexf_values(element, "node", record, attribute_ids)
    edge_list = ET.SubElement(container, "edges")
    for record in edges:
        attributes = {"id": record["id"], "source": record["source"],
                      "target": record["target"]}
        if "relation" in record:
            attributes["label"] = str(record["relation"])
        attributes.update(_interval(record))
        element = ET.SubElement(edge_list, "edge", attributes)
        _gexf_values(element, "edge", record, attribute_ids)
    return _xml_bytes(root)


def _interval(record: dict) -> dict:
    """GEXF ``start``/``end``: the first day of ``date``, the last day of ``end``."""
    interval = {}
    if "date" in record:
        interval["start"] = PartialDate.parse(record["date"]).first_day().isoformat()
    if "end_date" in record:
        interval["end"] = PartialDate.parse(record["end_date"]).last_day().isoformat()
    return interval


def _gexf_values(element, scope: str, record: dict, attribute_ids: dict) -> None:
    import xml.etree.ElementTree as ET

    values = None
    for (id_scope, column), attribute_id in attribute_ids.items():
        if id_scope == scope and column in record:
            if values is None:
                values = ET.SubElement(element, "attvalues")
            ET.SubElement(values, "attvalue", {"for": attribute_id,
                                               "value": _text(record[column])})


# -- CSV -------------------------------------------------------------------------------------


def csv_tables(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """``nodes.csv`` and ``edges.csv`` (UTF-8 with BOM, RFC 4180), one row per entity / edge.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_node("acme", name="Acme, Inc.", type="company", aliases=["艾克米"])
    >>> csv_tables(graph)["nodes.csv"].decode("utf-8-sig").splitlines()[1]
    'acme,"Acme, Inc.",company,"[""艾克米""]",艾克米,'
    """
    nodes, edges = _flat_tables(graph)
    for record in edges:
        for end in ("source", "target"):
            record[f"{end}_name"] = graph.nodes[record[end]].get("name", record[end])
    edge_columns = ["id", "source", "source_name", "target", "target_name",
                    *(column for column in _columns(EDGE_COLUMNS, edges)
                      if column not in ("id", "source", "target", "source_name",
                                        "target_name"))]
    return {"nodes.csv": _csv_bytes(_columns(NODE_COLUMNS, nodes), nodes),
            "edges.csv": _csv_bytes(edge_columns, edges)}


def _csv_bytes(columns: list[str], records: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_text(record[column]) if column in record else ""
                         for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


def csv_zip_bytes(graph: nx.MultiDiGraph) -> bytes:
    """Both CSV tables in one zip whose bytes depend on the data only.

    >>> import networkx as nx
    >>> csv_zip_bytes(nx.MultiDiGraph()) == csv_zip_bytes(nx.MultiDiGraph())
    True
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in csv_tables(graph).items():
            entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, so the permission bits below are honoured
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return buffer.getvalue()
