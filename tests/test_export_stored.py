"""Whole-dataset CSV and Parquet exports streamed from the compiled store
(graphkit.export.stored) are the exports made from the graph: the same files, columns,
types and rows in the same order, with the moves taken from the cached move table."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pyarrow.parquet as pq
import pytest

from graphkit.data.locate import bundled_data_dir
from graphkit.export import export_graph
from graphkit.export.records import export_tables, moves_table
from graphkit.export.stored import store_tables
from graphkit.export.writing import export_store
from graphkit.query.movetable import MoveTable, store_move_table
from graphkit.store.cache import open_store
from graphkit.store.graph import build_graph

FIXTURES = Path(__file__).parent / "fixtures"
DATASETS = {"bundled": bundled_data_dir(), "tiny": FIXTURES / "tiny",
            "facts": FIXTURES / "facts", "flow": FIXTURES / "flow"}


def rows_of(table) -> list[dict]:
    return [dict(row) for rows in table.chunks() for row in rows]


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_the_store_gives_the_tables_the_graph_gives(dataset):
    store = open_store(DATASETS[dataset])
    graph = build_graph(store.dataset())
    from_graph = export_tables(graph, moves=True)
    from_store = store_tables(store)
    assert list(from_store) == list(from_graph)
    for name, table in from_graph.items():
        streamed = from_store[name]
        assert (streamed.columns, streamed.types) == (table.columns, table.types), name
        assert rows_of(streamed) == list(table.rows), name
        assert streamed.count == len(table.rows)


@pytest.mark.parametrize("export_format", ["csv", "parquet"])
@pytest.mark.parametrize("dataset", list(DATASETS))
def test_a_streamed_export_has_the_bytes_of_the_graph_export(tmp_path, dataset, export_format):
    store = open_store(DATASETS[dataset])
    graph = build_graph(store.dataset())
    streamed = export_store(store, export_format, tmp_path / "streamed")
    built = export_graph(graph, export_format, tmp_path / "built")
    assert (streamed.nodes, streamed.edges) == (built.nodes, built.edges)
    names = sorted(entry.name for entry in built.path.iterdir())
    assert sorted(entry.name for entry in streamed.path.iterdir()) == names
    for name in names:
        assert (streamed.path / name).read_bytes() == (built.path / name).read_bytes(), name


def test_the_edges_are_streamed_in_blocks_in_id_order(tmp_path, monkeypatch):
    # Blocks of 2 edges: the rows come in the graph export's order all the same, and a
    # Parquet file gets one row group per block.
    import graphkit.export.stored as stored

    monkeypatch.setattr(stored, "BLOCK", 2)
    store = open_store(DATASETS["tiny"])
    table = store_tables(store, moves=False)["edges"]
    blocks = list(table.chunks())
    assert [len(block) for block in blocks] == [2] * 8 + [1]
    ids = [row["id"] for block in blocks for row in block]
    assert ids == sorted(ids) and len(ids) == store.edge_count == 17
    export_store(store, "parquet", tmp_path / "parquet")
    edges = pq.ParquetFile(tmp_path / "parquet" / "edges.parquet")
    assert edges.metadata.num_row_groups == 9
    assert edges.read().column("id").to_pylist() == ids


def test_numbered_edge_ids_sort_by_number():
    # "r/10" after "r/2", as the graph export orders them.
    from graphkit.export.stored import _order_key

    keys = [{"id": f"r/{n}", "source": "a", "target": "b"} for n in (10, 2, 1)]
    assert [key["id"] for key in sorted(keys, key=_order_key)] == ["r/1", "r/2", "r/10"]


def test_the_moves_come_from_the_cached_move_table():
    store = open_store(bundled_data_dir())
    cached = store_move_table(store)
    graph = build_graph(store.dataset())
    assert moves_table(graph).rows == moves_table(None, cached).rows
    assert moves_table(graph).rows == moves_table(None, MoveTable.from_data(graph)).rows
    # Hand-checked: google -> openai, 9 people, as in the README's flow example.
    assert sum(row["count"] for row in moves_table(None, cached).rows
               if (row.get("from"), row.get("to")) == ("google", "openai")) == 9


def test_the_command_streams_a_whole_dataset_and_builds_the_graph_otherwise(run_cli, tmp_path,
                                                                           monkeypatch):
    # A whole-dataset parquet export never builds the graph; a filtered one does.
    import graphkit.store.graph as graph_module

    built = []
    real = graph_module.build_graph
    monkeypatch.setattr(graph_module, "build_graph",
                        lambda dataset: built.append(1) or real(dataset))
    result = run_cli("export", "--format", "parquet", "--out", str(tmp_path / "whole"),
                     "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["edges"] == 17 and built == []
    result = run_cli("export", "--format", "parquet", "--relation", "person-left-company",
                     "--out", str(tmp_path / "part"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["edges"] == 3 and built
    assert pq.read_table(tmp_path / "part" / "edges.parquet").num_rows == 3


def test_a_damaged_edge_line_is_refused_not_exported(tmp_path):
    from graphkit.errors import CacheDamaged

    store = open_store(DATASETS["tiny"])
    path = store.folder / "edges.jsonl"
    data = bytearray(path.read_bytes())
    data[5] = ord("X") if data[5] != ord("X") else ord("Y")
    path.write_bytes(bytes(data))
    with pytest.raises(CacheDamaged):
        export_store(store, "parquet", tmp_path / "parquet")
    assert not (tmp_path / "parquet").exists()


def test_an_empty_dataset_streams_empty_tables(tmp_path):
    graph = nx.MultiDiGraph(sources={})
    assert export_graph(graph, "parquet", tmp_path / "empty").edges == 0
    assert pq.read_table(tmp_path / "empty" / "edges.parquet").num_rows == 0
