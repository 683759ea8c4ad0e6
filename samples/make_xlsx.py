"""Samples: build samples/chronology.xlsx from samples/chronology.csv, the way a social worker's workbook looks.

Full dates become real Excel dates (shown dd/mm/yyyy), partial and approximate dates stay text, a title
row sits above the header, and a second sheet holds notes, so the import path for `--sheet`, header
search and Excel date cells is exercised by a real file. Run: python samples/make_xlsx.py
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

HERE = Path(__file__).parent
FULL_DATE = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
FIXED_TIME = dt.datetime(2024, 1, 1)  # document properties, so that rebuilding gives the same workbook
STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
COLUMN_WIDTHS = {"A": 14, "B": 12, "C": 24, "D": 80, "E": 18, "F": 10}


def cell_value(text: str) -> object:
    """A dd/mm/yyyy text date as a real date (as Excel stores it); anything else as written."""
    m = FULL_DATE.match(text.strip())
    if m:
        day, month, year = (int(g) for g in m.groups())
        return dt.datetime(year, month, day)
    return text or None


def main() -> None:
    with (HERE / "chronology.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(["Chronology (fictional case for child-timeline samples)"])
    sheet["A1"].font = Font(bold=True)
    sheet.append(rows[0])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows[1:]:
        sheet.append([cell_value(v) for v in row])
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "dd/mm/yyyy"
    for column, width in COLUMN_WIDTHS.items():
        sheet.column_dimensions[column].width = width
    notes = book.create_sheet("Notes")
    notes.append(["Every person, place and date in this chronology is invented."])
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    book.properties.creator = "child-timeline"
    raw = io.BytesIO()
    book.save(raw)
    (HERE / "chronology.xlsx").write_bytes(fixed_zip(raw.getvalue()))


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every member's timestamp fixed, so that rebuilding gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + STAMP, content)
            dst.writestr(fixed, content)
    return out.getvalue()


if __name__ == "__main__":
    main()
