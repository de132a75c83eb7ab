"""Reads for the web desk's round page: the state of every (unit, task) cell of a period.

One statement whatever the number of units; the rest of the page comes from period_summary."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Account, Entry, Person, ResidentialGroup, Unit


class Cell(StrEnum):
    SUBMITTED = "submitted"  # the current version is the one the unit's /nop froze
    EDITED = "edited"  # submitted, then changed: the change waits for a new /nop
    DRAFT = "draft"  # entered, never submitted
    MISSING = "missing"  # no entry


async def cell_states(s: AsyncSession, period_id: int) -> dict[tuple[int, int], tuple[Cell, str]]:
    """(unit id, task id) → (the cell's state, the entry's current status); absent: missing."""
    rows = await s.execute(
        select(Entry.unit_id, Entry.task_id, Entry.version, Entry.submitted_version,
               Entry.status).where(Entry.period_id == period_id))
    states: dict[tuple[int, int], tuple[Cell, str]] = {}
    for unit, task, version, submitted, status in rows:
        if submitted is None:
            cell = Cell.DRAFT
        elif submitted == version:
            cell = Cell.SUBMITTED
        else:
            cell = Cell.EDITED
        states[(unit, task)] = (cell, status)
    return states


@dataclass(frozen=True, slots=True)
class Place:
    """A unit or tổ dân phố as the roster page lists it, deactivated ones included."""

    id: int
    code: str
    name: str
    note: str
    active: bool


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    name: str
    role: str
    place: str
    phone: str
    active: bool
    channels: tuple[str, ...]  # messenger platforms, "!" suffixed when the bot was blocked


async def roster_overview(s: AsyncSession) -> tuple[list[Place], list[Place], list[Member]]:
    """Units, tổ dân phố and people, active ones first: four statements."""
    units = [Place(u.id, u.code, u.name, u.note, u.active) for u in await s.scalars(
        select(Unit).order_by(Unit.active.desc(), Unit.code))]
    groups = [Place(g.id, g.code, g.name, g.note, g.active) for g in await s.scalars(
        select(ResidentialGroup).order_by(ResidentialGroup.active.desc(),
                                          ResidentialGroup.code))]
    names = {("u", p.id): p.name for p in units} | {("g", p.id): p.name for p in groups}
    channels: dict[int, list[str]] = {}
    for person_id, platform, blocked in await s.execute(
            select(Account.person_id, Account.platform, Account.blocked_at).order_by(Account.id)):
        channels.setdefault(person_id, []).append(platform + ("!" if blocked else ""))
    people = [Member(p.id, p.name, p.role,
                     names.get(("u", p.unit_id or 0)) or names.get(("g", p.group_id or 0), ""),
                     p.phone, p.active, tuple(channels.get(p.id, [])))
              for p in await s.scalars(select(Person).order_by(Person.active.desc(), Person.id))]
    return units, groups, people
