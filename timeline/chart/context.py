"""Layout stage (context): the frozen inputs of one layout pass and what follows from them alone.

Every unit of the chart (lanes, tiers, axis, legend, key) takes a `Context` and returns what it drew; none
writes into it. It holds the case, its facts, the look (`Theme`), the policy (`Policy`), the text metrics,
the canvas's edges and the age scale, and the event wording every unit shares (an event's label, dates,
age and <title>).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING

from .. import words
from ..model.case import AnyEvent, Case, event_id
from ..model.vocabulary import Term, Vocabulary, load_vocabulary
from ..scene.items import Text
from ..scene.theme import Theme
from .metrics import TextMetrics
from .policy import Policy
from .scale import AgeScale

if TYPE_CHECKING:
    from ..facts.compute import Facts

EPS = 0.01
DASH = "–"  # en dash, in the bundled font


def day_words(d: date) -> str:
    return words.date_words(d)


def days_words(n: int) -> str:
    return words.plural(n, "day")


@dataclass(frozen=True, slots=True, eq=False)
class Context:
    """One layout pass's inputs (read only): the case and facts, look, policy, metrics and canvas geometry."""

    case: Case
    facts: Facts | None
    theme: Theme
    policy: Policy
    metrics: TextMetrics
    width: float
    title_block: bool
    split: bool  # legend and numbered key on their own canvases (Scene.appendix)
    page_height: float | None  # the tallest appendix canvas (a printed page); None: no limit
    vocab: Vocabulary
    born: date
    as_of: date
    ids: Mapping[int, str]  # file position -> contract id
    by_id: Mapping[str, tuple[int, AnyEvent]]  # contract id -> (position, event)
    number_of: Mapping[int, int]  # id() of an event object -> position (for its <title>)
    inferred: Mapping[int, date]  # position -> the end the record implies
    by_kind: Mapping[str, list[tuple[int, AnyEvent]]]  # lane kind -> its events, in file order (read only)
    heads: dict[str, tuple[str, str]]  # the record's memo of each event group's (class, title): `group_head`
    lanes: dict[tuple[object, ...], object]  # the record's memo of the lanes laid out (`chart.draw`: `_lane`)
    line_h: float
    text_h: float
    left: float
    right: float
    x0: float
    x1: float
    scale: AgeScale

    def with_policy(self, policy: Policy) -> Context:
        """The same pass with another policy (the one-page key's forms share one drawn chart)."""
        return replace(self, policy=policy)

    # ---------------------------------------------------------------- text

    def text(self, x: float, y: float, content: str, cls: str, *, size: float | None = None, bold: bool = False,
             event: str | None = None) -> Text:
        """A text primitive whose box top-left is (x, y)."""
        size = self.theme.text_size if size is None else size
        m = self.metrics
        return Text(x=round(x, 2), y=round(y, 2), width=m.width(content, size, bold), height=m.height(size, bold),
                    baseline=round(y + m.ascent(size, bold), 2), text=content, cls=cls, event=event)

    def clamp_x(self, x: float, w: float, lo: float | None = None) -> float:
        """Keep a box of width w inside [lo, right edge]."""
        lo = self.x0 if lo is None else lo
        return round(max(lo, min(x, self.right - w)), 2)

    def wrap_label(self, content: str) -> tuple[tuple[str, ...], float]:
        """A label's lines (wrapped to the theme's label box) and its box width."""
        t, m = self.theme, self.metrics
        size = t.text_size
        if m.width(content, size) <= t.label_max_width:
            lines: tuple[str, ...] = (content,)
        else:
            lines = m.wrap(content, size, t.label_max_width, t.max_label_lines) or (
                m.fit(content, size, t.label_max_width),)
        w = max(m.width(line, size) for line in lines) + 2 * t.label_pad
        return lines, w

    def is_cut(self, lines: tuple[str, ...], content: str) -> bool:
        """True when the policy numbers shortened labels and `lines` lost some of `content`."""
        return self.policy.number_cut_labels and " ".join(lines).split() != content.split()

    # ---------------------------------------------------------------- event text

    def term(self, e: AnyEvent) -> Term:
        return self.vocab.term(e.kind, e.type)

    def chart_label(self, e: AnyEvent, *, short: bool = False) -> str:
        """The words drawn for an event: its label (or the type's name), with 'c.' when the date is approximate."""
        term = self.term(e)
        text = e.label or (term.abbr if short else term.label)
        first = e.first
        if first.qualifier:  # "c." means approximate (~); a date in doubt (?) says so; a bare year is exact
            text = f"c. {text}" if first.qualifier == "~" else f"{text} (date uncertain)"
        if e.planned and "planned" not in text.lower():
            text = f"{text} (planned)"
        return text

    def dates_text(self, e: AnyEvent) -> str:
        # an inferred end is worded as the record gives the date that implies it (facts.inferred_end_dates)
        inferred = (self.facts.inferred_end_dates.get(self.number_of.get(id(e), 0))
                    if e.last is None and self.facts is not None else None)
        return words.span_dates_words(e.first, e.last, is_span=e.is_span, inferred=inferred, open_end="from")

    def age_text(self, e: AnyEvent) -> str:
        """'age 3 y 4 m'; at a date with no single day 'age c. 3 y 4 m', as the chronology table words it."""
        a = words.age_at_words(self.born, e.first, short=True)
        if e.is_span and e.last is not None:
            return f"age {a} {DASH} {words.age_at_words(self.born, e.last, short=True)}"
        return f"age {a}"

    def title_of(self, e: AnyEvent, extra: str = "") -> str:
        """The one-line <title> of an event: date(s), age then, and the label."""
        term = self.term(e)
        said = term.label if not e.label or e.label == term.label else f"{term.label}: {e.label}"
        planned = " (planned)" if e.planned else ""
        return f"{self.dates_text(e)} ({self.age_text(e)}): {said}{planned}{extra}"

    def group_head(self, key: str) -> tuple[str, str]:
        """(class, title) of the <g> of event `key`: its classes and its <title>, with what the facts add (an
        open or inferred end, a review held late). The same in every pass over the record, so made once."""
        head = self.heads.get(key)
        if head is None:
            n, e = self.by_id[key]
            late = self.late_reviews()
            extra = f" (held {late[n]} late)" if n in late else ""
            more: list[str] = ["open"] if e.is_span and e.last is None and n not in self.inferred else []
            if e.is_span and e.last is None and n in self.inferred:
                more.append("inferred")
            if n in late:
                more.append("late")
            head = self.heads[key] = (self.event_classes(e, *more), self.title_of(e, extra))
        return head

    def event_classes(self, e: AnyEvent, *more: str) -> str:
        parts = ["event", f"kind-{e.kind}", f"type-{e.type}"]
        if e.planned:
            parts.append("planned")
        if e.first.approximate or (e.is_span and e.last is not None and e.last.approximate):
            parts.append("approx")
        parts.extend(more)
        return " ".join(parts)

    # ---------------------------------------------------------------- the record, as the chart reads it

    def lane_events(self, kind: str) -> list[tuple[int, AnyEvent]]:
        """The events of lane `kind`, in file order (shared: not to be changed)."""
        return self.by_kind.get(kind, [])

    def end_day(self, n: int, e: AnyEvent) -> date:
        """The day a bar ends: its end, else the end the record implies (drawn as inferred), else as at."""
        if e.last is None and n in self.inferred:
            return max(min(self.inferred[n], self.as_of), e.first.earliest)
        return e.last.latest if e.last is not None else max(self.as_of, e.first.latest)

    def day_span(self, n: int, e: AnyEvent) -> tuple[int, int]:
        """(first, last) age in days of a bar: sub-rows are stacked by days, not pixels, so a bar widened to
        stay visible does not push its successor down."""
        first = self.scale.age_days(e.first.earliest)
        return first, max(self.scale.age_days(self.end_day(n, e)), first + 1)

    def late_reviews(self) -> dict[int, str]:
        """File position -> how late in words ('57 days', or between dates with no single day 'between 6 weeks
        and 2 months': facts.review_late_words), for LAAC reviews held after they were due."""
        if self.facts is None:
            return {}
        from ..facts.compute import review_late_words

        return {r.event: review_late_words(r, days_words(r.days_late)) for r in self.facts.reviews
                if r.event is not None and r.held is not None and r.days_late > 0}

    def has_targets(self) -> bool:
        if self.facts is None:
            return False
        return any(m.target_date is not None and self.scale.start <= m.target_date <= self.scale.end
                   and m.status in ("met", "missed", "overdue", "pending", "undetermined")
                   for m in self.facts.milestones)

    def has_overdue(self) -> bool:
        if self.facts is None:
            return False
        return any(r.overdue and self.scale.start <= r.due <= self.scale.end for r in self.facts.reviews)


@dataclass(frozen=True, slots=True, eq=False)
class Record:
    """What every pass over one case and its facts reads the same, whatever the look or policy: the
    vocabulary, the dates, the lookups by position and id, each lane kind's events, and the first and last
    day anything is drawn. Made once per ladder (`record`), not once per pass."""

    case: Case
    facts: Facts | None
    vocab: Vocabulary
    as_of: date
    ids: Mapping[int, str]
    by_id: Mapping[str, tuple[int, AnyEvent]]
    number_of: Mapping[int, int]
    inferred: Mapping[int, date]
    by_kind: Mapping[str, list[tuple[int, AnyEvent]]]
    first_day: date  # the earliest day of the child's life or of any event
    last_day: date  # the latest: as at, or an event's end (an open span runs to as at)
    heads: dict[str, tuple[str, str]] = field(default_factory=dict)  # memo of `Context.group_head`, per event
    lanes: dict[tuple[object, ...], object] = field(default_factory=dict)  # memo of `chart.draw._lane`, per
    # lane and everything it reads (the ladders lay the same lane out again: a floor and then its pass)


def record(case: Case, facts: Facts | None) -> Record:
    """The case-derived part of every pass's context."""
    numbered = list(case.numbered())
    as_of = case.as_of_date
    born = case.child.date_of_birth
    ids = {n: event_id(n, e) for n, e in numbered}
    by_kind: dict[str, list[tuple[int, AnyEvent]]] = {}
    first, last = born, as_of
    for n, e in numbered:
        by_kind.setdefault(e.kind, []).append((n, e))
        first = min(first, e.first.earliest)
        end = e.last.latest if e.last is not None else max(as_of, e.first.latest)
        last = max(last, end, e.first.latest)
    return Record(case=case, facts=facts, vocab=load_vocabulary(case.jurisdiction), as_of=as_of,
                  ids=MappingProxyType(ids), by_id=MappingProxyType({ids[n]: (n, e) for n, e in numbered}),
                  number_of=MappingProxyType({id(e): n for n, e in numbered}),
                  inferred=MappingProxyType(dict(facts.inferred_ends) if facts is not None else {}),
                  by_kind=MappingProxyType(by_kind), first_day=first, last_day=last)


def make_context(case: Case, facts: Facts | None, theme: Theme, policy: Policy, metrics: TextMetrics,
                 width: float, title_block: bool, *, split: bool = False, page_height: float | None = None,
                 known: Record | None = None) -> Context:
    """The context of one pass: the inputs, and the lookups, edges and scale that follow from them
    (`known`: the case's `record`, when a ladder has made it already)."""
    rec = known if known is not None and known.case is case and known.facts is facts else record(case, facts)
    left = theme.margin
    right = float(width) - theme.margin
    x0 = theme.margin + theme.gutter + theme.gutter_gap
    x1 = max(x0 + 1.0, right - theme.right_pad)
    return Context(
        case=case, facts=facts, theme=theme, policy=policy, metrics=metrics, width=float(width),
        title_block=title_block, split=split, page_height=page_height, vocab=rec.vocab,
        born=case.child.date_of_birth, as_of=rec.as_of, ids=rec.ids, by_id=rec.by_id, number_of=rec.number_of,
        inferred=rec.inferred, by_kind=rec.by_kind, heads=rec.heads, lanes=rec.lanes,
        line_h=theme.line_height(theme.text_size), text_h=metrics.height(theme.text_size), left=left, right=right,
        x0=x0, x1=x1, scale=age_scale(rec, theme, x0, x1))


def age_scale(rec: Record, theme: Theme, x0: float, x1: float) -> AgeScale:
    """The chart's x axis: birth (or up to `prebirth_max_days` before it) to the last day drawn."""
    born = rec.case.child.date_of_birth
    last = rec.last_day
    start = max(rec.first_day, born - timedelta(days=theme.prebirth_max_days))
    if (last - start).days < theme.min_span_days:
        last = start + timedelta(days=theme.min_span_days)
    return AgeScale(born=born, start=start, end=last, x0=x0, x1=x1)
