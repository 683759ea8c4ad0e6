"""Layout stage (axis): the title block, the age ticks, the stage bands, the looked-after bracket, the years.

Each function takes the pass's `Context` and returns the primitives it drew (background and foreground
apart where the chart layers them).
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import words
from ..dates import format_age
from ..facts.compute import looked_after_since, looked_after_time_words, period_start_words, recorded_dates
from ..scene import shapes
from ..scene.items import Box, Group, Item, Line, Path, Rect, Text
from .context import DASH, Context, day_words

Drawn = tuple[list[Item], list[Item]]  # (background, foreground)


def title_block(ctx: Context, y: float) -> tuple[list[Item], float]:
    """The child's name and the line under it; and the y below them."""
    t = ctx.theme
    c = ctx.case.child
    width = ctx.right - ctx.left
    name = ctx.metrics.fit(c.name, t.title_size, width, bold=True)
    out: list[Item] = [ctx.text(ctx.left, y, name, "title", size=t.title_size, bold=True)]
    y += t.line_height(t.title_size)
    parts = [f"Born {day_words(ctx.born)}"]
    if c.ref:
        parts.append(f"Ref {c.ref}")
    parts.append(f"As at {day_words(ctx.as_of)}, aged {format_age(ctx.born, ctx.as_of)}")
    line = ctx.metrics.fit("  ·  ".join(parts), t.subtitle_size, width)
    out.append(ctx.text(ctx.left, y, line, "subtitle", size=t.subtitle_size))
    return out, y + t.line_height(t.subtitle_size) + t.title_gap


def bracket(ctx: Context, plot_top: float) -> list[Item]:
    """One looked-after bracket per episode (facts.looked_after_periods), the total's words over them."""
    f = ctx.facts
    if f is None or f.looked_after_start is None:
        return []
    t, sc = ctx.theme, ctx.scale
    periods = f.looked_after_periods or ()
    spans = [(p.start, p.end) for p in periods] or [(f.looked_after_start, f.looked_after_end or ctx.as_of)]
    xa = sc.x(spans[0][0])
    xb = max(sc.x(spans[-1][1]), xa + 1.0)
    pct = words.percent_words(f.days_looked_after, f.age_days)
    duration = looked_after_time_words(f.looked_after_span, f.looked_after_days_range, short=True)
    count = f" in {len(spans)} periods" if len(spans) > 1 else ""
    text = f"{duration} looked after{count} {DASH} {pct} of {ctx.case.child.name}'s life"
    text = ctx.metrics.fit(text, t.text_size, ctx.right - ctx.x0, bold=True)
    w = ctx.metrics.width(text, t.text_size, True)
    ty = plot_top + 1.0
    tx = ctx.clamp_x((xa + xb) / 2 - w / 2, w)
    by = plot_top + t.bracket_row - 3.0
    paths: list[Item] = []
    for start, end in spans:
        pa = sc.x(start)
        pb = max(sc.x(end), pa + 1.0)
        d = (shapes.move(pa, by), shapes.vertical(by - t.bracket_tick), shapes.horizontal(pb), shapes.vertical(by))
        paths.append(Path(d, Box(pa, by - t.bracket_tick, pb - pa, t.bracket_tick), "bracket"))
    label = ctx.text(tx, ty, text, "bracket-label", bold=True)
    bg = Rect(tx - t.label_pad, ty, w + 2 * t.label_pad, ctx.text_h, "label-bg", rx=2.0)
    ends = recorded_dates(ctx.case, [p.end for p in periods], f.inferred_end_dates)
    each = "; ".join(  # starts and ends as the record gives them ("2010"), never a partial date's middle day
        f"{since} to {end.display() if not p.ongoing else day_words(ctx.as_of) + ' (still looked after)'}"
        for p, since, end in zip(periods, period_start_words(ctx.case, f), ends, strict=True))
    title = (f"Looked after {each or 'from ' + looked_after_since(ctx.case, f)}: {duration}{count}, "
             f"{f.percent_of_life_looked_after}% of life")
    return [Group((*paths, bg, label), "looked-after", id="looked-after", title=title)]


def stages(ctx: Context, placed_text: Sequence[Item], label_y: float, top: float, bottom: float) -> Drawn:
    """The age-and-stage bands (and the time before birth) with their names where they fit and meet none of
    `placed_text` (the texts already drawn)."""
    t, sc = ctx.theme, ctx.scale
    h = bottom - top
    bg: list[Item] = []
    fg: list[Item] = []
    placed: list[Box] = [item.box for item in placed_text if isinstance(item, Text)]
    if sc.start < ctx.born:
        xb = sc.x(ctx.born)
        bg.append(Rect(sc.x0, top, xb - sc.x0, h, "before-birth"))
        for name in (t.before_birth_name, t.before_birth_short):
            if _stage_label(ctx, fg, placed, name, sc.x0, xb, label_y):
                break
    for i, st in enumerate(t.stages):
        a = sc.birthday(int(st.start_years))
        b = sc.birthday(int(st.end_years)) if st.end_years is not None else sc.end
        a, b = max(a, sc.start, ctx.born), min(b, sc.end)
        if b <= a:
            continue
        xa, xb = sc.x(a), sc.x(b)
        bg.append(Rect(xa, top, xb - xa, h, f"band band-{i % 2}"))
        _stage_label(ctx, fg, placed, st.name, xa, xb, label_y)
    return bg, fg


def _stage_label(ctx: Context, fg: list[Item], placed: list[Box], name: str, xa: float, xb: float,
                 y: float) -> bool:
    """Centre a band's name over it when it fits and collides with nothing; True when drawn."""
    t = ctx.theme
    w = ctx.metrics.width(name, t.text_size)
    if w + 2 * t.label_pad > xb - xa:
        return False
    item = ctx.text(ctx.clamp_x(xa + (xb - xa - w) / 2, w), y, name, "stage-label")
    if any(item.box.overlaps(b) for b in placed):
        return False
    placed.append(item.box)
    fg.append(item)
    return True


def ticks(ctx: Context, label_y: float, top: float, bottom: float) -> Drawn:
    """The age ticks down the plot and their labels, majors first, none overlapping another."""
    t, m = ctx.theme, ctx.metrics
    size = t.text_size
    found = ctx.scale.age_ticks(min_spacing=m.width("Age 88", size, True) + t.tick_label_gap,
                                year_steps=t.year_steps, month_steps=t.month_steps,
                                short_span_years=t.short_span_years,
                                month_min_spacing=m.width("88 y 88 m", size) + t.tick_label_gap)
    bg: list[Item] = []
    fg: list[Item] = []
    placed: list[Box] = []
    for tk in [tk for tk in found if tk.major] + [tk for tk in found if not tk.major]:
        bg.append(Line(tk.x, top - (t.tick_len if tk.major else t.month_tick_len), tk.x, bottom,
                       "tick-major" if tk.major else "tick-minor"))
        if not tk.label:
            continue
        w = m.width(tk.label, size, tk.major)
        x = ctx.clamp_x(tk.x - w / 2, w, lo=ctx.x0 - t.gutter_gap)
        item = ctx.text(x, label_y, tk.label, "tick-label" if tk.major else "tick-label minor", bold=tk.major)
        grown = Box(item.x - t.tick_label_gap / 2, item.y, item.width + t.tick_label_gap, item.height)
        if any(grown.overlaps(b) for b in placed):
            continue
        placed.append(grown)
        fg.append(item)
    return bg, fg


def years(ctx: Context, y: float) -> Drawn:
    """The calendar years beneath the plot, each named in full or short where it fits."""
    t = ctx.theme
    bg: list[Item] = []
    fg: list[Item] = []
    for year, xa, xb in ctx.scale.year_cells():
        bg.append(Rect(xa, y, xb - xa, t.year_strip, f"year-cell year-{year % 2}"))
        for text in (str(year), f"’{year % 100:02d}"):
            w = ctx.metrics.width(text, t.text_size)
            if w + 2 * t.label_pad <= xb - xa:
                fg.append(ctx.text(xa + (xb - xa - w) / 2, y + (t.year_strip - ctx.text_h) / 2, text, "year-label"))
                break
    fg.append(ctx.text(ctx.left, y + (t.year_strip - ctx.text_h) / 2, "Calendar year", "lane-title", bold=True))
    return bg, fg
