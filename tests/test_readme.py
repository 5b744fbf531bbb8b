"""The README's promises: two set-up commands, CI runs exactly the test one, and every
example shows what graphkit really prints."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def setup_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^    (\S.*)$", section, flags=re.MULTILINE)


def test_readme_has_exactly_two_setup_commands():
    install, test = setup_commands()
    assert install.endswith("pip install . && graphkit render")
    assert test.endswith("python -m pytest -q")


def test_ci_runs_the_readmes_test_command_verbatim():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


def examples() -> list[tuple[str, list[str]]]:
    """Each ``$ graphkit ...`` example in the README and the output lines it shows."""
    found, lines = [], (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if line.startswith("    $ graphkit "):
            shown = []
            for following in lines[number + 1:]:
                if following.startswith("    $ ") or not (following.startswith("    ")
                                                          or following == ""):
                    break
                shown.append(following[4:])
            while shown and shown[-1] == "":
                shown.pop()
            found.append((line[6:], shown))
    return found


@pytest.mark.parametrize(("command", "shown"), examples(), ids=lambda value: (
    value if isinstance(value, str) else ""))
def test_readme_examples_show_real_output(command, shown, monkeypatch):
    """What the README shows is what graphkit prints on the bundled data ("..." stands
    for lines left out; ``| head -N`` and ``| tail -N`` are applied as the shell would; an
    example that shows ``Error: ...`` exits 2)."""
    from click.testing import CliRunner

    from graphkit.cli import cli

    arguments, _pipe, filter_ = command.partition(" | ")
    words = shlex.split(arguments)[1:]
    if "--documents" in words and not (REPO / words[words.index("--documents") + 1]).is_dir():
        pytest.skip("the source articles are not beside the repository")
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("GRAPHKIT_DATA", raising=False)  # ./edges, as a reader would run it
    result = CliRunner().invoke(cli, words)
    refused = bool(shown) and shown[0].startswith("Error: ")  # shown as a usage error
    assert result.exit_code == (2 if refused else 0), result.output
    printed = result.output.splitlines()
    if filter_:
        tool, count = filter_.split()
        printed = printed[:int(count[1:])] if tool == "head" else printed[-int(count[1:]):]
    if shown and shown[-1] == "...":
        assert printed[:len(shown) - 1] == shown[:-1]
    else:
        assert printed == shown
