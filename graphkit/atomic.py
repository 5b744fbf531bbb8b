"""Write files so that a reader never sees half of one, and never replace what is not a
regular file (a symlink, a FIFO, a device or a folder is left alone, with a clear error)."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


class CannotWrite(OSError):
    """A file could not be written, or must not be replaced; the message names it (the
    command line prints it as it is, with exit 2)."""

_KINDS = ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"),
          (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def special_kind(path: Path | str) -> str | None:
    """What ``path`` is when it exists and is not a regular file (``"a symbolic link"``,
    ``"a FIFO"`` ...), else None.  Symbolic links are not followed.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> special_kind(folder), special_kind(folder / "new.txt")
    ('a folder', None)
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise cannot_write(Path(path), error) from None
    return next((name for test, name in _KINDS if test(mode)), None)


def refuse_special(path: Path | str, allow_folder: bool = False) -> None:
    """Raise :class:`CannotWrite` unless ``path`` is missing or a regular file (or, with
    ``allow_folder``, a real folder)."""
    kind = special_kind(path)
    if kind is not None and not (allow_folder and kind == "a folder"):
        raise CannotWrite(f"refusing to replace {str(path)!r}: it is {kind}, not a regular "
                          "file")


def cannot_write(path: Path, error: OSError) -> CannotWrite:
    """A clear :class:`CannotWrite` for an ``error`` met while writing ``path``."""
    for parent in Path(path).parents:
        if os.path.lexists(parent):
            if not parent.is_dir():
                return CannotWrite(f"cannot write {str(path)!r}: {str(parent)!r} is not a "
                                   "folder")
            break
    reason = error.strerror or str(error)
    where = f" ({error.filename})" if error.filename and str(error.filename) != str(path) else ""
    return CannotWrite(f"cannot write {str(path)!r}: {reason}{where}")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename.

    Raises :class:`CannotWrite` (naming the path) when ``path`` is not a
    regular file or cannot be written; nothing is left behind then.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_bytes_atomic(target, b"hello")
    >>> target.read_bytes()
    b'hello'
    """
    path = Path(path)
    refuse_special(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
    except OSError as error:
        raise cannot_write(path, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        refuse_special(path)  # again: something may have appeared there meanwhile
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise cannot_write(path, error) from None
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    write_bytes_atomic(path, text.encode("utf-8"))


def discard(path: Path) -> None:
    """Remove ``path`` if it can be, whatever it is (a folder, a file, a symbolic link,
    which is removed, not followed); a cache's damaged or stale parts go this way.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> (folder / "part").mkdir(); (folder / "part" / "f").write_text("x")
    1
    >>> discard(folder / "part"); discard(folder / "missing"); list(folder.iterdir())
    []
    """
    import shutil

    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass
