"""Words (facts stage helper): every duration, percentage and small grammar rule turned into text, once.

A figure a panel reads must read the same wherever it is printed: the header, the chart, the plain-words
paragraph and `timeline summary` all call these functions, so 1,004 days cannot be "2 years 8 months" in one
place and "2 y 9 m" in another. The arithmetic of completed months lives in `dates` (`format_age` for a span
whose two ends are known, `format_duration` for a count of days); this module only words it.

Rule for callers: word one figure from the same input everywhere. A span with both ends known is passed as
`(start, end)` (calendar months, like an age); a total of several spans is passed as a number of days.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from .dates import DAYS_PER_MONTH, PartialDate, days_between, format_age, format_duration

Span = int | tuple[date, date]

_UNIT_WORDS = {
    "y": ("year", "years"),
    "m": ("month", "months"),
    "weeks": ("week", "weeks"),
    "days": ("day", "days"),
}
_MONTHS_PER_YEAR = 12
_VOWEL_SOUND_EXCEPTIONS_AN = ("hour", "honest", "heir", "honour")  # silent h: "an hour"
_CONSONANT_SOUND_EXCEPTIONS_A = ("one", "once", "uni", "use", "usu", "eu", "ewe")  # "a unit", "a one-off"
_LETTER_AN = frozenset("AEFHILMNORSX")  # initialisms read letter by letter: "an ICSO", "an SGO", "a CSO"


def _compact(span: Span) -> str:
    """'2 y 8 m', '5 weeks', '3 days': completed months from `dates`, by day count or by calendar."""
    if isinstance(span, tuple):
        start, end = span
        if end < start:
            return "-" + _compact((end, start))
        return format_age(start, end)
    return format_duration(span)


def _long(compact: str) -> str:
    """'3 y 4 m' -> '3 years 4 months'; '1 days' -> '1 day'."""
    tokens = compact.split()
    out: list[str] = []
    for i, tok in enumerate(tokens):
        if tok in _UNIT_WORDS and i > 0 and tokens[i - 1].lstrip("-").isdigit():
            one, many = _UNIT_WORDS[tok]
            out.append(one if tokens[i - 1].lstrip("-") == "1" else many)
        else:
            out.append(tok)
    return " ".join(out)


def duration_words(span: Span, *, short: bool = False) -> str:
    """A duration: '2 years 8 months' ('2 y 8 m' when `short`, as drawn on the chart), '5 weeks', '3 days'.

    `span` is a number of days (a total, e.g. of several looked-after periods) or a `(start, end)` pair of
    dates (counted in calendar months, like an age, so "at 1 year 11 months, 1 year 11 months after becoming
    looked after at 2 days" never reads as a contradiction).
    """
    compact = _compact(span)
    return compact if short else _long(compact)


def age_words(born: date, day: date, *, short: bool = False) -> str:
    """An age: '3 years 4 months' ('3 y 4 m' when `short`), '10 months', '2 weeks before birth'."""
    compact = format_age(born, day)
    return compact if short else _long(compact)


def age_at_words(born: date, when: PartialDate, *, short: bool = False) -> str:
    """The age at a recorded date: '3 years 4 months'; at a date with no single day ("2015", "c. Mar 2016"),
    counted from its middle day and said to be approximate, 'about 3 years 4 months' ('c. 3 y 4 m' when
    `short`, as the chronology table prints it)."""
    text = age_words(born, when.mid, short=short)
    if not when.approximate:
        return text
    return f"c. {text}" if short else f"about {text}"


def days_words(days: int, *, months: bool = False) -> str:
    """'1 day', '9 days'; with `months`, '97 days (3 months)' when long enough for months to say more."""
    text = plural(days, "day")
    if months:
        compact = format_duration(days)
        if compact.endswith(("m", "y")):
            text += f" ({_long(compact)})"
    return text


def target_words(days: int) -> str:
    """A target period as policy states it: '12 weeks', '6 months', '2 years' (nearest whole unit); under two
    months and not whole weeks, in days ('11 days', never '0 months')."""
    months = round(days / DAYS_PER_MONTH)
    if days % 7 == 0 and days < DAYS_PER_MONTH * 6 - 1:
        return plural(days // 7, "week")
    if days < DAYS_PER_MONTH * 2:
        return plural(days, "day")
    if months >= 2 * _MONTHS_PER_YEAR and months % _MONTHS_PER_YEAR == 0:
        return plural(months // _MONTHS_PER_YEAR, "year")
    return plural(months, "month")


def percent_value(part: int, whole: int) -> float:
    """part / whole as a percentage to one decimal, halves up, for JSON: never 100.0 unless part >= whole,
    never 0.0 unless part is 0; 0.0 for an empty whole."""
    if whole <= 0 or part <= 0:
        return 0.0
    if part >= whole:
        return 100.0
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(min(max(value, Decimal("0.1")), Decimal("99.9")))


def percent_words(part: int, whole: int) -> str:
    """part / whole as a whole percentage: '83%'; '100%' only when it is all, '0%' only when it is none.

    Rounding must not turn "nearly all" into "all" (99.6% is '99%', never '100%') nor "a little" into
    nothing ('under 1%').
    """
    if whole <= 0 or part <= 0:
        return "0%"
    if part >= whole:
        return "100%"
    value = Decimal(part) * 100 / Decimal(whole)
    if value < 1:
        return "under 1%"
    rounded = value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if rounded >= 100:
        rounded = value.quantize(Decimal("1"), rounding=ROUND_FLOOR)
    return f"{rounded}%"


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 move', '3 moves', '2 children' (with `many`)."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def a_or_an(word: str) -> str:
    """'a order' is wrong: 'an order', 'an ICSO', 'a CSO', 'a Permanence Order', 'an hour', 'a unit'."""
    text = word.strip()
    if not text:
        return "a"
    head = text.split()[0]
    if len(head) > 1 and head.isupper() and head.isalpha():
        return "an" if head[0] in _LETTER_AN else "a"
    lower = head.lower()
    if lower.startswith(_VOWEL_SOUND_EXCEPTIONS_AN):
        return "an"
    if lower.startswith(_CONSONANT_SOUND_EXCEPTIONS_A):
        return "a"
    return "an" if lower[0] in "aeiou" else "a"


def with_article(word: str) -> str:
    """'an order', 'a Compulsory Supervision Order'."""
    return f"{a_or_an(word)} {word}"


def date_words(day: date) -> str:
    """'3 Mar 2016', as the chart and tables print a full date."""
    return PartialDate.of(day).display()


def due_words(day: date, window: tuple[date, date] | None, *, short: bool = False) -> str:
    """When a target falls: '31 Dec 2010'; counted from a date with no single day ("2010", "c. Mar 2016"), the
    months it may fall in, 'between Jul 2010 and Jul 2011' ('Jul 2010–Jul 2011' when `short`, for a label;
    'about 3 Mar 2016' for a c. day), never one day as if it were known (`MilestoneFact.due_window`)."""
    if window is None:
        return date_words(day)
    first, last = window
    if first == last:
        return f"about {date_words(first)}"
    a, b = (PartialDate(d, d, "month").display() for d in (first, last))
    if a == b:
        return a if short else f"in {a}"
    return f"{a}{EN_DASH}{b}" if short else f"between {a} and {b}"


def over_words(days: int, spread: tuple[int, int] | None, exact: str) -> str:
    """How far past its target a step is. When the step's date or its target's has no single day (the fact's
    `days_over_range` is set), the least and most it can be, 'between 4 years 11 months and 5 years 11 months'
    ('about 3 weeks' when both word alike), with no count of days that would look exact; else the caller's
    `exact` wording of the same days ('242 days (8 months)')."""
    if spread is None:
        return exact
    least, most = (duration_words(d) for d in spread)
    return f"about {least}" if least == most else f"between {least} and {most}"


def between_words(first: PartialDate, then: PartialDate, exact: str) -> str:
    """How long from one recorded date to another. When either has no single day ("Jul 2016", "2017", "c. 3
    Mar 2016") the least and most it can be, as `over_words` words them ('between 2 months and 4 months',
    'about 3 weeks'), never a count of days between middle days that would look exact; else the caller's
    `exact` wording of the days between the two ('92 days')."""
    if not (first.approximate or then.approximate):
        return exact
    least, most = days_between((first.earliest, first.latest), (then.earliest, then.latest))
    return over_words(0, (max(0, least), max(0, most)), exact)


def cannot_tell_words(recorded: str | None, target_days: int, due: str, *, waiting: bool = False,
                      short: bool = False) -> str:
    """Why a step is neither met nor missed (status `undetermined`), as a social worker reads it: 'recorded
    only as 2016: cannot tell whether within the 12-week target (due 3 Jun 2016)'. `recorded` is the step's
    date as the record gives it when that is not one day, None when only the target's date is uncertain;
    `due` is `due_words`' text; `waiting`: not taken by the as-at date, which falls in the target's months.
    `short`, for a table cell or a chart title: 'cannot tell whether met: recorded only as 2016'."""
    if waiting:
        return "cannot tell whether overdue yet" + ("" if short else f" (due {due})")
    why = f"recorded only as {recorded}" if recorded is not None else "the target is counted from a date with no day"
    if short:
        return f"cannot tell whether met: {why}"
    count, unit = target_words(target_days).split()
    return f"{why}: cannot tell whether within the {count}-{unit.removesuffix('s')} target (due {due})"


def when_words(dates: Sequence[PartialDate], number: int | None, day: date) -> str:
    """The date of a fact as its event recorded it ("2015", "Mar 2016", "c. 2016", "14–16 Mar 2016"), never
    the middle day that sums count with; `dates` are the events' dates in file order, `number` the 1-based
    position of the event the fact came from (None: a derived date, printed as a day)."""
    if number is not None and 1 <= number <= len(dates):
        return dates[number - 1].display()
    return date_words(day)


def join_words(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def period_words(days: int) -> str:
    """A target as the rules word it: whole weeks up to a year ("26 weeks", "34 weeks"), else months (England's
    measures; `target_words` is the PACE steps' wording, weeks only under six months)."""
    if days % 7 == 0 and days <= 364:
        return plural(days // 7, "week")
    return target_words(days)


def noun(n: int, one: str, many: str | None = None) -> str:
    """The noun alone for a count: 'row', 'rows' ('rows 3, 4' names the rows after it)."""
    return one if n == 1 else (many or one + "s")


def times_words(n: int) -> str:
    """How often: 'once', '3 times'."""
    return "once" if n == 1 else f"{n} times"


ELLIPSIS = "\u2026"
EN_DASH = "\u2013"


def shorten(text: str, limit: int = 40) -> str:
    """A user's text on one line (runs of white space as one space), cut to `limit` characters with an
    ellipsis that says so: enough to find the row in a report, never a whole note."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def span_dates_words(first: PartialDate, last: PartialDate | None, *, is_span: bool,
                     inferred: PartialDate | date | None = None, open_end: str = "dash") -> str:
    """An event's dates as recorded: '3 Mar 2016' (a point), '3 Mar 2016 – Jun 2017', '3 Mar 2016 – 5 Jun 2017
    (end inferred)' (an end the record implies: a guess, said), and a span still running either as the
    tables write it, '3 Mar 2016 – ongoing' (`open_end="dash"`), or as a chart title, 'from 3 Mar 2016
    (ongoing)' (`open_end="from"`)."""
    text = first.display()
    if not is_span:
        return text
    if last is not None:
        return f"{text} {EN_DASH} {last.display()}"
    if inferred is not None:
        # the date of the event that implies the end, as recorded ("Jun–Aug 2016"), never its middle day
        said = inferred.display() if isinstance(inferred, PartialDate) else date_words(inferred)
        return f"{text} {EN_DASH} {said} (end inferred)"
    return f"from {text} (ongoing)" if open_end == "from" else f"{text} {EN_DASH} ongoing"


__all__ = [
    "Span",
    "a_or_an",
    "age_at_words",
    "age_words",
    "between_words",
    "cannot_tell_words",
    "date_words",
    "days_words",
    "due_words",
    "duration_words",
    "join_words",
    "no_plan_words",
    "noun",
    "over_words",
    "percent_value",
    "percent_words",
    "period_words",
    "plural",
    "shorten",
    "span_dates_words",
    "target_words",
    "times_words",
    "when_words",
    "with_article",
]


def no_plan_words(routes: tuple[str, ...]) -> str:
    """Why a step kept for some plans is not measured when no such plan is recorded: 'not measured: no
    adoption plan recorded' (never 'overdue' for a step that may never be the child's)."""
    return f"not measured: no {' or '.join(r.replace('_', ' ') for r in routes)} plan recorded"
