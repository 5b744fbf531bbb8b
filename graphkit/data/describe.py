"""Edges read as sentences: "Dario Amodei left OpenAI (VP of research) for Anthropic (2021)"."""

from __future__ import annotations

from graphkit.data.relations import RELATIONS

# How an unknown company (a departure with no stated destination) reads.
UNKNOWN = "(unknown)"


def entity_name(nodes, ident: str) -> str:
    """The display name of ``ident`` in ``nodes`` (the id itself when it is not there)."""
    return nodes[ident]["name"] if ident in nodes else ident


def amount_text(amount: dict | None) -> str:
    """An amount as the article states it, with its normalised value when known.

    >>> amount_text({"as_stated": "100亿美元", "value": 10000000000, "currency": "USD"})
    '100亿美元 (USD 10,000,000,000)'
    """
    if not amount:
        return ""
    if amount.get("value") is None:
        return amount["as_stated"]
    value = amount["value"]
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
    return f"{amount['as_stated']} ({amount.get('currency', '?')} {shown})"


def date_text(record: dict) -> str:
    """``2021``, ``2018–2020`` or ``undated``; ``~`` marks a date inferred from the text."""
    start, end = record.get("date"), record.get("end")
    if start is None and end is None:
        return "undated"
    text = f"{start or '?'}–{end}" if end else start
    return f"~{text}" if record.get("date_inferred") else text


def describe_edge(graph, record: dict) -> str:
    """One edge as a sentence in its real direction, with its date.

    ``graph`` is a NetworkX graph, or any mapping of entity data by id (``graph.nodes``).

    >>> import networkx as nx
    >>> graph = nx.MultiDiGraph()
    >>> graph.add_node("a", name="Alice"); graph.add_node("o", name="OpenAI")
    >>> graph.add_node("x", name="Anthropic")
    >>> describe_edge(graph, {"source": "a", "target": "o", "relation": "person-left-company",
    ...                       "role": "VP", "destination": "x", "date": "2021"})
    'Alice left OpenAI (VP) for Anthropic (2021)'
    """
    nodes = getattr(graph, "nodes", graph)
    source = entity_name(nodes, record["source"])
    target = entity_name(nodes, record["target"])
    relation = record["relation"]
    role = f" ({record['role']})" if record.get("role") else ""
    if relation == "person-role-at-company" and record.get("role"):
        text = f"{source} was {record['role']} at {target}"
    elif relation in ("company-invested-in", "company-acquired-company"):
        amount = amount_text(record.get("amount"))
        verb = "invested" if relation == "company-invested-in" else "acquired"
        if relation == "company-invested-in":
            text = f"{source} invested {amount + ' ' if amount else ''}in {target}"
        else:
            text = f"{source} {verb} {target}{' for ' + amount if amount else ''}"
        details = [record[key] for key in ("round", "stake", "status") if record.get(key)]
        text += f" [{', '.join(details)}]" if details else ""
    else:
        text = f"{source} {RELATIONS[relation].verb} {target}{role}"
        for key, word in (("destination", "for"), ("origin", "from")):
            if record.get(key):
                text += f" {word} {entity_name(nodes, record[key])}"
        extras = [record[key] for key in ("status", "method") if record.get(key)]
        text += f" [{', '.join(extras)}]" if extras else ""
        text += f": {record['deal']}" if record.get("deal") else ""
    return f"{text} ({date_text(record)})"
