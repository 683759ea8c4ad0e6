"""Render stage (HTML): the laid-out report written as HTML -- inline CSS, the drawings, the fonts.

One writer serves two targets: "html" is one self-contained file (inline SVG, fonts as data: URIs), so
it can be e-mailed or attached to case papers alone; "pdf" is the page WeasyPrint lays out (each drawing
an image, the bundled font files the PDF renderer's fetcher serves). The same template and stylesheet
serve both, so printing the HTML from a browser gives the same layout.

All user text reaches the page through Jinja2 autoescaping; the only markup passed through unescaped is the
package's own stylesheet and the drawings' SVG, which is checked for anything that could fetch or run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..chart.prepare import Prepared, prepare
from ..model.case import Case
from ..options import RenderOptions
from ..report.content import build_report
from ..report.parts import Drawing, Report
from ..scene.items import Scene
from .assets import Target, css_text, environment, font_uris
from .safety import inline_svg, svg_image_uri

TEMPLATE = "report.html.j2"

ImageUri = Callable[[Scene], str]  # a drawing's image for the PDF target (the PDF renderer's own, or full SVG)


@dataclass(frozen=True, slots=True)
class Embedded:
    """One drawing as the page holds it: inline SVG (HTML) or an image URI (PDF), its alt text and width."""

    svg: Any  # markupsafe.Markup: checked SVG, inlined (HTML output); "" for the PDF
    uri: str | None  # the image the PDF renderer draws (WeasyPrint parses an image much faster than inline SVG)
    alt: str
    width: str | None


def embed(drawing: Drawing, *, target: Target | str, image_uri: ImageUri | None = None) -> Embedded:
    """A drawing for `target`: inline SVG for HTML; for the PDF, the renderer's image (`image_uri`: e.g. a
    stub it paints from the scene itself), else the full SVG as an image."""
    from markupsafe import Markup

    if target == "pdf":
        return Embedded("", (image_uri or svg_image_uri)(drawing.scene), drawing.alt, drawing.width)
    return Embedded(Markup(inline_svg(drawing.scene, ids=drawing.prefix)), None, drawing.alt, drawing.width)


def write_report(report: Report, *, target: Target | str, image_uri: ImageUri | None = None) -> str:
    """The laid-out report as one HTML string for `target` (the chart's image first, then its keys')."""
    from markupsafe import Markup

    chart = embed(report.chart, target=target, image_uri=image_uri) if report.chart is not None else None
    keys = tuple(embed(key, target=target, image_uri=image_uri) for key in report.keys)
    regular, bold = font_uris(target)
    html: str = environment().get_template(TEMPLATE).render(
        r=report, chart=chart, keys=keys, css=Markup(css_text()), font_regular=regular, font_bold=bold)
    return html


def report_html(case: Case, *, options: RenderOptions, target: Target | str, tight: bool = False,
                chart_room: float | None = None, measuring: bool = False, prepared: Prepared | None = None,
                image_uri: ImageUri | None = None) -> str:
    """The report of `case` as one HTML string (for the training view, of the anonymised case).

    `prepared` is what `prepare` made of `case` for this render (the case as the view shows it and its
    facts; made here when not given), so that a render with two passes computes them once; `image_uri`
    is the PDF renderer's image of a drawing (passed explicitly: the result depends on the arguments only)."""
    prepared = prepared if prepared is not None else prepare(case, options)
    report = build_report(prepared.case, options=options, tight=tight, chart_room=chart_room,
                          measuring=measuring, facts=prepared.facts)
    return write_report(report, target=target, image_uri=image_uri)


def render(case: Case, *, options: RenderOptions, prepared: Prepared | None = None) -> bytes:
    """Pipeline entry point: the report (in the chosen view) as UTF-8 HTML bytes, from what `prepare` made."""
    return report_html(case, options=options, target="html", prepared=prepared).encode("utf-8")
