"""Lineage and investments walk only their own edges, and answer the same from the graph
and from the cache (as of any date)."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from graphkit.data.dates import PartialDate
from graphkit.data.locate import bundled_data_dir
from graphkit.data.relations import SUCCESSION_RELATIONS
from graphkit.errors import BadArgument
from graphkit.query.facts import Facts
from graphkit.query.investments import INVESTED, investments
from graphkit.query.lineage import lineage
from graphkit.store.cache import open_store
from graphkit.store.graph import GraphNetwork, as_of, build_graph, load_graph

DATES = (None, "2019-06", "2022")


class CountingNetwork(GraphNetwork):
    """A graph network that remembers which entities' edges were read."""

    def __init__(self, graph):
        super().__init__(graph)
        self.visited: list[str] = []

    def around(self, ident):
        self.visited.append(ident)
        yield from super().around(ident)


@pytest.mark.parametrize("data", ["tiny", "bundled"])
@pytest.mark.parametrize("date", DATES)
def test_graph_and_store_give_the_same_lineage_and_investments(data, date, tiny_dir):
    directory = tiny_dir if data == "tiny" else bundled_data_dir()
    store, graph = open_store(directory), load_graph(directory)
    when = PartialDate.parse(date) if date else None
    view = as_of(graph, when)
    types = nx.get_node_attributes(graph, "type")
    models = [node for node, kind in types.items() if kind in ("model", "product")]
    assert models
    for model in models:
        from_graph = lineage(view, model)
        assert lineage(store.view(when), model) == from_graph
        assert lineage(store.view(when, SUCCESSION_RELATIONS), model) == from_graph
    for entity in types:
        from_graph = investments(view, entity)
        assert investments(store.view(when), entity) == from_graph
        assert investments(store.view(when, (INVESTED,)), entity) == from_graph


def test_lineage_reads_only_the_lineage_it_reaches():
    graph = nx.MultiDiGraph()
    for node in ("a", "b", "c", "d", "lab", "x"):
        graph.add_node(node, name=node.upper(), type="lab" if node == "lab" else "model",
                       aliases=[])
    graph.add_edge("a", "b", key="s/0", relation="model-succeeded-by", sources=[])
    graph.add_edge("b", "c", key="s/1", relation="model-succeeded-by", sources=[])
    graph.add_edge("d", "c", key="d/0", relation="model-derived-from", sources=[],
                   method="distilled")
    graph.add_edge("d", "c", key="d/1", relation="model-derived-from", sources=[])
    graph.add_edge("lab", "a", key="dev/0", relation="company-developed-model", sources=[])
    graph.add_edge("lab", "x", key="dev/1", relation="company-developed-model", sources=[])
    network = CountingNetwork(graph)
    result = lineage(network, "b")
    assert [(p["id"], p["depth"]) for p in result["predecessors"]] == [("a", 1)]
    assert [(s["id"], s["depth"], s["via"]["id"]) for s in result["successors"]] == [
        ("c", 1, "s/1"), ("d", 2, "d/0")]
    assert result["successors"][1]["via"]["text"] == "D was derived from C [distilled] (undated)"
    # The developer and its other model are never walked.
    assert set(network.visited) == {"a", "b", "c", "d"}


def test_investments_read_only_the_entitys_own_edges():
    graph = nx.MultiDiGraph()
    for node in ("fund", "co", "other"):
        graph.add_node(node, name=node, type="company", aliases=[])
    graph.add_edge("fund", "co", key="i/0", relation=INVESTED, date="2021", sources=[],
                   amount={"as_stated": "5", "value": 5, "currency": "USD"})
    graph.add_edge("co", "other", key="i/1", relation=INVESTED, date="2020", sources=[])
    graph.add_edge("co", "other", key="p/0", relation="company-partnered-with", sources=[])
    graph.add_edge("fund", "other", key="i/2", relation=INVESTED, sources=[])
    network = CountingNetwork(graph)
    result = investments(network, "co")
    assert [edge["id"] for edge in result["made"]] == ["i/1"]
    assert [edge["id"] for edge in result["received"]] == ["i/0"]
    assert result["totals"]["undisclosed"] == {"made": 1, "received": 0}
    assert network.visited == ["co"]


def test_commands_answer_from_the_cache_as_of_a_date(run_cli, tiny_dir):
    graph = build_graph(open_store(tiny_dir).dataset())
    for date in ("2019-06", "2022"):
        in_effect = as_of(graph, PartialDate.parse(date))
        answer = json.loads(run_cli("lineage", "m3", "--as-of", date, "--json").stdout)
        assert answer == {**json.loads(json.dumps(lineage(in_effect, "m3", limit=100))),
                          "query": {"model": "m3", "as_of": date, "depth": None,
                                    "limit": 100}}
        answer = json.loads(run_cli("investments", "initech", "--as-of", date, "--json").stdout)
        expected = investments(in_effect, "initech", Facts.from_graph(graph),
                               PartialDate.parse(date))
        assert answer == {**json.loads(json.dumps(expected)),
                          "query": {"entity": "initech", "as_of": date}}
    in_2022 = json.loads(run_cli("investments", "initech", "--as-of", "2022", "--json").stdout)
    assert list(in_2022["totals"]["received"]) == ["USD"]
    assert run_cli("lineage", "m3", "--as-of", "20x", "--json").exit_code == 2


def chain(length: int) -> nx.MultiDiGraph:
    """m0 → m1 → ... → m(length-1), each succeeded by the next, plus m0 derived from x."""
    graph = nx.MultiDiGraph()
    for node in [f"m{number}" for number in range(length)] + ["x"]:
        graph.add_node(node, name=node.upper(), type="model", aliases=[])
    for number in range(length - 1):
        graph.add_edge(f"m{number}", f"m{number + 1}", key=f"s/{number}",
                       relation="model-succeeded-by", sources=[])
    graph.add_edge("m0", "x", key="d/0", relation="model-derived-from", sources=[])
    return graph


def test_lineage_stops_at_a_depth_and_says_more_lie_beyond():
    network = CountingNetwork(chain(6))
    result = lineage(network, "m1", depth=2)
    assert [(s["id"], s["depth"]) for s in result["successors"]] == [("m2", 1), ("m3", 2)]
    assert result["cut"]["successors"] == {"reason": "depth", "shown": 2,
                                           "complete_to_depth": 2}
    # Before m1: m0 (depth 1), then x (depth 2), and nothing beyond: not cut.
    assert [p["id"] for p in result["predecessors"]] == ["m0", "x"]
    assert result["cut"]["predecessors"] is None
    assert "m5" not in network.visited  # nothing past the cut is read
    # Exactly as deep as the family: complete, not cut.
    assert lineage(chain(6), "m1", depth=4)["cut"]["successors"] is None


def test_lineage_lists_at_most_limit_each_way_nearest_first():
    result = lineage(chain(6), "m2", limit=2)
    assert [s["id"] for s in result["successors"]] == ["m3", "m4"]
    assert result["cut"]["successors"] == {"reason": "limit", "shown": 2,
                                           "complete_to_depth": 2}
    assert [p["id"] for p in result["predecessors"]] == ["m1", "m0"]
    assert result["cut"]["predecessors"] == {"reason": "limit", "shown": 2,
                                             "complete_to_depth": 2}
    assert lineage(chain(6), "m2", limit=3)["cut"]["successors"] is None
    with pytest.raises(BadArgument, match="--limit must be at least 1"):
        lineage(chain(6), "m2", limit=0)


def test_lineage_command_says_what_it_cut(run_cli, tiny_dir):
    whole = json.loads(run_cli("lineage", "m3", "--json", "--limit", "0").stdout)
    assert whole["cut"] == {"predecessors": None, "successors": None}
    assert whole["limit"] is None
    # Model Three (m3) came after Model Two (m2), which came after Model One (m1).
    assert [(p["id"], p["depth"]) for p in whole["predecessors"]] == [("m2", 1), ("m1", 2)]
    answer = json.loads(run_cli("lineage", "m3", "--depth", "1", "--json").stdout)
    assert [p["id"] for p in answer["predecessors"]] == ["m2"]
    assert answer["cut"]["predecessors"] == {"reason": "depth", "shown": 1,
                                             "complete_to_depth": 1}
    assert answer["query"]["depth"] == 1
    text = run_cli("lineage", "m3", "--limit", "1").stdout
    assert "Model One" not in text
    assert "... more not shown: the first 1 (complete to depth 1); --limit N shows more" in text
    for bad in (("--depth", "0"), ("--limit", "-1")):
        result = run_cli("lineage", "m3", *bad)
        assert result.exit_code == 2
