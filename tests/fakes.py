"""Real test doubles for the core's ports (no mocks): a messenger with scripted outcomes and a
fake time source whose sleep moves the clock instead of waiting."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.ports import FixedClock
from core.render import TELEGRAM, Capabilities
from core.types import ChatRef, Outcome, Reply, SendResult

SENT = SendResult(Outcome.SENT)


@dataclass(frozen=True, slots=True)
class Call:
    chat: ChatRef
    reply: Reply
    result: SendResult
    at: datetime  # the injected clock's time of the call


class FakeMessenger:
    """Records every send; returns scripted results per chat, then a global queue, then SENT."""

    def __init__(self, clock: FixedClock | None = None) -> None:
        self.clock = clock
        self.calls: list[Call] = []
        self.scripted: list[SendResult] = []
        self.per_chat: dict[str, list[SendResult]] = {}
        self.always: dict[str, SendResult] = {}  # e.g. a chat that blocked the bot

    @property
    def capabilities(self) -> Capabilities:
        return TELEGRAM

    async def reply(self, chat: ChatRef, reply: Reply) -> SendResult:
        return await self.send(chat, reply)

    def script(self, chat_id: str, *results: SendResult) -> None:
        self.per_chat.setdefault(chat_id, []).extend(results)

    async def send(self, chat: ChatRef, reply: Reply) -> SendResult:
        await asyncio.sleep(0)  # a real await point, so concurrent workers interleave
        result = self._next(chat.chat_id)
        moment = self.clock.now() if self.clock else datetime.min
        self.calls.append(Call(chat, reply, result, moment))
        return result

    def _next(self, chat_id: str) -> SendResult:
        if chat_id in self.always:
            return self.always[chat_id]
        queue = self.per_chat.get(chat_id)
        if queue:
            return queue.pop(0)
        return self.scripted.pop(0) if self.scripted else SENT

    @property
    def sent(self) -> list[tuple[ChatRef, Reply]]:
        return [(c.chat, c.reply) for c in self.calls if c.result.outcome is Outcome.SENT]

    def sent_to(self, chat_id: str) -> list[Reply]:
        return [reply for chat, reply in self.sent if chat.chat_id == chat_id]


class FakeTime:
    """monotonic() and sleep() for the rate limiter, both on the fixed clock: sleeping
    advances the clock instead of waiting, and a test moving the clock moves time too."""

    def __init__(self, clock: FixedClock) -> None:
        self.clock = clock
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.clock.now().timestamp()

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.clock.advance(timedelta(seconds=seconds))
        await asyncio.sleep(0)
