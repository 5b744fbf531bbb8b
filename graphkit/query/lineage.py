"""What came before and after a model, through succession and derivation.

The walk starts at the model and follows only lineage edges, through the traversal
interface of :class:`graphkit.store.graph.GraphNetwork` (a NetworkX graph is wrapped in one), so
it reads a handful of edges from the cache instead of building the whole graph.
"""

from __future__ import annotations

from graphkit.data.describe import described
from graphkit.data.relations import SUCCESSION_RELATIONS
from graphkit.errors import BadArgument
from graphkit.store.graph import as_network, edges_at


def _earlier_later(record: dict) -> tuple[str, str]:
    """Which end of a lineage edge came first: a successor follows its predecessor, a
    derived model follows the model it was derived from."""
    if record["relation"] == "model-succeeded-by":
        return record["source"], record["target"]
    return record["target"], record["source"]


def lineage(graph, model: str) -> dict:
    """Predecessors and successors of ``model``, each with how far and through which edge.

    Each entry is the entity record plus ``depth`` (1 = direct), ``via`` (the edge record
    with its ``text``) and ``status`` (what the article says of the later model).
    ``graph`` is a NetworkX graph or a traversal network (such as the cache's view).

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> for node in ("m1", "m2", "m3"):
    ...     graph.add_node(node, name=node.upper(), type="model", aliases=[])
    >>> _ = graph.add_edge("m1", "m2", key="s1", relation="model-succeeded-by", sources=[])
    >>> _ = graph.add_edge("m3", "m2", key="d1", relation="model-derived-from", sources=[])
    >>> result = lineage(graph, "m2")
    >>> [p["id"] for p in result["predecessors"]], [s["id"] for s in result["successors"]]
    (['m1'], ['m3'])
    """
    network = as_network(graph)
    kind = network.nodes[model]["type"]
    if kind not in ("model", "product"):
        raise BadArgument(f"{network.nodes[model]['name']!r} is a {kind}; lineage needs a "
                          "model or product")
    steps = _LineageSteps(network)
    return {
        "model": network.entity(model),
        "predecessors": _walk(network, model, steps, earlier=True),
        "successors": _walk(network, model, steps, earlier=False),
    }


class _LineageSteps:
    """The lineage edges at each model, read once per model and split by direction.

    An edge joins two models of the walk, so each record (and its sentence) is made once;
    names are looked up once per entity (a cached read is still a copy of the record).
    """

    def __init__(self, network):
        self.network = network
        self._steps: dict[str, tuple[list, list]] = {}
        self._records: dict = {}
        self._names = _Names(network.nodes)

    def __call__(self, node: str, earlier: bool) -> list[tuple[str, dict]]:
        """``(neighbour, edge record)`` pairs one step earlier (or later) than ``node``,
        in edge id order."""
        if node not in self._steps:
            before, after = [], []
            for reference in edges_at(self.network, node):
                record = self._record(reference)
                if record is None:
                    continue
                first, then = _earlier_later(record)
                if then == node:
                    before.append((first, record))
                if first == node:
                    after.append((then, record))
            before.sort(key=lambda step: step[1]["id"])
            after.sort(key=lambda step: step[1]["id"])
            self._steps[node] = (before, after)
        return self._steps[node][0 if earlier else 1]

    def _record(self, reference) -> dict | None:
        """The lineage edge's record with its ``text``; ``None`` for any other edge."""
        if reference not in self._records:
            record = self.network.edge(reference)
            if record["relation"] in SUCCESSION_RELATIONS:
                described(self._names, record)
            else:
                record = None
            self._records[reference] = record
        return self._records[reference]


class _Names:
    """Entity data by id, each entity read once (what :func:`describe_edge` looks up)."""

    def __init__(self, nodes):
        self._nodes = nodes
        self._read: dict[str, dict] = {}

    def __contains__(self, ident) -> bool:
        return ident in self._read or ident in self._nodes

    def __getitem__(self, ident: str) -> dict:
        if ident not in self._read:
            self._read[ident] = self._nodes[ident]
        return self._read[ident]


def _walk(network, start: str, steps: _LineageSteps, earlier: bool) -> list[dict]:
    seen = {start}
    frontier = [start]
    found = []
    depth = 0
    while frontier:
        depth += 1
        reached = []
        for node in frontier:
            for neighbour, record in steps(node, earlier):
                if neighbour in seen:
                    continue
                seen.add(neighbour)
                reached.append(neighbour)
                entry = network.entity(neighbour)
                entry.update({"depth": depth, "via": record, "status": record.get("status")})
                found.append(entry)
        frontier = reached
    return found
