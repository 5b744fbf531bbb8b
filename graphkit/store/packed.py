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
import os
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable, Mapping

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


# -- parts read block by block ------------------------------------------------------------

BLOCKS_MAGIC = b"graphkit-blocks-1\n"  # as long as MAGIC: digest_of works on both
BLOCK = 4096  # bytes of an array checked at once (a multiple of every item size)
_PREFIX = len(BLOCKS_MAGIC) + _DIGEST + 16


def pack_blocks(arrays: Mapping[str, object], values: Mapping | None = None) -> bytes:
    """``arrays`` (``array.array`` or one-dimensional NumPy arrays of integers or floats),
    each cut into blocks of :data:`BLOCK` bytes with a SHA-256 of every block, so a few
    items can be read and checked without reading the rest (see :class:`Blocks`), and
    ``values`` (anything JSON can hold, kept in the header: :attr:`Blocks.values`).  The
    header and the table of block digests are behind a SHA-256 of themselves, which
    :func:`digest_of` gives.

    Layout: ``BLOCKS_MAGIC``, the SHA-256, the lengths of the header and of the table (8
    bytes each, little endian), the header (JSON: where each array and its digests lie),
    the table, then the arrays, each starting at a multiple of 8 bytes.
    """
    return b"".join(_block_pieces(arrays, values))


def write_blocks(path: str | os.PathLike, arrays: Mapping[str, object],
                 values: Mapping | None = None) -> None:
    """Write :func:`pack_blocks` of ``arrays`` to the file ``path`` (as
    ``Path.write_bytes`` would), a piece at a time: the arrays are not copied (``bytes``
    stands for an array of type code ``B``).

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "blocks.bin")
    ...     write_blocks(path, {"ends": array("q", range(9)), "text": b"abc"})
    ...     written = open(path, "rb").read()
    >>> written == pack_blocks({"ends": array("q", range(9)), "text": array("B", b"abc")})
    True
    """
    with open(path, "wb") as stream:
        for piece in _block_pieces(arrays, values):
            stream.write(piece)


def _block_pieces(arrays: Mapping[str, object], values: Mapping | None) -> list:
    """What :func:`pack_blocks` joins, in order: the head, then each array (a view of it,
    not a copy) and its padding."""
    layout, tables, blobs, position, table_position = {}, [], [], 0, 0
    for name, data in arrays.items():
        code, raw = _typecode(data), memoryview(data)
        if not raw.c_contiguous:
            raw = memoryview(data.tobytes())
        raw = raw.cast("B")
        digests = b"".join(hashlib.sha256(raw[start:start + BLOCK]).digest()
                           for start in range(0, len(raw), BLOCK))
        layout[name] = [code, position, len(raw), table_position]
        tables.append(digests)
        table_position += len(digests)
        padding = -len(raw) % _ALIGN
        blobs += [raw, bytes(padding)]
        position += len(raw) + padding
    header = orjson.dumps({"byteorder": sys.byteorder, "block": BLOCK, "arrays": layout,
                           "values": dict(values or {})})
    table = b"".join(tables)
    header += b" " * (-(_PREFIX + len(header) + len(table)) % _ALIGN)
    head = len(header).to_bytes(8, "little") + len(table).to_bytes(8, "little") + header + table
    return [BLOCKS_MAGIC + hashlib.sha256(head).digest() + head, *blobs]


def _typecode(data) -> str:
    """The ``array`` type code of ``data``, an ``array.array``, ``bytes`` (``B``) or a NumPy
    array."""
    if isinstance(data, array):
        return data.typecode
    if isinstance(data, bytes | bytearray):
        return "B"
    codes = {("i", 1): "b", ("i", 2): "h", ("i", 4): "i", ("i", 8): "q", ("u", 1): "B",
             ("u", 2): "H", ("u", 4): "I", ("u", 8): "Q", ("f", 4): "f", ("f", 8): "d"}
    code = codes.get((data.dtype.kind, data.dtype.itemsize))
    if code is None or data.dtype.byteorder == ">" or data.ndim != 1:
        raise TypeError(f"cannot pack an array of {data.dtype} in blocks")
    return code


class Blocks:
    """A file written by :func:`pack_blocks`, open for reading: its header (with
    :attr:`values`) and table of digests are read and checked at once (raising
    :class:`Damaged`), its arrays (:meth:`array`) a block at a time, each block checked
    when first read (raising what ``fail`` makes of the :class:`Damaged` error, by
    default that error).

    >>> import tempfile
    >>> with tempfile.TemporaryFile() as stream:
    ...     _ = stream.write(pack_blocks({"ends": array("q", range(1000))}))
    ...     ends = Blocks(stream.fileno()).array("ends")
    ...     ends[999], ends[510:514].tolist(), len(ends)
    (999, [510, 511, 512, 513], 1000)
    """

    def __init__(self, descriptor: int,
                 fail: Callable[[Damaged], BaseException] = lambda error: error):
        self._descriptor = descriptor
        self._fail = fail
        prefix = os.pread(descriptor, _PREFIX, 0)
        if len(prefix) < _PREFIX or not prefix.startswith(BLOCKS_MAGIC):
            raise Damaged("not a graphkit cache file")
        self.digest = prefix[len(BLOCKS_MAGIC):len(BLOCKS_MAGIC) + _DIGEST]
        lengths = prefix[len(BLOCKS_MAGIC) + _DIGEST:]
        header_length = int.from_bytes(lengths[:8], "little")
        table_length = int.from_bytes(lengths[8:], "little")
        if header_length + table_length > os.fstat(descriptor).st_size:
            raise Damaged("truncated")
        rest = os.pread(descriptor, header_length + table_length, _PREFIX)
        if hashlib.sha256(lengths + rest).digest() != self.digest:
            raise Damaged("checksum mismatch")
        try:
            header = orjson.loads(rest[:header_length])
            if header["byteorder"] != sys.byteorder or header["block"] != BLOCK:
                raise Damaged("written on a machine of another byte order, or blocks of "
                              "another size")
            self._layout = {name: (code, position, size, table)
                            for name, (code, position, size, table) in header["arrays"].items()}
            self.values: dict = header.get("values", {})
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            if isinstance(error, Damaged):
                raise
            raise Damaged(f"unreadable layout ({error})") from None
        self._table = rest[header_length:]
        self._start = _PREFIX + header_length + table_length

    @property
    def names(self) -> list[str]:
        """The names of the arrays, in the order they were written."""
        return list(self._layout)

    def check_length(self) -> None:
        """Raise :class:`Damaged` unless the file is as long as its header says (a cut or
        lengthened file is found at once, not when its last block is read)."""
        end = max((position + size + (-size % _ALIGN)
                   for _code, position, size, _table in self._layout.values()), default=0)
        if os.fstat(self._descriptor).st_size != self._start + end:
            raise Damaged("truncated, or longer than written")

    def array(self, name: str) -> BlockArray:
        """The array ``name`` (KeyError if there is none)."""
        code, position, size, table = self._layout[name]
        if code not in _ITEM_SIZES or size % _ITEM_SIZES[code]:
            raise Damaged(f"bad array of {code!r}")
        digests = self._table[table:table + _DIGEST * -(-size // BLOCK)]
        if len(digests) != _DIGEST * -(-size // BLOCK):
            raise Damaged("the table of digests is short")
        found = BlockArray(self._descriptor, code, self._start + position, size, digests,
                           self._fail)
        found.owner = self  # whatever keeps the file open lives as long as its arrays
        return found


class BlockArray:
    """One array of a :class:`Blocks` file: items and slices as a ``memoryview`` of its
    type code would give them, read a block at a time and each block checked against its
    SHA-256 when first read (raising :class:`Damaged`)."""

    def __init__(self, descriptor: int, code: str, start: int, size: int, digests: bytes,
                 fail: Callable[[Damaged], BaseException]):
        self._descriptor = descriptor
        self._fail = fail
        self._code = code
        self._start = start
        self._size = size
        self._digests = digests
        self._item = _ITEM_SIZES[code]
        self._per_block = BLOCK // self._item
        self._blocks: dict[int, memoryview] = {}
        self._whole: memoryview | None = None

    def __len__(self) -> int:
        return self._size // self._item

    @property
    def offset(self) -> int:
        """Where its first item lies in the file (in bytes)."""
        return self._start

    def _block(self, number: int) -> memoryview:
        found = self._blocks.get(number)
        if found is None:
            offset = number * BLOCK
            length = min(BLOCK, self._size - offset)
            data = os.pread(self._descriptor, length, self._start + offset)
            if (len(data) != length or hashlib.sha256(data).digest()
                    != self._digests[number * _DIGEST:(number + 1) * _DIGEST]):
                raise self._fail(Damaged("a block does not match its checksum"))
            found = self._blocks[number] = memoryview(data).cast(self._code)
        return found

    def __getitem__(self, where):
        if isinstance(where, slice):
            if self._whole is not None or where.step not in (None, 1):
                return self.whole()[where]
            return self._slice(*where.indices(len(self))[:2])
        if where < 0:
            where += len(self)
        if not 0 <= where < len(self):
            raise IndexError("index out of range")
        if self._whole is not None:
            return self._whole[where]
        block, place = divmod(where, self._per_block)
        return self._block(block)[place]

    def _slice(self, first: int, last: int) -> memoryview:
        if last <= first:
            return memoryview(array(self._code))
        head, tail = first // self._per_block, (last - 1) // self._per_block
        if head == tail:
            base = head * self._per_block
            return self._block(head)[first - base:last - base]
        joined = array(self._code)
        for block in range(head, tail + 1):
            joined.frombytes(self._block(block).cast("B"))
        base = head * self._per_block
        return memoryview(joined)[first - base:last - base]

    def whole(self) -> memoryview:
        """Every item (read at once, every block checked)."""
        if self._whole is None:
            data = os.pread(self._descriptor, self._size, self._start)
            if len(data) != self._size:
                raise self._fail(Damaged("truncated"))
            view = memoryview(data)
            for number in range(len(self._digests) // _DIGEST):
                if (hashlib.sha256(view[number * BLOCK:(number + 1) * BLOCK]).digest()
                        != self._digests[number * _DIGEST:(number + 1) * _DIGEST]):
                    raise self._fail(Damaged("a block does not match its checksum"))
            self._whole = view.cast(self._code)
            self._blocks.clear()
        return self._whole

    def __iter__(self):
        return iter(self.whole())

    def tolist(self) -> list:
        return self.whole().tolist()
