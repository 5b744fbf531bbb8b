"""Talent flow as text tables and CSV: what :mod:`graphkit.query.flow` returns, formatted."""

from __future__ import annotations

import csv
import io

from graphkit.collector import collector_paused
from graphkit.data.describe import UNKNOWN
from graphkit.present.output import citation_text, spreadsheet_cell, table


def ratio_text(ratio: float | None) -> str:
    """A ratio as text, ``∞`` when nothing went the other way.

    >>> ratio_text(9.0), ratio_text(None), ratio_text(1.5)
    ('9×', '∞', '1.5×')
    """
    return "∞" if ratio is None else f"{ratio:g}×"


def _people_text(names: dict, people: list[str], moves: int, limit: int = 3) -> str:
    shown = [names.get(person, person) for person in people[:limit]]
    more = len(people) - limit if len(people) > limit else 0
    unnamed = max(moves - len(people), 0)
    extra = [f"+{more} more named"] if more else []
    extra += [f"+{unnamed} unnamed"] if unnamed else []
    if not shown:
        return f"{unnamed} unnamed"
    return ", ".join(shown) + (f" ({', '.join(extra)})" if extra else "")


def _pair_people_text(names: dict, pair: dict) -> str:
    """A pair's people, and the groups of unstated size on it."""
    groups = len(pair.get("uncounted") or ())
    if not groups:
        return _people_text(names, pair["people"], pair["moves"])
    unstated = f"{groups} group{'s' * (groups != 1)} of unstated size"
    if not pair["people"] and not pair["moves"]:
        return unstated
    return f"{_people_text(names, pair['people'], pair['moves'])} (+{unstated})"


def _names(result: dict) -> dict[str | None, str]:
    names: dict[str | None, str] = {ident: e["name"] for ident, e in result["entities"].items()}
    names[None] = UNKNOWN
    return names


def _window_text(window: dict) -> str:
    since, until = window["since"], window["until"]
    if since and until:
        return f"{since} to {until}"
    if since:
        return f"since {since}"
    return f"until {until}" if until else "all dates"


@collector_paused()
def flow_text(result: dict, rows: int | None = None) -> str:
    """The ranked pairs, the per-company balance and the two-way balances as text tables,
    each cut to its first ``rows`` rows (all when None) with a line saying how many more."""
    names = _names(result)
    totals = result["totals"]
    at_least = "at least " if totals.get("lower_bound") else ""
    lines = [f"Talent flow, {_window_text(result['window'])}: {at_least}{totals['moves']} moves, "
             f"of which {totals['foundings']} foundings, {totals['to_unknown']} to an unknown "
             f"destination and {totals['from_unknown']} from an unknown origin"]
    lines += _bounds_text(totals)
    pairs, companies, balance = (result[key][:rows] for key in ("pairs", "companies",
                                                                "balance"))
    if not pairs:
        lines.append("no moves")
    else:
        lines += ["", table(["#", "from", "to", "moves", "foundings", "people"], [
            [rank, names[p["from"]], names[p["to"]], _moves_cell(p), p["foundings"],
             _pair_people_text(names, p)]
            for rank, p in enumerate(pairs, 1)])]
        lines += _more_text(len(result["pairs"]) - len(pairs), "pairs")
    if companies:
        lines += ["", "Per company (net = inflow − outflow):", table(
            ["company", "inflow", "outflow", "net", "unknown out", "top destinations",
             "top origins"],
            [[names[c["company"]], c["inflow"], c["outflow"], c["net"],
              c["outflow_unknown"], _top_text(names, c["top_destinations"]),
              _top_text(names, c["top_origins"])] for c in companies])]
        lines += _more_text(len(result["companies"]) - len(companies), "companies")
    if balance:
        lines += ["", "Both ways (A→B against B→A):", table(
            ["A", "B", "A→B", "B→A", "ratio"],
            [[names[b["a"]], names[b["b"]], b["a_to_b"], b["b_to_a"], ratio_text(b["ratio"])]
             for b in balance])]
        lines += _more_text(len(result["balance"]) - len(balance), "pairs both ways")
    if totals["uncertain"] or result["returns"] or totals.get("hedged"):
        lines.append("")
    if totals.get("hedged"):
        lines += [f"Not counted: {totals['hedged']} hedged claim(s) (possible, rumoured, planned, "
                  "expected or denied; see --json, key 'hedged')."]
    if totals["uncertain"]:
        lines += [f"Not counted: {totals['uncertain']} moves may fall in this window but "
                      "their dates are too coarse to say (see --json, key 'uncertain')."]
    for back in result["returns"]:
        lines.append(f"Not counted: {names.get(back['person'], back['person'])} left and "
                     f"rejoined {names.get(back['company'], back['company'])} "
                     f"({back['left']} → {back['rejoined']}).")
    lines += ["", "Trace a figure: graphkit flow --explain FROM TO (either may be 'unknown')."]
    return "\n".join(lines)


def _bounds_text(totals: dict) -> list[str]:
    """What the totals count beyond plain numbers: groups counted at a bound, and groups
    of unstated size.

    >>> _bounds_text({"bounded": {"more-than": 2}, "uncounted": 1})  # doctest: +ELLIPSIS
    ['(2 groups counted at their stated minimum ("more than N" as N); 1 group of unstated ...)']
    """
    parts = []
    bounded = totals.get("bounded") or {}
    lower = sum(bounded.get(name, 0) for name in ("at-least", "more-than"))
    if lower:
        parts.append(f"{lower} group{'s counted at their' if lower != 1 else ' counted at its'} "
                     'stated minimum ("more than N" as N)')
    rough = sum(number for name, number in bounded.items()
                if name not in ("at-least", "more-than"))
    if rough:
        parts.append(f"{rough} group{'s' * (rough != 1)} counted at an approximate or upper-bound "
                     "size")
    if totals.get("uncounted"):
        number = totals["uncounted"]
        parts.append(f"{number} group{'s' * (number != 1)} of unstated size listed, not counted")
    return [f"({'; '.join(parts)})"] if parts else []


def _moves_cell(pair: dict):
    """A pair's moves, ``20+`` when part of it is a lower bound or a group of unstated size."""
    if pair.get("lower_bound") or pair.get("uncounted"):
        return f"{pair['moves']}+"
    return pair["moves"]


def _more_text(hidden: int, what: str) -> list[str]:
    if not hidden:
        return []
    return [f"… and {hidden:,} more {what} (--top N shows N; --csv or --json gives them all)"]


def _top_text(names: dict, ranked: list[dict], limit: int = 3) -> str:
    return ", ".join(f"{names[item['company']]} {item['moves']}" for item in ranked[:limit])


def _detail_lines(names: dict, record: dict, indent: str) -> list[str]:
    lines = [f"{indent}{record['text']}"]
    deeper = indent + "    "
    if record.get("inferred"):
        lines.append(f"{deeper}inferred: {record['inferred']}")
    if record.get("also_in"):
        lines.append(f"{deeper}also named in cohort(s): {', '.join(record['also_in'])}")
    if record["kind"] == "cohort":
        if record["people"]:
            lines.append(f"{deeper}named: "
                         + ", ".join(names.get(p, p) for p in record["people"]))
        for overlap in record["overlaps"]:
            lines.append(f"{deeper}{overlap['count']} of them counted in cohort "
                         f"{overlap['cohort']}")
        for moved in record["resolved"]:
            lines.append(f"{deeper}{names.get(moved['person'], moved['person'])} counted on "
                         f"{names[moved['from']]} → {names[moved['to']]}")
    own = record["cohort_sources"] if record["kind"] == "cohort" else record["sources"]
    lines += [deeper + citation_text(citation, 100) for citation in own]
    for member in record.get("members", []):
        lines += _detail_lines(names, member, deeper)
    return lines


@collector_paused()
def explain_text(result: dict) -> str:
    """The moves behind one figure, each with its sources."""
    names = _names(result)
    origin, destination = names[result["from"]], names[result["to"]]
    head = (f"{origin} → {destination}: {'at least ' if result.get('lower_bound') else ''}"
            f"{result['moves']} moves ({result['foundings']} foundings)")
    if result.get("uncounted"):
        head += f", and {len(result['uncounted'])} group(s) of unstated size"
    if result["back"] is not None:
        head += f"; {destination} → {origin}: {result['back']}"
        if result["moves"]:
            head += f"; ratio {ratio_text(result['ratio'])}"
    lines = [f"{head} [{_window_text(result['window'])}]"]
    for number, record in enumerate(result["moves_detail"], 1):
        lines += _detail_lines(names, record, f"{number:>2}. ")[:1]
        lines += _detail_lines(names, record, "    ")[1:]
    if result["back_detail"]:
        lines += ["", f"The other way, {destination} → {origin}:"]
        for record in result["back_detail"]:
            lines += _detail_lines(names, record, "  - ")[:1]
            lines += _detail_lines(names, record, "    ")[1:]
    if result["uncertain"]:
        lines += ["", "Not counted (date too coarse for the window):"]
        for record in result["uncertain"]:
            lines.append(f"  - {record['text']}")
    return "\n".join(lines)


@collector_paused()
def alumni_text(result: dict) -> str:
    """Companies founded by a company's alumni, their founders and investors."""
    names = _names(result)
    lines = [f"Companies founded by people who left {names[result['company']]} "
             f"({_window_text(result['window'])}): {len(result['founded'])}"]
    for item in result["founded"]:
        title = names[item["company"]] if item["company"] else "(companies not named)"
        lines += ["", f"{title}: {item['people']} founder(s)"]
        for cohort in item["cohorts"]:
            lines.append(f"  {cohort['text']}")
            lines += ["      " + citation_text(c, 100) for c in cohort["sources"]]
        for founder in item["founders"]:
            via = f", via {', '.join(names[s] for s in founder['via'])}" if founder["via"] else ""
            lines.append(f"  {names[founder['person']]} ({founder['date'] or 'undated'}{via})")
            lines += ["      " + citation_text(c, 100) for c in founder["sources"]]
        for investor in item["investors"]:
            amount = f" {investor['amount']}" if investor["amount"] else ""
            lines.append(f"  investor: {names[investor['investor']]}{amount} "
                         f"({investor['date'] or 'undated'})")
    return "\n".join(lines)


CSV_COLUMNS = ("from", "from_name", "to", "to_name", "moves", "foundings", "people",
               "person_ids", "cohorts", "lower_bound", "uncounted_cohorts")


@collector_paused()
def flow_csv(result: dict) -> str:
    """The flow matrix in long form: one CSV row per ordered pair (empty id = unknown).

    ``lower_bound`` is 1 when a group in ``moves`` was counted at its stated minimum
    ("more than 20" as 20); ``uncounted_cohorts`` lists groups of unstated size, not in
    ``moves``.

    >>> print(flow_csv({"entities": {}, "pairs": [{"from": "a", "to": None, "moves": 2,
    ...       "foundings": 0, "people": [], "cohorts": ["c"]}]}).strip())
    from,from_name,to,to_name,moves,foundings,people,person_ids,cohorts,lower_bound,uncounted_cohorts
    a,a,,(unknown),2,0,,,c,0,
    """
    names = _names(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for pair in result["pairs"]:
        row = [pair["from"] or "", names.get(pair["from"], pair["from"]),
               pair["to"] or "", names.get(pair["to"], pair["to"]),
               pair["moves"], pair["foundings"],
               "; ".join(names.get(p, p) for p in pair["people"]),
               "; ".join(pair["people"]), "; ".join(pair["cohorts"]),
               int(pair.get("lower_bound", False)), "; ".join(pair.get("uncounted", []))]
        # A name that a spreadsheet would run as a formula is neutralised.
        writer.writerow([spreadsheet_cell(cell) if isinstance(cell, str) else cell
                         for cell in row])
    return buffer.getvalue()


def spark_flow_text(result: dict, rows: int) -> str:
    """``flow --engine spark`` as text: the totals, then the ``rows`` largest pairs.

    >>> text = spark_flow_text({"totals": {"moves": 3, "foundings": 1, "to_unknown": 1,
    ...     "from_unknown": 0, "pairs": 2}, "pairs": [{"from": "a", "to": "b", "moves": 2,
    ...     "foundings": 1}, {"from": "a", "to": None, "moves": 1, "foundings": 0}]}, 1)
    >>> text.splitlines()[0][:49]
    'Talent flow (Spark), all dates: 3 moves, of which'
    >>> print(*text.splitlines()[2:], sep=chr(10))
    #  from  to  moves  foundings
    -  ----  --  -----  ---------
    1  a     b       2          1
    ... 1 more pair (--json for all)
    """
    from graphkit.present.output import table

    totals = result["totals"]
    lines = [f"Talent flow (Spark), all dates: {totals['moves']} moves, of which "
             f"{totals['foundings']} foundings, {totals['to_unknown']} to an unknown "
             f"destination and {totals['from_unknown']} from an unknown origin", ""]
    shown = result["pairs"][:rows]
    lines.append(table(["#", "from", "to", "moves", "foundings"],
                       [[number, pair["from"] or "(unknown)", pair["to"] or "(unknown)",
                         pair["moves"], pair["foundings"]]
                        for number, pair in enumerate(shown, 1)]))
    rest = len(result["pairs"]) - len(shown)
    if rest:
        lines.append(f"... {rest} more pair{'s' if rest != 1 else ''} (--json for all)")
    return "\n".join(lines)
