"""Facts and chart wording: a looked-after period that began with a year-only order is said as the record gives it.

The sums count a year-only date at its middle day (2 Jul 2010); the words must say "2010", never that day,
in the summary's periods and in the chart's looked-after title alike.
"""

from __future__ import annotations

import re

from timeline import RenderOptions, compute_facts, load_text, render_case
from timeline.facts.compute import summary_text

CASE = """\
version: 1
child: {name: Test, date_of_birth: 2008-03-02}
jurisdiction: scotland
as_of: 2016-06-30
events:
  - {kind: order, type: s25, start: 2010, end: 2011-02-01}
  - {kind: placement, type: foster, start: 2010, end: 2011-02-01}
  - {kind: placement, type: home, start: 2011-02-01, end: 2014-05-01}
  - {kind: order, type: s25, start: 2014-05-01}
  - {kind: placement, type: foster, start: 2014-05-01}
"""


def test_summary_periods_start_as_recorded() -> None:
    case = load_text(CASE).case
    text = summary_text(case, compute_facts(case))
    assert re.search(r"period 1\s+from 2010 to 1 Feb 2011", text), text
    assert "2 Jul 2010" not in text
    assert re.search(r"period 2\s+from 1 May 2014", text)


def test_chart_title_starts_as_recorded() -> None:
    case = load_text(CASE).case
    svg = render_case(case, RenderOptions(format="svg")).decode("utf-8")
    title = re.search(r"<title>(Looked after [^<]*)</title>", svg)
    assert title is not None
    assert title.group(1).startswith("Looked after 2010 to 1 Feb 2011; 1 May 2014 to 30 Jun 2016"), title.group(1)
    assert "Jul 2010" not in title.group(1)


def test_a_target_counted_from_a_year_only_start_is_a_window_not_a_day() -> None:
    """The 6-month aim counted from "2010" may fall anywhere from 2 Jul 2010 to 1 Jul 2011: the facts keep
    that window, and every place that words the target says the months, and how far past it the least and
    most it can be (2 Jul 2010 .. 1 Jul 2011 to 30 Jun 2016: 1826 .. 2190 days), never "31 Dec 2010"."""
    from timeline import summary_dict

    case = load_text(CASE).case
    facts = compute_facts(case)
    step = next(m for m in facts.milestones if m.type == "permanence_recommended")
    assert step.status == "overdue"
    assert [d.isoformat() for d in step.due_window or ()] == ["2010-07-02", "2011-07-01"]
    as_json = next(m for m in summary_dict(case, facts)["milestones"] if m["type"] == "permanence_recommended")
    assert as_json["due_window"] == ["2010-07-02", "2011-07-01"]
    text = summary_text(case, facts)
    assert "OVERDUE by between 5 years and 6 years; was due between Jul 2010 and Jul 2011" in text
    assert "(due between Jul 2010 and Jul 2011)." in text  # the no-plan flag
    assert "31 Dec 2010" not in text and "2008 days" not in text
    assert as_json["days_over"] == 1826  # the least it can be, never the middle day's 2008
    svg = render_case(case, RenderOptions(format="svg")).decode("utf-8")
    assert "Between Jul 2010 and Jul 2011: target for Permanence recommended (overdue by between 5 years and 6" in svg
    assert ">Jul 2010\u2013Jul 2011, overdue<" in svg  # the label, wrapped after "due"
    assert "31 Dec 2010" not in svg
    html = render_case(case, RenderOptions(format="html")).decode("utf-8")
    assert "(due between Jul 2010 and Jul 2011)" in html and "Overdue by between 5 years and 6 years" in html
    assert "31 Dec 2010" not in html


def test_a_target_counted_from_a_day_keeps_its_day() -> None:
    """A start recorded to the day gives one due day, as before (no window, no "about")."""
    case = load_text(CASE.replace("start: 2010,", "start: 2010-03-01,")).case
    step = next(m for m in compute_facts(case).milestones if m.type == "permanence_recommended")
    assert step.due_window is None
    assert "was due 30 Aug 2010" in summary_text(case, compute_facts(case))
