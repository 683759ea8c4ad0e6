"""Pipeline options (shared by the stages after io): what one render is asked for.

Its own module below the layout, report and render stages, which all read it, so that none of them needs
the pipeline that wires them together (`timeline.pipeline` re-exports it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

Format = Literal["svg", "scene-json", "html", "pdf", "png"]
Page = Literal["A4", "A3"]
View = Literal["full", "hearing", "training", "child"]
FORMATS: tuple[str, ...] = get_args(Format)  # the one list of each choice (the CLI offers these)
PAGES: tuple[str, ...] = get_args(Page)
VIEWS: tuple[str, ...] = get_args(View)

@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Everything a render may be asked for; one place for defaults (the CLI help repeats these docs)."""

    format: str = "svg"
    width: float | None = None  # canvas width in CSS px; None = printable width of the page
    page: Page = "A4"  # landscape page for PDF/HTML/PNG, and the default width
    marking: str | None = None  # protective marking on every page, e.g. OFFICIAL-SENSITIVE
    title: str | None = None  # document title; default "Timeline: NAME"
    view: View = "full"
    dpi: int = 150  # PNG resolution
    page_range: str | None = None  # PNG pages, e.g. "1" or "1-3"
    standards: str | None = None  # path of a standards (targets) file; None = bundled defaults
    seed: str | None = None  # the training view's secret seed (pseudonym, date shift); None = random per process
    as_drawn: bool = False  # SVG / scene JSON: the chart exactly as `view` draws it on its page, not stand-alone
