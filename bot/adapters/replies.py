"""Answers to a person's message, shared by the channels: through the messenger's `reply` (one
pacer per platform, bounded retries), in order, never dropped silently."""

from __future__ import annotations

import logging

from core.deps import Deps
from core.ports import Messenger
from core.types import ChatRef, Outcome, Reply
from storage import dialogs

logger = logging.getLogger(__name__)


async def deliver_replies(messenger: Messenger, deps: Deps, chat: ChatRef,
                          replies: list[Reply]) -> bool:
    """Send a step's replies in order; True when all got through.

    A reply the messenger gave up on (its retries spent, or refused) stops the rest, since they
    would make no sense without it, and flags the chat in the database, so the person is told at
    their next message, whichever process handles it."""
    for reply in replies:
        result = await messenger.reply(chat, reply)
        deps.ops.replied(chat.platform, result.outcome.value)
        if result.outcome is Outcome.SENT:
            continue
        logger.warning("%s reply not delivered (%s): %s", chat.platform, result.outcome,
                       result.detail)
        try:
            async with deps.sessions.begin() as s:
                await dialogs.mark_reply_failed(s, chat, deps.clock.now())
        except Exception:
            logger.exception("could not record an undelivered reply")
        return False
    return True
