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
    stays), unless ``keep_isolated``.  Any filter keeps only the records and documents about
    what it exports (:func:`records_about`); with none, ``graph`` itself is returned.

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
    import networkx as nx

    from graphkit.store.graph import as_of

    relations = tuple(relations)
    if date is None and not relations and focus is None:
        return graph
    view = as_of(graph, date, relations)
    if focus is not None:
        view = ego_network(view, focus, depth)
    if not keep_isolated and (date is not None or relations):
        linked = {node for edge in view.edges() for node in edge}
        if focus is not None:
            linked.add(focus)
        if len(linked) < view.number_of_nodes():
            view = view.subgraph(linked)
    # A view of its own (nothing copied), to hold only the records about what it keeps.
    view = nx.subgraph_view(view)
    view.graph = records_about(view, date, relations)
    return view


def records_about(view: nx.MultiDiGraph, date: PartialDate | None = None,
                  relations: Iterable[str] = ()) -> dict:
    """``view.graph`` narrowed to what a filtered export keeps: the records (cohorts,
    figures, rounds, events) that name an entity of ``view``, that may have happened by
    ``date`` (as ``show --as-of`` lists them: :meth:`graphkit.query.facts.Facts.shown`)
    and, for a record of a relation (a cohort), that are of ``relations``; and the
    documents cited by those records or by an edge of ``view``.  A kept record is kept
    whole, even when it also names entities left out.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph(sources={"a.txt": {}, "b.txt": {}},
    ...     figures=[{"id": "f1", "entity": "x", "sources": [{"doc": "a.txt"}]},
    ...              {"id": "f2", "entity": "z", "sources": [{"doc": "b.txt"}]}])
    >>> graph.add_edge("x", "y", key="e", relation="r", sources=[{"doc": "a.txt"}])
    'e'
    >>> graph.add_node("z")
    >>> kept = records_about(graph.subgraph(["x", "y"]))
    >>> [figure["id"] for figure in kept["figures"]], sorted(kept["sources"])
    (['f1'], ['a.txt'])
    """
    from graphkit.data.schema import RECORD_KINDS, entity_fields
    from graphkit.query.facts import Facts

    extra = view.graph
    wanted = frozenset(relations)
    facts = Facts(view.nodes, events=extra.get("events", ()))
    kept: dict = {}
    cited: set = set()
    for name, value in extra.items():
        if name not in RECORD_KINDS or not isinstance(value, list):
            kept[name] = value
            continue
        fields = entity_fields(name)
        records = []
        for record in value:
            named = _named(record, fields)
            if (any(ident in view for ident in named)
                    and not (wanted and "relation" in record and record["relation"] not in wanted)
                    and facts.shown(name[:-1], record, date)):
                records.append(record)
                cited.update(_cited(record))
        kept[name] = records
    for *_, attributes in view.edges(keys=True, data=True):
        cited.update(_cited(attributes))
    registry = extra.get("sources")
    if isinstance(registry, dict):
        kept["sources"] = {doc: meta for doc, meta in registry.items() if doc in cited}
    return kept


def _named(record: dict, fields: tuple[str, ...]) -> list[str]:
    named = []
    for field in fields:
        value = record.get(field)
        named.extend(value if isinstance(value, list) else [] if value is None else [value])
    return named


def _cited(record: dict) -> set[str]:
    return {citation["doc"] for citation in record.get("sources") or ()
            if isinstance(citation, dict) and "doc" in citation}
