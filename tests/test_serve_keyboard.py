"""The workspace by keyboard alone in Debian's chromium: the parts of the flow the mouse walk does not take.

Start from an empty table, add a row and fill it in by typing and Tab (kind and route chosen by typing the
start of their words), duplicate, delete and undo rows, reach the chart's events with Tab (each shows its
details and marks its row), change the page and the marking, and fetch every download the page offers; then
a spreadsheet: its column mapping changed on the page and read again, and its corrected chronology (XLSX)
uploaded back. The page's accessibility tree is checked on the way: every control named, the live regions.
Set TIMELINE_SCREENSHOTS=docs to write its screenshot (docs/serve-6-keyboard.png).
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
ROLES = ("textbox", "combobox", "button", "link", "checkbox", "listbox", "spinbutton")


@pytest.fixture()
def server() -> Iterator[tuple[str, str]]:
    from timeline.serve import make_server

    token = "keyboard-test-token"
    srv = make_server("127.0.0.1", 0, token=token)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}", token
    finally:
        srv.shutdown()
        srv.server_close()


def unnamed_controls(page: Any) -> list[str]:
    """The controls in the page's accessibility tree (what chromium gives a screen reader, read over the
    DevTools protocol) that have no name."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    found = []
    for node in nodes:
        role = (node.get("role") or {}).get("value")
        name = str((node.get("name") or {}).get("value") or "").strip()
        if role in ROLES and not node.get("ignored") and not name:
            found.append(f"{role} {node.get('backendDOMNodeId')}")
    return found


def test_the_tree_check_can_fail(server: tuple[str, str]) -> None:
    """A control with no label is found (so an empty list above means every control is named)."""
    from playwright.sync_api import sync_playwright

    base, token = server
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.goto(f"{base}/?token={token}")
        assert unnamed_controls(page) == []
        page.evaluate("document.querySelector('label[for=name]').remove()")
        assert len(unnamed_controls(page)) == 1
        browser.close()


def live_regions(page: Any) -> dict[str, str]:
    """id -> politeness of the regions that announce what changes."""
    return dict(page.evaluate("""() => [...document.querySelectorAll('[aria-live], [role=alert], [role=status]')]
        .map((n) => [n.id, n.getAttribute('aria-live') || n.getAttribute('role')])"""))


def held(context: Any, url: str, text: str) -> str:
    """What `url` answers once it holds `text`: typing is sent a moment after the last key (as the page does),
    so the server has it a moment later; asked again until then (for up to a minute), never passed without."""
    page = context.pages[0]
    for _ in range(240):
        got = context.request.get(url).text()
        if text in got:
            return str(got)
        page.wait_for_timeout(250)
    raise AssertionError(f"{url} never held {text!r}: {got}")


def tab_to(page: Any, selector: str, limit: int = 400) -> None:
    """Press Tab until the element `selector` has the focus (fails if it never does)."""
    for _ in range(limit):
        if page.evaluate(f"() => document.activeElement && document.activeElement.matches({selector!r})"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_the_workspace_by_keyboard(server: tuple[str, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert Path(CHROMIUM).exists(), "the browser test needs Debian's chromium (.ci/run installs it)"
    base, token = server
    expect.set_options(timeout=60_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        asked: list[str] = []  # every address the page asked for: nothing from outside (offline, no CDN)
        page.on("request", lambda r: asked.append(r.url))
        page.goto(f"{base}/?token={token}")
        assert unnamed_controls(page) == []

        # the blank template has the columns the importer reads
        template = context.request.get(f"{base}/template.csv").text()
        assert template.lstrip("\ufeff").startswith("Date,End date,Kind,Type,")  # a BOM, for Excel
        assert "Route" in template.splitlines()[0]

        # an empty table, started by keyboard
        tab_to(page, "#name")
        page.keyboard.type("Robin")
        page.keyboard.press("Tab")
        page.keyboard.type("02/05/2016")
        tab_to(page, "#empty")
        page.keyboard.press("Enter")
        page.wait_for_url("**/cases/*")
        case_id = page.url.rsplit("/", 1)[1]
        expect(page.locator("#events tbody tr")).to_have_count(0)
        assert live_regions(page) == {"status": "polite", "alert": "alert", "field-status": "polite",
                                      "details": "polite"}

        def add_row(date: str, kind: str, type_words: str, label: str) -> str:
            before = page.locator("#events tbody tr").count()
            tab_to(page, "#add")
            page.keyboard.press("Enter")
            expect(page.locator("#events tbody tr")).to_have_count(before + 1)
            row = page.locator("#events tbody tr").last.get_attribute("data-row") or ""
            expect(page.locator(f"#r{row}-date")).to_be_focused()  # the new row's first field
            page.keyboard.type(date)
            page.keyboard.press("Tab")  # the end date
            page.keyboard.press("Tab")  # the kind: chosen by its words
            expect(page.locator(f"#r{row}-kind")).to_be_focused()
            page.keyboard.type(kind[:5])  # a closed list picks the option its words start with
            expect(page.locator(f"#r{row}-kind option:checked")).to_have_text(kind)
            page.keyboard.press("Tab")
            page.keyboard.type(type_words)
            page.keyboard.press("Tab")
            page.keyboard.type(label)
            expect(page.locator(f"#became-{row}")).not_to_have_text("")
            return row

        first = add_row("20/01/2017", "Placement", "Foster care", "Foster carers")
        expect(page.locator("#chart svg g.event")).to_have_count(1)
        milestone = add_row("03/03/2018", "Milestone to permanence", "Permanence recommended (LAAC review)",
                            "Plan: adoption")
        route = page.get_by_label(f"Row {milestone} route", exact=True)
        route.focus()
        page.keyboard.type("Adop")  # the route by its words
        expect(page.locator(f"#r{milestone}-route option:checked")).to_have_text("Adoption")
        yaml = held(context, f"{base}/api/cases/{case_id}/case.yaml", "route: adoption")
        assert 'label: "Plan: adoption"' in yaml and "type: permanence_recommended" in yaml
        expect(page.locator("#status")).to_contain_text("Chart drawn: 2 events")
        if SHOTS:  # the table scrolled to the route being chosen, the chart above it
            route.focus()
            page.screenshot(path=str(Path(SHOTS) / "serve-6-keyboard.png"))
        assert unnamed_controls(page) == []

        # duplicate, delete and undo, by keyboard
        tab_to(page, f"#row-{first} [data-act=dup]")
        page.keyboard.press("Enter")
        expect(page.locator("#events tbody tr")).to_have_count(3)
        copy = page.locator("#events tbody tr").nth(1).get_attribute("data-row")  # placed after its original
        # one message says what was done and what was drawn; the focus is on the copy's first field
        expect(page.locator("#status")).to_contain_text(f"Row {first} duplicated as row {copy}. Chart drawn: 3")
        expect(page.locator(f"#r{copy}-date")).to_be_focused()
        tab_to(page, f"#row-{copy} [data-act=del]")
        page.keyboard.press("Enter")
        expect(page.locator("#events tbody tr")).to_have_count(2)
        expect(page.locator("#status")).to_contain_text(f"Row {copy} deleted")
        expect(page.locator(f"#row-{milestone} [data-act=del]")).to_be_focused()  # the next row's, not the page's top
        tab_to(page, "#undo")
        page.keyboard.press("Enter")
        expect(page.locator("#events tbody tr")).to_have_count(3)
        expect(page.locator("#status")).to_contain_text("Undone")

        # the chart's events are reached with Tab: details shown, the row marked
        page.locator("#chart-h").scroll_into_view_if_needed()
        tab_to(page, "#chart g.event")
        expect(page.locator("#events tbody tr.linked")).to_have_count(1)
        assert page.locator("#details").inner_text().strip()

        # options: the page and the marking, then every download the page offers
        page.get_by_label("Page").select_option("A3")
        expect(page.locator("#status")).to_contain_text("Page changed")
        page.get_by_label("Protective marking").fill("OFFICIAL-SENSITIVE")
        expect(page.locator("#status")).to_contain_text("Marking changed")
        as_of = page.get_by_label("As at", exact=True)
        as_of.focus()
        page.keyboard.type("01/06/2019")
        held(context, f"{base}/api/cases/{case_id}/case.yaml", "as_of: 2019-06-01")
        hrefs = page.eval_on_selector_all("#downloads a[href]", "as => as.map((a) => a.getAttribute('href'))")
        assert len(hrefs) == 8
        starts = {"timeline.pdf": b"%PDF", "timeline.png": b"\x89PNG", "timeline.svg": b"<?xml",
                  "case.yaml": b"#", "chronology.csv": b"Date", "chronology.xlsx": b"PK",
                  "summary.txt": b"", "summary.json": b"{"}
        for href in hrefs:
            got = context.request.get(f"{base}{href}")
            assert got.status == 200, (href, got.status)
            assert got.body().removeprefix(b"\xef\xbb\xbf").startswith(starts[href.rsplit("/", 1)[1]]), href
        from pypdf import PdfReader

        pdf = PdfReader(io.BytesIO(context.request.get(f"{base}/api/cases/{case_id}/timeline.pdf").body()))
        assert "OFFICIAL-SENSITIVE" in pdf.pages[0].extract_text()
        width, height = (float(x) for x in pdf.pages[0].mediabox[2:])
        assert round(max(width, height)) == 1191  # A3 (points)
        assert not errors, errors
        assert asked and all(u.startswith(f"{base}/") or u.startswith(("blob:", "data:")) for u in asked), asked
        assert not any("Robin" in u for u in asked)  # no case data in an address
        stored = page.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]")
        assert stored == [0, 0, ""]  # nothing in browser storage; the session cookie is not the script's
        browser.close()


def test_a_spreadsheet_columns_changed_and_its_corrected_copy_read_back(server: tuple[str, str],
                                                                        tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    assert Path(CHROMIUM).exists(), "the browser test needs Debian's chromium (.ci/run installs it)"
    base, token = server
    expect.set_options(timeout=60_000)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1500, "height": 950}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{base}/?token={token}")
        page.set_input_files("#file", str(SAMPLE))
        page.get_by_label("Name or pseudonym").fill("Amy")
        page.get_by_label("Date of birth").fill("14/03/2015")
        page.get_by_label("As at (the date the timeline runs to)").fill("01/06/2019")
        tab_to(page, "#read")
        page.keyboard.press("Enter")
        page.wait_for_url("**/cases/*")
        case_id = page.url.rsplit("/", 1)[1]
        expect(page.locator("#chart svg g.event").first).to_be_attached()
        page.locator("#columns-card summary").focus()
        page.keyboard.press("Enter")  # opens the card
        note = page.get_by_label("Note (details)")
        expect(note).to_be_visible()
        assert page.get_by_label("Route (to permanence)").count() == 1
        details = page.get_by_label("Row 3 note", exact=True).input_value()
        assert details.startswith("Pre-birth referral")
        assert page.get_by_label("Row 3 label", exact=True).input_value() == ""
        note.select_option("")  # the Details column is not the note ...
        expect(page.locator("#status")).to_contain_text("Columns changed")
        expect(page.get_by_label("Row 3 note", exact=True)).to_have_value("")
        page.get_by_label("Label (short text)").select_option("Details")  # ... but the label: read again
        expect(page.get_by_label("Row 3 label", exact=True)).to_have_value(details)
        expect(page.locator("#r3-note")).to_have_value("")
        assert unnamed_controls(page) == []

        # the corrected chronology as Excel, uploaded back: the same rows
        xlsx = context.request.get(f"{base}/api/cases/{case_id}/chronology.xlsx").body()
        path = tmp_path / "corrected.xlsx"
        path.write_bytes(xlsx)
        rows = page.locator("#events tbody tr").count()
        page.goto(f"{base}/")
        page.set_input_files("#file", str(path))
        page.get_by_label("Name or pseudonym").fill("Amy")
        page.get_by_label("Date of birth").fill("14/03/2015")
        page.get_by_role("button", name="Read the file").click()
        page.wait_for_url("**/cases/*")
        expect(page.locator("#events tbody tr")).to_have_count(rows)
        expect(page.locator("#chart svg g.event").first).to_be_attached()
        browser.close()


def test_a_chronology_dropped_on_the_start_page_is_read(server: tuple[str, str]) -> None:
    """Dropping a file onto the start page's drop zone chooses it, as the file chooser would: the page then
    reads it into a case whose table has the file's rows (the drop is dispatched with a real DataTransfer
    holding a File, what the browser hands the page when a file is dragged in from the desktop)."""
    from playwright.sync_api import expect, sync_playwright

    assert Path(CHROMIUM).exists(), "the browser test needs Debian's chromium (.ci/run installs it)"
    base, token = server
    expect.set_options(timeout=60_000)
    text = SAMPLE.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(60_000)
        page.goto(f"{base}/?token={token}")
        assert page.eval_on_selector("#file", "input => input.files.length") == 0
        transfer = page.evaluate_handle(
            """text => { const t = new DataTransfer();
                         t.items.add(new File([text], "chronology.csv", {type: "text/csv"})); return t; }""", text)
        page.dispatch_event("#drop", "dragover", {"dataTransfer": transfer})
        expect(page.locator("#drop")).to_have_class("drop over")
        page.dispatch_event("#drop", "drop", {"dataTransfer": transfer})
        assert page.eval_on_selector("#file", "input => input.files[0].name") == "chronology.csv"
        expect(page.locator("#drop")).not_to_have_class("drop over")
        page.get_by_label("Name or pseudonym").fill("Amy")
        page.get_by_label("Date of birth").fill("14/03/2015")
        page.get_by_label("As at (the date the timeline runs to)").fill("01/06/2019")
        page.get_by_role("button", name="Read the file").click()
        page.wait_for_url("**/cases/*")
        rows = sum(1 for line in text.splitlines()[1:] if line.strip())
        expect(page.locator("#events tbody tr")).to_have_count(rows)
        expect(page.locator("#chart svg g.event").first).to_be_attached()
        browser.close()
