"""The wording rules that live once in `timeline.words`: an event's dates, a shortened user text, counts.

Each rule had two to four copies across the facts, the chart, the report and the importers; these pin the
text each caller relies on, so a copy switched over to the one rule keeps its output.
"""

from __future__ import annotations

from datetime import date

from timeline.dates import parse_date
from timeline.words import noun, period_words, plural, shorten, span_dates_words, target_words, times_words


def test_an_events_dates_read_as_recorded_and_an_open_end_in_either_form() -> None:
    start, end = parse_date("2016-03-03"), parse_date("2017-06")
    assert span_dates_words(start, None, is_span=False) == "3 Mar 2016"
    assert span_dates_words(start, end, is_span=True) == "3 Mar 2016 \u2013 Jun 2017"
    assert span_dates_words(start, None, is_span=True) == "3 Mar 2016 \u2013 ongoing"
    assert span_dates_words(start, None, is_span=True, open_end="from") == "from 3 Mar 2016 (ongoing)"
    inferred = span_dates_words(parse_date("2016~"), None, is_span=True, inferred=date(2017, 6, 5))
    assert inferred == "c. 2016 \u2013 5 Jun 2017 (end inferred)"  # a guess, and said to be one
    # a recorded end wins over one the record merely implies
    assert span_dates_words(start, end, is_span=True, inferred=date(2020, 1, 1)) == "3 Mar 2016 \u2013 Jun 2017"


def test_a_users_text_is_shortened_on_one_line_and_says_it_was_cut() -> None:
    assert shorten("Placed  with\nfoster carers") == "Placed with foster carers"
    cut = shorten("x" * 50, 10)
    assert cut == "x" * 9 + "\u2026" and len(cut) == 10
    assert shorten("exactly ten", 11) == "exactly ten"


def test_counts_and_periods_in_words() -> None:
    assert (plural(1, "move"), plural(3, "move"), plural(2, "child", "children")) == ("1 move", "3 moves", "2 children")
    assert (noun(1, "row"), noun(2, "row")) == ("row", "rows")
    assert (times_words(1), times_words(3)) == ("once", "3 times")
    # the rules' wording keeps whole weeks up to a year; the PACE steps' wording only under six months
    assert (period_words(182), target_words(182)) == ("26 weeks", "6 months")
    assert (period_words(84), target_words(84)) == ("12 weeks", "12 weeks")
    assert (target_words(11), target_words(20), target_words(61)) == ("11 days", "20 days", "2 months")  # not 0 months
