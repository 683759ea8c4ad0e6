"""Cohort stage (entry): a council's children together -- read, measure, lay out, render (`timeline cohort`).

The same case files (and, through a column mapping, child-level tables) become the same `Case` and the
same `timeline.facts` as the single-child timeline; this package adds only what is about many children:
reading them in parallel (`read`, `mapping`), aggregating (`measures`), the run-chart rules (`rules`),
Kaplan-Meier (`km`), the pages as Scenes (`layout`) and their bytes (`report`). Docs: docs/cohort.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from .measures import Cohort, CohortOptions, build_cohort
from .read import ChildRecord, LeftOut


def read_inputs(inputs: Sequence[str], *, as_of: object, mapping: str | None = None,
                standards_path: str | None = None, jobs: int | None = None) -> tuple[list[ChildRecord], list[LeftOut]]:
    """Every child of the inputs as a record, and every input (or child of a table) left out, in input order.

    Case files and folders are read as `timeline render` reads them; with `mapping`, a table input (.csv,
    .xlsx) is read through it, one child per reference; a folder holding an SSDA903 return (found by its
    Episodes table's columns) gives every child with an episode (`timeline.ssda903`).
    """
    from datetime import date

    from ..io import is_table
    from ..problems import CaseError
    from .read import StandardsBook, find_case_files, read_case_files, record_for

    assert isinstance(as_of, date)
    from ..ssda903 import is_ssda903

    returns = [i for i in inputs if is_ssda903(i)]  # an SSDA903 folder (or XML): every looked-after child in it
    inputs = [i for i in inputs if i not in returns]
    tables = [i for i in inputs if is_table(i)]
    files, left = find_case_files([i for i in inputs if not is_table(i)])
    results = read_case_files(files, as_of=as_of, standards_path=standards_path, jobs=jobs)
    records = [r for r in results if isinstance(r, ChildRecord)]
    left.extend(r for r in results if isinstance(r, LeftOut))
    for folder in returns:
        from .read import read_ssda903

        found, lost = read_ssda903(folder, first=len(records) + len(files), as_of=as_of,
                                   standards_path=standards_path)
        records.extend(found)
        left.extend(lost)
    if tables:
        if mapping is None:
            left.extend(LeftOut(t, ("a table needs --mapping FILE (which columns hold what)",)) for t in tables)
        else:
            from .mapping import case_of, load_mapping, table_children

            spec = load_mapping(mapping)
            standards = StandardsBook(standards_path)
            for table in tables:
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
                    records.append(record_for(case, index=len(records) + len(files), source=child.source,
                                              standards=standards))
    return records, left


__all__ = ["ChildRecord", "Cohort", "CohortOptions", "LeftOut", "build_cohort", "read_inputs"]
