"""Input stage (tables): a social worker's chronology spreadsheet (CSV/XLSX rows) -> case data -> Case.

Chronologies are kept as spreadsheets, not YAML, in the layouts councils use: title rows above a header on
row 6, "Date or Period of Event" / "Significant Event" / "Impact on the child" / "Action taken", section
heading rows, free text that says what happened ("Placed with F/C") rather than a Type column. This module
finds the header by its headings (names and synonyms are data: `vocab/<jurisdiction>-columns.yaml`), reads
dates the way people write them and keeps their honest precision, classifies each row's text
(`classify.classify_text`), keeps every row (a row with no known date is kept undated, never given one),
and says what it did in an import report: per row, what was read, what it became, and why. Problems are
reported all at once by row number and column, so the user fixes the spreadsheet they know rather than a
file they never wrote. `io` reads the bytes (`io.read_table`); the case data goes through
`io.validate_data` like any case file.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..dates import DateFormatError, PartialDate, interval, month_date, parse_date, year_date
from ..model.case import Case, Child
from ..model.vocabulary import JURISDICTIONS, KINDS, SPAN_KINDS, Vocabulary, load_vocabulary
from ..problems import CaseError, Problem, visible
from ..words import ELLIPSIS, a_or_an, shorten
from .read import (
    Loaded,
    SourceMap,
    Table,
    as_of_today,
    load_any,
    read_table,
    validate_data,
    validation_message,
)

LABEL_MAX = 120  # the case format's limit for a label (model.py)
NOTE_MAX = 2000  # and for a note
HEADER_SEARCH_ROWS = 20  # title rows, a notes block or a child's details above the header are skipped
SUGGESTIONS = 2
SUGGEST_CUTOFF = 0.6
HEADING_MAX = 80  # a section heading row ("Pre-birth", "Section 2: Accommodated") is short

KIND_ALIASES: dict[str, str] = {
    "placements": "placement", "living": "placement", "where living": "placement", "accommodation": "placement",
    "living arrangements": "placement", "care placement": "placement",
    "orders": "order", "legal": "order", "legal order": "order", "legal status": "order", "legal orders": "order",
    "hearings": "hearing", "court": "hearing", "childrens hearing": "hearing", "panel": "hearing",
    "meetings": "meeting", "review": "meeting", "reviews": "meeting",
    "milestones": "milestone", "permanence": "milestone",
    "events": "event", "life event": "event", "other": "event", "life events": "event",
}
CATEGORY_TYPES: dict[str, tuple[str, str]] = {
    "health": ("event", "health"), "education": ("event", "school"), "school": ("event", "school"),
    "family": ("event", "family"), "contact": ("event", "contact"), "referral": ("event", "referral"),
    "referrals": ("event", "referral"),
}

# Words social workers write for a type, beyond the vocabulary's own codes, names and abbreviations.
TYPE_ALIASES: dict[str, dict[str, str]] = {
    "placement": {
        "foster placement": "foster", "foster carers": "foster", "foster carer": "foster", "fostering": "foster",
        "kinship placement": "kinship", "kinship carers": "kinship", "kinship carer": "kinship",
        "residential unit": "residential", "childrens house": "residential", "residential school": "residential",
        "secure unit": "secure", "at home": "home", "home with parents": "home", "with parents": "home",
        "adoptive placement": "adoptive", "adoption placement": "adoptive", "prospective adopters": "adoptive",
        "supported accommodation": "supported", "independent living": "supported", "short break": "respite",
        "respite care": "respite",
    },
    "order": {
        "voluntary": "s25", "voluntary accommodation": "s25", "section 25": "s25", "s 25": "s25",
        "cp register": "cp_register", "cp registration": "cp_register", "registered": "cp_register",
        "child protection registration": "cp_register", "interim cso": "icso", "interim supervision order": "icso",
        "supervision order": "cso", "section 11": "s11", "s 11": "s11", "kinship care order": "kco",
    },
    "hearing": {"hearing": "childrens_hearing", "panel": "childrens_hearing", "childrens panel": "childrens_hearing",
                "sheriff court": "court"},
    "meeting": {
        "lac review": "laac_review", "laac": "laac_review", "lac": "laac_review",
        "looked after review": "laac_review", "looked after child review": "laac_review",
        "cp case conference": "cp_planning_meeting", "case conference": "cp_planning_meeting",
        "child protection case conference": "cp_planning_meeting", "cpcc": "cp_planning_meeting",
        "cp planning meeting": "cp_planning_meeting", "matching": "matching_panel",
    },
    "milestone": {"adm": "adm_decision", "adm decision": "adm_decision", "accommodated": "looked_after"},
    "event": {"nursery": "school", "new worker": "worker_change", "change of worker": "worker_change"},
}

STATUS_ALIASES: dict[str, str] = {
    "": "actual", "actual": "actual", "done": "actual", "happened": "actual", "completed": "actual",
    "planned": "planned", "plan": "planned", "proposed": "planned", "future": "planned", "expected": "planned",
}

_PUNCTUATION = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=8192)  # headers and type words repeat on every row: a 1,000-row import asks 17,000 times
def _norm(text: str) -> str:
    """Lower case, apostrophes dropped, other punctuation as spaces: "Children's Hearing" -> "childrens hearing"."""
    text = text.lower().replace("’", "").replace("'", "")
    return _PUNCTUATION.sub(" ", text).strip()


# ---------------------------------------------------------------- dates


_MONTHS: dict[str, int] = {}
for _n in range(1, 13):
    _MONTHS[calendar.month_name[_n].lower()] = _n
    _MONTHS[calendar.month_abbr[_n].lower()] = _n
_MONTHS["sept"] = 9

# Every pattern below is anchored and sees at most MAX_DATE_CELL characters (checked first), so none can
# take long whatever a cell holds; none nests quantifiers over the same characters.
MAX_DATE_CELL = 100
_NUM_YEAR = r"(\d{4}|\d{2})"
_APPROX_PREFIX = re.compile(r"^(?:circa|approximately|approx\.?|about|around|ca\.?|c\.?|~)\s?(?=[0-9a-z?])")
_APPROX_SUFFIX = re.compile(r" ?(?:\(approx\.?\)|approx\.?|~|\(approximate\)|approximately)$")
_TIME = re.compile(r"(?: |t)(?:at |@ ?)?\d{1,2}[:.]\d{2}(?::\d{2}(?:\.\d{1,6})?)? ?(?:am|pm|hrs|hours)?$")
_TIME_AMPM = re.compile(r" (?:at |@ ?)?\d{1,2} ?(?:am|pm)$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2}|\?{1,2}|x{1,2}) ?([/.\-]) ?(\d{1,2}) ?\2 ?" + _NUM_YEAR + "$")
_NUMERIC_MY = re.compile(r"^(\d{1,2}) ?[/.\-] ?(\d{4})$")
_TEXT_DMY = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?(?: of)?[ \-/.,]{0,3})?([a-z]{3,9})\.?[ \-/.,']{0,3}"
                       + _NUM_YEAR + "$")
_TEXT_MDY = re.compile(r"^([a-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})$")
_SERIAL = re.compile(r"^(\d{5})(?:\.\d{1,12})?$")
_WEEK = re.compile(r"^(w/c|w/b|w/e|w\.c\.?|w\.b\.?|w\.e\.?|wc(?= )|wb(?= )|week commencing|week beginning|"
                   r"week starting|week ending|week of)[ :]{0,2}(.{1,40})$")
_WEEKDAY = re.compile(r"^(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?,? (?=\d)")
_PART = re.compile(r"^(early|mid|middle of|late|beginning of|start of|end of|the end of|the beginning of|"
                   r"the start of|the middle of)[ \-]{0,2}(.{1,40})$")
_SEASON = re.compile(r"^(spring|summer|autumn|fall|winter)(?: of)? (\d{4})(?: ?[/\-] ?(\d{2}|\d{4}))?$")
_DAYS_NUMERIC = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? ?(?:-|to|&|and) ?(\d{1,2}) ?([/.]) ?(\d{1,2}) ?\3 ?"
                           + _NUM_YEAR + "$")
_DAYS_TEXT = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? ?(?:-|to|&|and) ?(\d{1,2})(?:st|nd|rd|th)?(?: of)? "
                        r"([a-z]{3,9})\.?,? ?" + _NUM_YEAR + "$")
_MONTHS_TEXT = re.compile(r"^([a-z]{3,9})\.? ?(?:-|/|to|&|and) ?([a-z]{3,9})\.?,? ?" + _NUM_YEAR + "$")
_OPEN_END = re.compile(r" ?(?:-|to|until) ?(?:ongoing|present|date|now|current|continuing)$")
_EDTF_INTERVAL = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?[~?]?/\d{4}(?:-\d{2}(?:-\d{2})?)?[~?]?$")
_YEARS = re.compile(r"^(\d{4}) ?(?:-|/|to|until) ?(\d{4}|\d{2})$")
_RANGE_SEPARATORS = (" - ", " to ", " until ", " till ", " and ", "-")
_PARTS = {"early": 0, "beginning of": 0, "start of": 0, "the beginning of": 0, "the start of": 0,
          "mid": 1, "middle of": 1, "the middle of": 1, "late": 2, "end of": 2, "the end of": 2}
_PART_WORDS = ("early", "mid", "late")
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)
_SERIAL_RANGE = (18_264, 109_574)  # 1950-01-01 .. 2199-12-31 as Excel serial numbers

DATE_FORMS = "20/01/2016, 20 Jan 2016, Jan 2016, 2016 or c. 2016"
ONGOING_WORDS = frozenset({"ongoing", "present", "current", "to date", "continuing", "now", "open", "still open",
                           "to present", "until now", "ongoing at present", "current placement"})
UNDATED_WORDS = frozenset({"unknown", "not known", "n k", "nk", "tbc", "tba", "unk", "date unknown", "unclear",
                           "not recorded", "n a", "na", "no date", "date not known", "undated", "unsure", "x",
                           "xx", "xxxx", "date tbc", "tbc date", "unknown date"})


@dataclass(frozen=True, slots=True)
class DateRead:
    """How one date cell was read: an EDTF date (perhaps an interval), a second end, or nothing known.

    `end` is set when the cell gave two dates ("20/01/2016 - 02/07/2016", "2015-2016"): the start and end
    of a placement or order, or the span of a point event. `why` says how a form that is not a plain date
    was read; `warnings` what the user should check (a two-digit year).
    """

    start: str | None
    end: str | None = None
    why: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def undated(self) -> bool:
        """True when the cell says the date is not known (blank, 'Unknown', 'TBC', 'n/k')."""
        return self.start is None


class _Reader:
    """One date cell's reading: the two-digit-year window, and the notes gathered on the way."""

    def __init__(self, raw: str, pivot_year: int) -> None:
        self.raw = raw
        self.pivot = pivot_year
        self.why: list[str] = []
        self.warnings: list[str] = []

    def year(self, text: str) -> int:
        if len(text) == 4:
            return int(text)
        two = int(text)
        full = self.pivot - ((self.pivot - two) % 100)
        note = (f"two-digit year '{text}' read as {full} (the hundred years up to {self.pivot}, the as-at "
                "year); check it")
        if note not in self.warnings:
            self.warnings.append(note)
        return full

    def month(self, name: str) -> int:
        month = _MONTHS.get(name)
        if month is None:
            near = difflib.get_close_matches(name, list(_MONTHS), n=1, cutoff=SUGGEST_CUTOFF)
            hint = f"; did you mean '{near[0].capitalize()}'?" if near else ""
            raise DateFormatError(f"'{shorten(self.raw)}': '{name}' is not a month{hint}")
        return month

    def fail(self) -> DateFormatError:
        return DateFormatError(f"'{shorten(self.raw)}' is not a date that can be read; write it as {DATE_FORMS}")


def _day(year: int, month: int, day: int, raw: str) -> PartialDate:
    if not 1 <= month <= 12:
        raise DateFormatError(f"'{shorten(raw)}': month {month} does not exist; dates are read day first, "
                              "as in 20/01/2016")
    last = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if year < 1:
        raise DateFormatError(f"'{shorten(raw)}': year {year} is not a year")
    if not 1 <= day <= last:
        raise DateFormatError(f"'{shorten(raw)}': day {day} does not exist in "
                              f"{calendar.month_abbr[month]} {year} (it has {last} days)")
    return PartialDate.of(date(year, month, day))


def _month(year: int, month: int, raw: str) -> PartialDate:
    if not 1 <= month <= 12:
        raise DateFormatError(f"'{shorten(raw)}': month {month} does not exist; dates are read day first, "
                              "as in 20/01/2016")
    return month_date(year, month)


def _single(s: str, r: _Reader) -> PartialDate | None:
    """One date (a day, a month or a year) in any of the forms people write; None when it is not one."""
    m = _ISO.match(s)
    if m:
        year = int(m.group(1))
        if m.group(2) is None:
            return year_date(year)
        if m.group(3) is None:
            return _month(year, int(m.group(2)), r.raw)
        return _day(year, int(m.group(2)), int(m.group(3)), r.raw)
    m = _NUMERIC_DMY.match(s)
    if m:
        day_text, _, month_text, year_text = m.groups()
        if not day_text.isdigit():
            r.why.append(f"day not known ('{day_text}'): read as the month")
            return _month(r.year(year_text), int(month_text), r.raw)
        return _day(r.year(year_text), int(month_text), int(day_text), r.raw)
    m = _NUMERIC_MY.match(s)
    if m:
        return _month(int(m.group(2)), int(m.group(1)), r.raw)
    m = _TEXT_DMY.match(s)
    if m and (m.group(2) in _MONTHS or m.group(1) is not None or len(m.group(3)) == 4):
        month = r.month(m.group(2))
        year = r.year(m.group(3))
        return month_date(year, month) if m.group(1) is None else _day(year, month, int(m.group(1)), r.raw)
    m = _TEXT_MDY.match(s)
    if m and m.group(1) in _MONTHS:
        return _day(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)), r.raw)
    return None


def _span(a: PartialDate, b: PartialDate) -> str:
    return interval(a, b).isoformat()


def _compact(s: str, r: _Reader) -> str | None:
    """Forms that name one span: w/c, early/mid/late, seasons, '14-16/03/2016', 'Jan-Mar 2016'.

    The first form whose pattern matches decides (its reader may still refuse, giving None)."""
    for pattern, form in _COMPACT_FORMS:
        m = pattern.match(s)
        if m:
            return form(m, r)
    return None


def _week(m: re.Match[str], r: _Reader) -> str | None:
    """'w/c 18/07/2011': the seven days from that day ('w/e': the seven days to it)."""
    inner = _single(m.group(2).strip(), r)
    if inner is None or inner.precision != "day":
        raise DateFormatError(f"'{shorten(r.raw)}': a week needs its first (or last) day, e.g. w/c 18/07/2011")
    ending = m.group(1).startswith(("w/e", "we", "w.e", "week ending"))
    first = inner.earliest - timedelta(days=6) if ending else inner.earliest
    last = first + timedelta(days=6)
    r.why.append(f"'{m.group(1)}' date: the week {PartialDate.of(first).display()} to "
                 f"{PartialDate.of(last).display()}")
    return _span(PartialDate.of(first), PartialDate.of(last))


def _part_of(m: re.Match[str], r: _Reader) -> str | None:
    """'early March 2016', 'late 2015': a third of the month (days 1-10, 11-20, 21-end) or of the year."""
    inner = _single(m.group(2).strip(), r)
    part = _PARTS[m.group(1)]
    if inner is None or inner.precision == "day":
        return None
    e = inner.earliest
    if inner.precision == "month":
        last_day = calendar.monthrange(e.year, e.month)[1]
        lo, hi = ((1, 10), (11, 20), (21, last_day))[part]
        a, b = PartialDate.of(date(e.year, e.month, lo)), PartialDate.of(date(e.year, e.month, hi))
    else:
        lo, hi = ((1, 4), (5, 8), (9, 12))[part]
        a, b = month_date(e.year, lo), month_date(e.year, hi)
    r.why.append(f"'{m.group(1)}' read as {_PART_WORDS[part]} {inner.display()}: {interval(a, b).display()}")
    return _span(a, b)


def _season(m: re.Match[str], r: _Reader) -> str | None:
    """'summer 2016': its three months (winter runs into the next year, 'winter 2016/17')."""
    season, year_text, second = m.groups()
    year = int(year_text)
    lo, hi = _SEASONS[season]
    a = month_date(year, lo)
    b = month_date(year + 1 if hi < lo else year, hi)
    if second is not None and season != "winter":
        return None
    r.why.append(f"'{season} {year_text}' read as {interval(a, b).display()}")
    return _span(a, b)


def _days_numeric(m: re.Match[str], r: _Reader) -> str | None:
    """'14-16/03/2016': the days of one month."""
    year, month = r.year(m.group(5)), int(m.group(4))
    return _days(year, month, m, r)


def _days_text(m: re.Match[str], r: _Reader) -> str | None:
    """'14-16 March 2016': the days of one month."""
    year, month = r.year(m.group(4)), r.month(m.group(3))
    return _days(year, month, m, r)


def _days(year: int, month: int, m: re.Match[str], r: _Reader) -> str:
    a, b = _day(year, month, int(m.group(1)), r.raw), _day(year, month, int(m.group(2)), r.raw)
    r.why.append(f"the days {interval(a, b).display()}")
    return _span(a, b)


def _months_text(m: re.Match[str], r: _Reader) -> str | None:
    """'Jan-Mar 2016': the months of one year (None when the words are not both months)."""
    if m.group(1) not in _MONTHS or m.group(2) not in _MONTHS:
        return None
    year = r.year(m.group(3))
    a, b = month_date(year, _MONTHS[m.group(1)]), month_date(year, _MONTHS[m.group(2)])
    r.why.append(f"the months {interval(a, b).display()}")
    return _span(a, b)


_COMPACT_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], _Reader], str | None]], ...] = (
    (_WEEK, _week), (_PART, _part_of), (_SEASON, _season), (_DAYS_NUMERIC, _days_numeric),
    (_DAYS_TEXT, _days_text), (_MONTHS_TEXT, _months_text),
)


def _two_ends(s: str, r: _Reader) -> tuple[PartialDate, PartialDate] | None:
    """'20/01/2016 - 02/07/2016', '2015-2016', '2016/17', '14 Mar to 2 Apr 2016' -> the two dates."""
    m = _YEARS.match(s)
    if m:
        first = int(m.group(1))
        second = int(m.group(2)) if len(m.group(2)) == 4 else (first // 100) * 100 + int(m.group(2))
        if len(m.group(2)) == 2 and second < first:
            second += 100
        if second > first:
            return year_date(first), year_date(second)
    body = s[8:] if s.startswith("between ") else s
    for sep in _RANGE_SEPARATORS:
        start = 0
        while True:
            i = body.find(sep, start)
            if i <= 0:
                break
            start = i + 1
            left, right = body[:i].strip(), body[i + len(sep):].strip()
            b = _single(right, r)
            if b is None:
                continue
            a = _single(left, r)
            if a is None and b.precision != "year":
                a = _single(f"{left} {b.earliest.year}", r)  # '14 Mar - 2 Apr 2016': the year is said once
            if a is not None:
                return a, b
    return None


def read_date(text: str, *, pivot_year: int) -> DateRead:
    """A date cell as people write it in a chronology -> DateRead; DateFormatError when it cannot be read.

    Two-digit years are read in the hundred years ending at `pivot_year` (the as-at year) and warned about.
    The cell is refused unread when longer than MAX_DATE_CELL: no date is that long, and a bound keeps
    every pattern fast whatever an upload holds.
    """
    if len(text) > MAX_DATE_CELL:
        raise DateFormatError(f"is {len(text)} characters long; a date cell holds at most {MAX_DATE_CELL} "
                              "(put the words in the event's text)")
    try:
        return _read_date(text, pivot_year)
    except DateFormatError:
        raise
    except (ValueError, OverflowError):  # a year the calendar does not hold (0000, or past 9999)
        raise DateFormatError(f"'{shorten(text.strip())}' is not a date in the calendar; check the year") from None


@lru_cache(maxsize=8192)  # pure: a workspace re-reads every unchanged cell after each edit
def _read_date(text: str, pivot_year: int) -> DateRead:
    s = " ".join(text.split()).lower()
    for dash in ("–", "—", "−"):
        s = s.replace(dash, "-")
    r = _Reader(text.strip(), pivot_year)
    if not s or _norm(s) in UNDATED_WORDS or not _norm(s):
        return DateRead(None)
    m = _SERIAL.match(s)
    if m:
        serial = int(m.group(1))
        if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
            raise r.fail()
        day = _EXCEL_EPOCH + timedelta(days=serial)
        return DateRead(day.isoformat(), why=(f"Excel day number {serial} read as {PartialDate.of(day).display()}",))
    qualifier = ""
    if s.endswith("?"):
        qualifier, s = "?", s[:-1].rstrip()
    prefix = _APPROX_PREFIX.match(s)
    if prefix:
        qualifier, s = "~", s[prefix.end():].strip()
    suffix = _APPROX_SUFFIX.search(s)
    if suffix and suffix.start() > 0:
        qualifier, s = "~", s[: suffix.start()].strip()
    open_end = _OPEN_END.search(s)
    if open_end and open_end.start() > 0:  # "2015 - ongoing": a start, still running
        r.why.append(f"'{s[open_end.start():].strip()}': no end yet")
        s = s[: open_end.start()].strip()
    weekday = _WEEKDAY.match(s)
    if weekday:
        s = s[weekday.end():]
    for time in (_TIME, _TIME_AMPM):
        found = time.search(s)
        if found and found.start() > 0:
            r.why.append(f"time '{s[found.start():].strip()}' left out")
            s = s[: found.start()].strip()
    end: str | None = None
    compact = parse_date(s).isoformat() if _EDTF_INTERVAL.match(s) else _compact(s, r)
    single = _single(s, r) if compact is None else None
    if compact is not None:
        start = compact
    elif single is not None:
        start = single.isoformat()
    else:
        pair = _two_ends(s, r)
        if pair is None:
            raise r.fail()
        if pair[1].latest < pair[0].earliest:
            raise DateFormatError(f"'{shorten(r.raw)}' ends before it starts; write the earlier date first")
        start, end = pair[0].isoformat(), pair[1].isoformat()
    if qualifier:
        start = _qualified(start, qualifier)
        end = _qualified(end, qualifier) if end is not None else None
    return DateRead(start, end, tuple(r.why), tuple(r.warnings))


def _qualified(edtf: str, qualifier: str) -> str:
    """'2016-03' + '~' -> '2016-03~'; an interval gets the qualifier on both ends."""
    return "/".join(part + qualifier for part in edtf.split("/"))


def chronology_date(text: str, *, pivot_year: int | None = None) -> str:
    """A date as people write it in a chronology -> the EDTF text of the case format; DateFormatError if unreadable.

    '20/01/2016' and '20 Jan 2016' -> 2016-01-20; 'Jan 2016' -> 2016-01; 'c. 2014' -> 2014~; 'w/c 18/07/11'
    -> 2011-07-18/2011-07-24; a cell with two dates gives the interval between them. Empty or 'Unknown' is
    an error here (an option needs a date); `read_date` keeps such rows undated.
    """
    read = read_date(text, pivot_year=pivot_year or date.today().year)
    if read.start is None:
        raise DateFormatError(f"is empty; write the date, e.g. {DATE_FORMS}" if not text.strip()
                              else f"'{shorten(text)}' is not a date; write it as {DATE_FORMS}")
    result = read.start if read.end is None else interval(parse_date(read.start), parse_date(read.end)).isoformat()
    parse_date(result)
    return result


def full_date(value: str | date, what: str) -> date:
    """A full date given as an option (date of birth, as-of), in any form `chronology_date` reads."""
    if isinstance(value, date):
        return value
    edtf = chronology_date(value)
    parsed = parse_date(edtf)
    if parsed.precision != "day" or parsed.qualifier:
        raise DateFormatError(f"'{shorten(value)}': {what} needs a full date, e.g. 14/03/2015")
    return parsed.earliest


# ---------------------------------------------------------------- types and kinds


@dataclass(frozen=True, slots=True)
class _TypeIndex:
    """Every way of writing a type, normalised -> the (kind, code) pairs it may mean, and a name to suggest."""

    meanings: dict[str, tuple[tuple[str, str], ...]]
    shown: dict[str, str]


_TYPE_INDEXES: dict[int, tuple[Vocabulary, _TypeIndex]] = {}  # id -> (the vocabulary, kept alive; its index)


def _type_index(vocab: Vocabulary) -> _TypeIndex:
    """The index of one vocabulary, built once: rebuilding it for every row made a 1,000-row import take a
    second (the workspace re-imports the table on each edit)."""
    cached = _TYPE_INDEXES.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    index = _build_type_index(vocab)
    _TYPE_INDEXES[id(vocab)] = (vocab, index)
    return index


def _build_type_index(vocab: Vocabulary) -> _TypeIndex:
    meanings: dict[str, list[tuple[str, str]]] = {}
    shown: dict[str, str] = {}

    def add(text: str, kind: str, code: str, display: str) -> None:
        key = _norm(text)
        if not key:
            return
        found = meanings.setdefault(key, [])
        if (kind, code) not in found:
            found.append((kind, code))
        shown.setdefault(key, display)

    for term in vocab.all_terms():
        add(term.label, term.kind, term.code, term.label)
        add(term.abbr, term.kind, term.code, term.abbr)
        add(term.code, term.kind, term.code, term.code)
        add(term.code.replace("_", " "), term.kind, term.code, term.label)
    for kind, aliases in TYPE_ALIASES.items():
        for text, code in aliases.items():
            if code in vocab.codes(kind):
                add(text, kind, code, vocab.term(kind, code).label)
    return _TypeIndex({k: tuple(v) for k, v in meanings.items()}, shown)


class RowError(ValueError):
    """A cell that cannot be used; the message says what to write instead."""


def match_kind(text: str, vocab: Vocabulary) -> str:
    """'Placement', 'Legal order', 'Review' ... -> a kind of the case format; RowError otherwise."""
    key = _norm(text)
    if key in KINDS:
        return key
    by_label = {_norm(label): kind for kind, label in vocab.kind_labels.items()}
    if key in by_label:
        return by_label[key]
    if key in KIND_ALIASES:
        return KIND_ALIASES[key]
    choices = [*KINDS, *by_label, *KIND_ALIASES]
    near = difflib.get_close_matches(key, choices, n=1, cutoff=SUGGEST_CUTOFF)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    raise RowError(f"'{shorten(text)}' is not a kind of event{hint} (one of: {', '.join(KINDS)})")


def match_type(text: str, kind: str | None, vocab: Vocabulary) -> tuple[str, str]:
    """A type written as a code, full name or abbreviation -> (kind, code); `kind` settles ambiguity."""
    index = _type_index(vocab)
    key = _norm(text)
    options = index.meanings.get(key, ())
    if kind is not None:
        fitting = [o for o in options if o[0] == kind]
        if fitting:
            return fitting[0]
        if options:
            kinds = " or ".join(sorted({k for k, _ in options}))
            raise RowError(f"'{shorten(text)}' is a {kinds} type, not a {kind} type; correct the kind or the type")
    elif len(options) == 1:
        return options[0]
    elif any(k == "event" for k, _ in options):
        return next(o for o in options if o[0] == "event")  # "other" with no kind: a life event, as a typeless row
    elif options:
        kinds = ", ".join(k for k, _ in options)
        raise RowError(f"'{shorten(text)}' could be a type of {kinds}; fill in the kind column to say which")
    from .classify import safe_suggestions

    asked = [kind] if kind is not None else list(KINDS)
    codes = [(k, c) for k in asked for c in safe_suggestions(text, k, jurisdiction=vocab.name)]
    names = list(dict.fromkeys(vocab.term(k, c).label for k, c in codes if c in vocab.codes(k)))[:SUGGESTIONS]
    what = f"{kind} type" if kind else "type"
    if names:
        hint = "; did you mean " + " or ".join(f"'{n}'" for n in names) + "?"
    elif kind is not None:
        hint = f" (the {kind} types: {', '.join(vocab.codes(kind))})"
    else:
        hint = "; `timeline vocab` lists the types (leave the type empty for a free-text event)"
    raise RowError(f"'{shorten(text)}' is not a known {what}{hint}")


# ---------------------------------------------------------------- columns


@dataclass(frozen=True, slots=True)
class ColumnWords:
    """A jurisdiction's column headings (normalised) -> field, and the words meaning "date not known"."""

    fields: dict[str, str]
    undated: frozenset[str]


FIELDS: tuple[str, ...] = ("date", "end", "kind", "type", "category", "text", "note", "source", "status", "route",
                           "id")
MULTI = frozenset({"text", "note", "source"})  # fields several columns may give (joined in order)
_GENERIC_NOTES = frozenset({"details", "detail", "notes", "note", "comments", "comment", "narrative"})
_WORD_FIELDS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"impact", "action", "actions", "outcome", "outcomes", "comments", "comment", "notes", "analysis",
                "significance", "details", "response"}), "note"),
    (frozenset({"event", "events", "description", "incident", "summary", "happened"}), "text"),
    (frozenset({"source", "agency", "ref", "reference", "recorded", "author", "organisation"}), "source"),
    (frozenset({"category", "theme"}), "category"),
    (frozenset({"type"}), "type"),
)


@cache
def column_words(jurisdiction: str = "scotland") -> ColumnWords:
    """The column headings a jurisdiction's chronologies use (`vocab/<jurisdiction>-columns.yaml`)."""
    import yaml

    text = resources.files("timeline").joinpath("vocab").joinpath(f"{jurisdiction}-columns.yaml").read_text(
        encoding="utf-8")
    raw = yaml.safe_load(text)
    fields = {_norm(str(heading)): name for name in FIELDS for heading in raw.get(name, ())}
    undated = frozenset(_norm(str(w)) for w in raw.get("undated_words", ()))
    return ColumnWords(fields, undated | UNDATED_WORDS)


def field_of(heading: str, words: ColumnWords) -> str | None:
    """The field a column heading names: its listed synonyms first, then the words in it ("Date of ...")."""
    key = _norm(heading)
    if not key:
        return None
    if key in words.fields:
        return words.fields[key]
    parts = set(key.split())
    if "birth" in parts or "dob" in parts:
        return None  # "Date of birth" in a child's details block is not a column of events
    if parts & {"date", "dates", "period", "when"}:
        return "end" if parts & {"to", "end", "until", "ended", "finish", "finished"} else "date"
    for found, name in _WORD_FIELDS:
        if parts & found:
            return name
    return None


@dataclass(frozen=True, slots=True)
class Columns:
    """Which column index holds which field; the header row's number and the header texts."""

    header_row: int
    headers: tuple[str, ...]
    fields: dict[str, tuple[int, ...]]


def _looks_like_data(cell: str) -> bool:
    return bool(re.match(r"^\d{1,4}[/.\-]\d{1,2}", cell.strip()))


def _mapping(cells: tuple[str, ...], words: ColumnWords) -> dict[str, list[int]]:
    fields: dict[str, list[int]] = {}
    for i, cell in enumerate(cells):
        if _looks_like_data(cell):
            continue
        name = field_of(cell, words)
        if name is not None:
            fields.setdefault(name, []).append(i)
    return fields


def _override(cells: tuple[str, ...], columns: dict[str, str | list[str]]) -> dict[str, list[int]] | None:
    """The user's mapping (field -> heading text) as column indexes, or None when this row lacks a heading."""
    normed = [_norm(c) for c in cells]
    fields: dict[str, list[int]] = {}
    for name, wanted in columns.items():
        for heading in [wanted] if isinstance(wanted, str) else wanted:
            if _norm(heading) not in normed:
                return None
            fields.setdefault(name, []).append(normed.index(_norm(heading)))
    return fields


def find_columns(table: Table, *, jurisdiction: str = "scotland",
                 columns: dict[str, str | list[str]] | None = None) -> tuple[Columns, list[str]]:
    """The header row (among the first rows, found by its headings) and what each column means.

    Returns the columns and notes for the report (unused columns, a second date column read as a note).
    The first row naming a date column and another known one is the header; title rows above it are
    skipped. With `columns` (field -> heading), the row holding those headings is the header.
    """
    words = column_words(jurisdiction)
    if columns is not None:
        bad = sorted(set(columns) - set(FIELDS))
        if bad:
            raise CaseError([Problem(table.file, None, None, "columns", f"'{shorten(bad[0])}' is not a field; "
                                     f"fields: {', '.join(FIELDS)}")])
    chosen: tuple[int, tuple[str, ...], dict[str, list[int]]] | None = None
    fallback: tuple[int, tuple[str, ...], dict[str, list[int]]] | None = None
    for number, cells in table.rows[:HEADER_SEARCH_ROWS]:
        if columns is not None:
            found = _override(cells, columns)
            if found is not None:
                chosen = (number, cells, found)
                break
            continue
        found = _mapping(cells, words)
        if "date" in found and len(found) >= 2:
            chosen = (number, cells, found)
            break
        if "date" in found and fallback is None:
            fallback = (number, cells, found)
    chosen = chosen or fallback
    if chosen is None:
        raise CaseError([_no_header(table, words, columns)])
    number, cells, found = chosen
    notes: list[str] = []
    fields: dict[str, list[int]] = {}
    for name, where in found.items():
        if len(where) > 1 and name not in MULTI:
            extra = where[1:]
            notes.append(" and ".join(f"'{shorten(cells[i])}'" for i in extra) + f" also look like the {name}; "
                         f"'{shorten(cells[where[0]])}' is used and the others are kept in the note")
            fields.setdefault("note", []).extend(extra)
            where = where[:1]
        fields.setdefault(name, []).extend(where)
    used = {i for w in fields.values() for i in w}
    for i, cell in enumerate(cells):
        if cell.strip() and i not in used:  # a column nobody named is kept too: its cells go to the note
            notes.append(f"column '{shorten(cell)}' is not a known column; its cells are kept in the note")
            fields.setdefault("note", []).append(i)
    ordered = {name: tuple(sorted(fields[name])) for name in FIELDS if name in fields}
    return Columns(number, cells, ordered), notes


def _no_header(table: Table, words: ColumnWords, columns: dict[str, str | list[str]] | None) -> Problem:
    """Where the header probably is and what it lacks: the row with most known headings, else the fullest row."""
    rows = table.rows[:HEADER_SEARCH_ROWS]
    if columns is not None:
        wanted = ", ".join(f"'{shorten(str(v))}'" for v in columns.values())
        return Problem(table.file, None, None, "columns",
                       f"no row among the first {len(rows)} has all of the headings {wanted}")
    best = max(rows, key=lambda r: (len(_mapping(r[1], words)), sum(1 for c in r[1] if c)), default=None)
    if best is None:
        return Problem(table.file, None, None, "", "holds no rows; a chronology needs a header row (Date, Event, ...)")
    number, cells = best
    seen = ", ".join(f"'{shorten(c, 25)}'" for c in cells if c) or "nothing"
    known = _mapping(cells, words)
    if known:
        return Problem(table.file, None, None, f"row {number}",
                       f"looks like the header ({seen}) but names no date column; call the column of dates "
                       "'Date' (or 'Date of event', 'Date or Period of Event', 'Date from')")
    return Problem(table.file, None, None, "",
                   f"no 'date' column found in the first {len(rows)} rows (the fullest, row {number}, has "
                   f"{seen}); the header row should name the columns, e.g. Date, Event, Details")


# ---------------------------------------------------------------- rows


def _says_what_happened(heading: str) -> bool:
    """Whether a note column's heading is the kind that says what happened ("Details", "Notes", and headed by
    one of those words: "Details / Impact on child", "Notes and actions"), rather than one aspect of it
    ("Impact", "Outcome", "Analysis")."""
    words = _norm(heading).split()
    return bool(words) and words[0] in _GENERIC_NOTES


def _label_and_note(text: str) -> tuple[str | None, str | None]:
    """Free text -> (short label for the chart, full text for the table when the label had to be cut)."""
    text = text.strip()
    if not text:
        return None, None
    first_line = " ".join(text.splitlines()[0].split())
    if first_line == text and len(text) <= LABEL_MAX:
        return text, None
    sentence = re.match(r"^(.{1,200}?[.!?])\s", first_line[:400])
    if len(first_line) > LABEL_MAX and sentence and len(sentence.group(1)) <= LABEL_MAX:
        first_line = sentence.group(1)  # the first sentence says it; the note keeps the rest
    elif len(first_line) > LABEL_MAX:
        cut = first_line[: LABEL_MAX - len(ELLIPSIS)]
        space = cut.rfind(" ")
        if space > LABEL_MAX // 2:
            cut = cut[:space]
        first_line = cut.rstrip(" ,;:-") + ELLIPSIS
    elif first_line != text:
        first_line = first_line if len(first_line) + len(ELLIPSIS) > LABEL_MAX else first_line + ELLIPSIS
    return first_line, text


def _fit_note(text: str) -> str:
    """A note within the format's limit; what is cut is said, not hidden."""
    if len(text) <= NOTE_MAX:
        return text
    tail = " … (cut: the spreadsheet row holds more)"
    return text[: NOTE_MAX - len(tail)].rstrip() + tail


@dataclass(frozen=True, slots=True)
class _Row:
    """One event's data with the row it came from and where each field came from (for messages)."""

    number: int
    event: dict[str, Any]
    columns: dict[str, str]  # event field -> header text of the column it came from


def _column_name(name: str, header: str) -> str:
    """How a column is named in messages: the field ('type') when the header says just that, else the header."""
    return name if _norm(header) == name else header


def _cell(cells: tuple[str, ...], where: tuple[int, ...]) -> str:
    parts: list[str] = []
    for i in where:
        text = cells[i].strip() if i < len(cells) else ""
        if text and text not in parts:  # a merged cell repeats its text in every column it covers
            parts.append(text)
    return "\n\n".join(parts)


@dataclass(frozen=True, slots=True)
class RowReport:
    """What the import did with one data row (the `rows` of the import report; keys in docs/import.md)."""

    row: int
    read: dict[str, str]
    became: tuple[dict[str, Any], ...]
    guessed: bool
    why: tuple[str, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]
    status: str  # event | undated | skipped | error

    def to_json(self) -> dict[str, Any]:
        """The row as the report's JSON gives it."""
        return {"row": self.row, "read": dict(self.read), "became": [dict(b) for b in self.became],
                "guessed": self.guessed, "why": list(self.why), "notes": list(self.notes),
                "warnings": list(self.warnings), "status": self.status}


@dataclass
class _RowDraft:
    """A row's report while the row is read (mutable); `freeze` gives the RowReport the report holds."""

    row: int
    read: dict[str, str]
    became: list[dict[str, Any]] = field(default_factory=list)
    guessed: bool = False
    why: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    status: str = "event"

    def freeze(self) -> RowReport:
        """The finished row, as frozen data."""
        return RowReport(self.row, dict(self.read), tuple(dict(b) for b in self.became), self.guessed,
                         tuple(self.why), tuple(self.notes), tuple(self.warnings), self.status)


@dataclass(frozen=True)
class ImportReport:
    """What `timeline import` read and made, row by row: printed by the command, written as JSON with --report.

    Keys are documented in docs/import.md. Frozen: built once by `import_table`, read by the CLI and the
    workspace.
    """

    file: str
    sheet: str | None
    header_row: int | None
    columns: dict[str, Any]
    jurisdiction: dict[str, Any]
    counts: dict[str, int]
    rows: tuple[RowReport, ...]
    problems: tuple[dict[str, Any], ...]
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The report as JSON data (see docs/import.md)."""
        return {"file": self.file, "sheet": self.sheet, "header_row": self.header_row,
                "columns": dict(self.columns), "jurisdiction": dict(self.jurisdiction), "counts": dict(self.counts),
                "rows": [r.to_json() for r in self.rows], "problems": [dict(p) for p in self.problems],
                "notes": list(self.notes)}

    def text(self) -> str:
        """The report for a person: one line per row, guesses marked '?', skipped and undated rows said."""
        return format_report(self)

    def guesses(self) -> dict[int, tuple[str, ...]]:
        """Event index -> what the written case file says above that event when its row was a guess: the row
        and every reading of it ("row 10: a guess, check it", 'read "ICSO granted" as ...'), so the file the
        worker opens and edits says what was guessed and why, not only the report printed once."""
        out: dict[int, tuple[str, ...]] = {}
        for r in self.rows:
            if r.guessed and r.became:  # once, above the first of the row's events (the rest follow it)
                out[int(r.became[0]["index"])] = (f"row {r.row}: a guess, check it"
                                                  + (f" (the next {len(r.became)} events)" if len(r.became) > 1
                                                     else ""), *r.why)
        return out


class ImportFailed(CaseError):
    """The table could not be imported; `problems` as for any CaseError, and the report of what was read."""

    def __init__(self, problems: list[Problem], report: ImportReport) -> None:
        super().__init__(problems)
        self.report = report


def _status(text: str) -> str | None:
    return STATUS_ALIASES.get(_norm(text))


def _is_heading(value: dict[str, str], cells: tuple[str, ...], date_read_ok: bool) -> bool:
    """A section heading row: one short text, alone in the row (or repeated across a merged row), no date."""
    texts = {c.strip() for c in cells if c.strip()}
    if len(texts) != 1 or date_read_ok:
        return False
    text = next(iter(texts))
    if len(text) > HEADING_MAX:
        return False
    filled = sum(1 for c in cells if c.strip())
    in_text = any(value.get(f) == text for f in ("text", "note"))
    if filled >= 2 or not in_text:
        return True  # merged across the row, or in the date column (or another that holds no event text)
    return (text.isupper() or text.endswith(":")
            or bool(re.match(r"^(section|part|phase|period|stage|chapter)\b", text.lower())))


def _event_label(text: str, notes: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    """The chart label from the event text (or the first note when there is no text), and the whole note."""
    body = text
    rest = list(notes)
    if not body and rest:
        body = rest.pop(0)[1]
    label, note = _label_and_note(body) if body else (None, None)
    parts = [note] if note else []
    for heading, value in rest:
        parts.append(value if _norm(heading) in _GENERIC_NOTES else f"{heading}: {value}")
    whole = "\n\n".join(parts) if parts else None
    return label, (_fit_note(whole) if whole else None)


@dataclass(frozen=True, slots=True)
class _Hints:
    """What the Kind, Type and Category columns say about a row, before its text is read.

    A Kind (or a Type naming a kind) is passed to the classifier as a hint; a Category ("Legal", "Health") is
    a loose grouping, so it is used only when the text names nothing: "Legal" must never turn "petition
    lodged" into an order.
    """

    kind: str | None  # from the Kind column, or a Type column naming a kind
    decided: tuple[str, str] | None  # (kind, type) settled by the Type column; or the Category's fallback
    from_text: bool  # the text decides (no usable Type)
    category_kind: str | None  # the kind a Category names: a fallback only


def _type_hints(value: dict[str, str], vocab: Vocabulary, report: _RowDraft, header: dict[str, str]) -> _Hints:
    """The hints of the kind, type and category columns (see `_Hints`)."""
    kind: str | None = None
    category_kind: str | None = None
    decided: tuple[str, str] | None = None
    if value.get("kind"):
        try:
            kind = match_kind(value["kind"], vocab)
        except RowError as exc:
            report.warnings.append(f"column '{shorten(header['kind'])}': {exc}; the kind is read from the text")
    category = value.get("category", "")
    if category:
        key = _norm(category)
        if key in KINDS or key in KIND_ALIASES or key in {_norm(v) for v in vocab.kind_labels.values()}:
            category_kind = match_kind(category, vocab)
        elif key in CATEGORY_TYPES and CATEGORY_TYPES[key][1] in vocab.codes(CATEGORY_TYPES[key][0]):
            decided = CATEGORY_TYPES[key]
        else:
            try:
                decided = match_type(category, kind, vocab)
            except RowError:
                report.notes.append(f"category '{shorten(category)}' names no kind or type; read from the text")
    type_text = value.get("type", "")
    if type_text and _norm(type_text) != "other":
        key = _norm(type_text)
        if key in KINDS or key in KIND_ALIASES:  # "Placement", "Meeting": the kind, not a type (before the
            # abbreviations: "Meeting" is also the short name of "Other meeting")
            return _Hints(kind or match_kind(type_text, vocab), decided, True, category_kind)
        try:
            return _Hints(kind, match_type(type_text, kind, vocab), False, category_kind)
        except RowError as exc:
            report.warnings.append(f"column '{shorten(header['type'])}': {exc}; the row is read from its text")
    return _Hints(kind, decided, True, category_kind)


_PANEL_HEARINGS = frozenset({"grounds_hearing", "review_hearing", "advice_hearing", "pre_hearing_panel"})


def _one_each(guesses: list[tuple[str, str, str | None, bool]], open_placement: tuple[int, str] | None,
              moved: bool, vocab: Vocabulary, report: _RowDraft) -> list[tuple[str, str, str | None, bool]]:
    """What one row says, without saying a thing twice: one main placement at most (a row that names two
    homes, "s25 with parents' agreement, placed with foster carers", moves the child once: to the last,
    preferring a confident reading); none when it names the kind of home the child is already in and says no
    move ("CSO made: home supervision" after "returned home"); one hearing (the most specific Children's
    Hearing named); one life event at most, and none beside any other fact."""
    main = [g for g in guesses if g[0] == "placement" and not vocab.term("placement", g[1]).overlay]
    keep_main = None
    if main:
        confident = [g for g in main if g[3]]
        keep_main = (confident or main)[-1]
        if open_placement is not None and keep_main[1] == open_placement[1] and not moved:
            report.notes.append(f"names {vocab.term('placement', keep_main[1]).label.lower()}, where the child "
                                f"already lives (row {open_placement[0]}): not a new placement")
            keep_main = None
    facts = [g for g in guesses if g[0] != "event"]
    hearings = [g for g in guesses if g[0] == "hearing"]
    keep_hearing = hearings[0] if hearings else None
    for g in hearings[1:]:  # one hearing a row: "Children's Hearing: grounds accepted" is a grounds hearing
        if keep_hearing is not None and keep_hearing[1] == "childrens_hearing" and g[1] in _PANEL_HEARINGS:
            keep_hearing = g
    out: list[tuple[str, str, str | None, bool]] = []
    for g in guesses:
        if g[0] == "hearing" and g is not keep_hearing:
            continue
        if g[0] == "placement" and g in main and g is not keep_main:
            continue
        if g[0] == "event" and (facts or any(o[0] == "event" for o in out)):
            continue
        out.append(g)
    if not out:  # everything said was already known: the row is still kept, as what its words are
        out.append(("event", "other", None, True))
    return out


def _with_court(label: str | None, court: str | None) -> str | None:
    if court is None or label is None or court.lower() in label.lower():
        return label
    joined = f"{label} ({court})"
    return joined if len(joined) <= LABEL_MAX else label


def _dates_for(kind: str, read: DateRead, end_read: DateRead | None, report: _RowDraft, *,
               with_span: bool = False) -> dict[str, str]:
    """The event's date fields: a span kind takes start/end, a point kind one date (an interval if need be)."""
    end = read.end
    if end_read is not None and end_read.start is not None:
        end = end_read.start if end is None else end
    if kind in SPAN_KINDS:
        out = {"start": read.start or ""}
        if end is not None:
            out["end"] = end
        return out
    if end is None:
        return {"date": read.start or ""}
    if with_span:  # "CSO made at Children's Hearing", 12/10/2011 - 15/01/2015: the span is the order's
        return {"date": _first_of(read.start or "").isoformat()}
    if _first_of(read.start or "") == _last_of(end):  # both ends the same date (merged cells repeat it)
        return {"date": _first_of(read.start or "").isoformat()}
    joined = interval(_first_of(read.start or ""), _last_of(end))
    what = "a life event" if kind == "event" else f"a {kind}"
    report.why.append(f"{what} has one date; the row gives a span, kept as the span {joined.display()}")
    return {"date": joined.isoformat()}


def _first_of(edtf: str) -> PartialDate:
    d = parse_date(edtf)
    return d.ends[0] if d.ends is not None else d


def _last_of(edtf: str) -> PartialDate:
    d = parse_date(edtf)
    return d.ends[1] if d.ends is not None else d


def _display(edtf: str) -> str:
    try:
        return parse_date(edtf).display()
    except DateFormatError:
        return edtf


@dataclass
class _Build:
    """What the rows give, gathered as the table is read."""

    rows: list[_Row] = field(default_factory=list)
    undated: list[dict[str, Any]] = field(default_factory=list)
    reports: list[_RowDraft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    open_placement: tuple[int, str] | None = None  # (row, type) of the last main placement with no end
    born: date | None = None  # the child's date of birth: nothing read from text places or orders before it
    exact: bool = False  # rows written from a case file: a Kind and a code of it are taken as they are

    def open_order(self, code: str, day: str) -> int | None:
        """The index (into `rows`) of the last order of this type begun on or before `day` with no end."""
        when = parse_date(day).mid
        for index in range(len(self.rows) - 1, -1, -1):
            e = self.rows[index].event
            if (e.get("kind") == "order" and e.get("type") == code and e.get("start") and "end" not in e
                    and parse_date(e["start"]).mid <= when):
                return index
        return None

    def running_order(self, code: str, start: str, *, same_day: bool = False) -> int | None:
        """The row of an order of this type already running on `start` (it has begun and not ended), if any;
        with `same_day`, only one that began on that very date (the same order written in two rows)."""
        if not start:
            return None
        day = parse_date(start).mid
        for row in reversed(self.rows):
            e = row.event
            if e.get("kind") != "order" or e.get("type") != code or not e.get("start"):
                continue
            begun = parse_date(e["start"]).mid
            if same_day and begun != day:
                continue
            if begun <= day and ("end" not in e or parse_date(e["end"]).mid >= day):
                return row.number
        return None


_Guess = tuple[str, str, str | None, bool]  # kind, type, why, confident
_Ended = tuple[str, str]  # the type of an order the row says ended, and the words that say it


@dataclass
class _RowRead:
    """One data row while it is read: its cells by field, the column names for messages, and its report."""

    number: int
    cells: tuple[str, ...]
    columns: Columns
    vocab: Vocabulary
    file: str
    build: _Build
    header: dict[str, str]
    value: dict[str, str]
    report: _RowDraft
    # (kind, type) -> label, for what a heading's Details decided ("ICSO granted ..." under "Children's
    # Hearing"): labelled by the Details, so the order's bar does not read "Children's Hearing"
    decided_labels: dict[tuple[str, str], str] = field(default_factory=dict)

    def where(self, name: str) -> str:
        """How a message names this row's cell of field `name`."""
        return f"row {self.number}, column '{shorten(self.header.get(name, name))}'"

    def bad(self, name: str, message: str) -> None:
        """A problem in this row's `name` cell: the row is not imported, and the import fails with the rest."""
        self.build.problems.append(Problem(self.file, None, None, self.where(name), message))
        self.report.status = "error"


def _read_row(number: int, cells: tuple[str, ...], columns: Columns, vocab: Vocabulary, file: str,
              pivot_year: int, build: _Build) -> None:
    """One data row -> events (or an undated entry, or a skipped heading), with its report; problems located."""
    row = _row_read(number, cells, columns, vocab, file, build)
    value = row.value
    date_text = value.get("date", "")
    read: DateRead | None = None
    date_error: str | None = None
    try:
        read = read_date(date_text, pivot_year=pivot_year)
    except DateFormatError as exc:
        date_error = str(exc)
    dated = read is not None and not read.undated
    if _is_heading(value, cells, dated):
        row.report.status = "skipped"
        row.report.why.append("a section heading (one short text alone in the row): not an event")
        return
    text = value.get("text", "")
    notes = [(columns.headers[i], cells[i].strip()) for i in columns.fields.get("note", ())
             if i < len(cells) and cells[i].strip()]
    if date_error is not None and len(date_text) > MAX_DATE_CELL:
        row.bad("date", date_error)
        return
    label, note = _event_label(text, notes)
    source = " ".join(value["source"].split())[:200] if value.get("source") else None
    only_date = {c.strip() for c in cells if c.strip()} == {date_text.strip()}  # "2017" merged across the row
    if only_date or (label is None and not any(value.get(f) for f in ("type", "kind", "category"))):
        _skip_empty(row.report, dated)
        return
    status = _status(value.get("status", ""))
    if status is None:
        row.bad("status", f"'{shorten(value['status'])}' is not a status; write planned (a future or proposed "
                          "event) or leave it empty")
        return
    ended = _read_end(row, pivot_year, note)
    if ended is None:
        return
    end_read, note = ended
    hints = _type_hints(value, vocab, row.report, row.header)
    ends: list[_Ended]
    exact = build.exact and value.get("kind") in KINDS and value.get("type", "") in vocab.codes(value["kind"])
    if exact:  # a case file's own row: its kind and code are the event, its text is never read again
        guesses: list[_Guess] = [(value["kind"], value["type"], None, True)]
        court, ends = None, []
    elif hints.decided is not None and not hints.from_text:
        (guesses, ends), court = _typed(row, hints.decided, text, notes), None
    else:
        guesses, court, ends = _read_guesses(row, hints, text, notes)
    if read is not None and dated and hints.from_text and not exact:
        _drop_not_new(row, guesses, read, end_read)
    if not exact:
        guesses = _one_each(guesses, build.open_placement, _says_move(text, vocab), vocab, row.report)
    row.report.guessed = any(not confident for _, _, _, confident in guesses)
    row.report.why.extend(why for _, _, why, _ in guesses if why)
    if read is None or read.undated:
        _keep_undated(row, guesses, label, note, source, date_text, date_error)
        return
    row.report.warnings.extend(f"{row.where('date')}: {w}" for w in read.warnings)
    row.report.why.extend(read.why)
    _add_events(row, guesses, read, end_read, _Texts(label, note, source, court), status)
    if status != "planned":
        _end_orders(row, ends)


def _end_orders(row: _RowRead, ends: list[_Ended]) -> None:
    """A row saying an order or registration ended ("CSO terminated", "Deregistered") ends the one of that type
    open on the row's date (begun on or before it, with no end): its end becomes the date of this row's event,
    and both rows say so. When none is open, nothing is ended (an end is never given to an order that ended
    already, or began later): the row is kept as it is and a warning says so."""
    build, vocab, report = row.build, row.vocab, row.report
    if not report.became:
        return
    day = str(report.became[0]["date"])
    for code, said in ends:
        name = _order_name(vocab, code)
        index = build.open_order(code, day)
        if index is None:
            report.warnings.append(f"says \"{shorten(said)}\", but no {name} is running on {_display(day)} in the "
                                   "rows above, so nothing was ended: check the dates")
            continue
        opened = build.rows[index]
        opened.event["end"] = day
        report.notes.append(f"ends the {name} of row {opened.number} on this date")
        for draft in build.reports:
            if draft.row == opened.number:
                draft.notes.append(f"ended on {_display(day)} (row {row.number} says \"{shorten(said)}\")")
                for became in draft.became:
                    if became["index"] == index:
                        became["end"] = day


def _order_name(vocab: Vocabulary, code: str) -> str:
    """An order's name inside a sentence: "Compulsory Supervision Order", "child protection registration"."""
    name = vocab.term("order", code).label
    if name.lower().endswith("register"):
        return name.lower()[:-2] + "ration"  # the child is registered: the registration begins and ends
    return name if sum(1 for w in name.split() if w[:1].isupper()) >= 2 else name.lower()


def _says_move(text: str, vocab: Vocabulary) -> bool:
    from .classify import says_move

    return says_move(text, jurisdiction=vocab.name)


def _row_read(number: int, cells: tuple[str, ...], columns: Columns, vocab: Vocabulary, file: str,
              build: _Build) -> _RowRead:
    """The row's cells by field, and its report begun with what was read (the text falls back to the note)."""
    header = {f: _column_name(f, columns.headers[w[0]]) for f, w in columns.fields.items()}
    value = {f: _cell(cells, w) for f, w in columns.fields.items()}
    read_cells = {f: v for f, v in value.items() if v and f in ("date", "end", "text", "type", "kind", "category")}
    if "text" not in read_cells and value.get("note"):
        read_cells["text"] = value["note"]
    report = _RowDraft(number, {k: shorten(v, 80) for k, v in read_cells.items()})
    build.reports.append(report)
    return _RowRead(number, cells, columns, vocab, file, build, header, value, report)


def _skip_empty(report: _RowDraft, dated: bool) -> None:
    """A row with no text, type or kind is skipped, and says why (a date alone is a period heading)."""
    report.status = "skipped"
    if dated:  # "2011 - 2012" alone: a period heading, not an event
        report.why.append("a date with no text, type or kind (a period heading?): nothing to draw")
        report.warnings.append("the row has a date but nothing else; skipped")
    else:
        report.why.append("no text and no date: nothing to keep")


def _read_end(row: _RowRead, pivot_year: int, note: str | None) -> tuple[DateRead | None, str | None] | None:
    """The End cell read (None when open or unreadable, the words kept in the note), and the note; None when
    the cell is so long that the row is a problem."""
    end_text = row.value.get("end", "")
    if end_text and _norm(end_text) in ONGOING_WORDS:
        row.report.why.append(f"end '{shorten(end_text, 20)}': still running")
        return None, note
    if not end_text:
        return None, note
    try:
        end_read = read_date(end_text, pivot_year=pivot_year)
    except DateFormatError as exc:
        if len(end_text) > MAX_DATE_CELL:
            row.bad("end", str(exc))
            return None
        row.report.warnings.append(f"{row.where('end')}: {exc}; the end is left open")
        return None, _fit_note(f"End as written: {visible(shorten(end_text, 60))}" + (f"\n\n{note}" if note else ""))
    row.report.warnings.extend(f"{row.where('end')}: {w}" for w in end_read.warnings)
    row.report.why.extend(end_read.why)
    return end_read, note


# What a heading's Details may add to it: what a hearing or meeting decided (an order, a move, a step);
# never another sitting or a life event, which the heading already is.
_DECIDED_KINDS = frozenset({"order", "placement", "milestone"})


def _typed(row: _RowRead, decided: tuple[str, str], text: str, notes: list[tuple[str, str]]
           ) -> tuple[list[_Guess], list[_Ended]]:
    """The event the Type column names, unless the row's words say the order was only asked for, or ended;
    and the orders the row says ended.

    "Adoption order" in Type with "Application made" (or "petition", "application lodged") in Details asks
    the court for the order: it is an application, a step, never the order itself. The Type is read together
    with the words the label comes from (the text, else the first note); the order stays when the two read
    together still state it, or the words say nothing of an application, or say it was granted ("Granted on
    the adopters' petition"). An application that is not a step of the journey ("CPO", "Application made")
    is kept as a life event. "CSO" beside "Terminated" is no new order: it ends the open one (`_end_orders`)."""
    from .classify import classify_text, cue_families

    kind, code = decided
    body, column = (text, row.header.get("text", "text")) if text else (notes[0][1], notes[0][0]) if notes \
        else ("", "")
    if kind != "order" or not body:
        return [(kind, code, None, True)], []
    type_words = row.value.get("type", "")
    read = classify_text(f"{type_words} - {body}", jurisdiction=row.vocab.name)
    together = [g for g in read.guesses if g.kind in KINDS and g.type in row.vocab.codes(g.kind)]
    ends = [(g.type, body) for g in read.ended if g.type in row.vocab.codes("order")]
    if (kind, code) in {(g.kind, g.type) for g in together}:
        return [(kind, code, None, True)], ends
    if code in {c for c, _ in ends}:
        row.report.notes.append(f"the column '{shorten(row.header.get('type', 'type'))}' says "
                                f"\"{shorten(type_words)}\" and the column '{shorten(column)}' says "
                                f"\"{shorten(body)}\": the {_order_name(row.vocab, code)} ended; not a new one")
        return [g for g in _guesses(together) if g[0] != "order"] or [("event", "other", None, True)], ends
    cues = cue_families(body, jurisdiction=row.vocab.name)
    if not cues & {"application", "petition"} or "affirm" in cues:
        return [(kind, code, None, True)], ends
    kept = [g for g in _guesses(together) if g[0] != "order"]
    became = (f"kept as the step '{row.vocab.term('milestone', 'application_lodged').label.lower()}'"
              if ("milestone", "application_lodged") in {(k, t) for k, t, _, _ in kept} else "kept as a life event")
    row.report.notes.append(f"the column '{shorten(row.header.get('type', 'type'))}' says \"{shorten(type_words)}\" "
                            f"and the column '{shorten(column)}' says \"{shorten(body)}\": an application to the "
                            f"court, not the order itself; {became}")
    return kept or [("event", "other", None, True)], ends


def _guesses(read: Iterable[Any]) -> list[_Guess]:
    """The classifier's guesses as the rows hold them."""
    return [(g.kind, g.type, g.why, g.confident) for g in read]


def _union_ends(first: list[_Ended], more: list[_Ended]) -> list[_Ended]:
    """The orders said to end by either reading, each type once (the first reading's words kept)."""
    seen = {code for code, _ in first}
    return [*first, *(e for e in more if e[0] not in seen)]


def _read_guesses(row: _RowRead, hints: _Hints, text: str, notes: list[tuple[str, str]]
                  ) -> tuple[list[_Guess], str | None, list[_Ended]]:
    """What the row's words say it is (the classifier, with the Kind or Type column as a hint), the court
    they name, and the orders they say ended; when they name nothing known, the Category column's reading,
    the hinted kind's 'other', or a life event."""
    from .classify import classify_text

    value, header, vocab = row.value, row.header, row.vocab
    kind_hint = hints.kind
    type_words = value.get("type", "")
    if hints.kind is not None and _norm(type_words) in (*KINDS, *KIND_ALIASES):
        type_words = ""  # "Meeting" says the kind (the hint), not what happened
    # the words the label comes from (the text, else the first note: `_event_label`) are the row's words,
    # with a Type that named no code ("Fostr" beside "Placed with foster carer Ms A"): read them all
    body = text or (notes[0][1] if notes else "")
    words = " ".join(p for p in (body, type_words) if p)

    def read(said: str) -> tuple[list[Any], str | None, list[_Ended]]:
        got = classify_text(said, jurisdiction=vocab.name, kind_hint=hints.kind,
                            type_hint=value.get("type") or None) if said else None
        if got is None:
            return [], None, []
        return ([g for g in got.guesses if g.kind in KINDS and g.type in vocab.codes(g.kind)],  # a classifier's
                got.court,  # slip never fails a row
                [(g.type, g.matched) for g in got.ended if g.type in vocab.codes("order")])

    known, court, ends = read(words)
    hint_column = header.get("kind", "kind") if value.get("kind") else header.get("type", "type")
    if kind_hint is None and hints.category_kind is not None:
        kind_hint, hint_column = hints.category_kind, header.get("category", "category")
    described = next(((h, v) for h, v in notes if _says_what_happened(h)), None) if text else None
    if known and described is not None and len(known) == 1 and _norm(known[0].matched) == _norm(text):
        # the text is a bare heading ("CP reg") and Details says what happened to it ("Removed from CP
        # register"): when the two read together no longer state it, it ended or did not happen
        together, _, together_ends = read(f"{text} - {described[1]}")
        heading = (known[0].kind, known[0].type)
        # undone: nothing of the heading's kind is left ("Removed from CP register"), or the Details say that
        # sitting did not sit ("Second review - cancelled"); a narrower one ("Children's hearing" / "Grounds
        # not accepted": a grounds hearing) still sat
        if (all(g.kind != heading[0] for g in together)
                or any(g.did_not_sit == heading for g in (*together, *read(described[1])[0]))):
            row.report.notes.append(f"the column '{shorten(described[0])}' says more of \"{shorten(text)}\" "
                                    f"(\"{shorten(described[1])}\"): read together, they no longer say "
                                    f"{a_or_an(known[0].kind)} {known[0].kind} took place or began; kept as a life "
                                    "event")
            said, _ = _event_label(f"{text}: {described[1]}", [])  # "LAAC review: cancelled", not "LAAC review"
            if said:
                row.decided_labels[("event", "other")] = said
            return [("event", "other", None, True)], None, together_ends
        # "Children's Hearing" in the Event column, "ICSO granted, residence with foster carers" in Details: the
        # heading names the sitting, the Details what it decided; the decision is read too, as a guess
        more = [g for g in together if g.confident and g.kind in _DECIDED_KINDS
                and (g.kind, g.type) != (known[0].kind, known[0].type)]
        if more:
            why = f"from the column '{shorten(described[0])}' beside the heading \"{shorten(text)}\": a guess, check it"
            decided, _ = _event_label(described[1], [])
            row.decided_labels.update({(g.kind, g.type): decided for g in more if decided})
            return [*_guesses(known[:1]), *((g.kind, g.type, f"{g.why}, {why}", False) for g in more)], court, \
                together_ends
        ends = _union_ends(ends, together_ends)  # "Children's Hearing" / "CSO terminated": the CSO ends
    if known:
        return _guesses(known), court, ends
    if described is not None:  # "Kinship" in the Event column, "Moved to aunt's under s25" in Details: a guess
        noted, court, noted_ends = read(described[1])
        noted = [g for g in noted if g.confident]  # what a note only hints at ("panel") stays out
        ends = _union_ends(ends, noted_ends)  # "Kinship" / "CSO terminated, moved to kinship carers"
        if noted:
            why = f"from the column '{shorten(described[0])}' (the text names nothing known): a guess, check it"
            return [(g.kind, g.type, f"{g.why}, {why}", False) for g in noted], court, ends
    if hints.decided is not None:
        return [(hints.decided[0], hints.decided[1],
                 f"from the column '{shorten(header.get('category', 'category'))}'", True)], None, ends
    if kind_hint is not None and "other" in vocab.codes(kind_hint):
        return [(kind_hint, "other", f"the column '{shorten(hint_column)}' says {kind_hint}; the text names no "
                                     "type", False)], None, ends
    if kind_hint is not None:
        row.report.warnings.append(f"the column '{shorten(hint_column)}' says {kind_hint} but the text names no "
                                   f"{kind_hint} type; kept as a life event")
    return [("event", "other", None, True)], None, ends


def _drop_not_new(row: _RowRead, guesses: list[_Guess], read: DateRead, end_read: DateRead | None) -> None:
    """Take out (in place, each with a note) what the words name that is not a new fact of this child's: a home
    or order dated before the child was born (another child's), and an order already running ("CSO
    continues", or the same order written twice on one day)."""
    build, vocab, report = row.build, row.vocab, row.report
    if build.born is not None and read.start and parse_date(read.end or read.start).latest < build.born:
        for guess in [x for x in guesses if x[0] == "placement" or (x[0] == "order" and x[1] != "cp_register")]:
            # "Older half-brother ... now lives with his grandparents", c. 2013: another child's home
            report.notes.append(f"names {vocab.term(guess[0], guess[1]).label.lower()} before the child was "
                                "born: not the child's; kept as a life event")
            guesses.remove(guess)
    for guess in [x for x in guesses if x[0] == "order"]:  # "CSO continues": the order running goes on
        if guess[3] and end_read is not None:
            continue  # the same order again, with its end: keep what it adds
        running = build.running_order(guess[1], read.start or "", same_day=guess[3])
        if running is not None:  # a weak "continues", or the same order again on the same day
            what = "goes on" if not guess[3] else "is the same order"
            report.notes.append(f"the {vocab.term('order', guess[1]).abbr} of row {running} {what}: "
                                "not a new order")
            guesses.remove(guess)


def _keep_undated(row: _RowRead, guesses: list[_Guess], label: str | None, note: str | None, source: str | None,
                  date_text: str, date_error: str | None) -> None:
    """A row with no date it can be drawn at is kept, undated, where the spreadsheet has it (never given a
    date); what its words read as is said, and the date as written is kept in its note."""
    build, report = row.build, row.report
    if date_error is not None:
        report.warnings.append(f"{row.where('date')}: {date_error}; the row is kept with no date")
        note = _fit_note(f"Date as written: {visible(shorten(date_text, 60))}" + (f"\n\n{note}" if note else ""))
    kept = {"label": label or shorten(row.value.get("text", "") or date_text, LABEL_MAX) or "(no text)",
            "note": note, "source": source, "after": len(build.rows) - 1 if build.rows else None}
    build.undated.append({k: v for k, v in kept.items() if v is not None or k == "after"})
    report.status = "undated"
    names = [row.vocab.term(k, t).label for k, t, _, _ in guesses if (k, t) != ("event", "other")]
    said = f" (it reads as {', '.join(names)}, but with no date it is not drawn or counted)" if names else ""
    report.notes.append(f"no date: kept in the chronology table where the spreadsheet has it{said}")


@dataclass(frozen=True, slots=True)
class _Texts:
    """The texts a row's events carry: the chart label, the note (on the first event only), the source, and
    the court a hearing's label names."""

    label: str | None
    note: str | None
    source: str | None
    court: str | None


def _add_events(row: _RowRead, guesses: list[_Guess], read: DateRead, end_read: DateRead | None, texts: _Texts,
                status: str) -> None:
    """One event per reading kept, in order, each with its dates, texts and the columns it came from; a main
    placement (not planned) ends the one before it."""
    build, header, value, report = row.build, row.header, row.value, row.report
    spans = any(kind in SPAN_KINDS for kind, _, _, _ in guesses)
    for i, (kind, code, _, _) in enumerate(guesses):
        dates = _dates_for(kind, read, end_read, report, with_span=spans)
        event: dict[str, Any] = {"kind": kind, "type": code, **dates}
        event_label = (_with_court(texts.label, texts.court) if kind == "hearing"
                       else row.decided_labels.get((kind, code), texts.label))
        for name, text_value in (("label", event_label), ("note", texts.note if i == 0 else None),
                                 ("source", texts.source)):
            if text_value:
                event[name] = text_value
        if value.get("route") and kind == "milestone":
            event["route"] = _norm(value["route"]).replace(" ", "_")
        if status == "planned":
            event["status"] = "planned"
        if value.get("id") and i == 0:
            event["id"] = value["id"]
        row_columns = {**header, "start": header.get("date", "date"), "label": header.get("text", "text"),
                       "note": header.get("note", header.get("text", "note"))}
        if kind == "meeting" and code == row.vocab.word("review_meeting") and status != "planned":
            _same_review(row, event)
        index = len(build.rows)
        build.rows.append(_Row(row.number, event, row_columns))
        report.became.append({"index": index, "kind": kind, "type": code,
                              "date": event.get("start", event.get("date")), "end": event.get("end")})
        if kind == "placement" and not row.vocab.term(kind, code).overlay and status != "planned":
            if build.open_placement is not None:
                report.notes.append(f"ends the previous placement (row {build.open_placement[0]}) on this date")
            build.open_placement = (row.number, code) if "end" not in event else None


def _same_review(row: _RowRead, event: dict[str, Any]) -> None:
    """A review on the same day as one in a row above is the same review written twice (`record.review_day`):
    both rows are kept and drawn, the review figures count it once, and the report says so."""
    from ..model.record import review_day

    day = review_day(parse_date(event["date"]))
    if day is None:
        return
    for earlier in row.build.rows:
        e = earlier.event
        if (e.get("kind"), e.get("type")) == ("meeting", event["type"]) and e.get("status") != "planned" \
                and review_day(parse_date(e["date"])) == day:
            row.report.notes.append(f"looks like the same review as row {earlier.number} (both on "
                                    f"{_display(e['date'])}): both rows are kept, and the review is counted once")
            return


# ---------------------------------------------------------------- whole table


@dataclass(frozen=True)
class Imported:
    """A case built from a chronology table, with the warnings found on the way and the import report."""

    case: Case
    source: SourceMap
    warnings: tuple[Problem, ...] = ()
    rows: tuple[_Row, ...] = ()  # the row each event came from, in event order (for later warnings)
    report: ImportReport | None = None


_EVENT_PATH = re.compile(r"^events\[(\d+)\](?:\.(\w+))?")
_EVENT_IN_TEXT = re.compile(r"events\[(\d{1,6})\]")


def _relocate(problem: Problem, rows: list[_Row] | tuple[_Row, ...]) -> Problem:
    """A problem about events[i].field -> the same problem about its row and column (also inside the message)."""

    def row_of(m: re.Match[str]) -> str:
        i = int(m.group(1))
        return f"row {rows[i].number}" if i < len(rows) else m.group(0)

    message = _EVENT_IN_TEXT.sub(row_of, problem.message)
    m = _EVENT_PATH.match(problem.path)
    if not m or int(m.group(1)) >= len(rows):
        return Problem(problem.file, problem.line, problem.col, problem.path, message, problem.severity)
    row = rows[int(m.group(1))]
    name = m.group(2)
    where = f"row {row.number}" + (f", column '{shorten(row.columns.get(name, name))}'" if name else "")
    return Problem(problem.file, None, None, where, message, problem.severity)


def _texts(table: Table, found: Any) -> list[str]:
    """The words of the data rows that say what happened (what jurisdiction detection reads)."""
    return [c for n, cells in table.rows if n > found.header_row for f in ("text", "type", "category", "note")
            for c in (_cell(cells, found.fields.get(f, ())),) if c]


def _english_message(words: tuple[str, ...]) -> str:
    shown = ", ".join(words[:6])
    return (f"this looks like a chronology from England or Wales ({shown}); the tool knows Scottish law only, "
            "and would measure it against Scottish orders and standards. To read it with the Scottish "
            "vocabulary anyway, give --jurisdiction scotland")


def import_table(
    table: Table,
    *,
    name: str,
    dob: str | date,
    ref: str | None = None,
    as_of: str | date | None = None,
    jurisdiction: str | None = None,
    columns: dict[str, str | list[str]] | None = None,
    today: Callable[[], date] = date.today,
    exact_types: bool = False,
) -> Imported:
    """Table rows -> a validated case and its import report; ImportFailed (a CaseError) listing every bad row.

    `jurisdiction` None reads the table as Scottish but refuses one written in another jurisdiction's words;
    naming it ("scotland") forces the reading. `columns` (field -> heading text, or a list for text, note and
    source) overrides the columns found by their headings. `exact_types`: a row whose Kind and Type columns
    hold a kind and one of its codes is that event, its text not classified (a table written from a case file,
    as the workspace does).
    """
    forced = jurisdiction is not None
    read_as = jurisdiction or "scotland"
    problems: list[Problem] = []
    child, as_of_date = _child_from_options(table.file, name=name, dob=dob, ref=ref, as_of=as_of,
                                            problems=problems)
    reading = _choose_jurisdiction(table, read_as, forced, columns)
    read_as, found = reading.read_as, reading.found
    build = _Build(born=date.fromisoformat(child["date_of_birth"]) if "date_of_birth" in child else None,
                   exact=exact_types)
    data_rows = [(n, c) for n, c in table.rows if n > found.header_row]
    vocab = load_vocabulary(read_as)
    pivot = (as_of_date or today()).year
    for number, cells in data_rows:
        _read_row(number, cells, found, vocab, table.file, pivot, build)
    notes = list(reading.header_notes)
    if not data_rows:
        notes.append(f"the table has a header (row {found.header_row}) but no rows under it: no events")
    jurisdiction_info = _jurisdiction_said(table, reading, forced, notes, problems)
    problems.extend(build.problems)

    def report(extra: list[Problem]) -> ImportReport:
        return _import_report(table, found, build, len(data_rows), jurisdiction_info, [*problems, *extra], notes)

    if problems:
        raise ImportFailed(problems, report([]))
    return _validated(table.file, child, read_as, as_of_date, build, notes, report)


def _validated(file: str, child: dict[str, Any], read_as: str, as_of_date: date | None, build: _Build,
               notes: list[str], report: Callable[[list[Problem]], ImportReport]) -> Imported:
    """The case the rows make, validated as any case file is; a problem is moved back to the row and column it
    came from, and each row's warnings (and the table's notes) become warnings of the import."""
    data: dict[str, Any] = {"version": 1, "child": child, "jurisdiction": read_as}
    if as_of_date is not None:
        data["as_of"] = as_of_date.isoformat()
    data["events"] = [r.event for r in build.rows]
    if build.undated:
        data["undated"] = build.undated
    source = SourceMap(file)
    try:
        case = validate_data(data, source)
    except CaseError as exc:
        moved = [_relocate(p, build.rows) for p in exc.problems]
        raise ImportFailed(moved, report(moved)) from None
    warnings = [Problem(file, None, None, f"row {r.row}" if not w.startswith("row ") else "", w,
                        severity="warning") for r in build.reports for w in r.warnings]
    warnings.extend(Problem(file, None, None, "", n, severity="warning") for n in notes)
    return Imported(case=case, source=source, warnings=tuple(warnings), rows=tuple(build.rows),
                    report=report([]))


def _child_from_options(file: str, *, name: str, dob: str | date, ref: str | None, as_of: str | date | None,
                        problems: list[Problem]) -> tuple[dict[str, Any], date | None]:
    """The child's block and the as-at date from the command's options (a chronology holds neither); what is
    wrong with them is added to `problems`, named by the option."""
    child: dict[str, Any] = {"name": name}
    as_of_date: date | None = as_of if isinstance(as_of, date) else None
    for option, what, raw in (("--dob", "the date of birth", dob), ("--as-of", "as-of", as_of)):
        if raw is None or (isinstance(raw, date) and option == "--as-of"):
            continue
        try:
            parsed = full_date(raw, what)
        except DateFormatError as exc:
            problems.append(Problem(file, None, None, option, str(exc)))
            continue
        if option == "--dob":
            child["date_of_birth"] = parsed.isoformat()
        else:
            as_of_date = parsed
    if ref:
        child["ref"] = ref
    try:
        Child.model_validate({**child, "date_of_birth": child.get("date_of_birth", "2000-01-01")})
    except ValidationError as exc:
        for err in exc.errors(include_input=False, include_url=False):
            option = {"name": "--name", "ref": "--ref"}.get(str(err["loc"][0]), "--dob")
            problems.append(Problem(file, None, None, option, validation_message(err, child)))
    return child, as_of_date


@dataclass(frozen=True)
class _Reading:
    """The jurisdiction a table is read in, the columns found in its words, and what chose it."""

    read_as: str
    found: Columns
    header_notes: tuple[str, ...]
    selected_words: tuple[str, ...] | None  # the words that chose another jurisdiction than asked; None if none


def _choose_jurisdiction(table: Table, read_as: str, forced: bool,
                         columns: dict[str, str | list[str]] | None) -> _Reading:
    """Unless `--jurisdiction` was given, a chronology in another known jurisdiction's words is read in that
    jurisdiction's (its columns found again in its words)."""
    from .classify import detect_jurisdiction

    found, header_notes = find_columns(table, jurisdiction=read_as, columns=columns)
    if not forced:
        detection = detect_jurisdiction(_texts(table, found), expected=read_as)
        if detection.jurisdiction in JURISDICTIONS:
            read_as = detection.jurisdiction
            found, header_notes = find_columns(table, jurisdiction=read_as, columns=columns)
            return _Reading(read_as, found, tuple(header_notes), tuple(detection.words))
    return _Reading(read_as, found, tuple(header_notes), None)


def _jurisdiction_said(table: Table, reading: _Reading, forced: bool, notes: list[str],
                       problems: list[Problem]) -> dict[str, Any]:
    """The report's jurisdiction block; a note when another jurisdiction's words chose the reading, or were
    found in a forced one; a problem when they are found in a table read as Scottish by default."""
    from .classify import detect_jurisdiction

    read_as = reading.read_as
    detection = detect_jurisdiction(_texts(table, reading.found), expected=read_as)
    if reading.selected_words is not None:
        notes.append(f"read as {load_vocabulary(read_as).title}: its words were found; give --jurisdiction "
                     "scotland to read it with the Scottish vocabulary instead")
        return {"read_as": read_as, "detected": read_as, "words": list(reading.selected_words), "selected": True}
    if detection.jurisdiction is not None:
        if forced:
            notes.append(_english_message(detection.words).split("; the tool")[0]
                         + f"; read as {read_as} because --jurisdiction {read_as} was given: check every guess")
        else:
            problems.insert(0, Problem(table.file, None, None, "", _english_message(detection.words)))
    return {"read_as": read_as, "detected": detection.jurisdiction, "words": list(detection.words)}


def _import_report(table: Table, found: Columns, build: _Build, rows: int, jurisdiction: dict[str, Any],
                   problems: list[Problem], notes: list[str]) -> ImportReport:
    """The import report: the columns used, the counts, each row's report, and every problem by row and column."""
    warnings = [w for r in build.reports for w in r.warnings]
    events = [b for r in build.reports for b in r.became]
    life = sum(1 for b in events if (b["kind"], b["type"]) == ("event", "other"))
    counts = {"rows": rows, "events": len(events), "classified": len(events) - life,
              "life_events": life, "undated": sum(1 for r in build.reports if r.status == "undated"),
              "skipped": sum(1 for r in build.reports if r.status == "skipped"),
              "guesses": sum(1 for r in build.reports if r.guessed), "problems": len(problems),
              "warnings": len(warnings) + len(notes)}
    headers = found.headers
    shown: dict[str, Any] = {}
    for name_ in ("date", "end", "text", "type", "kind", "category", "source", "note"):
        where_ = [headers[i] for i in found.fields.get(name_, ())]
        shown[name_] = where_ if name_ in MULTI and name_ != "source" else (
            "; ".join(where_) if where_ else None)
    return ImportReport(
        file=table.file, sheet=table.sheet, header_row=found.header_row, columns=shown,
        jurisdiction=jurisdiction, counts=counts, rows=tuple(r.freeze() for r in build.reports),
        problems=tuple({"row": _row_of(p.path), "column": _column_of(p.path), "message": p.message}
                       for p in problems),
        notes=tuple(notes))


def _row_of(path: str) -> int | None:
    m = re.match(r"^row (\d+)", path)
    return int(m.group(1)) if m else None


def _column_of(path: str) -> str | None:
    m = re.search(r"column '(.*)'$", path)
    return m.group(1) if m else None


def format_report(report: ImportReport) -> str:
    """The import report for a person: a heading, the columns used, the counts, then one line per row.

    Rows marked '?' are guesses to check; '-' were skipped (headings); 'undated' rows are kept without a date.
    """
    c = report.counts
    sheet = f", sheet '{report.sheet}'" if report.sheet else ""
    lines = [f"Import report for {report.file}{sheet}: header on row {report.header_row}"]
    cols = []
    for name, heading in report.columns.items():
        if heading:
            shown = ", ".join(f"'{h}'" for h in heading) if isinstance(heading, list) else f"'{heading}'"
            cols.append(f"{name} {shown}")
    lines.append("  columns: " + "; ".join(cols))
    j = report.jurisdiction
    if j.get("detected"):
        lines.append(f"  jurisdiction: words of {j['detected']} found ({', '.join(j['words'][:6])}); "
                     f"read as {j['read_as']}")
    lines.append(f"  {c['rows']} rows -> {c['events']} events: {c['classified']} classified, {c['life_events']} "
                 f"left as life events; {c['undated']} undated (kept, not drawn); {c['skipped']} skipped; "
                 f"{c['guesses']} guesses to check (marked ?); {c['warnings']} warnings")
    lines.extend(f"  note: {n}" for n in report.notes)
    for r in report.rows:
        mark = {"skipped": "-", "undated": "u", "error": "!"}.get(r.status, "?" if r.guessed else " ")
        date_read = r.read.get("date", "")
        words = shorten(r.read.get("text", ""), 42)
        if r.status == "skipped":
            became = "skipped: " + "; ".join(r.why)
        elif r.status == "undated":
            became = "kept undated"
        elif r.status == "error":
            became = "not imported (see the problems)"
        else:
            became = ", ".join(f"{b['kind']} {b['type']} {_display(b['date'])}"
                               + (f" to {_display(b['end'])}" if b.get("end") else "") for b in r.became)
        lines.append(f"{mark} row {r.row:<4} {shorten(date_read, 16):<16} {words:<42} -> {became}")
        details = [*(r.why if r.status != "skipped" and (r.guessed or r.why) else []), *r.notes]
        for text in details:
            lines.append(f"      {text}")
        for text in r.warnings:
            lines.append(f"      warning: {text}")
    for p in report.problems:
        where = f"row {p['row']}: " if p.get("row") else ""
        lines.append(f"! {where}{p['message']}")
    return "\n".join(lines) + "\n"


def import_file(
    path: str | Path,
    *,
    name: str,
    dob: str | date,
    ref: str | None = None,
    as_of: str | date | None = None,
    sheet: str | None = None,
    jurisdiction: str | None = None,
    columns: dict[str, str | list[str]] | None = None,
) -> Imported:
    """Read a CSV/XLSX chronology (`io.read_table`) and turn it into a validated case."""
    return import_table(read_table(path, sheet=sheet), name=name, dob=dob, ref=ref, as_of=as_of,
                        jurisdiction=jurisdiction, columns=columns)




def import_checked(
    path: str | Path,
    *,
    name: str | None,
    dob: str | date | None,
    ref: str | None,
    as_of: date | None,
    sheet: str | None,
    today: Callable[[], date],
    jurisdiction: str | None,
) -> Loaded:
    """A chronology table as `read.load_any` gives it: imported with the child's name and date of birth (a
    chronology does not hold them), drawn up to today when no as-at date was given, and linted, each warning
    located at its row."""
    from ..model.lint import lint_case

    missing = [opt for opt, v in (("--name", name), ("--dob", dob)) if not v]
    if missing:
        raise CaseError([Problem(str(path), None, None, "", f"a chronology table does not hold the child's name "
                                 f"and date of birth; give {' and '.join(missing)}")])
    assert name is not None and dob is not None
    imported = import_file(path, name=name, dob=dob, ref=ref, as_of=as_of, sheet=sheet,
                           jurisdiction=jurisdiction)
    case = as_of_today(imported.case, today, lambda message: Problem(str(path), None, None, "--dob", message))
    lint = [_relocate(w, imported.rows) for w in lint_case(case, imported.source)]
    return Loaded(case=case, source=imported.source, warnings=(*imported.warnings, *lint))


__all__ = [
    "DateRead",  # and `load_any`, from `read` (where it lives, so that a case file's render need not import this)
    "ImportFailed",
    "ImportReport",
    "Imported",
    "chronology_date",
    "column_words",
    "find_columns",
    "format_report",
    "full_date",
    "import_file",
    "import_table",
    "load_any",
    "match_kind",
    "match_type",
    "read_date",
]
