"""Render stage (the child's own story): its laid-out pages (`report.child`) written as SVG, scene JSON,
HTML, PDF or PNG.

Only what `report.child` made reaches the writers: the story of the allow-listed projection and its scene.
"""

from __future__ import annotations

from ..model.case import Case
from ..options import RenderOptions
from ..report.child import ChildPages, child_pages, scene_of
from .assets import Target, css_text, environment, font_uris
from .html import ImageUri
from .safety import inline_svg, svg_image_uri

TEMPLATE = "child.html.j2"
STYLESHEET = "child.css"


def child_html(pages: ChildPages, *, target: Target | str, image_uri: ImageUri | None = None) -> str:
    """The child's pages as HTML: the chart (inline SVG, or for the PDF an image: `image_uri`, the PDF
    renderer's, else the full SVG) and the numbered sentences as text."""
    from markupsafe import Markup

    s, scene = pages.story, pages.scene
    if target == "pdf":
        svg, uri = Markup(""), (image_uri or svg_image_uri)(scene)
    else:
        svg, uri = Markup(inline_svg(scene, ids="story")), None
    regular, bold = font_uris(target)
    html: str = environment().get_template(TEMPLATE).render(
        s=s, w=s.words["words"], lanes=s.words["lanes"], svg=svg, uri=uri, css=Markup(css_text(STYLESHEET)),
        font_regular=regular, font_bold=bold, born=pages.born, alt=scene.desc, page=pages.page_class)
    return html


def render_child(case: Case, options: RenderOptions) -> bytes:
    """The child's story in `options.format`: SVG and scene JSON hold the chart with its sentences; HTML,
    PDF and PNG are the printable pages."""
    fmt = options.format
    if fmt == "svg":
        from .svg import scene_to_svg

        return scene_to_svg(scene_of(case, options, standalone=True)[1]).encode("utf-8")
    if fmt == "scene-json":
        return scene_of(case, options, standalone=True)[1].to_json().encode("utf-8")
    if fmt == "html":
        return child_html(child_pages(case, options), target="html").encode("utf-8")
    pdf = child_pdf(case, options)
    if fmt == "pdf":
        return pdf
    from .png import pdf_to_png

    return pdf_to_png(pdf, dpi=options.dpi, page_range=options.page_range)


def child_pdf(case: Case, options: RenderOptions) -> bytes:
    """The child's pages as PDF (the scene painted directly, the bundled font, nothing fetched)."""
    from ..report.parts import ReportError
    from .pdf import image_uri, make_fetcher, render_document, write_document

    fetcher = make_fetcher(None)
    html = child_html(child_pages(case, options), target="pdf", image_uri=image_uri(fetcher))
    data = write_document(render_document(html, fetcher=fetcher))
    if fetcher.scenes is not None and fetcher.scenes.undrawn():
        raise ReportError("the PDF would lack its picture; nothing was written")
    return data
