"""The NetworkX graph built from a validated dataset, and views of it at a date."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from graphkit.dataset import Dataset, load_dataset
from graphkit.dates import PartialDate, in_effect

# Edge fields that are not attributes of the edge itself.
_ENDPOINTS = ("source", "target", "id")


def build_graph(dataset: Dataset) -> nx.MultiDiGraph:
    """A MultiDiGraph: nodes are entity ids, edges keyed by their id (``RELATION/INDEX``).

    Nodes carry ``type``, ``name``, ``aliases`` (and ``description`` when curated); edges
    carry ``relation``, ``sources`` and every other field of the record.  The dataset's
    ``sources`` registry and ``cohorts`` travel in ``graph.graph``.

    >>> from graphkit.locate import bundled_data_dir
    >>> graph = build_graph(load_dataset(bundled_data_dir()))
    >>> graph.nodes["openai"]["name"]
    'OpenAI'
    """
    graph = nx.MultiDiGraph(sources=dataset.sources, cohorts=dataset.cohorts)
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
    return build_graph(load_dataset(directory))


def as_of(graph: nx.MultiDiGraph, date: PartialDate | None,
          relations: tuple[str, ...] | list[str] = ()) -> nx.MultiDiGraph:
    """A read-only view with only the edges in effect at ``date`` (and of ``relations``).

    Every node stays; an entity with no edge yet is simply isolated.

    >>> graph = nx.MultiDiGraph()
    >>> graph.add_edge("a", "b", key="k", relation="person-joined-company", date="2023-01")
    'k'
    >>> as_of(graph, PartialDate.parse("2022")).number_of_edges()
    0
    """
    if date is None and not relations:
        return graph
    wanted = frozenset(relations)

    def keep(source, target, key) -> bool:
        data = graph.edges[source, target, key]
        if wanted and data["relation"] not in wanted:
            return False
        return in_effect(data.get("date"), data.get("end"), date)

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
    ``nodes`` (entity data by id), ``cohorts``, ``around(id)`` yielding every
    ``(neighbour, edge reference)`` whichever way the edge points, ``edge(reference)``
    giving the edge record, ``entity(id)`` and ``simple_graph()``.  The cache's
    :class:`graphkit.store.StoreNetwork` is the other implementation.

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
        return nx.Graph(self.graph.to_undirected(as_view=True))


def as_network(graph_or_network):
    """A NetworkX graph wrapped in :class:`GraphNetwork`; a network as it is."""
    return GraphNetwork(graph_or_network) if isinstance(graph_or_network, nx.Graph) else (
        graph_or_network)
