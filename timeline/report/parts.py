"""Report stage (parts): the frozen parts of a laid-out report -- header, figures, summary, chronology rows,
drawings -- and the report that holds them, for a renderer (`render/html.py`) to write.

User text in them is plain text (the renderer's template escapes it); a drawing is its scene, never SVG.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..scene.items import Scene


class ReportError(Exception):
    """The report cannot be built (for example a view whose helper module is missing); plain message."""


@dataclass(frozen=True, slots=True)
class Header:
    """Who and when, printed at the top of page 1."""

    name: str
    ref: str | None
    date_of_birth: str
    as_of: str
    age: str


@dataclass(frozen=True, slots=True)
class Figure:
    """One labelled value of the summary (value already in words)."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class MilestoneLine:
    """One milestone to permanence with its status against the target."""

    name: str
    date: str
    target: str
    status: str
    status_class: str


@dataclass(frozen=True, slots=True)
class Summary:
    """The summary box: key figures, milestones and flags in words, all from the facts stage."""

    figures: tuple[Figure, ...]
    milestones: tuple[MilestoneLine, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ResearchItem:
    """A research figure shown for context, never as a fact about the child."""

    text: str
    source: str


@dataclass(frozen=True, slots=True)
class Row:
    """One chronology table row (one event), every value already formatted."""

    number: int
    event_id: str
    date: str
    age: str
    kind: str
    type_name: str
    label: str
    note: str
    source: str
    planned: bool


@dataclass(frozen=True, slots=True)
class Drawing:
    """One drawing of the report: its scene (the renderer writes it: inline SVG, or an image for the PDF),
    its alt text, its width and the prefix of its ids."""

    scene: Scene
    alt: str
    width: str | None  # a CSS percentage when drawn smaller than full size to fit its page, else None
    prefix: str  # starts the ids of its title, desc and patterns when inlined ("key-2-title")


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the template needs; user text in it is plain text (the template escapes it)."""

    lang: str
    title: str
    view: str
    page: str
    page_class: str
    marking: str | None
    banner: str | None
    header: Header
    key_figures: tuple[Figure, ...]
    chart: Drawing | None  # None on the hearing view's measuring pass
    keys: tuple[Drawing, ...]  # the legend and numbered key, page-sized, when they left the chart
    chart_note: str | None  # says so when the chart is drawn smaller than full size to fit its page
    summary: Summary
    show_summary: bool
    research: tuple[ResearchItem, ...]
    paragraph: str | None
    show_table: bool
    rows: tuple[Row, ...]
    show_notes: bool  # the Note column, left out when no event has a note (e.g. an anonymised case)
    show_sources: bool
    columns: int
    tight: bool  # kept for callers of the earlier API; the hearing view no longer drops its key
    left_out: str | None  # hearing view: what gave way so that chart, key and words fit one page
    measuring: bool  # a measuring pass: page 1 without its chart, to find the chart's room
    court: tuple[Figure, ...] = ()  # hearing view, where the jurisdiction's words name a court summary
    court_title: str | None = None
