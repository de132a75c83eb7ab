"""Updates handled side by side across chats, one at a time and in arrival order within a chat.

A channel that finished each update before taking the next would make every user wait for
every other user's reply to reach the messenger: a round trip to Telegram or Zalo, or a file
download, per update. Lanes run each update in its own task. A lock per chat keeps one chat's
updates in the order they arrived (tasks start in creation order and asyncio locks are fair),
and a semaphore caps how many run at once, well inside the database connection pool."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable

from core.settings import MAX_CONCURRENT_UPDATES

logger = logging.getLogger(__name__)

# Updates held in memory before the channel stops taking more: after a long downtime the rest
# wait at the messenger (Telegram keeps undelivered updates for 24 h) rather than in tasks here.
MAX_BACKLOG = 1000


class ChatLanes:
    def __init__(self, limit: int = MAX_CONCURRENT_UPDATES, backlog: int = MAX_BACKLOG) -> None:
        self._slots = asyncio.Semaphore(limit)
        self._backlog = backlog
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary())
        self._tasks: set[asyncio.Task[None]] = set()

    async def submit(self, chat_key: str, work: Callable[[], Awaitable[None]]) -> None:
        """Run `work()` after every update of this chat submitted before it; first wait while
        `backlog` updates are already in hand."""
        while len(self._tasks) >= self._backlog:
            await asyncio.wait(self._tasks, return_when=asyncio.FIRST_COMPLETED)
        lock = self._locks.get(chat_key)
        if lock is None:
            # The running task keeps its lock alive; an idle chat's lock is collected.
            lock = self._locks[chat_key] = asyncio.Lock()
        task = asyncio.create_task(self._run(lock, work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, lock: asyncio.Lock, work: Callable[[], Awaitable[None]]) -> None:
        # The chat's turn first, then a slot: waiting behind one's own chat holds no slot.
        async with lock, self._slots:
            try:
                await work()
            except Exception:  # the channels handle their own errors; this is the last guard
                logger.exception("update failed")

    @property
    def pending(self) -> int:
        """Updates submitted and not finished."""
        return len(self._tasks)

    async def drain(self) -> None:
        """Wait until every submitted update has finished (those submitted meanwhile too)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
