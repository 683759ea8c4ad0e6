"""Layout stage (stylesheet): the chart's one stylesheet, built from the look and the vocabulary, once per pair.

Built from theme and vocabulary data only, never user text. A fit ladder finishes many passes at a few
themes, so the sheet is cached by (theme, vocabulary): `Theme` is hashable and vocabularies are loaded once
per process (`vocabulary.load_vocabulary`), so the cache stays as small as the set of looks in use.
"""

from __future__ import annotations

from functools import lru_cache

from ..model.vocabulary import Vocabulary
from ..scene.style import Rule, StyleSheet, rule
from ..scene.theme import Theme


class _Vocab:
    """A vocabulary keyed by identity (its own fields are mappings, so it cannot be hashed by value)."""

    __slots__ = ("vocab",)

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def __hash__(self) -> int:
        return id(self.vocab)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Vocab) and other.vocab is self.vocab


def stylesheet(theme: Theme, vocab: Vocabulary) -> StyleSheet:
    """The one stylesheet: fonts and colours by class (the same object for the same theme and vocabulary)."""
    return _cached(theme, _Vocab(vocab))


@lru_cache(maxsize=64)
def _cached(theme: Theme, vocab: _Vocab) -> StyleSheet:
    return build_stylesheet(theme, vocab.vocab)


def build_stylesheet(theme: Theme, vocab: Vocabulary) -> StyleSheet:
    """The stylesheet built afresh (`stylesheet` caches it)."""
    t = theme
    ink, faint, rule_ink, back = t.ink, t.faint, t.rule, t.background
    rules = [
        rule("text", font_family=font_families(t), font_size=t.text_size, fill=ink),
        rule(".canvas", fill=back),
        rule(".title", font_size=t.title_size, font_weight="bold"),
        rule(".subtitle", font_size=t.subtitle_size, fill=t.muted),
        rule(".lane-title,.as-of-label,.bracket-label,.move-number,.key-number,.key-mark", font_weight="bold"),
        rule(".tick-label", font_weight="bold"), rule(".tick-label.minor", font_weight="normal", fill=t.muted),
        rule(".stage-label,.year-label,.fit-note", fill=t.muted),
        rule(".band-0", fill=t.band_fills[0]), rule(".band-1", fill=t.band_fills[1]),
        rule(".before-birth", fill=t.before_birth_fill),
        rule(".year-0", fill=t.year_fills[0], stroke=faint), rule(".year-1", fill=t.year_fills[1], stroke=faint),
        rule(".tick-major", stroke=rule_ink, stroke_width=0.8), rule(".tick-minor", stroke=faint, stroke_width=0.6),
        rule(".lane-rule", stroke=faint, stroke_width=1),
        rule(".as-of", stroke=t.as_of_colour, stroke_width=2.5),
        rule(".leader", stroke=rule_ink, stroke_width=0.8),
        rule(".label-bg,.bar-label-bg", fill=t.label_background, fill_opacity=0.9),
        rule(".bar", stroke=ink, stroke_width=0.8),
        rule(".bar.overlay", stroke_width=0.6),
        rule(".bar.permanence", stroke_width=2.2, stroke=ink),
        rule(".hatch", stroke=None),
        rule(".fuzzy", fill_opacity=1, stroke=None, opacity=0.75),
        rule(".fuzzy.inferred", stroke=ink, stroke_width=0.8, stroke_dasharray="2 2"),  # an end the record implies
        rule(".arrow", stroke=ink, stroke_width=0.8),
        rule(".marker", stroke=ink, stroke_width=1),
        rule(".court", fill=t.court_fill),
        rule(".marker.review-overdue", fill=back, stroke=t.late_colour, stroke_width=2, stroke_dasharray="2 2"),
        rule(".late-ring", fill=None, stroke=t.late_colour, stroke_width=2),
        rule(".fuzzy-range", fill=faint),
        rule(".move-marker", fill=back, stroke=t.move_colour, stroke_width=1.5),
        rule(".move-line", stroke=t.move_colour, stroke_width=1.5, stroke_dasharray="3 2"),
        rule(".bracket", fill=None, stroke=ink, stroke_width=1.5),
        rule(".overrun", fill=t.overrun_fill, fill_opacity=0.35, stroke=t.overrun_fill, stroke_width=0.8),
        rule(".target-tick", fill=None, stroke=t.target_colour, stroke_width=1.5),
        rule(".pattern-ink", stroke=t.hatch_ink, fill=t.hatch_ink, stroke_width=1, opacity=t.hatch_opacity),
        rule(".pattern-bg", fill=back),
        rule(".legend-open", fill=t.placement_default_fill),
        rule(".legend-planned", fill=back, stroke_dasharray="4 3"),
        rule(".planned .bar,.planned .arrow", fill_opacity=0.3, stroke_dasharray="4 3"),
        rule(".planned .marker", fill=back, stroke_dasharray="2 1.5"),
        rule(".planned .hatch", opacity=0.4),
    ]
    for kind, fill in t.marker_fills.items():
        rules.append(rule(f".marker-{kind}", fill=fill))
    rules.append(rule(".marker.court", fill=t.court_fill))
    rules.extend(fill_rules(t, vocab))
    return StyleSheet(tuple(rules))


def font_families(t: Theme) -> tuple[str, ...]:
    """The text's font list: the bundled font, then the theme's fallbacks."""
    return (t.font_family, *(name.strip() for name in t.font_fallback.split(",")))


def fill_rules(t: Theme, vocab: Vocabulary) -> list[Rule]:
    """The fill of each placement and order code, as the single-child chart colours them (the cohort's
    journeys use the same rules, so a foster placement is one colour everywhere)."""
    rules = []
    for code in vocab.codes("placement"):
        colour = vocab.term("placement", code).colour or t.placement_default_fill
        rules.append(rule(f".fill-placement-{code}", fill=colour))
    for code in vocab.codes("order"):
        rules.append(rule(f".fill-order-{code}", fill=t.order_fills.get(code, t.order_default_fill)))
    return rules
