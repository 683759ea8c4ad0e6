"""Report content (render stage): header, summary, chronology rows, views and HTML escaping, without WeasyPrint."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from timeline.model.case import Case
from timeline.pipeline import RenderOptions, render_case
from timeline.render.assets import allowed_assets
from timeline.render.html import report_html
from timeline.render.safety import UnsafeChartError, check_svg
from timeline.report.content import TRAINING_BANNER, build_report, templates_dir
from timeline.report.prose import chronology_rows, duration_words, hearing_paragraph

ROOT = Path(__file__).resolve().parent.parent
HOSTILE_IMG = '<img src="file:///etc/passwd">'
HOSTILE_LINK = '<link rel=attachment href="http://example.invalid/x">'
HOSTILE_SCRIPT = "</style><script>alert(1)</script>"
HOSTILE_URL = "url(file:///etc/passwd) url(http://example.invalid/y)"


def case_from(events: list[dict[str, Any]], **child: Any) -> Case:
    data = {
        "child": {"name": "Amy", "date_of_birth": "2015-03-14", "ref": "C-0001", **child},
        "as_of": "2019-06-01",
        "events": events,
    }
    return Case.model_validate(data)


AMY_EVENTS: list[dict[str, Any]] = [
    {"kind": "placement", "type": "home", "start": "2015-03-14", "end": "2016-01-20", "label": "With mum"},
    {"kind": "placement", "type": "foster", "start": "2016-01-20", "end": "2017-02-01", "label": "Foster carers (B)",
     "note": "Settled well.", "source": "SW chronology"},
    {"kind": "order", "type": "icso", "start": "2016-01-28", "end": "2016-02-18", "label": "ICSO"},
    {"kind": "hearing", "type": "childrens_hearing", "date": "2016-01-28", "label": "ICSO made"},
    {"kind": "event", "type": "health", "date": "2015-06~", "label": "Health visitor worried"},
    {"kind": "placement", "type": "kinship", "start": "2017-02-01", "label": "Gran"},
    {"kind": "milestone", "type": "permanence_recommended", "date": "2016-10-03", "route": "kinship",
     "label": "Permanence recommended"},
]


@pytest.fixture(scope="module")
def amy() -> Case:
    return case_from(AMY_EVENTS)


def hostile_case() -> Case:
    return case_from([
        {"kind": "placement", "type": "foster", "start": "2016-01-20", "label": HOSTILE_IMG, "note": HOSTILE_URL},
        {"kind": "hearing", "type": "childrens_hearing", "date": "2016-01-28", "label": HOSTILE_LINK,
         "source": "http://example.invalid/z"},
        {"kind": "event", "type": "other", "date": "2016-03-01", "label": HOSTILE_SCRIPT},
    ])


def test_templates_resolve_from_the_source_tree_and_ship_with_the_package() -> None:
    folder = templates_dir()
    assert (folder / "report.html.j2").is_file()
    assert (folder / "report.css").is_file()
    # the wheel force-includes the top-level folder as timeline/templates
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"templates" = "timeline/templates"' in pyproject


def test_allowed_assets_are_only_the_bundled_fonts_and_stylesheet() -> None:
    names = sorted(Path(p).name for p in allowed_assets().values())
    assert names == ["AtkinsonHyperlegible-Bold.ttf", "AtkinsonHyperlegible-Regular.ttf", "report.css"]
    assert all(url.startswith("file:///") for url in allowed_assets())


def test_chronology_rows_in_date_order_with_precision_and_age(amy: Case) -> None:
    rows = chronology_rows(amy)
    assert [r.label for r in rows] == [
        "With mum", "Health visitor worried", "Foster carers (B)", "ICSO", "ICSO made",
        "Permanence recommended", "Gran",
    ]
    health = rows[1]
    assert health.date == "c. Jun 2015"
    assert health.age == "c. 3 m"  # mid-June 2015 from a 14 March 2015 birth
    assert health.type_name == "Health"
    foster = rows[2]
    assert foster.date == "20 Jan 2016 \u2013 1 Feb 2017"
    assert foster.age == "10 m \u2013 1 y 10 m"
    assert foster.kind == "Placement" and foster.type_name == "Foster care"
    assert (foster.note, foster.source) == ("Settled well.", "SW chronology")
    assert rows[3].type_name == "Interim Compulsory Supervision Order"
    assert rows[-1].date == "1 Feb 2017 \u2013 ongoing"


def test_summary_and_key_figures_come_from_the_facts(amy: Case) -> None:
    report = build_report(amy, options=RenderOptions(format="html"))
    figures = {f.label: f.value for f in report.summary.figures}
    assert figures["Placements"] == "3"
    assert figures["Moves between placements"] == "2"
    assert figures["Hearings"] == "1"
    assert figures["Looked after since"] == "20 Jan 2016 (age 10 m)"
    # 20 Jan 2016 .. 1 Jun 2019 = 1228 days of 1540 days of life
    assert figures["Time looked after"] == "3 years 4 months (80% of life)"
    names = [m.name for m in report.summary.milestones]
    assert "Permanence recommended (LAAC review)" in names
    assert report.header.age == "4 y 2 m" and report.header.date_of_birth == "14 Mar 2015"
    assert any("2.4 years" in item.text for item in report.research)
    assert all("SCRA" in item.source for item in report.research)


def test_hearing_paragraph_in_plain_words(amy: Case) -> None:
    from timeline.facts.compute import compute_facts

    text = hearing_paragraph(amy, compute_facts(amy))
    assert text.startswith("Amy is 4. Amy has been looked after since the age of 10 months: 3 years 4 months, "
                           "80% of Amy's life.")
    assert "Amy has lived in 3 places and has had 2 moves between them." in text
    assert "There has been 1 hearing." in text


def test_permanence_dated_before_the_looked_after_start_is_not_a_negative_span() -> None:
    """Re-entry into care after an earlier order: the order predates the (explicit) looked-after start."""
    from timeline.facts.compute import compute_facts

    case = case_from([
        {"kind": "order", "type": "po", "start": "2016-05-02", "label": "Permanence Order"},
        {"kind": "placement", "type": "foster", "start": "2018-09-10", "label": "Foster carers (C)"},
        {"kind": "milestone", "type": "looked_after", "date": "2018-09-10", "label": "Looked after again"},
    ])
    facts = compute_facts(case)
    assert facts.legal_permanence is not None and facts.looked_after_start is not None
    assert facts.legal_permanence.date < facts.looked_after_start
    report = build_report(case, options=RenderOptions(format="html"))
    key = {f.label: f.value for f in report.key_figures}
    summary = {f.label: f.value for f in report.summary.figures}
    expected = "Permanence Order, 2 May 2016: granted before the current period of being looked after began"
    assert key["Legal permanence"] == "PO, 2 May 2016 (before this period in care)"  # page 1 box: one line
    assert summary["Time to legal permanence"] == expected
    words = hearing_paragraph(case, facts)
    assert ("A Permanence Order was made when Amy was 1 year 1 month, granted before the current period of "
            "being looked after began.") in words
    for text in (words, expected):
        assert "before birth" not in text and "weeks" not in text


def test_permanence_after_the_looked_after_start_counts_from_it(amy: Case) -> None:
    case = case_from([*AMY_EVENTS, {"kind": "order", "type": "po", "start": "2017-06-05", "label": "PO"}])
    report = build_report(case, options=RenderOptions(format="html"))
    key = {f.label: f.value for f in report.key_figures}
    summary = {f.label: f.value for f in report.summary.figures}
    # 20 Jan 2016 (looked after) .. 5 Jun 2017 = 1 year 4 completed months; the page-1 box abbreviates
    assert key["Legal permanence"] == "1 year 4 months (PO, 5 Jun 2017)"
    assert summary["Time to legal permanence"] == "1 year 4 months (Permanence Order, 5 Jun 2017)"


def test_duration_words() -> None:
    assert duration_words(1) == "1 day"
    assert duration_words(365) == "1 year"
    assert duration_words(800) == "2 years 2 months"
    assert duration_words(30) == "4 weeks"


def test_html_escapes_hostile_text_and_is_self_contained() -> None:
    html = render_case(hostile_case(), RenderOptions(format="html", marking="OFFICIAL-SENSITIVE")).decode()
    for hostile in (HOSTILE_IMG, HOSTILE_LINK, HOSTILE_SCRIPT):
        assert hostile not in html
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in html
    assert "&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    # no element or stylesheet refers outside the file: fonts are data: URIs
    assert external_references(html) == []
    assert re.findall(r"url\(\"(?!data:|#)", html) == []
    assert html.count('src: url("data:font/ttf;base64,') == 2
    assert '<html lang="en-GB">' in html
    assert "<title>Timeline: Amy</title>" in html
    assert html.count("OFFICIAL-SENSITIVE") == 3  # running header, running footer, browser footer


def external_references(html: str) -> list[tuple[str, str, str]]:
    """(tag, attribute, value) of every element attribute that could load something from outside the file."""
    from html.parser import HTMLParser

    found: list[tuple[str, str, str]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            for name, value in attrs:
                if name in ("src", "href", "xlink:href", "data", "action", "srcset") and value is not None \
                        and not value.startswith(("#", "data:")):
                    found.append((tag, name, value))

    Collect().feed(html)
    return found


def test_user_text_never_reaches_a_style_block() -> None:
    case = case_from([{"kind": "event", "type": "other", "date": "2016-03-01", "label": "red}body{color:red"}])
    html = render_case(case, RenderOptions(format="html", marking="M}x{y", title="T}x{")).decode()
    for block in re.findall(r"<style>(.*?)</style>", html, flags=re.S):
        assert "red}body" not in block and "M}x{y" not in block and "T}x{" not in block


def test_a_laid_out_report_holds_scenes_and_the_renderer_writes_them(amy: Case) -> None:
    """The report stage returns frozen data (its drawings are scenes, no markup, no fonts); the HTML writer
    embeds each drawing for its target, asking the caller's `image_uri` for the PDF's, chart first."""
    import dataclasses

    from timeline.render.html import write_report
    from timeline.report.parts import Report
    from timeline.scene.items import Scene

    report = build_report(amy, options=RenderOptions(format="html"))
    assert report.chart is not None and isinstance(report.chart.scene, Scene)
    assert not {"css", "font_regular", "font_bold"} & {f.name for f in dataclasses.fields(Report)}
    asked: list[Scene] = []

    def image_uri(scene: Scene) -> str:
        asked.append(scene)
        return f"data:image/svg+xml;base64,{len(asked)}"

    page = write_report(report, target="pdf", image_uri=image_uri)
    assert asked == [report.chart.scene, *(key.scene for key in report.keys)]
    assert 'src="data:image/svg+xml;base64,1"' in page and "<svg" not in page
    inline = write_report(report, target="html")
    assert inline.count('id="chart-title"') == 1 and "data:image/svg+xml" not in inline


def test_the_stylesheets_page_lengths_are_written_from_the_page_constants() -> None:
    from timeline.render.assets import css_text, stylesheet_path
    from timeline.report.pages import KEY_GAP_MM, MEASURE_STAND_IN_PX
    from timeline.scene.theme import PAGE_MARGIN_MM

    css, child = css_text(), css_text("child.css")
    assert f"  margin: {PAGE_MARGIN_MM:g}mm;\n" in css and "$" not in css and "$" not in child
    assert f".r-chart-key {{ margin-top: {KEY_GAP_MM:g}mm; }}" in css
    assert f".r-chart-measure {{ height: {MEASURE_STAND_IN_PX:g}px; }}" in css
    assert f"14mm {PAGE_MARGIN_MM:g}mm {PAGE_MARGIN_MM:g}mm {PAGE_MARGIN_MM:g}mm;" in child
    raw = stylesheet_path().read_text(encoding="utf-8")
    assert "margin: $page_margin;" in raw and not re.search(r"\b12mm", raw)  # the file repeats no constant


def test_check_svg_refuses_anything_that_could_fetch_or_run() -> None:
    ok = '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(#p)"/><use href="#m"/></svg>'
    assert check_svg(ok) == ok
    bad = [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(http://x.invalid/a)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><style>@import "http://x.invalid/a.css";</style></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="x()"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
        "<svg",
    ]
    for svg in bad:
        with pytest.raises(UnsafeChartError):
            check_svg(svg)


def test_views_hearing_has_words_no_table_training_has_banner_and_no_original_name(amy: Case) -> None:
    hearing = report_html(amy, options=RenderOptions(format="html", view="hearing"), target="html")
    assert "In words" in hearing and "Amy is 4." in hearing
    assert "<h2>Chronology</h2>" not in hearing and "Settled well." not in hearing
    full = report_html(amy, options=RenderOptions(format="html"), target="html")
    assert "<h2>Chronology</h2>" in full and "Settled well." in full and TRAINING_BANNER not in full
    training = report_html(amy, options=RenderOptions(format="html", view="training"), target="pdf")
    assert training.count(TRAINING_BANNER) >= 2  # page header (every page) and top of page 1
    assert "Amy" not in training and "C-0001" not in training and "Settled well." not in training
    assert "Foster carers (B)" not in training and "Foster care" in training


def test_svg_render_does_not_import_weasyprint(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from timeline.cli.commands import main\n"
        f"r = CliRunner().invoke(main, ['render', {str(ROOT / 'samples' / 'home.yaml')!r}, "
        f"'-o', {str(tmp_path / 'x.svg')!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('weasyprint' in sys.modules, 'pypdfium2' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"
    assert (tmp_path / "x.svg").read_bytes().startswith(b"<")


def test_permanence_by_the_final_order_milestone_is_named_in_words_not_by_its_code() -> None:
    """Legal permanence from the `final_order` milestone (no permanence order in the file) reads as the
    vocabulary says it, in the key figures, the summary and the hearing paragraph; never `final_order`."""
    from timeline.facts.compute import compute_facts

    case = case_from([
        {"kind": "placement", "type": "foster", "start": "2016-01-01"},
        {"kind": "order", "type": "cso", "start": "2016-01-01"},
        {"kind": "milestone", "type": "permanence_recommended", "date": "2016-03-01", "route": "permanence_order"},
        {"kind": "milestone", "type": "final_order", "date": "2016-12-01"},
    ])
    full = build_report(case, options=RenderOptions(format="pdf"))
    figures = {f.label: f.value for f in full.key_figures}
    assert figures["Legal permanence"] == "11 months (Final order, 1 Dec 2016)"
    assert hearing_paragraph(case, compute_facts(case)).count("Final order granted when Amy was 1 year 8 months")
    for view in ("full", "hearing"):
        html = report_html(case, options=RenderOptions(format="pdf", view=view), target="html")
        assert "final_order" not in re.sub(r"<[^>]*>", " ", html)  # in no text a reader sees (classes may)


def test_an_end_inferred_from_a_partial_date_is_worded_as_recorded(tmp_path: Path) -> None:
    """A foster placement ended by a move in 'summer 2016' was listed as ending '16 Jul 2016' (the season's
    middle day): the inferred end is worded as the record gives the date that implies it."""
    from timeline.facts.compute import compute_facts
    from timeline.io.read import load_case
    from timeline.report.prose import chronology_rows

    path = tmp_path / "c.yaml"
    path.write_text("child: {name: Jay, date_of_birth: 2014-02-14}\nas_of: 2019-09-01\nevents:\n"
                    "  - {kind: placement, type: foster, start: 2016-04-06}\n"
                    "  - {kind: placement, type: kinship, start: 2016-06/2016-08}\n", encoding="utf-8")
    case = load_case(path).case
    rows = chronology_rows(case, compute_facts(case).inferred_end_dates)
    assert rows[0].date == "6 Apr 2016 \u2013 Jun\u2013Aug 2016 (end inferred)"


def test_a_step_a_later_step_shows_happened_is_not_recorded_never_not_yet() -> None:
    """The milestone table said "not yet" in the date column beside "Not recorded (a later step shows it
    happened)": a petition lodged shows a permanence recommendation (and a panel, a decision) were made,
    so none of them is "not yet"; a step after the last one recorded still is."""
    case = case_from([
        {"kind": "placement", "type": "foster", "start": "2016-03-14"},
        {"kind": "order", "type": "cso", "start": "2016-03-20"},
        {"kind": "milestone", "type": "application_lodged", "date": "2017-01-10"},
    ])
    report = build_report(case, options=RenderOptions(format="html"))
    dates = {m.name: (m.date, m.status) for m in report.summary.milestones}
    recommended = dates["Permanence recommended (LAAC review)"]
    assert recommended == ("not recorded", "Not recorded (a later step shows it happened)")
    before = [name for name in dates if name not in ("Became looked after", "Application lodged in court",
                                                     "Final order granted")]
    assert all(dates[name][0] == "not recorded" for name in before), dates
    assert dates["Final order granted"][0] == "not yet"


def test_the_report_words_give_partial_dates_as_recorded() -> None:
    """Looked after from '2015', ended 'Nov 2017' (the placement after it starts then), a permanence order made
    'c. Mar 2018', and an English case issued 'Mar 2016' with a hearing 'c. Mar 2016': the hearing paragraph, the
    summary box, the key figures and the court summary give ages and times at such dates as approximate
    ('about', 'c.', 'between') and each date as recorded, never a middle day or a count from one."""
    from timeline.facts.compute import compute_facts
    from timeline.report.prose import court_summary, key_figures_for, summary_for

    case = case_from([
        {"kind": "placement", "type": "foster", "start": "2015", "end": "2017-11"},
        {"kind": "placement", "type": "home", "start": "2017-11"},
    ], date_of_birth="2012-03-01")
    facts = compute_facts(case)
    paragraph = hearing_paragraph(case, facts)
    # born 1 Mar 2012; 2015 is age 2 y 10 m to 3 y 9 m, Nov 2017 is 5 y 8 m to 5 y 8 m (counted from middle days,
    # said "about"); 1 Jan 2015 - 31 Dec 2015 to 1 - 30 Nov 2017 is 671 to 1064 days
    assert ("Amy was looked after from the age of about 3 years 4 months to about 5 years 8 months: between 1 "
            "year 10 months and 2 years 11 months") in paragraph
    figures = {f.label: f.value for f in summary_for(case, facts).figures}
    assert figures["Looked after since"] == "2015 (age c. 3 y 4 m)"
    assert figures["Time looked after"].startswith("between 1 year 10 months and 2 years 11 months (")
    assert key_figures_for(case, facts)[0].value.startswith("between 1 year 10 months and 2 years 11 months, ")

    po = case_from([
        {"kind": "placement", "type": "foster", "start": "2015-06"},
        {"kind": "order", "type": "po", "start": "2018-03~"},
    ], date_of_birth="2012-03-01")
    po_facts = compute_facts(po)
    # 1 - 30 Jun 2015 to 1 - 31 Mar 2018 (c.): 975 to 1034 days
    assert ("A Permanence Order was made when Amy was about 6 years, between 2 years 8 months and 2 years 10 "
            "months after Amy became looked after") in hearing_paragraph(po, po_facts)
    assert key_figures_for(po, po_facts)[2].value == "between 2 years 8 months and 2 years 10 months (PO, c. Mar 2018)"

    english = Case.model_validate({
        "child": {"name": "Amy", "date_of_birth": "2012-03-01"}, "jurisdiction": "england-wales",
        "as_of": "2016-09-01", "events": [
            {"kind": "order", "type": "s20", "start": "2015"},
            {"kind": "placement", "type": "foster", "start": "2015"},
            {"kind": "milestone", "type": "proceedings_issued", "date": "2016-03"},
            {"kind": "hearing", "type": "case_management_hearing", "date": "2016-03~"},
        ]})
    court = {f.label: f.value for f in court_summary(english, compute_facts(english))}
    # issued 1 - 31 Mar 2016, as at 1 Sep 2016: 154 to 184 days, week 23 to 27; due 182 days on: 30 Aug - 29 Sep
    assert court["Proceedings"].startswith("issued Mar 2016; now between week 23 and week 27; target 26 weeks "
                                           "(due between Aug 2016 and Sep 2016)")
    assert "CMH by day 12 cannot tell (dates with no single day);" in court["Measures"] + ";"
    words = " ".join([paragraph, *figures.values(), *court.values()])
    for invented in ("2 Jul 2015", "15 Nov 2017", "16 Mar 2016", "14 Sep 2016", "week 25", "(0 d)"):
        assert invented not in words
