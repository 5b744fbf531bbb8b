"""CSV: ``nodes.csv`` and ``edges.csv`` (UTF-8 with a byte-order mark, RFC 4180), in a
folder or a zip."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import TYPE_CHECKING

from graphkit.export.flatten import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    cell_text,
    column_order,
    flat_tables,
)
from graphkit.present.output import spreadsheet_cell

if TYPE_CHECKING:
    import networkx as nx

# Fixed zip entry time: the earliest a zip can record, so the bytes never depend on the clock.
CSV_FILES = ("nodes.csv", "edges.csv")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def csv_tables(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """``nodes.csv`` and ``edges.csv`` (UTF-8 with BOM, RFC 4180), one row per entity / edge.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_node("acme", name="Acme, Inc.", type="company", aliases=["艾克米"])
    >>> csv_tables(graph)["nodes.csv"].decode("utf-8-sig").splitlines()[1]
    'acme,"Acme, Inc.",company,"[""艾克米""]",艾克米,'
    """
    nodes, edges = flat_tables(graph)
    for record in edges:
        for end in ("source", "target"):
            record[f"{end}_name"] = graph.nodes[record[end]].get("name", record[end])
    edge_columns = ["id", "source", "source_name", "target", "target_name",
                    *(column for column in column_order(EDGE_COLUMNS, edges)
                      if column not in ("id", "source", "target", "source_name",
                                        "target_name"))]
    return {"nodes.csv": _csv_bytes(column_order(NODE_COLUMNS, nodes), nodes),
            "edges.csv": _csv_bytes(edge_columns, edges)}


def _csv_bytes(columns: list[str], records: list[dict]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_csv_cell(record[column]) if column in record else ""
                         for column in columns])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value) -> str:
    """A value as CSV text; text that a spreadsheet would run as a formula is neutralised
    (see :func:`graphkit.present.output.spreadsheet_cell`), numbers are left as they are."""
    return spreadsheet_cell(value) if isinstance(value, str) else cell_text(value)


def csv_zip_bytes(graph: nx.MultiDiGraph) -> bytes:
    """Both CSV tables in one zip whose bytes depend on the data only.

    >>> import networkx as nx
    >>> csv_zip_bytes(nx.MultiDiGraph()) == csv_zip_bytes(nx.MultiDiGraph())
    True
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in csv_tables(graph).items():
            entry = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3  # Unix, so the permission bits below are honoured
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return buffer.getvalue()
