"""Standalone interactive HTML pages of the graph: the whole graph, a focus, a path, the talent
flow or the model lineage, each as one file that works offline.

The page is built here, not by pyvis: pyvis's ``from_nx``/``add_edge`` loops take minutes on
large graphs, edit the attributes of the graph they are given, and its stock template fetches
Bootstrap from CDNs and puts titles into ``innerHTML``.  What pyvis does well is ship
vis-network, so its bundled ``vis-network.min.js`` is inlined into our own template, next to
our own script and styles.  The data travels as JSON in ``<script type="application/json">``
blocks (what the first drawing needs before the scripts, each edge's card details after
them), every text reaches the DOM through ``textContent``, and a Content-Security-Policy
allows only the page's own scripts (by hash) and no request at all.  A page above
``WEBGL_ITEMS`` entities and links is drawn in WebGL by sigma.js (vendored from npm in
``vendor/``, with graphology), which keeps it fluid where vis-network's canvas takes seconds
per change; vis-network, which draws small pages, stays inlined as its fallback.

The work is split by job: :mod:`graphkit.page.data` chooses what a page shows,
:mod:`graphkit.page.layout` places it (seeded, in Python, so the browser draws with physics off
and the same data gives a byte-identical file), and :mod:`graphkit.page.html` assembles the
file.  This module ties them together and writes the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from graphkit.data.dates import PartialDate
from graphkit.page.data import (
    ENTITY_STYLES,
    LARGE_EDGES,
    MAX_NODES,
    RELATION_STYLES,
    VIEWS,
    page_data,
)
from graphkit.page.html import WEBGL_ITEMS, page_html, script_json, vis_network_script
from graphkit.page.layout import LARGE_NODES

__all__ = ["ENTITY_STYLES", "LARGE_EDGES", "LARGE_NODES", "MAX_NODES", "OUTPUT_DIR",
           "RELATION_STYLES", "VIEWS", "WEBGL_ITEMS", "Page", "default_output_path", "page_data",
           "page_html", "render_page", "script_json", "vis_network_script", "write_page"]

OUTPUT_DIR = Path("output")


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
                max_nodes: int = MAX_NODES, whole_layout: bool | None = None,
                webgl_above: int = WEBGL_ITEMS, path_found: dict | None = None,
                flow=None) -> Page:
    """One standalone HTML page of ``graph`` (see :func:`page_data` for the options), drawn
    in WebGL when it has more than ``webgl_above`` entities and links together.

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> page = render_page(load_graph(bundled_data_dir()), focus="anthropic")
    >>> page.html.startswith("<!DOCTYPE html>"), page.nodes > 1
    (True, True)
    """
    data = page_data(graph, view=view, focus=focus, depth=depth, path=path, as_of=as_of,
                     relations=relations, max_nodes=max_nodes, whole_layout=whole_layout,
                     path_found=path_found, flow=flow)
    html = page_html(data, webgl_above=webgl_above)
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
