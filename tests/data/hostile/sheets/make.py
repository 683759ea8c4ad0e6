"""Writes the hostile spreadsheets of this folder (run it to rebuild them: python tests/data/hostile/sheets/make.py).

Each file is a small, valid-looking chronology with one attack; `expect.txt` beside them says what each must
give. The workbooks are built from a plain openpyxl one with their XML edited, as other programs write them.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl

HERE = Path(__file__).parent
ROWS = [
    ("Date", "Type", "Details"),
    ("20/01/2016", "Foster care", "Placed with foster carers"),
    ("28/01/2016", "Children's Hearing", "ICSO made"),
    ("03/03/2016", "LAAC review", "First review"),
    ("12/05/2016", "School", "Started nursery"),
    ("01/09/2016", "Kinship care", "Moved to gran"),
]


def base(sheets: dict[str, list[tuple[str, ...]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def edit(data: bytes, changes: dict[str, object], *, add: dict[str, bytes] | None = None,
         compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Rewrite members: a change is new bytes, or a function of the old bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compress) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            change = changes.get(info.filename)
            if callable(change):
                body = change(body)
            elif isinstance(change, bytes):
                body = change
            dst.writestr(info.filename, body, compress_type=compress)
        for name, body in (add or {}).items():
            dst.writestr(name, body, compress_type=compress)
    return out.getvalue()


def sub(pattern: bytes, repl: bytes):  # type: ignore[no-untyped-def]
    return lambda body: re.sub(pattern, repl, body, count=1)


def main() -> None:
    plain = base({"Chronology": ROWS})
    files: dict[str, bytes] = {}
    # 1. <dimension> written too small: a reader that trusts it sees one row.
    files["small-dimension.xlsx"] = edit(plain, {"xl/worksheets/sheet1.xml": sub(rb'<dimension ref="[^"]*"/>',
                                                                             b'<dimension ref="A1:C1"/>')})
    # 2. The first sheet hidden (and a veryHidden one), the chronology on the third, active tab on the hidden one.
    junk = [("Date", "Type", "Details"), ("01/01/2001", "Foster care", "OLD DRAFT - not this child")]
    three = base({"Old": junk, "Secret": junk, "Chronology": ROWS})
    files["hidden-first-sheet.xlsx"] = edit(three, {"xl/workbook.xml": lambda b: b.replace(
        b'name="Old" sheetId="1" state="visible"', b'name="Old" sheetId="1" state="hidden"').replace(
        b'name="Secret" sheetId="2" state="visible"', b'name="Secret" sheetId="2" state="veryHidden"')})
    # 3. A date merged down three rows (only the top cell holds it).
    merged_rows = [*ROWS[:2], ("28/01/2016", "Children's Hearing", "ICSO made"), ("", "LAAC review", "Same day"),
                   ("", "School", "Same day too"), ROWS[5]]
    merged = base({"Chronology": merged_rows})
    files["merged-date.xlsx"] = edit(merged, {"xl/worksheets/sheet1.xml": lambda b: b.replace(
        b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A3:A5"/></mergeCells>')})
    # 4. A zip bomb: a sheet that inflates to 200 MB of blanks from a file of a few hundred KB.
    files["bomb-sheet.xlsx"] = edit(plain, {"xl/worksheets/sheet1.xml": lambda b: b.replace(
        b"<sheetData>", b"<sheetData>" + b" " * (200 * 1024 * 1024))})
    # 5. Shared strings bomb: 40 MB of strings.
    strings = b"".join(b"<si><t>" + b"x" * 1000 + b"</t></si>" for _ in range(40_000))
    files["bomb-strings.xlsx"] = edit(plain, {}, add={"xl/sharedStrings.xml": b'<sst xmlns="http://schemas.'
                                                     b'openxmlformats.org/spreadsheetml/2006/main">' + strings
                                                     + b"</sst>"})
    # 6. Crafted cells: a shared-string index past the table, broken XML, a date serial out of range.
    files["bad-string-index.xlsx"] = edit(plain, {"xl/worksheets/sheet1.xml": sub(
        rb'<c r="A3"[^>]*>.*?</c>', b'<c r="A3" t="s"><v>99999</v></c>')})
    files["broken-xml.xlsx"] = edit(plain, {"xl/worksheets/sheet1.xml": lambda b: b.replace(b"</sheetData>", b"<row")})
    import datetime

    dated = base({"Chronology": [ROWS[0], (datetime.date(2016, 1, 20), "Foster care", "x"),
                                 (datetime.date(2016, 1, 28), "CSO", "y")]})
    files["bad-date-serial.xlsx"] = edit(dated, {"xl/worksheets/sheet1.xml": lambda b: re.sub(
        rb'(<c r="A3"[^>]*>)<v>[^<]*</v>', rb"\1<v>1e300</v>", b, count=1)})
    files["bad-error-cell.xlsx"] = edit(plain, {"xl/worksheets/sheet1.xml": sub(
        rb'<c r="A3"[^>]*>.*?</c>', b'<c r="A3" t="q"><v>' + b"SECRET NOTE " * 200 + b"</v></c>")})
    # 7. Terminal escapes in a sheet name, a header and a cell (clear screen, window title).
    plain_zzz = base({"Chronology": [("Date", "Type", "Details"), ("zzz", "Foster care", "x")]})
    files["escapes-sheet.xlsx"] = edit(plain_zzz, {
        "xl/workbook.xml": lambda b: b.replace(b'name="Chronology"', b'name="Chron&#155;2J&#157;0;pwned"')})
    # (XML cannot hold ESC itself; Excel writes it as _x001B_ in cell text, which readers turn back into ESC.)
    files["escapes-cells.xlsx"] = edit(base({"Chronology": [("Date_x001B_[2J", "Type", "Details"),
                                                            ("not a date_x001B_]0;pwned_x0007_", "Foster care",
                                                             "x")]}), {})
    # 7b. Entities expanding a billion-fold ("billion laughs") in the sheet's XML.
    laughs = ('<!DOCTYPE x [<!ENTITY a "' + "a" * 100 + '">'
              + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9)) + "]>")

    def with_laughs(body: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", body)
        return laughs.encode() + body.replace(b"Placed with foster carers", b"&j;")

    files["billion-laughs.xlsx"] = edit(plain, {"xl/worksheets/sheet1.xml": with_laughs})
    # 8. A password-protected workbook: an OLE compound file holding an EncryptedPackage stream.
    ole = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    ole += "EncryptionInfo".encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
    ole += "EncryptedPackage".encode("utf-16-le").ljust(64, b"\x00") + b"\x00" * 64
    files["password.xlsx"] = bytes(ole)
    files["old-format.xlsx"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024
    # 9. CSV: a quote that never closes; escapes in a header and a cell.
    files["unclosed-quote.csv"] = (b"Date,Type,Details\n20/01/2016,Foster care,\"Placed with carers\n"
                                   b"28/01/2016,Children's Hearing,ICSO made\n03/03/2016,LAAC review,First review\n"
                                   )
    files["escapes.csv"] = (b"Date,Type\x1b[2J,Details\nnot a date\x1b]0;pwned\x07,Foster care,x\n")
    files["utf16.csv"] = "Date,Type,Details\n20/01/2016,Foster care,Placed\n".encode("utf-16")
    for name, body in files.items():
        (HERE / name).write_bytes(body)


if __name__ == "__main__":
    main()
