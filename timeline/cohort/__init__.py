"""Cohort stage (entry): a council's children together -- read, measure, lay out, render (`timeline cohort`).

The same case files (and, through a column mapping, child-level tables) become the same `Case` and the
same `timeline.facts.compute` as the single-child timeline; this package adds only what is about many children:
reading them in parallel (`read`, `mapping`), aggregating (`measures`), the run-chart rules (`rules`),
Kaplan-Meier (`km`), the pages as Scenes (`layout`) and their bytes (`report`). Docs: docs/cohort.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from .measures import Cohort, CohortOptions, build_cohort
from .read import ChildRecord, LeftOut, StandardsBook


def read_inputs(inputs: Sequence[str], *, as_of: object, mapping: str | None = None,
                standards_path: str | None = None, jobs: int | None = None) -> tuple[list[ChildRecord], list[LeftOut]]:
    """Every child of the inputs as a record, and every input (or child of a table) left out, in input order.

    Case files and folders are read as `timeline render` reads them; with `mapping`, a table input (.csv,
    .xlsx) is read through it, one child per reference; a folder holding an SSDA903 return (found by its
    Episodes table's columns) gives every child with an episode (`timeline.io.ssda903`).
    """
    from ..io.read import is_table
    from .read import find_case_files, read_case_files

    assert isinstance(as_of, date)
    from ..io.ssda903 import is_ssda903

    returns = [i for i in inputs if is_ssda903(i)]  # an SSDA903 folder (or XML): every looked-after child in it
    inputs = [i for i in inputs if i not in returns]
    if mapping is not None:  # an extract's folder: its tables are the extract, the mapping file is no child
        inputs = _with_folder_tables(inputs)
    tables = [i for i in inputs if is_table(i)]
    files, left = find_case_files([i for i in inputs if not is_table(i)])
    if mapping is not None:
        files = [f for f in files if not _same_file(f, mapping)]
    results = read_case_files(files, as_of=as_of, standards_path=standards_path, jobs=jobs)
    records = [r for r in results if isinstance(r, ChildRecord)]
    left.extend(r for r in results if isinstance(r, LeftOut))
    for folder in returns:
        from .read import read_ssda903

        found, lost = read_ssda903(folder, first=len(records) + len(files), as_of=as_of,
                                   standards_path=standards_path)
        records.extend(found)
        left.extend(lost)
    if tables and mapping is None:
        left.extend(LeftOut(t, ("a table needs --mapping FILE (which columns hold what)",)) for t in tables)
    elif tables:
        assert mapping is not None
        _read_tables(tables, mapping, as_of=as_of, first=len(files), records=records, left=left,
                     standards=StandardsBook(standards_path))
    return records, left


def _same_file(a: str, b: str) -> bool:
    import os

    return os.path.realpath(a) == os.path.realpath(b)


def _with_folder_tables(inputs: Sequence[str]) -> list[str]:
    """With a mapping, a folder holding tables (.csv, .xlsx) stands for its tables and its case files.

    A data team points at the extract's folder; its case files (if any) are still read, one by one.
    """
    from pathlib import Path

    from ..io.read import CASE_SUFFIXES, is_table

    out: list[str] = []
    for raw in inputs:
        folder = Path(raw)
        inside = sorted(f for f in folder.iterdir() if f.is_file() and not f.name.startswith(".")) \
            if folder.is_dir() else []
        tables = [str(f) for f in inside if is_table(f)]
        if not tables:
            out.append(raw)
            continue
        out.extend(tables)
        out.extend(str(f) for f in inside if f.suffix.lower() in CASE_SUFFIXES)
    return out


def _read_tables(tables: Sequence[str], mapping: str, *, as_of: date, first: int, records: list[ChildRecord],
                 left: list[LeftOut], standards: StandardsBook) -> None:
    """Every child of each extract once, appended to records (or to left, with table and row).

    The mapping names each section's file beside the input, so the extract's three CSVs given together
    (or its folder) are one extract: it is read once, by its children table, not once per file given.
    """
    from ..problems import CaseError
    from .mapping import case_of, children_table, load_mapping, table_children
    from .read import record_for

    spec = load_mapping(mapping)
    seen: set[str] = set()
    for table in tables:
        key = children_table(table, spec)
        if key in seen:
            continue
        seen.add(key)
        try:
            children, broken = table_children(table, spec, as_of=as_of)
        except CaseError as exc:
            left.append(LeftOut(table, tuple(p.format() for p in exc.problems)))
            continue
        left.extend(LeftOut(src, (msg,)) for src, msg in broken)
        for child in children:
            try:
                case = case_of(child)
            except CaseError as exc:
                left.append(LeftOut(child.source, tuple(p.format() for p in exc.problems)))
                continue
            records.append(record_for(case, index=first + len(records), source=child.source, standards=standards))


__all__ = ["ChildRecord", "Cohort", "CohortOptions", "LeftOut", "build_cohort", "read_inputs"]
