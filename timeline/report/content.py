"""Report stage (content): what the printable report holds, view by view -- header, chart, summary,
chronology -- as a laid-out `Report` (frozen parts and scenes, `report.parts`) for a renderer to write.

The views of issue 6 are chosen here: `full` (the report), `hearing` (one plain-language page for a
Children's Hearing) and `training` (an anonymised copy with a banner on every page). The sentences are
`report.prose`'s, the page geometry `report.pages`'; writing HTML, PDF or PNG is `render/`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..chart.prepare import facts_for, shown_case
from ..model.case import Case
from ..model.vocabulary import load_vocabulary
from ..options import RenderOptions
from .pages import HEARING_PAGE, chart_budget, key_page_height_px, scaled_width
from .parts import Drawing, Report, ReportError, ResearchItem
from .prose import (
    chronology_rows,
    court_summary,
    header_for,
    hearing_paragraph,
    key_figures_for,
    left_out_sentence,
    report_title,
    scaled_note,
    summary_for,
)

if TYPE_CHECKING:
    from ..facts.compute import Facts
    from ..scene.items import Scene

LANG = "en-GB"
TEMPLATE = "report.html.j2"
RESEARCH = "research.yaml"
TRAINING_BANNER = "Case example - fictionalised"
BASE_COLUMNS = 5  # date, age, kind, type, label; note and source are added when any event has one


# ----------------------------------------------------------------------------------------------- resources


def templates_dir() -> Path:
    """The folder of templates: `timeline/templates` in an installed wheel, `../templates` in a source tree.

    The wheel force-includes the top-level `templates/` folder as `timeline/templates`; an editable install
    runs from the source tree, where it sits beside the package.
    """
    packaged = Path(str(resources.files("timeline").joinpath("templates")))
    if (packaged / TEMPLATE).is_file():
        return packaged
    source = Path(__file__).resolve().parents[2] / "templates"
    if (source / TEMPLATE).is_file():
        return source
    raise ReportError("the report templates are missing from this installation; reinstall child-timeline")


@cache
def research_items(jurisdiction: str = "scotland") -> tuple[ResearchItem, ...]:
    """The research context of the case's jurisdiction (its vocabulary's `research` word names the file)."""
    file = load_vocabulary(jurisdiction).words.get("research", RESEARCH)
    raw = yaml.safe_load((templates_dir() / file).read_text(encoding="utf-8"))
    source = str(raw["source"])
    return tuple(ResearchItem(text=str(t), source=source) for t in raw["figures"])


# ----------------------------------------------------------------------------------------------- chart


@dataclass(frozen=True, slots=True)
class Charts:
    """The report's drawings as scenes: the chart, the legend-and-key pages after it, and how it fits."""

    chart: Scene
    keys: tuple[Scene, ...]
    room: float  # px the chart may take on page 1; a taller chart is drawn smaller (`Drawing.width`)
    left_out: str | None = None  # hearing view: what gave way, in words


def one_page_chart(case: Case, *, options: RenderOptions, room: float | None = None,
                   facts: Facts | None = None) -> Charts:
    """The hearing view's chart: one scene holding the chart, its legend and the key to every number in it,
    no taller than `room` px (the PDF renderer measures it; else `chart_budget`).

    Unlike the full report the key never leaves the page, as a number whose meaning is on no page is
    useless. A case too big for every step of the one-page ladder gets its tightest candidate, drawn smaller
    to fit the page (its note says so), never clipped and never spread over pages. `facts`: those `prepare`
    made (computed here when not given).
    """
    from ..chart.layout import fit_one_page
    from ..chart.metrics import default_metrics
    from ..scene.theme import DEFAULT_THEME, printable_width_px

    budget = chart_budget(options) if room is None else room
    facts = facts if facts is not None else facts_for(case, options)
    fitted = fit_one_page(case, facts=facts, theme=DEFAULT_THEME,
                          metrics=default_metrics(), width=printable_width_px(options.page), max_height=budget)
    return Charts(fitted.scene, (), budget, fitted.left_out or None)


def chart_scenes(case: Case, *, options: RenderOptions, facts: Facts | None = None) -> Charts:
    """The chart laid out to fit page 1 at full size, and its legend and key (as many page-sized canvases as
    they need) when they had to move out of it; all at the printable width of the page, so drawn at 100%
    their text prints at 9 pt or more. `facts`: those `prepare` made (computed here when not given)."""
    from ..chart.prepare import scene_for

    room = chart_budget(options)
    scene = scene_for(case, replace(options, format="svg", width=None), title_block=False, max_height=room,
                      page_height=key_page_height_px(options.page), facts=facts)
    return Charts(scene, scene.appendix, room)


def drawing(scene: Scene, *, alt: str, prefix: str, room: float | None = None) -> Drawing:
    """One scene as the report holds it, drawn smaller to fit `room` px when it is taller."""
    return Drawing(scene, alt, None if room is None else scaled_width(scene.height, room), prefix)


# ----------------------------------------------------------------------------------------------- views


def case_for_view(case: Case, *, options: RenderOptions) -> Case:
    """The case a view draws: the training view draws an anonymised copy, the others the case itself
    (`prepare.shown_case`, the one function)."""
    return shown_case(case, options)


@dataclass(frozen=True, slots=True)
class _Drawings:
    """The drawings of one view (none on a measuring pass) and the notes about them."""

    chart: Drawing | None
    keys: tuple[Drawing, ...]
    chart_note: str | None
    left_out: str | None


def _drawings(case: Case, *, options: RenderOptions, chart_room: float | None, measuring: bool,
              facts: Facts) -> _Drawings:
    """The chart and its page-sized legend and key, as the report embeds them (`drawing`); a measuring
    pass draws none and reserves the longest note of what gave way instead."""
    if measuring:
        from ..chart.policy import ONE_PAGE_STEPS

        return _Drawings(None, (), None, left_out_sentence(max((step.words for step in ONE_PAGE_STEPS), key=len)))
    name = case.child.name
    charts = (chart_scenes(case, options=options, facts=facts) if options.view != "hearing"
              else one_page_chart(case, options=options, room=chart_room, facts=facts))
    chart_alt = f"Timeline of {name}'s journey against age; the chronology lists every event."
    chart = drawing(charts.chart, alt=chart_alt, prefix="chart", room=charts.room)
    parts = len(charts.keys)

    def key_alt(n: int) -> str:
        part = f" (part {n} of {parts})" if parts > 1 else ""
        return f"Legend and numbered labels{part} of {name}'s timeline; the chronology lists every event."

    keys = tuple(drawing(scene, prefix=f"key-{n}", alt=key_alt(n))
                 for n, scene in enumerate(charts.keys, start=1))
    return _Drawings(chart, keys, scaled_note(chart.width, view=options.view) if chart.width else None,
                     left_out_sentence(charts.left_out) if charts.left_out else None)


def build_report(case: Case, *, options: RenderOptions, tight: bool = False, chart_room: float | None = None,
                 measuring: bool = False, facts: Facts | None = None) -> Report:
    """The laid-out report for one case and view (the case already anonymised for the training view):
    its parts, its drawings as scenes and its page; a renderer (`render/html.py`) writes it.

    The hearing view draws chart, legend and key as one scene in `chart_room` px (measured by the PDF
    renderer; see `one_page_chart`); `measuring` leaves the chart out and reserves the longest note of what
    gave way, so the renderer can measure what else page 1 holds. `facts` are the case's (`prepare`;
    computed here when not given).
    """
    view = options.view
    page = HEARING_PAGE if view == "hearing" else options.page
    facts = facts if facts is not None else facts_for(case, options)
    full = view != "hearing"
    rows = chronology_rows(case, facts.inferred_end_dates) if full else ()
    drawn = _drawings(case, options=replace(options, page=page),  # type: ignore[arg-type]
                      chart_room=chart_room, measuring=measuring, facts=facts)
    court = court_summary(case, facts) if view == "hearing" else ()
    return Report(
        lang=LANG, title=options.title or report_title(case, view), view=view, page=page,
        page_class=page.lower(), marking=options.marking,
        banner=TRAINING_BANNER if view == "training" else None,
        header=header_for(case), key_figures=key_figures_for(case, facts) if full else (),
        chart=drawn.chart, keys=drawn.keys, chart_note=drawn.chart_note,
        summary=summary_for(case, facts), show_summary=full,
        research=research_items(case.jurisdiction) if full else (),
        paragraph=hearing_paragraph(case, facts) if view == "hearing" and not court else None,
        show_table=full, rows=rows,
        show_notes=any(r.note for r in rows), show_sources=any(r.source for r in rows),
        columns=BASE_COLUMNS + any(r.note for r in rows) + any(r.source for r in rows),
        tight=tight, left_out=drawn.left_out, measuring=measuring, court=court,
        court_title=load_vocabulary(case.jurisdiction).words.get("court_summary_title") if view == "hearing" else None,
    )
