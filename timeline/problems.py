"""Problems (shared by io, model checks and lint): located messages a person can act on.

Every complaint about an input file is one `Problem`: the file, the line and column, the data path and
what to do. They are formatted the same everywhere (`FILE:LINE:COL: events[3].end: ...`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

Loc = tuple[str | int, ...]

# Control characters (C0, DEL, C1), line and paragraph separators and bidi controls: in a message they
# would clear the screen, retitle the window or reorder the line; they are written as escapes instead.
_UNSEEN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
NAME_LIMIT = 160  # characters of a file name shown in a message (the middle is cut)


def visible(text: str) -> str:
    """`text` with every control and text-direction character written as an escape (\\x1b, \\n): safe to print
    on a terminal, and one line."""
    return _UNSEEN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def shown_name(name: str, limit: int = NAME_LIMIT) -> str:
    """A file name or path for a message: made visible, and cut in the middle when longer than `limit`."""
    name = visible(str(name))
    if len(name) <= limit:
        return name
    keep = (limit - 1) // 2
    return name[:keep] + "\u2026" + name[-keep:]


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
        where = shown_name(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.col is not None and self.severity == "error":
                where += f":{self.col}"
        path, message = visible(self.path), visible(self.message)
        what = f"{path}: {message}" if path else message
        if self.severity == "warning":
            return f"{where}: warning: {what}"
        return f"{where}: {what}"


class CaseError(Exception):
    """The input could not be used; `problems` says every reason found, in file order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))
