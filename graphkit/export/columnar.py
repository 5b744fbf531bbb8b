"""Parquet (DuckDB, Spark, pandas, polars) and XLSX (spreadsheets, Kumu): the typed tables of
:mod:`graphkit.export.records`, one Parquet file or one worksheet per kind of record.

Both need an optional library: ``pip install 'graphkit[parquet]'`` (pyarrow) and
``pip install 'graphkit[xlsx]'`` (openpyxl); without it the export stops with a message
saying so, and writes nothing.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from functools import partial
from typing import TYPE_CHECKING

from graphkit.errors import BadArgument
from graphkit.export.records import (
    BOOLEAN,
    DATE,
    INTEGER,
    NUMBER,
    TABLE_NAMES,
    Table,
    export_tables,
)

if TYPE_CHECKING:
    import networkx as nx

PARQUET_FILES = tuple(f"{name}.parquet" for name in TABLE_NAMES)
# Fixed times, so the same data always gives the same bytes.
_FIXED = datetime.datetime(2000, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _require(module: str, extra: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise BadArgument(f"this export needs {module.split('.')[0]}: "
                          f"pip install 'graphkit[{extra}]'") from None


def arrow_table(table: Table):
    """One table as a ``pyarrow.Table`` with a typed column for each column.

    >>> from graphkit.export.records import Table
    >>> arrow_table(Table("t", ("id", "n"), {"id": "string", "n": "integer"},
    ...                   ({"id": "a", "n": 1}, {"id": "b"}))).schema.types
    [DataType(string), DataType(int64)]
    """
    return _arrow_rows(table, table.rows, arrow_schema(table))


def arrow_schema(table):
    """The ``pyarrow.Schema`` of a table (a :class:`~graphkit.export.records.Table` or a
    streamed one): each column typed as :func:`~graphkit.export.records.column_kind` says."""
    pa = _require("pyarrow", "parquet")
    types = {BOOLEAN: pa.bool_(), INTEGER: pa.int64(), NUMBER: pa.float64(),
             DATE: pa.date32()}
    return pa.schema([(column, types.get(table.types[column], pa.string()))
                      for column in table.columns])


def _arrow_rows(table, rows, schema):
    pa = _require("pyarrow", "parquet")
    columns = {}
    for column in table.columns:
        kind = table.types[column]
        values = [row.get(column) for row in rows]
        if kind == NUMBER:
            values = [None if value is None else float(value) for value in values]
        elif kind not in (BOOLEAN, INTEGER, DATE):
            values = [value if value is None or isinstance(value, str) else str(value)
                      for value in values]
        columns[column] = values
    return pa.table(columns, schema=schema)


def write_parquet(table, where) -> None:
    """Write ``table`` (a :class:`~graphkit.export.records.Table` or a streamed one) as
    Parquet to ``where`` (a path or a binary file), one row group per block of rows, so a
    streamed table is never whole in memory.

    >>> import io, pyarrow.parquet as pq
    >>> from graphkit.export.records import Table
    >>> buffer = io.BytesIO()
    >>> write_parquet(Table("t", ("n",), {"n": "integer"}, ({"n": 1}, {"n": 2})), buffer)
    >>> pq.read_table(io.BytesIO(buffer.getvalue())).column("n").to_pylist()
    [1, 2]
    """
    pq = _require("pyarrow.parquet", "parquet")
    schema = arrow_schema(table)
    with pq.ParquetWriter(where, schema, compression="zstd") as writer:
        written = False
        for rows in table.chunks():
            writer.write_table(_arrow_rows(table, rows, schema))
            written = True
        if not written:
            writer.write_table(schema.empty_table())


def parquet_files(graph: nx.MultiDiGraph) -> dict[str, bytes]:
    """One Parquet file per table (``nodes.parquet``, ``edges.parquet``, ...).

    >>> import networkx as nx
    >>> sorted(parquet_files(nx.MultiDiGraph(sources={}, cohorts=[])))
    ['documents.parquet', 'edges.parquet', 'moves.parquet', 'nodes.parquet']
    """
    files = {}
    for name, table in export_tables(graph, moves=True).items():
        buffer = io.BytesIO()
        write_parquet(table, buffer)
        files[f"{name}.parquet"] = buffer.getvalue()
    return files


def parquet_writers(tables: dict) -> dict:
    """For each table, the Parquet file's name and a function writing it to a binary stream
    (for tables too large to hold as bytes: see :mod:`graphkit.export.stored`)."""
    return {f"{name}.parquet": partial(write_parquet, table) for name, table in tables.items()}


def xlsx_bytes(graph: nx.MultiDiGraph) -> bytes:
    """A workbook with one sheet per table: real dates and numbers, a bold frozen header,
    and text kept as text (a cell starting with ``=`` is never a formula).

    >>> import networkx as nx
    >>> xlsx_bytes(nx.MultiDiGraph()) == xlsx_bytes(nx.MultiDiGraph())
    True
    """
    openpyxl = _require("openpyxl", "xlsx")
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    # Write-only mode streams the rows (ten times faster on a large graph).
    workbook = openpyxl.Workbook(write_only=True)
    workbook.properties.creator = "graphkit"
    workbook.properties.created = workbook.properties.modified = _FIXED
    bold = Font(bold=True)
    for name, table in export_tables(graph, moves=True).items():
        sheet = workbook.create_sheet(name[:31])
        sheet.freeze_panes = "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, WriteOnlyCell, row.get(column))
                          for column in table.columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _xlsx_cell(sheet, make, value):
    """A value for a write-only row: as it is (openpyxl writes a date as a date, shown
    ``yyyy-mm-dd``), except text starting with ``=``, which openpyxl would store as a
    formula: that is a cell marked as text."""
    if isinstance(value, str):
        value = _xlsx_value(value)
        if value.startswith("="):
            cell = make(sheet, value=value)
            cell.data_type = "s"
            return cell
    return value


def _xlsx_value(value):
    if isinstance(value, str):
        # XML cannot carry these control characters; the XLSX spec escapes them as _xHHHH_.
        return "".join(f"_x{ord(c):04X}_" if ord(c) < 32 and c not in "\t\n\r" else c
                       for c in value)
    return value


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's time fixed, so the bytes depend on the data only."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the time of saving; the export's bytes must not depend on it.
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z",
                              data)
            target.writestr(entry, data)
    return out.getvalue()
