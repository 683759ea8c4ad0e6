"""Layout stage (fit): the budget ladders -- a chart fitted to a height, or with its legend and key to one page.

A pass is one `Context` drawn and finished (`run`); the ladders try looks (`Theme.compact`) and policies
(`Policy.compact`, the one-page steps and key forms) in order, least loss first, and spend what room is
left on label tiers (`grown`). Each candidate is a fresh context: no pass's look or policy is changed under
it, and one drawn chart is finished under several key forms only through `Context.with_policy`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..model.case import Case
from ..scene.items import Scene
from ..scene.theme import COMPACT, ONE_PAGE_LEGEND_ROW, Theme
from . import draw
from .context import EPS, Context, Record, make_context, record
from .labels import GROW_LOOKAHEAD, GROW_MAX_EVENTS, GROW_MAX_TIERS, GROW_MAX_TRIES, GROW_ORDER, counted
from .metrics import TextMetrics
from .policy import DEFAULT_POLICY, ONE_PAGE_KEY_FORMS, ONE_PAGE_STEPS, OnePageStep, Policy
from .tiers import Tally

if TYPE_CHECKING:
    from ..facts.compute import Facts

GIVE_BACK_REACH = 120.0  # px over the room within which giving back may still fit once numbers become words


@dataclass(frozen=True, slots=True)
class Pass:
    """One layout pass: its scene, what its labels became, and the policy it ran under."""

    scene: Scene
    tally: Tally
    policy: Policy


def run(ctx: Context) -> Pass:
    """One pass: the chart drawn and finished."""
    drawn = draw.chart(ctx)
    return Pass(draw.finish(ctx, drawn), drawn.tally, ctx.policy)


Make = Callable[[Policy], Pass]


_Key = tuple[Theme, Policy, bool, float | None]  # look, policy, split, page height


@dataclass(frozen=True, slots=True)
class Job:
    """What every pass of one ladder shares: the case, its facts, the metrics and the canvas; and the passes
    already made in this ladder, by look and policy.

    A ladder asks for the same pass more than once (a fitted candidate is laid out again to grow it; giving
    back settles on a policy whose pass it already made, then grows it again), and the key's forms differ
    only in how the same drawing is finished. A pass is a pure function of the job, look and policy, so each
    is made once per ladder: `drawn` draws once per look and drawing policy (`Policy.drawing`), `run`
    finishes once per policy. The memos live as long as the ladder's call."""

    case: Case
    facts: Facts | None
    metrics: TextMetrics
    width: float
    title_block: bool
    _drawings: dict[_Key, tuple[Context, draw.Drawn]] = field(default_factory=dict, compare=False, repr=False)
    _passes: dict[_Key, Pass] = field(default_factory=dict, compare=False, repr=False)
    _known: list[Record] = field(default_factory=list, compare=False, repr=False)  # the case's record, once made

    def context(self, theme: Theme, policy: Policy, *, split: bool = False,
                page_height: float | None = None) -> Context:
        return make_context(self.case, self.facts, theme, policy, self.metrics, self.width, self.title_block,
                            split=split, page_height=page_height, known=self._record())

    def _record(self) -> Record:
        if not self._known:
            self._known.append(record(self.case, self.facts))
        return self._known[0]

    def drawn(self, theme: Theme, policy: Policy, *, split: bool = False,
              page_height: float | None = None) -> tuple[Context, draw.Drawn]:
        """The chart drawn at `theme` under `policy` (made once per look and drawing policy), and its context."""
        key = (theme, policy.drawing(), split, page_height)
        hit = self._drawings.get(key)
        if hit is None:
            ctx = self.context(theme, policy, split=split, page_height=page_height)
            hit = self._drawings[key] = (ctx, draw.chart(ctx))
        return hit

    def has_drawn(self, theme: Theme, policy: Policy) -> bool:
        """True when the chart at `theme` under `policy` is drawn already (then a pass of it is only finished)."""
        return (theme, policy.drawing(), False, None) in self._drawings

    def run(self, theme: Theme, policy: Policy, *, split: bool = False, page_height: float | None = None) -> Pass:
        """One pass, drawn and finished (made once per look and policy)."""
        key = (theme, policy, split, page_height)
        hit = self._passes.get(key)
        if hit is None:
            ctx, drawn = self.drawn(theme, policy, split=split, page_height=page_height)
            scene = draw.finish(ctx if ctx.policy == policy else ctx.with_policy(policy), drawn)
            hit = self._passes[key] = Pass(scene, drawn.tally, policy)
        return hit

    def maker(self, theme: Theme, *, split: bool = False, page_height: float | None = None) -> Make:
        """Passes at `theme` under a policy given later (the grow ladder changes only the policy)."""
        return lambda policy: self.run(theme, policy, split=split, page_height=page_height)


# ------------------------------------------------------------------------------------ a height budget


def fit_height(job: Job, theme: Theme, policy: Policy, max_height: float, page_height: float | None) -> Scene:
    """`layout.layout` with a `max_height`: the normal pass if it fits, else the compact levels in order
    (legend and key to the appendix), the first that fits grown into the free height; else the tightest.
    A level whose floor (`draw.floor`, a lower bound of its height) is taller than the room cannot fit, so
    it is not laid out; the tightest level is always laid out when reached (it is returned when nothing
    fits)."""
    if draw.floor(job.context(theme, policy), max_height) <= max_height:
        scene = job.run(theme, policy).scene
        if scene.height <= max_height:
            return scene
    for level in range(COMPACT.levels + 1):
        look, pol = theme.compact(level), policy.compact(level)
        if level < COMPACT.levels and draw.floor(job.context(look, pol, split=True, page_height=page_height),
                                                 max_height) > max_height:
            continue
        make = job.maker(look, split=True, page_height=page_height)
        done = make(pol)
        scene = done.scene
        if scene.height <= max_height:
            best = grown(make, done, max_height, len(job.case.events))
            if level < COMPACT.levels and _any_short(best.tally):
                tighter = _tighter(job, theme, policy, level + 1, max_height, page_height)
                if tighter is not None and tighter.tally.score() > best.tally.score() and (
                        tighter.tally.worded() >= best.tally.worded()):  # never fewer words on the page
                    return tighter.scene
            return best.scene
    return scene


def _tighter(job: Job, theme: Theme, policy: Policy, level: int, max_height: float, page_height: float | None
             ) -> Pass | None:
    """Compact `level` grown into the free height, if it fits: the level before it may fit with no height to
    spare, and this one, with fewer tiers to start from but the room to give them where they matter most,
    keep more words (`fit_height` takes it when it keeps the more important ones and no fewer in all)."""
    make = job.maker(theme.compact(level), split=True, page_height=page_height)
    done = make(policy.compact(level))
    if done.scene.height > max_height:
        return None
    return grown(make, done, max_height, len(job.case.events))


def _any_short(tally: Tally) -> bool:
    """True when some label was drawn as a number, left bare or said only by a shared label."""
    return bool(sum(n for _, n in tally.numbered) or sum(n for _, n in tally.bare) or tally.shared)


def grown(make: Make, start: Pass, max_height: float, n_events: int) -> Pass:
    """Spend a page's free height on label tiers: starting from a pass that fits, give one lane at a time
    another tier while the whole still fits and more events keep their words, always asking the lanes that
    matter most first (`labels.GROW_ORDER`: after each tier given, from the top again); the best pass found.
    From a pass that does not fit (its key too long), a tier is kept while it makes the whole shorter (words
    instead of key entries), until it fits. Each try is one pass, so big cases are not searched."""
    if n_events > GROW_MAX_EVENTS:
        return start
    best = start
    more = True
    tries = GROW_MAX_TRIES
    stuck: set[str] = set()  # lanes that could not grow: the others growing only takes room from them
    while more and tries > 0:
        more = False
        for kind in GROW_ORDER:
            if kind in stuck:
                continue
            found, tries = _grow_lane(make, best, kind, max_height, tries)
            if found is not None:  # the lanes that matter more may use the next tier first
                best, more = found, True
                break
            stuck.add(kind)
    return best


def _grow_lane(make: Make, best: Pass, kind: str, max_height: float, tries: int) -> tuple[Pass | None, int]:
    """One more tier (or up to `GROW_LOOKAHEAD` more: a tier may not help until the next one comes) for lane
    `kind`, if that is better than `best`; and the tries left."""
    if not _short(best.tally, kind):
        return None, tries
    p = best.policy
    tiers = p.tiers_for(kind)
    fits = best.scene.height <= max_height
    for more in range(tiers + 1, min(tiers + GROW_LOOKAHEAD, GROW_MAX_TIERS) + 1):
        if tries <= 0:
            break
        tries -= 1
        trial = make(replace(p, lane_tiers=(*((k, n) for k, n in p.lane_tiers if k != kind), (kind, more))))
        better = (trial.scene.height <= max_height and trial.tally.score() > best.tally.score() if fits
                  else trial.scene.height < best.scene.height - EPS)  # not yet fitting: shorter is better
        if better:
            return trial, tries
        if not _short(trial.tally, kind) or (fits and trial.scene.height > max_height):
            break  # nothing left to gain in this lane, or already too tall
    return None, tries


def _short(tally: Tally, kind: str) -> bool:
    """True when lane `kind` has labels drawn as numbers, left bare or said only by a shared label."""
    return bool(dict(tally.numbered).get(kind) or dict(tally.bare).get(kind) or tally.shared_in(kind))


# ------------------------------------------------------------------------------------------- one page


@dataclass(frozen=True, slots=True)
class OnePage:
    """A chart fitted to one page with its legend and key: the scene, how it fits, and what gave way."""

    scene: Scene
    fits: bool  # False: no candidate fits the room (the scene is then the shortest candidate)
    level: int  # the compact level used (0: the normal layout)
    step: int  # index into chart.policy.ONE_PAGE_STEPS
    left_out: str  # what was left out, in words for the reader ('' when nothing)
    form: tuple[int, int] = (0, 0)  # the key's form (columns, lines per entry); (0, 0): the policy's own


def one_page_theme(theme: Theme, level: int, step: OnePageStep) -> Theme:
    """The look of a one-page candidate: `theme` at compact `level`, the legend's rows closer once anything
    gives way."""
    t = theme.compact(level)
    if level <= 0 and not step.hidden and not step.unlabelled:
        return t
    return replace(t, legend_row=min(t.legend_row, ONE_PAGE_LEGEND_ROW))


def one_page_policy(policy: Policy, level: int, step: OnePageStep, key_form: tuple[int, int] = (0, 0)) -> Policy:
    """`policy` at compact `level`, with `step`'s lanes given way and the key in `key_form` (columns, lines)."""
    p = policy.compact(level)
    if level <= 0 and not step.hidden and not step.unlabelled:
        return p
    columns, lines = key_form
    return replace(p, hidden_lanes=step.hidden, unlabelled_lanes=step.unlabelled,
                   key_columns=columns or p.key_columns, key_max_lines=lines or p.key_max_lines)


def _bare(p: Policy, kind: str) -> Policy:
    """`p` with lane `kind` labelled where its words fit and bare markers elsewhere (no numbers), starting
    with no tier of its own (words beside markers only): `grown` then spends the free height on its tiers."""
    return replace(p, unlabelled_lanes=tuple(k for k in p.unlabelled_lanes if k != kind),
                   bare_lanes=(*(k for k in p.bare_lanes if k != kind), kind),
                   lane_tiers=(*((k, n) for k, n in p.lane_tiers if k != kind), (kind, 0)))


def _give_back(p: Policy, fits: Callable[[Policy], tuple[Policy, Scene] | None]) -> tuple[Policy, Scene | None]:
    """What a one-page step took, given back lane by lane where the page still fits, most important first:
    the labels of milestones (permanence steps), hearings, meetings; then life events as markers, then
    their labels. A lane's labels come back whole (numbers for what finds no room) where that fits, else in
    part (`_bare`: the words that fit, most important first, the rest bare markers). `fits` lays a policy
    out and returns the policy it settled on (its tiers grown) and its scene when it fits, else None.
    Returns the last policy that fitted and its scene (None when nothing could be given back)."""
    best: Scene | None = None

    def attempt(trial: Policy) -> bool:
        nonlocal p, best
        fitted = fits(trial)
        if fitted is not None:
            p, best = fitted
        return fitted is not None

    for kind in ("milestone", "hearing", "meeting"):  # by `labels.priority`: permanence steps first
        if kind in p.unlabelled_lanes:
            whole = replace(p, unlabelled_lanes=tuple(k for k in p.unlabelled_lanes if k != kind))
            if not attempt(whole):
                attempt(_bare(p, kind))
    if "event" in p.hidden_lanes and not attempt(
            replace(p, hidden_lanes=tuple(k for k in p.hidden_lanes if k != "event"),
                    unlabelled_lanes=(*(k for k in p.unlabelled_lanes if k != "event"), "event"))):
        return p, best
    if "event" in p.unlabelled_lanes and not attempt(
            replace(p, unlabelled_lanes=tuple(k for k in p.unlabelled_lanes if k != "event"))):
        attempt(_bare(p, "event"))
    return p, best


_LEFT_OUT_NAMES: dict[str, tuple[str, ...]] = {"meeting": ("meetings", "reviews"), "milestone": ("milestones",),
                                               "hearing": ("hearings",), "event": ("life events",)}


def left_out_words(hidden: Sequence[str], unlabelled: Sequence[str], bare: Mapping[str, int] | None = None) -> str:
    """What a one-page chart leaves out, in words: 'life events; labels of meetings, reviews and milestones'
    (the words of `ONE_PAGE_STEPS` for the same lanes); `bare` (lane -> events left as bare markers in
    a lane that keeps its other labels) adds 'labels of 12 meetings and reviews'."""
    parts = ["life events"] if "event" in hidden else []
    names = [n for k in ("meeting", "milestone", "hearing", "event") if k in unlabelled for n in _LEFT_OUT_NAMES[k]]
    names += [counted(k, bare[k]) for k in ("meeting", "milestone", "hearing", "event")
              if bare and bare.get(k) and k not in unlabelled]
    if names:
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        parts.append(f"labels of {listed}")
    return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class _Page:
    """One `fit_one_page` call: the job, the look and policy as given (the key listing combined labels' events),
    and the room. A candidate is (compact level, step index, key form); (0, 0, (0, 0)) is the normal layout."""

    job: Job
    theme: Theme
    policy: Policy
    max_height: float

    def look(self, level: int, index: int) -> Theme:
        return one_page_theme(self.theme, level, ONE_PAGE_STEPS[index])

    def rules(self, level: int, index: int, form: tuple[int, int]) -> Policy:
        return one_page_policy(self.policy, level, ONE_PAGE_STEPS[index], form)

    def named(self, scene: Scene, level: int, index: int, form: tuple[int, int] = (0, 0)) -> OnePage:
        return OnePage(scene, scene.height <= self.max_height, level, index, ONE_PAGE_STEPS[index].words, form)

    def candidate(self, level: int, index: int, form: tuple[int, int]) -> OnePage:
        """A candidate laid out (each pass made once per ladder: `Job.run`)."""
        return self.named(self.job.run(self.look(level, index), self.rules(level, index, form)).scene,
                          level, index, form)

    def floor(self, level: int, index: int, form: tuple[int, int], limit: float, *, key: bool = True) -> float:
        """A lower bound of a candidate's height (`draw.floor`, the key beneath the chart counted with `key`);
        with `key`, a candidate whose chart is drawn already is finished instead, which costs less."""
        look, rules = self.look(level, index), self.rules(level, index, form)
        if key and self.job.has_drawn(look, rules):
            return self.job.run(look, rules).scene.height
        return draw.floor(self.job.context(look, rules), limit, key=key)

    def fits(self, level: int, index: int, form: tuple[int, int], *, chart_alone: bool = False) -> bool:
        """True when the candidate is no taller than the room; with `chart_alone`, only when its chart without
        legend and key is no taller either (`chart_fits`). Not laid out when its floor is taller: it cannot fit."""
        if self.floor(level, index, form, self.max_height) > self.max_height:
            return False
        if chart_alone and not self.chart_fits(level, index):
            return False
        return self.candidate(level, index, form).fits

    def chart_fits(self, level: int, index: int) -> bool:
        """True when the chart of a (level, step), without its legend and key, is no taller than the room (else
        none of its candidates can fit); not drawn when its floor without the key is taller."""
        look, rules = self.look(level, index), self.rules(level, index, ONE_PAGE_KEY_FORMS[0])
        if self.floor(level, index, ONE_PAGE_KEY_FORMS[0], self.max_height, key=False) > self.max_height:
            return False
        ctx, drawn = self.job.drawn(look, rules)
        return drawn.bottom + ctx.theme.margin <= self.max_height


_Candidate = tuple[int, int, tuple[int, int]]  # (compact level, step index, key form)


def fit_one_page(case: Case, *, facts: Facts | None, theme: Theme, metrics: TextMetrics, width: float,
                 max_height: float, title_block: bool = False, policy: Policy = DEFAULT_POLICY) -> OnePage:
    """The chart with its legend and numbered key on ONE canvas no taller than `max_height`, text at full size.

    For a one-page view (the Children's Hearing), where a number without its key is useless: the key stays
    with the chart and counts against the room. The normal layout is tried first, then each step of
    `ONE_PAGE_STEPS` (least important content first) at compact levels 1..COMPACT.levels, each with the key
    forms of `ONE_PAGE_KEY_FORMS`; the first that fits wins. The key grows as labels become numbers, so a
    tighter level is not always shorter: every candidate counts, in order.

    Shortcuts keep big cases quick and give the same answer. The last step gives way on the most, and at a
    given level and key form no earlier step is shorter (tests check it): so the last step's candidates are
    asked first, and when none of them fits, nothing does -- the shortest candidate is then returned with
    `fits=False` (the caller draws it smaller). A candidate whose floor (`draw.floor` with its key: a lower
    bound of its height) is taller than the room cannot fit, and one whose floor is taller than the shortest
    candidate found cannot be the shortest: neither is laid out. And the key's forms share one drawn chart:
    a chart already taller than the room without its legend and key rules out all its forms.
    """
    page = _Page(Job(case, facts, metrics, width, title_block), theme,
                 replace(policy, list_combined=True, trim_bottom=True), max_height)  # no table: the key lists them
    whole: _Candidate = (0, 0, (0, 0))  # the normal layout
    if page.fits(*whole):
        return page.candidate(*whole)
    levels = range(1, COMPACT.levels + 1)
    last = len(ONE_PAGE_STEPS) - 1
    tightest = [(level, last, form) for level in levels for form in ONE_PAGE_KEY_FORMS]
    if not any(page.fits(*candidate) for candidate in tightest):
        return _shortest(page, (whole, *tightest))
    for index in range(len(ONE_PAGE_STEPS)):
        for level in levels:
            for form in ONE_PAGE_KEY_FORMS:
                if page.fits(level, index, form, chart_alone=index < last):
                    return _page_grown(page, page.candidate(level, index, form))
        if index == 0 and page.chart_fits(1, index):  # before anything is left out:
            # words for numbers, if that is shorter (not when the chart alone is already too tall)
            form = ONE_PAGE_KEY_FORMS[0]
            rescued = _page_grown(page, page.candidate(1, index, form))
            if rescued.scene.height <= max_height:
                return replace(rescued, fits=True)
    raise AssertionError("unreachable: a candidate of the last step fits")  # pragma: no cover


def _shortest(page: _Page, candidates: Sequence[_Candidate]) -> OnePage:
    """The shortest of `candidates`, the first of them in order when two are as short (what `min` by height
    gives). One whose floor is taller than the shortest found so far cannot be it, so it is not laid out;
    the normal layout (the first) is asked last, as it is the least likely to be the shortest."""
    best: tuple[float, int, OnePage] | None = None
    for i in (*range(1, len(candidates)), 0):
        level, index, form = candidates[i]
        if best is not None and page.floor(level, index, form, best[0]) > best[0]:
            continue
        fitted = page.candidate(level, index, form)
        if best is None or (fitted.scene.height, i) < best[:2]:
            best = (fitted.scene.height, i, fitted)
    assert best is not None
    return best[2]


def _page_grown(page: _Page, fitted: OnePage) -> OnePage:
    """The fitted candidate with the page's free height spent: first on giving back what its step took
    (the labels of the most important lane first, then life events as markers, then their labels), then
    on label tiers (`grown`). What is still left out is said in `left_out`."""
    make = page.job.maker(page.look(fitted.level, fitted.step))
    n_events, room = len(page.job.case.events), page.max_height
    p = page.rules(fitted.level, fitted.step, fitted.form)
    best = grown(make, make(p), room, n_events)
    if n_events <= GROW_MAX_EVENTS and best.scene.height <= room:
        def fits(back: Policy) -> tuple[Policy, Scene] | None:
            """`back` laid out, grown where it is too tall with numbers (words instead may fit) or where
            a lane keeps only some words (its tiers before any less important lane is given back)."""
            trial = make(back)
            if back.bare_lanes or (room < trial.scene.height < room + GIVE_BACK_REACH and trial.tally.numbered):
                trial = grown(make, trial, room, n_events)
            return (trial.policy, trial.scene) if trial.scene.height <= room else None

        given, back_scene = _give_back(p, fits)
        if back_scene is not None:
            p = given
            best = grown(make, make(p), room, n_events)
    if best.scene.height > room:  # the growth of a rescued candidate may not reach the room
        return replace(fitted, scene=best.scene)
    return replace(fitted, scene=best.scene,
                   left_out=left_out_words(p.hidden_lanes, p.unlabelled_lanes, dict(best.tally.bare)))
