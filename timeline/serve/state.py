"""Serve stage (workspace state): the chronology a browser is editing, held in memory, and what it became.

A workspace case is a *draft*: the spreadsheet as the user gave it (headers and rows of cell text, the
uploaded columns plus any added), the column mapping and the child's details. Every change makes a new
frozen draft (so undo is a list of earlier drafts sharing their unchanged rows) and runs the draft
through the one importer (`chronology.import_table`) to get the case, its problems by row and field, and
the import report. A row with a problem is kept exactly as typed and marked; the chart draws the other
rows. Nothing here touches the disk, and the store forgets idle cases after 30 minutes and the oldest
idle one when full, leaving a note so the owner is told why.
"""

from __future__ import annotations

import dataclasses
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..io.read import Table
from ..model.case import Case
from ..problems import CaseError, Problem

IDLE_SECONDS = 30 * 60  # an idle case is forgotten after this long
MAX_CASES = 40  # cases held at once (all browsers); the oldest idle one is forgotten to make room
MAX_OWNERS = 200  # browser sessions remembered (a cookie names one; it holds nothing itself)
MAX_UNDO = 50  # earlier drafts kept per case
MAX_CELL = 10_000  # characters in one edited cell (the importer's own limits are far lower)
MAX_GONE = 1000  # notes on forgotten cases kept, so a late request is told why
EDITABLE: tuple[str, ...] = ("date", "end", "kind", "type", "label", "note", "source", "status", "route")
HEADERS: dict[str, str] = {  # the column a field gets when the table has none for it (names the importer knows)
    "date": "Date", "end": "End date", "kind": "Kind", "type": "Type", "label": "Label", "note": "Note",
    "source": "Source", "status": "Status", "route": "Route", "category": "Category", "id": "Id",
}
TO_IMPORTER = {"label": "text"}  # the workspace's field -> the importer's (`columns=`) where they differ: a
# row's label is the text the importer reads (for the kind and type) and draws as the label
FROM_IMPORTER = {v: k for k, v in TO_IMPORTER.items()}
MULTI = frozenset({"label", "note", "source"})  # fields several columns may give (the importer joins them)
CHILD_FIELDS: tuple[str, ...] = ("name", "dob", "as_of", "ref")
_OPTION_PATHS = {"--name": "name", "--dob": "dob", "--as-of": "as_of", "--ref": "ref"}
_ROW_PATH = re.compile(r"^row (\d+)(?:, column '(.*)')?$")


class Gone(LookupError):
    """The case is not (or no longer) held; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class EditError(ValueError):
    """A change that cannot be made (an unknown field, a row that does not exist); the message says why."""


# ---------------------------------------------------------------- the draft


@dataclass(frozen=True, slots=True)
class Draft:
    """One state of a workspace case: the table as edited, its column mapping and the child's details."""

    file: str
    sheet: str | None
    from_case_file: bool  # uploaded as YAML/JSON (or started empty): the table is the canonical one
    preamble: tuple[tuple[int, tuple[str, ...]], ...]  # rows above the header row, kept as read
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, cells); numbers stay with their rows
    mapping: tuple[tuple[str, tuple[int, ...]], ...]  # field -> the columns holding it
    child: tuple[tuple[str, str], ...]  # name, dob, as_of, ref as typed
    jurisdiction: str = "scotland"
    next_row: int = 1

    @property
    def fields(self) -> dict[str, tuple[int, ...]]:
        """The mapping as a dict."""
        return dict(self.mapping)

    @property
    def child_values(self) -> dict[str, str]:
        """The child's details as typed."""
        return dict(self.child)

    def cell(self, cells: tuple[str, ...], name: str) -> str:
        """What a row holds for one field (several note columns joined as the importer joins them)."""
        where = self.fields.get(name, ())
        parts = [cells[i] for i in where if i < len(cells) and cells[i].strip()]
        return "\n\n".join(parts)

    def columns_json(self) -> dict[str, list[str]]:
        """The mapping by header text, as the import report gives it (contract B)."""
        return {f: [self.headers[i] for i in cols] for f, cols in self.mapping}


def draft_from_table(table: Table, *, header_row: int, mapping: Mapping[str, Iterable[int]],
                     child: Mapping[str, str], jurisdiction: str = "scotland") -> Draft:
    """A draft of an uploaded spreadsheet: rows above `header_row` are the preamble, the rest are data."""
    preamble = tuple(r for r in table.rows if r[0] < header_row)
    header = next((cells for n, cells in table.rows if n == header_row), ())
    rows = tuple(r for r in table.rows if r[0] > header_row)
    width = max([len(header), *(len(c) for _, c in rows)], default=0)
    headers = tuple(header) + tuple("" for _ in range(width - len(header)))
    last = max([header_row, *(n for n, _ in rows)])
    return Draft(file=table.file, sheet=table.sheet, from_case_file=False, preamble=preamble,
                 header_row=header_row, headers=headers, rows=rows,
                 mapping=tuple((f, tuple(c)) for f, c in mapping.items() if tuple(c)),
                 child=_child_tuple(child), jurisdiction=jurisdiction, next_row=last + 1)


CANONICAL: tuple[str, ...] = ("date", "end", "kind", "type", "label", "note", "source", "status", "route", "id")


def not_in_a_table(case: Case) -> list[str]:
    """What a case file holds that the workspace's table has no column for (it would be lost on the way back):
    named in plain words, so that the upload is refused instead."""
    found = []
    if case.jurisdiction != "scotland":
        found.append(f"the jurisdiction '{case.jurisdiction}'")
    if case.records.reviews != "partial":
        found.append("'records' (a complete record of reviews)")
    if case.undated:
        found.append("'undated' rows")
    if case.child_view is not None or case.child.known_as is not None:
        found.append("the child's own story settings ('child_view', 'known_as')")
    if any(e.for_child for e in case.events):
        found.append("'for_child' words")
    return found


def draft_from_case(case: Case | None, *, file: str, child: Mapping[str, str]) -> Draft:
    """A draft of a case file (or of an empty table): one row per event, in the importer's own columns.

    Rows are numbered from 1 so that "row 3" is the third event. Dates keep the precision they were given.
    """
    rows: list[tuple[int, tuple[str, ...]]] = []
    for n, event in enumerate(case.events if case else (), start=1):
        last = event.last
        cells = (event.first.isoformat(), last.isoformat() if (event.is_span and last is not None) else "",
                 event.kind, event.type, event.label or "", event.note or "", event.source or "",
                 "planned" if event.planned else "", getattr(event, "route", None) or "", event.id or "")
        rows.append((n, cells))
    return Draft(file=file, sheet=None, from_case_file=True, preamble=(), header_row=0,
                 headers=tuple(HEADERS[f] for f in CANONICAL), rows=tuple(rows),
                 mapping=tuple((f, (i,)) for i, f in enumerate(CANONICAL)), child=_child_tuple(child),
                 jurisdiction=case.jurisdiction if case else "scotland", next_row=len(rows) + 1)


_CASE_KEYS = frozenset({"version", "child", "jurisdiction", "as_of", "events"})
_CHILD_KEYS = frozenset({"name", "date_of_birth", "ref"})
_EVENT_KEYS = frozenset({"kind", "type", "date", "start", "end", "label", "note", "source", "status", "route", "id"})


def draft_from_data(data: Any, *, file: str, child: Mapping[str, str]) -> Draft | None:
    """A draft of a case file that parses but does not validate, its values kept as written so that each bad
    one is marked on its row; None when the file's shape does not fit a table without losing something (an
    unknown key, a list where a value belongs), and then its located problems are the answer."""
    if not isinstance(data, dict) or not set(data) <= _CASE_KEYS:
        return None
    if data.get("jurisdiction", "scotland") != "scotland" or data.get("version", 1) not in (1, "1"):
        return None
    person, events = data.get("child"), data.get("events")
    if not isinstance(person, dict) or not set(person) <= _CHILD_KEYS or not isinstance(events, list):
        return None
    scalar = (str, int, float)
    rows: list[tuple[int, tuple[str, ...]]] = []
    for n, event in enumerate(events, start=1):
        if not isinstance(event, dict) or not set(event) <= _EVENT_KEYS:
            return None
        if not all(v is None or isinstance(v, scalar) for v in event.values()):
            return None
        text = {k: "" if v is None else str(v) for k, v in event.items()}
        first = text.get("start") or text.get("date", "")
        rows.append((n, tuple(first if f == "date" else text.get(f, "") for f in CANONICAL)))
    details = {"name": str(person.get("name") or ""), "dob": str(person.get("date_of_birth") or ""),
               "as_of": str(data.get("as_of") or ""), "ref": str(person.get("ref") or "")}
    details.update({k: v for k, v in child.items() if v})
    return Draft(file=file, sheet=None, from_case_file=True, preamble=(), header_row=0,
                 headers=tuple(HEADERS[f] for f in CANONICAL), rows=tuple(rows),
                 mapping=tuple((f, (i,)) for i, f in enumerate(CANONICAL)), child=_child_tuple(details),
                 jurisdiction="scotland", next_row=len(rows) + 1)


def _child_tuple(child: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((k, str(child.get(k) or "")) for k in CHILD_FIELDS)


def _text(value: Any, what: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise EditError(f"{what} must be text")
    if len(value) > MAX_CELL:
        raise EditError(f"{what} is {len(value)} characters; at most {MAX_CELL} can be kept")
    return value


def _row_index(draft: Draft, number: int) -> int:
    for i, (n, _) in enumerate(draft.rows):
        if n == number:
            return i
    raise Gone(f"there is no row {number}")


def _with_column(draft: Draft, name: str) -> tuple[Draft, int]:
    """The column holding `name`, adding one at the end (with the importer's header) when there is none."""
    cols = draft.fields.get(name)
    if cols:
        return draft, cols[0]
    index = len(draft.headers)
    mapping = (*draft.mapping, (name, (index,)))
    return replace(draft, headers=(*draft.headers, HEADERS.get(name, name.capitalize())), mapping=mapping), index


def set_cells(draft: Draft, number: int, values: Mapping[str, Any]) -> Draft:
    """Row `number` with some fields replaced; the text goes into the field's first column, the others cleared."""
    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        raise EditError(f"'{unknown[0][:40]}' is not a field of a row; the fields are: {', '.join(EDITABLE)}")
    index = _row_index(draft, number)
    for name, raw in values.items():
        text = _text(raw, name)
        draft, col = _with_column(draft, name)
        cells = list(draft.rows[index][1])
        cells.extend("" for _ in range(len(draft.headers) - len(cells)))
        for other in draft.fields[name]:
            cells[other] = ""
        cells[col] = text
        rows = list(draft.rows)
        rows[index] = (number, tuple(cells))
        draft = replace(draft, rows=tuple(rows))
    return draft


def add_row(draft: Draft, values: Mapping[str, Any], *, copy_of: int | None = None) -> tuple[Draft, int]:
    """A new row (a copy of `copy_of`, placed after it; else at the end) with `values` filled in."""
    number = draft.next_row
    rows = list(draft.rows)
    if copy_of is not None:
        at = _row_index(draft, copy_of)
        rows.insert(at + 1, (number, draft.rows[at][1]))
    else:
        rows.append((number, ()))
    draft = replace(draft, rows=tuple(rows), next_row=number + 1)
    if values:
        draft = set_cells(draft, number, values)
    return draft, number


def delete_row(draft: Draft, number: int) -> Draft:
    """The draft without row `number`."""
    index = _row_index(draft, number)
    return replace(draft, rows=draft.rows[:index] + draft.rows[index + 1:])


def set_mapping(draft: Draft, columns: Mapping[str, Any]) -> Draft:
    """Fields -> header text (or a list of them; null = not used): the user's choice of column mapping."""
    fields = dict(draft.fields)
    for name, chosen in columns.items():
        if name not in HEADERS:
            raise EditError(f"'{str(name)[:40]}' is not a field; the fields are: {', '.join(HEADERS)}")
        names = [] if chosen in (None, "") else [chosen] if isinstance(chosen, str) else chosen
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise EditError(f"the column for {name} must be a header's text, a list of them, or null")
        indexes: list[int] = []
        for header in names:
            if header not in draft.headers:
                raise EditError(f"there is no column '{header[:40]}' (the columns are: "
                                f"{', '.join(h for h in draft.headers if h)})")
            indexes.append(draft.headers.index(header))
        if len(indexes) > 1 and name not in MULTI:
            raise EditError(f"the {name} comes from one column; choose one")
        fields[name] = tuple(indexes)
    if not fields.get("date"):
        raise EditError("every chronology needs a date column; choose which column holds the date")
    taken: dict[int, str] = {}
    for name, cols in fields.items():
        for c in cols:
            if c in taken:
                raise EditError(f"the column '{draft.headers[c][:40]}' cannot give both the {taken[c]} and the "
                                f"{name}; choose one")
            taken[c] = name
    return replace(draft, mapping=tuple((f, c) for f, c in fields.items() if c))


def set_child(draft: Draft, values: Mapping[str, Any]) -> Draft:
    """The child's name, date of birth, as-at date or reference as typed (checked by the importer)."""
    unknown = sorted(set(values) - set(CHILD_FIELDS))
    if unknown:
        raise EditError(f"'{unknown[0][:40]}' is not a detail of the child; they are: {', '.join(CHILD_FIELDS)}")
    child = draft.child_values
    for name, raw in values.items():
        child[name] = _text(raw, name)[:200]
    return replace(draft, child=_child_tuple(child))


# ---------------------------------------------------------------- what the draft became


@dataclass(frozen=True, slots=True)
class Located:
    """One problem or warning, by row (None: about the child or the whole table) and field."""

    row: int | None
    field: str | None
    column: str | None
    message: str
    severity: str = "error"

    def to_json(self) -> dict[str, Any]:
        """The API's form of a problem."""
        return {"row": self.row, "field": self.field, "column": self.column, "message": self.message}


@dataclass(frozen=True, slots=True)
class Derived:
    """What a draft became: the case of its good rows (None when nothing can be drawn), problems, the report."""

    case: Case | None
    problems: tuple[Located, ...]
    warnings: tuple[Located, ...]
    row_events: dict[int, tuple[int, ...]]  # row number -> 0-based event indexes
    report: dict[str, Any] | None

    @property
    def bad_rows(self) -> frozenset[int]:
        """Rows left out of the chart until fixed."""
        return frozenset(p.row for p in self.problems if p.row is not None)


def _importer_columns(draft: Draft) -> dict[str, str | list[str]]:
    """The draft's mapping in the importer's words (`columns=`): the workspace's label is its `text`."""
    headers = _importer_headers(draft)
    out: dict[str, str | list[str]] = {}
    for name, cols in draft.mapping:
        field_name = TO_IMPORTER.get(name, name)
        out[field_name] = [headers[c] for c in cols] if name in MULTI else headers[cols[0]]
    return out


def _importer_headers(draft: Draft) -> tuple[str, ...]:
    """The header row the importer is given. A column the user set to "not used" has no heading there, so
    the importer does not keep its cells in the note (it keeps every column nobody named); a heading that
    repeats an earlier one says which column it is, so that `columns=` (by heading text) names each column."""
    used = {c for _, cols in draft.mapping for c in cols}
    seen: set[str] = set()
    out: list[str] = []
    for i, text in enumerate(draft.headers):
        if i not in used:
            out.append("")
            continue
        key = " ".join(text.lower().split())
        if key in seen:
            text = f"{text} (column {i + 1})"
        seen.add(key)
        out.append(text)
    return tuple(out)


def _importer_table(draft: Draft, rows: Iterable[tuple[int, tuple[str, ...]]]) -> Table:
    """The draft as the importer reads it: its preamble, the header row, and `rows`."""
    return Table(file=draft.file, rows=(*draft.preamble, (draft.header_row, _importer_headers(draft)), *rows),
                 sheet=draft.sheet)


def _locate(problem: Problem, draft: Draft, column_fields: Mapping[str, str]) -> Located:
    """A problem of lint (its path already moved from events[i] to the row) by row and field."""
    if problem.path in _OPTION_PATHS:
        return Located(None, _OPTION_PATHS[problem.path], None, problem.message, problem.severity)
    m = _ROW_PATH.match(problem.path)
    if not m:
        return Located(None, None, None, (f"{problem.path}: " if problem.path else "") + problem.message,
                       problem.severity)
    return _at(int(m.group(1)), m.group(2), problem.message, problem.severity, draft, column_fields)


def _at(row: int | None, column: str | None, message: str, severity: str, draft: Draft,
        column_fields: Mapping[str, str]) -> Located:
    name = column_fields.get(column) if column else None
    if row is None or row <= draft.header_row:  # about the table or a column of the header row
        return Located(None, name, column, message, severity)
    return Located(row, name, column, message, severity)


def _column_fields(draft: Draft) -> dict[str, str]:
    """How the importer may name a column in a message (its heading, cut as the importer cuts it, or the
    field's own name) -> the workspace's field."""
    out: dict[str, str] = {}
    headers = _importer_headers(draft)
    for name, cols in draft.mapping:
        out.setdefault(name, name)
        out.setdefault(TO_IMPORTER.get(name, name), name)
        for c in cols:
            for text in (headers[c], draft.headers[c]):
                out.setdefault(text, name)
                out.setdefault(text if len(text) <= 40 else text[:39] + "…", name)
    for importer_name, name in (("text", "label"), ("label", "label"), ("note", "note"), ("start", "date")):
        out.setdefault(importer_name, name)
    return out


def _report_problems(report: Mapping[str, Any], problems: Iterable[Problem], draft: Draft,
                     names: Mapping[str, str]) -> list[Located]:
    """The import report's problems (row, column, message) by row and field. The report lists them in the
    order of the exception's problems, whose paths say which detail of the child an unlocated one is about."""
    paths = [p.path for p in problems]
    out: list[Located] = []
    for i, p in enumerate(report.get("problems") or ()):
        path = paths[i] if i < len(paths) else ""
        if p.get("row") is None and path in _OPTION_PATHS:
            out.append(Located(None, _OPTION_PATHS[path], None, p["message"]))
        else:
            out.append(_at(p.get("row"), p.get("column"), p["message"], "error", draft, names))
    return out


_WARNING_AT = re.compile(r"^row (\d+)(?:, column '(.*?)')?: (.*)$", re.S)


def _report_warnings(report: Mapping[str, Any], draft: Draft, names: Mapping[str, str]) -> list[Located]:
    """The import report's warnings, by the row they are in, and its notes about the whole table."""
    out: list[Located] = []
    for row in report.get("rows") or ():
        for text in row.get("warnings") or ():
            m = _WARNING_AT.match(text)
            if m:
                out.append(_at(int(m.group(1)), m.group(2), m.group(3), "warning", draft, names))
            else:
                out.append(_at(row["row"], None, text, "warning", draft, names))
    out.extend(Located(None, None, None, note, "warning") for note in report.get("notes") or ())
    return out


def table_mapping(table: Table, *, jurisdiction: str = "scotland") -> tuple[int, dict[str, tuple[int, ...]]]:
    """The header row and the columns the importer finds in an uploaded table (`chronology.find_columns`,
    which `import_table` itself calls), in the workspace's fields; a CaseError when no header is found."""
    from ..io.chronology import find_columns

    found, _notes = find_columns(table, jurisdiction=jurisdiction)
    return found.header_row, {FROM_IMPORTER.get(f, f): cols for f, cols in found.fields.items() if cols}


def derive(draft: Draft, *, today: Callable[[], date] = date.today) -> Derived:
    """Run the draft through the importer: the case of the rows that can be read, and every problem located.

    A first pass finds the rows with problems; they are left out and the rest imported again (a few rounds,
    as a later check may find more), so one bad row never hides the others from the chart. The report kept
    is the last import's, with the left-out rows put back as the first failing import read them.
    """
    names = _column_fields(draft)
    child = draft.child_values
    problems = [Located(None, what, None, f"is empty; give {label}")
                for what, label in (("name", "the child's name"), ("dob", "the date of birth"))
                if not child.get(what, "").strip()]
    if problems:
        return Derived(None, tuple(problems), (), {}, None)
    as_of: date | str = child.get("as_of") or today()
    rounds = _import_rounds(draft, as_of, names, problems)
    if isinstance(rounds, Derived):
        return rounds
    imported, failed_rows = rounds
    case = imported.case
    if isinstance(as_of, date) and case.child.date_of_birth > as_of:
        problems.append(Located(None, "dob", None, "is after today; check the date, or give the as-at date"))
        return Derived(None, _dedupe(problems), (), {}, None)
    report = imported.report.to_json()
    row_events = _report_row_events(report)
    if draft.from_case_file:
        case = _notes_stay_notes(case, draft, row_events)
    warnings = _report_warnings(report, draft, names)
    unread = _unread(warnings)
    problems.extend(dataclasses.replace(w, severity="error") for w in unread)
    problems.extend(_empty_rows(draft))
    warnings = [w for w in warnings if w not in unread]
    warnings.extend(_lint(case, imported, draft, names))
    warnings.extend(_route_not_read(case, draft, row_events))
    if failed_rows:
        order = {n: i for i, (n, _) in enumerate(draft.rows)}
        merged = [*report["rows"], *failed_rows.values()]
        report["rows"] = sorted(merged, key=lambda r: order.get(r["row"], len(order)))
    return Derived(case, _dedupe(problems), _dedupe(warnings), row_events,
                   _with_problems(report, problems, draft))


def _import_rounds(draft: Draft, as_of: date | str, names: Mapping[str, str],
                   problems: list[Located]) -> tuple[Any, dict[int, dict[str, Any]]] | Derived:
    """Import the draft, leaving out the rows a failing import located problems in, a few rounds: the last
    import (with a report) and the left-out rows as the failing import reported them; or, when nothing can
    be drawn, the Derived that says why. The problems found are added to `problems`."""
    from ..io.chronology import ImportFailed, import_table

    child = draft.child_values
    columns = _importer_columns(draft)
    left_out: set[int] = set()
    failed_rows: dict[int, dict[str, Any]] = {}  # a left-out row as the failing import reported it
    for _round in range(4):
        rows = [r for r in draft.rows if r[0] not in left_out]
        try:
            imported = import_table(_importer_table(draft, rows), name=child["name"], dob=child["dob"],
                                    ref=child.get("ref") or None, as_of=as_of, jurisdiction=draft.jurisdiction,
                                    columns=columns, exact_types=draft.from_case_file)
        except ImportFailed as exc:
            report = exc.report.to_json()
            found = _report_problems(report, exc.problems, draft, names)
            problems.extend(found)
            new_rows = {p.row for p in found if p.row is not None} - left_out
            if any(p.row is None for p in found) or not new_rows:
                return Derived(None, _dedupe(problems), (), {}, _with_problems(report, problems, draft))
            for row in report["rows"]:
                if row["row"] in new_rows:
                    failed_rows[row["row"]] = {**row, "became": [], "status": "error"}
            left_out |= new_rows
            continue
        except CaseError as exc:  # before any row is read (the columns): nothing located in a row
            problems.extend(Located(None, None, None, p.message) for p in exc.problems)
            return Derived(None, _dedupe(problems), (), {}, None)
        if imported.report is None:
            break
        return imported, failed_rows
    return Derived(None, _dedupe(problems), (), {}, None)


def _unread(warnings: list[Located]) -> list[Located]:
    """The importer's warnings about a date or type typed that cannot be read. Such a row is kept (undated, its
    end open, read from its text); in the workspace it is a problem on that field, marked as typed, until it is
    fixed. A type warning not placed on a field ("column 'type': 'Foster carr' is not a known type ...") is
    placed on the type (the list is changed in place, so the caller's copy holds the placed one)."""
    for i, w in enumerate(warnings):
        if w.field is None and w.message.startswith("column 'type'"):
            warnings[i] = dataclasses.replace(w, field="type")
    return [w for w in warnings if w.field in ("date", "end", "type") and w.row is not None
            and ("the row is kept with no date" in w.message or "the end is left open" in w.message
                 or "the row is read from its text" in w.message)]


def _route_not_read(case: Case, draft: Draft, row_events: Mapping[int, tuple[int, ...]]) -> list[Located]:
    """A route typed on a row that did not become a permanence recommendation: the importer reads a route only
    there, so it is not drawn; said on its field (the cell keeps what was typed) rather than dropped unsaid."""
    out = []
    cols = draft.fields.get("route", ())
    for number, cells in draft.rows:
        if number not in row_events or not draft.cell(cells, "route").strip():
            continue  # a row left out has its problem said already
        events = [case.events[i] for i in row_events.get(number, ()) if i < len(case.events)]
        if not any(getattr(e, "route", None) for e in events):
            out.append(Located(number, "route", draft.headers[cols[0]] if cols else None,
                               "is read only on a 'Permanence recommended' milestone, which this row is not; "
                               "the route is not drawn", "warning"))
    return out


def _empty_rows(draft: Draft) -> list[Located]:
    """A new, empty row: a problem on its date until the user types what happened."""
    date_col = next((cols[0] for f, cols in draft.mapping if f == "date"), None)
    return [Located(n, "date", draft.headers[date_col] if date_col is not None else None,
                    "is empty; give the date and what happened")
            for n, cells in draft.rows if not any(c.strip() for c in cells)]


def _with_problems(report: dict[str, Any], problems: Iterable[Located], draft: Draft) -> dict[str, Any]:
    """The report as the page shows it: every row of the draft counted, and the problems as located here."""
    listed = [p.to_json() for p in _dedupe(problems)]
    report["problems"] = listed
    report["counts"] = {**report.get("counts", {}), "rows": len(draft.rows), "problems": len(listed)}
    return report


def _notes_stay_notes(case: Case, draft: Draft, row_events: Mapping[int, tuple[int, ...]]) -> Case:
    """In a case file a note is for the table only; a chronology's importer draws a row's text as its label
    when the row has no label. For a case-file draft the columns are the case's own fields, so an event
    without a label keeps its note as a note (and no label), as the file had it."""
    events = list(case.events)
    changed = False
    for number, cells in draft.rows:
        if draft.cell(cells, "label").strip() or not draft.cell(cells, "note").strip():
            continue
        for index in row_events.get(number, ()):
            event = events[index]
            events[index] = event.model_copy(update={"label": None, "note": draft.cell(cells, "note").strip()})
            changed = True
    return case.model_copy(update={"events": tuple(events)}) if changed else case


def _lint(case: Case, imported: Any, draft: Draft, names: Mapping[str, str]) -> list[Located]:
    from ..io.chronology import _relocate
    from ..model.lint import lint_case

    return [_locate(_relocate(w, imported.rows), draft, names) for w in lint_case(case, imported.source)]


def _report_row_events(report: Mapping[str, Any]) -> dict[int, tuple[int, ...]]:
    """Row number -> the 0-based indexes of the events it became, as the import report says."""
    out: dict[int, tuple[int, ...]] = {}
    for row in report.get("rows") or ():
        indexes = tuple(int(b["index"]) for b in row.get("became") or ())
        if indexes:
            out[int(row["row"])] = indexes
    return out


def _dedupe(items: Iterable[Located]) -> tuple[Located, ...]:
    return tuple(dict.fromkeys(items))


# ---------------------------------------------------------------- one case, and the store of them


@dataclass
class WorkCase:
    """A case being worked on in one browser session: its current draft, undo history, options and result."""

    id: str
    owner: str
    draft: Draft
    derived: Derived
    last_used: float
    today: Callable[[], date]
    options: dict[str, str] = field(default_factory=lambda: {"view": "full", "page": "A4", "marking": ""})
    undo: list[Draft] = field(default_factory=list)
    version: int = 1
    last_edit: tuple[str, int, str] | None = None
    lock: threading.RLock = field(default_factory=threading.RLock)
    preview: tuple[tuple[Any, ...], bytes] | None = None  # the last chart drawn, by version and options

    def change(self, new: Draft, *, key: tuple[str, int, str] | None = None) -> None:
        """Make `new` the draft (keeping the old one for undo) and work out what it became.

        Typing into one field makes many changes; they are one step of undo (`key` names the field).
        """
        if key is None or key != self.last_edit:
            self.undo.append(self.draft)
            del self.undo[:-MAX_UNDO]
        self.last_edit = key
        self.draft = new
        self.derived = derive(new, today=self.today)
        self.version += 1

    def undo_last(self) -> bool:
        """Back to the draft before the last change; False when there is nothing to undo."""
        if not self.undo:
            return False
        self.draft = self.undo.pop()
        self.last_edit = None
        self.derived = derive(self.draft, today=self.today)
        self.version += 1
        return True


class Store:
    """Every case held by the server, bounded in number and idle time; `clock` is injectable for tests."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, today: Callable[[], date] = date.today,
                 max_cases: int = MAX_CASES, idle_seconds: float = IDLE_SECONDS) -> None:
        self.clock = clock
        self.today = today
        self.max_cases = max_cases
        self.idle_seconds = idle_seconds
        self._cases: OrderedDict[str, WorkCase] = OrderedDict()
        self._gone: OrderedDict[str, str] = OrderedDict()
        self._owners: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    # browser sessions (the cookie's random id; it names the session, nothing more)

    def new_owner(self) -> str:
        """A new browser session id."""
        sid = secrets.token_urlsafe(24)
        with self._lock:
            self._owners[sid] = self.clock()
            while len(self._owners) > MAX_OWNERS:
                old, _ = self._owners.popitem(last=False)
                self._drop_owner_cases(old, "the server was holding too many browser sessions")
        return sid

    def known_owner(self, sid: str | None) -> bool:
        """True when `sid` is a live browser session (and marks it used)."""
        if not sid:
            return False
        with self._lock:
            if sid not in self._owners:
                return False
            self._owners[sid] = self.clock()
            self._owners.move_to_end(sid)
            return True

    def _drop_owner_cases(self, owner: str, reason: str) -> None:
        for cid in [c.id for c in self._cases.values() if c.owner == owner]:
            self._forget(cid, reason)

    # cases

    def _forget(self, cid: str, reason: str) -> None:
        self._cases.pop(cid, None)
        self._gone[cid] = reason
        while len(self._gone) > MAX_GONE:
            self._gone.popitem(last=False)

    def sweep(self) -> None:
        """Forget every case idle for longer than the limit."""
        now = self.clock()
        with self._lock:
            for cid in [c.id for c in self._cases.values() if now - c.last_used > self.idle_seconds]:
                self._forget(cid, f"it was forgotten after {int(self.idle_seconds // 60)} minutes without use; "
                                   "nothing of it was kept. Upload the file again to go on")

    def add(self, owner: str, draft: Draft) -> tuple[WorkCase, bool]:
        """Hold a new case; True as the second value when an older idle case had to be forgotten for it."""
        derived = derive(draft, today=self.today)
        self.sweep()
        with self._lock:
            evicted = False
            while len(self._cases) >= self.max_cases:
                oldest = min(self._cases.values(), key=lambda c: c.last_used)
                self._forget(oldest.id, f"it was forgotten to make room: the server holds at most "
                                        f"{self.max_cases} cases, and it had been unused the longest. Upload the "
                                        "file again to go on")
                evicted = True
            cid = secrets.token_urlsafe(12)
            case = WorkCase(id=cid, owner=owner, draft=draft, derived=derived, last_used=self.clock(),
                            today=self.today)
            self._cases[cid] = case
            return case, evicted

    def get(self, cid: str, owner: str) -> WorkCase:
        """The case `cid` if `owner` may see it ('*' = the token holder sees every case); Gone otherwise."""
        self.sweep()
        with self._lock:
            case = self._cases.get(cid)
            if case is None or (owner != "*" and case.owner != owner):
                reason = self._gone.get(cid) if case is None else None
                raise Gone(f"This case is not held: {reason}." if reason else
                           "There is no such case here (it may have been cleared); upload the file again")
            case.last_used = self.clock()
            return case

    def delete(self, cid: str, owner: str) -> None:
        """Forget a case now (the user's Clear)."""
        self.get(cid, owner)
        with self._lock:
            self._forget(cid, "it was cleared")

    def clear_owner(self, owner: str) -> int:
        """Forget every case of one browser session; how many there were."""
        with self._lock:
            mine = [c.id for c in self._cases.values() if c.owner == owner]
            for cid in mine:
                self._forget(cid, "it was cleared")
            return len(mine)

    def cases_of(self, owner: str) -> list[WorkCase]:
        """The cases a browser session holds, newest first."""
        self.sweep()
        with self._lock:
            return [c for c in reversed(self._cases.values()) if owner in ("*", c.owner)]

    def __len__(self) -> int:
        return len(self._cases)
