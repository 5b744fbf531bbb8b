"""A data-only file format for the cache: JSON values and flat arrays behind a checksum.

The cache lives in a folder that others may be able to write to (a team's shared
``GRAPHKIT_CACHE``), so nothing read from it may run code (as unpickling can): a packed
file holds JSON (read by orjson) and raw little arrays of numbers, nothing else.  The
SHA-256 of everything after it is checked before any of it is used, so a damaged,
truncated or edited file is never read wrongly; it raises :class:`Damaged`.

Layout: ``MAGIC``, the SHA-256 (32 bytes), the length of the header (8 bytes, little
endian), the header (JSON: the values, and where each array lies), then the arrays.

>>> from array import array
>>> payload = pack({"ids": ["a", "b"]}, {"offsets": array("q", [0, 5, 9])})
>>> values, arrays = unpack(payload)
>>> values["ids"], arrays["offsets"].tolist()
(['a', 'b'], [0, 5, 9])
"""

from __future__ import annotations

import hashlib
import sys
import zlib
from array import array
from collections.abc import Iterable, Mapping

import orjson

MAGIC = b"graphkit-packed-1\n"
_DIGEST = 32
_ALIGN = 8
_ITEM_SIZES = {"b": 1, "B": 1, "h": 2, "H": 2, "i": 4, "I": 4, "q": 8, "Q": 8, "f": 4, "d": 8}


class Damaged(ValueError):
    """A cache file that is not what was written (wrong checksum, truncated, odd layout)."""


def pack(values: Mapping, arrays: Mapping[str, object] = ()) -> bytes:
    """``values`` (anything JSON can hold) and ``arrays`` (``array.array``, ``bytes`` or
    one-dimensional NumPy arrays), behind a SHA-256 of themselves.  Each array starts at a
    multiple of 8 bytes in the file, so it can be used where it lies (see :func:`unpack`)."""
    layout, blobs, position = {}, [], 0
    for name, data in dict(arrays).items():
        if isinstance(data, bytes | bytearray):
            kind, code, raw = "bytes", "B", bytes(data)
        elif isinstance(data, array):
            kind, code, raw = "array", data.typecode, data.tobytes()
        else:  # a NumPy array
            kind, code, raw = "numpy", data.dtype.str, data.tobytes()
        layout[name] = [kind, code, position, len(raw)]
        padding = -len(raw) % _ALIGN
        blobs.append(raw + bytes(padding))
        position += len(raw) + padding
    header = orjson.dumps({"byteorder": sys.byteorder, "values": values, "arrays": layout})
    # Spaces after the JSON (still JSON) bring the arrays to a multiple of 8.
    header += b" " * (-(len(MAGIC) + _DIGEST + 8 + len(header)) % _ALIGN)
    body = len(header).to_bytes(8, "little") + header + b"".join(blobs)
    return MAGIC + hashlib.sha256(body).digest() + body


def digest_of(payload: bytes) -> bytes:
    """The SHA-256 a packed file carries (of everything after it), as written; checking
    that it is right is :func:`unpack`'s work.

    >>> payload = pack({"a": 1})
    >>> digest_of(payload) == hashlib.sha256(payload[len(MAGIC) + 32:]).digest()
    True
    """
    return bytes(payload[len(MAGIC):len(MAGIC) + _DIGEST])


def unpack(payload: bytes, copy: bool = True) -> tuple[dict, dict]:
    """The ``values`` and ``arrays`` that :func:`pack` was given; raise :class:`Damaged`
    unless ``payload`` is exactly what it wrote (on a machine of the same byte order).

    With ``copy=False`` an ``array.array`` comes back as a read-only ``memoryview`` of the
    same type code over ``payload`` itself (indexed, sliced and measured alike, and
    turned into NumPy without a copy): a large store is then not held twice in memory.

    >>> values, arrays = unpack(pack({}, {"ends": array("i", [3, 1])}), copy=False)
    >>> arrays["ends"][0], arrays["ends"].tolist()
    (3, [3, 1])
    """
    start = len(MAGIC) + _DIGEST
    if not payload.startswith(MAGIC) or len(payload) < start + 8:
        raise Damaged("not a graphkit cache file")
    view = memoryview(payload)
    if hashlib.sha256(view[start:]).digest() != payload[len(MAGIC):start]:
        raise Damaged("checksum mismatch")
    length = int.from_bytes(view[start:start + 8], "little")
    try:
        header = orjson.loads(view[start + 8:start + 8 + length])
        if header["byteorder"] != sys.byteorder:
            raise Damaged("written on a machine of another byte order")
        blobs = view[start + 8 + length:]
        arrays = {name: _array(kind, code, blobs[offset:offset + size], copy)
                  for name, (kind, code, offset, size) in header["arrays"].items()}
        return header["values"], arrays
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        if isinstance(error, Damaged):
            raise
        raise Damaged(f"unreadable layout ({error})") from None


def _array(kind: str, code: str, raw: memoryview, copy: bool = True):
    if kind == "bytes":
        return bytes(raw)
    if kind == "array":
        if code not in _ITEM_SIZES or len(raw) % _ITEM_SIZES[code]:
            raise Damaged(f"bad array of {code!r}")
        if not copy:
            return raw.toreadonly().cast(code)
        values = array(code)
        values.frombytes(raw)
        return values
    if kind == "numpy":
        import numpy

        return numpy.frombuffer(bytes(raw) if copy else raw, dtype=numpy.dtype(code))
    raise Damaged(f"unknown kind of array {kind!r}")


def line_checksums(lines: Iterable[bytes]) -> array:
    """A CRC-32 of each line (without its newline), to check a record read on its own.

    >>> line_checksums([b'{"a":1}']).tolist() == [zlib.crc32(b'{"a":1}')]
    True
    """
    return array("I", map(zlib.crc32, lines))


def checked_line(data: bytes, checksum: int, where: str) -> bytes:
    """``data`` (one line read by offset, with its newline) without the newline, when it
    is what was written; else raise :class:`Damaged` naming ``where``."""
    if not data.endswith(b"\n") or zlib.crc32(memoryview(data)[:-1]) != checksum:
        raise Damaged(f"{where} does not match its checksum")
    return data[:-1]


def checked_lines(data: bytes, checksums, where: str) -> list[bytes]:
    """The lines of ``data`` (several whole lines), each checked against ``checksums``."""
    lines = data.split(b"\n")
    if lines[-1] != b"" or line_checksums(lines[:-1]) != array("I", checksums):
        raise Damaged(f"{where} does not match its checksums")
    return lines[:-1]
