"""Moves: who left which company for which, inferred from every person's dated history.

What counts, and how:

* **Moves of named people** come from each person's dated history.  A departure
  (``person-left-company``), the arrival it led to (``person-joined-company``, or a
  ``person-founded-company`` of the destination) and duplicate reports of either are ONE move
  carrying all their sources.  A departure without a destination is paired with the person's
  next dated arrival (a move inferred from their history, marked ``inferred``); leaving and then
  rejoining the same company is a *return*, listed apart and not counted.  A departure with no
  arrival is a move to an unknown destination (``to`` is ``None``); an arrival without an
  origin or departure is a move from an unknown origin.  Founding a company is a move only
  when it follows a departure; such moves are marked ``founding``.
* **A move's date** is the departure's date, or the arrival's when the departure is undated;
  a date known only as an upper bound (``date_bound`` ``on-or-before``) says nothing of how
  early the move was, so it places a move before an ``until`` but never after a ``since``.
* **Hedged claims** do not count: a move edge or cohort the article calls possible,
  rumoured, planned, expected or denied (its ``modality``) is left out of every figure, and
  listed apart (``hedged``).  Moves stated or reported as fact count.
* **Cohorts** (``cohorts.json``) count with their reported size.  A size the text bounds
  ("more than 20": ``count`` 20, ``count_bound`` ``more-than``) counts as that number, and
  the figures it goes into say they are lower bounds (``bound``).  A cohort with no number
  ("several": ``size_as_stated``) is listed on its pair and adds nothing (``uncounted``);
  its named members' own moves count as usual.  A named member's own move on
  the cohort's pair is counted inside the cohort, not again.  A member of a cohort without a
  destination whose own move has a known destination is counted on that pair, and the
  cohort's unknown remainder shrinks by one.  A cohort that lists ``within`` entries
  (``{"cohort": OTHER, "count": N}``; ``count`` defaults to the whole cohort) says that N of
  its people are also among OTHER's; OTHER's remainder shrinks by N so nobody counts twice.
* **Windows** (``since``, ``until``) count a move only when its date, at the precision the
  text gives, lies wholly inside the window (both ends inclusive).  An undated move happened
  before its article was published, so it can still be placed before an ``until``.  Moves that
  may fall in the window but whose dates are too coarse to say are listed as ``uncertain``.

:func:`counting_units` reads a :class:`FlowData` (the move edges, entities, cohorts and
sources, from the NetworkX graph or straight from the cache) and gives every counting unit
(a named person's move, or a cohort) with its full record.  The rules for one person's
history above are applied to every person at once, as NumPy over columns, by
:mod:`graphkit.query.pairing` (:class:`Inference` gives its moves their records).
:mod:`graphkit.query.movetable` compiles the units into columns; :mod:`graphkit.query.flow`
counts them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from graphkit.collector import collector_paused
from graphkit.data.dates import PartialDate, parse_date
from graphkit.data.describe import UNKNOWN, counted, date_text, hedge_text
from graphkit.data.relations import MOVE_RELATIONS, RELATIONS
from graphkit.errors import BadArgument
from graphkit.query.pairing import NONE, EdgeColumns, pair_moves, sort_order

if TYPE_CHECKING:
    import networkx as nx

LEFT, JOINED, FOUNDED = MOVE_RELATIONS
INVESTED = "company-invested-in"
_RANK = {relation: rank for rank, relation in enumerate(MOVE_RELATIONS)}
_ON_OR_BEFORE = frozenset({"on-or-before"})


# -- what flow reads ----------------------------------------------------------------------


class FlowData:
    """The part of the graph talent flow reads: every edge of a move relation as
    ``(person, company, edge id, edge data)``, ``nodes`` (entity id -> record with ``name``
    and ``type``), ``cohorts``, the ``sources`` registry, ``investments(company)`` giving
    ``(investor, edge id, edge data)`` for each investment into ``company``, and
    ``foundings(person)`` giving ``(company, edge id, edge data)`` for each company
    ``person`` founded, both in the data's order.

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> data = FlowData.from_graph(load_graph(bundled_data_dir()))
    >>> sorted({edge[3]["relation"] for edge in data.moves}) == sorted(MOVE_RELATIONS)
    True
    >>> [company for company, _key, _data in data.foundings("ilya-sutskever")]
    ['openai', 'safe-superintelligence']
    """

    def __init__(self, moves: Iterable[tuple[str, str, str, dict]], nodes: Mapping,
                 cohorts: list[dict], sources: dict[str, dict],
                 investments: Callable[[str], Iterable[tuple[str, str, dict]]],
                 foundings: Callable[[str], Iterable[tuple[str, str, dict]]] | None = None,
                 refs: Iterable[int] | None = None,
                 edge: Callable[[int], dict] | None = None, numbered: tuple | None = None):
        moves = list(moves)
        # Hedged claims are not moves: kept apart, to be listed (see the module docstring).
        keep = np.fromiter(("modality" not in move[3] or counted(move[3]) for move in moves),
                           bool, len(moves))
        self.moves = moves if keep.all() else [move for move, kept in zip(
            moves, keep.tolist(), strict=True) if kept]
        # Where each move edge can be read again (``edge(ref)``: the cache's edge numbers),
        # or None: then a move edge is known by its place in ``moves``.
        self.refs = None if refs is None else np.asarray(refs, dtype=np.int64)[keep]
        self._edge = edge
        # The cache's numbers of the entities (see graphkit.query.moves.Inference).
        self.numbered = None if numbered is None else (
            numbered[0], np.asarray(numbered[1])[keep], np.asarray(numbered[2])[keep],
            *numbered[3:])
        self.cohorts = [cohort for cohort in cohorts if counted(cohort)]
        self.hedged = ([_hedged_record("edge", move[3], move[2])
                        for move, kept in zip(moves, keep.tolist(), strict=True) if not kept]
                       + [_hedged_record("cohort", cohort, cohort["id"]) for cohort in cohorts
                          if not counted(cohort)])
        self.nodes = nodes
        self.sources = sources
        self.investments = investments
        self._foundings = foundings
        self._by_founder: dict[str, list[tuple[str, str, dict]]] | None = None

    def move_edges(self, refs: Iterable[int]) -> list[tuple[str, str, str, dict]]:
        """The move edges ``refs`` names (see ``refs``), as ``moves`` holds them."""
        if self._edge is None:
            return [self.moves[ref] for ref in refs]
        records = map(self._edge, refs)
        return [(record["source"], record["target"], record["id"], record)
                for record in records]

    def foundings(self, person: str) -> list[tuple[str, str, dict]]:
        """``(company, edge id, edge data)`` of each company ``person`` founded."""
        if self._foundings is not None:
            return list(self._foundings(person))
        if self._by_founder is None:
            self._by_founder = {}
            for founder, company, key, edge in self.moves:
                if edge["relation"] == FOUNDED:
                    self._by_founder.setdefault(founder, []).append((company, key, edge))
        return self._by_founder.get(person, [])

    @classmethod
    def from_graph(cls, graph: nx.MultiDiGraph) -> FlowData:
        """What flow reads from a graph built by :func:`graphkit.store.graph.build_graph` (or a
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
    def from_store(cls, store, moves: bool = True) -> FlowData:
        """What flow reads from the cache (:class:`graphkit.store.cache.Store`): the records of
        the move edges and of the entities (none of them unless ``moves``: entities are
        then read one by one); investments and foundings are read on demand.

        >>> import os, tempfile
        >>> from graphkit.data.locate import bundled_data_dir
        >>> from graphkit.store.cache import CACHE_ENVIRONMENT, open_store
        >>> os.environ[CACHE_ENVIRONMENT] = tempfile.mkdtemp()
        >>> data = FlowData.from_store(open_store(bundled_data_dir()), moves=False)
        >>> [investor for investor, _key, _data in data.investments("adept")]
        ['greylock']
        >>> [company for company, _key, _data in data.foundings("ilya-sutskever")]
        ['openai', 'safe-superintelligence']
        """
        edges, entities, refs, numbered = [], store.nodes, [], None
        if moves:
            with collector_paused():
                edges = [(record["source"], record["target"], record["id"], record)
                         for record in store.edges_of(MOVE_RELATIONS)]
                entities = store.entities()
                codes = [number for number, name in enumerate(RELATIONS)
                         if name in MOVE_RELATIONS]
                relation = np.frombuffer(memoryview(store.relation).cast("B"), dtype=np.uint8)
                refs = np.flatnonzero(np.isin(relation, codes))
                numbered = (store.ids, _numbers(store.source)[refs],
                            _numbers(store.target)[refs], store.index,
                            getattr(store, "id_order", None))

        def investments(company: str) -> list[tuple[str, str, dict]]:
            return [(record["source"], record["id"], record)
                    for record in _store_edges(store, company, INVESTED, "target")]

        def foundings(person: str) -> list[tuple[str, str, dict]]:
            return [(record["target"], record["id"], record)
                    for record in _store_edges(store, person, FOUNDED, "source")]

        return cls(edges, entities, list(store.cohorts), store.sources, investments, foundings,
                   refs, store.edge, numbered)


def _numbers(column) -> np.ndarray:
    """A column of entity numbers from the cache (an array of int32) as NumPy."""
    return np.frombuffer(memoryview(column).cast("B"), dtype=np.int32)


def _hedged_record(kind: str, record: dict, ident: str) -> dict:
    found = {"kind": kind, "id": ident, "modality": record.get("modality"),
             "hedge": hedge_text(record), "date": record.get("date"),
             "sources": list(record.get("sources", []))}
    for key in ("relation", "source", "target", "from", "to"):
        if record.get(key) is not None:
            found[key] = record[key]
    return found


def _store_edges(store, ident: str, relation: str, end: str) -> list[dict]:
    """The records of the ``relation`` edges whose ``end`` (``source`` or ``target``) is
    ``ident``, in the data's order."""
    if ident not in store.index:
        return []
    here, ends = store.index[ident], getattr(store, end)
    found = sorted({edge for _other, edge in store.view(relations=(relation,)).around(ident)
                    if ends[edge] == here})
    return [store.edge(edge) for edge in found]


def flow_data(source) -> FlowData:
    """``source`` itself if it is a :class:`FlowData`, else what flow reads from the graph."""
    return source if isinstance(source, FlowData) else FlowData.from_graph(source)


class Entities:
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

    def described(self, idents: Iterable[str]) -> list[tuple[str, str] | None]:
        """``(name, type)`` of each of ``idents``, None for an id that is no entity."""
        nodes = self._nodes
        found = []
        for ident in idents:
            data = nodes.get(ident)
            found.append(None if data is None else (data["name"], data["type"]))
        return found

    def records(self, idents: Iterable[str]) -> dict[str, dict]:
        """``{"id", "name", "type"}`` of each of ``idents`` that is an entity, in that order."""
        found = {}
        for ident in idents:
            data = self._data(ident)
            if data is not None:
                found[ident] = {"id": ident, "name": data["name"], "type": data["type"]}
        return found


# -- every person's history ----------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def date_span(text: str) -> tuple[PartialDate, int, int]:
    """A date, and the ordinals of its first and last day (integers compare fastest).

    >>> from datetime import date
    >>> _partial, first, last = date_span("2024-02")
    >>> date.fromordinal(first), date.fromordinal(last)
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    """
    partial = parse_date(text)
    return partial, partial.first_day().toordinal(), partial.last_day().toordinal()


INFERRED = ("the departure names no destination; the next event in the person's dated "
            "history is this arrival")
MoveEdge = tuple  # (person, company, edge id, edge record), as FlowData.moves holds them


class _Event:
    """One fact of a person's history: the edges reporting it (the first, then those
    merged into it), their sources and roles, and its date once merged."""

    __slots__ = ("relation", "company", "date", "before", "edges", "sources", "roles")

    def __init__(self, reports: list[MoveEdge], when: str | None, before: bool):
        _person, self.company, key, record = reports[0]
        self.relation = record["relation"]
        self.date = None if when is None else parse_date(when)
        self.before = before and when is not None  # the date is only an upper bound
        self.edges = [key]
        self.sources = record.get("sources", [])
        role = record.get("role")
        self.roles = [role] if role else []
        for _person, _company, key, record in reports[1:]:
            if key not in self.edges:
                self.edges.append(key)
            self.sources = merge_sources(self.sources, record.get("sources", []))
            role = record.get("role")
            if role and role not in self.roles:
                self.roles.append(role)


class _Move:
    __slots__ = ("person", "origin", "destination", "departure", "joining", "founding",
                 "inferred", "absorbed_by", "also_in", "events", "date", "before")

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
        dated = next((event for event in self.events if event.date is not None), None)
        self.date = dated.date if dated is not None else None
        self.before = dated.before if dated is not None else False


def _overlap(first: PartialDate | None, second: PartialDate | None) -> bool:
    """Whether two dates may name the same moment (undated is compatible with anything)."""
    if first is None or second is None:
        return True
    return first.first_day() <= second.last_day() and second.first_day() <= first.last_day()


def merge_sources(first: list[dict], second: list[dict]) -> list[dict]:
    """``first``, then the citations of ``second`` it lacks.

    >>> quote = {"doc": "a.txt", "quote": "q"}
    >>> merge_sources([quote], [quote, {"doc": "b.txt", "quote": "q"}])
    [{'doc': 'a.txt', 'quote': 'q'}, {'doc': 'b.txt', 'quote': 'q'}]
    """
    seen = {(citation["doc"], citation["quote"]) for citation in first}
    merged = list(first)
    for citation in second:
        if (citation["doc"], citation["quote"]) not in seen:
            seen.add((citation["doc"], citation["quote"]))
            merged.append(citation)
    return merged


def _numbered_codes(numbered: tuple, others: list[str | None]) -> tuple | None:
    """Sorted ids and the person, company and other codes of the move edges, from the
    cache's numbers; None when an edge names an id the cache does not have."""
    names, person_numbers, company_numbers, index, order = numbered
    count = len(others)
    other_numbers = np.fromiter((NONE if ident is None else index.get(ident, -2)
                                 for ident in others), np.int64, count)
    if (other_numbers == -2).any():
        return None
    if order is None:  # the numbers in the order of the ids
        order = sorted(range(len(names)), key=names.__getitem__)
    order = np.asarray(order, dtype=np.int64)
    rank = np.empty(len(names) + 1, dtype=np.int64)
    rank[order] = np.arange(len(names))
    rank[-1] = NONE  # the rank of NONE
    every = list(names)  # at once (a store's ids are decoded one by one when indexed)
    return ([every[number] for number in order.tolist()],
            rank[np.asarray(person_numbers, dtype=np.int64)],
            rank[np.asarray(company_numbers, dtype=np.int64)], rank[other_numbers])


def _tie_keys(moves: list[MoveEdge], person: np.ndarray, rank: np.ndarray,
              company: np.ndarray) -> np.ndarray:
    """An order of the edges that is the order of their ids among the edges of one fact
    (person, relation, company): the only edges the rules ever order by id."""
    key = np.zeros(len(moves), dtype=np.int64)
    facts = sort_order(person, rank, company)
    same = np.zeros(len(facts), dtype=bool)
    if len(facts) > 1:
        same[1:] = ((person[facts][1:] == person[facts][:-1])
                    & (rank[facts][1:] == rank[facts][:-1])
                    & (company[facts][1:] == company[facts][:-1]))
    shared = same.copy()
    shared[:-1] |= same[1:]  # both ends of every run of equal facts
    tied = facts[shared]
    if len(tied):
        group = np.cumsum(~same[shared])
        ordered = sorted(range(len(tied)), key=lambda place: (group[place],
                                                              moves[tied[place]][2]))
        key[tied[ordered]] = np.arange(len(tied))
    return key


class Inference:
    """Every person's moves in ``moves`` (``(person, company, edge id, edge record)`` of
    each move edge), worked out by :func:`graphkit.query.pairing.pair_moves`: ``ids``
    (every person and company, sorted: codes index it), ``texts`` (the distinct dates,
    sorted), ``date_code`` (each edge's date as an index into ``texts``, -1 when
    undated) and ``paired``.  :meth:`move` and :meth:`returns` give the records.

    >>> edges = [("ann", "alpha", "e1", {"relation": LEFT, "date": "2020"}),
    ...          ("ann", "beta", "e2", {"relation": JOINED, "date": "2020-05"})]
    >>> moves = Inference(edges)
    >>> move = moves.move(0)
    >>> move.origin, move.destination, move.date.text, move.inferred is not None
    ('alpha', 'beta', '2020', True)
    """

    def __init__(self, moves: list[MoveEdge], numbered: tuple | None = None):
        """``numbered``, when the cache gives it: every entity id in the cache's order,
        each move edge's person and company as numbers in that order, and each id's
        number (so names need not be coded one by one)."""
        self.moves = moves
        count = len(moves)
        # What the rules read of each edge, in one pass over the records.
        fields = [(record["relation"], record.get("destination"), record.get("origin"),
                   record.get("date"), record.get("date_bound"))
                  for _person, _company, _key, record in moves]
        relations, destinations, origins, dates, bounds = (
            zip(*fields, strict=True) if fields else ((), (), (), (), ()))
        others = [destination if relation == LEFT else origin if relation == JOINED else None
                  for relation, destination, origin in zip(relations, destinations, origins,
                                                           strict=True)]
        coded = _numbered_codes(numbered, others) if numbered is not None else None
        if coded is None:
            persons = [move[0] for move in moves]
            companies = [move[1] for move in moves]
            self.ids = ids = sorted(set(persons).union(companies, others) - {None})
            code = dict(zip(ids, range(len(ids)), strict=True))
            code[None] = NONE
            person = np.fromiter(map(code.__getitem__, persons), np.int64, count)
            company = np.fromiter(map(code.__getitem__, companies), np.int64, count)
            other = np.fromiter(map(code.__getitem__, others), np.int64, count)
        else:
            self.ids, person, company, other = coded
        self.texts = texts = sorted(set(dates) - {None})
        text_code = dict(zip(texts, range(len(texts)), strict=True))
        text_code[None] = NONE
        spans = [date_span(text) for text in texts] + [(None, 0, 0)]  # [-1]: undated
        date_code = np.fromiter(map(text_code.__getitem__, dates), np.int64, count)
        self.date_code = date_code
        rank = np.fromiter(map(_RANK.__getitem__, relations), np.int64, count)
        self.paired = pair_moves(EdgeColumns(
            person=person, company=company, rank=rank,
            first=np.array([span[1] for span in spans], dtype=np.int64)[date_code],
            last=np.array([span[2] for span in spans], dtype=np.int64)[date_code],
            dated=date_code >= 0,
            before=np.fromiter(map(_ON_OR_BEFORE.__contains__, bounds), bool, count),
            other=other, key=_tie_keys(moves, person, rank, company)))

    def __len__(self) -> int:
        return len(self.paired.person)

    def event_date(self, event: int) -> str | None:
        """The date of the event of edge ``event`` once its reports are merged."""
        code = self.date_code[self.paired.date_edge[event]]
        return self.texts[code] if code >= 0 else None

    def event(self, event: int) -> _Event | None:
        if event < 0:
            return None
        return _Event([self.moves[edge] for edge in self.paired.members(event)],
                      self.event_date(event), bool(self.paired.before[event]))

    def move(self, number: int) -> _Move:
        """Move ``number`` (in the order of :class:`graphkit.query.pairing.Paired`)."""
        paired, ids = self.paired, self.ids
        origin, destination = int(paired.origin[number]), int(paired.destination[number])
        return _Move(ids[paired.person[number]], ids[origin] if origin >= 0 else None,
                     ids[destination] if destination >= 0 else None,
                     self.event(int(paired.departure[number])),
                     self.event(int(paired.joining[number])),
                     self.event(int(paired.founding[number])),
                     INFERRED if paired.inferred[number] else None)

    def returns(self) -> list[dict]:
        """Each person who left a company and rejoined it (not counted)."""
        found = []
        for person, company, departure, rejoining in self.paired.returns.tolist():
            left, back = self.event(departure), self.event(rejoining)
            found.append({"person": self.ids[person], "company": self.ids[company],
                          "left": left.date.text, "rejoined": back.date.text,
                          "edges": left.edges + back.edges,
                          "sources": merge_sources(left.sources, back.sources)})
        return found


# -- counting units: a named person's move, or a cohort -----------------------------------


# How a unit's count is bounded; "uncounted" is a group of unstated size (count 0).
COUNT_BOUNDS = ("exact", "approximate", "at-least", "more-than", "at-most", "less-than",
                "uncounted")
LOWER_BOUNDS = ("at-least", "more-than")


class Unit:
    """What flow counts: ``count`` people (1 for a named person's move, the reported size
    for a cohort) moving ``origin`` → ``destination`` (None when unknown), with the full
    ``record`` an answer shows."""

    __slots__ = ("origin", "destination", "count", "foundings", "people", "date", "sources",
                 "record", "bound")

    def __init__(self, origin: str | None, destination: str | None, count: int,
                 foundings: int, people: list[str], date: PartialDate | None,
                 sources: list[dict], record: dict, bound: str = "exact"):
        self.origin = origin
        self.destination = destination
        self.count = count
        self.foundings = foundings
        self.people = people
        self.date = date
        self.sources = sources
        self.record = record
        # How ``count`` is bounded (see COUNT_BOUNDS): a cohort's count_bound, or
        # "uncounted" for a group of unstated size (counted as 0).
        self.bound = bound


def _move_record(entities: Entities, move: _Move) -> dict:
    events = move.events
    if len(events) == 1:
        [event] = events
        # An event belongs to one move only: its lists can be the record's own.
        relations, edges, roles = [event.relation], event.edges, event.roles
        cited = event.sources
        sources = list(cited) if len(cited) < 2 else merge_sources([], cited)
    else:
        # A move's events are its departure, joining and founding, in that order: one of
        # each relation at most, so already in the order of MOVE_RELATIONS.
        relations = [event.relation for event in events]
        edges = [edge for event in events for edge in event.edges]
        roles = [role for event in events for role in event.roles]
        sources = []
        for event in events:
            sources = merge_sources(sources, event.sources)
    departure, joining, founding = move.departure, move.joining, move.founding
    origin, destination = move.origin, move.destination
    when = move.date.text if move.date is not None else None
    known, lookup = entities.names, entities.name

    def name(ident: str | None) -> str:
        return known.get(ident) or lookup(ident)

    person = name(move.person)
    dated = {"date": when, "date_bound": "on-or-before" if move.before else "on"}
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
        "date_bound": "on-or-before" if move.before else "on",
        "left": departure.date.text if departure and departure.date else None,
        "joined": joining.date.text if joining and joining.date else None,
        "founded": founding.date.text if founding and founding.date else None,
        "founding": founding is not None, "foundings": int(founding is not None),
        "relations": relations, "edges": edges, "roles": roles,
        "sources": sources, "inferred": move.inferred,
        "also_in": sorted(move.also_in), "text": f"{text} ({date_text(dated)})",
    }


def _cohort_units(entities: Entities, cohorts: list[dict], moves: list[_Move]) -> list[Unit]:
    """One unit per cohort, absorbing its members' own moves on its pair."""
    # A group of unstated size adds nothing, so it takes in none of its members' own moves.
    uncounted = [cohort for cohort in cohorts if cohort.get("count") is None]
    cohorts = [cohort for cohort in cohorts if cohort.get("count") is not None]
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
        cohort_date = parse_optional(cohort.get("date"))
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
            sources = merge_sources(sources, member_record["sources"])
        bound = cohort.get("count_bound", "exact")
        record = {
            "kind": "cohort", "cohort": ident, "from": cohort.get("from"),
            "to": cohort.get("to"), "count": count, "reported": cohort["count"],
            "count_bound": bound, "date_bound": cohort.get("date_bound", "on"),
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
        units.append(Unit(cohort.get("from"), cohort.get("to"), count, foundings, people,
                           parse_optional(cohort.get("date")), sources, record, bound))
    for cohort in uncounted:
        if cohort.get("from") is None and cohort.get("to") is None:
            continue
        record = {
            "kind": "cohort", "cohort": cohort["id"], "from": cohort.get("from"),
            "to": cohort.get("to"), "count": 0, "reported": None,
            "count_bound": "uncounted", "size_as_stated": cohort.get("size_as_stated"),
            "date_bound": cohort.get("date_bound", "on"), "date": cohort.get("date"),
            "founding": cohort["relation"] == FOUNDED, "foundings": 0,
            "relations": [cohort["relation"]], "people": [], "members": [], "resolved": [],
            "named": sorted(cohort.get("members", [])), "overlaps": [],
            "within": list(cohort.get("within", [])),
            "note": cohort.get("note") or cohort.get("description"),
            "sources": list(cohort["sources"]), "cohort_sources": list(cohort["sources"]),
        }
        record["text"] = _cohort_sentence(entities, record)
        units.append(Unit(cohort.get("from"), cohort.get("to"), 0, 0, [],
                          parse_optional(cohort.get("date")), record["sources"], record,
                          "uncounted"))
    return units


def parse_optional(text: str | None) -> PartialDate | None:
    """A date, or None for no date.

    >>> parse_optional(None), parse_optional("2023-05").text
    (None, '2023-05')
    """
    return None if text is None else parse_date(text)


_SIZE_WORDS = {"approximate": "about ", "at-least": "at least ", "more-than": "more than ",
               "at-most": "at most ", "less-than": "fewer than "}


def _cohort_sentence(entities: Entities, record: dict) -> str:
    name = entities.name
    origin = name(record["from"])
    if record["count_bound"] == "uncounted":
        size = f"{record['size_as_stated'] or 'some'} (number not stated, not counted)"
    else:
        size = _SIZE_WORDS.get(record["count_bound"], "") + str(record["count"])
    if record["to"] is None:
        whither = ("to found companies not named" if record["founding"]
                   else "for destinations not named")
    else:
        whither = f"{'and founded' if record['founding'] else 'for'} {name(record['to'])}"
    text = (f"{size} people joined {name(record['to'])} from an origin not "
            f"named" if record["from"] is None else f"{size} people left {origin} "
            f"{whither}")
    if record["reported"] is not None and record["count"] != record["reported"]:
        text += f" (reported {record['reported']}; the rest are counted elsewhere)"
    return f"{text} [cohort {record['cohort']}] ({date_text(record)})"


def counting_units(data: FlowData, entities: Entities) -> tuple[list[Unit], list[dict]]:
    """Every counting unit in the data (a named person's move, or a cohort), and every
    return (left and rejoined the same company: not counted).

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> data = FlowData.from_graph(load_graph(bundled_data_dir()))
    >>> units, returns = counting_units(data, Entities(data.nodes))
    >>> sum(unit.count for unit in units if (unit.origin, unit.destination)
    ...     == ("google", "openai"))
    9
    """
    inference = Inference(data.moves, data.numbered)
    moves = [inference.move(number) for number in range(len(inference))]
    returns = inference.returns()
    units = _cohort_units(entities, data.cohorts, moves)
    for move in moves:
        if move.absorbed_by is None:
            record = _move_record(entities, move)
            units.append(Unit(move.origin, move.destination, 1, record["foundings"],
                               [move.person], move.date, record["sources"], record))
    return units, returns


# -- windows --------------------------------------------------------------------------------


def published_bound(registry: dict[str, dict], sources: list[dict]) -> int | None:
    """The last day (ordinal) by which an undated event had happened: its earliest
    article's date.

    >>> from datetime import date
    >>> registry = {"a.txt": {"published": "2023-09"}, "b.txt": {"published": "2024"}}
    >>> date.fromordinal(published_bound(registry, [{"doc": "b.txt"}, {"doc": "a.txt"}]))
    datetime.date(2023, 9, 30)
    """
    days = [date_span(registry[c["doc"]]["published"])[2]
            for c in sources if registry.get(c["doc"], {}).get("published")]
    return min(days) if days else None


def window_days(since: PartialDate | None, until: PartialDate | None,
                 ) -> tuple[int | None, int | None]:
    """The ordinals of the window's first and last day (None when open).

    >>> from datetime import date
    >>> start, end = window_days(PartialDate.parse("2023"), None)
    >>> date.fromordinal(start), end
    (datetime.date(2023, 1, 1), None)
    """
    return (since.first_day().toordinal() if since else None,
            until.last_day().toordinal() if until else None)


def placement(registry: dict[str, dict], unit: Unit, window: tuple[int | None, int | None],
               ) -> str:
    """``in`` the window (see :func:`window_days`), certainly ``out`` of it, or
    ``uncertain`` (the date is too coarse).

    >>> move = Unit("a", "b", 1, 0, [], PartialDate.parse("2023"), [], {})
    >>> [placement({}, move, window_days(PartialDate.parse(since), None))
    ...  for since in ("2022", "2023-06", "2024")]
    ['in', 'uncertain', 'out']
    """
    start, end = window
    if start is None and end is None:
        return "in"
    if unit.date is not None:
        _partial, earliest, latest = date_span(unit.date.text)
        if unit.record.get("date_bound") == "on-or-before":
            earliest = None
    else:
        earliest, latest = None, published_bound(registry, unit.sources)
    if ((start is not None and latest is not None and latest < start)
            or (end is not None and earliest is not None and earliest > end)):
        return "out"
    inside = ((start is None or (earliest is not None and earliest >= start))
              and (end is None or (latest is not None and latest <= end)))
    return "in" if inside else "uncertain"


def check_window(since: PartialDate | None, until: PartialDate | None) -> None:
    """Raise :class:`graphkit.errors.BadArgument` when the window holds no day.

    >>> check_window(PartialDate.parse("2024"), PartialDate.parse("2023"))
    Traceback (most recent call last):
    graphkit.errors.BadArgument: the window is empty: since 2024 is after until 2023
    """
    if since and until and since.first_day() > until.last_day():
        raise BadArgument(f"the window is empty: since {since.text} is after until {until.text}")


def unit_order(unit: Unit) -> tuple:
    """How units are listed: by date (undated last), kind, then cohort or person id.

    >>> unit_order(Unit("a", "b", 1, 0, ["ann"], None, [], {"date": None, "kind": "person",
    ...                                                    "person": "ann"}))
    ('9999', 'person', 'ann')
    """
    record = unit.record
    return (record["date"] or "9999", record["kind"], record.get("cohort") or record["person"])
