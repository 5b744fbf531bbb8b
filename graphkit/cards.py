"""The entity card: everything the graph knows about one entity, with sources."""

from __future__ import annotations

import networkx as nx

from graphkit.describe import describe_edge
from graphkit.graph import edge_record, entity_record


def entity_card(graph: nx.MultiDiGraph, entity: str) -> dict:
    """The entity, every edge touching it (``direction`` ``out`` or ``in``, with ``text``)
    and the cohorts it belongs to or that moved from or to it.

    >>> graph = nx.MultiDiGraph(cohorts=[])
    >>> graph.add_node("a", name="A", type="person", aliases=["甲"])
    >>> graph.add_node("b", name="B", type="company", aliases=[])
    >>> _ = graph.add_edge("a", "b", key="e", relation="person-left-company", sources=[])
    >>> card = entity_card(graph, "b")
    >>> card["entity"]["name"], [(e["text"], e["direction"]) for e in card["edges"]]
    ('B', [('A left B (undated)', 'in')])
    """
    edges = []
    for source, target, key in graph.out_edges(entity, keys=True):
        edges.append(_with_text(graph, source, target, key, "out"))
    for source, target, key in graph.in_edges(entity, keys=True):
        if source != entity:
            edges.append(_with_text(graph, source, target, key, "in"))
    edges.sort(key=lambda r: (r["relation"], r.get("date") or "9999", r["id"]))
    cohorts = [cohort for cohort in graph.graph.get("cohorts", [])
               if entity in (cohort.get("from"), cohort.get("to"))
               or entity in cohort.get("members", [])]
    return {"entity": entity_record(graph, entity), "edges": edges,
            "cohorts": sorted(cohorts, key=lambda cohort: cohort["id"])}


def _with_text(graph, source, target, key, direction) -> dict:
    record = edge_record(graph, source, target, key)
    record["direction"] = direction
    record["text"] = describe_edge(graph, record)
    return record
