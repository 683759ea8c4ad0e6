"""Layout stage (label tiers): a lane's labels placed beside their markers, in tiers, or as numbers for the key.

`place_tiers` takes the lane's measured labels and returns what it placed: the tiers' height, the leader
lines, the primitives per event group, and a `Tally` (the key entries it made, numbered from `key_start`,
and how many labels kept their words, became numbers or were left bare). Which labels keep their words is
decided by `labels.assign_words`; the numbers are placed here, around the words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model.case import AnyEvent
from ..scene.items import Item, Line, Rect
from .context import DASH, EPS, Context
from .labels import (
    Numbers,
    Rows,
    Spot,
    Want,
    assign_words,
    clusters,
    combined_words,
    months_known,
    share_left,
    shared_noun,
    shared_words,
)

SPAN_SHIFT = 60.0  # a bar's label moves at most this far aside: further, it would sit under another time
NUMBER_SHIFT = 40.0  # a number moves at most this far aside into an open tier rather than open another
COMBINE_BRACKET_DROP = 2.0  # px from the markers' foot down to the bracket that joins a combined label's events

SHARED_WORTH = (2, 1)  # an event's own words against a shared label's, in a layout's score (`Tally.score`)
KeyEntry = tuple[int | None, str]  # (number, text); None: a combined label's events, listed (no number)
Counts = tuple[tuple[str, int], ...]


def _add(a: tuple[tuple[object, int], ...], b: tuple[tuple[object, int], ...]) -> tuple[tuple[object, int], ...]:
    out = dict(a)
    for k, n in b:
        out[k] = out.get(k, 0) + n
    return tuple(out.items())


@dataclass(frozen=True, slots=True)
class Tally:
    """What the labels of a pass (or of one lane) became: the key's entries, in order, and counts by lane kind
    (`numbered`: drawn as numbers; `bare`: left as bare markers) and by priority (`kept`: kept their own
    words); `shared` by (lane kind, priority): in words only through a label shared by their type ("LAAC
    reviews × 5")."""

    key: tuple[KeyEntry, ...] = ()
    numbered: Counts = ()
    bare: Counts = ()
    kept: tuple[tuple[int, int], ...] = ()
    shared: tuple[tuple[tuple[str, int], int], ...] = ()

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.key + other.key, _add(self.numbered, other.numbered),  # type: ignore[arg-type]
                     _add(self.bare, other.bare), _add(self.kept, other.kept),  # type: ignore[arg-type]
                     _add(self.shared, other.shared))  # type: ignore[arg-type]

    @property
    def last_number(self) -> int:
        """The highest number in the key so far (0 for none): the next lane's numbers continue from it, and
        listed entries (bullets) take no number."""
        return max((n for n, _ in self.key if n is not None), default=0)

    def score(self) -> tuple[int, ...]:
        """Events with their words on the chart, most important first: compared as a tuple, a layout that
        keeps one more legal order's words beats one that keeps any number more life events'. Own words come
        before a shared label's ("First LAAC review" says more than "LAAC reviews × 5"), which count next."""
        kept = dict(self.kept)
        shared: dict[int, int] = {}
        for (_, p), n in self.shared:
            shared[p] = shared.get(p, 0) + n
        top = max((*kept, *shared), default=0)
        return tuple(SHARED_WORTH[0] * kept.get(p, 0) + SHARED_WORTH[1] * shared.get(p, 0)
                     for p in range(top, -1, -1))

    def shared_in(self, kind: str) -> int:
        """Events of lane `kind` in words only through a label shared by their type."""
        return sum(n for (k, _), n in self.shared if k == kind)


@dataclass(slots=True)
class Label:
    """A label waiting for a tier (a lane's working copy): anchor x, the lines, its box width, what it belongs to."""

    anchor: float
    lines: tuple[str, ...]
    width: float
    event: str | None
    order: int
    key_text: str
    top_y: float  # where its leader starts (the bottom of the thing it labels)
    group: str  # which collector gets its primitives (event id or a pseudo key)
    number_width: float = 0.0
    cut: bool = False  # its text had to be shortened to fit the label box
    joined: Label | None = None  # the number run ("6–9") that shows this label's number
    priority: int = 0  # how long it keeps its words when room is short (`labels.priority`; 0: first to go)
    kind: str = ""  # the lane it belongs to (for the note on what was shortened)
    beside: float | None = None  # where its box would start right of its marker, on the marker row
    members: tuple[tuple[str, float], ...] = ()  # a combined label: (event id, marker x) of each event
    listed: tuple[str, ...] | None = None  # a shared label's key entries (any view; none in a bare lane)
    words: bool = False  # it keeps its words on the chart
    x: float = 0.0
    tier: int = 0
    number: int | None = None


@dataclass(frozen=True, slots=True)
class Tiers:
    """What `place_tiers` placed: the height of its tiers, leader lines, primitives per group, and its tally."""

    height: float = 0.0
    leaders: tuple[Item, ...] = ()
    per: Mapping[str, tuple[Item, ...]] = field(default_factory=dict)
    tally: Tally = field(default_factory=Tally)


Row = tuple[float, list[tuple[float, float]]]  # a point lane's marker row: its centre y, the x its marks take


def place_tiers(ctx: Context, labels: list[Label], top: float, *, lane: str = "", key_start: int = 0,
                row: Row | None = None) -> Tiers:
    """Put labels beside their markers or into tiers below `top`.

    `row` is (the marker row's centre y, the x intervals its marks take), for a point lane: a one-line
    label may sit on that row just right of its marker, where it needs no tier. Which labels keep their
    words is decided by `labels.assign_words` (most important first); the others become numbers (from
    `key_start` + 1), in x order, placed around the words (touching numbers share a run "6–9" in compact
    layouts)."""
    if not labels:
        return Tiers()
    tier_h = max(len(lb.lines) for lb in labels) * ctx.line_h + ctx.theme.tier_gap  # before any became a number
    labels, rows, keyed, kept = _words(ctx, labels, lane, row)
    key, numbered, bare = _numbers(ctx, keyed, rows, lane, row, key_start)
    labels = [lb for lb in labels if id(lb) not in bare]
    used = max((lb.tier + 1 for lb in labels if lb.joined is None), default=0)
    leaders, per = _draw(ctx, labels, top, tier_h, row)
    bare_counts: dict[str, int] = {}
    for kind, n in bare.values():
        bare_counts[kind] = bare_counts.get(kind, 0) + n
    shared: dict[tuple[str, int], int] = {}
    for lb in labels:
        if lb.words and lb.listed is not None:  # a label shared by its type (`_share`): not its events' own words
            where = (lb.kind or lane, lb.priority)
            shared[where] = shared.get(where, 0) + len(lb.members)
            kept[lb.priority] -= len(lb.members)
    tally = Tally(tuple(key), tuple(numbered.items()), tuple(bare_counts.items()), tuple(kept.items()),
                  tuple(shared.items()))
    return Tiers(used * tier_h, tuple(leaders), {k: tuple(v) for k, v in per.items()}, tally)


def _words(ctx: Context, labels: list[Label], lane: str, row: Row | None
           ) -> tuple[list[Label], Rows, list[Label], dict[int, int]]:
    """Room for the labels' words (`labels.assign_words`, then `_share`): the labels (shared ones in place of
    those they stand for), the occupied rows, the labels still to key (in x order) and the events that kept
    their words, by priority."""
    t, p = ctx.theme, ctx.policy
    for lb in labels:
        lb.x = ctx.clamp_x(lb.anchor - t.label_pad, lb.width)
    wants = [Want(anchor=lb.anchor, x=lb.x, x_end=ctx.clamp_x(lb.anchor + t.label_pad - lb.width, lb.width),
                  width=lb.width, beside=lb.beside if row is not None and len(lb.lines) == 1 else None,
                  beside_left=(round(lb.anchor - t.marker_size / 2 - 1.5 * t.label_gap - lb.width - EPS, 2)
                               if lb.beside is not None and row is not None and len(lb.lines) == 1 else None),
                  priority=lb.priority, order=lb.order, cut=lb.cut,
                  row_end=(round(lb.anchor - t.marker_size / 2 - 1.5 * t.label_gap, 2)
                           if lb.beside is not None and row is not None else None),
                  row_start=lb.beside if row is not None else None) for lb in labels]
    spots, rows = assign_words(wants, cap=p.tiers_for(lane), gap=t.label_gap, right=ctx.right, lo=ctx.x0,
                               shift=t.label_shift if row is not None else min(t.label_shift, SPAN_SHIFT),
                               row_blocks=row[1] if row is not None else ())
    if p.combine_labels and row is not None:  # events of one type left without words share a label
        labels, spots = _share(ctx, labels, spots, wants, rows, lane)
    keyed: list[Label] = []
    kept: dict[int, int] = {}
    for lb, spot in zip(labels, spots, strict=True):
        if spot is not None:
            lb.tier, lb.x = spot.tier, spot.x
            lb.words = True
            kept[lb.priority] = kept.get(lb.priority, 0) + max(1, len(lb.members))
            if lb.members and (p.list_combined or lb.listed):
                keyed.append(lb)
        else:
            keyed.append(lb)
    keyed.sort(key=lambda lb: (lb.x, lb.anchor, lb.order))
    return labels, rows, keyed, kept


def _share(ctx: Context, labels: list[Label], spots: list[Spot | None], wants: list[Want], rows: Rows, lane: str
           ) -> tuple[list[Label], list[Spot | None]]:
    """Nearby events of one type whose words found no room share one label, true of each of them ("LAAC
    reviews × 3, Mar 2019–Jun 2021"; `labels.share_left` decides which and where); the labels it stands for
    (a combined label of that type too, with all its events) are replaced by it, and it lists their dates
    in the key as a combined label does."""
    t, p = ctx.theme, ctx.policy
    events = [_shareable(ctx, lb) for lb in labels]

    def noun_of(run: Sequence[int]) -> str:
        first = events[run[0]][0]
        term = ctx.term(first)
        return shared_noun(first.kind, first.type, term.label, term.abbr)

    def words(run: Sequence[int]) -> list[tuple[tuple[str, ...], float]]:
        stood = [e for i in run for e in events[i]]
        known = months_known([e.first for e in stood])
        long, short = shared_words(noun_of(run), len(stood), *(known or (stood[0].first.mid,) * 2))
        # a date only about right ("c. 2016", "2016?") has no month to give the range: the count alone
        return [ctx.wrap_label(content) for content in ((short,) if known is None else (long, short))]

    keys = [(e[0].kind, e[0].type) if e else None for e in events]
    numbers = None if lane in p.bare_lanes else Numbers(
        ctx.metrics.width("00", t.text_size) + 2 * t.label_pad, t.label_gap, NUMBER_SHIFT, ctx.x0, ctx.right)
    shares = share_left(wants, spots, rows, keys, words, cap=p.tiers_for(lane), gap=t.label_gap, right=ctx.right,
                        lo=ctx.x0, numbers=numbers)
    taken = {i for share in shares for i in share.members}
    out = [(lb, spot) for i, (lb, spot) in enumerate(zip(labels, spots, strict=True)) if i not in taken]
    for share in shares:
        members = [labels[i] for i in share.members]
        noun = noun_of(share.members)
        stood = sorted(((e.first.mid, ev, x) for i in share.members
                        for e, (ev, x) in zip(events[i], _members_of(labels[i]), strict=True)), key=lambda m: m[0])
        dates = ", ".join(ctx.dates_text(e) for e in sorted((e for i in share.members for e in events[i]),
                                                             key=lambda e: e.first.mid))
        listed = (() if lane in p.bare_lanes else (f"{noun}: {dates}",) if p.list_combined  # headed by its words:
                  else (f"{' '.join(share.lines)}:", *(lb.key_text for lb in members)))  # the key's bullets
        # otherwise do not say what they are
        head = members[0]
        out.append((Label(anchor=head.anchor, lines=share.lines, width=share.width, event=head.event,
                          order=head.order, key_text=f"{noun}: {dates}", top_y=head.top_y, group=head.group,
                          priority=max(lb.priority for lb in members), kind=head.kind or lane,
                          members=tuple((ev, x) for _, ev, x in stood), listed=listed), share.spot))
    out.sort(key=lambda pair: pair[0].order)
    return [lb for lb, _ in out], [spot for _, spot in out]


def _members_of(lb: Label) -> tuple[tuple[str, float], ...]:
    """The (event id, marker x) a label stands for: a combined label's members, else its own event."""
    return lb.members or ((lb.event or "", lb.anchor),)


def _shareable(ctx: Context, lb: Label) -> tuple[AnyEvent, ...]:
    """The events label `lb` stands for, when they may share a label with others of their type: all of one
    kind and type, none planned (a planned review is not one held; it keeps its own words). Empty: not to
    share."""
    ids = [ev for ev, _ in _members_of(lb)] if lb.event is not None or lb.members else []
    if not ids or any(ev not in ctx.by_id for ev in ids):
        return ()
    found = tuple(ctx.by_id[ev][1] for ev in ids)
    if any(e.planned for e in found) or len({(e.kind, e.type) for e in found}) != 1:
        return ()
    return found


def _numbers(ctx: Context, keyed: list[Label], rows: Rows, lane: str, row: Row | None, key_start: int
             ) -> tuple[list[KeyEntry], dict[str, int], dict[int, tuple[str, int]]]:
    """The key entries of the labels without words, and their numbers placed around the words: (entries,
    labels numbered by lane kind, the labels left bare: id -> (kind, events))."""
    t, p = ctx.theme, ctx.policy
    key: list[KeyEntry] = []
    numbered: dict[str, int] = {}
    bare: dict[int, tuple[str, int]] = {}  # labels left off (bare markers): neither drawn nor counted in the tiers
    run: Label | None = None  # the last number, still open to neighbours joining it as "6–9"
    for lb in keyed:
        kind = lb.kind or lane
        if lb.words:  # a combined label with its words on the chart: its events listed in the key
            key.extend((None, text) for text in ((lb.key_text,) if lb.listed is None else lb.listed))
            continue
        if kind in p.bare_lanes:  # no room: a bare marker, said in the note
            bare[id(lb)] = (kind, max(1, len(lb.members)))
            continue
        number = max((n for n, _ in key if n is not None), default=key_start) + 1  # bullets take none
        key.append((number, lb.key_text))
        lb.number = number
        numbered[kind] = numbered.get(kind, 0) + 1
        width = ctx.metrics.width(str(number), t.text_size) + 2 * t.label_pad
        x = ctx.clamp_x(lb.anchor - t.label_pad, width)
        if (p.merge_numbers and run is not None and not lb.members and x < run.x + run.width + t.label_gap + EPS
                and _join(ctx, run, number, rows)):
            lb.joined = run
            continue
        lb.lines, lb.width = (str(number),), width
        if lb.beside is not None and row is not None and lb.beside + width <= ctx.right and rows.free(
                -1, lb.beside, lb.beside + width + t.label_gap):
            lb.tier, lb.x = -1, lb.beside
            rows.add(-1, lb.x, lb.x + width + t.label_gap)
            run = None
            continue
        _place_number(ctx, lb, x, width, rows)
        run = lb if p.merge_numbers and not lb.members else None
    return key, numbered, bare


def _join(ctx: Context, run: Label, number: int, rows: Rows) -> bool:
    """Extend the number run `run` ("6" or "6–8") to end at `number`, if the wider box stays on the canvas
    and its tier is free there; else leave it as it was."""
    gap = ctx.theme.label_gap
    old = (run.x, run.x + run.width + gap)
    lines, w = run.lines, run.width
    if _join_run(ctx, run, number) and rows.free(run.tier, run.x, run.x + run.width + gap, ignore=old):
        rows.replace(run.tier, old, (run.x, run.x + run.width + gap))
        return True
    run.lines, run.width = lines, w
    return False


def _join_run(ctx: Context, run: Label, number: int) -> bool:
    """Extend the number run `run` ("6" or "6–8") to end at `number`, if the wider box stays on the canvas."""
    first = run.lines[0].split(DASH)[0]
    text = f"{first}{DASH}{number}"
    width = ctx.metrics.width(text, ctx.theme.text_size) + 2 * ctx.theme.label_pad
    if run.x + width > ctx.right:
        return False
    run.lines = (text,)
    run.width = width
    return True


def _place_number(ctx: Context, lb: Label, x: float, width: float, rows: Rows) -> None:
    """A number in the lowest tier free at its anchor, or in a tier already open a little aside (its leader
    slants), before a new one."""
    gap = ctx.theme.label_gap
    lb.x = x
    lb.tier = rows.lowest(x, x + width + gap)
    for tier in range(lb.tier):
        found = rows.nearest(tier, x, width + gap, max(ctx.x0, x - NUMBER_SHIFT),
                             min(ctx.right + gap, x + NUMBER_SHIFT + width + gap))
        if found is not None:
            lb.tier, lb.x = tier, round(found, 2)
            break
    rows.add(lb.tier, lb.x, lb.x + width + gap)


def _draw(ctx: Context, labels: list[Label], top: float, tier_h: float, row: Row | None
          ) -> tuple[list[Item], dict[str, list[Item]]]:
    """The placed labels drawn: their boxes and words per group, and their leader lines."""
    leaders: list[Item] = []
    per: dict[str, list[Item]] = {}
    t = ctx.theme
    for lb in sorted(labels, key=lambda lb: lb.order):
        if lb.joined is not None:  # drawn by the run it joined: only its own leader, slanting to it
            host = lb.joined
            y = top + host.tier * tier_h
            ax = min(max(lb.anchor, host.x + 1.0), host.x + host.width - 1.0)
            leaders.append(Line(lb.anchor, lb.top_y, ax, y, "leader", event=lb.event))
            continue
        h = len(lb.lines) * ctx.line_h
        # beside its marker on the marker row (tier -1), else in its tier
        y = round(row[0] - h / 2, 2) if lb.tier < 0 and row is not None else top + lb.tier * tier_h
        out = per.setdefault(lb.group, [])
        cls = "key-number" if lb.number is not None else ("combined-label" if lb.members else "label")
        out.append(Rect(lb.x, y, lb.width, h, "label-bg", event=lb.event, rx=2.0))
        for i, line in enumerate(lb.lines):
            ty = y + i * ctx.line_h + (ctx.line_h - ctx.text_h) / 2
            out.append(ctx.text(lb.x + t.label_pad, ty, line, cls, event=lb.event))
        ax = min(max(lb.anchor, lb.x + 1.0), lb.x + lb.width - 1.0)
        start = lb.top_y
        if lb.members:  # a bracket under the markers it stands for, a tick from each, one leader down
            start = lb.top_y + COMBINE_BRACKET_DROP
            xs = [cx for _, cx in lb.members]
            if lb.tier < 0:  # along the marker row, away from its markers: the bracket reaches the label
                xs += _reach(ctx, lb, min(xs), max(xs))
            tick = "leader" if lb.number is not None else "leader combined"
            leaders.append(Line(min(xs), start, max(xs), start, "leader combined-bracket", event=lb.event))
            leaders.extend(Line(cx, lb.top_y, cx, start, tick, event=eid) for eid, cx in lb.members)
        if y > start + EPS:
            leaders.append(Line(lb.anchor if not lb.members else ax, start, ax, y, "leader", event=lb.event))
    return leaders, per


def _reach(ctx: Context, lb: Label, first: float, last: float) -> list[float]:
    """Where a combined bracket must also reach for a label on the marker row that is not beside its first or
    last marker (`labels.share_spot` put it further along the row): the label box's near edge, or nothing."""
    t = ctx.theme
    if lb.x + lb.width < first - t.marker_size / 2 - 1.5 * t.label_gap - 1.0:
        return [lb.x + lb.width - t.label_pad]
    if lb.x > last + t.marker_size / 2 + t.label_gap / 2 + 1.0:
        return [lb.x + t.label_pad]
    return []


def combine(ctx: Context, kind: str, labels: list[Label]) -> list[Label]:
    """Nearby events of one kind with the same words share one label ("3 hearings, Jan–Mar 2016: ICSO
    continued") where apart their labels could not share a tier; the others stay as they are."""
    said = [" ".join(lb.lines) if not lb.cut else lb.key_text for lb in labels]
    runs = clusters([lb.anchor for lb in labels], said, [lb.width + ctx.theme.label_gap for lb in labels])
    if not runs:
        return labels
    taken: set[int] = set()
    out: list[Label] = []
    for run in runs:
        members = [labels[i] for i in run]
        events = [ctx.by_id[lb.event][1] for lb in members if lb.event is not None]
        if len(events) != len(members):
            continue
        taken.update(run)
        text = said[run[0]]
        known = months_known([e.first for e in events])
        long, short = combined_words(kind, text, len(members), *(known or (events[0].first.mid,) * 2),
                                     named=bool(events[0].label))
        content = long if known else short  # the dates and the words when they fit uncut, else the count
        lines, lw = ctx.wrap_label(content)
        if " ".join(lines).split() != content.split():
            content = short
            lines, lw = ctx.wrap_label(content)
        dates = ", ".join(ctx.dates_text(e) for e in events)
        head = members[0]
        out.append(Label(cut=ctx.is_cut(lines, content), anchor=head.anchor, lines=lines, width=lw,
                         event=head.event, order=head.order, key_text=f"{text}: {dates}", top_y=head.top_y,
                         group=head.group, priority=max(lb.priority for lb in members), kind=kind,
                         members=tuple((lb.event or "", lb.anchor) for lb in members)))
    out.extend(lb for i, lb in enumerate(labels) if i not in taken)
    return sorted(out, key=lambda lb: lb.order)
