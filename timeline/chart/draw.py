"""Layout stage (one pass): the chart drawn from a `Context`, then finished with its legend and key into a Scene.

`chart` draws the header rows, the lanes (each returning what it drew and what its labels became) and the
calendar years, and returns a frozen `Drawn`; `finish` adds the fit note, the legend (from the lanes'
`Needs`) and the numbered key (from their `Tally`), beneath the chart or as appendix canvases. One drawn
chart can be finished under policies that differ only in the key's form. `floor` is a cheap lower bound of
a pass's height, for the fit ladders.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import words
from ..facts.compute import looked_after_time_words
from ..model.case import AnyEvent
from ..scene.items import Group, Item, Line, Rect, Scene
from . import axis
from .context import EPS, Context, day_words
from .key import KeyForm, key_block, key_form
from .labels import shortened_note
from .lanes import Lane, event_groups, moves_height, point_lane, span_lane
from .legend import has_entries, legend
from .marks import Needs
from .packing import stack
from .sheet import stylesheet
from .tiers import Tally


@dataclass(frozen=True, slots=True)
class Drawn:
    """The chart drawn down to the calendar years (`chart`), waiting for its legend and key."""

    background: tuple[Item, ...]
    foreground: tuple[Item, ...]
    leaders: tuple[Item, ...]
    groups: tuple[Item, ...]
    bottom: float  # the y below the calendar years
    tally: Tally  # what the labels became: the key's entries and the counts
    needs: Needs  # what the legend must explain


def shown_lanes(ctx: Context) -> Iterator[tuple[str, str, list[tuple[int, AnyEvent]]]]:
    """(kind, title, events) of each lane drawn, in order: not hidden, and with events, or a milestone lane
    with targets to show, or a meeting lane with a review overdue."""
    for kind, title in ctx.theme.lane_titles:
        if kind in ctx.policy.hidden_lanes:
            continue
        events = ctx.lane_events(kind)
        forced = (kind == "milestone" and ctx.has_targets()) or (kind == "meeting" and ctx.has_overdue())
        if events or forced:
            yield kind, title, events


SPAN_KINDS = ("placement", "order")  # lanes of bars (`span_lane`); the others are lanes of markers (`point_lane`)


def _lane(ctx: Context, kind: str, top: float, events: list[tuple[int, AnyEvent]], key_start: int) -> Lane:
    """Lane `kind` laid out from `top`, its numbers after `key_start`: made once per record for everything it
    reads (the look, the drawing policy, the canvas), since a ladder lays the same lane out again -- a floor
    and then its pass, or the passes of one drawing finished under the key's forms."""
    memo = ctx.lanes
    key = (kind, top, key_start, ctx.theme, ctx.policy.drawing(), ctx.metrics, ctx.width, ctx.title_block,
           ctx.split, ctx.page_height)
    hit = memo.get(key)
    if hit is None:
        build = span_lane if kind in SPAN_KINDS else point_lane
        hit = memo[key] = build(ctx, kind, top, events, key_start=key_start)
    assert isinstance(hit, Lane)
    return hit


def _title_lines(ctx: Context, title: str) -> tuple[str, ...]:
    t = ctx.theme
    return tuple(ctx.metrics.wrap(title.format(name=ctx.case.child.name), t.lane_title_size, t.gutter,
                                  t.lane_title_lines, bold=True))


@dataclass(frozen=True, slots=True)
class _Lanes:
    """The lanes drawn top to bottom: their titles, leaders, groups, each lane's top, and the y below them."""

    titles: tuple[Item, ...]
    leaders: tuple[Item, ...]
    groups: tuple[Item, ...]
    tops: tuple[float, ...]
    bottom: float
    tally: Tally
    needs: Needs


def _lanes(ctx: Context, y: float) -> _Lanes:
    t = ctx.theme
    titles: list[Item] = []
    leaders: list[Item] = []
    groups: list[Item] = []
    tops: list[float] = []
    tally, needs = Tally(), Needs()
    for kind, title, events in shown_lanes(ctx):
        lane = _lane(ctx, kind, y + t.lane_pad, events, tally.last_number)
        title_lines = _title_lines(ctx, title)
        height = max(lane.height, len(title_lines) * ctx.line_h) + 2 * t.lane_pad
        titles += [ctx.text(ctx.left, y + t.lane_pad + i * ctx.line_h, line, "lane-title",
                            size=t.lane_title_size, bold=True) for i, line in enumerate(title_lines)]
        tops.append(y)
        leaders.extend(lane.leaders)
        groups.extend(event_groups(ctx, lane))
        groups.extend(lane.extras)
        tally, needs = tally + lane.tally, needs | lane.needs
        y += height + t.lane_gap
    return _Lanes(tuple(titles), tuple(leaders), tuple(groups), tuple(tops), y, tally, needs)


def chart(ctx: Context) -> Drawn:
    """The chart down to the calendar years: everything but the legend and the numbered key (which
    depend on it: the key holds the labels that became numbers). Its `bottom` is a lower bound on the
    height of the whole scene, whatever form the key then takes."""
    t = ctx.theme
    foreground: list[Item] = []
    y = t.margin
    if ctx.title_block:
        head, y = axis.title_block(ctx, y)
        foreground += head
    as_of_x = ctx.scale.x(ctx.as_of)  # header rows: 'as at' label, stages, age ticks
    as_of_text = f"As at {day_words(ctx.as_of)}"
    w = ctx.metrics.width(as_of_text, t.text_size, True)
    as_of_label = ctx.text(ctx.clamp_x(as_of_x - w, w), y, as_of_text, "as-of-label", bold=True)
    foreground.append(as_of_label)
    stage_y = y + t.axis_row
    tick_y = stage_y + t.axis_row
    plot_top = tick_y + t.axis_row + t.tick_len
    bracket = axis.bracket(ctx, plot_top)
    lanes_top = plot_top + (t.bracket_row if bracket else 0.0)
    lanes = _lanes(ctx, lanes_top)
    foreground += lanes.titles
    plot_bottom = max(lanes.bottom - t.lane_gap, lanes_top + t.marker_row)
    # backgrounds that need the plot height: stages, before birth, lane separators
    background, stage_labels = axis.stages(ctx, foreground, stage_y, plot_top, plot_bottom)
    foreground += stage_labels
    background += [Line(ctx.left, ly - t.lane_gap / 2, ctx.right, ly - t.lane_gap / 2, "lane-rule")
                   for ly in lanes.tops[1:]]
    tick_lines, tick_labels = axis.ticks(ctx, tick_y, plot_top, plot_bottom)
    background += tick_lines
    foreground += tick_labels + bracket
    # under the labels (their white ground keeps them readable where they cross it), over the bands
    background.append(Line(as_of_x, as_of_label.y + as_of_label.height, as_of_x, plot_bottom, "as-of"))
    y = plot_bottom + t.lane_gap / 2  # calendar years beneath
    year_cells, year_labels = axis.years(ctx, y)
    y += t.year_strip + t.lane_gap
    return Drawn(tuple(background + year_cells), tuple(foreground + year_labels), lanes.leaders, lanes.groups,
                 y, lanes.tally, lanes.needs)


def floor(ctx: Context, limit: float = float("inf"), *, key: bool = False) -> float:
    """A lower bound on the height of `finish(ctx, chart(ctx))`, cheaper than the pass when it passes `limit`:
    the lanes are laid out as `chart` lays them out, top to bottom, and the lanes not yet laid out count at
    their least (a span lane's bars in one sub-row, a point lane's marker row, no label tier), with no fit
    note and an empty legend and key. It stops as soon as the bound passes `limit`. The fit ladder of
    `layout` skips a level whose floor is taller than the room: that level cannot fit, so laying it out
    could not change the answer.

    A point lane left unlabelled (`Policy.unlabelled_lanes`) is its marker row and nothing more: its least
    height is its height, so it is not laid out. With `key` (the one-page ladder, whose legend and key are
    beneath the chart) they count too (`_below_floor`): the legend's first row, and the key at a line per
    entry of its first column while lanes are still to come, exactly as `finish` sets it once every lane
    is laid out."""
    t = ctx.theme
    y = t.margin
    if ctx.title_block:
        y = axis.title_block(ctx, y)[1]
    y += 3 * t.axis_row + t.tick_len
    if ctx.facts is not None and ctx.facts.looked_after_start is not None:  # `axis.bracket` draws one
        y += t.bracket_row
    lanes_top = y
    lanes = [(kind, title, events, _least(ctx, kind, title, events)) for kind, title, events in shown_lanes(ctx)]
    below_chart = key and not ctx.split

    def bound(y: float, done: bool) -> float:
        y = max(y - t.lane_gap, lanes_top + t.marker_row) + t.lane_gap / 2 + t.year_strip + t.lane_gap
        below = _below_floor(ctx, tally, needs, done) if below_chart else 0.0
        return round(y - (t.lane_gap if ctx.split else 0.0) + below + t.margin, 2) - EPS

    rest = sum(least for *_, least in lanes)
    tally, needs = Tally(), Needs()  # the key's entries so far (a later lane's numbers continue them, as in
    for kind, title, events, least in lanes:  # `chart`), and what the legend must explain so far
        if bound(y + rest, False) > limit:
            break
        rest -= least
        if kind not in SPAN_KINDS and kind in ctx.policy.unlabelled_lanes:  # a marker row, no labels: no key
            y += least  # entry, no tier (`point_lane`); exact with events, a lower bound for a forced lane
            continue
        lane = _lane(ctx, kind, y + t.lane_pad, events, tally.last_number)
        tally, needs = tally + lane.tally, needs | lane.needs
        y += max(lane.height, len(_title_lines(ctx, title)) * ctx.line_h) + 2 * t.lane_pad + t.lane_gap
    else:
        return bound(y, True)
    return bound(y + rest, False)


def _below_floor(ctx: Context, tally: Tally, needs: Needs, done: bool) -> float:
    """The least height the legend and numbered key beneath the chart add to it (`finish`), from the key's
    entries (`tally`) and the legend's needs of the lanes laid out so far. The legend: a row and a gap when
    it has an entry (a later lane only adds to it). The key: with every lane laid out (`done`), as `finish`
    sets it; else a line per entry of its first column (the columns are balanced: each holds at least that
    many entries, each a line or more). Less the gap `trim_bottom` takes off under the last of them."""
    t = ctx.theme
    legend_h = t.legend_row + t.lane_gap if has_entries(ctx, needs) else 0.0
    key_h = 0.0
    if tally.key and done:
        key_h = key_block(ctx, _key_form(ctx, tally), 0.0)[1]
    elif tally.key:
        key_h = -(-len(tally.key) // max(1, ctx.policy.key_columns)) * ctx.line_h + t.lane_gap
    trim = t.lane_gap if ctx.policy.trim_bottom and (legend_h or key_h) else 0.0
    return legend_h + key_h - trim


def _key_form(ctx: Context, tally: Tally) -> KeyForm:
    """The key beneath the chart: its entries and, where the policy says so, what was shortened, in its gutter."""
    gutter = shortened_note(dict(tally.numbered), short=True) if ctx.policy.say_shortened else ""
    return key_form(ctx, tally.key, gutter)


def _least(ctx: Context, kind: str, title: str, events: list[tuple[int, AnyEvent]]) -> float:
    """The least height a lane can take (0 for a forced empty lane, which keeps `floor` a lower bound):
    remembered in the record per look and canvas, as a ladder asks for floors pass after pass."""
    key = ("least", kind, ctx.theme, ctx.metrics, ctx.width)
    hit = ctx.lanes.get(key)
    if hit is None:
        hit = ctx.lanes[key] = float(_least_made(ctx, kind, title, events))
    assert isinstance(hit, float)
    return hit


def _least_made(ctx: Context, kind: str, title: str, events: list[tuple[int, AnyEvent]]) -> float:
    t = ctx.theme
    if not events:
        return 0.0
    low = t.marker_row
    if kind in SPAN_KINDS:
        bar_h = t.placement_bar if kind == "placement" else t.order_bar
        main = sorted(((ctx.day_span(n, e), n) for n, e in events if not ctx.term(e).overlay),
                      key=lambda item: (item[0][0], item[1]))  # start order, as span_lane stacks them
        overlays = any(ctx.term(e).overlay for _, e in events)
        low = stack([span for span, _ in main], overlays=overlays)[1] * (bar_h + t.sub_row_gap) - t.sub_row_gap
        if kind == "placement" and ctx.facts is not None and ctx.facts.move_list:
            low += moves_height(ctx)
    return max(low, len(_title_lines(ctx, title)) * ctx.line_h) + 2 * t.lane_pad + t.lane_gap


def finish(ctx: Context, drawn: Drawn) -> Scene:
    """The scene: the drawn chart with the legend and the key beneath it (or in `Scene.appendix`).

    Reads only the chart's results and the context, so one drawn chart can be finished under policies
    that differ only in the key's form (`fit_one_page`)."""
    t, p = ctx.theme, ctx.policy
    foreground, y = list(drawn.foreground), drawn.bottom
    numbered = dict(drawn.tally.numbered)
    note = shortened_note(numbered, key_after=ctx.split) if p.say_shortened and ctx.split else ""
    if note:  # what was shortened to fit, under the calendar years
        lines = ctx.metrics.wrap(note, t.text_size, ctx.right - ctx.left, 3)
        foreground += [ctx.text(ctx.left, y + i * ctx.line_h, line, "fit-note") for i, line in enumerate(lines)]
        y += len(lines) * ctx.line_h + t.lane_gap
    appendix: tuple[Scene, ...] = ()
    if ctx.split:
        y -= t.lane_gap
        appendix = _appendix(ctx, drawn)
    else:
        # with the key beneath the chart, what was shortened is said beside the key, in its gutter
        legend_items, y = legend(ctx, drawn.needs, y)
        key_items, y, _ = key_block(ctx, _key_form(ctx, drawn.tally), y)
        if p.trim_bottom and (legend_items or key_items):  # no gap under the last row on a page that is full
            y -= t.lane_gap
        foreground += legend_items + key_items
    height = round(y + t.margin, 2)
    items: list[Item] = [Rect(0.0, 0.0, ctx.width, height, "canvas"), *drawn.background,
                         Group(drawn.leaders, "leaders"), *drawn.groups, *foreground]
    desc = _desc(ctx)
    if appendix:
        desc += " The legend and the numbered key are printed after the chart."
    hidden = [kind for kind, _ in t.lane_titles if kind in p.hidden_lanes and ctx.lane_events(kind)]
    if hidden:
        desc += " Left out to fit one page: " + ", ".join(ctx.vocab.kind_labels[k].lower() for k in hidden) + "."
    return Scene(width=round(ctx.width, 2), height=height, title=f"Timeline: {ctx.case.child.name}", desc=desc,
                 style=stylesheet(t, ctx.vocab), items=tuple(items), patterns=tuple(t.patterns),
                 font_family=t.font_family, appendix=appendix)


def _key_pages(ctx: Context, form: KeyForm, first: list[Item], y: float) -> tuple[list[list[Item]], list[float]]:
    """The key in blocks from `y` on the canvas that holds `first` (the legend), each later block on a canvas
    of its own: with a `page_height`, none taller than the page. (items, bottom) per canvas."""
    t = ctx.theme
    limit = None if ctx.page_height is None else ctx.page_height - t.margin
    pages, bottoms = [first], [y]
    start = 0
    while True:
        fresh = len(pages) > 1 and not pages[-1]
        out, y, placed = key_block(ctx, form, bottoms[-1], limit=limit, start=start, continued=len(pages) > 1)
        if fresh and placed == start:  # a page too short for one entry: no limit rather than no end
            out, y, placed = key_block(ctx, form, bottoms[-1], start=start, continued=True)
        pages[-1] += out
        bottoms[-1], start = y, placed
        if start >= len(form.entries):
            return pages, bottoms
        pages.append([])
        bottoms.append(t.margin)


def _appendix(ctx: Context, drawn: Drawn) -> tuple[Scene, ...]:
    """The legend and the numbered key on canvases of their own (the chart's width), none if both are empty.

    With a `page_height`, each canvas is at most that tall (an image cannot break across pages): the
    key runs on in blocks, each read down its columns then across, the first after the legend.
    """
    t = ctx.theme
    legend_items, y = legend(ctx, drawn.needs, t.margin)
    pages, bottoms = _key_pages(ctx, key_form(ctx, drawn.tally.key), legend_items, y)
    name = ctx.case.child.name
    scenes: list[Scene] = []
    for n, (out, bottom) in enumerate(zip(pages, bottoms, strict=True)):
        if not out:
            continue
        height = round(bottom - t.lane_gap + t.margin, 2)
        items: tuple[Item, ...] = (Rect(0.0, 0.0, ctx.width, height, "canvas"), *out)
        part = f" (part {n + 1} of {len(pages)})" if len(pages) > 1 else ""
        scenes.append(Scene(width=round(ctx.width, 2), height=height, title=f"Key to the timeline: {name}{part}",
                            desc=f"Legend and numbered labels of {name}'s timeline{part}.",
                            style=stylesheet(t, ctx.vocab), items=items, patterns=tuple(t.patterns),
                            font_family=t.font_family))
    return tuple(scenes)


def _desc(ctx: Context) -> str:
    c = ctx.case.child
    n = len(ctx.case.events)
    parts = [f"Timeline of {c.name}'s life from birth ({day_words(ctx.born)}) to {day_words(ctx.as_of)}, "
             f"drawn against age, with {words.plural(n, 'event')}."]
    f = ctx.facts
    if f is not None and f.looked_after_start is not None:
        time = looked_after_time_words(f.looked_after_span, f.looked_after_days_range, short=True)
        parts.append(f"Looked after for {time} "
                     f"({words.percent_words(f.days_looked_after, f.age_days)} of life); "
                     f"{words.plural(f.moves, 'placement move')}.")
    return " ".join(parts)
