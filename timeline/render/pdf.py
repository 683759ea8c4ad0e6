"""Render stage (PDF): the report's HTML -> a tagged (PDF/UA-1), reproducible PDF with WeasyPrint, offline.

WeasyPrint is imported inside the functions only, so an SVG render never pays for it. Every resource
WeasyPrint asks for goes through `SafeFetcher`, which serves the package's own font and stylesheet files and
data: URIs, and refuses everything else: no network, no other file, no redirects, no base URL. The output is
byte-identical for identical input and nothing reads the clock: the bundled fonts are embedded whole
(`_install_whole_bundled_fonts`), so the bytes are the same with and without the optional HarfBuzz
subsetter (`libharfbuzz-subset0`); only a fallback font (letters the bundled font lacks) is subset, by
HarfBuzz when WeasyPrint finds it, else by fontTools (slower), and either way it keeps its own 'modified'
date (`_install_font_dates_kept`) instead of being stamped with the time of the render.

Safe from threads, and it changes no process-wide state beyond WeasyPrint's own drawing code: no
environment variable, no garbage-collector setting, no `sys.modules` entry, no logger level. The start-up
tuning a one-shot command benefits from is the command line's (`timeline.cli.startup`). WeasyPrint is imported
once, under a lock, and its three hooks installed then (`import_weasyprint`); each render has its own fetcher
and scene registry. The chart, legend and key are painted straight from their scenes (`render/pdfdraw.py`,
hooked in by `_install_scene_images`) instead of WeasyPrint parsing and cascading thousands of SVG nodes.
WeasyPrint's private names all come from `weasy_private`, and are used on the tested major only
(`weasy_private.WEASYPRINT_MAJOR`).
"""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from ..chart.metrics import font_bytes
from ..chart.prepare import Prepared, prepare
from ..model.case import Case
from ..options import RenderOptions
from ..report.pages import MEASURE_SAFETY_PX, MEASURE_STAND_IN_PX
from ..report.parts import ReportError
from .assets import allowed_assets
from .html import ImageUri, report_html
from .pdfdraw import SCENE_ATTRIBUTE, SceneRegistry, draw_scene
from .weasy_private import page_box, private, weasyprint_tested
from .weasy_start import weasyprint_import_hooks

PDF_VARIANT = "pdf/ua-1"  # tagged, so a screen reader reads the chronology table as a table
_MIME = {".ttf": "font/ttf", ".css": "text/css"}


class FetchRefused(ValueError):
    """A resource outside the allow-list was asked for; WeasyPrint skips it and carries on."""


@dataclass
class FetchLog:
    """What a fetcher was asked for (tests assert nothing outside the allow-list was ever requested)."""

    requested: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def decode_data_uri(url: str) -> tuple[bytes, str]:
    """(body, media type) of a data: URI, decoded here rather than by urllib's opener."""
    header, _, payload = url[len("data:") :].partition(",")
    media = header.split(";")[0] or "text/plain"
    raw = unquote_to_bytes(payload)
    body = base64.b64decode(raw) if ";base64" in header.lower() else raw
    return body, media


_IMPORT_LOCK = threading.Lock()


@cache
def import_weasyprint() -> Any:
    """WeasyPrint, imported once with this package's hooks installed (scene images, whole bundled fonts,
    kept font dates), and without the start-up work the report never uses (`weasy_start`).

    The lock makes the first import and the hooks happen once even when several threads render at the same
    moment (`functools.cache` alone may run the body twice); later calls return the cached module.
    """
    with _IMPORT_LOCK, weasyprint_import_hooks():
        import weasyprint

        _install_scene_images(weasyprint)
        _install_whole_bundled_fonts(weasyprint)
        _install_font_dates_kept(weasyprint)
    return weasyprint


def _install_whole_bundled_fonts(weasyprint: Any) -> None:
    """Embed the bundled fonts whole instead of subsetting them; any other font is still subset.

    Subsetting is the slow part of writing a PDF without HarfBuzz's subsetter (`libharfbuzz-subset0`, an
    optional system library): WeasyPrint falls back to fontTools, which took 0.4 s of a typical report, and
    the two subsetters give different bytes. The bundled fonts are small (55 KB each), so embedded whole
    they cost about 80 KB of PDF, need no subsetter, and make the bytes the same on every machine.
    A fallback font (a system font drawing an emoji or a script the bundled font lacks) can be megabytes,
    so it is still subset (WeasyPrint's `full_fonts=True` would embed it whole too).
    """
    if not weasyprint_tested(weasyprint):
        return
    fonts = private().fonts
    original = fonts.Font.subset
    if getattr(original, "keeps_bundled_fonts", False):
        return
    bundled = frozenset((font_bytes(False), font_bytes(True)))

    def subset(font: Any, to_unicode: Any, hinting: Any) -> None:
        if font.file_content in bundled:
            return
        original(font, to_unicode, hinting)

    subset.keeps_bundled_fonts = True  # type: ignore[attr-defined]
    fonts.Font.subset = subset


def _install_font_dates_kept(weasyprint: Any) -> None:
    """Make WeasyPrint's font rewriting keep a font's own 'modified' date instead of the current time.

    WeasyPrint rewrites a font with fontTools when it subsets it without HarfBuzz, instances a variable font
    or blanks an emoji font's pictures; fontTools would stamp the font's `head.modified` with the clock (or
    SOURCE_DATE_EPOCH when set), so the same input would give different bytes on different days. Setting
    SOURCE_DATE_EPOCH around the write, as this module used to, changes the process environment from a
    library call (racy between threads, and visible to the rest of the program). Opened with
    `recalcTimestamp=False`, the rewritten font keeps the date it came with, whatever the clock or the
    environment says.
    """
    if not weasyprint_tested(weasyprint):
        return
    fonts = private().fonts
    if getattr(fonts.TTFont, "keeps_font_dates", False):
        return
    base = fonts.TTFont

    class DatedTTFont(base):  # type: ignore[misc, valid-type]
        """fontTools' TTFont, saved with the font's own `head.modified` unless told otherwise."""

        keeps_font_dates = True

        def __init__(self, *args: Any, recalcTimestamp: bool = False, **kwargs: Any) -> None:
            super().__init__(*args, recalcTimestamp=recalcTimestamp, **kwargs)

    fonts.TTFont = DatedTTFont  # weasyprint.pdf.fonts opens fonts by this module-level name


class UnknownScene(LookupError):
    """A stub image names a scene its render's registry does not hold (WeasyPrint leaves the image out)."""


def _install_scene_images(weasyprint: Any) -> None:
    """Make WeasyPrint's SVG images paint a registered Scene when their root names one (`SCENE_ATTRIBUTE`).

    The HTML writer hands every drawing over as an SVG image (`html.embed`); inside a PDF render it
    is a stub holding only the size, so WeasyPrint parses almost nothing, lays the image out as before
    (intrinsic size, CSS width, alt text, tagging) and, when drawing it, calls `pdfdraw.draw_scene` instead
    of its SVG renderer. The scene is looked up in the registry of the fetcher that served the stub, so
    nothing is shared between renders or threads. Any other SVG image draws exactly as before.
    """
    if not weasyprint_tested(weasyprint):
        return
    images = private().images
    if getattr(images.SVGImage, "draws_scenes", False):
        return
    images.SVGImage = _scene_image_class(images.SVGImage)  # get_image_from_uri builds SVG images by this name


def _scene_image_class(base: type[Any]) -> type[Any]:
    """WeasyPrint 70's SVGImage, extended to paint the scene its stub names."""

    class SceneImage(base):  # type: ignore[misc, valid-type]
        """An SVG image; when its root names a scene of the render's registry, painted from that scene."""

        draws_scenes = True

        def __init__(self, tree: Any, base_url: Any, url_fetcher: Any, context: Any) -> None:
            super().__init__(tree, base_url, url_fetcher, context)
            self._scene = None
            self._token = tree.get(SCENE_ATTRIBUTE)
            self._registry = getattr(url_fetcher, "scenes", None)
            if self._token is not None:
                registry = self._registry
                self._scene = registry.get(self._token) if isinstance(registry, SceneRegistry) else None
                if self._scene is None:
                    raise UnknownScene("a stub image names a scene this render did not register")

        def draw(self, stream: Any, concrete_width: float, concrete_height: float, style: Any) -> None:
            """Paint the scene; an error propagates (WeasyPrint logs and skips a failing SVG), so a drawing
            never goes missing from a PDF silently."""
            if self._scene is None:
                super().draw(stream, concrete_width, concrete_height, style)
                return
            draw_scene(stream, self._scene, width=concrete_width, height=concrete_height, context=self._context)
            assert isinstance(self._registry, SceneRegistry) and self._token is not None
            self._registry.drawn(self._token)

    return SceneImage


def scene_images_supported() -> bool:
    """True when this WeasyPrint paints registered scenes (`_install_scene_images` took effect)."""
    import_weasyprint()
    return bool(getattr(private().images.SVGImage, "draws_scenes", False))


@cache
def _fetcher_class() -> type[Any]:
    """The URLFetcher subclass, built on first use so that WeasyPrint is imported only for PDF/PNG."""
    import_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    supported = scene_images_supported()

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        """Serves only the bundled fonts and stylesheet and data: URIs; refuses everything else.

        It also holds the render's `SceneRegistry` (None where WeasyPrint cannot paint scenes): the scenes
        its stub images name, looked up by the image loader it is handed to.
        """

        def __init__(self, log: FetchLog) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=False)
            self.log = log
            self.allowed: dict[str, Path] = allowed_assets()
            self.scenes: SceneRegistry | None = SceneRegistry() if supported else None

        def fetch(self, url: str, headers: Any = None) -> Any:
            self.log.requested.append(url)
            if url.startswith("data:"):
                body, media = decode_data_uri(url)
                return URLFetcherResponse(url, body=body, headers={"Content-Type": media})
            path = self.allowed.get(url)
            if path is None:
                self.log.refused.append(url)
                raise FetchRefused("refused: only the report's own font and stylesheet files may be read")
            media = _MIME.get(path.suffix, "application/octet-stream")
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": media})

    return SafeFetcher


def make_fetcher(log: FetchLog | None = None) -> Any:
    """A fresh allow-list fetcher recording what it was asked for into `log`."""
    return _fetcher_class()(log if log is not None else FetchLog())


def image_uri(fetcher: Any) -> ImageUri | None:
    """The report's image of a drawing in a render with `fetcher`: a stub registered in the fetcher's scene
    registry (painted by `pdfdraw`), or None (full SVG, `safety.svg_image_uri`) where WeasyPrint cannot
    paint scenes. Passed to `report_html` explicitly, so what it returns depends on its arguments only."""
    registry = getattr(fetcher, "scenes", None)
    return registry.image_uri if isinstance(registry, SceneRegistry) else None


def render_document(html: str, *, fetcher: Any) -> Any:
    """Lay out the HTML into pages (a weasyprint Document), with no base URL and the safe fetcher."""
    weasyprint = import_weasyprint()
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).render(pdf_variant=PDF_VARIANT)


def write_document(document: Any) -> bytes:
    """The Document's PDF bytes, tagged."""
    data: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return data


def page_room(document: Any) -> float:
    """CSS px left free at the bottom of page 1 of a laid-out document (WeasyPrint's box heights).

    WeasyPrint has no public API for box geometry; `weasy_private.page_box` is the laid-out tree it draws from.

    Used on the hearing view's measuring pass, where page 1 holds everything but the chart, plus a 1 px
    stand-in for it (so the margins around it are counted as they will be).
    """
    MarginBox = private().margin_box

    page = page_box(document.pages[0])
    roots = [box for box in page.children if not isinstance(box, MarginBox)]  # the <html> box
    bodies = [child for root in roots for child in getattr(root, "children", ())]
    blocks = [block for body in bodies for block in getattr(body, "children", ())]
    if not blocks:
        return float(page.height)
    bottom = max(box.position_y + box.margin_height() for box in blocks)
    return float(page.height - (bottom - page.content_box_y()))


def hearing_room(case: Case, *, options: RenderOptions, fetcher: Any, prepared: Prepared | None = None) -> float:
    """The room (px) for the hearing view's chart, legend and key: page 1 less what the header and the
    words take, measured by laying out the page without its chart (`prepared`: what `prepare` made)."""
    html = report_html(case, options=options, target="pdf", measuring=True, prepared=prepared,
                       image_uri=image_uri(fetcher))
    measuring = render_document(html, fetcher=fetcher)
    return round(page_room(measuring) + MEASURE_STAND_IN_PX - MEASURE_SAFETY_PX, 2)


def pdf_bytes(case: Case, *, options: RenderOptions, log: FetchLog | None = None,
              draw_scenes: bool = True, prepared: Prepared | None = None) -> tuple[bytes, int]:
    """(PDF bytes, page count).

    The drawings are painted from their scenes (`pdfdraw`) where WeasyPrint allows; `draw_scenes=False`
    hands them over as full SVG for WeasyPrint's own renderer instead (to compare the two).

    The hearing view is one page: its room is measured first (`hearing_room`), then the chart is laid out
    with its legend and key to fit it (`layout.fit_one_page`), giving way least important content first.
    Nothing is ever cut off: if even the tightest layout is taller than the room (hundreds of events), it
    is drawn smaller to fit, and a note under it says so (`report.prose.scaled_note`).
    The case's facts are computed once (`prepare`, unless the pipeline hands them over) for both passes.
    """
    prepared = prepared if prepared is not None else prepare(case, options)
    fetcher = make_fetcher(log)
    room = (hearing_room(case, options=options, fetcher=fetcher, prepared=prepared)
            if options.view == "hearing" else None)
    html = report_html(case, options=options, target="pdf", chart_room=room, prepared=prepared,
                       image_uri=image_uri(fetcher) if draw_scenes else None)
    document = render_document(html, fetcher=fetcher)
    data = write_document(document)
    missing = fetcher.scenes.undrawn() if draw_scenes and fetcher.scenes is not None else []
    if missing:  # WeasyPrint logs and skips an image it cannot load: a report without its chart is a failure
        raise ReportError(f"the PDF would lack {len(missing)} of its drawings (chart or key); nothing was written")
    return data, len(document.pages)


def render(case: Case, *, options: RenderOptions, prepared: Prepared | None = None) -> bytes:
    """Pipeline entry point: the report (in the chosen view) as PDF bytes, from what `prepare` made."""
    return pdf_bytes(case, options=options, prepared=prepared)[0]
