"""Keeps a channel's inbound side alive: restarts its poller, waits out a refused token.

The channel gives three coroutines: `poll_once` (one long poll, updates handed on), `probe`
(getMe) and `check_webhook` (re-register when lost). Failures are retried with capped
exponential backoff and jitter; a refused token (TokenRefused) marks the channel down and is
probed slowly until it works again. Each incident is logged once, when it starts and when it
ends, never with a traceback per retry."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from core.ops import ChannelState, utcnow
from core.settings import Settings
from core.types import Platform

logger = logging.getLogger(__name__)

Action = Callable[[], Awaitable[None]]
# Called on every transition: (platform, up, reason); reason is empty when it comes back.
ChangeHook = Callable[[Platform, bool, str], Awaitable[None]]
Describe = Callable[[BaseException], str]

REASON_TOKEN = "token"
REASON_NETWORK = "network"


class TokenRefused(Exception):
    """The platform answered 401: the token is revoked or wrong."""


@dataclass(frozen=True, slots=True)
class SupervisorTiming:
    backoff_s: tuple[float, float] = (1.0, 60.0)
    probe_s: float = 60.0  # getMe pace while the token is refused
    stale_s: float = 90.0  # no successful poll for this long: the channel is down
    webhook_check_s: float = 300.0


class ChannelSupervisor:
    """One background task per channel: the poll loop, or the webhook watch."""

    def __init__(self, platform: Platform, state: ChannelState, timing: SupervisorTiming,
                 probe: Action, describe: Describe) -> None:
        self.platform, self.state, self.timing = platform, state, timing
        self.probe, self.describe = probe, describe
        self.on_change: ChangeHook | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def alive(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self, action: Action, *, interval_s: float = 0.0, webhook: bool = False) -> None:
        name = f"{self.platform.value}-{'webhook-watch' if webhook else 'poll'}"
        self._task = asyncio.create_task(self._loop(action, interval_s, webhook), name=name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _loop(self, action: Action, interval_s: float, webhook: bool) -> None:
        low, high = self.timing.backoff_s
        delay, failing_since = low, 0.0
        while True:
            try:
                await action()
            except TokenRefused:
                await self._token_refused()
                delay, failing_since = low, 0.0
                continue
            except Exception as exc:  # network, 5xx, 409: back off and try again
                if not failing_since:
                    failing_since = time.monotonic()
                    logger.warning("%s %s failed (%s); retrying with backoff up to %g s",
                                   self.platform.value, "webhook check" if webhook else "poll",
                                   self.describe(exc), high)
                if not webhook and self._stale():
                    await self._mark(False, REASON_NETWORK)
                await asyncio.sleep(delay * random.uniform(0.5, 1.0))
                delay = min(delay * 2, high)
                continue
            if not webhook:
                self.state.polled()
            if failing_since:
                logger.info("%s %s works again after %.0f s", self.platform.value,
                            "webhook check" if webhook else "polling",
                            time.monotonic() - failing_since)
            delay, failing_since = low, 0.0
            await self._mark(True, "")
            if interval_s:
                await asyncio.sleep(interval_s)

    def _stale(self) -> bool:
        since = self.state.last_poll or self.state.started_at
        return (utcnow() - since).total_seconds() >= self.timing.stale_s

    async def _token_refused(self) -> None:
        """Down until getMe works again, probed at a slow pace."""
        await self._mark(False, REASON_TOKEN)
        while True:
            await asyncio.sleep(self.timing.probe_s)
            try:
                await self.probe()
            except Exception:  # still refused, or unreachable: keep probing quietly
                continue
            logger.info("%s token accepted again: resuming", self.platform.value)
            return

    async def _mark(self, up: bool, reason: str) -> None:
        if self.state.up == up:
            return
        self.state.up, self.state.reason = up, reason
        if up:
            logger.warning("%s channel is back up", self.platform.value)
        elif reason == REASON_TOKEN:
            logger.error("%s channel down: the token was refused (401); probing getMe every "
                         "%g s", self.platform.value, self.timing.probe_s)
        else:
            logger.error("%s channel down: no successful poll for %g s; still retrying",
                         self.platform.value, self.timing.stale_s)
        if self.on_change is not None:
            try:
                await self.on_change(self.platform, up, reason)
            except Exception as exc:
                logger.warning("channel change alert failed: %s", self.describe(exc))


def timing_from(settings: Settings) -> SupervisorTiming:
    high = settings.channel_backoff_max_seconds
    return SupervisorTiming(backoff_s=(min(1.0, high), high),
                            probe_s=settings.channel_probe_seconds,
                            stale_s=settings.channel_stale_seconds,
                            webhook_check_s=settings.webhook_check_seconds)
