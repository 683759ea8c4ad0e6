"""Lint (after the model stage): what is possible but suspicious in a valid case, as located warnings.

Warnings never stop a render; they point a practitioner at probable slips in a chronology (overlapping
placements, unexplained gaps, events dated after `as_of` that are not marked planned, an as-at date at which
the child is an adult or long after the last entry).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from ..problems import Problem
from ..words import between_words
from .case import Case
from .record import as_of_warnings, looked_after_start, main_placements

if TYPE_CHECKING:  # a type only: the reader (io) calls lint, lint never calls the reader
    from ..io.read import SourceMap


def lint_case(case: Case, source: SourceMap) -> Iterator[Problem]:
    """Yield warnings in file order of discovery."""
    as_of = case.as_of_date
    la_start = looked_after_start(case)

    def warn(loc: tuple[str | int, ...], message: str) -> Problem:
        return source.problem(loc, message, severity="warning")

    placements = main_placements(case)
    for (n1, a), (n2, b) in pairwise(placements):
        if a.end is None:
            continue  # the next placement ends it (facts.inferred_ends): chronologies record moves, not ends
        a_end = a.end.mid
        if b.start.mid < a_end:
            yield warn(
                ("events", n2 - 1, "start"),
                f"this placement starts before the placement at events[{n1 - 1}] ends; "
                "if it replaced it, set that one's end date",
            )
        elif la_start is not None and b.start.mid - a_end > timedelta(days=1) and a_end >= la_start:
            # between dates with no single day ("2016", "Mar 2017"), the least and most, never middle days'
            days = between_words(a.end, b.start, f"{(b.start.mid - a_end).days} days")
            yield warn(
                ("events", n2 - 1, "start"),
                f"{days} with no placement recorded since the placement at events[{n1 - 1}] ended; "
                "where did the child live?",
            )
    for n, event in case.numbered():
        first = event.first
        if event.status == "actual" and first.earliest > as_of:
            yield warn(
                ("events", n - 1, "start" if event.is_span else "date"),
                f"is after as_of ({as_of.isoformat()}) but not marked `status: planned`",
            )
        elif event.status == "planned" and first.latest < as_of:
            yield warn(
                ("events", n - 1, "status"),
                f"is planned but dated before as_of ({as_of.isoformat()}); did it happen? then drop `status: planned`",
            )
    for message in as_of_warnings(case):
        yield warn(("as_of",), message)
