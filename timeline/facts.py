"""Facts stage: pure functions from a validated Case to what the chart and the summary say about time.

No drawing here. Partial dates count as the middle of their span (`PartialDate.mid`).
"""

from __future__ import annotations

from datetime import date

from .model import AnyEvent, Case, MilestoneEvent, OrderEvent, PlacementEvent
from .vocabulary import load_vocabulary


def main_placements(case: Case) -> list[tuple[int, PlacementEvent]]:
    """(1-based file position, placement) for placements that are not overlays (respite), by start then file order."""
    vocab = load_vocabulary(case.jurisdiction)
    found = [
        (n, e)
        for n, e in case.numbered()
        if isinstance(e, PlacementEvent) and not vocab.term("placement", e.type).overlay
    ]
    return sorted(found, key=lambda item: (item[1].start.mid, item[0]))


def makes_looked_after(case: Case, event: AnyEvent) -> bool:
    """True for a placement or order whose code makes the child looked after (vocabulary data)."""
    if not isinstance(event, (PlacementEvent, OrderEvent)):
        return False
    return load_vocabulary(case.jurisdiction).term(event.kind, event.type).looked_after


def looked_after_start(case: Case) -> date | None:
    """The explicit `looked_after` milestone if present, else the earliest start of a looked-after placement/order."""
    explicit = [e.date.mid for e in case.events if isinstance(e, MilestoneEvent) and e.type == "looked_after"]
    if explicit:
        return min(explicit)
    starts = [e.first.mid for e in case.events if makes_looked_after(case, e)]
    return min(starts) if starts else None
