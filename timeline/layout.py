"""Layout stage: (Case, Facts, Theme, TextMetrics) -> Scene. All geometry of the chart is decided here.

Pure: no I/O, no clock, no randomness; the same case gives the same scene. The x axis is the child's age
(`scale.AgeScale`, the one formula). Lanes come in a fixed order, empty ones left out. Bars that overlap
are packed into sub-rows and point labels into tiers, both by a greedy "first free row" sweep with two
heaps (O(n log n)); labels are measured with the bundled font, so no two labels overlap and none leaves
the canvas. Labels that would need more tiers than the theme allows become small numbers, and their text
goes to a numbered key beneath the chart. `fit_one_page` fits chart, legend and key onto one page
(the hearing view), giving way on the least important content first.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from . import shapes, words
from .dates import format_age
from .labels import (
    GROW_LOOKAHEAD,
    GROW_MAX_EVENTS,
    GROW_MAX_TIERS,
    GROW_MAX_TRIES,
    GROW_ORDER,
    TARGET_PRIORITY,
    Numbers,
    Rows,
    Spot,
    Want,
    assign_words,
    clusters,
    combined_words,
    counted,
    priority,
    share_left,
    shared_noun,
    shared_words,
    shortened_note,
)
from .model import AnyEvent, Case, event_id
from .scale import AgeScale
from .scene import Box, Group, Item, Line, Marker, Path, Rect, Scene, Text
from .shapes import Segment
from .style import Rule, StyleSheet, rule
from .text import TextMetrics
from .theme import (
    COMPACT,
    KEY_LINES_MAX,
    ONE_PAGE_KEY_FORMS,
    ONE_PAGE_LEGEND_ROW,
    ONE_PAGE_STEPS,
    OnePageStep,
    Theme,
)
from .vocabulary import Term, Vocabulary, load_vocabulary

if TYPE_CHECKING:
    from .facts import Facts

_EPS = 0.01
DASH = "–"  # en dash, in the bundled font
KEY_BULLET = "•"  # marks a key entry that lists a combined label's events (it has no number)
GIVE_BACK_REACH = 120.0  # px over the room within which giving back may still fit once numbers become words
SPAN_SHIFT = 60.0  # a bar's label moves at most this far aside: further, it would sit under another time
NUMBER_SHIFT = 40.0  # a number moves at most this far aside into an open tier rather than open another
COMBINE_BRACKET_DROP = 2.0  # px from the markers' foot down to the bracket that joins a combined label's events


# ------------------------------------------------------------------ small helpers


def _day(d: date) -> str:
    return words.date_words(d)


def _days(n: int) -> str:
    return words.plural(n, "day")


def first_free(intervals: Sequence[tuple[float, float]], *, cap: int | None = None) -> list[int | None]:
    """Greedy interval partitioning: the lowest free row for each [start, end) interval, in the given order.

    `intervals` must be sorted by start. Two heaps: rows still busy (by the end of what holds them) and
    rows free again (by index), so each interval costs O(log n). With `cap`, an interval that finds no
    row below the cap gets None.
    """
    busy: list[tuple[float, int]] = []
    free: list[int] = []
    used = 0
    rows: list[int | None] = []
    for start, end in intervals:
        while busy and busy[0][0] <= start + _EPS:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            row = heapq.heappop(free)
        elif cap is None or used < cap:
            row = used
            used += 1
        else:
            rows.append(None)
            continue
        heapq.heappush(busy, (end, row))
        rows.append(row)
    return rows


@dataclass(slots=True)
class _Label:
    """A label waiting for a tier: anchor x, the lines, its box width, and what it belongs to."""

    anchor: float
    lines: tuple[str, ...]
    width: float
    event: str | None
    order: int
    key_text: str
    top_y: float  # where its leader starts (the bottom of the thing it labels)
    group: str  # which collector gets its primitives (event id or a pseudo key)
    number_width: float = 0.0
    cut: bool = False  # its text had to be shortened to fit the label box
    joined: _Label | None = None  # the number run ("6–9") that shows this label's number
    priority: int = 0  # how long it keeps its words when room is short (`labels.priority`; 0: first to go)
    kind: str = ""  # the lane it belongs to (for the note on what was shortened)
    beside: float | None = None  # where its box would start right of its marker, on the marker row
    members: tuple[tuple[str, float], ...] = ()  # a combined label: (event id, marker x) of each event
    listed: tuple[str, ...] | None = None  # a shared label's key entries (any view; none in a bare lane)
    words: bool = False  # it keeps its words on the chart
    x: float = 0.0
    tier: int = 0
    number: int | None = None


@dataclass(slots=True)
class _Lane:
    """What one lane drew: the primitives per event group, extra groups, leader lines, its height."""

    height: float
    per_event: dict[str, list[Item]] = field(default_factory=dict)
    extras: list[Item] = field(default_factory=list)
    leaders: list[Item] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Drawn:
    """The chart drawn down to the calendar years (`_Layout.chart`), waiting for its legend and key."""

    background: tuple[Item, ...]
    foreground: tuple[Item, ...]
    leaders: tuple[Item, ...]
    groups: tuple[Item, ...]
    bottom: float  # the y below the calendar years


# ------------------------------------------------------------------ the layout



def _stack(spans: list[tuple[int, int]], *, overlays: bool) -> tuple[list[int | None], int]:
    """(sub-row of each bar, number of sub-rows) for bars in start order; a lane of overlays only has one."""
    rows = first_free(spans)
    n_rows = max((r for r in rows if r is not None), default=-1) + 1
    return rows, (1 if not spans and overlays else n_rows)

class _Layout:
    """One layout run. Holds the inputs and the running state (the y cursor, the key, what was drawn)."""

    def __init__(self, case: Case, facts: Facts | None, theme: Theme, metrics: TextMetrics, width: float,
                 title_block: bool, split: bool = False, page_height: float | None = None) -> None:
        self.split = split  # legend and numbered key on their own canvases (Scene.appendix)
        self.page_height = page_height  # the tallest appendix canvas (a printed page); None: no limit
        self.case = case
        self.facts = facts
        self.t = theme
        self.m = metrics
        self.width = float(width)
        self.title_block = title_block
        self.vocab: Vocabulary = load_vocabulary(case.jurisdiction)
        self.born = case.child.date_of_birth
        self.as_of = case.as_of_date
        self.ids = {n: event_id(n, e) for n, e in case.numbered()}
        self.by_id = {self.ids[n]: (n, e) for n, e in case.numbered()}  # contract id -> (position, event)
        self.number_of = {id(e): n for n, e in case.numbered()}  # event object -> position (for its <title>)
        self.inferred: dict[int, date] = dict(facts.inferred_ends) if facts is not None else {}
        self.key: list[tuple[int | None, str]] = []  # None: a combined label's events, listed (no number)
        self.numbered: dict[str, int] = {}  # lane kind -> labels drawn as numbers
        self.bare: dict[str, int] = {}  # lane kind -> events left as bare markers (`Theme.bare_lanes`)
        self.combined = 0  # combined labels with their words on the chart, and the events they stand for
        self.combined_members = 0
        self.kept: dict[int, int] = {}  # priority -> events whose words are on the chart
        self._key_number_width: float | None = None  # the key's number column (set by `_key`)
        self._gutter_note = ""  # what was shortened to fit, said in the key's gutter (set by `finish`)
        self.drawn_types: dict[str, list[str]] = {}
        self.flags: set[str] = set()
        self.line_h = theme.line_height(theme.text_size)
        self.text_h = metrics.height(theme.text_size)
        self.left = theme.margin
        self.right = self.width - theme.margin
        self.x0 = theme.margin + theme.gutter + theme.gutter_gap
        self.x1 = max(self.x0 + 1.0, self.right - theme.right_pad)
        self.scale = self._make_scale()

    # ---------------------------------------------------------------- scale

    def _make_scale(self) -> AgeScale:
        t = self.t
        first = self.born
        last = self.as_of
        for _, e in self.case.numbered():
            first = min(first, e.first.earliest)
            end = e.last.latest if e.last is not None else max(self.as_of, e.first.latest)
            last = max(last, end, e.first.latest)
        start = max(first, self.born - timedelta(days=t.prebirth_max_days))
        if (last - start).days < t.min_span_days:
            last = start + timedelta(days=t.min_span_days)
        return AgeScale(born=self.born, start=start, end=last, x0=self.x0, x1=self.x1)

    # ---------------------------------------------------------------- text

    def text(self, x: float, y: float, content: str, cls: str, *, size: float | None = None, bold: bool = False,
             event: str | None = None) -> Text:
        """A text primitive whose box top-left is (x, y)."""
        size = self.t.text_size if size is None else size
        w = self.m.width(content, size, bold)
        return Text(x=round(x, 2), y=round(y, 2), width=w, height=self.m.height(size, bold),
                    baseline=round(y + self.m.ascent(size, bold), 2), text=content, cls=cls, event=event)

    def clamp_x(self, x: float, w: float, lo: float | None = None) -> float:
        """Keep a box of width w inside [lo, right edge]."""
        lo = self.x0 if lo is None else lo
        return round(max(lo, min(x, self.right - w)), 2)

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
        first = e.first.display()
        if not e.is_span:
            return first
        if e.last is None:
            inferred = self.inferred.get(self.number_of.get(id(e), 0))
            if inferred is not None:
                return f"{first} {DASH} {_day(inferred)} (end inferred)"
            return f"from {first} (ongoing)"
        return f"{first} {DASH} {e.last.display()}"

    def age_text(self, e: AnyEvent) -> str:
        a = format_age(self.born, e.first.mid)
        if e.is_span and e.last is not None:
            return f"age {a} {DASH} {format_age(self.born, e.last.mid)}"
        return f"age {a}"

    def title_of(self, e: AnyEvent, extra: str = "") -> str:
        """The one-line <title> of an event: date(s), age then, and the label."""
        term = self.term(e)
        words = term.label if not e.label or e.label == term.label else f"{term.label}: {e.label}"
        planned = " (planned)" if e.planned else ""
        return f"{self.dates_text(e)} ({self.age_text(e)}): {words}{planned}{extra}"

    def event_classes(self, e: AnyEvent, *more: str) -> str:
        parts = ["event", f"kind-{e.kind}", f"type-{e.type}"]
        if e.planned:
            parts.append("planned")
        if e.first.approximate or (e.is_span and e.last is not None and e.last.approximate):
            parts.append("approx")
        parts.extend(more)
        return " ".join(parts)

    def wrap_label(self, content: str) -> tuple[tuple[str, ...], float]:
        t = self.t
        size = t.text_size
        if self.m.width(content, size) <= t.label_max_width:
            lines: tuple[str, ...] = (content,)
        else:
            lines = self.m.wrap(content, size, t.label_max_width, t.max_label_lines) or (
                self.m.fit(content, size, t.label_max_width),)
        w = max(self.m.width(line, size) for line in lines) + 2 * t.label_pad
        return lines, w

    def _join_run(self, run: _Label, number: int) -> bool:
        """Extend the number run `run` ("6" or "6–8") to end at `number`, if the wider box stays on the canvas."""
        first = run.lines[0].split(DASH)[0]
        text = f"{first}{DASH}{number}"
        width = self.m.width(text, self.t.text_size) + 2 * self.t.label_pad
        if run.x + width > self.right:
            return False
        run.lines = (text,)
        run.width = width
        return True

    def is_cut(self, lines: tuple[str, ...], content: str) -> bool:
        """True when the theme numbers shortened labels and `lines` lost some of `content`."""
        return self.t.number_cut_labels and " ".join(lines).split() != content.split()

    # ---------------------------------------------------------------- tiers

    def place_tiers(self, labels: list[_Label], top: float, *, lane: str = "",
                    row: tuple[float, list[tuple[float, float]]] | None = None
                    ) -> tuple[float, list[Item], dict[str, list[Item]]]:
        """Put labels beside their markers or into tiers below `top`; returns (height used, leader lines,
        primitives per group).

        `row` is (the marker row's centre y, the x intervals its marks take), for a point lane: a one-line
        label may sit on that row just right of its marker, where it needs no tier. Which labels keep their
        words is decided by `labels.assign_words` (most important first); the others become numbers, in x
        order, placed around the words (touching numbers share a run "6–9" in compact layouts)."""
        t = self.t
        if not labels:
            return 0.0, [], {}
        max_lines = max(len(lb.lines) for lb in labels)
        tier_h = max_lines * self.line_h + t.tier_gap
        for lb in labels:
            lb.x = self.clamp_x(lb.anchor - t.label_pad, lb.width)
        wants = [Want(anchor=lb.anchor, x=lb.x, x_end=self.clamp_x(lb.anchor + t.label_pad - lb.width, lb.width),
                      width=lb.width, beside=lb.beside if row is not None and len(lb.lines) == 1 else None,
                      beside_left=(round(lb.anchor - t.marker_size / 2 - 1.5 * t.label_gap - lb.width - _EPS, 2)
                                   if lb.beside is not None and row is not None and len(lb.lines) == 1 else None),
                      priority=lb.priority, order=lb.order, cut=lb.cut) for lb in labels]
        spots, rows = assign_words(wants, cap=t.tiers_for(lane), gap=t.label_gap, right=self.right, lo=self.x0,
                                   shift=t.label_shift if row is not None else min(t.label_shift, SPAN_SHIFT),
                                   row_blocks=row[1] if row is not None else ())
        if t.combine_labels and row is not None:  # events of one type left without words share a label
            labels, spots = self._share(labels, spots, wants, rows, lane)
        keyed: list[_Label] = []
        for lb, spot in zip(labels, spots, strict=True):
            if spot is not None:
                lb.tier, lb.x = spot.tier, spot.x
                self._worded(lb)
                if lb.members and (t.list_combined or lb.listed):
                    keyed.append(lb)
            else:
                keyed.append(lb)
        keyed.sort(key=lambda lb: (lb.x, lb.anchor, lb.order))
        run: _Label | None = None  # the last number, still open to neighbours joining it as "6–9"
        bare: set[int] = set()  # labels left off (bare markers): neither drawn nor counted in the tiers
        for lb in keyed:
            if lb.words:  # a combined label with its words on the chart: its events listed in the key
                self.key.extend((None, text) for text in ((lb.key_text,) if lb.listed is None else lb.listed))
                continue
            if (lb.kind or lane) in t.bare_lanes:  # no room: a bare marker, said in the note
                self.bare[lb.kind or lane] = self.bare.get(lb.kind or lane, 0) + max(1, len(lb.members))
                bare.add(id(lb))
                continue
            number = next((n for n, _ in reversed(self.key) if n is not None), 0) + 1  # bullets take none
            self.key.append((number, lb.key_text))
            lb.number = number
            self.numbered[lb.kind or lane] = self.numbered.get(lb.kind or lane, 0) + 1
            width = self.m.width(str(number), t.text_size) + 2 * t.label_pad
            x = self.clamp_x(lb.anchor - t.label_pad, width)
            if t.merge_numbers and run is not None and not lb.members and x < run.x + run.width + t.label_gap + _EPS:
                old = (run.x, run.x + run.width + t.label_gap)
                lines, w = run.lines, run.width
                if self._join_run(run, number) and rows.free(run.tier, run.x, run.x + run.width + t.label_gap,
                                                             ignore=old):
                    rows.replace(run.tier, old, (run.x, run.x + run.width + t.label_gap))
                    lb.joined = run
                    continue
                run.lines, run.width = lines, w
            lb.lines, lb.width = (str(number),), width
            if lb.beside is not None and row is not None and lb.beside + width <= self.right and rows.free(
                    -1, lb.beside, lb.beside + width + t.label_gap):
                lb.tier, lb.x = -1, lb.beside
                rows.add(-1, lb.x, lb.x + width + t.label_gap)
                run = None
                continue
            lb.x = x
            lb.tier = rows.lowest(x, x + width + t.label_gap)
            for tier in range(lb.tier):  # a tier already open, a little aside (its leader slants), before a new one
                found = rows.nearest(tier, x, width + t.label_gap, max(self.x0, x - NUMBER_SHIFT),
                                     min(self.right + t.label_gap, x + NUMBER_SHIFT + width + t.label_gap))
                if found is not None:
                    lb.tier, lb.x = tier, round(found, 2)
                    break
            rows.add(lb.tier, lb.x, lb.x + width + t.label_gap)
            run = lb if t.merge_numbers and not lb.members else None
        labels = [lb for lb in labels if id(lb) not in bare]
        used = max((lb.tier + 1 for lb in labels if lb.joined is None), default=0)
        leaders: list[Item] = []
        per: dict[str, list[Item]] = {}
        for lb in sorted(labels, key=lambda lb: lb.order):
            if lb.joined is not None:  # drawn by the run it joined: only its own leader, slanting to it
                host = lb.joined
                y = top + host.tier * tier_h
                ax = min(max(lb.anchor, host.x + 1.0), host.x + host.width - 1.0)
                leaders.append(Line(lb.anchor, lb.top_y, ax, y, "leader", event=lb.event))
                continue
            h = len(lb.lines) * self.line_h
            # beside its marker on the marker row (tier -1), else in its tier
            y = round(row[0] - h / 2, 2) if lb.tier < 0 and row is not None else top + lb.tier * tier_h
            out = per.setdefault(lb.group, [])
            cls = "key-number" if lb.number is not None else ("combined-label" if lb.members else "label")
            out.append(Rect(lb.x, y, lb.width, h, "label-bg", event=lb.event, rx=2.0))
            for i, line in enumerate(lb.lines):
                ty = y + i * self.line_h + (self.line_h - self.text_h) / 2
                out.append(self.text(lb.x + t.label_pad, ty, line, cls, event=lb.event))
            ax = min(max(lb.anchor, lb.x + 1.0), lb.x + lb.width - 1.0)
            start = lb.top_y
            if lb.members:  # a bracket under the markers it stands for, a tick from each, one leader down
                start = lb.top_y + COMBINE_BRACKET_DROP
                xs = [cx for _, cx in lb.members]
                tick = "leader" if lb.number is not None else "leader combined"
                leaders.append(Line(min(xs), start, max(xs), start, "leader combined-bracket", event=lb.event))
                leaders.extend(Line(cx, lb.top_y, cx, start, tick, event=eid) for eid, cx in lb.members)
            if y > start + _EPS:
                leaders.append(Line(lb.anchor if not lb.members else ax, start, ax, y, "leader", event=lb.event))
        return used * tier_h, leaders, per

    def _share(self, labels: list[_Label], spots: list[Spot | None], wants: list[Want], rows: Rows, lane: str
               ) -> tuple[list[_Label], list[Spot | None]]:
        """Nearby events of one type whose words found no room share one label, true of each of them ("LAAC
        reviews × 3, Mar 2019–Jun 2021"; `labels.share_left` decides which and where); the labels it stands
        for are replaced by it, and it lists their dates in the key as a combined label does."""
        events = [e if e is not None and not (e.planned or e.first.qualifier) else None  # planned, c. or ?: own words
                  for e in (self.by_id[lb.event][1] if lb.event in self.by_id and not lb.members else None
                            for lb in labels)]

        def words(run: Sequence[int]) -> list[tuple[tuple[str, ...], float]]:
            first = events[run[0]]
            assert first is not None
            term = self.term(first)
            mids = [e.first.mid for e in (events[i] for i in run) if e is not None]
            noun = shared_noun(first.kind, first.type, term.label, term.abbr)
            return [self.wrap_label(content) for content in shared_words(noun, len(run), min(mids), max(mids))]

        keys = [None if e is None else (e.kind, e.type) for e in events]
        shares = share_left(wants, spots, rows, keys, words, cap=self.t.tiers_for(lane), gap=self.t.label_gap,
                            right=self.right, lo=self.x0, numbers=None if lane in self.t.bare_lanes else Numbers(
                                self.m.width("00", self.t.text_size) + 2 * self.t.label_pad, self.t.label_gap,
                                NUMBER_SHIFT, self.x0, self.right))
        taken = {i for share in shares for i in share.members}
        out = [(lb, spot) for i, (lb, spot) in enumerate(zip(labels, spots, strict=True)) if i not in taken]
        for share in shares:
            members = [labels[i] for i in share.members]
            first = events[share.members[0]]
            assert first is not None
            term = self.term(first)
            noun = shared_noun(first.kind, first.type, term.label, term.abbr)
            dates = ", ".join(self.dates_text(e) for e in (events[i] for i in share.members) if e is not None)
            head = members[0]
            out.append((_Label(anchor=head.anchor, lines=share.lines, width=share.width, event=head.event,
                               order=head.order, key_text=f"{noun}: {dates}", top_y=head.top_y, group=head.group,
                               priority=max(lb.priority for lb in members), kind=head.kind or lane,
                               members=tuple((lb.event or "", lb.anchor) for lb in members),
                               listed=() if lane in self.t.bare_lanes else (f"{noun}: {dates}",)
                               if self.t.list_combined else tuple(lb.key_text for lb in members)), share.spot))
        out.sort(key=lambda pair: pair[0].order)
        return [lb for lb, _ in out], [spot for _, spot in out]

    def _worded(self, lb: _Label) -> None:
        """Count a label that keeps its words (and the events a combined one stands for)."""
        lb.words = True
        self.kept[lb.priority] = self.kept.get(lb.priority, 0) + max(1, len(lb.members))
        if lb.members:
            self.combined += 1
            self.combined_members += len(lb.members)

    # ---------------------------------------------------------------- lanes

    def lane_events(self, kind: str) -> list[tuple[int, AnyEvent]]:
        return [(n, e) for n, e in self.case.numbered() if e.kind == kind]

    def span_lane(self, kind: str, top: float, events: list[tuple[int, AnyEvent]]) -> _Lane:
        """Placements or orders: bars in sub-rows, overlays, labels inside or in tiers beneath."""
        t = self.t
        sc = self.scale
        bar_h = t.placement_bar if kind == "placement" else t.order_bar
        lane = _Lane(0.0)
        main: list[tuple[float, float, int, AnyEvent]] = []
        overlays: list[tuple[float, float, int, AnyEvent]] = []
        days: dict[int, tuple[int, int]] = {}
        for n, e in events:
            xs = sc.x(e.first.earliest)
            xe = max(sc.x(self._end_day(n, e)), xs + t.min_bar_width)
            days[n] = self._day_span(n, e)
            (overlays if self.term(e).overlay else main).append((xs, xe, n, e))
        main.sort(key=lambda item: (days[item[2]][0], item[2]))
        rows, n_rows = _stack([days[n] for _, _, n, _ in main], overlays=bool(overlays))
        moves_h = 0.0
        if kind == "placement" and self.facts is not None and self.facts.move_list:
            moves_h = self._moves_height()
        bars_top = top + moves_h
        row_y = [bars_top + i * (bar_h + t.sub_row_gap) for i in range(n_rows)]
        bars_bottom = bars_top + n_rows * (bar_h + t.sub_row_gap) - t.sub_row_gap
        labels: list[_Label] = []
        for (xs, xe, n, e), row in zip(main, rows, strict=True):
            assert row is not None
            self._bar(lane, labels, n, e, xs, xe, row_y[row], bar_h, bars_bottom, overlay=False)
        for xs, xe, n, e in sorted(overlays, key=lambda item: (item[0], item[2])):
            oh = round(bar_h * t.respite_ratio, 2)
            self._bar(lane, labels, n, e, xs, xe, row_y[0] + bar_h - oh, oh, bars_bottom, overlay=True)
        tiers_top = bars_bottom + t.lane_pad
        used, leaders, per = self.place_tiers(labels, tiers_top, lane=kind)
        lane.leaders.extend(leaders)
        for key, items in per.items():
            lane.per_event.setdefault(key, []).extend(items)
        if kind == "placement" and moves_h:
            lane.extras.extend(self._moves(top, moves_h, bars_bottom))
        lane.height = (bars_bottom - top) + (t.lane_pad + used if used else 0.0)
        return lane

    def _bar(self, lane: _Lane, labels: list[_Label], n: int, e: AnyEvent, xs: float, xe: float, y: float,
             h: float, bars_bottom: float, *, overlay: bool) -> None:
        t = self.t
        eid = self.ids[n]
        term = self.term(e)
        items = lane.per_event.setdefault(eid, [])
        self.drawn_types.setdefault(e.kind, [])
        if e.type not in self.drawn_types[e.kind]:
            self.drawn_types[e.kind].append(e.type)
        w = round(xe - xs, 2)
        fill_cls = f"bar fill-{e.kind}-{e.type}"
        if e.kind == "order" and term.route:
            fill_cls += " permanence"
        if overlay:
            fill_cls += " overlay"
        items.append(Rect(xs, y, w, h, fill_cls, event=eid))
        if e.kind == "placement" and term.pattern and self.t.pattern(term.pattern):
            items.append(Rect(xs, y, w, h, "hatch", event=eid, fill_pattern=f"pat-{term.pattern}"))
        # faded ends for approximate dates
        fuzz = []
        if e.first.approximate:
            fw = max(t.fuzzy_min, self.scale.x(e.first.latest) - self.scale.x(e.first.earliest))
            fuzz.append((xs, min(w, fw)))
        if e.last is not None and e.last.approximate:
            fw = max(t.fuzzy_min, self.scale.x(e.last.latest) - self.scale.x(e.last.earliest))
            fw = min(w, fw)
            fuzz.append((xe - fw, fw))
        for fx, fw in fuzz:
            items.append(Rect(fx, y, fw, h, "fuzzy", event=eid, fill_pattern="pat-hatch"))
            self.flags.add("approx")
        if e.last is None and n in self.inferred:
            fw = min(w, max(t.fuzzy_min, 2 * t.arrow_len))
            items.append(Rect(xe - fw, y, fw, h, "fuzzy inferred", event=eid, fill_pattern="pat-hatch"))
            self.flags.add("inferred")
        elif e.last is None:
            a = t.arrow_len
            d = (shapes.move(xe, y), shapes.line(xe + a, y + h / 2), shapes.line(xe, y + h), shapes.close())
            items.append(Path(d, Box(xe, y, a, h), f"arrow fill-{e.kind}-{e.type}", event=eid))
            self.flags.add("open")
        if e.planned:
            self.flags.add("planned")
        # the label: inside when it fits (and the bar is tall enough), else beneath
        full = self.chart_label(e)
        candidates = [full]
        if e.kind == "order":
            body = e.label or ""
            if body and not body.upper().startswith(term.abbr.upper()):
                candidates = [f"{term.abbr}: {self.chart_label(e)}"]
            approx = "c. " if e.first.qualifier == "~" else ""
            candidates.append(f"{approx}{term.abbr}")
        else:
            candidates.append(self.chart_label(e, short=True))
        size = t.bar_text_size
        inside = None
        if not overlay and h >= self.text_h:
            visible = min(xe, self.right) - xs
            for cand in candidates:
                if self.m.width(cand, size) + 2 * t.label_pad <= visible:
                    inside = cand
                    break
        if inside is not None:
            tw = self.m.width(inside, size)
            tx = xs + t.label_pad
            ty = y + (h - self.text_h) / 2
            if e.kind == "placement":  # hatching and dark fills need a calm ground under the words
                items.append(Rect(tx - t.label_pad / 2, ty, tw + t.label_pad, self.text_h, "bar-label-bg",
                                  event=eid, rx=2.0))
            items.append(self.text(tx, ty, inside, "bar-label", size=size, event=eid))
            return
        text = candidates[0] if e.kind == "order" else full
        lines, lw = self.wrap_label(text)
        labels.append(_Label(
                cut=self.is_cut(lines, text), anchor=xs, lines=lines, width=lw, event=eid, order=n,
                             key_text=f"{text} ({self.dates_text(e)})", top_y=bars_bottom, group=eid,
                             priority=priority(e.kind, e.type), kind=e.kind))

    def point_lane(self, kind: str, top: float, events: list[tuple[int, AnyEvent]]) -> _Lane:
        """Hearings, meetings, milestones, life events: shaped markers on one row, labels in tiers beneath."""
        t = self.t
        sc = self.scale
        lane = _Lane(0.0)
        cy = top + t.marker_row / 2
        row_bottom = top + t.marker_row
        labels: list[_Label] = []
        late = self._late_reviews() if kind == "meeting" else {}
        for n, e in events:
            eid = self.ids[n]
            term = self.term(e)
            items = lane.per_event.setdefault(eid, [])
            self.drawn_types.setdefault(kind, [])
            if e.type not in self.drawn_types[kind]:
                self.drawn_types[kind].append(e.type)
            cx = sc.x(e.first.mid)
            if e.first.approximate:
                xa, xb = sc.x(e.first.earliest), sc.x(e.first.latest)
                if xb - xa > 1.0:
                    items.append(Rect(xa, cy - 2.0, xb - xa, 4.0, "fuzzy-range", event=eid))
                    self.flags.add("approx")
            shape = term.marker or "circle"
            cls = f"marker marker-{kind}" + (" court" if shape == "triangle" else "")
            if n in late:
                items.append(Marker("circle", cx, cy, t.marker_size + 6, "late-ring", event=eid))
                self.flags.add("late")
            items.append(Marker(shape, cx, cy, t.marker_size, cls, event=eid))
            if e.planned:
                self.flags.add("planned")
            text = self.chart_label(e, short=True)
            if n in late and "late" not in text.lower():
                text = f"{text} ({_days(late[n])} late)"
            lines, lw = self.wrap_label(text)
            labels.append(_Label(
                cut=self.is_cut(lines, text), anchor=cx, lines=lines, width=lw, event=eid, order=n,
                                 key_text=f"{text} ({self.dates_text(e)})", top_y=cy + t.marker_size / 2,
                                 group=eid, priority=priority(kind, e.type), kind=kind,
                                 beside=round(cx + t.marker_size / 2 + t.label_gap / 2 + _EPS, 2)))
        if t.combine_labels and len(labels) > 1:
            labels = self._combine(kind, labels)
        extras_start = len(self.case.events) + 1
        if kind == "milestone":
            self._targets(lane, labels, cy, extras_start)
        if kind == "meeting":
            self._overdue_reviews(lane, labels, cy, extras_start)
        if kind in t.unlabelled_lanes:  # markers only: the legend explains them, the key stays short
            labels = []
        blocks = [(b.x - t.label_gap / 2, b.x + b.width + t.label_gap / 2)
                  for items in lane.per_event.values()
                  for b in (item.box for item in items if not isinstance(item, Group))]
        used, leaders, per = self.place_tiers(labels, row_bottom + t.lane_pad, lane=kind, row=(cy, blocks))
        lane.leaders.extend(leaders)
        for key, items in per.items():
            lane.per_event.setdefault(key, []).extend(items)
        lane.height = t.marker_row + (t.lane_pad + used if used else 0.0)
        return lane

    def _combine(self, kind: str, labels: list[_Label]) -> list[_Label]:
        """Nearby events of one kind with the same words share one label ("3 hearings, Jan–Mar 2016: ICSO
        continued") where apart their labels could not share a tier; the others stay as they are."""
        t = self.t
        words = [" ".join(lb.lines) if not lb.cut else lb.key_text for lb in labels]
        runs = clusters([lb.anchor for lb in labels], words, [lb.width + t.label_gap for lb in labels])
        if not runs:
            return labels
        taken: set[int] = set()
        out: list[_Label] = []
        for run in runs:
            members = [labels[i] for i in run]
            events = [self.by_id[lb.event][1] for lb in members if lb.event is not None]
            if len(events) != len(members):
                continue
            taken.update(run)
            first = events[0]
            text = words[run[0]]
            named = bool(first.label)
            long, short = combined_words(kind, text, len(members), min(e.first.mid for e in events),
                                         max(e.first.mid for e in events), named=named)
            content = long  # the dates and the words when they fit the label's lines uncut, else the count
            lines, lw = self.wrap_label(content)
            if " ".join(lines).split() != content.split():
                content = short
                lines, lw = self.wrap_label(content)
            dates = ", ".join(self.dates_text(e) for e in events)
            head = members[0]
            out.append(_Label(cut=self.is_cut(lines, content), anchor=head.anchor, lines=lines, width=lw,
                              event=head.event, order=head.order, key_text=f"{text}: {dates}", top_y=head.top_y,
                              group=head.group, priority=max(lb.priority for lb in members), kind=kind,
                              members=tuple((lb.event or "", lb.anchor) for lb in members)))
        out.extend(lb for i, lb in enumerate(labels) if i not in taken)
        return sorted(out, key=lambda lb: lb.order)

    # ---------------------------------------------------------------- facts on the chart

    def _late_reviews(self) -> dict[int, int]:
        """File position -> days late, for LAAC reviews held after they were due."""
        if self.facts is None:
            return {}
        return {r.event: r.days_late for r in self.facts.reviews
                if r.event is not None and r.held is not None and r.days_late > 0}

    def _overdue_reviews(self, lane: _Lane, labels: list[_Label], cy: float, order0: int) -> None:
        if self.facts is None:
            return
        t = self.t
        for i, r in enumerate(self.facts.reviews):
            if not r.overdue or r.due < self.scale.start or r.due > self.scale.end:
                continue
            key = f"review-overdue-{i + 1}"
            cx = self.scale.x(r.due)
            title = (f"{_day(r.due)} (age {format_age(self.born, r.due)}): looked-after review due, "
                     f"not held by {_day(self.as_of)} ({_days(r.days_late)} overdue)")
            items = lane.per_event.setdefault(key, [])
            items.append(Marker("circle", cx, cy, t.marker_size, "marker review-overdue"))
            text = f"Review due {_day(r.due)}: not held"
            lines, lw = self.wrap_label(text)
            labels.append(_Label(
                cut=self.is_cut(lines, text), anchor=cx, lines=lines, width=lw, event=None, order=order0 + i,
                key_text=text, top_y=cy + t.marker_size / 2, group=key))
            self._pseudo_titles[key] = (title, "review-overdue")
            self.flags.add("overdue-review")

    def _targets(self, lane: _Lane, labels: list[_Label], cy: float, order0: int) -> None:
        if self.facts is None:
            return
        t = self.t
        sc = self.scale
        for i, m in enumerate(self.facts.milestones):
            if m.target_date is None or m.target_date < sc.start or m.target_date > sc.end:
                continue
            if m.status not in ("met", "missed", "overdue", "pending"):
                continue
            key = f"target-{m.type}"
            name = self.vocab.term("milestone", m.type).abbr
            tx = sc.x(m.target_date)
            items = lane.per_event.setdefault(key, [])
            over_to = m.date if m.status == "missed" else (self.as_of if m.status == "overdue" else None)
            if over_to is not None and over_to > m.target_date:
                ox = sc.x(over_to)
                items.append(Rect(tx, cy - t.marker_row / 4, ox - tx, t.marker_row / 2, "overrun",
                                  fill_pattern=None))
                self.flags.add("overrun")
            half = t.target_tick / 2
            d = _target_tick(tx, cy, half)
            items.append(Path(d, Box(tx - half / 2, cy - half, half, 2 * half), "target-tick"))
            self.flags.add("target")
            over = _days(m.days_over or 0)
            status = {"met": "met", "missed": f"missed by {over}", "overdue": f"overdue by {over}",
                      "pending": "not yet due"}[m.status]
            title = f"{_day(m.target_date)}: target for {name} ({status})"
            if m.extensions:  # the record extends the timetable: the target drawn is the extended one
                title += f", extended {'once' if m.extensions == 1 else f'{m.extensions} times'}"
            self._pseudo_titles[key] = (title, f"target status-{m.status}")
            if m.status == "overdue":
                text = f"{name}: due {_day(m.target_date)}, overdue"
                lines, lw = self.wrap_label(text)
                labels.append(_Label(
                cut=self.is_cut(lines, text), anchor=tx, lines=lines, width=lw, event=None, order=order0 + 100 + i,
                                     key_text=text, top_y=cy + half, group=key, priority=TARGET_PRIORITY))

    def _move_rows(self) -> tuple[list[tuple[float, float, int]], list[int], float]:
        """Moves as (x, diameter, number) by x, their stacking rows, and the row height."""
        assert self.facts is not None
        t = self.t
        moves = []
        for mv in self.facts.move_list:
            d = max(2 * t.move_radius, self.m.width(str(mv.number), t.text_size, True) + t.label_pad + 1.0)
            moves.append((self.scale.x(mv.date), d, mv.number))
        moves.sort()
        rows = first_free([(x - d / 2, x + d / 2 + 1.0) for x, d, _ in moves])
        row_h = max((d for _, d, _ in moves), default=2 * t.move_radius) + t.sub_row_gap
        return moves, [r or 0 for r in rows], row_h

    def _moves_height(self) -> float:
        _, rows, row_h = self._move_rows()
        return (max(rows, default=0) + 1) * row_h + self.t.sub_row_gap

    def _moves(self, top: float, height: float, bars_bottom: float) -> list[Item]:
        """One <g class="move"> per move between consecutive main placements: numbered circle and a line."""
        assert self.facts is not None
        t = self.t
        by_number = {mv.number: mv for mv in self.facts.move_list}
        moves, rows, row_h = self._move_rows()
        out: list[Item] = []
        for (cx, d, number), row in zip(moves, rows, strict=True):
            mv = by_number[number]
            cy = top + height - t.sub_row_gap - (row + 0.5) * row_h
            items: list[Item] = [Line(cx, cy + d / 2, cx, bars_bottom, "move-line"),
                                 Marker("circle", cx, cy, d, "move-marker")]
            label = str(number)
            w = self.m.width(label, t.text_size, True)
            items.append(self.text(cx - w / 2, cy - self.text_h / 2, label, "move-number", bold=True))
            to_e = self.case.events[mv.to_event - 1]
            title = (f"Move {number}: {_day(mv.date)} (age {format_age(self.born, mv.date)}), "
                     f"to {self.term(to_e).label.lower()}")
            out.append(Group(tuple(items), "move", id=f"move-{number}", title=title))
            self.flags.add("move")
        return out

    # ---------------------------------------------------------------- the whole chart

    _pseudo_titles: dict[str, tuple[str, str]]

    def run(self) -> Scene:
        return self.finish(self.chart())

    def chart(self) -> _Drawn:
        """The chart down to the calendar years: everything but the legend and the numbered key (which
        depend on it: the key holds the labels that became numbers). Its `bottom` is a lower bound on the
        height of the whole scene, whatever form the key then takes."""
        t = self.t
        self._pseudo_titles = {}
        self.key, self.numbered, self.combined, self.combined_members, self.kept = [], {}, 0, 0, {}
        background: list[Item] = []
        foreground: list[Item] = []
        leaders: list[Item] = []
        groups: list[Item] = []
        y = t.margin
        if self.title_block:
            y = self._title(foreground, y)
        # header rows: 'as at' label, stages, age ticks
        as_of_x = self.scale.x(self.as_of)
        as_of_text = f"As at {_day(self.as_of)}"
        w = self.m.width(as_of_text, t.text_size, True)
        as_of_label = self.text(self.clamp_x(as_of_x - w, w), y, as_of_text, "as-of-label", bold=True)
        foreground.append(as_of_label)
        y += t.axis_row
        stage_y = y
        y += t.axis_row
        tick_y = y
        y += t.axis_row + t.tick_len
        plot_top = y
        bracket = self._bracket(plot_top)
        if bracket:
            y += t.bracket_row
        lanes_top = y
        lane_boxes: list[tuple[str, float, float]] = []
        for kind, title, events in self._shown_lanes():
            if kind in ("placement", "order"):
                lane = self.span_lane(kind, y + t.lane_pad, events)
            else:
                lane = self.point_lane(kind, y + t.lane_pad, events)
            title_text = title.format(name=self.case.child.name)
            title_lines = self.m.wrap(title_text, t.lane_title_size, t.gutter, t.lane_title_lines, bold=True)
            title_h = len(title_lines) * self.line_h
            height = max(lane.height, title_h) + 2 * t.lane_pad
            for i, line in enumerate(title_lines):
                foreground.append(self.text(self.left, y + t.lane_pad + i * self.line_h, line, "lane-title",
                                            size=t.lane_title_size, bold=True))
            lane_boxes.append((kind, y, height))
            leaders.extend(lane.leaders)
            groups.extend(self._event_groups(lane))
            groups.extend(lane.extras)
            y += height + t.lane_gap
        plot_bottom = max(y - t.lane_gap, lanes_top + t.marker_row)
        # backgrounds that need the plot height: stages, before birth, lane separators
        self._stages(background, foreground, stage_y, plot_top, plot_bottom)
        for i, (_, ly, _lh) in enumerate(lane_boxes):
            if i:
                background.append(Line(self.left, ly - t.lane_gap / 2, self.right, ly - t.lane_gap / 2,
                                       "lane-rule"))
        self._ticks(background, foreground, tick_y, plot_top, plot_bottom)
        if bracket:
            foreground.extend(bracket)
        # under the labels (their white ground keeps them readable where they cross it), over the bands
        background.append(Line(as_of_x, as_of_label.y + as_of_label.height, as_of_x, plot_bottom, "as-of"))
        # calendar years beneath
        y = plot_bottom + t.lane_gap / 2
        self._years(background, foreground, y)
        y += t.year_strip + t.lane_gap
        return _Drawn(tuple(background), tuple(foreground), tuple(leaders), tuple(groups), y)

    def floor(self, limit: float = float("inf")) -> float:
        """A lower bound on `run().height`, cheaper than the run when it passes `limit`: the lanes are laid out
        as `chart` lays them out, top to bottom, and the lanes not yet laid out count at their least (a span
        lane's bars in one sub-row, a point lane's marker row, no label tier), with no fit note and an empty
        legend and key. It stops as soon as the bound passes `limit`. The fit ladder of `layout` skips a
        level whose floor is taller than the room: that level cannot fit, so laying it out could not change
        the answer. Call it on a layout of its own (it leaves a run's counts behind)."""
        t = self.t
        self._pseudo_titles = {}
        self.key, self.numbered, self.combined, self.combined_members, self.kept = [], {}, 0, 0, {}
        y = t.margin
        if self.title_block:
            y = self._title([], y)
        y += 3 * t.axis_row + t.tick_len
        if self.facts is not None and self.facts.looked_after_start is not None:  # `_bracket` draws one
            y += t.bracket_row
        lanes_top = y
        lanes: list[tuple[str, str, list[tuple[int, AnyEvent]], float]] = []  # kind, title, events, least height
        for kind, title, events in self._shown_lanes():
            title_lines = self.m.wrap(title.format(name=self.case.child.name), t.lane_title_size, t.gutter,
                                      t.lane_title_lines, bold=True)
            low = 0.0  # a forced empty lane: its least is left at nothing, which keeps this a lower bound
            if kind in ("placement", "order") and events:
                bar_h = t.placement_bar if kind == "placement" else t.order_bar
                low = self._sub_rows(events) * (bar_h + t.sub_row_gap) - t.sub_row_gap
                if kind == "placement" and self.facts is not None and self.facts.move_list:
                    low += self._moves_height()
            elif events:
                low = t.marker_row
            lanes.append((kind, title, events, max(low, len(title_lines) * self.line_h) + 2 * t.lane_pad
                          + t.lane_gap if events else 0.0))

        def bound(y: float) -> float:
            y = max(y - t.lane_gap, lanes_top + t.marker_row) + t.lane_gap / 2 + t.year_strip + t.lane_gap
            return round(y - (t.lane_gap if self.split else 0.0) + t.margin, 2) - _EPS

        rest = sum(least for *_, least in lanes)
        for kind, title, events, least in lanes:
            if bound(y + rest) > limit:
                break
            rest -= least
            if kind in ("placement", "order"):
                lane = self.span_lane(kind, y + t.lane_pad, events)
            else:
                lane = self.point_lane(kind, y + t.lane_pad, events)
            title_lines = self.m.wrap(title.format(name=self.case.child.name), t.lane_title_size, t.gutter,
                                      t.lane_title_lines, bold=True)
            y += max(lane.height, len(title_lines) * self.line_h) + 2 * t.lane_pad + t.lane_gap
        return bound(y + rest)

    def _shown_lanes(self) -> Iterator[tuple[str, str, list[tuple[int, AnyEvent]]]]:
        """(kind, title, events) of each lane drawn, in order: not hidden, and with events, or a milestone lane
        with targets to show, or a meeting lane with a review overdue."""
        t = self.t
        for kind, title in t.lane_titles:
            if kind in t.hidden_lanes:
                continue
            events = self.lane_events(kind)
            forced = (kind == "milestone" and self._has_targets()) or (kind == "meeting" and self._has_overdue())
            if events or forced:
                yield kind, title, events

    def _sub_rows(self, events: list[tuple[int, AnyEvent]]) -> int:
        """The sub-rows of a span lane's bars, as `span_lane` stacks them (by days), without drawing them."""
        main = sorted(((self._day_span(n, e), n) for n, e in events if not self.term(e).overlay),
                      key=lambda item: (item[0][0], item[1]))  # start order, as span_lane stacks them
        overlays = any(self.term(e).overlay for _, e in events)
        return _stack([span for span, _ in main], overlays=overlays)[1]

    def _end_day(self, n: int, e: AnyEvent) -> date:
        """The day a bar ends: its end, else the end the record implies (drawn as inferred), else as at."""
        if e.last is None and n in self.inferred:
            return max(min(self.inferred[n], self.as_of), e.first.earliest)
        return e.last.latest if e.last is not None else max(self.as_of, e.first.latest)

    def _day_span(self, n: int, e: AnyEvent) -> tuple[int, int]:
        """(first, last) age in days of a bar: sub-rows are stacked by days, not pixels, so a bar widened to
        stay visible does not push its successor down."""
        first = self.scale.age_days(e.first.earliest)
        return first, max(self.scale.age_days(self._end_day(n, e)), first + 1)

    def finish(self, drawn: _Drawn) -> Scene:
        """The scene: the drawn chart with the legend and the key beneath it (or in `Scene.appendix`).

        Reads only the chart's results and the theme, so one drawn chart can be finished with themes that
        differ only in the key's form (`fit_one_page`)."""
        t = self.t
        background, foreground = list(drawn.background), list(drawn.foreground)
        leaders, groups, y = list(drawn.leaders), list(drawn.groups), drawn.bottom
        appendix: tuple[Scene, ...] = ()
        name = self.case.child.name
        note = (shortened_note(self.numbered, key_after=self.split)
                if t.say_shortened and self.split else "")
        # with the key beneath the chart, what was shortened is said beside the key, in its gutter
        self._gutter_note = shortened_note(self.numbered, short=True) if t.say_shortened and not self.split else ""
        if note:  # what was shortened to fit, under the calendar years
            lines = self.m.wrap(note, t.text_size, self.right - self.left, 3)
            for i, line in enumerate(lines):
                foreground.append(self.text(self.left, y + i * self.line_h, line, "fit-note"))
            y += len(lines) * self.line_h + t.lane_gap
        if self.split:
            y -= t.lane_gap
            appendix = self._appendix()
        else:
            y = self._legend(foreground, y)
            y = self._key(foreground, y)[0]
        height = round(y + t.margin, 2)
        items: list[Item] = [Rect(0.0, 0.0, self.width, height, "canvas")]
        items += background
        items.append(Group(tuple(leaders), "leaders"))
        items += groups
        items += foreground
        desc = self._desc()
        if appendix:
            desc += " The legend and the numbered key are printed after the chart."
        hidden = [kind for kind, _ in t.lane_titles if kind in t.hidden_lanes and self.lane_events(kind)]
        if hidden:
            desc += " Left out to fit one page: " + ", ".join(self.vocab.kind_labels[k].lower() for k in hidden) + "."
        return Scene(width=round(self.width, 2), height=height, title=f"Timeline: {name}", desc=desc,
                     style=stylesheet(t, self.vocab), items=tuple(items),
                     patterns=tuple(p for p in t.patterns), font_family=t.font_family, appendix=appendix)

    def score(self) -> tuple[int, ...]:
        """Events with their words on the chart, most important first: compared as a tuple, a layout that
        keeps one more legal order's words beats one that keeps any number more life events'."""
        return tuple(self.kept.get(p, 0) for p in range(max(self.kept, default=0), -1, -1))

    def _appendix(self) -> tuple[Scene, ...]:
        """The legend and the numbered key on canvases of their own (the chart's width), none if both are empty.

        With a `page_height`, each canvas is at most that tall (an image cannot break across pages): the
        key runs on in blocks, each read down its columns then across, the first after the legend.
        """
        t = self.t
        limit = None if self.page_height is None else self.page_height - t.margin
        pages: list[list[Item]] = [[]]
        y = self._legend(pages[0], t.margin)
        bottoms = [y]
        start = 0
        while True:
            out: list[Item] = pages[-1]
            fresh = len(pages) > 1 and not out
            y, placed = self._key(out, bottoms[-1], limit=limit, start=start, continued=len(pages) > 1)
            if fresh and placed == start:  # a page too short for one entry: no limit rather than no end
                y, placed = self._key(out, bottoms[-1], start=start, continued=True)
            bottoms[-1], start = y, placed
            if start >= len(self.key):
                break
            pages.append([])
            bottoms.append(t.margin)
        name = self.case.child.name
        scenes: list[Scene] = []
        for n, (out, bottom) in enumerate(zip(pages, bottoms, strict=True)):
            if not out:
                continue
            height = round(bottom - t.lane_gap + t.margin, 2)
            items: tuple[Item, ...] = (Rect(0.0, 0.0, self.width, height, "canvas"), *out)
            part = f" (part {n + 1} of {len(pages)})" if len(pages) > 1 else ""
            scenes.append(Scene(width=round(self.width, 2), height=height, title=f"Key to the timeline: {name}{part}",
                                desc=f"Legend and numbered labels of {name}'s timeline{part}.",
                                style=stylesheet(t, self.vocab), items=items, patterns=tuple(t.patterns),
                                font_family=t.font_family))
        return tuple(scenes)

    def _has_targets(self) -> bool:
        if self.facts is None:
            return False
        return any(m.target_date is not None and self.scale.start <= m.target_date <= self.scale.end
                   and m.status in ("met", "missed", "overdue", "pending") for m in self.facts.milestones)

    def _has_overdue(self) -> bool:
        if self.facts is None:
            return False
        return any(r.overdue and self.scale.start <= r.due <= self.scale.end for r in self.facts.reviews)

    def _event_groups(self, lane: _Lane) -> list[Item]:
        out: list[Item] = []
        by_id = self.by_id
        late = self._late_reviews()
        for key, items in lane.per_event.items():
            if key in by_id:
                n, e = by_id[key]
                extra = f" (held {_days(late[n])} late)" if n in late else ""
                more: list[str] = ["open"] if e.is_span and e.last is None and n not in self.inferred else []
                if e.is_span and e.last is None and n in self.inferred:
                    more.append("inferred")
                if n in late:
                    more.append("late")
                out.append(Group(tuple(items), self.event_classes(e, *more), id=key, event=key,
                                 title=self.title_of(e, extra)))
            else:
                title, cls = self._pseudo_titles.get(key, ("", key))
                out.append(Group(tuple(items), cls, id=key, title=title))
        return out

    def _desc(self) -> str:
        c = self.case.child
        n = len(self.case.events)
        parts = [f"Timeline of {c.name}'s life from birth ({_day(self.born)}) to {_day(self.as_of)}, "
                 f"drawn against age, with {words.plural(n, 'event')}."]
        f = self.facts
        if f is not None and f.looked_after_start is not None:
            parts.append(f"Looked after for {words.duration_words(f.looked_after_span, short=True)} "
                         f"({words.percent_words(f.days_looked_after, f.age_days)} of life); "
                         f"{words.plural(f.moves, 'placement move')}.")
        return " ".join(parts)

    def _title(self, out: list[Item], y: float) -> float:
        t = self.t
        c = self.case.child
        width = self.right - self.left
        name = self.m.fit(c.name, t.title_size, width, bold=True)
        out.append(self.text(self.left, y, name, "title", size=t.title_size, bold=True))
        y += t.line_height(t.title_size)
        parts = [f"Born {_day(self.born)}"]
        if c.ref:
            parts.append(f"Ref {c.ref}")
        parts.append(f"As at {_day(self.as_of)}, aged {format_age(self.born, self.as_of)}")
        line = self.m.fit("  ·  ".join(parts), t.subtitle_size, width)
        out.append(self.text(self.left, y, line, "subtitle", size=t.subtitle_size))
        return y + t.line_height(t.subtitle_size) + t.title_gap

    def _bracket(self, plot_top: float) -> list[Item]:
        """One looked-after bracket per episode (facts.looked_after_periods), the total's words over them."""
        f = self.facts
        if f is None or f.looked_after_start is None:
            return []
        t = self.t
        sc = self.scale
        periods = f.looked_after_periods or ()
        spans = [(p.start, p.end) for p in periods] or [(f.looked_after_start, f.looked_after_end or self.as_of)]
        xa = sc.x(spans[0][0])
        xb = max(sc.x(spans[-1][1]), xa + 1.0)
        pct = words.percent_words(f.days_looked_after, f.age_days)
        duration = words.duration_words(f.looked_after_span, short=True)
        count = f" in {len(spans)} periods" if len(spans) > 1 else ""
        text = f"{duration} looked after{count} {DASH} {pct} of {self.case.child.name}'s life"
        text = self.m.fit(text, t.text_size, self.right - self.x0, bold=True)
        w = self.m.width(text, t.text_size, True)
        ty = plot_top + 1.0
        tx = self.clamp_x((xa + xb) / 2 - w / 2, w)
        by = plot_top + t.bracket_row - 3.0
        paths: list[Item] = []
        for start, end in spans:
            pa = sc.x(start)
            pb = max(sc.x(end), pa + 1.0)
            d = (shapes.move(pa, by), shapes.vertical(by - t.bracket_tick), shapes.horizontal(pb), shapes.vertical(by))
            paths.append(Path(d, Box(pa, by - t.bracket_tick, pb - pa, t.bracket_tick), "bracket"))
        label = self.text(tx, ty, text, "bracket-label", bold=True)
        bg = Rect(tx - t.label_pad, ty, w + 2 * t.label_pad, self.text_h, "label-bg", rx=2.0)
        each = "; ".join(
            f"{_day(p.start)} to {_day(p.end) if not p.ongoing else _day(self.as_of) + ' (still looked after)'}"
            for p in periods)
        title = (f"Looked after {each or 'from ' + _day(f.looked_after_start)}: {duration}{count}, "
                 f"{f.percent_of_life_looked_after}% of life")
        self.flags.add("bracket")
        return [Group((*paths, bg, label), "looked-after", id="looked-after", title=title)]

    def _stages(self, bg: list[Item], fg: list[Item], label_y: float, top: float, bottom: float) -> None:
        t = self.t
        sc = self.scale
        h = bottom - top
        placed: list[Box] = [item.box for item in fg if isinstance(item, Text)]
        if sc.start < self.born:
            xb = sc.x(self.born)
            bg.append(Rect(sc.x0, top, xb - sc.x0, h, "before-birth"))
            for name in (t.before_birth_name, t.before_birth_short):
                if self._stage_label(fg, placed, name, sc.x0, xb, label_y):
                    break
        for i, st in enumerate(t.stages):
            a = sc.birthday(int(st.start_years))
            b = sc.birthday(int(st.end_years)) if st.end_years is not None else sc.end
            a, b = max(a, sc.start, self.born), min(b, sc.end)
            if b <= a:
                continue
            xa, xb = sc.x(a), sc.x(b)
            bg.append(Rect(xa, top, xb - xa, h, f"band band-{i % 2}"))
            self._stage_label(fg, placed, st.name, xa, xb, label_y)

    def _stage_label(self, fg: list[Item], placed: list[Box], name: str, xa: float, xb: float, y: float) -> bool:
        """Centre a band's name over it when it fits and collides with nothing; True when drawn."""
        t = self.t
        w = self.m.width(name, t.text_size)
        if w + 2 * t.label_pad > xb - xa:
            return False
        item = self.text(self.clamp_x(xa + (xb - xa - w) / 2, w), y, name, "stage-label")
        if any(item.box.overlaps(b) for b in placed):
            return False
        placed.append(item.box)
        fg.append(item)
        return True

    def _ticks(self, bg: list[Item], fg: list[Item], label_y: float, top: float, bottom: float) -> None:
        t = self.t
        sc = self.scale
        size = t.text_size
        ticks = sc.age_ticks(min_spacing=self.m.width("Age 88", size, True) + t.tick_label_gap,
                             year_steps=t.year_steps, month_steps=t.month_steps,
                             short_span_years=t.short_span_years,
                             month_min_spacing=self.m.width("88 y 88 m", size) + t.tick_label_gap)
        last_right = -1e9
        majors = [tk for tk in ticks if tk.major]
        minors = [tk for tk in ticks if not tk.major]
        placed: list[Box] = []
        for tk in majors + minors:
            bg.append(Line(tk.x, top - (t.tick_len if tk.major else t.month_tick_len), tk.x, bottom,
                           "tick-major" if tk.major else "tick-minor"))
            if not tk.label:
                continue
            bold = tk.major
            w = self.m.width(tk.label, size, bold)
            x = self.clamp_x(tk.x - w / 2, w, lo=self.x0 - t.gutter_gap)
            item = self.text(x, label_y, tk.label, "tick-label" if tk.major else "tick-label minor", bold=bold)
            grown = Box(item.x - t.tick_label_gap / 2, item.y, item.width + t.tick_label_gap, item.height)
            if any(grown.overlaps(b) for b in placed):
                continue
            placed.append(grown)
            fg.append(item)
            last_right = max(last_right, item.x + w)

    def _years(self, bg: list[Item], fg: list[Item], y: float) -> None:
        t = self.t
        for i, (year, xa, xb) in enumerate(self.scale.year_cells()):
            bg.append(Rect(xa, y, xb - xa, t.year_strip, f"year-cell year-{year % 2}"))
            for text in (str(year), f"’{year % 100:02d}"):
                w = self.m.width(text, t.text_size)
                if w + 2 * t.label_pad <= xb - xa:
                    fg.append(self.text(xa + (xb - xa - w) / 2, y + (t.year_strip - self.text_h) / 2, text,
                                        "year-label"))
                    break
            del i
        fg.append(self.text(self.left, y + (t.year_strip - self.text_h) / 2, "Calendar year", "lane-title",
                            bold=True))

    def _legend(self, out: list[Item], y: float) -> float:
        """A legend built from what was drawn: swatches with their patterns, marker shapes, and extras."""
        t = self.t
        entries: list[tuple[list[Item], float, str]] = []  # (swatch items at x=0,y=0), swatch width, text
        s = t.legend_swatch
        for code in self.vocab.codes("placement"):
            if code in self.drawn_types.get("placement", []):
                term = self.vocab.term("placement", code)
                sw: list[Item] = [Rect(0, 0, s * 1.6, s, f"bar fill-placement-{code}")]
                if term.pattern and t.pattern(term.pattern):
                    sw.append(Rect(0, 0, s * 1.6, s, "hatch", fill_pattern=f"pat-{term.pattern}"))
                entries.append((sw, s * 1.6, term.label))
        for code in self.vocab.codes("order"):
            if code in self.drawn_types.get("order", []):
                term = self.vocab.term("order", code)
                cls = f"bar fill-order-{code}" + (" permanence" if term.route else "")
                text = term.label if term.abbr in term.label else f"{term.abbr}: {term.label}"
                entries.append(([Rect(0, 0, s * 1.6, s, cls)], s * 1.6, text))
        for kind in ("hearing", "meeting", "milestone", "event"):
            seen: list[str] = []
            for code in self.vocab.codes(kind):
                if code not in self.drawn_types.get(kind, []):
                    continue
                shape = self.vocab.term(kind, code).marker or "circle"
                if shape in seen:
                    continue
                seen.append(shape)
                cls = f"marker marker-{kind}" + (" court" if shape == "triangle" else "")
                name = self.vocab.kind_labels[kind]
                if kind == "hearing":
                    name = self.vocab.word("court_legend" if shape == "triangle" else "hearing_legend")
                entries.append(([Marker(shape, s / 2, s / 2, t.marker_size, cls)], s, name))
        extras: list[tuple[str, list[Item], float, str]] = [
            ("move", [Marker("circle", s / 2, s / 2, s, "move-marker")],
             s, "Move between placements (numbered)"),
            ("open", [Path((shapes.move(0, 0), shapes.horizontal(s), shapes.line(s * 1.6, s / 2), shapes.line(s, s),
                            shapes.horizontal(0), shapes.close()),
                           Box(0, 0, s * 1.6, s), "bar legend-open")], s * 1.6, "Continues after the 'as at' date"),
            ("planned", [Rect(0, 0, s * 1.6, s, "bar legend-planned")], s * 1.6, "Planned (dashed, hollow)"),
            ("inferred", [Rect(0, 0, s * 1.6, s, "fuzzy inferred", fill_pattern="pat-hatch")], s * 1.6,
             "End inferred from a later event"),
            ("approx", [Rect(0, 0, s * 1.6, s, "fuzzy", fill_pattern="pat-hatch")], s * 1.6,
             "Date approximate (c.)"),
            ("target", [Path(_target_tick(s / 2, s / 2, s / 2), Box(s / 4, 0, s / 2, s), "target-tick")], s,
             "Target date"),
            ("overrun", [Rect(0, s / 4, s * 1.6, s / 2, "overrun")], s * 1.6, "Time beyond target"),
            ("late", [Marker("circle", s / 2, s / 2, s, "late-ring")], s,
             "Review held late"),
            ("overdue-review", [Marker("circle", s / 2, s / 2, t.marker_size,
                                       "marker review-overdue")], s, "Review due, not held"),
        ]
        for flag, sw, sw_w, text in extras:
            if flag in self.flags:
                entries.append((sw, sw_w, text))
        if not entries:
            return y
        row_h = t.legend_row
        out.append(self.text(self.left, y + (row_h - self.text_h) / 2, "Key", "lane-title", bold=True))
        x = self.x0
        for sw, sw_w, text in entries:
            max_text = self.right - self.x0 - sw_w - t.label_pad * 2
            text = self.m.fit(text, t.text_size, max_text)
            w = sw_w + t.label_pad * 2 + self.m.width(text, t.text_size)
            if x + w > self.right and x > self.x0:
                x = self.x0
                y += row_h
            dx, dy = x, y + (row_h - s) / 2
            moved: list[Item] = [_moved(item, dx, dy) for item in sw]
            out.append(Group(tuple(moved), "legend-swatch"))
            out.append(self.text(x + sw_w + t.label_pad * 2, y + (row_h - self.text_h) / 2, text, "legend-text"))
            x += w + t.legend_gap
        return y + row_h + t.lane_gap

    def _key(self, out: list[Item], y: float, *, limit: float | None = None, start: int = 0,
             continued: bool = False) -> tuple[float, int]:
        """The numbered key from entry `start`: labels that became numbers, in columns, each wrapped to the
        column. Returns (the y below it, the first entry not placed).

        Without `limit` every entry is placed, in balanced columns. With `limit` (the lowest y a canvas may
        use) the entries that fit above it are placed, filling each column before the next, so that a key
        too long for one page reads down and across page by page; the last block is balanced again.
        """
        if start >= len(self.key):
            return y, start
        t = self.t
        title = "Numbered labels" if any(n is not None for n, _ in self.key) else "Combined labels"
        title = f"{title} (continued)" if continued else title
        head = [self.text(self.left, y + i * self.line_h, line, "lane-title", bold=True)  # wrapped to the gutter
                for i, line in enumerate(self.m.wrap(title, t.text_size, t.gutter, 2, bold=True))]
        if self._gutter_note and not continued:  # what was shortened, under the title, in the gutter
            below = head[-1].y + self.line_h
            head += [self.text(self.left, below + i * self.line_h, line, "fit-note")
                     for i, line in enumerate(self.m.wrap(self._gutter_note, t.text_size, t.gutter, 12))]
        cols = max(1, t.key_columns)
        col_w = (self.right - self.x0) / cols
        if self._key_number_width is None:  # measured once, not once per page of the key
            widest = max((self.m.width(str(n), t.text_size, True) for n, _ in self.key if n is not None), default=0.0)
            self._key_number_width = max(t.key_number_width, widest + t.label_gap)
        num_w = self._key_number_width
        max_lines = t.key_max_lines or KEY_LINES_MAX  # never cut short: an entry wraps to what it needs
        room = math.inf if limit is None else limit - y
        entries: list[tuple[int | None, tuple[str, ...]]] = []
        for number, text in self.key[start:]:
            lines = tuple(self.m.wrap(text, t.text_size, col_w - num_w - t.label_gap, max_lines)) or ("",)
            entries.append((number, lines))
            if len(entries) * self.line_h > room * cols:  # more than can possibly fit: stop wrapping
                break
        columns = _key_columns([len(lines) * self.line_h for _, lines in entries], cols, room)
        placed = sum(len(c) for c in columns)
        if placed == 0:  # not even one entry fits under the title: the caller starts a new canvas
            return y, start
        out.extend(head)
        bottom = head[-1].y + head[-1].height if head else y
        for c, column in enumerate(columns):
            x, cy = self.x0 + c * col_w, y
            for i in column:
                number, lines = entries[i]
                if number is not None:
                    out.append(self.text(x, cy, str(number), "key-number", bold=True))
                else:  # a combined label's events and dates: a bullet, its words lead as on the chart
                    out.append(self.text(x, cy, KEY_BULLET, "key-mark", bold=True))
                for j, line in enumerate(lines):
                    out.append(self.text(x + num_w, cy + j * self.line_h, line, "key-text"))
                cy += len(lines) * self.line_h
            bottom = max(bottom, cy)
        return bottom + t.lane_gap, start + placed


def _key_columns(heights: list[float], cols: int, room: float) -> list[list[int]]:
    """Entry indices per column for one block of the key: balanced (the same count per column, as many as
    needed) when they all fit in `room`, else columns filled to `room` one after another.

    Prefix sums keep it linear: each column's height is one subtraction.
    """
    n = len(heights)
    if n == 0:
        return []
    prefix = [0.0]
    for h in heights:
        prefix.append(prefix[-1] + h)
    per = -(-n // cols)
    balanced = [list(range(i, min(i + per, n))) for i in range(0, n, per)]
    if all(prefix[c[-1] + 1] - prefix[c[0]] <= room + 0.01 for c in balanced):
        return balanced
    columns: list[list[int]] = []
    i = 0
    for _ in range(cols):
        j = i
        while j < n and prefix[j + 1] - prefix[i] <= room + 0.01:
            j += 1
        if j == i:
            break
        columns.append(list(range(i, j)))
        i = j
    return columns


def _moved(item: Item, dx: float, dy: float) -> Item:
    """A legend swatch primitive drawn at (0, 0), moved to (dx, dy)."""
    if isinstance(item, Rect):
        return Rect(round(item.x + dx, 2), round(item.y + dy, 2), item.width, item.height, item.cls,
                    fill_pattern=item.fill_pattern, rx=item.rx)
    if isinstance(item, Marker):
        cx, cy = item.cx + dx, item.cy + dy
        return Marker(item.shape, cx, cy, item.size, item.cls)
    if isinstance(item, Path):
        return Path(shapes.translated(item.segments, dx, dy), Box(item.bounds.x + dx, item.bounds.y + dy,
                    item.bounds.width, item.bounds.height), item.cls)
    return item


def _target_tick(x: float, cy: float, half: float) -> tuple[Segment, ...]:
    """A target date's tick: a vertical stroke `2 * half` tall on (x, cy) with a bar `half` wide at each end."""
    top, bottom = cy - half, cy + half
    return (shapes.move(x, top), shapes.vertical(bottom), shapes.move(x - half / 2, top),
            shapes.horizontal(x + half / 2), shapes.move(x - half / 2, bottom), shapes.horizontal(x + half / 2))


def stylesheet(theme: Theme, vocab: Vocabulary) -> StyleSheet:
    """The one stylesheet: fonts and colours by class. Built from theme and vocabulary data only, never user text."""
    t = theme
    ink, faint, rule_ink, back = t.ink, t.faint, t.rule, t.background
    rules = [
        rule("text", font_family=font_families(t), font_size=t.text_size, fill=ink),
        rule(".canvas", fill=back),
        rule(".title", font_size=t.title_size, font_weight="bold"),
        rule(".subtitle", font_size=t.subtitle_size, fill=t.muted),
        rule(".lane-title,.as-of-label,.bracket-label,.move-number,.key-number,.key-mark", font_weight="bold"),
        rule(".tick-label", font_weight="bold"), rule(".tick-label.minor", font_weight="normal", fill=t.muted),
        rule(".stage-label,.year-label,.fit-note", fill=t.muted),
        rule(".band-0", fill=t.band_fills[0]), rule(".band-1", fill=t.band_fills[1]),
        rule(".before-birth", fill=t.before_birth_fill),
        rule(".year-0", fill=t.year_fills[0], stroke=faint), rule(".year-1", fill=t.year_fills[1], stroke=faint),
        rule(".tick-major", stroke=rule_ink, stroke_width=0.8), rule(".tick-minor", stroke=faint, stroke_width=0.6),
        rule(".lane-rule", stroke=faint, stroke_width=1),
        rule(".as-of", stroke=t.as_of_colour, stroke_width=2.5),
        rule(".leader", stroke=rule_ink, stroke_width=0.8),
        rule(".label-bg,.bar-label-bg", fill=t.label_background, fill_opacity=0.9),
        rule(".bar", stroke=ink, stroke_width=0.8),
        rule(".bar.overlay", stroke_width=0.6),
        rule(".bar.permanence", stroke_width=2.2, stroke=ink),
        rule(".hatch", stroke=None),
        rule(".fuzzy", fill_opacity=1, stroke=None, opacity=0.75),
        rule(".fuzzy.inferred", stroke=ink, stroke_width=0.8, stroke_dasharray="2 2"),  # an end the record implies
        rule(".arrow", stroke=ink, stroke_width=0.8),
        rule(".marker", stroke=ink, stroke_width=1),
        rule(".court", fill=t.court_fill),
        rule(".marker.review-overdue", fill=back, stroke=t.late_colour, stroke_width=2, stroke_dasharray="2 2"),
        rule(".late-ring", fill=None, stroke=t.late_colour, stroke_width=2),
        rule(".fuzzy-range", fill=faint),
        rule(".move-marker", fill=back, stroke=t.move_colour, stroke_width=1.5),
        rule(".move-line", stroke=t.move_colour, stroke_width=1.5, stroke_dasharray="3 2"),
        rule(".bracket", fill=None, stroke=ink, stroke_width=1.5),
        rule(".overrun", fill=t.overrun_fill, fill_opacity=0.35, stroke=t.overrun_fill, stroke_width=0.8),
        rule(".target-tick", fill=None, stroke=t.target_colour, stroke_width=1.5),
        rule(".pattern-ink", stroke=t.hatch_ink, fill=t.hatch_ink, stroke_width=1, opacity=t.hatch_opacity),
        rule(".pattern-bg", fill=back),
        rule(".legend-open", fill=t.placement_default_fill),
        rule(".legend-planned", fill=back, stroke_dasharray="4 3"),
        rule(".planned .bar,.planned .arrow", fill_opacity=0.3, stroke_dasharray="4 3"),
        rule(".planned .marker", fill=back, stroke_dasharray="2 1.5"),
        rule(".planned .hatch", opacity=0.4),
    ]
    for kind, fill in t.marker_fills.items():
        rules.append(rule(f".marker-{kind}", fill=fill))
    rules.append(rule(".marker.court", fill=t.court_fill))
    rules.extend(fill_rules(t, vocab))
    return StyleSheet(tuple(rules))


def font_families(t: Theme) -> tuple[str, ...]:
    """The text's font list: the bundled font, then the theme's fallbacks."""
    return (t.font_family, *(name.strip() for name in t.font_fallback.split(",")))


def fill_rules(t: Theme, vocab: Vocabulary) -> list[Rule]:
    """The fill of each placement and order code, as the single-child chart colours them (the cohort's
    journeys use the same rules, so a foster placement is one colour everywhere)."""
    rules = []
    for code in vocab.codes("placement"):
        colour = vocab.term("placement", code).colour or t.placement_default_fill
        rules.append(rule(f".fill-placement-{code}", fill=colour))
    for code in vocab.codes("order"):
        rules.append(rule(f".fill-order-{code}", fill=t.order_fills.get(code, t.order_default_fill)))
    return rules


def layout(case: Case, *, facts: Facts | None, theme: Theme, metrics: TextMetrics, width: float,
           title_block: bool = True, max_height: float | None = None, page_height: float | None = None) -> Scene:
    """Lay out one case as a Scene `width` px wide; the height grows with the content.

    With `max_height` (a report's room for the chart on page 1), text keeps its size -- it must print at
    9 pt -- and the layout gives way instead, first to last until the chart fits: the legend and numbered
    key move to `Scene.appendix` (canvases at most `page_height` tall, so that none is cut at a page's
    foot), spacing tightens, and fewer label tiers per lane turn more labels into numbers. When even the
    tightest layout is taller, that tightest one is returned (the caller decides).
    """
    if max_height is None:
        return _Layout(case, facts, theme, metrics, width, title_block).run()
    # A level whose floor (`_Layout.floor`, a lower bound of its height) is taller than the room cannot fit,
    # so it is not laid out; the tightest level is always laid out when reached (it is returned when nothing
    # fits). Each floor is taken on a layout of its own, so the layouts that do run start as before.
    if _Layout(case, facts, theme, metrics, width, title_block).floor(max_height) <= max_height:
        scene = _Layout(case, facts, theme, metrics, width, title_block).run()
        if scene.height <= max_height:
            return scene
    for level in range(COMPACT.levels + 1):
        if level < COMPACT.levels and _Layout(case, facts, theme.compact(level), metrics, width, title_block,
                                              split=True, page_height=page_height).floor(max_height) > max_height:
            continue
        run = _Layout(case, facts, theme.compact(level), metrics, width, title_block, split=True,
                      page_height=page_height)
        scene = run.run()
        if scene.height <= max_height:
            return _grow(lambda t: _Layout(case, facts, t, metrics, width, title_block, split=True,
                                           page_height=page_height), run, scene, max_height)
    return scene


@dataclass(frozen=True, slots=True)
class LayoutPass:
    """One layout pass at one theme: its scene, and how many labels of each lane kind it drew as numbers."""

    scene: Scene
    numbered: tuple[tuple[str, int], ...]  # (lane kind, labels drawn as numbers), in the order they were drawn


def layout_pass(case: Case, *, facts: Facts | None, theme: Theme, metrics: TextMetrics, width: float,
                title_block: bool = True, split: bool = False, page_height: float | None = None) -> LayoutPass:
    """Exactly one layout run at `theme`, without the budget ladder of `layout` or `fit_one_page`: what each
    of their candidates is (tests compare against it). `split` moves the legend and numbered key to
    `Scene.appendix` (canvases at most `page_height` tall), as a budgeted layout does."""
    run = _Layout(case, facts, theme, metrics, width, title_block, split=split, page_height=page_height)
    scene = run.run()
    return LayoutPass(scene, tuple(run.numbered.items()))


def key_columns(heights: list[float], cols: int, room: float) -> list[list[int]]:
    """Entry indices per column for one block of the numbered key (entries `heights` px tall, `cols` columns,
    `room` px tall): balanced when they all fit, else filled in turn; [] when not even one fits."""
    return _key_columns(heights, cols, room)


def _grow(make: Callable[[Theme], _Layout], run: _Layout, scene: Scene, max_height: float) -> Scene:
    """`_grown` without the run: the scene only."""
    return _grown(make, run, scene, max_height)[1]


def _grown(make: Callable[[Theme], _Layout], run: _Layout, scene: Scene, max_height: float
           ) -> tuple[_Layout, Scene]:
    """Spend a page's free height on label tiers: starting from a layout that fits, give one lane at a time
    (what matters first, `labels.GROW_ORDER`) another tier while the whole still fits and more events keep
    their words; the best layout found. From a layout that does not fit (its key too long), a tier is kept
    while it makes the whole shorter (words instead of key entries), until it fits. Each try is one layout,
    so big cases are not searched."""
    if len(run.case.events) > GROW_MAX_EVENTS:
        return run, scene
    best, best_scene = run, scene
    grown = True
    tries = GROW_MAX_TRIES
    while grown and tries > 0:
        grown = False
        fits = best_scene.height <= max_height
        for kind in GROW_ORDER:
            if not best.numbered.get(kind) and not best.bare.get(kind):
                continue
            t = best.t
            tiers = t.tiers_for(kind)
            if tiers >= GROW_MAX_TIERS:
                continue
            for more in range(tiers + 1, min(tiers + GROW_LOOKAHEAD, GROW_MAX_TIERS) + 1):  # a tier may not
                # help until the next one comes
                lanes = (*((k, n) for k, n in t.lane_tiers if k != kind), (kind, more))
                if tries <= 0:
                    break
                tries -= 1
                trial = make(replace(t, lane_tiers=lanes))
                trial_scene = trial.run()
                better = (trial_scene.height <= max_height and trial.score() > best.score() if fits
                          else trial_scene.height < best_scene.height - _EPS)  # not yet fitting: shorter is better
                if better:
                    best, best_scene, grown = trial, trial_scene, True
                    fits = best_scene.height <= max_height
                    break
                if not (trial.numbered.get(kind) or trial.bare.get(kind)) or (fits and trial_scene.height > max_height):
                    break  # nothing left to gain in this lane, or already too tall
    return best, best_scene


@dataclass(frozen=True, slots=True)
class OnePage:
    """A chart fitted to one page with its legend and key: the scene, how it fits, and what gave way."""

    scene: Scene
    fits: bool  # False: no candidate fits the room (the scene is then the shortest candidate)
    level: int  # the compact level used (0: the normal layout)
    step: int  # index into theme.ONE_PAGE_STEPS
    left_out: str  # what was left out, in words for the reader ('' when nothing)
    form: tuple[int, int] = (0, 0)  # the key's form (columns, lines per entry); (0, 0): the theme's own


def one_page_theme(theme: Theme, level: int, step: OnePageStep, key_form: tuple[int, int] = (0, 0)) -> Theme:
    """`theme` at compact `level`, with `step`'s lanes given way and the key in `key_form` (columns, lines)."""
    t = theme.compact(level)
    if level <= 0 and not step.hidden and not step.unlabelled:
        return t
    columns, lines = key_form
    return replace(t, hidden_lanes=step.hidden, unlabelled_lanes=step.unlabelled,
                   key_columns=columns or t.key_columns, key_max_lines=lines or t.key_max_lines,
                   legend_row=min(t.legend_row, ONE_PAGE_LEGEND_ROW))


def _bare(t: Theme, kind: str) -> Theme:
    """`t` with lane `kind` labelled where its words fit and bare markers elsewhere (no numbers), starting
    with no tier of its own (words beside markers only): `_grow` then spends the free height on its tiers."""
    return replace(t, unlabelled_lanes=tuple(k for k in t.unlabelled_lanes if k != kind),
                   bare_lanes=(*(k for k in t.bare_lanes if k != kind), kind),
                   lane_tiers=(*((k, n) for k, n in t.lane_tiers if k != kind), (kind, 0)))


def _give_back(t: Theme, fits: Callable[[Theme], tuple[Theme, Scene] | None]) -> tuple[Theme, Scene | None]:
    """What a one-page step took, given back lane by lane where the page still fits, most important first:
    the labels of milestones (permanence steps), hearings, meetings; then life events as markers, then
    their labels. A lane's labels come back whole (numbers for what finds no room) where that fits, else in
    part (`_bare`: the words that fit, most important first, the rest bare markers). `fits` lays a theme
    out and returns the theme it settled on (its tiers grown) and its scene when it fits, else None.
    Returns the last theme that fitted and its scene (None when nothing could be given back)."""
    best: Scene | None = None

    def attempt(trial: Theme) -> bool:
        nonlocal t, best
        fitted = fits(trial)
        if fitted is not None:
            t, best = fitted
        return fitted is not None

    for kind in ("milestone", "hearing", "meeting"):  # by `labels.priority`: permanence steps first
        if kind in t.unlabelled_lanes:
            whole = replace(t, unlabelled_lanes=tuple(k for k in t.unlabelled_lanes if k != kind))
            if not attempt(whole):
                attempt(_bare(t, kind))
    if "event" in t.hidden_lanes and not attempt(
            replace(t, hidden_lanes=tuple(k for k in t.hidden_lanes if k != "event"),
                    unlabelled_lanes=(*(k for k in t.unlabelled_lanes if k != "event"), "event"))):
        return t, best
    if "event" in t.unlabelled_lanes and not attempt(
            replace(t, unlabelled_lanes=tuple(k for k in t.unlabelled_lanes if k != "event"))):
        attempt(_bare(t, "event"))
    return t, best


_LEFT_OUT_NAMES: dict[str, tuple[str, ...]] = {"meeting": ("meetings", "reviews"), "milestone": ("milestones",),
                                               "hearing": ("hearings",), "event": ("life events",)}


def left_out_words(hidden: Sequence[str], unlabelled: Sequence[str], bare: Mapping[str, int] | None = None) -> str:
    """What a one-page chart leaves out, in words: 'life events; labels of meetings, reviews and milestones'
    (the words of `theme.ONE_PAGE_STEPS` for the same lanes); `bare` (lane -> events left as bare markers in
    a lane that keeps its other labels) adds 'labels of 12 meetings and reviews'."""
    parts = ["life events"] if "event" in hidden else []
    names = [n for k in ("meeting", "milestone", "hearing", "event") if k in unlabelled for n in _LEFT_OUT_NAMES[k]]
    names += [counted(k, bare[k]) for k in ("meeting", "milestone", "hearing", "event")
              if bare and bare.get(k) and k not in unlabelled]
    if names:
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        parts.append(f"labels of {listed}")
    return "; ".join(parts)


def fit_one_page(case: Case, *, facts: Facts | None, theme: Theme, metrics: TextMetrics, width: float,
                 max_height: float, title_block: bool = False) -> OnePage:
    """The chart with its legend and numbered key on ONE canvas no taller than `max_height`, text at full size.

    For a one-page view (the Children's Hearing), where a number without its key is useless: the key stays
    with the chart and counts against the room. The normal layout is tried first, then each step of
    `ONE_PAGE_STEPS` (least important content first) at compact levels 1..COMPACT.levels, each with the key
    forms of `ONE_PAGE_KEY_FORMS`; the first that fits wins. The key grows as labels become numbers, so a
    tighter level is not always shorter: every candidate counts, in order.

    Two shortcuts keep big cases quick and give the same answer. The last step gives way on the most, and
    at a given level and key form no earlier step is shorter (tests check it): so the last step's
    candidates are laid out first, and when none of them fits, nothing does -- the shortest candidate is
    then returned with `fits=False` (the caller draws it smaller). And the key's forms share one drawn
    chart: a chart already taller than the room without its legend and key rules out all its forms.
    """
    steps = len(ONE_PAGE_STEPS)
    theme = replace(theme, list_combined=True)  # no table on the page: the key lists a combined label's events

    def named(scene: Scene, level: int, index: int, form: tuple[int, int] = (0, 0)) -> OnePage:
        return OnePage(scene, scene.height <= max_height, level, index, ONE_PAGE_STEPS[index].words, form)

    def make(t: Theme) -> _Layout:
        return _Layout(case, facts, t, metrics, width, title_block)

    def grown(fitted: OnePage) -> OnePage:
        """The fitted candidate with the page's free height spent: first on giving back what its step took
        (the labels of the most important lane first, then life events as markers, then their labels), then
        on label tiers (`_grow`). What is still left out is said in `left_out`."""
        t = one_page_theme(theme, fitted.level, ONE_PAGE_STEPS[fitted.step], fitted.form)
        run = make(t)
        run, scene = _grown(make, run, run.run(), max_height)
        if len(case.events) <= GROW_MAX_EVENTS and scene.height <= max_height:
            def fits(back: Theme) -> tuple[Theme, Scene] | None:
                """`back` laid out, grown where it is too tall with numbers (words instead may fit) or where
                a lane keeps only some words (its tiers before any less important lane is given back)."""
                trial = make(back)
                trial_scene = trial.run()
                if back.bare_lanes or (max_height < trial_scene.height < max_height + GIVE_BACK_REACH
                                       and trial.numbered):
                    trial, trial_scene = _grown(make, trial, trial_scene, max_height)
                return (trial.t, trial_scene) if trial_scene.height <= max_height else None

            given, back_scene = _give_back(t, fits)
            if back_scene is not None:
                t = given
                trial = make(t)
                run, scene = _grown(make, trial, trial.run(), max_height)
        if scene.height > max_height:  # the growth of a rescued candidate may not reach the room
            return replace(fitted, scene=scene)
        return replace(fitted, scene=scene, left_out=left_out_words(t.hidden_lanes, t.unlabelled_lanes, run.bare))

    first = named(_Layout(case, facts, theme, metrics, width, title_block).run(), 0, 0)
    if first.fits:
        return first
    done: dict[tuple[int, int], list[OnePage]] = {}  # (level, step) -> its candidates, one per key form

    def candidates(level: int, index: int, *, whole: bool) -> list[OnePage]:
        """The candidates of one (level, step), one per key form; without `whole`, none when the chart
        alone is too tall (they could not fit)."""
        if (level, index) in done:
            return done[(level, index)]
        step = ONE_PAGE_STEPS[index]
        run = _Layout(case, facts, one_page_theme(theme, level, step, ONE_PAGE_KEY_FORMS[0]), metrics, width,
                      title_block)
        drawn = run.chart()
        out: list[OnePage] = []
        if whole or drawn.bottom + run.t.margin <= max_height:
            for form in ONE_PAGE_KEY_FORMS:
                run.t = one_page_theme(theme, level, step, form)  # the same spacing; only the key's form differs
                out.append(named(run.finish(drawn), level, index, form))
        done[(level, index)] = out
        return out

    levels = range(1, COMPACT.levels + 1)
    tightest = [fitted for level in levels for fitted in candidates(level, steps - 1, whole=True)]
    if not any(fitted.fits for fitted in tightest):
        return min((first, *tightest), key=lambda fitted: fitted.scene.height)
    for index in range(steps):
        for level in levels:
            for fitted in candidates(level, index, whole=False):
                if fitted.fits:
                    return grown(fitted)
        if index == 0 and candidates(1, index, whole=False):  # before anything is left out: words for
            # numbers, if that is shorter (not when the chart alone is already too tall)
            rescued = grown(named(_Layout(case, facts, one_page_theme(theme, 1, ONE_PAGE_STEPS[index],
                                                                        ONE_PAGE_KEY_FORMS[0]),
                                          metrics, width, title_block).run(), 1, index, ONE_PAGE_KEY_FORMS[0]))
            if rescued.scene.height <= max_height:
                return replace(rescued, fits=True)
    raise AssertionError("unreachable: a candidate of the last step fits")  # pragma: no cover


__all__ = ["OnePage", "first_free", "fit_one_page", "layout", "one_page_theme", "stylesheet"]
