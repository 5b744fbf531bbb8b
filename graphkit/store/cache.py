"""The cache: a validated dataset compiled for fast cold starts.

Validating and building a million-edge graph takes seconds; answering ``path`` should
not.  The first command on a dataset validates it and writes a *store* under the cache
directory; later commands read only what they need:

- ``structure.bin``: ids, types, an undirected adjacency list in compressed-sparse-row
  arrays, each edge's ends, relation and date range; ``names.bin``: the sorted name keys;
  each behind a SHA-256 of its own bytes (a corrupt or truncated file is detected and
  rebuilt);
- ``entities.jsonl`` and ``edges.jsonl``: the full records (the evidence), one per line,
  read on demand by byte offset;
- ``search.pickle``: every name key (:func:`graphkit.data.names.build_columns`: folded
  names and aliases, their pinyin, parts of people's names), for search and "did you
  mean", loaded lazily.

A store is named by a SHA-256 of the data files' contents, so any change to the data
makes a new one: a stale store is never served.  Builds go to a private temporary folder
renamed into place, so two processes building at once both end with a complete store.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import pickle
import re
import shutil
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from itertools import islice, repeat
from operator import itemgetter
from pathlib import Path

import orjson

from graphkit.collector import collector_paused
from graphkit.data.dataset import Dataset, data_files, process_dataset
from graphkit.data.dates import EffectWindow, PartialDate, day_span
from graphkit.data.names import NameIndex, ambiguous, build_columns, check_name, normalize
from graphkit.data.relations import ENTITY_TYPES, RELATIONS

FORMAT_VERSION = 4
CACHE_ENVIRONMENT = "GRAPHKIT_CACHE"
# Records about one entity (or a company's funding), kept whole in the structure.
FACT_KINDS = ("figures", "rounds", "events")
_EDGES_PER_READ = 1 << 16
# Written by two processes at once (see graphkit.data.dataset.process_dataset), so two files.
_PARTS = ("structure.bin", "names.bin")
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


def content_hash(directory: Path) -> str:
    """SHA-256 over the names and bytes of every data file (and the store format).

    >>> from graphkit.data.locate import bundled_data_dir
    >>> len(content_hash(bundled_data_dir()))
    64
    """
    digest = hashlib.sha256(f"graphkit-store-{FORMAT_VERSION}".encode())
    for path in data_files(directory):
        with open(path, "rb") as stream:
            digest.update(path.name.encode() + b"\0")
            digest.update(hashlib.file_digest(stream, "sha256").digest())
    return digest.hexdigest()


def open_store(directory: Path | str, progress: Progress | None = None) -> Store:
    """The store of the dataset in ``directory``, built (and validated) if needed.

    Raises :class:`graphkit.errors.DataError` when the dataset is invalid.

    >>> import tempfile
    >>> from graphkit.data.locate import bundled_data_dir
    >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
    >>> store = open_store(bundled_data_dir())
    >>> store.resolve("微軟"), store.nodes["microsoft"]["name"]
    ('microsoft', 'Microsoft')
    """
    directory = Path(directory)
    say = progress or (lambda message: None)
    fingerprint = content_hash(directory)
    home = cache_root() / hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]
    final = home / fingerprint[:32]
    store = _try_load(final)
    if store is not None:
        return store
    say(f"validating {directory} and building its cache (once per change to the data)")
    with collector_paused():
        return _build(directory, home=home, final=final, say=say)


def _build(directory: Path, home: Path, final: Path, say: Progress) -> Store:
    try:
        home.mkdir(parents=True, exist_ok=True)
        building = Path(tempfile.mkdtemp(prefix=".building-", dir=home))
    except OSError:
        # No writable cache: build a private store that lives as long as this process.
        private = Path(tempfile.mkdtemp(prefix="graphkit-"))
        process_dataset(directory, partial(_write_graph, folder=private),
                        partial(_write_names, folder=private))
        return _read_back(private)
    try:
        # On a large dataset each half is written by one of the two processes that check
        # the data (see process_dataset): only the files come back, not the data.
        process_dataset(directory, partial(_write_graph, folder=building),
                        partial(_write_names, folder=building))
        try:
            os.rename(building, final)
        except OSError:
            if not (final / "structure.bin").exists():
                raise
            # Another process finished the same store first: theirs is as good as ours.
    finally:
        shutil.rmtree(building, ignore_errors=True)
    _remove_stale(home, keep=final.name)
    store = _read_back(final)
    say("cache ready")
    return store


def _read_back(folder: Path) -> Store:
    store = _try_load(folder)
    if store is None:
        raise OSError(f"the cache in {folder} could not be read back")
    return store


def _try_load(folder: Path) -> Store | None:
    """A store read from ``folder``, or None if it is missing, corrupt or incomplete."""
    structure: dict = {}
    try:
        for name in _PARTS:
            payload = (folder / name).read_bytes()
            digest, body = payload[:32], payload[32:]
            if hashlib.sha256(body).digest() != digest:
                raise ValueError("checksum mismatch")
            part = pickle.loads(body)
            if part.get("format") != FORMAT_VERSION:
                raise ValueError("old format")
            for file, size in part["sizes"].items():
                if (folder / file).stat().st_size != size:
                    raise ValueError(f"{file} is truncated")
            structure.update(part)
        if structure["entity_count"] != len(structure["ids"]):
            raise ValueError("the parts do not belong together")
    except (ValueError, OSError, pickle.UnpicklingError, EOFError, KeyError, AttributeError):
        shutil.rmtree(folder, ignore_errors=True)
        return None
    return Store(folder, structure)


def _remove_stale(home: Path, keep: str) -> None:
    for folder in home.iterdir():
        if folder.name != keep and not folder.name.startswith("."):
            shutil.rmtree(folder, ignore_errors=True)


def _write_names(entities: dict[str, dict], folder: Path) -> None:
    """The names' half of a store: the sorted name keys each with its owner, to resolve a
    name (``names.bin``), and every key as columns, to search (``search.pickle``)."""
    columns = build_columns(entities)
    part = {"entity_count": len(entities), **_name_keys(columns)}
    (folder / "search.pickle").write_bytes(pickle.dumps(columns, protocol=5))
    _write_part(folder, "names.bin", part, ("search.pickle",))


def _write_graph(dataset: Dataset, folder: Path) -> None:
    """The rest of a store (``structure.bin``): the entities and edges, their records and
    the adjacency."""
    entities, edges = dataset.entities, dataset.edges
    part: dict = {
        "ids": list(entities), "sources": dataset.sources, "cohorts": dataset.cohorts,
        # The records beyond relations (few: kept whole, like the cohorts).
        **{kind: list(getattr(dataset, kind, ())) for kind in FACT_KINDS},
        "types": bytes(map(_TYPE_CODES.__getitem__, map(itemgetter("type"), entities.values()))),
        "entity_offsets": _write_lines(folder / "entities.jsonl",
                                       ({"id": ident, **entity}
                                        for ident, entity in entities.items())),
        "edge_offsets": _write_lines(folder / "edges.jsonl", edges)}
    if dataset.ends is not None and len(dataset.ends[0]) == len(edges):
        source, target = dataset.ends
    else:
        index = {ident: number for number, ident in enumerate(entities)}
        source = array("i", map(index.__getitem__, map(itemgetter("source"), edges)))
        target = array("i", map(index.__getitem__, map(itemgetter("target"), edges)))
    # Columns read with map() run their loops in C.
    part.update({
        "source": source, "target": target,
        "relation": array("B", map(_RELATION_CODES.__getitem__,
                                   map(itemgetter("relation"), edges))),
        "start": _ordinals(list(map(dict.get, edges, repeat("date"))), last=False),
        "end": _ordinals(list(map(dict.get, edges, repeat("end"))), last=True),
    })
    part.update(_adjacency(len(entities), source, target))
    _write_part(folder, "structure.bin", part, ("entities.jsonl", "edges.jsonl"))


def _write_part(folder: Path, name: str, part: dict, files: tuple[str, ...]) -> None:
    """``part`` pickled behind a SHA-256 of itself, with the sizes of its ``files``."""
    part.update(format=FORMAT_VERSION, sizes={file: (folder / file).stat().st_size
                                              for file in files})
    body = pickle.dumps(part, protocol=5)
    with open(folder / name, "wb") as stream:
        stream.write(hashlib.sha256(body).digest())
        stream.write(body)


def _ordinals(dates: list[str | None], last: bool) -> array:
    """The first (or ``last``) day of each date as an ordinal, each distinct date worked out
    once (a dataset has a few thousand)."""
    side = 1 if last else 0
    day = {text: day_span(text, text)[side] for text in set(dates)}
    return array("i", map(day.__getitem__, dates))


def _write_lines(path: Path, records: Iterable[dict]) -> array:
    """Write one JSON record per line; return the byte offset of each line (and the end)."""
    import numpy

    offsets = array("q", [0])
    records = iter(records)
    with open(path, "wb") as stream:
        # A slice at a time: every line at once would take a few hundred MB more.
        while lines := list(map(orjson.dumps, islice(records, _EDGES_PER_READ))):
            stream.write(b"\n".join(lines) + b"\n")
            ends = numpy.cumsum(numpy.fromiter(map(len, lines), numpy.int64, len(lines)) + 1)
            offsets.frombytes((ends + offsets[-1]).tobytes())
    return offsets


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


def _name_keys(columns: dict) -> dict:
    """Sorted name keys with their owner, for resolution by binary search (a dict of
    every alias takes longer to unpickle than a whole cold query should).  A key belongs to
    the entities that have it as the best kind of key (a name before a pinyin spelling
    before part of a name)."""
    owner: dict[str, int] = {}
    best: dict[str, int] = {}
    others: dict[str, set[int]] = {}  # the few keys that more than one entity has
    for key, kind, number in zip(columns["blob"].split("\n"), columns["kinds"],
                                 columns["owners"], strict=True):
        if key in best and kind > best[key]:
            continue  # keys are sorted by kind within a key: a better one came first
        best[key] = kind
        first = owner.setdefault(key, number)
        if first != number:
            others.setdefault(key, {first}).add(number)
    keys = sorted(owner)
    single = array("i", [-1 if key in others else owner[key] for key in keys])
    shared = {key: sorted(others[key]) for key in sorted(others)}
    return {"keys": keys, "owners": single, "shared_keys": shared}


class Store:
    """A compiled dataset: traversal arrays in memory, records read from disk on demand."""

    def __init__(self, folder: Path, structure: dict):
        self.folder = folder
        self.ids: list[str] = structure["ids"]
        self.index = {ident: number for number, ident in enumerate(self.ids)}
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
        self._entity_cache: dict[str, dict] = {}
        self._names: NameIndex | None = None
        self.nodes = _Entities(self)

    def __getattr__(self, name: str):
        try:
            return self._structure[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def edge_count(self) -> int:
        return len(self._structure["source"])

    def entity(self, ident: str) -> dict:
        """The entity record of ``ident`` (``id``, ``name``, ``type``, ``aliases`` ...)."""
        if ident not in self._entity_cache:
            if self._entities_file is None:
                self._entities_file = open(self.folder / "entities.jsonl", "rb")  # noqa: SIM115
            record = _read_line(self._entities_file, self.entity_offsets, self.index[ident])
            record.setdefault("aliases", [])
            self._entity_cache[ident] = record
        cached = self._entity_cache[ident]
        return {**cached, "aliases": list(cached["aliases"])}

    def edge(self, number: int) -> dict:
        """The full record of edge ``number``, as :func:`graphkit.store.graph.edge_record` gives."""
        if self._edges_file is None:
            self._edges_file = open(self.folder / "edges.jsonl", "rb")  # noqa: SIM115
        record = _read_line(self._edges_file, self.edge_offsets, number)
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
        with open(self.folder / "entities.jsonl", "rb") as stream, collector_paused():
            records = [orjson.loads(line) for line in stream]
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
                    lines = stream.read(offsets[last] - offsets[first]).split(b"\n")
                    for line in lines[:-1]:
                        record = orjson.loads(line)
                        record.setdefault("date", None)
                        records.append(record)
        return records

    def resolve(self, name: str) -> str:
        """Like :meth:`graphkit.data.names.NameIndex.resolve`, without loading every alias."""
        if name in self.index:
            return name
        key = normalize(check_name(name))
        position = bisect.bisect_left(self.keys, key)
        if position < len(self.keys) and self.keys[position] == key:
            owner = self.owners[position]
            if owner >= 0:
                return self.ids[owner]
            raise ambiguous(name, [self.ids[number] for number in self.shared_keys[key]],
                            self.nodes)
        return self.names().resolve(name)  # unknown: the full index suggests

    def names(self) -> NameIndex:
        """The full name index (every alias), for search and suggestions."""
        if self._names is None:
            with collector_paused():
                columns = pickle.loads((self.folder / "search.pickle").read_bytes())
            types = self.types
            self._names = NameIndex.from_columns(columns, self.ids, self.nodes,
                                                 lambda number: ENTITY_TYPES[types[number]])
        return self._names

    def view(self, as_of: PartialDate | None = None, relations=()) -> StoreNetwork:
        """The traversal interface, limited to edges in effect ``as_of`` of ``relations``."""
        return StoreNetwork(self, as_of, relations)

    def dataset(self) -> Dataset:
        """Every record, as a :class:`Dataset` (for commands that need the whole graph)."""
        entities = self.entities()
        for record in entities.values():
            del record["id"]
        with open(self.folder / "edges.jsonl", "rb") as stream, collector_paused():
            edges = [orjson.loads(line) for line in stream]
        return Dataset(self.folder, dict(self.sources), entities, edges, list(self.cohorts),
                       list(self.figures), list(self.rounds), list(self.events))


def _read_line(stream, offsets: array, number: int) -> dict:
    stream.seek(offsets[number])
    return orjson.loads(stream.read(offsets[number + 1] - offsets[number]))


class _Entities(Mapping):
    """``store.nodes``: entity records by id, read lazily (like a NetworkX ``nodes``)."""

    def __init__(self, store: Store):
        self._store = store

    def __getitem__(self, ident: str) -> dict:
        if ident not in self._store.index:
            raise KeyError(ident)
        return self._store.entity(ident)

    def __contains__(self, ident) -> bool:
        return ident in self._store.index

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
        node = store.index[ident]
        adjacent, via, ids = store.adjacent, store.via, store.ids
        filtered = self._relations is not None or self.window is not None
        for position in range(store.offsets[node], store.offsets[node + 1]):
            edge = via[position]
            if not filtered or self._keep(edge):
                yield ids[adjacent[position]], edge

    def edge(self, reference: int) -> dict:
        return self.store.edge(reference)

    def entity(self, ident: str) -> dict:
        return self.store.entity(ident)

    def simple_graph(self):
        """An undirected simple NetworkX graph of what this view keeps (a full copy)."""
        import networkx as nx

        store = self.store
        graph = nx.Graph()
        graph.add_nodes_from(store.ids)
        graph.add_edges_from((store.ids[store.source[edge]], store.ids[store.target[edge]])
                             for edge in range(store.edge_count) if self._keep(edge))
        return graph
