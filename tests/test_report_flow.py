"""The unit-head report conversation end to end through the engine (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.app import App
from core.types import Role
from storage import entries
from storage.models import EntryVersion
from tests.factories import Talk, make_person


async def report_task(talk: Talk, section: str, task: str, status: str, result: str | None,
                      difficulties: str = "bỏ qua", proposals: str = "bỏ qua") -> None:
    await talk.say("/baocao NAM-2025")
    await talk.say(section)
    await talk.say(task)
    await talk.say(status)
    if result is not None:
        await talk.say(result)
        await talk.say(difficulties)
        await talk.say(proposals)
        await talk.say("bo qua")
    await talk.say("luu")


async def test_whole_report_by_numbers_and_typed_labels(app: App) -> None:
    # setup
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    # execute
    await talk.say("bao cao")
    assert "kỳ nào" in talk.text
    await talk.say("1")  # the default (annual 2025) round comes first
    assert "0/23" in talk.text
    await talk.say("1")  # section 1
    await talk.say("2")  # task 1.2
    assert "Nhiệm vụ 1.2" in talk.text
    await talk.say("dang trien khai")  # typed label without diacritics
    await talk.say("Đã xây dựng kế hoạch số 12/KH-VP")
    await talk.say("Thiếu kinh phí")
    await talk.say("bỏ qua")
    await talk.say("bo qua")
    assert "Xin kiểm tra lại" in talk.text and "Thiếu kinh phí" in talk.text
    await talk.say("1")
    # verify
    assert "phiên bản 1" in talk.text and "1/23" in talk.text
    async with app.deps.sessions() as s:
        periods = {p.code: p.id for p in await __import__("storage.plans").plans.all_periods(s)}
        saved = await entries.unit_entries(s, periods["NAM-2025"], 2)
    assert [e.status for e in saved.values()] == ["in_progress"]
    assert next(iter(saved.values())).difficulties == "Thiếu kinh phí"


async def test_editing_keeps_every_version(app: App) -> None:
    # setup
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await report_task(talk, "1", "1", "2", "Lần đầu")
    # execute
    await report_task(talk, "1", "1", "3", "Đã hoàn thành")
    # verify
    assert "phiên bản 2" in talk.text
    async with app.deps.sessions() as s:
        count = await s.scalar(select(func.count()).select_from(EntryVersion))
        results = list(await s.scalars(select(EntryVersion.result).order_by(EntryVersion.version)))
    assert count == 2 and results == ["Lần đầu", "Đã hoàn thành"]


async def test_not_applicable_needs_no_result(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await report_task(talk, "2", "3", "khong phat sinh", None)
    assert "phiên bản 1" in talk.text


async def test_result_is_required(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    for answer in ("/baocao NAM-2025", "1", "1", "3"):
        await talk.say(answer)
    await talk.say("😀👍")
    assert "bắt buộc" in talk.text
    await talk.say("Đã quán triệt đến 100% cán bộ")
    assert "Khó khăn" in talk.text


async def test_a_task_is_chosen_by_typing_its_code(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    for answer in ("/baocao NAM-2025", "Mục 2"):
        await talk.say(answer)
    await talk.say("2.3")
    assert "Nhiệm vụ 2.3" in talk.text
