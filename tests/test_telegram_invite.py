"""The CLI `invite` prints the Telegram deep link, learning the bot's username from getMe."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bot.commands.data import create_invite
from tests.conftest import make_settings
from tests.fake_telegram import FakeTelegram
from tests.telegram_harness import fake

__all__ = ["fake"]  # fixture used by the tests below
ARGS = argparse.Namespace(role="unit_head", unit="VP", group=None, name="", person=None)


async def test_invite_prints_the_deep_link_from_get_me(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # setup
    settings = make_settings(sqlite_url, tmp_path, telegram_bot_token=fake.token,
                             telegram_api_base_url=fake.base_url)
    # execute
    code = await create_invite(ARGS, settings)
    # verify
    out = capsys.readouterr().out
    invite_code = out.split("Mã mời: ", 1)[1].split()[0]
    assert code == 0
    assert f"https://t.me/{fake.username}?start={invite_code}" in out
    assert [c.method for c in fake.calls] == ["getMe"]


async def test_invite_without_reachable_telegram_still_prints_the_code(
        fake: FakeTelegram, sqlite_url: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    # setup: getMe fails
    settings = make_settings(sqlite_url, tmp_path, telegram_bot_token=fake.token,
                             telegram_api_base_url=fake.base_url)
    fake.fail("getMe", 502, "Bad Gateway")
    # execute
    code = await create_invite(ARGS, settings)
    # verify
    out = capsys.readouterr().out
    assert code == 0 and "Mã mời: " in out and "t.me" not in out
    assert fake.token not in out
