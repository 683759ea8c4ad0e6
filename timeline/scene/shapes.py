"""Scene (geometry): path segments, the marker shapes, and the one writer of their SVG path data.

Why: a path is data (segments with their numbers), not text. The layout builds segments; `svg_d` writes
them as SVG path data (for the SVG and the scene JSON) and `trace` draws them on any pen that has
`move_to`/`line_to`/`curve_to`/`close` (the PDF stream), so no renderer parses path text: after vega's
scenegraph, a shape is written once against a context. Numbers are kept to 1/100 px when a segment is made,
so the SVG's text and the PDF's paint carry the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

# How a producer writes its path data (kept so that every drawing's SVG stays byte for byte what it was):
# "compact" (the chart: "M1 2L3 4Z"), "spaced" (the child's view: "M1 2 L3 4 Z"), "fixed" (the cohort's
# pages: two decimals always, "M1.00 2.00L3.00 4.00Z").
PathForm = Literal["compact", "spaced", "fixed"]


@dataclass(frozen=True, slots=True)
class Segment:
    """One path command with its absolute numbers: M (x y), L (x y), H (x), V (y), A (rx ry 0 large sweep x y), Z."""

    op: str
    args: tuple[float, ...] = ()


def _q(value: float) -> float:
    """A coordinate kept to 1/100 px (the precision of the SVG text)."""
    return round(value, 2)


def move(x: float, y: float) -> Segment:
    return Segment("M", (_q(x), _q(y)))


def line(x: float, y: float) -> Segment:
    return Segment("L", (_q(x), _q(y)))


def horizontal(x: float) -> Segment:
    return Segment("H", (_q(x),))


def vertical(y: float) -> Segment:
    return Segment("V", (_q(y),))


def arc(rx: float, ry: float, large: bool, sweep: bool, x: float, y: float) -> Segment:
    """An elliptical arc without rotation (the layout draws circles and round-topped hearts)."""
    return Segment("A", (_q(rx), _q(ry), 0.0, float(large), float(sweep), _q(x), _q(y)))


CLOSE = Segment("Z")


def close() -> Segment:
    return CLOSE


# ----------------------------------------------------------------------------------------------- writing


_NUMBERS: dict[float, str] = {}  # written numbers, by value: a drawing repeats most of its coordinates
_NUMBERS_KEPT = 1 << 16  # then the memo starts again, so a long-running server's memory stays bounded


def number_text(value: float) -> str:
    """A coordinate or length as SVG and CSS text: at most two decimals, no trailing zeros, never "-0"."""
    text = _NUMBERS.get(value)
    if text is None:
        text = f"{value:.2f}".rstrip("0").rstrip(".")
        if text in ("-0", ""):
            text = "0"
        if len(_NUMBERS) >= _NUMBERS_KEPT:
            _NUMBERS.clear()
        _NUMBERS[value] = text
    return text



def _fixed(value: float) -> str:
    return f"{value:.2f}"


def _command(seg: Segment, fmt: Callable[[float], str]) -> str:
    if seg.op == "A":
        rx, ry, rotation, large, sweep, x, y = seg.args
        return f"A{fmt(rx)} {fmt(ry)} {int(rotation)} {int(large)} {int(sweep)} {fmt(x)} {fmt(y)}"
    return seg.op + " ".join(fmt(v) for v in seg.args)


def svg_d(segments: Iterable[Segment], form: PathForm = "compact") -> str:
    """The segments as SVG path data, in the producer's `form`: the one writer of path text."""
    number = _fixed if form == "fixed" else number_text
    return (" " if form == "spaced" else "").join(_command(seg, number) for seg in segments)


# ----------------------------------------------------------------------------------------------- drawing


class Pen(Protocol):
    """What `trace` draws on: a PDF content stream (pydyf) has exactly these."""

    def move_to(self, x: float, y: float) -> None: ...

    def line_to(self, x: float, y: float) -> None: ...

    def curve_to(self, x1: float, y1: float, x2: float, y2: float, x3: float, y3: float) -> None: ...

    def close(self) -> None: ...


def trace(segments: Iterable[Segment], pen: Pen) -> None:
    """Draw the segments on `pen`: H and V as lines, arcs as cubic Béziers of at most a quarter turn."""
    x = y = start_x = start_y = 0.0
    for seg in segments:
        op, n = seg.op, seg.args
        if op == "M":
            x, y = start_x, start_y = n
            pen.move_to(x, y)
        elif op == "L":
            x, y = n
            pen.line_to(x, y)
        elif op == "H":
            x = n[0]
            pen.line_to(x, y)
        elif op == "V":
            y = n[0]
            pen.line_to(x, y)
        elif op == "Z":
            pen.close()
            x, y = start_x, start_y
        else:  # "A"
            for curve in arc_curves(x, y, *n):
                pen.curve_to(*curve)
            x, y = n[5], n[6]


def _angle(ux: float, uy: float, vx: float, vy: float) -> float:
    return math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)


def arc_curves(x1: float, y1: float, rx: float, ry: float, rotation: float, large: float, sweep: float,
               x2: float, y2: float) -> list[tuple[float, float, float, float, float, float]]:
    """An SVG elliptical arc (no rotation) as cubic Béziers of at most a quarter turn each.

    The centre parameterisation of the SVG spec (implementation notes, B.2.4), radii scaled up when too
    small; an empty list when the end point is the start point, a straight "curve" when a radius is 0.
    """
    if rotation:
        raise ValueError("rotated arcs are not supported (the layout draws circles)")
    if x1 == x2 and y1 == y2:
        return []
    rx, ry = abs(rx), abs(ry)
    if not rx or not ry:
        return [(x1, y1, x2, y2, x2, y2)]
    hx, hy = (x1 - x2) / 2, (y1 - y2) / 2
    scale = hx * hx / (rx * rx) + hy * hy / (ry * ry)
    if scale > 1:
        rx, ry = rx * math.sqrt(scale), ry * math.sqrt(scale)
    numerator = rx * rx * ry * ry - rx * rx * hy * hy - ry * ry * hx * hx
    denominator = rx * rx * hy * hy + ry * ry * hx * hx
    factor = math.sqrt(max(0.0, numerator / denominator))
    if large == sweep:
        factor = -factor
    cxp, cyp = factor * rx * hy / ry, -factor * ry * hx / rx
    cx, cy = cxp + (x1 + x2) / 2, cyp + (y1 + y2) / 2
    ux, uy = (hx - cxp) / rx, (hy - cyp) / ry
    vx, vy = (-hx - cxp) / rx, (-hy - cyp) / ry
    start = _angle(1.0, 0.0, ux, uy)
    turn = _angle(ux, uy, vx, vy)
    if not sweep and turn > 0:
        turn -= 2 * math.pi
    elif sweep and turn < 0:
        turn += 2 * math.pi
    count = max(1, math.ceil(abs(turn) / (math.pi / 2) - 1e-9))
    step = turn / count
    k = 4 / 3 * math.tan(step / 4)
    curves = []
    for index in range(count):
        a1 = start + index * step
        a2 = a1 + step
        cos1, sin1, cos2, sin2 = math.cos(a1), math.sin(a1), math.cos(a2), math.sin(a2)
        curves.append((cx + rx * (cos1 - k * sin1), cy + ry * (sin1 + k * cos1),
                       cx + rx * (cos2 + k * sin2), cy + ry * (sin2 - k * cos2),
                       cx + rx * cos2, cy + ry * sin2))
    curves[-1] = (*curves[-1][:4], x2, y2)  # land exactly on the end point
    return curves


# ----------------------------------------------------------------------------------------------- shapes


def translated(segments: Iterable[Segment], dx: float, dy: float) -> tuple[Segment, ...]:
    """The segments moved by (dx, dy) (an arc's radii and flags stay)."""
    out = []
    for seg in segments:
        n = seg.args
        if seg.op in ("M", "L"):
            out.append(Segment(seg.op, (_q(n[0] + dx), _q(n[1] + dy))))
        elif seg.op == "H":
            out.append(Segment("H", (_q(n[0] + dx),)))
        elif seg.op == "V":
            out.append(Segment("V", (_q(n[0] + dy),)))
        elif seg.op == "A":
            out.append(Segment("A", (*n[:5], _q(n[5] + dx), _q(n[6] + dy))))
        else:
            out.append(seg)
    return tuple(out)


def marker_segments(shape: str, cx: float, cy: float, size: float) -> tuple[Segment, ...]:
    """A marker shape centred on (cx, cy) within a `size` square (diamond, triangle, square, flag, circle)."""
    h = size / 2
    if shape == "diamond":
        return (move(cx, cy - h), line(cx + h, cy), line(cx, cy + h), line(cx - h, cy), CLOSE)
    if shape == "triangle":
        return (move(cx, cy - h), line(cx + h, cy + h), line(cx - h, cy + h), CLOSE)
    if shape == "square":
        r = h * 0.8
        return (move(cx - r, cy - r), horizontal(cx + r), vertical(cy + r), horizontal(cx - r), CLOSE)
    if shape == "flag":
        left = cx - h * 0.6
        return (move(left, cy + h), vertical(cy - h), line(cx + h, cy - h * 0.45), line(left, cy + h * 0.1), CLOSE)
    # circle (and any unknown shape): two half-circle arcs
    return (move(cx - h, cy), arc(h, h, True, False, cx + h, cy), arc(h, h, True, False, cx - h, cy), CLOSE)
