"""Hedged claims read as hedged wherever an edge is shown (show, path, neighbors, lineage,
investments), and totals count only what the articles state or report as fact; on the
hand-made facts fixture (tests/fixtures/facts)."""

from __future__ import annotations

import pytest

from graphkit.data.dates import PartialDate
from graphkit.query.cards import entity_card
from graphkit.query.facts import Facts
from graphkit.query.investments import investments
from graphkit.query.lineage import lineage
from graphkit.query.paths import connection, neighborhood


@pytest.fixture(scope="module")
def facts(facts_graph) -> Facts:
    return Facts.from_graph(facts_graph)


def hedges(records) -> dict[str, str | None]:
    return {record["id"]: record["hedge"] for record in records}


def test_show_marks_hedged_edges_and_lists_figures_rounds_and_events(facts_graph, facts):
    card = entity_card(facts_graph, "rivalco", facts)
    assert hedges(card["edges"]) == {
        "ann-joined-rivalco": None,
        "ben-may-leave-rivalco": "possible",
        "fundx-may-invest-in-rivalco": "possible",
        "openco-may-partner-rivalco": "possible",
        "rivalco-partnered-moonco": "reported by WSJ",
    }
    texts = {edge["id"]: edge["text"] for edge in card["edges"]}
    assert texts["rivalco-partnered-moonco"] == (
        "Rivalco partnered with Moonco (undated) [reported by WSJ]")
    assert texts["fundx-may-invest-in-rivalco"] == "Fundx invested in Rivalco (undated) [possible]"
    assert [cohort["text"] for cohort in card["cohorts"]] == [
        "more than 5 people left Openco for Rivalco (2021)"]
    assert [event["id"] for event in card["events"]] == ["rivalco-founded"]
    assert card["exists_from"] == {"date": "2021-06", "event": "rivalco-founded"}
    openco = entity_card(facts_graph, "openco", facts, PartialDate.parse("2023"))
    assert [figure["id"] for figure in openco["figures"]] == [
        "openco-running-cost", "openco-valuation-2023-01"]
    assert [funding["id"] for funding in openco["rounds"]] == ["openco-2019-fundx"]
    # As of 2023: the 2023-03 release may have happened, the 2024 plans not yet.
    assert [event["id"] for event in openco["events"]] == ["openco-founded",
                                                          "model-nine-released"]


def test_card_text_shows_an_uncounted_cohort_and_the_facts(facts_graph, facts):
    from graphkit.present.text import card_text

    text = card_text(entity_card(facts_graph, "openco", facts))
    assert ("  cohort openco-several-left-2024: 數名 (number not stated) people left Openco "
            "(destination not named) (~2024)") in text.splitlines()
    assert "  exists from 2015 (event openco-founded)" in text.splitlines()
    assert "5 figures:" in text and "3 funding rounds:" not in text
    assert "   1. Openco closed 1 billion dollars (USD 1,000,000,000) from Fundx (2019)" in (
        text.splitlines())


def test_path_and_neighbors_mark_hedged_hops(facts_graph):
    result = connection(facts_graph, "fundx", "moonco")
    [path] = result["paths"]
    assert [(hop["id"], hop["hedge"]) for hop in path["hops"]] == [
        ("fundx-may-invest-in-rivalco", "possible"),
        ("rivalco-partnered-moonco", "reported by WSJ")]
    around = neighborhood(facts_graph, "moonco")
    assert hedges(around["edges"]) == {"rivalco-partnered-moonco": "reported by WSJ"}


def test_path_prefers_a_plain_claim_to_a_hedged_one_between_the_same_two(facts_graph):
    graph = facts_graph.copy()
    graph.add_edge("openco", "rivalco", key="openco-partnered-rivalco",
                   relation="company-partnered-with", sources=[])
    [path] = connection(graph, "openco", "rivalco")["paths"]
    assert [hop["id"] for hop in path["hops"]] == ["openco-partnered-rivalco"]


def test_lineage_marks_a_rumoured_successor(facts_graph):
    result = lineage(facts_graph, "model-nine")
    [after] = result["successors"]
    assert after["via"]["hedge"] == "rumoured"
    assert after["via"]["text"] == "Model Nine was succeeded by Model Ten (undated) [rumoured]"


def test_investments_list_rounds_with_no_named_investor(facts_graph, facts):
    result = investments(facts_graph, "moonco", facts)
    assert result["made"] == [] and result["received"] == []
    assert [funding["id"] for funding in result["rounds"]] == ["moonco-2024-rounds"]
    # "more than 30億": a lower bound, so the total has no upper end.
    assert result["totals"]["rounds"] == {"CNY": {
        "low": 3000000000, "high": None, "rounds": 1, "approximate": False,
        "disagree": False}}


def test_investment_totals_leave_out_hedged_claims_and_sought_rounds(facts_graph, facts):
    rivalco = investments(facts_graph, "rivalco", facts)
    assert [(edge["id"], edge["counted"]) for edge in rivalco["received"]] == [
        ("fundx-may-invest-in-rivalco", False)]
    assert rivalco["totals"]["received"] == {}
    assert rivalco["totals"]["hedged"] == {"made": 0, "received": 1}
    assert rivalco["totals"]["undisclosed"] == {"made": 0, "received": 0}
    openco = investments(facts_graph, "openco", facts)
    assert [(funding["id"], funding["edges"]) for funding in openco["rounds"]] == [
        ("openco-2019-fundx", ["fundx-invested-in-openco-2019"]),
        ("openco-middle-east-sought", [])]
    # The sought 100 billion is listed, not added to what Openco raised.
    assert openco["totals"]["rounds"] == {"USD": {
        "low": 1000000000, "high": 1000000000, "rounds": 1, "approximate": False,
        "disagree": False}}
    assert openco["totals"]["counted"] == ["stated", "reported"]


def test_investments_text_says_what_the_totals_count(facts_graph, facts):
    from graphkit.present.text import investments_text

    lines = investments_text(investments(facts_graph, "moonco", facts)).splitlines()
    assert "  total CNY raised: at least 3,000,000,000 over 1 round(s)" in lines
    assert lines[-2:] == [
        "Totals count what the articles state or report as fact, not possible,",
        "rumoured, planned or expected claims; rounds only sought are not added."]
    lines = investments_text(investments(facts_graph, "rivalco", facts)).splitlines()
    assert "  hedged, not in the totals: 1" in lines
