"""Pipeline wiring (used by the CLI and the public API): case -> facts -> layout -> scene -> bytes.

Renderers are imported lazily by format, so an SVG render never pays for WeasyPrint.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from .chart.prepare import Prepared, prepare, shown_case
from .chart.prepare import scene_for as scene_for  # re-exported: the chart of a case (layout stage entry)
from .model.case import Case
from .options import FORMATS as FORMATS  # re-exported with the options: the one list of formats
from .options import Format as Format
from .options import RenderOptions as RenderOptions  # re-exported: the pipeline's public options

if TYPE_CHECKING:
    from types import ModuleType

    from .scene.items import Scene

SUFFIX_FORMATS: dict[str, str] = {
    ".svg": "svg",
    ".json": "scene-json",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".png": "png",
}
RENDERERS: dict[str, str] = {  # format -> the render module that writes it
    "svg": "timeline.render.svg",
    "scene-json": "timeline.render.scenejson",
    "html": "timeline.render.html",
    "pdf": "timeline.render.pdf",
    "png": "timeline.render.png",
}
SCENE_FORMATS = frozenset({"svg", "scene-json"})  # written from one Scene (`serialise`); the rest from the report


def format_for(path: str, explicit: str | None = None) -> str:
    """The output format: the explicit choice, else from the file suffix; ValueError when neither says."""
    if explicit:
        return explicit
    for suffix, fmt in SUFFIX_FORMATS.items():
        if path.lower().endswith(suffix):
            return fmt
    raise ValueError(f"cannot tell the format from '{path}'; use a suffix ({', '.join(SUFFIX_FORMATS)}) or --format")


chart_case = shown_case  # the one function (also `report.content.case_for_view`): the case a view draws


def load_renderer(fmt: str) -> ModuleType:
    """The render module of a format (imported on first use, so an SVG render never pays for WeasyPrint)."""
    return importlib.import_module(RENDERERS[fmt])


def view_scene(case: Case, options: RenderOptions, *, prepared: Prepared | None = None) -> Scene:
    """The chart exactly as `options.view` draws it, so that a fitted chart can be checked: the full and
    training views' page-1 chart (its legend and key pages in `Scene.appendix`), or the hearing view's one
    canvas of chart, legend and key in the room the PDF renderer measures on its page (WeasyPrint needed;
    without it, the room the HTML report reserves). Without `as_drawn`, the stand-alone chart (`scene_for`).
    `prepared` is what `prepare` made for this render (made here when not given)."""
    prepared = prepared if prepared is not None else prepare(case, options)
    if not options.as_drawn:
        return scene_for(prepared.case, options, facts=prepared.facts)
    from .report.content import chart_scenes, one_page_chart

    if options.view != "hearing":
        return chart_scenes(prepared.case, options=options, facts=prepared.facts).chart
    room = hearing_room(case, options, prepared=prepared)
    return one_page_chart(prepared.case, options=replace(options, page="A4"), room=room,
                          facts=prepared.facts).chart


def hearing_room(case: Case, options: RenderOptions, *, prepared: Prepared | None = None) -> float | None:
    """The room (px) the PDF renderer measures for the hearing view's chart, legend and key on its one page;
    None without WeasyPrint (the HTML report then reserves `report.pages.chart_budget`)."""
    prepared = prepared if prepared is not None else prepare(case, options)
    try:
        from .render.pdf import hearing_room as measure
        from .render.pdf import make_fetcher

        room: float = measure(prepared.case, options=replace(options, format="pdf"), fetcher=make_fetcher(None),
                              prepared=prepared)
    except ImportError:  # no WeasyPrint: the HTML report's reserve
        return None
    return room


def with_as_of(case: Case, today: Callable[[], date] = date.today) -> Case:
    """The case with its as-at date explicit: a case built without one (the loader always fills it in) is
    measured as at today, read here once, so that no later stage reads a clock (`Case.as_of_date`)."""
    return case if case.as_of is not None else case.model_copy(update={"as_of": today()})


def render_case(case: Case, options: RenderOptions) -> bytes:
    """Render a validated case to the bytes of the chosen format.

    The as-at date is made explicit (`with_as_of`), the standards are read and the facts computed once
    (`prepare`); the renderer receives them."""
    case = with_as_of(case)
    if options.view == "child":  # the child's own story: its own allow-listed projection and pages
        from .render.story import render_child

        return render_child(case, options)

    from .facts.standards import load_standards, standards_for
    from .model.limits import check_report, check_reviews

    check_report(case, fmt=options.format, view=options.view)
    standards = (standards_for(options.standards, case.jurisdiction, options.holidays)
                 or load_standards(None, case.jurisdiction))
    check_reviews(case, standards.reviews)
    prepared = prepare(case, options, standards=standards)
    module = load_renderer(options.format)
    if options.format in SCENE_FORMATS:
        scene_bytes: bytes = module.serialise(view_scene(case, options, prepared=prepared))
        return scene_bytes
    data: bytes = module.render(case, options=options, prepared=prepared)
    return data
