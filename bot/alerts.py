"""Tells admins, on another channel that works, when a channel goes down and comes back."""

from __future__ import annotations

import logging
import time

from bot.supervisor import ChangeHook
from core.deps import Deps
from core.texts import ops as ot
from core.types import IncomingMessage, Outcome, Platform, Reply
from handlers.engine import Engine
from handlers.router import SendNow
from services import ops

logger = logging.getLogger(__name__)


def admin_alerts(deps: Deps) -> ChangeHook:
    """The supervisors' change hook: one message per transition to each reachable admin."""

    async def on_change(platform: Platform, up: bool, reason: str) -> None:
        channel = ot.PLATFORM_NAMES.get(platform.value, platform.value)
        text = (ot.CHANNEL_UP.format(channel=channel) if up else
                ot.CHANNEL_DOWN.format(channel=channel, reason=ot.REASONS.get(reason, reason)))
        told = 0
        for chat in await ops.admin_chats(deps, besides=platform):
            state = deps.ops.channels.get(chat.platform)
            messenger = deps.messengers.get(chat.platform)
            if state is None or not state.up or messenger is None:
                continue
            result = await messenger.send(chat, Reply(text))
            told += result.outcome is Outcome.SENT
        logger.info("%s %s: %d admin chat(s) told", platform.value, "up" if up else "down", told)

    return on_change


class ObservedEngine(Engine):
    """The engine, timed and counted per channel for /metrics."""

    async def handle(self, msg: IncomingMessage, send_now: SendNow | None = None) -> list[Reply]:
        start = time.perf_counter()
        try:
            return await super().handle(msg, send_now)
        finally:
            self.deps.ops.handled(msg.chat.platform, time.perf_counter() - start)
