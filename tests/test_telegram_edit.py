"""A button press edits the pressed menu into the next step (one step, one message), through the
real PTB stack and the fake Bot API; a refused edit falls back to a new message, once."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.ports import FixedClock
from core.texts import telegram as t
from core.types import ChatRef, Option, Platform, Reply, Role
from storage import entries, plans, roster
from tests.factories import make_person
from tests.fake_telegram import FakeTelegram
from tests.telegram_harness import Bench, TgUser, fake, open_bench

__all__ = ["fake"]  # fixture used by the tests below
CHAT = 5560001


async def unit_head(bench: Bench) -> TgUser:
    await make_person(bench.app, Role.UNIT_HEAD, unit="VP", platform=Platform.TELEGRAM,
                      account=str(CHAT))
    return TgUser(bench, CHAT)


def sends(fake: FakeTelegram) -> int:
    return len(fake.calls_of("sendMessage"))


async def test_a_menu_step_by_button_costs_one_edit_and_no_new_message(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: the section menu is shown
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling")
    try:
        user = await unit_head(bench)
        assert "Chọn mục" in await user.say("/baocao NAM-2025")
        (menu,) = fake.sent[CHAT]
        sent_before = sends(fake)
        # execute
        answer = await user.press("Mục 1 ")
        # verify: one editMessageText of that very message, nothing sent
        assert sends(fake) == sent_before and len(fake.sent[CHAT]) == 1
        (edit,) = fake.calls_of("editMessageText")
        assert edit.status == 200 and edit.params["message_id"] == menu["message_id"]
        # the edited message notes the choice and carries the next step's buttons
        assert menu["text"].startswith(t.CHOSEN_STEP.format(label="Mục 1"))
        assert answer == menu["text"] and "\n\nMục 1. " in answer
        assert any(" 1.2 " in label for label in user.labels())
        assert fake.calls_of("editMessageReplyMarkup") == []
    finally:
        await bench.close()


@pytest.mark.parametrize("description", ["Bad Request: message can't be edited",
                                         "Bad Request: message is not modified",
                                         "Bad Request: message to edit not found"])
async def test_a_refused_edit_falls_back_to_one_new_message(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock,
        description: str) -> None:
    # setup: the section menu is shown; Telegram will refuse to edit it into the next step
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling")
    try:
        user = await unit_head(bench)
        await user.say("/baocao NAM-2025")
        (menu,) = fake.sent[CHAT]
        fake.fail("editMessageText", 400, description)
        # execute
        await user.press("Mục 1 ")
        # verify: the next step came once, as a new message with the buttons
        assert len(fake.sent[CHAT]) == 2
        steps = [text for text in fake.texts(CHAT) if text.startswith("Mục 1. ")]
        assert len(steps) == 1 and steps[0] == fake.sent[CHAT][1]["text"]
        assert any(" 1.2 " in label for label in user.labels())
        # the refused edit was not retried; the old menu then noted the choice, buttons gone
        assert [c.status for c in fake.calls_of("editMessageText")] == [400, 200]
        assert "➜ Đã chọn: Mục 1" in menu["text"] and "reply_markup" not in menu
        # and the next press edits the new menu
        await user.press(" 1.2 ")
        assert len(fake.sent[CHAT]) == 2 and "Đang triển khai" in " ".join(user.labels())
    finally:
        await bench.close()


async def test_a_transient_edit_failure_is_retried_not_doubled(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling")
    try:
        user = await unit_head(bench)
        await user.say("/baocao NAM-2025")
        fake.fail("editMessageText", 502, "Bad Gateway")
        # execute
        await user.press("Mục 1 ")
        # verify: the edit was tried again and the person sees the step once, in place
        assert [c.status for c in fake.calls_of("editMessageText")] == [502, 200]
        assert len(fake.sent[CHAT]) == 1 and "\n\nMục 1. " in fake.texts(CHAT)[0]
    finally:
        await bench.close()


async def test_only_the_newest_step_menu_is_edited(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: a menu, then a typed command answered below it
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling")
    try:
        user = await unit_head(bench)
        await user.say("/baocao NAM-2025")
        (menu,) = fake.sent[CHAT]
        await user.say("/tiendo NAM-2025")
        count = len(fake.sent[CHAT])
        # execute: a button of the older menu
        first = menu["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        answer = await user.press_data(first, menu["message_id"])
        # verify: the answer came below, as a new message; the old menu only notes the choice
        assert len(fake.sent[CHAT]) > count and answer
        assert not menu["text"].startswith("✔") and "➜ Đã chọn" in menu["text"]
    finally:
        await bench.close()


async def test_a_reply_longer_than_one_message_is_not_edited(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: a step menu sent as a reply, so it could be edited
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling")
    try:
        messenger = bench.channel.outbound
        chat = ChatRef(Platform.TELEGRAM, str(CHAT))
        await messenger.reply(chat, Reply("Chọn:", (Option("a", "A"), Option("b", "B"))))
        (menu,) = fake.sent[CHAT]
        # execute
        long = await messenger.edit(chat, menu["message_id"], Reply("dòng\n" * 1000), "✔ A")
        photo_free = await messenger.edit(chat, menu["message_id"], Reply("Xong."), "✔ A")
        # verify: no edit tried for the long text; a short one goes through
        assert long is False and photo_free is True
        assert len(fake.calls_of("editMessageText")) == 1
        assert menu["text"] == "✔ A\n\nXong." and "reply_markup" not in menu
        # the edited message has no buttons left: it is no longer a menu to edit
        assert not messenger.is_menu(chat, menu["message_id"])
    finally:
        await bench.close()


async def test_whole_report_by_buttons_saves_the_entry(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling")
    try:
        user = await unit_head(bench)
        # execute: every step by button but the result, which is typed
        await user.say("/baocao NAM-2025")
        await user.press("Mục 1 ")
        await user.press(" 1.1 ")
        await user.press("Không phát sinh")
        saved = await user.press("Lưu")
        # verify
        assert "phiên bản 1" in saved
        assert sends(fake) == 1 and len(fake.calls_of("editMessageText")) == 4
        async with bench.app.deps.sessions() as s:
            period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
            caller = await roster.caller_for(s, Platform.TELEGRAM, str(CHAT))
            assert caller is not None and caller.unit_id is not None
            saved_entries = await entries.unit_entries(s, period.id, caller.unit_id)
        assert len(saved_entries) == 1
    finally:
        await bench.close()
