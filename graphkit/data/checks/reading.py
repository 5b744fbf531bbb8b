"""Reading a dataset's files, and the order and way (one core or two) the checks run."""

from __future__ import annotations

import hashlib
import os
import re
from array import array
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import orjson

from graphkit.data.model import (
    DOCUMENTS_FOLDER,
    ENTITIES_FILE,
    RECORD_FILES,
    SOURCES_FILE,
    Dataset,
    bundled_documents,
    data_files,
    document_files,
    kind_of,
    odd_entries,
)
from graphkit.errors import Problem

_WHITESPACE = re.compile(r"\s+")


def fold_whitespace(text: str) -> str:
    """Runs of white space as one space, so a quote may wrap differently from its document.

    >>> fold_whitespace(" a \\n b ")
    'a b'
    """
    return _WHITESPACE.sub(" ", text).strip()


# Above this many bytes of data, schema and semantic checks run side by side.
PARALLEL_THRESHOLD = 32 * 1024 * 1024
# What checks that trust the schema may raise on data that breaks it.
TRIPPED = (KeyError, TypeError, AttributeError, ValueError)
_PARSED_FOR_WORKER: dict[str, dict | None] = {}


def can_fork() -> bool:
    """Whether work can go to a forked process on another core."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1


def _edge_lists(parsed: dict[str, dict | None]) -> list[str]:
    """The edge lists among the files parsed: the bulk of the data, so the files whose schema
    another process checks (see ``Reading._trust_schema``)."""
    return [name for name, document in parsed.items()
            if document is not None and kind_of(name) == "edges"]


def _files_breaking_their_schema(names: list[str]) -> list[str]:
    """(In the forked worker.) The edge lists that do not match their schema."""
    from graphkit.data.validation import matches_schema

    return [name for name in names if not matches_schema("edges", _PARSED_FOR_WORKER[name])]


def document_text(path: Path, folder: Path, data: bytes | None = None,
                  ) -> tuple[str | None, str | None]:
    """The text of the document at ``path`` (white space folded) and None, or None and why
    not: only a UTF-8 file really inside ``folder`` (not through a symbolic link out of it).
    """
    try:
        if path.resolve().parent != folder.resolve():
            return None, (f"is outside {folder} (through a symbolic link): documents must be "
                          "inside that folder")
        if data is None:
            if not path.is_file():
                return None, f"not found in {folder}"
            data = path.read_bytes()
        return fold_whitespace(data.decode("utf-8")), None
    except UnicodeDecodeError as error:
        return None, (f"is not UTF-8 text (byte {error.object[error.start]:#04x} at "
                      f"{error.start}): save it as UTF-8")
    except OSError as error:
        return None, f"cannot be read: {error.strerror or error}"


def key_count(data: bytes) -> int:
    """How many keys the JSON ``data`` (valid JSON) writes: its colons outside strings.

    Compared with the keys of what orjson made of it (:func:`no_duplicate_keys`), it says
    in a fraction of a second whether a file repeats a key in an object, which the
    standard library's parser (:func:`duplicate_keys`) takes seconds to say.

    >>> key_count(b'{"a": 1, "b:": {"c": ":", "c\\\\": "\\\\\\":"}}')
    4
    """
    import numpy

    octets = numpy.frombuffer(data, numpy.uint8)
    quotes = numpy.flatnonzero(octets == ord('"'))
    if b"\\" in data:
        # A quote after an odd run of backslashes is inside a string (escaped).
        after = quotes[quotes > 0]
        after = after[octets[after - 1] == ord("\\")]
        escaped = []
        for position in after.tolist():
            run = 1
            while data[position - 1 - run] == ord("\\"):
                run += 1
            if run % 2:
                escaped.append(position)
        if escaped:
            quotes = numpy.setdiff1d(quotes, numpy.array(escaped, dtype=quotes.dtype),
                                     assume_unique=True)
    colons = numpy.flatnonzero(octets == ord(":"))
    # Outside a string, an even number of (unescaped) quotes comes before a colon.
    return int(numpy.count_nonzero(numpy.searchsorted(quotes, colons) % 2 == 0))


def no_duplicate_keys(data: bytes, document) -> bool:
    """Whether the JSON ``data``, which orjson read as ``document``, certainly has no key
    twice in one object: it writes as many keys as ``document`` holds.

    Outside its strings, JSON writes a colon only after a key; and ``document``'s strings
    are those of ``data``, less any that a repeated key dropped.  So unless ``data``
    writes a colon as an escape (``\\u003a``), as many colons in both (counted at memory
    speed) say that no key was dropped; otherwise :func:`key_count` tells.

    >>> data = b'{"a": {"b": 1, "b": 2}}'
    >>> no_duplicate_keys(data, orjson.loads(data)), no_duplicate_keys(b'{"a": 1}', {"a": 1})
    (False, True)
    >>> data = b'{"a": 1, "a": 2, "b": "\\\\u003a"}'  # as many colons as {"a":2,"b":":"}
    >>> no_duplicate_keys(data, orjson.loads(data))
    False
    """
    dumped = orjson.dumps(document)
    escaped = b"\\" in data and b"\\u003" in data  # (a backslash is found much faster)
    if not escaped and data.count(b":") == dumped.count(b":"):
        return True
    return key_count(data) == key_count(dumped)


# What streaming keeps of a record id (see Reading._claim_edge_ids), and what joins the ids
# of an edge list in one text: a character no valid record id has.
_id_hash = hash
_ID_BREAK = "\0"


def document_kind(display: str) -> str | None:
    """The kind of data file a file shown as ``display`` is (see ``kind_of``)."""
    return kind_of(Path(display).name)


def _records_again(display: str) -> list:
    """The records of the edge list ``display``, read again (it was checked already)."""
    document = orjson.loads(Path(display).read_bytes())
    records = document.get("edges") if isinstance(document, dict) else None
    return records if isinstance(records, list) else []


def duplicate_keys(data: bytes) -> list[str]:
    """The keys that appear twice in one object of the JSON ``data`` (valid JSON).

    >>> duplicate_keys(b'{"a": 1, "b": {"c": 1, "c": 2}}')
    ['c']
    """
    import json

    found: list[str] = []

    def pairs(items: list[tuple[str, object]]) -> dict:
        result = dict(items)
        if len(result) != len(items):
            seen: set[str] = set()
            found.extend(key for key, _value in items if key in seen or seen.add(key))
        return result

    try:
        json.loads(data, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return []  # what orjson read, the standard library may refuse: nothing to add
    return sorted(set(found))


class Reading:
    """The checker's state, reading and parsing, and the helpers every check uses."""

    def __init__(self, directory: Path, documents: Path | None,
                 trust_schema: bool | None = None):
        self.directory = directory
        # Quotes are checked against these documents: the dataset's own documents/ folder
        # unless another one is given.
        self.documents = documents if documents is not None else bundled_documents(directory)
        self._bundled = documents is None and self.documents is not None
        # None: decide by size; True: another process checks the schema of the edge lists
        # (of the rest, this one); False: check every file here.
        self._trust_schema = trust_schema
        self.dataset = Dataset(directory)
        # A digest of each file read, when asked for (to compare with another process's).
        self.digests: dict[str, bytes] | None = None
        self.problems: list[Problem] = []
        self._document_texts: dict[str, str | None] = {}
        self._quote_verdicts: dict[tuple[str, str], bool] = {}
        self._unreadable: dict[str, str] = {}  # why a document's text could not be had
        self._broken_records: set[tuple[str, int]] = set()
        self._date_verdicts: dict[tuple, bool] = {}
        self._typed_date_verdicts: dict[tuple, bool] = {}  # the same, of typed edges
        # Every entity's position in dataset.entities, and each position's type.
        self._number_of: dict[str, int] = {}
        self._type_at: list[str] = []
        # Entities and documents whose own record is unreadable or broken: references to them
        # are not reported again (the root problem already is).
        self._entities_read = False
        self._sources_read = False
        self._unusable_entities: set[str] = set()
        self._unusable_documents: set[str] = set()
        # Every record id met so far (ids are unique across all kinds of record), and the
        # records of each file that claimed some, to say where a duplicate's first one is.
        self._record_ids: set[str] = set()
        self._claims: list[tuple[str, list]] = []
        # Streaming, the ids of the edges claimed so far are kept compact (10M of them in a
        # set would take 1.3 GB): their 64-bit hashes, sorted, to see that an id is new in
        # a single look-up, and each edge list's ids as one text, to make sure when a hash
        # is met again.
        self._edge_id_hashes = None
        self._edge_id_texts: list[str] = []
        # Whether rounds.json was read (an edge's round_id is checked against its rounds).
        self._rounds_read = False
        # When set, the edge lists are read one at a time, and each one's good edges (with
        # the positions of their ends) go to ``edge_sink(edges, sources, targets)`` once
        # checked, while no problem has been found, then are let go: ``dataset.edges``
        # stays empty, and the memory holds one edge list at a time.
        self.edge_sink: Callable[[list[dict], array, array], None] | None = None
        self._round_ids: set[str] = set()
        self._round_company: dict[str, str] = {}


    def run(self) -> None:
        if not self.directory.is_dir():
            self.problems.append(Problem(str(self.directory), "-", "-",
                                         "no such dataset directory"))
            return
        files = data_files(self.directory)
        for entry, wrong in odd_entries(self.directory):
            self.problems.append(Problem(self._display(entry), "-", "-", wrong))
        names = {path.name for path in files}
        for required in (SOURCES_FILE, ENTITIES_FILE):
            if required not in names:
                self.problems.append(Problem(self._display(self.directory / required), "-", "-",
                                             "missing file: every dataset needs it"))
        # Streaming, an edge list is read when its turn comes (see _check_parsed).
        parsed = {path.name: path if self.edge_sink is not None and kind_of(path.name) == "edges"
                  else self._parse(path) for path in files}
        self.read_documents()
        large = sum(path.stat().st_size for path in files) >= PARALLEL_THRESHOLD
        # (Streaming, every check runs here, one edge list at a time: the other process
        # would need them all at once.)
        if large and self._trust_schema is None and can_fork() and self.edge_sink is None:
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
                except TRIPPED:
                    tripped = True
                broken = verdict.result()
        finally:
            _PARSED_FOR_WORKER = {}
        if broken or tripped:
            careful = type(self)(self.directory, self.documents, trust_schema=False)
            careful.run()
            self.__dict__.update(careful.__dict__)

    def read_documents(self) -> None:
        """Read the dataset's own documents at once (and their digests, when asked: the
        quotes were checked against them, so a store is named by them too)."""
        if not self._bundled:
            return
        for path in document_files(self.directory):
            try:
                data = path.read_bytes()
            except OSError:
                continue  # reported as a document not found, when a source names it
            if self.digests is not None:
                self.digests[f"{DOCUMENTS_FOLDER}/{path.name}"] = hashlib.sha256(data).digest()
            text, reason = document_text(path, path.parent, data)
            self._document_texts[path.name] = text
            if reason is not None:
                self._unreadable[path.name] = reason

    def _check_parsed(self, parsed: dict[str, dict | None]) -> None:
        # Entities and sources first: every other record refers to them; rounds before the
        # edges, which may name their round.
        if (entities := parsed.get(ENTITIES_FILE)) is not None:
            self._entities_read = True
            self._check_entities(self._display(self.directory / ENTITIES_FILE), entities)
        if (sources := parsed.get(SOURCES_FILE)) is not None:
            self._sources_read = True
            self._check_sources(self._display(self.directory / SOURCES_FILE), sources)
        for kind, name in RECORD_FILES.items():
            if kind == "rounds":
                self._rounds_read = parsed.get(name) is not None
            if (document := parsed.get(name)) is not None:
                getattr(self, f"_check_{kind}")(self._display(self.directory / name), document)
        for name, document in parsed.items():
            if (kind_of(name) == "edges" and isinstance(document, Path)
                    and self._trust_schema is True
                    and (typed := self._parse_typed(document)) is not None):
                self._check_typed_edges(self._display(self.directory / name), typed)
                del typed  # before the next one is read
            elif kind_of(name) == "edges" and isinstance(document, Path):
                document = self._parse(document)
                if document is not None:
                    self._check_edges(self._display(self.directory / name), document)
                    del document  # before the next one is read
                    self._hand_over_edges()
            elif kind_of(name) == "edges" and document is not None:
                self._check_edges(self._display(self.directory / name), document)

    def _hand_over_edges(self) -> None:
        """(Streaming.) The good edges of the list just checked to ``edge_sink``, then let go."""
        edges, ends = self.dataset.edges, self.dataset.ends
        self.dataset.edges, self.dataset.ends = [], None
        if not self.problems and edges:
            self.edge_sink(edges, *ends)

    def _display(self, path: Path) -> str:
        return str(path)

    def _parse(self, path: Path) -> dict | None:
        display = self._display(path)
        try:
            data = path.read_bytes()
            if self.digests is not None:
                self.digests[path.name] = hashlib.sha256(data).digest()
            document = orjson.loads(data)
            if self._trust_schema is not True:
                # orjson keeps the last of two equal keys: say so instead (the checks that
                # trust the schema leave this to the process that checks it).
                for key in [] if no_duplicate_keys(data, document) else duplicate_keys(data):
                    self.problems.append(Problem(
                        display, "-", "-", f"duplicate key {key!r} in one JSON object (only "
                                           "the last would count): keep one"))
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

    def _parse_typed(self, path: Path):
        """(Streaming, the schema trusted.) The edge list at ``path`` decoded into typed
        records (:class:`graphkit.data.checks.typed.TypedEdges`), or None: then it is read
        the usual way (:meth:`_parse`), which says what is wrong with it, if anything."""
        from graphkit.data.checks.typed import TypedEdges

        try:
            data = path.read_bytes()
        except OSError:
            return None
        edges = TypedEdges.decode(data)
        if edges is not None and self.digests is not None:
            self.digests[path.name] = hashlib.sha256(data).digest()
        return edges

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

    def _unique_records(self, display: str, records: list) -> list[tuple[int, dict]]:
        """The good records of a file of records with ids (not edges: see
        :meth:`_claim_ids`), each id claimed; a record whose id is taken is left out."""
        good = list(self._good(display, records))
        self._claim_ids(display, records, [record["id"] for _, record in good])
        first: dict[str, int] = {}
        return [(index, record) for index, record in good
                if first.setdefault(record["id"], index) == index]

    def _claim_ids(self, display: str, records: list, ids: list[str]) -> None:
        """Claim the record ``ids`` of the file ``display`` (whose records are ``records``);
        an id some record already has is a problem.  One set update when all is well."""
        if self.edge_sink is not None and document_kind(display) == "edges":
            self._claim_edge_ids(display, records, ids)
            # Streaming: the edge list is read again, should a later duplicate need it.
            self._claims.append((display, partial(_records_again, display)))
            return
        seen = self._record_ids
        before = len(seen)
        seen.update(ids)
        if len(seen) - before != len(ids):
            self._report_duplicate_ids(display, records, ids, before)
        self._claims.append((display, records))

    def _claim_edge_ids(self, display: str, records: list, ids: list[str]) -> None:
        """(Streaming.) :meth:`_claim_ids` for an edge list, its ids kept compact.  The
        edge lists come after every other kind of record, so the ids of those (in the
        set) are all claimed by now."""
        import numpy

        hashes = numpy.fromiter(map(_id_hash, ids), numpy.int64, len(ids))
        hashes.sort()
        claimed = self._edge_id_hashes
        if claimed is None:
            claimed = numpy.zeros(0, dtype=numpy.int64)
        again = len(claimed) > 0 and bool(
            (claimed[numpy.searchsorted(claimed, hashes).clip(0, len(claimed) - 1)] == hashes)
            .any())
        if ((again or (hashes[1:] == hashes[:-1]).any() or not self._record_ids.isdisjoint(ids))
                and self._taken(ids)):
            self._report_duplicate_ids(display, records, ids, 0)
        # Two sorted runs: merged in linear time.
        self._edge_id_hashes = numpy.sort(numpy.concatenate([claimed, hashes]), kind="stable")
        self._edge_id_texts.append(_ID_BREAK.join(ids))

    def _taken(self, ids: list[str]) -> bool:
        """(Streaming.) Whether one of ``ids`` is claimed already, or is in ``ids`` twice."""
        wanted = set(ids)
        return (len(wanted) != len(ids) or not self._record_ids.isdisjoint(wanted)
                or any(not wanted.isdisjoint(text.split(_ID_BREAK))
                       for text in self._edge_id_texts))

    def _claimed(self, ident: str) -> bool:
        """Whether some record claimed the id ``ident`` so far."""
        return ident in self._record_ids or bool(self._edge_id_texts) and self._taken([ident])

    def _report_duplicate_ids(self, display: str, records: list, ids: list[str],
                              before: int) -> None:
        wanted = set(ids)
        first: dict[str, tuple[str, int]] = {}
        for other, other_records in [*self._claims, (display, records)]:
            if callable(other_records):
                other_records = other_records()
            for index, record in enumerate(other_records):
                if not isinstance(record, dict) or (other, index) in self._broken_records:
                    continue
                ident = record.get("id")
                if not isinstance(ident, str) or ident not in wanted:
                    continue
                if ident not in first:
                    first[ident] = (other, index)
                elif other == display and first[ident] != (display, index):
                    where = ("record" if first[ident][0] == display
                             else f"{Path(first[ident][0]).name} record")
                    self.problems.append(Problem(
                        display, index, "id",
                        f"duplicate id {ident!r} (also {where} {first[ident][1]})"))

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

