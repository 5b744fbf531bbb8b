"""Connections between entities: shortest paths and ego networks.

Relations are walked in either direction (a person who *left* OpenAI is still connected
to it), but every hop reports the edge's real direction.
"""

from __future__ import annotations

from itertools import islice

import networkx as nx

from graphkit.describe import describe_edge
from graphkit.errors import BadArgument
from graphkit.graph import edge_record, entity_record
from graphkit.relations import RELATIONS

_RELATION_ORDER = {name: position for position, name in enumerate(RELATIONS)}


def find_paths(graph: nx.MultiDiGraph, source: str, target: str, *, mode: str = "shortest",
               k: int = 1, max_hops: int | None = None) -> list[dict]:
    """Paths from ``source`` to ``target`` as ``{"length", "nodes", "hops"}`` dicts.

    ``mode`` is ``shortest`` (one path), ``all`` (every shortest path) or ``k`` (the ``k``
    shortest simple paths).  Each hop is an edge record plus ``from``/``to`` (walking
    order), ``direction`` (``forward`` when walked along the edge) and ``text``.
    An empty list means no path (within ``max_hops``).

    >>> graph = nx.MultiDiGraph()
    >>> for node in "abc": graph.add_node(node, name=node.upper())
    >>> graph.add_edge("a", "b", key="k1", relation="person-left-company", sources=[])
    'k1'
    >>> graph.add_edge("c", "b", key="k2", relation="company-invested-in", sources=[])
    'k2'
    >>> [(hop["id"], hop["direction"]) for hop in find_paths(graph, "a", "c")[0]["hops"]]
    [('k1', 'forward'), ('k2', 'backward')]
    """
    if mode not in ("shortest", "all", "k"):
        raise BadArgument(f"unknown path mode {mode!r}")
    if k < 1:
        raise BadArgument(f"k must be at least 1, not {k}")
    if max_hops is not None and max_hops < 1:
        raise BadArgument(f"max hops must be at least 1, not {max_hops}")
    if source == target:
        raise BadArgument("a path needs two different entities")
    undirected = graph.to_undirected(as_view=True)
    try:
        if mode == "shortest":
            node_paths = [nx.shortest_path(undirected, source, target)]
        elif mode == "all":
            node_paths = sorted(nx.all_shortest_paths(undirected, source, target))
        else:
            simple = nx.Graph(undirected)
            node_paths = list(islice(nx.shortest_simple_paths(simple, source, target), k))
    except nx.NetworkXNoPath:
        return []
    if max_hops is not None:
        node_paths = [path for path in node_paths if len(path) - 1 <= max_hops]
    return [_path_record(graph, nodes) for nodes in node_paths]


def connection(graph: nx.MultiDiGraph, source: str, target: str, **options) -> dict:
    """:func:`find_paths` as a report: ``from``, ``to``, ``paths`` and ``entities`` (the
    record of every entity on a path, by id).  ``paths`` is empty when there is none."""
    paths = find_paths(graph, source, target, **options)
    on_paths = {source, target} | {node for path in paths for node in path["nodes"]}
    return {"from": source, "to": target, "paths": paths,
            "entities": {node: entity_record(graph, node) for node in sorted(on_paths)}}


def _path_record(graph: nx.MultiDiGraph, nodes: list[str]) -> dict:
    hops = [_hop(graph, walked_from, walked_to)
            for walked_from, walked_to in zip(nodes, nodes[1:], strict=False)]
    return {"length": len(hops), "nodes": nodes, "hops": hops}


def _hop(graph: nx.MultiDiGraph, walked_from: str, walked_to: str) -> dict:
    """The edge chosen for one step: the first by relation order, date and id."""
    candidates = [(walked_from, walked_to, key, "forward")
                  for key in graph.succ[walked_from].get(walked_to, {})]
    candidates += [(walked_to, walked_from, key, "backward")
                   for key in graph.pred[walked_from].get(walked_to, {})]

    def order(candidate):
        data = graph.edges[candidate[0], candidate[1], candidate[2]]
        return (_RELATION_ORDER[data["relation"]], data.get("date") or "9999", candidate[2])

    source, target, key, direction = min(candidates, key=order)
    record = edge_record(graph, source, target, key)
    record.update({"from": walked_from, "to": walked_to, "direction": direction,
                   "text": describe_edge(graph, record)})
    return record


def neighborhood(graph: nx.MultiDiGraph, center: str, depth: int = 1) -> dict:
    """The ego network: entities within ``depth`` hops (either direction) and their edges.

    Returns ``{"center", "depth", "nodes": [{"id", "distance"}], "edges": [records],
    "entities": {id: record}}``, without copying the graph.

    >>> graph = nx.MultiDiGraph()
    >>> for node in "abc": graph.add_node(node, name=node, type="person", aliases=[])
    >>> graph.add_edge("a", "b", key="1", relation="person-left-company", sources=[])
    '1'
    >>> graph.add_edge("b", "c", key="2", relation="person-left-company", sources=[])
    '2'
    >>> [node["id"] for node in neighborhood(graph, "a", 1)["nodes"]]
    ['a', 'b']
    """
    if depth < 1:
        raise BadArgument(f"depth must be at least 1, not {depth}")
    distance = {center: 0}
    frontier = [center]
    for step in range(1, depth + 1):
        reached = []
        for node in frontier:
            for neighbour in (*graph.succ[node], *graph.pred[node]):
                if neighbour not in distance:
                    distance[neighbour] = step
                    reached.append(neighbour)
        frontier = reached
    edges = []
    for node in distance:
        for neighbour, keyed in graph.succ[node].items():
            if neighbour in distance:
                for key in keyed:
                    record = edge_record(graph, node, neighbour, key)
                    record["text"] = describe_edge(graph, record)
                    edges.append(record)
    nodes = [{"id": node, "distance": hops} for node, hops in distance.items()]
    nodes.sort(key=lambda item: (item["distance"], item["id"]))
    edges.sort(key=lambda item: (item["source"], item["target"], item["id"]))
    return {"center": center, "depth": depth, "nodes": nodes, "edges": edges,
            "entities": {node: entity_record(graph, node) for node in sorted(distance)}}
