"""Pipeline options (shared by the stages after io): what one render is asked for.

Its own module below the layout, report and render stages, which all read it, so that none of them needs
the pipeline that wires them together (`timeline.pipeline` re-exports it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Literal, get_args

Format = Literal["svg", "scene-json", "html", "pdf", "png"]
Page = Literal["A4", "A3"]
View = Literal["full", "hearing", "training", "child"]
FORMATS: tuple[str, ...] = get_args(Format)  # the one list of each choice (the CLI offers these)
PAGES: tuple[str, ...] = get_args(Page)
VIEWS: tuple[str, ...] = get_args(View)

HELP: dict[str, str] = {  # each render option's help text (`RenderOptions` field metadata; the CLI prints it)
    "format": "Output format; default: from the suffix of --output.",
    "width": "Chart width in CSS px; default: the printable width of the page at 96 dpi (A4: 1032).",
    "page": "Landscape page size (PDF, HTML, PNG) and the default chart width.",
    "marking": "Protective marking on every page, e.g. OFFICIAL-SENSITIVE (at most 80 characters).",
    "title": "Document title; default 'Timeline: NAME' (at most 200 characters).",
    "view": "full report (default), one-page hearing summary, anonymised training copy, or the child's own story; "
            "with .json or .svg, the chart exactly as that view draws it (default: the stand-alone chart).",
    "dpi": "PNG resolution.",
    "page_range": "PNG pages to write, e.g. 1 or 1-3.",
    "standards": "The path of a standards (targets) file; None: the bundled defaults.",
    "holidays": "The path of a bank holiday list (one YYYY-MM-DD a line) that working days skip; None: the "
                "working-day dates are approximate and say so.",
    "seed": "For --view training: the secret that picks the pseudonym and the date shift (any text; the same "
            "seed gives the same copy). Default: a new random one, printed once.",
    "as_drawn": "SVG / scene JSON: the chart exactly as `view` draws it on its page, not stand-alone.",
}


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Everything a render may be asked for: one place for each option's default, choices (`Page`, `View`,
    `Format`) and help text (`HELP`); the CLI builds its options' choices and help from here."""

    format: str = field(default="svg", metadata={"help": HELP["format"]})
    width: float | None = field(default=None, metadata={"help": HELP["width"]})
    page: Page = field(default="A4", metadata={"help": HELP["page"]})
    marking: str | None = field(default=None, metadata={"help": HELP["marking"]})
    title: str | None = field(default=None, metadata={"help": HELP["title"]})
    view: View = field(default="full", metadata={"help": HELP["view"]})
    dpi: int = field(default=150, metadata={"help": HELP["dpi"]})
    page_range: str | None = field(default=None, metadata={"help": HELP["page_range"]})
    standards: str | None = field(default=None, metadata={"help": HELP["standards"]})
    holidays: str | None = field(default=None, metadata={"help": HELP["holidays"]})
    seed: str | None = field(default=None, metadata={"help": HELP["seed"]})
    as_drawn: bool = field(default=False, metadata={"help": HELP["as_drawn"]})


def option_help(name: str) -> str:
    """The help text of one render option (a field of RenderOptions), as the CLI prints it."""
    found = {f.name: f for f in fields(RenderOptions)}[name]
    return str(found.metadata["help"])
