"""A dataset folder as a curator writes it: its files read as they are, the canonical
formatting every file is written in, atomic writes, and a lock around every change.

The canonical formatting (what ``graphkit fmt`` writes and ``validate`` expects):
two-space indentation, UTF-8 without escapes, a final newline; ``$schema`` first, then
``relation`` (edge lists), then the list of records, one block each, in the order they
are in (a new record goes at the end; ids, not positions, name records).  In a record,
``id`` (or ``doc``) first, then the fields that say what it is (an entity's type, name
and aliases; a source's title, outlet, publisher, language and dates; a record's
relation, ends, entity, company, metric or kind), then the others alphabetically, then
``note`` and ``sources`` last; in a citation ``doc`` and ``quote`` first.
"""

from __future__ import annotations

import errno
import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path

import orjson

from graphkit.atomic import write_bytes_atomic
from graphkit.data.model import ENTITIES_FILE, SOURCES_FILE, data_files
from graphkit.errors import BadArgument

DOCUMENTS_FOLDER = "documents"
# How long an ``add`` waits for another to finish writing the same dataset.
LOCK_TIMEOUT = 10.0

_FIRST_KEYS = ("$schema", "relation")
_RECORD_FIRST = ("id", "doc", "type", "name", "aliases", "title", "outlet", "publisher",
                 "language", "published", "published_inferred", "relation", "source",
                 "target", "entity", "company", "metric", "kind", "from", "to")
_RECORD_LAST = ("note", "sources")
_CITATION_FIRST = ("doc", "quote")


def list_key(document: dict) -> str | None:
    """The key of a data file's list of records (``edges``, ``entities``, ``figures``...).

    >>> list_key({"$schema": "x", "relation": "r", "edges": []})
    'edges'
    """
    for key, value in document.items():
        if key != "$schema" and isinstance(value, list):
            return key
    return None


def _ordered(record: dict, first: tuple[str, ...], last: tuple[str, ...] = ()) -> dict:
    keys = [key for key in first if key in record]
    keys += sorted(key for key in record if key not in first and key not in last)
    keys += [key for key in last if key in record]
    return {key: _canonical_value(key, record[key]) for key in keys}


def _canonical_value(key: str, value):
    if key == "sources" and isinstance(value, list):
        return [_ordered(item, _CITATION_FIRST) if isinstance(item, dict) else item
                for item in value]
    if isinstance(value, dict):
        return _ordered(value, ())
    if isinstance(value, list):
        return [_ordered(item, _RECORD_FIRST, _RECORD_LAST) if isinstance(item, dict) else item
                for item in value]
    return value


def canonical_document(document: dict) -> dict:
    """``document`` (a parsed data file) with its keys, and those of its records and
    citations, in canonical order.

    >>> document = canonical_document({"edges": [{"sources": [], "target": "b", "id": "z"},
    ...                                {"id": "a", "date": "2023"}], "relation": "r"})
    >>> list(document), document["edges"][0]
    (['relation', 'edges'], {'id': 'z', 'target': 'b', 'sources': []})
    """
    result = {key: document[key] for key in _FIRST_KEYS if key in document}
    for key in document:
        if key in _FIRST_KEYS:
            continue
        value = document[key]
        if isinstance(value, list):
            records = [_ordered(item, _RECORD_FIRST, _RECORD_LAST) if isinstance(item, dict)
                       else item for item in value]
            value = records
        result[key] = value
    return result


def canonical_bytes(document: dict) -> bytes:
    """A data file's bytes in the canonical formatting.

    >>> print(canonical_bytes({"entities": [{"name": "Ann", "id": "ann"}]}).decode(), end="")
    {
      "entities": [
        {
          "id": "ann",
          "name": "Ann"
        }
      ]
    }
    """
    return orjson.dumps(canonical_document(document), option=orjson.OPT_INDENT_2) + b"\n"


def read_document(path: Path) -> dict:
    """A data file, parsed; a missing or malformed file is a :class:`BadArgument` naming it."""
    try:
        document = orjson.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise BadArgument(f"{path}: no such file (is this a dataset folder?)") from None
    except OSError as error:
        raise BadArgument(f"{path}: cannot read: {error.strerror}") from None
    except orjson.JSONDecodeError as error:
        raise BadArgument(f"{path}: not valid JSON ({error}); fix it first") from None
    if not isinstance(document, dict) or list_key(document) is None:
        raise BadArgument(f"{path}: not a graphkit data file (no list of records)")
    return document


def non_canonical_files(directory: Path) -> list[Path]:
    """The data files of ``directory`` that are not in the canonical formatting (those
    that cannot be parsed are ``validate``'s to report, not listed here)."""
    found = []
    for path in data_files(Path(directory)):
        data = path.read_bytes()
        try:
            document = orjson.loads(data)
        except orjson.JSONDecodeError:
            continue
        if isinstance(document, dict) and canonical_bytes(document) != data:
            found.append(path)
    return found


def format_dataset(directory: Path) -> list[Path]:
    """Rewrite every data file of ``directory`` that is not canonical; return those
    rewritten.  Refuses (changing nothing) if any file cannot be parsed."""
    directory = Path(directory)
    with dataset_lock(directory):
        documents = {path: read_document(path) for path in data_files(directory)}
        changed = []
        for path, document in documents.items():
            data = canonical_bytes(document)
            if data != path.read_bytes():
                write_file(path, data)
                changed.append(path)
    return changed


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` atomically, refusing to replace anything but a regular file."""
    path = Path(path)
    if path.exists() and not path.is_file():
        raise BadArgument(f"{path}: not a regular file; refusing to replace it")
    try:
        write_bytes_atomic(path, data)
    except OSError as error:
        raise BadArgument(f"--data: cannot write {path}: "
                          f"{error.strerror or error}") from None


def check_writable(directory: Path) -> None:
    """Raise :class:`BadArgument` naming ``--data`` unless ``directory`` is a folder this
    process may write in."""
    directory = Path(directory)
    if not directory.is_dir():
        raise BadArgument(f"--data: {directory} is not a folder")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise BadArgument(f"--data: the data folder {directory} is not writable")


@contextmanager
def dataset_lock(directory: Path, timeout: float = LOCK_TIMEOUT):
    """Hold the dataset's write lock (an advisory ``flock`` on the folder itself, so no
    lock file is left behind); raise :class:`BadArgument` if another writer holds it for
    longer than ``timeout`` seconds.

    >>> import tempfile
    >>> with dataset_lock(tempfile.mkdtemp()):
    ...     print("writing")
    writing
    """
    handle = os.open(directory, os.O_RDONLY)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise BadArgument(
                        f"--data: another graphkit command has been writing {directory} for "
                        f"{timeout:.0f} s; nothing was changed, try again") from None
                time.sleep(0.05)
        yield
    finally:
        os.close(handle)


class DataFolder:
    """A dataset folder's files as they are (not validated): entities, sources, every
    record with an id, and the documents folder."""

    def __init__(self, directory: Path | str, documents: Path | str | None = None):
        self.directory = Path(directory)
        if not self.directory.is_dir():
            raise BadArgument(f"--data: {self.directory} is not a folder")
        self.documents = Path(documents) if documents else self.directory / DOCUMENTS_FOLDER
        self._files: dict[str, dict] = {}

    def file(self, name: str) -> dict:
        """The parsed data file ``name`` (read once)."""
        if name not in self._files:
            self._files[name] = read_document(self.directory / name)
        return self._files[name]

    def names(self) -> list[str]:
        return [path.name for path in data_files(self.directory)]

    def entities(self) -> dict[str, dict]:
        return {entity["id"]: entity for entity in self.file(ENTITIES_FILE)["entities"]
                if isinstance(entity, dict) and isinstance(entity.get("id"), str)}

    def sources(self) -> dict[str, dict]:
        path = self.directory / SOURCES_FILE
        if not path.exists():
            return {}
        return {source["doc"]: source for source in self.file(SOURCES_FILE)["sources"]
                if isinstance(source, dict) and isinstance(source.get("doc"), str)}

    def records(self):
        """Every ``(file name, record)`` holding an id, but entities and sources."""
        for name in self.names():
            if name in (ENTITIES_FILE, SOURCES_FILE):
                continue
            document = self.file(name)
            for record in document[list_key(document)]:
                if isinstance(record, dict) and isinstance(record.get("id"), str):
                    yield name, record

    def document_text(self, doc: str, argument: str = "--doc") -> str:
        """The text of registered document ``doc``; a :class:`BadArgument` naming
        ``argument`` when it is not registered or its text is missing."""
        from graphkit.data.names import closest

        sources = self.sources()
        if doc not in sources:
            hint = closest(doc, sources, 1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            raise BadArgument(f"{argument}: document {doc!r} is not registered in "
                              f"{self.directory / SOURCES_FILE}{suggestion} "
                              "(register it with `graphkit sources add FILE`)")
        path = self.documents / doc
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise BadArgument(f"{argument}: document {doc!r} is registered but its text "
                              f"is not in {self.documents}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise BadArgument(f"{argument}: cannot read {path}: {error}") from None
