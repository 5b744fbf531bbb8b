"""Queries on the tiny fixture, library and command side by side; answers checked by hand.

The tiny graph (tests/fixtures/tiny): Alice left Acme for Initech (2021-03) and founded it
(2021-05); Bob left Acme (2022-08) and joined Globex (2022-09); Carol joined Acme from Globex
(2023-01-15); Dave was Globex's CEO 2018–2020 and left in 2020; Globex invested in Acme
(2023-01); Fund Co invested in Initech (2021-06, 500万 or 600万 USD by two sources); Bob
invested 100万 EUR in Initech (2023); Acme developed Model One → Model Two → Model Three
("Nova", planned); AcmeChat uses Model Two.
"""

from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.data.dates import PartialDate
from graphkit.data.names import NameIndex
from graphkit.data.relations import RELATIONS
from graphkit.errors import AmbiguousEntity, BadArgument, UnknownEntity
from graphkit.query.cards import entity_card
from graphkit.query.investments import investments
from graphkit.query.lineage import lineage
from graphkit.query.paths import find_paths, neighborhood
from graphkit.query.stats import graph_stats
from graphkit.store.graph import as_of


def nodes_of(result) -> list[list[str]]:
    return [path["nodes"] for path in result]


# -- names ---------------------------------------------------------------------------------

def test_names_resolve_in_any_script_case_and_width(tiny_graph):
    index = NameIndex(tiny_graph.nodes)
    assert index.resolve("张爱丽") == "alice"
    assert index.resolve("張愛麗") == "alice"
    assert index.resolve("ALICE zhang") == "alice"
    assert index.resolve("ａｃｍｅ ＡＩ") == "acme"
    assert index.resolve("nova") == "m3"


def test_unknown_name_suggests_the_closest(tiny_graph):
    with pytest.raises(UnknownEntity) as error:
        NameIndex(tiny_graph.nodes).resolve("Alise Zhang")
    assert str(error.value) == "unknown entity 'Alise Zhang'; did you mean 'Alice Zhang'?"


def test_ambiguous_name_lists_the_candidates():
    index = NameIndex({"x1": {"name": "Orion", "type": "model", "aliases": []},
                       "x2": {"name": "X2", "type": "company", "aliases": ["orion"]}})
    with pytest.raises(AmbiguousEntity) as error:
        index.resolve("ORION")
    assert str(error.value) == ("'ORION' is ambiguous; use one of the ids: "
                                "x1 (model: Orion), x2 (company: X2)")


def test_search_ranks_exact_before_prefix_before_fuzzy(tiny_graph):
    hits = NameIndex(tiny_graph.nodes).search("model")
    assert [hit["id"] for hit in hits] == ["m1", "m2", "m3"]  # equal prefixes: by id
    assert NameIndex(tiny_graph.nodes).search("Nova")[0] == {
        "id": "m3", "name": "Model Three", "type": "model", "matched": "Nova", "score": 1.0}


def test_search_as_of_finds_only_who_was_linked_by_then(run_cli):
    # Carol's only edge is dated 2023-01-15.
    assert run_cli("search", "carol", "--as-of", "2023-01-14").exit_code == 1
    found = json.loads(run_cli("search", "carol", "--as-of", "2023-01-15", "--json").stdout)
    assert [hit["id"] for hit in found["results"]] == ["carol"]


def test_search_command_filters_by_type_and_exits_1_on_nothing(run_cli):
    result = run_cli("search", "co", "--type", "investor", "--json")
    assert [hit["id"] for hit in json.loads(result.stdout)["results"]] == ["fundco"]
    nothing = run_cli("search", "zzzzqqq", "--json")
    assert nothing.exit_code == 1
    assert json.loads(nothing.stdout)["results"] == []
    bad = run_cli("search", "x", "--type", "persn")
    assert bad.exit_code == 2
    assert "unknown entity type 'persn'" in bad.output


# -- path ----------------------------------------------------------------------------------

def test_shortest_path_walks_edges_either_way_and_says_so(tiny_graph):
    [path] = find_paths(tiny_graph, "alice", "globex")
    assert path["nodes"] == ["alice", "acme", "globex"]
    assert [(hop["id"], hop["direction"]) for hop in path["hops"]] == [
        ("alice-left-acme", "forward"), ("globex-invested-in-acme", "backward")]
    assert path["hops"][0]["text"] == "Alice Zhang left Acme AI (researcher) for Initech (2021-03)"
    assert path["hops"][1]["sources"][0]["doc"] == "b.txt"


def test_as_of_hides_what_was_not_yet_true(tiny_graph):
    in_2022 = as_of(tiny_graph, PartialDate.parse("2022"))
    assert nodes_of(find_paths(in_2022, "alice", "globex")) == [["alice", "acme", "bob", "globex"]]
    assert find_paths(as_of(tiny_graph, PartialDate.parse("2021-04")), "alice", "globex") == []


def test_all_shortest_paths(tiny_graph):
    assert nodes_of(find_paths(tiny_graph, "alice", "bob", mode="all")) == [
        ["alice", "acme", "bob"], ["alice", "initech", "bob"]]


def test_k_shortest_simple_paths(tiny_graph):
    paths = find_paths(tiny_graph, "alice", "globex", mode="k", k=3)
    assert [path["length"] for path in paths] == [2, 3, 3]
    assert sorted(nodes_of(paths)[1:]) == [["alice", "acme", "bob", "globex"],
                                           ["alice", "initech", "bob", "globex"]]


def test_max_hops_and_relation_filter(tiny_graph):
    assert find_paths(tiny_graph, "alice", "globex", max_hops=1) == []
    only_left = as_of(tiny_graph, None, ["person-left-company"])
    assert nodes_of(find_paths(only_left, "alice", "bob")) == [["alice", "acme", "bob"]]


def test_path_rejects_nonsense(tiny_graph):
    with pytest.raises(BadArgument, match="two different entities"):
        find_paths(tiny_graph, "alice", "alice")


def test_path_command_answers_with_chinese_names_and_citations(run_cli):
    result = run_cli("path", "張愛麗", "Globex")
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "Path 1 (2 hops): Alice Zhang → Acme AI → Globex"
    citation = "[a.txt] “Alice Zhang (张爱丽), a researcher, left Acme AI in March 2021"
    assert citation in result.output
    assert "(walked against the edge)" in result.output


def test_path_command_json_contract(run_cli):
    document = json.loads(run_cli("path", "alice", "globex", "--json").stdout)
    [path] = document["paths"]
    assert path["length"] == 2
    hop = path["hops"][0]
    assert {"source", "target", "relation", "date", "sources"} <= hop.keys()
    assert (hop["source"], hop["target"], hop["relation"], hop["date"]) == (
        "alice", "acme", "person-left-company", "2021-03")
    assert hop["sources"][0]["doc"] == "a.txt"
    assert document["entities"]["globex"] == {"id": "globex", "name": "Globex",
                                              "type": "company", "aliases": []}


def test_path_command_no_path_exits_1_with_valid_json(run_cli):
    result = run_cli("path", "alice", "globex", "--as-of", "2021-04", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["paths"] == []
    assert "no path between Alice Zhang and Globex" in result.stderr


def test_path_command_bad_input_exits_2(run_cli):
    unknown = run_cli("path", "alise zhang", "globex")
    assert unknown.exit_code == 2
    assert "Error: unknown entity 'alise zhang'; did you mean 'Alice Zhang'?" in unknown.output
    assert "Traceback" not in unknown.output
    bad_date = run_cli("path", "alice", "globex", "--as-of", "2023-13")
    assert bad_date.exit_code == 2
    assert "'--as-of'" in bad_date.output and "no month 13" in bad_date.output
    bad_relation = run_cli("path", "alice", "globex", "--relation", "person-left")
    assert bad_relation.exit_code == 2
    assert "unknown relation 'person-left'" in bad_relation.output
    both = run_cli("path", "alice", "globex", "--all", "--k", "2")
    assert both.exit_code == 2


def test_path_all_and_k_from_the_command(run_cli):
    document = json.loads(run_cli("path", "alice", "bob", "--all", "--json").stdout)
    assert [path["nodes"] for path in document["paths"]] == [["alice", "acme", "bob"],
                                                             ["alice", "initech", "bob"]]
    document = json.loads(run_cli("path", "alice", "globex", "--k", "2", "--json").stdout)
    assert [path["length"] for path in document["paths"]] == [2, 3]


# -- show, neighbors, lineage, investments, stats ------------------------------------------

def test_entity_card_lists_every_relation_and_cohort(tiny_graph):
    card = entity_card(tiny_graph, "acme")
    assert len(card["edges"]) == 7
    assert {edge["direction"] for edge in card["edges"]} == {"in", "out"}
    assert [cohort["id"] for cohort in card["cohorts"]] == ["acme-to-initech-2021"]
    in_2020 = entity_card(as_of(tiny_graph, PartialDate.parse("2020")), "acme")
    assert sorted(edge["target"] for edge in in_2020["edges"]) == ["m1", "m3"]


def test_show_command(run_cli):
    result = run_cli("show", "艾克米")
    assert result.output.startswith("Acme AI [company, id acme]\n  also: 艾克米\n")
    assert "Globex invested 10亿美元 (USD 1,000,000,000) in Acme AI [completed] (2023-01)" in (
        result.stdout)
    document = json.loads(run_cli("show", "acme", "--json", "--as-of", "2020").stdout)
    assert document["entity"]["id"] == "acme" and len(document["edges"]) == 2


def test_neighborhood(tiny_graph):
    result = neighborhood(tiny_graph, "m2", 1)
    assert [node["id"] for node in result["nodes"]] == ["m2", "acme", "acmechat", "m1", "m3"]
    assert len(result["edges"]) == 6
    two = neighborhood(tiny_graph, "m2", 2)
    assert {node["id"] for node in two["nodes"] if node["distance"] == 2} == {
        "alice", "bob", "carol", "globex"}


def test_neighbors_command(run_cli):
    document = json.loads(run_cli("neighbors", "Model Two", "--json").stdout)
    assert len(document["nodes"]) == 5
    only_succession = json.loads(run_cli("neighbors", "m2", "--relation", "model-succeeded-by",
                                         "--json").stdout)
    assert [node["id"] for node in only_succession["nodes"]] == ["m2", "m1", "m3"]
    assert run_cli("neighbors", "m2", "--depth", "0").exit_code == 2


def test_lineage_follows_succession_both_ways(tiny_graph):
    result = lineage(tiny_graph, "m2")
    assert [(p["id"], p["depth"]) for p in result["predecessors"]] == [("m1", 1)]
    assert [(s["id"], s["depth"], s["status"]) for s in result["successors"]] == [
        ("m3", 1, "planned")]
    from_nova = lineage(tiny_graph, "m3")
    assert [(p["id"], p["depth"]) for p in from_nova["predecessors"]] == [("m2", 1), ("m1", 2)]
    with pytest.raises(BadArgument, match="'Acme AI' is a company"):
        lineage(tiny_graph, "acme")


def test_lineage_command(run_cli):
    result = run_cli("lineage", "Nova")
    assert "Model Two" in result.output and "Model One" in result.output
    assert run_cli("lineage", "acme").exit_code == 2


def test_investments_totals_keep_disagreeing_claims_as_a_range(tiny_graph):
    result = investments(tiny_graph, "initech")
    assert len(result["received"]) == 3 and result["made"] == []
    assert result["totals"]["received"] == {
        "EUR": {"low": 1000000, "high": 1000000, "investments": 1, "approximate": False,
                "disagree": False},
        "USD": {"low": 5000000, "high": 6000000, "investments": 1, "approximate": False,
                "disagree": True}}
    in_2022 = investments(as_of(tiny_graph, PartialDate.parse("2022")), "initech")
    assert list(in_2022["totals"]["received"]) == ["USD"]


def test_investments_command(run_cli):
    result = run_cli("investments", "initech")
    assert "total USD: 5,000,000 to 6,000,000 (sources disagree) over 1 investment(s)" in (
        result.stdout)
    document = json.loads(run_cli("investments", "bob", "--json").stdout)
    assert [edge["target"] for edge in document["made"]] == ["initech"]


def test_stats(tiny_graph):
    result = graph_stats(tiny_graph)
    assert (result["nodes"], result["edges"]) == (12, 17)
    assert result["entities"] == {"company": 3, "investor": 1, "model": 3, "person": 4,
                                  "product": 1}
    assert result["relations"]["company-invested-in"] == 4
    assert result["degree"]["top"][0] == {"id": "acme", "name": "Acme AI", "type": "company",
                                          "degree": 7}
    assert "exact" in result["betweenness"]["method"]


def test_stats_command(run_cli):
    assert "12 entities, 17 relations" in run_cli("stats").output
    document = json.loads(run_cli("stats", "--json", "--as-of", "2020").stdout)
    # Dave's tenure and exit, Model One, and the three undated (timeless) edges.
    assert document["edges"] == 6


def test_json_output_has_sorted_keys(run_cli):
    text = run_cli("show", "acme", "--json").output
    assert text.rstrip("\n") == json.dumps(json.loads(text), sort_keys=True, indent=2,
                                           ensure_ascii=False)


def test_help_does_not_import_heavy_modules():
    code = ("import sys; from graphkit.cli import cli\n"
            "try: cli(['--help'])\nexcept SystemExit: pass\n"
            "print(sorted(m for m in ('networkx', 'pyvis', 'jsonschema') if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout
    assert output.strip().endswith("[]")


# -- invariants ----------------------------------------------------------------------------

@st.composite
def random_graphs(draw):
    count = draw(st.integers(min_value=2, max_value=9))
    graph = nx.MultiDiGraph()
    for node in range(count):
        graph.add_node(f"n{node}", name=f"N{node}", type="company", aliases=[])
    relations = list(RELATIONS)
    edges = draw(st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1),
                                    st.sampled_from(relations)), max_size=20))
    for number, (source, target, relation) in enumerate(edges):
        if source != target:
            graph.add_edge(f"n{source}", f"n{target}", key=f"{relation}/{number}",
                           relation=relation, sources=[{"doc": "d", "quote": "q"}])
    ends = draw(st.lists(st.integers(0, count - 1), min_size=2, max_size=2, unique=True))
    return graph, f"n{ends[0]}", f"n{ends[1]}"


@settings(max_examples=150, deadline=None)
@given(random_graphs(), st.sampled_from(["shortest", "all", "k"]))
def test_every_path_starts_and_ends_where_asked_and_hops_are_real_edges(case, mode):
    graph, source, target = case
    paths = find_paths(graph, source, target, mode=mode, k=3)
    connected = nx.has_path(graph.to_undirected(as_view=True), source, target)
    assert bool(paths) == connected
    for path in paths:
        assert path["nodes"][0] == source and path["nodes"][-1] == target
        assert path["length"] == len(path["hops"]) == len(path["nodes"]) - 1
        for hop, walked_from, walked_to in zip(path["hops"], path["nodes"], path["nodes"][1:],
                                               strict=False):
            assert graph.has_edge(hop["source"], hop["target"], hop["id"])
            assert (hop["from"], hop["to"]) == (walked_from, walked_to)
            expected = (walked_from, walked_to) if hop["direction"] == "forward" else (
                walked_to, walked_from)
            assert (hop["source"], hop["target"]) == expected
    if connected and mode != "k":
        shortest = nx.shortest_path_length(graph.to_undirected(as_view=True), source, target)
        assert {path["length"] for path in paths} == {shortest}
    if connected and mode == "all":
        expected = nx.all_shortest_paths(graph.to_undirected(as_view=True), source, target)
        assert sorted(path["nodes"] for path in paths) == sorted(expected)


@settings(max_examples=200, deadline=None)
@given(names=st.lists(st.text(alphabet="abcdeé微軟软 -·", min_size=1, max_size=12), min_size=1,
                      max_size=8),
       query=st.text(alphabet="abcdeé微軟软 -·", min_size=1, max_size=8))
def test_search_scores_every_key_as_key_score_does(names, query):
    """Search finds candidates in C (substrings, then rapidfuzz's cut-off); it must never
    miss a key that scores (the reference scores every key of every entity)."""
    from graphkit.data.names import entity_keys, key_score, normalize

    entities = {f"e{number}": {"name": name, "type": "person", "aliases": []}
                for number, name in enumerate(names)}
    wanted, expected = normalize(query), {}
    if not wanted:
        return
    for ident, entity in entities.items():
        for key, kind, _form in entity_keys(ident, entity):
            score = key_score(wanted, key, kind)
            if score > expected.get(ident, 0.0):
                expected[ident] = score
    found = {hit["id"]: hit["score"] for hit in NameIndex(entities).search(query, limit=None)}
    assert found == {ident: round(score, 3) for ident, score in expected.items()}
