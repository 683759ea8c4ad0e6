"""Theme (layout stage data): every colour, pattern, size and spacing the chart uses, in one place.

Layout and renderers read numbers from here and nowhere else, so a change of look is a change of data.
Colours are Okabe-Ito (safe for the common colour-vision deficiencies) and each placement type also has a
pattern, so a greyscale photocopy still tells foster care from kinship care. Text sizes are in CSS px at
the default canvas width, which is the printable width of an A4 landscape page at 96 dpi: 12 px there
prints at 9 pt, the smallest size the house rules allow. How the layout gives way to fit a room (label
tiers, numbers, lanes left out, the key's form) is not the look: that is `chart.policy`. A Theme is
hashable (its mappings are compared, not hashed), so what is built from it once can be cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Literal

PageName = Literal["A4", "A3"]

MM_PER_INCH = 25.4
CSS_DPI = 96.0
PT_PER_INCH = 72.0

# Landscape page sizes in mm (width, height) and the margin on every side.
PAGE_SIZES_MM: MappingProxyType[str, tuple[float, float]] = MappingProxyType(
    {"A4": (297.0, 210.0), "A3": (420.0, 297.0)}
)
PAGE_MARGIN_MM = 12.0


def mm_to_px(mm: float) -> float:
    """Millimetres to CSS pixels (96 per inch)."""
    return mm / MM_PER_INCH * CSS_DPI


def printable_width_px(page: str = "A4") -> float:
    """Width inside the margins of a landscape page, in CSS px at 96 dpi (A4: about 1032 px)."""
    width_mm, _ = PAGE_SIZES_MM[page]
    return round(mm_to_px(width_mm - 2 * PAGE_MARGIN_MM), 2)


def printable_height_px(page: str = "A4") -> float:
    """Height inside the margins of a landscape page, in CSS px at 96 dpi."""
    _, height_mm = PAGE_SIZES_MM[page]
    return round(mm_to_px(height_mm - 2 * PAGE_MARGIN_MM), 2)


def printed_pt(size_px: float, *, canvas_width: float, page: str = "A4") -> float:
    """The printed size in points of text `size_px` tall on a canvas scaled to the page's printable width."""
    scale = printable_width_px(page) / canvas_width
    return size_px * scale / CSS_DPI * PT_PER_INCH


@dataclass(frozen=True, slots=True)
class Stage:
    """One age-and-stage band: from `start_years` (inclusive) to `end_years` (None = open-ended)."""

    name: str
    start_years: float
    end_years: float | None


@dataclass(frozen=True, slots=True)
class PatternSpec:
    """A hatching pattern as data: tile size and the strokes (x1, y1, x2, y2) or dots (cx, cy, r) in it."""

    name: str
    size: float
    lines: tuple[tuple[float, float, float, float], ...] = ()
    dots: tuple[tuple[float, float, float], ...] = ()


OKABE_ITO: MappingProxyType[str, str] = MappingProxyType(
    {
        "black": "#000000",
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
    }
)

_PATTERNS: tuple[PatternSpec, ...] = (
    PatternSpec("diagonal", 8.0, lines=((0.0, 8.0, 8.0, 0.0), (-2.0, 2.0, 2.0, -2.0), (6.0, 10.0, 10.0, 6.0))),
    PatternSpec("dots", 7.0, dots=((3.5, 3.5, 1.3),)),
    PatternSpec("cross", 8.0, lines=((0.0, 0.0, 8.0, 8.0), (0.0, 8.0, 8.0, 0.0))),
    PatternSpec("grid", 7.0, lines=((0.0, 0.5, 7.0, 0.5), (0.5, 0.0, 0.5, 7.0))),
    PatternSpec("horizontal", 6.0, lines=((0.0, 3.0, 6.0, 3.0),)),
    PatternSpec("hatch", 6.0, lines=((0.0, 6.0, 6.0, 0.0), (-1.5, 1.5, 1.5, -1.5), (4.5, 7.5, 7.5, 4.5))),
)

# Orders in quieter tones than placements; permanence orders get a strong colour and border.
_ORDER_FILLS: MappingProxyType[str, str] = MappingProxyType(
    {
        "s25": "#E3E3E3",
        "cpo": "#F6C9A8",
        "cao": "#EBDDBE",
        "icso": "#D7D7D7",
        "cso": "#CFCFCF",
        "po": "#8FD3BC",
        "poa": "#8FC3E6",
        "adoption": "#8FC3E6",
        "kco": "#BFE3F7",
        "s11": "#BFE3F7",
        "cp_register": "#F3D7E7",
    }
)


@dataclass(frozen=True, slots=True)
class Theme:
    """All the numbers of the look. Sizes in CSS px; durations in days; ratios plain."""

    font_family: str = "Atkinson Hyperlegible"
    font_fallback: str = "Helvetica, Arial, sans-serif"
    # Text sizes (never below min_text).
    min_text: float = 12.0
    title_size: float = 22.0
    subtitle_size: float = 13.0
    text_size: float = 12.0
    lane_title_size: float = 12.0
    bar_text_size: float = 12.0
    line_gap: float = 1.25  # line height as a multiple of the font size
    # Canvas.
    margin: float = 8.0
    gutter: float = 128.0  # left column for lane titles
    gutter_gap: float = 10.0
    right_pad: float = 16.0  # room for an open bar's arrow past the 'as at' line
    title_gap: float = 12.0
    # Axis rows.
    axis_row: float = 18.0
    tick_len: float = 5.0
    year_strip: float = 20.0
    tick_label_gap: float = 10.0
    month_tick_len: float = 3.0
    # Lanes.
    lane_gap: float = 10.0
    lane_pad: float = 6.0
    placement_bar: float = 30.0
    order_bar: float = 18.0
    sub_row_gap: float = 4.0
    respite_ratio: float = 0.4  # respite overlay height as a share of the placement bar
    marker_row: float = 20.0
    marker_size: float = 12.0
    label_pad: float = 3.0  # padding inside a label's white background and inside bars
    label_gap: float = 6.0  # horizontal space kept free between two labels in one tier
    tier_gap: float = 2.0
    label_max_width: float = 190.0  # wider point labels wrap to two lines
    max_label_lines: int = 2
    lane_title_lines: int = 3
    label_shift: float = 160.0  # px a label may move sideways from its marker to find room (its leader slants)
    min_bar_width: float = 3.0
    arrow_len: float = 10.0
    fuzzy_min: float = 8.0  # width of the faded end of a day date marked ~ or ?
    # Moves and the looked-after bracket.
    move_radius: float = 8.0
    move_row: float = 20.0
    bracket_row: float = 26.0
    bracket_tick: float = 6.0
    # Milestone targets.
    target_tick: float = 8.0
    # Legend and key.
    legend_swatch: float = 14.0
    legend_gap: float = 18.0
    legend_row: float = 22.0
    key_number_width: float = 28.0
    # Axis scale.
    prebirth_max_days: int = 366  # before-birth region is cut to this much; earlier events sit at its edge
    min_span_days: int = 30
    short_span_years: float = 4.0  # below this, month ticks are added
    year_steps: tuple[int, ...] = (1, 2, 5, 10)
    month_steps: tuple[int, ...] = (1, 2, 3, 6)
    stages: tuple[Stage, ...] = (
        Stage("Infancy", 0.0, 1.0),
        Stage("Toddler", 1.0, 3.0),
        Stage("Pre-school", 3.0, 5.0),
        Stage("Primary", 5.0, 12.0),
        Stage("Secondary", 12.0, 16.0),
        Stage("16+", 16.0, None),
    )
    before_birth_name: str = "Before birth"
    before_birth_short: str = "Pre-birth"
    # Colours.
    ink: str = "#1A1A1A"
    muted: str = "#5C5C5C"
    rule: str = "#8C8C8C"
    faint: str = "#D9D9D9"
    background: str = "#FFFFFF"
    label_background: str = "#FFFFFF"
    band_fills: tuple[str, str] = ("#F7F7F7", "#EEEEEE")
    before_birth_fill: str = "#E4E4E4"
    year_fills: tuple[str, str] = ("#FFFFFF", "#F0F0F0")
    as_of_colour: str = "#000000"
    move_colour: str = "#000000"
    overrun_fill: str = "#D55E00"
    late_colour: str = "#D55E00"
    target_colour: str = "#000000"
    hatch_ink: str = "#000000"
    hatch_opacity: float = 0.45
    marker_fills: MappingProxyType[str, str] = field(  # not hashed (a mapping cannot be); still compared
        hash=False, default_factory=lambda: MappingProxyType(
            {
                "hearing": OKABE_ITO["vermillion"],
                "meeting": OKABE_ITO["blue"],
                "milestone": OKABE_ITO["bluish_green"],
                "event": OKABE_ITO["reddish_purple"],
            }
        )
    )
    court_fill: str = OKABE_ITO["black"]
    order_fills: MappingProxyType[str, str] = field(hash=False, default_factory=lambda: _ORDER_FILLS)
    order_default_fill: str = "#D7D7D7"
    placement_default_fill: str = "#BBBBBB"
    patterns: tuple[PatternSpec, ...] = _PATTERNS
    lane_titles: tuple[tuple[str, str], ...] = (
        ("placement", "Where {name} lived"),
        ("order", "Legal status"),
        ("hearing", "Hearings and court"),
        ("meeting", "Meetings and reviews"),
        ("milestone", "Milestones to permanence"),
        ("event", "Life events"),
    )

    def compact(self, level: int) -> Theme:
        """A tighter variant for a height budget: from level 1 the spacing is squeezed and labels keep one line
        (`Policy.compact` gives way on tiers and numbers at the same levels). Text sizes never change."""
        if level <= 0:
            return self
        return replace(
            self,
            axis_row=COMPACT.axis_row,
            lane_gap=COMPACT.lane_gap,
            lane_pad=COMPACT.lane_pad,
            placement_bar=COMPACT.placement_bar,
            order_bar=COMPACT.order_bar,
            sub_row_gap=COMPACT.sub_row_gap,
            marker_row=COMPACT.marker_row,
            tier_gap=COMPACT.tier_gap,
            bracket_row=COMPACT.bracket_row,
            year_strip=COMPACT.year_strip,
            max_label_lines=COMPACT.max_label_lines,
            label_max_width=COMPACT.label_max_width,
            label_shift=COMPACT.label_shift,
        )

    def line_height(self, size: float) -> float:
        """The distance between two baselines of text of `size`."""
        return round(size * self.line_gap, 2)

    def pattern(self, name: str | None) -> PatternSpec | None:
        """The pattern called `name`, or None for 'none' or an unknown name."""
        for spec in self.patterns:
            if spec.name == name:
                return spec
        return None


@dataclass(frozen=True, slots=True)
class CompactSpacing:
    """The spacing `Theme.compact` uses when a chart must fit a height budget (e.g. page 1 of a report).

    Bars stay tall enough for 12 px text (its box is 14.9 px); labels keep one line and a wider box, so a
    tier costs one line height (the tiers per lane at each level are policy: `chart.policy`).
    """

    axis_row: float = 16.0
    lane_gap: float = 4.0
    lane_pad: float = 3.0
    placement_bar: float = 20.0
    order_bar: float = 16.0
    sub_row_gap: float = 2.0
    marker_row: float = 16.0
    tier_gap: float = 1.0
    bracket_row: float = 22.0
    year_strip: float = 18.0
    max_label_lines: int = 1
    label_max_width: float = 260.0
    label_shift: float = 240.0  # a label may sit this far aside from its marker, its leader slanting to it
    levels: int = 4  # compact levels tried, 1..levels


COMPACT = CompactSpacing()


ONE_PAGE_LEGEND_ROW = 16.0  # the one-page view's legend rows, closer together (the 12 px text box is 14.9 px tall)

DEFAULT_THEME = Theme()
