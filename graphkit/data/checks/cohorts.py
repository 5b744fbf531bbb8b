"""Cohorts: groups of people who moved together, their size as the text bounds it (or
words for it), their members and overlaps."""

from __future__ import annotations

from graphkit.data.checks.fields import ORGANISATIONS, FieldChecks, did_you_mean
from graphkit.data.checks.sources import SourceChecks
from graphkit.errors import Problem


def most_people(cohort: dict) -> int | None:
    """The most people a cohort can count, as far as its count says (None: no limit).

    >>> most_people({"count": 20, "count_bound": "more-than"}) is None
    True
    >>> most_people({"count": 20, "count_bound": "less-than"}), most_people({"count": 5})
    (19, 5)
    """
    count, bound = cohort.get("count"), cohort.get("count_bound", "exact")
    if count is None or bound in ("at-least", "more-than"):
        return None
    return count - 1 if bound == "less-than" else count


def _at_most(*limits: int | None) -> int | None:
    known = [limit for limit in limits if limit is not None]
    return min(known) if known else None


class CohortChecks(FieldChecks, SourceChecks):
    def _check_cohorts(self, display: str, document: dict) -> None:
        records = self._schema_check(display, "cohorts", document)
        unique = self._unique_records(display, records)
        first_index = {cohort["id"]: index for index, cohort in unique}
        for index, cohort in unique:
            ok = self._check_date_fields(display, index, cohort)
            ok &= self._check_citations(display, index, cohort["sources"])
            for end in ("from", "to"):
                if end in cohort:
                    ok &= self._check_reference(display, index, end, cohort[end],
                                                ORGANISATIONS)
            members = cohort.get("members", [])
            for position, member in enumerate(members):
                ok &= self._check_reference(display, index, f"members[{position}]", member,
                                            ("person",))
            if "count" not in cohort and "size_as_stated" not in cohort:
                ok = False
                self.problems.append(Problem(
                    display, index, "count",
                    "missing count: give the count, or size_as_stated for a group the text "
                    "does not count"))
            elif "count_bound" in cohort and "count" not in cohort:
                ok = False
                self.problems.append(Problem(display, index, "count_bound",
                                             "a count bound needs a count"))
            elif (most := most_people(cohort)) is not None and len(members) > most:
                ok = False
                bound = cohort.get("count_bound", "exact")
                size = (f"count {cohort['count']}" if bound == "exact"
                        else f"count {bound} {cohort['count']}")
                self.problems.append(Problem(
                    display, index, "count",
                    f"{size} is smaller than the {len(members)} named members"))
            if ok:
                self.dataset.cohorts.append(cohort)
        self._check_overlaps(display, first_index)

    def _check_overlaps(self, display: str, first_index: dict[str, int]) -> None:
        """``within`` names another cohort and claims no more people than either counts."""
        by_id = {cohort["id"]: cohort for cohort in self.dataset.cohorts}
        claimed: dict[str, int] = {}
        for cohort in list(self.dataset.cohorts):
            index = first_index[cohort["id"]]
            for position, entry in enumerate(cohort.get("within", [])):
                other = by_id.get(entry["cohort"])
                shared = entry.get("count", cohort.get("count"))
                where, message = f"within[{position}].cohort", None
                if entry["cohort"] == cohort["id"]:
                    message = "a cohort cannot be within itself"
                elif other is None:
                    message = (f"unknown cohort {entry['cohort']!r}"
                               f"{did_you_mean(entry['cohort'], first_index)}")
                elif shared is not None and shared > (
                        _at_most(most_people(cohort), most_people(other)) or shared):
                    where = f"within[{position}].count"
                    message = (f"count {shared} is more than this cohort "
                               f"({_size(cohort)}) or {other['id']!r} ({_size(other)}) counts")
                if message is None:
                    if shared is not None:
                        claimed[other["id"]] = claimed.get(other["id"], 0) + shared
                    continue
                self.problems.append(Problem(display, index, where, message))
                if cohort in self.dataset.cohorts:
                    self.dataset.cohorts.remove(cohort)
        for ident, shared in sorted(claimed.items()):
            most = most_people(by_id[ident])
            if most is not None and shared > most:
                self.problems.append(Problem(
                    display, first_index[ident], "count",
                    f"cohorts within {ident!r} count {shared} of its people, more than its "
                    f"{_size(by_id[ident])}"))



def _size(cohort: dict) -> str:
    """A cohort's size in words: ``5``, ``more-than 20`` or its ``size_as_stated``."""
    if "count" not in cohort:
        return repr(cohort.get("size_as_stated", "uncounted"))
    bound = cohort.get("count_bound", "exact")
    return str(cohort["count"]) if bound == "exact" else f"{bound} {cohort['count']}"
