"""Characterisation goldens (all stages, end to end): what today's pipeline makes, frozen byte for byte.

The redesign of issue 14 (stages as packages, the layout engine split, renderers that only serialise) must
keep every output identical. For every bundled sample and one 300-event synthetic case this freezes the
chart's scene (its items, its stylesheet and its appendix of legend and key pages) for the A4, A3,
training and hearing budgets and the one-page fit (`fit_one_page`, in the room the PDF renderer measures),
the HTML report of each view, `summary --json` and its text, and the measured hearing room. Only public
functions are called (the pipeline, the report's chart functions, the CLI), so a move of private code
cannot break this test while the output holds.

The files under tests/golden/characterisation/ are written by `pytest --regen-golden` (look at the
pictures first). Two things are stored in a compact form: scenes as JSON Lines (one header line per canvas,
then one line per item, so a difference names its item), and the report's embedded fonts by their SHA-256
(the same bytes in every report; any change to them still fails).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from timeline.cli.commands import main
from timeline.io.read import load_case, load_text
from timeline.model.case import Case
from timeline.pipeline import RenderOptions, hearing_room, render_case, view_scene
from timeline.render.svg import scene_to_svg
from timeline.report.content import chart_scenes
from timeline.scene.items import Scene

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "characterisation"
SAMPLES = sorted(p.stem for p in (ROOT / "samples").glob("*.yaml"))
SYNTH = "synth-300"
CASES = [*SAMPLES, SYNTH]
SEED = "characterisation"  # the training view's seed: its pseudonym and date shift are fixed

# The chart budgets of the printed views (`report.chart_budget`): page, view.
BUDGETS: dict[str, RenderOptions] = {
    "a4": RenderOptions(page="A4"),
    "a3": RenderOptions(page="A3"),
    "training": RenderOptions(view="training", seed=SEED),
    "hearing": RenderOptions(view="hearing"),
}
SYNTH_BUDGETS = ("a4",)  # the 300-event case: one budget per output keeps the files small
VIEWS = ("full", "hearing", "training")
FONT_URI = re.compile(r"data:font/ttf;base64,([A-Za-z0-9+/=]+)")
STYLE = re.compile(r"<style[^>]*><!\[CDATA\[(.*?)\]\]></style>", re.S)
DEFS = re.compile(r"<defs>(.*?)</defs>", re.S)


# ---------------------------------------------------------------- the synthetic case


def synthetic_case_yaml(n_events: int = 300, *, seed: int = 14) -> str:
    """A fictional case file of `n_events` events, the same text for the same (n, seed): a chain of
    placements, overlapping orders, the steps to permanence in order, hearings, meetings and life events, a
    few approximate dates and planned events after the as-at date. Nothing here is about a real child."""
    rng = random.Random(f"child-timeline-characterisation:{n_events}:{seed}")
    born = date(2009, 5, 21)
    start = born + timedelta(days=40)
    span = 5800
    as_of = start + timedelta(days=span)
    events: list[dict[str, Any]] = []

    def day(offset: int, fuzzy: bool = True) -> str:
        when = start + timedelta(days=offset)
        if fuzzy and rng.random() < 0.05:
            return f"{when.year:04d}-{when.month:02d}" if rng.random() < 0.5 else f"{when.isoformat()}~"
        return when.isoformat()

    n_place, n_order, n_mile = 30, 30, 12
    cuts = [0, *sorted(rng.sample(range(1, span), n_place - 1)), span]
    places = ("foster", "kinship", "residential", "home", "adoptive", "foster")
    for i in range(n_place):
        ev: dict[str, Any] = {"kind": "placement", "type": rng.choice(places), "start": day(cuts[i], False),
                              "label": f"Carers {chr(ord('A') + i % 26)}"}
        if i < n_place - 1:
            ev["end"] = day(cuts[i + 1], False)
        events.append(ev)
    for _ in range(n_order):
        typ = rng.choice(("icso", "cso", "cso", "s25", "cpo", "cp_register", "po", "kco"))
        a = rng.randrange(span // 2 if typ in ("po", "kco") else 0, span)
        ev = {"kind": "order", "type": typ, "start": day(a)}
        if a + 300 < span:
            ev["end"] = day(a + rng.randrange(20, 300), False)
        ev["label"] = rng.choice(("CSO", "ICSO continued", "CSO varied: contact", "Register"))
        events.append(ev)
    steps = ("looked_after", "permanence_recommended", "permanence_panel", "adm_decision", "application_lodged",
             "final_order")
    for i, offset in enumerate(sorted(rng.randrange(0, span) for _ in range(n_mile))):
        typ = steps[i % len(steps)]
        ev = {"kind": "milestone", "type": typ, "date": day(offset), "label": typ.replace("_", " ").capitalize()}
        if typ == "permanence_recommended":
            ev["route"] = rng.choice(("adoption", "kinship", "permanence_order", "home"))
        events.append(ev)
    kinds = {"hearing": ("childrens_hearing", "review_hearing", "grounds_hearing", "court"),
             "meeting": ("laac_review", "cp_planning_meeting", "ird", "permanence_planning"),
             "event": ("school", "health", "family", "contact", "worker_change", "other")}
    for _ in range(n_events - n_place - n_order - n_mile):
        kind = rng.choice(("hearing", "meeting", "meeting", "event", "event", "hearing"))
        ev = {"kind": kind, "type": rng.choice(kinds[kind])}
        if rng.random() < 0.02:
            ev["date"] = (as_of + timedelta(days=rng.randrange(1, 120))).isoformat()
            ev["status"] = "planned"
        else:
            ev["date"] = day(rng.randrange(0, span))
        ev["label"] = rng.choice(("Review: no change", "Contact reduced", "New social worker", "Dental check",
                                  "Started school", "LAAC review", "Grounds accepted"))
        if rng.random() < 0.2:
            ev["note"] = "Fictional note: the entry a practitioner would write about this event."
            ev["source"] = "SW chronology"
        events.append(ev)
    events.sort(key=lambda e: str(e.get("start", e.get("date")))[:10])
    data = {"version": 1, "child": {"name": "Sample Three-Hundred", "date_of_birth": born.isoformat(),
                                    "ref": "S-0300"},
            "jurisdiction": "scotland", "as_of": as_of.isoformat(), "events": events}
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200)
    return f"# Synthetic case ({n_events} events, seed {seed}) for the characterisation goldens; fictional.\n{body}"


def case_path(stem: str, folder: Path) -> Path:
    """The case file of `stem`: a bundled sample, or the synthetic case written into `folder`."""
    if stem != SYNTH:
        return ROOT / "samples" / f"{stem}.yaml"
    path = folder / f"{SYNTH}.yaml"
    if not path.exists():
        path.write_text(synthetic_case_yaml(), encoding="utf-8")
    return path


@cache
def the_case(stem: str) -> Case:
    if stem == SYNTH:
        return load_text(synthetic_case_yaml(), f"{SYNTH}.yaml").case
    return load_case(ROOT / "samples" / f"{stem}.yaml").case


# ---------------------------------------------------------------- serialising what is frozen


SAME = "same as the canvas above"


def scene_lines(scene: Scene, *, label: str, above: dict[str, str | None] | None = None) -> list[str]:
    """One canvas as JSON Lines: a header (size, title, description, the stylesheet and defs the SVG writes;
    `SAME` when they are those of the canvas above), then one line per item; its appendix canvases follow,
    each with its own header."""
    above = {} if above is None else above
    data = scene.to_json_data()
    items = data.pop("items")
    svg = str(scene_to_svg(scene, standalone=False))
    style = STYLE.search(svg)
    defs = DEFS.search(svg)
    for key, value in (("style", style.group(1) if style else None),
                       ("defs", STYLE.sub("", defs.group(1)) if defs else None)):
        data[key] = SAME if key in above and above[key] == value else value
        above[key] = value
    data["canvas"] = label
    lines = [json.dumps(data, ensure_ascii=False, sort_keys=True)]
    lines += [json.dumps(item, ensure_ascii=False, sort_keys=False, separators=(",", ":")) for item in items]
    for n, part in enumerate(scene.appendix, start=1):
        lines += scene_lines(part, label=f"{label} appendix {n}", above=above)
    return lines


def compact_html(html: str) -> str:
    """The report with each embedded font replaced by the SHA-256 of its bytes (the same in every report)."""
    return FONT_URI.sub(lambda m: "data:font/ttf;sha256," + hashlib.sha256(m.group(1).encode()).hexdigest(), html)


def check_golden(name: str, text: str, regen: bool, *, folder: Path = GOLDEN) -> None:
    """Compare `text` with the golden file `name` byte for byte; on a difference, name the file and the
    first line that differs."""
    golden = folder / name
    if regen:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(text.encode("utf-8"))
        return
    assert golden.exists(), f"no golden file {_shown(golden)}; look at the output, then pytest --regen-golden"
    want = golden.read_bytes().decode("utf-8")
    if text == want:
        return
    got_lines, want_lines = text.splitlines(keepends=True), want.splitlines(keepends=True)
    pairs = enumerate(zip(got_lines, want_lines, strict=False), start=1)
    n = next((k for k, (a, b) in pairs if a != b), min(len(got_lines), len(want_lines)) + 1)
    got_text = got_lines[n - 1] if n <= len(got_lines) else "<end of output>"
    want_text = want_lines[n - 1] if n <= len(want_lines) else "<end of file>"
    pytest.fail(f"{_shown(golden)} differs from the output at line {n}:\n"
                f"  golden: {want_text[:300]!r}\n  output: {got_text[:300]!r}", pytrace=False)


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def budgets_for(stem: str) -> list[str]:
    return list(SYNTH_BUDGETS) if stem == SYNTH else list(BUDGETS)


# ---------------------------------------------------------------- the goldens


@pytest.mark.parametrize("stem", CASES)
def test_budgeted_chart_scenes(stem: str, regen_golden: bool) -> None:
    """The page-1 chart (legend and key in its appendix when they left it) at each view's budget."""
    case = the_case(stem)
    lines: list[str] = []
    above: dict[str, str | None] = {}
    for budget in budgets_for(stem):
        options = BUDGETS[budget]
        if options.view == "hearing":  # the hearing budget as a plain height budget (`layout.layout`)
            scene = chart_scenes(case, options=options).chart
        else:
            scene = view_scene(case, RenderOptions(view=options.view, page=options.page, seed=options.seed,
                                                   as_drawn=True))
        lines += scene_lines(scene, label=budget, above=above)
    check_golden(f"{stem}.budgets.jsonl", "\n".join(lines) + "\n", regen_golden)


@pytest.mark.parametrize("stem", CASES)
def test_one_page_chart_scene(stem: str, regen_golden: bool) -> None:
    """The hearing view's one canvas of chart, legend and key (`fit_one_page`) in the measured room."""
    pytest.importorskip("weasyprint")
    scene = view_scene(the_case(stem), RenderOptions(view="hearing", as_drawn=True))
    check_golden(f"{stem}.one-page.jsonl", "\n".join(scene_lines(scene, label="one-page")) + "\n", regen_golden)


@pytest.mark.parametrize("stem", CASES)
def test_hearing_room(stem: str, regen_golden: bool) -> None:
    """The room (px) the PDF renderer measures for the hearing view's chart on its one page."""
    pytest.importorskip("weasyprint")
    room = hearing_room(the_case(stem), RenderOptions(view="hearing"))
    check_golden(f"{stem}.hearing-room.txt", f"{room!r}\n", regen_golden)


def _views(stem: str) -> list[str]:
    return ["full", "hearing"] if stem == SYNTH else list(VIEWS)


REPORTS = [(stem, view) for stem in CASES for view in _views(stem)]


@pytest.mark.parametrize(("stem", "view"), REPORTS, ids=[f"{s}-{v}" for s, v in REPORTS])
def test_html_report(stem: str, view: str, regen_golden: bool) -> None:
    """The self-contained HTML report of each view (the training view with a fixed seed; the 300-event case
    keeps one training output, its chart scene)."""
    options = RenderOptions(format="html", view=view, seed=SEED)  # type: ignore[arg-type]
    html = render_case(the_case(stem), options).decode("utf-8")
    check_golden(f"{stem}.{view}.html", compact_html(html), regen_golden)


@pytest.mark.parametrize("stem", CASES)
def test_summary(stem: str, regen_golden: bool, tmp_path: Path) -> None:
    """`timeline summary` and `timeline summary --json` as the command line prints them."""
    path = case_path(stem, tmp_path)
    runner = CliRunner()
    for flag, suffix in (([], "summary.txt"), (["--json"], "summary.json")):
        result = runner.invoke(main, ["summary", str(path), *flag])
        assert result.exit_code == 0, result.output
        check_golden(f"{stem}.{suffix}", result.output, regen_golden)


def test_the_synthetic_case_is_deterministic_and_valid() -> None:
    """The generator gives the same text every time, with exactly 300 events that validate."""
    text = synthetic_case_yaml()
    assert text == synthetic_case_yaml()
    case = load_text(text, f"{SYNTH}.yaml").case
    assert len(case.events) == 300


def test_a_difference_names_the_file_and_line(tmp_path: Path) -> None:
    """The comparison fails on one changed byte and says where."""
    (tmp_path / "x.txt").write_text("a\nb\nc\n", encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match=r"x\.txt differs from the output at line 2"):
        check_golden("x.txt", "a\nB\nc\n", False, folder=tmp_path)
    with pytest.raises(pytest.fail.Exception, match=r"line 4"):
        check_golden("x.txt", "a\nb\nc\nd\n", False, folder=tmp_path)
    check_golden("x.txt", "a\nb\nc\n", False, folder=tmp_path)  # identical: passes
