"""The project's one aiohttp server: health check, messenger webhooks, signed downloads."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiohttp import web
from sqlalchemy import text

from bot.channels import Channel
from core.deps import Deps

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024  # webhook bodies are small JSON; anything bigger is refused


def build_web_app(deps: Deps, channels: Sequence[Channel],
                  extra_routes: Sequence[web.RouteDef] = ()) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY_BYTES)

    async def healthz(_request: web.Request) -> web.Response:
        """200 when the database answers and every channel runs; 503 otherwise."""
        database = True
        try:
            async with deps.sessions() as s:
                await s.execute(text("SELECT 1"))
        except Exception:
            logger.warning("health check: database unreachable", exc_info=True)
            database = False
        states = {c.platform.value: c.running for c in channels}
        healthy = database and all(states.values())
        return web.json_response({"ok": healthy, "database": database, "channels": states},
                                 status=200 if healthy else 503)

    app.router.add_get("/healthz", healthz)
    for channel in channels:
        app.router.add_routes(channel.routes())
    app.router.add_routes(list(extra_routes))
    return app


async def start_site(app: web.Application, host: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    return runner
