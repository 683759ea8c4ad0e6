"""Cohort stage (reading tables): child-level tables read through a column-mapping YAML file -> Cases.

A data team's extract holds many children: a children table (reference, date of birth), a placements
table (one row per placement) and a legal table (one row per legal status or order), optionally PACE
milestone dates. The mapping file names the sheet or CSV of each, the column of each field and the code
list that turns the extract's codes into the vocabulary's (docs/cohort.md; the bundled
`examples/scotland-three-sheets.example.yaml` is an EXAMPLE, not the official CLAS specification, whose
field names and codes were not verified). Every child becomes a `Case` through the model, like a case
file; a child with a bad row is reported by table and row and left out.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..facts.standards import PACE_MILESTONES
from ..io.chronology import RowError, chronology_date
from ..io.read import SourceMap, Table, parse_yaml, read_table, read_text, validate_data
from ..model.case import Case
from ..model.vocabulary import load_vocabulary
from ..problems import CaseError, Problem

SECTIONS = ("children", "placements", "legal", "milestones")
FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {  # section -> (required, optional) fields
    "children": (("ref", "date_of_birth"), ("name",)),
    "placements": (("ref", "start", "type"), ("end",)),
    "legal": (("ref", "start", "type"), ("end",)),
    "milestones": (("ref",), (*PACE_MILESTONES, "route")),
}
HEADER_SEARCH_ROWS = 20  # the header row is the first of these that holds every mapped column


@dataclass(frozen=True, slots=True)
class Section:
    """One table of the extract as the mapping describes it."""

    name: str
    file: str | None  # a CSV beside the input (None: the input itself)
    sheet: str | None
    columns: dict[str, str]  # field -> header text
    codes: dict[str, str]  # the extract's code -> the vocabulary's (placements, legal, routes)
    where: dict[str, str]  # only rows whose column holds this value


@dataclass(frozen=True, slots=True)
class Mapping:
    """A whole mapping file."""

    file: str
    sections: dict[str, Section]
    jurisdiction: str


@dataclass(frozen=True, slots=True)
class TableChild:
    """One child of a table: the case data (plain, for the model) and where each event came from."""

    ref: str
    data: dict[str, Any]
    origins: tuple[str, ...]  # per event: "placements.csv row 12"
    source: str


def load_mapping(path: str) -> Mapping:
    """Read and check a mapping file; CaseError with located problems when it is wrong."""
    data, source = parse_yaml(read_text(path), str(path))
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise CaseError([source.problem((), "a mapping is a block of sections: children, placements, legal")])
    unknown = [k for k in data if k not in (*SECTIONS, "mapping", "jurisdiction", "note")]
    problems.extend(source.problem((k,), f"is not a section of a mapping (use {', '.join(SECTIONS)})", key=True)
                    for k in unknown)
    if "children" not in data:
        problems.append(source.problem((), "needs a `children` section (reference and date of birth)"))
    sections: dict[str, Section] = {}
    for name in SECTIONS:
        raw = data.get(name)
        if raw is None:
            continue
        if not isinstance(raw, dict) or not isinstance(raw.get("columns"), dict):
            problems.append(source.problem((name,), "needs `columns:` (field: header text)"))
            continue
        required, optional = FIELDS[name]
        cols = {str(k): str(v) for k, v in raw["columns"].items() if v is not None}
        for field in required:
            if field not in cols:
                problems.append(source.problem((name, "columns"), f"needs the column of `{field}`"))
        for field in cols:
            if field not in (*required, *optional):
                problems.append(source.problem((name, "columns", field),
                                               f"is not a field of {name} (fields: {', '.join(required + optional)})",
                                               key=True))
        codes = raw.get("codes") or {}
        where = raw.get("where") or {}
        if not isinstance(codes, dict) or not isinstance(where, dict):
            problems.append(source.problem((name,), "`codes` and `where` are blocks of `value: value`"))
            continue
        sections[name] = Section(name=name, file=str(raw["file"]) if raw.get("file") else None,
                                 sheet=str(raw["sheet"]) if raw.get("sheet") else None, columns=cols,
                                 codes={str(k).strip().lower(): str(v) for k, v in codes.items()},
                                 where={str(k): str(v) for k, v in where.items()})
    if problems:
        raise CaseError(problems)
    return Mapping(file=str(path), sections=sections, jurisdiction=str(data.get("jurisdiction", "scotland")))


def _section_path(section: Section, table_path: str) -> str:
    """The file a section is read from: its `file:` beside the input, or the input itself."""
    return str(Path(table_path).parent / section.file) if section.file else table_path


def children_table(table_path: str, mapping: Mapping) -> str:
    """Which extract an input belongs to (its children table's real path): each extract is read once."""
    return os.path.realpath(_section_path(mapping.sections["children"], table_path))


def _table_for(section: Section, table_path: str) -> Table:
    path = _section_path(section, table_path)
    sheet = section.sheet if path.lower().endswith((".xlsx", ".xlsm")) else None
    return read_table(path, sheet=sheet)


def _rows(section: Section, table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, field -> cell) for each data row, found under the first row holding every header."""
    wanted = {f: h.strip().lower() for f, h in section.columns.items()}
    filters = {c.strip().lower(): v for c, v in section.where.items()}
    for position, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        heads = [c.strip().lower() for c in cells]
        if all(h in heads for h in wanted.values()) and all(c in heads for c in filters):
            index = {f: heads.index(h) for f, h in wanted.items()}
            where = {heads.index(c): v for c, v in filters.items()}
            for number, row in table.rows[position + 1:]:
                if any((row[i] if i < len(row) else "").strip() != v for i, v in where.items()):
                    continue
                yield number, {f: (row[i].strip() if i < len(row) else "") for f, i in index.items()}
            return
    missing = ", ".join(sorted(h for h in section.columns.values()))
    where_sheet = f" sheet '{table.sheet}'" if table.sheet else ""
    raise CaseError([Problem(table.file, None, None, section.name,
                             f"no header row in the first {HEADER_SEARCH_ROWS} rows of{where_sheet} holds all of: "
                             f"{missing}")])


def _iso(text: str, where: str) -> str:
    try:
        return chronology_date(text)
    except (RowError, ValueError) as exc:
        raise RowError(f"{where}: {exc}") from None


def _code(section: Section, raw: str, kind: str, codes: tuple[str, ...], where: str) -> str:
    key = raw.strip().lower()
    if key in section.codes:
        value = section.codes[key]
    elif key in codes:
        value = key
    else:
        raise RowError(f"{where}: {section.name} code '{raw[:40]}' is not in the mapping's `codes` "
                       f"(add it, mapped to one of: {', '.join(codes)})")
    if value not in codes:
        raise RowError(f"{where}: the mapping maps '{raw[:40]}' to '{value}', which is not a {kind} code")
    return value


_Events = dict[str, list[tuple[dict[str, Any], str]]]  # ref -> (event data, "table row") in table order
_Broken = dict[str, list[str]]  # ref (or a row with no reference) -> what is wrong


def _children_rows(mapping: Mapping, table_path: str, broken: _Broken) -> dict[str, dict[str, Any]]:
    """The children table: ref -> reference, date of birth, name and row, in table order."""
    kid = mapping.sections["children"]
    kid_table = _table_for(kid, table_path)
    children: dict[str, dict[str, Any]] = {}
    for number, row in _rows(kid, kid_table):
        ref = row["ref"]
        where = f"{kid_table.file} row {number}"
        if not ref:
            broken.setdefault(f"{where} (no reference)", []).append("the reference cell is empty")
            continue
        if ref in children:
            broken.setdefault(ref, []).append(f"{where}: reference '{ref[:40]}' appears twice in the children table")
            continue
        try:
            dob = _iso(row["date_of_birth"], where)
        except RowError as exc:
            broken.setdefault(ref, []).append(str(exc))
            dob = ""
        children[ref] = {"ref": ref, "date_of_birth": dob, "name": row.get("name") or ref, "where": where}
    return children


def _span_rows(mapping: Mapping, table_path: str, vocab: Any, events: _Events, broken: _Broken) -> None:
    """The placements and legal tables: one event per row, its codes turned into the vocabulary's."""
    for name, kind in (("placements", "placement"), ("legal", "order")):
        section = mapping.sections.get(name)
        if section is None:
            continue
        table = _table_for(section, table_path)
        codes = vocab.codes(kind)
        for number, row in _rows(section, table):
            ref = row["ref"]
            where = f"{table.file} row {number}"
            try:
                event: dict[str, Any] = {"kind": kind, "type": _code(section, row["type"], kind, codes, where),
                                         "start": _iso(row["start"], where)}
                if row.get("end"):
                    event["end"] = _iso(row["end"], where)
            except RowError as exc:
                broken.setdefault(ref, []).append(str(exc))
                continue
            event["source"] = where
            events.setdefault(ref, []).append((event, where))


def _milestone_rows(mapping: Mapping, table_path: str, vocab: Any, events: _Events, broken: _Broken) -> None:
    """The milestones section: one milestone event per filled PACE date cell (the route on the recommendation)."""
    miles = mapping.sections.get("milestones")
    if miles is None:
        return
    table = _table_for(miles, table_path)
    for number, row in _rows(miles, table):
        ref = row["ref"]
        where = f"{table.file} row {number}"
        for milestone in PACE_MILESTONES:
            text = row.get(milestone, "")
            if not text:
                continue
            try:
                event = {"kind": "milestone", "type": milestone, "date": _iso(text, where), "source": where}
                if milestone == "permanence_recommended" and row.get("route"):
                    event["route"] = _code(miles, row["route"], "route", tuple(vocab.routes), where)
            except RowError as exc:
                broken.setdefault(ref, []).append(str(exc))
                continue
            events.setdefault(ref, []).append((event, where))


def table_children(table_path: str, mapping: Mapping, *, as_of: date) -> tuple[list[TableChild], list[tuple[str, str]]]:
    """Every child of the extract as case data, and (source, message) for each child that cannot be built.

    A child with any bad row is left out whole (with every message), never drawn from the rows that did read.
    """
    vocab = load_vocabulary(mapping.jurisdiction)
    events: _Events = {}
    broken: _Broken = {}
    children = _children_rows(mapping, table_path, broken)
    _span_rows(mapping, table_path, vocab, events, broken)
    _milestone_rows(mapping, table_path, vocab, events, broken)
    out: list[TableChild] = []
    left: list[tuple[str, str]] = []
    for ref in [r for r in events if r not in children]:
        first = events[ref][0][1]
        left.append((f"{first} (child {ref[:40]})", "has rows but no row in the children table"))
    for ref, child in children.items():
        if ref in broken:
            left.extend((f"{child['where']} (child {ref[:40]})", m) for m in broken.pop(ref))
            continue
        rows = sorted(events.get(ref, []), key=lambda e: str(e[0].get("start", e[0].get("date"))))
        data = {"child": {"name": child["name"], "date_of_birth": child["date_of_birth"], "ref": ref},
                "jurisdiction": mapping.jurisdiction, "as_of": as_of.isoformat(),
                "events": [e for e, _ in rows]}
        out.append(TableChild(ref=ref, data=data, origins=tuple(w for _, w in rows), source=child["where"]))
    for source_name, messages in broken.items():
        if source_name not in children:
            left.extend((source_name, m) for m in messages)
    return out, left


def case_of(child: TableChild) -> Case:
    """The child's Case through the model; CaseError naming the table row of each problem."""
    try:
        return validate_data(child.data, SourceMap(file=child.source))
    except CaseError as exc:
        problems = []
        for p in exc.problems:
            where = p.file
            if p.path.startswith("events["):
                n = int(p.path[len("events["):p.path.index("]")])
                if n < len(child.origins):
                    where = child.origins[n]
            problems.append(Problem(where, None, None, p.path, p.message))
        raise CaseError(problems) from None
