"""Summary statistics: counts, the most central entities, communities."""

from __future__ import annotations

from collections import Counter

import networkx as nx

# Exact betweenness is O(V·E); above this many nodes it is estimated from a sample.
EXACT_BETWEENNESS_LIMIT = 2000
BETWEENNESS_SAMPLE = 500


def graph_stats(graph: nx.MultiDiGraph, top: int = 10) -> dict:
    """Counts by entity type and relation, top entities by degree and betweenness, and
    communities (Louvain, seeded so the answer is repeatable).  Each costly figure
    states its ``method``.

    >>> graph = nx.MultiDiGraph()
    >>> for node in "abc": graph.add_node(node, name=node, type="person")
    >>> _ = graph.add_edge("a", "b", key="1", relation="person-left-company")
    >>> _ = graph.add_edge("b", "c", key="2", relation="person-left-company")
    >>> stats = graph_stats(graph)
    >>> stats["betweenness"]["top"][0]["id"], stats["relations"]
    ('b', {'person-left-company': 2})
    """
    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    degree = sorted(((graph.degree(node), node) for node in graph.nodes),
                    key=lambda item: (-item[0], item[1]))[:top]
    if simple.number_of_nodes() <= EXACT_BETWEENNESS_LIMIT:
        between = nx.betweenness_centrality(simple)
        between_method = "exact (Brandes), undirected, normalised"
    else:
        between = nx.betweenness_centrality(simple, k=BETWEENNESS_SAMPLE, seed=0)
        between_method = (f"estimated from {BETWEENNESS_SAMPLE} sampled sources (seed 0), "
                          "undirected, normalised")
    ranked = sorted(between.items(), key=lambda item: (-item[1], item[0]))[:top]
    communities = nx.community.louvain_communities(simple, seed=0) if simple.edges else []
    groups = sorted((sorted(group) for group in communities if len(group) > 1),
                    key=lambda group: (-len(group), group))

    def entity(node: str, **extra) -> dict:
        data = graph.nodes[node]
        return {"id": node, "name": data["name"], "type": data["type"], **extra}

    return {
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
        "entities": dict(sorted(Counter(t for _, t in graph.nodes(data="type")).items())),
        "relations": dict(sorted(Counter(r for *_, r in graph.edges(data="relation")).items())),
        "degree": {"method": "number of edges, both directions",
                   "top": [entity(node, degree=value) for value, node in degree]},
        "betweenness": {"method": between_method,
                        "top": [entity(node, betweenness=round(value, 4))
                                for node, value in ranked]},
        "communities": {"method": "Louvain modularity (seed 0) on the undirected graph; "
                                  "groups of two or more",
                        "groups": [[entity(node) for node in group] for group in groups]},
    }
