"""figures and timeline: every figure, round, event and cohort about an entity, as the
articles say it, on a hand-made fixture whose answers are checked by hand
(tests/fixtures/facts: three short documents, every quote verbatim)."""

from __future__ import annotations

import json

import pytest

from graphkit.data.dates import PartialDate
from graphkit.errors import BadArgument
from graphkit.query.facts import (
    Facts,
    entity_figures,
    entity_timeline,
    exists_from,
    happened_by,
)


@pytest.fixture(scope="module")
def facts(facts_graph) -> Facts:
    return Facts.from_graph(facts_graph)


def claims_of(result: dict, metric: str) -> list[list[tuple]]:
    [entry] = [entry for entry in result["metrics"] if entry["metric"] == metric]
    return [[(claim["id"], claim["hedge"]) for claim in point["claims"]]
            for point in entry["points"]]


# -- figures --------------------------------------------------------------------------------


def test_figures_group_by_metric_in_date_order_and_keep_disagreeing_sources_apart(facts):
    result = entity_figures(facts, "openco")
    assert [entry["metric"] for entry in result["metrics"]] == [
        "valuation", "annualised-revenue", "cost"]
    # Three sources, two dates: 2023-01 alone; at 2024-10 two reports disagree (150 vs 157
    # billion), both kept, each with whose claim it is.
    assert claims_of(result, "valuation") == [
        [("openco-valuation-2023-01", None)],
        [("openco-valuation-2024-10-insiders", "reported by people familiar with the matter"),
         ("openco-valuation-2024-10-the-information", "reported by The Information")]]
    points = result["metrics"][0]["points"]
    assert [point["disagree"] for point in points] == [False, True]
    assert [point["when"] for point in points] == ["2023-01", "~2024-10"]
    first = points[0]["claims"][0]
    assert first["text"] == ("Openco valuation: about 30 billion dollars "
                             "(~ USD 30,000,000,000) (2023-01)")
    assert first["sources"][0]["quote"] == (
        "was valued at about 30 billion dollars in January 2023")
    assert result["exists_from"] == {"date": "2015", "event": "openco-founded"}


def test_figures_include_rounds_with_no_named_investor(facts):
    result = entity_figures(facts, "moonco")
    assert result["metrics"] == []
    [funding] = result["rounds"]
    assert funding["text"] == ("Moonco raised 超過30億元人民幣 (> CNY 3,000,000,000) in 2 "
                               "rounds; investors not named (~2024)")
    assert funding["counted"] is True


def test_an_investor_sees_the_rounds_it_is_named_in(facts):
    assert [r["id"] for r in entity_figures(facts, "fundx")["rounds"]] == ["openco-2019-fundx"]


def test_metric_filter_and_rounds(facts):
    only = entity_figures(facts, "openco", metrics=["cost"])
    assert [entry["metric"] for entry in only["metrics"]] == ["cost"]
    assert only["rounds"] == []
    rounds = entity_figures(facts, "openco", metrics=["rounds"])
    assert rounds["metrics"] == []
    assert [r["id"] for r in rounds["rounds"]] == ["openco-2019-fundx",
                                                   "openco-middle-east-sought"]
    with pytest.raises(BadArgument, match=r"unknown metric 'revenu'; did you mean 'revenue'\?"
                                          r" \(valid: valuation, revenue, .*rounds\)"):
        entity_figures(facts, "openco", metrics=["revenu"])


def test_figures_as_of_keep_only_what_may_have_happened_by_then(facts):
    result = entity_figures(facts, "openco", as_of=PartialDate.parse("2023-06"))
    assert claims_of(result, "valuation") == [[("openco-valuation-2023-01", None)]]
    assert [r["id"] for r in result["rounds"]] == ["openco-2019-fundx"]


# -- timeline -------------------------------------------------------------------------------


def test_timeline_lists_every_dated_record_of_every_kind_in_order(facts):
    result = entity_timeline(facts, "openco")
    listed = [(entry["when"], entry["kind"], entry["id"]) for entry in result["entries"]]
    assert listed == [
        ("2015", "event", "openco-founded"),
        ("2019", "round", "openco-2019-fundx"),
        ("2019", "edge", "fundx-invested-in-openco-2019"),
        ("2021", "cohort", "openco-to-rivalco-2021"),
        ("~2023-01", "figure", "openco-running-cost"),
        ("2023-01", "figure", "openco-valuation-2023-01"),
        ("on or before 2023-01-24", "edge", "ann-left-openco"),
        ("2023-03", "event", "model-nine-released"),
        ("2023-03", "edge", "openco-developed-model-nine"),
        ("~2024", "event", "openco-seeking-sale-2024"),
        ("~2024", "cohort", "openco-several-left-2024"),
        ("~2024-10", "round", "openco-middle-east-sought"),
        ("~2024-10", "figure", "openco-annualised-revenue-2024-10"),
        ("~2024-10", "figure", "openco-valuation-2024-10-insiders"),
        ("~2024-10", "figure", "openco-valuation-2024-10-the-information"),
    ]
    # The one undated record (a possible partnership) is counted, not listed.
    assert result["undated"] == {"edge": 1}
    texts = {entry["id"]: entry["text"] for entry in result["entries"]}
    assert texts["openco-to-rivalco-2021"] == "more than 5 people left Openco for Rivalco (2021)"
    assert texts["openco-several-left-2024"] == (
        "數名 (number not stated) people left Openco (destination not named) (~2024)")
    assert texts["openco-seeking-sale-2024"] == (
        "seeking-sale: Openco might seek to sell part of its business (~2024) [possible]")
    assert texts["ann-left-openco"] == (
        "Ann Lee left Openco (researcher) for Rivalco (on or before 2023-01-24)")


def test_timeline_as_of_keeps_a_date_known_only_as_an_upper_bound(facts):
    # Ann's departure is "on or before 2023-01-24": as of 2020 it may already have
    # happened, so it is listed; the 2021 cohort is not.
    result = entity_timeline(facts, "openco", as_of=PartialDate.parse("2020"))
    assert [entry["id"] for entry in result["entries"]] == [
        "openco-founded", "openco-2019-fundx", "fundx-invested-in-openco-2019",
        "ann-left-openco"]


def test_timeline_kind_filter(facts):
    result = entity_timeline(facts, "openco", kinds=["event", "cohort"])
    assert {entry["kind"] for entry in result["entries"]} == {"event", "cohort"}
    assert result["undated"] == {}
    with pytest.raises(BadArgument, match="unknown kind 'events'; did you mean 'event'"):
        entity_timeline(facts, "openco", kinds=["events"])


# -- dates and existence --------------------------------------------------------------------


@pytest.mark.parametrize(("record", "as_of", "expected"), [
    ({"date": "2021-06"}, "2021", True),
    ({"date": "2021-06"}, "2021-05", False),
    ({"date": "2021-06", "date_bound": "circa"}, "2021-05", False),
    ({"date": "2021-06", "date_bound": "on-or-after"}, "2021-05", False),
    ({"date": "2021-06", "date_bound": "on-or-before"}, "2001", True),
    ({}, "2001", True),
])
def test_happened_by(record, as_of, expected):
    assert happened_by(record, PartialDate.parse(as_of)) is expected


def test_exists_from_ignores_upper_bounds_and_hedged_releases():
    events = [
        {"id": "a", "entity": "m", "kind": "released", "date": "2020", "modality": "expected"},
        {"id": "b", "entity": "m", "kind": "announced", "date": "2019",
         "date_bound": "on-or-before"},
        {"id": "c", "entity": "m", "kind": "launched", "date": "2022-05"},
        {"id": "d", "entity": "m", "kind": "demo", "date": "2018"},
    ]
    assert exists_from(events, "m") == {"date": "2022-05", "event": "c"}
    assert exists_from(events, "other") is None


# -- the commands ---------------------------------------------------------------------------


def test_figures_command_on_data_without_figures_answers_nothing(run_cli):
    result = run_cli("figures", "Acme AI", "--json")
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert answer["metrics"] == [] and answer["rounds"] == []
    assert answer["query"] == {"as_of": None, "entity": "Acme AI", "metrics": []}
    assert "no figures or funding rounds recorded for Acme AI" in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (("figures", "acme", "--metric", "valuations"),
     "Invalid value for '--metric': unknown metric 'valuations'; did you mean 'valuation'?"),
    (("timeline", "acme", "--kind", "edges"),
     "Invalid value for '--kind': unknown kind 'edges'; did you mean 'edge'?"),
    (("figures", "nobody"), "unknown entity 'nobody'"),
    (("timeline", "acme", "--as-of", "2021-13"), "Invalid value for '--as-of'"),
])
def test_fact_commands_refuse_bad_input_with_exit_2(run_cli, args, message):
    result = run_cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_timeline_command_matches_the_library_on_the_tiny_data(run_cli, tiny_dir):
    from graphkit.store.cache import open_store

    result = run_cli("timeline", "acme", "--json", "--as-of", "2021")
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    expected = entity_timeline(Facts.from_store(open_store(tiny_dir)), "acme",
                               PartialDate.parse("2021"))
    assert answer["entries"] == json.loads(json.dumps(expected["entries"]))
    assert answer["query"] == {"as_of": "2021", "entity": "acme", "kinds": []}
    assert [entry["date"] for entry in answer["entries"]] == sorted(
        entry["date"] for entry in answer["entries"])
    text = run_cli("timeline", "acme", "--as-of", "2021").stdout
    assert text.splitlines()[0] == "Acme AI [company, id acme]"


def test_timeline_command_with_nothing_dated_exits_1_with_valid_json(run_cli):
    result = run_cli("timeline", "acme", "--kind", "figure", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["entries"] == []


def test_claims_about_different_things_never_read_as_disagreeing():
    def figure(ident, metric, unit, value, note=None, end=None):
        record = {"id": ident, "entity": "o", "metric": metric, "date": "2024",
                  "quantity": {"as_stated": str(value), "value": value, "unit": unit},
                  "sources": []}
        if note:
            record["note"] = note
        if end:
            record["end"] = end
        return record

    facts = Facts({"o": {"name": "O", "type": "company"}}, figures=[
        figure("jobs", "other", "people", 160, note="open job postings"),
        figure("costs", "other", "USD", 8.5e9, note="total costs"),
        figure("usd", "valuation", "USD", 1e9),
        figure("cny", "valuation", "CNY", 7e9),
        figure("year", "revenue", "USD", 1e9, end="2024"),
    ])
    result = entity_figures(facts, "o")
    points = {entry["metric"]: [[claim["id"] for claim in point["claims"]]
                                for point in entry["points"]]
              for entry in result["metrics"]}
    # Different notes under "other" are different things; two currencies are the same
    # kind of quantity, so a valuation in USD and one in CNY are set side by side.
    assert points == {"valuation": [["cny", "usd"]], "revenue": [["year"]],
                      "other": [["costs"], ["jobs"]]}
    assert result["metrics"][0]["points"][0]["disagree"] is True
    assert result["metrics"][1]["points"][0]["when"] == "2024"  # a year's period: "2024"
