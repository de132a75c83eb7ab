"""Two wards on one deployment, for the ward tests (issue 19)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.app import App
from core.types import ChatRef, Platform, Role, Status
from services import invites as invite_service
from services import report_sections
from services import wards as ward_service
from storage import entries, plans, roster
from storage.entries import EntryDraft
from storage.models import Person, Task, Unit
from storage.scoping import use_ward
from tests.factories import Talk

FIRST = 1  # the ward every database has


async def add_ward(app: App, code: str = "DOSON", name: str = "Đồ Sơn") -> int:
    async with app.deps.sessions.begin() as s:
        return (await ward_service.add(s, code, name, "phuong", app.deps.clock.now())).id


async def person_in(app: App, ward_id: int, role: Role, *, unit: str | None = None,
                    group: str | None = None, name: str = "",
                    platform: Platform = Platform.SHELL) -> tuple[int, str]:
    """A registered person of the ward with one account (shell unless `platform` says
    otherwise); returns (person id, account)."""
    now = app.deps.clock.now()
    async with app.deps.sessions.begin() as s:
        use_ward(s, ward_id)
        unit_row = await roster.unit_by_code(s, unit) if unit else None
        group_row = await roster.group_by_code(s, group) if group else None
        person = Person(name=name or f"{role.value} {ward_id}", role=role.value,
                        unit_id=unit_row.id if unit_row else None,
                        group_id=group_row.id if group_row else None, created_at=now)
        s.add(person)
        await s.flush()
        account = f"w{ward_id}-{role.value}-{person.id}"
        await roster.bind_account(s, person.id, ChatRef(platform, account), account,
                                  person.name, now)
        return person.id, account


async def city_invite(app: App, days: int = 7) -> str:
    """A city user's invite code, made as `invite --role city` makes it."""
    async with app.deps.sessions.begin() as s:
        new = await invite_service.invite_one(s, role=Role.CITY.value, now=app.deps.clock.now(),
                                              ttl=timedelta(days=days), name="Cán bộ Sở Nội vụ")
    return new.code


async def period_id(app: App, ward_id: int, code: str = "NAM-2025") -> int:
    async with app.deps.sessions() as s:
        use_ward(s, ward_id)
        return next(p.id for p in await plans.all_periods(s) if p.code == code)


async def fill(app: App, ward_id: int, unit_code: str, person_id: int, *,
               result: str = "đã thực hiện") -> None:
    """Answer every task of the ward's annual 2025 round for one of its units."""
    pid = await period_id(app, ward_id)
    async with app.deps.sessions.begin() as s:
        use_ward(s, ward_id)
        unit = await s.scalar(select(Unit).where(Unit.code == unit_code))
        assert unit is not None
        for task in await s.scalars(select(Task).order_by(Task.position)):
            draft = EntryDraft(Status.DONE.value, f"{unit.name} {result} {task.code}", "", "")
            await entries.save_entry(s, period_id=pid, unit_id=unit.id, task_id=task.id,
                                     draft=draft, author_id=person_id, now=app.deps.clock.now())


async def submitted_unit(app: App, ward_id: int, unit: str = "VP") -> int:
    """A head of the ward's unit answers every task of NAM-2025 and submits it through chat;
    returns the head's person id."""
    head, account = await person_in(app, ward_id, Role.UNIT_HEAD, unit=unit)
    await fill(app, ward_id, unit, head)
    talk = Talk(app, account)
    await talk.say("/nop NAM-2025")
    await talk.say("nop")
    return head


async def write_parts(app: App, ward_id: int, author_id: int, marker: str = "") -> None:
    pid = await period_id(app, ward_id)
    async with app.deps.sessions.begin() as s:
        use_ward(s, ward_id)
        await report_sections.save_parts(
            s, period_id=pid, author_id=author_id, now=app.deps.clock.now(),
            parts={key: f"{marker}Nội dung phần {key}" for key in report_sections.TEXT_KEYS})
