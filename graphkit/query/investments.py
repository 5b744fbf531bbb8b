"""Who invested in whom: amounts as stated, normalised, and totals per currency.

Only the entity's own edges are read, through the traversal interface of
:class:`graphkit.store.graph.GraphNetwork` (a NetworkX graph is wrapped in one), so the answer
comes from the cache without building the whole graph.
"""

from __future__ import annotations

from graphkit.data.describe import describe_edge
from graphkit.store.graph import as_network, edges_at

INVESTED = "company-invested-in"


def investments(graph, entity: str) -> dict:
    """Investments made by and received by ``entity``, with totals per currency.

    Articles sometimes disagree on an amount; such claims are kept as separate edges.
    Totals therefore give a range: claims about the same investment (same investor,
    investee, date and round) count once, at their lowest (``low``) and highest
    (``high``) stated value.  ``undisclosed`` counts investments without a value.
    ``graph`` is a NetworkX graph or a traversal network (such as the cache's view).

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> for node in ("f", "c"): graph.add_node(node, name=node, type="company", aliases=[])
    >>> for key, value in (("a", 5), ("b", 6)):
    ...     _ = graph.add_edge("f", "c", key=key, relation=INVESTED, date="2021", sources=[],
    ...                        amount={"as_stated": str(value), "value": value, "currency": "USD"})
    >>> investments(graph, "c")["totals"]["received"]
    {'USD': {'low': 5, 'high': 6, 'investments': 1}}
    """
    network = as_network(graph)
    made, received = [], []
    for reference in edges_at(network, entity):
        record = network.edge(reference)
        if record["relation"] != INVESTED:
            continue
        record["text"] = describe_edge(network.nodes, record)
        if record["source"] == entity:
            made.append(record)
        if record["target"] == entity:
            received.append(record)
    made.sort(key=_chronological)
    received.sort(key=_chronological)
    return {
        "entity": network.entity(entity),
        "made": made,
        "received": received,
        "totals": {"made": currency_totals(made), "received": currency_totals(received),
                   "undisclosed": {"made": _undisclosed(made),
                                   "received": _undisclosed(received)}},
    }


def _chronological(record: dict) -> tuple:
    return (record.get("date") or "9999", record["source"], record["target"], record["id"])


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
