"""The page's HTML: the Jinja template with the data as JSON blocks, our script and styles
and pyvis's vis-network inlined (on a large page also sigma.js and graphology, vendored in
``vendor/``, which draw it in WebGL), and a Content-Security-Policy that allows only those
scripts (by hash) and no request at all.

The page's own script is in ``templates/script/``, a file per concept (how things look,
what is shown, the highlight, each renderer's view, the card, search, the controls, paths,
exports and the address, the Sankey, start-up).  They are parts of one function, whose
state they share: :func:`page_script` joins them in the order of their names.

Imports: the standard library, orjson, Jinja2 (at call time) and the page's ``templates/``
and ``vendor/``.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import re
from functools import cache
from pathlib import Path

import orjson

from graphkit.errors import BadArgument

TEMPLATES = Path(__file__).resolve().parent / "templates"
VENDOR = Path(__file__).resolve().parent / "vendor"
SCRIPT_PARTS = TEMPLATES / "script"

# A page with more entities and links than this (together) is drawn in WebGL by sigma.js.
# Measured in headless Chromium without a GPU (benchmarks/results/2026-11-30.md, "page at
# 10k"): at 1,000 entities and 3,000 links (4,000 items) vis-network is the faster and
# within the slider target (WebGL on the CPU costs each frame more than vis-network's
# canvas); at 2,000 and 6,000 (8,000 items) sigma.js selects, slides and filters in a
# quarter of the time with drags alike; at 10,000 and 30,000 in a twentieth.  Smaller pages
# keep vis-network, which draws shapes, dashes and curves sigma.js's core lacks.
WEBGL_ITEMS = 6_000


@cache
def page_script() -> str:
    """The page's script: the parts in ``templates/script/``, joined in the order of their
    names (the first opens the function they share, the last closes it).

    >>> script = page_script()
    >>> script.lstrip().startswith("/*"), script.rstrip().endswith("})();")
    (True, True)
    """
    parts = sorted(SCRIPT_PARTS.glob("*.js"))
    return "".join(part.read_text(encoding="utf-8") for part in parts)


def page_html(data: dict, webgl_above: int = WEBGL_ITEMS) -> str:
    """The standalone page drawing ``data`` (from :func:`page_data`): in WebGL (sigma.js)
    when it has more than ``webgl_above`` entities and links together, else with
    vis-network (which a WebGL page also carries, for browsers without WebGL).

    >>> import networkx as nx
    >>> from graphkit.page.data import page_data
    >>> graph = nx.MultiDiGraph(sources={})
    >>> graph.add_node("a", type="person", name="<b>Ann</b>", aliases=[])
    >>> html = page_html(page_data(graph))
    >>> "<b>Ann</b>" in html, "Ann" in html
    (False, True)
    """
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    vis_script, vis_version = vis_network_script()
    webgl = len(data["nodes"]) + len(data["edges"]) > webgl_above
    data = {**data, "meta": {**data["meta"], "webgl": webgl}}
    webgl_scripts = [script for script, _ in webgl_libraries().values()] if webgl else []
    app_script = _inline_safe(page_script())
    styles = _inline_safe((TEMPLATES / "page.css").read_text(encoding="utf-8"))
    scripts = (vis_script, *webgl_scripts, app_script)
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
        vis_version=vis_version, webgl_scripts=[Markup(script) for script in webgl_scripts],
        webgl_versions={name: version for name, (_, version) in webgl_libraries().items()}
        if webgl else None)


# What the page needs to draw an edge, filter it and slide it through time.  The rest of each
# edge (its sentence, sources and facts, for the cards) travels in a second block after the
# scripts, so a large page draws before the browser has even parsed it.
_DRAWN_EDGE_FIELDS = frozenset(("id", "from", "to", "relation", "start", "stop", "label", "curve",
                                "steps", "width", "rank"))


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


@cache
def webgl_libraries() -> dict[str, tuple[str, str]]:
    """graphology and sigma.js, in the order the page loads them: each name with its script
    (from ``vendor/``, see its README) and version.

    >>> libraries = webgl_libraries()
    >>> list(libraries), libraries["sigma"][1].split(".")[0]
    (['graphology', 'sigma'], '3')
    """
    manifest = orjson.loads((VENDOR / "manifest.json").read_bytes())
    libraries = {}
    for name in ("graphology", "sigma"):
        entry = manifest[name]
        script = re.sub(r"^//# sourceMappingURL=.*$", "",
                        (VENDOR / entry["file"]).read_text(encoding="utf-8"), flags=re.MULTILINE)
        libraries[name] = (_inline_safe(script), entry["version"])
    return libraries


def _inline_safe(text: str) -> str:
    """Text to inline in a ``<script>`` or ``<style>``: it must not close the element."""
    if re.search(r"</(script|style)", text, re.IGNORECASE):
        raise ValueError("inlined asset contains a closing </script> or </style>")
    return text


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
