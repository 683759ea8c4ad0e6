"""Pipeline wiring (used by the CLI and the public API): case -> facts -> layout -> scene -> bytes.

Renderers are imported lazily by format, so an SVG render never pays for WeasyPrint.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from .model import Case

if TYPE_CHECKING:
    from .scene import Scene

Format = Literal["svg", "scene-json", "html", "pdf", "png"]
FORMATS: tuple[str, ...] = ("svg", "scene-json", "html", "pdf", "png")
SUFFIX_FORMATS: dict[str, str] = {
    ".svg": "svg",
    ".json": "scene-json",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".png": "png",
}
_RENDERERS: dict[str, str] = {
    "svg": "timeline.render.svg",
    "scene-json": "timeline.render.scenejson",
    "html": "timeline.render.html",
    "pdf": "timeline.render.pdf",
    "png": "timeline.render.png",
}


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Everything a render may be asked for; one place for defaults (the CLI help repeats these docs)."""

    format: str = "svg"
    width: float | None = None  # canvas width in CSS px; None = printable width of the page
    page: Literal["A4", "A3"] = "A4"  # landscape page for PDF/HTML/PNG, and the default width
    marking: str | None = None  # protective marking on every page, e.g. OFFICIAL-SENSITIVE
    title: str | None = None  # document title; default "Timeline: NAME"
    view: Literal["full", "hearing", "training", "child"] = "full"
    dpi: int = 150  # PNG resolution
    page_range: str | None = None  # PNG pages, e.g. "1" or "1-3"
    standards: str | None = None  # path of a standards (targets) file; None = bundled defaults
    seed: str | None = None  # the training view's secret seed (pseudonym, date shift); None = random per process
    as_drawn: bool = False  # SVG / scene JSON: the chart exactly as `view` draws it on its page, not stand-alone


def format_for(path: str, explicit: str | None = None) -> str:
    """The output format: the explicit choice, else from the file suffix; ValueError when neither says."""
    if explicit:
        return explicit
    for suffix, fmt in SUFFIX_FORMATS.items():
        if path.lower().endswith(suffix):
            return fmt
    raise ValueError(f"cannot tell the format from '{path}'; use a suffix ({', '.join(SUFFIX_FORMATS)}) or --format")


def chart_case(case: Case, options: RenderOptions) -> Case:
    """The case a stand-alone chart draws: an anonymised copy for the training view, else the case itself."""
    if options.view != "training":
        return case
    from .anonymise import anonymise

    return anonymise(case, seed=options.seed)


def scene_for(case: Case, options: RenderOptions, *, title_block: bool = True,
              max_height: float | None = None, page_height: float | None = None) -> Scene:
    """The laid-out chart of `case`: facts, theme and font metrics wired into the layout stage.

    The width is `options.width`, else the printable width of `options.page` (landscape, 96 dpi), so that
    the smallest text prints at 9 pt. `title_block=False` leaves out the name block (reports have their own).
    `max_height` (px) is the room the chart has, e.g. on a report's page 1: the layout tightens and moves its
    legend and key to `Scene.appendix` (canvases at most `page_height` tall) to fit rather than shrink the
    text (see `layout.layout`).
    """
    from .facts import compute_facts
    from .layout import layout
    from .standards import load_standards
    from .text import default_metrics
    from .theme import DEFAULT_THEME, printable_width_px

    standards = load_standards(options.standards, case.jurisdiction) if options.standards else None
    facts = compute_facts(case, standards=standards)
    width = options.width if options.width else printable_width_px(options.page)
    return layout(case, facts=facts, theme=DEFAULT_THEME, metrics=default_metrics(), width=width,
                  title_block=title_block, max_height=max_height, page_height=page_height)


def view_scene(case: Case, options: RenderOptions) -> Scene:
    """The chart exactly as `options.view` draws it, so that a fitted chart can be checked: the full and
    training views' page-1 chart (its legend and key pages in `Scene.appendix`), or the hearing view's one
    canvas of chart, legend and key in the room the PDF renderer measures on its page (WeasyPrint needed;
    without it, the room the HTML report reserves). Without `as_drawn`, the stand-alone chart (`scene_for`)."""
    if not options.as_drawn:
        return scene_for(chart_case(case, options), options)
    from .report import case_for_view, chart_scenes, one_page_chart

    shown = case_for_view(case, options=options)
    if options.view != "hearing":
        return chart_scenes(shown, options=options).chart
    room: float | None = None
    try:
        from .render.pdf import hearing_room, make_fetcher
        from .render.pdfdraw import scene_images

        fetcher = make_fetcher(None)
        with scene_images(fetcher.scenes):
            room = hearing_room(shown, options=replace(options, format="pdf"), fetcher=fetcher)
    except ImportError:  # no WeasyPrint: the HTML report's reserve
        room = None
    return one_page_chart(shown, options=replace(options, page="A4"), room=room).chart


def render_case(case: Case, options: RenderOptions) -> bytes:
    """Render a validated case to the bytes of the chosen format."""
    if options.view == "child":  # the child's own story: its own allow-listed projection and pages
        from .childview import render_child

        return render_child(case, options)

    from .limits import check_report, check_reviews
    from .standards import load_standards

    check_report(case, fmt=options.format, view=options.view)
    check_reviews(case, load_standards(options.standards, case.jurisdiction).reviews)
    module = importlib.import_module(_RENDERERS[options.format])
    data: bytes = module.render(case, options=options)
    return data
