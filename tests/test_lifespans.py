"""--as-of is honest about when entities exist and about dates known only as bounds, on the
hand-made facts fixture (tests/fixtures/facts): Openco was founded in 2015, Rivalco in
2021-06, Model Nine released in 2023-03; Ann Lee left Openco "on or before 2023-01-24"."""

from __future__ import annotations

import pytest

from graphkit.data.dates import PartialDate
from graphkit.data.names import NameIndex, search_linked
from graphkit.query.cards import entity_card
from graphkit.query.facts import Facts, not_yet
from graphkit.query.lineage import lineage
from graphkit.query.paths import connection, neighborhood
from graphkit.store.graph import GraphNetwork, as_of


def at(graph, date: str):
    return as_of(graph, PartialDate.parse(date))


def edge_ids(view) -> set[str]:
    return {key for *_ends, key in view.edges(keys=True)}


def test_no_edge_of_an_entity_before_it_exists(facts_graph):
    # Rivalco's undated edges (a possible partnership, a possible investment, the WSJ
    # partnership, Ben's possible departure) only count from 2021-06.
    rivalco = {"openco-may-partner-rivalco", "fundx-may-invest-in-rivalco",
               "rivalco-partnered-moonco", "ben-may-leave-rivalco"}
    assert not rivalco & edge_ids(at(facts_graph, "2021-05"))
    assert rivalco <= edge_ids(at(facts_graph, "2021-06"))
    # Model Nine exists from 2023-03: its rumoured successor is not linked before.
    assert "model-nine-succeeded-by-model-ten" not in edge_ids(at(facts_graph, "2022"))
    assert lineage(at(facts_graph, "2022"), "model-nine")["successors"] == []
    assert [s["id"] for s in lineage(at(facts_graph, "2023-03"), "model-nine")["successors"]] \
        == ["model-ten"]


def test_a_date_known_only_as_an_upper_bound_does_not_delay_an_edge(facts_graph):
    # "on or before 2023-01-24": it may already have happened in 2016 (Openco existed).
    assert "ann-left-openco" in edge_ids(at(facts_graph, "2016"))
    assert "ann-left-openco" not in edge_ids(at(facts_graph, "2014"))
    # The joining is dated exactly, so it waits for its day.
    assert "ann-joined-rivalco" not in edge_ids(at(facts_graph, "2023-01-23"))


def test_search_show_neighbors_and_path_as_of_before_an_entity_existed(facts_graph):
    before, after = at(facts_graph, "2020"), at(facts_graph, "2022")
    index = NameIndex(facts_graph.nodes)
    assert search_linked(index, GraphNetwork(before), "Rivalco") == []
    assert [hit["id"] for hit in search_linked(index, GraphNetwork(after), "Rivalco")] == [
        "rivalco"]
    assert entity_card(before, "rivalco")["edges"] == []
    assert [node["id"] for node in neighborhood(before, "rivalco")["nodes"]] == ["rivalco"]
    assert connection(before, "fundx", "moonco")["paths"] == []
    assert connection(after, "fundx", "moonco")["paths"]
    facts = Facts.from_graph(facts_graph)
    assert not_yet(facts, "rivalco", PartialDate.parse("2020")) == {
        "date": "2021-06", "event": "rivalco-founded"}
    assert not_yet(facts, "rivalco", PartialDate.parse("2021")) is None
    assert not_yet(facts, "fundx", PartialDate.parse("1990")) is None  # no event: always


@pytest.mark.parametrize("date", ["2014", "2021-05", "2023-02", "2024"])
def test_the_view_keeps_exactly_the_edges_whose_ends_exist(facts_graph, date):
    from graphkit.data.lifespans import birth_days

    born = birth_days(facts_graph.graph["events"])
    last = PartialDate.parse(date).last_day().toordinal()
    for source, target, _key in at(facts_graph, date).edges(keys=True):
        assert born.get(source, 0) <= last and born.get(target, 0) <= last


def test_no_record_about_an_entity_before_it_exists():
    from graphkit.query.facts import entity_figures, entity_timeline, facts_card

    facts = Facts({"n": {"name": "N", "type": "company"}, "o": {"name": "O",
                                                               "type": "company"}},
                  figures=[{"id": "undated", "entity": "n", "metric": "headcount",
                            "quantity": {"as_stated": "51人", "value": 51, "unit": "people"},
                            "sources": []},
                           {"id": "bounded", "entity": "o", "metric": "users",
                            "counterparty": "n", "date": "2023", "date_bound": "on-or-before",
                            "quantity": {"as_stated": "1", "value": 1, "unit": "users"},
                            "sources": []}],
                  events=[{"id": "n-founded", "entity": "n", "kind": "founded",
                           "date": "2021-06", "sources": []}],
                  cohorts=[{"id": "c", "relation": "person-left-company", "from": "n",
                            "size_as_stated": "several", "sources": []}])
    before, after = PartialDate.parse("2021-05"), PartialDate.parse("2021-06")
    # Undated, or dated only "on or before": still not before N exists.
    assert entity_figures(facts, "n", before)["metrics"] == []
    assert entity_figures(facts, "o", before)["metrics"] == []
    assert [m["metric"] for m in entity_figures(facts, "n", after)["metrics"]] == [
        "headcount", "users"]
    card = facts_card(facts, "n", before)
    assert card["figures"] == card["events"] == []
    assert entity_timeline(facts, "n", before)["entries"] == []
    assert [entry["id"] for entry in entity_timeline(facts, "n", after)["entries"]] == [
        "n-founded", "bounded"]
    import networkx as nx

    graph = nx.MultiDiGraph(cohorts=facts.cohorts)
    graph.add_node("n", name="N", type="company", aliases=[])
    assert entity_card(graph, "n", facts, before)["cohorts"] == []
    assert [c["id"] for c in entity_card(graph, "n", facts, after)["cohorts"]] == ["c"]
