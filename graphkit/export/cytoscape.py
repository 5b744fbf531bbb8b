"""Cytoscape.js elements JSON (``.cyjs``), for web apps and Cytoscape desktop.

``{"elements": {"nodes": [{"data": {...}}], "edges": [{"data": {...}}]}, "data": {...},
"graphkit": {...}}``: every node's and edge's ``data`` holds its flat columns (the mapping of
:mod:`graphkit.export`, so Cytoscape desktop reads each as one table column), with ``name``
(desktop's default node label) and ``label`` set to the display name, and on edges
``interaction`` and ``label`` set to the relation.  The document registry and the dataset's
other records (cohorts, figures, rounds, events) are under the top-level ``graphkit`` key as
plain JSON: Cytoscape.js and Cytoscape desktop ignore it, a web app can read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphkit.export.flatten import flat_edge, flat_node, sorted_edges, sorted_nodes

if TYPE_CHECKING:
    import networkx as nx


def cytoscape_document(graph: nx.MultiDiGraph) -> dict:
    """``graph`` as a Cytoscape.js elements document.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph(sources={}, cohorts=[])
    >>> graph.add_node("a", name="Alice", type="person", aliases=[])
    >>> graph.add_node("b", name="Acme", type="company", aliases=[])
    >>> graph.add_edge("a", "b", key="r/0", relation="person-left-company")
    'r/0'
    >>> cytoscape_document(graph)["elements"]["edges"][0]["data"]["interaction"]
    'person-left-company'
    """
    nodes = []
    for node in sorted_nodes(graph):
        data = flat_node(graph, node)
        data.setdefault("name", node)
        data["label"] = data["name"]
        nodes.append({"data": data, "group": "nodes"})
    edges = []
    for edge in sorted_edges(graph):
        data = flat_edge(*edge)
        relation = data.get("relation")
        if relation is not None:
            data["interaction"] = relation
            data["label"] = relation
        edges.append({"data": data, "group": "edges"})
    records = {("documents" if name == "sources" else name): value
               for name, value in graph.graph.items()}
    if isinstance(records.get("documents"), dict):
        records["documents"] = [{"doc": doc, **meta} for doc, meta
                                in sorted(records["documents"].items())]
    return {"format_version": "1.0", "generated_by": "graphkit",
            "target_cytoscapejs_version": "~3",
            "data": {"name": "graphkit", "shared_name": "graphkit"},
            "elements": {"nodes": nodes, "edges": edges},
            "graphkit": records}


def cytoscape_bytes(graph: nx.MultiDiGraph) -> bytes:
    """The Cytoscape.js document as stable JSON (sorted keys, UTF-8, final newline).

    >>> import networkx as nx
    >>> cytoscape_bytes(nx.MultiDiGraph()).startswith(b"{")
    True
    """
    from graphkit.present.output import to_json

    return (to_json(cytoscape_document(graph)) + "\n").encode("utf-8")
