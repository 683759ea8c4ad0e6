"""The workspace in a real browser: Debian's chromium driven by Playwright, the server on a free port.

One walk through the flow a practitioner takes: upload the sample chronology, break and then fix a row in
place (the field is marked, then the chart changes), link the chart and the table, switch to the hearing
view, download the PDF (one page, the child's name in its text), press Clear (the case is gone).
Set TIMELINE_SCREENSHOTS=docs to write the README's screenshots on the way.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "chronology.csv"
SHOTS = os.environ.get("TIMELINE_SCREENSHOTS")


@pytest.fixture()
def server() -> Iterator[tuple[str, Any]]:
    from timeline.serve import make_server

    token = "browser-test-token"
    srv = make_server("127.0.0.1", 0, token=token)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}", token
    finally:
        srv.shutdown()
        srv.server_close()


def shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"serve-{name}.png"), full_page=False)


def assert_accessible(page: Any) -> None:
    """Every control has a name, no focus order of its own (tabindex > 0), live regions for what changes,
    and tabbing from the top visits the page's controls in the order they come in the page."""
    unnamed = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea, button, a[href]')]
        .filter((n) => !n.disabled && n.type !== 'hidden')
        .filter((n) => !((n.labels && n.labels.length) || n.getAttribute('aria-label') ||
                         n.getAttribute('aria-labelledby') || n.textContent.trim()))
        .map((n) => n.outerHTML.slice(0, 80))""")
    assert unnamed == []
    own_order = "[tabindex]:not([tabindex='0']):not([tabindex='-1'])"
    assert page.evaluate(f'() => document.querySelectorAll("{own_order}").length') == 0
    assert page.locator("#status[role=status][aria-live=polite]").count() == 1
    assert page.locator("#alert[role=alert]").count() == 1
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen: list[int] = []
    for _ in range(12):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("""() => [...document.querySelectorAll('*')].indexOf(document.activeElement)"""))
    assert seen == sorted(seen), seen  # forward through the page, never jumping back


def test_workspace_flow_in_chromium(server: tuple[str, str], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright
    from pypdf import PdfReader

    assert Path(CHROMIUM).exists(), "the browser test needs Debian's chromium (.ci/run installs it)"
    base, token = server
    expect.set_options(timeout=60_000)  # a busy machine draws slowly; waiting longer never passes a wrong page
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(f"{m.text} at {m.location}") if m.type == "error" else None)

        # the printed address: the token becomes a cookie and leaves the address bar
        page.goto(f"{base}/?token={token}")
        assert "token" not in page.url
        expect(page.get_by_role("heading", name="Draw a child's timeline")).to_be_visible()
        page.set_input_files("#file", str(SAMPLE))
        page.get_by_label("Name or pseudonym").fill("Amy")
        page.get_by_label("Date of birth").fill("14/03/2015")
        page.get_by_label("As at (the date the timeline runs to)").fill("01/06/2019")
        shot(page, "1-start")
        page.get_by_role("button", name="Read the file").click()
        page.wait_for_url("**/cases/*")
        case_id = page.url.rsplit("/", 1)[1]

        chart = page.locator("#chart")
        expect(chart.locator("svg g.event").first).to_be_attached()
        expect(page.locator("#events tbody tr")).to_have_count(32)
        full_count = chart.locator("svg g.event").count()
        assert full_count >= 30
        expect(page.locator("#chart svg title").first).to_contain_text("Amy")
        shot(page, "2-workspace")
        page.locator("#report-card summary").click()
        report = page.locator("#report")
        expect(report.locator("table.report tbody tr")).to_have_count(32)  # every row, with what it became
        text = report.inner_text()
        assert "Child protection planning meeting (meeting or review), 14 Jan 2015" in text  # words, not codes
        assert "cp_planning_meeting" not in text and "cp_register" not in text
        page.locator("#report-card").scroll_into_view_if_needed()
        shot(page, "2-report")
        page.locator("#report-card summary").click()
        page.evaluate("window.scrollTo(0, 0)")
        assert_accessible(page)

        # the chart and the table point at each other
        first_event = chart.locator("svg g.event").first
        first_event.hover()
        expect(page.locator("#events tbody tr.linked")).to_have_count(1)
        assert page.locator("#details").inner_text().strip()
        shot(page, "2-linked")
        page.mouse.move(1, 1)  # away from the chart, which redraws under the pointer

        # break row 3 (the referral): the field is marked, the value kept as typed, the row left out
        date = page.get_by_label("Row 3 date", exact=True)
        version = chart.get_attribute("data-version")
        date.fill("31/02/2015")
        expect(date).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#r3-date-msg")).to_contain_text("day 31 does not exist")
        expect(date).to_have_value("31/02/2015")
        expect(chart).not_to_have_attribute("data-version", version or "")
        expect(chart.locator("svg g.event")).to_have_count(full_count - 1)
        expect(page.locator("#dl-note")).to_contain_text("problem")
        expect(page.locator("#field-status")).to_contain_text("Row 3 date: ")  # the message is announced
        shot(page, "3-problem")

        # fix it in place, to another date: the mark goes and the chart draws the row where it now is
        date.fill("02/12/2014")
        expect(date).not_to_have_attribute("aria-invalid", "true")
        expect(chart.locator("svg g.event")).to_have_count(full_count)
        page.get_by_label("Row 3 date", exact=True).focus()
        expect(chart.locator("svg g.event.linked")).to_have_count(1)
        assert "Dec 2014" in chart.locator("svg g.event.linked title").first.text_content()

        # the hearing view, then its PDF
        version = chart.get_attribute("data-version")
        page.get_by_label("View").select_option("hearing")
        expect(chart).not_to_have_attribute("data-version", version or "")
        expect(page.locator("#status")).to_contain_text("View changed")
        expect(chart.locator("svg text", has_text="Key").first).to_be_attached()  # the page's one canvas
        page.locator("#opt-h").scroll_into_view_if_needed()
        shot(page, "4-options")
        with page.expect_download() as info:
            page.get_by_role("link", name="PDF").click()
        pdf_path = tmp_path / "hearing.pdf"
        info.value.save_as(pdf_path)
        data = pdf_path.read_bytes()
        assert data.startswith(b"%PDF")
        reader = PdfReader(io.BytesIO(data))
        assert len(reader.pages) == 1  # the hearing view is exactly one page
        text = reader.pages[0].extract_text()
        assert "Amy" in text

        # Clear: back to the start, told so, and the case is gone from the server
        page.get_by_role("button", name="Clear: forget everything now").click()
        page.wait_for_url("**/?cleared=1")
        expect(page.get_by_role("status")).to_contain_text("Everything was forgotten")
        gone = context.request.get(f"{base}/api/cases/{case_id}")
        assert gone.status == 404
        assert "cleared" in gone.json()["error"]
        assert not errors, errors
        browser.close()


def test_a_case_file_at_200_percent_zoom_in_chromium(server: tuple[str, str]) -> None:
    """200% zoom is a viewport half as wide in CSS pixels at twice the pixel density: the page stacks, nothing
    needs scrolling sideways but the table's own box, and a case file's types are shown in words."""
    from playwright.sync_api import expect, sync_playwright

    assert Path(CHROMIUM).exists(), "the browser test needs Debian's chromium (.ci/run installs it)"
    base, token = server
    expect.set_options(timeout=60_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 683, "height": 475}, device_scale_factor=2)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{base}/?token={token}")
        page.set_input_files("#file", str(SAMPLE.parent / "interim-orders.yaml"))
        page.get_by_role("button", name="Read the file").click()
        page.wait_for_url("**/cases/*")
        expect(page.locator("#chart svg g.event").first).to_be_attached()
        types = page.locator("#events tbody input[id$='-type']")
        values = [types.nth(i).input_value() for i in range(types.count())]
        assert "Compulsory Supervision Order" in values and "cso" not in values
        wide = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert wide <= 1  # no sideways scrolling of the page
        chart_box = page.locator("#chart").bounding_box()
        table_box = page.locator("#events").bounding_box()
        assert chart_box and table_box and table_box["y"] >= chart_box["y"] + chart_box["height"]  # stacked
        assert_accessible(page)
        page.locator("#table-h").scroll_into_view_if_needed()
        shot(page, "5-zoom200")
        browser.close()
