"""Render stage (page assets): the bundled fonts, the stylesheets and the templates the HTML writers use.

A target decides how a page refers to them: HTML inlines the fonts as data: URIs (one self-contained
file); the PDF refers to the package's font files, which the PDF renderer's allow-list fetcher serves
(`allowed_assets`: nothing else may be read).
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path
from string import Template
from typing import Any, Literal

from ..chart.metrics import font_bytes, font_path
from ..report.content import templates_dir
from ..report.pages import css_lengths

Target = Literal["html", "pdf"]
FONT_MIME = "font/ttf"
STYLESHEET = "report.css"


def stylesheet_path(name: str = STYLESHEET) -> Path:
    """One of the package's stylesheets (the report's by default)."""
    return templates_dir() / name


def font_file(bold: bool) -> Path:
    """The bundled font file the report declares (the one the chart was measured with)."""
    return Path(font_path(bold)).resolve()


def allowed_assets() -> dict[str, Path]:
    """file: URL -> path of every file the PDF renderer may read: the bundled fonts and the stylesheet."""
    files = (font_file(False), font_file(True), stylesheet_path().resolve())
    return {path.as_uri(): path for path in files}


@cache
def css_text(name: str = STYLESHEET) -> str:
    """A stylesheet's text as the page holds it: its page lengths (`$page_margin`, ...) written from the
    constants they must equal (`report.pages.css_lengths`), so the CSS repeats none of them."""
    return Template(stylesheet_path(name).read_text(encoding="utf-8")).substitute(css_lengths())


def font_data_uri(bold: bool) -> str:
    """The bundled font as a data: URI, so a saved HTML file needs nothing beside it."""
    return f"data:{FONT_MIME};base64," + base64.b64encode(font_bytes(bold)).decode("ascii")


def font_uris(target: Target | str) -> tuple[str, str]:
    """(regular, bold): data: URIs for HTML, the package's font files for the PDF renderer's fetcher."""
    if target == "html":
        return font_data_uri(False), font_data_uri(True)
    return font_file(False).as_uri(), font_file(True).as_uri()


@cache
def environment() -> Any:
    """The templates' Jinja2 environment: autoescaped, strict about missing names."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
