"""The delivery worker: sends outbox rows per platform, with retries and pauses; the messenger
paces each message with the same pacer as its replies (core/pacing.py).

Rows are claimed under a lease in one short transaction; each send happens outside any
transaction and its result is written in another. A 429 pauses the whole channel until its
`retry_after`; other transient errors back off exponentially with jitter; 'gone' (blocked,
forbidden, unknown chat) is final and flags the account so no one writes to it again."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.deps import Deps
from core.pacing import PACING_MARGIN, Monotonic, Pacer, Sleep
from core.ports import Messenger
from core.types import Outcome, Platform, SendResult
from storage import deliveries, dialogs
from storage.deliveries import Outgoing

logger = logging.getLogger(__name__)

BACKOFF_BASE_S = 15.0
BACKOFF_CAP_S = 3600.0
BATCH = 50


@dataclass
class BatchReport:
    sent: int = 0
    retried: int = 0
    gone: int = 0
    failed: int = 0
    paused: bool = False
    claimed: int = 0


class DeliveryWorker:
    """One per process; `drain()` is called by the scheduler every few seconds."""

    def __init__(self, deps: Deps, *, sleep: Sleep = asyncio.sleep,
                 monotonic: Monotonic = time.monotonic,
                 jitter: Callable[[], float] = random.random) -> None:
        self.deps, self.sleep, self.monotonic, self.jitter = deps, sleep, monotonic, jitter
        self.paused_until: dict[Platform, datetime] = {}
        self.limiters: dict[Platform, Pacer] = {}
        lease = deps.settings.outbox_lease_seconds
        self.lease = timedelta(seconds=lease)
        # Stop a batch well before the lease runs out, so another worker never re-claims a row
        # still in use.
        self.lease_budget_s = lease / 2
        self._lock = asyncio.Lock()  # the sweep and the delivery job may call drain together

    def limiter(self, platform: Platform) -> Pacer:
        """The worker's own pacer, for a messenger that does not pace its sends itself."""
        if platform not in self.limiters:
            per_second, per_chat = self._rates(platform)
            self.limiters[platform] = Pacer(per_second, per_chat, margin=PACING_MARGIN,
                                            monotonic=self.monotonic, sleep=self.sleep)
        return self.limiters[platform]

    def _rates(self, platform: Platform) -> tuple[float, float]:
        settings = self.deps.settings
        if platform is Platform.TELEGRAM:
            return settings.telegram.rate_per_second, settings.telegram.rate_per_chat_per_second
        if platform is Platform.ZALO:
            return settings.zalo.rate_per_second, min(settings.zalo.rate_per_second, 1.0)
        return 1000.0, 1000.0

    async def drain(self) -> int:
        """Send everything due on every platform with a messenger; returns messages sent."""
        sent = 0
        async with self._lock:
            for platform in list(self.deps.messengers):
                while True:
                    report = await self.run_once(platform)
                    sent += report.sent
                    if report.paused or report.claimed < BATCH:
                        break
        return sent

    async def run_once(self, platform: Platform) -> BatchReport:
        """Claim one batch of due rows for `platform` and try each once."""
        report = BatchReport()
        messenger = self.deps.messengers.get(platform)
        now = self.deps.clock.now()
        if messenger is None or self.paused_until.get(platform, now) > now:
            report.paused = messenger is not None
            return report
        async with self.deps.sessions.begin() as s:
            rows = await deliveries.claim_due(s, platform, now, limit=BATCH, lease=self.lease)
        report.claimed = len(rows)
        started = self.monotonic()
        for index, row in enumerate(rows):
            if self.monotonic() - started > self.lease_budget_s:
                await self._release([r.id for r in rows[index:]], self.deps.clock.now())
                break
            if not isinstance(getattr(messenger, "pacer", None), Pacer):
                # The channels' messengers pace every message with the pacer their replies use
                # (one budget per platform); only a bare messenger is paced here.
                await self.limiter(platform).wait(row.chat.chat_id)
            result = await self._send(messenger, row)
            await self._record(row, result, report)
            if report.paused:
                await self._release([r.id for r in rows[index + 1:]],
                                    self.paused_until[platform])
                break
        return report

    async def _send(self, messenger: Messenger, row: Outgoing) -> SendResult:
        try:
            return await messenger.send(row.chat, deliveries.payload_to_reply(row.payload))
        except Exception as exc:  # a messenger must not raise; never lose the row if it does
            logger.exception("messenger raised for delivery %s", row.id)
            return SendResult(Outcome.RETRY, detail=f"exception: {type(exc).__name__}")

    async def _record(self, row: Outgoing, result: SendResult, report: BatchReport) -> None:
        now = self.deps.clock.now()
        async with self.deps.sessions.begin() as s:
            if result.outcome is Outcome.SENT:
                await deliveries.mark_sent(s, row.id, now)
                reply = deliveries.payload_to_reply(row.payload)
                if reply.options:
                    await dialogs.remember_menu(s, row.chat, reply.options, now)
                report.sent += 1
            elif result.outcome is Outcome.GONE:
                await deliveries.mark_gone(s, row.id, now, result.detail or "gone")
                await deliveries.flag_blocked(s, row.chat, now)
                logger.warning("delivery %s: chat gone on %s, account flagged", row.id,
                               row.chat.platform)
                report.gone += 1
            elif result.retry_after_s is not None:
                until = now + timedelta(seconds=max(result.retry_after_s, 1.0))
                self.paused_until[row.chat.platform] = until
                await deliveries.postpone(s, row.id, until, result.detail or "429")
                logger.warning("%s rate limited: channel paused %.0f s", row.chat.platform,
                               result.retry_after_s)
                report.paused = True
            else:
                at = now + timedelta(seconds=self.backoff(row.attempts))
                again = await deliveries.mark_retry(s, row.id, at, result.detail or "retry",
                                                    self.deps.settings.delivery_max_attempts)
                report.retried += again
                report.failed += not again

    def backoff(self, attempts: int) -> float:
        """Exponential with jitter (0.5–1.5×), so retries of many rows do not line up."""
        delay = min(BACKOFF_BASE_S * 2 ** attempts, BACKOFF_CAP_S)
        return delay * (0.5 + self.jitter())

    async def _release(self, ids: list[int], at: datetime) -> None:
        async with self.deps.sessions.begin() as s:
            await deliveries.release(s, ids, at)
