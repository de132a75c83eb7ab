"""Conversation state per chat, in the database (survives restarts, shared by processes)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import Caller, ChatRef, Option, Platform
from storage.models import Account, Dialog, Person
from storage.roster import caller_from_person


@dataclass(slots=True)
class DialogState:
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    options: list[Option] = field(default_factory=list)
    updated_at: datetime | None = None
    # The ORM row it was read from (None for a chat without one yet): save() updates it in
    # place instead of reading it a second time in the same transaction.
    row: Dialog | None = field(default=None, repr=False, compare=False)

    @property
    def active(self) -> bool:
        return self.flow is not None


def _state(row: Dialog | None) -> DialogState:
    if row is None:
        return DialogState()
    options = [Option(str(o[0]), str(o[1])) for o in row.options or []]
    # A deep copy: handlers edit nested values (the report draft) in place, and the row must
    # keep what was loaded, or the ORM sees no change on save and writes nothing.
    data = copy.deepcopy(row.data or {})
    return DialogState(row.flow, row.step, data, options, row.updated_at, row)


async def load(s: AsyncSession, chat: ChatRef) -> DialogState:
    return _state(await _row(s, chat))


async def load_with_caller(s: AsyncSession, chat: ChatRef, platform: Platform,
                           account_id: str) -> tuple[Caller | None, DialogState]:
    """Who is talking and the chat's state, in one statement (the engine's per-update read).

    A one-row anchor with two outer joins: either side may be missing (an unregistered
    sender, a chat without a dialog yet), and accounts are unique per (platform, account)."""
    anchor = select(literal(1).label("one")).subquery("anchor")
    statement = (
        select(Dialog, Person)
        .select_from(anchor)
        .outerjoin(Dialog, and_(Dialog.platform == chat.platform.value,
                                Dialog.chat_id == chat.chat_id))
        .outerjoin(Account, and_(Account.platform == platform.value,
                                 Account.account_id == account_id))
        .outerjoin(Person, and_(Person.id == Account.person_id, Person.active))
    )
    row, person = (await s.execute(statement)).one()
    return (caller_from_person(person) if person is not None else None), _state(row)


async def save(s: AsyncSession, chat: ChatRef, state: DialogState, now: datetime) -> None:
    row = state.row if state.row is not None and state.row in s else await _row(s, chat)
    if row is None:
        row = Dialog(platform=chat.platform.value, chat_id=chat.chat_id)
        s.add(row)
    row.flow, row.step, row.data = state.flow, state.step, state.data
    row.options = [[o.id, o.label] for o in state.options]
    row.updated_at = now
    state.row = row
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
