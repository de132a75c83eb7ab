"""A real `python -m bot run` stops cleanly on SIGTERM: replies sent, exit code 0, no traceback."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.fake_telegram import FakeTelegram
from tests.zalo_harness import free_port

ROOT = Path(__file__).resolve().parent.parent


async def test_sigterm_finishes_in_flight_work_and_exits_cleanly(tmp_path: Path) -> None:
    # setup: the bot in polling mode against the loopback fake Telegram server
    fake = FakeTelegram()
    await fake.start()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "ZALO_", "DATABASE_URL", "HTTP_"))}
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}",
               TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url,
               TELEGRAM_FILE_BASE_URL=fake.file_base_url, HTTP_HOST="127.0.0.1",
               HTTP_PORT=str(free_port()))
    log = tmp_path / "bot.log"
    with log.open("wb") as out:
        # Popen returns at once; the fake server and the loop keep running meanwhile.
        process = subprocess.Popen(  # noqa: ASYNC220
            [sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, stdout=out,
            stderr=subprocess.STDOUT)
    try:
        await fake.wait_for(lambda: bool(fake.calls_of("getUpdates")), 30)
        # execute: a user writes, then the service manager stops the bot
        update_id = fake.push_text(4242, "xin chào")
        # PTB asks past the update once it has taken it: it is in hand, maybe not answered yet.
        await fake.wait_for(lambda: any(int(c.params.get("offset") or 0) > update_id
                                        for c in fake.calls_of("getUpdates")), 10)
        process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(process.wait, 30)
        # verify
        text = log.read_text(encoding="utf-8")
        assert code == 0, text
        assert "Traceback" not in text and "CancelledError" not in text
        assert any("chưa đăng ký" in t for t in fake.texts(4242))
    finally:
        if process.poll() is None:
            process.kill()
        await fake.stop()
