"""Facts stage: pure functions from a validated Case to what the chart and the summary say about time.

No drawing here. Partial dates count as the middle of their span (`PartialDate.mid`).
"""

from __future__ import annotations

import datetime as dt
import itertools
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .dates import DAYS_PER_MONTH, PartialDate, format_age, format_duration
from .model import AnyEvent, Case, HearingEvent, MeetingEvent, MilestoneEvent, OrderEvent, PlacementEvent, event_id
from .standards import FlagRules, ReviewSchedule, Standards, Target, load_standards
from .vocabulary import Vocabulary, load_vocabulary


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
    status: str  # met | missed | overdue | pending | not_applicable
    days_over: int | None  # missed: date - target_date; overdue: as_of - target_date


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


FLAG_CSO_AT_HOME = "cso_at_home"
FLAG_MOVES = "moves_in_12_months"
FLAG_NO_PLAN = "no_permanence_recommended"
_PERCENT = 100
_MONTHS_PER_YEAR = 12


def compute_facts(case: Case, *, standards: Standards | None = None) -> Facts:
    """All measures of one case as at its `as_of` (pure: the same case and standards give the same Facts)."""
    std = standards if standards is not None else load_standards()
    vocab = load_vocabulary(case.jurisdiction)
    as_of = case.as_of_date
    born = case.child.date_of_birth
    age_days = max(0, (as_of - born).days)
    happened = _happened(case, as_of)

    la_start, la_event = _looked_after_origin(case, happened)
    la_end = _looked_after_end(case, happened, la_start, as_of)
    days_la = max(0, ((la_end or as_of) - la_start).days) if la_start is not None else 0

    placements = [(n, e) for n, e in main_placements(case) if not e.planned and e.start.mid <= as_of]
    move_list = tuple(
        Move(number=i, date=b.start.mid, from_event=na, to_event=nb)
        for i, ((na, _a), (nb, b)) in enumerate(itertools.pairwise(placements), start=1)
    )
    hearings = sum(1 for _, e in happened if isinstance(e, HearingEvent))

    route = _recommended_route(happened)
    permanence = _legal_permanence(happened, vocab, la_start, route)
    milestones = _milestones(happened, std, as_of, la_start, la_event, la_end, permanence, route)
    reviews = _reviews(case, happened, placements, std.reviews, as_of, la_end)
    flags = _flags(case, happened, move_list, milestones, std.flags, as_of, la_start, days_la)
    return Facts(
        as_of=as_of,
        date_of_birth=born,
        age_days=age_days,
        looked_after_start=la_start,
        looked_after_end=la_end,
        days_looked_after=days_la,
        percent_of_life_looked_after=_percent(days_la, age_days),
        placements=len(placements),
        moves=len(move_list),
        move_list=move_list,
        hearings=hearings,
        legal_permanence=permanence,
        milestones=milestones,
        reviews=reviews,
        reviews_overdue=sum(1 for r in reviews if r.overdue),
        flags=flags,
    )


def _happened(case: Case, as_of: date) -> list[tuple[int, AnyEvent]]:
    """Actual events that began on or before as_of, in file order: the facts are 'as at' as_of."""
    return [(n, e) for n, e in case.numbered() if not e.planned and e.first.mid <= as_of]


def _percent(part: int, whole: int) -> float:
    """part / whole as a percentage, one decimal, halves rounded up; 0.0 for an empty whole; at most 100."""
    if whole <= 0:
        return 0.0
    value = (Decimal(part) * _PERCENT / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return float(min(value, Decimal(_PERCENT)))


def _looked_after_origin(case: Case, happened: list[tuple[int, AnyEvent]]) -> tuple[date | None, int | None]:
    """(date, event) the child became looked after: the explicit milestone, else the first looked-after event."""
    explicit = [(e.first.mid, n) for n, e in happened if isinstance(e, MilestoneEvent) and e.type == "looked_after"]
    if explicit:
        return min(explicit)
    starts = [(e.first.mid, n) for n, e in happened if makes_looked_after(case, e)]
    if starts:
        return min(starts)
    return (None, None)


def _looked_after_end(
    case: Case, happened: list[tuple[int, AnyEvent]], start: date | None, as_of: date
) -> date | None:
    """When looked-after status ended, or None while it continues at as_of (or never began)."""
    if start is None:
        return None
    vocab = load_vocabulary(case.jurisdiction)
    enders = [
        e.first.mid
        for _, e in happened
        if isinstance(e, OrderEvent) and vocab.term("order", e.type).ends_looked_after and e.first.mid >= start
    ]
    if enders:
        return min(enders)
    spans = [e for _, e in happened if makes_looked_after(case, e)]
    ends = [e.last.mid for e in spans if e.last is not None and e.last.mid <= as_of]
    if spans and len(ends) == len(spans):
        return max(start, max(ends))
    return None


def _recommended_route(happened: list[tuple[int, AnyEvent]]) -> str | None:
    """The route of the latest permanence recommendation that names one (the plan in force)."""
    routes = [
        (e.date.mid, n, e.route)
        for n, e in happened
        if isinstance(e, MilestoneEvent) and e.type == "permanence_recommended" and e.route is not None
    ]
    return max(routes)[2] if routes else None


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
) -> tuple[MilestoneFact, ...]:
    """The six PACE steps in order, each measured against its target."""
    dated: dict[str, tuple[date, int]] = {}
    if la_start is not None and la_event is not None:
        dated["looked_after"] = (la_start, la_event)
    for n, e in happened:
        if isinstance(e, MilestoneEvent) and e.type != "looked_after":
            current = dated.get(e.type)
            if current is None or (e.date.mid, n) < current:
                dated[e.type] = (e.date.mid, n)
    settled = (permanence is not None) or (la_end is not None)
    out: list[MilestoneFact] = []
    previous: date | None = None
    for target in std.targets:
        day, event = dated.get(target.milestone, (None, None))
        reference = dated.get(target.after)[0] if target.after in dated else None  # type: ignore[index]
        target_date = reference + timedelta(days=target.days) if (
            reference is not None and target.days is not None) else None
        status, over = _status(day, target_date, as_of, settled=settled,
                               exempt=route is not None and route in target.not_for_routes)
        if status == "not_applicable":
            target_date = None  # nothing to draw or count down to
        out.append(
            MilestoneFact(
                type=target.milestone,
                date=day,
                event=event,
                days_from_looked_after=(day - la_start).days if day is not None and la_start is not None else None,
                days_from_previous=(day - previous).days if day is not None and previous is not None else None,
                target_days=target.days,
                target_date=target_date,
                status=status,
                days_over=over,
            )
        )
        if day is not None:
            previous = day
    return tuple(out)


def _status(
    day: date | None, target_date: date | None, as_of: date, *, settled: bool, exempt: bool
) -> tuple[str, int | None]:
    """(status, days over target) of one step; see the module notes for the order of the rules."""
    if target_date is None or exempt:
        return ("not_applicable", None)
    if day is not None:
        if day <= target_date:
            return ("met", None)
        return ("missed", (day - target_date).days)
    if settled:
        return ("not_applicable", None)
    if as_of > target_date:
        return ("overdue", (as_of - target_date).days)
    return ("pending", None)


def _reviews(
    case: Case,
    happened: list[tuple[int, AnyEvent]],
    placements: list[tuple[int, PlacementEvent]],
    schedule: ReviewSchedule,
    as_of: date,
    la_end: date | None,
) -> tuple[ReviewFact, ...]:
    """Reviews due under each placement away from home, matched in date order to the reviews held in it.

    Each placement restarts the schedule (first review `first_days` after it starts, the second
    `second_days` after the first, then every `later_days`), counting from when the previous review was
    held, or was due if it was not. Reviews held between the placement's start and its end (exclusive)
    belong to it. Nothing falls due after the placement ends or the child stops being looked after; for an
    open placement the next review due after as_of is listed too (not overdue).
    """
    vocab = load_vocabulary(case.jurisdiction)
    held_all = sorted(
        (e.date.mid, n) for n, e in happened if isinstance(e, MeetingEvent) and e.type == "laac_review"
    )
    held_days = [d for d, _ in held_all]  # bisected per placement: a rescan each would be quadratic
    out: list[ReviewFact] = []
    for n, placement in placements:
        if not vocab.term("placement", placement.type).looked_after:
            continue
        start = placement.start.mid
        if la_end is not None and start >= la_end:
            continue
        ended = placement.end.mid if placement.end is not None and placement.end.mid <= as_of else None
        # The reviews held in [start, ended), as index bounds into held_all (not a copy: windows may overlap).
        first_held = bisect_left(held_days, start)
        past_held = bisect_left(held_days, ended) if ended is not None else len(held_days)
        limits = [d for d in (ended, la_end) if d is not None]
        limit = min(limits) if limits else None
        previous = start
        number = 1
        while True:
            gap = (schedule.first_days if number == 1
                   else schedule.second_days if number == 2 else schedule.later_days)
            due = previous + timedelta(days=gap)
            if limit is not None and due > limit:
                break
            at = first_held + number - 1
            held, event = held_all[at] if at < past_held else (None, None)
            late = max(0, ((held if held is not None else as_of) - due).days)
            out.append(ReviewFact(placement_event=n, number=number, due=due, held=held, event=event,
                                  days_late=late, overdue=held is None and due < as_of))
            if held is None and due >= as_of:
                break  # the next review still to come
            previous = held if held is not None else due
            number += 1
    return tuple(out)


def _flags(
    case: Case,
    happened: list[tuple[int, AnyEvent]],
    moves: tuple[Move, ...],
    milestones: tuple[MilestoneFact, ...],
    rules: FlagRules,
    as_of: date,
    la_start: date | None,
    days_la: int,
) -> tuple[Flag, ...]:
    """The three warnings of issue 5, in a fixed order."""
    out: list[Flag] = []
    name = case.child.name

    run = _longest_home_cso(happened, as_of)
    if run is not None and (run[1] - run[0]).days >= rules.home_supervision_days:
        began, until = run
        tense = "has been" if until >= as_of else "was"
        out.append(Flag(
            code=FLAG_CSO_AT_HOME,
            text=(f"{name} {tense} on a compulsory supervision order while living at home for "
                  f"{format_duration((until - began).days)} (from {_day(began)}"
                  f"{'' if until >= as_of else ' to ' + _day(until)}). PACE aim: review the plan for a "
                  f"child on a home supervision order by {_period(rules.home_supervision_days)}."),
            date=began + timedelta(days=rules.home_supervision_days),
        ))

    for i in range(len(moves) - rules.moves_count + 1):
        first = moves[i].date
        if (moves[i + rules.moves_count - 1].date - first).days <= rules.moves_window_days:
            inside = [m for m in moves if first <= m.date <= first + timedelta(days=rules.moves_window_days)]
            out.append(Flag(
                code=FLAG_MOVES,
                text=(f"{len(inside)} placement moves within {_period(rules.moves_window_days)} "
                      f"({_day(inside[0].date)} to {_day(inside[-1].date)}): frequent moves harm a child's "
                      "attachments; look at what would keep the next placement stable."),
                date=moves[i + rules.moves_count - 1].date,
            ))
            break

    recommended = next((m for m in milestones if m.type == "permanence_recommended"), None)
    if la_start is not None and days_la > rules.no_plan_days and (recommended is None or recommended.date is None):
        due = la_start + timedelta(days=rules.no_plan_days)
        out.append(Flag(
            code=FLAG_NO_PLAN,
            text=(f"Looked after for {format_duration(days_la)} with no permanence recommendation. PACE aim: a "
                  f"permanence decision within {_period(rules.no_plan_days)} of becoming looked after "
                  f"(by {_day(due)})."),
            date=due,
        ))
    return tuple(out)


def _longest_home_cso(happened: list[tuple[int, AnyEvent]], as_of: date) -> tuple[date, date] | None:
    """The longest unbroken stretch (start, end) on a CSO while placed at home, up to as_of.

    The stretches are where some CSO and some home placement overlap by at least a day, joined when they
    touch or are a day apart. Those overlaps cover exactly the days where the union of the CSOs meets the
    union of the home placements (leaving out bare touches at one end), so the two unions are intersected
    in one sweep: n log n, where pairing every CSO with every placement was quadratic.
    """
    csos: list[tuple[date, date]] = []
    homes: list[tuple[date, date]] = []
    for _, e in happened:
        if isinstance(e, OrderEvent) and e.type == "cso":
            spans = csos
        elif isinstance(e, PlacementEvent) and e.type == "home":
            spans = homes
        else:
            continue
        began = e.first.mid
        until = min(e.last.mid, as_of) if e.last is not None else as_of
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


def _day(day: date) -> str:
    """'3 Mar 2016', as the chart and tables print full dates."""
    return PartialDate.of(day).display()


def _period(days: int) -> str:
    """A target period in words: '6 months', '12 months', '2 years', '12 weeks'."""
    months = round(days / DAYS_PER_MONTH)
    if days % 7 == 0 and days < DAYS_PER_MONTH * 6 - 1:
        return f"{days // 7} weeks"
    if months >= 2 * _MONTHS_PER_YEAR and months % _MONTHS_PER_YEAR == 0:
        return f"{months // _MONTHS_PER_YEAR} years"
    return f"{months} months"


# ---------------------------------------------------------------- cohort measures (issue 16)
#
# Small public functions the cohort view (timeline/cohort/) reads besides Facts, so that a measure across
# many children is the single-child definition applied to each.


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
    return _recommended_route(_happened(case, as_of if as_of is not None else case.as_of_date))


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


def pace_steps(case: Case, facts: Facts, *, standards: Standards | None = None) -> tuple[Step, ...]:
    """Each PACE step pair of `facts.milestones` (from its `after` milestone), as the cohort counts it."""
    std = standards if standards is not None else load_standards()
    dated = {m.type: m for m in facts.milestones}
    route = recommended_route(case, facts.as_of)
    settled = facts.legal_permanence is not None or facts.looked_after_end is not None
    out: list[Step] = []
    for target in std.targets:
        if target.after is None:
            continue
        begin = dated.get(target.after)
        here = dated.get(target.milestone)
        start = begin.date if begin is not None else None
        end = here.date if here is not None else None
        exempt = route is not None and route in target.not_for_routes
        waiting = start is not None and end is None and not settled and not exempt
        days: int | None = None
        if start is not None and end is not None and not exempt:
            days = (end - start).days
        elif waiting and start is not None:
            days = max(0, (facts.as_of - start).days)
        within = (here.status == "met") if here is not None and here.status in ("met", "missed") else None
        out.append(Step(after=target.after, milestone=target.milestone, start=start, end=end, days=days,
                        waiting=waiting, exempt=exempt, target_days=target.days, within_target=within))
    return tuple(out)


def summary_dict(case: Case, facts: Facts) -> dict[str, object]:
    """The `timeline summary --json` object (docs/summary.md): fixed key order, ISO dates, event ids."""

    def iso(day: date | None) -> str | None:
        return day.isoformat() if day is not None else None

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
    milestones = [
        {
            "type": m.type,
            "date": iso(m.date),
            "days_from_looked_after": m.days_from_looked_after,
            "days_from_previous": m.days_from_previous,
            "target_days": m.target_days,
            "status": m.status,
            "target_date": iso(m.target_date),
            "days_over": m.days_over,
            "event": ident(m.event),
        }
        for m in facts.milestones
    ]
    reviews: dict[str, object] = {
        "overdue": facts.reviews_overdue,
        "held_late": sum(1 for r in facts.reviews if r.held is not None and r.days_late > 0),
        "items": [
            {
                "placement": ident(r.placement_event),
                "number": r.number,
                "due": r.due.isoformat(),
                "held": iso(r.held),
                "event": ident(r.event),
                "days_late": r.days_late,
                "overdue": r.overdue,
            }
            for r in facts.reviews
        ],
    }
    return {
        "child": child,
        "as_of": facts.as_of.isoformat(),
        "looked_after_start": iso(facts.looked_after_start),
        "looked_after_end": iso(facts.looked_after_end),
        "days_looked_after": facts.days_looked_after,
        "percent_of_life_looked_after": facts.percent_of_life_looked_after,
        "placements": facts.placements,
        "moves": facts.moves,
        "hearings": facts.hearings,
        "legal_permanence": permanence,
        "milestones": milestones,
        "reviews": reviews,
        "flags": [{"code": f.code, "text": f.text, "date": iso(f.date)} for f in facts.flags],
    }


def summary_text(case: Case, facts: Facts, *, standards: Standards | None = None) -> str:
    """The plain-text summary a social worker reads before a review (`timeline summary CASE`)."""
    std = standards if standards is not None else load_standards()
    vocab = load_vocabulary(case.jurisdiction)
    born = case.child.date_of_birth
    name = case.child.name
    route = _recommended_route(_happened(case, facts.as_of))
    lines: list[str] = []

    def span(days: int) -> str:
        return f"{format_duration(days)} ({days} day{'' if days == 1 else 's'})"

    ref = f" (ref {case.child.ref})" if case.child.ref else ""
    lines.append(f"Summary for {name}{ref}")
    lines.append(f"Born {_day(born)}; as at {_day(facts.as_of)}, aged {format_age(born, facts.as_of)}")
    lines.append("")

    rows: list[list[str]] = []
    if facts.looked_after_start is None:
        rows.append(["Looked after", f"not looked after on or before {_day(facts.as_of)}"])
    else:
        until = (f"to {_day(facts.looked_after_end)}" if facts.looked_after_end is not None
                 else f"and still looked after at {_day(facts.as_of)}")
        rows.append(["Looked after", f"from {_day(facts.looked_after_start)} (aged "
                     f"{format_age(born, facts.looked_after_start)}) {until}"])
        rows.append(["Time looked after", f"{span(facts.days_looked_after)}, "
                     f"{facts.percent_of_life_looked_after:.1f}% of {name}'s life"])
    rows.append(["Placements", f"{facts.placements} (not counting short breaks), "
                 f"{facts.moves} move{'' if facts.moves == 1 else 's'}"])
    rows.append(["Hearings", f"{facts.hearings} up to {_day(facts.as_of)}"])
    lp = facts.legal_permanence
    if lp is None:
        rows.append(["Legal permanence", "not reached"])
    else:
        what = (vocab.term("order", lp.type).label if lp.type != "final_order"
                else vocab.term("milestone", "final_order").label)
        routed = f" (route: {vocab.routes.get(lp.route, lp.route)})" if lp.route else ""
        after = (f", {span(lp.days_from_looked_after)} after becoming looked after"
                 if lp.days_from_looked_after is not None else "")
        rows.append(["Legal permanence", f"{_day(lp.date)}: {what}{routed}{after}"])
    lines.extend(_table(None, rows))
    lines.append("")

    lines.append(f"Steps to permanence (targets: {std.name})")
    steps: list[list[str]] = []
    for m in facts.milestones:
        target = std.target(m.type)
        if m.target_days is not None and target.after is not None:
            aim = (f"{_period(m.target_days)} ({m.target_days} days) after "
                   f"{vocab.term('milestone', target.after).abbr.lower()}")
        else:
            aim = "no target"
        steps.append([
            vocab.term("milestone", m.type).abbr,
            _day(m.date) if m.date is not None else "-",
            format_age(born, m.date) if m.date is not None else "-",
            format_duration(m.days_from_looked_after) if m.days_from_looked_after is not None else "-",
            format_duration(m.days_from_previous) if m.days_from_previous is not None else "-",
            aim,
            _status_words(m, target, facts, route),
        ])
    lines.extend(_table(["Step", "Date", "Age", "Since looked after", "Since previous", "Target", "Status"],
                        steps))
    lines.append("")

    sched = std.reviews
    lines.append(f"Looked-after reviews (first within {sched.first_days} days of each placement away from "
                 f"home, the next within {sched.second_days} days, then every {sched.later_days} days)")
    if not facts.reviews:
        lines.append("  none due")
    else:
        review_rows = []
        for r in facts.reviews:
            placement = case.events[r.placement_event - 1]
            where = placement.label or vocab.term("placement", placement.type).label
            if r.held is not None:
                state = f"{_days_words(r.days_late)} late" if r.days_late else "on time"
            elif r.overdue:
                state = f"NOT HELD, overdue by {_days_words(r.days_late)}"
            else:
                state = "not yet due"
            review_rows.append([where, str(r.number), _day(r.due), _day(r.held) if r.held else "-", state])
        lines.extend(_table(["Placement", "Review", "Due", "Held", "Status"], review_rows))
        due = sum(1 for r in facts.reviews if r.due <= facts.as_of)
        late = sum(1 for r in facts.reviews if r.held is not None and r.days_late > 0)
        lines.append(f"  {due} due by {_day(facts.as_of)}: {late} held late, {facts.reviews_overdue} not held")
    lines.append("")

    lines.append("Flags")
    if not facts.flags:
        lines.append("  none")
    lines.extend(f"  ! {f.text}" for f in facts.flags)
    return "\n".join(lines) + "\n"


def _status_words(m: MilestoneFact, target: Target, facts: Facts, route: str | None) -> str:
    """A milestone's status as a sentence fragment, including why a step does not apply."""
    if m.status == "met":
        return "met"
    if m.status == "missed" and m.days_over is not None:
        return f"missed by {_days_words(m.days_over)}"
    if m.status == "overdue" and m.target_date is not None and m.days_over is not None:
        return f"OVERDUE by {_days_words(m.days_over)}; was due {_day(m.target_date)}"
    if m.status == "pending" and m.target_date is not None:
        return f"not yet due (due by {_day(m.target_date)})"
    if m.target_days is None:
        return "done (no target)" if m.date is not None else "no target"
    if route is not None and route in target.not_for_routes:
        return f"does not apply to a '{route}' plan"
    reference = next((x for x in facts.milestones if x.type == target.after), None)
    if reference is not None and reference.date is None:
        return f"not measured: no {target.after.replace('_', ' ') if target.after else 'earlier'} date"
    return "no longer applies"


def _days_words(days: int) -> str:
    """'9 days', or '97 days (3 m)' when long enough for months to say more."""
    plural = "" if days == 1 else "s"
    text = format_duration(days)
    return f"{days} day{plural}" + (f" ({text})" if text.endswith(("m", "y")) else "")


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
