"""The Telegram channel: python-telegram-bot 22 driven by hand, in polling or webhook mode.

We build PTB's Application ourselves (never run_polling/run_webhook: they own the event loop and
signals) and feed every private-chat update to the neutral engine. In webhook mode the route
(telegram_webhook.py) lives on the project's aiohttp server and only queues updates. Either way
the Application hands each update to chat lanes (bot/lanes.py): chats are answered side by side,
each chat's updates in order; stop() finishes every update received."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web
from telegram import BotCommand, CallbackQuery, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.adapters.replies import deliver_replies
from bot.adapters.telegram_inbound import chosen_label, to_incoming
from bot.adapters.telegram_outbound import (
    MAX_TEXT,
    TelegramFileFetcher,
    TelegramMessenger,
    describe,
    telegram_pacer,
)
from bot.adapters.telegram_polling import ObservedRequest, TelegramPoller, WebhookWatch
from bot.adapters.telegram_webhook import WEBHOOK_PATH, WebhookReceiver
from bot.app import App
from bot.channels import ChannelStartError
from bot.lanes import ChatLanes
from bot.supervisor import ChannelSupervisor, timing_from
from core.pacing import RetryPolicy
from core.ports import FileFetcher, Messenger
from core.texts import telegram as t
from core.types import ChatRef, Platform, Reply
from storage.send_slots import shared_slots

# Opt in to PTB's future timedelta API now: otherwise every RetryAfter emits a deprecation warning.
os.environ.setdefault("PTB_TIMEDELTA", "1")

logger = logging.getLogger(__name__)

_SECRET_FORMAT = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class TelegramStartError(ChannelStartError):
    """The channel could not start; the message is Vietnamese and never contains the token."""


@dataclass(frozen=True, slots=True)
class TelegramTimeouts:
    """HTTP timeouts (seconds); tests shorten them against the loopback fake."""

    connect: float = 10
    read: float = 10
    write: float = 20
    pool: float = 5
    poll: int = 25  # getUpdates long-poll duration
    reply_retries: int = 3  # 429s, 5xx and timeouts retried while answering a user
    reply_max_wait: float = 10
    reply_backoff: float = 0.5  # after a 5xx or timeout: this, then doubled


class TelegramChannel:
    """Inbound (polling or webhook) and outbound Telegram for one bot token."""

    platform = Platform.TELEGRAM

    def __init__(self, app: App, timeouts: TelegramTimeouts | None = None) -> None:
        self.app = app
        self.settings = app.settings
        self.timeouts = timeouts or TelegramTimeouts()
        self.webhook = self.settings.telegram.mode == "webhook"
        self.health = app.deps.ops.channel(Platform.TELEGRAM)
        self.health.mode = self.settings.telegram.mode
        self.application = self._build()
        s, tmo = self.settings, self.timeouts
        # One pacer for replies and the outbox (core/pacing.py).
        self.outbound = TelegramMessenger(
            self.application.bot,
            telegram_pacer(s.telegram.rate_per_second, s.telegram.rate_per_chat_per_second,
                           s.telegram.chat_burst, shared_slots(app.engine, "telegram")),
            RetryPolicy(attempts=tmo.reply_retries + 1, backoff_s=tmo.reply_backoff,
                        max_wait_s=tmo.reply_max_wait))
        self.messenger: Messenger = self.outbound
        self.fetcher: FileFetcher | None = TelegramFileFetcher(self.application.bot)
        secret = self.settings.telegram.webhook_secret.get_secret_value()
        self.receiver = WebhookReceiver(secret, self.application.bot,
                                        self.application.update_queue)
        self.lanes = ChatLanes(self.settings.concurrent_chats)
        # Observability: updates fully handled so far, and a hook called after each one.
        self.processed = 0
        self.after_update: Callable[[], None] | None = None
        bot = self.application.bot
        self.poller = TelegramPoller(bot, self.application.update_queue, self.health,
                                     self.timeouts.poll)
        self.supervisor = ChannelSupervisor(Platform.TELEGRAM, self.health,
                                            timing_from(self.settings), self.poller.probe,
                                            describe)
        self.watch: WebhookWatch | None = None

    def _build(self) -> Application:  # type: ignore[type-arg]
        s, tmo = self.settings, self.timeouts
        builder = (Application.builder()
                   .token(s.telegram.bot_token.get_secret_value())
                   .base_url(s.telegram.api_base_url)
                   .base_file_url(s.telegram.file_base_url)
                   .get_updates_connect_timeout(tmo.connect)
                   .get_updates_read_timeout(tmo.read).get_updates_pool_timeout(tmo.pool)
                   .job_queue(None)  # our scheduler owns timed jobs (telegram-bot-api.md §2.6)
                   # No Updater: webhooks come to our server, polling is telegram_polling.py's.
                   .updater(None)
                   .request(ObservedRequest(self.app.deps.ops, connect_timeout=tmo.connect,
                                            read_timeout=tmo.read, write_timeout=tmo.write,
                                            pool_timeout=tmo.pool, connection_pool_size=256)))
        application = builder.build()
        application.add_handler(TypeHandler(Update, self._on_update))
        application.add_error_handler(self._on_error)
        return application

    @property
    def running(self) -> bool:
        return self.application.running and self.supervisor.alive and self.health.up

    def routes(self) -> list[web.RouteDef]:
        """POST /telegram/webhook in webhook mode; nothing in polling mode."""
        return [web.post(WEBHOOK_PATH, self.receiver.handle)] if self.webhook else []

    # --- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """getMe, command menu, then long polling or setWebhook."""
        webhook_url = self._webhook_url() if self.webhook else ""
        try:
            await self.application.initialize()
        except InvalidToken:
            await self.application.bot.shutdown()
            logger.error("Telegram rejected the bot token")
            raise TelegramStartError(t.TOKEN_REJECTED) from None
        except TelegramError as exc:
            await self.application.bot.shutdown()
            raise TelegramStartError(t.CONNECT_FAILED.format(detail=describe(exc))) from None
        try:
            await self._go_live(webhook_url)
        except TelegramError as exc:
            await self.application.shutdown()
            raise TelegramStartError(t.CONNECT_FAILED.format(detail=describe(exc))) from None

    async def _go_live(self, webhook_url: str) -> None:
        bot, deps = self.application.bot, self.app.deps
        deps.bot_usernames[Platform.TELEGRAM] = bot.username
        deps.messengers[Platform.TELEGRAM] = self.messenger
        if self.fetcher is not None:
            deps.fetchers[Platform.TELEGRAM] = self.fetcher
        await self._publish_commands()
        await self.application.start()
        if self.webhook:
            secret = self.settings.telegram.webhook_secret.get_secret_value()
            self.watch = WebhookWatch(bot, webhook_url, secret)
            await self.watch.register()
            self.receiver.accepting = True
            self.supervisor.start(self.watch.check, webhook=True,
                                  interval_s=self.settings.webhook_check_seconds)
        else:
            await bot.delete_webhook()  # getUpdates answers 409 while a webhook is set
            self.supervisor.start(self.poller.poll_once)
        logger.info("Telegram channel started as @%s (%s)", bot.username,
                    "webhook" if self.webhook else "polling")

    def _webhook_url(self) -> str:
        base = self.settings.public_base_url.strip().rstrip("/")
        if not base:
            raise TelegramStartError(t.WEBHOOK_NEEDS_URL)
        if not _SECRET_FORMAT.match(self.settings.telegram.webhook_secret.get_secret_value()):
            raise TelegramStartError(t.WEBHOOK_NEEDS_SECRET)
        return base + WEBHOOK_PATH

    async def _publish_commands(self) -> None:
        known = self.app.core.router.commands
        commands = [BotCommand(name, text) for name, text in t.COMMANDS if name in known]
        try:
            await self.application.bot.set_my_commands(commands)
        except TelegramError as exc:  # a missing menu is cosmetic: keep serving
            logger.warning("setMyCommands failed: %s", describe(exc))

    async def stop(self) -> None:
        """Stop fetching, finish the updates already queued, close HTTP sessions."""
        self.receiver.accepting = False
        await self.supervisor.stop()
        if not self.webhook:
            await self.poller.confirm()
        if self.application.running:
            await self.application.stop()  # hands every update queued before it to the lanes
        await self.lanes.drain()
        await self.application.shutdown()

    # --- inbound ------------------------------------------------------------------------------

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if self.webhook:
            self.health.polled()  # the last webhook delivery, for /healthz
        chat = update.effective_chat
        await self.lanes.submit(str(chat.id) if chat else "",
                                lambda: self._handle_counted(update))

    async def _handle_counted(self, update: Update) -> None:
        try:
            await self._handle(update)
        except Exception as error:
            logger.error("Telegram update failed: %s", describe(error), exc_info=error)
        finally:
            self.processed += 1
            if self.after_update is not None:
                self.after_update()

    async def _handle(self, update: Update) -> None:
        query = update.callback_query
        if query is not None:
            await self._answer(query)
        msg = to_incoming(update)
        if msg is None:
            return

        progress: list[Reply] = []

        async def send_now(reply: Reply) -> None:  # a progress message, before the replies
            progress.append(reply)
            await deliver_replies(self.outbound, self.app.deps, msg.chat, [reply])

        replies = await self.app.core.handle(msg, send_now)
        if not replies:
            return  # a duplicate: already answered
        if query is not None:
            # A progress message already stands below the menu: the answer goes below it too.
            if not progress and await self._edit_into(query, msg.chat, replies[0]):
                replies = replies[1:]
            else:
                await self._mark_choice(query)
        await deliver_replies(self.outbound, self.app.deps, msg.chat, replies)

    async def _answer(self, query: CallbackQuery) -> None:
        """Stop the button's spinner at once, whatever happens next."""
        try:
            await query.answer()
        except TelegramError as exc:
            logger.info("answerCallbackQuery failed: %s", describe(exc))

    async def _edit_into(self, query: CallbackQuery, chat: ChatRef, reply: Reply) -> bool:
        """Edit the pressed menu into the step's first reply, under a line noting the choice,
        so a step costs one message (style.md §6); False to fall back to a new message."""
        label = chosen_label(query)
        message = query.message
        if label is None or message is None or not message.is_accessible:
            return False  # not a button of that message (forged or stale)
        if not getattr(message, "text", None):
            return False  # a photo or document's caption is not edited into a step
        return await self.outbound.edit(chat, message.message_id, reply,
                                        t.CHOSEN_STEP.format(label=label))

    async def _mark_choice(self, query: CallbackQuery) -> None:
        """Remove the pressed menu's buttons and note the choice, so old buttons cannot linger."""
        label = chosen_label(query)
        message = query.message
        if label is None or message is None or not message.is_accessible:
            return  # not a button of that message (forged or stale): leave the chat untouched
        text = getattr(message, "text", None)
        note = t.CHOSEN.format(label=label)
        try:
            async with self.outbound.pacer.turn(str(message.chat.id)):  # an edit is a message
                if text and len(text) + len(note) + 2 <= MAX_TEXT:
                    await query.edit_message_text(f"{text}\n\n{note}", reply_markup=None)
                else:
                    await query.edit_message_reply_markup(reply_markup=None)
        except TelegramError as exc:
            logger.info("menu edit failed: %s", describe(exc))

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        error = context.error
        logger.error("Telegram update failed: %s", describe(error) if error else "?",
                     exc_info=error)


def telegram_channel(app: App) -> TelegramChannel | None:
    """The channel factory for `python -m bot run`: None when TELEGRAM_BOT_TOKEN is unset."""
    if not app.settings.telegram.bot_token.get_secret_value():
        return None
    return TelegramChannel(app, TelegramTimeouts(poll=app.settings.telegram.poll_seconds))
