"""The cache: a validated dataset compiled for fast cold starts.

Validating and building a million-edge graph takes seconds; answering ``path`` should
not.  The first command on a dataset validates it and writes a *store* under the cache
directory; later commands read only what they need:

- ``structure.bin``, read when the store is opened: the ids (and their sorted order, to
  find an id by binary search), types, the other records (sources, cohorts, figures,
  rounds, events), where each entity's record and each node's neighbours start;
  ``names.bin``: the names' half of the build (how many entities it saw);
- parts read when a command first needs them: ``adjacency.bin`` (the undirected
  adjacency list in compressed-sparse-row arrays, for walking the graph),
  ``edge-index.bin`` (where each edge's record lies, and its checksum) and
  ``columns.bin`` (each edge's ends, relation and date range);
- ``entities.jsonl`` and ``edges.jsonl``: the full records (the evidence), one per line,
  read on demand by byte offset, each line checked against its CRC-32 when read;
- ``search.bin``: every name key (:func:`graphkit.data.names.build_columns`: folded
  names and aliases, their pinyin, parts of people's names), for resolving names by
  binary search, search and "did you mean", read when a name is not an id;
- ``store.bin``, written last: the content hash of the data the store was built from.

Every ``.bin`` file is data only (:mod:`graphkit.store.packed`: JSON and arrays of
numbers, never a pickle, so a cache others can write to cannot run code) behind a
SHA-256 of itself, checked before any of it is used, and its arrays are used where they
were read (no second copy).  The parts read later are checked when they are read, and
must also be the very files their half of the build wrote: ``structure.bin`` and
``names.bin`` carry their sizes and SHA-256s.  So a command reads and checks only what
its answer needs, at a million edges a fifth of the store for a shortest path.  Anything
damaged (a wrong checksum, a truncated or missing file, a folder where a file should
be) is removed and rebuilt, never believed: at once when found on opening, else by the
command's next attempt (:class:`graphkit.errors.CacheDamaged`).  Only the very folder
found damaged is removed, never a store another command has rebuilt under its name since.

A store is named by a SHA-256 of the data files' contents as the build read them, so any
change to the data makes a new one: a stale store is never served.  Builds go to a
private temporary folder, locked while it is written, renamed into place, so two
processes building at once both end with a complete store, and the leftovers of a build
that was killed are removed by the next run.
"""

from __future__ import annotations

import atexit
import bisect
import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cached_property, partial
from itertools import accumulate, islice, repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from graphkit.atomic import CannotWrite, discard, write_bytes_atomic
from graphkit.collector import collector_paused
from graphkit.data.dates import UNDATED_START, EffectWindow, PartialDate, day_span
from graphkit.data.model import DOCUMENTS_FOLDER, Dataset, data_files, document_files, odd_entries
from graphkit.data.relations import ENTITY_TYPES, RELATIONS
from graphkit.errors import CacheDamaged, DataChanging
from graphkit.store.packed import (
    Blocks,
    Damaged,
    checked_line,
    checked_lines,
    digest_of,
    line_checksums,
    pack,
    pack_blocks,
    unpack,
    write_blocks,
)

if TYPE_CHECKING:
    from graphkit.data.names import NameIndex

try:
    import fcntl
except ImportError:  # not on Windows: builds are then told apart by age alone
    fcntl = None

FORMAT_VERSION = 11
CACHE_ENVIRONMENT = "GRAPHKIT_CACHE"
# Records about one entity (or a company's funding), kept whole in the structure.
FACT_KINDS = ("figures", "rounds", "events")
_EDGES_PER_READ = 1 << 16
_SETTLED_NS = 2_000_000_000  # a data file older than this is remembered by its metadata
# Written by two processes at once (see graphkit.data.dataset.process_dataset), so two files,
# read and checked whole when a store is opened.
_PARTS = ("structure.bin", "names.bin")
_SEARCH = "search.bin"  # read a block at a time to resolve a name, whole to search
_SEARCH_COLUMNS = ("blob", "starts", "kinds", "owners", "forms", "ranks", "byte_starts")
# The parts read when a command first needs one of their arrays: these a block at a time
# (a walk reads the neighbours of a few nodes, a path the records of a few edges) ...
_BLOCK_PARTS = {"adjacency.bin": ("adjacent", "via"),
                "edge-index.bin": ("edge_offsets", "edge_checksums")}
# ... and these whole (the commands that use them read every edge's).
_WHOLE_PARTS = {"columns.bin": ("source", "target", "relation", "start", "end")}
_LAZY_PARTS = {**_BLOCK_PARTS, **_WHOLE_PARTS}
_MANIFEST = "store.bin"  # written last: which data the store was built from
_PRIVATE_PREFIX = "graphkit-private-"
_BUILD_ATTEMPTS = 3
_UNLOCKED_GRACE = 3600  # seconds: a build folder without a lock older than this is dead
_RELATION_NAMES = list(RELATIONS)
_RELATION_CODES = {name: code for code, name in enumerate(_RELATION_NAMES)}
_TYPE_CODES = {name: code for code, name in enumerate(ENTITY_TYPES)}

Progress = Callable[[str], None]


def cache_root() -> Path:
    """``$GRAPHKIT_CACHE``, else ``$XDG_CACHE_HOME/graphkit``, else ``~/.cache/graphkit``."""
    if os.environ.get(CACHE_ENVIRONMENT):
        return Path(os.environ[CACHE_ENVIRONMENT])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "graphkit"


def content_hash(directory: Path, known: Path | None = None) -> str:
    """SHA-256 over the names and bytes of every data file and bundled document (and the
    store format).

    ``known`` is a file of digests already worked out, each with its file's size, times,
    inode and device: a file whose metadata are all unchanged is not read again (as git
    does).  A file changed in the last two seconds is not remembered, since a second
    change within the clock's resolution could leave them as they were.

    >>> from graphkit.data.locate import bundled_data_dir
    >>> len(content_hash(bundled_data_dir()))
    64
    """
    remembered = _read_known(known)
    now = time.time_ns()
    digests, learned = {}, {}
    # The bundled documents too: the quotes were checked against them.
    named = [(path.name, path) for path in data_files(directory)]
    named += [(f"{DOCUMENTS_FOLDER}/{path.name}", path) for path in document_files(directory)]
    for name, path in named:
        status = path.stat()
        stamp = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino,
                 status.st_dev]
        entry = remembered.get(str(path))
        if isinstance(entry, list) and entry[:1] == [stamp]:
            digests[name] = bytes.fromhex(entry[1])
        else:
            with open(path, "rb") as stream:
                digests[name] = hashlib.file_digest(stream, "sha256").digest()
        if now - max(status.st_mtime_ns, status.st_ctime_ns) > _SETTLED_NS:
            learned[str(path)] = [stamp, digests[name].hex()]
    folder = None if known is None else known.parent
    if (folder is not None and learned != remembered and folder.is_dir()
            and not folder.is_symlink()):
        with contextlib.suppress(OSError):  # a cache that cannot be written costs a reading
            write_bytes_atomic(known, orjson.dumps(learned))
    for entry, _wrong in odd_entries(directory):
        # Never a store for a folder holding these: the build reports them.
        digests[entry.name] = b"odd"
    return _fingerprint(digests)


def _read_known(known: Path | None) -> dict:
    """The digests remembered in ``known`` (JSON, never code), or none if unreadable."""
    if known is None:
        return {}
    try:
        remembered = orjson.loads(known.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return remembered if isinstance(remembered, dict) else {}


def _fingerprint(digests: Mapping[str, bytes]) -> str:
    """:func:`content_hash` of files whose SHA-256 digests (by name) are known."""
    digest = hashlib.sha256(f"graphkit-store-{FORMAT_VERSION}".encode())
    for name in sorted(digests):
        digest.update(name.encode() + b"\0")
        digest.update(digests[name])
    return digest.hexdigest()


def open_store(directory: Path | str, progress: Progress | None = None) -> Store:
    """The store of the dataset in ``directory``, built (and validated) if needed.

    Raises :class:`graphkit.errors.DataError` when the dataset is invalid.

    A store is named by the content hash of the data it was built from, which is the hash
    of the bytes the build really read: an edit saved while a build reads the files
    gives a store named for what was read, never one filed under other content.

    >>> import tempfile
    >>> from graphkit.data.locate import bundled_data_dir
    >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
    >>> store = open_store(bundled_data_dir())
    >>> store.resolve("微軟"), store.nodes["microsoft"]["name"]
    ('microsoft', 'Microsoft')
    """
    directory = Path(directory)
    say = progress or (lambda message: None)
    home = cache_root() / hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]
    known = home / ".digests.json"
    fingerprint = content_hash(directory, known)
    _sweep(home, ".building-")
    _sweep(home, ".discarding-")
    store = _try_load(home / fingerprint[:32])
    if store is not None:
        return store
    say(f"validating {directory} and building its cache (once per change to the data)")
    with collector_paused():
        for _attempt in range(_BUILD_ATTEMPTS):
            store = _build(directory, home=home, say=say)
            # The data may have changed while it was read: the store is right for what was
            # read (and named so), but only answers now if that is what is on disk.
            if store.built_from == content_hash(directory, known):
                return store
            say(f"{directory} changed while it was read: reading it again")
    raise DataChanging(f"{directory} kept changing while graphkit read it "
                       f"({_BUILD_ATTEMPTS} times): run the command again once it is saved")


def _build(directory: Path, home: Path, say: Progress) -> Store:
    try:
        if home.exists() and not home.is_dir() or home.is_symlink():
            discard(home)  # a name graphkit owns, under the cache root: not the user's
        home.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=".building-", dir=home))
    except OSError:
        return _build_private(directory)
    with _Lock(building):
        try:
            # On a large dataset each half is written by one of the two processes that check
            # the data (see process_dataset): only the files come back, not the data.
            from graphkit.data.dataset import process_dataset

            digests = process_dataset(directory, partial(_write_graph, folder=building),
                                      partial(_write_names, folder=building),
                                      edge_sink=_EdgeWriter(building).add)
            fingerprint = _fingerprint(digests)
            _write_manifest(building, fingerprint)
            final = home / fingerprint[:32]
            _publish(building, final)
        finally:
            _EdgeWriter.streamed.pop(building, None)
            shutil.rmtree(building, ignore_errors=True)
    _remove_stale(home, keep=final.name)
    store = _read_back(final)
    say("cache ready")
    return store


def _publish(building: Path, final: Path) -> None:
    """Rename the finished ``building`` to ``final``, unless an equal store is there."""
    for _attempt in range(2):
        try:
            os.rename(building, final)
            return
        except OSError as error:
            if _try_load(final) is not None:
                return  # another process finished the same store first: as good as ours
            reason = error
            discard(final)  # whatever is in the way (a file, a broken store) goes
    raise CannotWrite(f"cannot write the cache at {str(final)!r}: {reason.strerror or reason}; "
                      f"remove it, or set {CACHE_ENVIRONMENT} to another folder")


def _build_private(directory: Path) -> Store:
    """No writable cache: a private store that lives as long as this process (and is
    removed at its exit, or by the next run should it be killed)."""
    temporary = Path(tempfile.gettempdir())
    _sweep(temporary, _PRIVATE_PREFIX)
    private = Path(tempfile.mkdtemp(prefix=_PRIVATE_PREFIX))
    lock = _Lock(private)
    lock.__enter__()
    atexit.register(_remove_private, private, lock)
    try:
        from graphkit.data.dataset import process_dataset

        digests = process_dataset(directory, partial(_write_graph, folder=private),
                                  partial(_write_names, folder=private),
                                  edge_sink=_EdgeWriter(private).add)
        _write_manifest(private, _fingerprint(digests))
        return _read_back(private)
    except BaseException:
        _remove_private(private, lock)
        raise
    finally:
        _EdgeWriter.streamed.pop(private, None)


def _remove_private(folder: Path, lock: _Lock) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    lock.__exit__()


class _Lock:
    """An exclusive lock held on ``FOLDER/.lock`` while a build writes ``FOLDER``: the
    system lets go of it when the process ends, however it ends, so a folder whose lock
    is free belongs to a build that will never finish (see :func:`_sweep`)."""

    def __init__(self, folder: Path):
        self.path = folder / ".lock"
        self._handle = None

    def __enter__(self) -> _Lock:
        # Locked before it has its name: no sweep ever sees the lock free while it lives.
        fresh = self.path.with_name(f".lock-{os.getpid()}")
        self._handle = open(fresh, "w")  # noqa: SIM115
        if fcntl is not None:
            fcntl.flock(self._handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(fresh, self.path)
        return self

    def __exit__(self, *_exception) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def _sweep(folder: Path, prefix: str) -> None:
    """Remove the leftovers of builds killed before they finished: folders named
    ``prefix...`` whose lock no process holds (or, without one, older than an hour)."""
    try:
        leftovers = [entry for entry in folder.iterdir() if entry.name.startswith(prefix)]
    except OSError:
        return
    for entry in leftovers:
        if _abandoned(entry):
            discard(entry)


def _abandoned(folder: Path) -> bool:
    try:
        handle = os.open(folder / ".lock", os.O_RDWR)
    except FileNotFoundError:
        # No lock (yet): a build just starting, or a folder of an older graphkit.
        try:
            return time.time() - folder.lstat().st_mtime > _UNLOCKED_GRACE
        except OSError:
            return False
    except OSError:
        return True  # not even a lock can be opened there: nothing will finish it
    try:
        if fcntl is None:
            return time.time() - folder.lstat().st_mtime > _UNLOCKED_GRACE
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError:
        return False  # held: a build is running
    finally:
        os.close(handle)



def _read_back(folder: Path) -> Store:
    store = _try_load(folder)
    if store is None:
        raise CannotWrite(f"the cache in {str(folder)!r} could not be read back after it "
                          f"was written; set {CACHE_ENVIRONMENT} to another folder")
    return store


def _write_manifest(folder: Path, fingerprint: str) -> None:
    (folder / _MANIFEST).write_bytes(pack({"format": FORMAT_VERSION,
                                           "fingerprint": fingerprint}))


def _try_load(folder: Path) -> Store | None:
    """A store read from ``folder``, or None if it is missing, corrupt or incomplete (and
    then whatever is there is removed)."""
    if not os.path.lexists(folder):
        return None
    structure: dict = {}
    parts: dict = {}
    identity = None
    try:
        if folder.is_symlink() or not folder.is_dir():
            raise Damaged("not a folder")
        identity = _identity(folder)
        manifest, _ = unpack((folder / _MANIFEST).read_bytes())
        if (manifest.get("format") != FORMAT_VERSION
                or not manifest["fingerprint"].startswith(folder.name)
                and not folder.name.startswith(_PRIVATE_PREFIX)):
            raise Damaged("another format, or another dataset's store")
        with collector_paused():
            for name in _PARTS:
                values, arrays = unpack((folder / name).read_bytes(), copy=False)
                if values.get("format") != FORMAT_VERSION:
                    raise Damaged("old format")
                # Every file read later: there, and of the size written (a stat each).
                for file, size in values["sizes"].items():
                    if (folder / file).stat().st_size != size:
                        raise Damaged(f"{file} is truncated")
                parts.update(values.pop("parts"))
                structure.update(values)
                structure.update(arrays)
        if (structure["entity_count"] != len(structure["id_starts"]) - 1
                or structure["id_starts"][-1] != len(structure["id_text"])
                + (structure["entity_count"] > 0)):
            raise Damaged("the parts do not belong together")
        structure["built_from"] = manifest["fingerprint"]
        structure["parts"] = parts
        structure["identity"] = identity
    except (Damaged, OSError, KeyError, TypeError, AttributeError):
        if identity is None:
            discard(folder)
        else:
            _discard_store(folder, identity)
        return None
    return Store(folder, structure)


def _identity(folder: Path) -> tuple[int, int]:
    """What tells this folder from another later given the same name."""
    status = folder.lstat()
    return status.st_dev, status.st_ino


def _discard_store(folder: Path, identity: tuple[int, int]) -> None:
    """Remove the store in ``folder`` found damaged, only if it is still the folder that
    was read (``identity``): another command may have removed it and built it again under
    the same name since, and that store is whole.  It is first renamed aside, so the check
    and the removal are about the same folder."""
    aside = folder.with_name(f".discarding-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.rename(folder, aside)
    except OSError:
        return  # gone already
    try:
        if _identity(aside) != identity:
            os.rename(aside, folder)  # a store rebuilt since: put back
            return
    except OSError:
        pass  # another store took the name meanwhile: this one is spare
    discard(aside)


def _remove_stale(home: Path, keep: str) -> None:
    for folder in home.iterdir():
        if folder.name != keep and not folder.name.startswith("."):
            discard(folder)


def _write_names(entities: dict[str, dict], folder: Path) -> None:
    """The names' half of a store: every name key as columns, sorted, to resolve a name by
    binary search, search and suggest (``search.bin``), and ``names.bin``, which says how
    many entities this half saw and which ``search.bin`` it wrote."""
    import numpy

    from graphkit.data.names import build_columns

    columns = build_columns(entities)
    # The keys joined, as UTF-8 (decoded in one go: faster than JSON text).
    columns["blob"] = columns["blob"].encode()
    # Where each key starts in the UTF-8 (``starts`` counts characters): to read one key;
    # a key holds no line break, so a line break ends each key but the last.
    breaks = numpy.flatnonzero(numpy.frombuffer(columns["blob"], numpy.uint8) == ord("\n"))
    columns["byte_starts"] = array("q", [0])
    if columns["kinds"]:
        columns["byte_starts"].frombytes(numpy.append(breaks + 1, len(columns["blob"]) + 1)
                                         .astype(numpy.int64).tobytes())
    del breaks
    write_blocks(folder / _SEARCH, {name: columns[name] for name in _SEARCH_COLUMNS})
    _write_part(folder, "names.bin", {"entity_count": len(entities)}, lazy=(_SEARCH,))


def _write_graph(dataset: Dataset, folder: Path) -> None:
    """The rest of a store: the entities and edges, their records and the adjacency, in
    ``structure.bin`` and the parts read when needed (see :data:`_LAZY_PARTS`).  The edges
    are those an :class:`_EdgeWriter` of ``folder`` was handed while the checks read them,
    if any was; else ``dataset.edges``."""
    from graphkit.data.lifespans import exists_from

    entities = dataset.entities
    edges = _EdgeWriter.streamed.pop(folder, None)
    if edges is None or not edges.fed:
        edges = _EdgeWriter(folder, register=False)
        if dataset.ends is not None and len(dataset.ends[0]) == len(dataset.edges):
            source, target = dataset.ends
        else:
            index = {ident: number for number, ident in enumerate(entities)}
            source = array("i", map(index.__getitem__, map(itemgetter("source"), dataset.edges)))
            target = array("i", map(index.__getitem__, map(itemgetter("target"), dataset.edges)))
        edges.add(dataset.edges, source, target)
    ids = list(entities)
    text = "\n".join(ids).encode()
    part: dict = {
        # The ids joined, and where each starts: read as they are (a list of 200,000
        # strings takes longer to make than a whole cold query should).
        "id_text": text,
        "id_starts": array("q", accumulate((len(ident.encode()) + 1 for ident in ids),
                                           initial=0)),
        "edge_count": edges.count, "entity_count": len(ids),
        # To find an id by binary search (a dict of every id, likewise, would take long).
        "id_order": array("i", sorted(range(len(ids)), key=ids.__getitem__)),
        "sources": dataset.sources, "cohorts": dataset.cohorts,
        # The records beyond relations (few: kept whole, like the cohorts).
        **{kind: list(getattr(dataset, kind, ())) for kind in FACT_KINDS},
        "types": bytes(map(_TYPE_CODES.__getitem__, map(itemgetter("type"), entities.values()))),
    }
    with open(folder / "entities.jsonl", "wb") as stream:
        part["entity_offsets"], part["entity_checksums"] = array("q", [0]), array("I")
        _write_lines(stream, ({"id": ident, **entity} for ident, entity in entities.items()),
                     part["entity_offsets"], part["entity_checksums"])
    events = getattr(dataset, "events", ())
    part.update(edges.close(entities, events))
    # When entities start to exist, by id (few: only those an event dates).
    part["exists_from"] = exists_from(events)
    part.update(_adjacency(len(entities), part["source"], part["target"]))
    for lazy, names in _WHOLE_PARTS.items():
        (folder / lazy).write_bytes(pack({"format": FORMAT_VERSION},
                                         {name: part.pop(name) for name in names}))
    for lazy, names in _BLOCK_PARTS.items():
        (folder / lazy).write_bytes(pack_blocks({name: part.pop(name) for name in names}))
    _write_part(folder, "structure.bin", part, ("entities.jsonl", "edges.jsonl"),
                lazy=tuple(_LAZY_PARTS))


class _EdgeWriter:
    """The edges' part of a store, written an edge list at a time as the checks hand them
    over (see ``Reading.edge_sink``): their lines in ``edges.jsonl`` and their columns
    (ends, relation, first and last day in effect), so the build never holds every edge.

    A writer made for a build folder is found again there by :func:`_write_graph` (in
    the same process: the one whose checks fed it)."""

    streamed: dict[Path, _EdgeWriter] = {}

    def __init__(self, folder: Path, register: bool = True):
        self.folder = folder
        self.fed = False
        self._stream = None
        self._days: tuple[dict, dict] = ({}, {})  # each distinct date's first, last day
        self._spans: dict[tuple, tuple[int, int]] = {}  # each (date, end)'s first, last day
        if register:
            _EdgeWriter.streamed[folder] = self

    @property
    def count(self) -> int:
        return len(self.source)

    def add(self, edges, source: array, target: array) -> None:
        """Write ``edges`` (whose ends are entities number ``source`` and ``target``): a list
        of records, or checked edges of one relation with their lines ready (see
        :class:`graphkit.data.checks.typed.KeptEdges`)."""
        if self._stream is None:
            # Opened (emptied) on the first edges: a build begun again starts afresh.
            self._stream = open(self.folder / "edges.jsonl", "wb")  # noqa: SIM115
            self.offsets, self.checksums = array("q", [0]), array("I")
            self.source, self.target = array("i"), array("i")
            self.relation, self.start, self.end = array("B"), array("i"), array("i")
        self.fed = True
        self.source.extend(source)
        self.target.extend(target)
        if isinstance(edges, list):
            _write_lines(self._stream, edges, self.offsets, self.checksums)
            # Columns read with map() run their loops in C.
            self.relation.extend(map(_RELATION_CODES.__getitem__,
                                     map(itemgetter("relation"), edges)))
            dates = list(map(dict.get, edges, repeat("date")))
            bounds = list(map(dict.get, edges, repeat("date_bound")))
            ends = list(map(dict.get, edges, repeat("end")))
        else:
            # Checked edges of one relation, each with its line ready (see
            # graphkit.data.checks.typed.KeptEdges): no dict to make JSON of.
            block, line_ends, checksums = edges.lines()
            self._stream.write(block)
            self.offsets.frombytes((line_ends + self.offsets[-1]).tobytes())
            self.checksums.extend(checksums)
            self.relation.extend(array("B", [_RELATION_CODES[edges.relation]]) * len(edges))
            days = edges.day_spans(self._spans)
            if days is not None:
                self.start.extend(map(itemgetter(0), days))
                self.end.extend(map(itemgetter(1), days))
                return
            dates, bounds, ends = map(edges.field, ("date", "date_bound", "end"))
        if bounds.count(None) != len(bounds):
            # Only an upper bound: open at the start.
            dates = [None if bound == "on-or-before" else date
                     for date, bound in zip(dates, bounds, strict=True)]
        self.start.extend(_ordinals(dates, last=False, known=self._days[0]))
        self.end.extend(_ordinals(ends, last=True, known=self._days[1]))

    def close(self, entities: dict, events) -> dict:
        """The edges' columns, each edge's first day not before either end exists (see
        :func:`graphkit.data.lifespans.effect_start`); the lines file closed."""
        from graphkit.data.lifespans import birth_days

        if self._stream is None:
            self.add([], array("i"), array("i"))
        self._stream.close()
        columns = {"edge_offsets": self.offsets, "edge_checksums": self.checksums,
                   "source": self.source, "target": self.target, "relation": self.relation,
                   "start": self.start, "end": self.end}
        born = birth_days(events)
        if born:
            import numpy

            days = numpy.zeros(len(entities), dtype=numpy.int64)
            for number, ident in enumerate(entities):
                days[number] = born.get(ident, UNDATED_START)
            ends = [days[numpy.frombuffer(column, dtype=numpy.int32)]
                    for column in (self.source, self.target)]
            columns["start"] = _as_array("i", numpy.maximum(
                numpy.frombuffer(self.start, dtype=numpy.int32), numpy.maximum(*ends)))
        return columns


def _write_part(folder: Path, name: str, part: dict, files: tuple[str, ...] = (),
                lazy: tuple[str, ...] = ()) -> None:
    """``part`` packed (:mod:`graphkit.store.packed`: data only, behind a SHA-256), with
    the sizes of its ``files`` and of its ``lazy`` parts (packed files read later), and
    the SHA-256 each of those carries."""
    part.update(format=FORMAT_VERSION,
                sizes={file: (folder / file).stat().st_size for file in (*files, *lazy)},
                parts={file: _digest_at_head(folder / file).hex() for file in lazy})
    arrays = {key: value for key, value in part.items() if isinstance(value, array | bytes)}
    values = {key: value for key, value in part.items() if key not in arrays}
    (folder / name).write_bytes(pack(values, arrays))


def _digest_at_head(path: Path) -> bytes:
    with open(path, "rb") as stream:
        return digest_of(stream.read(64))


def _ordinals(dates: list[str | None], last: bool, known: dict | None = None) -> array:
    """The first (or ``last``) day of each date as an ordinal, each distinct date worked out
    once (a dataset has a few thousand; ``known`` remembers them between calls)."""
    side = 1 if last else 0
    day = {} if known is None else known
    for text in set(dates).difference(day):
        day[text] = day_span(text, text)[side]
    return array("i", map(day.__getitem__, dates))


def _write_lines(stream, records: Iterable[dict], offsets: array, checksums: array) -> None:
    """Write one JSON record per line to ``stream``; add the byte offset of each line's end
    to ``offsets`` (which starts with where the first begins) and each line's checksum to
    ``checksums`` (so that a record read on its own is checked)."""
    import numpy

    records = iter(records)
    # A slice at a time: every line at once would take a few hundred MB more.
    while lines := list(map(orjson.dumps, islice(records, _EDGES_PER_READ))):
        stream.write(b"\n".join(lines) + b"\n")
        ends = numpy.cumsum(numpy.fromiter(map(len, lines), numpy.int64, len(lines)) + 1)
        offsets.frombytes((ends + offsets[-1]).tobytes())
        checksums.extend(line_checksums(lines))


def _adjacency(count: int, source: array, target: array) -> dict:
    """Compressed sparse rows of the undirected graph: the neighbours of node ``n`` are
    ``adjacent[offsets[n]:offsets[n + 1]]``, reached through edges ``via[...]``.

    NumPy sorts the two million edge ends in a fraction of a second; the result is kept
    as stdlib arrays, so reading a store never imports NumPy.
    """
    import numpy

    sources = numpy.frombuffer(source, dtype=numpy.int32)
    targets = numpy.frombuffer(target, dtype=numpy.int32)
    ends = numpy.concatenate([sources, targets])
    order = numpy.argsort(ends, kind="stable")
    others = numpy.concatenate([targets, sources])[order]
    edges = numpy.concatenate([numpy.arange(len(sources), dtype=numpy.int32)] * 2)[order]
    offsets = numpy.zeros(count + 1, dtype=numpy.int64)
    numpy.cumsum(numpy.bincount(ends, minlength=count), out=offsets[1:])
    return {"offsets": _as_array("q", offsets), "adjacent": _as_array("i", others),
            "via": _as_array("i", edges)}


def _as_array(code: str, values) -> array:
    result = array(code)
    result.frombytes(values.astype({"i": "int32", "q": "int64"}[code]).tobytes())
    return result


class Store:
    """A compiled dataset: traversal arrays in memory, records read from disk on demand."""

    def __init__(self, folder: Path, structure: dict):
        self.folder = folder
        self.ids = _Ids(structure["id_text"], structure["id_starts"])
        self._structure = structure
        self.sources: dict = structure["sources"]
        # The records that are not edges, each kind a list as curated (a few thousand at
        # most, so kept whole in structure.bin).
        self.cohorts: list = structure["cohorts"]
        self.figures: list = structure["figures"]
        self.rounds: list = structure["rounds"]
        self.events: list = structure["events"]
        self._entities_file = None
        self._edges_file = None
        self._streams: list = []  # the parts read a block at a time
        self._numbers: dict[str, int] = {}  # ids found so far, and their numbers
        self._search: dict | None = None  # search.bin's columns, read a block at a time
        self._entity_cache: dict[str, dict] = {}
        self._names: NameIndex | None = None
        self.nodes = _Entities(self)

    @cached_property
    def index(self) -> dict[str, int]:
        """Each id's number, as a dict (built when first needed: a query that looks up a
        few ids does it by :meth:`number`)."""
        return {ident: number for number, ident in enumerate(self.ids)}

    def number(self, ident: str) -> int | None:
        """The place of ``ident`` in :attr:`ids` (found by binary search), or None.

        >>> import tempfile
        >>> from graphkit.data.locate import bundled_data_dir
        >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
        >>> store = open_store(bundled_data_dir())
        >>> store.ids[store.number("openai")], store.number("no-such-entity")
        ('openai', None)
        """
        if not isinstance(ident, str):
            return None
        found = self._numbers.get(ident)
        if found is not None:
            return found
        order, name = self._structure["id_order"], self.ids.name
        position = bisect.bisect_left(order, ident, key=name)
        if position < len(order) and name(order[position]) == ident:
            # Remembered: a walk looks up the same ids again and again.
            found = self._numbers[ident] = order[position]
        return found

    def __getattr__(self, name: str):
        if name.startswith("__") or name in ("_structure", "folder"):
            raise AttributeError(name)
        try:
            return self._structure[name]
        except KeyError:
            pass
        for part, names in _WHOLE_PARTS.items():
            if name in names:
                self._structure.update(self._verified(self._read_part, part)[1])
                return self._structure[name]
        for part, names in _BLOCK_PARTS.items():
            if name in names:
                self._structure.update(self._verified(self._open_blocks, part, names))
                return self._structure[name]
        raise AttributeError(name)

    def _open_blocks(self, part: str, names: tuple[str, ...]) -> dict:
        """The arrays of ``part``, to be read a block at a time (each block checked when
        read, and the table of their checksums the one ``structure.bin`` was written
        with)."""
        try:
            stream = open(self.folder / part, "rb", buffering=0)  # noqa: SIM115
        except OSError as error:
            raise Damaged(f"{part} cannot be read ({error.strerror or error})") from None
        self._streams.append(stream)
        blocks = Blocks(stream.fileno(), self._damaged)
        if blocks.digest != bytes.fromhex(self._structure["parts"][part]):
            raise Damaged(f"{part} is not the one written with the rest of the store")
        return {name: blocks.array(name) for name in names}

    def _read_part(self, part: str) -> tuple[dict, dict]:
        """The values and arrays of ``part``, a file read only now: checked, and the very one that
        ``structure.bin`` or ``names.bin`` was written with (see :func:`_write_part`)."""
        try:
            payload = (self.folder / part).read_bytes()
        except OSError as error:
            raise Damaged(f"{part} cannot be read ({error.strerror or error})") from None
        if digest_of(payload) != bytes.fromhex(self._structure["parts"][part]):
            raise Damaged(f"{part} is not the one written with the rest of the store")
        values, arrays = unpack(payload, copy=False)
        if values.get("format") != FORMAT_VERSION:
            raise Damaged(f"{part} is of another format")
        return values, arrays

    @property
    def edge_count(self) -> int:
        return self._structure["edge_count"]

    def exists_from(self, ident: str) -> dict | None:
        """When ``ident`` starts to exist, ``{"date", "event"}``, compiled with the store
        (see :func:`graphkit.data.lifespans.exists_from`), or None when no event says.

        >>> import tempfile
        >>> from graphkit.data.locate import bundled_data_dir
        >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
        >>> open_store(bundled_data_dir()).exists_from("no-such-entity") is None
        True
        """
        return self._structure["exists_from"].get(ident)

    def entity(self, ident: str, number: int | None = None) -> dict:
        """The entity record of ``ident`` (``id``, ``name``, ``type``, ``aliases`` ...);
        ``number``, its place in :attr:`ids`, spares looking it up."""
        if ident not in self._entity_cache:
            if self._entities_file is None:
                self._entities_file = open(self.folder / "entities.jsonl", "rb")  # noqa: SIM115
            record = self._read_line(self._entities_file, "entities.jsonl", self.entity_offsets,
                                     self.entity_checksums,
                                     self._number(ident) if number is None else number)
            record.setdefault("aliases", [])
            self._entity_cache[ident] = record
        cached = self._entity_cache[ident]
        return {**cached, "aliases": list(cached["aliases"])}

    def edge(self, number: int) -> dict:
        """The full record of edge ``number``, as :func:`graphkit.store.graph.edge_record` gives."""
        if self._edges_file is None:
            self._edges_file = open(self.folder / "edges.jsonl", "rb")  # noqa: SIM115
        record = self._read_line(self._edges_file, "edges.jsonl", self.edge_offsets,
                                 self.edge_checksums, number)
        record.setdefault("date", None)
        return record

    def entities(self) -> dict[str, dict]:
        """Every entity record by id, as :meth:`entity` gives them, read at once (many times
        faster than one by one when most of them are needed).

        >>> import tempfile
        >>> from graphkit.data.locate import bundled_data_dir
        >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
        >>> store = open_store(bundled_data_dir())
        >>> everything = store.entities()
        >>> len(everything) == len(store.ids), everything["openai"] == store.entity("openai")
        (True, True)
        """
        with collector_paused():
            lines = self._checked(self.folder / "entities.jsonl", self.entity_checksums)
            records = [orjson.loads(line) for line in lines]
            for record in records:
                record.setdefault("aliases", [])
            return {record["id"]: record for record in records}

    def edges_of(self, relations) -> list[dict]:
        """The full records of every edge of ``relations``, as :meth:`edge` gives them, in
        the dataset's order (for commands that need one kind of edge, not the whole graph).

        >>> import tempfile
        >>> from graphkit.data.locate import bundled_data_dir
        >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
        >>> store = open_store(bundled_data_dir())
        >>> wanted = ("person-left-company", "company-invested-in")
        >>> edges = store.edges_of(wanted)
        >>> edges == [edge for edge in map(store.edge, range(store.edge_count))
        ...           if edge["relation"] in wanted]
        True
        """
        wanted = {_RELATION_CODES[name] for name in relations}
        # Edges of one relation lie together in the file: read each run of them at once,
        # finding the runs in C rather than looking at a million codes one by one.
        mask = bytes(self.relation).translate(bytes(code in wanted for code in range(256)))
        offsets = self.edge_offsets
        records = []
        with open(self.folder / "edges.jsonl", "rb") as stream, collector_paused():
            for run in re.finditer(b"\x01+", mask):
                for first in range(run.start(), run.end(), _EDGES_PER_READ):
                    last = min(first + _EDGES_PER_READ, run.end())
                    stream.seek(offsets[first])
                    lines = self._verified(checked_lines, stream.read(
                        offsets[last] - offsets[first]), self.edge_checksums[first:last],
                        "edges.jsonl")
                    for line in lines:
                        record = orjson.loads(line)
                        record.setdefault("date", None)
                        records.append(record)
        return records

    def edge_blocks(self) -> Iterator[list[bytes]]:
        """Every edge's JSON line (as :meth:`edge` reads it), checked, in file order, a block
        of lines at a time: for a pass over a million edges without holding them.

        >>> import tempfile
        >>> from graphkit.data.locate import bundled_data_dir
        >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
        >>> store = open_store(bundled_data_dir())
        >>> lines = [line for block in store.edge_blocks() for line in block]
        >>> len(lines) == store.edge_count, orjson.loads(lines[0])["id"] == store.edge(0)["id"]
        (True, True)
        """
        offsets, total = self.edge_offsets, self.edge_count
        with open(self.folder / "edges.jsonl", "rb") as stream:
            for first in range(0, total, _EDGES_PER_READ):
                last = min(first + _EDGES_PER_READ, total)
                stream.seek(offsets[first])
                yield self._verified(checked_lines, stream.read(offsets[last] - offsets[first]),
                                     self.edge_checksums[first:last], "edges.jsonl")

    def edge_lines_at(self, numbers) -> list[bytes]:
        """The checked JSON lines of the edges ``numbers``, in that order (any order: the
        file is mapped, not read through).

        >>> import tempfile
        >>> from graphkit.data.locate import bundled_data_dir
        >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
        >>> store = open_store(bundled_data_dir())
        >>> [orjson.loads(line)["id"] for line in store.edge_lines_at([2, 0])] == [
        ...     store.edge(2)["id"], store.edge(0)["id"]]
        True
        """
        import mmap

        offsets, checksums = self.edge_offsets, self.edge_checksums
        with open(self.folder / "edges.jsonl", "rb") as stream:
            if offsets[-1] == 0:
                return []
            with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                return [self._verified(checked_line, mapped[offsets[number]:offsets[number + 1]],
                                       checksums[number], f"edges.jsonl record {number}")
                        for number in numbers]

    def _read_line(self, stream, name: str, offsets: array, checksums: array,
                   number: int) -> dict:
        stream.seek(offsets[number])
        data = stream.read(offsets[number + 1] - offsets[number])
        return orjson.loads(self._verified(checked_line, data, checksums[number],
                                           f"{name} record {number}"))

    def _checked(self, path: Path, checksums: array) -> list[bytes]:
        return self._verified(checked_lines, path.read_bytes(), checksums, path.name)

    def _verified(self, check, *arguments):
        """``check(*arguments)``; when it finds the cache damaged, the store is removed
        (the next command rebuilds it) and :class:`CacheDamaged` says so."""
        try:
            return check(*arguments)
        except Damaged as error:
            raise self._damaged(error) from None

    def _damaged(self, error: Damaged) -> CacheDamaged:
        """Remove the store, found damaged: the error that says so."""
        _discard_store(self.folder, self._structure["identity"])
        return CacheDamaged(f"the cache in {str(self.folder)!r} was damaged ({error}); it "
                            "has been removed, and the next command rebuilds it")

    def _number(self, ident: str) -> int:
        """:meth:`number`, raising KeyError for an unknown id."""
        number = self.number(ident)
        if number is None:
            raise KeyError(ident)
        return number

    def resolve(self, name: str) -> str:
        """Like :meth:`graphkit.data.names.NameIndex.resolve`: an id as it is, without
        reading any name; a name by binary search in the sorted keys of ``search.bin``,
        reading only the blocks the search visits (the whole index only for a name that
        is not there, to suggest).

        >>> import tempfile
        >>> from graphkit.data.locate import bundled_data_dir
        >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
        >>> store = open_store(bundled_data_dir())
        >>> store.resolve("openai"), store.resolve("Sam Altman"), store._names is None
        ('openai', 'sam-altman', True)
        """
        if self.number(name) is not None:
            return name
        from graphkit.data.names import ambiguous, check_name, normalize

        owners = self._owners(normalize(check_name(name)))
        if len(owners) == 1:
            return self.ids[owners[0]]
        if owners:
            raise ambiguous(name, [self.ids[number] for number in owners], self.nodes)
        return self.names().resolve(name)  # unknown: the full index suggests

    def _owners(self, key: str) -> list[int]:
        """:meth:`graphkit.data.names.NameIndex.owners`, a block of ``search.bin`` at a
        time: the entities that claim ``key`` with the best kind any of them has."""
        columns = self._search_blocks()
        blob, starts, kinds, owners = (columns[name]
                                       for name in ("blob", "byte_starts", "kinds", "owners"))
        count = len(kinds)

        def key_at(entry: int) -> str:
            return str(blob[starts[entry]:starts[entry + 1] - 1], "utf-8")

        found: dict[int, list[int]] = {}
        position = bisect.bisect_left(range(count), key, key=key_at)
        while position < count and key_at(position) == key:
            found.setdefault(kinds[position], []).append(owners[position])
            position += 1
        return sorted(set(found[min(found)])) if found else []

    def _search_blocks(self) -> dict:
        if self._search is None:
            self._search = self._verified(self._open_blocks, _SEARCH, _SEARCH_COLUMNS)
        return self._search

    def names(self) -> NameIndex:
        """The full name index (every alias), for resolving names, search and suggestions."""
        if self._names is None:
            from graphkit.data.names import NameIndex

            with collector_paused():
                columns = self._verified(self._read_search)
            types = self.types
            self._names = NameIndex.from_columns(
                columns, self.ids, self.nodes, lambda number: ENTITY_TYPES[types[number]],
                lambda number: self.entity(self.ids[number], number))
        return self._names

    def _read_search(self) -> dict:
        columns = {name: array.whole() for name, array in self._search_blocks().items()
                   if name != "byte_starts"}
        columns["blob"] = str(columns["blob"], "utf-8")  # the keys joined
        return columns

    def view(self, as_of: PartialDate | None = None, relations=()) -> StoreNetwork:
        """The traversal interface, limited to edges in effect ``as_of`` of ``relations``."""
        return StoreNetwork(self, as_of, relations)

    def dataset(self) -> Dataset:
        """Every record, as a :class:`Dataset` (for commands that need the whole graph)."""
        entities = self.entities()
        for record in entities.values():
            del record["id"]
        with collector_paused():
            lines = self._checked(self.folder / "edges.jsonl", self.edge_checksums)
            edges = [orjson.loads(line) for line in lines]
        return Dataset(self.folder, dict(self.sources), entities, edges, list(self.cohorts),
                       list(self.figures), list(self.rounds), list(self.events))





class _Ids(Sequence):
    """``store.ids``: each entity's id by number, read from the ids joined by newlines
    (each decoded when asked for; all at once when iterated)."""

    def __init__(self, text, starts):
        self._text = text
        self._starts = starts

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, number):
        if isinstance(number, slice):
            return [self[place] for place in range(*number.indices(len(self)))]
        if number < 0:
            number += len(self)
        if not 0 <= number < len(self):
            raise IndexError("no entity of that number")
        return self.name(number)

    def name(self, number: int) -> str:
        """The id of entity ``number`` (0 to ``len - 1``, not checked: for the walks)."""
        return str(self._text[self._starts[number]:self._starts[number + 1] - 1], "utf-8")

    def __iter__(self) -> Iterator[str]:
        return iter(str(self._text, "utf-8").split("\n") if len(self) else ())

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)


class _Entities(Mapping):
    """``store.nodes``: entity records by id, read lazily (like a NetworkX ``nodes``)."""

    def __init__(self, store: Store):
        self._store = store

    def __getitem__(self, ident: str) -> dict:
        number = self._store.number(ident)
        if number is None:
            raise KeyError(ident)
        return self._store.entity(ident, number)

    def __contains__(self, ident) -> bool:
        return self._store.number(ident) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.ids)

    def __len__(self) -> int:
        return len(self._store.ids)


class StoreNetwork:
    """The traversal interface (see :class:`graphkit.store.graph.GraphNetwork`) over a store."""

    def __init__(self, store: Store, as_of: PartialDate | None, relations=()):
        self.store = store
        self.nodes = store.nodes
        self.cohorts = store.cohorts
        self.window = EffectWindow.at(as_of)
        self.figures = store.figures
        self.rounds = store.rounds
        self.events = store.events
        self._relations = frozenset(_RELATION_CODES[name] for name in relations) or None

    def _keep(self, edge: int) -> bool:
        store = self.store
        if self._relations is not None and store.relation[edge] not in self._relations:
            return False
        return self.window is None or self.window.admits(store.start[edge], store.end[edge])

    def around(self, ident: str) -> Iterator[tuple[str, int]]:
        """Every (neighbour id, edge) next to ``ident``, whichever way the edge points."""
        store = self.store
        node = store._number(ident)
        first, last = store.offsets[node], store.offsets[node + 1]
        # The node's run of each array at once (a block or two), walked in C.
        neighbours, edges, name = store.adjacent[first:last], store.via[first:last], store.ids.name
        filtered = self._relations is not None or self.window is not None
        for neighbour, edge in zip(neighbours, edges, strict=True):
            if not filtered or self._keep(edge):
                yield name(neighbour), edge

    def walker(self) -> tuple[Callable[[str], int | None], Callable[[int], Sequence[int]],
                              Callable[[int], str]]:
        """For walks by the entities' numbers: the number of an id (None if unknown), the
        numbers next to a number (one per edge this view keeps, either way), the id of a
        number.

        >>> import tempfile
        >>> from graphkit.data.locate import bundled_data_dir
        >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
        >>> network = open_store(bundled_data_dir()).view()
        >>> number, neighbours, name = network.walker()
        >>> sorted(map(name, neighbours(number("openai")))) == sorted(
        ...     neighbour for neighbour, _edge in network.around("openai"))
        True
        """
        store = self.store
        offsets, adjacent = store.offsets, store.adjacent
        if self._relations is None and self.window is None:
            def neighbours(node: int) -> Sequence[int]:
                return adjacent[offsets[node]:offsets[node + 1]]
        else:
            via, keep = store.via, self._keep

            def neighbours(node: int) -> Sequence[int]:
                first, last = offsets[node], offsets[node + 1]
                return [neighbour for neighbour, edge in zip(adjacent[first:last],
                                                             via[first:last], strict=True)
                        if keep(edge)]
        return store.number, neighbours, store.ids.name

    def edge(self, reference: int) -> dict:
        return self.store.edge(reference)

    def exists_from(self, ident: str) -> dict | None:
        return self.store.exists_from(ident)

    def entity(self, ident: str) -> dict:
        return self.store.entity(ident)

    def simple_graph(self):
        """An undirected simple NetworkX graph of what this view keeps (a full copy)."""
        import networkx as nx

        store = self.store
        ids = list(store.ids)  # every id decoded at once
        graph = nx.Graph()
        graph.add_nodes_from(ids)
        graph.add_edges_from((ids[store.source[edge]], ids[store.target[edge]])
                             for edge in range(store.edge_count) if self._keep(edge))
        return graph
