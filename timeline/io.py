"""Input stage: the only place that reads case files; bytes -> plain data + where each value stood.

YAML and JSON are parsed into plain Python data with a map from data paths to line:column, so that a
validation error can say `case.yaml:14:10: events[3].end: ...`. YAML timestamps stay strings (a bad date
must be a located error, not a crash), and duplicate keys, alias bombs, deep nesting, binary or oversized
files are refused with plain messages.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .model import EVENT_CLASSES, KINDS, MAX_EVENTS, Case, Child, did_you_mean
from .problems import CaseError, Loc, Problem, format_path, visible

MAX_BYTES = 5 * 1024 * 1024
MAX_NODES = 500_000
MAX_DEPTH = 64
MAX_NUMBER_DIGITS = 100  # int() of a longer one is slow (and refused past 4,300 digits)
CASE_SUFFIXES = (".yaml", ".yml", ".json")


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


def _path(loc: Loc) -> str:
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
        return Problem(self.file, line, col, _path(loc), _visible(message), severity)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Loaded:
    """A validated case with the map back to its file, and the warnings found while loading it."""

    case: Case
    source: SourceMap
    warnings: tuple[Problem, ...] = ()


class _Lines:
    """Offset -> (line, col), both 1-based."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, offset) - 1
        return (i + 1, offset - self.starts[i] + 1)


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
        lines = _Lines(data[: exc.start].decode("utf-8", errors="replace"))
        line, col = lines.at(len(data[: exc.start].decode("utf-8", errors="replace")))
        raise fail(
            "is not UTF-8 text (saved in another encoding?); save it as UTF-8 and try again", line, col
        ) from None


# ---------------------------------------------------------------- YAML


# libyaml's event parser when present (about ten times faster than the pure-Python one on a large file);
# its composer is avoided because it recurses in C and crashes the interpreter on deeply nested input.
_YAML_PARSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class _Frame:
    """A mapping or sequence being built from the event stream."""

    loc: Loc
    value: dict[str, Any] | list[Any]
    start: int  # node count when it began (the size of an anchored node is the count at its end minus this)
    anchor: str | None
    key: str | None = None  # a mapping's key waiting for its value
    key_ok: bool = True  # False while skipping the value of a refused (duplicate or non-text) key
    has_key: bool = False


class _Builder:
    """Builds plain data from the YAML event stream, without recursion, counting values so alias bombs stop early.

    Aliases reuse the value built at their anchor and count its full size, as if expanded; a value is
    located (line:col) where it stands, or where the alias naming it stands.
    """

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.count = 0
        self.problems: list[Problem] = []
        self._constructor = yaml.SafeLoader("")  # resolves and constructs plain scalars (bool, int, float)
        self._anchors: dict[str, tuple[Any, int]] = {}

    @staticmethod
    def _pos(event: yaml.Event) -> tuple[int, int]:
        mark = event.start_mark
        return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)

    def _grow(self, event: yaml.Event, size: int) -> None:
        self.count += size
        if self.count > MAX_NODES:
            raise CaseError(
                [
                    Problem(
                        self.source.file,
                        *self._pos(event),
                        "",
                        "has too many values (anchors and aliases "
                        "expanding without end?); a case file is not expected to hold this much",
                    )
                ]
            )

    def document(self, events: Iterator[yaml.Event], first: yaml.Event) -> Any:
        """Build one document's root value; `first` is its first node event."""
        stack: list[_Frame] = []
        event: yaml.Event = first
        while True:
            parent = stack[-1] if stack else None
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                done = stack.pop()
                parent = stack[-1] if stack else None
                if done.anchor is not None:
                    self._anchors[done.anchor] = (done.value, self.count - done.start)
                value: Any = done.value
                is_text = False
                event_pos = (0, 0)
            else:
                loc = self._child_loc(parent)
                if isinstance(event, yaml.AliasEvent):
                    if event.anchor not in self._anchors:
                        raise CaseError([Problem(self.source.file, *self._pos(event), _path(loc),
                                                 f"uses the alias *{str(event.anchor)[:40]} before an anchor "
                                                 f"&{str(event.anchor)[:40]} names a value")])
                    value, size = self._anchors[event.anchor]
                    self._grow(event, size)
                    self._locate(loc, event, parent)
                    is_text = isinstance(value, str)
                elif isinstance(event, yaml.ScalarEvent):
                    self._grow(event, 1)
                    self._locate(loc, event, parent)
                    value = self._scalar(event)
                    is_text = True
                    if event.anchor is not None:
                        self._anchors[event.anchor] = (value, 1)
                elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    self._grow(event, 1)
                    if len(stack) >= MAX_DEPTH:
                        where = _path(loc[:2]) + ("..." if len(loc) > 2 else "")
                        raise CaseError([Problem(self.source.file, *self._pos(event), where,
                                                 f"is nested too deeply (more than {MAX_DEPTH} levels)")])
                    self._locate(loc, event, parent)
                    container: dict[str, Any] | list[Any] = (
                        {} if isinstance(event, yaml.MappingStartEvent) else []
                    )
                    stack.append(_Frame(loc, container, self.count - 1, event.anchor))
                    event = next(events)
                    continue
                else:  # pragma: no cover - the parser guarantees node events here
                    raise CaseError([Problem(self.source.file, *self._pos(event), "", "is not valid YAML")])
                event_pos = self._pos(event)
            if parent is None:
                return value
            self._deliver(parent, value, is_text=is_text, pos=event_pos, start=event)
            event = next(events)

    def _child_loc(self, parent: _Frame | None) -> Loc:
        if parent is None:
            return ()
        if isinstance(parent.value, list):
            return (*parent.loc, len(parent.value))
        if parent.has_key and parent.key_ok and parent.key is not None:
            return (*parent.loc, parent.key)
        return (*parent.loc, "<key>") if not parent.has_key else (*parent.loc, "<skipped>")

    def _locate(self, loc: Loc, event: yaml.Event, parent: _Frame | None) -> None:
        # Keys themselves are located in `source.keys` when delivered; skipped values are not located.
        if parent is not None and isinstance(parent.value, dict) and not (parent.has_key and parent.key_ok):
            return
        self.source.values.setdefault(loc, self._pos(event))

    def _deliver(self, parent: _Frame, value: Any, *, is_text: bool, pos: tuple[int, int], start: yaml.Event) -> None:
        if isinstance(parent.value, list):
            parent.value.append(value)
            return
        if not parent.has_key:
            parent.has_key = True
            parent.key_ok = False
            parent.key = None
            if not is_text or not isinstance(value, (str, int, float, bool)) or value is None:
                self.problems.append(Problem(self.source.file, *self._pos(start), _path(parent.loc),
                                             "a key must be plain text"))
                return
            key = str(value) if not isinstance(value, str) else value
            key_loc: Loc = (*parent.loc, key)
            if key in parent.value:
                first = self.source.keys.get(key_loc, (None, None))
                self.problems.append(
                    Problem(
                        self.source.file,
                        *self._pos(start),
                        _path(key_loc),
                        f"appears twice in the same block (first on line {first[0]}); keep one",
                    )
                )
                return
            self.source.keys[key_loc] = self._pos(start)
            parent.key = key
            parent.key_ok = True
            return
        if parent.key_ok and parent.key is not None:
            parent.value[parent.key] = value
        parent.has_key = False
        parent.key = None
        parent.key_ok = True

    def _scalar(self, event: yaml.ScalarEvent) -> Any:
        if event.style:  # quoted or block: always text
            return str(event.value)
        tag = event.tag
        if tag is None or tag == "!":
            tag = self._constructor.resolve(yaml.ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            node = yaml.ScalarNode(tag, event.value)
            try:
                return self._constructor.construct_object(node, deep=True)
            except (ValueError, yaml.YAMLError):
                return str(event.value)
        # Strings, and timestamps kept as the text written (`2019-13-01` must be a located date error).
        return str(event.value)


_INDENTATION_SLIPS = ("could not find expected ':'", "expected <block end>", "did not find expected key")


def _yaml_problem(name: str, text: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    position = getattr(exc, "position", None)  # a ReaderError (a character YAML does not allow) has no mark
    if mark is None and isinstance(position, int):
        line, col = _Lines(text).at(min(position, len(text)))
    what = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    at = mark.index if mark is not None and isinstance(mark.index, int) else -1
    if "nesting depth" in str(what):  # libyaml 0.2.5+ stops deep nesting itself, before our own limit
        return Problem(name, line, col, "", "is nested too deeply to be a case file")
    hint = ""
    if "'\\t'" in str(what) or (0 <= at < len(text) and text[at] == "\t"):
        hint = "; indent with spaces, not tabs"
    elif "mapping values are not allowed" in str(what):
        hint = "; a value containing ': ' must be quoted, e.g. label: \"CSO: reside with gran\""
    elif any(s in str(what) for s in _INDENTATION_SLIPS):
        hint = "; check the indentation of this line and the one before"
    return Problem(name, line, col, "", f"is not valid YAML: {what}{hint}")


def parse_yaml(text: str, name: str) -> tuple[Any, SourceMap]:
    """YAML text -> (plain data, source map); one document only."""
    source = SourceMap(name)
    builder = _Builder(source)
    roots: list[Any] = []
    try:
        events = iter(yaml.parse(text, Loader=_YAML_PARSER))
        for event in events:
            if not isinstance(event, yaml.DocumentStartEvent):
                continue
            first = next(events)
            if roots:
                raise CaseError(
                    [
                        Problem(
                            name,
                            *_Builder._pos(first),
                            "",
                            "holds more than one YAML document (a second '---'); put one case in each file",
                        )
                    ]
                )
            roots.append(builder.document(events, first))
    except yaml.YAMLError as exc:
        raise CaseError([_yaml_problem(name, text, exc)]) from None
    if not roots:
        raise CaseError([Problem(name, 1, 1, "", "holds no data; a case file needs `child:` and `events:`")])
    source.problems.extend(builder.problems)
    return roots[0], source


# ---------------------------------------------------------------- JSON

_NUMBER = re.compile(r"(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?")
_WS = re.compile(r"[ \t\n\r]*")


class _JSONParser:
    """A small JSON parser that records where each value stands (the standard library does not)."""

    def __init__(self, text: str, source: SourceMap) -> None:
        self.text = text
        self.source = source
        self.lines = _Lines(text)
        self.count = 0
        self.problems: list[Problem] = []

    def fail(self, offset: int, message: str) -> CaseError:
        line, col = self.lines.at(min(offset, len(self.text)))
        return CaseError([Problem(self.source.file, line, col, "", f"is not valid JSON: {message}")])

    def ws(self, i: int) -> int:
        m = _WS.match(self.text, i)
        return m.end() if m else i

    def value(self, i: int, loc: Loc, depth: int) -> tuple[Any, int]:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(i, "too many values for a case file")
        if depth > MAX_DEPTH:
            line, col = self.lines.at(i)
            where = _path(loc[:2]) + ("..." if len(loc) > 2 else "")
            message = f"is nested too deeply (more than {MAX_DEPTH} levels)"
            raise CaseError([Problem(self.source.file, line, col, where, message)])
        i = self.ws(i)
        self.source.values.setdefault(loc, self.lines.at(i))
        ch = self.text[i : i + 1]
        if ch == "{":
            return self.obj(i + 1, loc, depth)
        if ch == "[":
            return self.arr(i + 1, loc, depth)
        if ch == '"':
            return self.string(i)
        for word, val in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, i):
                return val, i + len(word)
        m = _NUMBER.match(self.text, i)
        if m and m.group(0):
            num = m.group(0)
            if len(num) > MAX_NUMBER_DIGITS:
                raise self.fail(i, f"a number longer than {MAX_NUMBER_DIGITS} digits")
            return (float(num) if m.group(2) or m.group(3) else int(num)), m.end()
        raise self.fail(i, "expected a value (text in double quotes, a number, true, false, null, [ or {)")

    def string(self, i: int) -> tuple[str, int]:
        try:
            return json.decoder.scanstring(self.text, i + 1, True)  # type: ignore[attr-defined,no-any-return]
        except json.JSONDecodeError as exc:
            raise self.fail(exc.pos, exc.msg) from None

    def obj(self, i: int, loc: Loc, depth: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        i = self.ws(i)
        if self.text[i : i + 1] == "}":
            return out, i + 1
        while True:
            i = self.ws(i)
            if self.text[i : i + 1] != '"':
                raise self.fail(i, "expected a key in double quotes")
            key_pos = self.lines.at(i)
            key, i = self.string(i)
            i = self.ws(i)
            if self.text[i : i + 1] != ":":
                raise self.fail(i, "expected ':' after the key")
            val, i = self.value(i + 1, (*loc, key), depth + 1)
            if key in out:
                first = self.source.keys.get((*loc, key), (None, None))
                self.problems.append(
                    Problem(
                        self.source.file,
                        *key_pos,
                        _path((*loc, key)),
                        f"appears twice in the same object (first on line {first[0]}); keep one",
                    )
                )
            else:
                key_loc: Loc = (*loc, key)
                self.source.keys[key_loc] = key_pos
                out[key] = val
            i = self.ws(i)
            ch = self.text[i : i + 1]
            if ch == ",":
                i += 1
                continue
            if ch == "}":
                return out, i + 1
            raise self.fail(i, "expected ',' or '}' (a missing comma?)")

    def arr(self, i: int, loc: Loc, depth: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        i = self.ws(i)
        if self.text[i : i + 1] == "]":
            return out, i + 1
        while True:
            val, i = self.value(i, (*loc, len(out)), depth + 1)
            out.append(val)
            i = self.ws(i)
            ch = self.text[i : i + 1]
            if ch == ",":
                i += 1
                continue
            if ch == "]":
                return out, i + 1
            raise self.fail(i, "expected ',' or ']' (a missing comma?)")


def parse_json(text: str, name: str) -> tuple[Any, SourceMap]:
    """JSON text -> (plain data, source map)."""
    source = SourceMap(name)
    parser = _JSONParser(text, source)
    try:
        data, end = parser.value(0, (), 0)
    except RecursionError:
        raise CaseError([Problem(name, None, None, "", "is nested too deeply to be a case file")]) from None
    end = parser.ws(end)
    if end != len(text):
        raise parser.fail(end, "unexpected text after the end of the data")
    source.problems.extend(parser.problems)
    return data, source


# ---------------------------------------------------------------- validation


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


def _problems_from_validation(exc: ValidationError, data: Any, source: SourceMap) -> list[Problem]:
    out: list[Problem] = []
    for err in exc.errors(include_input=False, include_url=False):
        loc: Loc = tuple(err["loc"])
        # Drop the discriminator tag pydantic inserts into event paths: events.3.placement.end -> events[3].end
        if len(loc) >= 3 and loc[0] == "events" and loc[2] in KINDS:
            loc = loc[:2] + loc[3:]
        kind = err["type"]
        message = str(err["msg"])
        key = False
        if kind == "extra_forbidden":
            name = str(loc[-1])
            allowed = _allowed_fields(loc[:-1], data)
            message = f"unknown field '{name[:40]}'{did_you_mean(name, allowed)}"
            if allowed:
                message += f" (allowed here: {', '.join(allowed)})"
            key = True
        elif kind == "missing":
            hint = _REQUIRED_HINTS.get(str(loc[-1]), "")
            message = "is required" + (f": {hint}" if hint else "")
        elif kind == "union_tag_invalid":
            loc = (*loc, "kind")
            value = _get(data, loc)
            message = (
                f"'{str(value)[:40]}' is not a kind of event{did_you_mean(value, KINDS)} (one of: {', '.join(KINDS)})"
            )
        elif kind == "union_tag_not_found":
            loc = (*loc, "kind")
            message = f"is required: what kind of event this is (one of: {', '.join(KINDS)})"
        elif kind == "end_before_start":
            loc = (*loc, "end")
        elif kind == "route_not_allowed":
            loc = (*loc, "route")
        elif kind == "literal_error":
            expected = (err.get("ctx") or {}).get("expected", "")
            value = _get(data, loc)
            choices = re.findall(r"'([^']*)'", str(expected))
            message = f"'{str(value)[:40]}' is not allowed{did_you_mean(value, choices)} (expected {expected})"
        elif kind == "too_long" and not isinstance(_get(data, loc), str):
            ctx = err.get("ctx") or {}
            message = f"has {ctx.get('actual_length')} entries; at most {ctx.get('max_length')} are allowed"
        elif kind in ("string_too_long", "too_long"):
            ctx = err.get("ctx") or {}
            message = f"is too long: at most {ctx.get('max_length')} characters"
            value = _get(data, loc)
            if isinstance(value, str):
                message += f" (this has {len(value)}); shorten it" + (
                    ", or move the detail to `note`" if loc[-1] == "label" else ""
                )
        elif kind in ("string_too_short", "too_short"):
            message = "is empty; write some text"
        elif kind in _TYPE_MESSAGES:
            message = _TYPE_MESSAGES[kind]
        elif kind == "value_error":
            message = message.removeprefix("Value error, ")
        else:
            message = message[:1].lower() + message[1:]
        out.append(source.problem(loc, message, key=key))
    return out


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
        raise CaseError(_sorted([*source.problems, *_problems_from_validation(exc, data, source)])) from None
    if sink or source.problems:
        raise CaseError(_sorted([*source.problems, *(source.problem(loc, msg) for loc, msg in sink)]))
    return case


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.col or 0))


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
    from .lint import lint_case

    data, source = parse_document(name, text)
    case = validate_data(data, source, as_of=as_of)
    if case.as_of is None:
        case = case.model_copy(update={"as_of": today()})
        if case.child.date_of_birth > case.as_of_date:
            raise CaseError([source.problem(("child", "date_of_birth"), "is after today; check the date")])
    return Loaded(case=case, source=source, warnings=tuple(lint_case(case, source)))


# ---------------------------------------------------------------- tables (CSV, XLSX chronologies)

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm")
MAX_TABLE_ROWS = 20_000
MAX_TABLE_COLUMNS = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell; a CSV cell longer than this is a broken file
# An .xlsx is a zip of XML files. These bound what reading one may cost, checked from the zip's directory
# before anything is decompressed (a "zip bomb" of a few MB can inflate to many GB).
MAX_XLSX_MEMBERS = 2_000
MAX_XLSX_UNPACKED = 64 * 1024 * 1024  # all members together, uncompressed
MAX_XLSX_SHARED_STRINGS = 16 * 1024 * 1024  # the shared-strings part, held in memory whole while reading
MAX_XLSX_CELLS = 250_000  # cells in the sheet read, empty formatted ones too (20,000 rows of 12 columns)
MAX_MERGED_RANGES = 10_000
_DELIMITERS = (",", ";", "\t")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the start of an OLE compound file (old .xls, or an encrypted workbook)
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


@dataclass(frozen=True)
class Table:
    """A spreadsheet as text cells: `rows` are (row number as the spreadsheet shows it, cells), blank rows left out.

    Row numbers count every row of the file (the first is 1), so an error can say "row 7" and the user
    finds row 7 where their spreadsheet program shows it. `sheet` is the sheet read (None for CSV).
    `merged` lists the sheet's merged ranges as 0-based (first_row, first_col, last_row, last_col), where
    row r is spreadsheet row r + 1; every cell of a range holds the range's top-left value, so a date
    merged down three rows dates all three (a row that holds nothing but merged values is still left out).
    """

    file: str
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    sheet: str | None = None
    merged: tuple[tuple[int, int, int, int], ...] = ()


def is_table(path: str | Path) -> bool:
    """True when `path` names a CSV/TSV or Excel file (read with `read_table`, not `load_case`)."""
    return str(path).lower().endswith(TABLE_SUFFIXES)


def read_table(path: str | Path, *, sheet: str | None = None, data: bytes | None = None) -> Table:
    """Read a CSV (UTF-8, comma/semicolon/tab) or XLSX chronology into text cells; CaseError on any trouble.

    `data`: the file's bytes when they are already in memory (an upload to `timeline serve`, which never
    writes one to disk); `path` then only names the file and picks the reader by its suffix.
    """
    name = display_name(path)
    if str(path).lower().endswith((".xlsx", ".xlsm")):
        return _read_xlsx(path, name, sheet=sheet, data=data)
    if sheet is not None:
        raise CaseError([Problem(name, None, None, "", "--sheet applies only to Excel (.xlsx) files")])
    return read_csv_text(_read_table_text(path, name, data=data), name)


def _table_fail(name: str, message: str, where: str = "") -> CaseError:
    return CaseError([Problem(name, None, None, where, message)])


def _read_table_bytes(path: str | Path, name: str, data: bytes | None = None) -> bytes:
    if data is None:  # bytes already in memory (an upload to `timeline serve`) meet the same size limit
        data = read_limited(path, MAX_BYTES, what="a chronology file")
    if len(data) > MAX_BYTES:
        raise _table_fail(name, f"is larger than {MAX_BYTES // (1024 * 1024)} MB; a chronology is normally far smaller")
    return data


def _read_table_text(path: str | Path, name: str, data: bytes | None = None) -> str:
    data = _read_table_bytes(path, name, data)
    if not data.strip():
        raise _table_fail(
            name, "is empty; a chronology needs a header row (Date, Type, Details ...) and one row per event"
        )
    if data.startswith(b"PK\x03\x04"):
        raise _table_fail(name, "is an Excel workbook, not CSV text; give it the .xlsx suffix")
    if data.startswith(_OLE_MAGIC):
        raise _table_fail(name, _ole_message(data))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _table_fail(name, "is UTF-16 text (Excel's \"Unicode Text\"); save it as 'CSV UTF-8 (Comma delimited)' "
                                "or give the .xlsx file instead")
    if b"\x00" in data:
        raise _table_fail(name, "is a binary file, not CSV text; save it as 'CSV UTF-8' or .xlsx")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        raise CaseError([Problem(name, None, None, f"row {row}", "is not UTF-8 text; in Excel use Save As > "
                                 "'CSV UTF-8 (Comma delimited)', or give the .xlsx file instead")]) from None


def _ole_message(data: bytes) -> str:
    """What an OLE compound file (Office's older container) is: a password-protected workbook, or an old .xls."""
    if _ENCRYPTED_STREAM in data:
        return ("is password-protected (encrypted), so it cannot be read; in Excel remove the password "
                "(File > Info > Protect Workbook > Encrypt with Password, clear it), save, and try again")
    return "is not an Excel .xlsx workbook (an old .xls file? save it as .xlsx or CSV UTF-8)"


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line (first non-blank line) uses most, outside quotes."""
    first = ""
    for line in _lines_upto(text, 64 * 1024):
        if line.strip():
            first = line
            break
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _lines_upto(text: str, limit: int) -> Iterator[str]:
    """The lines of the first `limit` characters of `text` (the header is looked for there, not in all 5 MB)."""
    yield from text[:limit].splitlines()


def read_csv_text(text: str, name: str = "<table>.csv") -> Table:
    """CSV text -> Table (the delimiter is sniffed; quoted cells may hold commas and line breaks).

    A quote that is opened and never closed would swallow every later row into one cell: it is an error
    located at the row where the quote opened, never a silently shorter chronology.
    """
    import csv
    import io as _io

    delimiter = _delimiter(text)
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES + 1))  # our own cell limit applies, below
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[tuple[int, tuple[str, ...]]] = []
    number = 0
    last = (0, 0, 0)  # the last record: its number, first and last line
    try:
        while True:
            started = reader.line_num + 1  # the file line this record starts on
            try:
                record = next(reader)
            except StopIteration:
                break
            number += 1
            if number > MAX_TABLE_ROWS:
                raise _table_fail(name, f"has more than {MAX_TABLE_ROWS} rows; split the chronology")
            for cell in record:
                if len(cell) > MAX_CELL_CHARS:
                    raise _table_fail(name, f"a cell is longer than {MAX_CELL_CHARS:,} characters (a quote "
                                            "opened and never closed?); check this row", f"row {number}")
            cells = tuple(cell.strip() for cell in record[:MAX_TABLE_COLUMNS])
            if any(cells):
                rows.append((number, cells))
            last = (number, started, reader.line_num)
    except csv.Error:
        raise _table_fail(name, "cannot be read as CSV here (a stray quote or a broken line?); check this row",
                          f"row {number + 1}") from None
    if last[2] > last[1] and _runaway_quote(text, last[1]):
        raise _table_fail(name, "a quote (\") opens a cell here that never closes, so every later row would be "
                                "read into that one cell; close the quote or remove it", f"row {last[0]}")
    if not rows:
        raise _table_fail(name, "holds no rows; a chronology needs a header row and one row per event")
    return Table(file=name, rows=tuple(rows))


def _runaway_quote(text: str, first_line: int) -> bool:
    """True when the last record, which starts on line `first_line` and runs to the end of the text, holds a
    quote that never closed: its quotes do not pair up (a doubled "" counts as two)."""
    import io as _io

    lines = list(_io.StringIO(text, newline=""))
    return "".join(lines[first_line - 1:]).count('"') % 2 == 1


def _excel_cell_text(value: Any, number_format: str | None) -> str:
    """One Excel cell as text; dates become ISO, at the precision their display format shows."""
    import datetime as _dt

    if value is None:
        return ""
    if isinstance(value, _dt.datetime | _dt.date):
        day = value.date() if isinstance(value, _dt.datetime) else value
        shown = re.sub(r'"[^"]*"|\[[^\]]*\]', "", (number_format or "").lower())
        if "y" in shown and "d" not in shown:
            return f"{day.year:04d}-{day.month:02d}" if "m" in shown else f"{day.year:04d}"
        return day.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
_MERGE_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref\s*=\s*["\']([^"\']{1,40})["\']')


def _cell_index(ref: str) -> tuple[int, int] | None:
    """'B7' -> (6, 1): 0-based row and column of an A1 reference, or None when it is not one."""
    m = _CELL_REF.match(ref.strip().upper())
    if not m:
        return None
    col = 0
    for ch in m.group(1):
        col = col * 26 + (ord(ch) - 64)
    row = int(m.group(2))
    return (row - 1, col - 1) if row >= 1 and col >= 1 else None


def _check_zip(data: bytes, name: str) -> None:
    """Refuse a workbook whose parts would inflate past the limits, from the zip directory alone."""
    import io as _io
    import zipfile

    try:
        with zipfile.ZipFile(_io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise _table_fail(name, "is not a readable Excel workbook (a damaged zip file); open and re-save it, "
                                "or save it as CSV UTF-8") from None
    if len(infos) > MAX_XLSX_MEMBERS:
        raise _table_fail(name, f"holds {len(infos):,} parts; an Excel workbook holds a few dozen (not a "
                                "chronology workbook?)")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _table_fail(name, "is password-protected (encrypted), so it cannot be read; remove the "
                                    "password, save, and try again")
        total += info.file_size
        if info.filename.lower().endswith("sharedstrings.xml") and info.file_size > MAX_XLSX_SHARED_STRINGS:
            raise _table_fail(name, f"holds more than {MAX_XLSX_SHARED_STRINGS // (1024 * 1024)} MB of text once "
                                    "unpacked; a chronology is far smaller (split it, or save it as CSV UTF-8)")
    if total > MAX_XLSX_UNPACKED:
        raise _table_fail(name, f"would unpack to {total // (1024 * 1024):,} MB, more than the "
                                f"{MAX_XLSX_UNPACKED // (1024 * 1024)} MB a chronology workbook may hold; split it, or "
                                "save it as CSV UTF-8")


def _choose_sheet(book: Any, name: str, sheet: str | None) -> Any:
    """The sheet asked for; else the active sheet when it is a visible worksheet; else the first visible one."""
    sheets = [ws for ws in book.worksheets]
    names = [ws.title for ws in sheets]
    listed = ", ".join(cut(n) for n in names[:20]) + (" ..." if len(names) > 20 else "")
    if sheet is not None:
        exact = [ws for ws in sheets if ws.title == sheet]
        if exact:
            return exact[0]
        close = [ws for ws in sheets if ws.title.lower() == sheet.lower()]
        if len(close) == 1:
            return close[0]
        import difflib

        near = difflib.get_close_matches(sheet, names, n=1, cutoff=0.6)
        hint = f"; did you mean '{cut(near[0])}'?" if near else ""
        raise _table_fail(name, f"has no sheet '{cut(sheet)}'{hint} (sheets: {listed})")
    visible = [ws for ws in sheets if getattr(ws, "sheet_state", "visible") == "visible"]
    if not visible:
        raise _table_fail(name, f"has no visible sheet (sheets: {listed}); choose one with --sheet")
    try:
        active = book.active
    except (IndexError, AttributeError, TypeError, ValueError):
        active = None
    if active in visible:
        return active
    return visible[0]


def _scan_sheet(book: Any, ws: Any) -> tuple[int, list[tuple[int, int, int, int]]]:
    """One fast pass over the sheet's XML part: how many cells it holds (every `<c>` element, empty ones
    too, counted before openpyxl parses any, which costs far more per cell) and its merged ranges (which
    openpyxl's read-only mode does not keep)."""
    path = getattr(ws, "_worksheet_path", None)
    archive = getattr(book, "_archive", None)
    if path is None or archive is None:
        return 0, []
    found: list[tuple[int, int, int, int]] = []
    cells = 0
    tail = b""
    with archive.open(path) as src:
        while True:
            chunk = src.read(1 << 20)
            block = tail + chunk
            # Matches starting in the last 256 bytes may be cut by the chunk's end: they are taken from the
            # next block (which starts there), or here when this is the last one.
            keep = max(0, len(block) - 256) if chunk else len(block)
            cells += sum(1 for m in _CELL_TAG.finditer(block) if m.start() < keep)
            for m in _MERGE_CELL.finditer(block):
                if m.start() >= keep:
                    break
                first, _, last = m.group(1).decode("ascii", "replace").partition(":")
                a = _cell_index(first)
                b = _cell_index(last or first)
                if a is None or b is None:
                    continue
                found.append((min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])))
                if len(found) > MAX_MERGED_RANGES:
                    raise _MergedTooMany
            if not chunk:
                break
            tail = block[keep:]
    return cells, sorted(set(found))


class _MergedTooMany(Exception):
    """More merged ranges than MAX_MERGED_RANGES."""


def _fill_merged(rows: list[tuple[int, tuple[str, ...]]], merged: list[tuple[int, int, int, int]],
                 top_left: dict[tuple[int, int], str]) -> list[tuple[int, tuple[str, ...]]]:
    """Every cell of each merged range given its top-left value, in the rows that hold anything of their own."""
    if not merged:
        return rows
    by_row: dict[int, list[tuple[int, int, str]]] = {}
    for r0, c0, r1, c1 in merged:
        value = top_left.get((r0, c0), "")
        if not value or c0 >= MAX_TABLE_COLUMNS:
            continue
        for number in range(r0 + 1, min(r1, MAX_TABLE_ROWS) + 2):
            by_row.setdefault(number, []).append((c0, min(c1, MAX_TABLE_COLUMNS - 1), value))
    out: list[tuple[int, tuple[str, ...]]] = []
    for number, cells in rows:
        spans = by_row.get(number)
        if spans:
            filled = list(cells)
            for c0, c1, value in spans:
                if len(filled) <= c1:
                    filled.extend([""] * (c1 + 1 - len(filled)))
                for c in range(c0, c1 + 1):
                    filled[c] = value
            cells = tuple(filled)
        out.append((number, cells))
    return out


def _read_xlsx(path: str | Path, name: str, *, sheet: str | None, data: bytes | None = None) -> Table:
    data = _read_table_bytes(path, name, data)
    if data.startswith(_OLE_MAGIC):
        raise _table_fail(name, _ole_message(data))
    if not data.startswith(b"PK\x03\x04"):
        raise _table_fail(name, "is not an Excel .xlsx workbook (save it as .xlsx or CSV UTF-8)")
    _check_zip(data, name)
    try:
        import openpyxl
    except ImportError:
        raise _table_fail(name, "reading Excel files needs openpyxl: pip install 'child-timeline[xlsx]', "
                                "or save the sheet as CSV UTF-8") from None
    import io as _io
    import warnings as _warnings

    damaged = ("cannot be read as an Excel workbook (a damaged or unusual file); open and re-save it in Excel, "
               "or save it as CSV UTF-8")
    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            book = openpyxl.load_workbook(_io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise _table_fail(name, "is too large to read; split it, or save it as CSV UTF-8") from None
    except Exception:  # a crafted or damaged workbook: openpyxl raises anything (KeyError, TypeError ...)
        raise _table_fail(name, damaged) from None
    try:
        ws = _choose_sheet(book, name, sheet)
        chosen = str(ws.title)
        where = f"sheet '{cut(chosen)}'"
        rows: list[tuple[int, tuple[str, ...]]] = []
        top_left: dict[tuple[int, int], str] = {}
        try:
            cell_count, merged = _scan_sheet(book, ws)
        except _MergedTooMany:
            raise _table_fail(name, f"has more than {MAX_MERGED_RANGES:,} merged ranges; unmerge the cells, or "
                                    "save it as CSV UTF-8", where) from None
        if cell_count > MAX_XLSX_CELLS:
            raise _table_fail(name, f"has more than {MAX_XLSX_CELLS:,} cells ({cell_count:,}, formatted empty ones "
                                    "too); split the chronology, clear the formatting of unused rows and columns, "
                                    "or save it as CSV UTF-8", where)
        corners = {(r0, c0) for r0, c0, _, _ in merged}
        number = 0
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore")
            try:
                ws.reset_dimensions()  # the <dimension> a program wrote may be too small: read every row
                for number, row in enumerate(ws.iter_rows(max_col=MAX_TABLE_COLUMNS), start=1):
                    if number > MAX_TABLE_ROWS:
                        raise _table_fail(name, f"has more than {MAX_TABLE_ROWS:,} rows; split the chronology",
                                          where)
                    end = len(row)  # rows come padded to MAX_TABLE_COLUMNS; the cells were counted above
                    while end and row[end - 1].value is None:
                        end -= 1
                    texts = []
                    for c in row[:end]:
                        text = _excel_cell_text(c.value, getattr(c, "number_format", None))
                        if len(text) > MAX_CELL_CHARS:
                            text = text[:MAX_CELL_CHARS]
                        texts.append(text)
                    for col, text in enumerate(texts):
                        if text and (number - 1, col) in corners:
                            top_left[(number - 1, col)] = text
                    while texts and not texts[-1]:
                        texts.pop()  # sheets often report formatted but empty columns to the right
                    if texts:
                        rows.append((number, tuple(texts)))
            except CaseError:
                raise
            except MemoryError:
                raise _table_fail(name, "is too large to read; split it, or save it as CSV UTF-8", where) from None
            except Exception:
                raise _table_fail(name, damaged + " (the trouble is after row " + f"{number})", where) from None
    finally:
        with contextlib.suppress(Exception):  # closing a damaged archive may fail; nothing to keep
            book.close()
    rows = _fill_merged(rows, merged, top_left)
    if not rows:
        names = ", ".join(cut(n) for n in book.sheetnames[:20])
        raise _table_fail(name, f"{where} holds no rows; a chronology needs a header row and one row per event "
                                f"(sheets: {names}); choose one with --sheet")
    return Table(file=name, rows=tuple(rows), sheet=chosen, merged=tuple(merged))
