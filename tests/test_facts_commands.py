"""The commands on the facts fixture (tests/fixtures/facts), each beside the library call
it prints: figures, timeline, show, neighbors, path, search, investments and flow, with
bounds, hedges and lifespans; and the cache answers as the NetworkX graph does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphkit.data.dates import PartialDate
from graphkit.query.cards import entity_card
from graphkit.query.facts import Facts, entity_figures, entity_timeline
from graphkit.query.investments import investments
from graphkit.query.lineage import lineage
from graphkit.query.paths import neighborhood
from graphkit.store.cache import open_store
from graphkit.store.graph import as_of, load_graph

FACTS = Path(__file__).parent / "fixtures" / "facts"


@pytest.fixture
def run(run_cli):
    def invoke(*args: str):
        return run_cli(*args, data=FACTS)

    return invoke


def plain(data):
    return json.loads(json.dumps(data))


@pytest.fixture(scope="module")
def store():
    return open_store(FACTS)


def test_the_fixture_is_valid_and_every_quote_is_in_its_document(run_cli):
    result = run_cli("validate", "--documents", str(FACTS / "documents"), data=FACTS)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("args", [(), ("--as-of", "2023-06"), ("--metric", "valuation"),
                                  ("--metric", "rounds", "--metric", "cost")])
def test_figures_command_prints_what_the_library_answers(run, store, args):
    result = run("figures", "Openco", "--json", *args)
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    date = PartialDate.parse(args[1]) if args[:1] == ("--as-of",) else None
    metrics = [value for option, value in zip(args[::2], args[1::2], strict=True)
               if option == "--metric"]
    expected = entity_figures(Facts.from_store(store), "openco", date, metrics)
    assert {key: value for key, value in answer.items() if key != "query"} == plain(expected)
    assert answer["query"]["entity"] == "Openco"


def test_figures_text_puts_disagreeing_sources_side_by_side(run):
    lines = run("figures", "openco", "--metric", "valuation").stdout.splitlines()
    assert lines[:6] == [
        "Openco [company, id openco]",
        "  exists from 2015 (event openco-founded)",
        "",
        "valuation: 3 claims",
        "  2023-01   about 30 billion dollars (~ USD 30,000,000,000)",
        "              [one.txt] “was valued at about 30 billion dollars in January 2023”",
    ]
    assert lines[6] == "  ~2024-10  sources disagree:"
    assert lines[7] == ("              a) 150 billion dollars (USD 150,000,000,000) "
                        "[reported by people familiar with the matter]")
    assert lines[9] == ("              b) 1570億美元 (USD 157,000,000,000) "
                        "[reported by The Information]")


def test_figures_of_a_company_known_only_by_its_rounds(run):
    result = run("figures", "月之暗面")
    assert result.exit_code == 0
    assert ("  - Moonco raised 超過30億元人民幣 (> CNY 3,000,000,000) in 2 rounds; investors "
            "not named (~2024)") in result.stdout.splitlines()


def test_timeline_command_prints_what_the_library_answers(run, store):
    result = run("timeline", "openco", "--json", "--as-of", "2020")
    assert result.exit_code == 0
    expected = entity_timeline(Facts.from_store(store), "openco", PartialDate.parse("2020"))
    assert json.loads(result.stdout)["entries"] == plain(expected["entries"])
    lines = run("timeline", "openco", "--as-of", "2020").stdout.splitlines()
    assert lines[2] == "4 dated records"
    assert lines[-4].startswith("  on or before 2023-01-24  edge    Ann Lee left Openco")


def test_show_lists_figures_rounds_events_and_hedges(run, store):
    result = run("show", "rivalco", "--json")
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    expected = entity_card(store.view(), "rivalco", Facts.from_store(store))
    assert {key: value for key, value in answer.items() if key != "query"} == plain(expected)
    assert {edge["id"]: edge["hedge"] for edge in answer["edges"]}[
        "rivalco-partnered-moonco"] == "reported by WSJ"
    text = run("show", "rivalco").stdout
    assert "Rivalco partnered with Moonco (undated) [reported by WSJ]" in text


@pytest.mark.parametrize("command", [("show", "rivalco"), ("neighbors", "rivalco")])
def test_an_entity_that_did_not_exist_yet_is_not_shown(run, command):
    result = run(*command, "--as-of", "2020", "--json")
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert answer.get("edges") == []
    assert ("Rivalco did not exist yet as of 2020 (from 2021-06, event rivalco-founded)"
            in result.stderr)
    assert run(*command, "--as-of", "2021-06").exit_code == 0


def test_search_and_path_as_of_before_an_entity_existed(run):
    assert run("search", "Rivalco", "--as-of", "2020").exit_code == 1
    assert run("search", "Rivalco", "--as-of", "2022").exit_code == 0
    result = run("path", "openco", "rivalco", "--as-of", "2020")
    assert result.exit_code == 1
    assert ("no path between Openco and Rivalco: Rivalco did not exist yet as of 2020"
            in result.stderr)
    assert run("path", "openco", "rivalco", "--as-of", "2022").exit_code == 0


def test_investments_command_shows_rounds_without_investors(run, store):
    result = run("investments", "月之暗面", "--json")
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    expected = investments(store.view(relations=("company-invested-in",)), "moonco",
                           Facts.from_store(store))
    assert {key: value for key, value in answer.items() if key != "query"} == plain(expected)
    assert [funding["id"] for funding in answer["rounds"]] == ["moonco-2024-rounds"]
    assert "  total CNY raised: at least 3,000,000,000 over 1 round(s)" in run(
        "investments", "moonco").stdout.splitlines()


def test_flow_command_says_its_totals_are_lower_bounds(run):
    lines = run("flow").stdout.splitlines()
    assert lines[0].startswith("Talent flow, all dates: at least 6 moves")
    answer = json.loads(run("flow", "--json").stdout)
    assert answer["totals"]["uncounted"] == 1 and answer["totals"]["hedged"] == 1


@pytest.mark.parametrize("date", [None, "2014", "2020", "2021-06", "2023-02", "2024"])
def test_the_cache_answers_as_the_graph_does(store, date):
    graph = load_graph(FACTS)
    when = PartialDate.parse(date) if date else None
    view, cached = as_of(graph, when), store.view(when)
    facts = Facts.from_graph(graph)
    for entity in graph.nodes:
        assert (sorted(edge["id"] for edge in entity_card(cached, entity)["edges"])
                == sorted(edge["id"] for edge in entity_card(view, entity)["edges"]))
        assert neighborhood(cached, entity, 2) == neighborhood(view, entity, 2)
        assert (investments(cached, entity, Facts.from_store(store), when)
                == investments(view, entity, facts, when))
        if graph.nodes[entity]["type"] == "model":
            assert lineage(cached, entity) == lineage(view, entity)
