"""Bench 4: a real `python -m bot run` (polling) with 10,000 registered people: time from process
start to the first answered update (target ≤ 2 s), then its RSS after it has sent bench 1's
broadcast to 1,000 tổ trưởng (target ≤ 150 MB). Reference printed beside: the RSS and start
time of a bare `python -c "import telegram, sqlalchemy, aiohttp"` process.

    .venv/bin/python bench/memory_start.py [--people 10000] [--leaders 1000]"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import common
from broadcast_throughput import queue_broadcast

from bot.app import open_app
from core.settings import load_settings
from core.types import Platform, Role
from tests.fake_telegram import FakeTelegram
from tests.zalo_harness import free_port

FIRST_LEADER, FIRST_HEAD = 600_000, 700_000


def rss_mb(pid: int) -> tuple[float, float]:
    """(current RSS, peak RSS) in MB from /proc."""
    fields = dict(line.split(":", 1) for line in
                  Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)


def reference() -> tuple[float, float]:
    """Start time and RSS of a process that only imports the libraries the bot runs on."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "import telegram.ext, sqlalchemy.ext.asyncio, "
                             "aiohttp, aiosqlite, apscheduler, sys; print('ok', flush=True); "
                             "sys.stdin.read()"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    proc.stdout.readline()
    took = time.perf_counter() - started
    rss = rss_mb(proc.pid)[0]
    proc.communicate(b"")
    return took, rss


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--leaders", type=int, default=1000)
    args = parser.parse_args()
    print(f"bench 4 — memory and start ({common.machine()})")
    fake = await FakeTelegram().start()
    fake.flood_limits(30, 1)
    with common.temp_dir() as folder:
        db_url = common.sqlite_url(folder)
        settings = load_settings(database_url=db_url, evidence_dir=folder / "ev",
                                 _env_file=None)
        app = await open_app(settings)
        leaders = await common.bulk_people(app, Role.GROUP_LEADER, args.leaders,
                                           platform=Platform.TELEGRAM, first_chat=FIRST_LEADER,
                                           with_groups=True)
        units = await common.bulk_units(app, 500)
        heads = await common.bulk_people(app, Role.UNIT_HEAD, args.people - args.leaders,
                                         platform=Platform.TELEGRAM, first_chat=FIRST_HEAD,
                                         unit_ids=units)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TELEGRAM_", "ZALO_", "DATABASE_URL", "HTTP_"))}
        env.update(PYTHONPATH=str(common.ROOT), DATABASE_URL=db_url,
                   TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_API_BASE_URL=fake.base_url,
                   TELEGRAM_FILE_BASE_URL=fake.file_base_url, TELEGRAM_MODE="polling",
                   HTTP_HOST="127.0.0.1", HTTP_PORT=str(free_port()), LOG_LEVEL="WARNING",
                   EVIDENCE_DIR=str(folder / "ev"))
        fake.push_text(heads[0], "/trogiup")  # waiting for the bot when it comes up
        started = time.perf_counter()
        # Popen returns at once; the fake server and the loop keep running meanwhile.
        proc = subprocess.Popen(  # noqa: ASYNC220
            [sys.executable, "-m", "bot", "run"], cwd=folder, env=env)
        try:
            await fake.wait_for(lambda: bool(fake.sent.get(heads[0])), timeout=60)
            first_answer = time.perf_counter() - started
            after_start = rss_mb(proc.pid)[0]
            queued = await queue_broadcast(app)
            sending = time.perf_counter()
            await fake.wait_for(lambda: all(fake.sent.get(c) for c in leaders), timeout=600)
            sent_in = time.perf_counter() - sending
            rss, peak = rss_mb(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            # In a thread: the fake server lives on this event loop and must answer the bot's
            # last getUpdates while it shuts down.
            await asyncio.to_thread(proc.wait, 30)
            await app.close()
            await fake.stop()
    ref_start, ref_rss = reference()
    print(f"  first answered update {first_answer:.2f} s after process start (target ≤ 2 s); "
          f"bare library imports take {ref_start:.2f} s: ratio {first_answer / ref_start:.1f}")
    print(f"  RSS {after_start:.0f} MB after start; after sending {queued} broadcast messages "
          f"({sent_in:.1f} s, 429s: {fake.rate_limited}): {rss:.0f} MB, peak {peak:.0f} MB "
          f"(target ≤ 150 MB); bare imports {ref_rss:.0f} MB: ratio {rss / ref_rss:.1f}")


if __name__ == "__main__":
    asyncio.run(main())
