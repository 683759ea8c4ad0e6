"""Input stage, JSON: JSON text -> plain data, each value and key located (the standard library does not).
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..problems import CaseError, Loc, Problem
from .messages import MAX_DEPTH, MAX_NODES, Lines, SourceMap, path_text

MAX_NUMBER_DIGITS = 100  # int() of a longer one is slow (and refused past 4,300 digits)

_NUMBER = re.compile(r"(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?")
_WS = re.compile(r"[ \t\n\r]*")


class _JSONParser:
    """A small JSON parser that records where each value stands (the standard library does not)."""

    def __init__(self, text: str, source: SourceMap) -> None:
        self.text = text
        self.source = source
        self.lines = Lines(text)
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
            where = path_text(loc[:2]) + ("..." if len(loc) > 2 else "")
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
                        path_text((*loc, key)),
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

