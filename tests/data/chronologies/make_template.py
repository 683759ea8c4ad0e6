"""Test corpus: build significant-events.xlsx, a council "Chronology of Significant Events" workbook.

The layout councils use: a merged title across the sheet, the child's details and a key on rows 2-4, a
blank row, the header on row 6 ("Date or Period of Event", "Significant Event", "Impact on the child",
"Action taken", "Source"), section headings merged across the row, full dates as real Excel dates, other
dates as the worker typed them ("w/c 18/07/11", "Unknown", a period "12/10/2011 - 15/01/2015") and one
date left as an Excel day number. The child and every event are invented.
Run: python tests/data/chronologies/make_template.py
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).parent
FIXED_TIME = dt.datetime(2024, 1, 1)
STAMP = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
HEADER = ["Date or Period of Event", "Significant Event", "Impact on the child", "Action taken", "Source"]
D = dt.datetime
ROWS: list[list[object]] = [
    ["Early years"],
    [D(2009, 2, 10), "Callum born", "", "", "Health"],
    ["Mar 2010", "Referral from health visitor: concerns about neglect", "Callum's needs not met at home",
     "Initial assessment", "Health visitor"],
    ["Unknown", "Mum moved with Callum to a homeless unit in Dundee", "Loss of nursery place", "", "Mum"],
    ["Looked after away from home"],
    ["w/c 18/07/11", "Accommodated under s25 and placed with F/C (Mr & Mrs B)", "Distressed at first",
     "Contact with mum twice weekly", "Social work"],
    [D(2011, 8, 2), "LAAC review", "Settling with carers", "Assessment of mum to continue", "IRO"],
    ["14-16/09/2011", "Children's Hearing: grounds accepted, ICSO made", "", "", "SCRA"],
    ["12/10/2011 - 15/01/2015", "CSO made at Children's Hearing", "Legal security of placement",
     "Reviewed yearly", "SCRA"],
    [40942, "LAAC review", "", "Plan: kinship assessment of gran", "IRO"],
    ["early March 2013", "Moved to kinship placement with maternal gran", "Happy to be with gran",
     "Kinship allowance agreed", "Social work"],
    [D(2013, 9, 20), "LAAC review", "", "", "IRO"],
    ["Return home"],
    ["30.05.14", "Returned home to mum; CSO continues at home", "Pleased to be home", "Weekly visits", "SW"],
    [D(2015, 1, 15), "Review hearing: CSO terminated", "", "Case closed to social work", "SCRA"],
]


def main() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Chronology"
    sheet.append(["CHRONOLOGY OF SIGNIFICANT EVENTS"])
    sheet.merge_cells("A1:E1")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append(["Child's name:", "Callum (invented)", "Date of birth:", D(2009, 2, 10)])
    sheet.append(["Completed by:", "Social worker, Children and Families"])
    sheet.append(["Key: SW social worker; IRO independent reviewing officer; F/C foster carers"])
    sheet.merge_cells("A4:E4")
    sheet.append([])
    sheet.append(HEADER)
    for cell in sheet[6]:
        cell.font = Font(bold=True)
    for row in ROWS:
        sheet.append(row)
        number = sheet.max_row
        if len(row) == 1:
            sheet.merge_cells(f"A{number}:E{number}")
            sheet[f"A{number}"].font = Font(bold=True)
        elif isinstance(row[0], dt.datetime):
            sheet[f"A{number}"].number_format = "dd/mm/yyyy"
    sheet["D2"].number_format = "dd/mm/yyyy"
    for column, width in {"A": 22, "B": 60, "C": 34, "D": 34, "E": 14}.items():
        sheet.column_dimensions[column].width = width
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    book.properties.creator = "child-timeline"
    raw = io.BytesIO()
    book.save(raw)
    (HERE / "significant-events.xlsx").write_bytes(fixed_zip(raw.getvalue()))


def fixed_zip(data: bytes) -> bytes:
    """The same zip with every member's timestamp fixed, so that rebuilding gives identical bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + STAMP, content)
            dst.writestr(fixed, content)
    return out.getvalue()


if __name__ == "__main__":
    main()
