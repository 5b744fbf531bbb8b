"""Choosing what to export: edges in effect at a date, of some relations, around a focus."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from graphkit.data.dates import PartialDate
from graphkit.errors import BadArgument, UnknownEntity

if TYPE_CHECKING:
    import networkx as nx


def ego_network(graph: nx.MultiDiGraph, center: str, depth: int) -> nx.MultiDiGraph:
    """A view of the entities within ``depth`` hops of ``center`` (edges followed either way)
    and every edge among them; nothing is copied.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph([("a", "b"), ("c", "b"), ("c", "d")])
    >>> sorted(ego_network(graph, "a", 2))
    ['a', 'b', 'c']
    """
    if center not in graph:
        raise UnknownEntity(center, [])
    if depth < 0:
        raise BadArgument(f"depth must be 0 or more, not {depth}")
    reached = {center}
    frontier = [center]
    for _ in range(depth):
        if not frontier:
            break  # everything reachable is reached
        following = []
        for node in frontier:
            for neighbour in (*graph.successors(node), *graph.predecessors(node)):
                if neighbour not in reached:
                    reached.add(neighbour)
                    following.append(neighbour)
        if not following:
            break
        frontier = following
    return graph.subgraph(reached)


def export_view(graph: nx.MultiDiGraph, date: PartialDate | None = None,
                relations: Iterable[str] = (), focus: str | None = None,
                depth: int = 1, keep_isolated: bool = False) -> nx.MultiDiGraph:
    """The part of ``graph`` to export: edges in effect at ``date`` (of ``relations``), then,
    with ``focus`` (an entity id), only its ego network of ``depth`` hops over those edges.

    A ``date`` or ``relations`` filter drops the entities it leaves with no edge (the focus
    stays), unless ``keep_isolated``.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_edge("a", "b", key="k/0", relation="r", date="2020")
    'k/0'
    >>> graph.add_edge("b", "c", key="k/1", relation="r", date="2024")
    'k/1'
    >>> sorted(export_view(graph, PartialDate.parse("2022"), focus="b"))
    ['a', 'b']
    >>> sorted(export_view(graph, PartialDate.parse("2022")))
    ['a', 'b']
    >>> sorted(export_view(graph, PartialDate.parse("2022"), keep_isolated=True))
    ['a', 'b', 'c']
    """
    from graphkit.store.graph import as_of

    relations = tuple(relations)
    view = as_of(graph, date, relations)
    if focus is not None:
        view = ego_network(view, focus, depth)
    if keep_isolated or (date is None and not relations):
        return view
    linked = {node for edge in view.edges() for node in edge}
    if focus is not None:
        linked.add(focus)
    return view.subgraph(linked) if len(linked) < view.number_of_nodes() else view
