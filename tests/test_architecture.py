"""The package's layers: imports flow one way, cli → page/export/curate → present → query →
store → data → foundation, with no circle between modules and no Click below the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graphkit"

# Lower rank = lower layer.  A module may import its own subpackage or any lower layer.
LAYERS = {
    "graphkit": 0, "graphkit.errors": 0, "graphkit.atomic": 0, "graphkit.collector": 0,
    "graphkit.data": 1,
    "graphkit.store": 2,
    "graphkit.query": 3,
    "graphkit.present": 4,
    "graphkit.page": 5, "graphkit.export": 5, "graphkit.curate": 5,
    "graphkit.cli": 6, "graphkit.__main__": 7,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(module: str) -> str:
    """The LAYERS key that owns ``module`` (its longest matching prefix)."""
    candidates = [key for key in LAYERS if module == key or module.startswith(key + ".")]
    return max(candidates, key=len)


def imports_of(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function (not in docstrings)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def import_graph() -> nx.DiGraph:
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(modules)
    for name, path in modules.items():
        for imported in imports_of(path):
            if imported in modules and imported != name:
                graph.add_edge(name, imported)
            elif imported.split(".")[0] != "graphkit" and imported.split(".")[0] == "click":
                graph.add_edge(name, "click")
    return graph


def allowed(importer: str, imported: str) -> bool:
    if imported == "click":
        return importer == "graphkit.cli"
    own, other = layer_of(importer), layer_of(imported)
    # Packages of one rank (page, export, curate) stay independent of each other.
    return own == other or LAYERS[other] < LAYERS[own]


def test_every_module_belongs_to_a_layer():
    for path in PACKAGE.rglob("*.py"):
        assert layer_of(module_name(path)) in LAYERS


def test_imports_only_go_down():
    upward = [f"{a} imports {b}" for a, b in import_graph().edges if not allowed(a, b)]
    assert upward == []


def test_no_import_circle():
    graph = import_graph()
    graph.remove_nodes_from(["click"])
    # A package's __init__ is not a real importer of its modules here: no __init__ imports.
    assert list(nx.simple_cycles(graph)) == []


@pytest.mark.parametrize(("importer", "imported", "ok"), [
    ("graphkit.query.flow", "graphkit.store.cache", True),
    ("graphkit.store.cache", "graphkit.query.flow", False),
    ("graphkit.data.dataset", "click", False),
    ("graphkit.cli", "click", True),
    ("graphkit.page.render", "graphkit.export.writing", False),
    ("graphkit.query.flow", "graphkit.present.text", False),
    ("graphkit.present.text", "graphkit.query.flow", True),
])
def test_the_rule_itself(importer, imported, ok):
    assert allowed(importer, imported) is ok
