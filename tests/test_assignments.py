"""Assignments (issue 15): a unit reports and submits only the tasks assigned to it, and every
count (/tiendo, /nop, reminders, /tonghop, exports) is over assignments. A task without any
assignment is every unit's."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import App
from bot.commands import main
from core.types import Role, Status
from services import assignments as service
from services.assignments import AssignmentRefused
from services.reminders import units_missing
from storage import assignments, entries, plans
from storage.entries import EntryDraft
from storage.models import Submission, Task, TaskAssignment, Unit
from storage.summary import period_summary
from tests.factories import Talk, make_person

FIVE = ("1.1", "1.2", "2.1", "3.1", "5.1")


async def assign(app: App, task: str, lead: str = "", join: str = "") -> None:
    async with app.deps.sessions.begin() as s:
        await service.set_units(s, task, service.parse_codes(lead), service.parse_codes(join))


async def task_codes(app: App) -> list[str]:
    async with app.deps.sessions() as s:
        return list(await s.scalars(select(Task.code).order_by(Task.position)))


async def five_for_kthtdt(app: App) -> None:
    """KTHTDT leads FIVE; VP leads every other task (KTHTDT joins none of them)."""
    for code in await task_codes(app):
        if code in FIVE:
            await assign(app, code, lead="KTHTDT", join="VP")
        else:
            await assign(app, code, lead="VP")


async def fill(app: App, unit_code: str, person_id: int, codes: tuple[str, ...]) -> int:
    async with app.deps.sessions.begin() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        unit = await s.scalar(select(Unit).where(Unit.code == unit_code))
        assert unit is not None
        for task in await s.scalars(select(Task).where(Task.code.in_(codes))):
            await entries.save_entry(s, period_id=period.id, unit_id=unit.id, task_id=task.id,
                                     draft=EntryDraft(Status.DONE.value, f"{unit_code} xong"),
                                     author_id=person_id, now=app.deps.clock.now())
        return period.id


async def test_without_assignments_every_unit_has_every_task(app: App) -> None:
    async with app.deps.sessions() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        plan = await assignments.plan_assignments(s, period.plan_id)
        unit = await s.scalar(select(Unit).where(Unit.code == "KTHTDT"))
        assert unit is not None
        assert len(plan.tasks_of(unit.id)) == 23
        assert (await entries.unit_standing(s, period.id, unit.id)).total == 23


async def test_a_unit_with_5_tasks_submits_after_5_entries_and_the_summary_counts_5(
        app: App) -> None:
    # setup
    await five_for_kthtdt(app)
    person, account = await make_person(app, Role.UNIT_HEAD, unit="KTHTDT")
    talk = Talk(app, account)
    period_id = await fill(app, "KTHTDT", person, FIVE[:4])
    await talk.say("/nop NAM-2025")
    assert "còn 1/5 nhiệm vụ" in talk.text and "5.1" in talk.text
    await fill(app, "KTHTDT", person, FIVE[4:])
    # execute
    await talk.say("/tiendo NAM-2025")
    progress = talk.text
    await talk.say("/nop NAM-2025")
    await talk.say("1")
    # verify
    assert "5/5" in progress
    assert "Đã nộp" in talk.text or "đúng hạn" in talk.text
    async with app.deps.sessions() as s:
        assert len(list(await s.scalars(select(Submission)))) == 1
        summary = await period_summary(s, period_id)
        assert summary is not None
        unit = next(u for u in summary.units if u.code == "KTHTDT")
        assert (unit.reported, unit.total, unit.submitted) == (5, 5, True)
        vp = next(u for u in summary.units if u.code == "VP")
        assert vp.total == 23  # leads 18, joins 5
        kthtdt_id = unit.unit_id
        assert (await entries.unit_standing(s, period_id, kthtdt_id)).total == 5
        other = next(u for u in summary.units if u.code == "TTSNC")
        assert other.total == 0 and other not in summary.not_submitted


async def test_the_task_menu_shows_only_assigned_tasks(app: App) -> None:
    # setup: 1.1 and 1.2 are VP's; every task of section 5 is VP's
    codes = await task_codes(app)
    for code in ("1.1", "1.2", *(c for c in codes if c.startswith("5."))):
        await assign(app, code, lead="VP")
    _, account = await make_person(app, Role.UNIT_HEAD, unit="KTHTDT")
    _, vp_account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk, vp = Talk(app, account), Talk(app, vp_account)
    # execute
    await talk.say("/baocao NAM-2025")
    sections = talk.options
    await vp.say("/baocao NAM-2025")
    vp_sections = vp.options
    await talk.say("1")
    tasks = [o.label for o in talk.options]
    # verify
    in_one = len([c for c in codes if c.startswith("1.")])
    assert f"(0/{in_one - 2})" in sections[0].label and f"(0/{in_one})" in vp_sections[0].label
    assert len(vp_sections) == len(sections) + 1  # section 5 is hidden from KTHTDT
    assert not any(" 1.1 " in f" {x} " for x in tasks) and not any("1.2" in x for x in tasks)
    assert any("1.3" in x for x in tasks)
    # a task not assigned cannot be picked by id either
    async with app.deps.sessions() as s:
        hidden = await s.scalar(select(Task.id).where(Task.code == "1.1"))
    await talk.press(f"t:{hidden}")
    assert "Nhiệm vụ 1.1:" not in talk.text


async def test_a_task_of_vp_only_is_not_missing_for_kthtdt_in_tonghop(app: App) -> None:
    # setup: 1.1 is VP's alone; VP reports everything and submits
    await assign(app, "1.1", lead="VP")
    person, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    period_id = await fill(app, "VP", person, tuple(await task_codes(app)))
    for answer in ("/nop NAM-2025", "1"):
        await Talk(app, account).say(answer)
    _, admin = await make_person(app, Role.ADMIN, unit="VHXH")
    # execute
    talk = Talk(app, admin)
    await talk.say("/tonghop")
    await talk.say("Báo cáo năm 2025")
    await talk.say("xem thêm")
    # verify: 5 active units; 1.1 counts VP only, 1.2 every unit
    assert "1.1: HT 1 · ĐTK 0 · CTK 0 · KPS 0 · chưa BC 0" in talk.text
    assert "1.2: HT 1 · ĐTK 0 · CTK 0 · KPS 0 · chưa BC 4" in talk.text
    async with app.deps.sessions() as s:
        summary = await period_summary(s, period_id)
        assert summary is not None
        task = await s.scalar(select(Task.id).where(Task.code == "1.1"))
        assert task is not None
        kthtdt = next(u for u in summary.units if u.code == "KTHTDT")
        assert not summary.is_assigned(task, kthtdt.unit_id)
        assert kthtdt.total == 22


async def test_reminders_skip_units_whose_assigned_tasks_are_done(app: App) -> None:
    # setup: KTHTDT has FIVE, VP the rest; nobody else has any task
    await five_for_kthtdt(app)
    person, _ = await make_person(app, Role.UNIT_HEAD, unit="KTHTDT")
    await fill(app, "KTHTDT", person, FIVE)
    async with app.deps.sessions() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        # execute
        gaps, _ = await units_missing(s, period)
    # verify: KTHTDT has nothing missing (only /nop left); units with no task are not nagged
    by_code = {g.name: g for g in gaps}
    kthtdt = next(g for g in gaps if "Kinh tế" in g.name)
    assert kthtdt.missing_codes == () and kthtdt.total_tasks == 5
    assert len(by_code) == 2  # KTHTDT and VP (VP's 23 tasks); TTSNC, TTPVHCC, VHXH none
    vp = next(g for g in gaps if g is not kthtdt)
    assert vp.total_tasks == 23
    # once KTHTDT submits, it is skipped altogether
    async with app.deps.sessions.begin() as s:
        unit = await s.scalar(select(Unit).where(Unit.code == "KTHTDT"))
        assert unit is not None
        await entries.submit(s, period_id=period.id, unit_id=unit.id, person_id=person,
                             now=app.deps.clock.now(), late=False)
    async with app.deps.sessions() as s:
        gaps, _ = await units_missing(s, period)
    assert [g.total_tasks for g in gaps] == [23]


async def test_unknown_codes_are_refused_and_nothing_is_saved(app: App) -> None:
    async with app.deps.sessions.begin() as s:
        with pytest.raises(AssignmentRefused, match="Không có đơn vị mã XYZ, ABC"):
            await service.set_units(s, "1.1", ["VP", "XYZ"], ["abc"])
        with pytest.raises(AssignmentRefused, match=r"Không có nhiệm vụ mã «9\.9»"):
            await service.set_units(s, "9.9", ["VP"], [])
        with pytest.raises(AssignmentRefused, match="Cần ít nhất một đơn vị"):
            await service.set_units(s, "1.1", [], [])
        assert list(await s.scalars(select(TaskAssignment))) == []


async def test_set_then_back_to_every_unit(app: App) -> None:
    async with app.deps.sessions.begin() as s:
        view = await service.set_units(s, "1.1", ["vp"], ["KTHTDT", "TTSNC", "VP"])
        assert service.units_text(view) == "chủ trì: VP; phối hợp: KTHTDT, TTSNC"
        view = await service.clear_units(s, "1.1")
        assert view.everyone
        assert list(await s.scalars(select(TaskAssignment))) == []


def test_cli_assign_list_and_refuse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    assert main(["assign", "1.1", "--lead", "VP", "--join", "KTHTDT,TTSNC"]) == 0
    assert "chủ trì: VP; phối hợp: KTHTDT, TTSNC" in capsys.readouterr().out
    assert main(["assign", "1.1", "--lead", "NOPE"]) == 1
    assert "Không có đơn vị mã NOPE" in capsys.readouterr().err
    assert main(["assignments"]) == 0
    out = capsys.readouterr().out
    assert "1.1 " in out and "chủ trì: VP" in out and "1.2 " in out and "mọi đơn vị" in out
    assert main(["assign", "1.1", "--all"]) == 0
    assert "giao lại cho mọi đơn vị" in capsys.readouterr().out


async def test_admin_assigns_in_chat_with_phancong(app: App) -> None:
    # setup
    _, admin = await make_person(app, Role.ADMIN, unit="VHXH")
    _, head = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, admin)
    # execute: the list, a task, wrong codes, then right ones
    await talk.say("/phancong")
    listed = talk.text
    assert "5.3 " not in listed and "… và 15 nhiệm vụ khác" in listed  # a phone's screen
    await talk.say("xem thêm")
    assert "5.3 " in talk.text  # the rest, and the step goes on
    await talk.say("1.1")
    shown = talk.text
    await talk.say("VP / XX")
    refused = talk.text
    await talk.say("vp / kthtdt, ttsnc")
    # verify
    assert "1.1 " in listed and "mọi đơn vị" in listed and "mã nhiệm vụ" in listed
    assert "Hiện nay: mọi đơn vị" in shown and "KTHTDT" in shown
    assert "Không có đơn vị mã XX" in refused
    assert "Đã phân công nhiệm vụ 1.1: chủ trì: VP; phối hợp: KTHTDT, TTSNC." in talk.text
    await talk.say("/phancong 1.1")
    assert "Hiện nay: chủ trì: VP; phối hợp: KTHTDT, TTSNC" in talk.text
    await talk.say("tat ca")
    assert "giao lại cho mọi đơn vị" in talk.text
    # a unit head may not
    unit_head = Talk(app, head)
    await unit_head.say("/phancong")
    assert "Đã phân công" not in unit_head.text and "Phân công nhiệm vụ" not in unit_head.text
    async with app.deps.sessions() as s:
        assert list(await s.scalars(select(TaskAssignment))) == []
