"""Shared fixtures: a tiny hand-made dataset whose answers are checked by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
TINY = FIXTURES / "tiny"
DOCUMENTS = FIXTURES / "documents"
REPO = Path(__file__).parent.parent
SHARED_SOURCES = REPO.parent / "shared" / "sources"


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory):
    """Every test's stores go to a temporary cache, never the user's."""
    import os

    previous = os.environ.get("GRAPHKIT_CACHE")
    os.environ["GRAPHKIT_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("GRAPHKIT_CACHE", None)
    else:
        os.environ["GRAPHKIT_CACHE"] = previous


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """A cache folder of this test's own (GRAPHKIT_CACHE), for tests that look inside it."""
    root = tmp_path / "cache"
    monkeypatch.setenv("GRAPHKIT_CACHE", str(root))
    return root


@pytest.fixture
def tiny_dir() -> Path:
    return TINY


@pytest.fixture
def tiny_copy(tmp_path: Path) -> Path:
    """A writable copy of the tiny dataset, for tests that break it on purpose."""
    target = tmp_path / "data"
    shutil.copytree(TINY, target)
    return target


@pytest.fixture
def tiny_graph():
    from graphkit.store.graph import load_graph

    return load_graph(TINY)


@pytest.fixture
def run_cli():
    """Invoke ``graphkit`` on the tiny dataset (or ``data=``) and return the result."""
    from click.testing import CliRunner

    from graphkit.cli import cli

    def invoke(*args: str, data: Path | str | None = TINY):
        prefix = ["--data", str(data)] if data is not None else []
        return CliRunner().invoke(cli, [*prefix, *args], catch_exceptions=False)

    return invoke


FACTS = FIXTURES / "facts"


def read_facts_dataset(directory: Path = FACTS):
    """The facts fixture as a Dataset read straight from its files, without validation
    (edges with their relation; figures, rounds and events as attributes)."""
    import json

    from graphkit.data.dataset import Dataset

    def records(name: str, key: str) -> list[dict]:
        path = directory / name
        return json.loads(path.read_text(encoding="utf-8"))[key] if path.exists() else []

    edges = []
    for path in sorted(directory.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        if "relation" in document:
            edges += [{**edge, "relation": document["relation"]} for edge in document["edges"]]
    dataset = Dataset(directory, {source["doc"]: source
                                  for source in records("sources.json", "sources")},
                      {entity.pop("id"): entity for entity in records("entities.json",
                                                                       "entities")},
                      edges, records("cohorts.json", "cohorts"))
    for kind in ("figures", "rounds", "events"):
        if not getattr(dataset, kind, None):
            setattr(dataset, kind, records(f"{kind}.json", kind))
    return dataset


@pytest.fixture(scope="session")
def facts_graph():
    """The facts fixture as a NetworkX graph (figures, rounds and events in graph.graph)."""
    from graphkit.store.graph import build_graph

    dataset = read_facts_dataset()
    graph = build_graph(dataset)
    for kind in ("figures", "rounds", "events"):
        graph.graph.setdefault(kind, getattr(dataset, kind))
    return graph
