"""The vocabulary of the facts beyond relations: figures, funding rounds, events, and what
every record may say about how the text puts it (modality, date bounds, quantities).

Like :mod:`graphkit.data.relations`, this is the single source of truth: the JSON Schemas
(:mod:`graphkit.data.schema`) and the checks use these tuples, and ``edges/README.md``
documents them.
"""

from __future__ import annotations

# How the text puts a claim.  Queries count ``stated`` and ``reported`` claims by default.
MODALITIES = ("stated", "reported", "planned", "possible", "rumoured", "expected", "denied")
DEFAULT_MODALITY = "stated"
COUNTED_MODALITIES = ("stated", "reported")

# How a record's ``date`` bounds the fact: "by mid-2023" is ``on-or-before`` 2023-06.
DATE_BOUNDS = ("on", "on-or-before", "on-or-after", "circa")
DEFAULT_DATE_BOUND = "on"

# How a quantity's number bounds the true one ("超过30億" is ``more-than`` 3e9).
QUANTITY_BOUNDS = ("exact", "approximate", "at-least", "more-than", "at-most", "less-than",
                   "range", "unspecified")
# A cohort's count: the same, but a count is one number (no range, never unspecified: a
# cohort with no number has ``size_as_stated`` instead).
COUNT_BOUNDS = ("exact", "approximate", "at-least", "more-than", "at-most", "less-than")

# ISO 4217 codes of the currencies the data may use (add one here when an article needs it).
CURRENCIES = ("USD", "CNY", "EUR", "HKD", "TWD", "JPY", "KRW", "GBP", "CHF", "CAD", "AUD",
              "SGD", "INR", "AED", "SAR", "QAR", "KWD", "ILS", "RUB", "BRL", "SEK", "NOK",
              "DKK", "NZD", "MYR", "IDR", "THB", "VND", "PHP", "TRY", "ZAR", "MXN")
UNITS = ("people", "users", "weekly-users", "monthly-users", "visits", "monthly-visits",
         "customers", "paying-customers", "gpus", "tokens", "parameters", "percent",
         "requests", "employees", "companies", "products", "models")
# A rate's period: ChatGPT's running cost of 70万美元 ``per`` day.
PERIODS = ("day", "week", "month", "year")

METRICS = ("valuation", "revenue", "annualised-revenue", "loss", "profit", "cost",
           "funding-raised", "funding-sought", "headcount", "users", "visits", "customers",
           "gpus", "training-tokens", "parameters", "price", "market-share", "compute",
           "investment-total", "other")
# Metrics whose quantity is money, so its unit must be a currency.
MONEY_METRICS = ("valuation", "revenue", "annualised-revenue", "loss", "profit", "cost",
                 "funding-raised", "funding-sought", "investment-total")
COST_KINDS = ("training", "inference", "running", "compute", "talent")

ROUND_STATUSES = ("sought", "reported", "raised", "closed")

EVENT_KINDS = ("founded", "announced", "released", "launched", "training-run", "cancelled",
               "delayed", "demo", "seeking-sale", "seeking-funding", "acquisition-talks",
               "reorganised", "paused", "renamed", "shut-down", "other")
# Events that mark when an entity starts to exist (for ``--as-of`` and the page's slider).
BEGINNING_KINDS = ("founded", "announced", "released", "launched")


def is_currency(unit: str) -> bool:
    """Whether a quantity's ``unit`` is money.

    >>> is_currency("USD"), is_currency("users")
    (True, False)
    """
    return unit in CURRENCIES
