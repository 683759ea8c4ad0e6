"""A chronology kept as a table in a Word document (.docx): read as a spreadsheet is, every row kept."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

from timeline.cli.commands import main
from timeline.io.chronology import import_file
from timeline.io.read import read_table
from timeline.problems import CaseError

Cell = str | tuple[str, dict[str, str]]  # text, or (text, {"span": "3"} / {"merge": "continue"})


def _cell(cell: Cell) -> str:
    text, props = (cell, {}) if isinstance(cell, str) else cell
    pr = ""
    if "span" in props:
        pr += f'<w:gridSpan w:val="{props["span"]}"/>'
    if "merge" in props:
        pr += '<w:vMerge/>' if props["merge"] == "continue" else '<w:vMerge w:val="restart"/>'
    paragraphs = "".join(f"<w:p><w:r><w:t xml:space=\"preserve\">{escape(line)}</w:t></w:r></w:p>"
                         for line in text.split("\n")) or "<w:p/>"
    return f"<w:tc>{f'<w:tcPr>{pr}</w:tcPr>' if pr else ''}{paragraphs}</w:tc>"


def docx(tables: list[list[list[Cell]]], *, before: str = "Chronology for Ava (CONFIDENTIAL)",
         body_extra: str = "") -> bytes:
    """A minimal Word document: a title paragraph, then the tables."""
    body = f"<w:p><w:r><w:t>{escape(before)}</w:t></w:r></w:p>" + "".join(
        "<w:tbl>" + "".join("<w:tr>" + "".join(_cell(c) for c in row) + "</w:tr>" for row in table) + "</w:tbl>"
        for table in tables) + body_extra
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
           f"<w:body>{body}</w:body></w:document>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types '
                   'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", xml)
    return out.getvalue()


HEADER: list[Cell] = ["Date", "Significant event", "Details", "Source"]
FIRST: list[list[Cell]] = [
    HEADER,
    [("2017", {"span": "4"})],  # a section heading merged across the row
    ["14/03/2015", "Birth", "Born at 36 weeks", "Health"],
    ["04/09/2017", "Placed with F/C", "Moved to foster carers Mr and Mrs T\nsettled well", "SW"],
    [("04/09/2017", {"merge": "continue"}), "ICSO granted at the Children's Hearing", "", "SCRA"],
]
SECOND: list[list[Cell]] = [
    HEADER,  # Word users often repeat the header at the top of a new table
    ["Nov 2017", "LAAC review", "Plan: permanence away from home", "IRO"],
    ["TBC", "Contact review", "", "SW"],
]


def test_a_word_table_reads_like_a_spreadsheet(tmp_path: Path) -> None:
    """The title paragraph is not read; the merged heading row is a heading; a cell merged down takes the date
    above; a cell's paragraphs are one text; the second table continues the first without its repeated
    header; rows are numbered down the document (the repeated header is row 6)."""
    path = tmp_path / "chronology.docx"
    path.write_bytes(docx([FIRST, SECOND]))
    table = read_table(path)
    assert [n for n, _ in table.rows] == [1, 2, 3, 4, 5, 7, 8]
    assert table.rows[1][1] == ("2017",) * 4
    assert table.rows[3][1][2] == "Moved to foster carers Mr and Mrs T\nsettled well"
    assert table.rows[4][1][0] == "04/09/2017"
    imported = import_file(path, name="Ava", dob="14/03/2015", as_of="2018-06-01")
    got = [(e.kind, e.type, e.first.isoformat()) for e in imported.case.events]
    assert got == [("event", "other", "2015-03-14"), ("placement", "foster", "2017-09-04"),
                   ("order", "icso", "2017-09-04"), ("hearing", "childrens_hearing", "2017-09-04"),
                   ("meeting", "laac_review", "2017-11")]
    assert [u.label for u in imported.case.undated] == ["Contact review"]  # kept, undated
    report = imported.report
    assert report is not None and report.counts["skipped"] == 1  # the "2017" heading
    assert {r.row: r.status for r in report.rows}[2] == "skipped"


def test_the_cli_imports_and_renders_a_word_chronology(tmp_path: Path) -> None:
    path = tmp_path / "chronology.docx"
    path.write_bytes(docx([FIRST, SECOND]))
    runner = CliRunner()
    out = tmp_path / "ava.yaml"
    result = runner.invoke(main, ["import", str(path), "--name", "Ava", "--dob", "14/03/2015", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "header on row 1" in result.output and out.exists()
    svg = tmp_path / "ava.svg"
    result = runner.invoke(main, ["render", str(path), "--name", "Ava", "--dob", "14/03/2015", "-o", str(svg)])
    assert result.exit_code == 0, result.output
    assert "Placed with F/C" in svg.read_text(encoding="utf-8")


@pytest.mark.parametrize(("data", "fragment"), [
    (docx([], before="Just a letter, no table"), "holds no table"),
    (b"PK\x03\x04 not a zip at all", "not a readable Word document"),
])
def test_a_word_document_without_a_chronology_table_says_so(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = tmp_path / "letter.docx"
    path.write_bytes(data)
    with pytest.raises(CaseError) as caught:
        read_table(path)
    assert fragment in str(caught.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entities_in_a_word_document_are_refused_unread(tmp_path: Path, encoding: str) -> None:
    """A DTD with entities (a billion-laughs bomb) is never expanded: Word never writes one. The check reads
    the XML as XML, not its bytes: a UTF-16 part hid its DOCTYPE from a byte search."""
    bomb = (f'<?xml version="1.0" encoding="{encoding.upper()}"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            '<w:tbl><w:tr><w:tc><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", bomb.encode(encoding))
    path = tmp_path / "bomb.docx"
    path.write_bytes(out.getvalue())
    with pytest.raises(CaseError) as caught:
        read_table(path)
    assert "entities" in str(caught.value)


def test_a_word_document_named_csv_is_read_as_one(tmp_path: Path) -> None:
    """A .docx renamed .csv was called "an Excel workbook"; its parts say what it is."""
    path = tmp_path / "chronology.csv"
    path.write_bytes(docx([FIRST]))
    assert read_table(path).rows[0][1] == ("Date", "Significant event", "Details", "Source")


def test_an_old_word_file_says_to_save_it_as_docx(tmp_path: Path) -> None:
    path = tmp_path / "chronology.doc.csv"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "WordDocument".encode("utf-16-le"))
    with pytest.raises(CaseError) as caught:
        read_table(path)
    assert "old Word .doc file" in str(caught.value) and "save it as .docx" in str(caught.value)


def test_a_header_repeated_after_a_title_row_is_left_out(tmp_path: Path) -> None:
    """The first table opens with a title merged across it; the header is its second row, and a later
    table that repeats that header does not add a row 'Date | Significant event ...'."""
    title: list[Cell] = [("Chronology for Ava", {"span": "4"})]
    path = tmp_path / "chronology.docx"
    path.write_bytes(docx([[title, *FIRST], SECOND]))
    texts = [cells for _, cells in read_table(path).rows]
    assert texts.count(tuple(HEADER)) == 1  # type: ignore[arg-type]
