"""Roster repository: units, tổ dân phố, people and their messenger accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.texts import catalog as catalog_texts
from core.types import Caller, ChatRef, Platform, Role
from storage.catalog import RosterFile
from storage.models import Account, Person, ResidentialGroup, Unit


@dataclass(frozen=True, slots=True)
class RosterReport:
    units: int
    groups: int
    people_created: int


async def import_roster(s: AsyncSession, data: RosterFile, now: datetime) -> RosterReport:
    """Upsert units and groups by code; add people not yet present (same name and role)."""
    units = {u.code: u for u in await s.scalars(select(Unit))}
    for item in data.units:
        unit = units.get(item.code) or Unit(code=item.code)
        unit.name, unit.active = item.name, True
        unit.note, unit.example = item.note, item.example
        units[item.code] = unit
        s.add(unit)
    groups = {g.code: g for g in await s.scalars(select(ResidentialGroup))}
    for item in data.groups:
        group = groups.get(item.code) or ResidentialGroup(code=item.code)
        group.name, group.active = item.name, True
        group.note, group.example = item.note, item.example
        groups[item.code] = group
        s.add(group)
    await s.flush()
    created = 0
    for index, p in enumerate(data.people):
        unit_id = _resolve(units, p.unit, f"people[{index}].unit")
        group_id = _resolve(groups, p.group, f"people[{index}].group")
        exists = await s.scalar(
            select(Person.id).where(Person.name == p.name, Person.role == p.role,
                                    Person.unit_id == unit_id, Person.group_id == group_id)
        )
        if exists is None:
            s.add(Person(name=p.name, role=p.role, unit_id=unit_id, group_id=group_id,
                         phone=p.phone, created_at=now))
            created += 1
    await s.flush()
    return RosterReport(len(data.units), len(data.groups), created)


class UnknownCode(ValueError):
    pass


def _resolve(table: dict[str, Unit] | dict[str, ResidentialGroup], code: str | None,
             field: str) -> int | None:
    if code is None:
        return None
    row = table.get(code)
    if row is None:
        raise UnknownCode(catalog_texts.UNKNOWN_CODE.format(field=field, code=code))
    return row.id


async def unit_by_code(s: AsyncSession, code: str) -> Unit | None:
    return await s.scalar(select(Unit).where(func.upper(Unit.code) == code.upper()))


async def group_by_code(s: AsyncSession, code: str) -> ResidentialGroup | None:
    return await s.scalar(
        select(ResidentialGroup).where(func.upper(ResidentialGroup.code) == code.upper())
    )


async def list_units(s: AsyncSession) -> list[Unit]:
    return list(await s.scalars(select(Unit).where(Unit.active).order_by(Unit.code)))


async def count_units(s: AsyncSession) -> int:
    """Active units: one row each in every report's tables."""
    return await s.scalar(select(func.count()).select_from(Unit).where(Unit.active)) or 0


async def list_groups(s: AsyncSession) -> list[ResidentialGroup]:
    return list(
        await s.scalars(
            select(ResidentialGroup).where(ResidentialGroup.active).order_by(ResidentialGroup.code)
        )
    )


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: int
    name: str
    role: str
    unit: str
    group: str
    accounts: tuple[str, ...]


async def list_people(s: AsyncSession) -> list[PersonRow]:
    units = {u.id: u.name for u in await s.scalars(select(Unit))}
    groups = {g.id: g.name for g in await s.scalars(select(ResidentialGroup))}
    accounts: dict[int, list[str]] = {}
    for a in await s.scalars(select(Account).order_by(Account.id)):
        accounts.setdefault(a.person_id, []).append(a.platform)
    people = await s.scalars(select(Person).where(Person.active).order_by(Person.id))
    return [
        PersonRow(p.id, p.name, p.role, units.get(p.unit_id or 0, ""),
                  groups.get(p.group_id or 0, ""), tuple(accounts.get(p.id, [])))
        for p in people
    ]


async def caller_for(s: AsyncSession, platform: Platform, account_id: str) -> Caller | None:
    """The registered person behind a messenger account, or None."""
    row = (
        await s.execute(
            select(Person)
            .join(Account, Account.person_id == Person.id)
            .where(Account.platform == platform.value, Account.account_id == account_id,
                   Person.active)
        )
    ).scalar_one_or_none()
    return caller_from_person(row) if row is not None else None


def caller_from_person(person: Person) -> Caller:
    return Caller(person.id, person.name, Role(person.role), person.unit_id, person.group_id,
                  person.ward_id)


async def bind_account(s: AsyncSession, person_id: int, chat: ChatRef, account_id: str,
                       display_name: str, now: datetime) -> Account:
    account = Account(person_id=person_id, platform=chat.platform.value, account_id=account_id,
                      chat_id=chat.chat_id, display_name=display_name[:255], created_at=now)
    s.add(account)
    await s.flush()
    return account


async def chats_of(s: AsyncSession, person_ids: list[int]) -> dict[int, list[ChatRef]]:
    """Where each person can be reached (accounts not flagged blocked)."""
    result: dict[int, list[ChatRef]] = {}
    if not person_ids:
        return result
    rows = await s.scalars(
        select(Account).where(Account.person_id.in_(person_ids), Account.blocked_at.is_(None))
        .order_by(Account.id)
    )
    for a in rows:
        result.setdefault(a.person_id, []).append(ChatRef(Platform(a.platform), a.chat_id))
    return result


async def people_with_role(s: AsyncSession, role: Role) -> list[Person]:
    return list(await s.scalars(select(Person).where(Person.role == role.value, Person.active)))


def in_active_places() -> ColumnElement[bool]:
    """People whose unit and tổ dân phố (when they have one) are active; admins always."""
    return or_(
        Person.role == Role.ADMIN.value,
        and_(or_(Person.unit_id.is_(None),
                 Person.unit_id.in_(select(Unit.id).where(Unit.active))),
             or_(Person.group_id.is_(None),
                 Person.group_id.in_(select(ResidentialGroup.id).where(ResidentialGroup.active)))),
    )


async def deactivated_account(s: AsyncSession, platform: Platform, account_id: str) -> bool:
    """True when the messenger account belongs to a person who was deactivated."""
    found = await s.scalar(
        select(exists().where(Account.platform == platform.value,
                              Account.account_id == account_id,
                              Account.person_id == Person.id, Person.active.is_(False))))
    return bool(found)
