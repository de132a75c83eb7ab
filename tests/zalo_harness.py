"""The real Zalo channel wired to the fake Zalo API, and a person chatting through it."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.adapters.zalo import ZaloBotClient
from bot.adapters.zalo_channel import ZaloChannel
from bot.app import App, open_app
from bot.web import build_web_app, start_site
from core.ports import FixedClock
from core.types import Platform, Role
from storage import entries, invites, plans, roster
from storage.entries import EntryDraft
from tests.conftest import make_settings
from tests.fake_zalo import TOKEN, FakeZalo

SECRET = "webhook-secret-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ZaloRig:
    app: App
    channel: ZaloChannel
    fake: FakeZalo
    runner: web.AppRunner | None
    server_url: str

    async def close(self) -> None:
        await self.channel.stop()
        if self.runner is not None:
            await self.runner.cleanup()
        await self.app.close()


async def open_rig(db_url: str, tmp_path: Path, clock: FixedClock, fake: FakeZalo, *,
                   mode: str = "polling", client_timeout_s: float = 3.0,
                   **overrides: Any) -> ZaloRig:
    """App + channel (+ the shared web server in webhook mode), started like `bot run` does."""
    port = free_port()
    server_url = f"http://127.0.0.1:{port}"
    settings = make_settings(
        db_url, tmp_path, zalo_bot_token=TOKEN, zalo_api_base_url=fake.base_url,
        zalo_mode=mode, zalo_webhook_secret=SECRET, zalo_rate_per_second=1000,
        **{"zalo_rate_per_chat_per_second": 1000, **overrides},
        public_base_url=server_url, http_port=port)
    app = await open_app(settings, clock)
    session = aiohttp.ClientSession()
    client = ZaloBotClient(session, TOKEN, base_url=fake.base_url, timeout_s=client_timeout_s,
                           poll_timeout_s=1)
    channel = ZaloChannel(app, client, session, backoff_s=(0.02, 0.1))
    app.deps.messengers[Platform.ZALO] = channel.messenger
    if channel.fetcher is not None:
        app.deps.fetchers[Platform.ZALO] = channel.fetcher
    runner = None
    if mode == "webhook":
        runner = await start_site(build_web_app(app.deps, [channel]), "127.0.0.1", port)
    await channel.start()
    return ZaloRig(app, channel, fake, runner, server_url)


class ZaloUser:
    """One Zalo account talking to the bot; each call waits until the bot has answered."""

    def __init__(self, rig: ZaloRig, user_id: str) -> None:
        self.rig, self.user_id = rig, user_id
        self.replies: list[str] = []

    async def _exchange(self, push: Any, *args: Any, **kw: Any) -> list[str]:
        fake, channel = self.rig.fake, self.rig.channel
        mark, target = len(fake.texts_to(self.user_id)), channel.handled + 1
        push(self.user_id, *args, **kw)
        await fake.wait_for(lambda: channel.handled >= target)
        self.replies = fake.texts_to(self.user_id)[mark:]
        return self.replies

    async def say(self, text: str, **kw: Any) -> list[str]:
        return await self._exchange(self.rig.fake.push_text, text, **kw)

    async def image(self, url: str, **kw: Any) -> list[str]:
        return await self._exchange(self.rig.fake.push_image, url, **kw)

    async def sticker(self) -> list[str]:
        return await self._exchange(self.rig.fake.push_sticker)

    async def unsupported(self) -> list[str]:
        return await self._exchange(self.rig.fake.push_unsupported)

    @property
    def text(self) -> str:
        return "\n".join(self.replies)


async def new_invite(app: App, role: Role, *, unit: str | None = None,
                     person_id: int | None = None) -> str:
    """A fresh one-time code, as `python -m bot invite` would print it."""
    now = app.deps.clock.now()
    async with app.deps.sessions.begin() as s:
        unit_row = await roster.unit_by_code(s, unit) if unit else None
        created = await invites.create_invite(s, role=role.value, now=now, ttl=timedelta(days=7),
                                              unit_id=unit_row.id if unit_row else None,
                                              person_id=person_id)
    return created.code


async def annual_period(app: App) -> tuple[int, list[int]]:
    """The NAM-2025 period id and its task ids in plan order."""
    async with app.deps.sessions() as s:
        period = next(p for p in await plans.all_periods(s) if p.code == "NAM-2025")
        outline = await plans.plan_outline(s, period.plan_id)
    return period.id, [task.id for section in outline for task in section.tasks]


async def seed_entries(app: App, unit: str, task_ids: list[int], author_id: int, *,
                       difficulties: str = "", proposals: str = "") -> None:
    """Answers written straight to storage, to reach a state without chatting through it."""
    period_id, _ = await annual_period(app)
    async with app.deps.sessions.begin() as s:
        unit_row = await roster.unit_by_code(s, unit)
        assert unit_row is not None
        for task_id in task_ids:
            await entries.save_entry(
                s, period_id=period_id, unit_id=unit_row.id, task_id=task_id,
                draft=EntryDraft("done", "Đã thực hiện", difficulties, proposals, ()),
                author_id=author_id, now=app.deps.clock.now())
