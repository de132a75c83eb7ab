"""Broadcasts end to end through the real channels and the loopback fake Telegram and Zalo
servers: compose in chat, deliver with the real worker, acknowledge, resend, quota refusal."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from core.ports import FixedClock
from core.texts import broadcast as t
from core.types import Platform, Role
from tests.broadcast_helpers import leaders, outbox_count, worker_for
from tests.factories import make_person
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo import FakeZalo
from tests.telegram_harness import TgUser, open_bench
from tests.zalo_harness import ZaloUser, open_rig

HEADER = "THÔNG BÁO CỦA UBND"


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
def zalo(fake_zalo: FakeZalo) -> FakeZalo:
    return fake_zalo


async def test_telegram_compose_send_ack_and_resend(
        telegram: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(telegram, db_url, tmp_path, clock, "polling")
    try:
        app = bench.app
        people = await leaders(app, 50, Platform.TELEGRAM, prefix="81")
        await make_person(app, Role.ADMIN, platform=Platform.TELEGRAM, account="9001")
        await make_person(app, Role.UNIT_HEAD, unit="VP", platform=Platform.TELEGRAM,
                          account="9002")
        worker = worker_for(app, clock, bench.channel.messenger, Platform.TELEGRAM)
        admin, outsider = TgUser(bench, 9001), TgUser(bench, 9002)
        # execute: compose → preview → send now
        await admin.say("/thongbao")
        await admin.say("Tổng vệ sinh môi trường sáng Chủ nhật 23/11/2025.")
        preview = await admin.press("Tất cả tổ trưởng")
        await admin.press("Gửi ngay")
        queued = await admin.press("Xác nhận")
        await worker.drain()
        users = [TgUser(bench, int(acc)) for _, acc in people]
        thanks = [await u.press("Đã nhận") for u in users[:20]]
        forged_press = await outsider.press_data("cmd:danhan:1")
        forged_typed = await outsider.say("/danhan 1")
        status = await admin.say("/tinhtrang 1")
        resent = await admin.press("Gửi lại")
        await worker.drain()
        # verify
        assert "XEM TRƯỚC" in preview and HEADER in preview
        assert "50 tin nhắn tới 50 người" in queued
        got = [[x for x in telegram.texts(int(acc)) if HEADER in x] for _, acc in people]
        assert [len(g) for g in got[:20]] == [1] * 20
        assert [len(g) for g in got[20:]] == [2] * 30
        assert all(g[-1].startswith(t.RESEND_PREFIX) for g in got[20:])
        assert all(t.ACK_THANKS.format(id=1) in x for x in thanks)
        assert "không hợp lệ" in forged_press and t.ACK_FORGED.format(id=1) in forged_typed
        assert "đã xác nhận: 20" in status and "Chưa xác nhận (30)" in status
        assert "30 người chưa xác nhận" in resent
    finally:
        await bench.close()


async def test_zalo_compose_send_and_typed_acknowledgements(
        zalo: FakeZalo, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    rig = await open_rig(db_url, tmp_path, clock, zalo)
    try:
        app = rig.app
        people = await leaders(app, 50, Platform.ZALO, prefix="zl")
        await make_person(app, Role.ADMIN, platform=Platform.ZALO, account="zadmin")
        worker = worker_for(app, clock, rig.channel.messenger, Platform.ZALO)
        admin = ZaloUser(rig, "zadmin")
        # execute: every answer typed, as on Zalo (numbers, words without diacritics)
        await admin.say("thong bao")
        await admin.say("Họp tổ dân phố lúc 19:30 thứ Bảy.")
        await admin.say("1")
        await admin.say("gui ngay")
        await admin.say("1")
        await worker.drain()
        typed_one = [await ZaloUser(rig, acc).say("1") for _, acc in people[:10]]
        typed_words = [await ZaloUser(rig, acc).say("da nhan") for _, acc in people[10:15]]
        await admin.say("/tinhtrang 1")
        # verify
        for _, acc in people:
            got = [x for x in zalo.texts_to(acc) if HEADER in x]
            assert len(got) == 1 and "trả lời 1 hoặc «đã nhận»" in got[0]
            assert "1. Đã nhận" in got[0]
        assert all(t.ACK_THANKS.format(id=1) in "".join(r) for r in typed_one + typed_words)
        assert "đã xác nhận: 15" in admin.text and "Chưa xác nhận (35)" in admin.text
    finally:
        await rig.close()


async def test_zalo_quota_refusal_sends_nothing(
        zalo: FakeZalo, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    rig = await open_rig(db_url, tmp_path, clock, zalo, zalo_monthly_quota=60)
    try:
        app = rig.app
        people = await leaders(app, 50, Platform.ZALO, prefix="zq")
        await make_person(app, Role.ADMIN, platform=Platform.ZALO, account="zadmin")
        admin = ZaloUser(rig, "zadmin")
        long_text = "Nội dung tuyên truyền. " * 120  # ~2,800 characters: 2 Zalo parts each
        # execute
        await admin.say("/thongbao")
        await admin.say(long_text.strip())
        preview = await admin.say("1")
        refused = await admin.say("1")
        # verify
        assert any("chia thành 2 tin nhắn" in x for x in preview)
        text = "\n".join(refused)
        assert "cần 100 tin nhắn Zalo" in text and "chỉ còn" in text
        assert await outbox_count(app) == 0
        assert all(zalo.texts_to(acc) == [] for _, acc in people)
    finally:
        await rig.close()
