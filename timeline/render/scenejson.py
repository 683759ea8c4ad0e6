"""Render stage (scene JSON): the laid-out Scene as JSON, the layout's public and testable form.

`{"width", "height", "items": [...]}`; every text item carries its measured box and its text, and every
item that draws an event names the event's contract id.
"""

from __future__ import annotations

from ..model import Case
from ..pipeline import RenderOptions, chart_case, scene_for


def render(case: Case, *, options: RenderOptions) -> bytes:
    """Pipeline entry point: the scene of `case` as UTF-8 JSON bytes."""
    return scene_for(chart_case(case, options), options).to_json().encode("utf-8")
