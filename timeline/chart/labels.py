"""Layout stage (labels): which label keeps its words, where it sits, and which nearby events share one label.

Pure and small, on frozen inputs: the layout measures the labels and hands them here as `Want`s; this module
decides, by what matters to a hearing (`priority`), which labels get a place for their words -- beside their
marker on the marker row, or in one of a lane's tiers beneath -- and the rest become numbers in the key
(placed by the layout, which owns the key). Every lookup is a binary search in a tier's sorted, disjoint
intervals, so a lane of n labels costs O(n log n) comparisons (list inserts move memory, not Python work).

Also the words of a combined label ("3 hearings, Jan–Mar 2016: ICSO continued", "LAAC reviews × 6") and
the note that says what was shortened to fit.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from ..dates import PartialDate

_EPS = 0.01
DASH = "–"
TIMES = "×"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# What matters to a hearing, highest first: legal orders, placements, decisions and permanence steps keep
# their words longest; hearings next; routine reviews and meetings, then life events, give way first.
KIND_PRIORITY: dict[str, int] = {"order": 4, "placement": 4, "milestone": 4, "hearing": 3, "meeting": 1, "event": 0}
TYPE_PRIORITY: dict[tuple[str, str], int] = {
    ("meeting", "permanence_planning"): 3,  # decisions on the plan
    ("meeting", "matching_panel"): 3,
    ("hearing", "pre_hearing_panel"): 2,  # procedural
    ("event", "referral"): 1,
}
TARGET_PRIORITY = 4  # a missed target of a permanence step
OVERDUE_PRIORITY = 1  # a review due and not recorded
# Lanes in the order they are given more tiers when a page has free height (what matters first).
GROW_ORDER: tuple[str, ...] = ("order", "placement", "milestone", "hearing", "meeting", "event")
GROW_MAX_TIERS = 8  # no lane grows past this many tiers
GROW_MAX_TRIES = 12  # layouts one search for free height may try (each is a whole layout)
GROW_LOOKAHEAD = 2  # tiers tried at once for a lane (one more tier may not help until the next comes)
GROW_MAX_EVENTS = 600  # above this many events the page is not searched for free height (each try is a layout)

# Nouns for counts and for the note (plural), by kind.
KIND_PLURAL: dict[str, str] = {"placement": "placements", "order": "legal orders", "hearing": "hearings",
                               "meeting": "meetings and reviews", "milestone": "milestones",
                               "event": "life events"}
COUNT_NOUN: dict[str, tuple[str, str]] = {"hearing": ("hearing", "hearings"), "meeting": ("meeting", "meetings"),
                                          "milestone": ("milestone", "milestones"), "event": ("event", "events")}


KIND_SINGULAR: dict[str, str] = {"placement": "placement", "order": "legal order", "hearing": "hearing",
                                 "meeting": "meeting or review", "milestone": "milestone", "event": "life event"}


def counted(kind: str, n: int) -> str:
    """'12 meetings and reviews', '1 life event'."""
    return f"{n} {(KIND_SINGULAR if n == 1 else KIND_PLURAL).get(kind, kind)}"


def priority(kind: str, code: str) -> int:
    """How long an event's label keeps its words when room is short (higher: longer)."""
    return TYPE_PRIORITY.get((kind, code), KIND_PRIORITY.get(kind, 1))


@dataclass(frozen=True, slots=True)
class Want:
    """One measured label asking for room: its box when left-aligned at the anchor (`x`) and when ending at it
    (`x_end`), its width, where it would start beside its marker (None: not there), and its priority."""

    anchor: float
    x: float
    x_end: float
    width: float
    beside: float | None
    priority: int
    order: int
    cut: bool = False  # its words were shortened: never placed as words (the theme numbers cut labels)
    beside_left: float | None = None  # where its box would start to end just left of its marker
    row_end: float | None = None  # on a marker row: where a box left of its marker must end (any lines)
    row_start: float | None = None  # and where one right of its marker may start


@dataclass(frozen=True, slots=True)
class Spot:
    """Where a label's words go: `tier` 0.. beneath the lane, or -1 on the marker row; `x` its box's left."""

    tier: int
    x: float


class Rows:
    """Occupied x intervals per tier (index 0 is the marker row, tiers follow): sorted, disjoint, searchable."""

    def __init__(self, row_blocks: Sequence[tuple[float, float]] = ()) -> None:
        merged: list[tuple[float, float]] = []
        for a, b in sorted(row_blocks):
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        self._rows: list[list[tuple[float, float]]] = [merged]

    def _row(self, tier: int) -> list[tuple[float, float]]:
        while len(self._rows) <= tier + 1:
            self._rows.append([])
        return self._rows[tier + 1]

    def free(self, tier: int, a: float, b: float, *, ignore: tuple[float, float] | None = None) -> bool:
        """True when [a, b) meets nothing in `tier` (-1: the marker row), `ignore` aside."""
        row = self._row(tier)
        i = bisect.bisect_left(row, (a, -1e18))
        for j in (i - 1, i, i + 1):
            if 0 <= j < len(row) and row[j] != ignore and row[j][0] < b - _EPS and row[j][1] > a + _EPS:
                return False
        return True

    def add(self, tier: int, a: float, b: float) -> None:
        bisect.insort(self._row(tier), (a, b))

    def replace(self, tier: int, old: tuple[float, float], new: tuple[float, float]) -> None:
        row = self._row(tier)
        row.pop(bisect.bisect_left(row, old))
        bisect.insort(row, new)

    def nearest(self, tier: int, x: float, width: float, lo: float, hi: float) -> float | None:
        """The left edge nearest `x` of a free stretch `width` wide inside [lo, hi] in `tier`, or None."""
        row = self._row(tier)
        i = bisect.bisect_left(row, (x, -1e18))
        best: float | None = None
        # gaps between consecutive intervals, walking out from x both ways until past [lo, hi]
        edges = [(-1e18, lo), *row, (hi, 1e18)]
        j = i + 1  # index into edges of the first interval starting at or after x
        for step in (-1, 1):
            k = j
            while 0 < k < len(edges):
                left_end = max(edges[k - 1][1], lo)
                right_start = min(edges[k][0], hi)
                if right_start - left_end >= width - _EPS:
                    pos = min(max(x, left_end), right_start - width)
                    if best is None or abs(pos - x) < abs(best - x):
                        best = pos
                    break
                if (step == -1 and edges[k - 1][1] < lo) or (step == 1 and edges[k][0] > hi):
                    break
                k += step
        return best

    def copy(self) -> Rows:
        """An independent copy (to try placements without keeping them)."""
        out = Rows()
        out._rows = [list(row) for row in self._rows]
        return out

    def lowest(self, a: float, b: float) -> int:
        """The lowest tier (0..) where [a, b) is free, opening a new one when none is."""
        tier = 0
        while not self.free(tier, a, b):
            tier += 1
        return tier


def assign_words(wants: Sequence[Want], *, cap: int, gap: float, right: float, lo: float = 0.0,
                 shift: float = 0.0, row_blocks: Sequence[tuple[float, float]] = ()
                 ) -> tuple[list[Spot | None], Rows]:
    """Room for the words of each label, most important first (then left to right): beside its marker when
    that row is free there, else the lowest of `cap` tiers where it fits left-aligned at its anchor or ending
    at it, or (`shift` > 0) the nearest free stretch at most `shift` px from that (its leader slants), all
    within [lo, right]. None: no room below the cap (the caller makes it a number). Also returns the occupied rows, so
    that the numbers are placed around the words."""
    rows = Rows(row_blocks)
    spots: list[Spot | None] = [None] * len(wants)
    ranked = sorted(range(len(wants)), key=lambda i: (-wants[i].priority, wants[i].anchor, wants[i].order))
    for i in ranked:
        w = wants[i]
        if w.cut:
            continue
        if (w.beside is not None and w.beside + w.width <= right + _EPS
                and rows.free(-1, w.beside, w.beside + w.width + gap)):
            rows.add(-1, w.beside, w.beside + w.width + gap)
            spots[i] = Spot(-1, w.beside)
            continue
        if w.beside_left is not None and w.beside_left >= lo - _EPS and rows.free(
                -1, w.beside_left, w.beside_left + w.width + gap):
            rows.add(-1, w.beside_left, w.beside_left + w.width + gap)
            spots[i] = Spot(-1, w.beside_left)
            continue
        for tier in range(cap):
            spot = next((x for x in (w.x, w.x_end) if rows.free(tier, x, x + w.width + gap)), None)
            if spot is None and shift > 0:  # further away, its leader slanting to it
                found = rows.nearest(tier, w.x, w.width + gap, max(lo, w.anchor - w.width - shift),
                                     min(right + gap, w.anchor + shift + w.width + gap))
                spot = None if found is None else round(found, 2)
            if spot is not None:
                rows.add(tier, spot, spot + w.width + gap)
                spots[i] = Spot(tier, spot)
                break
    return spots, rows


def clusters(anchors: Sequence[float], texts: Sequence[str], reach: Sequence[float]) -> list[list[int]]:
    """Indices of labels to combine: runs of two or more with the same words whose anchors are closer than
    `reach` (their label's width and gap: apart, they could not share a tier), in anchor order."""
    by_text: dict[str, list[int]] = {}
    for i in sorted(range(len(anchors)), key=lambda i: (anchors[i], i)):
        by_text.setdefault(texts[i], []).append(i)
    out: list[list[int]] = []
    for members in by_text.values():
        run = [members[0]]
        for i in members[1:]:
            if anchors[i] - anchors[run[-1]] < reach[run[-1]]:
                run.append(i)
            else:
                if len(run) > 1:
                    out.append(run)
                run = [i]
        if len(run) > 1:
            out.append(run)
    return sorted(out, key=lambda run: anchors[run[0]])


def month_range(first: date, last: date) -> str:
    """'Mar 2016', 'Jan–Mar 2016' or 'Nov 2016–Feb 2017'."""
    a, b = f"{MONTHS[first.month - 1]} {first.year}", f"{MONTHS[last.month - 1]} {last.year}"
    if a == b:
        return a
    if first.year == last.year:
        return f"{MONTHS[first.month - 1]}{DASH}{b}"
    return f"{a}{DASH}{b}"


def months_known(dates: Sequence[PartialDate]) -> tuple[date, date] | None:
    """(first, last) day a run of dates may fall on, for `month_range`: 'Jun 2016–May 2017' for reviews recorded
    as 'Jun–Aug 2016' ... 'Mar–May 2017', never the months of their middle days ('Jul 2016–Apr 2017'); None when
    one of them has no month to give (a year, an interval of years, 'c.', '?'): a label then gives the count."""
    if any(d.qualifier or d.precision == "year" or (d.ends is not None and "year" in (d.ends[0].precision,
                                                                                    d.ends[1].precision))
           for d in dates):
        return None
    return (min(d.earliest for d in dates), max(d.latest for d in dates))


def plural(text: str) -> str:
    """'LAAC review' -> 'LAAC reviews' (a name that already ends in s stays)."""
    return text if text.endswith("s") else f"{text}s"


def combined_words(kind: str, text: str, count: int, first: date, last: date, *, named: bool) -> tuple[str, str]:
    """The words of a combined label, long and short: with a label of the user's (`named`), '3 hearings,
    Jan–Mar 2016: ICSO continued' / 'ICSO continued × 3'; a type's own name, 'LAAC reviews × 6, Mar
    2019–Jun 2021' / 'LAAC reviews × 6'."""
    when = month_range(first, last)
    if named:
        noun = COUNT_NOUN.get(kind, ("event", "events"))[1]
        return f"{count} {noun}, {when}: {text}", f"{text} {TIMES} {count}"
    return f"{plural(text)} {TIMES} {count}, {when}", f"{plural(text)} {TIMES} {count}"


# Shared labels: nearby events of one type whose own words found no room share one label instead of each
# becoming a number or a bare marker ("LAAC reviews × 3, Mar 2019–Jun 2021"), its events ticked on a bracket.
SHARE_REACH = 150.0  # px: an event joins its type's run when at most this far from the run's last event
SHARE_ALONG = 150.0  # px: how far along the marker row from its run a shared label may sit, its bracket reaching it
SHARE_EXTRA_MIN = 3  # events a shared label must stand for to take a new tier or sit along the marker row
SHARED_NOUN: dict[tuple[str, str], str] = {  # plural nouns where the vocabulary's words do not simply take an s
    ("hearing", "childrens_hearing"): "Children's Hearings", ("hearing", "proof"): "Proofs",
    ("hearing", "court"): "Court hearings", ("meeting", "cp_planning_meeting"): "CP planning meetings",
    ("meeting", "ird"): "IRDs", ("meeting", "other"): "Meetings", ("event", "other"): "Life events",
    ("event", "worker_change"): "Changes of social worker", ("event", "contact"): "Contact events",
}


def shared_noun(kind: str, code: str, label: str, abbr: str) -> str:
    """What a shared label calls its events, plural: the table's noun, else the type's short name (or its
    full name when the short one is an acronym), plus 'events' for a life event."""
    if (kind, code) in SHARED_NOUN:
        return SHARED_NOUN[(kind, code)]
    name = label if abbr.isupper() or len(abbr) <= 3 else abbr
    if kind == "event":
        return f"{name.removesuffix(' event').removesuffix(' events')} events"
    return plural(name.split(" (")[0])


def shared_words(noun: str, count: int, first: date, last: date) -> tuple[str, str]:
    """A shared label's words, long and short: 'LAAC reviews × 3, Mar 2019–Jun 2021' / 'LAAC reviews × 3'."""
    return f"{noun} {TIMES} {count}, {month_range(first, last)}", f"{noun} {TIMES} {count}"


@dataclass(frozen=True, slots=True)
class Share:
    """A shared label that found room: the labels it stands for (indices), its one line, width and spot."""

    members: tuple[int, ...]
    lines: tuple[str, ...]
    width: float
    spot: Spot


def type_runs(anchors: Sequence[float], keys: Sequence[object | None], reach: float = SHARE_REACH
              ) -> list[list[int]]:
    """Runs of two or more labels of one key (their kind and type; None: not to share), each at most `reach`
    px from the run's previous label, in anchor order. Labels of other types in between do not break a run."""
    by_key: dict[object, list[int]] = {}
    for i in sorted(range(len(anchors)), key=lambda i: (anchors[i], i)):
        if keys[i] is not None:
            by_key.setdefault(keys[i], []).append(i)
    out: list[list[int]] = []
    for members in by_key.values():
        run = [members[0]]
        for i in members[1:]:
            if anchors[i] - anchors[run[-1]] > reach:
                out.append(run)
                run = []
            run.append(i)
        out.append(run)
    out = [run for run in out if len(run) > 1]
    return sorted(out, key=lambda run: anchors[run[0]])


def share_spot(rows: Rows, first: Want, last: Want, width: float, *, cap: int, gap: float, right: float,
               lo: float, extra: int = 0, along: bool = False) -> Spot | None:
    """Room for a shared label's one line: on the marker row just left of its first marker or just right of
    its last (no height), else in one of `cap` tiers, its box over the bracket so that one straight leader
    joins them (nearest to the first marker); with `along`, before a tier past the cap (`extra`) or when
    the tiers are full, further along the marker row (`_along_row`). None: no room."""
    if first.beside_left is not None:
        x = round(first.beside_left + first.width - width, 2)
        if x >= lo - _EPS and rows.free(-1, x, x + width + gap):
            return Spot(-1, x)
    if last.beside is not None and last.beside + width <= right + _EPS and rows.free(
            -1, last.beside, last.beside + width + gap):
        return Spot(-1, last.beside)
    for tier in range(cap + extra):
        if tier == cap and along:  # before a new tier's height: a free stretch of the marker row
            spot = _along_row(rows, first, last, width, gap=gap, right=right, lo=lo)
            if spot is not None:
                return spot
        found = rows.nearest(tier, first.x, width + gap, max(lo, first.anchor - width + 2.0),
                             min(right + gap, last.anchor - 2.0 + width + gap))
        if found is not None:
            return Spot(tier, round(found, 2))
    return _along_row(rows, first, last, width, gap=gap, right=right, lo=lo) if along and not extra else None


def _along_row(rows: Rows, first: Want, last: Want, width: float, *, gap: float, right: float, lo: float
               ) -> Spot | None:
    """A free stretch of the marker row for a shared label, at no height: a gap between the run's markers
    (the label then sits on its own bracket), else before its first marker or after its last, within
    `SHARE_ALONG` px, nearest to the run, the bracket running on along the row's foot to it (the lane's
    empty years before a child became looked after are the usual room)."""
    found: list[tuple[float, float]] = []  # (distance from the run, box's left)
    if first.row_start is not None and last.row_end is not None and last.row_end - first.row_start >= width:
        mid = (first.anchor + last.anchor - width) / 2  # a gap between its markers: on its own bracket
        x = rows.nearest(-1, mid, width + gap, first.row_start, last.row_end + gap)
        if x is not None:
            found.append((0.0, x))
    if first.row_end is not None:
        end = first.row_end
        x = rows.nearest(-1, end - width, width + gap, max(lo, end - SHARE_ALONG - width), end + gap)
        if x is not None:
            found.append((end - (x + width), x))
    if last.row_start is not None:
        start = last.row_start
        x = rows.nearest(-1, start, width + gap, start, min(right + gap, start + SHARE_ALONG + width + gap))
        if x is not None:
            found.append((x - start, x))
    return Spot(-1, round(min(found)[1], 2)) if found else None


@dataclass(frozen=True, slots=True)
class Numbers:
    """How the layout places numbers, to try them on a copy of the rows: a number box's width, the gap, how far
    aside it may move into a tier already open, and the stretch it must stay in."""

    width: float
    gap: float
    shift: float
    lo: float
    right: float


def number_tiers(rows: Rows, left: Sequence[Want], n: Numbers) -> int:
    """The lowest tier the numbers of `left` would reach (-1: none in a tier), tried on a copy of the rows as
    the layout places them: in x order, beside the marker where that row is free, touching ones joined in
    one box, else the lowest free tier or up to `n.shift` px aside in a tier already open."""
    trial = rows.copy()
    deepest = -1
    last: tuple[int, float, float] | None = None  # the previous number's tier and box, open to joining
    for w in sorted(left, key=lambda w: (w.x, w.anchor, w.order)):
        a = w.x
        if last is not None and a < last[2] + n.gap + _EPS and trial.free(
                last[0], last[1], last[2] + n.width + n.gap, ignore=(last[1], last[2] + n.gap)):
            trial.replace(last[0], (last[1], last[2] + n.gap), (last[1], last[2] + n.width + n.gap))
            last = (last[0], last[1], last[2] + n.width)
            continue
        if w.beside is not None and trial.free(-1, w.beside, w.beside + n.width + n.gap):
            trial.add(-1, w.beside, w.beside + n.width + n.gap)
            last = None
            continue
        tier = trial.lowest(a, a + n.width + n.gap)
        for open_tier in range(tier):
            found = trial.nearest(open_tier, a, n.width + n.gap, max(n.lo, a - n.shift),
                                  min(n.right + n.gap, a + n.shift + n.width + n.gap))
            if found is not None:
                tier, a = open_tier, found
                break
        trial.add(tier, a, a + n.width + n.gap)
        deepest = max(deepest, tier)
        last = (tier, a, a + n.width)
    return deepest


def share_left(wants: Sequence[Want], spots: Sequence[Spot | None], rows: Rows, keys: Sequence[object | None],
               words: Callable[[Sequence[int]], Sequence[tuple[tuple[str, ...], float]]], *, cap: int,
               gap: float, right: float, lo: float, numbers: Numbers | None = None) -> list[Share]:
    """Shared labels for the labels `assign_words` left without room (`spots` None), by runs of one type
    (`type_runs`), each in the first of its `words` (long, then short; one line) that finds room
    (`share_spot`). First every run in x order beside its markers or in the lane's tiers; then the runs
    still without room, most events first, when they are `SHARE_EXTRA_MIN` or more: along the marker row
    away from their markers (`_along_row`) or, with `numbers` (the others become numbers), in the tier
    below the cap; but no shared label may make the lane deeper than its numbers would have (`number_tiers`).
    The rows are updated, so that the numbers are placed around the shared labels."""
    left = {i for i, spot in enumerate(spots) if spot is None}
    keys = [k if spot is None else None for k, spot in zip(keys, spots, strict=True)]
    deepest = max((spot.tier for spot in spots if spot is not None), default=-1)
    if numbers is not None:
        deepest = max(deepest, number_tiers(rows, [wants[i] for i in sorted(left)], numbers))
    out: list[Share] = []

    def place(run: list[int], *, further: bool) -> bool:
        many = further and len(run) >= SHARE_EXTRA_MIN  # worth a new tier, or a bracket along the row
        extra = 1 if many and numbers is not None else 0
        rest = [i for i in sorted(left) if i not in run]
        for lines, width in words(run):
            spot = share_spot(rows, wants[run[0]], wants[run[-1]], width, cap=cap, gap=gap, right=right, lo=lo,
                              extra=extra, along=many) if len(lines) == 1 else None
            if spot is None:
                continue
            trial = rows.copy()
            trial.add(spot.tier, spot.x, spot.x + width + gap)
            if numbers is not None and max(spot.tier, number_tiers(trial, [wants[i] for i in rest], numbers)) > deepest:
                continue
            rows.add(spot.tier, spot.x, spot.x + width + gap)
            out.append(Share(tuple(run), lines, width, spot))
            left.difference_update(run)
            return True
        return False

    waiting = [run for run in type_runs([w.anchor for w in wants], keys) if not place(run, further=False)]
    for run in sorted(waiting, key=lambda run: (-len(run), wants[run[0]].anchor)):
        place(run, further=True)
    return sorted(out, key=lambda share: wants[share.members[0]].anchor)


def shortened_note(numbered: dict[str, int], *, key_after: bool = False, short: bool = False) -> str:
    """What was shortened to fit, for the reader ('' when nothing): labels drawn as numbers, by kind, most
    first, and where their words are; `short`, for the key's own gutter, says only what. (A combined label
    says itself what it stands for.)"""
    total = sum(numbered.values())
    if not total:
        return ""
    kinds = sorted((k for k in numbered if numbered[k]), key=lambda k: (-numbered[k], k))
    which = ", ".join(counted(k, numbered[k]) for k in kinds)
    if short:
        return f"Shortened to fit: {which}."
    where = "the key after the chart" if key_after else "the key"
    labels = f"{total} label{'s' if total != 1 else ''}"
    return f"Shortened to fit: {labels} drawn as numbers ({which}); their words are in {where}."


__all__ = [
    "GROW_ORDER",
    "SHARE_REACH",
    "Numbers",
    "Rows",
    "Share",
    "Spot",
    "Want",
    "assign_words",
    "clusters",
    "combined_words",
    "counted",
    "month_range",
    "months_known",
    "number_tiers",
    "priority",
    "share_left",
    "share_spot",
    "shared_noun",
    "shared_words",
    "shortened_note",
    "type_runs",
]
