"""Scale (layout stage helper): THE one formula from a day in the child's life to an x position, and its ticks.

Everything drawn against time calls `AgeScale.x`; nothing else converts dates to pixels. The axis is the
child's age: day 0 is the date of birth. A long stretch before birth (a sibling's history, an old
referral) would squash the child's own years, so the before-birth region is cut to a theme limit and
anything earlier sits at its left edge (x never decreases with age).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from ..dates import DAYS_PER_YEAR, age_at


@dataclass(frozen=True, slots=True)
class Tick:
    """One axis tick: where, which day, its label ('' for an unlabelled minor tick), and whether major."""

    x: float
    day: date
    label: str
    major: bool


@dataclass(frozen=True, slots=True)
class AgeScale:
    """Linear map from days since birth to x; `start`..`end` is the visible range of days."""

    born: date
    start: date
    end: date
    x0: float
    x1: float

    @property
    def px_per_day(self) -> float:
        """Horizontal pixels per day."""
        return (self.x1 - self.x0) / max(1, (self.end - self.start).days)

    def age_days(self, day: date) -> int:
        """Days since birth (negative before birth)."""
        return (day - self.born).days

    def x(self, day: date) -> float:
        """The x position of `day` (clamped to the left edge before `start`), rounded to 1/100 px."""
        days = max(0, (day - self.start).days)
        return round(self.x0 + days * self.px_per_day, 2)

    def day_at(self, x: float) -> date:
        """The day drawn at `x` (inverse of `x`, to the nearest day)."""
        return self.start + timedelta(days=round((x - self.x0) / self.px_per_day))

    def birthday(self, years: int) -> date:
        """The child's `years`-th birthday (29 Feb births have theirs on 28 Feb in common years)."""
        y = self.born.year + years
        d = min(self.born.day, calendar.monthrange(y, self.born.month)[1])
        return date(y, self.born.month, d)

    def month_birthday(self, months: int) -> date:
        """The day the child is exactly `months` months old."""
        y, m = divmod(self.born.month - 1 + months, 12)
        year, month = self.born.year + y, m + 1
        return date(year, month, min(self.born.day, calendar.monthrange(year, month)[1]))

    def age_ticks(self, *, min_spacing: float, year_steps: tuple[int, ...], month_steps: tuple[int, ...],
                  short_span_years: float, month_min_spacing: float) -> list[Tick]:
        """Birthday ticks ('Birth', 'Age 1', ...) at the smallest step whose labels fit; month ticks when short.

        `min_spacing` is the room one year label needs; `month_min_spacing` the room of a month label.
        """
        first_year, _ = age_at(self.born, max(self.start, self.born))
        last_year, _ = age_at(self.born, self.end)
        px_year = DAYS_PER_YEAR * self.px_per_day
        step = next((s for s in year_steps if s * px_year >= min_spacing), year_steps[-1])
        ticks: list[Tick] = []
        for years in range(first_year, last_year + 1):
            day = self.birthday(years)
            if day < self.born or day < self.start or day > self.end or years % step:
                continue
            ticks.append(Tick(self.x(day), day, "Birth" if years == 0 else f"Age {years}", True))
        span_years = (self.end - max(self.start, self.born)).days / DAYS_PER_YEAR
        if span_years < short_span_years:
            px_month = px_year / 12
            mstep = next((s for s in month_steps if s * px_month >= month_min_spacing), 0)
            total = last_year * 12 + 12
            for months in range(1, total + 1):
                if months % 12 == 0:
                    continue
                day = self.month_birthday(months)
                if day < self.start or day > self.end:
                    continue
                labelled = mstep > 0 and months % mstep == 0
                ticks.append(Tick(self.x(day), day, _month_label(months) if labelled else "", False))
        ticks.sort(key=lambda t: (t.day, not t.major))
        return ticks

    def year_cells(self) -> list[tuple[int, float, float]]:
        """(calendar year, x from, x to) for each calendar year the axis shows, clipped to the axis."""
        cells = []
        for year in range(self.start.year, self.end.year + 1):
            a = max(self.start, date(year, 1, 1))
            b = min(self.end, date(year + 1, 1, 1))
            if b > a:
                cells.append((year, self.x(a), self.x(b)))
        return cells


def _month_label(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{rest} m" if years == 0 else f"{years} y {rest} m"
