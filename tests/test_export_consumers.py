"""Exports opened by the real consumers that install from PyPI: XML Schema validation
(xmlschema), Gephi's view of the GEXF (edge kinds, combined claims), the Neo4j bundle in
LadybugDB, Parquet in DuckDB, XLSX in openpyxl, Cytoscape.js JSON, and ``graphkit cypher``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import warnings
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import duckdb
import networkx as nx
import openpyxl
import pytest
import xmlschema

from graphkit.data.locate import bundled_data_dir
from graphkit.data.relations import RELATIONS
from graphkit.export import export_graph, gexf_bytes, graphml_bytes
from graphkit.export.cypherdb import load_bundle, run_query
from graphkit.export.neo4j import bundle_files
from graphkit.query.flow import compute_flow
from graphkit.store.graph import load_graph

SCHEMAS = Path(__file__).parent / "schemas"
GEXF = "{http://gexf.net/1.3}"


@pytest.fixture(scope="module")
def bundled():
    return load_graph(bundled_data_dir())


# The official schema files, as the Debian package libjgrapht-java ships them (see
# tests/schemas/README.md), loaded with no network: ``allow="sandbox"`` lets xmlschema read
# only the files beside them (graphml.xsd imports xlink.xsd, gexf.xsd imports viz.xsd).
OFFICIAL = {"graphml.xsd", "xlink.xsd", "gexf.xsd", "viz.xsd"}
GEXF_1_2 = "http://www.gexf.net/1.2draft"


def official_schema(source) -> xmlschema.XMLSchema:
    with warnings.catch_warnings():  # an import that fails is an error, not a warning
        warnings.simplefilter("error", xmlschema.XMLSchemaImportWarning)
        return xmlschema.XMLSchema(source, base_url=str(SCHEMAS), allow="sandbox")


def gexf_1_3_schema_text() -> str:
    """The official GEXF 1.2draft schema with the three changes GEXF 1.3 makes to what
    graphkit writes: the namespace ``http://gexf.net/1.3``, ``version="1.3"``, and the edge
    attribute ``kind`` (1.3's way to tell parallel edges apart, which Gephi reads as the
    edge type).  Nothing else is touched, and each change must apply exactly once."""
    text = (SCHEMAS / "gexf.xsd").read_text(encoding="utf-8")
    for old, new in ((f'"{GEXF_1_2}"', '"http://gexf.net/1.3"'),
                     ('<xs:enumeration value="1.2"/>', '<xs:enumeration value="1.3"/>'),
                     ('<xs:attribute name="label" type="xs:token"/>\n'
                      '    <xs:attribute name="source"',
                      '<xs:attribute name="label" type="xs:token"/>\n'
                      '    <xs:attribute name="kind" type="xs:token"/>\n'
                      '    <xs:attribute name="source"')):
        count = 2 if old.startswith('"') else 1  # targetNamespace and xmlns:ns1
        assert text.count(old) == count, old
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def graphml_schema():
    return official_schema(str(SCHEMAS / "graphml.xsd"))


@pytest.fixture(scope="module")
def gexf_schema():
    return official_schema(gexf_1_3_schema_text())


def errors(schema, data: bytes) -> list[str]:
    return [error.reason for error in schema.iter_errors(data.decode("utf-8"))]


# -- schema-valid XML ---------------------------------------------------------------------


def test_graphml_and_gexf_of_the_bundled_data_are_schema_valid(bundled, graphml_schema,
                                                               gexf_schema):
    assert errors(graphml_schema, graphml_bytes(bundled)) == []
    assert errors(gexf_schema, gexf_bytes(bundled)) == []


def test_hostile_and_tiny_graphs_are_schema_valid(tiny_graph, graphml_schema, gexf_schema):
    graph = nx.MultiDiGraph(tiny_graph)
    graph.nodes["bob"]["aliases"] = ["]]> & <x>", "=SUM(A1)", "line\nbreak"]
    for each in (tiny_graph, graph):
        assert errors(graphml_schema, graphml_bytes(each)) == []
        assert errors(gexf_schema, gexf_bytes(each)) == []


def test_the_schemas_catch_what_the_old_exports_got_wrong(bundled, graphml_schema, gexf_schema):
    # Edge ids holding '/' are no XML name tokens: the 137 errors GraphML used to have.
    root = ET.fromstring(graphml_bytes(bundled))
    edge = root.find("{http://graphml.graphdrawing.org/xmlns}graph/"
                     "{http://graphml.graphdrawing.org/xmlns}edge")
    edge.set("id", "person-left-company/0")
    assert any("NMTOKEN" in reason or "person-left-company/0" in reason
               for reason in errors(graphml_schema, ET.tostring(root)))
    # A weight that is not a number, an edge with no id, a GEXF of another version.
    # (Neither official schema ties an edge's ends to its nodes: tests/test_export.py checks
    # that for both formats.)
    gexf = gexf_bytes(bundled)
    assert errors(gexf_schema, gexf.replace(b'weight="1.0"', b'weight="one"', 1))
    assert errors(gexf_schema, re.sub(rb'<edge id="[^"]*"', b"<edge", gexf, count=1))
    assert errors(gexf_schema, gexf.replace(b'version="1.3"', b'version="1.2"'))
    # An edge kind is 1.3's: the official 1.2draft schema, as shipped, refuses it.
    draft = official_schema(str(SCHEMAS / "gexf.xsd"))
    as_draft = gexf.replace(b"http://gexf.net/1.3", GEXF_1_2.encode()).replace(
        b'version="1.3"', b'version="1.2"')
    assert {reason for reason in errors(draft, as_draft)} == {
        "'kind' attribute not allowed for element"}


def test_the_schema_files_are_the_official_ones_unchanged():
    # tests/schemas/README.md says where each file comes from; SHA256SUMS pins them.
    sums = dict(reversed(line.split()) for line in
                (SCHEMAS / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == OFFICIAL == {path.name for path in SCHEMAS.glob("*.xsd")}
    for name, digest in sums.items():
        assert hashlib.sha256((SCHEMAS / name).read_bytes()).hexdigest() == digest, name


def test_schemas_are_read_offline():
    # A schema that imports from the network is refused, not fetched.
    remote = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
              '<xs:import namespace="urn:x" schemaLocation="http://example.invalid/x.xsd"/>'
              "</xs:schema>")
    with pytest.raises(xmlschema.XMLSchemaImportWarning,
                       match="block access to remote resource http://example.invalid"):
        official_schema(remote)


# -- what a Gephi user sees ---------------------------------------------------------------


def gephi_view(data: bytes) -> list[dict]:
    """What Gephi's GEXF importer takes from each edge (ImporterGEXF reads source, target,
    kind as the edge type, label, weight), plus its claims."""
    root = ET.fromstring(data)
    graph = root.find(f"{GEXF}graph")
    titles = {attribute.get("id"): attribute.get("title")
              for attributes in graph.findall(f"{GEXF}attributes") for attribute in attributes}
    edges = []
    for edge in graph.iter(f"{GEXF}edge"):
        values = {titles[value.get("for")]: value.get("value")
                  for value in edge.iter(f"{GEXF}attvalue")}
        edges.append({"source": edge.get("source"), "target": edge.get("target"),
                      "kind": edge.get("kind"), "label": edge.get("label"),
                      "weight": float(edge.get("weight")), **values})
    return edges


def test_gephi_keeps_every_claim(bundled):
    edges = gephi_view(gexf_bytes(bundled))
    # Gephi merges edges with the same ends and type: here no two edges share them ...
    ends = Counter((edge["source"], edge["target"], edge["kind"]) for edge in edges)
    assert max(ends.values()) == 1
    # ... and every claim of the data is listed, once, in the edge of its relation.
    listed = [claim["id"] for edge in edges for claim in json.loads(edge["claims_json"])]
    assert sorted(listed) == sorted(key for _, _, key in bundled.edges(keys=True))
    assert sum(edge["weight"] for edge in edges) == bundled.number_of_edges() == 153
    distinct = {(source, target, data["relation"])
                for source, target, data in bundled.edges(data=True)}
    assert len(edges) == len(distinct)
    # Different relations between one pair stay apart, each with a readable label.
    ilya = {edge["kind"]: edge["label"] for edge in edges
            if (edge["source"], edge["target"]) == ("ilya-sutskever", "openai")}
    assert len(ilya) >= 2
    assert all(label == RELATIONS[kind].verb for kind, label in ilya.items())


def test_claims_of_one_relation_between_one_pair_become_one_edge():
    graph = nx.MultiDiGraph()
    graph.add_node("microsoft", name="Microsoft", type="company", aliases=[])
    graph.add_node("openai", name="OpenAI", type="company", aliases=[])
    for key, stated, value, doc in (("company-invested-in/0", "100亿美元", 1e10, "a.txt"),
                                    ("company-invested-in/1", "130亿美元", 1.3e10, "b.txt")):
        graph.add_edge("microsoft", "openai", key=key, relation="company-invested-in",
                       amount={"as_stated": stated, "value": value, "currency": "USD"},
                       sources=[{"doc": doc, "quote": stated}])
    graph.add_edge("microsoft", "openai", key="company-partnered-with/0",
                   relation="company-partnered-with", date="2019",
                   sources=[{"doc": "a.txt", "quote": "partner"}])
    edges = {edge["kind"]: edge for edge in gephi_view(gexf_bytes(graph))}
    assert sorted(edges) == ["company-invested-in", "company-partnered-with"]
    invested = edges["company-invested-in"]
    assert (invested["label"], invested["weight"], invested["claims"]) == (
        "invested in", 2.0, "2")
    assert invested["claim_ids"] == "company-invested-in/0 | company-invested-in/1"
    assert invested["amount_as_stated"] == "100亿美元 | 130亿美元"
    assert invested["amount_currency"] == "USD"
    assert [item["doc"] for item in json.loads(invested["sources"])] == ["a.txt", "b.txt"]
    assert [claim["amount_value"] for claim in json.loads(invested["claims_json"])] == [
        1e10, 1.3e10]
    assert edges["company-partnered-with"]["weight"] == 1.0
    nodes = {node.get("id"): node.get("label")
             for node in ET.fromstring(gexf_bytes(graph)).iter(f"{GEXF}node")}
    assert nodes == {"microsoft": "Microsoft", "openai": "OpenAI"}


# -- Neo4j bundle, loaded into LadybugDB ----------------------------------------------------


def test_the_neo4j_bundle_has_typed_headers_and_a_type_per_relation(bundled, tmp_path):
    folder = tmp_path / "neo4j"
    export_graph(bundled, "neo4j", folder)
    names = sorted(path.name for path in folder.iterdir())
    relations = {data["relation"] for _, _, data in bundled.edges(data=True)}
    assert {f"rels-{relation}.csv" for relation in relations} <= set(names)
    assert {"nodes-entities.csv", "nodes-documents.csv", "nodes-cohorts.csv",
            "rels-cohorts-members.csv", "rels-cohorts-cites.csv", "load.cypher",
            "README.md"} <= set(names)
    header = (folder / "nodes-entities.csv").read_text("utf-8").splitlines()[0]
    assert header.startswith("id:ID(Entity),:LABEL,name,type,")
    left = (folder / "rels-person-left-company.csv").read_text("utf-8").splitlines()
    assert left[0].startswith(":START_ID(Entity),:END_ID(Entity),:TYPE,id,date_start:date,"
                              "date_end:date,date_precision,")
    assert all(",PERSON_LEFT_COMPANY," in line for line in left[1:])
    invested = (folder / "rels-company-invested-in.csv").read_text("utf-8").splitlines()[0]
    assert "amount_value:double" in invested
    assert "count:long" in (folder / "nodes-cohorts.csv").read_text("utf-8").splitlines()[0]
    assert "Entity;Person" in (folder / "nodes-entities.csv").read_text("utf-8")
    cypher = (folder / "load.cypher").read_text("utf-8")
    assert "CREATE (a)-[x:PERSON_LEFT_COMPANY]->(b)" in cypher
    assert "x.`date_start` = date(row.`date_start:date`)" in cypher
    assert "x.`count` = toInteger(row.`count:long`)" in cypher
    assert "SET n:Person;" in cypher
    readme = (folder / "README.md").read_text("utf-8")
    assert ("neo4j-admin database import full neo4j --multiline-fields=true "
            "--nodes=nodes-entities.csv") in readme


def test_ladybugdb_imports_the_bundle_and_finds_the_shortest_path(bundled, tmp_path):
    folder = tmp_path / "neo4j"
    export_graph(bundled, "neo4j", folder)
    database = load_bundle(folder, tmp_path / "graph.lbdb")
    columns, rows = run_query(database, """
        MATCH p = (a:Entity {id: 'ilya-sutskever'})-[* SHORTEST 1..6]-(b:Entity {id: 'microsoft'})
        RETURN length(p) AS hops, list_transform(nodes(p), x -> x.name) AS names""")
    assert columns == ["hops", "names"]
    assert rows == [[2, ["Ilya Sutskever", "OpenAI", "Microsoft"]]]
    # Every entity, claim, document and cohort arrived, with typed properties.
    assert run_query(database, "MATCH (e:Entity) RETURN count(*)")[1] == [[103]]
    assert run_query(database, "MATCH (:Entity)-[r]->(:Entity) RETURN count(*)")[1] == [[153]]
    assert run_query(database, "MATCH (d:Document) RETURN count(*)")[1] == [[5]]
    _, members = run_query(database, "MATCH (c:Cohort {id: 'openai-departures-2024'})"
                                     "-[:COHORT_MEMBERS]->(p) RETURN p.name ORDER BY p.name")
    assert members == [["Ilya Sutskever"], ["Mira Murati"]]
    _, left = run_query(database, "MATCH (:Entity {id: 'david-luan'})-[r:PERSON_LEFT_COMPANY]"
                                  "->(:Entity {id: 'openai'}) "
                                  "RETURN r.date_start, r.date_precision")
    assert left == [["2020-09-01", "month"]]


# -- Parquet in DuckDB, XLSX in openpyxl, Cytoscape.js ------------------------------------


def test_duckdb_reads_the_parquet_and_reproduces_flows_top_pair(bundled, tmp_path):
    folder = tmp_path / "parquet"
    export_graph(bundled, "parquet", folder)
    top = compute_flow(bundled)["pairs"][0]
    moves = str(folder / "moves.parquet")
    pair = duckdb.sql(f"""SELECT "from", "to", sum(count) AS moves, sum(foundings) AS foundings
                          FROM '{moves}' GROUP BY ALL ORDER BY moves DESC LIMIT 1""").fetchall()
    assert pair == [(top["from"], top["to"], top["moves"], top["foundings"])]
    # Typed columns: dates are dates, amounts doubles, cohort counts integers.
    edges = {row[0]: row[1] for row in duckdb.sql(
        f"DESCRIBE SELECT * FROM '{folder / 'edges.parquet'}'").fetchall()}
    assert (edges["date_start"], edges["date_end"], edges["amount_value"]) == (
        "DATE", "DATE", "DOUBLE")
    assert duckdb.sql(f"""SELECT count(*) FROM '{folder / 'edges.parquet'}'
                          WHERE relation = 'person-left-company' AND target = 'openai'
                          AND date_start >= DATE '2024-01-01'""").fetchall()[0][0] > 0
    assert duckdb.sql(f"SELECT sum(count) FROM '{folder / 'cohorts.parquet'}'"
                      ).fetchall()[0][0] == sum(cohort.get("count", 0) for cohort in
                                             bundled.graph["cohorts"])
    assert duckdb.sql(f"SELECT count(*) FROM '{folder / 'documents.parquet'}'"
                      ).fetchall()[0][0] == 5


def test_the_workbook_has_a_sheet_per_kind_with_real_dates(bundled, tmp_path):
    graph = nx.MultiDiGraph(bundled)
    graph.nodes["openai"]["aliases"] = ["=HYPERLINK(\"http://x\")"]
    target = tmp_path / "g.xlsx"
    export_graph(graph, "xlsx", target)
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["nodes", "edges", "documents", "cohorts", "events",
                                  "figures", "rounds", "moves"]
    edges = workbook["edges"]
    header = [cell.value for cell in edges[1]]
    luan = next(row for row in edges.iter_rows(min_row=2, values_only=True)
                if row[header.index("source")] == "david-luan"
                and row[header.index("target")] == "openai"
                and row[header.index("relation")] == "person-left-company")
    assert luan[header.index("date_start")] == datetime.datetime(2020, 9, 1)
    assert luan[header.index("date_precision")] == "month"
    nodes = workbook["nodes"]
    header = [cell.value for cell in nodes[1]]
    openai = next(row for row in nodes.iter_rows(min_row=2) if row[0].value == "openai")
    cell = openai[header.index("aliases_text")]
    # Text stays text: never a formula a spreadsheet would run.
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x")', "s")
    assert export_graph(graph, "xlsx", tmp_path / "again.xlsx") and (
        (tmp_path / "again.xlsx").read_bytes() == target.read_bytes())


def test_cytoscape_elements(bundled, tmp_path):
    target = tmp_path / "g.cyjs"
    export_graph(bundled, "cytoscape", target)
    document = json.loads(target.read_text("utf-8"))
    nodes, edges = document["elements"]["nodes"], document["elements"]["edges"]
    assert len(nodes) == 103 and len(edges) == 153
    ids = [element["data"]["id"] for element in nodes + edges]
    assert len(set(ids)) == len(ids)
    openai = next(node["data"] for node in nodes if node["data"]["id"] == "openai")
    assert (openai["name"], openai["label"], openai["type"]) == ("OpenAI", "OpenAI", "company")
    node_ids = {node["data"]["id"] for node in nodes}
    assert all({edge["data"]["source"], edge["data"]["target"]} <= node_ids for edge in edges)
    assert all(edge["data"]["interaction"] == edge["data"]["relation"] for edge in edges)
    # Nothing nested: each value is one Cytoscape table column.
    assert all(not isinstance(value, dict | list) for element in nodes + edges
               for value in element["data"].values())
    assert len(document["graphkit"]["documents"]) == 5
    assert document["graphkit"]["cohorts"] == bundled.graph["cohorts"]


# -- every kind of record in every format ---------------------------------------------------


def test_a_new_kind_of_record_reaches_every_format(tiny_graph, tmp_path):
    graph = nx.MultiDiGraph(tiny_graph)
    graph.graph["figures"] = [{"id": "acme-valuation-2024", "entity": "acme",
                               "metric": "valuation", "date": "2024-10",
                               "quantity": {"as_stated": "=1亿", "value": 1e8, "unit": "USD"},
                               "sources": [{"doc": "a.txt", "quote": "Acme"}]}]
    export_graph(graph, "csv", tmp_path / "csv")
    figures = (tmp_path / "csv" / "figures.csv").read_text("utf-8-sig").splitlines()
    assert figures[0].startswith("id,entity,metric,date_start,date_end,date_precision,")
    assert "'=1亿" in figures[1]  # neutralised in CSV
    export_graph(graph, "parquet", tmp_path / "pq")
    assert duckdb.sql(f"SELECT entity, quantity_value, date_start FROM "
                      f"'{tmp_path / 'pq' / 'figures.parquet'}'").fetchall() == [
        ("acme", 1e8, datetime.date(2024, 10, 1))]
    export_graph(graph, "xlsx", tmp_path / "g.xlsx")
    assert "figures" in openpyxl.load_workbook(tmp_path / "g.xlsx").sheetnames
    export_graph(graph, "neo4j", tmp_path / "neo4j")
    assert (tmp_path / "neo4j" / "nodes-figures.csv").read_text("utf-8").startswith(
        "id:ID(Figure),entity,metric,date_start:date")
    assert "acme-valuation-2024,acme,FIGURE_ENTITY" in (
        tmp_path / "neo4j" / "rels-figures-entity.csv").read_text("utf-8")
    export_graph(graph, "cytoscape", tmp_path / "g.cyjs")
    assert json.loads((tmp_path / "g.cyjs").read_text("utf-8"))["graphkit"]["figures"] == (
        graph.graph["figures"])
    assert [file.label for file in bundle_files(graph) if file.label] == [
        "Entity", "Document", "Cohort", "Figure"]


def test_filtered_exports_drop_the_entities_they_isolate(run_cli, tmp_path):
    data = bundled_data_dir()
    for extra, expected in (((), 15), (("--keep-isolated",), 103)):
        result = run_cli("export", "--format", "json", "--out", str(tmp_path / "g.json"),
                         "--relation", "person-left-company", *extra, "--json", data=data)
        assert result.exit_code == 0, result.output
        assert (json.loads(result.output)["nodes"], json.loads(result.output)["edges"]) == (
            expected, 14)


# -- graphkit cypher ------------------------------------------------------------------------


def test_cypher_answers_from_a_database_built_once(run_cli, tiny_copy):
    query = ("MATCH (p:Entity)-[:PERSON_LEFT_COMPANY]->(c:Entity {id: 'acme'}) "
             "RETURN p.name AS name ORDER BY name")
    result = run_cli("cypher", query, data=tiny_copy)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].rstrip() == "name"
    names = [line.strip() for line in result.output.splitlines()[2:]]
    answer = run_cli("cypher", query, "--json", data=tiny_copy)
    document = json.loads(answer.output)
    assert document["columns"] == ["name"] and [row[0] for row in document["rows"]] == names
    assert names and names == sorted(names)
    from graphkit.store.cache import open_store

    folder = Path(open_store(tiny_copy).folder)
    [database] = list(folder.glob("cypher-*.lbdb"))
    built = database.stat().st_mtime_ns
    assert run_cli("cypher", query, data=tiny_copy).exit_code == 0
    assert database.stat().st_mtime_ns == built
    # A database that does not match its digest is rebuilt, not believed.
    with open(database, "r+b") as stream:
        stream.seek(4096)
        stream.write(b"\xff" * 16)
    again = run_cli("cypher", query, "--json", data=tiny_copy)
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["rows"] == document["rows"]
    assert database.stat().st_mtime_ns != built


def test_cypher_errors_are_clear(run_cli, monkeypatch):
    broken = run_cli("cypher", "MATCH (n RETURN n")
    assert broken.exit_code == 2
    assert broken.output.startswith("Error: the query failed: Parser exception")
    assert "Traceback" not in broken.output
    write = run_cli("cypher", "CREATE (:Entity {id: 'x'})")
    assert write.exit_code == 2 and "read-only" in write.output
    empty = run_cli("cypher", "MATCH (e:Entity {id: 'nobody'}) RETURN e.name")
    assert empty.exit_code == 1
    import builtins

    real_import = builtins.__import__

    def no_ladybug(name, *args, **kwargs):
        if name == "ladybug":
            raise ImportError("no module named ladybug")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_ladybug)
    missing = run_cli("cypher", "MATCH (n) RETURN n")
    assert missing.exit_code == 2
    assert "pip install 'graphkit[cypher]'" in missing.output


def test_hostile_text_reaches_ladybugdb_and_duckdb_exactly(tmp_path):
    quote = 'He said "hi",\nthen ]]> & <left>; a|b, 微軟\r\nend\t'
    graph = nx.MultiDiGraph(sources={"d, \"q\".txt": {"title": "标题 <b>"}}, cohorts=[])
    graph.add_node("quote-co", type="company", name='Quote "Co", Ltd.',
                   aliases=["a,b", "line\nbreak", "=SUM(A1)", "微軟 | 微软"],
                   description="CR\r\nLF and tab\there; ends with a space ")
    graph.add_node("zhang", type="person", name="张爱丽", aliases=["😀", "&#13;"])
    graph.add_edge("zhang", "quote-co", key="zhang-joined-quote-co",
                   relation="person-joined-company", date="2023-05-02",
                   role='chief "AI" officer, <interim>',
                   sources=[{"doc": 'd, "q".txt', "quote": quote}])
    export_graph(graph, "neo4j", tmp_path / "neo4j")
    database = load_bundle(tmp_path / "neo4j", tmp_path / "g.lbdb")
    _, names = run_query(database, "MATCH (e:Entity) RETURN e.id, e.name, e.description "
                                   "ORDER BY e.id")
    assert names == [[node, graph.nodes[node]["name"], graph.nodes[node].get("description")]
                     for node in sorted(graph)]
    _, quotes = run_query(database, "MATCH ()-[r:PERSON_JOINED_COMPANY]->() "
                                    "RETURN r.sources, r.role")
    [(sources, role)] = quotes
    assert json.loads(sources)[0]["quote"] == quote
    assert role == 'chief "AI" officer, <interim>'
    export_graph(graph, "parquet", tmp_path / "pq")
    rows = duckdb.sql(f"SELECT id, name, aliases FROM '{tmp_path / 'pq' / 'nodes.parquet'}' "
                      "ORDER BY id").fetchall()
    assert [(ident, name, json.loads(aliases)) for ident, name, aliases in rows] == [
        (node, graph.nodes[node]["name"], graph.nodes[node]["aliases"])
        for node in sorted(graph)]


FACTS = Path(__file__).parent / "fixtures" / "facts"


def test_figures_rounds_events_and_modality_reach_every_format_that_can_carry_them(
        run_cli, tmp_path):
    graph = load_graph(FACTS)
    kinds = ("cohorts", "figures", "rounds", "events")
    counts = {kind: len(graph.graph[kind]) for kind in kinds}
    assert all(counts.values())

    def export(export_format: str, name: str) -> Path:
        target = tmp_path / name
        result = run_cli("export", "--format", export_format, "--out", str(target),
                         data=FACTS)
        assert result.exit_code == 0, result.output
        return target

    document = json.loads(export("json", "g.json").read_text("utf-8"))
    assert {kind: len(document["graph"][kind]) for kind in kinds} == counts
    cytoscape = json.loads(export("cytoscape", "g.cyjs").read_text("utf-8"))
    assert {kind: len(cytoscape["graphkit"][kind]) for kind in kinds} == counts
    folder = export("csv", "csv")
    for kind in kinds:
        lines = (folder / f"{kind}.csv").read_text("utf-8-sig").splitlines()
        assert len(lines) == counts[kind] + 1 and lines[0].startswith("id,")
    assert "modality" in (folder / "figures.csv").read_text("utf-8-sig").splitlines()[0]
    assert "modality" in (folder / "edges.csv").read_text("utf-8-sig").splitlines()[0]
    parquet = export("parquet", "pq")
    for kind in kinds:
        assert duckdb.sql(f"SELECT count(*) FROM '{parquet / f'{kind}.parquet'}'"
                          ).fetchall() == [(counts[kind],)]
    value = {row[0]: row[1] for row in duckdb.sql(
        f"DESCRIBE SELECT * FROM '{parquet / 'figures.parquet'}'").fetchall()}
    assert value["quantity_value"] == "DOUBLE" and value["date_start"] == "DATE"
    workbook = openpyxl.load_workbook(export("xlsx", "g.xlsx"))
    assert {kind: workbook[kind].max_row - 1 for kind in kinds} == counts
    bundle = export("neo4j", "neo4j")
    database = load_bundle(bundle, tmp_path / "facts.lbdb")
    for kind, label in (("figures", "Figure"), ("rounds", "Round"), ("events", "Event"),
                        ("cohorts", "Cohort")):
        assert run_query(database, f"MATCH (n:{label}) RETURN count(*)")[1] == [
            [counts[kind]]]
    _, investors = run_query(database, "MATCH (:Round)-[:ROUND_INVESTORS]->(i:Entity) "
                                       "RETURN i.id")
    named = sorted(investor for record in graph.graph["rounds"]
                   for investor in record.get("investors", ()))
    assert sorted(row[0] for row in investors) == named
