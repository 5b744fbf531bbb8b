"""What came before and after a model, through succession and derivation.

The walk starts at the model and follows only lineage edges, through the traversal
interface of :class:`graphkit.store.graph.GraphNetwork` (a NetworkX graph is wrapped in one), so
it reads a handful of edges from the cache instead of building the whole graph.

A family can be huge (an import that chains 100,000 models), so the walk can stop early:
after ``depth`` steps, or once ``limit`` entries are listed on a side.  It walks outward
one step at a time, nearest first, so what is cut is always the farthest; the answer says
on which side, why, and to which depth the list is complete.
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


def lineage(graph, model: str, depth: int | None = None, limit: int | None = None) -> dict:
    """Predecessors and successors of ``model``, each with how far and through which edge.

    Each entry is the entity record plus ``depth`` (1 = direct), ``via`` (the edge record
    with its ``text``) and ``status`` (what the article says of the later model).
    ``graph`` is a NetworkX graph or a traversal network (such as the cache's view).
    ``depth`` stops the walk after that many steps and ``limit`` after that many entries on
    each side (None: no bound); ``cut`` says, for each side, whether and where it stopped
    with more left: ``{"reason": "depth" | "limit", "shown", "complete_to_depth"}``, or
    None when the list is whole.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> for node in ("m1", "m2", "m3"):
    ...     graph.add_node(node, name=node.upper(), type="model", aliases=[])
    >>> _ = graph.add_edge("m1", "m2", key="s1", relation="model-succeeded-by", sources=[])
    >>> _ = graph.add_edge("m3", "m2", key="d1", relation="model-derived-from", sources=[])
    >>> result = lineage(graph, "m2")
    >>> [p["id"] for p in result["predecessors"]], [s["id"] for s in result["successors"]]
    (['m1'], ['m3'])
    >>> result["cut"]
    {'predecessors': None, 'successors': None}
    >>> lineage(graph, "m3", depth=1)["cut"]["predecessors"]
    {'reason': 'depth', 'shown': 1, 'complete_to_depth': 1}
    >>> lineage(graph, "m3", limit=1)["cut"]["predecessors"]
    {'reason': 'limit', 'shown': 1, 'complete_to_depth': 1}
    """
    network = as_network(graph)
    kind = network.nodes[model]["type"]
    if kind not in ("model", "product"):
        raise BadArgument(f"{network.nodes[model]['name']!r} is a {kind}; lineage needs a "
                          "model or product")
    for name, bound in (("depth", depth), ("limit", limit)):
        if bound is not None and bound < 1:
            raise BadArgument(f"--{name} must be at least 1 (got {bound})")
    steps = _LineageSteps(network)
    predecessors, before = _walk(network, model, steps, True, depth, limit)
    successors, after = _walk(network, model, steps, False, depth, limit)
    return {
        "model": network.entity(model),
        "predecessors": predecessors,
        "successors": successors,
        "depth": depth,
        "limit": limit,
        "cut": {"predecessors": before, "successors": after},
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


def _walk(network, start: str, steps: _LineageSteps, earlier: bool, most_depth: int | None,
          limit: int | None) -> tuple[list[dict], dict | None]:
    """The entries one side of ``start``, nearest first, and where the walk was cut."""
    seen = {start}
    frontier = [start]
    found: list[dict] = []
    depth = 0
    while frontier:
        if most_depth is not None and depth == most_depth:
            beyond = any(neighbour not in seen for node in frontier
                         for neighbour, _record in steps(node, earlier))
            return found, _cut("depth", found, depth) if beyond else None
        depth += 1
        reached = []
        for node in frontier:
            for neighbour, record in steps(node, earlier):
                if neighbour in seen:
                    continue
                if limit is not None and len(found) == limit:
                    return found, _cut("limit", found, depth - 1)
                seen.add(neighbour)
                reached.append(neighbour)
                entry = network.entity(neighbour)
                entry.update({"depth": depth, "via": record, "status": record.get("status")})
                found.append(entry)
        frontier = reached
    return found, None


def _cut(reason: str, found: list[dict], complete_to: int) -> dict:
    return {"reason": reason, "shown": len(found), "complete_to_depth": complete_to}
