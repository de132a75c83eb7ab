"""Telegram's inbound lifecycle under supervision: our own getUpdates loop, probe, webhook watch.

PTB's Updater gives up for good after one 401 ("Invalid token. Aborting retry loop.") and cannot
be restarted cleanly afterwards, so we long-poll with `bot.get_updates` ourselves and hand each
update to the Application's queue, as the Updater would."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from telegram import Bot
from telegram.error import InvalidToken, TelegramError
from telegram.request import HTTPXRequest

from bot.adapters.telegram_inbound import ALLOWED_UPDATES
from bot.supervisor import TokenRefused
from core.ops import ChannelState, OpsState
from core.types import Platform

logger = logging.getLogger(__name__)

_SEND_METHODS = ("sendMessage", "sendPhoto", "sendDocument")


class ObservedRequest(HTTPXRequest):
    """PTB's HTTP client that notes each send the platform accepted (health and metrics)."""

    def __init__(self, ops: OpsState, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.ops = ops

    async def do_request(self, url: str, method: str, *args: Any,
                         **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(url, method, *args, **kwargs)
        api = url.rsplit("/", 1)[-1]
        if api in _SEND_METHODS:
            self.ops.sent(Platform.TELEGRAM, "sent" if code == 200 else f"http_{code}")
        return code, payload


class TelegramPoller:
    """One getUpdates at a time; the offset confirms what the queue already holds."""

    def __init__(self, bot: Bot, queue: Any, state: ChannelState, poll_timeout: int) -> None:
        self.bot, self.queue, self.state, self.poll_timeout = bot, queue, state, poll_timeout
        self.offset = 0

    async def poll_once(self) -> None:
        try:
            updates = await self.bot.get_updates(offset=self.offset, timeout=self.poll_timeout,
                                                 allowed_updates=ALLOWED_UPDATES)
        except InvalidToken:
            raise TokenRefused from None
        for update in updates:
            await self.queue.put(update)
            self.offset = update.update_id + 1

    async def probe(self) -> None:
        try:
            await self.bot.get_me()
        except InvalidToken:
            raise TokenRefused from None

    async def confirm(self) -> None:
        """Mark what was fetched as read, so the next start does not fetch it again."""
        if self.offset:
            with contextlib.suppress(TelegramError):
                await self.bot.get_updates(offset=self.offset, timeout=0)


class WebhookWatch:
    """Re-registers the webhook when getWebhookInfo shows it lost or pointing elsewhere."""

    def __init__(self, bot: Bot, url: str, secret: str) -> None:
        self.bot, self.url, self.secret = bot, url, secret

    async def register(self) -> None:
        await self.bot.set_webhook(self.url, secret_token=self.secret,
                                   allowed_updates=ALLOWED_UPDATES)

    async def check(self) -> None:
        try:
            info = await self.bot.get_webhook_info()
            if info.url != self.url:
                logger.warning("telegram webhook %s: registering it again",
                               "lost" if not info.url else "pointed elsewhere")
                await self.register()
        except InvalidToken:
            raise TokenRefused from None
