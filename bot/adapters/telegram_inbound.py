"""Telegram update → the core's neutral IncomingMessage."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

from telegram import CallbackQuery, Message, Update

from core.types import Attachment, ChatRef, IncomingMessage, Platform

# Explicit, because omitting allowed_updates keeps whatever the token was set to before.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def to_incoming(update: Update) -> IncomingMessage | None:
    """The neutral event for a private-chat message or button press; None to ignore it."""
    if update.callback_query is not None:
        return _from_callback(update.update_id, update.callback_query)
    message = update.message
    if message is None or message.chat.type != "private" or message.from_user is None:
        # Group chats are out of scope: typed menu numbers from many people would collide.
        return None
    attachments = _attachments(message)
    text = message.text if message.text is not None else message.caption or ""
    return IncomingMessage(
        chat=ChatRef(Platform.TELEGRAM, str(message.chat.id)),
        sender_id=str(message.from_user.id),
        text=unicodedata.normalize("NFC", text),
        received_at=_aware(message.date),
        native_id=str(update.update_id),
        display_name=message.from_user.full_name,
        attachments=attachments,
        kind=_kind(message, attachments),
    )


def _from_callback(update_id: int, query: CallbackQuery) -> IncomingMessage | None:
    chat = query.message.chat if query.message is not None else None
    if chat is not None and chat.type != "private":
        return None
    chat_id = chat.id if chat is not None else query.from_user.id
    return IncomingMessage(
        chat=ChatRef(Platform.TELEGRAM, str(chat_id)),
        sender_id=str(query.from_user.id),
        text="",
        received_at=datetime.now(UTC),
        option_id=query.data or "",
        native_id=str(update_id),
        display_name=query.from_user.full_name,
    )


def _attachments(message: Message) -> tuple[Attachment, ...]:
    if message.photo:
        best = message.photo[-1]  # Telegram lists sizes smallest first
        return (Attachment("photo", best.file_id, "", best.file_size),)
    for media in (message.document, message.video):
        if media is not None:
            name = getattr(media, "file_name", None) or ""
            return (Attachment("document", media.file_id, name, media.file_size),)
    return ()


def _kind(message: Message, attachments: tuple[Attachment, ...]) -> str:
    if message.sticker is not None:
        return "sticker"
    if message.text is None and not attachments:
        return "unsupported"  # voice, location, contact...: nothing the core can read
    return "text"


def _aware(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.now(UTC)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def chosen_label(query: CallbackQuery) -> str | None:
    """The label of the pressed button, read from the message's own keyboard (None if absent)."""
    message = query.message
    markup = getattr(message, "reply_markup", None)
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == query.data:
                return button.text
    return None
