"""Conversation state per chat, in the database (survives restarts, shared by processes)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, exists, func, insert, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.types import Caller, ChatRef, Option, Platform, Role
from storage.events import stored_id
from storage.models import Account, Dialog, InboundEvent, Person, Ward, table_of


@dataclass(slots=True)
class DialogState:
    flow: str | None = None
    step: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    options: list[Option] = field(default_factory=list)
    updated_at: datetime | None = None
    reply_failed_at: datetime | None = None  # a reply given up: tell the person next time
    # The id of the row it was read from (None for a chat without one yet): save() updates
    # that row without reading it again.
    row_id: int | None = field(default=None, repr=False, compare=False)

    @property
    def active(self) -> bool:
        return self.flow is not None


# The statements below run on every update, so they are built once, with bound parameters, on
# the tables rather than the ORM classes: building a statement and its cache key per call, and
# the ORM's bookkeeping, cost more than SQLite running it.
_DIALOGS, _ACCOUNTS, _PEOPLE = table_of(Dialog), table_of(Account), table_of(Person)
_D, _A, _P = _DIALOGS.c, _ACCOUNTS.c, _PEOPLE.c
_DIALOG_COLUMNS = (_D.id, _D.flow, _D.step, _D.data, _D.options, _D.updated_at,
                   _D.reply_failed_at)
_OF_CHAT = and_(_D.platform == bindparam("platform"), _D.chat_id == bindparam("chat"))
_LOAD = select(*_DIALOG_COLUMNS).where(_OF_CHAT)
# Who is talking, the chat's state and whether this update was handled before, in one
# statement: a one-row anchor with two outer joins, since either side may be missing (an
# unregistered sender, a chat without a dialog yet); accounts are unique per (platform, account).
_ANCHOR = select(literal(1).label("one")).subquery("anchor")
_EVENTS = table_of(InboundEvent).c
_SEEN = exists().where(_EVENTS.platform == bindparam("event_platform"),
                       _EVENTS.native_id == bindparam("event_id"))
_LOAD_WITH_CALLER = (
    select(*_DIALOG_COLUMNS, _P.id.label("person_id"), _P.name, _P.role, _P.unit_id,
           _P.group_id, _P.ward_id,
           select(func.max(table_of(Ward).c.id)).scalar_subquery().label("last_ward"),
           select(table_of(Ward).c.active).where(table_of(Ward).c.id == _P.ward_id)
           .scalar_subquery().label("ward_active"),
           _SEEN.label("seen"))
    .select_from(_ANCHOR)
    .outerjoin(_DIALOGS, _OF_CHAT)
    .outerjoin(_ACCOUNTS, and_(_A.platform == bindparam("account_platform"),
                               _A.account_id == bindparam("account")))
    .outerjoin(_PEOPLE, and_(_P.id == _A.person_id, _P.active))
)
_UPDATE = (update(_DIALOGS).where(_D.id == bindparam("row_id"))
           .values(flow=bindparam("flow"), step=bindparam("step"), data=bindparam("data"),
                   options=bindparam("options"), updated_at=bindparam("updated_at"),
                   reply_failed_at=bindparam("reply_failed_at")))
_MARK_FAILED = (update(_DIALOGS)
                .where(_D.platform == bindparam("of_platform"), _D.chat_id == bindparam("of_chat"))
                .values(reply_failed_at=bindparam("failed_at")))
_INSERT = insert(_DIALOGS).returning(_D.id)


def _state(row: Row[*tuple[Any, ...]] | None) -> DialogState:
    if row is None or row.id is None:
        return DialogState()
    options = [Option(str(o[0]), str(o[1])) for o in row.options or []]
    return DialogState(row.flow, row.step, dict(row.data or {}), options, row.updated_at,
                       row.reply_failed_at, row.id)


def _chat(chat: ChatRef) -> dict[str, str]:
    return {"platform": chat.platform.value, "chat": chat.chat_id}


async def load(s: AsyncSession, chat: ChatRef) -> DialogState:
    return _state((await s.execute(_LOAD, _chat(chat))).first())


@dataclass(frozen=True, slots=True)
class Loaded:
    caller: Caller | None  # None: the sender is not (or no longer) registered
    state: DialogState
    seen: bool  # the update id was recorded before (events.first_time): a re-delivery


async def load_with_caller(s: AsyncSession, chat: ChatRef, platform: Platform,
                           account_id: str, native_id: str = "") -> Loaded:
    """Who is talking, the chat's state and whether the update `native_id` was handled before,
    in one statement (the engine's per-update read; it takes no write lock on SQLite)."""
    row = (await s.execute(_LOAD_WITH_CALLER, {
        **_chat(chat), "account_platform": platform.value, "account": account_id,
        "event_platform": platform.value, "event_id": stored_id(native_id)})).one()
    caller = None
    if row.person_id is not None:
        caller = Caller(row.person_id, row.name, Role(row.role), row.unit_id, row.group_id,
                        row.ward_id, (row.last_ward or 1) > 1, row.ward_active is not False)
    return Loaded(caller, _state(row), bool(row.seen) and bool(native_id))


async def save(s: AsyncSession, chat: ChatRef, state: DialogState, now: datetime) -> None:
    values = {"flow": state.flow, "step": state.step, "data": state.data,
              "options": [[o.id, o.label] for o in state.options], "updated_at": now,
              "reply_failed_at": state.reply_failed_at}
    if state.row_id is not None:
        result = await s.execute(_UPDATE, {**values, "row_id": state.row_id})
        if result.rowcount == 1:  # type: ignore[attr-defined]
            return
    state.row_id = await s.scalar(
        _INSERT, {**values, "platform": chat.platform.value, "chat_id": chat.chat_id})


async def remember_menu(s: AsyncSession, chat: ChatRef, options: tuple[Option, ...],
                        now: datetime) -> None:
    """Store a menu sent outside any flow (e.g. a reminder), so '1' on Zalo maps to it."""
    state = await load(s, chat)
    if state.active:
        return
    state.options = list(options)
    await save(s, chat, state, now)


async def mark_reply_failed(s: AsyncSession, chat: ChatRef, now: datetime) -> None:
    """A reply to this chat was given up: the engine tells the person at their next message."""
    result = await s.execute(_MARK_FAILED, {"of_platform": chat.platform.value,
                                            "of_chat": chat.chat_id, "failed_at": now})
    if result.rowcount == 0:  # type: ignore[attr-defined]
        await save(s, chat, DialogState(reply_failed_at=now), now)
