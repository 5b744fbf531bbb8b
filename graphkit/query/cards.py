"""The entity card: everything the graph knows about one entity, with sources."""

from __future__ import annotations

from graphkit.data.describe import describe_edge
from graphkit.store.graph import as_network


def entity_card(graph, entity: str) -> dict:
    """The entity, every edge touching it (``direction`` ``out`` or ``in``, with ``text``)
    and the cohorts it belongs to or that moved from or to it.

    ``graph`` is a NetworkX graph or a traversal network (see :mod:`graphkit.query.paths`).

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph(cohorts=[])
    >>> graph.add_node("a", name="A", type="person", aliases=["甲"])
    >>> graph.add_node("b", name="B", type="company", aliases=[])
    >>> _ = graph.add_edge("a", "b", key="e", relation="person-left-company", sources=[])
    >>> card = entity_card(graph, "b")
    >>> card["entity"]["name"], [(e["text"], e["direction"]) for e in card["edges"]]
    ('B', [('A left B (undated)', 'in')])
    """
    network = as_network(graph)
    edges = []
    for _neighbour, reference in network.around(entity):
        record = network.edge(reference)
        record["direction"] = "out" if record["source"] == entity else "in"
        record["text"] = describe_edge(network.nodes, record)
        edges.append(record)
    edges.sort(key=lambda r: (r["relation"], r.get("date") or "9999", r["id"]))
    cohorts = [cohort for cohort in network.cohorts
               if entity in (cohort.get("from"), cohort.get("to"))
               or entity in cohort.get("members", [])]
    return {"entity": network.entity(entity), "edges": edges,
            "cohorts": sorted(cohorts, key=lambda cohort: cohort["id"])}
