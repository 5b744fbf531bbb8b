"""Fields any record may carry: references to entities (known, of the right type) and
dates (real, and a period that does not end before it starts)."""

from __future__ import annotations

from graphkit.data.checks.reading import Reading
from graphkit.data.dates import parse_date
from graphkit.data.names import closest
from graphkit.data.relations import ORGANISATION_TYPES
from graphkit.data.schema import DATE_FIELDS
from graphkit.errors import Problem

ORGANISATIONS = ORGANISATION_TYPES
# Fields that send a record to the careful checks: dates other than date and end, and the
# fields whose checks the fast path for edges does not make.
OTHER_DATE_FIELDS = DATE_FIELDS - {"date", "end"} | {"date_bound", "round_id"}
ABSENT = object()


def dates_agree(start, end) -> bool:
    """Whether ``date`` ``start`` and ``end`` (either may be :data:`ABSENT`) are real dates
    in order.

    >>> dates_agree("2023-01", "2022"), dates_agree("2023", ABSENT)
    (False, True)
    """
    try:
        first = None if start is ABSENT else parse_date(start)
        last = None if end is ABSENT else parse_date(end)
    except (ValueError, TypeError):
        return False
    return first is None or last is None or last.last_day() >= first.first_day()


def did_you_mean(word: str, options) -> str:
    """A hint naming the options closest to ``word``, or nothing.

    >>> did_you_mean("openia", ["openai", "anthropic"])
    "; did you mean 'openai'?"
    """
    matches = closest(word, options)
    return f"; did you mean {' or '.join(repr(m) for m in matches)}?" if matches else ""


class FieldChecks(Reading):
    def _dates_fine(self, record: dict) -> bool:
        """Whether the record's dates certainly pass :meth:`_check_date_fields` (datasets
        repeat the same few thousand dates, so each pair is judged once)."""
        if not OTHER_DATE_FIELDS.isdisjoint(record):
            return False
        pair = (record.get("date", ABSENT), record.get("end", ABSENT))
        try:
            return self._date_verdicts[pair]
        except KeyError:
            verdict = self._date_verdicts[pair] = dates_agree(*pair)
            return verdict
        except TypeError:  # not hashable, so certainly not a date
            return False

    def _check_reference(self, display: str, index: int, field_name: str, ident: str,
                         allowed_types, relation: str | None = None) -> bool:
        entity = self.dataset.entities.get(ident)
        if entity is None and (not self._entities_read or ident in self._unusable_entities):
            return False
        if entity is None:
            self.problems.append(Problem(
                display, index, field_name,
                f"unknown entity {ident!r}{did_you_mean(ident, self.dataset.entities)}"))
            return False
        if entity["type"] not in allowed_types:
            needs = " or ".join(allowed_types)
            where = f"{relation} needs" if relation else "this field needs"
            self.problems.append(Problem(
                display, index, field_name,
                f"{ident!r} is a {entity['type']}, but {where} a {needs} here"))
            return False
        return True

    def _check_date_fields(self, display: str, index: int, record: dict) -> bool:
        parsed = {}
        for field_name in sorted(DATE_FIELDS & record.keys()):
            try:
                parsed[field_name] = parse_date(record[field_name])
            except ValueError as error:
                self.problems.append(Problem(display, index, field_name, str(error)))
                return False
        start, end = parsed.get("date"), parsed.get("end")
        if start and end and end.last_day() < start.first_day():
            self.problems.append(Problem(display, index, "end",
                                         f"ends ({end.text}) before it starts ({start.text})"))
            return False
        if "date_bound" in record and start is None:
            self.problems.append(Problem(display, index, "date_bound",
                                         "a date bound needs a date"))
            return False
        return True

