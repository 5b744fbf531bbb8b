"""Statistics on large graphs: counts and degree from the store's arrays, betweenness
estimated from a seeded sample, communities by Leiden (igraph).  The large-graph path is
forced on small hand-made graphs (``exact_nodes=0``) so its answers can be checked by hand
and against the exact path."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from functools import lru_cache
from pathlib import Path

import networkx as nx
import numpy as np
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.data.dates import PartialDate
from graphkit.query.stats import (
    dataset_stats,
    estimate_betweenness,
    kept_edges,
    leiden_communities,
    network_stats,
    simple_adjacency,
)
from graphkit.store.cache import open_store

TINY = Path(__file__).parent / "fixtures" / "tiny"
LEFT = [f"left-{number}" for number in range(1, 7)]
RIGHT = [f"right-{number}" for number in range(1, 7)]


def write_dataset(folder: Path) -> Path:
    """Two groups of six partner companies, every pair within a group partnered, joined by
    one partnership (left-1 and right-1, in 2024); and a holding company that acquired all
    twelve (undated), the one bridge between the groups when only acquisitions count."""
    folder.mkdir(parents=True, exist_ok=True)
    quote = [{"doc": "a.txt", "quote": "fixture"}]
    entities = [{"id": ident, "type": "company", "name": ident.replace("-", " ").title()}
                for ident in ["holding", *LEFT, *RIGHT]]
    partnered = [{"source": a, "target": b, "date": "2020", "sources": quote}
                 for group in (LEFT, RIGHT) for a, b in itertools.combinations(group, 2)]
    partnered.append({"source": "left-1", "target": "right-1", "date": "2024",
                      "sources": quote})
    acquired = [{"source": "holding", "target": ident, "sources": quote}
                for ident in [*LEFT, *RIGHT]]
    files = {
        "entities.json": {"entities": entities},
        "sources.json": {"sources": [{"doc": "a.txt", "title": "Fixture", "language": "en",
                                      "published": "2024-01"}]},
        "company-partnered-with.json": {"relation": "company-partnered-with",
                                        "edges": partnered},
        "company-acquired-company.json": {"relation": "company-acquired-company",
                                          "edges": acquired},
    }
    for name, document in files.items():
        for number, edge in enumerate(document.get("edges", [])):
            edge["id"] = f"{document['relation']}-{number}"
        (folder / name).write_bytes(orjson.dumps(document))
    return folder


@pytest.fixture(scope="module")
def groups_dir(tmp_path_factory) -> Path:
    return write_dataset(tmp_path_factory.mktemp("groups") / "data")


@pytest.fixture
def groups(groups_dir):
    return open_store(groups_dir)


def large(store, as_of=None, relations=(), **options) -> dict:
    """The large-graph statistics of a small store."""
    return dataset_stats(store, PartialDate.parse(as_of) if as_of else None, relations,
                         exact_nodes=0, **options)


def ids(entries: list[dict]) -> list[str]:
    return [entry["id"] for entry in entries]


# -- the hand-made groups -----------------------------------------------------------------


def test_counts_and_degree_of_the_groups(groups):
    result = large(groups)
    assert (result["nodes"], result["edges"]) == (13, 15 * 2 + 1 + 12)
    assert result["entities"] == {"company": 13}
    assert result["relations"] == {"company-acquired-company": 12,
                                   "company-partnered-with": 31}
    # holding: 12 acquisitions; left-1 and right-1: 5 partners + the bridge + acquired.
    assert [(entry["id"], entry["degree"]) for entry in result["degree"]["top"][:3]] == [
        ("holding", 12), ("left-1", 7), ("right-1", 7)]
    assert result["degree"]["top"][0] == {"id": "holding", "name": "Holding",
                                          "type": "company", "degree": 12}


def test_estimated_betweenness_ranks_the_bridge_first_and_states_the_sample(groups):
    result = large(groups, sample=3)["betweenness"]
    assert result["method"].startswith("estimated from 3 of 13 sources drawn at random "
                                       "(seed 0)")
    assert "linear scaling" in result["method"]
    assert result["top"][0]["id"] == "holding"
    # Acquisitions only: a star, every path between two companies goes through holding,
    # and through nothing else, whichever sources were sampled.
    star = large(groups, relations=("company-acquired-company",), sample=3)["betweenness"]
    assert star["top"][0]["id"] == "holding"
    assert {entry["betweenness"] for entry in star["top"][1:]} == {0.0}
    # Partnerships only: every path between the groups crosses from left-1 to right-1, so
    # left-1 lies inside the paths from the other five on the left to the six on the right:
    # 30 pairs; with the isolated holding n = 13, normalised 30 / (12 · 11 / 2).
    exact = large(groups, relations=("company-partnered-with",), sample=1000)["betweenness"]
    assert exact["method"] == "exact (Brandes), undirected, normalised"
    assert [(entry["id"], entry["betweenness"]) for entry in exact["top"][:3]] == [
        ("left-1", round(60 / 132, 4)), ("right-1", round(60 / 132, 4)), ("holding", 0.0)]
    sampled = large(groups, relations=("company-partnered-with",), sample=4)["betweenness"]
    assert set(ids(sampled["top"][:2])) == {"left-1", "right-1"}


def test_the_same_sample_gives_the_same_answer(groups):
    first = large(groups, sample=4)
    assert large(groups, sample=4) == first
    assert large(groups, sample=4)["betweenness"]["method"] == first["betweenness"]["method"]


def test_communities_are_the_two_groups_largest_first(groups):
    result = large(groups, relations=("company-partnered-with",), top=5)["communities"]
    assert result["count"] == 2
    assert [group["size"] for group in result["largest"]] == [6, 6]
    members = [set(ids(group["members"])) for group in result["largest"]]
    assert sorted(members, key=sorted) == [set(LEFT), set(RIGHT)]
    # Most connected first: left-1 or right-1 (the bridge ends) lead their group.
    assert {group["members"][0]["id"] for group in result["largest"]} == {"left-1", "right-1"}
    assert result["method"].startswith("Leiden (igraph, modularity objective")
    assert "Louvain (NetworkX) is used up to 500 entities" in result["method"]
    # Two complete groups of 6 (15 edges each) and a bridge, m = 31: each group has
    # 15 of the edges and degree 31 of 2m = 62, so Q = 2 * (15/31 - (31/62)^2).
    assert result["modularity"] == pytest.approx(2 * (15 / 31 - (31 / 62) ** 2), abs=1e-4)
    only_one = large(groups, relations=("company-partnered-with",), top=1)["communities"]
    assert (only_one["count"], len(only_one["largest"])) == (2, 1)


def test_as_of_leaves_out_what_was_not_yet_true(groups):
    before = large(groups, as_of="2023", relations=("company-partnered-with",))
    assert before["edges"] == 30  # the bridge is of 2024
    assert {entry["betweenness"] for entry in before["betweenness"]["top"]} == {0.0}
    assert before["degree"]["top"][0]["degree"] == 5
    after = large(groups, as_of="2024-06", relations=("company-partnered-with",))
    assert after["edges"] == 31


# -- the large-graph path against the exact one ---------------------------------------------


@pytest.mark.parametrize("as_of, relations", [
    (None, ()), ("2020", ()), ("2023-01", ()), (None, ("company-invested-in",)),
    ("2023-01", ("person-joined-company", "person-left-company")),
])
def test_large_path_agrees_with_the_exact_path_on_the_tiny_data(tiny_dir, as_of, relations):
    store = open_store(tiny_dir)
    exact = dataset_stats(store, PartialDate.parse(as_of) if as_of else None, relations)
    estimated = large(store, as_of, relations, sample=1000)
    for key in ("nodes", "edges", "entities", "relations", "degree"):
        assert estimated[key] == exact[key]
    assert estimated["betweenness"]["method"] == exact["betweenness"]["method"]
    assert ids(estimated["betweenness"]["top"]) == ids(exact["betweenness"]["top"])
    for mine, theirs in zip(estimated["betweenness"]["top"], exact["betweenness"]["top"],
                            strict=True):
        assert mine["betweenness"] == pytest.approx(theirs["betweenness"], abs=1e-4)
    communities = estimated["communities"]
    assert sum(group["size"] for group in communities["largest"]) <= estimated["nodes"]
    assert len(communities["largest"]) == min(10, communities["count"])


def test_a_filter_that_keeps_nothing(tiny_dir, run_cli, monkeypatch):
    result = large(open_store(tiny_dir), relations=("company-acquired-company",), top=3)
    assert (result["edges"], result["relations"]) == (0, {})
    assert [(entry["id"], entry["betweenness"]) for entry in result["betweenness"]["top"]] == [
        ("acme", 0.0), ("acmechat", 0.0), ("alice", 0.0)]
    assert (result["communities"]["count"], result["communities"]["largest"]) == (0, [])
    monkeypatch.setattr("graphkit.query.stats.EXACT_NODES", 0)
    text = run_cli("stats", "--relation", "company-acquired-company").stdout
    assert "12 entities, 0 relations" in text
    assert "  no groups of two or more" in text


def test_small_data_keeps_its_exact_shape(tiny_dir):
    result = dataset_stats(open_store(tiny_dir))
    assert set(result["communities"]) == {"method", "modularity", "groups"}
    assert result["communities"]["method"].startswith("Louvain")
    assert result["betweenness"]["method"] == "exact (Brandes), undirected, normalised"


def test_kept_edges_follow_the_views_rule(tiny_dir):
    store = open_store(tiny_dir)
    for as_of in (None, "2019", "2020", "2021-06", "2023-01-15", "2030"):
        for relations in ((), ("person-left-company",), ("company-invested-in",
                                                        "model-succeeded-by")):
            view = store.view(PartialDate.parse(as_of) if as_of else None, relations)
            assert kept_edges(view).tolist() == [view._keep(edge)
                                                 for edge in range(store.edge_count)]


def test_network_stats_reads_the_view(groups):
    view = groups.view(PartialDate.parse("2023"), ("company-partnered-with",))
    assert network_stats(view, top=2, sample=2)["edges"] == 30


# -- the command ----------------------------------------------------------------------------


@pytest.fixture
def forced_large(monkeypatch):
    monkeypatch.setattr("graphkit.query.stats.EXACT_NODES", 0)


def test_command_on_a_large_graph(run_cli, groups_dir, forced_large):
    result = run_cli("stats", "--json", "--sample", "3", "--relation", "company-partnered-with",
                     data=groups_dir)
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert set(document["communities"]) == {"method", "modularity", "count", "largest"}
    assert document["query"] == {"top": 10, "relations": ["company-partnered-with"],
                                 "as_of": None, "sample": 3}
    assert "3 of 12 sources" in document["betweenness"]["method"]
    text = run_cli("stats", "--sample", "3", "--relation", "company-partnered-with",
                   data=groups_dir).stdout
    assert "2 groups; the 2 largest:" in text
    assert "  1. 6 entities: " in text
    assert "estimated from 3 of 12 sources drawn at random (seed 0)" in text


def test_command_on_a_small_graph_keeps_its_query(run_cli):
    document = json.loads(run_cli("stats", "--json").stdout)
    assert document["query"] == {"top": 10, "relations": [], "as_of": None}
    assert set(document["communities"]) == {"method", "modularity", "groups"}


def test_command_refuses_a_sample_of_nothing(run_cli):
    result = run_cli("stats", "--sample", "0")
    assert result.exit_code == 2
    assert "--sample" in result.output


# -- properties of the array code -------------------------------------------------------------

edge_lists = st.integers(min_value=1, max_value=14).flatmap(lambda count: st.tuples(
    st.just(count), st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)),
                             max_size=40)))


def arrays(edges: list[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    pairs = np.array(edges, dtype=np.int32).reshape(-1, 2)
    return pairs[:, 0], pairs[:, 1]


def simple(count: int, edges: list[tuple[int, int]]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(range(count))
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    return graph


@given(edge_lists)
@settings(max_examples=60, deadline=None)
def test_adjacency_is_the_simple_graph(case):
    count, edges = case
    indptr, indices = simple_adjacency(*arrays(edges), count)
    graph = simple(count, edges)
    for node in range(count):
        assert indices[indptr[node]:indptr[node + 1]].tolist() == sorted(graph[node])


@given(edge_lists)
@settings(max_examples=60, deadline=None)
def test_full_sample_is_exact_betweenness(case):
    count, edges = case
    values, method = estimate_betweenness(*simple_adjacency(*arrays(edges), count),
                                          sample=count)
    expected = nx.betweenness_centrality(simple(count, edges))
    assert method == "exact (Brandes), undirected, normalised"
    assert values.tolist() == pytest.approx([expected[node] for node in range(count)],
                                            abs=1e-12)


@given(edge_lists, st.integers(1, 5), st.integers(0, 3))
@settings(max_examples=60, deadline=None)
def test_estimates_are_repeatable_and_zero_off_every_path(case, sample, seed):
    count, edges = case
    adjacency = simple_adjacency(*arrays(edges), count)
    values, _ = estimate_betweenness(*adjacency, sample=sample, seed=seed)
    again, _ = estimate_betweenness(*adjacency, sample=sample, seed=seed)
    assert values.tolist() == again.tolist()
    assert (values >= 0).all()
    exact = nx.betweenness_centrality(simple(count, edges))
    # A node on no shortest path (a leaf, say) is on none of the sampled ones either.
    assert all(values[node] == 0 for node in range(count) if exact[node] == 0)


@given(edge_lists, st.integers(0, 3))
@settings(max_examples=60, deadline=None)
def test_communities_never_cross_components(case, seed):
    count, edges = case
    labels, modularity = leiden_communities(*simple_adjacency(*arrays(edges), count), seed=seed)
    component = {node: number for number, members in
                 enumerate(nx.connected_components(simple(count, edges))) for node in members}
    for label in set(labels.tolist()):
        members = np.flatnonzero(labels == label).tolist()
        assert len({component[node] for node in members}) == 1
    assert -0.5 <= modularity <= 1
    assert leiden_communities(*simple_adjacency(*arrays(edges), count), seed=seed)[0].tolist() == (
        labels.tolist())


@lru_cache(maxsize=1)
def tiny_store():
    return open_store(TINY)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31)),
       st.sampled_from(["year", "month", "day"]),
       st.sets(st.sampled_from(["person-left-company", "person-joined-company",
                                "company-invested-in", "model-succeeded-by"])))
@settings(max_examples=60, deadline=None)
def test_kept_edges_match_the_view_on_any_date(date, precision, relations):
    text = {"year": f"{date.year:04d}", "month": f"{date.year:04d}-{date.month:02d}",
            "day": date.isoformat()}[precision]
    store = tiny_store()
    view = store.view(PartialDate.parse(text), sorted(relations))
    assert kept_edges(view).tolist() == [view._keep(edge) for edge in range(store.edge_count)]
