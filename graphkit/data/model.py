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


@dataclass
class Dataset:
    """Everything in a dataset directory, validated.

    ``edges`` are the records of the edge lists, each with its ``relation`` added; ``cohorts``
    and the values of ``entities`` and ``sources`` are the records.  Every edge and cohort
    has its own ``id`` (see :mod:`graphkit.data.ids`).
    """

    directory: Path
    sources: dict[str, dict] = field(default_factory=dict)
    entities: dict[str, dict] = field(default_factory=dict)
    edges: list[dict] = field(default_factory=list)
    cohorts: list[dict] = field(default_factory=list)
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


def kind_of(name: str) -> str:
    """The kind of records a dataset file of this name holds.

    >>> kind_of("cohorts.json"), kind_of("person-left-company.json")
    ('cohorts', 'edges')
    """
    return {SOURCES_FILE: "sources", ENTITIES_FILE: "entities",
            COHORTS_FILE: "cohorts"}.get(name, "edges")
