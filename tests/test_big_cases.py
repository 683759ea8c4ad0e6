"""Big cases in the report (layout and render stages): a key longer than a page runs on page by page in
reading order, and a chart taller than page 1 even at its tightest is drawn smaller with a note; nothing is
ever cut off at a page's foot (an image cannot break across pages)."""

from __future__ import annotations

import io
import subprocess
import sys
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader
from test_layout import outside, overlapping_texts

from timeline.chart.layout import key_columns, layout
from timeline.chart.metrics import default_metrics
from timeline.facts.compute import compute_facts
from timeline.io.read import load_case
from timeline.model.case import Case
from timeline.pipeline import RenderOptions
from timeline.render.pdf import pdf_bytes
from timeline.report.content import chart_scenes
from timeline.report.pages import chart_budget, key_page_height_px, scaled_width
from timeline.report.prose import scaled_note
from timeline.scene.items import Scene, Text
from timeline.scene.theme import DEFAULT_THEME, printable_width_px

ROOT = Path(__file__).resolve().parent.parent


@cache
def synthetic(events: int, tmp: str = "/tmp") -> Case:
    """A deterministic synthetic case of `events` events (bench/synth.py, seed 7)."""
    text = subprocess.run([sys.executable, str(ROOT / "bench" / "synth.py"), str(events), "7"], check=True,
                          capture_output=True, text=True).stdout
    path = Path(tmp) / f"child-timeline-test-synth-{events}.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        return load_case(path).case
    finally:
        path.unlink()


def key_numbers_in_reading_order(page: Scene) -> list[int]:
    """The key's numbers on one canvas, read down each column, columns left to right."""
    numbers = [t for t in page.texts() if isinstance(t, Text) and t.cls == "key-number"]
    return [int(t.text) for t in sorted(numbers, key=lambda t: (round(t.x), t.y))]


def test_key_columns_balanced_when_they_fit_else_filled_in_turn() -> None:
    assert key_columns([10.0] * 7, 3, 100.0) == [[0, 1, 2], [3, 4, 5], [6]]
    # 12 entries of 10 in 3 columns of room 30: the block takes 9 (three full columns), 3 wait for the next
    assert key_columns([10.0] * 12, 3, 30.0) == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    # tall entries fill a column before the next, never past the room
    columns = key_columns([10.0, 20.0, 20.0, 10.0, 30.0], 2, 40.0)
    assert columns == [[0, 1], [2, 3]]
    assert key_columns([50.0], 3, 40.0) == []  # nothing fits: the caller starts a new canvas
    assert key_columns([], 3, 40.0) == []


def test_a_long_key_runs_on_in_page_sized_canvases_in_reading_order() -> None:
    case = synthetic(600)
    page_height = key_page_height_px("A4")
    scene = layout(case, facts=compute_facts(case), theme=DEFAULT_THEME, metrics=default_metrics(),
                   width=printable_width_px("A4"), title_block=False, max_height=chart_budget(RenderOptions()),
                   page_height=page_height)
    pages = scene.appendix
    assert len(pages) >= 3
    assert all(page.height <= page_height for page in pages)
    numbers = [n for page in pages for n in key_numbers_in_reading_order(page)]
    assert numbers == list(range(1, len(numbers) + 1))  # every number once, read down, across, page by page
    on_chart = {int(part) for t in scene.texts() if t.cls == "key-number"
                for part in t.text.split("–") if part}
    assert max(on_chart) == len(numbers)
    titles = [" ".join(t.text for t in page.texts() if t.cls == "lane-title" and t.x < 100) for page in pages]
    assert titles[0] == "Key Numbered labels"  # the legend's title, then the key's (wrapped to the gutter)
    assert titles[1:] == ["Numbered labels (continued)"] * (len(pages) - 1)


@pytest.fixture(scope="module")
def big_report() -> tuple[bytes, int]:
    return pdf_bytes(synthetic(600), options=RenderOptions(format="pdf"))


def test_a_chart_too_tall_for_page_one_is_drawn_smaller_and_says_so(big_report: tuple[bytes, int]) -> None:
    charts = chart_scenes(synthetic(600), options=RenderOptions(format="pdf"))
    width = scaled_width(charts.chart.height, charts.room)
    assert width is not None  # the tightest layout of 600 events is taller than page 1's room
    data, _ = big_report
    document = pdfium.PdfDocument(data)
    page = document[0]
    text = page.get_textpage()
    squashed = "".join(text.get_text_range().split())
    assert "".join(scaled_note(width, view="full").split()) in squashed
    # the chart's last row and the note under it are on page 1, inside the page (not clipped at its foot)
    _, height = page.get_size()
    for words in ("Calendar year", "The chart is drawn at"):
        searcher = text.search(words)
        found = searcher.get_next()
        assert found is not None, words
        index, count = found
        bottom = min(text.get_charbox(i)[1] for i in range(index, index + count))
        assert bottom > 0.04 * height, (words, bottom)  # PDF y grows upward: above the bottom margin


def test_every_number_of_a_long_key_is_printed(big_report: tuple[bytes, int]) -> None:
    data, pages = big_report
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    charts = chart_scenes(synthetic(600), options=RenderOptions(format="pdf"))
    entries = [t.text for page in charts.keys for t in page.texts() if t.cls == "key-text"]
    assert entries and len(charts.keys) >= 3
    squashed = "".join(text.split())
    missing = [e for e in entries if "".join(e.split()) not in squashed]
    assert not missing, missing[:5]
    assert pages == len(reader.pages)


def test_html_report_with_several_key_pages_repeats_no_id() -> None:
    """Chart and key pages inlined in one HTML file: title, desc and pattern ids are each the page's own."""
    import collections
    import re

    from timeline.render.html import report_html

    html = report_html(synthetic(600), options=RenderOptions(format="html"), target="html")
    assert html.count("<svg") >= 4
    ids = collections.Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, n in ids.items() if n > 1] == []
    for ref in set(re.findall(r"url\(#([^)]+)\)", html)):
        assert ids[ref] == 1, ref


@pytest.mark.parametrize("page_height", [250.0, 450.0, 700.0])
def test_key_pages_of_any_height_hold_no_overlap_and_stay_inside(page_height: float) -> None:
    """Whatever the page, each key canvas (titles wrapped to the gutter, "(continued)" included) has no two
    texts overlapping and nothing outside it, and no canvas is taller than the page."""
    case = synthetic(600)
    scene = layout(case, facts=compute_facts(case), theme=DEFAULT_THEME, metrics=default_metrics(),
                   width=printable_width_px("A4"), title_block=False, max_height=100.0, page_height=page_height)
    assert len(scene.appendix) > 2
    for page in scene.appendix:
        assert not overlapping_texts(page), overlapping_texts(page)[:2]
        assert not outside(page)
        assert page.height <= page_height


def test_html_keeps_label_text_that_looks_like_an_id_as_written() -> None:
    """Ids are given when the SVG is built, never by rewriting its text: a label that spells a pattern
    reference or an id attribute reads the same in the HTML key as in the PDF."""
    import html as html_module

    from test_layout import make_case

    from timeline.render.html import report_html

    label = 'Note see url(#pat-dots) and id="pat-x"'
    events = [{"kind": "placement", "type": "foster", "start": f"{2010 + i // 12}-{i % 12 + 1:02d}-01",
               "end": f"{2010 + i // 12}-{i % 12 + 1:02d}-20", "label": f"{label} {i}"} for i in range(130)]
    case = make_case(events, born="2009-01-01", as_of="2021-12-31")
    charts = chart_scenes(case, options=RenderOptions(format="html"))
    assert charts.keys  # the key is an image of its own, with its own ids
    written = [t.text for page in charts.keys for t in page.texts() if t.cls == "key-text" and "url(#" in t.text]
    assert written
    page = html_module.unescape(report_html(case, options=RenderOptions(format="html"), target="html"))
    for text in written:
        assert text in page, text
    assert "key-1-pat-dots)" not in page.replace('fill="url(#key-1-pat-dots)"', "")
