"""Render stage (PDF, drawings): a Scene painted straight onto WeasyPrint's PDF stream with pydyf operators.

Why: WeasyPrint draws an SVG image node by node, running a CSS cascade, unit conversions and colour
parsing for each; at 1,000 events (about 7,000 nodes) that was two thirds of the PDF's time. The chart is
already data (`Scene`: frozen rectangles, lines, paths, markers, texts and groups, styled by classes from
one stylesheet we write ourselves), so this module paints those primitives directly: the stylesheet is
parsed once, each distinct (tag, classes, ancestors) is resolved once, and every item becomes a handful
of PDF operators. The picture is the one WeasyPrint draws from `render/svg.py`'s SVG: the same cascade
(specificity, then source order; presentation attributes below the item's own rules, above inherited
values), the same shapes, SVG's miter limit, whole-run text shaped by Pango with WeasyPrint's own text
code, and the patterns as PDF tiling patterns.

It understands exactly the CSS and path data the layout writes (`layout.stylesheet()`: selectors `tag`,
`.a`, `.a.b`, `.a .b`; the properties in `PROPERTIES`; path commands M L H V Z A, absolute) and raises
`DrawingError` on anything else, so a new form is caught by the tests rather than drawn wrongly.

How a drawing reaches WeasyPrint: the report still hands it an SVG image (`scene_image_uri`), but for a
PDF render that image is a stub (size and viewBox only) whose root names a scene in the render's
`SceneRegistry`; `render/pdf.py` teaches WeasyPrint's SVG image to paint that scene with `draw_scene`.
WeasyPrint is imported only inside the drawing functions, and its private names come from `weasy_private`.
"""

from __future__ import annotations

import base64
import contextlib
import math
import re
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..scene import Group, Item, Line, Marker, Path, Rect, Scene, Text
from ..theme import PatternSpec

# The stub SVG's root attribute naming a scene in the render's registry (see `scene_image_uri`).
SCENE_ATTRIBUTE = "data-timeline-scene"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
# The CSS properties the layout's stylesheet uses; anything else is refused (DrawingError).
PROPERTIES = frozenset({"fill", "stroke", "stroke-width", "stroke-dasharray", "fill-opacity", "opacity",
                        "font-family", "font-size", "font-weight"})
NOT_INHERITED = frozenset({"opacity"})  # as in SVG (and WeasyPrint's cascade): every other one inherits
PATH_COMMANDS = {"M": 2, "L": 2, "H": 1, "V": 1, "Z": 0, "A": 7}  # command -> numbers per repetition
MITER_LIMIT = 4.0  # SVG's default; PDF's own default (10) would draw the markers' sharp corners longer
ROOT_FONT_SIZE = 16.0  # px: WeasyPrint's SVG root font size (12pt), the default for text without a rule
DEFAULT_FONT_FAMILY = "sans-serif"
FONT_WEIGHTS = {"normal": 400, "bold": 700}
NAMED_COLOURS = {"black": (0.0, 0.0, 0.0), "white": (1.0, 1.0, 1.0)}
BEZIER_CIRCLE = 4 * (2**0.5 - 1) / 3  # control-point distance of a quarter circle of radius 1
TEXT_FILL = 0  # PDF text rendering modes
TEXT_STROKE = 1
TEXT_FILL_STROKE = 2

RGB = tuple[float, float, float]
Element = tuple[str, frozenset[str]]  # (tag, classes): what a selector is matched against
Chain = tuple[tuple[str, str], ...]  # the (tag, class attribute) of each ancestor below the root, outermost first
PATTERN_CHAIN: Chain = (("defs", ""), ("pattern", ""))  # where render/svg.py puts a pattern's content


class DrawingError(ValueError):
    """CSS, a value or path data this painter does not understand: fail loudly rather than draw wrongly."""


# ----------------------------------------------------------------------------------------------- the stylesheet


@dataclass(frozen=True, slots=True)
class Compound:
    """One compound selector: an optional tag and the classes an element must all carry."""

    tag: str | None
    classes: frozenset[str]

    def matches(self, element: Element) -> bool:
        tag, classes = element
        return (self.tag is None or self.tag == tag) and self.classes <= classes


@dataclass(frozen=True, slots=True)
class Rule:
    """One selector of a rule with its declarations; compounds joined by descendant combinators."""

    chain: tuple[Compound, ...]  # outermost first; the last one matches the element itself
    specificity: tuple[int, int]  # (classes, tags): the stylesheet has no ids
    order: int  # source order, the tie-break
    declarations: tuple[tuple[str, str], ...]

    def matches(self, element: Element, ancestors: tuple[Element, ...]) -> bool:
        """True when the element matches; descendant combinators only, so the nearest match is enough."""
        *outer, last = self.chain
        if not last.matches(element):
            return False
        index = len(ancestors) - 1
        for compound in reversed(outer):
            while index >= 0 and not compound.matches(ancestors[index]):
                index -= 1
            if index < 0:
                return False
            index -= 1
        return True


_COMPOUND = re.compile(r"([a-zA-Z][a-zA-Z0-9-]*)?((?:\.[A-Za-z_][A-Za-z0-9_-]*)*)")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def _compound(text: str) -> Compound:
    match = _COMPOUND.fullmatch(text)
    if not text or match is None:
        raise DrawingError(f"unsupported CSS selector part {text[:40]!r}")
    tag, classes = match.groups()
    return Compound(tag, frozenset(name for name in classes.split(".") if name))


@lru_cache(maxsize=16)
def parse_stylesheet(css: str) -> tuple[Rule, ...]:
    """The rules of a scene's stylesheet, one per selector, sorted by (specificity, source order).

    Cached by the text: every scene of a render carries the same stylesheet. Every declaration is parsed
    here as well (`parse_value`), so an unknown property or value fails on the first use of a stylesheet.
    """
    rules: list[Rule] = []
    rest = _COMMENT.sub("", css)
    order = 0
    while rest.strip():
        prelude, brace, rest = rest.partition("{")
        body, close, rest = rest.partition("}")
        if not brace or not close or "@" in prelude or "{" in body:
            raise DrawingError(f"unsupported CSS near {prelude.strip()[:40]!r}")
        declarations: list[tuple[str, str]] = []
        for declaration in body.split(";"):
            if not declaration.strip():
                continue
            name, colon, value = declaration.partition(":")
            name, value = name.strip().lower(), value.strip()
            if not colon or name not in PROPERTIES or "!" in value:
                raise DrawingError(f"unsupported CSS declaration {declaration.strip()[:40]!r}")
            parse_value(name, value)
            declarations.append((name, value))
        for selector in prelude.split(","):
            chain = tuple(_compound(part) for part in selector.split())
            if not chain:
                raise DrawingError("empty CSS selector")
            specificity = (sum(len(c.classes) for c in chain), sum(c.tag is not None for c in chain))
            rules.append(Rule(chain, specificity, order, tuple(declarations)))
            order += 1
    rules.sort(key=lambda rule: (rule.specificity, rule.order))
    return tuple(rules)


def _colour(value: str) -> RGB | None:
    if value == "none":
        return None
    if value in NAMED_COLOURS:
        return NAMED_COLOURS[value]
    digits = value[1:]
    if value.startswith("#") and len(digits) in (3, 6) and all(c in "0123456789abcdefABCDEF" for c in digits):
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
        return (r, g, b)
    raise DrawingError(f"unsupported colour {value[:40]!r}")


def _length(value: str) -> float:
    number = value[:-2] if value.endswith("px") else value
    try:
        return float(number)
    except ValueError:
        raise DrawingError(f"unsupported length {value[:40]!r}") from None


def _ratio(value: str) -> float:
    """An opacity, clamped to 0..1 like WeasyPrint's alpha_value."""
    scale = 100.0 if value.endswith("%") else 1.0
    try:
        return min(1.0, max(0.0, float(value.rstrip("%")) / scale))
    except ValueError:
        raise DrawingError(f"unsupported opacity {value[:40]!r}") from None


def _dashes(value: str) -> tuple[float, ...]:
    if value == "none":
        return ()
    return tuple(_length(part) for part in value.replace(",", " ").split())


def _weight(value: str) -> int:
    if value in FONT_WEIGHTS:
        return FONT_WEIGHTS[value]
    if value.isdigit():
        return int(value)
    raise DrawingError(f"unsupported font-weight {value[:40]!r}")


def _families(value: str) -> tuple[str, ...]:
    """As WeasyPrint's SVG text splits font-family (quotes stripped, spaces kept), so Pango gets the same."""
    return tuple(font.strip("\"'") for font in value.split(","))


def _paint_server(value: str) -> RGB | str | None:
    if value.startswith("url(#") and value.endswith(")"):
        return value[5:-1]
    return _colour(value)


_PARSERS: dict[str, Callable[[str], object]] = {
    "fill": _paint_server,
    "stroke": _colour,
    "stroke-width": _length,
    "stroke-dasharray": _dashes,
    "fill-opacity": _ratio,
    "opacity": _ratio,
    "font-family": _families,
    "font-size": _length,
    "font-weight": _weight,
}


def parse_value(name: str, value: str) -> object:
    """The parsed value of one declaration; DrawingError for a property or value not understood."""
    parser = _PARSERS.get(name)
    if parser is None:
        raise DrawingError(f"unsupported CSS property {name[:40]!r}")
    return parser(value)


@dataclass(frozen=True, slots=True)
class Paint:
    """An item's computed style, parsed: what fills and strokes it (and how), and its font."""

    fill: RGB | None
    pattern: str | None  # a pattern id (fills instead of `fill`)
    fill_opacity: float
    stroke: RGB | None
    stroke_width: float
    dashes: tuple[float, ...]
    opacity: float
    font_family: tuple[str, ...]
    font_size: float
    font_weight: int

    @property
    def fills(self) -> bool:
        return self.fill is not None or self.pattern is not None

    @property
    def strokes(self) -> bool:
        return self.stroke is not None and self.stroke_width > 0


class StyleResolver:
    """Computed styles from one scene's stylesheet, resolved once per distinct (tag, classes, ancestors).

    Mirrors WeasyPrint's SVG cascade: an element starts from its presentation attributes, takes every
    inherited property of its parent it does not have, then its own matching rules override (specificity,
    then source order). The root <svg> carries the scene's font-family as an attribute.
    """

    def __init__(self, css: str, font_family: str, patterns: tuple[PatternSpec, ...]) -> None:
        self.rules = parse_stylesheet(css)
        self.pattern_ids = frozenset(f"pat-{spec.name}" for spec in patterns)
        root: Element = ("svg", frozenset())
        computed = {"font-family": font_family} | self._declared(root, ())
        self._chains: dict[Chain, tuple[dict[str, str], tuple[Element, ...]]] = {(): (computed, (root,))}
        self._paints: dict[tuple[str, str, Chain, str | None], Paint] = {}

    def _declared(self, element: Element, ancestors: tuple[Element, ...]) -> dict[str, str]:
        declared: dict[str, str] = {}
        for rule in self.rules:  # sorted: later wins
            if rule.matches(element, ancestors):
                declared.update(rule.declarations)
        return declared

    def _chain(self, chain: Chain) -> tuple[dict[str, str], tuple[Element, ...]]:
        """(computed style, ancestors for matching) of the innermost element of `chain`."""
        known = self._chains.get(chain)
        if known is not None:
            return known
        parent, ancestors = self._chain(chain[:-1])
        tag, cls = chain[-1]
        element: Element = (tag, frozenset(cls.split()))
        computed = _inherited(parent) | self._declared(element, ancestors)
        result = (computed, (*ancestors, element))
        self._chains[chain] = result
        return result

    def paint(self, tag: str, cls: str, chain: Chain, pattern: str | None = None) -> Paint:
        """The Paint of an item (`pattern`: its fill attribute's pattern id) under the groups of `chain`."""
        key = (tag, cls, chain, pattern)
        known = self._paints.get(key)
        if known is not None:
            return known
        parent, ancestors = self._chain(chain)
        computed = _inherited(parent)
        if pattern is not None:
            computed["fill"] = f"url(#{pattern})"
        computed |= self._declared((tag, frozenset(cls.split())), ancestors)
        paint = self._parse(computed)
        self._paints[key] = paint
        return paint

    def _parse(self, computed: dict[str, str]) -> Paint:
        fill = _paint_server(computed.get("fill", "black"))
        if isinstance(fill, str) and fill not in self.pattern_ids:
            raise DrawingError(f"fill refers to an unknown pattern {fill[:40]!r}")
        return Paint(
            fill=fill if not isinstance(fill, str) else None,
            pattern=fill if isinstance(fill, str) else None,
            fill_opacity=_ratio(computed.get("fill-opacity", "1")),
            stroke=_colour(computed.get("stroke", "none")),
            stroke_width=_length(computed.get("stroke-width", "1")),
            dashes=_dashes(computed.get("stroke-dasharray", "none")),
            opacity=_ratio(computed.get("opacity", "1")),
            font_family=_families(computed.get("font-family", DEFAULT_FONT_FAMILY)),
            font_size=_length(computed["font-size"]) if "font-size" in computed else ROOT_FONT_SIZE,
            font_weight=_weight(computed.get("font-weight", "normal")),
        )


@lru_cache(maxsize=8)
def style_resolver(css: str, font_family: str, patterns: tuple[PatternSpec, ...]) -> StyleResolver:
    """The resolver of a stylesheet, shared by every drawing that carries it (the chart, its legend and
    key, and the next render's), so each distinct item style is resolved once per process."""
    return StyleResolver(css, font_family, patterns)


def _inherited(parent: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in parent.items() if name not in NOT_INHERITED}


# ----------------------------------------------------------------------------------------------- path data

_PATH_TOKEN = re.compile(r"([A-Za-z])|([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|[\s,]+|(.)")


def parse_path(d: str) -> list[tuple[str, tuple[float, ...]]]:
    """Path data as (command, numbers) pairs, implicit repetitions split out (after M they are L).

    Only the absolute commands the layout writes (`PATH_COMMANDS`) are accepted; DrawingError otherwise.
    """
    out: list[tuple[str, tuple[float, ...]]] = []
    command = ""
    numbers: list[float] = []

    def flush() -> None:
        if not command:
            if numbers:
                raise DrawingError(f"path data starts with a number: {d[:40]!r}")
            return
        size = PATH_COMMANDS[command]
        if size == 0:
            if numbers:
                raise DrawingError(f"numbers after {command} in path data {d[:40]!r}")
            out.append((command, ()))
            return
        if not numbers or len(numbers) % size:
            raise DrawingError(f"wrong count of numbers after {command} in path data {d[:40]!r}")
        for start in range(0, len(numbers), size):
            repeated = "L" if command == "M" and start else command
            out.append((repeated, tuple(numbers[start : start + size])))

    for match in _PATH_TOKEN.finditer(d):
        letter, number, junk = match.groups()
        if junk is not None:
            raise DrawingError(f"unexpected {junk!r} in path data {d[:40]!r}")
        if letter is not None:
            flush()
            if letter not in PATH_COMMANDS:
                raise DrawingError(f"unsupported path command {letter!r} in {d[:40]!r}")
            command, numbers = letter, []
        elif number is not None:
            numbers.append(float(number))
    flush()
    return out


def _angle(ux: float, uy: float, vx: float, vy: float) -> float:
    return math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)


def arc_curves(x1: float, y1: float, rx: float, ry: float, rotation: float, large: float, sweep: float,
               x2: float, y2: float) -> list[tuple[float, float, float, float, float, float]]:
    """An SVG elliptical arc (no rotation) as cubic Béziers of at most a quarter turn each.

    The centre parameterisation of the SVG spec (implementation notes, B.2.4), radii scaled up when too
    small; an empty list when the end point is the start point, a straight "curve" when a radius is 0.
    """
    if rotation:
        raise DrawingError("rotated arcs are not supported (the layout draws circles)")
    if large not in (0, 1) or sweep not in (0, 1):
        raise DrawingError("arc flags must be 0 or 1")
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


def _emit_path(stream: Any, d: str) -> None:
    """Path data as PDF path operators on `stream`."""
    x = y = start_x = start_y = 0.0
    for command, n in parse_path(d):
        if command == "M":
            x, y = start_x, start_y = n
            stream.move_to(x, y)
        elif command == "L":
            x, y = n
            stream.line_to(x, y)
        elif command == "H":
            x = n[0]
            stream.line_to(x, y)
        elif command == "V":
            y = n[0]
            stream.line_to(x, y)
        elif command == "Z":
            stream.close()
            x, y = start_x, start_y
        else:  # "A"
            for curve in arc_curves(x, y, *n):
                stream.curve_to(*curve)
            x, y = n[5], n[6]


# ----------------------------------------------------------------------------------------------- painting


class _Pen:
    """A stream with the graphics state already set on it, so unchanged state is not written again."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.fill: RGB | tuple[str, float] | None = None  # colour, or (pattern id, alpha)
        self.stroke: RGB | None = None
        self.width: float | None = None
        self.dashes: tuple[float, ...] | None = None
        self.text_mode: int | None = None
        self.patterns: dict[tuple[str, float], str] = {}  # (pattern id, alpha) -> the pattern's resource name
        stream.set_miter_limit(MITER_LIMIT)


class ScenePainter:
    """Paints one scene onto a WeasyPrint stream, in the scene's user units (the caller scales)."""

    def __init__(self, scene: Scene, context: Any) -> None:
        from .weasy_private import private

        self.scene = scene
        self.context = context
        self.resolver = style_resolver(scene.style, scene.font_family, scene.patterns)
        self.patterns = {f"pat-{spec.name}": spec for spec in scene.patterns}
        self.initial_style = private().initial_values
        self.layouts: dict[tuple[tuple[str, ...], float, int], Any] = {}
        self.pen: _Pen | None = None

    def paint(self, stream: Any) -> None:
        self.pen = _Pen(stream)
        self._items(self.scene.items, ())

    def _items(self, items: tuple[Item, ...], chain: Chain) -> None:
        resolver = self.resolver
        for item in items:
            if isinstance(item, Rect):
                if item.width <= 0 or item.height <= 0:  # an SVG rect of no size draws nothing
                    continue
                paint = resolver.paint("rect", item.cls, chain, item.fill_pattern)
                self._shape(paint, _rect_builder(item), closed=True)
            elif isinstance(item, Line):
                paint = resolver.paint("line", item.cls, chain)
                self._shape(paint, _line_builder(item), closed=False)
            elif isinstance(item, (Path, Marker)):
                paint = resolver.paint("path", item.cls, chain)
                self._shape(paint, _path_builder(item.d), closed=True)
            elif isinstance(item, Text):
                self._text(item, resolver.paint("text", item.cls, chain))
            elif isinstance(item, Group):
                if resolver.paint("g", item.cls, chain).opacity < 1:  # would need a transparency group
                    raise DrawingError(f"opacity on a group ({item.cls[:40]!r}) is not supported")
                self._items(item.items, (*chain, ("g", item.cls)))
            else:  # pragma: no cover - Item is a closed union
                raise DrawingError(f"unknown scene item {type(item).__name__}")

    # -- shapes

    def _shape(self, paint: Paint, build: Callable[[Any], None], *, closed: bool) -> None:
        """Fill and/or stroke one shape. `closed`: it has an area (a line is only ever stroked).

        Opacity is folded into the fill and stroke alphas, which is exact when only one of them paints;
        with both, the shape goes into a transparency group (as WeasyPrint does) so the overlap of fill
        and stroke is not darkened twice.
        """
        assert self.pen is not None
        fills = closed and paint.fills
        strokes = paint.strokes
        if not fills and not strokes:
            return
        if paint.opacity < 1 and fills and strokes:
            outer = self.pen
            group = outer.stream.add_group(0, 0, self.scene.width, self.scene.height)
            self.pen = _Pen(group)
            try:
                self._paint_shape(paint, build, fills=fills, strokes=strokes, opacity=1.0)
            finally:
                self.pen = outer
            outer.stream.set_alpha(paint.opacity, stroke=True, fill=True)
            outer.stream.draw_x_object(group.id)
            return
        self._paint_shape(paint, build, fills=fills, strokes=strokes, opacity=paint.opacity)

    def _paint_shape(self, paint: Paint, build: Callable[[Any], None], *, fills: bool, strokes: bool,
                     opacity: float) -> None:
        assert self.pen is not None
        pen = self.pen
        stream = pen.stream
        if fills:
            self._set_fill(paint, paint.fill_opacity * opacity)
        if strokes:
            self._set_stroke(paint, opacity)
        build(stream)
        if fills and strokes:
            stream.fill_and_stroke()
        elif fills:
            stream.fill()
        else:
            stream.stroke()

    def _set_fill(self, paint: Paint, alpha: float) -> None:
        assert self.pen is not None
        pen = self.pen
        if paint.pattern is not None:
            # The alpha goes inside the pattern (as WeasyPrint does): some viewers (pdfium) ignore the
            # constant alpha of the graphics state when filling with a pattern.
            variant = (paint.pattern, alpha)
            if pen.fill != variant:
                name = pen.patterns.get(variant) or self._make_pattern(pen, *variant)
                pen.stream.set_color_space("Pattern")
                pen.stream.set_color_special(name)
                pen.fill = variant
            alpha = 1.0
        elif paint.fill is not None and pen.fill != paint.fill:
            pen.stream.set_color_rgb(*paint.fill)
            pen.fill = paint.fill
        pen.stream.set_alpha(alpha)

    def _set_stroke(self, paint: Paint, alpha: float) -> None:
        assert self.pen is not None and paint.stroke is not None
        pen = self.pen
        if pen.stroke != paint.stroke:
            pen.stream.set_color_rgb(*paint.stroke, stroke=True)
            pen.stroke = paint.stroke
        pen.stream.set_alpha(alpha, stroke=True)
        if pen.width != paint.stroke_width:
            pen.stream.set_line_width(paint.stroke_width)
            pen.width = paint.stroke_width
        dashes = paint.dashes if paint.dashes and all(v >= 0 for v in paint.dashes) and any(paint.dashes) else ()
        if pen.dashes != dashes:
            pen.stream.set_dash(dashes, 0)
            pen.dashes = dashes

    def _make_pattern(self, pen: _Pen, pattern_id: str, alpha: float) -> str:
        """A PDF tiling pattern drawing `render/svg.py`'s <pattern> at `alpha`, made once per stream.

        Its cells are painted with the same classes and rules as the SVG's. Tiles start at the drawing's
        origin, as userSpaceOnUse asks (and browsers do; WeasyPrint's own SVG code starts them at each
        shape's corner instead, so the hatching's phase can differ from its drawing by a fraction of a tile).
        With an alpha below 1 the cell is a transparency group painted at that alpha, so that it applies
        to the cell as a whole rather than to each stroke.
        """
        spec = self.patterns[pattern_id]
        size = spec.size
        pattern = pen.stream.add_pattern(0, 0, size, size, size, size, pen.stream.ctm)
        cell = pattern
        if alpha < 1:
            cell = pattern.add_group(0, 0, size, size)
        outer = self.pen
        self.pen = _Pen(cell)
        try:
            if spec.name == "hatch":  # the faded end of an approximate date: a white wash under the hatching
                paint = self.resolver.paint("rect", "pattern-bg", PATTERN_CHAIN)
                self._shape(paint, lambda s: s.rectangle(0, 0, size, size), closed=True)
            ink = self.resolver.paint("line", "pattern-ink", PATTERN_CHAIN)
            for x1, y1, x2, y2 in spec.lines:
                self._shape(ink, _segment_builder(x1, y1, x2, y2), closed=False)
            dot = self.resolver.paint("circle", "pattern-ink", PATTERN_CHAIN)
            for cx, cy, r in spec.dots:
                self._shape(dot, _circle_builder(cx, cy, r), closed=True)
        finally:
            self.pen = outer
        if cell is not pattern:
            pattern.set_alpha(alpha, stroke=True, fill=True)
            pattern.draw_x_object(cell.id)
        pen.patterns[(pattern_id, alpha)] = pattern.id
        return str(pattern.id)

    # -- text

    def _layout(self, paint: Paint) -> Any:
        """One Pango layout per (family, size, weight), reused for every text in that font.

        WeasyPrint's SVG text makes a style dict and a Pango context and layout per <text>, then lays the
        text out twice (`split_first_line`, then `reactivate`); for unwrapped, unspaced text the result is
        the layout of the text, so one layout per font gets new text instead: the same glyphs, a third of
        the work.
        """
        key = (paint.font_family, paint.font_size, paint.font_weight)
        layout = self.layouts.get(key)
        if layout is None:
            from .weasy_private import private

            wp = private()
            style = wp.style()  # as WeasyPrint's SVG text: initial values, the element's font
            style.update(self.initial_style)
            style.font_config = self.context.font_config
            style["font_family"] = list(paint.font_family)
            style["font_style"] = "normal"
            style["font_size"] = paint.font_size
            style["font_weight"] = paint.font_weight
            layout = wp.layout(style)
            self.layouts[key] = layout
        return layout

    def _text(self, item: Text, paint: Paint) -> None:
        """One line of text, left-aligned at (x, baseline), shaped as one run (as `pdf._whole_run_text`)."""
        from .weasy_private import private

        wp = private()
        assert self.pen is not None
        content = svg_text(item.text)
        strokes = paint.strokes
        if not content.strip() or not (paint.fill is not None or strokes):
            return
        pen = self.pen
        stream = pen.stream
        layout = self._layout(paint)
        layout.set_text(content)
        if paint.fill is not None:
            self._set_fill(paint, paint.fill_opacity * paint.opacity)
        if strokes:
            self._set_stroke(paint, paint.opacity)
        mode = TEXT_FILL_STROKE if paint.fill is not None and strokes else TEXT_STROKE if strokes else TEXT_FILL
        if pen.text_mode != mode:
            stream.set_text_rendering(mode)
            pen.text_mode = mode
        stream.begin_text()
        box = wp.text_box(layout, layout.style)
        box.baseline = wp.pango.pango_layout_get_baseline(layout.layout) * wp.from_units
        emojis = wp.draw_first_line(stream, box, "none", "none", wp.matrix(a=1, d=-1, e=item.x, f=item.baseline))
        stream.end_text()
        if emojis:
            wp.draw_emojis(stream, layout.style, item.x, item.baseline, emojis)


_SPACES = re.compile(" +")


def svg_text(text: str) -> str:
    """The text as WeasyPrint reads it from an SVG <text> (XML whitespace handling, no xml:space)."""
    if "\n" in text or "\r" in text or "\t" in text or "  " in text or text[:1] == " " or text[-1:] == " ":
        text = _SPACES.sub(" ", text.replace("\n", "").replace("\r", "").replace("\t", " ")).strip(" ")
    return text


def _rect_builder(item: Rect) -> Callable[[Any], None]:
    def build(stream: Any) -> None:
        x, y, width, height = item.x, item.y, item.width, item.height
        rx = min(item.rx, width / 2, height / 2)
        if rx <= 0:
            stream.rectangle(x, y, width, height)
            return
        c = BEZIER_CIRCLE * rx  # WeasyPrint's rounded rectangle (after the Cairo cookbook)
        stream.move_to(x + rx, y)
        stream.line_to(x + width - rx, y)
        stream.curve_to(x + width - rx + c, y, x + width, y + rx - c, x + width, y + rx)
        stream.line_to(x + width, y + height - rx)
        stream.curve_to(x + width, y + height - rx + c, x + width - rx + c, y + height, x + width - rx, y + height)
        stream.line_to(x + rx, y + height)
        stream.curve_to(x + rx - c, y + height, x, y + height - rx + c, x, y + height - rx)
        stream.line_to(x, y + rx)
        stream.curve_to(x, y + rx - c, x + rx - c, y, x + rx, y)
        stream.close()

    return build


def _segment_builder(x1: float, y1: float, x2: float, y2: float) -> Callable[[Any], None]:
    def build(stream: Any) -> None:
        stream.move_to(x1, y1)
        stream.line_to(x2, y2)

    return build


def _line_builder(item: Line) -> Callable[[Any], None]:
    return _segment_builder(item.x1, item.y1, item.x2, item.y2)


def _path_builder(d: str) -> Callable[[Any], None]:
    def build(stream: Any) -> None:
        _emit_path(stream, d)

    return build


def _circle_builder(cx: float, cy: float, r: float) -> Callable[[Any], None]:
    def build(stream: Any) -> None:
        c = BEZIER_CIRCLE * r
        stream.move_to(cx + r, cy)
        stream.curve_to(cx + r, cy + c, cx + c, cy + r, cx, cy + r)
        stream.curve_to(cx - c, cy + r, cx - r, cy + c, cx - r, cy)
        stream.curve_to(cx - r, cy - c, cx - c, cy - r, cx, cy - r)
        stream.curve_to(cx + c, cy - r, cx + r, cy - c, cx + r, cy)
        stream.close()

    return build


def viewbox_size(scene: Scene) -> tuple[float, float]:
    """The scene's width and height as its SVG (and the stub) write them: the image's intrinsic size."""
    from .svg import _n

    return float(_n(scene.width)), float(_n(scene.height))


def draw_scene(stream: Any, scene: Scene, *, width: float, height: float, context: Any) -> None:
    """Paint `scene` into a `width` x `height` box at the stream's origin (WeasyPrint's SVGImage.draw).

    As an SVG root with a viewBox and the default preserveAspectRatio (xMidYMid meet): one uniform scale,
    centred. `context` is WeasyPrint's layout context (fonts for the text).
    """
    view_width, view_height = viewbox_size(scene)
    if width <= 0 or height <= 0 or view_width <= 0 or view_height <= 0:
        return
    scale = min(width / view_width, height / view_height)
    stream.push_state()
    try:
        stream.transform(a=scale, d=scale, e=(width - view_width * scale) / 2, f=(height - view_height * scale) / 2)
        ScenePainter(scene, context).paint(stream)
    finally:
        stream.pop_state()


# ----------------------------------------------------------------------------------------------- the hand-over


class SceneRegistry:
    """The scenes one PDF render hands WeasyPrint as stub images, by token (made per render, never shared).

    Tokens are positions, so the same input gives the same stubs (and the same PDF bytes).
    """

    def __init__(self) -> None:
        self._scenes: list[Scene] = []
        self._drawn: set[int] = set()

    def add(self, scene: Scene) -> str:
        """Register a scene; its token."""
        self._scenes.append(scene)
        return str(len(self._scenes) - 1)

    def drawn(self, token: str) -> None:
        """Note that the scene of `token` was painted into the PDF."""
        self._drawn.add(int(token))

    def undrawn(self) -> list[str]:
        """The tokens of registered scenes never painted (WeasyPrint skips an image it could not load)."""
        return [str(n) for n in range(len(self._scenes)) if n not in self._drawn]

    def get(self, token: str) -> Scene | None:
        """The scene of a token, or None for a token this registry did not give."""
        if not token.isdigit() or int(token) >= len(self._scenes):
            return None
        return self._scenes[int(token)]

    def __len__(self) -> int:
        return len(self._scenes)


_ACTIVE: ContextVar[SceneRegistry | None] = ContextVar("timeline_scene_registry", default=None)


@contextlib.contextmanager
def scene_images(registry: SceneRegistry | None) -> Iterator[None]:
    """Within the block (this thread / context only), `scene_image_uri` registers scenes in `registry`;
    None makes it hand over full SVG, as before."""
    token = _ACTIVE.set(registry)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def stub_svg(scene: Scene, token: str) -> bytes:
    """An SVG with the scene's size and viewBox and nothing else, its root naming `token`."""
    from .svg import _n

    w, h = _n(scene.width), _n(scene.height)
    return (f'<svg xmlns="{SVG_NAMESPACE}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'{SCENE_ATTRIBUTE}="{token}"/>').encode("ascii")


def scene_image_uri(scene: Scene) -> str:
    """The data: URI the report's PDF target gives WeasyPrint for one drawing (chart, legend or key).

    Inside a PDF render that draws scenes directly (`render/pdf.py::pdf_bytes` opens `scene_images`), a
    stub SVG naming the scene, which WeasyPrint sizes and then paints with `draw_scene`; otherwise (other
    WeasyPrint versions, a report built outside a PDF render) the scene's full SVG, checked as before.
    """
    registry = _ACTIVE.get()
    if registry is not None:
        return "data:image/svg+xml;base64," + base64.b64encode(stub_svg(scene, registry.add(scene))).decode("ascii")
    from ..report import check_svg, svg_data_uri
    from .svg import scene_to_svg

    return svg_data_uri(check_svg(str(scene_to_svg(scene, standalone=False))))
