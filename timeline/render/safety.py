"""Render stage (SVG safety): what an SVG may hold before it is inlined in a page or handed over as an image.

The SVG renderer escapes user text; this check makes sure that, whatever a future change does, a drawing
cannot make WeasyPrint or a browser fetch a file or run code. It sits with the writers because it checks
what they wrote; the report itself holds scenes, never SVG text.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

from ..report.parts import ReportError
from ..scene.items import Scene
from .svg import XML_DECLARATION, scene_to_svg


class UnsafeChartError(ReportError):
    """The chart SVG holds something that could fetch or run; never expected from our own SVG renderer."""


_FORBIDDEN_ELEMENTS = frozenset({"script", "foreignobject", "iframe", "object", "embed", "image", "link"})


def _external_url(text: str) -> bool:
    """True when CSS-like text holds a url(...) that is not a same-document #fragment."""
    return "url(" in text.replace(" ", "").replace("url(#", "").replace("url('#", "").replace('url("#', "")


def check_svg(svg: str) -> str:
    """Refuse an SVG with scripts, foreign content or references outside itself (defence in depth)."""
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as exc:
        raise UnsafeChartError(f"the chart SVG is not well-formed ({exc})") from None
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1].lower() if isinstance(el.tag, str) else ""
        if tag in _FORBIDDEN_ELEMENTS:
            raise UnsafeChartError(f"the chart SVG holds a <{tag}> element")
        for key, value in el.attrib.items():
            name = key.rsplit("}", 1)[-1].lower()
            if name.startswith("on"):
                raise UnsafeChartError(f"the chart SVG holds an event handler ({name})")
            if (name in ("href", "src") and not value.startswith("#")) or _external_url(value):
                raise UnsafeChartError("the chart SVG refers to something outside itself")
        if tag == "style" and el.text and (_external_url(el.text) or "@import" in el.text):
            raise UnsafeChartError("the chart SVG stylesheet refers to something outside itself")
    return svg


def inline_svg(scene: Scene, *, ids: str) -> str:
    """A scene as a checked SVG fragment for inlining in HTML (`ids` prefixes its title and desc ids)."""
    return check_svg(str(scene_to_svg(scene, standalone=False, ids=ids)))


def svg_data_uri(svg: str) -> str:
    """An SVG document as a data: URI image (XML declaration added: it stands alone there)."""
    data = (XML_DECLARATION + svg).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


def svg_image_uri(scene: Scene) -> str:
    """A scene's full SVG, checked, as a data: URI image (a PDF page's image when no renderer paints it)."""
    return svg_data_uri(check_svg(str(scene_to_svg(scene, standalone=False))))
