"""Report stage (pages): the printed report's page geometry, in one place -- what page 1 holds around the
chart, the room of a legend-and-key page, how a drawing too tall for its room is scaled, and the page
lengths the stylesheets are written with (`css_lengths`), so that no CSS length repeats a constant here.

The page sizes and margin themselves are `scene.theme`'s (`PAGE_SIZES_MM`, `PAGE_MARGIN_MM`): the chart
stage lays out at the printable width too.
"""

from __future__ import annotations

import math
from types import MappingProxyType

from ..options import RenderOptions
from ..scene.theme import PAGE_MARGIN_MM, mm_to_px, printable_height_px

HEARING_PAGE = "A4"  # the hearing view is always one A4 landscape page
# The report's page 1 around the chart (mm of printable height): the header (name, dates, key figures
# table), the training banner, and in the hearing view the "in words" paragraph under the chart.
REPORT_HEADER_MM = 25.0
TRAINING_BANNER_MM = 9.0
HEARING_WORDS_MM = 42.0  # hearing view in HTML only: the PDF renderer measures its page instead
# The PDF renderer's measuring pass for the hearing view (px): the chart's stand-in (report.css
# .r-chart-measure, written from it) and the room kept for rounding between measured boxes and the image.
MEASURE_STAND_IN_PX = 1.0
MEASURE_SAFETY_PX = 1.0
# A chart too tall for its page even at its tightest is drawn smaller; its note beneath (report.css
# .r-chart-note: two lines of 10 pt and the gap above them) is kept out of the chart's room.
SCALED_NOTE_MM = 12.0
# A legend-and-key page (an image cannot break across pages): the page's printable height less the gap
# above the image (report.css .r-chart-key, written from `KEY_GAP_MM`) and a millimetre for rounding.
KEY_GAP_MM = 2.0
KEY_PAGE_RESERVE_MM = KEY_GAP_MM + 1.0
# The child's story prints with a deeper top margin (its running title sits in it); sides and bottom are
# the report's, as its scene is laid out at the same printable width.
CHILD_TOP_MARGIN_MM = 14.0


def _mm(value: float) -> str:
    return f"{value:g}mm"


def css_lengths() -> MappingProxyType[str, str]:
    """The lengths the stylesheets are written with (`$page_margin` in report.css), from the constants."""
    return MappingProxyType({
        "page_margin": _mm(PAGE_MARGIN_MM),
        "child_page_margin": f"{_mm(CHILD_TOP_MARGIN_MM)} {_mm(PAGE_MARGIN_MM)} {_mm(PAGE_MARGIN_MM)} "
                             f"{_mm(PAGE_MARGIN_MM)}",
        "key_gap": _mm(KEY_GAP_MM),
        "measure_stand_in": f"{MEASURE_STAND_IN_PX:g}px",
    })


def chart_budget_px(page: str = "A4", *, reserve_mm: float) -> float:
    """Height left for the chart on page 1, in CSS px at 96 dpi, once `reserve_mm` of other content is set."""
    return round(printable_height_px(page) - mm_to_px(reserve_mm), 2)


def key_page_height_px(page: str = "A4") -> float:
    """The tallest legend-and-key canvas that fits a whole page, in CSS px at 96 dpi."""
    return chart_budget_px(page, reserve_mm=KEY_PAGE_RESERVE_MM)


def chart_budget(options: RenderOptions) -> float:
    """The chart's room on page 1 (px at the page's printable width, so 12 px text prints at 9 pt).

    What else page 1 must hold is reserved by view: the header always, the training banner, and in the
    hearing view the "in words" paragraph beneath the chart (that view is one page).
    """
    reserve = REPORT_HEADER_MM
    if options.view == "training":
        reserve += TRAINING_BANNER_MM
    if options.view == "hearing":
        reserve += HEARING_WORDS_MM
    return chart_budget_px(options.page, reserve_mm=reserve)


def scaled_width(height: float, room: float) -> str | None:
    """The CSS width ("87.5%") that fits a drawing `height` px tall into `room` px, or None if it fits.

    A drawing that must shrink also gives up the room of the note that says so (`SCALED_NOTE_MM`).
    """
    if height <= room:
        return None
    return f"{math.floor((room - mm_to_px(SCALED_NOTE_MM)) / height * 1000) / 10:g}%"
