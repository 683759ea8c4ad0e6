"""Cohort stage (measures): a small run-chart rule engine with named presets; every threshold a parameter.

Why our own: the reference tools are R or GPL, and the rules are short. A series of values in date order
(days a step took, one per child or the median per month) is read against a centre line (the median, or
for Making Data Count the mean) of its baseline, and each rule that fires gives a `Signal` naming the
first and last point it covers. The presets follow the published rules (sources in docs/cohort.md):

- `ihi` (Perla, Provost & Murray 2011): points on the median are skipped; a shift is 6 or more points in a
  row on one side; a trend is 5 or more points all rising or all falling, repeated values not counted;
  too few or too many runs by the published table (only where the table is verified, see RUNS_TABLE).
- `anhoej` (Anhøj & Olesen 2014, qicharts2's default): the longest run is longer than round(log2(n) + 3),
  or there are fewer crossings than the binomial 5% limit, qbinom(0.05, n - 1, 0.5).
- `mdc` (NHS Making Data Count, as NHSRplotthedots): the mean as centre; 7 points in a row on one side (a
  point on the mean breaks it); 7 points rising or falling (equal neighbours break it); points beyond the
  mean +/- 2.66 x the mean moving range; 2 of 3 points beyond 2 sigma (1.773 x the mean moving range) on
  the same side. Days are never negative, so the lower limit stops at 0.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

# Perla, Provost & Murray 2011, Table 1: useful points -> (fewest, most) runs expected by chance. Two
# independent transcriptions agree on these; others (27, 29-60) were not verified and are left out, so the
# runs rule is not applied at those sizes (the analysis notes it) rather than applied from a guess.
RUNS_TABLE: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12), 15: (5, 12), 16: (5, 13), 17: (5, 13),
    18: (6, 14), 19: (6, 15), 20: (6, 16), 21: (7, 16), 22: (7, 17), 23: (7, 17), 24: (8, 18), 25: (8, 18),
    26: (9, 19), 28: (10, 20),
}


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Which rules run and every threshold they use; the presets are instances (see PRESETS)."""

    name: str
    centre: Literal["median", "mean"] = "median"
    shift: int | None = None  # points in a row on one side of the centre
    shift_on_centre: Literal["skip", "break"] = "skip"  # a point on the centre: skipped, or ends the run
    trend: int | None = None  # points in a row all rising or all falling
    trend_ties: Literal["skip", "break"] = "skip"  # a repeated value: not counted, or ends the trend
    runs_table: bool = False  # too few or too many runs (RUNS_TABLE)
    long_run: bool = False  # Anhøj: longest run > round(log2(n) + long_run_add)
    long_run_add: float = 3.0
    crossings: bool = False  # Anhøj: crossings < qbinom(crossings_alpha, n - 1, 0.5)
    crossings_alpha: float = 0.05
    limits: float | None = None  # points beyond centre +/- limits x mean moving range
    two_of_three: float | None = None  # 2 of 3 beyond centre +/- this x mean moving range, same side
    lower_bound: float | None = 0.0  # the lower limit is never below this (days are never negative)
    min_points: int = 10  # fewer points than this: no rule is applied


PRESETS: dict[str, RuleSet] = {
    "ihi": RuleSet("ihi", centre="median", shift=6, shift_on_centre="skip", trend=5, trend_ties="skip",
                   runs_table=True, min_points=10),
    "anhoej": RuleSet("anhoej", centre="median", long_run=True, crossings=True, min_points=10),
    "mdc": RuleSet("mdc", centre="mean", shift=7, shift_on_centre="break", trend=7, trend_ties="break",
                   limits=2.66, two_of_three=1.773, min_points=13),
}


@dataclass(frozen=True, slots=True)
class Signal:
    """One rule that fired, over points `first`..`last` (indexes into the series, inclusive)."""

    rule: str  # shift | trend | too_few_runs | too_many_runs | long_run | few_crossings | outside_limits | two_of_three
    first: int
    last: int


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the rules found in one series, with the numbers they were judged by."""

    rules: str
    centre: float | None
    lower: float | None  # control limits (mdc), else None
    upper: float | None
    signals: tuple[Signal, ...]
    useful: int  # points not on the centre line
    runs: int
    crossings: int
    longest_run: int
    notes: tuple[str, ...]


def preset(name: str, **overrides: object) -> RuleSet:
    """A named preset, with any threshold replaced (KeyError for an unknown name)."""
    return replace(PRESETS[name], **overrides)  # type: ignore[arg-type]


def median(values: Sequence[float]) -> float:
    """The middle value (the mean of the two middle values for an even count)."""
    ordered = sorted(values)
    n = len(ordered)
    mid = n // 2
    return float(ordered[mid]) if n % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def qbinom(p: float, size: int) -> int:
    """The smallest x with P(X <= x) >= p for X ~ Binomial(size, 1/2) (R's qbinom), in exact integers."""
    if size <= 0:
        return 0
    whole = 1 << size  # 2**size: every count is comb(size, k) / whole
    need = p * whole
    total = 0
    for x in range(size + 1):
        total += math.comb(size, x)
        if total >= need:
            return x
    return size


def _sides(values: Sequence[float], centre: float) -> list[int]:
    return [1 if v > centre else -1 if v < centre else 0 for v in values]


def _runs_of_sides(sides: Sequence[int], *, on_centre: str) -> list[tuple[int, int, int]]:
    """Runs on one side of the centre as (first index, last index, points); on-centre points skipped or
    ending a run."""
    runs: list[tuple[int, int, int]] = []  # (first, last, length)
    current_side = 0
    first = last = length = 0
    for i, side in enumerate(sides):
        if side == 0:
            if on_centre == "break" and length:
                runs.append((first, last, length))
                current_side, length = 0, 0
            continue
        if side == current_side:
            last, length = i, length + 1
        else:
            if length:
                runs.append((first, last, length))
            current_side, first, last, length = side, i, i, 1
    if length:
        runs.append((first, last, length))
    return runs


def _trends(values: Sequence[float], *, ties: str) -> list[tuple[int, int, int]]:
    """Maximal rising or falling stretches (first index, last index, points counted)."""
    if ties == "skip":  # collapse repeated neighbours to their first point: they neither count nor break
        kept = [i for i, v in enumerate(values) if i == 0 or v != values[i - 1]]
    else:
        kept = list(range(len(values)))
    out: list[tuple[int, int, int]] = []
    start = 0  # position in `kept` where the current stretch starts
    direction = 0
    for k in range(1, len(kept)):
        step = values[kept[k]] - values[kept[k - 1]]
        d = 1 if step > 0 else -1 if step < 0 else 0
        if d != 0 and d == direction:
            continue
        if direction != 0:
            out.append((kept[start], kept[k - 1], k - start))
        start = k - 1 if d != 0 else k
        direction = d
    if direction != 0 and len(kept) > 1:
        out.append((kept[start], kept[-1], len(kept) - start))
    return out


def _centre_and_limits(base: Sequence[float], rules: RuleSet) -> tuple[float, float | None, float | None,
                                                                       float | None]:
    """The centre of the baseline, and (mdc) the limits and the mean moving range they are built from."""
    centre = median(base) if rules.centre == "median" else sum(base) / len(base)
    lower = upper = None
    amr: float | None = None
    if rules.limits is not None or rules.two_of_three is not None:
        ranges = [abs(b - a) for a, b in itertools.pairwise(base)]
        amr = sum(ranges) / len(ranges) if ranges else None
    if rules.limits is not None and amr is not None:
        upper = centre + rules.limits * amr
        lower = centre - rules.limits * amr
        if rules.lower_bound is not None:
            lower = max(lower, rules.lower_bound)
    return centre, lower, upper, amr


def _shape_signals(values: Sequence[float], rules: RuleSet, centre: float, lower: float | None,
                   upper: float | None, amr: float | None) -> list[Signal]:
    """Signals from single points and their neighbours: beyond the limits, trends, 2 of 3 beyond 2 sigma."""
    signals: list[Signal] = []
    if rules.limits is not None and lower is not None and upper is not None:
        signals.extend(Signal("outside_limits", i, i) for i, v in enumerate(values) if v > upper or v < lower)
    if rules.trend is not None:
        signals.extend(Signal("trend", a, b) for a, b, count in _trends(values, ties=rules.trend_ties)
                       if count >= rules.trend)
    if rules.two_of_three is not None and amr is not None:
        high = centre + rules.two_of_three * amr
        low = centre - rules.two_of_three * amr
        for i in range(len(values) - 2):
            window = values[i:i + 3]
            if sum(1 for v in window if v > high) >= 2 or sum(1 for v in window if v < low) >= 2:
                signals.append(Signal("two_of_three", i, i + 2))
    return signals


def _side_signals(sides: Sequence[int], rules: RuleSet, skip_runs: list[tuple[int, int, int]],
                  notes: list[str]) -> list[Signal]:
    """Signals from the runs on each side of the centre: shifts, the runs table, long runs, few crossings.

    A rule that judges the whole series marks it from its first to its last useful point; a size the
    runs table does not hold adds a note rather than a guessed judgement.
    """
    useful = sum(1 for s in sides if s)
    runs = len(skip_runs)
    signals: list[Signal] = []
    if rules.shift is not None:
        shift_runs = skip_runs if rules.shift_on_centre == "skip" else _runs_of_sides(sides, on_centre="break")
        signals.extend(Signal("shift", a, b) for a, b, count in shift_runs if count >= rules.shift)
    if not useful:
        return signals
    first = next(i for i, s in enumerate(sides) if s)
    last = max(i for i, s in enumerate(sides) if s)
    if rules.runs_table:
        limits = RUNS_TABLE.get(useful)
        if limits is None:
            notes.append(f"runs rule not applied: no verified table entry for {useful} points")
        elif runs < limits[0]:
            signals.append(Signal("too_few_runs", first, last))
        elif runs > limits[1]:
            signals.append(Signal("too_many_runs", first, last))
    if rules.long_run:
        limit = round(math.log2(useful) + rules.long_run_add)
        signals.extend(Signal("long_run", a, b) for a, b, count in skip_runs if count > limit)
    if rules.crossings and max(0, runs - 1) < qbinom(rules.crossings_alpha, useful - 1):
        signals.append(Signal("few_crossings", first, last))
    return signals


def analyse(values: Sequence[float], rules: RuleSet, *, baseline: int | None = None) -> Analysis:
    """Apply `rules` to `values` (in date order); the centre and limits come from the first `baseline`
    points (None: all of them). A baseline of 0 points (every point after the baseline date) gives no centre
    and no rule, with a note: a centre taken from the points it is meant to judge them against would be
    the baseline the user did not ask for."""
    n = len(values)
    if not values:
        return Analysis(rules.name, None, None, None, (), 0, 0, 0, 0, ("no points",))
    if baseline == 0:
        return Analysis(rules.name, None, None, None, (), 0, 0, 0, 0,
                        ("no point on or before the baseline date: no centre line, no rule applied",))
    base = list(values[: baseline if baseline is not None else n])
    notes: list[str] = []
    centre, lower, upper, amr = _centre_and_limits(base, rules)
    sides = _sides(values, centre)
    skip_runs = _runs_of_sides(sides, on_centre="skip")
    useful = sum(1 for s in sides if s)
    runs = len(skip_runs)
    crossings = max(0, runs - 1)
    longest = max((r[2] for r in skip_runs), default=0)
    if n < rules.min_points:
        notes.append(f"fewer than {rules.min_points} points: no rule applied")
        return Analysis(rules.name, centre, lower, upper, (), useful, runs, crossings, longest, tuple(notes))
    signals = _shape_signals(values, rules, centre, lower, upper, amr)
    signals += _side_signals(sides, rules, skip_runs, notes)
    return Analysis(rules.name, centre, lower, upper, tuple(signals), useful, runs, crossings, longest, tuple(notes))
