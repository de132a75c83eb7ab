"""Invite use cases: one invite that never duplicates a person, and invites for a whole roster.

The CLI calls these today; the chat (/moi) and the web desk call the same functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import texts
from core.texts import roster as t
from core.textutil import fold, format_datetime, shorten
from core.types import Reply, Role
from storage import deliveries, events, invites, roster
from storage.models import Account, Invite, Person, ResidentialGroup, Unit
from storage.roster import in_active_places


async def same_person(s: AsyncSession, *, name: str, role: str, unit_id: int | None,
                      group_id: int | None) -> Person | None:
    """An active person of the same unit or tổ dân phố (or, for an admin without one, an
    admin) whose name matches without diacritics or case: the person to reuse."""
    key = fold(name)
    if not key:
        return None
    query = select(Person).where(Person.active).order_by(Person.id)
    if unit_id is not None:
        query = query.where(Person.unit_id == unit_id)
    elif group_id is not None:
        query = query.where(Person.group_id == group_id)
    else:
        query = query.where(Person.role == role, Person.unit_id.is_(None),
                            Person.group_id.is_(None))
    return next((p for p in await s.scalars(query) if fold(p.name) == key), None)


@dataclass(frozen=True, slots=True)
class InviteResult:
    code: str
    expires_at: datetime
    reused: Person | None  # the existing person the code is bound to, when the name matched


async def invite_one(s: AsyncSession, *, role: str, now: datetime, ttl: timedelta,
                     unit_id: int | None = None, group_id: int | None = None,
                     person_id: int | None = None, name: str = "",
                     created_by: int | None = None, handover: bool = False) -> InviteResult:
    """One invite. A name that already exists in the same unit or tổ dân phố reuses that
    person (the code links another account to them) instead of creating a second one."""
    reused = None
    if person_id is None and name.strip():
        reused = await same_person(s, name=name, role=role, unit_id=unit_id, group_id=group_id)
        if reused is not None:
            person_id = reused.id
    new = await invites.create_invite(s, role=role, now=now, ttl=ttl, unit_id=unit_id,
                                      group_id=group_id, person_id=person_id, name=name,
                                      created_by=created_by, handover=handover)
    return InviteResult(new.code, new.expires_at, reused)


# --- A unit handed to a new head ---------------------------------------------------------------


class HandoverRefused(ValueError):
    """The unit cannot be handed over; the message is worded for an officer."""


@dataclass(frozen=True, slots=True)
class Handover:
    unit_name: str
    new_name: str
    invite: InviteResult
    heads: tuple[str, ...]  # the unit's heads today, who lose access on the new registration


async def hand_over(s: AsyncSession, *, unit_code: str, name: str, now: datetime,
                    ttl: timedelta, created_by: int | None = None) -> Handover:
    """Invite `name` as the head of the unit; nothing changes for the present heads until the
    new one registers with the code (see `complete_handover`)."""
    name = " ".join(name.split())
    if not name or len(name) > 120:
        raise HandoverRefused(t.HANDOVER_BAD_NAME)
    unit = await s.scalar(select(Unit).where(Unit.active,
                                             func.upper(Unit.code) == unit_code.strip().upper()))
    if unit is None:
        raise HandoverRefused(t.NOT_FOUND_UNIT.format(key=shorten(unit_code.strip(), 32)))
    heads = [p.name for p in await _heads(s, unit.id) if fold(p.name) != fold(name)]
    invite = await invite_one(s, role=Role.UNIT_HEAD.value, now=now, ttl=ttl, unit_id=unit.id,
                              name=name, created_by=created_by, handover=True)
    await events.audit(s, now, created_by, "handover_invite", unit=unit.code)
    return Handover(unit.name, name, invite, tuple(heads))


def handover_text(done: Handover, tz: tzinfo) -> str:
    expires = format_datetime(done.invite.expires_at.astimezone(tz))
    name = done.invite.reused.name if done.invite.reused else ""
    return t.HANDOVER_CREATED.format(unit=done.unit_name, name=name or done.new_name,
                                     code=done.invite.code, expires=expires,
                                     heads=", ".join(done.heads) or t.HANDOVER_NO_HEAD)


async def _heads(s: AsyncSession, unit_id: int) -> list[Person]:
    return list(await s.scalars(select(Person).where(
        Person.active, Person.unit_id == unit_id, Person.role == Role.UNIT_HEAD.value)
        .order_by(Person.id)))


async def complete_handover(s: AsyncSession, invite: Invite, new_head: Person,
                            now: datetime) -> list[str]:
    """On the new head's registration with a handover code: the unit's other heads lose access
    (deactivated: their accounts stop working, their reports stay). Their names."""
    if not invite.handover or invite.unit_id is None:
        return []
    retired = [p for p in await _heads(s, invite.unit_id) if p.id != new_head.id]
    for person in retired:
        person.active = False
    await s.flush()
    if retired:
        await events.audit(s, now, new_head.id, "handover", unit=invite.unit_id,
                           retired=[p.id for p in retired])
        await _tell_retired(s, retired, invite, new_head, now)
    return [p.name for p in retired]


async def _tell_retired(s: AsyncSession, retired: list[Person], invite: Invite,
                        new_head: Person, now: datetime) -> None:
    """A notice (through the outbox) to the heads who lost the unit, so they are not left
    wondering why the bot stopped answering them."""
    unit = await s.get(Unit, invite.unit_id)
    text = t.HANDOVER_NOTICE.format(unit=unit.name if unit else "", name=new_head.name)
    chats = await roster.chats_of(s, [p.id for p in retired])
    for person in retired:
        for chat in chats.get(person.id, []):
            await deliveries.enqueue(
                s, key=f"handover:{invite.id}:{person.id}:{chat.platform.value}:{chat.chat_id}",
                kind="notice", chat=chat, payload=deliveries.reply_to_payload(Reply(text)),
                now=now, person_id=person.id)


def reuse_note(result: InviteResult, place: str) -> str:
    if result.reused is None:
        return ""
    return t.INVITE_REUSED.format(name=result.reused.name, place=place or t.SAME_PLACE,
                                  person_id=result.reused.id)


# --- Many at once -----------------------------------------------------------------------------


class UnknownCodes(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class BulkInvite:
    person_id: int
    name: str
    place: str
    role: str
    code: str
    expires_at: datetime


async def invite_unregistered(s: AsyncSession, *, now: datetime, ttl: timedelta,
                              unit_codes: list[str] | None = None,
                              group_codes: list[str] | None = None,
                              created_by: int | None = None) -> list[BulkInvite]:
    """A code for every active person of the roster (or of the chosen units and tổ dân phố) who
    has no messenger account yet; all rows written in one flush of the caller's transaction."""
    units = {u.id: u for u in await s.scalars(select(Unit))}
    groups = {g.id: g for g in await s.scalars(select(ResidentialGroup))}
    query = (select(Person)
             .where(Person.active, in_active_places(),
                    ~exists().where(Account.person_id == Person.id))
             .order_by(Person.unit_id, Person.group_id, Person.id))
    chosen = []
    if unit_codes:
        ids = _ids_of(units.values(), unit_codes)
        chosen.append(Person.unit_id.in_(ids))
    if group_codes:
        ids = _ids_of(groups.values(), group_codes)
        chosen.append(Person.group_id.in_(ids))
    if chosen:
        query = query.where(or_(*chosen))
    people = list(await s.scalars(query))
    rows: list[BulkInvite] = []
    expires = now + ttl
    for p in people:
        code = invites.new_code()
        s.add(Invite(code_hash=invites.hash_code(code), role=p.role, unit_id=p.unit_id,
                     group_id=p.group_id, person_id=p.id, name=p.name, created_by=created_by,
                     created_at=now, expires_at=expires))
        place = (units[p.unit_id].name if p.unit_id in units else
                 groups[p.group_id].name if p.group_id in groups else "")
        rows.append(BulkInvite(p.id, p.name, place, p.role, code, expires))
    await s.flush()
    await events.audit(s, now, created_by, "invite_bulk", count=len(rows))
    return rows


def _ids_of(rows: object, codes: list[str]) -> list[int]:
    table = {r.code.upper(): r.id for r in rows}  # type: ignore[attr-defined]
    wanted = [c.strip() for c in codes if c.strip()]
    unknown = [c for c in wanted if c.upper() not in table]
    if unknown:
        raise UnknownCodes(t.BULK_UNKNOWN_CODES.format(codes=", ".join(unknown)))
    return [table[c.upper()] for c in wanted]


def write_invites_xlsx(rows: list[BulkInvite], path: Path, *, telegram_username: str,
                       tz: tzinfo) -> None:
    """The codes for the ward to hand out: name, unit or tổ, role, code, Telegram link, the Zalo
    text to send, expiry."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(t.BULK_SHEET)
    for letter, width in zip("ABCDEFG", (28, 36, 28, 14, 44, 20, 18), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append(list(t.BULK_HEADERS))
    username = telegram_username.lstrip("@")
    for r in rows:
        link = f"https://t.me/{username}?start={r.code}" if username else ""
        sheet.append([r.name, r.place, texts.ROLE_LABELS[Role(r.role)], r.code, link,
                      t.ZALO_TEXT.format(code=r.code),
                      format_datetime(r.expires_at.astimezone(tz))])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)

