"""What came before and after a model, through succession and derivation."""

from __future__ import annotations

import networkx as nx

from graphkit.describe import describe_edge
from graphkit.errors import BadArgument
from graphkit.graph import edge_record, entity_record


def _earlier_later(graph: nx.MultiDiGraph, record: dict) -> tuple[str, str]:
    """Which end of a lineage edge came first: a successor follows its predecessor, a
    derived model follows the model it was derived from."""
    if record["relation"] == "model-succeeded-by":
        return record["source"], record["target"]
    return record["target"], record["source"]


def lineage(graph: nx.MultiDiGraph, model: str) -> dict:
    """Predecessors and successors of ``model``, each with how far and through which edge.

    Each entry is the entity record plus ``depth`` (1 = direct), ``via`` (the edge record
    with its ``text``) and ``status`` (what the article says of the later model).

    >>> graph = nx.MultiDiGraph()
    >>> for node in ("m1", "m2", "m3"):
    ...     graph.add_node(node, name=node.upper(), type="model", aliases=[])
    >>> _ = graph.add_edge("m1", "m2", key="s1", relation="model-succeeded-by", sources=[])
    >>> _ = graph.add_edge("m3", "m2", key="d1", relation="model-derived-from", sources=[])
    >>> result = lineage(graph, "m2")
    >>> [p["id"] for p in result["predecessors"]], [s["id"] for s in result["successors"]]
    (['m1'], ['m3'])
    """
    kind = graph.nodes[model]["type"]
    if kind not in ("model", "product"):
        raise BadArgument(f"{graph.nodes[model]['name']!r} is a {kind}; lineage needs a model "
                          "or product")
    earlier: dict[str, list] = {}
    later: dict[str, list] = {}
    for source, target, key, data in graph.edges(keys=True, data=True):
        if data["relation"] not in ("model-succeeded-by", "model-derived-from"):
            continue
        record = edge_record(graph, source, target, key)
        record["text"] = describe_edge(graph, record)
        before, after = _earlier_later(graph, record)
        later.setdefault(before, []).append((after, record))
        earlier.setdefault(after, []).append((before, record))
    return {
        "model": entity_record(graph, model),
        "predecessors": _walk(graph, model, earlier),
        "successors": _walk(graph, model, later),
    }


def _walk(graph: nx.MultiDiGraph, start: str, steps: dict[str, list]) -> list[dict]:
    seen = {start}
    frontier = [start]
    found = []
    depth = 0
    while frontier:
        depth += 1
        reached = []
        for node in frontier:
            for neighbour, record in sorted(steps.get(node, []), key=lambda s: s[1]["id"]):
                if neighbour in seen:
                    continue
                seen.add(neighbour)
                reached.append(neighbour)
                entry = entity_record(graph, neighbour)
                entry.update({"depth": depth, "via": record, "status": record.get("status")})
                found.append(entry)
        frontier = reached
    return found
