"""Text metrics (layout stage helper): label widths from the bundled font's advance widths (read with
fontTools into `fonts/metrics.json`, which `python -m timeline.chart.metrics` rewrites).

What is measured is what is drawn: the SVG, HTML and PDF all name the same bundled font (Atkinson
Hyperlegible), so a label measured here as fitting inside a bar fits there on the page. Kerning is
ignored, which only ever over-estimates a width (the safe side). Characters the font lacks get a width
from their class (a wide East Asian character one em, anything else the font's average), so a name in
another script still gets room rather than a zero-width box.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

FONT_FILES: dict[bool, str] = {False: "AtkinsonHyperlegible-Regular.ttf", True: "AtkinsonHyperlegible-Bold.ttf"}
ELLIPSIS = "…"
_WIDE = frozenset({"W", "F"})
# Entries each measuring cache keeps before it starts afresh: a 10,000-event layout measures about
# 100,000 distinct strings; a batch worker rendering a thousand cases must not keep them all.
CACHE_LIMIT = 250_000


@dataclass(frozen=True, slots=True)
class FontData:
    """What layout needs of one font file: advances per character and vertical metrics, in font units."""

    units_per_em: int
    advances: dict[int, int]
    ascent: int
    descent: int  # positive, below the baseline
    average: int  # advance used for characters the font lacks


def font_path(bold: bool = False) -> str:
    """Filesystem path of the bundled regular or bold font (for renderers that embed it)."""
    return str(resources.files("timeline").joinpath("fonts").joinpath(FONT_FILES[bold]))


@cache
def font_bytes(bold: bool = False) -> bytes:
    """The bundled font file's bytes (cached)."""
    return resources.files("timeline").joinpath("fonts").joinpath(FONT_FILES[bold]).read_bytes()


METRICS_FILE = "metrics.json"  # beside the fonts: their advances, read at start-up instead of the TTFs


def measure_font(bold: bool = False) -> FontData:
    """Read one bundled font's metrics with fontTools (what `timeline/fonts/metrics.json` holds)."""
    from fontTools.ttLib import TTFont

    with resources.as_file(resources.files("timeline").joinpath("fonts").joinpath(FONT_FILES[bold])) as path:
        font = TTFont(str(path), lazy=True)
        cmap = font.getBestCmap()
        hmtx = font["hmtx"]
        advances = {code: int(hmtx[glyph][0]) for code, glyph in cmap.items()}
        hhea = font["hhea"]
        upem = int(font["head"].unitsPerEm)
        ascent, descent = int(hhea.ascent), abs(int(hhea.descent))
        font.close()
    lower = [advances[c] for c in range(ord("a"), ord("z") + 1) if c in advances]
    average = round(sum(lower) / len(lower)) if lower else upem // 2
    return FontData(upem, advances, ascent, descent, average)


def metrics_table() -> dict[str, dict[str, object]]:
    """Both fonts' metrics as the JSON `metrics.json` holds (`python -m timeline.chart.metrics` rewrites it)."""
    table: dict[str, dict[str, object]] = {}
    for bold, name in FONT_FILES.items():
        data = measure_font(bold)
        table[name] = {"units_per_em": data.units_per_em, "ascent": data.ascent, "descent": data.descent,
                       "average": data.average, "advances": {str(c): a for c, a in sorted(data.advances.items())}}
    return table


@cache
def _metrics_file() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.files("timeline").joinpath("fonts").joinpath(METRICS_FILE)
                                      .read_text(encoding="utf-8"))
    return data


@cache
def load_font(bold: bool = False) -> FontData:
    """One bundled font's metrics, once per process, from `metrics.json`: a cold start reads a small JSON
    file rather than importing fontTools and parsing two font files (a test keeps the two equal)."""
    entry = _metrics_file()[FONT_FILES[bold]]
    advances = {int(code): int(advance) for code, advance in entry["advances"].items()}
    return FontData(int(entry["units_per_em"]), advances, int(entry["ascent"]), int(entry["descent"]),
                    int(entry["average"]))


class TextMetrics:
    """Measures and wraps text in the bundled font; one instance serves a whole layout."""

    def __init__(self) -> None:
        self._fonts = {False: load_font(False), True: load_font(True)}
        self._cache: dict[tuple[str, bool], float] = {}
        self._widths: dict[tuple[str, float, bool], float] = {}  # what `width` answered: one lookup next time
        self._wraps: dict[tuple[str, float, float, int, bool], tuple[str, ...]] = {}  # what `wrap` answered

    def _units(self, text: str, bold: bool) -> float:
        key = (text, bold)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        font = self._fonts[bold]
        total = 0
        for ch in text:
            code = ord(ch)
            adv = font.advances.get(code)
            if adv is None:
                if unicodedata.combining(ch):
                    adv = 0
                elif unicodedata.east_asian_width(ch) in _WIDE:
                    adv = font.units_per_em
                else:
                    adv = font.average
            total += adv
        units = total / font.units_per_em
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = units
        return units

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Advance width of `text` at `size` px, rounded up to 1/100 px."""
        key = (text, size, bold)
        hit = self._widths.get(key)
        if hit is None:
            if len(self._widths) >= CACHE_LIMIT:  # a long batch measures ever new labels: start afresh
                self._widths.clear()
            hit = self._widths[key] = _ceil2(self._units(text, bold) * size)
        return hit

    def ascent(self, size: float, bold: bool = False) -> float:
        """Distance from the top of a line box to the baseline, at `size` px."""
        font = self._fonts[bold]
        return round(font.ascent / font.units_per_em * size, 2)

    def height(self, size: float, bold: bool = False) -> float:
        """Height of one line's glyph box (ascent + descent) at `size` px."""
        font = self._fonts[bold]
        return _ceil2((font.ascent + font.descent) / font.units_per_em * size)

    def fit(self, text: str, size: float, max_width: float, bold: bool = False) -> str:
        """`text`, cut and ended with an ellipsis when wider than `max_width` ('' if not even that fits)."""
        if self.width(text, size, bold) <= max_width:
            return text
        lo, hi = 0, len(text)
        while lo < hi:  # longest prefix that fits with the ellipsis
            mid = (lo + hi + 1) // 2
            if self.width(text[:mid].rstrip() + ELLIPSIS, size, bold) <= max_width:
                lo = mid
            else:
                hi = mid - 1
        if lo == 0:
            return ELLIPSIS if self.width(ELLIPSIS, size, bold) <= max_width else ""
        return text[:lo].rstrip() + ELLIPSIS

    def wrap(self, text: str, size: float, max_width: float, max_lines: int, bold: bool = False) -> tuple[str, ...]:
        """Break `text` at spaces into at most `max_lines` lines no wider than `max_width`.

        A word longer than a line is cut; text left over after the last line is dropped with an ellipsis.
        Remembered: a fit ladder wraps the same labels and key entries at the same widths pass after pass.
        """
        key = (text, size, max_width, max_lines, bold)
        hit = self._wraps.get(key)
        if hit is None:
            if len(self._wraps) >= CACHE_LIMIT:
                self._wraps.clear()
            hit = self._wraps[key] = self._wrap(text, size, max_width, max_lines, bold)
        return hit

    def _wrap(self, text: str, size: float, max_width: float, max_lines: int, bold: bool) -> tuple[str, ...]:
        words = text.split()
        if not words:
            return ()
        lines: list[str] = []
        current = ""
        i = 0
        while i < len(words):
            word = words[i]
            trial = f"{current} {word}" if current else word
            if self.width(trial, size, bold) <= max_width:
                current = trial
                i += 1
                continue
            if not current:  # a single word wider than the line: cut it
                current = self.fit(word, size, max_width, bold)
                i += 1
            if len(lines) == max_lines - 1:
                rest = " ".join([current, *words[i:]])
                lines.append(self.fit(rest, size, max_width, bold))
                return tuple(x for x in lines if x)
            lines.append(current)
            current = ""
        if current:
            lines.append(current)
        return tuple(x for x in lines if x)


def _ceil2(value: float) -> float:
    scaled = value * 100
    whole = int(scaled)
    return (whole + (1 if scaled > whole + 1e-9 else 0)) / 100


@cache
def default_metrics() -> TextMetrics:
    """One shared TextMetrics per process (font files are read once)."""
    return TextMetrics()


if __name__ == "__main__":  # rewrite fonts/metrics.json from the bundled TTFs
    from pathlib import Path

    target = Path(__file__).resolve().parents[1] / "fonts" / METRICS_FILE
    target.write_text(json.dumps(metrics_table(), sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {target}")
