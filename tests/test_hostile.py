"""Hostile input (issue 7): every file of tests/data/hostile/ ends in a clean error or a correct, escaped render.

`bad-*` files must exit 1 with a located message (their first line, `# expect: ...`, says which); `ok-*` files
must render to SVG, HTML and PDF with every piece of markup, script and URL in their text shown as text: no
element or attribute of the output comes from user text, no `<style>` holds it, and a loopback HTTP server
named in the text (its port replaces `__PORT__` at test time) receives no request.
"""

from __future__ import annotations

import re
import threading
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pypdf
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from timeline.cli.commands import main
from timeline.io.read import load_case

HOSTILE = Path(__file__).parent / "data" / "hostile"
OK_FILES = sorted(p.name for p in HOSTILE.glob("ok-*"))
BAD_FILES = sorted(p.name for p in HOSTILE.glob("bad-*"))
JSON_EXPECT = {
    "bad-deep-nesting.json": "events[0]...: is nested too deeply (more than 64 levels)",
    "bad-duplicate-keys.json": "child: appears twice in the same object (first on line 1)",
}
SVG_NS = "{http://www.w3.org/2000/svg}"
# The elements our SVG renderer draws with; anything else (script, foreignObject, image, a, use ...) came
# from somewhere it should not have.
SVG_ELEMENTS = {
    "svg", "g", "title", "desc", "style", "defs", "rect", "line", "path", "text", "tspan", "circle",
    "ellipse", "polygon", "polyline", "pattern", "clipPath", "linearGradient", "stop", "marker",
}  # fmt: skip
HTML_ELEMENTS = SVG_ELEMENTS | {
    "html", "head", "body", "meta", "style", "header", "footer", "main", "section", "aside", "figure",
    "figcaption", "h1", "h2", "h3", "h4", "p", "div", "span", "table", "caption", "thead", "tbody", "tfoot",
    "tr", "th", "td", "dl", "dt", "dd", "ul", "ol", "li", "strong", "em", "b", "i", "small", "br", "abbr",
    "nav", "col", "colgroup", "sup", "sub", "mark", "hr", "time", "details", "summary", "pre", "code",
    "lineargradient", "clippath",
}  # fmt: skip
# Attribute values that could fetch or run something, whoever wrote them.
DANGEROUS_VALUE = re.compile(r"javascript:|127\.0\.0\.1|file:|@import|expression\(|url\((?!#)", re.IGNORECASE)
LINK_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "data", "srcset", "poster", "background"}


class Loopback:
    """A bounded HTTP server on 127.0.0.1 in a thread, recording every request it receives."""

    def __init__(self) -> None:
        requests: list[str] = []

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"body{}")

            do_POST = do_GET

            def log_message(self, format: str, *args: object) -> None:
                return

        self.requests = requests
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.timeout = 1
        self.port: int = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> Loopback:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def loopback() -> Iterator[Loopback]:
    with Loopback() as server:
        yield server


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, loopback: Loopback) -> Path:
    """The hostile corpus with the loopback server's port written into its URLs."""
    folder = tmp_path_factory.mktemp("hostile")
    for path in HOSTILE.iterdir():
        if not path.is_file():
            continue
        data = path.read_bytes().replace(b"__PORT__", str(loopback.port).encode())
        (folder / path.name).write_bytes(data)
    return folder


def expectation(path: Path) -> str:
    if path.name in JSON_EXPECT:
        return JSON_EXPECT[path.name]
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    assert first.startswith("# expect: "), f"{path.name} must say what it expects on its first line"
    return first.removeprefix("# expect: ")


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_end_in_a_located_error(corpus: Path, tmp_path: Path, name: str) -> None:
    path = corpus / name
    expected = expectation(HOSTILE / name)
    code, _, err = cli("validate", str(path))
    assert code == 1, err
    first = err.splitlines()[0]
    assert first.startswith(f"{path}:"), first
    assert expected in err, err
    assert "Traceback" not in err
    out = tmp_path / "out.svg"
    code, _, err = cli("render", str(path), "-o", str(out))
    assert (code, out.exists()) == (1, False), err
    assert expected in err and "Traceback" not in err
    # A message names the field and a short value, never a whole note or a 10,000-character word.
    assert max(len(line) for line in err.splitlines()) < 400


def case_texts(path: Path) -> list[str]:
    """Every text of the case the renders must show (NFC, as the model keeps it)."""
    case = load_case(path).case
    texts = [case.child.name]
    for event in case.events:
        texts += [t for t in (event.label, event.note, event.source) if t]
    return [unicodedata.normalize("NFC", t) for t in texts]


def check_svg(data: bytes, labels: list[str], reference_style: list[str | None]) -> None:
    root = ET.fromstring(data)  # our own output; ElementTree would refuse a DOCTYPE/ENTITY it cannot resolve
    assert b"<!DOCTYPE" not in data and b"<!ENTITY" not in data and b"<?xml-stylesheet" not in data
    styles: list[str | None] = []
    for element in root.iter():
        name = element.tag.removeprefix(SVG_NS)
        assert name in SVG_ELEMENTS, f"unexpected element <{name}>"
        for attribute, value in element.attrib.items():
            local = attribute.split("}")[-1]
            assert not local.lower().startswith("on"), (name, attribute)
            assert local not in LINK_ATTRIBUTES or value.startswith("#"), (name, attribute, value)
            assert not DANGEROUS_VALUE.search(value), (name, attribute, value[:80])
        if name == "style":
            styles.append(element.text)
    assert styles == reference_style, "the <style> block changed with user text"
    text = "".join(root.itertext())
    for label in labels:
        assert label in text, f"label not shown as text: {label[:60]!r}"


class _HTMLScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in HTML_ELEMENTS:
            self.problems.append(f"element <{tag}>")
        self._in_style = tag == "style"
        for attribute, value in attrs:
            if attribute.startswith("on") or attribute == "http-equiv":
                self.problems.append(f"<{tag} {attribute}>")
            if attribute in LINK_ATTRIBUTES and not (value or "").startswith("#"):
                self.problems.append(f"<{tag} {attribute}={value!r:.60}>")
            if value and attribute != "style" and DANGEROUS_VALUE.search(value):
                self.problems.append(f"<{tag} {attribute}={value[:60]!r}>")
            if attribute == "style" and value and "url(" in value and "url(#" not in value:
                self.problems.append(f"<{tag} style={value[:60]!r}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        else:
            self.text.append(data)

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction {data[:40]!r}")

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment {data[:40]!r}")


def check_html(data: bytes, texts: list[str], forbidden_in_style: list[str]) -> None:
    scan = _HTMLScan()
    scan.feed(data.decode("utf-8"))
    scan.close()
    assert scan.problems == []
    style = "".join(scan.styles)
    for text in forbidden_in_style:
        assert text not in style
    shown = "".join(scan.text)
    for text in texts:
        assert text in shown, f"not shown as text: {text[:60]!r}"


def check_pdf(path: Path, name: str) -> None:
    reader = pypdf.PdfReader(path)
    raw = path.read_bytes()
    for key in (b"/JavaScript", b"/JS", b"/Launch", b"/URI", b"/SubmitForm", b"/EmbeddedFile", b"/GoToR"):
        assert key not in raw, key
    assert len(reader.pages) >= 1
    document = pdfium.PdfDocument(path)
    try:
        first = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert name.split()[0] in first


def _style_of(data: bytes) -> list[str | None]:
    return [e.text for e in ET.fromstring(data).iter() if e.tag == SVG_NS + "style"]


@pytest.fixture(scope="module")
def reference_style(tmp_path_factory: pytest.TempPathFactory) -> list[str | None]:
    """The <style> block of a plain sample: user text never changes it."""
    out = tmp_path_factory.mktemp("ref") / "plain.svg"
    code, _, err = cli("render", str(Path(__file__).parent.parent / "samples" / "adoption.yaml"), "-o", str(out))
    assert code == 0, err
    return _style_of(out.read_bytes())


@pytest.mark.parametrize("fmt", ["svg", "html", "pdf"])
@pytest.mark.parametrize("name", OK_FILES)
def test_ok_files_render_escaped(
    corpus: Path, tmp_path: Path, loopback: Loopback, reference_style: list[str | None], name: str, fmt: str
) -> None:
    path = corpus / name
    out = tmp_path / f"out.{fmt}"
    title = f"<script>fetch('http://127.0.0.1:{loopback.port}/title')</script>"
    marking = f"</style><style>@import url(http://127.0.0.1:{loopback.port}/marking.css);</style>"
    code, _, err = cli("render", str(path), "-o", str(out), "--title", title, "--marking", marking)
    assert code == 0, err
    assert "Traceback" not in err
    data = out.read_bytes()
    texts = case_texts(path)
    case = load_case(path).case
    labels = [case.child.name] + [e.label for e in case.events if e.label]
    if fmt == "svg":
        check_svg(data, labels, reference_style)
    elif fmt == "html":
        check_html(data, [*texts, marking], forbidden_in_style=["127.0.0.1", "@import url(http", "alert("])
    else:
        check_pdf(out, case.child.name)
    assert loopback.requests == []


def test_markup_is_shown_not_obeyed_in_the_svg(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.svg"
    assert cli("render", str(corpus / "ok-markup-everywhere.yaml"), "-o", str(out))[0] == 0
    data = out.read_bytes()
    assert b"<script" not in data and b"<foreignObject" not in data and b"<img" not in data
    assert b"&lt;script&gt;alert(1)&lt;/script&gt; Amy" in data
    assert b"]]&gt;&lt;![CDATA[" in data


def test_fifty_thousand_events_are_refused_quickly(tmp_path: Path) -> None:
    rows = [f"  - {{kind: hearing, type: proof, date: 2016-01-{1 + i % 28:02d}, label: '<b>{i}</b>'}}\n"
            for i in range(50_000)]
    path = tmp_path / "many.yaml"
    path.write_text("child:\n  name: Amy\n  date_of_birth: 2015-03-14\nas_of: 2019-06-01\nevents:\n" + "".join(rows))
    code, _, err = cli("render", str(path), "-o", str(tmp_path / "many.svg"))
    assert code == 1
    assert err.strip() == (f"{path}:6:3: events: has 50000 events; at most 10000 fit on one timeline "
                           "(split the chronology by period)")


def test_hostile_chronology_spreadsheet(tmp_path: Path, loopback: Loopback) -> None:
    port = loopback.port
    csv = tmp_path / "chron.csv"
    csv.write_text(
        "Date,Type,Details\n"
        f'20/01/2016,Foster care,"<script>fetch(\'http://127.0.0.1:{port}/csv\')</script>"\n'
        f'28/01/2016,CSO,"</style><link rel=stylesheet href=http://127.0.0.1:{port}/x.css>"\n'
        '01/02/2016,School,"=HYPERLINK(""javascript:alert(1)"")"\n',
        encoding="utf-8",
    )
    for fmt in ("svg", "html"):
        out = tmp_path / f"chron.{fmt}"
        code, _, err = cli("render", str(csv), "--name", "<b>Amy</b>", "--dob", "14/03/2015", "-o", str(out))
        assert code == 0, err
        data = out.read_bytes()
        assert b"<script" not in data and b"<link" not in data and b"<b>Amy" not in data
        assert b"&lt;script&gt;" in data
    assert loopback.requests == []


# ---------------------------------------------------------------- hostile spreadsheets (issue 20)

SHEETS = HOSTILE / "sheets"


def sheet_expectations() -> list[tuple[str, str, str]]:
    rows = []
    for line in (SHEETS / "expect.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, verdict, text = (part.strip() for part in line.split("|", 2))
            rows.append((name, verdict, text))
    return rows


def test_every_hostile_sheet_has_an_expectation() -> None:
    named = {name for name, _, _ in sheet_expectations()}
    assert named == {p.name for p in SHEETS.iterdir() if p.suffix in (".xlsx", ".csv")}


@pytest.mark.parametrize(("name", "verdict", "text"), sheet_expectations())
def test_hostile_sheets(name: str, verdict: str, text: str) -> None:
    """Each hostile spreadsheet: read in full, or refused with a located, short, escaped message."""
    code, out, err = cli("validate", str(SHEETS / name), "--name", "Amy", "--dob", "14/03/2015")
    assert "Traceback" not in err
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", err + out), "a control character reached the terminal"
    assert max((len(line) for line in err.splitlines()), default=0) < 400
    if verdict == "ok":
        assert code == 0, err
        assert f"ok ({text}" in out, out
    else:
        assert code == 1, out
        assert err.startswith(f"{SHEETS / name}: "), err
        assert text in err, err
        assert "error: error" not in err and "Error:" not in err


def test_xlsx_every_row_is_read_and_the_sheet_read_is_named() -> None:
    from timeline.io.read import read_table

    small = read_table(SHEETS / "small-dimension.xlsx")
    assert [n for n, _ in small.rows] == [1, 2, 3, 4, 5, 6]  # not just the <dimension>'s one row
    hidden = read_table(SHEETS / "hidden-first-sheet.xlsx")
    assert hidden.sheet == "Chronology"
    assert not any("OLD DRAFT" in cell for _, cells in hidden.rows for cell in cells)
    assert read_table(SHEETS / "hidden-first-sheet.xlsx", sheet="Old").sheet == "Old"  # asked for: read


def test_xlsx_merged_cells_fill_their_range() -> None:
    from timeline.io.read import read_table

    table = read_table(SHEETS / "merged-date.xlsx")
    assert table.merged == ((2, 0, 4, 0),)
    assert [cells[0] for n, cells in table.rows if n in (3, 4, 5)] == ["28/01/2016"] * 3


def test_a_huge_csv_cell_is_refused_without_the_csv_modules_words(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("Date,Type,Details\n20/01/2016,Foster care,\"" + "x" * 200_000 + "\"\n", encoding="utf-8")
    code, _, err = cli("validate", str(path), "--name", "Amy", "--dob", "14/03/2015")
    assert code == 1
    assert err.splitlines()[0] == (f"{path}: row 2: a cell is longer than 32,767 characters (a quote opened and "
                                   "never closed?); check this row")
    assert "field limit" not in err and "131072" not in err


def test_a_long_note_is_counted_in_characters(tmp_path: Path) -> None:
    path = tmp_path / "note.yaml"
    path.write_text("child: {name: Amy, date_of_birth: 2015-03-14}\nas_of: 2016-06-01\nevents:\n"
                    "  - {kind: placement, type: foster, start: 2016-01-20, note: " + "x" * 2500 + "}\n",
                    encoding="utf-8")
    code, _, err = cli("validate", str(path))
    assert code == 1 and "characters" in err and "items" not in err, err


def test_a_long_note_in_a_spreadsheet_is_kept_cut_and_says_so(tmp_path: Path) -> None:
    """A chronology row is never lost for a long cell: its note keeps what fits and says it was cut."""
    from timeline.io.chronology import import_file

    path = tmp_path / "note.csv"
    path.write_text("Date,Type,Details,Note\n20/01/2016,Foster care,Placed," + "x" * 2500 + "\n", encoding="utf-8")
    (event,) = import_file(path, name="Amy", dob="14/03/2015", as_of="01/06/2016").case.events
    assert event.note is not None and len(event.note) <= 2000 and event.note.endswith("holds more)")


def test_an_xlsx_with_too_many_cells_is_refused(tmp_path: Path) -> None:
    """The cell bound holds even when every cell is tiny (the zip and its parts within their limits)."""
    import io
    import zipfile

    import openpyxl

    from timeline.io.read import MAX_XLSX_CELLS

    book = openpyxl.Workbook()
    book.active.title = "Chronology"
    base = io.BytesIO()
    book.save(base)
    rows = "".join(f'<row r="{r}">' + f'<c r="A{r}"><v>1</v></c>' * 200 + "</row>"
                   for r in range(1, MAX_XLSX_CELLS // 200 + 2))
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + rows + "</sheetData></worksheet>").encode()
    src = zipfile.ZipFile(io.BytesIO(base.getvalue()))
    path = tmp_path / "cells.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, sheet if info.filename == "xl/worksheets/sheet1.xml" else src.read(info))
    code, _, err = cli("validate", str(path), "--name", "Amy", "--dob", "14/03/2015")
    assert code == 1
    assert f"has more than {MAX_XLSX_CELLS:,} cells" in err, err


def test_terminal_escapes_in_a_file_name_are_shown_escaped(tmp_path: Path) -> None:
    path = tmp_path / "case\x1b[2J\x1b]0;x\x07.yaml"
    path.write_text("child: {name: Amy, date_of_birth: 2015-13-01}\nevents: []\n", encoding="utf-8")
    code, out, err = cli("validate", str(path))
    assert code == 1
    assert "\x1b" not in err + out and "\x07" not in err + out
    assert "case\\x1b[2J\\x1b]0;x\\x07.yaml:1:" in err


@pytest.mark.parametrize("value", ["OFFICIAL\x1b[2J", "OFFICIAL\u202eSENSITIVE", "\u2061\u2062", "x" * 300])
@pytest.mark.parametrize("option", ["--title", "--marking"])
def test_title_and_marking_refuse_control_and_invisible_text(tmp_path: Path, option: str, value: str) -> None:
    code, _, err = cli("render", str(HOSTILE / "ok-unicode.yaml"), "-o", str(tmp_path / "x.html"), option, value)
    assert code == 2, err
    assert "\x1b" not in err and not (tmp_path / "x.html").exists()


def test_png_pixel_limit_is_a_message_not_a_memory_error(tmp_path: Path) -> None:
    from timeline.render.png import MAX_PIXELS, PngError, pdf_to_png

    pdf = (tmp_path / "x.pdf")
    assert cli("render", str(Path(__file__).parent.parent / "samples" / "adoption.yaml"), "-o", str(pdf))[0] == 0
    with pytest.raises(PngError, match=f"at most {MAX_PIXELS // 1_000_000} million are made"):
        pdf_to_png(pdf.read_bytes(), dpi=600, page_range="1-3")
    code, _, err = cli("render", str(Path(__file__).parent.parent / "samples" / "adoption.yaml"), "-o",
                       str(tmp_path / "x.png"), "--dpi", "600", "--page-range", "1-3")
    assert code == 1 and "million pixels; at most" in err and "MemoryError" not in err


# ---------------------------------------------------------------- heavy cases within the limits (issue 20)


def _placements(count: int) -> str:
    rows = "".join(f"  - {{kind: placement, type: foster, start: 2016-{1 + i % 12:02d}-{1 + i % 28:02d}, "
                   "end: 2019-01-01}\n" for i in range(count))  # with ends: a placement with none is ended by the next
    return "child:\n  name: Amy\n  date_of_birth: 2015-03-14\nas_of: 2019-06-01\nevents:\n" + rows


def test_too_many_placements_at_once_is_a_located_error(tmp_path: Path) -> None:
    from timeline.model.case import MAX_OVERLAPPING

    path = tmp_path / "overlap.yaml"
    path.write_text(_placements(MAX_OVERLAPPING + 1), encoding="utf-8")
    code, _, err = cli("validate", str(path))
    assert code == 1
    assert "placements open at once on 2016-" in err and f"at most {MAX_OVERLAPPING} may run at once" in err
    path.write_text(_placements(MAX_OVERLAPPING), encoding="utf-8")
    assert cli("validate", str(path))[0] == 0


def test_too_many_placements_at_once_names_a_partial_start_as_written(tmp_path: Path) -> None:
    """The placement that makes too many open at once starts '2017' (or 'Mar 2017'): the message gives it so,
    never the first day of its span (2017-01-01) as if the record said that day."""
    from timeline.model.case import MAX_OVERLAPPING

    for start, said in (("'2017'", "on 2017;"), ("2017-03", "on 2017-03;"), ("2017-03~", "on 2017-03~;")):
        path = tmp_path / "overlap.yaml"
        path.write_text(_placements(MAX_OVERLAPPING) + f"  - {{kind: placement, type: foster, start: {start}, "
                        "end: 2019-01-01}\n", encoding="utf-8")
        code, _, err = cli("validate", str(path))
        assert code == 1 and f"placements open at once {said}" in err, err
        assert "2017-01-01" not in err and "2017-03-01" not in err


def test_a_review_schedule_too_dense_for_the_chart_is_refused(tmp_path: Path) -> None:
    from timeline.model.limits import MAX_REVIEWS_DUE

    case = tmp_path / "long.yaml"
    case.write_text("child:\n  name: Amy\n  date_of_birth: 1900-01-01\nas_of: 2199-12-31\nevents:\n"
                    + "".join(f"  - {{kind: placement, type: foster, start: 1900-02-{1 + i:02d}}}\n" for i in range(3)),
                    encoding="utf-8")
    weekly = tmp_path / "weekly.yaml"
    weekly.write_text("reviews:\n  first_days: 7\n  second_days: 7\n  later_days: 7\n", encoding="utf-8")
    for command in (["render", str(case), "-o", str(tmp_path / "x.svg")], ["summary", str(case)]):
        code, _, err = cli(*command, "--standards", str(weekly))
        assert code == 1, err
        assert f"more than the {MAX_REVIEWS_DUE:,} one chart may hold" in err and "Traceback" not in err
    assert not (tmp_path / "x.svg").exists()


def test_a_printed_report_too_big_to_make_in_time_is_refused_before_rendering(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from timeline.model.limits import MAX_REPORT_EVENTS

    rows = "".join(f"  - {{kind: hearing, type: proof, date: 2016-01-{1 + i % 28:02d}}}\n"
                   for i in range(MAX_REPORT_EVENTS + 1))
    case = tmp_path / "big.yaml"
    case.write_text("child:\n  name: Amy\n  date_of_birth: 2015-03-14\nas_of: 2019-06-01\nevents:\n" + rows,
                    encoding="utf-8")
    import timeline.render.pdf as pdf

    monkeypatch.setattr(pdf, "render", lambda *a, **k: pytest.fail("rendered although over the limit"))
    for out in ("x.pdf", "x.png"):
        code, _, err = cli("render", str(case), "-o", str(tmp_path / out))
        assert code == 1
        assert f"error: a printed report holds at most {MAX_REPORT_EVENTS:,} events" in err, err
    monkeypatch.undo()
    assert cli("render", str(case), "-o", str(tmp_path / "x.svg"))[0] == 0  # the chart alone is fine
