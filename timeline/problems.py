"""Problems (shared by io, model checks and lint): located messages a person can act on.

Every complaint about an input file is one `Problem`: the file, the line and column, the data path and
what to do. They are formatted the same everywhere (`FILE:LINE:COL: events[3].end: ...`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Loc = tuple[str | int, ...]


def format_path(loc: Loc) -> str:
    """('events', 3, 'end') -> 'events[3].end'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass(frozen=True, slots=True)
class Problem:
    """One located error or warning."""

    file: str
    line: int | None
    col: int | None
    path: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def format(self) -> str:
        """`FILE:LINE:COL: path: message` for errors, `FILE:LINE: warning: path: message` for warnings."""
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None and self.severity == "error":
                where += f":{self.col}"
        what = f"{self.path}: {self.message}" if self.path else self.message
        if self.severity == "warning":
            return f"{where}: warning: {what}"
        return f"{where}: {what}"


class CaseError(Exception):
    """The input could not be used; `problems` says every reason found, in file order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))
