"""Name normalisation: how a typed name is matched to ids, names and aliases."""

from __future__ import annotations

import difflib
import unicodedata
from functools import lru_cache

# Separators people type or omit at will: "GPT-4", "GPT 4", "gpt4"; "山姆·奥特曼", "山姆・奥特曼".
_IGNORED = frozenset(" \t\n·・•‧.-_/'’")


@lru_cache(maxsize=1 << 20)
def normalize(name: str) -> str:
    """The key a name is matched by: width-, case-, accent- and separator-insensitive.

    >>> normalize("GPT-4"), normalize("ｇｐｔ４"), normalize("Schrödinger")
    ('gpt4', 'gpt4', 'schrodinger')
    >>> normalize("山姆·奥特曼") == normalize("山姆・奥特曼") == "山姆奥特曼"
    True
    """
    return unicodedata.normalize("NFKD", name.casefold()).translate(_KEPT)


class _KeptCharacters(dict):
    """``str.translate`` table dropping combining marks and separators, filled in as
    characters are met (translating in C is twice as fast as filtering in Python)."""

    def __missing__(self, code: int) -> int | None:
        char = chr(code)
        kept = None if unicodedata.combining(char) or char in _IGNORED else code
        self[code] = kept
        return kept


_KEPT = _KeptCharacters()


class NameIndex:
    """Finds entities by id, display name or alias.

    >>> index = NameIndex({"openai": {"name": "OpenAI", "type": "company", "aliases": ["開放AI"]}})
    >>> index.resolve("open ai"), index.resolve("開放ai")
    ('openai', 'openai')
    """

    def __init__(self, entities):
        """``entities`` maps id to a dict with ``name``, ``type`` and ``aliases``
        (a NetworkX graph's ``nodes`` works as is)."""
        forms = []
        for ident in entities:
            data = entities[ident]
            forms.extend((normalize(form), form, ident)
                         for form in (ident, data["name"], *data.get("aliases", ())))
        self._adopt(forms, entities)

    @classmethod
    def from_forms(cls, forms: list[tuple[str, str, str]], entities) -> NameIndex:
        """An index of already normalised ``(key, form, id)`` triples (as a store keeps)."""
        index = cls.__new__(cls)
        index._adopt(forms, entities)
        return index

    def _adopt(self, forms: list[tuple[str, str, str]], entities) -> None:
        self._entities = entities
        self._forms = forms
        self._keys: dict[str, set[str]] | None = None  # built on first resolve; search needs none

    @property
    def _by_key(self) -> dict[str, set[str]]:
        if self._keys is None:
            self._keys = {}
            for key, _form, ident in self._forms:
                self._keys.setdefault(key, set()).add(ident)
        return self._keys

    def resolve(self, name: str) -> str:
        """The id ``name`` denotes; raise UnknownEntity or AmbiguousEntity otherwise."""
        from graphkit.errors import AmbiguousEntity, UnknownEntity

        if name in self._entities:
            return name
        matches = self._by_key.get(normalize(name), set())
        if len(matches) == 1:
            return next(iter(matches))
        if matches:
            raise AmbiguousEntity(name, [(ident, self._entities[ident]["name"],
                                          self._entities[ident]["type"])
                                         for ident in sorted(matches)])
        suggestions = [hit["name"] for hit in self.search(name, limit=3)]
        raise UnknownEntity(name, suggestions)

    def search(self, text: str, entity_type: str | None = None,
               limit: int | None = 20) -> list[dict]:
        """Entities ranked by how well one of their names matches ``text``.

        Exact matches score 1.0, prefixes 0.9, substrings 0.8, others by similarity
        (above 0.5).  Each hit has ``id``, ``name``, ``type``, ``matched`` and ``score``.
        ``limit=None`` returns every hit.
        """
        import difflib

        query = normalize(text)
        best: dict[str, tuple[float, str]] = {}
        if not query:
            return []
        # Similarity is 2·M/(len(query) + len(key)), M the matched characters, and scores
        # 0.75 of it: a key can reach 0.5 only if 3·M >= both lengths.  M is at most the
        # key's characters that occur in the query (counted in C by translate), so most keys
        # are ruled out without difflib, which is what made a search take seconds.
        others = {ord(char): None for char in set(query)}
        length = len(query)
        for key, form, ident in self._forms:
            if key == query:
                score = 1.0
            elif key.startswith(query):
                score = 0.9
            elif query in key:
                score = 0.8
            else:
                shared = min(length, len(key) - len(key.translate(others)))
                if 3 * shared < length + len(key):
                    continue
                score = difflib.SequenceMatcher(None, query, key).ratio() * 0.75
                if score < 0.5:
                    continue
            if entity_type and self._entities[ident]["type"] != entity_type:
                continue
            if score > best.get(ident, (0.0, ""))[0]:
                best[ident] = (score, form)
        ranked = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
        return [{"id": ident, "name": self._entities[ident]["name"],
                 "type": self._entities[ident]["type"], "matched": form,
                 "score": round(score, 3)} for ident, (score, form) in ranked]


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
    """The options that look most like ``word`` (for "did you mean").

    >>> closest("antropic", ["anthropic", "openai"])
    ['anthropic']
    """
    return difflib.get_close_matches(word, list(options), n=limit, cutoff=0.6)
