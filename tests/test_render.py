"""The HTML page: what it shows, that it is standalone, safe and deterministic, and the
``render`` command.  What the page does in a browser is in test_render_browser.py."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import random
import re
from html import unescape

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphkit.data.dates import PartialDate
from graphkit.errors import BadArgument, NoAnswer
from graphkit.page.render import (
    LARGE_NODES,
    default_output_path,
    page_data,
    render_page,
    script_json,
    write_page,
)
from graphkit.store.graph import build_graph, load_graph

TINY_ENTITIES = 12
TINY_EDGES = 17


def embedded_block(html: str, name: str):
    match = re.search(rf'<script type="application/json" id="graphkit-{name}">(.*?)</script>',
                      html, re.DOTALL)
    return json.loads(match.group(1))


def embedded_data(html: str) -> dict:
    """The page's data as the page has it once loaded: the drawing data with each edge's
    details (the second block) merged back in."""
    data = embedded_block(html, "data")
    details = embedded_block(html, "details")
    assert len(details) == len(data["edges"])
    data["edges"] = [{**edge, **more} for edge, more in zip(data["edges"], details, strict=True)]
    return data


def edge_ids(data: dict) -> set[str]:
    return {edge["id"] for edge in data["edges"]}


def node_ids(data: dict) -> set[str]:
    return {node["id"] for node in data["nodes"]}


# --- what each view shows ------------------------------------------------------------------


def test_full_view_draws_every_entity_and_edge(tiny_graph):
    data = page_data(tiny_graph)
    assert len(data["nodes"]) == TINY_ENTITIES
    assert len(data["edges"]) == TINY_EDGES == tiny_graph.number_of_edges()
    assert data["meta"]["view"] == "full"
    assert [legend["type"] for legend in data["types"]] == [
        "person", "company", "investor", "model", "product"]
    counts = {legend["type"]: legend["count"] for legend in data["types"]}
    assert counts == {"person": 4, "company": 3, "investor": 1, "model": 3, "product": 1}


def test_edges_carry_dates_sources_and_amounts(tiny_graph):
    edges = {edge["id"]: edge for edge in page_data(tiny_graph)["edges"]}
    investment = next(edge for edge in edges.values()
                      if edge["relation"] == "company-invested-in" and edge["from"] == "globex")
    assert investment["label"] == "10亿美元"
    assert investment["amount"] == "10亿美元 (USD 1,000,000,000)"
    assert investment["start"] == "2023-01-01"
    assert investment["sources"] == [
        {"doc": "b.txt", "quote": "Globex invested 10亿美元 in Acme AI in January 2023."}]
    assert investment["text"] == ("Globex invested 10亿美元 (USD 1,000,000,000) in Acme AI "
                                  "[completed] (2023-01)")
    tenure = next(edge for edge in edges.values() if edge["relation"] == "person-role-at-company")
    assert (tenure["start"], tenure["stop"]) == ("2018-01-01", "2020-12-31")
    undated = next(edge for edge in edges.values() if edge["relation"] == "product-uses-model")
    assert "start" not in undated and "stop" not in undated
    assert all("label" not in edge for edge in edges.values()
               if edge["relation"] != "company-invested-in")


def test_documents_are_the_cited_ones_with_titles(tiny_graph):
    documents = page_data(tiny_graph)["documents"]
    assert documents == {
        "a.txt": {"title": "Acme AI news", "outlet": "Fixture Times", "published": "2021-07"},
        "b.txt": {"title": "2023年1月報道", "outlet": "Fixture Daily", "published": "2023-01"}}


def test_parallel_edges_are_bent_apart(tiny_graph):
    edges = page_data(tiny_graph)["edges"]
    # Two claims of one relation share a line (the page draws it once): no bend.
    fundco = [edge for edge in edges if (edge["from"], edge["to"]) == ("fundco", "initech")]
    assert len(fundco) == 2 and not any("curve" in edge for edge in fundco)
    # Two relations between the same pair are bent apart.
    dave = [edge for edge in edges if (edge["from"], edge["to"]) == ("dave", "globex")]
    assert sorted(edge["curve"] for edge in dave) == [-0.125, 0.125]
    single = next(edge for edge in edges if (edge["from"], edge["to"]) == ("globex", "acme"))
    assert "curve" not in single


def test_as_of_keeps_what_was_true_and_drops_entities_left_without_edges(tiny_graph):
    data = page_data(tiny_graph, as_of=PartialDate.parse("2022"))
    relations_dates = {(edge["relation"], edge.get("date")) for edge in data["edges"]}
    assert ("company-invested-in", "2023-01") not in relations_dates
    assert ("person-role-at-company", "2018") not in relations_dates  # ended 2020
    # Carol's only edge is of 2023; Model Three's are undated and stay.
    assert "carol" not in node_ids(data)
    assert {"m3", "acmechat"} <= node_ids(data)
    # The timeline starts when the first entity shown is known to exist: Dave, from his
    # 2018 role (which ended before 2022, so is not drawn).
    assert data["meta"]["timeline"] == {"first": "2018-01", "last": "2022-09"}
    assert next(node for node in data["nodes"] if node["id"] == "dave")["start"] == "2018-01-01"
    assert data["meta"]["subtitle"] == "as of 2022"


def test_relation_filter_keeps_only_the_entities_it_connects(tiny_graph):
    data = page_data(tiny_graph, relations=("company-invested-in",))
    assert node_ids(data) == {"globex", "acme", "fundco", "initech", "bob"}
    assert len(data["edges"]) == 4
    assert [legend["relation"] for legend in data["relations"]] == ["company-invested-in"]


def test_focus_draws_the_ego_network(tiny_graph):
    data = page_data(tiny_graph, focus="alice")
    assert node_ids(data) == {"alice", "acme", "initech"}
    assert {edge["relation"] for edge in data["edges"]} == {
        "person-left-company", "person-founded-company"}
    assert data["meta"]["focus"] == "alice"
    assert data["meta"]["title"] == "Around Alice Zhang"
    focus = next(node for node in data["nodes"] if node["id"] == "alice")
    assert (focus["x"], focus["y"]) == (0, 0)
    deeper = page_data(tiny_graph, focus="alice", depth=2)
    assert {"bob", "carol", "fundco", "globex", "m1"} <= node_ids(deeper)


def test_path_is_highlighted_in_context(tiny_graph):
    data = page_data(tiny_graph, path=("alice", "globex"))
    path = data["meta"]["path"]
    assert path["nodes"] == ["alice", "acme", "globex"]
    assert len(path["edges"]) == 2 and set(path["edges"]) <= edge_ids(data)
    assert path["hops"][0].startswith("Alice Zhang left Acme AI")
    assert len(data["nodes"]) == TINY_ENTITIES  # the whole graph is the context
    narrow = page_data(tiny_graph, path=("alice", "globex"), depth=1)
    assert "m1" in node_ids(narrow) and "acmechat" not in node_ids(narrow)


def test_no_path_is_no_answer(tiny_graph):
    with pytest.raises(NoAnswer, match="no path between Alice Zhang and Globex"):
        page_data(tiny_graph, path=("alice", "globex"), relations=("person-left-company",))


def test_lineage_lays_models_out_along_succession(tiny_graph):
    data = page_data(tiny_graph, view="lineage")
    assert node_ids(data) == {"m1", "m2", "m3"}
    assert {edge["relation"] for edge in data["edges"]} == {"model-succeeded-by"}
    x = {node["id"]: node["x"] for node in data["nodes"]}
    assert x["m1"] < x["m2"] < x["m3"]


def test_lineage_puts_a_derived_model_after_its_origin():
    graph = nx.MultiDiGraph(sources={})
    for node in ("base", "distilled", "next"):
        graph.add_node(node, type="model", name=node.title(), aliases=[])
    graph.add_edge("distilled", "base", key="model-derived-from/0",
                   relation="model-derived-from", sources=[])
    graph.add_edge("base", "next", key="model-succeeded-by/0",
                   relation="model-succeeded-by", sources=[])
    x = {node["id"]: node["x"] for node in page_data(graph, view="lineage")["nodes"]}
    assert x["base"] < x["distilled"] and x["base"] < x["next"]


def test_flow_view_draws_moves_between_organisations(tiny_graph):
    from graphkit.query.flow import compute_flow

    data = page_data(tiny_graph, view="flow")
    flow = compute_flow(tiny_graph)
    expected = {(pair["from"] or "?origin", pair["to"] or "?destination"): pair["moves"]
                for pair in flow["pairs"] if pair["from"] != pair["to"]}
    drawn = {(edge["from"], edge["to"]): edge["moves"] for edge in data["edges"]}
    assert drawn == expected
    assert drawn[("acme", "initech")] == 3  # the cohort of three, Alice among them
    assert {edge["relation"] for edge in data["edges"]} == {"talent-flow"}
    acme = next(node for node in data["nodes"] if node["id"] == "acme")
    assert set(acme["flow"]) == {"inflow", "outflow", "net"}


def test_bad_options_are_refused(tiny_graph):
    with pytest.raises(BadArgument, match="unknown view"):
        page_data(tiny_graph, view="radial")
    with pytest.raises(BadArgument, match="--depth needs --focus or --path"):
        page_data(tiny_graph, depth=2)
    with pytest.raises(BadArgument, match="not both"):
        page_data(tiny_graph, focus="alice", path=("bob", "acme"))
    with pytest.raises(BadArgument, match="no entity with id"):
        page_data(tiny_graph, focus="nobody")
    with pytest.raises(BadArgument, match="lineage view draws only"):
        page_data(tiny_graph, view="lineage", relations=("company-invested-in",))
    with pytest.raises(BadArgument, match="too many for one page"):
        page_data(tiny_graph, max_nodes=5)


# --- standalone, safe, deterministic -------------------------------------------------------


def test_page_is_standalone(tiny_graph):
    html = render_page(tiny_graph).html
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"<(script|img|iframe)[^>]+src=", html, re.IGNORECASE)
    assert not re.search(r"<link\b", html, re.IGNORECASE)
    assert "@import" not in html and "url(http" not in html
    assert len(re.findall(r"^<script[ >]", html, re.MULTILINE)) == 4  # 2 of them JSON
    assert html.count("</script>") == 4
    assert "sourceMappingURL" not in html
    assert "new vis.Network" in html  # vis-network itself is inlined


def test_content_security_policy_allows_only_the_pages_own_scripts(tiny_graph):
    html = render_page(tiny_graph).html
    policy = unescape(
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in policy and "unsafe-eval" not in policy
    scripts = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    assert len(scripts) == 2
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_a_page_above_the_webgl_size_also_carries_sigma_and_graphology(tiny_graph):
    small = render_page(tiny_graph).html
    large = render_page(tiny_graph, webgl_above=0).html
    assert '"webgl":false' in small and len(re.findall(r"^<script>", small, re.MULTILINE)) == 2
    assert '"webgl":true' in large
    policy = unescape(
        re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', large).group(1))
    scripts = re.findall(r"<script>(.*?)</script>", large, re.DOTALL)
    assert len(scripts) == 4  # vis-network (for a browser without WebGL), graphology, sigma, ours
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "sourceMappingURL" not in large
    assert re.search(r'content="graphkit \(vis-network [\d.]+, sigma\.js 3\.[\d.]+, '
                     r'graphology [\d.]+\)"', large)
    assert render_page(tiny_graph, webgl_above=0).html == large  # the same bytes


def test_the_vendored_webgl_libraries_are_the_published_files_with_their_licences():
    from graphkit.page.html import VENDOR, webgl_libraries

    manifest = json.loads((VENDOR / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest) == ["graphology", "sigma"]
    for name, entry in manifest.items():
        assert hashlib.sha256((VENDOR / entry["file"]).read_bytes()).hexdigest() == entry["sha256"]
        assert entry["npm"] == f"{name}@{entry['version']}"
        assert entry["integrity"].startswith("sha512-")
        licence = (VENDOR / entry["licence"]).read_text(encoding="utf-8")
        assert "Permission is hereby granted, free of charge" in licence  # MIT
        assert webgl_libraries()[name][1] == entry["version"]
    for script, _ in webgl_libraries().values():
        assert "eval(" not in script and "new Function" not in script


HOSTILE_NAME = '<img src="http://evil.example/x.png" onerror="window.__pwned=1">'
HOSTILE_ALIAS = "</script><script>window.__pwned=2</script>"


def hostile_graph(graph):
    hostile = copy.deepcopy(graph)
    hostile.nodes["alice"]["name"] = HOSTILE_NAME
    hostile.nodes["alice"]["aliases"].append(HOSTILE_ALIAS)
    return hostile


def test_hostile_text_stays_inside_the_json_block(tiny_graph):
    html = render_page(hostile_graph(tiny_graph)).html
    assert HOSTILE_NAME not in html and HOSTILE_ALIAS not in html
    assert "<img" not in html and html.count("</script>") == 4
    data = embedded_data(html)
    alice = next(node for node in data["nodes"] if node["id"] == "alice")
    assert alice["name"] == HOSTILE_NAME and HOSTILE_ALIAS in alice["aliases"]


def test_edge_details_follow_the_scripts_and_lose_nothing(tiny_graph):
    html = render_page(tiny_graph, view="full").html
    assert html.index('id="graphkit-data"') < html.index("new vis.Network") < html.index(
        'id="graphkit-details"')
    drawn = embedded_block(html, "data")["edges"]
    assert all("sources" not in edge and "text" not in edge for edge in drawn)
    expected = json.loads(json.dumps(page_data(tiny_graph)))
    expected["meta"]["webgl"] = False  # the page's own note of how it draws
    assert embedded_data(html) == expected
    flow = render_page(tiny_graph, view="flow").html
    expected = json.loads(json.dumps(page_data(tiny_graph, view="flow")))
    expected["meta"]["webgl"] = False
    assert embedded_data(flow) == expected


def test_hostile_title_is_escaped(tiny_graph):
    hostile = hostile_graph(tiny_graph)
    html = render_page(hostile, focus="alice").html
    title = re.search(r"<title>(.*?)</title>", html).group(1)
    assert title.startswith("Around &lt;img src=")


@given(st.text())
def test_script_json_round_trips_and_cannot_close_the_script(text):
    encoded = script_json({"text": text})
    assert json.loads(encoded) == {"text": text}
    assert not set("<>&") & set(encoded)


def test_same_data_gives_the_same_bytes(tiny_dir):
    from graphkit.data.dataset import load_dataset

    dataset = load_dataset(tiny_dir)
    first = render_page(build_graph(dataset)).html
    shuffled = copy.deepcopy(dataset)
    random.Random(4).shuffle(shuffled.edges)
    shuffled.entities = dict(reversed(list(shuffled.entities.items())))
    assert render_page(build_graph(shuffled)).html == first
    assert render_page(load_graph(tiny_dir)).html == first


def test_render_does_not_change_the_graph(tiny_graph):
    before = (copy.deepcopy(dict(tiny_graph.nodes(data=True))),
              copy.deepcopy(list(tiny_graph.edges(keys=True, data=True))),
              copy.deepcopy(tiny_graph.graph))
    for options in ({}, {"view": "flow"}, {"view": "lineage"}, {"focus": "alice"},
                    {"path": ("alice", "globex")}):
        render_page(tiny_graph, **options)
    after = (dict(tiny_graph.nodes(data=True)), list(tiny_graph.edges(keys=True, data=True)),
             tiny_graph.graph)
    assert after == before


def synthetic_graph(nodes: int, edges: int, seed: int = 1) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    graph = nx.MultiDiGraph(sources={})
    for index in range(nodes):
        graph.add_node(f"n{index}", type="person" if index % 3 else "company",
                       name=f"Node {index}", aliases=[])
    for index in range(edges):
        source, target = rng.randrange(nodes), rng.randrange(nodes)
        graph.add_edge(f"n{source}", f"n{target}", key=f"person-joined-company/{index}",
                       relation="person-joined-company", date=f"{2015 + index % 10}", sources=[])
    return graph


def test_a_large_graph_gets_the_fast_layout():
    data = page_data(synthetic_graph(LARGE_NODES + 200, 3000))
    assert data["meta"]["large"] is True
    positions = {(node["x"], node["y"]) for node in data["nodes"]}
    assert len(positions) > 0.95 * len(data["nodes"])  # spread out, not piled up


# --- files and the command ----------------------------------------------------------------


def test_default_output_paths():
    assert str(default_output_path()) == "output/graph.html"
    assert str(default_output_path("flow")) == "output/flow.html"
    assert str(default_output_path(focus="sam-altman")) == "output/graph-focus-sam-altman.html"
    assert (str(default_output_path(relations=("person-left-company",)))
            == "output/graph-person-left-company.html")


def test_write_page_creates_the_folder(tmp_path, tiny_graph):
    target = tmp_path / "deep" / "er" / "page.html"
    assert write_page(render_page(tiny_graph), target) == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_render_command_writes_the_default_file(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("render")
    assert result.exit_code == 0, result.output
    assert result.output == "output/graph.html\n"
    data = embedded_data((tmp_path / "output" / "graph.html").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == TINY_ENTITIES


def test_render_command_resolves_names_and_reports_json(run_cli, tmp_path):
    out = tmp_path / "alice.html"
    result = run_cli("render", "--focus", "張愛麗", "--out", str(out), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["path"] == str(out) and report["nodes"] == 3 and report["edges"] == 2
    assert report["title"] == "Around Alice Zhang"
    assert report["query"]["focus"] == "張愛麗"
    assert embedded_data(out.read_text(encoding="utf-8"))["meta"]["focus"] == "alice"


def test_render_command_path_and_views(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run_cli("render", "--path", "Alice Zhang", "Globex").output == (
        "output/graph-path-alice-globex.html\n")
    assert run_cli("render", "--view", "lineage").output == "output/lineage.html\n"
    assert run_cli("render", "--view", "flow", "--as-of", "2022").output == (
        "output/flow-as-of-2022.html\n")


@pytest.mark.parametrize(("args", "code", "message"), [
    (("--view", "radial"), 2, "Invalid value for '--view'"),
    (("--depth", "2"), 2, "--depth needs --focus or --path"),
    (("--focus", "nobody"), 2, "unknown entity 'nobody'"),
    (("--path", "alice", "nobody"), 2, "Invalid value for '--path'"),
    (("--focus", "alice", "--path", "bob", "acme"), 2, "not both"),
    (("--as-of", "2023-13"), 2, "no month 13"),
    (("--relation", "person-left"), 2, "unknown relation"),
    (("--view", "flow", "--relation", "person-left-company"), 2, "takes no --relation"),
    (("--max-nodes", "3"), 2, "too many for one page"),
    (("--path", "alice", "globex", "--relation", "person-left-company"), 1, "no path"),
])
def test_render_command_errors(run_cli, tmp_path, monkeypatch, args, code, message):
    monkeypatch.chdir(tmp_path)
    result = run_cli("render", *args)
    assert result.exit_code == code
    assert message in result.output
    assert not (tmp_path / "output").exists()


def test_relation_styles_are_told_apart_by_colour_or_line():
    from graphkit.page.data import RELATION_STYLES

    looks = [(style["color"], tuple(style.get("dashes") or ()), style.get("arrows", True))
             for relation, style in RELATION_STYLES.items() if relation != "talent-flow"]
    assert len(set(looks)) == len(looks)
    # The dotted pattern is kept for undated links.
    assert all(style.get("dashes") != [2, 5] for style in RELATION_STYLES.values())
    # "founded" and "invested in" were 1.09:1 apart; now they differ in hue.
    assert RELATION_STYLES["person-founded-company"]["color"] != (
        RELATION_STYLES["company-invested-in"]["color"])


def test_an_entity_starts_at_its_beginning_event_else_its_earliest_dated_link(tiny_graph):
    graph = copy.deepcopy(tiny_graph)
    graph.graph["events"] = [
        {"id": "m3-released", "entity": "m3", "kind": "released", "date": "2023-03"},
        {"id": "acme-founded", "entity": "acme", "kind": "founded", "date": "2019",
         "modality": "possible"}]  # not counted: only stated or reported beginnings are
    nodes = {node["id"]: node for node in page_data(graph)["nodes"]}
    assert (nodes["m3"]["start"], nodes["m3"]["start_from"]) == ("2023-03-01", "m3-released")
    assert (nodes["acme"]["start"], nodes["acme"]["start_from"]) == ("2020-01-01", "link")
    assert "start" not in nodes["acmechat"]  # only undated links


def test_every_entity_type_and_relation_has_a_style():
    from graphkit.data.relations import ENTITY_TYPES, RELATIONS
    from graphkit.page.data import ENTITY_STYLES, RELATION_STYLES

    assert set(ENTITY_TYPES) <= set(ENTITY_STYLES)
    assert set(RELATIONS) <= set(RELATION_STYLES)


def test_every_page_of_a_small_graph_places_an_entity_alike(tiny_graph, run_cli, tmp_path):
    def places(data):
        nodes = {node["id"]: (node["x"], node["y"]) for node in data["nodes"]}
        ox, oy = nodes["alice"]
        return {ident: (x - ox, y - oy) for ident, (x, y) in nodes.items()}

    whole = places(page_data(tiny_graph))
    for options in ({"focus": "alice"}, {"as_of": PartialDate.parse("2022")},
                    {"path": ("alice", "fundco")}, {"relations": ("person-left-company",)}):
        shown = places(page_data(tiny_graph, **options))
        assert shown == {ident: whole[ident] for ident in shown}, options
    # And through the command line, which reads a small graph whole for a focus page.
    out = tmp_path / "focus.html"
    assert run_cli("render", "--focus", "alice", "--out", str(out)).exit_code == 0
    focus = places(embedded_data(out.read_text(encoding="utf-8")))
    assert focus == {ident: whole[ident] for ident in focus}
