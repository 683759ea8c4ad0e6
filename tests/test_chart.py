"""The layout stage's units (timeline.chart) through their public entry: the look apart from the policy, the
cached stylesheet, and fit ladders that make each pass once."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest

from timeline.chart import draw
from timeline.chart.layout import DEFAULT_POLICY, Policy, fit_one_page, layout, layout_pass, stylesheet
from timeline.chart.metrics import default_metrics
from timeline.facts.compute import compute_facts
from timeline.io.read import load_case
from timeline.model.case import Case
from timeline.model.vocabulary import load_vocabulary
from timeline.scene.theme import DEFAULT_THEME, Theme, printable_width_px

ROOT = Path(__file__).resolve().parent.parent


def sample(stem: str) -> Case:
    return load_case(ROOT / "samples" / f"{stem}.yaml").case


def test_the_look_holds_no_layout_policy() -> None:
    """What gives way to fit a room is the policy's; the theme holds only the look."""
    look = {f.name for f in fields(Theme)}
    rules = {f.name for f in fields(Policy)}
    assert not look & rules
    assert {"hidden_lanes", "unlabelled_lanes", "number_cut_labels", "lane_tiers", "key_columns"} <= rules


def test_looks_and_policies_are_hashable_and_equal_by_value() -> None:
    assert hash(Theme()) == hash(DEFAULT_THEME) and Theme() == DEFAULT_THEME
    assert replace(DEFAULT_THEME, ink="#000001") != DEFAULT_THEME
    assert replace(DEFAULT_THEME, marker_fills={"hearing": "#000000"}) != DEFAULT_THEME  # compared, not hashed
    assert hash(DEFAULT_POLICY.compact(2)) == hash(Policy().compact(2))
    assert DEFAULT_POLICY.compact(2) != DEFAULT_POLICY.compact(3)


def test_the_stylesheet_is_built_once_per_look_and_vocabulary() -> None:
    vocab = load_vocabulary("scotland")
    sheet = stylesheet(DEFAULT_THEME, vocab)
    assert stylesheet(Theme(), vocab) is sheet  # an equal look: the same sheet, not a rebuilt one
    other = stylesheet(replace(DEFAULT_THEME, ink="#000001"), vocab)
    assert other is not sheet and other != sheet
    assert stylesheet(DEFAULT_THEME, load_vocabulary("england-wales")) != sheet  # the vocabulary's fills differ


def test_the_scene_of_a_pass_carries_the_cached_stylesheet() -> None:
    case = sample("drifting")
    scene = layout(case, facts=compute_facts(case), theme=DEFAULT_THEME, metrics=default_metrics(),
                   width=printable_width_px("A4"))
    assert scene.style is stylesheet(DEFAULT_THEME, load_vocabulary(case.jurisdiction))


@pytest.mark.parametrize("room", [560.0, 577.8, 5000.0])
def test_a_one_page_fit_draws_each_look_and_policy_once(monkeypatch: pytest.MonkeyPatch, room: float) -> None:
    """The ladder asks again for passes it made (a fitted candidate is grown from itself; giving back settles on
    a pass it made): each is drawn once, and the key's forms share one drawing."""
    case = sample("drifting")
    drawn: list[tuple[Theme, Policy]] = []
    chart = draw.chart

    def counted(ctx: Any) -> Any:
        drawn.append((ctx.theme, ctx.policy.drawing()))
        return chart(ctx)

    monkeypatch.setattr(draw, "chart", counted)
    fitted = fit_one_page(case, facts=compute_facts(case), theme=DEFAULT_THEME, metrics=default_metrics(),
                          width=printable_width_px("A4"), max_height=room)
    assert fitted.fits
    assert drawn and len(drawn) == len(set(drawn))


def test_the_keys_form_changes_only_the_key() -> None:
    """The chart's drawing does not read the key's form (`Policy.drawing`), which is why the one-page ladder
    finishes one drawing under each form: four columns instead of three move only the key."""
    case = sample("drifting")
    args: dict[str, Any] = {"facts": compute_facts(case), "theme": DEFAULT_THEME.compact(2),
                            "metrics": default_metrics(), "width": printable_width_px("A4"), "title_block": False}
    three = replace(DEFAULT_POLICY.compact(2), key_columns=3)
    four = replace(three, key_columns=4)
    assert three.drawing() == four.drawing() and three != four
    a, b = (layout_pass(case, policy=p, **args).scene for p in (three, four))
    key = {"key-number", "key-text", "key-mark"}

    def chart_part(scene: Any) -> list[Any]:
        return [item for item in scene.items if getattr(item, "cls", "") not in key | {"canvas"}]

    assert chart_part(a) == chart_part(b)
    a_key, b_key = ([t.x for t in s.texts() if t.cls == "key-text"] for s in (a, b))
    assert len(set(a_key)) <= 3 and len(set(b_key)) <= 4  # each key in at most its form's columns
    assert b.height <= a.height  # and never taller: fewer, wider columns only where they are shorter


def _chart_of(rest: str) -> Any:
    """The A4 chart of Amy (born 1 Mar 2012) with the case file's lines after `child:`."""
    from timeline.io.read import load_text

    case = load_text("child: {name: Amy, date_of_birth: 2012-03-01}\n" + rest).case
    return layout(case, facts=compute_facts(case), theme=DEFAULT_THEME, metrics=default_metrics(),
                  width=printable_width_px("A4"))


def test_the_charts_words_give_partial_dates_as_recorded() -> None:
    """Looked after from '2015' to 'c. Oct 2015' and from 10 Jan 2016 to 'Nov 2017': the bracket, its title,
    the moves' titles and the events' ages say so ('c.', the recorded months), never a middle day."""
    from timeline.scene.items import Group, Text

    scene = _chart_of("as_of: 2018-06-01\nevents:\n"
                      "  - {kind: placement, type: foster, start: '2015', end: 2015-10~}\n"
                      "  - {kind: placement, type: home, start: 2015-10~}\n"
                      "  - {kind: placement, type: foster, start: 2016-01-10, end: 2017-11}\n"
                      "  - {kind: placement, type: home, start: 2017-11}\n")
    titles = {g.id: g.title for g, _ in scene.walk() if isinstance(g, Group) and g.id}
    texts = [t.text for t, _ in scene.walk() if isinstance(t, Text)]
    assert titles["looked-after"].startswith("Looked after 2015 to c. Oct 2015; 10 Jan 2016 to Nov 2017: c. 2 y 1 m "
                                             "in 2 periods")
    assert any(t.startswith("c. 2 y 1 m looked after in 2 periods") for t in texts)
    assert titles["move-3"] == "Move 3: Nov 2017 (age c. 5 y 8 m), to at home with parent(s)"
    assert "(age c. 3 y 4 m \u2013 c. 3 y 7 m)" in titles["event-1"]
    assert "c. 2 y 1 m" in scene.desc
    words = " ".join([*map(str, titles.values()), *texts, scene.desc])
    for invented in ("16 Oct 2015", "15 Nov 2017", "2 Jul 2015"):
        assert invented not in words


def test_reviews_counted_from_a_partial_date_are_drawn_with_the_months_they_may_fall_due_in() -> None:
    from timeline.scene.items import Group, Text

    scene = _chart_of("as_of: 2017-06-01\nrecords: {reviews: complete}\nevents:\n"
                      "  - {kind: placement, type: foster, start: 2015-03}\n"
                      "  - {kind: meeting, type: laac_review, date: 2015-04-20}\n"
                      "  - {kind: meeting, type: laac_review, date: 2015-09}\n")
    titles = [g.title or "" for g, _ in scene.walk() if isinstance(g, Group)]
    texts = " ".join(t.text for t, _ in scene.walk() if isinstance(t, Text))
    # review 2 due 20 Jul 2015, held Sep 2015 (43 to 72 days late); review 3 due 182 days after Sep 2015
    assert any("Looked-after child review (held between 6 weeks and 2 months late)" in t for t in titles)
    assert any(t.startswith("Mar 2016 (age c. 4 y): looked-after review due, not held by 1 Jun 2017 (between 1 "
                            "year 2 months and 1 year 3 months overdue)") for t in titles)
    words = " ".join([*titles, texts])
    for invented in ("15 Mar 2016", "57 days", "443 days"):
        assert invented not in words
