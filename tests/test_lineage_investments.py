"""Lineage and investments walk only their own edges, and answer the same from the graph
and from the cache (as of any date)."""

from __future__ import annotations

import json

import networkx as nx
import pytest

from graphkit.data.dates import PartialDate
from graphkit.data.locate import bundled_data_dir
from graphkit.data.relations import SUCCESSION_RELATIONS
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
        assert answer == {**json.loads(json.dumps(lineage(in_effect, "m3"))),
                          "query": {"model": "m3", "as_of": date}}
        answer = json.loads(run_cli("investments", "initech", "--as-of", date, "--json").stdout)
        expected = investments(in_effect, "initech", Facts.from_graph(graph),
                               PartialDate.parse(date))
        assert answer == {**json.loads(json.dumps(expected)),
                          "query": {"entity": "initech", "as_of": date}}
    in_2022 = json.loads(run_cli("investments", "initech", "--as-of", "2022", "--json").stdout)
    assert list(in_2022["totals"]["received"]) == ["USD"]
    assert run_cli("lineage", "m3", "--as-of", "20x", "--json").exit_code == 2
