"""Output stage (case files): a validated Case -> case-file YAML text in the contract's field order.

Import and anonymise both end in a case file a person will open and edit, so it is written by hand in the
order the format documents (version, child, jurisdiction, as_of, events; in each event kind, type, dates,
route, label, note, source, status, id), not in whatever order a serialiser picks. Every piece of text is
written as a double-quoted YAML scalar by PyYAML's emitter, so quotes, colons, '#', leading dashes, line
breaks and look-alike values (`yes`, `2016`, `null`) all read back as the same text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import yaml

from ..model.case import AnyEvent, Case

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schemas/case.schema.json"
_PLAIN_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?[~?]?|[~?])$")
_PLAIN_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
_NO_WRAP = 1_000_000  # line width for the emitter: never fold long text


def quote(text: str) -> str:
    """Text as a double-quoted YAML scalar that reads back exactly (non-printable characters escaped)."""
    out = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=_NO_WRAP)
    return out.removesuffix("\n").removesuffix("\n...").rstrip("\n")


def _date(text: str) -> str:
    """A date plain when YAML keeps it as text in our loader and in most editors' eyes; quoted otherwise."""
    return text if _PLAIN_DATE.match(text) else quote(text)


def _code(text: str) -> str:
    return text if _PLAIN_CODE.match(text) and text not in _YAML_WORDS else quote(text)


def _event_lines(event: AnyEvent) -> list[str]:
    fields: list[tuple[str, str]] = [("kind", _code(event.kind)), ("type", _code(event.type))]
    if event.is_span:
        fields.append(("start", _date(event.first.isoformat())))
        if event.last is not None:
            fields.append(("end", _date(event.last.isoformat())))
    else:
        fields.append(("date", _date(event.first.isoformat())))
    route = getattr(event, "route", None)
    if route is not None:
        fields.append(("route", _code(route)))
    for name in ("label", "note", "source", "for_child"):
        value = getattr(event, name)
        if value is not None:
            fields.append((name, quote(value)))
    if event.planned:
        fields.append(("status", "planned"))
    if event.id is not None:
        fields.append(("id", quote(event.id)))
    lines = []
    for i, (key, value) in enumerate(fields):
        lines.append(f"{'  - ' if i == 0 else '    '}{key}: {value}")
    return lines


def _comment_text(text: str) -> str:
    """A comment's words on one line, printable characters only: a line break would end the comment, and a
    control or text-direction character (from a column heading, say) makes YAML refuse the file or shows
    the words in another order than they are read. Not `problems.visible`, which escapes the characters a
    terminal hides but leaves some YAML refuses (U+FFFE, U+FFFF): here every unprintable one goes."""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def dump_case(case: Case, *, comments: Mapping[int, Sequence[str]] | None = None) -> str:
    """The case as case-file YAML (schema comment first); loading it gives back an equal Case.

    `comments`: event index -> lines written as YAML comments above that event (the importer's guesses, so
    the file says what to check); each on one line, so no text can end the comment."""
    lines = [SCHEMA_COMMENT, f"version: {case.version}", "child:", f"  name: {quote(case.child.name)}",
             f"  date_of_birth: {case.child.date_of_birth.isoformat()}"]
    if case.child.ref is not None:
        lines.append(f"  ref: {quote(case.child.ref)}")
    if case.child.known_as is not None:
        lines.append(f"  known_as: {quote(case.child.known_as)}")
    lines.append(f"jurisdiction: {_code(case.jurisdiction)}")
    if case.as_of is not None:
        lines.append(f"as_of: {case.as_of.isoformat()}")
    held = [f"reviews: {case.records.reviews}"] if case.records.reviews != "partial" else []
    if case.records.steps_not_kept:
        held.append(f"steps_not_kept: [{', '.join(_code(s) for s in case.records.steps_not_kept)}]")
    if held:
        lines.append(f"records: {{{', '.join(held)}}}")
    if not case.events:
        lines.append("events: []")
    else:
        lines.append("events:")
        for index, event in enumerate(case.events):
            for comment in (comments or {}).get(index, ()):
                lines.append("  # " + _comment_text(comment))
            lines.extend(_event_lines(event))
    if case.undated:  # rows with no known date: kept for the chronology table, never drawn or counted
        lines.append("undated:")
        for entry in case.undated:
            lines.append(f"  - label: {quote(entry.label)}")
            for key in ("note", "source"):
                value = getattr(entry, key)
                if value is not None:
                    lines.append(f"    {key}: {quote(value)}")
            lines.append(f"    after: {'null' if entry.after is None else entry.after}")
    if case.child_view is not None:
        lines.append(f"child_view: {{agreed: {'true' if case.child_view.agreed else 'false'}}}")
    return "\n".join(lines) + "\n"


__all__ = ["SCHEMA_COMMENT", "dump_case", "quote"]
