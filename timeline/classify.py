"""Input stage (import): free text -> the kinds and types of event it states. PLACEHOLDER.

This minimal version only keeps the agreed interface working while the real classifier (synonyms as data
per jurisdiction, several facts per row, jurisdiction detection, safe suggestions) is built on another
branch, which replaces this file. It matches a text that is exactly a vocabulary name, abbreviation or code,
detects no other jurisdiction, and suggests nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from .vocabulary import load_vocabulary

PLACEHOLDER = True  # the real module has no such flag; tests of real classification check for it


@dataclass(frozen=True, slots=True)
class Guess:
    """One event a text states: its kind and type, the words that decided it, and why, in plain words."""

    kind: str
    type: str
    matched: str
    why: str
    confident: bool


@dataclass(frozen=True, slots=True)
class Classified:
    """What a text states: 0..n events in text order, another jurisdiction's words, the court it names."""

    guesses: tuple[Guess, ...]
    other_jurisdiction: tuple[str, ...]
    court: str | None


@dataclass(frozen=True, slots=True)
class Detection:
    """Whether a chronology's texts are in another jurisdiction's words, and which words."""

    jurisdiction: str | None
    words: tuple[str, ...]


def _norm(text: str) -> str:
    text = text.lower().replace("’", "").replace("'", "")
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def classify_text(text: str, *, jurisdiction: str = "scotland",
                  kind_hint: str | None = None, type_hint: str | None = None) -> Classified:
    """The whole text as a vocabulary name, abbreviation or code (in `kind_hint` when given), else nothing."""
    key = _norm(text)
    for kind, code, label in _names(jurisdiction).get(key, ()):
        if kind_hint is None or kind == kind_hint:
            why = f'read "{text.strip()[:40]}" as {label}'
            return Classified((Guess(kind, code, text.strip(), why, True),), (), None)
    return Classified((), (), None)


@cache
def _names(jurisdiction: str) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """Every vocabulary name, abbreviation and code, normalised -> the (kind, code, label) it names."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for term in load_vocabulary(jurisdiction).all_terms():
        for name in {_norm(term.label), _norm(term.abbr), _norm(term.code)}:
            found.setdefault(name, []).append((term.kind, term.code, term.label))
    return {k: tuple(v) for k, v in found.items()}


def detect_jurisdiction(texts: Iterable[str], *, expected: str = "scotland") -> Detection:
    """Placeholder: detects nothing."""
    del texts, expected
    return Detection(None, ())


def safe_suggestions(text: str, kind: str, *, jurisdiction: str = "scotland") -> tuple[str, ...]:
    """Placeholder: suggests nothing (a weak match lists the valid codes instead)."""
    del text, kind, jurisdiction
    return ()


__all__ = ["Classified", "Detection", "Guess", "classify_text", "detect_jurisdiction", "safe_suggestions"]
