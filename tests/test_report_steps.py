"""The /baocao steps as a ward officer meets them (issue 18): the task named when saving, "Sửa
lại" keeping what was typed, text as evidence, a way back from the status step, short menus."""

from __future__ import annotations

from datetime import timedelta

from bot.app import App
from core import texts
from core.ports import FixedClock
from core.render import render_plain
from core.types import Role
from storage import entries, plans
from tests.factories import Talk, make_person


async def _to_confirm(talk: Talk) -> None:
    for answer in ("/baocao NAM-2025", "1", "3", "hoàn thành", "Đã tổ chức 2 hội nghị",
                   "Thiếu kinh phí", "bỏ qua", "bo qua"):
        await talk.say(answer)


async def test_confirm_screen_names_the_task_and_redo_keeps_every_answer(app: App) -> None:
    # setup
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await _to_confirm(talk)
    assert "báo cáo nhiệm vụ 1.3 trước khi lưu" in talk.text
    # execute: "Sửa lại", then keep each answer but the proposals
    await talk.say("sửa lại")
    assert "nhiệm vụ 1.3" in talk.text and "Hoàn thành" in talk.text
    await talk.say("giữ nội dung cũ")  # the status
    assert "Đã tổ chức 2 hội nghị" in talk.text
    await talk.say("giu noi dung cu")  # the result
    assert "Thiếu kinh phí" in talk.text
    await talk.say("1")  # the difficulties, kept
    await talk.say("Đề nghị bổ sung kinh phí")  # the proposals, typed now
    await talk.say("bỏ qua")  # no evidence
    # verify: nothing retyped was lost, and the task is still named
    assert "Đã tổ chức 2 hội nghị" in talk.text and "Thiếu kinh phí" in talk.text
    assert "Đề nghị bổ sung kinh phí" in talk.text and "nhiệm vụ 1.3" in talk.text
    await talk.say("lưu")
    assert "Đã lưu báo cáo nhiệm vụ 1.3" in talk.text
    async with app.deps.sessions() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        saved = list((await entries.unit_entries(s, period.id, 2)).values())
    assert [(e.status, e.result, e.difficulties) for e in saved] == [
        ("done", "Đã tổ chức 2 hội nghị", "Thiếu kinh phí")]


async def test_a_document_number_is_evidence(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    for answer in ("/baocao NAM-2025", "1", "3", "hoàn thành", "Đã tổ chức", "bỏ qua", "bỏ qua"):
        await talk.say(answer)
    await talk.say("7")  # a number that is no menu item is not taken as evidence
    assert "Đang chờ minh chứng" in talk.text
    await talk.say("Quyết định số 12/QĐ-UBND, https://vanban.example/12")
    assert "Minh chứng: Quyết định số 12/QĐ-UBND" in talk.text
    await talk.say("lưu")
    async with app.deps.sessions() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        saved = list((await entries.unit_entries(s, period.id, 2)).values())
    assert saved[0].evidence == ({"kind": "text",
                                  "text": "Quyết định số 12/QĐ-UBND, https://vanban.example/12"},)


async def test_status_step_goes_back_and_a_task_code_opens_its_task(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await talk.say("/baocao NAM-2025")
    await talk.say("1.2")  # a task's code at the section menu
    assert "Nhiệm vụ 1.2" in talk.text
    await talk.say("quay lai")
    assert "Chọn nhiệm vụ" in talk.text and any("1.3" in o.label for o in talk.options)


async def test_section_menu_fits_a_phone_screen(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await talk.say("/baocao NAM-2025")
    shown = render_plain(talk.replies[-1])
    assert len(shown) < 450, shown
    assert all(len(o.label) <= 70 for o in talk.options)
    # the section's whole title is one step on
    await talk.say("2")
    assert "chủ đề năm 2025 của thành phố" in talk.text


async def test_cancel_with_typed_answers_says_what_is_lost_and_what_next(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await _to_confirm(talk)
    await talk.say("3")  # the confirm screen's "Hủy"
    assert "1.3" in talk.text and "/baocao" in talk.text
    assert [o.id for o in talk.options] == ["cmd:baocao:NAM-2025", "cmd:tiendo:NAM-2025"]
    for answer in ("/baocao NAM-2025", "1", "3", "hoàn thành", "Đã làm"):
        await talk.say(answer)
    await talk.say("/huy")
    assert talk.text == texts.CANCELLED_UNSAVED.format(lost="kết quả của báo cáo nhiệm vụ 1.3")


async def test_expiry_says_what_typed_answers_were_lost(app: App, clock: FixedClock) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    for answer in ("/baocao NAM-2025", "1", "2", "hoàn thành", "Đã xây dựng kế hoạch"):
        await talk.say(answer)
    clock.advance(timedelta(hours=1))
    await talk.say("Thiếu kinh phí")
    assert talk.text == texts.DIALOG_EXPIRED_UNSAVED.format(
        lost="kết quả của báo cáo nhiệm vụ 1.2")
