"""The bot's @username for invite deep links (https://t.me/<username>?start=CODE)."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import TelegramError
from telegram.request import HTTPXRequest

from bot.adapters.telegram_outbound import describe
from core.settings import Settings

logger = logging.getLogger(__name__)


async def telegram_username(settings: Settings, timeout_s: float = 5) -> str:
    """The username from getMe; "" when no token is set or Telegram cannot be reached."""
    token = settings.telegram.bot_token.get_secret_value()
    if not token:
        return ""
    request = HTTPXRequest(connect_timeout=timeout_s, read_timeout=timeout_s)
    bot = Bot(token, base_url=settings.telegram.api_base_url,
              base_file_url=settings.telegram.file_base_url, request=request)
    try:
        async with bot:  # initialize() is the getMe call
            return bot.username
    except TelegramError as exc:
        logger.warning("Telegram username unavailable: %s", describe(exc))
        return ""
