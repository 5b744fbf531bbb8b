"""CSV: ``nodes.csv`` and ``edges.csv`` (UTF-8 with a byte-order mark, RFC 4180), in a
folder or a zip."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from functools import partial
from typing import TYPE_CHECKING

from graphkit.export.flatten import cell_text
from graphkit.export.records import TABLE_NAMES, Table, export_tables
from graphkit.present.output import spreadsheet_cell

if TYPE_CHECKING:
    import networkx as nx

# The files a csv export writes: a folder holding only these may be replaced.
CSV_FILES = tuple(f"{name}.csv" for name in TABLE_NAMES)
# Fixed zip entry time: the earliest a zip can record, so the bytes never depend on the clock.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def csv_tables(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """One CSV file per table of :func:`~graphkit.export.records.export_tables` (``nodes.csv``,
    ``edges.csv``, ``documents.csv``, ``cohorts.csv``, ...): UTF-8 with a byte-order mark,
    RFC 4180 quoting, dates as ISO days with their precision, and text that a spreadsheet
    would run as a formula neutralised (:func:`graphkit.present.output.spreadsheet_cell`).

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_node("acme", name="=Acme, Inc.", type="company", aliases=["艾克米"])
    >>> csv_tables(graph)["nodes.csv"].decode("utf-8-sig").splitlines()[1]
    'acme,"\\'=Acme, Inc.",company,"[""艾克米""]",艾克米,'
    """
    tables = export_tables(graph, moves=True)
    return {f"{name}.csv": _csv_bytes(table) for name, table in tables.items()}


def csv_cell(value) -> str:
    """A typed value as CSV text: empty when missing, dates as ISO, booleans as
    ``true``/``false``, text neutralised against formulas.

    >>> csv_cell(None), csv_cell(datetime.date(2023, 9, 1)), csv_cell("+1"), csv_cell(2.5)
    ('', '2023-09-01', "'+1", '2.5')
    """
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return spreadsheet_cell(value)
    return cell_text(value)


def write_csv(table, stream) -> None:
    """Write ``table`` (a :class:`~graphkit.export.records.Table` or a streamed one) as CSV
    text to ``stream``, a block of rows at a time.

    >>> import io
    >>> from graphkit.export.records import Table
    >>> text = io.StringIO()
    >>> write_csv(Table("t", ("id", "n"), {}, ({"id": "=a", "n": 1},)), text)
    >>> text.getvalue().splitlines()
    ['id,n', "'=a,1"]
    """
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(table.columns)
    columns = table.columns
    for rows in table.chunks():
        writer.writerows([csv_cell(row.get(column)) for column in columns] for row in rows)


def _csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO(newline="")
    write_csv(table, buffer)
    return buffer.getvalue().encode("utf-8-sig")


def csv_writers(tables: dict) -> dict:
    """For each table, the CSV file's name and a function writing it to a binary stream
    (UTF-8 with a byte-order mark, as :func:`csv_tables` gives it), for tables too large to
    hold as bytes (see :mod:`graphkit.export.stored`)."""
    def writer(table, stream) -> None:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        write_csv(table, text)
        text.flush()
        text.detach()

    return {f"{name}.csv": partial(writer, table) for name, table in tables.items()}


def csv_zip_bytes(graph: nx.MultiDiGraph) -> bytes:
    """Every CSV table in one zip whose bytes depend on the data only.

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
