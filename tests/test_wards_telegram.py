"""Two wards through the fake Telegram Bot API (issue 19): the second ward's admin sends its
report late from Telegram; the city's user, on Telegram too, sees one on time and one late."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path

from bot.app import open_app
from core.ports import FixedClock
from core.types import Role
from services import invites as invite_service
from storage.scoping import use_ward
from tests.conftest import make_settings
from tests.factories import Talk
from tests.fake_telegram import FakeTelegram
from tests.run_harness import running_bot
from tests.ward_helpers import (
    FIRST,
    add_ward,
    city_invite,
    person_in,
    submitted_unit,
    write_parts,
)

ADMIN_CHAT, CITY_CHAT = 7001, 7002


def _said(telegram: FakeTelegram, chat: int, words: str) -> bool:
    return any(words in text for text in telegram.texts(chat))


async def test_a_late_ward_and_the_city_over_telegram(sqlite_url: str, tmp_path: Path,
                                                      clock: FixedClock) -> None:
    # setup: both wards' units submitted, the first ward sent its report in time (17/11/2025)
    telegram = FakeTelegram()
    await telegram.start()
    settings = make_settings(sqlite_url, tmp_path, **telegram.settings(),
                             http_host="127.0.0.1", http_port=0)
    app = await open_app(settings, clock)
    try:
        second = await add_ward(app)
        for ward in (FIRST, second):
            await submitted_unit(app, ward)
        admin, account = await person_in(app, FIRST, Role.ADMIN)
        await write_parts(app, FIRST, admin)
        await Talk(app, account).say("/guithanhpho NAM-2025")
        await write_parts(app, second, admin)
        async with app.deps.sessions.begin() as s:
            use_ward(s, second)
            admin_code = (await invite_service.invite_one(
                s, role=Role.ADMIN.value, now=clock.now(), ttl=timedelta(days=3650),
                name="Quản trị Đồ Sơn")).code
        city_code = await city_invite(app, days=3650)  # used on today's real clock
    finally:
        await app.close()
    try:
        # execute: on Telegram, today (past the deadline), the second ward's admin sends
        async with running_bot(settings):
            telegram.push_text(ADMIN_CHAT, f"/start {admin_code}")
            telegram.push_text(CITY_CHAT, f"/start {city_code}")
            for chat in (ADMIN_CHAT, CITY_CHAT):
                await telegram.wait_for(partial(_said, telegram, chat, "Đăng ký thành công"), 10)
            telegram.push_text(ADMIN_CHAT, "/guithanhpho NAM-2025")
            await telegram.wait_for(partial(_said, telegram, ADMIN_CHAT, "Đã gửi"), 10)
            telegram.push_text(CITY_CHAT, "/thanhpho NAM-2025")
            await telegram.wait_for(partial(_said, telegram, CITY_CHAT, "TỔNG HỢP"), 10)
    finally:
        await telegram.stop()
    # verify
    sent = next(x for x in telegram.texts(ADMIN_CHAT) if "Đã gửi" in x)
    rollup = next(x for x in telegram.texts(CITY_CHAT) if "TỔNG HỢP" in x)
    assert "phường Đồ Sơn" in sent and "(quá hạn)" in sent
    assert "Đã gửi đúng hạn (1): phường Nam Đồ Sơn" in rollup
    assert "Gửi muộn (1): phường Đồ Sơn" in rollup
    assert "Chưa gửi (0)" in rollup
