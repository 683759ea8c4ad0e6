"""Layout stage: (Case, Facts, Theme, Policy, TextMetrics) -> Scene. All geometry of the chart is decided here.

Pure: no I/O, no clock, no randomness; the same case gives the same scene. The x axis is the child's age
(`scale.AgeScale`, the one formula). Lanes come in a fixed order, empty ones left out. Bars that overlap
are packed into sub-rows and point labels into tiers, both by a greedy "first free row" sweep with two
heaps (O(n log n)); labels are measured with the bundled font, so no two labels overlap and none leaves
the canvas. Labels that would need more tiers than the policy allows become small numbers, and their text
goes to a numbered key beneath the chart. `fit_one_page` fits chart, legend and key onto one page
(the hearing view), giving way on the least important content first.

This module is the stage's public entry; the work is done by the units of `timeline.chart` (a frozen
`Context` per pass; lanes, tiers, axis, legend and key that return what they drew; the fit ladders).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.case import Case
from ..scene.items import Scene
from ..scene.theme import Theme
from . import draw
from .context import make_context
from .fit import Job, OnePage, fit_height, fit_one_page, left_out_words, one_page_policy, one_page_theme, run
from .key import key_columns as _key_columns
from .metrics import TextMetrics
from .packing import first_free
from .policy import (
    DEFAULT_POLICY,
    KEY_LINES_MAX,
    ONE_PAGE_KEY_FORMS,
    ONE_PAGE_STEPS,
    OnePageStep,
    Policy,
)
from .sheet import fill_rules, font_families, stylesheet

if TYPE_CHECKING:
    from ..facts.compute import Facts


def layout(case: Case, *, facts: Facts | None, theme: Theme, metrics: TextMetrics, width: float,
           title_block: bool = True, max_height: float | None = None, page_height: float | None = None,
           policy: Policy = DEFAULT_POLICY) -> Scene:
    """Lay out one case as a Scene `width` px wide; the height grows with the content.

    With `max_height` (a report's room for the chart on page 1), text keeps its size -- it must print at
    9 pt -- and the layout gives way instead, first to last until the chart fits: the legend and numbered
    key move to `Scene.appendix` (canvases at most `page_height` tall, so that none is cut at a page's
    foot), spacing tightens, and fewer label tiers per lane turn more labels into numbers. When even the
    tightest layout is taller, that tightest one is returned (the caller decides).
    """
    job = Job(case, facts, metrics, width, title_block)
    if max_height is None:
        return run(job.context(theme, policy)).scene
    return fit_height(job, theme, policy, max_height, page_height)


@dataclass(frozen=True, slots=True)
class LayoutPass:
    """One layout pass at one theme: its scene, and how many labels of each lane kind it drew as numbers."""

    scene: Scene
    numbered: tuple[tuple[str, int], ...]  # (lane kind, labels drawn as numbers), in the order they were drawn


def layout_pass(case: Case, *, facts: Facts | None, theme: Theme, metrics: TextMetrics, width: float,
                title_block: bool = True, split: bool = False, page_height: float | None = None,
                policy: Policy = DEFAULT_POLICY) -> LayoutPass:
    """Exactly one layout run at `theme` and `policy`, without the budget ladder of `layout` or
    `fit_one_page`: what each of their candidates is (tests compare against it). `split` moves the legend
    and numbered key to `Scene.appendix` (canvases at most `page_height` tall), as a budgeted layout does."""
    done = run(make_context(case, facts, theme, policy, metrics, width, title_block, split=split,
                            page_height=page_height))
    return LayoutPass(done.scene, done.tally.numbered)


def layout_floor(case: Case, *, facts: Facts | None, theme: Theme, metrics: TextMetrics, width: float,
                 title_block: bool = True, split: bool = False, policy: Policy = DEFAULT_POLICY,
                 limit: float = float("inf")) -> float:
    """The lower bound of `layout_pass(...).scene.height` that the fit ladder uses to skip a level that cannot
    fit (`chart.draw.floor`); it may stop early once past `limit`."""
    return draw.floor(make_context(case, facts, theme, policy, metrics, width, title_block, split=split), limit)


def key_columns(heights: Sequence[float], cols: int, room: float) -> list[list[int]]:
    """Entry indices per column for one block of the numbered key (entries `heights` px tall, `cols` columns,
    `room` px tall): balanced when they all fit, else filled in turn; [] when not even one fits."""
    return _key_columns(heights, cols, room)


__all__ = ["DEFAULT_POLICY", "KEY_LINES_MAX", "ONE_PAGE_KEY_FORMS", "ONE_PAGE_STEPS", "LayoutPass", "OnePage",
           "OnePageStep", "Policy", "fill_rules", "first_free", "fit_one_page", "font_families", "key_columns",
           "layout", "layout_floor", "layout_pass", "left_out_words", "one_page_policy", "one_page_theme",
           "stylesheet"]
