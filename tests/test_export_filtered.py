"""Filtered exports (--focus, --relation, --as-of) carry only the records about the entities
they export, and the documents those records and edges cite, in every format.

The fixture is tests/fixtures/facts; each expected answer below is worked out by hand from
its files (entities, edges with their dates and documents, and the records listed here):

- cohorts: openco-to-rivalco-2021 (openco -> rivalco, 2021, one.txt),
  openco-several-left-2024 (from openco, 2024, two.txt), both person-left-company;
- figures: five about openco (2023-01 one.txt x2, 2024-10 two.txt, 2024-10 three.txt x2);
- rounds: moonco-2024-rounds (moonco, two.txt), openco-2019-fundx (openco, investor fundx,
  2019, one.txt), openco-middle-east-sought (openco, 2024-10, three.txt);
- events: openco-founded (2015, one.txt), rivalco-founded (2021-06, one.txt),
  model-nine-released (model-nine with participant openco, 2023-03, two.txt),
  openco-seeking-sale-2024 (openco, 2024, two.txt).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import openpyxl
import pytest

from graphkit.data.dates import PartialDate
from graphkit.export import export_view
from graphkit.export.view import records_about
from graphkit.store.graph import load_graph

FACTS = Path(__file__).parent / "fixtures" / "facts"
KINDS = ("cohorts", "figures", "rounds", "events")

# --focus ben: ben's one edge (ben-may-leave-rivalco, three.txt) reaches rivalco only.
# Records naming ben or rivalco: the cohort into rivalco and rivalco's founding (one.txt).
FOCUS_BEN = {"entities": ["ben", "rivalco"],
             "cohorts": ["openco-to-rivalco-2021"], "figures": [], "rounds": [],
             "events": ["rivalco-founded"], "documents": ["one.txt", "three.txt"]}
# --as-of 2020: in effect are fundx -> openco (2019) and ann-left-openco (dated "on or
# before 2023-01-24", which does not delay it); the undated edges touching rivalco or
# model-nine wait for their founding (2021-06) and release (2023-03).  Of the records
# naming fundx, openco or ann, only the 2019 round and the 2015 founding had happened.
AS_OF_2020 = {"entities": ["ann", "fundx", "openco"],
              "cohorts": [], "figures": [], "rounds": ["openco-2019-fundx"],
              "events": ["openco-founded"], "documents": ["one.txt"]}
# --relation company-invested-in: fundx -> openco (one.txt) and fundx -> rivalco
# (three.txt).  The cohorts are person-left-company claims, so they go with that relation;
# moonco's round names no exported entity; model-nine-released has openco as participant.
INVESTED = {"entities": ["fundx", "openco", "rivalco"],
            "cohorts": [],
            "figures": ["openco-annualised-revenue-2024-10", "openco-running-cost",
                        "openco-valuation-2023-01", "openco-valuation-2024-10-insiders",
                        "openco-valuation-2024-10-the-information"],
            "rounds": ["openco-2019-fundx", "openco-middle-east-sought"],
            "events": ["model-nine-released", "openco-founded", "openco-seeking-sale-2024",
                       "rivalco-founded"],
            "documents": ["one.txt", "three.txt", "two.txt"]}
CASES = {"focus": (["--focus", "ben"], FOCUS_BEN),
         "as-of": (["--as-of", "2020"], AS_OF_2020),
         "relation": (["--relation", "company-invested-in"], INVESTED)}


@pytest.fixture(scope="module")
def facts_graph():
    return load_graph(FACTS)


def kept(graph_attributes: dict) -> dict:
    found = {kind: sorted(record["id"] for record in graph_attributes.get(kind, ()))
             for kind in KINDS}
    found["documents"] = sorted(graph_attributes.get("sources", {}))
    return found


def expected_records(case: dict) -> dict:
    return {key: value for key, value in case.items() if key != "entities"}


@pytest.mark.parametrize(("options", "case"), [
    ({"focus": "ben"}, FOCUS_BEN),
    ({"date": PartialDate.parse("2020")}, AS_OF_2020),
    ({"relations": ["company-invested-in"]}, INVESTED),
], ids=list(CASES))
def test_export_view_keeps_the_records_about_what_it_exports(facts_graph, options, case):
    view = export_view(facts_graph, **options)
    assert sorted(view) == case["entities"]
    assert kept(view.graph) == expected_records(case)
    # The data itself is untouched.
    assert len(facts_graph.graph["figures"]) == 5
    assert sorted(facts_graph.graph["sources"]) == ["one.txt", "three.txt", "two.txt"]


def test_an_unfiltered_export_keeps_every_record(facts_graph):
    assert export_view(facts_graph) is facts_graph
    assert kept(export_view(facts_graph).graph) == kept(facts_graph.graph)


def test_keep_isolated_keeps_the_records_about_the_isolated_entities(facts_graph):
    # As of 2020 with every entity kept, moonco is exported too, so its 2024 round would
    # be about it; it had not happened by 2020, so it stays out all the same.
    view = export_view(facts_graph, PartialDate.parse("2020"), keep_isolated=True)
    assert len(view) == len(facts_graph)
    assert kept(view.graph)["rounds"] == ["openco-2019-fundx"]
    assert kept(view.graph)["events"] == ["openco-founded"]
    # With no date, every record names some entity of the graph and is kept.
    everything = export_view(facts_graph, relations=["model-succeeded-by"], keep_isolated=True)
    assert kept(everything.graph)["rounds"] == kept(facts_graph.graph)["rounds"]
    assert kept(everything.graph)["cohorts"] == []  # person-left-company, not this relation


def test_a_record_is_kept_whole_when_it_names_entities_left_out(facts_graph):
    # openco-2019-fundx names openco (exported) and fundx (not, with this relation).
    view = export_view(facts_graph, relations=["company-developed-model"])
    assert sorted(view) == ["model-nine", "openco"]
    (fundx_round,) = [item for item in view.graph["rounds"] if item["id"] == "openco-2019-fundx"]
    assert fundx_round["investors"] == ["fundx"]


def test_records_about_a_graph_with_no_records():
    import networkx as nx

    graph = nx.MultiDiGraph(sources={"a.txt": {}})
    graph.add_edge("x", "y", key="e", relation="r", sources=[{"doc": "a.txt"}])
    assert records_about(graph) == {"sources": {"a.txt": {}}}
    assert records_about(graph.subgraph(["x"])) == {"sources": {}}


# -- every format, through the command ---------------------------------------------------


def read_csv_ids(path: Path, column: str = "id") -> list[str]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sorted(row[column] for row in csv.DictReader(handle))


def records_in(export_format: str, path: Path) -> dict:
    """The record ids of each kind and the documents an export holds, read as its consumer
    would."""
    if export_format == "json":
        return kept(json.loads(path.read_text(encoding="utf-8"))["graph"])
    if export_format == "cytoscape":
        extra = json.loads(path.read_text(encoding="utf-8"))["graphkit"]
        return {**kept(extra), "documents": sorted(item["doc"] for item in extra["documents"])}
    if export_format == "csv":
        return {**{kind: read_csv_ids(path / f"{kind}.csv") for kind in KINDS},
                "documents": read_csv_ids(path / "documents.csv", "doc")}
    if export_format == "neo4j":
        found = {kind: read_csv_ids(path / f"nodes-{kind}.csv", f"id:ID({kind[:-1].title()})")
                 for kind in KINDS}
        return {**found,
                "documents": read_csv_ids(path / "nodes-documents.csv", "doc:ID(Document)")}
    if export_format == "parquet":
        def ids(name: str, column: str = "id") -> list[str]:
            file = path / f"{name}.parquet"
            if not file.exists():
                return []
            return sorted(row[0] for row in duckdb.sql(
                f"SELECT {column} FROM read_parquet('{file}')").fetchall())
        return {**{kind: ids(kind) for kind in KINDS}, "documents": ids("documents", "doc")}
    assert export_format == "xlsx"
    workbook = openpyxl.load_workbook(path, read_only=True)

    def sheet_ids(name: str) -> list[str]:
        if name not in workbook.sheetnames:
            return []
        rows = workbook[name].iter_rows(min_row=2, max_col=1, values_only=True)
        return sorted(row[0] for row in rows)
    return {**{kind: sheet_ids(kind) for kind in KINDS}, "documents": sheet_ids("documents")}


SUFFIX = {"json": "json", "cytoscape": "cyjs", "csv": "", "neo4j": "", "parquet": "",
          "xlsx": "xlsx"}


@pytest.mark.parametrize("export_format", list(SUFFIX))
@pytest.mark.parametrize("case", list(CASES))
def test_every_format_carries_only_the_records_about_its_entities(run_cli, tmp_path,
                                                                 export_format, case):
    options, expected = CASES[case]
    out = tmp_path / (f"export.{SUFFIX[export_format]}" if SUFFIX[export_format] else "export")
    result = run_cli("export", "--format", export_format, *options, "--out", str(out),
                     "--json", data=FACTS)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["nodes"] == len(expected["entities"])
    assert records_in(export_format, out) == expected_records(expected)


@pytest.mark.parametrize("case", list(CASES))
def test_the_neo4j_bundle_links_only_what_it_holds(run_cli, tmp_path, case):
    # A kept record that also names an entity left out must not leave a relationship to a
    # node the bundle lacks (neo4j-admin would refuse the import).
    options, _ = CASES[case]
    out = tmp_path / "bundle"
    assert run_cli("export", "--format", "neo4j", *options, "--out", str(out),
                   data=FACTS).exit_code == 0
    ids: set[str] = set()
    for nodes in out.glob("nodes-*.csv"):
        with nodes.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            column = next(index for index, name in enumerate(header) if ":ID(" in name)
            ids.update(row[column] for row in reader)
    ends = []
    for rels in out.glob("rels-*.csv"):
        with rels.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader)
            start = next(index for index, name in enumerate(header) if ":START_ID" in name)
            end = next(index for index, name in enumerate(header) if ":END_ID" in name)
            ends.extend((row[start], row[end]) for row in reader)
    assert ends
    assert {node for pair in ends for node in pair} <= ids


def test_the_neo4j_bundle_links_a_kept_record_to_its_exported_entities(run_cli, tmp_path):
    # --relation company-developed-model exports openco and model-nine: the 2019 round
    # links to openco (company) but not to fundx (investor, not exported).
    out = tmp_path / "bundle"
    assert run_cli("export", "--format", "neo4j", "--relation", "company-developed-model",
                   "--out", str(out), data=FACTS).exit_code == 0
    company = read_csv_ids(out / "rels-rounds-company.csv", ":START_ID(Round)")
    assert company == ["openco-2019-fundx", "openco-middle-east-sought"]
    assert not (out / "rels-rounds-investors.csv").exists()
    events = read_csv_ids(out / "rels-events-participants.csv", ":END_ID(Entity)")
    assert events == ["openco"]  # model-nine-released's participant


def test_the_neo4j_bundle_links_the_exported_members_of_a_list():
    # A kept round whose investors are partly exported links to those that are.
    import networkx as nx

    from graphkit.export.neo4j import neo4j_files

    graph = nx.MultiDiGraph(sources={"a.txt": {}}, rounds=[
        {"id": "r1", "company": "acme", "investors": ["fundx", "gone"],
         "sources": [{"doc": "a.txt", "quote": "q"}]}])
    for node in ("acme", "fundx"):
        graph.add_node(node, name=node.title(), type="company", aliases=[])
    files = neo4j_files(graph)
    rows = list(csv.reader(files["rels-rounds-investors.csv"].decode("utf-8").splitlines()))
    assert [row[:2] for row in rows[1:]] == [["r1", "fundx"]]
