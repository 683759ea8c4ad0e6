"""Facts stage (case queries that need no standards): the main placements, the looked-after start, and
what makes an as-at date look wrong.

They sit below the io stage's lint (which warns with them) and the facts stage (which measures with them),
so that reading a case file never needs the measures, and the measures never need the reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from ..dates import PartialDate, age_at
from ..words import age_words, between_words, date_words, duration_words
from .case import AnyEvent, Case, MeetingEvent, MilestoneEvent, OrderEvent, PlacementEvent
from .vocabulary import load_vocabulary


def main_placements(case: Case) -> list[tuple[int, PlacementEvent]]:
    """(1-based file position, placement) for placements that are not overlays (respite), by start then file order."""
    vocab = load_vocabulary(case.jurisdiction)
    found = [
        (n, e)
        for n, e in case.numbered()
        if isinstance(e, PlacementEvent) and not vocab.term("placement", e.type).overlay
    ]
    return sorted(found, key=lambda item: (item[1].start.mid, item[0]))


def makes_looked_after(case: Case, event: AnyEvent) -> bool:
    """True for a placement or order whose code makes the child looked after (vocabulary data)."""
    if not isinstance(event, (PlacementEvent, OrderEvent)):
        return False
    return load_vocabulary(case.jurisdiction).term(event.kind, event.type).looked_after


def looked_after_start(case: Case) -> date | None:
    """The explicit `looked_after` milestone if present, else the earliest start of a looked-after placement/order."""
    explicit = [e.date.mid for e in case.events if isinstance(e, MilestoneEvent) and e.type == "looked_after"]
    if explicit:
        return min(explicit)
    starts = [e.first.mid for e in case.events if makes_looked_after(case, e)]
    return min(starts) if starts else None


def recorded_dates(case: Case, days: Sequence[date], inferred: Mapping[int, PartialDate] | None = None
                   ) -> tuple[PartialDate, ...]:
    """Each day the facts worked out from the record, as the record gives it: a date with no single day
    ("Nov 2017", "2016", "Sep–Dec 2017", "c. 3 Mar 2016") whose middle day it is, else the day itself.

    The facts count with middle days; words must never print one as if it were known. The one rule: the
    first such date in file order (an event's date or start, its end, then the date of the event that implies
    its end, `inferred`: facts.inferred_end_dates) whose middle day is the day. A known day that happens to be
    some such date's middle day is then worded as that date: vaguer, never more exact than the record.
    A day no such date stands for (the as-at date, an 18th birthday, a day recorded in full) is that day.
    """
    wanted = set(days)
    found: dict[date, PartialDate] = {}
    for n, e in case.numbered():
        for d in (e.first, e.last, (inferred or {}).get(n)):
            if d is not None and d.approximate and d.mid in wanted:
                found.setdefault(d.mid, d)
    return tuple(found.get(day) or PartialDate.of(day) for day in days)


def recorded_words(case: Case, day: date, inferred: Mapping[int, PartialDate] | None = None) -> str:
    """A day the facts worked out, in words as the record gives it (`recorded_dates`): 'Nov 2017', '3 Mar 2016'."""
    return recorded_dates(case, [day], inferred)[0].display()


STALE_AS_OF_DAYS = 730  # two years with nothing recorded: the as-at date is probably not the chronology's


def as_of_warnings(case: Case) -> tuple[str, ...]:
    """Plain warnings when the as-at date looks wrong for the record: the figures would run on to it.

    An old chronology measured as at today reads "looked after 20 y 9 m, CSO ongoing" for a child who
    left care long ago: an as-at date at which the child is 18 or over, or more than two years after the
    last event, is most likely not the date the chronology was written up to.
    """
    as_of = case.as_of_date
    born = case.child.date_of_birth
    name = case.child.name
    out: list[str] = []
    said = date_words(as_of)
    if age_at(born, as_of)[0] >= load_vocabulary(case.jurisdiction).looked_after_until_age:
        out.append(f"as at {said} {name} is {age_words(born, as_of)} old (18 or over): looked-after time "
                   "is counted to the 18th birthday at most, and everything else runs to the as-at date as if "
                   "nothing had changed since the last entry; is the as-at date right?")
    days = [e.last.mid if e.last is not None else e.first.mid for e in case.events if not e.planned]
    if days:
        last = max(days)
        if (as_of - last).days > STALE_AS_OF_DAYS:
            recorded = recorded_dates(case, [last])[0]
            after = between_words(recorded, PartialDate.of(as_of), duration_words((last, as_of)))
            out.append(f"as at {said} is {after} after the last event recorded ({recorded.display()}): "
                       "open placements and orders are counted as running to it; "
                       "set the as-at date (as_of, or --as-of) to the date the chronology runs to")
    return tuple(out)


def _recommended_route(happened: list[tuple[int, AnyEvent]]) -> str | None:
    """The route of the latest permanence recommendation that names one (the plan in force)."""
    routes = [
        (e.date.mid, n, e.route)
        for n, e in happened
        if isinstance(e, MilestoneEvent) and e.type == "permanence_recommended" and e.route is not None
    ]
    return max(routes)[2] if routes else None


def placement_at(case: Case, day: date) -> PlacementEvent | None:
    """The main placement (not an overlay, not planned) running on `day`: the latest to start on or before
    it whose end is not before it; None when none is recorded."""
    found = None
    for _, e in main_placements(case):
        if e.planned or e.start.mid > day:
            continue
        if e.end is None or e.end.mid >= day:
            found = e
    return found


def recommended_route(case: Case, as_of: date | None = None) -> str | None:
    """The route of the permanence plan in force at `as_of` (default the case's): see `_recommended_route`."""
    return _recommended_route(happened(case, as_of if as_of is not None else case.as_of_date))


def happened(case: Case, as_of: date) -> list[tuple[int, AnyEvent]]:
    """Actual events that began on or before as_of, in file order: the facts are 'as at' as_of."""
    return [(n, e) for n, e in case.numbered() if not e.planned and e.first.mid <= as_of]


def review_day(when: PartialDate) -> date | None:
    """The day on which two reviews are one review written twice: a date recorded to the day, not marked
    approximate. None for "Jul 2016", "2016", "c. 20/04/2016" or a span: two reviews in one month may be two."""
    return when.earliest if when.precision == "day" and not when.qualifier else None


def counted_reviews(events: Iterable[tuple[int, AnyEvent]], review_code: str) -> list[tuple[int, MeetingEvent]]:
    """The reviews the review figures count, in the order given: every meeting of `review_code`, but one a
    day (the same review recorded twice, two rows "LAAC review" on 20 Apr 2016, is one review; the first
    counts). The events themselves are all kept and drawn; only the count and the schedule see one."""
    seen: set[date] = set()
    out: list[tuple[int, MeetingEvent]] = []
    for n, e in events:
        if not isinstance(e, MeetingEvent) or e.type != review_code:
            continue
        day = review_day(e.date)
        if day is not None:
            if day in seen:
                continue
            seen.add(day)
        out.append((n, e))
    return out
