"""Conversation state per chat, in the database (survives restarts, shared by processes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import ChatRef, Option
from storage.models import Dialog


@dataclass(slots=True)
class DialogState:
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    options: list[Option] = field(default_factory=list)
    updated_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.flow is not None


async def load(s: AsyncSession, chat: ChatRef) -> DialogState:
    row = await _row(s, chat)
    if row is None:
        return DialogState()
    options = [Option(str(o[0]), str(o[1])) for o in row.options or []]
    return DialogState(row.flow, row.step, dict(row.data or {}), options, row.updated_at)


async def save(s: AsyncSession, chat: ChatRef, state: DialogState, now: datetime) -> None:
    row = await _row(s, chat)
    if row is None:
        row = Dialog(platform=chat.platform.value, chat_id=chat.chat_id)
        s.add(row)
    row.flow, row.step, row.data = state.flow, state.step, state.data
    row.options = [[o.id, o.label] for o in state.options]
    row.updated_at = now
    await s.flush()


async def remember_menu(s: AsyncSession, chat: ChatRef, options: tuple[Option, ...],
                        now: datetime) -> None:
    """Store a menu sent outside any flow (e.g. a reminder), so '1' on Zalo maps to it."""
    state = await load(s, chat)
    if state.active:
        return
    state.options = list(options)
    await save(s, chat, state, now)


async def _row(s: AsyncSession, chat: ChatRef) -> Dialog | None:
    return await s.scalar(
        select(Dialog).where(Dialog.platform == chat.platform.value,
                             Dialog.chat_id == chat.chat_id)
    )
