"""Cohort stage (layout): the cohort figures -> one Scene per A4 landscape page; all geometry lives here.

Pages: 1 key figures and the steps table; 2 run charts (one per PACE step pair); 3 time to legal
permanence (Kaplan-Meier) and the children waiting longest; then the journeys (one thin row per child on
the age axis, small multiples by --by) and, if any, the children left out. Each page is as wide as the
printable width of A4 landscape at 96 dpi, so 12 px text prints at 9 pt, the house minimum. Colours come
from the theme and the vocabulary (placements as on the single-child chart); every series is also told
apart by shape or dash, so a greyscale print reads.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from .. import shapes
from ..dates import PartialDate
from ..layout import fill_rules, font_families
from ..scene import Box, Item, Line, Marker, Path, Rect, Scene, Text
from ..style import StyleSheet, rule
from ..text import TextMetrics, default_metrics
from ..theme import DEFAULT_THEME, OKABE_ITO, Theme, printable_height_px, printable_width_px
from ..vocabulary import load_vocabulary
from .km import KMCurve
from .measures import (
    AGE_BANDS,
    PLACEMENT_NOW_KEYS,
    PLACEMENT_NOW_WORDS,
    REACHED_BY_DAYS,
    SUPPRESS_BELOW,
    SUPPRESSED,
    Cohort,
    RunChart,
    shared_counts,
)
from .measures import shown as _shown
from .read import ChildRecord

TEXT = 12.0  # px: prints at 9 pt on the page
HEAD = 14.0
TITLE = 20.0
GAP = 14.0
KM_DASHES = ("none", "7 3", "2 2", "9 3 2 3", "4 4", "9 2 2 2 2 2")  # overall first; greyscale tells them apart
KM_COLOURS = (OKABE_ITO["black"], OKABE_ITO["blue"], OKABE_ITO["vermillion"], OKABE_ITO["bluish_green"],
              OKABE_ITO["reddish_purple"], OKABE_ITO["orange"])
SIGNAL_COLOUR = OKABE_ITO["vermillion"]
TARGET_COLOUR = OKABE_ITO["blue"]
MAX_SERIES_LINE = 250  # more points than this: no joining line (it would be a smear)
MIN_ROW = 0.6  # px per child in the journeys; fewer fit a page: more pages
MAX_ROW = 12.0
ORDERS_FROM_ROW = 2.5  # px per child from which the journeys draw orders and the permanence tick
GROUP_MIN = 34.0  # px: a journeys group is at least as tall as its name and count


def milestone_words(code: str, jurisdiction: str = "scotland") -> str:
    """The short name of a step to permanence, as the single-child chart writes it."""
    return load_vocabulary(jurisdiction).term("milestone", code).abbr


def step_words(after: str, milestone: str, jurisdiction: str = "scotland") -> str:
    """'Looked after to permanence recommended', 'Panel to ADM decision' (acronyms keep their capitals)."""
    second = milestone_words(milestone, jurisdiction)
    if not second.split()[0].isupper():
        second = second[0].lower() + second[1:]
    return f"{milestone_words(after, jurisdiction)} to {second}"


def day_words(day: date) -> str:
    return PartialDate.of(day).display()


def stylesheet(theme: Theme, jurisdiction: str = "scotland") -> StyleSheet:
    """The one stylesheet of every cohort page: classes only, built from theme and vocabulary data."""
    t = theme
    vocab = load_vocabulary(jurisdiction)
    ink, faint = t.ink, t.faint
    rules = [
        rule("text", font_family=font_families(t), font_size=TEXT, fill=ink),
        rule(".title", font_size=TITLE, font_weight="bold"),
        rule(".head", font_size=HEAD, font_weight="bold"),
        rule(".bold", font_weight="bold"),
        rule(".muted", fill=t.muted),
        rule(".page", fill=t.background),
        rule(".axis", stroke=t.rule, stroke_width=0.8),
        rule(".grid", stroke=faint, stroke_width=0.6),
        rule(".rule", stroke=faint, stroke_width=1),
        rule(".series", fill=None, stroke="#A0A0A0", stroke_width=0.7),
        rule(".pt", fill=ink, stroke=None),
        rule(".pt-open", fill=t.background, stroke=ink, stroke_width=1),
        rule(".pt-signal", fill=SIGNAL_COLOUR, stroke=ink, stroke_width=0.8),
        rule(".centre", stroke=ink, stroke_width=1.6),
        rule(".centre-ext", stroke=ink, stroke_width=1.6, stroke_dasharray="6 3"),
        rule(".target", stroke=TARGET_COLOUR, stroke_width=1.4, stroke_dasharray="2 2"),
        rule(".limit", stroke=t.muted, stroke_width=1, stroke_dasharray="8 2 2 2"),
        rule(".open-zone", fill="#F2F2F2", stroke=None),
        rule(".bar", fill="#8C8C8C", stroke=ink, stroke_width=0.5),
        rule(".ci", fill=ink, fill_opacity=0.12, stroke=None),
        rule(".swatch", stroke=ink, stroke_width=0.6),
        rule(".frame", fill=None, stroke=faint, stroke_width=1),
        rule(".tick-perm", stroke=ink, stroke_width=1),
    ]
    for i, (dash, colour) in enumerate(zip(KM_DASHES, KM_COLOURS, strict=True)):
        width = 2.6 if i == 0 else 1.8
        rules.append(rule(f".km-{i}", fill=None, stroke=colour, stroke_width=width, stroke_dasharray=dash))
    rules.extend(fill_rules(t, vocab))
    return StyleSheet(tuple(rules))


@dataclass
class _Page:
    """Items of one page being laid out, with text measured by the bundled font's metrics."""

    metrics: TextMetrics
    width: float
    height: float
    items: list[Item] = field(default_factory=list)

    def text(self, x: float, y: float, s: str, *, size: float = TEXT, cls: str = "", bold: bool = False,
             anchor: str = "start", max_width: float | None = None) -> float:
        """Text whose box top is y; anchor start/end/middle; cut with an ellipsis to max_width. Its width."""
        bold = bold or "bold" in cls.split() or "head" in cls.split() or "title" in cls.split()
        if max_width is not None:
            s = self.metrics.fit(s, size, max_width, bold)
        w = self.metrics.width(s, size, bold)
        h = self.metrics.height(size, bold)
        left = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
        self.items.append(Text(left, y, w, h, y + self.metrics.ascent(size, bold), s, cls or "body"))
        return w

    def lines(self, x: float, y: float, s: str, width: float, *, max_lines: int = 3, cls: str = "") -> float:
        """Wrapped text; the y below it."""
        step = DEFAULT_THEME.line_height(TEXT)
        for line in self.metrics.wrap(s, TEXT, width, max_lines):
            self.text(x, y, line, cls=cls)
            y += step
        return y

    def scene(self, title: str, desc: str, style: StyleSheet) -> Scene:
        items = (Rect(0, 0, self.width, self.height, "page"), *self.items)
        return Scene(width=self.width, height=self.height, title=title, desc=desc, style=style, items=items)


def _count(n: int, share: bool) -> str:
    return SUPPRESSED if share and 0 < n < SUPPRESS_BELOW else f"{n:,}"


def _cell(value: int | str) -> str:
    """A count of a group as `shared_counts` gives it: the number, or its suppression mark."""
    return value if isinstance(value, str) else f"{value:,}"


def _pct(part: int, whole: int, share: bool) -> str:
    if whole == 0 or (share and whole < SUPPRESS_BELOW):
        return "-"
    return f"{round(100 * part / whole)}%"


def _days(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = max(span, 1) / ticks
    mag = float(10 ** math.floor(math.log10(raw)))
    for m in (1, 2, 2.5, 5, 10):
        if raw <= m * mag:
            return m * mag
    return 10 * mag


def layout_cohort(c: Cohort, *, theme: Theme = DEFAULT_THEME, metrics: TextMetrics | None = None) -> tuple[Scene, ...]:
    """Every page of the cohort view as a Scene."""
    m = metrics if metrics is not None else default_metrics()
    w, h = printable_width_px("A4"), printable_height_px("A4")
    style = stylesheet(theme, c.jurisdiction)
    as_at = day_words(c.options.as_of)
    pages = [
        _key_figures(c, _Page(m, w, h)).scene(f"Cohort view as at {as_at}: key figures",
                                             "Key figures and the steps to permanence across the cohort.", style),
        _run_charts(c, _Page(m, w, h)).scene(f"Cohort view as at {as_at}: run charts",
                                            "Run charts of the days each step to permanence took.", style),
        _permanence(c, _Page(m, w, h)).scene(f"Cohort view as at {as_at}: time to legal permanence",
                                            "Kaplan-Meier curves of time to legal permanence, and the children "
                                            "waiting longest.", style),
    ]
    for k, page in enumerate(_journeys(c, m, w, h), start=1):
        pages.append(page.scene(f"Cohort view as at {as_at}: journeys ({k})",
                                "Every child's placements as one thin row on the age axis.", style))
    if c.left_out and not c.options.share:
        pages.append(_left_out(c, _Page(m, w, h)).scene(f"Cohort view as at {as_at}: children left out",
                                                       "The inputs that could not be read.", style))
    return tuple(pages)


# ---------------------------------------------------------------- page 1


def _header(c: Cohort, p: _Page, title: str) -> float:
    share = c.options.share
    p.text(0, 3, title, cls="title")  # a little below the top: bold capitals rise above the font's ascent
    left = len(c.left_out)
    sub = (f"As at {day_words(c.options.as_of)}  \u00b7  {_count(len(c.records), share)} children"
           f"  \u00b7  {_count(left, share)} left out")
    if share:
        sub += ("  \u00b7  for sharing: counts from 1 to 4 are shown as <5; x: hidden so that a <5 cannot be "
                "worked out from a total")
    p.text(0, 30, sub, cls="muted")
    return 54.0


def _table(p: _Page, x: float, y: float, rows: Sequence[Sequence[str]], widths: Sequence[float],
           *, header: bool = True, left: int = 1) -> float:
    """Rows of cells; the first `left` columns left-aligned, the rest (numbers) right-aligned. The y below."""
    step = DEFAULT_THEME.line_height(TEXT) + 3
    for r, row in enumerate(rows):
        cx = x
        for k, (cell, width) in enumerate(zip(row, widths, strict=False)):
            right = k >= left
            cls = "bold" if header and r == 0 else ""
            if right:
                p.text(cx + width - 4, y, cell, anchor="end", cls=cls, max_width=width - 6)
            else:
                p.text(cx, y, cell, cls=cls, max_width=width - 6)
            cx += width
        if header and r == 0:
            p.items.append(Line(x, y + step - 2, x + sum(widths), y + step - 2, "axis"))
        y += step
    return y


def _key_figures(c: Cohort, p: _Page) -> _Page:
    share = c.options.share
    counts = shared_counts(c)
    y0 = _header(c, p, "Looked-after children: the cohort view")
    col = (p.width - 2 * GAP) / 3
    ever = c.ever_looked_after

    # Column 1: who, and where they live now.
    x = 0.0
    p.text(x, y0, "Children", cls="head")
    y = _table(p, x, y0 + 22, [
        ["In the cohort", _count(len(c.records), share)],
        ["Ever looked after", _count(ever, share)],
        [f"Looked after on {day_words(c.options.as_of)}", _count(c.looked_after_now, share)],
    ], [col - 70, 70], header=False)
    p.text(x, y + 8, "Where they live now", cls="head")
    rows = [["(children looked after now)", ""]]
    y = y + 30
    y = _table(p, x, y, rows, [col - 70, 70], header=False) - 4
    vocab = load_vocabulary(c.jurisdiction)
    codes = {"at_home": "home", "kinship": "kinship", "foster": "foster", "residential": "residential",
             "secure": "secure", "prospective_adopters": "adoptive", "other": "other"}
    step = DEFAULT_THEME.line_height(TEXT) + 3
    for key in PLACEMENT_NOW_KEYS:
        code = codes.get(key)
        if code is not None and code in vocab.codes("placement"):
            p.items.append(Rect(x, y + 2, 12, 11, f"swatch fill-placement-{code}"))
        p.text(x + 18, y, PLACEMENT_NOW_WORDS[key], max_width=col - 100)
        p.text(x + col - 4, y, _cell(counts.placement_now[key]), anchor="end")
        y += step

    y_columns = y
    # Column 2: ages, placements and moves.
    x = col + GAP
    p.text(x, y0, "Age at becoming looked after", cls="head")
    y = y0 + 22
    biggest = max(c.age_at_entry.values(), default=0) or 1
    for name, _, _ in AGE_BANDS:
        n = c.age_at_entry[name]
        p.text(x, y, name)
        if _shown(counts.age_at_entry[name]):
            p.items.append(Rect(x + 70, y + 2, max(0.5, (col - 150) * n / biggest), 11, "bar"))
        p.text(x + col - 4, y, _cell(counts.age_at_entry[name]), anchor="end")
        y += step
    p.text(x, y + 8, "Placements and moves", cls="head")
    y = _table(p, x, y + 30, [
        ["Median placements", _days(c.median_placements)],
        ["Median moves", _days(c.median_moves)],
        ["3 or more moves within 12 months", _pct(c.moves_flagged, ever, share)],
    ], [col - 70, 70], header=False)
    y_columns = max(y_columns, p.lines(x, y + 2, "Of the children ever looked after; short breaks are not moves.",
                                       col, cls="muted"))

    # Column 3: time to legal permanence.
    x = 2 * (col + GAP)
    p.text(x, y0, "Time to legal permanence", cls="head")
    km = c.permanence
    small = share and km.n < SUPPRESS_BELOW
    median = "-" if small or km.median is None else f"{km.median:,} days"
    if small or km.median is None:
        interval = "not reached by half" if km.n and not small else "-"
    else:
        lo = f"{km.median_lower:,}" if km.median_lower is not None else "-"
        hi = f"{km.median_upper:,}" if km.median_upper is not None else "not reached"
        interval = f"{lo} to {hi}"
    rows2 = [["Median from looked after", median], ["95% interval", interval]]
    for d in REACHED_BY_DAYS:
        value = "-" if small or km.n == 0 else f"{round(100 * (1 - km.survival_at(d)))}%"
        rows2.append([f"Reached within {d // 365} year{'s' if d > 365 else ''}", value])
    rows2.append(["Reached so far", f"{_count(km.events, share)} of {_count(km.n, share)}"])
    y = _table(p, x, y0 + 22, rows2, [col - 110, 110], header=False)
    p.lines(x, y + 2, "Kaplan-Meier estimate: children still waiting count until the as-at date, or until "
                      "they stopped being looked after.", col, cls="muted")

    # The steps table, full width.
    y = max(y, y_columns) + 28
    p.text(0, y, "Steps to permanence", cls="head")
    widths = [p.width - 6 * 110, 110, 110, 110, 110, 110, 110]
    rows3 = [["Step", "Done", "Still waiting", "Median days", "Upper quartile", "Target days", "Within target"]]
    for s in c.steps:
        small_s = share and s.done < SUPPRESS_BELOW
        rows3.append([step_words(s.after, s.milestone, c.jurisdiction), _count(s.done, share), _count(s.waiting, share),
                      "-" if small_s else _days(s.median_days), "-" if small_s else _days(s.upper_quartile_days),
                      _days(s.target_days) if s.target_days is not None else "none",
                      "-" if small_s or s.within_target is None else f"{round(100 * s.within_target)}%"])
    y = _table(p, 0, y + 24, rows3, widths)
    p.lines(0, y + 4, "Days from the first milestone of the pair to the second, for the children who took the "
                      "step; still waiting: the first is dated, the second not yet, and the child is still looked "
                      "after without legal permanence. Steps that do not apply to a child's plan (such as the "
                      "adoption steps for a plan of home or kinship), and steps the record's source does not hold "
                      "(an SSDA903 return has no permanence plan date), are not counted.", p.width, cls="muted")
    return p


# ---------------------------------------------------------------- page 2


def _run_charts(c: Cohort, p: _Page) -> _Page:
    y0 = _header(c, p, f"Run charts: days each step took ({c.options.rules} rules)")
    cols, gap = 3, GAP
    cw = (p.width - (cols - 1) * gap) / cols
    ch = (p.height - y0 - gap) / 2
    for k, rc in enumerate(c.run_charts[:5]):
        cx = (k % cols) * (cw + gap)
        cy = y0 + (k // cols) * (ch + gap)
        _run_chart(c, p, rc, cx, cy, cw, ch)
    _run_legend(c, p, 2 * (cw + gap), y0 + ch + gap, cw, ch)
    return p


def _run_chart(c: Cohort, p: _Page, rc: RunChart, x: float, y: float, w: float, h: float) -> None:
    p.items.append(Rect(x, y, w, h, "frame"))
    p.text(x + 6, y + 4, step_words(rc.after, rc.milestone, c.jurisdiction), cls="bold", max_width=w - 12)
    a = rc.analysis
    centre = "-" if a.centre is None else f"{a.centre:,.0f}"
    what = "median" if a.rules != "mdc" else "mean"
    target = f"  \u00b7  target {rc.target_days} d" if rc.target_days is not None else ""
    p.text(x + 6, y + 21, f"centre {centre} d ({what}){target}", cls="muted", max_width=w - 12)
    closed = rc.points[: rc.closed]
    opened = rc.points[rc.closed:]
    if not rc.points:
        p.lines(x + 6, y + 50, "No child has begun this step by the as-at date.", w - 12, cls="muted")
        return
    left, top = x + 46, y + 44
    right, bottom = x + w - 8, y + h - 56
    zone = 44.0 if opened else 0.0
    plot_right = right - zone - (6 if opened else 0)
    # The scale fits the children who took the step (and the target): children waiting longer than that
    # sit on the top edge of the waiting strip, counted, rather than squash every other point flat.
    values = [pt.days for pt in closed] or [pt.days for pt in opened]
    top_value = max([*values, rc.target_days or 0, a.upper or 0, 1])
    step = _nice_step(top_value)
    ymax = step * math.ceil(top_value / step)

    def yv(v: float) -> float:
        return bottom - (bottom - top) * (v / ymax)

    tick = 0.0
    while tick <= ymax + 1e-9:
        ty = yv(tick)
        p.items.append(Line(left, ty, right, ty, "grid"))
        p.text(left - 4, ty - 7, f"{tick:,.0f}", anchor="end", cls="muted")
        tick += step
    p.items.append(Line(left, bottom, right, bottom, "axis"))
    p.items.append(Line(left, top, left, bottom, "axis"))
    n = len(closed)

    def xv(i: int) -> float:
        return left + (plot_right - left) * ((i + 0.5) / n) if n else left

    # Year ticks under the points: the first point of each calendar year.
    seen: set[int] = set()
    last_label = -1e9
    for i, pt in enumerate(closed):
        if pt.date.year not in seen:
            seen.add(pt.date.year)
            tx = xv(i)
            p.items.append(Line(tx, bottom, tx, bottom + 4, "axis"))
            label = str(pt.date.year)
            width = p.metrics.width(label, TEXT)
            if tx - width / 2 > last_label + 4 and tx + width / 2 <= plot_right + 10:
                p.text(tx, bottom + 5, label, anchor="middle", cls="muted")
                last_label = tx + width / 2
    if a.centre is not None and n:
        base_end = xv(max(0, rc.baseline - 1)) if rc.baseline else plot_right
        p.items.append(Line(left, yv(a.centre), base_end, yv(a.centre), "centre"))
        if rc.baseline and rc.baseline < n:
            p.items.append(Line(base_end, yv(a.centre), plot_right, yv(a.centre), "centre-ext"))
    if rc.target_days is not None:
        p.items.append(Line(left, yv(rc.target_days), right, yv(rc.target_days), "target"))
    for limit in (a.lower, a.upper):
        if limit is not None:
            p.items.append(Line(left, yv(limit), plot_right, yv(limit), "limit"))
    flagged = {i for s in a.signals for i in range(s.first, s.last + 1)}
    size = 5.0 if n <= 150 else 3.5 if n <= 600 else 2.4
    if 1 < n <= MAX_SERIES_LINE:
        d = _polyline([(xv(i), yv(pt.days)) for i, pt in enumerate(closed)])
        p.items.append(Path(d, Box(left, top, plot_right - left, bottom - top), "series", form="fixed"))
    for i, pt in enumerate(closed):
        cx, cy = xv(i), yv(pt.days)
        if i in flagged:
            p.items.append(Marker("diamond", cx, cy, size + 3, "pt-signal"))
        else:
            p.items.append(Rect(cx - size / 2, cy - size / 2, size, size, "pt"))
    if opened:
        zx = right - zone
        p.items.append(Rect(zx, top, zone, bottom - top, "open-zone"))
        p.text(zx + zone / 2, bottom + 5, "waiting", anchor="middle", cls="muted")
        above = 0
        for j, pt in enumerate(opened):
            ox = zx + 6 + (zone - 12) * ((j * 0.618) % 1)
            if pt.days > ymax:
                above += 1
                oy = top + 4
            else:
                oy = yv(pt.days)
            p.items.append(Marker("triangle", ox, oy, 6, "pt-open"))
        if above:
            p.text(zx + zone / 2, top - 15, f"{_count(above, c.options.share)} above", anchor="middle", cls="muted")
    share = c.options.share
    done_words = f"{_count(n, share)} done" if c.options.per != "month" else f"{n} months"
    foot = f"{done_words}, {_count(len(opened), share)} waiting"
    rules = sorted({s.rule.replace('_', ' ') for s in a.signals})
    foot += ("  \u00b7  signals: " + ", ".join(rules)) if rules else "  \u00b7  no signal"
    p.text(x + 6, bottom + 22, foot, max_width=w - 12)
    if a.notes:
        p.text(x + 6, bottom + 22 + 15, a.notes[0], cls="muted", max_width=w - 12)


def _run_legend(c: Cohort, p: _Page, x: float, y: float, w: float, h: float) -> None:
    p.text(x + 6, y + 4, "How to read the run charts", cls="bold")
    yy = y + 28
    rows: list[tuple[str, str]] = [
        ("pt", "a child who took the step, in date order of the later milestone"
               if c.options.per != "month" else "the median of the children who took it that month"),
        ("pt-open", "a child still waiting: days so far (right)"),
        ("pt-signal", "a point in a signal (a run rule fired)"),
        ("centre", "centre line: the baseline's " + ("mean" if c.options.rules == "mdc" else "median")),
        ("centre-ext", "the centre carried past the baseline"),
        ("target", "the step's target"),
    ]
    if c.options.rules == "mdc":
        rows.append(("limit", "limits: mean +/- 2.66 x mean moving range"))
    for cls, words in rows:
        cx, cy = x + 14, yy + 7
        if cls == "pt":
            p.items.append(Rect(cx - 2.5, cy - 2.5, 5, 5, "pt"))
        elif cls == "pt-open":
            p.items.append(Marker("triangle", cx, cy, 6, "pt-open"))
        elif cls == "pt-signal":
            p.items.append(Marker("diamond", cx, cy, 8, "pt-signal"))
        else:
            p.items.append(Line(cx - 9, cy, cx + 9, cy, cls))
        yy = p.lines(x + 30, yy, words, w - 40, max_lines=2)
        yy += 2
    words = {
        "ihi": "IHI rules: 6 or more points in a row on one side of the median (points on it skipped); 5 or more "
               "rising or falling (repeats not counted); too few or too many runs (published table).",
        "anhoej": "Anhøj rules: the longest run longer than round(log2(n) + 3), or fewer crossings of the median "
                  "than the 5% binomial limit.",
        "mdc": "Making Data Count: a point beyond the limits; 7 in a row on one side of the mean; 7 rising or "
               "falling; 2 of 3 beyond 2 sigma on one side.",
    }.get(c.options.rules, c.options.rules)
    p.lines(x + 6, yy + 6, words, w - 12, max_lines=5, cls="muted")


# ---------------------------------------------------------------- page 3


def _polyline(points: list[tuple[float, float]]) -> tuple[shapes.Segment, ...]:
    """Segments through `points`: a move to the first, a line to each of the others."""
    return tuple(shapes.line(x, y) if k else shapes.move(x, y) for k, (x, y) in enumerate(points))


def _km_path(curve: KMCurve, xv: object, yv: object, until: float) -> tuple[shapes.Segment, ...]:
    fx = xv  # type: ignore[assignment]
    fy = yv  # type: ignore[assignment]
    parts = [shapes.move(fx(0), fy(0.0))]  # type: ignore[operator]
    reached = 0.0
    for st in curve.steps:
        if st.time > until:
            break
        parts.append(shapes.line(fx(st.time), fy(reached)))  # type: ignore[operator]
        reached = 1 - st.survival
        parts.append(shapes.line(fx(st.time), fy(reached)))  # type: ignore[operator]
    end = min(until, max(curve.times) if curve.times else 0)
    parts.append(shapes.line(fx(end), fy(reached)))  # type: ignore[operator]
    return tuple(parts)


def _permanence(c: Cohort, p: _Page) -> _Page:
    share = c.options.share
    y0 = _header(c, p, "Time to legal permanence, from becoming looked after")
    kw = p.width * 0.64
    left, top, right = 220.0, y0 + 30, kw - 10
    counts = shared_counts(c)
    curves: list[tuple[str, KMCurve]] = [("All children", c.permanence)]
    curves += [(_route_words(k, c.jurisdiction), v) for k, v in c.permanence_by_route.items()]
    keys: list[str | None] = [None, *c.permanence_by_route]  # None: all children
    curves = curves[: len(KM_DASHES)]

    def hidden(i: int, curve: KMCurve) -> bool:
        key = keys[i]
        return share and (curve.n < SUPPRESS_BELOW or (key is not None and not _shown(counts.route_children[key])))

    def at_risk(i: int, curve: KMCurve, yr: int) -> str:
        key = keys[i]
        return _count(curve.at_risk(yr * 365), share) if key is None else _cell(counts.route_at_risk[yr][key])

    last_event = max((v.steps[-1].time for _, v in curves if v.steps), default=365)
    years = max(4, min(10, math.ceil(last_event / 365) + 1))
    bottom = p.height - 110 - 16 * len(curves)  # room below: the at-risk table and two lines of notes

    def xv(t: float) -> float:
        return left + (right - left) * (t / (years * 365))

    def yv(share_reached: float) -> float:
        return bottom - (bottom - top) * share_reached

    p.text(left, top - 24, "Share who have reached legal permanence", cls="muted")
    for k in range(0, 11, 2):
        ty = yv(k / 10)
        p.items.append(Line(left, ty, right, ty, "grid"))
        p.text(left - 4, ty - 7, f"{k * 10}%", anchor="end", cls="muted")
    for yr in range(years + 1):
        tx = xv(yr * 365)
        p.items.append(Line(tx, bottom, tx, bottom + 4, "axis"))
        p.text(tx, bottom + 5, f"{yr}", anchor="middle", cls="muted")
    p.text((left + right) / 2, bottom + 20, "years since becoming looked after", anchor="middle", cls="muted")
    p.items.append(Line(left, bottom, right, bottom, "axis"))
    p.items.append(Line(left, top, left, bottom, "axis"))
    overall = c.permanence
    if overall.steps and not (share and overall.n < SUPPRESS_BELOW):
        # The overall curve's 95% interval as a band (reached = 1 - S, so the bounds swap).
        # A step band, as the curve: each step's interval holds until the next event time.
        upper_pts: list[tuple[float, float]] = []
        lower_pts: list[tuple[float, float]] = []
        last = min(years * 365, max(overall.times))
        shown = [st for st in overall.steps if st.lower is not None and st.upper is not None
                 and st.time <= years * 365]
        for k, st in enumerate(shown):
            until = shown[k + 1].time if k + 1 < len(shown) else max(last, st.time)
            assert st.lower is not None and st.upper is not None
            for t in (st.time, until):
                upper_pts.append((xv(t), yv(1 - st.lower)))
                lower_pts.append((xv(t), yv(1 - st.upper)))
        if len(upper_pts) > 1:
            d = (*_polyline(upper_pts + lower_pts[::-1]), shapes.close())
            p.items.append(Path(d, Box(left, top, right - left, bottom - top), "ci", form="fixed"))
    for i, (_, curve) in enumerate(curves):
        if curve.n == 0 or hidden(i, curve):
            continue
        p.items.append(Path(_km_path(curve, xv, yv, years * 365), Box(left, top, right - left, bottom - top),
                            f"km-{i}", form="fixed"))
    # Legend and numbers at risk, under the axis.
    y = bottom + 40
    p.text(0, y, "Children still followed (at risk) at each year since becoming looked after", cls="bold")
    y += 18
    p.text(left - 22, y, "median", anchor="end", cls="muted")
    y += 16
    for i, (name, curve) in enumerate(curves):
        p.items.append(Line(0, y + 7, 26, y + 7, f"km-{i}"))
        med = "-" if hidden(i, curve) or curve.median is None else f"{curve.median:,} d"
        p.text(32, y, name, max_width=left - 105)
        p.text(left - 22, y, med, anchor="end", cls="muted")
        for yr in range(years + 1):
            p.text(xv(yr * 365), y, at_risk(i, curve, yr), anchor="middle")
        y += 16
    p.lines(0, y + 2, "Shaded: the 95% interval of the curve for all children (Greenwood, log-log). Route: the "
                      "plan in force (latest permanence recommendation). A dash: not reached by half.", kw,
            cls="muted", max_lines=2)

    # The children waiting longest, on the right.
    x = kw + GAP
    cw = p.width - x
    p.text(x, y0, "Children waiting longest", cls="head")
    if share:
        p.lines(x, y0 + 24, "Not shown in figures for sharing (--share): the list is about single children.",
                cw, cls="muted")
        return p
    if not c.waiting:
        p.lines(x, y0 + 24, "No child is waiting for a step at the as-at date.", cw, cls="muted")
        return p
    rows = [["Child", "Waiting for", "Since", "Days"]]
    for wt in c.waiting:
        rows.append([wt.ref, milestone_words(wt.milestone, c.jurisdiction), day_words(wt.since), f"{wt.days:,}"])
    _table(p, x, y0 + 24, rows, [cw * 0.21, cw * 0.4, cw * 0.26, cw * 0.13], left=3)
    return p


def _route_words(route: str, jurisdiction: str = "scotland") -> str:
    words = load_vocabulary(jurisdiction).routes
    return {"home": "Home", "kinship": "Kinship", "permanence_order": "Permanence Order",
            "adoption": "Adoption"}.get(route, words.get(route, route).capitalize())


# ---------------------------------------------------------------- journeys


def _journeys(c: Cohort, m: TextMetrics, w: float, h: float) -> list[_Page]:
    groups = list(c.groups.items()) if c.groups else [("", c.records)]
    shared_counts_groups = shared_counts(c).groups
    ordered = [(name, sorted(rs, key=_journey_order)) for name, rs in groups]
    n = sum(len(rs) for _, rs in ordered)
    top, bottom_room = 52.0 + 26, 40.0
    header = 18.0 if c.groups else 0.0
    avail = h - top - bottom_room - (GROUP_MIN + 4) * len(ordered) * (1 if c.groups else 0)
    row = min(MAX_ROW, max(MIN_ROW, avail / max(n, 1)))
    oldest = max((r.age_days for r in c.records), default=365)
    years = max(1, min(25, math.ceil(oldest / 365.25)))
    gutter = 96.0
    pages: list[_Page] = []
    page: _Page | None = None
    y = 0.0

    def xv(days: float) -> float:
        return gutter + (w - gutter - 12) * (days / (years * 365.25))

    def new_page() -> _Page:
        pg = _Page(m, w, h)
        by = f" by {c.options.by.replace('-', ' ')}" if c.options.by else ""
        _header(c, pg, f"Journeys: every child's placements against age{by}")
        detail = ("thin band: legal order; tick: legal permanence." if row >= ORDERS_FROM_ROW else
                  f"legal orders and permanence are not drawn: rows are too thin at {n:,} children (up to "
                  f"{math.floor(avail / ORDERS_FROM_ROW):,} they are).")
        pg.text(0, 54, "One row per child, sorted by age at becoming looked after; colour: where the child lived; "
                       + detail, cls="muted", max_width=w)
        for yr in range(0, years + 1, 1 if years <= 18 else 2):
            tx = xv(yr * 365.25)
            pg.items.append(Line(tx, top - 4, tx, h - bottom_room, "grid"))
            pg.text(tx, h - bottom_room + 4, f"{yr}", anchor="middle", cls="muted")
        pg.text(gutter, h - bottom_room + 20, "age in years", cls="muted")
        _journey_legend(pg, w, h, c.jurisdiction)
        pages.append(pg)
        return pg

    page = new_page()
    y = top
    for name, rs in ordered:
        if c.groups:
            if y + header + row > h - bottom_room:
                page = new_page()
                y = top
            page.text(0, y + 2, name, cls="bold", max_width=gutter - 6)
            page.text(0, y + 17, _cell(shared_counts_groups[name]), cls="muted")
            block = y
            y += header
        for r in rs:
            if y + row > h - bottom_room + 0.01:
                page = new_page()
                y = top
            _journey_row(page, r, y, row, xv)
            y += row
        if c.groups:
            y = max(y, block + GROUP_MIN) + 4  # room for the group's name and count, and a gap
    return pages


def _journey_order(r: ChildRecord) -> tuple[int, int, int]:
    if r.entry is None:
        return (1, 0, r.index)
    return (0, (r.entry - r.date_of_birth).days, r.index)


def _journey_row(p: _Page, r: ChildRecord, y: float, row: float, xv: object) -> None:
    fx = xv  # type: ignore[assignment]
    bar = row * (0.72 if row >= 2 else 1.0)
    for s in r.journey:
        x1, x2 = fx(s.start), fx(s.end)  # type: ignore[operator]
        p.items.append(Rect(x1, y, max(0.4, x2 - x1), bar, f"fill-placement-{s.code}"))
    if row >= ORDERS_FROM_ROW:
        band = max(0.5, row * 0.22)
        for s in r.orders:
            x1, x2 = fx(s.start), fx(s.end)  # type: ignore[operator]
            p.items.append(Rect(x1, y + bar, max(0.4, x2 - x1), band, f"fill-order-{s.code}"))
        if r.permanence is not None:
            px = fx((r.permanence - r.date_of_birth).days)  # type: ignore[operator]
            p.items.append(Line(px, y, px, y + row, "tick-perm"))


def _journey_legend(p: _Page, w: float, h: float, jurisdiction: str = "scotland") -> None:
    vocab = load_vocabulary(jurisdiction)
    x = 220.0
    y = h - 18
    for code in [k for k in vocab.codes("placement") if not vocab.term("placement", k).overlay]:
        p.items.append(Rect(x, y + 2, 12, 11, f"swatch fill-placement-{code}"))
        x += 16 + p.text(x + 16, y, vocab.term("placement", code).abbr) + 12


# ---------------------------------------------------------------- left out


def _left_out(c: Cohort, p: _Page) -> _Page:
    y = _header(c, p, f"Children left out ({len(c.left_out)})")
    p.lines(0, y, "These inputs could not be read; nothing about them is counted. Fix the file or row and run "
                  "again.", p.width, cls="muted")
    y += 24
    step = DEFAULT_THEME.line_height(TEXT)
    for shown, lo in enumerate(c.left_out):
        for msg in lo.messages[:3]:
            if y + step > p.height - 20:
                rest = len(c.left_out) - shown
                p.text(0, y, f"... and {rest} more (see --json: problems)", cls="muted")
                return p
            text = msg if msg.startswith(lo.source) else f"{lo.source}: {msg}"
            lines = p.metrics.wrap(text, TEXT, p.width, 2)  # a message to act on: wrapped, not cut at one line
            if y + step * len(lines) > p.height - 20:
                lines = lines[:1]
            for line in lines:
                p.text(0, y, line)
                y += step
    return p
