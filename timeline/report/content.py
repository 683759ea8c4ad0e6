"""Render stage (report): the printable report's content -- header, chart, summary, chronology -- as HTML.

One HTML string serves two renderers: the PDF renderer hands it to WeasyPrint (fonts as package file URLs
its fetcher allows), the HTML renderer writes it as one self-contained file (fonts as data: URIs). The
views of issue 6 are chosen here too: `full` (the report), `hearing` (one plain-language page for a
Children's Hearing) and `training` (an anonymised copy with a banner on every page).

All user text reaches the page through Jinja2 autoescaping; the only markup passed through unescaped is the
package's own stylesheet and the chart's SVG, which is checked for anything that could fetch or run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import yaml

from .. import words
from ..chart.prepare import facts_for, shown_case
from ..dates import PartialDate, age_at, format_age
from ..model.case import AnyEvent, Case
from ..model.vocabulary import Term, Vocabulary, load_vocabulary
from ..options import RenderOptions

if TYPE_CHECKING:
    from ..facts.compute import Facts, LegalPermanence, MilestoneFact
    from ..scene.items import Scene

Target = Literal["html", "pdf"]
LANG = "en-GB"
TEMPLATE = "report.html.j2"
STYLESHEET = "report.css"
RESEARCH = "research.yaml"
TRAINING_BANNER = "Case example - fictionalised"
HEARING_PAGE = "A4"  # the hearing view is always one A4 landscape page
EN_DASH = "\u2013"
FONT_MIME = "font/ttf"
BASE_COLUMNS = 5  # date, age, kind, type, label; note and source are added when any event has one


class ReportError(Exception):
    """The report cannot be built (for example a view whose helper module is missing); plain message."""


# ----------------------------------------------------------------------------------------------- resources


def templates_dir() -> Path:
    """The folder of templates: `timeline/templates` in an installed wheel, `../templates` in a source tree.

    The wheel force-includes the top-level `templates/` folder as `timeline/templates`; an editable install
    runs from the source tree, where it sits beside the package.
    """
    packaged = Path(str(resources.files("timeline").joinpath("templates")))
    if (packaged / TEMPLATE).is_file():
        return packaged
    source = Path(__file__).resolve().parents[2] / "templates"
    if (source / TEMPLATE).is_file():
        return source
    raise ReportError("the report templates are missing from this installation; reinstall child-timeline")


@cache
def _research(jurisdiction: str = "scotland") -> tuple[ResearchItem, ...]:
    """The research context of the case's jurisdiction (its vocabulary's `research` word names the file)."""
    file = load_vocabulary(jurisdiction).words.get("research", RESEARCH)
    raw = yaml.safe_load((templates_dir() / file).read_text(encoding="utf-8"))
    source = str(raw["source"])
    return tuple(ResearchItem(text=str(t), source=source) for t in raw["figures"])


# ----------------------------------------------------------------------------------------------- the context


@dataclass(frozen=True, slots=True)
class Header:
    """Who and when, printed at the top of page 1."""

    name: str
    ref: str | None
    date_of_birth: str
    as_of: str
    age: str


@dataclass(frozen=True, slots=True)
class Figure:
    """One labelled value of the summary (value already in words)."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class MilestoneLine:
    """One milestone to permanence with its status against the target."""

    name: str
    date: str
    target: str
    status: str
    status_class: str


@dataclass(frozen=True, slots=True)
class Summary:
    """The summary box: key figures, milestones and flags in words, all from the facts stage."""

    figures: tuple[Figure, ...]
    milestones: tuple[MilestoneLine, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ResearchItem:
    """A research figure shown for context, never as a fact about the child."""

    text: str
    source: str


@dataclass(frozen=True, slots=True)
class Row:
    """One chronology table row (one event), every value already formatted."""

    number: int
    event_id: str
    date: str
    age: str
    kind: str
    type_name: str
    label: str
    note: str
    source: str
    planned: bool


@dataclass(frozen=True, slots=True)
class Drawing:
    """One drawing of the report: its scene (the renderer writes it: inline SVG, or an image for the PDF),
    its alt text, its width and the prefix of its ids."""

    scene: Scene
    alt: str
    width: str | None  # a CSS percentage when drawn smaller than full size to fit its page, else None
    prefix: str  # starts the ids of its title, desc and patterns when inlined ("key-2-title")


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the template needs; user text in it is plain text (the template escapes it)."""

    lang: str
    title: str
    view: str
    page: str
    page_class: str
    marking: str | None
    banner: str | None
    header: Header
    key_figures: tuple[Figure, ...]
    chart: Drawing | None  # None on the hearing view's measuring pass
    keys: tuple[Drawing, ...]  # the legend and numbered key, page-sized, when they left the chart
    chart_note: str | None  # says so when the chart is drawn smaller than full size to fit its page
    summary: Summary
    show_summary: bool
    research: tuple[ResearchItem, ...]
    paragraph: str | None
    show_table: bool
    rows: tuple[Row, ...]
    show_notes: bool  # the Note column, left out when no event has a note (e.g. an anonymised case)
    show_sources: bool
    columns: int
    tight: bool  # kept for callers of the earlier API; the hearing view no longer drops its key
    left_out: str | None  # hearing view: what gave way so that chart, key and words fit one page
    measuring: bool  # a measuring pass: page 1 without its chart, to find the chart's room
    court: tuple[Figure, ...] = ()  # hearing view, where the jurisdiction's words name a court summary
    court_title: str | None = None


# ----------------------------------------------------------------------------------------------- formatting


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


def _date_text(event: AnyEvent, inferred: date | None = None) -> str:
    """The table's dates of an event (`words.span_dates_words`; an inferred end is facts.inferred_ends')."""
    return words.span_dates_words(event.first, event.last, is_span=event.is_span, inferred=inferred)


def _age_text(born: date, when: PartialDate) -> str:
    text = format_age(born, when.mid)
    return f"c. {text}" if when.approximate else text


def _age_span_text(born: date, event: AnyEvent) -> str:
    start = _age_text(born, event.first)
    if event.is_span and event.last is not None:
        return f"{start} {EN_DASH} {_age_text(born, event.last)}"
    return start


def chronology_rows(case: Case, inferred: dict[int, date] | None = None) -> tuple[Row, ...]:
    """Every event as a table row, in date order (file order on the same day); numbered by file position.

    `inferred` (facts.inferred_ends) marks the ends the record implies but does not give."""
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
}


def _notes(facts: Facts) -> tuple[str, ...]:
    """Points to note beside the flags: what the record does not say, and an as-at date that looks wrong."""
    from ..facts.compute import NO_REVIEWS_RECORDED

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
            text += (f" No review recorded between {words.date_words(longest.start)} and "
                     f"{words.date_words(longest.end)}{more}.")
        out.append(text)
    if facts.review_dates_approximate and facts.reviews:
        out.append(APPROXIMATE_REVIEWS)
    return tuple(out)


def _milestone_line(case: Case, m: MilestoneFact) -> MilestoneLine:
    vocab = load_vocabulary(case.jurisdiction)
    name = vocab.term("milestone", m.type).label if m.type in vocab.terms["milestone"] else str(m.type)
    when = words.when_words([e.first for e in case.events], m.event, m.date) if m.date else "not yet"
    if m.target_days is not None and m.target_date is not None:
        target = f"{words.target_words(m.target_days)} (by {PartialDate.of(m.target_date).display()})"
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
        target = f"{period_words(m.target_days)} (by {PartialDate.of(m.target_date).display()}; extended {times})"
    if m.status in ("missed", "overdue") and m.days_over:
        status += f" by {duration_words(m.days_over)}"
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
    lp = facts.legal_permanence
    if lp is not None:
        term = permanence_term(case, lp)
        order = term.abbr if short else term.label
        when = words.when_words([e.first for e in case.events], lp.event, lp.date)
        if permanence_before_period(facts):
            if short:
                return f"{order}, {when} (before this period in care)"
            return f"{order}, {when}: {PERMANENCE_BEFORE_PERIOD}"
        if lp.days_from_looked_after is not None and facts.looked_after_start is not None:
            return f"{span_words(facts.looked_after_start, lp.date)} ({order}, {when})"
        return f"{order}, {when}"
    if facts.looked_after_start is not None and facts.looked_after_end is None:
        return f"Not yet reached: {span_words(facts.looked_after_start, facts.as_of)} so far"
    return "Not reached"


def looked_after_words(facts: Facts) -> str:
    """Time looked after in words: calendar months for one unbroken period, else the day count rounded."""
    return words.duration_words(facts.looked_after_span)


def _share(facts: Facts) -> str:
    """The share of life looked after, '83%' (never rounded up to 100%)."""
    return words.percent_words(facts.days_looked_after, facts.age_days)


def summary_for(case: Case, facts: Facts) -> Summary:
    """The summary box in words from the facts stage."""
    born = case.child.date_of_birth
    figures: list[Figure] = []
    if facts.looked_after_start is not None:
        from ..facts.compute import looked_after_since

        since = looked_after_since(case, facts)
        figures.append(Figure("Looked after since", f"{since} (age {format_age(born, facts.looked_after_start)})"))
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
    flags = tuple(str(f.text) for f in facts.flags) + _notes(facts)
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
    measures = _court_measures(facts, vocab)
    return (*_proceedings_figures(facts, vocab, steps), _orders_in_force(case, facts, vocab),
            _placements_figure(case, facts, vocab), _reviews_figure(facts, vocab),
            _plan_figure(case, facts, vocab, steps), *measures)


def _proceedings_figures(facts: Facts, vocab: Vocabulary, steps: dict[str, MilestoneFact]) -> list[Figure]:
    """The court proceedings measure in words: issued, the week it is in (or ended in), its target."""
    from ..facts.measures import STATUS_WORDS, week_of

    out: list[Figure] = []
    for m in facts.measures:
        if m.code != vocab.words.get("court_proceedings_measure"):
            continue
        issued = steps.get("proceedings_issued")
        if m.start is None or issued is None or issued.date is None:
            out.append(Figure("Proceedings", "the date proceedings were issued is not recorded"))
            continue
        target = f"target {m.target_text}" + (f" (to {words.date_words(m.target_date)})" if m.target_date else "")
        if m.end is not None:
            now = f"concluded {words.date_words(m.end)}, in week {week_of(m.start, m.end)}"
        else:
            now = f"now in week {week_of(m.start, facts.as_of)}"
        extra = f"; {m.note.split(':')[0]}" if "extended" in m.note else ""
        out.append(Figure("Proceedings", f"issued {words.date_words(m.start)}; {now}; {target}: "
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
        text += f"; next due {words.date_words(upcoming.due)}"
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
    return Figure("Permanence plan", f"{vocab.routes.get(route or '', route or 'route not recorded')}, "
                                     f"agreed {words.date_words(plan.date)}")


def _court_measures(facts: Facts, vocab: Vocabulary) -> tuple[Figure, ...]:
    """The jurisdiction's other named measures that have a status worth a court's eye, in one line."""
    from ..facts.measures import STATUS_WORDS

    shown = [m for m in facts.measures if m.code != vocab.words.get("court_proceedings_measure")
             and m.status in ("met", "missed", "overdue", "pending", "flag")]
    if not shown:
        return ()
    parts = [f"{m.short} {STATUS_WORDS.get(m.status, m.status)}"
             + (f" ({m.days} d)" if m.days is not None and m.count is None else "")
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
    if facts.looked_after_start is None:
        parts.append(f"{name} has not been looked after.")
    elif facts.looked_after_end is None:
        parts.append(
            f"{name} has been looked after since the age of {age_words(born, facts.looked_after_start)}: "
            f"{span}, {share}."
        )
    else:
        parts.append(
            f"{name} was looked after from the age of {age_words(born, facts.looked_after_start)} "
            f"to {age_words(born, facts.looked_after_end)}: {span}, {share}."
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
        text = f"{made} when {name} was {age_words(born, lp.date)}"
        if permanence_before_period(facts):
            text += f", {PERMANENCE_BEFORE_PERIOD}"
        elif lp.days_from_looked_after is not None and facts.looked_after_start is not None:
            text += f", {span_words(facts.looked_after_start, lp.date)} after {name} became looked after"
        parts.append(text + ".")
    elif facts.looked_after_start is not None and facts.looked_after_end is None:
        waited = span_words(facts.looked_after_start, as_of)
        parts.append(f"{name} has waited {waited} so far for a permanent legal decision.")
    if facts.reviews_record == "none" and facts.looked_after_start is not None:
        from ..facts.compute import NO_REVIEWS_RECORDED

        parts.append(NO_REVIEWS_RECORDED)  # not recorded is not "not held"
    late = [m for m in facts.milestones if m.status in ("missed", "overdue")]
    if late:
        vocab = load_vocabulary(case.jurisdiction)
        names = [_lower_first(vocab.term("milestone", m.type).label) for m in late
                 if m.type in vocab.terms["milestone"]]
        if names:
            parts.append(f"Later than the target: {', '.join(names)}.")
    return " ".join(parts)


# ----------------------------------------------------------------------------------------------- chart


def chart_budget(options: RenderOptions) -> float:
    """The chart's room on page 1 (px at the page's printable width, so 12 px text prints at 9 pt).

    What else page 1 must hold is reserved by view: the header always, the training banner, and in the
    hearing view the "in words" paragraph beneath the chart (that view is one page).
    """
    from ..scene.theme import HEARING_WORDS_MM, REPORT_HEADER_MM, TRAINING_BANNER_MM, chart_budget_px

    reserve = REPORT_HEADER_MM
    if options.view == "training":
        reserve += TRAINING_BANNER_MM
    if options.view == "hearing":
        reserve += HEARING_WORDS_MM
    return chart_budget_px(options.page, reserve_mm=reserve)


@dataclass(frozen=True, slots=True)
class Charts:
    """The report's drawings as scenes: the chart, the legend-and-key pages after it, and how it fits."""

    chart: Scene
    keys: tuple[Scene, ...]
    room: float  # px the chart may take on page 1; a taller chart is drawn smaller (`Drawing.width`)
    left_out: str | None = None  # hearing view: what gave way, in words


def one_page_chart(case: Case, *, options: RenderOptions, room: float | None = None,
                   facts: Facts | None = None) -> Charts:
    """The hearing view's chart: one scene holding the chart, its legend and the key to every number in it,
    no taller than `room` px (the PDF renderer measures it; else `chart_budget`).

    Unlike the full report the key never leaves the page, as a number whose meaning is on no page is
    useless. A case too big for every step of the one-page ladder gets its tightest candidate, drawn smaller
    to fit the page (its note says so), never clipped and never spread over pages. `facts`: those `prepare`
    made (computed here when not given).
    """
    from ..chart.layout import fit_one_page
    from ..chart.metrics import default_metrics
    from ..scene.theme import DEFAULT_THEME, printable_width_px

    budget = chart_budget(options) if room is None else room
    facts = facts if facts is not None else facts_for(case, options)
    fitted = fit_one_page(case, facts=facts, theme=DEFAULT_THEME,
                          metrics=default_metrics(), width=printable_width_px(options.page), max_height=budget)
    return Charts(fitted.scene, (), budget, fitted.left_out or None)


def left_out_sentence(words: str) -> str:
    """The note under a one-page chart that says what it leaves out and where to find it."""
    return f"Left out to fit one page: {words}. The full report lists every event."


def scaled_note(width: str, *, view: str) -> str:
    """The note under a chart drawn smaller than full size to fit its page."""
    where = "the full report" if view == "hearing" else "the chronology below"
    return (f"The chart is drawn at {width} of full size to fit the page, so its text prints smaller than "
            f"9 pt; {where} lists every event.")


def chart_scenes(case: Case, *, options: RenderOptions, facts: Facts | None = None) -> Charts:
    """The chart laid out to fit page 1 at full size, and its legend and key (as many page-sized canvases as
    they need) when they had to move out of it; all at the printable width of the page, so drawn at 100%
    their text prints at 9 pt or more. `facts`: those `prepare` made (computed here when not given)."""
    from ..chart.prepare import scene_for
    from ..scene.theme import key_page_height_px

    room = chart_budget(options)
    scene = scene_for(case, replace(options, format="svg", width=None), title_block=False, max_height=room,
                      page_height=key_page_height_px(options.page), facts=facts)
    return Charts(scene, scene.appendix, room)


def scaled_width(height: float, room: float) -> str | None:
    """The CSS width ("87.5%") that fits a drawing `height` px tall into `room` px, or None if it fits.

    A drawing that must shrink also gives up the room of the note that says so (`SCALED_NOTE_MM`).
    """
    from ..scene.theme import SCALED_NOTE_MM, mm_to_px

    if height <= room:
        return None
    return f"{math.floor((room - mm_to_px(SCALED_NOTE_MM)) / height * 1000) / 10:g}%"


def drawing(scene: Scene, *, alt: str, prefix: str, room: float | None = None) -> Drawing:
    """One scene as the report holds it, drawn smaller to fit `room` px when it is taller."""
    return Drawing(scene, alt, None if room is None else scaled_width(scene.height, room), prefix)


# ----------------------------------------------------------------------------------------------- views


def case_for_view(case: Case, *, options: RenderOptions) -> Case:
    """The case a view draws: the training view draws an anonymised copy, the others the case itself
    (`prepare.shown_case`, the one function)."""
    return shown_case(case, options)


@dataclass(frozen=True, slots=True)
class _Drawings:
    """The drawings of one view (none on a measuring pass) and the notes about them."""

    chart: Drawing | None
    keys: tuple[Drawing, ...]
    chart_note: str | None
    left_out: str | None


def _drawings(case: Case, *, options: RenderOptions, chart_room: float | None, measuring: bool,
              facts: Facts) -> _Drawings:
    """The chart and its page-sized legend and key, as the report embeds them (`drawing`); a measuring
    pass draws none and reserves the longest note of what gave way instead."""
    if measuring:
        from ..chart.policy import ONE_PAGE_STEPS

        return _Drawings(None, (), None, left_out_sentence(max((step.words for step in ONE_PAGE_STEPS), key=len)))
    name = case.child.name
    charts = (chart_scenes(case, options=options, facts=facts) if options.view != "hearing"
              else one_page_chart(case, options=options, room=chart_room, facts=facts))
    chart_alt = f"Timeline of {name}'s journey against age; the chronology lists every event."
    chart = drawing(charts.chart, alt=chart_alt, prefix="chart", room=charts.room)
    parts = len(charts.keys)

    def key_alt(n: int) -> str:
        part = f" (part {n} of {parts})" if parts > 1 else ""
        return f"Legend and numbered labels{part} of {name}'s timeline; the chronology lists every event."

    keys = tuple(drawing(scene, prefix=f"key-{n}", alt=key_alt(n))
                 for n, scene in enumerate(charts.keys, start=1))
    return _Drawings(chart, keys, scaled_note(chart.width, view=options.view) if chart.width else None,
                     left_out_sentence(charts.left_out) if charts.left_out else None)


def build_report(case: Case, *, options: RenderOptions, tight: bool = False, chart_room: float | None = None,
                 measuring: bool = False, facts: Facts | None = None) -> Report:
    """The laid-out report for one case and view (the case already anonymised for the training view):
    its parts, its drawings as scenes and its page; a renderer (`render/html.py`) writes it.

    The hearing view draws chart, legend and key as one scene in `chart_room` px (measured by the PDF
    renderer; see `one_page_chart`); `measuring` leaves the chart out and reserves the longest note of what
    gave way, so the renderer can measure what else page 1 holds. `facts` are the case's (`prepare`;
    computed here when not given).
    """
    view = options.view
    page = HEARING_PAGE if view == "hearing" else options.page
    facts = facts if facts is not None else facts_for(case, options)
    full = view != "hearing"
    rows = chronology_rows(case, facts.inferred_ends) if full else ()
    drawn = _drawings(case, options=replace(options, page=page),  # type: ignore[arg-type]
                      chart_room=chart_room, measuring=measuring, facts=facts)
    court = court_summary(case, facts) if view == "hearing" else ()
    return Report(
        lang=LANG, title=options.title or _report_title(case, view), view=view, page=page,
        page_class=page.lower(), marking=options.marking,
        banner=TRAINING_BANNER if view == "training" else None,
        header=header_for(case), key_figures=key_figures_for(case, facts) if full else (),
        chart=drawn.chart, keys=drawn.keys, chart_note=drawn.chart_note,
        summary=summary_for(case, facts), show_summary=full,
        research=_research(case.jurisdiction) if full else (),
        paragraph=hearing_paragraph(case, facts) if view == "hearing" and not court else None,
        show_table=full, rows=rows,
        show_notes=any(r.note for r in rows), show_sources=any(r.source for r in rows),
        columns=BASE_COLUMNS + any(r.note for r in rows) + any(r.source for r in rows),
        tight=tight, left_out=drawn.left_out, measuring=measuring, court=court,
        court_title=load_vocabulary(case.jurisdiction).words.get("court_summary_title") if view == "hearing" else None,
    )


def _report_title(case: Case, view: str) -> str:
    """'Timeline: Amy'; the hearing view, where the jurisdiction's words name one, 'Summary for the family
    court: Maisie'."""
    named = load_vocabulary(case.jurisdiction).words.get("court_summary_title")
    return f"{named}: {case.child.name}" if view == "hearing" and named else f"Timeline: {case.child.name}"
