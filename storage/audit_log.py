"""Reading the audit log (written by storage.events.audit): newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditLog, Person


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime
    person_id: int | None
    person_name: str
    action: str
    detail: dict[str, Any]


async def count(s: AsyncSession) -> int:
    return int(await s.scalar(select(func.count()).select_from(AuditLog)) or 0)


async def newest(s: AsyncSession, *, offset: int, limit: int) -> list[AuditRow]:
    rows = await s.execute(
        select(AuditLog.id, AuditLog.at, AuditLog.person_id, Person.name, AuditLog.action,
               AuditLog.detail)
        .outerjoin(Person, Person.id == AuditLog.person_id)
        .order_by(AuditLog.at.desc(), AuditLog.id.desc()).offset(offset).limit(limit))
    return [AuditRow(i, at, pid, name or "", action, dict(detail or {}))
            for i, at, pid, name, action, detail in rows]
