"""Who invested in whom: amounts as stated, normalised, and totals per currency."""

from __future__ import annotations

import networkx as nx

from graphkit.describe import describe_edge
from graphkit.graph import edge_record, entity_record

INVESTED = "company-invested-in"


def investments(graph: nx.MultiDiGraph, entity: str) -> dict:
    """Investments made by and received by ``entity``, with totals per currency.

    Articles sometimes disagree on an amount; such claims are kept as separate edges.
    Totals therefore give a range: claims about the same investment (same investor,
    investee, date and round) count once, at their lowest (``low``) and highest
    (``high``) stated value.  ``undisclosed`` counts investments without a value.

    >>> graph = nx.MultiDiGraph()
    >>> for node in ("f", "c"): graph.add_node(node, name=node, type="company", aliases=[])
    >>> for key, value in (("a", 5), ("b", 6)):
    ...     _ = graph.add_edge("f", "c", key=key, relation=INVESTED, date="2021", sources=[],
    ...                        amount={"as_stated": str(value), "value": value, "currency": "USD"})
    >>> investments(graph, "c")["totals"]["received"]
    {'USD': {'low': 5, 'high': 6, 'investments': 1}}
    """
    made, received = [], []
    for source, target, key, data in graph.out_edges(entity, keys=True, data=True):
        if data["relation"] == INVESTED:
            made.append(_record(graph, source, target, key))
    for source, target, key, data in graph.in_edges(entity, keys=True, data=True):
        if data["relation"] == INVESTED:
            received.append(_record(graph, source, target, key))
    made.sort(key=_chronological)
    received.sort(key=_chronological)
    return {
        "entity": entity_record(graph, entity),
        "made": made,
        "received": received,
        "totals": {"made": currency_totals(made), "received": currency_totals(received),
                   "undisclosed": {"made": _undisclosed(made),
                                   "received": _undisclosed(received)}},
    }


def _chronological(record: dict) -> tuple:
    return (record.get("date") or "9999", record["source"], record["target"], record["id"])


def _record(graph, source, target, key) -> dict:
    record = edge_record(graph, source, target, key)
    record["text"] = describe_edge(graph, record)
    return record


def _undisclosed(records: list[dict]) -> int:
    return sum(1 for record in records if (record.get("amount") or {}).get("value") is None)


def currency_totals(records: list[dict]) -> dict[str, dict]:
    """Sum of stated values per currency, as a low–high range over conflicting claims."""
    claims: dict[tuple, list[float]] = {}
    for record in records:
        amount = record.get("amount") or {}
        if amount.get("value") is None:
            continue
        same = (amount.get("currency", "?"), record["source"], record["target"],
                record.get("date"), record.get("round"))
        claims.setdefault(same, []).append(amount["value"])
    totals: dict[str, dict] = {}
    for (currency, *_), values in sorted(claims.items(), key=lambda item: str(item[0])):
        total = totals.setdefault(currency, {"low": 0, "high": 0, "investments": 0})
        total["low"] += min(values)
        total["high"] += max(values)
        total["investments"] += 1
    return totals
