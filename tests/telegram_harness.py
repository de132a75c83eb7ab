"""Runs the real Telegram channel (PTB over HTTP) against tests/fake_telegram.py, either mode."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web

from bot.adapters.telegram import TelegramChannel, TelegramTimeouts
from bot.app import App, open_app
from bot.web import build_web_app
from core.ports import Clock
from tests.conftest import make_settings
from tests.fake_telegram import FakeTelegram

FAST = TelegramTimeouts(connect=2, read=2, write=2, pool=2, poll=1, reply_retries=2,
                        reply_max_wait=3)
SECRET = "webhook-secret_0123456789"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    try:
        yield server
    finally:
        await server.stop()
    assert server.unknown_methods == []  # PTB would otherwise report a misleading InvalidToken


@pytest.fixture(params=["polling", "webhook"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@dataclass
class Bench:
    """One running bot: core app + Telegram channel (+ our HTTP server in webhook mode)."""

    fake: FakeTelegram
    app: App
    channel: TelegramChannel
    runner: web.AppRunner | None
    webhook_url: str

    async def close(self) -> None:
        await self.channel.stop()
        if self.runner is not None:
            await self.runner.cleanup()
        await self.app.close()


async def open_bench(fake: FakeTelegram, db_url: str, tmp_path: Path, clock: Clock | None,
                     mode: str, timeouts: TelegramTimeouts = FAST, **overrides: object) -> Bench:
    sock = None
    if mode == "webhook":
        # Bind first so the public URL (given to setWebhook) knows the port.
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        overrides = {"public_base_url": f"http://127.0.0.1:{sock.getsockname()[1]}",
                     "telegram_webhook_secret": SECRET, **overrides}
    # Flows answer at once; tests of pacing pass the real per-chat rate.
    overrides = {"telegram_rate_per_chat_per_second": 1000, **overrides}
    settings = make_settings(db_url, tmp_path, telegram_bot_token=fake.token,
                             telegram_api_base_url=fake.base_url,
                             telegram_file_base_url=fake.file_base_url, telegram_mode=mode,
                             **overrides)
    app = await open_app(settings, clock)
    channel = TelegramChannel(app, timeouts)
    channel.after_update = fake.poke
    runner = None
    if sock is not None:
        runner = web.AppRunner(build_web_app(app.deps, [channel]), access_log=None,
                               shutdown_timeout=0.5)
        await runner.setup()
        await web.SockSite(runner, sock).start()
    await channel.start()
    return Bench(fake, app, channel, runner, f"{settings.public_base_url}/telegram/webhook")


class TgUser:
    """One Telegram user in a private chat with the bot; each action waits for its handling."""

    def __init__(self, bench: Bench, chat_id: int) -> None:
        self.bench, self.chat_id = bench, chat_id

    @property
    def fake(self) -> FakeTelegram:
        return self.bench.fake

    async def _after(self, push: object) -> str:
        """What the action changed in the chat, as the person reads it now: the bot's messages
        edited meanwhile (a menu edited into the next step), then its new messages."""
        start = len(self.fake.sent.get(self.chat_id, []))
        edits = len(self.fake.edited.get(self.chat_id, []))
        target = self.bench.channel.processed + 1
        assert callable(push)
        push()
        await self.fake.wait_for(lambda: self.bench.channel.processed >= target)
        new = self.fake.sent.get(self.chat_id, [])[start:]
        fresh = {m["message_id"] for m in new}
        edited = [text for message_id, text in
                  self.fake.edited_texts(self.chat_id, edits).items() if message_id not in fresh]
        return "\n".join(edited + self.fake.texts(self.chat_id)[start:])

    async def say(self, text: str) -> str:
        return await self._after(lambda: self.fake.push_text(self.chat_id, text))

    async def press(self, label_part: str) -> str:
        return await self._after(lambda: self.fake.press(self.chat_id, label_part))

    async def press_data(self, data: str, message_id: int | None = None) -> str:
        """Press a button by its data, on the newest menu or on message `message_id`."""
        return await self._after(lambda: self.fake.push_callback(self.chat_id, data,
                                                                 message_id))

    async def photo(self, content: bytes, *, declare_size: bool = True) -> str:
        return await self._after(lambda: self.fake.push_photo(self.chat_id, content,
                                                              declare_size=declare_size))

    async def document(self, content: bytes, file_name: str,
                       mime_type: str = "application/octet-stream") -> str:
        return await self._after(lambda: self.fake.push_document(self.chat_id, content,
                                                                 file_name, mime_type))

    def labels(self) -> list[str]:
        return [label for label, _ in self.fake.buttons(self.chat_id)]
