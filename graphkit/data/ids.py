"""Record ids: stable names for edges, cohorts, figures, rounds and events.

A record's id is written in its JSON and never derived from its position, so reordering or
editing other records never changes what an id points to.  Ids are lower-case ASCII
kebab-case starting with a letter, at most 80 characters: valid as an XML id (no ``/``,
no leading digit), as exports and the page need.  Ids are unique across every kind of
record in a dataset (entities have their own namespace).
"""

from __future__ import annotations

import re

from graphkit.data.relations import ENTITY_TYPES

RECORD_ID = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
RECORD_ID_LENGTH = 80
_RECORD_ID = re.compile(RECORD_ID)


def is_record_id(text: object) -> bool:
    """Whether ``text`` is a valid record id.

    >>> is_record_id("alice-left-acme"), is_record_id("person-left-company/0")
    (True, False)
    >>> is_record_id("2023-departures"), is_record_id("a" * 81)
    (False, False)
    """
    return (isinstance(text, str) and len(text) <= RECORD_ID_LENGTH
            and _RECORD_ID.match(text) is not None)


def relation_verb(relation: str) -> str:
    """The middle of a relation's name, without the entity types at either end.

    >>> relation_verb("person-left-company"), relation_verb("company-invested-in")
    ('left', 'invested-in')
    >>> relation_verb("product-uses-model")
    'uses'
    """
    words = relation.split("-")
    if len(words) > 1 and words[0] in ENTITY_TYPES:
        words = words[1:]
    if len(words) > 1 and words[-1] in ENTITY_TYPES:
        words = words[:-1]
    return "-".join(words)


def edge_id(relation: str, source: str, target: str, taken=frozenset()) -> str:
    """An id for a new edge, ``SOURCE-VERB-TARGET``, with ``-2``, ``-3`` ... for further
    claims about the same pair (ids in ``taken`` are not reused).

    Derive it once, when the edge is first written; it is stored in the record and never
    recomputed, so later edits to the record do not change it.

    >>> edge_id("person-left-company", "alice", "acme")
    'alice-left-acme'
    >>> edge_id("company-invested-in", "globex", "acme", {"globex-invested-in-acme"})
    'globex-invested-in-acme-2'
    >>> edge_id("person-joined-company", "01-ai-founder", "x")
    'e-01-ai-founder-joined-x'
    """
    base = f"{source}-{relation_verb(relation)}-{target}"
    if not base[0].isalpha():
        base = f"e-{base}"
    base = base[:RECORD_ID_LENGTH - 4].rstrip("-")
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
