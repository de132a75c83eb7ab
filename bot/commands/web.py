"""`web --as WHO`: serve the web desk alone (no messenger token needed) on HTTP_HOST:HTTP_PORT
and print a one-time sign-in link for that person: the way to try it, and to get in on a
first start."""

from __future__ import annotations

import argparse
import asyncio
import sys

from sqlalchemy import select

from bot.app import opened_app
from bot.commands.run import install_signals
from bot.desk import mount_desk
from bot.web import build_web_app, start_site
from bot.web_downloads import download_routes
from core.settings import Settings
from core.texts import desk as tx
from core.textutil import fold, format_datetime
from services.web_access import create_login_link, link_url
from storage.models import Person


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("web", help=tx.CLI_HELP)
    p.add_argument("--as", dest="who", required=True, help=tx.CLI_AS_HELP)
    p.set_defaults(func=run)


def base_url(settings: Settings, port: int) -> str:
    if settings.public_base_url:
        return settings.public_base_url.rstrip("/")
    host = settings.http_host if settings.http_host not in ("0.0.0.0", "::", "") else "127.0.0.1"
    return f"http://{host}:{port}"


async def run(args: argparse.Namespace, settings: Settings, *,
              stop_event: asyncio.Event | None = None) -> int:
    async with opened_app(settings) as app:
        now = app.deps.clock.now()
        async with app.deps.sessions.begin() as s:
            people = list(await s.scalars(select(Person).where(Person.active)))
            match = [p for p in people if str(p.id) == args.who.strip()
                     or fold(p.name) == fold(args.who)]
            if len(match) != 1:
                print(tx.CLI_UNKNOWN.format(who=args.who), file=sys.stderr)
                return 2
            person = match[0]
            link = await create_login_link(s, person.id, now)
        if link is None:
            print(tx.CLI_NO_ACCESS.format(who=args.who), file=sys.stderr)
            return 2
        web_app = build_web_app(app.deps, (), download_routes(app.deps))
        mount_desk(web_app, app.deps)
        try:
            runner = await start_site(web_app, settings.http_host, settings.http_port)
        except OSError as exc:  # the port is taken
            print(tx.CLI_START_FAILED.format(reason=exc), file=sys.stderr)
            return 1
        try:
            # The port actually bound (HTTP_PORT=0: any free one).
            port = runner.addresses[0][1] if runner.addresses else settings.http_port
            base = base_url(settings, port)
            expires = format_datetime(link.expires_at.astimezone(settings.tz))
            print(tx.CLI_SERVING.format(base=base, name=person.name, expires=expires,
                                        url=link_url(base, link)), flush=True)
            stop_event = stop_event or asyncio.Event()
            install_signals(stop_event)
            await stop_event.wait()
        finally:
            await runner.cleanup()
        return 0
