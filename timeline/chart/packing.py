"""Layout stage (packing): the greedy "first free row" sweep that stacks bars and moves, O(n log n)."""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from .context import EPS


def first_free(intervals: Sequence[tuple[float, float]], *, cap: int | None = None) -> list[int | None]:
    """Greedy interval partitioning: the lowest free row for each [start, end) interval, in the given order.

    `intervals` must be sorted by start. Two heaps: rows still busy (by the end of what holds them) and
    rows free again (by index), so each interval costs O(log n). With `cap`, an interval that finds no
    row below the cap gets None.
    """
    busy: list[tuple[float, int]] = []
    free: list[int] = []
    used = 0
    rows: list[int | None] = []
    for start, end in intervals:
        while busy and busy[0][0] <= start + EPS:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            row = heapq.heappop(free)
        elif cap is None or used < cap:
            row = used
            used += 1
        else:
            rows.append(None)
            continue
        heapq.heappush(busy, (end, row))
        rows.append(row)
    return rows


def stack(spans: list[tuple[int, int]], *, overlays: bool) -> tuple[list[int | None], int]:
    """(sub-row of each bar, number of sub-rows) for bars in start order; a lane of overlays only has one."""
    rows = first_free(spans)
    n_rows = max((r for r in rows if r is not None), default=-1) + 1
    return rows, (1 if not spans and overlays else n_rows)
