"""Admin calendar overrides (extra day off, make-up working day)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.calendar import WorkingCalendar
from storage.models import CalendarOverride


async def overrides(s: AsyncSession) -> dict[date, str]:
    return {o.day: o.kind for o in await s.scalars(select(CalendarOverride))}


async def working_calendar(s: AsyncSession) -> WorkingCalendar:
    return WorkingCalendar(await overrides(s))


async def set_override(s: AsyncSession, day: date, kind: str, note: str = "") -> None:
    row = await s.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if row is None:
        row = CalendarOverride(day=day)
        s.add(row)
    row.kind, row.note = kind, note
    await s.flush()


async def list_overrides(s: AsyncSession) -> list[CalendarOverride]:
    return list(await s.scalars(select(CalendarOverride).order_by(CalendarOverride.day)))
