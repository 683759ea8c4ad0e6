"""Model stage transform (anonymise): a Case -> a fictionalised Case that keeps the journey's shape.

Trainers need real journeys with nothing that identifies a child. The child's name becomes a pseudonym
(given, or picked from a built-in list by seed), the reference goes, notes, sources and every id go
(an id such as "mcallisterperm" names people too; the chart then uses `event-<n>`), labels become the
name of their type, and every date - the date of birth and `as_of` included - moves by the same number
of days, so ages, intervals and every measure drawn from them stay as they were. `leaks` then checks an
output for any word of the original's name, reference, labels or ids that survived, however spelt.

The date shift comes from a secret seed, never from the case or the code alone: without the seed (a
random one when none is given, which the command line prints once for the user to keep) the shift
cannot be worked out from a training handout, so neither can the real date of birth. The same seed
gives the same copy.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from collections.abc import Iterable
from datetime import timedelta
from functools import cache
from importlib import resources

from ..dates import PartialDate
from .case import AnyEvent, Case, Child
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


Seed = int | str


@cache
def session_seed() -> str:
    """The seed used when none is given: random, made once per process (so every part of one render agrees)
    and never written anywhere."""
    return secrets.token_hex(16)


def default_shift(seed: Seed) -> int:
    """The days every date moves by when none is given: -30 to -400, fixed by the seed (earlier, so a
    past journey stays in the past). Without the seed the shift is unknowable: it is a hash of the seed."""
    digest = hashlib.sha256(f"child-timeline shift {seed}".encode()).digest()
    return -(SHIFT_MIN_DAYS + int.from_bytes(digest[:4], "big") % SHIFT_SPAN_DAYS)


def case_seed(seed: Seed, case: Case) -> Seed:
    """The seed for one case: the user's seed, mixed with the original's name, date of birth and reference
    (which the copy does not hold). An int stays an int, moved by a hash, so seeds 0, 1, 2 ... still give
    different pseudonyms."""
    who = f"{case.child.name}\x1f{case.child.date_of_birth.isoformat()}\x1f{case.child.ref or ''}"
    digest = int.from_bytes(hashlib.sha256(f"child-timeline case {who}".encode()).digest()[:6], "big")
    if isinstance(seed, int):
        return seed + digest
    return f"{seed}\x1f{digest}"


def _seed_index(seed: Seed) -> int:
    """A whole number from a seed: the seed itself when it is one, else a hash of the text."""
    if isinstance(seed, int):
        return seed
    if seed.isdigit() and len(seed) <= 30:
        return int(seed)
    return int.from_bytes(hashlib.sha256(f"child-timeline name {seed}".encode()).digest()[:8], "big")


def _words(text: str | None) -> set[str]:
    return {w.lower() for w in _WORD.findall(text or "") if len(w) >= MIN_WORD}


def pick_pseudonym(seed: Seed, *, avoid: Iterable[str] = ()) -> str:
    """The pseudonym for a seed, skipping any that shares a word with `avoid` (the original's own words)."""
    names = pseudonyms()
    index = _seed_index(seed)
    banned = {fold(w) for w in avoid}
    for step in range(len(names)):
        candidate = names[(index + step) % len(names)]
        if not {fold(w) for w in _words(candidate)} & banned:
            return candidate
    return names[index % len(names)]


def _move(day: PartialDate, days: int) -> PartialDate:
    return day.shifted(days)


def _anon_event(
    event: AnyEvent,
    *,
    days: int,
    keep_labels: bool,
    jurisdiction: str,
    original_labels: frozenset[str],
) -> AnyEvent:
    # Every id goes: one word such as "stninians" or "amysgp" names a place or a person as surely as a
    # label does, and no word list can tell. The chart and the summary then use `event-<n>`.
    update: dict[str, object] = {"note": None, "source": None, "id": None,
                                 "for_child": None}  # child-facing words may name carers
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
    seed: Seed | None = None,
    shift_days: int | None = None,
    keep_labels: bool = False,
) -> Case:
    """A fictionalised copy: pseudonym, no ref, every date moved by the same days, no notes/sources/ids,
    labels replaced by their type's name unless `keep_labels` (then warn with KEEP_LABELS_WARNING).

    `seed` (a number or any text) fixes the pseudonym and the shift; None uses this process's random
    `session_seed`, so the copy cannot be undone by anyone without it. The result is re-validated, so it
    is a case file like any other.
    """
    if seed is None:
        seed = session_seed()
    # The seed is mixed with who the child is, so that one seed over a batch of cases gives each its own
    # shift: knowing one child's real date of birth then tells nothing about another's.
    mixed = case_seed(seed, case)
    days = default_shift(mixed) if shift_days is None else shift_days
    pseudonym = name if name is not None else pick_pseudonym(mixed, avoid=_identifying_words(case))
    child = Child(
        name=pseudonym,
        date_of_birth=case.child.date_of_birth + timedelta(days=days),
        ref=None,
    )
    labels = frozenset(e.label for e in case.events if e.label and len(e.label) >= MIN_WORD)
    events = tuple(
        _anon_event(e, days=days, keep_labels=keep_labels, jurisdiction=case.jurisdiction,
                    original_labels=labels)
        for e in case.events
    )
    as_of = case.as_of + timedelta(days=days) if case.as_of is not None else None
    data = {
        "version": case.version,
        "child": child.model_dump(mode="json", exclude_none=True),
        "jurisdiction": case.jurisdiction,
        "records": case.records.model_dump(mode="json"),
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


def fold(text: str) -> str:
    """Text as compared by `leaks`: compatibility forms (full-width letters) made plain, accents and
    format characters (soft hyphens, zero-width spaces, direction marks) removed, case folded."""
    text = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in text if unicodedata.category(ch) not in ("Mn", "Me", "Cf"))
    return unicodedata.normalize("NFKC", kept).casefold()


def _spoken_words(text: str) -> set[str]:
    """The folded words of a text, each also without a possessive or plural ending ("McAllisters'" also
    counts as "mcallister"), so a name reads the same however it is declined."""
    out: set[str] = set()
    for word in _WORD.findall(fold(text)):
        out.add(word)
        for ending in ("s",):
            if word.endswith(ending) and len(word) > len(ending) + 2:
                out.add(word[: -len(ending)])
    return out


def leaks(original: Case, output_text: str | bytes, *, include_labels: bool = True) -> list[str]:
    """Words (>= 3 letters) of the original's name, ref, labels and ids found in an output, however written.

    Both sides are folded first (case, accents, full-width forms, soft hyphens and other invisible
    characters), and possessives and plurals count ("Siobhan", "McALLISTERS'" and "Ｓｉｏｂｈáｎ" all
    match "Siobhán"). Label words that are vocabulary or common words ('Foster', 'with') are ignored: they
    identify no one. Set `include_labels=False` when labels were kept on purpose (warned about already).
    """
    text = output_text.decode("utf-8", errors="replace") if isinstance(output_text, bytes) else output_text
    folded = fold(text)
    found_words = _spoken_words(text)
    candidates: list[str] = []
    for word in _WORD.findall(original.child.name):
        candidates.append(word)
    ref = original.child.ref
    whole_ref = bool(ref) and ref is not None and fold(ref) in folded
    for word in _WORD.findall(ref or ""):
        if not _YEAR.match(word) and not whole_ref:
            candidates.append(word)
    ignored = _vocabulary_words(original.jurisdiction) | _STOP_WORDS
    if include_labels:
        for event in original.events:
            for word in _WORD.findall(event.label or ""):
                if fold(word) not in ignored and not word.isdigit():
                    candidates.append(word)
    ids: list[str] = []
    codes = {fold(t.code) for t in load_vocabulary(original.jurisdiction).all_terms()}
    # Label words kept on purpose (include_labels=False) were warned about already, in ids too.
    label_words = set() if include_labels else {fold(w) for e in original.events for w in _WORD.findall(e.label or "")}
    for event in original.events:
        if not event.id or re.fullmatch(r"event-\d+", event.id):
            continue
        words = [w for w in _WORD.findall(event.id)
                 if len(w) >= MIN_WORD and fold(w) not in ignored | label_words and not w.isdigit()]
        if words and fold(event.id) not in codes:  # "cso-home", "s25": vocabulary words only, naming no one
            ids.append(event.id)
            candidates.extend(words)
    out: list[str] = []
    seen: set[str] = set()
    for word in candidates:
        key = fold(word)
        if len(key) < MIN_WORD or key in seen:
            continue
        seen.add(key)
        if key in found_words:
            out.append(word)
    for whole in ids:  # an id is one word of the output however it is split ("mcallister-perm")
        key = fold(whole)
        if key not in seen and re.search(r"(?<![^\W_])" + re.escape(key) + r"(?![^\W_])", folded):
            seen.add(key)
            out.append(whole)
    if whole_ref and ref is not None:
        out.append(ref)
    return out


__all__ = ["KEEP_LABELS_WARNING", "anonymise", "case_seed", "default_shift", "fold", "leaks", "pick_pseudonym",
           "pseudonyms", "session_seed"]
