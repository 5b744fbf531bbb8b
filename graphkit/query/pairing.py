"""Who moved where, for every person at once: the history rules of
:mod:`graphkit.query.moves` as NumPy over columns of move edges.

Each person's history is sorted once (by first day, undated last, then relation, company
and edge id).  The rules are sequential within one history (an arrival claimed by one
departure is not there for the next), but independent between people, so every step runs
for all people at once: the k-th departure of every person is paired in one vectorised
step, over a matrix with one row per person and one column per event.  People are
grouped by the length of their history (up to a power of two), so a long history costs
its own rows only.  Duplicate reports of one fact are merged the same way, one row per
(person, relation, company).

:func:`pair_moves` takes the edges as columns of integer codes and day ordinals and gives
the moves (which edges make each one), the returns (left, then rejoined the same company)
and, for each edge, the event it was merged into.  Everything else (records, sentences,
sources, cohorts) is :mod:`graphkit.query.moves`.

>>> import numpy as np
>>> # One person (0): left company 1 on day 10 naming no destination, joined 2 on day 20.
>>> edges = EdgeColumns(person=np.array([0, 0]), company=np.array([1, 2]),
...                     rank=np.array([LEFT, JOINED]), first=np.array([10, 20]),
...                     last=np.array([10, 20]), dated=np.array([True, True]),
...                     before=np.array([False, False]), other=np.array([-1, -1]),
...                     key=np.array([0, 1]))
>>> paired = pair_moves(edges)
>>> paired.origin.tolist(), paired.destination.tolist(), paired.inferred.tolist()
([1], [2], [True])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

LEFT, JOINED, FOUNDED = 0, 1, 2  # the ranks of the move relations (MOVE_RELATIONS' order)
_SMALL = 1 << 16  # runs padded to one width when that takes no more cells than this
NONE = -1  # no company: an edge naming no other company, an unknown end, a missing event


@dataclass
class EdgeColumns:
    """The move edges: ``person`` and ``company`` codes (code order is id order), ``rank``
    of the relation, the ``first`` and ``last`` day of the date (ignored unless ``dated``),
    ``before`` (the date is only an upper bound), ``other`` (the destination a departure
    names, the origin a joining names, else ``NONE``) and ``key`` (the order of the edge
    ids: ties between equal events go to the smaller)."""

    person: np.ndarray
    company: np.ndarray
    rank: np.ndarray
    first: np.ndarray
    last: np.ndarray
    dated: np.ndarray
    before: np.ndarray
    other: np.ndarray
    key: np.ndarray

    def __len__(self) -> int:
        return len(self.person)


@dataclass
class Paired:
    """The moves of :func:`pair_moves`, in the order the rules give them: by person
    (code order), then by pass (a departure naming its destination or paired by a
    joining's origin, then one paired with the next event, then a joining alone), then
    in history order.  A move whose origin is its destination is left out.

    ``departure``, ``joining`` and ``founding`` are edges (indices into the columns), each
    standing for its event (the edge every duplicate report was merged into), or ``NONE``.
    ``event`` gives each edge the edge of its event; ``first``, ``last``, ``dated``,
    ``before`` and ``date_edge`` (the edge whose date it took) are each event's date after
    merging.  ``returns`` are ``(person, company, departure, rejoining)`` rows.
    """

    person: np.ndarray
    origin: np.ndarray
    destination: np.ndarray
    departure: np.ndarray
    joining: np.ndarray
    founding: np.ndarray
    inferred: np.ndarray
    returns: np.ndarray
    event: np.ndarray
    first: np.ndarray
    last: np.ndarray
    dated: np.ndarray
    before: np.ndarray
    date_edge: np.ndarray
    merge_order: np.ndarray  # the edges of each event, the event's own first: see members

    def members(self, event: int) -> list[int]:
        """The edges merged into ``event``, its own first, then in the order merged."""
        if self.event[event] != event:
            raise ValueError(f"edge {event} was merged into edge {int(self.event[event])}")
        start = np.searchsorted(self._sorted_events, event)
        end = np.searchsorted(self._sorted_events, event, side="right")
        return self.merge_order[start:end].tolist()

    @property
    def _sorted_events(self) -> np.ndarray:
        cached = getattr(self, "_events_sorted", None)
        if cached is None:
            cached = self._events_sorted = self.event[self.merge_order]
        return cached


def pair_moves(edges: EdgeColumns) -> Paired:
    """The moves and returns in ``edges``; see the module docstring."""
    count = len(edges)
    first = np.asarray(edges.first, dtype=np.int64).copy()
    last = np.asarray(edges.last, dtype=np.int64).copy()
    dated = np.asarray(edges.dated, dtype=bool).copy()
    before = np.asarray(edges.before, dtype=bool) & dated
    other = np.asarray(edges.other, dtype=np.int64).copy()
    person = np.asarray(edges.person, dtype=np.int64)
    company = np.asarray(edges.company, dtype=np.int64)
    rank = np.asarray(edges.rank, dtype=np.int64)
    key = np.asarray(edges.key, dtype=np.int64)
    date_edge = np.arange(count)
    event = np.arange(count)

    # 1. Duplicate reports: one row per fact (person, relation, company), in history order.
    later = int(first[dated].max(initial=0)) + 1  # undated: after every dated day
    facts = sort_order(person, rank, company, np.where(dated, first, later), key)
    fact_start = _starts(person[facts], rank[facts], company[facts])
    for rows in _padded(facts, fact_start, minimum=2):
        _merge(rows, event, first, last, dated, before, other, date_edge)
    # Each event's edges: its own first (merged ones come later in history order).
    merge_order = facts[np.argsort(event[facts], kind="stable")]

    # 2. Each person's history: the events left after merging, in date order.
    kept = np.flatnonzero(event == np.arange(count))
    later = int(first[kept][dated[kept]].max(initial=0)) + 1
    history = kept[sort_order(person[kept], np.where(dated[kept], first[kept], later),
                              rank[kept], company[kept], key[kept])]
    columns = _Columns(rank, company, first, last, dated, other)
    found: list[np.ndarray] = []
    returned: list[np.ndarray] = []
    for rows in _padded(history, _starts(person[history])):
        moves, backs = _pair(rows, columns)
        found.append(moves)
        returned.append(backs)
    moves = np.concatenate(found) if found else np.zeros((0, 8), dtype=np.int64)
    backs = np.concatenate(returned) if returned else np.zeros((0, 4), dtype=np.int64)
    # Columns of a move: departure, joining, founding, origin, destination, inferred,
    # pass, step; by person, pass and step.
    moves = moves[np.lexsort((moves[:, 7], moves[:, 6], person[_any_edge(moves)]))]
    moves = moves[moves[:, 3] != moves[:, 4]]
    backs = backs[np.lexsort((backs[:, 3], person[backs[:, 0]]))]
    return Paired(person=person[_any_edge(moves)], origin=moves[:, 3],
                  destination=moves[:, 4], departure=moves[:, 0], joining=moves[:, 1],
                  founding=moves[:, 2], inferred=moves[:, 5].astype(bool),
                  returns=np.stack([person[backs[:, 0]], company[backs[:, 0]], backs[:, 0],
                                    backs[:, 1]], axis=1) if len(backs)
                  else np.zeros((0, 4), dtype=np.int64),
                  event=event, first=first, last=last, dated=dated, before=before,
                  date_edge=date_edge, merge_order=merge_order)


def sort_order(*columns: np.ndarray) -> np.ndarray:
    """The stable order that sorts by ``columns`` (non-negative integers, the first the most
    significant), as ``np.lexsort`` of them reversed, with columns packed into as few 64-bit
    keys as they fit in (one sort pass a key).

    >>> sort_order(np.array([1, 0, 1, 0]), np.array([5, 7, 2, 7])).tolist()
    [1, 3, 2, 0]
    """
    keys: list[np.ndarray] = []
    used = 64
    for column in columns:
        column = np.asarray(column, dtype=np.int64)
        bits = max(int(column.max(initial=0)).bit_length(), 1)
        if used + bits <= 62:
            keys[-1] = (keys[-1] << bits) | column
            used += bits
        else:
            keys.append(column.copy())
            used = bits
    return np.lexsort(keys[::-1]) if keys else np.zeros(0, dtype=np.int64)


def distinct(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)``, by sorting: NumPy 2.3 and later find the distinct values of a
    large integer array by hashing, about ten times slower here (2.4 s against 0.2 s for
    5 million).

    >>> distinct(np.array([3, 1, 3, 2, 1])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(np.asarray(values).reshape(-1))
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def _any_edge(moves: np.ndarray) -> np.ndarray:
    """An edge of each move (its departure, else its joining), to find its person."""
    return np.where(moves[:, 0] >= 0, moves[:, 0], moves[:, 1])


def _starts(*keys: np.ndarray) -> np.ndarray:
    """Where each run of equal ``keys`` begins in sorted columns, and the end."""
    size = len(keys[0])
    change = np.zeros(size, dtype=bool)
    if size:
        change[0] = True
        for column in keys:
            change[1:] |= column[1:] != column[:-1]
    return np.concatenate([np.flatnonzero(change), [size]])


def _padded(order: np.ndarray, starts: np.ndarray, minimum: int = 1):
    """The runs of ``order`` (between ``starts``) as matrices, one run a row padded with
    ``NONE``; runs grouped by their length up to a power of two, so that padding at most
    doubles the cells.  Runs shorter than ``minimum`` are left out."""
    sizes = np.diff(starts)
    begins = starts[:-1]
    if not len(sizes):
        return
    widths = np.maximum(1, 2 ** np.ceil(np.log2(np.maximum(sizes, 1))).astype(np.int64))
    if len(sizes) * int(sizes.max()) <= _SMALL:  # few cells: one matrix, fewest steps
        widths[:] = int(sizes.max())
    for width in np.unique(widths[sizes >= minimum]).tolist():
        chosen = np.flatnonzero((widths == width) & (sizes >= minimum))
        columns = np.arange(width)
        inside = columns[None, :] < sizes[chosen][:, None]
        cells = np.where(inside, begins[chosen][:, None] + columns[None, :], 0)
        yield np.where(inside, order[cells], NONE)


def _first_true(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The column of the first True of each row, and whether there is one."""
    column = np.argmax(mask, axis=1)
    return column, mask[np.arange(len(mask)), column]


def _merge(rows: np.ndarray, event, first, last, dated, before, other, date_edge) -> None:
    """Merge duplicate reports, one fact a row: each report joins the first report kept
    before it whose date and other company are compatible with its own (the event's date
    becomes the narrower of the two)."""
    sizes = (rows >= 0).sum(axis=1)
    for step in range(1, rows.shape[1]):
        live = np.flatnonzero(sizes > step)
        if not len(live):
            break
        edge = rows[live, step]
        earlier = rows[live, :step]
        own = event[earlier] == earlier
        overlap = (~dated[earlier] | ~dated[edge][:, None]
                   | ((first[earlier] <= last[edge][:, None])
                      & (first[edge][:, None] <= last[earlier])))
        agree = ((other[earlier] == NONE) | (other[edge][:, None] == NONE)
                 | (other[earlier] == other[edge][:, None]))
        column, found = _first_true(own & overlap & agree)
        target, edge = earlier[found, column[found]], edge[found]
        event[edge] = target
        narrower = ~dated[target] | (dated[edge]
                                     & (last[edge] - first[edge] < last[target] - first[target]))
        moved, source = target[narrower], edge[narrower]
        first[moved], last[moved] = first[source], last[source]
        dated[moved], before[moved] = dated[source], before[source]
        date_edge[moved] = date_edge[source]
        other[target] = np.where(other[target] == NONE, other[edge], other[target])


@dataclass
class _Columns:
    rank: np.ndarray
    company: np.ndarray
    first: np.ndarray
    last: np.ndarray
    dated: np.ndarray
    other: np.ndarray


def _pair(rows: np.ndarray, columns: _Columns) -> tuple[np.ndarray, np.ndarray]:
    """The moves and returns of the people of ``rows`` (one history a row, in date order)."""
    valid = rows >= 0
    cell = np.where(valid, rows, 0)
    rank = np.where(valid, columns.rank[cell], NONE)
    company, other = columns.company[cell], columns.other[cell]
    first, last = columns.first[cell], columns.last[cell]
    dated = columns.dated[cell] & valid
    departs = rank == LEFT
    used = departs.copy()
    moves: list[np.ndarray] = []
    returns: list[np.ndarray] = []

    def emit(at, departure, joining, founding, origin, destination, inferred, stage, step):
        """Moves of rows ``at``: the columns of their events (``NONE``: no such event)."""
        if not len(at):
            return
        block = np.empty((len(at), 8), dtype=np.int64)
        for place, column in enumerate((departure, joining, founding)):
            if isinstance(column, int):
                block[:, place] = column
            else:
                block[:, place] = np.where(column >= 0, rows[at, np.maximum(column, 0)], NONE)
        block[:, 3], block[:, 4], block[:, 5] = origin, destination, inferred
        block[:, 6], block[:, 7] = stage, step
        moves.append(block)

    def not_before(at, column):
        """The events of rows ``at`` that are not certainly before event ``column``."""
        return (~dated[at] | ~dated[at, column][:, None]
                | (last[at] >= first[at, column][:, None]))

    def claim(at, mask):
        """The first event of each row of ``mask`` (rows ``at``), marked used."""
        column, found = _first_true(mask & ~used[at])
        used[at[found], column[found]] = True
        return np.where(found, column, NONE), found

    # Pass 1: departures naming their destination (in history order), then the others.
    order = np.argsort(np.where(departs, np.where(other >= 0, 0, 1), 2), axis=1, kind="stable")
    total = departs.sum(axis=1)
    unpaired: list[tuple[np.ndarray, np.ndarray, int]] = []
    for step in range(int(total.max(initial=0))):
        at = np.flatnonzero(total > step)
        column = order[at, step]
        left, goal = company[at, column], other[at, column]
        named = goal >= 0
        later = not_before(at, column)
        joins = (rank[at] == JOINED) & later & np.where(
            named[:, None],
            (company[at] == goal[:, None]) & ((other[at] == NONE) | (other[at] == left[:, None])),
            (other[at] == left[:, None]) & (company[at] != left[:, None]))
        joining, joined = claim(at, joins)
        paired = named | joined
        unpaired.append((at[~paired], column[~paired], step))
        goal = np.where(named, goal, company[at, np.maximum(joining, 0)])
        at, column, later = at[paired], column[paired], later[paired]
        goal, left, joining = goal[paired], left[paired], joining[paired]
        founding, _ = claim(at, (rank[at] == FOUNDED) & (company[at] == goal[:, None]) & later)
        emit(at, column, joining, founding, left, goal, 0, 0, step)

    # Pass 2: a departure naming no destination and paired with no joining takes the
    # person's next dated event, when that is an arrival.
    if unpaired:
        at_all = np.concatenate([at for at, _column, _step in unpaired])
        column_all = np.concatenate([column for _at, column, _step in unpaired])
        step_all = np.concatenate([np.full(len(at), step) for at, _column, step in unpaired])
        sequence = np.lexsort((step_all, at_all))
        at_all, column_all = at_all[sequence], column_all[sequence]
        starts = _starts(at_all)
        place = np.arange(len(at_all)) - np.repeat(starts[:-1], np.diff(starts))
    else:
        at_all = column_all = place = np.zeros(0, dtype=np.int64)
    for step in range(int(place.max(initial=-1)) + 1):
        pick = place == step
        at, column = at_all[pick], column_all[pick]
        left = company[at, column]
        following = dated[at] & (last[at] >= first[at, column][:, None])
        following[np.arange(len(at)), column] = False
        after, exists = _first_true(following)
        exists &= dated[at, column]
        kind, whence = rank[at, after], other[at, after]
        taken = (exists & ~used[at, after] & (kind != LEFT)
                 & ~((kind == JOINED) & (whence != NONE) & (whence != left)))
        emit(at[~taken], column[~taken], NONE, NONE, left[~taken], NONE, 0, 1, step)
        at, column, after, left, kind = (at[taken], column[taken], after[taken], left[taken],
                                         kind[taken])
        used[at, after] = True
        arrival = company[at, after]
        back = arrival == left
        if back.any():
            returns.append(np.stack([rows[at[back], column[back]], rows[at[back], after[back]],
                                     np.zeros(int(back.sum()), dtype=np.int64),
                                     np.full(int(back.sum()), step)], axis=1))
        founded = ~back & (kind == FOUNDED)
        emit(at[founded], column[founded], NONE, after[founded], left[founded],
             arrival[founded], 1, 1, step)
        joined = ~back & (kind == JOINED)
        at, column, after, left, arrival = (at[joined], column[joined], after[joined],
                                            left[joined], arrival[joined])
        founding, _ = claim(at, (rank[at] == FOUNDED) & (company[at] == arrival[:, None])
                            & not_before(at, column))
        emit(at, column, after, founding, left, arrival, 1, 1, step)

    # Pass 3: every joining still unclaimed is a move of its own, with a founding of the
    # same company at a compatible date.
    joinings = (rank == JOINED) & ~used
    order = np.argsort(~joinings, axis=1, kind="stable")
    total = joinings.sum(axis=1)
    for step in range(int(total.max(initial=0))):
        at = np.flatnonzero(total > step)
        column = order[at, step]
        arrival = company[at, column]
        around = (~dated[at] | ~dated[at, column][:, None]
                  | ((first[at] <= last[at, column][:, None])
                     & (first[at, column][:, None] <= last[at])))
        founding, _ = claim(at, (rank[at] == FOUNDED) & (company[at] == arrival[:, None])
                            & around)
        emit(at, NONE, column, founding, other[at, column], arrival, 0, 2, step)

    empty = np.zeros((0, 8), dtype=np.int64)
    return (np.concatenate(moves) if moves else empty,
            np.concatenate(returns) if returns else np.zeros((0, 4), dtype=np.int64))
