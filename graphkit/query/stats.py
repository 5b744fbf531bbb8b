"""Summary statistics: counts, the most central entities, communities.

A small graph gets exact answers from NetworkX: Brandes' betweenness and Louvain
communities.  Those take minutes on a large one (a million edges), so above
:data:`EXACT_NODES` entities or :data:`EXACT_EDGES` edges the figures come from the
cache's arrays with NumPy instead: counts and degree still exactly, betweenness estimated
from a seeded sample of sources, communities by igraph's Leiden algorithm, and only the
largest communities listed.  Each costly figure states its ``method``.
"""

from __future__ import annotations

import heapq
from collections import Counter
from typing import TYPE_CHECKING

from graphkit.data.relations import ENTITY_TYPES, RELATIONS

if TYPE_CHECKING:
    import networkx as nx
    import numpy as np

    from graphkit.data.dates import PartialDate
    from graphkit.store.cache import Store, StoreNetwork

# Exact betweenness is O(V·E) in pure Python (0.5 s at 500 entities and 1,500 edges, 3 s at
# twice that): above either limit the figures come from the store's arrays (network_stats).
EXACT_NODES = 500
EXACT_EDGES = 2_000
# The betweenness sample is sized so one estimate walks about this many adjacency entries
# (each sampled source costs one breadth-first search over the whole graph): about a
# second on a 2-core machine, 20 sources at a million edges, 200 at a hundred thousand.
BETWEENNESS_WORK = 40_000_000
MIN_SAMPLE = 10
SEED = 0
# Leiden's passes over the graph: igraph's default; at a million edges it takes about 4 s
# and finds communities of modularity 0.38 (running to convergence adds little).
LEIDEN_ITERATIONS = 2
MEMBERS_SHOWN = 10
NETWORKX_SAMPLE = 500


def graph_stats(graph: nx.MultiDiGraph, top: int = 10) -> dict:
    """Counts by entity type and relation, top entities by degree and betweenness, and
    communities (Louvain, seeded so the answer is repeatable).  Each costly figure
    states its ``method``.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> for node in "abc": graph.add_node(node, name=node, type="person")
    >>> _ = graph.add_edge("a", "b", key="1", relation="person-left-company")
    >>> _ = graph.add_edge("b", "c", key="2", relation="person-left-company")
    >>> stats = graph_stats(graph)
    >>> stats["betweenness"]["top"][0]["id"], stats["relations"]
    ('b', {'person-left-company': 2})
    """
    import networkx as nx

    simple = nx.Graph()
    simple.add_nodes_from(graph.nodes)
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    degree = sorted(((graph.degree(node), node) for node in graph.nodes),
                    key=lambda item: (-item[0], item[1]))[:top]
    if simple.number_of_nodes() <= EXACT_NODES:
        between = nx.betweenness_centrality(simple)
        between_method = "exact (Brandes), undirected, normalised"
    else:
        # (The statistics command sends large graphs to network_stats instead.)
        between = nx.betweenness_centrality(simple, k=NETWORKX_SAMPLE, seed=0)
        between_method = (f"estimated from {NETWORKX_SAMPLE} sampled sources (seed 0), "
                          "undirected, normalised")
    ranked = sorted(between.items(), key=lambda item: (-item[1], item[0]))[:top]
    communities = nx.community.louvain_communities(simple, seed=0) if simple.edges else []
    modularity = nx.community.modularity(simple, communities) if simple.edges else 0.0
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
                        "modularity": round(modularity, 4),
                        "groups": [[entity(node) for node in group] for group in groups]},
    }


def is_large(store: Store, exact_nodes: int | None = None,
             exact_edges: int | None = None) -> bool:
    """Whether ``store`` is past the limits of the exact methods (the same for any filter,
    so a dataset's figures always come from the same methods)."""
    nodes = EXACT_NODES if exact_nodes is None else exact_nodes
    edges = EXACT_EDGES if exact_edges is None else exact_edges
    return len(store.ids) > nodes or store.edge_count > edges


def dataset_stats(store: Store, as_of: PartialDate | None = None, relations=(), top: int = 10,
                  sample: int | None = None, exact_nodes: int | None = None,
                  exact_edges: int | None = None) -> dict:
    """The statistics of the dataset in ``store`` as of a date, for some relations:
    :func:`graph_stats` (exact) on a small dataset, :func:`network_stats` (from the arrays,
    estimates where exact figures are too slow) on a large one.  ``sample`` sets the number
    of betweenness sources on a large one; ``exact_nodes``/``exact_edges`` override the
    limits (:data:`EXACT_NODES`, :data:`EXACT_EDGES`).

    >>> import tempfile, os
    >>> from graphkit.data.locate import bundled_data_dir
    >>> from graphkit.store.cache import open_store, CACHE_ENVIRONMENT
    >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
    >>> store = open_store(bundled_data_dir())
    >>> dataset_stats(store)["betweenness"]["method"]
    'exact (Brandes), undirected, normalised'
    >>> dataset_stats(store, exact_nodes=0, sample=20)["betweenness"]["method"][:56]
    'estimated from 20 of 97 sources drawn at random (seed 0)'
    """
    if not is_large(store, exact_nodes, exact_edges):
        from graphkit.store.graph import as_of as graph_as_of
        from graphkit.store.graph import build_graph

        return graph_stats(graph_as_of(build_graph(store.dataset()), as_of, relations), top)
    return network_stats(store.view(as_of, relations), top, sample)


def network_stats(view: StoreNetwork, top: int = 10, sample: int | None = None,
                  seed: int = SEED) -> dict:
    """:func:`graph_stats` for a large graph, from the store's arrays with NumPy.

    Counts and degree are exact.  Betweenness is estimated from ``sample`` sources (by
    default sized to the graph, see :data:`BETWEENNESS_WORK`; exact when the sample covers
    every entity with an edge).  Communities come from Leiden
    (:func:`leiden_communities`), with their modularity; only the ``top`` largest are
    listed, as ``{"size", "members"}`` with their most connected members, and ``count``
    gives how many there are.

    >>> import tempfile, os
    >>> from graphkit.data.locate import bundled_data_dir
    >>> from graphkit.store.cache import open_store, CACHE_ENVIRONMENT
    >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
    >>> result = network_stats(open_store(bundled_data_dir()).view(), top=3)
    >>> result["nodes"], result["degree"]["top"][0]["id"], sorted(result["communities"])
    (103, 'openai', ['count', 'largest', 'method', 'modularity'])
    """
    import numpy as np

    store = view.store
    ids = store.ids
    count = len(ids)
    keep = kept_edges(view)
    source = _column(store.source)[keep]
    target = _column(store.target)[keep]
    relation = _column(store.relation)[keep]
    degree = (np.bincount(source, minlength=count) + np.bincount(target, minlength=count))
    indptr, indices = simple_adjacency(source, target, count)
    del source, target

    def entity(node: int, **extra) -> dict:
        record = store.entity(ids[node])
        return {"id": record["id"], "name": record["name"], "type": record["type"], **extra}

    between, between_method = estimate_betweenness(indptr, indices, sample, seed)
    labels, modularity, communities_method = _communities(indptr, indices, seed)
    sizes = np.bincount(labels, minlength=count)
    largest = _largest_groups(labels, sizes, top)
    # The store's codes are positions in these lists.
    relation_counts = np.bincount(relation, minlength=len(RELATIONS))
    type_counts = np.bincount(_column(store.types), minlength=len(ENTITY_TYPES))
    return {
        "nodes": count,
        "edges": int(keep.sum()),
        "entities": dict(sorted((name, int(type_counts[code]))
                                for code, name in enumerate(ENTITY_TYPES) if type_counts[code])),
        "relations": dict(sorted((name, int(relation_counts[code]))
                                 for code, name in enumerate(RELATIONS) if relation_counts[code])),
        "degree": {"method": "number of edges, both directions",
                   "top": [entity(node, degree=int(degree[node]))
                           for node in _ranked(degree, top, ids)]},
        # Ranked on rounded values, so float noise never decides a tie (ties go by id);
        # shown to 4 significant digits, as a large graph's values are small.
        "betweenness": {"method": between_method,
                        "top": [entity(node, betweenness=float(f"{between[node]:.4g}"))
                                for node in _ranked(between.round(14), top, ids)]},
        "communities": {
            "method": communities_method,
            "modularity": round(modularity, 4),
            "count": int((sizes > 1).sum()),
            "largest": [{"size": int(sizes[label]),
                         "members": [entity(node) for node in _ranked(
                             degree, MEMBERS_SHOWN, ids, among=np.flatnonzero(labels == label))]}
                        for label in largest]},
    }


def _column(values) -> np.ndarray:
    """A store array (stdlib ``array``, ``bytes`` or NumPy) as a NumPy array, not copied."""
    import numpy as np

    return np.asarray(memoryview(values))


def kept_edges(view: StoreNetwork) -> np.ndarray:
    """Which edges ``view`` keeps, as a boolean array over the store's edges: the rule of
    :meth:`graphkit.store.cache.StoreNetwork.around` (relation codes, start <= last day of the
    date, end >= its first day), for every edge at once.

    >>> import tempfile, os
    >>> from graphkit.data.dates import PartialDate
    >>> from graphkit.data.locate import bundled_data_dir
    >>> from graphkit.store.cache import open_store, CACHE_ENVIRONMENT
    >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
    >>> store = open_store(bundled_data_dir())
    >>> view = store.view(PartialDate.parse("2020"), ["person-left-company"])
    >>> kept_edges(view).tolist() == [view._keep(edge) for edge in range(store.edge_count)]
    True
    """
    import numpy as np

    store = view.store
    keep = np.ones(store.edge_count, dtype=bool)
    if view._relations is not None:
        wanted = np.zeros(256, dtype=bool)
        wanted[list(view._relations)] = True
        keep &= wanted[_column(store.relation)]
    if view.window is not None:
        keep &= view.window.admits(_column(store.start), _column(store.end))
    return keep


def simple_adjacency(source: np.ndarray, target: np.ndarray,
                     count: int) -> tuple[np.ndarray, np.ndarray]:
    """The undirected simple graph of some edges (no loops, parallel edges once) as
    compressed sparse rows: the neighbours of ``n`` are ``indices[indptr[n]:indptr[n + 1]]``,
    in increasing order.

    >>> import numpy as np
    >>> indptr, indices = simple_adjacency(np.array([0, 1, 1, 2]), np.array([1, 0, 2, 2]), 3)
    >>> indptr.tolist(), indices.tolist()
    ([0, 1, 3, 4], [1, 0, 2, 1])
    """
    import numpy as np

    low = np.minimum(source, target).astype(np.int64)
    high = np.maximum(source, target).astype(np.int64)
    pairs = np.sort((low * count + high)[low != high])
    pairs = pairs[_starts_of_runs(pairs)]
    low, high = pairs // count, pairs % count
    # Both directions, sorted by row then neighbour (NumPy sorts integers fast; np.unique
    # would hash them, many times slower).
    both = np.sort(np.concatenate([low * count + high, high * count + low]))
    rows = both // count
    indptr = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=count), out=indptr[1:])
    return indptr, (both % count).astype(np.int32)


def default_sample(indices: np.ndarray) -> int:
    """How many betweenness sources fit :data:`BETWEENNESS_WORK` (at least MIN_SAMPLE).

    >>> import numpy as np
    >>> default_sample(np.zeros(2_000_000)), default_sample(np.zeros(200_000))
    (20, 200)
    """
    return max(MIN_SAMPLE, BETWEENNESS_WORK // max(1, len(indices)))


def estimate_betweenness(indptr: np.ndarray, indices: np.ndarray, sample: int | None = None,
                         seed: int = SEED) -> tuple[np.ndarray, str]:
    """Normalised betweenness of every node of an undirected simple graph (as
    :func:`simple_adjacency` gives), and the method used.

    Brandes' algorithm from ``sample`` sources drawn without replacement (seeded) from the
    nodes that have an edge, scaled up to all of them.  Each source's share of a shortest
    path is weighted by how far along the path a node lies ("linear scaling", Geisberger,
    Sanders and Schultes 2008): still unbiased, but a node next to a sampled source is no
    longer credited with every path out of it, which otherwise dominates a small sample.
    With a sample as large as the pool it is exact.  Normalised by (n - 1)(n - 2), as
    NetworkX does.

    >>> import numpy as np
    >>> indptr, indices = simple_adjacency(np.array([0, 1, 2]), np.array([1, 2, 3]), 4)
    >>> values, method = estimate_betweenness(indptr, indices)
    >>> values.round(4).tolist(), method
    ([0.0, 0.6667, 0.6667, 0.0], 'exact (Brandes), undirected, normalised')
    """
    import numpy as np

    count = len(indptr) - 1
    pool = np.flatnonzero(np.diff(indptr) > 0)
    wanted = default_sample(indices) if sample is None else sample
    if wanted >= len(pool):
        sources, method = pool, "exact (Brandes), undirected, normalised"
    else:
        sources = np.sort(np.random.default_rng(seed).choice(pool, wanted, replace=False))
        method = (f"estimated from {wanted:,} of {len(pool):,} sources drawn at random "
                  f"(seed {seed}{'; --sample N for more' if sample is None else ''}): "
                  "Brandes with linear scaling, undirected, normalised; exact only up to "
                  f"{EXACT_NODES:,} entities and {EXACT_EDGES:,} edges")
    # 32-bit positions where they fit: less memory traffic in the searches.
    position = np.int32 if len(indices) < 2**31 else np.int64
    starts = indptr[:-1].astype(position)
    degree = np.diff(indptr).astype(position)
    values = np.zeros(count)
    for node in sources:
        values += _scaled_dependencies(starts, degree, indices, int(node))
    if count <= 2 or len(sources) == 0:
        return np.zeros(count), method
    return values * (len(pool) / len(sources) / ((count - 1) * (count - 2))), method


def _scaled_dependencies(starts: np.ndarray, degree: np.ndarray, indices: np.ndarray,
                         source: int) -> np.ndarray:
    """Every node's share of the shortest paths from ``source``, each path to a target t
    counted with weight 2·d(source, v)/d(source, t) (summed over every source this is
    exactly Brandes' total, since the two directions of a path add up to 2).

    A breadth-first search one level at a time (all of a level's edges at once in NumPy)
    counts the shortest paths; the shares are then summed back from the deepest level:
    g(v) = sum over children w of paths(v)/paths(w) · (1/d(w) + g(w)), share = 2·d(v)·g(v).
    """
    import numpy as np

    count = len(starts)
    seen = np.zeros(count, dtype=bool)
    seen[source] = True
    paths = np.zeros(count)
    paths[source] = 1.0
    frontier = np.array([source], dtype=starts.dtype)
    levels = []
    while True:
        counts = degree[frontier]
        ends = np.cumsum(counts)
        total = int(ends[-1])
        if total == 0:
            break
        positions = np.repeat(starts[frontier] - (ends - counts), counts)
        positions += np.arange(total, dtype=positions.dtype)
        neighbours = indices[positions]
        new = np.flatnonzero(~seen[neighbours])
        if new.size == 0:
            break
        children = neighbours[new]
        parents = np.repeat(frontier, counts)[new]
        seen[children] = True
        # Work in proportion to the level, not to the graph: a filtered graph can be
        # sparse and many levels deep.
        np.add.at(paths, children, paths[parents])
        levels.append((parents, children))
        ordered = np.sort(children)
        frontier = ordered[_starts_of_runs(ordered)]
    behind = np.zeros(count)
    distance = np.zeros(count)
    for depth in range(len(levels), 0, -1):
        parents, children = levels[depth - 1]
        distance[children] = depth
        share = paths[parents] / paths[children] * (1.0 / depth + behind[children])
        np.add.at(behind, parents, share)
    return 2.0 * distance * behind


def _starts_of_runs(ordered: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array starts, as a boolean mask."""
    import numpy as np

    starts = np.ones(len(ordered), dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    return starts


def leiden_communities(indptr: np.ndarray, indices: np.ndarray, seed: int = SEED
                       ) -> tuple[np.ndarray, float]:
    """Communities of an undirected simple graph by igraph's Leiden algorithm with the
    modularity objective, seeded so the answer is repeatable.

    Returns a community number per node and the partition's modularity.

    >>> import numpy as np
    >>> a, b = [0, 0, 1, 3, 3, 4, 2], [1, 2, 2, 4, 5, 5, 3]  # two triangles and a bridge
    >>> labels, modularity = leiden_communities(*simple_adjacency(np.array(a), np.array(b), 6))
    >>> len(set(labels[:3].tolist())), len(set(labels[3:].tolist())), round(modularity, 3)
    (1, 1, 0.357)
    """
    import random

    import igraph
    import numpy as np

    count = len(indptr) - 1
    rows = np.repeat(np.arange(count, dtype=np.int64), np.diff(indptr))
    once = rows < indices
    graph = igraph.Graph(n=count, edges=np.column_stack([rows[once], indices[once]]),
                         directed=False)
    # igraph draws from Python's random module unless given a generator of its own.
    igraph.set_random_number_generator(random.Random(seed))
    try:
        partition = graph.community_leiden(objective_function="modularity",
                                           n_iterations=LEIDEN_ITERATIONS)
    finally:
        igraph.set_random_number_generator(random)
    labels = np.asarray(partition.membership, dtype=np.int64)
    return labels, float(partition.modularity) if graph.ecount() else 0.0


def _communities(indptr: np.ndarray, indices: np.ndarray, seed: int
                 ) -> tuple[np.ndarray, float, str]:
    labels, modularity = leiden_communities(indptr, indices, seed)
    return labels, modularity, (
        f"Leiden (igraph, modularity objective, {LEIDEN_ITERATIONS} iterations, seed {seed}) "
        f"on the undirected graph; groups of two or more, the largest first with their "
        f"{MEMBERS_SHOWN} most connected members; Louvain (NetworkX) is used up to "
        f"{EXACT_NODES:,} entities and {EXACT_EDGES:,} edges")


def _largest_groups(labels: np.ndarray, sizes: np.ndarray, top: int) -> list[int]:
    """The labels of the ``top`` largest groups of two or more, ties in order of their
    first member in the data."""
    import numpy as np

    first = np.full(len(sizes), len(sizes))
    np.minimum.at(first, labels, np.arange(len(labels)))
    groups = np.flatnonzero(sizes > 1)
    chosen = groups[np.lexsort((first[groups], -sizes[groups]))[:top]]
    return [int(label) for label in chosen]


def _ranked(values: np.ndarray, top: int, ids: list[str], among: np.ndarray | None = None
            ) -> list[int]:
    """The nodes (of ``among``, default all) with the ``top`` largest values, ties by id
    as :func:`graph_stats` orders them; only the nodes at the cut are sorted by id."""
    import numpy as np

    nodes = np.arange(len(values)) if among is None else among
    if nodes.size == 0 or top <= 0:
        return []
    picked = values[nodes]
    if nodes.size > top:
        cut = np.partition(picked, nodes.size - top)[nodes.size - top]
        above = nodes[picked > cut]
        tied = heapq.nsmallest(top - above.size, nodes[picked == cut].tolist(),
                               key=ids.__getitem__)
        nodes = np.concatenate([above, np.array(tied, dtype=above.dtype)])
    return sorted(nodes.tolist(), key=lambda node: (-values[node], ids[node]))
