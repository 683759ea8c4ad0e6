"""Report stage (the child's own story, `--view child`): an allow-listed projection of the case, laid out
to a Scene and written to the child in plain, kind words.

Why a projection: the child's story must never show what the professional record holds (labels, notes,
sources, references, ids, order codes, carers' surnames). `project` copies only the fields on `ALLOWED`
into a frozen `ChildCase`; everything after it (sentences, layout, every output format) sees nothing else.
Words come from the event's own `for_child`, else from the jurisdiction's child words file
(`vocab/<jurisdiction>-child.yaml`); an event with neither is left out. Every move is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from ..dates import PartialDate, age_at
from ..scene import shapes
from ..scene.items import Box, Group, Item, Line, Path, Rect, Scene, Text
from ..scene.style import StyleSheet, rule

if TYPE_CHECKING:
    from ..chart.metrics import TextMetrics
    from ..model.case import Case
    from ..options import RenderOptions

# The only fields of a case that reach the child's story (the allow-list; tests/test_childview.py plants
# text in every other field and checks no output shows it). Event kind and type are read only to look
# words up in the child words file; they are never drawn.
ALLOWED: dict[str, tuple[str, ...]] = {
    "case": ("as_of", "child_view.agreed"),
    "child": ("known_as", "name (first word only)", "date_of_birth"),
    "event": ("kind", "type", "start", "end", "date", "status", "for_child"),
}
TEXT_PX = 20.0  # 15 pt when the chart is printed at the page's width (0.75 pt per px): at least 14 pt
TITLE_PX = 21.0
LANE_H = 66.0
STAR_ROW = 52.0
AXIS_H = 40.0
LANE_GAP = 8.0
ICON = 26.0
BADGE = 30.0
STAR = 40.0
PAD = 8.0
LINE_H = 27.0
BAR_LINE = 25.0  # two lines of 20 px text (24.8 px boxes) inside a 54 px bar
MIN_BAR_TEXT = 40.0  # a bar narrower than this carries no words (the story's sentences say them)


# ----------------------------------------------------------------------------------------------- projection


@dataclass(frozen=True, slots=True)
class ChildEvent:
    """One event as the child's story may see it: kind and type (for looking words up), dates, own words."""

    kind: str
    type: str
    first: PartialDate
    last: PartialDate | None
    is_span: bool
    planned: bool
    for_child: str | None


@dataclass(frozen=True, slots=True)
class ChildCase:
    """The allow-listed projection of a case (`ALLOWED`): all the child's story ever reads."""

    name: str
    born: date
    as_of: date
    agreed: bool
    jurisdiction: str
    events: tuple[ChildEvent, ...]


def project(case: Case) -> ChildCase:
    """Copy only the allow-listed fields (`ALLOWED`) of `case`; nothing else reaches the child's story."""
    child = case.child
    name = child.known_as or child.name.split()[0]
    events = tuple(
        ChildEvent(kind=e.kind, type=e.type, first=e.first, last=e.last, is_span=e.is_span, planned=e.planned,
                   for_child=e.for_child)
        for e in case.events
    )
    agreed = bool(case.child_view.agreed) if case.child_view is not None else False
    return ChildCase(name=name, born=child.date_of_birth, as_of=case.as_of_date, agreed=agreed,
                     jurisdiction=case.jurisdiction, events=events)


# ----------------------------------------------------------------------------------------------- words


@cache
def child_words(jurisdiction: str = "scotland") -> dict[str, Any]:
    """The jurisdiction's child words file (`vocab/<jurisdiction>-child.yaml`), parsed once."""
    text = resources.files("timeline").joinpath("vocab").joinpath(f"{jurisdiction}-child.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    base = data.pop("base", None)  # a variant (Wales) names only what differs from its base
    if base:
        from ..model.vocabulary import overlay

        return overlay(child_words(str(base)), data)
    return data


def when_words(born: date, day: PartialDate, words: dict[str, Any]) -> str:
    """'When you were 3', 'When you were about 3', 'When you were a baby', 'Before you were born'."""
    w = words["words"]
    if day.latest < born:
        return str(w["before_born"])
    if day.precision == "day" and not day.qualifier and day.earliest == born:
        return f"When you were {w['born']}"
    low = age_at(born, max(day.earliest, born))[0]
    high = age_at(born, day.latest)[0]
    mid = age_at(born, max(day.mid, born))[0]
    years = str(w["baby"]) if mid == 0 else str(mid)
    about = "about " if (low != high or day.qualifier) and mid > 0 else ""
    return f"When you were {about}{years}"


def _join(opening: str, own: str) -> str:
    """'You moved to live with foster carers.' + 'Sam and Alex' -> '... foster carers: Sam and Alex.'"""
    own = own.strip()
    end = "" if own[-1:] in ".!?" else "."
    return f"{opening.rstrip('.')}: {own}{end}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One numbered line of the story: when (in age words), the sentence, and how it is drawn."""

    number: int
    when: str
    sentence: str
    lane: str  # "lived" (a home: a bar in both lanes) or "days" (a star)
    start: date
    end: date | None
    place: str
    carers: str


@dataclass(frozen=True, slots=True)
class Story:
    """What the child's story holds: the projection's name and dates, entries, and what was left out."""

    name: str
    born: date
    as_of: date
    agreed: bool
    entries: tuple[Entry, ...]
    left_out: int
    words: dict[str, Any]


def story(child: ChildCase) -> Story:
    """The numbered entries, in date order: every home (each move), and every other event that has its own
    `for_child` words or a default sentence; planned events (not yet true) and the rest are left out."""
    words = child_words(child.jurisdiction)
    order = sorted(range(len(child.events)), key=lambda i: (child.events[i].first.mid, i))
    entries: list[Entry] = []
    left_out = 0
    homes = 0
    for i in order:
        e = child.events[i]
        if e.planned:
            left_out += 1
            continue
        place = carers = ""
        if e.kind == "placement" and e.type in words["placement"]:
            kind = words["placement"][e.type]
            opening = str(kind["first"] if homes == 0 else kind["moved"])
            homes += 1
            sentence = _join(opening, e.for_child) if e.for_child else opening
            place, carers, lane = str(kind["place"]), e.for_child or str(kind["carers"]), "lived"
        else:
            default = (words.get(e.kind) or {}).get(e.type)
            if not e.for_child and not default:
                left_out += 1
                continue
            sentence, lane = (e.for_child or str(default)), "days"
            if sentence[-1:] not in ".!?":
                sentence += "."
        end = e.last.mid if e.is_span and e.last is not None else None
        entries.append(Entry(len(entries) + 1, when_words(child.born, e.first, words), sentence, lane,
                             e.first.mid, end, place, carers))
    return Story(child.name, child.born, child.as_of, child.agreed, tuple(entries), left_out, words)


# ----------------------------------------------------------------------------------------------- layout

STYLE = StyleSheet((
    rule(".cv-text", font_size=20, fill="#000000"),
    rule(".cv-bold", font_size=20, font_weight=700, fill="#000000"),
    rule(".cv-title", font_size=21, font_weight=700, fill="#000000"),
    rule(".cv-band-0", fill="#FFFFFF"),
    rule(".cv-band-1", fill="#EDEDED"),
    rule(".cv-tick", stroke="#000000", stroke_width=1.5),
    rule(".cv-rule", stroke="#000000", stroke_width=2),
    rule(".cv-bar", stroke="#000000", stroke_width=2),
    rule(".cv-place-home", fill="#BFE6D6"),
    rule(".cv-place-kinship", fill="#C7E3F6"),
    rule(".cv-place-foster", fill="#F8DDA8"),
    rule(".cv-place-residential", fill="#EBCBDF"),
    rule(".cv-place-secure", fill="#F6CDB3"),
    rule(".cv-place-adoptive", fill="#B9D3EE"),
    rule(".cv-place-supported", fill="#F6F1B3"),
    rule(".cv-place-other", fill="#E2E2E2"),
    rule(".cv-carer", fill="#FFFFFF"),
    rule(".cv-house", fill="#FFFFFF", stroke="#000000", stroke_width=2),
    rule(".cv-heart", fill="#CC79A7", stroke="#000000", stroke_width=1.5),
    rule(".cv-star", fill="#F0E442", stroke="#000000", stroke_width=2),
    rule(".cv-badge", fill="#FFFFFF", stroke="#000000", stroke_width=2),
    rule(".cv-draft", font_size=20, font_weight=700, fill="#000000"),
), form="spaced")
PLACE_TYPES = ("home", "kinship", "foster", "residential", "secure", "adoptive", "supported", "other")


def house(x: float, y: float, s: float) -> Path:
    """A house: a roof triangle over a square body with a door (drawn shape, no image)."""
    mv, ln = shapes.move, shapes.line
    d = (mv(x, y + .45 * s), ln(x + .5 * s, y), ln(x + s, y + .45 * s), shapes.close(),
         mv(x + .15 * s, y + .45 * s), ln(x + .85 * s, y + .45 * s), ln(x + .85 * s, y + s), ln(x + .15 * s, y + s),
         shapes.close(), mv(x + .42 * s, y + s), ln(x + .42 * s, y + .7 * s), ln(x + .58 * s, y + .7 * s),
         ln(x + .58 * s, y + s))
    return Path(d, Box(x, y, s, s), "cv-house", form="spaced")


def heart(x: float, y: float, s: float) -> Path:
    """A heart: two arcs over a point."""
    r = .24 * s
    d = (shapes.move(x + .5 * s, y + .92 * s), shapes.line(x + .08 * s, y + .48 * s),
         shapes.arc(r, r, False, True, x + .5 * s, y + .26 * s),
         shapes.arc(r, r, False, True, x + .92 * s, y + .48 * s), shapes.close())
    return Path(d, Box(x, y, s, s), "cv-heart", form="spaced")


def star(cx: float, cy: float, s: float) -> Path:
    """A five-pointed star centred on (cx, cy), `s` across."""
    import math

    d = []
    for k in range(10):
        r = s / 2 if k % 2 == 0 else s / 4.6
        a = -math.pi / 2 + k * math.pi / 5
        d.append((shapes.line if k else shapes.move)(cx + r * math.cos(a), cy + r * math.sin(a)))
    return Path((*d, shapes.close()), Box(cx - s / 2, cy - s / 2, s, s), "cv-star", form="spaced")


def _text(metrics: TextMetrics, text: str, x: float, y: float, cls: str = "cv-text",
          size: float = TEXT_PX, bold: bool = False) -> Text:
    return Text(x, y, metrics.width(text, size, bold), metrics.height(size, bold),
                round(y + metrics.ascent(size, bold), 2), text, cls)


def _centred(metrics: TextMetrics, text: str, cx: float, cy: float, bold: bool = True) -> Text:
    w, h = metrics.width(text, TEXT_PX, bold), metrics.height(TEXT_PX, bold)
    return _text(metrics, text, cx - w / 2, cy - h / 2, "cv-bold" if bold else "cv-text", bold=bold)


def _badge(metrics: TextMetrics, number: int, x: float, cy: float) -> list[Item]:
    return [Rect(x, cy - BADGE / 2, BADGE, BADGE, "cv-badge", rx=BADGE / 2),
            _centred(metrics, str(number), x + BADGE / 2, cy)]


def _wrapped(metrics: TextMetrics, text: str, x: float, top: float, width: float, lines: int,
             bold: bool = False) -> list[Item]:
    out: list[Item] = []
    for k, line in enumerate(metrics.wrap(text, TEXT_PX, width, lines, bold)):
        out.append(_text(metrics, line, x, top + k * LINE_H, "cv-bold" if bold else "cv-text", bold=bold))
    return out


def _place_stars(s: Story, scale: Any, gutter: float, width: float) -> list[tuple[Entry, int, float]]:
    """(entry, row, x) of each important day: at its age where a row has room, else in a new row, so that
    no star hides another (greedy, one pass in date order; a crowded stretch grows the lane downwards)."""
    out: list[tuple[Entry, int, float]] = []
    free: list[float] = []
    gap = STAR + 10
    low, high = gutter + STAR / 2 + 4, width - PAD - STAR / 2
    for e in s.entries:
        if e.lane != "days":
            continue
        cx = min(max(scale.x(max(e.start, s.born)), low), high)
        row = next((r for r, edge in enumerate(free) if edge <= cx), None)
        if row is None:
            near = min(range(len(free)), key=lambda r: free[r]) if free else None
            if near is not None and free[near] <= high and free[near] - cx <= gap:
                row, cx = near, free[near]  # a little later than the day, rather than a row of its own
            else:
                free.append(low)
                row = len(free) - 1
        free[row] = cx + gap
        out.append((e, row, cx))
    return out


def layout_story(s: Story, *, metrics: TextMetrics, width: float, standalone: bool) -> Scene:
    """The child's chart (ages across, three lanes) and, when `standalone`, the draft line and the numbered
    sentences beneath it (an HTML or PDF page prints those as text instead)."""
    from ..chart.scale import AgeScale

    lanes = s.words["lanes"]
    gutter = 250.0
    items: list[Item] = []
    y = 0.0
    if standalone and not s.agreed:
        items.append(_text(metrics, str(s.words["words"]["draft"]), 0, y, "cv-draft", bold=True))
        y += LINE_H + PAD
    if standalone:
        items.append(_text(metrics, f"{s.words['words']['title']}: {s.name}", 0, y, "cv-title", TITLE_PX, True))
        y += LINE_H + PAD
    end = max(s.as_of, s.born)
    scale = AgeScale(born=s.born, start=s.born, end=end, x0=gutter, x1=width - PAD)
    chart_top = y
    lane_tops = (y + AXIS_H, y + AXIS_H + LANE_H + LANE_GAP, y + AXIS_H + 2 * (LANE_H + LANE_GAP))
    stars = _place_stars(s, scale, gutter, width)
    rows = max(2, 1 + max((row for _, row, _ in stars), default=0))
    days_h = rows * STAR_ROW + 2 * PAD
    chart_bottom = lane_tops[2] + days_h
    items.extend(_year_bands(s, metrics, scale, end, chart_top, chart_bottom))
    items.append(_text(metrics, str(lanes["ages"]), 0, chart_top + (AXIS_H - metrics.height(TEXT_PX, True)) / 2,
                       "cv-bold", bold=True))
    items.append(Line(gutter, chart_top + AXIS_H - 2, width - PAD, chart_top + AXIS_H - 2, "cv-rule"))
    items.extend(_lane_titles(s, metrics, lane_tops, days_h, gutter))
    items.extend(_home_bar(s, metrics, scale, end, lane_tops, e) for e in s.entries if e.lane == "lived")
    for e, row, cx in stars:
        cy = lane_tops[2] + PAD + STAR_ROW * (row + 0.5)
        g: list[Item] = [star(cx, cy, STAR + 6), _centred(metrics, str(e.number), cx, cy + 2)]
        items.append(Group(tuple(g), "cv-day", id=f"story-{e.number}", event=f"story-{e.number}",
                           title=f"{e.when}: {e.sentence}"))
    y = chart_bottom + PAD
    if standalone:
        y = _sentences(s, metrics, width, y + PAD, items)
    title = f"{s.words['words']['title']}: {s.name}"
    desc = (f"{lanes['lived']}, {lanes['carers']} and {lanes['days']}, by how old you were. "
            + " ".join(f"{e.number}. {e.when}: {e.sentence}" for e in s.entries))
    return Scene(width=width, height=round(y, 2), title=title, desc=desc, style=STYLE, items=tuple(items))


def _year_bands(s: Story, metrics: TextMetrics, scale: Any, end: date, chart_top: float,
                chart_bottom: float) -> list[Item]:
    """A soft band per year of age with its label ("a baby", 1, 2 ...), every `step` years where the years
    are too narrow for every label, and a tick at each birthday."""
    items: list[Item] = []
    years = age_at(s.born, end)[0] + 1
    cells = []
    for k in range(years):
        a, b = scale.x(scale.birthday(k)), scale.x(min(scale.birthday(k + 1), end))
        if b > a:
            cells.append((k, a, b))
    widest = max((metrics.width(str(s.words["words"]["baby"]) if k == 0 else str(k), TEXT_PX, True)
                  for k, _, _ in cells), default=0)
    full = [b - a for k, a, b in cells if k > 0 and scale.birthday(k + 1) <= end]  # a last, part year may be thin
    narrow = min(full, default=widest + 8)
    step = 1
    while narrow * step < min(widest, metrics.width("00", TEXT_PX, True)) + 8:
        step += 1
    for k, a, b in cells:
        items.append(Rect(a, chart_top, b - a, chart_bottom - chart_top, f"cv-band-{k % 2}"))
    for k, a, b in cells:
        label = str(s.words["words"]["baby"]) if k == 0 else str(k)
        if metrics.width(label, TEXT_PX, True) > b - a - 4:
            label = "0" if k == 0 else label
        if k % step == 0 and metrics.width(label, TEXT_PX, True) <= (b - a) * step:
            items.append(_centred(metrics, label, (a + b) / 2, chart_top + AXIS_H / 2))
        items.append(Line(a, chart_top + 4, a, chart_bottom, "cv-tick"))
    return items


def _lane_titles(s: Story, metrics: TextMetrics, lane_tops: tuple[float, float, float], days_h: float,
                 gutter: float) -> list[Item]:
    """Each lane's title in the gutter beside its picture (a house, a heart, a star)."""
    items: list[Item] = []
    icons = (house, heart, None)
    for top, key, icon, h in zip(lane_tops, ("lived", "carers", "days"), icons, (LANE_H, LANE_H, days_h), strict=True):
        cy = top + h / 2
        items.append(icon(0, cy - ICON / 2, ICON) if icon else star(ICON / 2, cy, ICON))
        lines = metrics.wrap(str(s.words["lanes"][key]), TEXT_PX, gutter - ICON - 2 * PAD, 2, True)
        ty = cy - len(lines) * LINE_H / 2 + (LINE_H - metrics.height(TEXT_PX, True)) / 2
        for k, line in enumerate(lines):
            items.append(_text(metrics, line, ICON + PAD, ty + k * LINE_H, "cv-bold", bold=True))
    return items


def _home_bar(s: Story, metrics: TextMetrics, scale: Any, end: date, lane_tops: tuple[float, float, float],
               e: Entry) -> Group:
    """One home: a bar in the first lane (the place, with its number) and one in the second (the carers),
    each with its picture and words where they fit whole (words cut short read badly: all or none)."""
    a = scale.x(max(e.start, s.born))
    b = scale.x(min(e.end, end)) if e.end is not None else scale.x(end)
    b = max(b, a + 4)
    kind_cls = next((f"cv-place-{t}" for t in PLACE_TYPES if s.words["placement"][t]["place"] == e.place),
                    "cv-place-other")
    group: list[Item] = []
    for top, cls, text, icon in ((lane_tops[0], kind_cls, e.place, house),
                                 (lane_tops[1], "cv-carer", e.carers, heart)):
        group.append(Rect(a, top + 6, b - a, LANE_H - 12, f"cv-bar {cls}", rx=10))
        cy = top + LANE_H / 2
        x = a + PAD
        if top == lane_tops[0] and b - a >= BADGE + 2 * PAD:
            group.extend(_badge(metrics, e.number, x, cy))
            x += BADGE + PAD
        if b - x - PAD >= ICON + MIN_BAR_TEXT:
            group.append(icon(x, cy - ICON / 2, ICON))
            x += ICON + PAD
        room = b - x - PAD
        lines = metrics.wrap(text, TEXT_PX, room, 2) if room >= MIN_BAR_TEXT else ()
        if " ".join(lines) == " ".join(text.split()):  # words cut short read badly: all or none
            ty = cy - len(lines) * BAR_LINE / 2 + (BAR_LINE - metrics.height(TEXT_PX)) / 2
            for k, line in enumerate(lines):
                group.append(_text(metrics, line, x, ty + k * BAR_LINE))
    return Group(tuple(group), "cv-home", id=f"story-{e.number}", event=f"story-{e.number}",
                 title=f"{e.when}: {e.sentence}")


def _sentences(s: Story, metrics: TextMetrics, width: float, y: float, items: list[Item]) -> float:
    """The numbered sentences under the chart (and the line saying what was left out), added to `items`;
    the y below them."""
    for e in s.entries:
        items.extend(_badge(metrics, e.number, 0, y + LINE_H / 2))
        head = f"{e.when}:"
        items.append(_text(metrics, head, BADGE + PAD, y + 3, "cv-bold", bold=True))
        x = BADGE + PAD + metrics.width(head, TEXT_PX, True) + 8
        said = _wrapped(metrics, e.sentence, x, y + 3, width - x - PAD, 4)
        items.extend(said)
        y += LINE_H * max(1, len(said)) + 8
    if s.left_out:
        items.extend(_wrapped(metrics, str(s.words["words"]["left_out"]), 0, y + 4, width - PAD, 2))
        y += 2 * LINE_H
    return y


def scene_of(case: Case, options: RenderOptions, *, standalone: bool) -> tuple[Story, Scene]:
    """The story of `case` (through its projection only) and its scene at the page's printable width."""
    from ..chart.metrics import default_metrics
    from ..scene.theme import printable_width_px

    s = story(project(case))
    width = options.width if options.width else printable_width_px(options.page)
    return s, layout_story(s, metrics=default_metrics(), width=width, standalone=standalone)


# ----------------------------------------------------------------------------------------------- pages


@dataclass(frozen=True, slots=True)
class ChildPages:
    """The child's pages as laid out: the story (the projection's words), its chart's scene and the page.
    Only these reach the template (`render/story.py` writes them)."""

    story: Story
    scene: Scene
    born: str  # "born 3 March 2016": the full month name
    page_class: str


def child_pages(case: Case, options: RenderOptions) -> ChildPages:
    """The child's printable pages of `case` (through its projection only), at the page's printable width."""
    s, scene = scene_of(case, options, standalone=False)
    return ChildPages(s, scene, f"{s.born.day} {s.born:%B %Y}", options.page.lower())
