"""One outbound policy per messenger (issue 14): replies and the outbox share one pacer per
platform; a reply that meets 429, 5xx or a timeout is retried and arrives exactly once; a reply
given up is owned up to at the person's next message. Against the loopback fake servers."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from core import texts
from core.ports import FixedClock
from core.types import ChatRef, Platform, Reply, Role
from storage import deliveries
from tests.broadcast_helpers import leaders, worker_for
from tests.factories import make_person
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo import FakeZalo
from tests.telegram_harness import FAST, TgUser, fake, open_bench
from tests.zalo_harness import ZaloUser, open_rig

__all__ = ["fake"]  # the loopback Bot API fixture used below

NOTICE = "Bot gặp trục trặc khi trả lời tin nhắn trước"


async def test_telegram_reply_survives_429_502_and_a_timeout_exactly_once(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: the next three sendMessage calls fail, one way each
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling",
                             timeouts=replace(FAST, read=1, reply_retries=3,
                                              reply_backoff=0.1))
    try:
        await make_person(bench.app, Role.UNIT_HEAD, unit="VP", platform=Platform.TELEGRAM,
                          account="7001")
        user = TgUser(bench, 7001)
        fake.fail("sendMessage", 429, retry_after=1)
        fake.fail("sendMessage", 502, "Bad Gateway")
        fake.fail("sendMessage", 504, "Gateway Timeout", delay=1.5)  # the client times out
        # execute
        answer = await user.say("/trogiup")
        # verify
        assert answer and fake.texts(7001) == [answer]  # one message, once
        assert len(fake.calls_of("sendMessage")) == 4
        assert NOTICE not in answer
    finally:
        await bench.close()


async def test_zalo_reply_survives_429_502_and_a_timeout_exactly_once(
        fake_zalo: FakeZalo, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    rig = await open_rig(db_url, tmp_path, clock, fake_zalo, client_timeout_s=1.0)
    try:
        await make_person(rig.app, Role.UNIT_HEAD, unit="VP", platform=Platform.ZALO,
                          account="zu1")
        fake_zalo.fail("sendMessage", 429)
        fake_zalo.fail("sendMessage", 502)
        fake_zalo.fail("sendMessage", 504, delay_s=1.5)  # the client times out first
        # execute
        answer = await ZaloUser(rig, "zu1").say("tro giup")
        # verify
        assert len(answer) == 1 and fake_zalo.texts_to("zu1") == answer
        assert sum(c.method == "sendMessage" for c in fake_zalo.calls) == 4
    finally:
        await rig.close()


async def test_a_reply_given_up_is_owned_up_to_at_the_next_message(
        fake_zalo: FakeZalo, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: every try of the first answer fails
    rig = await open_rig(db_url, tmp_path, clock, fake_zalo)
    try:
        await make_person(rig.app, Role.UNIT_HEAD, unit="VP", platform=Platform.ZALO,
                          account="zu2")
        user = ZaloUser(rig, "zu2")
        fake_zalo.fail("sendMessage", 502, times=4)
        # execute
        lost = await user.say("tro giup")
        after = await user.say("tro giup")
        again = await user.say("tro giup")
        # verify
        assert lost == []
        assert NOTICE in texts.REPLY_FAILED
        assert NOTICE in after[0] and any("/baocao" in x for x in after)
        assert all(NOTICE not in x for x in again)  # said once
        assert rig.app.deps.ops.replies[("zalo", "retry")] == 1  # /metrics' danvan_replies
    finally:
        await rig.close()


async def test_telegram_reply_given_up_is_owned_up_to(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling")
    try:
        await make_person(bench.app, Role.UNIT_HEAD, unit="VP", platform=Platform.TELEGRAM,
                          account="7002")
        user = TgUser(bench, 7002)
        fake.fail("sendMessage", 500, times=3)  # FAST: 2 retries, so 3 tries in all
        # execute
        lost = await user.say("/trogiup")
        after = await user.say("/trogiup")
        # verify
        assert lost == ""
        assert after.startswith("⚠️ " + NOTICE)
    finally:
        await bench.close()


async def test_broadcast_to_100_while_a_unit_head_reports_draws_no_429(
        fake: FakeTelegram, db_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: Telegram's documented limits on the fake and the real rates on the bot
    fake.flood_limits(per_second=30, per_chat_per_second=1, chat_burst=3)
    bench = await open_bench(fake, db_url, tmp_path, clock, "polling",
                             telegram_rate_per_second=30, telegram_rate_per_chat_per_second=1,
                             telegram_chat_burst=3)
    try:
        app = bench.app
        people = await leaders(app, 100, Platform.TELEGRAM, prefix="83")
        await make_person(app, Role.UNIT_HEAD, unit="VP", platform=Platform.TELEGRAM,
                          account="9102")
        async with app.deps.sessions.begin() as s:
            for _, account in people:
                await deliveries.enqueue(
                    s, key=f"b:{account}", kind="broadcast",
                    chat=ChatRef(Platform.TELEGRAM, account),
                    payload=deliveries.reply_to_payload(Reply("THÔNG BÁO: họp tổ dân phố")),
                    now=clock.now())
        worker = worker_for(app, clock, bench.channel.messenger, Platform.TELEGRAM)
        head = TgUser(bench, 9102)
        # execute: the broadcast goes out while the unit head answers step by step
        sending = asyncio.create_task(worker.drain())
        steps = [await head.say("/baocao NAM-2025"), await head.press("Mục 1 "),
                 await head.press(" 1.2 "), await head.press("Đang triển khai"),
                 await head.say("Đã xây dựng kế hoạch số 12/KH-VP")]
        sent = await sending
        # verify
        assert sent == 100 and fake.rate_limited == 0
        assert all(len(fake.texts(int(acc))) == 1 for _, acc in people)
        assert all(steps)  # every step was answered
        assert "Chọn mục" in steps[0] and "Nhiệm vụ 1.2" in steps[2]
        assert "Đang triển khai" in steps[3] and "Kết quả" in steps[3]
        # each press edited the menu into the next step: 5 steps, 2 messages, 3 paced edits
        assert len(fake.texts(9102)) == 2
        assert [c.status for c in fake.calls_of("editMessageText")] == [200] * 3
    finally:
        await bench.close()
