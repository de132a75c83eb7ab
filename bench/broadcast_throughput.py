"""Bench 1: one broadcast to 1,000 tổ trưởng through the real Telegram adapter (PTB over HTTP)
against the fake Bot API with Telegram's flood limits on (30 msg/s overall, 1/s per chat).

Prints wall time ÷ the ideal (recipients / 30 s) and the 429s received. Target ≤ 1.05, 0 × 429.
Then the same on Zalo through the real Zalo adapter at its configured rate (ZALO_RATE_PER_SECOND,
default 5/s), with fewer recipients by default so the run stays short.

    .venv/bin/python bench/broadcast_throughput.py [--telegram 1000] [--zalo 200]"""

from __future__ import annotations

import argparse
import asyncio
import time

import common
from sqlalchemy import func, select

from bot.app import App, open_app
from core.settings import load_settings
from core.types import Platform, Role
from scheduler.delivery import DeliveryWorker
from services import broadcasts as jobs
from storage import broadcasts as repo
from storage.models import Delivery


async def queue_broadcast(app: App) -> int:
    """Queue a broadcast to every tổ trưởng exactly as `python -m bot broadcast` does."""
    now = app.deps.clock.now()
    async with app.deps.sessions.begin() as s:
        row = await repo.create(s, text="Thông báo: ra quân tổng vệ sinh sáng Chủ nhật.",
                                audience="all_groups", group_ids=[], created_by=None, now=now)
        row.status, row.send_at, row.next_run_at = repo.SCHEDULED, now, now
        return await jobs.fire(s, app.deps, row.id, now)


async def drain_all(app: App) -> float:
    """Run the delivery worker until the outbox is empty; returns the wall time."""
    worker = DeliveryWorker(app.deps)
    started = time.perf_counter()
    while True:
        await worker.drain()
        async with app.deps.sessions() as s:
            left = await s.scalar(select(func.count()).select_from(Delivery)
                                  .where(Delivery.status == "pending"))
        if not left:
            return time.perf_counter() - started
        await asyncio.sleep(0.2)  # paused by a 429: the worker's tick would come back later


async def telegram(recipients: int) -> None:
    from bot.adapters.telegram import TelegramChannel
    from tests.fake_telegram import FakeTelegram
    from tests.telegram_harness import FAST

    fake = await FakeTelegram().start()
    fake.flood_limits(30, 1)
    with common.temp_dir() as folder:
        settings = load_settings(
            database_url=common.sqlite_url(folder), evidence_dir=folder / "ev", _env_file=None,
            telegram_bot_token=fake.token, telegram_api_base_url=fake.base_url,
            telegram_file_base_url=fake.file_base_url)
        app = await open_app(settings)
        channel = TelegramChannel(app, FAST)
        try:
            await common.bulk_people(app, Role.GROUP_LEADER, recipients,
                                     platform=Platform.TELEGRAM, first_chat=600_000,
                                     with_groups=True)
            await channel.start()
            queued = await queue_broadcast(app)
            wall = await drain_all(app)
        finally:
            await channel.stop()
            await app.close()
            await fake.stop()
    delivered = sum(1 for c in fake.sent if c >= 600_000)
    ideal = recipients / settings.telegram.rate_per_second
    print(f"telegram: {queued} queued, {delivered} delivered in {wall:.2f} s; ideal "
          f"{ideal:.2f} s at {settings.telegram.rate_per_second:g}/s; ratio {wall / ideal:.3f} "
          f"(target ≤ 1.05); 429 received: {fake.rate_limited} (target 0)")


async def zalo(recipients: int) -> None:
    import aiohttp

    from bot.adapters.zalo import ZaloBotClient
    from bot.adapters.zalo_channel import ZaloChannel
    from tests.fake_zalo import TOKEN, FakeZalo

    fake = FakeZalo()
    await fake.start()
    with common.temp_dir() as folder:
        settings = load_settings(
            database_url=common.sqlite_url(folder), evidence_dir=folder / "ev", _env_file=None,
            zalo_bot_token=TOKEN, zalo_api_base_url=fake.base_url, zalo_monthly_quota=0)
        app = await open_app(settings)
        session = aiohttp.ClientSession()
        client = ZaloBotClient(session, TOKEN, base_url=fake.base_url, timeout_s=5,
                               poll_timeout_s=1)
        channel = ZaloChannel(app, client, session)
        app.deps.messengers[Platform.ZALO] = channel.messenger
        try:
            await common.bulk_people(app, Role.GROUP_LEADER, recipients, platform=Platform.ZALO,
                                     first_chat=600_000, with_groups=True)
            await channel.start()
            queued = await queue_broadcast(app)
            wall = await drain_all(app)
        finally:
            await channel.stop()
            await session.close()
            await app.close()
            await fake.close()
    ideal = recipients / settings.zalo.rate_per_second
    print(f"zalo: {queued} queued, {len(fake.sent)} delivered in {wall:.2f} s; ideal "
          f"{ideal:.2f} s at {settings.zalo.rate_per_second:g}/s; ratio {wall / ideal:.3f} "
          f"(target ≤ 1.05; the Zalo fake has no flood control, so no 429 can occur)")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--telegram", type=int, default=1000)
    parser.add_argument("--zalo", type=int, default=200)
    args = parser.parse_args()
    print(f"bench 1 — broadcast throughput ({common.machine()})")
    if args.telegram:
        await telegram(args.telegram)
    if args.zalo:
        await zalo(args.zalo)


if __name__ == "__main__":
    asyncio.run(main())
