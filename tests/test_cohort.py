"""The cohort view (`timeline cohort`): a hand-made cohort's figures worked by hand, tables through a
mapping, suppression for sharing, and the pages as drawn."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline.cli.commands import main
from timeline.cohort import CohortOptions, LeftOut, build_cohort, read_inputs
from timeline.cohort.layout import layout_cohort, stylesheet
from timeline.scene.items import Marker, Rect, Text
from timeline.scene.items import Path as ScenePath
from timeline.scene.theme import DEFAULT_THEME, printable_height_px, printable_width_px

DATA = Path(__file__).parent / "data" / "cohort"
HAND = DATA / "hand"
EXTRACT = DATA / "extract"
AS_OF = date(2024, 7, 31)


def hand_cohort(**options: object) -> object:
    records, left = read_inputs([str(HAND)], as_of=AS_OF, jobs=1)
    return build_cohort(records, left, CohortOptions(as_of=AS_OF, **options))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def figures() -> dict[str, object]:
    return hand_cohort().to_json()  # type: ignore[attr-defined, no-any-return]


# The hand-made cohort (tests/data/cohort/hand, as at 31 Jul 2024), worked by hand:
#   HC-01 born 1 May 2019, foster 10 Jan 2020 -> adopters 1 Jun 2020, every step dated, adoption order
#         1 Mar 2021: permanence after 416 days (366 to 10 Jan 2021 + 50); steps 112, 61, 9, 83, 151 days.
#   HC-02 born 15 Feb 2012, kinship and CSO from 1 Sep 2022, recommended (kinship) 15 Jan 2023: 136 days;
#         still looked after: censored at 699 days (365 + 334).
#   HC-03 born 1 Jun 2023, looked after 1 Aug 2023, three moves (Dec, Mar, May) within a year, no plan:
#         waiting 365 days for a recommendation; censored at 365.
#   HC-04 born 10 Oct 2010 (12 at entry), s25 and residential from 1 Feb 2023: recommended after 242 days
#         (missed), panel after 123 (missed), waiting 181 days for the ADM; censored at 546.
#   HC-05 born 20 Apr 2016, at home on a CSO from 1 May 2021, recommended (home) after 254 days; censored
#         at 1,187 days.
#   HC-06 unknown placement type: left out.
#   HC-07 born 3 Mar 2014, foster 1 Jun 2019, recommended (kinship) after 214 days, KCO 1 Jun 2021: 731.
def test_headline_counts(figures: dict[str, object]) -> None:
    assert figures["as_of"] == "2024-07-31"
    assert figures["children"] == 6
    assert figures["left_out"] == 1
    assert figures["looked_after_now"] == 4  # HC-02, 03, 04, 05
    assert figures["placement_now"] == {"at_home": 1, "kinship": 2, "foster": 0, "residential": 1, "secure": 0,
                                        "prospective_adopters": 0, "other": 0, "not_recorded": 0}
    assert figures["age_at_entry"] == {"under 1": 2, "1-4": 0, "5-11": 3, "12+": 1}
    # Moves 1, 0, 3, 0, 0, 1 -> median 0.5; placements 2, 1, 4, 1, 1, 2 -> 1.5; one child of six (HC-03).
    assert figures["moves"] == {"children": 6, "median": 0.5, "median_placements": 1.5,
                                "three_plus_in_12_months": 0.1667}


def test_steps(figures: dict[str, object]) -> None:
    steps = {(s["from"], s["to"]): s for s in figures["steps"]}  # type: ignore[attr-defined]
    first = steps[("looked_after", "permanence_recommended")]
    # Done 112, 136, 214, 242, 254: median 214; upper quartile (type 7) the 4th = 242; met: HC-01, HC-02.
    assert first == {"from": "looked_after", "to": "permanence_recommended", "done": 5, "waiting": 1,
                     "median_days": 214, "upper_quartile_days": 242, "target_days": 182, "within_target": 0.4,
                     "out_of_order": 0, "undetermined": 0}
    panel = steps[("permanence_recommended", "permanence_panel")]
    # 61 and 123: median 92, upper quartile 61 + 0.75 x 62 = 107.5; the kinship and home plans do not count.
    assert (panel["done"], panel["waiting"], panel["median_days"], panel["upper_quartile_days"],
            panel["within_target"]) == (2, 0, 92, 107.5, 0.5)
    adm = steps[("permanence_panel", "adm_decision")]
    assert (adm["done"], adm["waiting"], adm["median_days"], adm["within_target"]) == (1, 1, 9, 1.0)
    lodged = steps[("adm_decision", "application_lodged")]
    assert (lodged["done"], lodged["waiting"], lodged["median_days"], lodged["target_days"],
            lodged["within_target"]) == (1, 0, 83, None, None)


def test_time_to_permanence(figures: dict[str, object]) -> None:
    km = figures["time_to_permanence"]
    # Times 365+, 416, 546+, 699+, 731, 1187+: S = 4/5 at 416, then 4/5 x 1/2 = 0.4 at 731. Nobody was
    # followed 1,460 days (the longest, HC-05, censored at 1,187): the share by 4 years is not known.
    assert km["median_days"] == 731  # type: ignore[index]
    assert km["reached_by"] == {"365": 0.0, "730": 0.2, "1095": 0.6, "1460": None}  # type: ignore[index]
    assert (km["children"], km["reached"]) == (6, 2)  # type: ignore[index]
    routes = km["by_route"]  # type: ignore[index]
    assert routes["adoption"]["median_days"] == 416
    assert routes["kinship"]["median_days"] == 731  # HC-02 censored at 699 first, HC-07 at 731 alone at risk
    assert routes["no plan recorded"]["children"] == 1 and routes["no plan recorded"]["median_days"] is None
    # HC-03 (no plan) censored at 365: known at a year, not after; HC-01 (adoption) reached it at 416, the
    # last of its route, so 100% holds on; HC-05 (home) censored at 1,187.
    assert routes["no plan recorded"]["reached_by"] == {"365": 0.0, "730": None, "1095": None, "1460": None}
    assert routes["adoption"]["reached_by"]["1460"] == 1.0 and routes["home"]["reached_by"]["1460"] is None


def test_run_chart_points_in_date_order_with_open_children(figures: dict[str, object]) -> None:
    chart = figures["run_charts"][0]  # type: ignore[index]
    assert (chart["step"], chart["from"], chart["rules"], chart["centre"]) == (
        "permanence_recommended", "looked_after", "ihi", 214)
    assert [(p["ref"], p["date"], p["days"], p["open"]) for p in chart["points"]] == [
        ("HC-07", "2020-01-01", 214, False), ("HC-01", "2020-05-01", 112, False),
        ("HC-05", "2022-01-10", 254, False), ("HC-02", "2023-01-15", 136, False),
        ("HC-04", "2023-10-01", 242, False), ("HC-03", "2024-07-31", 365, True)]
    assert chart["signals"] == [] and chart["notes"] == ["fewer than 10 points: no rule applied"]
    assert [w["ref"] for w in figures["waiting_longest"]] == ["HC-03", "HC-04"]  # type: ignore[attr-defined]


def test_left_out_child_is_reported_with_its_location(figures: dict[str, object]) -> None:
    (problem,) = figures["problems"]  # type: ignore[misc]
    assert problem["source"].endswith("hc-06.yaml")
    assert "events[0].type" in problem["messages"][0] and "did you mean 'foster'" in problem["messages"][0]


def test_share_suppresses_small_counts_and_child_lists() -> None:
    shared = hand_cohort(share=True).to_json()  # type: ignore[attr-defined]
    assert shared["children"] == 6 and shared["left_out"] == "<5" and shared["looked_after_now"] == "<5"
    assert shared["placement_now"]["kinship"] == "<5" and shared["placement_now"]["foster"] == 0
    assert shared["steps"][0]["done"] == 5 and shared["steps"][0]["waiting"] == "<5"
    assert shared["steps"][1]["median_days"] is None  # two children: not shared
    # A share whose part (or rest) is from 1 to 4 gives the count back: 1 of the 6 shown with 3 moves in a
    # year (0.1667), 2 of the 5 done within target (0.4), 2 of 6 reaching permanence (its curve's steps).
    assert shared["moves"]["three_plus_in_12_months"] is None and shared["moves"]["children"] == 6
    assert shared["steps"][0]["within_target"] is None and shared["steps"][0]["median_days"] == 214
    km = shared["time_to_permanence"]
    assert km["reached"] == "<5" and km["median_days"] is None and set(km["reached_by"].values()) == {None}
    pages = layout_cohort(hand_cohort(share=True))  # type: ignore[arg-type]
    first = [t.text for t in pages[0].texts()]
    assert "17%" not in first and "40%" not in first and "731 days" not in first
    assert not any(isinstance(i, ScenePath) and i.cls == "km-0" for i in pages[2].items)  # no curve drawn
    assert any("Not drawn for sharing" in t.text for t in pages[2].texts())
    assert "waiting_longest" not in shared and "problems" not in shared
    assert all(p["ref"] is None for c in shared["run_charts"] for p in c["points"])
    assert shared["suppressed"] is True


def test_secondary_suppression_worked_by_hand() -> None:
    from timeline.cohort.measures import HIDDEN, SUPPRESSED, suppress_cells

    # One "<5" in a group whose total is shown: 20 - 10 - 7 would give it away, so the next smallest
    # non-zero cell (7) is hidden too; the zero stays shown.
    assert suppress_cells({"a": 10, "b": 3, "c": 7, "d": 0}, total=20) == {"a": 10, "b": SUPPRESSED, "c": HIDDEN,
                                                                           "d": 0}
    # Two "<5" adding up to 3 (recoverable as "3 between them"): hide cells until they add up to 5 or more.
    assert suppress_cells({"a": 2, "b": 1, "c": 9, "d": 6}, total=18) == {"a": SUPPRESSED, "b": SUPPRESSED,
                                                                          "c": 9, "d": HIDDEN}
    # Two "<5" adding up to 7: neither can be worked out; nothing more is hidden.
    assert suppress_cells({"a": 3, "b": 4, "c": 20}, total=27) == {"a": SUPPRESSED, "b": SUPPRESSED, "c": 20}
    # Ties: the earlier cell is hidden; no total shown (None, or itself "<5"): primary suppression only.
    assert suppress_cells({"a": 8, "b": 8, "c": 2}, total=18) == {"a": HIDDEN, "b": 8, "c": SUPPRESSED}
    assert suppress_cells({"a": 8, "c": 2}, total=None) == {"a": 8, "c": SUPPRESSED}
    assert suppress_cells({"a": 3, "b": 1}, total=4) == {"a": SUPPRESSED, "b": SUPPRESSED}
    assert suppress_cells({"a": 5, "b": 0}, total=5) == {"a": 5, "b": 0}


def test_share_hides_a_cell_that_subtraction_would_reveal() -> None:
    from dataclasses import replace

    from timeline.cohort.layout import layout_cohort
    from timeline.cohort.measures import HIDDEN, SUPPRESSED

    records, _left = read_inputs([str(HAND)], as_of=AS_OF, jobs=1)
    copies = {"home": 3, "kinship": 5, "residential": 7}  # the hand cohort: 1 at home, 2 kinship, 1 residential
    many = [replace(r, index=100 * k + r.index, ref=f"{r.ref}-{k}") for r in records if r.placement_now in copies
            for k in range(copies[r.placement_now])]
    cohort = build_cohort(many, [], CohortOptions(as_of=AS_OF, share=True))
    shared = cohort.to_json()  # type: ignore[attr-defined]
    # 20 looked after now = 3 at home + 10 kinship + 7 residential: the 3 is "<5", and 20 - 10 would give it
    # back with the 7, so the 7 is hidden too.
    assert shared["looked_after_now"] == 20
    assert shared["placement_now"]["at_home"] == SUPPRESSED and shared["placement_now"]["kinship"] == 10
    assert shared["placement_now"]["residential"] == HIDDEN and shared["placement_now"]["foster"] == 0
    page = layout_cohort(cohort)[0]
    texts = [t for t in page.items if isinstance(t, Text)]

    def row(words: str) -> list[str]:  # the cells on the same line as `words`, left to right
        (label,) = [t for t in texts if t.text == words]
        return [t.text for t in sorted(texts, key=lambda t: t.x) if t.y == label.y and t.x > label.x]

    assert row("Residential care") == ["x"] and row("At home with parents") == ["<5"]
    assert row("Kinship care") == ["10"]
    assert any("x: hidden" in t.text for t in texts)  # the page says what x means
    unshared = build_cohort(many, [], CohortOptions(as_of=AS_OF)).to_json()  # type: ignore[attr-defined]
    assert unshared["placement_now"]["residential"] == 7 and unshared["placement_now"]["at_home"] == 3


def test_names_only_when_asked() -> None:
    plain = hand_cohort().to_json()  # type: ignore[attr-defined]
    text = json.dumps(plain)
    assert "Test One" not in text and "HC-01" in text
    named = hand_cohort(names=True).to_json()  # type: ignore[attr-defined]
    assert "Test One" in json.dumps(named)


def test_by_groups() -> None:
    grouped = hand_cohort(by="age-at-entry").to_json()  # type: ignore[attr-defined]
    assert grouped["by"] == {"group": "age-at-entry", "children": {"12+": 1, "5-11": 3, "under 1": 2}}


def test_pages_fit_a4_and_print_text_at_9pt_or_more() -> None:
    pages = layout_cohort(hand_cohort(by="route"))  # type: ignore[arg-type]
    width, height = printable_width_px("A4"), printable_height_px("A4")
    assert len(pages) == 5  # key figures, run charts, permanence, journeys, left out
    sizes = [value for rule in stylesheet(DEFAULT_THEME).rules for name, value in rule.declarations
             if name == "font-size"]
    assert sizes and min(sizes) >= 12  # type: ignore[type-var]  # 12 px on a page as wide as A4's printable width prints at 9 pt
    for page in pages:
        assert page.width == width and page.height == height
        for t in page.texts():
            assert t.x >= -0.5 and t.x + t.width <= width + 0.5, t.text
            assert t.y >= -0.5 and t.y + t.height <= height + 0.5, t.text
    words = " ".join(t.text for p in pages for t in p.texts())
    assert "Test One" not in words and "HC-03" in words  # references, never names


def test_greyscale_tells_series_apart() -> None:
    rules = {rule.selectors[0].chain[0].text(): dict(rule.declarations) for rule in stylesheet(DEFAULT_THEME).rules}
    dashes = [rules[f".km-{i}"]["stroke-dasharray"] for i in range(6)]
    assert len(set(dashes)) == 6  # every Kaplan-Meier curve has its own dash pattern
    values = [5.0, 5, 5, 5, 5, 5, 5, 9, 1, 2, 3, 4, 5, 6, 7, 8, 5, 5, 5, 5]
    from timeline.cohort.measures import Point, RunChart
    from timeline.cohort.rules import PRESETS, analyse

    cohort = hand_cohort()
    a = analyse(values, PRESETS["ihi"])
    assert a.signals  # the rising stretch is a trend
    chart = RunChart("looked_after", "permanence_recommended", tuple(Point(f"R{i}", date(2020, 1, 1 + i), v, False)
                                                                    for i, v in enumerate(values)),
                     len(values), len(values), a, 182)
    from dataclasses import replace

    page = layout_cohort(replace(cohort, run_charts=(chart,) * 5))[1]  # type: ignore[arg-type]
    shapes = {type(i).__name__ + ":" + i.cls for i in page.items if isinstance(i, (Rect, Marker))
              and i.cls.startswith("pt")}
    assert {"Rect:pt", "Marker:pt-signal"} <= shapes  # signals differ by shape, not only by colour
    assert any(isinstance(i, Text) and "signals: trend" in i.text for i in page.items)


def test_journeys_placements_each_have_a_grey_of_their_own() -> None:
    """In the single-child colours foster, kinship and residential care are all mid-greys (151-162); the
    cohort pages keep each colour's hue and move it to its own grey level, 20 or more apart, so that a
    greyscale print of the journeys tells them apart (rows are too thin for the chart's patterns)."""
    import colorsys
    import itertools

    from timeline.cohort.layout import grey, grey_ladder
    from timeline.model.vocabulary import load_vocabulary

    for jurisdiction in ("scotland", "england-wales"):
        vocab = load_vocabulary(jurisdiction)
        fills = grey_ladder(vocab)
        drawn = [c for c in vocab.codes("placement") if not vocab.term("placement", c).overlay]
        levels = sorted({round(grey(fills[c])) for c in drawn})
        assert len(levels) == len({vocab.term("placement", c).colour for c in drawn}), jurisdiction
        assert all(b - a >= 20 for a, b in itertools.pairwise(levels)), levels
        assert levels[0] >= 35 and levels[-1] <= 220  # none as black as the text, none lost on the paper
        for code in drawn:
            before, after = (colorsys.rgb_to_hsv(*(int(h.lstrip("#")[k:k + 2], 16) / 255 for k in (0, 2, 4)))
                             for h in (vocab.term("placement", code).colour, fills[code]))
            if before[1] > 0.1:  # a colour, not a grey: the hue is the single-child chart's
                assert abs(before[0] - after[0]) * 360 < 3, (code, before, after)
    rules = {rule.selectors[0].chain[0].text(): dict(rule.declarations) for rule in stylesheet(DEFAULT_THEME).rules}
    assert rules[".fill-placement-foster"]["fill"].text == grey_ladder(load_vocabulary("scotland"))["foster"]
    assert ".fill-order-po" in rules  # orders keep the single-child chart's fills


def test_journeys_legend_fits_the_page_in_either_jurisdiction() -> None:
    """England's placement names are longer: the legend takes a second line rather than run off the page
    (an SSDA903 cohort's legend was cut at 'Supp'), and the rows make room for it."""
    from timeline.chart.metrics import default_metrics
    from timeline.cohort.layout import CohortPage, journey_legend, legend_lines

    w, h = printable_width_px("A4"), printable_height_px("A4")
    m = default_metrics()
    assert len(legend_lines(m, w, "scotland")) == 1
    assert len(legend_lines(m, w, "england-wales")) == 2
    for jurisdiction in ("scotland", "england-wales"):
        page = CohortPage(m, w, h)
        journey_legend(page, w, h, jurisdiction)
        texts = [i for i in page.items if isinstance(i, Text)]
        assert texts and all(t.x + t.width <= w + 0.5 and t.y + t.height <= h + 0.5 for t in texts), jurisdiction
        assert len({t.text for t in texts}) == len(texts)  # every type once


def test_cli_pdf_and_json(tmp_path: Path) -> None:
    out, js = tmp_path / "cohort.pdf", tmp_path / "cohort.json"
    result = CliRunner().invoke(main, ["cohort", str(HAND), "-o", str(out), "--json", str(js),
                                       "--as-of", "2024-07-31", "-j", "1"])
    assert result.exit_code == 0, result.output
    assert "6 children, 1 left out" in result.output
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(out)
    assert len(reader.pages) == 5
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    assert json.loads(js.read_text())["children"] == 6
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert "Run charts" in text and "HC-03" in text and "Test Three" not in text


def test_cli_svg_html_and_usage(tmp_path: Path) -> None:
    for suffix in (".svg", ".html"):
        out = tmp_path / f"c{suffix}"
        r = CliRunner().invoke(main, ["cohort", str(HAND), "-o", str(out), "--as-of", "2024-07-31", "-j", "1",
                                      "--rules", "mdc", "--per", "month", "--by", "entry-year"])
        assert r.exit_code == 0, r.output
        text = out.read_text()
        assert "Atkinson Hyperlegible" in text and "Test One" not in text
    bad = CliRunner().invoke(main, ["cohort", str(HAND), "-o", str(tmp_path / "c.png")])
    assert bad.exit_code == 2
    both = CliRunner().invoke(main, ["cohort", str(HAND), "-o", str(tmp_path / "c.pdf"), "--share", "--names"])
    assert both.exit_code == 2


def test_table_extract_through_a_mapping() -> None:
    records, left = read_inputs([str(EXTRACT / "children.csv")], as_of=AS_OF,
                                mapping=str(EXTRACT / "mapping.yaml"), jobs=1)
    assert sorted(r.ref for r in records) == ["EX-01", "EX-02"]
    why = {lo.source: lo.messages for lo in left}
    assert any("EX-09" in s and "no row in the children table" in m[0] for s, m in why.items())
    assert any("EX-03" in s and "legal code 'Q9'" in m[0] and "legal.csv row 7" in m[0] for s, m in why.items())
    assert any("EX-04" in s and "day 31 does not exist" in m[0] for s, m in why.items())
    ex1 = next(r for r in records if r.ref == "EX-01")
    # Looked after 20 Jan 2016 (ICSO and foster care); adoption order 15 Jun 2017: 512 days.
    assert ex1.entry == date(2016, 1, 20) and ex1.permanence_days == 512 and ex1.permanence_route == "adoption"
    assert ex1.moves == 1 and [s.days for s in ex1.steps][:3] == [225, 70, 10]
    ex2 = next(r for r in records if r.ref == "EX-02")
    assert ex2.looked_after_now and ex2.placement_now == "residential"


def test_an_extract_given_as_its_files_or_its_folder_is_read_once() -> None:
    """A data team passes the extract's three CSVs, or its folder (which holds the mapping too): the same
    two children and three left out as the children table alone, never each child once per file given."""
    mapping = str(EXTRACT / "mapping.yaml")
    alone = read_inputs([str(EXTRACT / "children.csv")], as_of=AS_OF, mapping=mapping, jobs=1)
    files = [str(EXTRACT / n) for n in ("children.csv", "placements.csv", "legal.csv")]
    for inputs in (files, [str(EXTRACT)]):
        records, left = read_inputs(inputs, as_of=AS_OF, mapping=mapping, jobs=1)
        assert sorted(r.ref for r in records) == ["EX-01", "EX-02"], inputs
        assert sorted(lo.source for lo in left) == sorted(lo.source for lo in alone[1]), inputs
        assert not any("mapping.yaml" in lo.source for lo in left)  # the mapping file is not a case file


def test_render_one_child_of_a_table(tmp_path: Path) -> None:
    out = tmp_path / "ex1.svg"
    args = ["render", str(EXTRACT / "children.csv"), "--mapping", str(EXTRACT / "mapping.yaml"), "--as-of",
            "2024-07-31", "-o", str(out)]
    r = CliRunner().invoke(main, [*args, "--child", "EX-01"])
    assert r.exit_code == 0, r.output
    svg = out.read_text()
    assert "kind-placement" in svg and "type-adoptive" in svg and "kind-order" in svg
    missing = CliRunner().invoke(main, [*args, "--child", "EX-99"])
    assert missing.exit_code == 1 and "no child with the reference 'EX-99'" in missing.output
    broken = CliRunner().invoke(main, [*args, "--child", "EX-03"])
    assert broken.exit_code == 1 and "Q9" in broken.output
    alone = CliRunner().invoke(main, [*args[:2], "--child", "EX-01", "-o", str(out)])
    assert alone.exit_code == 2


def test_bundled_example_mapping_loads() -> None:
    from timeline.cohort.mapping import load_mapping

    path = Path(__file__).parent.parent / "timeline" / "cohort" / "examples" / "scotland-three-sheets.example.yaml"
    spec = load_mapping(str(path))
    assert set(spec.sections) == {"children", "placements", "legal", "milestones"}
    assert spec.sections["placements"].sheet == "Placements"
    assert "NOT the official CLAS specification" in path.read_text()


def test_example_mapping_reads_a_three_sheet_workbook(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheets = {"Children": [["CHILD_ID", "DOB", "PERM_RECOMMENDED", "PERM_ROUTE", "PERM_PANEL", "ADM_DECISION",
                            "APPLICATION_LODGED", "FINAL_ORDER"],
                           ["W-1", "2016-05-05", "2021-01-10", "PO", "", "", "", ""]],
              "Placements": [["CHILD_ID", "PLACEMENT_START", "PLACEMENT_END", "PLACEMENT_TYPE"],
                             ["W-1", "2020-09-01", "", "P3"]],
              "LegalReasons": [["CHILD_ID", "LEGAL_START", "LEGAL_END", "LEGAL_REASON"],
                               ["W-1", "2020-09-01", "", "L1"]]}
    first = True
    for name, rows in sheets.items():
        ws = book.active if first else book.create_sheet()
        first = False
        ws.title = name
        for row in rows:
            ws.append(row)
    path = tmp_path / "extract.xlsx"
    book.save(path)
    example = Path(__file__).parent.parent / "timeline" / "cohort" / "examples" / "scotland-three-sheets.example.yaml"
    records, left = read_inputs([str(path)], as_of=AS_OF, mapping=str(example), jobs=1)
    assert left == [] and [r.ref for r in records] == ["W-1"]
    (w1,) = records
    assert w1.placement_now == "foster" and w1.route == "permanence_order" and w1.steps[0].days == 131


def test_facts_helpers_for_the_cohort() -> None:
    from timeline.facts.compute import compute_facts, pace_steps, placement_at, recommended_route
    from timeline.io.read import load_case

    case = load_case(HAND / "hc-03.yaml").case
    assert placement_at(case, date(2024, 3, 1)).type == "foster"  # type: ignore[union-attr]
    assert placement_at(case, date(2024, 7, 31)).type == "kinship"  # type: ignore[union-attr]
    assert placement_at(case, date(2023, 7, 1)) is None
    assert recommended_route(case) is None
    four = load_case(HAND / "hc-04.yaml").case
    steps = pace_steps(four, compute_facts(four))
    assert [(s.milestone, s.days, s.waiting, s.within_target) for s in steps] == [
        ("permanence_recommended", 242, False, False), ("permanence_panel", 123, False, False),
        ("adm_decision", 181, True, None), ("application_lodged", None, False, None),
        ("final_order", None, False, None)]


def test_bench_cohort_children_are_valid_cases_of_60_events() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    import cohort_bench

    from timeline.io.read import SourceMap, validate_data

    for seed in range(5):
        data = cohort_bench.make_child(seed)
        case = validate_data(data, SourceMap(file=f"child-{seed}"))
        assert len(case.events) == cohort_bench.EVENTS
        assert case.child.date_of_birth <= case.as_of_date


def test_fast_reading_gives_the_projects_case_or_defers_to_it(tmp_path: Path) -> None:
    from timeline.cohort.read import quick_case, read_case_file
    from timeline.facts.standards import load_standards
    from timeline.io.read import load_case

    samples = sorted((Path(__file__).parent.parent / "samples").glob("*.yaml")) + sorted(HAND.glob("hc-0[1-5].yaml"))
    text = {"label": None, "note": None, "source": None, "for_child": None}
    for path in samples:
        fast = quick_case(path.read_text(encoding="utf-8"), str(path), AS_OF)
        slow = load_case(path, as_of=AS_OF).case
        # The same case, less the events' free text, which the cohort neither reads nor shows.
        assert fast is not None, path
        assert fast == slow.model_copy(update={"events": tuple(e.model_copy(update=text) for e in slow.events)}), path
        assert all(e.label is None and e.note is None and e.source is None for e in fast.events)
    assert any(e.label for p in samples[:3] for e in load_case(p, as_of=AS_OF).case.events)  # text was there
    # What the project's reader judges itself: a repeated key, an alias, a YAML boolean where text belongs.
    repeated = tmp_path / "repeated.yaml"
    repeated.write_text("child: {name: A, date_of_birth: 2015-01-01}\nchild: {name: B, date_of_birth: 2015-01-01}\n"
                        "events: []\n", encoding="utf-8")
    aliased = tmp_path / "alias.yaml"
    aliased.write_text("child: &c {name: A, date_of_birth: 2015-01-01}\nevents: []\nx: *c\n", encoding="utf-8")
    yes = tmp_path / "yes.yaml"
    yes.write_text("child: {name: yes, date_of_birth: 2015-01-01}\nevents: []\n", encoding="utf-8")
    std = load_standards(None)
    for path in (repeated, aliased, yes):
        assert quick_case(path.read_text(encoding="utf-8"), str(path), AS_OF) is None
        left = read_case_file(str(path), index=0, as_of=AS_OF, standards=std)
        assert left.messages and str(path) in left.messages[0]  # type: ignore[union-attr]
    assert "appears twice" in read_case_file(str(repeated), index=0, as_of=AS_OF, standards=std).messages[0]  # type: ignore[union-attr]
    repeated_json = tmp_path / "repeated.json"  # the JSON fast path refuses a repeated key just the same
    repeated_json.write_text('{"child": {"name": "A", "date_of_birth": "2015-01-01", "name": "B"}, "events": []}',
                             encoding="utf-8")
    assert quick_case(repeated_json.read_text(encoding="utf-8"), str(repeated_json), AS_OF) is None
    left = read_case_file(str(repeated_json), index=0, as_of=AS_OF, standards=std)
    assert isinstance(left, LeftOut) and "appears twice" in left.messages[0]


def test_a_cohort_counts_one_jurisdiction_and_takes_its_steps(tmp_path: Path) -> None:
    """An English child is measured against England's steps (placed for adoption, A2's match), a Scottish
    child among English ones is left out with the reason, and the JSON names the jurisdiction."""
    def write(name: str, jurisdiction: str) -> None:
        (tmp_path / f"{name}.yaml").write_text(
            f"child: {{name: {name}, date_of_birth: 2015-01-01, ref: {name}}}\njurisdiction: {jurisdiction}\n"
            "events:\n  - {kind: order, type: " + ("care_order" if jurisdiction != "scotland" else "cso")
            + ", start: 2019-01-01}\n  - {kind: placement, type: foster, start: 2019-01-01}\n", encoding="utf-8")

    write("e1", "england-wales")
    write("e2", "england-wales")
    write("s1", "scotland")
    records, left = read_inputs([str(tmp_path)], as_of=date(2021, 1, 1))
    cohort = build_cohort(records, left, CohortOptions(as_of=date(2021, 1, 1)))
    data = cohort.to_json()
    assert data["jurisdiction"] == "england-wales" and data["children"] == 2 and data["left_out"] == 1
    assert "a scotland case in a cohort of england-wales children" in cohort.left_out[0].messages[0]
    assert "placed_for_adoption" in [s["to"] for s in data["steps"]]  # England's steps, not PACE's
    from timeline.cohort.report import render as render_cohort

    assert b"Looked after to placed for adoption" in render_cohort(cohort, "svg")


def test_a_step_dated_before_its_start_is_not_a_duration() -> None:
    """An ADM decision recorded before the child became looked after is neither done nor waiting (a
    negative number of days would pull the median down), and the figures count it as out of order."""
    from timeline.facts.compute import compute_facts, pace_steps
    from timeline.facts.standards import load_standards
    from timeline.model.case import Case

    case = Case.model_validate({"child": {"name": "Io", "date_of_birth": "2014-05-01"},
                                "jurisdiction": "england-wales", "as_of": "2019-01-01", "events": [
        {"kind": "milestone", "type": "adm_decision", "date": "2016-02-01"},
        {"kind": "order", "type": "care_order", "start": "2017-03-01"},
        {"kind": "placement", "type": "foster", "start": "2017-03-01"}]})
    std = load_standards(None, "england-wales")
    step = next(s for s in pace_steps(case, compute_facts(case, standards=std), standards=std)
                if s.milestone == "adm_decision")
    assert step.out_of_order and step.days is None and not step.waiting and step.within_target is None


def test_an_end_after_the_as_at_date_has_not_happened_yet() -> None:
    """HC-07 lives with kin from 1 Feb 2020 to 1 Jun 2021 (the KCO). As at 1 Jan 2021 that end is still to
    come: the child is looked after now, in kinship care, not 'looked after to 1 Jan 2021'."""
    from timeline.facts.compute import compute_facts
    from timeline.io.read import load_case

    records, _left = read_inputs([str(HAND / "hc-07.yaml")], as_of=date(2021, 1, 1), jobs=1)
    (r,) = records
    assert r.looked_after_now and r.left is None and r.placement_now == "kinship"
    figures = build_cohort(records, [], CohortOptions(as_of=date(2021, 1, 1))).to_json()
    assert figures["looked_after_now"] == 1 and figures["placement_now"]["kinship"] == 1  # type: ignore[index]
    facts = compute_facts(load_case(HAND / "hc-07.yaml", as_of=date(2021, 1, 1)).case)
    assert facts.looked_after_end is None and facts.looked_after_periods[-1].ongoing


def test_a_baseline_date_before_every_point_gives_no_centre() -> None:
    """--baseline-to before the first child took the step: there is no baseline, so no centre line and no
    rule (the centre used to be taken from every point while `baseline_points` said 0)."""
    chart = hand_cohort(baseline_to=date(2019, 1, 1)).to_json()["run_charts"][0]  # type: ignore[attr-defined]
    assert chart["baseline_points"] == 0 and chart["centre"] is None and chart["signals"] == []
    assert chart["notes"] == ["no point on or before the baseline date: no centre line, no rule applied"]
    two = hand_cohort(baseline_to=date(2020, 6, 1)).to_json()["run_charts"][0]  # type: ignore[attr-defined]
    assert two["baseline_points"] == 2 and two["centre"] == 163  # HC-07 214 and HC-01 112


def _year_only_cohort(tmp_path: Path) -> object:
    """Two children looked after on 5 Jan 2018; the permanence recommendation of YO-1 is recorded only as
    "2019", that of YO-2 as 20 Aug 2019. Neither has reached the panel by 30 Jun 2022."""
    for ref, when in (("YO-1", "2019"), ("YO-2", "2019-08-20")):
        (tmp_path / f"{ref}.yaml").write_text(
            f"version: 1\nchild: {{name: Child {ref}, date_of_birth: 2015-01-10, ref: {ref}}}\n"
            "jurisdiction: scotland\nas_of: 2022-06-30\nevents:\n"
            "  - {kind: milestone, type: looked_after, date: 2018-01-05}\n"
            "  - {kind: placement, type: foster, start: 2018-01-05}\n"
            f"  - {{kind: milestone, type: permanence_recommended, date: '{when}', route: adoption}}\n",
            encoding="utf-8")
    as_of = date(2022, 6, 30)
    records, left = read_inputs([str(tmp_path)], as_of=as_of, jobs=1)
    return build_cohort(records, left, CohortOptions(as_of=as_of))


def test_a_date_with_no_single_day_is_never_printed_as_one(tmp_path: Path) -> None:
    """A step recorded only as "2019" is counted from its middle day (2 Jul 2019) for order and sums, but the
    page never prints that day, nor its count of days as if exact: the waiting list says "2019" and the
    least and most days (as at 30 Jun 2022: from 31 Dec 2019, 912; from 1 Jan 2019, 1,276). The JSON keeps
    the middle day for order, with the span beside it, as the single-child JSON's `date_window` does."""
    cohort = _year_only_cohort(tmp_path)
    figures = cohort.to_json()  # type: ignore[attr-defined]
    waiting = {w["ref"]: w for w in figures["waiting_longest"]}
    assert waiting["YO-1"]["since_window"] == ["2019-01-01", "2019-12-31"]
    assert waiting["YO-1"]["days_window"] == [912, 1276]
    assert "since_window" not in waiting["YO-2"] and "days_window" not in waiting["YO-2"]
    assert waiting["YO-2"]["days"] == 1045  # 20 Aug 2019 to 30 Jun 2022
    points = {p["ref"]: p for p in figures["run_charts"][0]["points"]}
    # looked after 5 Jan 2018 to a recommendation in 2019: 361 (1 Jan) to 725 (31 Dec) days
    assert points["YO-1"]["days_window"] == [361, 725] and "days_window" not in points["YO-2"]
    assert points["YO-1"]["date_window"] == ["2019-01-01", "2019-12-31"] and "date_window" not in points["YO-2"]
    words = [t.text for page in layout_cohort(cohort) for t in page.texts()]  # type: ignore[arg-type]
    assert "2019" in words and "912\u20131,276" in words and "20 Aug 2019" in words and "1,045" in words
    assert not any("2 Jul 2019" in w or "1,094" in w for w in words)  # the middle day and its exact-looking count
    assert any(w.startswith("2 points count days from or to a date recorded only as a") for w in words)
