"""The project's one aiohttp server: health check, messenger webhooks, signed downloads."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiohttp import web

from bot.channels import Channel
from bot.health import health_report
from bot.metrics import metrics_route
from core.deps import Deps

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024  # webhook bodies are small JSON; anything bigger is refused


def build_web_app(deps: Deps, channels: Sequence[Channel],
                  extra_routes: Sequence[web.RouteDef] = ()) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY_BYTES)

    async def healthz(_request: web.Request) -> web.Response:
        """200 when the database, every channel and the sweep are well; 503 with the reasons."""
        healthy, body = await health_report(deps, channels)
        return web.json_response(body, status=200 if healthy else 503)

    app.router.add_get("/healthz", healthz)
    app.router.add_routes([metrics_route(deps)])
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
