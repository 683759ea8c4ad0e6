"""The run-chart rule engine (timeline/cohort/rules.py) on hand-worked series."""

from __future__ import annotations

import pytest

from timeline.cohort.rules import PRESETS, RUNS_TABLE, RuleSet, analyse, median, preset, qbinom


def rules_of(analysis: object) -> list[tuple[str, int, int]]:
    return [(s.rule, s.first, s.last) for s in analysis.signals]  # type: ignore[attr-defined]


def test_ihi_shift_skips_points_on_the_median() -> None:
    # 13 values, median 5 (the middle one). Indexes 0-6: six below and one on the median (index 3): the
    # point on it neither breaks nor counts, so 0..6 is a shift of 6 below. Then five above: no shift.
    values = [1, 2, 3, 5, 2, 1, 3, 9, 8, 9, 8, 9, 5]
    assert median(values) == 5
    a = analyse(values, PRESETS["ihi"])
    assert a.useful == 11  # the two 5s are not useful observations
    assert [r for r in rules_of(a) if r[0] == "shift"] == [("shift", 0, 6)]
    # The same with the point on the median counted as breaking the run: no shift (3 + 3 below).
    strict = analyse(values, preset("ihi", shift_on_centre="break"))
    assert [r for r in rules_of(strict) if r[0] == "shift"] == []


def test_ihi_five_below_is_not_a_shift() -> None:
    values = [1, 2, 3, 2, 1, 9, 8, 9, 8, 9, 1, 9]
    a = analyse(values, preset("ihi", trend=None, runs_table=False))
    assert rules_of(a) == []  # runs of 5 below and 5 above: one short of 6


def test_ihi_trend_counts_repeated_values_once() -> None:
    # 1 2 2 3 4 5: five distinct rising points (the repeat is skipped) -> a trend of 5, indexes 0..5.
    values = [1, 2, 2, 3, 4, 5, 4, 4, 6, 2]
    a = analyse(values, preset("ihi", shift=None, runs_table=False))
    assert rules_of(a) == [("trend", 0, 5)]


def test_ihi_trend_of_four_distinct_points_is_not_a_signal() -> None:
    values = [1, 2, 2, 3, 4, 1, 5, 1, 5, 1]  # 1 2 3 4 distinct: 4 points only
    a = analyse(values, preset("ihi", shift=None, runs_table=False))
    assert rules_of(a) == []


def test_mdc_trend_is_broken_by_equal_neighbours() -> None:
    values = [1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 1, 2, 3]  # 1-4 (4 points), then 4..9 (6 points)
    a = analyse(values, preset("mdc", shift=None, limits=None, two_of_three=None, min_points=1))
    assert [r for r in rules_of(a) if r[0] == "trend"] == []
    a7 = analyse([*values[:4], 5, 6, 7, 8, 9, 10], preset("mdc", shift=None, limits=None, two_of_three=None,
                                                        min_points=1))
    assert ("trend", 0, 9) in rules_of(a7)


def test_runs_table_edges() -> None:
    # 10 useful points alternating around the median: 10 runs, above the table's 9 -> too many runs.
    alternating = [1, 9, 1, 9, 1, 9, 1, 9, 1, 9]
    a = analyse(alternating, preset("ihi", shift=None, trend=None))
    assert a.runs == 10 and rules_of(a) == [("too_many_runs", 0, 9)]
    # 9 runs is the upper limit itself: no signal.
    nine = [1, 9, 1, 9, 1, 9, 1, 9, 9, 1]  # runs: 1|9|1|9|1|9|1|99|1 = 9
    a9 = analyse(nine, preset("ihi", shift=None, trend=None))
    assert a9.runs == 9 and rules_of(a9) == []
    # Two runs of five: 2 runs, below the lower limit 3 -> too few; three runs is the limit: none.
    two = [1, 1, 1, 1, 1, 9, 9, 9, 9, 9]
    assert rules_of(analyse(two, preset("ihi", shift=None, trend=None))) == [("too_few_runs", 0, 9)]
    three = [1, 1, 1, 9, 9, 9, 9, 9, 1, 1]
    a3 = analyse(three, preset("ihi", shift=None, trend=None))
    assert a3.runs == 3 and rules_of(a3) == []
    assert RUNS_TABLE[10] == (3, 9) and RUNS_TABLE[28] == (10, 20) and 27 not in RUNS_TABLE


def blocks(low: list[int], high: list[int]) -> list[int]:
    """Runs of 1s and 9s, alternating, low first: the lengths of each side's runs, in order."""
    out: list[int] = []
    for k in range(max(len(low), len(high))):
        out += [1] * (low[k] if k < len(low) else 0) + [9] * (high[k] if k < len(high) else 0)
    return out


def test_runs_table_edges_at_the_top_of_the_verified_sizes() -> None:
    rules = preset("ihi", shift=None, trend=None)
    # 28 useful points (14 ones, 14 nines: median 5, none on it); table: 10 to 20 runs.
    ten = blocks([3, 3, 3, 3, 2], [3, 3, 3, 3, 2])
    nine = blocks([3, 3, 3, 3, 2], [4, 4, 3, 3])
    twenty = blocks([2, 2, 2, 2, 1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 1, 1, 1, 1, 1, 1])
    twenty_one = blocks([2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 1, 1, 1, 1, 1, 1])
    for values, runs, signal in ((ten, 10, []), (nine, 9, [("too_few_runs", 0, 27)]), (twenty, 20, []),
                                 (twenty_one, 21, [("too_many_runs", 0, 27)])):
        a = analyse(values, rules)
        assert len(values) == 28 and a.useful == 28 and a.runs == runs and rules_of(a) == signal, runs
    # 26 useful points (13 ones, 13 nines): 9 to 19 runs; 19 is the limit, 20 too many.
    nineteen = blocks([2, 2, 2, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 1, 1, 1, 1, 1])
    twenty26 = blocks([2, 2, 2, 1, 1, 1, 1, 1, 1, 1], [2, 2, 2, 1, 1, 1, 1, 1, 1, 1])
    assert len(nineteen) == len(twenty26) == 26
    assert analyse(nineteen, rules).runs == 19 and rules_of(analyse(nineteen, rules)) == []
    assert analyse(twenty26, rules).runs == 20 and rules_of(analyse(twenty26, rules)) == [("too_many_runs", 0, 25)]
    # 27 useful points (29 values, median 5, two on it): not in the verified table, so not judged (the note
    # says so), however many runs.
    a27 = analyse([*([9, 1] * 13), 9, 5, 5], rules)
    assert a27.useful == 27 and a27.runs == 27 and rules_of(a27) == []
    assert any("no verified table entry for 27" in n for n in a27.notes)


def test_runs_rule_not_applied_outside_the_verified_table() -> None:
    values = [1, 9] * 14 + [2, 5]  # 30 values, median 3.5: 30 useful points, not in the verified table
    a = analyse(values, preset("ihi", shift=None, trend=None))
    assert a.useful == 30 and rules_of(a) == []
    assert any("no verified table entry for 30" in n for n in a.notes)


def test_fewer_points_than_the_minimum_apply_no_rule() -> None:
    a = analyse([1, 2, 3, 4, 5, 6, 7, 8, 9], PRESETS["ihi"])
    assert rules_of(a) == [] and a.notes == ("fewer than 10 points: no rule applied",)


@pytest.mark.parametrize(("n", "long_limit", "crossing_limit"),
                         [(10, 6, 2), (12, 7, 3), (20, 7, 6), (24, 8, 8), (30, 8, 10), (50, 9, 19)])
def test_anhoej_limits_match_the_published_values(n: int, long_limit: int, crossing_limit: int) -> None:
    import math

    assert round(math.log2(n) + 3) == long_limit
    assert qbinom(0.05, n - 1) == crossing_limit


def test_anhoej_long_run_and_few_crossings() -> None:
    # 12 distinct values, median 6.5: six below then six above. Longest run 6 is not > 7; 1 crossing < 3.
    values = [1, 2, 3, 4, 5, 6, 7, 20, 21, 22, 23, 24]
    a = analyse(values, PRESETS["anhoej"])
    assert a.longest_run == 6 and a.crossings == 1
    assert rules_of(a) == [("few_crossings", 0, 11)]
    # 16 rising values, median 8.5: runs of 8 and 8, longer than round(log2(16) + 3) = 7; 1 crossing < 4.
    b = analyse(list(range(1, 17)), PRESETS["anhoej"])
    assert rules_of(b) == [("long_run", 0, 7), ("long_run", 8, 15), ("few_crossings", 0, 15)]
    assert qbinom(0.05, 15) == 4


def test_mdc_limits_and_shift_broken_by_a_point_on_the_mean() -> None:
    # Baseline of 13 points, mean 10, moving ranges all 2 -> limits 10 +/- 5.32.
    base = [9, 11] * 6 + [9]
    a = analyse([*base, 16], preset("mdc"), baseline=13)
    assert a.centre == pytest.approx(10 - 1 / 13)  # 13 points: seven 9s and six 11s
    assert a.upper == pytest.approx(a.centre + 2.66 * 2)
    assert ("outside_limits", 13, 13) in rules_of(a)
    # Six below, one on the mean, six below: the point on the mean breaks it (no 7 in a row).
    rs = RuleSet("t", centre="mean", shift=7, shift_on_centre="break", min_points=1)
    values = [1, 1, 1, 1, 1, 1, 4, 1, 1, 1, 1, 1, 1, 16, 16, 16]
    assert sum(values) / len(values) == 4
    assert [r for r in rules_of(analyse(values, rs)) if r[0] == "shift"] == []
    skipping = RuleSet("t", centre="mean", shift=7, shift_on_centre="skip", min_points=1)
    assert [r for r in rules_of(analyse(values, skipping)) if r[0] == "shift"] == [("shift", 0, 12)]


def test_mdc_lower_limit_never_below_zero() -> None:
    a = analyse([0, 30, 0, 30, 0, 30, 0, 30, 0, 30, 0, 30, 0], preset("mdc"))
    assert a.lower == 0.0


def test_baseline_sets_the_centre() -> None:
    a = analyse([10, 12, 11, 13, 10, 12, 11, 13, 10, 12, 40, 41, 42], PRESETS["ihi"], baseline=10)
    assert a.centre == 11.5
