"""Pipeline limits (checked before facts and layout): what one render may be asked to draw, so that every
render of any file within the documented limits stays within 60 s and 1 GB (measured by bench/limits.py).

The case file's own limits (size, events, text lengths, placements at once) are the model's; these are
the ones that depend on what is asked of the file: a standards file's review schedule over a long chart,
and the size of a printed report's chronology table. Each is refused with a plain message saying what
to do instead, never by drawing less than the case holds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .case import Case, PlacementEvent

if TYPE_CHECKING:
    from ..facts.standards import ReviewSchedule

MAX_REVIEWS_DUE = 20_000  # reviews a schedule may put on one chart (weekly reviews over 300 years: 15,650)
# A printed report's chronology table (PDF, PNG; full and training views) costs WeasyPrint about 25 ms of
# CPU per row with a long label and 60 ms per 1,000 characters of notes (bench/limits.py: 1,500 rows and
# 300,000 characters took 59 s); these keep the largest report allowed near 40 s.
MAX_REPORT_EVENTS = 1_000
MAX_REPORT_NOTE_CHARS = 200_000  # 100 notes of 2,000 characters
_REPORT_FORMATS = ("pdf", "png")


class LimitError(ValueError):
    """A render asks for more than the documented limits allow; the message says what to do instead."""


def reviews_due(case: Case, schedule: ReviewSchedule) -> int:
    """An upper estimate of the reviews the schedule puts on the chart: for each placement away from home,
    its length (to as_of when open) over the review interval, plus the first two."""
    from .vocabulary import load_vocabulary

    vocab = load_vocabulary(case.jurisdiction)
    as_of = case.as_of_date
    shortest = max(1, min(schedule.first_days, schedule.second_days, schedule.later_days))
    total = 0
    for event in case.events:
        if not isinstance(event, PlacementEvent) or not vocab.term("placement", event.type).looked_after:
            continue
        end = event.end.latest if event.end is not None else as_of
        days = (min(end, as_of) - event.start.earliest).days
        total += 3 + max(0, days) // shortest
    return total


def check_reviews(case: Case, schedule: ReviewSchedule) -> None:
    """LimitError when the review schedule would put more than MAX_REVIEWS_DUE reviews on the chart."""
    due = reviews_due(case, schedule)
    if due > MAX_REVIEWS_DUE:
        raise LimitError(f"the review schedule would put about {due:,} reviews on this chart, more than the "
                         f"{MAX_REVIEWS_DUE:,} one chart may hold; use a longer review interval in the standards "
                         "file, or split the chronology by period")


def check_report(case: Case, *, fmt: str, view: str) -> None:
    """LimitError when a printed report's chronology table would pass its limits (PDF and PNG of the full
    or training view; the hearing view has no table, SVG and HTML are not paginated by WeasyPrint)."""
    if fmt not in _REPORT_FORMATS or view == "hearing":
        return
    events = len(case.events)
    notes = sum(len(e.note or "") for e in case.events) if view != "training" else 0
    if events > MAX_REPORT_EVENTS or notes > MAX_REPORT_NOTE_CHARS:
        what = (f"{events:,} events" if events > MAX_REPORT_EVENTS else f"{notes:,} characters of notes")
        raise LimitError(f"a printed report holds at most {MAX_REPORT_EVENTS:,} events and "
                         f"{MAX_REPORT_NOTE_CHARS:,} characters of notes in its chronology, and this case has "
                         f"{what}; draw the chart alone (--view hearing, or .svg), make an .html report, or "
                         "split the chronology by period")


__all__ = ["MAX_REPORT_EVENTS", "MAX_REPORT_NOTE_CHARS", "MAX_REVIEWS_DUE", "LimitError", "check_report",
           "check_reviews", "reviews_due"]
