"""A network outage during `run` writes one line when it starts and one when it ends, not a
traceback per retry (issue 18)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from tests.fake_zalo import FakeZalo
from tests.run_harness import running_bot
from tests.test_recovery import both, fake_telegram, wait_health


async def test_an_outage_is_logged_once_without_tracebacks(
        sqlite_url: str, tmp_path: Path, fake_zalo: FakeZalo,
        caplog: pytest.LogCaptureFixture) -> None:
    async with fake_telegram() as telegram:
        settings = both(sqlite_url, tmp_path, telegram, fake_zalo)
        async with running_bot(settings):
            await wait_health(settings, 200)
            caplog.clear()
            caplog.set_level(logging.INFO)
            # execute: every poll fails for 3 s (about ten retries at the test's backoff)
            telegram.fail("getUpdates", 502, "Bad Gateway", times=10_000)
            await asyncio.sleep(3)
            telegram._faults.clear()
            telegram.push_text(6262, "xin chào")
            await telegram.wait_for(lambda: bool(telegram.texts(6262)), 10)
    # verify
    about = [r for r in caplog.records if "telegram" in r.getMessage().lower()
             and r.levelno >= logging.WARNING]
    assert not any(r.exc_info for r in caplog.records if r.name.startswith("bot"))
    failed = [r for r in about if "failed" in r.getMessage()]
    assert len(failed) == 1, [r.getMessage() for r in about]
    assert any("works again" in r.getMessage() for r in caplog.records)
