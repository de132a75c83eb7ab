"""The Telegram webhook endpoint on the project's aiohttp server.

The secret header is compared in constant time before anything is read; the body is size-limited;
a duplicate update_id (Telegram delivers at least once) is dropped; the update is queued for the
application and answered 200 at once, because a slow answer makes Telegram deliver it again."""

from __future__ import annotations

import asyncio
import hmac
import json
from collections import deque

from aiohttp import web
from telegram import Bot, Update

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_MAX_BYTES = 256 * 1024  # an update is a few kB; refuse anything far bigger unread


class RecentIds:
    """The last N update ids seen."""

    def __init__(self, size: int = 4096) -> None:
        self._order: deque[int] = deque(maxlen=size)
        self._seen: set[int] = set()

    def first_time(self, update_id: int) -> bool:
        if update_id in self._seen:
            return False
        if len(self._order) == self._order.maxlen:
            self._seen.discard(self._order[0])
        self._order.append(update_id)
        self._seen.add(update_id)
        return True


class WebhookReceiver:
    """Checks, de-duplicates and queues webhook updates; `accepting` is off while stopping."""

    def __init__(self, secret: str, bot: Bot, queue: asyncio.Queue[object]) -> None:
        self._secret = secret.encode()
        self._bot = bot
        self._queue = queue
        self._recent = RecentIds()
        self.accepting = False

    async def handle(self, request: web.Request) -> web.Response:
        """POST /telegram/webhook."""
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not self._secret or not hmac.compare_digest(given, self._secret):
            return web.Response(status=403)
        if (request.content_length or 0) > WEBHOOK_MAX_BYTES:
            return web.Response(status=413)
        body = await _read_limited(request, WEBHOOK_MAX_BYTES)
        if body is None:
            return web.Response(status=413)
        if not self.accepting:
            return web.Response(status=503)  # shutting down: Telegram will deliver it again
        try:
            update = Update.de_json(json.loads(body), self._bot)
        except (ValueError, TypeError, KeyError, AttributeError):
            return web.Response(status=400)
        if update is not None and self._recent.first_time(update.update_id):
            await self._queue.put(update)
        return web.Response(text="ok")


async def _read_limited(request: web.Request, limit: int) -> bytes | None:
    """The body, or None once it exceeds `limit` (chunked bodies have no Content-Length)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(16 * 1024):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
