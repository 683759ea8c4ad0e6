"""Input stage, messages: where each value of a parsed file stood, and the user's words for what is wrong.

Every reader (YAML, JSON, tables) and the validation report problems the same way: a `SourceMap` turns a data
path such as `events[3].end` into `case.yaml:14:10`, values and keys from the file are quoted short and
visible (a message never holds a whole note and cannot rewrite the terminal), and pydantic's errors are
translated into what a social worker can fix ("unknown field 'strat'; did you mean 'start'?").
The limits every reader applies live here too, so that the messages quoting them and the checks agree.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from ..model.case import EVENT_CLASSES, KINDS, Case, Child, did_you_mean
from ..problems import Loc, Problem, format_path, visible

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 500_000
MAX_DEPTH = 64


def _visible(text: str) -> str:
    """User text quoted in a message, with line breaks and control characters written as escapes, so that
    every problem stays one line and a message cannot rewrite the terminal."""
    return visible(text)


QUOTE_LIMIT = 40  # characters of a value, key or sheet name quoted in a message


def cut(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` shortened to `limit` characters (an ellipsis says so) and made visible, for quoting in a message:
    a message quotes enough to find the place, never a whole note, and cannot rewrite the terminal."""
    text = str(text)
    if len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return _visible(text)



def path_text(loc: Loc) -> str:
    """`format_path` for messages: keys come from the file and may hold anything (each is cut to 40 characters)."""
    return _visible(format_path(tuple(cut(p) if isinstance(p, str) else p for p in loc)))


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a parsed document stood in its file."""

    file: str
    values: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(
        default_factory=list
    )  # found while parsing (duplicate keys), reported with the rest

    def locate(self, loc: Loc, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of `loc`, or of its nearest located ancestor."""
        probe = tuple(loc)
        if key and probe in self.keys:
            return self.keys[probe]
        while True:
            if probe in self.values:
                return self.values[probe]
            if not probe:
                return (None, None)
            probe = probe[:-1]

    def problem(self, loc: Loc, message: str, *, key: bool = False, severity: str = "error") -> Problem:
        """A Problem located at `loc`."""
        line, col = self.locate(loc, key=key)
        return Problem(self.file, line, col, path_text(loc), _visible(message), severity)  # type: ignore[arg-type]


class Lines:
    """Offset -> (line, col), both 1-based: how a parser or a decoding error names a place in the text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return (i + 1, offset - self.starts[i] + 1)

def _allowed_fields(loc: Loc, data: Any) -> list[str]:
    """The field names allowed where `loc` points (for 'did you mean' on unknown keys)."""
    if not loc:
        return list(Case.model_fields)
    if loc[0] == "child":
        return list(Child.model_fields)
    if loc[0] == "events" and len(loc) >= 2:
        kind = _get(data, (*loc[:2], "kind"))
        cls = EVENT_CLASSES.get(kind) if isinstance(kind, str) else None
        return list(cls.model_fields) if cls else []
    return []


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


_REQUIRED_HINTS = {
    "child": "add a `child:` block with `name:` and `date_of_birth:`",
    "events": "add `events:` (it may be an empty list: `events: []`)",
    "name": "the child's name or a pseudonym",
    "date_of_birth": "a full date, YYYY-MM-DD",
    "start": "when it began, e.g. 2016-01-20",
    "date": "when it happened, e.g. 2016-01-20",
    "type": "a code of the vocabulary (see `timeline vocab`)",
}

_TYPE_MESSAGES = {
    "dict_type": "should be a block of fields (key: value), not a single value",
    "model_type": "should be a block of fields (key: value), not a single value",
    "model_attributes_type": "should be a block of fields (key: value), not a single value",
    "tuple_type": "should be a list of events, each starting with '- kind: ...'",
    "list_type": "should be a list",
    "string_type": "should be text",
    "int_type": "should be a whole number",
}


def problems_from_validation(exc: ValidationError, data: Any, source: SourceMap) -> list[Problem]:
    """Pydantic's errors as located problems in the user's terms (the paths without pydantic's tags)."""
    out: list[Problem] = []
    for err in exc.errors(include_input=False, include_url=False):
        loc: Loc = tuple(err["loc"])
        # Drop the discriminator tag pydantic inserts into event paths: events.3.placement.end -> events[3].end
        if len(loc) >= 3 and loc[0] == "events" and loc[2] in KINDS:
            loc = loc[:2] + loc[3:]
        loc, message, key = _translate(err, loc, data)
        out.append(source.problem(loc, message, key=key))
    return out


def validation_message(err: ErrorDetails, data: Any) -> str:
    """One pydantic error in the user's words (for a caller that places it itself, e.g. under an option)."""
    return _translate(err, tuple(err["loc"]), data)[1]


def _translate(err: ErrorDetails, loc: Loc, data: Any) -> tuple[Loc, str, bool]:
    """(where, what is wrong, whether it is the key that is wrong) for one error: unknown fields get 'did you
    mean', missing ones what to add, a bad kind the list of kinds; pydantic's own text is the last resort."""
    kind = err["type"]
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _allowed_fields(loc[:-1], data)
        message = f"unknown field '{name[:40]}'{did_you_mean(name, allowed)}"
        if allowed:
            message += f" (allowed here: {', '.join(allowed)})"
        return loc, message, True
    if kind == "missing":
        hint = _REQUIRED_HINTS.get(str(loc[-1]), "")
        return loc, "is required" + (f": {hint}" if hint else ""), False
    if kind == "union_tag_invalid":
        loc = (*loc, "kind")
        value = _get(data, loc)
        return loc, (f"'{str(value)[:40]}' is not a kind of event{did_you_mean(value, KINDS)} "
                     f"(one of: {', '.join(KINDS)})"), False
    if kind == "union_tag_not_found":
        return (*loc, "kind"), f"is required: what kind of event this is (one of: {', '.join(KINDS)})", False
    if kind in _MOVED_TO:
        return (*loc, _MOVED_TO[kind]), str(err["msg"]), False
    return loc, _value_message(err, loc, data), False


_MOVED_TO = {"end_before_start": "end", "route_not_allowed": "route"}  # the model's own errors, placed on the field


def _value_message(err: ErrorDetails, loc: Loc, data: Any) -> str:
    """What is wrong with a value itself: not allowed, too long, empty, of the wrong type, or the model's text."""
    kind = err["type"]
    message = str(err["msg"])
    ctx = err.get("ctx") or {}
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        value = _get(data, loc)
        choices = re.findall(r"'([^']*)'", str(expected))
        return f"'{str(value)[:40]}' is not allowed{did_you_mean(value, choices)} (expected {expected})"
    if kind == "too_long" and not isinstance(_get(data, loc), str):
        return f"has {ctx.get('actual_length')} entries; at most {ctx.get('max_length')} are allowed"
    if kind in ("string_too_long", "too_long"):
        message = f"is too long: at most {ctx.get('max_length')} characters"
        value = _get(data, loc)
        if isinstance(value, str):
            message += f" (this has {len(value)}); shorten it" + (
                ", or move the detail to `note`" if loc[-1] == "label" else ""
            )
        return message
    if kind in ("string_too_short", "too_short"):
        return "is empty; write some text"
    if kind in _TYPE_MESSAGES:
        return _TYPE_MESSAGES[kind]
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def in_file_order(problems: Iterable[Problem]) -> list[Problem]:
    """Problems sorted by where they stand in the file, so the user reads them top to bottom."""
    return sorted(problems, key=lambda p: (p.line or 0, p.col or 0))
