"""The cache: never stale, never trusted when damaged, safe to build from two processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from graphkit.data.dataset import load_dataset
from graphkit.errors import DataError, UnknownEntity
from graphkit.query.cards import entity_card
from graphkit.query.paths import connection, neighborhood
from graphkit.store.cache import cache_root, open_store
from graphkit.store.graph import build_graph, load_graph


def store_folders(root: Path) -> list[Path]:
    """The stores under a cache root (not the digests kept beside them, hidden)."""
    return sorted(folder for home in root.iterdir() for folder in home.iterdir()
                  if not folder.name.startswith("."))


def test_store_answers_like_the_graph(tiny_dir, cache):
    store, graph = open_store(tiny_dir), load_graph(tiny_dir)
    for source, target in (("alice", "globex"), ("carol", "fundco"), ("m1", "bob")):
        for mode in ("shortest", "all", "k"):
            assert connection(store.view(), source, target, mode=mode, k=3) == connection(
                graph, source, target, mode=mode, k=3)
    assert neighborhood(store.view(), "acme", 2) == neighborhood(graph, "acme", 2)
    assert entity_card(store.view(), "initech") == entity_card(graph, "initech")
    rebuilt = build_graph(store.dataset())
    assert dict(rebuilt.nodes(data=True)) == dict(graph.nodes(data=True))
    assert sorted(rebuilt.edges(keys=True, data=True)) == sorted(
        graph.edges(keys=True, data=True))
    assert rebuilt.graph == graph.graph


def test_paths_over_the_store_walk_numbers_and_tie_as_the_graph_does(cache, tmp_path):
    # The store's search walks entity numbers (in the data's order: company-10 before
    # company-2 by id, after it by number), the graph's walks ids: the path kept among
    # equally short ones, and the order of --all, must still be by id.
    import random
    import sys

    from graphkit.data.dates import PartialDate
    from graphkit.query.paths import find_paths
    from graphkit.store.graph import as_of

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import generate

    directory = Path(generate(tmp_path / "data", 300, 1200, 3)["directory"])
    store, graph = open_store(directory), load_graph(directory)
    in_2022 = PartialDate.parse("2022")
    views = [(store.view(), graph), (store.view(in_2022), as_of(graph, in_2022))]
    tied, pick = 0, random.Random(1)
    for _ in range(150):
        source, target = pick.sample(sorted(graph.nodes), 2)
        for network, same in views:
            every = find_paths(same, source, target, mode="all")
            tied += len(every) > 1
            assert find_paths(network, source, target, mode="all") == every
            assert find_paths(network, source, target) == find_paths(same, source, target)
    assert tied > 20  # many answers had several shortest paths to choose among


def test_store_resolves_names_and_suggests(tiny_dir, cache):
    store = open_store(tiny_dir)
    assert store.resolve("張愛麗") == "alice" and store.resolve("NOVA") == "m3"
    with pytest.raises(UnknownEntity, match="did you mean 'Alice Zhang'"):
        store.resolve("Alise Zhang")


def test_second_open_reuses_the_store(tiny_dir, cache):
    first = open_store(tiny_dir)
    second = open_store(tiny_dir)
    assert first.folder == second.folder
    assert len(store_folders(cache)) == 1


def test_any_change_to_the_data_makes_a_new_store(tiny_copy, cache):
    before = open_store(tiny_copy)
    assert before.resolve("Carol Wu") == "carol"
    entities = tiny_copy / "entities.json"
    document = json.loads(entities.read_text())
    document["entities"][2]["name"] = "Caroline Wu"  # same size would not matter either
    entities.write_text(json.dumps(document, ensure_ascii=False))
    after = open_store(tiny_copy)
    assert after.folder != before.folder
    assert after.resolve("Caroline Wu") == "carol"
    assert [folder.name for folder in store_folders(cache)] == [after.folder.name]


def test_invalid_data_is_refused_and_nothing_is_cached(tiny_copy, cache):
    (tiny_copy / "entities.json").write_text("{")
    with pytest.raises(DataError, match="malformed JSON"):
        open_store(tiny_copy)
    assert not cache.exists() or store_folders(cache) == []


@pytest.mark.parametrize("damage", ["truncate-structure", "corrupt-structure",
                                    "truncate-edges", "delete-forms"])
def test_a_damaged_store_is_detected_and_rebuilt(tiny_dir, cache, damage):
    folder = open_store(tiny_dir).folder
    if damage == "truncate-structure":
        path = folder / "structure.bin"
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "corrupt-structure":
        path = folder / "structure.bin"
        data = bytearray(path.read_bytes())
        data[-10] ^= 0xFF
        path.write_bytes(bytes(data))
    elif damage == "truncate-edges":
        path = folder / "edges.jsonl"
        path.write_bytes(path.read_bytes()[:-20])
    else:
        (folder / "search.bin").unlink()
    rebuilt = open_store(tiny_dir)
    assert rebuilt.edge(0)["id"] == load_dataset(tiny_dir).edges[0]["id"]
    assert connection(rebuilt.view(), "alice", "globex")["paths"][0]["length"] == 2
    assert rebuilt.names().resolve("Nova") == "m3"


def test_two_processes_building_at_once_both_get_a_complete_store(tiny_dir, cache):
    script = ("import sys; from graphkit.store.cache import open_store; "
              "s = open_store(sys.argv[1]); print(s.folder, s.resolve('nova'))")
    runs = [subprocess.Popen([sys.executable, "-c", script, str(tiny_dir)],
                             stdout=subprocess.PIPE, text=True,
                             env={**__import__("os").environ, "GRAPHKIT_CACHE": str(cache)})
            for _ in range(4)]
    outputs = [run.communicate(timeout=60)[0].split() for run in runs]
    assert all(run.returncode == 0 for run in runs)
    assert {output[1] for output in outputs} == {"m3"}
    assert len({output[0] for output in outputs}) == 1
    assert [folder.name for folder in store_folders(cache)] == [Path(outputs[0][0]).name]


def test_cache_location_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("GRAPHKIT_CACHE", str(tmp_path / "x"))
    assert cache_root() == tmp_path / "x"
    monkeypatch.delenv("GRAPHKIT_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "graphkit"


def test_unwritable_cache_still_answers(tiny_dir, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("GRAPHKIT_CACHE", str(blocker / "cache"))
    assert open_store(tiny_dir).resolve("nova") == "m3"


def test_a_data_file_unchanged_since_it_was_hashed_is_not_read_again(tiny_copy, tmp_path,
                                                                        monkeypatch):
    import hashlib

    import graphkit.store.cache as cache_module

    known = tmp_path / "digests.json"
    monkeypatch.setattr(cache_module, "_SETTLED_NS", 0)
    first = cache_module.content_hash(tiny_copy, known)
    assert first == cache_module.content_hash(tiny_copy)  # the same digest as reading all

    def no_reading(*_arguments):
        raise AssertionError("read again")

    monkeypatch.setattr(hashlib, "file_digest", no_reading)
    assert cache_module.content_hash(tiny_copy, known) == first


def test_a_data_file_changed_in_place_is_hashed_again_even_with_its_old_time(tiny_copy,
                                                                              tmp_path,
                                                                              monkeypatch):
    import graphkit.store.cache as cache_module

    known = tmp_path / "digests.json"
    monkeypatch.setattr(cache_module, "_SETTLED_NS", 0)
    first = cache_module.content_hash(tiny_copy, known)
    path = tiny_copy / "entities.json"
    status = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Alice Zhang", "Alica Zhang"), encoding="utf-8")  # same size
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))  # and the same time
    assert path.stat().st_size == status.st_size
    assert cache_module.content_hash(tiny_copy, known) != first
    assert cache_module.content_hash(tiny_copy, known) == cache_module.content_hash(tiny_copy)


def test_a_file_changed_just_now_is_not_remembered(tiny_copy, tmp_path):
    from graphkit.store.cache import content_hash

    known = tmp_path / "digests.json"
    (tiny_copy / "entities.json").write_bytes((tiny_copy / "entities.json").read_bytes())
    content_hash(tiny_copy, known)
    remembered = orjson.loads(known.read_bytes()) if known.exists() else {}
    assert str(tiny_copy / "entities.json") not in remembered


def test_a_second_open_does_not_read_settled_data_files_again(tiny_dir, cache, monkeypatch):
    import hashlib

    first = open_store(tiny_dir)  # builds, and remembers the digests of the settled files

    def no_reading(*_arguments):
        raise AssertionError("a data file was read again")

    monkeypatch.setattr(hashlib, "file_digest", no_reading)
    assert open_store(tiny_dir).folder == first.folder
