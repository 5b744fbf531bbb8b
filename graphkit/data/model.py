"""What a loaded dataset is: the :class:`Dataset` record and the files a dataset consists of.

Below both the loader (:mod:`graphkit.data.dataset`) and its checks
(:mod:`graphkit.data.checks`), which fill a :class:`Dataset` in.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path

SOURCES_FILE = "sources.json"
ENTITIES_FILE = "entities.json"
COHORTS_FILE = "cohorts.json"
FIGURES_FILE = "figures.json"
ROUNDS_FILE = "rounds.json"
EVENTS_FILE = "events.json"
# The folder of the source documents, beside the data files (edges/documents/).
DOCUMENTS_FOLDER = "documents"
# Files of records that are not edges, by the kind of record (the list each file holds).
RECORD_FILES = {"cohorts": COHORTS_FILE, "figures": FIGURES_FILE, "rounds": ROUNDS_FILE,
                "events": EVENTS_FILE}


@dataclass
class Dataset:
    """Everything in a dataset directory, validated.

    ``edges`` are the records of the edge lists, each with its ``relation`` added;
    ``cohorts``, ``figures`` (quantities about one entity), ``rounds`` (funding rounds),
    ``events`` (what happened to one entity) and the values of ``entities`` and ``sources``
    are the records as curated.  Every record but an entity or a source has its own ``id``
    (see :mod:`graphkit.data.ids`); ``edges/README.md`` documents every field.

    >>> from graphkit.data.dataset import load_dataset
    >>> from graphkit.data.locate import bundled_data_dir
    >>> dataset = load_dataset(bundled_data_dir())
    >>> sorted({edge["relation"] for edge in dataset.edges})[:2]
    ['company-developed-model', 'company-invested-in']
    """

    directory: Path
    sources: dict[str, dict] = field(default_factory=dict)
    entities: dict[str, dict] = field(default_factory=dict)
    edges: list[dict] = field(default_factory=list)
    cohorts: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    rounds: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    # The position in ``entities`` of every edge's source and target, as the checks found
    # them (the store starts from these instead of looking two million ids up again).
    ends: tuple[array, array] | None = field(default=None, repr=False, compare=False)


def data_files(directory: Path) -> list[Path]:
    """The files a dataset consists of (what the loader reads), in name order.

    >>> from graphkit.data.locate import bundled_data_dir
    >>> [path.name for path in data_files(bundled_data_dir())][:2]
    ['cohorts.json', 'company-developed-model.json']
    """
    return sorted(path for path in Path(directory).glob("*.json") if path.is_file())


def odd_entries(directory: Path) -> list[tuple[Path, str]]:
    """What in ``directory`` looks like data but is not a file the loader can read, each
    with what is wrong: a ``.JSON`` name in other case, a folder, a symbolic link to
    nothing, a FIFO or a device (never opened: reading a FIFO would wait for ever).
    Hidden names (an editor's ``.#entities.json``) are left alone.

    >>> from graphkit.data.locate import bundled_data_dir
    >>> odd_entries(bundled_data_dir())
    []
    """
    found = []
    try:
        entries = sorted(Path(directory).iterdir())
    except OSError:
        return []
    for entry in entries:
        name = entry.name
        if name.startswith(".") or not name.lower().endswith(".json"):
            continue
        if not name.endswith(".json"):
            found.append((entry, "a data file's name ends in .json, in lower case: rename it, "
                                 "or move it out of the data folder"))
        elif entry.is_symlink() and not entry.exists():
            found.append((entry, "a symbolic link to nothing"))
        elif entry.is_dir():
            found.append((entry, "a folder where a data file is expected"))
        elif not entry.is_file():
            found.append((entry, "not a regular file (a FIFO, a socket or a device)"))
    return found


def kind_of(name: str) -> str:
    """The kind of records a dataset file of this name holds.

    >>> kind_of("cohorts.json"), kind_of("figures.json"), kind_of("person-left-company.json")
    ('cohorts', 'figures', 'edges')
    """
    if name == SOURCES_FILE:
        return "sources"
    if name == ENTITIES_FILE:
        return "entities"
    return _KIND_OF_FILE.get(name, "edges")


_KIND_OF_FILE = {file: kind for kind, file in RECORD_FILES.items()}


def bundled_documents(directory: Path) -> Path | None:
    """The dataset's own folder of source documents (``documents/`` inside it), if it has
    one: every quote is checked against it unless another folder is given.

    >>> from graphkit.data.locate import bundled_data_dir
    >>> bundled_documents(bundled_data_dir()).name
    'documents'
    """
    folder = Path(directory) / DOCUMENTS_FOLDER
    return folder if folder.is_dir() else None


def document_files(directory: Path) -> list[Path]:
    """The dataset's bundled documents (see :func:`bundled_documents`), in name order.

    >>> from graphkit.data.locate import bundled_data_dir
    >>> [path.name for path in document_files(bundled_data_dir())][:1]
    ['000_06844273122251ad.txt']
    """
    folder = bundled_documents(directory)
    return [] if folder is None else sorted(path for path in folder.iterdir() if path.is_file())
