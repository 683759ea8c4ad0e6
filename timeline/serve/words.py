"""Serve stage (words): the vocabulary's codes in the importer's messages put into the vocabulary's words.

The importer and the checks speak to a command-line user, who can look codes up with `timeline vocab`: "'cso' is
a order type, not a placement type", "(the order types: s25, cpo, ...)". A practitioner in the browser sees the
words the pickers offer instead: "'cso' is a legal order type, not a placement type", "(the legal order types:
Section 25 ..., Child Protection Order, ...)". Only the message's wording changes; what the user typed (quoted)
is left as typed, and nothing is added that the message did not say.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

_SOME = r"(?:\w+)(?:(?:, | or )\w+)*"


@cache
def _rules(jurisdiction: str) -> tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...]:
    from ..model.vocabulary import KINDS, load_vocabulary

    vocab = load_vocabulary(jurisdiction)
    kind_words = {k: vocab.kind_labels.get(k, k)[:1].lower() + vocab.kind_labels.get(k, k)[1:] for k in KINDS}
    # "Compulsory Supervision Order" keeps its capitals; "Legal order" -> "legal order" inside a sentence

    def kinds(text: str) -> str:
        """'order or placement' / 'order, placement' -> 'legal order or placement' (codes only; else as is)."""
        names = re.split(r", | or ", text)
        if not all(n in kind_words for n in names):
            return text
        words = [kind_words[n] for n in names]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]

    def type_list(m: re.Match[str]) -> str:
        kind = m.group(1)
        if kind not in kind_words:
            return m.group(0)
        codes = vocab.codes(kind)
        labels = [vocab.term(kind, c).label if c in codes else c for c in m.group(2).split(", ")]
        return f"(the {kind_words[kind]} types: {', '.join(labels)})"

    return (
        (re.compile(r"\(the (\w+) types: ([^)]*)\)"), type_list),
        (re.compile(rf"\b(a|an|not a|not an) ({_SOME}) (type|has one date)\b"),
         lambda m: m.group(0) if kinds(m.group(2)) == m.group(2) else
         f"{_article(m.group(1), kinds(m.group(2)))} {kinds(m.group(2))} {m.group(3)}"),
        (re.compile(rf"\bknown ({_SOME}) type\b"), lambda m: f"known {kinds(m.group(1))} type"),
        (re.compile(rf"\ba type of ({_SOME});"), lambda m: f"a type of {kinds(m.group(1))};"),
    )


def _article(article: str, word: str) -> str:
    """'a' or 'an' (keeping a leading 'not') before the word as it now reads."""
    lead = "not " if article.startswith("not") else ""
    return lead + ("an" if word[:1].lower() in "aeiou" else "a")


def in_words(message: str, jurisdiction: str) -> str:
    """One message with the vocabulary's codes for kinds and types put into its words."""
    try:
        rules = _rules(jurisdiction)
    except (KeyError, ValueError, OSError):  # an unknown jurisdiction: the message as it was
        return message
    for pattern, change in rules:
        message = pattern.sub(change, message)
    return message


def problem_in_words(problem: Mapping[str, Any], jurisdiction: str) -> dict[str, Any]:
    """A located problem's JSON with its message in words."""
    out = dict(problem)
    if isinstance(out.get("message"), str):
        out["message"] = in_words(out["message"], jurisdiction)
    return out


def report_in_words(report: Mapping[str, Any] | None, jurisdiction: str) -> dict[str, Any] | None:
    """The import report as the page shows it: every message of it in words (a copy; the held one is unchanged)."""
    if report is None:
        return None
    out = dict(report)
    out["problems"] = [problem_in_words(p, jurisdiction) for p in report.get("problems") or ()]
    out["notes"] = [in_words(n, jurisdiction) for n in report.get("notes") or ()]
    rows = []
    for row in report.get("rows") or ():
        if any(row.get(k) for k in ("why", "warnings", "notes")):
            row = {**row, **{k: [in_words(t, jurisdiction) for t in row.get(k) or ()]
                             for k in ("why", "warnings", "notes")}}
        rows.append(row)
    out["rows"] = rows
    return out
