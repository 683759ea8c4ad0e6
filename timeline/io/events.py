"""Input stage, YAML: the event stream of a YAML file -> plain data, each value located (line:col).

Built from libyaml's events without recursion or the composer, so alias bombs, deep nesting and duplicate
keys are refused with plain messages, and timestamps stay the text written (a bad date must be a located
validation error, not a crash).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from ..problems import CaseError, Loc, Problem
from .messages import MAX_DEPTH, MAX_NODES, Lines, SourceMap, path_text

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
                        raise CaseError([Problem(self.source.file, *self._pos(event), path_text(loc),
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
                        where = path_text(loc[:2]) + ("..." if len(loc) > 2 else "")
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
                self.problems.append(Problem(self.source.file, *self._pos(start), path_text(parent.loc),
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
                        path_text(key_loc),
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
        line, col = Lines(text).at(min(position, len(text)))
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

