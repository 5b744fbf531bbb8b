"""Exports for the tools analysts already use: GraphML, GEXF, node-link JSON and CSV.

One module per format family: ``xmlgraph`` (GraphML, GEXF), ``nodelink`` (JSON), ``tables``
(CSV), on ``flatten`` (the flat columns below); ``view`` chooses what to export and
``writing`` writes it.  This package re-exports what callers use.

Every writer returns bytes, so an export is built whole in memory, checked, and only then
written atomically; the same graph always gives the same bytes (nodes sorted by id, edges
by their key, the record id; zip entries with fixed timestamps).  The exception is a
whole-dataset csv or parquet folder: ``stored`` streams its tables from the compiled store
a block of edges at a time (the same bytes, without building the graph), into a folder
that is swapped in only once complete.

Node-link JSON keeps the graph exactly as :func:`graphkit.store.graph.build_graph` makes it
(:func:`read_node_link` loads it back without loss).  GraphML, GEXF and CSV are flat: each
attribute becomes one column of text or number, by these rules:

========================  ==================================================================
graph attribute           flat columns
========================  ==================================================================
node id / edge key        the GraphML and GEXF element ``id``; column ``id`` in CSV
                          (GraphML repeats it as edge data ``edge_id``, because igraph 1.0
                          reads GraphML edge ids wrongly)
``name``                  ``name`` (GEXF: the node ``label``)
``aliases`` (list)        ``aliases``: a JSON array, e.g. ``["张爱丽", "張愛麗"]`` (exact);
                          ``aliases_text``: the items joined by `` | `` (for reading)
``sources`` (list)        ``sources``: a JSON array of ``{"doc", "quote"}`` (exact);
                          ``sources_text``: ``[doc] quote`` items joined by `` | ``
``amount`` (object)       ``amount_as_stated``, ``amount_value`` (a number; GraphML and
                          GEXF declare it ``double``), ``amount_currency``
``date``                  ``date``: as curated (``2023``, ``2023-09`` or ``2023-09-25``)
``end``                   ``end_date`` (renamed: GEXF keeps ``start``/``end`` for time)
every other field         a column of the same name, text as is
========================  ==================================================================

A column with no value is left out of the element (GraphML, GEXF) or left empty (CSV);
graphkit never stores an empty string, so an empty cell always means "not stated" (igraph
fills such gaps with ``""`` or NaN).
JSON text in columns is UTF-8 with sorted keys.  Any other list or nested object follows
the same rules (a list as JSON plus ``NAME_text``, an object as ``NAME_KEY`` columns).

GEXF is dynamic (``timeformat="date"``): an edge starts on the first day of its ``date``
and, when it has an ``end``, ends on the last day of it; an undated edge has no start and
is always present, like every node.  The edge ``label`` is its relation.

CSV is ``nodes.csv`` and ``edges.csv`` (UTF-8 with a byte-order mark, so spreadsheets
detect the encoding; RFC 4180 quoting, so commas, quotes and newlines stay inside their
cell), in a folder or a zip.  ``edges.csv`` adds ``source_name`` and ``target_name``.

XML 1.0 cannot carry most control characters (U+0000-U+001F other than tab, newline and
carriage return, and U+FFFE/U+FFFF): GraphML and GEXF refuse a graph holding one with a
:class:`~graphkit.errors.BadArgument` naming the entity or edge and the field; JSON and CSV
carry them.  Carriage returns are written as ``&#13;`` so XML readers keep them.
"""

from graphkit.export.flatten import EDGE_COLUMNS, NODE_COLUMNS, flat_edge, flat_node
from graphkit.export.nodelink import (
    graph_from_node_link,
    node_link_bytes,
    node_link_document,
    read_node_link,
)
from graphkit.export.tables import csv_tables, csv_zip_bytes
from graphkit.export.view import ego_network, export_view
from graphkit.export.writing import FORMATS, Exported, export_graph, output_path, render
from graphkit.export.xmlgraph import gexf_bytes, graphml_bytes

__all__ = [
    "EDGE_COLUMNS", "FORMATS", "NODE_COLUMNS", "Exported", "csv_tables", "csv_zip_bytes",
    "ego_network", "export_graph", "export_view", "flat_edge", "flat_node", "gexf_bytes",
    "graph_from_node_link", "graphml_bytes", "node_link_bytes", "node_link_document",
    "output_path", "read_node_link", "render",
]
