"""Layout stage (legend): swatches and marker shapes for what the chart drew (`Needs`), in rows.

`legend` takes the pass's `Context`, the lanes' combined `Needs` and the y to start at, and returns the
legend's primitives and the y below it; it reads nothing the drawing code left behind.
"""

from __future__ import annotations

from ..scene import shapes
from ..scene.items import Box, Group, Item, Marker, Path, Rect
from .context import Context
from .marks import Needs, moved, target_tick

Entry = tuple[list[Item], float, str]  # swatch items drawn at (0, 0), swatch width, text


def legend(ctx: Context, needs: Needs, y: float) -> tuple[list[Item], float]:
    """A legend built from what was drawn: swatches with their patterns, marker shapes, and extras."""
    t = ctx.theme
    s = t.legend_swatch
    entries = _entries(ctx, needs)
    if not entries:
        return [], y
    out: list[Item] = []
    row_h = t.legend_row
    out.append(ctx.text(ctx.left, y + (row_h - ctx.text_h) / 2, "Key", "lane-title", bold=True))
    x = ctx.x0
    for sw, sw_w, text in entries:
        max_text = ctx.right - ctx.x0 - sw_w - t.label_pad * 2
        text = ctx.metrics.fit(text, t.text_size, max_text)
        w = sw_w + t.label_pad * 2 + ctx.metrics.width(text, t.text_size)
        if x + w > ctx.right and x > ctx.x0:
            x = ctx.x0
            y += row_h
        dx, dy = x, y + (row_h - s) / 2
        out.append(Group(tuple(moved(item, dx, dy) for item in sw), "legend-swatch"))
        out.append(ctx.text(x + sw_w + t.label_pad * 2, y + (row_h - ctx.text_h) / 2, text, "legend-text"))
        x += w + t.legend_gap
    return out, y + row_h + t.lane_gap


def has_entries(ctx: Context, needs: Needs) -> bool:
    """True when the legend of `needs` is not empty (then it is at least a row and a gap tall); it is not
    empty for any larger `needs` either (the fit ladder's floors count it)."""
    return bool(_entries(ctx, needs))


def _entries(ctx: Context, needs: Needs) -> list[Entry]:
    t = ctx.theme
    entries = [*_bar_entries(ctx, needs), *_marker_entries(ctx, needs)]
    entries += [(sw, sw_w, text) for flag, sw, sw_w, text in _extras(t.legend_swatch, t.marker_size)
                if flag in needs.flags]
    return entries


def _bar_entries(ctx: Context, needs: Needs) -> list[Entry]:
    """A swatch per placement and order type drawn, in the vocabulary's order."""
    t, vocab = ctx.theme, ctx.vocab
    s = t.legend_swatch
    entries: list[Entry] = []
    for code in vocab.codes("placement"):
        if needs.has("placement", code):
            term = vocab.term("placement", code)
            sw: list[Item] = [Rect(0, 0, s * 1.6, s, f"bar fill-placement-{code}")]
            if term.pattern and t.pattern(term.pattern):
                sw.append(Rect(0, 0, s * 1.6, s, "hatch", fill_pattern=f"pat-{term.pattern}"))
            entries.append((sw, s * 1.6, term.label))
    for code in vocab.codes("order"):
        if needs.has("order", code):
            term = vocab.term("order", code)
            cls = f"bar fill-order-{code}" + (" permanence" if term.route else "")
            text = term.label if term.abbr in term.label else f"{term.abbr}: {term.label}"
            entries.append(([Rect(0, 0, s * 1.6, s, cls)], s * 1.6, text))
    return entries


def _marker_entries(ctx: Context, needs: Needs) -> list[Entry]:
    """A marker per point lane and shape drawn (a hearing's court triangle apart from its circle)."""
    t, vocab = ctx.theme, ctx.vocab
    s = t.legend_swatch
    entries: list[Entry] = []
    for kind in ("hearing", "meeting", "milestone", "event"):
        seen: list[str] = []
        for code in vocab.codes(kind):
            if not needs.has(kind, code):
                continue
            shape = vocab.term(kind, code).marker or "circle"
            if shape in seen:
                continue
            seen.append(shape)
            cls = f"marker marker-{kind}" + (" court" if shape == "triangle" else "")
            name = vocab.kind_labels[kind]
            if kind == "hearing":
                name = vocab.word("court_legend" if shape == "triangle" else "hearing_legend")
            entries.append(([Marker(shape, s / 2, s / 2, t.marker_size, cls)], s, name))
    return entries


def _extras(s: float, marker_size: float) -> list[tuple[str, list[Item], float, str]]:
    """(flag, swatch, swatch width, text) of the marks beside the events, each shown when its flag is set."""
    return [
        ("move", [Marker("circle", s / 2, s / 2, s, "move-marker")], s, "Move between placements (numbered)"),
        ("open", [Path((shapes.move(0, 0), shapes.horizontal(s), shapes.line(s * 1.6, s / 2), shapes.line(s, s),
                        shapes.horizontal(0), shapes.close()),
                       Box(0, 0, s * 1.6, s), "bar legend-open")], s * 1.6, "Continues after the 'as at' date"),
        ("planned", [Rect(0, 0, s * 1.6, s, "bar legend-planned")], s * 1.6, "Planned (dashed, hollow)"),
        ("inferred", [Rect(0, 0, s * 1.6, s, "fuzzy inferred", fill_pattern="pat-hatch")], s * 1.6,
         "End inferred from a later event"),
        ("approx", [Rect(0, 0, s * 1.6, s, "fuzzy", fill_pattern="pat-hatch")], s * 1.6, "Date approximate (c.)"),
        ("target", [Path(target_tick(s / 2, s / 2, s / 2), Box(s / 4, 0, s / 2, s), "target-tick")], s,
         "Target date"),
        ("overrun", [Rect(0, s / 4, s * 1.6, s / 2, "overrun")], s * 1.6, "Time beyond target"),
        ("late", [Marker("circle", s / 2, s / 2, s, "late-ring")], s, "Review held late"),
        ("overdue-review", [Marker("circle", s / 2, s / 2, marker_size, "marker review-overdue")], s,
         "Review due, not held"),
    ]
