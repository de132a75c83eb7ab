"""What `python -m bot run` needs from a messenger channel (Telegram, Zalo)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from bot.core import Platform
from bot.ports import FileFetcher, Messenger

if TYPE_CHECKING:
    from aiohttp import web


class ChannelStartError(Exception):
    """A channel could not start (wrong token, unreachable API, incomplete webhook settings).

    The message is Vietnamese, for the person running the bot, and never contains a secret."""


class Channel(Protocol):
    """A running connection to one messenger: inbound (polling or webhook) and outbound."""

    platform: Platform
    messenger: Messenger
    fetcher: FileFetcher | None

    @property
    def running(self) -> bool: ...

    def routes(self) -> list[web.RouteDef]:
        """Webhook routes to mount on the shared aiohttp server (empty in polling mode)."""
        ...

    async def start(self) -> None:
        """Connect (getMe), then start polling or register the webhook."""
        ...

    async def stop(self) -> None:
        """Finish in-flight updates and close sessions."""
        ...
