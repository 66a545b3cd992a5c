"""The simulated calendar: the horizon of months, dates as day numbers, timestamps as microseconds.

Dates are held as days since 1970-01-01 and timestamps as microseconds since the epoch (UTC, which is also
Dakar's local time), so that every computation on them is a vectorised integer operation.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

from yeelen.errors import InputRejectedError

EPOCH = dt.date(1970, 1, 1)
US_PER_DAY = 86_400_000_000
US_PER_HOUR = 3_600_000_000
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def day_number(value: dt.date) -> int:
    """Days since 1970-01-01."""
    return (value - EPOCH).days


def to_date(day: int) -> dt.date:
    """The date of a day number."""
    return EPOCH + dt.timedelta(days=int(day))


def parse_month(text: str) -> tuple[int, int]:
    """Read 'YYYY-MM' or raise a message that says what is expected."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputRejectedError(f"{text!r} is not a month: write it as YYYY-MM, e.g. 2025-06")
    return int(match.group(1)), int(match.group(2))


def default_end_month(today: dt.date | None = None) -> str:
    """The month before today's, the last complete month."""
    today = today or dt.date.today()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


@dataclass(frozen=True)
class Horizon:
    """The months simulated: ``month_start`` holds the first day of each month and of the month after the last."""

    end_month: str
    months: int
    month_start: np.ndarray
    month_of_year: np.ndarray
    absolute_month: np.ndarray

    @property
    def start_day(self) -> int:
        """First day of the horizon."""
        return int(self.month_start[0])

    @property
    def end_day(self) -> int:
        """First day after the horizon (exclusive end)."""
        return int(self.month_start[-1])

    @property
    def days_in_month(self) -> np.ndarray:
        """Length of each month in days."""
        return np.diff(self.month_start)

    @property
    def start_date(self) -> dt.date:
        """First date of the horizon."""
        return to_date(self.start_day)

    @property
    def end_date(self) -> dt.date:
        """First date after the horizon."""
        return to_date(self.end_day)

    def month_of(self, day: np.ndarray) -> np.ndarray:
        """Index of the horizon month holding each day (clipped to the horizon)."""
        index = np.searchsorted(self.month_start, day, side="right") - 1
        return np.clip(index, 0, self.months - 1)


def make_horizon(end_month: str, months: int) -> Horizon:
    """The ``months`` months ending with ``end_month`` (YYYY-MM)."""
    if months < 1:
        raise InputRejectedError(f"--months must be at least 1 (got {months})")
    year, month = parse_month(end_month)
    last = year * 12 + (month - 1)
    absolute = np.arange(last - months + 1, last + 2)
    starts = np.array([day_number(dt.date(int(a // 12), int(a % 12) + 1, 1)) for a in absolute], dtype=np.int64)
    return Horizon(
        end_month=f"{year:04d}-{month:02d}",
        months=months,
        month_start=starts,
        month_of_year=(absolute[:-1] % 12 + 1).astype(np.int64),
        absolute_month=absolute[:-1].astype(np.int64),
    )
