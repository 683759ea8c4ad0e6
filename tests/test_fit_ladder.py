"""The fit ladder's shortcuts (layout and serve stages): a level of `layout.layout` whose floor is taller than
the room is not laid out, and the workspace measures a hearing page's room once. Both must leave every
output as it was: each test compares against the same work done without the shortcut."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from timeline.chart import draw
from timeline.chart.layout import DEFAULT_POLICY, layout_floor, layout_pass
from timeline.chart.metrics import default_metrics
from timeline.chart.prepare import facts_for
from timeline.io.read import load_case, load_text
from timeline.model.case import Case
from timeline.pipeline import RenderOptions, render_case
from timeline.report.content import chart_scenes
from timeline.report.pages import chart_budget
from timeline.scene.items import Scene
from timeline.scene.theme import COMPACT, DEFAULT_THEME, printable_width_px

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402
from test_serve import ORIGIN, app, client, clock, upload  # noqa: E402, F401  (the workspace's fixtures)

SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))


@cache
def synthetic(n_events: int) -> Case:
    return load_text(synth.case_yaml(n_events), f"synth-{n_events}.yaml").case


def drawn(case: Case, monkeypatch: pytest.MonkeyPatch, *, floors: bool) -> tuple[Scene, int]:
    """The page-1 chart of the full report on A4 (`chart_scenes`, which calls `layout` with the page's room)
    and how many full layouts (`chart.draw.chart`) it took; without `floors`, every level is laid out, as
    before the shortcut."""
    calls = 0
    chart = draw.chart

    def counted(ctx: Any) -> Any:
        nonlocal calls
        calls += 1
        return chart(ctx)

    with monkeypatch.context() as m:
        m.setattr(draw, "chart", counted)
        if not floors:
            m.setattr(draw, "floor", lambda ctx, limit=float("inf"): float("-inf"))
        scene = chart_scenes(case, options=RenderOptions(page="A4")).chart
    return scene, calls


@pytest.mark.parametrize(("n_events", "before", "after"), [(1000, 1 + COMPACT.levels + 1, 1), (300, 15, 10)])
def test_levels_that_cannot_fit_are_not_laid_out(monkeypatch: pytest.MonkeyPatch, n_events: int, before: int,
                                                 after: int) -> None:
    """1,000 events fit at no level: before, the plain layout and every compact level were laid out (the
    tightest returned); now only the tightest is. 300 events fit at a tight level, whose free height is then
    spent on tiers (9 more layouts; a lane that could not grow is not asked again): the looser levels are
    skipped. The chart is the same."""
    case = synthetic(n_events)
    old, old_calls = drawn(case, monkeypatch, floors=False)
    new, new_calls = drawn(case, monkeypatch, floors=True)
    assert (old_calls, new_calls) == (before, after)
    assert new == old


@pytest.mark.parametrize("path", [*SAMPLES[:3], None], ids=lambda p: p.stem if p else "synth-60")
def test_a_case_that_fits_is_drawn_as_before(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> None:
    """Where some level fits (and its free height is spent on tiers), the answer is the same scene, and no
    more layouts are made than before."""
    case = load_case(path).case if path is not None else synthetic(60)
    old, old_calls = drawn(case, monkeypatch, floors=False)
    new, new_calls = drawn(case, monkeypatch, floors=True)
    assert new == old
    assert new_calls <= old_calls


@pytest.mark.parametrize("name", [*(p.stem for p in SAMPLES), "synth-300"])
def test_the_floor_is_never_above_the_height(name: str) -> None:
    """`layout_floor` (the fit ladder's `chart.draw.floor`) is a lower bound of the height at every compact
    level, split or not, with and without the title block, whether it stops early (a room) or lays out every
    lane (no room)."""
    case = synthetic(300) if name == "synth-300" else load_case(ROOT / "samples" / f"{name}.yaml").case
    options = RenderOptions(page="A4")
    facts = facts_for(case, options)
    width = printable_width_px(options.page)
    room = chart_budget(options)
    themes = [(DEFAULT_THEME, DEFAULT_POLICY, False),
              *((DEFAULT_THEME.compact(level), DEFAULT_POLICY.compact(level), True)
                for level in range(COMPACT.levels + 1))]
    for theme, policy, split in themes:
        for title_block in (True, False):
            args: dict[str, Any] = {"facts": facts, "theme": theme, "policy": policy, "metrics": default_metrics(),
                                    "width": width, "title_block": title_block, "split": split}
            height = layout_pass(case, **args).scene.height
            assert layout_floor(case, **args) <= height, (split, title_block)
            assert layout_floor(case, **args, limit=room) <= height, (split, title_block)
            if split:  # legend and key in the appendix: only the line on what was shortened is left out
                assert layout_floor(case, **args) > height - 80, "the floor with every lane laid out is near the height"


def test_the_workspace_measures_a_hearing_page_once(client: Any) -> None:  # noqa: F811
    """An edit of a label leaves the hearing page (its header and words) as it was: the preview after it uses
    the room already measured, and is still byte for byte the download; another page is measured anew."""
    rooms = client.application.extensions["timeline_rooms"]
    r = upload(client, ROOT / "samples" / "chronology.csv")
    assert r.status_code == 201, r.json
    cid = r.json["id"]
    url = f"/api/cases/{cid}/timeline.svg?view=hearing&partial=1&pages=1"
    assert client.get(url).status_code == 200
    assert rooms.measured == 1
    e = client.open(f"/api/cases/{cid}/events/3", method="PATCH", json={"label": "Moved to a new carer"},
                    headers={"Origin": ORIGIN})
    assert e.status_code == 200, e.json
    preview = client.get(url).data
    assert rooms.measured == 1  # the same page: its room is remembered
    case = load_text(client.get(f"/api/cases/{cid}/case.yaml").get_data(as_text=True)).case
    assert any(e.label == "Moved to a new carer" for e in case.events)  # the edit was made
    assert preview == render_case(case, RenderOptions(view="hearing", as_drawn=True))
    other = upload(client, ROOT / "samples" / "chronology.csv", name="Bethany Catriona Macleod-Henderson")
    assert other.status_code == 201
    assert client.get(f"/api/cases/{other.json['id']}/timeline.svg?view=hearing&partial=1&pages=1").status_code == 200
    assert rooms.measured == 2  # another header: measured
