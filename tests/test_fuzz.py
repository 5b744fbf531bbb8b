"""Fuzzing graphkit with hostile datasets and hostile arguments (issue 18).

Invariants, whatever the input:
- the exit code is 0, 1 or 2, and nothing escapes as a Python exception (no traceback);
- exit 2 comes with a message, naming the file, record and field for bad data;
- nothing is left half-written: no temporary files, nothing outside ``--out``;
- an answer from the cache equals the answer of a fresh build.

Kept small (a few dozen examples each, no deadline): the whole suite runs on two cores in
a few minutes.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphkit.cli import cli

TINY = Path(__file__).parent / "fixtures" / "tiny"
FILES = sorted(path.name for path in TINY.glob("*.json"))
PROBLEM_LINE = re.compile(r"^.+\.json:(-|\d+):[^:]+: .+", re.MULTILINE)
FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# -- hostile text --------------------------------------------------------------------------

HOSTILE_CHARACTERS = st.sampled_from([
    "\x00", "\x07", "\x1b[2J", "\x1b]0;pwned\x07", "\r", "\n", "\t", "\x7f", "\x9b",
    "\u202e", "\u2066", "\u200f", "\u2028", "\ufeff", "\ufffd", "=HYPERLINK(\"x\")", "+1",
    "-1", "@SUM(A1)", "'", "\"", "\\", "</script>", "]]>", "&amp;", "微軟", "😀", "e\u0301",
    " ", "\u3000", "·", "-", "../", "/", "%s", "{0}", "${x}",
])
HOSTILE_TEXT = st.lists(st.one_of(HOSTILE_CHARACTERS, st.text(max_size=5)),
                        max_size=6).map("".join)


def _walk(value, path=()):
    """Every (path, value) of the strings in a JSON document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


def _set(document, path, value):
    for step in path[:-1]:
        document = document[step]
    document[path[-1]] = value


@st.composite
def hostile_dataset(draw) -> dict[str, bytes | None | str]:
    """The tiny dataset's files, each perhaps damaged: name -> bytes (None: removed;
    "folder", "fifo", "dangling": that instead of a file)."""
    files: dict[str, bytes | None | str] = {name: (TINY / name).read_bytes() for name in FILES}
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(FILES))
        if not isinstance(files[name], bytes):
            continue
        try:
            document = json.loads(files[name])
        except (ValueError, RecursionError):
            continue  # already damaged beyond what json reads
        strings = list(_walk(document))
        kind = draw(st.sampled_from([
            "text", "text", "text", "huge", "deep", "duplicate-key", "duplicate-record",
            "drop", "encoding", "truncate", "type", "odd-file", "number"]))
        if kind == "text" and strings:
            path, _old = draw(st.sampled_from(strings))
            _set(document, path, draw(HOSTILE_TEXT))
        elif kind == "huge" and strings:
            path, _old = draw(st.sampled_from(strings))
            _set(document, path, "x" * 200_000)
        elif kind == "deep" and strings:
            path, _old = draw(st.sampled_from(strings))
            _set(document, path, "__DEEP__")  # nested below, in the text
        elif kind == "number" and strings:
            path, _old = draw(st.sampled_from(strings))
            _set(document, path, draw(st.sampled_from([0, -1, 2**70, 1e308, None, True])))
        elif kind == "type":
            document = draw(st.sampled_from([[], "x", None, 1, {}]))
        elif kind == "drop":
            files[name] = None
            continue
        elif kind == "odd-file":
            files[name] = draw(st.sampled_from(["folder", "fifo", "dangling"]))
            continue
        text = json.dumps(document, ensure_ascii=draw(st.booleans()))
        depth = draw(st.sampled_from([50, 2000]))
        text = text.replace('"__DEEP__"', "[" * depth + '"x"' + "]" * depth)
        if kind == "duplicate-key":
            text = text.replace('{"', '{"id": "dup", "', 1)
        elif kind == "duplicate-record":
            records = [key for key in ("entities", "edges", "sources", "cohorts")
                       if isinstance(document, dict) and isinstance(document.get(key), list)
                       and document[key]]
            if records:
                document[records[0]].append(document[records[0]][0])
                text = json.dumps(document)
        data = text.encode("utf-8", errors="surrogatepass")
        if kind == "encoding":
            data = text.encode("utf-16") if draw(st.booleans()) else data + b"\xff\xfe"
        elif kind == "truncate":
            data = data[: draw(st.integers(0, max(0, len(data) - 1)))]
        files[name] = data
    return files


def write_dataset(folder: Path, files: dict) -> None:
    folder.mkdir(parents=True)
    for name, content in files.items():
        path = folder / name
        if content is None:
            continue
        if content == "folder":
            path.mkdir()
        elif content == "fifo":
            os.mkfifo(path)
        elif content == "dangling":
            path.symlink_to(folder / "missing.json")
        else:
            path.write_bytes(content)


def invoke(*args: str, cache: Path):
    runner = CliRunner()
    return runner.invoke(cli, list(args), catch_exceptions=True,
                         env={"GRAPHKIT_CACHE": str(cache)})


def assert_well_behaved(result, args) -> None:
    """Exit 0, 1 or 2, nothing escaping as an exception, and a message with exit 2."""
    exception = result.exception
    assert exception is None or isinstance(exception, SystemExit), (
        args, repr(exception), result.output)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output, (args, result.output)
    if result.exit_code == 2:
        assert result.stderr.strip(), (args, result.output)


def leftovers(folder: Path) -> list[str]:
    return sorted(str(path) for path in folder.rglob("*")
                  if path.name.startswith(".") and path.name.endswith((".tmp", ".old")))


@FUZZ
@given(files=hostile_dataset())
def test_hostile_datasets(files):
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        data, cache, out = root / "data", root / "cache", root / "out"
        write_dataset(data, files)
        out.mkdir()
        validated = invoke("--data", str(data), "validate", cache=cache)
        assert_well_behaved(validated, "validate")
        if validated.exit_code == 2:
            # Every problem names the file, the record and the field.
            assert PROBLEM_LINE.search(validated.stderr), validated.stderr
        answers = {}
        for args in (("show", "alice", "--json"), ("flow", "--json"), ("search", "a"),
                     ("neighbors", "acme", "--depth", "2"), ("stats", "--json"),
                     ("export", "--format", "json", "--out", str(out / "g.json")),
                     ("export", "--format", "csv", "--out", str(out / "csv")),
                     ("render", "--out", str(out / "page.html"))):
            result = invoke("--data", str(data), *args, cache=cache)
            assert_well_behaved(result, args)
            if validated.exit_code == 0:
                assert result.exit_code in (0, 1), (args, result.output)
            else:
                assert result.exit_code == 2, (args, result.output)
            answers[args] = result.stdout
        # Nothing outside --out, nothing half-written.
        assert set(path.name for path in out.iterdir()) <= {"g.json", "csv", "page.html"}
        assert leftovers(root) == []
        if validated.exit_code == 0:
            # The cache answers as a fresh build does.
            for args in (("show", "alice", "--json"), ("flow", "--json")):
                fresh = invoke("--data", str(data), *args, cache=root / "fresh")
                assert fresh.stdout == answers[args], args


COMMANDS = {
    "show": ["ENTITY"], "search": ["TEXT"], "path": ["ENTITY", "ENTITY"],
    "neighbors": ["ENTITY"], "lineage": ["ENTITY"], "investments": ["ENTITY"],
    "stats": [], "flow": [], "validate": [], "timeline": ["ENTITY"], "figures": ["ENTITY"],
}
OPTIONS = ["--as-of", "--depth", "--k", "--max-hops", "--top", "--sample", "--relation",
           "--type", "--limit", "--since", "--until", "--from", "--to", "--explain",
           "--alumni-of", "--json", "--csv", "--all", "--details", "--metric", "--kind"]
VALUES = st.one_of(
    HOSTILE_TEXT,
    st.sampled_from(["0", "-1", "99999999999", "1e9", "2023", "0000", "2023-02-30",
                     "2023\n", "9999-12-31", "alice", "acme", "张爱丽", "", " ", "-",
                     "person-left-company", "nonsense"]),
    st.integers(-10, 10).map(str))


@st.composite
def hostile_arguments(draw) -> list[str]:
    command = draw(st.sampled_from(sorted(COMMANDS)))
    words = [command]
    for _ in COMMANDS[command]:
        words.append(draw(VALUES))
    for _ in range(draw(st.integers(0, 4))):
        words.append(draw(st.sampled_from(OPTIONS)))
        if draw(st.booleans()):
            words.append(draw(VALUES))
    return words


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory) -> Path:
    cache = tmp_path_factory.mktemp("fuzz-cache")
    assert invoke("--data", str(TINY), "flow", cache=cache).exit_code == 0
    return cache


@FUZZ
@given(words=hostile_arguments())
def test_hostile_arguments(words, warm_cache):
    result = invoke("--data", str(TINY), *words, cache=warm_cache)
    assert_well_behaved(result, words)


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=12).filter(lambda text: "/" not in text
                                                    and "\x00" not in text
                                                    and text not in (".", "..")))
def test_hostile_out_paths_write_only_there(name, tmp_path_factory):
    folder = tmp_path_factory.mktemp("out")
    cache = tmp_path_factory.getbasetemp() / "out-cache"
    target = folder / name
    result = invoke("--data", str(TINY), "export", "--format", "json", "--out", str(target),
                    cache=cache)
    assert_well_behaved(result, name)
    written = sorted(path.name for path in folder.iterdir())
    assert written in ([], [name]), written
    if result.exit_code == 0:
        assert json.loads(target.read_bytes())["directed"] is True
    shutil.rmtree(folder)
