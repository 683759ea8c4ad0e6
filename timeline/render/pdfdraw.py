"""Render stage (PDF, drawings): a Scene painted straight onto WeasyPrint's PDF stream with pydyf operators.

Why: WeasyPrint draws an SVG image node by node, running a CSS cascade, unit conversions and colour
parsing for each; at 1,000 events (about 7,000 nodes) that was two thirds of the PDF's time. The chart is
already data (`Scene`: frozen rectangles, lines, paths, markers, texts and groups; a typed `StyleSheet`;
paths as segments), so this module paints those primitives directly: each distinct (tag, classes,
ancestors) gets its resolved `Style` once from the scene's sheet (`style.StyleResolver`, the SVG cascade),
paths are traced from their segments (`shapes.trace`), and every item becomes a handful of PDF operators.
Nothing here parses CSS or path data. The picture is the one WeasyPrint draws from `render/svg.py`'s SVG:
the same cascade, the same shapes, SVG's miter limit, whole-run text shaped by Pango with WeasyPrint's own
text code, and the patterns as PDF tiling patterns.

How a drawing reaches WeasyPrint: the HTML writer hands it an SVG image, which for a PDF render is a
stub (size and viewBox only, `SceneRegistry.image_uri`, passed explicitly by every caller) whose root
names a scene in the render's `SceneRegistry`; `render/pdf.py` teaches WeasyPrint's SVG image to paint
that scene with `draw_scene`.
WeasyPrint is imported only inside the drawing functions, and its private names come from `weasy_private`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

from ..scene.items import Group, Item, Line, Marker, Path, Rect, Scene, Text
from ..scene.shapes import Segment, trace
from ..scene.style import RGB, Chain, Style

# The stub SVG's root attribute naming a scene in the render's registry (see `SceneRegistry.image_uri`).
SCENE_ATTRIBUTE = "data-timeline-scene"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
MITER_LIMIT = 4.0  # SVG's default; PDF's own default (10) would draw the markers' sharp corners longer
BEZIER_CIRCLE = 4 * (2**0.5 - 1) / 3  # control-point distance of a quarter circle of radius 1
TEXT_FILL = 0  # PDF text rendering modes
TEXT_STROKE = 1
TEXT_FILL_STROKE = 2

PATTERN_CHAIN: Chain = (("defs", ""), ("pattern", ""))  # where render/svg.py puts a pattern's content


class DrawingError(ValueError):
    """A scene this painter cannot draw exactly (opacity on a group): fail loudly rather than draw wrongly."""


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
        pattern_ids = frozenset(f"pat-{spec.name}" for spec in scene.patterns)
        self.resolver = scene.style.resolver(scene.font_family, pattern_ids)
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
                paint = resolver.resolve("rect", item.cls, chain, item.fill_pattern)
                self._shape(paint, _rect_builder(item), closed=True)
            elif isinstance(item, Line):
                paint = resolver.resolve("line", item.cls, chain)
                self._shape(paint, _line_builder(item), closed=False)
            elif isinstance(item, (Path, Marker)):
                paint = resolver.resolve("path", item.cls, chain)
                self._shape(paint, _path_builder(item.segments), closed=True)
            elif isinstance(item, Text):
                self._text(item, resolver.resolve("text", item.cls, chain))
            elif isinstance(item, Group):
                if resolver.resolve("g", item.cls, chain).opacity < 1:  # would need a transparency group
                    raise DrawingError(f"opacity on a group ({item.cls[:40]!r}) is not supported")
                self._items(item.items, (*chain, ("g", item.cls)))
            else:  # pragma: no cover - Item is a closed union
                raise DrawingError(f"unknown scene item {type(item).__name__}")

    # -- shapes

    def _shape(self, paint: Style, build: Callable[[Any], None], *, closed: bool) -> None:
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

    def _paint_shape(self, paint: Style, build: Callable[[Any], None], *, fills: bool, strokes: bool,
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

    def _set_fill(self, paint: Style, alpha: float) -> None:
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

    def _set_stroke(self, paint: Style, alpha: float) -> None:
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
                paint = self.resolver.resolve("rect", "pattern-bg", PATTERN_CHAIN)
                self._shape(paint, lambda s: s.rectangle(0, 0, size, size), closed=True)
            ink = self.resolver.resolve("line", "pattern-ink", PATTERN_CHAIN)
            for x1, y1, x2, y2 in spec.lines:
                self._shape(ink, _segment_builder(x1, y1, x2, y2), closed=False)
            dot = self.resolver.resolve("circle", "pattern-ink", PATTERN_CHAIN)
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

    def _layout(self, paint: Style) -> Any:
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
            style["font_family"] = svg_families(paint.font_family)
            style["font_style"] = "normal"
            style["font_size"] = paint.font_size
            style["font_weight"] = paint.font_weight
            layout = wp.layout(style)
            self.layouts[key] = layout
        return layout

    def _text(self, item: Text, paint: Style) -> None:
        """One line of text, left-aligned at (x, baseline), shaped by Pango as one run (kerning kept)."""
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


def svg_families(families: tuple[str, ...]) -> list[str]:
    """The font list as WeasyPrint reads it from the SVG's `font-family` text ("'A', B, C": split at the
    commas, quotes stripped, the space after each comma kept), so that Pango is asked for the same."""
    first, *rest = families
    return [first, *(" " + name for name in rest)]


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


def _path_builder(segments: tuple[Segment, ...]) -> Callable[[Any], None]:
    def build(stream: Any) -> None:
        trace(segments, stream)

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

    def image_uri(self, scene: Scene) -> str:
        """Register a scene; the data: URI of its stub SVG, which WeasyPrint sizes and this render's
        `draw_scene` paints (the report's `image_uri` for a PDF render that holds this registry)."""
        return "data:image/svg+xml;base64," + base64.b64encode(stub_svg(scene, self.add(scene))).decode("ascii")

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


def stub_svg(scene: Scene, token: str) -> bytes:
    """An SVG with the scene's size and viewBox and nothing else, its root naming `token`."""
    from .svg import _n

    w, h = _n(scene.width), _n(scene.height)
    return (f'<svg xmlns="{SVG_NAMESPACE}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'{SCENE_ATTRIBUTE}="{token}"/>').encode("ascii")
