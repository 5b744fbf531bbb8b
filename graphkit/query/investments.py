"""Who invested in whom: amounts as stated, normalised, and totals per currency.

Only the entity's own edges are read, through the traversal interface of
:class:`graphkit.store.graph.GraphNetwork` (a NetworkX graph is wrapped in one), so the answer
comes from the cache without building the whole graph.
"""

from __future__ import annotations

from graphkit.data.describe import counted, described
from graphkit.data.facts import COUNTED_MODALITIES
from graphkit.store.graph import as_network, edges_at

INVESTED = "company-invested-in"


def investments(graph, entity: str, facts=None, as_of=None) -> dict:
    """Investments made by and received by ``entity``, with totals per currency.

    Articles sometimes disagree on an amount; such claims are kept as separate edges.
    Totals therefore give a range: claims about the same investment (same investor,
    investee, date and round) count once, at their lowest (``low``) and highest
    (``high``) stated value; ``high`` is None when an amount is only a lower bound
    ("more than ...").  Totals count what the articles state or report as fact
    (``counted``: ``stated``, ``reported``); a possible, rumoured, planned, expected or
    denied investment is listed but not added (``hedged`` counts them).
    ``undisclosed`` counts counted investments without a value.
    ``graph`` is a NetworkX graph or a traversal network (such as the cache's view).

    With ``facts`` (a :class:`graphkit.query.facts.Facts`), ``rounds`` lists the funding
    rounds of ``entity`` (named investors or not) and those it is named in, as of
    ``as_of``, and ``totals.rounds`` adds up, per currency, the rounds ``entity`` raised,
    closed or was reported to raise (not those it only sought).

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> for node in ("f", "c"): graph.add_node(node, name=node, type="company", aliases=[])
    >>> for key, value in (("a", 5), ("b", 6)):
    ...     _ = graph.add_edge("f", "c", key=key, relation=INVESTED, date="2021", sources=[],
    ...                        amount={"as_stated": str(value), "value": value, "currency": "USD"})
    >>> investments(graph, "c")["totals"]["received"]
    {'USD': {'low': 5, 'high': 6, 'investments': 1, 'approximate': False, 'disagree': True}}
    """
    network = as_network(graph)
    made, received = [], []
    for reference in edges_at(network, entity):
        record = network.edge(reference)
        if record["relation"] != INVESTED:
            continue
        described(network.nodes, record)
        record["counted"] = counted(record)
        if record["source"] == entity:
            made.append(record)
        if record["target"] == entity:
            received.append(record)
    made.sort(key=_chronological)
    received.sort(key=_chronological)
    result = {
        "entity": network.entity(entity),
        "made": made,
        "received": received,
        "totals": {"made": currency_totals(made), "received": currency_totals(received),
                   "undisclosed": {"made": _undisclosed(made),
                                   "received": _undisclosed(received)},
                   "hedged": {"made": _hedged(made), "received": _hedged(received)},
                   "counted": list(COUNTED_MODALITIES)},
    }
    if facts is not None:
        from graphkit.query.facts import funding_rounds

        rounds = funding_rounds(facts, entity, as_of)
        for funding in rounds:
            funding["edges"] = sorted(record["id"] for record in made + received
                                      if record.get("round_id") == funding["id"])
        result["rounds"] = rounds
        result["totals"]["rounds"] = round_totals(
            [funding for funding in rounds if funding["company"] == entity])
    return result


def _chronological(record: dict) -> tuple:
    return (record.get("date") or "9999", record["source"], record["target"], record["id"])


def _undisclosed(records: list[dict]) -> int:
    return sum(1 for record in records if counted(record)
               and interval(record.get("amount")) is None)


def _hedged(records: list[dict]) -> int:
    return sum(1 for record in records if not counted(record))


def interval(quantity: dict | None) -> tuple[float, float | None, bool] | None:
    """What a quantity says of its number: ``(low, high, approximate)``, ``high`` None
    when there is no upper bound; None when the text gives no number.

    >>> interval({"value": 30, "bound": "more-than"}), interval({"value": 5})
    ((30, None, False), (5, 5, False))
    >>> interval({"low": 2, "high": 3, "bound": "range"}), interval({"bound": "unspecified"})
    ((2, 3, False), None)
    """
    if not quantity:
        return None
    bound = quantity.get("bound", "exact")
    if bound == "range" and quantity.get("low") is not None and quantity.get("high") is not None:
        return quantity["low"], quantity["high"], False
    value = quantity.get("value")
    if value is None:
        return None
    if bound in ("at-least", "more-than"):
        return value, None, False
    if bound in ("at-most", "less-than"):
        return 0, value, False
    return value, value, bound == "approximate"


def _add_up(claims: dict[tuple, list[tuple]], noun: str) -> dict[str, dict]:
    """Per currency: claims about the same thing count once, from their lowest low to their
    highest high; the sums of those."""
    totals: dict[str, dict] = {}
    for (currency, *_), spans in sorted(claims.items(), key=lambda item: str(item[0])):
        total = totals.setdefault(currency, {"low": 0, "high": 0, noun: 0,
                                             "approximate": False, "disagree": False})
        total["low"] += min(low for low, _high, _about in spans)
        highs = [high for _low, high, _about in spans]
        total["high"] = (None if total["high"] is None or None in highs
                         else total["high"] + max(highs))
        total[noun] += 1
        total["approximate"] |= any(about for *_, about in spans)
        total["disagree"] |= len(set(spans)) > 1
    return totals


def currency_totals(records: list[dict]) -> dict[str, dict]:
    """Sum of stated values per currency, as a low–high range over conflicting claims;
    hedged claims (see :func:`investments`) are left out.

    >>> currency_totals([{"source": "a", "target": "b", "amount": {"value": 2,
    ...                   "currency": "USD", "bound": "at-least"}}])
    {'USD': {'low': 2, 'high': None, 'investments': 1, 'approximate': False, 'disagree': False}}
    """
    claims: dict[tuple, list[tuple]] = {}
    for record in records:
        span = interval(record.get("amount"))
        if span is None or not counted(record):
            continue
        amount = record["amount"]
        same = (amount.get("currency") or amount.get("unit") or "?", record["source"],
                record["target"], record.get("date"), record.get("round"))
        claims.setdefault(same, []).append(span)
    return _add_up(claims, "investments")


# Rounds whose money is said to have come in (a sought round has not).
RAISED_STATUSES = ("raised", "closed", "reported")


def round_totals(rounds: list[dict]) -> dict[str, dict]:
    """Per currency, the amounts of the rounds raised, closed or reported as raised, as
    stated or reported (hedged rounds and rounds only sought are left out); rounds of the
    same company, date and name count once, as a range when their sources disagree.

    >>> totals = round_totals([{"company": "m", "status": "raised", "date": "2024",
    ...                "amount": {"value": 30, "unit": "CNY", "bound": "more-than"}},
    ...               {"company": "m", "status": "sought", "date": "2024",
    ...                "amount": {"value": 100, "unit": "USD"}}])
    >>> list(totals), totals["CNY"]["low"], totals["CNY"]["high"], totals["CNY"]["rounds"]
    (['CNY'], 30, None, 1)
    """
    claims: dict[tuple, list[tuple]] = {}
    for funding in rounds:
        span = interval(funding.get("amount"))
        if (span is None or not counted(funding)
                or funding.get("status", "raised") not in RAISED_STATUSES):
            continue
        amount = funding["amount"]
        same = (amount.get("unit") or amount.get("currency") or "?", funding["company"],
                funding.get("date"), funding.get("round"))
        claims.setdefault(same, []).append(span)
    return _add_up(claims, "rounds")
