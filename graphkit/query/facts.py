"""What the articles say about one entity beyond its relations: figures, funding rounds,
events and cohorts, as they say it (with bounds, hedges and whose claim it is).

Two questions are answered here, as plain data:

* :func:`entity_figures`: every figure (valuation, revenue, users, ...) and funding round
  about an entity, grouped by metric, in date order.  Claims about the same metric at
  the same stated date (and period, cost kind, counterparty and rate) from sources that
  give different numbers are kept side by side, marked ``disagree``; nothing is averaged
  or merged.
* :func:`entity_timeline`: every dated record about an entity, whatever its kind
  (``edge``, ``figure``, ``round``, ``event``, ``cohort``), in date order.

**Dates and ``as_of``.**  A record is listed ``as_of`` a date when it may already have
happened by then: its stated date (``date_bound`` ``on``, ``circa`` or ``on-or-after``)
starts on or before the last day of ``as_of``.  A date that is only an upper bound
(``on-or-before``) says nothing about how early it happened, so such a record is always
listed, like an undated one.  ``end`` does not hide a figure or an event: these lists are a
history up to ``as_of``, not what was still in effect then.

The records come from a :class:`Facts`, read from the cache (:meth:`Facts.from_store`),
from a NetworkX graph (:meth:`Facts.from_graph`) or given as lists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from graphkit.data.dates import PartialDate, parse_date
from graphkit.data.describe import (
    counted,
    date_text,
    describe_edge,
    entity_name,
    hedge_mark,
    hedge_text,
    number_text,
    quantity_text,
)
from graphkit.data.facts import CURRENCIES, METRICS
from graphkit.data.lifespans import beginnings, birth_days
from graphkit.errors import BadArgument

# ``graphkit figures --metric rounds`` lists only the funding rounds.
ROUNDS = "rounds"
# The kinds of record a timeline lists, in the order records of one day are listed.
KINDS = ("event", "round", "figure", "edge", "cohort")


class Facts:
    """The records the fact queries read: ``nodes`` (entity records by id), ``figures``,
    ``rounds``, ``events`` and ``cohorts`` (lists of records), and ``edges_at(id)`` giving
    the records of the edges touching an entity.

    >>> facts = Facts({"o": {"name": "O", "type": "company"}},
    ...               figures=[{"id": "f", "entity": "o", "metric": "users", "sources": []}])
    >>> [figure["id"] for figure in facts.about("o")["figure"]]
    ['f']
    """

    def __init__(self, nodes: Mapping, figures: Iterable[dict] = (),
                 rounds: Iterable[dict] = (), events: Iterable[dict] = (),
                 cohorts: Iterable[dict] = (),
                 edges_at: Callable[[str], Iterable[dict]] | None = None):
        self.nodes = nodes
        self.figures = list(figures)
        self.rounds = list(rounds)
        self.events = list(events)
        self.cohorts = list(cohorts)
        self._edges_at = edges_at or (lambda ident: ())
        self._index: dict[str, dict[str, list[dict]]] | None = None
        self._born: dict[str, int] | None = None

    @classmethod
    def from_store(cls, store, network=None) -> Facts:
        """The facts of a :class:`graphkit.store.cache.Store`; edges through ``network``
        (a view of it, e.g. as of a date), or every edge."""
        from graphkit.store.graph import edges_at

        view = network if network is not None else store.view()

        def edges(ident: str) -> list[dict]:
            return [view.edge(reference) for reference in edges_at(view, ident)]

        return cls(store.nodes, _stored(store, "figures"), _stored(store, "rounds"),
                   _stored(store, "events"), store.cohorts, edges)

    @classmethod
    def from_graph(cls, graph) -> Facts:
        """The facts of a NetworkX graph built by :func:`graphkit.store.graph.build_graph`."""
        from graphkit.store.graph import as_network, edges_at

        network = as_network(graph)

        def edges(ident: str) -> list[dict]:
            return [network.edge(reference) for reference in edges_at(network, ident)]

        extra = graph.graph
        return cls(graph.nodes, extra.get("figures", ()), extra.get("rounds", ()),
                   extra.get("events", ()), extra.get("cohorts", ()), edges)

    def entity(self, ident: str) -> dict:
        """The entity record of ``ident``: ``id``, ``name``, ``type``, ``aliases``, ..."""
        data = self.nodes[ident]
        record = {"id": ident, "name": data["name"], "type": data["type"],
                  "aliases": list(data.get("aliases", []))}
        if data.get("description"):
            record["description"] = data["description"]
        return record

    def shown(self, kind: str, record: dict, as_of: PartialDate | None) -> bool:
        """Whether a record of ``kind`` is listed ``as_of``: it may have happened by then
        (:func:`happened_by`) and every entity it names existed by then (see
        :mod:`graphkit.data.lifespans`)."""
        if as_of is None:
            return True
        if not happened_by(record, as_of):
            return False
        if self._born is None:
            self._born = birth_days(self.events)
        if not self._born:
            return True
        last = as_of.last_day().toordinal()
        return all(self._born.get(ident, 0) <= last for ident in named(kind, record))

    def about(self, ident: str) -> dict[str, list[dict]]:
        """The records that name ``ident``, by kind (``edge``, ``figure``, ``round``,
        ``event``, ``cohort``)."""
        if self._index is None:
            self._index = _index(self)
        found = {kind: list(records) for kind, records in self._index.get(ident, {}).items()}
        found["edge"] = list(self._edges_at(ident))
        for kind in KINDS:
            found.setdefault(kind, [])
        return found


def _stored(store, name: str) -> list[dict]:
    try:
        return list(getattr(store, name))
    except AttributeError:
        return []


def named(kind: str, record: dict) -> list[str]:
    """The entities a record of ``kind`` names.

    >>> named("round", {"company": "m", "investors": ["a"], "lead": "a"})
    ['m', 'a', 'a']
    """
    if kind == "edge":
        return [record["source"], record["target"]]
    if kind == "figure":
        return [ident for ident in (record.get("entity"), record.get("counterparty")) if ident]
    if kind == "round":
        return [ident for ident in (record.get("company"), *record.get("investors", ()),
                                    record.get("lead")) if ident]
    if kind == "event":
        return [record["entity"], *record.get("participants", ())]
    return [ident for ident in (record.get("from"), record.get("to"),
                                *record.get("members", ())) if ident]


def _index(facts: Facts) -> dict[str, dict[str, list[dict]]]:
    index: dict[str, dict[str, list[dict]]] = {}

    def add(ident, kind: str, record: dict) -> None:
        if ident is not None:
            listed = index.setdefault(ident, {}).setdefault(kind, [])
            if not listed or listed[-1] is not record:
                listed.append(record)

    for figure in facts.figures:
        add(figure.get("entity"), "figure", figure)
        add(figure.get("counterparty"), "figure", figure)
    for funding in facts.rounds:
        for ident in (funding.get("company"), funding.get("lead"), *funding.get("investors", ())):
            add(ident, "round", funding)
    for event in facts.events:
        for ident in (event.get("entity"), *event.get("participants", ())):
            add(ident, "event", event)
    for cohort in facts.cohorts:
        for ident in (cohort.get("from"), cohort.get("to"), *cohort.get("members", ())):
            add(ident, "cohort", cohort)
    return index


# -- dates ----------------------------------------------------------------------------------


def happened_by(record: dict, as_of: PartialDate | None) -> bool:
    """Whether ``record`` may already have happened by ``as_of`` (see the module docstring).

    >>> as_of = PartialDate.parse("2022")
    >>> happened_by({"date": "2023"}, as_of), happened_by({"date": "2021-05"}, as_of)
    (False, True)
    >>> happened_by({"date": "2023", "date_bound": "on-or-before"}, as_of), happened_by({}, as_of)
    (True, True)
    """
    if as_of is None or record.get("date") is None:
        return True
    if record.get("date_bound") == "on-or-before":
        return True
    return parse_date(record["date"]).first_day() <= as_of.last_day()


def exists_from(events: Iterable[dict], ident: str) -> dict | None:
    """The earliest day ``ident`` is known to exist from (see
    :mod:`graphkit.data.lifespans`): ``{"date", "event"}``, or None when no event says.

    >>> events = [{"id": "e1", "entity": "x", "kind": "released", "date": "2023-03"},
    ...           {"id": "e2", "entity": "x", "kind": "announced", "date": "2022",
    ...            "date_bound": "on-or-before"}]
    >>> exists_from(events, "x")
    {'date': '2023-03', 'event': 'e1'}
    """
    found = beginnings(event for event in events if event.get("entity") == ident).get(ident)
    return None if found is None else {"date": found["date"], "event": found["event"]}


def not_yet(facts: Facts, ident: str, as_of: PartialDate | None) -> dict | None:
    """``{"date", "event"}`` of ``ident``'s beginning when it did not exist yet ``as_of``
    (see :mod:`graphkit.data.lifespans`), else None.

    >>> facts = Facts({}, events=[{"id": "f", "entity": "x", "kind": "founded",
    ...                            "date": "2021-06"}])
    >>> not_yet(facts, "x", PartialDate.parse("2021-05")), not_yet(facts, "x", None)
    ({'date': '2021-06', 'event': 'f'}, None)
    """
    if as_of is None:
        return None
    began = exists_from(facts.events, ident)
    if began is None or parse_date(began["date"]).first_day() <= as_of.last_day():
        return None
    return began


def not_yet_text(name: str, began: dict, as_of: str) -> str:
    """Why an entity is not shown as of a date.

    >>> not_yet_text("Rivalco", {"date": "2021-06", "event": "rivalco-founded"}, "2020")
    'Rivalco did not exist yet as of 2020 (from 2021-06, event rivalco-founded)'
    """
    return f"{name} did not exist yet as of {as_of} (from {began['date']}, event {began['event']})"


def _date_key(record: dict) -> tuple:
    """Date order: by first day, then last day; undated last."""
    if record.get("date") is None:
        return (1, 0, 0)
    date = parse_date(record["date"])
    end = parse_date(record["end"]) if record.get("end") else date
    return (0, date.first_day().toordinal(), end.last_day().toordinal())


# -- sentences ------------------------------------------------------------------------------


_COUNT_WORDS = {"exact": "", "approximate": "about ", "at-least": "at least ",
                "more-than": "more than ", "at-most": "at most ", "less-than": "fewer than "}


def cohort_size_text(cohort: dict) -> str:
    """A cohort's size as the text bounds it.

    >>> cohort_size_text({"count": 20, "count_bound": "more-than"})
    'more than 20'
    >>> cohort_size_text({"size_as_stated": "數名"})
    '數名 (number not stated)'
    """
    if cohort.get("count") is None:
        return f"{cohort.get('size_as_stated', 'some')} (number not stated)"
    return _COUNT_WORDS.get(cohort.get("count_bound", "exact"), "") + str(cohort["count"])


def figure_text(nodes, figure: dict) -> str:
    """A figure as a sentence: entity, metric, quantity, date and hedge.

    >>> figure_text({"o": {"name": "OpenAI"}}, {"entity": "o", "metric": "cost",
    ...     "cost_kind": "running", "date": "2023", "modality": "possible",
    ...     "quantity": {"as_stated": "70万美元", "value": 700000, "unit": "USD", "per": "day"}})
    'OpenAI cost (running): 70万美元 (USD 700,000 per day) (2023) [possible]'
    """
    metric = figure["metric"] + (f" ({figure['cost_kind']})" if figure.get("cost_kind") else "")
    text = f"{entity_name(nodes, figure['entity'])} {metric}: {quantity_text(figure['quantity'])}"
    if figure.get("counterparty"):
        text += f" with {entity_name(nodes, figure['counterparty'])}"
    if figure["metric"] == "other" and figure.get("note"):
        text += f" ({figure['note']})"
    return f"{text} ({date_text(figure)}){hedge_mark(figure)}"


_ROUND_VERBS = {"sought": "sought", "reported": "reportedly raised", "raised": "raised",
                "closed": "closed"}


def round_text(nodes, funding: dict) -> str:
    """A funding round as a sentence, saying when no investor is named.

    >>> round_text({"m": {"name": "Moonshot"}}, {"company": "m", "status": "raised",
    ...     "count": 2, "date": "2024",
    ...     "amount": {"as_stated": "超过30億元人民幣", "value": 3e9, "unit": "CNY",
    ...                "bound": "more-than"}})
    'Moonshot raised 超过30億元人民幣 (> CNY 3,000,000,000) in 2 rounds; investors not named (2024)'
    """
    company = entity_name(nodes, funding["company"])
    verb = _ROUND_VERBS.get(funding.get("status", "raised"), funding.get("status", "raised"))
    amount = quantity_text(funding["amount"]) if funding.get("amount") else "an undisclosed sum"
    text = f"{company} {verb} {amount}"
    if funding.get("round"):
        text += f" ({funding['round']})"
    if funding.get("count", 1) > 1:
        text += f" in {funding['count']} rounds"
    if funding.get("valuation"):
        text += f" at a valuation of {quantity_text(funding['valuation'])}"
    investors = list(funding.get("investors", ()))
    if funding.get("lead") and funding["lead"] not in investors:
        investors.insert(0, funding["lead"])
    if investors:
        names = ", ".join(entity_name(nodes, ident) for ident in investors)
        lead = (f" (lead {entity_name(nodes, funding['lead'])})"
                if funding.get("lead") and len(investors) > 1 else "")
        text += f" from {names}{lead}"
    else:
        text += "; investors not named"
    return f"{text} ({date_text(funding)}){hedge_mark(funding)}"


def event_text(nodes, event: dict) -> str:
    """An event as a sentence: its kind, description, date and hedge.

    >>> event_text({}, {"kind": "founded", "description": "OpenAI was founded.",
    ...                 "date": "2015"})
    'founded: OpenAI was founded (2015)'
    """
    description = event.get("description", "").rstrip(". ") or entity_name(nodes,
                                                                             event["entity"])
    return f"{event['kind']}: {description} ({date_text(event)}){hedge_mark(event)}"


def cohort_text(nodes, cohort: dict) -> str:
    """A cohort as a sentence, its size as the text bounds it.

    >>> cohort_text({"o": {"name": "OpenAI"}}, {"relation": "person-left-company",
    ...     "from": "o", "count": 20, "count_bound": "more-than", "date": "2024"})
    'more than 20 people left OpenAI (destination not named) (2024)'
    """
    size = cohort_size_text(cohort)
    origin = entity_name(nodes, cohort["from"]) if cohort.get("from") else None
    destination = entity_name(nodes, cohort["to"]) if cohort.get("to") else None
    if cohort["relation"] == "person-founded-company":
        text = f"{size} people{' from ' + origin if origin else ''} founded " + (
            destination or "companies not named")
    elif origin is None:
        text = f"{size} people joined {destination} (origin not named)"
    else:
        text = f"{size} people left {origin} " + (f"for {destination}" if destination
                                                  else "(destination not named)")
    return f"{text} ({date_text(cohort)}){hedge_mark(cohort)}"


def annotated(record: dict, text: str) -> dict:
    """A copy of ``record`` with its sentence (``text``), ``hedge`` (None when stated in
    the article's own voice) and whether totals ``counted`` it (stated or reported).

    >>> annotated({"modality": "possible"}, "x")
    {'modality': 'possible', 'text': 'x', 'hedge': 'possible', 'counted': False}
    """
    return {**record, "text": text, "hedge": hedge_text(record),
            "counted": counted(record)}


# -- figures --------------------------------------------------------------------------------


def check_metrics(metrics: Iterable[str]) -> list[str]:
    """``metrics`` as a list, or :class:`BadArgument` naming every valid metric.

    >>> check_metrics(["valuation"])
    ['valuation']
    >>> check_metrics(["valuations"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    graphkit.errors.BadArgument: unknown metric 'valuations'; did you mean 'valuation'? ...
    """
    from graphkit.data.names import closest

    valid = (*METRICS, ROUNDS)
    metrics = list(metrics)
    for metric in metrics:
        if metric not in valid:
            hint = closest(metric, valid, 1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            raise BadArgument(f"unknown metric {metric!r}{suggestion} (valid: "
                              f"{', '.join(valid)})")
    return metrics


def _value_key(quantity: dict) -> tuple:
    return (quantity.get("unit") or quantity.get("currency"), quantity.get("bound", "exact"),
            quantity.get("value"), quantity.get("low"), quantity.get("high"))


def _same_point(figure: dict) -> tuple:
    """What two claims must share to be about the same thing: the stated date and period
    (with their bounds), cost kind, counterparty, rate and kind of unit (money in any
    currency, or the same unit); for the metric ``other``, the note saying what it is."""
    quantity = figure["quantity"]
    unit = quantity.get("unit") or quantity.get("currency")
    return (figure.get("date"), figure.get("date_bound", "on"), figure.get("end"),
            figure.get("cost_kind"), figure.get("counterparty"), quantity.get("per"),
            "money" if unit in CURRENCIES else unit,
            figure.get("note") if figure["metric"] == "other" else None)


def entity_figures(facts: Facts, entity: str, as_of: PartialDate | None = None,
                   metrics: Iterable[str] = ()) -> dict:
    """Every figure and funding round about ``entity``, grouped by metric, in date order.

    ``metrics`` (see :data:`METRICS`, and ``rounds`` for the rounds) keeps only those.
    Each metric lists ``points``: the claims made about the same date (see
    :func:`_same_point`), each claim the figure record with ``text``, ``hedge`` and
    ``counted``; a point's ``disagree`` is true when its claims give different numbers.
    A figure whose ``counterparty`` is the entity is listed too, under its metric.

    >>> facts = Facts({"o": {"name": "O", "type": "company"}}, figures=[
    ...     {"id": "a", "entity": "o", "metric": "valuation", "date": "2024",
    ...      "quantity": {"as_stated": "1", "value": 1, "unit": "USD"}, "sources": []},
    ...     {"id": "b", "entity": "o", "metric": "valuation", "date": "2024",
    ...      "quantity": {"as_stated": "2", "value": 2, "unit": "USD"}, "sources": []}])
    >>> [(p["date"], p["disagree"], len(p["claims"]))
    ...  for p in entity_figures(facts, "o")["metrics"][0]["points"]]
    [('2024', True, 2)]
    """
    wanted = set(check_metrics(metrics))
    about = facts.about(entity)
    by_metric: dict[str, list[dict]] = {}
    for figure in about["figure"]:
        if facts.shown("figure", figure, as_of) and (not wanted or figure["metric"] in wanted):
            by_metric.setdefault(figure["metric"], []).append(figure)
    grouped = []
    for metric in sorted(by_metric, key=lambda name: (METRICS.index(name)
                                                      if name in METRICS else len(METRICS),
                                                      name)):
        points: dict[tuple, list[dict]] = {}
        for figure in sorted(by_metric[metric], key=lambda f: (_date_key(f), f["id"])):
            points.setdefault(_same_point(figure), []).append(
                annotated(figure, figure_text(facts.nodes, figure)))
        listed = [{"date": claims[0].get("date"), "when": date_text(claims[0]),
                   "disagree": len({_value_key(c["quantity"]) for c in claims}) > 1,
                   "claims": claims}
                  for claims in points.values()]
        listed.sort(key=lambda point: (_date_key(point["claims"][0]), point["claims"][0]["id"]))
        grouped.append({"metric": metric, "points": listed,
                        "claims": sum(len(point["claims"]) for point in listed)})
    rounds = funding_rounds(facts, entity, as_of) if not wanted or ROUNDS in wanted else []
    named = {entity}
    for metric in grouped:
        for point in metric["points"]:
            named.update(claim[key] for claim in point["claims"]
                         for key in ("entity", "counterparty") if claim.get(key))
    for funding in rounds:
        named.update(ident for ident in (funding["company"], funding.get("lead"),
                                         *funding.get("investors", ())) if ident)
    return {"entity": facts.entity(entity), "metrics": grouped, "rounds": rounds,
            "entities": {ident: facts.entity(ident) for ident in sorted(named)
                         if ident in facts.nodes},
            "exists_from": exists_from(facts.events, entity)}


# -- timeline -------------------------------------------------------------------------------


def check_kinds(kinds: Iterable[str]) -> list[str]:
    """``kinds`` as a list, or :class:`BadArgument` naming the valid kinds.

    >>> check_kinds(["figure"])
    ['figure']
    >>> check_kinds(["edges"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    graphkit.errors.BadArgument: unknown kind 'edges'; did you mean 'edge'? (valid: event, ...)
    """
    from graphkit.data.names import closest

    kinds = list(kinds)
    for kind in kinds:
        if kind not in KINDS:
            hint = closest(kind, KINDS, 1)
            suggestion = f"; did you mean {hint[0]!r}?" if hint else ""
            raise BadArgument(f"unknown kind {kind!r}{suggestion} (valid: {', '.join(KINDS)})")
    return kinds


def _sentence(nodes, kind: str, record: dict) -> str:
    if kind == "edge":
        return describe_edge(nodes, record)
    return {"figure": figure_text, "round": round_text, "event": event_text,
            "cohort": cohort_text}[kind](nodes, record)


def entity_timeline(facts: Facts, entity: str, as_of: PartialDate | None = None,
                    kinds: Iterable[str] = ()) -> dict:
    """Every dated record about ``entity`` in date order, whatever its kind.

    Each entry: ``kind`` (see :data:`KINDS`), ``id``, ``date``, ``when`` (the date as the
    text bounds it: ``on or before 2023-01-24``, ``around 2024``, ``~2024`` when
    inferred), ``text``, ``hedge`` and ``record`` (the full record).  ``undated`` counts,
    per kind, the records left out for having no date.  ``kinds`` keeps only those kinds.

    >>> facts = Facts({"o": {"name": "O", "type": "company"}}, events=[
    ...     {"id": "e", "entity": "o", "kind": "founded", "date": "2015",
    ...      "description": "O was founded.", "sources": []}])
    >>> [(entry["kind"], entry["text"]) for entry in entity_timeline(facts, "o")["entries"]]
    [('event', 'founded: O was founded (2015)')]
    """
    wanted = check_kinds(kinds) or list(KINDS)
    about = facts.about(entity)
    entries, undated = [], {}
    for kind in wanted:
        for record in about[kind]:
            if record.get("date") is None:
                undated[kind] = undated.get(kind, 0) + 1
                continue
            if not facts.shown(kind, record, as_of):
                continue
            entries.append({"kind": kind, "id": record["id"], "date": record["date"],
                            "when": date_text(record),
                            "text": _sentence(facts.nodes, kind, record),
                            "hedge": hedge_text(record), "record": record})
    entries.sort(key=lambda entry: (_date_key(entry["record"]), KINDS.index(entry["kind"]),
                                    entry["id"]))
    return {"entity": facts.entity(entity), "entries": entries,
            "undated": dict(sorted(undated.items())),
            "exists_from": exists_from(facts.events, entity)}


def figures_summary(total: int, counted: int) -> str:
    """``3 claims`` or ``3 claims (1 hedged)``.

    >>> figures_summary(3, 2)
    '3 claims (1 hedged: not stated as fact)'
    """
    text = f"{number_text(total)} claim{'s' * (total != 1)}"
    if counted < total:
        text += f" ({total - counted} hedged: not stated as fact)"
    return text


def facts_card(facts: Facts, entity: str, as_of: PartialDate | None = None) -> dict:
    """What an entity card adds from ``facts``: ``figures``, ``rounds`` and ``events``
    about ``entity`` that may have happened by ``as_of``, in date order, each with
    ``text``, ``hedge`` and ``counted``; and ``exists_from``.

    >>> facts = Facts({"o": {"name": "O", "type": "company"}}, events=[
    ...     {"id": "e", "entity": "o", "kind": "demo", "date": "2023", "modality": "planned",
    ...      "description": "O plans a demo.", "sources": []}])
    >>> [event["text"] for event in facts_card(facts, "o")["events"]]
    ['demo: O plans a demo (2023) [planned]']
    """
    about = facts.about(entity)
    card = {}
    for kind, key in (("figure", "figures"), ("round", "rounds"), ("event", "events")):
        records = sorted((record for record in about[kind] if facts.shown(kind, record, as_of)),
                         key=lambda record: (_date_key(record), record["id"]))
        card[key] = [annotated(record, _sentence(facts.nodes, kind, record))
                     for record in records]
    card["exists_from"] = exists_from(facts.events, entity)
    return card


def funding_rounds(facts: Facts, entity: str, as_of: PartialDate | None = None) -> list[dict]:
    """The funding rounds of ``entity`` or naming it as an investor, that may have
    happened by ``as_of``, in date order, each with ``text``, ``hedge`` and ``counted``.

    >>> facts = Facts({"m": {"name": "M", "type": "company"}}, rounds=[
    ...     {"id": "r", "company": "m", "status": "sought", "date": "2024", "sources": []}])
    >>> [funding["text"] for funding in funding_rounds(facts, "m")]
    ['M sought an undisclosed sum; investors not named (2024)']
    """
    return [annotated(funding, round_text(facts.nodes, funding))
            for funding in sorted(facts.about(entity)["round"],
                                  key=lambda r: (_date_key(r), r["id"]))
            if facts.shown("round", funding, as_of)]
