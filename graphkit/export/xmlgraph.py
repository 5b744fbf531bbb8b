"""GraphML and GEXF: the XML formats (Gephi, yEd, igraph, NetworkX)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from graphkit.data.dates import PartialDate
from graphkit.errors import BadArgument
from graphkit.export.flatten import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    cell_text,
    column_order,
    column_type,
    flat_tables,
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
GEXF_NAMESPACE = "http://www.gexf.net/1.2draft"
GEXF_SCHEMA = "http://www.gexf.net/1.2draft/gexf.xsd"
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
    """``graph`` as GraphML (Gephi, yEd, igraph, NetworkX); the edge key is the edge ``id``.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_edge("a", "b", key="r/0", relation="r")
    'r/0'
    >>> b'<edge id="r/0" source="a" target="b">' in graphml_bytes(graph)
    True
    """
    import xml.etree.ElementTree as ET

    _check_xml_safe(graph, "graphml")
    nodes, edges = flat_tables(graph)
    root = ET.Element("graphml", {"xmlns": GRAPHML_NAMESPACE, "xmlns:xsi": _XSI,
                                  "xsi:schemaLocation": f"{GRAPHML_NAMESPACE} {GRAPHML_SCHEMA}"})
    for record in edges:
        record[GRAPHML_EDGE_ID] = record["id"]
    keys = {}
    for scope, known, records in (("node", NODE_COLUMNS, nodes),
                                  ("edge", (*EDGE_COLUMNS, GRAPHML_EDGE_ID), edges)):
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


def gexf_bytes(graph: nx.MultiDiGraph) -> bytes:
    """``graph`` as dynamic GEXF 1.2 for Gephi: edges carry their dates as time intervals.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_edge("a", "b", key="r/0", relation="r", date="2023-02", end="2024")
    'r/0'
    >>> b'label="r" start="2023-02-01" end="2024-12-31"' in gexf_bytes(graph)
    True
    """
    import xml.etree.ElementTree as ET

    _check_xml_safe(graph, "gexf")
    nodes, edges = flat_tables(graph)
    root = ET.Element("gexf", {"xmlns": GEXF_NAMESPACE, "xmlns:xsi": _XSI,
                               "xsi:schemaLocation": f"{GEXF_NAMESPACE} {GEXF_SCHEMA}",
                               "version": "1.2"})
    ET.SubElement(ET.SubElement(root, "meta"), "creator").text = "graphkit"
    container = ET.SubElement(root, "graph", {"mode": "dynamic", "defaultedgetype": "directed",
                                              "timeformat": "date"})
    attribute_ids = {}
    for scope, known, records, structural in (
            ("node", NODE_COLUMNS, nodes, {"id", "name"}),
            ("edge", EDGE_COLUMNS, edges, {"id", "source", "target"})):
        declared = ET.SubElement(container, "attributes", {"class": scope, "mode": "static"})
        for column in column_order(known, records):
            if column in structural:
                continue
            attribute_ids[scope, column] = str(len(attribute_ids))
            ET.SubElement(declared, "attribute", {"id": attribute_ids[scope, column],
                                                  "title": column,
                                                  "type": column_type(column, records)})
    node_list = ET.SubElement(container, "nodes")
    for record in nodes:
        element = ET.SubElement(node_list, "node", {"id": record["id"],
                                                    "label": str(record.get("name", record["id"]))})
        _gexf_values(element, "node", record, attribute_ids)
    edge_list = ET.SubElement(container, "edges")
    for record in edges:
        attributes = {"id": record["id"], "source": record["source"],
                      "target": record["target"]}
        if "relation" in record:
            attributes["label"] = str(record["relation"])
        attributes.update(_interval(record))
        element = ET.SubElement(edge_list, "edge", attributes)
        _gexf_values(element, "edge", record, attribute_ids)
    return _xml_bytes(root)


def _interval(record: dict) -> dict:
    """GEXF ``start``/``end``: the first day of ``date``, the last day of ``end``."""
    interval = {}
    if "date" in record:
        interval["start"] = PartialDate.parse(record["date"]).first_day().isoformat()
    if "end_date" in record:
        interval["end"] = PartialDate.parse(record["end_date"]).last_day().isoformat()
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
