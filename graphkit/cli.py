"""The ``graphkit`` command line: parse arguments, call the library, render the result.

Nothing here computes an answer.  Heavy modules (NetworkX, pyvis) are imported inside the
commands that need them, so ``graphkit --help`` and usage errors stay fast.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from functools import wraps
from pathlib import Path

import click

from graphkit.errors import ExitCode, GraphkitError

JSON_HELP = "Print one JSON document (sorted keys) instead of text."
LINEAGE_LIMIT = 100  # models listed each way by default (a synthetic family holds 100,000)
# Bounds on numbers, so a typo (--depth 99999999999) is a clear usage error at once:
# hops, list lengths, paths to enumerate, betweenness sources and nodes on one page.
MAX_HOPS = 1_000_000
MAX_LIST = 100_000
MAX_PATHS = 1_000
MAX_SAMPLE = 100_000
MAX_NODES = 1_000_000
AS_OF_HELP = "Only what was true on this date (YYYY, YYYY-MM or YYYY-MM-DD)."


class GraphkitClickException(click.ClickException):
    """A domain error on its way out, with the exit code its kind calls for."""

    def __init__(self, error: GraphkitError):
        from graphkit.present.output import terminal_text

        super().__init__(terminal_text(str(error)))
        self.exit_code = int(error.exit_code)


class NoAnswerExit(click.ClickException):
    """The question had no answer: the result was printed, then exit 1."""

    exit_code = int(ExitCode.NO_ANSWER)


def reports_errors(command):
    """Turn the library's domain errors into clean messages and named exit codes."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        from graphkit.errors import CacheDamaged

        try:
            try:
                return command(*args, **kwargs)
            except CacheDamaged:
                # The damaged cache is gone: once more, from a store built afresh.
                session = click.get_current_context().find_object(Session)
                if session is not None:
                    session.forget()
                return command(*args, **kwargs)
        except GraphkitError as error:
            raise GraphkitClickException(error) from None
        except OSError as error:
            # A file graphkit had to read or write: say which, and why, not a traceback.
            where = f"{error.filename}: " if error.filename else ""
            failure = click.ClickException(f"{where}{error.strerror or error}")
            failure.exit_code = int(ExitCode.BAD_INPUT)
            raise failure from None

    return wrapper


class Session:
    """What every command shares: where the data is, and the graph once loaded.

    Queries that walk a few edges (path, neighbors, show, search) read the cached store;
    commands that need every edge get the NetworkX graph, built from the store.
    """

    def __init__(self, data: str | None):
        self.data = data
        self._store = None
        self._graph = None

    def forget(self) -> None:
        """Drop the store and graph read so far (the cache was found damaged)."""
        self._store = None
        self._graph = None

    @property
    def data_dir(self):
        from graphkit.data.locate import find_data_dir

        return find_data_dir(self.data)

    def store(self):
        if self._store is None:
            from graphkit.store.cache import open_store

            self._store = open_store(self.data_dir, progress=terminal_progress())
        return self._store

    def graph(self):
        if self._graph is None:
            from graphkit.store.graph import build_graph

            self._graph = build_graph(self.store().dataset())
        return self._graph

    def network(self, as_of: str | None = None, relations: tuple[str, ...] = ()):
        """The traversal interface over the store, as of a date and for some relations."""
        return self.store().view(parse_as_of(as_of), check_relations(relations))

    def names(self):
        return self.store().names()

    def resolve(self, name: str) -> str:
        return self.store().resolve(name)


def terminal_progress():
    """A progress reporter for slow steps: on stderr when it is a terminal, else silent."""
    if not sys.stderr.isatty():
        return None
    import time

    started = time.monotonic()

    def report(message: str) -> None:
        click.echo(f"graphkit: {message} [{time.monotonic() - started:.1f}s]", err=True)

    return report


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
    from graphkit.data.dates import PartialDate

    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--as-of'") from None


def check_relations(relations: tuple[str, ...]) -> tuple[str, ...]:
    """``--relation`` values must name known relations."""
    from graphkit.data.relations import RELATIONS

    for relation in relations:
        if relation not in RELATIONS:
            from graphkit.data.names import closest

            hint = closest(relation, RELATIONS, 1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            raise click.BadParameter(f"unknown relation {relation!r}{suggestion}",
                                     param_hint="'--relation'")
    return relations


def emit(data, as_json: bool, render_text) -> None:
    """Print ``data`` as JSON, or as the text ``render_text(data)`` makes of it."""
    from graphkit.present.output import json_bytes, terminal_text

    # Bytes go out as they are: a large answer is not copied into a str and back.  Text
    # shows control characters and bidirectional overrides as escapes; JSON keeps them.
    click.echo(json_bytes(data) if as_json else terminal_text(render_text(data)))


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
              help="Folder of the source documents to check every quote against (default: "
                   "the dataset's own documents/ folder).")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.pass_obj
@reports_errors
def validate(session: Session, documents: str | None, as_json: bool) -> None:
    """Check the dataset and report every problem, one per line.

    Problems read FILE:RECORD:FIELD: message (RECORD is the 0-based index in the file's
    list, or - for the file itself).  Exit 0 when clean, 2 otherwise.  In data with no
    problem, a file that is not in the canonical formatting is a warning (FILE: warning:
    ...; exit 0), not a problem.

    Examples:

    \b
      graphkit validate
      graphkit validate --data edges --documents ../shared/sources --json
    """
    from graphkit.data.dataset import check_dataset
    from graphkit.present.output import terminal_text

    if documents is not None and not os.path.isdir(documents):
        raise click.BadParameter(f"{documents!r} is not a directory", param_hint="'--documents'")
    from graphkit.curate.files import non_canonical_files

    # The edge lists are checked one at a time and only counted: at 10M edges, holding
    # them all would take about 17 GB.
    edges: list[int] = []
    dataset, problems = check_dataset(session.data_dir, documents,
                                      edge_sink=lambda good, *_ends: edges.append(len(good)))
    # Formatting is advice for data that is otherwise valid (a broken file is about to change).
    warnings = [] if problems else [
        {"file": str(path), "message": "not in the canonical formatting (graphkit fmt "
         "rewrites it)"} for path in non_canonical_files(session.data_dir)]
    if as_json:
        from graphkit.present.output import to_json

        click.echo(to_json({
            "directory": str(session.data_dir),
            "problems": [{"file": p.file, "record": p.record, "field": p.field,
                          "message": p.message} for p in problems],
            "valid": not problems, "warnings": warnings}))
    else:
        for problem in problems:
            click.echo(terminal_text(str(problem)), err=True)
        for warning in warnings:
            click.echo(terminal_text(f"{warning['file']}: warning: {warning['message']}"),
                       err=True)
        if not problems:
            click.echo(f"{session.data_dir}: valid ({len(dataset.entities)} entities, "
                       f"{sum(edges)} edges, {len(dataset.cohorts)} cohorts, "
                       f"{len(dataset.figures)} figures, {len(dataset.rounds)} rounds, "
                       f"{len(dataset.events)} events, {len(dataset.sources)} sources)")
    if problems:
        if not as_json:
            click.echo(f"{len(problems)} problem(s) in {session.data_dir}", err=True)
        sys.exit(int(ExitCode.BAD_INPUT))


def with_query(result: dict, **query) -> dict:
    """Echo the question in the JSON answer, so a saved answer says what it answers."""
    return {**result, "query": query}


json_option = click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
as_of_option = click.option("--as-of", metavar="DATE", help=AS_OF_HELP)
relation_option = click.option("--relation", "relations", multiple=True, metavar="RELATION",
                               help="Only this relation (repeatable).")


@cli.command()
@data_option
@click.argument("entity")
@as_of_option
@json_option
@click.pass_obj
@reports_errors
def show(session: Session, entity: str, as_of: str | None, as_json: bool) -> None:
    """The entity card: type, aliases, every relation, figure, funding round and event
    with date and sources; a hedged claim says so ([possible], [reported by ...]).

    Examples:

    \b
      graphkit show "Sam Altman"
      graphkit show 微软 --as-of 2022 --json
    """
    network, ident = session.network(as_of), session.resolve(entity)
    # Only once the name is known: a typo's "did you mean" need not wait for NetworkX.
    from graphkit.present.text import card_text
    from graphkit.query.cards import entity_card
    from graphkit.query.facts import Facts

    store, date = session.store(), parse_as_of(as_of)
    facts = Facts.from_store(store)
    card = entity_card(network, ident, facts, date)
    emit(with_query(card, entity=entity, as_of=as_of), as_json, card_text)
    _refuse_unborn(facts, ident, date, as_of)


@cli.command()
@data_option
@click.argument("text")
@click.option("--type", "entity_type", metavar="TYPE", help="Only entities of this type.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1, max=MAX_LIST))
@as_of_option
@json_option
@click.pass_obj
@reports_errors
def search(session: Session, text: str, entity_type: str | None, limit: int,
           as_of: str | None, as_json: bool) -> None:
    """Entities whose name or alias matches TEXT, best first (exit 1 when none).

    Examples:

    \b
      graphkit search altman
      graphkit search 谷歌 --type company --json
    """
    from graphkit.data.relations import ENTITY_TYPES
    from graphkit.present.text import search_text

    if entity_type is not None and entity_type not in ENTITY_TYPES:
        raise click.BadParameter(f"unknown entity type {entity_type!r} (one of: "
                                 f"{', '.join(ENTITY_TYPES)})", param_hint="'--type'")
    if as_of is None:
        results = session.names().search(text, entity_type, limit)
    else:
        from graphkit.data.names import search_linked

        results = search_linked(session.names(), session.network(as_of), text, entity_type,
                                limit)
    emit(with_query({"query": text, "results": results}, text=text, type=entity_type,
                    as_of=as_of), as_json, search_text)
    if not results:
        raise NoAnswerExit(f"no entity matches {text!r}")


@cli.command()
@data_option
@click.argument("source", metavar="A")
@click.argument("target", metavar="B")
@click.option("--all", "all_shortest", is_flag=True, help="Every shortest path.")
@click.option("--k", type=click.IntRange(min=1, max=MAX_PATHS), metavar="N",
              help="The N shortest simple paths.")
@click.option("--max-hops", type=click.IntRange(min=1, max=MAX_HOPS), metavar="N",
              help="Only paths of at most N hops.")
@relation_option
@as_of_option
@json_option
@click.pass_obj
@reports_errors
def path(session: Session, source: str, target: str, all_shortest: bool, k: int | None,
         max_hops: int | None, relations: tuple[str, ...], as_of: str | None,
         as_json: bool) -> None:
    """How A is connected to B: the shortest path, each hop cited.

    Relations are walked in either direction; each hop says which way it really points.
    Exit 1 when there is no path.

    Examples:

    \b
      graphkit path "Ilya Sutskever" Microsoft
      graphkit path OpenAI Anthropic --k 3 --max-hops 3
    """
    from graphkit.present.text import paths_text
    from graphkit.query.paths import connection

    if all_shortest and k:
        raise click.UsageError("use either --all or --k, not both")
    network = session.network(as_of, relations)
    mode = "all" if all_shortest else ("k" if k else "shortest")
    result = connection(network, session.resolve(source), session.resolve(target), mode=mode,
                        k=k or 1, max_hops=max_hops)
    emit(with_query(result, a=source, b=target, mode=mode, k=k, max_hops=max_hops,
                    relations=list(relations), as_of=as_of), as_json, paths_text)
    if not result["paths"]:
        within = f" within {max_hops} hops" if max_hops else ""
        names = result["entities"]
        why = ""
        if as_of is not None:
            from graphkit.query.facts import Facts, not_yet, not_yet_text

            facts = Facts.from_store(session.store())
            for end in (result["from"], result["to"]):
                if began := not_yet(facts, end, parse_as_of(as_of)):
                    why = f": {not_yet_text(names[end]['name'], began, as_of)}"
                    break
        raise NoAnswerExit(f"no path between {names[result['from']]['name']} and "
                           f"{names[result['to']]['name']}{within}{why}")


@cli.command()
@data_option
@click.argument("entity")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(min=1, max=MAX_HOPS),
              help="How many hops out.")
@relation_option
@as_of_option
@json_option
@click.pass_obj
@reports_errors
def neighbors(session: Session, entity: str, depth: int, relations: tuple[str, ...],
              as_of: str | None, as_json: bool) -> None:
    """The ego network: everything within --depth hops of ENTITY.

    Examples:

    \b
      graphkit neighbors OpenAI
      graphkit neighbors OpenAI --depth 2 --relation person-left-company
    """
    from graphkit.present.text import neighbors_text
    from graphkit.query.paths import neighborhood

    ident = session.resolve(entity)
    result = neighborhood(session.network(as_of, relations), ident, depth)
    emit(with_query(result, entity=entity, depth=depth, relations=list(relations),
                    as_of=as_of), as_json, neighbors_text)
    if as_of is not None:
        from graphkit.query.facts import Facts

        _refuse_unborn(Facts.from_store(session.store()), ident, parse_as_of(as_of), as_of)


@cli.command()
@data_option
@click.argument("model")
@click.option("--depth", type=click.IntRange(min=1, max=MAX_HOPS), default=None,
              help="walk at most N steps each way (default: no bound)")
@click.option("--limit", type=click.IntRange(min=0, max=MAX_LIST), default=LINEAGE_LIMIT,
              show_default=True, help="list at most N models each way, nearest first; 0 for all")
@as_of_option
@json_option
@click.pass_obj
@reports_errors
def lineage(session: Session, model: str, depth: int | None, limit: int, as_of: str | None,
            as_json: bool) -> None:
    """What came before and after MODEL, with codenames and status.

    A large family is listed nearest first and cut at --limit models each way; the answer
    says what was cut.

    Examples:

    \b
      graphkit lineage Orion
      graphkit lineage GPT-4 --as-of 2023 --json
    """
    from graphkit.data.relations import SUCCESSION_RELATIONS
    from graphkit.present.text import lineage_text
    from graphkit.query.lineage import lineage as model_lineage

    # The cache, limited to lineage edges: the walk reads only the model's lineage.
    network = session.network(as_of, SUCCESSION_RELATIONS)
    result = model_lineage(network, session.resolve(model), depth=depth, limit=limit or None)
    emit(with_query(result, model=model, depth=depth, limit=limit, as_of=as_of), as_json,
         lineage_text)


@cli.command()
@data_option
@click.argument("entity")
@as_of_option
@json_option
@click.pass_obj
@reports_errors
def investments(session: Session, entity: str, as_of: str | None, as_json: bool) -> None:
    """Investments in and by ENTITY, and its funding rounds (named investors or not):
    amounts as stated and normalised with their bound, totals per currency.

    Totals count what the articles state or report as fact; possible, rumoured, planned
    or expected claims are listed, marked, and left out.  Claims that disagree are never
    summed: the total is a range.

    Examples:

    \b
      graphkit investments OpenAI
      graphkit investments Microsoft --as-of 2023 --json
    """
    from graphkit.present.text import investments_text
    from graphkit.query.facts import Facts
    from graphkit.query.investments import INVESTED
    from graphkit.query.investments import investments as entity_investments

    # The cache, limited to investments: only the entity's own investment edges are read.
    store, date = session.store(), parse_as_of(as_of)
    result = entity_investments(session.network(as_of, (INVESTED,)), session.resolve(entity),
                                Facts.from_store(store), date)
    emit(with_query(result, entity=entity, as_of=as_of), as_json, investments_text)


def _refuse_unborn(facts, ident: str, date, as_of: str | None) -> None:
    """Exit 1, saying why, when ``ident`` did not exist yet ``as_of`` (its answer, with no
    relations, is printed first)."""
    from graphkit.query.facts import not_yet, not_yet_text

    began = not_yet(facts, ident, date)
    if began is not None:
        raise NoAnswerExit(not_yet_text(facts.entity(ident)["name"], began, as_of))


def _choices(values: tuple[str, ...], option: str, check) -> list[str]:
    """Values of a repeatable option, checked by ``check``; a usage error naming the option."""
    from graphkit.errors import BadArgument

    try:
        return check(values)
    except BadArgument as error:
        raise click.BadParameter(str(error), param_hint=f"'{option}'") from None


@cli.command()
@data_option
@click.argument("entity")
@click.option("--metric", "metrics", multiple=True, metavar="METRIC",
              help="Only this metric (repeatable): valuation, revenue, users, ... or "
                   "'rounds' for the funding rounds.")
@as_of_option
@json_option
@click.pass_obj
@reports_errors
def figures(session: Session, entity: str, metrics: tuple[str, ...], as_of: str | None,
            as_json: bool) -> None:
    """Every figure and funding round about ENTITY, by metric, in date order.

    Quantities show as stated and normalised with their bound (> more than, ≥ at least,
    ~ about); a hedged claim says so ([possible], [reported by ...]).  Claims from
    different sources about the same date that give different numbers are listed side
    by side, never merged.  Exit 1 when nothing is recorded.

    Examples:

    \b
      graphkit figures OpenAI
      graphkit figures OpenAI --metric valuation --json
    """
    from graphkit.present.facts_text import figures_text
    from graphkit.query.facts import Facts, check_metrics, entity_figures

    date, wanted = parse_as_of(as_of), _choices(metrics, "--metric", check_metrics)
    ident = session.resolve(entity)
    result = entity_figures(Facts.from_store(session.store()), ident, date, wanted)
    emit(with_query(result, entity=entity, metrics=wanted, as_of=as_of), as_json,
         figures_text)
    if not result["metrics"] and not result["rounds"]:
        raise NoAnswerExit(f"no figures or funding rounds recorded for "
                           f"{result['entity']['name']}"
                           + (f" as of {as_of}" if as_of else "")
                           + (f" of metric {', '.join(wanted)}" if wanted else ""))


@cli.command()
@data_option
@click.argument("entity")
@click.option("--kind", "kinds", multiple=True, metavar="KIND",
              help="Only records of this kind (repeatable): event, round, figure, edge, "
                   "cohort.")
@as_of_option
@json_option
@click.pass_obj
@reports_errors
def timeline(session: Session, entity: str, kinds: tuple[str, ...], as_of: str | None,
             as_json: bool) -> None:
    """Every dated record about ENTITY in date order, whatever its kind.

    Dates read as the text bounds them: "on or before 2023-01-24", "around 2024"; "~"
    marks a date inferred from the text.  With --as-of, what may have happened by then
    (a date known only as "on or before" may have, so it is listed).  Exit 1 when no
    dated record is found.

    Examples:

    \b
      graphkit timeline OpenAI
      graphkit timeline "Sam Altman" --kind edge --as-of 2023
    """
    from graphkit.present.facts_text import timeline_text
    from graphkit.query.facts import Facts, check_kinds, entity_timeline

    date, wanted = parse_as_of(as_of), _choices(kinds, "--kind", check_kinds)
    ident = session.resolve(entity)
    result = entity_timeline(Facts.from_store(session.store()), ident, date, wanted)
    emit(with_query(result, entity=entity, kinds=wanted, as_of=as_of), as_json,
         timeline_text)
    if not result["entries"]:
        raise NoAnswerExit(f"no dated records about {result['entity']['name']}"
                           + (f" as of {as_of}" if as_of else ""))


@cli.command()
@data_option
@click.option("--top", default=10, show_default=True, type=click.IntRange(min=1, max=MAX_LIST),
              help="How many central entities (and, on a large graph, communities) to list.")
@click.option("--sample", type=click.IntRange(min=1, max=MAX_SAMPLE), metavar="N",
              help="On a large graph, estimate betweenness from N sources (default: sized "
                   "to the graph, about a second; more is slower and closer).")
@relation_option
@as_of_option
@json_option
@click.pass_obj
@reports_errors
def stats(session: Session, top: int, sample: int | None, relations: tuple[str, ...],
          as_of: str | None, as_json: bool) -> None:
    """Counts by type and relation, the most central entities, communities.

    Exact on a small graph; on a large one (over 500 entities or 2,000 edges)
    betweenness is estimated from a sample and communities found by label propagation,
    as each figure's method says.

    Examples:

    \b
      graphkit stats
      graphkit stats --top 5 --relation person-left-company --json
    """
    from graphkit.present.text import stats_text
    from graphkit.query.stats import dataset_stats

    date, relations = parse_as_of(as_of), check_relations(relations)
    result = dataset_stats(session.store(), date, relations, top, sample)
    query = {"top": top, "relations": list(relations), "as_of": as_of}
    if sample is not None:
        query["sample"] = sample
    emit(with_query(result, **query), as_json, stats_text)


def _flow_date(value: str | None, option: str):
    """A ``--since``/``--until`` value as a PartialDate, or a usage error naming the option."""
    if value is None:
        return None
    from graphkit.data.dates import PartialDate

    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=f"'{option}'") from None


@contextmanager
def _reported_if_slow(say, message: str):
    """Say ``message`` (see :func:`terminal_progress`) if the step is still running after
    a second; say nothing when ``say`` is None (stderr is not a terminal)."""
    if say is None:
        yield
        return
    import threading

    timer = threading.Timer(1.0, say, [message])
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def _flow_side(session: Session, name: str) -> str | None:
    """A company named in ``--explain``; ``unknown`` stands for an unknown origin or destination."""
    return None if name.strip().casefold() == "unknown" else session.resolve(name)


FLOW_TEXT_ROWS = 50  # rows per table in flow's text output, unless --top says otherwise


@cli.command()
@data_option
@click.option("--since", metavar="DATE", help="Only moves on or after DATE (YYYY, YYYY-MM or "
              "YYYY-MM-DD); a move counts when its whole stated date is in the window.")
@click.option("--until", metavar="DATE", help="Only moves on or before DATE.")
@click.option("--as-of", metavar="DATE",
              help="The flow as it stood on DATE: the same as --until DATE.")
@click.option("--from", "from_names", multiple=True, metavar="COMPANY",
              help="Only moves out of COMPANY (repeatable).")
@click.option("--to", "to_names", multiple=True, metavar="COMPANY",
              help="Only moves into COMPANY (repeatable).")
@click.option("--top", type=click.IntRange(min=1, max=MAX_LIST), metavar="N",
              help="Only the N largest pairs, companies and balances (the text output "
                   f"shows {FLOW_TEXT_ROWS} of each unless told).")
@click.option("--alumni-of", metavar="COMPANY",
              help="Companies founded by people who left COMPANY, with founders and investors.")
@click.option("--explain", nargs=2, metavar="FROM TO",
              help="Every move and quote behind the figure FROM -> TO ('unknown' for either).")
@json_option
@click.option("--details", is_flag=True,
              help="With --json: every pair also lists its moves and cohorts with their "
                   "quotes (large on big data; --explain traces one pair).")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local",
              show_default=True,
              help="spark: count on Apache Spark (pip install 'graphkit[spark]'; "
                   "$GRAPHKIT_SPARK_MASTER, else local[2]) from the Parquet export; every "
                   "date and company only")
@click.option("--parquet", "parquet_dir", type=click.Path(file_okay=False, path_type=Path),
              help="with --engine spark: an existing `graphkit export --format parquet` "
                   "folder (default: exported beside the cache once per data change)")
@click.option("--csv", "as_csv", is_flag=True,
              help="Print the flow matrix as CSV, one row per ordered pair.")
@click.pass_obj
@reports_errors
def flow(session: Session, since: str | None, until: str | None, as_of: str | None,
         from_names: tuple[str, ...],
         to_names: tuple[str, ...], top: int | None, alumni_of: str | None,
         explain: tuple[str, str] | None, as_json: bool, details: bool, as_csv: bool,
         engine: str, parquet_dir: Path | None) -> None:
    """Talent flow: who moved from which company to which, and the balance between them.

    Prints the ranked pairs (moves, foundings, named people), each company's inflow,
    outflow and net, and each pair both ways with its ratio.  Cohorts count with their
    reported size; a move to an unknown destination is outflow only.  Exit 1 when nothing
    moved (or, with --explain, nothing moved that way).

    Examples:

    \b
      graphkit flow --since 2023 --top 10
      graphkit flow --explain Google OpenAI
      graphkit flow --alumni-of OpenAI --json
    """
    from graphkit.present import flow_text
    from graphkit.query import flow as talent
    from graphkit.query.movetable import store_move_table

    if as_json and as_csv:
        raise click.UsageError("use either --json or --csv, not both")
    if engine == "spark" or parquet_dir is not None:
        return _spark_flow(session, engine, parquet_dir, as_json, top,
                           {"--since": since, "--until": until, "--from": from_names,
                            "--to": to_names, "--alumni-of": alumni_of, "--explain": explain,
                            "--details": details, "--csv": as_csv})
    if as_csv and (explain or alumni_of):
        raise click.UsageError("--csv prints the flow matrix; it cannot be combined with "
                               "--explain or --alumni-of")
    if explain and alumni_of:
        raise click.UsageError("use either --explain or --alumni-of, not both")
    if details and not (as_json and not explain and not alumni_of):
        raise click.UsageError("--details adds each pair's moves to the --json flow matrix; "
                               "use it with --json (--explain always gives the moves)")
    if as_of is not None:
        if until is not None:
            raise click.BadParameter("--as-of is --until by another name: give one of them",
                                     param_hint="'--as-of'")
        _flow_date(as_of, "--as-of")
        until = as_of
    window = (_flow_date(since, "--since"), _flow_date(until, "--until"))
    if window[0] and window[1] and window[0].first_day() > window[1].last_day():
        raise click.BadParameter(f"{since} is after --until {until}", param_hint="'--since'")
    query = {"since": since, "until": until, "from": list(from_names), "to": list(to_names),
             "top": top, "alumni_of": alumni_of, "explain": list(explain) if explain else None,
             "details": details}
    # Names first, so a typo is reported before anything is read.
    if explain:
        sides = tuple(_flow_side(session, name) for name in explain)
    elif alumni_of:
        company = session.resolve(alumni_of)
    else:
        from_companies = [session.resolve(name) for name in from_names]
        to_companies = [session.resolve(name) for name in to_names]
    say = terminal_progress()
    # The moves, inferred once per change to the data and kept beside the cache.
    table = store_move_table(session.store(), say)
    if alumni_of:
        result = talent.alumni(table, company, *window)
        with _reported_if_slow(say, "writing the answer"):
            emit(with_query(result, **query), as_json, flow_text.alumni_text)
        if not result["founded"]:
            raise NoAnswerExit(f"no company founded by people who left {alumni_of}")
        return
    if explain:
        result = talent.explain_flow(table, *sides, *window)
        with _reported_if_slow(say, "writing the answer"):
            emit(with_query(result, **query), as_json, flow_text.explain_text)
        if not result["moves"]:
            raise NoAnswerExit(f"no moves from {explain[0]} to {explain[1]}"
                               + (" in this window" if since or until else ""))
        return
    with _reported_if_slow(say, "counting talent flow"):
        # Text prints the names of what it shows; JSON and CSV every entity's.
        result = talent.compute_flow(table, *window, from_companies=from_companies,
                                     to_companies=to_companies, top=top, details=details,
                                     every_entity=as_json or as_csv)
    with _reported_if_slow(say, "writing the answer"):
        if as_csv:
            click.echo(flow_text.flow_csv(result), nl=False)
        else:
            # A terminal shows the largest figures; scripts take --csv or --json for all.
            rows = top or FLOW_TEXT_ROWS
            emit(with_query(result, **query), as_json,
                 lambda answer: flow_text.flow_text(answer, rows))
    if not result["pairs"]:
        raise NoAnswerExit("no moves match")


def _spark_flow(session: Session, engine: str, parquet_dir: Path | None, as_json: bool,
                top: int | None, local_only: dict) -> None:
    """``flow --engine spark``: every date and company, counted by Spark from Parquet."""
    if engine != "spark":
        raise click.UsageError("--parquet is read by --engine spark")
    unsupported = [name for name, value in local_only.items() if value]
    if unsupported:
        raise click.UsageError(f"--engine spark counts every date and company; "
                               f"{', '.join(unsupported)} need the local engine")
    from graphkit.present import flow_text
    from graphkit.query.spark import spark_flow, spark_session

    spark = spark_session()  # says how to install pyspark before any work
    if parquet_dir is None:
        parquet_dir = _parquet_export(session)
    elif not (parquet_dir / "edges.parquet").is_file():
        raise click.BadParameter(f"{parquet_dir} holds no edges.parquet (write one with "
                                 "graphkit export --format parquet --out DIR)",
                                 param_hint="'--parquet'")
    result = spark_flow(parquet_dir, spark)
    if top is not None:  # as the local engine: the first N of each list, every total
        result = {**result, **{key: result[key][:top]
                               for key in ("pairs", "companies", "balance")}}
    query = {"engine": "spark", "parquet": str(parquet_dir), "top": top}
    emit(with_query(result, **query), as_json,
         lambda answer: flow_text.spark_flow_text(answer, top or FLOW_TEXT_ROWS))
    if not result["pairs"]:
        raise NoAnswerExit("no moves match")


def _parquet_export(session: Session) -> Path:
    """The data's Parquet export, written beside the cache once per change to the data (in
    a private temporary folder when the cache cannot be written)."""
    import tempfile

    from graphkit.export import export_graph, export_view

    folder = getattr(session.store(), "folder", None)
    target = Path(folder) / "parquet" if folder is not None else None
    if target is not None and (target / "edges.parquet").is_file():
        return target
    view = export_view(session.graph())
    try:
        if target is None:
            raise OSError("no cache folder")
        return export_graph(view, "parquet", target).path
    except OSError:
        private = Path(tempfile.mkdtemp(prefix="graphkit-parquet-")) / "parquet"
        return export_graph(view, "parquet", private).path


def _area_graph(session: Session, centres: list[str], depth: int, date,
                relations: tuple[str, ...]):
    """What ``render`` and ``export`` read of a focus: the graph within ``depth`` hops of
    ``centres`` over the edges in effect at ``date`` of ``relations``, from the cache
    (see :func:`graphkit.store.graph.area_graph`), instead of the whole graph."""
    from graphkit.store.graph import area_graph

    return area_graph(session.store().view(date, relations), centres, depth)


def _lineage_relations(relations: tuple[str, ...]) -> tuple[str, ...]:
    """The relations the lineage view walks: succession and derivation (of ``relations``)."""
    from graphkit.data.relations import SUCCESSION_RELATIONS

    return tuple(name for name in SUCCESSION_RELATIONS
                 if not relations or name in relations) or relations


# The same as graphkit.page.render.VIEWS, spelt out so that --help needs no import.
RENDER_VIEWS = ("full", "flow", "lineage")


@cli.command()
@data_option
@click.option("--out", metavar="PATH", type=click.Path(dir_okay=False),
              help="Where to write the page (default: under output/, named after the options).")
@click.option("--view", type=click.Choice(RENDER_VIEWS), default="full", show_default=True,
              help="full: every entity; lineage: models along succession and derivation; "
                   "flow: people moving between organisations.")
@click.option("--focus", metavar="ENTITY",
              help="Only the ego network of ENTITY (name, alias or id).")
@click.option("--depth", type=click.IntRange(min=1, max=MAX_HOPS), metavar="N",
              help="With --focus: how many hops out [default: 1].  With --path: draw only "
                   "what is within N hops of the path (on a graph of over 500 entities, "
                   "within 1 hop unless N is given).")
@click.option("--path", "path_ends", nargs=2, metavar="A B",
              help="Highlight the path connecting A and B, in context.")
@as_of_option
@relation_option
@click.option("--max-nodes", type=click.IntRange(min=1, max=MAX_NODES), default=10_000,
              show_default=True, metavar="N",
              help="Refuse to draw more entities than this on one page.")
@json_option
@click.pass_obj
@reports_errors
def render(session: Session, out: str | None, view: str, focus: str | None, depth: int | None,
           path_ends: tuple[str, str] | None, as_of: str | None, relations: tuple[str, ...],
           max_nodes: int, as_json: bool) -> None:
    """Write the graph as one interactive HTML page and print its path.

    The page works offline (open it from disk, an email or a USB stick): search by any name
    or alias, filters by type and relation, a date slider, and a card with sources for every
    entity and link.  The same data and options always give the same bytes.

    Default file: output/graph.html, output/lineage.html or output/flow.html; --focus,
    --path, --as-of and --relation add to the name (output/graph-focus-openai.html).

    Examples:

    \b
      graphkit render --focus "Sam Altman" --depth 2
      graphkit render --view lineage --as-of 2023 --out lineage.html
    """
    from graphkit.errors import AmbiguousEntity, UnknownEntity
    from graphkit.page.render import default_output_path, render_page, write_page
    from graphkit.present.output import terminal_text

    date = parse_as_of(as_of)
    check_relations(relations)
    if out is not None:
        _check_out(out, as_json)
    if depth is not None and focus is None and not path_ends:
        raise click.BadParameter("--depth needs --focus or --path", param_hint="'--depth'")
    if focus is not None and path_ends:
        raise click.BadParameter("use --focus or --path, not both", param_hint="'--path'")
    if view == "flow" and (relations or path_ends):
        raise click.BadParameter("the flow view counts moves; it takes no --relation or --path",
                                 param_hint="'--view'")

    def resolve(name: str, hint: str) -> str:
        try:
            return session.resolve(name)
        except (UnknownEntity, AmbiguousEntity) as error:
            raise click.BadParameter(str(error), param_hint=hint) from None

    center = resolve(focus, "'--focus'") if focus is not None else None
    ends = tuple(resolve(name, "'--path'") for name in path_ends) if path_ends else None
    from graphkit.page.data import WHOLE_LAYOUT_NODES

    whole_layout = path_found = flow = None
    large = len(session.store().nodes) > WHOLE_LAYOUT_NODES
    if view == "flow" and large:
        # The moves are counted from the table kept beside the cache, and the page reads
        # only the records of the entities it draws.
        from graphkit.page.data import CachedEntities
        from graphkit.query.movetable import store_move_table

        flow = store_move_table(session.store(), terminal_progress())
        graph = CachedEntities(session.store())
    elif ends is not None and large:
        # The path is found over the whole cache (the answer of graphkit path, each hop
        # naming what it mentions), then only what is within --depth (1) of it is read.
        from graphkit.page.data import path_area

        depth = depth or 1
        graph, path_found = path_area(session.store(), ends, view=view, as_of=date,
                                      relations=relations, depth=depth)
        whole_layout = False
    elif center is not None and view != "flow" and large:
        # Only the focus is drawn: read just its neighbourhood from the cache.  The flow
        # view counts moves from every person's history, so it needs the whole graph, and a
        # small graph is read whole so that every page places each entity alike.
        walked = _lineage_relations(relations) if view == "lineage" else relations
        graph = _area_graph(session, [center], depth or 1, date, walked)
        whole_layout = False  # the area is not the whole graph: lay out what is shown
    else:
        graph = session.graph()
    page = render_page(graph, view=view, focus=center, depth=depth, path=ends,
                       as_of=date, relations=relations, max_nodes=max_nodes,
                       whole_layout=whole_layout, path_found=path_found, flow=flow)
    if out == "-":
        _write_stdout(page.html.encode("utf-8"))
        return
    target = out or default_output_path(view, center, ends, date, relations)
    written = write_page(page, target)
    if as_json:
        from graphkit.present.output import to_json

        click.echo(to_json(with_query(
            {"path": str(written), "view": page.view, "title": page.title,
             "nodes": page.nodes, "edges": page.edges},
            out=out, view=view, focus=focus, depth=depth,
            path=list(path_ends) if path_ends else None, as_of=as_of,
            relations=list(relations), max_nodes=max_nodes)))
    else:
        click.echo(terminal_text(str(written)))


# The same as graphkit.export.FORMATS, spelt out so that --help needs no import.
EXPORT_FORMATS = ("graphml", "gexf", "json", "csv", "neo4j", "cytoscape", "parquet", "xlsx")


@cli.command()
@data_option
@click.option("--format", "export_format", required=True, type=click.Choice(EXPORT_FORMATS),
              help="graphml (yEd, igraph, NetworkX), gexf (Gephi, with a timeline), json "
                   "(node-link, lossless), csv (a table per kind of record), neo4j (a bundle "
                   "for neo4j-admin import or LOAD CSV), cytoscape (Cytoscape.js elements), "
                   "parquet (DuckDB, Spark, pandas, polars) or xlsx (a workbook).")
@click.option("--out", metavar="PATH",
              help="Where to write (default: under output/; csv, neo4j and parquet write a "
                   "folder, csv a zip when PATH ends in .zip).")
@as_of_option
@relation_option
@click.option("--focus", metavar="ENTITY",
              help="Only the ego network of ENTITY (name, alias or id).")
@click.option("--depth", type=click.IntRange(min=1, max=MAX_HOPS), metavar="N",
              help="With --focus: how many hops out, following edges either way [default: 1].")
@click.option("--keep-isolated", is_flag=True,
              help="With --as-of or --relation: keep the entities left with no edge "
                   "(dropped by default).")
@json_option
@click.pass_obj
@reports_errors
def export(session: Session, export_format: str, out: str | None, as_of: str | None,
           relations: tuple[str, ...], focus: str | None, depth: int | None,
           keep_isolated: bool, as_json: bool) -> None:
    """Write the graph for Gephi, Neo4j, Cytoscape, DuckDB, spreadsheets or graph libraries.

    Prints the path written.  The file is replaced atomically, and the same data always
    gives the same bytes.

    Examples:

    \b
      graphkit export --format graphml --out graph.graphml
      graphkit export --format json --focus OpenAI --out -
    """
    from graphkit.errors import AmbiguousEntity, BadArgument, UnknownEntity
    from graphkit.export import export_graph, export_view, output_path
    from graphkit.export.writing import export_store, streams_from_store

    date = parse_as_of(as_of)
    check_relations(relations)
    if depth is not None and focus is None:
        raise click.BadParameter("--depth needs --focus", param_hint="'--depth'")
    if out is not None:
        _check_out(out, as_json)
    if out == "-" and export_format in ("csv", "neo4j", "parquet"):
        zipped = ", or a path ending in .zip" if export_format == "csv" else ""
        raise click.BadParameter(f"--out - writes one file to stdout, but a {export_format} "
                                 f"export is a folder of files: give a folder{zipped}",
                                 param_hint="'--out'")
    try:
        target = None if out == "-" else output_path(export_format, out)
    except BadArgument as error:
        raise click.BadParameter(str(error), param_hint="'--out'") from None
    center = None
    if focus is not None:
        try:
            center = session.resolve(focus)
        except (UnknownEntity, AmbiguousEntity) as error:
            raise click.BadParameter(str(error), param_hint="'--focus'") from None
    if (target is not None and center is None and date is None and not relations
            and streams_from_store(export_format, target)):
        # The whole dataset as tables: streamed from the cache, no graph built.
        exported = export_store(session.store(), export_format, target)
    else:
        graph = (session.graph() if center is None
                 else _area_graph(session, [center], depth or 1, date, relations))
        view = export_view(graph, date, relations, center, depth or 1, keep_isolated)
        if target is None:
            from graphkit.export import render as export_bytes

            _write_stdout(export_bytes(view, export_format))
            return
        exported = export_graph(view, export_format, target)
    result = {"path": str(exported.path), "format": exported.format, "nodes": exported.nodes,
              "edges": exported.edges}
    emit(with_query(result, format=export_format, out=out, as_of=as_of,
                    relations=list(relations), focus=focus, depth=depth,
                    keep_isolated=keep_isolated),
         as_json, lambda written: written["path"])


@cli.command()
@data_option
@click.argument("query")
@json_option
@click.pass_obj
@reports_errors
def cypher(session: Session, query: str, as_json: bool) -> None:
    """Answer a Cypher QUERY with the embedded graph database LadybugDB (an optional extra:
    pip install 'graphkit[cypher]').

    Entities are nodes labelled Entity (properties id, name, type, aliases, ...); each
    relation is a relationship type (PERSON_LEFT_COMPANY, COMPANY_INVESTED_IN, ...);
    documents, cohorts and the other records are nodes too (Document, Cohort, ...).  The
    database is compiled once per change to the data, beside the cache, and opened
    read-only.  Example:

    \b
      graphkit cypher "MATCH (p:Entity)-[:PERSON_LEFT_COMPANY]->(c:Entity {id: 'openai'})
                       RETURN p.name ORDER BY p.name LIMIT 3"
    """
    from graphkit.export.cypherdb import database_for, engine, run_query

    engine()  # say how to install it before any work
    store = session.store()
    path = database_for(session.graph, getattr(store, "folder", None))
    columns, rows = run_query(path, query)
    if as_json:
        from graphkit.present.output import to_json

        click.echo(to_json(with_query({"columns": columns, "rows": rows}, query=query)))
    else:
        import json

        from graphkit.present.output import table

        def cell(value):
            if value is None:
                return ""
            if isinstance(value, str | int | float) and not isinstance(value, bool):
                return value
            return json.dumps(value, ensure_ascii=False, sort_keys=True)

        click.echo(table(columns, [[cell(value) for value in row] for row in rows]))
    if not rows:
        raise NoAnswerExit("the query returned no rows")


def _check_out(out: str, as_json: bool) -> None:
    """``--out``: not empty, never a special file (a symlink, FIFO, device), and ``-``
    (stdout) without ``--json``, whose summary would go there too."""
    from graphkit.atomic import CannotWrite, refuse_special

    if not out.strip():
        raise click.BadParameter("the output path is empty (use - for stdout)",
                                 param_hint="'--out'")
    if out == "-":
        if as_json:
            raise click.BadParameter("--out - writes the file to stdout; --json cannot "
                                     "go there too", param_hint="'--out'")
        return
    try:
        refuse_special(out, allow_folder=True)
    except CannotWrite as error:
        raise click.BadParameter(str(error), param_hint="'--out'") from None


def _write_stdout(data: bytes) -> None:
    # Bytes as written, under the text layer (click.get_binary_stream is deprecated in
    # Click 8.3); the text layer is flushed first so that nothing printed before comes after.
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


# -- curation ---------------------------------------------------------------------------

documents_option = click.option(
    "--documents", metavar="DIR", type=click.Path(file_okay=False),
    help="Folder of the source documents (default: the dataset's documents/ folder).")


def _ask(value, option: str, text: str, default=None, required: bool = True):
    """``value`` if given, else the curator's answer to a prompt (a usage error naming
    ``option`` when there is no one to ask)."""
    if value is not None:
        return value
    try:
        answer = click.prompt(text, default=default if default is not None else (
            None if required else ""), show_default=default is not None)
    except click.Abort:
        raise click.BadParameter("missing, and there is no input to ask from",
                                 param_hint=f"'{option}'") from None
    return answer.strip() or None if isinstance(answer, str) else answer


@cli.group()
def sources() -> None:
    """The documents records cite.

    Examples:

    \b
      graphkit sources add a.txt --title 新模型 --outlet 36氪 --language zh-Hans --published 2024
    """


@sources.command("add")
@data_option
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--title", help="Headline (default: proposed from the first line).")
@click.option("--outlet", help="Where the text appeared.")
@click.option("--publisher", help="The original author or outlet the text credits.")
@click.option("--language", help="zh-Hans, zh-Hant or another BCP 47 tag (default: detected).")
@click.option("--published", metavar="DATE", help="Publication date, as precise as known.")
@click.option("--published-inferred", metavar="HOW",
              help="How the date was worked out, when the text does not print it.")
@click.option("--name", help="File name in the documents folder (default: NNN_HASH.txt).")
@click.option("--note", help="A short note for readers.")
@click.option("--yes", "-y", is_flag=True, help="Take every proposal without asking.")
@json_option
@click.pass_obj
@reports_errors
def sources_add(session: Session, file: str, title, outlet, publisher, language, published,
                published_inferred, name, note, yes: bool, as_json: bool) -> None:
    """Register FILE (UTF-8 text) as a document: copy it into the dataset's documents
    folder and add its metadata to sources.json.  Options not given are asked for, with
    the title proposed from the first line and the language detected.

    Examples:

    \b
      graphkit sources add a.txt --title 新模型 --outlet 36氪 --language zh-Hans --published 2024
    """
    from graphkit.curate.sources import (
        detect_language,
        propose_title,
        read_text_file,
        register_document,
    )

    text = read_text_file(file)
    detected = detect_language(text)
    if yes:
        title = title or propose_title(text)
        language = language or (detected if detected != "other" else None)
    title = _ask(title, "--title", "Title", propose_title(text) or None)
    outlet = _ask(outlet, "--outlet", "Outlet (where it appeared)")
    if not yes:
        publisher = _ask(publisher, "--publisher", "Publisher it credits (optional)",
                         required=False)
    language = _ask(language, "--language", f"Language (detected: {detected})",
                    detected if detected != "other" else None)
    published = _ask(published, "--published", "Publication date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if published_inferred is None and not yes:
        published_inferred = _ask(None, "--published-inferred",
                                  "How was the date inferred (empty: printed in the text)",
                                  required=False)
    record = register_document(session.data_dir, file, title=title, outlet=outlet,
                               language=language, published=published,
                               published_inferred=published_inferred, publisher=publisher,
                               name=name, note=note)
    emit({**record, "language_detected": detected}, as_json,
         lambda r: f"registered {r['doc']}: {r['title']} ({r['language']}, {r['published']})")


@cli.command()
@data_option
@click.argument("doc")
@click.option("--todo", is_flag=True, help="Only the sentences no record cites that name "
              "two or more known entities.")
@click.option("--new-names", is_flag=True, help="Also propose names that are not entities "
              "yet (Chinese names by jieba's part-of-speech tags, capitalised Latin names).")
@documents_option
@json_option
@click.pass_obj
@reports_errors
def mentions(session: Session, doc: str, todo: bool, new_names: bool, documents,
             as_json: bool) -> None:
    """The known entities registered document DOC mentions, sentence by sentence; a *
    marks a sentence with two or more of them that no record cites.

    Examples:

    \b
      graphkit mentions 001_6bee6f61d1f82674.txt --todo
      graphkit mentions 002_43961f8507611a4d.txt --new-names --json
    """
    from graphkit.curate.coverage import mentions as find_mentions
    from graphkit.present.curate_text import mentions_text

    result = find_mentions(session.data_dir, doc, documents)
    if new_names:
        from graphkit.curate.newnames import new_names as find_new_names

        result["new_names"] = find_new_names(session.data_dir, doc, documents)
    if todo:
        result["sentences"] = [s for s in result["sentences"] if s["todo"]]
    emit(with_query(result, doc=doc, todo=todo, new_names=new_names), as_json,
         lambda r: mentions_text(r, todo))


@cli.command("coverage")
@data_option
@click.argument("doc", required=False)
@documents_option
@json_option
@click.pass_obj
@reports_errors
def coverage_command(session: Session, doc: str | None, documents, as_json: bool) -> None:
    """Per document: sentences cited, sentences naming two or more known entities that no
    record cites, and entities mentioned but in no record from that document.

    Examples:

    \b
      graphkit coverage
      graphkit coverage 004_b93046d02ddf5e22.txt --json
    """
    from graphkit.curate.coverage import coverage
    from graphkit.present.curate_text import coverage_text

    result = coverage(session.data_dir, documents, doc)
    emit(with_query(result, doc=doc), as_json, coverage_text)


@cli.command()
@data_option
@click.option("--check", is_flag=True, help="Only list the files that are not canonical "
              "(exit 1 if any).")
@json_option
@click.pass_obj
@reports_errors
def fmt(session: Session, check: bool, as_json: bool) -> None:
    """Rewrite the dataset's files in the canonical formatting (records in id order, keys
    in a fixed order, two-space indentation), so that diffs review well.

    Examples:

    \b
      graphkit fmt --check
      graphkit fmt
    """
    from graphkit.curate.files import check_writable, format_dataset, non_canonical_files

    if check:
        files = non_canonical_files(session.data_dir)
    else:
        check_writable(session.data_dir)
        files = format_dataset(session.data_dir)
    names = [str(path) for path in files]
    verb = "not canonical" if check else "reformatted"
    emit({"files": names, "check": check}, as_json,
         lambda r: "\n".join(f"{verb}: {name}" for name in names)
         or f"{session.data_dir}: every file is canonical")
    if check and files:
        raise NoAnswerExit(f"{len(files)} file(s) not canonical: run graphkit fmt")


def _parse_set(values: tuple[str, ...]) -> dict:
    """``--set FIELD=VALUE`` pairs; a VALUE that reads as JSON is taken as JSON."""
    import json

    fields = {}
    for item in values:
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise click.BadParameter(f"{item!r} is not FIELD=VALUE", param_hint="'--set'")
        try:
            fields[key.strip()] = json.loads(value)
        except ValueError:
            fields[key.strip()] = value
    return fields


def _claim_options(command):
    """The options every cited record takes."""
    options = [
        click.option("--doc", required=True, help="The registered document cited."),
        click.option("--quote", required=True,
                     help="Verbatim from the document (only white space may differ)."),
        click.option("--attributed-to", metavar="WHO",
                     help="Whose claim the article says it is (The Information...)."),
        click.option("--date", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD, as "
                     "precise as the text."),
        click.option("--end", metavar="DATE", help="When it ended."),
        click.option("--date-bound", help="on, on-or-before, on-or-after or circa."),
        click.option("--date-inferred", metavar="HOW",
                     help="How the date was inferred, when the text does not print it."),
        click.option("--modality", help="stated, reported, planned, possible, rumoured, "
                     "expected or denied."),
        click.option("--note", help="A short English note for readers."),
        click.option("--id", "ident", help="The record's id (default: made from its fields)."),
        click.option("--set", "extra", multiple=True, metavar="FIELD=VALUE",
                     help="Any other field (VALUE as JSON when it parses)."),
        documents_option, json_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _add(session: Session, kind: str, fields: dict, claim: dict, arguments: dict) -> None:
    from graphkit.curate.add import add_record

    extra = _parse_set(claim.pop("extra"))
    common = {key: claim.pop(key) for key in ("date", "end", "date_bound", "date_inferred",
                                              "modality", "note")}
    as_json = claim.pop("as_json")
    result = add_record(session.data_dir, kind, {**fields, **common, **extra},
                        arguments=arguments, **claim)
    emit(result, as_json, lambda r: r["id"])


def _quantity(as_stated, value, unit, bound, low=None, high=None, per=None,
              unit_key: str = "unit") -> dict | None:
    if as_stated is None:
        if any(item is not None for item in (value, unit, bound, low, high, per)):
            raise click.BadParameter("give the amount as the text states it",
                                     param_hint="'--as-stated'")
        return None
    quantity = {"as_stated": as_stated, "value": value, unit_key: unit, "bound": bound,
                "low": low, "high": high, "per": per}
    return {key: item for key, item in quantity.items() if item is not None}


@cli.group()
def add() -> None:
    """Add one cited record (or an entity); prints the new id.

    Examples:

    \b
      graphkit add entity "Jane Doe" --type person --alias 简·多伊
    """


@add.command("entity")
@data_option
@click.argument("name")
@click.option("--type", "entity_type", required=True, help="person, company, lab, investor, "
              "model, product...")
@click.option("--alias", "aliases", multiple=True, help="Another name (repeatable).")
@click.option("--description", help="A short English description.")
@click.option("--id", "ident", help="The id (default: kebab-case of NAME).")
@json_option
@click.pass_obj
@reports_errors
def add_entity_command(session: Session, name, entity_type, aliases, description, ident,
                       as_json: bool) -> None:
    """Add an entity called NAME.

    Examples:

    \b
      graphkit add entity "Jane Doe" --type person --alias 简·多伊
    """
    from graphkit.curate.add import add_entity

    result = add_entity(session.data_dir, name, entity_type, aliases, description, ident)
    emit(result, as_json, lambda r: r["id"])


@add.command("edge")
@data_option
@click.argument("source")
@click.argument("relation")
@click.argument("target")
@click.option("--role")
@click.option("--destination", metavar="ENTITY", help="Where they went (person-left-company).")
@click.option("--origin", metavar="ENTITY", help="Where they came from (person-joined-company).")
@click.option("--status")
@click.option("--method")
@click.option("--deal")
@click.option("--round", "round_name", metavar="NAME")
@click.option("--stake")
@click.option("--amount", metavar="AS_STATED", help="The amount as the text states it.")
@click.option("--value", type=float, help="The amount as a number.")
@click.option("--currency", help="ISO 4217 code of the amount.")
@_claim_options
@click.pass_obj
@reports_errors
def add_edge_command(session: Session, source, relation, target, role, destination, origin,
                     status, method, deal, round_name, stake, amount, value, currency,
                     **claim) -> None:
    """Add an edge: SOURCE RELATION TARGET (entities by any name or alias).

    Examples (the sixth article of the README's "Curating" walk-through):

    \b
      graphkit add edge 林晓雨 person-left-company OpenAI --destination 星云推理 \\
        --date 2025-01 --doc 005_f96ced25b8c35d2f.txt \\
        --quote "前OpenAI研究员林晓雨已于2025年1月离开OpenAI"
    """
    fields = {"source": source, "target": target, "role": role, "destination": destination,
              "origin": origin, "status": status, "method": method, "deal": deal,
              "round": round_name, "stake": stake,
              "amount": _quantity(amount, _number(value), currency, None,
                                  unit_key="currency")}
    _add(session, relation, fields, claim,
         {"source": "SOURCE", "target": "TARGET", "amount": "--amount"})


def _number(value: float | None):
    return int(value) if value is not None and value.is_integer() else value


@add.command("figure")
@data_option
@click.argument("entity")
@click.argument("metric")
@click.option("--as-stated", help="The quantity as the text states it.")
@click.option("--value", type=float)
@click.option("--low", type=float)
@click.option("--high", type=float)
@click.option("--unit", help="A currency (ISO 4217) or unit (users, gpus...).")
@click.option("--bound", default="exact", show_default=True,
              help="exact, approximate, at-least, more-than, at-most, less-than, range...")
@click.option("--per", help="For a rate: day, week, month or year.")
@click.option("--counterparty", metavar="ENTITY")
@click.option("--cost-kind")
@_claim_options
@click.pass_obj
@reports_errors
def add_figure_command(session: Session, entity, metric, as_stated, value, low, high, unit,
                       bound, per, counterparty, cost_kind, **claim) -> None:
    """Add a figure: a quantity METRIC about ENTITY (valuation, revenue, users...).

    Examples (the sixth article of the README's "Curating" walk-through):

    \b
      graphkit add figure 星云推理 valuation --as-stated 约为10亿美元 --value 1000000000 \\
        --unit USD --bound approximate --doc 005_f96ced25b8c35d2f.txt \\
        --quote "星云推理的估值约为10亿美元"
    """
    if as_stated is None:
        raise click.BadParameter("a figure needs the quantity as stated",
                                 param_hint="'--as-stated'")
    fields = {"entity": entity, "metric": metric, "counterparty": counterparty,
              "cost_kind": cost_kind,
              "quantity": _quantity(as_stated, _number(value), unit, bound, _number(low),
                                    _number(high), per)}
    _add(session, "figures", fields, claim, {"entity": "ENTITY", "metric": "METRIC",
                                             "quantity": "--as-stated/--unit/--bound"})


@add.command("round")
@data_option
@click.argument("company")
@click.option("--status", required=True, help="sought, reported, raised or closed.")
@click.option("--amount", "as_stated", metavar="AS_STATED")
@click.option("--value", type=float)
@click.option("--unit", help="The amount's currency (ISO 4217).")
@click.option("--bound", help="exact, approximate, at-least, more-than...")
@click.option("--investor", "investors", multiple=True, metavar="ENTITY")
@click.option("--lead", metavar="ENTITY")
@click.option("--round", "round_name", metavar="NAME", help="Series A, seed...")
@click.option("--count", type=int, help="How many rounds the record covers.")
@_claim_options
@click.pass_obj
@reports_errors
def add_round_command(session: Session, company, status, as_stated, value, unit, bound,
                      investors, lead, round_name, count, **claim) -> None:
    """Add a funding round of COMPANY (investors only when the text names them).

    Examples (the sixth article of the README's "Curating" walk-through):

    \b
      graphkit add round 星云推理 --status raised --amount 2亿美元 --value 200000000 \\
        --unit USD --investor 微软 --doc 005_f96ced25b8c35d2f.txt \\
        --quote "微软向星云推理投资了2亿美元"
    """
    amount = _quantity(as_stated, _number(value), unit, bound or ("exact" if as_stated
                                                                  else None))
    fields = {"company": company, "status": status, "amount": amount,
              "investors": list(investors), "lead": lead, "round": round_name, "count": count}
    _add(session, "rounds", fields, claim, {"company": "COMPANY", "investors": "--investor",
                                            "amount": "--amount"})


@add.command("cohort")
@data_option
@click.argument("relation")
@click.option("--from", "origin", metavar="ENTITY", help="The company they left.")
@click.option("--to", "destination", metavar="ENTITY", help="Where they went.")
@click.option("--count", type=int, help="The reported size, named members included.")
@click.option("--count-bound", help="exact, approximate, at-least, more-than...")
@click.option("--size-as-stated", help="The size as the text puts it (several, many...).")
@click.option("--member", "members", multiple=True, metavar="ENTITY")
@_claim_options
@click.pass_obj
@reports_errors
def add_cohort_command(session: Session, relation, origin, destination, count, count_bound,
                       size_as_stated, members, **claim) -> None:
    """Add a cohort: a group move (RELATION is person-left-company, person-joined-company
    or person-founded-company) the text counts but does not fully name.

    Examples (the sixth article of the README's "Curating" walk-through):

    \b
      graphkit add cohort person-joined-company --from OpenAI --to 星云推理 --count 3 \\
        --doc 005_f96ced25b8c35d2f.txt --quote "另有三名OpenAI员工随后加入了星云推理"
    """
    fields = {"relation": relation, "from": origin, "to": destination, "count": count,
              "count_bound": count_bound, "size_as_stated": size_as_stated,
              "members": list(members)}
    _add(session, "cohorts", fields, claim, {"relation": "RELATION", "members": "--member"})


@add.command("event")
@data_option
@click.argument("entity")
@click.argument("kind")
@click.option("--description", required=True, help="What happened, in short English.")
@click.option("--participant", "participants", multiple=True, metavar="ENTITY")
@_claim_options
@click.pass_obj
@reports_errors
def add_event_command(session: Session, entity, kind, description, participants,
                      **claim) -> None:
    """Add an event: KIND (founded, released, training-run...) that happened to ENTITY.

    Examples (the sixth article of the README's "Curating" walk-through):

    \b
      graphkit add event 星云推理 founded --description "Lin Xiaoyu founded Nebula Reasoning" \\
        --date 2025-01 --date-bound on-or-after --date-inferred "founded after leaving \\
        OpenAI in 2025-01" --doc 005_f96ced25b8c35d2f.txt \\
        --quote "并创立了人工智能公司星云推理"
    """
    fields = {"entity": entity, "kind": kind, "description": description,
              "participants": list(participants)}
    _add(session, "events", fields, claim, {"entity": "ENTITY", "kind": "KIND",
                                            "participants": "--participant"})


def main() -> None:
    """Entry point of the ``graphkit`` console script."""
    # A terminal that cannot show a character (PYTHONIOENCODING=latin-1, an old console)
    # gets an escape such as \u5f20 instead of a UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    cli(prog_name="graphkit")
