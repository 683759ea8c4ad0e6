"""Render stage (scene JSON): the laid-out Scene as JSON, the layout's public and testable form.

`{"width", "height", "items": [...]}`; every text item carries its measured box and its text, and every
item that draws an event names the event's contract id. With `--view` it is the chart exactly as that view
draws it (`pipeline.view_scene`), with the legend and key pages that follow it under "appendix".
"""

from __future__ import annotations

import json

from ..scene.items import Scene


def serialise(scene: Scene) -> bytes:
    """Pipeline entry point: the chart's scene (`pipeline.view_scene`: as the chosen view draws it, with
    `as_drawn`) as UTF-8 JSON."""
    if not scene.appendix:
        return scene.to_json().encode("utf-8")
    data = scene.to_json_data()
    data["appendix"] = [part.to_json_data() for part in scene.appendix]
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False) + "\n").encode("utf-8")
