"""Dates with the precision the text supports: ``2023``, ``2023-09`` or ``2023-09-25``."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

ISO_PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
_PATTERN = re.compile(ISO_PARTIAL_DATE)


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to a year, a month or a day.

    A partial date stands for the interval of days it covers, so comparisons use
    :meth:`first_day` and :meth:`last_day`.

    >>> PartialDate.parse("2023-02").last_day()
    datetime.date(2023, 2, 28)
    >>> PartialDate.parse("2024").first_day()
    datetime.date(2024, 1, 1)
    >>> PartialDate.parse("0000")
    Traceback (most recent call last):
    ...
    ValueError: '0000' is not a real date: there is no year 0 (the first is 0001)
    """

    text: str
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; raise ``ValueError`` saying why not."""
        # fullmatch: "$" alone would let a trailing newline through ("2023\n").
        if not isinstance(text, str) or not _PATTERN.fullmatch(text):
            raise ValueError(f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        parts = [int(part) for part in text.split("-")]
        year, month, day = (parts + [None, None])[:3]
        if year == 0:
            raise ValueError(f"{text!r} is not a real date: there is no year 0 (the first "
                             "is 0001)")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r} is not a real date: there is no month {month}")
        if day is not None:
            try:
                date(year, month, day)
            except ValueError:
                raise ValueError(f"{text!r} is not a real date: {year}-{month:02d} has "
                                 f"{calendar.monthrange(year, month)[1]} days") from None
        return cls(text, year, month, day)

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


@lru_cache(maxsize=65536)
def parse_date(text: str) -> PartialDate:
    """:meth:`PartialDate.parse`, remembered: datasets repeat the same dates many times.

    >>> parse_date("2023-09") is parse_date("2023-09")
    True
    """
    return PartialDate.parse(text)


# The day ordinals an undated start or end stands for: open at either side.
UNDATED_START = 0
UNDATED_END = 2**31 - 1


def day_span(start: str | None, end: str | None) -> tuple[int, int]:
    """The first day of ``start`` and the last day of ``end`` as day ordinals, an undated
    side open (:data:`UNDATED_START`, :data:`UNDATED_END`).

    >>> first, last = day_span("2023-01", None)
    >>> date.fromordinal(first), last == UNDATED_END
    (datetime.date(2023, 1, 1), True)
    """
    first = UNDATED_START if start is None else parse_date(start).first_day().toordinal()
    last = UNDATED_END if end is None else parse_date(end).last_day().toordinal()
    return first, last


@dataclass(frozen=True)
class EffectWindow:
    """What ``--as-of`` keeps, as day ordinals: a fact dated ``start``..``end`` is in effect
    when it starts no later than the last day of the as-of date and ends no earlier than its
    first day.  The one definition of the rule: the NetworkX views, the cache's traversal
    and the NumPy statistics all ask :meth:`admits`.

    >>> window = EffectWindow.at(PartialDate.parse("2022"))
    >>> window.admits(*day_span("2023-01", None)), window.admits(*day_span("2021", None))
    (False, True)
    """

    latest_start: int
    earliest_end: int

    @classmethod
    def at(cls, as_of: PartialDate | None) -> EffectWindow | None:
        """The window of ``as_of``; None (keep everything) without a date."""
        if as_of is None:
            return None
        return cls(as_of.last_day().toordinal(), as_of.first_day().toordinal())

    def admits(self, start_day, end_day):
        """Whether day ordinals (ints, or NumPy arrays element-wise) are in effect."""
        return (start_day <= self.latest_start) & (end_day >= self.earliest_end)


def in_effect(start: str | None, end: str | None, as_of: PartialDate | None) -> bool:
    """Whether something dated ``start``..``end`` may already be true at ``as_of``
    (:class:`EffectWindow`'s rule on ISO dates).

    Undated facts are timeless: they are always shown.  A partial date counts from its
    first day, so an edge of ``2023-01`` is not yet true ``as_of`` 2022 but is in 2023-01-15.

    >>> as_of = PartialDate.parse("2022")
    >>> in_effect("2023-01", None, as_of), in_effect("2021", None, as_of)
    (False, True)
    >>> in_effect("2019", "2020-06", as_of)
    False
    """
    window = EffectWindow.at(as_of)
    return window is None or bool(window.admits(*day_span(start, end)))
