"""`python -m bot run` with both tokens: Zalo and Telegram served by one process."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

import aiohttp
import pytest

from bot.commands.run import run
from tests.conftest import make_settings
from tests.fake_telegram import FakeTelegram
from tests.fake_zalo import FakeZalo
from tests.run_harness import running_bot
from tests.zalo_harness import free_port


async def test_one_process_serves_zalo_and_telegram(fake_zalo: FakeZalo, sqlite_url: str,
                                                    tmp_path: Path) -> None:
    # setup
    telegram = FakeTelegram()
    await telegram.start()
    port = free_port()
    settings = make_settings(
        sqlite_url, tmp_path, telegram_bot_token=telegram.token,
        telegram_api_base_url=telegram.base_url, telegram_file_base_url=telegram.file_base_url,
        zalo_bot_token=fake_zalo.token, zalo_api_base_url=fake_zalo.base_url,
        http_host="127.0.0.1", http_port=port)
    try:
        async with running_bot(settings):
            # execute: a stranger writes on each messenger
            telegram.push_text(5151, "xin chào")
            fake_zalo.push_text("zalo-user-1", "xin chao")
            await telegram.wait_for(lambda: bool(telegram.texts(5151)), 10)
            await fake_zalo.wait_for(lambda: bool(fake_zalo.texts_to("zalo-user-1")), 10)
            async with aiohttp.ClientSession() as http, \
                    http.get(f"http://127.0.0.1:{port}/healthz") as response:
                health = await response.json()
    finally:
        await telegram.stop()
    # verify: both answered by the same engine, both reported running
    assert "chưa đăng ký" in telegram.texts(5151)[0]
    assert "chưa đăng ký" in fake_zalo.texts_to("zalo-user-1")[0]
    assert health["ok"] is True and health["database"] is True and health["reasons"] == []
    assert {name: c["ok"] for name, c in health["channels"].items()} == {"zalo": True,
                                                                         "telegram": True}
    assert health["outbox"] == {"backlog": 0, "oldest_due_seconds": 0.0}


async def test_a_wrong_zalo_token_stops_start_up_cleanly(
        fake_zalo: FakeZalo, sqlite_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    wrong = "1234567890123:wrong-zalo-secret-for-tests-000000"
    settings = make_settings(sqlite_url, tmp_path, zalo_bot_token=wrong,
                             zalo_api_base_url=fake_zalo.base_url, http_host="127.0.0.1",
                             http_port=free_port())
    code = await run(argparse.Namespace(), settings, stop_event=asyncio.Event())
    err = capsys.readouterr().err
    assert code == 1 and "Không khởi động được bot" in err and "Zalo" in err
    assert wrong not in err and "Traceback" not in err
