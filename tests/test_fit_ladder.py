"""The fit ladders' shortcuts (layout and serve stages): a level of `layout.layout` whose floor is taller than
the room is not laid out, nor a one-page candidate that cannot fit or cannot be the shortest, and the
workspace measures a hearing page's room once. All must leave every output as it was: each test compares
against the same work done without the shortcut."""

from __future__ import annotations

import sys
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from timeline.chart import draw, fit
from timeline.chart.layout import (
    DEFAULT_POLICY,
    ONE_PAGE_KEY_FORMS,
    ONE_PAGE_STEPS,
    OnePage,
    fit_one_page,
    layout_floor,
    layout_pass,
)
from timeline.chart.legend import legend
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


@pytest.mark.parametrize(("n_events", "before", "after"), [(1000, 1 + COMPACT.levels + 1, 1), (300, 14, 9)])
def test_levels_that_cannot_fit_are_not_laid_out(monkeypatch: pytest.MonkeyPatch, n_events: int, before: int,
                                                 after: int) -> None:
    """1,000 events fit at no level: before, the plain layout and every compact level were laid out (the
    tightest returned); now only the tightest is. 300 events fit at a tight level, whose free height is then
    spent on tiers (8 more layouts; a lane that could not grow is not asked again): the looser levels are
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


# ------------------------------------------------------------------ the one-page ladder's floors


def old_fit_one_page(case: Case, facts: Any, room: float) -> OnePage:
    """The one-page ladder as it was before its floors (2f6cc50), kept here as the reference: the normal
    layout, then the last step's candidates at every compact level laid out whole, the shortest when none
    fits, else the first candidate in ladder order that fits (a chart alone taller than the room rules out
    its key forms), with the same growing and giving back."""
    job = fit.Job(case, facts, default_metrics(), printable_width_px("A4"), False)
    page = fit._Page(job, DEFAULT_THEME, replace(DEFAULT_POLICY, list_combined=True, trim_bottom=True), room)
    done: dict[tuple[int, int], list[OnePage]] = {}

    def candidates(level: int, index: int, whole: bool) -> list[OnePage]:
        if (level, index) not in done:
            look = page.look(level, index)
            ctx, chart = job.drawn(look, page.rules(level, index, ONE_PAGE_KEY_FORMS[0]))
            done[(level, index)] = ([page.named(job.run(look, page.rules(level, index, form)).scene, level, index,
                                                form) for form in ONE_PAGE_KEY_FORMS]
                                    if whole or chart.bottom + ctx.theme.margin <= room else [])
        return done[(level, index)]

    first = page.named(job.run(DEFAULT_THEME, page.policy).scene, 0, 0)
    if first.fits:
        return first
    levels, last = range(1, COMPACT.levels + 1), len(ONE_PAGE_STEPS) - 1
    tightest = [fitted for level in levels for fitted in candidates(level, last, True)]
    if not any(fitted.fits for fitted in tightest):
        return min((first, *tightest), key=lambda fitted: fitted.scene.height)
    for index in range(len(ONE_PAGE_STEPS)):
        for level in levels:
            for fitted in candidates(level, index, False):
                if fitted.fits:
                    return fit._page_grown(page, fitted)
        if index == 0 and candidates(1, index, False):
            form = ONE_PAGE_KEY_FORMS[0]
            scene = job.run(page.look(1, index), page.rules(1, index, form)).scene
            rescued = fit._page_grown(page, page.named(scene, 1, index, form))
            if rescued.scene.height <= room:
                return replace(rescued, fits=True)
    raise AssertionError("unreachable")


@cache
def one_page_case(name: str) -> tuple[Case, Any]:
    """A sample, or "synth-N": the case of N events bench/serve_bench.py edits (seed 1); and its facts."""
    if name.startswith("synth-"):
        case = load_text(synth.case_yaml(int(name.split("-")[1]), seed=1), f"{name}.yaml").case
    else:
        case = load_case(ROOT / "samples" / f"{name}.yaml").case
    return case, facts_for(case, RenderOptions(view="hearing"))


def every_candidate(case: Case, facts: Any) -> list[tuple[tuple[int, int, tuple[int, int]], Any, Scene]]:
    """Every candidate of the one-page ladder laid out: ((level, step, form), its context, its scene)."""
    job = fit.Job(case, facts, default_metrics(), printable_width_px("A4"), False)
    page = fit._Page(job, DEFAULT_THEME, replace(DEFAULT_POLICY, list_combined=True, trim_bottom=True), 0.0)
    out = []
    for candidate in [(0, 0, (0, 0)), *((level, index, form) for index in range(len(ONE_PAGE_STEPS))
                                        for level in range(1, COMPACT.levels + 1) for form in ONE_PAGE_KEY_FORMS)]:
        level, index, form = candidate
        look, rules = page.look(level, index), page.rules(level, index, form)
        out.append((candidate, job.context(look, rules), job.run(look, rules).scene))
    return out


def counting_charts(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    chart = draw.chart

    def counted(ctx: Any) -> Any:
        calls.append(1)
        return chart(ctx)

    monkeypatch.setattr(draw, "chart", counted)
    return calls


WORKSPACE_ROOMS = {"synth-60": 577.81, "synth-1000": 557.01}  # the A4 hearing page's room, as the workspace
# measures it for bench/serve_bench.py's cases (WeasyPrint; fixed here so that the test does not need it)
# charts drawn at those rooms: (before the floors, now)
CHARTS_AT_THE_WORKSPACE_ROOM = {"synth-60": (13, 8), "synth-1000": (5, 1)}


@pytest.mark.parametrize("name", ["drifting", "adoption", "kinship", "interim-orders", "synth-60", "synth-1000"])
def test_the_one_page_ladder_chooses_as_before(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """At rooms where the answer changes (each candidate's height and just below it), the workspace's room, a
    tiny and a roomy one: the ladder with its floors gives what the ladder without them gave -- the same
    candidate, scene, words and fit -- and never draws more charts. At the workspace's rooms it draws 8 charts
    where it drew 13 (60 events: the free height spent on tiers) and 1 where it drew 5 (1,000 events: no
    candidate fits)."""
    case, facts = one_page_case(name)
    heights = sorted({round(scene.height + d, 2) for _, _, scene in every_candidate(case, facts) for d in (0.0, -0.01)})
    rooms = {100.0, 5000.0, *heights[:: max(1, len(heights) // (3 if name == "synth-1000" else 8))], heights[0],
             heights[1], WORKSPACE_ROOMS.get(name, 560.0)}
    for room in sorted(rooms):
        with monkeypatch.context() as m:
            calls = counting_charts(m)
            old = old_fit_one_page(case, facts, room)
            old_calls = len(calls)
            calls.clear()
            new = fit_one_page(case, facts=facts, theme=DEFAULT_THEME, metrics=default_metrics(),
                               width=printable_width_px("A4"), max_height=room)
            new_calls = len(calls)
        assert new == old, room
        assert new_calls <= old_calls, room
        if room == WORKSPACE_ROOMS.get(name):
            assert new.scene.to_json() == old.scene.to_json()
            assert (old_calls, new_calls) == CHARTS_AT_THE_WORKSPACE_ROOM[name]


@pytest.mark.parametrize("name", ["drifting", "home", "english-care-proceedings", "synth-60", "synth-300"])
def test_the_one_page_floors_are_never_above_the_height(name: str) -> None:
    """`chart.draw.floor` with the key beneath the chart (the one-page ladder's) is a lower bound of every
    candidate's height, whether it lays out every lane or stops early at a room; without the key, of the
    chart alone. With every lane laid out it is the height but for the legend's rows past its first."""
    case, facts = one_page_case(name)
    for candidate, ctx, scene in every_candidate(case, facts):
        full = draw.floor(ctx, key=True)
        chart = draw.chart(ctx)
        legend_rows = legend(ctx, chart.needs, 0.0)[1] - ctx.theme.lane_gap
        assert full <= scene.height, candidate
        assert full >= scene.height - (legend_rows - ctx.theme.legend_row) - 0.02, candidate
        for limit in (scene.height - 200, scene.height - 20, scene.height):
            assert draw.floor(ctx, limit, key=True) <= scene.height, (candidate, limit)
        assert draw.floor(ctx, key=False) <= chart.bottom + ctx.theme.margin, candidate
