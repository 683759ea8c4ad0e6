"""Layout stage (entry): what one render draws -- the case as its view shows it, its facts, its chart scene.

Every renderer starts here, once: `prepare` picks the case a view draws (an anonymised copy for the training
view), reads the standards (a `--standards` file once) and computes the facts once; the report, the PDF
renderer's two passes and the chart then receive those instead of computing them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.case import Case
from ..options import RenderOptions

if TYPE_CHECKING:
    from ..facts.compute import Facts
    from ..facts.standards import Standards
    from ..scene.items import Scene


@dataclass(frozen=True, slots=True)
class Prepared:
    """What the stages before layout made for one render: the case as the view shows it, and its facts."""

    case: Case  # anonymised for the training view, else the case given
    facts: Facts


def shown_case(case: Case, options: RenderOptions) -> Case:
    """The case a view draws: an anonymised copy for the training view, else the case itself."""
    if options.view != "training":
        return case
    from ..model.anonymise import anonymise

    return anonymise(case, seed=options.seed)


def facts_for(case: Case, options: RenderOptions, *, standards: Standards | None = None) -> Facts:
    """The facts stage's measures of `case`: with `standards` when given, else the standards file (and bank
    holiday list) the options name (read now), else the bundled targets of the case's jurisdiction."""
    from ..facts.compute import compute_facts
    from ..facts.standards import standards_for

    if standards is None:
        standards = standards_for(options.standards, case.jurisdiction, options.holidays)
    return compute_facts(case, standards=standards)


def prepare(case: Case, options: RenderOptions, *, standards: Standards | None = None) -> Prepared:
    """The case as `options.view` shows it and its facts, each made once for the whole render."""
    shown = shown_case(case, options)
    return Prepared(shown, facts_for(shown, options, standards=standards))


def scene_for(case: Case, options: RenderOptions, *, title_block: bool = True, max_height: float | None = None,
              page_height: float | None = None, facts: Facts | None = None) -> Scene:
    """The laid-out chart of `case`: facts, theme and font metrics wired into the layout stage.

    The width is `options.width`, else the printable width of `options.page` (landscape, 96 dpi), so that
    the smallest text prints at 9 pt. `title_block=False` leaves out the name block (reports have their own).
    `max_height` (px) is the room the chart has, e.g. on a report's page 1: the layout tightens and moves its
    legend and key to `Scene.appendix` (canvases at most `page_height` tall) to fit rather than shrink the
    text (see `layout.layout`). `facts` are those `prepare` made (computed here when not given).
    """
    from ..scene.theme import DEFAULT_THEME, printable_width_px
    from .layout import layout
    from .metrics import default_metrics

    if facts is None:
        facts = facts_for(case, options)
    width = options.width if options.width else printable_width_px(options.page)
    return layout(case, facts=facts, theme=DEFAULT_THEME, metrics=default_metrics(), width=width,
                  title_block=title_block, max_height=max_height, page_height=page_height)
