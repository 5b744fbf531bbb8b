"""Connections between entities: shortest paths and ego networks.

Relations are walked in either direction (a person who *left* OpenAI is still connected
to it), but every hop reports the edge's real direction.  The searches walk any object
with the traversal interface of :class:`graphkit.store.graph.GraphNetwork` (a NetworkX graph is
wrapped in one), so they run unchanged on the cache's arrays.
"""

from __future__ import annotations

from graphkit.data.describe import counted, described
from graphkit.data.relations import RELATIONS
from graphkit.errors import BadArgument
from graphkit.store.graph import as_network

_RELATION_ORDER = {name: position for position, name in enumerate(RELATIONS)}
# Enough for any question a person asks; a hub-to-hub query in a huge graph can have
# millions of equally short paths.
ALL_PATHS_LIMIT = 1000


def find_paths(graph, source: str, target: str, *, mode: str = "shortest", k: int = 1,
               max_hops: int | None = None) -> list[dict]:
    """Paths from ``source`` to ``target`` as ``{"length", "nodes", "hops"}`` dicts.

    ``mode`` is ``shortest`` (one path), ``all`` (every shortest path, at most
    ``ALL_PATHS_LIMIT``) or ``k`` (the ``k`` shortest simple paths).  Each hop is an edge
    record plus ``from``/``to`` (walking order), ``direction`` (``forward`` when walked
    along the edge) and ``text``.  An empty list means no path (within ``max_hops``).

    >>> import networkx as nx
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
    network = as_network(graph)
    if mode == "k":
        node_paths = _k_shortest(network, source, target, k, max_hops)
    else:
        limit = 1 if mode == "shortest" else ALL_PATHS_LIMIT
        node_paths = sorted(shortest_node_paths(network, source, target, limit, max_hops))
    return [_path_record(network, nodes) for nodes in node_paths]


def shortest_node_paths(network, source: str, target: str, limit: int,
                        max_hops: int | None = None) -> list[list[str]]:
    """Up to ``limit`` shortest paths (as node lists) by bidirectional breadth-first search.

    Both searches grow a whole layer at a time, always the smaller frontier, and keep
    every shortest predecessor; they stop at the first layer where they meet.  The cost is
    that of the two balls around the ends, not of the graph: milliseconds on a million
    edges where a one-sided search visits everything.  Over a store the search walks the
    entities' numbers (``network.walker()``), and decodes only the ids it orders or
    returns.
    """
    walker = getattr(network, "walker", None)
    if walker is not None:
        number, neighbours, name = walker()
        ends = number(source), number(target)
        if None not in ends:
            paths = _search(*ends, neighbours, name, limit, max_hops)
            return [[name(node) for node in path] for path in paths]

    def around(node: str) -> list[str]:
        return [neighbour for neighbour, _edge in network.around(node)]

    return _search(source, target, around, str, limit, max_hops)


def _search(source, target, neighbours, name, limit: int, max_hops: int | None) -> list[list]:
    """:func:`shortest_node_paths` over nodes of any kind: ``neighbours(node)`` lists a
    node's neighbours, ``name(node)`` is its id (the order of paths and their ties)."""
    distance = ({source: 0}, {target: 0})
    parents: tuple[dict, dict] = ({source: []}, {target: []})
    frontiers = ([source], [target])
    depth = [0, 0]
    while frontiers[0] and frontiers[1]:
        if max_hops is not None and depth[0] + depth[1] >= max_hops:
            return []
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        mine, theirs, mine_parents = distance[side], distance[1 - side], parents[side]
        reached: list = []
        meeting: list = []
        step = depth[side] + 1
        for node in frontiers[side]:
            for neighbour in neighbours(node):
                known = mine.get(neighbour)
                if known is None:
                    mine[neighbour] = step
                    mine_parents[neighbour] = [node]
                    reached.append(neighbour)
                    if neighbour in theirs:
                        meeting.append(neighbour)
                elif known == step and node not in mine_parents[neighbour]:
                    mine_parents[neighbour].append(node)
        depth[side] += 1
        frontiers = (reached, frontiers[1]) if side == 0 else (frontiers[0], reached)
        if meeting:
            total = min(mine[node] + theirs[node] for node in meeting)
            middle = sorted({node for node in meeting if mine[node] + theirs[node] == total},
                            key=name)
            return _join(middle, parents, limit, name)
    return []


def _join(middle: list, parents, limit: int, name) -> list[list]:
    """Every source→middle→target path through the meeting nodes, up to ``limit``."""
    paths: list[list] = []
    for node in middle:
        for toward_source in _chains(node, parents[0], limit, name):
            for toward_target in _chains(node, parents[1], limit, name):
                paths.append(toward_source[::-1] + toward_target[1:])
                if len(paths) >= limit:
                    return paths
    return paths


def _chains(node, parents: dict, limit: int, name) -> list[list]:
    """Paths from ``node`` back to its search's root, following shortest parents (in the
    order of their ids)."""
    if not parents[node]:
        return [[node]]
    chains = []
    for parent in sorted(parents[node], key=name):
        for chain in _chains(parent, parents, limit, name):
            chains.append([node, *chain])
            if len(chains) >= limit:
                return chains
    return chains


def _k_shortest(network, source: str, target: str, k: int,
                max_hops: int | None) -> list[list[str]]:
    import networkx as nx

    simple = network.simple_graph()
    paths: list[list[str]] = []
    try:
        # Paths of equal length come in an order that depends on how the graph was built;
        # take every path as long as the k-th and sort, so the answer does not.
        for path in nx.shortest_simple_paths(simple, source, target):
            if len(paths) >= k and len(path) > len(paths[-1]):
                break
            paths.append(path)
    except nx.NetworkXNoPath:
        return []
    paths = sorted(paths, key=lambda path: (len(path), path))[:k]
    return [path for path in paths if max_hops is None or len(path) - 1 <= max_hops]


def _path_record(network, nodes: list[str]) -> dict:
    hops = [_hop(network, walked_from, walked_to)
            for walked_from, walked_to in zip(nodes, nodes[1:], strict=False)]
    return {"length": len(hops), "nodes": nodes, "hops": hops}


def hop_key(record: dict) -> tuple:
    """Which of the edges linking two entities a path walks: the smallest key, i.e. a claim
    stated or reported as fact before a hedged one, then the first by relation order, date
    and id.  (The page's path finder ranks its edges by this same key.)

    >>> left = {"relation": "person-left-company", "id": "b", "modality": "possible"}
    >>> role = {"relation": "person-role-at-company", "id": "a"}
    >>> min([left, role], key=hop_key)["id"]
    'a'
    """
    return (not counted(record), _RELATION_ORDER[record["relation"]],
            record.get("date") or "9999", record["id"])


def _hop(network, walked_from: str, walked_to: str) -> dict:
    """The edge chosen for one step: a claim stated or reported as fact before a hedged
    one, then the first by relation order, date and id."""
    candidates = [network.edge(reference) for neighbour, reference in network.around(walked_from)
                  if neighbour == walked_to]
    record = min(candidates, key=hop_key)
    direction = "forward" if record["source"] == walked_from else "backward"
    record.update({"from": walked_from, "to": walked_to, "direction": direction})
    described(network.nodes, record)
    return record


def connection(graph, source: str, target: str, **options) -> dict:
    """:func:`find_paths` as a report: ``from``, ``to``, ``paths`` and ``entities`` (the
    record of every entity on a path, by id).  ``paths`` is empty when there is none."""
    network = as_network(graph)
    paths = find_paths(network, source, target, **options)
    on_paths = {source, target} | {node for path in paths for node in path["nodes"]}
    return {"from": source, "to": target, "paths": paths,
            "entities": {node: network.entity(node) for node in sorted(on_paths)}}


def neighborhood(graph, center: str, depth: int = 1) -> dict:
    """The ego network: entities within ``depth`` hops (either direction) and their edges.

    Returns ``{"center", "depth", "nodes": [{"id", "distance"}], "edges": [records],
    "entities": {id: record}}``, without copying the graph.

    >>> import networkx as nx
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
    network = as_network(graph)
    distance = {center: 0}
    frontier = [center]
    for step in range(1, depth + 1):
        if not frontier:
            break  # everything reachable is reached: more depth adds nothing
        reached = []
        for node in frontier:
            for neighbour, _edge in network.around(node):
                if neighbour not in distance:
                    distance[neighbour] = step
                    reached.append(neighbour)
        frontier = reached
    references = {}
    for node in distance:
        for neighbour, reference in network.around(node):
            if neighbour in distance:
                references[reference] = None
    edges = []
    for reference in references:
        record = network.edge(reference)
        described(network.nodes, record)
        edges.append(record)
    nodes = [{"id": node, "distance": hops} for node, hops in distance.items()]
    nodes.sort(key=lambda item: (item["distance"], item["id"]))
    edges.sort(key=lambda item: (item["source"], item["target"], item["id"]))
    return {"center": center, "depth": depth, "nodes": nodes, "edges": edges,
            "entities": {node: network.entity(node) for node in sorted(distance)}}
