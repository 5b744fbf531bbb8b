"""The NetworkX graph built from a validated dataset, and views of it at a date.

NetworkX (a fifth of a second to import) is imported by the functions that build or
view a graph, never by the cache's cold queries, which only need :func:`as_network`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.data import lifespans
from graphkit.data.dates import EffectWindow, PartialDate, day_span
from graphkit.data.lifespans import birth_days, effect_start

if TYPE_CHECKING:
    import networkx as nx

    from graphkit.data.dataset import Dataset

# Edge fields that are not attributes of the edge itself.
_ENDPOINTS = ("source", "target", "id")


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """A MultiDiGraph: nodes are entity ids, edges keyed by their record ``id``.

    Nodes carry ``type``, ``name``, ``aliases`` (and ``description`` when curated); edges
    carry ``relation``, ``sources`` and every other field of the record.  The dataset's
    ``sources`` registry and its other records, ``cohorts``, ``figures``, ``rounds`` and
    ``events``, travel in ``graph.graph`` (lists of the records as curated).

    >>> from graphkit.data.dataset import load_dataset
    >>> from graphkit.data.locate import bundled_data_dir
    >>> graph = build_graph(load_dataset(bundled_data_dir()))
    >>> graph.nodes["openai"]["name"]
    'OpenAI'
    >>> sorted(graph.graph)
    ['cohorts', 'events', 'figures', 'rounds', 'sources']
    """
    import networkx as nx

    graph = nx.MultiDiGraph(sources=dataset.sources, cohorts=dataset.cohorts,
                            figures=dataset.figures, rounds=dataset.rounds,
                            events=dataset.events)
    for ident, entity in dataset.entities.items():
        attributes = {"type": entity["type"], "name": entity["name"],
                      "aliases": list(entity.get("aliases", []))}
        if "description" in entity:
            attributes["description"] = entity["description"]
        graph.add_node(ident, **attributes)
    for edge in dataset.edges:
        attributes = {key: value for key, value in edge.items() if key not in _ENDPOINTS}
        graph.add_edge(edge["source"], edge["target"], key=edge["id"], **attributes)
    return graph


def load_graph(directory: Path | str) -> nx.MultiDiGraph:
    """Validate the dataset in ``directory`` and build its graph."""
    from graphkit.data.dataset import load_dataset

    return build_graph(load_dataset(directory))


def as_of(graph: nx.MultiDiGraph, date: PartialDate | None,
          relations: tuple[str, ...] | list[str] = ()) -> nx.MultiDiGraph:
    """A read-only view with only the edges in effect at ``date`` (and of ``relations``).

    Every node stays; an entity with no edge yet is simply isolated.  An edge is not in
    effect before both its ends exist (see :mod:`graphkit.data.lifespans`), and a date
    known only as an upper bound does not delay it.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_edge("a", "b", key="k", relation="person-joined-company", date="2023-01")
    'k'
    >>> as_of(graph, PartialDate.parse("2022")).number_of_edges()
    0
    """
    if date is None and not relations:
        return graph
    wanted = frozenset(relations)
    window = EffectWindow.at(date)
    born = birth_days(graph.graph.get("events", ()))

    def keep(source, target, key) -> bool:
        data = graph.edges[source, target, key]
        if wanted and data["relation"] not in wanted:
            return False
        if window is None:
            return True
        start = effect_start({"source": source, "target": target, **data}, born)
        return bool(window.admits(start, day_span(None, data.get("end"))[1]))

    import networkx as nx

    return nx.subgraph_view(graph, filter_edge=keep)


def entity_record(graph: nx.MultiDiGraph, node: str) -> dict:
    """The JSON shape of an entity: ``id``, ``name``, ``type``, ``aliases`` (+ ``description``)."""
    data = graph.nodes[node]
    record = {"id": node, "name": data["name"], "type": data["type"],
              "aliases": list(data.get("aliases", []))}
    if "description" in data:
        record["description"] = data["description"]
    return record


def edge_record(graph: nx.MultiDiGraph, source: str, target: str, key: str) -> dict:
    """The JSON shape of an edge: ``id``, ``source``, ``target``, ``relation``, ``date``,
    ``sources`` and its other fields (``date`` is ``None`` when undated)."""
    data = graph.edges[source, target, key]
    record = {"id": key, "source": source, "target": target, "date": None}
    record.update(data)
    return record


class GraphNetwork:
    """The traversal interface over a NetworkX graph (or a view of one).

    Path finding, ego networks and entity cards walk any object with this interface:
    ``nodes`` (entity data by id), ``cohorts``, ``figures``, ``rounds``, ``events`` (the
    records of those kinds), ``exists_from(id)`` (when an entity starts to exist),
    ``around(id)`` yielding every
    ``(neighbour, edge reference)`` whichever way the edge points, ``edge(reference)``
    giving the edge record, ``entity(id)`` and ``simple_graph()``.  The cache's
    :class:`graphkit.store.cache.StoreNetwork` is the other implementation.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_edge("a", "b", key="k", relation="person-left-company")
    'k'
    >>> list(GraphNetwork(graph).around("b"))
    [('a', ('a', 'b', 'k'))]
    """

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph
        self.nodes = graph.nodes
        self.cohorts = graph.graph.get("cohorts", [])
        self.figures = graph.graph.get("figures", [])
        self.rounds = graph.graph.get("rounds", [])
        self.events = graph.graph.get("events", [])
        self._starts: dict[str, dict] | None = None

    def exists_from(self, ident: str) -> dict | None:
        """When ``ident`` starts to exist, ``{"date", "event"}`` (see
        :func:`graphkit.data.lifespans.exists_from`), or None when no event says."""
        if self._starts is None:
            self._starts = lifespans.exists_from(self.events)
        return self._starts.get(ident)

    def around(self, ident: str):
        for neighbour, keyed in self.graph.succ[ident].items():
            for key in keyed:
                yield neighbour, (ident, neighbour, key)
        for neighbour, keyed in self.graph.pred[ident].items():
            for key in keyed:
                yield neighbour, (neighbour, ident, key)

    def edge(self, reference: tuple[str, str, str]) -> dict:
        return edge_record(self.graph, *reference)

    def entity(self, ident: str) -> dict:
        return entity_record(self.graph, ident)

    def simple_graph(self) -> nx.Graph:
        import networkx as nx

        return nx.Graph(self.graph.to_undirected(as_view=True))


def as_network(graph_or_network):
    """A NetworkX graph wrapped in :class:`GraphNetwork`; a network as it is."""
    # Without NetworkX imported, nothing can be a NetworkX graph: no need to import it.
    networkx = sys.modules.get("networkx")
    if networkx is not None and isinstance(graph_or_network, networkx.Graph):
        return GraphNetwork(graph_or_network)
    return graph_or_network


def edges_at(network, ident: str):
    """Each edge touching ``ident`` once, by reference (``around`` meets a self-loop at
    both of its ends).

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> _ = graph.add_edge("a", "a", key="loop")
    >>> _ = graph.add_edge("a", "b", key="k")
    >>> list(edges_at(as_network(graph), "a"))
    [('a', 'a', 'loop'), ('a', 'b', 'k')]
    """
    seen = set()
    for _neighbour, reference in network.around(ident):
        if reference not in seen:
            seen.add(reference)
            yield reference


def area_graph(network, centres, depth: int) -> nx.MultiDiGraph:
    """The part of the cached graph within ``depth`` hops of ``centres``, as
    :func:`build_graph` would give it, without reading the rest of the cache.

    ``network`` is a view of the cache (:meth:`graphkit.store.cache.Store.view`, with its date
    and relations).  The graph holds every entity within ``depth`` hops of a centre
    (edges walked either way), every edge of the view among them, and the entities those
    edges name (a departure's destination, a hire's origin) so each edge reads the same;
    nodes and edges carry the same attributes as :func:`build_graph`'s, and ``graph.graph``
    the same ``sources``, ``cohorts``, ``figures``, ``rounds`` and ``events``.  So a focus
    drawn or exported from it (over the same date and relations, and at most ``depth``
    hops) is the one drawn from the whole graph, for the cost of the neighbourhood.

    >>> import os, tempfile
    >>> from graphkit.data.locate import bundled_data_dir
    >>> from graphkit.store.cache import CACHE_ENVIRONMENT, open_store
    >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
    >>> store = open_store(bundled_data_dir())
    >>> area = area_graph(store.view(), ["anthropic"], 1)
    >>> whole = build_graph(store.dataset())
    >>> import networkx as nx
    >>> around = nx.ego_graph(whole, "anthropic", undirected=True)
    >>> set(around) <= set(area), area.nodes["anthropic"] == whole.nodes["anthropic"]
    (True, True)
    >>> sorted(area.edges(keys=True)) == sorted(around.edges(keys=True))
    True
    """
    from graphkit.data.relations import RELATIONS

    store = network.store
    reached = dict.fromkeys(centres)
    frontier = list(reached)
    numbers: set[int] = set()
    for _ in range(depth):
        if not frontier:
            break  # everything reachable is reached
        following = []
        for node in frontier:
            for neighbour, number in network.around(node):
                # Every neighbour of a node walked from is reached, so all its edges count.
                numbers.add(number)
                if neighbour not in reached:
                    reached[neighbour] = None
                    following.append(neighbour)
        frontier = following
    for node in frontier:
        numbers.update(number for neighbour, number in network.around(node)
                       if neighbour in reached)
    edges = [network.edge(number) for number in sorted(numbers)]
    named = {edge[field] for edge in edges
             for field in RELATIONS[edge["relation"]].entity_fields if edge.get(field)}
    import networkx as nx

    graph = nx.MultiDiGraph(sources=dict(store.sources), cohorts=list(store.cohorts),
                            figures=list(store.figures), rounds=list(store.rounds),
                            events=list(store.events))
    # In the dataset's order, as build_graph adds them.
    for ident in sorted(reached.keys() | (named & store.nodes.keys()), key=store.index.get):
        entity = network.entity(ident)
        attributes = {"type": entity["type"], "name": entity["name"],
                      "aliases": list(entity.get("aliases", []))}
        if "description" in entity:
            attributes["description"] = entity["description"]
        graph.add_node(ident, **attributes)
    for edge in edges:
        # The cache fills in an absent date as None; the dataset never has a null date.
        if edge.get("date", "") is None:
            del edge["date"]
        attributes = {key: value for key, value in edge.items() if key not in _ENDPOINTS}
        graph.add_edge(edge["source"], edge["target"], key=edge["id"], **attributes)
    return graph
