"""Invariants of figures, timeline and totals on generated records (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graphkit.data.dates import PartialDate, parse_date
from graphkit.data.describe import quantity_text
from graphkit.query.facts import Facts, entity_figures, entity_timeline, happened_by
from graphkit.query.investments import currency_totals, interval

DATES = st.one_of(st.none(), st.sampled_from(["2019", "2023", "2023-01", "2023-01-24",
                                              "2024-10", "2024"]))
BOUNDS = st.sampled_from(["exact", "approximate", "at-least", "more-than", "at-most",
                          "less-than", "range", "unspecified"])
MODALITIES = st.sampled_from(["stated", "reported", "possible", "rumoured", "planned"])


@st.composite
def quantities(draw):
    bound = draw(BOUNDS)
    quantity = {"as_stated": draw(st.text(max_size=8)), "unit": draw(st.sampled_from(
        ["USD", "CNY", "users", "people"])), "bound": bound}
    if bound == "range":
        low = draw(st.integers(0, 10**12))
        quantity.update(low=low, high=low + draw(st.integers(0, 10**12)))
    elif bound != "unspecified":
        quantity["value"] = draw(st.integers(0, 10**12) | st.floats(0, 1e12))
    if draw(st.booleans()):
        quantity["per"] = "day"
    return quantity


@st.composite
def figures(draw):
    count = draw(st.integers(0, 8))
    records = []
    for number in range(count):
        record = {"id": f"f{number}", "entity": "o",
                  "metric": draw(st.sampled_from(["valuation", "revenue", "users"])),
                  "quantity": draw(quantities()), "modality": draw(MODALITIES),
                  "sources": [{"doc": "a.txt", "quote": "q"}]}
        date = draw(DATES)
        if date is not None:
            record["date"] = date
            record["date_bound"] = draw(st.sampled_from(["on", "on-or-before", "circa"]))
        records.append(record)
    return records


NODES = {"o": {"name": "O", "type": "company"}}


@settings(max_examples=60, deadline=None)
@given(figures(), DATES)
def test_every_figure_is_listed_once_under_its_metric(records, as_of):
    when = PartialDate.parse(as_of) if as_of else None
    result = entity_figures(Facts(NODES, figures=records), "o", when)
    listed = [claim["id"] for metric in result["metrics"] for point in metric["points"]
              for claim in point["claims"]]
    assert sorted(listed) == sorted(r["id"] for r in records if happened_by(r, when))
    for metric in result["metrics"]:
        for point in metric["points"]:
            assert {claim["metric"] for claim in point["claims"]} == {metric["metric"]}
            assert len({claim.get("date") for claim in point["claims"]}) == 1
            # Compared as numbers: 0 and 0.0 are the same amount (a repr would tell them apart).
            values = {interval(claim["quantity"]) for claim in point["claims"]}
            if len(values) > 1:
                assert point["disagree"]


@settings(max_examples=60, deadline=None)
@given(figures())
def test_the_timeline_is_in_date_order_and_counts_the_undated(records):
    result = entity_timeline(Facts(NODES, figures=records), "o")
    days = [parse_date(entry["date"]).first_day() for entry in result["entries"]]
    assert days == sorted(days)
    assert len(result["entries"]) + sum(result["undated"].values()) == len(records)


@settings(max_examples=100, deadline=None)
@given(quantities())
def test_a_quantity_always_reads_with_its_words(quantity):
    text = quantity_text(quantity)
    assert text.startswith(quantity["as_stated"]) or not quantity["as_stated"]
    span = interval(quantity)
    assert span is None or span[1] is None or span[0] <= span[1]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(quantities(), MODALITIES, st.sampled_from(["a", "b"])),
                max_size=6))
def test_totals_never_count_a_hedged_claim_and_keep_low_below_high(claims):
    records = [{"source": investor, "target": "o", "modality": modality, "id": str(number),
                "amount": {**quantity, "currency": quantity["unit"]}}
               for number, (quantity, modality, investor) in enumerate(claims)]
    totals = currency_totals(records)
    plain = [r for r in records if r["modality"] in ("stated", "reported")
             and interval(r["amount"]) is not None]
    assert sum(total["investments"] for total in totals.values()) == len(
        {(r["amount"]["unit"], r["source"]) for r in plain})
    for total in totals.values():
        assert total["high"] is None or total["low"] <= total["high"] + 1e-6 * total["high"]
