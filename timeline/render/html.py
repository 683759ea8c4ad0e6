"""Render stage (HTML): the report as one self-contained HTML file -- inline CSS, inline SVG, font as data: URI.

The same template and stylesheet as the PDF, so printing it from a browser gives the same layout; nothing
in it refers to another file or to the network, so it can be e-mailed or attached to case papers alone.
"""

from __future__ import annotations

from ..chart.prepare import Prepared
from ..model.case import Case
from ..options import RenderOptions
from ..report.content import report_html


def render(case: Case, *, options: RenderOptions, prepared: Prepared | None = None) -> bytes:
    """Pipeline entry point: the report (in the chosen view) as UTF-8 HTML bytes, from what `prepare` made."""
    return report_html(case, options=options, target="html", prepared=prepared).encode("utf-8")
