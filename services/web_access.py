"""Signing in to the web desk without passwords: one-time links bound to a person, then a
server-side session; the same use case for /web in chat and `python -m bot web --as`.

Who may use the desk: admins (everything) and unit heads with a unit (their unit, read only).
Tổ trưởng have no web access."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from core.types import Role
from storage import web_sessions

LINK_MINUTES = 15
# Sign-in attempts (opening or using a link) per address: counted in the database, so every
# process of the bot shares the limit and a restart does not reset it.
ATTEMPT_LIMIT = 20
ATTEMPT_WINDOW = timedelta(minutes=10)
LOGIN_PATH = "/desk/login/"


@dataclass(frozen=True, slots=True)
class WebUser:
    person_id: int
    name: str
    role: Role
    unit_id: int | None
    ward_id: int | None = None  # the desk shows this ward only

    @property
    def admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def city(self) -> bool:
        return self.role is Role.CITY


@dataclass(frozen=True, slots=True)
class LoginLink:
    token: str
    path: str
    expires_at: datetime


class LoginRefused(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    NO_ACCESS = "no_access"


def may_use_desk(role: str, unit_id: int | None, active: bool = True) -> bool:
    if not active:
        return False
    return role in (Role.ADMIN.value, Role.CITY.value) or (
        role == Role.UNIT_HEAD.value and unit_id is not None)


async def create_login_link(s: AsyncSession, person_id: int, now: datetime) -> LoginLink | None:
    """A new one-time link for the person, or None when they may not use the desk."""
    person = await web_sessions.person(s, person_id)
    if person is None or not may_use_desk(person.role, person.unit_id, person.active):
        return None
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(minutes=LINK_MINUTES)
    await web_sessions.add_login(s, token=token, person_id=person_id, now=now,
                                 expires_at=expires_at)
    return LoginLink(token, LOGIN_PATH + token, expires_at)


def link_url(base: str, link: LoginLink) -> str:
    return base.rstrip("/") + link.path


async def sign_in(s: AsyncSession, token: str, now: datetime,
                  settings: Settings) -> tuple[str, WebUser] | LoginRefused:
    """Spend the link: a new session's token and its user, or why not."""
    login = await web_sessions.take_login(s, token, now)
    if login is None:
        return LoginRefused.UNKNOWN
    if login.used_at is not None:
        return LoginRefused.USED
    if now >= login.expires_at:
        return LoginRefused.EXPIRED
    user = await _user(s, login.person_id)
    if user is None:
        return LoginRefused.NO_ACCESS
    session_token = secrets.token_urlsafe(32)
    await web_sessions.add_session(
        s, token=session_token, person_id=user.person_id, now=now,
        expires_at=now + timedelta(hours=settings.web_session_max_hours))
    return session_token, user


async def current_user(s: AsyncSession, token: str, now: datetime,
                       settings: Settings) -> WebUser | None:
    """The session's user while it is neither revoked, idle too long nor past its limit (and
    the person still may use the desk); each use extends the idle limit."""
    if not token or len(token) > 100:
        return None
    row = await web_sessions.session_of(s, token)
    if row is None or row.revoked_at is not None or now >= row.expires_at:
        return None
    if now - row.last_seen_at >= timedelta(minutes=settings.web_session_idle_minutes):
        return None
    user = await _user(s, row.person_id)
    if user is None:
        return None
    await web_sessions.touch_session(s, token, now)
    return user


async def sign_out(s: AsyncSession, token: str, now: datetime) -> None:
    await web_sessions.revoke_session(s, token, now)


def csrf_token(session_token: str) -> str:
    """The forms' token, tied to the session (its token never leaves the HttpOnly cookie)."""
    return hmac.new(session_token.encode(), b"danvan-desk-csrf", hashlib.sha256).hexdigest()


def csrf_ok(session_token: str, given: str) -> bool:
    return bool(given) and hmac.compare_digest(csrf_token(session_token), given)


async def _user(s: AsyncSession, person_id: int) -> WebUser | None:
    person = await web_sessions.person(s, person_id)
    if person is None or not may_use_desk(person.role, person.unit_id, person.active):
        return None
    return WebUser(person.id, person.name, Role(person.role), person.unit_id, person.ward_id)


async def attempt_allowed(s: AsyncSession, address: str, now: datetime) -> bool:
    """Counts this sign-in attempt; False once ATTEMPT_LIMIT fell in the last window."""
    since = now - ATTEMPT_WINDOW
    if await web_sessions.count_attempts(s, address, since) >= ATTEMPT_LIMIT:
        return False
    await web_sessions.add_attempt(s, address, now, forget_before=since)
    return True
