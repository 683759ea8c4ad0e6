"""Facts stage (measures): a jurisdiction's named measures of one child, as its standards file lists them.

England's adoption scorecard (A1, A2, A10), the 26 weeks of care proceedings, the case management hearing
by day 12, the permanence plan by the second CLA review and the DfE placement stability measures are each
one `kind` of rule with parameters in `timeline/standards/<jurisdiction>.yaml` (`measures:`), never an
if-chain on the jurisdiction. Where a measure is a step to permanence the facts stage already measures
(A1 is "placed for adoption" after "looked after"), it reads that step's MilestoneFact, so a number is
defined once; the cohort view applies the same single-child figures to each child. Scotland's standards
have no `measures:`, so nothing here runs for a Scottish case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..dates import Days, PartialDate, add_months, days_between, on_or_before
from ..model.case import HearingEvent, PlacementEvent
from ..model.record import counted_reviews, main_placements, placement_at, recommended_route, recorded_dates
from ..model.vocabulary import load_vocabulary
from ..words import (
    between_words,
    date_words,
    due_words,
    duration_words,
    no_plan_words,
    period_words,
    plural,
    target_words,
    times_words,
)

if TYPE_CHECKING:
    from ..model.case import Case
    from .compute import Facts
    from .standards import MeasureSpec, Standards


@dataclass(frozen=True, slots=True)
class MeasureFact:
    """One named measure of one child as at as_of.

    status: met | missed | overdue | pending (target still ahead) | done (no target, dated) | waiting (no
    target, not yet) | not_measured (the record lacks the date it counts from) | not_applicable |
    undetermined (dates with no single day leave both met and missed possible) |
    flag (a stability warning applies) | clear (it does not)."""

    code: str
    label: str
    start: date | None
    end: date | None
    days: int | None  # end - start, or as_of - start while waiting
    target_days: int | None
    target_date: date | None
    status: str
    note: str
    event: int | None  # 1-based file position of the event that dates `end`
    why: str | None = None
    count: int | None = None  # placements_in_year: the placements counted
    target_text: str = ""  # the target in words ("26 weeks", "by day 12", "by review 2"), "" for none
    short: str = ""  # the standards' short name of the measure, else its label


def compute_measures(case: Case, facts: Facts, std: Standards) -> tuple[MeasureFact, ...]:
    """Every measure the standards list, in their order (pure)."""
    return tuple(_RULES[spec.kind](case, facts, std, spec) for spec in std.measures)


def week_of(start: date, day: date) -> int:
    """The week of proceedings `day` falls in, the day of issue being in week 1."""
    return (day - start).days // 7 + 1


def week_words(start: PartialDate, day: PartialDate) -> str:
    """'in week 12' of proceedings issued on `start`; when either date has no single day ("Mar 2016", "2015"),
    the weeks it may be, 'between week 142 and week 194', never the week of two middle days as if known."""
    if not (start.approximate or day.approximate):
        return f"in week {week_of(start.mid, day.mid)}"
    least, most = (max(0, d) // 7 + 1 for d in days_between((start.earliest, start.latest), (day.earliest, day.latest)))
    return f"in week {least}" if least == most else f"between week {least} and week {most}"


def _fact(spec: MeasureSpec, **kw: object) -> MeasureFact:
    return MeasureFact(code=spec.code, label=spec.label, why=spec.why, short=spec.short or spec.label,
                       **kw)  # type: ignore[arg-type]


def _timed(start: date | None, end: date | None, target_days: int | None, as_of: date, *,
           start_span: Days | None = None, end_span: Days | None = None) -> tuple[str, date | None]:
    """(status, target date) of a step from `start` with `target_days`, done at `end` or not yet. When the
    start or the end has no single day (`start_span`, `end_span`: the days each may fall on), met, missed,
    overdue and pending compare those days (`dates.on_or_before`), "undetermined" when both stay possible."""
    if start is None:
        return ("not_measured", None)
    if target_days is None:
        return ("done" if end is not None else "waiting", None)
    wait = timedelta(days=target_days)
    due = start + wait
    aim: Days = (due, due) if start_span is None else (start_span[0] + wait, start_span[1] + wait)
    when: Days = (end_span or (end, end)) if end is not None else (as_of, as_of)
    kept = on_or_before(when, aim)
    if kept is None:
        return ("undetermined", due)
    if end is not None:
        return ("met" if kept else "missed", due)
    return ("pending" if kept else "overdue", due)


def _step(case: Case, facts: Facts, std: Standards, spec: MeasureSpec) -> MeasureFact:
    """A step to permanence the facts already measure (A1, A2, the 26 weeks), with the extension words."""
    code = str(spec.get("milestone"))
    m = next(x for x in facts.milestones if x.type == code)
    target = std.target(code)
    ref = next((x for x in facts.milestones if x.type == target.after), None)
    start = ref.date if ref is not None else None
    if start is None and target.after == "looked_after":
        start = facts.looked_after_start
    vocab = load_vocabulary(case.jurisdiction)
    notes: list[str] = []
    status = m.status
    if start is None:
        status = "not_measured"
        after = vocab.term("milestone", target.after).label.lower() if target.after else "an earlier step"
        notes.append(f"not measured: no date recorded for '{after}'")
    elif status == "not_applicable" and m.date is None:
        if target.unplanned(recommended_route(case, facts.as_of),
                            std.route_evidence({x.type for x in facts.milestones if x.date is not None})):
            status = "not_measured"
            notes.append(no_plan_words(target.only_for_routes))
        else:
            notes.append("no longer applies" if facts.legal_permanence or facts.looked_after_end
                         else "does not apply")
    if target.extended_by is not None and target.days is not None and start is not None:
        base = period_words(target.days)
        if m.extensions:
            ext = target.extension_days or 0
            notes.append(f"extended {times_words(m.extensions)} by up to {period_words(ext)} each: measured "
                         f"against {period_words(target.days + m.extensions * ext)} (was {base})")
        else:
            notes.append(f"no extension recorded: measured against {base}")
        if m.date is None and facts.as_of >= start:
            began = recorded_dates(case, [start], facts.inferred_end_dates)[0]
            notes.append(f"now {week_words(began, PartialDate.of(facts.as_of))}")
    days = (m.date - start).days if m.date is not None and start is not None else (
        (facts.as_of - start).days if start is not None and status in ("pending", "overdue", "undetermined")
        else None)
    return _fact(spec, start=start, end=m.date, days=days, target_days=m.target_days, target_date=m.target_date,
                 status=status, note="; ".join(notes), event=m.event,
                 target_text=period_words(m.target_days) if m.target_days is not None else "")


def _hearing_by(case: Case, facts: Facts, std: Standards, spec: MeasureSpec) -> MeasureFact:
    """The first hearing of a type on or after a step (the CMH by day 12 of proceedings, the IRH ...)."""
    origin = next((x for x in facts.milestones if x.type == spec.get("from")), None)
    start = origin.date if origin is not None else None
    kind_code = str(spec.get("hearing"))
    target_days = spec.get("days")
    found = sorted((e.date.mid, n) for n, e in case.numbered()
                   if isinstance(e, HearingEvent) and e.type == kind_code and not e.planned
                   and e.date.mid <= facts.as_of and (start is None or e.date.mid >= start))
    end, event = found[0] if found and start is not None else (None, None)
    held = case.events[event - 1].first if event is not None else None
    status, due = _timed(start, end, target_days, facts.as_of, start_span=origin.date_window if origin else None,
                         end_span=(held.earliest, held.latest) if held is not None and held.approximate else None)
    until = next((x for x in facts.milestones if x.type == spec.get("until")), None)
    if start is None:
        note = "not measured: the date proceedings were issued is not recorded"
    elif end is not None and held is not None and (held.approximate or (origin is not None
                                                                     and origin.date_window is not None)):
        issued = recorded_dates(case, [start], facts.inferred_end_dates)[0]
        note = (f"held {held.display()}, proceedings issued {issued.display()}: {week_words(issued, held)} of "
                "proceedings (dates with no single day)")
    elif end is not None:
        note = f"day {(end - start).days + 1}, week {week_of(start, end)} of proceedings"
    elif until is not None and until.date is not None:
        status, due = "not_recorded", None  # the proceedings ended: it was held or not, the record is silent
        note = "not recorded (the proceedings have concluded)"
    else:
        note = "not recorded yet"
    return _fact(spec, start=start, end=end, days=(end - start).days if end and start else None,
                 target_days=target_days, target_date=due, status=status, note=note, event=event,
                 target_text=f"by day {target_days + 1}" if target_days is not None else "")


def _adjusted_interval(case: Case, facts: Facts, std: Standards, spec: MeasureSpec) -> MeasureFact:
    """A10: entering care to moving in with the adoptive family, where for a child adopted by their foster
    carers the clock stops when the foster placement with them began (the main placement before the
    adoptive one). No threshold is confirmed for a single child, so none is set."""
    start = facts.looked_after_start if spec.get("from") == "looked_after" else next(
        (x.date for x in facts.milestones if x.type == spec.get("from")), None)
    step = next((x for x in facts.milestones if x.type == spec.get("to")), None)
    end = step.date if step is not None else None
    event = step.event if step is not None else None
    note = ""
    stoppers = tuple(spec.get("stop_at_previous_placement_for") or ())
    placed = case.events[event - 1] if event is not None else None
    if isinstance(placed, PlacementEvent) and placed.type in stoppers and end is not None:

        before = [(n, e) for n, e in main_placements(case)
                  if not e.planned and e.start.mid < end and n != event]
        if before:
            n, e = before[-1]
            end, event = e.start.mid, n
            note = (f"adopted by the foster carers: the clock stops when the foster placement with them began "
                    f"({e.start.display()})")
        else:
            note = "adopted by the foster carers, but no earlier placement with them is recorded: as A1"
    elif end is not None:
        note = "not a foster-carer adoption in the record: the same interval as A1"
    status, _ = _timed(start, end, None, facts.as_of)
    if start is None:
        note = "not measured: no looked-after start"
    return _fact(spec, start=start, end=end, days=(end - start).days if end and start else None,
                 target_days=None, target_date=None, status=status, note=note, event=event)


def _by_review(case: Case, facts: Facts, std: Standards, spec: MeasureSpec) -> MeasureFact:
    """A step due by the Nth looked-after review (the permanence plan by the second CLA review): the Nth
    review recorded after becoming looked after, else the date it was due if the ones before it were on
    time (said so)."""
    number = int(spec.get("review") or 2)
    start = facts.looked_after_start
    step = next((x for x in facts.milestones if x.type == spec.get("milestone")), None)
    end = step.date if step is not None else None
    if start is None:
        return _fact(spec, start=None, end=end, days=None, target_days=None, target_date=None,
                     status="not_measured", note="not measured: no looked-after start", event=None)
    review_code = load_vocabulary(case.jurisdiction).word("review_meeting")
    actual = ((n, e) for n, e in case.numbered() if not e.planned and start <= e.first.mid <= facts.as_of)
    reviews = sorted((e.date.mid, n, e.date) for n, e in counted_reviews(actual, review_code))
    held = [day for day, _, _ in reviews]
    if len(held) >= number:
        due = held[number - 1]
        basis = f"review {number} held {reviews[number - 1][2].display()}"
    else:
        due = start
        for i in range(1, number + 1):
            due = held[i - 1] if i <= len(held) else std.reviews.due_after(due, i)
        # counted from the last review recorded, else the looked-after start: a date with no single day moves it
        counted = reviews[-1][2] if reviews else recorded_dates(case, [start], facts.inferred_end_dates)[0]
        when = date_words(due) if not counted.approximate else due_words(
            due, (due - (counted.mid - counted.earliest), due + (counted.latest - counted.mid)))
        basis = f"review {number} is not recorded: due {when} if the reviews before it were on time"
        if std.reviews.approximate:
            basis += " (approximate: no bank holiday list given)"
    taken = step.date_window if step is not None and end is not None else None
    status = _timed(due, end, 0, facts.as_of, end_span=taken)[0]
    if end is None and step is not None and step.status in ("not_recorded", "not_applicable"):
        status = step.status  # a later step shows it happened, or permanence is reached: never "overdue"
        why = ("the source does not hold it" if step.type in case.records.steps_not_kept
               else "a later step shows a plan was made")
        basis += f"; not recorded ({why})" if status == "not_recorded" else ""
    return _fact(spec, start=start, end=end, days=(end - start).days if end is not None else None,
                 target_days=(due - start).days, target_date=due, status=status, note=basis,
                 event=step.event if step is not None else None, target_text=f"by review {number}")


def _looked_after_now(facts: Facts) -> bool:
    return bool(facts.looked_after_periods) and facts.looked_after_periods[-1].ongoing


def _placements_in_year(case: Case, facts: Facts, std: Standards, spec: MeasureSpec) -> MeasureFact:
    """DfE stability: a child looked after at the as-at date with `count` or more placements in the year to
    it (every main placement running on some day of the window counts; short breaks and temporary
    placements do not)."""

    window = int(spec.get("window_days") or 365)
    count = int(spec.get("count") or 3)
    since = facts.as_of - timedelta(days=window)
    if not _looked_after_now(facts):
        return _fact(spec, start=None, end=None, days=None, target_days=None, target_date=None,
                     status="not_applicable", note="not looked after at the as-at date", event=None)
    inferred = facts.inferred_ends
    seen = 0
    for n, e in main_placements(case):
        if e.planned or e.start.mid > facts.as_of:
            continue
        ends = e.end.mid if e.end is not None else inferred.get(n, facts.as_of)
        if ends >= since:
            seen += 1
    status = "flag" if seen >= count else "clear"
    note = (f"{plural(seen, 'placement')} in the {target_words(window)} to {date_words(facts.as_of)} "
            f"({count} or more counts)")
    return _fact(spec, start=since, end=facts.as_of, days=None, target_days=None, target_date=None,
                 status=status, note=note, event=None, count=seen)


def _long_term_stability(case: Case, facts: Facts, std: Standards, spec: MeasureSpec) -> MeasureFact:
    """DfE stability: a child under `under_age` looked after for `in_care_months` or more, in the same
    placement for `same_placement_months` or more (the current main placement, from its start)."""

    under = int(spec.get("under_age") or 16)
    in_care = int(spec.get("in_care_months") or 30)
    same = int(spec.get("same_placement_months") or 24)
    born = case.child.date_of_birth
    as_of = facts.as_of
    period = facts.looked_after_periods[-1] if facts.looked_after_periods else None

    def na(note: str) -> MeasureFact:
        return _fact(spec, start=None, end=None, days=None, target_days=None, target_date=None,
                     status="not_applicable", note=note, event=None)

    if period is None or not period.ongoing:
        return na("not looked after at the as-at date")
    if add_months(born, under * 12) <= as_of:
        return na(f"aged {under} or over")
    if add_months(period.start, in_care) > as_of:
        since = recorded_dates(case, [period.start], facts.inferred_end_dates)[0]
        length = between_words(since, PartialDate.of(as_of), duration_words((period.start, as_of)))
        return na(f"looked after {length}; the measure counts children looked "
                  f"after {duration_words((period.start, add_months(period.start, in_care)))} or more")
    placement = placement_at(case, as_of)
    if placement is None:
        return na("no placement recorded at the as-at date")
    began = placement.start.mid
    event = next(n for n, e in case.numbered() if e is placement)
    stable = add_months(began, same) <= as_of
    length = between_words(placement.start, PartialDate.of(as_of), duration_words((began, as_of)))
    note = (f"in the same placement for {length} "
            f"({duration_words((began, add_months(began, same)))} or more counts as stable)")
    return _fact(spec, start=began, end=as_of, days=(as_of - began).days, target_days=None, target_date=None,
                 status="met" if stable else "missed", note=note, event=event)


_RULES = {
    "step": _step,
    "hearing_by": _hearing_by,
    "adjusted_interval": _adjusted_interval,
    "by_review": _by_review,
    "placements_in_year": _placements_in_year,
    "long_term_stability": _long_term_stability,
}

STATUS_WORDS: dict[str, str] = {
    "met": "met",
    "missed": "missed",
    "overdue": "OVERDUE",
    "pending": "not yet due",
    "done": "done (no threshold)",
    "waiting": "not yet (no threshold)",
    "not_measured": "not measured",
    "not_applicable": "does not apply",
    "not_recorded": "not recorded",
    "undetermined": "cannot tell (dates with no single day)",
    "flag": "YES",
    "clear": "no",
}


def measure_dict(facts_measure: MeasureFact, ident: object) -> dict[str, object]:
    """One measure as `timeline summary --json` gives it (docs/england-wales.md); `ident` names the event."""
    m = facts_measure
    return {
        "code": m.code,
        "label": m.label,
        "start": m.start.isoformat() if m.start else None,
        "end": m.end.isoformat() if m.end else None,
        "days": m.days,
        "target_days": m.target_days,
        "target_date": m.target_date.isoformat() if m.target_date else None,
        "status": m.status,
        "note": m.note,
        "count": m.count,
        "event": ident,
    }


__all__ = ["STATUS_WORDS", "MeasureFact", "compute_measures", "measure_dict", "period_words", "week_of"]
