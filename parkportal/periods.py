"""The calendar of the report's rhythm: quarters, the year-to-quarter period, month arithmetic.

Ground floor: the dashboard, the parks' quarter closes, the projects and the exports all read
periods the same way.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from parkportal.money import RATE_PLACES


def quarter_of(month: int) -> int:
    """The quarter (1..4) a month (1..12) falls in."""
    return (month - 1) // 3 + 1


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """Year Y up to the end of quarter Q: months 1 .. 3Q."""

    year: int
    quarter: int

    def __post_init__(self):
        if self.quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1, 2, 3 or 4")

    @property
    def last_month(self) -> int:
        return 3 * self.quarter

    @property
    def year_start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def quarter_start(self) -> date:
        return date(self.year, self.last_month - 2, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.last_month,
                    calendar.monthrange(self.year, self.last_month)[1])

    @property
    def time_progress(self) -> Decimal:
        """时序进度: months elapsed ÷ 12."""
        return (Decimal(self.last_month) / Decimal(12)).quantize(RATE_PLACES)


Month = tuple[int, int]  # (year, month)


def next_month(year: int, month: int) -> Month:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def previous_month(year: int, month: int) -> Month:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def months_from(start: Month, end: Month) -> list[Month]:
    """Every month from `start` to `end`, both included, oldest first ([] if end < start)."""
    months, current = [], start
    while current <= end:
        months.append(current)
        current = next_month(*current)
    return months


def report_due_on(year: int, month: int, due_day: int) -> date:
    """The day a month's report is due: `due_day` of the next month (the park's setting)."""
    due_year, due_month = next_month(year, month)
    return date(due_year, due_month, min(due_day, calendar.monthrange(due_year, due_month)[1]))
