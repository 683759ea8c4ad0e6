"""Render stage (SVG): writes a Scene as SVG text, one small function per primitive; no geometry here.

The SVG contract (DESIGN §3): the root has role="img", a <title> with the child's name and a <desc>; each
event is one <g class="event kind-K type-T"> whose id is the event's contract id and whose first child is
its one-line <title>; colours and fonts come from classes and one <style> block written from the scene's
`StyleSheet` (theme data, never user text). Same scene, same bytes: no generated ids, no timestamps.

Why a direct writer: the scene is already final data, so building an XML tree to serialise it was most of
an SVG render's time (svgwrite made an element object per item, then ElementTree walked them). Each item
is written straight to text here, in the form that tree gave (attributes in name order, empty elements as
`<x ... />`, empty attribute values left out), with every attribute and text escaped as ElementTree
escapes them: `&`, `<`, `>` in text; those, `"` and CR/LF/TAB in attributes.
"""

from __future__ import annotations

import re

from ..scene.items import Group, Item, Line, Marker, Path, Rect, Scene, Text
from ..scene.shapes import number_text
from ..scene.theme import PatternSpec

XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
CHART_IDS = "chart"  # the prefix of the ids of a chart's title and desc ("chart-title")
SVG_NAMESPACES = ('xmlns="http://www.w3.org/2000/svg" xmlns:ev="http://www.w3.org/2001/xml-events" '
                  'xmlns:xlink="http://www.w3.org/1999/xlink"')
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;",
                                    "\n": "&#10;", "\t": "&#09;"})
_TEXT_SPECIAL = re.compile("[&<>]")  # most text has none: a search is much cheaper than a translation
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\r\n\t]')


def _own(ids: str, pattern: str) -> str:
    """A pattern's id in an SVG whose ids start with `ids` (the chart keeps the plain "pat-NAME")."""
    return pattern if ids == CHART_IDS else f"{ids}-{pattern}"


_n = number_text


def text_escape(text: str) -> str:
    """Character data escaped for XML (user text: labels, titles, the description)."""
    return text.translate(_TEXT_ESCAPES) if _TEXT_SPECIAL.search(text) else text


def attribute(name: str, value: str) -> str:
    """` name="value"`, escaped; nothing for an empty value (as the tree writer left those out)."""
    if not value:
        return ""
    return f' {name}="{value.translate(_ATTRIBUTE_ESCAPES) if _ATTRIBUTE_SPECIAL.search(value) else value}"'


def _element(tag: str, attributes: str, content: str = "") -> str:
    return f"<{tag}{attributes}>{content}</{tag}>" if content else f"<{tag}{attributes} />"


def _rect(item: Rect, ids: str) -> str:
    fill = attribute("fill", f"url(#{_own(ids, item.fill_pattern)})") if item.fill_pattern else ""
    rx = f' rx="{_n(item.rx)}"' if item.rx else ""
    return (f'<rect{attribute("class", item.cls)}{fill} height="{_n(item.height)}"{rx} width="{_n(item.width)}" '
            f'x="{_n(item.x)}" y="{_n(item.y)}" />')


def _line(item: Line) -> str:
    return (f'<line{attribute("class", item.cls)} x1="{_n(item.x1)}" x2="{_n(item.x2)}" y1="{_n(item.y1)}" '
            f'y2="{_n(item.y2)}" />')


def _path(item: Path | Marker) -> str:
    return f'<path{attribute("class", item.cls)}{attribute("d", item.d)} />'


def _text(item: Text) -> str:
    return _element("text", f'{attribute("class", item.cls)} x="{_n(item.x)}" y="{_n(item.baseline)}"',
                    text_escape(item.text))


def _title(text: str, attributes: str = "") -> str:
    return _element("title", attributes, text_escape(text))


def _group(item: Group, ids: str) -> str:
    parts = [] if item.title is None else [_title(item.title)]
    parts.extend(_write(child, ids) for child in item.items)
    return _element("g", attribute("class", item.cls) + attribute("id", item.id or ""), "".join(parts))


def _write(item: Item, ids: str) -> str:
    if isinstance(item, Text):
        return _text(item)
    if isinstance(item, Rect):
        return _rect(item, ids)
    if isinstance(item, (Path, Marker)):
        return _path(item)
    if isinstance(item, Line):
        return _line(item)
    return _group(item, ids)


def _pattern(spec: PatternSpec, ids: str) -> str:
    size = _n(spec.size)
    parts = []
    if spec.name == "hatch":  # the faded end of an approximate date: white wash plus hatching
        parts.append(f'<rect class="pattern-bg" height="{size}" width="{size}" x="0" y="0" />')
    for x1, y1, x2, y2 in spec.lines:
        parts.append(f'<line class="pattern-ink" x1="{_n(x1)}" x2="{_n(x2)}" y1="{_n(y1)}" y2="{_n(y2)}" />')
    for cx, cy, r in spec.dots:
        parts.append(f'<circle class="pattern-ink" cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" />')
    attributes = (f' height="{size}"{attribute("id", _own(ids, f"pat-{spec.name}"))} patternUnits="userSpaceOnUse"'
                  f' width="{size}" x="0" y="0"')
    return _element("pattern", attributes, "".join(parts))


def _defs(scene: Scene, ids: str) -> str:
    css = scene.style.css()
    style = f'<style type="text/css"><![CDATA[{css}]]></style>' if css else '<style type="text/css" />'
    return "<defs>" + style + "".join(_pattern(spec, ids) for spec in scene.patterns) + "</defs>"


def scene_to_svg(scene: Scene, *, standalone: bool = True, ids: str = CHART_IDS) -> str:
    """The scene as SVG text; `standalone=False` leaves out the XML declaration (for inlining in HTML).

    `ids` starts the ids of its title, desc and patterns ("key-2" gives "key-2-title"), so that several
    drawings inlined in one HTML page never repeat one.
    """
    w, h = _n(scene.width), _n(scene.height)
    root = (f'<svg{attribute("aria-labelledby", f"{ids}-title {ids}-desc")} baseProfile="full"'
            f'{attribute("font-family", scene.font_family)} height="{h}" role="img" version="1.1"'
            f' viewBox="0 0 {w} {h}" width="{w}" {SVG_NAMESPACES}>')
    parts = [root, _title(scene.title, attribute("id", f"{ids}-title")),
             _element("desc", attribute("id", f"{ids}-desc"), text_escape(scene.desc)), _defs(scene, ids)]
    parts.extend(_write(item, ids) for item in scene.items)
    parts.append("</svg>")
    body = _encodable("".join(parts))
    return (XML_DECLARATION + body + "\n") if standalone else body


def _encodable(text: str) -> str:
    """The text with anything UTF-8 cannot hold (a lone surrogate) as a character reference, as the tree
    writer wrote it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "xmlcharrefreplace").decode("utf-8")
    return text


def serialise(scene: Scene) -> bytes:
    """Pipeline entry point: the chart's scene (`pipeline.view_scene`) as a standalone SVG file's bytes."""
    return scene_to_svg(scene).encode("utf-8")
