"""The audit log of who changed what: one `record` for every caller (web desk, chat, command
line), and the pages the desk lists newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage import audit_log, events
from storage.audit_log import AuditRow

PAGE_SIZE = 50


async def record(s: AsyncSession, now: datetime, actor: int | None, action: str,
                 obj: str = "", **detail: object) -> None:
    """One row: who (a person id, None for the command line), when, what, on which object
    (e.g. "unit VP", "broadcast 12") and the details; in the caller's transaction."""
    if obj:
        detail = {"object": obj, **detail}
    await events.audit(s, now, actor, action, **detail)


@dataclass(frozen=True, slots=True)
class AuditPage:
    rows: list[AuditRow]
    number: int  # 1-based
    pages: int
    total: int


async def page(s: AsyncSession, number: int, size: int = PAGE_SIZE) -> AuditPage:
    total = await audit_log.count(s)
    pages = max((total + size - 1) // size, 1)
    number = min(max(number, 1), pages)
    rows = await audit_log.newest(s, offset=(number - 1) * size, limit=size)
    return AuditPage(rows, number, pages, total)
