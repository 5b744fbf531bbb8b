"""Talent flow: who moved from which company to which, when, and the evidence for each figure.

How the figures are built:

* **Moves of named people** come from each person's dated history.  A departure
  (``person-left-company``), the arrival it led to (``person-joined-company``, or a
  ``person-founded-company`` of the destination) and duplicate reports of either are ONE move
  carrying all their sources.  A departure without a destination is paired with the person's
  next dated arrival (a move inferred from their history, marked ``inferred``); leaving and then
  rejoining the same company is a *return*, listed apart and not counted.  A departure with no
  arrival is a move to an unknown destination (``to`` is ``None``); an arrival without an
  origin or departure is a move from an unknown origin.  Founding a company is a move only
  when it follows a departure; such moves are marked ``founding``.
* **A move's date** is the departure's date, or the arrival's when the departure is undated.
* **Cohorts** (``cohorts.json``) count with their reported size.  A named member's own move on
  the cohort's pair is counted inside the cohort, not again.  A member of a cohort without a
  destination whose own move has a known destination is counted on that pair, and the
  cohort's unknown remainder shrinks by one.  A cohort that lists ``within`` entries
  (``{"cohort": OTHER, "count": N}``; ``count`` defaults to the whole cohort) says that N of
  its people are also among OTHER's; OTHER's remainder shrinks by N so nobody counts twice.
* **Windows** (``since``, ``until``) count a move only when its date, at the precision the
  text gives, lies wholly inside the window (both ends inclusive).  An undated move happened
  before its article was published, so it can still be placed before an ``until``.  Moves that
  may fall in the window but whose dates are too coarse to say are listed as ``uncertain``.

Every function takes either the NetworkX graph or a :class:`FlowData` (what flow reads,
without the rest of the graph): the command line builds the latter straight from the cache,
so it need not read every record and build the whole graph.
"""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from graphkit.dates import PartialDate, parse_date
from graphkit.errors import BadArgument
from graphkit.relations import MOVE_RELATIONS

if TYPE_CHECKING:
    import networkx as nx

LEFT, JOINED, FOUNDED = MOVE_RELATIONS
INVESTED = "company-invested-in"
UNKNOWN = "(unknown)"
_ARRIVALS = (JOINED, FOUNDED)
_RANK = {relation: rank for rank, relation in enumerate(MOVE_RELATIONS)}


# -- what flow reads ----------------------------------------------------------------------


class FlowData:
    """The part of the graph talent flow reads: every edge of a move relation as
    ``(person, company, edge id, edge data)``, ``nodes`` (entity id -> record with ``name``
    and ``type``), ``cohorts``, the ``sources`` registry, and ``investments(company)``
    giving ``(investor, edge id, edge data)`` for each investment into ``company``.

    >>> from graphkit.graph import load_graph
    >>> from graphkit.locate import bundled_data_dir
    >>> data = FlowData.from_graph(load_graph(bundled_data_dir()))
    >>> sorted({edge[3]["relation"] for edge in data.moves}) == sorted(MOVE_RELATIONS)
    True
    """

    def __init__(self, moves: Iterable[tuple[str, str, str, dict]], nodes: Mapping,
                 cohorts: list[dict], sources: dict[str, dict],
                 investments: Callable[[str], Iterable[tuple[str, str, dict]]]):
        self.moves = list(moves)
        self.nodes = nodes
        self.cohorts = cohorts
        self.sources = sources
        self.investments = investments

    @classmethod
    def from_graph(cls, graph: nx.MultiDiGraph) -> FlowData:
        """What flow reads from a graph built by :func:`graphkit.graph.build_graph` (or a
        view of one)."""
        moving = frozenset(MOVE_RELATIONS)
        moves = [edge for edge in graph.edges(keys=True, data=True)
                 if edge[3].get("relation") in moving]

        def investments(company: str) -> list[tuple[str, str, dict]]:
            return [(investor, key, data)
                    for investor, _company, key, data in graph.in_edges(company, keys=True,
                                                                        data=True)
                    if data.get("relation") == INVESTED]

        return cls(moves, graph.nodes, list(graph.graph.get("cohorts", [])),
                   graph.graph.get("sources", {}), investments)

    @classmethod
    def from_store(cls, store) -> FlowData:
        """What flow reads from the cache (:class:`graphkit.store.Store`): the records of
        the move edges and of the entities; investments are read on demand.

        >>> import os, tempfile
        >>> from graphkit.locate import bundled_data_dir
        >>> from graphkit.store import CACHE_ENVIRONMENT, open_store
        >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
        >>> data = FlowData.from_store(open_store(bundled_data_dir()))
        >>> [investor for investor, _key, _data in data.investments("adept")]
        ['greylock']
        """
        with _collector_paused():
            moves = [(record["source"], record["target"], record["id"], record)
                     for record in store.edges_of(MOVE_RELATIONS)]
            entities = store.entities()

        def investments(company: str) -> list[tuple[str, str, dict]]:
            if company not in store.nodes:
                return []
            here = store.index[company]
            incoming = sorted({edge for _other, edge in store.view(relations=(INVESTED,))
                               .around(company) if store.target[edge] == here})
            return [(record["source"], record["id"], record)
                    for record in map(store.edge, incoming)]

        return cls(moves, entities, list(store.cohorts), store.sources, investments)


def _flow_data(source) -> FlowData:
    return source if isinstance(source, FlowData) else FlowData.from_graph(source)


class _Entities:
    """Entity names and records by id, each looked up once (every move's sentence names
    its person and companies)."""

    def __init__(self, nodes: Mapping):
        self._nodes = nodes
        self._known: dict[str, Mapping | None] = {}
        self.names: dict[str | None, str] = {None: UNKNOWN}  # those looked up so far

    def _data(self, ident: str) -> Mapping | None:
        try:
            return self._known[ident]
        except KeyError:
            found = self._known[ident] = self._nodes.get(ident)
            return found

    def name(self, ident: str | None) -> str:
        """The entity's name; an id that names no entity stands for itself."""
        try:
            return self.names[ident]
        except KeyError:
            data = self._data(ident)
            name = self.names[ident] = ident if data is None else data["name"]
            return name

    def records(self, idents: Iterable[str]) -> dict[str, dict]:
        """``{"id", "name", "type"}`` of each of ``idents`` that is an entity, in that order."""
        found = {}
        for ident in idents:
            data = self._data(ident)
            if data is not None:
                found[ident] = {"id": ident, "name": data["name"], "type": data["type"]}
        return found


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while the answer is built, then file what
    survives under the oldest generation.

    An answer at scale is millions of small objects that live on; left to the collector,
    they (and the whole graph, with them) would be rescanned again and again, and even a
    plain pause ends in one long pass over all of them once the collector resumes.
    ``gc.freeze`` + ``gc.unfreeze`` moves them to the oldest generation without a scan
    (unless the caller froze objects on purpose: those must stay frozen).  Rendering is
    paused too: its allocations would otherwise set off full passes over the answer.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


# -- a person's history -------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def _span(text: str) -> tuple[PartialDate, int, int]:
    """A date, and the ordinals of its first and last day (integers compare fastest)."""
    partial = parse_date(text)
    return partial, partial.first_day().toordinal(), partial.last_day().toordinal()


_UNDATED = date.max.toordinal() + 1  # undated events come after every dated one


class _Event:
    """One fact of a person's history, possibly merged from several edges saying the same.

    ``first`` and ``last`` are the ordinals of the first and last day of ``date`` (None
    when undated).
    """

    __slots__ = ("relation", "company", "date", "first", "last", "other", "edges", "sources",
                 "roles", "used", "order")

    def __init__(self, relation: str, company: str, date_text: str | None, other: str | None,
                 edge: str, sources: list[dict], role: str | None):
        self.relation = relation
        self.company = company
        if date_text is None:
            self.date = self.first = self.last = None
        else:
            self.date, self.first, self.last = _span(date_text)
        self.other = other  # the destination of a departure, the origin of a joining
        self.edges = [edge]
        self.sources = sources
        self.roles = [role] if role else []
        self.used = False
        self.order = self._order()

    def _order(self) -> tuple:
        return (_UNDATED if self.date is None else self.first, _RANK[self.relation],
                self.company, self.edges)

    def absorb(self, other: _Event) -> None:
        if self.date is None or (other.date is not None
                                 and other.last - other.first < self.last - self.first):
            self.date, self.first, self.last = other.date, other.first, other.last
        self.other = self.other or other.other
        self.edges += [edge for edge in other.edges if edge not in self.edges]
        self.sources = _merge_sources(self.sources, other.sources)
        self.roles += [role for role in other.roles if role not in self.roles]
        self.order = self._order()


class _Move:
    __slots__ = ("person", "origin", "destination", "departure", "joining", "founding",
                 "inferred", "absorbed_by", "also_in", "events", "date")

    def __init__(self, person: str, origin: str | None, destination: str | None,
                 departure: _Event | None = None, joining: _Event | None = None,
                 founding: _Event | None = None, inferred: str | None = None):
        self.person = person
        self.origin = origin
        self.destination = destination
        self.departure = departure
        self.joining = joining
        self.founding = founding
        self.inferred = inferred
        self.absorbed_by: str | None = None  # the cohort that counts this move
        self.also_in: list[str] = []  # cohorts that name the person too
        self.events = [event for event in (departure, joining, founding) if event]
        self.date = next((event.date for event in self.events if event.date is not None),
                         None)


def _overlap(first: PartialDate | None, second: PartialDate | None) -> bool:
    """Whether two dates may name the same moment (undated is compatible with anything)."""
    if first is None or second is None:
        return True
    return first.first_day() <= second.last_day() and second.first_day() <= first.last_day()


def _events_overlap(first: _Event, second: _Event) -> bool:
    """:func:`_overlap` of two events' dates, from their precomputed days."""
    if first.date is None or second.date is None:
        return True
    return first.first <= second.last and second.first <= first.last


def _not_before(arrival: _Event, departure: _Event) -> bool:
    """An arrival can follow a departure unless it certainly happened earlier."""
    if arrival.date is None or departure.date is None:
        return True
    return arrival.last >= departure.first


def _merge_sources(first: list[dict], second: list[dict]) -> list[dict]:
    seen = {(citation["doc"], citation["quote"]) for citation in first}
    merged = list(first)
    for citation in second:
        if (citation["doc"], citation["quote"]) not in seen:
            seen.add((citation["doc"], citation["quote"]))
            merged.append(citation)
    return merged


def _event_order(event: _Event) -> tuple:
    return event.order


def _histories(data: FlowData) -> dict[str, list[_Event]]:
    """Every person's departures, joinings and foundings, duplicates merged, in date order."""
    raw: dict[str, list[_Event]] = {}
    for person, company, key, edge in data.moves:
        relation = edge["relation"]
        if relation == LEFT:
            other = edge.get("destination")
        elif relation == JOINED:
            other = edge.get("origin")
        else:
            other = None
        event = _Event(relation, company, edge.get("date"), other, key,
                       edge.get("sources", []), edge.get("role"))
        events = raw.get(person)
        if events is None:
            raw[person] = [event]
        else:
            events.append(event)
    histories = {}
    for person, events in raw.items():
        events.sort(key=_event_order)
        histories[person] = _merge_duplicates(events) if len(events) > 1 else events
    return histories


def _merge_duplicates(events: list[_Event]) -> list[_Event]:
    """Merge reports of the same fact, keeping date order (``events`` is in date order).

    An event joins the first kept event of its relation and company whose date and other
    company are compatible with its own.
    """
    kept_by_fact: dict[tuple[str, str], list[_Event]] = {}
    merged: list[_Event] = []
    absorbed = False
    for event in events:
        fact = (event.relation, event.company)
        candidates = kept_by_fact.get(fact)
        if candidates is None:
            kept_by_fact[fact] = [event]
            merged.append(event)
            continue
        for kept in candidates:
            if (_events_overlap(kept, event)
                    and (kept.other is None or event.other is None
                         or kept.other == event.other)):
                kept.absorb(event)
                absorbed = True
                break
        else:
            candidates.append(event)
            merged.append(event)
    if absorbed:  # a merged event may now have a narrower date, so a new place
        merged.sort(key=_event_order)
    return merged


def _person_moves(person: str, history: list[_Event]) -> tuple[list[_Move], list[dict]]:
    """The moves in one person's history, and the returns (left, then rejoined the same).

    Departures are paired in three passes, surest first: by the destination the departure
    names, by the origin a joining names, then by the person's next dated arrival.
    """
    moves: list[_Move] = []
    returns: list[dict] = []
    departures = [event for event in history if event.relation == LEFT]
    for departure in departures:
        departure.used = True
    unpaired = []
    for departure in sorted(departures, key=lambda event: event.other is None):
        left, goal = departure.company, departure.other
        joining = None
        if goal is not None:
            joining = _claim(history, JOINED, goal, after=departure, origins=(None, left))
        else:
            joining = _claim(history, JOINED, after=departure, origins=(left,), not_at=left)
            if joining is None:
                unpaired.append(departure)
                continue
            goal = joining.company
        founding = _claim(history, FOUNDED, goal, after=departure)
        moves.append(_Move(person, left, goal, departure, joining, founding))
    for departure in unpaired:
        left = departure.company
        following = _next_arrival(history, departure)
        if following is None:
            moves.append(_Move(person, left, None, departure))
            continue
        following.used = True
        if following.company == left:
            returns.append({"person": person, "company": left,
                            "left": departure.date.text, "rejoined": following.date.text,
                            "edges": departure.edges + following.edges,
                            "sources": _merge_sources(departure.sources, following.sources)})
            continue
        if following.relation == FOUNDED:
            joining, founding = None, following
        else:
            joining = following
            founding = _claim(history, FOUNDED, following.company, after=departure)
        moves.append(_Move(person, left, following.company, departure, joining, founding,
                           inferred="the departure names no destination; the next event in "
                                    "the person's dated history is this arrival"))
    for joining in history:
        if joining.relation == JOINED and not joining.used:
            joining.used = True
            founding = _claim(history, FOUNDED, joining.company, around=joining)
            moves.append(_Move(person, joining.other, joining.company, None, joining, founding))
    return moves, returns


def _claim(events: list[_Event], relation: str, company: str | None = None, *,
           after: _Event | None = None, around: _Event | None = None,
           origins: tuple = (), not_at: str | None = None) -> _Event | None:
    """The first unused event of ``relation`` (at ``company``, not certainly before ``after``,
    at a date compatible with ``around``, naming one of ``origins``), marked used."""
    for event in events:
        if (event.used or event.relation != relation
                or (company is not None and event.company != company)
                or (not_at is not None and event.company == not_at)
                or (origins and event.other not in origins)
                or (after is not None and not _not_before(event, after))
                or (around is not None and not _events_overlap(event, around))):
            continue
        event.used = True
        return event
    return None


def _next_arrival(history: list[_Event], departure: _Event) -> _Event | None:
    """The person's very next dated event after a departure that names no destination, when
    that event is an arrival (a joining that names no other origin, or a founding)."""
    if departure.date is None:
        return None
    # The history is in date order, so the first later event is the earliest.
    following = next((event for event in history if event is not departure
                      and event.date is not None and _not_before(event, departure)), None)
    if following is None or following.used or following.relation not in _ARRIVALS:
        return None
    if following.relation == JOINED and following.other not in (None, departure.company):
        return None
    return following


# -- counting units: a named person's move, or a cohort -----------------------------------


class _Unit:
    __slots__ = ("origin", "destination", "count", "foundings", "people", "date", "sources",
                 "record")

    def __init__(self, origin: str | None, destination: str | None, count: int,
                 foundings: int, people: list[str], date: PartialDate | None,
                 sources: list[dict], record: dict):
        self.origin = origin
        self.destination = destination
        self.count = count
        self.foundings = foundings
        self.people = people
        self.date = date
        self.sources = sources
        self.record = record


def _move_record(entities: _Entities, move: _Move) -> dict:
    events = move.events
    if len(events) == 1:
        [event] = events
        # An event belongs to one move only: its lists can be the record's own.
        relations, edges, roles = [event.relation], event.edges, event.roles
        cited = event.sources
        sources = list(cited) if len(cited) < 2 else _merge_sources([], cited)
    else:
        # A move's events are its departure, joining and founding, in that order: one of
        # each relation at most, so already in the order of MOVE_RELATIONS.
        relations = [event.relation for event in events]
        edges = [edge for event in events for edge in event.edges]
        roles = [role for event in events for role in event.roles]
        sources = []
        for event in events:
            sources = _merge_sources(sources, event.sources)
    departure, joining, founding = move.departure, move.joining, move.founding
    origin, destination = move.origin, move.destination
    when = move.date.text if move.date is not None else None
    known, lookup = entities.names, entities.name

    def name(ident: str | None) -> str:
        return known.get(ident) or lookup(ident)

    person = name(move.person)
    if origin is None:
        text = f"{person} joined {name(destination)} (origin unknown)"
    elif destination is None:
        text = f"{person} left {name(origin)} (destination unknown)"
    elif founding is not None:
        text = f"{person} left {name(origin)} and founded {name(destination)}"
    else:
        text = f"{person} moved from {name(origin)} to {name(destination)}"
    return {
        "kind": "person", "person": move.person, "from": origin, "to": destination,
        "count": 1, "date": when,
        "left": departure.date.text if departure and departure.date else None,
        "joined": joining.date.text if joining and joining.date else None,
        "founded": founding.date.text if founding and founding.date else None,
        "founding": founding is not None, "foundings": int(founding is not None),
        "relations": relations, "edges": edges, "roles": roles,
        "sources": sources, "inferred": move.inferred,
        "also_in": sorted(move.also_in), "text": f"{text} ({when or 'undated'})",
    }


def _cohort_units(entities: _Entities, cohorts: list[dict], moves: list[_Move]) -> list[_Unit]:
    """One unit per cohort, absorbing its members' own moves on its pair."""
    members_named = {member for cohort in cohorts for member in cohort.get("members", [])}
    by_person: dict[str, list[_Move]] = {}
    for move in moves:
        if move.person in members_named:
            by_person.setdefault(move.person, []).append(move)
    declared: dict[str, list[dict]] = {}  # outer cohort -> overlaps other cohorts declare
    for cohort in cohorts:
        for entry in cohort.get("within", []):
            declared.setdefault(entry["cohort"], []).append(
                {"cohort": cohort["id"], "count": entry.get("count", cohort["count"]),
                 "members": set(cohort.get("members", []))})
    # Cohorts that name a destination claim their members' moves before those that do not.
    ordered = sorted(cohorts, key=lambda c: (c.get("to") is None, c.get("from") is None, c["id"]))
    absorbed: dict[str, list[_Move]] = {cohort["id"]: [] for cohort in cohorts}
    resolved: dict[str, list[_Move]] = {cohort["id"]: [] for cohort in cohorts}
    for cohort in ordered:
        origin, destination = cohort.get("from"), cohort.get("to")
        cohort_date = _parse(cohort.get("date"))
        for member in cohort.get("members", []):
            for move in by_person.get(member, []):
                if not _overlap(move.date, cohort_date):
                    continue
                if origin is not None and move.origin != origin:
                    continue
                if destination is not None and move.destination != destination:
                    continue
                if origin is None and destination is None:
                    continue
                exact = move.origin == origin and move.destination == destination
                if exact and move.absorbed_by is None:
                    move.absorbed_by = cohort["id"]
                    absorbed[cohort["id"]].append(move)
                    break
                if not exact:
                    move.also_in.append(cohort["id"])
                    resolved[cohort["id"]].append(move)
                    break
    units = []
    for cohort in cohorts:
        ident = cohort["id"]
        overlaps = [{"cohort": entry["cohort"], "count": entry["count"]}
                    for entry in declared.get(ident, [])]
        counted_elsewhere = {member for entry in declared.get(ident, [])
                             for member in entry["members"]}
        resolved_here = [move for move in resolved[ident] if move.person not in counted_elsewhere]
        count = cohort["count"] - len(resolved_here) - sum(e["count"] for e in overlaps)
        count = max(count, 0)
        if count == 0 or (cohort.get("from") is None and cohort.get("to") is None):
            continue
        member_records = [_move_record(entities, move) for move in absorbed[ident]]
        founding = cohort["relation"] == FOUNDED
        foundings = count if founding else min(count, sum(r["founding"] for r in member_records))
        resolved_people = {move.person for move in resolved[ident]}
        people = sorted(member for member in cohort.get("members", [])
                        if member not in resolved_people)
        sources = list(cohort["sources"])
        for member_record in member_records:
            sources = _merge_sources(sources, member_record["sources"])
        record = {
            "kind": "cohort", "cohort": ident, "from": cohort.get("from"),
            "to": cohort.get("to"), "count": count, "reported": cohort["count"],
            "date": cohort.get("date"), "founding": founding, "foundings": foundings,
            "relations": [cohort["relation"]], "people": people, "members": member_records,
            "resolved": [{"person": move.person, "from": move.origin, "to": move.destination,
                          "date": move.date.text if move.date else None}
                         for move in resolved_here],
            "overlaps": overlaps, "within": list(cohort.get("within", [])),
            "note": cohort.get("note") or cohort.get("description"),
            "sources": sources, "cohort_sources": list(cohort["sources"]),
        }
        record["text"] = _cohort_sentence(entities, record)
        units.append(_Unit(cohort.get("from"), cohort.get("to"), count, foundings, people,
                           _parse(cohort.get("date")), sources, record))
    return units


def _parse(text: str | None) -> PartialDate | None:
    return None if text is None else parse_date(text)


def _cohort_sentence(entities: _Entities, record: dict) -> str:
    name = entities.name
    origin = name(record["from"])
    if record["to"] is None:
        whither = ("to found companies not named" if record["founding"]
                   else "for destinations not named")
    else:
        whither = f"{'and founded' if record['founding'] else 'for'} {name(record['to'])}"
    text = (f"{record['count']} people joined {name(record['to'])} from an origin not "
            f"named" if record["from"] is None else f"{record['count']} people left {origin} "
            f"{whither}")
    if record["count"] != record["reported"]:
        text += f" (reported {record['reported']}; the rest are counted elsewhere)"
    return f"{text} [cohort {record['cohort']}] ({record['date'] or 'undated'})"


def _units(data: FlowData, entities: _Entities) -> tuple[list[_Unit], list[dict]]:
    """Every counting unit in the data, and every return (not counted)."""
    moves: list[_Move] = []
    returns: list[dict] = []
    for person, history in sorted(_histories(data).items()):
        person_moves, person_returns = _person_moves(person, history)
        moves += [move for move in person_moves if move.origin != move.destination]
        returns += person_returns
    units = _cohort_units(entities, data.cohorts, moves)
    for move in moves:
        if move.absorbed_by is None:
            record = _move_record(entities, move)
            units.append(_Unit(move.origin, move.destination, 1, record["foundings"],
                               [move.person], move.date, record["sources"], record))
    return units, returns


# -- windows --------------------------------------------------------------------------------


def _published_bound(registry: dict[str, dict], sources: list[dict]) -> int | None:
    """The last day (ordinal) by which an undated event had happened: its earliest
    article's date."""
    days = [_span(registry[c["doc"]]["published"])[2]
            for c in sources if registry.get(c["doc"], {}).get("published")]
    return min(days) if days else None


def _window_days(since: PartialDate | None, until: PartialDate | None,
                 ) -> tuple[int | None, int | None]:
    """The ordinals of the window's first and last day (None when open)."""
    return (since.first_day().toordinal() if since else None,
            until.last_day().toordinal() if until else None)


def _placement(registry: dict[str, dict], unit: _Unit, window: tuple[int | None, int | None],
               ) -> str:
    """``in`` the window (see :func:`_window_days`), certainly ``out`` of it, or
    ``uncertain`` (the date is too coarse)."""
    start, end = window
    if start is None and end is None:
        return "in"
    if unit.date is not None:
        _partial, earliest, latest = _span(unit.date.text)
    else:
        earliest, latest = None, _published_bound(registry, unit.sources)
    if ((start is not None and latest is not None and latest < start)
            or (end is not None and earliest is not None and earliest > end)):
        return "out"
    inside = ((start is None or (earliest is not None and earliest >= start))
              and (end is None or (latest is not None and latest <= end)))
    return "in" if inside else "uncertain"


def _check_window(since: PartialDate | None, until: PartialDate | None) -> None:
    if since and until and since.first_day() > until.last_day():
        raise BadArgument(f"the window is empty: since {since.text} is after until {until.text}")


# -- the analysis ---------------------------------------------------------------------------


def _unit_order(unit: _Unit) -> tuple:
    record = unit.record
    return (record["date"] or "9999", record["kind"], record.get("cohort") or record["person"])


def _key(ident: str | None) -> tuple:
    return (ident is None, ident or "")


def compute_flow(graph: nx.MultiDiGraph | FlowData, since: PartialDate | None = None,
                 until: PartialDate | None = None, from_companies=(), to_companies=(),
                 top: int | None = None) -> dict:
    """The talent-flow matrix, per-company balance and two-way balances, as plain data.

    ``graph`` is the NetworkX graph or a :class:`FlowData`.

    ``pairs``: one entry per ordered pair (``from``/``to`` are ids, ``None`` when unknown)
    with ``moves`` (cohorts counted with their size), ``foundings``, ``people`` (named person
    ids), ``cohorts`` and ``moves_detail``: each counted move (``kind`` ``person``) or cohort
    (``kind`` ``cohort``) with ``count``, ``date``, ``relations``, ``sources`` and ``text``; a
    cohort also lists its absorbed ``members`` (their own moves), the people ``resolved`` onto
    other pairs, the ``overlaps`` subtracted, and ``cohort_sources`` (its own quotes; ``sources``
    adds its members').  ``companies``: ``inflow``, ``outflow``, ``net``, the unknown parts
    of each, ``top_destinations`` and ``top_origins``.  ``balance``: each pair of known
    companies both ways, the larger direction first, with ``ratio`` (``None`` when nothing
    moved back).  ``uncertain``: moves that may fall in the window but cannot be placed;
    ``returns``: people who left and rejoined the same company (not counted).  ``top``
    keeps only the N largest pairs, companies, balances and top lists.

    >>> from graphkit.graph import load_graph
    >>> from graphkit.locate import bundled_data_dir
    >>> flow = compute_flow(load_graph(bundled_data_dir()))
    >>> [(p["moves"], p["people"]) for p in flow["pairs"]
    ...  if (p["from"], p["to"]) == ("openai", "anthropic")]
    [(11, ['daniela-amodei', 'dario-amodei'])]
    """
    _check_window(since, until)
    with _collector_paused():
        data = _flow_data(graph)
        return _compute_flow(data, _Entities(data.nodes), since, until, from_companies,
                             to_companies, top)


def _compute_flow(data: FlowData, entities: _Entities, since: PartialDate | None,
                  until: PartialDate | None, from_companies, to_companies,
                  top: int | None) -> dict:
    wanted_from, wanted_to = frozenset(from_companies), frozenset(to_companies)

    def selected(origin, destination) -> bool:
        return ((not wanted_from or origin in wanted_from)
                and (not wanted_to or destination in wanted_to))

    units, returns = _units(data, entities)
    if since is None and until is None:
        in_window, uncertain = units, []
    else:
        in_window, uncertain = [], []
        window = _window_days(since, until)
        for unit in units:
            placement = _placement(data.sources, unit, window)
            if placement == "in":
                in_window.append(unit)
            elif placement == "uncertain" and selected(unit.origin, unit.destination):
                uncertain.append(unit)
    if wanted_from or wanted_to:
        counted = [unit for unit in in_window if selected(unit.origin, unit.destination)]
    else:
        counted = in_window
    pairs = _pairs(counted)
    companies = _companies(pairs, top)
    balance = _balance(in_window, selected if wanted_from or wanted_to else None)
    idents = _unit_entities(counted)
    idents.update(_unit_entities(uncertain))
    entity_records = entities.records(sorted(idents))
    entity_records.update(entities.records(r["person"] for r in returns))
    limit = (lambda items: items[:top]) if top else (lambda items: items)
    moves = foundings = to_unknown = from_unknown = 0
    named: set[str] = set()
    for unit in counted:
        moves += unit.count
        foundings += unit.foundings
        named.update(unit.people)
        if unit.destination is None:
            to_unknown += unit.count
        if unit.origin is None:
            from_unknown += unit.count
    return {
        "window": {"since": since.text if since else None, "until": until.text if until else None},
        "filters": {"from": sorted(wanted_from), "to": sorted(wanted_to)},
        "totals": {
            "moves": moves,
            "foundings": foundings,
            "named_people": len(named),
            "to_unknown": to_unknown,
            "from_unknown": from_unknown,
            "pairs": len(pairs),
            "uncertain": sum(unit.count for unit in uncertain),
        },
        "pairs": limit(pairs),
        "companies": limit(companies),
        "balance": limit(balance),
        "uncertain": [unit.record for unit in sorted(uncertain, key=_unit_order)],
        "returns": sorted((r for r in returns if selected(r["company"], r["company"])),
                          key=lambda r: (r["person"], r["left"])),
        "entities": entity_records,
    }


def _pairs(units: list[_Unit]) -> list[dict]:
    grouped: dict[tuple, list[_Unit]] = {}
    for unit in units:
        pair = (unit.origin, unit.destination)
        members = grouped.get(pair)
        if members is None:
            grouped[pair] = [unit]
        else:
            members.append(unit)
    pairs = []
    for (origin, destination), members in grouped.items():
        if len(members) == 1:
            [unit] = members
            record = unit.record
            pairs.append({
                "from": origin, "to": destination, "moves": unit.count,
                "foundings": unit.foundings,
                "people": list(unit.people) if len(unit.people) < 2 else sorted(set(unit.people)),
                "cohorts": [record["cohort"]] if record["kind"] == "cohort" else [],
                "moves_detail": [record],
            })
            continue
        members.sort(key=_unit_order)
        pairs.append({
            "from": origin, "to": destination,
            "moves": sum(unit.count for unit in members),
            "foundings": sum(unit.foundings for unit in members),
            "people": sorted({person for unit in members for person in unit.people}),
            "cohorts": sorted(unit.record["cohort"] for unit in members
                              if unit.record["kind"] == "cohort"),
            "moves_detail": [unit.record for unit in members],
        })
    pairs.sort(key=lambda p: (-p["moves"], p["from"] is None, p["from"] or "",
                              p["to"] is None, p["to"] or ""))
    return pairs


def _companies(pairs: list[dict], top: int | None) -> list[dict]:
    """Each company's inflow and outflow, from the pairs (ranked as :func:`_pairs` returns
    them, so each company's top destinations and origins come already in order)."""
    stats: dict[str, dict] = {}
    for pair in pairs:
        origin, destination, moves = pair["from"], pair["to"], pair["moves"]
        if origin is not None:
            out = stats.get(origin) or stats.setdefault(origin, _company_entry(origin))
            out["outflow"] += moves
            if destination is None:
                out["outflow_unknown"] += moves
            out["top_destinations"].append({"company": destination, "moves": moves})
        if destination is not None:
            into = stats.get(destination) or stats.setdefault(destination,
                                                              _company_entry(destination))
            into["inflow"] += moves
            if origin is None:
                into["inflow_unknown"] += moves
            into["foundings_in"] += pair["foundings"]
            into["top_origins"].append({"company": origin, "moves": moves})
    companies = []
    for stat in stats.values():
        stat["net"] = stat["inflow"] - stat["outflow"]
        # Popped and put back: after "net", as the keys have always come.
        stat["top_destinations"] = stat.pop("top_destinations")[:top]
        stat["top_origins"] = stat.pop("top_origins")[:top]
        companies.append(stat)
    companies.sort(key=lambda c: (-(c["inflow"] + c["outflow"]), c["company"]))
    return companies


def _company_entry(ident: str) -> dict:
    return {"company": ident, "inflow": 0, "outflow": 0, "inflow_unknown": 0,
            "outflow_unknown": 0, "foundings_in": 0, "top_destinations": [], "top_origins": []}


def _balance(units: list[_Unit], selected) -> list[dict]:
    counts: dict[tuple[str, str], int] = {}
    for unit in units:
        if unit.origin is not None and unit.destination is not None:
            pair = (unit.origin, unit.destination)
            counts[pair] = counts.get(pair, 0) + unit.count
    balance = []
    # Each unordered pair once; the final sort is a total order, so no need to sort here.
    unordered = {(first, second) if first <= second else (second, first)
                 for first, second in counts}
    for first, second in unordered:
        if selected is not None and not (selected(first, second) or selected(second, first)):
            continue
        forward, backward = counts.get((first, second), 0), counts.get((second, first), 0)
        if backward > forward:
            first, second, forward, backward = second, first, backward, forward
        balance.append({"a": first, "b": second, "a_to_b": forward, "b_to_a": backward,
                        "total": forward + backward,
                        "ratio": round(forward / backward, 2) if backward else None})
    balance.sort(key=lambda b: (-b["total"], -b["a_to_b"], b["a"], b["b"]))
    return balance


def _unit_entities(units: list[_Unit]) -> set[str]:
    idents: set[str] = set()
    for unit in units:
        if unit.origin:
            idents.add(unit.origin)
        if unit.destination:
            idents.add(unit.destination)
        idents.update(unit.people)
        for member in unit.record.get("members", ()):
            idents.add(member["person"])
    return idents


# -- tracing one figure, and alumni --------------------------------------------------------


def explain_flow(graph: nx.MultiDiGraph | FlowData, origin: str | None,
                 destination: str | None, since: PartialDate | None = None,
                 until: PartialDate | None = None) -> dict:
    """Every move and cohort behind the figure ``origin`` → ``destination`` (``None`` is
    unknown), with their sources, the figure the other way and their ratio.

    ``moves`` is 0 when nothing moved that way in the window.

    >>> from graphkit.graph import load_graph
    >>> from graphkit.locate import bundled_data_dir
    >>> answer = explain_flow(load_graph(bundled_data_dir()), "openai", "google")
    >>> answer["moves"], [m["person"] for m in answer["moves_detail"]], answer["back"]
    (1, ['david-luan'], 9)
    """
    _check_window(since, until)
    with _collector_paused():
        data = _flow_data(graph)
        entities = _Entities(data.nodes)
        flow = _compute_flow(data, entities, since, until, (), (), None)
    pair = _find_pair(flow["pairs"], origin, destination)
    back = _find_pair(flow["pairs"], destination, origin) if origin and destination else None
    moves = pair["moves"] if pair else 0
    returned = back["moves"] if back else 0
    uncertain = [record for record in flow["uncertain"]
                 if (record["from"], record["to"]) == (origin, destination)]
    return {
        "from": origin, "to": destination, "window": flow["window"],
        "moves": moves, "foundings": pair["foundings"] if pair else 0,
        "people": pair["people"] if pair else [], "cohorts": pair["cohorts"] if pair else [],
        "moves_detail": pair["moves_detail"] if pair else [],
        "back": returned if origin and destination else None,
        "back_detail": back["moves_detail"] if back else [],
        "ratio": round(moves / returned, 2) if returned else None,
        "uncertain": uncertain,
        "entities": {**flow["entities"],
                     **entities.records(i for i in (origin, destination) if i is not None)},
    }


def _find_pair(pairs: list[dict], origin, destination) -> dict | None:
    return next((p for p in pairs if (p["from"], p["to"]) == (origin, destination)), None)


def alumni(graph: nx.MultiDiGraph | FlowData, company: str, since: PartialDate | None = None,
           until: PartialDate | None = None) -> dict:
    """Companies founded by people who left ``company``: founders, cohorts and investors.

    A person is an alumnus from the moment they left ``company`` (directly or by way of
    other jobs); every company they founded afterwards counts, with ``via`` naming the
    companies in between.  Cohorts that left ``company`` to found companies count with their
    size (``company`` is ``None`` when the article does not name the companies).  The window
    applies to the founding.  ``graph`` is the NetworkX graph or a :class:`FlowData`.

    >>> from graphkit.graph import load_graph
    >>> from graphkit.locate import bundled_data_dir
    >>> result = alumni(load_graph(bundled_data_dir()), "openai")
    >>> [(entry["company"], entry["people"]) for entry in result["founded"]][:2]
    [(None, 19), ('anthropic', 11)]
    """
    _check_window(since, until)
    with _collector_paused():
        data = _flow_data(graph)
        return _alumni(data, _Entities(data.nodes), company, since, until)


def _alumni(data: FlowData, entities: _Entities, company: str, since: PartialDate | None,
            until: PartialDate | None) -> dict:
    units, _returns = _units(data, entities)
    chains = _departure_chains(units, company)
    window = _window_days(since, until)
    founded: dict[str | None, dict] = {}

    def entry(ident: str | None) -> dict:
        return founded.setdefault(ident, {"company": ident, "founders": [], "cohorts": [],
                                          "investors": []})

    for unit in units:
        record = unit.record
        if (record["kind"] == "cohort" and record["founding"] and unit.origin == company
                and _placement(data.sources, unit, window) == "in"):
            entry(unit.destination)["cohorts"].append(
                {key: record[key] for key in ("cohort", "count", "reported", "date",
                                              "people", "text")}
                | {"sources": record["cohort_sources"]})
    foundings: dict[str, list[tuple[str, str, dict]]] = {}
    for person, target, key, edge in data.moves:
        if person in chains and edge["relation"] == FOUNDED:
            foundings.setdefault(person, []).append((target, key, edge))
    for person, (left, path) in sorted(chains.items()):
        for target, key, edge in foundings.get(person, ()):
            if target == company:
                continue
            founded_on = _parse(edge.get("date"))
            if founded_on is not None and left is not None and founded_on.last_day() < left:
                continue
            probe = _Unit(None, target, 1, 1, [person], founded_on, edge.get("sources", []), {})
            if _placement(data.sources, probe, window) != "in":
                continue
            entry(target)["founders"].append({
                "person": person, "date": edge.get("date"), "edge": key,
                "via": path[:path.index(target)] if target in path else path,
                "sources": list(edge.get("sources", []))})
    for ident, item in founded.items():
        item["founders"].sort(key=lambda f: f["person"])
        named_in_cohorts = {p for cohort in item["cohorts"] for p in cohort["people"]}
        item["people"] = (sum(cohort["count"] for cohort in item["cohorts"])
                          + len({f["person"] for f in item["founders"]} - named_in_cohorts))
        if ident is not None:
            item["investors"] = _investors(data, ident)
    ordered = sorted(founded.values(), key=lambda e: (-e["people"], _key(e["company"])))
    idents = {company} | {e["company"] for e in ordered if e["company"]}
    idents |= {f["person"] for e in ordered for f in e["founders"]}
    idents |= {i["investor"] for e in ordered for i in e["investors"]}
    idents |= {step for e in ordered for f in e["founders"] for step in f["via"]}
    return {"company": company, "window": {"since": since.text if since else None,
                                           "until": until.text if until else None},
            "founded": ordered, "people": sum(e["people"] for e in ordered),
            "entities": entities.records(sorted(idents))}


def _departure_chains(units: list[_Unit], company: str) -> dict[str, tuple[date | None, list]]:
    """For each person who left ``company``: when (first day, if dated) and where they
    went afterwards, in order."""
    moves: dict[str, list[dict]] = {}
    for unit in units:
        for record in [unit.record, *unit.record.get("members", [])]:
            if record["kind"] == "person":
                moves.setdefault(record["person"], []).append(record)
    chains = {}
    for person, records in moves.items():
        records.sort(key=lambda r: r["date"] or "9999")
        for position, record in enumerate(records):
            if record["from"] == company:
                left = _parse(record["date"])
                path = [r["to"] for r in records[position:] if r["to"] is not None]
                chains[person] = (left.first_day() if left else None, path)
                break
    return chains


def _investors(data: FlowData, company: str) -> list[dict]:
    found = [{"investor": investor, "edge": key, "date": edge.get("date"),
              "amount": (edge.get("amount") or {}).get("as_stated"),
              "round": edge.get("round"), "status": edge.get("status"),
              "sources": list(edge.get("sources", []))}
             for investor, key, edge in data.investments(company)]
    return sorted(found, key=lambda i: (i["investor"], i["date"] or "", i["edge"]))


# -- rendering (text and CSV; JSON is the result itself) -----------------------------------


def ratio_text(ratio: float | None) -> str:
    """A ratio as text, ``∞`` when nothing went the other way.

    >>> ratio_text(9.0), ratio_text(None), ratio_text(1.5)
    ('9×', '∞', '1.5×')
    """
    return "∞" if ratio is None else f"{ratio:g}×"


def _people_text(names: dict, people: list[str], moves: int, limit: int = 3) -> str:
    shown = [names.get(person, person) for person in people[:limit]]
    more = len(people) - limit if len(people) > limit else 0
    unnamed = max(moves - len(people), 0)
    extra = [f"+{more} more named"] if more else []
    extra += [f"+{unnamed} unnamed"] if unnamed else []
    if not shown:
        return f"{unnamed} unnamed"
    return ", ".join(shown) + (f" ({', '.join(extra)})" if extra else "")


def _names(result: dict) -> dict[str | None, str]:
    names: dict[str | None, str] = {ident: e["name"] for ident, e in result["entities"].items()}
    names[None] = UNKNOWN
    return names


def _window_text(window: dict) -> str:
    since, until = window["since"], window["until"]
    if since and until:
        return f"{since} to {until}"
    if since:
        return f"since {since}"
    return f"until {until}" if until else "all dates"


@_collector_paused()
def flow_text(result: dict) -> str:
    """The ranked pairs, the per-company balance and the two-way balances as text tables."""
    from graphkit.output import table

    names = _names(result)
    totals = result["totals"]
    lines = [f"Talent flow, {_window_text(result['window'])}: {totals['moves']} moves, of which "
             f"{totals['foundings']} foundings, {totals['to_unknown']} to an unknown "
             f"destination and {totals['from_unknown']} from an unknown origin"]
    if not result["pairs"]:
        lines.append("no moves")
    else:
        lines += ["", table(["#", "from", "to", "moves", "foundings", "people"], [
            [rank, names[p["from"]], names[p["to"]], p["moves"], p["foundings"],
             _people_text(names, p["people"], p["moves"])]
            for rank, p in enumerate(result["pairs"], 1)])]
    if result["companies"]:
        lines += ["", "Per company (net = inflow − outflow):", table(
            ["company", "inflow", "outflow", "net", "unknown out", "top destinations",
             "top origins"],
            [[names[c["company"]], c["inflow"], c["outflow"], c["net"],
              c["outflow_unknown"], _top_text(names, c["top_destinations"]),
              _top_text(names, c["top_origins"])] for c in result["companies"]])]
    if result["balance"]:
        lines += ["", "Both ways (A→B against B→A):", table(
            ["A", "B", "A→B", "B→A", "ratio"],
            [[names[b["a"]], names[b["b"]], b["a_to_b"], b["b_to_a"], ratio_text(b["ratio"])]
             for b in result["balance"]])]
    if totals["uncertain"] or result["returns"]:
        lines.append("")
    if totals["uncertain"]:
        lines += [f"Not counted: {totals['uncertain']} moves may fall in this window but "
                      "their dates are too coarse to say (see --json, key 'uncertain')."]
    for back in result["returns"]:
        lines.append(f"Not counted: {names.get(back['person'], back['person'])} left and "
                     f"rejoined {names.get(back['company'], back['company'])} "
                     f"({back['left']} → {back['rejoined']}).")
    lines += ["", "Trace a figure: graphkit flow --explain FROM TO (either may be 'unknown')."]
    return "\n".join(lines)


def _top_text(names: dict, ranked: list[dict], limit: int = 3) -> str:
    return ", ".join(f"{names[item['company']]} {item['moves']}" for item in ranked[:limit])


def _detail_lines(names: dict, record: dict, indent: str) -> list[str]:
    from graphkit.output import citation_text

    lines = [f"{indent}{record['text']}"]
    deeper = indent + "    "
    if record.get("inferred"):
        lines.append(f"{deeper}inferred: {record['inferred']}")
    if record.get("also_in"):
        lines.append(f"{deeper}also named in cohort(s): {', '.join(record['also_in'])}")
    if record["kind"] == "cohort":
        if record["people"]:
            lines.append(f"{deeper}named: "
                         + ", ".join(names.get(p, p) for p in record["people"]))
        for overlap in record["overlaps"]:
            lines.append(f"{deeper}{overlap['count']} of them counted in cohort "
                         f"{overlap['cohort']}")
        for moved in record["resolved"]:
            lines.append(f"{deeper}{names.get(moved['person'], moved['person'])} counted on "
                         f"{names[moved['from']]} → {names[moved['to']]}")
    own = record["cohort_sources"] if record["kind"] == "cohort" else record["sources"]
    lines += [deeper + citation_text(citation, 100) for citation in own]
    for member in record.get("members", []):
        lines += _detail_lines(names, member, deeper)
    return lines


@_collector_paused()
def explain_text(result: dict) -> str:
    """The moves behind one figure, each with its sources."""
    names = _names(result)
    origin, destination = names[result["from"]], names[result["to"]]
    head = f"{origin} → {destination}: {result['moves']} moves ({result['foundings']} foundings)"
    if result["back"] is not None:
        head += f"; {destination} → {origin}: {result['back']}"
        if result["moves"]:
            head += f"; ratio {ratio_text(result['ratio'])}"
    lines = [f"{head} [{_window_text(result['window'])}]"]
    for number, record in enumerate(result["moves_detail"], 1):
        lines += _detail_lines(names, record, f"{number:>2}. ")[:1]
        lines += _detail_lines(names, record, "    ")[1:]
    if result["back_detail"]:
        lines += ["", f"The other way, {destination} → {origin}:"]
        for record in result["back_detail"]:
            lines += _detail_lines(names, record, "  - ")[:1]
            lines += _detail_lines(names, record, "    ")[1:]
    if result["uncertain"]:
        lines += ["", "Not counted (date too coarse for the window):"]
        for record in result["uncertain"]:
            lines.append(f"  - {record['text']}")
    return "\n".join(lines)


@_collector_paused()
def alumni_text(result: dict) -> str:
    """Companies founded by a company's alumni, their founders and investors."""
    from graphkit.output import citation_text

    names = _names(result)
    lines = [f"Companies founded by people who left {names[result['company']]} "
             f"({_window_text(result['window'])}): {len(result['founded'])}"]
    for item in result["founded"]:
        title = names[item["company"]] if item["company"] else "(companies not named)"
        lines += ["", f"{title}: {item['people']} founder(s)"]
        for cohort in item["cohorts"]:
            lines.append(f"  cohort {cohort['cohort']}: {cohort['count']} people"
                         + (f" (reported {cohort['reported']})"
                            if cohort["count"] != cohort["reported"] else ""))
            lines += ["      " + citation_text(c, 100) for c in cohort["sources"]]
        for founder in item["founders"]:
            via = f", via {', '.join(names[s] for s in founder['via'])}" if founder["via"] else ""
            lines.append(f"  {names[founder['person']]} ({founder['date'] or 'undated'}{via})")
            lines += ["      " + citation_text(c, 100) for c in founder["sources"]]
        for investor in item["investors"]:
            amount = f" {investor['amount']}" if investor["amount"] else ""
            lines.append(f"  investor: {names[investor['investor']]}{amount} "
                         f"({investor['date'] or 'undated'})")
    return "\n".join(lines)


CSV_COLUMNS = ("from", "from_name", "to", "to_name", "moves", "foundings", "people",
               "person_ids", "cohorts")


@_collector_paused()
def flow_csv(result: dict) -> str:
    """The flow matrix in long form: one CSV row per ordered pair (empty id = unknown).

    >>> print(flow_csv({"entities": {}, "pairs": [{"from": "a", "to": None, "moves": 2,
    ...       "foundings": 0, "people": [], "cohorts": ["c"]}]}).strip())
    from,from_name,to,to_name,moves,foundings,people,person_ids,cohorts
    a,a,,(unknown),2,0,,,c
    """
    names = _names(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for pair in result["pairs"]:
        writer.writerow([pair["from"] or "", names.get(pair["from"], pair["from"]),
                         pair["to"] or "", names.get(pair["to"], pair["to"]),
                         pair["moves"], pair["foundings"],
                         "; ".join(names.get(p, p) for p in pair["people"]),
                         "; ".join(pair["people"]), "; ".join(pair["cohorts"])])
    return buffer.getvalue()
