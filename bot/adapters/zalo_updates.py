"""Zalo update (webhook body or getUpdates result) → the core's IncomingMessage.

The update shape is not stable across sources (zalo-bot-api.md §4): bodies come wrapped in
{ok, result} or flat, and the image URL sits under one of several keys."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from core.textutil import clean_input
from core.types import Attachment, ChatRef, IncomingMessage, Platform

logger = logging.getLogger(__name__)

TEXT = "message.text.received"
IMAGE = "message.image.received"
STICKER = "message.sticker.received"
UNSUPPORTED = "message.unsupported.received"
VOICE = "message.voice.received"  # newer docs only; answered like an unsupported message
_IMAGE_KEYS = ("photo", "photo_url", "url", "image", "image_url")


def unwrap(body: Any) -> dict[str, Any] | None:
    """The update itself, whether Zalo sent it wrapped in {ok, result} or flat."""
    if not isinstance(body, dict):
        return None
    result = body.get("result")
    if body.get("ok") is True and isinstance(result, dict):
        return result
    return body


def dedupe_key(update: dict[str, Any]) -> str:
    """`event_name:message_id`, the only identity an update has (no update_id, no offset)."""
    message = update.get("message")
    if not isinstance(message, dict) or not message.get("message_id"):
        return ""
    return f"{update.get('event_name', '')}:{message['message_id']}"


def to_incoming(update: dict[str, Any]) -> IncomingMessage | None:
    """The neutral message, or None for events the bot ignores (logged, acknowledged)."""
    event = str(update.get("event_name") or "")
    message = update.get("message")
    if not isinstance(message, dict):
        logger.info("zalo event %r without message ignored", event)
        return None
    sender, chat = _object(message.get("from")), _object(message.get("chat"))
    sender_id = str(sender.get("id") or "")
    chat_id = str(chat.get("id") or sender_id)
    if not sender_id or sender.get("is_bot") is True:
        return None
    if str(chat.get("chat_type") or "PRIVATE").upper() != "PRIVATE":
        # Group support is beta and binding a group chat to a person would be wrong.
        logger.info("zalo group message ignored")
        return None
    base = IncomingMessage(
        chat=ChatRef(Platform.ZALO, chat_id), sender_id=sender_id, text="",
        received_at=_received_at(message.get("date")), native_id=dedupe_key(update),
        display_name=str(sender.get("display_name") or "")[:255])
    return _by_event(event, message, base)


def _by_event(event: str, message: dict[str, Any],
              base: IncomingMessage) -> IncomingMessage | None:
    if event == TEXT:
        return replace(base, text=clean_input(str(message.get("text") or "")))
    if event == IMAGE:
        url = image_url(message)
        caption = clean_input(str(message.get("caption") or ""))
        if not url:
            return replace(base, kind="unsupported")
        return replace(base, text=caption, attachments=(Attachment("photo", url),))
    if event == STICKER:
        return replace(base, kind="sticker")
    if event in (UNSUPPORTED, VOICE):
        return replace(base, kind="unsupported")
    logger.info("zalo event %r ignored", event)
    return None


def image_url(message: dict[str, Any]) -> str:
    """Probe the keys clients have seen carrying the image URL, then an attachments list."""
    found = _url_in(message)
    for item in message.get("attachments") or []:
        if found:
            break
        if isinstance(item, dict):
            payload = item.get("payload")
            found = _url_in(item) or (_url_in(payload) if isinstance(payload, dict) else "")
    return found


def _url_in(item: dict[str, Any]) -> str:
    for key in _IMAGE_KEYS:
        value = item.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return ""


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _received_at(date_ms: Any) -> datetime:
    """Zalo dates are epoch milliseconds; fall back to now when absent or absurd."""
    try:
        return datetime.fromtimestamp(int(date_ms) / 1000, UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return datetime.now(UTC)
