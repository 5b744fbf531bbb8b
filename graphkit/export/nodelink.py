"""Node-link JSON: the graph exactly as :func:`graphkit.store.graph.build_graph` makes it,
and back (:func:`read_node_link`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.errors import BadArgument, DataError, Problem
from graphkit.export.flatten import sorted_edges, sorted_nodes

if TYPE_CHECKING:
    import networkx as nx


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
    for node in sorted_nodes(graph):
        attributes = graph.nodes[node]
        if "id" in attributes:
            raise BadArgument(f"entity {node!r} has an attribute named 'id', which node-link "
                              "JSON reserves")
        nodes.append({"id": node, **attributes})
    edges = []
    for source, target, key, attributes in sorted_edges(graph):
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
    >>> _ = target.write_bytes(node_link_bytes(graph))
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
