"""Isolation (issue 19): the admin, a unit head and a tổ trưởng of one ward walk every chat
command, and the CLI is run with --ward, while another ward holds marked data: nothing of the
other ward appears in any answer or menu, and nothing of it changes."""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select, update

from bot.app import App
from core.types import Role
from storage import broadcasts, entries
from storage.calendar import set_override
from storage.models import (
    Broadcast,
    CalendarOverride,
    Entry,
    Invite,
    Period,
    Person,
    ReportSection,
    ResidentialGroup,
    Submission,
    Unit,
    WardReport,
)
from storage.scoping import use_ward
from tests.conftest import TZ
from tests.factories import Talk
from tests.test_cli import run_cli
from tests.ward_helpers import FIRST, add_ward, fill, period_id, person_in, write_parts

MARK = "ALPHA"
SNAPSHOT: tuple[Any, ...] = (
    (Unit, ("id", "name", "active", "note")), (ResidentialGroup, ("id", "name", "active")),
    (Person, ("id", "name", "role", "active", "unit_id", "group_id")),
    (Entry, ("id", "version", "status", "result", "submitted_version")),
    (Submission, ("id", "late")), (ReportSection, ("id", "text")),
    (Broadcast, ("id", "status", "text", "run_no")), (CalendarOverride, ("id", "day", "kind")),
    (Period, ("id", "closed_at", "due_before")), (Invite, ("id", "used_at")),
    (WardReport, ("id",)))


async def _mark_first_ward(app: App) -> None:
    """Ward 1 gets people, a submitted report, its parts, a broadcast and a day off, every
    name and text carrying MARK."""
    head, _ = await person_in(app, FIRST, Role.UNIT_HEAD, unit="VP", name=f"{MARK} Trưởng")
    admin, _ = await person_in(app, FIRST, Role.ADMIN, name=f"{MARK} Quản trị")
    await person_in(app, FIRST, Role.GROUP_LEADER, group="TDP01", name=f"{MARK} Tổ trưởng")
    await fill(app, FIRST, "VP", head, result=MARK)
    pid = await period_id(app, FIRST)
    now = app.deps.clock.now()
    async with app.deps.sessions.begin() as s:
        use_ward(s, FIRST)
        await s.execute(update(Unit).values(name=MARK + " " + Unit.name))
        await s.execute(update(ResidentialGroup).values(name=MARK + " " + ResidentialGroup.name))
        unit = await s.scalar(select(Unit).where(Unit.code == "VP"))
        assert unit is not None
        await entries.submit(s, period_id=pid, unit_id=unit.id, person_id=head, now=now,
                             late=False)
        row = await broadcasts.create(s, text=f"{MARK} thông báo họp", audience="all_groups",
                                      group_ids=[], created_by=admin, now=now)
        row.status, row.send_at = "scheduled", datetime(2025, 11, 20, 8, 0, tzinfo=TZ)
        row.next_run_at = row.send_at
        await set_override(s, date(2025, 11, 21), "off", f"{MARK} nghỉ")
    await write_parts(app, FIRST, admin, marker=MARK)


async def _snapshot(app: App) -> dict[str, list[tuple[Any, ...]]]:
    async with app.deps.sessions() as s:
        use_ward(s, FIRST)
        return {model.__name__: [tuple(getattr(r, c) for c in columns)
                                 for r in await s.scalars(select(model).order_by(model.id))]
                for model, columns in SNAPSHOT}


async def _walk(app: App, talk: Talk) -> list[str]:
    """Every command, then the first choice of each menu up to three deep."""
    seen: list[str] = []
    for name in sorted(app.core.router.commands):
        await talk.say("/huy")
        await talk.say(f"/{name}")
        seen += [r.text for r in talk.replies] + [o.label for o in talk.options]
        for _ in range(3):
            if not talk.options:
                break
            await talk.press(talk.options[0].id)
            seen += [r.text for r in talk.replies] + [o.label for o in talk.options]
    return seen


async def test_no_command_of_one_ward_reaches_another(app: App) -> None:
    # setup
    second = await add_ward(app)
    await _mark_first_ward(app)
    before = await _snapshot(app)
    assert all(before[name] for name in ("Unit", "Person", "Entry", "Broadcast",
                                         "ReportSection", "CalendarOverride"))
    walkers = [await person_in(app, second, Role.ADMIN, unit="VHXH", name="Quản trị B"),
               await person_in(app, second, Role.UNIT_HEAD, unit="VP", name="Trưởng B"),
               await person_in(app, second, Role.GROUP_LEADER, group="TDP01", name="Tổ B")]
    # execute
    seen = []
    for _, account in walkers:
        seen += await _walk(app, Talk(app, account))
    # verify: nothing of the first ward shown, nothing of it changed
    leaks = [text for text in seen if MARK in text]
    assert leaks == []
    assert len(seen) > 100  # the walk did go through the commands
    assert await _snapshot(app) == before


async def test_the_cli_with_ward_shows_only_that_ward(app: App, tmp_path: Path) -> None:
    # setup
    await add_ward(app)
    await _mark_first_ward(app)
    env = {"DATABASE_URL": app.settings.database_url}
    # execute
    results = {args[0]: await asyncio.to_thread(run_cli, [*args, "--ward", "DOSON"], tmp_path,
                                                env=env)
               for args in (["units"], ["people"], ["periods"], ["schedule"],
                            ["export", "--period", "NAM-2025", "--format", "xlsx", "--out",
                             str(tmp_path / "b.xlsx")])}
    unscoped = await asyncio.to_thread(run_cli, ["units"], tmp_path, env=env)
    wrong = await asyncio.to_thread(run_cli, ["units", "--ward", "NOPE"], tmp_path, env=env)
    # verify
    for name, result in results.items():
        assert result.returncode == 0, (name, result.stderr)
        assert MARK not in result.stdout, name
    assert "Phòng Văn hóa" in results["units"].stdout
    book = load_workbook(tmp_path / "b.xlsx", read_only=True)
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for c in row if c is not None]
    book.close()
    assert cells and not [c for c in cells if MARK in c]
    names = [c.casefold() for c in cells]
    assert any("đồ sơn" in c for c in names)  # the ward's own name heads it, not the other's
    assert not any("nam đồ sơn" in c for c in names)
    assert unscoped.returncode == 2 and "--ward" in unscoped.stderr and "DOSON" in unscoped.stderr
    assert wrong.returncode == 2 and "NOPE" in wrong.stderr and "NAM-DO-SON" in wrong.stderr
