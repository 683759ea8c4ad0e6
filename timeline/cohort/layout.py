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

from .. import words
from ..chart.layout import fill_rules, font_families
from ..chart.metrics import TextMetrics, default_metrics
from ..model.vocabulary import Vocabulary, load_vocabulary
from ..scene import shapes
from ..scene.items import Box, Item, Line, Marker, Path, Rect, Scene, Text
from ..scene.style import StyleSheet, rule
from ..scene.theme import DEFAULT_THEME, OKABE_ITO, Theme, printable_height_px, printable_width_px
from .km import KMCurve
from .measures import (
    AGE_BANDS,
    PLACEMENT_NOW_KEYS,
    PLACEMENT_NOW_WORDS,
    REACHED_BY_DAYS,
    SUPPRESS_BELOW,
    SUPPRESSED,
    Cohort,
    Point,
    RunChart,
    SharedCounts,
    km_small,
    reached_by,
    shared_counts,
    shown_share,
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
GREY_DARKEST, GREY_LIGHTEST = 40.0, 215.0  # the journeys' placement fills span these grey levels (255: paper)


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
    return words.date_words(day)


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
    placement_fills = grey_ladder(vocab)
    rules.extend(rule(f".fill-placement-{code}", fill=colour) for code, colour in placement_fills.items())
    rules.extend(r for r in fill_rules(t, vocab) if r.selectors[0].chain[0].text().startswith(".fill-order-"))
    return StyleSheet(tuple(rules))


def grey(colour: str) -> float:
    """A colour's grey level (0 black .. 255 white) as a greyscale print or `pdftoppm -gray` makes it
    (ITU-R BT.601 weights)."""
    r, g, b = (int(colour.lstrip("#")[k:k + 2], 16) for k in (0, 2, 4))
    return 0.299 * r + 0.587 * g + 0.114 * b


def _to_grey(colour: str, target: float) -> str:
    """The colour darkened towards black or lightened towards white until its grey level is `target`; the
    hue stays (the grey level is linear in each channel, so scaling or mixing hits the target exactly)."""
    rgb = [int(colour.lstrip("#")[k:k + 2], 16) for k in (0, 2, 4)]
    now = grey(colour)
    if target <= now:
        out = [c * target / now for c in rgb] if now else rgb
    else:
        out = [255 - (255 - c) * (255 - target) / (255 - now) for c in rgb]
    return "#" + "".join(f"{round(max(0.0, min(255.0, c))):02X}" for c in out)


def grey_ladder(vocab: Vocabulary) -> dict[str, str]:
    """Each placement code's fill on the cohort pages: the single-child chart's colour, moved to a grey level
    of its own.

    The single-child chart tells placements apart in greyscale by pattern; the journeys' rows are too thin
    for a pattern (a pixel or two at a council's size), and foster, kinship and residential care are all
    mid-greys in the Okabe-Ito colours. So the colours (distinct ones; codes that share a colour keep
    sharing it; short-break overlays, not drawn in the rows, keep theirs) are ranked by their own grey and
    spread evenly from GREY_DARKEST to GREY_LIGHTEST, keeping their hue: the same colour family as the
    single-child chart, and a different grey for each.
    """
    colours = {code: vocab.term("placement", code).colour or DEFAULT_THEME.placement_default_fill
               for code in vocab.codes("placement")}
    drawn = {code for code in colours if not vocab.term("placement", code).overlay}  # overlays: not in the rows
    distinct = sorted({colours[code] for code in drawn}, key=lambda c: (grey(c), c))
    span = GREY_LIGHTEST - GREY_DARKEST
    levels = {c: GREY_DARKEST + span * (k / max(1, len(distinct) - 1)) for k, c in enumerate(distinct)}
    return {code: _to_grey(colour, levels[colour]) if code in drawn else colour for code, colour in colours.items()}


@dataclass
class CohortPage:
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


def _pct(value: float | None) -> str:
    """A share (from `shown_share` or `reached_by`) as a whole percentage; '-' when it is not given."""
    return "-" if value is None else f"{round(100 * value)}%"


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
        _key_figures(c, CohortPage(m, w, h)).scene(f"Cohort view as at {as_at}: key figures",
                                             "Key figures and the steps to permanence across the cohort.", style),
        _run_charts(c, CohortPage(m, w, h)).scene(f"Cohort view as at {as_at}: run charts",
                                            "Run charts of the days each step to permanence took.", style),
        _permanence(c, CohortPage(m, w, h)).scene(f"Cohort view as at {as_at}: time to legal permanence",
                                            "Kaplan-Meier curves of time to legal permanence, and the children "
                                            "waiting longest.", style),
    ]
    for k, page in enumerate(_journeys(c, m, w, h), start=1):
        pages.append(page.scene(f"Cohort view as at {as_at}: journeys ({k})",
                                "Every child's placements as one thin row on the age axis.", style))
    if c.left_out and not c.options.share:
        pages.append(_left_out(c, CohortPage(m, w, h)).scene(f"Cohort view as at {as_at}: children left out",
                                                       "The inputs that could not be read.", style))
    return tuple(pages)


# ---------------------------------------------------------------- page 1


def _header(c: Cohort, p: CohortPage, title: str) -> float:
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


def _table(p: CohortPage, x: float, y: float, rows: Sequence[Sequence[str]], widths: Sequence[float],
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


PLACEMENT_NOW_CODES = {"at_home": "home", "kinship": "kinship", "foster": "foster", "residential": "residential",
                       "secure": "secure", "prospective_adopters": "adoptive", "other": "other"}


def _key_figures(c: Cohort, p: CohortPage) -> CohortPage:
    """Page 1: three columns of figures (who and where, ages and moves, time to permanence), then the steps."""
    y0 = _header(c, p, "Looked-after children: the cohort view")
    col = (p.width - 2 * GAP) / 3
    y_who = _who_column(c, p, 0.0, y0, col)
    y_ages = _ages_column(c, p, col + GAP, y0, col)
    y_km = _permanence_column(c, p, 2 * (col + GAP), y0, col)
    _steps_table(c, p, max(y_km, y_who, y_ages) + 28)
    return p


def _who_column(c: Cohort, p: CohortPage, x: float, y0: float, col: float) -> float:
    """How many children, and where those looked after now live (swatches as on the single-child chart)."""
    share = c.options.share
    counts = shared_counts(c)
    p.text(x, y0, "Children", cls="head")
    y = _table(p, x, y0 + 22, [
        ["In the cohort", _count(len(c.records), share)],
        ["Ever looked after", _count(c.ever_looked_after, share)],
        [f"Looked after on {day_words(c.options.as_of)}", _count(c.looked_after_now, share)],
    ], [col - 70, 70], header=False)
    p.text(x, y + 8, "Where they live now", cls="head")
    y = _table(p, x, y + 30, [["(children looked after now)", ""]], [col - 70, 70], header=False) - 4
    vocab = load_vocabulary(c.jurisdiction)
    step = DEFAULT_THEME.line_height(TEXT) + 3
    for key in PLACEMENT_NOW_KEYS:
        code = PLACEMENT_NOW_CODES.get(key)
        if code is not None and code in vocab.codes("placement"):
            p.items.append(Rect(x, y + 2, 12, 11, f"swatch fill-placement-{code}"))
        p.text(x + 18, y, PLACEMENT_NOW_WORDS[key], max_width=col - 100)
        p.text(x + col - 4, y, _cell(counts.placement_now[key]), anchor="end")
        y += step
    return y


def _ages_column(c: Cohort, p: CohortPage, x: float, y0: float, col: float) -> float:
    """Age at becoming looked after (bars, hidden with their count under --share), placements and moves."""
    share = c.options.share
    counts = shared_counts(c)
    step = DEFAULT_THEME.line_height(TEXT) + 3
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
        ["3 or more moves within 12 months", _pct(shown_share(c.moves_flagged, c.ever_looked_after, share))],
    ], [col - 70, 70], header=False)
    return p.lines(x, y + 2, "Of the children ever looked after; short breaks are not moves.", col, cls="muted")


def _median_words(km: KMCurve, small: bool) -> tuple[str, str]:
    """The median time to permanence and its 95% interval as the page writes them ('-' when not shown)."""
    median = "-" if small or km.median is None else f"{km.median:,} days"
    if small or km.median is None:
        return median, "not reached by half" if km.n and not small else "-"
    lo = f"{km.median_lower:,}" if km.median_lower is not None else "-"
    hi = f"{km.median_upper:,}" if km.median_upper is not None else "not reached"
    return median, f"{lo} to {hi}"


def _permanence_column(c: Cohort, p: CohortPage, x: float, y0: float, col: float) -> float:
    """Time to legal permanence in figures: the median, its interval, the share reached within 1-4 years."""
    share = c.options.share
    p.text(x, y0, "Time to legal permanence", cls="head")
    km = c.permanence
    small = km_small(km, share)
    median, interval = _median_words(km, small)
    rows = [["Median from looked after", median], ["95% interval", interval]]
    shares = reached_by(km)
    unknown = False
    for d in REACHED_BY_DAYS:
        value = shares[str(d)]
        unknown = unknown or (value is None and km.n > 0 and not small)
        words = "-" if small or km.n == 0 else "not known" if value is None else _pct(value)
        rows.append([f"Reached within {d // 365} year{'s' if d > 365 else ''}", words])
    rows.append(["Reached so far", f"{_count(km.events, share)} of {_count(km.n, share)}"])
    y = _table(p, x, y0 + 22, rows, [col - 110, 110], header=False)
    note = ("Kaplan-Meier estimate: children still waiting count until the as-at date, or until they stopped "
            "being looked after.")
    if unknown:
        note += f" Not known: no child has been followed that long (the longest: {km.times[-1]:,} days)."
    below = p.lines(x, y + 2, note, col, cls="muted", max_lines=5)
    return max(y, below - 28)  # the steps table starts 28 below the tallest column: room for a longer note


def _steps_table(c: Cohort, p: CohortPage, y: float) -> None:
    """The steps to permanence, full width: done, waiting, median and upper quartile, target, within it."""
    share = c.options.share
    p.text(0, y, "Steps to permanence", cls="head")
    widths = [p.width - 6 * 110, 110, 110, 110, 110, 110, 110]
    rows = [["Step", "Done", "Still waiting", "Median days", "Upper quartile", "Target days", "Within target"]]
    for s in c.steps:
        small = share and s.done < SUPPRESS_BELOW
        rows.append([step_words(s.after, s.milestone, c.jurisdiction), _count(s.done, share), _count(s.waiting, share),
                     "-" if small else _days(s.median_days), "-" if small else _days(s.upper_quartile_days),
                     _days(s.target_days) if s.target_days is not None else "none",
                     "-" if small else _pct(s.within_target_shown(share))])
    y = _table(p, 0, y + 24, rows, widths)
    y = p.lines(0, y + 4, "Days from the first milestone of the pair to the second, for the children who took the "
                      "step; still waiting: the first is dated, the second not yet, and the child is still looked "
                      "after without legal permanence. Steps that do not apply to a child's plan (such as the "
                      "adoption steps for a plan of home or kinship), and steps the record's source does not hold "
                      "(an SSDA903 return has no permanence plan date), are not counted.", p.width, cls="muted")
    if any(s.undetermined for s in c.steps):
        p.lines(0, y, _undetermined_note(c), p.width, cls="muted")


def _undetermined_note(c: Cohort) -> str:
    """What "within target" leaves out: steps whose dates have no single day and fall either side of it."""
    left = [(s, step_words(s.after, s.milestone, c.jurisdiction)) for s in c.steps if s.undetermined]
    said = "; ".join(f"{name}: {_count(s.undetermined, c.options.share)}" for s, name in left)
    return ("Within target leaves out the steps done whose dates, with no single day, cannot tell whether they "
            f"were within it ({said}).")


# ---------------------------------------------------------------- page 2


def _run_charts(c: Cohort, p: CohortPage) -> CohortPage:
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


@dataclass(frozen=True, slots=True)
class _RunPlot:
    """Where one run chart's points go: the plot box, its day scale and the points taken in date order."""

    left: float
    top: float
    right: float  # the grid's right edge (the waiting strip included)
    bottom: float
    plot_right: float  # the points' right edge (left of the waiting strip)
    ymax: float
    step: float
    n: int  # children who took the step (or months)

    def xv(self, i: int) -> float:
        return self.left + (self.plot_right - self.left) * ((i + 0.5) / self.n) if self.n else self.left

    def yv(self, v: float) -> float:
        return self.bottom - (self.bottom - self.top) * (v / self.ymax)


def _run_chart(c: Cohort, p: CohortPage, rc: RunChart, x: float, y: float, w: float, h: float) -> None:
    """One step's run chart in its frame: title, scale, centre and target, points, the waiting strip, foot."""
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
    zone = 44.0 if opened else 0.0
    plot = _run_plot(rc, x, y, w, h, zone)
    _run_scale(p, plot, closed)
    _run_lines(p, plot, rc)
    _run_points(p, plot, rc, closed)
    if opened:
        _run_waiting(c, p, plot, opened, zone)
    share = c.options.share
    n = len(closed)
    done_words = f"{_count(n, share)} done" if c.options.per != "month" else f"{n} months"
    foot = f"{done_words}, {_count(len(opened), share)} waiting"
    rules = sorted({s.rule.replace('_', ' ') for s in a.signals})
    foot += ("  \u00b7  signals: " + ", ".join(rules)) if rules else "  \u00b7  no signal"
    p.text(x + 6, plot.bottom + 22, foot, max_width=w - 12)
    if a.notes:
        p.text(x + 6, plot.bottom + 22 + 15, a.notes[0], cls="muted", max_width=w - 12)


def _run_plot(rc: RunChart, x: float, y: float, w: float, h: float, zone: float) -> _RunPlot:
    """The plot box inside the frame, and a scale that fits the children who took the step (and the target).

    Children waiting longer than that sit on the top edge of the waiting strip, counted, rather than
    squash every other point flat.
    """
    a = rc.analysis
    closed = rc.points[: rc.closed]
    values = [pt.days for pt in closed] or [pt.days for pt in rc.points[rc.closed:]]
    top_value = max([*values, rc.target_days or 0, a.upper or 0, 1])
    step = _nice_step(top_value)
    right = x + w - 8
    return _RunPlot(left=x + 46, top=y + 44, right=right, bottom=y + h - 56,
                    plot_right=right - zone - (6 if zone else 0), ymax=step * math.ceil(top_value / step),
                    step=step, n=len(closed))


def _run_scale(p: CohortPage, plot: _RunPlot, closed: Sequence[Point]) -> None:
    """Day grid lines with their numbers, the axes, and a year under the first point of each calendar year."""
    tick = 0.0
    while tick <= plot.ymax + 1e-9:
        ty = plot.yv(tick)
        p.items.append(Line(plot.left, ty, plot.right, ty, "grid"))
        p.text(plot.left - 4, ty - 7, f"{tick:,.0f}", anchor="end", cls="muted")
        tick += plot.step
    p.items.append(Line(plot.left, plot.bottom, plot.right, plot.bottom, "axis"))
    p.items.append(Line(plot.left, plot.top, plot.left, plot.bottom, "axis"))
    seen: set[int] = set()
    last_label = -1e9
    for i, pt in enumerate(closed):
        if pt.date.year not in seen:
            seen.add(pt.date.year)
            tx = plot.xv(i)
            p.items.append(Line(tx, plot.bottom, tx, plot.bottom + 4, "axis"))
            label = str(pt.date.year)
            width = p.metrics.width(label, TEXT)
            if tx - width / 2 > last_label + 4 and tx + width / 2 <= plot.plot_right + 10:  # labels never overlap
                p.text(tx, plot.bottom + 5, label, anchor="middle", cls="muted")
                last_label = tx + width / 2


def _run_lines(p: CohortPage, plot: _RunPlot, rc: RunChart) -> None:
    """The centre (solid over the baseline, dashed past it), the target, and (mdc) the limits."""
    a = rc.analysis
    if a.centre is not None and plot.n:
        base_end = plot.xv(max(0, rc.baseline - 1)) if rc.baseline else plot.plot_right
        p.items.append(Line(plot.left, plot.yv(a.centre), base_end, plot.yv(a.centre), "centre"))
        if rc.baseline and rc.baseline < plot.n:
            p.items.append(Line(base_end, plot.yv(a.centre), plot.plot_right, plot.yv(a.centre), "centre-ext"))
    if rc.target_days is not None:
        p.items.append(Line(plot.left, plot.yv(rc.target_days), plot.right, plot.yv(rc.target_days), "target"))
    for limit in (a.lower, a.upper):
        if limit is not None:
            p.items.append(Line(plot.left, plot.yv(limit), plot.plot_right, plot.yv(limit), "limit"))


def _run_points(p: CohortPage, plot: _RunPlot, rc: RunChart, closed: Sequence[Point]) -> None:
    """The children who took the step: squares, diamonds where a rule fired (shape, not only colour)."""
    flagged = {i for s in rc.analysis.signals for i in range(s.first, s.last + 1)}
    n = plot.n
    size = 5.0 if n <= 150 else 3.5 if n <= 600 else 2.4
    if 1 < n <= MAX_SERIES_LINE:
        d = _polyline([(plot.xv(i), plot.yv(pt.days)) for i, pt in enumerate(closed)])
        p.items.append(Path(d, Box(plot.left, plot.top, plot.plot_right - plot.left, plot.bottom - plot.top),
                            "series", form="fixed"))
    for i, pt in enumerate(closed):
        cx, cy = plot.xv(i), plot.yv(pt.days)
        if i in flagged:
            p.items.append(Marker("diamond", cx, cy, size + 3, "pt-signal"))
        else:
            p.items.append(Rect(cx - size / 2, cy - size / 2, size, size, "pt"))


def _run_waiting(c: Cohort, p: CohortPage, plot: _RunPlot, opened: Sequence[Point], zone: float) -> None:
    """Children still waiting, days so far, as hollow triangles in a strip of their own on the right.

    So recent months cannot look better than they are; those beyond the scale sit on its top edge, counted.
    """
    zx = plot.right - zone
    p.items.append(Rect(zx, plot.top, zone, plot.bottom - plot.top, "open-zone"))
    p.text(zx + zone / 2, plot.bottom + 5, "waiting", anchor="middle", cls="muted")
    above = 0
    for j, pt in enumerate(opened):
        ox = zx + 6 + (zone - 12) * ((j * 0.618) % 1)
        if pt.days > plot.ymax:
            above += 1
            oy = plot.top + 4
        else:
            oy = plot.yv(pt.days)
        p.items.append(Marker("triangle", ox, oy, 6, "pt-open"))
    if above:
        p.text(zx + zone / 2, plot.top - 15, f"{_count(above, c.options.share)} above", anchor="middle", cls="muted")


def _run_legend(c: Cohort, p: CohortPage, x: float, y: float, w: float, h: float) -> None:
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
    for cls, entry in rows:
        cx, cy = x + 14, yy + 7
        if cls == "pt":
            p.items.append(Rect(cx - 2.5, cy - 2.5, 5, 5, "pt"))
        elif cls == "pt-open":
            p.items.append(Marker("triangle", cx, cy, 6, "pt-open"))
        elif cls == "pt-signal":
            p.items.append(Marker("diamond", cx, cy, 8, "pt-signal"))
        else:
            p.items.append(Line(cx - 9, cy, cx + 9, cy, cls))
        yy = p.lines(x + 30, yy, entry, w - 40, max_lines=2)
        yy += 2
    rules_text = {
        "ihi": "IHI rules: 6 or more points in a row on one side of the median (points on it skipped); 5 or more "
               "rising or falling (repeats not counted); too few or too many runs (published table).",
        "anhoej": "Anhøj rules: the longest run longer than round(log2(n) + 3), or fewer crossings of the median "
                  "than the 5% binomial limit.",
        "mdc": "Making Data Count: a point beyond the limits; 7 in a row on one side of the mean; 7 rising or "
               "falling; 2 of 3 beyond 2 sigma on one side.",
    }.get(c.options.rules, c.options.rules)
    yy = p.lines(x + 6, yy + 6, rules_text, w - 12, max_lines=5, cls="muted")
    approximate = sum(1 for rc in c.run_charts for pt in rc.points if pt.days_window is not None)
    if approximate:  # their dates have no single day: placed by the middle day, which must not pass for exact
        p.lines(x + 6, yy + 4, f"{approximate} {'point counts' if approximate == 1 else 'points count'} days from "
                "or to a date recorded only as a month or a year, by its middle day (the JSON gives the least "
                "and most days, days_window).", w - 12, max_lines=3, cls="muted")


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


@dataclass(frozen=True, slots=True)
class _KMPlot:
    """The Kaplan-Meier plot box and its scales: years since becoming looked after across, share reached up."""

    left: float
    top: float
    right: float
    bottom: float
    years: int

    def xv(self, t: float) -> float:
        return self.left + (self.right - self.left) * (t / (self.years * 365))

    def yv(self, share_reached: float) -> float:
        return self.bottom - (self.bottom - self.top) * share_reached

    def box(self) -> Box:
        return Box(self.left, self.top, self.right - self.left, self.bottom - self.top)


@dataclass(frozen=True, slots=True)
class _KMSeries:
    """The curves drawn (all children first, then each route, as many as there are dashes) and what --share
    hides of them: a curve whose children are hidden shows no line, median or counts of its own."""

    curves: tuple[tuple[str, KMCurve], ...]
    keys: tuple[str | None, ...]  # the route of each curve; None: all children
    share: bool
    counts: SharedCounts

    def hidden(self, i: int) -> bool:
        key, curve = self.keys[i], self.curves[i][1]
        return km_small(curve, self.share) or (self.share and key is not None
                                                and not _shown(self.counts.route_children[key]))

    def at_risk(self, i: int, yr: int) -> str:
        key, curve = self.keys[i], self.curves[i][1]
        if key is None:
            return _count(curve.at_risk(yr * 365), self.share)
        return _cell(self.counts.route_at_risk[yr][key])


def _permanence(c: Cohort, p: CohortPage) -> CohortPage:
    """Page 3: time to legal permanence as curves (left), with who is still followed; the children waiting
    longest (right)."""
    y0 = _header(c, p, "Time to legal permanence, from becoming looked after")
    kw = p.width * 0.64
    curves = [("All children", c.permanence)]
    curves += [(_route_words(k, c.jurisdiction), v) for k, v in c.permanence_by_route.items()]
    curves = curves[: len(KM_DASHES)]
    series = _KMSeries(tuple(curves), (None, *c.permanence_by_route)[: len(curves)], c.options.share,
                       shared_counts(c))
    last_event = max((v.steps[-1].time for _, v in curves if v.steps), default=365)
    plot = _KMPlot(left=220.0, top=y0 + 30, right=kw - 10,
                   bottom=p.height - 110 - 16 * len(curves),  # room below: the at-risk table and two lines of notes
                   years=max(4, min(10, math.ceil(last_event / 365) + 1)))
    _km_axes(p, plot)
    _km_band(c, p, plot)
    for i, (_, curve) in enumerate(curves):
        if curve.n == 0 or series.hidden(i):
            continue
        p.items.append(Path(_km_path(curve, plot.xv, plot.yv, plot.years * 365), plot.box(), f"km-{i}",
                            form="fixed"))
    if c.permanence.n and series.hidden(0):
        p.lines(plot.left + 10, plot.top + 10, "Not drawn for sharing (--share): fewer than 5 children, or "
                "1 to 4 reaching legal permanence, and each step of a curve is one child.",
                plot.right - plot.left - 20, cls="muted")
    _km_at_risk(p, plot, series, kw)
    _waiting_longest(c, p, kw + GAP, y0)
    return p


def _km_axes(p: CohortPage, plot: _KMPlot) -> None:
    """Grid lines every 20%, a tick and number for each year, the axes and their words."""
    p.text(plot.left, plot.top - 24, "Share who have reached legal permanence", cls="muted")
    for k in range(0, 11, 2):
        ty = plot.yv(k / 10)
        p.items.append(Line(plot.left, ty, plot.right, ty, "grid"))
        p.text(plot.left - 4, ty - 7, f"{k * 10}%", anchor="end", cls="muted")
    for yr in range(plot.years + 1):
        tx = plot.xv(yr * 365)
        p.items.append(Line(tx, plot.bottom, tx, plot.bottom + 4, "axis"))
        p.text(tx, plot.bottom + 5, f"{yr}", anchor="middle", cls="muted")
    p.text((plot.left + plot.right) / 2, plot.bottom + 20, "years since becoming looked after", anchor="middle",
           cls="muted")
    p.items.append(Line(plot.left, plot.bottom, plot.right, plot.bottom, "axis"))
    p.items.append(Line(plot.left, plot.top, plot.left, plot.bottom, "axis"))


def _km_band(c: Cohort, p: CohortPage, plot: _KMPlot) -> None:
    """The overall curve's 95% interval as a shaded step band (reached = 1 - S, so the bounds swap).

    A step band, as the curve: each step's interval holds until the next event time.
    """
    overall = c.permanence
    if not overall.steps or km_small(overall, c.options.share):
        return
    upper_pts: list[tuple[float, float]] = []
    lower_pts: list[tuple[float, float]] = []
    last = min(plot.years * 365, max(overall.times))
    shown = [st for st in overall.steps if st.lower is not None and st.upper is not None
             and st.time <= plot.years * 365]
    for k, st in enumerate(shown):
        until = shown[k + 1].time if k + 1 < len(shown) else max(last, st.time)
        assert st.lower is not None and st.upper is not None
        for t in (st.time, until):
            upper_pts.append((plot.xv(t), plot.yv(1 - st.lower)))
            lower_pts.append((plot.xv(t), plot.yv(1 - st.upper)))
    if len(upper_pts) > 1:
        d = (*_polyline(upper_pts + lower_pts[::-1]), shapes.close())
        p.items.append(Path(d, plot.box(), "ci", form="fixed"))


def _km_at_risk(p: CohortPage, plot: _KMPlot, series: _KMSeries, kw: float) -> None:
    """Under the axis: each curve's line, name and median, and the children still followed each year."""
    left = plot.left
    y = plot.bottom + 40
    p.text(0, y, "Children still followed (at risk) at each year since becoming looked after", cls="bold")
    y += 18
    p.text(left - 22, y, "median", anchor="end", cls="muted")
    y += 16
    for i, (name, curve) in enumerate(series.curves):
        p.items.append(Line(0, y + 7, 26, y + 7, f"km-{i}"))
        med = "-" if series.hidden(i) or curve.median is None else f"{curve.median:,} d"
        p.text(32, y, name, max_width=left - 105)
        p.text(left - 22, y, med, anchor="end", cls="muted")
        for yr in range(plot.years + 1):
            p.text(plot.xv(yr * 365), y, series.at_risk(i, yr), anchor="middle")
        y += 16
    p.lines(0, y + 2, "Shaded: the 95% interval of the curve for all children (Greenwood, log-log). Route: the "
                      "plan in force (latest permanence recommendation). A dash: not reached by half"
                      + (", or not given for sharing." if series.share else "."), kw,
            cls="muted", max_lines=2)


def _waiting_longest(c: Cohort, p: CohortPage, x: float, y0: float) -> None:
    """The children waiting longest: reference, step waited for, since when, days (never with --share)."""
    cw = p.width - x
    p.text(x, y0, "Children waiting longest", cls="head")
    if c.options.share:
        p.lines(x, y0 + 24, "Not shown in figures for sharing (--share): the list is about single children.",
                cw, cls="muted")
        return
    if not c.waiting:
        p.lines(x, y0 + 24, "No child is waiting for a step at the as-at date.", cw, cls="muted")
        return
    rows = [["Child", "Waiting for", "Since", "Days"]]
    for wt in c.waiting:
        rows.append([wt.ref, milestone_words(wt.milestone, c.jurisdiction), wt.since_words or day_words(wt.since),
                     _days_cell(wt.days, wt.days_window)])
    _table(p, x, y0 + 24, rows, [cw * 0.19, cw * 0.36, cw * 0.22, cw * 0.23], left=3)


def _days_cell(days: int, window: tuple[int, int] | None) -> str:
    """Days waited, as a cell: '1,094', or '912–1,276' when the record gives no single day to count from
    (the middle day's count would look exact)."""
    if window is None or window[0] == window[1]:
        return f"{days:,}"
    return f"{window[0]:,}–{window[1]:,}"


def _route_words(route: str, jurisdiction: str = "scotland") -> str:
    words = load_vocabulary(jurisdiction).routes
    return {"home": "Home", "kinship": "Kinship", "permanence_order": "Permanence Order",
            "adoption": "Adoption"}.get(route, words.get(route, route).capitalize())


# ---------------------------------------------------------------- journeys


def _journeys(c: Cohort, m: TextMetrics, w: float, h: float) -> list[CohortPage]:
    groups = list(c.groups.items()) if c.groups else [("", c.records)]
    shared_counts_groups = shared_counts(c).groups
    ordered = [(name, sorted(rs, key=_journey_order)) for name, rs in groups]
    n = sum(len(rs) for _, rs in ordered)
    top, bottom_room = 52.0 + 26, 40.0 + 16 * (len(legend_lines(m, w, c.jurisdiction)) - 1)
    header = 18.0 if c.groups else 0.0
    avail = h - top - bottom_room - (GROUP_MIN + 4) * len(ordered) * (1 if c.groups else 0)
    row = min(MAX_ROW, max(MIN_ROW, avail / max(n, 1)))
    oldest = max((r.age_days for r in c.records), default=365)
    years = max(1, min(25, math.ceil(oldest / 365.25)))
    gutter = 96.0
    pages: list[CohortPage] = []
    page: CohortPage | None = None
    y = 0.0

    def xv(days: float) -> float:
        return gutter + (w - gutter - 12) * (days / (years * 365.25))

    def new_page() -> CohortPage:
        pg = CohortPage(m, w, h)
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
        journey_legend(pg, w, h, c.jurisdiction)
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


def _journey_row(p: CohortPage, r: ChildRecord, y: float, row: float, xv: object) -> None:
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


LEGEND_X = 220.0  # the journeys' legend starts right of the axis words ("age in years")


def legend_lines(m: TextMetrics, w: float, jurisdiction: str) -> list[list[str]]:
    """The journeys' legend entries (drawn placement codes) in lines that fit the page from LEGEND_X."""
    vocab = load_vocabulary(jurisdiction)
    lines: list[list[str]] = [[]]
    x = LEGEND_X
    for code in [k for k in vocab.codes("placement") if not vocab.term("placement", k).overlay]:
        width = 16 + m.width(vocab.term("placement", code).abbr, TEXT) + 12
        if lines[-1] and x + width - 12 > w:
            lines.append([])
            x = LEGEND_X
        lines[-1].append(code)
        x += width
    return lines


def journey_legend(p: CohortPage, w: float, h: float, jurisdiction: str = "scotland") -> None:
    """Swatch and name of each placement type under the rows; a second line when one does not fit the
    page (England's names are longer), the last line at the page's foot."""
    vocab = load_vocabulary(jurisdiction)
    lines = legend_lines(p.metrics, w, jurisdiction)
    for k, codes in enumerate(lines):
        x = LEGEND_X
        y = h - 18 - 16 * (len(lines) - 1 - k)
        for code in codes:
            p.items.append(Rect(x, y + 2, 12, 11, f"swatch fill-placement-{code}"))
            x += 16 + p.text(x + 16, y, vocab.term("placement", code).abbr) + 12


# ---------------------------------------------------------------- left out


def _left_out(c: Cohort, p: CohortPage) -> CohortPage:
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
