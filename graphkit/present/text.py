"""Human-readable text for query results (the JSON shape is the result itself)."""

from __future__ import annotations

from graphkit.present.output import citation_text, table


def _sources(record: dict, indent: str = "     ") -> list[str]:
    return [indent + citation_text(citation) for citation in record.get("sources", [])]


def entity_line(entity: dict) -> str:
    aliases = ", ".join(entity.get("aliases", []))
    return f"{entity['name']} [{entity['type']}, id {entity['id']}]" + (
        f"\n  also: {aliases}" if aliases else "")


def card_text(card: dict) -> str:
    lines = [entity_line(card["entity"])]
    if card["entity"].get("description"):
        lines.append(f"  {card['entity']['description']}")
    if card.get("exists_from"):
        lines.append(f"  exists from {card['exists_from']['date']} "
                     f"(event {card['exists_from']['event']})")
    lines.append("")
    lines.append(f"{len(card['edges'])} relation(s):" if card["edges"] else "no relations")
    for number, edge in enumerate(card["edges"], 1):
        lines.append(f"  {number:>2}. {edge['text']}")
        lines.extend(_sources(edge, "      "))
    for cohort in card["cohorts"]:
        lines.append(f"  cohort {cohort['id']}: {cohort['text']}")
        lines.extend(_sources(cohort, "      "))
    for key, title in (("figures", "figure"), ("rounds", "funding round"),
                       ("events", "event")):
        records = card.get(key) or []
        if records:
            lines.append("")
            lines.append(f"{len(records)} {title}{'s' * (len(records) != 1)}:")
        for number, record in enumerate(records, 1):
            lines.append(f"  {number:>2}. {record['text']}")
            lines.extend(_sources(record, "      "))
    return "\n".join(lines)


def search_text(result: dict) -> str:
    if not result["results"]:
        query = result["query"]  # the text, or the echoed query (see cli.with_query)
        text = query.get("text") if isinstance(query, dict) else query
        return f"no entity matches {text!r}"
    return table(["id", "name", "type", "matched", "score"],
                 [[hit["id"], hit["name"], hit["type"], hit["matched"], hit["score"]]
                  for hit in result["results"]])


def _names(result: dict) -> dict[str, str]:
    return {ident: entity["name"] for ident, entity in result["entities"].items()}


def paths_text(result: dict) -> str:
    names = _names(result)
    if not result["paths"]:
        return f"no path between {names[result['from']]} and {names[result['to']]}"
    lines = []
    for number, path in enumerate(result["paths"], 1):
        route = " → ".join(names[node] for node in path["nodes"])
        lines.append(f"Path {number} ({path['length']} hop{'s' * (path['length'] != 1)}): "
                     f"{route}")
        for step, hop in enumerate(path["hops"], 1):
            against = "  (walked against the edge)" if hop["direction"] == "backward" else ""
            lines.append(f"  {step}. {hop['text']}{against}")
            lines.extend(_sources(hop, "     "))
        lines.append("")
    return "\n".join(lines).rstrip()


def neighbors_text(result: dict) -> str:
    names = _names(result)
    lines = [f"{names[result['center']]}: {len(result['nodes']) - 1} entities within "
             f"{result['depth']} hop(s), {len(result['edges'])} relation(s)", ""]
    lines.append(table(["distance", "id", "name", "type"],
                       [[node["distance"], node["id"], names[node["id"]],
                         result["entities"][node["id"]]["type"]]
                        for node in result["nodes"]]))
    lines.append("")
    for edge in result["edges"]:
        lines.append(f"  - {edge['text']}")
        lines.extend(_sources(edge, "      "))
    return "\n".join(lines)


def lineage_text(result: dict) -> str:
    model = result["model"]
    lines = [entity_line(model), ""]
    for title, entries in (("Before", result["predecessors"]), ("After", result["successors"])):
        lines.append(f"{title}:" if entries else f"{title}: nothing recorded")
        for entry in entries:
            codenames = f" (also {', '.join(entry['aliases'])})" if entry["aliases"] else ""
            lines.append(f"  {'  ' * (entry['depth'] - 1)}{entry['name']}{codenames}")
            lines.append(f"  {'  ' * (entry['depth'] - 1)}  via: {entry['via']['text']}")
            lines.extend(_sources(entry["via"], "  " + "  " * entry["depth"] + "  "))
        cut = result.get("cut", {}).get("predecessors" if title == "Before" else "successors")
        if cut:
            lines.append("  " + cut_text(cut))
    return "\n".join(lines)


def cut_text(cut: dict) -> str:
    """What a lineage walk left out, and how to see it.

    >>> cut_text({"reason": "limit", "shown": 100, "complete_to_depth": 4})
    '... more not shown: the first 100 (complete to depth 4); --limit N shows more'
    >>> cut_text({"reason": "depth", "shown": 3, "complete_to_depth": 1})
    '... more beyond depth 1 not shown; --depth N walks further'
    """
    if cut["reason"] == "limit":
        return (f"... more not shown: the first {cut['shown']} (complete to depth "
                f"{cut['complete_to_depth']}); --limit N shows more")
    return f"... more beyond depth {cut['complete_to_depth']} not shown; --depth N walks further"


def total_text(total: dict, noun: str) -> str:
    """A total from :func:`graphkit.query.investments.currency_totals` as words.

    >>> total_text({"low": 5, "high": 6, "investments": 1, "disagree": True}, "investments")
    '5 to 6 (sources disagree) over 1 investment(s)'
    >>> total_text({"low": 30, "high": None, "rounds": 2}, "rounds")
    'at least 30 over 2 round(s)'
    """
    low, high = f"{total['low']:,.0f}", total["high"]
    if high is None:
        span = f"at least {low}"
    elif total["low"] == high:
        span = low
    else:
        span = f"{low} to {high:,.0f}"
    if total.get("approximate"):
        span = f"about {span}"
    if total.get("disagree"):
        span += " (sources disagree)"
    return f"{span} over {total[noun]} {noun[:-1]}(s)"


def investments_text(result: dict) -> str:
    lines = [entity_line(result["entity"])]
    totals = result["totals"]
    for title, key in (("Investments made", "made"), ("Investments received", "received")):
        records = result[key]
        lines.append("")
        lines.append(f"{title}: {len(records) or 'none recorded'}")
        for record in records:
            lines.append(f"  - {record['text']}")
            lines.extend(_sources(record, "      "))
        for currency, total in totals[key].items():
            lines.append(f"  total {currency}: {total_text(total, 'investments')}")
        if totals["undisclosed"][key]:
            lines.append(f"  amount not stated: {totals['undisclosed'][key]}")
        if totals.get("hedged", {}).get(key):
            lines.append(f"  hedged, not in the totals: {totals['hedged'][key]}")
    if "rounds" in result:
        rounds = result["rounds"]
        lines.append("")
        lines.append(f"Funding rounds: {len(rounds) or 'none recorded'}")
        for funding in rounds:
            lines.append(f"  - {funding['text']}")
            lines.extend(_sources(funding, "      "))
        for currency, total in totals["rounds"].items():
            lines.append(f"  total {currency} raised: {total_text(total, 'rounds')}")
    if any(totals[key] for key in ("made", "received")) or totals.get("rounds"):
        lines.append("")
        lines.append("Totals count what the articles state or report as fact, not possible,")
        lines.append("rumoured, planned or expected claims; rounds only sought are not added.")
    return "\n".join(lines)


def stats_text(result: dict) -> str:
    lines = [f"{result['nodes']} entities, {result['edges']} relations", ""]
    lines.append(table(["entity type", "count"], list(result["entities"].items())))
    lines.append("")
    lines.append(table(["relation", "count"], list(result["relations"].items())))
    lines.append("")
    lines.append(f"Most connected ({result['degree']['method']}):")
    lines.append(table(["id", "name", "type", "degree"],
                       [[e["id"], e["name"], e["type"], e["degree"]]
                        for e in result["degree"]["top"]]))
    lines.append("")
    lines.append(f"Most between ({result['betweenness']['method']}):")
    lines.append(table(["id", "name", "type", "betweenness"],
                       [[e["id"], e["name"], e["type"], e["betweenness"]]
                        for e in result["betweenness"]["top"]]))
    lines.append("")
    communities = result["communities"]
    lines.append(f"Communities ({communities['method']}; "
                 f"modularity {communities['modularity']}):")
    if "groups" in communities:
        for number, group in enumerate(communities["groups"], 1):
            lines.append(f"  {number}. " + ", ".join(member["name"] for member in group))
        return "\n".join(lines)
    # A large graph: the largest groups only, each with its most connected members.
    if not communities["largest"]:
        lines.append("  no groups of two or more")
        return "\n".join(lines)
    lines.append(f"  {communities['count']:,} groups; the {len(communities['largest'])} "
                 "largest:")
    for number, group in enumerate(communities["largest"], 1):
        names = ", ".join(member["name"] for member in group["members"])
        more = ", ..." if group["size"] > len(group["members"]) else ""
        lines.append(f"  {number}. {group['size']:,} entities: {names}{more}")
    return "\n".join(lines)
