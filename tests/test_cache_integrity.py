"""The cache under attack and damage: nothing in it runs code, nothing damaged is believed,
odd files where it should be are got over, and builds that were killed or raced with an
edit never leave a store answering for other content (issue 18: items 1, 3, 4, 8, 21, 22)."""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graphkit.store import cache as caching
from graphkit.store.cache import open_store

REPO = Path(__file__).resolve().parent.parent
MARKER_CODE = "open({marker!r}, 'w').write('ran')"


class _Payload:
    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (exec, (MARKER_CODE.format(marker=self.marker),))


def evil_pickle(marker: Path) -> bytes:
    return pickle.dumps(_Payload(str(marker)), protocol=5)


def same_size_edit(path: Path, old: bytes, new: bytes) -> None:
    assert len(old) == len(new)
    data = path.read_bytes()
    assert old in data
    path.write_bytes(data.replace(old, new))


def test_no_file_of_the_store_or_move_table_is_a_pickle(tiny_dir, cache, run_cli):
    assert run_cli("flow").exit_code == 0
    files = [path for path in cache.rglob("*") if path.is_file()]
    assert any(path.name == "movetable.bin" for path in files)
    for path in files:
        assert b"\x80\x05" not in path.read_bytes()[:64], path
        assert path.suffix != ".pickle", path


def test_a_planted_pickle_never_runs(tiny_dir, cache, run_cli, tmp_path):
    assert run_cli("flow").exit_code == 0
    marker = tmp_path / "marker"
    body = evil_pickle(marker)
    for path in [path for path in cache.rglob("*") if path.is_file()]:
        # The old layout: a SHA-256 of the pickle, then the pickle.
        path.write_bytes(hashlib.sha256(body).digest() + body)
    for command in (("show", "alice"), ("flow",), ("search", "alice"), ("stats",)):
        result = run_cli(*command)
        assert result.exit_code == 0, (command, result.output)
        assert not marker.exists(), command
    assert "Alice Zhang" in run_cli("show", "alice").output


def test_a_same_size_edit_of_an_entity_record_is_never_believed(tiny_dir, cache, run_cli):
    assert "Alice Zhang" in run_cli("show", "alice").output
    (records,) = cache.rglob("entities.jsonl")
    same_size_edit(records, b'"name":"Alice Zhang"', b'"name":"Mlice Zhang"')
    for _ in range(2):
        result = run_cli("show", "alice")
        assert result.exit_code == 0, result.output
        assert "Alice Zhang" in result.output and "Mlice" not in result.output


def test_a_same_size_edit_of_an_edge_record_is_never_believed(tiny_dir, cache, run_cli):
    before = run_cli("show", "alice", "--json")
    (records,) = cache.rglob("edges.jsonl")
    data = records.read_bytes()
    records.write_bytes(data.replace(b"2023", b"1999"))
    assert records.read_bytes() != data
    for command in (("show", "alice", "--json"), ("export", "--format", "json", "--out", "-")):
        result = run_cli(*command)
        assert result.exit_code == 0, result.output
        assert b"1999" not in result.stdout_bytes
    assert run_cli("show", "alice", "--json").output == before.output


def test_garbage_of_the_same_size_in_the_move_table_is_never_believed(tiny_dir, cache,
                                                                      run_cli):
    expected = run_cli("flow", "--explain", "acme", "globex", "--json").output
    # The table, and the edges the records of its moves are made from.
    for name in ("movetable.bin", "edges.jsonl"):
        (damaged,) = cache.rglob(name)
        damaged.write_bytes(b"x" * damaged.stat().st_size)
        for _ in range(2):
            result = run_cli("flow", "--explain", "acme", "globex", "--json")
            assert result.exit_code == 0, result.output
            assert result.output == expected
    (edges,) = cache.rglob("edges.jsonl")
    same_size_edit(edges, b"2022-08", b"1999-08")
    assert run_cli("flow", "--explain", "acme", "globex", "--json").output == expected


@pytest.mark.parametrize("where", ["store", "structure.bin", "entities.jsonl", "search.bin",
                                   "movetable.bin", "home", "root"])
@pytest.mark.parametrize("thing", ["file", "folder"])
def test_odd_things_where_the_cache_should_be_are_got_over(tiny_dir, cache, run_cli, where,
                                                           thing):
    assert run_cli("flow").exit_code == 0
    store = open_store(tiny_dir).folder
    place = {"store": store, "home": store.parent, "root": cache}.get(where, store / where)
    if place.is_dir():
        shutil.rmtree(place)
    else:
        place.unlink()
    if thing == "file":
        place.write_text("in the way")
    else:
        place.mkdir()
        (place / "x").write_text("in the way")
    for _ in range(2):
        for command, expected in ((("show", "alice"), "Alice Zhang"),
                                  (("flow", "--explain", "acme", "initech"), "Alice Zhang")):
            result = run_cli(*command)
            assert result.exit_code in (0, 2), result.output
            if result.exit_code == 2:
                # A clear error naming the path, never a traceback.
                assert str(cache) in result.output, result.output
            else:
                assert expected in result.output


def test_an_unwritable_cache_leaves_nothing_in_the_temporary_folder(tiny_dir, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "GRAPHKIT_CACHE": str(blocker / "cache"), "TMPDIR": str(temporary)}
    for command in (("show", "alice"), ("flow",)):
        done = subprocess.run([sys.executable, "-m", "graphkit", "--data", str(tiny_dir),
                               *command], capture_output=True, env=env, cwd=REPO, timeout=60)
        assert done.returncode == 0, done.stderr
        assert list(temporary.iterdir()) == []


def test_the_leftovers_of_a_killed_build_are_removed_by_the_next_run(tiny_dir, cache):
    store = open_store(tiny_dir).folder
    home = store.parent
    # What a build killed with SIGKILL leaves: its private folder, half written.
    killed = home / ".building-killed"
    killed.mkdir()
    (killed / "edges.jsonl").write_bytes(b"{" * 1000)
    (killed / ".lock").write_text("")
    open_store(tiny_dir)
    # (and the digests of the data files, which the next run need not read again)
    assert sorted(path.name for path in home.iterdir()) == [".digests.json", store.name]


def test_a_build_in_progress_is_left_alone(tiny_dir, cache):
    import fcntl

    store = open_store(tiny_dir).folder
    running = store.parent / ".building-running"
    running.mkdir()
    with open(running / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        open_store(tiny_dir)
        assert running.exists()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_saved_during_a_build_never_yields_a_store_answering_for_other_content(
        tiny_copy, cache, monkeypatch):
    """The repro: a build starts, the data is edited meanwhile and later restored; the
    restored data must get its own answers, not the edited ones."""
    entities = tiny_copy / "entities.json"
    original = entities.read_text(encoding="utf-8")
    real_write_graph = caching._write_graph
    edits = []

    def edit_while_building(dataset, folder):
        if not edits:  # once: the first build reads the original, then the file changes
            edits.append(1)
            _edit(entities, '"Alice Zhang"', '"Alice Edited"')
        return real_write_graph(dataset, folder)

    monkeypatch.setattr(caching, "_write_graph", edit_while_building)
    during = open_store(tiny_copy)
    # Whatever was served, it answers for the data now on disk, or for what it read.
    assert during.entity("alice")["name"] in ("Alice Zhang", "Alice Edited")
    monkeypatch.setattr(caching, "_write_graph", real_write_graph)
    assert open_store(tiny_copy).entity("alice")["name"] == "Alice Edited"
    entities.write_text(original, encoding="utf-8")
    assert open_store(tiny_copy).entity("alice")["name"] == "Alice Zhang"
    # And a store is only ever found under the hash of the content it holds.
    for home in cache.iterdir():
        for folder in home.iterdir():
            if not folder.name.startswith("."):
                loaded = caching._try_load(folder)
                assert loaded is not None
                assert folder.name == loaded.built_from[:32]
