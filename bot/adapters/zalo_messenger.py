"""Outbound Zalo: replies and bot-initiated sends as plain text parts, and evidence downloads.

Every part goes through the messenger's one pacer (core/pacing.py), shared by replies and the
outbox; a reply's part that meets a transient error is tried again (bounded), the outbox's
once (the worker retries the row)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial
from typing import Any

import aiohttp

from bot.adapters.zalo import ZaloApiError, ZaloBotClient
from core.pacing import Failure, Pacer, RetryPolicy, send_paced
from core.ports import FileTooLarge, SharedSlots
from core.render import ZALO, Capabilities, render_plain
from core.texts import zalo as zt
from core.types import Attachment, ChatRef, Outcome, Reply, SendResult
from services.zalo_quota import ZaloQuota

logger = logging.getLogger(__name__)

ONCE = RetryPolicy(attempts=1)
# Zalo documents no retry_after: a 429 pauses every Zalo send this long.
RATE_LIMIT_PAUSE_S = 1.0


Send = Callable[[], Awaitable[Any]]


def render_parts(reply: Reply) -> list[str]:
    """Numbered menu text, split on paragraph/line boundaries into '(1/3) …' parts."""
    text = render_plain(reply)
    if reply.file is not None and not photo_url(reply):
        # sendPhoto takes public URLs only and there is no document upload on Zalo.
        text = f"{text}\n\n{zt.FILE_NOT_ON_ZALO.format(name=reply.file.file_name)}".strip()
    return ZALO.split(text)


def photo_url(reply: Reply) -> str:
    """The public address of a reply's photo (a signed link), "" when it has none."""
    if reply.file is None or reply.file.kind != "photo":
        return ""
    return reply.file.url


def sends(client: ZaloBotClient, chat_id: str, reply: Reply) -> list[Send]:
    """The API calls one reply takes: a photo by URL (sendPhoto, with its caption), then any
    text beyond the caption and the menu as sendMessage parts."""
    url = photo_url(reply)
    if not url:
        return [partial(client.send_message, chat_id, part) for part in render_parts(reply)]
    caption = (reply.file.caption if reply.file else "") or reply.text
    calls: list[Send] = [partial(client.send_photo, chat_id, url,
                                 caption[:ZALO.text_limit])]
    rest = replace(reply, text="" if reply.text == caption else reply.text, file=None)
    if rest.text or rest.options:
        calls += [partial(client.send_message, chat_id, part) for part in render_parts(rest)]
    return calls


def zalo_pacer(per_second: float, per_chat: float, burst: int,
               shared: SharedSlots | None = None) -> Pacer:
    """Zalo publishes no rate limit: be modest overall, ~1 message/s per chat after a burst."""
    return Pacer(per_second, per_chat, burst=burst, shared=shared)


def classify(exc: Exception) -> Failure:
    if isinstance(exc, ZaloApiError):
        if exc.error_code == 429:
            return Failure(True, RATE_LIMIT_PAUSE_S)
        return Failure(exc.transient)
    return Failure(False)


class ZaloMessenger:
    """Messenger port for Zalo; never raises platform errors."""

    def __init__(self, client: ZaloBotClient, quota: ZaloQuota, pacer: Pacer,
                 policy: RetryPolicy | None = None) -> None:
        self.client, self.quota, self.pacer = client, quota, pacer
        self.policy = policy or RetryPolicy()

    @property
    def capabilities(self) -> Capabilities:
        return ZALO

    async def send(self, chat: ChatRef, reply: Reply) -> SendResult:
        """A bot-initiated send: held (RETRY until next month) once the quota is used up."""
        parts = sends(self.client, chat.chat_id, reply)
        held = await self.quota.hold_for(len(parts))
        if held is not None:
            return held
        return await self._deliver(chat.chat_id, parts, ONCE)

    async def reply(self, chat: ChatRef, reply: Reply) -> SendResult:
        """An answer to the person's own message: goes out even when the quota is used up."""
        return await self._deliver(chat.chat_id, sends(self.client, chat.chat_id, reply),
                                   self.policy)

    async def _deliver(self, chat_id: str, parts: list[Send], policy: RetryPolicy) -> SendResult:
        sent = 0
        result = SendResult(Outcome.SENT, parts=len(parts))
        for part in parts:
            try:
                await send_paced(self.pacer, chat_id, part, classify, policy)
            except ZaloApiError as exc:
                result = _failed(exc, sent)
                break
            sent += 1
        if sent:
            await self._count(sent)
        return result

    async def _count(self, sent: int) -> None:
        try:
            await self.quota.count(sent)
        except Exception:
            # The message is out; a counting failure must not turn it into a resend.
            logger.exception("zalo quota counter update failed")


def _failed(exc: ZaloApiError, sent: int) -> SendResult:
    """429, 5xx, timeouts, network and token (401) problems: later; anything else: never."""
    outcome = Outcome.RETRY if exc.transient or exc.error_code == 401 else Outcome.GONE
    logger.warning("zalo send failed after %d part(s): %s", sent, exc)
    return SendResult(outcome, detail=str(exc), parts=sent)


class ZaloFileFetcher:
    """Downloads an image a person sent (Zalo gives a URL), refusing anything over the limit."""

    def __init__(self, session: aiohttp.ClientSession, timeout_s: float = 60.0) -> None:
        self.session = session
        self.timeout = aiohttp.ClientTimeout(total=timeout_s)

    async def fetch(self, attachment: Attachment, max_bytes: int) -> bytes:
        if not attachment.ref.startswith(("https://", "http://")):
            raise ValueError("not a download URL")
        async with self.session.get(attachment.ref, timeout=self.timeout) as resp:
            if resp.status != 200:
                raise ZaloApiError("download", resp.status, "không tải được tệp")
            if resp.content_length is not None and resp.content_length > max_bytes:
                raise FileTooLarge()
            content = bytearray()
            async for chunk in resp.content.iter_chunked(64 * 1024):
                content += chunk
                if len(content) > max_bytes:
                    raise FileTooLarge()
        return bytes(content)
