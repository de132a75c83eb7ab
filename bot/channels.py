"""What `python -m bot run` needs from a messenger channel (Telegram, Zalo)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Protocol

from bot.app import App
from bot.supervisor import ChannelSupervisor
from core.deps import Deps
from core.ports import FileFetcher, Messenger
from core.types import Platform

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
    supervisor: ChannelSupervisor  # keeps inbound alive; its on_change alerts admins

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


# Each factory returns a channel when its token is configured, else None.
ChannelFactory = Callable[[App], Channel | None]
# Background services (scheduler, delivery worker): start(deps) returns an async stop().
ServiceStarter = Callable[[Deps], Awaitable[Callable[[], Awaitable[None]]]]
