"""Model stage transform (anonymise): a Case -> a fictionalised Case that keeps the journey's shape.

Trainers need real journeys with nothing that identifies a child. The child's name becomes a pseudonym
(given, or picked from a built-in list by seed), the reference goes, notes, sources and ids go, labels
become the name of their type, and every date - the date of birth and `as_of` included - moves by the
same number of days, so ages, intervals and every measure drawn from them stay as they were. `leaks`
then checks an output for any word of the original's name, reference or labels that survived.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import timedelta
from functools import cache
from importlib import resources

from .dates import PartialDate
from .model import AnyEvent, Case, Child
from .vocabulary import load_vocabulary

SHIFT_MIN_DAYS = 30  # default shift: at least a month, so a date seen elsewhere does not match ...
SHIFT_SPAN_DAYS = 371  # ... and at most 400 days (about 13 months), so the story stays in its era
MIN_WORD = 3  # words shorter than this (initials, "Mr") are not checked by `leaks`
KEEP_LABELS_WARNING = (
    "labels are kept as written (--keep-labels); they may name people, places or services that identify "
    "the child: read them before sharing"
)
# Common words that say nothing about who a child is; ignored by `leaks` when they come from labels.
_COMMON = (
    """the and with for from into onto after before not was were has had have her his him she they their
    them this that are but all per via out off new one two three first second third last next made
    start starts started end ends ended set agreed held date age mum dad mother father parent parents
    gran granny grandmother grandfather grandparents aunt uncle sister brother carer carers home"""
)
_STOP_WORDS = frozenset(_COMMON.split())
# The case format's own words (YAML keys and values every anonymised file contains).
_FORMAT_WORDS = frozenset(
    """version child name date_of_birth ref jurisdiction scotland as_of events kind type start end date
    label note source status planned actual route id case schema json yaml language server""".replace("_", " ").split()
)
_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_YEAR = re.compile(r"^(19|20)\d\d$")


@cache
def pseudonyms() -> tuple[str, ...]:
    """The built-in pseudonyms (data file timeline/data/pseudonyms.txt), in file order."""
    text = resources.files("timeline").joinpath("data").joinpath("pseudonyms.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def default_shift(seed: int) -> int:
    """The days every date moves by when none is given: -30 to -400, fixed by the seed (earlier, so a
    past journey stays in the past)."""
    digest = hashlib.sha256(f"child-timeline shift {seed}".encode()).digest()
    return -(SHIFT_MIN_DAYS + int.from_bytes(digest[:4], "big") % SHIFT_SPAN_DAYS)


def _words(text: str | None) -> set[str]:
    return {w.lower() for w in _WORD.findall(text or "") if len(w) >= MIN_WORD}


def pick_pseudonym(seed: int, *, avoid: Iterable[str] = ()) -> str:
    """The pseudonym for a seed, skipping any that shares a word with `avoid` (the original's own words)."""
    names = pseudonyms()
    banned = {w.lower() for w in avoid}
    for step in range(len(names)):
        candidate = names[(seed + step) % len(names)]
        if not _words(candidate) & banned:
            return candidate
    return names[seed % len(names)]


def _move(day: PartialDate, days: int) -> PartialDate:
    return day.shifted(days)


def _anon_event(
    event: AnyEvent,
    *,
    days: int,
    keep_labels: bool,
    jurisdiction: str,
    identifying: set[str],
    original_labels: frozenset[str],
) -> AnyEvent:
    # An id stays (the summary and the chart refer to events by it) unless it holds a word of the
    # original's name, reference, labels, notes or sources that is not a vocabulary or common word.
    id_words = {w.lower() for w in _WORD.findall(event.id or "") if len(w) >= MIN_WORD}
    keep_id = not (id_words & identifying)
    update: dict[str, object] = {"note": None, "source": None, "for_child": None,  # may name carers
                                 "id": event.id if keep_id else None}
    if event.is_span:
        update["start"] = _move(event.first, days)
        update["end"] = _move(event.last, days) if event.last is not None else None
    else:
        update["date"] = _move(event.first, days)
    if not keep_labels:
        name = load_vocabulary(jurisdiction).term(event.kind, event.type).label
        # No label at all when the type's name happens to contain one of the original labels verbatim
        # ("Permanence Order"), so that no original label text is in the output.
        update["label"] = None if any(label.lower() in name.lower() for label in original_labels) else name
    return event.model_copy(update=update)


def anonymise(
    case: Case,
    *,
    name: str | None = None,
    seed: int = 0,
    shift_days: int | None = None,
    keep_labels: bool = False,
) -> Case:
    """A fictionalised copy: pseudonym, no ref, every date moved by the same days, no notes/sources/ids,
    labels replaced by their type's name unless `keep_labels` (then warn with KEEP_LABELS_WARNING).

    The result is re-validated, so it is a case file like any other.
    """
    days = default_shift(seed) if shift_days is None else shift_days
    pseudonym = name if name is not None else pick_pseudonym(seed, avoid=_identifying_words(case))
    child = Child(
        name=pseudonym,
        date_of_birth=case.child.date_of_birth + timedelta(days=days),
        ref=None,
    )
    identifying = _identifying_words(case) - _vocabulary_words(case.jurisdiction) - _STOP_WORDS
    labels = frozenset(e.label for e in case.events if e.label and len(e.label) >= MIN_WORD)
    events = tuple(
        _anon_event(e, days=days, keep_labels=keep_labels, jurisdiction=case.jurisdiction,
                    identifying=identifying, original_labels=labels)
        for e in case.events
    )
    as_of = case.as_of + timedelta(days=days) if case.as_of is not None else None
    data = {
        "version": case.version,
        "child": child.model_dump(mode="json", exclude_none=True),
        "jurisdiction": case.jurisdiction,
        "events": [e.model_dump(mode="json", exclude_none=True, exclude_defaults=False) for e in events],
    }
    if as_of is not None:
        data["as_of"] = as_of.isoformat()
    return Case.model_validate(data)


def _identifying_words(case: Case) -> set[str]:
    words = _words(case.child.name) | _words(case.child.ref)
    for event in case.events:
        words |= _words(event.label) | _words(event.note) | _words(event.source)
    return words


def _vocabulary_words(jurisdiction: str) -> set[str]:
    vocab = load_vocabulary(jurisdiction)
    words: set[str] = set(_FORMAT_WORDS)
    for term in vocab.all_terms():
        words |= _words(term.label) | _words(term.abbr) | _words(term.code.replace("_", " "))
    for text in (*vocab.kind_labels.values(), *vocab.routes.values(), *vocab.routes):
        words |= _words(text.replace("_", " "))
    return words


def leaks(original: Case, output_text: str | bytes, *, include_labels: bool = True) -> list[str]:
    """Words (>= 3 letters) of the original's name, ref and labels found in an output, case-insensitively.

    Label words that are vocabulary or common words ('Foster', 'with') are ignored: they identify no one.
    Set `include_labels=False` when labels were kept on purpose (they were warned about already).
    """
    text = output_text.decode("utf-8", errors="replace") if isinstance(output_text, bytes) else output_text
    found_words = {w.lower() for w in _WORD.findall(text)}
    candidates: list[str] = []
    for word in _WORD.findall(original.child.name):
        candidates.append(word)
    ref = original.child.ref
    whole_ref = bool(ref) and ref is not None and ref.lower() in text.lower()
    for word in _WORD.findall(ref or ""):
        if not _YEAR.match(word) and not whole_ref:
            candidates.append(word)
    if include_labels:
        ignored = _vocabulary_words(original.jurisdiction) | _STOP_WORDS
        for event in original.events:
            for word in _WORD.findall(event.label or ""):
                if word.lower() not in ignored and not word.isdigit():
                    candidates.append(word)
    out: list[str] = []
    seen: set[str] = set()
    for word in candidates:
        key = word.lower()
        if len(word) < MIN_WORD or key in seen:
            continue
        seen.add(key)
        if key in found_words:
            out.append(word)
    if whole_ref and ref is not None:
        out.append(ref)
    return out


__all__ = ["KEEP_LABELS_WARNING", "anonymise", "default_shift", "leaks", "pick_pseudonym", "pseudonyms"]
