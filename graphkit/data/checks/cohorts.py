"""Cohorts: groups of people who moved together, their members and overlaps."""

from __future__ import annotations

from graphkit.data.checks.fields import ORGANISATIONS, FieldChecks, did_you_mean
from graphkit.data.checks.sources import SourceChecks
from graphkit.errors import Problem


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
            if len(members) > cohort["count"]:
                ok = False
                self.problems.append(Problem(
                    display, index, "count",
                    f"count {cohort['count']} is smaller than the {len(members)} named members"))
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
                shared = entry.get("count", cohort["count"])
                where, message = f"within[{position}].cohort", None
                if entry["cohort"] == cohort["id"]:
                    message = "a cohort cannot be within itself"
                elif other is None:
                    message = (f"unknown cohort {entry['cohort']!r}"
                               f"{did_you_mean(entry['cohort'], first_index)}")
                elif shared > min(cohort["count"], other["count"]):
                    where = f"within[{position}].count"
                    message = (f"count {shared} is more than this cohort ({cohort['count']}) "
                               f"or {other['id']!r} ({other['count']}) counts")
                if message is None:
                    claimed[other["id"]] = claimed.get(other["id"], 0) + shared
                    continue
                self.problems.append(Problem(display, index, where, message))
                if cohort in self.dataset.cohorts:
                    self.dataset.cohorts.remove(cohort)
        for ident, shared in sorted(claimed.items()):
            if shared > by_id[ident]["count"]:
                self.problems.append(Problem(
                    display, first_index[ident], "count",
                    f"cohorts within {ident!r} count {shared} of its people, more than its "
                    f"{by_id[ident]['count']}"))

