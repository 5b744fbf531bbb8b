"""What a document mentions: every known entity, sentence by sentence, found by any of its
names or aliases folded as name resolution folds them, with one Aho-Corasick automaton
(pyahocorasick) over every alias at once; and which sentences no record cites yet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from graphkit.curate.text import Sentence, fold_text, quote_span, sentences
from graphkit.data.names import normalize

# Latin letters and digits: a name made of them must not start or end inside a word.
_WORD_CHARACTER = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")
# Fields of a record that do not name entities.
_NOT_ENTITY_FIELDS = ("id", "sources", "note", "description", "relation")


class MentionMatcher:
    """Finds the known entities a text mentions.

    >>> matcher = MentionMatcher({
    ...     "openai": {"name": "OpenAI", "type": "company", "aliases": ["開放AI"]},
    ...     "gpt-4": {"name": "GPT-4", "type": "model", "aliases": []},
    ...     "sam-altman": {"name": "Sam Altman", "type": "person", "aliases": ["山姆·奥特曼"]}})
    >>> [(m["entity"], m["text"]) for m in matcher.find("山姆・奧特曼说開放ai的GPT 4和GPT-4o")]
    [('sam-altman', '山姆・奧特曼'), ('openai', '開放ai'), ('gpt-4', 'GPT 4')]
    """

    def __init__(self, entities: Mapping[str, Mapping]):
        import ahocorasick

        owners: dict[str, set[str]] = {}
        for ident, entity in entities.items():
            for form in [entity.get("name", ""), *entity.get("aliases", ())]:
                key = normalize(form)
                # One letter or one Han character names too much to be a mention.
                if len(key) >= 2:
                    owners.setdefault(key, set()).add(ident)
        self._automaton = ahocorasick.Automaton()
        for key, idents in owners.items():
            self._automaton.add_word(key, (len(key), tuple(sorted(idents))))
        self._empty = not owners
        if owners:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[dict]:
        """Each mention in ``text``, in order: ``entity`` (the id; ``candidates`` when the
        name is shared), ``start``, ``end`` (in ``text``) and ``text`` as written.  Where
        names overlap the longest wins ("Google Brain" over "Google")."""
        if self._empty:
            return []
        folded, origin = fold_text(text)
        found = []
        for end, (length, idents) in self._automaton.iter(folded):
            start = end - length + 1
            begin, finish = origin[start], origin[end] + 1
            if not self._bounded(text, begin, finish):
                continue
            found.append((begin, -(finish - begin), finish, idents))
        found.sort()
        mentions, reached = [], 0
        for begin, _negative, finish, idents in found:
            if begin < reached:
                continue
            reached = finish
            mention = {"start": begin, "end": finish, "text": text[begin:finish]}
            if len(idents) == 1:
                mention["entity"] = idents[0]
            else:
                mention["candidates"] = list(idents)
            mentions.append(mention)
        return mentions

    @staticmethod
    def _bounded(text: str, begin: int, finish: int) -> bool:
        """Whether a match does not start or end in the middle of a Latin word."""
        if _WORD_CHARACTER.match(text[begin]) and begin > 0 and _WORD_CHARACTER.match(
                text[begin - 1]):
            return False
        return not (_WORD_CHARACTER.match(text[finish - 1]) and finish < len(text)
                    and _WORD_CHARACTER.match(text[finish]))


def record_entities(record: Mapping, entities: Mapping) -> set[str]:
    """The entities a record names, in any field (source, target, destination, members,
    entity, company, investors...).

    >>> sorted(record_entities({"id": "x", "source": "a", "target": "b", "members": ["c"],
    ...                         "note": "a"}, {"a": {}, "b": {}, "c": {}}))
    ['a', 'b', 'c']
    """
    found: set[str] = set()

    def walk(value) -> None:
        if isinstance(value, str):
            if value in entities:
                found.add(value)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for key, value in record.items():
        if key not in _NOT_ENTITY_FIELDS:
            walk(value)
    return found


def citations_in(records: Iterable[tuple[str, Mapping]], doc: str):
    """``(record, quote)`` for every citation of ``doc`` among ``(file, record)`` pairs."""
    for _name, record in records:
        for citation in record.get("sources", ()):
            if isinstance(citation, dict) and citation.get("doc") == doc:
                yield record, citation.get("quote", "")


def document_mentions(text: str, matcher: MentionMatcher, entities: Mapping,
                      records: list[tuple[str, Mapping]], doc: str) -> dict:
    """Every sentence of a document with the entities it mentions and the records that
    cite it; ``todo`` marks a sentence with two or more entities that no record cites.

    >>> entities = {"openai": {"name": "OpenAI", "type": "company"},
    ...             "microsoft": {"name": "Microsoft", "type": "company", "aliases": ["微软"]}}
    >>> records = [("x.json", {"id": "e1", "source": "microsoft", "target": "openai",
    ...             "sources": [{"doc": "d.txt", "quote": "微软投资OpenAI"}]})]
    >>> result = document_mentions("微软投资OpenAI。OpenAI与微软合作。", MentionMatcher(entities),
    ...                            entities, records, "d.txt")
    >>> [(s["number"], s["entities"], s["cited_by"], s["todo"]) for s in result["sentences"]]
    [(1, ['microsoft', 'openai'], ['e1'], False), (2, ['microsoft', 'openai'], [], True)]
    """
    spans = []
    for record, quote in citations_in(records, doc):
        span = quote_span(text, quote)
        if span is not None:
            spans.append((span, record["id"]))
    listed = []
    for sentence in sentences(text):
        mentions = matcher.find(sentence.text)
        named = sorted({m["entity"] for m in mentions if "entity" in m})
        cited_by = sorted({ident for (start, end), ident in spans
                           if start < sentence.end and end > sentence.start})
        listed.append(_sentence_entry(sentence, mentions, named, cited_by))
    return {"doc": doc, "sentences": listed,
            "entities": {ident: {"name": entities[ident]["name"],
                                 "type": entities[ident].get("type")}
                         for ident in sorted({ident for entry in listed
                                              for ident in entry["entities"]})}}


def _sentence_entry(sentence: Sentence, mentions: list[dict], named: list[str],
                    cited_by: list[str]) -> dict:
    shift = sentence.start
    return {"number": sentence.number, "start": sentence.start, "end": sentence.end,
            "text": sentence.text, "entities": named, "cited_by": cited_by,
            "mentions": [{**mention, "start": mention["start"] + shift,
                          "end": mention["end"] + shift} for mention in mentions],
            "todo": len(named) >= 2 and not cited_by}
