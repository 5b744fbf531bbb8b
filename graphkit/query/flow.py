"""Talent flow: the matrix of moves between companies, each company's balance, both-way
ratios and alumni, each figure traceable to the moves and quotes behind it.

What counts as a move, and how cohorts, windows and unknown ends count, is told in
:mod:`graphkit.query.moves`.  The moves are counted from a
:class:`graphkit.query.movetable.MoveTable` (the moves as columns): every function here
takes the NetworkX graph, a :class:`graphkit.query.moves.FlowData` or a table, and the
command line reads the table kept beside the cache, so a window or a filter never infers
the moves again.  Their text and CSV are :mod:`graphkit.present.flow_text`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from graphkit.collector import collector_paused
from graphkit.data.dates import PartialDate
from graphkit.query.moves import (
    COUNT_BOUNDS,
    LOWER_BOUNDS,
    FlowData,
    Unit,
    check_window,
    parse_optional,
    placement,
    window_days,
)
from graphkit.query.movetable import MoveTable
from graphkit.query.pairing import distinct

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["FlowData", "MoveTable", "alumni", "compute_flow", "explain_flow", "pair_details"]


def _table(source) -> MoveTable:
    return source if isinstance(source, MoveTable) else MoveTable.from_data(source)


def _key(ident: str | None) -> tuple:
    return (ident is None, ident or "")


# -- the analysis ---------------------------------------------------------------------------


def compute_flow(source: nx.MultiDiGraph | FlowData | MoveTable,
                 since: PartialDate | None = None, until: PartialDate | None = None,
                 from_companies=(), to_companies=(), top: int | None = None,
                 details: bool = False, every_entity: bool = True) -> dict:
    """The talent-flow matrix, per-company balance and two-way balances, as plain data.

    ``source`` is the NetworkX graph, a :class:`FlowData` or a :class:`MoveTable`.

    ``pairs``: one entry per ordered pair (``from``/``to`` are ids, ``None`` when unknown)
    with ``moves`` (cohorts counted with their size), ``foundings``, ``people`` (named person
    ids) and ``cohorts``; with ``details``, also ``moves_detail``: each counted move
    (``kind`` ``person``) or cohort (``kind`` ``cohort``) with ``count``, ``date``,
    ``relations``, ``sources`` and ``text``; a cohort also lists its absorbed ``members``
    (their own moves), the people ``resolved`` onto other pairs, the ``overlaps``
    subtracted, and ``cohort_sources`` (its own quotes; ``sources`` adds its members').
    ``companies``: ``inflow``, ``outflow``, ``net``, the unknown parts of each,
    ``top_destinations`` and ``top_origins``.  ``balance``: each pair of known companies
    both ways, the larger direction first, with ``ratio`` (``None`` when nothing moved
    back).  ``uncertain``: moves that may fall in the window but cannot be placed;
    ``returns``: people who left and rejoined the same company (not counted).  ``top``
    keeps only the N largest pairs, companies, balances and top lists (found without
    ranking the rest).  ``entities``: the id, name and type of every entity the counted
    and uncertain moves mention and of the people in ``returns``; with ``every_entity``
    False, only of those the answer's entries name (what a text table prints: at scale,
    a few of millions).

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> flow = compute_flow(load_graph(bundled_data_dir()))
    >>> [(p["moves"], p["people"]) for p in flow["pairs"]
    ...  if (p["from"], p["to"]) == ("openai", "anthropic")]
    [(11, ['daniela-amodei', 'dario-amodei'])]
    """
    check_window(since, until)
    table = _table(source)
    with collector_paused():
        return _flow(table, since, until, list(from_companies), list(to_companies), top,
                     details, every_entity)


def _flow(table: MoveTable, since: PartialDate | None, until: PartialDate | None,
          from_companies: list[str], to_companies: list[str], top: int | None,
          details: bool, every_entity: bool = True) -> dict:
    inside, uncertain = table.placement(window_days(since, until))
    selected = _selection(table, from_companies, to_companies)
    if from_companies or to_companies:
        kept = selected(table.origin, table.destination)
        inside_kept, uncertain_kept = inside & kept, uncertain & kept
    else:
        inside_kept, uncertain_kept = inside, uncertain
    counted, uncertain_rows = np.flatnonzero(inside_kept), np.flatnonzero(uncertain_kept)
    labels = _Labels(table)
    ranked = _RankedPairs(table, counted, labels)
    destination, origin, count = ranked.destination, ranked.origin, ranked.count
    wanted_from, wanted_to = set(from_companies), set(to_companies)

    def returned(company: str) -> bool:
        return ((not wanted_from or company in wanted_from)
                and (not wanted_to or company in wanted_to))

    bound = table.bound[counted]
    bounded = {name: int(np.count_nonzero((bound == code) & (count > 0)))
               for code, name in enumerate(COUNT_BOUNDS) if name not in ("exact", "uncounted")}
    people = table.people if len(counted) == len(table) else table.people_of(counted)[0]
    named = np.zeros(len(table.ids), dtype=bool)
    named[people] = True
    result = {
        "window": {"since": since.text if since else None, "until": until.text if until else None},
        "filters": {"from": sorted(wanted_from), "to": sorted(wanted_to)},
        "totals": {
            "moves": int(count.sum()),
            # Groups counted at a bound ("more than 20" counts 20): the totals are then
            # lower bounds; groups of unstated size are listed and add nothing.
            "bounded": {name: number for name, number in bounded.items() if number},
            "lower_bound": any(bounded[name] for name in LOWER_BOUNDS),
            "uncounted": int(np.count_nonzero(bound == UNCOUNTED)),
            "hedged": len(table.hedged),
            "foundings": int(table.foundings[counted].sum()),
            "named_people": int(np.count_nonzero(named)),
            "to_unknown": int(count[destination < 0].sum()),
            "from_unknown": int(count[origin < 0].sum()),
            "pairs": len(ranked),
            "uncertain": int(table.count[uncertain_rows].sum()),
        },
        "pairs": ranked.entries(top, details),
        "companies": ranked.companies(top),
        "balance": _balance(table, inside, selected if from_companies or to_companies else None,
                            top, labels),
        "uncertain": table.records(uncertain_rows.tolist()),
        "returns": sorted((back for back in table.returns if returned(back["company"])),
                          key=lambda back: (back["person"], back["left"])),
        "hedged": list(table.hedged),
    }
    if every_entity:
        codes = table.mentioned(np.concatenate([counted, uncertain_rows])).tolist()
    else:  # those the entries name
        codes = table.mentioned(uncertain_rows).tolist() + labels.codes
        codes += (table.code[back["company"]] for back in result["returns"]
                  if back["company"] in table.code)
    codes += (table.code[back["person"]] for back in table.returns)
    result["entities"] = table.entity_records(codes)
    return result


def pair_details(source: nx.MultiDiGraph | FlowData | MoveTable, pairs,
                 since: PartialDate | None = None, until: PartialDate | None = None,
                 ) -> dict[tuple, list[dict]]:
    """The ``moves_detail`` that :func:`compute_flow` gives with ``details`` (the counted
    moves and cohorts, in its order), of ``pairs`` (``(from, to)``; None is unknown) only:
    a page draws a few pairs of many.

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> detail = pair_details(load_graph(bundled_data_dir()), [("openai", "anthropic")])
    >>> [(move["kind"], move["count"]) for move in detail["openai", "anthropic"]]
    [('cohort', 11)]
    """
    check_window(since, until)
    table = _table(source)
    pairs = list(dict.fromkeys(pairs))
    width = len(table.ids) + 2  # codes shifted by two: not here (-2) is 0, unknown (-1) 1
    keys = (table.origin.astype(np.int64) + 2) * width + table.destination + 2
    wanted = np.array([(table.code_of(origin) + 2) * width + table.code_of(destination) + 2
                       for origin, destination in pairs], dtype=np.int64)
    inside, _uncertain = table.placement(window_days(since, until))
    rows = np.flatnonzero(inside & np.isin(keys, wanted))
    with collector_paused():
        records = table.records(rows.tolist())
    found: dict[tuple, list[dict]] = {pair: [] for pair in pairs}
    pair_of_key = dict(zip(wanted.tolist(), pairs, strict=True))
    for key, record in zip(keys[rows].tolist(), records, strict=True):
        found[pair_of_key[key]].append(record)
    return found


UNCOUNTED = COUNT_BOUNDS.index("uncounted")
_LOWER_CODES = [COUNT_BOUNDS.index(name) for name in LOWER_BOUNDS]


def _selection(table: MoveTable, from_companies: list[str], to_companies: list[str]):
    """A function of origin and destination codes: the mask of moves the filters keep."""
    wanted_from, wanted_to = table.codes_of(from_companies), table.codes_of(to_companies)

    def selected(origin: np.ndarray, destination: np.ndarray) -> np.ndarray:
        keep = np.ones(len(origin), dtype=bool)
        if from_companies:
            keep &= np.isin(origin, wanted_from)
        if to_companies:
            keep &= np.isin(destination, wanted_to)
        return keep

    return selected


def _first(keys: tuple[np.ndarray, ...], top: int | None) -> np.ndarray:
    """The positions of the first ``top`` (all when None or 0) in the order
    ``np.lexsort(keys)`` gives (the last key first): a few of many are found by partition,
    and only those tied with them are sorted."""
    primary = keys[-1]
    if top and top < len(primary):
        threshold = np.partition(primary, top - 1)[top - 1]
        candidates = np.flatnonzero(primary <= threshold)
        return candidates[np.lexsort(tuple(key[candidates] for key in keys))][:top]
    return np.lexsort(keys)


def _unknown_last(codes: np.ndarray, unknown: int) -> np.ndarray:
    return np.where(codes < 0, unknown, codes)


class _Labels:
    """The ids of codes (``None`` for the unknown company, -1): read one by one for the few
    a short answer shows, all at once for many; ``codes`` are those asked for (their
    entities are the ones a text answer needs)."""

    def __init__(self, table: MoveTable):
        self.ids = table.ids
        self.asked = np.zeros(len(table.ids) + 1, dtype=bool)  # [-1]: the unknown company
        self._read: dict[int, str | None] = {-1: None}
        self._every: list[str | None] | None = None

    def of(self, codes: np.ndarray) -> list[str | None]:
        codes = np.asarray(codes, dtype=np.int64)
        self.asked[codes] = True
        if self._every is None and len(codes) > len(self.ids) // 64:
            self._every = [*self.ids.tolist(), None]  # [-1]: the unknown company
        if self._every is not None:
            every = self._every
            return [every[code] for code in codes.tolist()]
        unread = sorted(set(codes.tolist()).difference(self._read))
        self._read.update(zip(unread, self.ids.take(unread), strict=True))
        return list(map(self._read.__getitem__, codes.tolist()))

    @property
    def codes(self) -> list[int]:
        return np.flatnonzero(self.asked[:-1]).tolist()


class _RankedPairs:
    """The ordered pairs among some rows of a table, ranked: most moves first, then by ids
    (an unknown end last).  Entries are built only for the pairs an answer shows.

    Each row's pair is numbered in the table (``MoveTable.pair``), so the pairs' figures
    are sums by number (``bincount``), and only the first ``top`` are ranked."""

    def __init__(self, table: MoveTable, rows: np.ndarray, labels: _Labels | None = None):
        self.table, self.rows = table, rows
        self.labels = labels if labels is not None else _Labels(table)
        everything = len(rows) == len(table)  # then rows are every row, in order
        self.origin = table.origin if everything else table.origin[rows]
        self.destination = table.destination if everything else table.destination[rows]
        self.count = table.count if everything else table.count[rows]
        self.pair_of_row = pair = table.pair if everything else table.pair[rows]
        size = len(table.pair_origin)

        def summed(values: np.ndarray | None = None) -> np.ndarray:
            return np.bincount(pair, weights=values, minlength=size)

        present = np.flatnonzero(summed() > 0)
        self.pairs = present  # the pairs' numbers, in the order of their ends' codes
        self.moves = summed(self.count)[present].astype(np.int64)
        foundings = table.foundings if everything else table.foundings[rows]
        self.foundings = summed(foundings)[present].astype(np.int64)
        bound = table.bound if everything else table.bound[rows]
        self.lower = summed(np.isin(bound, _LOWER_CODES) & (self.count > 0))[present] > 0
        self.origins = table.pair_origin[present].astype(np.int64)
        self.destinations = table.pair_destination[present].astype(np.int64)

    def __len__(self) -> int:
        return len(self.moves)

    def ranked(self, top: int | None) -> np.ndarray:
        """The first ``top`` pairs (all when None), as positions in ``pairs``: most moves
        first, then by ids."""
        unknown_last = len(self.table.ids)
        return _first((_unknown_last(self.destinations, unknown_last),
                       _unknown_last(self.origins, unknown_last), -self.moves), top)

    def entries(self, top: int | None, details: bool) -> list[dict]:
        """The ``top`` largest pairs (all when None), each with its people and cohorts."""
        table = self.table
        shown = self.ranked(top)
        # The rows of the pairs shown, grouped by pair in the order shown, each pair's in
        # the order of ``rows``.
        place_of_pair = np.full(len(table.pair_origin), -1, dtype=np.int64)
        place_of_pair[self.pairs[shown]] = np.arange(len(shown))
        place = place_of_pair[self.pair_of_row]
        positions = np.flatnonzero(place >= 0)
        positions = positions[np.argsort(place[positions], kind="stable")]
        rows, place = self.rows[positions], place[positions]
        row_bounds = np.searchsorted(place, np.arange(len(shown) + 1)).tolist()
        # Each pair's people, sorted by id (code order is id order), without repeats.
        width = len(table.ids) + 1
        people, position = table.people_of(rows)
        pair_person = distinct(place[position] * width + people)
        person_bounds = np.searchsorted(pair_person // width,
                                        np.arange(len(shown) + 1)).tolist()
        person_ids = self.labels.of(pair_person % width)
        cohorts: dict[int, list[str]] = {}
        uncounted: dict[int, list[str]] = {}
        for at in np.flatnonzero(table.cohort[rows] >= 0).tolist():
            row = rows[at]
            ident = table.cohort_ids[table.cohort[row]]
            cohorts.setdefault(int(place[at]), []).append(ident)
            if table.bound[row] == UNCOUNTED:
                uncounted.setdefault(int(place[at]), []).append(ident)
        if details:
            records = table.records(rows.tolist())
        ends = self.labels.of(np.concatenate([self.origins[shown], self.destinations[shown]]))
        moves, foundings = self.moves[shown].tolist(), self.foundings[shown].tolist()
        lower = self.lower[shown].tolist()
        pairs = []
        for number in range(len(shown)):
            entry = {"from": ends[number], "to": ends[len(shown) + number],
                     "moves": moves[number], "foundings": foundings[number],
                     "people": person_ids[person_bounds[number]:person_bounds[number + 1]],
                     "cohorts": sorted(cohorts[number]) if number in cohorts else [],
                     "lower_bound": bool(lower[number]),
                     "uncounted": sorted(uncounted[number]) if number in uncounted else []}
            if details:
                entry["moves_detail"] = records[row_bounds[number]:row_bounds[number + 1]]
            pairs.append(entry)
        return pairs

    def companies(self, top: int | None) -> list[dict]:
        """Each company's inflow, outflow and net, the unknown parts of each, the
        foundings it received, and its ``top`` destinations and origins; the ``top``
        companies by inflow plus outflow (all when None)."""
        count = len(self.table.ids)
        origins, destinations = self.origins, self.destinations
        moves, foundings = self.moves, self.foundings
        leaving, arriving = origins >= 0, destinations >= 0

        def total(where: np.ndarray, codes: np.ndarray, values: np.ndarray) -> np.ndarray:
            return np.bincount(codes[where], weights=values[where],
                               minlength=count).astype(np.int64)

        outflow, inflow = total(leaving, origins, moves), total(arriving, destinations, moves)
        involved = np.zeros(count, dtype=bool)
        involved[origins[leaving]] = involved[destinations[arriving]] = True
        codes = np.flatnonzero(involved)
        volume = inflow[codes] + outflow[codes]
        shown = codes[_first((codes, -volume), top)]
        is_shown = np.zeros(count + 1, dtype=bool)  # [-1]: the unknown company
        is_shown[shown] = True
        unknown_last = count
        destinations_of = _grouped(origins, destinations, moves, leaving & is_shown[origins],
                                   _unknown_last(destinations, unknown_last), top, self.labels)
        origins_of = _grouped(destinations, origins, moves, arriving & is_shown[destinations],
                              _unknown_last(origins, unknown_last), top, self.labels)
        outflow_unknown = total(leaving & ~arriving & is_shown[origins], origins, moves)
        inflow_unknown = total(arriving & ~leaving & is_shown[destinations], destinations,
                               moves)
        foundings_in = total(arriving & is_shown[destinations], destinations, foundings)
        return [{"company": company, "inflow": int(inflow[code]),
                 "outflow": int(outflow[code]),
                 "inflow_unknown": int(inflow_unknown[code]),
                 "outflow_unknown": int(outflow_unknown[code]),
                 "foundings_in": int(foundings_in[code]),
                 "net": int(inflow[code] - outflow[code]),
                 "top_destinations": destinations_of.get(code, []),
                 "top_origins": origins_of.get(code, [])}
                for code, company in zip(shown.tolist(), self.labels.of(shown), strict=True)]


def _grouped(keys: np.ndarray, others: np.ndarray, moves: np.ndarray, where: np.ndarray,
             other_rank: np.ndarray, top: int | None, labels: _Labels) -> dict[int, list[dict]]:
    """For each key among the pairs ``where`` keeps, its first ``top`` (all when None)
    ``{"company": other, "moves"}``: most moves first, then by ``other_rank``."""
    positions = np.flatnonzero(where)
    if not len(positions):
        return {}
    positions = positions[np.lexsort((other_rank[positions], -moves[positions],
                                       keys[positions]))]
    ordered = keys[positions]
    firsts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    if top:
        rank = np.arange(len(ordered)) - np.repeat(firsts, np.diff(np.r_[firsts, len(ordered)]))
        positions, ordered = positions[rank < top], ordered[rank < top]
        firsts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    entries = [{"company": other, "moves": moved}
               for other, moved in zip(labels.of(others[positions]), moves[positions].tolist(),
                                       strict=True)]
    bounds = [*firsts.tolist(), len(entries)]
    return {key: entries[bounds[group]:bounds[group + 1]]
            for group, key in enumerate(ordered[firsts].tolist())}


def _balance(table: MoveTable, inside: np.ndarray, selected, top: int | None,
             labels: _Labels) -> list[dict]:
    """Each unordered pair of known companies among the rows ``inside`` keeps, both ways,
    the larger way first; with ``selected``, only pairs it keeps one way or the other."""
    link, count = table.link, table.count
    origin, destination = table.origin, table.destination
    known = inside & (link >= 0)
    if not known.all():
        link, count = link[known], count[known]
        origin, destination = origin[known], destination[known]
    size = len(table.link_first)
    present = np.flatnonzero(np.bincount(link, minlength=size) > 0)
    if not len(present):
        return []
    forward = np.bincount(link, weights=count * (origin <= destination),
                          minlength=size)[present].astype(np.int64)
    backward = np.bincount(link, weights=count * (origin >= destination),
                           minlength=size)[present].astype(np.int64)
    first = table.link_first[present].astype(np.int64)
    second = table.link_second[present].astype(np.int64)
    swap = backward > forward
    first, second = np.where(swap, second, first), np.where(swap, first, second)
    forward, backward = np.where(swap, backward, forward), np.where(swap, forward, backward)
    if selected is not None:
        keep = selected(first, second) | selected(second, first)
        first, second, forward, backward = (first[keep], second[keep], forward[keep],
                                            backward[keep])
    ranked = _first((second, first, -forward, -(forward + backward)), top)
    ends = labels.of(np.concatenate([first[ranked], second[ranked]]))
    return [{"a": ends[number], "b": ends[len(ranked) + number], "a_to_b": ahead,
             "b_to_a": behind, "total": ahead + behind,
             "ratio": round(ahead / behind, 2) if behind else None}
            for number, (ahead, behind) in enumerate(zip(forward[ranked].tolist(),
                                                          backward[ranked].tolist(),
                                                          strict=True))]


# -- tracing one figure, and alumni --------------------------------------------------------


def explain_flow(source: nx.MultiDiGraph | FlowData | MoveTable, origin: str | None,
                 destination: str | None, since: PartialDate | None = None,
                 until: PartialDate | None = None) -> dict:
    """Every move and cohort behind the figure ``origin`` → ``destination`` (``None`` is
    unknown), with their sources, the figure the other way and their ratio.

    ``moves`` is 0 when nothing moved that way in the window.

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> answer = explain_flow(load_graph(bundled_data_dir()), "openai", "google")
    >>> answer["moves"], answer["back"]
    (1, 9)
    >>> [m.get("person") or m["cohort"] for m in answer["moves_detail"]]
    ['david-luan', 'openai-staff-to-google-a004']
    """
    check_window(since, until)
    table = _table(source)
    with collector_paused():
        inside, uncertain = table.placement(window_days(since, until))
        rows = table.rows_between(origin, destination)
        [pair] = _RankedPairs(table, rows[inside[rows]]).entries(None, True) or [None]
        back, back_rows = None, rows[:0]
        if origin is not None and destination is not None:
            back_rows = table.rows_between(destination, origin)
            [back] = (_RankedPairs(table, back_rows[inside[back_rows]]).entries(None, True)
                      or [None])
        unsure = rows[uncertain[rows]]
        entities = table.entity_records(table.mentioned(np.concatenate(
            [rows[inside[rows]], back_rows[inside[back_rows]], unsure])))
    for ident in (origin, destination):
        record = table.entity_record(ident) if ident is not None else None
        if record is not None:
            entities[ident] = record
    moves = pair["moves"] if pair else 0
    returned = back["moves"] if back else 0
    return {
        "from": origin, "to": destination,
        "window": {"since": since.text if since else None, "until": until.text if until else None},
        "moves": moves, "foundings": pair["foundings"] if pair else 0,
        "people": pair["people"] if pair else [], "cohorts": pair["cohorts"] if pair else [],
        "lower_bound": pair["lower_bound"] if pair else False,
        "uncounted": pair["uncounted"] if pair else [],
        "moves_detail": pair["moves_detail"] if pair else [],
        "back": returned if origin and destination else None,
        "back_detail": back["moves_detail"] if back else [],
        "ratio": round(moves / returned, 2) if returned else None,
        "uncertain": table.records(unsure.tolist()),
        "entities": entities,
    }


def alumni(source: nx.MultiDiGraph | FlowData | MoveTable, company: str,
           since: PartialDate | None = None, until: PartialDate | None = None) -> dict:
    """Companies founded by people who left ``company``: founders, cohorts and investors.

    A person is an alumnus from the moment they left ``company`` (directly or by way of
    other jobs); every company they founded afterwards counts, with ``via`` naming the
    companies in between.  Cohorts that left ``company`` to found companies count with their
    size (``company`` is ``None`` when the article does not name the companies).  The window
    applies to the founding.  ``source`` is the NetworkX graph, a :class:`FlowData` or a
    :class:`MoveTable`.

    >>> from graphkit.store.graph import load_graph
    >>> from graphkit.data.locate import bundled_data_dir
    >>> result = alumni(load_graph(bundled_data_dir()), "openai")
    >>> [(entry["company"], entry["people"]) for entry in result["founded"]][:2]
    [(None, 19), ('anthropic', 11)]
    """
    check_window(since, until)
    table = _table(source)
    with collector_paused():
        return _alumni(table, company, since, until)


def _alumni(table: MoveTable, company: str, since: PartialDate | None,
            until: PartialDate | None) -> dict:
    data, window = table.data, window_days(since, until)
    inside, _uncertain = table.placement(window)
    leaving = np.flatnonzero(table.origin == table.code_of(company))
    founded: dict[str | None, dict] = {}

    def entry(ident: str | None) -> dict:
        return founded.setdefault(ident, {"company": ident, "founders": [], "cohorts": [],
                                          "investors": []})

    cohorts = leaving[(table.cohort[leaving] >= 0) & inside[leaving]]
    for row in sorted(cohorts.tolist(), key=lambda row: table.position[row]):
        record = table.record(row)
        if record["founding"]:
            entry(record["to"])["cohorts"].append(
                {key: record.get(key) for key in ("cohort", "count", "reported", "count_bound",
                                                  "size_as_stated", "date", "people", "text")}
                | {"sources": record["cohort_sources"]})
    chains = _departure_chains(table, leaving, company)
    for person, (left, path) in sorted(chains.items()):
        for target, key, edge in data.foundings(person):
            if target == company:
                continue
            founded_on = parse_optional(edge.get("date"))
            if founded_on is not None and left is not None and founded_on.last_day() < left:
                continue
            probe = Unit(None, target, 1, 1, [person], founded_on, edge.get("sources", []), {})
            if placement(data.sources, probe, window) != "in":
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
    records = (table.entity_record(ident) for ident in sorted(idents))
    return {"company": company, "window": {"since": since.text if since else None,
                                           "until": until.text if until else None},
            "founded": ordered, "people": sum(e["people"] for e in ordered),
            "entities": {record["id"]: record for record in records if record is not None}}


def _departure_chains(table: MoveTable, leaving: np.ndarray,
                      company: str) -> dict[str, tuple[date | None, list]]:
    """For each person who left ``company`` (``leaving`` are the rows that left it): when
    (first day, if dated) and where they went afterwards, in order.

    Each such person's own moves, and their moves as named members of cohorts, are read
    (and nobody else's), in date order, then in the order the moves were inferred."""
    alumni = set(table.people[table.people_start[leaving[table.cohort[leaving] < 0]]].tolist())
    for row in leaving[table.cohort[leaving] >= 0].tolist():
        alumni.update(table.members.get(row, ()))
    if not alumni:
        return {}
    own = np.flatnonzero(table.cohort < 0)
    own = own[np.isin(table.people[table.people_start[own]], list(alumni))]
    rows = sorted([*own.tolist(), *(row for row, members in table.members.items()
                                    if alumni.intersection(members))],
                  key=lambda row: table.position[row])
    moves: dict[str, list[dict]] = {}
    for record in table.records(rows):
        for move in [record, *record.get("members", [])]:
            if move["kind"] == "person" and table.code[move["person"]] in alumni:
                moves.setdefault(move["person"], []).append(move)
    chains = {}
    for person, records in moves.items():
        records.sort(key=lambda r: r["date"] or "9999")
        for position, record in enumerate(records):
            if record["from"] == company:
                left = parse_optional(record["date"])
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
