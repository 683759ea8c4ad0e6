"""Render stage (PNG): pages of the report's PDF as one PNG, rasterised with pypdfium2 so it matches the PDF.

The PNG is drawn from the PDF bytes rather than from the HTML, so what is pasted into a Word report is
exactly what was printed. One output file per render: the first page by default; with `--page-range`
covering several pages they are stacked top to bottom (with a thin grey gap) in one image, so the
pipeline's one-render-one-file contract holds. pypdfium2 (Apache-2.0/BSD, self-contained wheels) is a
regular dependency, so PNG works after a plain `pip install`; in an install that lacks it anyway the render
fails with a message saying how to add it.
"""

from __future__ import annotations

import io
from typing import Any

from ..chart.prepare import Prepared
from ..model.case import Case
from ..model.limits import LimitError
from ..options import RenderOptions
from ..scene.theme import PT_PER_INCH

PAGE_GAP_PX = 8  # grey gap between stacked pages
# The largest image made (all pages stacked): an A4 page at 600 dpi is 35 million pixels. Past this the
# memory a render needs (the page bitmap, its RGB copy and the stacked sheet) would pass 1 GB.
MAX_PIXELS = 50_000_000
GAP_GREY = (200, 200, 200)
MISSING = (
    "PNG output needs pypdfium2, which this installation lacks; install it with: pip install pypdfium2"
)


class PngError(ValueError):
    """A PNG cannot be made (missing renderer, page range outside the document); plain message."""


class PixelLimitError(PngError, LimitError):
    """The image asked for is larger than MAX_PIXELS."""


def parse_page_range(text: str | None, pages: int) -> list[int]:
    """0-based page indexes for '1', '2-3', '1,3' or '2-' (1-based, inclusive); the first page when None."""
    if not text:
        return [0]
    chosen: list[int] = []
    for part in text.replace(" ", "").split(","):
        if not part:
            continue
        first, dash, last = part.partition("-")
        try:
            lo = int(first) if first else 1
            hi = (int(last) if last else pages) if dash else lo
        except ValueError:
            raise PngError(f"page range '{text[:20]}' is not like 1, 2-3 or 1,3") from None
        if lo < 1 or hi < lo or hi > pages:
            raise PngError(f"page range '{text[:20]}' is outside the document's {pages} page(s)")
        chosen.extend(range(lo - 1, hi))
    if not chosen:
        raise PngError(f"page range '{text[:20]}' names no page")
    return list(dict.fromkeys(chosen))


def _stack(images: list[Any]) -> Any:
    from PIL import Image

    if len(images) == 1:
        return images[0]
    width = max(im.width for im in images)
    height = sum(im.height for im in images) + PAGE_GAP_PX * (len(images) - 1)
    sheet = Image.new("RGB", (width, height), GAP_GREY)
    y = 0
    for im in images:
        sheet.paste(im, (0, y))
        y += im.height + PAGE_GAP_PX
    return sheet


def pdf_to_png(pdf: bytes, *, dpi: int, page_range: str | None) -> bytes:
    """Rasterise pages of a PDF at `dpi` into one PNG (deterministic: no timestamps in the file).

    The image's size is known from the page sizes before any page is drawn: past MAX_PIXELS the render
    is refused with a plain message (fewer pages or a lower --dpi), never a MemoryError. Pages are pasted
    into the stacked sheet one at a time, so only one page's bitmap is held beside it.
    """
    try:
        import pypdfium2 as pdfium
    except ImportError:
        raise PngError(MISSING) from None
    if dpi <= 0:
        raise PngError("--dpi must be a positive number")
    scale = dpi / PT_PER_INCH
    document = pdfium.PdfDocument(pdf)
    try:
        indexes = parse_page_range(page_range, len(document))
        sizes = []
        for index in indexes:
            w, h = document.get_page_size(index)
            sizes.append((max(1, round(w * scale)), max(1, round(h * scale))))
        width = max(w for w, _ in sizes)
        height = sum(h for _, h in sizes) + PAGE_GAP_PX * (len(sizes) - 1)
        if width * height > MAX_PIXELS:
            raise PixelLimitError(f"{len(indexes)} page(s) at {dpi} dpi would make an image of "
                                  f"{width * height / 1e6:.0f} million pixels; at most {MAX_PIXELS / 1e6:.0f} million "
                                  "are made (give fewer pages with --page-range, or a lower --dpi)")
        images = []
        sheet = None
        y = 0
        for index in indexes:
            page = document[index]
            bitmap = page.render(scale=scale)
            image = bitmap.to_pil().convert("RGB")
            bitmap.close()
            page.close()
            if len(indexes) == 1:
                images.append(image)
                break
            if sheet is None:
                from PIL import Image

                sheet = Image.new("RGB", (width, height), GAP_GREY)
            sheet.paste(image, (0, y))
            y += image.height + PAGE_GAP_PX
            image.close()
    finally:
        document.close()
    out = io.BytesIO()
    (sheet if sheet is not None else _stack(images)).save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def render(case: Case, *, options: RenderOptions, prepared: Prepared | None = None) -> bytes:
    """Pipeline entry point: the report's page(s) as PNG bytes, drawn from the PDF (of what `prepare` made)."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        raise PngError(MISSING) from None
    from .pdf import render as render_pdf

    pdf = render_pdf(case, options=options, prepared=prepared)
    return pdf_to_png(pdf, dpi=options.dpi, page_range=options.page_range)
