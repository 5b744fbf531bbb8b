"""Text for ``graphkit figures`` and ``graphkit timeline`` (the JSON is the result itself)."""

from __future__ import annotations

from graphkit.data.describe import entity_name, hedge_mark, quantity_text
from graphkit.present.output import citation_text, display_width
from graphkit.present.text import entity_line


def _citations(record: dict, indent: str) -> list[str]:
    lines = []
    for citation in record.get("sources", []):
        who = f" (per {citation['attributed_to']})" if citation.get("attributed_to") else ""
        lines.append(indent + citation_text(citation) + who)
    return lines


def _claim_line(result: dict, claim: dict) -> str:
    nodes = _nodes(result)
    text = quantity_text(claim["quantity"])
    if claim.get("cost_kind"):
        text = f"({claim['cost_kind']}) {text}"
    if claim.get("counterparty"):
        other = claim["counterparty"] if claim["counterparty"] != result["entity"]["id"] else (
            claim["entity"])
        text += f" with {entity_name(nodes, other)}"
    if claim["metric"] == "other" and claim.get("note"):
        text += f" ({claim['note']})"
    return text + hedge_mark(claim)


def _nodes(result: dict) -> dict:
    return result.get("entities", {})


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - display_width(text), 0)


def figures_text(result: dict) -> str:
    """The figures of an entity by metric: each date's claims with their quotes, and the
    claims that disagree side by side.

    >>> from graphkit.query.facts import Facts, entity_figures
    >>> facts = Facts({"o": {"name": "O", "type": "company"}}, figures=[
    ...     {"id": "f", "entity": "o", "metric": "users", "date": "2024",
    ...      "quantity": {"as_stated": "近1億", "value": 1e8, "unit": "users",
    ...                   "bound": "approximate"},
    ...      "sources": [{"doc": "a.txt", "quote": "用戶近1億"}]}])
    >>> print(figures_text(entity_figures(facts, "o")))
    O [company, id o]
    <BLANKLINE>
    users: 1 claim
      2024  近1億 (~ 100,000,000 users)
              [a.txt] “用戶近1億”
    """
    lines = [entity_line(result["entity"])]
    if result.get("exists_from"):
        lines.append(f"  exists from {result['exists_from']['date']} "
                     f"(event {result['exists_from']['event']})")
    if not result["metrics"] and not result["rounds"]:
        lines += ["", "no figures or funding rounds recorded"]
        return "\n".join(lines)
    for metric in result["metrics"]:
        claims = metric["claims"]
        lines += ["", f"{metric['metric']}: {claims} claim{'s' * (claims != 1)}"]
        width = max(display_width(point["when"]) for point in metric["points"])
        for point in metric["points"]:
            when = _pad(point["when"], width)
            if len(point["claims"]) == 1:
                [claim] = point["claims"]
                lines.append(f"  {when}  {_claim_line(result, claim)}")
                lines += _citations(claim, "  " + " " * width + "    ")
                continue
            verdict = "sources disagree" if point["disagree"] else "sources agree"
            lines.append(f"  {when}  {verdict}:")
            for number, claim in enumerate(point["claims"]):
                letter = chr(ord("a") + number) if number < 26 else str(number + 1)
                lines.append(f"  {' ' * width}    {letter}) {_claim_line(result, claim)}")
                lines += _citations(claim, "  " + " " * width + "       ")
    if result["rounds"]:
        lines += ["", f"funding rounds: {len(result['rounds'])}"]
        for funding in result["rounds"]:
            lines.append(f"  - {funding['text']}")
            lines += _citations(funding, "      ")
    return "\n".join(lines)


def timeline_text(result: dict) -> str:
    """Every dated record about an entity, one per line in date order, with its quotes.

    >>> from graphkit.query.facts import Facts, entity_timeline
    >>> facts = Facts({"o": {"name": "O", "type": "company"}}, events=[
    ...     {"id": "e", "entity": "o", "kind": "founded", "date": "2015",
    ...      "date_bound": "on-or-before", "description": "O was founded.",
    ...      "sources": [{"doc": "a.txt", "quote": "O, founded by 2015"}]}])
    >>> print(timeline_text(entity_timeline(facts, "o")))
    O [company, id o]
    <BLANKLINE>
    1 dated record
      on or before 2015  event   founded: O was founded
                                 [a.txt] “O, founded by 2015”
    """
    entries = result["entries"]
    lines = [entity_line(result["entity"]), ""]
    lines.append(f"{len(entries)} dated record{'s' * (len(entries) != 1)}" if entries
                 else "no dated records")
    width = max((display_width(entry["when"]) for entry in entries), default=0)
    for entry in entries:
        text = entry["text"].replace(f" ({entry['when']})", "", 1)
        lines.append(f"  {_pad(entry['when'], width)}  {entry['kind']:<6}  {text}")
        lines += _citations(entry["record"], "  " + " " * width + "          ")
    if result["undated"]:
        counts = ", ".join(f"{count} {kind}{'s' * (count != 1)}"
                           for kind, count in result["undated"].items())
        lines += ["", f"undated, not listed: {counts}"]
    return "\n".join(lines)
