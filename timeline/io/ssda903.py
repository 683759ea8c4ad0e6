"""IO stage (SSDA903): a council's children looked after return (DfE) -> one case per child, with located warnings.

England's councils already keep every looked-after child's episodes in the form the DfE collects each year
(the SSDA903 return): a Header row per child, one Episodes row per placement or legal-status change, and
Reviews, AD1 (adopted children), PlacedAdoption and Missing beside them, as CSV with DfE's column names and
dd/mm/yyyy dates, or as XML (CHILDID and PL for CHILD and PLACE). Reading it means nobody types a chronology.

What every row becomes, and every code's meaning, is data (`timeline/vocab/ssda903-codes.yaml`). The return is
messy in practice, so nothing here stops at a bad row: an overlap, a gap, a period of care starting with a
temporary placement, an adopted child without an adoption record, an unknown code or an unreadable date is a
located warning (file, row, child) and the row is kept or said to be left out, never dropped silently.
Several annual returns (folders, or files named by year) are stitched into one history; every end the
stitching supplies is an inference, written as an uncertain date (`?`) with a note saying so, so the chart
draws it hatched and the chronology table says "date uncertain".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..model.case import Case
from ..model.vocabulary import load_vocabulary
from ..problems import CaseError, Problem
from ..words import noun
from .read import SourceMap, read_limited, read_table, validate_data

MAX_XML_BYTES = 64 * 1024 * 1024  # a whole council's return as XML is a few MB; past this it is not one
_YEAR = re.compile(r"((?:19|20)\d{2})(?:\s*[-_/]\s*(\d{2}))?")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MY = re.compile(r"^(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
WARNING_KINDS = ("bad_date", "unknown_code", "duplicate", "overlap", "gap", "temporary_first",
                 "temporary_not_returned", "period_not_started", "rne_mismatch", "open_inferred",
                 "open_not_in_later_return", "x1_without_next", "ended_without_date", "adopted_no_record",
                 "no_header", "no_episodes", "dob_differs", "dob_month", "no_child_id", "unknown_table",
                 "after_year_end")


@cache
def codes() -> dict[str, Any]:
    """The SSDA903 code lists and table signatures (`timeline/vocab/ssda903-codes.yaml`)."""
    text = resources.files("timeline").joinpath("vocab").joinpath("ssda903-codes.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


# Steps to permanence a return never holds (DfE's 903 has no permanence plan, proceedings-issued or
# application date): a child's case says so, so they are "not recorded", never overdue or waiting.
NOT_IN_A_RETURN = ("permanence_recommended", "proceedings_issued", "application_lodged")

@dataclass(frozen=True, slots=True)
class Warning903:
    """One located inconsistency: which file and row (or XML element), which child, what is wrong."""

    kind: str
    file: str
    row: int | None
    child: str | None
    message: str
    element: str | None = None  # for XML: the element counted by `row` (EPISODE 3 = the file's third EPISODE)

    @property
    def where(self) -> str:
        """'episodes.csv row 12' or 'fake_903.xml EPISODE 3'."""
        if self.row is None:
            return self.file
        return f"{self.file} {self.element or 'row'} {self.row}"

    def problem(self) -> Problem:
        """The warning in the project's located-problem shape (`FILE:ROW: warning: child ID: message`)."""
        path = f"child {self.child}" if self.child else ""
        if self.element:
            path = f"{path} ({self.element} {self.row})".strip()
            return Problem(self.file, None, None, path, self.message, "warning")
        return Problem(self.file, self.row, None, path, self.message, "warning")

    def to_json(self) -> dict[str, Any]:
        """The warning as the report's JSON gives it (as the chronology import's problems, plus kind and child)."""
        return {"kind": self.kind, "file": self.file, "row": self.row, "element": self.element,
                "child": self.child, "message": self.message}


@dataclass(frozen=True, slots=True)
class Row:
    """One row of one table of one annual return (CSV row or XML element), cells by DfE column name."""

    table: str
    file: str
    row: int
    cells: dict[str, str]
    year: int  # index of its return among the returns read, oldest first
    element: str | None = None

    @property
    def where(self) -> str:
        """Where the row is, as a person finds it."""
        return f"{self.file} {self.element or 'row'} {self.row}"

    @property
    def child(self) -> str:
        """The child's ID (CHILD)."""
        return self.cells.get("CHILD", "").strip()

    def warning(self, kind: str, message: str) -> Warning903:
        """A located warning about this row."""
        return Warning903(kind, self.file, self.row, self.child or None, message, self.element)


@dataclass(frozen=True)
class Return:
    """One or several annual returns, read once: rows by child, the returns' year ends, file-level notes."""

    folder: str
    year_ends: tuple[date, ...]  # one per return, oldest first
    labels: tuple[str, ...]
    rows: dict[str, tuple[Row, ...]]  # child ID -> rows of every table, in return then file order
    warnings: tuple[Warning903, ...]  # about files and rows that belong to no child
    notes: tuple[str, ...]

    @property
    def children(self) -> tuple[str, ...]:
        """Every child ID the return holds (in any table), in first-seen order."""
        return tuple(self.rows)

    @property
    def looked_after(self) -> tuple[str, ...]:
        """The children with at least one episode (looked after at some time in the years read)."""
        return tuple(c for c, rows in self.rows.items() if any(r.table == "episodes" for r in rows))


@dataclass(frozen=True)
class RowOutcome:
    """What one source row became (events by index into the case's events), and what was said about it."""

    where: str
    table: str
    became: tuple[int, ...]
    notes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """The row's outcome as JSON."""
        return {"where": self.where, "table": self.table, "became": list(self.became), "notes": list(self.notes)}


@dataclass(frozen=True)
class ChildImport:
    """One child of a return as a validated case, the located warnings, and what each row became."""

    case: Case
    warnings: tuple[Warning903, ...]
    rows: tuple[RowOutcome, ...]

    def counts(self) -> dict[str, int]:
        """Warnings by kind."""
        out: dict[str, int] = {}
        for w in self.warnings:
            out[w.kind] = out.get(w.kind, 0) + 1
        return out

    def text(self) -> str:
        """The import report for a person: the child, then each row and what it became, then the warnings."""
        c = self.case
        lines = [f"SSDA903 import for {c.child.name}: {len(c.events)} events from {len(self.rows)} rows"]
        for r in self.rows:
            became = ", ".join(_event_text(c, i) for i in r.became) or "no event"
            lines.append(f"  {r.where}: {became}")
            lines.extend(f"      {n}" for n in r.notes)
        lines.extend(f"  warning: {w.where}: {w.message}" for w in self.warnings)
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        """The report as JSON: rows (where, became, notes), warnings (kind, file, row, child, message), counts."""
        return {"child": self.case.child.ref, "rows": [r.to_json() for r in self.rows],
                "warnings": [w.to_json() for w in self.warnings], "counts": self.counts()}


def _event_text(case: Case, index: int) -> str:
    e = case.events[index]
    end = f" to {e.last.isoformat()}" if e.is_span and e.last is not None else ""
    return f"{e.kind} {e.type} {e.first.isoformat()}{end}"


class UnknownChild(CaseError):
    """The child ID asked for is not in the return."""


# ---------------------------------------------------------------- reading the files


def is_ssda903(path: str | Path) -> bool:
    """True when `path` is a folder (or an XML file) holding an SSDA903 Episodes table, by its columns."""
    p = Path(path)
    try:
        files = [p] if p.is_file() else _files(p)
    except OSError:
        return False
    for f in files:
        if f.suffix.lower() == ".xml":
            try:
                head = read_limited(f, 4096, what="an SSDA903 XML file")[:4096]
            except CaseError:
                continue
            if b"<EXPSSDA903" in head or b"<CHILDID>" in head:
                return True
        elif f.suffix.lower() == ".csv":
            try:
                first = read_limited(f, 2048, what="an SSDA903 table")[:2048].split(b"\n", 1)[0]
            except CaseError:
                continue
            names = {c.strip().strip('"').upper() for c in first.decode("utf-8-sig", "replace").split(",")}
            if _table_of(names) == "episodes":
                return True
    return False


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    out = [f for f in sorted(folder.iterdir()) if f.is_file() and not f.name.startswith(".")]
    for sub in sorted(folder.iterdir()):
        if sub.is_dir() and not sub.name.startswith("."):
            out.extend(f for f in sorted(sub.iterdir()) if f.is_file() and not f.name.startswith("."))
    return out


def _table_of(columns: set[str]) -> str | None:
    for name, spec in codes()["tables"].items():
        if all(c in columns for c in spec["needs"]):
            return str(name)
    return None


def _year_label(text: str) -> int | None:
    """The year a return ends in, from a folder or file name: '2017', '2016-17' and '2016_2017' give 2017."""
    found = _YEAR.findall(text)
    if not found:
        return None
    first, tail = found[-1]
    year = int(first)
    if tail and len(found) == 1:
        later = int(str(year)[:2] + tail)
        year = later if later == year + 1 else year
    return year


def read_return(path: str | Path) -> Return:
    """Read a return folder (or one XML file) once: every table of every annual return it holds.

    A folder's own files are one return, unless their names carry years (`2017-episodes.csv`); each sub-folder
    is another return (`2016-17/`, `2017-18/`). The returns are put in year order: the year from the name,
    else the 31 March on or after the return's latest episode start (DECOM).
    """
    root = Path(path)
    if not root.exists():
        raise CaseError([Problem(str(path), None, None, "", "no such folder or file")])
    files = [root] if root.is_file() else _files(root)
    groups: dict[str, list[Path]] = {}
    for f in files:
        if f.suffix.lower() not in (".csv", ".xml"):
            continue
        rel = f.relative_to(root) if f != root else Path(f.name)
        key = rel.parts[0] if len(rel.parts) > 1 else (str(_year_label(f.stem) or ""))
        groups.setdefault(key, []).append(f)
    warnings: list[Warning903] = []
    notes: list[str] = []
    read: list[tuple[str, list[Row]]] = []
    for key, group in groups.items():
        rows: list[Row] = []
        has_csv = any(f.suffix.lower() == ".csv" for f in group)
        for f in group:
            name = str(f.relative_to(root)) if f != root else f.name
            if f.suffix.lower() == ".xml" and has_csv:  # the same return in its other form, or another one
                notes.append(f"{name}: an XML return beside CSV tables; the CSV tables are read (give the XML "
                             "file alone to read it)")
                continue
            if f.suffix.lower() == ".xml":
                rows.extend(_read_xml(f, name, warnings))
            else:
                rows.extend(_read_csv(f, name, warnings, notes))
        read.append((key, rows))
    if not any(r.table == "episodes" for _, rows in read for r in rows):
        raise CaseError([*(Problem(w.file, None, None, "", w.message) for w in warnings),
                         Problem(str(path), None, None, "", "holds no SSDA903 Episodes table (a CSV with the columns "
                                 "CHILD, DECOM, RNE, LS, PLACE ..., or an XML return with EPISODE elements)")])
    ends = [(_year_end(key, rows), key, rows) for key, rows in read if rows]
    ends.sort(key=lambda t: (t[0], t[1]))
    by_child: dict[str, list[Row]] = {}
    for index, (_, _, rows) in enumerate(ends):
        for r in rows:
            r2 = Row(r.table, r.file, r.row, r.cells, index, r.element)
            if not r2.child:
                warnings.append(r2.warning("no_child_id", f"{r.table} row has no CHILD id; not read"))
                continue
            by_child.setdefault(r2.child, []).append(r2)
    for end, key, _ in ends:
        notes.append(f"return {key or Path(path).name}: year ending {end.isoformat()}")
    return Return(str(path), tuple(e for e, _, _ in ends), tuple(k for _, k, _ in ends),
                  {c: tuple(rs) for c, rs in by_child.items()}, tuple(warnings), tuple(notes))


def _year_end(key: str, rows: list[Row]) -> date:
    year = _year_label(key) if key else None
    if year is not None:
        return date(year, 3, 31)
    latest: date | None = None
    for r in rows:
        if r.table == "episodes":  # an episode starts within its return's year; its end may be open or wrong
            d = _day(r.cells.get("DECOM", ""))
            if d is not None and (latest is None or d > latest):
                latest = d
    if latest is None:
        return date(1900, 3, 31)
    end = date(latest.year, 3, 31)
    return end if end >= latest else date(latest.year + 1, 3, 31)


def _read_csv(f: Path, name: str, warnings: list[Warning903], notes: list[str]) -> list[Row]:
    try:
        table = read_table(f)
    except CaseError as exc:
        warnings.extend(Warning903("unknown_table", name, None, None, p.message) for p in exc.problems)
        return []
    if not table.rows:
        return []
    renames = codes()["renames"]
    _, header = table.rows[0]
    columns = [renames.get(h.strip().upper(), h.strip().upper()) for h in header]
    kind = _table_of(set(columns))
    if kind is None:
        notes.append(f"{name}: not a table this reader uses (columns {', '.join(columns[:6])}); left aside")
        return []
    out: list[Row] = []
    for number, cells in table.rows[1:]:
        values = {c: (cells[i].strip() if i < len(cells) else "") for i, c in enumerate(columns)}
        out.append(Row(kind, name, number, values, 0))
    return out


def _read_xml(f: Path, name: str, warnings: list[Warning903]) -> list[Row]:
    import xml.etree.ElementTree as ET

    data = read_limited(f, MAX_XML_BYTES, what="an SSDA903 XML return")
    if len(data) > MAX_XML_BYTES:
        warnings.append(Warning903("unknown_table", name, None, None, "is larger than an SSDA903 return can be; "
                                   "not read"))
        return []
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # entities can expand without bound: a return needs none
        warnings.append(Warning903("unknown_table", name, None, None, "declares a DOCTYPE or entities, which an "
                                   "SSDA903 return never does; not read"))
        return []
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        warnings.append(Warning903("unknown_table", name, None, None, f"is not well-formed XML ({exc}); not read"))
        return []
    renames = codes()["renames"]
    counters: dict[str, int] = {}
    out: list[Row] = []

    def add(table: str, element: str, cells: dict[str, str]) -> None:
        counters[element] = counters.get(element, 0) + 1
        out.append(Row(table, name, counters[element], cells, 0, element))

    def flat(el: Any) -> dict[str, str]:
        return {renames.get(c.tag, c.tag): (c.text or "").strip() for c in el if len(c) == 0}

    for child in root.iter("CHILD"):
        head = child.find("HEADER")
        cells = flat(head) if head is not None else {}
        ident = cells.get("CHILD", "")
        add("header", "HEADER", cells)
        if head is not None:
            if cells.get("DATE_INT") or cells.get("DATE_MATCH"):
                add("ad1", "HEADER", {**cells})
                counters["HEADER"] -= 1
            for tag, table in (("AREVIEW", "reviews"), ("AD_PLACED", "placed_adoption"), ("AMISSING", "missing")):
                for el in head.iter(tag):
                    add(table, tag, {"CHILD": ident, **flat(el)})
        for el in child.iter("EPISODE"):
            add("episodes", "EPISODE", {"CHILD": ident, **flat(el)})
    return out


# ---------------------------------------------------------------- dates


def _day(text: str) -> date | None:
    """A full date as DfE writes it (dd/mm/yyyy; ISO yyyy-mm-dd from some extracts), else None."""
    text = text.strip()
    m = _DMY.match(text)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        m = _ISO.match(text)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return None


def _month(text: str) -> tuple[int, int] | None:
    """A month-only date (mm/yyyy or yyyy-mm), as some extracts give dates of birth."""
    text = text.strip()
    m = _MY.match(text)
    if m and 1 <= int(m[1]) <= 12:
        return int(m[2]), int(m[1])
    m = _ISO_MONTH.match(text)
    if m and 1 <= int(m[2]) <= 12:
        return int(m[1]), int(m[2])
    return None


# ---------------------------------------------------------------- one child


@dataclass
class _Draft:
    """An event being built, with the rows it came from (mutable while the child is read)."""

    data: dict[str, Any]
    rows: list[Row]
    sort: tuple[date, int]
    notes: list[str] = field(default_factory=list)


@dataclass
class _Episode:
    row: Row
    start: date
    end: date | None
    end_text: str | None  # the end as the case file writes it (with '?' when inferred)
    inferred: str | None = None  # why the end is inferred
    by_next: bool = False  # the inferred end is the next episode's start (the chart can infer it the same way)


def child_case(ret: Return, child_id: str, *, as_of: date | None = None) -> ChildImport:
    """The case of one child of the return (validated), its located warnings and what each row became.

    UnknownChild when the ID is not in the return; CaseError when no case can be made (no date of birth).
    """
    rows = ret.rows.get(child_id)
    if rows is None:
        held = len(ret.children)
        raise UnknownChild([Problem(ret.folder, None, None, "", f"no child with the ID '{child_id[:40]}' in this "
                                    f"return; it holds {held} child{'ren' if held != 1 else ''} "
                                    f"({len(ret.looked_after)} with episodes), e.g. "
                                    f"{', '.join(ret.looked_after[:3]) or 'none'}")])
    return _Child(ret, child_id, rows, as_of).build()


class _Reader:
    """One child's rows and what reading them has made so far: the events drafted, warnings and row notes."""

    def __init__(self, ret: Return, ident: str, rows: tuple[Row, ...], as_of: date | None) -> None:
        self.ret, self.ident, self.rows = ret, ident, rows
        self.as_of = as_of or ret.year_ends[-1]
        self.warnings: list[Warning903] = [w for w in ret.warnings if w.kind == "unknown_table"]  # a file unread
        self.drafts: list[_Draft] = []
        self.row_notes: dict[int, list[str]] = {}
        self.c = codes()

    def warn(self, row: Row, kind: str, message: str) -> None:
        self.warnings.append(row.warning(kind, message))
        self.row_notes.setdefault(id(row), []).append(f"warning: {message}")

    def note(self, row: Row, message: str) -> None:
        self.row_notes.setdefault(id(row), []).append(message)

    def table(self, name: str) -> list[Row]:
        return [r for r in self.rows if r.table == name]

    def date_of(self, row: Row, column: str, *, required: bool = True) -> date | None:
        text = row.cells.get(column, "")
        if not text:
            if required:
                self.warn(row, "bad_date", f"{column} is empty")
            return None
        d = _day(text)
        if d is None:
            self.warn(row, "bad_date", f"{column} '{text[:20]}' is not a date (dd/mm/yyyy)")
        elif d > self.ret.year_ends[row.year]:
            self.warn(row, "after_year_end", f"{column} {d:%d/%m/%Y} is after the end of its return's year "
                                             f"({self.ret.year_ends[row.year]:%d/%m/%Y}); kept as given")
        return d

    def add(self, data: dict[str, Any], rows: list[Row], day: date, order: int, notes: Iterable[str] = ()) -> None:
        if "date" in data:  # the same review or decision in two annual returns is one event
            same = (data["date"], data["kind"], data["type"])
            for d in self.drafts:
                if ((d.data.get("date"), d.data["kind"], d.data["type"]) == same
                        and {r.year for r in d.rows}.isdisjoint({r.year for r in rows})):
                    d.rows.extend(rows)
                    d.data["source"] = f"SSDA903 {_sources(d.rows)}"[:200]
                    for r in rows:
                        self.note(r, f"the same {data['kind']} as {d.rows[0].where} (another return): drawn once")
                    return
        sources = _sources(rows)
        data = {**data, "source": f"SSDA903 {sources}"[:200]}
        self.drafts.append(_Draft(data, rows, (day, order), list(notes)))

@dataclass
class _Lanes:
    """The placement and the order being drawn while a period of care's episodes are read, in order."""

    main: dict[str, Any] | None = None  # {type, code, label, eps, same_carer}
    temps: list[_Episode] = field(default_factory=list)  # temporary placements since the main one
    order: dict[str, Any] | None = None  # {type, code, label, eps}


class _Episodes(_Reader):
    """The episodes table read into periods of care, placements and legal statuses."""

    def episodes(self) -> list[_Episode]:
        """The child's episodes in date order, one copy of each, open ends inferred where the return implies one."""
        kept = self._distinct_episodes()
        adopted = [e for e in kept if self.c["rec"].get(e.row.cells.get("REC", ""), {}).get("adopted")]
        if adopted and not self.table("ad1"):
            e = adopted[-1]
            self.warn(e.row, "adopted_no_record", f"REC {e.row.cells['REC']} says the child was adopted, but the "
                                                  "return holds no AD1 row (adoption details) for the child")
        for i, e in enumerate(kept):
            nxt = kept[i + 1] if i + 1 < len(kept) else None
            if e.end is None:
                self._infer_end(e, nxt)
            self._check_next(e, nxt)
        return kept

    def _distinct_episodes(self) -> list[_Episode]:
        """Episodes with a readable start, sorted; an episode in two returns read once (the later return's
        copy replaces the earlier one), an exact repeat dropped with a warning."""
        found: list[_Episode] = []
        for r in self.table("episodes"):
            start = self.date_of(r, "DECOM")
            if start is None:
                self.note(r, "not drawn: the episode has no readable start (DECOM)")
                continue
            end = self.date_of(r, "DEC", required=False)
            if r.cells.get("DEC") and end is None:
                self.note(r, "its end (DEC) cannot be read: treated as open")
            found.append(_Episode(r, start, end, end.isoformat() if end else None))
        found.sort(key=lambda e: (e.start, e.row.year, e.row.row))
        kept: list[_Episode] = []
        for e in found:
            prev = kept[-1] if kept else None
            if prev is not None and prev.start == e.start:
                if prev.row.year != e.row.year:  # the later return's copy replaces the earlier one
                    self.note(prev.row, f"replaced by the later return's episode ({e.row.where})")
                    self.note(e.row, f"replaces the earlier return's episode starting the same day ({prev.row.where})")
                    kept[-1] = e
                    continue
                if prev.row.cells == e.row.cells:
                    self.warn(e.row, "duplicate", f"repeats {prev.row.where} exactly; read once")
                    continue
            kept.append(e)
        return kept

    def _infer_end(self, e: _Episode, nxt: _Episode | None) -> None:
        """An open episode's end, where the return implies one: the next episode's start (between the year's
        end and it, when that starts a new period of care), or the year's end when no later return holds the
        child; always said as inferred."""
        last_year = len(self.ret.year_ends) - 1
        if nxt is not None:
            year_end = self.ret.year_ends[e.row.year]
            if nxt.row.cells.get("RNE") == "S" and year_end < nxt.start:
                e.end_text = f"{year_end.isoformat()}/{(nxt.start - timedelta(days=1)).isoformat()}?"
                e.inferred = (f"end inferred: open in the return for the year ending {year_end:%d %b %Y}; "
                              f"the next episode ({nxt.row.where}) starts a new period of care, so it "
                              f"ended between then and {nxt.start:%d %b %Y}")
            else:
                e.end_text, e.by_next = f"{nxt.start.isoformat()}?", True
                e.inferred = f"end inferred: left open, and the next episode ({nxt.row.where}) starts then"
            e.end = nxt.start
            self.warn(e.row, "open_inferred", e.inferred)
        elif e.row.year < last_year:
            year_end = self.ret.year_ends[e.row.year]
            e.end, e.end_text = year_end, f"{year_end.isoformat()}?"
            e.inferred = (f"end inferred: open at {year_end:%d %b %Y}, and the child is in no later "
                          f"return, so the episode ended by then")
            self.warn(e.row, "open_not_in_later_return", e.inferred)
        rec = e.row.cells.get("REC", "")
        if rec and rec != "X1" and e.inferred is None:
            self.warn(e.row, "ended_without_date", f"REC {rec} says the period ended, but DEC is empty")

    def _check_next(self, e: _Episode, nxt: _Episode | None) -> None:
        """Warnings where an episode and the next do not meet: an overlap, a gap after X1, X1 with nothing next."""
        if nxt is not None and e.end is not None and e.inferred is None:
            if nxt.start < e.end:
                self.warn(nxt.row, "overlap", f"starts {nxt.start:%d/%m/%Y}, before the previous episode "
                                              f"({e.row.where}) ends {e.end:%d/%m/%Y}; both drawn as given")
            elif nxt.start > e.end and e.row.cells.get("REC", "") == "X1":
                self.warn(nxt.row, "gap", f"starts {nxt.start:%d/%m/%Y}, {(nxt.start - e.end).days} days after "
                                          f"the previous episode ({e.row.where}) ended with X1 (a new episode "
                                          f"the same day); the gap is left empty")
        if nxt is None and e.end is not None and e.row.cells.get("REC", "") == "X1":
            self.warn(e.row, "x1_without_next", "ends with X1 (a new episode the same day) but no episode follows")

    def periods(self, eps: list[_Episode]) -> list[list[_Episode]]:
        """Periods of care: from RNE S to the first REC other than X1 (an open or unreadable REC continues)."""
        out: list[list[_Episode]] = []
        for e in eps:
            rne = e.row.cells.get("RNE", "")
            prev = out[-1][-1] if out else None
            ended = prev is not None and prev.end is not None and prev.row.cells.get("REC", "") not in ("", "X1")
            if prev is None or ended or (rne == "S" and prev is not None):
                out.append([e])
                if rne != "S":
                    self.warn(e.row, "period_not_started", f"starts a period of care with RNE '{rne[:4]}', not S "
                                                           "(started to be looked after)")
            else:
                out[-1].append(e)
        return out

    def lanes(self, period: list[_Episode]) -> None:
        """A period of care's episodes as placements (a main one runs on while the carer stays; temporary ones
        are drawn over it) and orders (one while the legal status stays), then how the period ended."""
        lanes = _Lanes()
        for k, e in enumerate(period):
            cells = e.row.cells
            rne = self.c["rne"].get(cells.get("RNE", ""))
            if rne is None:
                self.warn(e.row, "unknown_code", f"RNE '{cells.get('RNE', '')[:8]}' is not a DfE code; read from the "
                                                 "placement and legal status themselves")
            self._place(lanes, e, k, rne)
            self._legal_status(lanes, e, rne)
        if lanes.main is not None:
            self.placement(lanes.main)
        if lanes.order is not None:
            self.order_event(lanes.order)
        self.period_end(period[-1])

    def _place(self, lanes: _Lanes, e: _Episode, k: int, rne: dict[str, Any] | None) -> None:
        """Episode `e`'s placement: a temporary one drawn over the main; the main one continued (same carer and
        code) or ended and a new one begun."""
        code = e.row.cells.get("PLACE", "")
        term = self.c["place"].get(code)
        if term is None:
            self.warn(e.row, "unknown_code", f"PLACE '{code[:8]}' is not a DfE placement code; drawn as 'other'")
            term = {"type": "other", "label": f"Placement code {code[:8] or '(blank)'} (not known)"}
        main = lanes.main
        if term.get("temporary"):
            if main is None:
                what = "starts a period of care" if k == 0 else "has no main placement before it"
                self.warn(e.row, "temporary_first", f"temporary placement {code} {what}; DfE rule 380 says a "
                                                    "period cannot start with one; drawn on its own")
            lanes.temps.append(e)
            self.temporary(e, term)
            return
        new_carer = rne is None or rne["carer"] or k == 0
        if main is not None and not new_carer and code == main["code"]:
            main["eps"].append(e)
            if lanes.temps:
                self.note(e.row, "returns to the placement before the temporary one")
        else:
            if main is not None and rne is not None and not rne["placement"]:
                self.warn(e.row, "rne_mismatch", f"PLACE changes ({main['code']} -> {code}) but RNE "
                                                 f"'{e.row.cells.get('RNE')}' says the placement did not")
            if main is not None and lanes.temps and main["eps"][-1].end == lanes.temps[0].start:
                self.warn(lanes.temps[0].row, "temporary_not_returned", "after this temporary placement the child "
                          "did not return to the placement before it (DfE rule 383)")
            if main is not None:
                self.placement(main)
            lanes.main = {"type": term["type"], "code": code, "label": term["label"], "eps": [e],
                          "same_carer": rne is not None and not rne["carer"] and k > 0}
        lanes.temps = []

    def _legal_status(self, lanes: _Lanes, e: _Episode, rne: dict[str, Any] | None) -> None:
        """Episode `e`'s legal status: the order running continued, or ended and the next begun (an unknown
        status ends it and draws none)."""
        ls = e.row.cells.get("LS", "")
        lterm = self.c["ls"].get(ls)
        order = lanes.order
        if lterm is None:
            self.warn(e.row, "unknown_code", f"LS '{ls[:8]}' is not a DfE legal status; no order drawn for it")
            if order is not None:
                self.order_event(order)
            lanes.order = None
            return
        if order is not None and ls == order["code"]:
            order["eps"].append(e)
            return
        if order is not None and rne is not None and not rne["legal"]:
            self.warn(e.row, "rne_mismatch", f"LS changes ({order['code']} -> {ls}) but RNE "
                                             f"'{e.row.cells.get('RNE')}' says the legal status did not")
        if order is not None:
            self.order_event(order)
        lanes.order = {"type": lterm["type"], "code": ls, "label": lterm["label"], "eps": [e]}

    def span(self, eps: list[_Episode]) -> tuple[dict[str, Any], list[str]]:
        last = eps[-1]
        out: dict[str, Any] = {"start": eps[0].start.isoformat()}
        notes = [ep.inferred for ep in eps if ep.inferred]
        if last.end_text is not None:
            out["end"] = last.end_text
        if last.by_next:
            out["_infer"] = last.end.isoformat() if last.end else None
        return out, [n for n in notes if n]

    def placement(self, main: dict[str, Any]) -> None:
        eps: list[_Episode] = main["eps"]
        dates, notes = self.span(eps)
        reason = self.c["reason_place_change"].get(eps[-1].row.cells.get("REASON_PLACE_CHANGE", ""))
        words = [f"PLACE {main['code']}: {main['label']}"]
        if main["same_carer"]:
            words.append("same carer as the placement before")
        if reason and eps[-1].end is not None and eps[-1].row.cells.get("REC") == "X1":
            words.append(f"ended: {reason}")
        label = main["label"] + (" (same carer)" if main["same_carer"] else "")
        self.add({"kind": "placement", "type": main["type"], **dates, "label": label[:120],
                  "note": "; ".join(words + notes)}, [e.row for e in eps], eps[0].start, 0)

    def temporary(self, e: _Episode, term: dict[str, Any]) -> None:
        dates, notes = self.span([e])
        self.add({"kind": "placement", "type": "temporary", **dates, "label": term["label"],
                  "note": "; ".join([f"PLACE {e.row.cells.get('PLACE')}: drawn over the main placement", *notes])},
                 [e.row], e.start, 1)

    def order_event(self, order: dict[str, Any]) -> None:
        eps: list[_Episode] = order["eps"]
        dates, notes = self.span(eps)
        self.add({"kind": "order", "type": order["type"], **dates, "label": order["label"][:120],
                  "note": "; ".join([f"LS {order['code']}: {order['label']}", *notes])},
                 [e.row for e in eps], eps[0].start, 2)

    def period_end(self, last: _Episode) -> None:
        rec_code = last.row.cells.get("REC", "")
        if not rec_code or last.end is None or last.inferred:
            return
        rec = self.c["rec"].get(rec_code)
        if rec is None:
            self.warn(last.row, "unknown_code", f"REC '{rec_code[:8]}' is not a DfE reason; the period ends as given")
            return
        if rec.get("continues"):
            return
        self.note(last.row, f"period of care ended: {rec['label']} (REC {rec_code})")
        if rec.get("order"):
            self.add({"kind": "order", "type": rec["order"], "start": last.end.isoformat(),
                      "label": rec["label"][:120], "note": f"REC {rec_code}: {rec['label']}; the order's date is "
                      "the day the last episode ended (DEC)"}, [last.row], last.end, 3)


class _Child(_Episodes):
    """Reads one child's rows into events (see the module docstring); warnings as it goes."""

    # -- the child
    def child(self) -> dict[str, Any]:
        headers = self.table("header")
        name = f"Child {self.ident[:40]}"
        dob_text = ""
        where: Row | None = None
        for h in reversed(headers):  # the latest return's header wins
            if h.cells.get("DOB"):
                if dob_text and h.cells["DOB"] != dob_text:
                    self.warn(h, "dob_differs", f"DOB {h.cells['DOB'][:12]} differs from the later return's "
                                                f"{dob_text[:12]}; the later is used")
                elif not dob_text:
                    dob_text, where = h.cells["DOB"], h
        if not headers:
            first = self.rows[0]
            self.warn(first, "no_header", "the child has no Header row; the date of birth is taken from another "
                                          "table")
            for r in self.rows:
                if r.cells.get("DOB"):
                    dob_text, where = r.cells["DOB"], r
                    break
        born = _day(dob_text)
        if born is None and where is not None:
            month = _month(dob_text)
            if month is not None:
                born = date(month[0], month[1], 15)
                shown = date(month[0], month[1], 1).strftime("%b %Y")
                name = f"{name} (born {shown}, day not given)"
                self.warn(where, "dob_month", f"DOB {dob_text} gives the month only; ages are counted from the "
                                              f"15th, so they may be out by half a month")
        if born is None:
            place = where.where if where is not None else self.rows[0].where
            raise CaseError([Problem(self.ret.folder, None, None, f"child {self.ident[:40]}",
                                     f"no readable date of birth (DOB '{dob_text[:20]}' at {place}); the child "
                                     "cannot be drawn against age")])
        return {"name": name, "date_of_birth": born.isoformat(), "ref": self.ident[:40]}

    # -- the other tables
    def reviews(self) -> None:
        words = self.c["review_code"]
        for r in self.table("reviews"):
            day = self.date_of(r, "REVIEW")
            if day is None:
                self.note(r, "not drawn: the review has no readable date")
                continue
            code = r.cells.get("REVIEW_CODE", "")
            how = words.get(code)
            if how is None and code:
                self.warn(r, "unknown_code", f"REVIEW_CODE '{code[:8]}' is not a DfE participation code")
            note = f"REVIEW_CODE {code}: {how}" if how else None
            self.add({"kind": "meeting", "type": "cla_review", "date": day.isoformat(), "label": "CLA review",
                      **({"note": note} if note else {})}, [r], day, 5)

    def adoption(self) -> None:
        decided: set[date] = set()
        for r in self.table("placed_adoption"):
            day = self.date_of(r, "DATE_PLACED")
            if day is None:
                self.note(r, "not drawn: no readable DATE_PLACED")
                continue
            decided.add(day)
            self.add({"kind": "milestone", "type": "adm_decision", "date": day.isoformat(),
                      "label": "Decision: should be placed for adoption",
                      "note": "PlacedAdoption DATE_PLACED is the date of the decision that the child should be "
                              "placed for adoption, not the day the child moved in (that is the start of the "
                              "adoptive placement)"}, [r], day, 4)
            ceased = self.date_of(r, "DATE_PLACED_CEASED", required=False)
            if ceased is not None:
                why = r.cells.get("REASON_PLACED_CEASED", "")
                self.add({"kind": "event", "type": "other", "date": ceased.isoformat(),
                          "label": "Decision to place for adoption no longer applies",
                          "note": f"PlacedAdoption DATE_PLACED_CEASED, REASON_PLACED_CEASED {why[:10] or '(blank)'}"},
                         [r], ceased, 4)
        for r in self.table("ad1"):
            day = self.date_of(r, "DATE_INT", required=False)
            if day is not None and day not in decided:
                self.add({"kind": "milestone", "type": "adm_decision", "date": day.isoformat(),
                          "label": "Decision: should be placed for adoption",
                          "note": "AD1 DATE_INT: the date of the decision that the child should be placed for "
                                  "adoption"}, [r], day, 4)
            elif day is not None:
                self.note(r, "DATE_INT is the PlacedAdoption decision already drawn")
            match = self.date_of(r, "DATE_MATCH", required=False)
            if match is not None:
                foster = " by their foster carers" if r.cells.get("FOSTER_CARE") == "1" else ""
                self.add({"kind": "milestone", "type": "matched", "date": match.isoformat(),
                          "label": f"Matched with adopters{foster}", "note": "AD1 DATE_MATCH"}, [r], match, 4)

    def missing(self) -> None:
        words = self.c["missing"]
        for r in self.table("missing"):
            start = self.date_of(r, "MIS_START")
            if start is None:
                self.note(r, "not drawn: no readable MIS_START")
                continue
            end = self.date_of(r, "MIS_END", required=False)
            what = words.get(r.cells.get("MISSING", ""))
            if what is None:
                self.warn(r, "unknown_code", f"MISSING '{r.cells.get('MISSING', '')[:8]}' is not M or A")
                what = "Missing or away from placement"
            when = f"{start.isoformat()}/{end.isoformat()}" if end is not None and end > start else start.isoformat()
            self.add({"kind": "event", "type": "missing", "date": when, "label": what}, [r], start, 6)

    def leave_to_chart(self) -> None:
        """An end inferred from the next episode's start is left out where the chart infers the same end (a
        main placement followed by another, an order followed by one that ends it: `facts.inferred_ends`), so
        it is drawn and listed as "end inferred from a later event"; elsewhere it stays an uncertain date (?).
        The event's note says why either way."""
        vocab = load_vocabulary("england-wales")
        starts: dict[str, list[dict[str, Any]]] = {}
        for d in self.drafts:
            if "start" in d.data:
                starts.setdefault(d.data["start"], []).append(d.data)
        for d in self.drafts:
            day = d.data.pop("_infer", None)
            if day is None:
                continue
            later = starts.get(day, [])
            kind, code = d.data["kind"], d.data["type"]
            if kind == "placement":
                ok = not vocab.term(kind, code).overlay and any(
                    x["kind"] == "placement" and not vocab.term("placement", x["type"]).overlay for x in later)
            else:
                ok = any(code in vocab.term(x["kind"], x["type"]).ends_orders for x in later)
            if ok:
                del d.data["end"]

    def build(self) -> ChildImport:
        child = self.child()
        eps = self.episodes()
        if not eps and not self.table("episodes"):
            self.warn(self.rows[0], "no_episodes", "the child has no episodes in the years read (not looked "
                                                   "after then)")
        for period in self.periods(eps):
            self.lanes(period)
        self.reviews()
        self.adoption()
        self.missing()
        self.drafts.sort(key=lambda d: d.sort)
        self.leave_to_chart()
        events = [d.data for d in self.drafts]
        data = {"version": 1, "child": child, "jurisdiction": "england-wales", "as_of": self.as_of.isoformat(),
                "records": {"steps_not_kept": list(NOT_IN_A_RETURN)}, "events": events}
        case = validate_data(data, SourceMap(file=f"{self.ret.folder} (child {self.ident[:40]})"))
        became: dict[int, list[int]] = {}
        for i, d in enumerate(self.drafts):
            for r in d.rows:
                became.setdefault(id(r), []).append(i)
        outcomes = tuple(RowOutcome(r.where, r.table, tuple(became.get(id(r), ())),
                                    tuple(self.row_notes.get(id(r), ()))) for r in self.rows)
        return ChildImport(case, tuple(self.warnings), outcomes)


def _sources(rows: list[Row]) -> str:
    """'episodes.csv rows 3, 4' (several files joined with '; ')."""
    by_file: dict[str, list[str]] = {}
    for r in rows:
        by_file.setdefault(r.file, []).append(str(r.row))
    parts = []
    for f, numbers in by_file.items():
        unit = rows[0].element or "row"
        parts.append(f"{f} {noun(len(numbers), unit)} {', '.join(numbers)}")
    return "; ".join(parts)


def read_child(path: str | Path, child_id: str, *, as_of: date | None = None) -> ChildImport:
    """Read the return at `path` and import one child (for `render --ssda903` and `import --ssda903`)."""
    return child_case(read_return(path), child_id, as_of=as_of)


__all__ = ["WARNING_KINDS", "ChildImport", "Return", "Row", "RowOutcome", "UnknownChild", "Warning903",
           "child_case", "codes", "is_ssda903", "read_child", "read_return"]
