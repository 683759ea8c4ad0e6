"""Render stage (PDF): the report's HTML -> a tagged (PDF/UA-1), reproducible PDF with WeasyPrint, offline.

WeasyPrint is imported inside the functions only, so an SVG render never pays for it. Every resource
WeasyPrint asks for goes through `SafeFetcher`, which serves the package's own font and stylesheet files and
data: URIs, and refuses everything else: no network, no other file, no redirects, no base URL. The output is
byte-identical for identical input: SOURCE_DATE_EPOCH is pinned around the write, nothing reads the clock.
WeasyPrint subsets the embedded font with HarfBuzz when `libharfbuzz-subset0` is installed (it looks the
library up itself), which is much faster than its fontTools fallback.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes

from ..model import Case
from ..pipeline import RenderOptions
from ..report import allowed_assets, report_html
from ..theme import MEASURE_SAFETY_PX, MEASURE_STAND_IN_PX

PDF_VARIANT = "pdf/ua-1"  # tagged, so a screen reader reads the chronology table as a table
SOURCE_DATE_EPOCH = "0"  # fixed: the same input gives the same bytes on any day
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


@cache
def import_weasyprint() -> Any:
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


@cache
def _fetcher_class() -> type[Any]:
    """The URLFetcher subclass, built on first use so that WeasyPrint is imported only for PDF/PNG."""
    import_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        """Serves only the bundled fonts and stylesheet and data: URIs; refuses everything else."""

        def __init__(self, log: FetchLog) -> None:
            super().__init__(allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=False)
            self.log = log
            self.allowed: dict[str, Path] = allowed_assets()

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

    WeasyPrint has no public API for box geometry; `Page._page_box` is the laid-out tree it draws from.

    Used on the hearing view's measuring pass, where page 1 holds everything but the chart, plus a 1 px
    stand-in for it (so the margins around it are counted as they will be).
    """
    from weasyprint.formatting_structure.boxes import MarginBox

    page = document.pages[0]._page_box
    roots = [box for box in page.children if not isinstance(box, MarginBox)]  # the <html> box
    bodies = [child for root in roots for child in getattr(root, "children", ())]
    blocks = [block for body in bodies for block in getattr(body, "children", ())]
    if not blocks:
        return float(page.height)
    bottom = max(box.position_y + box.margin_height() for box in blocks)
    return float(page.height - (bottom - page.content_box_y()))


def hearing_room(case: Case, *, options: RenderOptions, fetcher: Any) -> float:
    """The room (px) for the hearing view's chart, legend and key: page 1 less what the header and the
    words take, measured by laying out the page without its chart."""
    measuring = render_document(report_html(case, options=options, target="pdf", measuring=True), fetcher=fetcher)
    return round(page_room(measuring) + MEASURE_STAND_IN_PX - MEASURE_SAFETY_PX, 2)


def pdf_bytes(case: Case, *, options: RenderOptions, log: FetchLog | None = None) -> tuple[bytes, int]:
    """(PDF bytes, page count).

    The hearing view is one page: its room is measured first (`hearing_room`), then the chart is laid out
    with its legend and key to fit it (`layout.fit_one_page`), giving way least important content first.
    Nothing is ever cut off: only if even the tightest layout is taller than the room (a case far larger
    than any real one) does the words paragraph flow onto a page 2, and the footer says "Page 1 of 2".
    """
    fetcher = make_fetcher(log)
    room = hearing_room(case, options=options, fetcher=fetcher) if options.view == "hearing" else None
    document = render_document(report_html(case, options=options, target="pdf", chart_room=room), fetcher=fetcher)
    return write_document(document), len(document.pages)


def render(case: Case, *, options: RenderOptions) -> bytes:
    """Pipeline entry point: the report (in the chosen view) as PDF bytes."""
    return pdf_bytes(case, options=options)[0]
