"""Figures, funding rounds and events, and the quantities they (and edges) carry: what the
schema cannot say, such as a range whose low end is above its high end, a cost without its
kind, a valuation in users, or a round investor that is not an entity."""

from __future__ import annotations

from graphkit.data.checks.fields import ORGANISATIONS, FieldChecks, did_you_mean
from graphkit.data.checks.sources import SourceChecks
from graphkit.data.facts import CURRENCIES, MONEY_METRICS
from graphkit.data.relations import ENTITY_TYPES
from graphkit.errors import Problem

# Who may raise money, and who may put it in.
RAISERS = ("company", "lab")
INVESTORS = ("person", *ORGANISATIONS)


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def bound_problems(quantity: dict, value_required: bool = True) -> list[tuple[str, str]]:
    """What is wrong with a quantity's number and its bound, as ``(field, message)`` pairs
    (an edge's ``amount`` may leave its value out: ``value_required=False``).

    >>> bound_problems({"as_stated": "20到30亿", "bound": "range", "low": 3e9, "high": 2e9})
    [('low', 'range low 3,000,000,000 is above its high 2,000,000,000')]
    >>> bound_problems({"as_stated": "數億美元", "bound": "unspecified"})
    []
    >>> bound_problems({"as_stated": "超过30億", "bound": "more-than"})
    [('value', "bound 'more-than' needs a value (or use bound 'unspecified')")]
    """
    bound = quantity.get("bound", "exact")
    value, low, high = quantity.get("value"), quantity.get("low"), quantity.get("high")
    found = []
    if bound == "range":
        if low is None or high is None:
            missing = "low" if low is None else "high"
            found.append((missing, f"a range needs both low and high; {missing} is missing"))
        elif low > high:
            found.append(("low", f"range low {_number(low)} is above its high {_number(high)}"))
        elif value is not None and not low <= value <= high:
            found.append(("value", f"value {_number(value)} is outside its range "
                                   f"{_number(low)} to {_number(high)}"))
        return found
    for end in ("low", "high"):
        if end in quantity:
            found.append((end, f"{end} is only for bound 'range', not {bound!r}"))
    if bound == "unspecified" and value is not None:
        found.append(("value", "bound 'unspecified' means the text gives no number: "
                               "drop the value, or say how it bounds the amount"))
    elif bound != "unspecified" and value is None and value_required:
        found.append(("value", f"bound {bound!r} needs a value (or use bound 'unspecified')"))
    return found


class FactChecks(FieldChecks, SourceChecks):
    def _check_quantity(self, display: str, index: int, where: str, quantity: dict,
                        money: bool, what: str) -> bool:
        """A quantity's bound agrees with its numbers; money (``money``) is in a currency."""
        ok = True
        for field_name, message in bound_problems(quantity):
            ok = False
            self.problems.append(Problem(display, index, f"{where}.{field_name}", message))
        unit = quantity.get("unit")
        for end in ("value", "low", "high"):
            if quantity.get(end, 0) < 0 and unit != "percent":
                ok = False
                self.problems.append(Problem(
                    display, index, f"{where}.{end}",
                    f"{_number(quantity[end])} is negative: only a change in percent may be"))
        if money and unit is not None and unit not in CURRENCIES:
            ok = False
            self.problems.append(Problem(
                display, index, f"{where}.unit",
                f"{what} is money: its unit must be a currency such as USD or CNY, "
                f"not {unit!r}"))
        return ok

    def _check_claim(self, display: str, index: int, record: dict) -> bool:
        """What every record shares: its dates and its citations."""
        ok = self._check_date_fields(display, index, record)
        return self._check_citations(display, index, record["sources"]) and ok

    def _check_references(self, display: str, index: int, field_name: str, idents: list,
                          allowed_types) -> bool:
        ok = True
        for position, ident in enumerate(idents):
            ok &= self._check_reference(display, index, f"{field_name}[{position}]", ident,
                                        allowed_types)
        return ok

    # -- figures.json ----------------------------------------------------------------------

    def _check_figures(self, display: str, document: dict) -> None:
        records = self._schema_check(display, "figures", document)
        for index, figure in self._unique_records(display, records):
            ok = self._check_claim(display, index, figure)
            ok &= self._check_reference(display, index, "entity", figure["entity"], ENTITY_TYPES)
            metric = figure["metric"]
            if "counterparty" in figure:
                ok &= self._check_reference(display, index, "counterparty",
                                            figure["counterparty"], ENTITY_TYPES)
                if figure["counterparty"] == figure["entity"]:
                    ok = False
                    self.problems.append(Problem(display, index, "counterparty",
                                                 "the counterparty is the figure's own entity"))
            if metric == "cost" and "cost_kind" not in figure:
                ok = False
                self.problems.append(Problem(
                    display, index, "cost_kind",
                    "a cost needs its kind (training, inference, running, compute, talent)"))
            elif metric != "cost" and "cost_kind" in figure:
                ok = False
                self.problems.append(Problem(display, index, "cost_kind",
                                             f"cost_kind is only for metric 'cost', not "
                                             f"{metric!r}"))
            if metric == "other" and "note" not in figure:
                ok = False
                self.problems.append(Problem(display, index, "note",
                                             "metric 'other' needs a note saying what it is"))
            ok &= self._check_quantity(display, index, "quantity", figure["quantity"],
                                       metric in MONEY_METRICS, f"a {metric}")
            if ok:
                self.dataset.figures.append(figure)

    # -- rounds.json -----------------------------------------------------------------------

    def _check_rounds(self, display: str, document: dict) -> None:
        records = self._schema_check(display, "rounds", document)
        unique = self._unique_records(display, records)
        # Rounds whose record is broken count as known: an edge naming one is not a problem
        # of its own (the round's is reported).
        self._round_ids = ({round_["id"] for _, round_ in unique}
                           | self._broken_keys(display, records, "id"))
        for index, round_ in unique:
            ok = self._check_claim(display, index, round_)
            ok &= self._check_reference(display, index, "company", round_["company"], RAISERS)
            investors = round_.get("investors", [])
            ok &= self._check_references(display, index, "investors", investors, INVESTORS)
            if round_["company"] in investors:
                ok = False
                self.problems.append(Problem(
                    display, index, f"investors[{investors.index(round_['company'])}]",
                    "a company does not invest in its own round"))
            if "lead" in round_:
                ok &= self._check_reference(display, index, "lead", round_["lead"], INVESTORS)
                if investors and round_["lead"] not in investors:
                    ok = False
                    self.problems.append(Problem(display, index, "lead",
                                                 f"lead {round_['lead']!r} is not among the "
                                                 f"round's investors"))
            for field_name in ("amount", "valuation"):
                if field_name in round_:
                    ok &= self._check_quantity(display, index, field_name, round_[field_name],
                                               True, f"a round's {field_name}")
            if ok:
                self.dataset.rounds.append(round_)
        self._round_company = {round_["id"]: round_["company"] for round_ in self.dataset.rounds}

    # -- events.json -----------------------------------------------------------------------

    def _check_events(self, display: str, document: dict) -> None:
        records = self._schema_check(display, "events", document)
        for index, event in self._unique_records(display, records):
            ok = self._check_claim(display, index, event)
            ok &= self._check_reference(display, index, "entity", event["entity"], ENTITY_TYPES)
            participants = event.get("participants", [])
            ok &= self._check_references(display, index, "participants", participants,
                                         ENTITY_TYPES)
            if event["entity"] in participants:
                ok = False
                self.problems.append(Problem(
                    display, index, f"participants[{participants.index(event['entity'])}]",
                    "the event's own entity is not one of its participants"))
            if ok:
                self.dataset.events.append(event)

    # -- what edges carry ------------------------------------------------------------------

    def _check_round_id(self, display: str, index: int, edge: dict) -> bool:
        """An investment's ``round_id`` names a round of the company invested in."""
        ident = edge["round_id"]
        company = self._round_company.get(ident)
        if company is None:
            if ident in self._round_ids:
                return False  # the round's own record has a problem, reported already
            if self._claimed(ident):
                message = f"{ident!r} is not a round but another kind of record"
            else:
                message = f"unknown round {ident!r}{did_you_mean(ident, self._round_ids)}"
            self.problems.append(Problem(display, index, "round_id", message))
            return False
        if company != edge["target"]:
            self.problems.append(Problem(display, index, "round_id",
                                         f"round {ident!r} is {company!r}'s, but this edge "
                                         f"invests in {edge['target']!r}"))
            return False
        return True
