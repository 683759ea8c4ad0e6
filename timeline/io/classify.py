"""Input stage (import): a chronology row's free text -> the events it states, read as practitioners write them.

Real chronologies have no Type column: they say "Placed with F/C", "ICSO made at hearing", "Home on CSO".
This module reads such text with the words of `timeline/vocab/<jurisdiction>-words.yaml` (data, not code:
each word's synonyms and its legal family) and returns what the text states, each statement marked as a
confident reading or a guess the user should check, with the words that decided it.

The one rule that matters more than finding things: never cross legal meaning. An application, petition,
panel, recommendation or plan is never an order; an order is never a different order; a word of another
jurisdiction is never read as one of this one's; "not", "refused", "plan for" make no fact. When the words
do not settle a reading, there is no reading, and the caller keeps the row as a life event with its words.

Matching is by whole words (case, punctuation and apostrophes ignored: "F/C" = "F.C."; "PO" is not inside
"police" or "PPO"), longest phrase first, over at most `MAX_SCAN` characters, in time linear in the text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from ..model.vocabulary import JURISDICTIONS, KINDS, Vocabulary, load_vocabulary
from ..words import with_article

# A chronology cell can hold pages of notes; what a row states is in its first lines. Bounding the scan keeps
# the cost of a huge cell the same as a short one.
MAX_SCAN = 2000
# A mistyped type is compared word by word; past this many words it is a sentence, not a type.
MAX_SUGGEST_WORDS = 8
# How alike a mistyped word must be to a vocabulary word ("fostr" ~ "foster" is 0.91; "perminence" 0.9).
FUZZY_CUTOFF = 0.8
# A short mistyped word must be closer, and only to a longer word ("ordr" ~ "order" is 0.89).
FUZZY_SHORT = 0.85
# How far after "from" a placement is the one left ("moved from her gran's to F/C").
FROM_REACH = 3
# A permanence order with no "granted" or "made" is read only from a short statement ("Adoption order",
# "Section 11 residence order to grandparents"), never from a sentence about it.
LOOSE_WORDS = 3
# How near a hearing or meeting "not", "cancelled", "to be" must be to make it a guess ("review to be held").
UNSURE_REACH = 3

FACT_FAMILIES: dict[str, str] = {k: k for k in KINDS}
CUE_FAMILIES: frozenset[str] = frozenset(
    {"application", "petition", "lodged", "recommend", "decide", "permanence", "plan", "future", "negation",
     "not_held", "end",
     "reference", "from", "other_child", "move", "affirm", "hedge", "report", "noise"}
)
FAMILIES: frozenset[str] = frozenset({*FACT_FAMILIES, "panel", *CUE_FAMILIES})
# Families after which nothing in the same statement is a fact of what happened.
_NOT_FACT = frozenset({"negation", "not_held", "plan", "future"})
# Families that also make a hearing or meeting beside them a guess ("review cancelled", "hearing to be arranged").
_MAY_NOT_HAVE_HAPPENED = frozenset({"negation", "not_held", "future"})
_BREAK = ""
# An order's own words that it was changed ("ICSO varied - move to gran"): a move beside them is still a move.
# "Continued" or "remains" beside an order is no such word: "ICSO continued with residence at F/C" is no move.
_ORDER_CHANGED = frozenset({"varied", "variation"})
# Words that a hearing or meeting sat, beside a word that it did not ("postponed from 3/2, held 10/2").
_SAT_WORDS = frozenset({"held", "sat", "reconvened"})


# ---------------------------------------------------------------- public results


@dataclass(frozen=True, slots=True)
class Guess:
    """One event a text states: its kind and vocabulary code, the words that decided it and why."""

    kind: str  # placement | order | hearing | meeting | milestone | event
    type: str  # a code of the vocabulary for that kind
    matched: str  # the words in the text that decided it, as written ("F/C", "ICSO made")
    why: str  # plain words: 'read "F/C" as foster care'
    confident: bool  # False = a weak guess the user should check
    # a life event that is a sitting that did not sit ("CLA review cancelled"): that sitting's (kind, type)
    did_not_sit: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Classified:
    """What one text states: 0..n events in text order, other jurisdictions' words seen, the court named, and
    the orders or registrations it says ended ("CSO terminated", "Deregistered": kind "order", confident)."""

    guesses: tuple[Guess, ...]
    other_jurisdiction: tuple[str, ...]
    court: str | None
    ended: tuple[Guess, ...] = ()


@dataclass(frozen=True, slots=True)
class Detection:
    """Whether a whole chronology is written in another jurisdiction's words, and which words say so."""

    jurisdiction: str | None  # "england-wales" when the texts are in that jurisdiction's words, else None
    words: tuple[str, ...]  # the distinctive words found, most frequent first, deduplicated


# ---------------------------------------------------------------- the words file


@dataclass(frozen=True, slots=True)
class Entry:
    """One way of writing something, from the words file: a fact (kind, type), a court, or a cue."""

    family: str
    kind: str | None = None
    type: str | None = None
    confident: bool = True
    needs_move: str = "none"  # none | weak | required
    also: tuple[tuple[str, str], ...] = ()
    note: str | None = None
    in_court: str | None = None
    lodged: bool = False  # an application's words that also say it was made ("applied for")
    ends_order: bool = False  # end words that end an order or registration named beside them ("terminated")
    name: str | None = None  # a court's proper name


@dataclass(frozen=True, slots=True)
class Foreign:
    """A word of another jurisdiction: the name shown, which jurisdiction, and whether one is enough."""

    show: str
    jurisdiction: str
    distinctive: bool


@dataclass(frozen=True, slots=True)
class Words:
    """A jurisdiction's words file, compiled: phrase (as a tuple of normalised words) -> what it is."""

    name: str
    vocab: Vocabulary
    index: dict[tuple[str, ...], Entry]
    foreign: dict[tuple[str, ...], Foreign]
    foreign_titles: dict[str, str]
    clause_words: frozenset[str]
    moving_words: frozenset[str]
    stop_words: frozenset[str]
    generic_words: frozenset[str]
    by_type: dict[tuple[str, ...], tuple[tuple[str, str], ...]]  # vocabulary labels, abbreviations and codes
    known: frozenset[str]
    move_words: frozenset[str]
    narrower: dict[str, tuple[str, ...]]
    pronouns: frozenset[str]
    hearings_about_orders: frozenset[str]
    index_prefixes: frozenset[tuple[str, ...]]
    foreign_prefixes: frozenset[tuple[str, ...]]
    # For suggestions: every phrase of any kind, family or jurisdiction without its stop words, with the
    # (kind, code) it may suggest (None: a word that must never be suggested from), and word -> phrases.
    candidates: tuple[tuple[tuple[str, ...], tuple[str, str] | None], ...] = ()
    postings: dict[str, frozenset[int]] = field(default_factory=dict)


class _Tok(NamedTuple):
    """One word of a text (a tuple: thousands are made per cell, and a frozen dataclass is slow to build)."""

    norm: str  # "" for a statement break
    start: int
    end: int


class _Match(NamedTuple):
    """A phrase found: what it is, and its first token and one past its last."""

    what: Any  # Entry or Foreign
    i: int
    j: int


# Dotted acronyms ("F.C.", "L.A.C.") are one word; "s.25" is "s 25"; apostrophes vanish ("children's");
# a hyphen after re-/de-/pre-/non- joins ("de-registered" = "deregistered"), elsewhere it separates.
_RAW = re.compile(r"(?:(?i:re|de|pre|non)-)?[^\W_]+(?:['’][^\W_]+)*|[&+]|[.;!?,\n]")
_PARTS = re.compile(r"\d+|[^\W\d_]+")
_JOINERS = str.maketrans("", "", "'’-")


def _tokens(text: str) -> list[_Tok]:
    """Words (lower case, letters and digits apart: "s25" -> "s", "25"), "&" and "+", and statement breaks."""
    out: list[_Tok] = []
    acronym = False  # the last word is a dotted acronym ("F.C"), whose final dot ends nothing
    for m in _RAW.finditer(text):
        raw = m.group()
        start, end = m.span()
        if raw in ".;!?,\n":
            # A dot inside a word ("s.25", "F.C") joins; a dot, comma, semicolon or line end ends a statement.
            if raw == "." and ((end < len(text) and text[end].isalnum()) or acronym):
                acronym = False
                continue
            if out and out[-1].norm != _BREAK:
                out.append(_Tok(_BREAK, start, end))
            continue
        acronym = False
        if raw in "&+":
            out.append(_Tok(raw, start, end))
            continue
        word = raw.lower().translate(_JOINERS)
        if (
            len(word) == 1
            and word.isalpha()
            and out
            and len(out[-1].norm) >= 1
            and out[-1].norm.isalpha()
            and out[-1].end == start - 1
            and text[start - 1] == "."
            and _single_letters(text, out[-1])
        ):
            last = out.pop()  # "L.A.C" -> "lac"
            out.append(_Tok(last.norm + word, last.start, end))
            acronym = True
            continue
        if word.isalpha():
            out.append(_Tok(word, start, end))
            continue
        for part in _PARTS.findall(word):
            out.append(_Tok(part, start, end))
    return out


def _single_letters(text: str, tok: _Tok) -> bool:
    """Whether a token is one letter, or letters joined by dots ("L.A"): the start of a dotted acronym."""
    return all(ch == "." for ch in text[tok.start + 1 : tok.end : 2]) and (tok.end - tok.start) % 2 == 1


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(t.norm for t in _tokens(text) if t.norm != _BREAK)


def _scan(toks: list[_Tok], index: dict[tuple[str, ...], Any], prefixes: frozenset[tuple[str, ...]]) -> list[_Match]:
    """Leftmost-longest phrases of `index` in the tokens; a phrase grows only while it is the start of one."""
    found: list[_Match] = []
    n = len(toks)
    i = 0
    while i < n:
        hit: _Match | None = None
        key: tuple[str, ...] = ()
        j = i
        while j < n and toks[j].norm != _BREAK:
            key = (*key, toks[j].norm)
            if key not in prefixes:
                break
            j += 1
            what = index.get(key)
            if what is not None:
                hit = _Match(what, i, j)
        if hit is None:
            i += 1
        else:
            found.append(hit)
            i = hit.j
    return found


def _prefixes(keys: Iterable[tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
    return frozenset(key[:k] for key in keys for k in range(1, len(key) + 1))


def words_file(jurisdiction: str) -> str:
    """The bundled words file's name for a jurisdiction."""
    return f"{jurisdiction}-words.yaml"


def _entry(spec: dict[str, Any], family: str, kind: str | None, code: str | None, needs_move: str,
           also: tuple[tuple[str, str], ...]) -> Entry:
    return Entry(
        family=family,
        kind=kind,
        type=code,
        confident=bool(spec.get("confident", True)),
        needs_move=needs_move,
        also=also,
        note=spec.get("note"),
        in_court=spec.get("in_court"),
        lodged=bool(spec.get("lodged", False)),
        ends_order=bool(spec.get("ends_order", False)),
    )


_Phrase = tuple[tuple[str, ...], Entry | None, str | None, str | None]  # key, entry, other jurisdiction, shown


@cache
def load_words(jurisdiction: str = "scotland") -> Words:
    """Read and compile a jurisdiction's words once per process; ValueError names a bad entry (a data bug)."""
    if jurisdiction not in JURISDICTIONS:
        raise KeyError(jurisdiction)
    vocab = load_vocabulary(jurisdiction)
    text = resources.files("timeline").joinpath("vocab").joinpath(words_file(jurisdiction)).read_text("utf-8")
    raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    index, phrases, move_words = _term_index(raw, vocab, words_file(jurisdiction))
    foreign, titles = _foreign_words(raw, phrases, words_file(jurisdiction))
    by_type = _type_names(vocab)
    known = {w for key in (*index, *foreign, *by_type) for w in key}
    stop = frozenset(_phrase(" ".join(raw.get("stop_words", ()))))
    candidates = _candidates(phrases, by_type, stop)
    postings: dict[str, set[int]] = {}
    for n, (key, _meaning) in enumerate(candidates):
        for w in key:
            postings.setdefault(w, set()).add(n)
    return Words(
        name=jurisdiction,
        vocab=vocab,
        index=index,
        foreign=foreign,
        foreign_titles=titles,
        clause_words=frozenset(_phrase(" ".join(raw.get("clause_words", ())))),
        moving_words=frozenset(_phrase(" ".join(raw.get("moving_words", ())))),
        stop_words=stop,
        generic_words=frozenset(_phrase(" ".join(raw.get("generic_words", ())))),
        by_type={k: tuple(v) for k, v in by_type.items()},
        known=frozenset(known),
        move_words=frozenset(move_words),
        narrower={str(k): tuple(str(c) for c in v) for k, v in (raw.get("narrower") or {}).items()},
        pronouns=frozenset(_phrase(" ".join(raw.get("pronouns", ())))),
        hearings_about_orders=frozenset(str(c) for c in raw.get("hearings_about_orders", ())),
        index_prefixes=_prefixes(index),
        foreign_prefixes=_prefixes(foreign),
        candidates=tuple(candidates),
        postings={w: frozenset(ids) for w, ids in postings.items()},
    )


def _term_index(raw: dict[str, Any], vocab: Vocabulary, file: str
                ) -> tuple[dict[tuple[str, ...], Entry], list[_Phrase], set[str]]:
    """The phrase index of the terms and courts, the phrases in file order, and the one-word move words.

    Every entry is checked against the vocabulary (a data bug names the file). A placement's words that say
    the move themselves ("placed with F/C") need no other move word; only the bare noun does."""
    index: dict[tuple[str, ...], Entry] = {}
    phrases: list[_Phrase] = []

    def add(words: list[str], entry: Entry) -> None:
        for w in words:
            key = _phrase(str(w))
            if not key:
                raise ValueError(f"{file}: '{w}' has no words")
            if key in index and index[key] != entry:
                raise ValueError(f"{file}: '{w}' is listed twice with different meanings")
            index[key] = entry
            phrases.append((key, entry, None, None))

    moves = {_phrase(str(w)) for spec in raw["terms"] if spec["family"] == "move" for w in spec["words"]}
    move_words = {key[0] for key in moves if len(key) == 1}
    for spec in raw["terms"]:
        family, kind, code, also = _checked_term(spec, vocab, file)
        needs_move = str(spec.get("needs_move", "weak" if kind == "placement" else "none"))
        if kind == "placement" and needs_move != "none":
            # "placed with F/C", "moved to gran" say the move themselves: only the bare noun needs one.
            plain = [w for w in spec["words"] if not set(_phrase(str(w))) & move_words]
            if len(plain) != len(spec["words"]):
                add([w for w in spec["words"] if w not in plain], _entry(spec, family, kind, code, "none", also))
                spec = {**spec, "words": plain}
        add(list(spec["words"]), _entry(spec, family, kind, code, needs_move, also))
    for court in raw.get("courts", ()):
        add(list(court["words"]), Entry(family="court", name=str(court["name"])))
    return index, phrases, move_words


def _checked_term(spec: dict[str, Any], vocab: Vocabulary, file: str
                  ) -> tuple[str, str | None, str | None, tuple[tuple[str, str], ...]]:
    """A term's family, kind, type and 'also' types, each known to the vocabulary (else ValueError)."""
    family = str(spec["family"])
    if family not in FAMILIES:
        raise ValueError(f"{file}: unknown family '{family}'")
    kind = spec.get("kind", FACT_FAMILIES.get(family))
    code = spec.get("type")
    if (kind is None) != (code is None) or (kind is not None and code not in vocab.codes(kind)):
        raise ValueError(f"{file}: {family} entry names no known type ({kind}, {code})")
    also = tuple((str(k), str(c)) for k, c in spec.get("also", ()))
    for k, c in also:
        if c not in vocab.codes(k):
            raise ValueError(f"{file}: 'also' names no known type ({k}, {c})")
    return family, kind, code, also


def _foreign_words(raw: dict[str, Any], phrases: list[_Phrase], file: str
                   ) -> tuple[dict[tuple[str, ...], Foreign], dict[str, str]]:
    """Other jurisdictions' words (distinctive or supporting) and their titles; each is added to `phrases`."""
    foreign: dict[tuple[str, ...], Foreign] = {}
    titles: dict[str, str] = {}
    for other, spec in (raw.get("other_jurisdictions") or {}).items():
        titles[str(other)] = str(spec.get("title", other))
        for strength in ("distinctive", "supporting"):
            for item in spec.get(strength, ()):
                mark = Foreign(str(item["show"]), str(other), strength == "distinctive")
                for w in item["words"]:
                    key = _phrase(str(w))
                    if key in foreign and foreign[key] != mark:
                        raise ValueError(f"{file}: '{w}' is listed twice for {other}")
                    foreign[key] = mark
                    phrases.append((key, None, str(other), mark.show))
    return foreign, titles


def _type_names(vocab: Vocabulary) -> dict[tuple[str, ...], list[tuple[str, str]]]:
    """Every way the vocabulary writes a type (code, code in words, label, abbreviation) -> its meanings."""
    by_type: dict[tuple[str, ...], list[tuple[str, str]]] = {}
    for term in vocab.all_terms():
        for written in (term.code, term.code.replace("_", " "), term.label, term.abbr):
            meanings = by_type.setdefault(_phrase(written), [])
            if (term.kind, term.code) not in meanings:
                meanings.append((term.kind, term.code))
    return by_type


def _candidates(phrases: list[_Phrase], by_type: dict[tuple[str, ...], list[tuple[str, str]]],
                stop: frozenset[str]) -> list[tuple[tuple[str, ...], tuple[str, str] | None]]:
    """The phrases a misspelt word may be suggested from, without stop words, each with the type it may
    suggest (only a confident fact's phrase, or a type's own name, may suggest one)."""
    candidates: list[tuple[tuple[str, ...], tuple[str, str] | None]] = []
    for key, said, _other, _show in phrases:
        may = said is not None and said.kind is not None and said.confident and said.family not in CUE_FAMILIES
        candidates.append((key, (str(said.kind), str(said.type)) if may and said is not None else None))
    candidates += [(key, meaning) for key, meanings in by_type.items() for meaning in meanings]
    return [(tuple(w for w in key if w not in stop), meaning) for key, meaning in candidates]


# ---------------------------------------------------------------- reading one text


def _name(vocab: Vocabulary, kind: str, code: str) -> str:
    """A term's label as it reads inside a sentence: "foster care", but "Compulsory Supervision Order"."""
    label = vocab.term(kind, code).label
    capitals = sum(1 for w in label.split() if w[:1].isupper())
    return label if capitals >= 2 or label[1:2].isupper() else label[:1].lower() + label[1:]


@dataclass(slots=True)
class _Candidate:
    pos: int
    kind: str
    type: str
    matched: str
    why: str
    confident: bool
    did_not_sit: tuple[str, str] | None = None


@dataclass(slots=True)
class _Reading:
    """Everything found in one text, before it is frozen into a `Classified`."""

    guesses: list[_Candidate]
    matches: list[_Match]
    foreign: list[Foreign]
    court: str | None
    ended: list[_Candidate] = field(default_factory=list)


def _route(vocab: Vocabulary, entry: Entry) -> bool:
    """Whether an entry names an order that is a legal route to permanence (PO, POA, adoption, KCO, s11)."""
    return entry.kind == "order" and entry.type is not None and vocab.term("order", entry.type).route is not None


def _both(toks: list[_Tok], words: Words) -> tuple[list[_Match], list[_Match]]:
    """This jurisdiction's phrases and other jurisdictions' phrases in the tokens, neither inside the other.

    A phrase inside a longer one is not said: "care order" in "kinship care order", "supervision order" in
    "s31 supervision order".
    """
    own = _scan(toks, words.index, words.index_prefixes)
    other = _scan(toks, words.foreign, words.foreign_prefixes)
    # Matches of one scan do not overlap, so the only one that can hold a match is the one over its first token.
    own_at: dict[int, _Match] = {k: m for m in own for k in range(m.i, m.j)}
    other = [f for f in other if not (f.i in own_at and _inside(f, own_at[f.i]))]
    other_at: dict[int, _Match] = {k: f for f in other for k in range(f.i, f.j)}
    own = [m for m in own if not (m.i in other_at and _inside(m, other_at[m.i]))]
    return own, other


def _inside(a: _Match, b: _Match) -> bool:
    """Whether match `a` lies within the strictly longer match `b`."""
    return b.i <= a.i and a.j <= b.j and (b.j - b.i) > (a.j - a.i)


def _said(text: str, toks: list[_Tok], i: int, j: int) -> str:
    return text[toks[i].start : toks[j - 1].end]


def _read(text: str, words: Words, *, kind_hint: str | None, as_type: bool) -> _Reading:
    """Everything one text says: its statements' facts, settled into one reading of each type."""
    text = text[:MAX_SCAN]
    toks = _tokens(text)
    matches, foreign_hits = _both(toks, words)
    foreign = list(dict.fromkeys(m.what for m in foreign_hits))
    court = next((m.what.name for m in matches if m.what.family == "court"), None)
    covered = [False] * len(toks)
    for m in matches:
        for k in range(m.i, m.j):
            covered[k] = True
    # "Care order and placement order made": orders listed with "and" share the verb after the last one
    order_ends = {m.j for m in matches if m.what.kind == "order"}
    order_starts = {m.i for m in matches if m.what.kind == "order"}
    listed = {k for k, tok in enumerate(toks) if tok.norm == "and" and k in order_ends and k + 1 in order_starts}
    clause_of, sentence_of = _clauses(toks, covered, words, listed)
    statements: dict[int, list[_Match]] = {}
    for m in matches:
        statements.setdefault(clause_of[m.i], []).append(m)
    loose: dict[int, int] = {}  # clause -> its words that no phrase reads
    for k, tok in enumerate(toks):
        if tok.norm != _BREAK and not covered[k]:
            loose[clause_of[k]] = loose.get(clause_of[k], 0) + 1
    moves: set[int] = {clause_of[k] for k, tok in enumerate(toks) if tok.norm in words.move_words}
    moves |= {clause_of[m.i] for m in matches if m.what.family == "move"}
    # "an initial writ for a residence order and parental rights (s11)": the application covers both orders.
    applied = {sentence_of[clause_of[m.i]] for m in matches if m.what.family in ("application", "petition")}
    others = _another_childs(toks, matches, clause_of, sentence_of, words)
    review_named = any(m.what.kind == "meeting" and m.what.type == "laac_review" for m in matches)
    out: list[_Candidate] = []
    ended: dict[str, _Candidate] = {}
    for number, ms in statements.items():
        moved = number in moves or as_type or kind_hint == "placement"
        in_application = sentence_of[number] in applied
        made, ends = _statement(text, toks, ms, words, court, foreign, review_named, moved, in_application,
                                number in others, loose.get(number, 0))
        out.extend(made)
        for c in ends:
            ended.setdefault(c.type, c)
    result = _settled(out, words)
    if not result and court is not None:
        first = next(m for m in matches if m.what.family == "court")
        said = _said(text, toks, first.i, first.j)
        result = [_Candidate(first.i, "hearing", "court", said,
                             f'read "{said}" as a court hearing (a guess: only the court is named)', False)]
    if kind_hint in KINDS and result and not any(c.kind == kind_hint for c in result):
        for c in result:
            if c.confident:
                c.confident = False
                c.why += f" (a guess: the row's kind says {kind_hint})"
    return _Reading(result, matches, foreign, court, list(ended.values()))


def _clauses(toks: list[_Tok], covered: list[bool], words: Words, listed: set[int] | None = None
             ) -> tuple[list[int], dict[int, int]]:
    """Each token's statement (clause), and each clause's sentence: a sentence ends at a break, a clause also
    at "and", "but", ... that are not inside a matched phrase, nor an "and" between two orders (`listed`)."""
    clause_of: list[int] = []
    sentence_of: dict[int, int] = {}
    clause = sentence = 0
    joined = listed or set()
    for k, tok in enumerate(toks):
        if tok.norm == _BREAK or (not covered[k] and tok.norm in words.clause_words and k not in joined):
            clause += 1
            sentence += tok.norm == _BREAK
        clause_of.append(clause)
        sentence_of[clause] = sentence
    return clause_of, sentence_of


def _another_childs(toks: list[_Tok], matches: list[_Match], clause_of: list[int], sentence_of: dict[int, int],
                    words: Words) -> set[int]:
    """The clauses about another child: "Older half-brother accommodated; he now lives with his
    grandparents": what follows a sibling named, to the end of the sentence and on through statements that
    begin "he", "she", "they", is that child's."""
    first_word: dict[int, str] = {}
    for k, tok in enumerate(toks):
        if tok.norm != _BREAK:
            first_word.setdefault(clause_of[k], tok.norm)
    sibling_from = {clause_of[m.i] for m in matches if m.what.family == "other_child"}
    others: set[int] = set()
    carry: int | None = None  # the sentence a sibling was named in
    for number in range((clause_of[-1] if clause_of else 0) + 1):
        if number in sibling_from:
            carry = sentence_of.get(number)
            continue
        if carry is not None and (sentence_of.get(number) == carry or first_word.get(number) in words.pronouns):
            others.add(number)
            carry = sentence_of.get(number)
        else:
            carry = None if number in first_word else carry
    return others


def _settled(out: list[_Candidate], words: Words) -> list[_Candidate]:
    """The statements' facts as one reading, in text order: a life event only when nothing else is stated (and
    one), no type beside a narrower one of it, each type once (confident if any reading of it is)."""
    out = sorted(out, key=lambda c: c.pos)
    # A life event only when nothing else is stated, and one: "Referral from health visitor" is a referral.
    stated = [c for c in out if c.kind != "event"]
    out = stated or out[:1]
    types = {(c.kind, c.type) for c in out}
    out = [c for c in out if not any((c.kind, n) in types for n in words.narrower.get(c.type, ()))]
    merged: dict[tuple[str, str], _Candidate] = {}
    for c in out:
        seen = merged.get((c.kind, c.type))
        if seen is None:
            merged[(c.kind, c.type)] = c
        elif c.confident and not seen.confident:
            merged[(c.kind, c.type)] = _Candidate(seen.pos, c.kind, c.type, c.matched, c.why, True)
    return sorted(merged.values(), key=lambda c: c.pos)


@dataclass(slots=True)
class _Statement:
    """One statement's matches and what its other words do to them, worked out once for its facts."""

    text: str
    toks: list[_Tok]
    ms: list[_Match]
    words: Words
    court: str | None
    foreign: list[Foreign]
    review_named: bool
    moved: bool
    in_application: bool
    loose: int
    reference_at: int | None
    cues: set[str]
    unsure_at: list[int]
    not_held_at: list[int]  # where a word says a hearing or meeting did not sit ("cancelled", "postponed")
    # a word that something went on ("continues", "remains with", "varied") that is not an order's own ("ICSO
    # varied - move to gran": the order was varied, the child moved); a placement beside one is no move
    hedged: bool
    from_reach: set[int]
    other_child_at: int | None
    facts: list[_Match]
    adm: bool
    deciding_body: bool
    hearings: set[str]
    argued: bool
    affirm_at: dict[int, int]
    route_orders: list[_Match] = field(default_factory=list)  # route orders an application names (filled in)

    @property
    def not_fact(self) -> bool:
        """A negation, a plan or a future: the statement says nothing happened."""
        return bool(self.cues & _NOT_FACT)

    @property
    def ended(self) -> bool:
        return "end" in self.cues

    @property
    def applying(self) -> bool:
        return bool(self.cues & {"application", "petition"})

    def unsure(self, m: _Match) -> bool:
        """Whether a cue just around `m` says it may not have happened ("review cancelled")."""
        return any(m.i - UNSURE_REACH <= k < m.j + UNSURE_REACH for k in self.unsure_at)

    def not_held(self, m: _Match) -> str | None:
        """The word just around `m` that says it did not sit ("cancelled", "postponed"), as written; else None."""
        near = next((k for k in self.not_held_at if m.i - UNSURE_REACH <= k < m.j + UNSURE_REACH), None)
        if near is None or self._held_after_all(m):
            return None
        cue = next(x for x in self.ms if x.i == near and x.what.family == "not_held")
        return _said(self.text, self.toks, cue.i, cue.j)

    def _held_after_all(self, m: _Match) -> bool:
        """Whether the words just after `m` say it sat after all ("LAAC review (postponed from 3/2) held"):
        then it is read as the sitting, a guess (`_sitting`), not as one that did not sit."""
        cues = {k for x in self.ms if x.what.family == "not_held" for k in range(x.i, x.j)}  # "not held"
        reach = range(max(0, m.i - UNSURE_REACH), min(len(self.toks), m.j + 3 * UNSURE_REACH))
        return any(self.toks[k].norm in _SAT_WORDS and k not in cues and not self._negated(k) for k in reach)

    def _negated(self, k: int) -> bool:
        """Whether the word before token `k` is a negation of the words file ("not held", "wasn't held")."""
        before = self.words.index.get((self.toks[k - 1].norm,)) if k > 0 else None
        return before is not None and before.family == "negation"

    def said(self, m: _Match, extend: bool = False) -> str:
        """The words of `m` as written; `extend`: with the verb that says an order was made ("ICSO made")."""
        return _said(self.text, self.toks, m.i, self.affirm_at.get(m.j, m.j) if extend else m.j)

    def about_else(self, m: _Match) -> bool:
        """Whether `m` comes after "following", "re", "since" or a sibling named: about something else."""
        return (self.reference_at is not None and m.i > self.reference_at) or (
            self.other_child_at is not None and m.i > self.other_child_at  # "older siblings adopted": not this child
        )


def _statement(
    text: str,
    toks: list[_Tok],
    ms: list[_Match],
    words: Words,
    court: str | None,
    foreign: list[Foreign],
    review_named: bool,
    moved: bool,
    in_application: bool,
    another_child: bool,
    loose: int,
) -> tuple[list[_Candidate], list[_Candidate]]:
    """The facts one statement makes, after what its other words do to them (see the words file's families),
    and the orders it says ended (`_ended`)."""
    st = _statement_of(text, toks, ms, words, court, foreign, review_named, moved, in_application,
                       another_child, loose)
    out: list[_Candidate] = []
    for m in st.facts:
        entry: Entry = m.what
        if st.adm and (entry.family == "panel" or (entry.kind == "hearing" and not entry.confident)):
            continue  # "ADM ratified the panel's recommendation": the panel sat earlier
        for kind, code in [(str(entry.kind), str(entry.type)), *entry.also]:
            candidate = _fact(st, m, kind, code)
            if candidate is not None:
                out.append(candidate)
    application = _application(st, out)
    if application is not None:
        out.append(application)
    recommended = _recommended(st)
    if recommended is not None:
        out.append(recommended)
    return out, _ended(st)


def _ended(st: _Statement) -> list[_Candidate]:
    """The orders and registrations a statement says ended ("CSO terminated", "Removed from the child
    protection register", "Deregistered"): only with words that end an order, never when the statement is
    negated, planned, an application, a recommendation, going on ("remains"), about something else or another
    jurisdiction's, and never from a review or panel (they decide plans) except for the register; only
    confident words."""
    if not st.ended or st.not_fact or st.applying or st.foreign or st.cues & {"recommend", "hedge"}:
        return []  # "placement ended, CSO remains in place": the order goes on
    if not any(m.what.family == "end" and m.what.ends_order and (st.reference_at is None or m.i <= st.reference_at)
               for m in st.ms):
        return []
    vocab = st.words.vocab
    out: list[_Candidate] = []
    for m in st.facts:
        entry: Entry = m.what
        if entry.kind != "order" or entry.type is None or not entry.confident or st.about_else(m):
            continue
        if st.deciding_body and entry.type != "cp_register":
            continue
        shown = _said(st.text, st.toks, min(x.i for x in st.ms), max(x.j for x in st.ms))  # the statement
        name = _name(vocab, "order", entry.type)
        out.append(_Candidate(m.i, "order", entry.type, shown, f'read "{shown}" as the end of the {name}', True))
    return out


def _statement_of(text: str, toks: list[_Tok], ms: list[_Match], words: Words, court: str | None,
                  foreign: list[Foreign], review_named: bool, moved: bool, in_application: bool,
                  another_child: bool, loose: int) -> _Statement:
    """What the statement's cue words are and where they stand, and which of its matches are facts."""
    reference_at = min((m.i for m in ms if m.what.family == "reference"), default=None)
    # After "following", "re", "since" the words are about something else: their cues are not this statement's.
    cues = {
        m.what.family
        for m in ms
        if m.what.family in CUE_FAMILIES and (reference_at is None or m.i <= reference_at)
    }
    # an order's own phrase may hold the verb ("CPO granted"): the statement then says an order was made
    if any(m.what.kind == "order" and _ends_made(toks, m, words) for m in ms):
        cues.add("affirm")
    # "Review cancelled", "hearing to be arranged": a cue just around a hearing or meeting says it may not have
    # happened; "LAAC review: plan for rehabilitation considered" is a review that happened.
    unsure_at = [m.i for m in ms if m.what.family in _MAY_NOT_HAVE_HAPPENED
                 and (reference_at is None or m.i <= reference_at)]
    from_at = [m.j for m in ms if m.what.family == "from"]
    other_child_at = min((m.i for m in ms if m.what.family == "other_child"), default=None)
    if another_child:
        other_child_at = -1
    facts = [m for m in ms if m.what.kind is not None]
    adm = any((m.what.kind, m.what.type) == ("milestone", "adm_decision") for m in facts)
    hearings = {str(m.what.type) for m in facts if m.what.kind == "hearing"}
    return _Statement(
        text=text, toks=toks, ms=ms, words=words, court=court, foreign=foreign, review_named=review_named,
        moved=moved, in_application=in_application, loose=loose, reference_at=reference_at, cues=cues,
        unsure_at=unsure_at,
        not_held_at=[m.i for m in ms if m.what.family == "not_held" and (reference_at is None or m.i <= reference_at)],
        hedged=any(h.what.family == "hedge" and (reference_at is None or h.i <= reference_at)
                   and not (toks[h.i].norm in _ORDER_CHANGED
                            and any(o.what.kind == "order" and 0 <= h.i - o.j <= 1 for o in ms)) for h in ms),
        from_reach={f + k for f in from_at for k in range(FROM_REACH)},
        other_child_at=other_child_at, facts=facts, adm=adm,
        deciding_body=adm or any(m.what.family == "panel" or m.what.kind == "meeting" for m in facts),
        hearings=hearings, argued=bool(hearings & words.hearings_about_orders),
        affirm_at={x.i: x.j for x in ms if x.what.family == "affirm"},
    )


def _ends_made(toks: list[_Tok], m: _Match, words: Words) -> bool:
    """Whether a match's last word says it was made ("CPO granted": the verb inside the order's phrase)."""
    last = words.index.get((toks[m.j - 1].norm,)) if m.j - m.i > 1 else None
    return last is not None and last.family == "affirm"


# What a fact of each kind becomes: (type, the words shown, confident), or None when the statement does not
# make it; each reads the statement and adds its reasons to the list.
_Judged = tuple[str, str, bool] | None


def _fact(st: _Statement, m: _Match, kind: str, code: str) -> _Candidate | None:
    """One fact a match names, judged by its kind's rules; its `why` says what was read and every doubt."""
    entry: Entry = m.what
    vocab = st.words.vocab
    reasons: list[str] = [entry.note] if entry.note else []
    if kind == "order":
        judged = _order(st, m, code, entry.confident, reasons)
    elif kind == "placement":
        judged = _placement(st, m, code, entry.confident, reasons)
    elif kind in ("hearing", "meeting") or entry.family == "panel":
        cue = st.not_held(m)
        if cue is not None:  # "LAAC review cancelled": no review sat; the row stays, as a life event
            shown = st.said(m)
            return _Candidate(m.i, "event", "other", shown,
                              f'"{shown}" with "{cue}": it did not sit, so it is kept as a life event, not '
                              f"counted as {with_article(_name(vocab, kind, code).lower())}", True, (kind, code))
        judged = _sitting(st, m, code, entry.confident, reasons)
    elif kind == "milestone":
        judged = _milestone(st, m, code, entry.confident, reasons)
    else:  # a life event
        if st.not_fact:
            reasons.append("a guess: check")
        judged = (code, st.said(m), entry.confident and not st.not_fact)
    if judged is None:
        return None
    code, shown, confident = judged
    if st.foreign and confident:
        confident = False
        reasons.append("a guess: words of another jurisdiction are in the same text: "
                       + ", ".join(f.show for f in st.foreign))
    why = f'read "{shown}" as {_name(vocab, kind, code)}'
    if not confident and not any("guess" in r or "check" in r for r in reasons):
        reasons.append("a guess: check")
    if reasons:
        why += " (" + "; ".join(dict.fromkeys(reasons)) + ")"
    return _Candidate(m.i, kind, code, shown, why, confident)


def _order(st: _Statement, m: _Match, code: str, confident: bool, reasons: list[str]) -> _Judged:
    """An order is a fact of law: never read across jurisdictions, from an application, a plan, a decision
    body's words, or a hearing that is about it; a permanence order needs a word that it was granted."""
    vocab = st.words.vocab
    if st.foreign:
        return None  # an order is a fact of law: never read across jurisdictions
    route = vocab.term("order", code).route is not None
    if st.applying or (st.in_application and route):
        if st.applying and route:
            st.route_orders.append(m)
        return None  # an application or petition is never an order
    if st.not_fact or st.ended or st.about_else(m) or "recommend" in st.cues:
        return None
    if st.deciding_body and code != "cp_register":
        return None  # a review, panel or ADM decides plans, not orders
    if route and "affirm" not in st.cues and st.loose > LOOSE_WORDS:
        return None  # "Solicitor advised that a PO is the appropriate order": permanence needs "granted"
    if st.hearings and "affirm" not in st.cues:
        if st.argued or route:
            return None  # "POA proof", "PO hearing": about the order; nothing says it was granted
        confident = False
        reasons.append("a guess: no word says the hearing made it")
    if "hedge" in st.cues:
        return None  # "CSO continued", "remains subject to a PO": an order going on is not one made
    return code, st.said(m, extend=True), confident


def _placement(st: _Statement, m: _Match, code: str, confident: bool, reasons: list[str]) -> _Judged:
    """A placement is a move: not one left ("moved from F/C"), planned, ended or going on, and a guess when
    only a meeting names it or no word says the child moved."""
    entry: Entry = m.what
    if st.not_fact or st.ended or st.about_else(m) or st.applying or "recommend" in st.cues:
        return None
    if m.i in st.from_reach:
        return None  # "moved from F/C to gran": the foster placement is the one left
    if entry.family == "placement" and st.deciding_body:
        confident = False
        reasons.append("a guess: a meeting or panel named it")
    if entry.needs_move != "none" and not st.moved and entry.family == "placement":
        if entry.needs_move == "required":
            return None  # "F/C reported ...": a carer named is not a move
        confident = False
        reasons.append("a guess: no word says the child moved or lives there")
    if st.hedged:
        return None  # "kinship placement continues", "remains with F/C": no move
    return code, st.said(m), confident


def _sitting(st: _Statement, m: _Match, code: str, confident: bool, reasons: list[str]) -> _Judged:
    """A hearing, meeting or panel: a court named (or a court order) makes it the court's; a cue around it
    that it may not have happened makes it a guess."""
    entry: Entry = m.what
    if entry.in_court and st.court is not None:
        code = entry.in_court
        confident = False
        reasons.append(f"a guess: the text names the {st.court}")
    elif entry.in_court and any(_route(st.words.vocab, o.what) for o in st.facts):
        code = entry.in_court  # "PO hearing": a court decides a PO, not a children's hearing
        confident = False
        reasons.append("a guess: a court order is named")
    if st.unsure(m):
        confident = False
        reasons.append("a guess: the words say it may not have happened")
    return code, st.said(m), confident


def _milestone(st: _Statement, m: _Match, code: str, confident: bool, reasons: list[str]) -> _Judged:
    """A milestone: an agency decision is a fact even about a plan; the others not when negated, planned,
    ended, about something else, or already said by the order named."""
    vocab = st.words.vocab
    if code == "adm_decision":
        if st.unsure(m) or "negation" in st.cues:  # the decision is a fact even when it is about a plan
            confident = False
            reasons.append("a guess: the words say it may not have happened")
        return code, st.said(m), confident
    if st.cues & {"negation", "future"} or st.ended or st.about_else(m):
        return None
    if code == "permanence_recommended" and not st.review_named:
        confident = False
        reasons.append("a guess: no review is named")
    if code == "final_order" and any(_route(vocab, o.what) for o in st.facts):
        return None  # the order itself says it
    if code == "looked_after" and any(o.what.family == "order" for o in st.facts):
        return None  # the order names the basis; "accommodated under s25" is not two facts
    return code, st.said(m), confident


def _application(st: _Statement, out: list[_Candidate]) -> _Candidate | None:
    """An application or petition to a court: "application lodged", never the order it asks for."""
    if not st.applying or st.not_fact or st.ended or "affirm" in st.cues or st.foreign:
        return None
    apps = [m for m in st.ms if m.what.family in ("application", "petition")]
    petition = any(m.what.family == "petition" for m in apps)
    lodged = "lodged" in st.cues or any(m.what.lodged for m in apps)
    other = any(c.kind != "event" for c in out)
    if not ((st.route_orders or petition or st.court is not None) and (lodged or not other)):
        return None
    span = [*st.route_orders, *apps]
    first = min(span, key=lambda m: m.i)
    last = max(span, key=lambda m: m.j)
    shown = _said(st.text, st.toks, first.i, last.j)
    confident = lodged and bool(st.route_orders or petition)
    why = f'read "{shown}" as {_name(st.words.vocab, "milestone", "application_lodged")} '
    why += "(an application or petition is not an order"
    why += ")" if confident else "; a guess: it may not be lodged)"
    return _Candidate(first.i, "milestone", "application_lodged", shown, why, confident)


def _recommended(st: _Statement) -> _Candidate | None:
    """ "LAAC review recommended permanence": at most the milestone, and only beside a review."""
    vocab = st.words.vocab
    facts = st.facts
    has_recommended = any((m.what.kind, m.what.type) == ("milestone", "permanence_recommended") for m in facts)
    if (
        has_recommended
        or not st.review_named
        or not st.cues & {"recommend", "decide"}
        or not ("permanence" in st.cues or st.route_orders or any(_route(vocab, m.what) for m in facts))
        or st.not_fact or st.ended or st.applying or st.foreign
        or any(m.what.family == "panel" or m.what.type == "adm_decision" for m in facts)
    ):
        return None
    span = [m for m in st.ms if m.what.family in ("recommend", "decide", "permanence") or m.what.kind == "order"]
    first = min(span, key=lambda m: m.i)
    last = max(span, key=lambda m: m.j)
    shown = _said(st.text, st.toks, first.i, last.j)
    why = (f'read "{shown}" as {_name(vocab, "milestone", "permanence_recommended")} '
           "(a guess: check that the review recommended permanence)")
    return _Candidate(first.i, "milestone", "permanence_recommended", shown, why, False)


def _exact_type(text: str, words: Words, kind: str | None) -> tuple[str, str] | None:
    """A type written as the vocabulary writes it (code, label or abbreviation) -> (kind, code), if one."""
    meanings = words.by_type.get(_phrase(text[:MAX_SCAN]), ())
    fitting = [m for m in meanings if kind is None or m[0] == kind]
    return fitting[0] if len(fitting) == 1 else None


def _freeze(reading: _Reading) -> Classified:
    guesses = tuple(Guess(c.kind, c.type, c.matched, c.why, c.confident, c.did_not_sit) for c in reading.guesses)
    ended = tuple(Guess(c.kind, c.type, c.matched, c.why, c.confident) for c in reading.ended)
    return Classified(guesses, tuple(f.show for f in reading.foreign), reading.court, ended)


def classify_text(
    text: str, *, jurisdiction: str = "scotland", kind_hint: str | None = None, type_hint: str | None = None
) -> Classified:
    """The events a row's text states (0..n, in text order), other jurisdictions' words in it, the court named.

    `kind_hint` is the row's kind column when it has one: guesses of another kind become weak, and a carer
    named under "Placement" is a placement. `type_hint` is the row's type column when it did not name a
    code ("Foster carers", "POA petition"): what it states comes first. Nothing known gives no guess.
    """
    if not isinstance(text, str):
        text = ""
    words = load_words(jurisdiction)
    hint_kind = kind_hint if kind_hint in KINDS else None
    reading = _read(text, words, kind_hint=hint_kind, as_type=False)
    if isinstance(type_hint, str) and type_hint.strip() and _phrase(type_hint) not in (("other",), ()):
        first: list[_Candidate] = []
        exact = _exact_type(type_hint, words, hint_kind)
        if exact is not None:
            kind, code = exact
            shown = type_hint[:120].strip()
            why = f'read the type "{shown[:40]}" as {_name(words.vocab, kind, code)}'
            first.append(_Candidate(-1, kind, code, shown, why, True))
        else:
            typed = _read(type_hint, words, kind_hint=hint_kind, as_type=True)
            first.extend(c for c in typed.guesses if hint_kind is None or c.kind == hint_kind)
        taken = {(c.kind, c.type) for c in first}
        reading.guesses = [*first, *(c for c in reading.guesses if (c.kind, c.type) not in taken)]
    return _freeze(reading)


def says_move(text: str, *, jurisdiction: str = "scotland") -> bool:
    """Whether the text has a word of moving or living somewhere ("moved", "placed", "went to live"): a row
    naming the home the child already lives in is a new placement only when it says the child moved."""
    words = load_words(jurisdiction)
    return any(tok.norm in words.moving_words for tok in _tokens(text[:MAX_SCAN]))


def cue_families(text: str, *, jurisdiction: str = "scotland") -> frozenset[str]:
    """The families of the cue words in a text ("application", "affirm", "end" ...): what a row's Details say
    of the order its Type names ("Application made": asked for, not made; "Granted": made)."""
    words = load_words(jurisdiction)
    own, _ = _both(_tokens(text[:MAX_SCAN]), words)
    return frozenset(m.what.family for m in own if m.what.family in CUE_FAMILIES)


@lru_cache(maxsize=16384)
def _foreign_in(text: str, expected: str) -> tuple[Foreign, ...]:
    """Other jurisdictions' words in one text, in order (pure, so kept: a workspace reads every unchanged
    row's text again after each edit)."""
    return tuple(m.what for m in _both(_tokens(text), load_words(expected))[1])


def detect_jurisdiction(texts: Iterable[str], *, expected: str = "scotland") -> Detection:
    """Whether a chronology's texts are in another jurisdiction's words (one distinctive word, or two different).

    Reads every text (each up to `MAX_SCAN` characters) and counts the other jurisdictions' words of
    `expected`'s words file; the words are returned most frequent first, so a message can name them.
    """
    words = load_words(expected)
    counts: dict[Foreign, int] = {}
    for text in texts:
        if not isinstance(text, str) or not text:
            continue
        for what in _foreign_in(text[:MAX_SCAN], expected):
            counts[what] = counts.get(what, 0) + 1
    best: tuple[int, int, str] | None = None
    for other in words.foreign_titles:
        mine = [f for f in counts if f.jurisdiction == other]
        shown = {f.show for f in mine}
        if any(f.distinctive for f in mine) or len(shown) >= 2:
            score = (sum(counts[f] for f in mine), len(shown), other)
            best = score if best is None or score > best else best
    if best is None:
        return Detection(None, ())
    other = best[2]
    totals: dict[str, int] = {}
    for f, n in counts.items():  # dict order = first seen, so ties keep the order of the text
        if f.jurisdiction == other:
            totals[f.show] = totals.get(f.show, 0) + n
    ranked = sorted(totals, key=lambda show: -totals[show])
    return Detection(other, tuple(ranked))


def _close(word: str, words: Words) -> dict[str, float]:
    """The vocabulary's words that a written word may be a typo of, with how close each is.

    A word the vocabulary knows stands for itself only ("placement" never becomes "permanence"); an unknown
    word may be a typo of a known one, and a short one (an abbreviation) only by a doubled letter ("csoo")
    or of a longer word ("ordr" -> "order"), so "ppo" is never "po".
    """
    if word in words.known:
        return {word: 1.0}
    if word.isdigit():
        return {}
    short = len(word) < 5
    cut = FUZZY_SHORT if short else FUZZY_CUTOFF
    found: dict[str, float] = {}
    if short and _collapse(word) in words.known:
        found[_collapse(word)] = 0.9
    matcher = difflib.SequenceMatcher(None, "", word)  # the written word is seq2: difflib caches it
    for known in words.known:
        if len(known) < (5 if short else 4) or known.isdigit():
            continue
        matcher.set_seq1(known)
        if matcher.real_quick_ratio() >= cut and matcher.quick_ratio() >= cut:
            ratio = matcher.ratio()
            if ratio >= cut:
                found[known] = max(found.get(known, 0.0), ratio)
    return found


def _collapse(word: str) -> str:
    return re.sub(r"(.)\1+", r"\1", word)


def _fit(close: list[dict[str, float]], cand: tuple[str, ...]) -> tuple[int, float] | None:
    """How the written words fit a candidate: (candidate words left over, closeness), or None when they do not."""
    left = list(cand)
    score = 0.0
    for options in close:
        best = max(((options[w], w) for w in left if w in options), default=None)
        if best is None:
            return None
        left.remove(best[1])
        score += best[0]
    return len(left), score


def safe_suggestions(text: str, kind: str, *, jurisdiction: str = "scotland") -> tuple[str, ...]:
    """Codes of `kind` close to `text` that do not cross legal meaning (no application/petition/panel/plan
    -> order; no order -> a different order in law; nothing across jurisdictions). Empty when weak."""
    if not isinstance(text, str) or kind not in KINDS:
        return ()
    words = load_words(jurisdiction)
    text = text[:MAX_SCAN]
    exact = _exact_type(text, words, kind)
    if exact is not None:
        return (exact[1],)
    reading = _read(text, words, kind_hint=kind, as_type=True)
    if reading.foreign:
        return ()
    same = [c.type for c in reading.guesses if c.kind == kind and c.confident]
    if same:
        return tuple(dict.fromkeys(same))
    if any(m.what.family in CUE_FAMILIES for m in reading.matches):
        return ()  # the words make it not a fact ("petition", "plan", "not"): no guess at all
    written = _phrase(text)
    if reading.guesses and sum(m.j - m.i for m in reading.matches) >= len(written):
        return ()  # every word is read, as something of another kind: no guess
    said = [w for w in written if w not in words.stop_words]
    if not said or len(said) > MAX_SUGGEST_WORDS or all(w in words.generic_words for w in said):
        return ()
    close = [_close(w, words) for w in said]
    # Only candidates holding a possible reading of every written word; then the closest of them all, of
    # any kind, family or jurisdiction, must be of this kind, or there is no suggestion.
    ids: set[int] | None = None
    for options in close:
        having = set().union(*(words.postings.get(w, ()) for w in options))
        ids = having if ids is None else ids & having
        if not ids:
            return ()
    best: tuple[int, float] | None = None
    winners: set[tuple[str, str] | None] = set()
    for n in sorted(ids or ()):
        cand, meaning = words.candidates[n]
        fit = _fit(close, cand)
        if fit is None:
            continue
        rank = (fit[0], -round(fit[1], 6))
        if best is None or rank < (best[0], -round(best[1], 6)):
            best, winners = fit, {meaning}
        elif rank == (best[0], -round(best[1], 6)):
            winners.add(meaning)
    fitting = {w for w in winners if w is not None and w[0] == kind}
    if best is None or len(fitting) != 1 or len(winners) != 1:
        return ()  # nothing close, or as close to a word of another kind, family or jurisdiction
    return (next(iter(fitting))[1],)
