"""Scene (style): the stylesheet as data (rules of typed properties), its one CSS writer, and the cascade.

Why: the SVG themes every item with classes and one <style> block, and the PDF painter needs each item's
resolved fill, stroke and font. Both come from the same rules: `StyleSheet.css` writes the <style> text
(the only place CSS is written), `StyleSheet.resolve` gives an item's resolved `Style` under its groups,
with SVG's cascade (specificity, then source order; presentation attributes below the item's own rules,
above inherited values; every property but opacity inherits). No renderer parses CSS.

Rules are built in code (`rule(".a .b", fill=..., stroke_width=...)`): the selector literal is split
here into its compounds, keyword arguments keep their order (the order the CSS text lists them in), and
colours are read once from the theme's hex codes. Values hold only what the layouts write: colours (or
None for `none`), px lengths, ratios, dash lists, font families and weights.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Union

from .shapes import number_text as _number  # the one writer of numbers in SVG and CSS text

RGB = tuple[float, float, float]
Value = Union["Colour", None, float, tuple[float, ...], tuple[str, ...], str, int]
Declaration = tuple[str, Value]  # (CSS property name, its typed value), in the order written
SheetForm = Literal["compact", "spaced"]  # "a{b:c;d:e}" (chart, cohort) or "\na { b: c; d: e; }\n" (child's view)
Element = tuple[str, frozenset[str]]  # (tag, classes): what a selector is matched against
Chain = tuple[tuple[str, str], ...]  # the (tag, class attribute) of each group above an item, outermost first

PROPERTIES = ("fill", "stroke", "stroke-width", "stroke-dasharray", "fill-opacity", "opacity", "font-family",
              "font-size", "font-weight")
NOT_INHERITED = frozenset({"opacity"})  # as in SVG (and WeasyPrint's cascade): every other one inherits
NAMED_COLOURS = {"black": (0.0, 0.0, 0.0), "white": (1.0, 1.0, 1.0)}
FONT_WEIGHTS = {"normal": 400, "bold": 700}
ROOT_FONT_SIZE = 16.0  # px: an SVG root's font size (12pt), the size of text no rule sizes
DEFAULT_FONT_FAMILY = ("sans-serif",)


class StyleError(ValueError):
    """A style value the stylesheet cannot hold (a colour that is not a hex code, an unknown property)."""


@dataclass(frozen=True, slots=True)
class Colour:
    """A colour as the theme writes it (`text`, kept for the CSS) and its RGB in 0..1 (for painting)."""

    text: str
    rgb: RGB

    @classmethod
    def of(cls, text: str) -> Colour:
        """A colour from a theme's `#RGB`, `#RRGGBB`, `black` or `white`."""
        if text in NAMED_COLOURS:
            return cls(text, NAMED_COLOURS[text])
        digits = text[1:]
        if not text.startswith("#") or len(digits) not in (3, 6) or any(c not in "0123456789abcdefABCDEF"
                                                                          for c in digits):
            raise StyleError(f"unsupported colour {text[:40]!r}")
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        r, g, b = (int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))
        return cls(text, (r, g, b))


@dataclass(frozen=True, slots=True)
class Compound:
    """One compound selector: an optional tag and the classes an element must all carry (written order)."""

    tag: str | None
    classes: tuple[str, ...]

    def matches(self, element: Element) -> bool:
        tag, classes = element
        return (self.tag is None or self.tag == tag) and classes.issuperset(self.classes)

    def text(self) -> str:
        return (self.tag or "") + "".join("." + name for name in self.classes)


@dataclass(frozen=True, slots=True)
class Selector:
    """Compounds joined by descendant combinators, outermost first; the last one matches the item."""

    chain: tuple[Compound, ...]

    @property
    def specificity(self) -> tuple[int, int]:
        """(classes, tags): the stylesheets have no ids."""
        return (sum(len(c.classes) for c in self.chain), sum(c.tag is not None for c in self.chain))

    def matches(self, element: Element, ancestors: tuple[Element, ...]) -> bool:
        """True when the element matches; descendant combinators only, so the nearest match is enough."""
        *outer, last = self.chain
        if not last.matches(element):
            return False
        index = len(ancestors) - 1
        for compound in reversed(outer):
            while index >= 0 and not compound.matches(ancestors[index]):
                index -= 1
            if index < 0:
                return False
            index -= 1
        return True


@dataclass(frozen=True, slots=True)
class Rule:
    """Selectors sharing declarations (written `a,b{...}`)."""

    selectors: tuple[Selector, ...]
    declarations: tuple[Declaration, ...]


def _selector(text: str) -> Selector:
    compounds = []
    for part in text.split():
        tag, *classes = part.split(".")
        if not part or not all(classes) or not all(c.replace("-", "").replace("_", "").isalnum()
                                                   for c in (tag, *classes) if c):
            raise StyleError(f"unsupported selector {text[:40]!r}")
        compounds.append(Compound(tag or None, tuple(classes)))
    if not compounds:
        raise StyleError("empty selector")
    return Selector(tuple(compounds))


def _value(name: str, value: object) -> Value:
    """A keyword argument's value as the stylesheet holds it (colours read once from their text)."""
    if name in ("fill", "stroke"):
        return None if value in (None, "none") else Colour.of(str(value))
    if name == "stroke-dasharray":
        return () if value in (None, "none") else tuple(float(v) for v in str(value).split())
    if name == "font-family":
        return tuple(value) if isinstance(value, tuple) else (str(value),)
    if name == "font-weight":
        if value in FONT_WEIGHTS or isinstance(value, int):
            return value  # type: ignore[return-value]
        raise StyleError(f"unsupported font-weight {str(value)[:40]!r}")
    if name in PROPERTIES and isinstance(value, (int, float)):
        return float(value)
    raise StyleError(f"unsupported style property {name[:40]!r}")


def rule(selectors: str, **properties: object) -> Rule:
    """A rule for the comma-separated `selectors`; properties by their CSS names with "_" for "-"."""
    declarations = tuple((name.replace("_", "-"), _value(name.replace("_", "-"), value))
                         for name, value in properties.items())
    return Rule(tuple(_selector(text) for text in selectors.split(",")), declarations)


# ----------------------------------------------------------------------------------------------- writing


def css_value(name: str, value: Value) -> str:
    """One declaration's value as CSS text."""
    if value is None:
        return "none"
    if isinstance(value, Colour):
        return value.text
    if name == "stroke-dasharray":
        assert isinstance(value, tuple)
        return " ".join(_number(float(v)) for v in value) if value else "none"
    if name == "font-family":
        assert isinstance(value, tuple)
        first, *rest = value  # the bundled font quoted, its fallbacks as the theme names them
        return ", ".join([f"'{first}'", *map(str, rest)])
    if name == "font-size":
        return _number(float(value)) + "px"  # type: ignore[arg-type]
    if name in ("fill-opacity", "opacity"):
        return f"{value:g}"
    return _number(value) if isinstance(value, float) else str(value)


@dataclass(frozen=True, slots=True)
class StyleSheet:
    """The rules of one drawing, in source order, and how its CSS text is laid out."""

    rules: tuple[Rule, ...]
    form: SheetForm = "compact"

    def css(self) -> str:
        """The <style> text: the one place CSS is written (cached: every scene of a theme has the same)."""
        return _css(self)

    def __add__(self, other: StyleSheet) -> StyleSheet:
        return StyleSheet(self.rules + other.rules, self.form)

    def resolver(self, font_family: str, pattern_ids: frozenset[str]) -> StyleResolver:
        """The cascade of this sheet for a drawing whose root names `font_family` (shared, cached)."""
        return _resolver(self, font_family, pattern_ids)


@lru_cache(maxsize=32)
def _css(sheet: StyleSheet) -> str:
    out = []
    for r in sheet.rules:
        selectors = ",".join(" ".join(c.text() for c in s.chain) for s in r.selectors)
        if sheet.form == "compact":
            out.append(selectors + "{" + ";".join(f"{n}:{css_value(n, v)}" for n, v in r.declarations) + "}")
        else:
            out.append(selectors + " { " + "".join(f"{n}: {css_value(n, v)}; " for n, v in r.declarations) + "}\n")
    return "".join(out) if sheet.form == "compact" else "\n" + "".join(out)


# ----------------------------------------------------------------------------------------------- the cascade


@dataclass(frozen=True, slots=True)
class Style:
    """An item's resolved style: what fills and strokes it (and how), and its font."""

    fill: RGB | None
    pattern: str | None  # a pattern id (fills instead of `fill`)
    fill_opacity: float
    stroke: RGB | None
    stroke_width: float
    dashes: tuple[float, ...]
    opacity: float
    font_family: tuple[str, ...]
    font_size: float
    font_weight: int

    @property
    def fills(self) -> bool:
        return self.fill is not None or self.pattern is not None

    @property
    def strokes(self) -> bool:
        return self.stroke is not None and self.stroke_width > 0


@lru_cache(maxsize=16)
def _resolver(sheet: StyleSheet, font_family: str, pattern_ids: frozenset[str]) -> StyleResolver:
    return StyleResolver(sheet, font_family, pattern_ids)


def _clamp(ratio: float) -> float:
    return min(1.0, max(0.0, ratio))


class StyleResolver:
    """Resolved styles of one sheet, each distinct (tag, classes, ancestors) resolved once.

    An element starts from its presentation attributes, takes every inherited property of its parent it
    does not have, then its own matching rules override (specificity, then source order). The root <svg>
    carries the drawing's font-family as an attribute.
    """

    def __init__(self, sheet: StyleSheet, font_family: str, pattern_ids: frozenset[str]) -> None:
        ranked = [(s.specificity, order, s, r.declarations) for order, r in enumerate(sheet.rules)
                  for s in r.selectors]
        ranked.sort(key=lambda entry: (entry[0], entry[1]))
        self.rules = tuple((selector, declarations) for _, _, selector, declarations in ranked)
        self.pattern_ids = pattern_ids
        root: Element = ("svg", frozenset())
        computed: dict[str, object] = {"font-family": (font_family,)} | self._declared(root, ())
        self._chains: dict[Chain, tuple[dict[str, object], tuple[Element, ...]]] = {(): (computed, (root,))}
        self._styles: dict[tuple[str, str, Chain, str | None], Style] = {}

    def _declared(self, element: Element, ancestors: tuple[Element, ...]) -> dict[str, object]:
        declared: dict[str, object] = {}
        for selector, declarations in self.rules:  # sorted: later wins
            if selector.matches(element, ancestors):
                declared.update(declarations)
        return declared

    def _chain(self, chain: Chain) -> tuple[dict[str, object], tuple[Element, ...]]:
        """(computed properties, ancestors for matching) of the innermost element of `chain`."""
        known = self._chains.get(chain)
        if known is not None:
            return known
        parent, ancestors = self._chain(chain[:-1])
        tag, cls = chain[-1]
        element: Element = (tag, frozenset(cls.split()))
        result = (_inherited(parent) | self._declared(element, ancestors), (*ancestors, element))
        self._chains[chain] = result
        return result

    def resolve(self, tag: str, cls: str, chain: Chain, pattern: str | None = None) -> Style:
        """The Style of an item (`pattern`: its fill attribute's pattern id) under the groups of `chain`."""
        key = (tag, cls, chain, pattern)
        known = self._styles.get(key)
        if known is None:
            parent, ancestors = self._chain(chain)
            computed = _inherited(parent)
            if pattern is not None:
                if pattern not in self.pattern_ids:
                    raise StyleError(f"fill refers to an unknown pattern {pattern[:40]!r}")
                computed["fill"] = pattern
            computed |= self._declared((tag, frozenset(cls.split())), ancestors)
            known = self._styles[key] = _style(computed)
        return known


def _style(computed: dict[str, object]) -> Style:
    fill = computed.get("fill", Colour("black", NAMED_COLOURS["black"]))
    stroke = computed.get("stroke")
    weight = computed.get("font-weight", "normal")
    return Style(
        fill=fill.rgb if isinstance(fill, Colour) else None,
        pattern=fill if isinstance(fill, str) else None,
        fill_opacity=_clamp(float(computed.get("fill-opacity", 1.0))),  # type: ignore[arg-type]
        stroke=stroke.rgb if isinstance(stroke, Colour) else None,
        stroke_width=float(computed.get("stroke-width", 1.0)),  # type: ignore[arg-type]
        dashes=computed.get("stroke-dasharray", ()),  # type: ignore[arg-type]
        opacity=_clamp(float(computed.get("opacity", 1.0))),  # type: ignore[arg-type]
        font_family=computed.get("font-family", DEFAULT_FONT_FAMILY),  # type: ignore[arg-type]
        font_size=float(computed.get("font-size", ROOT_FONT_SIZE)),  # type: ignore[arg-type]
        font_weight=FONT_WEIGHTS[weight] if isinstance(weight, str) else int(weight),  # type: ignore[call-overload]
    )


def _inherited(parent: dict[str, object]) -> dict[str, object]:
    return {name: value for name, value in parent.items() if name not in NOT_INHERITED}
