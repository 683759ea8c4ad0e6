"""Serve stage (output tables): the corrected chronology and the blank template as CSV or XLSX bytes, in memory.

The corrected chronology is the user's own table -- the uploaded columns in their order, plus any the
workspace added (a Kind or Type column), every row as typed (rows with problems too) -- so the fix can go
back into the case record. CSV cells that a spreadsheet would run as a formula (starting =, +, -, @) get a
leading apostrophe, the usual guard; XLSX cells are written as text, never as formulas.
"""

from __future__ import annotations

import csv
import io

from .state import CANONICAL, HEADERS, Draft

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _guard(cell: str) -> str:
    """A cell a spreadsheet will show as text, not run (plain negative numbers are left alone)."""
    if cell.startswith(_FORMULA_START) and not _is_number(cell):
        return "'" + cell
    return cell


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _rows(draft: Draft) -> list[list[str]]:
    width = len(draft.headers)
    out = [list(draft.headers)]
    for _number, cells in draft.rows:
        row = list(cells) + [""] * (width - len(cells))
        out.append(row[:width])
    return out


def draft_csv(draft: Draft) -> bytes:
    """The chronology as CSV (UTF-8 with a byte-order mark, which Excel needs to read the accents)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    for row in _rows(draft):
        writer.writerow([_guard(c) for c in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def draft_xlsx(draft: Draft) -> bytes:
    """The chronology as an Excel workbook, every cell text."""
    return _xlsx(_rows(draft), title=draft.sheet or "Chronology")


def template_headers() -> list[str]:
    """The columns the importer knows, as a blank chronology's header row."""
    return [HEADERS[f] for f in CANONICAL]


def template_csv() -> bytes:
    """A blank chronology: the header row only."""
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerow(template_headers())
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    """A blank chronology workbook: the header row, bold, with sensible column widths."""
    return _xlsx([template_headers()], title="Chronology", bold_header=True)


def _xlsx(rows: list[list[str]], *, title: str, bold_header: bool = True) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = (title or "Chronology")[:31]
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if not value:
                continue
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            cell.data_type = "s"  # text: a cell starting '=' stays text, never a formula
            if r == 1 and bold_header:
                cell.font = Font(bold=True)
    for c, header in enumerate(rows[0] if rows else [], start=1):
        letter = sheet.cell(row=1, column=c).column_letter
        sheet.column_dimensions[letter].width = 40 if header.lower() in ("note", "notes", "details") else 18
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
