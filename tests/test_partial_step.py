"""Facts and wording: a step whose own date has no single day ("2016", "c. Apr 2016", "May 2016") is met or
missed only when every day it may stand for says so; else nobody can tell, and nothing says met or missed.

Worked by hand. Looked after 1 Sep 2015; permanence recommended 26 Feb 2016 (within its 6 months, due 1 Mar
2016); the panel's 12 weeks (84 days) fall due 26 Feb + 84 = 20 May 2016. The middle day of "2016" is 1 Jul
2016, which gave "missed by 42 days": the panel may as well have sat in April.
"""

from __future__ import annotations

import json
import re
from datetime import date

from timeline import RenderOptions, compute_facts, load_text, render_case, summary_dict
from timeline.cohort import CohortOptions, build_cohort
from timeline.cohort.read import record_for
from timeline.facts.compute import MilestoneFact, pace_steps, summary_text
from timeline.facts.standards import load_standards
from timeline.model.case import Case

AS_OF = "2018-06-01"


def case(recommended: str, panel: str, as_of: str = AS_OF) -> Case:
    return load_text(f"""\
version: 1
child: {{name: Test, date_of_birth: 2014-03-02}}
as_of: {as_of}
events:
  - {{kind: order, type: cso, start: 2015-09-01}}
  - {{kind: placement, type: foster, start: 2015-09-01}}
  - {{kind: milestone, type: permanence_recommended, date: '{recommended}', route: adoption}}
  - {{kind: milestone, type: permanence_panel, date: '{panel}'}}
""").case


def step(c: Case, code: str = "permanence_panel") -> MilestoneFact:
    return next(m for m in compute_facts(c).milestones if m.type == code)


def as_json(c: Case, code: str = "permanence_panel") -> dict[str, object]:
    milestones = summary_dict(c, compute_facts(c))["milestones"]
    return next(m for m in milestones if m["type"] == code)  # type: ignore[union-attr]


def test_a_year_only_step_straddling_its_target_is_undetermined() -> None:
    """"2016" is 1 Jan to 31 Dec 2016 and the target 20 May 2016 lies inside: neither met nor missed, in the
    facts, the JSON, the summary, the report and the chart."""
    c = case("2016-02-26", "2016")
    m = step(c)
    assert (m.status, m.days_over, m.target_date) == ("undetermined", None, date(2016, 5, 20))
    assert m.date_window == (date(2016, 1, 1), date(2016, 12, 31))
    got = as_json(c)
    assert (got["status"], got["days_over"], got["date_window"]) == ("undetermined", None,
                                                                      ["2016-01-01", "2016-12-31"])
    text = summary_text(c, compute_facts(c))
    row = next(line for line in text.splitlines() if line.strip().startswith("Panel"))
    assert row.endswith("recorded only as 2016: cannot tell whether within the 12-week target (due 20 May 2016)")
    assert "missed" not in row and "42 days" not in row
    html = render_case(c, RenderOptions(format="html")).decode("utf-8")
    assert "Cannot tell whether met: recorded only as 2016" in html
    assert 'r-status-undetermined' in html and "Missed" not in html
    svg = render_case(c, RenderOptions(format="svg")).decode("utf-8")
    assert "20 May 2016: target for Panel (cannot tell whether met: recorded only as 2016)" in svg
    scene = json.loads(render_case(c, RenderOptions(format="scene-json")))
    assert not [i for i in _items(scene["items"]) if i.get("class") == "overrun"
                and i.get("group") == "target-permanence_panel"]  # no time beyond a target not known missed


def test_the_hearing_paragraph_says_it_cannot_be_told() -> None:
    from timeline.report.prose import hearing_paragraph

    c = case("2016-02-26", "2016")
    words = hearing_paragraph(c, compute_facts(c))
    assert "Whether on time cannot be told from the dates recorded: adoption and permanence panel." in words
    assert "Later than the target: adoption" not in words


def test_a_year_only_step_wholly_after_its_target_is_missed_by_a_range() -> None:
    """"2017" is after 20 May 2016 on every day: missed, by 226 days at least (1 Jan 2017) and 590 at most
    (31 Dec 2017); never the middle day's 408."""
    c = case("2016-02-26", "2017")
    m = step(c)
    assert (m.status, m.days_over, m.days_over_range) == ("missed", 226, (226, 590))
    assert as_json(c)["days_over"] == 226
    text = summary_text(c, compute_facts(c))
    assert "missed by between 7 months and 1 year 7 months" in text and "408" not in text
    html = render_case(c, RenderOptions(format="html")).decode("utf-8")
    assert "Missed by between 7 months and 1 year 7 months" in html
    # the time drawn beyond the target ends where the step certainly was late, 1 Jan 2017, as a step on that
    # day would draw it, not at the middle of 2017
    assert _overrun(c) == _overrun(case("2016-02-26", "2017-01-01"))
    assert _overrun(c)[1] < _overrun(case("2016-02-26", "2017-07-02"))[1]


def test_a_c_month_wholly_before_its_target_is_met() -> None:
    """"c. Apr 2016" ends 30 Apr, before 20 May: met, with its window in the JSON and no days."""
    c = case("2016-02-26", "2016-04~")
    m = step(c)
    assert (m.status, m.days_over, m.days_over_range) == ("met", None, None)
    assert as_json(c)["date_window"] == ["2016-04-01", "2016-04-30"]
    row = next(line for line in summary_text(c, compute_facts(c)).splitlines() if line.strip().startswith("Panel"))
    assert row.startswith("  Panel                   c. Apr 2016") and row.endswith("  met")


def test_an_approximate_start_and_an_approximate_step_compare_their_ranges() -> None:
    """Recommended "Feb 2016" (1-29 Feb): the panel falls due 25 Apr to 23 May 2016. A panel in "May 2016"
    (1-31 May) may be either side: undetermined (the middle days, 9 May and 16 May, said missed by 7 days).
    "Jun 2016" is after 23 May on every day: missed by 9 days (1 Jun - 23 May) to 66 (30 Jun - 25 Apr).
    "Mar 2016" ends before 25 Apr: met."""
    may = case("2016-02", "2016-05")
    m = step(may)
    assert (m.status, m.days_over) == ("undetermined", None)
    assert m.due_window == (date(2016, 4, 25), date(2016, 5, 23))
    text = summary_text(may, compute_facts(may))
    assert ("recorded only as May 2016: cannot tell whether within the 12-week target (due between Apr 2016 and "
            "May 2016)") in text
    june = step(case("2016-02", "2016-06"))
    assert (june.status, june.days_over, june.days_over_range) == ("missed", 9, (9, 66))
    assert "missed by between 9 days and 2 months" in summary_text(case("2016-02", "2016-06"),
                                                                   compute_facts(case("2016-02", "2016-06")))
    assert step(case("2016-02", "2016-03")).status == "met"
    # the recommendation itself, "Feb 2016" against 1 Mar 2016: met on every day of February
    assert step(may, "permanence_recommended").status == "met"


def test_an_undated_step_whose_target_straddles_the_as_at_date_is_undetermined() -> None:
    """Panel "2017": the ADM's 14 days fall due 15 Jan 2017 to 14 Jan 2018; at 1 Jan 2018 it may or may not be
    overdue yet."""
    c = case("2016-02-26", "2017", as_of="2018-01-01")
    m = step(c, "adm_decision")
    assert (m.status, m.days_over) == ("undetermined", None)
    assert "cannot tell whether overdue yet (due between Jan 2017 and Jan 2018)" in summary_text(c, compute_facts(c))
    later = step(case("2016-02-26", "2017", as_of="2018-06-01"), "adm_decision")
    assert (later.status, later.days_over_range) == ("overdue", (138, 502))


def test_a_step_known_to_the_day_is_judged_as_before() -> None:
    m = step(case("2016-02-26", "2016-07-01"))
    assert (m.status, m.days_over, m.days_over_range, m.date_window) == ("missed", 42, None, None)
    assert "missed by 42 days" in summary_text(case("2016-02-26", "2016-07-01"),
                                                        compute_facts(case("2016-02-26", "2016-07-01")))


def test_the_cohort_counts_an_undetermined_step_as_done_but_not_judged() -> None:
    """Three children: panel met (Apr 2016, to the day), missed (1 Jul 2016), and "2016": done 3, the share
    within the target is 1 of the 2 that can be judged, and 1 is undetermined."""
    std = load_standards()
    cases = [case("2016-02-26", p) for p in ("2016-04-10", "2016-07-01", "2016")]
    assert [s.undetermined for s in pace_steps(cases[2], compute_facts(cases[2]), standards=std)
            if s.milestone == "permanence_panel"] == [True]
    records = [record_for(c, index=i, source=f"c{i}", standards=std) for i, c in enumerate(cases)]
    cohort = build_cohort(records, [], CohortOptions(as_of=date(2018, 6, 1)))
    panel = next(s for s in cohort.steps if s.milestone == "permanence_panel")
    assert (panel.done, panel.within_target, panel.undetermined) == (3, 0.5, 1)
    assert next(x for x in cohort.to_json()["steps"] if x["to"] == "permanence_panel")["undetermined"] == 1
    from timeline.cohort.layout import layout_cohort
    from timeline.scene.items import Text

    said = " ".join(t.text for t in layout_cohort(cohort)[0].items if isinstance(t, Text))
    assert ("Within target leaves out the steps done whose dates, with no single day, cannot tell whether they were "
            "within it (Permanence recommended to panel: 1).") in said, said[-400:]


def test_england_measures_compare_the_days_a_hearing_may_fall_on() -> None:
    """The CMH is due by day 12 of proceedings (issued 16 Mar 2020: by 27 Mar). Recorded only as "Mar 2020" it
    may have been on 26 Mar or on 31 Mar: cannot tell (the middle day, 16 Mar, said met)."""
    from pathlib import Path

    sample = (Path(__file__).resolve().parent.parent / "samples" / "english-care-proceedings.yaml").read_text()
    assert "date: 2020-03-26\n    label: CMH" in sample
    c = load_text(sample.replace("date: 2020-03-26\n    label: CMH", "date: 2020-03\n    label: CMH")).case
    cmh = next(m for m in compute_facts(c).measures if m.code == "case_management_hearing")
    assert cmh.status == "undetermined"
    row = next(line for line in summary_text(c, compute_facts(c)).splitlines()
               if line.strip().startswith("Case management hearing"))
    assert row.endswith("cannot tell (dates with no single day)")
    on_day = load_text(sample).case
    assert next(m for m in compute_facts(on_day).measures if m.code == "case_management_hearing").status == "met"


def _items(items: list[dict[str, object]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for item in items:
        out.append(item)
        out.extend(_items(item.get("items", [])))  # type: ignore[arg-type]
    return out


def _overrun(c: Case) -> tuple[float, float]:
    """(x, width) of the panel's 'time beyond target' bar in the chart's scene."""
    scene = json.loads(render_case(c, RenderOptions(format="scene-json")))
    bars = [i for i in _items(scene["items"]) if i.get("class") == "overrun"
            and i.get("group") == "target-permanence_panel"]
    assert len(bars) == 1, bars
    return (float(bars[0]["x"]), float(bars[0]["width"]))  # type: ignore[arg-type]


def test_the_words_are_one_rule() -> None:
    from timeline.words import cannot_tell_words, over_words

    assert over_words(9, None, "9 days") == "9 days"
    assert over_words(9, (9, 66), "") == "between 9 days and 2 months"
    assert over_words(15, (15, 16), "") == "about 2 weeks"
    assert cannot_tell_words("2016", 84, "20 May 2016") == (
        "recorded only as 2016: cannot tell whether within the 12-week target (due 20 May 2016)")
    assert cannot_tell_words(None, 182, "between Jul 2010 and Jul 2011").startswith(
        "the target is counted from a date with no day: cannot tell whether within the 6-month target")
    assert re.fullmatch(r"cannot tell whether met: recorded only as c\. Apr 2016",
                        cannot_tell_words("c. Apr 2016", 84, "", short=True))
