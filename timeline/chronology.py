"""Input stage (tables): a social worker's chronology spreadsheet (CSV/XLSX rows) -> case data -> Case.

Chronologies are kept as spreadsheets, not YAML: one row per event with a date, perhaps a type, and free
text. This module reads such rows the way a person wrote them (UK day-first dates, "Jan 2016", "c. 2014",
"CSO", "Foster care"), keeps free-text rows as life events, and reports every bad row at once by its row
number and column, so the user can fix the spreadsheet they know rather than a file they never wrote.
`io` reads the bytes (`io.read_table`); the case data goes through `io.validate_data` like any case file.
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .dates import DateFormatError, parse_date
from .io import Loaded, SourceMap, Table, is_table, load_case, read_table, validate_data
from .model import EVENT_CLASSES, Case, Child
from .problems import CaseError, Problem
from .vocabulary import KINDS, SPAN_KINDS, Vocabulary, load_vocabulary

LABEL_MAX = 120  # the case format's limit for a label (model.py)
HEADER_SEARCH_ROWS = 10  # a title or notes block above the header row is skipped, up to this many rows
SUGGESTIONS = 2
SUGGEST_CUTOFF = 0.6
ELLIPSIS = "…"

# Column names people use in chronologies, normalised (lower case, punctuation to spaces).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "dates", "start", "start date", "date from", "from", "when", "event date", "date of event"),
    "end": ("end", "end date", "date to", "to", "until", "finish", "finish date", "date ended"),
    "kind": ("kind", "category", "kind of event"),
    "type": ("type", "event type", "type of event", "placement type", "order type"),
    "label": ("label", "title", "summary", "event", "short label", "heading"),
    "note": ("note", "notes", "details", "detail", "description", "comments", "comment", "narrative"),
    "source": ("source", "agency", "source agency", "information source", "recorded by", "organisation"),
    "status": ("status",),
    "route": ("route", "permanence route"),
    "id": ("id",),
}
FIELDS: tuple[str, ...] = tuple(COLUMN_ALIASES)

KIND_ALIASES: dict[str, str] = {
    "placements": "placement", "living": "placement", "where living": "placement", "accommodation": "placement",
    "orders": "order", "legal": "order", "legal order": "order", "legal status": "order",
    "hearings": "hearing", "court": "hearing", "childrens hearing": "hearing", "panel": "hearing",
    "meetings": "meeting", "review": "meeting", "reviews": "meeting",
    "milestones": "milestone", "permanence": "milestone",
    "events": "event", "life event": "event", "other": "event",
}

# Words social workers write for a type, beyond the vocabulary's own codes, names and abbreviations.
TYPE_ALIASES: dict[str, dict[str, str]] = {
    "placement": {
        "foster placement": "foster", "foster carers": "foster", "foster carer": "foster", "fostering": "foster",
        "kinship placement": "kinship", "kinship carers": "kinship", "kinship carer": "kinship",
        "residential unit": "residential", "childrens house": "residential", "residential school": "residential",
        "secure unit": "secure", "at home": "home", "home with parents": "home", "with parents": "home",
        "adoptive placement": "adoptive", "adoption placement": "adoptive", "prospective adopters": "adoptive",
        "supported accommodation": "supported", "independent living": "supported", "short break": "respite",
        "respite care": "respite",
    },
    "order": {
        "voluntary": "s25", "voluntary accommodation": "s25", "section 25": "s25", "s 25": "s25",
        "cp register": "cp_register", "cp registration": "cp_register", "registered": "cp_register",
        "child protection registration": "cp_register", "interim cso": "icso", "interim supervision order": "icso",
        "supervision order": "cso", "section 11": "s11", "s 11": "s11", "kinship care order": "kco",
    },
    "hearing": {"hearing": "childrens_hearing", "panel": "childrens_hearing", "childrens panel": "childrens_hearing",
                "sheriff court": "court"},
    "meeting": {
        "lac review": "laac_review", "laac": "laac_review", "lac": "laac_review",
        "looked after review": "laac_review", "looked after child review": "laac_review",
        "cp case conference": "cp_planning_meeting", "case conference": "cp_planning_meeting",
        "child protection case conference": "cp_planning_meeting", "cpcc": "cp_planning_meeting",
        "cp planning meeting": "cp_planning_meeting", "matching": "matching_panel",
    },
    "milestone": {"adm": "adm_decision", "adm decision": "adm_decision", "accommodated": "looked_after"},
    "event": {"nursery": "school", "new worker": "worker_change", "change of worker": "worker_change"},
}

STATUS_ALIASES: dict[str, str] = {
    "": "actual", "actual": "actual", "done": "actual", "happened": "actual", "completed": "actual",
    "planned": "planned", "plan": "planned", "proposed": "planned", "future": "planned", "expected": "planned",
}

_MONTHS: dict[str, int] = {}
for _n in range(1, 13):
    _MONTHS[calendar.month_name[_n].lower()] = _n
    _MONTHS[calendar.month_abbr[_n].lower()] = _n
_MONTHS["sept"] = 9

_APPROX_PREFIX = re.compile(
    r"^(?:circa|approximately|approx\.?|about|around|ca\.?|c\.?|~)\s*(?=[0-9a-z])", re.IGNORECASE
)
_APPROX_SUFFIX = re.compile(r"\s*(?:\(approx\.?\)|approx\.?|~)$", re.IGNORECASE)
_ISO = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_ISO_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_NUMERIC_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$")
_NUMERIC_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_TEXT_DMY = re.compile(r"^(?:(\d{1,2})(?:st|nd|rd|th)?[\s\-/.,]*)?([a-z]+)\.?[\s\-/.,]*(\d{4})$", re.IGNORECASE)
_RANGE = re.compile(r"^(.+?)\s+(?:-|–|—|to|until)\s+(.+)$", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-–]\s*(\d{4})$")

DATE_FORMS = "20/01/2016, 20 Jan 2016, Jan 2016, 2016 or c. 2016"


def _norm(text: str) -> str:
    """Lower case, apostrophes dropped, other punctuation as spaces: "Children's Hearing" -> "childrens hearing"."""
    text = text.lower().replace("’", "").replace("'", "")
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


# ---------------------------------------------------------------- dates


def chronology_date(text: str) -> str:
    """A date as people write it in a chronology -> the EDTF text of the case format; DateFormatError if unreadable.

    '20/01/2016' and '20.01.2016' and '20 Jan 2016' -> 2016-01-20; 'Jan 2016' -> 2016-01; 'c. 2014',
    'circa Mar 2016', '~2016' -> 2014~, 2016-03~, 2016~; a trailing '?' marks an uncertain date.
    """
    raw = text.strip()
    if not raw:
        raise DateFormatError(f"is empty; write the date, e.g. {DATE_FORMS}")
    qualifier = ""
    body = raw
    if body.endswith("?"):
        qualifier, body = "?", body[:-1].strip()
    prefix = _APPROX_PREFIX.match(body)
    if prefix:
        qualifier, body = "~", body[prefix.end():].strip()
    suffix = _APPROX_SUFFIX.search(body)
    if suffix and suffix.start() > 0:
        qualifier, body = "~", body[: suffix.start()].strip()
    core = _core_date(body, raw)
    result = core + qualifier
    parse_date(result)  # checks days and months exist; its message is already plain
    return result


def _core_date(body: str, raw: str) -> str:
    if _ISO.match(body):
        return body
    m = _ISO_TIME.match(body)
    if m:
        return m.group(1)
    m = _NUMERIC_DMY.match(body)
    if m:
        day, month, year = m.groups()
        if len(year) == 2:
            raise DateFormatError(f"'{_short(raw)}' has a two-digit year; write the year in full, e.g. "
                                  f"{int(day):02d}/{int(month):02d}/20{year}")
        return _ymd(int(year), int(month), int(day), raw)
    m = _NUMERIC_MY.match(body)
    if m:
        month, year = int(m.group(1)), int(m.group(2))
        _check_month(month, raw)
        return f"{year:04d}-{month:02d}"
    m = _TEXT_DMY.match(body)
    if m and m.group(2).lower() in _MONTHS:
        month = _MONTHS[m.group(2).lower()]
        year = int(m.group(3))
        if m.group(1) is None:
            return f"{year:04d}-{month:02d}"
        return _ymd(year, month, int(m.group(1)), raw)
    if m:
        near = difflib.get_close_matches(m.group(2).lower(), list(_MONTHS), n=1, cutoff=SUGGEST_CUTOFF)
        if near:
            raise DateFormatError(f"'{_short(raw)}': '{m.group(2)}' is not a month; did you mean "
                                  f"'{near[0].capitalize()}'?")
    raise DateFormatError(f"'{_short(raw)}' is not a date that can be read; write it as {DATE_FORMS}")


def _check_month(month: int, raw: str) -> None:
    if not 1 <= month <= 12:
        raise DateFormatError(f"'{_short(raw)}': month {month} does not exist; dates are read day first, "
                              "as in 20/01/2016")


def _ymd(year: int, month: int, day: int, raw: str) -> str:
    _check_month(month, raw)
    if year < 1:
        raise DateFormatError(f"'{_short(raw)}': year {year} is not a year")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise DateFormatError(f"'{_short(raw)}': day {day} does not exist in "
                              f"{calendar.month_abbr[month]} {year} (it has {last} days)")
    return f"{year:04d}-{month:02d}-{day:02d}"


def _split_range(text: str) -> tuple[str, str] | None:
    """'20/01/2016 - 02/07/2016' or '2014-2016' -> the two ends; None for a single date."""
    m = _YEAR_RANGE.match(text.strip()) or _RANGE.match(text.strip())
    return (m.group(1), m.group(2)) if m else None


def full_date(value: str | date, what: str) -> date:
    """A full date given as an option (date of birth, as-of), in any form `chronology_date` reads."""
    if isinstance(value, date):
        return value
    edtf = chronology_date(value)
    parsed = parse_date(edtf)
    if parsed.precision != "day" or parsed.qualifier:
        raise DateFormatError(f"'{_short(value)}': {what} needs a full date, e.g. 14/03/2015")
    return parsed.earliest


# ---------------------------------------------------------------- types and kinds


@dataclass(frozen=True, slots=True)
class _TypeIndex:
    """Every way of writing a type, normalised -> the (kind, code) pairs it may mean, and a name to suggest."""

    meanings: dict[str, tuple[tuple[str, str], ...]]
    shown: dict[str, str]


_TYPE_INDEXES: dict[int, tuple[Vocabulary, _TypeIndex]] = {}  # id -> (the vocabulary, kept alive; its index)


def _type_index(vocab: Vocabulary) -> _TypeIndex:
    """The index of one vocabulary, built once: rebuilding it for every row made a 1,000-row import take a
    second (the workspace re-imports the table on each edit)."""
    cached = _TYPE_INDEXES.get(id(vocab))
    if cached is not None and cached[0] is vocab:
        return cached[1]
    index = _build_type_index(vocab)
    _TYPE_INDEXES[id(vocab)] = (vocab, index)
    return index


def _build_type_index(vocab: Vocabulary) -> _TypeIndex:
    meanings: dict[str, list[tuple[str, str]]] = {}
    shown: dict[str, str] = {}

    def add(text: str, kind: str, code: str, display: str) -> None:
        key = _norm(text)
        if not key:
            return
        found = meanings.setdefault(key, [])
        if (kind, code) not in found:
            found.append((kind, code))
        shown.setdefault(key, display)

    for term in vocab.all_terms():
        add(term.label, term.kind, term.code, term.label)
        add(term.abbr, term.kind, term.code, term.abbr)
        add(term.code, term.kind, term.code, term.code)
        add(term.code.replace("_", " "), term.kind, term.code, term.label)
    for kind, aliases in TYPE_ALIASES.items():
        for text, code in aliases.items():
            if code in vocab.codes(kind):
                add(text, kind, code, vocab.term(kind, code).label)
    return _TypeIndex({k: tuple(v) for k, v in meanings.items()}, shown)


class RowError(ValueError):
    """A cell that cannot be used; the message says what to write instead."""


def match_kind(text: str, vocab: Vocabulary) -> str:
    """'Placement', 'Legal order', 'Review' ... -> a kind of the case format; RowError otherwise."""
    key = _norm(text)
    if key in KINDS:
        return key
    by_label = {_norm(label): kind for kind, label in vocab.kind_labels.items()}
    if key in by_label:
        return by_label[key]
    if key in KIND_ALIASES:
        return KIND_ALIASES[key]
    choices = [*KINDS, *by_label, *KIND_ALIASES]
    near = difflib.get_close_matches(key, choices, n=1, cutoff=SUGGEST_CUTOFF)
    hint = f"; did you mean '{near[0]}'?" if near else ""
    raise RowError(f"'{_short(text)}' is not a kind of event{hint} (one of: {', '.join(KINDS)})")


def match_type(text: str, kind: str | None, vocab: Vocabulary) -> tuple[str, str]:
    """A type written as a code, full name or abbreviation -> (kind, code); `kind` settles ambiguity."""
    index = _type_index(vocab)
    key = _norm(text)
    options = index.meanings.get(key, ())
    if kind is not None:
        fitting = [o for o in options if o[0] == kind]
        if fitting:
            return fitting[0]
        if options:
            kinds = " or ".join(sorted({k for k, _ in options}))
            raise RowError(f"'{_short(text)}' is a {kinds} type, not a {kind} type; correct the kind or the type")
    elif len(options) == 1:
        return options[0]
    elif any(k == "event" for k, _ in options):
        return next(o for o in options if o[0] == "event")  # "other" with no kind: a life event, as a typeless row
    elif options:
        kinds = ", ".join(k for k, _ in options)
        raise RowError(f"'{_short(text)}' could be a type of {kinds}; fill in the kind column to say which")
    keys = [k for k, v in index.meanings.items() if kind is None or any(o[0] == kind for o in v)]
    near = difflib.get_close_matches(key, keys, n=SUGGESTIONS, cutoff=SUGGEST_CUTOFF)
    names = list(dict.fromkeys(index.shown[k] for k in near))
    what = f"{kind} type" if kind else "type"
    if names:
        hint = "; did you mean " + " or ".join(f"'{n}'" for n in names) + "?"
    else:
        hint = "; `timeline vocab` lists the types (leave the type empty for a free-text event)"
    raise RowError(f"'{_short(text)}' is not a known {what}{hint}")


# ---------------------------------------------------------------- rows


@dataclass(frozen=True, slots=True)
class Columns:
    """Which column index holds which field; the header row's number and the header texts."""

    header_row: int
    headers: tuple[str, ...]
    fields: dict[str, tuple[int, ...]]


def find_columns(table: Table) -> tuple[Columns, list[Problem]]:
    """The header row (the first row naming a date column) and what each column means; warnings for unused ones."""
    alias_to_field = {alias: f for f, aliases in COLUMN_ALIASES.items() for alias in aliases}
    for number, cells in table.rows[:HEADER_SEARCH_ROWS]:
        normed = [_norm(c) for c in cells]
        if not any(alias_to_field.get(n) == "date" for n in normed):
            continue
        fields: dict[str, list[int]] = {}
        warnings: list[Problem] = []
        problems: list[Problem] = []
        for i, (cell, key) in enumerate(zip(cells, normed, strict=True)):
            if not key:
                continue
            field = alias_to_field.get(key)
            if field is None:
                near = difflib.get_close_matches(key, list(alias_to_field), n=1, cutoff=SUGGEST_CUTOFF)
                hint = f" (did you mean '{near[0]}'?)" if near else ""
                warnings.append(Problem(table.file, None, None, f"row {number}, column '{_short(cell)}'",
                                        f"is not used{hint}; known columns: {', '.join(FIELDS)}",
                                        severity="warning"))
                continue
            fields.setdefault(field, []).append(i)
        for field, where in fields.items():
            if len(where) > 1 and field != "note":
                names = " and ".join(f"'{_short(cells[i])}'" for i in where)
                problems.append(Problem(table.file, None, None, f"row {number}",
                                        f"columns {names} both give the {field}; keep one"))
        if problems:
            raise CaseError(problems)
        return Columns(number, cells, {f: tuple(w) for f, w in fields.items()}), warnings
    first = table.rows[0][1] if table.rows else ()
    seen = ", ".join(f"'{_short(c, 20)}'" for c in first if c) or "nothing"
    raise CaseError([Problem(table.file, None, None, f"row {table.rows[0][0] if table.rows else 1}",
                             f"no 'date' column found in the header row (it has {seen}); the first row should "
                             "name the columns, e.g. Date, Type, Details")])


def _label_and_note(text: str) -> tuple[str | None, str | None]:
    """Free text -> (short label for the chart, full text for the table when the label had to be cut)."""
    text = text.strip()
    if not text:
        return None, None
    first_line = " ".join(text.splitlines()[0].split())
    if first_line == text and len(text) <= LABEL_MAX:
        return text, None
    sentence = re.match(r"^(.+?[.!?])\s", first_line)
    if len(first_line) > LABEL_MAX and sentence and len(sentence.group(1)) <= LABEL_MAX:
        first_line = sentence.group(1)  # the first sentence says it; the note keeps the rest
    elif len(first_line) > LABEL_MAX:
        cut = first_line[: LABEL_MAX - len(ELLIPSIS)]
        space = cut.rfind(" ")
        if space > LABEL_MAX // 2:
            cut = cut[:space]
        first_line = cut.rstrip(" ,;:-") + ELLIPSIS
    elif first_line != text:
        first_line = first_line if len(first_line) + len(ELLIPSIS) > LABEL_MAX else first_line + ELLIPSIS
    return first_line, text


@dataclass(frozen=True, slots=True)
class _Row:
    """One table row as case data, with where each field came from (for messages)."""

    number: int
    event: dict[str, Any]
    columns: dict[str, str]  # event field -> header text of the column it came from


def _column_name(field: str, header: str) -> str:
    """How a column is named in messages: the field ('type') when the header says just that, else the header."""
    return field if _norm(header) == field else header


def _cell(cells: tuple[str, ...], where: tuple[int, ...]) -> str:
    parts = [cells[i].strip() for i in where if i < len(cells) and cells[i].strip()]
    return "\n\n".join(parts)


def row_event(number: int, cells: tuple[str, ...], columns: Columns, vocab: Vocabulary, file: str
              ) -> tuple[_Row | None, list[Problem]]:
    """One data row -> (event data, problems); every problem names the row and the column."""
    problems: list[Problem] = []
    header = {f: _column_name(f, columns.headers[w[0]]) for f, w in columns.fields.items()}

    def bad(field: str, message: str) -> None:
        problems.append(Problem(file, None, None, f"row {number}, column '{_short(header.get(field, field))}'",
                                message))

    value = {f: _cell(cells, w) for f, w in columns.fields.items()}
    kind: str | None = None
    if value.get("kind"):
        try:
            kind = match_kind(value["kind"], vocab)
        except RowError as exc:
            bad("kind", str(exc))
    code: str | None = None
    if value.get("type"):
        try:
            kind, code = match_type(value["type"], kind, vocab)
        except RowError as exc:
            bad("type", str(exc))
    elif not value.get("kind") or kind is not None:
        kind = kind or "event"
        if "other" in vocab.codes(kind):
            code = "other"
        else:
            bad("type", f"is empty; a {kind} needs a type (one of: {', '.join(vocab.codes(kind))})")

    start = end = None
    date_text = value.get("date", "")
    end_text = value.get("end", "")
    pair = _split_range(date_text) if date_text and not end_text else None
    if pair and (kind in SPAN_KINDS or kind is None):
        date_text, end_text = pair
    try:
        start = chronology_date(date_text)
    except DateFormatError as exc:
        bad("date", str(exc) if date_text else f"is empty; every row needs a date, e.g. {DATE_FORMS}")
    if end_text:
        try:
            end = chronology_date(end_text)
        except DateFormatError as exc:
            bad("end", str(exc))
        if kind is not None and kind not in SPAN_KINDS and end is not None:
            bad("end", f"a {kind} happens on one date; leave the end empty (only placements and orders run "
                       "from a start to an end)")

    label, note = None, None
    from_column = {"label": header.get("label", "label"), "note": header.get("note", "note")}
    if value.get("label"):
        label, note = _label_and_note(value["label"])
        if value.get("note"):
            note = value["note"] if note is None else f"{note}\n\n{value['note']}"
            from_column["note"] = header.get("note", "note")
        else:
            from_column["note"] = header.get("label", "label")
    elif value.get("note"):
        label, note = _label_and_note(value["note"])
        from_column["label"] = header.get("note", "note")

    status = STATUS_ALIASES.get(_norm(value.get("status", "")))
    if status is None:
        bad("status", f"'{_short(value['status'])}' is not a status; write planned (a future or proposed event) "
                      "or leave it empty")
    if problems or kind is None or code is None or start is None:
        return None, problems

    event: dict[str, Any] = {"kind": kind, "type": code}
    if kind in SPAN_KINDS:
        event["start"] = start
        if end is not None:
            event["end"] = end
    else:
        event["date"] = start
    if value.get("route"):
        event["route"] = _norm(value["route"]).replace(" ", "_")
    for field, text in (("label", label), ("note", note), ("source", value.get("source") or None)):
        if text is not None:
            event[field] = text
    if status == "planned":
        event["status"] = "planned"
    if value.get("id"):
        event["id"] = value["id"]
    where = {**{f: header[f] for f in header}, **from_column, "start": header.get("date", "date")}
    row = _Row(number, event, where)
    try:
        EVENT_CLASSES[kind].model_validate(event)
    except ValidationError as exc:
        for err in exc.errors(include_input=False, include_url=False):
            field = str(err["loc"][0]) if err["loc"] else "date"
            message = str(err["msg"])
            if err["type"] == "string_too_long":
                limit = (err.get("ctx") or {}).get("max_length")
                message = f"is {len(str(event.get(field, '')))} characters; at most {limit} fit: shorten it"
            elif err["type"] == "end_before_start":
                field = "end"
            column = where.get(field, header.get(field, field))
            problems.append(Problem(file, None, None, f"row {number}, column '{_short(column)}'",
                                    message[:1].lower() + message[1:]))
        return None, problems
    return row, problems


# ---------------------------------------------------------------- whole table


@dataclass(frozen=True)
class Imported:
    """A case built from a chronology table, with the warnings found on the way (unused columns, lint)."""

    case: Case
    source: SourceMap
    warnings: tuple[Problem, ...] = ()
    rows: tuple[_Row, ...] = ()  # the row each event came from, in event order (for later warnings)


_EVENT_PATH = re.compile(r"^events\[(\d+)\](?:\.(\w+))?")


def _relocate(problem: Problem, rows: list[_Row] | tuple[_Row, ...]) -> Problem:
    """A problem about events[i].field -> the same problem about its row and column."""
    m = _EVENT_PATH.match(problem.path)
    if not m or int(m.group(1)) >= len(rows):
        return problem
    row = rows[int(m.group(1))]
    field = m.group(2)
    where = f"row {row.number}" + (f", column '{_short(row.columns.get(field, field))}'" if field else "")
    return Problem(problem.file, None, None, where, problem.message, problem.severity)


def import_table(
    table: Table,
    *,
    name: str,
    dob: str | date,
    ref: str | None = None,
    as_of: str | date | None = None,
    jurisdiction: str = "scotland",
) -> Imported:
    """Table rows -> a validated case (as_of left out when not given); CaseError listing every bad row."""
    vocab = load_vocabulary(jurisdiction)
    columns, warnings = find_columns(table)
    problems: list[Problem] = []
    child: dict[str, Any] = {"name": name}
    for option, what, raw in (("--dob", "the date of birth", dob), ("--as-of", "as-of", as_of)):
        if raw is None:
            continue
        try:
            parsed = full_date(raw, what)
        except DateFormatError as exc:
            problems.append(Problem(table.file, None, None, option, str(exc)))
            continue
        if option == "--dob":
            child["date_of_birth"] = parsed.isoformat()
        else:
            as_of = parsed
    if ref:
        child["ref"] = ref
    try:
        Child.model_validate({**child, "date_of_birth": child.get("date_of_birth", "2000-01-01")})
    except ValidationError as exc:
        for err in exc.errors(include_input=False, include_url=False):
            option = {"name": "--name", "ref": "--ref"}.get(str(err["loc"][0]), "--dob")
            message = str(err["msg"])
            problems.append(Problem(table.file, None, None, option, message[:1].lower() + message[1:]))

    rows: list[_Row] = []
    for number, cells in table.rows:
        if number <= columns.header_row:
            continue
        row, found = row_event(number, cells, columns, vocab, table.file)
        problems.extend(found)
        if row is not None:
            rows.append(row)
    if problems:
        raise CaseError(problems)

    data: dict[str, Any] = {"version": 1, "child": child, "jurisdiction": jurisdiction}
    if isinstance(as_of, date):
        data["as_of"] = as_of.isoformat()
    data["events"] = [r.event for r in rows]
    source = SourceMap(table.file)
    try:
        case = validate_data(data, source)
    except CaseError as exc:
        raise CaseError([_relocate(p, rows) for p in exc.problems]) from None
    return Imported(case=case, source=source, warnings=tuple(warnings), rows=tuple(rows))


def import_file(
    path: str | Path,
    *,
    name: str,
    dob: str | date,
    ref: str | None = None,
    as_of: str | date | None = None,
    sheet: str | None = None,
) -> Imported:
    """Read a CSV/XLSX chronology (`io.read_table`) and turn it into a validated case."""
    return import_table(read_table(path, sheet=sheet), name=name, dob=dob, ref=ref, as_of=as_of)


def load_any(
    path: str | Path,
    *,
    name: str | None = None,
    dob: str | date | None = None,
    ref: str | None = None,
    as_of: str | date | None = None,
    sheet: str | None = None,
    today: Callable[[], date] = date.today,
) -> Loaded:
    """Any input the tool reads -> Loaded: a case file (YAML/JSON) or a chronology table (CSV/XLSX).

    Tables need the child's name and date of birth (a chronology does not hold them); `as_of` defaults to
    today for both, as for a case file that leaves it out.
    """
    from .lint import lint_case

    as_of_date = full_date(as_of, "as-of") if isinstance(as_of, str) else as_of
    if not is_table(path):
        return load_case(path, as_of=as_of_date, today=today)
    missing = [opt for opt, v in (("--name", name), ("--dob", dob)) if not v]
    if missing:
        raise CaseError([Problem(str(path), None, None, "", f"a chronology table does not hold the child's name "
                                 f"and date of birth; give {' and '.join(missing)}")])
    assert name is not None and dob is not None
    imported = import_file(path, name=name, dob=dob, ref=ref, as_of=as_of_date, sheet=sheet)
    case = imported.case
    if case.as_of is None:
        case = case.model_copy(update={"as_of": today()})
        if case.child.date_of_birth > case.as_of_date:
            raise CaseError([Problem(str(path), None, None, "--dob", "is after today; check the date")])
    lint = [_relocate(w, imported.rows) for w in lint_case(case, imported.source)]
    return Loaded(case=case, source=imported.source, warnings=(*imported.warnings, *lint))


__all__ = [
    "COLUMN_ALIASES",
    "Imported",
    "chronology_date",
    "full_date",
    "import_file",
    "import_table",
    "load_any",
    "match_kind",
    "match_type",
]
