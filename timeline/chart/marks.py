"""Layout stage (marks): what the lanes tell the legend they drew, and the shapes both of them draw."""

from __future__ import annotations

from dataclasses import dataclass

from ..scene import shapes
from ..scene.items import Box, Item, Marker, Path, Rect
from ..scene.shapes import Segment


@dataclass(frozen=True, slots=True)
class Needs:
    """What the legend must explain: the (kind, type) of every event drawn, and the marks drawn beside them
    (`flags`: 'approx', 'inferred', 'open', 'planned', 'late', 'overdue-review', 'target', 'overrun', 'move')."""

    drawn: frozenset[tuple[str, str]] = frozenset()
    flags: frozenset[str] = frozenset()

    def __or__(self, other: Needs) -> Needs:
        return Needs(self.drawn | other.drawn, self.flags | other.flags)

    def has(self, kind: str, code: str) -> bool:
        return (kind, code) in self.drawn


def target_tick(x: float, cy: float, half: float) -> tuple[Segment, ...]:
    """A target date's tick: a vertical stroke `2 * half` tall on (x, cy) with a bar `half` wide at each end."""
    top, bottom = cy - half, cy + half
    return (shapes.move(x, top), shapes.vertical(bottom), shapes.move(x - half / 2, top),
            shapes.horizontal(x + half / 2), shapes.move(x - half / 2, bottom), shapes.horizontal(x + half / 2))


def moved(item: Item, dx: float, dy: float) -> Item:
    """A legend swatch primitive drawn at (0, 0), moved to (dx, dy)."""
    if isinstance(item, Rect):
        return Rect(round(item.x + dx, 2), round(item.y + dy, 2), item.width, item.height, item.cls,
                    fill_pattern=item.fill_pattern, rx=item.rx)
    if isinstance(item, Marker):
        cx, cy = item.cx + dx, item.cy + dy
        return Marker(item.shape, cx, cy, item.size, item.cls)
    if isinstance(item, Path):
        return Path(shapes.translated(item.segments, dx, dy), Box(item.bounds.x + dx, item.bounds.y + dy,
                    item.bounds.width, item.bounds.height), item.cls)
    return item
