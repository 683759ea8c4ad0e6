"""Benchmark input (before the io stage): deterministic synthetic case files of any size, seeded.

A case of N events has a realistic mix of kinds (about a tenth placements, a tenth orders, a quarter each
hearings and meetings, a few milestones, the rest life events), placements that follow one another like
a real chronology (so lint finds nothing to warn about), a few approximate or month-precision dates,
and labels of realistic length. The same (N, seed) always gives the same bytes, so timings from two runs
or two machines measure the same work. Nothing here is about a real child.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from timeline.facts.standards import PACE_MILESTONES

BORN = date(2008, 3, 14)
DAYS_PER_EVENT = 60  # a typical chronology has an entry every month or two ...
MIN_SPAN_DAYS = 400  # ... but even a short case covers a year
MAX_SPAN_DAYS = 17 * 365  # and no case runs past the child's 18th birthday

# Share of each kind in the mix (placements and orders are handled as chains, the rest as points).
SHARE_PLACEMENT = 0.10
SHARE_ORDER = 0.10
SHARE_MILESTONE = 0.04
POINT_KINDS: tuple[tuple[str, float], ...] = (("hearing", 0.27), ("meeting", 0.27), ("event", 0.22))


PLACEMENT_TYPES = ("foster", "foster", "foster", "kinship", "residential", "home", "adoptive", "supported", "secure")
ORDER_TYPES = ("icso", "cso", "cso", "s25", "cpo", "cp_register", "po", "poa", "kco")
LATE_ORDERS = frozenset({"po", "poa", "kco"})
HEARING_TYPES = ("childrens_hearing", "review_hearing", "grounds_hearing", "pre_hearing_panel", "proof", "court")
MEETING_TYPES = ("laac_review", "laac_review", "cp_planning_meeting", "ird", "permanence_planning", "matching_panel")
MILESTONE_TYPES = PACE_MILESTONES  # the steps in the order a child passes through them
EVENT_TYPES = ("school", "health", "family", "contact", "worker_change", "referral", "other")
ROUTES = ("adoption", "kinship", "permanence_order", "home")

LABELS: dict[str, tuple[str, ...]] = {
    "placement": ("Foster carers ({c})", "With gran", "Children's unit {c}", "Back home with mum", "Carers {c}"),
    "order": ("CSO", "ICSO continued", "CSO varied: contact", "Register", "PO"),
    "hearing": ("ICSO made", "CSO continued", "Grounds accepted", "Review: no change", "Proof set", "Appeal"),
    "meeting": ("LAAC review", "CP planning", "IRD", "Permanence planning", "Matching panel"),
    "milestone": ("Looked after", "Permanence recommended", "Panel", "ADM decision", "Lodged", "Order granted"),
    "event": ("Started school", "Dental check", "Contact with dad stopped", "New social worker", "Moved class"),
}
NOTE = "Fictional note for benchmarking: the chronology entry a practitioner would write about this event."
SHARE_NOTE = 0.2
SHARE_FUZZY = 0.05  # approximate (~) or month-precision dates
SHARE_PLANNED_TAIL = 0.02  # a few planned events after as_of


def _day(rng: random.Random, when: date, *, allow_fuzzy: bool = True) -> str:
    """A date as case-file text: mostly full dates, a few `YYYY-MM` or `YYYY-MM-DD~`."""
    if allow_fuzzy and rng.random() < SHARE_FUZZY:
        return f"{when.year:04d}-{when.month:02d}" if rng.random() < 0.5 else f"{when.isoformat()}~"
    return when.isoformat()


def _label(rng: random.Random, kind: str, n: int) -> str:
    text = rng.choice(LABELS[kind])
    return text.format(c=chr(ord("A") + n % 26))


def _cuts(rng: random.Random, count: int, span: int) -> list[int]:
    """`count` increasing day offsets in (0, span), all distinct, that split the span into count + 1 runs."""
    count = max(0, min(count, span - 1))
    return sorted(rng.sample(range(1, span), count))


def make_case(n_events: int, *, seed: int = 0) -> dict[str, Any]:
    """The plain data of a valid case file with exactly `n_events` events (deterministic for n and seed)."""
    rng = random.Random(f"child-timeline-bench:{n_events}:{seed}")
    span = max(MIN_SPAN_DAYS, min(MAX_SPAN_DAYS, n_events * DAYS_PER_EVENT))
    start = BORN + timedelta(days=rng.randrange(0, 200))
    as_of = start + timedelta(days=span)
    events: list[dict[str, Any]] = []

    n_place = max(1, round(n_events * SHARE_PLACEMENT)) if n_events else 0
    n_order = round(n_events * SHARE_ORDER)
    n_mile = round(n_events * SHARE_MILESTONE)
    n_points = max(0, n_events - n_place - n_order - n_mile)

    # Placements: one chain, each ends the day the next starts; the last runs on to as_of.
    bounds = [0, *_cuts(rng, n_place - 1, span), span]
    for i in range(n_place):
        a, b = bounds[i], bounds[i + 1]
        ev: dict[str, Any] = {
            "kind": "placement",
            "type": rng.choice(PLACEMENT_TYPES),
            "start": (start + timedelta(days=a)).isoformat(),
            "label": _label(rng, "placement", i),
        }
        if i < n_place - 1:
            ev["end"] = (start + timedelta(days=b)).isoformat()
        events.append(ev)

    # Orders: overlapping (ICSO -> CSO, the register beside them); permanence orders only in the later half.
    for i in range(n_order):
        typ = rng.choice(ORDER_TYPES)
        a = rng.randrange(span // 2 if typ in LATE_ORDERS else 0, span)
        length = rng.randrange(20, 700)
        ev = {"kind": "order", "type": typ, "start": _day(rng, start + timedelta(days=a))}
        if a + length < span:
            ev["end"] = (start + timedelta(days=a + length)).isoformat()
        ev["label"] = _label(rng, "order", i)
        events.append(ev)

    # Milestones in their natural order (looked after ... final order), repeating in a long case; route only
    # on permanence_recommended.
    mile_days = sorted(rng.randrange(0, span) for _ in range(n_mile))
    for i, day in enumerate(mile_days):
        typ = MILESTONE_TYPES[i % len(MILESTONE_TYPES)]
        ev = {"kind": "milestone", "type": typ, "date": _day(rng, start + timedelta(days=day))}
        if typ == "permanence_recommended":
            ev["route"] = rng.choice(ROUTES)
        ev["label"] = _label(rng, "milestone", i)
        events.append(ev)

    # Point events: hearings, meetings and life events, by weight.
    kinds = [k for k, _ in POINT_KINDS]
    weights = [w for _, w in POINT_KINDS]
    types = {"hearing": HEARING_TYPES, "meeting": MEETING_TYPES, "event": EVENT_TYPES}
    for i in range(n_points):
        kind = rng.choices(kinds, weights)[0]
        ev = {"kind": kind, "type": rng.choice(types[kind])}
        if rng.random() < SHARE_PLANNED_TAIL:
            ev["date"] = (as_of + timedelta(days=rng.randrange(1, 120))).isoformat()
            ev["status"] = "planned"
        else:
            ev["date"] = _day(rng, start + timedelta(days=rng.randrange(0, span)))
        ev["label"] = _label(rng, kind, i)
        if rng.random() < SHARE_NOTE:
            ev["note"] = NOTE
            ev["source"] = "SW chronology"
        events.append(ev)

    # A chronology is kept roughly in date order; sort by the first date written (stable, so ties keep order).
    events.sort(key=lambda e: str(e.get("start", e.get("date")))[:10])
    return {
        "version": 1,
        "child": {"name": f"Bench {n_events}-{seed}", "date_of_birth": BORN.isoformat(), "ref": f"B-{seed:05d}"},
        "jurisdiction": "scotland",
        "as_of": as_of.isoformat(),
        "events": events,
    }


def case_yaml(n_events: int, *, seed: int = 0) -> str:
    """The case as YAML text, with a header saying it is synthetic."""
    body = yaml.safe_dump(make_case(n_events, seed=seed), sort_keys=False, allow_unicode=True, width=200)
    return f"# Synthetic benchmark case ({n_events} events, seed {seed}); fictional.\n{body}"


def write_case(path: str | Path, n_events: int, *, seed: int = 0) -> Path:
    """Write one synthetic case file and return its path."""
    target = Path(path)
    target.write_text(case_yaml(n_events, seed=seed), encoding="utf-8")
    return target


def write_caseload(folder: str | Path, count: int, n_events: int, *, first_seed: int = 0) -> list[Path]:
    """Write `count` different cases of `n_events` each (seeds first_seed, first_seed + 1, ...) into `folder`."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    seeds = range(first_seed, first_seed + count)
    return [write_case(out / f"case-{seed:05d}.yaml", n_events, seed=seed) for seed in seeds]


if __name__ == "__main__":  # pragma: no cover - a convenience: python bench/synth.py N [SEED] > case.yaml
    import sys

    print(case_yaml(int(sys.argv[1]) if len(sys.argv) > 1 else 60, seed=int(sys.argv[2]) if len(sys.argv) > 2 else 0))
