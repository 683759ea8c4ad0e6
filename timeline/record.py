"""Facts stage (case queries that need no standards): the main placements, the looked-after start, and
what makes an as-at date look wrong.

They sit below the io stage's lint (which warns with them) and the facts stage (which measures with them),
so that reading a case file never needs the measures, and the measures never need the reader.
"""

from __future__ import annotations

from datetime import date

from .dates import age_at
from .model import AnyEvent, Case, MilestoneEvent, OrderEvent, PlacementEvent
from .vocabulary import load_vocabulary
from .words import age_words, date_words, duration_words


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


STALE_AS_OF_DAYS = 730  # two years with nothing recorded: the as-at date is probably not the chronology's


def as_of_warnings(case: Case) -> tuple[str, ...]:
    """Plain warnings when the as-at date looks wrong for the record: the figures would run on to it.

    An old chronology measured as at today reads "looked after 20 y 9 m, CSO ongoing" for a child who
    left care long ago: an as-at date at which the child is 18 or over, or more than two years after the
    last event, is most likely not the date the chronology was written up to.
    """
    as_of = case.as_of_date
    born = case.child.date_of_birth
    name = case.child.name
    out: list[str] = []
    if age_at(born, as_of)[0] >= load_vocabulary(case.jurisdiction).looked_after_until_age:
        out.append(f"as at {date_words(as_of)} {name} is {age_words(born, as_of)} old (18 or over): looked-after time "
                   "is counted to the 18th birthday at most, and everything else runs to the as-at date as if "
                   "nothing had changed since the last entry; is the as-at date right?")
    days = [e.last.mid if e.last is not None else e.first.mid for e in case.events if not e.planned]
    if days:
        last = max(days)
        if (as_of - last).days > STALE_AS_OF_DAYS:
            out.append(f"as at {date_words(as_of)} is {duration_words((last, as_of))} after the last event "
                       f"recorded ({date_words(last)}): open placements and orders are counted as running to it; "
                       "set the as-at date (as_of, or --as-of) to the date the chronology runs to")
    return tuple(out)
