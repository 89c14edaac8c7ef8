"""Dates: the period a user asks for, and the dates articles carry.

Two jobs, one rule: a date is either understood exactly or refused by name.

- :func:`parse_period` turns ``--since``/``--until`` values into the first and
  last day they cover. A partial date is the whole period it names
  (``--until 2021-2`` is through 28 February 2021, ``--since 2021`` from
  1 January 2021); an impossible date (``2024-13-45``), non-ASCII digits or an
  inverted range is a :class:`~graphkit.errors.GraphkitError` naming the value.
- :func:`parse_record_date` reads the date field of an article: ISO dates and
  date-times (``2024-01-05``, ``2024-01-05T10:00:00Z``, ``2024-01``, ``2024``),
  compact ISO (``20240105``) and RFC 2822 (feeds). Day/month orders that
  cannot be told apart (``05/01/2024``) and impossible dates are not stored;
  the reason is returned so the build summary can say it.

Stored dates are ``YYYY-MM-DD`` (or ``YYYY-MM`` / ``YYYY`` for partial dates),
so they sort and compare as text in SQL.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import re

from graphkit.errors import GraphkitError

_PARTIAL = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", re.ASCII)
_RECORD_ISO = re.compile(
    r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ][0-9:.]+(?:Z|[+-][0-9:]+)?)?", re.ASCII
)
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_SLASHED = re.compile(r"(\d{1,4})[/.](\d{1,2})[/.](\d{1,4})", re.ASCII)


def _checked(year: int, month: int | None, day: int | None) -> str | None:
    """``YYYY[-MM[-DD]]`` when the parts make a real date, else ``None``."""
    if not 1 <= year <= 9999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def period_bounds(value: str, option: str = "date") -> tuple[str, str]:
    """The first and last day (``YYYY-MM-DD``) a user's date value covers.

    Raises :class:`GraphkitError` naming ``option`` and ``value`` when the
    value is not a date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; months and
    days may have one digit) or names an impossible one.
    """
    text = value.strip()
    match = _PARTIAL.fullmatch(text)
    if not match:
        raise GraphkitError(
            f"{option} {value!r} is not a date; use YYYY-MM-DD, YYYY-MM or YYYY (ASCII digits)"
        )
    year, month, day = (int(g) if g else None for g in match.groups())
    if _checked(year, month, day) is None:
        raise GraphkitError(f"{option} {value!r} is not a real date (check the month and day)")
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    last = calendar.monthrange(year, month)[1]
    if day is None:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
    exact = f"{year:04d}-{month:02d}-{day:02d}"
    return exact, exact


def parse_period(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``(first day, last day)`` of the period between ``since`` and ``until`` (inclusive).

    Either end may be ``None`` (open). An ``until`` before ``since`` is an
    error naming both values.
    """
    start = period_bounds(since, "--since")[0] if since else None
    end = period_bounds(until, "--until")[1] if until else None
    if start and end and start > end:
        raise GraphkitError(
            f"--since {since} is after --until {until}; the period is empty (swap them?)"
        )
    return start, end


def parse_record_date(value) -> tuple[str | None, str | None]:
    """``(date, problem)`` for the date field of an article.

    ``date`` is ``YYYY-MM-DD`` (or ``YYYY-MM``/``YYYY`` when only those are
    given) or ``None``; ``problem`` says why a non-empty value was not stored:
    ``"impossible"``, ``"ambiguous day/month"`` or ``"not a date"``.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(int(value))
    text = str(value).strip()
    if match := _RECORD_ISO.fullmatch(text):
        year, month, day = (int(g) if g else None for g in match.groups())
        date = _checked(year, month, day)
        return (date, None) if date else (None, "impossible")
    if match := _COMPACT.fullmatch(text):
        date = _checked(*(int(g) for g in match.groups()))
        return (date, None) if date else (None, "impossible")
    if match := _SLASHED.fullmatch(text):
        return _slashed(*match.groups())
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if isinstance(parsed, dt.datetime):
        return parsed.date().isoformat(), None
    return None, "not a date"


def _slashed(first: str, second: str, third: str) -> tuple[str | None, str | None]:
    """``2024/01/05`` is year first; ``05/01/2024`` is read only when one order is possible."""
    if len(first) == 4:
        date = _checked(int(first), int(second), int(third))
        return (date, None) if date else (None, "impossible")
    if len(third) != 4:
        return None, "not a date"
    year, a, b = int(third), int(first), int(second)
    day_first = _checked(year, b, a)
    month_first = _checked(year, a, b)
    if day_first and month_first and day_first != month_first:
        return None, "ambiguous day/month"
    date = day_first or month_first
    return (date, None) if date else (None, "impossible")
