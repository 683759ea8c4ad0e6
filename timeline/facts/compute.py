"""Facts stage: pure functions from a validated Case to what the chart and the summary say about time.

No drawing here. Partial dates count as the middle of their span (`PartialDate.mid`) in sums, never to say met
or missed (`_status`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from ..dates import Days, PartialDate, days_between, format_age, on_or_before
from ..model.case import (
    AnyEvent,
    Case,
    HearingEvent,
    MilestoneEvent,
    OrderEvent,
    PlacementEvent,
    event_id,
)
from ..model.record import STALE_AS_OF_DAYS as STALE_AS_OF_DAYS  # re-exported: the case queries' home is record
from ..model.record import _recommended_route, counted_reviews
from ..model.record import as_of_warnings as as_of_warnings
from ..model.record import happened as _happened
from ..model.record import looked_after_start as looked_after_start
from ..model.record import main_placements as main_placements
from ..model.record import makes_looked_after as makes_looked_after
from ..model.record import placement_at as placement_at
from ..model.record import recommended_route as recommended_route
from ..model.record import recorded_dates as recorded_dates
from ..model.record import recorded_words as recorded_words
from ..model.vocabulary import Vocabulary, load_vocabulary
from ..words import (
    Span,
    age_at_words,
    between_words,
    cannot_tell_words,
    date_words,
    days_words,
    due_words,
    duration_words,
    no_plan_words,
    over_words,
    percent_value,
    period_words,
    plural,
    target_words,
    times_words,
    when_words,
)
from .measures import MeasureFact
from .standards import FlagRules, ReviewSchedule, Standards, Target, load_standards

# ---------------------------------------------------------------- measures (issue 5)
#
# Decisions on edge cases (documented in docs/summary.md):
# - Facts are "as at" `as_of`: only actual events (not `status: planned`) whose date or start (mid) is on or
#   before `as_of` count. A planned milestone has no date for status purposes.
# - Partial dates count as the middle of their span (`PartialDate.mid`).
# - Several milestones of one type: the earliest counts (the step was first taken then); the recommended
#   route is that of the latest recommendation that names one (the plan in force).
# - A step whose recommended route exempts it (panel and ADM for `home` / `kinship`) or that has no target or
#   no dated reference milestone is `not_applicable`, dated or not; an undated step is also `not_applicable`
#   once legal permanence is reached or the child is no longer looked after.
# - Partial dates never decide met or missed by their middle day: a step whose own date, or the date its
#   target counts from, has no single day is compared by the days each may fall on, and is `undetermined`
#   when those leave both possible (`_status`); sums still use the middle day.


@dataclass(frozen=True, slots=True)
class Move:
    """One change from one main placement to the next."""

    number: int  # 1-based
    date: dt.date  # start (mid) of the new placement
    from_event: int  # 1-based file position of the placement left
    to_event: int  # 1-based file position of the placement moved to


@dataclass(frozen=True, slots=True)
class LegalPermanence:
    """The first order (or explicit final order) that gave the child legal permanence."""

    date: dt.date
    type: str  # order code, or "final_order" for the milestone
    route: str | None  # home | kinship | permanence_order | adoption
    event: int  # 1-based file position
    days_from_looked_after: int | None


@dataclass(frozen=True, slots=True)
class MilestoneFact:
    """One PACE step: when it was taken, how long it took, and how that compares with its target."""

    type: str
    date: dt.date | None
    event: int | None  # 1-based file position
    days_from_looked_after: int | None
    days_from_previous: int | None
    target_days: int | None
    target_date: dt.date | None  # reference date + target_days (None when not_applicable)
    # met | missed | overdue | pending | not_applicable | not_recorded | undetermined (the days the step, or the
    # target it counts against, may fall on leave both met and missed possible: nobody can tell, `_status`)
    status: str
    # missed: date - target_date; overdue: as_of - target_date; when a window below is set, the least it can be
    days_over: int | None
    extensions: int = 0  # times the target was extended (the standards' `extended_by` milestone), in target_days
    # the days the target may fall on when the date it counts from is not one day ("2010", "c. Mar 2016"):
    # target_date is then counted from that date's middle day, an estimate, and says so
    due_window: tuple[dt.date, dt.date] | None = None
    # the days the step itself may have been taken on when its date is not one day ("2016", "c. Mar 2016",
    # "14-16 Mar 2016"): `date` is then that date's middle day, for sums only, never for met or missed
    date_window: tuple[dt.date, dt.date] | None = None
    # (least, most) days past the target when either window is set and the step is missed or overdue
    days_over_range: tuple[int, int] | None = None
    # a later step taken, or legal permanence reached, shows this step happened: with no date it is "not
    # recorded", never "not yet" (whatever its status: a step the plan exempts may still have been taken)
    implied: bool = False


@dataclass(frozen=True, slots=True)
class ReviewFact:
    """One looked-after review due under a placement away from home, and whether it was held in time."""

    placement_event: int
    number: int
    due: date
    held: date | None
    event: int | None
    days_late: int  # 0 when on time; for an unheld review, as_of - due when due < as_of
    overdue: bool  # not held by as_of and due < as_of
    # the days the review may fall due on when the date it counts from (the placement's start, the review
    # before) has no single day ("Mar 2015"): `due` is then counted from that date's middle day, an estimate
    due_window: tuple[date, date] | None = None
    # (least, most) days late when that window is set or the review held has no single day; for words only
    late_range: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Period:
    """One looked-after episode: an unbroken stretch under a looked-after placement or order."""

    start: date
    end: date  # as_of while ongoing
    days: int  # end - start
    ongoing: bool  # still looked after at as_of


@dataclass(frozen=True, slots=True)
class ReviewGap:
    """A stretch longer than the review schedule allows with no review recorded (the record is not complete,
    so this is "no review recorded", never "a review not held")."""

    placement_event: int
    start: date  # the placement start or the last review recorded
    end: date  # the next review recorded, the placement's end or as_of
    days: int
    allowed_days: int  # the schedule's interval that was exceeded


@dataclass(frozen=True, slots=True)
class Flag:
    """A plain-English warning about drift or instability, with the date it first applied."""

    code: str
    text: str
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything the summary and the chart say about time, as at `as_of`."""

    as_of: date
    date_of_birth: date
    age_days: int
    looked_after_start: date | None
    looked_after_end: date | None
    days_looked_after: int
    percent_of_life_looked_after: float
    placements: int
    moves: int
    move_list: tuple[Move, ...]
    hearings: int
    legal_permanence: LegalPermanence | None
    milestones: tuple[MilestoneFact, ...]
    reviews: tuple[ReviewFact, ...]
    reviews_overdue: int
    flags: tuple[Flag, ...]
    looked_after_periods: tuple[Period, ...] = ()
    inferred_ends: dict[int, date] = field(default_factory=dict)  # event (1-based) -> inferred end
    # the same ends as the record gives the date of the event that implies them ("Jun–Aug 2016" for a move in
    # the summer), for words: `inferred_ends` is the middle day sums count with, never printed as a day
    inferred_end_dates: dict[int, PartialDate] = field(default_factory=dict)
    reviews_record: str = "none"  # complete (declared) | partial (some recorded) | none (none recorded)
    reviews_recorded: int = 0
    review_gaps: tuple[ReviewGap, ...] = ()
    as_of_warnings: tuple[str, ...] = ()
    measures: tuple[MeasureFact, ...] = ()  # the jurisdiction's named measures (timeline/facts/measures.py)
    review_dates_approximate: bool = False  # working days counted without a bank holiday list
    plan_route: str | None = None  # the route of the permanence plan in force (record.recommended_route)
    # (least, most) days looked after when a period's start or end is a date with no single day ("2015", "Nov
    # 2017"): `days_looked_after` counts from middle days, so its words say "about" (`looked_after_time_words`)
    looked_after_days_range: tuple[int, int] | None = None

    @property
    def looked_after_span(self) -> Span:
        """What to word the time looked after from, everywhere (words.duration_words)."""
        return periods_span(self.looked_after_periods)


def looked_after_time_words(span: Span, spread: tuple[int, int] | None, *, short: bool = False) -> str:
    """Time looked after in words: '4 years 3 months'; when a period begins or ends on a date with no single
    day (`Facts.looked_after_days_range`), the least and most it can be ('about 4 years 3 months', 'between
    4 years 2 months and 4 years 4 months', `words.over_words`), never middle days' arithmetic as if exact;
    `short`, as drawn on the chart, 'c. 4 y 3 m' (the 'c.' of an age at such a date, `words.age_at_words`)."""
    if short:
        text = duration_words(span, short=True)
        return f"c. {text}" if spread is not None else text
    return over_words(0, spread, duration_words(span))


def _periods_range(case: Case, periods: tuple[Period, ...], inferred: dict[int, PartialDate]
                   ) -> tuple[int, int] | None:
    """(least, most) days looked after, from the days each period's start and end may fall on, as the record
    gives them (`_start_dates`, `recorded_dates`); None when every start and end is a known day."""
    starts = _start_dates(case, [p.start for p in periods])
    ends = recorded_dates(case, [p.end for p in periods], inferred)
    if not any(d.approximate for d in (*starts, *ends)):
        return None
    least = most = 0
    for a, b in zip(starts, ends, strict=True):
        low, high = days_between((a.earliest, a.latest), (b.earliest, b.latest))
        least, most = least + max(0, low), most + max(0, high)
    return (least, most)


def periods_span(periods: tuple[Period, ...]) -> Span:
    """(start, end) of one period, worded in calendar months like an age; else the total days of several."""
    if len(periods) == 1:
        return (periods[0].start, periods[0].end)
    return sum(p.days for p in periods)


FLAG_CSO_AT_HOME = "cso_at_home"
FLAG_MOVES = "moves_in_12_months"
FLAG_NO_PLAN = "no_permanence_recommended"
NO_REVIEWS_RECORDED = "No looked-after reviews are recorded in this chronology."


def compute_facts(case: Case, *, standards: Standards | None = None) -> Facts:
    """All measures of one case as at its `as_of` (pure: the same case and standards give the same Facts)."""
    std = standards if standards is not None else load_standards(jurisdiction=case.jurisdiction)
    vocab = load_vocabulary(case.jurisdiction)
    as_of = case.as_of_date
    born = case.child.date_of_birth
    age_days = max(0, (as_of - born).days)
    happened = _happened(case, as_of)

    inferred_dates = inferred_end_dates(case, happened)
    inferred = {n: d.mid for n, d in inferred_dates.items()}
    periods = _periods_to_adulthood(happened, vocab, inferred, born, as_of)
    la_start = periods[0].start if periods else None
    la_event = _origin_event(case, happened, la_start)
    la_end = None if not periods or periods[-1].ongoing else periods[-1].end
    days_la = sum(p.days for p in periods)

    placements = [(n, e) for n, e in main_placements(case) if not e.planned and e.start.mid <= as_of]
    move_list = _moves(placements)
    hearings = sum(1 for _, e in happened if isinstance(e, HearingEvent))

    route = _recommended_route(happened)
    permanence = _legal_permanence(happened, vocab, la_start, route)
    milestones = _milestones(happened, std, as_of, la_start, la_event, la_end, permanence, route, vocab,
                             frozenset(case.records.steps_not_kept))
    record, recorded, reviews, gaps = _reviews(case, happened, placements, std.reviews, as_of, periods, inferred)
    la_range = _periods_range(case, periods, inferred_dates)
    la_time = looked_after_time_words(periods_span(periods), la_range)
    flags = _flags(case, happened, move_list, milestones, std.flags, as_of, la_start, days_la, permanence, inferred,
                   la_time, inferred_dates)
    facts = Facts(
        as_of=as_of,
        date_of_birth=born,
        age_days=age_days,
        looked_after_start=la_start,
        looked_after_end=la_end,
        days_looked_after=days_la,
        percent_of_life_looked_after=percent_value(days_la, age_days),
        placements=len(placements),
        moves=len(move_list),
        move_list=move_list,
        hearings=hearings,
        legal_permanence=permanence,
        milestones=milestones,
        reviews=reviews,
        reviews_overdue=sum(1 for r in reviews if r.overdue),
        flags=flags,
        looked_after_periods=periods,
        inferred_ends=inferred,
        inferred_end_dates=inferred_dates,
        reviews_record=record,
        reviews_recorded=recorded,
        review_gaps=gaps,
        as_of_warnings=as_of_warnings(case),
        plan_route=route,
        looked_after_days_range=la_range,
    )
    if not std.measures:
        return facts
    from .measures import compute_measures

    return replace(facts, measures=compute_measures(case, facts, std),
                   review_dates_approximate=std.reviews.approximate)


def inferred_ends(case: Case, happened: list[tuple[int, AnyEvent]] | None = None) -> dict[int, date]:
    """Ends the record implies for placements and orders that have none (event position -> the middle day of
    the date that implies it: `inferred_end_dates`)."""
    return {n: d.mid for n, d in inferred_end_dates(case, happened).items()}


def inferred_end_dates(case: Case, happened: list[tuple[int, AnyEvent]] | None = None
                       ) -> dict[int, PartialDate]:
    """Ends the record implies for placements and orders that have none (event position -> the date, as
    recorded, of the event that implies the end).

    Chronologies record moves, not end dates. A main placement (not an overlay such as respite) with no
    end ends when the next main placement starts. An order with no end ends when an order replacing it is
    made, or a placement showing it ended starts (the vocabulary's `ends_orders`: ICSO -> CSO, CSO -> PO,
    POA -> adoption order, a return home -> s25 ...); a CSO continues at home, so nothing else is ended.
    Each end is a guess and is drawn and listed as inferred. Sorted lists and bisection: n log n.
    """
    vocab = load_vocabulary(case.jurisdiction)
    events = happened if happened is not None else _happened(case, case.as_of_date)
    out: dict[int, PartialDate] = {}
    mains = sorted(
        (e.start.mid, n, e) for n, e in events
        if isinstance(e, PlacementEvent) and not vocab.term("placement", e.type).overlay
    )
    for (day_a, n_a, a), (day_b, _n_b, b) in itertools.pairwise(mains):
        if a.end is None and day_b > day_a:
            out[n_a] = b.first
    enders: dict[str, list[tuple[date, int, PartialDate]]] = {}
    for m, e in events:
        if isinstance(e, (PlacementEvent, OrderEvent)):
            for code in vocab.term(e.kind, e.type).ends_orders:
                enders.setdefault(code, []).append((e.first.mid, m, e.first))
    for days in enders.values():
        days.sort(key=lambda d: (d[0], d[1]))
    keys = {code: [d for d, _, _ in ends] for code, ends in enders.items()}
    for n, e in events:
        if isinstance(e, OrderEvent) and e.end is None and e.type in enders:
            ends = enders[e.type]
            i = bisect_right(keys[e.type], e.start.mid)
            if i < len(ends):
                out[n] = ends[i][2]
    return dict(sorted(out.items()))


def _moves(placements: list[tuple[int, PlacementEvent]]) -> tuple[Move, ...]:
    """Each change from one main placement to the next, dated by the start of the new one."""
    return tuple(
        Move(number=i, date=b.start.mid, from_event=na, to_event=nb)
        for i, ((na, _a), (nb, b)) in enumerate(itertools.pairwise(placements), start=1)
    )


def _periods_to_adulthood(happened: list[tuple[int, AnyEvent]], vocab: Vocabulary, inferred: dict[int, date],
                          born: date, as_of: date) -> tuple[Period, ...]:
    """The looked-after periods up to as_of, or to the 18th birthday: no one is looked after past it, so what
    ran on to as_of ended then."""
    adult = _adult_on(born, vocab)
    periods = _looked_after_periods(happened, vocab, inferred, min(as_of, adult))
    if adult < as_of:
        periods = tuple(replace(p, ongoing=False) for p in periods)
    return periods


def _adult_on(born: date, vocab: Vocabulary) -> date:
    """The birthday on which looked-after status ends at the latest (18 in Scotland; 29 Feb -> 1 Mar)."""
    years = born.year + vocab.looked_after_until_age
    try:
        return born.replace(year=years)
    except ValueError:
        return date(years, 3, 1)


def _span_end(n: int, e: PlacementEvent | OrderEvent, inferred: dict[int, date], as_of: date) -> tuple[date, bool]:
    """(end, still open) of a placement or order as at as_of: its end, else its inferred end, else as_of.

    An end after as_of has not happened yet: the span is still open at as_of (clipped to it), so a child
    whose placement is recorded to end next month is still looked after today, not "looked after to today".
    """
    if e.end is not None:
        return (min(e.end.mid, as_of), e.end.mid > as_of)
    if n in inferred:
        return (min(inferred[n], as_of), False)
    return (as_of, True)


def _looked_after_periods(
    happened: list[tuple[int, AnyEvent]], vocab: Vocabulary, inferred: dict[int, date], as_of: date
) -> tuple[Period, ...]:
    """The child's looked-after episodes: the union of the spans of looked-after placements and orders.

    A span runs from its start to its end (given, else inferred, else as_of). An order that ends looked-after
    status (adoption, KCO, s11) cuts every span running when it is made. The earliest explicit `looked_after`
    milestone starts the spans running on its date (an earlier period that ended before it is kept); an explicit
    milestone outside every span starts an episode that runs to the next looked-after span (or to such an
    order, or to as_of). Spans that overlap or are a day apart make one episode; gaps (home with no order) are left out.
    """
    enders = sorted(e.first.mid for _, e in happened
                    if isinstance(e, OrderEvent) and vocab.term("order", e.type).ends_looked_after)
    spans: list[tuple[date, date, bool]] = []
    for n, e in happened:
        if not isinstance(e, (PlacementEvent, OrderEvent)) or not vocab.term(e.kind, e.type).looked_after:
            continue
        start = e.start.mid
        end, is_open = _span_end(n, e, inferred, as_of)
        i = bisect_left(enders, start)
        if i < len(enders) and enders[i] < end:
            end, is_open = enders[i], False
        if end >= start:
            spans.append((start, end, is_open))
    explicit = sorted(e.date.mid for _, e in happened if isinstance(e, MilestoneEvent) and e.type == "looked_after")
    if explicit:  # the record says when the child became looked after: the period it falls in starts then
        first_day = explicit[0]
        spans = [(first_day if start < first_day <= end else start, end, is_open) for start, end, is_open in spans]
    spans.sort()
    starts = [s for s, _, _ in spans]
    reach = list(itertools.accumulate((end for _, end, _ in spans), max))  # latest end of the spans so far
    for day in explicit:
        if day > as_of:
            continue  # after the last day that can count (an adult)
        before = bisect_right(starts, day) - 1
        if before >= 0 and reach[before] >= day:
            continue  # inside a span already
        nxt = bisect_right(starts, day)
        j = bisect_left(enders, day)
        stop = [starts[nxt]] if nxt < len(starts) else []
        stop += [enders[j]] if j < len(enders) else []
        spans.append((day, min(stop), False) if stop else (day, as_of, True))
    spans.sort()
    periods: list[Period] = []
    first: date | None = None
    last, running = as_of, False
    for start, end, is_open in spans:
        if first is not None and start <= last + timedelta(days=1):
            last, running = max(last, end), running or is_open
            continue
        if first is not None:
            periods.append(Period(start=first, end=last, days=(last - first).days, ongoing=running))
        first, last, running = start, end, is_open
    if first is not None:
        periods.append(Period(start=first, end=last, days=(last - first).days, ongoing=running))
    return tuple(periods)


def _origin_event(case: Case, happened: list[tuple[int, AnyEvent]], la_start: date | None) -> int | None:
    """The event that set the looked-after start: an explicit milestone that day, else the first
    looked-after placement or order starting that day (file order)."""
    if la_start is None:
        return None
    explicit = [n for n, e in happened
                if isinstance(e, MilestoneEvent) and e.type == "looked_after" and e.date.mid == la_start]
    if explicit:
        return explicit[0]
    return next((n for n, e in happened if makes_looked_after(case, e) and e.first.mid == la_start), None)


def _legal_permanence(
    happened: list[tuple[int, AnyEvent]], vocab: Vocabulary, la_start: date | None, route: str | None
) -> LegalPermanence | None:
    """The earliest permanence order (po, poa, adoption, kco, s11) or explicit final_order milestone."""
    found: list[tuple[date, int, int, str, str | None]] = []
    for n, e in happened:
        if isinstance(e, OrderEvent):
            order_route = vocab.term("order", e.type).route
            if order_route is not None:
                found.append((e.first.mid, 0, n, e.type, order_route))
        elif isinstance(e, MilestoneEvent) and e.type == "final_order":
            found.append((e.first.mid, 1, n, e.type, route))  # an order on the same day names the route
    if not found:
        return None
    day, _, n, code, found_route = min(found)
    days = (day - la_start).days if la_start is not None else None
    return LegalPermanence(date=day, type=code, route=found_route, event=n, days_from_looked_after=days)


def _milestones(
    happened: list[tuple[int, AnyEvent]],
    std: Standards,
    as_of: date,
    la_start: date | None,
    la_event: int | None,
    la_end: date | None,
    permanence: LegalPermanence | None,
    route: str | None,
    vocab: Vocabulary | None = None,
    not_kept: frozenset[str] = frozenset(),
) -> tuple[MilestoneFact, ...]:
    """The jurisdiction's steps to permanence in order, each measured against its target.

    A step in `not_kept` (the record's source never holds it: `records.steps_not_kept`) with no date is
    "not recorded", never overdue.

    A step is dated by its milestone, or by the start of an event whose term names it as its `step`
    (England and Wales: a placement order dates `placement_order`); the earliest counts.
    """
    dated = _step_dates(happened, la_start, la_event, permanence, vocab)
    settled = (permanence is not None) or (la_end is not None)
    # the plan the exemptions follow: the recommended route, else the route the legal order took
    plan = route if route is not None else (permanence.route if permanence is not None else None)
    steps = [t.milestone for t in std.targets]
    evidence = std.route_evidence(dated)
    out: list[MilestoneFact] = []
    previous: date | None = None
    events = dict(happened)
    for i, target in enumerate(std.targets):
        day, event = dated.get(target.milestone, (None, None))
        reference, from_event = dated.get(target.after or "", (None, None))
        extensions, target_days, target_date = _target(happened, target, reference, day)
        # a later step taken (or legal permanence reached) shows this one happened, unrecorded
        implied = permanence is not None or any(code in dated for code in steps[i + 1:])
        window = _due_window(events.get(from_event) if from_event is not None else None, target_date, target_days)
        taken = _date_window(events.get(event) if event is not None else None, day)
        status, over, spread = _status(day, target_date, as_of, settled=settled,
                                       implied=implied or target.milestone in not_kept,
                                       exempt=target.exempt(plan, evidence), when=taken, due=window)
        if status in ("not_applicable", "not_recorded"):
            target_date, window = None, None  # nothing to draw or count down to
        out.append(
            MilestoneFact(
                type=target.milestone, date=day, event=event,
                days_from_looked_after=(day - la_start).days if day is not None and la_start is not None else None,
                days_from_previous=(day - previous).days if day is not None and previous is not None else None,
                target_days=target_days, target_date=target_date, status=status, days_over=over,
                extensions=extensions, due_window=window, date_window=taken, days_over_range=spread,
                implied=implied,
            )
        )
        if day is not None:
            previous = day
    return tuple(out)


def _step_dates(happened: list[tuple[int, AnyEvent]], la_start: date | None, la_event: int | None,
                permanence: LegalPermanence | None, vocab: Vocabulary | None) -> dict[str, tuple[date, int]]:
    """(date, event) of each step taken: by its milestone, or by an event whose term names it as its `step`;
    the earliest counts. Becoming looked after is dated by the looked-after periods, and the order that gave
    legal permanence is the final order when no milestone says so."""
    dated: dict[str, tuple[date, int]] = {}
    if la_start is not None and la_event is not None:
        dated["looked_after"] = (la_start, la_event)
    for n, e in happened:
        step = e.type if isinstance(e, MilestoneEvent) else (
            vocab.term(e.kind, e.type).step if vocab is not None else None)
        if step is not None and step != "looked_after":
            current = dated.get(step)
            if current is None or (e.first.mid, n) < current:
                dated[step] = (e.first.mid, n)
    if "final_order" not in dated and permanence is not None:
        dated["final_order"] = (permanence.date, permanence.event)  # the order granted is the final order
    return dated


def _extensions(happened: list[tuple[int, AnyEvent]], target: Target, reference: date | None,
                day: date | None) -> int:
    """How many times the record extends this step's target (e.g. the court extends the 26 weeks by up to
    8 weeks, CA 1989 s32(5)): milestones of the target's `extended_by` type dated from the reference date up
    to the step (or as_of while waiting). None recorded: the target stands as the standards give it."""
    if target.extended_by is None or reference is None:
        return 0
    return sum(1 for _, e in happened if isinstance(e, MilestoneEvent) and e.type == target.extended_by
               and reference <= e.date.mid and (day is None or e.date.mid <= day))


def _target(happened: list[tuple[int, AnyEvent]], target: Target, reference: date | None, day: date | None
            ) -> tuple[int, int | None, date | None]:
    """(extensions, target days, target date) of one step: the standards' days, extended as the record says."""
    extensions = _extensions(happened, target, reference, day)
    days = target.days + extensions * (target.extension_days or 0) if target.days is not None else None
    return extensions, days, reference + timedelta(days=days) if reference is not None and days is not None else None


def _due_window(start: AnyEvent | None, target_date: date | None, target_days: int | None
                ) -> tuple[date, date] | None:
    """The days a target may fall on when the event it counts from has no single day: its earliest and latest
    possible day plus the target's days (None when the start is a day, or there is no target)."""
    if start is None or target_date is None or target_days is None or not start.first.approximate:
        return None
    return (start.first.earliest + timedelta(days=target_days), start.first.latest + timedelta(days=target_days))


def _date_window(step: AnyEvent | None, day: date | None) -> tuple[date, date] | None:
    """The days a step may have been taken on when the event that dates it has no single day ("2016", "c. Mar
    2016", "14-16 Mar 2016"): its earliest and latest possible day (None when it is a day, or not dated)."""
    if step is None or day is None or not step.first.approximate or step.first.mid != day:
        return None
    return (step.first.earliest, step.first.latest)


def _status(
    day: date | None, target_date: date | None, as_of: date, *, settled: bool, exempt: bool, implied: bool = False,
    when: Days | None = None, due: Days | None = None,
) -> tuple[str, int | None, tuple[int, int] | None]:
    """(status, days over target, (least, most) days over when not exact) of one step; see the module notes
    for the order of the rules.

    Met and missed compare the days the step may have been taken on (`when`, else its day) with the days the
    target may fall on (`due`, else its date), as overdue and pending compare as_of with them: when both
    answers stay possible the status is "undetermined", never the answer the middle days would give."""
    if target_date is None or exempt:
        return ("not_applicable", None, None)
    aim = due if due is not None else (target_date, target_date)
    estimated = when is not None or due is not None
    if day is not None:
        return _judged(when if when is not None else (day, day), aim, ("met", "missed"), estimated)
    if implied:
        return ("not_recorded", None, None)
    if settled:
        return ("not_applicable", None, None)
    return _judged((as_of, as_of), aim, ("pending", "overdue"), estimated)


def _judged(when: Days, aim: Days, words: tuple[str, str], estimated: bool
            ) -> tuple[str, int | None, tuple[int, int] | None]:
    """(in time, late or undetermined; the least days late; (least, most) days late when estimated)."""
    kept = on_or_before(when, aim)
    if kept is None:
        return ("undetermined", None, None)
    if kept:
        return (words[0], None, None)
    least, most = days_between(aim, when)
    return (words[1], least, (least, most) if estimated else None)


def _reviews(
    case: Case,
    happened: list[tuple[int, AnyEvent]],
    placements: list[tuple[int, PlacementEvent]],
    schedule: ReviewSchedule,
    as_of: date,
    periods: tuple[Period, ...],
    inferred: dict[int, date],
) -> tuple[str, int, tuple[ReviewFact, ...], tuple[ReviewGap, ...]]:
    """(record, reviews recorded, reviews due, gaps) for the placements away from home.

    What is not in a chronology was not recorded, which is not the same as not held. With no
    `laac_review` in the file nothing is said about reviews (record "none"). With some, but the record not
    declared complete (record "partial"), stretches longer than the schedule allows are listed as gaps
    ("no review recorded between X and Y"). Only when the case says `records: {reviews: complete}` are
    reviews matched to the schedule and a review due and not in the file reported as not held.

    Each placement restarts the schedule (first review `first_days` after it starts, the second
    `second_days` after the first, then every `later_days`), counting from when the previous review was
    held, or was due if it was not. Reviews held between the placement's start and its end (given or
    inferred, exclusive) belong to it. Nothing falls due after the placement ends or its looked-after period
    ends; for an open placement the next review due after as_of is listed too (not overdue).
    """
    vocab = load_vocabulary(case.jurisdiction)
    held_all = sorted((e.date.mid, n) for n, e in counted_reviews(happened, vocab.word("review_meeting")))
    complete = case.records.reviews == "complete"
    record = "complete" if complete else ("partial" if held_all else "none")
    if record == "none":
        return (record, 0, (), ())
    held_days = [d for d, _ in held_all]  # bisected per placement: a rescan each would be quadratic
    period_starts = [p.start for p in periods]
    out: list[ReviewFact] = []
    gaps: list[ReviewGap] = []
    for n, start, ended, limit in _review_windows(happened, placements, schedule, as_of, periods, inferred, vocab,
                                                  period_starts):
        # The reviews held in [start, ended), as index bounds into held_all (not a copy: windows may overlap).
        first_held = bisect_left(held_days, start)
        past_held = bisect_left(held_days, ended) if ended is not None else len(held_days)
        if not complete:
            gaps.extend(_gaps(n, start, held_days[first_held:past_held], min(limit or as_of, as_of), schedule))
            continue
        previous = start
        basis = _start_dates(case, [start])[0]  # the date the schedule counts from, as recorded
        number = 1
        while True:
            due = schedule.due_after(previous, number)
            if limit is not None and due > limit:
                break
            at = first_held + number - 1
            held, event = held_all[at] if at < past_held else (None, None)
            late = max(0, ((held if held is not None else as_of) - due).days)
            taken = case.events[event - 1].first if event is not None else PartialDate.of(as_of)
            window = ((due - (basis.mid - basis.earliest), due + (basis.latest - basis.mid))
                      if basis.approximate else None)
            spread = None
            if window is not None or taken.approximate:
                least, most = days_between(window or (due, due), (taken.earliest, taken.latest))
                spread = (max(0, least), max(0, most))
            out.append(ReviewFact(placement_event=n, number=number, due=due, held=held, event=event,
                                  days_late=late, overdue=held is None and due < as_of, due_window=window,
                                  late_range=spread))
            if held is None and due >= as_of:
                break  # the next review still to come
            previous = held if held is not None else due
            if event is not None:
                basis = taken
            number += 1
    return (record, len(held_all), tuple(out), tuple(gaps))


def _review_windows(
    happened: list[tuple[int, AnyEvent]],
    placements: list[tuple[int, PlacementEvent]],
    schedule: ReviewSchedule,
    as_of: date,
    periods: tuple[Period, ...],
    inferred: dict[int, date],
    vocab: Vocabulary,
    period_starts: list[date],
) -> list[tuple[int, date, date | None, date | None]]:
    """(event, start, ended, limit) of each stretch the review schedule runs over.

    Scotland (reg 45): each placement away from home restarts it. England (reg 33, `from: looked_after`):
    the schedule runs from becoming looked after, whatever the moves, so each looked-after period is one
    stretch, named by the event that began it."""
    out: list[tuple[int, date, date | None, date | None]] = []
    if schedule.counts_from == "looked_after":
        for p in periods:
            # the looked-after event that began the period (the latest to start on or before its start)
            began = [(e.first.mid, m) for m, e in happened if isinstance(e, (PlacementEvent, OrderEvent))
                     and vocab.term(e.kind, e.type).looked_after and e.first.mid <= p.start]
            if not began:
                began = [(e.first.mid, m) for m, e in happened if e.first.mid <= p.start]
            if not began:
                continue
            n = min(m for day, m in began if day == max(began)[0])
            end = None if p.ongoing else p.end
            out.append((n, p.start, end if end is not None and end <= as_of else None, end))
        return out
    for n, placement in placements:
        if not vocab.term("placement", placement.type).looked_after:
            continue
        start = placement.start.mid
        at_period = bisect_right(period_starts, start) - 1
        period = periods[at_period] if at_period >= 0 else None
        if period is None or not (start < period.end or period.ongoing):
            continue  # not looked after then (e.g. placed after an adoption order)
        real_end = placement.end.mid if placement.end is not None else inferred.get(n)
        ended = real_end if real_end is not None and real_end <= as_of else None
        limits = [d for d in (ended, None if period.ongoing else period.end) if d is not None]
        out.append((n, start, ended, min(limits) if limits else None))
    return out


def _gaps(n: int, start: date, held: list[date], stop: date, schedule: ReviewSchedule) -> list[ReviewGap]:
    """Stretches of one placement longer than the schedule allows with no review recorded in them."""
    out: list[ReviewGap] = []
    previous = start
    for number, day in enumerate([*held, stop], start=1):
        allowed = (schedule.due_after(previous, number) - previous).days
        if (day - previous).days > allowed:
            out.append(ReviewGap(placement_event=n, start=previous, end=day, days=(day - previous).days,
                                 allowed_days=allowed))
        previous = day
    return out


def _flags(
    case: Case,
    happened: list[tuple[int, AnyEvent]],
    moves: tuple[Move, ...],
    milestones: tuple[MilestoneFact, ...],
    rules: FlagRules,
    as_of: date,
    la_start: date | None,
    days_la: int,
    permanence: LegalPermanence | None,
    inferred: dict[int, date],
    la_time: str,
    inferred_dates: dict[int, PartialDate],
) -> tuple[Flag, ...]:
    """The three warnings of issue 5, in a fixed order. Their dates are worded as the record gives them
    (`recorded_dates`), never a middle day; `la_time` is the time looked after in words."""
    out: list[Flag] = []
    name = case.child.name

    run = _longest_home_cso(happened, as_of, inferred)
    if run is not None and (run[1] - run[0]).days >= rules.home_supervision_days:
        began, until = run
        tense = "has been" if until >= as_of else "was"
        said = recorded_dates(case, [began, until], inferred_dates)
        out.append(Flag(
            code=FLAG_CSO_AT_HOME,
            text=(f"{name} {tense} on a compulsory supervision order while living at home for "
                  f"{between_words(said[0], said[1], duration_words((began, until)))} (from {said[0].display()}"
                  f"{'' if until >= as_of else ' to ' + said[1].display()}). PACE aim: review the plan for a "
                  f"child on a home supervision order by {target_words(rules.home_supervision_days)}."),
            date=began + timedelta(days=rules.home_supervision_days),
        ))

    for i in range(len(moves) - rules.moves_count + 1):
        first = moves[i].date
        if (moves[i + rules.moves_count - 1].date - first).days <= rules.moves_window_days:
            inside = [m for m in moves if first <= m.date <= first + timedelta(days=rules.moves_window_days)]
            out.append(Flag(
                code=FLAG_MOVES,
                text=(f"{len(inside)} placement moves within {target_words(rules.moves_window_days)} "
                      f"({case.events[inside[0].to_event - 1].first.display()} to "
                      f"{case.events[inside[-1].to_event - 1].first.display()}): frequent moves harm a child's "
                      "attachments; look at what would keep the next placement stable."),
                date=moves[i + rules.moves_count - 1].date,
            ))
            break

    recommended = next((m for m in milestones if m.type == "permanence_recommended"), None)
    unplanned = recommended is None or (recommended.date is None and recommended.status != "not_recorded")
    if la_start is not None and days_la > rules.no_plan_days and unplanned and permanence is None:
        due = la_start + timedelta(days=rules.no_plan_days)
        out.append(_no_plan_flag(case, rules, due, la_time, recommended))
    return tuple(out)


def _no_plan_flag(case: Case, rules: FlagRules, due: date, la_time: str, recommended: MilestoneFact | None
                  ) -> Flag:
    """The flag of a child looked after past the aim with no permanence recommendation; when the start it
    counts from has no single day, the aim's date is the months it may fall in (the step's `due_window`)."""
    window = recommended.due_window if recommended is not None else None
    if window is not None and recommended is not None and recommended.target_days is not None:
        shift = timedelta(days=rules.no_plan_days - recommended.target_days)
        window = (window[0] + shift, window[1] + shift)
    began = _start_dates(case, [due - timedelta(days=rules.no_plan_days)])[0]
    if window is None and began.approximate:  # the step no longer counts down (looked-after time ended)
        window = (due - (began.mid - began.earliest), due + (began.latest - began.mid))
    when = f"by {date_words(due)}" if window is None else f"due {due_words(due, window)}"
    aim = load_vocabulary(case.jurisdiction).words.get("plan_aim", "PACE aim")
    return Flag(code=FLAG_NO_PLAN, date=due,
                text=(f"Looked after for {la_time} with no permanence recommendation recorded. "
                      f"{aim}: a permanence decision within {target_words(rules.no_plan_days)} of becoming looked "
                      f"after ({when})."))


def _longest_home_cso(
    happened: list[tuple[int, AnyEvent]], as_of: date, inferred: dict[int, date]
) -> tuple[date, date] | None:
    """The longest unbroken stretch (start, end) on a CSO while placed at home, up to as_of.

    The stretches are where some CSO and some home placement overlap by at least a day, joined when they
    touch or are a day apart. Those overlaps cover exactly the days where the union of the CSOs meets the
    union of the home placements (leaving out bare touches at one end), so the two unions are intersected
    in one sweep: n log n, where pairing every CSO with every placement was quadratic.
    """
    csos: list[tuple[date, date]] = []
    homes: list[tuple[date, date]] = []
    for n, e in happened:
        if isinstance(e, OrderEvent) and e.type == "cso":
            spans = csos
        elif isinstance(e, PlacementEvent) and e.type == "home":
            spans = homes
        else:
            continue
        began = e.first.mid
        until, _ = _span_end(n, e, inferred, as_of)
        if began < until:  # a one-day (or, by partial-date mids, reversed) span overlaps nothing
            spans.append((began, until))

    overlaps = _intersect(_union(csos), _union(homes))
    best: tuple[date, date] | None = None
    current: tuple[date, date] | None = None
    for began, until in overlaps:
        if current is not None and began <= current[1] + timedelta(days=1):
            current = (current[0], max(current[1], until))
        else:
            current = (began, until)
        if best is None or (current[1] - current[0]) > (best[1] - best[0]):
            best = current
    return best


def _union(spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Spans merged where they overlap or touch: disjoint, in date order."""
    merged: list[tuple[date, date]] = []
    for began, until in sorted(spans):
        if merged and began <= merged[-1][1]:
            if until > merged[-1][1]:
                merged[-1] = (merged[-1][0], until)
        else:
            merged.append((began, until))
    return merged


def _intersect(left: list[tuple[date, date]], right: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Where two disjoint, ordered span lists overlap by at least a day, in date order (one sweep)."""
    out: list[tuple[date, date]] = []
    i = j = 0
    while i < len(left) and j < len(right):
        began = max(left[i][0], right[j][0])
        until = min(left[i][1], right[j][1])
        if began < until:
            out.append((began, until))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return out


def looked_after_dates(case: Case, facts: Facts) -> tuple[PartialDate | None, PartialDate | None]:
    """(start, end) of looked-after time as the record gives them (`_start_dates`, `recorded_dates`): "2015",
    "Nov 2017"; None for a start never reached or an end not yet come."""
    start = _start_dates(case, [facts.looked_after_start])[0] if facts.looked_after_start is not None else None
    end = (recorded_dates(case, [facts.looked_after_end], facts.inferred_end_dates)[0]
           if facts.looked_after_end is not None else None)
    return (start, end)


def looked_after_since(case: Case, facts: Facts) -> str:
    """The start of looked-after time as the record gives it: "2010" when the order that began it has only a
    year, never the middle day that sums count with."""
    start = facts.looked_after_start
    return "-" if start is None else started_words(case, start)


def period_start_words(case: Case, facts: Facts) -> tuple[str, ...]:
    """Each looked-after period's start as the record gives it (`started_words`), found in one pass over the
    events: the chart's title and the summary word every period, and a scan per period was the cost."""
    return _start_words(case, [p.start for p in facts.looked_after_periods])


def started_words(case: Case, day: date) -> str:
    """The start of a looked-after period as the record gives it (the date of the event that began it, "2010"
    for a year-only order), or the day itself when no such event starts on it."""
    return _start_words(case, [day])[0]


def _start_words(case: Case, days: list[date]) -> tuple[str, ...]:
    """Looked-after starts in words, as the record gives them (`_start_dates`)."""
    return tuple(d.display() for d in _start_dates(case, days))


def _start_dates(case: Case, days: list[date]) -> tuple[PartialDate, ...]:
    """The one rule: a start is the date of the first event (file order) that makes the child looked after and
    whose date's middle day is that start, as that event recorded it; else the day itself."""
    wanted = set(days)
    first: dict[date, PartialDate] = {}
    for _, e in case.numbered():
        day = e.first.mid
        if day in wanted and day not in first and (makes_looked_after(case, e) or (
                isinstance(e, MilestoneEvent) and e.type == "looked_after")):
            first[day] = e.first
    return tuple(first.get(day) or PartialDate.of(day) for day in days)


# ---------------------------------------------------------------- cohort measures (issue 16)
#
# Small public functions the cohort view (timeline/cohort/) reads besides Facts, so that a measure across
# many children is the single-child definition applied to each.


@dataclass(frozen=True, slots=True)
class Step:
    """One pair of PACE steps for one child: how long from `after` to `milestone`, done or still waiting.

    `days` is the time the step took (done), or has taken so far at as_of (waiting); None when the step has
    not begun, does not apply to the plan's route, or ended without being taken (permanence reached or the
    child no longer looked after). `within_target` is None where there is no target or nothing done yet.
    """

    after: str
    milestone: str
    start: date | None
    end: date | None
    days: int | None
    waiting: bool
    exempt: bool
    target_days: int | None
    within_target: bool | None
    out_of_order: bool = False  # dated before the step it counts from: the record contradicts itself
    undetermined: bool = False  # done, but dates with no single day cannot tell whether within the target
    # `start` as the record gives it ("2019", "Jun 2019", "3 Mar 2019"), for the pages: `start` itself is a
    # middle day when the record has no single day, for sums only
    start_words: str | None = None
    # the days `start` may stand for when the record has no single day for it (else None)
    start_window: tuple[date, date] | None = None
    # the least and most `days` can be when either date has no single day (else None: `days` is exact)
    days_window: tuple[int, int] | None = None
    # the days `end` may stand for when the record has no single day for it (else None)
    end_window: tuple[date, date] | None = None


def _days_window(start: MilestoneFact, end: MilestoneFact | None, as_of: date) -> tuple[int, int] | None:
    """The least and most days a step took (`end` given) or has taken by `as_of` (waiting) when its dates have
    no single day ("2019", "c. Jun 2019"): the spans' nearest and farthest days. None when both are days."""
    if start.date is None or (start.date_window is None and (end is None or end.date_window is None)):
        return None
    first, last = start.date_window or (start.date, start.date)
    if end is None:
        return max(0, (as_of - last).days), max(0, (as_of - first).days)
    assert end.date is not None
    lo, hi = end.date_window or (end.date, end.date)
    return max(0, (lo - last).days), max(0, (hi - first).days)


def pace_steps(case: Case, facts: Facts, *, standards: Standards | None = None) -> tuple[Step, ...]:
    """Each PACE step pair of `facts.milestones` (from its `after` milestone), as the cohort counts it."""
    std = standards if standards is not None else load_standards()
    dated = {m.type: m for m in facts.milestones}
    route = facts.plan_route if facts.as_of == case.as_of_date else recommended_route(case, facts.as_of)
    settled = facts.legal_permanence is not None or facts.looked_after_end is not None
    evidence = std.route_evidence({m.type for m in facts.milestones if m.date is not None})
    dates = [e.first for e in case.events]
    out: list[Step] = []
    for target in std.targets:
        if target.after is None:
            continue
        begin = dated.get(target.after)
        here = dated.get(target.milestone)
        start = begin.date if begin is not None else None
        end = here.date if here is not None else None
        exempt = target.exempt(route, evidence)
        waiting = (start is not None and end is None and not settled and not exempt
                   and target.milestone not in case.records.steps_not_kept)
        days: int | None = None
        out_of_order = start is not None and end is not None and end < start
        if start is not None and end is not None and not exempt and not out_of_order:
            days = (end - start).days  # a step dated before its start is not a duration: not counted
        elif waiting and start is not None:
            days = max(0, (facts.as_of - start).days)
        within = (here.status == "met") if here is not None and here.status in ("met", "missed") else None
        window = (None if begin is None or days is None
                  else _days_window(begin, here if end is not None else None, facts.as_of))
        out.append(Step(after=target.after, milestone=target.milestone, start=start, end=end, days=days,
                        waiting=waiting, exempt=exempt, target_days=target.days,
                        within_target=None if out_of_order else within, out_of_order=out_of_order,
                        undetermined=here is not None and here.status == "undetermined" and days is not None
                        and not out_of_order,
                        start_words=(when_words(dates, begin.event, start)
                                     if begin is not None and start is not None else None),
                        start_window=begin.date_window if begin is not None else None,
                        days_window=window,
                        end_window=here.date_window if here is not None and end is not None else None))
    return tuple(out)


def summary_dict(case: Case, facts: Facts) -> dict[str, object]:
    """The `timeline summary --json` object (docs/summary.md): fixed key order, ISO dates, event ids."""

    def ident(n: int | None) -> str | None:
        return event_id(n, case.events[n - 1]) if n is not None else None

    child: dict[str, object] = {
        "name": case.child.name,
        "date_of_birth": case.child.date_of_birth.isoformat(),
        "ref": case.child.ref,
        "age": format_age(case.child.date_of_birth, facts.as_of),
        "age_days": facts.age_days,
    }
    lp = facts.legal_permanence
    permanence: dict[str, object] | None = None if lp is None else {
        "date": lp.date.isoformat(),
        "type": lp.type,
        "route": lp.route,
        "days_from_looked_after": lp.days_from_looked_after,
        "event": ident(lp.event),
    }
    return {
        "child": child,
        "as_of": facts.as_of.isoformat(),
        "looked_after_start": _iso(facts.looked_after_start),
        "looked_after_end": _iso(facts.looked_after_end),
        "days_looked_after": facts.days_looked_after,
        "looked_after_periods": [
            {"start": p.start.isoformat(), "end": p.end.isoformat(), "days": p.days, "ongoing": p.ongoing}
            for p in facts.looked_after_periods
        ],
        "percent_of_life_looked_after": facts.percent_of_life_looked_after,
        "placements": facts.placements,
        "moves": facts.moves,
        "hearings": facts.hearings,
        "legal_permanence": permanence,
        "milestones": [_milestone_dict(m, ident) for m in facts.milestones],
        "reviews": _reviews_dict(facts, ident),
        "flags": [{"code": f.code, "text": f.text, "date": _iso(f.date)} for f in facts.flags],
        "inferred_ends": [{"event": ident(n), "end": day.isoformat()} for n, day in facts.inferred_ends.items()],
        "warnings": list(facts.as_of_warnings),
        **_measures_dict(facts, ident),
    }


def _iso(day: date | None) -> str | None:
    """A date in the JSON (ISO), or null when not known."""
    return day.isoformat() if day is not None else None


def _milestone_dict(m: MilestoneFact, ident: Callable[[int | None], str | None]) -> dict[str, object]:
    """One PACE step in the JSON: its date, time from looked after and from the step before, target and status."""
    out: dict[str, object] = {
        "type": m.type,
        "date": _iso(m.date),
        "days_from_looked_after": m.days_from_looked_after,
        "days_from_previous": m.days_from_previous,
        "target_days": m.target_days,
        "status": m.status,
        "target_date": _iso(m.target_date),
        "days_over": m.days_over,
        "event": ident(m.event),
    }
    if m.due_window is not None:  # only where the target is an estimate: the contract's keys stay as they were
        out["due_window"] = [_iso(m.due_window[0]), _iso(m.due_window[1])]
    if m.date_window is not None:  # only where the step's own date has no single day
        out["date_window"] = [_iso(m.date_window[0]), _iso(m.date_window[1])]
    return out


def _reviews_dict(facts: Facts, ident: Callable[[int | None], str | None]) -> dict[str, object]:
    """The reviews in the JSON: how complete the record is, each review due, and the gaps with none recorded."""
    return {
        "record": facts.reviews_record,
        "recorded": facts.reviews_recorded,
        "overdue": facts.reviews_overdue,
        "held_late": sum(1 for r in facts.reviews if r.held is not None and r.days_late > 0),
        "items": [
            {
                "placement": ident(r.placement_event),
                "number": r.number,
                "due": r.due.isoformat(),
                "held": _iso(r.held),
                "event": ident(r.event),
                "days_late": r.days_late,
                "overdue": r.overdue,
            }
            for r in facts.reviews
        ],
        "gaps": [
            {
                "placement": ident(g.placement_event),
                "from": g.start.isoformat(),
                "to": g.end.isoformat(),
                "days": g.days,
                "allowed_days": g.allowed_days,
            }
            for g in facts.review_gaps
        ],
    }


def _measures_dict(facts: Facts, ident: Callable[[int | None], str | None]) -> dict[str, object]:
    """The jurisdiction's named measures in the JSON (no key at all where it has none: Scotland's stays)."""
    if not facts.measures:
        return {}
    from .measures import measure_dict

    return {"measures": [measure_dict(m, ident(m.event)) for m in facts.measures],
            "review_dates_approximate": facts.review_dates_approximate}


def summary_text(case: Case, facts: Facts, *, standards: Standards | None = None) -> str:
    """The plain-text summary a social worker reads before a review (`timeline summary CASE`)."""
    std = standards if standards is not None else load_standards(jurisdiction=case.jurisdiction)
    vocab = load_vocabulary(case.jurisdiction)
    born = case.child.date_of_birth
    ref = f" (ref {case.child.ref})" if case.child.ref else ""
    lines = [f"Summary for {case.child.name}{ref}",
             f"Born {date_words(born)}; as at {date_words(facts.as_of)}, aged {format_age(born, facts.as_of)}", ""]
    lines.extend(_table(None, [*_looked_after_rows(case, facts), *_permanence_rows(case, facts, vocab)]))
    lines.append("")
    lines.extend(_steps_text(case, facts, std, vocab))
    if facts.measures:
        lines.extend(_measures_text(case, facts, std))
    lines.extend(_reviews_text(case, facts, std, vocab))
    if facts.as_of_warnings:
        lines.append("Check the as-at date")
        lines.extend(f"  ! {w[:1].upper()}{w[1:]}{'' if w.endswith('?') else '.'}" for w in facts.as_of_warnings)
        lines.append("")
    lines.append("Flags")
    if not facts.flags:
        lines.append("  none")
    lines.extend(f"  ! {f.text}" for f in facts.flags)
    return "\n".join(lines) + "\n"


def _span_text(what: Span, days: int, spread: tuple[int, int] | None = None) -> str:
    """A duration as the summary's table gives it: '2 y 8 m (974 days)'; counted between dates with no
    single day (`spread`: the least and most days it can be), 'about 2 years 8 months', with no count of
    days that would look exact."""
    if spread is not None:
        return looked_after_time_words(what, spread)
    return f"{duration_words(what, short=True)} ({plural(days, 'day')})"


def _looked_after_rows(case: Case, facts: Facts) -> list[list[str]]:
    """When the child was looked after, for how long (each period when there were several), and how
    many placements, moves and hearings. Ends are worded as the record gives them (`recorded_dates`)."""
    born, name = case.child.date_of_birth, case.child.name
    rows: list[list[str]] = []
    ended = facts.inferred_end_dates
    if facts.looked_after_start is None:
        rows.append(["Looked after", f"not looked after on or before {date_words(facts.as_of)}"])
    else:
        until = (f"to {recorded_words(case, facts.looked_after_end, ended)}" if facts.looked_after_end is not None
                 else f"and still looked after at {date_words(facts.as_of)}")
        since = looked_after_dates(case, facts)[0]
        assert since is not None
        rows.append(["Looked after", f"from {since.display()} (aged {age_at_words(born, since, short=True)}) "
                     f"{until}"])
        periods = facts.looked_after_periods
        count = f" in {len(periods)} periods" if len(periods) > 1 else ""
        total = _span_text(facts.looked_after_span, facts.days_looked_after, facts.looked_after_days_range)
        rows.append(["Time looked after", f"{total}{count}, "
                     f"{facts.percent_of_life_looked_after:.1f}% of {name}'s life"])
        if len(periods) > 1:
            starts = _start_dates(case, [p.start for p in periods])
            ends = recorded_dates(case, [p.end for p in periods], ended)
            for i, (p, since, end) in enumerate(zip(periods, starts, ends, strict=True), start=1):
                until = f"to {end.display()}" if not p.ongoing else f"still looked after at {date_words(p.end)}"
                length = between_words(since, end, _span_text((p.start, p.end), p.days))
                rows.append([f"  period {i}", f"from {since.display()} {until}: {length}"])
    rows.append(["Placements", f"{facts.placements} (not counting short breaks), {plural(facts.moves, 'move')}"])
    rows.append(["Hearings", f"{facts.hearings} up to {date_words(facts.as_of)}"])
    return rows


def _permanence_rows(case: Case, facts: Facts, vocab: Vocabulary) -> list[list[str]]:
    """Legal permanence: not reached, or when, by which order or route, and how long after becoming looked after."""
    lp = facts.legal_permanence
    if lp is None:
        return [["Legal permanence", "not reached"]]
    what = (vocab.term("order", lp.type).label if lp.type != "final_order"
            else vocab.term("milestone", "final_order").label)
    routed = f" (route: {vocab.routes.get(lp.route, lp.route)})" if lp.route else ""
    since = looked_after_dates(case, facts)[0]
    made = case.events[lp.event - 1].first
    after = (f", {between_words(since, made, _span_text((since.mid, lp.date), lp.days_from_looked_after))} after "
             "becoming looked after" if lp.days_from_looked_after is not None and since is not None else "")
    when = made.display()
    return [["Legal permanence", f"{when}: {what}{routed}{after}"]]


def _steps_text(case: Case, facts: Facts, std: Standards, vocab: Vocabulary) -> list[str]:
    """The steps to permanence as a table: date, age, time since looked after and since the step before,
    the target (and its extensions) and the status."""
    born = case.child.date_of_birth
    route = _recommended_route(_happened(case, facts.as_of))
    steps: list[list[str]] = []
    dates = [e.first for e in case.events]
    began = next((m for m in facts.milestones if m.type == "looked_after" and m.date is not None), None)
    previous: MilestoneFact | None = None
    for m in facts.milestones:
        target = std.target(m.type)
        recorded = when_words(dates, m.event, m.date) if m.date is not None else "-"
        taken = dates[m.event - 1] if m.event is not None and m.date is not None else None
        if m.target_days is not None and target.after is not None:
            after = vocab.term("milestone", target.after).abbr.lower()
            aim = f"{target_words(m.target_days)} ({m.target_days} days) after {after}"
            if m.extensions:  # the record extends the timetable (CA 1989 s32(5)): say so beside the target
                aim = (f"{period_words(m.target_days)} ({m.target_days} days) after {after}, "
                       f"extended {times_words(m.extensions)}")
        else:
            aim = "no target"
        steps.append([
            vocab.term("milestone", m.type).abbr,
            recorded,
            (age_at_words(born, taken, short=True) if taken is not None else format_age(born, m.date))
            if m.date is not None else "-",
            _since_words(m.days_from_looked_after, m, began),
            _since_words(m.days_from_previous, m, previous),
            aim,
            _status_words(m, target, facts, route, std, kept=m.type not in case.records.steps_not_kept,
                          recorded=recorded if m.date_window is not None else None),
        ])
        if m.date is not None:
            previous = m
    return [f"Steps to permanence (targets: {std.name})",
            *_table(["Step", "Date", "Age", "Since looked after", "Since previous", "Target", "Status"], steps), ""]


def _since_words(days: int | None, step: MilestoneFact, before: MilestoneFact | None) -> str:
    """A steps table cell: the time from an earlier step, '8 m'; 'c. 8 m' when either step's date has no
    single day (`date_window`), as the table words an age at such a date; '-' when not counted."""
    if days is None:
        return "-"
    text = duration_words(days, short=True)
    if before is step:
        return text  # becoming looked after, from itself
    rough = step.date_window is not None or (before is not None and before.date_window is not None)
    return f"c. {text}" if rough else text


def _reviews_text(case: Case, facts: Facts, std: Standards, vocab: Vocabulary) -> list[str]:
    """The reviews section: none recorded; a partial record (with its gaps); or each review due, held or not."""
    sched = std.reviews
    lines = [_review_heading(vocab.words, sched)]

    def where(placement_event: int) -> str:
        placement = case.events[placement_event - 1]
        return placement.label or vocab.term(placement.kind, placement.type).label

    if facts.reviews_record == "none":
        lines.append(f"  {NO_REVIEWS_RECORDED}")
    elif facts.reviews_record == "partial":
        lines.append(f"  {plural(facts.reviews_recorded, 'review')} recorded; the record of reviews is not "
                     "declared complete, so reviews are not matched to the schedule")
        for g, (between, length) in zip(facts.review_gaps, gaps_words(case, facts, facts.review_gaps), strict=True):
            lines.append(f"  no review recorded {between} ({length}; {where(g.placement_event)})")
    elif not facts.reviews:
        lines.append("  none due")
    else:
        review_rows = []
        for r in facts.reviews:
            named = where(r.placement_event)
            if sched.counts_from == "looked_after":  # one schedule per period, named by when it began
                named = f"looked after from {case.events[r.placement_event - 1].first.display()}"
            lateness = review_late_words(r, days_words(r.days_late, months=True))
            least, most = r.late_range or (r.days_late, r.days_late)
            both = least == 0 < most  # the dates leave it on time or late
            if r.held is not None and both:
                state = f"cannot tell whether on time: {lateness} late"
            elif r.held is not None:
                state = f"{lateness} late" if r.days_late else "on time"
            elif r.overdue and both:
                state = f"NOT HELD; cannot tell whether overdue yet (due {due_words(r.due, r.due_window)})"
            elif r.overdue:
                state = f"NOT HELD, overdue by {lateness}"
            else:
                state = "not yet due"
            held = when_words([e.first for e in case.events], r.event, r.held) if r.held else "-"
            review_rows.append([named, str(r.number), due_words(r.due, r.due_window, short=True), held, state])
        lines.extend(_table(["Placement", "Review", "Due", "Held", "Status"], review_rows))
        due = sum(1 for r in facts.reviews if r.due <= facts.as_of)
        late = sum(1 for r in facts.reviews if r.held is not None and r.days_late > 0)
        lines.append(f"  {due} due by {date_words(facts.as_of)}: {late} held late, {facts.reviews_overdue} not held")
    lines.append("")
    return lines


def review_late_words(review: ReviewFact, exact: str) -> str:
    """How late a review is: the caller's `exact` words of its days late ('57 days (2 months)'); when it falls
    due, or was held, on a date with no single day, the least and most ('between 6 weeks and 2 months',
    `words.over_words`; 'up to 8 days' when it may be on time), never a count of days from a middle day."""
    if review.late_range is not None and review.late_range[0] == 0 < review.late_range[1]:
        return f"up to {duration_words(review.late_range[1])}"
    return over_words(review.days_late, review.late_range, exact)


def gaps_words(case: Case, facts: Facts, gaps: tuple[ReviewGap, ...]) -> list[tuple[str, str]]:
    """(when, how long) of each stretch with no review recorded, its ends as the record gives them
    (`recorded_dates`, one pass for all): ('between 10 Feb 2015 and 16 Jul 2016', '522 days'), or between
    reviews recorded as months, ('between Jul 2016 and Oct 2016', 'between 2 months and 4 months'): never
    middle days, nor a count of days between them."""
    said = recorded_dates(case, [d for g in gaps for d in (g.start, g.end)], facts.inferred_end_dates)
    return [(f"between {a.display()} and {b.display()}", between_words(a, b, days_words(g.days)))
            for g, a, b in zip(gaps, said[::2], said[1::2], strict=True)]


def _review_heading(jurisdiction_words: dict[str, str], sched: ReviewSchedule) -> str:
    """The reviews section's title: the schedule in days (Scotland), or as the regulations word it."""
    if sched.first_working_days is None:
        return (f"Looked-after reviews (first within {sched.first_days} days of each placement away from "
                f"home, the next within {sched.second_days} days, then every {sched.later_days} days)")
    name = jurisdiction_words.get("reviews_title", "Looked-after reviews")
    since = "of becoming looked after" if sched.counts_from == "looked_after" else "of each placement"
    second = (f"{plural(sched.second_months, 'month')}" if sched.second_months else f"{sched.second_days} days")
    later = (f"{plural(sched.later_months, 'month')}" if sched.later_months else f"{sched.later_days} days")
    approx = ("; working days counted Monday to Friday without bank holidays, so approximate: give a "
              "holiday list (--holidays)" if sched.approximate else "; working days skip the bank holidays given")
    return (f"{name} (first within {sched.first_working_days} working days {since}, the next within {second}, "
            f"then every {later}{approx})")


def _measures_text(case: Case, facts: Facts, std: Standards) -> list[str]:
    """The jurisdiction's named measures (England: 26 weeks, CMH, A1, A2, A10, stability) as a table."""
    from .measures import STATUS_WORDS

    rows: list[list[str]] = []
    notes: list[str] = []
    for m in facts.measures:
        start, end = (recorded_dates(case, [d], facts.inferred_end_dates)[0] if d is not None else None
                      for d in (m.start, m.end))
        if m.count is not None:
            time = plural(m.count, "placement")
        elif m.days is not None:
            exact = plural(m.days, "day")
            time = between_words(start, end, exact) if start is not None and end is not None else exact
        else:
            time = "-"
        target = m.target_text or "-"
        if m.target_date is not None:
            target += f", {measure_due_words(case, facts, m)}"
        rows.append([m.label, start.display() if start else "-", end.display() if end else "-", time,
                     target, STATUS_WORDS.get(m.status, m.status)])
        if m.note:
            notes.append(f"  {m.label}: {m.note}")
    out = [f"Measures ({std.name})"]
    out.extend(_table(["Measure", "From", "To", "Time", "Target", "Status"], rows))
    out.extend(notes)
    out.append("")
    return out


def measure_due_words(case: Case, facts: Facts, m: MeasureFact) -> str:
    """When a measure's target falls: 'by 27 Mar 2016'; a recorded date with no single day as the record
    gives it ('by Oct 2015': the second review, held then); counted from a start with no single day, the
    months it may fall in ('due between Mar 2016 and Apr 2016', `words.due_words`), never a middle day."""
    assert m.target_date is not None
    recorded = recorded_dates(case, [m.target_date], facts.inferred_end_dates)[0]
    if recorded.approximate:
        return f"by {recorded.display()}"
    start = recorded_dates(case, [m.start], facts.inferred_end_dates)[0] if m.start is not None else None
    if start is None or not start.approximate:
        return f"by {date_words(m.target_date)}"
    window = (m.target_date - (start.mid - start.earliest), m.target_date + (start.latest - start.mid))
    return f"due {due_words(m.target_date, window)}"


def _over_words(m: MilestoneFact) -> str:
    """How far past its target a step is, as the summary words it (`words.over_words`)."""
    days = m.days_over or 0
    return over_words(days, m.days_over_range, days_words(days, months=True))


def _status_words(m: MilestoneFact, target: Target, facts: Facts, route: str | None, std: Standards, *,
                  kept: bool = True, recorded: str | None = None) -> str:
    """A milestone's status as a sentence fragment, including why a step does not apply (`recorded`: the
    step's date as the record gives it, when that is not one day)."""
    if m.status == "met":
        return "met"
    if m.status == "undetermined" and m.target_date is not None and m.target_days is not None:
        return cannot_tell_words(recorded, m.target_days, due_words(m.target_date, m.due_window),
                                 waiting=m.date is None)
    if m.status == "missed" and m.days_over is not None:
        return f"missed by {_over_words(m)}"
    if m.status == "overdue" and m.target_date is not None and m.days_over is not None:
        due = due_words(m.target_date, m.due_window)
        return f"OVERDUE by {_over_words(m)}; was due {due}"
    if m.status == "not_recorded":
        return "not recorded (a later step shows it happened)" if kept else "not recorded (the source does not hold it)"
    if m.status == "pending" and m.target_date is not None:
        return f"not yet due (due {'by ' if m.due_window is None else ''}{due_words(m.target_date, m.due_window)})"
    if m.target_days is None:
        return "done (no target)" if m.date is not None else "no target"
    evidence = std.route_evidence({x.type for x in facts.milestones if x.date is not None})
    if target.unplanned(route, evidence):
        return no_plan_words(target.only_for_routes)
    if route is not None and target.exempt(route, evidence):
        return f"does not apply to a '{route}' plan"
    reference = next((x for x in facts.milestones if x.type == target.after), None)
    if reference is not None and reference.date is None:
        return f"not measured: no {target.after.replace('_', ' ') if target.after else 'earlier'} date"
    return "no longer applies"


def _table(headers: list[str] | None, rows: list[list[str]]) -> list[str]:
    """Left-aligned columns two spaces apart, indented two spaces; a dashed rule under the headers."""
    all_rows = ([headers] if headers else []) + rows
    widths = [max(len(r[i]) for r in all_rows) for i in range(len(all_rows[0]))]

    def line(cells: list[str]) -> str:
        return ("  " + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))).rstrip()

    out = []
    if headers:
        out.append(line(headers))
        out.append(line(["-" * w for w in widths]))
    out.extend(line(r) for r in rows)
    return out
