"""Facts stage: every measure of issue 5 on small hand-built cases, with the arithmetic written out."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from timeline.facts.compute import (
    FLAG_CSO_AT_HOME,
    FLAG_MOVES,
    FLAG_NO_PLAN,
    Facts,
    MilestoneFact,
    compute_facts,
    looked_after_start,
    main_placements,
    summary_dict,
)
from timeline.facts.standards import PACE_MILESTONES, load_standards
from timeline.io.read import load_text
from timeline.model.case import Case
from timeline.problems import CaseError


def make(events: list[str], *, dob: str = "2015-01-01", as_of: str = "2017-01-01", records: str = "") -> Case:
    """A case from one-line flow-style events, e.g. '{kind: placement, type: foster, start: 2016-01-01}'.

    `records="complete"` says the file holds every review held (`records: {reviews: complete}`)."""
    body = "".join(f"  - {e}\n" for e in events) if events else "  []\n"
    head = f"records: {{reviews: {records}}}\n" if records else ""
    text = f"child:\n  name: Amy\n  date_of_birth: {dob}\nas_of: {as_of}\n{head}events:\n{body}"
    if not events:
        text = f"child:\n  name: Amy\n  date_of_birth: {dob}\nas_of: {as_of}\nevents: []\n"
    return load_text(text).case


def facts_of(events: list[str], **kw: str) -> Facts:
    return compute_facts(make(events, **kw))


def step(facts: Facts, kind: str) -> MilestoneFact:
    return next(m for m in facts.milestones if m.type == kind)


FOSTER_2016 = "{kind: placement, type: foster, start: 2016-01-01}"


# ---------------------------------------------------------------- looked-after period, placements, hearings


def test_open_foster_placement_counts_to_as_of() -> None:
    f = facts_of([FOSTER_2016])
    # Born 2015-01-01, as at 2017-01-01: 365 (2015) + 366 (2016, leap) = 731 days old.
    assert f.age_days == 731
    assert f.looked_after_start == date(2016, 1, 1)
    assert f.looked_after_end is None  # the placement is open at as_of
    # 2016-01-01 -> 2017-01-01 = 366 days; 366 / 731 x 100 = 50.068...% -> 50.1
    assert f.days_looked_after == 366
    assert f.percent_of_life_looked_after == 50.1
    assert (f.placements, f.moves, f.hearings) == (1, 0, 0)
    assert f.legal_permanence is None


def test_placements_and_moves_leave_out_respite_planned_and_future() -> None:
    f = facts_of([
        "{kind: placement, type: home, start: 2015-01-01, end: 2016-01-01}",
        "{kind: placement, type: foster, start: 2016-01-01, end: 2016-03-01, id: f1}",
        "{kind: placement, type: respite, start: 2016-02-01, end: 2016-02-03}",
        "{kind: placement, type: kinship, start: 2016-03-01}",
        "{kind: placement, type: residential, start: 2017-06-01, status: planned}",
        "{kind: placement, type: secure, start: 2017-02-01}",  # after as_of, not planned: not yet happened
    ])
    # home -> foster -> kinship: 3 placements, 2 moves (respite overlays; planned/future not yet happened)
    assert (f.placements, f.moves) == (3, 2)
    assert [(m.number, m.date, m.from_event, m.to_event) for m in f.move_list] == [
        (1, date(2016, 1, 1), 1, 2),
        (2, date(2016, 3, 1), 2, 4),
    ]


def test_hearings_on_or_before_as_of_only() -> None:
    f = facts_of([
        "{kind: hearing, type: childrens_hearing, date: 2016-12-31}",
        "{kind: hearing, type: proof, date: 2017-01-01}",  # on as_of: counts
        "{kind: hearing, type: court, date: 2017-01-02, status: planned}",
        "{kind: hearing, type: review_hearing, date: 2016-05, status: planned}",  # planned: did not happen
        "{kind: meeting, type: laac_review, date: 2016-06-01}",  # a meeting, not a hearing
    ])
    assert f.hearings == 2


def test_explicit_looked_after_milestone_wins_over_first_order() -> None:
    f = facts_of([
        "{kind: order, type: s25, start: 2016-01-01}",
        "{kind: milestone, type: looked_after, date: 2016-02-01}",
    ])
    assert f.looked_after_start == date(2016, 2, 1)
    # 2016-02-01 -> 2017-01-01: 366 - 31 = 335 days
    assert f.days_looked_after == 335
    assert step(f, "looked_after").event == 2


def test_looked_after_ends_with_kinship_care_order() -> None:
    f = facts_of([
        FOSTER_2016,
        "{kind: order, type: cso, start: 2016-01-01}",
        "{kind: order, type: kco, start: 2016-07-01}",
    ])
    # kco ends looked-after status: 2016-01-01 -> 2016-07-01 = 31+29+31+30+31+30 = 182 days
    assert f.looked_after_end == date(2016, 7, 1)
    assert f.days_looked_after == 182
    # 182 / 731 x 100 = 24.897... -> 24.9
    assert f.percent_of_life_looked_after == 24.9
    assert f.legal_permanence is not None
    assert (f.legal_permanence.type, f.legal_permanence.route) == ("kco", "kinship")
    assert f.legal_permanence.days_from_looked_after == 182


def test_looked_after_ends_with_the_last_looked_after_event_when_all_have_ended() -> None:
    f = facts_of([
        "{kind: order, type: s25, start: 2016-01-01, end: 2016-02-01}",
        "{kind: placement, type: foster, start: 2016-01-01, end: 2016-04-10}",
        "{kind: placement, type: home, start: 2016-04-10}",
    ])
    # latest end of s25 (02-01) and foster (04-10): 2016-04-10; 31 + 29 + 31 + 9 = 100 days
    assert f.looked_after_end == date(2016, 4, 10)
    assert f.days_looked_after == 100


def test_legal_permanence_is_the_earliest_permanence_order() -> None:
    f = facts_of([
        "{kind: milestone, type: looked_after, date: 2016-01-01}",
        "{kind: milestone, type: permanence_recommended, date: 2016-03-01, route: adoption}",
        "{kind: order, type: adoption, start: 2016-11-01}",
        "{kind: order, type: poa, start: 2016-09-01, id: poa}",
        "{kind: milestone, type: final_order, date: 2016-09-01}",
    ])
    lp = f.legal_permanence
    assert lp is not None
    # poa 2016-09-01 and final_order the same day: the order wins (it names the route)
    assert (lp.date, lp.type, lp.route, lp.event) == (date(2016, 9, 1), "poa", "adoption", 4)
    # 2016-01-01 -> 2016-09-01 = 31+29+31+30+31+30+31+31 = 244 days
    assert lp.days_from_looked_after == 244


def test_final_order_milestone_alone_takes_the_recommended_route() -> None:
    f = facts_of([
        FOSTER_2016,
        "{kind: milestone, type: permanence_recommended, date: 2016-03-01, route: permanence_order}",
        "{kind: milestone, type: final_order, date: 2016-12-01}",
    ])
    lp = f.legal_permanence
    assert lp is not None
    assert (lp.type, lp.route, lp.date) == ("final_order", "permanence_order", date(2016, 12, 1))
    # 2016-01-01 -> 2016-12-01: 366 - 31 = 335
    assert lp.days_from_looked_after == 335


# ---------------------------------------------------------------- milestone statuses


def test_met_missed_overdue_and_not_applicable_steps() -> None:
    f = facts_of([
        FOSTER_2016,
        "{kind: milestone, type: looked_after, date: 2016-01-01}",
        "{kind: milestone, type: permanence_recommended, date: 2016-06-30, route: adoption}",
        "{kind: milestone, type: permanence_panel, date: 2016-10-01}",
    ])
    assert [m.type for m in f.milestones] == list(PACE_MILESTONES)
    la = step(f, "looked_after")
    assert (la.status, la.date, la.days_from_looked_after, la.days_from_previous) == (
        "not_applicable", date(2016, 1, 1), 0, None)

    rec = step(f, "permanence_recommended")
    # target: 2016-01-01 + 182 days = 2016-07-01 (Jan 31, Feb 29, Mar 31, Apr 30, May 31, Jun 30 = 182)
    assert rec.target_date == date(2016, 7, 1)
    # 2016-06-30 is one day inside the target: 181 days after looked after
    assert (rec.status, rec.days_from_looked_after, rec.days_from_previous, rec.days_over) == ("met", 181, 181, None)

    panel = step(f, "permanence_panel")
    # target: 2016-06-30 + 84 days = 2016-09-22 (Jul 31 + Aug 31 + 22); held 2016-10-01 = 9 days over
    assert panel.target_date == date(2016, 9, 22)
    assert (panel.status, panel.days_over, panel.days_from_previous) == ("missed", 9, 93)

    adm = step(f, "adm_decision")
    # target: 2016-10-01 + 14 = 2016-10-15; as_of 2017-01-01 is 16 + 30 + 31 + 1 = 78 days beyond
    assert (adm.date, adm.status, adm.target_date, adm.days_over) == (None, "overdue", date(2016, 10, 15), 78)

    for code in ("application_lodged", "final_order"):
        assert step(f, code).status == "not_applicable"  # no target
        assert step(f, code).target_date is None


def test_pending_when_target_not_yet_reached() -> None:
    f = facts_of([
        FOSTER_2016,
        "{kind: milestone, type: permanence_recommended, date: 2016-06-30, route: adoption}",
        "{kind: milestone, type: permanence_panel, date: 2016-10-01}",
    ], as_of="2016-10-10")
    adm = step(f, "adm_decision")
    # due by 2016-10-15, as at 2016-10-10: still pending
    assert (adm.status, adm.target_date, adm.days_over) == ("pending", date(2016, 10, 15), None)


def test_planned_milestone_has_no_date_for_status() -> None:
    f = facts_of([
        FOSTER_2016,
        "{kind: milestone, type: permanence_recommended, date: 2016-05-01, route: adoption, status: planned}",
    ])
    rec = step(f, "permanence_recommended")
    # target 2016-07-01; as_of 2017-01-01: Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31 = 184 days beyond
    assert (rec.date, rec.status, rec.days_over) == (None, "overdue", 184)
    # and the steps counting from it have no reference date
    assert step(f, "permanence_panel").status == "not_applicable"


def test_home_and_kinship_routes_exempt_panel_and_adm_even_when_dated() -> None:
    for route in ("home", "kinship"):
        f = facts_of([
            FOSTER_2016,
            f"{{kind: milestone, type: permanence_recommended, date: 2016-03-01, route: {route}}}",
            "{kind: milestone, type: permanence_panel, date: 2016-12-01}",
        ])
        panel, adm = step(f, "permanence_panel"), step(f, "adm_decision")
        assert (panel.status, panel.date, panel.target_date) == ("not_applicable", date(2016, 12, 1), None)
        assert adm.status == "not_applicable"
        assert step(f, "permanence_recommended").status == "met"  # 2016-03-01 is before 2016-07-01


def test_latest_recommendation_sets_the_route() -> None:
    f = facts_of([
        FOSTER_2016,
        "{kind: milestone, type: permanence_recommended, date: 2016-03-01, route: home}",
        "{kind: milestone, type: permanence_recommended, date: 2016-08-01, route: adoption}",
    ])
    rec = step(f, "permanence_recommended")
    assert (rec.date, rec.status) == (date(2016, 3, 1), "met")  # the earliest dates the step
    # route now adoption, so the panel applies: due 2016-03-01 + 84 = 2016-05-24; as_of is 222 days on
    panel = step(f, "permanence_panel")
    assert (panel.status, panel.target_date, panel.days_over) == ("overdue", date(2016, 5, 24), 222)


def test_undated_steps_no_longer_apply_after_legal_permanence() -> None:
    f = facts_of([
        FOSTER_2016,
        "{kind: order, type: po, start: 2016-12-01}",
    ])
    # the recommendation was never recorded, but the child has a PO, so it was made: "not recorded", never
    # "overdue", and no "looked after with no permanence recommendation" beside a granted order
    assert step(f, "permanence_recommended").status == "not_recorded"
    assert step(f, "permanence_recommended").target_date is None
    assert FLAG_NO_PLAN not in [fl.code for fl in f.flags]


def test_never_looked_after_gives_no_reference_dates() -> None:
    f = facts_of([
        "{kind: placement, type: home, start: 2015-01-01}",
        "{kind: order, type: cp_register, start: 2016-01-01}",
        "{kind: hearing, type: childrens_hearing, date: 2016-02-01}",
    ])
    assert (f.looked_after_start, f.looked_after_end, f.days_looked_after) == (None, None, 0)
    assert f.percent_of_life_looked_after == 0.0
    assert (f.placements, f.moves, f.hearings) == (1, 0, 1)
    assert {m.status for m in f.milestones} == {"not_applicable"}
    assert f.reviews == () and f.flags == ()


def test_no_events_at_all() -> None:
    f = facts_of([])
    assert (f.placements, f.moves, f.hearings, f.days_looked_after, f.reviews_overdue) == (0, 0, 0, 0, 0)
    assert f.looked_after_start is None and f.legal_permanence is None
    assert {m.status for m in f.milestones} == {"not_applicable"}
    assert all(m.date is None for m in f.milestones)
    assert f.reviews == () and f.flags == ()


def test_only_partial_dates_use_the_middle_of_each_span() -> None:
    f = facts_of([
        "{kind: placement, type: home, start: 2015, end: 2016-03}",
        "{kind: placement, type: foster, start: 2016-03, end: 2016-09}",
        "{kind: placement, type: home, start: 2016-09}",
    ], records="complete")
    # 2016-03 stands for 16 Mar 2016 (1 Mar + 30 // 2); 2016-09 for 15 Sep 2016 (1 Sep + 29 // 2)
    assert f.looked_after_start == date(2016, 3, 16)
    assert f.looked_after_end == date(2016, 9, 15)
    # 16 Mar -> 15 Sep: 15 + 30 + 31 + 30 + 31 + 31 + 15 = 183 days; 183 / 731 = 25.03% -> 25.0
    assert f.days_looked_after == 183
    assert f.percent_of_life_looked_after == 25.0
    assert (f.placements, f.moves) == (3, 2)
    # reviews: #1 due 16 Mar + 42 = 27 Apr, #2 27 Apr + 91 = 27 Jul (both not held); #3 would be after
    # the placement ended (27 Jul + 182 > 15 Sep), so it is not due.
    assert [(r.number, r.due, r.overdue) for r in f.reviews] == [
        (1, date(2016, 4, 27), True), (2, date(2016, 7, 27), True)]
    assert f.reviews_overdue == 2


# ---------------------------------------------------------------- reviews


def test_review_schedule_on_time_late_overdue_and_next() -> None:
    f = facts_of([
        FOSTER_2016,
        "{kind: meeting, type: laac_review, date: 2016-06-01}",
        "{kind: meeting, type: laac_review, date: 2016-02-05}",  # file order does not matter
        "{kind: meeting, type: laac_review, date: 2016-12-01, status: planned}",  # planned: not held
    ], records="complete")
    got = [(r.number, r.due, r.held, r.days_late, r.overdue) for r in f.reviews]
    assert got == [
        # 2016-01-01 + 42 = 12 Feb; held 5 Feb: on time
        (1, date(2016, 2, 12), date(2016, 2, 5), 0, False),
        # 5 Feb + 91 = 6 May (24 + 31 + 30 + 6); held 1 Jun: 25 + 1 = 26 days late
        (2, date(2016, 5, 6), date(2016, 6, 1), 26, False),
        # 1 Jun + 182 = 30 Nov (29 + 31 + 31 + 30 + 31 + 30); not held; as_of 1 Jan 2017 is 32 days on
        (3, date(2016, 11, 30), None, 32, True),
        # 30 Nov + 182 = 31 May 2017 (counted from when #3 was due): the next one, not yet due
        (4, date(2017, 5, 31), None, 0, False),
    ]
    assert f.reviews_overdue == 1
    assert f.reviews[0].event == 3 and f.reviews[0].placement_event == 1


def test_each_placement_restarts_the_schedule_and_none_fall_due_after_it_ends() -> None:
    events = [
        "{kind: placement, type: foster, start: 2016-01-01, end: 2016-03-01}",
        "{kind: meeting, type: laac_review, date: 2016-02-01}",
        "{kind: placement, type: kinship, start: 2016-03-01}",
    ]
    f = facts_of(events, records="complete")
    got = [(r.placement_event, r.number, r.due, r.overdue) for r in f.reviews]
    assert got == [
        # foster: 1 Jan + 42 = 12 Feb, held 1 Feb; #2 (1 Feb + 91 = 2 May) is after the placement ended
        (1, 1, date(2016, 2, 12), False),
        # kinship: 1 Mar + 42 = 12 Apr; 12 Apr + 91 = 12 Jul; both missed; 12 Jul + 182 = 10 Jan 2017 next
        (3, 1, date(2016, 4, 12), True),
        (3, 2, date(2016, 7, 12), True),
        (3, 3, date(2017, 1, 10), False),
    ]
    assert f.reviews_overdue == 2
    # a KCO on 1 Oct 2016 ends looked-after status: the review due 10 Jan 2017 is no longer listed
    f2 = facts_of([*events, "{kind: order, type: kco, start: 2016-10-01}"], records="complete")
    assert [r.due for r in f2.reviews][-1] == date(2016, 7, 12)


def test_home_placement_has_no_review_schedule() -> None:
    f = facts_of(["{kind: placement, type: home, start: 2015-01-01}", "{kind: order, type: cso, start: 2016-01-01}"])
    assert f.reviews == ()


# ---------------------------------------------------------------- flags


def test_cso_at_home_for_two_years_is_flagged() -> None:
    f = facts_of([
        "{kind: placement, type: home, start: 2012-01-01}",
        "{kind: order, type: cso, start: 2014-06-01}",
    ], dob="2012-01-01")
    # on a CSO at home 2014-06-01 -> 2017-01-01 = 945 days >= 730
    codes = [fl.code for fl in f.flags]
    assert codes == [FLAG_CSO_AT_HOME, FLAG_NO_PLAN]
    home = f.flags[0]
    # flagged from 2014-06-01 + 730 days = 2016-05-31 (2016 is a leap year)
    assert home.date == date(2016, 5, 31)
    assert "compulsory supervision order while living at home" in home.text
    assert "1 Jun 2014" in home.text and "2 years" in home.text
    # no permanence recommendation: due 2014-06-01 + 182 = 2014-11-30
    assert f.flags[1].date == date(2014, 11, 30)
    assert "no permanence recommendation" in f.flags[1].text


def test_cso_at_home_shorter_than_two_years_or_away_is_not_flagged() -> None:
    short = facts_of([
        "{kind: placement, type: home, start: 2012-01-01}",
        "{kind: order, type: cso, start: 2015-06-01}",  # 580 days to 2017-01-01
    ], dob="2012-01-01")
    assert FLAG_CSO_AT_HOME not in [fl.code for fl in short.flags]
    away = facts_of([
        "{kind: placement, type: home, start: 2012-01-01, end: 2014-06-01}",
        "{kind: placement, type: foster, start: 2014-06-01}",
        "{kind: order, type: cso, start: 2014-06-01}",
        "{kind: milestone, type: permanence_recommended, date: 2014-09-01, route: adoption}",
    ], dob="2012-01-01")
    assert away.flags == ()


def test_three_moves_in_twelve_months_is_flagged() -> None:
    events = [
        "{kind: placement, type: home, start: 2015-01-01, end: 2016-01-01}",
        "{kind: placement, type: foster, start: 2016-01-01, end: 2016-05-01}",
        "{kind: placement, type: foster, start: 2016-05-01, end: 2016-12-31}",
        "{kind: placement, type: kinship, start: 2016-12-31}",
        "{kind: milestone, type: permanence_recommended, date: 2016-03-01, route: kinship}",
    ]
    f = facts_of(events)
    # moves on 2016-01-01, 2016-05-01, 2016-12-31: the third is 365 days after the first
    assert [fl.code for fl in f.flags] == [FLAG_MOVES]
    assert f.flags[0].date == date(2016, 12, 31)
    assert f.flags[0].text.startswith("3 placement moves within 12 months (1 Jan 2016 to 31 Dec 2016)")
    # one day later (366 days after the first move) it is no longer within 12 months
    late = facts_of([*events[:2], "{kind: placement, type: foster, start: 2016-05-01, end: 2017-01-01}",
                     "{kind: placement, type: kinship, start: 2017-01-01}", events[4]], as_of="2017-01-02")
    assert late.moves == 3 and late.flags == ()


def test_no_permanence_recommendation_after_182_days_is_flagged() -> None:
    # 2016-01-01 -> 2016-07-01 is 182 days: not more than 182, no flag
    assert facts_of([FOSTER_2016], as_of="2016-07-01").flags == ()
    f = facts_of([FOSTER_2016], as_of="2016-07-02")  # 183 days
    assert [fl.code for fl in f.flags] == [FLAG_NO_PLAN]
    assert f.flags[0].date == date(2016, 7, 1)
    assert f.flags[0].text == (
        "Looked after for 6 months with no permanence recommendation recorded. PACE aim: a permanence "
        "decision within 6 months of becoming looked after (by 1 Jul 2016).")


# ---------------------------------------------------------------- standards


def test_default_standards_are_the_issue_targets() -> None:
    std = load_standards()
    days = {t.milestone: (t.after, t.days) for t in std.targets}
    assert days == {
        "looked_after": (None, None),
        "permanence_recommended": ("looked_after", 182),
        "permanence_panel": ("permanence_recommended", 84),
        "adm_decision": ("permanence_panel", 14),
        "application_lodged": ("adm_decision", None),
        "final_order": ("application_lodged", None),
    }
    assert (std.reviews.first_days, std.reviews.second_days, std.reviews.later_days) == (42, 91, 182)


def test_local_standards_replace_only_what_they_name(tmp_path: Path) -> None:
    path = tmp_path / "local.yaml"
    path.write_text("name: Anytown\nmilestones:\n  permanence_panel: {days: 100}\n  adm_decision: {days: null}\n"
                    "reviews: {first_days: 28}\n")
    std = load_standards(path)
    assert std.name == "Anytown"
    assert std.target("permanence_panel").days == 100
    assert std.target("permanence_panel").not_for_routes == ("home", "kinship")  # kept from the defaults
    assert std.target("adm_decision").days is None
    assert std.target("permanence_recommended").days == 182
    assert (std.reviews.first_days, std.reviews.second_days) == (28, 91)
    case = make([
        FOSTER_2016,
        "{kind: milestone, type: permanence_recommended, date: 2016-06-30, route: adoption}",
        "{kind: milestone, type: permanence_panel, date: 2016-10-01}",
    ], records="complete")
    f = compute_facts(case, standards=std)
    # panel now due 2016-06-30 + 100 = 2016-10-08: held 2016-10-01, met; ADM has no target now
    assert step(f, "permanence_panel").status == "met"
    assert step(f, "adm_decision").status == "not_applicable"
    assert f.reviews[0].due == date(2016, 1, 29)  # 1 Jan + 28


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("milestones:\n  permanence_panel:\n    days: twelve weeks\n",
         "local.yaml:3:11: milestones.permanence_panel.days: should be a whole number of days or null"),
        ("milestones:\n  panel: {days: 3}\n",
         "local.yaml:2:3: milestones.panel: unknown field 'panel' (allowed here: looked_after,"),
        ("milestones:\n  adm_decision: {after: final_order}\n",
         "local.yaml:2:25: milestones.adm_decision.after: 'final_order' is not an earlier milestone"),
        ("milestones:\n  adm_decision: {not_for_routes: [home, fostering]}\n",
         "local.yaml:2:41: milestones.adm_decision.not_for_routes[1]: 'fostering' is not a route"),
        ("reviews:\n  first_days: -3\n", "local.yaml:2:15: reviews.first_days: should be between 1 and"),
        ("flags: [1, 2]\n", "local.yaml:1:8: flags: should be a block of fields"),
        ("# nothing\n", "local.yaml:1:1: holds no data; a standards file holds `milestones:`"),
        ("milestones: {a: [\n", "local.yaml:2:1: is not valid YAML"),
    ],
)
def test_bad_standards_file_gives_located_plain_messages(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "local.yaml"
    path.write_text(text)
    with pytest.raises(CaseError) as info:
        load_standards(str(path))
    messages = [p.format().replace(str(tmp_path) + "/", "") for p in info.value.problems]
    assert messages[0].startswith(expected), messages


def test_missing_standards_file_is_a_plain_error(tmp_path: Path) -> None:
    with pytest.raises(CaseError) as info:
        load_standards(tmp_path / "nope.yaml")
    assert "no such file" in info.value.problems[0].message


# ---------------------------------------------------------------- helpers kept for lint, and the JSON shape


def test_existing_helpers_keep_their_behaviour() -> None:
    case = make([
        "{kind: placement, type: respite, start: 2016-02-01, end: 2016-02-02}",
        "{kind: placement, type: foster, start: 2016-03-01}",
        "{kind: placement, type: home, start: 2015-01-01, end: 2016-03-01}",
    ])
    assert [n for n, _ in main_placements(case)] == [3, 2]
    assert looked_after_start(case) == date(2016, 3, 1)


def test_summary_dict_keys_and_types() -> None:
    case = make([
        "{kind: placement, type: foster, start: 2016-01-01, id: p1}",
        "{kind: order, type: po, start: 2016-12-01}",
        "{kind: meeting, type: laac_review, date: 2016-02-05}",
    ], records="complete")
    d = summary_dict(case, compute_facts(case))
    assert list(d) == ["child", "as_of", "looked_after_start", "looked_after_end", "days_looked_after",
                       "looked_after_periods", "percent_of_life_looked_after", "placements", "moves", "hearings",
                       "legal_permanence", "milestones", "reviews", "flags", "inferred_ends", "warnings"]
    assert d["looked_after_periods"] == [{"start": "2016-01-01", "end": "2017-01-01", "days": 366, "ongoing": True}]
    assert d["child"] == {"name": "Amy", "date_of_birth": "2015-01-01", "ref": None, "age": "2 y", "age_days": 731}
    assert d["legal_permanence"] == {"date": "2016-12-01", "type": "po", "route": "permanence_order",
                                     "days_from_looked_after": 335, "event": "event-2"}
    milestones = d["milestones"]
    assert isinstance(milestones, list) and len(milestones) == 6
    assert list(milestones[0])[:6] == ["type", "date", "days_from_looked_after", "days_from_previous",
                                       "target_days", "status"]
    reviews = d["reviews"]
    assert isinstance(reviews, dict)
    assert list(reviews) == ["record", "recorded", "overdue", "held_late", "items", "gaps"]
    assert (reviews["record"], reviews["recorded"], reviews["gaps"]) == ("complete", 1, [])
    assert reviews["items"][0] == {"placement": "p1", "number": 1, "due": "2016-02-12", "held": "2016-02-05",
                                   "event": "event-3", "days_late": 0, "overdue": False}


# ---------------------------------------------------------------- scale (issue: facts were quadratic)


def synthetic_case(n_events: int) -> Case:
    """A long, busy case built to hit every per-event lookup at once: a chain of placements alternating home
    and foster (so reviews fall due under half of them), overlapping CSOs beside them (so CSO-at-home runs are
    found), reviews held, hearings and life events in between. One event every `step` days, deterministic,
    never ending looked-after status, so nothing is cut short; `n_events` is exact."""
    born = date(1900, 1, 1)
    step = 5  # days: a placement (one per pattern) then lasts 50 days, long enough for its first review
    pattern = ("placement", "cso", "review", "hearing", "cso", "review", "event", "hearing", "review", "icso")
    events: list[dict[str, object]] = []
    for i in range(n_events):
        day = born + timedelta(days=step * i + 1)
        what = pattern[i % len(pattern)]
        if what == "placement":
            nth = i // len(pattern)
            events.append({"kind": "placement", "type": "home" if nth % 2 else "foster",
                           "start": day.isoformat(), "end": (day + timedelta(days=step * len(pattern))).isoformat()})
        elif what in ("cso", "icso"):
            events.append({"kind": "order", "type": what, "start": day.isoformat(),
                           "end": (day + timedelta(days=3 * step * len(pattern))).isoformat()})
        elif what == "review":
            events.append({"kind": "meeting", "type": "laac_review", "date": day.isoformat()})
        elif what == "hearing":
            events.append({"kind": "hearing", "type": "childrens_hearing", "date": day.isoformat()})
        else:
            events.append({"kind": "event", "type": "school", "date": day.isoformat()})
    as_of = born + timedelta(days=step * n_events + 1)
    return Case.model_validate({"child": {"name": "Synthetic", "date_of_birth": born.isoformat()},
                                "as_of": as_of.isoformat(), "records": {"reviews": "complete"},
                                "events": events})


def facts_operations(case: Case) -> int:
    """Python-level work of one compute_facts call: every function call (Python or C, as cProfile counts
    them) plus every line of Python executed (a loop with no call in it still counts once per turn).

    Deterministic, unlike a stopwatch: the same case gives the same count on any machine, however busy, so
    the growth check below cannot flake and cannot be passed by a fast machine. Work done inside one C call
    (a `list.index` over every event, say) is not seen; a quadratic Python loop is."""
    import cProfile
    import pstats
    import sys
    from types import FrameType
    from typing import Any

    compute_facts(case)  # warm caches (vocabulary, standards): only the per-case work is counted
    lines = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal lines
        if event == "line":
            lines += 1
        return tracer

    profile = cProfile.Profile()
    profile.enable()
    compute_facts(case)
    profile.disable()
    calls = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        compute_facts(case)
    finally:
        sys.settrace(previous)
    return int(calls) + lines


def test_synthetic_case_exercises_every_lookup() -> None:
    f = compute_facts(synthetic_case(1000))
    assert f.placements == 100 and f.moves == 99 and f.hearings == 200
    # 50 foster placements of 50 days each: the first review is due on day 42 and held early (10 days in);
    # the second would be due on day 10 + 91, after the placement ends
    assert len(f.reviews) == 50
    assert all(r.number == 1 and r.held is not None and r.days_late == 0 and not r.overdue for r in f.reviews)
    assert [r.held for r in f.reviews[:2]] == [date(1900, 1, 12), date(1900, 4, 22)]
    # CSOs overlap one another, but 50 foster days separate each home placement: no CSO-at-home run
    # reaches two years
    assert [fl.code for fl in f.flags] == [FLAG_MOVES, FLAG_NO_PLAN]


def test_facts_scale_n_log_n() -> None:
    """Doubling the events at most a little over doubles the work (operations counted, not timed: timings
    live in bench/). n log n from 2,000 to 4,000 events is 2.18x; quadratic work would be 4x."""
    small, large = facts_operations(synthetic_case(2_000)), facts_operations(synthetic_case(4_000))
    assert small > 10_000, small  # the count sees the work at all
    assert large / small < 2.5, f"2,000 -> 4,000 events: {small} -> {large} operations ({large / small:.2f}x)"


# ---------------------------------------------------------------- issue 13: real chronologies, never confidently wrong


def test_two_looked_after_episodes_with_a_gap_at_home() -> None:
    # s25 and foster care from 10 May 2006; home with no order from 20 Nov 2006 (a return home ends s25:
    # vocabulary `ends_orders`); a CSO from 20 Aug 2007, kinship care from 10 Jan 2008, both open.
    f = facts_of([
        "{kind: order, type: s25, start: 2006-05-10}",
        "{kind: placement, type: foster, start: 2006-05-10}",
        "{kind: placement, type: home, start: 2006-11-20}",
        "{kind: order, type: cso, start: 2007-08-20}",
        "{kind: placement, type: kinship, start: 2008-01-10}",
    ], dob="2003-04-02", as_of="2016-03-15")
    # episode 1: 10 May -> 20 Nov 2006 = 21 + 30 + 31 + 31 + 30 + 31 + 20 = 194 days
    # episode 2: 20 Aug 2007 -> 15 Mar 2016: 20 Aug 2007 -> 20 Aug 2015 = 8 x 365 + 2 (2008, 2012) = 2922;
    #   -> 20 Feb 2016 = 11 + 30 + 31 + 30 + 31 + 31 + 20 = 184; -> 15 Mar = 9 + 15 = 24: 3130 days
    assert [(p.start, p.end, p.days, p.ongoing) for p in f.looked_after_periods] == [
        (date(2006, 5, 10), date(2006, 11, 20), 194, False),
        (date(2007, 8, 20), date(2016, 3, 15), 3130, True),
    ]
    assert f.days_looked_after == 194 + 3130
    # the nine months at home are not counted: 10 May 2006 -> 15 Mar 2016 unbroken would be 3597 days
    assert f.looked_after_start == date(2006, 5, 10) and f.looked_after_end is None
    # age 2 Apr 2003 -> 2 Apr 2016 = 13 x 365 + 4 (29 Feb 2004, 2008, 2012, 2016) = 4749, less 15 Mar -> 2 Apr
    # (16 + 2 = 18 days) = 4731; 3324 / 4731 = 70.26% -> 70.3
    assert f.age_days == 4731
    assert f.percent_of_life_looked_after == 70.3
    # the inferred ends: foster (#2) and s25 (#1) by the return home on 20 Nov 2006; home (#3) by kinship
    assert f.inferred_ends == {1: date(2006, 11, 20), 2: date(2006, 11, 20), 3: date(2008, 1, 10)}


def test_chained_placements_end_at_the_next_move_and_give_one_review_schedule() -> None:
    # start dates only, as chronologies record moves: gran, foster carers, adopters
    f = facts_of([
        "{kind: placement, type: kinship, start: 2016-01-01}",
        "{kind: placement, type: foster, start: 2016-03-01}",
        "{kind: placement, type: respite, start: 2016-04-01}",  # an overlay: ends nothing, is not ended
        "{kind: placement, type: adoptive, start: 2016-06-01}",
    ], records="complete")
    assert f.inferred_ends == {1: date(2016, 3, 1), 2: date(2016, 6, 1)}
    assert (f.placements, f.moves) == (3, 2)
    # one period 1 Jan 2016 -> as_of 1 Jan 2017 = 366 days (the placements follow on)
    assert [(p.start, p.days) for p in f.looked_after_periods] == [(date(2016, 1, 1), 366)]
    # schedules stop at each inferred end: kinship #1 due 12 Feb (in), #2 12 Feb + 91 = 13 May is after 1 Mar;
    # foster #1 due 1 Mar + 42 = 12 Apr, #2 12 Apr + 91 = 12 Jul is after 1 Jun; adoptive 1 Jun + 42 = 13 Jul,
    # + 91 = 12 Oct, + 182 = 12 Apr 2017 (the next, not yet due). Without the chain, all three would run to
    # as_of with their own schedules (10 reviews due, 8 of them overdue).
    assert [(r.placement_event, r.number, r.due) for r in f.reviews] == [
        (1, 1, date(2016, 2, 12)), (2, 1, date(2016, 4, 12)),
        (4, 1, date(2016, 7, 13)), (4, 2, date(2016, 10, 12)), (4, 3, date(2017, 4, 12))]
    assert f.reviews_overdue == 4


def test_icso_cso_po_chain_ends_each_order_when_the_next_replaces_it() -> None:
    f = facts_of([
        "{kind: order, type: icso, start: 2016-01-10}",
        "{kind: order, type: icso, start: 2016-02-07}",  # renewed: the first ends
        "{kind: order, type: cso, start: 2016-03-01}",
        "{kind: order, type: po, start: 2016-10-01}",
        "{kind: order, type: cp_register, start: 2016-01-05}",  # replaced by nothing in the vocabulary
    ])
    assert f.inferred_ends == {1: date(2016, 2, 7), 2: date(2016, 3, 1), 3: date(2016, 10, 1)}
    # one period: 10 Jan 2016 -> as_of 1 Jan 2017 = 357 days, still looked after under the PO
    assert [(p.start, p.end, p.days, p.ongoing) for p in f.looked_after_periods] == [
        (date(2016, 1, 10), date(2017, 1, 1), 357, True)]


def test_a_cso_continues_at_home_and_an_adoption_order_ends_looked_after() -> None:
    f = facts_of([
        "{kind: placement, type: foster, start: 2015-06-01}",
        "{kind: order, type: cso, start: 2015-06-01}",
        "{kind: placement, type: home, start: 2016-01-01}",  # home on the CSO: still looked after
    ])
    assert 2 not in f.inferred_ends and f.inferred_ends == {1: date(2016, 1, 1)}
    assert [(p.start, p.end, p.ongoing) for p in f.looked_after_periods] == [
        (date(2015, 6, 1), date(2017, 1, 1), True)]
    g = facts_of([
        "{kind: placement, type: adoptive, start: 2015-06-01}",
        "{kind: order, type: poa, start: 2015-08-01}",
        "{kind: order, type: adoption, start: 2016-05-01}",
    ])
    # the adoption order ends the POA (inferred) and looked-after status; the adoptive home continues
    assert g.inferred_ends == {2: date(2016, 5, 1)}
    # 1 Jun 2015 -> 1 May 2016 = 30 + 31 + 31 + 30 + 31 + 30 + 31 + 31 + 29 + 31 + 30 = 335
    assert [(p.start, p.end, p.days, p.ongoing) for p in g.looked_after_periods] == [
        (date(2015, 6, 1), date(2016, 5, 1), 335, False)]
    assert g.looked_after_end == date(2016, 5, 1)


def test_no_reviews_in_the_file_means_not_recorded_not_not_held() -> None:
    f = facts_of([FOSTER_2016])
    # a year in foster care with no review in the file: nothing is said about reviews
    assert f.reviews_record == "none" and f.reviews_recorded == 0
    assert f.reviews == () and f.reviews_overdue == 0 and f.review_gaps == ()
    # declared complete, the same file has four reviews due: 12 Feb, 13 May, 11 Nov (overdue), 12 May 2017
    g = facts_of([FOSTER_2016], records="complete")
    assert g.reviews_record == "complete"
    assert [(r.due, r.overdue) for r in g.reviews] == [
        (date(2016, 2, 12), True), (date(2016, 5, 13), True), (date(2016, 11, 11), True), (date(2017, 5, 12), False)]
    assert g.reviews_overdue == 3


def test_some_reviews_recorded_gives_gaps_never_missed_reviews() -> None:
    f = facts_of([
        FOSTER_2016,
        "{kind: meeting, type: laac_review, date: 2016-02-05}",
        "{kind: meeting, type: laac_review, date: 2016-10-20}",
    ])
    assert f.reviews_record == "partial" and f.reviews_recorded == 2
    assert f.reviews == () and f.reviews_overdue == 0
    # 1 Jan -> 5 Feb = 35 days (<= 42: no gap); 5 Feb -> 20 Oct = 24 + 31 + 30 + 31 + 30 + 31 + 31 + 30 + 20
    # = 258 days (> 91); 20 Oct -> as_of 1 Jan 2017 = 11 + 30 + 31 + 1 = 73 days (<= 182)
    assert [(g.start, g.end, g.days, g.allowed_days) for g in f.review_gaps] == [
        (date(2016, 2, 5), date(2016, 10, 20), 258, 91)]


def test_a_later_step_shows_an_undated_step_happened() -> None:
    f = facts_of([
        FOSTER_2016,
        "{kind: milestone, type: application_lodged, date: 2016-11-01}",
    ])
    # an application lodged in court means permanence was recommended, a panel sat and the ADM decided:
    # not recorded, never overdue, and no "no permanence recommendation" flag
    assert [m.status for m in f.milestones[1:4]] == ["not_recorded", "not_applicable", "not_applicable"]
    assert step(f, "permanence_recommended").days_over is None
    assert [fl.code for fl in f.flags] == []
    # a recorded panel without the recommendation: the recommendation is not recorded; the ADM (due 14 days
    # after the panel, 1 Jul + 14 = 15 Jul) is overdue as nothing shows it happened: 15 Jul -> 1 Jan = 170
    g = facts_of([FOSTER_2016, "{kind: milestone, type: permanence_panel, date: 2016-07-01}"])
    assert [m.status for m in g.milestones[1:4]] == ["not_recorded", "not_applicable", "overdue"]
    assert step(g, "adm_decision").days_over == 170
    # a granted POA (no milestones at all) shows the recommendation was made; the panel and ADM cannot be
    # measured (no recommendation date to count from), so they are not applicable, never overdue
    h = facts_of([FOSTER_2016, "{kind: order, type: poa, start: 2016-12-01}"])
    assert [m.status for m in h.milestones[1:4]] == ["not_recorded", "not_applicable", "not_applicable"]
    # ... and the order granted is the final order step's date (no target: done)
    assert (step(h, "final_order").date, step(h, "final_order").event) == (date(2016, 12, 1), 2)
    assert h.flags == ()


def test_percent_never_rounds_up_to_all() -> None:
    # born 1 Jan 2015, as at 1 Jan 2017: 731 days; looked after from 4 Jan 2015: 728 days = 99.59%
    f = facts_of(["{kind: placement, type: foster, start: 2015-01-04}"])
    assert (f.days_looked_after, f.age_days) == (728, 731)
    assert f.percent_of_life_looked_after == 99.6
    from timeline.words import percent_value, percent_words

    assert percent_words(728, 731) == "99%"
    assert percent_words(731, 731) == "100%"
    assert percent_words(1, 731) == "under 1%"
    assert percent_words(0, 731) == "0%"
    assert percent_words(607, 731) == "83%"  # 83.04
    assert percent_value(730, 731) == 99.9  # 99.86 would print 99.9, not 100.0
    assert percent_value(1, 100_000) == 0.1


def test_as_at_date_of_an_adult_or_long_after_the_last_event_is_warned_about() -> None:
    case = make(["{kind: placement, type: foster, start: 2006-05-10}"], dob="1995-04-02", as_of="2016-03-15")
    f = compute_facts(case)
    # 2 Apr 1995 -> 15 Mar 2016: 20 years 11 months; the last event 10 May 2006 is 9 years 10 months before
    assert len(f.as_of_warnings) == 2
    assert "Amy is 20 years 11 months old (18 or over)" in f.as_of_warnings[0]
    assert "9 years 10 months after the last event recorded (10 May 2006)" in f.as_of_warnings[1]
    assert compute_facts(make([FOSTER_2016])).as_of_warnings == ()


def test_durations_read_the_same_everywhere() -> None:
    from timeline.words import a_or_an, duration_words

    # 1,004 days with both ends known: 1 Jan 2014 -> 1 Oct 2016 is 2 years 9 completed calendar months
    assert duration_words((date(2014, 1, 1), date(2016, 10, 1))) == "2 years 9 months"
    assert duration_words((date(2014, 1, 1), date(2016, 10, 1)), short=True) == "2 y 9 m"
    # the same 1,004 days counted without dates: (1004 + 1.5) // 30.44 = 33 completed months
    assert duration_words(1004) == "2 years 9 months" and duration_words(1004, short=True) == "2 y 9 m"
    # the facts say which to word: one period is worded from its dates, several from their total of days
    f = facts_of(["{kind: placement, type: foster, start: 2014-01-01}"], dob="2013-01-01", as_of="2016-10-01")
    assert f.days_looked_after == 1004 and f.looked_after_span == (date(2014, 1, 1), date(2016, 10, 1))
    assert [a_or_an(w) for w in ("order", "event", "ICSO", "CSO", "Adoption Order", "Permanence Order")] == [
        "an", "an", "an", "a", "an", "a"]


def test_a_looked_after_milestone_starts_its_period_and_keeps_an_earlier_episode() -> None:
    f = facts_of([
        "{kind: order, type: s25, start: 2015-03-01, end: 2015-05-01}",  # an earlier episode: 61 days
        "{kind: order, type: cso, start: 2016-01-01}",
        "{kind: milestone, type: looked_after, date: 2016-02-01}",  # the record: looked after from 1 Feb
    ])
    # the CSO span starts at the milestone: 1 Feb 2016 -> 1 Jan 2017 = 335 days; the 2015 episode stays
    assert [(p.start, p.days) for p in f.looked_after_periods] == [(date(2015, 3, 1), 61), (date(2016, 2, 1), 335)]
    assert f.days_looked_after == 396
    # a milestone outside every span starts a period that runs to the next looked-after span
    g = facts_of([
        "{kind: milestone, type: looked_after, date: 2016-03-01}",
        "{kind: placement, type: foster, start: 2016-04-01}",
    ])
    assert [(p.start, p.end, p.ongoing) for p in g.looked_after_periods] == [(date(2016, 3, 1), date(2017, 1, 1), True)]


def test_no_looked_after_time_past_the_18th_birthday() -> None:
    # born 1 Jun 1998, foster care from 1 Jun 2010 never ended, as at 1 Jun 2020 (aged 22): looked after to
    # the 18th birthday, 1 Jun 2016: 6 x 365 + 2 (29 Feb 2012, 2016) = 2192 days, not 3653 to as_of
    f = facts_of(["{kind: placement, type: foster, start: 2010-06-01}"], dob="1998-06-01", as_of="2020-06-01")
    assert [(p.start, p.end, p.days, p.ongoing) for p in f.looked_after_periods] == [
        (date(2010, 6, 1), date(2016, 6, 1), 2192, False)]
    assert f.looked_after_end == date(2016, 6, 1)
    assert "(18 or over)" in f.as_of_warnings[0]
    # a placement starting after the 18th birthday is not looked-after time
    g = facts_of(["{kind: placement, type: supported, start: 2017-01-01}",
                  "{kind: milestone, type: looked_after, date: 2017-01-01}"], dob="1998-06-01", as_of="2020-06-01")
    assert g.looked_after_periods == () and g.days_looked_after == 0


# ---------------------------------------------------------------- partial dates in words: as recorded, no day invented
#
# A date recorded only as "2015", "Nov 2017" or "end of 2017" (read as Sep-Dec 2017) stands for its middle day in
# sums (2 Jul 2015, 15 Nov 2017, 31 Oct 2017); the words must give the date as recorded and never that day.


def _summary(events: list[str], **kw: str) -> str:
    from timeline.facts.compute import summary_text

    case = make(events, **kw)
    return summary_text(case, compute_facts(case))


def test_looked_after_rows_give_partial_ends_as_recorded() -> None:
    text = _summary([
        "{kind: placement, type: foster, start: '2015', end: 2015-10~}",
        "{kind: placement, type: home, start: 2015-10~}",
        "{kind: placement, type: foster, start: 2016-01-10, end: 2017-11}",
        "{kind: placement, type: home, start: 2017-11}",
    ], dob="2012-03-01", as_of="2018-06-01")
    rows = text.split("Steps to permanence")[0]
    assert "from 2015 (aged c. 3 y 4 m) to Nov 2017" in rows
    assert "period 1         from 2015 to c. Oct 2015: between 0 days and 10 months" in rows
    assert "period 2         from 10 Jan 2016 to Nov 2017: between 1 year 9 months and 1 year 10 months" in rows
    # 2015 -> c. Oct 2015 and 10 Jan 2016 -> Nov 2017: 0-304 + 660-690 days, never "781 days" as if counted
    assert "Time looked after  between 1 year 9 months and 2 years 8 months in 2 periods" in rows
    for invented in ("15 Nov 2017", "16 Oct 2015", "2 Jul 2015", "781 days", "106 days", "675 days"):
        assert invented not in rows
    f = compute_facts(make(["{kind: placement, type: foster, start: '2015', end: 2017-11}"], dob="2012-03-01",
                           as_of="2018-06-01"))
    # 1 Jan 2015 - 31 Dec 2015 to 1 - 30 Nov 2017: 671 to 1064 days; the sums still count from middle days
    assert f.looked_after_days_range == (671, 1064)
    assert f.days_looked_after == (date(2017, 11, 15) - date(2015, 7, 2)).days


def test_review_gaps_give_partial_reviews_as_recorded() -> None:
    text = _summary([
        "{kind: placement, type: foster, start: 2015-02-10}",
        "{kind: meeting, type: laac_review, date: 2016-07}",
        "{kind: meeting, type: laac_review, date: 2016-10}",
        "{kind: meeting, type: laac_review, date: '2017'}",
        "{kind: meeting, type: laac_review, date: 2018-09/2018-12}",
    ], dob="2012-03-01", as_of="2019-06-01")
    reviews = text.split("Looked-after reviews")[1]
    # middle days: 16 Jul 2016, 16 Oct 2016, 2 Jul 2017, 31 Oct 2018; Jul 2016 -> Oct 2016 is 62 to 122 days
    assert "between 10 Feb 2015 and Jul 2016 (between 1 year 4 months and 1 year 5 months; " in reviews
    assert "between Jul 2016 and Oct 2016 (between 2 months and 4 months; " in reviews
    assert "between Oct 2016 and 2017 (between 2 months and 1 year 3 months; " in reviews
    assert "between 2017 and Sep–Dec 2018 (between " in reviews
    for invented in ("16 Jul 2016", "16 Oct 2016", "2 Jul 2017", "31 Oct 2018", "92 days", "259 days"):
        assert invented not in reviews


def test_flags_give_fuzzy_dates_as_recorded() -> None:
    text = _summary([
        "{kind: placement, type: foster, start: '2015', end: 2017-11}",
        "{kind: placement, type: home, start: 2017-09/2017-12}",  # "end of 2017", as the import reads it
        "{kind: order, type: cso, start: 2017-09/2017-12}",
    ], dob="2012-03-01", as_of="2020-06-01")
    flags = text.split("Flags")[1]
    # from Sep-Dec 2017 to 1 Jun 2020: 883 to 1004 days; never the middle day 31 Oct 2017 and 2 y 7 m from it
    assert ("on a compulsory supervision order while living at home for between 2 years 5 months and 2 years 9 "
            "months (from Sep–Dec 2017)") in flags
    assert "Looked after for between 4 years 5 months and 5 years 5 months with no permanence" in flags
    moves = _summary([
        "{kind: placement, type: foster, start: 2016-01}",
        "{kind: placement, type: foster, start: 2016-03~}",
        "{kind: placement, type: foster, start: 2016-06}",
        "{kind: placement, type: foster, start: 2016-09/2016-12}",
    ], dob="2012-03-01", as_of="2017-06-01").split("Flags")[1]
    assert "3 placement moves within 12 months (c. Mar 2016 to Sep–Dec 2016)" in moves
    for invented in ("31 Oct 2017", "2 years 7 months", "16 Mar 2016", "31 Oct 2016"):
        assert invented not in flags + moves


def test_as_of_warnings_give_a_partial_last_event_as_recorded() -> None:
    from timeline.model.record import as_of_warnings

    for end, said, spread in (("2006-05", "May 2006", "between 9 years 9 months and 9 years 10 months"),
                              ("'2006'", "2006", "between 9 years 2 months and 10 years 2 months"),
                              ("2006-05/2006-08", "May–Aug 2006", "between 9 years 6 months and 9 years 10 "
                                                                         "months")):
        case = make([f"{{kind: placement, type: foster, start: 2005-01-10, end: {end}}}"], dob="1995-04-02",
                    as_of="2016-03-15")
        warning = as_of_warnings(case)[1]
        assert f"is {spread} after the last event recorded ({said})" in warning
        assert not any(day in warning for day in ("16 May 2006", "2 Jul 2006", "1 Jul 2006", "15 May 2006"))


def test_steps_table_gives_ages_and_times_at_partial_dates_as_approximate() -> None:
    text = _summary([
        "{kind: milestone, type: looked_after, date: '2015'}",
        "{kind: placement, type: foster, start: 2015-03-01}",
        "{kind: milestone, type: permanence_recommended, date: 2016-03, route: adoption}",
        "{kind: milestone, type: permanence_panel, date: 2016-05-10}",
    ], dob="2012-03-01", as_of="2017-06-01")
    head, steps = text.split("Steps to permanence")[:2]
    rows = {line.split("  ")[1]: line.split() for line in steps.splitlines() if line.startswith("  ")}
    # the explicit looked-after milestone "2015" starts the period: its middle day 2 Jul 2015 is never printed
    assert "from 2015 (aged c. 3 y 4 m)" in head
    assert rows["Looked after"][2:7] == ["2015", "c.", "3", "y", "4"]
    # Mar 2016: c. 4 y; 2 Jul 2015 -> 16 Mar 2016 = 258 days, c. 8 m; 16 Mar -> 10 May 2016 = 55 days, c. 7 weeks
    assert rows["Permanence recommended"][2:11] == ["Mar", "2016", "c.", "4", "y", "c.", "8", "m", "c."]
    assert rows["Panel"][1:11] == ["10", "May", "2016", "4", "y", "2", "m", "c.", "10", "m"]
    assert "c. 7 weeks" in " ".join(rows["Panel"])
    assert "2 Jul 2015" not in text


def test_reviews_due_from_a_partial_date_give_the_months_and_the_least_and_most_late() -> None:
    text = _summary([
        "{kind: placement, type: foster, start: 2015-03}",
        "{kind: meeting, type: laac_review, date: 2015-04-20}",
        "{kind: meeting, type: laac_review, date: 2015-09}",
        "{kind: meeting, type: laac_review, date: '2016'}",
    ], dob="2012-03-01", as_of="2016-09-01", records="complete")
    rows = [line.split("  ", 4)[-1].strip() for line in text.split("Looked-after reviews")[1].splitlines()
            if line.startswith("  Foster care")]
    # placed 1 - 31 Mar 2015: review 1 due 42 days on, 12 Apr - 12 May 2015; held 20 Apr: on time or 8 days late
    assert "Apr 2015–May 2015  20 Apr 2015  cannot tell whether on time: up to 8 days late" in rows[0]
    # review 2 due 91 days after 20 Apr: 20 Jul 2015; held 1 - 30 Sep: 43 to 72 days late
    assert "20 Jul 2015        Sep 2015     between 6 weeks and 2 months late" in rows[1]
    # review 3 due 182 days after Sep 2015: 1 - 30 Mar 2016; held 2016 (1 Jan - 31 Dec): on time or late
    assert rows[2].startswith("Mar 2016           2016         cannot tell whether on time: up to ")
    for invented in ("27 Apr 2015", "57 days", "15 Mar 2016", "2 Jul 2016"):
        assert invented not in text
