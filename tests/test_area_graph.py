"""A focus read from the cache (graphkit.store.graph.area_graph) draws and exports exactly what
the whole graph gives: ``render --focus`` and ``export --focus`` take that route."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphkit.data.dates import PartialDate
from graphkit.data.locate import bundled_data_dir
from graphkit.data.relations import SUCCESSION_RELATIONS
from graphkit.errors import GraphkitError
from graphkit.export import export_view, render
from graphkit.page.render import page_data
from graphkit.store.cache import open_store
from graphkit.store.graph import area_graph, build_graph

TINY = Path(__file__).parent / "fixtures" / "tiny"

BUNDLED = bundled_data_dir()
DATES = (None, PartialDate.parse("2021"), PartialDate.parse("2023-06"))
RELATION_SETS = ((), ("person-joined-company", "company-invested-in"))


@pytest.fixture(scope="module", params=[TINY, bundled_data_dir()], ids=["tiny", "bundled"])
def store_and_graph(request):
    store = open_store(request.param)
    return store, build_graph(store.dataset())


def outcome(make):
    """What ``make()`` gives, or the error it raises (both routes must agree on either)."""
    try:
        return make()
    except GraphkitError as error:
        return type(error).__name__, str(error)


def lineage_relations(relations):
    return tuple(name for name in SUCCESSION_RELATIONS
                 if not relations or name in relations) or relations


def centres(store, graph, count=12):
    """The busiest entities (the hardest cases) and every model with a succession edge."""
    busiest = sorted(graph, key=lambda node: (-graph.degree(node), node))[:count]
    models = sorted(node for node in graph if graph.nodes[node]["type"] == "model")[:count]
    return list(dict.fromkeys(busiest + models))


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_a_focus_page_from_the_cache_is_the_one_from_the_whole_graph(store_and_graph, depth):
    store, graph = store_and_graph
    for centre in centres(store, graph):
        for date in DATES:
            for relations in RELATION_SETS:
                for view, walked in (("full", relations),
                                     ("lineage", lineage_relations(relations))):
                    area = area_graph(store.view(date, walked), [centre], depth)
                    # (The command line lays out what is shown when it reads an area.)
                    options = {"view": view, "focus": centre, "depth": depth, "as_of": date,
                               "relations": relations, "whole_layout": False}
                    assert outcome(lambda g=area, o=options: page_data(g, **o)) == outcome(
                        lambda o=options: page_data(graph, **o)), (centre, date, relations)


@pytest.mark.parametrize("export_format", ["json", "graphml", "gexf", "csv"])
def test_a_focus_export_from_the_cache_is_the_one_from_the_whole_graph(store_and_graph,
                                                                       export_format):
    store, graph = store_and_graph
    for centre in centres(store, graph, count=6):
        for depth in (1, 2):
            for date in DATES:
                area = area_graph(store.view(date), [centre], depth)
                expected = render(export_view(graph, date, (), centre, depth), export_format)
                got = render(export_view(area, date, (), centre, depth), export_format)
                assert got == expected, (centre, depth, date)


def test_the_area_keeps_edges_between_its_outermost_entities_and_the_entities_they_name():
    store = open_store(TINY)
    graph = build_graph(store.dataset())
    area = area_graph(store.view(), ["alice"], 1)
    inside = set(area) - {node for node in area if area.degree(node) == 0}
    expected = {"alice", *graph.successors("alice"),
                *graph.predecessors("alice")}
    assert inside == expected
    every_edge_among = {key for source, target, key in graph.edges(keys=True)
                        if source in expected and target in expected}
    assert {key for *_, key in area.edges(keys=True)} == every_edge_among
    for node in area:
        assert area.nodes[node] == graph.nodes[node]
    for source, target, key, data in area.edges(keys=True, data=True):
        assert data == graph.edges[source, target, key]
    assert area.graph == graph.graph


def test_render_and_export_commands_write_the_same_bytes_as_from_the_whole_graph(
        run_cli, tmp_path, monkeypatch):
    from graphkit import cli

    runs = [("render", "--focus", "openai", "--depth", "2", "--out"),
            ("render", "--view", "lineage", "--focus", "gpt-4", "--out"),
            ("render", "--focus", "anthropic", "--as-of", "2021", "--out"),
            ("export", "--format", "json", "--focus", "openai", "--depth", "2", "--out"),
            ("export", "--format", "gexf", "--focus", "anthropic", "--as-of", "2021",
             "--out")]
    for number, args in enumerate(runs):
        assert run_cli(*args, str(tmp_path / f"cache-{number}"), data=BUNDLED).exit_code == 0
    # The other route: the whole graph, cut down by render_page and export_view.
    monkeypatch.setattr(cli, "_area_graph", lambda session, *rest: session.graph())
    for number, args in enumerate(runs):
        assert run_cli(*args, str(tmp_path / f"whole-{number}"), data=BUNDLED).exit_code == 0
        assert ((tmp_path / f"cache-{number}").read_bytes()
                == (tmp_path / f"whole-{number}").read_bytes()), args


# -- render --path and render --view flow at scale: from the cache, never the whole graph ----


def path_ends(graph, count=5):
    """Pairs among the busiest entities, and pairs of models (for the lineage view)."""
    busiest = sorted(graph, key=lambda node: (-graph.degree(node), node))[:count]
    models = sorted(node for node in graph if graph.nodes[node]["type"] == "model")[:count]
    return [(first, second) for group in (busiest, models)
            for first in group for second in group if first < second]


@pytest.mark.parametrize("depth", [1, 2])
def test_a_path_page_from_the_cache_is_the_one_from_the_whole_graph(store_and_graph, depth):
    from graphkit.page.data import path_area

    store, graph = store_and_graph
    for ends in path_ends(graph):
        for date in DATES:
            for relations in RELATION_SETS:
                for view in ("full", "lineage"):
                    options = {"view": view, "path": ends, "depth": depth, "as_of": date,
                               "relations": relations, "whole_layout": False}

                    def from_cache(o=options):
                        # What render does on a large graph: the path over the whole cache,
                        # then only the area around it read.
                        area, found = path_area(store, o["path"], view=o["view"],
                                                as_of=o["as_of"], relations=o["relations"],
                                                depth=o["depth"])
                        return page_data(area, path_found=found, **o)

                    assert outcome(from_cache) == outcome(
                        lambda o=options: page_data(graph, **o)), (ends, date, relations, view)


@pytest.mark.parametrize("directory", [TINY, bundled_data_dir(),
                                       Path(__file__).parent / "fixtures" / "flow"],
                         ids=["tiny", "bundled", "flow"])
def test_a_flow_page_from_the_cache_is_the_one_from_the_whole_graph(directory):
    from graphkit.page.data import CachedEntities
    from graphkit.query.movetable import store_move_table

    store = open_store(directory)
    graph = build_graph(store.dataset())
    entities, table = CachedEntities(store), store_move_table(store)
    companies = sorted(node for node in graph if graph.nodes[node]["type"] != "person")
    for focus in (None, *companies[:6]):
        for depth in ((None,) if focus is None else (1, 2)):
            for date in DATES:
                options = {"view": "flow", "focus": focus, "depth": depth, "as_of": date}
                assert outcome(lambda o=options: page_data(entities, flow=table, **o)) == outcome(
                    lambda o=options: page_data(graph, **o)), (focus, depth, date)


def test_render_path_and_flow_on_a_large_graph_never_build_the_whole_graph(
        run_cli, tmp_path, monkeypatch):
    """On a graph of more than WHOLE_LAYOUT_NODES entities, render --path and --view flow
    read the cache; their pages are the ones drawn from the whole graph."""
    import graphkit.page.data
    from graphkit import cli

    runs = [("render", "--view", "flow", "--out"),
            ("render", "--view", "flow", "--focus", "openai", "--as-of", "2023", "--out"),
            ("render", "--path", "Sam Altman", "Microsoft", "--depth", "1", "--out"),
            ("render", "--path", "ilya-sutskever", "anthropic", "--depth", "2", "--as-of",
             "2024", "--out"),
            ("render", "--view", "lineage", "--path", "gpt-4", "gpt-5", "--depth", "1",
             "--out")]
    whole = []
    for number, args in enumerate(runs):
        result = run_cli(*args, str(tmp_path / f"whole-{number}.html"), "--json",
                         data=BUNDLED)
        assert result.exit_code == 0, result.output
        whole.append(json.loads(result.output))

    def refuse(_session):
        raise AssertionError("the whole graph was built")

    monkeypatch.setattr(graphkit.page.data, "WHOLE_LAYOUT_NODES", 0)
    monkeypatch.setattr(cli.Session, "graph", refuse)
    for number, args in enumerate(runs):
        result = run_cli(*args, str(tmp_path / f"cache-{number}.html"), "--json", data=BUNDLED)
        assert result.exit_code == 0, result.output
        answer = json.loads(result.output)
        assert (answer["nodes"], answer["edges"]) == (whole[number]["nodes"],
                                                      whole[number]["edges"]), args
        cached, drawn = (tmp_path / f"cache-{number}.html"), (tmp_path / f"whole-{number}.html")
        if "flow" in args:  # the flow page is laid out alike on either route
            assert cached.read_bytes() == drawn.read_bytes(), args
    # Without --depth, a path on a large graph is drawn within 1 hop (and says so).
    result = run_cli("render", "--path", "Sam Altman", "Microsoft", "--out", "-",
                     data=BUNDLED)
    assert result.exit_code == 0, result.output
    assert "within 1 hop" in result.output


def test_a_path_hop_names_the_entities_it_mentions_that_are_not_drawn():
    """As of 2021 Adept has no link yet, so it is not drawn; David Luan's departure from
    Google for Adept still names it (a bare id was shown before)."""
    store = open_store(BUNDLED)
    graph = build_graph(store.dataset())
    options = {"path": ("google", "openai"), "as_of": PartialDate.parse("2021")}
    hops = page_data(graph, **options)["meta"]["path"]["hops"]
    assert hops[0] == "David Luan left Google (director) for Adept (2021)"
    assert "adept" not in {node["id"] for node in page_data(graph, **options)["nodes"]}
