"""Reporting rounds the officers manage: a closed round refuses every write, however named;
the next year's rounds and plan made without editing YAML (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.app import App
from bot.commands import main
from core.ports import FixedClock
from core.types import Platform, Role
from services import rounds
from storage import plans
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


def test_next_years_plan_from_the_command_line(tmp_path: object,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    # setup
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/cli.db")
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
    # setup: January 2026, an admin and a unit head on Telegram
    clock.set(datetime(2026, 1, 5, 9, 0, tzinfo=TZ))
    await make_person(app, Role.ADMIN, unit="VHXH", name="Nguyễn Thị Hoa",
                      platform=Platform.TELEGRAM, account="tg-admin")
    await make_person(app, Role.UNIT_HEAD, unit="VP", name="Trần Văn Ba",
                      platform=Platform.TELEGRAM, account="tg-vp")
    admin, head = Talk(app, "tg-admin", Platform.TELEGRAM), Talk(app, "tg-vp", Platform.TELEGRAM)
    # execute: the admin copies the plan to 2026 and closes the 2025 annual round
    await admin.say("/kybaocao")
    await admin.say("ke hoach nam moi")  # the menu answered by its label, without diacritics
    await admin.say("12/KH-UBND 15/01/2026")
    preview = admin.text
    await admin.say("1")
    created = admin.text
    await admin.say("/kybaocao")
    await admin.say("3")
    menu = [o.label for r in admin.replies for o in r.options]
    await admin.say(str(menu.index("Báo cáo năm 2025") + 1))
    closed = admin.text
    # the unit head reports on the new round and is refused on the closed one
    for answer in ("/baocao 6T-2026", "1", "1", "1", "Đã tổ chức hội nghị triển khai",
                   "bo qua", "bo qua", "bo qua", "1"):
        await head.say(answer)
    saved = head.text
    await head.say("/baocao NAM-2025")
    refused = head.text
    await head.say("/baocao")
    offered = [o.label for r in head.replies for o in r.options]
    # verify
    assert "23 nhiệm vụ" in preview and "6T-2026, 9T-2026, NAM-2026" in preview
    assert "Đã tạo kế hoạch 12/KH-UBND với 23 nhiệm vụ" in created
    assert "Đã khóa Báo cáo năm 2025 (NAM-2025)" in closed
    assert "phiên bản 1" in saved and "1/23" in saved
    assert "đã khóa" in refused
    assert offered[0] == "Báo cáo 6 tháng năm 2026" and "Báo cáo năm 2025" not in offered


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
