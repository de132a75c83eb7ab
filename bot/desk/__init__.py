"""The web desk for Phòng Văn hóa - Xã hội (issue 17), under /desk on the project's aiohttp
server: sign-in by one-time link, the round at a glance, a unit's entries, the roster, and the
report's downloads through the session.

Pages only translate requests into calls of services and storage, and their results into
templates (autoescaped: unit names and entries are user input). Every route but the sign-in
link's needs a session; admin pages refuse a unit head's; every POST carries the session's
CSRF token."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web

from bot.desk.ratelimit import AttemptLimiter
from core.deps import Deps
from core.texts import STATUS_LABELS
from core.texts import desk as tx
from core.types import Status
from services import report_sections
from services.exports import COMPILATION, REPORT, Issuer, download_name, export_name
from services.exports.job import ExportJob, run_export
from services.web_access import (
    LoginRefused,
    WebUser,
    csrf_ok,
    csrf_token,
    current_user,
    sign_in,
    sign_out,
)
from storage import plans, roster
from storage.desk import Cell, cell_states
from storage.entries import unit_entries
from storage.plans import PeriodInfo
from storage.summary import period_summary

logger = logging.getLogger(__name__)

PREFIX = "/desk"
COOKIE = "danvan_desk"
HERE = Path(__file__).parent
DEPS: web.AppKey[Deps] = web.AppKey("deps", Deps)
LIMITER: web.AppKey[AttemptLimiter] = web.AppKey("limiter", AttemptLimiter)
# The downloads a page offers: key → (format, document).
DOWNLOADS = {REPORT: ("docx", REPORT), COMPILATION: ("docx", COMPILATION),
             "xlsx": ("xlsx", REPORT)}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
REFUSALS = {LoginRefused.UNKNOWN: tx.LINK_UNKNOWN, LoginRefused.USED: tx.LINK_USED,
            LoginRefused.EXPIRED: tx.LINK_EXPIRED, LoginRefused.NO_ACCESS: tx.LINK_NO_ACCESS}
HEADERS = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff",
           "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
           "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'"}


@dataclass(frozen=True, slots=True)
class Visit:
    """A signed-in request: who, and the token the forms must carry."""

    user: WebUser
    csrf: str
    session: str


Page = Callable[[web.Request, Visit], Awaitable[web.StreamResponse]]


def desk_app(deps: Deps) -> web.Application:
    app = web.Application(middlewares=[_headers])
    app[DEPS] = deps
    app[LIMITER] = AttemptLimiter()
    aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(HERE / "templates"),
                         autoescape=jinja2.select_autoescape(default=True),
                         undefined=jinja2.StrictUndefined)
    app.router.add_get("/login/{token}", login_page)
    app.router.add_post("/login/{token}", login)
    app.router.add_get("/can-dang-nhap", need_login)
    app.router.add_get("/", signed_in(home))
    app.router.add_get("/round", signed_in(round_page, admin=True))
    app.router.add_get("/unit/{unit_id:\\d+}", signed_in(unit_page))
    app.router.add_get("/roster", signed_in(roster_page, admin=True))
    app.router.add_post("/download", signed_in(download, admin=True))
    app.router.add_post("/logout", signed_in(logout))
    app.router.add_static("/static", HERE / "static")
    return app


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


# --- helpers ----------------------------------------------------------------------------------


def message(request: web.Request, title_text: tuple[str, str], status: int,
            visit: Visit | None = None) -> web.Response:
    title, text = title_text
    return aiohttp_jinja2.render_template(
        "message.html", request, {"title": title, "text": text, "visit": visit}, status=status)


def page(name: str, request: web.Request, visit: Visit, **context: Any) -> web.Response:
    return aiohttp_jinja2.render_template(name, request, {"visit": visit, **context})


def _secure(deps: Deps) -> bool:
    return deps.settings.public_base_url.startswith("https://")


def signed_in(handler: Page, *, admin: bool = False) -> Callable[[web.Request],
                                                               Awaitable[web.StreamResponse]]:
    """The route needs a valid session (else the "Cần đăng nhập" page), an admin's if `admin`,
    and on POST the session's CSRF token."""

    async def route(request: web.Request) -> web.StreamResponse:
        deps = request.app[DEPS]
        token = request.cookies.get(COOKIE, "")
        async with deps.sessions.begin() as s:
            user = await current_user(s, token, deps.clock.now(), deps.settings)
        if user is None:
            raise web.HTTPSeeOther(PREFIX + "/can-dang-nhap")
        visit = Visit(user, csrf_token(token), token)
        if admin and not user.admin:
            return message(request, tx.FORBIDDEN, 403, visit)
        if request.method == "POST":
            form = await request.post()
            if not csrf_ok(token, str(form.get("csrf", ""))):
                return message(request, tx.CSRF, 403, visit)
        return await handler(request, visit)

    return route


def _peer(request: web.Request) -> str:
    return request.remote or "?"


async def _periods(deps: Deps, wanted: str | None) -> tuple[list[PeriodInfo], PeriodInfo | None]:
    """Every round, and the one asked for (else the first open one, else the latest)."""
    async with deps.sessions.begin() as s:
        every = await plans.all_periods(s)
        current = plans.open_among(every, deps.clock.today())
    chosen = next((p for p in every if wanted is not None and str(p.id) == wanted), None)
    if chosen is None and wanted:
        return every, None
    return every, chosen or (current[0] if current else (every[-1] if every else None))


# --- sign-in ----------------------------------------------------------------------------------


async def login_page(request: web.Request) -> web.StreamResponse:
    """Opening the link only shows a button: link previews in chat apps must not spend it."""
    if not request.app[LIMITER].allow(_peer(request), time.monotonic()):
        return message(request, tx.TOO_MANY, 429)
    return aiohttp_jinja2.render_template("login.html", request, {"visit": None})


async def login(request: web.Request) -> web.StreamResponse:
    deps = request.app[DEPS]
    if not request.app[LIMITER].allow(_peer(request), time.monotonic()):
        return message(request, tx.TOO_MANY, 429)
    async with deps.sessions.begin() as s:
        outcome = await sign_in(s, request.match_info["token"], deps.clock.now(), deps.settings)
    if isinstance(outcome, LoginRefused):
        return message(request, REFUSALS[outcome], 403)
    session_token, user = outcome
    logger.info("desk: person %s signed in", user.person_id)
    response = web.HTTPSeeOther(PREFIX + "/")
    response.set_cookie(COOKIE, session_token, path=PREFIX, httponly=True, samesite="Lax",
                        secure=_secure(deps), max_age=deps.settings.web_session_max_hours * 3600)
    raise response


async def need_login(request: web.Request) -> web.StreamResponse:
    return message(request, tx.NEED_LOGIN, 401)


async def logout(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    async with deps.sessions.begin() as s:
        await sign_out(s, visit.session, deps.clock.now())
    response = message(request, tx.SIGNED_OUT, 200)
    response.del_cookie(COOKIE, path=PREFIX)
    return response


# --- pages ------------------------------------------------------------------------------------


async def home(request: web.Request, visit: Visit) -> web.StreamResponse:
    if visit.user.admin:
        raise web.HTTPSeeOther(PREFIX + "/round")
    raise web.HTTPSeeOther(f"{PREFIX}/unit/{visit.user.unit_id}")


async def round_page(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    every, period = await _periods(deps, request.query.get("period"))
    if period is None:
        return message(request, tx.NO_PERIOD if not every else tx.NOT_FOUND,
                       200 if not every else 404, visit)
    async with deps.sessions.begin() as s:
        summary = await period_summary(s, period.id, details=False)
        cells = await cell_states(s, period.id)
    assert summary is not None  # the period was just read
    tasks = [t for section in summary.sections for t in section.tasks]
    rows = [(unit, [cells.get((unit.unit_id, t.id), (Cell.MISSING, "")) for t in tasks])
            for unit in summary.units]
    return page("round.html", request, visit, periods=every, period=period, summary=summary,
                tasks=tasks, rows=rows, statuses=STATUS_LABELS, Status=Status,
                downloads=DOWNLOADS)


async def unit_page(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    unit_id = int(request.match_info["unit_id"])
    if not visit.user.admin and visit.user.unit_id != unit_id:
        return message(request, tx.FORBIDDEN, 403, visit)
    every, period = await _periods(deps, request.query.get("period"))
    if period is None:
        return message(request, tx.NO_PERIOD if not every else tx.NOT_FOUND,
                       200 if not every else 404, visit)
    async with deps.sessions.begin() as s:
        unit = next((u for u in await roster.list_units(s) if u.id == unit_id), None)
        if unit is None:
            return message(request, tx.NOT_FOUND, 404, visit)
        sections = await plans.outline_of_period(s, period.id)
        entries = await unit_entries(s, period.id, unit_id)
        cells = await cell_states(s, period.id)
    return page("unit.html", request, visit, periods=every, period=period, unit=unit,
                sections=sections, entries=entries, statuses=STATUS_LABELS,
                cells={task: cell for (u, task), (cell, _) in cells.items() if u == unit_id})


async def roster_page(request: web.Request, visit: Visit) -> web.StreamResponse:
    deps = request.app[DEPS]
    async with deps.sessions.begin() as s:
        units = await roster.list_units(s)
        groups = await roster.list_groups(s)
        people = await roster.list_people(s)
    return page("roster.html", request, visit, units=units, groups=groups, people=people)


async def download(request: web.Request, visit: Visit) -> web.StreamResponse:
    """The Báo cáo, the Tổng hợp or the XLSX of a round, rendered by /xuat's job in the file
    worker process and handed over through the session (never a guessable path)."""
    deps = request.app[DEPS]
    form = await request.post()
    choice = DOWNLOADS.get(str(form.get("kind", "")))
    _, period = await _periods(deps, str(form.get("period", "")) or None)
    if choice is None or period is None:
        return message(request, tx.NOT_FOUND, 404, visit)
    fmt, document = choice
    settings = deps.settings
    now = deps.clock.now()
    settings.export_dir.mkdir(parents=True, exist_ok=True)
    job = ExportJob(settings.database_url, period.id, fmt,
                    Issuer(settings.ward_name, settings.ward_kind, deps.clock.today(),
                           settings.tz),
                    settings.export_dir / export_name(period.code, fmt, now), document=document,
                    defaults=report_sections.defaults_from(settings),
                    template=settings.report_template)
    path = await deps.files.run(run_export, job)
    if path is None:
        return message(request, tx.NOT_FOUND, 404, visit)
    name = download_name(period.code, fmt, document)
    return web.FileResponse(path, headers={
        "Content-Type": CONTENT_TYPES[fmt],
        "Content-Disposition": f'attachment; filename="{name}"'})
