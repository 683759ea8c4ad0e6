"""Vocabulary (model stage data): the codes a jurisdiction's case files may use, loaded from data files.

Which orders make a child looked after, which achieve permanence and what each is called are facts of law,
not of code: they live in `timeline/vocab/<jurisdiction>.yaml` so another jurisdiction is a new file, not
new if-chains.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml

KINDS: tuple[str, ...] = ("placement", "order", "hearing", "meeting", "milestone", "event")
SPAN_KINDS: frozenset[str] = frozenset({"placement", "order"})
ROUTES: tuple[str, ...] = ("home", "kinship", "permanence_order", "adoption", "special_guardianship",
                           "child_arrangements")
JURISDICTIONS: tuple[str, ...] = ("scotland", "england-wales", "wales")


@dataclass(frozen=True, slots=True)
class Term:
    """One code of one kind, with what the law says of it and how it is drawn by default."""

    kind: str
    code: str
    label: str
    abbr: str
    looked_after: bool = False
    route: str | None = None
    ends_looked_after: bool = False
    overlay: bool = False
    colour: str | None = None
    pattern: str | None = None
    marker: str | None = None
    ends_orders: tuple[str, ...] = ()  # an event of this code starting ends an open order of these codes
    step: str | None = None  # the step to permanence (milestone code) this event's start dates, if any


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """All terms of one jurisdiction, by kind then code, in file order."""

    name: str
    title: str
    kind_labels: dict[str, str]
    terms: dict[str, dict[str, Term]]
    routes: dict[str, str]
    looked_after_until_age: int = 18  # no looked-after period runs past this birthday
    words: dict[str, str] = field(default_factory=dict)  # the jurisdiction's words (`words:` in its file)

    def word(self, key: str) -> str:
        """One of the jurisdiction's words (the review meeting's code, the legend's court name ...)."""
        return self.words[key]

    def codes(self, kind: str) -> tuple[str, ...]:
        """The codes of one kind, in file order."""
        return tuple(self.terms.get(kind, {}))

    def term(self, kind: str, code: str) -> Term:
        """The term for a code; KeyError when the case model let an unknown one through (a bug)."""
        return self.terms[kind][code]

    def all_terms(self) -> list[Term]:
        """Every term, kinds in contract order."""
        return [t for kind in KINDS for t in self.terms.get(kind, {}).values()]


def _term(kind: str, code: str, raw: dict[str, Any]) -> Term:
    return Term(
        kind=kind,
        code=code,
        label=str(raw["label"]),
        abbr=str(raw.get("abbr", raw["label"])),
        looked_after=bool(raw.get("looked_after", False)),
        route=raw.get("route"),
        ends_looked_after=bool(raw.get("ends_looked_after", False)),
        overlay=bool(raw.get("overlay", False)),
        colour=raw.get("colour"),
        pattern=raw.get("pattern"),
        marker=raw.get("marker"),
        ends_orders=tuple(str(c) for c in raw.get("ends_orders", ())),
        step=raw.get("step"),
    )


def load_vocabulary(name: str = "scotland") -> Vocabulary:
    """Load a bundled vocabulary by jurisdiction name (read once per process, whoever asks and how)."""
    if name not in JURISDICTIONS:
        raise KeyError(name)
    return _load(name)


def overlay(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` laid on `base`, block by block (a variant such as Wales names only what differs from
    England and Wales); a key set to null in `over` is removed."""
    out = dict(base)
    for key, value in over.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = overlay(out[key], value)
        else:
            out[key] = value
    return out


def _raw(name: str) -> dict[str, Any]:
    """A vocabulary file as plain data, laid over its `base:` jurisdiction's when it names one."""
    text = resources.files("timeline").joinpath("vocab").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    # libyaml's loader when present: the vocabulary is read on every start, and it is 20x faster.
    raw: dict[str, Any] = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    base = raw.pop("base", None)
    return overlay(_raw(str(base)), raw) if base else raw


@cache
def _load(name: str) -> Vocabulary:
    raw = _raw(name)
    terms = {
        kind: {code: _term(kind, code, spec) for code, spec in raw["kinds"][kind]["codes"].items()} for kind in KINDS
    }
    labels = {kind: str(raw["kinds"][kind]["label"]) for kind in KINDS}
    return Vocabulary(name=raw["name"], title=raw["title"], kind_labels=labels, terms=terms, routes=dict(raw["routes"]),
                      looked_after_until_age=int(raw.get("looked_after_until_age", 18)),
                      words={str(k): str(v) for k, v in (raw.get("words") or {}).items()})
