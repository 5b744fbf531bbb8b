"""What a page shows: the JSON document (:func:`page_data`) of entities, edges, legends, the
timeline and the cited documents for each view (full, focus, path, lineage, flow).

Imports: ``graphkit.query``, ``graphkit.store``, ``graphkit.data`` and the page's layout.
"""

from __future__ import annotations

import copy
import math
from collections import defaultdict
from collections.abc import Mapping
from functools import cache

import networkx as nx

from graphkit.data.dates import PartialDate
from graphkit.data.describe import amount_text, describe_edge, hedge_text, quantity_text
from graphkit.data.lifespans import beginnings
from graphkit.data.names import entity_keys, page_rules
from graphkit.data.relations import ENTITY_TYPES, RELATIONS, SUCCESSION_RELATIONS
from graphkit.errors import BadArgument, NoAnswer
from graphkit.page.layout import LARGE_NODES, force_layout, layered_layout
from graphkit.store.graph import as_of as graph_as_of

VIEWS = ("full", "flow", "lineage")
# Above this many entities a page is refused: draw part of the graph with --focus instead.
MAX_NODES = 10_000
# Graphs up to this many entities are laid out whole, once, for every page drawn from them.
WHOLE_LAYOUT_NODES = 500
# Above this many edges (or LARGE_NODES entities) the page trades looks for speed.
LARGE_EDGES = 4_000

# Entity colours from Tableau 10, with a distinct shape per entity type as a second channel.
ENTITY_STYLES = {
    "person": {"color": "#4e79a7", "shape": "dot", "label": "Person"},
    "company": {"color": "#f28e2b", "shape": "square", "label": "Company"},
    "lab": {"color": "#e15759", "shape": "triangle", "label": "Lab"},
    "investor": {"color": "#59a14f", "shape": "diamond", "label": "Investor"},
    "model": {"color": "#b07aa1", "shape": "hexagon", "label": "Model"},
    "product": {"color": "#76b7b2", "shape": "star", "label": "Product"},
    "university": {"color": "#9c755f", "shape": "triangleDown", "label": "University"},
    "government": {"color": "#edc948", "shape": "square", "label": "Government"},
    "unknown": {"color": "#c3cad3", "shape": "dot", "label": "Unknown"},
}
# Relation colours from the Okabe-Ito palette (told apart with any colour vision), with the
# line's dash pattern as a second channel where two relations share a hue.  A dotted line is
# kept for links with no date (the page draws those lighter).
_DASHED = [9, 4]
_DASH_DOT = [10, 3, 3, 3]
_LONG_DASH = [14, 5]
RELATION_STYLES = {
    "person-left-company": {"color": "#d55e00", "dashes": _DASHED, "width": 1.5, "label": "left"},
    "person-joined-company": {"color": "#009e73", "width": 1.5, "label": "joined"},
    "person-founded-company": {"color": "#e69f00", "width": 2.5, "label": "founded"},
    "person-role-at-company": {"color": "#7a7a7a", "width": 1, "label": "role at"},
    "company-invested-in": {"color": "#0072b2", "width": 2.5, "label": "invested in"},
    "company-developed-model": {"color": "#cc79a7", "width": 1.2, "label": "developed"},
    "model-succeeded-by": {"color": "#56b4e9", "width": 2.5, "label": "succeeded by"},
    "model-derived-from": {"color": "#56b4e9", "dashes": _DASHED, "width": 1.5,
                           "label": "derived from"},
    "product-uses-model": {"color": "#cc79a7", "dashes": _DASH_DOT, "width": 1.2,
                           "label": "uses"},
    "company-part-of-company": {"color": "#000000", "dashes": _LONG_DASH, "width": 2,
                                "label": "part of"},
    "company-partnered-with": {"color": "#0072b2", "dashes": _DASHED, "width": 1.5,
                               "label": "partnered with", "arrows": False},
    "company-acquired-company": {"color": "#000000", "width": 2.5, "label": "acquired"},
    "talent-flow": {"color": "#0072b2", "width": 1, "label": "people moved to"},
}
_AMOUNT_RELATIONS = ("company-invested-in", "company-acquired-company")


def page_data(graph: nx.MultiDiGraph, *, view: str = "full", focus: str | None = None,
              depth: int | None = None, path: tuple[str, str] | None = None,
              as_of: PartialDate | None = None, relations: tuple[str, ...] = (),
              max_nodes: int = MAX_NODES, whole_layout: bool | None = None,
              path_found: dict | None = None, flow=None) -> dict:
    """The JSON document a page draws: ``meta``, ``types``, ``relations`` (the legends),
    ``nodes`` (with layout ``x``/``y``), ``edges`` and ``documents``.

    ``view`` is ``full`` (every entity), ``lineage`` (models and products along succession and
    derivation) or ``flow`` (people moving between organisations).  ``focus`` keeps the
    entities within ``depth`` hops (default 1) of one entity; ``path`` highlights the
    connecting path between two entities in context (within ``depth`` hops of it when given).
    ``as_of`` and ``relations`` filter edges as everywhere else; an entity then stays only if
    it keeps an edge (or never had one).  ``graph`` is never modified.

    ``whole_layout`` places the entities by a layout of all of ``graph`` (so every page of
    it puts an entity in the same place) rather than of what is shown; by default it does
    when ``graph`` has at most ``WHOLE_LAYOUT_NODES`` entities.  ``False`` also says that
    ``graph`` is an area read around a focus, not the whole graph: then only the links
    drawn date an entity that has no beginning event.

    ``path_found``, the path between ``path``'s ends found elsewhere (:func:`find_path`,
    over the whole cache), spares finding it in ``graph`` (then an area around the path).
    ``flow``, for the flow view, is the table of moves to count
    (:class:`graphkit.query.movetable.MoveTable`, kept beside the cache); ``graph`` then
    needs only the entities' records (:class:`CachedEntities`), not their links.

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> data = page_data(load_graph(bundled_data_dir()), view="lineage")
    >>> all(node["type"] in ("model", "product") for node in data["nodes"])
    True
    """
    if view not in VIEWS:
        raise BadArgument(f"unknown view {view!r}; use one of {', '.join(VIEWS)}")
    for relation in relations:
        if relation not in RELATIONS:
            raise BadArgument(f"unknown relation {relation!r}")
    for entity in (focus, *(path or ())):
        if entity is not None and entity not in graph:
            raise BadArgument(f"no entity with id {entity!r}")
    if focus and path:
        raise BadArgument("draw either a focus or a path, not both")
    if depth is not None and depth < 1:
        raise BadArgument(f"depth must be at least 1, not {depth}")
    if depth is not None and not (focus or path):
        raise BadArgument("--depth needs --focus or --path")
    if path and path[0] == path[1]:
        raise BadArgument("a path needs two different entities")
    if view == "flow":
        if path:
            raise BadArgument("the flow view has no paths; use the full view")
        return _flow_data(graph, focus=focus, depth=depth, as_of=as_of, max_nodes=max_nodes,
                          source=flow)
    if view == "lineage":
        relations = _lineage_relations(relations)
    view_graph = graph_as_of(graph, as_of, relations)
    if view == "lineage":
        members = {node for edge in view_graph.edges() for node in edge}
        if focus and focus not in members:
            raise NoAnswer(f"{graph.nodes[focus]['name']} has no succession or derivation edge")
        if path and not set(path) <= members:
            raise NoAnswer("a lineage path needs two models with succession or derivation edges")
    else:
        members = {node for node in view_graph
                   if view_graph.degree(node) or not (relations or graph.degree(node))}
    members |= {focus} if focus else set()
    members |= set(path) if path else set()
    shown = nx.subgraph_view(view_graph, filter_node=members.__contains__)
    path_record = None
    if path:
        path_record = (path_found if path_found is not None
                       else find_path(shown, *path, names=graph.nodes))
        if depth is not None:
            members = _within(shown, path_record["nodes"], depth)
    elif focus:
        members = _within(shown, [focus], depth or 1)
    _check_size(len(members), max_nodes)
    if len(members) < view_graph.number_of_nodes():
        shown = nx.subgraph_view(view_graph, filter_node=members.__contains__)
    else:
        shown = view_graph
    nodes = sorted(shown)
    edges = sorted(shown.edges(keys=True), key=lambda edge: (edge[2], edge[0], edge[1]))
    whole_graph = whole_layout is not False  # False: an area read around a focus
    if view == "lineage":
        positions = layered_layout(graph, nodes, edges)
    else:
        if whole_layout is None:
            whole_layout = graph.number_of_nodes() <= WHOLE_LAYOUT_NODES
        positions = _positions(graph, nodes, edges, focus, whole_layout)
    degree = _degrees(nodes, edges)
    node_records = [_node_record(graph, node, positions[node], degree[node]) for node in nodes]
    curves = _curves(edges, lambda edge: graph.edges[edge]["relation"])
    edge_records = [_edge_record(graph, source, target, key, curves[key])
                    for source, target, key in edges]
    _add_starts(graph, node_records, edge_records, whole_graph)
    _add_hop_ranks(graph, edges, edge_records)
    meta = _meta(graph, view, focus, depth, path, path_record, as_of, relations,
                 node_records, edge_records)
    return _assemble(graph, meta, node_records, edge_records)


def _lineage_relations(relations: tuple[str, ...]) -> tuple[str, ...]:
    """The relations a lineage page draws: succession and derivation, of ``relations``."""
    wanted = [name for name in SUCCESSION_RELATIONS if not relations or name in relations]
    if not wanted:
        raise BadArgument("the lineage view draws only " + " and ".join(SUCCESSION_RELATIONS))
    return tuple(wanted)


def path_area(store, path: tuple[str, str], *, view: str = "full",
              as_of: PartialDate | None = None, relations: tuple[str, ...] = (),
              depth: int = 1) -> tuple[nx.MultiDiGraph, dict]:
    """What the page of a path on a large graph is drawn from, without building the whole
    graph: the path found over the whole cache (:func:`find_path`: the answer of
    ``graphkit path``, each hop naming every entity it mentions), and the area within
    ``depth`` hops of it (:func:`graphkit.store.graph.area_graph`).  Give both to
    :func:`page_data` (``path_found``).

    >>> import os, tempfile
    >>> from graphkit.data.locate import bundled_data_dir
    >>> from graphkit.store.cache import CACHE_ENVIRONMENT, open_store
    >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
    >>> area, found = path_area(open_store(bundled_data_dir()), ("anthropic", "openai"))
    >>> found["nodes"], page_data(area, path=("anthropic", "openai"), depth=1,
    ...                           path_found=found)["meta"]["path"] == found
    (['anthropic', 'daniela-amodei', 'openai'], True)
    """
    from graphkit.store.graph import area_graph

    if path[0] == path[1]:
        raise BadArgument("a path needs two different entities")
    walked = _lineage_relations(relations) if view == "lineage" else relations
    found = find_path(store.view(as_of, walked), *path, lineage=view == "lineage")
    return area_graph(store.view(as_of, walked), found["nodes"], depth), found


def _positions(graph, nodes, edges, anchor, whole: bool):
    """Force-directed positions: of the whole graph (``whole``), so an entity sits in the same
    place on every page (whole, focus, path, any date or relation), else of what is shown."""
    if whole:
        nodes = sorted(graph)
        edges = sorted(graph.edges(keys=True), key=lambda edge: (edge[2], edge[0], edge[1]))
    return force_layout(nodes, [(source, target) for source, target, _ in edges], anchor=anchor)


def _within(graph, centres: list[str], depth: int) -> set[str]:
    """Entities within ``depth`` hops of any of ``centres``, either direction."""
    reached = set(centres)
    frontier = list(centres)
    for _ in range(depth):
        if not frontier:
            break  # everything reachable is reached
        frontier = list(dict.fromkeys(neighbour for node in frontier
                                      for neighbour in (*graph.succ[node], *graph.pred[node])
                                      if neighbour not in reached))
        reached.update(frontier)
    return reached


def find_path(graph, source: str, target: str, lineage: bool = False,
              names: Mapping | None = None) -> dict:
    """The connecting path (:func:`graphkit.query.paths.find_paths`) as ids of nodes and
    edges, and each hop as a sentence; ``graph`` is a NetworkX graph or a view of the cache
    (:meth:`graphkit.store.cache.Store.view`: then the hops name every entity they
    mention, drawn or not).  Raises :class:`graphkit.errors.NoAnswer` when there is none,
    or, for the ``lineage`` view (``graph`` then holds only its relations), when an end
    has no succession or derivation edge.  ``names`` (entity records by id) names the
    entities the hops mention, when ``graph`` holds only some of them.

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> find_path(load_graph(bundled_data_dir()), "anthropic", "openai")["nodes"]
    ['anthropic', 'daniela-amodei', 'openai']
    """
    from graphkit.query.paths import find_paths
    from graphkit.store.graph import as_network

    network = as_network(graph)
    if lineage and not all(next(iter(network.around(end)), None) for end in (source, target)):
        raise NoAnswer("a lineage path needs two models with succession or derivation edges")
    if names is not None:  # a hop's sentence names entities not drawn (a destination)
        network = copy.copy(network)
        network.nodes = names
    found = find_paths(network, source, target)
    if not found:
        raise NoAnswer(f"no path between {graph.nodes[source]['name']} and "
                       f"{graph.nodes[target]['name']}")
    hops = found[0]["hops"]
    return {"nodes": list(found[0]["nodes"]), "edges": [hop["id"] for hop in hops],
            "hops": [hop["text"] for hop in hops]}


def _check_size(count: int, max_nodes: int) -> None:
    if count > max_nodes:
        raise BadArgument(
            f"{count} entities are too many for one page (at most {max_nodes}): draw part of "
            "the graph with --focus ENTITY --depth N, --relation or --as-of, or raise "
            "--max-nodes")


def _degrees(nodes, edges) -> dict[str, int]:
    degree = dict.fromkeys(nodes, 0)
    for source, target, *_ in edges:
        degree[source] += 1
        degree[target] += 1
    return degree


def _node_record(graph, node: str, position, degree: int) -> dict:
    data = graph.nodes[node]
    record = {"id": node, "name": data["name"], "type": data["type"],
              "x": position[0], "y": position[1], "degree": degree}
    if data.get("aliases"):
        record["aliases"] = list(data["aliases"])
    if data.get("description"):
        record["description"] = data["description"]
    return record


def _edge_record(graph, source: str, target: str, key: str, curve: float) -> dict:
    data = graph.edges[source, target, key]
    record = {"id": key, "from": source, "to": target, "relation": data["relation"],
              "text": describe_edge(graph, {"source": source, "target": target, **data}),
              "sources": [_cited(cited) for cited in data.get("sources", [])]}
    hedge = hedge_text(data)
    if hedge:
        record["hedge"] = hedge
    record.update(_time_window(data.get("date"), data.get("end")))
    for field in ("date", "end", "note", "role", "round", "stake", "status", "method", "deal"):
        if data.get(field):
            record[field] = data[field]
    if data["relation"] in _AMOUNT_RELATIONS and data.get("amount"):
        record["label"] = data["amount"]["as_stated"]
        record["amount"] = amount_text(data["amount"])
    if curve:
        record["curve"] = curve
    return record


def _cited(cited: dict) -> dict:
    """A source as a card shows it: the document, the verbatim quote and whom it credits."""
    record = {"doc": cited["doc"], "quote": cited["quote"]}
    if cited.get("attributed_to"):
        record["attributed_to"] = cited["attributed_to"]
    return record


def _figures(graph, nodes: list[dict]) -> dict[str, list[dict]]:
    """Each shown entity's figures (valuations, users, ...) that carry a number, by entity
    and in date order, for the small chart on its card; every point keeps its sources.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph(figures=[{"id": "f", "entity": "o", "metric": "valuation",
    ...     "date": "2023-01", "quantity": {"as_stated": "$30bn", "value": 3e10, "unit": "USD"},
    ...     "sources": [{"doc": "d", "quote": "q"}]}])
    >>> [(f["metric"], f["value"], f["day"]) for f in _figures(graph, [{"id": "o"}])["o"]]
    [('valuation', 30000000000.0, '2023-01-01')]
    """
    shown = {node["id"] for node in nodes}
    found: dict[str, list[dict]] = defaultdict(list)
    for figure in graph.graph.get("figures", ()):
        quantity = figure.get("quantity") or {}
        value = quantity.get("value")
        if figure.get("entity") not in shown or isinstance(value, bool) or not isinstance(
                value, (int, float)):
            continue
        record = {"id": figure["id"], "metric": figure.get("metric", "figure"),
                  "value": value, "text": quantity_text(quantity),
                  "sources": [_cited(cited) for cited in figure.get("sources", ())]}
        if quantity.get("unit"):
            record["unit"] = quantity["unit"]
        if figure.get("date"):
            record["date"] = figure["date"]
            record["day"] = PartialDate.parse(figure["date"]).first_day().isoformat()
        hedge = hedge_text(figure)
        if hedge:
            record["hedge"] = hedge
        found[figure["entity"]].append(record)
    return {entity: sorted(figures, key=lambda f: (f["metric"], f.get("day") or "9999", f["id"]))
            for entity, figures in sorted(found.items())}


def _add_hop_ranks(graph, edges, records: list[dict]) -> None:
    """Number the edges by :func:`graphkit.query.paths.hop_key`, so the page's path finder
    walks the same edge between two entities as ``graphkit path`` does."""
    from graphkit.query.paths import hop_key

    keys = [hop_key({**graph.edges[edge], "id": edge[2]}) for edge in edges]
    for rank, index in enumerate(sorted(range(len(records)), key=keys.__getitem__)):
        records[index]["rank"] = rank


def _add_starts(graph, nodes: list[dict], edges: list[dict], whole: bool = True) -> None:
    """Give each entity the first day it is known to exist, so the date slider shows it only
    from then: its beginning (:mod:`graphkit.data.lifespans`: a founded, announced, released
    or launched event), else its earliest dated link in ``graph`` (drawn or not: the lineage
    view dates a model by when it was developed).  An entity with neither keeps no start and
    shows at every date, its links drawn as undated.  ``edges`` are the page's edge records
    (a flow page's have no entity links to date); unless ``graph`` is ``whole`` (not an area
    read around a focus), only they date an entity, so both routes give the same page."""
    begun = beginnings(graph.graph.get("events", ()))
    for node in nodes:
        if node["id"] in begun:
            node["start"] = PartialDate.parse(begun[node["id"]]["date"]).first_day().isoformat()
            node["start_from"] = begun[node["id"]]["event"]
    if not edges:
        return
    if not whole:
        earliest: dict[str, str] = {}
        for edge in edges:
            for end in (edge["from"], edge["to"]):
                if edge.get("start") and (end not in earliest or edge["start"] < earliest[end]):
                    earliest[end] = edge["start"]
        for node in nodes:
            if "start" not in node and node["id"] in earliest:
                node["start"], node["start_from"] = earliest[node["id"]], "link"
        return
    for node in nodes:
        if "start" in node or node["id"] not in graph:
            continue
        starts = [_time_window(date, None)["start"]
                  for incident in (graph.out_edges(node["id"], data="date"),
                                   graph.in_edges(node["id"], data="date"))
                  for *_, date in incident if date]
        if starts:
            node["start"] = min(starts)
            node["start_from"] = "link"


@cache
def _time_window(date: str | None, end: str | None) -> dict:
    """First and last day an edge may be in effect, as ISO days the page compares as text."""
    window = {}
    if date:
        window["start"] = PartialDate.parse(date).first_day().isoformat()
    if end:
        window["stop"] = PartialDate.parse(end).last_day().isoformat()
    return window


def _curves(edges, relation_of=None) -> dict[str, float]:
    """Bend parallel lines apart so each stays visible and clickable (0 = straight).

    The page draws one line per pair and relation (its claims share it), so edges of one
    relation between the same two entities get the same bend.

    >>> _curves([("a", "b", "r/1"), ("a", "b", "r/2"), ("b", "a", "s/1")],
    ...         lambda edge: edge[2].split("/")[0])
    {'r/1': -0.125, 'r/2': -0.125, 's/1': -0.125}
    """
    relation_of = relation_of or (lambda edge: edge[2])
    lines = defaultdict(list)
    for edge in edges:
        lines[(edge[0], edge[1], relation_of(edge))].append(edge[2])
    between = defaultdict(list)
    for (source, target, _relation), keys in lines.items():
        pair = (source, target) if source <= target else (target, source)
        between[pair].append((min(keys), source > target, keys))
    curves = {}
    for parallel in between.values():
        if len(parallel) == 1:
            curves.update(dict.fromkeys(parallel[0][2], 0))
            continue
        middle = (len(parallel) - 1) / 2
        for index, (_, reversed_pair, keys) in enumerate(sorted(parallel)):
            bend = round((index - middle) * 0.25, 3)
            curves.update(dict.fromkeys(keys, -bend if reversed_pair else bend))
    return curves


def _meta(graph, view, focus, depth, path, path_record, as_of, relations, nodes, edges) -> dict:
    def name(ident):
        return graph.nodes[ident]["name"]

    if view == "lineage":
        title = "Model lineage"
        if focus:
            title += f" of {name(focus)}"
    elif focus:
        title = f"Around {name(focus)}"
    elif path:
        title = f"From {name(path[0])} to {name(path[1])}"
    else:
        title = "The AI industry graph"
    notes = []
    if depth is not None or focus:
        notes.append(f"within {depth or 1} hop{'s' if (depth or 1) > 1 else ''}")
    if as_of is not None:
        notes.append(f"as of {as_of.text}")
    if relations and view != "lineage":
        notes.append(", ".join(RELATION_STYLES[relation]["label"] for relation in relations))
    meta = {"view": view, "title": title, "subtitle": " · ".join(notes),
            "large": len(nodes) > LARGE_NODES or len(edges) > LARGE_EDGES,
            "focus": focus, "path": path_record, "timeline": _timeline(edges, as_of, nodes)}
    return meta


def _timeline(edges, as_of: PartialDate | None, nodes=()) -> dict | None:
    """The months the date slider runs through: from the earliest date to the latest."""
    days = [edge[field] for edge in edges for field in ("start", "stop") if edge.get(field)]
    days += [node["start"] for node in nodes if node.get("start")]
    if not days:
        return None
    last = max(days)[:7]
    if as_of is not None:
        last = min(last, as_of.last_day().isoformat()[:7])
    return {"first": min(days)[:7], "last": max(last, min(days)[:7])}


def _assemble(graph, meta, nodes, edges) -> dict:
    type_counts = defaultdict(int)
    for node in nodes:
        type_counts[node["type"]] += 1
    relation_counts = defaultdict(int)
    for edge in edges:
        relation_counts[edge["relation"]] += 1
    order = {name: index for index, name in enumerate((*ENTITY_TYPES, "unknown"))}
    types = [{"type": kind, "count": count, **ENTITY_STYLES[kind]}
             for kind, count in sorted(type_counts.items(), key=lambda item: order[item[0]])]
    relation_order = {name: index for index, name in enumerate(RELATION_STYLES)}
    legend = [{"relation": relation, "count": count, "arrows": True, "dashes": False,
               **RELATION_STYLES[relation]}
              for relation, count in sorted(relation_counts.items(),
                                            key=lambda item: relation_order[item[0]])]
    registry = graph.graph.get("sources") or {}
    if not isinstance(registry, dict):
        registry = {source["doc"]: source for source in registry}
    figures = _figures(graph, nodes)
    cited = sorted({source["doc"] for edge in edges
                    for cited_by in (edge, *edge.get("details", ()))
                    for source in cited_by.get("sources", ())} |
                   {source["doc"] for listed in figures.values() for figure in listed
                    for source in figure["sources"]})
    documents = {doc: {field: registry[doc][field]
                       for field in ("title", "outlet", "published") if registry[doc].get(field)}
                 for doc in cited if doc in registry}
    # The page's search folds and scores as graphkit.data.names does, from these.
    for node in nodes:
        node["keys"] = [list(key) for key in entity_keys(node["id"], node)]
    page = {"meta": meta, "types": types, "relations": legend, "nodes": nodes, "edges": edges,
            "documents": documents, "names": page_rules()}
    if figures:
        page["figures"] = figures
    return page


# --- the flow view ------------------------------------------------------------------------

# Where people came from or went to when the articles do not say (not entity ids).
UNKNOWN_ORIGIN = "?origin"
UNKNOWN_DESTINATION = "?destination"


def _flow_data(graph, *, focus, depth, as_of, max_nodes, source=None) -> dict:
    """Organisations as nodes, one edge per (from, to) pair people moved along, from
    :func:`graphkit.query.flow.compute_flow` (moves until ``as_of``) over ``source`` (the
    moves of ``graph`` when None); each move of the pairs drawn detailed."""
    from graphkit.query.flow import MoveTable, compute_flow, pair_details

    table = source if source is not None else MoveTable.from_data(graph)
    flow = compute_flow(table, until=as_of)
    # Who is linked to whom, as ids (the unknown ends as nodes of their own).
    ends = [(origin, destination, number) for number, origin, destination in (
                (number, pair["from"] or UNKNOWN_ORIGIN, pair["to"] or UNKNOWN_DESTINATION)
                for number, pair in enumerate(flow["pairs"]) if pair["moves"])
            if origin != destination]
    if focus:
        flow_graph = _Adjacency(ends)
        if focus not in flow_graph:
            raise NoAnswer(f"no talent flow to or from {graph.nodes[focus]['name']}")
        members = _within(flow_graph, [focus], depth or 1)
    else:
        members = {end for origin, destination, _number in ends for end in (origin, destination)}
    _check_size(len(members), max_nodes)
    nodes = sorted(members)
    drawn = sorted((origin, destination, number) for origin, destination, number in ends
                   if origin in members and destination in members)
    # The moves behind each pair drawn (only those: at scale, most pairs are not).
    pairs = [{**flow["pairs"][number], "from": origin, "to": destination}
             for origin, destination, number in drawn]
    detailed = pair_details(table, [(_company(pair["from"]), _company(pair["to"]))
                                    for pair in pairs], until=as_of)
    for pair in pairs:
        pair["moves_detail"] = detailed[_company(pair["from"]), _company(pair["to"])]
    edges = [(pair["from"], pair["to"], f"flow/{pair['from']}/{pair['to']}") for pair in pairs]
    positions = force_layout(nodes, [(source, target) for source, target, _ in edges],
                              anchor=focus)
    totals = {company["company"]: company for company in flow["companies"]}
    degree = _degrees(nodes, edges)
    node_records = []
    for node in nodes:
        if node in (UNKNOWN_ORIGIN, UNKNOWN_DESTINATION):
            where = "origin" if node == UNKNOWN_ORIGIN else "destination"
            record = {"id": node, "name": f"(unknown {where})", "type": "unknown",
                      "x": positions[node][0], "y": positions[node][1], "degree": degree[node]}
        else:
            record = _node_record(graph, node, positions[node], degree[node])
            record["flow"] = {field: totals[node][field] for field in ("inflow", "outflow", "net")
                              if field in totals.get(node, {})}
        node_records.append(record)
    _add_starts(graph, node_records, [])
    curves = _curves(edges)
    edge_records = [_flow_edge_record(graph, pair, key, curves[key])
                    for pair, (_, _, key) in zip(pairs, edges, strict=True)]
    meta = _meta(graph, "flow", focus, depth, None, None, as_of, (), node_records, edge_records)
    meta["title"] = "Talent flow" + (f" around {graph.nodes[focus]['name']}" if focus else "")
    meta["timeline"] = _timeline([{"start": start} for edge in edge_records
                                  for start, _ in edge["steps"] if start], as_of)
    return _assemble(graph, meta, node_records, edge_records)


class _Adjacency:
    """Who moved to whom, as :func:`_within` walks it (``succ`` and ``pred``), from
    ``(from, to, ...)`` pairs: lighter than a NetworkX graph of every pair."""

    def __init__(self, pairs):
        self.succ: dict[str, dict[str, None]] = defaultdict(dict)
        self.pred: dict[str, dict[str, None]] = defaultdict(dict)
        for origin, destination, *_rest in pairs:
            self.succ[origin][destination] = None
            self.pred[destination][origin] = None

    def __contains__(self, node) -> bool:
        return node in self.succ or node in self.pred


def _company(node: str) -> str | None:
    """The company a flow page's node stands for (None: unknown)."""
    return None if node in (UNKNOWN_ORIGIN, UNKNOWN_DESTINATION) else node


class CachedEntities:
    """What a flow page reads of a graph, from the cache instead: the entities' records
    by id (``nodes``), ``in``, and the records beyond links (``graph``: sources, cohorts,
    figures, rounds, events), read without building a graph.

    >>> import os, tempfile
    >>> from graphkit.data.locate import bundled_data_dir
    >>> from graphkit.store.cache import CACHE_ENVIRONMENT, open_store
    >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
    >>> entities = CachedEntities(open_store(bundled_data_dir()))
    >>> "openai" in entities, entities.nodes["openai"]["name"]
    (True, 'OpenAI')
    """

    def __init__(self, store):
        self.nodes = store.nodes
        self.graph = {"sources": store.sources, "cohorts": store.cohorts,
                      "figures": store.figures, "rounds": store.rounds, "events": store.events}

    def __contains__(self, ident) -> bool:
        return ident in self.nodes


def _flow_edge_record(graph, pair: dict, key: str, curve: float) -> dict:
    """A flow edge: its moves (each a person or a cohort, with sources) and ``steps``, the
    first day and size of each move, so the date slider can recount the moves at a date."""
    def name(ident):
        return graph.nodes[ident]["name"] if ident in graph else "(unknown)"

    moves = int(pair["moves"])
    details, steps = [], []
    for move in pair.get("moves_detail", []):
        steps.append([_time_window(move.get("date"), None).get("start"),
                      int(move.get("count", 1))])
        detail = {"text": move.get("text", ""),
                  "sources": [{"doc": cited["doc"], "quote": cited["quote"]}
                              for cited in move.get("sources", [])]}
        if move.get("note"):
            detail["note"] = move["note"]
        details.append(detail)
    if not steps:
        steps = [[None, moves]]
    record = {"id": key, "from": pair["from"], "to": pair["to"], "relation": "talent-flow",
              "label": str(moves), "moves": moves, "steps": steps, "details": details,
              "width": round(min(1 + 2 * math.log2(1 + moves), 12), 2),
              "text": f"{moves} {'person' if moves == 1 else 'people'} moved from "
                      f"{name(pair['from'])} to {name(pair['to'])}",
              "people": [name(person) for person in pair.get("people", ())],
              "cohorts": list(pair.get("cohorts", ())), "sources": []}
    if curve:
        record["curve"] = curve
    return record
