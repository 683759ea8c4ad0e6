"""Render stage (SVG): writes a Scene with svgwrite, one small function per primitive; no geometry here.

The SVG contract (DESIGN §3): the root has role="img", a <title> with the child's name and a <desc>; each
event is one <g class="event kind-K type-T"> whose id is the event's contract id and whose first child is
its one-line <title>; colours and fonts come from classes and one <style> block built from theme data
(no user text in it). Same scene, same bytes: no generated ids, no timestamps.
"""

from __future__ import annotations

from typing import Any

import svgwrite
from svgwrite.base import Desc, Title
from svgwrite.container import Group as SvgGroup

from ..model import Case
from ..pipeline import RenderOptions, view_scene
from ..scene import Group, Item, Line, Marker, Path, Rect, Scene, Text
from ..theme import PatternSpec

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
CHART_IDS = "chart"  # the prefix of the ids of a chart's title and desc ("chart-title")


def _own(ids: str, pattern: str) -> str:
    """A pattern's id in an SVG whose ids start with `ids` (the chart keeps the plain "pat-NAME")."""
    return pattern if ids == CHART_IDS else f"{ids}-{pattern}"


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _rect(dwg: svgwrite.Drawing, item: Rect, ids: str) -> Any:
    attrs: dict[str, Any] = {"class_": item.cls}
    if item.rx:
        attrs["rx"] = _n(item.rx)
    if item.fill_pattern:
        attrs["fill"] = f"url(#{_own(ids, item.fill_pattern)})"
    return dwg.rect(insert=(_n(item.x), _n(item.y)), size=(_n(item.width), _n(item.height)), **attrs)


def _line(dwg: svgwrite.Drawing, item: Line) -> Any:
    return dwg.line(start=(_n(item.x1), _n(item.y1)), end=(_n(item.x2), _n(item.y2)), class_=item.cls)


def _path(dwg: svgwrite.Drawing, item: Path | Marker) -> Any:
    return dwg.path(d=item.d, class_=item.cls)


def _text(dwg: svgwrite.Drawing, item: Text) -> Any:
    return dwg.text(item.text, insert=(_n(item.x), _n(item.baseline)), class_=item.cls)


def _group(dwg: svgwrite.Drawing, item: Group, ids: str) -> Any:
    attrs: dict[str, Any] = {"class_": item.cls}
    if item.id:
        attrs["id"] = item.id
    g: SvgGroup = dwg.g(**attrs)
    if item.title is not None:
        g.add(Title(item.title))
    for child in item.items:
        g.add(_element(dwg, child, ids))
    return g


def _element(dwg: svgwrite.Drawing, item: Item, ids: str) -> Any:
    if isinstance(item, Rect):
        return _rect(dwg, item, ids)
    if isinstance(item, Line):
        return _line(dwg, item)
    if isinstance(item, (Path, Marker)):
        return _path(dwg, item)
    if isinstance(item, Text):
        return _text(dwg, item)
    return _group(dwg, item, ids)


def _pattern(dwg: svgwrite.Drawing, spec: PatternSpec, ids: str) -> Any:
    pat = dwg.pattern(id=_own(ids, f"pat-{spec.name}"), insert=(0, 0), size=(_n(spec.size), _n(spec.size)),
                      patternUnits="userSpaceOnUse")
    if spec.name == "hatch":  # the faded end of an approximate date: white wash plus hatching
        pat.add(dwg.rect(insert=(0, 0), size=(_n(spec.size), _n(spec.size)), class_="pattern-bg"))
    for x1, y1, x2, y2 in spec.lines:
        pat.add(dwg.line(start=(_n(x1), _n(y1)), end=(_n(x2), _n(y2)), class_="pattern-ink"))
    for cx, cy, r in spec.dots:
        pat.add(dwg.circle(center=(_n(cx), _n(cy)), r=_n(r), class_="pattern-ink"))
    return pat


def scene_to_svg(scene: Scene, *, standalone: bool = True, ids: str = CHART_IDS) -> str:
    """The scene as SVG text; `standalone=False` leaves out the XML declaration (for inlining in HTML).

    `ids` starts the ids of its title, desc and patterns ("key-2" gives "key-2-title"), so that several
    drawings inlined in one HTML page never repeat one.

    It leaves the garbage collector alone (a library call must not change process-wide state); the command
    line raises its thresholds at start-up (`timeline.startup`), which is what made svgwrite's tens of
    thousands of short-lived elements cheap.
    """
    w, h = _n(scene.width), _n(scene.height)
    dwg = svgwrite.Drawing(size=(w, h), profile="full", debug=False, viewBox=f"0 0 {w} {h}")
    dwg.attribs["role"] = "img"
    dwg.attribs["aria-labelledby"] = f"{ids}-title {ids}-desc"
    dwg.attribs["font-family"] = scene.font_family
    title, desc = Title(scene.title), Desc(scene.desc)
    title.xml.set("id", f"{ids}-title")
    desc.xml.set("id", f"{ids}-desc")
    dwg.elements.insert(0, desc)
    dwg.elements.insert(0, title)
    dwg.defs.add(dwg.style(scene.style))
    for spec in scene.patterns:
        dwg.defs.add(_pattern(dwg, spec, ids))
    for item in scene.items:
        dwg.add(_element(dwg, item, ids))
    body: str = dwg.tostring()
    return (XML_DECLARATION + body + "\n") if standalone else body


def render(case: Case, *, options: RenderOptions) -> bytes:
    """Pipeline entry point: the case's chart as a standalone SVG file's bytes."""
    return scene_to_svg(view_scene(case, options)).encode("utf-8")
