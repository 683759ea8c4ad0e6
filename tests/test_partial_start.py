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
