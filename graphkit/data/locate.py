"""Where the dataset is.

In order: ``--data``, then ``$GRAPHKIT_DATA``, then ``./edges``, then the bundled copy.
"""

from __future__ import annotations

import os
from pathlib import Path

ENVIRONMENT_VARIABLE = "GRAPHKIT_DATA"
_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_data_dir() -> Path:
    """The dataset installed with the package (or the checkout's ``edges/`` when run from source).

    >>> (bundled_data_dir() / "entities.json").is_file()
    True
    """
    installed = _PACKAGE / "_bundled" / "edges"
    return installed if installed.is_dir() else _PACKAGE.parent / "edges"


def find_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The dataset directory to use, by the documented order of precedence.

    >>> find_data_dir("/tmp/mine")
    PosixPath('/tmp/mine')
    """
    if explicit:
        return Path(explicit)
    from_environment = os.environ.get(ENVIRONMENT_VARIABLE)
    if from_environment:
        return Path(from_environment)
    local = Path("edges")
    if local.is_dir():
        return local
    return bundled_data_dir()
