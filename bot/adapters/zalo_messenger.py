"""Outbound Zalo: replies and bot-initiated sends as plain text parts, and evidence downloads."""

from __future__ import annotations

import asyncio
import logging

import aiohttp

from bot.adapters.zalo import ZaloApiError, ZaloBotClient
from core.ports import FileTooLarge
from core.render import render_plain
from core.texts import zalo as zt
from core.textutil import split_numbered
from core.types import Attachment, ChatRef, Outcome, Reply, SendResult
from services.zalo_quota import ZaloQuota

logger = logging.getLogger(__name__)

TEXT_LIMIT = 2000  # sendMessage accepts 1-2000 characters


def render_parts(reply: Reply) -> list[str]:
    """Numbered menu text, split on paragraph/line boundaries into '(1/3) …' parts."""
    text = render_plain(reply)
    if reply.file is not None:
        # sendPhoto takes public URLs only and there is no document upload on Zalo.
        text = f"{text}\n\n{zt.FILE_NOT_ON_ZALO.format(name=reply.file.file_name)}".strip()
    return split_numbered(text, TEXT_LIMIT) if text.strip() else []


class Pacer:
    """Spaces sends at most `per_second` apart: Zalo publishes no rate limit, so be modest."""

    def __init__(self, per_second: float) -> None:
        self.interval = 1.0 / per_second
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            now = asyncio.get_running_loop().time()
            if self._next > now:
                await asyncio.sleep(self._next - now)  # pacing, not synchronisation
            self._next = max(now, self._next) + self.interval


class ZaloMessenger:
    """Messenger port for Zalo; never raises platform errors."""

    def __init__(self, client: ZaloBotClient, quota: ZaloQuota, pacer: Pacer) -> None:
        self.client, self.quota, self.pacer = client, quota, pacer

    async def send(self, chat: ChatRef, reply: Reply) -> SendResult:
        """A bot-initiated send: held (RETRY until next month) once the quota is used up."""
        parts = render_parts(reply)
        held = await self.quota.hold_for(len(parts))
        if held is not None:
            return held
        return await self._deliver(chat.chat_id, parts)

    async def reply(self, chat: ChatRef, reply: Reply) -> SendResult:
        """An answer to the person's own message: goes out even when the quota is used up."""
        return await self._deliver(chat.chat_id, render_parts(reply))

    async def _deliver(self, chat_id: str, parts: list[str]) -> SendResult:
        sent = 0
        result = SendResult(Outcome.SENT, parts=len(parts))
        for part in parts:
            await self.pacer.wait()
            try:
                await self.client.send_message(chat_id, part)
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
