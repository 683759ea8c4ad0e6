"""Kaplan-Meier (timeline/cohort/km.py) against worked textbook examples with ties and censoring."""

from __future__ import annotations

import pytest

from timeline.cohort.km import kaplan_meier

# Freireich et al. (1963) 6-MP arm: weeks in remission, + = censored. Klein & Moeschberger, Survival
# Analysis, Table 4.1A: S(t) and Greenwood standard errors.
SIX_MP = [(6, 1), (6, 1), (6, 1), (6, 0), (7, 1), (9, 0), (10, 1), (10, 0), (11, 0), (13, 1), (16, 1), (17, 0),
          (19, 0), (20, 0), (22, 1), (23, 1), (25, 0), (32, 0), (32, 0), (34, 0), (35, 0)]
TEXTBOOK = [(6, 21, 3, 0.857, 0.0764), (7, 17, 1, 0.807, 0.0869), (10, 15, 1, 0.753, 0.0963),
            (13, 12, 1, 0.690, 0.1068), (16, 11, 1, 0.628, 0.1141), (22, 7, 1, 0.538, 0.1282),
            (23, 6, 1, 0.448, 0.1346)]


def test_six_mp_survival_and_greenwood() -> None:
    curve = kaplan_meier([t for t, _ in SIX_MP], [bool(e) for _, e in SIX_MP])
    assert [(s.time, s.at_risk, s.events) for s in curve.steps] == [(t, n, d) for t, n, d, _, _ in TEXTBOOK]
    g = 0.0
    for step, (_, n, d, surv, se) in zip(curve.steps, TEXTBOOK, strict=True):
        assert step.survival == pytest.approx(surv, abs=6e-4)
        g += d / (n * (n - d))
        assert step.survival * g**0.5 == pytest.approx(se, abs=6e-4)  # Greenwood se of S
    # log(-log) interval at 6 weeks (as R's survfit(conf.type = "log-log")): 0.620 to 0.952.
    assert curve.steps[0].lower == pytest.approx(0.6197, abs=5e-4)
    assert curve.steps[0].upper == pytest.approx(0.9516, abs=5e-4)
    assert curve.median == 23 and curve.median_lower == 13 and curve.median_upper is None
    assert curve.at_risk(10) == 15 and curve.at_risk(36) == 0
    assert curve.survival_at(12.9) == pytest.approx(0.753, abs=6e-4)


def test_ties_events_before_censoring_at_the_same_time() -> None:
    # Hand table: times 2, 2, 2+, 3, 5+; at 2 the two events count with 5 at risk (the censored one leaves
    # after): S = 3/5; at 3, 2 at risk: S = 3/5 * 1/2 = 0.3; the median is 3.
    curve = kaplan_meier([2, 2, 2, 3, 5], [True, True, False, True, False])
    assert [(s.time, s.at_risk, s.events, s.censored) for s in curve.steps] == [(2, 5, 2, 1), (3, 2, 1, 0)]
    assert curve.steps[0].survival == pytest.approx(0.6)
    assert curve.steps[1].survival == pytest.approx(0.3)
    assert curve.median == 3


def test_all_censored_has_no_median() -> None:
    curve = kaplan_meier([10, 20, 30], [False, False, False])
    assert curve.steps == () and curve.median is None and curve.survival_at(100) == 1.0


def test_last_at_risk_reaching_the_event_gives_zero() -> None:
    curve = kaplan_meier([5, 8], [False, True])
    assert curve.steps[-1].survival == 0.0 and curve.median == 8


def test_the_estimate_is_not_known_past_the_last_child_followed() -> None:
    # 6-MP: the longest is 35 weeks, censored: S(34) = 0.448 is estimated, S(40) is not (nobody was followed
    # to 40 weeks). Times 5+, 8: the last child reached the event, so S = 0 holds beyond 8.
    curve = kaplan_meier([t for t, _ in SIX_MP], [bool(e) for _, e in SIX_MP])
    assert curve.known_at(35) and not curve.known_at(36)
    assert kaplan_meier([5, 8], [False, True]).known_at(1000)
    assert not kaplan_meier([], []).known_at(0)
