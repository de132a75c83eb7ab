"""End to end over the real PTB stack and HTTP, polling AND webhook: the user-facing flows."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from core import texts
from core.ports import FixedClock
from core.types import ChatRef, Platform, Role
from storage import dialogs, entries, invites, plans, roster
from tests.factories import make_person
from tests.fake_telegram import FakeTelegram
from tests.telegram_harness import Bench, TgUser, fake, mode, open_bench

__all__ = ["fake", "mode"]  # fixtures used by the tests below
CHAT = 5550001
PHOTO = b"\xff\xd8\xff\xe0" + b"evidence-photo" * 100


async def unit_head(bench: Bench, chat_id: int = CHAT) -> TgUser:
    await make_person(bench.app, Role.UNIT_HEAD, unit="VP", platform=Platform.TELEGRAM,
                      account=str(chat_id))
    return TgUser(bench, chat_id)


async def reach_evidence_step(user: TgUser) -> None:
    """/baocao → section 1 → task 1.2 → in progress → result → skip → skip."""
    assert "Chọn mục" in await user.say("/baocao NAM-2025")
    await user.press("Mục 1 ")
    assert "Nhiệm vụ 1.2" in await user.press(" 1.2 ")
    await user.press("Đang triển khai")
    await user.say("Đã xây dựng kế hoạch số 12/KH-VP")
    await user.press("Bỏ qua")
    assert "minh chứng" in (await user.press("Bỏ qua")).lower()


async def test_onboarding_by_deep_link(fake: FakeTelegram, mode: str, db_url: str,
                                       tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, db_url, tmp_path, clock, mode)
    try:
        async with bench.app.deps.sessions.begin() as s:
            unit = await roster.unit_by_code(s, "VP")
            assert unit is not None
            new = await invites.create_invite(s, role=Role.UNIT_HEAD.value, now=clock.now(),
                                              ttl=timedelta(days=7), unit_id=unit.id,
                                              name="Trần Thị Bình")
        user = TgUser(bench, CHAT)
        # execute: https://t.me/<bot>?start=CODE arrives as "/start CODE"
        answer = await user.say(f"/start {new.code}")
        # verify
        assert "Đăng ký thành công" in answer and "Trần Thị Bình" in answer
        assert bench.app.deps.bot_usernames[Platform.TELEGRAM] == fake.username
        async with bench.app.deps.sessions() as s:
            caller = await roster.caller_for(s, Platform.TELEGRAM, str(CHAT))
        assert caller is not None and caller.role is Role.UNIT_HEAD
        assert "Báo cáo nhiệm vụ" in user.labels()  # the help menu came as buttons
    finally:
        await bench.close()


async def test_whole_report_by_buttons_with_evidence_photo(
        fake: FakeTelegram, mode: str, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, db_url, tmp_path, clock, mode)
    try:
        user = await unit_head(bench)
        # execute
        await reach_evidence_step(user)
        received = await user.photo(PHOTO)
        saved = await user.press("Lưu")
        # verify: the conversation
        assert "Đã nhận 1 tệp minh chứng" in received and "Minh chứng: 1 tệp" in received
        assert "phiên bản 1" in saved and "1/23" in saved
        # every button press was answered, and its menu was edited into the next step under
        # the choice; the step after it was typed, so the choice stays there, without buttons
        assert len(fake.calls_of("answerCallbackQuery")) == len(fake.answered) == 6
        chosen = [m for m in fake.sent[CHAT]
                  if m.get("text", "").startswith("✔ Đã chọn: Đang triển khai\n\n")]
        assert len(chosen) == 1 and "reply_markup" not in chosen[0]
        # callback data are short ids, never labels
        for call in fake.calls_of("sendMessage") + fake.calls_of("editMessageText"):
            for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []):
                assert all(len(b["callback_data"].encode()) <= 64 for b in row)
        # verify: the evidence was downloaded via getFile and recorded on the entry
        assert len(fake.calls_of("getFile")) == 1 and len(fake.calls_of("<download>")) == 1
        async with bench.app.deps.sessions() as s:
            period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
            caller = await roster.caller_for(s, Platform.TELEGRAM, str(CHAT))
            assert caller is not None and caller.unit_id is not None
            saved_entries = await entries.unit_entries(s, period.id, caller.unit_id)
        (entry,) = saved_entries.values()
        (evidence,) = entry.evidence
        stored = await asyncio.to_thread(Path(evidence["path"]).read_bytes)
        assert evidence["kind"] == "photo" and stored == PHOTO
    finally:
        await bench.close()


@pytest.mark.parametrize("lanes", [4, 1])
async def test_a_slow_download_holds_up_other_chats_only_with_a_single_lane(
        fake: FakeTelegram, mode: str, db_url: str, tmp_path: Path, clock: FixedClock,
        lanes: int) -> None:
    # setup: one unit head at the evidence step, another idle; CONCURRENT_CHATS = lanes
    bench = await open_bench(fake, db_url, tmp_path, clock, mode, concurrent_chats=lanes)
    try:
        slow = await unit_head(bench)
        await unit_head(bench, CHAT + 1)
        await reach_evidence_step(slow)
        before = len(fake.sent[CHAT])
        fake.fail("getFile", status=200, delay=1.0)  # Telegram takes a second to answer
        # execute: the photo first, then the other user's question
        fake.push_photo(CHAT, PHOTO)
        await fake.wait_for(lambda: bool(fake.calls_of("getFile")))
        fake.push_text(CHAT + 1, "/tiendo NAM-2025")
        await fake.wait_for_sent(CHAT + 1, 1, timeout=5)
        # verify: with lanes, the second chat was answered while the first was still
        # downloading; with a single lane, only after the first chat's answer
        assert len(fake.sent[CHAT]) == (before if lanes > 1 else before + 1)
        assert "0/23" in fake.texts(CHAT + 1)[0]
        # either way the first chat got its answer, in order
        await fake.wait_for_sent(CHAT, before + 1, timeout=5)
        assert "Đã nhận 1 tệp minh chứng" in fake.texts(CHAT)[before]
    finally:
        await bench.close()


async def test_progress_submit_and_summary(fake: FakeTelegram, mode: str, db_url: str,
                                           tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, db_url, tmp_path, clock, mode)
    try:
        user = await unit_head(bench)
        await make_person(bench.app, Role.ADMIN, platform=Platform.TELEGRAM, account="777")
        admin = TgUser(bench, 777)
        # execute
        progress = await user.say("/tiendo")
        submit = await user.say("/nop NAM-2025")
        summary = await admin.say("/tonghop NAM-2025")
        # verify
        assert "Tiến độ báo cáo" in progress and "Đã báo cáo 0/23" in progress
        assert "Báo cáo nhiệm vụ" in user.labels() or "Báo cáo tiếp" in user.labels()
        assert "Chưa nộp được" in submit
        assert "TỔNG HỢP BÁO CÁO" in summary
    finally:
        await bench.close()


async def test_restart_in_the_middle_of_a_conversation(
        fake: FakeTelegram, mode: str, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: a report half done, then the process goes down
    bench = await open_bench(fake, db_url, tmp_path, clock, mode)
    user = await unit_head(bench)
    await user.say("/baocao NAM-2025")
    await user.press("Mục 1 ")
    await user.press(" 1.1 ")
    await bench.close()
    # execute: a new app and channel on the same database continue where the user was
    bench = await open_bench(fake, db_url, tmp_path, clock, mode)
    try:
        user = TgUser(bench, CHAT)
        await user.press("Không phát sinh")
        saved = await user.press("Lưu")
        # verify
        assert "phiên bản 1" in saved
    finally:
        await bench.close()


async def test_forged_callback_is_rejected_and_changes_nothing(
        fake: FakeTelegram, mode: str, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: the status menu is shown
    bench = await open_bench(fake, db_url, tmp_path, clock, mode)
    try:
        user = await unit_head(bench)
        await user.say("/baocao NAM-2025")
        await user.press("Mục 1 ")
        await user.press(" 1.1 ")
        chat = ChatRef(Platform.TELEGRAM, str(CHAT))
        async with bench.app.deps.sessions() as s:
            before = await dialogs.load(s, chat)
        menu_before = user.labels()
        # execute: ids that are not on the keyboard (an admin command, another task)
        answers = [await user.press_data("cmd:tonghop"), await user.press_data("t:99999")]
        # verify
        assert all(texts.STALE_CHOICE in a for a in answers)
        async with bench.app.deps.sessions() as s:
            after = await dialogs.load(s, chat)
        assert (after.flow, after.step, after.data) == (before.flow, before.step, before.data)
        assert user.labels() == menu_before  # the real menu was not edited away
        assert len(fake.answered) == len(fake.calls_of("answerCallbackQuery"))
        assert "phiên bản 1" in (await user.press("Không phát sinh") and await user.press("Lưu"))
    finally:
        await bench.close()


async def test_evidence_over_the_size_limit_gets_a_clear_message(
        fake: FakeTelegram, mode: str, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: a 1 kB limit
    bench = await open_bench(fake, db_url, tmp_path, clock, mode, evidence_max_mb=0.001)
    try:
        user = await unit_head(bench)
        await reach_evidence_step(user)
        # execute: Telegram declares the size / only getFile tells it
        declared = await user.photo(PHOTO * 3)
        undeclared = await user.photo(PHOTO * 3, declare_size=False)
        # verify
        expected = texts.FILE_TOO_LARGE.format(limit="0.001")
        assert declared == expected and undeclared == expected
        assert len(fake.calls_of("getFile")) == 1  # only for the undeclared one
        assert fake.calls_of("<download>") == []
        assert not list((tmp_path / "evidence").glob("*"))
    finally:
        await bench.close()
