"""Layout stage (policy): what the layout may give way on to fit a room, apart from the look (`Theme`).

The look says how big and what colour; the policy says how many label tiers a lane may use, which lanes
are left out or drawn without labels, whether cut labels become numbers, and the form of the key. The
budget ladders (compact levels, the one-page steps and key forms) are sequences of policies. Frozen and
hashable, so a layout's inputs can key a cache.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Policy:
    """How a layout gives way: label tiers, numbering, lanes left out or unlabelled, the key's form."""

    max_tiers: int = 4  # label tiers per lane before labels turn into numbers
    number_cut_labels: bool = False  # a label that would be cut short becomes a number (compact layouts)
    merge_numbers: bool = False  # touching numbers share one box as a run, "6–9" (compact layouts)
    hidden_lanes: tuple[str, ...] = ()  # lanes left out to fit one page (the hearing view), by kind
    unlabelled_lanes: tuple[str, ...] = ()  # point lanes drawn as markers only, no labels and no numbers
    bare_lanes: tuple[str, ...] = ()  # point lanes whose labels keep their words where they fit, the rest bare
    # markers (no number, no key entry): the one-page view's partial give-way, by what matters (`labels.priority`)
    lane_tiers: tuple[tuple[str, int], ...] = ()  # (lane kind, tiers) overriding max_tiers: a page's free height
    combine_labels: bool = True  # nearby events of one kind with the same words share one label
    list_combined: bool = False  # each combined label's events, with their dates, in the key (one page, no table)
    say_shortened: bool = False  # a line under the chart says what was numbered or combined to fit
    trim_bottom: bool = False  # no gap under the legend or key's last row (one page, where every px counts)
    key_columns: int = 3
    key_max_lines: int = 0  # lines per key entry; 0: as many as it needs (never cut)

    def compact(self, level: int) -> Policy:
        """The policy of compact `level` (`Theme.compact` tightens the spacing at the same levels): cut labels
        become numbers, touching numbers share a run, what was shortened is said, and each level past the
        first allows one label tier fewer per lane, down to `COMPACT_MIN_TIERS`."""
        if level <= 0:
            return self
        return replace(self, number_cut_labels=True, merge_numbers=True, say_shortened=True,
                       max_tiers=max(COMPACT_MIN_TIERS, COMPACT_MAX_TIERS - (level - 1)))

    def drawing(self) -> Policy:
        """The part of the policy the chart's drawing reads: all but the key's form (`chart.draw.chart` draws
        the same under any key form; only `chart.draw.finish` reads it)."""
        return replace(self, key_columns=0, key_max_lines=0)

    def tiers_for(self, kind: str) -> int:
        """Label tiers lane `kind` may use before its labels turn into numbers."""
        return next((n for k, n in self.lane_tiers if k == kind), self.max_tiers)


DEFAULT_POLICY = Policy()
COMPACT_MAX_TIERS = 3  # label tiers per lane at compact level 1
COMPACT_MIN_TIERS = 0  # at the tightest levels every label may be a number


@dataclass(frozen=True, slots=True)
class OnePageStep:
    """One rung of the one-page ladder: what gives way, on top of the compact levels, to fit one page.

    `hidden` lanes are left out; `unlabelled` point lanes keep their markers (explained by the legend) but
    lose their labels, so they add nothing to the numbered key. `words` says it for the reader.
    """

    hidden: tuple[str, ...] = ()
    unlabelled: tuple[str, ...] = ()
    words: str = ""


# The one-page view (a Children's Hearing) must show the chart, its legend and the key to every number on
# one page. Least important first: life events, then the labels of reviews and meetings, of milestones,
# and last of hearings. Each step is tried at compact levels 1..COMPACT.levels before the next.
ONE_PAGE_STEPS: tuple[OnePageStep, ...] = (
    OnePageStep(),
    OnePageStep(("event",), (), "life events"),
    OnePageStep(("event",), ("meeting",), "life events; labels of meetings and reviews"),
    OnePageStep(("event",), ("meeting", "milestone"),
                "life events; labels of meetings, reviews and milestones"),
    OnePageStep(("event",), ("meeting", "milestone", "hearing"),
                "life events; labels of meetings, reviews, milestones and hearings"),
)
# The key's forms on one page, most readable first: three columns, then four narrower ones (fewer rows).
# An entry is never cut: it wraps to as many lines as it needs (0 lines per entry: no limit).
ONE_PAGE_KEY_FORMS: tuple[tuple[int, int], ...] = ((3, 0), (4, 0))  # (columns, lines per entry)
KEY_LINES_MAX = 12  # lines of a key entry when no limit is set (120-character labels need 3 or 4)
