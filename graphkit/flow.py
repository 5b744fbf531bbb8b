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
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

import networkx as nx

from graphkit.dates import PartialDate
from graphkit.errors import BadArgument
from graphkit.relations import MOVE_RELATIONS

LEFT, JOINED, FOUNDED = MOVE_RELATIONS
UNKNOWN = "(unknown)"
_ARRIVALS = (JOINED, FOUNDED)


# -- a person's history -------------------------------------------------------------------


@dataclass
class _Event:
    """One fact of a person's history, possibly merged from several edges saying the same."""

    relation: str
    company: str
    date: PartialDate | None
    other: str | None  # the destination of a departure, the origin of a joining
    edges: list[str]
    sources: list[dict]
    roles: list[str] = field(default_factory=list)
    used: bool = False

    def span(self) -> tuple[date, date] | None:
        return None if self.date is None else (self.date.first_day(), self.date.last_day())

    def absorb(self, other: _Event) -> None:
        if self.date is None or (other.date is not None and _width(other.date) < _width(self.date)):
            self.date = other.date
        self.other = self.other or other.other
        self.edges += [edge for edge in other.edges if edge not in self.edges]
        self.sources = _merge_sources(self.sources, other.sources)
        self.roles += [role for role in other.roles if role not in self.roles]


@dataclass
class _Move:
    person: str
    origin: str | None
    destination: str | None
    departure: _Event | None = None
    joining: _Event | None = None
    founding: _Event | None = None
    inferred: str | None = None
    absorbed_by: str | None = None  # the cohort that counts this move
    also_in: list[str] = field(default_factory=list)  # cohorts that name the person too

    @property
    def events(self) -> list[_Event]:
        return [event for event in (self.departure, self.joining, self.founding) if event]

    @property
    def date(self) -> PartialDate | None:
        for event in self.events:
            if event.date is not None:
                return event.date
        return None


def _width(partial: PartialDate) -> int:
    return (partial.last_day() - partial.first_day()).days


def _overlap(first: PartialDate | None, second: PartialDate | None) -> bool:
    """Whether two dates may name the same moment (undated is compatible with anything)."""
    if first is None or second is None:
        return True
    return first.first_day() <= second.last_day() and second.first_day() <= first.last_day()


def _not_before(arrival: _Event, departure: _Event) -> bool:
    """An arrival can follow a departure unless it certainly happened earlier."""
    if arrival.date is None or departure.date is None:
        return True
    return arrival.date.last_day() >= departure.date.first_day()


def _merge_sources(first: list[dict], second: list[dict]) -> list[dict]:
    seen = {(citation["doc"], citation["quote"]) for citation in first}
    merged = list(first)
    for citation in second:
        if (citation["doc"], citation["quote"]) not in seen:
            seen.add((citation["doc"], citation["quote"]))
            merged.append(citation)
    return merged


def _event_order(event: _Event) -> tuple:
    dated = event.date is not None
    first = event.date.first_day() if dated else date.max
    return (not dated, first, MOVE_RELATIONS.index(event.relation), event.company, event.edges)


def _histories(graph: nx.MultiDiGraph) -> dict[str, list[_Event]]:
    """Every person's departures, joinings and foundings, duplicates merged, in date order."""
    raw: dict[str, list[_Event]] = {}
    for person, company, key, data in graph.edges(keys=True, data=True):
        relation = data.get("relation")
        if relation not in MOVE_RELATIONS:
            continue
        other = data.get("destination") if relation == LEFT else data.get("origin")
        raw.setdefault(person, []).append(_Event(
            relation, company, _parse(data.get("date")), other if relation != FOUNDED else None,
            [key], list(data.get("sources", [])), [data["role"]] if data.get("role") else []))
    histories = {}
    for person, events in raw.items():
        merged: list[_Event] = []
        for event in sorted(events, key=_event_order):
            for kept in merged:
                if (kept.relation == event.relation and kept.company == event.company
                        and _overlap(kept.date, event.date)
                        and (kept.other is None or event.other is None
                             or kept.other == event.other)):
                    kept.absorb(event)
                    break
            else:
                merged.append(event)
        histories[person] = sorted(merged, key=_event_order)
    return histories


def _parse(text: str | None) -> PartialDate | None:
    return None if text is None else PartialDate.parse(text)


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
                or (around is not None and not _overlap(event.date, around.date))):
            continue
        event.used = True
        return event
    return None


def _next_arrival(history: list[_Event], departure: _Event) -> _Event | None:
    """The person's very next dated event after a departure that names no destination, when
    that event is an arrival (a joining that names no other origin, or a founding)."""
    if departure.date is None:
        return None
    later = [event for event in history if event is not departure and event.date is not None
             and _not_before(event, departure)]
    if not later:
        return None
    following = min(later, key=_event_order)
    if following.used or following.relation not in _ARRIVALS:
        return None
    if following.relation == JOINED and following.other not in (None, departure.company):
        return None
    return following


# -- counting units: a named person's move, or a cohort -----------------------------------


@dataclass
class _Unit:
    origin: str | None
    destination: str | None
    count: int
    foundings: int
    people: list[str]
    date: PartialDate | None
    sources: list[dict]
    record: dict


def _move_record(graph: nx.MultiDiGraph, move: _Move) -> dict:
    relations = sorted({event.relation for event in move.events}, key=MOVE_RELATIONS.index)
    sources: list[dict] = []
    for event in move.events:
        sources = _merge_sources(sources, event.sources)
    record = {
        "kind": "person", "person": move.person, "from": move.origin,
        "to": move.destination, "count": 1,
        "date": move.date.text if move.date else None,
        "left": _date_text(move.departure), "joined": _date_text(move.joining),
        "founded": _date_text(move.founding),
        "founding": move.founding is not None, "foundings": int(move.founding is not None),
        "relations": relations, "edges": [edge for e in move.events for edge in e.edges],
        "roles": [role for e in move.events for role in e.roles],
        "sources": sources, "inferred": move.inferred, "also_in": sorted(move.also_in),
    }
    record["text"] = _move_sentence(graph, record)
    return record


def _date_text(event: _Event | None) -> str | None:
    return event.date.text if event is not None and event.date is not None else None


def _move_sentence(graph, record: dict) -> str:
    person = _name(graph, record["person"])
    origin = _name(graph, record["from"])
    destination = _name(graph, record["to"])
    if record["from"] is None:
        text = f"{person} joined {destination} (origin unknown)"
    elif record["to"] is None:
        text = f"{person} left {origin} (destination unknown)"
    elif record["founding"]:
        text = f"{person} left {origin} and founded {destination}"
    else:
        text = f"{person} moved from {origin} to {destination}"
    return f"{text} ({record['date'] or 'undated'})"


def _name(graph, ident: str | None) -> str:
    if ident is None:
        return UNKNOWN
    return graph.nodes[ident]["name"] if ident in graph.nodes else ident


def _cohort_units(graph, cohorts: list[dict], moves: list[_Move]) -> list[_Unit]:
    """One unit per cohort, absorbing its members' own moves on its pair."""
    by_person: dict[str, list[_Move]] = {}
    for move in moves:
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
        member_records = [_move_record(graph, move) for move in absorbed[ident]]
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
        record["text"] = _cohort_sentence(graph, record)
        units.append(_Unit(cohort.get("from"), cohort.get("to"), count, foundings, people,
                           _parse(cohort.get("date")), sources, record))
    return units


def _cohort_sentence(graph, record: dict) -> str:
    origin = _name(graph, record["from"])
    if record["to"] is None:
        whither = ("to found companies not named" if record["founding"]
                   else "for destinations not named")
    else:
        whither = f"{'and founded' if record['founding'] else 'for'} {_name(graph, record['to'])}"
    text = (f"{record['count']} people joined {_name(graph, record['to'])} from an origin not "
            f"named" if record["from"] is None else f"{record['count']} people left {origin} "
            f"{whither}")
    if record["count"] != record["reported"]:
        text += f" (reported {record['reported']}; the rest are counted elsewhere)"
    return f"{text} [cohort {record['cohort']}] ({record['date'] or 'undated'})"


def _units(graph: nx.MultiDiGraph) -> tuple[list[_Unit], list[dict]]:
    """Every counting unit in the graph, and every return (not counted)."""
    moves: list[_Move] = []
    returns: list[dict] = []
    for person, history in sorted(_histories(graph).items()):
        person_moves, person_returns = _person_moves(person, history)
        moves += [move for move in person_moves if move.origin != move.destination]
        returns += person_returns
    units = _cohort_units(graph, list(graph.graph.get("cohorts", [])), moves)
    for move in moves:
        if move.absorbed_by is None:
            record = _move_record(graph, move)
            units.append(_Unit(move.origin, move.destination, 1, record["foundings"],
                               [move.person], move.date, record["sources"], record))
    return units, returns


# -- windows --------------------------------------------------------------------------------


def _published_bound(graph: nx.MultiDiGraph, sources: list[dict]) -> date | None:
    """The last day by which an undated event had happened: its earliest article's date."""
    registry = graph.graph.get("sources", {})
    days = [PartialDate.parse(registry[c["doc"]]["published"]).last_day()
            for c in sources if registry.get(c["doc"], {}).get("published")]
    return min(days) if days else None


def _placement(graph, unit: _Unit, since: PartialDate | None,
               until: PartialDate | None) -> str:
    """``in`` the window, certainly ``out`` of it, or ``uncertain`` (the date is too coarse)."""
    if since is None and until is None:
        return "in"
    if unit.date is not None:
        earliest, latest = unit.date.first_day(), unit.date.last_day()
    else:
        earliest, latest = None, _published_bound(graph, unit.sources)
    start = since.first_day() if since else None
    end = until.last_day() if until else None
    if (start and latest and latest < start) or (end and earliest and earliest > end):
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


def compute_flow(graph: nx.MultiDiGraph, since: PartialDate | None = None,
                 until: PartialDate | None = None, from_companies=(), to_companies=(),
                 top: int | None = None) -> dict:
    """The talent-flow matrix, per-company balance and two-way balances, as plain data.

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
    wanted_from, wanted_to = frozenset(from_companies), frozenset(to_companies)

    def selected(origin, destination) -> bool:
        return ((not wanted_from or origin in wanted_from)
                and (not wanted_to or destination in wanted_to))

    units, returns = _units(graph)
    in_window, uncertain = [], []
    for unit in units:
        placement = _placement(graph, unit, since, until)
        if placement == "in":
            in_window.append(unit)
        elif placement == "uncertain" and selected(unit.origin, unit.destination):
            uncertain.append(unit)
    counted = [unit for unit in in_window if selected(unit.origin, unit.destination)]
    pairs = _pairs(counted)
    companies = _companies(counted, top)
    balance = _balance(in_window, selected)
    entities = {**_entities(graph, counted + uncertain),
                **_entities_for(graph, *(r["person"] for r in returns))}
    limit = (lambda items: items[:top]) if top else (lambda items: items)
    return {
        "window": {"since": since.text if since else None, "until": until.text if until else None},
        "filters": {"from": sorted(wanted_from), "to": sorted(wanted_to)},
        "totals": {
            "moves": sum(unit.count for unit in counted),
            "foundings": sum(unit.foundings for unit in counted),
            "named_people": len({p for unit in counted for p in unit.people}),
            "to_unknown": sum(unit.count for unit in counted if unit.destination is None),
            "from_unknown": sum(unit.count for unit in counted if unit.origin is None),
            "pairs": len(pairs),
            "uncertain": sum(unit.count for unit in uncertain),
        },
        "pairs": limit(pairs),
        "companies": limit(companies),
        "balance": limit(balance),
        "uncertain": [unit.record for unit in sorted(uncertain, key=_unit_order)],
        "returns": sorted((r for r in returns if selected(r["company"], r["company"])),
                          key=lambda r: (r["person"], r["left"])),
        "entities": entities,
    }


def _pairs(units: list[_Unit]) -> list[dict]:
    grouped: dict[tuple, list[_Unit]] = {}
    for unit in units:
        grouped.setdefault((unit.origin, unit.destination), []).append(unit)
    pairs = []
    for (origin, destination), members in grouped.items():
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
    pairs.sort(key=lambda p: (-p["moves"], _key(p["from"]), _key(p["to"])))
    return pairs


def _ranked(counts: dict[str | None, int], top: int | None) -> list[dict]:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], _key(item[0])))
    return [{"company": ident, "moves": moves} for ident, moves in ranked[:top]]


def _companies(units: list[_Unit], top: int | None) -> list[dict]:
    stats: dict[str, dict] = {}

    def entry(ident: str) -> dict:
        return stats.setdefault(ident, {"company": ident, "inflow": 0, "outflow": 0,
                                        "inflow_unknown": 0, "outflow_unknown": 0,
                                        "foundings_in": 0, "_to": {}, "_from": {}})

    for unit in units:
        if unit.origin is not None:
            out = entry(unit.origin)
            out["outflow"] += unit.count
            out["outflow_unknown"] += unit.count if unit.destination is None else 0
            out["_to"][unit.destination] = out["_to"].get(unit.destination, 0) + unit.count
        if unit.destination is not None:
            into = entry(unit.destination)
            into["inflow"] += unit.count
            into["inflow_unknown"] += unit.count if unit.origin is None else 0
            into["foundings_in"] += unit.foundings
            into["_from"][unit.origin] = into["_from"].get(unit.origin, 0) + unit.count
    companies = []
    for stat in stats.values():
        stat["net"] = stat["inflow"] - stat["outflow"]
        stat["top_destinations"] = _ranked(stat.pop("_to"), top)
        stat["top_origins"] = _ranked(stat.pop("_from"), top)
        companies.append(stat)
    companies.sort(key=lambda c: (-(c["inflow"] + c["outflow"]), c["company"]))
    return companies


def _balance(units: list[_Unit], selected) -> list[dict]:
    counts: dict[tuple[str, str], int] = {}
    for unit in units:
        if unit.origin is not None and unit.destination is not None:
            pair = (unit.origin, unit.destination)
            counts[pair] = counts.get(pair, 0) + unit.count
    balance = []
    for first, second in sorted({tuple(sorted(pair)) for pair in counts}):
        if not (selected(first, second) or selected(second, first)):
            continue
        forward, backward = counts.get((first, second), 0), counts.get((second, first), 0)
        if backward > forward:
            first, second, forward, backward = second, first, backward, forward
        balance.append({"a": first, "b": second, "a_to_b": forward, "b_to_a": backward,
                        "total": forward + backward,
                        "ratio": round(forward / backward, 2) if backward else None})
    balance.sort(key=lambda b: (-b["total"], -b["a_to_b"], b["a"], b["b"]))
    return balance


def _entities(graph, units: list[_Unit]) -> dict[str, dict]:
    idents: set[str] = set()
    for unit in units:
        idents.update(ident for ident in (unit.origin, unit.destination) if ident)
        idents.update(unit.people)
        for member in unit.record.get("members", []):
            idents.add(member["person"])
    return {ident: {"id": ident, "name": graph.nodes[ident]["name"],
                    "type": graph.nodes[ident]["type"]}
            for ident in sorted(idents) if ident in graph.nodes}


# -- tracing one figure, and alumni --------------------------------------------------------


def explain_flow(graph: nx.MultiDiGraph, origin: str | None, destination: str | None,
                 since: PartialDate | None = None, until: PartialDate | None = None) -> dict:
    """Every move and cohort behind the figure ``origin`` → ``destination`` (``None`` is
    unknown), with their sources, the figure the other way and their ratio.

    ``moves`` is 0 when nothing moved that way in the window.

    >>> from graphkit.graph import load_graph
    >>> from graphkit.locate import bundled_data_dir
    >>> answer = explain_flow(load_graph(bundled_data_dir()), "openai", "google")
    >>> answer["moves"], [m["person"] for m in answer["moves_detail"]], answer["back"]
    (1, ['david-luan'], 9)
    """
    flow = compute_flow(graph, since, until)
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
        "entities": {**flow["entities"], **_entities_for(graph, origin, destination)},
    }


def _find_pair(pairs: list[dict], origin, destination) -> dict | None:
    return next((p for p in pairs if (p["from"], p["to"]) == (origin, destination)), None)


def _entities_for(graph, *idents) -> dict[str, dict]:
    return {ident: {"id": ident, "name": graph.nodes[ident]["name"],
                    "type": graph.nodes[ident]["type"]}
            for ident in idents if ident is not None and ident in graph.nodes}


def alumni(graph: nx.MultiDiGraph, company: str, since: PartialDate | None = None,
           until: PartialDate | None = None) -> dict:
    """Companies founded by people who left ``company``: founders, cohorts and investors.

    A person is an alumnus from the moment they left ``company`` (directly or by way of
    other jobs); every company they founded afterwards counts, with ``via`` naming the
    companies in between.  Cohorts that left ``company`` to found companies count with their
    size (``company`` is ``None`` when the article does not name the companies).  The window
    applies to the founding.

    >>> from graphkit.graph import load_graph
    >>> from graphkit.locate import bundled_data_dir
    >>> result = alumni(load_graph(bundled_data_dir()), "openai")
    >>> [(entry["company"], entry["people"]) for entry in result["founded"]][:2]
    [(None, 19), ('anthropic', 11)]
    """
    _check_window(since, until)
    units, _returns = _units(graph)
    chains = _departure_chains(units, company)
    founded: dict[str | None, dict] = {}

    def entry(ident: str | None) -> dict:
        return founded.setdefault(ident, {"company": ident, "founders": [], "cohorts": [],
                                          "investors": []})

    for unit in units:
        record = unit.record
        if (record["kind"] == "cohort" and record["founding"] and unit.origin == company
                and _placement(graph, unit, since, until) == "in"):
            entry(unit.destination)["cohorts"].append(
                {key: record[key] for key in ("cohort", "count", "reported", "date",
                                              "people", "text")}
                | {"sources": record["cohort_sources"]})
    for person, (left, path) in sorted(chains.items()):
        for _source, target, key, data in graph.out_edges(person, keys=True, data=True):
            if data.get("relation") != FOUNDED or target == company:
                continue
            founded_on = _parse(data.get("date"))
            if founded_on is not None and left is not None and founded_on.last_day() < left:
                continue
            probe = _Unit(None, target, 1, 1, [person], founded_on, data.get("sources", []), {})
            if _placement(graph, probe, since, until) != "in":
                continue
            entry(target)["founders"].append({
                "person": person, "date": data.get("date"), "edge": key,
                "via": path[:path.index(target)] if target in path else path,
                "sources": list(data.get("sources", []))})
    for ident, item in founded.items():
        item["founders"].sort(key=lambda f: f["person"])
        named_in_cohorts = {p for cohort in item["cohorts"] for p in cohort["people"]}
        item["people"] = (sum(cohort["count"] for cohort in item["cohorts"])
                          + len({f["person"] for f in item["founders"]} - named_in_cohorts))
        if ident is not None:
            item["investors"] = _investors(graph, ident)
    ordered = sorted(founded.values(), key=lambda e: (-e["people"], _key(e["company"])))
    idents = {company} | {e["company"] for e in ordered if e["company"]}
    idents |= {f["person"] for e in ordered for f in e["founders"]}
    idents |= {i["investor"] for e in ordered for i in e["investors"]}
    idents |= {step for e in ordered for f in e["founders"] for step in f["via"]}
    return {"company": company, "window": {"since": since.text if since else None,
                                           "until": until.text if until else None},
            "founded": ordered, "people": sum(e["people"] for e in ordered),
            "entities": _entities_for(graph, *sorted(idents))}


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


def _investors(graph, company: str) -> list[dict]:
    found = []
    for investor, _target, key, data in graph.in_edges(company, keys=True, data=True):
        if data.get("relation") == "company-invested-in":
            found.append({"investor": investor, "edge": key, "date": data.get("date"),
                          "amount": (data.get("amount") or {}).get("as_stated"),
                          "round": data.get("round"), "status": data.get("status"),
                          "sources": list(data.get("sources", []))})
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
