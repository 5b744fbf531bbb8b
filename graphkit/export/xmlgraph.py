"""GraphML and GEXF: the XML formats (Gephi, yEd, igraph, NetworkX)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from graphkit.data.dates import parse_date
from graphkit.errors import BadArgument
from graphkit.export.flatten import (
    EDGE_COLUMNS,
    LIST_SEPARATOR,
    NODE_COLUMNS,
    cell_text,
    column_order,
    column_type,
    flat_edge,
    flat_node,
    flat_tables,
    item_text,
    json_text,
    sorted_edges,
    sorted_nodes,
)

if TYPE_CHECKING:
    import networkx as nx

# igraph 1.0 reads GraphML edge ids wrongly (it fills them with node ids), so GraphML also
# carries the edge id as data.
GRAPHML_EDGE_ID = "edge_id"
GRAPHML_NAMESPACE = "http://graphml.graphdrawing.org/xmlns"
GRAPHML_SCHEMA = "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"
GEXF_NAMESPACE = "http://gexf.net/1.3"
GEXF_SCHEMA = "http://gexf.net/1.3/gexf.xsd"
# GraphML ids are XML name tokens (letters, digits, ``.``, ``-``, ``_``, ``:``).
_NMTOKEN = re.compile(r"[\w.:-]+")
# Columns of a Gephi edge that stand for its claims.
CLAIM_COLUMNS = ("claims", "claim_ids", "claims_json")
_XSI = "http://www.w3.org/2001/XMLSchema-instance"

# Characters outside XML 1.0's Char production (surrogates cannot reach here from JSON).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _check_xml_safe(graph: nx.MultiDiGraph, export_format: str) -> None:
    for node in sorted_nodes(graph):
        _check_xml_value(export_format, f"entity {node!r}", "id", node)
        for name, value in graph.nodes[node].items():
            _check_xml_value(export_format, f"entity {node!r}", name, value)
    for _, _, key, attributes in sorted_edges(graph):
        _check_xml_value(export_format, f"edge {key!r}", "id", key)
        for name, value in attributes.items():
            _check_xml_value(export_format, f"edge {key!r}", name, value)


def _check_xml_value(export_format: str, owner: str, field: str, value) -> None:
    if isinstance(value, dict):
        for part, part_value in value.items():
            _check_xml_value(export_format, owner, f"{field}.{part}", part_value)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_xml_value(export_format, owner, f"{field}[{index}]", item)
    elif isinstance(value, str) and (bad := _NOT_XML.search(value)):
        raise BadArgument(
            f"cannot export as {export_format}: {owner} field {field!r} holds the control "
            f"character U+{ord(bad.group()):04X}, which XML 1.0 cannot carry; remove it from "
            "the data, or export as json or csv")


def _xml_bytes(root) -> bytes:
    import xml.etree.ElementTree as ET

    ET.indent(root, space="  ")
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    # ElementTree writes a carriage return in text as is, and XML readers turn it into a
    # newline; as a character reference it survives.  Attribute values are already escaped
    # and markup holds none, so every raw CR left is text.
    return data.replace(b"\r", b"&#13;") + b"\n"


def graphml_bytes(graph: nx.MultiDiGraph) -> bytes:
    """``graph`` as GraphML (yEd, igraph, NetworkX), one edge per claim: the edge key is the
    edge ``id`` when it is an XML name token (else the edge's position, ``e0``, ...) and
    always the data ``edge_id``; nodes and edges also carry a ``label`` (the display name,
    the relation's verb), which Gephi and yEd show.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_edge("a", "b", key="ann-left-acme", relation="person-left-company")
    'ann-left-acme'
    >>> b'<edge id="ann-left-acme" source="a" target="b">' in graphml_bytes(graph)
    True
    """
    import xml.etree.ElementTree as ET

    _check_xml_safe(graph, "graphml")
    nodes, edges = flat_tables(graph)
    root = ET.Element("graphml", {"xmlns": GRAPHML_NAMESPACE, "xmlns:xsi": _XSI,
                                  "xsi:schemaLocation": f"{GRAPHML_NAMESPACE} {GRAPHML_SCHEMA}"})
    for record in nodes:
        record["label"] = record.get("name", record["id"])
    for position, record in enumerate(edges):
        record[GRAPHML_EDGE_ID] = record["id"]
        if "relation" in record:
            record["label"] = relation_label(str(record["relation"]))
        if not _NMTOKEN.fullmatch(str(record["id"])):
            # GraphML ids are name tokens: an id that is not one (the older RELATION/INDEX
            # keys) is written by position; edge_id keeps it as it is.
            record["id"] = f"e{position}"
    keys = {}
    for scope, known, records in (("node", (*NODE_COLUMNS, "label"), nodes),
                                  ("edge", (*EDGE_COLUMNS, GRAPHML_EDGE_ID, "label"), edges)):
        structural = {"id"} if scope == "node" else {"id", "source", "target"}
        for column in column_order(known, records):
            if column in structural:
                continue
            keys[scope, column] = f"d{len(keys)}"
            ET.SubElement(root, "key", {"id": keys[scope, column], "for": scope,
                                        "attr.name": column,
                                        "attr.type": column_type(column, records)})
    container = ET.SubElement(root, "graph", {"id": "graphkit", "edgedefault": "directed"})
    for record in nodes:
        element = ET.SubElement(container, "node", {"id": record["id"]})
        _graphml_data(element, "node", record, keys)
    for record in edges:
        element = ET.SubElement(container, "edge", {"id": record["id"],
                                                    "source": record["source"],
                                                    "target": record["target"]})
        _graphml_data(element, "edge", record, keys)
    return _xml_bytes(root)


def _graphml_data(element, scope: str, record: dict, keys: dict) -> None:
    import xml.etree.ElementTree as ET

    for (key_scope, column), key_id in keys.items():
        if key_scope == scope and column in record:
            ET.SubElement(element, "data", {"key": key_id}).text = cell_text(record[column])


def relation_label(relation: str) -> str:
    """How a relation reads on an edge: its verb (``left``, ``invested in``).

    >>> relation_label("person-left-company"), relation_label("something-else")
    ('left', 'something-else')
    """
    from graphkit.data.relations import RELATIONS

    known = RELATIONS.get(relation)
    return known.verb if known is not None else relation


def gephi_edges(graph: nx.MultiDiGraph) -> list[dict]:
    """The edges Gephi shows: one per source, target and relation, combining its claims.

    Gephi merges edges that share their ends and kind, keeping one edge's attributes; so
    each claim of the same relation between the same pair is listed in one edge:
    ``claims`` (how many, also the edge ``weight``), ``claim_ids``, ``claims_json`` (every
    claim's columns, exactly) and each column's value, or its different values joined by
    `` | `` when the claims disagree.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> for key, amount in (("r/0", "10亿"), ("r/1", "13亿")):
    ...     _ = graph.add_edge("m", "o", key=key, relation="r", amount_as_stated=amount)
    >>> [(edge["claims"], edge["amount_as_stated"]) for edge in gephi_edges(graph)]
    [(2, '10亿 | 13亿')]
    """
    return [record for record, _ in _gephi_edges(graph)]


def _gephi_edges(graph: nx.MultiDiGraph) -> list[tuple[dict, list[dict]]]:
    """Each Gephi edge's columns, with the claims (flat records) it combines."""
    groups: dict[tuple, list[dict]] = {}
    for edge in sorted_edges(graph):
        record = flat_edge(*edge)
        groups.setdefault((edge[0], edge[1], record.get("relation")), []).append(record)
    combined = []
    for claims in groups.values():
        record = dict(claims[0]) if len(claims) == 1 else _combined(claims)
        record["claims"] = len(claims)
        record["claim_ids"] = LIST_SEPARATOR.join(str(claim["id"]) for claim in claims)
        record["claims_json"] = json_text(claims)
        combined.append((record, claims))
    return combined


def _combined(claims: list[dict]) -> dict:
    record = {"id": claims[0]["id"], "source": claims[0]["source"],
              "target": claims[0]["target"]}
    columns = []
    for claim in claims:
        columns.extend(column for column in claim if column not in columns)
    for column in columns:
        if column in record:
            continue
        values = []
        for claim in claims:
            if column in claim and claim[column] not in values:
                values.append(claim[column])
        if column == "sources":
            merged = []
            for value in values:
                merged.extend(item for item in json.loads(value) if item not in merged)
            record[column] = json_text(merged)
        elif len(values) == 1:
            record[column] = values[0]
        else:
            record[column] = LIST_SEPARATOR.join(cell_text(value) for value in values)
    if "sources" in record:
        record["sources_text"] = LIST_SEPARATOR.join(
            item_text(item) for item in json.loads(record["sources"]))
    return record


def gexf_bytes(graph: nx.MultiDiGraph) -> bytes:
    """``graph`` as dynamic GEXF 1.3 for Gephi: nodes labelled with their display names; one
    edge per source, target and relation (:func:`gephi_edges`), its ``kind`` the relation
    (so Gephi keeps different relations between the same pair apart), its ``label`` the
    relation's verb, its ``weight`` the number of claims, and its time the span of them.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_edge("a", "b", key="r/0", relation="person-left-company", date="2023-02")
    'r/0'
    >>> b'kind="person-left-company" label="left" weight="1.0" start="2023-02-01"' in (
    ...     gexf_bytes(graph))
    True
    """
    import xml.etree.ElementTree as ET

    _check_xml_safe(graph, "gexf")
    nodes = [flat_node(graph, node) for node in sorted_nodes(graph)]
    combined = _gephi_edges(graph)
    edges = [record for record, _ in combined]
    root = ET.Element("gexf", {"xmlns": GEXF_NAMESPACE, "xmlns:xsi": _XSI,
                               "xsi:schemaLocation": f"{GEXF_NAMESPACE} {GEXF_SCHEMA}",
                               "version": "1.3"})
    ET.SubElement(ET.SubElement(root, "meta"), "creator").text = "graphkit"
    container = ET.SubElement(root, "graph", {"mode": "dynamic", "defaultedgetype": "directed",
                                              "timeformat": "date"})
    attribute_ids = {}
    for scope, known, records, structural in (
            ("node", NODE_COLUMNS, nodes, {"id", "name"}),
            ("edge", (*EDGE_COLUMNS, *CLAIM_COLUMNS), edges, {"id", "source", "target"})):
        declared = ET.SubElement(container, "attributes", {"class": scope})
        for column in column_order(known, records):
            if column in structural:
                continue
            attribute_ids[scope, column] = str(len(attribute_ids))
            kind = "integer" if column == "claims" else column_type(column, records)
            ET.SubElement(declared, "attribute", {"id": attribute_ids[scope, column],
                                                  "title": column, "type": kind})
    node_list = ET.SubElement(container, "nodes")
    for record in nodes:
        element = ET.SubElement(node_list, "node", {"id": record["id"],
                                                    "label": str(record.get("name", record["id"]))})
        _gexf_values(element, "node", record, attribute_ids)
    edge_list = ET.SubElement(container, "edges")
    for record, claims in combined:
        attributes = {"id": record["id"], "source": record["source"],
                      "target": record["target"]}
        if "relation" in record:
            attributes["kind"] = str(record["relation"])
            attributes["label"] = relation_label(str(record["relation"]))
        attributes["weight"] = repr(float(record["claims"]))
        attributes.update(_interval(claims))
        element = ET.SubElement(edge_list, "edge", attributes)
        _gexf_values(element, "edge", record, attribute_ids)
    return _xml_bytes(root)


def _interval(claims: list[dict]) -> dict:
    """GEXF ``start``/``end`` of an edge's claims: from the first day of the earliest
    ``date`` (none when a claim is undated: always present) to the last day of the latest
    ``end`` (none when a claim has no end)."""
    interval = {}
    if all("date" in claim for claim in claims):
        interval["start"] = min(parse_date(claim["date"]).first_day()
                                for claim in claims).isoformat()
    if all("end_date" in claim for claim in claims):
        interval["end"] = max(parse_date(claim["end_date"]).last_day()
                              for claim in claims).isoformat()
    return interval


def _gexf_values(element, scope: str, record: dict, attribute_ids: dict) -> None:
    import xml.etree.ElementTree as ET

    values = None
    for (id_scope, column), attribute_id in attribute_ids.items():
        if id_scope == scope and column in record:
            if values is None:
                values = ET.SubElement(element, "attvalues")
            ET.SubElement(values, "attvalue", {"for": attribute_id,
                                               "value": cell_text(record[column])})
