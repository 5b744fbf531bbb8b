"""Names: how a typed name is folded, matched and ranked against ids, names and aliases.

Everything about matching a name lives here, once:

- :func:`normalize` *folds* a name to the key it is matched by: width, case, accents,
  separators and interpuncts, the pinyin glosses garbled copies insert after characters
  (``大衛(wèi)欒``), and traditional Chinese to simplified (OpenCC's table, character by
  character), so ``山姆·阿爾特曼`` and ``山姆阿尔特曼`` are one key.
- :func:`entity_keys` lists the keys an entity is found by: each of its names and aliases
  folded, the pinyin of those in Chinese (pypinyin; without tones and with tone numbers,
  since tone marks fold away), and for people each part of a name alone (a given name or
  surname, in any script).
- :func:`key_score` ranks one key against a query (exact, prefix, substring, then
  rapidfuzz's Indel similarity for typos); :class:`NameIndex` resolves and searches with it.

The page's search box does the same folding and scoring in JavaScript, from the keys and
rules :func:`page_rules` ships in the page, so the two never disagree.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from array import array
from collections.abc import Callable, Mapping
from functools import lru_cache
from itertools import islice

# Separators people type or omit at will ("GPT-4", "GPT 4", "gpt4"), the interpuncts of
# transliterated names ("山姆·奥特曼", "山姆・奥特曼", "山姆•奥特曼") and apostrophes.
# NFKD already turns no-break, ideographic and other wide spaces into " ".
SEPARATORS = " ·・•‧.-_/'’‘‐‑‒–—"
# Where a name is cut into parts: spaces and interpuncts (not hyphens: "Ming-Chi" is one
# given name).
_PART_BREAKS = re.compile("[ ·・•‧]+")
# Han characters (the CJK Unified Ideographs and their first extensions).
HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_HAN_CHARACTER = re.compile(f"[{HAN}]")
# A pinyin gloss that a garbled copy put after a character, "衛(wèi)": Latin letters in
# brackets with at least one tone mark, right after a Han character (after NFKD, so full-
# width brackets are plain and tone marks are combining).  "(SSI)" and "(AI)" are kept.
GLOSS = f"(?<=[{HAN}])\\((?=[a-z\u0300-\u036f]*[\u0300-\u036f])[a-z\u0300-\u036f]+\\)"
_GLOSS = re.compile(GLOSS)

# What a key is: a name or alias as curated, the pinyin of one, or a part of a person's name.
NAME, PINYIN, PART = 0, 1, 2
KINDS = ("name", "pinyin", "part")
# An exact match of each kind, and what every other match of that kind is weighed by.
EXACT = (1.0, 0.98, 0.95)
WEIGHT = (1.0, 1.0, 0.95)
LIMIT_CANDIDATES = 10

# Accents and other nonspacing marks, control and format characters fold away.
_DROPPED = ("Mn", "Cc", "Cf")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@lru_cache(maxsize=1 << 16)
def normalize(name: str) -> str:
    """The key a name is matched by (its *folded* form): width-, case-, accent-,
    separator- and script-insensitive, without pinyin glosses.

    >>> normalize("GPT-4"), normalize("ｇｐｔ４"), normalize("Schrödinger")
    ('gpt4', 'gpt4', 'schrodinger')
    >>> normalize("山姆·阿爾特曼") == normalize("山姆・阿尔特曼") == "山姆阿尔特曼"
    True
    >>> normalize("大衛(wèi)欒") == normalize("大卫栾") == normalize("大衛欒")
    True
    """
    text = unicodedata.normalize("NFKD", name).lower()
    if "(" in text:
        text = _GLOSS.sub("", text)
    return text.translate(_FOLDED)


class _FoldedCharacters(dict):
    """``str.translate`` table: drops nonspacing marks and separators, writes traditional
    characters as simplified; filled in as characters are met (translating in C is many
    times faster than a loop in Python)."""

    def __missing__(self, code: int) -> int | str | None:
        char = chr(code)
        if char in SEPARATORS or unicodedata.category(char) in _DROPPED:
            folded = None
        elif _HAN_CHARACTER.match(char):
            folded = han_table().get(char, char)
        else:
            folded = code
        self[code] = folded
        return folded


_FOLDED = _FoldedCharacters()
_fold = normalize.__wrapped__  # without the cache: for names met once each
# Line breaks kept (what :func:`fold_all` cuts its text at).
_FOLDED_LINES = _FoldedCharacters({ord("\n"): ord("\n")})


def fold_all(names: list[str]) -> list[str]:
    """:func:`normalize` of each of ``names``, worked out over all of them at once (one
    decomposition, one lowering, one translation of their text joined by line breaks:
    each of those treats a line break as the end of a text).

    >>> fold_all(["GPT-4", "山姆·阿爾特曼", "ΟΔΟΣ", "大衛(wèi)"])
    ['gpt4', '山姆阿尔特曼', 'οδος', '大卫']
    """
    text = "\n".join(names)
    if text.count("\n") != max(len(names) - 1, 0):  # a name with a line break in it
        return [_fold(name) for name in names]
    text = unicodedata.normalize("NFKD", text).lower()
    if "(" in text:
        text = _GLOSS.sub("", text)
    return text.translate(_FOLDED_LINES).split("\n") if names else []


@lru_cache(maxsize=1)
def han_table() -> dict[str, str]:
    """Each Han character that OpenCC writes otherwise in simplified script, and how
    (OpenCC's ``t2s`` table, applied one character at a time: a name's characters fold
    alone, whatever the phrase around them).

    >>> table = han_table()
    >>> table["衛"], table["爾"], "卫" in table
    ('卫', '尔', False)
    """
    import opencc

    characters = [chr(code) for code in range(0x3400, 0xA000) if _HAN_CHARACTER.match(chr(code))]
    converted = opencc.OpenCC("t2s").convert("\n".join(characters)).split("\n")
    return {old: new for old, new in zip(characters, converted, strict=True)
            if old != new and len(new) == 1}


def check_name(text: str, what: str = "name") -> str:
    """``text`` if it can name something; raise :class:`graphkit.errors.BadArgument` if it is
    empty, only separators, or holds control characters or bidirectional overrides.

    >>> check_name("Sam Altman")
    'Sam Altman'
    >>> check_name(" · ")
    Traceback (most recent call last):
    graphkit.errors.BadArgument: empty name: ' · ' has no letters or digits to match
    """
    from graphkit.errors import BadArgument

    if found := _CONTROL.search(text):
        raise BadArgument(f"{what} {text!r} holds the control character "
                          f"U+{ord(found.group()):04X} ({_char_name(found.group())}); "
                          "type the name without it")
    if not normalize(text):
        shown = f": {text!r} has no letters or digits to match" if text else ""
        raise BadArgument(f"empty {what}{shown}")
    return text


def _char_name(char: str) -> str:
    return unicodedata.name(char, "a control character").lower()


# -- the keys of an entity -------------------------------------------------------------------

def entity_keys(ident: str, entity: Mapping) -> list[tuple[str, int, int]]:
    """Every ``(key, kind, form)`` an entity is found by, best kind first and each key once:
    ``form`` is the position of the name it came from in ``[name, *aliases, id]``.

    >>> for key in entity_keys("sam-altman", {"name": "Sam Altman", "type": "person",
    ...                                       "aliases": ["山姆·奥特曼"]}):
    ...     print(key)
    ('samaltman', 0, 0)
    ('山姆奥特曼', 0, 1)
    ('shanmuaoteman', 1, 1)
    ('shan1mu3ao4te4man4', 1, 1)
    ('sam', 2, 0)
    ('altman', 2, 0)
    ('山姆', 2, 1)
    ('shanmu', 2, 1)
    ('shan1mu3', 2, 1)
    ('奥特曼', 2, 1)
    ('aoteman', 2, 1)
    ('ao4te4man4', 2, 1)
    """
    forms = name_forms(ident, entity)
    keys = _keys_of(forms, [normalize(form) for form in forms], entity.get("type") == "person")
    return [(key, tag & 3, tag >> 2) for key, tag in keys.items()]


def _keys_of(forms: list[str], folded: list[str], person: bool) -> dict[str, int]:
    """:func:`entity_keys` from an entity's :func:`name_forms` and those folded: each key
    with its kind and form as one number, ``form * 4 + kind`` (no tuple made per key)."""
    keys: dict[str, int] = {}
    for position, key in enumerate(folded):
        keys.setdefault(key, position * 4 + NAME)
    for position, key in enumerate(folded):
        if not key.isascii():
            for spelling in _pinyin(key):
                keys.setdefault(spelling, position * 4 + PINYIN)
    if person:
        for position, form in enumerate(forms[:-1]):
            for part in _parts(form, forms[0], folded[position]):
                keys.setdefault(part, position * 4 + PART)
                if not part.isascii():
                    for spelling in _pinyin(part):
                        keys.setdefault(spelling, position * 4 + PART)
    keys.pop("", None)
    return keys


def name_forms(ident: str, entity: Mapping) -> list[str]:
    """What an entity is called: its name, its aliases and its id, in this order.

    >>> name_forms("gpt-4", {"name": "GPT-4", "aliases": ["GPT4"]})
    ['GPT-4', 'GPT4', 'gpt-4']
    """
    return [entity["name"], *entity.get("aliases", ()), ident]


def _pinyin(key: str) -> list[str]:
    """The pinyin of a folded key holding Han characters: without tones, then with tone
    numbers (tone marks fold away, so ``ào tè màn`` meets ``aoteman``).

    pypinyin reads each run of Han characters alone (:func:`_run_pinyin`) and keeps the
    characters between runs as they are, so a run's pinyin is worked out once, however many
    keys hold it (pypinyin's ``errors="default"`` keeps a piece without Han characters
    as it is)."""
    if not _HAN_CHARACTER.search(key):
        return []
    from pypinyin.constants import RE_HANS
    from pypinyin.seg.simpleseg import simple_seg

    runs = [_run_pinyin(run) if RE_HANS.match(run) else (run, run) for run in simple_seg(key)]
    return [normalize("".join([plain for plain, _numbered in runs])),
            normalize("".join([numbered for _plain, numbered in runs]))]


@lru_cache(maxsize=1 << 16)
def _run_pinyin(run: str) -> tuple[str, str]:
    """pypinyin's reading of ``run`` (a run of Han characters, as pypinyin cuts a text),
    without tones and with tone numbers, each joined: read once, with tone numbers, for
    pypinyin writes a syllable without tones as it writes it with its tone number, less
    the number (its styles ``NORMAL`` and ``TONE3`` both write the tone mark as a digit,
    then drop it or move it to the end)."""
    from pypinyin import Style, lazy_pinyin

    numbered = "".join(lazy_pinyin(run, style=Style.TONE3, v_to_u=True))
    return _DIGIT.sub("", numbered), numbered


_DIGIT = re.compile(r"\d")  # pypinyin's own pattern for a tone number


def _parts(form: str, english: str, whole: str) -> list[str]:
    """The parts of a person's name that stand alone: words and the pieces between
    interpuncts of at least two characters (``Sam``, ``Altman``; ``山姆``, ``奥特曼``), and for
    a Chinese name written without a break whose first character reads as a word of the
    English name (傅盛, "Fu Sheng"), its surname and given name; ``whole`` is ``form``
    folded."""
    pieces = _PART_BREAKS.split(unicodedata.normalize("NFKD", form))
    if len(pieces) > 1:
        pieces = [piece for piece in map(_fold, pieces) if len(piece) >= 2]
        if len(pieces) > 1:
            return pieces
    if 2 <= len(whole) <= 4 and all(map(_HAN_CHARACTER.match, whole)):
        surname = _pinyin(whole[0])
        words = [normalize(word) for word in _PART_BREAKS.split(unicodedata.normalize("NFKD",
                                                                                      english))]
        if surname and surname[0] in words:
            return [whole[0], whole[1:]]
    return []


# -- scoring ------------------------------------------------------------------------------

def key_score(query: str, key: str, kind: int = NAME) -> float:
    """How well folded ``query`` matches ``key`` of ``kind``, from 0 (not at all) to 1.

    An exact key scores :data:`EXACT` for its kind, a prefix 0.8–0.9 and a substring
    0.75–0.8 (more for a larger share of the key), any other key by rapidfuzz's Indel
    similarity (``1 - distance / total length``) times 0.75, when that is at least 2/3;
    part keys weigh 0.95 of that.

    >>> key_score("openai", "openai"), key_score("open", "openai")
    (1.0, 0.8666666666666667)
    >>> key_score("antropic", "anthropic")
    0.7058823529411764
    >>> key_score("altman", "altman", PART), key_score("xyz", "openai")
    (0.95, 0.0)
    """
    if key == query:
        return EXACT[kind]
    length, size = len(query), len(key)
    if key.startswith(query):
        score = 0.8 + 0.1 * length / size
    elif query in key:
        score = 0.75 + 0.05 * length / size
    else:
        distance = _indel_distance(query, key)
        if 3 * distance > length + size:
            return 0.0
        score = 0.75 * (1 - distance / (length + size))
    return score * WEIGHT[kind]


@lru_cache(maxsize=1)
def _indel():
    from rapidfuzz.distance import Indel

    return Indel.distance


def _indel_distance(query: str, key: str) -> int:
    return _indel()(query, key)


# -- the index ----------------------------------------------------------------------------

class NameIndex:
    """Finds entities by id, any name or alias (folded), its pinyin, or part of a name.

    >>> index = NameIndex({"openai": {"name": "OpenAI", "type": "company", "aliases": ["開放AI"]}})
    >>> index.resolve("open ai"), index.resolve("开放ai"), index.resolve("kai fang ai")
    ('openai', 'openai', 'openai')
    """

    REACH = 8  # how many keys similar to a query to score at first, per hit wanted

    def __init__(self, entities: Mapping):
        """``entities`` maps id to a dict with ``name``, ``type`` and ``aliases``
        (a NetworkX graph's ``nodes`` works as is)."""
        ids = list(entities)
        self._adopt(None, ids, entities, lambda number: entities[ids[number]]["type"],
                    lambda number: entities[ids[number]])
        # Names and aliases as curated resolve without the other keys: pinyin and parts
        # (and importing pypinyin) wait until a name is not found, or a search.
        self._named = {}
        for number, ident in enumerate(ids):
            for form in name_forms(ident, entities[ident]):
                owners = self._named.setdefault(normalize(form), [])
                if number not in owners:
                    owners.append(number)

    @classmethod
    def from_columns(cls, columns: dict, ids: list[str], entities: Mapping,
                     type_of: Callable[[int], str],
                     record_of: Callable[[int], Mapping] | None = None) -> NameIndex:
        """An index over :func:`build_columns`'s columns (as a store keeps them);
        ``type_of(number)`` is the type of entity ``ids[number]``, ``record_of(number)``
        its record (by default ``entities[ids[number]]``)."""
        index = cls.__new__(cls)
        index._adopt(columns, ids, entities, type_of,
                     record_of or (lambda number: entities[ids[number]]))
        return index

    def _adopt(self, columns: dict | None, ids: list[str], entities: Mapping,
               type_of: Callable[[int], str], record_of: Callable[[int], Mapping]) -> None:
        self._built = columns
        self._named: dict[str, list[int]] | None = None
        self._keys: list[str] | None = None  # every key as a string, split when searched
        self._ids = ids
        self._entities = entities
        self._type_of = type_of
        self._record_of = record_of

    @property
    def _columns(self) -> dict:
        if self._built is None:
            self._built = build_columns({ident: self._entities[ident] for ident in self._ids})
        return self._built

    @property
    def _count(self) -> int:
        return len(self._columns["kinds"])

    def resolve(self, name: str) -> str:
        """The id ``name`` denotes; raise UnknownEntity or AmbiguousEntity otherwise.

        A name or alias wins over a pinyin spelling, which wins over part of a name.
        """
        from graphkit.errors import UnknownEntity

        if name in self._entities:
            return name
        key = normalize(check_name(name))
        if self._named is not None and key in self._named:
            return self._one_of(name, sorted(self._named[key]))
        owners = self.owners(key)
        if owners:
            return self._one_of(name, owners)
        raise UnknownEntity(name, [hit["name"] for hit in self.search(name, limit=3)])

    def owners(self, key: str) -> list[int]:
        """The entities (numbers) that claim ``key`` with the best kind any of them has."""
        kinds, owners = self._columns["kinds"], self._columns["owners"]
        found: dict[int, list[int]] = {}
        # A binary search on the joined keys: no list of every key is made to resolve a name.
        position = bisect.bisect_left(range(self._count), key, key=self._key)
        while position < self._count and self._key(position) == key:
            found.setdefault(kinds[position], []).append(owners[position])
            position += 1
        return sorted(set(found[min(found)])) if found else []

    def _key(self, entry: int) -> str:
        starts = self._columns["starts"]
        end = starts[entry + 1] - 1 if entry + 1 < self._count else len(self._columns["blob"])
        return self._columns["blob"][starts[entry]:end]

    def _one_of(self, name: str, owners: list[int]) -> str:
        if len(owners) == 1:
            return self._ids[owners[0]]
        raise ambiguous(name, [self._ids[number] for number in owners], self._entities)

    def search(self, text: str, entity_type: str | None = None,
               limit: int | None = 20) -> list[dict]:
        """Entities ranked by how well one of their keys matches ``text`` (:func:`key_score`,
        best first, then by id); each hit has ``id``, ``name``, ``type``, ``matched`` (the
        name or alias that matched) and ``score``.  ``limit=None`` returns every hit.

        >>> index = NameIndex({"anthropic": {"name": "Anthropic", "type": "company"},
        ...                    "openai": {"name": "OpenAI", "type": "company"}})
        >>> [(hit["id"], hit["score"]) for hit in index.search("Antropic")]
        [('anthropic', 0.706)]
        """
        query = normalize(check_name(text, "search text"))
        containing = [(entry, key_score(query, self._key(entry), self._kind(entry)))
                      for entry in self._containing(query)]
        # Typos: rapidfuzz ranks every key in C; only the closest few are scored here, and
        # more when they might not be enough (see _ranked).
        reach = None if limit is None else self.REACH * limit + self.REACH
        while True:
            similar, bound = self._similar(query, reach)
            ranked = self._ranked(query, containing, similar, entity_type)
            floor = 0.75 * bound + 1e-9 if bound is not None else None
            if floor is None or (len(ranked) >= limit and ranked[limit - 1][0] > floor):
                break
            reach *= 4
        hits = []
        for score, ident, owner, entry in ranked[:limit]:
            entity = self._record_of(owner)
            matched = name_forms(ident, entity)[self._columns["forms"][entry]]
            hits.append({"id": ident, "name": entity["name"], "type": entity["type"],
                         "matched": matched, "score": round(score, 3)})
        return hits

    def _kind(self, entry: int) -> int:
        return self._columns["kinds"][entry]

    def _ranked(self, query: str, containing: list[tuple[int, float]], similar: list[int],
                entity_type: str | None) -> list[tuple[float, str, int, int]]:
        """``(score, id, owner, entry)`` of each entity's best key among those found, best
        first, then by id; of two keys that score the same, the one earlier in
        :func:`entity_keys`."""
        owners, ranks = self._columns["owners"], self._columns["ranks"]
        best: dict[int, tuple[float, int, int]] = {}
        scored = [*containing, *((entry, key_score(query, self._key(entry), self._kind(entry)))
                                 for entry in similar)]
        for entry, score in scored:
            if score <= 0:
                continue
            owner = owners[entry]
            held = best.get(owner)
            if held is None or score > held[0] or (score == held[0] and ranks[entry] < held[1]):
                best[owner] = (score, ranks[entry], entry)
        ranked = sorted((-score, self._ids[owner], owner, entry)
                        for owner, (score, _rank, entry) in best.items()
                        if not entity_type or self._type_of(owner) == entity_type)
        return [(-negative, ident, owner, entry) for negative, ident, owner, entry in ranked]

    def _containing(self, query: str):
        """Entries whose key holds ``query`` (found in C over every key at once)."""
        blob = self._columns["blob"]
        starts = self._columns["starts"]
        found = blob.find(query)
        while found >= 0:
            entry = bisect.bisect_right(starts, found) - 1
            yield entry
            if entry + 1 >= self._count:
                break
            found = blob.find(query, starts[entry + 1])

    def _similar(self, query: str, reach: int | None) -> tuple[list[int], float | None]:
        """The ``reach`` entries (all if None) whose keys are most similar to ``query`` by
        rapidfuzz's Indel similarity, at least 0.66 (:func:`key_score` decides exactly), and
        the similarity of the last one when more may have been left out (else None)."""
        from rapidfuzz import process
        from rapidfuzz.distance import Indel

        if self._keys is None:
            self._keys = self._columns["blob"].split("\n") if self._count else []
        found = process.extract(query, self._keys, scorer=Indel.normalized_similarity,
                                score_cutoff=0.66, limit=reach)
        bound = found[-1][1] if reach is not None and len(found) >= reach else None
        return [entry for _key, _score, entry in found], bound


def build_columns(entities: Mapping[str, Mapping]) -> dict:
    """Every entity's keys (:func:`entity_keys`) sorted by key, as columns: ``blob`` (the keys
    joined by newlines), and per key its ``kinds``, ``owners`` (entity numbers, in the order
    of ``entities``), ``starts`` (where each key begins in ``blob``), ``forms`` (which of
    :func:`name_forms` it came from) and ``ranks`` (its place in its entity's list, which
    decides between two keys that score the same).

    >>> columns = build_columns({"gpt-4": {"name": "GPT-4", "type": "model", "aliases": ["GPT4"]}})
    >>> columns["blob"], list(columns["owners"])
    ('gpt4', [0])
    """
    import numpy
    from numpy.dtypes import StringDType

    # Every entity's keys, entity by entity in entity_keys' order: a NumPy array of text for
    # each chunk of entities (a few bytes a key, where a Python string takes 50 or more).
    chunks: list = []
    text = StringDType()  # object (Python's strings) should a key not be UTF-8
    tags = array("q")  # the kind and form of each key (see _keys_of)
    counts = array("q")  # how many keys each entity has
    items = iter(entities.items())
    while chunk := list(islice(items, _FOLDED_AT_ONCE)):
        forms = [name_forms(ident, entity) for ident, entity in chunk]
        folded = fold_all([form for its_forms in forms for form in its_forms])
        keys: list[str] = []
        at = 0
        for (_ident, entity), its_forms in zip(chunk, forms, strict=True):
            found = _keys_of(its_forms, folded[at:at + len(its_forms)],
                             entity.get("type") == "person")
            at += len(its_forms)
            keys.extend(found)
            tags.extend(found.values())
            counts.append(len(found))
        try:
            chunks.append(numpy.array(keys, dtype=text))
        except UnicodeEncodeError:  # a lone surrogate (never from JSON)
            text = object
            chunks = [*(some.astype(object) for some in chunks), numpy.array(keys, dtype=text)]
    keys = numpy.concatenate(chunks) if chunks else numpy.array([], dtype=text)
    del chunks
    tag = numpy.frombuffer(tags, numpy.int64)
    kinds = (tag & 3).astype(numpy.uint8)
    # By key, then kind, then entity: the order that sorting the tuples (key, kind, owner,
    # form, rank) gave, as no entity has a key twice.  Two stable sorts: by kind, then key.
    order = numpy.argsort(kinds, kind="stable")
    keys = keys[order]
    by_key = numpy.argsort(keys, kind="stable")
    order, keys = order[by_key], keys[by_key]
    del by_key
    count = numpy.frombuffer(counts, numpy.int64)
    owners = numpy.repeat(numpy.arange(len(count), dtype=numpy.int32), count)
    first = numpy.repeat(numpy.cumsum(count) - count, count)  # each entity's first key
    ranks = numpy.minimum(numpy.arange(len(keys)) - first, 65535)
    forms = numpy.minimum(tag >> 2, 255).astype(numpy.uint8)
    pieces, lengths = [], [numpy.zeros(0, numpy.int64)]
    for start in range(0, len(keys), _JOINED_AT_ONCE):
        some = keys[start:start + _JOINED_AT_ONCE].tolist()
        pieces.append("\n".join(some))
        lengths.append(numpy.fromiter(map(len, some), numpy.int64, len(some)))
    del keys
    blob = "\n".join(pieces)
    ends = numpy.cumsum(numpy.concatenate(lengths) + 1)
    return {"blob": blob,
            "starts": _array("i" if len(blob) < 2**31 else "q",
                             numpy.concatenate(([0], ends))[:len(ends)]),
            "kinds": kinds[order].tobytes(),
            "owners": _array("i", owners[order]),
            "forms": forms[order].tobytes(),
            "ranks": _array("H", ranks[order])}


# How many entities' names are folded in one text (see fold_all): enough to make the
# per-name work small, few enough that the text stays small.
_FOLDED_AT_ONCE = 4096
# How many keys are made Python strings at once to be joined.
_JOINED_AT_ONCE = 1 << 16


def _array(code: str, values) -> array:
    """``values`` (a NumPy array) as an ``array.array`` of type ``code``."""
    import numpy

    made = array(code)
    made.frombytes(numpy.asarray(values, dtype=code).tobytes())
    return made


def ambiguous(name: str, idents: list[str], entities: Mapping):
    """The :class:`graphkit.errors.AmbiguousEntity` error for ``name`` claimed by ``idents``
    (the first :data:`LIMIT_CANDIDATES` of them listed)."""
    from graphkit.errors import AmbiguousEntity

    listed = [(ident, entities[ident]["name"], entities[ident]["type"])
              for ident in sorted(idents)[:LIMIT_CANDIDATES]]
    return AmbiguousEntity(name, listed, total=len(idents))


def search_linked(index: NameIndex, network, text: str, entity_type: str | None = None,
                  limit: int = 20) -> list[dict]:
    """:meth:`NameIndex.search`, keeping only entities with at least one edge in
    ``network`` (so ``--as-of 2022`` finds no one who first appears in 2023).

    >>> import networkx as nx
    >>> from graphkit.store.graph import GraphNetwork
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_node("a", name="Ann", type="person", aliases=[])
    >>> graph.add_node("b", name="Anna", type="person", aliases=[])
    >>> graph.add_node("x", name="X", type="company", aliases=[])
    >>> _ = graph.add_edge("a", "x", key="k", relation="person-left-company")
    >>> [hit["id"] for hit in search_linked(NameIndex(graph.nodes), GraphNetwork(graph), "ann")]
    ['a']
    """
    hits = index.search(text, entity_type, limit=None)
    linked = [hit for hit in hits if next(iter(network.around(hit["id"])), None) is not None]
    return linked[:limit]


def closest(word: str, options, limit: int = 3) -> list[str]:
    """The options that look most like ``word`` (for "did you mean" among relations, fields,
    types and documents; entity names rank with :func:`key_score`).

    >>> closest("antropic", ["anthropic", "openai"])
    ['anthropic']
    """
    return difflib.get_close_matches(word, list(options), n=limit, cutoff=0.6)


def page_rules() -> dict:
    """What the page's search needs to fold and score exactly as :class:`NameIndex` does:
    the separators, the gloss pattern, the Han characters that fold and the scores.

    >>> rules = page_rules()
    >>> rules["han_to"][rules["han_from"].index("衛")]
    '卫'
    """
    table = han_table()
    return {"separators": SEPARATORS, "gloss": GLOSS, "han_from": "".join(table),
            "han_to": "".join(table.values()), "exact": list(EXACT), "weight": list(WEIGHT)}
