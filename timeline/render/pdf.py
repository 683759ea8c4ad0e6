"""Render stage (PDF): the report's HTML -> a tagged (PDF/UA-1), reproducible PDF with WeasyPrint, offline.

WeasyPrint is imported inside the functions only, so an SVG render never pays for it. Every resource
WeasyPrint asks for goes through `SafeFetcher`, which serves the package's own font and stylesheet files and
data: URIs, and refuses everything else: no network, no other file, no redirects, no base URL. The output is
byte-identical for identical input: SOURCE_DATE_EPOCH is pinned around the write, nothing reads the clock.
The bundled fonts are embedded whole (`_install_whole_bundled_fonts`), so the bytes are also the same with
and without the optional HarfBuzz subsetter (`libharfbuzz-subset0`); only a fallback font (letters the
bundled font lacks) is subset, by HarfBuzz when WeasyPrint finds it, else by fontTools (slower).

Speed (a typical report is most of a second of WeasyPrint work): Python's cyclic garbage collector runs less
often while WeasyPrint imports, lays out and writes (`relaxed_gc`), and what is alive once WeasyPrint is
imported is frozen out of later collections (`import_weasyprint`); the chart, legend and key are painted
straight from their scenes (`render/pdfdraw.py`, hooked in by `_install_scene_images`) instead of WeasyPrint
parsing and cascading thousands of SVG nodes; any other SVG <text> is drawn as whole runs rather than
WeasyPrint 70's one Pango layout per letter (`_whole_run_text`); fontTools' subsetter, unused when HarfBuzz
subsets, is imported only if needed (`lazy.defer_import`), and so is fontTools' variable-font instancer
(`lazy.defer_functions`). WeasyPrint's private names all come from `weasy_private`, and are used on the
tested major only (`weasy_private.WEASYPRINT_MAJOR`).
"""

from __future__ import annotations

import base64
import contextlib
import gc
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from ..lazy import defer_functions, defer_import
from ..model import Case
from ..options import RenderOptions
from ..prepare import Prepared, prepare
from ..report import ReportError, allowed_assets, report_html
from ..text import font_bytes
from ..theme import MEASURE_SAFETY_PX, MEASURE_STAND_IN_PX
from .pdfdraw import SCENE_ATTRIBUTE, SceneRegistry, draw_scene, scene_image_uri, scene_images
from .weasy_private import page_box, private, weasyprint_tested

PDF_VARIANT = "pdf/ua-1"  # tagged, so a screen reader reads the chronology table as a table
SOURCE_DATE_EPOCH = "0"  # fixed: the same input gives the same bytes on any day
_MIME = {".ttf": "font/ttf", ".css": "text/css"}
# Garbage collector thresholds while WeasyPrint works: generation 0 collected after this many allocations
# (Python's default is 700, which made the collector run thousands of times over WeasyPrint's box trees);
# memory stays bounded because reference counting frees almost everything and collections still happen.
GC_RELAXED_THRESHOLDS = (50_000, 20, 20)
# Modules WeasyPrint imports but needs only on a fallback path: loaded on first use (`lazy.defer_import`).
DEFERRED_MODULES = ("fontTools.subset",)
# Modules WeasyPrint imports names from (`from M import f`) but calls only for some fonts (variable ones;
# the bundled font is not): stand-ins whose functions import the real module on their first call.
DEFERRED_FUNCTIONS: dict[str, tuple[str, ...]] = {"fontTools.varLib.instancer": ("instantiateVariableFont",)}
# SVG <text> attributes that position or stretch letters one by one: such text keeps the per-letter code.
_PER_LETTER_ATTRIBUTES = ("dx", "dy", "rotate", "textLength", "lengthAdjust")


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


@contextlib.contextmanager
def relaxed_gc() -> Iterator[None]:
    """Run the block with the cyclic garbage collector held back, then restore its thresholds.

    WeasyPrint builds hundreds of thousands of short-lived objects; at Python's default threshold the
    collector ran thousands of times over them. Collections still happen, only less often.
    """
    before = gc.get_threshold()
    gc.set_threshold(*GC_RELAXED_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@cache
def import_weasyprint() -> Any:
    """WeasyPrint, imported once (see `_import_weasyprint`) with the SVG text fast path installed.

    Everything alive once it is imported (the modules of this package, WeasyPrint, Pango bindings, fontTools)
    lives as long as the process, so it is moved to the collector's permanent generation (`gc.freeze`, the
    standard after-start-up idiom): no later collection walks it again, during a render or at exit, where
    the final collections over these modules took about a tenth of a second. Reference counting still frees
    anything in it that is dropped.
    """
    with relaxed_gc():
        for name in DEFERRED_MODULES:
            defer_import(name)
        for name, functions in DEFERRED_FUNCTIONS.items():
            defer_functions(name, functions)
        weasyprint = _import_weasyprint()
        _install_whole_run_text(weasyprint)
        _install_scene_images(weasyprint)
        _install_whole_bundled_fonts(weasyprint)
    gc.freeze()
    return weasyprint


def _import_weasyprint() -> Any:
    """Import WeasyPrint without its slow library hunt.

    WeasyPrint asks cffi for each system library under several names; every name that is not the
    platform's own makes cffi call `ctypes.util.find_library`, which on Linux starts ldconfig, gcc and ld
    (about 50 programs, a quarter of a second, scratch files in /tmp). The names WeasyPrint tries last
    (libpango-1.0.so.0 ...) load directly, so the hunt is switched off during the import; if that fails on
    some unusual system, the import is retried the ordinary way.
    """
    import ctypes.util
    import sys

    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        import weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
        ctypes.util.find_library = original
        import weasyprint
    finally:
        ctypes.util.find_library = original
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


def _install_whole_run_text(weasyprint: Any) -> None:
    """Draw simple SVG <text> (one x, one y, no per-letter offsets) as one run instead of letter by letter.

    WeasyPrint 70 lays out and draws every letter of an SVG <text> with its own Pango layout, so the chart
    and its key (about 140 short texts, 2,400 letters) took a quarter of a second to draw. Text positioned
    as a whole is shaped once here, as a browser does (kerning included), with the same font, anchor,
    baseline, bounding box and cursor as WeasyPrint's own code, which still draws everything else.
    """
    if not weasyprint_tested(weasyprint):
        return
    svg_module = private().svg
    original = svg_module.text  # the function (svg/__init__.py imports it over its module's name)
    if getattr(original, "whole_run", False):
        return
    fast = _whole_run_text(original)
    svg_module.text = fast  # draw_node compares TAGS entries with this name to find text elements
    for tag, function in list(svg_module.TAGS.items()):
        if function is original:
            svg_module.TAGS[tag] = fast


def _whole_run_text(original: Any) -> Any:
    """A drop-in for weasyprint.svg.text.text (70.x) that shapes simple text once; `original` otherwise."""
    from math import inf

    wp = private()
    INITIAL_VALUES, Style, TextBox, Matrix = wp.initial_values, wp.style, wp.text_box, wp.matrix
    draw_emojis, draw_first_line, extend_bounding_box = wp.draw_emojis, wp.draw_first_line, wp.extend_bounding_box
    normalize, size, line_break = wp.normalize, wp.size, wp.line_break

    def single(node: Any, name: str) -> bool:
        return name not in node.attrib or len(normalize(node.attrib[name]).strip().split(" ")) == 1

    def text(svg: Any, node: Any, font_size: float) -> None:
        content = node.text
        if (not content or "\n" in content or any(name in node.attrib for name in _PER_LETTER_ATTRIBUTES)
                or not single(node, "x") or not single(node, "y")
                or svg.length(node.get("letter-spacing"), font_size)):
            original(svg, node, font_size)
            return

        style = Style()  # as WeasyPrint's own SVG text: initial values, the node's font
        style.update(INITIAL_VALUES)
        style.font_config = svg.font_config
        style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
        style["font_style"] = node.get("font-style", "normal")
        style["font_size"] = font_size
        if node.get("direction") in ("ltr", "rtl"):
            style["direction"] = node.get("direction")
        weight = node.get("font-weight", 400)
        if weight == "normal":
            style["font_weight"] = 400
        elif weight == "bold":
            style["font_weight"] = 700
        else:
            try:
                style["font_weight"] = int(weight)
            except ValueError:
                style["font_weight"] = 400

        layout, _, _, width, height, baseline = line_break.split_first_line(content, style, svg.context, inf, 0)

        ascent, descent = font_size * 0.8, font_size * 0.2  # WeasyPrint's own approximation
        y_align = 0.0
        display_anchor = node.get("display-anchor")
        alignment_baseline = node.get("dominant-baseline", node.get("alignment-baseline"))
        if display_anchor == "middle":
            y_align = -height / 2
        elif display_anchor == "top":
            pass
        elif display_anchor == "bottom":
            y_align = -height
        elif alignment_baseline in ("central", "middle"):
            y_align = (ascent + descent) / 2 - descent
        elif alignment_baseline in ("text-before-edge", "before_edge", "top", "hanging", "text-top"):
            y_align = ascent
        elif alignment_baseline in ("text-after-edge", "after_edge", "bottom", "text-bottom"):
            y_align = -descent

        if "x" in node.attrib:
            x = size(normalize(node.attrib["x"]).strip(), font_size, svg.inner_width)
            svg.cursor_d_position[0] = 0
        else:
            x = svg.cursor_position[0]
        if "y" in node.attrib:
            y = size(normalize(node.attrib["y"]).strip(), font_size, svg.inner_height)
            svg.cursor_d_position[1] = 0
        else:
            y = svg.cursor_position[1]
        svg.cursor_position = x + width, y
        x_position = x + svg.cursor_d_position[0]
        y_position = y + svg.cursor_d_position[1] + y_align
        points = ((x_position, y_position - baseline), (x_position + width, y_position - baseline + height))
        node.text_bounding_box = extend_bounding_box(node.text_bounding_box, points)

        svg.stream.push_state()
        fill, stroke = svg.set_graphical_state(node, font_size)
        svg.stream.begin_text()
        layout.reactivate(style)
        svg.fill_stroke(fill, stroke, text=True)
        text_box = TextBox(layout, style)
        text_box.baseline = baseline
        emojis = draw_first_line(svg.stream, text_box, "none", "none", Matrix(a=1, d=-1, e=x_position, f=y_position))
        svg.stream.end_text()
        svg.stream.pop_state()
        draw_emojis(svg.stream, style, x, y, emojis)

    text.whole_run = True  # type: ignore[attr-defined]
    return text


class UnknownScene(LookupError):
    """A stub image names a scene its render's registry does not hold (WeasyPrint leaves the image out)."""


def _install_scene_images(weasyprint: Any) -> None:
    """Make WeasyPrint's SVG images paint a registered Scene when their root names one (`SCENE_ATTRIBUTE`).

    The report hands every drawing over as an SVG image (`pdfdraw.scene_image_uri`); inside a PDF render it
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


@contextlib.contextmanager
def _pinned_epoch() -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH for the write (font subsetting reads it), then restore the environment."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = SOURCE_DATE_EPOCH
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


@contextlib.contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    """Keep WeasyPrint's warnings (e.g. a refused fetch, unknown CSS in the browser-only rules) off stderr."""
    logger = logging.getLogger("weasyprint")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.CRITICAL)
    logger.propagate = False
    try:
        yield
    finally:
        logger.setLevel(level)
        logger.propagate = propagate


def render_document(html: str, *, fetcher: Any) -> Any:
    """Lay out the HTML into pages (a weasyprint Document), with no base URL and the safe fetcher."""
    weasyprint = import_weasyprint()

    with _quiet_weasyprint():
        return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).render(pdf_variant=PDF_VARIANT)


def write_document(document: Any) -> bytes:
    """The Document's PDF bytes: tagged, with SOURCE_DATE_EPOCH pinned."""
    with _pinned_epoch(), _quiet_weasyprint():
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
                       image_uri=scene_image_uri)
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
    is drawn smaller to fit, and a note under it says so (`report.scaled_note`).
    The case's facts are computed once (`prepare`, unless the pipeline hands them over) for both passes.
    """
    prepared = prepared if prepared is not None else prepare(case, options)
    fetcher = make_fetcher(log)
    with relaxed_gc(), scene_images(fetcher.scenes if draw_scenes else None):
        room = (hearing_room(case, options=options, fetcher=fetcher, prepared=prepared)
                if options.view == "hearing" else None)
        html = report_html(case, options=options, target="pdf", chart_room=room, prepared=prepared,
                           image_uri=scene_image_uri)
        document = render_document(html, fetcher=fetcher)
        data = write_document(document)
    missing = fetcher.scenes.undrawn() if draw_scenes and fetcher.scenes is not None else []
    if missing:  # WeasyPrint logs and skips an image it cannot load: a report without its chart is a failure
        raise ReportError(f"the PDF would lack {len(missing)} of its drawings (chart or key); nothing was written")
    return data, len(document.pages)


def render(case: Case, *, options: RenderOptions, prepared: Prepared | None = None) -> bytes:
    """Pipeline entry point: the report (in the chosen view) as PDF bytes, from what `prepare` made."""
    return pdf_bytes(case, options=options, prepared=prepared)[0]
