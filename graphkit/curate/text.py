"""A document's text as a curator reads it: sentences, the folded text names are matched
in (with the way back to the original characters), and where a quote stands.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from graphkit.data.names import HAN, normalize

# Where a sentence ends: Chinese and Latin full stops, question and exclamation marks,
# semicolons, ellipses, and the end of a line.  Closing quotes and brackets stay with it.
_SENTENCE_END = re.compile(
    r"(?:[。！？!?；;]+|…+|\.(?=\s|$))[”’」』）)\"']*|\n+")
# A sentence worth listing holds at least one letter or digit.
_WORDY = re.compile(r"\w")
# A pinyin gloss a garbled copy put after a character: "進(jìn)" (see graphkit.data.names).
_GLOSS_CANDIDATE = re.compile(f"(?<=[{HAN}])[(（]([A-Za-z\u00c0-\u024f\u0300-\u036f]+)[)）]")


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document: its number (from 1), where it is and what it says."""

    number: int
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """The sentences of ``text``, each with its span in ``text`` (white space trimmed).

    >>> [s.text for s in sentences("OpenAI 发布了GPT-4。微软投资了它！\\nA line. Another?")]
    ['OpenAI 发布了GPT-4。', '微软投资了它！', 'A line.', 'Another?']
    >>> sentences("  # Title\\n")[0]
    Sentence(number=1, start=2, end=9, text='# Title')
    """
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        found.append((start, match.end()))
        start = match.end()
    found.append((start, len(text)))
    result = []
    for begin, end in found:
        piece = text[begin:end]
        stripped = piece.strip()
        if not stripped or not _WORDY.search(stripped):
            continue
        begin += len(piece) - len(piece.lstrip())
        result.append(Sentence(len(result) + 1, begin, begin + len(stripped), stripped))
    return result


def gloss_spans(text: str) -> list[tuple[int, int]]:
    """The spans of pinyin glosses in ``text`` (``(jìn)`` after ``進``), which name
    folding drops; ``(SSI)`` and ``(AI)`` are not glosses.

    >>> gloss_spans("ChatGPT再進(jìn)化 (SSI)")
    [(9, 14)]
    """
    spans = []
    for match in _GLOSS_CANDIDATE.finditer(text):
        decomposed = unicodedata.normalize("NFKD", match.group(1))
        if any("\u0300" <= char <= "\u036f" for char in decomposed):
            spans.append(match.span())
    return spans


def fold_text(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character exactly as names are
    (:func:`graphkit.data.names.normalize`), and for each folded character the position
    in ``text`` it came from.

    >>> folded, where = fold_text("山姆·阿爾特曼說")
    >>> folded, where[2]
    ('山姆阿尔特曼说', 3)
    """
    dropped = set()
    for begin, end in gloss_spans(text):
        dropped.update(range(begin, end))
    folded, origin = [], []
    for position, char in enumerate(text):
        if position in dropped:
            continue
        piece = normalize(char)
        folded.append(piece)
        origin.extend([position] * len(piece))
    return "".join(folded), origin


def quote_span(text: str, quote: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in ``text``, allowing runs of white space to differ (as
    ``graphkit validate`` does), or None.

    >>> quote_span("微软 投资了\\n OpenAI。", "投资了 OpenAI")
    (3, 14)
    >>> quote_span("abc", "abd") is None
    True
    """
    words = quote.split()
    if not words:
        return None
    match = re.search(r"\s+".join(map(re.escape, words)), text)
    return match.span() if match else None


def nearest_passage(text: str, quote: str) -> str | None:
    """The sentence (or sentences) of ``text`` holding the passage most like ``quote``
    (rapidfuzz's best partial alignment), for a curator whose quote is not quite verbatim;
    None when nothing is close.

    >>> text = "据报道。OpenAI 的估值达到1570亿美元，创下纪录。"
    >>> nearest_passage(text, "OpenAI的估值达到1570億美元")
    'OpenAI 的估值达到1570亿美元，创下纪录。'
    """
    from rapidfuzz import fuzz

    needle = quote.strip()
    if not needle or not text:
        return None
    alignment = fuzz.partial_ratio_alignment(needle, text)
    if alignment is None or alignment.score < 50:
        return None
    start, end = alignment.dest_start, max(alignment.dest_end, alignment.dest_start + 1)
    around = [s for s in sentences(text) if s.start < end and s.end > start]
    if not around:
        return text[start:end].strip() or None
    return text[around[0].start:around[-1].end]
