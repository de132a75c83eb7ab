"""Working days and effective deadlines: Vietnamese holidays, weekends, admin overrides."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import holidays

OFF = "off"
WORK = "work"


class WorkingCalendar:
    """Vietnamese public holidays (lunar Tết included) and swapped Saturdays, from `holidays`,
    plus overrides an admin adds: an extra day off ('off') or a make-up working day ('work')."""

    def __init__(self, overrides: Mapping[date, str] | None = None) -> None:
        self.overrides = dict(overrides or {})
        self._vn = holidays.country_holidays("VN", language="vi")

    def is_working_day(self, day: date) -> bool:
        override = self.overrides.get(day)
        if override is not None:
            return override == WORK
        return bool(self._vn.is_working_day(day))

    def holiday_name(self, day: date) -> str | None:
        if self.overrides.get(day) == OFF:
            return "Ngày nghỉ (bổ sung)"
        name = self._vn.get(day)
        return str(name) if name else None

    def effective_deadline(self, due_before: date) -> date:
        """'Due before 01/09' means the last working day before that date."""
        day = due_before - timedelta(days=1)
        while not self.is_working_day(day):
            day -= timedelta(days=1)
        return day

    def working_days_before(self, day: date, count: int) -> date:
        """The working day `count` working days before `day` (0 = `day` itself)."""
        current = day
        remaining = count
        while remaining > 0:
            current -= timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def next_working_day(self, day: date) -> date:
        current = day + timedelta(days=1)
        while not self.is_working_day(current):
            current += timedelta(days=1)
        return current

    def working_days_until(self, day: date, deadline: date) -> int | None:
        """Working days after `day` up to and including `deadline`; None once it has passed."""
        if day > deadline:
            return None
        count, current = 0, day
        while current < deadline:
            current += timedelta(days=1)
            count += self.is_working_day(current)
        return count
