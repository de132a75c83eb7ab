"""Crash test: a real `python -m bot run` sending a 500-recipient broadcast to the fake
Telegram server is killed with SIGKILL mid-way and restarted; everyone gets it exactly once.

The kill lands while a send is in flight and not yet accepted by the server (the fake holds
that request, then refuses it). A kill after the server accepted a message but before the
outbox row was committed can still duplicate that one message: the at-least-once trade-off
the style guide accepts, since Telegram has no idempotency key."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select

from bot.app import open_app
from core.types import Platform, Role
from storage.models import Delivery
from tests.conftest import make_settings
from tests.factories import make_person
from tests.fake_telegram import FakeTelegram
from tests.zalo_harness import free_port

ROOT = Path(__file__).resolve().parent.parent
RECIPIENTS = 500
FIRST_CHAT = 700_000
# The outbox lease keeps the killed process's claimed batch untouched until it expires: recovery
# of those rows waits for it, so the test shortens it (OUTBOX_LEASE_SECONDS, 30 s by default).
LEASE_S = 3
RECOVERY_DEADLINE_S = 40.0


def _env(db_url: str, fake: FakeTelegram) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "ZALO_", "DATABASE_URL", "HTTP_"))}
    env.update(PYTHONPATH=str(ROOT), DATABASE_URL=db_url, TELEGRAM_BOT_TOKEN=fake.token,
               TELEGRAM_API_BASE_URL=fake.base_url, TELEGRAM_FILE_BASE_URL=fake.file_base_url,
               TELEGRAM_MODE="polling", TELEGRAM_RATE_PER_SECOND="200", HTTP_HOST="127.0.0.1",
               HTTP_PORT=str(free_port()), LOG_LEVEL="WARNING",
               OUTBOX_LEASE_SECONDS=str(LEASE_S))
    return env


def _start(tmp_path: Path, env: dict[str, str], name: str) -> subprocess.Popen[bytes]:
    log = (tmp_path / f"{name}.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


async def _wait(predicate: Callable[[], bool], seconds: float) -> None:
    """Poll a predicate until a deadline. The fake's own wait_for wakes only when a call has
    been answered, which is too late to see a request that is still being held."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not predicate():
        assert loop.time() < deadline, "condition not met in time"
        await asyncio.sleep(0.005)


async def _pending(db_url: str) -> int:
    from storage import db

    engine = db.make_engine(db_url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(select(func.count()).select_from(Delivery)
                                         .where(Delivery.status == "pending")) or 0)
    finally:
        await engine.dispose()


async def test_sigkill_mid_broadcast_then_restart_delivers_exactly_once(tmp_path: Path) -> None:
    # setup: 500 tổ trưởng on Telegram, the broadcast queued from a text file by the CLI
    db_url = f"sqlite:///{tmp_path / 'bot.db'}"
    app = await open_app(make_settings(db_url, tmp_path))
    try:
        for i in range(RECIPIENTS):
            await make_person(app, Role.GROUP_LEADER, group=f"TDP0{i % 5 + 1}",
                              platform=Platform.TELEGRAM, account=str(FIRST_CHAT + i))
    finally:
        await app.close()
    fake = await FakeTelegram().start()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        env = _env(db_url, fake)
        (tmp_path / "tb.txt").write_text("Thông báo: ra quân tổng vệ sinh Chủ nhật.\n",
                                         encoding="utf-8")
        cli = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "broadcast", "--file", "tb.txt", "--audience",
            "all_groups", cwd=tmp_path, env=env, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE)
        out, err = (b.decode() for b in await asyncio.wait_for(cli.communicate(), 60))
        assert cli.returncode == 0, err
        assert f"{RECIPIENTS} tin nhắn tới {RECIPIENTS} người" in out

        def delivered() -> int:
            return sum(len(fake.sent.get(FIRST_CHAT + i, [])) for i in range(RECIPIENTS))

        # execute: let a good part go out, hold the next send in flight, kill -9
        procs.append(_start(tmp_path, env, "first"))
        await _wait(lambda: delivered() >= 150, 60)
        fake.fail("sendMessage", 500, delay=120)
        calls = len(fake.calls_of("sendMessage"))
        await _wait(lambda: len(fake.calls_of("sendMessage")) > calls, 30)
        procs[0].send_signal(signal.SIGKILL)
        procs[0].wait(timeout=30)
        at_kill = delivered()
        procs.append(_start(tmp_path, env, "second"))
        await _wait(lambda: delivered() >= RECIPIENTS, RECOVERY_DEADLINE_S)
        # verify
        assert 150 <= at_kill < RECIPIENTS
        counts = [len(fake.sent.get(FIRST_CHAT + i, [])) for i in range(RECIPIENTS)]
        assert counts == [1] * RECIPIENTS
        assert all("Đã nhận" in str(m.get("reply_markup")) for i in range(RECIPIENTS)
                   for m in fake.sent[FIRST_CHAT + i])
        remaining = [await _pending(db_url)]
        while remaining[-1] and len(remaining) < 200:  # the last rows are marked after sending
            await asyncio.sleep(0.05)
            remaining.append(await _pending(db_url))
        assert remaining[-1] == 0
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
        await fake.stop()
