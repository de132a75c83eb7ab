"""The web desk's test setup: a round with every kind of cell and hostile text, people with
their sign-in links, and the desk served on a loopback port."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiohttp.test_utils import TestServer

from bot.app import App
from bot.desk import mount_desk
from bot.web import build_web_app
from core.types import Role, Status
from services.web_access import create_login_link
from storage import entries, plans, roster
from storage.entries import EntryDraft
from storage.models import Unit
from tests.factories import make_person

HOSTILE_UNIT = "<script>alert('unit')</script> Ban Ác"
HOSTILE_TEXT = "<img src=x onerror=alert(1)> kết quả"


@dataclass(frozen=True)
class Round:
    period_id: int
    units: dict[str, int]
    admin: int
    head: int  # unit head of VP
    leader: int  # a tổ trưởng


async def seed_round(app: App) -> Round:
    """NAM-2025: VP submitted on time (1.1), then edited 1.2 after submitting; VHXH a draft
    with hostile text; a unit whose name is a script; the rest missing."""
    admin, _ = await make_person(app, Role.ADMIN, name="Trần Quản Trị")
    head, _ = await make_person(app, Role.UNIT_HEAD, unit="VP", name="Lê Thị Hoa")
    vhxh_head, _ = await make_person(app, Role.UNIT_HEAD, unit="VHXH")
    leader, _ = await make_person(app, Role.GROUP_LEADER, name="Tổ Trưởng Một")
    now = app.deps.clock.now()
    async with app.deps.sessions.begin() as s:
        s.add(Unit(code="XSS", name=HOSTILE_UNIT))
        await s.flush()
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        outline = await plans.plan_outline(s, period.plan_id)
        task = {t.code: t.id for sec in outline for t in sec.tasks}
        units = {u.code: u.id for u in await roster.list_units(s)}
        for unit, code, draft, author in (
            ("VP", "1.1", EntryDraft(Status.DONE, "Đã tổ chức 2 hội nghị"), head),
            ("VP", "1.2", EntryDraft(Status.IN_PROGRESS, "Đang dự thảo"), head),
            ("VHXH", "1.1", EntryDraft(Status.DONE, HOSTILE_TEXT), vhxh_head),
        ):
            await entries.save_entry(s, period_id=period.id, unit_id=units[unit],
                                     task_id=task[code], draft=draft, author_id=author, now=now)
        await entries.submit(s, period_id=period.id, unit_id=units["VP"], person_id=head,
                             now=now, late=False)
        await entries.save_entry(s, period_id=period.id, unit_id=units["VP"], task_id=task["1.2"],
                                 draft=EntryDraft(Status.DONE, "Đã ban hành"), author_id=head,
                                 now=now)
    return Round(period.id, units, admin, head, leader)


async def login_path(app: App, person_id: int) -> str:
    async with app.deps.sessions.begin() as s:
        link = await create_login_link(s, person_id, app.deps.clock.now())
    assert link is not None
    return link.path


def desk_server(app: App) -> TestServer:
    web_app = build_web_app(app.deps, ())
    mount_desk(web_app, app.deps)
    return TestServer(web_app, host="127.0.0.1")


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found is not None, html
    return found.group(1)
