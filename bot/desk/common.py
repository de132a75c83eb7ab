"""What every page of the desk shares: the signed-in visit, the session/role/CSRF guard, the
page and message renderers, and the round a page shows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp_jinja2
from aiohttp import BodyPartReader, MultipartReader, web

from core.deps import Deps
from core.texts import desk as tx
from services.web_access import WebUser, csrf_ok, csrf_token, current_user
from storage import plans
from storage.plans import PeriodInfo
from storage.scoping import WardSessions

PREFIX = "/desk"
COOKIE = "danvan_desk"
DEPS: web.AppKey[Deps] = web.AppKey("deps", Deps)
UPLOAD_LIMIT = 10 * 1024 * 1024  # a roster or a plan is far smaller


@dataclass(frozen=True, slots=True)
class Visit:
    """A signed-in request: who, and the token the forms must carry."""

    user: WebUser
    csrf: str
    session: str
    # A multipart POST's reader, past its CSRF field (the guard read it), for the upload
    multipart: MultipartReader | None = None


Page = Callable[[web.Request, Visit], Awaitable[web.StreamResponse]]
Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


def message(request: web.Request, title_text: tuple[str, str], status: int,
            visit: Visit | None = None) -> web.Response:
    title, text = title_text
    return aiohttp_jinja2.render_template(
        "message.html", request, {"title": title, "text": text, "visit": visit}, status=status)


def refusal(request: web.Request, visit: Visit, text: str, status: int = 400) -> web.Response:
    """A use case's refusal (worded for a person) on the "Chưa thực hiện được" page."""
    return message(request, (tx.REFUSED_TITLE, text), status, visit)


def page(name: str, request: web.Request, visit: Visit, **context: Any) -> web.Response:
    return aiohttp_jinja2.render_template(name, request, {"visit": visit, **context})


def signed_in(handler: Page, *, admin: bool = False, city: bool = False) -> Route:
    """The route needs a valid session (else the "Cần đăng nhập" page), an admin's if `admin`,
    the city's staff's if `city`,
    and on POST the session's CSRF token (a multipart form carries it as its first field, so
    it is checked before the upload is read)."""

    async def route(request: web.Request) -> web.StreamResponse:
        deps = request.app[DEPS]
        token = request.cookies.get(COOKIE, "")
        async with deps.sessions.begin() as s:
            user = await current_user(s, token, deps.clock.now(), deps.settings)
        if user is None:
            raise web.HTTPSeeOther(PREFIX + "/can-dang-nhap")
        visit = Visit(user, csrf_token(token), token)
        if (admin and not user.admin) or (city and not user.city):
            return message(request, tx.CITY_ONLY if city else tx.FORBIDDEN, 403, visit)
        if request.method == "POST":
            if request.content_type == "multipart/form-data":
                reader = await request.multipart()
                given = await _first_field(reader, "csrf")
                visit = Visit(user, visit.csrf, token, reader)
            else:
                try:
                    given = str((await request.post()).get("csrf", ""))
                except web.HTTPRequestEntityTooLarge:
                    return message(request, tx.FORM_TOO_BIG, 413, visit)
            if not csrf_ok(token, given):
                return message(request, tx.CSRF, 403, visit)
        return await handler(request, visit)

    return route


async def _first_field(reader: MultipartReader, name: str) -> str:
    """The multipart body's first field if it is `name` (short), else ''."""
    part = await reader.next()
    if not isinstance(part, BodyPartReader) or part.name != name or part.filename is not None:
        return ""
    return (await part.read(decode=True))[:200].decode("ascii", "replace")


async def form(request: web.Request) -> dict[str, str]:
    """The urlencoded form's fields as text (already read by the guard)."""
    return {k: str(v) for k, v in (await request.post()).items()}


def scoped(request: web.Request, visit: Visit) -> WardSessions:
    """The visit's sessions: every read and change limited to the signed-in person's ward."""
    return WardSessions(request.app[DEPS].sessions, visit.user.ward_id)


def no_period(request: web.Request, visit: Visit,
              every: list[PeriodInfo]) -> web.StreamResponse:
    """The page when the asked-for round is not there: none yet, or not this one."""
    if not every:
        return message(request, tx.NO_PERIOD, 200, visit)
    return message(request, tx.NOT_FOUND, 404, visit)


async def periods(request: web.Request, visit: Visit,
                  wanted: str | None) -> tuple[list[PeriodInfo], PeriodInfo | None]:
    """Every round, and the one asked for (else the first open one, else the latest)."""
    deps = request.app[DEPS]
    async with scoped(request, visit).begin() as s:
        every = await plans.all_periods(s)
        current = plans.open_among(every, deps.clock.today())
    chosen = next((p for p in every if wanted is not None and str(p.id) == wanted), None)
    if chosen is None and wanted:
        return every, None
    return every, chosen or (current[0] if current else (every[-1] if every else None))
