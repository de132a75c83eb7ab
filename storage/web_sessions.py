"""The web desk's one-time sign-in links and sessions: rows keyed by a token's SHA-256, so a
copy of the database lets nobody in."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuthFailure, Person, WebLogin, WebSession


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class LoginRow:
    person_id: int
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True, slots=True)
class SessionRow:
    person_id: int
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


async def add_login(s: AsyncSession, *, token: str, person_id: int, now: datetime,
                    expires_at: datetime) -> None:
    s.add(WebLogin(token_hash=token_hash(token), person_id=person_id, created_at=now,
                   expires_at=expires_at))
    await s.flush()


async def take_login(s: AsyncSession, token: str, now: datetime) -> LoginRow | None:
    """The link's row as it was, marking it used in the same statement's transaction (locked,
    so two requests with one link cannot both sign in)."""
    row = await s.scalar(select(WebLogin).where(WebLogin.token_hash == token_hash(token))
                         .with_for_update())
    if row is None:
        return None
    found = LoginRow(row.person_id, row.expires_at, row.used_at)
    if row.used_at is None:
        row.used_at = now
        await s.flush()
    return found


async def add_session(s: AsyncSession, *, token: str, person_id: int, now: datetime,
                      expires_at: datetime) -> None:
    s.add(WebSession(token_hash=token_hash(token), person_id=person_id, created_at=now,
                     last_seen_at=now, expires_at=expires_at))
    await s.flush()


async def session_of(s: AsyncSession, token: str) -> SessionRow | None:
    row = await s.scalar(select(WebSession).where(WebSession.token_hash == token_hash(token)))
    if row is None:
        return None
    return SessionRow(row.person_id, row.last_seen_at, row.expires_at, row.revoked_at)


async def touch_session(s: AsyncSession, token: str, now: datetime) -> None:
    await s.execute(update(WebSession).where(WebSession.token_hash == token_hash(token))
                    .values(last_seen_at=now))


async def revoke_session(s: AsyncSession, token: str, now: datetime) -> None:
    await s.execute(update(WebSession).where(WebSession.token_hash == token_hash(token),
                                             WebSession.revoked_at.is_(None))
                    .values(revoked_at=now))


async def person(s: AsyncSession, person_id: int) -> Person | None:
    return await s.get(Person, person_id)


WEB_ATTEMPT = "web"  # the platform column of auth_failures for the desk's sign-in attempts


async def count_attempts(s: AsyncSession, key: str, since: datetime) -> int:
    """Sign-in attempts from `key` (an address) since `since`, in every process."""
    found = await s.scalar(select(func.count()).select_from(AuthFailure).where(
        AuthFailure.platform == WEB_ATTEMPT, AuthFailure.account_id == key[:64],
        AuthFailure.at > since))
    return int(found or 0)


async def add_attempt(s: AsyncSession, key: str, now: datetime, forget_before: datetime) -> None:
    s.add(AuthFailure(platform=WEB_ATTEMPT, account_id=key[:64], at=now))
    await s.execute(delete(AuthFailure).where(AuthFailure.platform == WEB_ATTEMPT,
                                              AuthFailure.at < forget_before))
