"""Real processes: an edit saved while a cache builds, and a build killed half way (issue 18:
the race test and the crash test).  A synthetic dataset big enough that a build takes a
moment is generated once per session."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))


@pytest.fixture(scope="module")
def medium(tmp_path_factory) -> Path:
    from generate import generate

    return Path(generate(tmp_path_factory.mktemp("medium"), entities=4_000, edges=16_000,
                         seed=7)["directory"])


@pytest.fixture(scope="module")
def fresh_answer(medium, tmp_path_factory) -> bytes:
    """``show company-1 --json`` from a fresh build of the untouched data."""
    done = graphkit(medium, tmp_path_factory.mktemp("fresh-cache"), "show", "company-1",
                    "--json")
    assert done.returncode == 0, done.stderr
    return done.stdout


def graphkit(data: Path, cache: Path, *args: str, wait: bool = True):
    command = [sys.executable, "-m", "graphkit", "--data", str(data), *args]
    env = {**os.environ, "GRAPHKIT_CACHE": str(cache)}
    if not wait:
        return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, cwd=REPO)
    return subprocess.run(command, capture_output=True, env=env, cwd=REPO, timeout=300)


def wait_for_build(cache: Path, process, limit: float = 60) -> Path:
    """The ``.building-*`` folder of the build ``process`` is running, once it has one."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        found = list(cache.glob("*/.building-*"))
        if found:
            return found[0]
        assert process.poll() is None, process.communicate()
        time.sleep(0.005)
    raise AssertionError("no build started")


def entity_name(data: Path, ident: str) -> str:
    document = json.loads((data / "entities.json").read_text(encoding="utf-8"))
    return next(entity["name"] for entity in document["entities"] if entity["id"] == ident)


def test_an_edit_during_a_build_never_gives_a_store_answering_for_other_content(
        medium, fresh_answer, tmp_path):
    cache = tmp_path / "cache"
    entities = medium / "entities.json"
    original = entities.read_bytes()
    ident = "company-1"
    name = entity_name(medium, ident)
    edited = original.replace(f'"{name}"'.encode(), b'"Edited Name"', 1)
    assert edited != original
    try:
        running = graphkit(medium, cache, "show", ident, "--json", wait=False)
        wait_for_build(cache, running)
        time.sleep(0.05)
        entities.write_bytes(edited)  # saved while the build reads the data
        output, errors = running.communicate(timeout=300)
        assert running.returncode == 0, errors
        # Whatever that run answered, it answered for one real version of the data.
        assert json.loads(output)["entity"]["name"] in (name, "Edited Name")
        # The edit is undone: the original content must give the original answer.
        entities.write_bytes(original)
        again = graphkit(medium, cache, "show", ident, "--json")
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["entity"]["name"] == name
        assert again.stdout == fresh_answer
    finally:
        entities.write_bytes(original)


def test_a_killed_build_is_cleaned_up_by_the_next_run(medium, fresh_answer, tmp_path):
    cache = tmp_path / "cache"
    running = graphkit(medium, cache, "show", "company-1", wait=False)
    leftover = wait_for_build(cache, running)
    time.sleep(0.1)  # into the build
    running.send_signal(signal.SIGKILL)
    running.communicate(timeout=60)
    assert leftover.exists()  # what a killed build leaves
    after = graphkit(medium, cache, "show", "company-1", "--json")
    assert after.returncode == 0, after.stderr
    assert not leftover.exists()
    assert list(cache.glob("*/.building-*")) == []
    assert after.stdout == fresh_answer
