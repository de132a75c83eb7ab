"""Reporting rounds the officers manage: a closed round refuses every write, however named;
the next year's rounds and plan made without editing YAML (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest
from sqlalchemy import select

from bot.app import App
from bot.commands import main
from core.ports import FixedClock
from core.types import Platform, Role, Status
from scheduler.jobs import plan_reminders
from services import reports, rounds
from services.reminders import units_missing
from storage import plans, roster
from storage.entries import EntryDraft
from storage.models import Task
from storage.summary import period_summary
from tests.conftest import TZ
from tests.factories import Talk, make_person


async def close(app: App, code: str) -> None:
    async with app.deps.sessions.begin() as s:
        await rounds.set_closed(s, code, True, app.deps.clock.now())


async def test_a_closed_round_refuses_entries_typed_by_code(app: App, clock: FixedClock) -> None:
    # setup: a unit head mid-way through a report when the round is closed
    await make_person(app, Role.UNIT_HEAD, unit="VP", name="Trần Văn Ba",
                      platform=Platform.TELEGRAM, account="tg-vp")
    head = Talk(app, "tg-vp", Platform.TELEGRAM)
    await head.say("/baocao 9T-2025")
    await head.say("1")
    await close(app, "9T-2025")
    # execute
    await head.say("/baocao 9T-2025")
    typed = head.text
    await head.say("/baocao 9 thang nam 2025")
    by_title = head.text
    await head.say("/nop 9T-2025")
    submitting = head.text
    # verify
    for answer in (typed, by_title, submitting):
        assert "đã khóa" in answer and "phiên bản" not in answer
    async with app.deps.sessions() as s:
        from storage import entries
        period = await rounds.find_round(s, "9T-2025")
        standing = await entries.unit_standing(s, period.id, 2)
    assert standing.done == 0


async def test_a_round_closed_while_a_unit_confirms_saves_nothing(app: App) -> None:
    # setup: the report is at its confirm screen
    await make_person(app, Role.UNIT_HEAD, unit="VP", name="Trần Văn Ba",
                      platform=Platform.TELEGRAM, account="tg-vp")
    head = Talk(app, "tg-vp", Platform.TELEGRAM)
    for answer in ("/baocao 9T-2025", "1", "1", "1", "Đã tổ chức 2 hội nghị", "bo qua",
                   "bo qua", "bo qua"):
        await head.say(answer)
    await close(app, "9T-2025")
    # execute: "Lưu"
    await head.say("1")
    # verify
    assert "đã khóa" in head.text and "phiên bản" not in head.text


async def test_yearly_and_adhoc_rounds_are_added_once(app: App, clock: FixedClock) -> None:
    # setup
    clock.set(datetime(2026, 1, 5, 9, 0, tzinfo=TZ))
    async with app.deps.sessions.begin() as s:
        # execute
        first = await rounds.add_yearly_rounds(s, 2026)
        again = await rounds.add_yearly_rounds(s, 2026)
        adhoc = await rounds.add_adhoc_round(s, "Báo cáo đột xuất về GPMB", date(2026, 3, 15),
                                             date(2026, 1, 5))
        with pytest.raises(rounds.RoundRefused, match="đã qua"):
            await rounds.add_adhoc_round(s, "Quá hạn", date(2026, 1, 5), date(2026, 1, 5))
        listed = {p.code: p for p in await plans.all_periods(s)}
    # verify
    assert [p.code for p in first.added] == ["6T-2026", "9T-2026", "NAM-2026"]
    assert again.added == () and again.existing == ("6T-2026", "9T-2026", "NAM-2026")
    assert listed["6T-2026"].due_before == date(2026, 6, 1)
    assert listed["NAM-2026"].title == "năm 2026"
    assert adhoc.code == "DX1-2026" and listed["DX1-2026"].kind == "adhoc"
    assert rounds.round_name(listed["9T-2026"]) == "Báo cáo 9 tháng năm 2026"
    assert rounds.round_name(listed["DX1-2026"]) == "Báo cáo đột xuất về GPMB"
    # stored without its "Báo cáo": texts saying "Báo cáo {title}" must not say it twice
    assert listed["DX1-2026"].title == "đột xuất về GPMB"


def test_next_years_plan_from_the_command_line(tmp_path: object,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    # setup
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    assert main(["periods"]) == 0
    capsys.readouterr()
    # execute: the preview refused at the question, then confirmed with --yes
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("k\n"))
    declined = main(["new-year", "2026", "--number", "12/KH-UBND", "--date", "15/01/2026"])
    preview = capsys.readouterr().out
    done = main(["new-year", "2026", "--number", "12/KH-UBND", "--date", "15/01/2026",
                 "--yes"])
    created = capsys.readouterr().out
    again = main(["new-year", "2026", "--number", "12/KH-UBND", "--date", "15/01/2026",
                  "--yes"])
    refused = capsys.readouterr().err
    assert main(["periods"]) == 0
    listed = capsys.readouterr().out
    # verify
    assert declined == 1 and "23 nhiệm vụ" in preview and "Chưa tạo gì" in preview
    assert done == 0 and "Đã tạo kế hoạch 12/KH-UBND với 23 nhiệm vụ" in created
    assert again == 1 and "Đã có kế hoạch số 12/KH-UBND" in refused
    assert "NAM-2026" in listed and "6T-2026" in listed


async def test_a_2026_cycle_run_from_chat_only(app: App, clock: FixedClock) -> None:
    # setup: Tuesday 02/12/2025, after the 2025 annual deadline: the admins get digests
    clock.set(datetime(2025, 12, 2, 9, 0, tzinfo=TZ))
    await make_person(app, Role.ADMIN, unit="VHXH", name="Nguyễn Thị Hoa",
                      platform=Platform.TELEGRAM, account="tg-admin")
    await make_person(app, Role.UNIT_HEAD, unit="VP", name="Trần Văn Ba",
                      platform=Platform.TELEGRAM, account="tg-vp")
    admin, head = Talk(app, "tg-admin", Platform.TELEGRAM), Talk(app, "tg-vp", Platform.TELEGRAM)
    digests_before = await plan_reminders(app.deps)
    # execute: the admin copies the plan to 2026, then closes the 2025 rounds
    await admin.say("/kybaocao")
    await admin.say("ke hoach nam moi")  # the menu answered by its label, without diacritics
    await admin.say("12/KH-UBND 05/01/2026")
    preview = admin.text
    await admin.say("1")
    created = admin.text
    closed = []
    for name in ("Báo cáo năm 2025", "Báo cáo 9 tháng năm 2025"):
        await admin.say("/kybaocao")
        await admin.say("3")
        menu = [o.label for r in admin.replies for o in r.options]
        await admin.say(str(menu.index(name) + 1))
        closed.append(admin.text)
    clock.set(datetime(2025, 12, 3, 9, 0, tzinfo=TZ))
    digests_after = await plan_reminders(app.deps)
    # January 2026: the year's rounds are there; an ad-hoc round is added in chat
    clock.set(datetime(2026, 1, 5, 9, 0, tzinfo=TZ))
    await admin.say("/kybaocao")
    await admin.say("1")
    await admin.say("2026")
    rounds_again = admin.text
    for answer in ("/kybaocao", "2", "Báo cáo đột xuất về GPMB", "30/01/2026", "1.1", "VP"):
        await admin.say(answer)
    adhoc = admin.text
    # the unit head reports on the new rounds and is refused on the closed ones
    for answer in ("/baocao 6T-2026", "1", "1", "1", "Đã tổ chức hội nghị triển khai",
                   "bo qua", "bo qua", "bo qua", "1"):
        await head.say(answer)
    saved = head.text
    refused = []
    for typed in ("/baocao NAM-2025", "/baocao 9T-2025", "/nop NAM-2025"):
        await head.say(typed)
        refused.append(head.text)
    await head.say("/baocao")
    offered = [o.label for r in head.replies for o in r.options]
    # verify
    assert digests_before > 0 and digests_after == 0
    assert "23 nhiệm vụ" in preview and "6T-2026, 9T-2026, NAM-2026" in preview
    assert "Đã tạo kế hoạch 12/KH-UBND với 23 nhiệm vụ" in created
    assert "Đã khóa Báo cáo năm 2025 (NAM-2025)" in closed[0]
    assert "Đã khóa Báo cáo 9 tháng năm 2025 (9T-2025)" in closed[1]
    assert "đã có sẵn" in rounds_again
    assert "DX1-2026" in adhoc and "1.1" in adhoc
    assert "phiên bản 1" in saved and "1/23" in saved
    assert all("đã khóa" in answer and "phiên bản" not in answer for answer in refused)
    assert offered[:2] == ["Báo cáo đột xuất về GPMB", "Báo cáo 6 tháng năm 2026"]
    assert not any("2025" in label for label in offered)


async def test_menus_take_a_fragment_of_a_label_but_never_guess(app: App) -> None:
    # setup: a unit head with two open rounds on offer
    await make_person(app, Role.UNIT_HEAD, unit="VP", name="Trần Văn Ba",
                      platform=Platform.TELEGRAM, account="tg-vp")
    head = Talk(app, "tg-vp", Platform.TELEGRAM)
    # execute
    await head.say("/baocao")
    await head.say("nam 2025")  # both labels hold it; it covers "Báo cáo năm 2025" best
    annual = head.text
    await head.say("/baocao")
    await head.say("bao cao")  # in both labels equally: asked again
    ambiguous = head.text
    await head.say("9 thang")
    nine = head.text
    # verify
    assert "năm 2025" in annual and "Xin gõ số thứ tự" not in annual
    assert "Xin gõ số thứ tự" in ambiguous
    assert "9 tháng năm 2025" in nine and "Xin gõ số thứ tự" not in nine


async def test_reopening_asks_again_after_a_wrong_answer(app: App) -> None:
    # setup: a closed round and an admin
    await close(app, "9T-2025")
    await make_person(app, Role.ADMIN, unit="VHXH", name="Nguyễn Thị Hoa",
                      platform=Platform.TELEGRAM, account="tg-admin")
    admin = Talk(app, "tg-admin", Platform.TELEGRAM)
    # execute
    await admin.say("/moky")
    await admin.say("abc")
    again = admin.text
    await admin.say("1")
    # verify
    assert "Xin gõ số thứ tự" in again
    assert "Đã mở lại Báo cáo 9 tháng năm 2025 (9T-2025)" in admin.text


async def test_an_adhoc_round_asks_its_tasks_of_its_units_only(app: App) -> None:
    # setup: an admin adds "báo cáo đột xuất" for tasks 1.1 and 2.1 of VP and KTHTDT, in chat
    await make_person(app, Role.ADMIN, unit="VHXH", name="Nguyễn Thị Hoa", account="admin")
    vp_id, vp_account = await make_person(app, Role.UNIT_HEAD, unit="VP", account="vp")
    await make_person(app, Role.UNIT_HEAD, unit="TTSNC", account="ttsnc")
    admin, vp, ttsnc = Talk(app, "admin"), Talk(app, vp_account), Talk(app, "ttsnc")
    await admin.say("/kybaocao")
    await admin.say("2")
    await admin.say("Báo cáo đột xuất về công tác GPMB")
    await admin.say("01/12/2025")
    await admin.say("1.1, 9.9")
    unknown_task = admin.text
    await admin.say("1.1, 2.1")
    await admin.say("vp, KTHTDT")
    added = admin.text
    await admin.say("/tonghop")  # VHXH is not asked, but its admin compiles every round
    compiled = [o.label for o in admin.options]
    # execute: VP reports its two tasks and submits; TTSNC is not asked
    await vp.say("/baocao DX1-2025")
    sections = [o.label for o in vp.options]
    await ttsnc.say("/baocao")
    ttsnc_offered = [o.label for o in ttsnc.options]
    await ttsnc.say("/baocao DX1-2025")
    ttsnc_typed = ttsnc.text
    await vp.say("/nop DX1-2025")
    refused = vp.text
    async with app.deps.sessions.begin() as s:
        period = await rounds.find_round(s, "DX1-2025")
        unit = await roster.unit_by_code(s, "VP")
        assert unit is not None
        for task in await s.scalars(select(Task.id).where(Task.code.in_(("1.1", "2.1")))):
            await reports.save_entry(s, period, unit_id=unit.id, task_id=task, author_id=vp_id,
                                     draft=EntryDraft(Status.DONE.value, "Đã làm"),
                                     now=app.deps.clock.now())
    await vp.say("/tiendo DX1-2025")
    progress = vp.text
    await vp.say("/nop DX1-2025")
    await vp.say("1")
    submitted = vp.text
    async with app.deps.sessions() as s:
        summary = await period_summary(s, period.id)
        gaps, unit_count = await units_missing(s, period)
    # verify
    assert "9.9" in unknown_task and "Chưa thêm gì" in unknown_task
    assert "DX1-2025" in added and "1.1, 2.1" in added and "vp, KTHTDT" in added
    assert "Báo cáo đột xuất về công tác GPMB" in compiled
    assert len(sections) == 2 and all("(0/1)" in label for label in sections)
    assert "Báo cáo đột xuất về công tác GPMB" not in ttsnc_offered
    assert "không giao nhiệm vụ nào" in ttsnc_typed
    assert "0/2" in refused or "còn 2/2" in refused
    assert "2/2" in progress
    assert "đúng hạn" in submitted
    assert summary is not None and summary.task_count == 2
    assert [u.code for u in summary.units] == ["KTHTDT", "VP"]
    assert [u.code for u in summary.not_submitted] == ["KTHTDT"]
    assert unit_count == 2 and [g.name for g in gaps] == ["Phòng Kinh tế, Hạ tầng và Đô thị"]
    assert gaps[0].total_tasks == 2


def test_an_adhoc_round_with_a_subset_from_the_command_line(
        tmp_path: object, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    assert main(["periods"]) == 0
    capsys.readouterr()
    bad = main(["period", "add", "--adhoc", "Đột xuất GPMB", "--due", "01/12/2099",
                "--units", "VP,XYZ"])
    refused = capsys.readouterr().err
    done = main(["period", "add", "--adhoc", "Đột xuất GPMB", "--due", "01/12/2099",
                 "--tasks", "1.1,2.1", "--units", "VP"])
    added = capsys.readouterr().out
    assert main(["periods"]) == 0
    listed = capsys.readouterr().out
    assert bad == 1 and "XYZ" in refused and "Chưa thêm gì" in refused
    assert done == 0 and "DX1-2099" in added and "1.1, 2.1" in added and "VP" in added
    assert "DX1-2099" in listed and "nhiệm vụ: 1.1, 2.1; đơn vị: VP" in listed
    # the desk's audit log shows what the command line added, once (the refusal wrote nothing)
    with sqlite3.connect(f"{tmp_path}/cli.db") as db:
        actions = [row[0] for row in db.execute("SELECT action FROM audit_log")]
    assert actions.count("round_added") == 1
