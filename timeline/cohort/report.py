"""Cohort stage (report): the cohort's page scenes -> SVG, HTML or PDF bytes with the project's renderers.

Nothing is drawn here: the pages are Scenes from `cohort.layout`; SVG is `render.svg.scene_to_svg` (the
pages one under another in one SVG), HTML inlines each page's SVG with the bundled font as a data: URI
(one self-contained file), and PDF hands each page to WeasyPrint as an image that `render.pdfdraw`
paints straight from its scene, through the same allow-list fetcher as the single-child report.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..scene.items import Group, Scene
from ..scene.theme import PAGE_MARGIN_MM, printable_width_px
from .layout import layout_cohort
from .measures import Cohort

PAGE_GAP = 24.0  # px between pages in the one-SVG form
FORMATS = ("svg", "html", "pdf")


def stacked(pages: tuple[Scene, ...]) -> Scene:
    """All pages in one scene, one under another (the SVG output), each page a group."""
    items: list[Group] = []
    y = 0.0
    for n, page in enumerate(pages, start=1):
        moved = page.items if y == 0.0 else tuple(_shift(i, y) for i in page.items)
        items.append(Group(items=moved, cls="page", id=f"page-{n}", title=page.title))  # type: ignore[arg-type]
        y += page.height + PAGE_GAP
    first = pages[0]
    return Scene(width=first.width, height=y - PAGE_GAP, title=first.title.split(":")[0], desc=first.desc,
                 style=first.style, items=tuple(items))


def _shift(item: object, dy: float) -> object:
    """A primitive moved down by dy (a path's segments are moved; a marker's follow from its centre)."""
    from dataclasses import replace

    from ..scene.items import Box, Line, Marker, Path, Rect, Text
    from ..scene.shapes import translated

    if isinstance(item, Text):
        return replace(item, y=item.y + dy, baseline=item.baseline + dy)
    if isinstance(item, Rect):
        return replace(item, y=item.y + dy)
    if isinstance(item, Line):
        return replace(item, y1=item.y1 + dy, y2=item.y2 + dy)
    if isinstance(item, Marker):
        return replace(item, cy=item.cy + dy)
    if isinstance(item, Path):
        b = item.bounds
        return replace(item, segments=translated(item.segments, 0.0, dy), bounds=Box(b.x, b.y + dy, b.width, b.height))
    if isinstance(item, Group):
        return replace(item, items=tuple(_shift(i, dy) for i in item.items))  # type: ignore[misc]
    return item


def cohort_pages(cohort: Cohort) -> tuple[Scene, ...]:
    """The laid-out pages."""
    return layout_cohort(cohort)


def render_svg(cohort: Cohort) -> bytes:
    """One SVG: every page, one under another."""
    from ..render.svg import scene_to_svg

    return scene_to_svg(stacked(cohort_pages(cohort))).encode("utf-8")


def _html(pages: tuple[Scene, ...], *, target: str, title: str,
          image_uri: Callable[[Scene], str] | None = None) -> str:
    """The pages as HTML; for the PDF each an image (`image_uri`: the PDF renderer's, else full SVG)."""
    from ..render.assets import font_uris
    from ..render.safety import inline_svg, svg_image_uri

    regular, bold = font_uris(target)
    width = round(printable_width_px("A4"))  # the screen's page, as wide as the printed one's inside
    body: list[str] = []
    for n, page in enumerate(pages, start=1):
        alt = escape(page.title)
        if target == "pdf":
            body.append(f'<div class="page"><img src="{(image_uri or svg_image_uri)(page)}" alt="{alt}" '
                        f'style="width:{page.width:.2f}px;height:{page.height:.2f}px"></div>')
        else:
            svg = inline_svg(page, ids=f"page-{n}")
            body.append(f'<div class="page" role="figure" aria-label="{alt}">{svg}</div>')
    return (
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n<style>\n"
        f'@font-face {{ font-family: "Atkinson Hyperlegible"; font-weight: 400; src: url("{regular}") '
        'format("truetype"); }\n'
        f'@font-face {{ font-family: "Atkinson Hyperlegible"; font-weight: 700; src: url("{bold}") '
        'format("truetype"); }\n'
        f"@page {{ size: A4 landscape; margin: {PAGE_MARGIN_MM:g}mm; }}\n"
        "body { margin: 0; font-family: 'Atkinson Hyperlegible', sans-serif; }\n"
        ".page { break-after: page; page-break-after: always; line-height: 0; }\n"
        ".page:last-child { break-after: auto; page-break-after: auto; }\n"
        f"@media screen {{ body {{ background: #EEE; }} .page {{ background: #FFF; width: {width:g}px; "
        "margin: 12px auto; padding: 12px; } }\n"
        "</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def render_html(cohort: Cohort) -> bytes:
    """One self-contained HTML file: every page as inline SVG, the font inside."""
    pages = cohort_pages(cohort)
    return _html(pages, target="html", title=pages[0].title).encode("utf-8")


def render_pdf(cohort: Cohort) -> bytes:
    """An A4 landscape PDF, one page per scene, painted from the scenes by the project's PDF renderer."""
    from ..render.pdf import image_uri, make_fetcher, render_document, write_document
    from ..report.parts import ReportError

    pages = cohort_pages(cohort)
    fetcher = make_fetcher()
    html = _html(pages, target="pdf", title=pages[0].title, image_uri=image_uri(fetcher))
    document = render_document(html, fetcher=fetcher)
    data = write_document(document)
    missing = fetcher.scenes.undrawn() if fetcher.scenes is not None else []
    if missing:
        raise ReportError(f"the PDF would lack {len(missing)} of its pages; nothing was written")
    return data


def render(cohort: Cohort, fmt: str) -> bytes:
    """The cohort view in `fmt` (svg, html, pdf)."""
    if fmt == "svg":
        return render_svg(cohort)
    if fmt == "html":
        return render_html(cohort)
    if fmt == "pdf":
        return render_pdf(cohort)
    raise ValueError(f"the cohort view is written as {', '.join(FORMATS)}, not {fmt}")
