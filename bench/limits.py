"""Resource limits (issue 20): the worst files within the documented limits, each rendered in a fresh process.

Every render of any file within the README's limits must finish in at most 60 s of CPU (one render uses
one core) and 1 GB of memory on the reference machine (2 cores). This script builds the worst cases it
knows for each limit, runs each render as its own `python -m timeline ...` process, and reports CPU and
wall time and peak resident memory (from the kernel's accounting of that process, `os.wait4`), with a
verdict against the budget.

    python bench/limits.py                 # every case (several minutes)
    python bench/limits.py --only png      # the cases whose name contains 'png'
    python bench/limits.py --list          # the case names
    python bench/limits.py --json out.json # the figures as JSON too

The cases are deterministic (no randomness), so runs on the same machine compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from coldstart import compiled_env  # noqa: E402

BUDGET_S = 60.0
BUDGET_MB = 1024.0
DOB = dt.date(2005, 3, 14)
AS_OF = dt.date(2022, 6, 1)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _case(events: list[str], *, dob: dt.date = DOB, as_of: dt.date = AS_OF, name: str = "Bench Child") -> str:
    head = (f"child:\n  name: {_q(name)}\n  date_of_birth: {dob.isoformat()}\n  ref: B-0001\n"
            f"as_of: {as_of.isoformat()}\n")
    return head + "events:\n" + "".join(events)


def _note(i: int, length: int) -> str:
    words = ("Child seen at home with carers; plan discussed with the team and the family, contact reviewed "
             "and the school asked for a report before the next meeting. ")
    text = (f"Entry {i}. " + words * (length // len(words) + 1))[:length]
    return text.rstrip()


def case_max_events(notes: int = 0) -> str:
    """10,000 events (the limit), all kinds, a whole childhood; each with a note of `notes` characters."""
    from bench.synth import make_case  # the bench's own mix of kinds

    data = make_case(10_000, seed=20)
    out = []
    for i, e in enumerate(data["events"]):
        if notes:
            e["note"] = _note(i, notes)
        e["label"] = (e.get("label") or f"Event {i}")[:120]
        out.append("  - " + json.dumps(e, ensure_ascii=False) + "\n")
    return _case(out, dob=dt.date.fromisoformat(data["child"]["date_of_birth"]),
                 as_of=dt.date.fromisoformat(data["as_of"]))


def case_report_limit() -> str:
    """The largest printed report allowed: MAX_REPORT_EVENTS events (the bench's mix of kinds), with
    MAX_REPORT_NOTE_CHARS characters of notes spread over them, every label at its longest (120)."""
    from bench.synth import make_case
    from timeline.model.limits import MAX_REPORT_EVENTS, MAX_REPORT_NOTE_CHARS

    data = make_case(MAX_REPORT_EVENTS, seed=20)
    each = MAX_REPORT_NOTE_CHARS // MAX_REPORT_EVENTS
    out = []
    for i, e in enumerate(data["events"]):
        e["note"] = _note(i, each)
        e["label"] = (f"{e.get('label') or 'Event'} {i} " + "words of a long label " * 6)[:120].strip()
        out.append("  - " + json.dumps(e, ensure_ascii=False) + "\n")
    return _case(out, dob=dt.date.fromisoformat(data["child"]["date_of_birth"]),
                 as_of=dt.date.fromisoformat(data["as_of"]))


def case_long_notes() -> str:
    """The notes limit in the fewest rows: 100 notes of 2,000 characters (the longest a note may be)."""
    from timeline.model.limits import MAX_REPORT_NOTE_CHARS

    out = []
    for i in range(MAX_REPORT_NOTE_CHARS // 2000):
        day = DOB + dt.timedelta(days=30 * i)
        out.append("  - " + json.dumps({"kind": "event", "type": "other", "date": day.isoformat(),
                                        "label": f"Event {i}", "note": _note(i, 2000)}) + "\n")
    return _case(out)


def case_largest_file() -> str:
    """As many events as fit in 5 MB (10,000), each with a 400-character note: too big to print, so it is
    refused as a report; drawn as SVG and HTML."""
    return case_max_events(notes=400)


def case_overlapping(count: int) -> str:
    """`count` placements all open at once (none ends): the worst for sub-rows, reviews and the key."""
    out = []
    for i in range(count):
        start = DOB + dt.timedelta(days=30 + i % 3000)
        out.append(f"  - {{kind: placement, type: foster, start: {start.isoformat()}, label: {_q(f'Carers {i}')}}}\n")
    return _case(out)


def case_long_span() -> str:
    """The widest chart allowed: born 1900, as at 2199, one placement over the whole time."""
    return _case(["  - {kind: placement, type: foster, start: 1900-02-01}\n",
                  "  - {kind: order, type: cso, start: 1900-02-01}\n"],
                 dob=dt.date(1900, 1, 1), as_of=dt.date(2199, 12, 31))


FREQUENT_REVIEWS = "reviews:\n  first_days: {d}\n  second_days: {d}\n  later_days: {d}\n"


def xlsx_largest() -> bytes:
    """A chronology workbook as large as the limits allow to import: 10,000 rows (one event each, the most a
    case holds), five columns, 1,450-character notes (the shared-strings limit)."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("Chronology")
    ws.append(["Date", "Type", "Details", "Source", "Note"])
    for i in range(10_000):
        day = DOB + dt.timedelta(days=i % 6000)
        ws.append([day.strftime("%d/%m/%Y"), "School", f"Row {i}", "SW", _note(i, 1450)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_many_cells() -> bytes:
    """The cell bound: a sheet of tiny cells (200 columns), just within the cell limit, inline."""
    from timeline.io.read import MAX_XLSX_CELLS

    rows = []
    for r in range(1, MAX_XLSX_CELLS // 200 + 1):
        cells = "".join(f'<c r="{_col(c)}{r}" t="inlineStr"><is><t>x</t></is></c>' for c in range(1, 201))
        rows.append(f'<row r="{r}">{cells}</row>')
    sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData>' + "".join(rows) + "</sheetData></worksheet>").encode()
    base = io.BytesIO()
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Chronology"
    book.save(base)
    src = zipfile.ZipFile(io.BytesIO(base.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = sheet if info.filename == "xl/worksheets/sheet1.xml" else src.read(info.filename)
            dst.writestr(info.filename, body)
    return out.getvalue()


def _col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def csv_largest() -> bytes:
    """A CSV as large as a case allows: 10,000 rows (one event each), 4 MB."""
    lines = ["Date,Type,Details,Note"]
    for i in range(10_000):
        day = DOB + dt.timedelta(days=i % 6000)
        lines.append(f"{day.strftime('%d/%m/%Y')},School,Row {i},\"{_note(i, 200)}\"")
    return ("\n".join(lines) + "\n").encode()


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    make: Callable[[Path], list[str]]  # writes its inputs into the folder, returns the timeline arguments


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def cases() -> list[Case]:
    def render(file: str, maker: Callable[[], str], out: str, *extra: str) -> Callable[[Path], list[str]]:
        def make(folder: Path) -> list[str]:
            path = folder / file
            if not path.exists():
                _write(folder, file, maker())
            return ["render", str(path), "-o", str(folder / out), *extra]
        return make

    def with_standards(file: str, maker: Callable[[], str], out: str, days: int) -> Callable[[Path], list[str]]:
        def make(folder: Path) -> list[str]:
            std = _write(folder, f"reviews-{days}.yaml", FREQUENT_REVIEWS.format(d=days))
            return [*render(file, maker, out)(folder), "--standards", str(std)]
        return make

    def table(file: str, maker: Callable[[], bytes]) -> Callable[[Path], list[str]]:
        def make(folder: Path) -> list[str]:
            path = _write(folder, file, maker())
            return ["validate", str(path), "--name", "Bench Child", "--dob", "14/03/2005"]
        return make

    from timeline.model import case as model

    over = model.MAX_OVERLAPPING  # the limit itself
    return [
        Case("max-events-svg", "10,000 events -> SVG", render("max.yaml", case_max_events, "max.svg")),
        Case("max-events-pdf", "10,000 events -> PDF report (refused: over the report limits)",
             render("max.yaml", case_max_events, "max.pdf")),
        Case("report-limit-pdf", "the largest printable report -> PDF",
             render("report.yaml", case_report_limit, "report.pdf")),
        Case("report-limit-png", "the same -> PNG of page 1", render("report.yaml", case_report_limit, "report.png")),
        Case("long-notes-pdf", "100 notes of 2,000 characters -> PDF",
             render("notes.yaml", case_long_notes, "notes.pdf")),
        Case("training-pdf", "the largest printable report -> training PDF",
             render("report.yaml", case_report_limit, "training.pdf", "--view", "training", "--seed", "1")),
        Case("max-events-hearing", "10,000 events -> one-page hearing PDF",
             render("max.yaml", case_max_events, "max-hearing.pdf", "--view", "hearing")),
        Case("largest-file-svg", "5 MB: 10,000 events with 400-character notes -> SVG",
             render("largest.yaml", case_largest_file, "largest.svg")),
        Case("largest-file-html", "the same -> HTML report", render("largest.yaml", case_largest_file,
                                                                      "largest.html")),
        Case("overlap-svg", f"{over} placements open at once -> SVG",
             render("overlap.yaml", lambda: case_overlapping(over), "overlap.svg")),
        Case("overlap-pdf", f"{over} placements open at once -> PDF report",
             render("overlap.yaml", lambda: case_overlapping(over), "overlap.pdf")),
        Case("reviews-weekly-svg", "one placement over 300 years, reviews every 7 days -> SVG",
             with_standards("span.yaml", case_long_span, "span.svg", 7)),
        Case("reviews-weekly-pdf", "the same -> PDF report",
             with_standards("span.yaml", case_long_span, "span.pdf", 7)),
        Case("png-a4-600dpi", "the largest printable report -> PNG page 1 at 600 dpi (35 Mpx)",
             render("report.yaml", case_report_limit, "max.png", "--dpi", "600")),
        Case("png-pages", "the same -> PNG of pages 1-20 at 150 dpi (47 Mpx, near the pixel limit)",
             render("report.yaml", case_report_limit, "pages.png", "--page-range", "1-20")),
        Case("xlsx-largest", "10,000-row workbook, 15 MB of notes -> validate", table("largest.xlsx", xlsx_largest)),
        Case("xlsx-cells", "250,000 one-letter cells in 200 columns -> validate", table("cells.xlsx",
                                                                                     xlsx_many_cells)),
        Case("csv-largest", "10,000-row, 4 MB CSV -> validate", table("largest.csv", csv_largest)),
    ]


def run(argv: list[str], cwd: Path) -> dict[str, float | int]:
    """Run `python -m timeline ARGV` in a fresh process: wall seconds, peak RSS (MB) and exit code."""
    env = compiled_env(PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "timeline", *argv], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    peak_mb = usage.ru_maxrss / 1024 if sys.platform != "darwin" else usage.ru_maxrss / 1024 / 1024
    return {"seconds": round(seconds, 2), "peak_mb": round(peak_mb, 1), "exit": proc.returncode,
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
            "message": err.decode("utf-8", "replace").strip().splitlines()[-1][:160] if err.strip() else ""}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run the cases whose name contains this")
    parser.add_argument("--list", action="store_true", help="list the cases and stop")
    parser.add_argument("--json", default=None, help="also write the results as JSON to this file")
    args = parser.parse_args(argv)
    chosen = [c for c in cases() if args.only in c.name]
    if args.list:
        for c in chosen:
            print(f"{c.name:22} {c.what}")
        return 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"budget: {BUDGET_S:.0f} s of CPU and {BUDGET_MB:.0f} MB per render; load average at start {load:.1f} "
          f"on {os.cpu_count()} cores")
    results = []
    failed = 0
    with tempfile.TemporaryDirectory(prefix="timeline-limits-") as tmp:
        folder = Path(tmp)
        for case in chosen:
            result = run(case.make(folder), folder)
            # CPU time, not wall time, is judged: on a shared machine the wall clock counts other people's work
            # (the load average is printed); one render uses one core, so on an idle machine they agree.
            ok = result["cpu_seconds"] <= BUDGET_S and result["peak_mb"] <= BUDGET_MB
            failed += not ok
            results.append({"name": case.name, "what": case.what, **result, "within_budget": ok})
            print(f"{case.name:22} {result['seconds']:7.1f} s {result['cpu_seconds']:7.1f} s cpu "
                  f"{result['peak_mb']:7.0f} MB  exit {result['exit']}  {'ok' if ok else 'OVER BUDGET'}  "
                  f"{result['message']}", flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps({"load": load, "results": results}, indent=1) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
