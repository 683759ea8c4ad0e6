"""Report stage (prose): the report's sentences and figures in words -- the chronology's rows, the header,
the summary, the key figures, the court summary, the hearing view's paragraph and the notes under a chart.

Every number-to-text rule is `words`'; this module says which words the printed report uses, where.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from .. import words
from ..dates import PartialDate, age_at, format_age
from ..model.case import AnyEvent, Case
from ..model.vocabulary import Term, Vocabulary, load_vocabulary
from .parts import Figure, Header, MilestoneLine, Row, Summary

if TYPE_CHECKING:
    from ..facts.compute import Facts, LegalPermanence, MilestoneFact
    from ..facts.measures import MeasureFact

EN_DASH = "\u2013"


def age_words(born: date, day: date) -> str:
    """The age in words: '4', '10 months', '3 years 4 months' style (used after 'the age of')."""
    return words.age_words(born, day)


def duration_words(days: int) -> str:
    """A duration in words: '3 years 4 months', '5 weeks' (timeline.words, the one wording of durations)."""
    return words.duration_words(days)


def _lower_first(text: str) -> str:
    """'Permanence recommended (LAAC review)' -> 'permanence recommended (LAAC review)'."""
    return text[:1].lower() + text[1:]


def span_words(start: date, end: date) -> str:
    """Calendar time from `start` to `end` in completed months, like an age ('1 year 11 months').

    Used wherever both ends are known, so that 'at 1 year 11 months, N after becoming looked after at 2
    days' never reads as a contradiction (durations in days alone round to the nearest month instead).
    """
    return words.duration_words((start, end))


def _possessive(name: str) -> str:
    return f"{name}'s"


def _date_text(event: AnyEvent, inferred: PartialDate | date | None = None) -> str:
    """The table's dates of an event (`words.span_dates_words`; an inferred end is facts.inferred_ends')."""
    return words.span_dates_words(event.first, event.last, is_span=event.is_span, inferred=inferred)


def _age_text(born: date, when: PartialDate) -> str:
    return words.age_at_words(born, when, short=True)


def _age_span_text(born: date, event: AnyEvent) -> str:
    start = _age_text(born, event.first)
    if event.is_span and event.last is not None:
        return f"{start} {EN_DASH} {_age_text(born, event.last)}"
    return start


def chronology_rows(case: Case, inferred: Mapping[int, PartialDate | date] | None = None) -> tuple[Row, ...]:
    """Every event as a table row, in date order (file order on the same day); numbered by file position.

    `inferred` (facts.inferred_end_dates) marks the ends the record implies but does not give, worded as the
    record gives the date that implies each."""
    from ..model.case import event_id

    vocab = load_vocabulary(case.jurisdiction)
    born = case.child.date_of_birth
    ordered = sorted(case.numbered(), key=lambda item: (item[1].first.mid, item[0]))
    rows = []
    for n, e in ordered:
        rows.append(
            Row(
                number=n,
                event_id=event_id(n, e),
                date=_date_text(e, (inferred or {}).get(n)),
                age=_age_span_text(born, e),
                kind=vocab.kind_labels[e.kind],
                type_name=vocab.term(e.kind, e.type).label,
                label=e.label or "",
                note=e.note or "",
                source=e.source or "",
                planned=e.planned,
            )
        )
    return _with_undated(case, tuple(rows))


def _with_undated(case: Case, rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """The case's undated rows put back where the source chronology had them: after the event they followed
    (`after`), first when they came before every dated row. No date is invented: the date cell says so."""
    if not case.undated:
        return rows
    placed: dict[int | None, list[Row]] = {}
    for entry in case.undated:
        after = entry.after + 1 if entry.after is not None else None  # rows are numbered from 1
        placed.setdefault(after, []).append(Row(number=0, event_id="", date="Date not known", age="",
                                                kind="Not dated", type_name="", label=entry.label,
                                                note=entry.note or "", source=entry.source or "", planned=False))
    out = list(placed.get(None, []))
    for row in rows:
        out.append(row)
        out.extend(placed.get(row.number, []))
    return tuple(out)


def header_for(case: Case) -> Header:
    """The header line: name, reference, date of birth, as-at date and age then."""
    born = case.child.date_of_birth
    as_of = case.as_of_date
    return Header(
        name=case.child.name,
        ref=case.child.ref,
        date_of_birth=PartialDate.of(born).display(),
        as_of=PartialDate.of(as_of).display(),
        age=format_age(born, as_of),
    )


# ----------------------------------------------------------------------------------------------- facts


_STATUS_WORDS = {
    "met": "Met",
    "missed": "Missed",
    "overdue": "Overdue",
    "pending": "Not yet due",
    "not_applicable": "Not applicable",
    "not_recorded": "Not recorded (a later step shows it happened)",
    "undetermined": "Cannot tell",
}


def _notes(case: Case, facts: Facts) -> tuple[str, ...]:
    """Points to note beside the flags: what the record does not say, and an as-at date that looks wrong."""
    from ..facts.compute import NO_REVIEWS_RECORDED, gaps_words

    out = [f"Check the as-at date: {w}{'' if w.endswith('?') else '.'}" for w in facts.as_of_warnings]
    if facts.reviews_record == "none" and facts.looked_after_start is not None:
        out.append(NO_REVIEWS_RECORDED)
    elif facts.reviews_record == "partial":
        text = (f"{words.plural(facts.reviews_recorded, 'looked-after review')} recorded; the record of reviews "
                "is not declared complete, so no review is counted as missed.")
        if facts.review_gaps:
            longest = max(facts.review_gaps, key=lambda g: (g.days, -g.start.toordinal()))
            more = (f" (the longest of {len(facts.review_gaps)} gaps longer than the schedule allows)"
                    if len(facts.review_gaps) > 1 else " (longer than the schedule allows)")
            text += f" No review recorded {gaps_words(case, facts, (longest,))[0][0]}{more}."
        out.append(text)
    if facts.review_dates_approximate and facts.reviews:
        out.append(APPROXIMATE_REVIEWS)
    return tuple(out)


def _due(m: MilestoneFact) -> str:
    """'by 31 Dec 2010', or, counted from a date with no single day, 'due between Jul 2010 and Jul 2011'."""
    assert m.target_date is not None
    if m.due_window is None:
        return f"by {PartialDate.of(m.target_date).display()}"
    return f"due {words.due_words(m.target_date, m.due_window)}"


def _milestone_line(case: Case, m: MilestoneFact) -> MilestoneLine:
    vocab = load_vocabulary(case.jurisdiction)
    name = vocab.term("milestone", m.type).label if m.type in vocab.terms["milestone"] else str(m.type)
    if m.date:
        when = words.when_words([e.first for e in case.events], m.event, m.date)
    else:  # a later step shows it happened, or the source does not hold it: the record is silent, not "not yet"
        when = "not recorded" if m.implied or m.status == "not_recorded" else "not yet"
    if m.target_days is not None and m.target_date is not None:
        target = f"{words.target_words(m.target_days)} ({_due(m)})"
    elif m.target_days is not None:
        target = words.target_words(m.target_days)  # as the standards state it: "12 weeks", "6 months"
    else:
        target = EN_DASH
    status = _STATUS_WORDS.get(m.status, str(m.status))
    if m.status == "not_applicable" and m.date is not None:
        status = "Done (no target)"
    if m.extensions and m.target_days is not None and m.target_date is not None:
        from ..facts.measures import period_words

        times = words.times_words(m.extensions)
        target = f"{period_words(m.target_days)} ({_due(m)}; extended {times})"
    if m.status in ("missed", "overdue") and m.days_over:
        status += f" by {words.over_words(m.days_over, m.days_over_range, duration_words(m.days_over))}"
    if m.status == "undetermined":  # the dates leave both possible: said, never met or missed
        recorded = when if m.date_window is not None else None
        status = words.cannot_tell_words(recorded, m.target_days or 0, "", waiting=m.date is None, short=True)
        status = status[:1].upper() + status[1:]
    return MilestoneLine(name=name, date=when, target=target, status=status, status_class=str(m.status))


APPROXIMATE_REVIEWS = ("Review due dates count working days Monday to Friday without bank holidays, so they are "
                       "approximate (give a holiday list in the standards file).")
PERMANENCE_BEFORE_PERIOD = "granted before the current period of being looked after began"


def permanence_before_period(facts: Facts) -> bool:
    """Whether legal permanence is dated before the looked-after start the facts count from.

    It happens when a child re-enters care after an earlier order (or the order predates the recorded
    start); a span from the later start to the earlier order would read '185 weeks before birth'.
    """
    lp = facts.legal_permanence
    return (lp is not None and facts.looked_after_start is not None
            and lp.date < facts.looked_after_start)


def permanence_term(case: Case, lp: LegalPermanence) -> Term:
    """The vocabulary term of what gave legal permanence: an order, or the final-order milestone (never
    its bare code in the report)."""
    vocab = load_vocabulary(case.jurisdiction)
    kind = "order" if lp.type in vocab.terms["order"] else "milestone"
    return vocab.term(kind, lp.type)


def _permanence_text(case: Case, facts: Facts, *, short: bool = False) -> str:
    """Time to legal permanence in words; `short` names the order by its abbreviation (POA, not Permanence
    Order with authority to adopt) so the key figures box on page 1 keeps one line per figure and its
    height, reserved for the header when the chart is fitted to the page, holds."""
    from ..facts.compute import looked_after_dates

    lp = facts.legal_permanence
    since = looked_after_dates(case, facts)[0]
    if lp is not None:
        term = permanence_term(case, lp)
        order = term.abbr if short else term.label
        made = case.events[lp.event - 1].first
        when = made.display()
        if permanence_before_period(facts):
            if short:
                return f"{order}, {when} (before this period in care)"
            return f"{order}, {when}: {PERMANENCE_BEFORE_PERIOD}"
        if lp.days_from_looked_after is not None and since is not None:
            return f"{words.between_words(since, made, span_words(since.mid, lp.date))} ({order}, {when})"
        return f"{order}, {when}"
    if since is not None and facts.looked_after_end is None:
        waited = words.between_words(since, PartialDate.of(facts.as_of), span_words(since.mid, facts.as_of))
        return f"Not yet reached: {waited} so far"
    return "Not reached"


def looked_after_words(facts: Facts) -> str:
    """Time looked after in words: calendar months for one unbroken period, else the day count rounded; 'about'
    or 'between' when a period begins or ends on a date with no single day (facts.looked_after_time_words)."""
    from ..facts.compute import looked_after_time_words

    return looked_after_time_words(facts.looked_after_span, facts.looked_after_days_range)


def _share(facts: Facts) -> str:
    """The share of life looked after, '83%' (never rounded up to 100%)."""
    return words.percent_words(facts.days_looked_after, facts.age_days)


def summary_for(case: Case, facts: Facts) -> Summary:
    """The summary box in words from the facts stage."""
    born = case.child.date_of_birth
    figures: list[Figure] = []
    if facts.looked_after_start is not None:
        from ..facts.compute import looked_after_dates, looked_after_since

        began = looked_after_dates(case, facts)[0]
        age = words.age_at_words(born, began, short=True) if began is not None else "-"
        figures.append(Figure("Looked after since", f"{looked_after_since(case, facts)} (age {age})"))
    figures.append(
        Figure(
            "Time looked after",
            f"{looked_after_words(facts)} ({_share(facts)} of life)",
        )
    )
    figures.append(Figure("Placements", str(facts.placements)))
    figures.append(Figure("Moves between placements", str(facts.moves)))
    figures.append(Figure("Hearings", str(facts.hearings)))
    figures.append(Figure("Time to legal permanence", _permanence_text(case, facts)))
    if facts.reviews:
        figures.append(Figure("Reviews overdue", str(facts.reviews_overdue)))
    milestones = tuple(_milestone_line(case, m) for m in facts.milestones)
    flags = tuple(str(f.text) for f in facts.flags) + _notes(case, facts)
    return Summary(figures=tuple(figures), milestones=milestones, flags=flags)


def key_figures_for(case: Case, facts: Facts) -> tuple[Figure, ...]:
    """The few figures printed top right of page 1."""
    return (
        Figure(
            "Looked after",
            f"{looked_after_words(facts)}, {_share(facts)} of life",
        ),
        Figure("Moves", str(facts.moves)),
        Figure("Legal permanence", _permanence_text(case, facts, short=True)),
    )


def court_summary(case: Case, facts: Facts) -> tuple[Figure, ...]:
    """What a family court needs on one page (the hearing view where the jurisdiction's words give a
    `court_summary_title`): the child's age, proceedings and their week against the target, the orders in
    force, placements, reviews, the permanence plan and the jurisdiction's named measures, each from the
    facts (never worked out again here). The child's name, date of birth and age head the page."""
    vocab = load_vocabulary(case.jurisdiction)
    if "court_summary_title" not in vocab.words:
        return ()
    steps = {m.type: m for m in facts.milestones}
    measures = _court_measures(case, facts, vocab)
    return (*_proceedings_figures(case, facts, vocab, steps), _orders_in_force(case, facts, vocab),
            _placements_figure(case, facts, vocab), _reviews_figure(facts, vocab),
            _plan_figure(case, facts, vocab, steps), *measures)


def _proceedings_figures(case: Case, facts: Facts, vocab: Vocabulary, steps: dict[str, MilestoneFact]
                         ) -> list[Figure]:
    """The court proceedings measure in words: issued, the week it is in (or ended in), its target; dates as
    the record gives them, weeks between dates with no single day as the least and most (`week_words`)."""
    from ..facts.compute import measure_due_words, recorded_dates
    from ..facts.measures import STATUS_WORDS, week_words

    out: list[Figure] = []
    for m in facts.measures:
        if m.code != vocab.words.get("court_proceedings_measure"):
            continue
        issued = steps.get("proceedings_issued")
        if m.start is None or issued is None or issued.date is None:
            out.append(Figure("Proceedings", "the date proceedings were issued is not recorded"))
            continue
        due = measure_due_words(case, facts, m) if m.target_date else ""
        target = f"target {m.target_text}" + (f" ({'to ' + due[3:] if due.startswith('by ') else due})"
                                              if due else "")
        issued_on = recorded_dates(case, [m.start], facts.inferred_end_dates)[0]
        if m.end is not None:
            ended = recorded_dates(case, [m.end], facts.inferred_end_dates)[0]
            now = f"concluded {ended.display()}, {week_words(issued_on, ended)}"
        else:
            now = f"now {week_words(issued_on, PartialDate.of(facts.as_of))}"
        extra = f"; {m.note.split(':')[0]}" if "extended" in m.note else ""
        out.append(Figure("Proceedings", f"issued {issued_on.display()}; {now}; {target}: "
                                         f"{STATUS_WORDS.get(m.status, m.status)}{extra}"))
    return out


def _orders_in_force(case: Case, facts: Facts, vocab: Vocabulary) -> Figure:
    """The orders that started by the as-at date and have not ended (an inferred end counts)."""
    running = []
    for n, e in case.numbered():
        if e.kind != "order" or e.planned or e.first.mid > facts.as_of:
            continue
        end = e.last.mid if e.last is not None else facts.inferred_ends.get(n)
        if end is None or end > facts.as_of:
            term = vocab.term("order", e.type)
            running.append(f"{term.label} (from {e.first.display()})")
    return Figure("Orders in force", "; ".join(running) if running else "none recorded")


def _placements_figure(case: Case, facts: Facts, vocab: Vocabulary) -> Figure:
    """How many placements and moves, and where the child is now."""
    from ..facts.compute import placement_at

    now_placed = placement_at(case, facts.as_of)
    where = (f"; now {now_placed.label or vocab.term('placement', now_placed.type).label} since "
             f"{now_placed.start.display()}" if now_placed is not None else "")
    placed = f"{words.plural(facts.placements, 'placement')}, {words.plural(facts.moves, 'move')}"
    return Figure("Placements", f"{placed}{where}")


def _reviews_figure(facts: Facts, vocab: Vocabulary) -> Figure:
    """Reviews held, late and overdue, and the next one due (approximate without a bank holiday list)."""
    title = vocab.words.get("reviews_title", "Looked-after reviews")
    if not facts.reviews:
        return Figure(title, f"{words.plural(facts.reviews_recorded, 'review')} recorded")
    held = sum(1 for r in facts.reviews if r.held is not None)
    late = sum(1 for r in facts.reviews if r.held is not None and r.days_late > 0)
    upcoming = next((r for r in facts.reviews if r.held is None and not r.overdue), None)
    text = f"{held} held ({late} late), {facts.reviews_overdue} overdue"
    if upcoming is not None:
        text += f"; next due {words.due_words(upcoming.due, upcoming.due_window)}"
    if facts.review_dates_approximate:
        text += " (due dates approximate: no bank holiday list)"
    return Figure(title, text)


def _plan_figure(case: Case, facts: Facts, vocab: Vocabulary, steps: dict[str, MilestoneFact]) -> Figure:
    """The permanence route and the date it was agreed, or that it is not recorded."""
    from ..facts.compute import recommended_route

    route = recommended_route(case, facts.as_of)
    plan = steps.get("permanence_recommended")
    if plan is None or plan.date is None:
        return Figure("Permanence plan", "not recorded")
    agreed = words.when_words([e.first for e in case.events], plan.event, plan.date)
    return Figure("Permanence plan", f"{vocab.routes.get(route or '', route or 'route not recorded')}, "
                                     f"agreed {agreed}")


def _court_measures(case: Case, facts: Facts, vocab: Vocabulary) -> tuple[Figure, ...]:
    """The jurisdiction's other named measures that have a status worth a court's eye, in one line; a count
    of days only where both its dates are known days (the summary's table gives the least and most)."""
    from ..facts.compute import recorded_dates
    from ..facts.measures import STATUS_WORDS

    def known(m: MeasureFact) -> bool:
        days = [d for d in (m.start, m.end) if d is not None]
        return not any(d.approximate for d in recorded_dates(case, days, facts.inferred_end_dates))

    shown = [m for m in facts.measures if m.code != vocab.words.get("court_proceedings_measure")
             and m.status in ("met", "missed", "overdue", "pending", "flag", "undetermined")]
    if not shown:
        return ()
    parts = [f"{m.short} {STATUS_WORDS.get(m.status, m.status)}"
             + (f" ({m.days} d)" if m.days is not None and m.count is None and known(m) else "")
             for m in shown]
    return (Figure("Measures", "; ".join(parts)),)


def hearing_paragraph(case: Case, facts: Facts) -> str:
    """A short paragraph in plain words from the facts, for panel members who read rather than decode charts."""
    name = case.child.name
    born = case.child.date_of_birth
    as_of = case.as_of_date
    years, _ = age_at(born, as_of)
    age = str(years) if years >= 2 else f"{age_words(born, as_of)} old"
    parts = [f"{name} is {age}."]
    share = f"{_share(facts)} of {_possessive(name)} life"
    span = looked_after_words(facts)
    from ..facts.compute import looked_after_dates

    since, until = looked_after_dates(case, facts)  # as recorded: an age at a date with no day is "about"
    if since is None:
        parts.append(f"{name} has not been looked after.")
    elif until is None:
        parts.append(
            f"{name} has been looked after since the age of {words.age_at_words(born, since)}: "
            f"{span}, {share}."
        )
    else:
        parts.append(
            f"{name} was looked after from the age of {words.age_at_words(born, since)} "
            f"to {words.age_at_words(born, until)}: {span}, {share}."
        )
    places = words.plural(facts.placements, "place")
    moves = words.plural(facts.moves, "move")
    parts.append(f"{name} has lived in {places} and has had {moves} between them.")
    if facts.hearings:
        been = "has" if facts.hearings == 1 else "have"
        parts.append(f"There {been} been {words.plural(facts.hearings, 'hearing')}.")
    lp = facts.legal_permanence
    if lp is not None:
        term = permanence_term(case, lp)
        ordered = lp.type in load_vocabulary(case.jurisdiction).terms["order"]
        # an order: "An Adoption Order was made"; the milestone: "Final order granted"
        made = f"{words.a_or_an(term.label).capitalize()} {term.label} was made" if ordered else term.label
        when = case.events[lp.event - 1].first
        text = f"{made} when {name} was {words.age_at_words(born, when)}"
        if permanence_before_period(facts):
            text += f", {PERMANENCE_BEFORE_PERIOD}"
        elif lp.days_from_looked_after is not None and since is not None:
            text += (f", {words.between_words(since, when, span_words(since.mid, lp.date))} after {name} became "
                     "looked after")
        parts.append(text + ".")
    elif since is not None and until is None:
        waited = words.between_words(since, PartialDate.of(as_of), span_words(since.mid, as_of))
        parts.append(f"{name} has waited {waited} so far for a permanent legal decision.")
    if facts.reviews_record == "none" and facts.looked_after_start is not None:
        from ..facts.compute import NO_REVIEWS_RECORDED

        parts.append(NO_REVIEWS_RECORDED)  # not recorded is not "not held"
    late = _steps_named(case, facts, ("missed", "overdue"))
    if late:
        parts.append(f"Later than the target: {late}.")
    unknown = _steps_named(case, facts, ("undetermined",))
    if unknown:  # dates with no single day that straddle the target: neither on time nor late
        parts.append(f"Whether on time cannot be told from the dates recorded: {unknown}.")
    return " ".join(parts)



def _steps_named(case: Case, facts: Facts, statuses: tuple[str, ...]) -> str:
    """The steps with one of `statuses`, named in lower case and joined by commas ('' for none)."""
    vocab = load_vocabulary(case.jurisdiction)
    return ", ".join(_lower_first(vocab.term("milestone", m.type).label) for m in facts.milestones
                     if m.status in statuses and m.type in vocab.terms["milestone"])


def left_out_sentence(words: str) -> str:
    """The note under a one-page chart that says what it leaves out and where to find it."""
    return f"Left out to fit one page: {words}. The full report lists every event."


def scaled_note(width: str, *, view: str) -> str:
    """The note under a chart drawn smaller than full size to fit its page."""
    where = "the full report" if view == "hearing" else "the chronology below"
    return (f"The chart is drawn at {width} of full size to fit the page, so its text prints smaller than "
            f"9 pt; {where} lists every event.")


def report_title(case: Case, view: str) -> str:
    """'Timeline: Amy'; the hearing view, where the jurisdiction's words name one, 'Summary for the family
    court: Maisie'."""
    named = load_vocabulary(case.jurisdiction).words.get("court_summary_title")
    return f"{named}: {case.child.name}" if view == "hearing" and named else f"Timeline: {case.child.name}"
