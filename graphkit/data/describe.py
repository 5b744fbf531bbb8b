"""Edges read as sentences: "Dario Amodei left OpenAI (VP of research) for Anthropic (2021)"."""

from __future__ import annotations

from graphkit.data.facts import COUNTED_MODALITIES
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
    return quantity_text(amount) if normalised_text(amount) else amount.get("as_stated", "")


# How a quantity's bound reads before its normalised value.
BOUND_SIGNS = {"exact": "", "approximate": "~", "at-least": "≥", "more-than": ">",
               "at-most": "≤", "less-than": "<"}


def number_text(value) -> str:
    """A number with thousands separators, without a trailing ``.0``.

    >>> number_text(3e9), number_text(0.5)
    ('3,000,000,000', '0.5')
    """
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _with_unit(unit: str | None, number: str) -> str:
    if unit is None:
        return number
    if len(unit) == 3 and unit.isupper():  # a currency code reads before the number
        return f"{unit} {number}"
    return f"{number} {unit}"


def normalised_text(quantity: dict) -> str | None:
    """A quantity's normalised value with its bound and unit, or None when the text gives
    no number.

    >>> normalised_text({"as_stated": "超过30億元", "value": 3e9, "unit": "CNY",
    ...                  "bound": "more-than"})
    '> CNY 3,000,000,000'
    >>> normalised_text({"as_stated": "20到30亿", "low": 2e9, "high": 3e9, "unit": "USD",
    ...                  "bound": "range"})
    'USD 2,000,000,000–3,000,000,000'
    >>> normalised_text({"as_stated": "數億美元", "unit": "USD", "bound": "unspecified"})
    """
    unit = quantity.get("unit") or quantity.get("currency")
    bound = quantity.get("bound", "exact")
    if bound == "range" and quantity.get("low") is not None and quantity.get("high") is not None:
        text = _with_unit(unit, f"{number_text(quantity['low'])}–"
                                f"{number_text(quantity['high'])}")
    elif quantity.get("value") is None:
        return None
    else:
        sign = BOUND_SIGNS.get(bound, "")
        text = (sign + " " if sign else "") + _with_unit(unit, number_text(quantity["value"]))
    return f"{text} per {quantity['per']}" if quantity.get("per") else text


def quantity_text(quantity: dict) -> str:
    """A quantity as the article states it, then normalised with its bound.

    >>> quantity_text({"as_stated": "约300亿美元", "value": 3e10, "unit": "USD",
    ...                "bound": "approximate"})
    '约300亿美元 (~ USD 30,000,000,000)'
    >>> quantity_text({"as_stated": "70万美元", "value": 7e5, "unit": "USD", "per": "day"})
    '70万美元 (USD 700,000 per day)'
    >>> quantity_text({"as_stated": "more than 20", "value": 20, "unit": "people",
    ...                "bound": "more-than"})
    'more than 20 (> 20 people)'
    """
    normalised = normalised_text(quantity)
    stated = quantity.get("as_stated", "")
    if normalised is None:
        return f"{stated} (no number given)" if stated else "(no number given)"
    return f"{stated} ({normalised})" if stated else normalised




def modality_of(record: dict) -> str:
    """A record's modality (``stated`` when not recorded).

    >>> modality_of({}), modality_of({"modality": "possible"})
    ('stated', 'possible')
    """
    return record.get("modality") or "stated"


def counted(record: dict) -> bool:
    """Whether totals count a claim by default: stated or reported as fact, not hedged
    (possible, rumoured, planned, expected, denied).

    >>> counted({}), counted({"modality": "reported"}), counted({"modality": "possible"})
    (True, True, False)
    """
    return modality_of(record) in COUNTED_MODALITIES


def attributions(record: dict) -> list[str]:
    """Whom the record's sources attribute the claim to, each once, in citation order.

    >>> attributions({"sources": [{"attributed_to": "WSJ"}, {}, {"attributed_to": "WSJ"}]})
    ['WSJ']
    """
    found: list[str] = []
    for citation in record.get("sources", ()):
        who = citation.get("attributed_to")
        if who and who not in found:
            found.append(who)
    return found


def hedge_text(record: dict) -> str | None:
    """How the text qualifies a claim, or None for a plain statement in its own voice.

    >>> hedge_text({"modality": "possible"})
    'possible'
    >>> hedge_text({"modality": "reported", "sources": [{"attributed_to": "The Information"}]})
    'reported by The Information'
    >>> hedge_text({"sources": [{"attributed_to": "WSJ"}]})
    'per WSJ'
    >>> hedge_text({"modality": "rumoured", "sources": [{"attributed_to": "insiders"}]})
    'rumoured, per insiders'
    >>> hedge_text({"modality": "stated"}) is None
    True
    """
    modality = modality_of(record)
    who = " and ".join(attributions(record))
    if modality == "stated":
        return f"per {who}" if who else None
    if modality == "reported":
        return f"reported by {who}" if who else "reported"
    return f"{modality}, per {who}" if who else modality


def hedge_mark(record: dict) -> str:
    """`` [possible]``-style mark to append to a sentence, or ``""``.

    >>> hedge_mark({"modality": "possible"}), hedge_mark({})
    (' [possible]', '')
    """
    hedge = hedge_text(record)
    return f" [{hedge}]" if hedge else ""


# How a date's bound reads before the date.
DATE_BOUND_WORDS = {"on": "", "on-or-before": "on or before ", "on-or-after": "on or after ",
                    "circa": "around "}


def date_text(record: dict) -> str:
    """``2021``, ``2018–2020`` or ``undated``; ``~`` marks a date inferred from the text, and
    a bound reads as words (``on or before 2023-01-24``, ``around 2024``).

    >>> date_text({"date": "2023-01-24", "date_bound": "on-or-before"})
    'on or before 2023-01-24'
    >>> date_text({"date": "2024", "date_bound": "circa", "date_inferred": "this year"})
    'around ~2024'
    >>> date_text({"date": "2018", "end": "2020"}), date_text({"date": "2022", "end": "2022"})
    ('2018–2020', '2022')
    >>> date_text({})
    'undated'
    """
    start, end = record.get("date"), record.get("end")
    if start is None and end is None:
        return "undated"
    text = f"{start or '?'}–{end}" if end and end != start else start
    text = f"~{text}" if record.get("date_inferred") else text
    return DATE_BOUND_WORDS.get(record.get("date_bound") or "on", "") + text


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
    return f"{text} ({date_text(record)}){hedge_mark(record)}"


def described(nodes, record: dict) -> dict:
    """``record`` (an edge), given its sentence (``text``) and its ``hedge`` (see
    :func:`hedge_text`; None when the article states it in its own voice), in place.

    >>> edge = {"source": "a", "target": "b", "relation": "company-partnered-with",
    ...         "modality": "possible"}
    >>> described({"a": {"name": "A"}, "b": {"name": "B"}}, edge)["text"], edge["hedge"]
    ('A partnered with B (undated) [possible]', 'possible')
    """
    record["text"] = describe_edge(nodes, record)
    record["hedge"] = hedge_text(record)
    return record
