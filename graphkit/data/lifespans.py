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
"""

from __future__ import annotations

from collections.abc import Iterable

from graphkit.data.dates import parse_date

# Events that mark when an entity starts to exist.
BEGINNING_KINDS = ("founded", "announced", "released", "launched")
_COUNTED = ("stated", "reported")


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
                or (event.get("modality") or "stated") not in _COUNTED):
            continue
        day = parse_date(event["date"]).first_day().toordinal()
        known = found.get(event["entity"])
        if known is None or (day, event["id"]) < (known["day"], known["event"]):
            found[event["entity"]] = {"date": event["date"], "event": event["id"], "day": day}
    return found
