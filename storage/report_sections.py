"""The parts of the ward's report only people write, per period, with history (every save is
a row; the newest per key is the current text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ReportSection


@dataclass(frozen=True, slots=True)
class SectionVersion:
    key: str
    text: str
    author_id: int | None
    created_at: datetime


async def save(s: AsyncSession, *, period_id: int, key: str, text: str, author_id: int | None,
               now: datetime) -> None:
    s.add(ReportSection(period_id=period_id, key=key, text=text, author_id=author_id,
                        created_at=now))
    await s.flush()


async def current(s: AsyncSession, period_id: int) -> dict[str, str]:
    """The newest text of each key saved for the period."""
    newest = (select(func.max(ReportSection.id)).where(ReportSection.period_id == period_id)
              .group_by(ReportSection.key))
    rows = await s.execute(select(ReportSection.key, ReportSection.text)
                           .where(ReportSection.id.in_(newest)))
    return {key: text for key, text in rows}


async def history(s: AsyncSession, period_id: int, key: str) -> list[SectionVersion]:
    """Every saved text of one key, newest first."""
    rows = await s.scalars(select(ReportSection).where(ReportSection.period_id == period_id,
                                                       ReportSection.key == key)
                           .order_by(ReportSection.id.desc()))
    return [SectionVersion(r.key, r.text, r.author_id, r.created_at) for r in rows]
