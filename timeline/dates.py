"""Dates (model stage helper): the EDTF subset case files use, kept with their precision.

Chronologies are full of dates nobody knows to the day ("March 2016", "about 2014", "w/c 18/07/11", a
hearing over "14-16/03/2016"). A partial date keeps its span so it can be drawn and printed honestly
("Mar 2016", "c. 2014", "14–16 Mar 2016"), and stands for the middle of that span whenever arithmetic needs
one day. An EDTF interval (`2016-03-14/2016-03-16`, `2016-01/2016-03`) is one such date: precision "range".
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Precision = Literal["day", "month", "year", "range"]
Qualifier = Literal["", "~", "?"]

_EDTF = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?(?P<q>[~?])?$")
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
MAX_DATE_TEXT = 80  # an EDTF date, even an interval of two qualified days, is at most 23 characters
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

DAYS_PER_YEAR = 365.2425  # the mean Gregorian year: the one length of a year and a month for arithmetic
DAYS_PER_MONTH = DAYS_PER_YEAR / 12

EXPECTED_FORM = ("a date as YYYY-MM-DD, YYYY-MM or YYYY, optionally followed by ~ (approximate) or ? (uncertain), "
                 "or an interval of two such dates, e.g. 2016-03-14/2016-03-16")
EN_DASH = "\u2013"


class DateFormatError(ValueError):
    """A date string that is not in the accepted form; the message says what to write instead."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A day, month or year, with its qualifier; `earliest`..`latest` is the span it may stand for."""

    earliest: date
    latest: date
    precision: Precision
    qualifier: Qualifier = ""
    ends: tuple[PartialDate, PartialDate] | None = None  # an interval's two ends as written (precision "range")

    @property
    def mid(self) -> date:
        """The day used for arithmetic: the middle of the span (the day itself for a full date).

        Asked for hundreds of times per case by the measures: a full date answers without arithmetic.
        """
        if self.earliest == self.latest:
            return self.earliest
        return self.earliest + timedelta(days=(self.latest - self.earliest).days // 2)

    @property
    def approximate(self) -> bool:
        """True when the date is not known to the day, or is marked approximate or uncertain."""
        return self.precision != "day" or self.qualifier != ""

    def isoformat(self) -> str:
        """The EDTF text this date was (or would be) written as."""
        if self.ends is not None:
            return f"{self.ends[0].isoformat()}/{self.ends[1].isoformat()}"
        y = f"{self.earliest.year:04d}"
        if self.precision == "year":
            text = y
        elif self.precision == "month":
            text = f"{y}-{self.earliest.month:02d}"
        else:
            text = self.earliest.isoformat()
        return text + self.qualifier

    def __str__(self) -> str:
        return self.isoformat()

    def display(self) -> str:
        """Human form for charts and tables: '14 Mar 2016', 'Mar 2016', '2016', 'c. 2016', '2016?', '14–16 Mar 2016'.

        A year is shown as the year (never as the day in its middle, never as "c.": that means approximate).
        """
        e = self.earliest
        if self.ends is not None:
            text = _interval_text(*self.ends)
        elif self.precision == "day":
            text = f"{e.day} {_MONTHS[e.month - 1]} {e.year}"
        elif self.precision == "month":
            text = f"{_MONTHS[e.month - 1]} {e.year}"
        else:
            text = str(e.year)
        if self.qualifier == "~":
            return "c. " + text
        if self.qualifier == "?":
            return text + "?"
        return text

    def shifted(self, days: int) -> PartialDate:
        """The same kind of date moved by `days`, keeping its precision (used to anonymise)."""
        if self.ends is not None:
            return interval(self.ends[0].shifted(days), self.ends[1].shifted(days))
        moved = self.mid + timedelta(days=days)
        if self.precision == "day":
            return PartialDate(moved, moved, "day", self.qualifier)
        if self.precision == "month":
            return month_date(moved.year, moved.month, self.qualifier)
        return year_date(moved.year, self.qualifier)

    @classmethod
    def of(cls, day: date) -> PartialDate:
        """A full, certain date."""
        return cls(day, day, "day", "")


def _interval_text(a: PartialDate, b: PartialDate) -> str:
    """'14–16 Mar 2016', '28 Feb – 2 Mar 2016', 'Jan–Mar 2016', '2015–2016'; the qualifier is left to the caller.
    Two ends that are the same date (a merged cell repeating it) print once: '15 Jun 2016', not '15–15 Jun 2016'."""
    x, y = a.earliest, b.latest
    if (a.earliest, a.latest, a.precision) == (b.earliest, b.latest, b.precision):
        return PartialDate(a.earliest, a.latest, a.precision).display()
    if a.precision == b.precision == "day":
        if (x.year, x.month) == (y.year, y.month):
            return f"{x.day}{EN_DASH}{y.day} {_MONTHS[x.month - 1]} {x.year}"
        if x.year == y.year:
            return f"{x.day} {_MONTHS[x.month - 1]} {EN_DASH} {y.day} {_MONTHS[y.month - 1]} {y.year}"
    elif a.precision == b.precision == "month" and x.year == y.year:
        return f"{_MONTHS[x.month - 1]}{EN_DASH}{_MONTHS[y.month - 1]} {x.year}"
    elif a.precision == b.precision == "year":
        return f"{x.year}{EN_DASH}{y.year}"
    plain = (PartialDate(a.earliest, a.latest, a.precision), PartialDate(b.earliest, b.latest, b.precision))
    return f"{plain[0].display()} {EN_DASH} {plain[1].display()}"


def interval(a: PartialDate, b: PartialDate) -> PartialDate:
    """The EDTF interval from `a` to `b` (each a day, month or year): one date spanning both."""
    if a.ends is not None or b.ends is not None:
        raise DateFormatError("an interval's ends are single dates, not intervals")
    if b.latest < a.earliest or b.earliest < a.earliest:
        raise DateFormatError(f"the interval ends ({b.isoformat()}) before it starts ({a.isoformat()}); "
                              "write the earlier date first")
    qualifier: Qualifier = a.qualifier or b.qualifier
    return PartialDate(a.earliest, max(a.latest, b.latest), "range", qualifier, (a, b))


def month_date(year: int, month: int, qualifier: Qualifier = "") -> PartialDate:
    """A whole month."""
    last = calendar.monthrange(year, month)[1]
    return PartialDate(date(year, month, 1), date(year, month, last), "month", qualifier)


def year_date(year: int, qualifier: Qualifier = "") -> PartialDate:
    """A whole year."""
    return PartialDate(date(year, 1, 1), date(year, 12, 31), "year", qualifier)


def suggest_iso(text: str) -> str | None:
    """For a UK day-first date such as 31/01/2016, the ISO form the user probably meant."""
    m = _DAY_FIRST.match(text)
    if not m:
        return None
    d, mo, y = (int(g) for g in m.groups())
    try:
        return date(y, mo, d).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> PartialDate:
    """Parse the EDTF subset; raise DateFormatError with a plain-English fix otherwise."""
    if not isinstance(text, str):
        raise DateFormatError(f"expected {EXPECTED_FORM}")
    if len(text) > MAX_DATE_TEXT:
        raise DateFormatError(f"is {len(text)} characters long; a date is at most {MAX_DATE_TEXT}")
    if "/" in text:
        first, _, second = text.strip().partition("/")
        if "/" not in second and _EDTF.match(first) and _EDTF.match(second):
            return interval(_single(first), _single(second))
    return _single(text)


@functools.lru_cache(maxsize=16384)
def _single(text: str) -> PartialDate:
    """One EDTF date. Cached: a cohort of thousands of children writes the same few thousand dates over and
    over, and a PartialDate is frozen, so one parse serves them all (a bad date raises, and is not cached)."""
    m = _EDTF.match(text.strip())
    if not m:
        hint = suggest_iso(text)
        if hint:
            raise DateFormatError(f"'{_short(text)}' is not a date in the expected form; did you mean {hint}?")
        raise DateFormatError(f"'{_short(text)}' is not {EXPECTED_FORM}")
    year = int(m["y"])
    qualifier: Qualifier = m["q"] or ""  # type: ignore[assignment]
    if year < 1:
        raise DateFormatError("year 0000 is not a date; write a year from 0001")
    if m["m"] is None:
        return year_date(year, qualifier)
    month = int(m["m"])
    if not 1 <= month <= 12:
        raise DateFormatError(f"month {m['m']} does not exist; months run 01 to 12")
    if m["d"] is None:
        return month_date(year, month, qualifier)
    day = int(m["d"])
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateFormatError(f"day {m['d']} does not exist in {_MONTHS[month - 1]} {year} (it has {last} days)")
    d = date(year, month, day)
    return PartialDate(d, d, "day", qualifier)


def _short(text: str, limit: int = 40) -> str:
    """A value cut short for error messages, so that a long note never lands whole on a terminal."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def age_at(born: date, day: date) -> tuple[int, int]:
    """Completed (years, months) of age on `day`; negative years never occur (before birth gives (0, 0))."""
    if day < born:
        return (0, 0)
    months = (day.year - born.year) * 12 + (day.month - born.month)
    if day.day < born.day and day.day != calendar.monthrange(day.year, day.month)[1]:
        months -= 1
    return divmod(months, 12)


def format_age(born: date, day: date) -> str:
    """'3 y 4 m', '10 m', '2 weeks', or 'before birth', as printed on charts and tables."""
    if day < born:
        weeks = (born - day).days // 7
        if weeks >= 52:  # long before birth (an older sibling's history): years and months read better
            return format_age(day, born) + " before birth"
        return f"{weeks} weeks before birth" if weeks >= 1 else "before birth"
    years, months = age_at(born, day)
    if years == 0 and months == 0:
        days = (day - born).days
        return f"{days // 7} weeks" if days >= 14 else f"{days} days"
    if years == 0:
        return f"{months} m"
    return f"{years} y {months} m" if months else f"{years} y"


def format_duration(days: int) -> str:
    """A number of days as completed years and months ('2 y 2 m'), or weeks/days when short.

    Completed months, never rounded up, so that a duration agrees with the same span counted on the
    calendar (`format_age` from its start): a report must not say "5 y 9 m" on the chart and "5 years 8
    months" in its words. Calendar months vary from 28 to 31 days, so a day and a half of slack lets a
    span of exactly N calendar months (365 days = 12 months) count as N.
    """
    if days < 0:
        return "-" + format_duration(-days)
    if days < 61:
        return f"{days // 7} weeks" if days >= 14 else f"{days} days"
    months = int((days + 1.5) // DAYS_PER_MONTH)
    years, months = divmod(months, 12)
    if years == 0:
        return f"{months} m"
    return f"{years} y {months} m" if months else f"{years} y"


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later; the month's last day when it has no such day
    (31 Jan + 1 month = 28/29 Feb), as "within 3 months" is read in regulations."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_working_days(day: date, count: int, holidays: frozenset[date] = frozenset()) -> date:
    """The `count`-th working day after `day` (Monday to Friday, not in `holidays`; `day` itself is not
    counted): "within 20 working days of" a date. Without a holiday list the answer can be early by the
    bank holidays it skipped over, so callers say "approximate"."""
    current = day
    left = count
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5 and current not in holidays:
            left -= 1
    return current


Days = tuple[date, date]  # the first and last day a date may fall on (one day twice when it is known)


def on_or_before(when: Days, due: Days) -> bool | None:
    """Whether something that happened on a day of `when` was on or before a target falling on a day of `due`:
    True when even its latest day is on or before the target's earliest, False when even its earliest day is
    after the target's latest, None when the two spans leave both possible (a step recorded only as "2016"
    against a target of 3 Jun 2016): then nobody can tell, and nothing may say met or missed."""
    if when[1] <= due[0]:
        return True
    if when[0] > due[1]:
        return False
    return None


def days_between(first: Days, then: Days) -> tuple[int, int]:
    """(least, most) days from a day of `first` to a day of `then`: how far past a target a step may be."""
    return ((then[0] - first[1]).days, (then[1] - first[0]).days)
