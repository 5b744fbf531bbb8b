"""Names a document uses that are not entities yet: Chinese person, organisation and other
proper names by jieba's part-of-speech tags (its dictionary ships in its wheel, so this
works offline), and capitalised Latin-script names.

Candidates, not facts: a curator decides.  Measured on the five bundled articles, see the
README's "Curating" section for the precision.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from graphkit.curate.files import DataFolder
from graphkit.curate.text import sentences
from graphkit.data.names import entity_keys, han_table, normalize

# jieba's tags for proper names: people (nr), transliterated people (nrt), organisations
# (nt) and other proper nouns (nz).  Place names (ns) are not entities here.
NAME_TAGS = ("nr", "nrt", "nrfg", "nt", "nz")
# jieba's dictionary also tags common words as names (宝贵, 智慧, 明星 as nr; 聊天, 论文 as nz):
# a person or other proper name that the dictionary counts this often is most likely one of
# them.  Organisations (nt: 哈佛大学, 美国政府) are kept whatever their count.
COMMON_WORD_FREQUENCY = 100
# A run of capitalised Latin words (or words with a capital inside, "OpenAI", "xAI"),
# joined by spaces or hyphens, digits allowed after the first letter ("GPT-4o").
_LATIN_NAME = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z][A-Za-z0-9]*|[a-z]+[A-Z][A-Za-z0-9]*)"
    r"(?:(?: |-)(?:[A-Z][A-Za-z0-9]*)|-[0-9][A-Za-z0-9.]*)*(?![A-Za-z0-9])")
# A word that looks like a code or an identifier in a link rather than a name.
_CODE_LIKE = re.compile(r"^(?=.*[0-9])(?=.*[A-Za-z]).{9,}$|^.{21,}$")
# Capitalised words that are not names: abbreviations of common nouns, units, roles.
STOPWORDS = frozenset(normalize(word) for word in (
    "AI", "AGI", "API", "APP", "App", "CEO", "CFO", "COO", "CTO", "CPU", "GPU", "GPUs", "TPU",
    "LLM", "LLMs", "VC", "IPO", "PC", "IT", "UI", "AR", "VR", "ID", "OK", "PR", "HR", "US",
    "USD", "RMB", "GB", "TB", "PB", "QA", "RLHF", "NLP", "SaaS", "AIGC", "The", "A", "An",
    "In", "On", "Of", "And", "Or", "For", "To", "By", "At", "It", "This", "That", "We", "I",
    "He", "She", "They", "Z", "Highlights", "Unsplash", "Pro", "Plus", "Mini", "Turbo",
    "Beta", "Demo", "Copilot", "Chat", "Bot", "Web", "Open", "Source", "Ltd", "Inc", "Co",
    "CNBC", "https", "http", "www", "com", "htm", "html"))


@lru_cache(maxsize=1)
def _simplified() -> dict[int, str]:
    return str.maketrans(han_table())


@lru_cache(maxsize=1)
def _tagger():
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tagger = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    tagger.tokenizer.check_initialized()
    return tagger


def candidate_names(text: str, known=frozenset(), matcher=None) -> list[dict]:
    """Every candidate proper name in ``text``: ``name`` (as written), ``tag`` (jieba's
    part of speech, or ``latin``) and ``sentences`` (their numbers).  Names written where
    ``matcher`` (a :class:`graphkit.curate.mentions.MentionMatcher`) finds a known entity
    are left out, and so are words whose folded form is in ``known``.

    >>> found = candidate_names("楊植麟創立了月之暗面。Aidan Gomez joined.")
    >>> [(c["name"], c["tag"]) for c in found]
    [('楊植麟', 'nr'), ('Aidan Gomez', 'latin')]
    """
    tagger = _tagger()
    frequency = tagger.tokenizer.FREQ
    found: dict[str, dict] = {}

    def note(name: str, tag: str, number: int) -> None:
        key = normalize(name)
        if len(key) < 2 or key in STOPWORDS or key in known or _CODE_LIKE.match(name):
            return
        entry = found.setdefault(key, {"name": name, "tag": tag, "sentences": []})
        if number not in entry["sentences"]:
            entry["sentences"].append(number)

    for sentence in sentences(text):
        taken = set()
        for mention in (matcher.find(sentence.text) if matcher is not None else ()):
            taken.update(range(mention["start"], mention["end"]))
        simplified = sentence.text.translate(_simplified())
        position = 0
        for pair in tagger.cut(simplified):
            word, flag = pair.word, pair.flag
            start = position
            position += len(word)
            if (flag in NAME_TAGS and not word.isascii() and len(word) >= 2
                    and (flag == "nt" or frequency.get(word, 0) < COMMON_WORD_FREQUENCY)
                    and not taken.intersection(range(start, position))):
                note(sentence.text[start:position], flag, sentence.number)
        for match in _LATIN_NAME.finditer(sentence.text):
            for part in _without_known(match, taken, known):
                note(part, "latin", sentence.number)
    return list(found.values())


def _without_known(match: re.Match, taken: set[int], known) -> list[str]:
    """The runs of words of a Latin name that are not a known name, a stop word or code."""
    runs, current = [], []
    for word in re.finditer(r"[^ ]+", match.group()):
        start = match.start() + word.start()
        key = normalize(word.group())
        if (key in STOPWORDS or key in known or _CODE_LIKE.match(word.group())
                or taken.intersection(range(start, start + len(word.group())))):
            if current:
                runs.append(" ".join(current))
            current = []
        else:
            current.append(word.group())
    if current:
        runs.append(" ".join(current))
    return runs


def new_names(directory: Path | str, doc: str, documents: Path | str | None = None) -> list[dict]:
    """The candidate names of registered document ``doc`` that no entity is known by
    (by any name, alias, pinyin or part of a person's name, folded), most used first."""
    folder = DataFolder(directory, documents)
    text = folder.document_text(doc, "DOC")
    from graphkit.curate.mentions import MentionMatcher

    entities = folder.entities()
    known = {key for ident, entity in entities.items()
             for key, _kind, _form in entity_keys(ident, entity)}
    candidates = candidate_names(text, known, MentionMatcher(entities))
    return sorted(candidates, key=lambda c: (-len(c["sentences"]), c["sentences"][0]))
