"""Building the cache of a large dataset in two forked processes (schema check + entities'
half of the store in one, the other checks + the edges' half in the other) gives exactly
what building it in one process gives: the same files, or the same problems.

The tiny fixture is made "large" by lowering the threshold, so every path runs in seconds.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path

import orjson
import pytest
from test_validate import CASES, ROOT_PROBLEMS

import graphkit.data.dataset
import graphkit.store.cache
from graphkit.data.dataset import check_dataset
from graphkit.errors import DataError
from graphkit.query.paths import connection
from graphkit.store.cache import open_store

# Every broken copy of the tiny fixture that test_validate.py checks the messages of.
BROKEN = {**CASES, **ROOT_PROBLEMS}
pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="the parallel build needs fork")
FILES = ("structure.bin", "names.bin", "edges.jsonl", "entities.jsonl", "search.bin")


@pytest.fixture
def forked(monkeypatch):
    """Every dataset counts as large; returns how many processes were forked."""
    started = []
    original = graphkit.data.dataset._Forked.__init__

    def counting(self, work, *arguments):
        started.append(work.__name__)
        original(self, work, *arguments)

    monkeypatch.setattr(graphkit.data.dataset, "PARALLEL_THRESHOLD", 0)
    monkeypatch.setattr(graphkit.data.dataset, "_can_fork", lambda: True)
    monkeypatch.setattr(graphkit.data.dataset._Forked, "__init__", counting)
    return started


def build(directory: Path, cache_root: Path, name: str, monkeypatch):
    monkeypatch.setenv("GRAPHKIT_CACHE", str(cache_root / name))
    return open_store(directory)


def test_forked_build_writes_the_same_store(tiny_dir, tmp_path, monkeypatch, forked):
    monkeypatch.setattr(graphkit.data.dataset, "PARALLEL_THRESHOLD", 1 << 40)
    alone = build(tiny_dir, tmp_path, "alone", monkeypatch)
    assert forked == []
    monkeypatch.setattr(graphkit.data.dataset, "PARALLEL_THRESHOLD", 0)
    together = build(tiny_dir, tmp_path, "together", monkeypatch)
    assert sorted(forked) == ["_check_schema_then", "_check_then"]
    for name in FILES:
        assert (alone.folder / name).read_bytes() == (together.folder / name).read_bytes()
    assert together.resolve("NOVA") == "m3"
    assert connection(together.view(), "alice", "globex")["paths"][0]["length"] == 2


@pytest.mark.parametrize("case", BROKEN)
def test_forked_build_reports_the_same_problems(case, tiny_copy, cache, forked):
    breaker, _expected = BROKEN[case]
    breaker(tiny_copy)
    _, problems = check_dataset(tiny_copy)  # quotes are not checked when building
    forked.clear()
    if not problems:
        assert open_store(tiny_copy).resolve("nova") == "m3"
    else:
        with pytest.raises(DataError) as raised:
            open_store(tiny_copy)
        assert raised.value.problems == problems
        assert not cache.exists() or not any(
            folder for home in cache.iterdir() for folder in home.iterdir()
            if not folder.name.startswith("."))
    assert forked


def test_processes_that_read_different_data_start_again_carefully(
        tiny_dir, cache, forked, monkeypatch):
    def misread(directory, process_entities):
        return [], {"entities.json": b"something else"}

    monkeypatch.setattr(graphkit.data.dataset, "_check_schema_then", misread)
    store = open_store(tiny_dir)
    assert store.resolve("nova") == "m3" and store.names().resolve("Nova") == "m3"


def test_a_process_that_dies_is_made_up_for(tiny_dir, cache, forked, monkeypatch):
    monkeypatch.setattr(graphkit.data.dataset, "_check_then", lambda *arguments: os._exit(3))
    assert open_store(tiny_dir).resolve("nova") == "m3"


def test_an_error_while_writing_is_raised_and_nothing_is_cached(
        tiny_dir, cache, forked, monkeypatch):
    def full(*arguments, **options):
        raise OSError("No space left on device")

    monkeypatch.setattr(graphkit.store.cache, "_write_names", full)
    with pytest.raises(OSError, match="No space left"):
        open_store(tiny_dir)
    assert not any(folder for home in cache.iterdir() for folder in home.iterdir()
                   if not folder.name.startswith("."))


@pytest.mark.parametrize("damage", ["delete-names", "corrupt-names", "parts-of-two-builds"])
def test_a_damaged_half_is_detected_and_rebuilt(tiny_dir, tiny_copy, cache, damage):
    folder = open_store(tiny_dir).folder
    names = folder / "names.bin"
    if damage == "delete-names":
        names.unlink()
    elif damage == "corrupt-names":
        data = bytearray(names.read_bytes())
        data[-10] ^= 0xFF
        names.write_bytes(bytes(data))
    else:
        entities = tiny_copy / "entities.json"
        document = orjson.loads(entities.read_bytes())
        document["entities"].append({"id": "zed", "type": "person", "name": "Zed"})
        entities.write_bytes(orjson.dumps(document))
        shutil.copy(open_store(tiny_copy).folder / "names.bin", names)
    rebuilt = open_store(tiny_dir)
    assert rebuilt.folder == folder
    assert rebuilt.resolve("nova") == "m3"
    assert (folder / "names.bin").exists()

