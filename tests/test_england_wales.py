"""England and Wales as a jurisdiction: each case's events are checked against its own vocabulary, and its
own standards (A1, A2, CLA review schedule) apply, checked against hand-worked figures."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from timeline.facts.compute import compute_facts
from timeline.facts.standards import load_standards
from timeline.model.case import Case
from timeline.model.vocabulary import load_vocabulary


def _case(jurisdiction: str, events: list[dict[str, object]], **more: object) -> Case:
    return Case.model_validate({"version": 1, "child": {"name": "Ruby", "date_of_birth": "2015-04-09"},
                                "jurisdiction": jurisdiction, "as_of": "2019-01-01", "events": events, **more})


def test_an_english_order_is_refused_in_a_scottish_case_and_accepted_in_an_english_one() -> None:
    order = [{"kind": "order", "type": "care_order", "start": "2017-03-16"}]
    with pytest.raises(ValidationError) as err:
        _case("scotland", order)
    assert "'care_order' is not a known order type" in str(err.value)
    assert _case("england-wales", order).events[0].type == "care_order"
    with pytest.raises(ValidationError) as err2:
        _case("england-wales", [{"kind": "order", "type": "cso", "start": "2017-03-16"}])
    assert "'cso' is not a known order type" in str(err2.value)


def test_a_recommended_route_is_checked_against_the_cases_own_jurisdiction() -> None:
    """A route is a legal route of the case's jurisdiction: special guardianship is England's, a Permanence
    Order Scotland's; neither is accepted in the other's case (the route was once Scotland's four everywhere)."""

    def recommended(route: str) -> list[dict[str, object]]:
        return [{"kind": "milestone", "type": "permanence_recommended", "date": "2017-03-16", "route": route}]

    english = _case("england-wales", recommended("special_guardianship"))
    assert english.events[0].route == "special_guardianship"  # type: ignore[union-attr]
    assert _case("wales", recommended("child_arrangements")).events[0].route == "child_arrangements"  # type: ignore[union-attr]
    assert _case("scotland", recommended("permanence_order")).events[0].route == "permanence_order"  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as err:
        _case("scotland", recommended("special_guardianship"))
    assert "'home', 'kinship', 'permanence_order' or 'adoption'" in str(err.value)
    with pytest.raises(ValidationError) as err2:
        _case("england-wales", recommended("permanence_order"))
    assert "'home', 'special_guardianship', 'child_arrangements' or 'adoption'" in str(err2.value)


def test_routes_and_looked_after_are_data() -> None:
    v = load_vocabulary("england-wales")
    assert v.term("order", "adoption").route == "adoption"
    assert v.term("order", "sgo").route == "special_guardianship"
    assert v.term("order", "child_arrangements").route == "child_arrangements"
    assert v.term("order", "s20").looked_after and v.term("order", "ico").looked_after
    assert not v.term("order", "supervision_order").looked_after


def test_standards_follow_the_case_jurisdiction() -> None:
    ew = load_standards(jurisdiction="england-wales")
    assert (ew.reviews.first_days, ew.reviews.second_days, ew.reviews.later_days) == (28, 91, 182)
    assert ew.target("matched").days == 121 and ew.target("matched").after == "placement_order"
    assert ew.target("placed_for_adoption").days == 426
    assert ew.target("proceedings_concluded").days == 182
    assert load_standards().reviews.first_days == 42  # Scotland unchanged


def test_adoption_case_measured_by_hand() -> None:
    """Looked after 12 Sep 2016 (s20), placement order 16 Mar 2017, matched 22 Jun 2017 (98 days: A2 met),
    placed 10 Jul 2017 (301 days: A1 met), adoption order 21 Feb 2018: 527 days looked after."""
    case = _case("england-wales", [
        {"kind": "order", "type": "s20", "start": "2016-09-12"},
        {"kind": "placement", "type": "foster", "start": "2016-09-12"},
        {"kind": "order", "type": "ico", "start": "2016-11-17"},
        {"kind": "milestone", "type": "proceedings_issued", "date": "2016-11-17"},
        {"kind": "order", "type": "care_order", "start": "2017-03-16"},
        {"kind": "order", "type": "placement_order", "start": "2017-03-16"},
        {"kind": "milestone", "type": "matched", "date": "2017-06-22"},
        {"kind": "placement", "type": "adoptive", "start": "2017-07-10"},
        {"kind": "order", "type": "adoption", "start": "2018-02-21"},
    ])
    facts = compute_facts(case)
    assert facts.days_looked_after == 527
    steps = {m.type: m for m in facts.milestones}
    assert steps["placement_order"].date == date(2017, 3, 16)
    assert steps["matched"].status == "met" and (steps["matched"].date - date(2017, 3, 16)).days == 98
    assert steps["placed_for_adoption"].date == date(2017, 7, 10) and steps["placed_for_adoption"].status == "met"
    assert steps["placed_for_adoption"].days_from_looked_after == 301
    # issue 17 Nov 2016 -> care order 16 Mar 2017 = 119 days, within 26 weeks
    assert steps["proceedings_concluded"].status == "met"
    assert steps["proceedings_concluded"].date == date(2017, 3, 16)
    assert facts.legal_permanence is not None and facts.legal_permanence.route == "adoption"


def test_cla_reviews_are_counted_on_the_english_schedule() -> None:
    """Looked after Thu 1 Mar 2018: the first review is due 20 working days later (2 Mar is day 1, then four
    weeks less a day: Thu 29 Mar 2018; Good Friday, 30 Mar, is after it), held 20 Mar."""
    case = _case("england-wales", [
        {"kind": "order", "type": "s20", "start": "2018-03-01"},
        {"kind": "placement", "type": "foster", "start": "2018-03-01"},
        {"kind": "meeting", "type": "cla_review", "date": "2018-03-20"},
    ], records={"reviews": "complete"})
    facts = compute_facts(case)
    assert facts.reviews_recorded == 1
    first = facts.reviews[0]
    assert first.due == date(2018, 3, 29) and first.held == date(2018, 3, 20) and first.days_late == 0


def test_the_no_plan_flag_cites_english_guidance_not_pace() -> None:
    case = _case("england-wales", [
        {"kind": "order", "type": "s20", "start": "2018-03-01"},
        {"kind": "placement", "type": "foster", "start": "2018-03-01"},
    ])
    texts = [f.text for f in compute_facts(case).flags]
    assert any("Care planning guidance" in t and "17 weeks" in t for t in texts), texts
    assert not any("PACE" in t for t in texts)
