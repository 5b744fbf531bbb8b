"""Registering a document: its text copied into the dataset's documents folder and its
metadata into ``sources.json``, refusing what is not UTF-8 text or is already there."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from graphkit.curate.files import (
    DataFolder,
    canonical_bytes,
    check_writable,
    dataset_lock,
    write_file,
)
from graphkit.data.model import SOURCES_FILE
from graphkit.errors import BadArgument

SOURCES_SCHEMA = "schemas/sources.schema.json"
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")
_HEADING = re.compile(r"^[#*\s>_]+|[#*\s_]+$")


def read_text_file(path: Path | str, argument: str = "FILE") -> str:
    """The text of ``path``, which must be a readable UTF-8 text file; otherwise a
    :class:`BadArgument` saying why.

    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "latin1.txt"
    >>> _ = bad.write_bytes("café".encode("latin-1"))
    >>> try:
    ...     read_text_file(bad)
    ... except Exception as error:
    ...     print(str(error).split(": ", 2)[2])
    byte 0xe9 at offset 3 is not valid UTF-8 (convert it first, e.g. with iconv)
    """
    path = Path(path)
    if not path.is_file():
        raise BadArgument(f"{argument}: {path} is not a file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise BadArgument(f"{argument}: cannot read {path}: {error.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadArgument(
            f"{argument}: {path} is not UTF-8 text: byte 0x{data[error.start]:02x} at offset "
            f"{error.start} is not valid UTF-8 (convert it first, e.g. with iconv)") from None
    if "\x00" in text:
        raise BadArgument(f"{argument}: {path} is not text: it holds NUL bytes "
                          f"(at offset {text.index(chr(0))})")
    if not text.strip():
        raise BadArgument(f"{argument}: {path} is empty")
    return text.removeprefix("\ufeff")


def propose_title(text: str) -> str:
    """The first line of ``text`` that says something, without Markdown marks.

    >>> propose_title("\\n# 首次曝光！OpenAI遭遇罕见挫折\\n\\nbody")
    '首次曝光！OpenAI遭遇罕见挫折'
    """
    for line in text.splitlines():
        title = _HEADING.sub("", line).strip()
        if title:
            return title[:200]
    return ""


@lru_cache(maxsize=1)
def _script_tables() -> tuple[frozenset, frozenset]:
    """Han characters only traditional script writes, and those only simplified writes
    (OpenCC's t2s and s2t tables, character by character)."""
    import opencc

    from graphkit.data.names import han_table

    traditional = frozenset(han_table())
    characters = [chr(code) for code in range(0x4E00, 0xA000)]
    converted = opencc.OpenCC("s2t").convert("\n".join(characters)).split("\n")
    simplified = frozenset(old for old, new in zip(characters, converted, strict=True)
                           if old != new and len(new) == 1)
    return traditional, simplified - traditional


def detect_language(text: str) -> str:
    """``zh-Hans`` or ``zh-Hant`` for Chinese text by which script's own characters it uses
    more (OpenCC's tables), else ``other``.

    >>> detect_language("微软投资了这家公司"), detect_language("微軟投資了這家公司")
    ('zh-Hans', 'zh-Hant')
    >>> detect_language("Microsoft invested in it.")
    'other'
    """
    han = _HAN.findall(text)
    letters = sum(char.isalpha() for char in text)
    if not han or len(han) < 0.1 * letters:
        return "other"
    traditional, simplified = _script_tables()
    only_traditional = sum(char in traditional for char in han)
    only_simplified = sum(char in simplified for char in han)
    return "zh-Hant" if only_traditional > only_simplified else "zh-Hans"


def content_digest(text: str) -> str:
    """The SHA-256 of a document's text, white space folded (the same article copied with
    other line breaks is the same document).

    >>> content_digest("a  b\\n") == content_digest("a b")
    True
    """
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def printed_date_forms(published: str) -> list[str]:
    """Ways a publication date may be printed in an article.

    >>> printed_date_forms("2024-08-06")
    ['2024-08-06', '2024年8月6日', '2024/08/06', '2024.08.06', '2024/8/6', '2024.8.6']
    >>> printed_date_forms("2023-08")
    ['2023-08', '2023年8月']
    """
    parts = published.split("-")
    if len(parts) == 1:
        return [f"{parts[0]}年"]
    year, month = parts[0], parts[1]
    if len(parts) == 2:
        return [published, f"{year}年{int(month)}月"]
    day = parts[2]
    return [published, f"{year}年{int(month)}月{int(day)}日", f"{year}/{month}/{day}",
            f"{year}.{month}.{day}", f"{year}/{int(month)}/{int(day)}",
            f"{year}.{int(month)}.{int(day)}"]


def register_document(directory: Path | str, file: Path | str, *, title: str, outlet: str,
                      language: str, published: str, published_inferred: str | None = None,
                      publisher: str | None = None, name: str | None = None,
                      note: str | None = None) -> dict:
    """Copy ``file`` into the dataset's documents folder and register it in
    ``sources.json``; return the new source record.  Nothing changes on any error.

    The document is named ``NNN_HASH.txt`` (the next free number and the start of its
    text's SHA-256) unless ``name`` is given.  ``published_inferred`` is required when
    the date is not printed in the text.
    """
    from graphkit.data.dates import PartialDate

    folder = DataFolder(directory)
    text = read_text_file(file)
    for argument, value in (("--title", title), ("--outlet", outlet), ("--language", language)):
        if not value or not value.strip():
            raise BadArgument(f"{argument}: must not be empty")
    try:
        PartialDate.parse(published)
    except ValueError:
        raise BadArgument(f"--published: {published!r} is not a date (YYYY, YYYY-MM or "
                          "YYYY-MM-DD)") from None
    if not published_inferred and not any(form in text
                                          for form in printed_date_forms(published)):
        raise BadArgument(f"--published-inferred: the date {published} is not printed in the "
                          "text; say how it was inferred")
    if not re.fullmatch(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*", language):
        raise BadArgument(f"--language: {language!r} is not a BCP 47 tag (zh-Hans, zh-Hant, "
                          "en...)")
    check_writable(folder.directory)
    digest = content_digest(text)
    with dataset_lock(folder.directory):
        sources = folder.sources()
        for doc in sorted(sources):
            try:
                existing = (folder.documents / doc).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if content_digest(existing) == digest:
                raise BadArgument(f"FILE: {file} is already registered as {doc!r} "
                                  f"({sources[doc].get('title', '')})")
        if name is None:
            numbers = [int(doc[:3]) for doc in sources if doc[:3].isdigit()]
            number = max(max(numbers, default=-1), len(sources) - 1) + 1
            name = f"{number:03d}_{digest[:16]}.txt"
        if "/" in name or name.startswith(".") or not name.strip():
            raise BadArgument(f"--name: {name!r} is not a plain file name")
        if name in sources or (folder.documents / name).exists():
            raise BadArgument(f"--name: a document named {name!r} already exists")
        record = {"doc": name, "title": title.strip(), "outlet": outlet.strip(),
                  "language": language, "published": published}
        if publisher:
            record["publisher"] = publisher.strip()
        if published_inferred:
            record["published_inferred"] = published_inferred.strip()
        if note:
            record["note"] = note.strip()
        path = folder.directory / SOURCES_FILE
        document = (folder.file(SOURCES_FILE) if path.exists()
                    else {"$schema": SOURCES_SCHEMA, "sources": []})
        document = {**document, "sources": [*document["sources"], record]}
        target = folder.documents / name
        folder.documents.mkdir(exist_ok=True)
        write_file(target, text.encode("utf-8"))
        try:
            write_file(path, canonical_bytes(document))
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    return record
