"""Talent flow counts bounded groups as lower bounds and says so, lists groups of unstated
size without adding them, and leaves hedged claims out; on the hand-made facts fixture
(tests/fixtures/facts), whose answers are checked by hand:

- "More than 5 people left Openco for Rivalco in 2021": counted as 5, a lower bound;
- Ann Lee left Openco "on or before 2023-01-24" for Rivalco: one more move;
- "數名員工今年離開了Openco" (several): listed on Openco → (unknown), not counted;
- "Ben Ho may leave for Moonco": possible, so not a move.
"""

from __future__ import annotations

import pytest

from graphkit.data.dates import PartialDate
from graphkit.query.flow import compute_flow, explain_flow
from graphkit.query.movetable import MoveTable


@pytest.fixture(scope="module")
def table(facts_graph) -> MoveTable:
    return MoveTable.from_data(facts_graph)


def pairs(result: dict) -> list[tuple]:
    return [(p["from"], p["to"], p["moves"], p["lower_bound"], p["uncounted"])
            for p in result["pairs"]]


def test_bounded_and_uncounted_groups(table):
    result = compute_flow(table)
    assert pairs(result) == [
        ("openco", "rivalco", 6, True, []),
        ("openco", None, 0, False, ["openco-several-left-2024"]),
    ]
    totals = result["totals"]
    assert totals["moves"] == 6
    assert totals["bounded"] == {"more-than": 1}
    assert totals["lower_bound"] is True
    assert totals["uncounted"] == 1


def test_hedged_moves_are_listed_not_counted(table):
    result = compute_flow(table)
    assert ("rivalco", "moonco") not in {(p["from"], p["to"]) for p in result["pairs"]}
    assert result["totals"]["hedged"] == 1
    [hedged] = result["hedged"]
    assert (hedged["id"], hedged["hedge"], hedged["kind"]) == (
        "ben-may-leave-rivalco", "possible", "edge")


def test_a_date_known_only_as_an_upper_bound_is_never_placed_after_a_since(table):
    # Ann left Openco on or before 2023-01-24: perhaps in 2022, perhaps in 2019.
    since = compute_flow(table, since=PartialDate.parse("2023"))
    assert pairs(since) == [("openco", None, 0, False, ["openco-several-left-2024"])]
    assert [record["person"] for record in since["uncertain"] if record["kind"] == "person"] == [
        "ann"]
    until = compute_flow(table, until=PartialDate.parse("2023-06"))
    assert pairs(until)[0] == ("openco", "rivalco", 6, True, [])


def test_explain_says_what_it_counts(table):
    answer = explain_flow(table, "openco", "rivalco")
    assert answer["moves"] == 6 and answer["lower_bound"] is True
    assert [record["text"] for record in answer["moves_detail"]] == [
        "more than 5 people left Openco for Rivalco [cohort openco-to-rivalco-2021] (2021)",
        "Ann Lee moved from Openco to Rivalco (on or before 2023-01-24)"]
    several = explain_flow(table, "openco", None)
    assert (several["moves"], several["uncounted"]) == (0, ["openco-several-left-2024"])
    [record] = several["moves_detail"]
    assert record["count"] == 0 and record["size_as_stated"] == "數名"


def test_flow_text_says_the_totals_are_lower_bounds(table):
    from graphkit.present.flow_text import flow_csv, flow_text

    result = compute_flow(table)
    lines = flow_text(result).splitlines()
    assert lines[0].startswith("Talent flow, all dates: at least 6 moves")
    assert lines[1] == ('(1 group counted at its stated minimum ("more than N" as N); '
                        "1 group of unstated size listed, not counted)")
    assert "1  Openco  Rivalco    6+             0  Ann Lee (+5 unnamed)" in lines
    assert "2  Openco  (unknown)  0+             0  1 group of unstated size" in lines
    assert any(line.startswith("Not counted: 1 hedged claim(s)") for line in lines)
    csv_lines = flow_csv(result).splitlines()
    assert csv_lines[1].endswith(",6,0,Ann Lee,ann,openco-to-rivalco-2021,1,")
    assert csv_lines[2].endswith(",0,0,,,openco-several-left-2024,0,openco-several-left-2024")
