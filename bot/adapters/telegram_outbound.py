"""The core's replies → Telegram messages; the outbound Messenger and the evidence FileFetcher."""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import MessageLimit
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from core.logs import RedactSecrets
from core.pacing import PACING_MARGIN, Failure, Pacer, RetryPolicy, send_paced
from core.ports import FileTooLarge, SharedSlots
from core.render import TELEGRAM, Capabilities, render_plain
from core.texts import telegram as t
from core.textutil import shorten
from core.types import Attachment, ChatRef, Outcome, Reply, SendResult

logger = logging.getLogger(__name__)

MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH  # 4096
MAX_CAPTION = MessageLimit.CAPTION_LENGTH  # 1024
MAX_CALLBACK_BYTES = 64
MAX_BUTTON_LABEL = 60
_redactor = RedactSecrets()


def keyboard(reply: Reply) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and inline keyboard for a reply; a numbered list when an id cannot be a button."""
    if not reply.options:
        return reply.text, None
    if any(not o.id or len(o.id.encode()) > MAX_CALLBACK_BYTES for o in reply.options):
        logger.warning("option id too long for Telegram callback data: menu sent as a list")
        return render_plain(reply), None
    buttons = [InlineKeyboardButton(_clip(o.label), callback_data=o.id) for o in reply.options]
    # Short labels (Lưu / Sửa lại / Hủy) sit side by side; long task titles get a row each.
    width = 3 if all(len(o.label) <= 12 for o in reply.options) else 1
    rows = [buttons[i:i + width] for i in range(0, len(buttons), width)]
    return reply.text or t.MENU_ONLY, InlineKeyboardMarkup(rows)


def _clip(label: str) -> str:
    return shorten(label, MAX_BUTTON_LABEL)


def telegram_pacer(per_second: float, per_chat: float, burst: int,
                   shared: SharedSlots | None = None) -> Pacer:
    """The one pacer of a process's Telegram sends: ~30 msg/s overall, ~1 msg/s per chat after a
    short burst (telegram-bot-api.md §1)."""
    return Pacer(per_second, per_chat, burst=burst, margin=PACING_MARGIN, shared=shared)


def classify(exc: Exception) -> Failure:
    """429 (wait as told), 5xx, timeouts and network errors: try again; anything else: not."""
    if isinstance(exc, RetryAfter):
        return Failure(True, retry_seconds(exc))
    if isinstance(exc, Forbidden | BadRequest | ChatMigrated | InvalidToken):
        return Failure(False)  # BadRequest before NetworkError: a subclass
    return Failure(isinstance(exc, TimedOut | NetworkError))


async def send_reply(bot: Bot, chat_id: int | str, reply: Reply, pacer: Pacer,
                     policy: RetryPolicy) -> list[Message]:
    """Send one reply, split as needed, each message paced and retried within `policy` (a
    retry repeats only the message that failed); returns the messages it took. Raises
    TelegramError (or OSError for a missing file)."""
    text, markup = keyboard(reply)
    parts = TELEGRAM.split(text) if text else []
    chat = str(chat_id)

    async def send(part: str, last: bool) -> Message:
        return await send_paced(pacer, chat, partial(
            bot.send_message, chat_id, part, reply_markup=markup if last else None),
            classify, policy)

    if reply.file is None:
        return [await send(part, index == len(parts) - 1) for index, part in enumerate(parts)]
    caption = reply.file.caption
    if len(caption) > MAX_CAPTION:
        parts += TELEGRAM.split(caption)
        caption = ""
    sent = [await send(part, False) for part in parts]
    sent.append(await send_paced(pacer, chat, partial(_send_file, bot, chat_id, reply, caption,
                                                      markup), classify, policy))
    return sent


async def _send_file(bot: Bot, chat_id: int | str, reply: Reply, caption: str,
                     markup: InlineKeyboardMarkup | None) -> Message:
    assert reply.file is not None
    with reply.file.path.open("rb") as handle:
        upload = InputFile(handle, filename=reply.file.file_name)
        if reply.file.kind == "photo":
            return await bot.send_photo(chat_id, upload, caption=caption or None,
                                        reply_markup=markup)
        return await bot.send_document(chat_id, upload, caption=caption or None,
                                       reply_markup=markup)


def retry_seconds(exc: RetryAfter) -> float:
    value = exc.retry_after  # int, or timedelta with PTB_TIMEDELTA=1
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def describe(exc: BaseException) -> str:
    """A short error description for logs and the outbox; never contains the token."""
    if isinstance(exc, InvalidToken):
        return "InvalidToken: token rejected"  # PTB's message embeds the token itself
    message = exc.message if isinstance(exc, TelegramError) else str(exc)
    return _redactor.redact(f"{type(exc).__name__}: {message}")[:300]


def send_failure(exc: Exception) -> SendResult:
    """Map a send error: flood → retry later, blocked/bad request → never retry."""
    detail = describe(exc)
    if isinstance(exc, RetryAfter):
        return SendResult(Outcome.RETRY, retry_after_s=retry_seconds(exc), detail=detail)
    if isinstance(exc, ChatMigrated):
        return SendResult(Outcome.GONE, detail=f"{detail} (new chat {exc.new_chat_id})")
    if isinstance(exc, Forbidden | BadRequest):  # BadRequest before NetworkError: a subclass
        return SendResult(Outcome.GONE, detail=detail)
    if isinstance(exc, InvalidToken | TimedOut | NetworkError | TelegramError):
        return SendResult(Outcome.RETRY, detail=detail)
    if isinstance(exc, OSError):  # the file to send is missing: retrying will not help
        return SendResult(Outcome.GONE, detail=detail)
    logger.error("unexpected Telegram send error: %s", detail)
    return SendResult(Outcome.RETRY, detail=detail)


ONCE = RetryPolicy(attempts=1)
MAX_MENUS = 10_000  # chats whose latest step menu is remembered


class TelegramMessenger:
    """Replies and bot-initiated sends (reminders, broadcasts) through one pacer; maps every
    error to a SendResult."""

    def __init__(self, bot: Bot, pacer: Pacer, policy: RetryPolicy | None = None) -> None:
        self.bot, self.pacer = bot, pacer
        self.policy = policy or RetryPolicy()
        # chat → the bot's newest message there when it is a step's menu (sent by this
        # process). Only such a menu is edited into the next step: an older menu would take the
        # answer up the screen, and a notice from the outbox (a broadcast with its "Đã nhận"
        # button, a reminder) keeps its text.
        self.menus: dict[str, int] = {}

    def is_menu(self, chat: ChatRef, message_id: int) -> bool:
        """Whether `message_id` is a step's menu and the newest message this process sent."""
        return self.menus.get(str(chat.chat_id)) == message_id

    def _remember(self, chat: ChatRef, message_id: int | None) -> None:
        key = str(chat.chat_id)
        self.menus.pop(key, None)  # re-inserted last: the oldest chats are forgotten first
        if message_id is None:
            return
        self.menus[key] = message_id
        if len(self.menus) > MAX_MENUS:
            del self.menus[next(iter(self.menus))]

    @property
    def capabilities(self) -> Capabilities:
        return TELEGRAM

    async def send(self, chat: ChatRef, reply: Reply) -> SendResult:
        """An outbox send: each message tried once (the worker retries the row)."""
        return await self._deliver(chat, reply, ONCE)

    async def reply(self, chat: ChatRef, reply: Reply) -> SendResult:
        """An answer to the person: transient errors retried within the policy."""
        return await self._deliver(chat, reply, self.policy, step=True)

    async def edit(self, chat: ChatRef, message_id: int, reply: Reply, heading: str) -> bool:
        """Edit a text message of the bot into `reply` (one step's answer), `heading` on top.

        Paced and retried like a send (an edit counts against the chat's budget). False, with
        nothing changed, when the reply cannot be one edit (a file, or more than one message's
        text) or Telegram refuses the edit (not modified, too old, deleted): the caller then
        sends it as a new message instead."""
        if reply.file is not None or not self.is_menu(chat, message_id):
            return False
        text, markup = keyboard(reply)
        text = f"{heading}\n\n{text}"
        if len(TELEGRAM.split(text)) != 1:
            return False
        tries = 0

        async def call() -> object:
            nonlocal tries
            tries += 1
            try:
                return await self.bot.edit_message_text(text, chat_id=chat.chat_id,
                                                        message_id=message_id,
                                                        reply_markup=markup)
            except BadRequest as exc:
                if tries > 1 and "not modified" in exc.message.lower():
                    return True  # an earlier try got through and only its answer was lost
                raise

        try:
            await send_paced(self.pacer, str(chat.chat_id), call, classify, self.policy)
        except Exception as exc:
            logger.info("menu edit into the next step failed: %s", describe(exc))
            return False
        self._remember(chat, message_id if markup is not None else None)
        return True

    async def _deliver(self, chat: ChatRef, reply: Reply, policy: RetryPolicy, *,
                       step: bool = False) -> SendResult:
        try:
            sent = await send_reply(self.bot, chat.chat_id, reply, self.pacer, policy)
        except Exception as exc:
            return send_failure(exc)
        # The chat's newest message is now this one: a menu only if a step's buttons are on it.
        self._remember(chat, sent[-1].message_id if step and reply.options and sent else None)
        return SendResult(Outcome.SENT, parts=len(sent))


class TelegramFileFetcher:
    """Downloads a user's photo or document (getFile + file URL), refusing oversized files."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def fetch(self, attachment: Attachment, max_bytes: int) -> bytes:
        """The file's bytes; FileTooLarge above max_bytes (or Telegram's own 20 MB limit)."""
        if attachment.size is not None and attachment.size > max_bytes:
            raise FileTooLarge()
        try:
            remote = await self.bot.get_file(attachment.ref)
        except BadRequest as exc:
            if "too big" in exc.message.lower():
                raise FileTooLarge() from None
            raise
        if remote.file_size is not None and remote.file_size > max_bytes:
            raise FileTooLarge()
        content = bytes(await remote.download_as_bytearray())
        if len(content) > max_bytes:
            raise FileTooLarge()
        return content
