"""Inbound de-duplication and the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditLog, InboundEvent, table_of

# Built once per dialect (it runs on every update), on the table rather than the ORM class.
_RECORD = {
    postgres: insert(table_of(InboundEvent)).on_conflict_do_nothing(
        index_elements=["platform", "native_id"])
    for postgres, insert in ((True, pg_insert), (False, sqlite_insert))
}


def stored_id(native_id: str) -> str:
    """An update id as the table keeps it."""
    return native_id[:128]


async def first_time(s: AsyncSession, platform: str, native_id: str, now: datetime) -> bool:
    """Record an update id; False when it was processed before (at-least-once delivery).

    One INSERT … ON CONFLICT DO NOTHING (SQLite and PostgreSQL both have it) instead of a
    SELECT and an INSERT: every statement is a round trip on the hot path of each update. The
    unique constraint keeps this safe across processes: a concurrent twin either waits for the
    winner's commit and inserts nothing, or fails and its transaction (the whole update) rolls
    back.
    """
    values = {"platform": platform, "native_id": stored_id(native_id), "received_at": now}
    result = await s.execute(_RECORD[s.get_bind().dialect.name == "postgresql"], values)
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def is_duplicate_update(error: IntegrityError) -> bool:
    """Whether a failed commit was this table's unique (platform, id): the update was handled
    elsewhere. SQLite and PostgreSQL both name the table in the message."""
    return InboundEvent.__tablename__ in str(error.orig)


async def forget_older_than(s: AsyncSession, moment: datetime) -> int:
    """Drop de-duplication records older than `moment`; returns how many."""
    result = await s.execute(delete(InboundEvent).where(InboundEvent.received_at < moment))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def audit(s: AsyncSession, now: datetime, person_id: int | None, action: str,
                **detail: Any) -> None:
    s.add(AuditLog(at=now, person_id=person_id, action=action, detail=detail))


# Telegram keeps an undelivered update at most 24 h, Zalo retries within minutes: three days
# of ids is more than any redelivery needs.
RETENTION = timedelta(days=3)
