"""Admin calendar overrides (extra day off, make-up working day)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.calendar import WorkingCalendar
from storage.models import CalendarOverride


async def overrides(s: AsyncSession, *, ward_id: int | None = None) -> dict[date, str]:
    """The days off and make-up days (of one ward when named; a ward-scoped session's own)."""
    query = select(CalendarOverride)
    if ward_id is not None:
        query = query.where(CalendarOverride.ward_id == ward_id)
    return {o.day: o.kind for o in await s.scalars(query)}


async def working_calendar(s: AsyncSession, *, ward_id: int | None = None) -> WorkingCalendar:
    return WorkingCalendar(await overrides(s, ward_id=ward_id))


async def set_override(s: AsyncSession, day: date, kind: str, note: str = "") -> None:
    row = await s.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if row is None:
        row = CalendarOverride(day=day)
        s.add(row)
    row.kind, row.note = kind, note
    await s.flush()


async def remove_override(s: AsyncSession, day: date) -> bool:
    """The day follows the ordinary calendar again; False when it had no override."""
    row = await s.scalar(select(CalendarOverride).where(CalendarOverride.day == day))
    if row is None:
        return False
    await s.delete(row)
    await s.flush()
    return True


async def list_overrides(s: AsyncSession) -> list[CalendarOverride]:
    return list(await s.scalars(select(CalendarOverride).order_by(CalendarOverride.day)))
