"""Writing an export: where it goes, which writer makes its bytes, and the atomic write."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graphkit.atomic import write_bytes_atomic
from graphkit.errors import BadArgument
from graphkit.export.columnar import PARQUET_FILES, parquet_files, parquet_writers, xlsx_bytes
from graphkit.export.cytoscape import cytoscape_bytes
from graphkit.export.neo4j import neo4j_files
from graphkit.export.nodelink import node_link_bytes
from graphkit.export.tables import CSV_FILES, csv_tables, csv_writers, csv_zip_bytes
from graphkit.export.xmlgraph import gexf_bytes, graphml_bytes

if TYPE_CHECKING:
    import networkx as nx

FORMATS = ("graphml", "gexf", "json", "csv", "neo4j", "cytoscape", "parquet", "xlsx")
DEFAULT_DIRECTORY = Path("output")
DEFAULT_PATHS = {
    "graphml": DEFAULT_DIRECTORY / "graphkit.graphml",
    "gexf": DEFAULT_DIRECTORY / "graphkit.gexf",
    "json": DEFAULT_DIRECTORY / "graphkit.json",
    "csv": DEFAULT_DIRECTORY / "graphkit-csv",
    "neo4j": DEFAULT_DIRECTORY / "graphkit-neo4j",
    "cytoscape": DEFAULT_DIRECTORY / "graphkit.cyjs",
    "parquet": DEFAULT_DIRECTORY / "graphkit-parquet",
    "xlsx": DEFAULT_DIRECTORY / "graphkit.xlsx",
}
# Formats written as a folder of files (csv too, unless the path ends in .zip).
FOLDER_FORMATS = ("csv", "neo4j", "parquet")
# What a folder may already hold for an export to replace it (anything else is the user's).
_OWN_FILES = {
    "csv": lambda name: name in CSV_FILES,
    "neo4j": lambda name: (name in ("load.cypher", "README.md")
                           or (name.startswith(("nodes-", "rels-")) and name.endswith(".csv"))),
    "parquet": lambda name: name in PARQUET_FILES,
}


@dataclass(frozen=True)
class Exported:
    """What an export wrote: where, in which format, and how many nodes and edges."""

    path: Path
    format: str
    nodes: int
    edges: int


def output_path(export_format: str, out: Path | str | None = None) -> Path:
    """Where an export goes: ``out``, or the default under ``output/``; raise BadArgument
    when the place cannot take this export (a folder where a file goes, or the reverse).

    >>> output_path("graphml")
    PosixPath('output/graphkit.graphml')
    >>> output_path("csv", "exports/graph.zip")
    PosixPath('exports/graph.zip')
    """
    _check_format(export_format)
    if out is not None and str(out) == "":
        raise BadArgument("the output path is empty")
    path = DEFAULT_PATHS[export_format] if out is None else Path(out)
    if _is_folder(export_format, path):
        if path.exists() and not path.is_dir():
            raise BadArgument(f"{str(path)!r} is a file; a {export_format} export "
                              + ("without .zip " if export_format == "csv" else "")
                              + "is a folder")
        if path.is_dir():
            foreign = sorted(entry.name for entry in path.iterdir()
                             if not _OWN_FILES[export_format](entry.name))
            if foreign:
                raise BadArgument(f"refusing to replace folder {str(path)!r}: it holds other "
                                  f"files ({', '.join(foreign[:3])}); choose a new folder")
    elif path.is_dir():
        raise BadArgument(f"{str(path)!r} is a folder; give a file name")
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                raise BadArgument(f"cannot write under {str(parent)!r}: it is a file")
            break
    return path


def export_graph(graph: nx.MultiDiGraph, export_format: str,
                 out: Path | str | None = None) -> Exported:
    """Write ``graph`` as ``export_format`` to ``out`` (default under ``output/``), atomically.

    A csv export is a folder of one CSV file per table, or a zip when ``out`` ends in
    ``.zip``; neo4j and parquet exports are folders.  Nothing is written when the graph
    cannot be exported.

    >>> import tempfile, networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_node("acme", name="Acme", type="company", aliases=[])
    >>> target = Path(tempfile.mkdtemp()) / "acme.graphml"
    >>> export_graph(graph, "graphml", target).nodes
    1
    """
    path = output_path(export_format, out)
    if nx_is_view(graph):
        # A filtered view checks its filter on every step of every walk; the writers walk
        # the edges several times, so a plain copy (attributes shared, not copied) is faster.
        graph = materialised(graph)
    if _is_folder(export_format, path):
        _write_folder_atomic(path, folder_files(graph, export_format))
    else:
        write_bytes_atomic(path, render(graph, export_format))
    return Exported(path, export_format, graph.number_of_nodes(), graph.number_of_edges())


# Whole-dataset exports written straight from the compiled store (see export_store).
STORE_FORMATS = ("csv", "parquet")


def streams_from_store(export_format: str, path: Path) -> bool:
    """Whether a whole-dataset export of ``export_format`` to ``path`` is written by
    :func:`export_store` (csv and parquet folders; a csv zip is made from the graph).

    >>> streams_from_store("parquet", Path("out")), streams_from_store("csv", Path("a.zip"))
    (True, False)
    """
    return export_format in STORE_FORMATS and _is_folder(export_format, path)


def export_store(store, export_format: str, out: Path | str | None = None) -> Exported:
    """Write the whole dataset compiled in ``store`` (a :class:`graphkit.store.cache.Store`)
    as ``export_format`` (a csv folder or parquet) to ``out``, atomically, streaming the
    tables from the store (:func:`graphkit.export.stored.store_tables`) instead of building
    the graph: the same files :func:`export_graph` writes from the graph, for a block of
    edges in memory at a time.

    >>> import os, tempfile
    >>> from graphkit.data.locate import bundled_data_dir
    >>> from graphkit.store.cache import CACHE_ENVIRONMENT, open_store
    >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
    >>> folder = Path(tempfile.mkdtemp()) / "csv"
    >>> export_store(open_store(bundled_data_dir()), "csv", folder).edges
    153
    """
    from graphkit.export.stored import store_tables

    path = output_path(export_format, out)
    if not streams_from_store(export_format, path):
        raise BadArgument(f"a {export_format} export to {str(path)!r} is made from the graph, "
                          "not streamed from the store")
    writers = {"csv": csv_writers, "parquet": parquet_writers}[export_format]
    _write_folder_atomic(path, writers(store_tables(store)))
    return Exported(path, export_format, len(store.ids), store.edge_count)


def render(graph: nx.MultiDiGraph, export_format: str) -> bytes:
    """The bytes of one export file (csv: the zip of every table; for neo4j and parquet,
    see :func:`folder_files`).

    >>> import networkx as nx
    >>> render(nx.MultiDiGraph(), "json").startswith(b"{")
    True
    """
    _check_format(export_format)
    if export_format in ("neo4j", "parquet"):
        raise BadArgument(f"a {export_format} export is a folder of files")
    writer = {"graphml": graphml_bytes, "gexf": gexf_bytes, "json": node_link_bytes,
              "csv": csv_zip_bytes, "cytoscape": cytoscape_bytes, "xlsx": xlsx_bytes}
    return writer[export_format](graph)


def folder_files(graph: nx.MultiDiGraph, export_format: str) -> dict[str, bytes]:
    """The files of a folder export, name to bytes.

    >>> import networkx as nx
    >>> sorted(folder_files(nx.MultiDiGraph(), "csv"))
    ['edges.csv', 'moves.csv', 'nodes.csv']
    """
    writer = {"csv": csv_tables, "neo4j": neo4j_files, "parquet": parquet_files}
    return writer[export_format](graph)


def nx_is_view(graph) -> bool:
    """Whether ``graph`` is a NetworkX view (a subgraph or filtered view), not a graph.

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph([("a", "b")])
    >>> nx_is_view(graph), nx_is_view(graph.subgraph(["a"]))
    (False, True)
    """
    return hasattr(graph, "_graph")


def materialised(view) -> nx.MultiDiGraph:
    """A plain MultiDiGraph with the nodes, edges and graph attributes of ``view`` (values
    shared with it: exports only read them).

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph(cohorts=[])
    >>> graph.add_edge("a", "b", key="k", relation="r")
    'k'
    >>> copy = materialised(graph.subgraph(["a", "b"]))
    >>> copy.edges["a", "b", "k"] == graph.edges["a", "b", "k"], copy.graph is graph.graph
    (True, True)
    """
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.graph = view.graph
    graph.add_nodes_from(view.nodes(data=True))
    graph.add_edges_from(view.edges(keys=True, data=True))
    return graph


def _is_folder(export_format: str, path: Path) -> bool:
    return export_format in FOLDER_FORMATS and not (export_format == "csv" and _is_zip(path))


def _check_format(export_format: str) -> None:
    if export_format not in FORMATS:
        raise BadArgument(f"unknown export format {export_format!r}; use one of "
                          f"{', '.join(FORMATS)}")


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip"


def _write_folder_atomic(folder: Path, files: dict) -> None:
    """Fill a fresh sibling folder, then swap it in, so no reader sees half an export.
    ``files`` maps each name to its bytes, or to a function writing it to a binary stream."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.",
                                    suffix=".tmp"))
    retired = None
    try:
        for name, data in files.items():
            if callable(data):  # a writer, for a file too large to hold as bytes
                with open(staging / name, "xb") as stream:
                    data(stream)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.chmod(staging / name, 0o644)
            else:
                write_bytes_atomic(staging / name, data)
        staging.chmod(0o755)
        if folder.exists():
            # POSIX has no atomic swap of two folders: park the old one, then move in.
            retired = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.",
                                            suffix=".old"))
            os.replace(folder, retired / folder.name)
        os.replace(staging, folder)
    except BaseException:
        if retired is not None and not folder.exists() and (retired / folder.name).exists():
            os.replace(retired / folder.name, folder)
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
