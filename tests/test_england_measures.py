"""England's named measures (26 weeks, CMH by day 12, A1, A2, A10, CLA reviews, stability) checked against
figures worked by hand, and Scotland left without them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from timeline.cli.commands import main
from timeline.dates import add_months, add_working_days
from timeline.facts.compute import compute_facts, summary_dict, summary_text
from timeline.facts.standards import load_standards
from timeline.io.read import load_case
from timeline.model.case import Case

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "english-care-proceedings.yaml"


def _measures(case: Case) -> dict[str, object]:
    return {m.code: m for m in compute_facts(case).measures}


def test_sample_figures_worked_by_hand() -> None:
    case = load_case(SAMPLE).case
    facts = compute_facts(case)
    m = {x.code: x for x in facts.measures}
    # 26 weeks: issued Mon 16 Mar 2020; 16 Mar + 182 days = 14 Sep 2020. One extension (7 Sep 2020) moves it
    # on by 56 days to 9 Nov 2020 (34 weeks). Care order 22 Oct 2020: 15 days left of March + Apr..Sep
    # (30+31+30+31+31+30 = 183) + 22 = 220 days, within 238: met.
    p = m["proceedings_26_weeks"]
    assert (p.start, p.end, p.days) == (date(2020, 3, 16), date(2020, 10, 22), 220)
    assert (p.target_days, p.target_date, p.status) == (238, date(2020, 11, 9), "met")
    assert "extended once" in p.note and "34 weeks (was 26 weeks)" in p.note
    # CMH 26 Mar 2020: day 11 counting 16 Mar as day 1; day 12 is 27 Mar: met.
    cmh = m["case_management_hearing"]
    assert (cmh.target_date, cmh.status) == (date(2020, 3, 27), "met") and "day 11" in cmh.note
    # IRH 20 Aug 2020 = 157 days after issue: day 158, week 23 (157 // 7 + 1).
    assert m["issues_resolution_hearing"].days == 157 and "week 23" in m["issues_resolution_hearing"].note
    # A1: looked after (s20) 3 Feb 2020 -> adopters 1 Mar 2021: 366 days (2020 is a leap year) to 3 Feb 2021,
    # + 26 days to 1 Mar = 392 <= 426: met; due by 3 Feb 2020 + 426 = 4 Apr 2021.
    a1 = m["a1"]
    assert (a1.days, a1.status, a1.target_date) == (392, "met", date(2021, 4, 4))
    # A2: placement order 22 Oct 2020 -> matched 4 Feb 2021: 9 + 30 + 31 + 31 + 4 = 105 <= 121: met.
    assert (m["a2"].days, m["a2"].status) == (105, "met")
    # A10: not adopted by the foster carers, so the same interval as A1 (no single-child threshold).
    assert (m["a10"].days, m["a10"].status) == (392, "done")
    # Permanence plan 21 May 2020, at the second CLA review (held 21 May 2020): met.
    assert m["permanence_plan_by_second_review"].status == "met"
    # Stability: placements running in 15 Apr 2020 .. 15 Apr 2021: foster D (to 11 May 2020), foster K,
    # adopters = 3: the "3 or more in the year" measure applies. In care 1 y 2 m < 2.5 years: not counted.
    assert (m["placements_in_year"].count, m["placements_in_year"].status) == (3, "flag")
    assert m["long_term_stability"].status == "not_applicable"
    # CLA reviews (reg 33) from becoming looked after 3 Feb 2020 (Mon): 20 working days = 4 weeks = 2 Mar
    # 2020; the second 3 months after the first held (27 Feb) = 27 May; the third 6 months after 21 May =
    # 21 Nov; the fourth 6 months after 12 Nov = 12 May 2021, not yet due. The move on 11 May does not
    # restart the schedule.
    assert [(r.number, r.due, r.held) for r in facts.reviews] == [
        (1, date(2020, 3, 2), date(2020, 2, 27)), (2, date(2020, 5, 27), date(2020, 5, 21)),
        (3, date(2020, 11, 21), date(2020, 11, 12)), (4, date(2021, 5, 12), None)]


def test_sample_summary_text_and_json_carry_the_measures() -> None:
    case = load_case(SAMPLE).case
    facts = compute_facts(case)
    text = summary_text(case, facts)
    assert "Measures (" in text and "A2: placement order to match" in text
    assert "CLA reviews (first within 20 working days of becoming looked after" in text
    assert "approximate" in text
    assert "34 weeks (238 days) after proceedings issued, extended once" in text  # the steps table says so
    for scottish in ("PACE", "LAAC", "Children's Hearing", "sheriff", "Sheriff", "Reporter"):
        assert scottish not in text
    data = summary_dict(case, facts)
    codes = [x["code"] for x in data["measures"]]  # type: ignore[index, union-attr]
    assert codes[:2] == ["proceedings_26_weeks", "case_management_hearing"]
    result = CliRunner().invoke(main, ["summary", "--json", str(SAMPLE)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["measures"][0]["target_date"] == "2020-11-09"


def test_no_extension_is_measured_against_26_weeks() -> None:
    case = Case.model_validate({"child": {"name": "Tom", "date_of_birth": "2018-01-10"},
                                "jurisdiction": "england-wales", "as_of": "2019-12-01", "events": [
        {"kind": "order", "type": "ico", "start": "2019-01-07"},
        {"kind": "milestone", "type": "proceedings_issued", "date": "2019-01-07"},
        # 7 Jan 2019 + 182 = 8 Jul 2019; care order 29 Jul 2019 is 21 days late
        {"kind": "order", "type": "care_order", "start": "2019-07-29"}]})
    p = _measures(case)["proceedings_26_weeks"]
    assert (p.target_date, p.status, p.days) == (date(2019, 7, 8), "missed", 203)  # type: ignore[attr-defined]
    assert "no extension recorded: measured against 26 weeks" in p.note  # type: ignore[attr-defined]


def test_a10_stops_the_clock_at_the_foster_placement_with_the_adopters() -> None:
    case = Case.model_validate({"child": {"name": "Zac", "date_of_birth": "2017-06-01"},
                                "jurisdiction": "england-wales", "as_of": "2020-01-01", "events": [
        {"kind": "order", "type": "s20", "start": "2018-01-15"},
        {"kind": "placement", "type": "foster", "start": "2018-01-15"},
        {"kind": "placement", "type": "foster", "start": "2018-04-02", "label": "Carers who adopt"},
        {"kind": "placement", "type": "adoptive_foster_carer", "start": "2019-05-20"}]})
    m = _measures(case)
    # A1: 15 Jan 2018 -> 20 May 2019 = 490 days (missed, > 426); A10: 15 Jan -> 2 Apr 2018 = 77 days.
    assert (m["a1"].days, m["a1"].status) == (490, "missed")  # type: ignore[attr-defined]
    assert (m["a10"].days, m["a10"].end) == (77, date(2018, 4, 2))  # type: ignore[attr-defined]


def test_long_term_stability_for_an_under_16_in_care_two_and_a_half_years() -> None:
    case = Case.model_validate({"child": {"name": "Lee", "date_of_birth": "2010-03-01"},
                                "jurisdiction": "england-wales", "as_of": "2020-06-30", "events": [
        {"kind": "order", "type": "care_order", "start": "2016-02-01"},
        {"kind": "placement", "type": "foster", "start": "2016-02-01"},
        {"kind": "placement", "type": "foster", "start": "2018-09-01"}]})
    # In care 4 y 4 m (>= 2 y 6 m), aged 10; current placement since 1 Sep 2018: 1 y 9 m < 2 years: not stable.
    lt = _measures(case)["long_term_stability"]
    assert lt.status == "missed" and lt.days == (date(2020, 6, 30) - date(2018, 9, 1)).days  # type: ignore[attr-defined]


def test_working_days_skip_the_holidays_given(tmp_path: Path) -> None:
    # Looked after Thu 17 Dec 2020: 18 Dec is working day 1; 21-25 Dec 2-6; 28 Dec-1 Jan 7-11; 4-8 Jan
    # 12-16; 11-14 Jan 17-20: Thu 14 Jan 2021. With 25 and 28 Dec 2020 and 1 Jan 2021 as bank holidays,
    # 3 working days later: 15, 18, 19 Jan -> Tue 19 Jan 2021.
    assert add_working_days(date(2020, 12, 17), 20) == date(2021, 1, 14)
    holidays = frozenset({date(2020, 12, 25), date(2020, 12, 28), date(2021, 1, 1)})
    assert add_working_days(date(2020, 12, 17), 20, holidays) == date(2021, 1, 19)
    assert add_months(date(2021, 1, 31), 1) == date(2021, 2, 28)
    file = tmp_path / "std.yaml"
    file.write_text("holidays: [2020-12-25, 2020-12-28, 2021-01-01]\n", encoding="utf-8")
    std = load_standards(file, "england-wales")
    assert not std.reviews.approximate
    assert std.reviews.due_after(date(2020, 12, 17), 1) == date(2021, 1, 19)
    assert load_standards(jurisdiction="england-wales").reviews.approximate


def test_holidays_option_on_summary(tmp_path: Path) -> None:
    days = tmp_path / "holidays.txt"
    days.write_text("2020-12-25\n2020-12-28\n2021-01-01\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["summary", str(SAMPLE), "--holidays", str(days)])
    assert result.exit_code == 0, result.output
    assert "working days skip the bank holidays given" in result.output
    assert "approximate" not in result.output.split("CLA reviews")[1].split("\n")[0]


def test_scotland_has_no_measures() -> None:
    case = load_case(SAMPLE.parent / "adoption.yaml").case
    facts = compute_facts(case)
    assert facts.measures == ()
    assert "measures" not in summary_dict(case, facts)


def test_wales_is_a_variant_with_welsh_names_and_no_adoption_scorecard() -> None:
    """docs/england-wales.md: Wales reads England and Wales's vocabulary with s76 and LAC review names, the
    same 26 weeks, CMH and review schedule, and no DfE adoption scorecard (A1, A2, A10)."""
    text = SAMPLE.read_text(encoding="utf-8").replace("jurisdiction: england-wales", "jurisdiction: wales")
    case = Case.model_validate(__import__("yaml").safe_load(text))
    facts = compute_facts(case)
    codes = [m.code for m in facts.measures]
    assert "a1" not in codes and "a2" not in codes and "a10" not in codes
    assert "proceedings_26_weeks" in codes and facts.measures[0].target_days == 238
    summary = summary_text(case, facts)
    assert "Looked after child reviews (first within 20 working days" in summary
    assert "A1:" not in summary and "Wales (statutory defaults; no adoption scorecard)" in summary
    assert [r.due for r in facts.reviews][:2] == [date(2020, 3, 2), date(2020, 5, 27)]
    out = CliRunner().invoke(main, ["vocab", "order", "--jurisdiction", "wales"]).output
    assert "s76 SSWA 2014" in out
    ew = CliRunner().invoke(main, ["vocab", "meeting", "--jurisdiction", "england-wales"]).output
    assert "cla_review" in ew and "CLA review" in ew
    assert "laac_review" in CliRunner().invoke(main, ["vocab", "meeting"]).output  # default unchanged


def test_jurisdiction_choices_match_the_data() -> None:
    from timeline.model.vocabulary import JURISDICTIONS

    param = next(p for p in main.commands["vocab"].params if p.name == "jurisdiction")
    assert tuple(param.type.choices) == JURISDICTIONS  # type: ignore[attr-defined]


def test_english_chronology_dates_the_issue_so_the_26_weeks_is_measured() -> None:
    from timeline.io.chronology import load_any

    path = Path(__file__).resolve().parent / "data" / "chronologies" / "english-care-proceedings.csv"
    case = load_any(str(path), name="Ruby", dob="2015-04-09", as_of=date(2018, 3, 1)).case
    assert case.jurisdiction == "england-wales"
    issued = [e for e in case.events if e.type == "proceedings_issued"]
    assert [e.first.mid for e in issued] == [date(2016, 11, 17)]  # "LA issues care proceedings; ICO granted"
    p = {m.code: m for m in compute_facts(case).measures}["proceedings_26_weeks"]
    # 17 Nov 2016 -> the final hearing 14-16 Mar 2017 (counted at its middle, 15 Mar): 13 + 31 + 31 + 28 + 15
    # = 118 days, within 182 (target 18 May 2017)
    assert (p.days, p.status, p.target_date) == (118, "met", date(2017, 5, 18))


def test_each_looked_after_period_restarts_the_english_review_schedule() -> None:
    case = Case.model_validate({"child": {"name": "Ada", "date_of_birth": "2012-01-01"},
                                "jurisdiction": "england-wales", "as_of": "2020-03-01",
                                "records": {"reviews": "complete"}, "events": [
        {"kind": "order", "type": "s20", "start": "2019-01-07", "end": "2019-03-01"},
        {"kind": "placement", "type": "foster", "start": "2019-01-07", "end": "2019-03-01"},
        {"kind": "placement", "type": "home", "start": "2019-03-01"},
        {"kind": "order", "type": "s20", "start": "2019-09-02"},
        {"kind": "placement", "type": "foster", "start": "2019-09-02"}]})
    facts = compute_facts(case)
    # Period 1 from Mon 7 Jan 2019: first review due 20 working days later, Mon 4 Feb 2019 (not held:
    # overdue); the next would be 3 months later, 4 May, after the period ended 1 Mar. Period 2 from Mon
    # 2 Sep 2019: due Mon 30 Sep 2019, named by the s20 that began it (event 4).
    firsts = [(r.placement_event, r.number, r.due) for r in facts.reviews if r.number == 1]
    assert firsts == [(1, 1, date(2019, 2, 4)), (4, 1, date(2019, 9, 30))]


def test_report_words_for_an_english_case() -> None:
    from timeline.report.content import research_items
    from timeline.report.prose import APPROXIMATE_REVIEWS, court_summary, report_title, summary_for

    case = load_case(SAMPLE).case
    facts = compute_facts(case)
    assert APPROXIMATE_REVIEWS in summary_for(case, facts).flags
    court = {f.label: f.value for f in court_summary(case, facts)}
    assert list(court) == ["Proceedings", "Orders in force", "Placements", "CLA reviews", "Permanence plan",
                           "Measures"]
    assert "in week 32; target 34 weeks (to 9 Nov 2020): met; extended once" in court["Proceedings"]
    assert court["Orders in force"] == "Care Order (from 22 Oct 2020); Placement Order (from 22 Oct 2020)"
    assert "next due 12 May 2021" in court["CLA reviews"] and "approximate" in court["CLA reviews"]
    assert report_title(case, "hearing") == "Summary for the family court: Maisie"
    assert "Ministry of Justice" in research_items(case.jurisdiction)[0].source
    scottish = load_case(SAMPLE.parent / "adoption.yaml").case
    scottish_facts = compute_facts(scottish)
    assert court_summary(scottish, scottish_facts) == ()
    assert report_title(scottish, "hearing") == "Timeline: Isla"
    assert APPROXIMATE_REVIEWS not in summary_for(scottish, scottish_facts).flags
    assert "SCRA" in research_items(scottish.jurisdiction)[0].source


def test_render_takes_a_holiday_list(tmp_path: Path) -> None:
    days = tmp_path / "holidays.txt"
    days.write_text("2020-12-25\n2020-12-28\n", encoding="utf-8")
    plain, given = tmp_path / "plain.html", tmp_path / "given.html"
    assert CliRunner().invoke(main, ["render", str(SAMPLE), "-o", str(plain)]).exit_code == 0
    result = CliRunner().invoke(main, ["render", str(SAMPLE), "-o", str(given), "--holidays", str(days)])
    assert result.exit_code == 0, result.output
    assert "so they are approximate" in plain.read_text(encoding="utf-8")
    assert "so they are approximate" not in given.read_text(encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("Christmas\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["render", str(SAMPLE), "-o", str(tmp_path / "x.svg"), "--holidays", str(bad)])
    assert refused.exit_code == 1 and "bad.txt:1:1: holidays: should be a full date" in refused.output


def test_adoption_steps_wait_for_an_adoption_plan() -> None:
    """A1 and A2 belong to children whose plan is adoption: with no plan recorded a child in long-term foster
    care is "not measured", never "overdue"; an ADM decision on record shows the plan and A1 is measured."""
    events: list[dict[str, str]] = [
        {"kind": "order", "type": "care_order", "start": "2016-06-01"},
        {"kind": "placement", "type": "foster", "start": "2016-06-01"}]
    base = {"child": {"name": "Ash", "date_of_birth": "2012-02-03"}, "jurisdiction": "england-wales",
            "as_of": "2018-03-31"}
    case = Case.model_validate({**base, "events": events})
    steps = {m.type: m for m in compute_facts(case).milestones}
    assert steps["placed_for_adoption"].status == "not_applicable"
    assert steps["placed_for_adoption"].target_date is None  # nothing drawn or counted down to
    a1 = _measures(case)["a1"]
    assert a1.status == "not_measured" and "no adoption plan recorded" in a1.note  # type: ignore[attr-defined]
    text = summary_text(case, compute_facts(case))
    assert "OVERDUE" not in text and "no adoption plan recorded" in text
    # 1 Jun 2016 + 426 days: 365 to 1 Jun 2017 (no 29 Feb between), + 30 (June) + 31 (July) = 1 Aug 2017; at
    # 31 Mar 2018 that is 30 + 30 + 31 + 30 + 31 + 31 + 28 + 31 = 242 days over, once the ADM decision
    # (1 Mar 2017) shows the plan is adoption.
    planned = Case.model_validate({**base, "events": [
        *events, {"kind": "milestone", "type": "adm_decision", "date": "2017-03-01"}]})
    placed = {m.type: m for m in compute_facts(planned).milestones}["placed_for_adoption"]
    assert (placed.status, placed.target_date, placed.days_over) == ("overdue", date(2017, 8, 1), 242)


def test_measures_give_partial_dates_as_recorded() -> None:
    """A start recorded as "2015", proceedings issued "Mar 2016", a hearing "c. Mar 2016", an adoptive placement
    "Nov 2017" and reviews "Jul 2015" / "Oct 2015": the measures' words give each as recorded, never its middle
    day (2 Jul 2015, 16 Mar 2016, 15 Nov 2017, 16 Oct 2015), and a time between them as the least and most."""
    from timeline.io.read import load_text

    case = load_text("""
child: {name: Amy, date_of_birth: 2012-03-01}
jurisdiction: england-wales
as_of: 2019-06-01
events:
  - {kind: order, type: s20, start: '2015'}
  - {kind: placement, type: foster, start: '2015', end: 2017-11}
  - {kind: placement, type: adoptive, start: 2017-11}
  - {kind: milestone, type: proceedings_issued, date: 2016-03}
  - {kind: hearing, type: case_management_hearing, date: 2016-03~}
  - {kind: meeting, type: cla_review, date: 2015-07}
  - {kind: meeting, type: cla_review, date: 2015-10}
""").case
    text = summary_text(case, compute_facts(case)).split("Measures (")[1].split("CLA reviews")[0]
    rows = {line.split("  ")[1]: line for line in text.splitlines() if line.startswith("  A1:")}
    # A1: 1 Jan - 31 Dec 2015 to 1 - 30 Nov 2017 is 671 to 1064 days; its 14 months (426 days) fall due from
    # 2 Mar 2016 to 1 Mar 2017, never "867 days" and "by 31 Aug 2016" counted from middle days
    assert ("2015        Nov 2017    between 1 year 10 months and 2 years 11 months  14 months, due between Mar "
            "2016 and Mar 2017") in rows["A1: entering care to moving in with adopters"]
    cmh = next(line for line in text.splitlines() if line.startswith("  Case management hearing by day 12  "))
    assert "  Mar 2016    Mar 2016    between 0 days and 4 weeks  " in cmh
    assert "by review 2, by Oct 2015" in text and "review 2 held Oct 2015" in text
    assert ("held c. Mar 2016, proceedings issued Mar 2016: between week 1 and week 5 of proceedings" in text)
    assert "now between week 166 and week 170" in text
    assert "in the same placement for between 1 year 6 months and 1 year 7 months" in text
    for invented in ("2 Jul 2015", "16 Mar 2016", "15 Nov 2017", "16 Oct 2015", "31 Aug 2016", "27 Mar 2016",
                     "867 days", "day 1, week 1", "week 168"):
        assert invented not in text
