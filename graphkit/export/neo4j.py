"""The Neo4j bundle: a folder ready for ``neo4j-admin database import`` and for ``LOAD CSV``
(``load.cypher``), which embedded Cypher engines (LadybugDB, Kùzu) also ``COPY`` as it is.

- ``nodes-entities.csv``: one node per entity, labelled ``Entity`` and its type
  (``Entity;Person``); ``nodes-documents.csv`` (label ``Document``) and one node file per
  kind of record the dataset keeps (``nodes-cohorts.csv``, label ``Cohort``; figures, rounds
  and events likewise).
- ``rels-RELATION.csv``: one file and one relationship type per relation
  (``person-left-company`` is ``PERSON_LEFT_COMPANY``), one relationship per claim.
- ``rels-KIND-FIELD.csv``: a record's links to the entities it names (``COHORT_MEMBERS``,
  ``COHORT_FROM``, ...) and to the documents it cites (``COHORT_CITES``, with the quote).

Headers are typed the neo4j-admin way (``id:ID(Entity)``, ``:LABEL``, ``:START_ID(Entity)``,
``:END_ID(Entity)``, ``:TYPE``, ``date_start:date``, ``count:long``,
``amount_value:double``, ``...:boolean``); a column without a type is a string.  Each file
starts with its identifying columns, then the properties, so a positional ``COPY`` reads
it too.  Lists are JSON text plus ``NAME_text`` (Neo4j and LadybugDB read arrays
differently); dates are ``NAME_start``/``NAME_end`` (``:date``) plus ``NAME_precision``.
The files are plain UTF-8 without a byte-order mark, cells as they are (no spreadsheet
neutralising: this is for databases).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from graphkit.data.schema import RECORD_KINDS, entity_fields
from graphkit.export.records import BOOLEAN, DATE, INTEGER, NUMBER, Table, export_tables

if TYPE_CHECKING:
    import networkx as nx

ENTITY = "Entity"
DOCUMENT = "Document"
_NEO4J_TYPES = {DATE: "date", INTEGER: "long", NUMBER: "double", BOOLEAN: "boolean"}
# The edge columns the relationship files do not repeat (they are its ends and its type).
_EDGE_ENDS = ("id", "source", "source_name", "target", "target_name", "relation")


@dataclass(frozen=True)
class Column:
    """One column of a bundle file: its neo4j-admin header, the property it fills (None for
    the ends of a relationship) and its type (``string``, ``date``, ...)."""

    header: str
    name: str | None
    kind: str
    source: str  # the key of the row dict it is read from


@dataclass(frozen=True)
class BundleFile:
    """One CSV file of the bundle: a node file (``label``) or a relationship file (``type``,
    between ``start`` and ``end`` labels)."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[dict, ...]
    label: str | None = None
    type: str | None = None
    start: str | None = None
    end: str | None = None


def relationship_type(name: str) -> str:
    """The relationship type of a relation or link: upper case, ``_`` for ``-``.

    >>> relationship_type("person-left-company")
    'PERSON_LEFT_COMPANY'
    """
    return name.upper().replace("-", "_")


def record_label(table: str) -> str:
    """The node label of a kind of record: ``cohorts`` is ``Cohort``.

    >>> record_label("cohorts"), record_label("documents")
    ('Cohort', 'Document')
    """
    singular = table[:-1] if table.endswith("s") else table
    return "".join(part.capitalize() for part in singular.replace("_", "-").split("-"))


def entity_label(entity_type: str) -> str:
    """The label an entity type adds to ``Entity``.

    >>> entity_label("person")
    'Person'
    """
    return record_label(entity_type + "s")


def _typed_header(column: str, kind: str) -> str:
    return f"{column}:{_NEO4J_TYPES[kind]}" if kind in _NEO4J_TYPES else column


def _property_columns(table: Table, skip: tuple[str, ...], rows) -> list[Column]:
    used = {column for row in rows for column in row}
    return [Column(_typed_header(column, table.types[column]), column, table.types[column],
                   column)
            for column in table.columns if column not in skip and column in used]


def bundle_files(graph: nx.MultiDiGraph) -> list[BundleFile]:
    """Every file of the bundle, in a fixed order: node files, then relationship files.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph(sources={}, cohorts=[])
    >>> graph.add_node("a", name="A", type="person", aliases=[])
    >>> graph.add_node("b", name="B", type="company", aliases=[])
    >>> graph.add_edge("a", "b", key="r/0", relation="person-left-company", date="2024")
    'r/0'
    >>> [(file.name, file.label or file.type) for file in bundle_files(graph)]
    [('nodes-entities.csv', 'Entity'), ('rels-person-left-company.csv', 'PERSON_LEFT_COMPANY')]
    """
    tables = export_tables(graph)
    nodes = tables["nodes"]
    entity_rows = tuple({**row, ":LABEL": f"{ENTITY};{entity_label(str(row.get('type')))}"}
                        for row in nodes.rows)
    files = [BundleFile(
        "nodes-entities.csv",
        (Column(f"id:ID({ENTITY})", "id", "string", "id"),
         Column(":LABEL", None, "string", ":LABEL"),
         *_property_columns(nodes, ("id",), nodes.rows)),
        entity_rows, label=ENTITY)]
    records = [(name, table) for name, table in tables.items()
               if name not in ("nodes", "edges")]
    for name, table in records:
        if not table.rows:
            continue
        key = "doc" if name == "documents" else "id"
        label = record_label(name)
        files.append(BundleFile(
            f"nodes-{name}.csv",
            (Column(f"{key}:ID({label})", key, "string", key),
             *_property_columns(table, (key,), table.rows)),
            table.rows, label=label))
    edges = tables["edges"]
    by_relation: dict[str, list[dict]] = {}
    for row in edges.rows:
        by_relation.setdefault(str(row.get("relation")), []).append(row)
    for relation in sorted(by_relation):
        rows = by_relation[relation]
        files.append(BundleFile(
            f"rels-{relation}.csv",
            (Column(f":START_ID({ENTITY})", None, "string", "source"),
             Column(f":END_ID({ENTITY})", None, "string", "target"),
             Column(":TYPE", None, "string", ":TYPE"),
             Column("id", "id", "string", "id"),
             *_property_columns(edges, _EDGE_ENDS, rows)),
            tuple({**row, ":TYPE": relationship_type(relation)} for row in rows),
            type=relationship_type(relation), start=ENTITY, end=ENTITY))
    documents = {row["doc"] for row in tables.get("documents", Table("", (), {}, ())).rows}
    for name, table in records:
        if name == "documents" or not table.rows:
            continue
        files.extend(_link_files(graph, name, documents))
    return files


def _link_files(graph: nx.MultiDiGraph, name: str, documents: set[str]) -> list[BundleFile]:
    """A record kind's links: to each entity a field names, and to each document it cites."""
    label = record_label(name)
    records = [record for record in graph.graph[name] if "id" in record]
    # The fields the schema says name entities (for a kind it does not know, a field whose
    # every value is an entity of the export); only the entities exported are linked, as a
    # filtered export keeps a record that also names entities it leaves out.
    known = entity_fields(name) if name in RECORD_KINDS else None
    fields: dict[str, list[tuple[str, str]]] = {}
    for record in records:
        for field, value in record.items():
            named = value if isinstance(value, list) else [value]
            if field == "id":
                continue
            if known is not None:
                named = [item for item in named if field in known and item in graph]
            elif not all(isinstance(item, str) and item in graph for item in named):
                continue
            if named:
                fields.setdefault(field, []).extend((record["id"], item) for item in named)
    files = []
    for field in sorted(fields):
        # A field only some records fill with entity ids is a link only where it does.
        kind = relationship_type(f"{label}-{field}")
        rows = tuple({"start": start, "end": end, ":TYPE": kind} for start, end in fields[field])
        files.append(BundleFile(
            f"rels-{name}-{field}.csv",
            (Column(f":START_ID({label})", None, "string", "start"),
             Column(f":END_ID({ENTITY})", None, "string", "end"),
             Column(":TYPE", None, "string", ":TYPE")),
            rows, type=kind, start=label, end=ENTITY))
    cites = []
    for record in records:
        for citation in record.get("sources") or []:
            if isinstance(citation, dict) and citation.get("doc") in documents:
                cites.append({"start": record["id"], "end": citation["doc"],
                              ":TYPE": relationship_type(f"{label}-cites"),
                              "quote": citation.get("quote")})
    if cites:
        kind = relationship_type(f"{label}-cites")
        files.append(BundleFile(
            f"rels-{name}-cites.csv",
            (Column(f":START_ID({label})", None, "string", "start"),
             Column(f":END_ID({DOCUMENT})", None, "string", "end"),
             Column(":TYPE", None, "string", ":TYPE"),
             Column("quote", "quote", "string", "quote")),
            tuple(cites), type=kind, start=label, end=DOCUMENT))
    return files


def _cell(value) -> str:
    import datetime

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def file_bytes(bundle_file: BundleFile) -> bytes:
    """One bundle file as UTF-8 CSV (RFC 4180 quoting, ``\\n`` line ends, no BOM).

    >>> file_bytes(BundleFile("x.csv", (Column("id:ID(Entity)", "id", "string", "id"),),
    ...                       ({"id": "a"},)))
    b'id:ID(Entity)\\na\\n'
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.header for column in bundle_file.columns])
    for row in bundle_file.rows:
        writer.writerow([_cell(row.get(column.source)) for column in bundle_file.columns])
    return buffer.getvalue().encode("utf-8")


def load_cypher(files: list[BundleFile], entity_types: list[str]) -> str:
    """``load.cypher``: the same bundle through ``LOAD CSV`` (files in Neo4j's import folder).

    >>> "CREATE CONSTRAINT" in load_cypher([], [])
    True
    """
    lines = ["// graphkit's Neo4j bundle through LOAD CSV: copy the CSV files into Neo4j's",
             "// import folder, then run this file (cypher-shell -f load.cypher).",
             f"CREATE CONSTRAINT graphkit_entity_id IF NOT EXISTS "
             f"FOR (n:{ENTITY}) REQUIRE n.id IS UNIQUE;"]
    for bundle_file in files:
        if bundle_file.label and bundle_file.label != ENTITY:
            key = bundle_file.columns[0].name
            lines.append(f"CREATE CONSTRAINT graphkit_{bundle_file.label.lower()}_{key} "
                         f"IF NOT EXISTS FOR (n:{bundle_file.label}) REQUIRE n.{key} IS UNIQUE;")
    for bundle_file in files:
        lines.append("")
        lines.append(f"LOAD CSV WITH HEADERS FROM 'file:///{bundle_file.name}' AS row")
        properties = [column for column in bundle_file.columns if column.name
                      and not column.header.startswith(("id:ID", "doc:ID"))]
        settings = ", ".join(f"x.{_name(column.name)} = {_convert(column)}"
                             for column in properties)
        if bundle_file.label:
            key = bundle_file.columns[0]
            lines.append(f"CREATE (x:{bundle_file.label} "
                         f"{{{_name(key.name)}: row.`{key.header}`}})")
        else:
            start, end = bundle_file.columns[0], bundle_file.columns[1]
            start_key = "doc" if bundle_file.start == DOCUMENT else "id"
            end_key = "doc" if bundle_file.end == DOCUMENT else "id"
            lines.append(f"MATCH (a:{bundle_file.start} {{{start_key}: row.`{start.header}`}}), "
                         f"(b:{bundle_file.end} {{{end_key}: row.`{end.header}`}})")
            lines.append(f"CREATE (a)-[x:{bundle_file.type}]->(b)")
        if settings:
            lines.append(f"SET {settings}")
        lines[-1] += ";"
    for entity_type in entity_types:
        lines.append(f"MATCH (n:{ENTITY} {{type: {json.dumps(entity_type)}}}) "
                     f"SET n:{entity_label(entity_type)};")
    return "\n".join(lines) + "\n"


def _name(name: str) -> str:
    """A property name, always quoted: ``from``, ``to`` and ``count`` are Cypher words."""
    return f"`{name}`"


def _convert(column: Column) -> str:
    value = f"row.`{column.header}`"
    return {"date": f"date({value})", "integer": f"toInteger({value})",
            "number": f"toFloat({value})", "boolean": f"toBoolean({value})"}.get(column.kind,
                                                                               value)


def import_command(files: list[BundleFile]) -> str:
    """The ``neo4j-admin database import`` command line for the bundle's files.

    >>> import_command([BundleFile("nodes-entities.csv", (), (), label="Entity")])
    'neo4j-admin database import full neo4j --multiline-fields=true --nodes=nodes-entities.csv'
    """
    # Quotes and notes may hold line breaks inside their quoted cells.
    parts = ["neo4j-admin database import full neo4j --multiline-fields=true"]
    for bundle_file in files:
        option = "--nodes" if bundle_file.label else "--relationships"
        parts.append(f"{option}={bundle_file.name}")
    return " ".join(parts)


def neo4j_files(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """The whole bundle, file name to bytes: the CSV files, ``load.cypher`` and ``README.md``.

    >>> import networkx as nx
    >>> sorted(neo4j_files(nx.MultiDiGraph()))
    ['README.md', 'load.cypher', 'nodes-entities.csv']
    """
    files = bundle_files(graph)
    entity_types = sorted({str(graph.nodes[node].get("type")) for node in graph})
    out = {bundle_file.name: file_bytes(bundle_file) for bundle_file in files}
    out["load.cypher"] = load_cypher(files, entity_types).encode("utf-8")
    out["README.md"] = _readme(files).encode("utf-8")
    return out


def _readme(files: list[BundleFile]) -> str:
    kinds = "\n".join(f"- `{bundle_file.name}`: "
                      + (f"nodes labelled `{bundle_file.label}`" if bundle_file.label
                         else f"`{bundle_file.type}` relationships "
                              f"(`{bundle_file.start}` to `{bundle_file.end}`)")
                      for bundle_file in files)
    return f"""# graphkit's Neo4j bundle

Made by `graphkit export --format neo4j`.  Every claim is one relationship, typed by its
relation; every entity is a node labelled `Entity` and its type.

{kinds}

## neo4j-admin (an empty database, fastest)

Copy these files into Neo4j's `import` folder, stop the database, then from that folder:

    {import_command(files)}

## LOAD CSV (an existing database)

Copy the CSV files into Neo4j's `import` folder, then:

    cypher-shell -f load.cypher

Dates are `NAME_start`/`NAME_end` (Neo4j `date`) plus `NAME_precision` (`year`, `month` or
`day`); lists are JSON text plus a readable `NAME_text`; sources are JSON text of
`{{"doc", "quote"}}` plus `sources_text`.
"""
