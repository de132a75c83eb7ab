"""Signing in by a one-time link, the "Cần đăng nhập" page and signing out.

Opening and using links are counted per address in the database (every process shares the
limit), so links cannot be guessed in bulk."""

from __future__ import annotations

import logging

import aiohttp_jinja2
from aiohttp import web

from bot.desk.common import COOKIE, DEPS, PREFIX, Visit, message
from core.deps import Deps
from core.texts import desk as tx
from services import audit
from services.web_access import LoginRefused, attempt_allowed, sign_in, sign_out

logger = logging.getLogger(__name__)

REFUSALS = {LoginRefused.UNKNOWN: tx.LINK_UNKNOWN, LoginRefused.USED: tx.LINK_USED,
            LoginRefused.EXPIRED: tx.LINK_EXPIRED, LoginRefused.NO_ACCESS: tx.LINK_NO_ACCESS}


def _secure(deps: Deps) -> bool:
    return deps.settings.public_base_url.startswith("https://")


async def _allowed(request: web.Request) -> bool:
    deps = request.app[DEPS]
    async with deps.sessions.begin() as s:
        return await attempt_allowed(s, request.remote or "?", deps.clock.now())


async def login_page(request: web.Request) -> web.StreamResponse:
    """Opening the link only shows a button: link previews in chat apps must not spend it."""
    if not await _allowed(request):
        return message(request, tx.TOO_MANY, 429)
    return aiohttp_jinja2.render_template("login.html", request, {"visit": None})


async def login(request: web.Request) -> web.StreamResponse:
    deps = request.app[DEPS]
    if not await _allowed(request):
        return message(request, tx.TOO_MANY, 429)
    async with deps.sessions.begin() as s:
        outcome = await sign_in(s, request.match_info["token"], deps.clock.now(), deps.settings)
        if not isinstance(outcome, LoginRefused):
            await audit.record(s, deps.clock.now(), outcome[1].person_id, "web_login")
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
