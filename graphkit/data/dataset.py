"""Load and validate the curated edge lists.

The loader and ``graphkit validate`` share one code path: :func:`check_dataset`
collects every problem in every file, and :func:`load_dataset` refuses to return
anything unless that list is empty, so a partial graph is never built.  The checks
themselves live in :mod:`graphkit.data.checks`, one module per concern.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
import traceback
from array import array
from collections.abc import Callable
from pathlib import Path

from graphkit.collector import collector_paused
from graphkit.data.checks.checker import Checker
from graphkit.data.checks.reading import PARALLEL_THRESHOLD, TRIPPED, fold_whitespace
from graphkit.data.checks.reading import can_fork as _can_fork
from graphkit.data.model import (
    COHORTS_FILE,
    ENTITIES_FILE,
    SOURCES_FILE,
    Dataset,
    data_files,
    kind_of,
)
from graphkit.errors import DataError, Problem, problem_order

__all__ = ["COHORTS_FILE", "ENTITIES_FILE", "PARALLEL_THRESHOLD", "SOURCES_FILE", "Dataset",
           "check_dataset", "data_files", "fold_whitespace", "load_dataset", "process_dataset"]


def load_dataset(directory: Path | str, documents: Path | str | None = None) -> Dataset:
    """Load a dataset directory, or raise :class:`DataError` listing every problem.

    >>> from graphkit.data.locate import bundled_data_dir
    >>> dataset = load_dataset(bundled_data_dir())
    >>> dataset.entities["openai"]["type"]
    'company'
    """
    dataset, problems = check_dataset(directory, documents)
    if problems:
        raise DataError(problems)
    return dataset


def process_dataset(directory: Path | str, process: Callable[[Dataset], None],
                    process_entities: Callable[[dict[str, dict]], None] | None = None,
                    edge_sink: Callable[[list[dict], array, array], None] | None = None,
                    ) -> dict[str, bytes]:
    """``process(dataset)`` and ``process_entities(dataset.entities)`` on the dataset that
    :func:`load_dataset` returns (raising :class:`DataError` as it does), for steps that
    only write files: in about half the time on a large dataset.

    Such a dataset is read by two forked processes.  One checks the edge lists against
    their schema and then runs ``process_entities`` on the entities as read; the other
    runs the other checks, trusting that schema, and then ``process``.  Neither waits for
    the other's verdict: a step that ran on data that turns out to be invalid ran for
    nothing, and what it wrote is the caller's to throw away.  Anything unexpected (a
    broken schema, an error, files that changed between the two readings) means doing it
    all again here, the careful way.  Neither process hands the data back, nor frees it
    object by object: they just end.

    With an ``edge_sink``, the edge lists are read and checked one at a time, and each
    one's edges go to ``edge_sink(edges, sources, targets)`` (with the positions of their
    ends among the entities) before the next is read: ``process`` then gets a dataset
    without edges, and the memory holds one edge list at a time, not all of them.  What
    the sink was given is to be thrown away if this raises.

    Returns the SHA-256 of each file as it was read (by name): what was processed, even
    if the files changed meanwhile.

    >>> from graphkit.data.locate import bundled_data_dir
    >>> read = process_dataset(bundled_data_dir(), lambda dataset: print(len(dataset.edges) > 100))
    True
    >>> "entities.json" in read
    True
    """
    directory = Path(directory)
    files = data_files(directory)
    if sum(path.stat().st_size for path in files) >= PARALLEL_THRESHOLD and _can_fork():
        schema_check = _Forked(_check_schema_then, directory, process_entities)
        try:
            other_checks = _Forked(_check_then, directory, process, edge_sink)
        except BaseException:
            schema_check.stop()
            raise
        with schema_check, other_checks:
            try:
                problems, read = other_checks.result()
                broken, read_too = schema_check.result()
            except Exception:
                problems = None
        if problems is not None and not broken and read == read_too:
            if problems:
                raise DataError(problems)
            return read
        # Most likely the schema is broken: straight to the careful checks, for exact messages.
        careful = Checker(directory, None, trust_schema=False)
    else:
        careful = Checker(directory, None)
    careful.digests = {}
    careful.edge_sink = edge_sink
    careful.run()
    if careful.problems:
        raise DataError(sorted(set(careful.problems), key=problem_order))
    dataset = careful.dataset
    if process_entities is not None:
        process_entities(dataset.entities)
    process(dataset)
    return careful.digests



@collector_paused()  # the edge lists it reads are millions of objects, held for a moment
def _check_schema_then(directory: Path,
                       process_entities: Callable[[dict[str, dict]], None] | None,
                       ) -> tuple[list[str], dict[str, bytes]]:
    """(In a forked process.) The edge lists that do not match their schema (reading them
    is the other process's to report), and if none, ``process_entities`` on the entities.

    One edge list at a time, each let go once checked, and the entities read last (so
    never held beside an edge list): this process needs a fraction of the memory the
    other one does."""
    from graphkit.data.validation import matches_schema

    reader = Checker(directory, None)
    reader.digests = {}
    reader.read_documents()
    broken, entities = [], None
    for path in sorted(data_files(directory), key=lambda path: path.name == ENTITIES_FILE):
        document = reader._parse(path)
        if path.name == ENTITIES_FILE:
            entities = document
        elif (document is not None and kind_of(path.name) == "edges"
              and not matches_schema("edges", document)):
            broken.append(path.name)
        document = None  # let go before the next one is read
    if reader.problems:  # duplicate keys: the careful checks say where
        broken.append("-")
    if not broken and entities is not None and process_entities is not None:
        # Not checked here: should these not be the dataset's entities (a duplicate id, a
        # record that breaks the schema), the other process reports it, and this step's
        # work (or its failure, which means starting again the careful way) goes unused.
        process_entities({entity["id"]: entity for entity in entities["entities"]})
    return broken, reader.digests


def _check_then(directory: Path, process: Callable[[Dataset], None],
                edge_sink: Callable[[list[dict], array, array], None] | None = None,
                ) -> tuple[list[Problem] | None, dict[str, bytes]]:
    """(In a forked process.) Every problem but those with the schema, and ``process`` on
    the dataset if there are none (the edges to ``edge_sink`` first, if given, as they are
    checked); None when the checks tripped over something (which the schema would have
    caught)."""
    checker = Checker(directory, None, trust_schema=True)
    checker.digests = {}
    checker.edge_sink = edge_sink
    try:
        checker.run()
    except TRIPPED:
        return None, checker.digests
    if not checker.problems:
        process(checker.dataset)
    return sorted(set(checker.problems), key=problem_order), checker.digests


class _Forked:
    """``work(*arguments)`` run in a forked copy of this process; :meth:`result` waits for
    what it returns (or raises what it raised).  As a context manager, makes sure the
    process is gone."""

    def __init__(self, work: Callable, *arguments):
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        reader, writer = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            self._run_child(reader, writer, work, arguments)  # never returns
        os.close(writer)
        self._reader = reader
        self._done = False

    @staticmethod
    def _run_child(reader: int, writer: int, work: Callable, arguments: tuple) -> None:
        status = 1
        try:
            os.close(reader)
            try:
                outcome = (True, work(*arguments), "")
            except BaseException as error:
                outcome = (False, error, traceback.format_exc())
            try:
                payload = pickle.dumps(outcome)
            except Exception:
                payload = pickle.dumps((False, RuntimeError(repr(outcome[1])), outcome[2]))
            with os.fdopen(writer, "wb") as stream:
                stream.write(payload)
            for output in (sys.stdout, sys.stderr):
                output.flush()
            status = 0
        finally:
            # The process ends here: freeing the data object by object would take seconds.
            os._exit(status)

    def result(self):
        try:
            with os.fdopen(self._reader, "rb") as stream:
                payload = stream.read()
        finally:
            self._reap()
        try:
            succeeded, value, where = pickle.loads(payload)
        except Exception:
            raise RuntimeError("a forked graphkit process died") from None
        if not succeeded:
            raise value from _ChildTraceback(where)
        return value

    def stop(self) -> None:
        if not self._done:
            os.kill(self.pid, signal.SIGKILL)
            self._reap()

    def _reap(self) -> None:
        if not self._done:
            self._done = True
            os.waitpid(self.pid, 0)

    def __enter__(self) -> _Forked:
        return self

    def __exit__(self, *exception) -> None:
        self.stop()


class _ChildTraceback(Exception):
    """Where an error raised in a forked process came from."""


def check_dataset(directory: Path | str, documents: Path | str | None = None,
                  edge_sink: Callable[[list[dict], array, array], None] | None = None,
                  ) -> tuple[Dataset, list[Problem]]:
    """Read and check everything; return what was read and every problem found.

    Every quote is also looked up in its document's text: in ``documents`` when given,
    else in the dataset's own ``documents/`` folder when it has one.

    With an ``edge_sink``, the edge lists are read and checked one at a time, in one
    process, and each one's good edges go to ``edge_sink(edges, sources, targets)`` while
    no problem has been found, then are let go: the dataset returned has no edges, and
    the memory holds one edge list at a time.  The problems are the same.

    >>> from graphkit.data.locate import bundled_data_dir
    >>> counted = []
    >>> dataset, problems = check_dataset(bundled_data_dir(),
    ...                                   edge_sink=lambda edges, *ends: counted.append(len(edges)))
    >>> problems, dataset.edges, sum(counted) == len(load_dataset(bundled_data_dir()).edges)
    ([], [], True)
    """
    checker = Checker(Path(directory), Path(documents) if documents else None)
    checker.edge_sink = edge_sink
    checker.run()
    return checker.dataset, sorted(set(checker.problems), key=problem_order)

