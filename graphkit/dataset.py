"""Load and validate the curated edge lists.

The loader and ``graphkit validate`` share one code path: :func:`check_dataset`
collects every problem in every file, and :func:`load_dataset` refuses to return
anything unless that list is empty, so a partial graph is never built.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from graphkit.dates import parse_date
from graphkit.errors import DataError, Problem, problem_order
from graphkit.names import normalize
from graphkit.relations import RELATIONS
from graphkit.schema import DATE_FIELDS

SOURCES_FILE = "sources.json"
ENTITIES_FILE = "entities.json"
COHORTS_FILE = "cohorts.json"
_WHITESPACE = re.compile(r"\s+")


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


def load_dataset(directory: Path | str, documents: Path | str | None = None) -> Dataset:
    """Load a dataset directory, or raise :class:`DataError` listing every problem.

    >>> from graphkit.locate import bundled_data_dir
    >>> dataset = load_dataset(bundled_data_dir())
    >>> dataset.entities["openai"]["type"]
    'company'
    """
    dataset, problems = check_dataset(directory, documents)
    if problems:
        raise DataError(problems)
    return dataset


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


def closest(word: str, options, limit: int = 3) -> list[str]:
    """The options that look most like ``word`` (for "did you mean").

    >>> closest("antropic", ["anthropic", "openai"])
    ['anthropic']
    """
    return difflib.get_close_matches(word, list(options), n=limit, cutoff=0.6)


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


def _files_breaking_their_schema(kinds: dict[str, str]) -> list[str]:
    """(In the forked worker.) The files that do not match their schema."""
    from graphkit.validation import matches_schema

    return [name for name, kind in kinds.items()
            if not matches_schema(kind, _PARSED_FOR_WORKER[name])]


class _Checker:
    def __init__(self, directory: Path, documents: Path | None,
                 trust_schema: bool | None = None):
        self.directory = directory
        self.documents = documents
        # None: decide by size; True: another process checks the schema; False: check here.
        self._trust_schema = trust_schema
        self.dataset = Dataset(directory)
        self.problems: list[Problem] = []
        self._document_texts: dict[str, str | None] = {}
        self._broken_records: set[tuple[str, int]] = set()
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
        files = sorted(path for path in self.directory.glob("*.json") if path.is_file())
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

        A forked worker, sharing the parsed documents, answers "does every file match its
        schema?" while this process runs the semantic checks assuming it does.  Should the
        answer be no (or the assumption trip the checks up), everything is checked again
        the careful way, one after the other, for exact messages.
        """
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _PARSED_FOR_WORKER
        kinds = {name: _kind_of(name) for name, document in parsed.items()
                 if document is not None}
        _PARSED_FOR_WORKER = parsed
        try:
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
                verdict = pool.submit(_files_breaking_their_schema, kinds)
                self._trust_schema = True
                try:
                    self._check_parsed(parsed)
                    tripped = False
                except (KeyError, TypeError, AttributeError, ValueError):
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
            document = orjson.loads(path.read_bytes())
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
        from graphkit.validation import schema_problems

        problems = [] if self._trust_schema else schema_problems(display, kind, document)
        self.problems.extend(problems)
        self._broken_records.update((p.file, p.record) for p in problems
                                    if isinstance(p.record, int))
        records = document.get(kind)
        return records if isinstance(records, list) else []

    def _good(self, display: str, records: list) -> list[tuple[int, dict]]:
        return [(index, record) for index, record in enumerate(records)
                if (display, index) not in self._broken_records and isinstance(record, dict)]

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
        # Every id and name is claimed before any alias, so a clash is blamed on the alias,
        # whichever of the two records comes first.
        claimed: dict[str, tuple[str, int]] = {}
        for alias_pass in (False, True):
            for index, entity in unique:
                ident = entity["id"]
                if alias_pass:
                    forms = [(f"aliases[{n}]", alias)
                             for n, alias in enumerate(entity.get("aliases", []))]
                else:
                    forms = [("id", ident), ("name", entity["name"])]
                for field_name, form in forms:
                    owner = claimed.setdefault(normalize(form), (ident, index))
                    if owner[0] != ident:
                        what = "alias" if alias_pass else field_name
                        self.problems.append(Problem(
                            display, index, field_name,
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
                                                ("company", "lab", "investor"))
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
        for index, edge in self._good(display, records):
            ok = self._check_reference(display, index, "source", edge["source"],
                                       relation.source_types, relation.name)
            ok &= self._check_reference(display, index, "target", edge["target"],
                                        relation.target_types, relation.name)
            for field_name in relation.entity_fields:
                if field_name in edge:
                    ok &= self._check_reference(display, index, field_name, edge[field_name],
                                                ("company", "lab", "investor"))
            if edge["source"] == edge["target"]:
                ok = False
                self.problems.append(Problem(display, index, "target",
                                             "an edge cannot join an entity to itself"))
            ok &= self._check_date_fields(display, index, edge)
            ok &= self._check_citations(display, index, edge["sources"])
            if ok:
                # The parsed record is ours alone: annotate it instead of copying it.
                edge["relation"] = relation.name
                edge["id"] = f"{stem}/{index}"
                self.dataset.edges.append(edge)

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
