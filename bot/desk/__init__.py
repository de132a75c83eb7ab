"""The web desk for Phòng Văn hóa - Xã hội (issue 17), under /desk on the project's aiohttp
server: the app and its routes. The pages live by group in this package (signin, round,
broadcasts, roster, plans, report, audit; common holds the guard and renderers).

Pages only translate requests into calls of the same use cases as chat and the command line,
and their results into templates (autoescaped: unit names, entries and broadcast texts are
user input). Every route but the sign-in link's needs a session; admin pages refuse a unit
head's; every POST carries the session's CSRF token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.desk import audit, broadcasts, city, matrix, plans, report, roster, signin
from bot.desk.common import DEPS, PREFIX, signed_in
from core.deps import Deps

HERE = Path(__file__).parent
HEADERS = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff",
           "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
           "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                                      "frame-ancestors 'none'"}


def desk_app(deps: Deps) -> web.Application:
    # Uploads are read as a stream with their own limit (bot/desk/uploads.py); plain forms
    # keep the server's body limit.
    app = web.Application(middlewares=[_headers])
    app[DEPS] = deps
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(HERE / "templates"),
                         autoescape=jinja2.select_autoescape(default=True),
                         undefined=jinja2.StrictUndefined)
    get, post = app.router.add_get, app.router.add_post
    get("/login/{token}", signin.login_page)
    post("/login/{token}", signin.login)
    get("/can-dang-nhap", signin.need_login)
    post("/logout", signed_in(signin.logout))
    get("/", signed_in(matrix.home))
    get("/unit/{unit_id:\\d{1,9}}", signed_in(matrix.unit_page))
    get("/evidence/{period:\\d{1,9}}/{unit:\\d{1,9}}/{task:\\d{1,9}}/{n:\\d{1,3}}",
        signed_in(matrix.evidence))
    admin: list[tuple[str, str, Callable[..., Awaitable[web.StreamResponse]]]] = [
        ("GET", "/round", matrix.round_page),
        ("POST", "/download", report.download),
        ("GET", "/broadcasts", broadcasts.list_page),
        ("POST", "/broadcasts/preview", broadcasts.preview),
        ("POST", "/broadcasts/send", broadcasts.send),
        ("GET", "/broadcasts/{broadcast_id:\\d{1,9}}", broadcasts.detail),
        ("POST", "/broadcasts/{broadcast_id:\\d{1,9}}/resend", broadcasts.resend),
        ("POST", "/broadcasts/{broadcast_id:\\d{1,9}}/cancel", broadcasts.cancel),
        ("POST", "/broadcasts/{broadcast_id:\\d{1,9}}/edit", broadcasts.edit),
        ("GET", "/roster", roster.roster_page),
        ("POST", "/roster/import", roster.import_preview),
        ("POST", "/roster/import/confirm", roster.import_confirm),
        ("POST", "/roster/active", roster.set_active),
        ("POST", "/roster/invite", roster.invite),
        ("POST", "/roster/invites.xlsx", roster.bulk_invites),
        ("GET", "/plans", plans.plans_page),
        ("POST", "/plans/import", plans.import_preview),
        ("POST", "/plans/import/confirm", plans.import_confirm),
        ("POST", "/rounds/add", plans.add_round),
        ("POST", "/rounds/closed", plans.set_closed),
        ("POST", "/calendar", plans.calendar_override),
        ("POST", "/calendar/clear", plans.calendar_clear),
        ("POST", "/assignments", plans.assign),
        ("GET", "/report", report.report_page),
        ("POST", "/report", report.save),
        ("POST", "/report/send", report.send_to_city),
        ("GET", "/audit", audit.audit_page),
    ]
    for method, path, handler in admin:
        app.router.add_route(method, path, signed_in(handler, admin=True))
    get("/city", signed_in(city.city_page, city=True))
    post("/city/ward-report", signed_in(city.ward_report, city=True))
    post("/city/download", signed_in(city.download, city=True))
    app.router.add_static("/static", HERE / "static")
    return app


def admin_routes(app: web.Application) -> list[tuple[str, str]]:
    """(method, path) of every route for a ward's admins only (the tests' authorisation
    matrix; the city's pages have their own guard)."""
    return [(r.method, r.resource.canonical) for r in app.router.routes()
            if r.resource is not None and r.method in ("GET", "POST")
            and r.resource.canonical not in ("/", "/logout", "/can-dang-nhap")
            and not r.resource.canonical.startswith(("/login", "/unit", "/evidence", "/static",
                                                      "/city"))]


def mount_desk(app: web.Application, deps: Deps) -> None:
    app.add_subapp(PREFIX, desk_app(deps))


@web.middleware
async def _headers(request: web.Request,
                   handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                   ) -> web.StreamResponse:
    response = await handler(request)
    for key, value in HEADERS.items():
        response.headers.setdefault(key, value)
    return response
