"""The one place that renders results: a stable JSON document or aligned human text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import orjson


def to_json(data) -> str:
    """Stable JSON: sorted keys, two-space indent, non-ASCII kept as is.

    >>> print(to_json({"b": 1, "a": []}))
    {
      "a": [],
      "b": 1
    }
    """
    return json_bytes(data).decode()


def json_bytes(data) -> bytes:
    """:func:`to_json` as UTF-8 bytes, for writing out without another copy of a large answer.

    >>> json_bytes({"b": 1, "a": "微软"}) == to_json({"b": 1, "a": "微软"}).encode()
    True
    """
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2)


# What a terminal must not be given raw: C0 controls but the newline (escape sequences can
# rewrite the screen or the title), DEL, C1 controls, line and paragraph separators, and the
# bidirectional marks, embeddings, overrides and isolates (which reorder what is shown).
_UNSAFE = [*range(0x00, 0x0A), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0), 0x061C,
           0x200E, 0x200F, *range(0x2028, 0x202F), *range(0x2066, 0x206A)]
_ESCAPES = {code: (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}") for code in _UNSAFE}


def terminal_text(text: str) -> str:
    r"""``text`` safe to print on a terminal: control characters and bidirectional
    overrides are shown as escapes (``\x1b``, ``\u202e``); newlines are kept.  JSON output
    never goes through this: it keeps every character exactly.

    >>> print(terminal_text("Evil" + chr(0x1B) + "[2J" + chr(0x202E) + "txt.exe"))
    Evil\x1b[2J\u202etxt.exe
    """
    return text.translate(_ESCAPES)


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal (CJK characters take two).

    >>> display_width("微软"), display_width("abc")
    (4, 3)
    """
    if text.isascii() and text.isprintable():
        return len(text)  # the common case, without asking wcwidth about every character
    from wcwidth import wcswidth

    width = wcswidth(text)
    return width if width >= 0 else len(text)


def table(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    """Rows aligned under headers; CJK-aware, numbers right-aligned.

    >>> print(table(["name", "n"], [["微软", 3], ["OpenAI", 12]]))
    name     n
    ------  --
    微软     3
    OpenAI  12
    """
    rows = [list(row) for row in rows]
    cells = [[_cell(value) for value in row] for row in rows]
    cell_widths = [[display_width(cell) for cell in row] for row in cells]
    numeric = [bool(rows) and all(isinstance(row[i], int | float) for row in rows)
               for i in range(len(headers))]
    header_widths = [display_width(header) for header in headers]
    widths = [max([header_widths[i]] + [row[i] for row in cell_widths])
              for i in range(len(headers))]
    lines = [_line(headers, header_widths, widths, numeric),
             "  ".join("-" * width for width in widths)]
    lines += [_line(row, own, widths, numeric)
              for row, own in zip(cells, cell_widths, strict=True)]
    return "\n".join(line.rstrip() for line in lines)


def _line(cells: Sequence[str], own: Sequence[int], widths: Sequence[int],
          right: Sequence[bool]) -> str:
    parts = []
    for cell, used, width, align_right in zip(cells, own, widths, right, strict=True):
        padding = " " * (width - used)
        parts.append(padding + cell if align_right else cell + padding)
    return "  ".join(parts)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """``text`` for a CSV cell, never read as a formula: a cell that starts with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return gets a ``'`` in front, as OWASP advises
    (spreadsheets then show the text as is).  So that the mapping can be undone
    (:func:`spreadsheet_text`), text that already starts with ``'`` and then one of these
    gets one more ``'``.

    >>> print(spreadsheet_cell('=HYPERLINK("http://x")'), spreadsheet_cell("OpenAI"))
    '=HYPERLINK("http://x") OpenAI
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def spreadsheet_text(cell: str) -> str:
    """The text :func:`spreadsheet_cell` was given (for readers of graphkit's CSV).

    >>> spreadsheet_text("'=1+2"), spreadsheet_text("'quoted")
    ('=1+2', "'quoted")
    """
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


def citation_text(citation: dict, width: int = 80) -> str:
    """A citation as ``[doc] “quote”``, the quote shortened to ``width`` characters.

    >>> citation_text({"doc": "a.txt", "quote": "微软投资了OpenAI"})
    '[a.txt] “微软投资了OpenAI”'
    """
    quote = " ".join(citation["quote"].split())
    if len(quote) > width:
        quote = quote[: width - 1] + "…"
    return f"[{citation['doc']}] “{quote}”"
