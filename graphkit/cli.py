"""The ``graphkit`` command line: parse arguments, call the library, render the result.

Nothing here computes an answer.  Heavy modules (NetworkX, pyvis) are imported inside the
commands that need them, so ``graphkit --help`` and usage errors stay fast.
"""

from __future__ import annotations

import sys
from functools import wraps

import click

from graphkit.errors import ExitCode, GraphkitError

JSON_HELP = "Print one JSON document (sorted keys) instead of text."
AS_OF_HELP = "Only what was true on this date (YYYY, YYYY-MM or YYYY-MM-DD)."


class GraphkitClickException(click.ClickException):
    """A domain error on its way out, with the exit code its kind calls for."""

    def __init__(self, error: GraphkitError):
        super().__init__(str(error))
        self.exit_code = int(error.exit_code)


class NoAnswerExit(click.ClickException):
    """The question had no answer: the result was printed, then exit 1."""

    exit_code = int(ExitCode.NO_ANSWER)


def reports_errors(command):
    """Turn the library's domain errors into clean messages and named exit codes."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except GraphkitError as error:
            raise GraphkitClickException(error) from None

    return wrapper


class Session:
    """What every command shares: where the data is, and the graph once loaded."""

    def __init__(self, data: str | None):
        self.data = data
        self._graph = None
        self._index = None

    @property
    def data_dir(self):
        from graphkit.locate import find_data_dir

        return find_data_dir(self.data)

    def graph(self):
        if self._graph is None:
            from graphkit.graph import load_graph

            self._graph = load_graph(self.data_dir)
        return self._graph

    def names(self):
        if self._index is None:
            from graphkit.names import NameIndex

            self._index = NameIndex(self.graph().nodes)
        return self._index

    def resolve(self, name: str) -> str:
        return self.names().resolve(name)


def _set_data_dir(ctx: click.Context, _param, value: str | None) -> None:
    if value is not None:
        ctx.find_object(Session).data = value


data_option = click.option(
    "--data", metavar="DIR", expose_value=False, callback=_set_data_dir,
    help="Dataset directory (default: $GRAPHKIT_DATA, then ./edges, then the bundled dataset).")


def parse_as_of(value: str | None):
    """``--as-of`` as a PartialDate, or a usage error naming the option."""
    if value is None:
        return None
    from graphkit.dates import PartialDate

    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--as-of'") from None


def check_relations(relations: tuple[str, ...]) -> tuple[str, ...]:
    """``--relation`` values must name known relations."""
    from graphkit.dataset import closest
    from graphkit.relations import RELATIONS

    for relation in relations:
        if relation not in RELATIONS:
            hint = closest(relation, RELATIONS, 1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            raise click.BadParameter(f"unknown relation {relation!r}{suggestion}",
                                     param_hint="'--relation'")
    return relations


def emit(data, as_json: bool, render_text) -> None:
    """Print ``data`` as JSON, or as the text ``render_text(data)`` makes of it."""
    from graphkit.output import to_json

    click.echo(to_json(data) if as_json else render_text(data))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data", metavar="DIR", help="Dataset directory (default: $GRAPHKIT_DATA, "
              "then ./edges, then the bundled dataset).")
@click.version_option(package_name="graphkit")
@click.pass_context
def cli(ctx: click.Context, data: str | None) -> None:
    """Map who moves, who funds and what follows what in the AI industry.

    Exit codes: 0 answered, 1 no answer (e.g. no path), 2 bad input or usage.
    """
    ctx.obj = Session(data)


@cli.command()
@data_option
@click.option("--documents", metavar="DIR", type=click.Path(file_okay=False),
              help="Folder of the source documents: also check every quote is in its text.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_obj
@reports_errors
def validate(session: Session, documents: str | None, as_json: bool) -> None:
    """Check the dataset and report every problem, one per line.

    Problems read FILE:RECORD:FIELD: message (RECORD is the 0-based index in the file's
    list, or - for the file itself).  Exit 0 when clean, 2 otherwise.
    """
    from graphkit.dataset import check_dataset

    if documents is not None and not __import__("os").path.isdir(documents):
        raise click.BadParameter(f"{documents!r} is not a directory", param_hint="'--documents'")
    dataset, problems = check_dataset(session.data_dir, documents)
    if as_json:
        from graphkit.output import to_json

        click.echo(to_json({
            "directory": str(session.data_dir),
            "problems": [{"file": p.file, "record": p.record, "field": p.field,
                          "message": p.message} for p in problems],
            "valid": not problems}))
    else:
        for problem in problems:
            click.echo(str(problem), err=True)
        if not problems:
            click.echo(f"{session.data_dir}: valid ({len(dataset.entities)} entities, "
                       f"{len(dataset.edges)} edges, {len(dataset.cohorts)} cohorts, "
                       f"{len(dataset.sources)} sources)")
    if problems:
        if not as_json:
            click.echo(f"{len(problems)} problem(s) in {session.data_dir}", err=True)
        sys.exit(int(ExitCode.BAD_INPUT))


def main() -> None:
    """Entry point of the ``graphkit`` console script."""
    cli(prog_name="graphkit")
