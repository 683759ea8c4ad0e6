"""Standards (facts stage data): the targets that steps to permanence, reviews and flags are measured against.

Targets are policy, not code: PACE aims, local authority aims and regulations change, so they live in a
data file (`timeline/standards/<jurisdiction>.yaml`). A local authority passes its own file with
`--standards FILE`; every key it gives replaces the bundled default, every key it leaves out keeps it.
A bad standards file is refused with located, plain-English problems, like a bad case file.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..dates import DateFormatError, add_months, add_working_days, parse_date
from ..io.read import SourceMap, display_name, parse_document, read_text
from ..model.vocabulary import JURISDICTIONS, load_vocabulary, overlay
from ..problems import CaseError, Loc, Problem

# The PACE permanence data set, in the order a child passes through it (domain.md §2).
PACE_MILESTONES: tuple[str, ...] = (
    "looked_after",
    "permanence_recommended",
    "permanence_panel",
    "adm_decision",
    "application_lodged",
    "final_order",
)
_MILESTONE_KEYS = ("after", "days", "why", "not_for_routes", "only_for_routes", "extended_by", "extension_days")
_REVIEW_KEYS = ("first_days", "second_days", "later_days")
# Optional: the schedule as the regulations word it (working days, calendar months), and what it counts from.
_REVIEW_EXACT_KEYS = ("first_working_days", "second_months", "later_months", "from")
_REVIEW_FROM = ("placement", "looked_after")
# The jurisdiction's named measures (timeline/facts/measures.py): each a kind of rule with its own parameters.
MEASURE_KINDS: dict[str, tuple[str, ...]] = {
    "step": ("milestone",),
    "hearing_by": ("from", "hearing", "days", "until"),
    "adjusted_interval": ("from", "to", "stop_at_previous_placement_for"),
    "by_review": ("milestone", "review"),
    "placements_in_year": ("count", "window_days"),
    "long_term_stability": ("under_age", "in_care_months", "same_placement_months"),
}
_MEASURE_COMMON = ("kind", "label", "short", "why")
_FLAG_KEYS = ("home_supervision_days", "moves_count", "moves_window_days", "no_plan_days")
_TOP_KEYS = ("name", "milestones", "reviews", "flags", "measures", "holidays")
_LONGEST_TARGET_DAYS = 36_525  # a hundred years: anything longer is a typing slip, not an aim


@dataclass(frozen=True, slots=True)
class Target:
    """How long a step may take: `days` after the `after` milestone (None: no target for this step)."""

    milestone: str
    after: str | None
    days: int | None
    why: str | None = None
    not_for_routes: tuple[str, ...] = ()
    extended_by: str | None = None  # a milestone that moves the target on by `extension_days` each time
    extension_days: int | None = None
    only_for_routes: tuple[str, ...] = ()  # the step belongs to these plans only (England's adoption steps)

    def exempt(self, plan: str | None, evidence: frozenset[str] = frozenset()) -> bool:
        """Whether the step does not apply to this child, from the plan the record shows.

        A step `not_for_routes` a plan does not apply to it. A step kept `only_for_routes` (A1 and A2 are
        measured for children whose plan is adoption) applies when the plan is one of them, or, with no
        plan recorded, when `evidence` (the routes of the steps already dated: an ADM decision, a
        placement order) shows it; otherwise a child with no adoption plan would be "overdue" for a step
        that may never be theirs.
        """
        if plan is not None and plan in self.not_for_routes:
            return True
        if not self.only_for_routes:
            return False
        if plan is not None:
            return plan not in self.only_for_routes
        return not (evidence & set(self.only_for_routes))

    def unplanned(self, plan: str | None, evidence: frozenset[str] = frozenset()) -> bool:
        """True when the step is exempt only because no plan of its routes is recorded (words say so)."""
        return plan is None and bool(self.only_for_routes) and self.exempt(plan, evidence)


@dataclass(frozen=True, slots=True)
class ReviewSchedule:
    """When looked-after reviews fall due after a placement away from home starts (in days)."""

    first_days: int
    second_days: int
    later_days: int
    # As the regulations word it, when the standards say so (England: 20 working days, 3 and 6 months);
    # the day counts above stay the fallback and the chart's limits.
    first_working_days: int | None = None
    second_months: int | None = None
    later_months: int | None = None
    counts_from: str = "placement"  # placement (each placement restarts it) | looked_after (the period does)
    holidays: frozenset[date] | None = None  # bank holidays skipped by working days; None: none given

    def due_after(self, previous: date, number: int) -> date:
        """When review `number` (1-based) falls due, counting from `previous` (the start or the last review)."""
        if number == 1:
            if self.first_working_days is not None:
                return add_working_days(previous, self.first_working_days, self.holidays or frozenset())
            return previous + timedelta(days=self.first_days)
        months = self.second_months if number == 2 else self.later_months
        if months is not None:
            return add_months(previous, months)
        return previous + timedelta(days=self.second_days if number == 2 else self.later_days)

    @property
    def approximate(self) -> bool:
        """Working days counted without a bank holiday list: a due date may be a day or two early."""
        return self.first_working_days is not None and self.holidays is None


@dataclass(frozen=True, slots=True)
class FlagRules:
    """Thresholds of the plain-English warnings (flags) in the summary."""

    home_supervision_days: int
    moves_count: int
    moves_window_days: int
    no_plan_days: int


@dataclass(frozen=True, slots=True)
class MeasureSpec:
    """One named measure of the jurisdiction (adoption scorecard A1, the 26 weeks ...): a `kind` of rule
    (MEASURE_KINDS, computed in timeline/facts/measures.py) and its parameters, all data."""

    code: str
    kind: str
    label: str
    why: str | None
    params: tuple[tuple[str, Any], ...]
    short: str | None = None  # a few words for the one-page court summary ("A1", "CMH by day 12")

    def get(self, key: str, default: Any = None) -> Any:
        """One parameter of the rule."""
        return dict(self.params).get(key, default)


@dataclass(frozen=True, slots=True)
class Standards:
    """All targets in force for one summary, milestones in PACE order."""

    name: str
    targets: tuple[Target, ...]
    reviews: ReviewSchedule
    flags: FlagRules
    measures: tuple[MeasureSpec, ...] = ()

    def route_evidence(self, dated: Collection[str]) -> frozenset[str]:
        """The routes that the steps already dated belong to (`only_for_routes`): an ADM decision or a
        placement order on record shows the plan is adoption even when no recommendation is recorded."""
        return frozenset(r for t in self.targets if t.milestone in dated for r in t.only_for_routes)

    def target(self, milestone: str) -> Target:
        """The target of one PACE milestone (KeyError for a code that is not one)."""
        for t in self.targets:
            if t.milestone == milestone:
                return t
        raise KeyError(milestone)


def load_standards(path: str | Path | None = None, jurisdiction: str = "scotland") -> Standards:
    """The bundled defaults of a jurisdiction, or those defaults overlaid with the file at `path`.

    Raises CaseError (located problems) when the file cannot be read or says something impossible.
    """
    if path is None:
        return _default_standards(jurisdiction)
    name = display_name(path)
    try:
        data, source = parse_document(path, read_text(path))
    except CaseError as exc:
        raise CaseError([_retitle(p) for p in exc.problems]) from None
    return _build(data, source, base=_default_data(jurisdiction), name=name, jurisdiction=jurisdiction)


@cache
def _default_data(jurisdiction: str = "scotland") -> dict[str, Any]:
    """The bundled defaults of one jurisdiction as plain data (read once); KeyError for an unknown one."""
    if jurisdiction not in JURISDICTIONS:
        raise KeyError(jurisdiction)
    file = f"{jurisdiction}.yaml"
    text = resources.files("timeline").joinpath("standards").joinpath(file).read_text(encoding="utf-8")
    data, _ = parse_document(f"standards/{file}", text)
    assert isinstance(data, dict)
    base = data.pop("base", None)  # a variant (Wales) names only what differs from its base
    return overlay(_default_data(str(base)), data) if base else data


def milestone_steps(jurisdiction: str = "scotland") -> tuple[str, ...]:
    """The steps to permanence of a jurisdiction, in order: the milestone keys of its bundled standards."""
    return tuple(_default_data(jurisdiction)["milestones"])


@cache
def _default_standards(jurisdiction: str = "scotland") -> Standards:
    name = f"standards/{jurisdiction}.yaml"
    return _build(_default_data(jurisdiction), SourceMap(name), base={}, name=name, jurisdiction=jurisdiction)


def _retitle(problem: Problem) -> Problem:
    """Problems worded for case files (empty file, no data), reworded for a standards file."""
    if "case file" not in problem.message:
        return problem
    head = problem.message.split(";")[0]
    return Problem(problem.file, problem.line, problem.col, problem.path,
                   f"{head}; a standards file holds `milestones:`, `reviews:` and/or `flags:` (see docs/summary.md)",
                   problem.severity)


class _Checker:
    """Collects every problem of one standards file before giving up, so the user fixes them in one go."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def fail(self, loc: Loc, message: str, *, key: bool = False) -> None:
        self.problems.append(self.source.problem(loc, message, key=key))

    def block(self, value: Any, loc: Loc, allowed: tuple[str, ...]) -> dict[str, Any]:
        """A mapping whose keys are all in `allowed`; {} (and a problem) otherwise."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(loc, "should be a block of fields (key: value), not a single value or a list")
            return {}
        for k in value:
            if k not in allowed:
                self.fail((*loc, k), f"unknown field '{str(k)[:40]}' (allowed here: {', '.join(allowed)})", key=True)
        return {k: v for k, v in value.items() if k in allowed}

    def days(self, value: Any, loc: Loc, *, nullable: bool, minimum: int = 0) -> int | None:
        if value is None and nullable:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            what = "a whole number of days" + (" or null (no target)" if nullable else "")
            self.fail(loc, f"should be {what}, e.g. 84; got '{str(value)[:40]}'")
            return None
        if not minimum <= value <= _LONGEST_TARGET_DAYS:
            self.fail(loc, f"should be between {minimum} and {_LONGEST_TARGET_DAYS} days; got {value}")
            return None
        return value


def _build(data: Any, source: SourceMap, *, base: dict[str, Any], name: str,
           jurisdiction: str = "scotland") -> Standards:
    """Plain data (overlaid on `base`) -> Standards, or CaseError listing every problem found."""
    steps = milestone_steps(jurisdiction)
    routes_known = tuple(load_vocabulary(jurisdiction).routes)
    check = _Checker(source)
    problems_before = list(source.problems)
    top = check.block(data, (), _TOP_KEYS) if data is not None else {}
    base_milestones = base.get("milestones") or {}
    given_milestones = check.block(top.get("milestones"), ("milestones",), steps)

    targets = [_target(check, code, steps[:position], base_milestones, given_milestones, routes_known,
                       jurisdiction) for position, code in enumerate(steps)]
    reviews = _numbers(check, top, base, "reviews", _REVIEW_KEYS, 1, _REVIEW_EXACT_KEYS)
    flags = _numbers(check, top, base, "flags", _FLAG_KEYS, 1)
    exact = _review_exact(check, {**(base.get("reviews") or {}), **(top.get("reviews") or {})})
    holidays = _holidays(check, top.get("holidays", base.get("holidays")))
    measures = _measures(check, {**(base.get("measures") or {}), **(top.get("measures") or {})})
    title = top.get("name", base.get("name", name))
    if not isinstance(title, str):
        check.fail(("name",), "should be text naming these standards")
        title = name
    problems = [*problems_before, *check.problems]
    if problems:
        raise CaseError(sorted(problems, key=lambda p: (p.line or 0, p.col or 0)))
    return Standards(
        name=title,
        targets=tuple(targets),
        reviews=ReviewSchedule(reviews["first_days"], reviews["second_days"], reviews["later_days"], **exact,
                               holidays=holidays),
        flags=FlagRules(**flags),
        measures=measures,
    )


def _target(check: _Checker, code: str, earlier: tuple[str, ...], base_milestones: dict[str, Any],
            given_milestones: dict[str, Any], routes_known: tuple[str, ...], jurisdiction: str) -> Target:
    """One step's target (the file's fields over the base's), each field checked: `after` an earlier step,
    days with an `after`, `why` text, known routes, an extension by a milestone of this jurisdiction."""
    loc: Loc = ("milestones", code)
    given = check.block(given_milestones.get(code), loc, _MILESTONE_KEYS)
    spec = {**(base_milestones.get(code) or {}), **given}
    after = spec.get("after")
    days = check.days(spec.get("days"), (*loc, "days"), nullable=True)
    if after is not None and after not in earlier:
        allowed = ", ".join(earlier) if earlier else "none (it is the first step; use null)"
        check.fail((*loc, "after"), f"'{str(after)[:40]}' is not an earlier milestone (one of: {allowed})")
        after = None
    elif after is None and days is not None:
        check.fail((*loc, "days"), "a target needs `after:` (the earlier milestone it counts from)")
    why = spec.get("why")
    if why is not None and not isinstance(why, str):
        check.fail((*loc, "why"), "should be text saying where the target comes from")
        why = None
    routes = _routes(check, spec, "not_for_routes", loc, routes_known)
    only = _routes(check, spec, "only_for_routes", loc, routes_known)
    extended_by = spec.get("extended_by")
    extension_days = check.days(spec.get("extension_days"), (*loc, "extension_days"), nullable=True)
    if extended_by is not None and extended_by not in load_vocabulary(jurisdiction).codes("milestone"):
        check.fail((*loc, "extended_by"), f"'{str(extended_by)[:40]}' is not a milestone of this jurisdiction")
        extended_by = None
    return Target(code, after, days, why, routes, extended_by, extension_days, only)


def _numbers(check: _Checker, top: dict[str, Any], base: dict[str, Any], section: str, keys: tuple[str, ...],
             minimum: int, extra: tuple[str, ...] = ()) -> dict[str, int]:
    """A section of whole numbers (reviews, flags), the file's over the base's; each missing or bad one is a
    problem, and stands at `minimum` meanwhile so that checking goes on."""
    given = check.block(top.get(section), (section,), keys + extra)
    merged = {**(base.get(section) or {}), **given}
    out: dict[str, int] = {}
    for k in keys:
        if k not in merged:
            check.fail((section,), f"is missing `{k}`")
            continue
        value = check.days(merged[k], (section, k), nullable=False, minimum=minimum)
        out[k] = value if value is not None else minimum
    return out


def load_holidays(path: str | Path) -> frozenset[date]:
    """A bank holiday list for working days (`--holidays FILE`): one YYYY-MM-DD a line (blank lines and
    `#` comments skipped). CaseError naming the line of anything else."""
    name = display_name(path)
    out: set[date] = set()
    problems: list[Problem] = []
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        try:
            day = parse_date(text)
        except DateFormatError:
            day = None
        if day is None or day.precision != "day" or day.qualifier:
            problems.append(Problem(name, number, 1, "holidays", f"should be a full date (YYYY-MM-DD); got "
                                                                 f"'{text[:40]}'"))
            continue
        out.add(day.mid)
    if problems:
        raise CaseError(problems)
    return frozenset(out)


def standards_for(path: str | None, jurisdiction: str, holidays: str | None = None) -> Standards | None:
    """What a render uses: the standards file at `path` over the jurisdiction's defaults, with the bank
    holidays at `holidays`; None (the facts stage's own defaults) when neither is given."""
    if path is None and holidays is None:
        return None
    std = load_standards(path, jurisdiction)
    return with_holidays(std, load_holidays(holidays)) if holidays is not None else std


def with_holidays(std: Standards, holidays: frozenset[date]) -> Standards:
    """The same standards with working days counted without these bank holidays."""
    from dataclasses import replace

    return replace(std, reviews=replace(std.reviews, holidays=holidays))


def _routes(check: _Checker, spec: dict[str, Any], key: str, loc: Loc,
            routes_known: tuple[str, ...]) -> tuple[str, ...]:
    """A milestone's `not_for_routes`/`only_for_routes` list, each entry checked against the routes."""
    raw = spec.get(key) or []
    if not isinstance(raw, list):
        check.fail((*loc, key), f"should be a list of routes, e.g. [home, kinship] (routes: {', '.join(routes_known)})")
        return ()
    out: list[str] = []
    for i, r in enumerate(raw):
        if r in routes_known:
            out.append(str(r))
        else:
            check.fail((*loc, key, i), f"'{str(r)[:40]}' is not a route (one of: {', '.join(routes_known)})")
    return tuple(out)


def _review_exact(check: _Checker, given: dict[str, Any]) -> dict[str, Any]:
    """The optional exact schedule keys (working days, months, what it counts from)."""
    out: dict[str, Any] = {}
    for key, field_name in (("first_working_days", "first_working_days"), ("second_months", "second_months"),
                            ("later_months", "later_months")):
        if given.get(key) is not None:
            out[field_name] = check.days(given[key], ("reviews", key), nullable=False, minimum=1)
    counts_from = given.get("from")
    if counts_from is not None:
        if counts_from in _REVIEW_FROM:
            out["counts_from"] = str(counts_from)
        else:
            check.fail(("reviews", "from"), f"should be one of: {', '.join(_REVIEW_FROM)}")
    return out


def _holidays(check: _Checker, raw: Any) -> frozenset[date] | None:
    """`holidays:` a list of full dates (bank holidays) working days skip; None when none are given."""
    if raw is None:
        return None
    if not isinstance(raw, list):
        check.fail(("holidays",), "should be a list of dates (YYYY-MM-DD), e.g. [2020-12-25, 2020-12-28]")
        return None
    out: set[date] = set()
    for i, item in enumerate(raw):
        try:
            day = parse_date(str(item))
        except DateFormatError:
            day = None
        if day is None or day.precision != "day" or day.qualifier:
            check.fail(("holidays", i), f"should be a full date (YYYY-MM-DD); got '{str(item)[:40]}'")
            continue
        out.add(day.mid)
    return frozenset(out)


def _measures(check: _Checker, raw: dict[str, Any]) -> tuple[MeasureSpec, ...]:
    """`measures:` by code, each `kind:` one of MEASURE_KINDS with that kind's parameters."""
    out: list[MeasureSpec] = []
    for code, spec in raw.items():
        loc: Loc = ("measures", code)
        if not isinstance(spec, dict):
            check.fail(loc, "should be a block of fields (kind, label, ...)")
            continue
        kind = spec.get("kind")
        if kind not in MEASURE_KINDS:
            check.fail((*loc, "kind"), f"should be one of: {', '.join(MEASURE_KINDS)}")
            continue
        fields = check.block(spec, loc, (*_MEASURE_COMMON, *MEASURE_KINDS[kind]))
        label = fields.get("label", str(code))
        why = fields.get("why")
        params = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in fields.items()
                       if k not in _MEASURE_COMMON)
        short = fields.get("short")
        out.append(MeasureSpec(str(code), str(kind), str(label), str(why) if why is not None else None, params,
                               str(short) if short is not None else None))
    return tuple(out)


__all__ = ["MEASURE_KINDS", "PACE_MILESTONES", "FlagRules", "MeasureSpec", "ReviewSchedule", "Standards", "Target",
           "load_holidays", "load_standards", "milestone_steps", "standards_for", "with_holidays"]
