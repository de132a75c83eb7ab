"""The Zalo channel: long polling or a webhook in, the neutral engine, plain-text replies out.

Polling and the webhook feed the same `dispatch`: updates are handled in chat lanes
(bot/lanes.py), one at a time per chat in arrival order, so a webhook answers 200 at once."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections import OrderedDict
from dataclasses import replace
from typing import Any

import aiohttp
from aiohttp import web

from bot.adapters.replies import deliver_replies
from bot.adapters.zalo import ZaloApiError, ZaloBotClient
from bot.adapters.zalo_messenger import ZaloFileFetcher, ZaloMessenger, zalo_pacer
from bot.adapters.zalo_updates import dedupe_key, to_incoming, unwrap
from bot.app import App
from bot.channels import ChannelStartError
from bot.lanes import ChatLanes
from bot.supervisor import (
    ChannelSupervisor,
    SupervisorTiming,
    TokenRefused,
    timing_from,
)
from core.ops import OpsState
from core.ports import FileFetcher, Messenger
from core.texts import zalo as zt
from core.types import IncomingMessage, Platform, Reply
from services.zalo_quota import ZaloQuota
from storage.send_slots import shared_slots

logger = logging.getLogger(__name__)

WEBHOOK_PATH = "/zalo/webhook"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
REPLAY_CACHE = 2048  # recent event ids; the database keeps the authoritative record


class ZaloChannel:
    """Channel (bot/channels.py) for the Zalo Bot API."""

    platform = Platform.ZALO

    def __init__(self, app: App, client: ZaloBotClient, session: aiohttp.ClientSession, *,
                 backoff_s: tuple[float, float] | None = None,
                 timing: SupervisorTiming | None = None) -> None:
        self.app, self.client = app, client
        self.settings = app.deps.settings
        self.quota = ZaloQuota(app.deps)
        # One pacer for replies and the outbox (core/pacing.py).
        pacer = zalo_pacer(self.settings.zalo.rate_per_second,
                           self.settings.zalo.rate_per_chat_per_second,
                           self.settings.zalo.chat_burst, shared_slots(app.engine, "zalo"))
        self.replies = ZaloMessenger(client, self.quota, pacer)
        self.messenger: Messenger = self.replies  # bot-initiated sends (quota-held)
        self.fetcher: FileFetcher | None = ZaloFileFetcher(session)
        self.handled = 0  # updates finished (processed or dropped); tests wait on it
        self._running = False
        self._stopping = asyncio.Event()
        self.health = app.deps.ops.channel(Platform.ZALO)
        self.health.mode = self.settings.zalo.mode
        timing = timing or timing_from(self.settings)
        if backoff_s is not None:
            timing = replace(timing, backoff_s=backoff_s)
        self.supervisor = ChannelSupervisor(Platform.ZALO, self.health, timing, self.probe, str)
        self._lanes = ChatLanes(self.settings.concurrent_chats)
        self._recent: OrderedDict[str, None] = OrderedDict()

    @property
    def running(self) -> bool:
        return self._running and self.supervisor.alive and self.health.up

    @property
    def webhook_mode(self) -> bool:
        return self.settings.zalo.mode == "webhook"

    def routes(self) -> list[web.RouteDef]:
        return [web.post(WEBHOOK_PATH, self.on_webhook)] if self.webhook_mode else []

    async def start(self) -> None:
        """getMe (fails fast on a wrong token), then register the webhook or start polling."""
        try:
            me = await self.client.get_me()
        except ZaloApiError as exc:
            raise ChannelStartError(zt.START_FAILED.format(reason=exc)) from None
        logger.info("zalo bot connected: %s", me.get("account_name", "?"))
        if self.webhook_mode:
            base = self.settings.public_base_url.rstrip("/")
            secret = self.settings.zalo.webhook_secret.get_secret_value()
            if not base or not 8 <= len(secret) <= 256:
                raise ChannelStartError(zt.WEBHOOK_NOT_CONFIGURED)
            await self.client.set_webhook(base + WEBHOOK_PATH, secret)
            self.supervisor.start(self.check_webhook, webhook=True,
                                  interval_s=self.settings.webhook_check_seconds)
        else:
            # getUpdates answers 400 while a webhook is set: the two modes exclude each other.
            await self.client.delete_webhook()
            self.supervisor.start(self.poll_once)
        self._running = True

    async def stop(self) -> None:
        """Stop receiving, finish the updates in hand, close the HTTP session."""
        self._stopping.set()
        await self.supervisor.stop()
        await self._lanes.drain()
        self._running = False
        await self.client.close()

    # --- inbound -----------------------------------------------------------------------------

    async def poll_once(self) -> None:
        """One long poll (supervised: bot/supervisor.py retries and backs off)."""
        try:
            update = await self.client.get_updates()
        except ZaloApiError as exc:
            if exc.error_code == 401:
                raise TokenRefused from None
            raise
        if update is not None:
            await self.dispatch(update)

    async def probe(self) -> None:
        try:
            await self.client.get_me()
        except ZaloApiError as exc:
            if exc.error_code == 401:
                raise TokenRefused from None
            raise

    async def check_webhook(self) -> None:
        """Register the webhook again when Zalo no longer points it at us."""
        url = self.settings.public_base_url.rstrip("/") + WEBHOOK_PATH
        try:
            info = await self.client.get_webhook_info()
        except ZaloApiError as exc:
            if exc.error_code == 401:
                raise TokenRefused from None
            raise
        if not info or info.get("url") != url:
            logger.warning("zalo webhook %s: registering it again",
                           "lost" if not info else "pointed elsewhere")
            await self.client.set_webhook(url, self.settings.zalo.webhook_secret
                                          .get_secret_value())

    async def on_webhook(self, request: web.Request) -> web.Response:
        """POST /zalo/webhook: secret first (constant time), then parse, then answer at once."""
        expected = self.settings.zalo.webhook_secret.get_secret_value().encode()
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not expected or not hmac.compare_digest(given, expected):
            return web.json_response({"ok": False}, status=403)
        if self._stopping.is_set():
            return web.json_response({"ok": False}, status=503)  # Zalo resends to the next run
        self.health.polled()
        try:
            body = await request.json()
        except ValueError:
            return web.json_response({"ok": False}, status=400)
        await self.dispatch(body)
        return web.json_response({"ok": True})

    async def dispatch(self, body: Any) -> None:
        """Hand one update to a background task, unless it was seen a moment ago."""
        update = unwrap(body)
        key = dedupe_key(update) if update is not None else ""
        if update is None or (key and key in self._recent):
            self.handled += 1
            return
        if key:
            self._recent[key] = None
            while len(self._recent) > REPLAY_CACHE:
                self._recent.popitem(last=False)
        try:
            msg = to_incoming(update)
        except Exception:
            logger.exception("zalo update could not be read")
            msg = None
        if msg is None:
            self.handled += 1
            return
        await self._lanes.submit(msg.chat.chat_id, lambda: self._process(msg))

    async def _process(self, msg: IncomingMessage) -> None:
        async def send_now(reply: Reply) -> None:  # a progress message, before the replies
            await deliver_replies(self.replies, self.app.deps, msg.chat, [reply])

        try:
            replies = await self.app.core.handle(msg, send_now)
            await deliver_replies(self.replies, self.app.deps, msg.chat, replies)
        except Exception:
            logger.exception("zalo update failed")
        finally:
            self.handled += 1


def build_channel(app: App, session: aiohttp.ClientSession | None = None) -> ZaloChannel | None:
    """The Zalo channel when ZALO_BOT_TOKEN is set; called inside the running event loop."""
    settings = app.deps.settings
    token = settings.zalo.bot_token.get_secret_value()
    if not token:
        return None
    session = session or aiohttp.ClientSession()
    client = ObservedZaloClient(session, token, base_url=settings.zalo.api_base_url,
                                poll_timeout_s=settings.zalo.poll_seconds)
    client.ops = app.deps.ops
    return ZaloChannel(app, client, session)


class ObservedZaloClient(ZaloBotClient):
    """The Zalo client that notes each send Zalo accepted or refused (health and metrics)."""

    ops: OpsState | None = None

    async def call(self, method: str, payload: dict[str, Any] | None = None,
                   **kwargs: Any) -> Any:
        if method not in ("sendMessage", "sendPhoto") or self.ops is None:
            return await super().call(method, payload, **kwargs)
        try:
            result = await super().call(method, payload, **kwargs)
        except ZaloApiError as exc:
            self.ops.sent(Platform.ZALO, f"error_{exc.error_code}")
            raise
        self.ops.sent(Platform.ZALO, "sent")
        return result
