"""Channels that recover by themselves (issue 20), against the fake Telegram and Zalo servers:
a revoked-then-reissued token, an outage; /healthz tells the truth meanwhile; admins on the
other channel are told once when a channel goes down and once when it is back."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from bot.app import open_app
from core.settings import Settings
from core.types import Role
from tests.conftest import make_settings
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo import FakeZalo
from tests.run_harness import running_bot
from tests.zalo_harness import free_port, new_invite

FAST = dict(telegram_poll_seconds=1, zalo_poll_seconds=1, channel_probe_seconds=0.3,
            channel_backoff_max_seconds=0.3, channel_stale_seconds=2.5, http_host="127.0.0.1")
ADMIN_ZALO, ADMIN_TG = "zalo-admin", 4242
DOWN, BACK = "đang gián đoạn", "đã hoạt động trở lại"


def both(db: str, tmp_path: Path, telegram: FakeTelegram, zalo: FakeZalo) -> Settings:
    return make_settings(
        db, tmp_path, telegram_bot_token=telegram.token, telegram_api_base_url=telegram.base_url,
        telegram_file_base_url=telegram.file_base_url, zalo_bot_token=zalo.token,
        zalo_api_base_url=zalo.base_url, zalo_rate_per_second=1000, http_port=free_port(),
        **FAST)


@asynccontextmanager
async def fake_telegram() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    try:
        yield server
    finally:
        await server.stop()


async def health(settings: Settings) -> tuple[int, dict[str, Any]]:
    url = f"http://127.0.0.1:{settings.http_port}/healthz"
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, await response.json()


async def wait_health(settings: Settings, status: int, limit_s: float = 15,
                      reason: str = "") -> dict[str, Any]:
    """/healthz's body once it answers `status` (and names `reason`, when given)."""
    deadline = time.monotonic() + limit_s
    while True:
        code, body = await health(settings)
        if code == status and (not reason or any(reason in r for r in body["reasons"])):
            return body
        assert time.monotonic() < deadline, f"/healthz stayed {code}: {body}"
        await asyncio.sleep(0.1)


async def admin_invites(settings: Settings) -> tuple[str, str]:
    app = await open_app(settings)
    try:
        return await new_invite(app, Role.ADMIN), await new_invite(app, Role.ADMIN)
    finally:
        await app.close()


async def register_admins(settings: Settings, telegram: FakeTelegram, zalo: FakeZalo,
                          codes: tuple[str, str]) -> None:
    zalo.push_text(ADMIN_ZALO, f"/dangky {codes[0]}")
    telegram.push_text(ADMIN_TG, f"/dangky {codes[1]}")
    await zalo.wait_for(lambda: bool(zalo.texts_to(ADMIN_ZALO)))
    await telegram.wait_for(lambda: bool(telegram.texts(ADMIN_TG)), 10)


def zalo_alerts(zalo: FakeZalo) -> list[str]:
    return [t for t in zalo.texts_to(ADMIN_ZALO) if "Kênh Telegram" in t]


def telegram_alerts(telegram: FakeTelegram) -> list[str]:
    return [t for t in telegram.texts(ADMIN_TG) if "Kênh Zalo" in t]


async def test_telegram_token_refused_then_reissued(db_url: str, tmp_path: Path,
                                                    fake_zalo: FakeZalo) -> None:
    async with fake_telegram() as telegram:
        # setup: both channels running, an admin on each
        settings = both(db_url, tmp_path, telegram, fake_zalo)
        codes = await admin_invites(settings)
        async with running_bot(settings):
            await register_admins(settings, telegram, fake_zalo, codes)
            assert (await health(settings))[0] == 200
            # execute: the token is revoked; someone writes meanwhile; then it works again
            token = telegram.token
            telegram.token = "7012345678:revoked-token-000000000000000000"
            body = await wait_health(settings, 503)
            await fake_zalo.wait_for(lambda: len(zalo_alerts(fake_zalo)) == 1)
            telegram.token = token
            telegram.push_text(5151, "xin chào")
            await telegram.wait_for(lambda: bool(telegram.texts(5151)), 10)
            back = await wait_health(settings, 200)
            await fake_zalo.wait_for(lambda: len(zalo_alerts(fake_zalo)) == 2)
            await asyncio.sleep(1)  # nothing more is said
    # verify
    assert body["channels"]["telegram"]["ok"] is False
    assert "telegram: down (token)" in body["reasons"]
    assert body["channels"]["zalo"]["ok"] is True
    assert "chưa đăng ký" in telegram.texts(5151)[0]
    alerts = zalo_alerts(fake_zalo)
    assert len(alerts) == 2 and DOWN in alerts[0] and BACK in alerts[1]
    assert back["ok"] is True and back["channels"]["telegram"]["last_poll"]
    assert token not in str(body) and "revoked" not in str(body)


async def test_zalo_token_refused_then_reissued(db_url: str, tmp_path: Path,
                                                fake_zalo: FakeZalo) -> None:
    async with fake_telegram() as telegram:
        # setup
        settings = both(db_url, tmp_path, telegram, fake_zalo)
        codes = await admin_invites(settings)
        async with running_bot(settings):
            await register_admins(settings, telegram, fake_zalo, codes)
            # execute
            token = fake_zalo.token
            fake_zalo.token = "8012345678:revokedrevokedrevokedrevoked"
            body = await wait_health(settings, 503)
            await telegram.wait_for(lambda: len(telegram_alerts(telegram)) == 1, 10)
            fake_zalo.token = token
            fake_zalo.push_text("zalo-guest", "xin chao")
            await fake_zalo.wait_for(lambda: bool(fake_zalo.texts_to("zalo-guest")))
            await wait_health(settings, 200)
            await telegram.wait_for(lambda: len(telegram_alerts(telegram)) == 2, 10)
            await asyncio.sleep(1)
    # verify
    assert "zalo: down (token)" in body["reasons"]
    assert "chưa đăng ký" in fake_zalo.texts_to("zalo-guest")[0]
    alerts = telegram_alerts(telegram)
    assert len(alerts) == 2 and DOWN in alerts[0] and BACK in alerts[1]


async def test_an_outage_is_waited_out_and_healthz_shows_the_last_poll(
        sqlite_url: str, tmp_path: Path, fake_zalo: FakeZalo) -> None:
    async with fake_telegram() as telegram:
        # setup
        settings = both(sqlite_url, tmp_path, telegram, fake_zalo)
        async with running_bot(settings):
            await wait_health(settings, 200)
            # execute: for 4 s (stale after 2.5 s) both APIs answer 502 to every poll and probe
            for method in ("getUpdates", "getMe"):
                telegram.fail(method, 502, "Bad Gateway", times=10_000)
                fake_zalo.fail(method, 502, body="<html>Bad Gateway</html>", times=10_000)
            # (on a busy machine another reason, e.g. a late sweep, may come first)
            await wait_health(settings, 503, reason="telegram: ")
            during = await wait_health(settings, 503, reason="zalo: ")
            telegram.push_text(6161, "xin chào")
            fake_zalo.push_text("zalo-during", "xin chao")
            await asyncio.sleep(4 - settings.channel_stale_seconds)
            assert not telegram.texts(6161) and not fake_zalo.texts_to("zalo-during")
            telegram._faults.clear()
            fake_zalo._faults.clear()
            await telegram.wait_for(lambda: bool(telegram.texts(6161)), 10)
            await fake_zalo.wait_for(lambda: bool(fake_zalo.texts_to("zalo-during")))
            after = await wait_health(settings, 200)
    # verify: healthz named the stale channels and when they last polled; the wording is
    # "no successful poll" until the supervisor marks the channel down, "down (network)" after
    for name in ("telegram", "zalo"):
        assert (f"{name}: no successful poll for 2.5 s" in during["reasons"]
                or f"{name}: down (network)" in during["reasons"])
    for name in ("telegram", "zalo"):
        assert during["channels"][name]["last_poll"]
        assert after["channels"][name]["last_poll"] > during["channels"][name]["last_poll"]
