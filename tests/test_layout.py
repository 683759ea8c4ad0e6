"""Layout stage tests: coordinates, sub-rows, tiers, the numbered key, and invariants under hypothesis."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from timeline.chart.layout import Policy, first_free, layout
from timeline.chart.metrics import TextMetrics, default_metrics
from timeline.chart.scale import AgeScale
from timeline.facts.compute import compute_facts
from timeline.model.case import Case, event_id
from timeline.scene.items import Box, Group, Line, Marker, Path, Rect, Scene, Text
from timeline.scene.theme import DEFAULT_THEME, printable_width_px, printed_pt

T = DEFAULT_THEME
WIDTH = printable_width_px("A4")
X0 = T.margin + T.gutter + T.gutter_gap
X1 = WIDTH - T.margin - T.right_pad


def make_case(events: list[dict[str, Any]], *, born: str = "2015-01-01", as_of: str = "2019-01-01",
              name: str = "Amy") -> Case:
    return Case.model_validate({"child": {"name": name, "date_of_birth": born, "ref": "C-1"}, "as_of": as_of,
                                "events": events})


def scene_of(case: Case, *, width: float = WIDTH, title_block: bool = True) -> Scene:
    return layout(case, facts=compute_facts(case), theme=T, metrics=default_metrics(), width=width,
                  title_block=title_block)


def group(scene: Scene, gid: str) -> Group:
    found = [g for g in scene.event_groups() if g.id == gid]
    assert len(found) == 1, gid
    return found[0]


def bar(scene: Scene, gid: str) -> Rect:
    return next(i for i in group(scene, gid).items if isinstance(i, Rect) and i.cls.startswith("bar "))


def texts_of(scene: Scene, gid: str) -> list[Text]:
    return [i for i in group(scene, gid).items if isinstance(i, Text)]


def boxes(scene: Scene) -> list[Box]:
    out = []
    for item, _ in scene.walk():
        if isinstance(item, (Rect, Text, Marker, Path, Line)):
            out.append(item.box)
    return out


def overlapping_texts(scene: Scene) -> list[tuple[Text, Text]]:
    """Pairs of text boxes that overlap, by a sweep over x (fast enough for thousands of labels)."""
    texts = sorted(scene.texts(), key=lambda t: t.x)
    bad: list[tuple[Text, Text]] = []
    active: list[Text] = []
    for t in texts:
        active = [a for a in active if a.x + a.width > t.x + 0.01]
        bad.extend((a, t) for a in active if a.box.overlaps(t.box))
        active.append(t)
    return bad


def texts_over_markers(scene: Scene) -> list[tuple[Text, Marker]]:
    """Text boxes over a marker (a move's number sits in its own circle by design), by a sweep over x."""
    texts = [t for t in scene.texts() if t.cls != "move-number"]
    marks = [m for m, _ in scene.walk() if isinstance(m, Marker) and m.cls != "move-marker"]
    items = sorted([(t.x, 0, i) for i, t in enumerate(texts)] + [(m.box.x, 1, i) for i, m in enumerate(marks)])
    bad: list[tuple[Text, Marker]] = []
    open_texts: list[Text] = []
    open_marks: list[Marker] = []
    for x, kind, i in items:
        open_texts = [t for t in open_texts if t.x + t.width > x + 0.01]
        open_marks = [m for m in open_marks if m.box.right > x + 0.01]
        if kind == 0:
            bad.extend((texts[i], m) for m in open_marks if texts[i].box.overlaps(m.box))
            open_texts.append(texts[i])
        else:
            bad.extend((t, marks[i]) for t in open_texts if t.box.overlaps(marks[i].box))
            open_marks.append(marks[i])
    return bad


def outside(scene: Scene) -> list[Box]:
    return [b for b in boxes(scene) if b.x < -0.01 or b.y < -0.01 or b.right > scene.width + 0.01
            or b.bottom > scene.height + 0.01]


# ---------------------------------------------------------------- theme, text, scale


def test_printable_width_and_minimum_text_size() -> None:
    assert printable_width_px("A4") == pytest.approx(1031.81, abs=0.01)  # (297 - 24) mm at 96 dpi
    assert printable_width_px("A3") == pytest.approx(1496.69, abs=0.01)  # (420 - 24) mm
    assert printed_pt(T.min_text, canvas_width=printable_width_px("A4")) == pytest.approx(9.0, abs=0.01)
    for size in (T.text_size, T.bar_text_size, T.lane_title_size, T.subtitle_size, T.title_size):
        assert size >= T.min_text


def test_text_widths_scale_and_missing_glyphs_get_room() -> None:
    m = TextMetrics()
    assert m.width("", 12) == 0
    w12, w24 = m.width("Foster carers", 12), m.width("Foster carers", 24)
    assert w24 == pytest.approx(2 * w12, abs=0.02)
    assert m.width("Foster", 12, bold=True) > m.width("Foster", 12)
    assert m.width("漢", 12) == pytest.approx(12.0)  # wide CJK character the font lacks: one em
    assert m.width("→", 12) > 3  # a narrow glyph the font lacks still gets the font's average width
    assert m.width("Siobhán Ó Dónaill", 12) > m.width("Siobhan O Donaill", 12) - 0.01


def test_wrap_and_fit() -> None:
    m = TextMetrics()
    lines = m.wrap("Looked-after review recommends permanence away from home through adoption", 12, 150, 2)
    assert len(lines) == 2
    assert all(m.width(line, 12) <= 150 for line in lines)
    assert lines[-1].endswith("…")
    assert m.fit("A very long label indeed", 12, 60).endswith("…")
    assert m.width(m.fit("A very long label indeed", 12, 60), 12) <= 60
    assert m.wrap("Short", 12, 150, 2) == ("Short",)


def test_scale_formula_and_ticks() -> None:
    sc = AgeScale(born=date(2015, 1, 1), start=date(2015, 1, 1), end=date(2019, 1, 1), x0=100, x1=1100)
    assert sc.x(date(2015, 1, 1)) == 100
    assert sc.x(date(2019, 1, 1)) == 1100
    assert sc.x(date(2017, 1, 1)) == pytest.approx(100 + 1000 * 731 / 1461, abs=0.01)
    assert sc.x(date(2010, 1, 1)) == 100  # before the visible range: at the left edge
    ticks = sc.age_ticks(min_spacing=50, year_steps=(1, 2, 5), month_steps=(1, 3, 6), short_span_years=2,
                         month_min_spacing=40)
    assert [t.label for t in ticks if t.major] == ["Birth", "Age 1", "Age 2", "Age 3", "Age 4"]
    short = AgeScale(born=date(2020, 1, 1), start=date(2020, 1, 1), end=date(2020, 10, 1), x0=0, x1=900)
    labels = [t.label for t in short.age_ticks(min_spacing=50, year_steps=(1,), month_steps=(1, 3),
                                               short_span_years=4, month_min_spacing=60)]
    assert "1 m" in labels and "9 m" in labels  # finer ticks when the span is short


def test_first_free_partitions_with_lowest_free_row() -> None:
    assert first_free([(0, 10), (5, 15), (10, 20), (12, 30), (16, 18)]) == [0, 1, 0, 2, 1]
    assert first_free([(0, 10), (1, 10), (2, 10)], cap=2) == [0, 1, None]
    assert first_free([]) == []


# ---------------------------------------------------------------- coordinates


def test_birth_and_as_of_at_expected_x_and_bars_proportional() -> None:
    case = make_case([
        {"kind": "placement", "type": "foster", "start": "2016-01-01", "end": "2017-01-01", "id": "one"},
        {"kind": "placement", "type": "kinship", "start": "2017-01-01", "end": "2019-01-01", "id": "two"},
    ])
    scene = scene_of(case)
    as_of_line = next(i for i, _ in scene.walk() if isinstance(i, Line) and i.cls == "as-of")
    assert as_of_line.x1 == pytest.approx(X1, abs=0.01)
    birth = next(t for t in scene.texts() if t.text == "Birth")
    assert birth.x + birth.width / 2 == pytest.approx(X0, abs=T.gutter_gap + 0.01)
    one, two = bar(scene, "one"), bar(scene, "two")
    px_per_day = (X1 - X0) / (date(2019, 1, 1) - date(2015, 1, 1)).days
    assert one.x == pytest.approx(X0 + 365 * px_per_day, abs=0.02)
    assert two.width / one.width == pytest.approx(731 / 366, abs=0.01)  # 2-year bar twice the 1-year bar
    assert one.y == two.y  # consecutive placements share a row
    assert one.height == T.placement_bar


def test_overlapping_orders_go_to_sub_rows() -> None:
    case = make_case([
        {"kind": "order", "type": "cso", "start": "2016-01-01", "end": "2018-01-01", "id": "cso"},
        {"kind": "order", "type": "cp_register", "start": "2015-06-01", "end": "2016-06-01", "id": "cpr"},
        {"kind": "order", "type": "po", "start": "2018-01-01", "id": "po"},
    ])
    scene = scene_of(case)
    cpr, cso, po = bar(scene, "cpr"), bar(scene, "cso"), bar(scene, "po")
    assert cpr.y != cso.y
    assert abs(cpr.y - cso.y) == pytest.approx(T.order_bar + T.sub_row_gap)
    assert po.y == cpr.y  # the first free row once the register has ended
    assert "permanence" in po.cls
    assert "open" in group(scene, "po").cls
    assert any(isinstance(i, Path) and i.cls.startswith("arrow") for i in group(scene, "po").items)


def test_point_labels_sit_beside_their_markers_when_the_row_is_free_else_in_tiers() -> None:
    case = make_case([
        {"kind": "hearing", "type": "childrens_hearing", "date": "2016-03-01", "label": "Grounds hearing held",
         "id": "a"},
        {"kind": "hearing", "type": "childrens_hearing", "date": "2016-03-04", "label": "ICSO continued again",
         "id": "b"},
        {"kind": "hearing", "type": "childrens_hearing", "date": "2016-03-07", "label": "Appeal lodged by mum",
         "id": "d"},
        {"kind": "hearing", "type": "court", "date": "2018-03-01", "label": "Proof", "id": "c"},
    ])
    scene = scene_of(case)
    marks = {g.id: next(i for i in g.items if isinstance(i, Marker)) for g in scene.event_groups()}
    ta, tb, tc, td = (texts_of(scene, k)[0] for k in "abcd")
    # the first ends just left of its marker, on the marker row; the last of the three and the far one
    # start just right of theirs; the middle one has no room on the row and goes to the first tier
    assert ta.x + ta.width < marks["a"].cx - T.marker_size / 2
    assert td.x > marks["d"].cx + T.marker_size / 2 and tc.x > marks["c"].cx + T.marker_size / 2
    assert ta.y == td.y == tc.y and abs(ta.y + ta.height / 2 - marks["a"].cy) < 1.0
    assert tb.y > marks["b"].cy + T.marker_size / 2
    for t in (ta, tb, tc, td):  # no text over any marker
        assert not any(t.box.overlaps(m.box) for m in marks.values())
    shapes = {k: m.shape for k, m in marks.items()}
    assert shapes == {"a": "diamond", "b": "diamond", "c": "triangle", "d": "diamond"}


def test_what_matters_to_a_hearing_keeps_its_words_first() -> None:
    """Where only one of two labels can keep its words, the permanence step does, not the routine review."""

    from timeline.chart.labels import priority

    assert priority("order", "po") > priority("hearing", "childrens_hearing") > priority("meeting", "laac_review")
    assert priority("meeting", "laac_review") > priority("event", "school")
    assert priority("meeting", "permanence_planning") > priority("meeting", "laac_review")
    case = make_case([  # one day, in file order: reviews around the permanence meeting
        {"kind": "meeting", "type": "laac_review", "date": "2016-03-01", "label": "Routine review of the plan",
         "id": "r"},
        {"kind": "meeting", "type": "permanence_planning", "date": "2016-03-01", "label": "Permanence planning met",
         "id": "p"},
        {"kind": "meeting", "type": "laac_review", "date": "2016-03-01", "label": "Another routine review",
         "id": "q"},
    ])
    policy = Policy(max_tiers=0)  # no tiers: only the marker row has room, left and right of the markers
    scene = layout(case, facts=compute_facts(case), theme=T, metrics=default_metrics(), width=WIDTH, policy=policy)
    words = {t.text for t in scene.texts() if t.cls == "label"}
    assert "Permanence planning met" in words
    assert not {"Routine review of the plan", "Another routine review"} <= words


def test_nearby_events_with_the_same_words_share_one_label() -> None:
    events = [{"kind": "hearing", "type": "childrens_hearing", "date": f"2016-0{m}-{d:02d}", "label": "ICSO continued",
               "id": f"h{m}{d}"} for m, d in ((1, 5), (1, 26), (2, 16), (3, 8))]
    events.append({"kind": "meeting", "type": "laac_review", "date": "2016-02-01", "id": "r1"})
    events.append({"kind": "meeting", "type": "laac_review", "date": "2016-02-20", "id": "r2"})
    events.append({"kind": "hearing", "type": "childrens_hearing", "date": "2018-06-01", "label": "ICSO continued",
                   "id": "far"})
    scene = scene_of(make_case(events))
    combined = " ".join(t.text for t in scene.texts() if t.cls == "combined-label")  # lines of wrapped labels
    assert "4 hearings, Jan–Mar 2016: ICSO continued" in combined
    assert "LAAC reviews × 2, Feb 2016" in combined
    assert "ICSO continued" in texts_of(scene, "far")[0].text  # far from the others: its own label
    ticks = {ln.event for ln, _ in scene.walk() if isinstance(ln, Line) and "combined" in ln.cls.split()}
    assert {"h15", "h126", "h216", "h38", "r1", "r2"} <= ticks  # each event it stands for is joined to it
    assert not overlapping_texts(scene)


def test_a_key_entry_is_never_cut() -> None:
    long = "Hearing: " + "contact with the paternal grandparents to be reviewed at the next hearing " * 1
    events = [{"kind": "hearing", "type": "childrens_hearing", "date": f"2016-03-{d:02d}", "label": f"{long}{d}"}
              for d in range(1, 29)]
    from dataclasses import replace

    policy = replace(Policy().compact(4), key_columns=4)
    case = make_case(events)
    scene = layout(case, facts=compute_facts(case), theme=T.compact(4), metrics=default_metrics(), width=WIDTH,
                   policy=policy)
    key = " ".join(t.text for t in scene.texts() if t.cls == "key-text")
    for d in range(1, 29):
        assert f"next hearing {d}" in key
    assert "…" not in key


def test_labels_inside_bars_when_they_fit() -> None:
    case = make_case([
        {"kind": "placement", "type": "foster", "start": "2015-02-01", "end": "2018-01-01",
         "label": "Foster carers (B)", "id": "f"},
        {"kind": "placement", "type": "residential", "start": "2018-01-01", "end": "2018-01-20", "label": "Unit",
         "id": "r"},
    ])
    scene = scene_of(case)
    f_text, f_bar = texts_of(scene, "f")[0], bar(scene, "f")
    assert f_text.text == "Foster carers (B)"
    assert f_bar.x <= f_text.x and f_text.x + f_text.width <= f_bar.x + f_bar.width
    assert f_bar.y <= f_text.y and f_text.y + f_text.height <= f_bar.y + f_bar.height
    r_text, r_bar = texts_of(scene, "r")[0], bar(scene, "r")
    assert r_text.x >= r_bar.x + r_bar.width  # too narrow: beside it, on its row, where nothing follows
    assert r_bar.y <= r_text.y and r_text.y + r_text.height <= r_bar.y + r_bar.height
    followed = make_case([
        {"kind": "placement", "type": "foster", "start": "2015-02-01", "end": "2018-01-01",
         "label": "Foster carers (B)", "id": "f"},
        {"kind": "placement", "type": "residential", "start": "2018-01-01", "end": "2018-01-20", "label": "Unit",
         "id": "r"},
        {"kind": "placement", "type": "kinship", "start": "2018-01-20", "label": "Gran", "id": "g"},
    ])
    scene = scene_of(followed)
    r_text, r_bar = texts_of(scene, "r")[0], bar(scene, "r")
    assert r_text.y >= r_bar.y + r_bar.height  # the next placement takes the row: the label goes beneath


def test_a_short_order_s_label_sits_beside_it_and_the_lane_needs_no_tier() -> None:
    """An order too short for its words, alone on its sub-row: its label sits just right of the bar on that
    row (no other bar, arrow or move line there), so the lane opens no tier of labels beneath its bars."""
    case = make_case([
        {"kind": "order", "type": "cso", "start": "2015-03-01", "end": "2016-03-01", "id": "c"},
        {"kind": "order", "type": "po", "start": "2015-09-01", "end": "2015-10-01", "label": "CSO varied: contact",
         "id": "p"},
    ])
    scene = scene_of(case)
    p_text, p_bar, c_bar = texts_of(scene, "p")[0], bar(scene, "p"), bar(scene, "c")
    assert p_bar.y > c_bar.y  # its own sub-row
    assert p_text.x >= p_bar.x + p_bar.width and p_text.text == "PO: CSO varied: contact"
    assert p_bar.y <= p_text.y and p_text.y + p_text.height <= p_bar.y + p_bar.height
    lanes = [t for t in scene.texts() if t.cls == "lane-title"]
    rules = sorted(ln.y1 for ln, _ in scene.walk() if isinstance(ln, Line) and ln.cls == "lane-rule")
    below = [y for y in rules if y > p_bar.y]
    assert not below or below[0] - (p_bar.y + p_bar.height) <= T.lane_pad + T.lane_gap + 0.01  # no tier
    assert lanes and not overlapping_texts(scene)


def test_forty_hearings_in_two_years_stay_legible() -> None:
    start = date(2016, 1, 4)
    events = [{"kind": "hearing", "type": "childrens_hearing", "date": (start + timedelta(days=21 * i)).isoformat(),
               "label": f"ICSO renewed ({i + 1})"} for i in range(36)]
    events += [{"kind": "hearing", "type": "court", "date": (start + timedelta(days=21 * i + 10)).isoformat(),
                "label": "Proof continued"} for i in range(4)]
    events += [{"kind": "order", "type": "icso", "start": (start + timedelta(days=21 * i)).isoformat(),
                "end": (start + timedelta(days=21 * (i + 1))).isoformat()} for i in range(36)]
    case = make_case(events, as_of="2018-06-01")
    scene = scene_of(case)
    assert not overlapping_texts(scene)
    assert not outside(scene)
    assert len(scene.event_groups()) == len(events)
    key = [t for t in scene.texts() if t.cls == "key-text"]
    numbers = [t for t in scene.texts() if t.cls == "key-number" and t.text.isdigit()]
    assert key and numbers  # the crowd is numbered and explained beneath the chart
    assert min(t.height for t in scene.texts()) >= default_metrics().height(T.min_text) - 0.01


def test_pre_birth_region_shaded_and_labelled() -> None:
    case = make_case([{"kind": "event", "type": "referral", "date": "2014-03-01", "label": "Pre-birth referral"}])
    scene = scene_of(case)
    shade = next(i for i, _ in scene.walk() if isinstance(i, Rect) and i.cls == "before-birth")
    assert shade.x == pytest.approx(X0)
    assert any(t.text == "Before birth" for t in scene.texts())


def test_far_pre_birth_history_is_cut_to_the_theme_limit() -> None:
    case = make_case([{"kind": "event", "type": "family", "date": "2005~", "label": "Siblings removed", "id": "s"}])
    scene = scene_of(case)
    marker = next(i for i in group(scene, "s").items if isinstance(i, Marker))
    assert marker.cx == pytest.approx(X0)  # at the left edge, not a decade of empty axis
    assert texts_of(scene, "s")[0].text == "c. Siblings removed"


def test_moves_bracket_targets_and_title_block() -> None:
    case = make_case([
        {"kind": "placement", "type": "home", "start": "2015-01-01", "end": "2016-01-01"},
        {"kind": "placement", "type": "foster", "start": "2016-01-01", "end": "2017-01-01"},
        {"kind": "placement", "type": "kinship", "start": "2017-01-01"},
        {"kind": "order", "type": "cso", "start": "2016-01-01"},
        {"kind": "milestone", "type": "looked_after", "date": "2016-01-01"},
    ])
    facts = compute_facts(case)
    scene = scene_of(case)
    moves = [g for g, _ in scene.walk() if isinstance(g, Group) and g.cls == "move"]
    assert [g.id for g in moves] == ["move-1", "move-2"] and facts.moves == 2
    bracket = next(t for t in scene.texts() if t.cls == "bracket-label")
    assert bracket.text == "3 y looked after – 75% of Amy's life"
    targets = [g for g, _ in scene.walk() if isinstance(g, Group) and (g.cls or "").startswith("target")]
    assert targets  # permanence_recommended is overdue: its target tick is drawn
    assert any(isinstance(i, Rect) and i.cls == "overrun" for g in targets for i in g.items)
    assert [t.text for t in scene.texts() if t.cls == "title"] == ["Amy"]
    untitled = scene_of(case, title_block=False)
    assert not any(t.cls == "title" for t in untitled.texts())


def test_empty_case_and_empty_lanes_left_out() -> None:
    scene = scene_of(make_case([]))
    assert not scene.event_groups()
    assert not [t for t in scene.texts() if t.cls == "lane-title" and t.text.startswith("Where")]
    scene = scene_of(make_case([{"kind": "event", "type": "school", "date": "2017-08-15"}]))
    titles = [t.text for t in scene.texts() if t.cls == "lane-title"]
    assert "Life events" in titles and "Legal status" not in titles


def test_long_name_wraps_in_the_gutter_and_stays_on_canvas() -> None:
    case = make_case([{"kind": "placement", "type": "foster", "start": "2016-01-01"}], name="Ł" * 80)
    scene = scene_of(case)
    assert not outside(scene)
    assert not overlapping_texts(scene)


# ---------------------------------------------------------------- invariants (hypothesis)

KIND_CODES = {
    "placement": ["home", "kinship", "foster", "residential", "respite", "adoptive", "other"],
    "order": ["s25", "cpo", "icso", "cso", "po", "poa", "adoption", "kco", "cp_register"],
    "hearing": ["childrens_hearing", "grounds_hearing", "proof", "court"],
    "meeting": ["laac_review", "cp_planning_meeting", "other"],
    "milestone": ["looked_after", "permanence_recommended", "permanence_panel", "adm_decision", "final_order"],
    "event": ["referral", "school", "health", "other"],
}
BORN = date(2014, 6, 1)
AS_OF = date(2019, 6, 1)
label_text = st.text(alphabet=st.sampled_from(list("abcdefghij ABCXYZ0123456789()'&-ŁóáΩ漢")), min_size=1,
                     max_size=60).filter(lambda s: s.strip() != "")


@st.composite
def an_event(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(sorted(KIND_CODES)))
    day = BORN + timedelta(days=draw(st.integers(-900, 2000)))
    precision = draw(st.sampled_from(["day", "day", "day", "month", "year"]))
    qual = draw(st.sampled_from(["", "", "", "~", "?"]))
    text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision] + qual
    e: dict[str, Any] = {"kind": kind, "type": draw(st.sampled_from(KIND_CODES[kind]))}
    if draw(st.booleans()):
        e["label"] = draw(label_text)
    if draw(st.integers(0, 9)) == 0:
        e["status"] = "planned"
    if kind in ("placement", "order"):
        e["start"] = text
        if draw(st.booleans()):
            e["end"] = (day + timedelta(days=draw(st.integers(400, 900)))).isoformat()
    else:
        e["date"] = text
    return e


def check_invariants(case: Case, scene: Scene) -> None:
    assert not overlapping_texts(scene), overlapping_texts(scene)[:3]
    assert not texts_over_markers(scene), texts_over_markers(scene)[:3]
    assert not outside(scene), outside(scene)[:3]
    want = {event_id(n, e) for n, e in case.numbered()}
    groups = scene.event_groups()
    got = [g.id or "" for g in groups]
    assert sorted(got) == sorted(want) and len(got) == len(set(got))
    by_id = {g.id: g for g in groups}
    # x grows with age: each event's first primitive sits at the scale's x of its start
    firsts = []
    for n, e in case.numbered():
        g = by_id[event_id(n, e)]
        shape = next(i for i in g.items if isinstance(i, (Rect, Marker)) and i.cls not in ("fuzzy-range", "late-ring"))
        x = shape.x if isinstance(shape, Rect) else shape.cx
        day = e.first.earliest if e.is_span else e.first.mid
        firsts.append((day, x))
    firsts.sort()
    for (d1, x1), (d2, x2) in itertools.pairwise(firsts):
        assert x1 <= x2 + 0.02, (d1, x1, d2, x2)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(an_event(), min_size=0, max_size=40), st.sampled_from([700.0, WIDTH, 1600.0]))
def test_layout_invariants(events: list[dict[str, Any]], width: float) -> None:
    case = make_case(events, born=BORN.isoformat(), as_of=AS_OF.isoformat())
    check_invariants(case, scene_of(case, width=width))


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                HealthCheck.large_base_example])
@given(st.lists(an_event(), min_size=150, max_size=300))
def test_layout_invariants_a_few_hundred_events(events: list[dict[str, Any]]) -> None:
    case = make_case(events, born=BORN.isoformat(), as_of=AS_OF.isoformat())
    check_invariants(case, scene_of(case))


def random_events(seed: int, n: int) -> list[dict[str, Any]]:
    """n events drawn like `an_event`, from a seed (hypothesis shrinks seeds well; it cannot build 2,000 dicts)."""
    import random

    rnd = random.Random(seed)
    events = []
    for i in range(n):
        kind = rnd.choice(sorted(KIND_CODES))
        day = BORN + timedelta(days=rnd.randint(-900, 2000))
        text = rnd.choice([day.isoformat(), day.isoformat()[:7], day.isoformat()[:4]]) + rnd.choice(["", "", "~"])
        e: dict[str, Any] = {"kind": kind, "type": rnd.choice(KIND_CODES[kind]),
                             "label": f"Event {i} " + "words " * rnd.randint(0, 8)}
        if kind in ("placement", "order"):
            e["start"] = text
            if rnd.random() < 0.8:
                e["end"] = (day + timedelta(days=rnd.randint(400, 900))).isoformat()
        else:
            e["date"] = text
        events.append(e)
    return events


@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])  # shrinking 2,000 events takes minutes
@given(st.integers(0, 2**32 - 1), st.integers(1000, 2000))
def test_layout_invariants_thousands(seed: int, n: int) -> None:
    case = make_case(random_events(seed, n), born=BORN.isoformat(), as_of=AS_OF.isoformat())
    check_invariants(case, scene_of(case))


def test_bundled_metrics_file_is_what_the_fonts_say() -> None:
    """fonts/metrics.json (read at start-up instead of the TTFs) equals what fontTools reads from the fonts
    now; after changing a font, `python -m timeline.chart.metrics` rewrites it."""
    import json
    from importlib import resources

    from timeline.chart.metrics import FONT_FILES, METRICS_FILE, load_font, measure_font, metrics_table

    stored = json.loads(resources.files("timeline").joinpath("fonts", METRICS_FILE).read_text(encoding="utf-8"))
    assert stored == json.loads(json.dumps(metrics_table()))
    for bold in FONT_FILES:
        assert load_font(bold) == measure_font(bold)


def _reviews_after_a_quiet_start() -> Case:
    """A child looked after from age 4: a lane of routine LAAC reviews every five months, each with its own
    words, and the years before them empty on the marker row."""
    start = date(2019, 2, 1)
    events: list[dict[str, Any]] = [
        {"kind": "meeting", "type": "laac_review", "date": (start + timedelta(days=150 * i)).isoformat(),
         "label": f"LAAC review: plan {i + 1} agreed with the family", "id": f"r{i}"} for i in range(6)]
    events.append({"kind": "meeting", "type": "ird", "date": "2018-12-01", "label": "IRD", "id": "ird"})
    return make_case(events, born="2015-01-01", as_of="2021-03-01")


def test_a_shared_label_may_sit_along_the_marker_row_with_its_bracket_reaching_it() -> None:
    """No tier left for the lane: the reviews share one label in the empty years before them on the marker
    row (no height), the bracket under the markers runs on to the label, and a tick joins each review."""
    case = _reviews_after_a_quiet_start()
    policy = Policy(max_tiers=0)
    scene = layout(case, facts=compute_facts(case), theme=T, metrics=default_metrics(), width=WIDTH, policy=policy)
    shared = [t for t in scene.texts() if t.cls == "combined-label"]
    assert [t.text for t in shared] == ["LAAC reviews × 6"]  # the dates too would need two lines
    label = shared[0]
    markers = {g.id: next(i for i in g.items if isinstance(i, Marker)) for g in scene.event_groups()}
    ird, first = markers["ird"], markers["r0"]
    assert label.x + label.width < ird.cx - ird.size / 2  # left of every marker of the lane, on the marker row
    assert label.y < first.cy < label.y + label.height
    brackets = [ln for ln, _ in scene.walk() if isinstance(ln, Line) and "combined-bracket" in ln.cls.split()]
    assert len(brackets) == 1
    line = brackets[0]
    assert line.x1 <= label.x + label.width and line.x2 == pytest.approx(markers["r5"].cx)  # reaches the label
    ticks = {ln.event for ln, _ in scene.walk() if isinstance(ln, Line) and ln.cls == "leader combined"}
    assert ticks == {f"r{i}" for i in range(6)}  # not the IRD, which keeps its own words
    assert "IRD" in {t.text for t in texts_of(scene, "ird")}
    assert not overlapping_texts(scene)


def test_own_words_come_before_a_shared_label_when_a_tier_can_hold_them() -> None:
    """With one tier the reviews keep (some of) their own words; a shared label only takes what is left."""
    case = _reviews_after_a_quiet_start()
    none = layout(case, facts=compute_facts(case), theme=T, metrics=default_metrics(), width=WIDTH,
                  policy=Policy(max_tiers=0))
    roomy = layout(case, facts=compute_facts(case), theme=T, metrics=default_metrics(), width=WIDTH,
                   policy=Policy(max_tiers=4))
    for i in range(6):
        assert " ".join(t.text for t in texts_of(roomy, f"r{i}")) == f"LAAC review: plan {i + 1} agreed with the family"
    assert not [t for t in roomy.texts() if t.cls == "combined-label"]
    assert [t for t in none.texts() if t.cls == "combined-label"]


def test_two_events_do_not_send_a_bracket_along_the_row() -> None:
    """A shared label of two events stays beside them or in a tier; along the row its bracket would say
    too little for the line it draws."""
    case = make_case([
        {"kind": "meeting", "type": "laac_review", "date": "2019-02-01", "label": "LAAC review: plan agreed",
         "id": "a"},
        {"kind": "meeting", "type": "laac_review", "date": "2019-07-01", "label": "LAAC review: contact", "id": "b"},
        {"kind": "meeting", "type": "ird", "date": "2018-12-20", "label": "IRD: strategy agreed", "id": "i"},
        {"kind": "meeting", "type": "ird", "date": "2019-09-01", "label": "IRD: second referral", "id": "j"},
    ], as_of="2021-12-01")
    scene = layout(case, facts=compute_facts(case), theme=T, metrics=default_metrics(), width=WIDTH,
                   policy=Policy(max_tiers=0))
    for line, _ in scene.walk():
        if isinstance(line, Line) and "combined-bracket" in line.cls.split():
            assert line.x2 - line.x1 < 200  # only between its own markers


def test_a_shared_label_may_sit_in_a_gap_between_its_markers() -> None:
    """Markers of other meetings fill the row before and after the reviews; the reviews' shared label sits in
    the seven empty months between two of them, on its own bracket."""
    events: list[dict[str, Any]] = [
        {"kind": "meeting", "type": "laac_review", "date": d, "label": f"LAAC review: plan {i} agreed with the family",
         "id": f"r{i}"} for i, d in enumerate(("2015-09-10", "2015-11-10", "2016-01-10", "2016-08-10", "2016-10-10"))]
    events += [{"kind": "meeting", "type": "cp_planning_meeting", "date": f"{y}-{m:02d}-01", "id": f"c{y}{m}"}
               for y, months in ((2014, range(7, 13)), (2015, range(1, 8)), (2016, (12,)), (2017, range(1, 13)))
               for m in months]
    case = make_case(events, born="2014-06-01", as_of="2018-01-01")
    scene = layout(case, facts=compute_facts(case), theme=T, metrics=default_metrics(), width=WIDTH,
                   policy=Policy(max_tiers=0))
    shared = [t for t in scene.texts() if t.cls == "combined-label"]
    assert [t.text for t in shared] == ["LAAC reviews × 5"]
    markers = {g.id: next(i for i in g.items if isinstance(i, Marker)) for g in scene.event_groups()}
    label = shared[0]
    assert markers["r2"].cx < label.x and label.x + label.width < markers["r3"].cx  # between its markers
    assert label.y < markers["r0"].cy < label.y + label.height  # on the marker row
    bracket = next(ln for ln, _ in scene.walk() if isinstance(ln, Line) and "combined-bracket" in ln.cls.split())
    assert (bracket.x1, bracket.x2) == (pytest.approx(markers["r0"].cx), pytest.approx(markers["r4"].cx))
    assert not overlapping_texts(scene)


def test_reviews_known_only_by_year_share_a_label_that_gives_no_months() -> None:
    """'2016' has no month: a shared label of year-only reviews says how many, not 'Jul 2016–Jul 2018' (the
    middle days); each review's own date stays in the key."""
    events: list[dict[str, Any]] = [
        {"kind": "meeting", "type": "laac_review", "date": y, "label": f"LAAC review: plan {i} agreed with the family",
         "id": f"r{i}"} for i, y in enumerate(("2016", "2017", "2018"))]
    case = make_case(events, born="2010-01-01", as_of="2019-01-01")
    scene = layout(case, facts=compute_facts(case), theme=T.compact(1), metrics=default_metrics(), width=WIDTH,
                   policy=Policy(max_tiers=0))  # compact labels are wide enough for the dates on one line
    shared = [t.text for t in scene.texts() if t.cls == "combined-label"]
    assert shared == ["LAAC reviews × 3"]
    key = " ".join(t.text for t in scene.texts() if t.cls == "key-text")
    assert "Jul" not in " ".join(shared) and "2016" in key and "2018" in key


def test_a_combined_label_of_a_year_only_hearing_gives_no_month() -> None:
    """Two hearings with the same words, one recorded only as '2016': their combined label must not say
    'Jul 2016' (the other's month, or a middle day), which the record does not give for the first."""
    case = make_case([
        {"kind": "hearing", "type": "childrens_hearing", "date": "2016", "label": "Review", "id": "a"},
        {"kind": "hearing", "type": "childrens_hearing", "date": "2016-07-10", "label": "Review", "id": "b"},
    ])
    combined = [t.text for t in scene_of(case).texts() if t.cls == "combined-label"]
    assert combined == ["Review × 2"]


@pytest.mark.parametrize(("dates", "label"), [
    # from the earliest recorded start to the latest recorded end (the middle days would say 'Mar–Aug 2017')
    (("2017-01/2017-04", "2017-05-02", "2017-06/2017-11"), "LAAC reviews × 3, Jan–Nov 2017"),
    # '2017–2018' gives no month at either end: the count alone ('Mar–Dec 2017' came from middle days)
    (("2017-01/2017-04", "2017-06-02", "2017/2018"), "LAAC reviews × 3"),
])
def test_a_shared_label_gives_the_months_recorded_not_the_middle_days(dates: tuple[str, ...], label: str) -> None:
    """Reviews recorded as 'Jan–Apr 2017', '2 May 2017' and 'Jun–Nov 2017' share 'Jan–Nov 2017'; with an
    interval of years among them, the shared label says how many."""
    events: list[dict[str, Any]] = [
        {"kind": "meeting", "type": "laac_review", "date": d, "label": f"LAAC review: plan {i} agreed with the family",
         "id": f"r{i}"} for i, d in enumerate(dates)]
    case = make_case(events, born="2010-01-01", as_of="2019-01-01")
    scene = layout(case, facts=compute_facts(case), theme=T, metrics=default_metrics(), width=WIDTH,
                   policy=Policy(max_tiers=0))
    assert [t.text for t in scene.texts() if t.cls == "combined-label"] == [label]


def _moves_of(scene: Scene) -> list[tuple[Marker, Line]]:
    """Each move's circle and its line, in x order of the line (the move's own date)."""
    out = []
    for g, _ in scene.walk():
        if isinstance(g, Group) and g.cls == "move":
            circle = next(i for i in g.items if isinstance(i, Marker))
            line = next(i for i in g.items if isinstance(i, Line))
            out.append((circle, line))
    return sorted(out, key=lambda m: m[1].x1)


def test_two_close_moves_keep_one_row_their_circles_a_little_aside() -> None:
    """Moves nine days apart: their circles would touch over their dates; each moves a few px aside on the
    one row (no second row above the bars), and the line down from each move's own date still leaves its
    circle."""
    case = make_case([
        {"kind": "placement", "type": "foster", "start": "2015-02-01", "end": "2016-03-01", "id": "a"},
        {"kind": "placement", "type": "residential", "start": "2016-03-01", "end": "2016-03-10", "id": "b"},
        {"kind": "placement", "type": "kinship", "start": "2016-03-10", "id": "c"},
    ])
    moves = _moves_of(scene_of(case))
    assert len(moves) == 2
    (c1, l1), (c2, l2) = moves
    assert c1.cy == c2.cy  # one row
    assert c2.cx - c1.cx >= (c1.size + c2.size) / 2  # not overlapping
    for circle, line in moves:
        assert line.x1 == line.x2 and abs(circle.cx - line.x1) < circle.size / 2  # its date, under its circle
        assert (circle.cx - line.x1) ** 2 + (circle.cy - line.y1) ** 2 == pytest.approx((circle.size / 2) ** 2, abs=0.1)
    assert l1.x1 < l2.x1


def test_moves_too_close_for_a_small_shift_stack_in_rows_over_their_dates() -> None:
    """Three moves within four days would each have to move most of a circle aside: they stack in rows
    instead, each circle over its own move's date."""
    case = make_case([
        {"kind": "placement", "type": "foster", "start": "2015-02-01", "end": "2016-03-01", "id": "a"},
        {"kind": "placement", "type": "residential", "start": "2016-03-01", "end": "2016-03-03", "id": "b"},
        {"kind": "placement", "type": "foster", "start": "2016-03-03", "end": "2016-03-05", "id": "c"},
        {"kind": "placement", "type": "kinship", "start": "2016-03-05", "id": "d"},
    ])
    moves = _moves_of(scene_of(case))
    assert len(moves) == 3 and len({c.cy for c, _ in moves}) > 1
    assert all(c.cx == pytest.approx(ln.x1) for c, ln in moves)


def test_dodge_keeps_apart_what_touches_and_leaves_the_rest() -> None:
    """The circles' centres: unchanged where nothing touches, pooled around their mean where they do, and
    nothing for no moves."""
    from timeline.chart.lanes import dodge

    assert dodge([], []) == []
    assert dodge([0.0, 100.0], [10.0, 10.0]) == [0.0, 100.0]
    assert dodge([50.0, 54.0, 200.0], [10.0, 10.0, 10.0]) == [pytest.approx(47.0), pytest.approx(57.0), 200.0]
    centres = dodge([10.0, 11.0, 12.0], [10.0, 10.0, 10.0])
    assert centres == [pytest.approx(1.0), pytest.approx(11.0), pytest.approx(21.0)]


def test_shared_and_combined_labels_give_the_months_their_dates_were_recorded_in() -> None:
    """Reviews recorded as 'Jun–Aug 2016' ... 'Mar–May 2017' share 'LAAC reviews × 4, Jun 2016–May 2017', never
    the months of their middle days ('Jul 2016–Apr 2017'); two hearings with one label recorded only as '2016'
    combine into 'CSO continued × 2', never '2 hearings, Jul 2016' (their middle day, 1 Jul 2016)."""
    events: list[dict[str, Any]] = [{"kind": "placement", "type": "foster", "start": "2014-01-10"}]
    events += [{"kind": "hearing", "type": "childrens_hearing", "date": "2016", "label": "CSO continued"}] * 2
    events += [{"kind": "meeting", "type": "laac_review", "date": d}
               for d in ("2016-06/2016-08", "2016-09/2016-11", "2016-12/2017-02", "2017-03/2017-05")]
    case = make_case(events, born="2012-03-01", as_of="2019-06-01")
    scene = layout(case, facts=compute_facts(case), theme=T, metrics=default_metrics(), width=WIDTH)
    labels = " ".join(t.text for t in scene.texts() if t.cls == "combined-label")
    assert "LAAC reviews × 4, Jun 2016–May" in labels and "CSO continued × 2" in labels
    assert "Jul 2016" not in labels and "Apr 2017" not in labels
