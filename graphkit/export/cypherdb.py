"""Cypher over the dataset, answered by an embedded graph database (LadybugDB, the maintained
successor of Kùzu; ``pip install 'graphkit[cypher]'``), never by a query language of ours.

The database is compiled from the Neo4j bundle (:mod:`graphkit.export.neo4j`): each node
file is a node table (``Entity``, ``Document``, ``Cohort``, ...), each relationship file a
relationship table (``PERSON_LEFT_COMPANY``, ``COHORT_MEMBERS``, ...), loaded with ``COPY``
from the very files ``export --format neo4j`` writes.  It is built once per data content,
beside the store's cache (the cache folder is named by the data's content hash), and opened
read-only, so a query cannot change the data.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.atomic import write_bytes_atomic
from graphkit.errors import BadArgument, GraphkitError

if TYPE_CHECKING:
    import networkx as nx

INSTALL_HINT = "pip install 'graphkit[cypher]'"
_ENGINE_TYPES = {"string": "STRING", "date": "DATE", "integer": "INT64", "number": "DOUBLE",
                 "boolean": "BOOLEAN"}


class EngineMissing(GraphkitError):
    """The optional embedded database is not installed (exit 2, saying how to install it)."""


class QueryFailed(BadArgument):
    """The engine refused or could not run a query."""


def engine():
    """The ``ladybug`` module; raise :class:`EngineMissing` saying how to install it.

    >>> engine().__name__
    'ladybug'
    """
    try:
        import ladybug
    except ImportError:
        raise EngineMissing("graphkit cypher needs the embedded graph database LadybugDB: "
                            f"{INSTALL_HINT}") from None
    return ladybug


def database_name() -> str:
    """The database file's name, by engine version (a new engine never reads an old file).

    >>> database_name().startswith("cypher-") and database_name().endswith(".lbdb")
    True
    """
    version = getattr(engine(), "__version__", None) or _package_version()
    return f"cypher-{version}.lbdb"


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ladybug")
    except PackageNotFoundError:
        return "unknown"


def _header_kind(header: str) -> tuple[str, str]:
    """A bundle header's property name and type: ``date_start:date`` is ``date_start``, a
    date; ``:LABEL`` is ``labels`` and ``:TYPE`` is ``type``, both text."""
    if header in (":LABEL", ":TYPE"):
        return header[1:].lower() + ("s" if header == ":LABEL" else ""), "string"
    name, _, kind = header.partition(":")
    if kind.startswith("ID"):
        return name, "string"
    return name, {"date": "date", "long": "integer", "double": "number",
                  "boolean": "boolean"}.get(kind, "string")


def _between(header: str) -> str:
    """The label in ``:START_ID(Entity)``."""
    return header[header.index("(") + 1:-1]


def schema_statements(folder: Path) -> list[tuple[str, str, Path]]:
    """For each file of the bundle in ``folder`` (node files first), the table it fills and
    the ``CREATE NODE TABLE`` / ``CREATE REL TABLE`` statement, read from its typed header:
    each column in file order, since ``COPY`` reads by position.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "nodes-entities.csv").write_text("id:ID(Entity),:LABEL,since:date\\n")
    >>> [statement for _, statement, _ in schema_statements(folder)]
    ['CREATE NODE TABLE Entity(`id` STRING, `labels` STRING, `since` DATE, PRIMARY KEY(`id`))']
    """
    import csv

    statements = []
    for path in [*sorted(folder.glob("nodes-*.csv")), *sorted(folder.glob("rels-*.csv"))]:
        with open(path, encoding="utf-8", newline="") as stream:
            reader = csv.reader(stream)
            header = next(reader, [])
            first = next(reader, None)
        if not header:
            continue
        columns = [f"{_quoted(name)} {_ENGINE_TYPES[kind]}"
                   for name, kind in map(_header_kind, header)
                   if not header_is_end(name)]
        if header[0].startswith(":START_ID"):
            if first is None:
                continue  # an empty relationship file: no type to name
            kind = first[header.index(":TYPE")]
            statements.append((kind, f"CREATE REL TABLE {kind}(FROM {_between(header[0])} "
                                     f"TO {_between(header[1])}, {', '.join(columns[0:])})",
                               path))
        else:
            label = _between(header[0])
            key = _quoted(_header_kind(header[0])[0])
            statements.append((label, f"CREATE NODE TABLE {label}({', '.join(columns)}, "
                                      f"PRIMARY KEY({key}))", path))
    return statements


def header_is_end(name: str) -> bool:
    """Whether a header names a relationship's end (``:START_ID(X)``, ``:END_ID(X)``)."""
    return name == "" or name.startswith(("START_ID", "END_ID"))


def _quoted(name: str) -> str:
    return f"`{name}`"


def load_bundle(folder: Path, target: Path) -> Path:
    """Load the Neo4j bundle in ``folder`` (as ``export --format neo4j`` writes it) into a new
    database at ``target``, built beside it and then moved in; return ``target``."""
    lb = engine()
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".cypher-", dir=target.parent))
    try:
        database = lb.Database(str(building / target.name))
        connection = lb.Connection(database)
        for table, statement, path in schema_statements(Path(folder)):
            connection.execute(statement)
            # Quoted cells may hold newlines, which only the serial CSV reader accepts.
            connection.execute(f"COPY {table} FROM '{path}' (HEADER=true, PARALLEL=false)")
        connection.close()
        database.close()
        os.replace(building / target.name, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def compile_database(graph: nx.MultiDiGraph, target: Path) -> Path:
    """Build the embedded database of ``graph`` at ``target`` from its Neo4j bundle and
    return ``target``.

    >>> import tempfile, networkx as nx
    >>> graph = nx.MultiDiGraph(sources={}, cohorts=[])
    >>> graph.add_node("a", name="A", type="person", aliases=[])
    >>> path = compile_database(graph, Path(tempfile.mkdtemp()) / "g.lbdb")
    >>> run_query(path, "MATCH (e:Entity) RETURN e.name")
    (['e.name'], [['A']])
    """
    from graphkit.export.neo4j import neo4j_files

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".bundle-", dir=target.parent))
    try:
        for name, data in neo4j_files(graph).items():
            (work / name).write_bytes(data)
        return load_bundle(work, target)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def database_for(graph_loader, folder: Path | None) -> Path:
    """The database file for the data whose cache folder is ``folder``: compiled on first
    use with ``graph_loader()``, with a SHA-256 of it beside it (``.sha256``); a file that
    does not match its digest (damaged, or changed by someone else) is rebuilt, never
    believed.  In a private temporary folder when ``folder`` cannot be written (or is
    None)."""
    if folder is not None:
        target = Path(folder) / database_name()
        digest = target.with_name(target.name + ".sha256")
        if _intact(target, digest):
            return target
        try:
            target.unlink(missing_ok=True)
            compile_database(graph_loader(), target)
            write_bytes_atomic(digest, _digest(target).encode() + b"\n")
            return target
        except OSError:
            pass
    private = Path(tempfile.mkdtemp(prefix="graphkit-cypher-"))
    return compile_database(graph_loader(), private / database_name())


def _digest(path: Path) -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def _intact(target: Path, digest: Path) -> bool:
    try:
        return (target.is_file() and not target.is_symlink()
                and digest.read_text("ascii").strip() == _digest(target))
    except (OSError, UnicodeDecodeError):
        return False


def run_query(path: Path, query: str) -> tuple[list[str], list[list]]:
    """Run ``query`` on the database at ``path``, opened read-only: the column names and
    the rows; raise :class:`QueryFailed` with the engine's message when it fails."""
    lb = engine()
    database = lb.Database(str(path), read_only=True)
    connection = lb.Connection(database)
    try:
        result = connection.execute(query)
        results = result if isinstance(result, list) else [result]
        last = results[-1]
        columns = list(last.get_column_names())
        rows = []
        while last.has_next():
            rows.append([plain(value) for value in last.get_next()])
    except RuntimeError as error:
        raise QueryFailed(f"the query failed: {_first_line(str(error))}") from None
    finally:
        connection.close()
        database.close()
    return columns, rows


def _first_line(message: str) -> str:
    return message.strip().split("\n")[0]


def plain(value):
    """An engine value as plain JSON-ready data: dates as ISO text, nodes and relationships
    as their properties (with ``_label``), paths as their nodes and relationships.

    >>> plain(datetime.date(2024, 5, 1)), plain({"_ID": {"offset": 0, "table": 0},
    ...                                          "_LABEL": "Entity", "id": "a"})
    ('2024-05-01', {'_label': 'Entity', 'id': 'a'})
    """
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in ("_ID", "_SRC", "_DST"):
                continue
            out["_label" if key == "_LABEL" else "_nodes" if key == "_NODES"
                else "_rels" if key == "_RELS" else key] = plain(item)
        return out
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value
