"""The entity card: everything the graph knows about one entity, with sources."""

from __future__ import annotations

from graphkit.data.describe import described
from graphkit.query.facts import annotated, cohort_text, facts_card, happened_by
from graphkit.store.graph import as_network


def entity_card(graph, entity: str, facts=None, as_of=None) -> dict:
    """The entity, every edge touching it (``direction`` ``out`` or ``in``, with ``text``
    and ``hedge``) and the cohorts it belongs to or that moved from or to it (each with
    ``text`` and ``hedge``).

    Cohorts are listed when they may have happened by ``as_of``.  With ``facts`` (a
    :class:`graphkit.query.facts.Facts`), the card also lists the
    entity's ``figures``, funding ``rounds`` and ``events`` in date order, each with
    ``text``, ``hedge`` and ``counted``, as of ``as_of`` (see
    :func:`graphkit.query.facts.happened_by`), and ``exists_from``.

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
        described(network.nodes, record)
        edges.append(record)
    edges.sort(key=lambda r: (r["relation"], r.get("date") or "9999", r["id"]))
    cohorts = [annotated(cohort, cohort_text(network.nodes, cohort))
               for cohort in network.cohorts
               if (entity in (cohort.get("from"), cohort.get("to"))
                   or entity in cohort.get("members", []))
               and (facts.shown("cohort", cohort, as_of) if facts is not None
                    else happened_by(cohort, as_of))]
    card = {"entity": network.entity(entity), "edges": edges,
            "cohorts": sorted(cohorts, key=lambda cohort: cohort["id"])}
    if facts is not None:
        card.update(facts_card(facts, entity, as_of))
    return card
