"""Cohort stage (measures): many children's records -> the cohort figures, and those figures as JSON.

Every number here is a count, a median or a share of per-child facts computed by `timeline.facts.compute` (one
formula in one place); this module only aggregates them. Definitions (docs/cohort.md):

- children: every child read; looked after now: became looked after and not stopped by as_of.
- where they live now: the main placement at as_of of each child looked after now.
- age at becoming looked after, in bands under 1, 1-4, 5-11, 12+ (completed years).
- moves: over children who ever became looked after: the median number of moves, and the share with
  3 or more moves within 12 months at any time (the single-child flag `moves_in_12_months`).
- steps: for each PACE step pair, done (both dated), still waiting (clock running at as_of), the median
  and upper quartile of the days done took (quantiles by linear interpolation, R type 7 / Excel
  QUARTILE.INC), the target, and the share of those done within it (the single-child status "met"), over
  those judged: a step whose dates have no single day and straddle the target (status "undetermined") is
  done and in the median (by its middle day), but neither within nor outside the target (`undetermined`).
- time to legal permanence: Kaplan-Meier from becoming looked after; a child who has not reached it is
  censored at as_of, or when they stopped being looked after.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from .km import KMCurve, kaplan_meier
from .read import ChildRecord, LeftOut
from .rules import Analysis, RuleSet, analyse, preset

SUPPRESS_BELOW = 5  # --share: counts from 1 to 4 are shown as "<5"
SUPPRESSED = "<5"
HIDDEN = "x"  # --share, secondary suppression: hidden so that a "<5" cannot be worked out from a total
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (("under 1", 0, 1), ("1-4", 1, 5), ("5-11", 5, 12),
                                                     ("12+", 12, None))
PLACEMENT_GROUPS: dict[str, str] = {  # placement code -> where they live now
    "home": "at_home", "kinship": "kinship", "foster": "foster", "residential": "residential",
    "secure": "secure", "adoptive": "prospective_adopters", "adoptive_foster_carer": "prospective_adopters",
}
PLACEMENT_NOW_KEYS = ("at_home", "kinship", "foster", "residential", "secure", "prospective_adopters", "other",
                      "not_recorded")
PLACEMENT_NOW_WORDS = {"at_home": "At home with parents", "kinship": "Kinship care", "foster": "Foster care",
                       "residential": "Residential care", "secure": "Secure accommodation",
                       "prospective_adopters": "Prospective adopters", "other": "Other",
                       "not_recorded": "Not recorded"}
REACHED_BY_DAYS = (365, 730, 1095, 1460)
BY_CHOICES = ("entry-year", "age-at-entry", "route", "placement-now")
NO_ROUTE = "no plan recorded"
WAITING_LIST = 15  # children waiting longest, listed


@dataclass(frozen=True, slots=True)
class CohortOptions:
    """What the cohort view is asked for (the CLI's options)."""

    as_of: date
    rules: str = "ihi"
    baseline_to: date | None = None
    by: str | None = None
    share: bool = False
    per: str | None = None  # None: a point per child; "month": the median per month
    names: bool = False


@dataclass(frozen=True, slots=True)
class StepFigures:
    """One PACE step pair across the cohort."""

    after: str
    milestone: str
    done: int
    waiting: int
    median_days: float | None
    upper_quartile_days: float | None
    target_days: int | None
    within_target: float | None  # share of those judged that met the target (unrounded, never suppressed)
    out_of_order: int = 0  # children whose record dates this step before the one it counts from (not counted)
    undetermined: int = 0  # done, but their dates (no single day) cannot tell whether within the target
    judged: int = 0  # done and judged against the target (met or missed): the whole of `within_target`
    met: int = 0  # of those judged, within the target: its part

    def within_target_shown(self, share: bool) -> float | None:
        """`within_target` as the pages and JSON give it (`shown_share`: None when --share would give back a
        small count)."""
        return shown_share(self.met, self.judged, share) if self.target_days is not None else None


Day = date  # `Point.date` names a field: its window's type needs another name


@dataclass(frozen=True, slots=True)
class Point:
    """One point of a run chart: a child (or a month's median) and the days the step took or has taken."""

    ref: str | None
    date: date
    days: float
    open: bool
    n: int = 1  # children behind a month's median
    # the least and most the days can be when the child's dates have no single day ("2019"): `date` and `days`
    # are then counted from middle days, for order and sums only (None: exact, or a month's median)
    days_window: tuple[int, int] | None = None
    date_window: tuple[Day, Day] | None = None  # the days `date` may stand for (no single day recorded)


@dataclass(frozen=True, slots=True)
class RunChart:
    """A step's run chart: points (done in date order, then open ones) and what the rules found."""

    after: str
    milestone: str
    points: tuple[Point, ...]
    closed: int  # the first `closed` points are done; the rules read those
    baseline: int
    analysis: Analysis
    target_days: int | None


@dataclass(frozen=True, slots=True)
class Waiting:
    """A child still waiting for a step."""

    ref: str
    after: str
    milestone: str
    since: date  # a middle day when the record has no single day: for order only
    days: int
    since_words: str = ""  # `since` as the record gives it ("2019", "Jun 2019"), for the page
    since_window: tuple[date, date] | None = None  # the days `since` may stand for (no single day recorded)
    days_window: tuple[int, int] | None = None  # the least and most `days` can be then


@dataclass(frozen=True, slots=True)
class Cohort:
    """Everything the cohort view shows; `to_json` gives the documented object."""

    options: CohortOptions
    records: tuple[ChildRecord, ...]
    left_out: tuple[LeftOut, ...]
    looked_after_now: int
    ever_looked_after: int
    placement_now: dict[str, int]
    age_at_entry: dict[str, int]
    median_placements: float | None
    median_moves: float | None
    moves_flagged: int
    steps: tuple[StepFigures, ...]
    permanence: KMCurve
    permanence_by_route: dict[str, KMCurve]
    run_charts: tuple[RunChart, ...]
    waiting: tuple[Waiting, ...]
    groups: dict[str, tuple[ChildRecord, ...]]
    jurisdiction: str = "scotland"  # whose steps, words and placements the figures use

    def label(self, record: ChildRecord) -> str:
        """How a child is named on the page: the reference, or the name with --names."""
        return record.name if self.options.names else record.ref

    def to_json(self) -> dict[str, Any]:
        """The documented JSON object (docs/cohort.md)."""
        return cohort_json(self)


def quantile(values: Sequence[float], q: float) -> float | None:
    """The q-quantile by linear interpolation between order statistics (R type 7, Excel QUARTILE.INC)."""
    if not values:
        return None
    ordered = sorted(values)
    h = (len(ordered) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (h - lo) * (ordered[hi] - ordered[lo])


def age_band(years: int) -> str:
    """The band of completed years of age at becoming looked after."""
    for name, lo, hi in AGE_BANDS:
        if years >= lo and (hi is None or years < hi):
            return name
    return AGE_BANDS[-1][0]


def placement_group(code: str | None) -> str:
    """Where a child looked after now lives, in the cohort's groups."""
    if code is None:
        return "not_recorded"
    return PLACEMENT_GROUPS.get(code, "other")


def group_of(record: ChildRecord, by: str) -> str:
    """The small-multiple group of a child for --by."""
    if by == "entry-year":
        return str(record.entry.year) if record.entry is not None else "never looked after"
    if by == "age-at-entry":
        years = record.entry_age_years
        return age_band(years) if years is not None else "never looked after"
    if by == "route":
        return record.route or NO_ROUTE
    if by == "placement-now":
        return placement_group(record.placement_now) if record.looked_after_now else "not looked after now"
    raise ValueError(f"unknown grouping '{by}' (use {', '.join(BY_CHOICES)})")


def group_order(name: str) -> tuple[int, int, str]:
    """Groups in a reading order: age bands youngest first, years and placements as written, the rest last."""
    bands = [b for b, _, _ in AGE_BANDS]
    if name in bands:
        return (0, bands.index(name), name)
    if name in PLACEMENT_NOW_KEYS:
        return (0, PLACEMENT_NOW_KEYS.index(name), name)
    if name.isdigit():
        return (0, int(name), name)
    if name in ("never looked after", "not looked after now", NO_ROUTE):
        return (2, 0, name)
    return (1, 0, name)


def permanence_times(records: Sequence[ChildRecord], as_of: date) -> tuple[list[int], list[bool]]:
    """(days, reached) from becoming looked after: to legal permanence, else censored at leaving or as_of."""
    times: list[int] = []
    events: list[bool] = []
    for r in records:
        if r.entry is None:
            continue
        if r.permanence_days is not None:
            times.append(max(0, r.permanence_days))
            events.append(True)
        else:
            until = r.left if r.left is not None else as_of
            times.append(max(0, (until - r.entry).days))
            events.append(False)
    return times, events


def one_jurisdiction(records: tuple[ChildRecord, ...]) -> tuple[str, tuple[ChildRecord, ...], tuple[LeftOut, ...]]:
    """(jurisdiction, its children, the others left out): the steps to permanence differ by jurisdiction, so
    a cohort counts one; the jurisdiction most of its children belong to (the first named on a tie), and a
    child of another is left out with the reason rather than measured against the wrong steps."""
    if not records:
        return "scotland", records, ()
    counts = Counter(r.jurisdiction for r in records)
    chosen = max(counts, key=lambda j: (counts[j], -next(i for i, r in enumerate(records) if r.jurisdiction == j)))
    kept = tuple(r for r in records if r.jurisdiction == chosen)
    other = tuple(LeftOut(r.source, (f"a {r.jurisdiction} case in a cohort of {chosen} children: the steps to "
                                     f"permanence differ, so draw it in a cohort of its own",))
                  for r in records if r.jurisdiction != chosen)
    return chosen, kept, other


def build_cohort(records: Sequence[ChildRecord], left_out: Sequence[LeftOut], options: CohortOptions,
                 *, rules: RuleSet | None = None) -> Cohort:
    """Aggregate the records (in input order) into the cohort's figures."""
    records = tuple(sorted(records, key=lambda r: r.index))
    jurisdiction, records, other = one_jurisdiction(records)
    left_out = (*left_out, *other)
    ruleset = rules if rules is not None else preset(options.rules)
    entered = [r for r in records if r.entry is not None]
    now = [r for r in records if r.looked_after_now]
    where = Counter(placement_group(r.placement_now) for r in now)
    ages = Counter(age_band(r.entry_age_years) for r in entered if r.entry_age_years is not None)
    steps: list[StepFigures] = []
    charts: list[RunChart] = []
    waiting: list[Waiting] = []
    pairs = [(s.after, s.milestone, s.target_days) for s in records[0].steps] if records else []
    for k, (after, milestone, target) in enumerate(pairs):
        done = [(r, r.steps[k]) for r in records if r.steps[k].days is not None and not r.steps[k].waiting]
        open_ = [(r, r.steps[k]) for r in records if r.steps[k].waiting]
        days = [float(s.days) for _, s in done if s.days is not None]
        judged = [s.within_target for _, s in done if s.within_target is not None]
        steps.append(StepFigures(
            after=after, milestone=milestone, done=len(done), waiting=len(open_),
            median_days=quantile(days, 0.5), upper_quartile_days=quantile(days, 0.75), target_days=target,
            within_target=(sum(judged) / len(judged)) if judged else None,
            out_of_order=sum(1 for r in records if r.steps[k].out_of_order),
            undetermined=sum(1 for _, s in done if s.undetermined), judged=len(judged), met=sum(judged)))
        charts.append(_run_chart(after, milestone, target, done, open_, options, ruleset))
        for r, s in open_:
            if s.start is not None and s.days is not None:
                waiting.append(Waiting(r.ref if not options.names else r.name, after, milestone, s.start, s.days,
                                       since_words=s.start_words or "", since_window=s.start_window,
                                       days_window=s.days_window))
    waiting.sort(key=lambda w: (-w.days, w.ref))
    longest: dict[str, Waiting] = {}
    for w in waiting:  # one line per child: the step they have waited longest for
        longest.setdefault(w.ref, w)
    times, events = permanence_times(records, options.as_of)
    by_route: dict[str, KMCurve] = {}
    for route in sorted({r.route or NO_ROUTE for r in entered}):
        chosen = [r for r in entered if (r.route or NO_ROUTE) == route]
        t, e = permanence_times(chosen, options.as_of)
        by_route[route] = kaplan_meier(t, e)
    groups: dict[str, tuple[ChildRecord, ...]] = {}
    if options.by:
        keyed: dict[str, list[ChildRecord]] = {}
        for r in records:
            keyed.setdefault(group_of(r, options.by), []).append(r)
        groups = {k: tuple(keyed[k]) for k in sorted(keyed, key=group_order)}
    return Cohort(
        options=options, records=records, left_out=tuple(left_out), looked_after_now=len(now),
        ever_looked_after=len(entered),
        placement_now={k: where.get(k, 0) for k in PLACEMENT_NOW_KEYS},
        age_at_entry={name: ages.get(name, 0) for name, _, _ in AGE_BANDS},
        median_placements=quantile([float(r.placements) for r in entered], 0.5),
        median_moves=quantile([float(r.moves) for r in entered], 0.5),
        moves_flagged=sum(1 for r in entered if r.moves_flag),
        steps=tuple(steps), permanence=kaplan_meier(times, events), permanence_by_route=by_route,
        run_charts=tuple(charts), waiting=tuple(longest.values())[:WAITING_LIST], groups=groups,
        jurisdiction=jurisdiction,
    )


def _run_chart(after: str, milestone: str, target: int | None, done: list[tuple[ChildRecord, Any]],
               open_: list[tuple[ChildRecord, Any]], options: CohortOptions, ruleset: RuleSet) -> RunChart:
    def who(r: ChildRecord) -> str | None:
        if options.share:
            return None
        return r.name if options.names else r.ref

    closed = sorted((Point(who(r), s.end, float(s.days), False, days_window=s.days_window,
                           date_window=s.end_window) for r, s in done),
                    key=lambda p: (p.date, p.ref or ""))
    if options.per == "month":
        months: dict[date, list[float]] = {}
        for p in closed:
            months.setdefault(p.date.replace(day=1), []).append(p.days)
        closed = [Point(m.strftime("%Y-%m"), m, statistics.median(v), False, len(v)) for m, v in sorted(months.items())]
    baseline = (sum(1 for p in closed if p.date <= options.baseline_to) if options.baseline_to is not None
                else len(closed))
    analysis = analyse([p.days for p in closed], ruleset,
                       baseline=baseline if options.baseline_to is not None else None)
    opened = sorted((Point(who(r), options.as_of, float(s.days), True, days_window=s.days_window) for r, s in open_),
                    key=lambda p: (-p.days, p.ref or ""))
    return RunChart(after, milestone, (*closed, *opened), len(closed), baseline, analysis, target)


# ---------------------------------------------------------------- JSON


def _count(n: int, share: bool) -> int | str:
    return SUPPRESSED if share and 0 < n < SUPPRESS_BELOW else n


def suppress_cells(cells: Mapping[str, int], *, total: int | None) -> dict[str, int | str]:
    """A group of counts for sharing: primary and secondary suppression (docs/cohort.md, "--share").

    Primary: a count from 1 to 4 is shown as "<5". Secondary: when the group's `total` is shown (None: no
    total is shown for it), the hidden cells add up to the total less the cells shown, so a lone "<5"
    could be worked out by subtraction; then the smallest other non-zero counts are hidden too (as "x"),
    smallest first, until at least two cells are hidden and they add up to 5 or more. Zeros stay shown.
    """
    out: dict[str, int | str] = {k: (SUPPRESSED if 0 < n < SUPPRESS_BELOW else n) for k, n in cells.items()}
    hidden = [k for k, v in out.items() if v == SUPPRESSED]
    if not hidden or total is None or 0 < total < SUPPRESS_BELOW:
        return out
    candidates = sorted((n, i, k) for i, (k, n) in enumerate(cells.items()) if k not in hidden and n > 0)
    for _n, _, key in candidates:
        if len(hidden) >= 2 and sum(cells[k] for k in hidden) >= SUPPRESS_BELOW:
            break
        out[key] = HIDDEN
        hidden.append(key)
    return out


def shown(value: int | str) -> bool:
    """A suppressed cell's figures derived from it (medians, shares, curves) are not shown either."""
    return not isinstance(value, str)


@dataclass(frozen=True, slots=True)
class SharedCounts:
    """Every group of counts that adds up to a shown total, as shown (with `--share`: suppressed)."""

    placement_now: dict[str, int | str]  # adds up to looked_after_now
    age_at_entry: dict[str, int | str]  # adds up to the children ever looked after
    groups: dict[str, int | str]  # --by: adds up to the children
    route_children: dict[str, int | str]  # time to permanence by route: adds up to ever looked after
    route_reached: dict[str, int | str]  # adds up to the children who reached legal permanence
    route_at_risk: dict[int, dict[str, int | str]]  # per whole year since looked after: adds up to all at risk


def shared_counts(c: Cohort, years: int = 10) -> SharedCounts:
    """The counts of `c` as its pages and JSON show them: unchanged, or with `--share` suppressed as one."""
    routes = c.permanence_by_route
    if not c.options.share:
        return SharedCounts(dict(c.placement_now), dict(c.age_at_entry), {k: len(v) for k, v in c.groups.items()},
                            {k: v.n for k, v in routes.items()}, {k: v.events for k, v in routes.items()},
                            {yr: {k: v.at_risk(yr * 365) for k, v in routes.items()} for yr in range(years + 1)})
    children = suppress_cells({k: v.n for k, v in routes.items()}, total=(c.permanence.n))
    reached = suppress_cells({k: v.events for k, v in routes.items()}, total=(c.permanence.events))
    for k, v in children.items():  # a route whose children are hidden shows no count of its own
        if not shown(v) and shown(reached[k]) and reached[k] != 0:
            reached[k] = HIDDEN
    at_risk = {}
    for yr in range(years + 1):
        cells = suppress_cells({k: v.at_risk(yr * 365) for k, v in routes.items()},
                               total=(c.permanence.at_risk(yr * 365)))
        for k, v in children.items():
            if not shown(v) and cells[k] != 0:
                cells[k] = HIDDEN
        at_risk[yr] = cells
    return SharedCounts(
        placement_now=suppress_cells(c.placement_now, total=(c.looked_after_now)),
        age_at_entry=suppress_cells(c.age_at_entry, total=(c.ever_looked_after)),
        groups=suppress_cells({k: len(v) for k, v in c.groups.items()}, total=(len(c.records))),
        route_children=children, route_reached=reached, route_at_risk=at_risk)


def shown_share(part: int, whole: int, share: bool) -> float | None:
    """part / whole (4 decimals) as the pages and JSON give it; None when there is nothing to divide, or with
    --share when the share would give a small count back: a share of fewer than 5 children, or one whose
    part or rest is from 1 to 4 (1 of 6 is 0.1667: with the 6 shown, the "<5" is 1 again)."""
    if whole == 0:
        return None
    if share and (whole < SUPPRESS_BELOW or 0 < part < SUPPRESS_BELOW or 0 < whole - part < SUPPRESS_BELOW):
        return None
    return round(part / whole, 4)


def _waiting_json(w: Waiting) -> dict[str, Any]:
    """One child of `waiting_longest`. As in the single-child JSON (`date_window`), a date with no single day
    keeps its middle day in `since` (for order) and gives the days it may stand for in `since_window`, and
    the least and most days in `days_window`, both only when the record has no single day."""
    out: dict[str, Any] = {"ref": w.ref, "from": w.after, "to": w.milestone, "since": w.since.isoformat(),
                           "days": w.days}
    if w.since_window is not None:
        out["since_window"] = [d.isoformat() for d in w.since_window]
    if w.days_window is not None:
        out["days_window"] = list(w.days_window)
    return out


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def reached_by(curve: KMCurve) -> dict[str, float | None]:
    """Share who reached legal permanence by 1, 2, 3 and 4 years (1 - S(t)); None where it is not known:
    nobody followed, or no child followed that long (the curve ends at its last child, censored, before t:
    carrying it on would state a share for years nobody was watched through)."""
    return {str(d): round(1 - curve.survival_at(d), 4) if curve.known_at(d) else None for d in REACHED_BY_DAYS}


def km_small(curve: KMCurve, share: bool) -> bool:
    """--share: a curve of fewer than 5 children, or with 1 to 4 reaching permanence, gives no median, shares
    or line (each step of such a curve is one child, and its height gives the count back)."""
    return share and (curve.n < SUPPRESS_BELOW or 0 < curve.events < SUPPRESS_BELOW)


def _km_json(curve: KMCurve, share: bool, children: int | str | None = None,
             reached: int | str | None = None) -> dict[str, Any]:
    children = _count(curve.n, share) if children is None else children
    small = km_small(curve, share) or not shown(children)
    return {"children": children, "reached": _count(curve.events, share) if reached is None else reached,
            "median_days": None if small else curve.median,
            "median_lower_days": None if small else curve.median_lower,
            "median_upper_days": None if small else curve.median_upper,
            "reached_by": {k: None for k in reached_by(curve)} if small else reached_by(curve)}


def cohort_json(c: Cohort) -> dict[str, Any]:
    """The cohort as the documented JSON object; with --share, counts of 1 to 4 become "<5"."""
    share = c.options.share
    ever = c.ever_looked_after
    counts = shared_counts(c)
    steps = []
    for s in c.steps:
        small = share and s.done < SUPPRESS_BELOW
        within = None if small else s.within_target_shown(share)
        steps.append({"from": s.after, "to": s.milestone, "done": _count(s.done, share),
                      "waiting": _count(s.waiting, share),
                      "median_days": None if small else _num(s.median_days),
                      "upper_quartile_days": None if small else _num(s.upper_quartile_days),
                      "target_days": s.target_days,
                      "within_target": within,
                      "out_of_order": _count(s.out_of_order, share),
                      "undetermined": _count(s.undetermined, share)})
    charts = []
    for rc in c.run_charts:
        a = rc.analysis
        charts.append({
            "step": rc.milestone, "from": rc.after, "rules": a.rules, "per": c.options.per or "child",
            "centre": _num(a.centre), "lower_limit": _num(a.lower), "upper_limit": _num(a.upper),
            "baseline_points": rc.baseline,
            "points": [{"ref": p.ref, "date": p.date.isoformat(), "days": _num(p.days), "open": p.open}
                       | ({"children": _count(p.n, share)} if c.options.per == "month" and not p.open else {})
                       | ({"days_window": list(p.days_window)} if p.days_window is not None else {})
                       | ({"date_window": [d.isoformat() for d in p.date_window]} if p.date_window is not None
                          else {})
                       for p in rc.points],
            "signals": [{"rule": s.rule, "first": s.first, "last": s.last} for s in a.signals],
            "notes": list(a.notes),
        })
    out: dict[str, Any] = {
        "as_of": c.options.as_of.isoformat(),
        "jurisdiction": c.jurisdiction,
        "children": _count(len(c.records), share),
        "left_out": _count(len(c.left_out), share),
        "looked_after_now": _count(c.looked_after_now, share),
        "placement_now": counts.placement_now,
        "age_at_entry": counts.age_at_entry,
        "moves": {"children": _count(ever, share), "median": _num(c.median_moves),
                  "median_placements": _num(c.median_placements),
                  "three_plus_in_12_months": shown_share(c.moves_flagged, ever, share)},
        "steps": steps,
        "time_to_permanence": {**_km_json(c.permanence, share),
                               "by_route": {k: _km_json(v, share, counts.route_children[k],
                                                        counts.route_reached[k])
                                            for k, v in c.permanence_by_route.items()}},
        "run_charts": charts,
        "suppressed": share,
    }
    if c.options.by:
        out["by"] = {"group": c.options.by, "children": counts.groups}
    if not share:
        out["waiting_longest"] = [_waiting_json(w) for w in c.waiting]
        out["problems"] = [{"source": lo.source, "messages": list(lo.messages)} for lo in c.left_out]
    return out
