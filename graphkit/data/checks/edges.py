"""Edge lists: one relation per file, the ends of the types the relation joins.

Built for a million edges: most are fine, which is made sure of cheaply; the careful
checks find and say what is wrong with the others.
"""

from __future__ import annotations

from array import array
from functools import partial
from operator import attrgetter

from msgspec import UNSET

from graphkit.data.checks.facts import FactChecks, bound_problems
from graphkit.data.checks.fields import (
    ABSENT,
    ORGANISATIONS,
    OTHER_DATE_FIELDS,
    dates_agree,
)
from graphkit.data.checks.reading import _records_again
from graphkit.data.checks.typed import TypedEdges, unset_as
from graphkit.data.relations import RELATIONS
from graphkit.errors import Problem

# An amount with only these fields needs no careful look (no bound to agree with).
_PLAIN_AMOUNT = frozenset({"as_stated", "value", "currency"}).issuperset
# The fields that send an edge to the careful checks which typed edges may carry: the
# rest of OTHER_DATE_FIELDS no edge may (the typed decoding says no to them).
_TYPED_OTHERS = ("date_bound", "round_id")


class EdgeChecks(FactChecks):
    def _check_edges(self, display: str, document: dict) -> None:
        records = self._schema_check(display, "edges", document)
        name = document.get("relation")
        # The schema reports a relation that is not a known name (a list, say).
        relation = RELATIONS.get(name) if isinstance(name, str) else None
        if relation is None:
            return
        name = relation.name
        sources = self.dataset.sources
        number_of, type_at = self._number_of, self._type_at
        source_types, target_types = relation.source_types, relation.target_types
        entity_fields = relation.entity_fields
        amounts = "amount" in relation.fields
        plain_amount = _PLAIN_AMOUNT
        dates_fine, verdicts = self._dates_fine, self._date_verdicts
        no_other_dates = OTHER_DATE_FIELDS.isdisjoint
        quotes_unchecked = self.documents is None
        quotes_fine = self._quotes_fine
        kept = self.dataset.edges
        if self.dataset.ends is None:
            self.dataset.ends = (array("i"), array("i"))
        first_ends, second_ends = self.dataset.ends
        start = len(kept)
        for index, edge in self._good(display, records):
            # A million edges are mostly fine: make sure of that cheaply, and leave finding
            # (and saying) what is wrong with the others to the careful checks.
            first, second = number_of.get(edge["source"]), number_of.get(edge["target"])
            citations = edge["sources"]
            fine = (first is not None and second is not None
                    and type_at[first] in source_types and type_at[second] in target_types
                    and first != second and no_other_dates(edge)
                    and (verdicts.get((edge.get("date", ABSENT), edge.get("end", ABSENT)))
                         or dates_fine(edge))
                    and (citations[0]["doc"] in sources and citations[0]["quote"].strip()
                         if len(citations) == 1 else
                         all(citation["doc"] in sources and citation["quote"].strip()
                             for citation in citations))
                    and (not entity_fields or self._entity_fields_fine(edge, entity_fields))
                    and (not amounts or "amount" not in edge or plain_amount(edge["amount"]))
                    and (quotes_unchecked or quotes_fine(citations)))
            if fine or self._check_edge(display, index, edge, relation):
                # The parsed record is ours alone: annotate it instead of copying it.
                edge["relation"] = name
                kept.append(edge)
                first_ends.append(number_of[edge["source"]] if first is None else first)
                second_ends.append(number_of[edge["target"]] if second is None else second)
        self._claim_ids(display, records, [edge["id"] for edge in kept[start:]])

    def _check_typed_edges(self, display: str, edges: TypedEdges) -> None:
        """(Streaming, the schema trusted.) :meth:`_check_edges` on an edge list decoded
        into typed records, then its good edges to ``edge_sink``: the same checks, the same
        problems, without a dict per edge (an edge that is not certainly fine is read
        as one, for the careful checks)."""
        relation = edges.relation
        records = edges.records
        sources = self.dataset.sources
        number_of, type_at = self._number_of, self._type_at
        source_types, target_types = relation.source_types, relation.target_types
        entity_fields = relation.entity_fields
        amounts = "amount" in relation.fields
        # Of the fields that send an edge to the careful checks, those it may have
        # (see _TYPED_OTHERS: the others are not allowed to it at all).
        round_ids = "round_id" in relation.fields
        plain_amount = _PLAIN_AMOUNT
        verdicts = self._typed_date_verdicts
        quotes_unchecked = self.documents is None
        # One field naming an entity (an origin, a destination) is looked at here; more,
        # by a method.
        entity_field = entity_fields[0] if len(entity_fields) == 1 else None
        several = len(entity_fields) > 1
        position = number_of.get
        first_ends, second_ends = array("i"), array("i")
        keep_first, keep_second = first_ends.append, second_ends.append
        # Each kept edge's (date, end), for the store's columns; whether one has a bound.
        pairs: list[tuple] = []
        keep_dates = pairs.append
        bounded = False
        dropped: list[int] = []
        for index, edge in enumerate(records):
            first, second = position(edge.source), position(edge.target)
            citations = edge.sources
            dates = edge.date, edge.end
            if (first is not None and second is not None
                    and type_at[first] in source_types and type_at[second] in target_types
                    and first != second and edge.date_bound is UNSET
                    and (not round_ids or edge.round_id is UNSET)
                    and (verdicts.get(dates) or self._typed_dates_fine(dates))
                    and (citations[0].doc in sources and citations[0].quote.strip()
                         if len(citations) == 1 else
                         all(citation.doc in sources and citation.quote.strip()
                             for citation in citations))
                    and (entity_field is None
                         or (ident := getattr(edge, entity_field)) is UNSET
                         or (number := position(ident)) is not None
                         and type_at[number] in ORGANISATIONS and ident != edge.target)
                    and (not several or self._typed_entity_fields_fine(edge, entity_fields))
                    and (not amounts or edge.amount is UNSET or plain_amount(edge.amount))
                    and (quotes_unchecked or self._typed_quotes_fine(citations))):
                keep_first(first)
                keep_second(second)
                keep_dates(dates)
            elif self._check_edge(display, index, edges.record(index), relation):
                keep_first(number_of[edge.source])
                keep_second(number_of[edge.target])
                keep_dates(dates)
                bounded = bounded or edge.date_bound is not UNSET
            else:
                dropped.append(index)
        if dropped:
            left_out = set(dropped)
            kept = [index for index in range(len(records)) if index not in left_out]
            ids = [records[index].id for index in kept]
        else:
            kept, ids = range(len(records)), list(map(attrgetter("id"), records))
        # Should a later edge list repeat an id, this one is read again to say where.
        self._claim_ids(display, partial(_records_again, display), ids)
        if not self.problems and kept:
            self.edge_sink(edges.kept(kept, pairs, bounded), first_ends, second_ends)

    def _typed_dates_fine(self, dates: tuple) -> bool:
        """:meth:`_dates_fine` of a typed edge's date and end (either may be UNSET)."""
        verdict = self._typed_date_verdicts[dates] = dates_agree(*unset_as(list(dates),
                                                                           ABSENT))
        return verdict

    def _typed_entity_fields_fine(self, edge, entity_fields: tuple[str, ...]) -> bool:
        for field_name in entity_fields:
            ident = getattr(edge, field_name)
            if ident is not UNSET:
                number = self._number_of.get(ident)
                if (number is None or self._type_at[number] not in ORGANISATIONS
                        or ident == edge.target):
                    return False
        return True

    def _typed_quotes_fine(self, citations: list) -> bool:
        return self._quotes_fine([{"doc": citation.doc, "quote": citation.quote}
                                  for citation in citations])

    def _check_edge(self, display: str, index: int, edge: dict, relation) -> bool:
        ok = self._check_reference(display, index, "source", edge["source"],
                                   relation.source_types, relation.name)
        ok &= self._check_reference(display, index, "target", edge["target"],
                                    relation.target_types, relation.name)
        for field_name in relation.entity_fields:
            if field_name in edge:
                ok &= self._check_reference(display, index, field_name, edge[field_name],
                                            ORGANISATIONS)
                if edge[field_name] == edge["target"]:
                    ok = False
                    self.problems.append(Problem(
                        display, index, field_name,
                        f"{field_name} {edge[field_name]!r} is the same company as the "
                        "target: a move is between two different companies"))
        if edge["source"] == edge["target"]:
            ok = False
            self.problems.append(Problem(display, index, "target",
                                         "an edge cannot join an entity to itself"))
        if "round_id" in edge:
            ok &= self._check_round_id(display, index, edge)
        if "amount" in edge:
            for field_name, message in bound_problems(edge["amount"], value_required=False):
                ok = False
                self.problems.append(Problem(display, index, f"amount.{field_name}", message))
        ok &= self._check_date_fields(display, index, edge)
        ok &= self._check_citations(display, index, edge["sources"])
        return ok

    def _entity_fields_fine(self, edge: dict, entity_fields: tuple[str, ...]) -> bool:
        for field_name in entity_fields:
            if field_name in edge:
                number = self._number_of.get(edge[field_name])
                if (number is None or self._type_at[number] not in ORGANISATIONS
                        or edge[field_name] == edge["target"]):
                    return False
        return True
