"""Input stage, tables: the bytes of a CSV/TSV or XLSX chronology -> text cells (a `Table`), or a plain refusal.

Nothing here touches the disk (`io.read_table` reads the file, once, under the size limit): an upload to the
workspace meets the same checks. An .xlsx is a zip of XML parts, so its directory is checked before anything
is inflated, and cells, rows, merged ranges and shared text are bounded.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..problems import CaseError, Problem
from ..words import with_article
from .messages import MAX_BYTES, cut

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".docx")
MAX_TABLE_ROWS = 20_000
MAX_TABLE_COLUMNS = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell; a CSV cell longer than this is a broken file
# An .xlsx is a zip of XML files. These bound what reading one may cost, checked from the zip's directory
# before anything is decompressed (a "zip bomb" of a few MB can inflate to many GB).
MAX_XLSX_MEMBERS = 2_000
MAX_XLSX_UNPACKED = 64 * 1024 * 1024  # all members together, uncompressed
MAX_XLSX_SHARED_STRINGS = 16 * 1024 * 1024  # the shared-strings part, held in memory whole while reading
MAX_XLSX_CELLS = 250_000  # cells in the sheet read, empty formatted ones too (20,000 rows of 12 columns)
MAX_MERGED_RANGES = 10_000
_DELIMITERS = (",", ";", "\t")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the start of an OLE compound file (old .xls, or an encrypted workbook)
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_WORD_STREAM = "WordDocument".encode("utf-16-le")  # the main stream of an old Word .doc


@dataclass(frozen=True)
class Table:
    """A spreadsheet as text cells: `rows` are (row number as the spreadsheet shows it, cells), blank rows left out.

    Row numbers count every row of the file (the first is 1), so an error can say "row 7" and the user
    finds row 7 where their spreadsheet program shows it. `sheet` is the sheet read (None for CSV).
    `merged` lists the sheet's merged ranges as 0-based (first_row, first_col, last_row, last_col), where
    row r is spreadsheet row r + 1; every cell of a range holds the range's top-left value, so a date
    merged down three rows dates all three (a row that holds nothing but merged values is still left out).
    """

    file: str
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    sheet: str | None = None
    merged: tuple[tuple[int, int, int, int], ...] = ()


def is_table(path: str | Path) -> bool:
    """True when `path` names a CSV/TSV or Excel file (read with `read_table`, not `load_case`)."""
    return str(path).lower().endswith(TABLE_SUFFIXES)


def table_fail(name: str, message: str, where: str = "") -> CaseError:
    """A CaseError about the whole table (or the row or sheet `where` names)."""
    return CaseError([Problem(name, None, None, where, message)])


def read_table_data(data: bytes, name: str, *, xlsx: bool, sheet: str | None = None) -> Table:
    """A chronology's bytes (already read under the size limit) -> Table, by the reader its suffix chose."""
    if xlsx:
        return _read_xlsx(data, name, sheet=sheet)
    return read_csv_text(_csv_text(data, name), name)


def _csv_text(data: bytes, name: str) -> str:
    """The text of a CSV file, or a refusal that says what the file is instead (a workbook, UTF-16, binary)."""
    if not data.strip():
        raise table_fail(
            name, "is empty; a chronology needs a header row (Date, Type, Details ...) and one row per event"
        )
    if data.startswith(b"PK\x03\x04"):
        raise table_fail(name, "is an Excel workbook, not CSV text; give it the .xlsx suffix")
    if data.startswith(_OLE_MAGIC):
        raise table_fail(name, _ole_message(data))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise table_fail(name, "is UTF-16 text (Excel's \"Unicode Text\"); save it as 'CSV UTF-8 (Comma delimited)' "
                                "or give the .xlsx file instead")
    if b"\x00" in data:
        raise table_fail(name, "is a binary file, not CSV text; save it as 'CSV UTF-8' or .xlsx")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise CaseError([Problem(name, None, None, f"row {row}", "is not UTF-8 text; in Excel use Save As > "
                                 "'CSV UTF-8 (Comma delimited)', or give the .xlsx file instead")]) from None


def _ole_message(data: bytes) -> str:
    """What an OLE compound file (Office's older container) is: a password-protected file, an old Word .doc,
    or an old .xls."""
    if _ENCRYPTED_STREAM in data:
        return ("is password-protected (encrypted), so it cannot be read; in Excel remove the password "
                "(File > Info > Protect Workbook > Encrypt with Password, clear it), save, and try again")
    if _WORD_STREAM in data:
        return "is an old Word .doc file, which cannot be read; open it in Word and save it as .docx"
    return "is not an Excel .xlsx workbook (an old .xls file? save it as .xlsx or CSV UTF-8)"


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line (first non-blank line) uses most, outside quotes."""
    first = ""
    for line in _lines_upto(text, 64 * 1024):
        if line.strip():
            first = line
            break
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _lines_upto(text: str, limit: int) -> Iterator[str]:
    """The lines of the first `limit` characters of `text` (the header is looked for there, not in all 5 MB)."""
    yield from text[:limit].splitlines()


def read_csv_text(text: str, name: str = "<table>.csv") -> Table:
    """CSV text -> Table (the delimiter is sniffed; quoted cells may hold commas and line breaks).

    A quote that is opened and never closed would swallow every later row into one cell: it is an error
    located at the row where the quote opened, never a silently shorter chronology.
    """
    import csv
    import io as _io

    delimiter = _delimiter(text)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES + 1))  # our own cell limit applies, below
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[tuple[int, tuple[str, ...]]] = []
    number = 0
    last = (0, 0, 0)  # the last record: its number, first and last line
    try:
        while True:
            started = reader.line_num + 1  # the file line this record starts on
            try:
                record = next(reader)
            except StopIteration:
                break
            number += 1
            if number > MAX_TABLE_ROWS:
                raise table_fail(name, f"has more than {MAX_TABLE_ROWS} rows; split the chronology")
            for cell in record:
                if len(cell) > MAX_CELL_CHARS:
                    raise table_fail(name, f"a cell is longer than {MAX_CELL_CHARS:,} characters (a quote "
                                            "opened and never closed?); check this row", f"row {number}")
            cells = tuple(cell.strip() for cell in record[:MAX_TABLE_COLUMNS])
            if any(cells):
                rows.append((number, cells))
            last = (number, started, reader.line_num)
    except csv.Error:
        raise table_fail(name, "cannot be read as CSV here (a stray quote or a broken line?); check this row",
                          f"row {number + 1}") from None
    if last[2] > last[1] and _runaway_quote(text, last[1]):
        raise table_fail(name, "a quote (\") opens a cell here that never closes, so every later row would be "
                                "read into that one cell; close the quote or remove it", f"row {last[0]}")
    if not rows:
        raise table_fail(name, "holds no rows; a chronology needs a header row and one row per event")
    return Table(file=name, rows=tuple(rows))


def _runaway_quote(text: str, first_line: int) -> bool:
    """True when the last record, which starts on line `first_line` and runs to the end of the text, holds a
    quote that never closed: its quotes do not pair up (a doubled "" counts as two)."""
    import io as _io

    lines = list(_io.StringIO(text, newline=""))
    return "".join(lines[first_line - 1:]).count('"') % 2 == 1


def _excel_cell_text(value: Any, number_format: str | None) -> str:
    """One Excel cell as text; dates become ISO, at the precision their display format shows."""
    import datetime as _dt

    if value is None:
        return ""
    if isinstance(value, _dt.datetime | _dt.date):
        day = value.date() if isinstance(value, _dt.datetime) else value
        shown = re.sub(r'"[^"]*"|\[[^\]]*\]', "", (number_format or "").lower())
        if "y" in shown and "d" not in shown:
            return f"{day.year:04d}-{day.month:02d}" if "m" in shown else f"{day.year:04d}"
        return day.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_MERGE_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*["\']([^"\']{1,40})["\']')


def _cell_index(ref: str) -> tuple[int, int] | None:
    """'B7' -> (6, 1): 0-based row and column of an A1 reference, or None when it is not one."""
    m = _CELL_REF.match(ref.strip().upper())
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + (ord(ch) - 64)
    row = int(m.group(2))
    return (row - 1, col - 1) if row >= 1 and col >= 1 else None


def check_zip(data: bytes, name: str, *, what: str = "Excel workbook") -> None:
    """Refuse a workbook (or a Word document: `what`) whose parts would inflate past the limits, from the zip
    directory alone."""
    import io as _io
    import zipfile

    try:
        with zipfile.ZipFile(_io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise table_fail(name, f"is not a readable {what} (a damaged zip file); open and re-save it, "
                                "or save it as CSV UTF-8") from None
    if len(infos) > MAX_XLSX_MEMBERS:
        raise table_fail(name, f"holds {len(infos):,} parts; {with_article(what)} holds a few dozen (not a "
                                "chronology?)")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise table_fail(name, "is password-protected (encrypted), so it cannot be read; remove the "
                                    "password, save, and try again")
        total += info.file_size
        if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > MAX_XLSX_SHARED_STRINGS:
            raise table_fail(name, f"holds more than {MAX_XLSX_SHARED_STRINGS // (1024 * 1024)} MB of text once "
                                    "unpacked; a chronology is far smaller (split it, or save it as CSV UTF-8)")
    if total > MAX_XLSX_UNPACKED:
        raise table_fail(name, f"would unpack to {total // (1024 * 1024):,} MB, more than the "
                                f"{MAX_XLSX_UNPACKED // (1024 * 1024)} MB a chronology {what.split()[-1]} may hold; "
                                "split it, or save it as CSV UTF-8")


def _choose_sheet(book: Any, name: str, sheet: str | None) -> Any:
    """The sheet asked for; else the active sheet when it is a visible worksheet; else the first visible one."""
    sheets = [ws for ws in book.worksheets]
    names = [ws.title for ws in sheets]
    listed = ", ".join(cut(n) for n in names[:20]) + (" ..." if len(names) > 20 else "")
    if sheet is not None:
        exact = [ws for ws in sheets if ws.title == sheet]
        if exact:
            return exact[0]
        close = [ws for ws in sheets if ws.title.lower() == sheet.lower()]
        if len(close) == 1:
            return close[0]
        import difflib

        near = difflib.get_close_matches(sheet, names, n=1, cutoff=0.6)
        hint = f"; did you mean '{cut(near[0])}'?" if near else ""
        raise table_fail(name, f"has no sheet '{cut(sheet)}'{hint} (sheets: {listed})")
    visible = [ws for ws in sheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if not visible:
        raise table_fail(name, f"has no visible sheet (sheets: {listed}); choose one with --sheet")
    try:
        active = book.active
    except (IndexError, AttributeError, TypeError, ValueError):
        active = None
    if active in visible:
        return active
    return visible[0]


def _scan_sheet(book: Any, ws: Any) -> tuple[int, list[tuple[int, int, int, int]]]:
    """One fast pass over the sheet's XML part: how many cells it holds (every `<c>` element, empty ones
    too, counted before openpyxl parses any, which costs far more per cell) and its merged ranges (which
    openpyxl's read-only mode does not keep)."""
    path = getattr(ws, "_worksheet_path", None)
    archive = getattr(book, "_archive", None)
    if path is None or archive is None:
        return 0, []
    found: list[tuple[int, int, int, int]] = []
    cells = 0
    tail = b""
    with archive.open(path) as src:
        while True:
            chunk = src.read(1 << 20)
            block = tail + chunk
            # Matches starting in the last 256 bytes may be cut by the chunk's end: they are taken from the
            # next block (which starts there), or here when this is the last one.
            keep = max(0, len(block) - 256) if chunk else len(block)
            cells += sum(1 for m in _CELL_TAG.finditer(block) if m.start() < keep)
            for m in _MERGE_CELL.finditer(block):
                if m.start() >= keep:
                    break
                first, _, last = m.group(1).decode("ascii", "replace").partition(":")
                a = _cell_index(first)
                b = _cell_index(last or first)
                if a is None or b is None:
                    continue
                found.append((min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])))
                if len(found) > MAX_MERGED_RANGES:
                    raise _MergedTooMany
            if not chunk:
                break
            tail = block[keep:]
    return cells, sorted(set(found))


class _MergedTooMany(Exception):
    """More merged ranges than MAX_MERGED_RANGES."""


def _fill_merged(rows: list[tuple[int, tuple[str, ...]]], merged: list[tuple[int, int, int, int]],
                 top_left: dict[tuple[int, int], str]) -> list[tuple[int, tuple[str, ...]]]:
    """Every cell of each merged range given its top-left value, in the rows that hold anything of their own."""
    if not merged:
        return rows
    by_row: dict[int, list[tuple[int, int, str]]] = {}
    for r0, c0, r1, c1 in merged:
        value = top_left.get((r0, c0), "")
        if not value or c0 >= MAX_TABLE_COLUMNS:
            continue
        for number in range(r0 + 1, min(r1, MAX_TABLE_ROWS) + 2):
            by_row.setdefault(number, []).append((c0, min(c1, MAX_TABLE_COLUMNS - 1), value))
    out: list[tuple[int, tuple[str, ...]]] = []
    for number, cells in rows:
        spans = by_row.get(number)
        if spans:
            filled = list(cells)
            for c0, c1, value in spans:
                if len(filled) <= c1:
                    filled.extend([""] * (c1 + 1 - len(filled)))
                for c in range(c0, c1 + 1):
                    filled[c] = value
            cells = tuple(filled)
        out.append((number, cells))
    return out


_DAMAGED = ("cannot be read as an Excel workbook (a damaged or unusual file); open and re-save it in Excel, "
            "or save it as CSV UTF-8")


def _read_xlsx(data: bytes, name: str, *, sheet: str | None) -> Table:
    """An .xlsx workbook's chosen sheet -> Table, every limit checked before the cost it bounds is paid."""
    book = _open_workbook(data, name)
    try:
        ws = _choose_sheet(book, name, sheet)
        chosen = str(ws.title)
        where = f"sheet '{cut(chosen)}'"
        merged = _bounded_scan(book, ws, name, where)
        rows, top_left = _sheet_rows(ws, name, where, {(r0, c0) for r0, c0, _, _ in merged})
    finally:
        with contextlib.suppress(Exception):  # closing a damaged archive may fail; nothing to keep
            book.close()
    rows = _fill_merged(rows, merged, top_left)
    if not rows:
        names = ", ".join(cut(n) for n in book.sheetnames[:20])
        raise table_fail(name, f"{where} holds no rows; a chronology needs a header row and one row per event "
                               f"(sheets: {names}); choose one with --sheet")
    return Table(file=name, rows=tuple(rows), sheet=chosen, merged=tuple(merged))


def _open_workbook(data: bytes, name: str) -> Any:
    """The workbook opened read-only, after the bytes are known to be a zip within the limits; a plain refusal
    for an old .xls, an encrypted file, a damaged one, or when openpyxl is not installed."""
    if data.startswith(_OLE_MAGIC):
        raise table_fail(name, _ole_message(data))
    if not data.startswith(b"PK\x03\x04"):
        raise table_fail(name, "is not an Excel .xlsx workbook (save it as .xlsx or CSV UTF-8)")
    check_zip(data, name)
    try:
        import openpyxl
    except ImportError:
        raise table_fail(name, "reading Excel files needs openpyxl: pip install 'child-timeline[xlsx]', "
                               "or save the sheet as CSV UTF-8") from None
    import io as _io
    import warnings as _warnings

    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            return openpyxl.load_workbook(_io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise table_fail(name, "is too large to read; split it, or save it as CSV UTF-8") from None
    except Exception:  # a crafted or damaged workbook: openpyxl raises anything (KeyError, TypeError ...)
        raise table_fail(name, _DAMAGED) from None


def _bounded_scan(book: Any, ws: Any, name: str, where: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges, after its cells and ranges are counted against the limits (before openpyxl
    parses a cell)."""
    try:
        cell_count, merged = _scan_sheet(book, ws)
    except _MergedTooMany:
        raise table_fail(name, f"has more than {MAX_MERGED_RANGES:,} merged ranges; unmerge the cells, or "
                               "save it as CSV UTF-8", where) from None
    if cell_count > MAX_XLSX_CELLS:
        raise table_fail(name, f"has more than {MAX_XLSX_CELLS:,} cells ({cell_count:,}, formatted empty ones "
                               "too); split the chronology, clear the formatting of unused rows and columns, "
                               "or save it as CSV UTF-8", where)
    return merged


def _sheet_rows(ws: Any, name: str, where: str, corners: set[tuple[int, int]]
                ) -> tuple[list[tuple[int, tuple[str, ...]]], dict[tuple[int, int], str]]:
    """The sheet's non-blank rows as text cells, and the values at the top-left `corners` of merged ranges."""
    import warnings as _warnings

    rows: list[tuple[int, tuple[str, ...]]] = []
    top_left: dict[tuple[int, int], str] = {}
    number = 0
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        try:
            ws.reset_dimensions()  # the <dimension> a program wrote may be too small: read every row
            for number, row in enumerate(ws.iter_rows(max_col=MAX_TABLE_COLUMNS), start=1):
                if number > MAX_TABLE_ROWS:
                    raise table_fail(name, f"has more than {MAX_TABLE_ROWS:,} rows; split the chronology", where)
                texts = _row_texts(row)
                for col, text in enumerate(texts):
                    if text and (number - 1, col) in corners:
                        top_left[(number - 1, col)] = text
                while texts and not texts[-1]:
                    texts.pop()  # sheets often report formatted but empty columns to the right
                if texts:
                    rows.append((number, tuple(texts)))
        except CaseError:
            raise
        except MemoryError:
            raise table_fail(name, "is too large to read; split it, or save it as CSV UTF-8", where) from None
        except Exception:
            raise table_fail(name, _DAMAGED + " (the trouble is after row " + f"{number})", where) from None
    return rows, top_left


def _row_texts(row: Any) -> list[str]:
    """One sheet row's cells as text, up to its last non-empty cell, each cut to Excel's own cell limit."""
    end = len(row)  # rows come padded to MAX_TABLE_COLUMNS; the cells were counted already
    while end and row[end - 1].value is None:
        end -= 1
    return [_excel_cell_text(c.value, getattr(c, "number_format", None))[:MAX_CELL_CHARS] for c in row[:end]]
