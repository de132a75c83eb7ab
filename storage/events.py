"""Inbound de-duplication and the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditLog, InboundEvent


async def first_time(s: AsyncSession, platform: str, native_id: str, now: datetime) -> bool:
    """Record an update id; False when it was processed before (at-least-once delivery).

    The unique constraint makes this safe across processes: the losing insert fails and its
    transaction (the whole update) rolls back.
    """
    seen = await s.scalar(
        select(InboundEvent.id).where(InboundEvent.platform == platform,
                                      InboundEvent.native_id == native_id)
    )
    if seen is not None:
        return False
    s.add(InboundEvent(platform=platform, native_id=native_id[:128], received_at=now))
    await s.flush()
    return True


async def forget_older_than(s: AsyncSession, moment: datetime) -> None:
    await s.execute(delete(InboundEvent).where(InboundEvent.received_at < moment))


async def audit(s: AsyncSession, now: datetime, person_id: int | None, action: str,
                **detail: Any) -> None:
    s.add(AuditLog(at=now, person_id=person_id, action=action, detail=detail))


RETENTION = timedelta(days=3)
