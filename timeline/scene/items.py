"""Scene (between layout and render): frozen drawing primitives with boxes, ids and classes; to JSON.

The scene is the layout's public, testable form: renderers write exactly these primitives and compute no
geometry of their own. Every primitive names the event it draws (`event`, the contract id) if any, and
styles come from `cls` (CSS classes), never from inline colours, so that one `<style>` block themes all;
the scene's `StyleSheet` is data (typed rules), and a path's geometry is segments (`shapes`), so every
renderer writes or paints from the same values and none parses CSS or path text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Union

from .shapes import PathForm, Segment, marker_segments, svg_d
from .style import StyleSheet
from .theme import PatternSpec


def _r(value: float) -> float:
    """Coordinates are kept to 1/100 px so that JSON and SVG text are short and stable."""
    return round(value + 0.0, 2)


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned box: left, top, width, height."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Box, *, tolerance: float = 0.01) -> bool:
        """True when the two boxes share more than a hairline of area."""
        return (
            self.x < other.right - tolerance
            and other.x < self.right - tolerance
            and self.y < other.bottom - tolerance
            and other.y < self.bottom - tolerance
        )


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle (bars, bands, swatches, label backgrounds)."""

    x: float
    y: float
    width: float
    height: float
    cls: str
    event: str | None = None
    rx: float = 0.0
    fill_pattern: str | None = None  # id of a pattern to fill with, instead of the class's colour

    @property
    def box(self) -> Box:
        return Box(self.x, self.y, self.width, self.height)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "rect", "x": _r(self.x), "y": _r(self.y), "width": _r(self.width),
                               "height": _r(self.height), "class": self.cls}
        if self.rx:
            out["rx"] = _r(self.rx)
        if self.fill_pattern:
            out["pattern"] = self.fill_pattern
        return out


@dataclass(frozen=True, slots=True)
class Line:
    """A straight line (ticks, rules, leaders, the 'as at' line)."""

    x1: float
    y1: float
    x2: float
    y2: float
    cls: str
    event: str | None = None

    @property
    def box(self) -> Box:
        return Box(min(self.x1, self.x2), min(self.y1, self.y2), abs(self.x2 - self.x1), abs(self.y2 - self.y1))

    def to_dict(self) -> dict[str, Any]:
        return {"type": "line", "x1": _r(self.x1), "y1": _r(self.y1), "x2": _r(self.x2), "y2": _r(self.y2),
                "class": self.cls}


@dataclass(frozen=True, slots=True)
class Path:
    """A path: its segments (arrows, brackets, ticks, icons), its bounding box, and how its data is written."""

    segments: tuple[Segment, ...]
    bounds: Box
    cls: str
    event: str | None = None
    form: PathForm = "compact"

    @property
    def box(self) -> Box:
        return self.bounds

    @property
    def d(self) -> str:
        """The SVG path data (written from the segments, `shapes.svg_d`)."""
        return svg_d(self.segments, self.form)

    def to_dict(self) -> dict[str, Any]:
        b = self.bounds
        return {"type": "path", "d": self.d, "x": _r(b.x), "y": _r(b.y), "width": _r(b.width),
                "height": _r(b.height), "class": self.cls}


@dataclass(frozen=True, slots=True)
class Marker:
    """A point marker: its shape name, centre and size; its segments follow from them (`shapes.marker_segments`)."""

    shape: str
    cx: float
    cy: float
    size: float
    cls: str
    event: str | None = None

    @property
    def box(self) -> Box:
        h = self.size / 2
        return Box(self.cx - h, self.cy - h, self.size, self.size)

    @property
    def segments(self) -> tuple[Segment, ...]:
        return marker_segments(self.shape, self.cx, self.cy, self.size)

    @property
    def d(self) -> str:
        return svg_d(self.segments)

    def to_dict(self) -> dict[str, Any]:
        b = self.box
        return {"type": "marker", "shape": self.shape, "cx": _r(self.cx), "cy": _r(self.cy),
                "size": _r(self.size), "d": self.d, "x": _r(b.x), "y": _r(b.y), "width": _r(b.width),
                "height": _r(b.height), "class": self.cls}


@dataclass(frozen=True, slots=True)
class Text:
    """One line of text: its measured box (x, y = top-left), the baseline it sits on, and the text."""

    x: float
    y: float
    width: float
    height: float
    baseline: float
    text: str
    cls: str
    event: str | None = None

    @property
    def box(self) -> Box:
        return Box(self.x, self.y, self.width, self.height)

    def to_dict(self) -> dict[str, Any]:
        return {"type": "text", "x": _r(self.x), "y": _r(self.y), "width": _r(self.width),
                "height": _r(self.height), "baseline": _r(self.baseline), "text": self.text, "class": self.cls}


@dataclass(frozen=True, slots=True)
class Group:
    """A group of primitives; an event's group carries the contract id, classes and a one-line title."""

    items: tuple[Item, ...]
    cls: str
    id: str | None = None
    event: str | None = None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "group", "class": self.cls}
        if self.id:
            out["id"] = self.id
        if self.title is not None:
            out["title"] = self.title
        return out


Item = Union[Rect, Line, Path, Marker, Text, Group]  # noqa: UP007


@dataclass(frozen=True, slots=True)
class Scene:
    """A whole chart: canvas size, accessible title and description, the stylesheet, patterns and items."""

    width: float
    height: float
    title: str
    desc: str
    style: StyleSheet  # written as the SVG's <style> text by `StyleSheet.css`, resolved per item for the PDF
    items: tuple[Item, ...]
    patterns: tuple[PatternSpec, ...] = ()
    font_family: str = field(default="Atkinson Hyperlegible")
    # The legend and numbered key, laid out on canvases of their own of the same width, each at most a
    # page tall, when a height budget moved them out of the chart (the report prints them after it).
    appendix: tuple[Scene, ...] = ()

    def walk(self) -> Iterator[tuple[Item, Group | None]]:
        """Every primitive with the group that holds it (groups themselves are yielded too), in draw order."""
        yield from _walk(self.items, None)

    def texts(self) -> list[Text]:
        """Every text primitive, in draw order."""
        return [item for item, _ in self.walk() if isinstance(item, Text)]

    def event_groups(self) -> list[Group]:
        """Every group that draws an event."""
        return [item for item, _ in self.walk() if isinstance(item, Group) and item.event is not None
                and item.id == item.event]

    def to_json_data(self) -> dict[str, Any]:
        """The scene JSON object: {"width", "height", "items"}; items flat, each naming its event and group."""
        items: list[dict[str, Any]] = []
        for item, group in self.walk():
            data = item.to_dict()
            if item.event is not None:
                data["event"] = item.event
            if group is not None and group.id:
                data["group"] = group.id
            items.append(data)
        return {"width": _r(self.width), "height": _r(self.height), "title": self.title, "desc": self.desc,
                "items": items}

    def to_json(self) -> str:
        """Scene JSON text, stable key order, UTF-8 friendly."""
        return json.dumps(self.to_json_data(), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def _walk(items: tuple[Item, ...], group: Group | None) -> Iterator[tuple[Item, Group | None]]:
    for item in items:
        yield item, group
        if isinstance(item, Group):
            yield from _walk(item.items, item)
