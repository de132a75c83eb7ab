"""Ports the core depends on: time and outbound messengers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from core.render import Capabilities
from core.types import Attachment, ChatRef, Reply, SendResult


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware UTC now."""
        ...

    def today(self) -> date:
        """Today in the ward's time zone."""
        ...


class SystemClock:
    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return datetime.now(self.tz).date()


class FixedClock:
    """A clock tests move by hand."""

    def __init__(self, moment: datetime, tz: ZoneInfo) -> None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=tz)
        self.moment = moment.astimezone(UTC)
        self.tz = tz

    def now(self) -> datetime:
        return self.moment

    def today(self) -> date:
        return self.moment.astimezone(self.tz).date()

    def advance(self, delta: timedelta) -> None:
        self.moment += delta

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz)
        self.moment = moment.astimezone(UTC)


class Messenger(Protocol):
    """Outbound messages of one platform. The adapter paces every message it puts on the wire
    with its one pacer (core/pacing.py), shared by replies and the outbox, and falls back
    itself where its `capabilities` fall short (numbered text for buttons, ...)."""

    @property
    def capabilities(self) -> Capabilities:
        """What this messenger can show (buttons, documents, photos, text limit)."""
        ...

    async def send(self, chat: ChatRef, reply: Reply) -> SendResult:
        """One bot-initiated send (outbox), each message paced and tried once; map platform
        errors to a SendResult, never raise them (the outbox retries)."""
        ...

    async def reply(self, chat: ChatRef, reply: Reply) -> SendResult:
        """An answer to the person's message: paced, each message retried on transient errors
        within a bounded policy (never one already sent); the result says if it got through."""
        ...


class SharedSlots(Protocol):
    """Send slots of one platform shared by every process (core/pacing.py): each message books
    the next slot, `gap` seconds after the one before and `span` seconds after the moment the
    `count`th message before it was answered, whoever sent them."""

    async def claim(self, gap: float, count: int, span: float) -> tuple[int, float]:
        """Book the next slot; its number and the seconds to wait for it (0 when it is now)."""
        ...

    async def sent(self, seq: int, ago: float, count: int) -> None:
        """The platform answered booking `seq`'s message `ago` seconds ago (it cannot have
        arrived later than that)."""
        ...

    async def hold(self, seconds: float) -> None:
        """The platform answered 429: no process sends for `seconds`."""
        ...


class FileFetcher(Protocol):
    async def fetch(self, attachment: Attachment, max_bytes: int) -> bytes:
        """Download a user's file; raise FileTooLarge when over max_bytes."""
        ...


class FileTooLarge(Exception):
    pass
