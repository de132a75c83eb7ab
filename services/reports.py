"""Report entries and submission: the rules every caller shares (chat today, the web desk next).

A round that is closed takes no new entry, edit or submission, whichever way it was named."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.rounds import ensure_open
from storage import entries
from storage.entries import EntryDraft, EntryView, SubmissionView
from storage.plans import PeriodInfo


async def save_entry(s: AsyncSession, period: PeriodInfo, *, unit_id: int, task_id: int,
                     draft: EntryDraft, author_id: int, now: datetime) -> EntryView:
    """A new version of the unit's answer to a task (RoundRefused when the round is closed)."""
    ensure_open(period)
    return await entries.save_entry(s, period_id=period.id, unit_id=unit_id, task_id=task_id,
                                    draft=draft, author_id=author_id, now=now)


async def submit(s: AsyncSession, period: PeriodInfo, *, unit_id: int, person_id: int,
                 now: datetime, late: bool) -> SubmissionView:
    """Submit the unit's report for the round (RoundRefused when the round is closed)."""
    ensure_open(period)
    return await entries.submit(s, period_id=period.id, unit_id=unit_id, person_id=person_id,
                                now=now, late=late)
