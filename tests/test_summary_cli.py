"""`timeline summary`: the plain-text table, the JSON contract, options, errors, and every sample worked by hand.

The sample tests below were worked out from the YAML files with a calendar, not copied from the program:
the arithmetic is in the comments. Event numbers (#n) are 1-based positions in each file's `events`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from timeline.cli.commands import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

CASE = """\
child:
  name: Siobhán
  date_of_birth: 2015-01-01
  ref: C-9
as_of: 2017-01-01
records: {reviews: complete}
events:
  - {kind: placement, type: home, start: 2015-01-01, end: 2016-01-01}
  - {kind: placement, type: foster, start: 2016-01-01, id: p1}
  - {kind: order, type: cso, start: 2016-01-01}
  - {kind: hearing, type: childrens_hearing, date: 2016-01-05}
  - {kind: meeting, type: laac_review, date: 2016-02-05}
  - {kind: milestone, type: permanence_recommended, date: 2016-06-30, route: adoption}
  - {kind: milestone, type: permanence_panel, date: 2016-10-01}
"""
KEYS = ["child", "as_of", "looked_after_start", "looked_after_end", "days_looked_after", "looked_after_periods",
        "percent_of_life_looked_after", "placements", "moves", "hearings", "legal_permanence", "milestones",
        "reviews", "flags", "inferred_ends", "warnings"]
STEPS = ["looked_after", "permanence_recommended", "permanence_panel", "adm_decision", "application_lodged",
         "final_order"]


def run(*args: str) -> Any:
    return CliRunner().invoke(main, ["summary", *args])


def complete(path: Path, tmp_path: Path) -> Path:
    """A copy of a sample that declares its record of reviews complete (`records: {reviews: complete}`), so
    that reviews are matched to the schedule and one due and not in the file is reported as not held."""
    text = path.read_text(encoding="utf-8").replace("\nevents:\n", "\nrecords: {reviews: complete}\nevents:\n", 1)
    out = tmp_path / path.name
    out.write_text(text, encoding="utf-8")
    return out


def summary(path: Path | str, *args: str) -> dict[str, Any]:
    result = run(str(path), "--json", *args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert isinstance(data, dict)
    return data


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(CASE, encoding="utf-8")
    return path


def statuses(data: dict[str, Any]) -> list[str]:
    assert [m["type"] for m in data["milestones"]] == STEPS
    return [m["status"] for m in data["milestones"]]


# ---------------------------------------------------------------- the command


def test_text_summary_reads_like_a_review_briefing(case_file: Path) -> None:
    result = run(str(case_file))
    assert result.exit_code == 0, result.output
    out = result.output
    flat = " ".join(out.split())  # column padding aside
    assert out.startswith("Summary for Siobhán (ref C-9)\nBorn 1 Jan 2015; as at 1 Jan 2017, aged 2 y\n")
    # looked after 2016-01-01 -> 2017-01-01 = 366 days of 731: 50.1%
    assert "from 1 Jan 2016 (aged 1 y) and still looked after at 1 Jan 2017" in out
    assert "1 y (366 days), 50.1% of Siobhán's life" in out
    assert "2 (not counting short breaks), 1 move" in out
    # permanence recommended 181 days after looked after (target 182): met; 1 Jan -> 30 Jun is 5 completed
    # months on the calendar (the 6th completes on 1 Jul), so durations print "5 m", not a rounded "6 m"
    assert "Permanence recommended 30 Jun 2016 1 y 5 m 5 m 5 m 6 months (182 days) after looked after met" in flat
    # panel target 2016-06-30 + 84 = 2016-09-22; held 2016-10-01: 9 days over
    assert "12 weeks (84 days) after permanence recommended missed by 9 days" in flat
    # ADM due 2016-10-01 + 14 = 2016-10-15; 78 days before as_of
    assert "OVERDUE by 78 days (2 months); was due 15 Oct 2016" in out
    # reviews: 1 Jan + 42 = 12 Feb (held 5 Feb); 5 Feb + 91 = 6 May (not held, overdue 240 days)
    assert "6 May 2016 - NOT HELD, overdue by 240 days (7 months)" in flat
    assert "Flags\n  none\n" in out


def test_json_has_the_contract_keys_in_order(case_file: Path) -> None:
    data = summary(case_file)
    assert list(data) == KEYS
    assert data["child"] == {"name": "Siobhán", "date_of_birth": "2015-01-01", "ref": "C-9", "age": "2 y",
                             "age_days": 731}
    assert (data["as_of"], data["looked_after_start"], data["looked_after_end"]) == ("2017-01-01", "2016-01-01", None)
    assert (data["days_looked_after"], data["percent_of_life_looked_after"]) == (366, 50.1)
    assert (data["placements"], data["moves"], data["hearings"], data["legal_permanence"]) == (2, 1, 1, None)
    assert statuses(data) == ["not_applicable", "met", "missed", "overdue", "not_applicable", "not_applicable"]
    panel = data["milestones"][2]
    assert panel == {"type": "permanence_panel", "date": "2016-10-01", "days_from_looked_after": 274,
                     "days_from_previous": 93, "target_days": 84, "status": "missed", "target_date": "2016-09-22",
                     "days_over": 9, "event": "event-7"}
    assert data["reviews"]["overdue"] == 2  # 6 May 2016 and (6 May + 182 =) 4 Nov 2016 not held
    assert [r["due"] for r in data["reviews"]["items"]] == ["2016-02-12", "2016-05-06", "2016-11-04", "2017-05-05"]
    assert data["flags"] == []


def test_json_is_deterministic_and_plain_ascii_safe(case_file: Path) -> None:
    first = run(str(case_file), "--json").output
    assert first == run(str(case_file), "--json").output
    assert "Siobhán" in first  # not \u-escaped
    assert str(case_file.parent) not in first  # no file paths in the output


def test_as_of_option_measures_at_another_date(case_file: Path) -> None:
    data = summary(case_file, "--as-of", "2016-10-10")
    assert data["as_of"] == "2016-10-10"
    # 2016-01-01 -> 2016-10-10: 366 - 31 - 30 - 31 + 9 = 283 days
    assert data["days_looked_after"] == 283
    # ADM due 2016-10-15: not yet
    assert statuses(data)[3] == "pending"


def test_as_of_option_rejects_partial_dates(case_file: Path) -> None:
    result = run(str(case_file), "--as-of", "2016-10")
    assert result.exit_code == 2
    assert "needs a full date" in result.output


def test_standards_file_replaces_targets(case_file: Path, tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text("name: Anytown aims\nmilestones:\n  permanence_panel: {days: 100}\n", encoding="utf-8")
    data = summary(case_file, "--standards", str(local))
    # panel now due 2016-06-30 + 100 = 2016-10-08: held 2016-10-01, met
    assert data["milestones"][2]["status"] == "met"
    assert data["milestones"][2]["target_days"] == 100
    text = run(str(case_file), "--standards", str(local)).output
    assert "targets: Anytown aims" in text


def test_bad_standards_file_exits_1_with_a_located_message(case_file: Path, tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text("milestones:\n  permanence_panel:\n    days: twelve weeks\n", encoding="utf-8")
    result = run(str(case_file), "--standards", str(local))
    assert result.exit_code == 1
    assert f"{local}:3:11: milestones.permanence_panel.days: should be a whole number of days" in result.output
    assert "Traceback" not in result.output


def test_bad_case_exits_1_with_a_located_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(CASE.replace("start: 2016-01-01, id: p1", "start: 2016-13-01, id: p1"), encoding="utf-8")
    result = run(str(bad), "--json")
    assert result.exit_code == 1
    assert f"{bad}:9:44: events[1].start: month 13 does not exist" in result.output


def test_missing_case_file_exits_1(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_summary_is_listed_in_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert "summary" in result.output
    help_text = CliRunner().invoke(main, ["summary", "--help"]).output
    for option in ("--json", "--as-of", "--standards"):
        assert option in help_text


def test_docs_describe_every_json_key() -> None:
    doc = (ROOT / "docs" / "summary.md").read_text(encoding="utf-8")
    for key in [*KEYS, "days_from_previous", "target_days", "target_date", "days_over", "held_late", "items",
                "days_late", "placement"]:
        assert f"`{key}`" in doc, key


# ---------------------------------------------------------------- edge cases through the CLI


def test_case_with_no_events(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("child: {name: Amy, date_of_birth: 2015-01-01}\nas_of: 2016-01-01\nevents: []\n")
    data = summary(path)
    assert (data["looked_after_start"], data["days_looked_after"], data["percent_of_life_looked_after"]) == (
        None, 0, 0.0)
    assert statuses(data) == ["not_applicable"] * 6
    assert data["reviews"] == {"record": "none", "recorded": 0, "overdue": 0, "held_late": 0, "items": [],
                               "gaps": []}
    text = run(str(path)).output
    assert "not looked after on or before 1 Jan 2016" in text


def test_case_with_only_partial_dates(tmp_path: Path) -> None:
    path = tmp_path / "partial.yaml"
    path.write_text(
        "child: {name: Amy, date_of_birth: 2010-06-01}\nas_of: 2016-01-01\nevents:\n"
        "  - {kind: placement, type: foster, start: 2014~, end: 2015-06?}\n"
        "  - {kind: milestone, type: permanence_recommended, date: 2015, route: home}\n"
    )
    data = summary(path)
    # 2014~ stands for 2 Jul 2014 (1 Jan + 364 // 2 = 182 days); 2015-06? for 15 Jun 2015
    assert (data["looked_after_start"], data["looked_after_end"]) == ("2014-07-02", "2015-06-15")
    # recommendation "2015" (sums: 2 Jul 2015) against 6 months from "c. 2014" (due 2 Jul 2014 .. 1 Jul 2015):
    # it may have been on time or not, so neither is said (the middle days gave "missed by 183 days")
    step = data["milestones"][1]
    assert step["status"] == "undetermined" and step["days_over"] is None
    assert step["date_window"] == ["2015-01-01", "2015-12-31"] and step["due_window"] == ["2014-07-02", "2015-07-01"]
    assert run(str(path)).exit_code == 0


# ---------------------------------------------------------------- the samples, worked by hand


def test_sample_home(tmp_path: Path) -> None:
    data = summary(SAMPLES / "home.yaml")
    # one looked-after period: s25 + foster from 2018-11-02, ICSO, CSO away, CSO at home to 2020-12-15 (each
    # starting the day the one before ends, or before): 2018-11-02 -> 2020-11-02 = 731 (2020 is a leap year),
    # + 13 (Nov 2 -> 15 Nov... Dec 15: 28 + 15) = 774 days
    assert data["looked_after_periods"] == [{"start": "2018-11-02", "end": "2020-12-15", "days": 774, "ongoing": False}]
    assert data["days_looked_after"] == 774
    # five reviews in the file, the record not declared complete: nothing matched, nothing missed. Foster
    # 2018-11-02: 12-10 (38 days <= 42), 2019-03-07 (87 <= 91), 06-20 (105 <= 182), end 08-24 (65): no gap
    assert (data["reviews"]["record"], data["reviews"]["recorded"], data["reviews"]["gaps"]) == ("partial", 5, [])
    assert data["reviews"]["items"] == [] and data["reviews"]["overdue"] == 0
    # looked_after milestone #9, 2018-11-02
    assert data["looked_after_start"] == "2018-11-02"
    # placements: #1 home 2012-09-17, #8 foster 2018-11-02, #28 home 2019-08-24 -> 3, moves 2
    assert (data["placements"], data["moves"]) == (3, 2)
    # hearings: 2019-01-15, 2019-02-05, 2019-08-22, 2020-01-28, 2020-12-15 -> 5
    assert data["hearings"] == 5
    # no po/poa/adoption/kco/s11 order and no final_order milestone
    assert data["legal_permanence"] is None
    # every looked-after placement and order has ended by as_of; the last end is the home CSO, 2020-12-15
    assert data["looked_after_end"] == "2020-12-15"
    # recommendation 2019-06-20, due 2018-11-02 + 182 = 2019-05-03 (Nov 28, Dec 31, Jan 31, Feb 28, Mar 31,
    # Apr 30, May 3): missed by 28 + 20 = 48 days. Route home: panel and ADM do not apply.
    assert statuses(data) == ["not_applicable", "missed", "not_applicable", "not_applicable", "not_applicable",
                              "not_applicable"]
    assert data["milestones"][1]["days_over"] == 48
    # declared complete: foster 2018-11-02 .. 2019-08-24: #1 due 2018-12-14 (held 12-10); #2 due 12-10 + 91 =
    # 2019-03-11 (held 03-07); #3 would be 03-07 + 182 = 2019-09-05, after the placement ended. Nothing overdue.
    data = summary(complete(SAMPLES / "home.yaml", tmp_path))
    assert data["reviews"]["overdue"] == 0
    assert [(r["due"], r["held"]) for r in data["reviews"]["items"]] == [
        ("2018-12-14", "2018-12-10"), ("2019-03-11", "2019-03-07")]
    # home CSO 2019-08-24 .. 2020-12-15 is 479 days, under 2 years: no flag
    assert data["flags"] == []


def test_sample_kinship(tmp_path: Path) -> None:
    data = summary(SAMPLES / "kinship.yaml")
    assert data["looked_after_start"] == "2017-02-17"  # milestone #10
    # placements: home 2014-05-02, kinship 2017-02-17 (the respite break does not count) -> 2, moves 1
    assert (data["placements"], data["moves"]) == (2, 1)
    # hearings: 2017-02-21, 2017-03-01, 2017-03-22, 2018-03-13, 2018-08-16, 2018-10-11, 2018-12-18 -> 7
    assert data["hearings"] == 7
    # KCO #33 2018-11-29 (the final_order milestone the same day names no route; the order wins).
    # 2017-02-17 -> 2018-02-17 = 365; -> 2018-11-17 = +273 (28+31+30+31+30+31+31+30+31); -> 11-29 = +12: 650
    assert data["legal_permanence"]["date"] == "2018-11-29"
    assert (data["legal_permanence"]["type"], data["legal_permanence"]["route"]) == ("kco", "kinship")
    assert data["legal_permanence"]["days_from_looked_after"] == 650
    assert data["looked_after_end"] == "2018-11-29"  # the KCO ends looked-after status
    # recommendation 2017-12-14 due 2017-02-17 + 182 = 2017-08-18: missed by 13+30+31+30+14 = 118 days.
    # Route kinship: panel and ADM do not apply, though dated.
    assert statuses(data) == ["not_applicable", "missed", "not_applicable", "not_applicable", "not_applicable",
                              "not_applicable"]
    assert data["milestones"][1]["days_over"] == 118
    # 2017-02-17 -> 2018-11-29 (the KCO), 650 days, one period
    assert [(p["start"], p["end"], p["days"]) for p in data["looked_after_periods"]] == [
        ("2017-02-17", "2018-11-29", 650)]
    # partial record: kinship 2017-02-17, reviews 03-28 (39 <= 42), 06-22 (86 <= 91), 12-14 (175 <= 182),
    # 2018-06-12 (180), then the KCO 2018-11-29 (170): no gap; the 2018-12-04 review is after the period
    assert (data["reviews"]["record"], data["reviews"]["recorded"], data["reviews"]["gaps"]) == ("partial", 5, [])
    # kinship from 2017-02-17: due 03-31 (held 03-28), 03-28 + 91 = 06-27 (06-22), 06-22 + 182 = 12-21 (12-14),
    # 12-14 + 182 = 2018-06-14 (06-12); next 06-12 + 182 = 2018-12-11 is after the KCO (2018-11-29): none overdue
    data = summary(complete(SAMPLES / "kinship.yaml", tmp_path))
    assert data["reviews"]["overdue"] == 0
    assert len(data["reviews"]["items"]) == 4
    assert data["flags"] == []


def test_sample_permanence_order(tmp_path: Path) -> None:
    data = summary(SAMPLES / "permanence-order.yaml")
    assert data["looked_after_start"] == "2013-03-08"  # milestone #6
    # placements: home 2009-07-23, foster 2013-03-08, foster (Mr & Mrs W) 2013-05-13; two respite breaks left out
    assert (data["placements"], data["moves"]) == (3, 2)
    # hearings: 2013-08-20, 2014-08-12, 2015-01-27, 2015-05-07, 2015-07-28, 2015-10-19, 2016-03-01 -> 7
    assert data["hearings"] == 7
    # PO #31 2016-01-14. 2013-03-08 -> 2015-03-08 = 730; -> 2016-01-08 = +306; -> 01-14 = +6: 1042 days
    lp = data["legal_permanence"]
    assert (lp["date"], lp["type"], lp["route"], lp["days_from_looked_after"]) == (
        "2016-01-14", "po", "permanence_order", 1042)
    assert data["looked_after_end"] is None  # a PO keeps the child looked after; the foster placement is open
    # recommendation 2014-06-10, due 2013-03-08 + 182 = 2013-09-06: missed.
    # panel 2014-11-13, due 2014-06-10 + 84 = 2014-09-02 (20 + 31 + 31 + 2): missed by 28 + 31 + 13 = 72.
    # ADM 2014-12-04, due 2014-11-13 + 14 = 2014-11-27: missed by 7.
    assert statuses(data) == ["not_applicable", "missed", "missed", "missed", "not_applicable", "not_applicable"]
    assert [m["days_over"] for m in data["milestones"][1:4]] == [277, 72, 7]
    # partial record: Mr & Mrs W from 2013-05-13; the 12-month gap 2017-06-13 -> 2018-06-12 (364 days, more
    # than 182) is "no review recorded", and so is 2018-06-12 -> 2019-12-10 (546)
    gaps = [(g["from"], g["to"], g["days"]) for g in data["reviews"]["gaps"]]
    assert ("2017-06-13", "2018-06-12", 364) in gaps and ("2018-06-12", "2019-12-10", 546) in gaps
    assert data["reviews"]["items"] == [] and data["reviews"]["overdue"] == 0
    data = summary(complete(SAMPLES / "permanence-order.yaml", tmp_path))
    # Reviews: first foster: due 04-19, held 04-16. Mr & Mrs W from 2013-05-13: the 13 reviews held there are
    # matched in date order; each next one counts from the last held, so the 12-month gap (2017-06-13 ->
    # 2018-06-12) is one review held 182 days late, not an overdue one. Next due 2021-06-15 + 182 =
    # 2021-12-14, after as_of. Nothing overdue.
    assert data["reviews"]["overdue"] == 0
    late = [(r["due"], r["days_late"]) for r in data["reviews"]["items"] if r["days_late"]]
    # 2017-06-13 + 182 = 2017-12-12 (17+31+31+30+31+30+12); held 2018-06-12: 19+31+28+31+30+31+12 = 182 late
    assert ("2017-12-12", 182) in late
    assert data["flags"] == []


def test_sample_adoption(tmp_path: Path) -> None:
    data = summary(SAMPLES / "adoption.yaml")
    assert data["looked_after_start"] == "2019-02-13"  # milestone #12 (the CPO the same day)
    # placements: hospital (other) 2019-02-11, foster 2019-02-14, adoptive 2021-05-03 -> 3, moves 2
    assert (data["placements"], data["moves"]) == (3, 2)
    # hearings: 02-15, 02-25, 03-15, 03-22, 04-04, 04-24, 05-14 (2019); 05-12, 09-15, 12-08 (2020) -> 10
    assert data["hearings"] == 10
    # earliest permanence order: POA #45 2021-02-08 (before the adoption order 2022-01-20), route adoption.
    # 2019-02-13 -> 2021-02-13 = 365 + 366 = 731; minus 5 days = 726
    lp = data["legal_permanence"]
    assert (lp["date"], lp["type"], lp["route"], lp["days_from_looked_after"]) == ("2021-02-08", "poa", "adoption", 726)
    assert data["looked_after_end"] == "2022-01-20"  # the adoption order
    # recommendation 2019-11-19, due 2019-02-13 + 182 = 2019-08-14: missed (97).
    # panel 2020-02-20, due 2019-11-19 + 84 = 2020-02-11: missed (9).
    # ADM: the earliest, 2020-03-03 (the 2021 one is the match), due 2020-02-20 + 14 = 2020-03-05: met.
    assert statuses(data) == ["not_applicable", "missed", "missed", "met", "not_applicable", "not_applicable"]
    # partial record: adoptive from 2021-05-03: 06-10 (38 <= 42), then 12-07 is 180 days on (more than 91):
    # "no review recorded between 10 Jun and 7 Dec 2021"
    assert [(g["from"], g["to"], g["days"]) for g in data["reviews"]["gaps"]] == [("2021-06-10", "2021-12-07", 180)]
    data = summary(complete(SAMPLES / "adoption.yaml", tmp_path))
    # foster: 03-28 (held 03-26), 06-25 (06-25), 12-24 (11-19), 2020-05-19 (05-19), 2020-11-17 (11-17); the
    # next, 2021-05-18, is after the move. Adoptive from 2021-05-03: 06-14 (held 06-10), 06-10 + 91 = 09-09
    # (held 12-07, 89 days late); 12-07 + 182 = 2022-06-07 is after the adoption order. None overdue.
    assert data["reviews"]["overdue"] == 0
    assert data["reviews"]["held_late"] == 1
    assert data["flags"] == []


def test_sample_drifting() -> None:
    data = summary(SAMPLES / "drifting.yaml")
    assert data["looked_after_start"] == "2016-01-15"  # milestone #10
    # placements (respite left out): home 2009, aunt (other) 2013~, home 2014-06, foster p1 2016-01-15,
    # p2 2016-02-26, p3 2016-11-18, home p4 2017-09-04, foster p5 2018-02-09, residential p6 2018-04-16,
    # foster p7 2019-10-21, residential p8 2020-06-09 -> 11 placements, 10 moves (7 of them while looked after)
    assert (data["placements"], data["moves"]) == (11, 10)
    # hearings to 2021-09-30: 2016-04-19, 05-10, 11-22; 2017-04-25, 08-29; 2018-02-09, 03-06, 03-20;
    # 2019-03-12, 10-15; 2020-05-05, 06-23; 2021-06-15 -> 13 (the advice hearing in 2022 is planned)
    assert data["hearings"] == 13
    assert data["legal_permanence"] is None
    assert data["looked_after_end"] is None
    # recommendation 2020-11-24, due 2016-01-15 + 182 = 2016-07-15: missed.
    # panel only planned (no date): due 2020-11-24 + 84 = 2021-02-16 (6 + 31 + 31 + 16), before as_of: overdue.
    # ADM: its reference (panel) has no date: not applicable.
    assert statuses(data) == ["not_applicable", "missed", "overdue", "not_applicable", "not_applicable",
                              "not_applicable"]
    assert data["milestones"][2]["target_date"] == "2021-02-16"
    # reviews not held (each placement restarts the schedule):
    #   p2 from 2016-02-26: #1 due 04-08 held 05-24; #2 due 05-24 + 91 = 08-23, none held before 11-18 -> overdue
    #   p3 from 2016-11-18: #1 due 12-30 held 12-20; #2 due 12-20 + 91 = 2017-03-21, none before 09-04 -> overdue
    #   p5 from 2018-02-09: #1 due 02-09 + 42 = 03-23, none before 04-16 -> overdue
    #   p7 from 2019-10-21: #1 due 12-02 held 11-26; #2 due 11-26 + 91 = 2020-02-25, none before 06-09 -> overdue
    assert data["reviews"]["overdue"] == 4
    # moves 2016-01-15, 2016-02-26, 2016-11-18: 308 days apart, within 12 months
    assert [f["code"] for f in data["flags"]] == ["moves_in_12_months"]
    assert data["flags"][0]["date"] == "2016-11-18"


def test_sample_interim_orders() -> None:
    data = summary(SAMPLES / "interim-orders.yaml")
    assert data["looked_after_start"] == "2019-09-04"  # milestone #6
    # placements: home 2017-06-05, foster 2019-09-04, kinship (aunt) 2020-12-07 -> 3, moves 2
    assert (data["placements"], data["moves"]) == (3, 2)
    # 39 hearing events, all dated before as_of 2021-08-31 and none planned
    assert data["hearings"] == 39
    assert data["legal_permanence"] is None
    # recommendation 2021-01-12 (route kinship), due 2019-09-04 + 182 = 2020-03-04 (26+31+30+31+31+29+4):
    # missed by 27+30+31+30+31+31+30+31+30+31+12 = 314 days; panel and ADM do not apply to a kinship plan;
    # the application is only planned and has no target.
    assert statuses(data) == ["not_applicable", "missed", "not_applicable", "not_applicable", "not_applicable",
                              "not_applicable"]
    assert data["milestones"][1]["days_over"] == 314
    # foster: 10-16 (held 10-15), 2020-01-14 (01-14), 07-14 (07-07); next 2021-01-05 after the move.
    # aunt from 2020-12-07: 2021-01-18 (01-12), 04-13 (04-13), next 10-12 after as_of. None overdue.
    assert data["reviews"]["overdue"] == 0
    assert data["flags"] == []


# ---------------------------------------------------------------- issue 13: never confidently wrong, through the CLI

EPISODES = """\
child: {name: Callum, date_of_birth: 2003-04-02}
as_of: 2016-03-15
events:
  - {kind: order, type: s25, start: 2006-05-10}
  - {kind: placement, type: foster, start: 2006-05-10, id: f1}
  - {kind: placement, type: home, start: 2006-11-20}
  - {kind: order, type: icso, start: 2007-06-20, id: icso}
  - {kind: order, type: cso, start: 2007-08-20, id: cso}
  - {kind: placement, type: kinship, start: 2008-01-10}
  - {kind: order, type: po, start: 2014-01-01}
  - {kind: hearing, type: childrens_hearing, date: 2015-06-01}
"""


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_json_looked_after_periods_leave_out_the_gap_at_home(tmp_path: Path) -> None:
    data = summary(write(tmp_path, EPISODES))
    # s25 + foster 10 May 2006, ended by the return home 20 Nov 2006: 194 days (21+30+31+31+30+31+20).
    # ICSO 20 Jun 2007 (ended by the CSO 20 Aug 2007), CSO (ended by the PO 1 Jan 2014), PO open; kinship
    # open: 20 Jun 2007 -> 20 Jun 2015 = 8 x 365 + 2 (2008, 2012) = 2922; -> 15 Mar 2016 = 10 + 31 + 31 + 30 +
    # 31 + 30 + 31 + 31 + 29 + 15 = 269: 3191 days
    assert data["looked_after_periods"] == [
        {"start": "2006-05-10", "end": "2006-11-20", "days": 194, "ongoing": False},
        {"start": "2007-06-20", "end": "2016-03-15", "days": 3191, "ongoing": True},
    ]
    assert data["days_looked_after"] == 3385
    # 2 Apr 2003 -> 15 Mar 2016 = 4731 days; 3385 / 4731 = 71.55% -> 71.5 (not 3597 days, 76.0%, unbroken)
    assert data["percent_of_life_looked_after"] == 71.5
    assert data["inferred_ends"] == [
        {"event": "event-1", "end": "2006-11-20"}, {"event": "f1", "end": "2006-11-20"},
        {"event": "event-3", "end": "2008-01-10"}, {"event": "icso", "end": "2007-08-20"},
        {"event": "cso", "end": "2014-01-01"}]
    text = " ".join(run(str(write(tmp_path, EPISODES))).output.split())
    assert "9 y 3 m (3385 days) in 2 periods, 71.5% of Callum's life" in text
    assert "period 1 from 10 May 2006 to 20 Nov 2006: 6 m (194 days)" in text


def test_no_reviews_recorded_says_so_and_counts_nothing(tmp_path: Path) -> None:
    data = summary(write(tmp_path, EPISODES))
    assert data["reviews"] == {"record": "none", "recorded": 0, "overdue": 0, "held_late": 0, "items": [],
                               "gaps": []}
    # a granted PO shows permanence was recommended: not recorded, not overdue; and no "no plan" flag
    assert statuses(data)[1] == "not_recorded"
    assert data["flags"] == []
    out = run(str(write(tmp_path, EPISODES))).output
    assert "No looked-after reviews are recorded in this chronology." in out
    assert "NOT HELD" not in out and "OVERDUE" not in out


def test_reviews_partly_recorded_give_gaps_and_a_complete_record_gives_missed_reviews(tmp_path: Path) -> None:
    text = EPISODES + "  - {kind: meeting, type: laac_review, date: 2008-02-15}\n"
    data = summary(write(tmp_path, text))
    # kinship from 10 Jan 2008: 15 Feb (36 days <= 42); then nothing to as_of 15 Mar 2016: 2951 days > 91
    assert data["reviews"]["record"] == "partial" and data["reviews"]["overdue"] == 0
    assert [(g["from"], g["to"], g["days"], g["allowed_days"]) for g in data["reviews"]["gaps"]] == [
        ("2006-05-10", "2006-11-20", 194, 42), ("2008-02-15", "2016-03-15", 2951, 91)]
    out = run(str(write(tmp_path, text))).output
    assert "no review recorded between 15 Feb 2008 and 15 Mar 2016" in out and "NOT HELD" not in out
    done = summary(write(tmp_path, text.replace("events:\n", "records: {reviews: complete}\nevents:\n", 1)))
    # declared complete: foster 10 May 2006 + 42 = 21 Jun (not held; the next, 2 Aug + 91, is after the
    # placement's inferred end); kinship #1 21 Feb 2008 held 15 Feb; #2 15 Feb + 91 = 16 May 2008 not held, ...
    items = done["reviews"]["items"]
    assert done["reviews"]["record"] == "complete"
    assert (items[0]["due"], items[0]["held"], items[0]["overdue"]) == ("2006-06-21", None, True)
    assert (items[1]["due"], items[1]["held"]) == ("2006-09-20", None)  # 21 Jun + 91
    assert (items[2]["due"], items[2]["held"], items[2]["overdue"]) == ("2008-02-21", "2008-02-15", False)
    assert (items[3]["due"], items[3]["overdue"]) == ("2008-05-16", True)
    assert done["reviews"]["overdue"] == sum(1 for r in items if r["overdue"]) > 2


def test_as_at_an_adult_is_warned_by_validate_and_summary(tmp_path: Path) -> None:
    path = write(tmp_path, EPISODES.replace("as_of: 2016-03-15", "as_of: 2024-06-30"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    # 2 Apr 2003 -> 30 Jun 2024: 21 years 2 months; last event 1 Jun 2015 is 9 years before
    assert f"{path}:2: warning: as_of: as at 30 Jun 2024 Callum is 21 years 2 months old (18 or over)" in result.output
    assert "is 9 years after the last event recorded (1 Jun 2015)" in result.output
    data = summary(path)
    assert len(data["warnings"]) == 2
    assert "Check the as-at date" in run(str(path)).output


def test_one_duration_reads_the_same_in_header_chart_words_and_summary(tmp_path: Path) -> None:
    # foster care 1 Jan 2014 -> as_of 1 Oct 2016: 1,004 days (365 + 366 + 273), 2 y 9 m on the calendar
    case = ("child: {name: Amy, date_of_birth: 2013-07-01}\nas_of: 2016-10-01\nevents:\n"
            "  - {kind: placement, type: foster, start: 2014-01-01}\n")
    path = write(tmp_path, case)
    assert summary(path)["days_looked_after"] == 1004
    text = run(str(path)).output
    assert "2 y 9 m (1004 days)" in text
    from timeline.facts.compute import compute_facts
    from timeline.io.read import load_text
    from timeline.report.prose import hearing_paragraph, key_figures_for

    loaded = load_text(case).case
    facts = compute_facts(loaded)
    figures = {f.label: f.value for f in key_figures_for(loaded, facts)}
    # 1004 / 1188 days of life = 84.5%: the header prints 85%
    assert figures["Looked after"] == "2 years 9 months, 85% of life"
    assert "2 years 9 months, 85% of Amy's life" in hearing_paragraph(loaded, facts)
    svg = tmp_path / "amy.svg"
    assert CliRunner().invoke(main, ["render", str(path), "-o", str(svg)]).exit_code == 0
    assert "2 y 9 m looked after – 85% of Amy" in svg.read_text(encoding="utf-8")


def test_report_says_reviews_are_not_recorded_and_marks_inferred_ends(tmp_path: Path) -> None:
    from timeline.facts.compute import compute_facts
    from timeline.io.read import load_text
    from timeline.report.prose import chronology_rows, hearing_paragraph, summary_for

    case = load_text(EPISODES).case
    facts = compute_facts(case)
    assert "No looked-after reviews are recorded in this chronology." in hearing_paragraph(case, facts)
    summary_box = summary_for(case, facts)
    assert "No looked-after reviews are recorded in this chronology." in summary_box.flags
    assert "Reviews overdue" not in [f.label for f in summary_box.figures]
    dates = {r.number: r.date for r in chronology_rows(case, facts.inferred_ends)}
    assert dates[2] == "10 May 2006 – 20 Nov 2006 (end inferred)"  # foster, ended by the return home
    assert dates[7] == "1 Jan 2014 – ongoing"  # the PO: nothing ends it
    # the chart: the inferred end is drawn (no 'continues' arrow) and said in the event's title
    svg = tmp_path / "callum.svg"
    assert CliRunner().invoke(main, ["render", str(write(tmp_path, EPISODES)), "-o", str(svg)]).exit_code == 0
    text = svg.read_text(encoding="utf-8")
    assert "10 May 2006 – 20 Nov 2006 (end inferred)" in text
    assert 'class="fuzzy inferred"' in text
    assert "Review due" not in text and "review-overdue" not in text.split("<style")[0] + text.split("</style>")[1]
