"""The Telegram transport over real HTTP: start-up calls, webhook security, duplicates, splitting,
files, fault mapping of TelegramMessenger, polling recovery, inline 429 retries."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest

from bot.adapters.telegram import TelegramTimeouts
from core.ports import FixedClock
from core.types import ChatRef, Option, Outcome, OutFile, Platform, Reply
from tests.fake_telegram import FakeTelegram
from tests.telegram_harness import FAST, SECRET, TgUser, fake, mode, open_bench

__all__ = ["fake", "mode"]  # fixtures used by the tests below
CHAT = 6660001
HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def test_start_publishes_vietnamese_commands_and_explicit_update_types(
        fake: FakeTelegram, mode: str, sqlite_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup / execute
    bench = await open_bench(fake, sqlite_url, tmp_path, clock, mode)
    try:
        if mode == "polling":
            await fake.wait_for(lambda: bool(fake.calls_of("getUpdates")))
        # verify
        assert fake.calls[0].method == "getMe"
        commands = {c["command"]: c["description"] for c in fake.commands}
        assert commands["baocao"] == "Báo cáo kết quả thực hiện nhiệm vụ"
        assert {"tiendo", "nop", "tonghop", "huy", "trogiup", "start"} <= set(commands)
        inbound = fake.calls_of("getUpdates" if mode == "polling" else "setWebhook")[0]
        assert inbound.params["allowed_updates"] == ["message", "callback_query"]
        if mode == "webhook":
            assert fake.webhook_url == bench.webhook_url and fake.webhook_secret == SECRET
        assert bench.channel.running
    finally:
        await bench.close()
    assert not bench.channel.running


async def test_webhook_secret_missing_wrong_and_right(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, sqlite_url, tmp_path, clock, "webhook")
    try:
        update = fake.text_update(CHAT, "/start", update_id=77)
        big = {**update, "padding": "x" * 300_000}
        attempts = [({}, update), ({HEADER: "wrong-secret"}, update),
                    ({HEADER: SECRET[:-1]}, update), ({HEADER: SECRET}, big),
                    ({HEADER: SECRET}, update)]
        statuses = []
        # execute
        async with aiohttp.ClientSession() as http:
            for headers, body in attempts:
                async with http.post(bench.webhook_url, data=json.dumps(body), headers=headers,
                                     ) as response:
                    statuses.append(response.status)
        await fake.wait_for(lambda: bench.channel.processed >= 1)
        # verify: only the last one was processed (a queued forgery would have come first)
        assert statuses == [403, 403, 403, 413, 200]
        assert bench.channel.processed == 1 and len(fake.texts(CHAT)) == 1
    finally:
        await bench.close()


async def test_a_duplicate_update_is_processed_once(
        fake: FakeTelegram, mode: str, sqlite_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, sqlite_url, tmp_path, clock, mode)
    try:
        first = fake.push_text(CHAT, "/start")
        await fake.wait_for(lambda: len(fake.texts(CHAT)) == 1)
        # execute: Telegram delivers it again, then a new message follows
        fake.redeliver(first)
        fake.push_text(CHAT, "/trogiup")
        await fake.wait_for(lambda: len(fake.texts(CHAT)) >= 2)
        # verify: handled in order, so the duplicate was dropped before the new one's answer
        assert len(fake.texts(CHAT)) == 2
        if mode == "webhook":
            assert [s for i, s in fake.webhook_deliveries if i == first] == [200, 200]
    finally:
        await bench.close()


async def test_over_long_reply_is_split_in_numbered_parts_with_buttons_on_the_last(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, sqlite_url, tmp_path, clock, "polling")
    paragraphs = [f"Đoạn {i}: " + "nội dung báo cáo dài " * 5 for i in range(120)]
    reply = Reply("\n\n".join(paragraphs), (Option("a", "Đồng ý"), Option("b", "Hủy")))
    try:
        # execute
        result = await bench.channel.messenger.send(ChatRef(Platform.TELEGRAM, str(CHAT)), reply)
        # verify
        sent = fake.calls_of("sendMessage")
        assert result.outcome is Outcome.SENT and result.parts == len(sent) >= 3
        assert all(len(c.params["text"]) <= 4096 for c in sent)
        assert sent[0].params["text"].startswith(f"(1/{len(sent)}) Đoạn 0:")
        assert [("reply_markup" in c.params) for c in sent] == [False] * (len(sent) - 1) + [True]
        joined = "\n".join(c.params["text"] for c in sent)
        assert all(p.strip() in joined for p in paragraphs)  # cut on paragraph boundaries
    finally:
        await bench.close()


async def test_files_go_as_document_or_photo_and_long_captions_as_text(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, sqlite_url, tmp_path, clock, "polling")
    doc, photo = tmp_path / "bao-cao.docx", tmp_path / "bieu-do.png"
    doc.write_bytes(b"PK docx bytes")
    photo.write_bytes(b"\x89PNG chart")
    chat = ChatRef(Platform.TELEGRAM, str(CHAT))
    try:
        # execute
        r1 = await bench.channel.messenger.send(chat, Reply("Tổng hợp", file=OutFile(
            doc, "Báo cáo tổng hợp.docx", caption="Kỳ năm 2025")))
        r2 = await bench.channel.messenger.send(chat, Reply("", file=OutFile(
            photo, "bieu-do.png", kind="photo", caption="Chú thích dài. " * 100)))
        # verify
        assert (r1.outcome, r1.parts, r2.outcome, r2.parts) == (Outcome.SENT, 2, Outcome.SENT, 2)
        (document,) = fake.calls_of("sendDocument")
        assert document.files["document"] == ("Báo cáo tổng hợp.docx", b"PK docx bytes")
        assert document.params["caption"] == "Kỳ năm 2025"
        (picture,) = fake.calls_of("sendPhoto")
        assert picture.files["photo"][1] == b"\x89PNG chart" and "caption" not in picture.params
        assert fake.texts(CHAT)[2].startswith("Chú thích dài.")
    finally:
        await bench.close()


@pytest.mark.parametrize(("status", "description", "retry_after", "outcome"), [
    (429, "Too Many Requests", 7, Outcome.RETRY),
    (500, "Internal Server Error", None, Outcome.RETRY),
    (502, "Bad Gateway", None, Outcome.RETRY),
    (403, "Forbidden: bot was blocked by the user", None, Outcome.GONE),
    (403, "Forbidden: bot can't initiate conversation with a user", None, Outcome.GONE),
    (400, "Bad Request: chat not found", None, Outcome.GONE),
])
async def test_messenger_maps_errors_and_never_raises(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path, clock: FixedClock, status: int,
        description: str, retry_after: int | None, outcome: Outcome) -> None:
    # setup
    bench = await open_bench(fake, sqlite_url, tmp_path, clock, "polling")
    fake.fail("sendMessage", status, description, retry_after=retry_after)
    try:
        # execute
        result = await bench.channel.messenger.send(ChatRef(Platform.TELEGRAM, str(CHAT)),
                                                    Reply("Nhắc hạn"))
        # verify
        assert result.outcome is outcome
        assert result.retry_after_s == (float(retry_after) if retry_after else None)
        if status in (400, 403):
            assert description.split(": ", 1)[1].lower() in result.detail.lower()
        assert fake.token not in result.detail
        again = await bench.channel.messenger.send(ChatRef(Platform.TELEGRAM, str(CHAT)),
                                                   Reply("Nhắc hạn"))
        assert again.outcome is Outcome.SENT  # the fault was one call only
    finally:
        await bench.close()


async def test_messenger_timeout_and_missing_file(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: a 0.5 s read timeout, a server answering after 1.5 s
    quick = TelegramTimeouts(connect=1, read=0.5, write=1, pool=1, poll=1)
    bench = await open_bench(fake, sqlite_url, tmp_path, clock, "polling", timeouts=quick)
    fake.fail("sendMessage", 200, delay=1.5)
    chat = ChatRef(Platform.TELEGRAM, str(CHAT))
    try:
        # execute
        timed_out = await bench.channel.messenger.send(chat, Reply("Nhắc hạn"))
        missing = await bench.channel.messenger.send(chat, Reply("", file=OutFile(
            tmp_path / "khong-co.docx", "khong-co.docx")))
        # verify
        assert timed_out.outcome is Outcome.RETRY and "TimedOut" in timed_out.detail
        assert missing.outcome is Outcome.GONE
    finally:
        await bench.close()


async def test_blocked_user_is_gone(fake: FakeTelegram, sqlite_url: str, tmp_path: Path,
                                    clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, sqlite_url, tmp_path, clock, "polling")
    fake.blocked.add(CHAT)
    try:
        # execute
        result = await bench.channel.messenger.send(ChatRef(Platform.TELEGRAM, str(CHAT)),
                                                    Reply("Thông báo"))
        # verify
        assert result.outcome is Outcome.GONE and "blocked" in result.detail
    finally:
        await bench.close()


async def test_replies_wait_out_a_429_and_polling_survives_a_5xx(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup
    bench = await open_bench(fake, sqlite_url, tmp_path, clock, "polling")
    user = TgUser(bench, CHAT)
    try:
        await fake.wait_for(lambda: bool(fake.calls_of("getUpdates")))
        fake.fail("getUpdates", 502, "Bad Gateway")
        fake.fail("sendMessage", 429, retry_after=1)
        # execute
        answer = await user.say("/start")
        # verify
        assert "Kính chào đồng chí" in answer
        assert [c.status for c in fake.calls_of("sendMessage")] == [429, 200]
        assert 502 in [c.status for c in fake.calls_of("getUpdates")]
    finally:
        await bench.close()


def test_fast_timeouts_keep_tests_quick() -> None:
    assert FAST.poll <= 1 and FAST.read <= 2


async def test_stop_finishes_the_updates_already_accepted(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path, clock: FixedClock) -> None:
    # setup: three updates acknowledged with 200 (so Telegram will not send them again)
    bench = await open_bench(fake, sqlite_url, tmp_path, clock, "webhook")
    async with aiohttp.ClientSession() as http:
        for update_id in (501, 502, 503):
            body = json.dumps(fake.text_update(CHAT + update_id, "/start", update_id=update_id))
            async with http.post(bench.webhook_url, data=body,
                                 headers={HEADER: SECRET}) as response:
                assert response.status == 200
    # execute: shut down at once
    await bench.close()
    # verify: every accepted update was answered before stop() returned
    assert bench.channel.processed == 3
    assert all(len(fake.texts(CHAT + i)) == 1 for i in (501, 502, 503))
