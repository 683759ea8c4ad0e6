"""Input stage, Word tables: the chronology table of a .docx document -> text cells (a `Table`).

Most practitioners keep their chronology as a table in a Word document. A .docx is a zip of XML parts; the
body's tables are read row by row, cell by cell (the paragraphs of a cell joined by line breaks), so the rest
of the import reads it exactly as it reads a spreadsheet. Every table of the body counts, in order, as one
table continued (a chronology split by year or by page); a later table that opens with the first one's header
row repeats it, and that row is left out. A cell spanning several columns repeats its text in each (as a merged
spreadsheet range does, so a section heading across the row is still a heading), and a cell merged down takes
the text of the one above it. Text outside tables (the title, the child's details) is not read.

Row numbers count the rows of the tables from the top of the first (the first row is 1), as a reader counts
them down the document. The zip's directory is checked before anything is inflated (the same limits as a
workbook), and an XML part that declares a DTD (entities: a billion-laughs bomb) is refused before any entity
is expanded, whatever its encoding.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree
from xml.parsers import expat

from .tables import MAX_CELL_CHARS, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS, Table, check_zip, table_fail

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BODY_PART = "word/document.xml"
_HEADER_ROWS = 20  # the importer looks for the header among the first 20 rows


def is_docx(data: bytes) -> bool:
    """Whether a zip's bytes are a Word document (it holds word/document.xml)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _BODY_PART in archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return False


def read_docx(data: bytes, name: str) -> Table:
    """A Word document's tables -> Table; a plain refusal when it is damaged, protected, has no table, or is
    larger than a chronology can be."""
    check_zip(data, name, what="Word document")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if _BODY_PART not in archive.namelist():
                raise table_fail(name, "is not a Word document (.docx) (it has no document part); open and re-save "
                                       "it in Word, or save the chronology table as .xlsx or CSV UTF-8")
            xml = archive.read(_BODY_PART)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise table_fail(name, "is not a readable Word document (a damaged zip file); open and re-save it") from None
    _refuse_dtd(xml, name)
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        raise table_fail(name, "cannot be read as a Word document (its text part is damaged); open and re-save "
                               "it in Word") from None
    rows = _rows(root, name)
    if not rows:
        raise table_fail(name, "holds no table; a chronology in Word is read from its table (a header row: Date, "
                               "Event, Details ...; then one row per event). Put the rows in a table, or save "
                               "them as .xlsx or CSV")
    return Table(file=name, rows=tuple(rows))


class _Declared(Exception):
    """The XML declares a document type (where entities would be defined): stop before any is expanded."""


def _refuse_dtd(xml: bytes, name: str) -> None:
    """Refuse a part that declares a document type, in whatever encoding it is written (UTF-16 too), before
    ElementTree reads it: expat stops at the declaration's start, so no entity is ever defined or expanded
    (Word never writes one; a billion-laughs bomb needs one)."""
    parser = expat.ParserCreate()

    def declared(*_: object) -> None:
        raise _Declared

    parser.StartDoctypeDeclHandler = declared
    parser.EntityDeclHandler = declared
    try:
        parser.Parse(xml, True)
    except _Declared:
        raise table_fail(name, "declares its own XML entities, which a Word document never does; it is not "
                               "read") from None
    except expat.ExpatError:
        raise table_fail(name, "cannot be read as a Word document (its text part is damaged); open and re-save "
                               "it in Word") from None


def _rows(root: ElementTree.Element, name: str) -> list[tuple[int, tuple[str, ...]]]:
    """Every row of every body table, numbered down the document; a later table's repeat of the first
    table's header row left out; blank rows left out (their numbers still count)."""
    out: list[tuple[int, tuple[str, ...]]] = []
    heads: list[tuple[str, ...]] = []  # rows of the first table the header may be (never a dated row)
    number = 0
    body = root.find(f"{_W}body")
    for k, table in enumerate(_tables(body if body is not None else root)):
        above: list[str] = []  # each column's text in the row above, for cells merged down
        for r, tr in enumerate(_children(table, "tr")):
            number += 1
            if number > MAX_TABLE_ROWS:
                raise table_fail(name, f"has more than {MAX_TABLE_ROWS} table rows; split the chronology")
            cells = _cells(tr, above, name)
            above = list(cells)
            if k > 0 and r == 0 and any(_same(cells, h) for h in heads):
                continue  # the header repeated at the top of a later table
            if (k == 0 and len(heads) < _HEADER_ROWS and len({c for c in cells if c.strip()}) >= 2
                    and not any(ch.isdigit() for c in cells for ch in c)):
                heads.append(cells)  # a row the header may be: two texts or more, no date (a data row has one)
            if any(c.strip() for c in cells):
                out.append((number, cells))
    return out


def _children(parent: ElementTree.Element, tag: str) -> Iterator[ElementTree.Element]:
    """`parent`'s direct children called `tag` (w:tbl, w:tr, w:tc), also those inside a content control (w:sdt);
    never those of a table nested deeper (a table inside a cell is read as that cell's text)."""
    for child in parent:
        if child.tag == f"{_W}{tag}":
            yield child
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _children(content, tag)


def _tables(body: ElementTree.Element) -> Iterator[ElementTree.Element]:
    """The body's tables in order."""
    return _children(body, "tbl")


def _cells(tr: ElementTree.Element, above: list[str], name: str) -> tuple[str, ...]:
    """A row's cells as text: a cell spanning n columns repeated n times, one merged down taking the text above."""
    cells: list[str] = []
    for tc in _children(tr, "tc"):
        props = tc.find(f"{_W}tcPr")
        span = 1
        merged_down = False
        if props is not None:
            grid = props.find(f"{_W}gridSpan")
            if grid is not None:
                try:
                    span = max(1, min(int(grid.get(f"{_W}val", "1")), MAX_TABLE_COLUMNS))
                except ValueError:
                    span = 1
            vmerge = props.find(f"{_W}vMerge")
            merged_down = vmerge is not None and vmerge.get(f"{_W}val", "continue") != "restart"
        col = len(cells)
        text = above[col] if merged_down and col < len(above) else _text(tc)
        if len(text) > MAX_CELL_CHARS:
            raise table_fail(name, f"a table cell is longer than {MAX_CELL_CHARS:,} characters; a chronology cell "
                                   "is far shorter")
        cells.extend([text] * span)
        if len(cells) >= MAX_TABLE_COLUMNS:
            break
    return tuple(cells[:MAX_TABLE_COLUMNS])


def _text(tc: ElementTree.Element) -> str:
    """A cell's text: its paragraphs (and those of a table inside it) one per line, tabs as spaces."""
    lines: list[str] = []
    for p in tc.iter(f"{_W}p"):
        parts: list[str] = []
        for node in p.iter():
            if node.tag == f"{_W}t" and node.text:
                parts.append(node.text)
            elif node.tag in (f"{_W}tab", f"{_W}noBreakHyphen"):
                parts.append(" " if node.tag == f"{_W}tab" else "-")
            elif node.tag in (f"{_W}br", f"{_W}cr"):
                parts.append("\n")
        line = "".join(parts).strip()
        if line:
            lines.append(line)
    return "\n".join(lines).strip()


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two rows say the same words (case and spacing aside)."""
    def norm(cells: tuple[str, ...]) -> list[str]:
        return [" ".join(c.lower().split()) for c in cells if c.strip()]
    return norm(a) == norm(b)
