"""Reads for the web desk's round page: the state of every (unit, task) cell of a period.

One statement whatever the number of units; the rest of the page comes from period_summary."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, and_, bindparam, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Account,
    Dialog,
    Entry,
    Person,
    ResidentialGroup,
    Unit,
    table_of,
)


class Cell(StrEnum):
    SUBMITTED = "submitted"  # the current version is the one the unit's /nop froze
    EDITED = "edited"  # submitted, then changed: the change waits for a new /nop
    DRAFT = "draft"  # entered, never submitted
    MISSING = "missing"  # no entry


# Built once, on the table. One row per unit, its cells joined into one string by the database
# ("task=state:status,…"): at city scale a page has 115,000 cells, and reading them as rows
# cost three times as much as splitting 5,000 strings.
_E = table_of(Entry).c
_STATE = case((_E.submitted_version.is_(None), Cell.DRAFT.value),
              (_E.submitted_version == _E.version, Cell.SUBMITTED.value),
              else_=Cell.EDITED.value)
_CELLS = (select(_E.unit_id, func.aggregate_strings(
    cast(_E.task_id, String) + "=" + _STATE + ":" + _E.status, ","))
    .where(_E.period_id == bindparam("period_id")).group_by(_E.unit_id))
_CELLS_OF = _CELLS.where(_E.unit_id.in_(bindparam("unit_ids", expanding=True)))
_STATES = {c.value: c for c in Cell}


async def cell_states(s: AsyncSession, period_id: int, unit_ids: Collection[int] | None = None,
                      ) -> dict[tuple[int, int], tuple[Cell, str]]:
    """(unit id, task id) → (the cell's state, the entry's current status), of every unit or
    of `unit_ids` (one page of the matrix); absent: missing. One statement."""
    states, found = _STATES, {}
    rows = await (s.execute(_CELLS, {"period_id": period_id}) if unit_ids is None else
                  s.execute(_CELLS_OF, {"period_id": period_id, "unit_ids": list(unit_ids)}))
    for unit, joined in rows:
        for item in joined.split(","):
            task, _, rest = item.partition("=")
            cell, _, status = rest.partition(":")
            found[(unit, int(task))] = (states[cell], status)
    return found


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
    last_seen: datetime | None  # the latest conversation step on any of their chats


async def roster_overview(s: AsyncSession) -> tuple[list[Place], list[Place], list[Member]]:
    """Units, tổ dân phố and people, active ones first: four statements."""
    units = [Place(u.id, u.code, u.name, u.note, u.active) for u in await s.scalars(
        select(Unit).order_by(Unit.active.desc(), Unit.code))]
    groups = [Place(g.id, g.code, g.name, g.note, g.active) for g in await s.scalars(
        select(ResidentialGroup).order_by(ResidentialGroup.active.desc(),
                                          ResidentialGroup.code))]
    names = {("u", p.id): p.name for p in units} | {("g", p.id): p.name for p in groups}
    channels: dict[int, list[str]] = {}
    seen: dict[int, datetime] = {}
    for person_id, platform, blocked, last in await s.execute(
            select(Account.person_id, Account.platform, Account.blocked_at, Dialog.updated_at)
            .outerjoin(Dialog, and_(Dialog.platform == Account.platform,
                                    Dialog.chat_id == Account.chat_id))
            .order_by(Account.id)):
        channels.setdefault(person_id, []).append(platform + ("!" if blocked else ""))
        if last is not None and (person_id not in seen or last > seen[person_id]):
            seen[person_id] = last
    people = [Member(p.id, p.name, p.role,
                     names.get(("u", p.unit_id or 0)) or names.get(("g", p.group_id or 0), ""),
                     p.phone, p.active, tuple(channels.get(p.id, [])), seen.get(p.id))
              for p in await s.scalars(select(Person).order_by(Person.active.desc(), Person.id))]
    return units, groups, people
