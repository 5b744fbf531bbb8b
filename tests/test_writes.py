"""Writing files: never replace what is not a regular file, stdout on request, and every
write error a clear message (never a traceback)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from graphkit.atomic import CannotWrite, write_bytes_atomic

REPO = Path(__file__).resolve().parent.parent


def special_files(folder: Path) -> dict[str, Path]:
    """A symlink, a FIFO, a folder and (when allowed) a character device, all made here."""
    made = {}
    target = folder / "target.txt"
    target.write_text("keep me")
    made["symlink"] = folder / "link"
    made["symlink"].symlink_to(target)
    made["dangling symlink"] = folder / "dangling"
    made["dangling symlink"].symlink_to(folder / "nowhere")
    made["fifo"] = folder / "fifo"
    os.mkfifo(made["fifo"])
    made["folder"] = folder / "folder"
    made["folder"].mkdir()
    try:
        os.mknod(folder / "null", 0o600 | stat.S_IFCHR, os.makedev(1, 3))
        made["device"] = folder / "null"
    except (PermissionError, OSError):
        pass
    return made


def kind(path: Path) -> str:
    mode = os.lstat(path).st_mode
    return ("link" if stat.S_ISLNK(mode) else "fifo" if stat.S_ISFIFO(mode)
            else "dir" if stat.S_ISDIR(mode) else "chr" if stat.S_ISCHR(mode) else "file")


def test_atomic_write_never_replaces_what_is_not_a_regular_file(tmp_path):
    made = special_files(tmp_path)
    assert len(made) >= 4
    before = {name: kind(path) for name, path in made.items()}
    for name, path in made.items():
        with pytest.raises(CannotWrite, match="not a regular file") as caught:
            write_bytes_atomic(path, b"new")
        assert str(path) in str(caught.value), name
    assert {name: kind(path) for name, path in made.items()} == before
    assert (tmp_path / "target.txt").read_text() == "keep me"
    assert not (tmp_path / "nowhere").exists()
    # No temporary file left behind.
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_atomic_write_replaces_a_regular_file(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    write_bytes_atomic(path, b"new")
    assert path.read_bytes() == b"new"


def test_atomic_write_errors_are_graphkit_errors_naming_the_path(tmp_path):
    (tmp_path / "f").write_text("a file")
    with pytest.raises(CannotWrite, match="cannot write") as caught:
        write_bytes_atomic(tmp_path / "f" / "p.html", b"x")
    assert str(tmp_path / "f") in str(caught.value)


@pytest.mark.parametrize("command", [
    ("export", "--format", "json", "--out"),
    ("export", "--format", "graphml", "--out"),
    ("export", "--format", "csv", "--out"),
    ("render", "--out"),
])
def test_commands_refuse_to_replace_special_files(run_cli, tmp_path, command):
    made = special_files(tmp_path)
    before = {name: kind(path) for name, path in made.items()}
    for name, path in made.items():
        if command[-2:] == ("csv", "--out") and name == "folder":
            continue  # a csv export is a folder: replacing an empty one is its job
        result = run_cli(*command, str(path))
        assert result.exit_code == 2, (name, result.output)
        assert "Traceback" not in result.output
        assert str(path) in result.output, (name, result.output)
    assert {name: kind(path) for name, path in made.items()} == before
    assert (tmp_path / "target.txt").read_text() == "keep me"


def test_render_out_empty_is_a_usage_error(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("render", "--out", "")
    assert result.exit_code == 2
    assert "--out" in result.output
    assert not (tmp_path / "output").exists()


def test_render_into_a_file_is_a_clear_error(run_cli, tmp_path):
    (tmp_path / "f").write_text("")
    result = run_cli("render", "--out", str(tmp_path / "f" / "p.html"))
    assert result.exit_code == 2
    assert str(tmp_path / "f") in result.output and "Traceback" not in result.output


def test_a_failing_write_is_a_clear_error(run_cli, tmp_path, monkeypatch):
    import errno

    def full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    for command in (("export", "--format", "json"), ("render",)):
        out = tmp_path / "out.file"
        result = run_cli(*command, "--out", str(out))
        assert result.exit_code == 2, result.output
        assert "No space left on device" in result.output and str(out) in result.output
        assert not out.exists()
        assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [("export", "--format", "json"),
                                     ("export", "--format", "graphml"),
                                     ("export", "--format", "csv"),
                                     ("render",)])
def test_out_dash_writes_to_stdout(run_cli, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    result = run_cli(*command, "--out", "-")
    if command[-1] == "csv":
        assert result.exit_code == 2 and ".zip" in result.output
        return
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.lstrip().startswith((b"{", b"<"))
    assert list(tmp_path.iterdir()) == []  # no file named "-", no output/ folder


def test_out_dash_matches_the_file(run_cli, tmp_path):
    written = tmp_path / "g.json"
    assert run_cli("export", "--format", "json", "--out", str(written)).exit_code == 0
    assert run_cli("export", "--format", "json", "--out", "-").stdout_bytes == \
        written.read_bytes()


def graphkit(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graphkit", *args], capture_output=True,
                          cwd=REPO, env={**os.environ, **(env or {})}, timeout=120)


def test_a_terminal_that_cannot_show_chinese_gets_escapes_not_a_traceback():
    done = graphkit("--data", str(REPO / "tests" / "fixtures" / "tiny"), "show", "alice",
                    env={"PYTHONIOENCODING": "latin-1"})
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr
    assert b"Alice Zhang" in done.stdout
    assert b"\\u5f20" in done.stdout  # 张, escaped
