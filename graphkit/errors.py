"""Domain errors.  The core raises these; only the CLI turns them into exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """What a ``graphkit`` process tells its caller."""

    ANSWERED = 0
    NO_ANSWER = 1
    BAD_INPUT = 2


class GraphkitError(Exception):
    """Base of every error graphkit reports to a user (never with a traceback)."""

    exit_code = ExitCode.BAD_INPUT


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the data, located as ``FILE:RECORD:FIELD``.

    ``record`` is the 0-based index in the file's list, or ``-`` for the file itself.

    >>> str(Problem("edges/x.json", 3, "date", "not a date"))
    'edges/x.json:3:date: not a date'
    """

    file: str
    record: int | str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.record}:{self.field}: {self.message}"


class DataError(GraphkitError):
    """The dataset is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=problem_order)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def problem_order(problem: Problem) -> tuple:
    """Sort key: by file, then record number (file-level ``-`` first), field and message.

    >>> [p.record for p in sorted([Problem("f", 10, "a", "m"), Problem("f", 2, "a", "m"),
    ...                            Problem("f", "-", "-", "m")], key=problem_order)]
    ['-', 2, 10]
    """
    record = problem.record if isinstance(problem.record, int) else -1
    return (problem.file, record, problem.field, problem.message)


class UnknownEntity(GraphkitError):
    """A name that matches no entity; ``suggestions`` are the closest display names."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {_either(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown entity {name!r}{hint}")


class AmbiguousEntity(GraphkitError):
    """A name shared by several entities; ``candidates`` are ``(id, name, type)``,
    the first of ``total``."""

    def __init__(self, name: str, candidates: list[tuple[str, str, str]],
                 total: int | None = None):
        self.name = name
        self.candidates = candidates
        self.total = max(total or 0, len(candidates))
        listed = ", ".join(f"{ident} ({kind}: {label})" for ident, label, kind in candidates)
        more = self.total - len(candidates)
        if more:
            listed += f" (and {more:,} more: give more of the name)"
        super().__init__(f"{name!r} is ambiguous; use one of the ids: {listed}")


class BadArgument(GraphkitError):
    """A command-line value the core cannot use (a malformed date, an unknown relation)."""


class CacheDamaged(GraphkitError):
    """A cache file was found damaged while reading it (and has been removed): running the
    command again rebuilds it.  The CLI does that once by itself."""


class DataChanging(GraphkitError):
    """The data kept changing while graphkit read it, so no answer would be for any one
    version of it."""


class NoAnswer(GraphkitError):
    """The question was valid but has no answer (e.g. no path between two entities)."""

    exit_code = ExitCode.NO_ANSWER


def _either(options: list[str]) -> str:
    quoted = [repr(option) for option in options]
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
