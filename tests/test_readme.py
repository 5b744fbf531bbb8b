"""The README's promises: two set-up commands, and CI runs exactly the test one."""

from __future__ import annotations

import re
from pathlib import Path

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
