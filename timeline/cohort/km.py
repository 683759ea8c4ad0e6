"""Cohort stage (measures): Kaplan-Meier estimate of time to an event with censoring, our own small one.

Why our own: lifelines and statsmodels pull in pandas and scipy (hundreds of MB, seconds to import) for a
product and a sum. The formulas (docs/cohort.md):

- S(t) = product over event times t_i <= t of (1 - d_i / n_i), n_i = children still at risk just before
  t_i. Ties: all events at t_i count before the children censored at t_i leave the risk set.
- Greenwood: g(t) = sum of d_i / (n_i (n_i - d_i)); the 95% interval on the log(-log) scale,
  se = sqrt(g) / |ln S|, from S ** exp(+z se) to S ** exp(-z se), z = 1.959964.
- The median is the first t with S(t) <= 0.5; its interval runs from the first t where the interval's
  lower curve is <= 0.5 to the first t where its upper curve is (None: not reached by the data).
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

Z_95 = 1.959964


@dataclass(frozen=True, slots=True)
class KMStep:
    """The estimate just after one time at which at least one event happened."""

    time: int
    at_risk: int
    events: int
    censored: int  # censored at this same time (they leave after the events)
    survival: float
    lower: float | None  # 95% interval of `survival`; None where it is not defined (S = 1)
    upper: float | None


@dataclass(frozen=True, slots=True)
class KMCurve:
    """A whole estimate: the steps, the median and its interval, and the sorted times for at-risk counts."""

    n: int
    events: int
    steps: tuple[KMStep, ...]
    median: int | None
    median_lower: int | None
    median_upper: int | None
    times: tuple[int, ...]

    def survival_at(self, t: float) -> float:
        """S(t): the share not yet reached the event by time t."""
        s = 1.0
        for step in self.steps:
            if step.time > t:
                break
            s = step.survival
        return s

    def known_at(self, t: float) -> bool:
        """Whether S(t) is estimated: someone was followed to t, or every child reached the event before it.

        Past the last time, when that child was censored, the estimate is not defined (a curve carried on
        there would state a share for years no child was followed through)."""
        if not self.times:
            return False
        return t <= self.times[-1] or self.survival_at(t) == 0.0

    def at_risk(self, t: float) -> int:
        """How many are still followed (neither reached nor censored) just before time t."""
        return len(self.times) - bisect_left(self.times, t)


def kaplan_meier(times: Sequence[int], events: Sequence[bool], *, z: float = Z_95) -> KMCurve:
    """The product-limit estimate for `times` (days) where `events[i]` says the event happened (else censored)."""
    if len(times) != len(events):
        raise ValueError("times and events differ in length")
    pairs = sorted(zip(times, events, strict=True))
    ordered = tuple(t for t, _ in pairs)
    n_total = len(pairs)
    steps: list[KMStep] = []
    s = 1.0
    g = 0.0
    at_risk = n_total
    i = 0
    while i < n_total:
        t = pairs[i][0]
        j = i
        d = c = 0
        while j < n_total and pairs[j][0] == t:
            if pairs[j][1]:
                d += 1
            else:
                c += 1
            j += 1
        if d:
            s *= 1 - d / at_risk
            g = g + d / (at_risk * (at_risk - d)) if at_risk > d else math.inf
            steps.append(KMStep(t, at_risk, d, c, s, *_interval(s, g, z)))
        at_risk -= d + c
        i = j
    median = next((st.time for st in steps if st.survival <= 0.5), None)
    lower = next((st.time for st in steps if st.lower is not None and st.lower <= 0.5), None)
    upper = next((st.time for st in steps if st.upper is not None and st.upper <= 0.5), None)
    return KMCurve(n=n_total, events=sum(1 for e in events if e), steps=tuple(steps), median=median,
                   median_lower=lower, median_upper=upper, times=ordered)


def _interval(s: float, g: float, z: float) -> tuple[float | None, float | None]:
    """The log(-log) 95% interval of S given Greenwood's sum g."""
    if s <= 0.0:
        return (0.0, 0.0)
    if s >= 1.0 or math.isinf(g):
        return (None, None)
    se = math.sqrt(g) / abs(math.log(s))
    return (s ** math.exp(z * se), s ** math.exp(-z * se))
