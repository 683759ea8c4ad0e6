"""Layout stage (lanes): one lane of the chart -- bars or markers, their labels, moves, targets, overdue reviews.

`span_lane` (placements, orders) and `point_lane` (hearings, meetings, milestones, life events) each take
the pass's `Context`, the lane's top and events, and the number its key entries start after, and return a
`Lane`: its height, primitives per event group, leader lines, what its labels became (`Tally`), what the
legend must explain (`Needs`) and the titles of the groups that are not events (targets, overdue reviews).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from .. import words
from ..dates import format_age
from ..facts.compute import review_late_words
from ..model.case import AnyEvent
from ..scene import shapes
from ..scene.items import Box, Group, Item, Line, Marker, Path, Rect
from .context import EPS, Context, day_words, days_words
from .labels import TARGET_PRIORITY, Rows, priority
from .marks import Needs, target_tick
from .packing import first_free, stack
from .tiers import Label, Tally, combine, place_tiers

if TYPE_CHECKING:
    from ..facts.compute import MilestoneFact

Events = list[tuple[int, AnyEvent]]


@dataclass(frozen=True, slots=True)
class Lane:
    """What one lane drew."""

    height: float
    per_event: Mapping[str, tuple[Item, ...]]  # primitives per group (event id, or a target's / review's key)
    extras: tuple[Item, ...] = ()  # groups of their own (moves)
    leaders: tuple[Item, ...] = ()
    tally: Tally = field(default_factory=Tally)
    needs: Needs = field(default_factory=Needs)
    titles: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # a non-event group's (title, class)


def _merged(per: dict[str, list[Item]], more: Mapping[str, tuple[Item, ...]]) -> dict[str, tuple[Item, ...]]:
    for key, items in more.items():
        per.setdefault(key, []).extend(items)
    return {k: tuple(v) for k, v in per.items()}


# ---------------------------------------------------------------------------------------------- span lanes


def span_lane(ctx: Context, kind: str, top: float, events: Events, *, key_start: int = 0) -> Lane:
    """Placements or orders: bars in sub-rows, overlays, labels inside, beside on their sub-row or in tiers beneath."""
    t = ctx.theme
    bar_h = t.placement_bar if kind == "placement" else t.order_bar
    main: list[tuple[float, float, int, AnyEvent]] = []
    overlays: list[tuple[float, float, int, AnyEvent]] = []
    days: dict[int, tuple[int, int]] = {}
    for n, e in events:
        xs = ctx.scale.x(e.first.earliest)
        xe = max(ctx.scale.x(ctx.end_day(n, e)), xs + t.min_bar_width)
        days[n] = ctx.day_span(n, e)
        (overlays if ctx.term(e).overlay else main).append((xs, xe, n, e))
    main.sort(key=lambda item: (days[item[2]][0], item[2]))
    rows, n_rows = stack([days[n] for _, _, n, _ in main], overlays=bool(overlays))
    moves_h = moves_height(ctx) if kind == "placement" and ctx.facts is not None and ctx.facts.move_list else 0.0
    bars_top = top + moves_h
    row_y = [bars_top + i * (bar_h + t.sub_row_gap) for i in range(n_rows)]
    bars_bottom = bars_top + n_rows * (bar_h + t.sub_row_gap) - t.sub_row_gap
    per: dict[str, list[Item]] = {}
    labels: list[Label] = []
    flags: set[str] = set()
    drawn: set[tuple[str, str]] = set()
    bars = [(xs, xe, n, e, row_y[row], bar_h, False) for (xs, xe, n, e), row in zip(main, rows, strict=True)
            if row is not None]
    oh = round(bar_h * t.respite_ratio, 2)
    bars += [(xs, xe, n, e, row_y[0] + bar_h - oh, oh, True)
             for xs, xe, n, e in sorted(overlays, key=lambda item: (item[0], item[2]))]
    taken: dict[float, list[tuple[float, float]]] = {}  # per sub-row's y: the x its bars (and their arrows) take
    own_row: dict[int, tuple[float, float]] = {}  # a main bar's (y, x where its marks end), by event number
    for xs, xe, n, e, y, h, overlay in bars:
        drawn.add((e.kind, e.type))
        items, marks = _bar_shapes(ctx, n, e, xs, xe, y, h, overlay=overlay)
        label = _bar_label(ctx, items, n, e, xs, xe, y, h, bars_bottom, overlay=overlay)
        per.setdefault(ctx.ids[n], []).extend(items)
        flags |= marks
        end = max(xe, *(i.box.x + i.box.width for i in items if not isinstance(i, Group)))
        taken.setdefault(row_y[0] if overlay else y, []).append((xs, end))
        if not overlay:
            own_row[n] = (y, end)
        if label is not None:
            labels.append(label)
    lines_at = [x for x, _, _ in _move_rows(ctx)[0]] if moves_h else []  # move lines cross every sub-row
    labels, beside = _beside_bars(ctx, labels, own_row, taken, lines_at, bar_h, per)
    tiers = place_tiers(ctx, labels, bars_bottom + t.lane_pad, lane=kind, key_start=key_start)
    tiers = replace(tiers, tally=tiers.tally + beside)
    extras = tuple(moves(ctx, top, moves_h, bars_bottom)) if kind == "placement" and moves_h else ()
    if extras:
        flags.add("move")
    height = (bars_bottom - top) + (t.lane_pad + tiers.height if tiers.height else 0.0)
    return Lane(height, _merged(per, tiers.per), extras, tiers.leaders, tiers.tally,
                Needs(frozenset(drawn), frozenset(flags)))


def _beside_bars(ctx: Context, labels: list[Label], own_row: Mapping[int, tuple[float, float]],
                 taken: Mapping[float, list[tuple[float, float]]], lines_at: Sequence[float], bar_h: float,
                 per: dict[str, list[Item]]) -> tuple[list[Label], Tally]:
    """Labels of bars too short for their words, put just right of the bar on its own sub-row where that
    stretch is empty (no other bar, arrow, move line or label there): read as a hand-drawn timeline reads,
    and no tier beneath is needed for them. Most important first (`labels.priority`), then left to right.
    Returns the labels still waiting for the tiers, and what was placed here (kept words, by priority)."""
    t = ctx.theme
    if bar_h < ctx.text_h:
        return labels, Tally()
    rows = {y: Rows(blocks) for y, blocks in taken.items()}
    waiting: list[Label] = []
    kept: dict[int, int] = {}
    for lb in sorted(labels, key=lambda lb: (-lb.priority, lb.anchor, lb.order)):
        where = own_row.get(lb.order)
        if where is None or lb.cut or len(lb.lines) != 1:
            waiting.append(lb)
            continue
        y, end = where
        x = round(end + t.label_gap / 2, 2)
        box = (x - t.label_gap / 2, x + lb.width + t.label_gap)
        if box[1] - t.label_gap > ctx.right or not rows[y].free(-1, *box) or any(
                box[0] - 1.0 < mx < box[1] + 1.0 for mx in lines_at):
            waiting.append(lb)
            continue
        rows[y].add(-1, *box)
        ty = y + (bar_h - ctx.text_h) / 2
        out = per.setdefault(lb.group, [])
        out.append(Rect(x, ty, lb.width, ctx.text_h, "label-bg", event=lb.event, rx=2.0))
        out.append(ctx.text(x + t.label_pad, ty, lb.lines[0], "label", event=lb.event))
        kept[lb.priority] = kept.get(lb.priority, 0) + 1
    waiting.sort(key=lambda lb: lb.order)
    return waiting, Tally(kept=tuple(kept.items()))


def _bar_shapes(ctx: Context, n: int, e: AnyEvent, xs: float, xe: float, y: float, h: float, *,
                overlay: bool) -> tuple[list[Item], set[str]]:
    """A bar's fill, hatching, faded ends for approximate dates and its open end; and the marks it used."""
    t, sc = ctx.theme, ctx.scale
    eid = ctx.ids[n]
    term = ctx.term(e)
    flags: set[str] = set()
    w = round(xe - xs, 2)
    fill_cls = f"bar fill-{e.kind}-{e.type}"
    if e.kind == "order" and term.route:
        fill_cls += " permanence"
    if overlay:
        fill_cls += " overlay"
    items: list[Item] = [Rect(xs, y, w, h, fill_cls, event=eid)]
    if e.kind == "placement" and term.pattern and t.pattern(term.pattern):
        items.append(Rect(xs, y, w, h, "hatch", event=eid, fill_pattern=f"pat-{term.pattern}"))
    fuzz = []
    if e.first.approximate:
        fw = max(t.fuzzy_min, sc.x(e.first.latest) - sc.x(e.first.earliest))
        fuzz.append((xs, min(w, fw)))
    if e.last is not None and e.last.approximate:
        fw = min(w, max(t.fuzzy_min, sc.x(e.last.latest) - sc.x(e.last.earliest)))
        fuzz.append((xe - fw, fw))
    for fx, fw in fuzz:
        items.append(Rect(fx, y, fw, h, "fuzzy", event=eid, fill_pattern="pat-hatch"))
        flags.add("approx")
    if e.last is None and n in ctx.inferred:
        fw = min(w, max(t.fuzzy_min, 2 * t.arrow_len))
        items.append(Rect(xe - fw, y, fw, h, "fuzzy inferred", event=eid, fill_pattern="pat-hatch"))
        flags.add("inferred")
    elif e.last is None:
        a = t.arrow_len
        d = (shapes.move(xe, y), shapes.line(xe + a, y + h / 2), shapes.line(xe, y + h), shapes.close())
        items.append(Path(d, Box(xe, y, a, h), f"arrow fill-{e.kind}-{e.type}", event=eid))
        flags.add("open")
    if e.planned:
        flags.add("planned")
    return items, flags


def _bar_label(ctx: Context, items: list[Item], n: int, e: AnyEvent, xs: float, xe: float, y: float, h: float,
               bars_bottom: float, *, overlay: bool) -> Label | None:
    """A bar's words inside it when they fit (added to `items`, None returned), else its label for the tiers."""
    t = ctx.theme
    eid = ctx.ids[n]
    term = ctx.term(e)
    full = ctx.chart_label(e)
    candidates = [full]
    if e.kind == "order":
        body = e.label or ""
        if body and not body.upper().startswith(term.abbr.upper()):
            candidates = [f"{term.abbr}: {ctx.chart_label(e)}"]
        approx = "c. " if e.first.qualifier == "~" else ""
        candidates.append(f"{approx}{term.abbr}")
    else:
        candidates.append(ctx.chart_label(e, short=True))
    size = t.bar_text_size
    inside = None
    if not overlay and h >= ctx.text_h:
        visible = min(xe, ctx.right) - xs
        inside = next((c for c in candidates if ctx.metrics.width(c, size) + 2 * t.label_pad <= visible), None)
    if inside is not None:
        tw = ctx.metrics.width(inside, size)
        tx = xs + t.label_pad
        ty = y + (h - ctx.text_h) / 2
        if e.kind == "placement":  # hatching and dark fills need a calm ground under the words
            items.append(Rect(tx - t.label_pad / 2, ty, tw + t.label_pad, ctx.text_h, "bar-label-bg",
                              event=eid, rx=2.0))
        items.append(ctx.text(tx, ty, inside, "bar-label", size=size, event=eid))
        return None
    text = candidates[0] if e.kind == "order" else full
    lines, lw = ctx.wrap_label(text)
    return Label(cut=ctx.is_cut(lines, text), anchor=xs, lines=lines, width=lw, event=eid, order=n,
                 key_text=f"{text} ({ctx.dates_text(e)})", top_y=bars_bottom, group=eid,
                 priority=priority(e.kind, e.type), kind=e.kind)


# --------------------------------------------------------------------------------------------- point lanes


def point_lane(ctx: Context, kind: str, top: float, events: Events, *, key_start: int = 0) -> Lane:
    """Hearings, meetings, milestones, life events: shaped markers on one row, labels in tiers beneath."""
    t = ctx.theme
    cy = top + t.marker_row / 2
    per: dict[str, list[Item]] = {}
    labels: list[Label] = []
    flags: set[str] = set()
    late = ctx.late_reviews() if kind == "meeting" else {}
    labelled = kind not in ctx.policy.unlabelled_lanes  # else markers only: their labels are not measured
    for n, e in events:
        items, label, marks = _marker(ctx, kind, n, e, cy, late, labelled=labelled)
        per.setdefault(ctx.ids[n], []).extend(items)
        if label is not None:
            labels.append(label)
        flags |= marks
    if ctx.policy.combine_labels and len(labels) > 1:
        labels = combine(ctx, kind, labels)
    extras_start = len(ctx.case.events) + 1
    titles: dict[str, tuple[str, str]] = {}
    if kind == "milestone":
        flags |= _targets(ctx, per, labels, titles, cy, extras_start)
    if kind == "meeting":
        flags |= _overdue_reviews(ctx, per, labels, titles, cy, extras_start)
    if not labelled:  # markers only: the legend explains them, the key stays short
        labels = []
    blocks = [(b.x - t.label_gap / 2, b.x + b.width + t.label_gap / 2)
              for items in per.values() for b in (item.box for item in items if not isinstance(item, Group))]
    tiers = place_tiers(ctx, labels, top + t.marker_row + t.lane_pad, lane=kind, key_start=key_start,
                        row=(cy, blocks))
    height = t.marker_row + (t.lane_pad + tiers.height if tiers.height else 0.0)
    drawn = frozenset((kind, e.type) for _, e in events)
    return Lane(height, _merged(per, tiers.per), (), tiers.leaders, tiers.tally, Needs(drawn, frozenset(flags)),
                titles)


def _marker(ctx: Context, kind: str, n: int, e: AnyEvent, cy: float, late: Mapping[int, str], *,
            labelled: bool = True) -> tuple[list[Item], Label | None, set[str]]:
    """One event's marker (with its approximate range and late ring), its label (None when not `labelled`),
    and the marks it used."""
    t = ctx.theme
    eid = ctx.ids[n]
    items: list[Item] = []
    flags: set[str] = set()
    cx = ctx.scale.x(e.first.mid)
    if e.first.approximate:
        xa, xb = ctx.scale.x(e.first.earliest), ctx.scale.x(e.first.latest)
        if xb - xa > 1.0:
            items.append(Rect(xa, cy - 2.0, xb - xa, 4.0, "fuzzy-range", event=eid))
            flags.add("approx")
    shape = ctx.term(e).marker or "circle"
    cls = f"marker marker-{kind}" + (" court" if shape == "triangle" else "")
    if n in late:
        items.append(Marker("circle", cx, cy, t.marker_size + 6, "late-ring", event=eid))
        flags.add("late")
    items.append(Marker(shape, cx, cy, t.marker_size, cls, event=eid))
    if e.planned:
        flags.add("planned")
    if not labelled:
        return items, None, flags
    text = ctx.chart_label(e, short=True)
    if n in late and "late" not in text.lower():
        text = f"{text} ({late[n]} late)"
    lines, lw = ctx.wrap_label(text)
    label = Label(cut=ctx.is_cut(lines, text), anchor=cx, lines=lines, width=lw, event=eid, order=n,
                  key_text=f"{text} ({ctx.dates_text(e)})", top_y=cy + t.marker_size / 2,
                  group=eid, priority=priority(kind, e.type), kind=kind,
                  beside=round(cx + t.marker_size / 2 + t.label_gap / 2 + EPS, 2))
    return items, label, flags


def _overdue_reviews(ctx: Context, per: dict[str, list[Item]], labels: list[Label],
                     titles: dict[str, tuple[str, str]], cy: float, order0: int) -> set[str]:
    """Reviews due and not held, as hollow markers with labels, added to the meeting lane's working lists."""
    if ctx.facts is None:
        return set()
    t = ctx.theme
    flags: set[str] = set()
    for i, r in enumerate(ctx.facts.reviews):
        if not r.overdue or r.due < ctx.scale.start or r.due > ctx.scale.end:
            continue
        key = f"review-overdue-{i + 1}"
        cx = ctx.scale.x(r.due)
        # counted from a date with no single day, the months it may fall due in, never a middle day's count
        due = words.due_words(r.due, r.due_window, short=True)
        age = format_age(ctx.born, r.due) if r.due_window is None else f"c. {format_age(ctx.born, r.due)}"
        overdue = review_late_words(r, days_words(r.days_late))
        title = (f"{due} (age {age}): looked-after review due, not held by {day_words(ctx.as_of)} ({overdue} overdue)")
        per.setdefault(key, []).append(Marker("circle", cx, cy, t.marker_size, "marker review-overdue"))
        text = f"Review due {due}: not held"
        lines, lw = ctx.wrap_label(text)
        labels.append(Label(cut=ctx.is_cut(lines, text), anchor=cx, lines=lines, width=lw, event=None,
                            order=order0 + i, key_text=text, top_y=cy + t.marker_size / 2, group=key))
        titles[key] = (title, "review-overdue")
        flags.add("overdue-review")
    return flags


def _targets(ctx: Context, per: dict[str, list[Item]], labels: list[Label], titles: dict[str, tuple[str, str]],
             cy: float, order0: int) -> set[str]:
    """Milestone targets, as ticks (and the time beyond a missed or overdue one), added to the lane's lists."""
    if ctx.facts is None:
        return set()
    t, sc = ctx.theme, ctx.scale
    flags: set[str] = set()
    for i, m in enumerate(ctx.facts.milestones):
        if m.target_date is None or m.target_date < sc.start or m.target_date > sc.end:
            continue
        if m.status not in ("met", "missed", "overdue", "pending", "undetermined"):
            continue
        key = f"target-{m.type}"
        name = ctx.vocab.term("milestone", m.type).abbr
        tx = sc.x(m.target_date)
        items = per.setdefault(key, [])
        span = _overrun(m, ctx.as_of)
        if span is not None:
            items.append(Rect(sc.x(span[0]), cy - t.marker_row / 4, sc.x(span[1]) - sc.x(span[0]), t.marker_row / 2,
                              "overrun", fill_pattern=None))
            flags.add("overrun")
        half = t.target_tick / 2
        items.append(Path(target_tick(tx, cy, half), Box(tx - half / 2, cy - half, half, 2 * half), "target-tick"))
        flags.add("target")
        due = words.due_words(m.target_date, m.due_window)  # months, when counted from a date with no day
        title = f"{due[:1].upper() + due[1:]}: target for {name} ({_target_status(ctx, m)})"
        if m.extensions:  # the record extends the timetable: the target drawn is the extended one
            title += f", extended {'once' if m.extensions == 1 else f'{m.extensions} times'}"
        titles[key] = (title, f"target status-{m.status}")
        if m.status == "overdue":
            text = f"{name}: due {words.due_words(m.target_date, m.due_window, short=True)}, overdue"
            lines, lw = ctx.wrap_label(text)
            labels.append(Label(cut=ctx.is_cut(lines, text), anchor=tx, lines=lines, width=lw, event=None,
                                order=order0 + 100 + i, key_text=text, top_y=cy + half, group=key,
                                priority=TARGET_PRIORITY))
    return flags


def _overrun(m: MilestoneFact, as_of: date) -> tuple[date, date] | None:
    """The days drawn as time beyond a missed or overdue target: from the target to the step (or as_of), and,
    when either date has no single day, only the days certainly beyond it (the target's latest possible day to
    the step's earliest), never a length the record does not give."""
    if m.target_date is None or m.status not in ("missed", "overdue"):
        return None
    late = m.date if m.status == "missed" else as_of
    if late is None:
        return None
    begin = m.due_window[1] if m.due_window is not None else m.target_date
    end = m.date_window[0] if m.status == "missed" and m.date_window is not None else late
    return (begin, end) if end > begin else None


def _target_status(ctx: Context, m: MilestoneFact) -> str:
    """A target's status in its title: 'met', 'missed by 9 days', 'cannot tell whether met (recorded only as
    2016)' (the summary's words, `words.over_words` and `words.cannot_tell_words`)."""
    over = words.over_words(m.days_over or 0, m.days_over_range, days_words(m.days_over or 0))
    if m.status == "undetermined":
        recorded = (ctx.case.events[m.event - 1].first.display()
                    if m.date_window is not None and m.event is not None else None)
        return words.cannot_tell_words(recorded, m.target_days or 0, "", waiting=m.date is None, short=True)
    return {"met": "met", "missed": f"missed by {over}", "overdue": f"overdue by {over}",
            "pending": "not yet due"}[m.status]


# ------------------------------------------------------------------------------------------------- moves


MOVE_SHIFT = 0.75  # a move's circle may sit this share of its radius aside to keep one row (its line still meets it)


def _move_rows(ctx: Context) -> tuple[list[tuple[float, float, int]], list[int], float, list[float]]:
    """Moves as (x, diameter, number) by x, their stacking rows, the row height, and each circle's centre x.

    Circles that touch stay on one row when each needs to move aside by at most `MOVE_SHIFT` of its radius
    (`dodge`): the line down from the move's own x still meets its circle, and the row above is saved (a
    page's height is what labels need). Else they stack in rows, each circle over its move."""
    assert ctx.facts is not None
    t = ctx.theme
    found = []
    for mv in ctx.facts.move_list:
        d = max(2 * t.move_radius, ctx.metrics.width(str(mv.number), t.text_size, True) + t.label_pad + 1.0)
        found.append((ctx.scale.x(mv.date), d, mv.number))
    found.sort()
    row_h = max((d for _, d, _ in found), default=2 * t.move_radius) + t.sub_row_gap
    centres = dodge([x for x, _, _ in found], [d + 1.0 for _, d, _ in found])
    if all(abs(c - x) <= MOVE_SHIFT * d / 2 + EPS for c, (x, d, _) in zip(centres, found, strict=True)):
        return found, [0] * len(found), row_h, centres
    rows = first_free([(x - d / 2, x + d / 2 + 1.0) for x, d, _ in found])
    return found, [r or 0 for r in rows], row_h, [x for x, _, _ in found]


def dodge(xs: Sequence[float], widths: Sequence[float]) -> list[float]:
    """Centres as near `xs` (sorted) as they can be, least squares, with neighbours at least the mean of their
    `widths` apart. With c_i the least distance from the first centre to the i-th, the centres less c_i
    must not decrease: an isotonic regression of x_i - c_i (pool adjacent violators, linear)."""
    if not xs:
        return []
    c = [0.0]
    for a, b in itertools.pairwise(widths):
        c.append(c[-1] + (a + b) / 2)
    blocks: list[tuple[float, int]] = []  # (sum, count) of pooled values, their means non-decreasing
    for x, ci in zip(xs, c, strict=True):
        total, n = x - ci, 1
        while blocks and blocks[-1][0] / blocks[-1][1] >= total / n:
            s0, n0 = blocks.pop()
            total, n = total + s0, n + n0
        blocks.append((total, n))
    out: list[float] = []
    for total, n in blocks:
        out.extend([total / n] * n)
    return [y + ci for y, ci in zip(out, c, strict=True)]


def moves_height(ctx: Context) -> float:
    """The height of the placement lane's moves row(s), above its bars."""
    _, rows, row_h, _ = _move_rows(ctx)
    return (max(rows, default=0) + 1) * row_h + ctx.theme.sub_row_gap


def moves(ctx: Context, top: float, height: float, bars_bottom: float) -> list[Item]:
    """One <g class="move"> per move between consecutive main placements: numbered circle and a line."""
    assert ctx.facts is not None
    t = ctx.theme
    by_number = {mv.number: mv for mv in ctx.facts.move_list}
    found, rows, row_h, centres = _move_rows(ctx)
    out: list[Item] = []
    for (x, d, number), row, cx in zip(found, rows, centres, strict=True):
        mv = by_number[number]
        cy = top + height - t.sub_row_gap - (row + 0.5) * row_h
        cx = x if abs(cx - x) <= EPS else round(cx, 2)  # aside only where it had to move (`dodge`)
        foot = cy + d / 2 if cx == x else round(cy + math.sqrt(max(0.0, (d / 2) ** 2 - (x - cx) ** 2)), 2)
        items: list[Item] = [Line(x, foot, x, bars_bottom, "move-line"),  # from the move's own x
                             Marker("circle", cx, cy, d, "move-marker")]
        label = str(number)
        w = ctx.metrics.width(label, t.text_size, True)
        items.append(ctx.text(cx - w / 2, cy - ctx.text_h / 2, label, "move-number", bold=True))
        to_e = ctx.case.events[mv.to_event - 1]
        moved = to_e.first  # as the record gives it ("Mar 2016"), never the middle day the move is counted on
        title = (f"Move {number}: {moved.display()} (age {words.age_at_words(ctx.born, moved, short=True)}), "
                 f"to {ctx.term(to_e).label.lower()}")
        out.append(Group(tuple(items), "move", id=f"move-{number}", title=title))
    return out


# ------------------------------------------------------------------------------------------- event groups


def event_groups(ctx: Context, lane: Lane) -> list[Item]:
    """A lane's primitives as one titled <g> per event (or per target / overdue review)."""
    out: list[Item] = []
    for key, items in lane.per_event.items():
        if key in ctx.by_id:
            cls, title = ctx.group_head(key)
            out.append(Group(tuple(items), cls, id=key, event=key, title=title))
        else:
            title, cls = lane.titles.get(key, ("", key))
            out.append(Group(tuple(items), cls, id=key, title=title))
    return out
