"""Layout stage (numbered key): the labels that became numbers, in columns beneath the chart or on key pages.

`key_block` takes the pass's `Context`, the key's entries (from the lanes' `Tally`) and where to start,
and returns the primitives it placed, the y below them and the first entry it did not place; the number
column's width is measured once per key (`number_width`) and passed in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ..scene.items import Item, Text
from .context import Context
from .policy import KEY_LINES_MAX
from .tiers import KeyEntry

KEY_BULLET = "•"  # marks a key entry that lists a combined label's events (it has no number)


@dataclass(frozen=True, slots=True)
class KeyForm:
    """What every block of one key shares: its entries, the number column's width, the note in its gutter."""

    entries: tuple[KeyEntry, ...]
    number_width: float
    gutter_note: str = ""  # what was shortened to fit, said beside the key (the key beneath the chart)


def key_form(ctx: Context, entries: tuple[KeyEntry, ...], gutter_note: str = "") -> KeyForm:
    """The key's shared form: its number column as wide as its widest number (at least the theme's)."""
    t = ctx.theme
    widest = max((ctx.metrics.width(str(n), t.text_size, True) for n, _ in entries if n is not None), default=0.0)
    return KeyForm(entries, max(t.key_number_width, widest + t.label_gap), gutter_note)


def key_block(ctx: Context, form: KeyForm, y: float, *, limit: float | None = None, start: int = 0,
              continued: bool = False) -> tuple[list[Item], float, int]:
    """The numbered key from entry `start`: labels that became numbers, in columns, each wrapped to the
    column. Returns (its primitives, the y below it, the first entry not placed).

    Without `limit` every entry is placed, in balanced columns. With `limit` (the lowest y a canvas may
    use) the entries that fit above it are placed, filling each column before the next, so that a key
    too long for one page reads down and across page by page; the last block is balanced again.
    """
    if start >= len(form.entries):
        return [], y, start
    t = ctx.theme
    cols = max(1, ctx.policy.key_columns)
    room = math.inf if limit is None else limit - y
    col_w, entries, columns = _laid(ctx, form, start, cols, room)
    if limit is None:  # all of it, balanced: fewer, wider columns where their entries wrap less and it is shorter
        for fewer in range(min(cols - 1, len(form.entries) - start), 0, -1):
            other = _laid(ctx, form, start, fewer, room)
            if _tallest(other[1], other[2]) < _tallest(entries, columns) - 0.01:
                col_w, entries, columns = other
    num_w = form.number_width
    placed = sum(len(c) for c in columns)
    if placed == 0:  # not even one entry fits under the title: the caller starts a new canvas
        return [], y, start
    head = _head(ctx, form, y, continued)
    bottom = head[-1].y + head[-1].height if head else y
    out: list[Item] = [*head]
    for c, column in enumerate(columns):
        x, cy = ctx.x0 + c * col_w, y
        for i in column:
            number, lines = entries[i]
            if number is not None:
                out.append(ctx.text(x, cy, str(number), "key-number", bold=True))
            else:  # a combined label's events and dates: a bullet, its words lead as on the chart
                out.append(ctx.text(x, cy, KEY_BULLET, "key-mark", bold=True))
            for j, line in enumerate(lines):
                out.append(ctx.text(x + num_w, cy + j * ctx.line_h, line, "key-text"))
            cy += len(lines) * ctx.line_h
        bottom = max(bottom, cy)
    return out, bottom + t.lane_gap, start + placed


Laid = tuple[float, list[tuple[int | None, tuple[str, ...]]], list[list[int]]]  # column width, entries, columns


def _laid(ctx: Context, form: KeyForm, start: int, cols: int, room: float) -> Laid:
    """The key's entries from `start` wrapped to `cols` columns and put in them (`key_columns`)."""
    t = ctx.theme
    col_w = (ctx.right - ctx.x0) / cols
    max_lines = ctx.policy.key_max_lines or KEY_LINES_MAX  # never cut short: an entry wraps to what it needs
    entries: list[tuple[int | None, tuple[str, ...]]] = []
    for number, text in form.entries[start:]:
        lines = tuple(ctx.metrics.wrap(text, t.text_size, col_w - form.number_width - t.label_gap, max_lines)) or ("",)
        entries.append((number, lines))
        if len(entries) * ctx.line_h > room * cols:  # more than can possibly fit: stop wrapping
            break
    return col_w, entries, key_columns([len(lines) * ctx.line_h for _, lines in entries], cols, room)


def _tallest(entries: Sequence[tuple[int | None, tuple[str, ...]]], columns: Sequence[Sequence[int]]) -> int:
    """Lines in the key's longest column."""
    return max((sum(len(entries[i][1]) for i in column) for column in columns), default=0)


def _head(ctx: Context, form: KeyForm, y: float, continued: bool) -> list[Text]:
    """The key's title in the gutter (and, on its first block, what was shortened to fit, under it)."""
    t = ctx.theme
    title = "Numbered labels" if any(n is not None for n, _ in form.entries) else "Combined labels"
    title = f"{title} (continued)" if continued else title
    head = [ctx.text(ctx.left, y + i * ctx.line_h, line, "lane-title", bold=True)
                        for i, line in enumerate(ctx.metrics.wrap(title, t.text_size, t.gutter, 2, bold=True))]
    if form.gutter_note and not continued:
        below = head[-1].y + ctx.line_h
        head += [ctx.text(ctx.left, below + i * ctx.line_h, line, "fit-note")
                 for i, line in enumerate(ctx.metrics.wrap(form.gutter_note, t.text_size, t.gutter, 12))]
    return head


def key_columns(heights: Sequence[float], cols: int, room: float) -> list[list[int]]:
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
