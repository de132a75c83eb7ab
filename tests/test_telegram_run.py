"""`python -m bot run` with TELEGRAM_BOT_TOKEN: a real run against the fake Bot API, with the
project's logging set up as main() does, proving the token never reaches a log line."""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from bot.commands.run import run
from core.logs import setup_logging
from core.settings import Settings
from tests.conftest import make_settings
from tests.fake_telegram import FakeTelegram
from tests.run_harness import running_bot
from tests.telegram_harness import fake

__all__ = ["fake"]  # fixture used by the tests below
WRONG_TOKEN = "7012345678:AAH-wrong_token_for_tests_987654321"


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    """The root handler main() installs, writing to a buffer; logging restored afterwards."""
    root, driver = logging.getLogger(), logging.getLogger("aiosqlite")
    saved_handlers, saved_level, driver_level = root.handlers[:], root.level, driver.level
    # aiosqlite logs from its own thread, possibly after the test: keep it out of DEBUG.
    driver.setLevel(logging.INFO)
    stream = io.StringIO()
    yield stream
    root.setLevel(saved_level)
    root.handlers[:] = saved_handlers
    driver.setLevel(driver_level)


def debug_logging(settings: Settings, stream: io.StringIO) -> None:
    setup_logging("DEBUG", [settings.telegram.bot_token.get_secret_value()])
    handler = logging.getLogger().handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(stream)


def bot_settings(fake: FakeTelegram, sqlite_url: str, tmp_path: Path, token: str) -> Settings:
    return make_settings(sqlite_url, tmp_path, telegram_bot_token=token,
                         telegram_api_base_url=fake.base_url,
                         telegram_file_base_url=fake.file_base_url, http_host="127.0.0.1",
                         http_port=0, log_level="DEBUG")


def assert_no_token(text: str, token: str) -> None:
    assert token not in text and token.split(":")[1] not in text


async def test_a_real_run_answers_and_never_logs_the_token(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path,
        captured_logs: io.StringIO) -> None:
    # setup
    settings = bot_settings(fake, sqlite_url, tmp_path, fake.token)
    debug_logging(settings, captured_logs)
    stop = asyncio.Event()
    # execute
    running = asyncio.create_task(run(argparse.Namespace(), settings, stop_event=stop))
    await fake.wait_for(lambda: bool(fake.calls_of("getUpdates")), timeout=15)
    fake.push_text(4242, "/start")
    await fake.wait_for(lambda: bool(fake.texts(4242)))
    stop.set()
    code = await asyncio.wait_for(running, 15)
    # verify
    assert code == 0 and "Kính chào đồng chí" in fake.texts(4242)[0]
    assert [c.method for c in fake.calls[:2]] == ["getMe", "setMyCommands"]
    logs = captured_logs.getvalue()
    # DEBUG really logged, and PTB did try to log the token ("Set Bot API URL: ...")
    assert "Telegram channel started" in logs and "<redacted" in logs
    assert_no_token(logs, fake.token)


async def test_a_wrong_token_stops_start_up_with_a_clean_message(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path,
        captured_logs: io.StringIO, capsys: pytest.CaptureFixture[str]) -> None:
    # setup: the fake answers 401 to any other token, as Telegram does
    settings = bot_settings(fake, sqlite_url, tmp_path, WRONG_TOKEN)
    debug_logging(settings, captured_logs)
    # execute
    code = await run(argparse.Namespace(), settings, stop_event=asyncio.Event())
    # verify: a clean message and exit code, no traceback; nowhere the token
    err = capsys.readouterr().err
    assert code == 1
    assert "Không khởi động được bot" in err and "TELEGRAM_BOT_TOKEN" in err
    assert "Traceback" not in err
    assert_no_token(err, WRONG_TOKEN)
    assert_no_token(captured_logs.getvalue(), WRONG_TOKEN)
    assert fake.calls[0].status == 401


async def test_healthz_reports_the_telegram_channel(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path, unused_tcp_port: int) -> None:
    # setup
    settings = make_settings(sqlite_url, tmp_path, telegram_bot_token=fake.token,
                             telegram_api_base_url=fake.base_url,
                             telegram_file_base_url=fake.file_base_url, http_host="127.0.0.1",
                             http_port=unused_tcp_port)
    # execute
    async with running_bot(settings), aiohttp.ClientSession() as http, \
            http.get(f"http://127.0.0.1:{unused_tcp_port}/healthz") as response:
        body = await response.json()
    # verify
    assert body["channels"]["telegram"]["ok"] is True and body["ok"] is True
    assert body["channels"]["telegram"]["mode"] == "polling"
