"""One outbound policy per messenger: a pacer shared by replies and the outbox, and bounded
retries of one API message that honour the platform's `retry_after`.

Each messenger adapter owns one `Pacer` per process; every message it puts on the wire (a reply,
a part of a long reply, an outbox send, a menu edit) waits on it first, so replies and
broadcasts draw on the same budget. A 429 pauses the pacer, so every sender of the platform
waits it out, not only the one that met it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

from core.ports import SharedSlots

logger = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]
T = TypeVar("T")

# Telegram counts messages as they ARRIVE: with sends exactly 1/30 s apart, the 31st lands on
# the one-second boundary and a few ms of HTTP jitter put 31 in one second (a 429 and a pause of
# a whole second). Spacing sends 3 % wider leaves ~30 ms of slack for 3 % of throughput
# (bench/broadcast_throughput.py: 0 × 429, wall time ≈ 1.03 × the ideal).
PACING_MARGIN = 0.03
# With a budget shared by processes the margin is not what keeps the second's count: each
# message is booked at least a second after the platform ANSWERED the one 30 bookings before
# it, which is no earlier than its arrival, however late its process sent it
# (storage/send_slots.py). This much on top of that second: clocks' rounding, nothing more.
SHARED_SPAN_SLACK_S = 0.005


class Pacer:
    """At most `per_second` messages overall and `per_chat` per second to one chat, a chat
    allowed a burst of `burst` (GCRA: after a burst, one message each 1/per_chat s)."""

    def __init__(self, per_second: float, per_chat: float, *, burst: int = 1,
                 margin: float = 0.0, monotonic: Monotonic = time.monotonic,
                 sleep: Sleep = asyncio.sleep, shared: SharedSlots | None = None) -> None:
        self.shared = shared  # the overall budget shared by every process, when there is one
        self.gap = (1.0 + margin) / per_second
        # The shared budget: at most `window` messages in any `span` seconds of arrivals, the
        # slots spaced evenly at the platform's rate in between.
        self.window = max(1, round(per_second))
        self.span = self.window / per_second + SHARED_SPAN_SLACK_S
        self.shared_gap = 1.0 / per_second
        self.chat_gap = (1.0 + margin) / per_chat
        self.tolerance = max(burst - 1, 0) * self.chat_gap
        self.monotonic, self.sleep = monotonic, sleep
        self.next_any = 0.0
        self.paused_until = 0.0
        self.chat_tat: dict[str, float] = {}  # theoretical arrival time per chat

    def _reserve(self, chat_id: str, now: float) -> float:
        """Book the earliest slot for a message to `chat_id`; no await, so no race. With a
        shared budget the overall spacing is the database's, not this process's."""
        tat = max(self.chat_tat.get(chat_id, 0.0), now)
        overall = self.paused_until if self.shared else max(self.next_any, self.paused_until)
        slot = max(now, tat - self.tolerance, overall)
        self.next_any = slot + self.gap
        self.chat_tat[chat_id] = max(tat, slot) + self.chat_gap
        if len(self.chat_tat) > 10_000:  # forget chats whose budget is back to full
            self.chat_tat = {c: t for c, t in self.chat_tat.items() if t > now}
        return slot

    async def wait(self, chat_id: str) -> int | None:
        """Return when a message to `chat_id` may go out (and count it as gone): the shared
        budget's booking number, None without one. Prefer `turn`, which also reports when the
        message was answered."""
        while True:
            now = self.monotonic()
            slot = self._reserve(chat_id, now)
            if slot > now:
                await self.sleep(slot - now)  # pacing, not synchronisation
            booking = None
            if self.shared is not None:  # then the deployment's next slot, whoever books it
                booking, wait = await self.shared.claim(self.shared_gap, self.window, self.span)
                # Counted from the answer, so never before the slot on the database's clock: a
                # late process is safe (its lateness is reported with `sent`), an early one not.
                if wait > 0:
                    await self.sleep(wait)
            if self.paused_until <= self.monotonic():
                return booking
            # A 429 arrived while this message waited: book again after the pause.

    @asynccontextmanager
    async def turn(self, chat_id: str) -> AsyncIterator[None]:
        """Wait for a message's slot; send it inside the block. With a shared budget, the end
        of the block (the platform's answer back, or an error) is reported to the other
        processes as the latest moment the message can have arrived."""
        booking = await self.wait(chat_id)
        try:
            yield
        finally:
            if self.shared is not None and booking is not None:
                try:  # answered just now: nothing to subtract
                    await self.shared.sent(booking, 0.0, self.window)
                except Exception as exc:  # its booked slot stands in; the message went out
                    logger.warning("could not report a send to the shared budget: %s", exc)

    def pause(self, seconds: float) -> None:
        """The platform answered 429: nobody sends for `seconds`."""
        until = self.monotonic() + seconds
        self.paused_until = max(self.paused_until, until)
        self.next_any = max(self.next_any, until)


@dataclass(frozen=True, slots=True)
class Failure:
    """How a failed API call should be treated (the adapter classifies its own errors)."""

    transient: bool  # 429, 5xx, timeout, network: worth another try
    retry_after_s: float | None = None  # the platform said when (429)


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounded retries of one message while a person waits for the answer."""

    attempts: int = 4  # tries in all
    backoff_s: float = 0.5  # after a 5xx or a timeout: 0.5 s, then 1 s, ...
    max_wait_s: float = 10.0  # a longer retry_after gives up (the outbox may wait, a person not)


async def send_paced(pacer: Pacer, chat_id: str, call: Callable[[], Awaitable[T]],
                     classify: Callable[[Exception], Failure], policy: RetryPolicy) -> T:
    """Send one message through the pacer, retrying transient failures within `policy`;
    re-raises the last error. Only this one message is repeated, never ones sent before it."""
    for attempt in range(1, policy.attempts + 1):
        try:
            async with pacer.turn(chat_id):
                return await call()
        except Exception as exc:
            failure = classify(exc)
            if failure.retry_after_s is not None:
                pacer.pause(failure.retry_after_s)
                if pacer.shared is not None:  # every process waits it out, not only this one
                    await pacer.shared.hold(failure.retry_after_s)
            wait = (failure.retry_after_s if failure.retry_after_s is not None
                    else policy.backoff_s * 2 ** (attempt - 1))
            if not failure.transient or attempt >= policy.attempts or wait > policy.max_wait_s:
                raise
            logger.info("send to a chat failed (%s); try %d of %d in %.1f s", exc, attempt + 1,
                        policy.attempts, wait)
            if failure.retry_after_s is None:
                await pacer.sleep(wait)  # a 429 is waited out by the pacer itself
    raise AssertionError("unreachable")
