"""Partial dates: parsing, precision, the middle-of-span rule, display and age arithmetic."""

from datetime import date

import pytest

from timeline.dates import DateFormatError, PartialDate, format_age, format_duration, parse_date


def test_full_date() -> None:
    d = parse_date("2016-01-20")
    assert (d.earliest, d.latest, d.precision, d.qualifier) == (date(2016, 1, 20), date(2016, 1, 20), "day", "")
    assert d.mid == date(2016, 1, 20)
    assert d.display() == "20 Jan 2016"
    assert not d.approximate


def test_month_spans_the_month_and_counts_as_its_middle() -> None:
    d = parse_date("2016-02")  # leap year: 1..29 Feb, middle = 1 Feb + 14 days
    assert (d.earliest, d.latest) == (date(2016, 2, 1), date(2016, 2, 29))
    assert d.mid == date(2016, 2, 15)
    assert d.display() == "Feb 2016"


def test_year_approximate_and_uncertain() -> None:
    d = parse_date("2014~")
    assert (d.earliest, d.latest, d.precision, d.qualifier) == (date(2014, 1, 1), date(2014, 12, 31), "year", "~")
    assert d.mid == date(2014, 7, 2)  # 364 days // 2 = 182 days after 1 Jan
    assert d.display() == "c. 2014"
    assert parse_date("2016-05?").display() == "May 2016?"
    assert parse_date("2016-05-03~").isoformat() == "2016-05-03~"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("31/01/2016", "did you mean 2016-01-31?"),
        ("2019-13-01", "month 13 does not exist"),
        ("2019-02-29", "day 29 does not exist in Feb 2019"),
        ("Jan 2016", "YYYY-MM-DD"),
        ("2016-1-5", "YYYY-MM-DD"),
        ("0000", "year 0000"),
        ("", "YYYY-MM-DD"),
    ],
)
def test_bad_dates_say_what_to_write(text: str, fragment: str) -> None:
    with pytest.raises(DateFormatError) as info:
        parse_date(text)
    assert fragment in str(info.value)


def test_shift_keeps_precision() -> None:
    assert parse_date("2016-03").shifted(31).isoformat() == "2016-04"
    assert parse_date("2016-03-10~").shifted(-10).isoformat() == "2016-02-29~"
    assert parse_date("2016").shifted(400).isoformat() == "2017"
    assert PartialDate.of(date(2020, 1, 1)).shifted(1).isoformat() == "2020-01-02"


def test_ages_and_durations() -> None:
    born = date(2015, 3, 14)
    assert format_age(born, date(2019, 6, 1)) == "4 y 2 m"
    assert format_age(born, date(2016, 1, 13)) == "9 m"
    assert format_age(born, date(2015, 3, 30)) == "2 weeks"
    assert format_age(born, date(2015, 1, 1)) == "10 weeks before birth"
    assert format_age(born, date(2013, 8, 1)) == "1 y 7 m before birth"
    assert format_duration(365) == format_age(date(2015, 1, 1), date(2016, 1, 1)) == "1 y"
    assert format_duration(365 * 2 + 91) == "2 y 3 m"
    # 2085 days is 68.5 average months: completed months, not rounded up, as the calendar counts them
    assert format_duration(2085) == format_age(date(2016, 1, 15), date(2021, 9, 30)) == "5 y 8 m"
    assert format_duration(30) == "4 weeks"


@pytest.mark.parametrize(
    ("text", "shown", "mid"),
    [
        ("2016-03-14/2016-03-16", "14–16 Mar 2016", date(2016, 3, 15)),
        ("2016-01/2016-03", "Jan–Mar 2016", date(2016, 2, 15)),
        ("2016-02-28/2016-03-02", "28 Feb – 2 Mar 2016", date(2016, 2, 29)),
        ("2015-12-28/2016-01-02", "28 Dec 2015 – 2 Jan 2016", date(2015, 12, 30)),
        ("2015/2016", "2015–2016", date(2016, 1, 1)),
        ("2016-03~/2016-05~", "c. Mar–May 2016", date(2016, 4, 15)),
        # both ends the same (a merged cell repeats the date): printed once, never "15–15 Jun 2016"
        ("2016-06-15/2016-06-15", "15 Jun 2016", date(2016, 6, 15)),
        ("2016-06/2016-06", "Jun 2016", date(2016, 6, 15)),
        ("2016/2016", "2016", date(2016, 7, 1)),
        ("2016-06~/2016-06~", "c. Jun 2016", date(2016, 6, 15)),
    ],
)
def test_intervals_are_dates_shown_honestly_and_counted_at_their_middle(text: str, shown: str, mid: date) -> None:
    d = parse_date(text)
    assert d.precision == "range" and d.approximate
    assert d.display() == shown and d.mid == mid and d.isoformat() == text


def test_a_year_is_shown_as_the_year() -> None:
    assert parse_date("2015").display() == "2015"  # not "2 Jul 2015" (its middle), not "c. 2015"
    assert parse_date("2015~").display() == "c. 2015"


def test_interval_shift_and_order() -> None:
    assert parse_date("2016-03-14/2016-03-16").shifted(1).isoformat() == "2016-03-15/2016-03-17"
    with pytest.raises(DateFormatError, match="before it starts"):
        parse_date("2016-03-16/2016-03-14")
    with pytest.raises(DateFormatError, match="at most 80"):
        parse_date(" " * 1_000_000)


def test_parsed_dates_are_shared_but_a_bad_date_always_raises() -> None:
    """Parsing is cached (a cohort repeats the same dates thousands of times): the same text gives an equal,
    frozen date; a bad date raises every time, never a remembered answer; `mid` is unchanged by the cache."""
    first, again = parse_date("2019-03-14"), parse_date("2019-03-14")
    assert first == again and first.mid == date(2019, 3, 14)
    with pytest.raises(AttributeError):
        first.earliest = date(2000, 1, 1)  # type: ignore[misc]  # frozen: sharing it is safe
    for _ in range(2):
        with pytest.raises(DateFormatError, match="day 30 does not exist"):
            parse_date("2015-02-30")
    assert parse_date("2019-03").mid == date(2019, 3, 16) and parse_date("2019").mid == date(2019, 7, 2)
