"""Restart mid-conversation, hostile input, stale and forged choices, dialog expiry."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.app import App, open_app
from core import texts
from core.ports import FixedClock
from core.settings import Settings
from core.types import Platform, Role
from storage.models import Entry, EntryVersion
from tests.factories import Talk, make_person


async def entry_count(app: App) -> int:
    async with app.deps.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(Entry)) or 0)


async def to_result_step(talk: Talk) -> None:
    for answer in ("/baocao NAM-2025", "1", "1", "hoàn thành"):
        await talk.say(answer)
    assert "Kết quả thực hiện" in talk.text


async def test_restart_in_the_middle_continues_at_the_same_step(
        app: App, settings: Settings, clock: FixedClock) -> None:
    # setup
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    await to_result_step(Talk(app, account))
    await app.close()
    # execute: a new engine on the same database (as after a restart or on another process)
    second = await open_app(settings, clock)
    try:
        talk = Talk(second, account)
        await talk.say("Đã quán triệt cho 45 cán bộ")
        await talk.say("bỏ qua")
        await talk.say("bỏ qua")
        await talk.say("bỏ qua")
        await talk.say("lưu")
        # verify
        assert "phiên bản 1" in talk.text
        assert await entry_count(second) == 1
    finally:
        await second.close()


async def test_hostile_text_changes_nothing(app: App) -> None:
    # setup
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    # execute / verify
    await talk.say("x" * 4001)
    assert "quá dài" in talk.text
    await talk.say("'; DROP TABLE entries; --")
    assert talk.text == texts.DONT_UNDERSTAND
    await talk.say("/xoadulieu")
    assert "Không có lệnh /xoadulieu" in talk.text
    await talk.say("🤖🤖🤖")
    assert talk.text == texts.DONT_UNDERSTAND
    await to_result_step(talk)
    await talk.say("\x00\x07\u202e")  # only control characters: nothing left to save
    assert "bắt buộc" in talk.text
    await talk.say("Kết quả'); DELETE FROM entries;--\x07")
    assert "Khó khăn" in talk.text
    assert await entry_count(app) == 0


async def test_number_outside_the_menu_and_forged_ids(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await talk.say("/baocao NAM-2025")
    await talk.say("99")
    assert "từ 1 đến 5" in talk.text
    before = talk.options
    await talk.press("sec:999999")  # an id that is not on the menu shown
    assert talk.text == texts.STALE_CHOICE and talk.options == before
    await talk.press(before[0].id)  # the real button still works
    assert "Chọn nhiệm vụ" in talk.text
    await talk.press("t:999999")  # a task id of another section / plan
    assert talk.text.startswith(texts.STALE_CHOICE)
    assert await entry_count(app) == 0


async def test_a_unit_head_writes_only_their_own_unit(app: App) -> None:
    # setup: two units' heads
    _, first = await make_person(app, Role.UNIT_HEAD, unit="VP")
    _, second = await make_person(app, Role.UNIT_HEAD, unit="TTSNC")
    talk = Talk(app, first)
    await to_result_step(talk)
    for answer in ("Kết quả VP", "bỏ qua", "bỏ qua", "bỏ qua", "lưu"):
        await talk.say(answer)
    # execute: the other head's progress is untouched
    other = Talk(app, second)
    await other.say("/tiendo NAM-2025")
    # verify
    assert "0/23" in other.text
    async with app.deps.sessions() as s:
        units = list(await s.scalars(select(Entry.unit_id)))
    assert len(units) == 1


async def test_command_in_the_middle_of_a_flow(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await to_result_step(talk)
    await talk.say("/tiendo")  # a quick look keeps the flow
    assert "Tiến độ" in talk.text and texts.FLOW_CONTINUES in talk.text
    await talk.say("Vẫn tiếp tục được")
    assert "Khó khăn" in talk.text
    await talk.say("/nop")  # another flow would drop the typed result: asked first
    assert "kết quả của báo cáo nhiệm vụ 1.1" in talk.text and "chưa được lưu" in talk.text
    await talk.say("2")  # keep typing: the step's own menu is back
    assert texts.FLOW_RESUMED in talk.text and [o.label for o in talk.options] == ["Bỏ qua"]
    await talk.say("Thiếu người")
    assert "Đề xuất" in talk.text
    await talk.say("/nop")
    assert "kết quả, khó khăn của báo cáo" in talk.text
    await talk.say("1")  # leave it: the new flow starts, and says what was dropped
    assert texts.FLOW_DROPPED in talk.text and "Nộp báo cáo" in talk.text


async def test_leaving_a_flow_where_nothing_was_typed_says_so(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await talk.say("/baocao NAM-2025")
    await talk.say("1")
    await talk.say("/nop")
    assert texts.FLOW_REPLACED in talk.text and "chưa được lưu" not in talk.text
    await talk.say("/huy")
    assert talk.text == texts.CANCELLED


async def test_cancel_and_expiry(app: App, clock: FixedClock) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    await to_result_step(talk)
    await talk.say("hủy")
    assert talk.text == texts.CANCELLED
    await talk.say("huy")
    assert talk.text == texts.NOTHING_TO_CANCEL
    await to_result_step(talk)
    clock.advance(timedelta(minutes=31))
    await talk.say("Kết quả muộn")
    assert texts.DIALOG_EXPIRED in talk.text
    async with app.deps.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(EntryVersion)) == 0


async def test_duplicate_update_is_processed_once(app: App) -> None:
    _, account = await make_person(app, Role.UNIT_HEAD, unit="VP")
    talk = Talk(app, account)
    first = await talk.say("/tiendo", native_id="42")
    again = await talk.say("/tiendo", native_id="42")
    assert first and again == []


async def test_typos_and_two_word_commands_get_somewhere(app: App) -> None:
    # setup
    await make_person(app, Role.UNIT_HEAD, unit="VP", name="Trần Văn Ba",
                      platform=Platform.TELEGRAM, account="tg-vp")
    head = Talk(app, "tg-vp", Platform.TELEGRAM)
    # execute
    await head.say("/bao cao")
    two_words = head.text
    await head.say("/huy")
    await head.say("/baocoa")
    typo = head.text
    await head.say("tien dooo")
    slashless_typo = head.text
    # verify
    assert "báo cáo cho kỳ nào" in two_words
    assert "Không có lệnh" not in two_words
    assert "Có phải đồng chí muốn gõ /baocao?" in typo
    assert "/tiendo" in slashless_typo


async def test_an_expired_dialog_says_what_to_do_once(app: App, clock: FixedClock) -> None:
    # setup: a report started, then left for longer than the dialog timeout
    await make_person(app, Role.UNIT_HEAD, unit="VP", name="Trần Văn Ba",
                      platform=Platform.TELEGRAM, account="tg-vp")
    head = Talk(app, "tg-vp", Platform.TELEGRAM)
    await head.say("/baocao 9T-2025")
    clock.advance(timedelta(hours=2))
    # execute: the answer to the old menu
    await head.say("1")
    # verify: the expiry note with the way on, and no "not understood" after it
    assert texts.DIALOG_EXPIRED in head.text
    assert texts.DONT_UNDERSTAND not in head.text and len(head.replies) == 1
