"""The outbox: every message the bot starts on its own is a row before it is a send.

A unique dedupe key makes enqueueing idempotent (restarts, two processes); a short lease
(`claimed_until`) makes claiming safe when several workers poll the same database.

Payload format (JSON in `deliveries.payload`), built by `reply_to_payload`:
    {"text": str,
     "options": [[id, label], ...],            # the menu offered with the message
     "file": {"path", "file_name", "kind", "caption", "url"?} | null}
`payload_to_reply` turns it back into a `Reply` for the messenger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from core.types import ChatRef, Option, OutFile, Platform, Reply
from storage.dialogs import remember_menu
from storage.models import Account, Delivery

PENDING, SENT, FAILED, GONE = "pending", "sent", "failed", "gone"
# The default lease (setting OUTBOX_LEASE_SECONDS). Short, so rows claimed by a process that
# died are picked up again soon after a restart; the worker stops a batch at half the lease,
# long before another worker may take its rows.
LEASE = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A claimed row, detached from the session (no network call inside a transaction)."""

    id: int
    dedupe_key: str
    kind: str
    chat: ChatRef
    person_id: int | None
    payload: dict[str, Any]
    attempts: int
    ref_id: int | None


@dataclass(frozen=True, slots=True)
class Queued:
    """One message to put in the outbox (enqueue_many)."""

    key: str
    kind: str
    chat: ChatRef
    payload: dict[str, Any]
    person_id: int | None = None
    ref_id: int | None = None


def _values(item: Queued, now: datetime, not_before: datetime | None) -> dict[str, Any]:
    return dict(dedupe_key=item.key[:200], kind=item.kind, platform=item.chat.platform.value,
                chat_id=item.chat.chat_id, person_id=item.person_id, payload=item.payload,
                status=PENDING, attempts=0, next_attempt_at=not_before or now, created_at=now,
                last_error="", ref_id=item.ref_id)


async def enqueue(s: AsyncSession, *, key: str, kind: str, chat: ChatRef, payload: dict[str, Any],
                  now: datetime, person_id: int | None = None, ref_id: int | None = None,
                  not_before: datetime | None = None) -> bool:
    """Insert unless the key exists; True when a new row was written."""
    return bool(await enqueue_many(s, [Queued(key, kind, chat, payload, person_id, ref_id)],
                                   now, not_before=not_before))


ENQUEUE_CHUNK = 500  # rows per INSERT: 12 columns each, well inside SQLite's 32,766 variables


async def enqueue_many(s: AsyncSession, items: list[Queued], now: datetime, *,
                       not_before: datetime | None = None) -> int:
    """Insert each unless its key exists, a few hundred rows per statement (a city-wide
    broadcast writes thousands: one statement each took seconds); returns rows written."""
    insert = pg_insert if s.get_bind().dialect.name == "postgresql" else sqlite_insert
    written = 0
    for start in range(0, len(items), ENQUEUE_CHUNK):
        rows = [_values(item, now, not_before) for item in items[start:start + ENQUEUE_CHUNK]]
        stmt = insert(Delivery).values(rows).on_conflict_do_nothing(index_elements=["dedupe_key"])
        result = await s.execute(stmt)
        written += int(result.rowcount)  # type: ignore[attr-defined]
    return written


async def claim_due(s: AsyncSession, platform: Platform, now: datetime,
                    limit: int = 50, lease: timedelta = LEASE) -> list[Outgoing]:
    """Take up to `limit` due rows for this platform under a lease (skip rows others hold)."""
    query = (
        select(Delivery)
        .where(Delivery.status == PENDING, Delivery.platform == platform.value,
               Delivery.next_attempt_at <= now,
               or_(Delivery.claimed_until.is_(None), Delivery.claimed_until < now))
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(limit)
    )
    if s.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(await s.scalars(query))
    for row in rows:
        row.claimed_until = now + lease
    await s.flush()
    return [
        Outgoing(r.id, r.dedupe_key, r.kind, ChatRef(Platform(r.platform), r.chat_id), r.person_id,
                 dict(r.payload or {}), r.attempts, r.ref_id)
        for r in rows
    ]


async def take_inbox(s: AsyncSession, chat: ChatRef, now: datetime) -> list[Reply]:
    """The pending messages of a chat that nothing pushes to (the terminal shell), oldest
    first, marked sent: the shell shows them when its person next types."""
    rows = list(await s.scalars(
        select(Delivery).where(Delivery.status == PENDING,
                               Delivery.platform == chat.platform.value,
                               Delivery.chat_id == chat.chat_id, Delivery.next_attempt_at <= now)
        .order_by(Delivery.created_at, Delivery.id)))
    for row in rows:
        row.status, row.sent_at, row.attempts = SENT, now, row.attempts + 1
    await s.flush()
    replies = [payload_to_reply(dict(row.payload or {})) for row in rows]
    menus = [reply.options for reply in replies if reply.options]
    if menus:  # as after a send: "1" answers the last menu shown
        await remember_menu(s, chat, menus[-1], now)
    return replies


async def mark_sent(s: AsyncSession, delivery_id: int, now: datetime) -> None:
    await s.execute(
        update(Delivery).where(Delivery.id == delivery_id)
        .values(status=SENT, sent_at=now, attempts=Delivery.attempts + 1, claimed_until=None)
    )


async def mark_retry(s: AsyncSession, delivery_id: int, at: datetime, error: str,
                     max_attempts: int) -> bool:
    """Schedule another attempt; False (and status failed) once attempts run out."""
    row = await s.get(Delivery, delivery_id)
    if row is None:
        return False
    row.attempts += 1
    row.last_error = error[:500]
    row.claimed_until = None
    if row.attempts >= max_attempts:
        row.status = FAILED
        return False
    row.next_attempt_at = at
    return True


async def mark_gone(s: AsyncSession, delivery_id: int, now: datetime, error: str) -> None:
    await s.execute(
        update(Delivery).where(Delivery.id == delivery_id)
        .values(status=GONE, attempts=Delivery.attempts + 1, last_error=error[:500],
                claimed_until=None)
    )


def reply_to_payload(reply: Reply) -> dict[str, Any]:
    """The JSON form of a reply stored in the outbox (format in the module docstring)."""
    file = None
    if reply.file is not None:
        file = {"path": str(reply.file.path), "file_name": reply.file.file_name,
                "kind": reply.file.kind, "caption": reply.file.caption, "url": reply.file.url}
    return {"text": reply.text, "options": [[o.id, o.label] for o in reply.options],
            "file": file}


def payload_to_reply(payload: dict[str, Any]) -> Reply:
    options = tuple(Option(str(o[0]), str(o[1])) for o in payload.get("options") or ())
    raw = payload.get("file")
    file = None
    if raw:
        file = OutFile(Path(raw["path"]), raw["file_name"], raw.get("kind", "document"),
                       raw.get("caption", ""), raw.get("url", ""))
    return Reply(str(payload.get("text", "")), options, file)


async def postpone(s: AsyncSession, delivery_id: int, at: datetime, error: str) -> None:
    """Rate limited (429): an attempt is recorded but never counts towards failure."""
    await s.execute(
        update(Delivery).where(Delivery.id == delivery_id)
        .values(attempts=Delivery.attempts + 1, next_attempt_at=at, last_error=error[:500],
                claimed_until=None)
    )


async def release(s: AsyncSession, delivery_ids: list[int], at: datetime) -> None:
    """Give back claimed rows that were not attempted (the channel is paused until `at`)."""
    if delivery_ids:
        await s.execute(
            update(Delivery).where(Delivery.id.in_(delivery_ids), Delivery.status == PENDING)
            .values(next_attempt_at=at, claimed_until=None)
        )


async def flag_blocked(s: AsyncSession, chat: ChatRef, now: datetime) -> int:
    """The person blocked the bot or the chat is gone: stop writing to that account."""
    result = await s.execute(
        update(Account).where(Account.platform == chat.platform.value,
                              Account.chat_id == chat.chat_id, Account.blocked_at.is_(None))
        .values(blocked_at=now)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
