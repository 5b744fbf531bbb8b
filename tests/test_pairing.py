"""Who moved where: the history rules of graphkit.query.moves, worked out for every person
at once (graphkit.query.pairing).

Small histories with hand-worked answers, one rule each; then properties on random
histories: the answer does not depend on the order of the data, nor on who else is in
it (what lets the Spark engine split people across executors), and no report is counted
twice.  The whole answers of the flow fixtures are hand-checked in tests/test_flow.py.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.query.moves import Entities, Inference, _move_record

LEFT, JOINED, FOUNDED = ("person-left-company", "person-joined-company",
                         "person-founded-company")


def edges(*rows) -> list[tuple]:
    """``(person, relation, company, date, other)`` rows as move edges, ids e0, e1 ..."""
    found = []
    for number, (person, relation, company, when, *rest) in enumerate(rows):
        record = {"relation": relation, "date": when,
                  "sources": [{"doc": "a.txt", "quote": f"q{number}"}]}
        other = rest[0] if rest else None
        if other is not None:
            record["destination" if relation == LEFT else "origin"] = other
        found.append((person, company, f"e{number}", record))
    return found


def answer(moves: list[tuple]) -> tuple[list[tuple], list[tuple]]:
    """(person, from, to, edges, inferred, date) of each move; (person, company) of each
    return."""
    inference = Inference(moves)
    found = []
    for number in range(len(inference)):
        record = _move_record(Entities({}), inference.move(number))
        found.append((record["person"], record["from"], record["to"], record["edges"],
                      record["inferred"] is not None, record["date"]))
    return found, [(back["person"], back["company"]) for back in inference.returns()]


CASES = {
    "a departure naming its destination takes the joining there": (
        [("ann", LEFT, "a", "2020-01", "b"), ("ann", JOINED, "b", "2020-02")],
        [("ann", "a", "b", ["e0", "e1"], False, "2020-01")], []),
    "a joining naming its origin takes the departure from there": (
        [("ann", LEFT, "a", "2020-01"), ("ann", JOINED, "b", "2020-02", "a")],
        [("ann", "a", "b", ["e0", "e1"], False, "2020-01")], []),
    "a departure naming nothing takes the next dated arrival, marked inferred": (
        [("ann", LEFT, "a", "2020-01"), ("ann", JOINED, "b", "2020-03")],
        [("ann", "a", "b", ["e0", "e1"], True, "2020-01")], []),
    "leaving and rejoining is a return, not a move": (
        [("ann", LEFT, "a", "2020-01"), ("ann", JOINED, "a", "2020-05")],
        [], [("ann", "a")]),
    "a founding after a departure is the move's destination": (
        [("ann", LEFT, "a", "2020"), ("ann", FOUNDED, "c", "2020-06")],
        [("ann", "a", "c", ["e0", "e1"], True, "2020")], []),
    "a founding alone is no move": (
        [("ann", FOUNDED, "c", "2020-06")], [], []),
    "a joining alone comes from an unknown origin": (
        [("ann", JOINED, "b", "2021")], [("ann", None, "b", ["e0"], False, "2021")], []),
    "an undated departure takes no next event": (
        [("ann", LEFT, "a", None), ("ann", JOINED, "b", "2020")],
        [("ann", "a", None, ["e0"], False, None), ("ann", None, "b", ["e1"], False, "2020")],
        []),
    "an arrival certainly before the departure is not its destination": (
        [("ann", LEFT, "a", "2020-05"), ("ann", JOINED, "b", "2020-01")],
        [("ann", "a", None, ["e0"], False, "2020-05"),
         ("ann", None, "b", ["e1"], False, "2020-01")], []),
    "two reports of one departure are one move dated by the narrower": (
        [("ann", LEFT, "a", "2021", "d"), ("ann", LEFT, "a", "2021-06"),
         ("ann", JOINED, "d", "2021-07")],
        [("ann", "a", "d", ["e0", "e1", "e2"], False, "2021-06")], []),
    "reports naming different destinations are two departures": (
        [("ann", LEFT, "a", "2021", "d"), ("ann", LEFT, "a", "2021-06", "e")],
        [("ann", "a", "d", ["e0"], False, "2021"), ("ann", "a", "e", ["e1"], False, "2021-06")],
        []),
    "a joining naming another origin is not the named destination's arrival": (
        [("ann", LEFT, "a", "2020-01", "b"), ("ann", JOINED, "b", "2020-02", "x")],
        [("ann", "a", "b", ["e0"], False, "2020-01"),
         ("ann", "x", "b", ["e1"], False, "2020-02")], []),
    "departures naming a destination claim arrivals first": (
        [("ann", LEFT, "a", "2020"), ("ann", LEFT, "c", "2020-02", "b"),
         ("ann", JOINED, "b", "2020-03")],
        [("ann", "c", "b", ["e1", "e2"], False, "2020-02"),
         ("ann", "a", None, ["e0"], False, "2020")], []),
    "people are listed in id order, each in the order of the rules": (
        [("bob", JOINED, "b", "2019"), ("ann", JOINED, "c", "2022"),
         ("ann", LEFT, "a", "2018", "d")],
        [("ann", "a", "d", ["e2"], False, "2018"), ("ann", None, "c", ["e1"], False, "2022"),
         ("bob", None, "b", ["e0"], False, "2019")], []),
}


@pytest.mark.parametrize("rows, moves, returns", CASES.values(), ids=list(CASES))
def test_hand_checked_histories(rows, moves, returns):
    assert answer(edges(*rows)) == (moves, returns)


# -- properties on random histories --------------------------------------------------------

DATES = [None, "2019", "2020", "2020-03", "2020-03-05", "2020-03-20", "2020-06", "2021",
         "2021-01-01"]
COMPANIES = ["a", "b", "c", "d"]
EDGE = st.tuples(st.sampled_from(["ann", "bob", "cat"]),
                 st.sampled_from([LEFT, JOINED, FOUNDED]), st.sampled_from(COMPANIES),
                 st.sampled_from(DATES), st.sampled_from([None, None, *COMPANIES]),
                 st.booleans(), st.sampled_from(["q1", "q2"]))


def random_edges(rows) -> list[tuple]:
    found = []
    for number, (person, relation, company, when, other, before, quote) in enumerate(rows):
        record = {"relation": relation, "date": when,
                  "sources": [{"doc": "a.txt", "quote": quote}]}
        if other is not None and relation != FOUNDED:
            record["destination" if relation == LEFT else "origin"] = other
        if before and when:
            record["date_bound"] = "on-or-before"
        # Ids whose order is not the order of the data.
        found.append((person, company, f"e{(number * 7) % 31:02d}", record))
    return found


def records(moves: list[tuple]) -> tuple[list[dict], list[dict]]:
    inference = Inference(moves)
    return ([_move_record(Entities({}), inference.move(number))
             for number in range(len(inference))], inference.returns())


@settings(max_examples=100, deadline=None)
@given(st.lists(EDGE, max_size=16), st.randoms(use_true_random=False))
def test_the_order_of_the_data_does_not_matter(rows, chance: random.Random):
    moves = random_edges(rows)
    shuffled = list(moves)
    chance.shuffle(shuffled)
    assert records(shuffled) == records(moves)


@settings(max_examples=100, deadline=None)
@given(st.lists(EDGE, max_size=16))
def test_each_person_is_worked_out_alone(rows):
    """One person's moves do not depend on anybody else's history (so Spark may split
    people between executors)."""
    moves = random_edges(rows)
    together_moves, together_returns = records(moves)
    alone_moves, alone_returns = [], []
    for person in sorted({move[0] for move in moves}):
        found, back = records([move for move in moves if move[0] == person])
        alone_moves += found
        alone_returns += back
    assert (together_moves, together_returns) == (alone_moves, alone_returns)


@settings(max_examples=100, deadline=None)
@given(st.lists(EDGE, max_size=16))
def test_no_report_counts_twice_and_every_departure_counts(rows):
    moves = random_edges(rows)
    found, returns = records(moves)
    used = [edge for record in found for edge in record["edges"]]
    used += [edge for back in returns for edge in back["edges"]]
    assert len(used) == len(set(used))  # each report in one move or return at most
    for record in found:
        assert record["from"] != record["to"]
        assert record["relations"][0] != FOUNDED  # a founding alone is never a move
    # Every report of a departure is in a move or a return, unless a report of leaving
    # that company names the company itself as the destination (a move nowhere).
    nowhere = {(person, company) for person, company, _key, record in moves
               if record["relation"] == LEFT and record.get("destination") == company}
    departures = {key for person, company, key, record in moves
                  if record["relation"] == LEFT and (person, company) not in nowhere}
    assert departures <= set(used)


@settings(max_examples=60, deadline=None)
@given(st.lists(EDGE, max_size=16))
def test_an_arrival_never_certainly_precedes_its_departure(rows):
    from graphkit.data.dates import PartialDate

    for record in records(random_edges(rows))[0]:
        for arrival in (record["joined"], record["founded"]):
            if record["left"] and arrival:
                assert (PartialDate.parse(arrival).last_day()
                        >= PartialDate.parse(record["left"]).first_day())
