"""Input stage: the only place that reads case files; bytes -> plain data + where each value stood.

YAML and JSON are parsed into plain Python data with a map from data paths to line:column, so that a
validation error can say `case.yaml:14:10: events[3].end: ...`. YAML timestamps stay strings (a bad date
must be a located error, not a crash), and duplicate keys, alias bombs, deep nesting, binary or oversized
files are refused with plain messages.

This module reads the files and holds the public entry points (`load_case`, `load_text`, `read_text`,
`read_table`, `parse_document`, `validate_data`); the parts live beside it: `io_events` (the YAML event
builder), `io_json` (the located JSON parser), `io_messages` (source maps, quoting, pydantic's errors in
the user's words) and `io_tables` (CSV and XLSX cells). Their names are importable from here as before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..model.case import MAX_EVENTS, Case
from ..problems import CaseError, Loc, Problem
from .events import parse_yaml
from .jsondoc import MAX_NUMBER_DIGITS, parse_json
from .messages import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_NODES,
    QUOTE_LIMIT,
    Lines,
    SourceMap,
    cut,
    in_file_order,
    problems_from_validation,
    validation_message,
)
from .tables import (
    MAX_CELL_CHARS,
    MAX_MERGED_RANGES,
    MAX_TABLE_COLUMNS,
    MAX_TABLE_ROWS,
    MAX_XLSX_CELLS,
    MAX_XLSX_MEMBERS,
    MAX_XLSX_SHARED_STRINGS,
    MAX_XLSX_UNPACKED,
    TABLE_SUFFIXES,
    Table,
    is_table,
    read_csv_text,
    read_table_data,
    table_fail,
)

CASE_SUFFIXES = (".yaml", ".yml", ".json")

__all__ = [
    "CASE_SUFFIXES", "MAX_BYTES", "MAX_CELL_CHARS", "MAX_DEPTH", "MAX_MERGED_RANGES", "MAX_NODES",
    "MAX_NUMBER_DIGITS", "MAX_TABLE_COLUMNS", "MAX_TABLE_ROWS", "MAX_XLSX_CELLS", "MAX_XLSX_MEMBERS",
    "MAX_XLSX_SHARED_STRINGS", "MAX_XLSX_UNPACKED", "QUOTE_LIMIT", "TABLE_SUFFIXES", "Lines", "Loaded",
    "SourceMap", "Table", "as_of_today", "cut", "display_name", "is_table", "load_any", "load_case", "load_text",
    "parse_document",
    "parse_json", "parse_yaml", "read_csv_text", "read_limited", "read_table", "read_text", "validate_data",
    "validation_message",
]


@dataclass(frozen=True)
class Loaded:
    """A validated case with the map back to its file, and the warnings found while loading it."""

    case: Case
    source: SourceMap
    warnings: tuple[Problem, ...] = ()


def display_name(path: str | Path) -> str:
    """The file name as the user typed it (messages go to the user's own terminal, never into output)."""
    return str(path)


def read_limited(path: str | Path, limit: int, *, what: str = "a case file") -> bytes:
    """The first `limit + 1` bytes of a regular file; CaseError for a folder, a missing file, a device or FIFO.

    The file is opened without blocking and checked with fstat before a byte is read, so a FIFO (whose
    reader would wait for ever), a terminal or a device such as /dev/zero is refused, never read.
    """
    import os
    import stat

    name = display_name(path)

    def fail(message: str) -> CaseError:
        return CaseError([Problem(name, None, None, "", message)])

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise fail("no such file; check the name and folder") from None
    except PermissionError:
        raise fail("cannot be read (permission denied)") from None
    except IsADirectoryError:
        raise fail(f"is a folder, not {what}") from None
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror or 'error'})") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise fail(f"is a folder, not {what}")
        if not stat.S_ISREG(mode):
            raise fail(f"is not a regular file (a device, pipe or socket); give {what} saved on disk")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1)
    except OSError as exc:
        raise fail(f"cannot be read ({exc.strerror or 'error'})") from None
    finally:
        os.close(fd)


def read_text(path: str | Path, *, limit: int = MAX_BYTES) -> str:
    """Read a text file the careful way: size cap, binary check, UTF-8 with a located decoding error."""
    name = display_name(path)

    def fail(message: str, line: int | None = None, col: int | None = None) -> CaseError:
        return CaseError([Problem(name, line, col, "", message)])

    data = read_limited(path, limit)
    if len(data) > limit:
        raise fail(f"is larger than {limit // (1024 * 1024)} MB; a case file is normally a few KB")
    if not data.strip():
        raise fail("is empty; a case file needs at least `child:` and `events:` (try `timeline init`)")
    if b"\x00" in data:
        raise fail("is a binary file, not a YAML or JSON text file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        lines = Lines(data[: exc.start].decode("utf-8", errors="replace"))
        line, col = lines.at(len(data[: exc.start].decode("utf-8", errors="replace")))
        raise fail(
            "is not UTF-8 text (saved in another encoding?); save it as UTF-8 and try again", line, col
        ) from None

def validate_data(data: Any, source: SourceMap, *, as_of: date | None = None) -> Case:
    """Plain data -> Case, or CaseError with every problem located in the source file."""
    if not isinstance(data, dict):
        what = "a list" if isinstance(data, list) else "a single value"
        raise CaseError(
            [
                source.problem(
                    (), f"the top level is {what}; it must be a block of fields starting with `child:` and `events:`"
                )
            ]
        )
    if as_of is not None:
        data = {**data, "as_of": as_of.isoformat()}
    events = data.get("events")
    if isinstance(events, list) and len(events) > MAX_EVENTS:  # refuse before validating each one
        raise CaseError(
            [
                source.problem(
                    ("events",),
                    f"has {len(events)} events; at most {MAX_EVENTS} fit on one timeline (split the chronology "
                    "by period)",
                )
            ]
        )
    sink: list[tuple[Loc, str]] = []
    try:
        case = Case.model_validate(data, context={"problems": sink})
    except ValidationError as exc:
        raise CaseError(in_file_order([*source.problems, *problems_from_validation(exc, data, source)])) from None
    if sink or source.problems:
        raise CaseError(in_file_order([*source.problems, *(source.problem(loc, msg) for loc, msg in sink)]))
    return case


def parse_document(path: str | Path, text: str) -> tuple[Any, SourceMap]:
    """Choose the parser by suffix (.json is JSON; .yaml, .yml and anything else YAML)."""
    name = display_name(path)
    if str(path).lower().endswith(".json"):
        return parse_json(text, name)
    return parse_yaml(text, name)


def load_case(
    path: str | Path,
    *,
    as_of: date | None = None,
    today: Callable[[], date] = date.today,
) -> Loaded:
    """Read, parse and validate a case file; fill in `as_of` (option, file, else today); lint it."""
    return load_text(read_text(path), display_name(path), as_of=as_of, today=today)


def load_text(
    text: str,
    name: str = "<case>.yaml",
    *,
    as_of: date | None = None,
    today: Callable[[], date] = date.today,
) -> Loaded:
    """Validate case text (JSON when `name` ends in .json, else YAML) without touching the disk."""
    from ..model.lint import lint_case

    data, source = parse_document(name, text)
    case = validate_data(data, source, as_of=as_of)
    case = as_of_today(case, today, lambda message: source.problem(("child", "date_of_birth"), message))
    return Loaded(case=case, source=source, warnings=tuple(lint_case(case, source)))


def as_of_today(case: Case, today: Callable[[], date], dob_problem: Callable[[str], Problem]) -> Case:
    """`case` drawn up to today when neither the option nor the file gave an as-at date (the one place that
    default is applied); a date of birth after today is refused, located by `dob_problem`."""
    if case.as_of is not None:
        return case
    case = case.model_copy(update={"as_of": today()})
    if case.child.date_of_birth > case.as_of_date:
        raise CaseError([dob_problem("is after today; check the date")])
    return case


def load_any(
    path: str | Path,
    *,
    name: str | None = None,
    dob: str | date | None = None,
    ref: str | None = None,
    as_of: str | date | None = None,
    sheet: str | None = None,
    today: Callable[[], date] = date.today,
    jurisdiction: str | None = None,
) -> Loaded:
    """Any input the tool reads -> Loaded: a case file (YAML/JSON) or a chronology table (CSV/XLSX).

    Tables need the child's name and date of birth (a chronology does not hold them); `as_of` defaults to
    today for both, as for a case file that leaves it out. The chronology importer (`io.chronology`, its
    date forms and column words) is imported only for a table or an as-at date given as text: a case file's
    render does not pay for it.
    """
    if isinstance(as_of, str):
        from .chronology import full_date

        as_of = full_date(as_of, "as-of")
    if not is_table(path):
        return load_case(path, as_of=as_of, today=today)
    from .chronology import import_checked

    return import_checked(path, name=name, dob=dob, ref=ref, as_of=as_of, sheet=sheet, today=today,
                          jurisdiction=jurisdiction)


def read_table(path: str | Path, *, sheet: str | None = None, data: bytes | None = None) -> Table:
    """Read a CSV (UTF-8, comma/semicolon/tab), XLSX or Word (.docx) chronology into text cells; CaseError on any
    trouble.

    `data`: the file's bytes when they are already in memory (an upload to `timeline serve`, which never
    writes one to disk); `path` then only names the file and picks the reader by its suffix.
    """
    name = display_name(path)
    xlsx = str(path).lower().endswith((".xlsx", ".xlsm"))
    if sheet is not None and not xlsx:
        raise CaseError([Problem(name, None, None, "", "--sheet applies only to Excel (.xlsx) files")])
    data = _read_table_bytes(path, name, data)
    if not xlsx:
        from .docx import is_docx, read_docx  # the standard library's zip and XML, only for a Word document

        if name.lower().endswith(".docx") or is_docx(data):  # by its parts too: a .docx renamed .csv
            return read_docx(data, name)
    return read_table_data(data, name, xlsx=xlsx, sheet=sheet)


def _read_table_bytes(path: str | Path, name: str, data: bytes | None = None) -> bytes:
    """The table's bytes, under the same size limit whether read from disk or already in memory."""
    if data is None:  # bytes already in memory (an upload to `timeline serve`) meet the same size limit
        data = read_limited(path, MAX_BYTES, what="a chronology file")
    if len(data) > MAX_BYTES:
        raise table_fail(name, f"is larger than {MAX_BYTES // (1024 * 1024)} MB; a chronology is normally far smaller")
    return data
