"""When an entity starts to exist, as the articles say: its ``founded``, ``announced``,
``released`` or ``launched`` events.

The rule, used by ``--as-of`` everywhere (search, show, neighbors, path, lineage,
investments) and by ``figures``/``timeline``:

- an entity exists from the first day of its earliest such event that is stated or
  reported as fact (a possible, planned or expected release does not count) and whose
  date is a lower bound (``on``, ``circa`` or ``on-or-after``; "on or before 2015" says
  nothing about how early it began);
- as of a date before that day, the entity is not shown: no edge to or from it is in
  effect, so search does not find it, path does not walk through it, and show and
  neighbors say it did not exist yet;
- an entity with no such event is taken to have always existed (never from outside
  knowledge).

An edge's own date counts the same way: a date that is only an upper bound
(``date_bound`` ``on-or-before``: "announced joining on 2023-01-24" for the departure) may
be any time before, so such an edge is in effect at every earlier date (from the day both
its ends exist), like an undated one.  See :func:`effect_start`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from graphkit.data.dates import UNDATED_START, day_span, parse_date
from graphkit.data.facts import BEGINNING_KINDS, COUNTED_MODALITIES


def beginnings(events: Iterable[dict]) -> dict[str, dict]:
    """For each entity with a beginning event (see the module docstring): ``{"date",
    "event", "day"}``, the earliest such event's date and id, and its first day as an
    ordinal.

    >>> events = [{"id": "e1", "entity": "x", "kind": "released", "date": "2023-03"},
    ...           {"id": "e2", "entity": "x", "kind": "announced", "date": "2022",
    ...            "date_bound": "on-or-before"},
    ...           {"id": "e3", "entity": "y", "kind": "founded", "date": "2015",
    ...            "modality": "possible"}]
    >>> found = beginnings(events)
    >>> list(found), found["x"]["date"], found["x"]["event"]
    (['x'], '2023-03', 'e1')
    """
    found: dict[str, dict] = {}
    for event in events:
        if (event.get("kind") not in BEGINNING_KINDS or event.get("date") is None
                or event.get("date_bound") == "on-or-before"
                or (event.get("modality") or "stated") not in COUNTED_MODALITIES):
            continue
        day = parse_date(event["date"]).first_day().toordinal()
        known = found.get(event["entity"])
        if known is None or (day, event["id"]) < (known["day"], known["event"]):
            found[event["entity"]] = {"date": event["date"], "event": event["id"], "day": day}
    return found


def exists_from(events: Iterable[dict]) -> dict[str, dict]:
    """When each entity with a beginning starts to exist: ``{"date", "event"}``, the date
    as the text gives it and the id of the event that says so (entities with none are left
    out: they are taken to have always existed).

    >>> exists_from([{"id": "gpt-4-released", "entity": "gpt-4", "kind": "released",
    ...               "date": "2023-03"}])
    {'gpt-4': {'date': '2023-03', 'event': 'gpt-4-released'}}
    """
    return {ident: {"date": found["date"], "event": found["event"]}
            for ident, found in beginnings(events).items()}


def birth_days(events: Iterable[dict]) -> dict[str, int]:
    """The first day (ordinal) each entity with a beginning is known to exist.

    >>> from datetime import date
    >>> birth_days([{"id": "e", "entity": "x", "kind": "founded", "date": "2015"}]) == {
    ...     "x": date(2015, 1, 1).toordinal()}
    True
    """
    return {ident: found["day"] for ident, found in beginnings(events).items()}


def effect_start(edge: dict, born: Mapping[str, int]) -> int:
    """The first day (ordinal) an edge may be in effect: its date's first day (open when
    undated, or when the date is only an upper bound, ``on-or-before``), and never before
    either end exists (``born``, see :func:`birth_days`).

    >>> from datetime import date
    >>> born = {"openai": date(2015, 1, 1).toordinal()}
    >>> edge = {"source": "ann", "target": "openai", "date": "2014-05"}
    >>> date.fromordinal(effect_start(edge, born))
    datetime.date(2015, 1, 1)
    >>> effect_start({**edge, "date": "2016", "date_bound": "on-or-before"}, {}) == UNDATED_START
    True
    """
    stated = None if edge.get("date_bound") == "on-or-before" else edge.get("date")
    first = day_span(stated, None)[0]
    if born:
        first = max(first, born.get(edge["source"], UNDATED_START),
                    born.get(edge["target"], UNDATED_START))
    return first
