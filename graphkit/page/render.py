"""Standalone interactive HTML pages of the graph: the whole graph, a focus, a path, the talent
flow or the model lineage, each as one file that works offline.

The page is built here, not by pyvis: pyvis's ``from_nx``/``add_edge`` loops take minutes on
large graphs, edit the attributes of the graph they are given, and its stock template fetches
Bootstrap from CDNs and puts titles into ``innerHTML``.  What pyvis does well is ship
vis-network, so its bundled ``vis-network.min.js`` is inlined into our own template, next to
our own script and styles.  The data travels as JSON in ``<script type="application/json">``
blocks (what the first drawing needs before the scripts, each edge's card details after
them), every text reaches the DOM through ``textContent``, and a Content-Security-Policy
allows only the page's own scripts (by hash) and no request at all.

Layouts are computed here, seeded, and the browser draws with physics off, so the same data
and options give a byte-identical file and a large graph is interactive at once.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import networkx as nx
import numpy as np
import orjson

from graphkit.data.dates import PartialDate
from graphkit.data.describe import amount_text, describe_edge
from graphkit.data.relations import ENTITY_TYPES, RELATIONS, SUCCESSION_RELATIONS
from graphkit.errors import BadArgument, NoAnswer
from graphkit.store.graph import as_of as graph_as_of

VIEWS = ("full", "flow", "lineage")
OUTPUT_DIR = Path("output")
# Above this many entities a page is refused: draw part of the graph with --focus instead.
MAX_NODES = 10_000
# Above these sizes the page trades looks for speed: a cheaper layout, straight edges,
# edges hidden while dragging, no hover effects.
LARGE_NODES = 1_000
# Parts up to this size get exact O(n²) repulsion (about 1 ms an iteration at 400); larger
# ones the grid approximation, else a 1,000-node part took seconds to lay out.
EXACT_REPULSION_NODES = 400
LARGE_EDGES = 4_000
LAYOUT_SEED = 20_231
TEMPLATES = Path(__file__).resolve().parent / "templates"

# Colour-blind-safe-ish hues (Tableau 10) and a distinct shape per entity type.
ENTITY_STYLES = {
    "person": {"color": "#4e79a7", "shape": "dot", "label": "Person"},
    "company": {"color": "#f28e2b", "shape": "square", "label": "Company"},
    "lab": {"color": "#e15759", "shape": "triangle", "label": "Lab"},
    "investor": {"color": "#59a14f", "shape": "diamond", "label": "Investor"},
    "model": {"color": "#b07aa1", "shape": "hexagon", "label": "Model"},
    "product": {"color": "#76b7b2", "shape": "star", "label": "Product"},
    "unknown": {"color": "#c3cad3", "shape": "dot", "label": "Unknown"},
}
RELATION_STYLES = {
    "person-left-company": {"color": "#d64541", "dashes": True, "width": 1.5, "label": "left"},
    "person-joined-company": {"color": "#2e9e4f", "width": 1.5, "label": "joined"},
    "person-founded-company": {"color": "#e07b00", "width": 2.5, "label": "founded"},
    "person-role-at-company": {"color": "#8d99a6", "width": 1, "label": "role at"},
    "company-invested-in": {"color": "#b8860b", "width": 2.5, "label": "invested in"},
    "company-developed-model": {"color": "#9467bd", "width": 1, "label": "developed"},
    "model-succeeded-by": {"color": "#0e8fa3", "width": 2.5, "label": "succeeded by"},
    "model-derived-from": {"color": "#0e8fa3", "dashes": True, "width": 1.5,
                           "label": "derived from"},
    "product-uses-model": {"color": "#d46fb5", "width": 1, "label": "uses"},
    "company-part-of-company": {"color": "#8c564b", "width": 2, "label": "part of"},
    "company-partnered-with": {"color": "#1f77b4", "dashes": True, "width": 1.5,
                               "label": "partnered with", "arrows": False},
    "company-acquired-company": {"color": "#3b3b3b", "width": 2.5, "label": "acquired"},
    "talent-flow": {"color": "#4e79a7", "width": 1, "label": "people moved to"},
}
_AMOUNT_RELATIONS = ("company-invested-in", "company-acquired-company")


@dataclass(frozen=True)
class Page:
    """A rendered page: its ``html``, what it shows, and how much."""

    html: str
    view: str
    title: str
    nodes: int
    edges: int


def render_page(graph: nx.MultiDiGraph, *, view: str = "full", focus: str | None = None,
                depth: int | None = None, path: tuple[str, str] | None = None,
                as_of: PartialDate | None = None, relations: tuple[str, ...] = (),
                max_nodes: int = MAX_NODES) -> Page:
    """One standalone HTML page of ``graph`` (see :func:`page_data` for the options).

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> page = render_page(load_graph(bundled_data_dir()), focus="anthropic")
    >>> page.html.startswith("<!DOCTYPE html>"), page.nodes > 1
    (True, True)
    """
    data = page_data(graph, view=view, focus=focus, depth=depth, path=path, as_of=as_of,
                     relations=relations, max_nodes=max_nodes)
    html = page_html(data)
    return Page(html=html, view=view, title=data["meta"]["title"],
                nodes=len(data["nodes"]), edges=len(data["edges"]))


def write_page(page: Page, out: Path | str) -> Path:
    """Write ``page`` to ``out`` atomically (creating its folder) and return the path.

    >>> import tempfile
    >>> page = Page(html="<!DOCTYPE html>", view="full", title="t", nodes=0, edges=0)
    >>> write_page(page, Path(tempfile.mkdtemp()) / "new" / "page.html").read_text()
    '<!DOCTYPE html>'
    """
    from graphkit.atomic import write_text_atomic

    out = Path(out)
    write_text_atomic(out, page.html)
    return out


def default_output_path(view: str = "full", focus: str | None = None,
                        path: tuple[str, str] | None = None, as_of: PartialDate | None = None,
                        relations: tuple[str, ...] = ()) -> Path:
    """Where a page goes without ``--out``: ``output/`` and a name made of the options.

    >>> str(default_output_path())
    'output/graph.html'
    >>> str(default_output_path("lineage", focus="gpt-4", as_of=PartialDate.parse("2023")))
    'output/lineage-focus-gpt-4-as-of-2023.html'
    >>> str(default_output_path(path=("sam-altman", "microsoft")))
    'output/graph-path-sam-altman-microsoft.html'
    """
    parts = ["graph" if view == "full" else view]
    if focus:
        parts.append(f"focus-{focus}")
    if path:
        parts.append(f"path-{path[0]}-{path[1]}")
    if as_of is not None:
        parts.append(f"as-of-{as_of.text}")
    parts.extend(sorted(relations))
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", "-".join(parts))
    return OUTPUT_DIR / f"{name}.html"


# --- what the page shows -------------------------------------------------------------------


def page_data(graph: nx.MultiDiGraph, *, view: str = "full", focus: str | None = None,
              depth: int | None = None, path: tuple[str, str] | None = None,
              as_of: PartialDate | None = None, relations: tuple[str, ...] = (),
              max_nodes: int = MAX_NODES) -> dict:
    """The JSON document a page draws: ``meta``, ``types``, ``relations`` (the legends),
    ``nodes`` (with layout ``x``/``y``), ``edges`` and ``documents``.

    ``view`` is ``full`` (every entity), ``lineage`` (models and products along succession and
    derivation) or ``flow`` (people moving between organisations).  ``focus`` keeps the
    entities within ``depth`` hops (default 1) of one entity; ``path`` highlights the
    connecting path between two entities in context (within ``depth`` hops of it when given).
    ``as_of`` and ``relations`` filter edges as everywhere else; an entity then stays only if
    it keeps an edge (or never had one).  ``graph`` is never modified.

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
        return _flow_data(graph, focus=focus, depth=depth, as_of=as_of, max_nodes=max_nodes)
    if view == "lineage":
        wanted = [name for name in SUCCESSION_RELATIONS if not relations or name in relations]
        if not wanted:
            raise BadArgument("the lineage view draws only " + " and ".join(SUCCESSION_RELATIONS))
        relations = tuple(wanted)
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
        path_record = _find_path(shown, *path)
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
    if view == "lineage":
        positions = _layered_layout(graph, nodes, edges)
    else:
        positions = _force_layout(nodes, [(source, target) for source, target, _ in edges],
                                  anchor=focus)
    degree = _degrees(nodes, edges)
    node_records = [_node_record(graph, node, positions[node], degree[node]) for node in nodes]
    curves = _curves(edges)
    edge_records = [_edge_record(graph, source, target, key, curves[key])
                    for source, target, key in edges]
    meta = _meta(graph, view, focus, depth, path, path_record, as_of, relations,
                 node_records, edge_records)
    return _assemble(graph, meta, node_records, edge_records)


def _within(graph, centres: list[str], depth: int) -> set[str]:
    """Entities within ``depth`` hops of any of ``centres``, either direction."""
    reached = set(centres)
    frontier = list(centres)
    for _ in range(depth):
        frontier = list(dict.fromkeys(neighbour for node in frontier
                                      for neighbour in (*graph.succ[node], *graph.pred[node])
                                      if neighbour not in reached))
        reached.update(frontier)
    return reached


def _find_path(graph, source: str, target: str) -> dict:
    """The connecting path (:func:`graphkit.query.paths.find_paths`) as ids of nodes and edges."""
    from graphkit.query.paths import find_paths

    found = find_paths(graph, source, target)
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
              "sources": [{"doc": cited["doc"], "quote": cited["quote"]}
                          for cited in data.get("sources", [])]}
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


@cache
def _time_window(date: str | None, end: str | None) -> dict:
    """First and last day an edge may be in effect, as ISO days the page compares as text."""
    window = {}
    if date:
        window["start"] = PartialDate.parse(date).first_day().isoformat()
    if end:
        window["stop"] = PartialDate.parse(end).last_day().isoformat()
    return window


def _curves(edges) -> dict[str, float]:
    """Bend parallel edges apart so each stays visible and clickable (0 = straight)."""
    between = defaultdict(list)
    for source, target, key in edges:
        pair = (source, target) if source <= target else (target, source)
        between[pair].append((key, source > target))
    curves = {}
    for parallel in between.values():
        if len(parallel) == 1:
            curves[parallel[0][0]] = 0
            continue
        middle = (len(parallel) - 1) / 2
        for index, (key, reversed_pair) in enumerate(sorted(parallel)):
            bend = round((index - middle) * 0.25, 3)
            curves[key] = -bend if reversed_pair else bend
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
            "focus": focus, "path": path_record, "timeline": _timeline(edges, as_of)}
    return meta


def _timeline(edges, as_of: PartialDate | None) -> dict | None:
    """The months the date slider runs through: from the earliest date to the latest."""
    days = [edge[field] for edge in edges for field in ("start", "stop") if edge.get(field)]
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
    cited = sorted({source["doc"] for edge in edges
                    for cited_by in (edge, *edge.get("details", ()))
                    for source in cited_by.get("sources", ())})
    documents = {doc: {field: registry[doc][field]
                       for field in ("title", "outlet", "published") if registry[doc].get(field)}
                 for doc in cited if doc in registry}
    return {"meta": meta, "types": types, "relations": legend, "nodes": nodes, "edges": edges,
            "documents": documents}


# --- the flow view ------------------------------------------------------------------------

# Where people came from or went to when the articles do not say (not entity ids).
UNKNOWN_ORIGIN = "?origin"
UNKNOWN_DESTINATION = "?destination"


def _flow_data(graph, *, focus, depth, as_of, max_nodes) -> dict:
    """Organisations as nodes, one edge per (from, to) pair people moved along, from
    :func:`graphkit.query.flow.compute_flow` (moves until ``as_of``)."""
    from graphkit.query.flow import compute_flow

    flow = compute_flow(graph, until=as_of, details=True)
    pairs = [{**pair, "from": pair["from"] or UNKNOWN_ORIGIN,
              "to": pair["to"] or UNKNOWN_DESTINATION}
             for pair in flow["pairs"] if pair["from"] != pair["to"] and pair["moves"]]
    flow_graph = nx.MultiDiGraph()
    for pair in pairs:
        flow_graph.add_edge(pair["from"], pair["to"])
    if focus:
        if focus not in flow_graph:
            raise NoAnswer(f"no talent flow to or from {graph.nodes[focus]['name']}")
        members = _within(flow_graph, [focus], depth or 1)
    else:
        members = set(flow_graph)
    _check_size(len(members), max_nodes)
    nodes = sorted(members)
    pairs = sorted((pair for pair in pairs if pair["from"] in members and pair["to"] in members),
                   key=lambda pair: (pair["from"], pair["to"]))
    edges = [(pair["from"], pair["to"], f"flow/{pair['from']}/{pair['to']}") for pair in pairs]
    positions = _force_layout(nodes, [(source, target) for source, target, _ in edges],
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
    curves = _curves(edges)
    edge_records = [_flow_edge_record(graph, pair, key, curves[key])
                    for pair, (_, _, key) in zip(pairs, edges, strict=True)]
    meta = _meta(graph, "flow", focus, depth, None, None, as_of, (), node_records, edge_records)
    meta["title"] = "Talent flow" + (f" around {graph.nodes[focus]['name']}" if focus else "")
    meta["timeline"] = _timeline([{"start": start} for edge in edge_records
                                  for start, _ in edge["steps"] if start], as_of)
    return _assemble(graph, meta, node_records, edge_records)


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


# --- layouts ------------------------------------------------------------------------------


def _force_layout(nodes: list[str], edges: list[tuple[str, str]], anchor: str | None = None,
                  ) -> dict[str, tuple[int, int]]:
    """Seeded force-directed positions in pixels (Fruchterman-Reingold with gravity).

    Small graphs get exact repulsion and each connected part is laid out on its own, then
    packed around the largest; large ones are laid out at once with an FFT-on-a-grid
    approximation of the repulsion, so 10,000 nodes take well under a second.  Coordinates
    are rounded to whole pixels so the page is byte-identical from run to run.
    """
    count = len(nodes)
    if count == 0:
        return {}
    index = {node: position for position, node in enumerate(nodes)}
    pairs = np.array([(index[a], index[b]) for a, b in edges if a != b], dtype=np.int64)
    pairs = pairs.reshape(-1, 2)
    if count > LARGE_NODES:
        positions = _spring(count, pairs, iterations=60, exact=False) * 55.0
    else:
        positions = _packed_components(count, pairs) * 120.0
    if anchor is not None:
        positions -= positions[index[anchor]]
    rounded = np.rint(positions).astype(np.int64).tolist()
    return {node: (xy[0], xy[1]) for node, xy in zip(nodes, rounded, strict=True)}


def _packed_components(count: int, pairs):
    """Lay out each connected part alone, then pack them: the largest first, the others in
    columns to its right, so the page is wide like a screen and nothing floats far away."""
    graph = nx.Graph()
    graph.add_nodes_from(range(count))
    graph.add_edges_from(pairs.tolist())
    parts = sorted((sorted(part) for part in nx.connected_components(graph)),
                   key=lambda part: (-len(part), part[0]))
    boxes = []
    for part in parts:
        local = {node: position for position, node in enumerate(part)}
        part_pairs = np.array([(local[a], local[b]) for a, b in graph.subgraph(part).edges()],
                              dtype=np.int64).reshape(-1, 2)
        layout = _spring(len(part), part_pairs, iterations=300,
                         exact=len(part) <= EXACT_REPULSION_NODES)
        layout -= layout.min(axis=0)
        boxes.append((part, layout, layout.max(axis=0) + _MARGIN))
    column_height = max(float(boxes[0][2][1]),
                        math.sqrt(sum(float(size[0] * size[1]) for *_, size in boxes)))
    positions = np.zeros((count, 2))
    left = top = column_width = 0.0
    for part, layout, size in boxes:
        if top > 0 and top + size[1] > column_height:
            left, top, column_width = left + column_width, 0.0, 0.0
        positions[part] = layout + (left, top)
        top += float(size[1])
        column_width = max(column_width, float(size[0]))
    return positions - (positions.min(axis=0) + positions.max(axis=0)) / 2


_MARGIN = 1.2


def _spring(count: int, pairs, iterations: int, exact: bool):
    """Fruchterman-Reingold in units of the ideal edge length, with a pull to the centre so
    disconnected parts stay near each other."""
    rng = np.random.default_rng(LAYOUT_SEED)
    positions = (rng.random((count, 2)) - 0.5) * math.sqrt(count) * 2.0
    if count == 1:
        return positions * 0.0
    gravity = 0.6 / math.sqrt(count)
    temperature = math.sqrt(count) * 0.3
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        displacement = _repulsion(positions) if exact else _mesh_repulsion(positions)
        if len(pairs):
            delta = positions[pairs[:, 0]] - positions[pairs[:, 1]]
            distance = np.sqrt((delta ** 2).sum(axis=1))[:, None]
            pull = delta * distance
            for axis in (0, 1):
                displacement[:, axis] -= np.bincount(pairs[:, 0], pull[:, axis], count)
                displacement[:, axis] += np.bincount(pairs[:, 1], pull[:, axis], count)
        radius = np.sqrt((positions ** 2).sum(axis=1))[:, None]
        displacement -= gravity * positions * radius
        length = np.sqrt((displacement ** 2).sum(axis=1))[:, None]
        positions += displacement / np.maximum(length, 1e-9) * np.minimum(length, temperature)
        temperature = max(temperature - cooling, 0.01)
    return positions - positions.mean(axis=0)


def _repulsion(positions):
    """Exact repulsion of every node from every other (1/r), O(n²): for small parts."""
    x, y = positions[:, 0], positions[:, 1]
    dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]
    # In place, on two n×n arrays: a third dimension of temporaries made this 4-9× slower.
    inverse = dx * dx
    inverse += dy * dy
    np.maximum(inverse, 1e-4, out=inverse)
    np.reciprocal(inverse, out=inverse)
    np.fill_diagonal(inverse, 0.0)
    return np.stack([(dx * inverse).sum(axis=1), (dy * inverse).sum(axis=1)], axis=1)


_GRID = 128


def _mesh_repulsion(positions):
    """Repulsion of every node from every other, with the others binned on a grid and the
    sum done as a convolution by FFT: O(n + G² log G) instead of O(n²)."""
    low = positions.min(axis=0)
    span = float((positions.max(axis=0) - low).max()) * (1 + 1e-9) + 1e-9
    cell_size = span / _GRID
    cells = np.clip(((positions - low) / cell_size).astype(np.int64), 0, _GRID - 1)
    flat = cells[:, 0] * _GRID + cells[:, 1]
    density = np.bincount(flat, minlength=_GRID * _GRID).reshape(_GRID, _GRID).astype(float)
    kernel_x, kernel_y = _kernels()
    size = 2 * _GRID
    transformed = np.fft.rfft2(density, s=(size, size))
    field_x = np.fft.irfft2(transformed * kernel_x, s=(size, size))[:_GRID, :_GRID]
    field_y = np.fft.irfft2(transformed * kernel_y, s=(size, size))[:_GRID, :_GRID]
    push = np.stack([field_x.ravel()[flat], field_y.ravel()[flat]], axis=1) / cell_size
    # Nodes sharing a cell see no force from the grid: push them off the cell's centroid.
    counts = np.bincount(flat, minlength=_GRID * _GRID)
    centroid = np.stack([np.bincount(flat, positions[:, axis], _GRID * _GRID)
                         for axis in (0, 1)], axis=1) / np.maximum(counts, 1)[:, None]
    offset = positions - centroid[flat]
    squared = np.maximum((offset ** 2).sum(axis=1), 1e-4)[:, None]
    push += offset / squared * (counts[flat] - 1)[:, None]
    return push


@cache
def _kernels():
    """FFTs of the 1/r repulsion field (x and y parts) over grid offsets, zero at the origin."""
    size = 2 * _GRID
    offsets = np.arange(size)
    offsets = np.where(offsets < _GRID, offsets, offsets - size).astype(float)
    dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
    squared = dx ** 2 + dy ** 2
    squared[0, 0] = 1.0
    kernel_x, kernel_y = dx / squared, dy / squared
    kernel_x[0, 0] = kernel_y[0, 0] = 0.0
    return np.fft.rfft2(kernel_x), np.fft.rfft2(kernel_y)


def _layered_layout(graph, nodes, edges) -> dict[str, tuple[int, int]]:
    """Models left to right along succession: each model one column after everything it
    follows; each family (connected part) in its own band."""
    later = nx.DiGraph()
    later.add_nodes_from(nodes)
    for source, target, key in sorted(edges, key=lambda edge: edge[2]):
        earlier, after = ((source, target)
                          if graph.edges[source, target, key]["relation"] == "model-succeeded-by"
                          else (target, source))
        if earlier != after and not nx.has_path(later, after, earlier):
            later.add_edge(earlier, after)
    column = {}
    for node in nx.lexicographical_topological_sort(later):
        column[node] = max((column[before] + 1 for before in later.pred[node]), default=0)
    positions = {}
    top = 0.0
    families = sorted((sorted(family) for family in nx.weakly_connected_components(later)),
                      key=lambda family: (-len(family), family[0]))
    for family in families:
        columns = defaultdict(list)
        for node in family:
            columns[column[node]].append(node)
        rows = _order_columns(later, columns)
        height = max(len(members) for members in columns.values())
        for number, members in rows.items():
            for row, node in enumerate(members):
                offset = (height - len(members)) / 2
                positions[node] = (int(number * 240), int((top + offset + row) * 90))
        top += height + 0.8
    return positions


def _order_columns(later: nx.DiGraph, columns: dict[int, list[str]]) -> dict[int, list[str]]:
    """Order each column by the mean row of its neighbours (a few barycentre sweeps) so
    lines cross less; ties fall back to the id so the order is stable."""
    order = {number: sorted(members) for number, members in sorted(columns.items())}
    numbers = sorted(order)
    for sweep in range(4):
        forward = sweep % 2 == 0
        for number in numbers[1:] if forward else numbers[-2::-1]:
            row = {node: position for members in order.values()
                   for position, node in enumerate(members)}
            neighbours = later.pred if forward else later.succ

            def centre(node, row=row, neighbours=neighbours):
                around = [row[other] for other in neighbours[node]]
                return (sum(around) / len(around) if around else row[node], node)

            order[number] = sorted(order[number], key=centre)
    return order


# --- the HTML -----------------------------------------------------------------------------


def page_html(data: dict) -> str:
    """The standalone page drawing ``data`` (from :func:`page_data`).

    >>> graph = nx.MultiDiGraph(sources={})
    >>> graph.add_node("a", type="person", name="<b>Ann</b>", aliases=[])
    >>> html = page_html(page_data(graph))
    >>> "<b>Ann</b>" in html, "Ann" in html
    (False, True)
    """
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    vis_script, vis_version = vis_network_script()
    app_script = _inline_safe((TEMPLATES / "page.js").read_text(encoding="utf-8"))
    styles = _inline_safe((TEMPLATES / "page.css").read_text(encoding="utf-8"))
    scripts = (vis_script, app_script)
    policy = ("default-src 'none'; "
              f"script-src {' '.join(_script_hash(script) for script in scripts)}; "
              "style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")
    environment = Environment(loader=FileSystemLoader(TEMPLATES),
                              autoescape=select_autoescape(default=True, default_for_string=True),
                              keep_trailing_newline=True)
    template = environment.get_template("page.html.j2")
    drawn, details = _split_edges(data)
    return template.render(
        title=f"{data['meta']['title']} · graphkit", policy=policy,
        styles=Markup(styles), vis_script=Markup(vis_script), app_script=Markup(app_script),
        data=Markup(script_json(drawn)), details=Markup(script_json(details)),
        vis_version=vis_version)


# What the page needs to draw an edge, filter it and slide it through time.  The rest of each
# edge (its sentence, sources and facts, for the cards) travels in a second block after the
# scripts, so a large page draws before the browser has even parsed it.
_DRAWN_EDGE_FIELDS = frozenset(("id", "from", "to", "relation", "start", "stop", "label", "curve",
                                "steps", "width"))


def _split_edges(data: dict) -> tuple[dict, list[dict]]:
    """``data`` with each edge cut down to :data:`_DRAWN_EDGE_FIELDS`, and the other fields
    of each edge, in the same order.

    >>> drawn, details = _split_edges({"edges": [{"id": "e", "text": "A met B"}]})
    >>> drawn, details
    ({'edges': [{'id': 'e'}]}, [{'text': 'A met B'}])
    """
    drawn, details = [], []
    for edge in data["edges"]:
        drawn.append({key: value for key, value in edge.items() if key in _DRAWN_EDGE_FIELDS})
        details.append({key: value for key, value in edge.items()
                        if key not in _DRAWN_EDGE_FIELDS})
    return {**data, "edges": drawn}, details


def script_json(data) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element: ``<``, ``>`` and ``&`` are
    written as ``\\u003c`` and friends, so ``</script>`` in the data cannot end the block.

    >>> script_json({"name": "</script><b>"})
    '{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    for raw, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


@cache
def vis_network_script() -> tuple[str, str]:
    """The vis-network bundle pyvis ships (the newest of its copies) and its version.

    Found without importing pyvis, which would pull in IPython.

    >>> script, version = vis_network_script()
    >>> "vis-network" in script[:200], version.count(".")
    (True, 2)
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise BadArgument("pyvis is not installed; it provides vis-network for the HTML page")
    package = Path(next(iter(spec.submodule_search_locations)))
    found = []
    for folder in ("templates/lib", "lib"):
        for bundle in sorted((package / folder).glob("vis-*/vis-network.min.js")):
            version = bundle.parent.name.removeprefix("vis-")
            found.append((tuple(int(part) for part in re.findall(r"\d+", version)), version,
                          bundle))
    if not found:
        raise BadArgument(f"no vis-network.min.js in {package}")
    _, version, bundle = max(found)
    # A source map comment would make developer tools look for a file that is not there.
    script = re.sub(r"^//# sourceMappingURL=.*$", "", bundle.read_text(encoding="utf-8"),
                    flags=re.MULTILINE)
    return _inline_safe(script), version


def _inline_safe(text: str) -> str:
    """Text to inline in a ``<script>`` or ``<style>``: it must not close the element."""
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError("inlined asset contains a closing </script> or </style>")
    return text


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
