"""Talent flow: matrices hand-computed on two small fixtures, the command, the bundled data.

tests/fixtures/tiny (hand-checked):
  alice  acme -> initech 2021-03, founding; one of the cohort of 3 acme -> initech (2021)
  bob    acme -> globex 2022-08 (left, and joined globex 2022-09 from acme: one move)
  carol  globex -> acme 2023-01-15
  dave   globex -> unknown 2020

tests/fixtures/flow (hand-checked; its article is dated 2024-06):
  ann    alpha -> beta 2020-01-01 (left + joined), then beta -> gamma 2021, founding
         (the departure names no destination: inferred from her next dated event)
  ben    beta -> alpha 2020-12-31
  cat    alpha -> delta 2021-06 (two reports of one departure: 2021 with destination, 2021-06)
  dan    alpha -> unknown 2022, member of alpha-exodus-2022 (so counted there)
  eve    alpha -> omega 2022-05, founding, member of alpha-founders-of-omega and
         alpha-exodus-2022
  fay    left beta 2023 and rejoined beta 2023: a return, not counted
  gus    unknown -> delta 2023-05
  hal    co-founded alpha in 2019 (not a move), left alpha, undated: alpha -> unknown
  cohorts: alpha-exodus-2022 (5, no destination; Eve counted on alpha -> omega: 4 remain),
  alpha-startup-founders (10 founders; 3 are alpha-founders-of-omega: 7 remain),
  alpha-research-departures (6; 2 are alpha-founders-of-omega: 4 remain),
  alpha-founders-of-omega (3 alpha -> omega, 2022).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.data.dates import PartialDate
from graphkit.present.flow_text import flow_csv, ratio_text
from graphkit.query.flow import FlowData, MoveTable, alumni, compute_flow, explain_flow

FLOW = Path(__file__).parent / "fixtures" / "flow"
REPO = Path(__file__).parent.parent
LEFT, JOINED, FOUNDED = ("person-left-company", "person-joined-company",
                         "person-founded-company")


def day(text: str | None) -> PartialDate | None:
    return None if text is None else PartialDate.parse(text)


def matrix(result: dict) -> dict[tuple, int]:
    return {(pair["from"], pair["to"]): pair["moves"] for pair in result["pairs"]}


def pair(result: dict, origin, destination) -> dict:
    return next(p for p in result["pairs"] if (p["from"], p["to"]) == (origin, destination))


def company(result: dict, ident: str) -> dict:
    return next(c for c in result["companies"] if c["company"] == ident)


@pytest.fixture(scope="module")
def flow_graph():
    from graphkit.store.graph import load_graph

    return load_graph(FLOW)


@pytest.fixture(scope="module")
def bundled_graph():
    from graphkit.store.graph import load_graph

    return load_graph(REPO / "edges")


# -- the tiny fixture -------------------------------------------------------------------


def test_tiny_matrix(tiny_graph):
    result = compute_flow(tiny_graph)
    assert matrix(result) == {("acme", "initech"): 3, ("acme", "globex"): 1,
                              ("globex", "acme"): 1, ("globex", None): 1}
    assert result["totals"] == {"moves": 6, "foundings": 1, "named_people": 4, "to_unknown": 1,
                                "from_unknown": 0, "pairs": 4, "uncertain": 0, "bounded": {},
                                "lower_bound": False, "uncounted": 0, "hedged": 0}
    assert [p["people"] for p in result["pairs"]] == [["alice"], ["bob"], ["carol"], ["dave"]]


def test_a_dataset_of_cohorts_and_no_moves_is_counted():
    # No edge at all, one cohort of four who left Acme (found by hypothesis through the
    # export's moves table, which failed with an IndexError).
    import networkx as nx

    graph = nx.MultiDiGraph(
        sources={"a.txt": {"doc": "a.txt", "published": "2020"}}, figures=[], rounds=[],
        events=[], cohorts=[{"id": "c0", "relation": "person-left-company", "from": "acme",
                             "count": 4, "members": [], "date": "2020",
                             "sources": [{"doc": "a.txt", "quote": "four left"}]}])
    graph.add_node("acme", name="Acme", type="company", aliases=[])
    result = compute_flow(graph)
    assert matrix(result) == {("acme", None): 4}
    assert result["totals"]["moves"] == 4


def test_cohort_counts_its_size_and_its_named_member_once(tiny_graph):
    acme_initech = pair(compute_flow(tiny_graph, details=True), "acme", "initech")
    assert (acme_initech["moves"], acme_initech["cohorts"]) == (3, ["acme-to-initech-2021"])
    [cohort] = acme_initech["moves_detail"]
    assert (cohort["kind"], cohort["count"], cohort["reported"]) == ("cohort", 3, 3)
    [alice] = cohort["members"]
    assert (alice["person"], alice["date"], alice["founding"]) == ("alice", "2021-03", True)
    assert alice["relations"] == [LEFT, FOUNDED]
    assert acme_initech["foundings"] == 1  # Alice founded Initech; the cohort only left


def test_departure_and_joining_are_one_move_with_both_sources(tiny_graph):
    [bob] = pair(compute_flow(tiny_graph, details=True), "acme", "globex")["moves_detail"]
    assert (bob["date"], bob["left"], bob["joined"]) == ("2022-08", "2022-08", "2022-09")
    assert bob["relations"] == [LEFT, JOINED]
    assert bob["edges"] == ["bob-left-acme", "bob-joined-globex"]
    assert [c["quote"] for c in bob["sources"]] == [
        "李博（Bob Li）去年8月離開艾克米", "9月加入Globex"]


def test_unknown_destination_is_outflow_only_and_reported(tiny_graph):
    result = compute_flow(tiny_graph, details=True)
    [dave] = pair(result, "globex", None)["moves_detail"]
    assert dave["text"] == "Dave Kim left Globex (destination unknown) (2020)"
    globex = company(result, "globex")
    assert (globex["inflow"], globex["outflow"], globex["net"]) == (1, 2, -1)
    assert globex["outflow_unknown"] == 1
    assert {"company": None, "moves": 1} in globex["top_destinations"]
    assert all(c["inflow_unknown"] == 0 for c in result["companies"])


def test_tiny_companies_and_balance(tiny_graph):
    result = compute_flow(tiny_graph)
    assert [(c["company"], c["inflow"], c["outflow"], c["net"]) for c in result["companies"]] == [
        ("acme", 1, 4, -3), ("globex", 1, 2, -1), ("initech", 3, 0, 3)]
    assert company(result, "acme")["top_destinations"] == [
        {"company": "initech", "moves": 3}, {"company": "globex", "moves": 1}]
    assert result["balance"] == [
        {"a": "acme", "b": "initech", "a_to_b": 3, "b_to_a": 0, "total": 3, "ratio": None},
        {"a": "acme", "b": "globex", "a_to_b": 1, "b_to_a": 1, "total": 2, "ratio": 1.0}]


@pytest.mark.parametrize(("since", "until", "expected"), [
    ("2023-01-15", "2023-01-15", {("globex", "acme"): 1}),  # first and last day of the window
    ("2023-01-15", None, {("globex", "acme"): 1}),
    ("2023-01-16", None, {}),
    (None, "2023-01-14", {("acme", "initech"): 3, ("acme", "globex"): 1, ("globex", None): 1}),
    ("2022-08", "2022-08", {("acme", "globex"): 1}),
    ("2021", "2021", {("acme", "initech"): 3}),
])
def test_tiny_windows(tiny_graph, since, until, expected):
    assert matrix(compute_flow(tiny_graph, day(since), day(until))) == expected


def test_tiny_alumni(tiny_graph):
    result = alumni(tiny_graph, "acme")
    [initech] = result["founded"]
    assert (initech["company"], initech["people"], initech["cohorts"]) == ("initech", 1, [])
    assert [(f["person"], f["date"], f["via"]) for f in initech["founders"]] == [
        ("alice", "2021-05", [])]
    assert [(i["investor"], i["amount"]) for i in initech["investors"]] == [
        ("bob", "100万欧元"), ("fundco", "500万美元"), ("fundco", "600万美元")]


# -- the flow fixture: every edge case --------------------------------------------------


def test_flow_fixture_matrix(flow_graph):
    result = compute_flow(flow_graph)
    assert matrix(result) == {
        ("alpha", None): 16, ("alpha", "omega"): 3, ("alpha", "beta"): 1,
        ("alpha", "delta"): 1, ("beta", "alpha"): 1, ("beta", "gamma"): 1, (None, "delta"): 1}
    assert {(p["from"], p["to"]): p["foundings"] for p in result["pairs"]} == {
        ("alpha", None): 7, ("alpha", "omega"): 3, ("alpha", "beta"): 0,
        ("alpha", "delta"): 0, ("beta", "alpha"): 0, ("beta", "gamma"): 1, (None, "delta"): 0}
    assert result["totals"]["moves"] == 24
    assert (result["totals"]["to_unknown"], result["totals"]["from_unknown"]) == (16, 1)
    assert [(c["company"], c["inflow"], c["outflow"], c["net"]) for c in result["companies"]] == [
        ("alpha", 1, 21, -20), ("beta", 1, 2, -1), ("omega", 3, 0, 3), ("delta", 2, 0, 2),
        ("gamma", 1, 0, 1)]
    assert company(result, "delta")["inflow_unknown"] == 1


def test_a_person_with_several_moves(flow_graph):
    result = compute_flow(flow_graph, details=True)
    [first] = pair(result, "alpha", "beta")["moves_detail"]
    [second] = pair(result, "beta", "gamma")["moves_detail"]
    assert (first["person"], first["date"], first["founding"], first["inferred"]) == (
        "ann", "2020-01-01", False, None)
    assert (second["person"], second["date"], second["founded"], second["founding"]) == (
        "ann", "2021", "2022-03", True)
    assert "next event" in second["inferred"]


def test_duplicate_reports_of_a_departure_are_one_move(flow_graph):
    [cat] = pair(compute_flow(flow_graph, details=True), "alpha", "delta")["moves_detail"]
    assert (cat["date"], cat["edges"]) == (
        "2021-06", ["cat-left-alpha", "cat-left-alpha-2"])


def test_leaving_and_rejoining_is_a_return_not_a_move(flow_graph):
    result = compute_flow(flow_graph)
    assert all("fay" not in p["people"] for p in result["pairs"])
    assert [(r["person"], r["company"], r["left"], r["rejoined"]) for r in result["returns"]] == [
        ("fay", "beta", "2023", "2023")]


def test_founding_without_a_departure_is_not_a_move(flow_graph):
    unknown_destination = pair(compute_flow(flow_graph, details=True), "alpha", None)
    [hal] = [record for record in unknown_destination["moves_detail"]
             if record.get("person") == "hal"]
    assert (hal["date"], hal["relations"]) == (None, [LEFT])


def test_overlapping_cohorts_count_each_person_once(flow_graph):
    details = {record["cohort"]: record
               for p in compute_flow(flow_graph, details=True)["pairs"]
               for record in p["moves_detail"]
               if record["kind"] == "cohort"}
    counted = {ident: (record["count"], record["reported"]) for ident, record in details.items()}
    assert counted == {"alpha-exodus-2022": (4, 5), "alpha-startup-founders": (7, 10),
                       "alpha-research-departures": (4, 6), "alpha-founders-of-omega": (3, 3)}
    assert details["alpha-exodus-2022"]["resolved"] == [
        {"person": "eve", "from": "alpha", "to": "omega", "date": "2022-05"}]
    assert details["alpha-exodus-2022"]["people"] == ["dan"]
    assert details["alpha-startup-founders"]["overlaps"] == [
        {"cohort": "alpha-founders-of-omega", "count": 3}]
    assert details["alpha-research-departures"]["overlaps"] == [
        {"cohort": "alpha-founders-of-omega", "count": 2}]
    [eve] = details["alpha-founders-of-omega"]["members"]
    assert (eve["person"], eve["also_in"]) == ("eve", ["alpha-exodus-2022"])


def test_window_includes_its_first_and_last_day(flow_graph):
    result = compute_flow(flow_graph, day("2020-01-01"), day("2020-12-31"))
    assert matrix(result) == {("alpha", "beta"): 1, ("beta", "alpha"): 1}
    narrower = compute_flow(flow_graph, day("2020-01-02"), day("2020-12-30"))
    assert matrix(narrower) == {}


def test_coarse_dates_are_reported_as_uncertain(flow_graph):
    result = compute_flow(flow_graph, since=day("2021-06"))
    assert matrix(result) == {("alpha", "delta"): 1, ("alpha", None): 4, ("alpha", "omega"): 3,
                              (None, "delta"): 1}
    uncertain = {(r.get("person") or r["cohort"]): r["count"] for r in result["uncertain"]}
    assert uncertain == {"ann": 1, "hal": 1, "alpha-startup-founders": 7,
                         "alpha-research-departures": 4}
    assert result["totals"]["uncertain"] == 13


def test_undated_moves_happened_before_their_article(flow_graph):
    assert compute_flow(flow_graph, until=day("2024-06"))["totals"]["moves"] == 24
    before = compute_flow(flow_graph, until=day("2024-05"))
    assert before["totals"]["uncertain"] == 12  # hal and two undated cohorts: 1 + 7 + 4


def test_company_filters_and_balance_both_ways(flow_graph):
    result = compute_flow(flow_graph, from_companies=["alpha"], to_companies=["beta"])
    assert matrix(result) == {("alpha", "beta"): 1}
    assert result["balance"] == [{"a": "alpha", "b": "beta", "a_to_b": 1, "b_to_a": 1,
                                  "total": 2, "ratio": 1.0}]
    assert matrix(compute_flow(flow_graph, to_companies=["delta"])) == {
        ("alpha", "delta"): 1, (None, "delta"): 1}


def test_top_limits_every_list(flow_graph):
    result = compute_flow(flow_graph, top=2)
    assert [len(result[key]) for key in ("pairs", "companies", "balance")] == [2, 2, 2]
    assert len(company(result, "alpha")["top_destinations"]) == 2
    assert result["totals"]["pairs"] == 7


@pytest.mark.parametrize("which", ["flow", "bundled"])
def test_top_is_the_head_of_the_whole_answer(flow_graph, bundled_graph, which):
    # The first N are found without ranking the rest: ties at the cut (many pairs with
    # one move) must still fall as in the whole answer.
    table = MoveTable.from_data(flow_graph if which == "flow" else bundled_graph)
    for since, until, from_companies in [(None, None, []), ("2022", None, []),
                                         (None, "2023-06", ["openai", "alpha"])]:
        whole = compute_flow(table, day(since), day(until), from_companies)
        assert len(whole["pairs"]) >= 2
        for top in range(1, len(whole["pairs"]) + 2):
            cut = compute_flow(table, day(since), day(until), from_companies, top=top)
            assert cut["pairs"] == whole["pairs"][:top]
            assert cut["balance"] == whole["balance"][:top]
            assert cut["companies"] == [
                {**entry, "top_destinations": entry["top_destinations"][:top],
                 "top_origins": entry["top_origins"][:top]}
                for entry in whole["companies"][:top]]
            assert cut["totals"] == whole["totals"]
            assert cut["entities"] == whole["entities"]


def test_text_of_top_n_is_the_head_of_the_whole_text(bundled_graph):
    from graphkit.present.flow_text import flow_text

    table = MoveTable.from_data(bundled_graph)
    whole = compute_flow(table)
    for top in (3, 5, 20):
        head = [line for line in flow_text(whole, top).splitlines()
                if not line.startswith("… and ")]
        for every_entity in (True, False):
            cut = compute_flow(table, top=top, every_entity=every_entity)
            assert flow_text(cut, top).splitlines() == head


def test_text_needs_only_the_entities_it_names(flow_graph):
    table = MoveTable.from_data(flow_graph)
    every = compute_flow(table, top=2)
    shown = compute_flow(table, top=2, every_entity=False)
    assert {key: value for key, value in shown.items() if key != "entities"} == {
        key: value for key, value in every.items() if key != "entities"}
    named = {ident for pair in shown["pairs"] for ident in (pair["from"], pair["to"],
                                                             *pair["people"])}
    named |= {entry["company"] for company in shown["companies"]
              for entry in [company, *company["top_destinations"], *company["top_origins"]]}
    named |= {ident for both in shown["balance"] for ident in (both["a"], both["b"])}
    named |= {back["person"] for back in shown["returns"]}
    named.discard(None)
    assert named <= set(shown["entities"]) < set(every["entities"])
    assert all(shown["entities"][ident] == every["entities"][ident]
               for ident in shown["entities"])


def test_explain_traces_a_figure_to_its_quotes(flow_graph):
    answer = explain_flow(flow_graph, "alpha", "omega")
    assert (answer["moves"], answer["back"], answer["ratio"], answer["cohorts"]) == (
        3, 0, None, ["alpha-founders-of-omega"])
    [cohort] = answer["moves_detail"]
    assert [c["quote"] for c in cohort["sources"]] == [
        "Three of those founders, Eve among them, started Omega in 2022; two of the three came "
        "from Alpha's research team.", "Eve left Alpha in May 2022 and founded Omega."]
    assert [c["quote"] for c in cohort["cohort_sources"]] == [
        "Three of those founders, Eve among them, started Omega in 2022; two of the three came "
        "from Alpha's research team."]
    [eve] = cohort["members"]
    assert [c["quote"] for c in eve["sources"]] == ["Eve left Alpha in May 2022 and founded Omega."]
    assert eve["edges"] == ["eve-left-alpha", "eve-founded-omega"]
    nothing = explain_flow(flow_graph, "omega", "alpha")
    assert (nothing["moves"], nothing["back"], nothing["moves_detail"]) == (0, 3, [])
    assert explain_flow(flow_graph, "alpha", None)["moves"] == 16


def test_alumni_with_founders_cohorts_and_investors(flow_graph):
    result = alumni(flow_graph, "alpha")
    summary = [(e["company"], e["people"], [f["person"] for f in e["founders"]],
                [c["cohort"] for c in e["cohorts"]]) for e in result["founded"]]
    assert summary == [(None, 7, [], ["alpha-startup-founders"]),
                       ("omega", 3, ["eve"], ["alpha-founders-of-omega"]),
                       ("gamma", 1, ["ann"], [])]
    gamma = result["founded"][2]
    assert gamma["founders"][0]["via"] == ["beta"]
    assert [(i["investor"], i["amount"]) for i in result["founded"][1]["investors"]] == [
        ("vc-fund", "2百万美元")]
    in_2022 = alumni(flow_graph, "alpha", day("2022"), day("2022"))
    assert [e["company"] for e in in_2022["founded"]] == ["omega", "gamma"]


def test_result_is_json_ready_and_stable(flow_graph):
    first = orjson.dumps(compute_flow(flow_graph), option=orjson.OPT_SORT_KEYS)
    assert first == orjson.dumps(compute_flow(flow_graph), option=orjson.OPT_SORT_KEYS)


def test_empty_window_is_bad_argument(flow_graph):
    from graphkit.errors import BadArgument

    with pytest.raises(BadArgument, match="after until"):
        compute_flow(flow_graph, day("2023"), day("2022"))


def test_ratio_text():
    assert (ratio_text(None), ratio_text(9.0), ratio_text(2.5)) == ("∞", "9×", "2.5×")


_DAYS = st.dates(min_value=PartialDate.parse("2019").first_day(),
                 max_value=PartialDate.parse("2025").last_day())


@settings(max_examples=60, deadline=None)
@given(first=_DAYS, second=_DAYS, third=_DAYS)
def test_windows_never_count_more_than_their_union(flow_graph, first, second, third):
    """A move counted in a window is counted in any window containing it; the books balance."""
    start, middle, end = sorted((first, second, third))
    whole = compute_flow(flow_graph, day(start.isoformat()), day(end.isoformat()))
    parts = [compute_flow(flow_graph, day(start.isoformat()), day(middle.isoformat())),
             compute_flow(flow_graph, day(middle.isoformat()), day(end.isoformat()))]
    everything = compute_flow(flow_graph)["totals"]["moves"]
    assert whole["totals"]["moves"] + whole["totals"]["uncertain"] <= everything
    for part in parts:
        for key, moves in matrix(part).items():
            assert moves <= matrix(whole).get(key, 0)
    for result in (whole, *parts):
        totals = result["totals"]
        assert sum(p["moves"] for p in result["pairs"]) == totals["moves"]
        assert sum(c["outflow"] for c in result["companies"]) + totals["from_unknown"] == \
            totals["moves"]
        assert sum(c["inflow"] for c in result["companies"]) + totals["to_unknown"] == \
            totals["moves"]


# -- reading from the cache instead of the graph ----------------------------------------


def same_bytes(first: dict, second: dict) -> bool:
    """Equal, and in the same order (what the command prints depends on both)."""
    return orjson.dumps(first) == orjson.dumps(second)


@pytest.mark.parametrize("directory", [Path(__file__).parent / "fixtures" / "tiny", FLOW,
                                       REPO / "edges"], ids=["tiny", "flow", "bundled"])
def test_the_cache_gives_the_graphs_answers(directory):
    from graphkit.query.movetable import MoveTable, store_move_table
    from graphkit.store.cache import open_store
    from graphkit.store.graph import load_graph

    graph, store = load_graph(directory), open_store(directory)
    data = FlowData.from_store(store)
    built = store_move_table(store)  # inferred from the cache's move edges, then written
    read = store_move_table(store)  # read back from beside the cache
    assert read is not built and len(read) == len(built)
    # The graph's answers: compute_flow(graph) counts the table of the graph, built once
    # here rather than once per question.
    expected = MoveTable.from_data(graph)
    companies = sorted(node for node, kind in graph.nodes(data="type") if kind != "person")
    for since, until in [(None, None), ("2021-06", None), (None, "2022"), ("2020", "2023-01")]:
        window = (day(since), day(until))
        assert same_bytes(compute_flow(graph, *window, details=True),
                          compute_flow(expected, *window, details=True))
        for source in (MoveTable.from_data(data), built, read):
            assert same_bytes(compute_flow(source, *window, details=True),
                              compute_flow(expected, *window, details=True))
            assert same_bytes(compute_flow(source, *window, companies[:1], companies[1:3], top=2),
                              compute_flow(expected, *window, companies[:1], companies[1:3],
                                           top=2))
            for company in companies:
                for other in [None, *companies[:4]]:
                    assert same_bytes(explain_flow(source, company, other, *window),
                                      explain_flow(expected, company, other, *window))
            for company in companies:
                assert same_bytes(alumni(source, company, *window),
                                  alumni(expected, company, *window))


def test_a_damaged_move_table_is_rebuilt_not_trusted(tiny_copy, tmp_path, monkeypatch):
    from graphkit.query.movetable import TABLE_FILE, store_move_table
    from graphkit.store.cache import CACHE_ENVIRONMENT, open_store

    monkeypatch.setenv(CACHE_ENVIRONMENT, str(tmp_path / "cache"))
    store = open_store(tiny_copy)
    expected = orjson.dumps(compute_flow(store_move_table(store), details=True))
    table_file = store.folder / TABLE_FILE
    for damage in (lambda: table_file.write_bytes(table_file.read_bytes()[:-10]),
                   lambda: table_file.write_bytes(b"\0" * 40 + table_file.read_bytes()[40:]),
                   table_file.unlink):
        damage()
        messages = []
        table = store_move_table(store, messages.append)
        assert messages and "once per change to the data" in messages[0]  # rebuilt
        assert orjson.dumps(compute_flow(table, details=True)) == expected
    rereading = []
    store_move_table(store, rereading.append)
    assert rereading == []  # whole again: read, not rebuilt


def test_a_block_damaged_in_the_move_table_is_found_when_read(tiny_copy, tmp_path,
                                                               monkeypatch, run_cli):
    from graphkit.query.movetable import TABLE_FILE
    from graphkit.store.cache import CACHE_ENVIRONMENT, open_store

    monkeypatch.setenv(CACHE_ENVIRONMENT, str(tmp_path / "cache"))
    expected = run_cli("flow", "--json", data=tiny_copy)
    assert expected.exit_code == 0, expected.output
    from graphkit.store.packed import Blocks

    table_file = open_store(tiny_copy).folder / TABLE_FILE
    with table_file.open("rb") as stream:
        where = Blocks(stream.fileno()).array("column:origin").offset
    body = bytearray(table_file.read_bytes())
    body[where] ^= 0xFF  # a column's block: the header and its digests are whole
    table_file.write_bytes(bytes(body))
    again = run_cli("flow", "--json", data=tiny_copy)
    assert again.exit_code == 0, again.output
    assert again.output == expected.output  # the CLI ran again, from a table built afresh
    assert table_file.read_bytes() != bytes(body)


def test_a_cache_that_cannot_be_written_still_answers(tiny_copy, tmp_path, monkeypatch):
    import graphkit.atomic
    from graphkit.query.movetable import TABLE_FILE, store_move_table
    from graphkit.store.cache import CACHE_ENVIRONMENT, open_store

    monkeypatch.setenv(CACHE_ENVIRONMENT, str(tmp_path / "cache"))
    store = open_store(tiny_copy)

    def refuse(*_args, **_kwargs):
        raise PermissionError("read-only cache")

    monkeypatch.setattr(graphkit.atomic, "write_bytes_atomic", refuse)
    table = store_move_table(store)
    assert not (store.folder / TABLE_FILE).exists()
    assert matrix(compute_flow(table)) == matrix(compute_flow(FlowData.from_store(store)))


def test_a_data_change_gives_a_new_move_table(tiny_copy, tmp_path, monkeypatch):
    from graphkit.query.movetable import store_move_table
    from graphkit.store.cache import CACHE_ENVIRONMENT, open_store

    monkeypatch.setenv(CACHE_ENVIRONMENT, str(tmp_path / "cache"))
    before = matrix(compute_flow(store_move_table(open_store(tiny_copy))))
    cohorts = tiny_copy / "cohorts.json"
    document = orjson.loads(cohorts.read_bytes())
    document["cohorts"] = []
    cohorts.write_bytes(orjson.dumps(document))
    after = matrix(compute_flow(store_move_table(open_store(tiny_copy))))
    assert before[("acme", "initech")] == 3 and after[("acme", "initech")] == 1


@settings(max_examples=60, deadline=None)
@given(since=st.one_of(st.none(), st.dates(date(2018, 1, 1), date(2025, 12, 31))),
       until=st.one_of(st.none(), st.dates(date(2018, 1, 1), date(2025, 12, 31))),
       precision=st.sampled_from([4, 7, 10]))
def test_the_table_places_every_unit_as_the_rule_does(flow_graph, since, until, precision):
    from graphkit.query.moves import Entities, counting_units, placement, unit_order, window_days
    from graphkit.query.movetable import MoveTable

    window = window_days(day(since.isoformat()[:precision]) if since else None,
                         day(until.isoformat()[:precision]) if until else None)
    data = FlowData.from_graph(flow_graph)
    units = sorted(counting_units(data, Entities(data.nodes))[0], key=unit_order)
    inside, uncertain = MoveTable.from_data(data).placement(window)
    expected = [placement(data.sources, unit, window) for unit in units]
    assert expected == ["in" if i else "uncertain" if u else "out"
                        for i, u in zip(inside.tolist(), uncertain.tolist(), strict=True)]


def test_flow_data_from_a_view_of_the_graph(flow_graph):
    from graphkit.store.graph import as_of

    view = as_of(flow_graph, day("2021"), ["person-left-company", "person-joined-company"])
    result = compute_flow(view, details=True)
    assert all(set(record["relations"]) <= {LEFT, JOINED}
               for p in result["pairs"] for record in p["moves_detail"]
               if record["kind"] == "person")
    assert matrix(result)[("alpha", "beta")] == 1
    assert ("beta", "gamma") not in matrix(result)  # Ann founded Gamma: not in the view


def test_the_collector_is_left_as_found(flow_graph):
    import gc

    enabled = gc.isenabled()
    try:
        gc.disable()
        compute_flow(flow_graph)
        assert not gc.isenabled()
        gc.enable()
        gc.freeze()  # a caller's frozen objects stay frozen
        frozen = gc.get_freeze_count()
        alumni(flow_graph, "alpha")
        assert gc.isenabled() and gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
        (gc.enable if enabled else gc.disable)()


def test_cli_reads_the_cache_not_the_graph(run_cli, monkeypatch):
    import graphkit.store.graph

    def refuse(*_args, **_kwargs):
        raise AssertionError("flow built the NetworkX graph")

    monkeypatch.setattr(graphkit.store.graph, "build_graph", refuse)
    for args in (("flow",), ("flow", "--explain", "acme", "initech"),
                 ("flow", "--alumni-of", "acme")):
        result = run_cli(*args)
        assert result.exit_code == 0, result.output


def test_cli_json_is_clean_and_silent_off_a_terminal(run_cli):
    result = run_cli("flow", "--json")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert json.loads(result.stdout)["totals"]["moves"] == 6


# -- validation of ``within`` -----------------------------------------------------------


@pytest.mark.parametrize(("within", "field", "message"), [
    ([{"cohort": "nope"}], "within[0].cohort", "unknown cohort 'nope'"),
    ([{"cohort": "acme-to-initech-2021"}], "within[0].cohort", "cannot be within itself"),
    ([{"cohort": "acme-leavers", "count": 4}], "within[0].count", "count 4 is more than"),
])
def test_within_is_validated(tiny_copy, within, field, message):
    from graphkit.data.dataset import check_dataset

    path = tiny_copy / "cohorts.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["cohorts"][0]["within"] = within
    document["cohorts"].append({"id": "acme-leavers", "relation": LEFT, "from": "acme",
                                "count": 5, "sources": document["cohorts"][0]["sources"]})
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    _dataset, problems = check_dataset(tiny_copy)
    assert [(p.record, p.field) for p in problems] == [(0, field)]
    assert message in problems[0].message


def test_within_cannot_claim_more_than_the_outer_cohort_has(tiny_copy):
    from graphkit.data.dataset import check_dataset

    path = tiny_copy / "cohorts.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    sources = document["cohorts"][0]["sources"]
    document["cohorts"] += [
        {"id": "outer", "relation": LEFT, "from": "acme", "count": 3, "sources": sources},
        {"id": "inner", "relation": LEFT, "from": "acme", "count": 2, "sources": sources,
         "within": [{"cohort": "outer"}]}]
    document["cohorts"][0]["within"] = [{"cohort": "outer", "count": 2}]
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    _dataset, problems = check_dataset(tiny_copy)
    assert [(p.record, p.field) for p in problems] == [(1, "count")]
    assert "count 4 of its people, more than its 3" in problems[0].message


# -- the command ------------------------------------------------------------------------


def test_cli_json_is_the_library_result(run_cli, tiny_graph):
    result = run_cli("flow", "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["pairs"] == json.loads(orjson.dumps(compute_flow(tiny_graph)["pairs"]))
    assert answer["query"]["since"] is None


def test_cli_text_tables(run_cli):
    result = run_cli("flow")
    assert result.exit_code == 0, result.output
    assert "Acme AI  Initech        3          1  Alice Zhang (+2 unnamed)" in result.output
    assert "Globex   (unknown)      1" in result.output
    assert "Acme AI  Initech    3    0  ∞" in result.output
    assert "Acme AI  Globex     1    1  1×" in result.output


def test_text_tables_are_cut_with_a_count_of_the_rest(flow_graph):
    from graphkit.present.flow_text import flow_text

    result = compute_flow(flow_graph)
    cut = flow_text(result, rows=2)
    hidden = len(result["pairs"]) - 2
    assert f"… and {hidden} more pairs (--top N shows N" in cut
    assert f"… and {len(result['companies']) - 2} more companies" in cut
    assert "more pairs" not in flow_text(result)
    ranked = [line for line in cut.splitlines() if line[:2].strip().isdigit()]
    assert [line.split()[0] for line in ranked] == ["1", "2"]


def test_text_names_every_company_of_the_balances_under_a_filter(run_cli):
    # Under --to alpha the balances list Alpha → Omega and Alpha → Delta, companies no
    # counted move reaches: their names were missing (a KeyError and a traceback).
    result = run_cli("flow", "--to", "alpha", data=FLOW)
    assert result.exit_code == 0, result.output
    assert "Alpha  Omega    3    0  ∞" in result.output
    assert "Alpha  Delta    1    0  ∞" in result.output


def test_cli_csv(run_cli):
    result = run_cli("flow", "--csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["from"], r["to"], r["moves"], r["people"]) for r in rows] == [
        ("acme", "initech", "3", "Alice Zhang"), ("acme", "globex", "1", "Bob Li"),
        ("globex", "acme", "1", "Carol Wu"), ("globex", "", "1", "Dave Kim")]
    assert rows[-1]["to_name"] == "(unknown)"


def test_cli_company_filters_take_aliases(run_cli):
    result = run_cli("flow", "--from", "艾克米", "--json")
    assert result.exit_code == 0, result.output
    assert {(p["from"], p["to"]) for p in json.loads(result.output)["pairs"]} == {
        ("acme", "initech"), ("acme", "globex")}


def test_cli_window_edges(run_cli):
    result = run_cli("flow", "--since", "2023-01-15", "--until", "2023-01-15", "--json")
    assert result.exit_code == 0, result.output
    assert matrix(json.loads(result.output)) == {("globex", "acme"): 1}


def test_cli_empty_window_is_no_answer_with_valid_json(run_cli):
    result = run_cli("flow", "--since", "2024", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["pairs"] == []


@pytest.mark.parametrize(("args", "hint"), [
    (("--since", "2023-02-30"), "'--since'"),
    (("--until", "soon"), "'--until'"),
    (("--since", "2024", "--until", "2023"), "'--since'"),
])
def test_cli_bad_dates_name_the_option(run_cli, args, hint):
    result = run_cli("flow", *args)
    assert result.exit_code == 2
    assert hint in result.output


@pytest.mark.parametrize("args", [("--json", "--csv"), ("--csv", "--alumni-of", "acme"),
                                  ("--explain", "acme", "globex", "--alumni-of", "acme"),
                                  ("--details",), ("--details", "--csv"),
                                  ("--details", "--json", "--explain", "acme", "globex")])
def test_cli_conflicting_options(run_cli, args):
    result = run_cli("flow", *args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_cli_details_adds_every_move_to_the_json(run_cli, tiny_graph):
    plain = json.loads(run_cli("flow", "--json").output)
    detailed = json.loads(run_cli("flow", "--json", "--details").output)
    assert all("moves_detail" not in pair for pair in plain["pairs"])
    assert detailed["pairs"] == json.loads(orjson.dumps(
        compute_flow(tiny_graph, details=True)["pairs"]))
    for pair in detailed["pairs"]:
        assert sum(record["count"] for record in pair["moves_detail"]) == pair["moves"]
        assert all(record["sources"] for record in pair["moves_detail"])
    assert (plain["query"]["details"], detailed["query"]["details"]) == (False, True)


def test_cli_unknown_company(run_cli):
    result = run_cli("flow", "--to", "Nowhere Inc")
    assert result.exit_code == 2
    assert "unknown entity 'Nowhere Inc'" in result.output


def test_cli_explain(run_cli):
    result = run_cli("flow", "--explain", "Acme AI", "initech")
    assert result.exit_code == 0, result.output
    assert "Acme AI → Initech: 3 moves" in result.output
    assert "Three people left Acme AI for Initech in 2021, Alice among them." in result.output
    unknown = run_cli("flow", "--explain", "globex", "unknown", "--json")
    assert unknown.exit_code == 0
    assert json.loads(unknown.output)["moves_detail"][0]["person"] == "dave"


def test_cli_explain_without_moves_exits_1_with_valid_json(run_cli):
    result = run_cli("flow", "--explain", "initech", "acme", "--json")
    assert result.exit_code == 1
    answer = json.loads(result.stdout)
    assert (answer["moves"], answer["back"]) == (0, 3)
    assert "no moves from initech to acme" in result.stderr


def test_cli_alumni(run_cli):
    result = run_cli("flow", "--alumni-of", "acme")
    assert result.exit_code == 0, result.output
    assert "Initech: 1 founder(s)" in result.output
    assert "investor: Fund Co 500万美元 (2021-06)" in result.output
    assert run_cli("flow", "--alumni-of", "initech").exit_code == 1


def test_cli_flow_fixture_text(run_cli):
    result = run_cli("flow", "--since", "2021-06", data=FLOW)
    assert result.exit_code == 0, result.output
    assert "Not counted: 13 moves may fall in this window" in result.output
    assert "Not counted: Fay left and rejoined Beta (2023 → 2023)." in result.output


def test_flow_csv_is_stdlib_csv():
    text = flow_csv({"entities": {"a": {"name": "A, Inc"}}, "pairs": [
        {"from": "a", "to": None, "moves": 1, "foundings": 0, "people": [], "cohorts": []}]})
    assert list(csv.reader(io.StringIO(text)))[1][:4] == ["a", "A, Inc", "", "(unknown)"]


# -- the bundled data -------------------------------------------------------------------


def test_bundled_google_openai_balance(bundled_graph):
    result = compute_flow(bundled_graph)
    google_openai = pair(result, "google", "openai")
    assert google_openai["moves"] == 9
    assert google_openai["people"] == ["barret-zoph", "hyung-won-chung", "jacob-devlin",
                                       "jason-wei", "shane-gu"]
    # 004's "不少骨干" (many key staff) is listed with the pair, never counted.
    assert google_openai["cohorts"] == ["ex-google-chatgpt-contributors",
                                        "google-staff-to-openai-a004"]
    assert google_openai["uncounted"] == ["google-staff-to-openai-a004"]
    assert pair(result, "openai", "google")["people"] == ["david-luan"]
    assert {"a": "google", "b": "openai", "a_to_b": 9, "b_to_a": 1, "total": 10,
            "ratio": 9.0} in result["balance"]


def test_bundled_openai_departures(bundled_graph):
    result = compute_flow(bundled_graph)
    anthropic = pair(result, "openai", "anthropic")
    assert (anthropic["moves"], anthropic["foundings"]) == (11, 11)
    assert anthropic["people"] == ["daniela-amodei", "dario-amodei"]
    # 30+ founders less the 11 of Anthropic, 16 of the GPT team less the 8 who founded
    # Anthropic, 20+ in 2024 less Sutskever (counted on OpenAI -> SSI), Schulman, Radford.
    unknown = pair(result, "openai", None)
    assert unknown["moves"] == 19 + 8 + 19 + 1 + 1
    assert unknown["cohorts"] == ["openai-departures-2024", "openai-gpt-team-departures",
                                  "openai-leavers-founded-startups",
                                  "openai-safety-leads-departures-a002"]
    # "超过二十位" and "超過30名" count as at least 20 and 30; "幾位" (several) is not added.
    assert unknown["lower_bound"] is True
    assert unknown["uncounted"] == ["openai-safety-leads-departures-a002"]
    assert matrix(result)[("openai", "safe-superintelligence")] == 1
    assert matrix(result)[("google", "adept")] == 1
    assert [r["person"] for r in result["returns"]] == ["sam-altman"]
    openai = company(result, "openai")
    assert (openai["inflow"], openai["outflow"], openai["net"]) == (17, 61, -44)


def test_bundled_figures_are_all_traceable(bundled_graph):
    result = compute_flow(bundled_graph)
    for figure in result["pairs"]:
        answer = explain_flow(bundled_graph, figure["from"], figure["to"])
        assert answer["moves"] == figure["moves"]
        assert sum(record["count"] for record in answer["moves_detail"]) == figure["moves"]
        assert all(record["sources"] for record in answer["moves_detail"])


def test_bundled_openai_alumni(bundled_graph):
    result = alumni(bundled_graph, "openai")
    founded = {entry["company"]: entry for entry in result["founded"]}
    assert set(founded) == {None, "anthropic", "adept", "safe-superintelligence"}
    assert founded["adept"]["founders"][0]["via"] == ["google"]
    assert [i["investor"] for i in founded["adept"]["investors"]] == ["greylock"]
    assert {i["investor"] for i in founded["anthropic"]["investors"]} == {
        "dustin-moskovitz", "eric-schmidt", "google"}


def test_pair_details_are_the_details_of_those_pairs(flow_graph, bundled_graph):
    from graphkit.query.flow import pair_details

    for graph in (flow_graph, bundled_graph):
        table = MoveTable.from_data(graph)
        for since, until in [(None, None), ("2021", None), (None, "2022-06")]:
            window = (day(since), day(until))
            every = {(p["from"], p["to"]): p["moves_detail"]
                     for p in compute_flow(table, *window, details=True)["pairs"]}
            chosen = sorted(every, key=lambda pair: (str(pair[0]), str(pair[1])))[::3]
            assert pair_details(table, chosen, *window) == {pair: every[pair]
                                                             for pair in chosen}
    assert pair_details(flow_graph, [("omega", "alpha")]) == {("omega", "alpha"): []}
