"""Benchmark of legibility (after the layout stage): how many events show their words on the chart, per view.

For every sample and a few synthetic cases (`bench/synth.py`, 40 and 80 events) and every view, counts the
events of the case, those whose words are on the chart itself (a label, a bar label or a combined label),
those drawn as a number (their words in the key), those drawn as a bare marker (a lane without labels) and
those not drawn (a lane left out). The views measured are the ones the user gets: `standalone` (the SVG or
scene JSON), `full` (page 1 of the report), `training` (page 1 of the anonymised report) and `hearing` (the
one-page view, in the room the PDF renderer measures; needs WeasyPrint).

    python bench/labels.py                 # table on stdout
    python bench/labels.py --json out.json # the same figures as JSON
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timeline.io.read import load_case  # noqa: E402
from timeline.model.case import Case, event_id  # noqa: E402
from timeline.scene.items import Group, Line, Scene, Text  # noqa: E402

VIEWS = ("standalone", "full", "training", "hearing")
SYNTH = ((40, 1), (40, 2), (80, 1), (80, 2))
WORD_CLASSES = ("label", "bar-label", "combined-label")


@dataclass(frozen=True)
class Count:
    """One case in one view: events, and how each is shown."""

    case: str
    view: str
    events: int
    words: int
    numbers: int
    markers: int
    hidden: int
    height: float
    room: float | None

    @property
    def share(self) -> float:
        return 100.0 * self.words / self.events if self.events else 100.0


def count(scene: Scene, case: Case, name: str, view: str, room: float | None = None) -> Count:
    """How each event of `case` shows in `scene`: its words (in its own group or named by a combined label),
    a number, a bare marker, or nothing."""
    words: set[str] = set()
    numbered: set[str] = set()
    drawn: set[str] = set()
    for item, group in scene.walk():
        owner = group.id if group is not None else None
        if isinstance(item, Group) and item.event is not None:
            drawn.add(item.event)
        if isinstance(item, Text) and owner is not None:
            if item.cls in WORD_CLASSES:
                words.add(owner)
            elif item.cls == "key-number":
                numbered.add(owner)
        if isinstance(item, Line) and item.event is not None:
            if item.cls == "leader":
                numbered.add(item.event)  # a number joined to a run ("6–9") draws only its leader
            elif "combined" in item.cls.split():
                words.add(item.event)  # one of the events a combined label with its words stands for
    ids = [event_id(n, e) for n, e in case.numbered()]
    w = sum(1 for i in ids if i in words)
    num = sum(1 for i in ids if i not in words and i in numbered)
    hidden = sum(1 for i in ids if i not in drawn)
    markers = len(ids) - w - num - hidden
    return Count(name, view, len(ids), w, num, markers, hidden, scene.height, room)


def measure(path: Path, name: str, views: tuple[str, ...]) -> list[Count]:
    from timeline.pipeline import RenderOptions, scene_for
    from timeline.report.content import chart_scenes, one_page_chart

    case = load_case(str(path)).case
    out: list[Count] = []
    for view in views:
        options = RenderOptions(format="pdf", view=view if view != "standalone" else "full",  # type: ignore[arg-type]
                                seed="bench" if view == "training" else None)  # one anonymised copy, run to run
        if view == "standalone":
            out.append(count(scene_for(case, options), case, name, view))
        elif view in ("full", "training"):
            from timeline.report.content import case_for_view

            shown = case_for_view(case, options=options)
            charts = chart_scenes(shown, options=options)
            out.append(count(charts.chart, shown, name, view, charts.room))
        else:
            from timeline.render.pdf import hearing_room, make_fetcher

            room = hearing_room(case, options=options, fetcher=make_fetcher(None))
            charts = one_page_chart(case, options=options, room=room)
            out.append(count(charts.chart, case, name, view, room))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    parser.add_argument("--views", default=",".join(VIEWS), help="comma-separated views")
    parser.add_argument("--no-synth", action="store_true", help="samples only")
    args = parser.parse_args(argv)
    views = tuple(v for v in args.views.split(",") if v)
    import tempfile

    sys.path.insert(0, str(ROOT / "bench"))
    from synth import write_case  # type: ignore[import-not-found]

    cases = [(p, p.stem) for p in sorted((ROOT / "samples").glob("*.yaml"))]
    rows: list[Count] = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_synth:
            for n, seed in SYNTH:
                cases.append((write_case(Path(tmp) / f"synth-{n}-{seed}.yaml", n, seed=seed), f"synth-{n}-{seed}"))
        for path, name in cases:
            rows.extend(measure(path, name, views))
    print(f"{'case':<18} {'view':<10} {'events':>6} {'words':>6} {'num':>5} {'mark':>5} {'out':>4} {'words%':>7}"
          f" {'height':>7} {'room':>7}")
    for r in rows:
        room = f"{r.room:7.1f}" if r.room is not None else "      -"
        print(f"{r.case:<18} {r.view:<10} {r.events:>6} {r.words:>6} {r.numbers:>5} {r.markers:>5} {r.hidden:>4}"
              f" {r.share:>6.0f}% {r.height:>7.1f} {room}")
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ | {"share": r.share} for r in rows], indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
