"""Load and validate the curated edge lists.

The loader and ``graphkit validate`` share one code path: :func:`check_dataset`
collects every problem in every file, and :func:`load_dataset` refuses to return
anything unless that list is empty, so a partial graph is never built.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import signal
import sys
import traceback
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from graphkit.data.dates import parse_date
from graphkit.data.names import closest, normalize
from graphkit.data.relations import ENTITY_TYPES, RELATIONS
from graphkit.data.schema import DATE_FIELDS
from graphkit.errors import DataError, Problem, problem_order

SOURCES_FILE = "sources.json"
ENTITIES_FILE = "entities.json"
COHORTS_FILE = "cohorts.json"
_WHITESPACE = re.compile(r"\s+")
_ORGANISATIONS = ("company", "lab", "investor")
_TYPE_NAMES = {name: name for name in ENTITY_TYPES}
_OTHER_DATE_FIELDS = DATE_FIELDS - {"date", "end"}
_ABSENT = object()
# For names met once each: remembering 600,000 of them would only cost time and memory.
_normalize_once = normalize.__wrapped__
# What checks that trust the schema may raise on data that breaks it.
_TRIPPED = (KeyError, TypeError, AttributeError, ValueError)


@dataclass
class Dataset:
    """Everything in a dataset directory, validated.

    ``edges`` are dicts with ``id`` (``RELATION/INDEX``), ``relation`` and the record's
    own fields; ``cohorts`` and the values of ``entities`` and ``sources`` are the records.
    """

    directory: Path
    sources: dict[str, dict] = field(default_factory=dict)
    entities: dict[str, dict] = field(default_factory=dict)
    edges: list[dict] = field(default_factory=list)
    cohorts: list[dict] = field(default_factory=list)
    # The position in ``entities`` of every edge's source and target, as the checks found
    # them (the store starts from these instead of looking two million ids up again).
    ends: tuple[array, array] | None = field(default=None, repr=False, compare=False)


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
                    process_entities: Callable[[dict[str, dict]], None] | None = None) -> None:
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

    >>> from graphkit.data.locate import bundled_data_dir
    >>> process_dataset(bundled_data_dir(), lambda dataset: print(len(dataset.edges) > 100))
    True
    """
    directory = Path(directory)
    files = data_files(directory)
    if sum(path.stat().st_size for path in files) >= PARALLEL_THRESHOLD and _can_fork():
        schema_check = _Forked(_check_schema_then, directory, process_entities)
        try:
            other_checks = _Forked(_check_then, directory, process)
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
            return
        # Most likely the schema is broken: straight to the careful checks, for exact messages.
        careful = _Checker(directory, None, trust_schema=False)
        careful.run()
        if careful.problems:
            raise DataError(sorted(set(careful.problems), key=problem_order))
        dataset = careful.dataset
    else:
        dataset = load_dataset(directory)
    if process_entities is not None:
        process_entities(dataset.entities)
    process(dataset)


def data_files(directory: Path) -> list[Path]:
    """The files a dataset consists of (what the loader reads), in name order.

    >>> from graphkit.data.locate import bundled_data_dir
    >>> [path.name for path in data_files(bundled_data_dir())][:2]
    ['cohorts.json', 'company-developed-model.json']
    """
    return sorted(path for path in Path(directory).glob("*.json") if path.is_file())


def _check_schema_then(directory: Path,
                       process_entities: Callable[[dict[str, dict]], None] | None,
                       ) -> tuple[list[str], dict[str, bytes]]:
    """(In a forked process.) The edge lists that do not match their schema (reading them
    is the other process's to report), and if none, ``process_entities`` on the entities.

    One edge list at a time, each let go once checked: this process needs a fraction of
    the memory the other one does."""
    from graphkit.data.validation import matches_schema

    reader = _Checker(directory, None)
    reader.digests = {}
    broken, entities = [], None
    for path in data_files(directory):
        document = reader._parse(path)
        if path.name == ENTITIES_FILE:
            entities = document
        elif (document is not None and _kind_of(path.name) == "edges"
              and not matches_schema("edges", document)):
            broken.append(path.name)
    if not broken and entities is not None and process_entities is not None:
        # Not checked here: should these not be the dataset's entities (a duplicate id, a
        # record that breaks the schema), the other process reports it, and this step's
        # work (or its failure, which means starting again the careful way) goes unused.
        process_entities({entity["id"]: entity for entity in entities["entities"]})
    return broken, reader.digests


def _check_then(directory: Path, process: Callable[[Dataset], None],
                ) -> tuple[list[Problem] | None, dict[str, bytes]]:
    """(In a forked process.) Every problem but those with the schema, and ``process`` on
    the dataset if there are none; None when the checks tripped over something (which
    the schema would have caught)."""
    checker = _Checker(directory, None, trust_schema=True)
    checker.digests = {}
    try:
        checker.run()
    except _TRIPPED:
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
                  ) -> tuple[Dataset, list[Problem]]:
    """Read and check everything; return what was read and every problem found.

    With ``documents``, every quote is also looked up in its document's text.
    """
    checker = _Checker(Path(directory), Path(documents) if documents else None)
    checker.run()
    return checker.dataset, sorted(set(checker.problems), key=problem_order)


def fold_whitespace(text: str) -> str:
    """Runs of white space as one space, so a quote may wrap differently from its document.

    >>> fold_whitespace(" a \\n b ")
    'a b'
    """
    return _WHITESPACE.sub(" ", text).strip()


def _dates_agree(start, end) -> bool:
    """Whether ``date`` ``start`` and ``end`` (either may be absent) are real dates in order."""
    try:
        first = None if start is _ABSENT else parse_date(start)
        last = None if end is _ABSENT else parse_date(end)
    except (ValueError, TypeError):
        return False
    return first is None or last is None or last.last_day() >= first.first_day()


def _did_you_mean(word: str, options) -> str:
    matches = closest(word, options)
    return f"; did you mean {' or '.join(repr(m) for m in matches)}?" if matches else ""


# Above this many bytes of data, schema and semantic checks run side by side.
PARALLEL_THRESHOLD = 32 * 1024 * 1024
_PARSED_FOR_WORKER: dict[str, dict | None] = {}


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


def _kind_of(name: str) -> str:
    return {SOURCES_FILE: "sources", ENTITIES_FILE: "entities",
            COHORTS_FILE: "cohorts"}.get(name, "edges")


def _edge_lists(parsed: dict[str, dict | None]) -> list[str]:
    """The edge lists among the files parsed: the bulk of the data, so the files whose schema
    another process checks (see ``_Checker._trust_schema``)."""
    return [name for name, document in parsed.items()
            if document is not None and _kind_of(name) == "edges"]


def _files_breaking_their_schema(names: list[str]) -> list[str]:
    """(In the forked worker.) The edge lists that do not match their schema."""
    from graphkit.data.validation import matches_schema

    return [name for name in names if not matches_schema("edges", _PARSED_FOR_WORKER[name])]


class _Checker:
    def __init__(self, directory: Path, documents: Path | None,
                 trust_schema: bool | None = None):
        self.directory = directory
        self.documents = documents
        # None: decide by size; True: another process checks the schema of the edge lists
        # (of the rest, this one); False: check every file here.
        self._trust_schema = trust_schema
        self.dataset = Dataset(directory)
        # A digest of each file read, when asked for (to compare with another process's).
        self.digests: dict[str, bytes] | None = None
        self.problems: list[Problem] = []
        self._document_texts: dict[str, str | None] = {}
        self._broken_records: set[tuple[str, int]] = set()
        self._date_verdicts: dict[tuple, bool] = {}
        # Every entity's position in dataset.entities, and each position's type.
        self._number_of: dict[str, int] = {}
        self._type_at: list[str] = []
        # Entities and documents whose own record is unreadable or broken: references to them
        # are not reported again (the root problem already is).
        self._entities_read = False
        self._sources_read = False
        self._unusable_entities: set[str] = set()
        self._unusable_documents: set[str] = set()

    # -- reading ---------------------------------------------------------------------------

    def run(self) -> None:
        if not self.directory.is_dir():
            self.problems.append(Problem(str(self.directory), "-", "-",
                                         "no such dataset directory"))
            return
        files = data_files(self.directory)
        names = {path.name for path in files}
        for required in (SOURCES_FILE, ENTITIES_FILE):
            if required not in names:
                self.problems.append(Problem(self._display(self.directory / required), "-", "-",
                                             "missing file: every dataset needs it"))
        parsed = {path.name: self._parse(path) for path in files}
        large = sum(path.stat().st_size for path in files) >= PARALLEL_THRESHOLD
        if large and self._trust_schema is None and _can_fork():
            self._check_in_parallel(parsed)
        else:
            self._check_parsed(parsed)

    def _check_in_parallel(self, parsed: dict[str, dict | None]) -> None:
        """Schema and semantic checks at once, on two cores.

        A forked worker, sharing the parsed documents, answers "does every edge list match
        its schema?" while this process runs the other checks assuming it does.  Should the
        answer be no (or the assumption trip the checks up), everything is checked again
        the careful way, one after the other, for exact messages.
        """
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _PARSED_FOR_WORKER
        _PARSED_FOR_WORKER = parsed
        try:
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
                verdict = pool.submit(_files_breaking_their_schema, _edge_lists(parsed))
                self._trust_schema = True
                try:
                    self._check_parsed(parsed)
                    tripped = False
                except _TRIPPED:
                    tripped = True
                broken = verdict.result()
        finally:
            _PARSED_FOR_WORKER = {}
        if broken or tripped:
            careful = _Checker(self.directory, self.documents, trust_schema=False)
            careful.run()
            self.__dict__.update(careful.__dict__)

    def _check_parsed(self, parsed: dict[str, dict | None]) -> None:
        # Entities and sources first: edges and cohorts refer to them.
        if (entities := parsed.get(ENTITIES_FILE)) is not None:
            self._entities_read = True
            self._check_entities(self._display(self.directory / ENTITIES_FILE), entities)
        if (sources := parsed.get(SOURCES_FILE)) is not None:
            self._sources_read = True
            self._check_sources(self._display(self.directory / SOURCES_FILE), sources)
        if (cohorts := parsed.get(COHORTS_FILE)) is not None:
            self._check_cohorts(self._display(self.directory / COHORTS_FILE), cohorts)
        for name, document in parsed.items():
            if name not in (ENTITIES_FILE, SOURCES_FILE, COHORTS_FILE) and document is not None:
                self._check_edges(self._display(self.directory / name), document)

    def _display(self, path: Path) -> str:
        return str(path)

    def _parse(self, path: Path) -> dict | None:
        display = self._display(path)
        try:
            data = path.read_bytes()
            if self.digests is not None:
                self.digests[path.name] = hashlib.sha256(data).digest()
            document = orjson.loads(data)
        except orjson.JSONDecodeError as error:
            self.problems.append(Problem(
                display, "-", "-",
                f"malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"))
            return None
        except OSError as error:
            self.problems.append(Problem(display, "-", "-", f"cannot read: {error.strerror}"))
            return None
        if not isinstance(document, dict):
            self.problems.append(Problem(display, "-", "-",
                                         "expected a JSON object at the top level"))
            return None
        return document

    def _schema_check(self, display: str, kind: str, document: dict) -> list[dict]:
        from graphkit.data.validation import schema_problems

        trusted = self._trust_schema and kind == "edges"
        problems = [] if trusted else schema_problems(display, kind, document)
        self.problems.extend(problems)
        self._broken_records.update((p.file, p.record) for p in problems
                                    if isinstance(p.record, int))
        records = document.get(kind)
        return records if isinstance(records, list) else []

    def _good(self, display: str, records: list) -> Iterator[tuple[int, dict]]:
        if not self._broken_records:
            return ((index, record) for index, record in enumerate(records)
                    if isinstance(record, dict))
        return ((index, record) for index, record in enumerate(records)
                if (display, index) not in self._broken_records and isinstance(record, dict))

    def _broken_keys(self, display: str, records: list, key: str) -> set[str]:
        return {record[key] for index, record in enumerate(records)
                if (display, index) in self._broken_records and isinstance(record, dict)
                and isinstance(record.get(key), str)}

    def _unique(self, display: str, records: list, key: str, what: str,
                ) -> list[tuple[int, dict]]:
        """The good records whose ``key`` is not taken by an earlier one; each later
        duplicate is a problem."""
        first_index: dict[str, int] = {}
        unique = []
        for index, record in self._good(display, records):
            value = record[key]
            if value in first_index:
                self.problems.append(Problem(display, index, key,
                                             f"duplicate {what} {value!r} (also record "
                                             f"{first_index[value]})"))
                continue
            first_index[value] = index
            unique.append((index, record))
        return unique

    # -- files -----------------------------------------------------------------------------

    def _check_entities(self, display: str, document: dict) -> None:
        records = self._schema_check(display, "entities", document)
        self._unusable_entities = self._broken_keys(display, records, "id")
        unique = self._unique(display, records, "id", "id")
        for _index, entity in unique:
            self.dataset.entities[entity["id"]] = entity
        self._number_of = {ident: number for number, ident in enumerate(self.dataset.entities)}
        # The relations' own (interned) type names: comparing them is then one pointer.
        self._type_at = [_TYPE_NAMES.get(entity["type"], entity["type"])
                         for entity in self.dataset.entities.values()]
        # Every id and name is claimed before any alias, so a clash is blamed on the alias,
        # whichever of the two records comes first.
        claimed: dict[str, tuple[str, int]] = {}
        claim = claimed.setdefault
        for index, entity in unique:
            ident = entity["id"]
            mine = (ident, index)
            for field_name in ("id", "name"):
                owner = claim(_normalize_once(entity[field_name]), mine)
                if owner[0] != ident:
                    self._clash(display, index, field_name, field_name, entity[field_name], owner)
        for index, entity in unique:
            if aliases := entity.get("aliases", []):
                ident = entity["id"]
                mine = (ident, index)
                for position, alias in enumerate(aliases):
                    owner = claim(_normalize_once(alias), mine)
                    if owner[0] != ident:
                        self._clash(display, index, f"aliases[{position}]", "alias", alias, owner)

    def _clash(self, display: str, index: int, field_name: str, what: str, form: str,
               owner: tuple[str, int]) -> None:
        self.problems.append(Problem(display, index, field_name,
                                     f"{what} {form!r} is also claimed by entity {owner[0]!r} "
                                     f"(record {owner[1]})"))

    def _check_sources(self, display: str, document: dict) -> None:
        records = self._schema_check(display, "sources", document)
        self._unusable_documents = self._broken_keys(display, records, "doc")
        for index, source in self._unique(display, records, "doc", "document"):
            doc = source["doc"]
            self.dataset.sources[doc] = source
            self._check_date_fields(display, index, source)
            if self.documents is not None and self._document_text(doc) is None:
                self.problems.append(Problem(display, index, "doc",
                                             f"document {doc!r} not found in {self.documents}"))

    def _check_cohorts(self, display: str, document: dict) -> None:
        records = self._schema_check(display, "cohorts", document)
        unique = self._unique(display, records, "id", "id")
        first_index = {cohort["id"]: index for index, cohort in unique}
        for index, cohort in unique:
            ok = self._check_date_fields(display, index, cohort)
            ok &= self._check_citations(display, index, cohort["sources"])
            for end in ("from", "to"):
                if end in cohort:
                    ok &= self._check_reference(display, index, end, cohort[end],
                                                _ORGANISATIONS)
            members = cohort.get("members", [])
            for position, member in enumerate(members):
                ok &= self._check_reference(display, index, f"members[{position}]", member,
                                            ("person",))
            if len(members) > cohort["count"]:
                ok = False
                self.problems.append(Problem(
                    display, index, "count",
                    f"count {cohort['count']} is smaller than the {len(members)} named members"))
            if ok:
                self.dataset.cohorts.append(cohort)
        self._check_overlaps(display, first_index)

    def _check_overlaps(self, display: str, first_index: dict[str, int]) -> None:
        """``within`` names another cohort and claims no more people than either counts."""
        by_id = {cohort["id"]: cohort for cohort in self.dataset.cohorts}
        claimed: dict[str, int] = {}
        for cohort in list(self.dataset.cohorts):
            index = first_index[cohort["id"]]
            for position, entry in enumerate(cohort.get("within", [])):
                other = by_id.get(entry["cohort"])
                shared = entry.get("count", cohort["count"])
                where, message = f"within[{position}].cohort", None
                if entry["cohort"] == cohort["id"]:
                    message = "a cohort cannot be within itself"
                elif other is None:
                    message = (f"unknown cohort {entry['cohort']!r}"
                               f"{_did_you_mean(entry['cohort'], first_index)}")
                elif shared > min(cohort["count"], other["count"]):
                    where = f"within[{position}].count"
                    message = (f"count {shared} is more than this cohort ({cohort['count']}) "
                               f"or {other['id']!r} ({other['count']}) counts")
                if message is None:
                    claimed[other["id"]] = claimed.get(other["id"], 0) + shared
                    continue
                self.problems.append(Problem(display, index, where, message))
                if cohort in self.dataset.cohorts:
                    self.dataset.cohorts.remove(cohort)
        for ident, shared in sorted(claimed.items()):
            if shared > by_id[ident]["count"]:
                self.problems.append(Problem(
                    display, first_index[ident], "count",
                    f"cohorts within {ident!r} count {shared} of its people, more than its "
                    f"{by_id[ident]['count']}"))

    def _check_edges(self, display: str, document: dict) -> None:
        records = self._schema_check(display, "edges", document)
        relation = RELATIONS.get(document.get("relation"))
        if relation is None:
            return
        stem = Path(display).stem
        name = relation.name
        sources = self.dataset.sources
        number_of, type_at = self._number_of, self._type_at
        source_types, target_types = relation.source_types, relation.target_types
        entity_fields = relation.entity_fields
        dates_fine, verdicts = self._dates_fine, self._date_verdicts
        no_other_dates = _OTHER_DATE_FIELDS.isdisjoint
        quotes_unchecked = self.documents is None
        kept = self.dataset.edges
        if self.dataset.ends is None:
            self.dataset.ends = (array("i"), array("i"))
        first_ends, second_ends = self.dataset.ends
        for index, edge in self._good(display, records):
            # A million edges are mostly fine: make sure of that cheaply, and leave finding
            # (and saying) what is wrong with the others to the careful checks.
            first, second = number_of.get(edge["source"]), number_of.get(edge["target"])
            citations = edge["sources"]
            fine = (quotes_unchecked and first is not None and second is not None
                    and type_at[first] in source_types and type_at[second] in target_types
                    and first != second and no_other_dates(edge)
                    and (verdicts.get((edge.get("date", _ABSENT), edge.get("end", _ABSENT)))
                         or dates_fine(edge))
                    and (citations[0]["doc"] in sources if len(citations) == 1 else
                         all(citation["doc"] in sources for citation in citations))
                    and (not entity_fields or self._entity_fields_fine(edge, entity_fields)))
            if fine or self._check_edge(display, index, edge, relation):
                # The parsed record is ours alone: annotate it instead of copying it.
                edge["relation"] = name
                edge["id"] = f"{stem}/{index}"
                kept.append(edge)
                first_ends.append(number_of[edge["source"]] if first is None else first)
                second_ends.append(number_of[edge["target"]] if second is None else second)

    def _check_edge(self, display: str, index: int, edge: dict, relation) -> bool:
        ok = self._check_reference(display, index, "source", edge["source"],
                                   relation.source_types, relation.name)
        ok &= self._check_reference(display, index, "target", edge["target"],
                                    relation.target_types, relation.name)
        for field_name in relation.entity_fields:
            if field_name in edge:
                ok &= self._check_reference(display, index, field_name, edge[field_name],
                                            _ORGANISATIONS)
        if edge["source"] == edge["target"]:
            ok = False
            self.problems.append(Problem(display, index, "target",
                                         "an edge cannot join an entity to itself"))
        ok &= self._check_date_fields(display, index, edge)
        ok &= self._check_citations(display, index, edge["sources"])
        return ok

    def _entity_fields_fine(self, edge: dict, entity_fields: tuple[str, ...]) -> bool:
        for field_name in entity_fields:
            if field_name in edge:
                number = self._number_of.get(edge[field_name])
                if number is None or self._type_at[number] not in _ORGANISATIONS:
                    return False
        return True

    def _dates_fine(self, record: dict) -> bool:
        """Whether the record's dates certainly pass :meth:`_check_date_fields` (datasets
        repeat the same few thousand dates, so each pair is judged once)."""
        if not _OTHER_DATE_FIELDS.isdisjoint(record):
            return False
        pair = (record.get("date", _ABSENT), record.get("end", _ABSENT))
        try:
            return self._date_verdicts[pair]
        except KeyError:
            verdict = self._date_verdicts[pair] = _dates_agree(*pair)
            return verdict
        except TypeError:  # not hashable, so certainly not a date
            return False

    # -- fields ----------------------------------------------------------------------------

    def _check_reference(self, display: str, index: int, field_name: str, ident: str,
                         allowed_types, relation: str | None = None) -> bool:
        entity = self.dataset.entities.get(ident)
        if entity is None and (not self._entities_read or ident in self._unusable_entities):
            return False
        if entity is None:
            self.problems.append(Problem(
                display, index, field_name,
                f"unknown entity {ident!r}{_did_you_mean(ident, self.dataset.entities)}"))
            return False
        if entity["type"] not in allowed_types:
            needs = " or ".join(allowed_types)
            where = f"{relation} needs" if relation else "this field needs"
            self.problems.append(Problem(
                display, index, field_name,
                f"{ident!r} is a {entity['type']}, but {where} a {needs} here"))
            return False
        return True

    def _check_date_fields(self, display: str, index: int, record: dict) -> bool:
        parsed = {}
        for field_name in sorted(DATE_FIELDS & record.keys()):
            try:
                parsed[field_name] = parse_date(record[field_name])
            except ValueError as error:
                self.problems.append(Problem(display, index, field_name, str(error)))
                return False
        start, end = parsed.get("date"), parsed.get("end")
        if start and end and end.last_day() < start.first_day():
            self.problems.append(Problem(display, index, "end",
                                         f"ends ({end.text}) before it starts ({start.text})"))
            return False
        return True

    def _check_citations(self, display: str, index: int, citations: list[dict]) -> bool:
        ok = True
        for position, citation in enumerate(citations):
            doc = citation["doc"]
            if doc not in self.dataset.sources:
                ok = False
                if not self._sources_read or doc in self._unusable_documents:
                    continue
                self.problems.append(Problem(
                    display, index, f"sources[{position}].doc",
                    f"unknown document {doc!r}: add it to {SOURCES_FILE}"
                    f"{_did_you_mean(doc, self.dataset.sources)}"))
                continue
            if self.documents is None:
                continue
            text = self._document_text(doc)
            if text is not None and fold_whitespace(citation["quote"]) not in text:
                ok = False
                shown = citation["quote"] if len(citation["quote"]) <= 60 else (
                    citation["quote"][:57] + "...")
                self.problems.append(Problem(display, index, f"sources[{position}].quote",
                                             f"quote not found in {doc}: {shown!r}"))
        return ok

    def _document_text(self, doc: str) -> str | None:
        if doc not in self._document_texts:
            path = self.documents / doc
            try:
                self._document_texts[doc] = fold_whitespace(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError):
                self._document_texts[doc] = None
        return self._document_texts[doc]
