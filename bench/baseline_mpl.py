"""Benchmark peer (render stage, for comparison only): the same chart drawn with matplotlib.

What a competent analyst would write in an afternoon: age on x, one lane per kind, bars for placements
and orders (grouped by colour into one `broken_barh` call each, the fast way), markers for point events
(one `scatter` per kind), the label of every event as text beside it, an "as at" line, age ticks on top
and calendar years beneath, A4 landscape -- and no collision avoidance, no text measuring, no key or
table. It is the floor a dedicated tool should beat on speed, not a model of the output.

matplotlib is a bench-only dependency (`pip install -e '.[bench]'`); the package never imports it.
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display; savefig picks the SVG/PDF backend by format

import matplotlib.pyplot as plt

from timeline.model.case import Case
from timeline.model.vocabulary import load_vocabulary

A4_LANDSCAPE_IN = (11.69, 8.27)
DAYS_PER_YEAR = 365.25
LANES = ("placement", "order", "hearing", "meeting", "milestone", "event")
LANE_MARKERS = {"hearing": "D", "meeting": "o", "milestone": "^", "event": "s"}
BAR_HEIGHT = 0.6
FONT_SIZE = 7
GREY = "#777777"

# Deterministic output (no random ids, no creation date), so the peer does the same work as we do.
matplotlib.rcParams["svg.hashsalt"] = "child-timeline-bench"
matplotlib.rcParams["svg.fonttype"] = "none"  # text as <text>, as ours is (paths would be slower still)
matplotlib.rcParams["pdf.fonttype"] = 42  # embed a TrueType subset, as WeasyPrint does
matplotlib.rcParams["path.simplify"] = True


def _age(born: date, day: date) -> float:
    return (day - born).days / DAYS_PER_YEAR


def draw(case: Case) -> Any:
    """Build the matplotlib figure of a case (the caller saves and closes it)."""
    vocab = load_vocabulary(case.jurisdiction)
    born = case.child.date_of_birth
    as_of = case.as_of_date
    lane_y = {kind: len(LANES) - 1 - i for i, kind in enumerate(LANES)}

    fig, ax = plt.subplots(figsize=A4_LANDSCAPE_IN)
    bars: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    points: dict[str, tuple[list[float], list[float]]] = defaultdict(lambda: ([], []))
    for _, event in case.numbered():
        kind: str = event.kind
        x0 = _age(born, event.first.mid)
        y = float(lane_y[kind])
        if event.is_span:
            end = event.last.mid if event.last is not None else as_of
            colour = vocab.terms[kind][event.type].colour or GREY
            width = max(_age(born, end) - x0, 0.01)
            bars[(kind, colour)].append((x0, width))
            text_y = y
        else:
            xs, ys = points[kind]
            xs.append(x0)
            ys.append(y)
            text_y = y + BAR_HEIGHT / 2
        label = event.label or vocab.terms[kind][event.type].abbr
        ax.text(x0, text_y, label, fontsize=FONT_SIZE, va="center", ha="left", clip_on=True)
    for (lane, colour), spans in bars.items():
        ax.broken_barh(spans, (lane_y[lane] - BAR_HEIGHT / 2, BAR_HEIGHT), facecolors=colour, edgecolor="white")
    for lane, (xs, ys) in points.items():
        ax.scatter(xs, ys, marker=LANE_MARKERS.get(lane, "o"), s=30, c="black", zorder=3)

    end_age = _age(born, as_of)
    ax.axvline(end_age, color="black", linewidth=1.5)
    ax.set_yticks([lane_y[k] for k in LANES], [vocab.kind_labels[k] for k in LANES])
    ax.set_ylim(-0.8, len(LANES) - 0.2)
    ax.set_xlabel("Age (years)")
    ages = range(int(min(0.0, ax.get_xlim()[0])), int(end_age) + 2)
    ax.set_xticks(list(ages), [f"Age {a}" for a in ages])
    ax.xaxis.tick_top()
    born_year = born.year + (born - date(born.year, 1, 1)).days / DAYS_PER_YEAR

    def to_year(age: Any) -> Any:
        return age + born_year

    def to_age(year: Any) -> Any:
        return year - born_year

    years = ax.secondary_xaxis("bottom", functions=(to_year, to_age))
    years.set_xlabel("Year")
    ax.set_title(f"{case.child.name} (born {born.isoformat()}), as at {as_of.isoformat()}", loc="left")
    ax.grid(axis="x", color="#dddddd")
    fig.tight_layout()
    return fig


def render(case: Case, *, fmt: str) -> bytes:
    """The case drawn and saved as `fmt` ('svg' or 'pdf'), in memory."""
    fig = draw(case)
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format=fmt, metadata={"Date": None} if fmt == "svg" else {"CreationDate": None})
    finally:
        plt.close(fig)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """`python bench/baseline_mpl.py CASE OUT.pdf`: what a matplotlib script run from the shell does -- load
    the case file (with the same loader as ours, so both pay for it), draw it, save it. The bench times this
    as a new process beside `timeline render CASE -o OUT.pdf`."""
    import sys
    from pathlib import Path

    from timeline.io.read import load_case

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python bench/baseline_mpl.py CASE OUT.svg|OUT.pdf", file=sys.stderr)
        return 2
    case, out = load_case(args[0]).case, Path(args[1])
    out.write_bytes(render(case, fmt=out.suffix.lstrip(".")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
