"""`run`: serve every channel whose token is set, the HTTP server and the scheduler."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable

from bot.alerts import ObservedEngine, admin_alerts
from bot.app import open_app
from bot.channels import ChannelFactory, ChannelStartError, ServiceStarter
from bot.desk import mount_desk
from bot.web import build_web_app, start_site
from bot.web_downloads import download_routes
from core.settings import Settings
from core.texts import cli as t

logger = logging.getLogger(__name__)

CHANNEL_FACTORIES: list[ChannelFactory] = []
SERVICES: list[ServiceStarter] = []

def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("run", help=t.RUN_HELP)
    p.set_defaults(func=run)


def _load_factories() -> None:
    """Channel adapters register themselves here (imported lazily: SDKs load only for run)."""
    if CHANNEL_FACTORIES:
        return
    from bot.adapters import registry

    CHANNEL_FACTORIES.extend(registry.channel_factories())
    SERVICES.extend(registry.services())


def webhook_problems(settings: Settings) -> list[str]:
    """A channel set to webhook mode without the public address it needs, one line each."""
    problems = []
    for name, channel in (("TELEGRAM", settings.telegram), ("ZALO", settings.zalo)):
        if (channel.bot_token.get_secret_value() and channel.mode == "webhook"
                and not settings.public_base_url.strip()):
            problems.append(t.WEBHOOK_NEEDS_PUBLIC_URL.format(name=name))
    return problems


async def run(args: argparse.Namespace, settings: Settings, *,
              stop_event: asyncio.Event | None = None) -> int:
    if not (settings.telegram.bot_token.get_secret_value()
            or settings.zalo.bot_token.get_secret_value()):
        print(t.NO_CHANNEL, file=sys.stderr)
        return 2
    problems = webhook_problems(settings)
    if problems:  # said before any network call or database work
        print(t.START_FAILED.format(reason="\n".join(problems)), file=sys.stderr)
        return 2
    _load_factories()
    app = await open_app(settings)
    stop_event = stop_event or asyncio.Event()
    install_signals(stop_event)
    app.core = ObservedEngine(app.core.router, app.deps)
    channels = [c for c in (factory(app) for factory in CHANNEL_FACTORIES) if c is not None]
    for channel in channels:
        channel.supervisor.on_change = admin_alerts(app.deps)
    stoppers: list[Callable[[], Awaitable[None]]] = []
    runner = None
    try:
        try:
            for channel in channels:
                await channel.start()
                app.deps.messengers[channel.platform] = channel.messenger
                if channel.fetcher is not None:
                    app.deps.fetchers[channel.platform] = channel.fetcher
            web_app = build_web_app(app.deps, channels, download_routes(app.deps))
            mount_desk(web_app, app.deps)
            runner = await start_site(web_app, settings.http_host, settings.http_port)
        except (ChannelStartError, OSError) as exc:  # OSError: the HTTP port is taken
            print(t.START_FAILED.format(reason=exc), file=sys.stderr)
            return 1
        for service in SERVICES:
            stoppers.append(await service(app.deps))
        app.deps.ops.sweep_expected = bool(SERVICES)
        logger.info("bot running: %s", ", ".join(c.platform.value for c in channels))
        await stop_event.wait()
    finally:
        logger.info("shutting down")
        for stop in reversed(stoppers):
            with contextlib.suppress(Exception):
                await stop()
        for channel in reversed(channels):
            with contextlib.suppress(Exception):
                await channel.stop()
        if runner is not None:
            await runner.cleanup()
        await app.close()
    return 0


def install_signals(stop_event: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop_event.set)
